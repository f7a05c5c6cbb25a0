"""Invites by e-mail (iMIP, RFC 6047): one message per meeting file and recipient.

Each message is ``multipart/alternative`` with a short text/plain summary and
the calendar file as ``text/calendar; method=REQUEST`` (or ``CANCEL``)
``; charset=UTF-8``. That is how Outlook recognises a meeting request and shows
Accept/Decline; a bare ``.ics`` attachment would be treated as a file.

`messages` builds the messages from an invite, update or cancellation written
by `calendars.ics`: From is the ORGANIZER (the secretary), To one ATTENDEE
(a unit coordinator) per message. `send` delivers them through an SMTP server;
`write_eml` writes them as ``.eml`` files instead, for a dry run. Passwords are
never printed, logged or written into a message.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rotation.errors import MailError, PlanFileError
from rotation.messages import gettext

if TYPE_CHECKING:
    from email.headerregistry import Address
    from email.message import EmailMessage

__all__ = [
    "ENV_HOST",
    "ENV_PASSWORD",
    "ENV_PORT",
    "ENV_TIMEOUT",
    "ENV_TLS",
    "ENV_USER",
    "MailError",
    "SmtpSettings",
    "message_for",
    "messages",
    "messages_for_files",
    "messages_for_folder",
    "send",
    "write_eml",
]

ENV_HOST = "ROTATION_SMTP_HOST"
ENV_PORT = "ROTATION_SMTP_PORT"
ENV_USER = "ROTATION_SMTP_USER"
ENV_PASSWORD = "ROTATION_SMTP_PASSWORD"
ENV_TLS = "ROTATION_SMTP_TLS"
ENV_TIMEOUT = "ROTATION_SMTP_TIMEOUT"

Security = Literal["starttls", "ssl", "none"]
SECURITY_CHOICES: tuple[Security, ...] = ("starttls", "ssl", "none")
DEFAULT_PORTS: Mapping[str, int] = {"starttls": 587, "ssl": 465, "none": 25}
_LOOPBACK = ("localhost", "127.0.0.1", "::1")
_MESSAGE_NAMESPACE = uuid.UUID("0b0f5d0e-8f43-5c38-a2a5-3f1e6c2d4a77")


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send: the SMTP server and the log-in (the password is never shown)."""

    host: str
    port: int | None = None
    """None: 587 for STARTTLS, 465 for SSL, 25 without encryption."""
    security: Security = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        host: str | None = None,
        port: int | None = None,
        security: str | None = None,
        username: str | None = None,
        password: str | None = None,
        timeout: float | None = None,
    ) -> SmtpSettings:
        """Settings from the arguments, else from ``ROTATION_SMTP_HOST/PORT/USER/PASSWORD/TLS/TIMEOUT``.

        Raises `MailError` when no host is given or a value cannot be used.
        """
        env = os.environ if environ is None else environ
        host = host or env.get(ENV_HOST, "").strip()
        if not host:
            raise MailError(f"no SMTP server: give --smtp-host or set {ENV_HOST}.")
        if port is None and env.get(ENV_PORT, "").strip():
            text = env[ENV_PORT].strip()
            if not text.isdigit():
                raise MailError(f"{ENV_PORT} is '{text}', not a port number.")
            port = int(text)
        if port is not None and not 0 < port < 65536:
            raise MailError(f"the SMTP port {port} is not a port number (1 to 65535).")
        if timeout is None and env.get(ENV_TIMEOUT, "").strip():
            text = env[ENV_TIMEOUT].strip()
            try:
                timeout = float(text)
            except ValueError:
                raise MailError(f"{ENV_TIMEOUT} is '{text}', not a number of seconds.") from None
        if timeout is not None and not 0 < timeout <= 600:
            raise MailError(f"the SMTP timeout {timeout:g} is not a number of seconds from 1 to 600.")
        chosen = (security or env.get(ENV_TLS, "") or "starttls").strip().lower()
        if chosen not in SECURITY_CHOICES:
            raise MailError(f"the SMTP security '{chosen}' is not one of {', '.join(SECURITY_CHOICES)}.")
        return cls(
            host=host,
            port=port,
            security=chosen,
            username=username or env.get(ENV_USER) or None,
            password=password or env.get(ENV_PASSWORD) or None,
            timeout=timeout if timeout is not None else 30.0,
        )


@dataclass(frozen=True)
class _Invite:
    method: str
    uid: str
    sequence: int
    summary: str
    start: dt.datetime
    end: dt.datetime
    zone: str
    location: str
    description: str
    organizer: tuple[str, str]
    attendees: tuple[tuple[str, str], ...]
    stamp: dt.datetime
    language: str
    cancelled: bool
    """STATUS:CANCELLED: the meeting is off (a CANCEL without it only removes its attendees)."""


