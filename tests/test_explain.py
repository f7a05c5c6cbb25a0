"""When no plan is possible: the explanation names the rules that clash, and its changes lift the clash."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from conftest import assert_infeasible, make_committee, plan_valid
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rotation
from rotation.domain import Blackout, BlackoutRules, Cadence, Committee, FixedMeeting, Mode, PastMeeting
from rotation.errors import Conflict
from rotation.explain import _instance, _solve, describe, explain
from rotation.horizon import choose_horizon

LAST = dt.date(2027, 1, 7)  # a Thursday
HISTORY = (PastMeeting(LAST, Mode.TEAMS, roles={"chair": "A", "minute_taker": "B", "case": "C", "knowledge": "D"}),)


def rules(error: rotation.InfeasibleError) -> list[str]:
    return [conflict.rule for conflict in error.conflicts]


def sentences(error: rotation.InfeasibleError) -> list[str]:
    return [conflict.sentence for conflict in error.conflicts]


# -- one test per kind of clash ---------------------------------------------------------------------


def test_fixed_date_too_soon_after_the_history():
    committee = make_committee(history=HISTORY, fixed=(FixedMeeting(dt.date(2027, 2, 4)),))
    error = assert_infeasible(committee, "Fixed meeting", "Gap after the history")
    assert error.conflicts == (
        Conflict("Fixed meeting", "there is a meeting on 2027-02-04 (fixed)", "unfix the meeting of 2027-02-04"),
        Conflict(
            "Gap after the history",
            "the first meeting is at least 8 weeks after the last one held (2027-01-07)",
            "allow 4 weeks between meetings",
        ),
    )


def test_two_fixed_dates_closer_than_the_gap():
    fixed = (FixedMeeting(dt.date(2027, 3, 4)), FixedMeeting(dt.date(2027, 3, 25)))
    error = assert_infeasible(make_committee(history=HISTORY, fixed=fixed), "Fixed meeting", "Gap between meetings")
    assert "at least 8 weeks between meetings" in sentences(error)
    assert "there is a meeting on 2027-03-25 (fixed)" in sentences(error)


def test_blackout_covers_every_day_the_gap_allows():
    blackout = Blackout(dt.date(2027, 2, 25), dt.date(2027, 3, 20), "Renovation")
    committee = make_committee(history=HISTORY, blackouts=BlackoutRules(public_holidays=False, periods=(blackout,)))
    error = assert_infeasible(committee, "Blackout period", "Gap after the history")
    assert error.conflicts[0] == Conflict(
        "Blackout period", "no meeting in 'Renovation' (2027-02-25 – 2027-03-20)", "drop the blackout 'Renovation'"
    )
    assert [c.relaxation for c in error.conflicts[1:]] == [
        "allow 6 weeks between meetings",
        "allow 11 weeks between meetings",
    ]


def test_too_many_meetings_per_year():
    error = assert_infeasible(
        make_committee(cadence=Cadence(meetings_per_year=8)), "Meetings per year", "Gap between meetings", year=2027
    )
    assert error.conflicts == (
        Conflict("Gap between meetings", "at least 8 weeks between meetings", "allow 7 weeks between meetings"),
        Conflict("Meetings per year", "8 meetings in 2027", "hold 7 meetings in 2027"),
    )


def test_more_meetings_than_the_period_holds():
    error = assert_infeasible(
        make_committee(), "Meeting weekday and horizon", "Gap between meetings", year=2027, meetings=40
    )
    assert error.conflicts[0] == Conflict(
        "Meeting weekday and horizon", "40 meetings between 2027-01-01 and 2027-12-31", "plan 7 meetings instead of 40"
    )
    assert error.conflicts[1].relaxation == "allow 1 week between meetings"


def test_alternation_against_fixed_modes():
    fixed = (FixedMeeting(dt.date(2027, 3, 4), Mode.PHYSICAL), FixedMeeting(dt.date(2027, 5, 6), Mode.PHYSICAL))
    error = assert_infeasible(make_committee(history=HISTORY, fixed=fixed), "Mode alternation", "Fixed meeting")
    assert "MS Teams and physical meetings take turns" in sentences(error)
    assert "the meeting of 2027-05-06 is Physical (fixed)" in sentences(error)
    assert "let two meetings in a row have the same mode" in [c.relaxation for c in error.conflicts]


def test_too_few_units_eligible_for_the_roles():
    eligible = {"chair": ("A", "B"), "minute_taker": ("A", "B"), "case": ("A", "B")}
    error = assert_infeasible(make_committee(eligible=eligible), "Eligibility", "Different units", year=2027)
    assert sentences(error) == [
        "only A and B may be chair",
        "only A and B may be minute_taker",
        "only A and B may be case",
        "the roles of a meeting are held by different units",
    ]


def test_pinned_unit_that_is_unavailable():
    day = dt.date(2027, 3, 4)
    committee = make_committee(
        history=HISTORY, fixed=(FixedMeeting(day, roles={"chair": "E"}),), unavailable={"E": (day,)}
    )
    with pytest.raises(rotation.ConfigError, match="E is pinned to a role on 2027-03-04, but is unavailable that day"):
        rotation.plan(committee)  # the committee check catches it before any solve
    conflicts = explain(committee, choose_horizon(committee))
    assert (
        Conflict("Unit unavailable", "E is unavailable on 2027-03-04", "let E hold a role on 2027-03-04") in conflicts
    )
    assert Conflict("Fixed meeting", "E is chair on 2027-03-04 (fixed)", "unpin the chair of 2027-03-04") in conflicts


def test_unit_unavailable_when_the_chain_needs_it():
    days = (dt.date(2027, 3, 4), dt.date(2027, 3, 11), dt.date(2027, 3, 18))
    error = assert_infeasible(
        make_committee(history=HISTORY, unavailable={"B": days}), "Unit unavailable", "Succession"
    )
    assert "the minute_taker of a meeting is chair at the next (B was minute_taker on 2027-01-07)" in sentences(error)
    assert [s for s in sentences(error) if s.startswith("B is unavailable")] == [
        "B is unavailable on 2027-03-04",
        "B is unavailable on 2027-03-11",
        "B is unavailable on 2027-03-18",
    ]


def test_succession_against_eligibility():
    # D may be neither chair nor knowledge presenter: it can only bring the case, which the chain gives
    # to the knowledge presenter of the meeting before. Four units, four roles: D is needed every time.
    committee = make_committee(4, eligible={"chair": ("A", "B", "C"), "knowledge": ("A", "B", "C")})
    error = assert_infeasible(committee, "Eligibility", "Succession", "Different units", year=2027)
    assert sentences(error) == [
        "D may not be chair",
        "D may not be knowledge",
        "the roles of a meeting are held by different units",
        "the minute_taker of a meeting is chair at the next",
        "the knowledge of a meeting is case at the next",
    ]


def test_succession_against_a_pinned_role():
    committee = make_committee(history=HISTORY, fixed=(FixedMeeting(dt.date(2027, 3, 4), roles={"case": "B"}),))
    error = assert_infeasible(committee, "Succession", "Fixed meeting", "Different units")
    assert "B is case on 2027-03-04 (fixed)" in sentences(error)


def test_a_period_without_a_meeting_day():
    with pytest.raises(rotation.InfeasibleError) as caught:
        rotation.plan(make_committee(), start=dt.date(2027, 3, 1), end=dt.date(2027, 3, 3))
    assert caught.value.conflicts == (
        Conflict(
            "Meeting weekday and horizon",
            "there is no Thursday between 2027-03-01 and 2027-03-03",
            "plan a longer period",
        ),
    )


def test_a_period_wholly_blacked_out_is_explained():
    summer = Blackout(dt.date(2027, 7, 10), dt.date(2027, 8, 22), "Summer")
    committee = make_committee(blackouts=BlackoutRules(public_holidays=False, periods=(summer,)))
    error = assert_infeasible(
        committee,
        "Blackout period",
        "Meeting weekday and horizon",
        start=dt.date(2027, 7, 12),
        end=dt.date(2027, 8, 15),
    )
    assert error.conflicts[0].relaxation == "plan a longer period"


# -- the explanation itself ----------------------------------------------------------------------------


def test_the_example_in_dutch_on_one_screen(example):
    with pytest.raises(rotation.InfeasibleError) as caught:
        rotation.plan(example, meetings=9)
    message = str(caught.value)
    assert message.splitlines() == [
        "deze regels gaan niet samen:",
        "  - Vergaderdag en planningsperiode: 9 vergaderingen tussen 13-01-2023 en 12-01-2024",
        "  - Tijd tussen vergaderingen: minimaal 7 weken tussen twee vergaderingen",
        "Elk van deze aanpassingen heft de botsing op:",
        "  - plan 6 vergaderingen in plaats van 9",
        "  - sta 4 weken tussen twee vergaderingen toe",
    ]
    assert rules(caught.value) == ["Meeting weekday and horizon", "Gap between meetings"]


def test_the_suggested_number_of_meetings_gives_a_plan(example):
    plan_valid(example, meetings=6)


def test_explanation_is_deterministic_and_minimal():
    blackout = Blackout(dt.date(2027, 2, 25), dt.date(2027, 3, 20), "Renovation")
    committee = make_committee(history=HISTORY, blackouts=BlackoutRules(public_holidays=False, periods=(blackout,)))
    horizon = choose_horizon(committee)
    first = explain(committee, horizon)
    assert explain(committee, horizon) == first
    instance = _instance(committee, horizon)
    by_sentence = {c.sentence: c for c in instance.literals}
    clash = [by_sentence[c.sentence] for c in first]
    assert _solve(instance, clash)[0] is False
    for left_out in clash:  # every rule named takes part: without it the rest can be met
        assert _solve(instance, [c for c in clash if c != left_out])[0] is True


def test_a_plannable_committee_has_no_clash(example):
    assert explain(example, choose_horizon(example)) == []


def test_describe_without_conflicts_still_says_something():
    assert describe([], "nl") == "de regels gaan niet samen, en er is geen afzonderlijke regel aan te wijzen."
    assert describe([], "en").startswith("the rules cannot all be met together")


def test_every_hard_rule_has_a_name_in_every_language():
    from rotation.explain import rule_label
    from rotation.messages import languages
    from rotation.model import RULES

    for rule in RULES:
        if rule.hard:
            assert rule_label(rule.name, "en") == rule.name
            for language in languages():
                assert rule_label(rule.name, language)


# -- applying a suggested change makes the committee plannable ------------------------------------------


def relax(committee: Committee, conflict: Conflict) -> Committee:
    """The committee with the change `conflict.relaxation` suggests."""
    text = conflict.relaxation or ""
    weeks = re.fullmatch(r"allow (\d+) weeks? between meetings", text)
    if weeks:
        field = "min_gap_weeks" if "at least" in conflict.sentence else "max_gap_weeks"
        cadence = dataclasses.replace(committee.cadence, **{field: int(weeks.group(1))})
        if cadence.max_gap_weeks < cadence.min_gap_weeks:
            return committee  # not this change on its own
        return dataclasses.replace(committee, cadence=cadence)
    dropped = re.fullmatch(r"drop the blackout '(.*)'", text)
    if dropped:
        periods = tuple(p for p in committee.blackouts.periods if p.reason != dropped.group(1))
        return dataclasses.replace(committee, blackouts=dataclasses.replace(committee.blackouts, periods=periods))
    raise AssertionError(f"no way to apply {text!r}")


@st.composite
def blackout_clashes(draw):
    """A history, a gap and a blackout over every Thursday the gap allows for the next meeting."""
    last = LAST + dt.timedelta(weeks=draw(st.integers(0, 8)))
    low = draw(st.integers(3, 8))
    high = draw(st.integers(low, low + 3))
    start = last + dt.timedelta(weeks=low, days=-draw(st.integers(0, 6)))
    end = last + dt.timedelta(weeks=high, days=draw(st.integers(0, 6)))
    history = (dataclasses.replace(HISTORY[0], date=last),)
    return make_committee(
        draw(st.integers(5, 8)),
        history=history,
        cadence=Cadence(meetings_per_year=6, min_gap_weeks=low, max_gap_weeks=high),
        blackouts=BlackoutRules(public_holidays=False, periods=(Blackout(start, end, "Closed"),)),
        language="en",
    )


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blackout_clashes())
def test_each_change_for_a_blackout_clash_gives_a_plan(committee):
    error = assert_infeasible(committee, "Blackout period", "Gap after the history", meetings=3)
    changes = [c for c in error.conflicts if c.relaxation]
    assert any(c.rule == "Blackout period" for c in changes)
    for conflict in changes:
        relaxed = relax(committee, conflict)
        if relaxed is not committee:
            plan_valid(relaxed, meetings=3)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(5, 9), st.integers(7, 12))
def test_each_change_for_too_many_meetings_gives_a_plan(count, low):
    committee = make_committee(cadence=Cadence(meetings_per_year=count, min_gap_weeks=low, max_gap_weeks=low + 2))
    if (count - 1) * low <= 51:
        return  # they fit
    error = assert_infeasible(committee, "Gap between meetings", year=2027)
    for conflict in error.conflicts:
        fewer = re.fullmatch(r"(?:hold|plan) (\d+) meetings?(?: in 2027| instead of \d+)", conflict.relaxation or "")
        if fewer:
            relaxed = dataclasses.replace(
                committee, cadence=dataclasses.replace(committee.cadence, meetings_per_year=int(fewer.group(1)))
            )
            plan_valid(relaxed, year=2027)
        elif conflict.relaxation and conflict.relaxation.startswith("allow"):
            plan_valid(relax(committee, conflict), year=2027)


def test_plan_says_why_in_the_language_asked_for(capsys):
    from conftest import EXAMPLE_FILE

    from rotation.cli import main

    assert main(["plan", EXAMPLE_FILE, "--meetings", "9", "--lang", "en"]) == 3
    assert capsys.readouterr().err == (
        "No plan possible: these rules cannot all be met together:\n"
        "  - Meeting weekday and horizon: 9 meetings between 2023-01-13 and 2024-01-12\n"
        "  - Gap between meetings: at least 7 weeks between meetings\n"
        "Any one of these changes lifts the clash:\n"
        "  - plan 6 meetings instead of 9\n"
        "  - allow 4 weeks between meetings\n"
    )
    assert main(["plan", EXAMPLE_FILE, "--meetings", "9"]) == 3
    assert capsys.readouterr().err.startswith("Geen planning mogelijk: deze regels gaan niet samen:\n")
