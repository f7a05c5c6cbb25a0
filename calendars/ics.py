"""iCalendar files for Outlook: the year overview, invites, updates and cancellations.

Every file follows the project's Outlook checklist (``docs/reference/icalendar.md``):

- the year overview (`overview`) is ``METHOD:PUBLISH`` with every meeting and
  a calendar name, without ORGANIZER or ATTENDEE, for importing;
- an invite or update (`invite`) is ``METHOD:REQUEST`` with exactly one meeting,
  the secretary as ORGANIZER and every unit coordinator as ATTENDEE;
- a cancellation (`cancellation`) is ``METHOD:CANCEL`` with the same UID, a
  higher SEQUENCE and ``STATUS:CANCELLED``;
- `changes` compares the plan that was sent before with the current one and
  returns only the updates and cancellations to send.

A meeting's UID is derived from the committee's name and the meeting's id, never
from its date, so a moved meeting replaces itself in Outlook instead of
appearing twice. Times are local times with ``TZID`` and a rule-based VTIMEZONE
(`calendars.vtimezone`). The time stamp is passed in: the same plan and stamp
give the same bytes.

The overview carries ``X-ROTATION-*`` properties (meeting id, mode, role
holders, horizon) so that `rotation.formats.ics.read_overview` can read it back
as the plan that was sent.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from calendars.vtimezone import check_times, vtimezone
from rotation.domain import Committee, IssuedMeeting, Meeting, Mode, Person, Plan
from rotation.errors import ConfigError, PlanFileError, RotationError
from rotation.files import write_folder
from rotation.messages import catalogue, gettext

if TYPE_CHECKING:
    from icalendar import Component, Event, vCalAddress

__all__ = [
    "NAMESPACE",
    "X_COMMITTEE",
    "X_FIXED",
    "X_HORIZON",
    "X_ID",
    "X_MODE",
    "X_ROLE",
    "X_TITLE",
    "IssuedFile",
    "attendee_list",
    "cancellation",
    "changes",
    "invite",
    "issued_record",
    "meeting_uid",
    "overview",
    "removal",
    "shown",
    "summary",
    "write_ics_dir",
    "write_issued",
]

NAMESPACE = uuid.UUID("5c1d8a36-5f3e-5b1e-9d0c-7a0f4b6e2c91")
"""The namespace of the uuid5 UIDs: ``uuid5(NAMESPACE, "<committee name>\\n<meeting id>")``."""

PRODUCT_VERSION = "0.1"
"""The version in PRODID; it changes only when the files' layout changes."""

OVERVIEW_NAME = "overview.ics"

Kind = Literal["new", "update", "cancel", "remove"]

X_COMMITTEE = "X-ROTATION-COMMITTEE"
X_HORIZON = "X-ROTATION-HORIZON"
X_ID = "X-ROTATION-MEETING-ID"
X_MODE = "X-ROTATION-MODE"
X_ROLE = "X-ROTATION-ROLE"
X_TITLE = "X-ROTATION-TITLE"
X_FIXED = "X-ROTATION-FIXED-DATE"
"""The properties that carry the plan; `rotation.formats.ics` reads the overview back by them."""
_BUSY = "X-MICROSOFT-CDO-BUSYSTATUS"
_TEAMS_URL = "X-MICROSOFT-SKYPETEAMSMEETINGURL"
_NO_COUNTER = "X-MICROSOFT-DISALLOW-COUNTER"
_TEXT = {"VALUE": "TEXT"}
"""X- properties that hold text say so, so that every reader unescapes them (RFC 5545 §3.2.20)."""
_SEEN = (
    "SUMMARY",
    "LOCATION",
    "DESCRIPTION",
    "URL",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-DISALLOW-COUNTER",
)
"""Event properties an attendee sees, besides the times, the organizer and the reminder."""

_AGENDA_BEFORE = ("opening", "minutes", "actions")
_AGENDA_AFTER = ("other_business", "closing")
"""The fixed items of an invite's agenda (``invite.agenda.<item>``), before and after the roles that are on it."""


