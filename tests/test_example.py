"""The built-in example committee end to end: the real committee's 2023 planning, goldens, determinism."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import holidays
import pytest
from conftest import EXAMPLE_FILE

import rotation
from rotation.cli import main
from rotation.formats import render

GOLDEN = Path(__file__).parent / "golden" / "plan"
UPDATE = os.environ.get("ROTATION_UPDATE_GOLDEN") == "1"

# What the committee itself planned for 2023 (its minutes), continuing the history.
REAL_2023 = [
    ("2023-03-16", "physical", "Korpsstaf", "Korpsstaf", "Noord-Nederland", "Landelijke Eenheid"),
    ("2023-05-11", "teams", "Midden-Nederland", "Noord-Holland", "Landelijke Eenheid", "Oost-Nederland"),
    ("2023-07-13", "physical", "Noord-Holland", "Rotterdam", "Oost-Nederland", "Korpsstaf"),
    ("2023-09-07", "teams", "Rotterdam", "Koninklijke Marechaussee", "Korpsstaf", "Midden-Nederland"),
    ("2023-11-16", "physical", "Koninklijke Marechaussee", "Den Haag", "Midden-Nederland", "Noord-Holland"),
    ("2024-01-11", "teams", "Den Haag", "Oost-Brabant", "Noord-Holland", "Rotterdam"),
]


def test_example_reproduces_the_committees_own_2023_planning(example_plan):
    got = [
        (
            m.date.isoformat(),
            m.mode.value,
            m.roles["chair"],
            m.roles["minute_taker"],
            m.roles["case"],
            m.roles["knowledge"],
        )
        for m in example_plan.meetings
    ]
    assert got == REAL_2023
    assert example_plan.optimal


def test_example_plan_passes_the_validator(example, example_plan):
    assert rotation.validate(example, example_plan) == []


def test_example_horizon_is_the_twelve_months_after_the_history(example_plan):
    assert example_plan.start == dt.date(2023, 1, 13)
    assert example_plan.end == dt.date(2024, 1, 12)


def test_example_rules_hold_independently(example, example_plan):
    """The issue's checks, written out without the project's validator."""
    public = holidays.country_holidays("NL", years=[2023, 2024])
    meetings = example_plan.meetings
    previous = example.history[-1]
    for meeting in meetings:
        assert meeting.date.weekday() == 3
        assert meeting.date not in public
        assert 56 <= (meeting.date - previous.date).days <= 70
        assert meeting.mode != previous.mode
        previous = meeting
    regular = [m for m in meetings if not m.pinned_roles]
    assert all(len(set(m.roles.values())) == 4 for m in regular)
    pinned = next(m for m in meetings if m.date == dt.date(2023, 3, 16))
    assert pinned.location == "Politieacademie, Leusden" and pinned.fixed_date
    assert dt.date(2023, 6, 22) not in example_plan.dates()  # the study day


def test_example_ids_are_stable_and_unique(example_plan):
    ids = [m.id for m in example_plan.meetings]
    assert ids == ["2023-02", "2023-03", "2023-04", "2023-05", "2023-06", "2024-01"]


@pytest.mark.parametrize(
    ("fmt", "language", "name"),
    [
        ("table", "nl", "example.txt"),
        ("markdown", "en", "example.en.md"),
        ("csv", "nl", "example.csv"),
        ("json", "nl", "example.json"),
    ],
)
def test_golden(example, example_plan, fmt, language, name):
    text = render(fmt, example, example_plan, language)
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(text.encode("utf-8"))
    assert text == path.read_bytes().decode("utf-8")


def test_json_export_fields(example_plan, example):
    data = json.loads(render("json", example, example_plan))
    assert data["committee"] == example.name and data["timezone"] == "Europe/Amsterdam"
    assert data["horizon"] == {"start": "2023-01-13", "end": "2024-01-12"}
    first = data["meetings"][0]
    assert set(first) >= {"id", "date", "start", "end", "mode", "location", "fixed_date", "pinned_roles", "roles"}
    assert first["pinned_roles"] == ["chair", "minute_taker"]
    assert set(first["roles"]) == {"chair", "minute_taker", "case", "knowledge"}


def test_same_input_same_bytes_in_a_fresh_process_on_one_core(example, example_plan):
    """The plan does not depend on the process or the number of cores it may use."""
    code = "from rotation.cli import main; main(['plan', '--format', 'json'])"
    command = [sys.executable, "-c", code]
    if sys.platform.startswith("linux"):
        command = ["taskset", "-c", "0", *command]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert out == render("json", example, example_plan)


def test_year_2027_without_the_years_between_says_what_is_missing(capsys):
    assert main(["plan", "--year", "2027"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout in de periode:") and "12-01-2023" in err and "--no-history" in err
    assert "Traceback" not in err


def test_no_history_starts_afresh(capsys):
    assert main(["plan", "--year", "2026", "--no-history", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["meetings"]) == 6
    assert all(m["date"].startswith("2026-") for m in data["meetings"])


def test_example_command_prints_a_file_that_loads(capsys, tmp_path):
    assert main(["example"]) == 0
    path = tmp_path / "committee.toml"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    assert rotation.load(path).name == rotation.example().name


def test_output_file_is_written_and_matches_stdout(tmp_path, capsys, example, example_plan):
    target = tmp_path / "plan.md"
    assert main(["plan", "--format", "markdown", "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8") == render("markdown", example, example_plan)


def test_history_with_the_pinned_meeting_continues_like_the_committee(example, example_plan):
    """The minutes list the themed meeting (Korpsstaf chair and minutes) without saying it was pinned."""
    held = tuple(rotation.PastMeeting(m.date, m.mode, m.location, dict(m.roles)) for m in example_plan.meetings[:3])
    later = dataclasses.replace(example, history=example.history + held)
    plan = rotation.plan(later)
    assert rotation.validate(later, plan) == []
    assert [dict(m.roles) for m in plan.meetings[:3]] == [dict(m.roles) for m in example_plan.meetings[3:6]]
    assert [m.date for m in plan.meetings[:3]] == [m.date for m in example_plan.meetings[3:6]]


def _example_lines():
    from rotation.config import example_text

    return example_text().splitlines(keepends=True)


def test_adding_a_unit_is_one_line():
    lines = _example_lines()
    at = next(i for i, line in enumerate(lines) if '{ name = "Oost-Brabant"' in line)
    lines.insert(
        at + 1, '  { name = "Limburg", coordinator = "Coördinator Limburg", email = "limburg@example.org" },\n'
    )
    committee = rotation.loads("".join(lines))
    assert committee.order[-1] == "Limburg"
    plan = rotation.plan(committee)
    assert rotation.validate(committee, plan) == []


@pytest.mark.parametrize(
    "leaving", ["Rotterdam", "Zeeland-West-Brabant", "Den Haag", "Noord-Nederland", "Midden-Nederland"]
)
def test_removing_a_unit_is_one_line(leaving):
    lines = [line for line in _example_lines() if f'{{ name = "{leaving}"' not in line]
    committee = rotation.loads("".join(lines))
    assert leaving not in committee.order
    plan = rotation.plan(committee)
    assert rotation.validate(committee, plan) == []
    assert leaving not in {unit for m in plan.meetings for unit in m.roles.values()}
    if any(leaving in past.roles.values() for past in committee.history):
        assert any(f"'{leaving}'" in note for note in plan.notes)  # the history still names it: said, not an error


def test_plan_ics_with_a_stamp_and_a_reminder(tmp_path, capsys):
    folder = tmp_path / "invites"
    assert (
        main(["plan", EXAMPLE_FILE, "--ics", str(folder), "--stamp", "2026-11-28T10:00:00Z", "--reminder", "30"]) == 0
    )
    invite = (folder / "invite-2023-02.ics").read_text(encoding="utf-8")
    assert "DTSTAMP:20261128T100000Z" in invite
    assert "BEGIN:VALARM" in invite and "TRIGGER:-PT30M" in invite
    names = {p.name for p in folder.iterdir()}
    assert {"overview.ics", "plan.json", "delivery.json", "invite-2023-02.ics"} <= names


def test_from_the_2022_history_the_case_rotation_starts_away_from_the_chair_rotation(example):
    """Before 10-11-2022 the minutes record no case or knowledge: that rotation starts half a round from the chairs.

    The committee itself started it at Amsterdam, beside the chair rotation,
    and so Noord-Holland held all four roles in 2023 while Amsterdam and
    Zeeland-West-Brabant held none; staggered, the load is spread.
    """
    early = dataclasses.replace(example, history=tuple(h for h in example.history if h.date <= dt.date(2022, 9, 1)))
    plan = rotation.plan(early, start=dt.date(2022, 9, 2), end=dt.date(2023, 9, 30))
    assert rotation.validate(early, plan) == []
    chairs = [(m.roles["chair"], m.roles["minute_taker"]) for m in plan.meetings[:2]]
    assert chairs == [("Landelijke Eenheid", "Oost-Nederland"), ("Oost-Nederland", "Midden-Nederland")]
    roles_per_unit = Counter(unit for m in plan.meetings if not m.pinned_roles for unit in set(m.roles.values()))
    assert max(roles_per_unit.values()) <= 2, roles_per_unit
    order = early.order
    first_case = order.index(plan.meetings[0].roles["case"])
    assert min(abs(first_case - order.index("Landelijke Eenheid")), 12 - abs(first_case - 3)) >= 4
