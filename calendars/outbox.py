"""A folder of calendar files to send, with the record of what was delivered.

Every command that makes invites, updates, cancellations or removals
(`rotation plan --ics`, `rotation issue`, `rotation replan --ics`) writes them
into a folder together with ``delivery.json``: one entry per e-mail to send
(file, recipient, meeting, METHOD, SEQUENCE) and, once `rotation send` has
delivered it, when the server accepted it and what it answered. `rotation send`
sends only the files the record lists (a file left by an earlier plan is
refused) and only the e-mails not yet delivered, so a send that fails halfway
is resumed by running it again.

Each e-mail the server accepts is noted at once: one line appended to the
folder's delivery log (``.delivery.log``) and flushed to disk, a constant
amount of work however long the record is. `read_outbox` reads the log with
the record; when the sending ends (also when it fails or is interrupted) the
record is rewritten atomically with everything in it and the log removed. A
send that is killed leaves the log, and the next `rotation send` reads it: no
e-mail noted there is sent twice.

`OutboxMessages` makes the e-mails one at a time as they are sent, reading
and parsing each file once (not once per recipient) and holding only the
current file, so that the memory a send needs does not grow with the number
of e-mails.

When a new batch is written into a folder that already has a record, an
e-mail that was delivered before (the same meeting UID, METHOD, SEQUENCE,
kind and recipient) stays marked as delivered: it is never sent twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from rotation.errors import PlanFileError

if TYPE_CHECKING:
    from email.message import EmailMessage

    from calendars.ics import IssuedFile
    from calendars.mail import _Invite
    from rotation.domain import Committee

__all__ = [
    "LOG_NAME",
    "MAX_EMAILS",
    "RECORD_NAME",
    "Delivery",
    "Outbox",
    "OutboxMessages",
    "outbox_files",
    "read_outbox",
    "save_outbox",
    "write_outbox",
]

RECORD_NAME = "delivery.json"
LOG_NAME = ".delivery.log"
"""What was delivered since the record was last written: one JSON line per e-mail."""
MAX_LOG_BYTES = 200_000_000
MAX_RECORD_BYTES = 50_000_000
"""The largest delivery record read: about 110,000 e-mails."""
MAX_EMAILS = 50_000
"""The most e-mails one `rotation send` sends (or writes with --dry-run); a larger folder is sent a file at a time."""
SCHEMA = 1
_KINDS = ("new", "update", "cancel", "remove")


@dataclass
class Delivery:
    """One e-mail: a calendar file to one recipient, and whether the server accepted it."""

    file: str
    to: str
    """The recipient's e-mail address."""
    name: str
    """The recipient's name."""
    kind: str
    """``new``, ``update``, ``cancel`` or ``remove``."""
    method: str
    """``REQUEST`` or ``CANCEL``."""
    uid: str
    sequence: int
    meeting: str
    """The meeting's id."""
    date: str
    """The meeting's date (ISO)."""
    sent: str | None = None
    """When the server accepted the e-mail (UTC, ISO), or None while it is not delivered."""
    answer: str | None = None
    """The server's last answer for this e-mail (or why it could not be sent)."""
    message_id: str | None = None

    @property
    def key(self) -> tuple[str, str, int, str, str]:
        """What makes two e-mails the same message: the same meeting version to the same person."""
        return (self.uid, self.method, self.sequence, self.to.casefold(), self.kind)


@dataclass
class Outbox:
    """A folder of files to send and its delivery record."""

    folder: Path
    committee_name: str
    timezone: str
    made: str
    """When the files were made (their DTSTAMP, UTC, ISO)."""
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.folder / RECORD_NAME

    @property
    def log(self) -> Path:
        return self.folder / LOG_NAME

    @property
    def files(self) -> list[str]:
        """The files of this batch, in order."""
        return list(dict.fromkeys(delivery.file for delivery in self.deliveries))

    @property
    def pending(self) -> list[Delivery]:
        return [delivery for delivery in self.deliveries if delivery.sent is None]


def write_outbox(
    folder: str | Path,
    committee: Committee,
    files: Sequence[IssuedFile],
    *,
    stamp: dt.datetime,
    also: Sequence[tuple[str, bytes]] = (),
) -> list[Path]:
    """Write `files` (and `also`, such as the overview, which is not sent) with a new delivery record.

    All of them are put in place together (`rotation.files.write_outputs`).
    Returns the paths of `files` and `also`, in that order, then the record's.
    """
    from rotation.files import write_outputs

    return write_outputs(outbox_files(folder, committee, files, stamp=stamp, also=also))