@dataclass(frozen=True)
class IssuedFile:
    """One file to send: a new invite, an update, a cancellation or a removal of one meeting."""

    name: str
    """``invite-<id>.ics``, ``update-<id>-<sequence>.ics``, ``cancel-<id>-<sequence>.ics`` or
    ``remove-<id>-<sequence>.ics``."""
    kind: Kind
    """``new`` (an invite), ``update``, ``cancel`` (the meeting is off for everyone) or ``remove``
    (the attendees in the file are no longer invited; the meeting goes ahead for the others)."""
    meeting: Meeting
    """The meeting as issued, with the SEQUENCE written in the file."""
    data: bytes
    recipients: tuple[tuple[str, str], ...] = ()
    """(name, e-mail address) of everyone the file goes to: the ATTENDEEs of the file."""
    newcomers: tuple[str, ...] = ()
    """Addresses among the recipients of an update who did not hold the meeting: for them it is an invite."""

    @property
    def method(self) -> str:
        return "CANCEL" if self.kind in ("cancel", "remove") else "REQUEST"


def meeting_uid(committee: Committee, meeting: Meeting) -> str:
    """The UID of a meeting: the same for as long as the meeting's id stays the same.

    >>> from rotation.domain import Committee, Meeting, Mode
    >>> import datetime as dt
    >>> c = Committee(name="Overleg", units=(), roles=())
    >>> m = Meeting("2027-01", dt.date(2027, 1, 14), dt.time(10), dt.time(12), Mode.TEAMS, "", {})
    >>> meeting_uid(c, m) == meeting_uid(c, m.__class__(**{**m.__dict__, "date": dt.date(2027, 1, 21)}))
    True
    """
    return str(uuid.uuid5(NAMESPACE, f"{committee.name}\n{meeting.id}"))


def summary(committee: Committee, meeting: Meeting) -> str:
    """The title of the appointment: ``<committee> – MS Teams`` or ``<committee> – Fysiek``.

    A meeting with a title of its own (a themed meeting fixed in advance) adds it:
    ``<committee> – Fysiek – Themabijeenkomst corruptie``.
    """
    text = f"{committee.name} – {_word(committee, meeting.mode.value)}"
    if meeting.title:
        text += " – " + " ".join(meeting.title.split())
    return text


def overview(
    committee: Committee,
    plan: Plan,
    *,
    stamp: dt.datetime,
    reminder_minutes: int | None = None,
) -> bytes:
    """The year overview: ``METHOD:PUBLISH`` with every meeting of `plan`, for importing.

    It names the calendar (``X-WR-CALNAME``) and has no ATTENDEE, so Outlook
    adds the meetings as appointments without asking for a reply. Each event
    names the secretary as ORGANIZER, which RFC 5546 §3.2.1 requires of a
    PUBLISH; a committee without a secretary's address gets a calendar without
    METHOD instead, which needs no ORGANIZER.
    """
    from icalendar import Calendar, vText

    _check_plan(committee, plan)
    publish = _has_organizer(committee)
    meetings = sorted(plan.meetings, key=lambda m: (m.date, m.start, m.id))
    events = [
        _event(committee, meeting, stamp=stamp, method="PUBLISH", reminder_minutes=reminder_minutes)
        for meeting in meetings
    ]
    calendar = Calendar.new(
        prodid=_prodid(committee),
        method="PUBLISH" if publish else None,
        calscale="GREGORIAN",
        uid=uuid.uuid5(NAMESPACE, f"{committee.name}\noverview"),
        subcomponents=[_zone(committee, meetings), *events],
    )
    # Calendar.new(name=...) writes the name without escaping it; added as text, icalendar escapes it
    calendar.add("NAME", vText(committee.name))
    calendar.add("X-WR-CALNAME", vText(committee.name), parameters=_TEXT)
    calendar.add(X_COMMITTEE, vText(committee.name), parameters=_TEXT)
    calendar.add(X_HORIZON, f"{plan.start.isoformat()}/{plan.end.isoformat()}")
    return bytes(calendar.to_ical())


def _has_organizer(committee: Committee) -> bool:
    return committee.secretary is not None and bool(committee.secretary.email)


