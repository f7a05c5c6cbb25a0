"""A year of a secretary's life, with the documented commands and a real SMTP server on 127.0.0.1.

Plan and send the invites, move a meeting, cancel one, bring it back, a unit leaves, a unit joins, a
coordinator changes address, the Teams link changes, a send fails halfway and is resumed. After each step
the e-mails the server received are compared with what the step has to send, worked out here from the
plans alone: which meetings changed for their attendees, who holds each meeting, which SEQUENCE each
calendar holds. Every file is read by icalendar, vobject and Mozilla ical.js, and no e-mail arrives twice.
"""

from __future__ import annotations

import contextlib
import email
import io
import json
import re
import shutil
import subprocess
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import vobject
from icalendar import Calendar

from rotation.cli import main
from rotation.config import example_text

pytestmark = pytest.mark.slow

JS = Path(__file__).parent / "js"
LINK = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_jaar2023%40thread.v2/0"
NEW_LINK = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_nieuw%40thread.v2/0"
SHOWN = ("date", "start", "end", "mode", "location", "title", "roles")
"""What a meeting shows in the plan file; a change to any of it is an update."""


class Server:
    """An SMTP server's mailbox; with `limit`, it refuses every message after that many."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self.received: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.limit is not None and len(self.received) >= self.limit:
            return "451 4.7.1 Too many messages, try again later"
        self.received.append(envelope.original_content)
        return f"250 2.0.0 Ok: queued as Y{len(self.received):03d}"


class Year:
    """The secretary's folder, the commands they run and every e-mail that reached a coordinator."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.delivered: list[Mail] = []
        self.held: dict[tuple[str, str], int] = {}
        """(recipient, UID) -> the SEQUENCE their calendar holds; absent once removed or cancelled."""

    def run(self, *argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
        assert "Traceback" not in err.getvalue()
        return code, out.getvalue(), err.getvalue()

    def ok(self, *argv: str) -> str:
        code, out, err = self.run(*argv)
        assert code == 0, err
        return out

    def send(self, outbox: str, server: Server, port: int) -> tuple[int, str, str]:
        before = len(server.received)
        result = self.run("send", outbox, "--yes", "--smtp-host", "127.0.0.1", "--smtp-port", str(port))
        for raw in server.received[before:]:
            self.delivered.append(Mail.parse(raw))
        return result

    def plan(self, name: str) -> dict[str, dict[str, object]]:
        data = json.loads((self.folder / name).read_text("utf-8"))
        return {m["id"]: m for m in data["meetings"]}

    def edit(self, old: str, new: str) -> None:
        path = self.folder / "committee.toml"
        text = path.read_text("utf-8")
        assert old in text
        path.write_text(text.replace(old, new), "utf-8")


class Mail:
    """What one e-mail carried: to whom, which meeting, METHOD, SEQUENCE, and whether the meeting is off."""

    def __init__(self, to: str, meeting: str, uid: str, method: str, sequence: int, status: str, mid: str) -> None:
        self.to, self.meeting, self.uid, self.method = to, meeting, uid, method
        self.sequence, self.status, self.message_id = sequence, status, mid

    @classmethod
    def parse(cls, raw: bytes) -> Mail:
        message: EmailMessage = email.message_from_bytes(raw, policy=policy.default)  # type: ignore[assignment]
        part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        calendar = Calendar.from_ical(part.get_payload(decode=True))
        (event,) = calendar.walk("VEVENT")
        method = str(calendar["METHOD"])
        assert str(part.get_param("method")) == method
        return cls(
            to=message["To"].addresses[0].addr_spec,
            meeting=str(event["X-ROTATION-MEETING-ID"]),
            uid=str(event["UID"]),
            method=method,
            sequence=int(event["SEQUENCE"]),
            status=str(event.get("STATUS", "")),
            mid=str(message["Message-ID"]),
        )

    @property
    def kind(self) -> str:
        if self.method == "REQUEST":
            return "request"
        return "cancel" if self.status == "CANCELLED" else "remove"


def three_parsers_agree(folder: Path) -> None:
    """icalendar, vobject and ical.js read every file of the folder and agree on every meeting's UTC times."""
    paths = sorted(folder.glob("*.ics"))
    node = shutil.which("node")
    assert node is not None and (JS / "node_modules" / "ical.js").is_dir(), "ical.js is needed (tests/js)"
    done = subprocess.run(
        [node, str(JS / "parse.mjs"), *map(str, paths)], check=True, capture_output=True, text=True, timeout=60
    )
    by_js = json.loads(done.stdout)
    for path in paths:
        calendar = Calendar.from_ical(path.read_bytes())
        zones = {str(zone["TZID"]): zone.to_tz() for zone in calendar.walk("VTIMEZONE")}
        mine = {}
        for event in calendar.walk("VEVENT"):
            start, end = (event[n].dt.replace(tzinfo=zones[str(event[n].params["TZID"])]) for n in ("DTSTART", "DTEND"))
            mine[str(event["UID"])] = (utc(start), utc(end))
        card = vobject.readOne(path.read_text("utf-8"))
        theirs = {e.uid.value: (utc(e.dtstart.value), utc(e.dtend.value)) for e in card.vevent_list}
        js = {e["uid"]: (e["start"], e["end"]) for e in by_js[str(path)]["events"]}
        assert mine == theirs == js, path.name
        assert by_js[str(path)]["method"] == (str(calendar["METHOD"]) if "METHOD" in calendar else None)


def utc(moment: object) -> str:
    import datetime as dt

    assert isinstance(moment, dt.datetime)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def expected_mail(
    year: Year,
    before: dict[str, dict[str, object]],
    after: dict[str, dict[str, object]],
    invited: set[str],
    *,
    since: str = "",
    attendees_changed: bool = False,
) -> set[tuple[str, str, str, int]]:
    """The e-mails a step must send, as (recipient, meeting id, kind, SEQUENCE), from the plans alone.

    A meeting that shows anything new, or whose attendees changed, goes to everyone now invited with the
    next SEQUENCE; whoever held it and is no longer invited gets a removal; a meeting that is gone is
    cancelled to everyone who held it; one that comes back is invited again.
    """
    mails: set[tuple[str, str, str, int]] = set()
    uids = {m.meeting: m.uid for m in year.delivered}
    for meeting_id in sorted(set(before) | set(after)):
        new = after.get(meeting_id)
        old = before.get(meeting_id)
        date = str((new or old or {}).get("date", ""))
        if since and date < since:
            continue
        uid = uids[meeting_id]
        holders = {to for (to, u), _ in year.held.items() if u == uid}
        last = max([m.sequence for m in year.delivered if m.uid == uid], default=-1)
        if new is None:
            if holders:
                mails |= {(to, meeting_id, "cancel", last + 1) for to in holders}
            continue
        changed = old is None or any(old[key] != new[key] for key in SHOWN) or not holders
        if changed or attendees_changed or holders != invited:
            mails |= {(to, meeting_id, "request", last + 1) for to in invited}
            mails |= {(to, meeting_id, "remove", last + 1) for to in holders - invited}
    return mails


def received(year: Year, start: int) -> set[tuple[str, str, str, int]]:
    got = [(m.to, m.meeting, m.kind, m.sequence) for m in year.delivered[start:]]
    assert len(got) == len(set(got)), "an e-mail arrived twice"
    return set(got)


def apply(year: Year, start: int) -> None:
    """What the coordinators' calendars hold after the e-mails since `start`; SEQUENCE only ever goes up."""
    for mail in year.delivered[start:]:
        key = (mail.to, mail.uid)
        assert mail.sequence > year.held.get(key, -1), f"{mail.to} got SEQUENCE {mail.sequence} after a later one"
        if mail.kind == "request":
            year.held[key] = mail.sequence
        else:
            assert key in year.held, f"{mail.to} got a {mail.kind} for a meeting they do not hold"
            del year.held[key]


def everyone(year: Year) -> set[str]:
    text = (year.folder / "committee.toml").read_text("utf-8")
    return set(re.findall(r'email = "([^"]+)"', text)) - {"secretariaat@example.org"}


def test_a_secretarys_year(tmp_path, monkeypatch, smtp_servers):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("ROTATION_SMTP_TLS", "none")
    year = Year(tmp_path)
    (tmp_path / "committee.toml").write_text(
        example_text().replace('teams_location = "', f'teams_link = "{LINK}"\nteams_location = "'), "utf-8"
    )
    server = Server()
    port = smtp_servers(server)

    # January: the year's invites, one per meeting and coordinator
    year.ok("plan", "committee.toml", "--output", "plan-2023.json", "--ics", "1-invites", "--quiet")
    three_parsers_agree(tmp_path / "1-invites")
    plan = year.plan("plan-2023.json")
    assert year.send("1-invites", server, port)[0] == 0
    invited = everyone(year)
    assert len(invited) == 12
    assert received(year, 0) == {(to, mid, "request", 0) for to in invited for mid in plan}
    apply(year, 0)
    # sending the same folder again sends nothing
    assert "nothing left to send" in year.send("1-invites", server, port)[1]

    def step(name: str, before: dict[str, dict[str, object]], **options: object) -> dict[str, dict[str, object]]:
        after = year.plan(f"{name}/plan.json")
        three_parsers_agree(tmp_path / name)
        expected = expected_mail(year, before, after, everyone(year), **options)  # type: ignore[arg-type]
        start = len(year.delivered)
        code, out, err = year.send(name, server, port)
        assert code == 0, err
        assert received(year, start) == expected, name
        apply(year, start)
        assert f"E-mails sent through 127.0.0.1: {len(expected)}," in out if expected else "nothing" in out
        return after

    # August: the September meeting moves a week
    year.ok("replan", "1-invites/plan.json", "--move", "07-09-2023=14-09-2023", "--today", "01-08-2023",
            "--ics", "2-move", "--quiet")  # fmt: skip
    moved = step("2-move", plan, since="2023-08-01")
    assert moved["2023-05"]["date"] == "2023-09-14"
    assert {m for m in received(year, len(year.delivered) - 12)} == {
        (to, "2023-05", "request", 1) for to in everyone(year)
    }

    # October: the November meeting is cancelled
    year.ok("replan", "2-move/plan.json", "--cancel", "16-11-2023", "--today", "01-10-2023", "--ics", "3-cancel",
            "--quiet")  # fmt: skip
    cancelled = step("3-cancel", moved, since="2023-10-01")
    assert "2023-06" not in cancelled
    november = next(m.uid for m in year.delivered if m.meeting == "2023-06")
    assert not any(uid == november for _, uid in year.held)

    # ... and comes back after all: invited again with a SEQUENCE above its cancellation
    year.ok("issue", "3-cancel/plan.json", "2-move/plan.json", "--out", "4-back", "--today", "01-10-2023")
    back = step("4-back", cancelled, since="2023-10-01")
    assert {m.sequence for m in year.delivered if m.uid == november and m.kind == "request"} >= {0, 2}
    assert all(seq == 2 for (_, uid), seq in year.held.items() if uid == november)

    # A unit leaves from 1 October: its coordinator is removed from the meetings to come, nobody else is
    year.ok("replan", "4-back/plan.json", "--remove-unit", "Noord-Holland", "--from", "01-10-2023", "--ics", "5-leave",
            "--quiet")  # fmt: skip
    year.edit('email = "noord-holland@example.org", ', "")  # the committee file no longer invites it
    left = step("5-leave", back, since="2023-10-01", attendees_changed=True)
    removals = {m for m in year.delivered if m.kind == "remove"}
    assert {m.to for m in removals} == {"noord-holland@example.org"}
    assert {m.meeting for m in removals} == {mid for mid, m in left.items() if str(m["date"]) >= "2023-10-01"}

    # A unit joins with a coordinator: invited to the meetings to come
    year.edit(
        '  { name = "Oost-Brabant"',
        '  { name = "Limburg", coordinator = "Coördinator Limburg", email = "limburg@example.org" },\n'
        '  { name = "Oost-Brabant"',
    )
    year.ok("issue", "5-leave/plan.json", "--out", "6-join", "--today", "01-10-2023")
    joined = step("6-join", left, since="2023-10-01", attendees_changed=True)
    assert {m.meeting for m in year.delivered if m.to == "limburg@example.org"} == {
        mid for mid, m in joined.items() if str(m["date"]) >= "2023-10-01"
    }

    # A coordinator's address changes: the new one is invited, the old one removed
    year.edit('email = "rotterdam@example.org"', 'email = "rotterdam-2@example.org"')
    year.ok("issue", "6-join/plan.json", "--out", "7-address", "--today", "01-10-2023")
    step("7-address", joined, since="2023-10-01", attendees_changed=True)
    uid_of = {m.meeting: m.uid for m in year.delivered}
    coming = {uid_of[mid] for mid, m in joined.items() if str(m["date"]) >= "2023-10-01"}
    assert {m.uid for m in year.delivered if m.to == "rotterdam@example.org" and m.kind == "remove"} == coming
    assert not any(to == "rotterdam@example.org" and uid in coming for to, uid in year.held)
    assert all(("rotterdam-2@example.org", uid) in year.held for uid in coming)

    # The Teams link changes: every MS Teams meeting to come is updated, and the send fails halfway
    year.edit(LINK, NEW_LINK)
    year.ok("issue", "7-address/plan.json", "--out", "8-link", "--today", "01-10-2023")
    three_parsers_agree(tmp_path / "8-link")
    teams = {mid for mid, m in joined.items() if m["mode"] == "teams" and str(m["date"]) >= "2023-10-01"}
    outbox = json.loads((tmp_path / "8-link" / "delivery.json").read_text("utf-8"))["messages"]
    assert {m["meeting"] for m in outbox} == teams and len(outbox) == 12 * len(teams)
    start = len(year.delivered)
    refusing = Server(limit=2)
    code, _, err = year.send("8-link", refusing, smtp_servers(refusing))
    assert code == 2
    assert f"2 of {len(outbox)} messages were sent; run the same command again to send the rest." in err
    code, out, _ = year.send("8-link", server, port)
    assert code == 0 and f"E-mails sent through 127.0.0.1: {len(outbox) - 2}," in out
    assert received(year, start) == {(m["to"], m["meeting"], "request", m["sequence"]) for m in outbox}
    apply(year, start)
    assert all(NEW_LINK in (tmp_path / "8-link" / m["file"]).read_bytes().decode().replace("\r\n ", "") for m in outbox)

    # Over the whole year: no e-mail twice, every Message-ID different, and the overview matches the plan
    ids = [m.message_id for m in year.delivered]
    assert len(ids) == len(set(ids))
    year.ok("overview", "8-link/plan.json", "--output", "overview.ics")
    (tmp_path / "final").mkdir()
    shutil.copy(tmp_path / "overview.ics", tmp_path / "final" / "overview.ics")
    three_parsers_agree(tmp_path / "final")
    final = year.plan("8-link/plan.json")
    overview = Calendar.from_ical((tmp_path / "overview.ics").read_bytes())
    shown = {str(e["X-ROTATION-MEETING-ID"]): e for e in overview.walk("VEVENT")}
    assert set(shown) == set(final)
    for mid, event in shown.items():
        assert event["DTSTART"].dt.date().isoformat() == final[mid]["date"]
        assert int(event["SEQUENCE"]) == max(m.sequence for m in year.delivered if m.meeting == mid)
