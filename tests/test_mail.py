"""Invites by e-mail, delivered to a real SMTP server (aiosmtpd) on 127.0.0.1 and read back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.utils
import socket
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from conftest import EXAMPLE_FILE
from icalendar import Calendar

from calendars import ics, mail
from rotation.config import example_text, loads
from rotation.domain import Committee, Meeting, Mode, Plan
from rotation.errors import PlanFileError

STAMP = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
USER, PASSWORD = "secretariaat", "s3cret-Pa55word"


def example_committee() -> Committee:
    return loads(example_text(), source="<built-in example>")


def sample_plan(committee: Committee) -> Plan:
    def at(meeting_id: str, day: dt.date, mode: Mode, location: str, *holders: str) -> Meeting:
        roles = dict(zip(("chair", "minute_taker", "case", "knowledge"), holders, strict=True))
        return Meeting(meeting_id, day, dt.time(10), dt.time(12, 30), mode, location, roles)

    meetings = (
        at(
            "2027-01",
            dt.date(2027, 3, 25),
            Mode.TEAMS,
            "Microsoft Teams-vergadering",
            "Amsterdam",
            "Noord-Nederland",
            "Rotterdam",
            "Den Haag",
        ),
        at(
            "2027-02",
            dt.date(2027, 4, 1),
            Mode.PHYSICAL,
            "Eenheid Noord-Nederland",
            "Noord-Nederland",
            "Oost-Nederland",
            "Den Haag",
            "Oost-Brabant",
        ),
        at(
            "2027-03",
            dt.date(2027, 10, 28),
            Mode.TEAMS,
            "Microsoft Teams-vergadering",
            "Oost-Nederland",
            "Midden-Nederland",
            "Oost-Brabant",
            "Amsterdam",
        ),
    )
    return Plan(committee.name, committee.cadence.timezone, dt.date(2027, 1, 1), dt.date(2027, 12, 31), meetings)


@pytest.fixture(scope="module")
def committee() -> Committee:
    return example_committee()


@pytest.fixture(scope="module")
def plan(committee: Committee) -> Plan:
    return sample_plan(committee)


@pytest.fixture
def issued(committee: Committee, plan: Plan) -> list[ics.IssuedFile]:
    """One update (a moved meeting) and one cancellation (a removed meeting)."""
    moved = dataclasses.replace(plan.meetings[0], date=dt.date(2027, 3, 18))
    current = dataclasses.replace(plan, meetings=(moved, plan.meetings[1]))
    _, files = ics.changes(committee, plan, current, stamp=STAMP)
    return files


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(content, policy=policy.default) for _, _, content in self.received]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


LOGINS: list[str] = []


def check_login(server, session, envelope, mechanism, auth_data) -> AuthResult:
    """The test server's password check; it notes every user name that logged in."""
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    if ok:
        LOGINS.append(auth_data.login.decode())
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, Mailbox]]:
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, box
    finally:
        controller.stop()


@pytest.fixture
def smtp_server_with_login() -> Iterator[tuple[Controller, Mailbox]]:
    box = Mailbox()
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=check_login,
        auth_require_tls=False,  # loopback only: the test server has no certificate
    )
    controller.start()
    try:
        yield controller, box
    finally:
        controller.stop()


def calendar_part(message: EmailMessage) -> tuple[str, Calendar]:
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/calendar"]
    part = parts[1]
    assert part.get_param("charset").upper() == "UTF-8"
    return str(part.get_param("method")), Calendar.from_ical(part.get_payload(decode=True))


# -- messages ---------------------------------------------------------------------------------------------------


def test_one_message_per_coordinator_from_the_secretary(committee, plan):
    data = ics.invite(committee, plan.meetings[0], stamp=STAMP)
    items = mail.messages(data)
    assert len(items) == 12
    assert [m["To"].addresses[0].addr_spec for m in items] == [u.coordinator.email for u in committee.units]
    for message in items:
        assert message["From"].addresses[0].addr_spec == "secretariaat@example.org"
        assert message["From"].addresses[0].display_name == "Secretariaat coördinatorenoverleg"
        assert message["Subject"] == "Uitnodiging: Landelijk coördinatorenoverleg – MS Teams – donderdag 25-03-2027"
        method, calendar = calendar_part(message)
        assert method == "REQUEST"
        assert calendar.to_ical() == data
    text = items[0].get_body(("plain",)).get_content()
    assert "Wanneer: donderdag 25-03-2027, 10:00–12:30 (Europe/Amsterdam)" in text
    assert "Voorzitter: Amsterdam" in text


def test_update_and_cancellation_subjects(committee, issued):
    update, cancel = issued
    assert mail.messages(update.data)[0]["Subject"].startswith("Gewijzigd: ")
    first = mail.messages(cancel.data)[0]
    assert first["Subject"].startswith("Geannuleerd: ")
    assert calendar_part(first)[0] == "CANCEL"