def invite(
    committee: Committee,
    meeting: Meeting,
    *,
    stamp: dt.datetime,
    reminder_minutes: int | None = None,
) -> bytes:
    """An invite, or an update when `meeting.sequence` is above 0: ``METHOD:REQUEST`` with one meeting.

    The secretary is the ORGANIZER and every unit coordinator with an e-mail
    address an ATTENDEE who is asked to reply. Raises `ConfigError` when the
    committee has no secretary's address or no coordinator's address.
    """
    return _single(committee, meeting, stamp=stamp, method="REQUEST", reminder_minutes=reminder_minutes)


def cancellation(
    committee: Committee,
    meeting: Meeting,
    *,
    stamp: dt.datetime,
    attendees: Sequence[tuple[str, str]] | None = None,
) -> bytes:
    """A cancellation: ``METHOD:CANCEL``, ``STATUS:CANCELLED``, the meeting's UID.

    Pass the meeting with its SEQUENCE already raised by one above the last one
    sent (`changes` does that), otherwise Outlook ignores the cancellation.
    `attendees` ((name, address) pairs) are those who hold the meeting; by
    default every coordinator of the committee.
    """
    return _single(committee, meeting, stamp=stamp, method="CANCEL", reminder_minutes=None, attendees=attendees)


def removal(
    committee: Committee,
    meeting: Meeting,
    attendees: Sequence[tuple[str, str]],
    *,
    stamp: dt.datetime,
) -> bytes:
    """A removal: ``METHOD:CANCEL`` to `attendees` only, without ``STATUS:CANCELLED``.

    The meeting goes ahead for everyone else; only those listed are no longer
    invited (RFC 5546 §3.2.5: "If uninviting specific Attendees then [STATUS]
    MUST NOT be included"). Their Outlook removes the meeting from their
    calendar. Pass the meeting with a SEQUENCE above the last one sent.
    """
    if not attendees:
        raise RotationError("a removal needs at least one attendee to remove.")
    return _single(
        committee, meeting, stamp=stamp, method="CANCEL", reminder_minutes=None, attendees=attendees, uninvite=True
    )


def attendee_list(committee: Committee) -> tuple[tuple[str, str], ...]:
    """(name, e-mail address) of every coordinator who is invited, in the order of the units.

    The secretary (the organizer) and an address given twice are left out.
    Raises `ConfigError` when no coordinator has an address.
    """
    return tuple((str(a.params.get("CN", "")), _mailbox(a)) for a in _attendees(committee))


def shown(committee: Committee, meeting: Meeting, *, reminder_minutes: int | None = None) -> dict[str, str]:
    """What an attendee sees of a meeting in an invite, property by property.

    These are the values `changes` compares with the record of what was issued:
    when any of them differs, the meeting is sent again. The attendees are
    compared separately.
    """
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    event = _event(committee, meeting, stamp=epoch, method="REQUEST", reminder_minutes=reminder_minutes)
    return _seen(event)


def issued_record(
    committee: Committee, plan: Plan, *, reminder_minutes: int | None = None
) -> tuple[IssuedMeeting, ...]:
    """The record of what was issued for `plan`: its own (`plan.issued`), else made from its meetings.

    A plan without a record (a JSON export of an earlier version, an
    overview.ics) is taken as issued as it stands: every meeting with its
    SEQUENCE, to the committee's coordinators of today, showing what an invite
    for it would show today.
    """
    if plan.issued:
        return plan.issued
    attendees = attendee_list(committee)
    return tuple(
        IssuedMeeting(
            id=meeting.id,
            uid=meeting_uid(committee, meeting),
            sequence=meeting.sequence,
            attendees=attendees,
            shown=shown(committee, meeting, reminder_minutes=reminder_minutes),
        )
        for meeting in plan.meetings
    )


