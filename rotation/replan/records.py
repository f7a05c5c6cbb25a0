"""What a replan is asked (`Changes`) and what it gives back (`Replan`, each `Change` with its reason)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rotation.domain import Committee, Meeting, Plan

if TYPE_CHECKING:
    from rotation.validate import Violation

__all__ = ["Change", "ChangeKind", "Changes", "Replan"]

ChangeKind = Literal["date", "mode", "location", "role", "cancel"]


@dataclass(frozen=True)
class Changes:
    """What changed since the plan was issued (the options of ``rotation replan``)."""

    moves: tuple[tuple[dt.date, dt.date], ...] = ()
    """Pairs (date as issued, new date)."""
    cancel: tuple[dt.date, ...] = ()
    """Dates of issued meetings that will not take place."""
    unavailable: tuple[tuple[str, dt.date], ...] = ()
    """Pairs (unit, date): the unit cannot hold a role that day."""
    add_units: tuple[str, ...] = ()
    """Units that join; they take part in every role and come last in the rotation order."""
    remove_units: tuple[str, ...] = ()
    """Units that leave."""
    start: dt.date | None = None
    """The date from which the changes apply (``--from``); meetings before it stay as issued."""

    def dates(self) -> list[dt.date]:
        """Every date the changes name."""
        return [*(day for pair in self.moves for day in pair), *self.cancel, *(day for _, day in self.unavailable)]


@dataclass(frozen=True)
class Change:
    """One difference between the issued plan and the new one."""

    meeting: str
    """The meeting's id (the same in both plans)."""
    date: dt.date
    """The meeting's date as issued."""
    kind: ChangeKind
    old: str
    """The value as issued: an ISO date, a mode, a location, a unit name."""
    new: str
    """The new value ("" for a cancelled meeting)."""
    role: str | None = None
    """The role key, for a changed role holder."""
    reason: str = ""
    """Why, in the committee's language (or the one asked for)."""


@dataclass(frozen=True)
class Replan:
    """The outcome of `replan`."""

    reference: Plan
    """The plan as issued."""
    plan: Plan
    """The new plan: the held meetings as issued, then the replanned ones, each with its id and SEQUENCE as issued."""
    committee: Committee
    """The committee as it is now: units joined or left, new unavailable dates, moved meetings
    fixed, and the held meetings in its history. Validate the replanned meetings against it."""
    changes: tuple[Change, ...]
    """What differs from the issued plan, in date order."""
    cancelled: tuple[Meeting, ...]
    """Issued meetings that no longer take place."""
    broken: tuple[Violation, ...]
    """Rules the new plan breaks because of the change (a cancellation leaves a longer gap); usually empty."""
    held: int
    """How many issued meetings were before the change date and stayed as they were."""
    since: dt.date = dt.date.min
    """The first date that could change: the issued meetings before it stayed as they were."""
    asked: Changes = Changes()
    """The changes as asked, with unit names as the committee spells them."""
    language: str = "nl"
    """The language of the reasons and of `broken`."""
    notice_until: dt.date | None = None
    """Meetings before this date kept their role holders unless the change forced otherwise."""

    @property
    def replanned(self) -> Plan:
        """The part of `plan` that was planned again (from the first meeting after the held ones)."""
        meetings = self.plan.meetings[self.held :]
        start = self.committee.history[-1].date + dt.timedelta(days=1) if self.committee.history else self.plan.start
        start = max(start, self.since)
        return dataclasses.replace(self.plan, start=start, meetings=meetings)

    @property
    def updated(self) -> tuple[str, ...]:
        """Ids of the meetings that changed and need an update."""
        seen: list[str] = []
        for change in self.changes:
            if change.kind != "cancel" and change.meeting not in seen:
                seen.append(change.meeting)
        return tuple(seen)
