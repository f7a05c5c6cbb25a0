"""A planning read back from the year overview (overview.ics) that `rotation issue` writes.

The overview itself is written by `calendars.ics.overview`; this reader turns it
back into the plan that was sent, with each meeting's SEQUENCE, from the
``X-ROTATION-*`` properties described in docs/reference/icalendar.md.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from calendars.ics import X_COMMITTEE, X_FIXED, X_HORIZON, X_ID, X_MODE, X_ROLE, X_TITLE
from rotation.domain import Meeting, Mode, Plan
from rotation.errors import PlanFileError

if TYPE_CHECKING:
    from icalendar import Calendar, Component

__all__ = ["read_overview", "read_overview_text"]


def read_overview(path: str | Path) -> Plan:
    """Read back a year overview written by `overview`, as the plan that was issued.

    Raises `PlanFileError` naming the file and the line when the file is not
    iCalendar, not an overview of this program, or a meeting lacks a value.
    """
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        raise PlanFileError(f"cannot be read: {err.strerror or err}.", file=source) from err
    return read_overview_text(raw, source=source)


def read_overview_text(data: bytes | str, *, source: str = "<overview>") -> Plan:
    """`read_overview` for the file's content; `source` names the file in messages."""
    from icalendar import Calendar

    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise PlanFileError("is not UTF-8 text, so it is not an iCalendar file.", file=source) from err
    else:
        text = data
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise PlanFileError("is not an iCalendar file: it does not start with BEGIN:VCALENDAR.", file=source, line=1)
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except ValueError as err:
        raise PlanFileError(f"is not valid iCalendar: {err}", file=source) from err
    if len(calendars) != 1:
        raise PlanFileError(f"holds {len(calendars)} calendars; an overview holds one.", file=source)
    calendar = calendars[0]
    committee = _text(calendar.get(X_COMMITTEE))
    if not committee:
        raise PlanFileError(
            f"is not a year overview written by rotation: it has no {X_COMMITTEE} property. "
            "Give the overview.ics that rotation wrote, or the plan's JSON export.",
            file=source,
        )
    method = _text(calendar.get("METHOD")).upper()
    if method not in ("PUBLISH", ""):
        raise PlanFileError(
            f"is a METHOD:{method or '(none)'} file, not a year overview (METHOD:PUBLISH); "
            "give the overview.ics, not an invite.",
            file=source,
        )
    lines = _event_lines(text)
    events = list(calendar.walk("VEVENT"))
    meetings = [_read_event(event, source, lines[i] if i < len(lines) else None) for i, event in enumerate(events)]
    zones = {zone for _, zone in meetings}
    if len(zones) > 1:
        raise PlanFileError(f"mixes time zones ({', '.join(sorted(zones))}); an overview uses one.", file=source)
    plan_meetings = tuple(meeting for meeting, _ in meetings)
    seen: dict[str, int] = {}
    for index, meeting in enumerate(plan_meetings):
        if meeting.id in seen:
            raise PlanFileError(
                f"has two meetings with id '{meeting.id}' (the other at line {lines[seen[meeting.id]]}).",
                file=source,
                line=lines[index] if index < len(lines) else None,
            )
        seen[meeting.id] = index
    start, end = _horizon(calendar, plan_meetings, source)
    timezone = zones.pop() if zones else "UTC"
    return Plan(committee_name=committee, timezone=timezone, start=start, end=end, meetings=plan_meetings)


def _event_lines(text: str) -> list[int]:
    """The line number of each ``BEGIN:VEVENT``, in order."""
    return [number for number, line in enumerate(text.splitlines(), 1) if line.strip().upper() == "BEGIN:VEVENT"]


def _read_event(event: Component, source: str, line: int | None) -> tuple[Meeting, str]:
    def fail(message: str) -> PlanFileError:
        return PlanFileError(message, file=source, line=line)

    meeting_id = _text(event.get(X_ID))
    if not meeting_id:
        raise fail(
            f"this event has no {X_ID}, so it was not written by rotation; "
            "give the overview.ics that rotation wrote, or the plan's JSON export."
        )
    if event.errors:
        name, problem = event.errors[0]
        raise fail(f"meeting '{meeting_id}': {name} cannot be read ({problem}).")
    start = _moment(event, "DTSTART", meeting_id, fail)
    end = _moment(event, "DTEND", meeting_id, fail)
    zone = str(event["DTSTART"].params.get("TZID", ""))
    if zone != str(event["DTEND"].params.get("TZID", "")):
        raise fail(f"meeting '{meeting_id}': DTSTART and DTEND are in different time zones.")
    from calendars.blackouts import check_timezone

    zone_problem = check_timezone(zone)
    if zone_problem:
        raise fail(f"meeting '{meeting_id}': TZID {zone_problem}")
    tz = zoneinfo.ZoneInfo(zone)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    if local_start.date() != local_end.date() or local_end <= local_start:
        raise fail(f"meeting '{meeting_id}': it must start and end on the same day, ending after it starts.")
    mode_text = _text(event.get(X_MODE)).lower()
    try:
        mode = Mode(mode_text)
    except ValueError as err:
        raise fail(f"meeting '{meeting_id}': {X_MODE} is '{mode_text}', not 'teams' or 'physical'.") from err
    roles: dict[str, str] = {}
    pinned: list[str] = []
    for prop in _all(event.get(X_ROLE)):
        role = str(prop.params.get("ROLE", ""))
        if not role:
            raise fail(f"meeting '{meeting_id}': an {X_ROLE} line has no ROLE parameter.")
        roles[role] = _unescaped(prop)
        if str(prop.params.get("PINNED", "")).upper() == "TRUE":
            pinned.append(role)
    sequence = event.get("SEQUENCE", 0)
    meeting = Meeting(
        id=meeting_id,
        date=local_start.date(),
        start=local_start.time().replace(tzinfo=None),
        end=local_end.time().replace(tzinfo=None),
        mode=mode,
        location=_text(event.get("LOCATION")),
        roles=roles,
        fixed_date=_text(event.get(X_FIXED)).upper() == "TRUE",
        pinned_roles=tuple(pinned),
        title=_text(event.get(X_TITLE)) or None,
        sequence=int(sequence),
    )
    return meeting, zone


def _moment(event: Component, name: str, meeting_id: str, fail: Callable[[str], PlanFileError]) -> dt.datetime:
    prop = event.get(name)
    value = getattr(prop, "dt", None)
    if not isinstance(value, dt.datetime) or value.tzinfo is None or "TZID" not in prop.params:
        raise fail(f"meeting '{meeting_id}': {name} must be a date and time with a TZID.")
    return value


def _horizon(calendar: Calendar, meetings: Sequence[Meeting], source: str) -> tuple[dt.date, dt.date]:
    text = _text(calendar.get(X_HORIZON))
    if text:
        try:
            first, last = (dt.date.fromisoformat(part) for part in text.split("/"))
        except ValueError as err:
            raise PlanFileError(
                f"{X_HORIZON} is '{text}', not two dates as 2027-01-01/2027-12-31.", file=source
            ) from err
        return first, last
    dates = [meeting.date for meeting in meetings]
    if not dates:
        raise PlanFileError(f"has no meetings and no {X_HORIZON}.", file=source)
    return min(dates), max(dates)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return _unescaped(value).strip()


def _unescaped(value: object) -> str:
    """The text of an X- property.

    rotation writes them with ``VALUE=TEXT``, so that icalendar (like every
    other reader) reads them as escaped text and gives them back unescaped;
    files of older versions wrote them without escaping, as they are read.
    """
    return str(value)


def _all(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
