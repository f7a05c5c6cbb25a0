"""Removals for the coordinators of the units that left: the meetings to come leave their calendars only."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from rotation.domain import Committee

if TYPE_CHECKING:
    from calendars.ics import IssuedFile
    from rotation.replan import Replan


def farewells(
    committee: Committee, result: Replan, *, stamp: dt.datetime
) -> tuple[list[tuple[str, IssuedFile]], list[str]]:
    """Removals for the coordinators of the units that left, one per meeting from the change date on.

    `committee` is the committee as given to `replan` (with the coordinators
    of the units that leave). Each file is a ``METHOD:CANCEL`` without
    ``STATUS:CANCELLED`` (`calendars.ics.removal`), with the meeting's UID and
    SEQUENCE one above the one last sent, addressed to the departed
    coordinator only: Outlook then removes the meeting from that calendar and
    leaves it in everyone else's. (``rotation replan --ics`` and
    `calendars.ics.changes` make these from the record of what was issued.) Meetings cancelled for everyone
    are left out (their cancellation already reaches everyone invited).
    Returns them as (unit, file) pairs, in date order per unit.

    Also returns the units whose coordinator cannot be reached this way (no
    e-mail address, or the address is still invited for another unit or is
    the secretary's), for the secretary to remove from the invites by hand.
    """
    import re

    from calendars.ics import IssuedFile, removal

    cancelled = {meeting.id for meeting in result.cancelled}
    meetings = sorted(
        (m for m in result.reference.meetings if m.date >= result.since and m.id not in cancelled),
        key=lambda meeting: (meeting.date, meeting.start, meeting.id),
    )
    leaving = set(result.asked.remove_units)
    staying = {
        unit.coordinator.email.casefold()
        for unit in committee.units
        if unit.name not in leaving and unit.coordinator is not None and unit.coordinator.email
    }
    if committee.secretary is not None and committee.secretary.email:
        staying.add(committee.secretary.email.casefold())
    files: list[tuple[str, IssuedFile]] = []
    by_hand: list[str] = []
    for name in result.asked.remove_units:
        unit = committee.unit(name)
        person = unit.coordinator
        if person is None or not person.email or person.email.casefold() in staying:
            by_hand.append(unit.name)
            continue
        part = re.sub(r"[^A-Za-z0-9._-]+", "-", unit.name).strip("-.") or "unit"
        whom = ((person.name, person.email),)
        for meeting in meetings:
            gone = dataclasses.replace(meeting, sequence=meeting.sequence + 1)
            data = removal(committee, gone, whom, stamp=stamp)
            meeting_part = re.sub(r"[^A-Za-z0-9._-]+", "-", meeting.id).strip("-.") or "meeting"
            name = f"remove-{meeting_part}-{gone.sequence}-{part}.ics"
            files.append((unit.name, IssuedFile(name, "remove", gone, data, whom)))
    return files, by_hand
