"""The examples in docs/reference/python-api.md run and print what the page shows."""

from __future__ import annotations

import contextlib
import doctest
import io
import re
from pathlib import Path
from typing import Any

import pytest

import rotation

PAGE = Path(__file__).resolve().parents[1] / "docs" / "reference" / "python-api.md"


def _section(text: str, heading: str) -> str:
    start = text.index(f"\n{heading}\n")
    following = text.find("\n## ", start + 1)
    return text[start : following if following != -1 else len(text)]


def _blocks(section: str) -> list[tuple[str, str]]:
    """The fenced blocks of a section, as (language, content)."""
    return re.findall(r"^```(\w*)\n(.*?)^```$", section, flags=re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text("utf-8")


@pytest.fixture(scope="module")
def built(page: str) -> tuple[dict[str, Any], str, str]:
    """Run the example of "Building a committee in code": its names, what it printed, what the page shows."""
    blocks = _blocks(_section(page, "## Building a committee in code"))
    code = next(content for language, content in blocks if language == "python")
    shown = next(content for language, content in blocks if language == "")
    names: dict[str, Any] = {"__name__": "example"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(PAGE), "exec"), names)
    return names, out.getvalue(), shown


def test_building_a_committee_in_code_prints_what_the_page_shows(built: tuple[dict[str, Any], str, str]) -> None:
    _, printed, shown = built
    assert printed == shown


def test_the_committee_built_in_code_is_planned_by_its_own_rules(built: tuple[dict[str, Any], str, str]) -> None:
    names, _, _ = built
    committee: rotation.Committee = names["committee"]
    plan: rotation.Plan = names["plan"]
    assert rotation.validate(committee, plan) == []
    assert len(plan.meetings) == committee.cadence.meetings_per_year == 4
    assert {meeting.date.weekday() for meeting in plan.meetings} == {1}  # Tuesdays
    annual = plan.meetings[0]
    assert (annual.date.isoformat(), annual.title, annual.fixed_date) == ("2027-03-09", "Annual meeting", True)
    for before, after in zip(plan.meetings, plan.meetings[1:], strict=False):
        assert after.roles["chair"] == before.roles["minute_taker"]
        assert after.mode is before.mode.other
    following: rotation.Plan = names["following"]
    assert following.meetings[0].roles["chair"] == plan.meetings[-1].roles["minute_taker"]


def test_the_same_committee_from_a_file_gives_the_same_plan(built: tuple[dict[str, Any], str, str]) -> None:
    names, _, _ = built
    text = """
name = "Open data working group"
language = "en"
units = [
  { name = "Amsterdam", venue = "City Hall, Amsterdam" },
  { name = "Rotterdam", short = "RTM", venue = "Timmerhuis, Rotterdam" },
  { name = "Utrecht", venue = "Stadskantoor, Utrecht" },
  { name = "The Hague", aliases = ["Den Haag"], venue = "Atrium, The Hague" },
  { name = "Eindhoven", venue = "Stadhuis, Eindhoven" },
  { name = "Groningen", venue = "Stadhuis, Groningen" },
]
roles = [
  { key = "chair", nl = "voorzitter", en = "chair" },
  { key = "minute_taker", nl = "notulist", en = "minute-taker" },
  { key = "speaker", nl = "spreker", en = "speaker" },
]
[rotation]
chains = [{ from = "minute_taker", to = "chair" }]
[cadence]
weekday = "tuesday"
meetings_per_year = 4
min_gap_weeks = 10
max_gap_weeks = 16
start = "14:00"
end = "16:00"
[[fixed]]
date = 2027-03-09
mode = "physical"
location = "Jaarbeurs, Utrecht"
title = "Annual meeting"
"""
    from_file = rotation.loads(text)
    assert rotation.plan(from_file, year=2027).meetings == names["plan"].meetings


def test_the_interactive_examples_on_the_page(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the examples write files (invites/): into a folder of the test's own
    # doctest reads a closing ``` as expected output: blank the fences first
    text = re.sub(r"^```\w*$", "", page, flags=re.MULTILINE)
    test = doctest.DocTestParser().get_doctest(text, {}, "python-api.md", str(PAGE), 0)
    assert test.examples, "the page has no >>> examples"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    out = io.StringIO()
    runner.run(test, out=out.write)
    assert runner.summarize(verbose=False).failed == 0, out.getvalue()
