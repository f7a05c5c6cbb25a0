"""A committee built in code gets the same clear errors as a committee file: `ConfigError` naming the field."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from typing import Any

import pytest
from conftest import make_committee
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rotation
from rotation.committee_check import check_committee
from rotation.domain import (
    Blackout,
    BlackoutRules,
    Cadence,
    Chain,
    Committee,
    FixedMeeting,
    Mode,
    Modes,
    PastMeeting,
    Person,
    Role,
    Unit,
)

BASE = make_committee(4)
THURSDAY = dt.date(2027, 3, 11)


def with_cadence(**changes: Any) -> Committee:
    return dataclasses.replace(BASE, cadence=dataclasses.replace(BASE.cadence, **changes))


def with_unit(index: int, **changes: Any) -> Committee:
    units = list(BASE.units)
    units[index] = dataclasses.replace(units[index], **changes)
    return dataclasses.replace(BASE, units=tuple(units))


def with_role(index: int, **changes: Any) -> Committee:
    roles = list(BASE.roles)
    roles[index] = dataclasses.replace(roles[index], **changes)
    return dataclasses.replace(BASE, roles=tuple(roles))


CASES: list[tuple[str, Committee, str, str]] = [
    ("weekday 7", with_cadence(weekday=7), "cadence.weekday", "from 0 (Monday) to 6 (Sunday), found 7."),
    ("weekday -1", with_cadence(weekday=-1), "cadence.weekday", "found -1."),
    ("weekday text", with_cadence(weekday="thursday"), "cadence.weekday", "found text 'thursday'."),
    ("weekday bool", with_cadence(weekday=True), "cadence.weekday", "found true or false True."),
    ("min gap 0", with_cadence(min_gap_weeks=0), "cadence.min_gap_weeks", "expected 1 to 104 weeks, found 0."),
    ("max gap 105", with_cadence(max_gap_weeks=105), "cadence.max_gap_weeks", "expected 1 to 104 weeks, found 105."),
    ("max below min", with_cadence(min_gap_weeks=9, max_gap_weeks=8), "cadence.max_gap_weeks", "less than the minimum"),
    ("summer gap", with_cadence(summer_max_gap_weeks=9), "cadence.summer_max_gap_weeks", "found 9."),
    ("per year 0", with_cadence(meetings_per_year=0), "cadence.meetings_per_year", "1 to 52 meetings a year"),
    ("per year 53", with_cadence(meetings_per_year=53), "cadence.meetings_per_year", "found 53."),
    ("time zone", with_cadence(timezone="Europe/Amsterdan"), "cadence.timezone", "Did you mean 'Europe/Amsterdam'?"),
    ("time zone type", with_cadence(timezone=1), "cadence.timezone", "expected text"),
    (
        "end before start",
        with_cadence(start=dt.time(12), end=dt.time(10)),
        "cadence.end",
        "the meeting ends (10:00) before it starts (12:00).",
    ),
    ("start text", with_cadence(start="10:00"), "cadence.start", "expected a time"),
    ("preferred week", with_cadence(preferred_weeks=(12, 54)), "cadence.preferred_weeks[1]", "from 1 to 53, found 54."),
    (
        "fixed datetime",
        dataclasses.replace(BASE, fixed=(FixedMeeting(dt.datetime(2027, 3, 11, 10)),)),
        "fixed[0].date",
        "expected a date, found a date and time",
    ),
    (
        "fixed text date",
        dataclasses.replace(BASE, fixed=(FixedMeeting("2027-03-11"),)),  # type: ignore[arg-type]
        "fixed[0].date",
        "found text '2027-03-11'.",
    ),
    ("fixed mode", dataclasses.replace(BASE, fixed=(FixedMeeting(THURSDAY, mode="teams"),)), "fixed[0].mode", "Mode"),
    (
        "fixed role to a number",
        dataclasses.replace(BASE, fixed=(FixedMeeting(THURSDAY, roles={"chair": 3}),)),
        "fixed[0].roles.chair",
        "expected a unit name, found a whole number 3.",
    ),
    (
        "fixed year",
        dataclasses.replace(BASE, fixed=(FixedMeeting(dt.date(1, 1, 4)),)),
        "fixed[0].date",
        "use a year from 1900",
    ),
    (
        "unavailable text",
        with_unit(0, unavailable=("2027-03-11",)),
        "units[0].unavailable[0]",
        "found text '2027-03-11'.",
    ),
    ("unavailable not a tuple", with_unit(0, unavailable=THURSDAY), "units[0].unavailable", "expected a tuple"),
    ("no roles", dataclasses.replace(BASE, roles=()), "roles", "at least one role"),
    ("duplicate role", with_role(1, key="chair"), "roles[1].key", "the role 'chair' is listed twice."),
    ("role key", with_role(0, key="Chair person"), "roles[0].key", "lower-case letters"),
    ("role label", with_role(0, label_en=None), "roles[0].en", "expected text"),
    ("role not a Role", dataclasses.replace(BASE, roles=("chair",)), "roles[0]", "expected a Role"),
    ("language", dataclasses.replace(BASE, language="de"), "language", "'de' is not a language of this tool"),
    ("language type", dataclasses.replace(BASE, language=None), "language", "not a language"),
    (
        "alias clash",
        dataclasses.replace(BASE, units=(Unit("A", aliases=("B",)), Unit("B"), Unit("C"), Unit("D"))),
        "units[1].name",
        "the name 'B' is also used by the unit A.",
    ),
    (
        "same name",
        dataclasses.replace(BASE, units=(Unit("A"), Unit("A"), Unit("C"), Unit("D"))),
        "units[1].name",
        "the unit 'A' is listed twice.",
    ),
    ("unit name empty", with_unit(0, name=" "), "units[0].name", "the text is empty."),
    ("unit name control", with_unit(0, name="A\x1b[2J"), "units[0].name", "control character"),
    ("unit not a Unit", dataclasses.replace(BASE, units=("A", "B")), "units[0]", "expected a Unit"),
    ("one unit", dataclasses.replace(BASE, units=(Unit("A"),)), "units", "at least two units"),
    ("units not a tuple", dataclasses.replace(BASE, units=None), "units", "expected a tuple of units"),
    (
        "physical host",
        dataclasses.replace(BASE, modes=Modes(physical_host="host")),
        "modes.physical_host",
        "'host' is not a role of this committee.",
    ),
    ("modes first", dataclasses.replace(BASE, modes=Modes(first="physical")), "modes.first", "Mode"),
    ("teams link", dataclasses.replace(BASE, modes=Modes(teams_link="teams.example")), "modes.teams_link", "https://"),
    ("alternate", dataclasses.replace(BASE, modes=Modes(alternate="yes")), "modes.alternate", "true or false"),
    (
        "history text date",
        dataclasses.replace(BASE, history=(PastMeeting("2027-01-07", roles={"chair": "A"}),)),
        "history[0].date",
        "found text '2027-01-07'.",
    ),
    (
        "history role to a list",
        dataclasses.replace(BASE, history=(PastMeeting(dt.date(2027, 1, 7), roles={"chair": ["A"]}),)),
        "history[0].roles.chair",
        "expected a unit name",
    ),
    (
        "history roles not a mapping",
        dataclasses.replace(BASE, history=(PastMeeting(dt.date(2027, 1, 7), roles=["A"]),)),
        "history[0].roles",
        "expected a mapping",
    ),
    (
        "history pinned",
        dataclasses.replace(BASE, history=(PastMeeting(dt.date(2027, 1, 7), pinned_roles=("host",)),)),
        "history[0].pinned[0]",
        "'host' is not a role",
    ),
    (
        "history order",
        dataclasses.replace(BASE, history=(PastMeeting(dt.date(2027, 1, 7)), PastMeeting(dt.date(2026, 11, 5)))),
        "history[1].date",
        "date order",
    ),
    (
        "chain to itself",
        dataclasses.replace(BASE, chains=(Chain("chair", "chair"),)),
        "rotation.chains[0].to",
        "from one role to another",
    ),
    ("chain type", dataclasses.replace(BASE, chains=(("chair", "case"),)), "rotation.chains[0]", "expected a Chain"),
    ("rotation order", dataclasses.replace(BASE, rotation=("A", 2)), "rotation.order[1]", "expected text"),
    ("fairness years", dataclasses.replace(BASE, fairness_years=0), "fairness_years", "from 1 to 100"),
    ("secretary", dataclasses.replace(BASE, secretary=Person("S", "not an address")), "secretary.email", "e-mail"),
    ("country", dataclasses.replace(BASE, blackouts=BlackoutRules(country="XX")), "blackouts.country", "'XX'"),
    (
        "school region",
        dataclasses.replace(BASE, blackouts=BlackoutRules(school_regions=("oost",))),
        "blackouts.school_regions[0]",
        "'oost' is not a school-holiday region of NL.",
    ),
    (
        "study day",
        dataclasses.replace(BASE, blackouts=BlackoutRules(study_days=(20270311,))),
        "blackouts.study_days[0]",
        "expected a date",
    ),
    (
        "period backwards",
        dataclasses.replace(BASE, blackouts=BlackoutRules(periods=(Blackout(THURSDAY, dt.date(2027, 3, 1), "x"),))),
        "blackouts.periods[0].end",
        "before it starts",
    ),
    ("cadence type", dataclasses.replace(BASE, cadence=None), "cadence", "expected a Cadence"),
    ("name", dataclasses.replace(BASE, name=""), "name", "the text is empty."),
    ("reserved label", with_role(0, label_nl="Datum"), "roles[0].nl", "the heading of another column"),
    ("agenda", with_role(2, agenda="yes"), "roles[2].agenda", "expected true or false, found text 'yes'."),
    (
        "reminder",
        dataclasses.replace(BASE, invites=rotation.domain.Invites(reminder=-1)),
        "invites.reminder",
        "expected 0 to 10080 minutes before the meeting, found -1.",
    ),
    ("order left out", dataclasses.replace(BASE, rotation=("A", "B", "C")), "rotation.order", "leaves out D."),
    ("order unknown", dataclasses.replace(BASE, rotation=("A", "B", "C", "E")), "rotation.order[3]", "'E' is not"),
    (
        "chain to an unknown role",
        dataclasses.replace(BASE, chains=(Chain("chair", "chiar"),)),
        "rotation.chains[0].to",
        "'chiar' is not a role of this committee (roles: chair, minute_taker, case, knowledge). Did you mean 'chair'?",
    ),
    (
        "unavailable period backwards",
        with_unit(0, unavailable_periods=(Blackout(THURSDAY, dt.date(2027, 3, 1), "x", "unit"),)),
        "units[0].unavailable_periods[0].end",
        "before it starts",
    ),
]


@pytest.mark.parametrize(("committee", "key", "words"), [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_a_committee_built_in_code_gets_a_config_error_naming_the_key(committee, key, words):
    with pytest.raises(rotation.ConfigError) as caught:
        check_committee(committee)
    assert caught.value.key == key
    assert words in str(caught.value)
    with pytest.raises(rotation.ConfigError) as planned:
        rotation.plan(committee, year=2027)
    assert planned.value.key == key


def test_the_message_reads_like_the_files():
    with pytest.raises(rotation.ConfigError) as caught:
        rotation.plan(with_cadence(weekday=7))
    assert str(caught.value) == "key 'cadence.weekday': expected a day from 0 (Monday) to 6 (Sunday), found 7."


def test_lists_are_taken_for_tuples_and_a_good_committee_passes(example):
    check_committee(example)
    check_committee(dataclasses.replace(BASE, units=list(BASE.units), roles=list(BASE.roles)))


def test_a_committee_file_still_names_its_own_line():
    from rotation.config import loads

    with pytest.raises(rotation.ConfigError) as caught:
        loads(
            'name = "X"\nunits = [{ name = "A" }, { name = "B" }]\n'
            'roles = [{ key = "chair" }]\n[cadence]\nend = "09:00"\n'
        )
    assert caught.value.key == "cadence.end"
    assert caught.value.line == 5


def test_not_a_committee():
    with pytest.raises(rotation.ConfigError) as caught:
        rotation.plan("committee.toml")  # type: ignore[arg-type]
    assert caught.value.key == "committee"


# -- garbage in any field -----------------------------------------------------------------------------

GARBAGE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.dates(),
    st.datetimes(),
    st.just(dt.time(9, 0)),
    st.sampled_from(list(Mode)),
    st.builds(Unit, st.text(max_size=4)),
    st.builds(Role, st.text(max_size=4), st.text(max_size=4), st.text(max_size=4)),
    st.builds(Person, st.text(max_size=4)),
    st.just({"chair": "A"}),
    st.just(object()),
)
GARBAGE_OR_LISTS = st.one_of(GARBAGE, st.lists(GARBAGE, max_size=3), st.lists(GARBAGE, max_size=3).map(tuple))

TOP = [f.name for f in dataclasses.fields(Committee) if f.name != "source"]
NESTED = {
    "cadence": [f.name for f in dataclasses.fields(Cadence)],
    "modes": [f.name for f in dataclasses.fields(Modes)],
    "blackouts": [f.name for f in dataclasses.fields(BlackoutRules)],
}


@st.composite
def garbled(draw: st.DrawFn) -> Committee:
    committee = BASE
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(["top", "cadence", "modes", "blackouts", "unit", "role", "fixed", "history"]))
        value = draw(GARBAGE_OR_LISTS)
        if where == "top":
            committee = dataclasses.replace(committee, **{draw(st.sampled_from(TOP)): value})
        elif where in NESTED and isinstance(getattr(committee, where), (Cadence, Modes, BlackoutRules)):
            part = dataclasses.replace(getattr(committee, where), **{draw(st.sampled_from(NESTED[where])): value})
            committee = dataclasses.replace(committee, **{where: part})
        elif where == "unit":
            field = draw(st.sampled_from([f.name for f in dataclasses.fields(Unit)]))
            committee = dataclasses.replace(
                committee, units=(dataclasses.replace(BASE.units[0], **{field: value}), *BASE.units[1:])
            )
        elif where == "role":
            field = draw(st.sampled_from([f.name for f in dataclasses.fields(Role)]))
            committee = dataclasses.replace(
                committee, roles=(dataclasses.replace(BASE.roles[0], **{field: value}), *BASE.roles[1:])
            )
        elif where == "fixed":
            field = draw(st.sampled_from([f.name for f in dataclasses.fields(FixedMeeting)]))
            meeting = dataclasses.replace(FixedMeeting(THURSDAY), **{field: value})
            committee = dataclasses.replace(committee, fixed=(meeting,))
        elif where == "history":
            field = draw(st.sampled_from([f.name for f in dataclasses.fields(PastMeeting)]))
            meeting = dataclasses.replace(PastMeeting(dt.date(2027, 1, 7), roles={"chair": "A"}), **{field: value})
            committee = dataclasses.replace(committee, history=(meeting,))
    return committee


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(garbled())
def test_garbage_in_any_field_raises_only_rotation_errors(committee):
    with contextlib.suppress(rotation.RotationError):
        rotation.plan(committee, year=2027)


def test_a_checked_committee_is_not_checked_again_but_a_changed_one_is(example):
    from rotation import committee_check

    check_committee(example)  # loaded, so checked already: returns at once
    assert vars(example)["_checked"] is True
    changed = dataclasses.replace(example, cadence=dataclasses.replace(example.cadence, weekday=9))
    assert "_checked" not in vars(changed)
    with pytest.raises(rotation.ConfigError):
        committee_check.check_committee(changed)
