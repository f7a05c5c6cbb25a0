"""The `issue`, `send` and `overview` sub-commands: invites, updates and cancellations for Outlook, sent by e-mail.

::

    rotation issue plan.json --committee committee.toml --out outlook/
    rotation issue sent.json current.json --committee committee.toml --out updates/
    rotation send updates/ --committee committee.toml --dry-run outbox/
    ROTATION_SMTP_PASSWORD=... rotation send updates/ --smtp-host smtp.example.org --smtp-user secretariaat
    rotation overview plan.json --committee committee.toml --output overview.ics

Only `argparse` and `pathlib` are imported here; the calendar and mail code is
imported when a command runs, so that starting the program stays fast.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from email.message import EmailMessage

    from calendars.ics import IssuedFile
    from calendars.outbox import Delivery, Outbox
    from rotation.domain import Committee, IssuedMeeting, Plan

__all__ = ["Batch", "add_calendar_options", "describe_file", "issue_batch", "plan_batch", "register"]

_TOML_SUFFIXES = (".toml",)
PLAN_NAME = "plan.json"
"""The plan as issued, with its record, in every folder of files to send."""


def register(subparsers: Any) -> None:
    """Add the `issue`, `send` and `overview` sub-commands to the `rotation` command."""
    issue = subparsers.add_parser(
        "issue",
        help="write the invites, updates and cancellations a plan needs, for 'rotation send'",
        description=(
            "Write into --out what has to be sent so that the coordinators' calendars show PLAN: "
            "invites for meetings never issued, updates for meetings that changed, cancellations and "
            "removals, decided from the record of what was issued that the plan file carries. With two "
            "plans, the first is the plan as last issued and the second (a JSON export, or a committee "
            "file to plan the same period again) the plan as it is now. Also writes the year overview, "
            "the delivery record for 'rotation send' and the plan with its new record (--plan-out)."
        ),
    )
    issue.add_argument("previous", type=Path, metavar="PLAN", help="the plan (JSON export or overview.ics)")
    issue.add_argument(
        "current",
        type=Path,
        nargs="?",
        metavar="CURRENT",
        help="the plan as it is now, when PLAN is the plan as last issued (JSON export, or the committee file)",
    )
    issue.add_argument(
        "--committee",
        type=Path,
        help="the committee file (default: CURRENT when it is one, else committee.toml in the current folder)",
    )
    issue.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the files to send")
    issue.add_argument(
        "--plan-out",
        type=Path,
        metavar="FILE",
        help="where to write the plan with its record of what was issued (default: DIR/plan.json)",
    )
    issue.add_argument(
        "--today", type=_date, metavar="DATE", help="meetings before this date were held: nothing is sent for them"
    )
    add_calendar_options(issue)
    issue.set_defaults(handler=run_issue)

    send = subparsers.add_parser(
        "send",
        help="e-mail the invites, updates and cancellations of a folder to the unit coordinators",
        description=(
            "Send the e-mails of a folder written by 'rotation plan --ics', 'rotation issue' or "
            "'rotation replan --ics' (or of one .ics file in it): one e-mail per file and recipient. "
            "Only files of the folder's delivery record are sent, and only e-mails not yet delivered, so "
            "running the same command again after a failure sends the rest. Shows what goes to whom and "
            "asks before sending (--yes to skip the question). SMTP settings come from the options or from "
            "ROTATION_SMTP_HOST, _PORT, _USER, _PASSWORD, _TLS and _TIMEOUT; the password is never printed."
        ),
    )
    send.add_argument("source", type=Path, help="the folder of files to send, or one .ics file in it")
    send.add_argument(
        "--committee", type=Path, help="the committee file (default: committee.toml in the current folder)"
    )
    send.add_argument(
        "--dry-run", type=Path, metavar="DIR", help="write the e-mails as .eml files here instead of sending"
    )
    send.add_argument("--yes", "-y", action="store_true", help="send without asking (for scripts)")
    smtp = send.add_argument_group("SMTP server (default: the ROTATION_SMTP_* environment variables)")
    smtp.add_argument("--smtp-host", metavar="HOST")
    smtp.add_argument("--smtp-port", type=_port, metavar="PORT", help="default 587 (starttls), 465 (ssl), 25 (none)")
    smtp.add_argument("--smtp-tls", choices=("starttls", "ssl", "none"), help="encryption (default: starttls)")
    smtp.add_argument("--smtp-user", metavar="USER")
    smtp.add_argument(
        "--smtp-password",
        metavar="PASSWORD",
        help="better: set ROTATION_SMTP_PASSWORD, which other users of this machine cannot see",
    )
    smtp.add_argument(
        "--smtp-timeout", type=_seconds, metavar="SECONDS", help="give up on a silent server after this long (30)"
    )
    send.set_defaults(handler=run_send)

    overview = subparsers.add_parser(
        "overview",
        help="write the year overview (overview.ics) of any planning, for importing",
        description=(
            "Write the year overview of a planning (JSON, CSV, Markdown, Excel or .ics), as it stands, "
            "with the SEQUENCE numbers of its record of what was issued."
        ),
    )
    overview.add_argument("planning", type=Path, help="the planning file")
    overview.add_argument(
        "--committee", type=Path, help="the committee file (default: committee.toml in the current folder)"
    )
    overview.add_argument("--output", "-o", type=Path, required=True, metavar="FILE", help="the .ics file to write")
    add_calendar_options(overview)
    overview.set_defaults(handler=run_overview)


# -- making the files -------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Batch:
    """The files made for a plan: what to send, the overview, and the plan with its record of what was issued."""

    committee: Committee
    plan: Plan
    files: list[IssuedFile]
    overview: bytes
    stamp: dt.datetime
    notes: list[str]

    def outputs(self, folder: Path) -> list[tuple[Path, bytes]]:
        """The files to write into `folder`: the files to send, the overview, the plan as issued and the
        delivery record (which keeps what an earlier record of the folder says was delivered)."""
        from calendars.ics import OVERVIEW_NAME
        from calendars.outbox import outbox_files
        from rotation.render import to_json

        also = [(OVERVIEW_NAME, self.overview), (PLAN_NAME, to_json(self.committee, self.plan).encode("utf-8"))]
        return outbox_files(folder, self.committee, self.files, stamp=self.stamp, also=also)

    def stale_notes(self, folder: Path) -> list[str]:
        """A note on .ics files in `folder` that are not of this batch (`rotation send` refuses them)."""
        from calendars.ics import OVERVIEW_NAME

        written = {file.name for file in self.files} | {OVERVIEW_NAME}
        stale = sorted(p.name for p in folder.glob("*.ics") if p.name not in written)
        if not stale:
            return []
        shown = ", ".join(stale[:5]) + (" ..." if len(stale) > 5 else "")
        return [
            f"{folder} bevat ook bestanden van een eerdere planning ({shown}); verwijder ze vóór het versturen."
            if self.committee.language == "nl"
            else f"{folder} also holds files of an earlier plan ({shown}); remove them before sending the folder."
        ]


def plan_batch(committee: Committee, plan: Plan, args: argparse.Namespace) -> Batch:
    """The files `rotation plan --ics` writes: an invite per meeting not yet issued, and the overview.

    Meetings issued before (in the record of a plan given with ``--history``)
    keep their SEQUENCE: one that was cancelled and comes back is invited with
    a higher one.
    """
    from rotation.domain import Plan as PlanType

    records: list[IssuedMeeting] = []
    for path in getattr(args, "history", None) or ():
        from rotation.planfile import read_plan

        records.extend(read_plan(path, committee).issued)
    previous = PlanType(committee.name, plan.timezone, plan.start, plan.end, (), issued=tuple(records))
    return _batch(committee, previous, plan, args)


def issue_batch(
    committee: Committee, previous: Plan, current: Plan, args: argparse.Namespace, since: dt.date | None = None
) -> Batch:
    """The files that bring the attendees from `previous` (its record of what was issued) to `current`."""
    return _batch(committee, previous, current, args, since)


def _batch(
    committee: Committee, previous: Plan, current: Plan, args: argparse.Namespace, since: dt.date | None = None
) -> Batch:
    from calendars.ics import OVERVIEW_NAME, changes, default_stamp, overview
    from rotation.errors import ConfigError

    stamp = args.stamp or default_stamp(current)
    reminder = getattr(args, "reminder", None)
    notes: list[str] = []
    try:
        issued, files = changes(committee, previous, current, stamp=stamp, reminder_minutes=reminder, since=since)
    except ConfigError as err:  # no organizer or no attendees: the overview can still be imported
        issued, files = current, []
        notes.append(f"only {OVERVIEW_NAME} was written, no invites: {err.reason}")
    data = overview(committee, issued, stamp=stamp, reminder_minutes=reminder)
    return Batch(committee, issued, files, data, stamp, notes)


# -- issue --------------------------------------------------------------------------------------------------------


def run_issue(args: argparse.Namespace) -> int:
    from rotation.cli import require_committee
    from rotation.errors import EXIT_OK
    from rotation.render import to_json

    planned_from_committee = args.current is not None and _is_committee_file(args.current)
    committee = require_committee(args.committee or (args.current if planned_from_committee else None))
    previous = _read_plan(args.previous, committee)
    if args.current is None:  # one plan: issue what its own record does not hold yet
        current = previous
        previous = dataclasses.replace(previous, meetings=())
    elif planned_from_committee:
        from rotation.solve import plan

        current = plan(committee, start=previous.start, end=previous.end)
    else:
        current = _read_plan(args.current, committee)
    _same_committee(committee, previous, args.previous)
    _same_committee(committee, current, args.current or args.previous)
    batch = _batch(committee, previous, current, args, since=args.today)
    plan_out = args.plan_out or args.out / PLAN_NAME
    from rotation.cli import check_output
    from rotation.errors import PlanFileError
    from rotation.files import write_outputs

    if args.out.exists() and not args.out.is_dir():
        raise PlanFileError("this is a file, not a folder.", file=str(args.out))
    outputs: list[tuple[Path, str | bytes]] = list(batch.outputs(args.out))
    if plan_out != args.out / PLAN_NAME:
        check_output(plan_out)
        outputs.append((plan_out, to_json(committee, batch.plan)))
    write_outputs(outputs)  # all together: a failure leaves the earlier files as they were
    notes = batch.stale_notes(args.out)
    dutch = committee.language == "nl"
    for file in batch.files:
        print(f"{args.out / file.name}  {describe_file(file, dutch)}")
    if not batch.files:
        print("Niets gewijzigd; geen bestanden te versturen." if dutch else "Nothing changed; no files to send.")
    from calendars.ics import OVERVIEW_NAME

    print(
        f"{args.out / OVERVIEW_NAME}  {'het jaaroverzicht, om te importeren' if dutch else 'the overview, to import'}"
    )
    print(
        f"{plan_out}  "
        + ("de planning met wat is uitgegeven, voor de volgende keer" if dutch else "the plan as issued, for next time")
    )
    for note in (*batch.notes, *notes):
        print(f"rotation: {note}", file=sys.stderr)
    return EXIT_OK


_KIND_WORDS = {
    "new": ("uitnodiging", "invite"),
    "update": ("wijziging", "update"),
    "cancel": ("afzegging", "cancellation"),
    "remove": ("afmelding", "removal"),
}


def describe_file(file: IssuedFile, dutch: bool) -> str:
    """``update 2027-03 on 2027-03-25 (SEQUENCE 1), to 12`` for the report of a command that writes files."""
    word = _KIND_WORDS[file.kind][0 if dutch else 1]
    meeting = file.meeting
    if file.kind == "remove":
        whom = ", ".join(address for _, address in file.recipients)
        return (
            f"{word} {meeting.id} op {meeting.date.isoformat()} (SEQUENCE {meeting.sequence}), alleen voor {whom}"
            if dutch
            else f"{word} {meeting.id} on {meeting.date.isoformat()} (SEQUENCE {meeting.sequence}), only for {whom}"
        )
    count = len(file.recipients)
    return (
        f"{word} {meeting.id} op {meeting.date.isoformat()} (SEQUENCE {meeting.sequence}), aan {count}"
        if dutch
        else f"{word} {meeting.id} on {meeting.date.isoformat()} (SEQUENCE {meeting.sequence}), to {count}"
    )


# -- overview -----------------------------------------------------------------------------------------------------


def run_overview(args: argparse.Namespace) -> int:
    from calendars.ics import default_stamp, overview
    from rotation.cli import require_committee, write_output
    from rotation.errors import EXIT_OK

    committee = require_committee(args.committee)
    planning = _read_plan(args.planning, committee)
    _same_committee(committee, planning, args.planning)
    record = {item.id: item.sequence for item in planning.issued}
    planning = dataclasses.replace(
        planning,
        meetings=tuple(
            dataclasses.replace(m, sequence=max(m.sequence, record.get(m.id, 0))) for m in planning.meetings
        ),
    )
    write_output(
        overview(committee, planning, stamp=args.stamp or default_stamp(planning), reminder_minutes=args.reminder),
        args.output,
    )
    print(f"{args.output}  {len(planning.meetings)} meetings")
    return EXIT_OK


# -- send ---------------------------------------------------------------------------------------------------------


def run_send(args: argparse.Namespace) -> int:
    from calendars import mail
    from calendars.outbox import save_outbox
    from rotation.cli import require_committee
    from rotation.errors import EXIT_INPUT, EXIT_OK

    committee = require_committee(args.committee)
    outbox, only = _outbox(args.source, committee)
    pending = [d for d in outbox.pending if only is None or d.file == only]
    done = sum(1 for d in outbox.deliveries if d.sent is not None and (only is None or d.file == only))
    if not pending:
        print(f"Everything in {args.source} has been sent ({done} e-mails); there is nothing left to send.")
        return EXIT_OK
    items = [_message(outbox, delivery) for delivery in pending]
    if args.dry_run is not None:
        written = mail.write_eml(items, args.dry_run)
        print(f"E-mails written to {args.dry_run}: {len(written)}; nothing was sent.")
        return EXIT_OK
    settings = mail.SmtpSettings.from_env(
        host=args.smtp_host,
        port=args.smtp_port,
        security=args.smtp_tls,
        username=args.smtp_user,
        password=args.smtp_password,
        timeout=args.smtp_timeout,
    )
    _show_plan_of_sending(outbox, pending, done, settings.host)
    if not args.yes:
        if not sys.stdin.isatty():
            print(
                "Nothing was sent: there is no one to ask. Give --yes to send without asking.",
                file=sys.stderr,
            )
            return EXIT_INPUT
        answer = input(f"Send these {len(pending)} e-mails through {settings.host}? [y/N] ")
        if answer.strip().lower() not in ("y", "yes", "j", "ja"):
            print("Nothing was sent.")
            return EXIT_OK

    def record(index: int, sent: bool, answer: str) -> None:
        delivery = pending[index]
        delivery.answer = answer
        if sent:
            delivery.sent = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
            delivery.message_id = str(items[index]["Message-ID"])
        save_outbox(outbox)

    try:
        count = mail.send(
            items,
            settings.host,
            settings.port,
            security=settings.security,
            username=settings.username,
            password=settings.password,
            timeout=settings.timeout,
            on_result=record,
        )
    except KeyboardInterrupt:
        done_now = sum(1 for delivery in pending if delivery.sent is not None)
        print(
            f"Interrupted: {done_now} of {len(pending)} e-mails were sent and noted in {outbox.path}; "
            "run the same command again to send the rest.",
            file=sys.stderr,
        )
        return 130
    recipients = len({d.to.casefold() for d in pending})
    print(f"E-mails sent through {settings.host}: {count}, to {recipients} recipients.")
    return EXIT_OK


def _show_plan_of_sending(outbox: Outbox, pending: Sequence[Delivery], done: int, host: str) -> None:
    """What goes to whom: one line per file, then every recipient."""
    words = {"new": "invite", "update": "update", "cancel": "cancellation", "remove": "removal"}
    print(f"To send through {host}, for {outbox.committee}:")
    groups: dict[str, list[Delivery]] = {}
    for delivery in pending:
        groups.setdefault(delivery.file, []).append(delivery)
    width = max(len(file) for file in groups)
    for file, group in groups.items():
        first = group[0]
        whom = ", ".join(d.to for d in group) if len(group) <= 2 else f"{len(group)} recipients"
        print(f"  {file:<{width}}  {first.date}  {words[first.kind]}, SEQUENCE {first.sequence}, to {whom}")
    recipients = list(dict.fromkeys(d.to for d in pending))
    print(f"Recipients: {', '.join(recipients)}.")
    earlier = f" ({done} sent before are not sent again)" if done else ""
    print(f"{len(pending)} e-mails to {len(recipients)} recipients{earlier}.")


def _message(outbox: Outbox, delivery: Delivery) -> EmailMessage:
    from calendars import mail
    from rotation.errors import PlanFileError

    path = outbox.folder / delivery.file
    try:
        data = path.read_bytes()
    except OSError as err:
        raise PlanFileError(f"cannot be read: {err.strerror or err}.", file=str(path)) from None
    return mail.message_for(data, delivery.to, kind=delivery.kind, source=str(path))


def _outbox(source: Path, committee: Committee) -> tuple[Outbox, str | None]:
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
                f"'rotation issue {source} --out DIR' (or 'rotation plan --ics DIR'), look at them, "
                "and send the folder.",
                file=str(source),
            )
        folder, only = source.parent, source.name
    elif not source.is_dir():
        raise PlanFileError("does not exist; give the folder of files to send.", file=str(source))
    outbox = read_outbox(folder)
    if outbox is None:
        outbox = _outbox_from_files(folder, committee)
    if outbox.committee != committee.name:
        raise PlanFileError(
            f"the files are for '{outbox.committee}', but the committee file is for '{committee.name}'; "
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

    path = folder / PLAN_NAME
    if not path.is_file():
        return
    issued = {item.uid: item for item in _read_plan(path, committee).issued}
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


# -- shared ---------------------------------------------------------------------------------------------------------


def _same_committee(committee: Committee, plan: Plan, path: Path) -> None:
    from rotation.errors import PlanFileError

    if plan.committee and plan.committee != committee.name:
        raise PlanFileError(
            f"the planning is for '{plan.committee}', but the committee file is for '{committee.name}'; "
            "give the committee file it was made with.",
            file=str(path),
        )
    if plan.timezone != committee.cadence.timezone:
        raise PlanFileError(
            f"the planning is in time zone '{plan.timezone}', but the committee meets in "
            f"'{committee.cadence.timezone}'.",
            file=str(path),
        )


def add_calendar_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument(
        "--stamp",
        type=_stamp,
        metavar="TIME",
        help=(
            "DTSTAMP of the files, as 2027-01-05T09:00:00Z "
            "(default: SOURCE_DATE_EPOCH, else 00:00 UTC on the plan's first day)"
        ),
    )
    parser.add_argument(
        "--reminder", type=_minutes, metavar="MINUTES", help="add a reminder this long before each meeting"
    )


def _read_plan(path: Path, committee: Committee) -> Plan:
    from rotation.planfile import read_plan

    return read_plan(path, committee)


def _is_committee_file(path: Path) -> bool:
    return path.suffix.lower() in _TOML_SUFFIXES


def _date(text: str) -> dt.date:
    from rotation.config import parse_date

    day = parse_date(text.strip())
    if day is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (use 2027-03-11 or 11-03-2027)")
    return day


def _stamp(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time with a zone, such as 2027-01-05T09:00:00Z")
    if not 1900 <= value.year <= 2199 or not 1900 < value.astimezone(dt.UTC).year < 2200:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time this tool uses (years 1900 to 2199)")
    return value.astimezone(dt.UTC)


def _minutes(text: str) -> int:
    if not text.isdigit() or int(text) > 7 * 24 * 60:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of minutes from 0 to {7 * 24 * 60}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds from 1 to 600")
    return value


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (1 to 65535)")
    return int(text)