def changes(
    committee: Committee,
    previous: Plan,
    current: Plan,
    *,
    stamp: dt.datetime,
    reminder_minutes: int | None = None,
    since: dt.date | None = None,
) -> tuple[Plan, list[IssuedFile]]:
    """What to send now that `current` replaces the `previous`ly issued plan.

    The record of what was issued (`previous.issued`, or see `issued_record`)
    decides, meeting by meeting (matched by UID, that is by id):

    - a meeting never issued gets an invite (``new``) with its SEQUENCE (0);
    - a meeting whose attendees would see anything else (date, times, place,
      title, role holders, join link, organizer, reminder, the attendee list)
      is sent again to every attendee with SEQUENCE one higher (``update``);
    - an attendee who is no longer invited (a unit left, a coordinator
      changed) gets a removal (``remove``, to them only, the meeting not
      cancelled) with that same SEQUENCE;
    - a meeting of `previous` that is no longer in `current` is cancelled
      (``cancel``) to everyone who holds it, SEQUENCE one higher;
    - a cancelled meeting that returns gets an invite with SEQUENCE one above
      its cancellation;
    - meetings before `since` (held already) are left as they were issued.

    Returns `current` with every meeting's SEQUENCE and the new record
    (`Plan.issued`, cancelled meetings included), and the files, in date order.
    """
    if previous.committee_name and current.committee_name and previous.committee_name != current.committee_name:
        raise PlanFileError(
            f"the previously issued plan is for '{previous.committee_name}' and the current plan for "
            f"'{current.committee_name}'; compare plans of the same committee."
        )
    _check_plan(committee, current)
    _by_id(previous)
    record = {item.uid: item for item in issued_record(committee, previous, reminder_minutes=reminder_minutes)}
    attendees = attendee_list(committee)
    files: list[IssuedFile] = []
    meetings: list[Meeting] = []
    kept: dict[str, IssuedMeeting] = {}
    for meeting in current.meetings:
        uid = meeting_uid(committee, meeting)
        old = record.get(uid)
        if old is not None and since is not None and meeting.date < since:
            meetings.append(replace(meeting, sequence=old.sequence))
            kept[uid] = old
            continue
        now = shown(committee, meeting, reminder_minutes=reminder_minutes)
        kind: Kind
        if old is None:
            issued, kind = meeting, "new"
        elif old.cancelled:
            issued, kind = replace(meeting, sequence=old.sequence + 1), "new"
        elif old.shown == now and old.attendees == attendees:
            meetings.append(replace(meeting, sequence=old.sequence))
            kept[uid] = old
            continue
        else:
            issued, kind = replace(meeting, sequence=old.sequence + 1), "update"
        meetings.append(issued)
        kept[uid] = IssuedMeeting(issued.id, uid, issued.sequence, attendees, now)
        file = _issue(committee, issued, kind, stamp, reminder_minutes, attendees)
        if old is not None and kind == "update":
            held = {address.casefold() for _, address in old.attendees}
            file = replace(file, newcomers=tuple(a for _, a in attendees if a.casefold() not in held))
        files.append(file)
        if old is not None and not old.cancelled:
            staying = {address.casefold() for _, address in attendees}
            gone = tuple(person for person in old.attendees if person[1].casefold() not in staying)
            if gone:
                files.append(_issue(committee, issued, "remove", stamp, None, gone))
    for old_meeting in previous.meetings:
        uid = meeting_uid(committee, old_meeting)
        old = record.get(uid)
        if uid in kept or old is None or old.cancelled:
            continue
        if since is not None and old_meeting.date < since:
            kept[uid] = old
            continue
        gone_meeting = replace(old_meeting, sequence=old.sequence + 1)
        kept[uid] = replace(old, sequence=gone_meeting.sequence, cancelled=True)
        files.append(_issue(committee, gone_meeting, "cancel", stamp, None, old.attendees))
    for uid, old in record.items():  # cancelled before, or issued by an earlier plan: kept in the record
        kept.setdefault(uid, old)
    order = {"new": 0, "update": 0, "remove": 1, "cancel": 2}
    files.sort(key=lambda file: (file.meeting.date, file.meeting.start, file.meeting.id, order[file.kind]))
    return replace(current, meetings=tuple(meetings), issued=tuple(kept.values())), files


