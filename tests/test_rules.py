"""Each hard rule alone: a case the planner honours it in, and a plan that breaks it.

The allowed case plans with the solver and checks the plan with the
independent validator; the violated case breaks the rule by hand in a valid
plan and asserts that the validator names exactly that rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from conftest import make_committee, plan_valid, replace_meeting

import rotation
from rotation.domain import Blackout, BlackoutRules, Cadence, FixedMeeting, Mode, PastMeeting

YEAR = 2027


def rules_broken(committee, plan):
    return {violation.rule for violation in rotation.validate(committee, plan)}


@pytest.fixture(scope="module")
def base():
    committee = make_committee(6)
    return committee, plan_valid(committee, year=YEAR)


# -- Meeting weekday and horizon -------------------------------------------------


def test_weekday_allowed_on_another_weekday():
    committee = make_committee(5, cadence=Cadence(weekday=0))
    plan = plan_valid(committee, year=YEAR)
    assert {m.date.weekday() for m in plan.meetings} == {0}
    assert all(m.date.year == YEAR for m in plan.meetings)


def test_weekday_violated(base):
    committee, plan = base
    friday = plan.meetings[2].date + dt.timedelta(days=1)
    broken = replace_meeting(plan, 2, date=friday)
    messages = [v.message for v in rotation.validate(committee, broken) if v.rule == "Meeting weekday and horizon"]
    assert messages == [f"{friday.isoformat()} is a Friday; meetings are on Thursdays"]


def test_horizon_violated(base):
    committee, plan = base
    assert rules_broken(committee, replace_meeting(plan, 5, date=dt.date(YEAR + 1, 1, 6))) >= {
        "Meeting weekday and horizon"
    }


# -- Blackout period --------------------------------------------------------------


def test_blackout_allowed(base):
    committee, plan = base
    taken = plan.meetings[1].date
    blocked = dataclasses.replace(
        committee,
        blackouts=BlackoutRules(
            public_holidays=False,
            periods=(Blackout(taken - dt.timedelta(days=3), taken + dt.timedelta(days=3), "retreat"),),
        ),
    )
    replanned = plan_valid(blocked, year=YEAR)
    assert taken not in replanned.dates()


def test_blackout_violated(base):
    committee, plan = base
    day = plan.meetings[3].date
    blocked = dataclasses.replace(committee, blackouts=BlackoutRules(public_holidays=False, study_days=(day,)))
    assert rules_broken(blocked, plan) == {"Blackout period"}


def test_public_holidays_are_blackouts():
    committee = make_committee(6, blackouts=BlackoutRules(public_holidays=True))
    plan = plan_valid(committee, year=2026)
    # Ascension Day 2026 is Thursday 14 May.
    assert dt.date(2026, 5, 14) not in plan.dates()


# -- Fixed meeting ----------------------------------------------------------------------


def test_fixed_meeting_allowed():
    day = dt.date(YEAR, 3, 18)
    committee = make_committee(6, fixed=(FixedMeeting(day, Mode.TEAMS, "Online", {"chair": "F", "minute_taker": "F"}),))
    plan = plan_valid(committee, year=YEAR)
    meeting = next(m for m in plan.meetings if m.date == day)
    assert meeting.mode is Mode.TEAMS and meeting.roles["chair"] == meeting.roles["minute_taker"] == "F"
    assert meeting.fixed_date and set(meeting.pinned_roles) == {"chair", "minute_taker"}


def test_fixed_meeting_violated(base):
    committee, plan = base
    day = plan.meetings[2].date
    fixed = dataclasses.replace(
        committee, fixed=(FixedMeeting(day, roles={"case": "A" if plan.meetings[2].roles["case"] != "A" else "B"}),)
    )
    assert "Fixed meeting" in rules_broken(fixed, plan)
    moved = dataclasses.replace(committee, fixed=(FixedMeeting(day + dt.timedelta(weeks=1)),))
    assert "Fixed meeting" in rules_broken(moved, plan)


# -- Gap between meetings and after the history -------------------------------------------


def test_gap_allowed_exactly():
    committee = make_committee(6, cadence=Cadence(meetings_per_year=5, min_gap_weeks=9, max_gap_weeks=9))
    plan = plan_valid(committee, year=YEAR)
    gaps = {(b.date - a.date).days for a, b in zip(plan.meetings, plan.meetings[1:], strict=False)}
    assert gaps == {63}


def test_gap_violated(base):
    committee, plan = base
    early = plan.meetings[3].date - dt.timedelta(weeks=3)
    assert rules_broken(committee, replace_meeting(plan, 3, date=early)) == {"Gap between meetings"}


def test_gap_after_history_allowed():
    last = dt.date(YEAR - 1, 11, 25)
    committee = make_committee(6, history=(PastMeeting(last, Mode.TEAMS, roles={}),))
    plan = plan_valid(committee)
    assert 8 * 7 <= (plan.meetings[0].date - last).days <= 10 * 7


# -- Meetings per year -----------------------------------------------------------------


def test_meetings_per_year_allowed():
    committee = make_committee(6, cadence=Cadence(meetings_per_year=5, min_gap_weeks=6, max_gap_weeks=12))
    plan = plan_valid(committee, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR + 1, 12, 31))
    assert [sum(1 for m in plan.meetings if m.date.year == y) for y in (YEAR, YEAR + 1)] == [5, 5]


def test_meetings_per_year_violated(base):
    committee, plan = base
    fewer = dataclasses.replace(plan, meetings=plan.meetings[:-1])
    assert rules_broken(committee, fewer) == {"Meetings per year"}


# -- Mode alternation ------------------------------------------------------------------


def test_mode_alternation_continues_history():
    history = (PastMeeting(dt.date(YEAR - 1, 11, 25), Mode.PHYSICAL, roles={}),)
    plan = plan_valid(make_committee(6, history=history))
    assert [m.mode for m in plan.meetings[:3]] == [Mode.TEAMS, Mode.PHYSICAL, Mode.TEAMS]


def test_mode_alternation_violated(base):
    committee, plan = base
    same = replace_meeting(plan, 1, mode=plan.meetings[0].mode)
    assert "Mode alternation" in rules_broken(committee, same)


# -- Eligibility ------------------------------------------------------------------------


def test_eligibility_allowed():
    committee = make_committee(6, eligible={"chair": ("A", "B", "C", "D"), "minute_taker": ("A", "B", "C", "D")})
    plan = plan_valid(committee, year=YEAR)
    assert {m.roles["chair"] for m in plan.meetings} <= {"A", "B", "C", "D"}


def test_eligibility_violated(base):
    committee, plan = base
    limited = dataclasses.replace(
        committee,
        roles=tuple(
            dataclasses.replace(role, eligible=("A", "B")) if role.key == "case" else role for role in committee.roles
        ),
    )
    outsiders = [m for m in plan.meetings if m.roles["case"] not in ("A", "B")]
    assert outsiders and "Eligibility" in rules_broken(limited, plan)


# -- Unit unavailable -------------------------------------------------------------------


def test_unit_unavailable_allowed():
    day = dt.date(YEAR, 3, 18)
    committee = make_committee(6, fixed=(FixedMeeting(day),), unavailable={name: (day,) for name in "AB"})
    plan = plan_valid(committee, year=YEAR)
    meeting = next(m for m in plan.meetings if m.date == day)
    assert not {"A", "B"} & set(meeting.roles.values())


def test_unit_unavailable_violated(base):
    committee, plan = base
    meeting = plan.meetings[2]
    away = meeting.roles["knowledge"]
    units = tuple(dataclasses.replace(u, unavailable=(meeting.date,)) if u.name == away else u for u in committee.units)
    assert rules_broken(dataclasses.replace(committee, units=units), plan) == {"Unit unavailable"}


# -- Different units --------------------------------------------------------------------


def test_different_units_allowed(base):
    _, plan = base
    assert all(len(set(m.roles.values())) == 4 for m in plan.meetings)


def test_different_units_violated(base):
    committee, plan = base
    meeting = plan.meetings[4]
    doubled = replace_meeting(plan, 4, roles={**meeting.roles, "case": meeting.roles["knowledge"]})
    messages = [v.message for v in rotation.validate(committee, doubled) if v.rule == "Different units"]
    assert messages == [f"{meeting.roles['knowledge']} is both case and knowledge on {meeting.date.isoformat()}"]


def test_pinned_roles_may_share_a_unit():
    day = dt.date(YEAR, 3, 18)
    committee = make_committee(6, fixed=(FixedMeeting(day, roles={"chair": "C", "minute_taker": "C"}),))
    plan = plan_valid(committee, year=YEAR)
    assert next(m for m in plan.meetings if m.date == day).roles["chair"] == "C"


# -- Succession -------------------------------------------------------------------------


def test_succession_allowed(base):
    _, plan = base
    for before, after in zip(plan.meetings, plan.meetings[1:], strict=False):
        assert after.roles["chair"] == before.roles["minute_taker"]
        assert after.roles["case"] == before.roles["knowledge"]


def test_succession_jumps_over_a_pinned_meeting():
    day = dt.date(YEAR, 5, 13)
    committee = make_committee(6, fixed=(FixedMeeting(day, roles={"chair": "F", "minute_taker": "F"}),))
    plan = plan_valid(committee, year=YEAR)
    index = next(i for i, m in enumerate(plan.meetings) if m.date == day)
    assert 0 < index < len(plan.meetings) - 1
    before, after = plan.meetings[index - 1], plan.meetings[index + 1]
    assert after.roles["chair"] == before.roles["minute_taker"]
    assert plan.meetings[index].roles["case"] == before.roles["knowledge"]


def test_succession_violated(base):
    committee, plan = base
    meeting = plan.meetings[3]
    swapped = replace_meeting(
        plan, 3, roles={**meeting.roles, "chair": meeting.roles["case"], "case": meeting.roles["chair"]}
    )
    assert rules_broken(committee, swapped) >= {"Succession"}


# -- The first mode without a history ---------------------------------------------


@pytest.mark.parametrize("first", [Mode.TEAMS, Mode.PHYSICAL])
def test_first_mode_without_history(first):
    committee = dataclasses.replace(make_committee(6), modes=dataclasses.replace(make_committee(6).modes, first=first))
    plan = plan_valid(committee, year=YEAR)
    assert plan.meetings[0].mode is first and plan.meetings[1].mode is first.other


def test_first_mode_kept_when_modes_do_not_alternate():
    base_modes = make_committee(6).modes
    fixed = (FixedMeeting(dt.date(YEAR, 5, 13), Mode.PHYSICAL),)
    committee = dataclasses.replace(
        make_committee(6, fixed=fixed), modes=dataclasses.replace(base_modes, alternate=False, first=Mode.TEAMS)
    )
    plan = plan_valid(committee, year=YEAR)
    assert [m.mode for m in plan.meetings if m.date != fixed[0].date] == [Mode.TEAMS] * (len(plan.meetings) - 1)
    assert next(m for m in plan.meetings if m.date == fixed[0].date).mode is Mode.PHYSICAL


# -- A longer gap over the summer ------------------------------------------------------------


def _summer_committee(summer):
    blackout = Blackout(dt.date(YEAR, 6, 20), dt.date(YEAR, 9, 5), "summer break")
    cadence = Cadence(meetings_per_year=5, min_gap_weeks=8, max_gap_weeks=10, summer_max_gap_weeks=summer)
    return make_committee(6, cadence=cadence, blackouts=BlackoutRules(public_holidays=False, periods=(blackout,)))


def test_summer_gap_allowed():
    plan = plan_valid(_summer_committee(12), year=YEAR)
    gaps = [(b.date - a.date).days // 7 for a, b in zip(plan.meetings, plan.meetings[1:], strict=False)]
    assert max(gaps) > 10 and max(gaps) <= 12
    over = next(i for i, g in enumerate(gaps) if g > 10)
    assert plan.meetings[over].date < dt.date(YEAR, 8, 1) <= plan.meetings[over + 1].date


def test_summer_gap_violated():
    committee = _summer_committee(12)
    plan = plan_valid(committee, year=YEAR)
    assert "Gap between meetings" in rules_broken(
        dataclasses.replace(committee, cadence=dataclasses.replace(committee.cadence, summer_max_gap_weeks=None)), plan
    )


def test_summer_gap_needed_is_explained():
    with pytest.raises(rotation.InfeasibleError) as caught:
        rotation.plan(_summer_committee(None), year=YEAR)
    error = caught.value
    assert {c.rule for c in error.conflicts} >= {"Gap between meetings", "Blackout period"}