def messages(ics: bytes, *, source: str = "<calendar>") -> list[EmailMessage]:
    """One e-mail per ATTENDEE for an invite, update or cancellation file.

    Raises `PlanFileError` when `ics` is not a REQUEST or CANCEL file with one
    event, an ORGANIZER and at least one ATTENDEE.
    """
    invite = _read(ics, source)
    return [_message(invite, ics, recipient) for recipient in invite.attendees]


def message_for(ics: bytes, address: str, *, kind: str | None = None, source: str = "<calendar>") -> EmailMessage:
    """The e-mail of an invite, update, cancellation or removal file to one of its ATTENDEEs.

    `kind` (``new``, ``update``, ``cancel``, ``remove``) chooses the subject;
    by default it follows from the file. Raises `PlanFileError` when the file
    is not one to send or `address` is not among its attendees.
    """
    invite = _read(ics, source)
    return _message(invite, ics, _recipient(invite, address, source), kind=kind)


def _recipient(invite: _Invite, address: str, source: str) -> tuple[str, str]:
    """The ATTENDEE of `invite` with this e-mail address; `PlanFileError` when it has none."""
    wanted = address.casefold()
    for recipient in invite.attendees:
        if recipient[1].casefold() == wanted:
            return recipient
    raise PlanFileError(f"does not invite {address}; it is not an ATTENDEE of the file.", file=source)


def messages_for_files(paths: Iterable[str | Path]) -> list[EmailMessage]:
    """The messages for several invite files, in the order given."""
    found: list[EmailMessage] = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            raise PlanFileError(f"cannot be read: {err.strerror or err}.", file=str(path)) from err
        found.extend(messages(data, source=str(path)))
    return found


