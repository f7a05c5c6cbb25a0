"""Next year carries on: the chains, the modes, the gap and the fairness counts run over the year boundary."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import make_committee

import rotation
from calendars.ics import overview
from rotation.cli import main
from rotation.domain import Committee, Plan
from rotation.fairness import role_counts
from rotation.formats import read_plan, read_plan_text, to_json
from rotation.formats.csv import to_csv
from rotation.model import history_counts
from rotation.replan import with_history

STAMP = dt.datetime(2023, 1, 13, 9, 0, tzinfo=dt.UTC)


def holders(committee: Committee, plans: list[Plan]) -> list[tuple[str, ...]]:
    return [tuple(m.roles[role] for role in committee.role_keys) for plan in plans for m in plan.meetings]


def example_without_school_holidays(tmp_path: Path) -> Path:
    """The example committee file, without the school holidays (known only up to 2030, and tight in 2024)."""
    text = rotation.config.example_text().replace('school_regions = ["noord", "zuid"]', "school_regions = []")
    assert "school_regions = []" in text
    path = tmp_path / "committee.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_three_years_from_each_others_exports_rotate_as_one_three_year_plan(tmp_path):
    committee_file = example_without_school_holidays(tmp_path)
    committee = rotation.load(committee_file)
    exports: list[Path] = []
    for year in range(3):
        out = tmp_path / f"year-{year + 1}.json"
        history = [arg for path in exports for arg in ("--history", str(path))]
        assert main(["plan", str(committee_file), *history, "--format", "json", "-o", str(out), "-q"]) == 0
        exports.append(out)
    years = [read_plan(path, committee) for path in exports]
    known = committee
    for plan in years:
        assert rotation.validate(known, plan) == []
        known = with_history(known, plan.meetings)
    whole = tmp_path / "three-years.json"
    span = ["--from", years[0].start.isoformat(), "--to", years[-1].end.isoformat(), "--meetings", "18"]
    assert main(["plan", str(committee_file), *span, "--format", "json", "-o", str(whole), "-q"]) == 0
    at_once = read_plan(whole, committee)
    assert rotation.validate(committee, at_once) == []
    assert [len(plan.meetings) for plan in years] == [6, 6, 6]
    assert holders(committee, years) == holders(committee, [at_once])
    # Balanced: over the three years every unit held each role about as often as the others.
    for role in committee.role_keys:
        eligible = committee.eligible(role)
        counts = [sum(m.roles[role] == unit for plan in years for m in plan.meetings) for unit in eligible]
        assert max(counts) - min(counts) <= 1, (role, counts)


@pytest.mark.parametrize("units", [5, 7, 12])
def test_calendar_years_one_after_another_rotate_as_one_plan(units):
    committee = make_committee(units, fairness_years=2)
    years, known = [], committee
    for year in (2025, 2026, 2027):
        plan = rotation.plan(known, year=year)
        assert rotation.validate(known, plan) == []
        years.append(plan)
        # through the JSON export, as next year's planning reads it
        exported = read_plan_text(to_json(known, plan), known)
        known = with_history(known, exported.meetings)
    at_once = rotation.plan(committee, start=dt.date(2025, 1, 1), end=dt.date(2027, 12, 31))
    assert rotation.validate(committee, at_once) == []
    assert holders(committee, years) == holders(committee, [at_once])
    for role in committee.role_keys:
        counts = [sum(m.roles[role] == unit for plan in years for m in plan.meetings) for unit in committee.order]
        assert max(counts) - min(counts) <= 1, (role, counts)
    # a calendar year after a history keeps the rhythm instead of ending on its last Thursday
    assert all(plan.meetings[-1].date <= dt.date(plan.start.year, 12, 24) for plan in years)


def test_next_year_continues_chains_modes_and_gap(example, example_plan):
    following = with_history(example, example_plan.meetings)
    last = example_plan.meetings[-1]
    first = rotation.plan(dataclasses.replace(following, blackouts=rotation.BlackoutRules())).meetings[0]
    assert first.mode is not last.mode
    assert 8 * 7 <= (first.date - last.date).days <= 10 * 7
    assert first.roles["chair"] == last.roles["minute_taker"]
    assert first.roles["case"] == last.roles["knowledge"]


@pytest.mark.parametrize("form", ["json", "csv", "ics"])
def test_history_from_any_export_gives_the_same_next_year(tmp_path, form, capsys):
    committee_file = example_without_school_holidays(tmp_path)
    committee = rotation.load(committee_file)
    plan = rotation.plan(committee)
    exports = {
        "json": to_json(committee, plan).encode(),
        "csv": to_csv(committee, plan).encode(),
        "ics": overview(committee, plan, stamp=STAMP),
    }
    path = tmp_path / f"plan-2023.{form}"
    path.write_bytes(exports[form])
    assert main(["plan", str(committee_file), "--history", str(path), "--format", "json", "-q"]) == 0
    from_export = json.loads(capsys.readouterr().out)
    expected = rotation.plan(with_history(committee, plan.meetings))
    assert [(m["date"], m["roles"]) for m in from_export["meetings"]] == [
        (m.date.isoformat(), dict(m.roles)) for m in expected.meetings
    ]


def test_with_history_keeps_the_history_where_dates_overlap(example, example_plan):
    once = with_history(example, example_plan.meetings)
    twice = with_history(once, example_plan.meetings)
    assert twice.history == once.history
    assert len(once.history) == len(example.history) + len(example_plan.meetings)


def test_fairness_counts_match_what_the_model_balances(example, example_plan):
    following = with_history(example, example_plan.meetings)
    counts = role_counts(following)
    model = history_counts(following, following.history[-1].date + dt.timedelta(days=1))
    assert {(c.role, c.unit): c.past for c in counts if c.past} == model


def test_fairness_counts_history_and_plan_over_the_window():
    committee = make_committee(6, fairness_years=1)
    first = rotation.plan(committee, year=2025)
    following = with_history(committee, first.meetings)
    second = rotation.plan(following, year=2026)
    counts = {(c.unit, c.role): c for c in role_counts(following, second)}
    # a whole year of history counts (the window is one year back from the plan's start)
    assert sum(c.past for c in counts.values()) == 4 * len(first.meetings)
    assert sum(c.planned for c in counts.values()) == 4 * len(second.meetings)
    # with a shorter window, the early meetings of 2025 drop out
    later = role_counts(following, dataclasses.replace(second, start=dt.date(2026, 7, 1)))
    assert sum(c.past for c in later) < 4 * len(first.meetings)


def test_waited_longest_is_the_unit_whose_last_turn_is_oldest():
    committee = make_committee(6)
    plan = rotation.plan(committee, year=2025)
    counts = role_counts(committee, plan)
    for role in committee.role_keys:
        flagged = [c for c in counts if c.role == role and c.waited_longest]
        others = [c for c in counts if c.role == role and not c.waited_longest]
        assert flagged
        for c in flagged:
            assert c.last is None or all(o.last is not None and o.last > c.last for o in others)


def test_fairness_command_prints_counts_and_who_waited_longest(tmp_path, capsys, example, example_plan):
    path = tmp_path / "plan-2023.json"
    path.write_text(to_json(example, example_plan), encoding="utf-8")
    assert main(["fairness", "--plan", str(path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Turns per unit and role: history since 2020-01-13 + plan 2023-03-16 – 2024-01-11\n")
    row = next(line for line in out.splitlines() if line.startswith("Oost-Brabant "))
    assert row.split() == ["Oost-Brabant", "0+0", "*", "0+1", "0+0", "*", "0+0", "*"]
    assert next(line for line in out.splitlines() if line.startswith("Korpsstaf ")).split()[1] == "0+1"  # pinned
    assert "  chair: Amsterdam, Oost-Brabant (never)" in out