def outbox_files(
    folder: str | Path,
    committee: Committee,
    files: Sequence[IssuedFile],
    *,
    stamp: dt.datetime,
    also: Sequence[tuple[str, bytes]] = (),
) -> list[tuple[Path, bytes]]:
    """The (path, bytes) pairs `write_outbox` writes, the delivery record last.

    E-mails that the folder's earlier record lists as delivered stay so.
    """
    target = Path(folder)
    earlier = _read_quietly(target)
    delivered = (
        {delivery.key: delivery for delivery in earlier.deliveries if delivery.sent is not None}
        if earlier is not None and earlier.committee_name == committee.name
        else {}
    )
    deliveries = []
    for file in files:
        for name, address in file.recipients:
            delivery = Delivery(
                file=file.name,
                to=address,
                name=name,
                kind="new" if address in file.newcomers else file.kind,
                method=file.method,
                uid=_uid(committee, file),
                sequence=file.meeting.sequence,
                meeting=file.meeting.id,
                date=file.meeting.date.isoformat(),
            )
            before = delivered.get(delivery.key)
            if before is not None:
                delivery = dataclasses.replace(
                    delivery, sent=before.sent, answer=before.answer, message_id=before.message_id
                )
            deliveries.append(delivery)
    outbox = Outbox(
        folder=target,
        committee_name=committee.name,
        timezone=committee.cadence.timezone,
        made=stamp.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        deliveries=deliveries,
    )
    return [
        *((target / file.name, file.data) for file in files),
        *((target / name, data) for name, data in also),
        (outbox.path, _dump(outbox).encode("utf-8")),
    ]


def read_outbox(folder: str | Path) -> Outbox | None:
    """The delivery record of a folder, or None when it has none.

    A commit of new files into the folder that a killed run left half-done is
    finished first (`rotation.files.recover`).

    Raises `PlanFileError` naming the file when the record cannot be read.
    """
    from rotation.files import recover

    target = Path(folder)
    recover(target)  # the files of a command killed while it put them in place: all of them, or none
    path = target / RECORD_NAME
    if not path.is_file():
        return None
    source = str(path)
    from rotation.files import UnreadableFile, read_limited

    try:
        data = json.loads(read_limited(path, limit=MAX_RECORD_BYTES, what="a delivery record").decode("utf-8"))
    except UnreadableFile as err:
        raise PlanFileError(str(err), file=source) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise PlanFileError(f"is not a delivery record (JSON): {err}.", file=source) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("messages"), list):
        raise PlanFileError(f"is not a delivery record of rotation (schema {SCHEMA} with 'messages').", file=source)
    deliveries = [_delivery(item, index, source) for index, item in enumerate(data["messages"])]
    texts = {key: data.get(key) for key in ("committee", "timezone", "made")}
    for key, value in texts.items():
        if not isinstance(value, str):
            raise PlanFileError(f"'{key}' is not text.", file=source)
    outbox = Outbox(
        folder=target,
        committee_name=str(texts["committee"]),
        timezone=str(texts["timezone"]),
        made=str(texts["made"]),
        deliveries=deliveries,
    )
    _apply_log(outbox)
    return outbox


