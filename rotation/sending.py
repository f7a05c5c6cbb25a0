"""Sending the files of a folder written by `rotation plan --ics`, `rotation issue` or `rotation replan --ics`.

`outbox_for` reads the folder's delivery record (made from its files when it
has none, as earlier versions wrote no record) and refuses a folder that is
not safe to send: files of an earlier plan, of another committee or time zone,
or older than what the folder's plan.json says was issued since. `message`
is the e-mail of one delivery, and `mark_sent` notes in the record what the
server accepted.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from rotation.issuing import PLAN_NAME

if TYPE_CHECKING:
    from email.message import EmailMessage

    from calendars.outbox import Delivery, Outbox
    from rotation.domain import Committee

__all__ = ["mark_sent", "message", "outbox_for"]


def mark_sent(outbox: Outbox, delivery: Delivery, message: EmailMessage, *, sent: bool, answer: str) -> None:
    """Note the server's `answer` to the e-mail of `delivery`, and the time when it was `sent`, in the delivery log."""
    from calendars.outbox import save_outbox

    delivery.answer = answer
    if sent:
        delivery.sent = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        delivery.message_id = str(message["Message-ID"])
    save_outbox(outbox, delivery)  # one line appended to the delivery log: the record is rewritten at the end


def message(outbox: Outbox, delivery: Delivery) -> EmailMessage:
    from calendars import mail
    from rotation.errors import PlanFileError

    path = outbox.folder / delivery.file
    try:
        data = path.read_bytes()
    except OSError as err:
        raise PlanFileError(f"cannot be read: {err.strerror or err}.", file=str(path)) from None
    return mail.message_for(data, delivery.to, kind=delivery.kind, source=str(path))


def outbox_for(source: Path, committee: Committee) -> tuple[Outbox, str | None]:
    """The folder's delivery record (made from its files when it has none), checked; and the one file asked for."""
    from calendars.ics import OVERVIEW_NAME
    from calendars.outbox import read_outbox
    from rotation.errors import PlanFileError

    only = None
    folder = source
    if source.is_file():
        if source.suffix.lower() != ".ics":
            raise PlanFileError(
                "is a planning, not a folder of files to send. Make the files first, with "
                f"'rotation issue {source} --ics DIR' (or 'rotation plan --ics DIR'), look at them, "
                "and send the folder.",
                file=str(source),
            )
        folder, only = source.parent, source.name
    elif not source.is_dir():
        raise PlanFileError("does not exist; give the folder of files to send.", file=str(source))
    outbox = read_outbox(folder)
    if outbox is None:
        outbox = _outbox_from_files(folder, committee)
    if outbox.committee_name != committee.name:
        raise PlanFileError(
            f"the files are for '{outbox.committee_name}', but the committee file is for '{committee.name}'; "
            "give the committee file they were made with.",
            file=str(folder),
        )
    if outbox.timezone != committee.cadence.timezone:
        raise PlanFileError(
            f"the files are in time zone '{outbox.timezone}', but the committee meets in "
            f"'{committee.cadence.timezone}'; make the files again with this committee file.",
            file=str(folder),
        )
    listed = set(outbox.files)
    if only is not None and only not in listed:
        raise PlanFileError(
            f"is not one of the files of {folder}/delivery.json; only files made with the others are sent.",
            file=str(source),
        )
    stale = sorted(p.name for p in folder.glob("*.ics") if p.name not in listed and p.name != OVERVIEW_NAME)
    if stale:
        raise PlanFileError(
            f"also holds files of an earlier plan: {', '.join(stale)}. They are not in its delivery record "
            "(delivery.json), so they were not made with the others; remove them and run the command again.",
            file=str(folder),
        )
    missing = [name for name in outbox.files if not (folder / name).is_file()]
    if missing:
        raise PlanFileError(
            f"lacks files its delivery record lists: {', '.join(missing)}; make the files again.", file=str(folder)
        )
    for name in outbox.files:
        _check_file(folder / name, committee)
    _check_record(folder, outbox, committee)
    return outbox, only


