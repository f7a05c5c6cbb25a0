"""A send that fails halfway is resumed: real SMTP servers (aiosmtpd) on 127.0.0.1 that refuse, drop or are not there.

Every e-mail the server accepts is written into the folder's delivery record at once; running the same
`rotation send` again sends only what was not delivered, so no coordinator gets a message twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import json
import socket
import time
from email import policy
from pathlib import Path

import pytest
from conftest import EXAMPLE_FILE, free_port

from calendars import ics
from calendars.outbox import read_outbox, write_outbox
from rotation.cli import main
from rotation.config import example_text, loads
from rotation.domain import Committee, Plan

pytestmark = pytest.mark.slow

STAMP = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


class Server:
    """An aiosmtpd handler that accepts `limit` messages and then refuses them, or drops the connection."""

    def __init__(self, limit: int | None = None, how: str = "refuse") -> None:
        self.limit = limit
        self.how = how
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.limit is not None and len(self.received) >= self.limit:
            if self.how == "drop":
                server.transport.close()
                return "421 closing"
            if self.how == "reject":
                return "554 5.7.1 Message rejected"
            return "451 4.7.1 Too many messages, try again later"
        self.received.append((list(envelope.rcpt_tos), envelope.original_content))
        return f"250 2.0.0 Ok: queued as Q{len(self.received):03d}"

    def message_ids(self) -> list[str]:
        return [str(email.message_from_bytes(raw, policy=policy.default)["Message-ID"]) for _, raw in self.received]


def method(raw: bytes) -> str:
    message = email.message_from_bytes(raw, policy=policy.default)
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return str(part.get_param("method"))


@pytest.fixture(scope="module")
def committee() -> Committee:
    return loads(example_text(), source=EXAMPLE_FILE)


@pytest.fixture
def folder(committee: Committee, example_plan: Plan, tmp_path: Path) -> Path:
    """An update of one meeting (12 e-mails) and a cancellation of another (12 more), ready to send."""
    issued, _ = ics.changes(committee, dataclasses.replace(example_plan, meetings=()), example_plan, stamp=STAMP)
    moved = dataclasses.replace(issued.by_id()["2023-05"], date=dt.date(2023, 9, 14))
    current = dataclasses.replace(
        issued, meetings=tuple(moved if m.id == "2023-05" else m for m in issued.meetings if m.id != "2023-06")
    )
    _, files = ics.changes(committee, issued, current, stamp=STAMP)
    assert [(f.kind, f.meeting.id) for f in files] == [("update", "2023-05"), ("cancel", "2023-06")]
    out = tmp_path / "changes"
    write_outbox(out, committee, files, stamp=STAMP)
    return out


def send(folder: Path, port: int, *extra: str) -> int:
    return main(
        [
            "send",
            str(folder),
            "--committee",
            EXAMPLE_FILE,
            "--yes",
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            str(port),
            "--smtp-tls",
            "none",
            *extra,
        ]
    )


def record(folder: Path) -> list[dict[str, object]]:
    messages: list[dict[str, object]] = json.loads((folder / "delivery.json").read_text("utf-8"))["messages"]
    return messages


@pytest.mark.parametrize("how", ["refuse", "drop"])
def test_a_send_that_fails_after_two_messages_is_resumed_without_sending_any_twice(folder, smtp_servers, how, capsys):
    first = Server(limit=2, how=how)
    assert send(folder, smtp_servers(first)) == 2
    err = capsys.readouterr().err
    assert err.startswith("Mail error: sending through 127.0.0.1:")
    assert "2 of 24 messages were sent; run the same command again to send the rest." in err
    entries = record(folder)
    delivered = [e for e in entries if e["sent"]]
    assert [(e["file"], e["to"]) for e in delivered] == [
        ("update-2023-05-1.ics", "amsterdam@example.org"),
        ("update-2023-05-1.ics", "zwb@example.org"),
    ]
    assert [e["answer"] for e in delivered] == ["250 2.0.0 Ok: queued as Q001", "250 2.0.0 Ok: queued as Q002"]
    assert all(e["message_id"] for e in delivered)
    refused = entries[2]
    assert refused["sent"] is None
    assert ("451 4.7.1" in str(refused["answer"])) if how == "refuse" else refused["answer"]

    second = Server()
    assert send(folder, smtp_servers(second)) == 0
    out = capsys.readouterr().out
    assert "22 e-mails to 12 recipients (2 sent before are not sent again)." in out
    assert "E-mails sent through 127.0.0.1: 22, to 12 recipients." in out
    got = [(rcpt[0], method(raw)) for rcpt, raw in first.received + second.received]
    expected = [(e["to"], e["method"]) for e in record(folder)]
    assert sorted(got) == sorted(expected) and len(set(got)) == 24  # every e-mail once, none twice
    assert len(set(first.message_ids() + second.message_ids())) == 24
    assert all(e["sent"] for e in record(folder))

    third = Server()
    assert send(folder, smtp_servers(third)) == 0
    assert "there is nothing left to send" in capsys.readouterr().out
    assert third.received == []


def test_a_recipient_refused_for_good_is_reported_and_the_others_are_sent(folder, smtp_servers, capsys):
    server = Server(limit=1, how="reject")
    assert send(folder, smtp_servers(server)) == 2
    err = capsys.readouterr().err
    assert "refused zwb@example.org (554 5.7.1 Message rejected)" in err
    assert "1 of 24 messages were sent" in err
    assert [e["sent"] is not None for e in record(folder)] == [True] + [False] * 23


def test_a_server_that_is_not_listening_sends_nothing_and_says_so(folder, capsys):
    before = (folder / "delivery.json").read_bytes()
    assert send(folder, free_port()) == 2
    err = capsys.readouterr().err
    assert "ConnectionRefusedError" in err and "0 of 24 messages were sent" in err
    assert (folder / "delivery.json").read_bytes() == before


def test_a_server_that_never_answers_times_out(folder, capsys):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        began = time.monotonic()
        assert send(folder, port, "--smtp-timeout", "1") == 2
        assert time.monotonic() - began < 10
    err = capsys.readouterr().err
    assert "timed out" in err and "0 of 24 messages were sent" in err


def test_the_delivery_record_keeps_what_was_delivered_when_the_files_are_made_again(
    committee, example_plan, folder, smtp_servers, capsys
):
    server = Server(limit=2)
    assert send(folder, smtp_servers(server)) == 2
    capsys.readouterr()
    # the same changes written into the folder again: the two delivered e-mails stay delivered
    issued, _ = ics.changes(committee, dataclasses.replace(example_plan, meetings=()), example_plan, stamp=STAMP)
    moved = dataclasses.replace(issued.by_id()["2023-05"], date=dt.date(2023, 9, 14))
    current = dataclasses.replace(
        issued, meetings=tuple(moved if m.id == "2023-05" else m for m in issued.meetings if m.id != "2023-06")
    )
    _, files = ics.changes(committee, issued, current, stamp=STAMP + dt.timedelta(hours=1))
    write_outbox(folder, committee, files, stamp=STAMP + dt.timedelta(hours=1))
    outbox = read_outbox(folder)
    assert outbox is not None and len(outbox.pending) == 22


def test_an_interrupted_send_keeps_what_was_delivered_and_resumes(folder, smtp_servers, monkeypatch, capsys):
    from calendars import outbox as box

    real = box.save_outbox
    saved: list[int] = []

    def save_then_interrupt(outbox: box.Outbox, *changed: box.Delivery) -> None:  # Ctrl-C after the second e-mail
        real(outbox, *changed)
        saved.append(1)
        if len(saved) == 2:
            raise KeyboardInterrupt

    server = Server()
    port = smtp_servers(server)
    monkeypatch.setattr(box, "save_outbox", save_then_interrupt)
    assert send(folder, port) == 130
    assert "Interrupted: 2 of 24 e-mails were sent and noted in" in capsys.readouterr().err
    assert [e["sent"] is not None for e in record(folder)] == [True, True] + [False] * 22
    monkeypatch.setattr(box, "save_outbox", real)
    assert send(folder, port) == 0
    assert len(server.received) == 24
    assert len(set(server.message_ids())) == 24


def test_a_send_that_is_killed_keeps_what_was_delivered(folder, smtp_servers):
    """SIGKILL after three e-mails: nothing could rewrite the record, but the log has them; none is sent twice."""
    import contextlib
    import os
    import signal

    class Killer(Server):
        pid = 0

        async def handle_DATA(self, server, session, envelope) -> str:
            if len(self.received) == 3:
                os.kill(self.pid, signal.SIGKILL)
                return "451 4.3.0 gone"
            return await super().handle_DATA(server, session, envelope)

    first = Killer()
    port = smtp_servers(first)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 99
        try:
            with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
                first.pid = os.getpid()
                code = send(folder, port)
        finally:
            os._exit(code)
    first.pid = pid
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert len(first.received) == 3
    assert all(entry["sent"] is None for entry in record(folder))  # the record was not rewritten...
    assert len((folder / ".delivery.log").read_text("utf-8").splitlines()) == 3  # ...but each e-mail was noted
    outbox = read_outbox(folder)
    assert outbox is not None and len(outbox.pending) == 21

    second = Server()
    assert send(folder, smtp_servers(second)) == 0
    assert not (folder / ".delivery.log").exists()
    assert all(entry["sent"] for entry in record(folder))
    got = sorted(rcpt[0] + method(raw) for rcpt, raw in first.received + second.received)
    assert got == sorted(str(e["to"]) + str(e["method"]) for e in record(folder))
    assert len(set(first.message_ids() + second.message_ids())) == 24


def test_a_folder_with_more_e_mails_than_one_send_sends_is_refused_before_any_goes_out(
    folder, smtp_servers, monkeypatch, capsys
):
    from calendars import outbox as box

    monkeypatch.setattr(box, "MAX_EMAILS", 20)
    server = Server()
    port = smtp_servers(server)
    assert send(folder, port) == 2
    err = capsys.readouterr().err
    assert err == (
        f"Planning file error: {folder}: holds 24 e-mails to send; one 'rotation send' sends at most 20. "
        "Send the folder a file at a time (rotation send FOLDER/FILE.ics), or plan fewer meetings at once.\n"
    )
    assert server.received == []
    assert send(folder / "update-2023-05-1.ics", port) == 0  # a file at a time: 12 e-mails
    assert len(server.received) == 12