def save_outbox(outbox: Outbox, *changed: Delivery) -> None:
    """Note what was delivered.

    With `changed` (the e-mails whose state just changed), one line each is
    appended to the delivery log and flushed to disk. Without, the whole
    record is written atomically (it is either the old one or the new one,
    never half) and the log, now part of it, is removed. Raises
    `PlanFileError` naming the file that cannot be written.
    """
    from rotation.files import atomic_write

    if changed and outbox.path.is_file():
        lines = "".join(_log_line(outbox, delivery) for delivery in changed).encode("utf-8")
        try:
            descriptor = os.open(outbox.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(descriptor, lines)
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        except OSError as err:
            raise PlanFileError(f"cannot be written ({err.strerror or err}).", file=str(outbox.log)) from None
        return
    try:
        atomic_write(outbox.path, _dump(outbox))
        if outbox.log.exists():
            os.unlink(outbox.log)
    except OSError as err:
        raise PlanFileError(f"cannot be written ({err.strerror or err}).", file=str(outbox.path)) from None


def _log_line(outbox: Outbox, delivery: Delivery) -> str:
    item = {
        "made": outbox.made,
        "key": list(delivery.key),
        "sent": delivery.sent,
        "answer": delivery.answer,
        "message_id": delivery.message_id,
    }
    return json.dumps(item, ensure_ascii=False) + "\n"


def _apply_log(outbox: Outbox) -> None:
    """What the delivery log says about the record's e-mails (lines of another record, or torn by a kill, are
    passed over)."""
    from rotation.files import UnreadableFile, read_limited

    if not outbox.log.is_file():
        return
    try:
        data = read_limited(outbox.log, limit=MAX_LOG_BYTES, what="a delivery log")
    except UnreadableFile as err:
        raise PlanFileError(str(err), file=str(outbox.log)) from None
    by_key = {delivery.key: delivery for delivery in outbox.deliveries}
    for line in data.splitlines():
        try:
            item = json.loads(line)
            key = item["key"]
            delivery = by_key.get((key[0], key[1], key[2], key[3], key[4])) if item["made"] == outbox.made else None
        except (ValueError, TypeError, KeyError, IndexError):
            continue
        values = [item.get(name) for name in ("sent", "answer", "message_id")]
        if delivery is None or any(value is not None and not isinstance(value, str) for value in values):
            continue
        sent, answer, message_id = values
        if sent is not None:
            delivery.sent, delivery.answer, delivery.message_id = sent, answer, message_id
        elif delivery.sent is None:
            delivery.answer = answer


class OutboxMessages(Sequence["EmailMessage"]):
    """The e-mails of `deliveries` (of one outbox), made when they are asked for.

    Every file is read and checked when this is made, so that a file that
    cannot be sent is refused before anything goes out (`PlanFileError`
    naming it). The e-mails are not kept: the current file's bytes and the
    last e-mail are, so that asking for them in order reads each file once.
    """

    def __init__(self, outbox: Outbox, deliveries: Sequence[Delivery]) -> None:
        from calendars import mail

        self._folder = outbox.folder
        self._deliveries = list(deliveries)
        if len(self._deliveries) > MAX_EMAILS:
            raise PlanFileError(
                f"holds {len(self._deliveries):,} e-mails to send; one 'rotation send' sends at most {MAX_EMAILS:,}. "
                "Send the folder a file at a time (rotation send FOLDER/FILE.ics), or plan fewer meetings at once.",
                file=str(self._folder),
            )
        self._invites: dict[str, _Invite] = {}
        for delivery in self._deliveries:
            invite = self._invites.get(delivery.file)
            if invite is None:
                source = str(self._folder / delivery.file)
                invite = self._invites[delivery.file] = mail._read(self._data(delivery.file), source)
            mail._recipient(invite, delivery.to, str(self._folder / delivery.file))
        self._current: tuple[str, bytes] | None = None
        self._last: tuple[int, EmailMessage] | None = None

    def __len__(self) -> int:
        return len(self._deliveries)

    @overload
    def __getitem__(self, index: int) -> EmailMessage: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[EmailMessage]: ...

    def __getitem__(self, index: int | slice) -> EmailMessage | Sequence[EmailMessage]:
        from calendars import mail

        if isinstance(index, slice):
            return [self[number] for number in range(*index.indices(len(self)))]
        number = range(len(self))[index]  # IndexError past the end ends iteration
        if self._last is not None and self._last[0] == number:
            return self._last[1]
        delivery = self._deliveries[number]
        if self._current is None or self._current[0] != delivery.file:
            self._current = (delivery.file, self._data(delivery.file))
        invite = self._invites[delivery.file]
        source = str(self._folder / delivery.file)
        message = mail._message(
            invite, self._current[1], mail._recipient(invite, delivery.to, source), kind=delivery.kind
        )
        self._last = (number, message)
        return message

    def _data(self, name: str) -> bytes:
        path = self._folder / name
        try:
            return path.read_bytes()
        except OSError as err:
            raise PlanFileError(f"cannot be read: {err.strerror or err}.", file=str(path)) from None


def _read_quietly(folder: Path) -> Outbox | None:
    try:
        return read_outbox(folder)
    except PlanFileError:
        return None


def _uid(committee: Committee, file: IssuedFile) -> str:
    from calendars.ics import meeting_uid

    return meeting_uid(committee, file.meeting)


def _dump(outbox: Outbox) -> str:
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "committee": outbox.committee_name,
        "timezone": outbox.timezone,
        "made": outbox.made,
        "messages": [dataclasses.asdict(delivery) for delivery in outbox.deliveries],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _delivery(item: object, index: int, source: str) -> Delivery:
    key = f"messages[{index}]"
    if not isinstance(item, dict):
        raise PlanFileError(f"'{key}' is not an object.", file=source)
    texts = ("file", "to", "name", "kind", "method", "uid", "meeting", "date")
    for name in texts:
        if not isinstance(item.get(name), str):
            raise PlanFileError(f"'{key}.{name}' is not text.", file=source)
    if item["kind"] not in _KINDS or item["method"] not in ("REQUEST", "CANCEL"):
        raise PlanFileError(f"'{key}' has an unknown kind or method.", file=source)
    if "/" in item["file"] or "\\" in item["file"] or item["file"].startswith("."):
        raise PlanFileError(f"'{key}.file' is not a file name in the folder: {item['file']!r}.", file=source)
    sequence = item.get("sequence")
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
        raise PlanFileError(f"'{key}.sequence' is not a whole number from 0.", file=source)
    optional = {name: item.get(name) for name in ("sent", "answer", "message_id")}
    for name, value in optional.items():
        if value is not None and not isinstance(value, str):
            raise PlanFileError(f"'{key}.{name}' is not text.", file=source)
    return Delivery(
        file=item["file"],
        to=item["to"],
        name=item["name"],
        kind=item["kind"],
        method=item["method"],
        uid=item["uid"],
        sequence=sequence,
        meeting=item["meeting"],
        date=item["date"],
        sent=optional["sent"],
        answer=optional["answer"],
        message_id=optional["message_id"],
    )