def test_messages_are_the_same_bytes_for_the_same_file(committee, plan):
    data = ics.invite(committee, plan.meetings[1], stamp=STAMP)
    first = [m.as_bytes(policy=policy.SMTP) for m in mail.messages(data)]
    again = [m.as_bytes(policy=policy.SMTP) for m in mail.messages(data)]
    assert first == again
    assert len({m["Message-ID"] for m in mail.messages(data)}) == 12


def test_the_overview_is_not_sent(committee, plan, tmp_path):
    with pytest.raises(PlanFileError, match="METHOD:PUBLISH"):
        mail.messages(ics.overview(committee, plan, stamp=STAMP))
    paths = ics.write_ics_dir(committee, plan, tmp_path, stamp=STAMP)
    items = mail.messages_for_folder(tmp_path)
    assert len(paths) == 4
    assert len(items) == 3 * 12


def test_an_empty_folder_is_a_plan_file_error(tmp_path):
    with pytest.raises(PlanFileError, match="no invites"):
        mail.messages_for_folder(tmp_path)


# -- sending ----------------------------------------------------------------------------------------------------


def test_send_delivers_one_message_per_meeting_and_coordinator(committee, plan, issued, smtp_server):
    controller, box = smtp_server
    items = [m for file in issued for m in mail.messages(file.data)]
    sent = mail.send(items, "127.0.0.1", controller.port, security="none")
    assert sent == len(box.received) == 2 * 12
    received = box.messages()
    seen = set()
    for (mail_from, recipients, _), message in zip(box.received, received, strict=True):
        assert mail_from == "secretariaat@example.org"
        assert recipients == [message["To"].addresses[0].addr_spec]
        method, calendar = calendar_part(message)
        assert calendar["METHOD"] == method
        sent_at = email.utils.parsedate_to_datetime(message["Date"])
        assert abs((sent_at - dt.datetime.now(dt.UTC)).total_seconds()) < 300  # sent now, not dated DTSTAMP
        (event,) = calendar.walk("VEVENT")
        seen.add((str(event["X-ROTATION-MEETING-ID"]), method, recipients[0]))
        meeting_id = str(event["X-ROTATION-MEETING-ID"])
        assert event["UID"] == ics.meeting_uid(committee, plan.by_id()[meeting_id])
        assert event["SEQUENCE"] == 1
    emails = {unit.coordinator.email for unit in committee.units}
    assert seen == {(i, m, e) for i, m in (("2027-01", "REQUEST"), ("2027-03", "CANCEL")) for e in emails}


def test_send_logs_in_when_given_a_user(committee, plan, smtp_server_with_login):
    controller, box = smtp_server_with_login
    items = mail.messages(ics.invite(committee, plan.meetings[0], stamp=STAMP))
    LOGINS.clear()
    assert mail.send(items, "127.0.0.1", controller.port, security="none", username=USER, password=PASSWORD) == 12
    assert len(box.received) == 12
    assert LOGINS == [USER]


def test_a_refused_login_names_the_user_but_never_the_password(committee, plan, smtp_server_with_login):
    controller, box = smtp_server_with_login
    items = mail.messages(ics.invite(committee, plan.meetings[0], stamp=STAMP))
    with pytest.raises(mail.MailError, match=f"refused the log-in of '{USER}'") as caught:
        mail.send(items, "127.0.0.1", controller.port, security="none", username=USER, password="wrong-one")
    assert "wrong-one" not in str(caught.value)
    assert box.received == []


def test_starttls_is_required_unless_switched_off(committee, plan, smtp_server):
    controller, box = smtp_server
    items = mail.messages(ics.invite(committee, plan.meetings[0], stamp=STAMP))
    with pytest.raises(mail.MailError, match="does not offer STARTTLS"):
        mail.send(items, "127.0.0.1", controller.port)
    assert box.received == []


def test_no_password_over_an_unencrypted_connection_to_another_machine(committee, plan):
    items = mail.messages(ics.invite(committee, plan.meetings[0], stamp=STAMP))
    with pytest.raises(mail.MailError, match="without encryption") as caught:
        mail.send(items, "smtp.example.org", 25, security="none", username=USER, password=PASSWORD)
    assert PASSWORD not in str(caught.value)


def test_a_server_that_is_not_there_is_a_mail_error(committee, plan):
    items = mail.messages(ics.invite(committee, plan.meetings[0], stamp=STAMP))
    with pytest.raises(mail.MailError, match=r"0 of 12 messages were sent"):
        mail.send(items, "127.0.0.1", free_port(), security="none", timeout=5)


# -- settings and dry runs --------------------------------------------------------------------------------------


