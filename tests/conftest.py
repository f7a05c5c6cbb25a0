"""Shared fixtures: the example committee and small committees built in code."""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

import rotation
from rotation.domain import (
    BlackoutRules,
    Cadence,
    Chain,
    Committee,
    FixedMeeting,
    Mode,
    Modes,
    PastMeeting,
    Plan,
    Role,
    Unit,
)

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
EXAMPLE_FILE = str(Path(rotation.__file__).parent / "example" / "committee.toml")
"""The built-in example's committee file, for commands that need a committee file."""


@pytest.fixture(scope="session")
def example() -> Committee:
    return rotation.example()


@pytest.fixture(scope="session")
def example_plan(example: Committee) -> Plan:
    return rotation.plan(example)


def make_committee(
    units: int = 6,
    *,
    chains: bool = True,
    history: Iterable[PastMeeting] = (),
    fixed: Iterable[FixedMeeting] = (),
    cadence: Cadence | None = None,
    blackouts: BlackoutRules | None = None,
    eligible: dict[str, tuple[str, ...]] | None = None,
    unavailable: dict[str, tuple[dt.date, ...]] | None = None,
    language: str = "en",
    **extra: Any,
) -> Committee:
    """A small committee with units named A, B, C, ... and the example's four roles."""
    names = [LETTERS[i] if i < 26 else f"U{i}" for i in range(units)]
    unavailable = unavailable or {}
    eligible = eligible or {}
    return Committee(
        name="Test committee",
        language=language,
        units=tuple(Unit(name, unavailable=unavailable.get(name, ())) for name in names),
        roles=tuple(
            Role(key, key, key, eligible.get(key, ())) for key in ("chair", "minute_taker", "case", "knowledge")
        ),
        chains=(Chain("minute_taker", "chair"), Chain("knowledge", "case")) if chains else (),
        cadence=cadence or Cadence(meetings_per_year=6, min_gap_weeks=8, max_gap_weeks=10),
        modes=Modes(),
        blackouts=blackouts or BlackoutRules(public_holidays=False),
        fixed=tuple(fixed),
        history=tuple(history),
        **extra,
    )


@pytest.fixture
def committee_factory() -> Callable[..., Committee]:
    return make_committee


def plan_valid(committee: Committee, **horizon: Any) -> Plan:
    """Plan and assert that the independent validator finds nothing wrong."""
    plan = rotation.plan(committee, **horizon)
    violations = rotation.validate(committee, plan)
    assert violations == [], "\n".join(map(str, violations))
    return plan


def assert_infeasible(committee: Committee, *rules: str, **horizon: Any) -> rotation.InfeasibleError:
    """Planning fails, and the explanation names each of `rules`."""
    with pytest.raises(rotation.InfeasibleError) as caught:
        rotation.plan(committee, **horizon)
    named = {conflict.rule for conflict in caught.value.conflicts}
    for rule in rules:
        assert rule in named, f"{rule!r} not in {sorted(named)}"
    return caught.value


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_servers() -> Iterator[Callable[[Any], int]]:
    """Start a real aiosmtpd server on 127.0.0.1 with a handler, return its port; all stop after the test."""
    from aiosmtpd.controller import Controller

    started: list[Controller] = []

    def start(handler: Any) -> int:
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        started.append(controller)
        return int(controller.port)

    yield start
    for controller in started:
        controller.stop()


def replace_meeting(plan: Plan, index: int, **changes: Any) -> Plan:
    meetings = list(plan.meetings)
    meetings[index] = dataclasses.replace(meetings[index], **changes)
    return dataclasses.replace(plan, meetings=tuple(meetings))


__all__ = ["EXAMPLE_FILE", "Mode", "assert_infeasible", "make_committee", "plan_valid", "replace_meeting"]
