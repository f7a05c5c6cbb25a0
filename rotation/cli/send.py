"""`rotation send`: e-mail the invites, updates and cancellations of a folder to the unit coordinators.

::

    rotation send updates/ --committee committee.toml --dry-run outbox/
    ROTATION_SMTP_PASSWORD=... rotation send updates/ --smtp-host smtp.example.org --smtp-user secretariaat
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rotation.cli import options
from rotation.errors import EXIT_INPUT, EXIT_OK

if TYPE_CHECKING:
    from calendars.outbox import Delivery, Outbox

__all__ = ["register", "run"]


def register(commands: Any) -> None:
    """Add `rotation send`."""
    parser = commands.add_parser(
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
    parser.add_argument("source", type=Path, help="the folder of files to send, or one .ics file in it")
    options.add_committee_option(parser)
    parser.add_argument(
        "--dry-run", type=Path, metavar="DIR", help="write the e-mails as .eml files here instead of sending"
    )
    parser.add_argument("--yes", "-y", action="store_true", help="send without asking (for scripts)")
    smtp = parser.add_argument_group("SMTP server (default: the ROTATION_SMTP_* environment variables)")
    smtp.add_argument("--smtp-host", metavar="HOST")
    smtp.add_argument(
        "--smtp-port", type=options.port, metavar="PORT", help="default 587 (starttls), 465 (ssl), 25 (none)"
    )
    smtp.add_argument("--smtp-tls", choices=("starttls", "ssl", "none"), help="encryption (default: starttls)")
    smtp.add_argument("--smtp-user", metavar="USER")
    smtp.add_argument(
        "--smtp-password",
        metavar="PASSWORD",
        help="better: set ROTATION_SMTP_PASSWORD, which other users of this machine cannot see",
    )
    smtp.add_argument(
        "--smtp-timeout",
        type=options.timeout,
        metavar="SECONDS",
        help="give up on a silent server after this long (30)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Show what goes to whom, ask, and send the e-mails not yet delivered."""
    from calendars import mail
    from calendars.outbox import OutboxMessages, save_outbox
    from rotation.sending import mark_sent, outbox_for

    committee = options.require_committee(args.committee)
    outbox, only = outbox_for(args.source, committee)
    pending = [d for d in outbox.pending if only is None or d.file == only]
    done = sum(1 for d in outbox.deliveries if d.sent is not None and (only is None or d.file == only))
    if not pending:
        print(f"Everything in {args.source} has been sent ({done} e-mails); there is nothing left to send.")
        return EXIT_OK
    items = OutboxMessages(outbox, pending)  # made one at a time as they are sent
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
        mark_sent(outbox, pending[index], items[index], sent=sent, answer=answer)

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
        save_outbox(outbox)  # the delivery log folded into the record
        done_now = sum(1 for delivery in pending if delivery.sent is not None)
        print(
            f"Interrupted: {done_now} of {len(pending)} e-mails were sent and noted in {outbox.path}; "
            "run the same command again to send the rest.",
            file=sys.stderr,
        )
        return 130
    except BaseException:
        save_outbox(outbox)
        raise
    save_outbox(outbox)
    recipients = len({d.to.casefold() for d in pending})
    print(f"E-mails sent through {settings.host}: {count}, to {recipients} recipients.")
    return EXIT_OK


def _show_plan_of_sending(outbox: Outbox, pending: Sequence[Delivery], done: int, host: str) -> None:
    """What goes to whom: one line per file, then every recipient."""
    words = {"new": "invite", "update": "update", "cancel": "cancellation", "remove": "removal"}
    print(f"To send through {host}, for {outbox.committee_name}:")
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