def default_stamp(plan: Plan) -> dt.datetime:
    """The DTSTAMP used when none is given: reproducible, never the wall clock.

    `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds
    convention) when it is set, else 00:00 UTC on the first day of the plan's
    horizon. Outlook orders the versions of a meeting by SEQUENCE, which every
    update raises, so a DTSTAMP that is the same for every issue is harmless.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.combine(plan.start, dt.time(0, 0), dt.UTC)


def ics_files(
    committee: Committee,
    plan: Plan,
    *,
    stamp: dt.datetime | None = None,
    reminder_minutes: int | None = None,
) -> list[tuple[str, bytes]]:
    """The overview and one invite per meeting, as (file name, bytes), the overview first.

    `stamp` (DTSTAMP) is `default_stamp(plan)` when left out, so the same plan
    gives the same bytes.
    """
    if stamp is None:
        stamp = default_stamp(plan)
    _check_plan(committee, plan)
    files = [(OVERVIEW_NAME, overview(committee, plan, stamp=stamp, reminder_minutes=reminder_minutes))]
    for meeting in sorted(plan.meetings, key=lambda m: (m.date, m.start, m.id)):
        data = invite(committee, meeting, stamp=stamp, reminder_minutes=reminder_minutes)
        files.append((f"invite-{_file_part(meeting.id)}.ics", data))
    return files


def write_ics_dir(
    committee: Committee,
    plan: Plan,
    directory: str | Path,
    *,
    stamp: dt.datetime | None = None,
    reminder_minutes: int | None = None,
) -> list[Path]:
    """Write ``overview.ics`` and one ``invite-<meeting id>.ics`` per meeting into `directory`.

    The folder is created when needed; each file is written atomically.
    Returns the paths written, the overview first (see `ics_files`).
    """
    files = ics_files(committee, plan, stamp=stamp, reminder_minutes=reminder_minutes)
    return _write_all(Path(directory), files)


def write_issued(files: Sequence[IssuedFile], directory: str | Path) -> list[Path]:
    """Write the files of `changes` into `directory` (created when needed), atomically."""
    return _write_all(Path(directory), [(file.name, file.data) for file in files])


# -- building ---------------------------------------------------------------------------------------------------


def _single(
    committee: Committee,
    meeting: Meeting,
    *,
    stamp: dt.datetime,
    method: str,
    reminder_minutes: int | None,
    attendees: Sequence[tuple[str, str]] | None = None,
    uninvite: bool = False,
) -> bytes:
    from icalendar import Calendar

    event = _event(
        committee,
        meeting,
        stamp=stamp,
        method=method,
        reminder_minutes=reminder_minutes,
        attendees=attendees,
        uninvite=uninvite,
    )
    kind = "REMOVE" if uninvite else method
    calendar = Calendar.new(
        prodid=_prodid(committee),
        method=method,
        calscale="GREGORIAN",
        uid=uuid.uuid5(NAMESPACE, f"{committee.name}\n{meeting.id}\n{kind}\n{meeting.sequence}"),
        subcomponents=[_zone(committee, [meeting]), event],
    )
    return bytes(calendar.to_ical())


def _event(
    committee: Committee,
    meeting: Meeting,
    *,
    stamp: dt.datetime,
    method: str,
    reminder_minutes: int | None,
    attendees: Sequence[tuple[str, str]] | None = None,
    uninvite: bool = False,
) -> Event:
    from icalendar import STATUS, TRANSP, Event, vText, vUri

    start, end = _times(committee, meeting)
    cancelled = method == "CANCEL"
    invited = method != "PUBLISH"
    link = committee.modes.teams_link if meeting.mode is Mode.TEAMS else None
    if not invited:
        status = STATUS.CONFIRMED
    elif uninvite:
        status = None  # RFC 5546 §3.2.5: no STATUS when only some attendees are uninvited
    else:
        status = STATUS.CANCELLED if cancelled else STATUS.CONFIRMED
    event = Event.new(
        uid=meeting_uid(committee, meeting),
        sequence=meeting.sequence,
        stamp=_utc(stamp),
        start=start,
        end=end,
        summary=summary(committee, meeting),
        location=_location(committee, meeting) or None,
        description=_description(committee, meeting, link=link, cancelled=cancelled and not uninvite, removed=uninvite),
        url=link or None,
        status=status,
        transparency=TRANSP.TRANSPARENT if cancelled else TRANSP.OPAQUE,
        organizer=_organizer(committee) if invited or _has_organizer(committee) else None,
        attendees=(_addresses(attendees) if attendees is not None else _attendees(committee)) if invited else None,
    )
    event.add(_BUSY, "FREE" if cancelled else "BUSY")
    if link:  # the join link where Outlook and other clients look for an online meeting
        event.add(_TEAMS_URL, vText(link))
        event.add(
            "CONFERENCE",
            vUri(link),
            parameters={"VALUE": "URI", "FEATURE": "AUDIO,VIDEO", "LABEL": _word(committee, "join")},
        )
    if method == "REQUEST" and not committee.invites.counter_proposals:
        event.add(_NO_COUNTER, "TRUE")
    event.add(X_ID, vText(meeting.id), parameters=_TEXT)
    event.add(X_MODE, meeting.mode.value)
    for role in committee.role_keys:
        holder = meeting.roles.get(role)
        if holder:
            parameters = {"ROLE": role, **({"PINNED": "TRUE"} if role in meeting.pinned_roles else {}), **_TEXT}
            event.add(X_ROLE, vText(holder), parameters=parameters)
    for role, holder in sorted(meeting.roles.items()):
        if role not in committee.role_keys and holder:
            event.add(X_ROLE, vText(holder), parameters={"ROLE": role, **_TEXT})
    if meeting.title:
        event.add(X_TITLE, vText(meeting.title), parameters=_TEXT)
    if meeting.fixed_date:
        event.add(X_FIXED, "TRUE")
    if reminder_minutes is None:
        reminder_minutes = committee.invites.reminder
    if reminder_minutes is not None and not cancelled:
        event.add_component(_alarm(committee, meeting, reminder_minutes))
    return event


def _seen(event: Component) -> dict[str, str]:
    """The properties of an event that an attendee sees, as text."""
    values: dict[str, str] = {}
    for name in ("DTSTART", "DTEND"):
        prop: Any = event[name]
        values[name] = f"{prop.dt.isoformat()}[{prop.params.get('TZID', 'UTC')}]"
    for name in _SEEN:
        if name in event:
            values[name] = str(event[name])
    organizer = event.get("ORGANIZER")
    if organizer is not None:
        values["ORGANIZER"] = f"{organizer.params.get('CN', '')} <{_mailbox(organizer)}>"
    alarms = [_decoded(alarm["TRIGGER"].to_ical()) for alarm in event.walk("VALARM")]
    if alarms:
        values["VALARM"] = ", ".join(alarms)
    return values


def _decoded(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _mailbox(address: object) -> str:
    text = str(address)
    return text[len("mailto:") :] if text.lower().startswith("mailto:") else text


def _addresses(people: Sequence[tuple[str, str]]) -> list[vCalAddress]:
    from icalendar import vCalAddress

    return [
        vCalAddress.new(
            email,
            cn=" ".join(name.replace('"', "").split()) or email,
            cutype="INDIVIDUAL",
            role="REQ-PARTICIPANT",
            partstat="NEEDS-ACTION",
            rsvp=True,
        )
        for name, email in people
    ]


def _alarm(committee: Committee, meeting: Meeting, minutes: int) -> Component:
    from icalendar import Alarm

    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= 7 * 24 * 60:
        raise ConfigError(f"a reminder must be 0 to {7 * 24 * 60} minutes before the meeting, not {minutes!r}.")
    alarm = Alarm.new(description=f"{_word(committee, 'reminder')}: {summary(committee, meeting)}")
    alarm.add("ACTION", "DISPLAY")
    alarm.add("TRIGGER", dt.timedelta(minutes=-minutes))
    return alarm


def _zone(committee: Committee, meetings: Iterable[Meeting]) -> Component:
    key = committee.cadence.timezone
    moments = [moment for meeting in meetings for moment in _times(committee, meeting)]
    check_times(key, moments, source=committee.source)
    return vtimezone(key, source=committee.source)


def _times(committee: Committee, meeting: Meeting) -> tuple[dt.datetime, dt.datetime]:
    try:
        zone = zoneinfo.ZoneInfo(committee.cadence.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
        raise ConfigError(
            f"'{committee.cadence.timezone}' is not a known time zone; use an IANA name such as 'Europe/Amsterdam'.",
            file=committee.source,
            key="cadence.timezone",
        ) from err
    start = dt.datetime.combine(meeting.date, meeting.start, tzinfo=zone)
    end = dt.datetime.combine(meeting.date, meeting.end, tzinfo=zone)
    for moment in (start, end):
        _check_clock(committee, meeting, moment)
    if end <= start:
        raise PlanFileError(
            f"meeting '{meeting.id}' on {meeting.date.isoformat()} ends ({meeting.end:%H:%M}) "
            f"before it starts ({meeting.start:%H:%M})."
        )
    return start, end


def _check_clock(committee: Committee, meeting: Meeting, moment: dt.datetime) -> None:
    """Refuse a meeting time that the clocks skip or pass twice on that day: no calendar can place it right."""
    zone = committee.cadence.timezone
    when = f"meeting '{meeting.id}' on {meeting.date.isoformat()} at {moment:%H:%M}"
    back = moment.astimezone(dt.UTC).astimezone(moment.tzinfo)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise PlanFileError(
            f"{when}: that time does not exist in {zone}, because the clocks go forward then "
            "(summer time begins); choose another time (cadence.start and cadence.end) or day."
        )
    if moment.replace(fold=1).utcoffset() != moment.replace(fold=0).utcoffset():
        raise PlanFileError(
            f"{when}: that time happens twice in {zone}, because the clocks go back then "
            "(summer time ends); choose another time (cadence.start and cadence.end) or day."
        )


def _description(
    committee: Committee, meeting: Meeting, *, link: str | None, cancelled: bool, removed: bool = False
) -> str:
    language = committee.language
    blocks: list[list[str]] = []
    if cancelled:
        blocks.append([_word(committee, "cancelled")])
    if removed:
        blocks.append([_word(committee, "removed")])
    if link:
        blocks.append([link, f"({_word(committee, 'join')})"])
    if meeting.title:
        blocks.append([meeting.title])
    blocks.append(
        [
            f"{_capital(committee.role(key).label(language))}: {_holder(committee, meeting, key)}"
            for key in committee.role_keys
        ]
    )
    items = [
        *(gettext(language, f"invite.agenda.{item}") for item in _AGENDA_BEFORE),
        *(
            f"{_capital(role.label(language))} ({_holder(committee, meeting, role.key)})"
            for role in committee.roles
            if role.agenda
        ),
        *(gettext(language, f"invite.agenda.{item}") for item in _AGENDA_AFTER),
    ]
    blocks.append([_word(committee, "agenda"), *(f"{number}. {item}" for number, item in enumerate(items, 1))])
    return "\n\n".join("\n".join(block) for block in blocks)


def _holder(committee: Committee, meeting: Meeting, role: str) -> str:
    return meeting.roles.get(role) or _word(committee, "open")


def _location(committee: Committee, meeting: Meeting) -> str:
    """What Outlook shows as the place: the meeting's location, else where the committee would hold it."""
    return meeting.location or committee.place(meeting.mode, meeting.roles)


