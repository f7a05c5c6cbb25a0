"""Alternatives: distinct good plans, the best first, each described by its trade-off."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import make_committee

import rotation
from rotation.alternatives import alternatives, score, tradeoff
from rotation.cli import main
from rotation.domain import FixedMeeting, Mode
from rotation.horizon import choose_horizon
from rotation.model import PREFERENCES


def identity(plan: rotation.Plan) -> tuple[object, ...]:
    return tuple((m.date, tuple(sorted(m.roles.items()))) for m in plan.meetings)


@pytest.fixture(scope="module")
def three():
    return alternatives(rotation.example(), 3)


def test_the_first_alternative_is_the_plan(three, example_plan):
    assert three[0].plan.meetings == example_plan.meetings
    assert three[0].tradeoff == ""
    assert (three[0].dates, three[0].holders) == (0, 0)


def test_alternatives_are_distinct_and_valid(three, example):
    assert len(three) == 3
    assert len({identity(item.plan) for item in three}) == 3
    for item in three:
        assert rotation.validate(example, item.plan) == []


def test_no_alternative_scores_better_than_the_best(three):
    names = [rule.name for rule in PREFERENCES]
    assert list(three[0].scores) == names
    best = [three[0].scores[name] for name in names]
    for item in three[1:]:
        assert [item.scores[name] for name in names] >= best
        assert item.tradeoff


def test_score_of_the_plan_is_its_objective(example, example_plan):
    horizon = choose_horizon(example)
    scores = score(example, horizon, example_plan)
    assert set(scores) == {rule.name for rule in PREFERENCES}
    assert all(value >= 0 for value in scores.values())
    assert scores["Rotation order"] == 0


def test_tradeoff_names_gains_then_losses_and_what_differs(example, example_plan):
    other = rotation.plan(example)
    best = {"Rotation order": 0, "Balanced turns": 4, "Preferred weeks": 0, "Even spread": 93}
    worse = {"Rotation order": 2, "Balanced turns": 4, "Preferred weeks": 1, "Even spread": 71}
    text = tradeoff(example, example_plan, best, other, worse, language="en")
    assert text == (
        "evener gaps (8 to 10 weeks), further from the rotation order, 1 more meeting outside the preferred weeks"
    )
    assert tradeoff(example, example_plan, best, other, best, language="nl") == "even goed"


def test_only_one_plan_possible_gives_one():
    pinned = {"chair": "A", "minute_taker": "B", "case": "C", "knowledge": "D"}
    committee = make_committee(4, fixed=(FixedMeeting(dt.date(2027, 3, 4), mode=Mode.TEAMS, roles=pinned),))
    found = alternatives(committee, 3, start=dt.date(2027, 3, 1), end=dt.date(2027, 3, 31), meetings=1)
    assert len(found) == 1


def test_plan_command_shows_alternatives_with_their_tradeoffs(capsys):
    assert main(["plan", "--alternatives", "2", "--lang", "en", "-q"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Alternative 1 of 2: the best plan\n\nDate ")
    second = next(line for line in out.splitlines() if line.startswith("Alternative 2 of 2: "))
    assert second.endswith("; 2023-09-14 instead of 2023-09-07")


def test_plan_command_writes_alternatives_as_json(capsys):
    assert main(["plan", "--alternatives", "2", "--format", "json", "-q"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [bool(item["tradeoff"]) for item in data["alternatives"]] == [False, True]
    assert data["alternatives"][0]["plan"]["meetings"][0]["date"] == "2023-03-16"


def test_alternatives_need_a_text_format(capsys):
    assert main(["plan", "--alternatives", "2", "--format", "csv"]) == 2
    assert "--alternatives writes a table" in capsys.readouterr().err
