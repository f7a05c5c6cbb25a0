"""Fair turns: nobody holds a role a second time before every unit that could take it had it once.

The independent count (`rotation.fairness.repeats`) is checked against the
model's own count, and the planner against a separate search: whenever some
assignment of the roles on the planner's dates has no repeat, the planner's
plan has none either.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator

import pytest
from conftest import make_committee, plan_valid
from ortools.sat.python import cp_model

import rotation
from rotation.domain import Cadence, Chain, Committee, Mode, PastMeeting, Plan, Role, Unit
from rotation.fairness import idle_units, repeats
from rotation.horizon import choose_horizon
from rotation.model import build, build_problem
from rotation.solve import configure

YEAR = 2027
NAMES = ("Dover", "Hull", "York", "Bath", "Ely", "Wells", "Ripon", "Truro")


def eight_units(away: dict[str, tuple[dt.date, ...]] | None = None) -> Committee:
    """Eight units, three roles, the minute-taker chairs the next meeting; eight meetings a year."""
    away = away or {}
    return Committee(
        name="Eight towns",
        language="en",
        units=tuple(Unit(name, unavailable=away.get(name, ())) for name in NAMES),
        roles=(
            Role("chair", "voorzitter", "chair"),
            Role("minute_taker", "notulist", "minute-taker"),
            Role("host", "gastheer", "host"),
        ),
        chains=(Chain("minute_taker", "chair"),),
        cadence=Cadence(meetings_per_year=8, min_gap_weeks=5, max_gap_weeks=8, timezone="Europe/London"),
    )


def summer(start: dt.date, weeks: int) -> tuple[dt.date, ...]:
    return tuple(start + dt.timedelta(days=day) for day in range(7 * weeks))


def model_repeats(committee: Committee, plan: Plan, *, exact: bool = True) -> int:
    """The model's own count of unfair turns for `plan`, with the plan fixed in it.

    `exact` counts with the rounds as they run; otherwise as the planner first
    counts them, by blocks of turns (exactly whether there are any).
    """
    horizon = choose_horizon(committee, start=plan.start, end=plan.end)
    horizon = dataclasses.replace(horizon, meetings=len(plan.meetings))
    problem = build_problem(committee, horizon)
    m = build(problem, exact_fairness=exact)
    for k, meeting in zip(m.slots, plan.meetings, strict=True):
        m.model.add(m.week[k] == problem.week(meeting.date))
        m.model.add(m.physical[k] == int(meeting.mode is Mode.PHYSICAL))
        for role, unit in meeting.roles.items():
            m.model.add(m.holds[k, role, unit] == 1)
    solver = cp_model.CpSolver()
    configure(solver)
    assert solver.solve(m.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return sum(term if isinstance(term, int) else solver.value(term) for term in m.objective_terms["Fair turns"])


# -- the rule on examples -----------------------------------------------------------------------


def test_the_example_committee_plans_its_own_2023_table_without_a_repeat(example, example_plan):
    assert repeats(example, example_plan) == []
    assert idle_units(example, example_plan) == []
    assert model_repeats(example, example_plan) == 0


def test_every_unit_holds_every_role_once_before_any_holds_it_twice():
    committee = eight_units({"Hull": summer(dt.date(YEAR, 6, 1), 13)})
    plan = plan_valid(committee, year=YEAR)
    assert repeats(committee, plan) == []
    for role in committee.role_keys:
        holders = [m.roles[role] for m in plan.meetings]
        assert len(set(holders)) == len(holders) == 8, (role, holders)


def test_a_repeat_is_named_in_the_committees_terms():
    committee = eight_units()
    plan = plan_valid(committee, year=YEAR)
    meetings = list(plan.meetings)
    first, last = meetings[0], meetings[-1]
    # the host of the first meeting hosts the last one too, instead of the unit whose turn it was
    waiting = last.roles["host"]
    meetings[-1] = dataclasses.replace(last, roles={**last.roles, "host": first.roles["host"]})
    unfair = dataclasses.replace(plan, meetings=tuple(meetings))
    found = repeats(committee, unfair)
    assert [(r.role, r.unit, r.date) for r in found] == [("host", first.roles["host"], last.date)]
    assert found[0].sentence(committee) == (
        f"{first.roles['host']} is host again on {last.date.isoformat()} while {waiting} has not been host "
        f"since the round began on {first.date.isoformat()}"
    )
    assert model_repeats(committee, unfair) == 1


def test_a_unit_that_cannot_come_is_no_unit_left_waiting():
    committee = eight_units()
    plan = plan_valid(committee, year=YEAR)
    meetings = list(plan.meetings)
    last = meetings[-1]
    waiting = last.roles["host"]
    meetings[-1] = dataclasses.replace(last, roles={**last.roles, "host": meetings[0].roles["host"]})
    unfair = dataclasses.replace(plan, meetings=tuple(meetings))
    away = dataclasses.replace(
        committee,
        units=tuple(
            dataclasses.replace(u, unavailable=(last.date,)) if u.name == waiting else u for u in committee.units
        ),
    )
    assert repeats(away, unfair) == []
    assert model_repeats(away, unfair) == 0


def test_rounds_run_on_from_the_history():
    committee = eight_units()
    history = tuple(
        PastMeeting(dt.date(YEAR - 1, 9, 24) + dt.timedelta(weeks=6 * i), roles={"host": name})
        for i, name in enumerate(("Ripon", "Truro", "Dover"))
    )
    plan = plan_valid(
        dataclasses.replace(committee, history=history), start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 6, 30)
    )
    hosts = [m.roles["host"] for m in plan.meetings]
    assert not {"Ripon", "Truro", "Dover"} & set(hosts[:5]), hosts


def test_a_pinned_role_is_no_turn(example, example_plan):
    # Korpsstaf chairs the pinned meeting, yet takes no chair turn from another unit
    pinned = example_plan.meetings[0]
    assert pinned.pinned_roles == ("chair", "minute_taker")
    assert all(r.meeting != pinned.id for r in repeats(example, example_plan))


def test_a_hundred_units_over_ten_years_leave_nobody_idle():
    committee = make_committee(100)
    plan = plan_valid(committee, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR + 9, 12, 31))
    assert repeats(committee, plan) == []
    assert idle_units(committee, plan) == []
    turns = Counter(unit for m in plan.meetings for unit in m.roles.values())
    # the chains are staggered: no unit holds all four roles in four meetings in a row
    assert max(turns.values()) <= 4
    first = plan.meetings[0]
    order = committee.order
    apart = abs(order.index(first.roles["chair"]) - order.index(first.roles["case"]))
    assert min(apart, len(order) - apart) >= 40


# -- the model and the validator count alike ----------------------------------------------------


def random_committee(rng: random.Random) -> Committee:
    """4 to 7 units, three roles with a chain, some away, a short history that may name a unit that left."""
    count = rng.randint(4, 7)
    names = NAMES[:count]
    thursdays = [dt.date(YEAR, 1, 7) + dt.timedelta(weeks=w) for w in range(52)]
    away = {name: tuple(rng.sample(thursdays, rng.randint(1, 6))) for name in rng.sample(names, rng.randint(0, 2))}
    eligible = tuple(rng.sample(names, count - 1)) if rng.random() < 0.3 else ()
    base = eight_units(away)
    history: list[PastMeeting] = []
    members = [*names, "Leeds"] if rng.random() < 0.3 else list(names)
    length = rng.randint(0, 3)
    day = dt.date(YEAR - 1, 12, 3) - dt.timedelta(weeks=6 * (length - 1))
    for _ in range(length):
        chair = history[-1].roles["minute_taker"] if history else rng.choice(members)
        minute, host = rng.sample([n for n in members if n != chair], 2)
        history.append(PastMeeting(day, roles={"chair": chair, "minute_taker": minute, "host": host}))
        day += dt.timedelta(weeks=6)
    return dataclasses.replace(
        base,
        units=tuple(u for u in base.units if u.name in names),
        roles=tuple(dataclasses.replace(r, eligible=eligible) if r.key == "host" else r for r in base.roles),
        cadence=Cadence(meetings_per_year=rng.randint(4, 8), min_gap_weeks=5, max_gap_weeks=10),
        history=tuple(history),
    )


def assignments(committee: Committee, plan: Plan, rng: random.Random, *, fair: bool) -> Iterator[Plan]:
    """Role assignments on the plan's dates that meet every hard rule (without repeats when `fair`), by search."""
    meetings = list(plan.meetings)
    away = {u.name: set(u.unavailable) for u in committee.units}
    carrier = committee.carrier(committee.chains[0]) if committee.history else None
    budget = [4000]

    def free(unit: str, *days: dt.date) -> bool:
        return not any(day in away[unit] for day in days)

    def walk(index: int, chosen: list[dict[str, str]]) -> Iterator[Plan]:
        budget[0] -= 1
        if budget[0] < 0:
            return
        if index == len(meetings):
            yield dataclasses.replace(
                plan, meetings=tuple(dataclasses.replace(m, roles=r) for m, r in zip(meetings, chosen, strict=True))
            )
            return
        day = meetings[index].date
        following = (meetings[index + 1].date,) if index + 1 < len(meetings) else ()
        if index:
            chairs = [chosen[-1]["minute_taker"]]
        elif carrier in committee.eligible("chair"):
            chairs = [carrier]
        else:
            chairs = [u for u in committee.eligible("chair") if free(u, day)]
        options = [
            {"chair": chair, "minute_taker": minute, "host": host}
            for chair in chairs
            for minute in committee.eligible("minute_taker")
            for host in committee.eligible("host")
            if len({chair, minute, host}) == 3
            and free(chair, day)
            and free(minute, day, *following)
            and free(host, day)
        ]
        rng.shuffle(options)
        for roles in options:
            partial = [*chosen, roles]
            if fair:
                trial = dataclasses.replace(
                    plan,
                    meetings=tuple(
                        dataclasses.replace(m, roles=partial[i] if i < len(partial) else {})
                        for i, m in enumerate(meetings)
                    ),
                )
                if repeats(committee, trial):
                    continue
            yield from walk(index + 1, partial)

    return walk(0, [])