def _organizer(committee: Committee) -> vCalAddress:
    from icalendar import vCalAddress

    secretary = committee.secretary
    if secretary is None or not secretary.email:
        raise ConfigError(
            "invites need an organizer: give the secretary's name and e-mail address "
            '(secretary = { name = "...", email = "..." }).',
            file=committee.source,
            key="secretary",
        )
    return vCalAddress.new(secretary.email, cn=_display_name(secretary))


def _attendees(committee: Committee) -> list[vCalAddress]:
    from icalendar import vCalAddress

    organizer = (committee.secretary.email or "").casefold() if committee.secretary else ""
    seen = {organizer}
    attendees = []
    for unit in committee.units:
        person = unit.coordinator
        if person is None or not person.email or person.email.casefold() in seen:
            continue
        seen.add(person.email.casefold())
        attendees.append(
            vCalAddress.new(
                person.email,
                cn=_display_name(person),
                cutype="INDIVIDUAL",
                role="REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                rsvp=True,
            )
        )
    if not attendees:
        raise ConfigError(
            "invites need at least one attendee: give the units' coordinators an e-mail address (key 'email').",
            file=committee.source,
            key="units",
        )
    return attendees


def _display_name(person: Person) -> str:
    """A CN parameter value: no double quotes, no line breaks."""
    return " ".join(person.name.replace('"', "").split()) or person.email or ""