def messages_for_folder(directory: str | Path) -> list[EmailMessage]:
    """The messages for every invite, update and cancellation (``*.ics``) in a folder.

    Files are taken in name order; the year overview (``METHOD:PUBLISH``) is
    for importing, not for sending, and is left out.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise PlanFileError("is not a folder of .ics files.", file=str(folder))
    paths = [path for path in sorted(folder.glob("*.ics")) if _method(path.read_bytes()) != "PUBLISH"]
    if not paths:
        raise PlanFileError("holds no invites, updates or cancellations (*.ics) to send.", file=str(folder))
    return messages_for_files(paths)


def write_eml(items: Sequence[EmailMessage], directory: str | Path) -> list[Path]:
    """Write each message as an ``.eml`` file (CRLF line ends) into `directory`, for a dry run."""
    from email import policy

    from rotation.files import write_folder

    width = max(3, len(str(len(items))))

    def files() -> Iterator[tuple[str, bytes]]:  # one at a time: the messages are not all held
        for number, message in enumerate(items, 1):
            recipient = re.sub(r"[^A-Za-z0-9._@-]+", "-", str(message["To"].addresses[0].addr_spec))
            methods = [
                part.get_param("method") for part in message.walk() if part.get_content_type() == "text/calendar"
            ]
            method = str(methods[0]).lower() if methods else "mail"
            yield f"{number:0{width}d}-{method}-{recipient}.eml", message.as_bytes(policy=policy.SMTP)

    return write_folder(directory, files())


def send(
    items: Sequence[EmailMessage],
    host: str,
    port: int | None = None,
    *,
    security: Security = "starttls",
    username: str | None = None,
    password: str | None = None,
    timeout: float = 30.0,
    on_result: Callable[[int, bool, str], None] | None = None,
) -> int:
    """Send the messages through one SMTP connection and return how many were sent.

    `security` is ``starttls`` (default, port 587), ``ssl`` (port 465) or
    ``none`` (port 25; a password is then only sent to this machine itself).
    `timeout` (seconds) bounds every step: connecting, each command and each
    answer. After each message `on_result(index, sent, answer)` is called with
    the server's answer, so that the caller can record what was delivered as it
    goes. A recipient or message the server refuses for good (a 5xx answer) is
    reported and the others are still sent; anything else (a temporary
    refusal, a dropped connection, a timeout) stops the sending. Raises
    `MailError` naming the server and how many messages went out, never the
    password.
    """
    import smtplib
    import ssl

    if security not in SECURITY_CHOICES:
        raise MailError(f"the SMTP security '{security}' is not one of {', '.join(SECURITY_CHOICES)}.")
    port = port or DEFAULT_PORTS[security]
    where = f"{host}:{port}"
    if username and security == "none" and host not in _LOOPBACK:
        raise MailError(
            f"will not send the password for '{username}' to {where} without encryption; "
            "use --smtp-tls starttls or ssl."
        )
    report = on_result or (lambda index, sent, answer: None)
    sent = 0
    refused: list[str] = []
    current: int | None = None

    def rest() -> str:
        return f"{sent} of {len(items)} messages were sent; run the same command again to send the rest."

    try:
        context = ssl.create_default_context()
        client = (
            smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
            if security == "ssl"
            else smtplib.SMTP(host, port, timeout=timeout)
        )
        with client:
            client.ehlo()
            if security == "starttls":
                if not client.has_extn("starttls"):
                    raise MailError(f"the SMTP server {where} does not offer STARTTLS; use --smtp-tls ssl or none.")
                client.starttls(context=context)
                client.ehlo()
            if username:
                client.login(username, password or "")
            from email.utils import format_datetime

            sent_at = format_datetime(dt.datetime.now(dt.UTC).replace(microsecond=0))
            for index, message in enumerate(items):
                current = index
                # the Date of a message that is really sent is the moment it is sent; a dry
                # run keeps the calendar's DTSTAMP, so that its .eml files are reproducible
                del message["Date"]
                message["Date"] = sent_at
                try:
                    answer = _deliver(client, message)
                except smtplib.SMTPResponseException as err:
                    if err.smtp_code < 500 or isinstance(err, smtplib.SMTPServerDisconnected):
                        raise
                    client.rset()
                    report(index, False, _reply(err))
                    refused.append(f"{message['To'].addresses[0].addr_spec} ({_reply(err)})")
                    continue
                except smtplib.SMTPRecipientsRefused as err:
                    answers = [f"{code} {_text(text)}" for code, text in err.recipients.values()]
                    if any(not answer.startswith("5") for answer in answers):
                        raise
                    client.rset()
                    report(index, False, "; ".join(answers))
                    refused.append(f"{message['To'].addresses[0].addr_spec} ({'; '.join(answers)})")
                    continue
                sent += 1
                current = None
                report(index, True, answer)
            current = None
    except MailError:
        raise
    except smtplib.SMTPAuthenticationError as err:
        raise MailError(f"the SMTP server {where} refused the log-in of '{username}' ({_reply(err)}).") from None
    except (smtplib.SMTPException, OSError) as err:
        reason = f"{err.__class__.__name__}: {_reply(err)}"
        if current is not None:
            report(current, False, reason)
        raise MailError(f"sending through {where} failed ({reason}); {rest()}") from None
    if refused:
        raise MailError(f"the SMTP server {where} refused {', '.join(refused)}; {rest()}")
    return sent


def _deliver(client: Any, message: EmailMessage) -> str:
    """Hand one message to the server (MAIL, RCPT, DATA) and return the server's answer to it."""
    import smtplib
    from email import policy

    sender = message["From"].addresses[0].addr_spec
    recipient = message["To"].addresses[0].addr_spec
    payload = message.as_bytes(policy=policy.SMTP)
    options = ["BODY=8BITMIME"] if not payload.isascii() and client.has_extn("8bitmime") else []
    code, text = client.mail(sender, options)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, text, sender)
    code, text = client.rcpt(recipient)
    if code not in (250, 251):
        raise smtplib.SMTPRecipientsRefused({recipient: (code, text)})
    code, text = client.data(payload)
    if code != 250:
        raise smtplib.SMTPDataError(code, text)
    return f"{code} {_text(text)}".strip()


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _reply(err: BaseException) -> str:
    """The server's answer or the system's reason, without anything the user typed."""
    code = getattr(err, "smtp_code", None)
    text = getattr(err, "smtp_error", None)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if code is not None:
        return f"{code} {text or ''}".strip()
    return getattr(err, "strerror", None) or str(err) or err.__class__.__name__


def _method(data: bytes) -> str:
    match = re.search(rb"^METHOD:([A-Za-z-]+)\r?$", data, re.MULTILINE)
    return match.group(1).decode("ascii").upper() if match else ""


