"""The model and the independent validator reject the same broken plans, rule by rule.

For each hard rule a valid plan is broken by hand in one way. The validator
must name exactly that rule, and the CP-SAT model, with the broken plan
fixed in it, must have no solution; the unbroken plan passes both. So the
two cannot drift apart unnoticed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from conftest import make_committee, plan_valid, replace_meeting
from ortools.sat.python import cp_model

import rotation
from rotation.domain import BlackoutRules, Committee, FixedMeeting, Mode, PastMeeting, Plan
from rotation.horizon import choose_horizon
from rotation.model import RULES, build, build_problem
from rotation.solve import configure

YEAR = 2027


def model_accepts(committee: Committee, plan: Plan) -> bool:
    """Whether the model, with every date, mode and role holder of `plan` fixed, has a solution."""
    horizon = choose_horizon(committee, year=YEAR)
    if len(plan.meetings) != horizon.meetings:
        return False  # the model plans the horizon's number of meetings, no other
    problem = build_problem(committee, horizon)
    m = build(problem)
    for k, meeting in zip(m.slots, sorted(plan.meetings, key=lambda item: item.date), strict=True):
        if meeting.date.weekday() != committee.cadence.weekday:
            return False  # the model has a variable for the week, on the committee's weekday only
        m.model.add(m.week[k] == problem.week(meeting.date))
        m.model.add(m.physical[k] == int(meeting.mode is Mode.PHYSICAL))
        for role, unit in meeting.roles.items():
            var = m.holds.get((k, role, unit))
            if var is None:
                return False  # no variable: the model cannot give this unit this role here
            m.model.add(var == 1)
    solver = cp_model.CpSolver()
    configure(solver)
    return solver.solve(m.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


@pytest.fixture(scope="module")
def base() -> tuple[Committee, Plan]:
    committee = make_committee(6)
    return committee, plan_valid(committee, year=YEAR)


Breaker = Callable[[Committee, Plan], tuple[Committee, Plan]]


def friday(committee: Committee, plan: Plan) -> tuple[Committee, Plan]:
    return committee, replace_meeting(plan, 2, date=plan.meetings[2].date + dt.timedelta(days=1))


def after_the_horizon(committee: Committee, plan: Plan) -> tuple[Committee, Plan]:
    return committee, replace_meeting(plan, 5, date=dt.date(YEAR + 1, 1, 6))


def on_a_study_day(committee: Committee, plan: Plan) -> tuple[Committee, Plan]:
    day = plan.meetings[3].date
    return dataclasses.replace(committee, blackouts=BlackoutRules(public_holidays=False, study_days=(day,))), plan


def fixed_elsewhere(committee: Committee, plan: Plan) -> tuple[Committee, Plan]:
    day = plan.meetings[2].date
    later = plan.meetings[2].date + dt.timedelta(weeks=1)
    assert later not in plan.dates() and day != later
    return dataclasses.replace(committee, fixed=(FixedMeeting(later),)), plan


def fixed_holder_differs(committee: Committee, plan: Plan) -> tuple[Committee, Plan]:
    meeting = plan.meetings[2]
    other = "A" if meeting.roles["case"] != "A" else "B"
    return dataclasses.replace(committee, fixed=(FixedMeeting(meeting.date, roles={"case": other}),)), plan


def too_close(committee: Committee, plan: Plan) -> tuple[Committee, Plan]:
    return committee, replace_meeting(plan, 3, date=plan.meetings[3].date - dt.timedelta(weeks=3))


def too_soon_after_the_history(committee: Committee, plan: Plan) -> tuple[Committee, Plan]:
    first = plan.meetings[0]
    last = first.date - dt.timedelta(weeks=4)
    mode = first.mode.other
    return dataclasses.replace(committee, history=(PastMeeting(last, mode, roles={}),)), plan


def one_meeting_fewer(committee: Committee, plan: Plan) -> tuple[Committee, Plan]:
    return committee, dataclasses.replace(plan, meetings=plan.meetings[:-1])


def same_mode_twice(committee: Committee, plan: Plan) -> tuple[Committee, Plan]:
    return committee, replace_meeting(plan, 1, mode=plan.meetings[0].mode)


def ineligible_case(committee: Committee, plan: Plan) -> tuple[Committee, Plan]:
    holders = {m.roles["case"] for m in plan.meetings}
    allowed = tuple(sorted(set(committee.order) - {plan.meetings[0].roles["case"]}))
    assert holders - set(allowed)
    roles = tuple(dataclasses.replace(r, eligible=allowed) if r.key == "case" else r for r in committee.roles)
    return dataclasses.replace(committee, roles=roles), plan


def away_that_day(committee: Committee, plan: Plan) -> tuple[Committee, Plan]:
    meeting = plan.meetings[2]
    away = meeting.roles["knowledge"]
    units = tuple(dataclasses.replace(u, unavailable=(meeting.date,)) if u.name == away else u for u in committee.units)
    return dataclasses.replace(committee, units=units), plan


def one_unit_two_roles(committee: Committee, plan: Plan) -> tuple[Committee, Plan]:
    meeting = plan.meetings[4]
    return committee, replace_meeting(plan, 4, roles={**meeting.roles, "case": meeting.roles["knowledge"]})


def chain_broken(committee: Committee, plan: Plan) -> tuple[Committee, Plan]:
    meeting = plan.meetings[3]
    roles = {**meeting.roles, "chair": meeting.roles["case"], "case": meeting.roles["chair"]}
    return committee, replace_meeting(plan, 3, roles=roles)


CASES: dict[str, tuple[str, Breaker]] = {
    "a meeting on a Friday": ("Meeting weekday and horizon", friday),
    "a meeting after the horizon": ("Meeting weekday and horizon", after_the_horizon),
    "a meeting on the study day": ("Blackout period", on_a_study_day),
    "a fixed date without a meeting": ("Fixed meeting", fixed_elsewhere),
    "a pinned holder replaced": ("Fixed meeting", fixed_holder_differs),
    "two meetings three weeks apart": ("Gap between meetings", too_close),
    "the first meeting four weeks after the history": ("Gap after the history", too_soon_after_the_history),
    "one meeting fewer in the year": ("Meetings per year", one_meeting_fewer),
    "two MS Teams meetings in a row": ("Mode alternation", same_mode_twice),
    "a case by a unit that may not bring one": ("Eligibility", ineligible_case),
    "a role for a unit away that day": ("Unit unavailable", away_that_day),
    "one unit in two roles": ("Different units", one_unit_two_roles),
    "a chair who did not take the minutes before": ("Succession", chain_broken),
}


def test_every_hard_rule_has_a_case() -> None:
    assert {rule for rule, _ in CASES.values()} == {rule.name for rule in RULES if rule.hard}


def test_the_unbroken_plan_passes_both(base: tuple[Committee, Plan]) -> None:
    committee, plan = base
    assert rotation.validate(committee, plan) == []
    assert model_accepts(committee, plan)


@pytest.mark.parametrize("case", CASES)
def test_the_model_rejects_what_the_validator_names(base: tuple[Committee, Plan], case: str) -> None:
    rule, breaker = CASES[case]
    committee, plan = breaker(*base)
    named = {violation.rule for violation in rotation.validate(committee, plan)}
    assert rule in named, (case, named)
    assert not model_accepts(committee, plan), case