def _prodid(committee: Committee) -> str:
    return f"-//rotation//rotation {PRODUCT_VERSION}//{_language(committee.language).upper()}"


def _utc(stamp: dt.datetime) -> dt.datetime:
    if not isinstance(stamp, dt.datetime) or stamp.tzinfo is None or stamp.utcoffset() is None:
        raise RotationError(f"the time stamp must be a datetime with a time zone, not {stamp!r}.")
    return stamp.astimezone(dt.UTC).replace(microsecond=0)


def _word(committee: Committee, key: str) -> str:
    return gettext(committee.language, f"invite.{key}")


def _language(language: str) -> str:
    """The language the invites are written in: `language`, or English when the catalogue does not speak it."""
    return catalogue(language).language


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _check_plan(committee: Committee, plan: Plan) -> None:
    if plan.timezone != committee.cadence.timezone:
        raise PlanFileError(
            f"the plan is in time zone '{plan.timezone}' but the committee meets in "
            f"'{committee.cadence.timezone}'; plan again or fix the committee's cadence.timezone."
        )
    _by_id(plan)
    names: dict[str, str] = {}
    for meeting in plan.meetings:
        name = _file_part(meeting.id)
        if names.setdefault(name, meeting.id) != meeting.id:
            raise PlanFileError(
                f"the meeting ids '{names[name]}' and '{meeting.id}' differ only in characters "
                "a file name cannot hold; give the meetings distinct ids."
            )