def _read(ics: bytes, source: str) -> _Invite:
    from icalendar import Calendar

    def fail(message: str) -> PlanFileError:
        return PlanFileError(message, file=source)

    try:
        calendar = Calendar.from_ical(ics)
    except ValueError as err:
        raise fail(f"is not valid iCalendar: {err}") from err
    method = str(calendar.get("METHOD", "")).upper()
    if method not in ("REQUEST", "CANCEL"):
        raise fail(
            f"is a METHOD:{method or '(none)'} file; only invites (REQUEST) and cancellations (CANCEL) are sent."
        )
    events = calendar.walk("VEVENT")
    if len(events) != 1:
        raise fail(f"holds {len(events)} events; an invite holds exactly one, as Outlook reads only the first.")
    event = events[0]
    start, end = event.get("DTSTART"), event.get("DTEND")
    if start is None or end is None or not isinstance(start.dt, dt.datetime):
        raise fail("the event needs DTSTART and DTEND with a time.")
    organizer = event.get("ORGANIZER")
    if organizer is None:
        raise fail("the event has no ORGANIZER to send it from.")
    attendees = tuple(_address(value) for value in _all(event.get("ATTENDEE")))
    if not attendees:
        raise fail("the event has no ATTENDEE to send it to.")
    prodid = str(calendar.get("PRODID", ""))
    stamp = event.get("DTSTAMP")
    return _Invite(
        method=method,
        uid=str(event.get("UID", "")),
        sequence=int(event.get("SEQUENCE", 0)),
        summary=str(event.get("SUMMARY", "")),
        start=start.dt,
        end=end.dt,
        zone=str(start.params.get("TZID", "UTC")),
        location=str(event.get("LOCATION", "")),
        description=str(event.get("DESCRIPTION", "")),
        organizer=_address(organizer),
        attendees=attendees,
        stamp=stamp.dt if stamp is not None else start.dt,
        language=prodid.rpartition("//")[2].lower() or "en",
        cancelled=str(event.get("STATUS", "")).upper() == "CANCELLED",
    )


def _address(value: object) -> tuple[str, str]:
    """(display name, e-mail address) of an ORGANIZER or ATTENDEE value."""
    address = str(value)
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:") :]
    params = getattr(value, "params", {})
    name = " ".join(str(params.get("CN", "")).replace('"', "").split())
    return name, address


def _all(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _kind(invite: _Invite) -> str:
    if invite.method == "CANCEL":
        return "cancel" if invite.cancelled else "remove"
    return "update" if invite.sequence > 0 else "new"


def _message(invite: _Invite, ics: bytes, recipient: tuple[str, str], *, kind: str | None = None) -> EmailMessage:
    import hashlib
    from email.message import EmailMessage
    from email.utils import format_datetime

    def words(key: str) -> str:
        return gettext(invite.language, f"mail.{key}")

    kind = kind if kind in ("new", "update", "cancel", "remove") else _kind(invite)
    day = _day(invite)
    message = EmailMessage()
    message["From"] = _header_address(invite.organizer)
    message["To"] = _header_address(recipient)
    message["Subject"] = f"{words(kind)}: {invite.summary} – {day}"
    message["Date"] = format_datetime(invite.stamp.astimezone(dt.UTC))
    # the file's own bytes are part of the key: two different messages never share a Message-ID,
    # while the same file to the same person gives the same one (a dry run stays reproducible)
    digest = hashlib.sha256(ics).hexdigest()
    key = f"{invite.uid}\n{invite.method}\n{invite.sequence}\n{kind}\n{recipient[1].casefold()}\n{digest}"
    domain = invite.organizer[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = f"<{uuid.uuid5(_MESSAGE_NAMESPACE, key)}@{domain}>"
    lines = [
        f"{words(kind)}: {invite.summary}",
        f"{words('when')}: {_when(invite)}",
    ]
    if invite.location:
        lines.append(f"{words('where')}: {invite.location}")
    # a cancellation's and a removal's own text (first in the description below) says why
    lines += ["", words("removed") if kind in ("cancel", "remove") else words("reply")]
    if invite.description:
        lines += ["", invite.description]
    # quoted-printable keeps every line 7-bit: no server needs 8BITMIME for it
    message.set_content("\n".join(lines) + "\n", cte="quoted-printable")
    message.add_alternative(
        ics,
        maintype="text",
        subtype="calendar",
        params={"method": invite.method, "charset": "UTF-8"},
    )
    message.set_boundary(f"=_rotation_{uuid.uuid5(_MESSAGE_NAMESPACE, key).hex}")
    return message


def _header_address(person: tuple[str, str]) -> Address:
    from email.headerregistry import Address

    name, email = person
    username, _, domain = email.partition("@")
    return Address(display_name=name, username=username, domain=domain)


def _day(invite: _Invite) -> str:
    from rotation.i18n import format_date, weekday_name

    day = invite.start.date()
    return f"{weekday_name(day.weekday(), invite.language)} {format_date(day, invite.language)}"


def _when(invite: _Invite) -> str:
    return f"{_day(invite)}, {invite.start:%H:%M}–{invite.end:%H:%M} ({invite.zone})"
