"""The rotation order: followed when nothing stands in the way; a skipped unit gets its turn back first."""

from __future__ import annotations

import datetime as dt
import itertools

from conftest import make_committee, plan_valid

from rotation.domain import BlackoutRules, Cadence, Chain, Committee, FixedMeeting, Mode, Modes, PastMeeting, Role, Unit

HISTORY = (
    PastMeeting(
        dt.date(2026, 11, 26), Mode.PHYSICAL, roles={"chair": "A", "minute_taker": "B", "case": "E", "knowledge": "F"}
    ),
)


def test_chains_follow_the_rotation_order():
    plan = plan_valid(make_committee(8, history=HISTORY))
    assert [m.roles["minute_taker"] for m in plan.meetings] == ["C", "D", "E", "F", "G", "H"]
    assert [m.roles["chair"] for m in plan.meetings] == ["B", "C", "D", "E", "F", "G"]
    assert [m.roles["knowledge"] for m in plan.meetings] == ["G", "H", "A", "B", "C", "D"]


def test_unavailable_unit_moves_the_date_rather_than_the_rotation():
    plan = plan_valid(make_committee(8, history=HISTORY))
    second = plan.meetings[1].date
    replanned = plan_valid(make_committee(8, history=HISTORY, unavailable={"D": (second,)}))
    assert [m.roles["minute_taker"] for m in replanned.meetings] == [m.roles["minute_taker"] for m in plan.meetings]
    assert replanned.meetings[1].date != second


def test_skipped_unit_gets_its_turn_back_first():
    plan = plan_valid(make_committee(8, history=HISTORY))
    second = plan.meetings[1].date
    away = make_committee(8, history=HISTORY, unavailable={"D": (second,)}, fixed=(FixedMeeting(second),))
    replanned = plan_valid(away)
    assert replanned.meetings[1].date == second
    takers = [m.roles["minute_taker"] for m in replanned.meetings]
    # D cannot take the minutes on the second date; E moves up and D follows straight after.
    assert takers[:4] == ["C", "E", "D", "F"]


def test_ineligible_unit_is_skipped_in_the_chair_chain():
    committee = make_committee(
        8,
        history=HISTORY,
        eligible={"chair": ("A", "B", "C", "E", "F", "G", "H"), "minute_taker": ("A", "B", "C", "E", "F", "G", "H")},
    )
    plan = plan_valid(committee)
    assert [m.roles["minute_taker"] for m in plan.meetings] == ["C", "E", "F", "G", "H", "A"]
    assert "D" in {m.roles["knowledge"] for m in plan.meetings} | {m.roles["case"] for m in plan.meetings}


def test_turns_are_balanced_over_several_years():
    committee = make_committee(7, cadence=Cadence(meetings_per_year=6, min_gap_weeks=8, max_gap_weeks=10))
    plan = plan_valid(committee, start=dt.date(2027, 1, 1), end=dt.date(2029, 12, 31))
    for role in ("chair", "minute_taker", "case", "knowledge"):
        counts = [sum(1 for m in plan.meetings if m.roles[role] == unit) for unit in "ABCDEFG"]
        assert max(counts) - min(counts) <= 1, (role, counts)


def test_pinned_meeting_is_not_a_turn_of_the_chair_chain():
    fixed = (FixedMeeting(dt.date(2027, 3, 18), roles={"chair": "H", "minute_taker": "H"}),)
    plan = plan_valid(make_committee(8, history=HISTORY, fixed=fixed))
    regular = [m for m in plan.meetings if not m.pinned_roles]
    assert [m.roles["minute_taker"] for m in regular] == ["C", "D", "E", "F", "G"]


def test_a_chain_that_continues_another_follows_it_one_meeting_behind():
    """notes → timekeeper → facilitator without a history: every role goes round in order, turns even."""
    units = tuple(Unit(name) for name in ("T1", "T2", "T3", "T4"))
    committee = Committee(
        name="Weekly",
        language="en",
        units=units,
        roles=(
            Role("facilitator", "f", "facilitator"),
            Role("timekeeper", "t", "timekeeper"),
            Role("notes", "n", "notes"),
        ),
        chains=(Chain("notes", "timekeeper"), Chain("timekeeper", "facilitator")),
        cadence=Cadence(weekday=4, meetings_per_year=20, min_gap_weeks=2, max_gap_weeks=3),
        modes=Modes(alternate=False, first=Mode.TEAMS),
        blackouts=BlackoutRules(public_holidays=False),
    )
    plan = plan_valid(committee, year=2027)
    for role in ("facilitator", "timekeeper", "notes"):
        holders = [m.roles[role] for m in plan.meetings]
        assert all((int(b[1]) - int(a[1])) % 4 == 1 for a, b in itertools.pairwise(holders)), holders
        assert max(holders.count(u.name) for u in units) - min(holders.count(u.name) for u in units) == 0


def test_a_unit_is_not_skipped_for_another_to_hold_the_role_twice_in_a_row():
    names = ("A", "B", "C", "D", "E", "F", "G")
    committee = make_committee(
        7,
        chains=False,
        eligible={"case": ("C", "F", "A"), "knowledge": tuple(n for n in names if n != "G")},
        cadence=Cadence(meetings_per_year=10, min_gap_weeks=4, max_gap_weeks=6),
    )
    plan = plan_valid(committee, year=2027)
    for role in ("chair", "knowledge"):
        holders = [m.roles[role] for m in plan.meetings]
        assert all(a != b for a, b in itertools.pairwise(holders)), (role, holders)
    chairs = [m.roles["chair"] for m in plan.meetings][:7]
    assert sorted(chairs) == list(names)  # everyone chairs once before anyone chairs again