@pytest.mark.parametrize("seed", range(24))
def test_the_model_counts_the_repeats_the_validator_names(seed: int) -> None:
    rng = random.Random(seed)
    committee = random_committee(rng)
    planned = rotation.plan(committee, year=YEAR)
    assert rotation.validate(committee, planned) == []
    other = next(assignments(committee, planned, rng, fair=False), None)
    assert other is not None
    assert rotation.validate(committee, other) == []
    found = len(repeats(committee, other))
    assert model_repeats(committee, other) == found
    # counted by blocks of turns, the planner's first count says exactly whether there are any
    assert (model_repeats(committee, other, exact=False) > 0) == (found > 0)


@pytest.mark.parametrize("seed", range(24))
def test_when_a_plan_without_repeats_exists_the_planner_finds_one(seed: int) -> None:
    rng = random.Random(1000 + seed)
    committee = random_committee(rng)
    planned = rotation.plan(committee, year=YEAR)
    assert rotation.validate(committee, planned) == []
    fair = next(assignments(committee, planned, rng, fair=True), None)
    if fair is not None:
        assert rotation.validate(committee, fair) == []
        assert repeats(committee, fair) == []
        assert repeats(committee, planned) == [], [r.sentence(committee) for r in repeats(committee, planned)]
    else:
        # no assignment on these dates avoids every repeat: the planner has as few as the rules allow
        assert model_repeats(committee, planned) == len(repeats(committee, planned))
