"""The record of what was issued decides what is sent: every change once, nothing wrong.

`calendars.ics.changes` compares a plan with the record (`Plan.issued`) of what
the attendees hold; the commands that send or write invites never guess the
committee and refuse files that do not belong to it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from conftest import EXAMPLE_FILE
from icalendar import Calendar

from calendars import ics
from rotation.cli import main
from rotation.config import example_text, loads
from rotation.domain import Committee, Person, Plan, Unit
from rotation.errors import ConfigError, PlanFileError
from rotation.formats import read_plan, to_json
from rotation.formats.ics import read_overview

STAMP = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
LINK = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_first%40thread.v2/0"
NEW_LINK = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_second%40thread.v2/0"


def committee_with_link(link: str = LINK) -> Committee:
    committee = loads(example_text(), source="<built-in example>")
    return dataclasses.replace(committee, modes=dataclasses.replace(committee.modes, teams_link=link))


@pytest.fixture(scope="module")
def committee() -> Committee:
    return committee_with_link()


@pytest.fixture(scope="module")
def first(committee: Committee, example_plan: Plan) -> Plan:
    """The example plan as first issued: its record says every meeting went out with SEQUENCE 0."""
    issued, files = ics.changes(committee, empty(example_plan), example_plan, stamp=STAMP)
    assert [(f.kind, f.meeting.sequence) for f in files] == [("new", 0)] * 6
    return issued


def empty(plan: Plan) -> Plan:
    return dataclasses.replace(plan, meetings=(), issued=())


def sent(files: list[ics.IssuedFile]) -> list[tuple[str, str, int, tuple[str, ...]]]:
    """(kind, meeting id, SEQUENCE, recipients) of each file."""
    return [(f.kind, f.meeting.id, f.meeting.sequence, tuple(a for _, a in f.recipients)) for f in files]


def addresses(committee: Committee) -> tuple[str, ...]:
    return tuple(address for _, address in ics.attendee_list(committee))


def with_unit(committee: Committee, name: str, change: dict[str, object]) -> Committee:
    units = tuple(dataclasses.replace(u, **change) if u.name == name else u for u in committee.units)
    return dataclasses.replace(committee, units=units)


# -- the record -------------------------------------------------------------------------------------------------


def test_the_record_holds_uid_sequence_attendees_and_what_they_saw(committee, first):
    assert len(first.issued) == 6
    record = first.issued[1]
    meeting = first.meetings[1]
    assert record.id == meeting.id and record.uid == ics.meeting_uid(committee, meeting)
    assert record.sequence == 0 and not record.cancelled
    assert [a for _, a in record.attendees] == list(addresses(committee))
    assert record.shown["DTSTART"] == "2023-05-11T10:00:00+02:00[Europe/Amsterdam]"
    assert LINK in record.shown["DESCRIPTION"] and record.shown["URL"] == LINK
    assert record.shown["ORGANIZER"] == "Secretariaat coördinatorenoverleg <secretariaat@example.org>"


def test_the_record_survives_the_json_file(committee, first, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(to_json(committee, first), "utf-8")
    back = read_plan(path, committee)
    assert back.issued == first.issued
    _, files = ics.changes(committee, back, back, stamp=STAMP)
    assert files == []


def test_a_changed_teams_link_updates_every_teams_meeting(first):
    moved_on = committee_with_link(NEW_LINK)
    issued, files = ics.changes(moved_on, first, first, stamp=STAMP)
    teams = [m.id for m in first.meetings if m.mode.value == "teams"]
    assert sent(files) == [("update", mid, 1, addresses(moved_on)) for mid in teams]
    assert all(NEW_LINK.encode() in f.data.replace(b"\r\n ", b"") for f in files)
    assert {r.id: r.sequence for r in issued.issued} == {m.id: (1 if m.id in teams else 0) for m in first.meetings}


def test_a_replaced_coordinator_address_invites_the_new_one_and_removes_the_old_one(committee, first):
    changed = with_unit(
        committee, "Rotterdam", {"coordinator": Person("Nieuwe coördinator", "rotterdam-2@example.org")}
    )
    issued, files = ics.changes(changed, first, first, stamp=STAMP)
    for meeting in first.meetings:
        mine = [s for s in sent(files) if s[1] == meeting.id]
        assert mine == [
            ("update", meeting.id, 1, addresses(changed)),
            ("remove", meeting.id, 1, ("rotterdam@example.org",)),
        ]
    assert "rotterdam-2@example.org" in addresses(changed)
    removal = next(f for f in files if f.kind == "remove")
    text = removal.data.decode().replace("\r\n ", "")
    assert "METHOD:CANCEL" in text and "\r\nSTATUS:" not in text  # RFC 5546 §3.2.5: the meeting goes ahead
    assert text.count("ATTENDEE") == 1 and "mailto:rotterdam@example.org" in text
    _, again = ics.changes(changed, issued, issued, stamp=STAMP)
    assert again == []  # the old address is never written to again


def test_a_new_unit_with_a_coordinator_is_invited(committee, first, tmp_path):
    grown = dataclasses.replace(
        committee, units=(*committee.units, Unit("Limburg", coordinator=Person("Coördinator Limburg", "l@example.org")))
    )
    _, files = ics.changes(grown, first, first, stamp=STAMP)
    assert {s[0] for s in sent(files)} == {"update"}
    assert all("l@example.org" in s[3] for s in sent(files)) and len(files) == 6
    assert all(f.newcomers == ("l@example.org",) for f in files)
    # for the newcomer the update is an invitation, and says so
    from calendars import mail
    from calendars.outbox import read_outbox, write_outbox

    write_outbox(tmp_path, grown, files, stamp=STAMP)
    outbox = read_outbox(tmp_path)
    assert outbox is not None
    kinds = {(d.to, d.kind) for d in outbox.deliveries if d.file == files[0].name}
    assert ("l@example.org", "new") in kinds and ("amsterdam@example.org", "update") in kinds
    welcome = mail.message_for(files[0].data, "l@example.org", kind="new")
    assert str(welcome["Subject"]).startswith("Uitnodiging: ")


def test_a_cancelled_meeting_that_comes_back_gets_a_higher_sequence(committee, first):
    september = first.by_id()["2023-05"]
    without = dataclasses.replace(first, meetings=tuple(m for m in first.meetings if m.id != "2023-05"))
    cancelled, files = ics.changes(committee, first, without, stamp=STAMP)
    assert sent(files) == [("cancel", "2023-05", 1, addresses(committee))]
    assert next(r for r in cancelled.issued if r.id == "2023-05").cancelled
    back = dataclasses.replace(cancelled, meetings=(*cancelled.meetings, dataclasses.replace(september, sequence=0)))
    returned, files = ics.changes(committee, cancelled, back, stamp=STAMP)
    assert sent(files) == [("new", "2023-05", 2, addresses(committee))]
    assert files[0].name == "invite-2023-05-2.ics"
    assert returned.by_id()["2023-05"].sequence == 2


def test_a_unit_that_left_keeps_its_removal_and_is_not_invited_again(committee, first):
    gone = with_unit(committee, "Noord-Holland", {"coordinator": None})
    after, files = ics.changes(gone, first, first, stamp=STAMP, since=dt.date(2023, 6, 1))
    coming = [m.id for m in first.meetings if m.date >= dt.date(2023, 6, 1)]
    assert [s for s in sent(files) if s[0] == "remove"] == [
        ("remove", mid, 1, ("noord-holland@example.org",)) for mid in coming
    ]
    assert {r.id: r.sequence for r in after.issued} == {m.id: (1 if m.id in coming else 0) for m in first.meetings}
    # a later change to one meeting: SEQUENCE 2, and the departed coordinator is not invited again
    later = dataclasses.replace(
        after,
        meetings=tuple(dataclasses.replace(m, location="Elders") if m.id == coming[-1] else m for m in after.meetings),
    )
    _, files = ics.changes(gone, after, later, stamp=STAMP, since=dt.date(2023, 6, 1))
    assert sent(files) == [("update", coming[-1], 2, addresses(gone))]
    assert "noord-holland@example.org" not in addresses(gone)


def test_meetings_held_before_since_are_left_alone(committee, first):
    moved_on = committee_with_link(NEW_LINK)
    _, files = ics.changes(moved_on, first, first, stamp=STAMP, since=dt.date(2023, 10, 1))
    assert [s[1] for s in sent(files)] == ["2024-01"]


def test_the_sequence_never_goes_down_whatever_is_issued(committee, first):
    plans = [first]
    record = first
    steps = [
        lambda p: dataclasses.replace(p, meetings=p.meetings[:-1]),
        lambda p: dataclasses.replace(p, meetings=first.meetings),
        lambda p: dataclasses.replace(p, meetings=tuple(dataclasses.replace(m, sequence=0) for m in p.meetings)),
        lambda p: dataclasses.replace(p, meetings=p.meetings[1:]),
        lambda p: dataclasses.replace(p, meetings=first.meetings),
    ]
    highest: dict[str, int] = {r.uid: r.sequence for r in first.issued}
    for step in steps:
        current = step(record)
        record, files = ics.changes(committee, record, current, stamp=STAMP)
        for file in files:
            uid = ics.meeting_uid(committee, file.meeting)
            assert file.meeting.sequence > highest[uid]
            highest[uid] = file.meeting.sequence
        for item in record.issued:
            assert item.sequence == highest[item.uid]
        plans.append(record)


# -- nothing the user did not mean ------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path, capsys) -> Path:
    """A plan made and written with `rotation plan --ics`, for the example committee file."""
    out = tmp_path / "outlook"
    code = main(["plan", EXAMPLE_FILE, "--ics", str(out), "--output", str(tmp_path / "plan.json"), "--quiet"])
    assert code == 0
    capsys.readouterr()
    return out


@pytest.mark.parametrize(
    "command",
    [
        ["send", "{folder}", "--dry-run", "{tmp}/eml"],
        ["issue", "{tmp}/plan.json", "--out", "{tmp}/x"],
        ["check", "{tmp}/plan.json"],
        ["replan", "{tmp}/plan.json", "--cancel", "2023-09-07"],
    ],
)
def test_no_command_falls_back_to_the_built_in_example(command, folder, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    args = [part.format(folder=folder, tmp=tmp_path) for part in command]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("Usage error: which committee? Give its file with --committee committee.toml")
    assert not (tmp_path / "eml").exists() and not (tmp_path / "x").exists()


def test_a_committee_file_in_the_current_folder_is_used(folder, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "committee.toml").write_text(example_text(), "utf-8")
    assert main(["send", str(folder), "--dry-run", str(tmp_path / "eml")]) == 0
    assert len(list((tmp_path / "eml").glob("*.eml"))) == 72


def test_send_refuses_files_for_another_committee_or_time_zone(folder, tmp_path, capsys):
    other = tmp_path / "other.toml"
    other.write_text(example_text().replace('name = "Landelijk coördinatorenoverleg"', 'name = "Ander overleg"'))
    assert main(["send", str(folder), "--committee", str(other), "--dry-run", str(tmp_path / "eml")]) == 2
    assert "the files are for 'Landelijk coördinatorenoverleg'" in capsys.readouterr().err
    zone = tmp_path / "zone.toml"
    zone.write_text(example_text().replace('timezone = "Europe/Amsterdam"', 'timezone = "Europe/Brussels"'))
    assert main(["send", str(folder), "--committee", str(zone), "--dry-run", str(tmp_path / "eml")]) == 2
    assert "time zone 'Europe/Amsterdam'" in capsys.readouterr().err
    assert not (tmp_path / "eml").exists()


def test_send_refuses_a_folder_with_files_of_an_earlier_plan(folder, tmp_path, capsys):
    stale = folder / "invite-2022-04.ics"
    stale.write_bytes((folder / "invite-2023-02.ics").read_bytes())
    assert main(["send", str(folder), "--committee", EXAMPLE_FILE, "--dry-run", str(tmp_path / "eml")]) == 2
    err = capsys.readouterr().err
    assert "also holds files of an earlier plan: invite-2022-04.ics" in err
    stale.unlink()
    assert main(["send", str(folder), "--committee", EXAMPLE_FILE, "--dry-run", str(tmp_path / "eml")]) == 0


def test_send_refuses_a_file_made_for_another_committee_in_the_folder(folder, tmp_path, capsys):
    other = dataclasses.replace(loads(example_text()), name="Ander overleg")
    meeting = read_plan(folder / "plan.json").meetings[0]
    (folder / "invite-2023-02.ics").write_bytes(ics.invite(other, meeting, stamp=STAMP))
    assert main(["send", str(folder), "--committee", EXAMPLE_FILE, "--dry-run", str(tmp_path / "eml")]) == 2
    assert "was made for another committee" in capsys.readouterr().err


def test_send_refuses_a_planning_and_says_how_to_make_the_files(tmp_path, folder, capsys):
    assert main(["send", str(tmp_path / "plan.json"), "--committee", EXAMPLE_FILE]) == 2
    assert "rotation issue" in capsys.readouterr().err


def test_without_a_terminal_and_without_yes_nothing_is_sent(folder, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code = main(["send", str(folder), "--committee", EXAMPLE_FILE, "--smtp-host", "127.0.0.1", "--smtp-port", "9"])
    assert code == 2
    out, err = capsys.readouterr()
    assert "  invite-2023-02.ics  2023-03-16  invite, SEQUENCE 0, to 12 recipients\n" in out
    assert "Recipients: amsterdam@example.org, zwb@example.org," in out
    assert "72 e-mails to 12 recipients." in out
    assert "Nothing was sent" in err and "--yes" in err
    record = json.loads((folder / "delivery.json").read_text("utf-8"))
    assert all(m["sent"] is None for m in record["messages"])


def test_an_answer_other_than_yes_sends_nothing(folder, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    code = main(["send", str(folder), "--committee", EXAMPLE_FILE, "--smtp-host", "127.0.0.1", "--smtp-port", "9"])
    assert code == 0
    assert "Nothing was sent." in capsys.readouterr().out


# -- what Outlook users see --------------------------------------------------------------------------------------


def invites_committee(extra: str) -> Committee:
    return loads(example_text() + "\n" + extra, source="committee.toml")


def test_the_committee_sets_the_reminder_and_whether_another_time_may_be_proposed(example_plan):
    committee = invites_committee("[invites]\nreminder = 15\ncounter_proposals = false\n")
    meeting = example_plan.meetings[1]
    invite = ics.invite(committee, meeting, stamp=STAMP).decode().replace("\r\n ", "")
    assert "BEGIN:VALARM" in invite and "TRIGGER:-PT15M" in invite
    assert "X-MICROSOFT-DISALLOW-COUNTER:TRUE" in invite
    overview = ics.overview(committee, example_plan, stamp=STAMP).decode()
    assert overview.count("TRIGGER:-PT15M") == 6 and "DISALLOW-COUNTER" not in overview
    cancel = ics.cancellation(committee, meeting, stamp=STAMP).decode()
    assert "VALARM" not in cancel and "DISALLOW-COUNTER" not in cancel
    plain = ics.invite(loads(example_text()), meeting, stamp=STAMP).decode()
    assert "VALARM" not in plain and "DISALLOW-COUNTER" not in plain


def test_a_new_reminder_is_an_update(example_plan):
    plain = loads(example_text())
    first, _ = ics.changes(plain, empty(example_plan), example_plan, stamp=STAMP)
    reminded = invites_committee("[invites]\nreminder = 30\n")
    _, files = ics.changes(reminded, first, first, stamp=STAMP)
    assert [f.kind for f in files] == ["update"] * 6


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("[invites]\nreminder = -5\n", "key 'invites.reminder': expected 0 to 10080 minutes"),
        ('[invites]\ncounter_proposals = "no"\n', "key 'invites.counter_proposals': expected"),
        ("[invites]\nremind = 5\n", "'remind' is not a known key here"),
    ],
)
def test_unusable_invite_settings_are_named(extra, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        invites_committee(extra)


def test_a_teams_meeting_carries_its_join_link_where_outlook_and_others_look(committee, example_plan):
    teams = next(m for m in example_plan.meetings if m.mode.value == "teams")
    physical = next(m for m in example_plan.meetings if m.mode.value == "physical")
    event = Calendar.from_ical(ics.invite(committee, teams, stamp=STAMP)).walk("VEVENT")[0]
    assert str(event["X-MICROSOFT-SKYPETEAMSMEETINGURL"]) == LINK
    assert str(event["CONFERENCE"]) == LINK and event["CONFERENCE"].params["FEATURE"] == "AUDIO,VIDEO"
    assert str(event["URL"]) == LINK and str(event["DESCRIPTION"]).startswith(LINK)
    assert str(event["LOCATION"]) == "Microsoft Teams-vergadering"
    text = ics.invite(committee, physical, stamp=STAMP).decode()
    assert "TEAMS" not in text and "CONFERENCE" not in text


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (dt.date(2027, 3, 28), "that time does not exist in Europe/Amsterdam, because the clocks go forward"),
        (dt.date(2027, 10, 31), "that time happens twice in Europe/Amsterdam, because the clocks go back"),
    ],
)
def test_a_meeting_time_inside_a_clock_change_is_refused_with_the_reason(committee, example_plan, day, words):
    night = dataclasses.replace(example_plan.meetings[0], date=day, start=dt.time(2, 30), end=dt.time(4, 0))
    with pytest.raises(PlanFileError, match=f"meeting '{night.id}' on {day.isoformat()} at 02:30: {words}"):
        ics.invite(committee, night, stamp=STAMP)


def test_a_title_with_a_line_break_is_one_line_in_the_subject_and_kept_in_the_notes(committee, example_plan, tmp_path):
    broken = dataclasses.replace(example_plan.meetings[0], title="Thema:\ncorruptie, integriteit")
    plan = dataclasses.replace(example_plan, meetings=(broken,))
    data = ics.overview(committee, plan, stamp=STAMP)
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]).endswith("– Thema: corruptie, integriteit")
    assert "Thema:\ncorruptie, integriteit" in str(event["DESCRIPTION"])
    path = tmp_path / "overview.ics"
    path.write_bytes(data)
    assert read_overview(path).meetings[0].title == "Thema:\ncorruptie, integriteit"


def test_every_message_is_7_bit_and_has_its_own_message_id(committee, first):
    from calendars import mail

    gone = with_unit(committee, "Rotterdam", {"coordinator": Person("Nieuw", "rotterdam-2@example.org")})
    without = dataclasses.replace(first, meetings=first.meetings[1:])
    _, files = ics.changes(gone, first, without, stamp=STAMP)
    messages = [mail.message_for(f.data, a, kind=f.kind) for f in files for _, a in f.recipients]
    assert {f.kind for f in files} == {"update", "remove", "cancel"}
    assert all(m.as_bytes().isascii() for m in messages)
    ids = [str(m["Message-ID"]) for m in messages]
    assert len(set(ids)) == len(ids)
    subjects = {f.kind: mail.message_for(f.data, f.recipients[0][1], kind=f.kind)["Subject"] for f in files}
    assert subjects["remove"].startswith("Niet meer uitgenodigd: ")
    assert subjects["cancel"].startswith("Geannuleerd: ")


def test_one_file_of_the_folder_can_be_sent_on_its_own(folder, tmp_path, capsys):
    code = main(
        ["send", str(folder / "invite-2023-05.ics"), "--committee", EXAMPLE_FILE, "--dry-run", str(tmp_path / "e")]
    )
    assert code == 0
    assert len(list((tmp_path / "e").glob("*.eml"))) == 12
    stray = tmp_path / "invite-2023-05.ics"
    stray.write_bytes((folder / "invite-2023-05.ics").read_bytes())
    assert main(["send", str(stray), "--committee", EXAMPLE_FILE, "--dry-run", str(tmp_path / "f")]) == 0
    assert len(list((tmp_path / "f").glob("*.eml"))) == 12  # a file without a record: its attendees


def test_send_refuses_files_older_than_the_folders_record(folder, tmp_path, capsys):
    path = folder / "plan.json"
    data = json.loads(path.read_text("utf-8"))
    data["issued"][2]["sequence"] = 3  # issued again since, from elsewhere
    path.write_text(json.dumps(data), "utf-8")
    assert main(["send", str(folder), "--committee", EXAMPLE_FILE, "--dry-run", str(tmp_path / "eml")]) == 2
    err = capsys.readouterr().err
    assert "holds invite-2023-04.ics with SEQUENCE 0, but plan.json says SEQUENCE 3 was issued" in err