def _check_record(folder: Path, outbox: Outbox, committee: Committee) -> None:
    """Refuse e-mails older than what the folder's plan says was issued: Outlook would ignore them, or worse."""
    from rotation.errors import PlanFileError
    from rotation.formats import read_plan

    path = folder / PLAN_NAME
    if not path.is_file():
        return
    issued = {item.uid: item for item in read_plan(path, committee).issued}
    for delivery in outbox.pending:
        record = issued.get(delivery.uid)
        if record is not None and delivery.sequence < record.sequence:
            raise PlanFileError(
                f"holds {delivery.file} with SEQUENCE {delivery.sequence}, but {PLAN_NAME} says SEQUENCE "
                f"{record.sequence} was issued for that meeting since; these files are out of date. "
                "Make them again from the latest plan.json.",
                file=str(folder),
            )


def _outbox_from_files(folder: Path, committee: Committee) -> Outbox:
    """A delivery record for a folder without one (written by an earlier version): from its files."""
    from calendars import mail
    from calendars.ics import OVERVIEW_NAME
    from calendars.outbox import Delivery, Outbox
    from rotation.errors import PlanFileError

    paths = [p for p in sorted(folder.glob("*.ics")) if p.name != OVERVIEW_NAME]
    deliveries: list[Delivery] = []
    stamps: dict[str, list[str]] = {}
    for path in paths:
        data = path.read_bytes()
        if mail._method(data) == "PUBLISH":
            continue
        info = mail._read(data, str(path))
        stamps.setdefault(info.stamp.isoformat(), []).append(path.name)
        kind = mail._kind(info)
        for name, address in info.attendees:
            deliveries.append(
                Delivery(
                    file=path.name,
                    to=address,
                    name=name,
                    kind=kind,
                    method=info.method,
                    uid=info.uid,
                    sequence=info.sequence,
                    meeting=_meeting_id(data),
                    date=info.start.date().isoformat(),
                )
            )
    if not deliveries:
        raise PlanFileError("holds no invites, updates or cancellations (*.ics) to send.", file=str(folder))
    if len(stamps) > 1:  # files made at different times: some are left from an earlier plan
        newest = max(stamps)
        older = sorted(name for stamp, names in stamps.items() if stamp != newest for name in names)
        raise PlanFileError(
            f"holds files made at different times; these are older than the rest: {', '.join(older)}. "
            "Remove the files of the earlier plan and run the command again.",
            file=str(folder),
        )
    return Outbox(folder, committee.name, committee.cadence.timezone, next(iter(stamps)), deliveries)


def _meeting_id(data: bytes) -> str:
    from icalendar import Calendar

    events = Calendar.from_ical(data).walk("VEVENT")
    return str(events[0].get("X-ROTATION-MEETING-ID", "")) if events else ""


def _check_file(path: Path, committee: Committee) -> None:
    """Refuse a file made for another committee or time zone: its UID or TZID gives it away."""
    import uuid

    from icalendar import Calendar

    from calendars.ics import NAMESPACE
    from rotation.errors import PlanFileError

    try:
        events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    except (OSError, ValueError) as err:
        raise PlanFileError(f"cannot be read as iCalendar: {err}", file=str(path)) from None
    for event in events:
        meeting_id = str(event.get("X-ROTATION-MEETING-ID", ""))
        if not meeting_id:
            raise PlanFileError("was not made by rotation (it has no X-ROTATION-MEETING-ID).", file=str(path))
        if str(event.get("UID", "")) != str(uuid.uuid5(NAMESPACE, f"{committee.name}\n{meeting_id}")):
            raise PlanFileError(
                f"was made for another committee than '{committee.name}' (its UID does not match); "
                "give the committee file it was made with.",
                file=str(path),
            )
        zone = str(event["DTSTART"].params.get("TZID", "")) if "DTSTART" in event else ""
        if zone != committee.cadence.timezone:
            raise PlanFileError(
                f"is in time zone '{zone}', but the committee meets in '{committee.cadence.timezone}'.",
                file=str(path),
            )
