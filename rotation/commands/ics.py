"""The `issue` and `send` sub-commands: updates and cancellations for Outlook, sent by e-mail.

::

    rotation issue sent.json current.json --committee committee.toml --out updates/
    rotation send updates/ --committee committee.toml --dry-run outbox/
    ROTATION_SMTP_PASSWORD=... rotation send updates/ --smtp-host smtp.example.org --smtp-user secretariaat

Only `argparse` and `pathlib` are imported here; the calendar and mail code is
imported when a command runs, so that starting the program stays fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from email.message import EmailMessage

    from rotation.domain import Committee, Plan

__all__ = ["add_calendar_options", "register"]

_TOML_SUFFIXES = (".toml",)


def register(subparsers: Any) -> None:
    """Add the `issue` and `send` sub-commands to the `rotation` command."""
    issue = subparsers.add_parser(
        "issue",
        help="write the updates and cancellations since the plan that was last sent",
        description=(
            "Compare the plan that was last sent (its JSON export or its overview.ics) with the current "
            "plan (a JSON export, or a committee file to plan the same period again). Write one update "
            "per changed meeting and one cancellation per removed meeting into --out, and the new plan "
            "with its sequence numbers as the plan to compare with next time."
        ),
    )
    issue.add_argument("previous", type=Path, help="the plan last sent: JSON export or overview.ics")
    issue.add_argument("current", type=Path, help="the current plan (JSON export) or the committee file (TOML)")
    issue.add_argument(
        "--committee", type=Path, help="the committee file (default: CURRENT when it is one, else the built-in example)"
    )
    issue.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the .ics files")
    issue.add_argument(
        "--plan-out",
        type=Path,
        metavar="FILE",
        help="where to write the new plan JSON with its sequence numbers (default: DIR/plan.json)",
    )
    add_calendar_options(issue)
    issue.set_defaults(handler=run_issue)

    send = subparsers.add_parser(
        "send",
        help="e-mail invites, updates and cancellations to the unit coordinators",
        description=(
            "Send every invite, update and cancellation in a folder (as written by 'issue' or 'plan --ics'), "
            "one .ics file, or invites for every meeting of a plan (JSON export or overview.ics), "
            "one e-mail per meeting and coordinator. SMTP settings come from the options or from "
            "ROTATION_SMTP_HOST, _PORT, _USER, _PASSWORD and _TLS; the password is never printed."
        ),
    )
    send.add_argument("source", type=Path, help="a folder of .ics files, one .ics file, or a plan")
    send.add_argument(
        "--committee", type=Path, help="the committee file, to send a plan (default: the built-in example)"
    )
    send.add_argument(
        "--dry-run", type=Path, metavar="DIR", help="write the e-mails as .eml files here instead of sending"
    )
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
    add_calendar_options(send)
    send.set_defaults(handler=run_send)


def run_issue(args: argparse.Namespace) -> int:
    from calendars.ics import changes, default_stamp, write_issued
    from rotation.errors import EXIT_OK
    from rotation.files import atomic_write
    from rotation.render import to_json

    committee_path = args.committee or (args.current if _is_committee_file(args.current) else None)
    committee = _load_committee(committee_path)
    previous = _read_plan(args.previous, committee)
    if _is_committee_file(args.current):
        from rotation.solve import plan

        current = plan(committee, start=previous.start, end=previous.end)
    else:
        current = _read_plan(args.current, committee)
    stamp = args.stamp or default_stamp(current)
    new_plan, files = changes(committee, previous, current, stamp=stamp, reminder_minutes=args.reminder)
    written = write_issued(files, args.out)
    plan_out = args.plan_out or args.out / "plan.json"
    plan_out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(plan_out, to_json(committee, new_plan).encode("utf-8"))
    dutch = committee.language == "nl"
    words = {"new": ("nieuw", "new"), "update": ("gewijzigd", "updated"), "cancel": ("vervalt", "cancelled")}
    for file, path in zip(files, written, strict=True):
        meeting = file.meeting
        word = words[file.kind][0 if dutch else 1]
        print(f"{path}  {word}: {meeting.id} {meeting.date.isoformat()} (SEQUENCE {meeting.sequence})")
    if not files:
        print("Niets gewijzigd; geen bestanden te versturen." if dutch else "Nothing changed; no files to send.")
    print(f"{plan_out}  {'plan om de volgende keer mee te vergelijken' if dutch else 'plan to compare with next time'}")
    return EXIT_OK


def run_send(args: argparse.Namespace) -> int:
    from calendars import mail
    from rotation.errors import EXIT_OK

    items = _messages(args)
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
    )
    count = mail.send(
        items,
        settings.host,
        settings.port,
        security=settings.security,
        username=settings.username,
        password=settings.password,
        timeout=settings.timeout,
    )
    recipients = len({str(message["To"]) for message in items})
    print(f"E-mails sent through {settings.host}: {count}, to {recipients} recipients.", file=sys.stdout)
    return EXIT_OK


def _messages(args: argparse.Namespace) -> list[EmailMessage]:
    from calendars import mail
    from rotation.errors import PlanFileError

    source: Path = args.source
    if source.is_dir():
        return mail.messages_for_folder(source)
    try:
        head = source.read_bytes()
    except OSError as err:
        raise PlanFileError(f"cannot be read: {err.strerror or err}.", file=str(source)) from None
    if head.lstrip().upper().startswith(b"BEGIN:VCALENDAR") and b"METHOD:PUBLISH" not in head.upper():
        return mail.messages(head, source=str(source))
    from calendars.ics import default_stamp, invite

    committee = _load_committee(args.committee)
    planned = _read_plan(source, committee)
    stamp = args.stamp or default_stamp(planned)
    items: list[EmailMessage] = []
    for meeting in sorted(planned.meetings, key=lambda m: (m.date, m.start, m.id)):
        data = invite(committee, meeting, stamp=stamp, reminder_minutes=args.reminder)
        items.extend(mail.messages(data, source=f"{source} ({meeting.id})"))
    return items


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


def _load_committee(path: Path | None) -> Committee:
    from rotation.config import example_text, load, loads

    return loads(example_text(), source="<built-in example>") if path is None else load(path)


def _read_plan(path: Path, committee: Committee) -> Plan:
    from rotation.planfile import read_plan

    return read_plan(path, committee)


def _is_committee_file(path: Path) -> bool:
    return path.suffix.lower() in _TOML_SUFFIXES


def _stamp(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time with a zone, such as 2027-01-05T09:00:00Z")
    return value.astimezone(dt.UTC)


def _minutes(text: str) -> int:
    if not text.isdigit() or int(text) > 7 * 24 * 60:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of minutes from 0 to {7 * 24 * 60}")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (1 to 65535)")
    return int(text)