def _by_id(plan: Plan) -> dict[str, Meeting]:
    found: dict[str, Meeting] = {}
    for meeting in plan.meetings:
        if meeting.id in found:
            raise PlanFileError(f"the plan has two meetings with id '{meeting.id}'; every meeting needs its own id.")
        found[meeting.id] = meeting
    return found


def _issue(
    committee: Committee,
    meeting: Meeting,
    kind: Kind,
    stamp: dt.datetime,
    reminder_minutes: int | None,
    recipients: Sequence[tuple[str, str]],
) -> IssuedFile:
    part = _file_part(meeting.id)
    people = tuple(recipients)
    if kind == "cancel":
        data = cancellation(committee, meeting, stamp=stamp, attendees=people)
        return IssuedFile(f"cancel-{part}-{meeting.sequence}.ics", kind, meeting, data, people)
    if kind == "remove":
        data = removal(committee, meeting, people, stamp=stamp)
        return IssuedFile(f"remove-{part}-{meeting.sequence}.ics", kind, meeting, data, people)
    data = _single(
        committee, meeting, stamp=stamp, method="REQUEST", reminder_minutes=reminder_minutes, attendees=people
    )
    if kind == "new":
        name = f"invite-{part}.ics" if meeting.sequence == 0 else f"invite-{part}-{meeting.sequence}.ics"
    else:
        name = f"update-{part}-{meeting.sequence}.ics"
    return IssuedFile(name, kind, meeting, data, people)


def _file_part(meeting_id: str) -> str:
    part = re.sub(r"[^A-Za-z0-9._-]+", "-", meeting_id).strip("-.")
    return part or uuid.uuid5(NAMESPACE, meeting_id).hex[:12]


def _write_all(folder: Path, files: Sequence[tuple[str, bytes]]) -> list[Path]:
    return write_folder(folder, files)
