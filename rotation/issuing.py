"""What to send so that the attendees' calendars show a plan: invites, updates, cancellations and removals.

`issue` compares a plan as it is now with the record of what was issued that
an earlier plan carries, and makes the files that bring the calendars from
one to the other, with the year overview and the plan with its new record.
`invites` does so for a new plan (what `rotation plan --ics` writes), and
`issue_replan` for the plan `rotation.replan` made after a change. Each
returns an `Issue`, which holds everything in memory; `write_ics` writes its
files into a folder, all together, so that a failure leaves the folder as it
was. `overview` is the year overview of any plan on its own.

When the committee file names no organizer or no attendee addresses, no
invites can be made: the `Issue` then holds only the overview, and says why in
`no_invites`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calendars.ics import IssuedFile
    from rotation.domain import Committee, IssuedMeeting, Plan
    from rotation.replan import Replan

__all__ = ["PLAN_NAME", "Issue", "invites", "issue", "issue_replan", "overview", "same_committee", "write_ics"]

PLAN_NAME = "plan.json"
"""The plan as issued, with its record, in every folder of files to send."""


@dataclasses.dataclass
class Issue:
    """The files made for a plan: what to send, the overview, and the plan with its record of what was issued."""

    committee: Committee
    plan: Plan
    """The plan as issued: the current plan with the new record of what was issued."""
    files: list[IssuedFile]
    """The invites, updates, cancellations and removals to send, in date order."""
    overview: bytes
    """The year overview (overview.ics), to import."""
    stamp: dt.datetime
    """The DTSTAMP of the files."""
    no_invites: str | None = None
    """Why only the overview was made (no organizer, no attendee addresses), or None."""

    def outputs(self, folder: Path) -> list[tuple[Path, bytes]]:
        """The files to write into `folder`: the files to send, the overview, the plan as issued and the
        delivery record (which keeps what an earlier record of the folder says was delivered)."""
        from calendars.ics import OVERVIEW_NAME
        from calendars.outbox import outbox_files
        from rotation.formats import to_json

        also = [(OVERVIEW_NAME, self.overview), (PLAN_NAME, to_json(self.committee, self.plan).encode("utf-8"))]
        return outbox_files(folder, self.committee, self.files, stamp=self.stamp, also=also)

    def stale(self, folder: Path) -> list[str]:
        """The names of the .ics files in `folder` that are not of this issue (`rotation send` refuses them)."""
        from calendars.ics import OVERVIEW_NAME

        written = {file.name for file in self.files} | {OVERVIEW_NAME}
        return sorted(p.name for p in folder.glob("*.ics") if p.name not in written)

    @property
    def uninvited(self) -> list[str]:
        """The units whose coordinator has no e-mail address: the files to send reach no one of theirs."""
        if not self.files:
            return []
        return [unit.name for unit in self.committee.units if not (unit.coordinator and unit.coordinator.email)]


def write_ics(issued: Issue, folder: str | Path, *, also: Sequence[tuple[str | Path, str | bytes]] = ()) -> list[Path]:
    """Write the files of `issued` into `folder`, made when needed, and return their paths.

    The files to send, overview.ics, plan.json (the plan with its new record
    of what was issued) and delivery.json (for `rotation send`) are written
    together with the files of `also` (path, data): each to a temporary file
    first, then all moved into place, so that a failure leaves every earlier
    file as it was. Raises `PlanFileError` when `folder` is a file or a file
    cannot be written.
    """
    from rotation.errors import PlanFileError
    from rotation.files import write_outputs

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise PlanFileError("this is a file, not a folder.", file=str(folder))
    outputs: list[tuple[str | Path, str | bytes]] = [*issued.outputs(folder), *also]
    return write_outputs(outputs)


def issue(
    committee: Committee,
    previous: Plan,
    current: Plan,
    *,
    stamp: dt.datetime | None = None,
    reminder_minutes: int | None = None,
    since: dt.date | None = None,
) -> Issue:
    """The files that bring the attendees from `previous` (its record of what was issued) to `current`.

    Meetings are matched by their id; meetings before `since` were held and
    get nothing. `stamp` is the DTSTAMP of the files (default:
    `calendars.ics.default_stamp`, reproducible); `reminder_minutes` adds a
    reminder before each meeting.
    """
    from calendars.ics import changes, default_stamp, overview
    from rotation.errors import ConfigError

    stamp = stamp or default_stamp(current)
    no_invites = None
    try:
        issued, files = changes(
            committee, previous, current, stamp=stamp, reminder_minutes=reminder_minutes, since=since
        )
    except ConfigError as err:  # no organizer or no attendees: the overview can still be imported
        issued, files = current, []
        no_invites = err.reason
    data = overview(committee, issued, stamp=stamp, reminder_minutes=reminder_minutes)
    return Issue(committee, issued, files, data, stamp, no_invites)


def invites(
    committee: Committee,
    plan: Plan,
    *,
    issued: Iterable[IssuedMeeting] = (),
    stamp: dt.datetime | None = None,
    reminder_minutes: int | None = None,
) -> Issue:
    """The invites for a new plan: one per meeting not yet issued, and the overview.

    Meetings issued before (in `issued`, the record of the plans a new plan
    continues from) keep their SEQUENCE: one that was cancelled and comes back
    is invited with a higher one.
    """
    from rotation.domain import Plan as PlanType

    previous = PlanType(committee.name, plan.timezone, plan.start, plan.end, (), issued=tuple(issued))
    return issue(committee, previous, plan, stamp=stamp, reminder_minutes=reminder_minutes)


def issue_replan(
    committee: Committee,
    issued: Plan,
    result: Replan,
    *,
    stamp: dt.datetime | None = None,
    reminder_minutes: int | None = None,
) -> Issue:
    """The updates, cancellations and removals that bring the attendees from `issued` to the plan of `result`.

    `result` is what `rotation.replan(committee, issued, ...)` returned. The
    record of what was issued that `issued` carries decides; a plan file
    without one (a table, an overview) was issued to the coordinators of
    `committee` as it was before the change, with `reminder_minutes`. The
    coordinators of units that left get a removal; the meeting goes ahead
    for the others. Meetings before the date the replan kept fixed get nothing.
    """
    from calendars.ics import issued_record
    from rotation.errors import ConfigError

    with contextlib.suppress(ConfigError):
        issued = dataclasses.replace(issued, issued=issued_record(committee, issued, reminder_minutes=reminder_minutes))
    return issue(
        result.committee, issued, result.plan, stamp=stamp, reminder_minutes=reminder_minutes, since=result.since
    )


def same_committee(committee: Committee, plan: Plan, path: str | Path) -> None:
    """Refuse a plan (read from `path`) of another committee or time zone than `committee`."""
    from rotation.errors import PlanFileError

    if plan.committee_name and plan.committee_name != committee.name:
        raise PlanFileError(
            f"the planning is for '{plan.committee_name}', but the committee file is for '{committee.name}'; "
            "give the committee file it was made with.",
            file=str(path),
        )
    if plan.timezone != committee.cadence.timezone:
        raise PlanFileError(
            f"the planning is in time zone '{plan.timezone}', but the committee meets in "
            f"'{committee.cadence.timezone}'.",
            file=str(path),
        )


def overview(
    committee: Committee, plan: Plan, *, stamp: dt.datetime | None = None, reminder_minutes: int | None = None
) -> bytes:
    """The year overview (overview.ics, to import) of `plan` as it stands.

    Each meeting carries the SEQUENCE its record of what was issued holds, so
    that importing the overview after a change updates the events issued before.
    """
    from calendars.ics import default_stamp
    from calendars.ics import overview as write_overview

    record = {item.id: item.sequence for item in plan.issued}
    plan = dataclasses.replace(
        plan,
        meetings=tuple(dataclasses.replace(m, sequence=max(m.sequence, record.get(m.id, 0))) for m in plan.meetings),
    )
    return write_overview(committee, plan, stamp=stamp or default_stamp(plan), reminder_minutes=reminder_minutes)