def test_settings_come_from_the_environment_and_hide_the_password():
    env = {
        mail.ENV_HOST: "smtp.example.org",
        mail.ENV_PORT: "2525",
        mail.ENV_USER: USER,
        mail.ENV_PASSWORD: PASSWORD,
        mail.ENV_TLS: "SSL",
    }
    settings = mail.SmtpSettings.from_env(env)
    assert (settings.host, settings.port, settings.security, settings.username, settings.password) == (
        "smtp.example.org",
        2525,
        "ssl",
        USER,
        PASSWORD,
    )
    assert PASSWORD not in repr(settings)
    assert mail.SmtpSettings.from_env(env, host="other.example.org", port=587).host == "other.example.org"
    with pytest.raises(mail.MailError, match="no SMTP server"):
        mail.SmtpSettings.from_env({})
    with pytest.raises(mail.MailError, match="not a port number"):
        mail.SmtpSettings.from_env({**env, mail.ENV_PORT: "smtp"})
    with pytest.raises(mail.MailError, match="not one of"):
        mail.SmtpSettings.from_env({**env, mail.ENV_TLS: "maybe"})


def test_dry_run_writes_eml_files_that_read_back(committee, issued, tmp_path):
    items = [m for file in issued for m in mail.messages(file.data)]
    paths = mail.write_eml(items, tmp_path / "a")
    again = mail.write_eml(items, tmp_path / "b")
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
    assert paths[0].name == "001-request-amsterdam@example.org.eml"
    assert paths[-1].name == "024-cancel-oost-brabant@example.org.eml"
    raw = paths[0].read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    back = email.message_from_bytes(raw, policy=policy.default)
    assert calendar_part(back)[0] == "REQUEST"


# -- the send command -------------------------------------------------------------------------------------------


def test_send_command_dry_run_writes_one_eml_per_file_and_recipient(committee, issued, tmp_path, capsys):
    from rotation.cli import main

    ics.write_issued(issued, tmp_path / "updates")
    code = main(["send", str(tmp_path / "updates"), "--dry-run", str(tmp_path / "outbox"), "--committee", EXAMPLE_FILE])
    assert code == 0
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 24
    assert "nothing was sent" in capsys.readouterr().out


def test_send_command_sends_an_issued_plan_through_the_server_from_the_environment(
    committee, plan, tmp_path, smtp_server_with_login, monkeypatch, capsys
):
    from rotation.cli import main
    from rotation.formats import to_json

    controller, box = smtp_server_with_login
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(to_json(committee, plan), "utf-8")
    monkeypatch.setenv(mail.ENV_HOST, "127.0.0.1")
    monkeypatch.setenv(mail.ENV_PORT, str(controller.port))
    monkeypatch.setenv(mail.ENV_TLS, "none")
    monkeypatch.setenv(mail.ENV_USER, USER)
    monkeypatch.setenv(mail.ENV_PASSWORD, PASSWORD)
    assert main(["send", str(plan_file), "--committee", EXAMPLE_FILE]) == 2
    assert "Make the files first" in capsys.readouterr().err
    out = tmp_path / "outlook"
    assert main(["issue", str(plan_file), "--out", str(out), "--committee", EXAMPLE_FILE]) == 0
    assert main(["send", str(out), "--committee", EXAMPLE_FILE, "--yes"]) == 0
    assert len(box.received) == 3 * 12
    methods = {calendar_part(m)[0] for m in box.messages()}
    assert methods == {"REQUEST"}
    output = capsys.readouterr()
    assert "E-mails sent through 127.0.0.1: 36," in output.out
    assert PASSWORD not in output.out + output.err


def test_send_command_reports_a_refused_login_without_the_password(
    committee, issued, tmp_path, smtp_server_with_login, capsys
):
    from rotation.cli import main

    controller, _ = smtp_server_with_login
    ics.write_issued(issued, tmp_path / "updates")
    code = main(
        [
            "send",
            str(tmp_path / "updates"),
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            str(controller.port),
            "--smtp-tls",
            "none",
            "--smtp-user",
            USER,
            "--smtp-password",
            "not-the-password",
            "--committee",
            EXAMPLE_FILE,
            "--yes",
        ]
    )
    assert code == 2
    output = capsys.readouterr()
    assert output.err.startswith("Mail error: ")
    assert "not-the-password" not in output.out + output.err


def test_send_command_needs_a_server(tmp_path, committee, issued, monkeypatch, capsys):
    from rotation.cli import main

    for name in (mail.ENV_HOST, mail.ENV_PORT, mail.ENV_USER, mail.ENV_PASSWORD, mail.ENV_TLS):
        monkeypatch.delenv(name, raising=False)
    ics.write_issued(issued, tmp_path / "updates")
    assert main(["send", str(tmp_path / "updates"), "--committee", EXAMPLE_FILE]) == 2
    assert "Mail error: no SMTP server" in capsys.readouterr().err


def test_a_single_invite_file_can_be_sent(committee, plan, tmp_path):
    path = Path(tmp_path / "invite.ics")
    path.write_bytes(ics.invite(committee, plan.meetings[2], stamp=STAMP))
    assert len(mail.messages_for_files([path])) == 12
