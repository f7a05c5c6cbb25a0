"""The Outlook-ready iCalendar files, checked by three independent parsers.

Every file is parsed by Mozilla ical.js (the parser inside Thunderbird, with
only the file's own VTIMEZONE registered), by vobject (which builds its time
zone from the file's VTIMEZONE too) and by icalendar (with the zone built from
the file's block), and all three must agree on the UTC start and end of each
meeting, on both sides of the March and October 2027 clock changes.

Golden files live in tests/golden/ics/; ROTATION_UPDATE_GOLDEN=1 rewrites them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import zoneinfo
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import vobject
from conftest import EXAMPLE_FILE
from icalendar import Calendar, vText

from calendars import ics
from calendars.vtimezone import check_times, vtimezone, zone_rules
from rotation.config import example_text, loads
from rotation.domain import Committee, Meeting, Mode, Person, Plan, Unit
from rotation.errors import ConfigError, PlanFileError, RotationError
from rotation.formats.ics import read_overview

HERE = Path(__file__).parent
JS = HERE / "js"
GOLDEN = HERE / "golden" / "ics"
UPDATE_GOLDEN = os.environ.get("ROTATION_UPDATE_GOLDEN") == "1"

STAMP = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
TEAMS_LINK = (
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjA2%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d"
)
UTC = dt.UTC

# Thursdays around the 2027 clock changes (28 March and 31 October 2027), 10:00-12:30 local time.
EXPECTED_UTC = {
    "2027-01": ("2027-03-25T09:00:00Z", "2027-03-25T11:30:00Z"),  # CET, +01:00
    "2027-02": ("2027-04-01T08:00:00Z", "2027-04-01T10:30:00Z"),  # CEST, +02:00
    "2027-05": ("2027-10-28T08:00:00Z", "2027-10-28T10:30:00Z"),  # CEST, the last Thursday before the change
    "2027-06": ("2027-11-04T09:00:00Z", "2027-11-04T11:30:00Z"),  # CET again
}


# -- building blocks ------------------------------------------------------------------------------------------


def example_committee(language: str = "nl") -> Committee:
    committee = loads(example_text(), source="<built-in example>")
    return dataclasses.replace(
        committee, language=language, modes=dataclasses.replace(committee.modes, teams_link=TEAMS_LINK)
    )


def roles(chair: str, minutes: str, case: str, knowledge: str) -> dict[str, str]:
    return {"chair": chair, "minute_taker": minutes, "case": case, "knowledge": knowledge}


def sample_plan(committee: Committee) -> Plan:
    meetings = (
        Meeting(
            "2027-01",
            dt.date(2027, 3, 25),
            dt.time(10),
            dt.time(12, 30),
            Mode.TEAMS,
            "Microsoft Teams-vergadering",
            roles("Amsterdam", "Noord-Nederland", "Rotterdam", "Den Haag"),
        ),
        Meeting(
            "2027-02",
            dt.date(2027, 4, 1),
            dt.time(10),
            dt.time(12, 30),
            Mode.PHYSICAL,
            'Politieacademie, Leusden; zaal "De Eik"',
            roles("Korpsstaf", "Korpsstaf", "Oost-Brabant", "Zeeland-West-Brabant"),
            fixed_date=True,
            pinned_roles=("chair", "minute_taker"),
            title="Themabijeenkomst corruptie; ’s-Hertogenbosch, café",
        ),
        Meeting(
            "2027-05",
            dt.date(2027, 10, 28),
            dt.time(10),
            dt.time(12, 30),
            Mode.TEAMS,
            "Microsoft Teams-vergadering",
            roles("Noord-Nederland", "Landelijke Eenheid", "Zeeland-West-Brabant", "Oost-Nederland"),
        ),
        Meeting(
            "2027-06",
            dt.date(2027, 11, 4),
            dt.time(10),
            dt.time(12, 30),
            Mode.PHYSICAL,
            "Landelijke Eenheid",
            roles("Landelijke Eenheid", "Midden-Nederland", "Oost-Nederland", "Korpsstaf"),
        ),
    )
    return Plan(committee.name, committee.cadence.timezone, dt.date(2027, 1, 1), dt.date(2027, 12, 31), meetings)


@pytest.fixture(scope="module")
def committee() -> Committee:
    return example_committee()


@pytest.fixture(scope="module")
def plan(committee: Committee) -> Plan:
    return sample_plan(committee)


def meeting(plan: Plan, meeting_id: str) -> Meeting:
    return plan.by_id()[meeting_id]


def unfolded(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


def lines_starting(data: bytes, name: str) -> list[str]:
    return [line for line in unfolded(data) if line.startswith((f"{name}:", f"{name};"))]


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


# -- the three parsers ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def icaljs() -> Callable[[Sequence[Path]], dict[str, dict]]:
    """Run tests/js/parse.mjs (Mozilla ical.js) over files; installs the npm package when needed."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed to check the files with Mozilla ical.js")
    if not (JS / "node_modules" / "ical.js").is_dir():
        command = "ci" if (JS / "package-lock.json").is_file() else "install"
        subprocess.run(
            [npm, command, "--prefix", str(JS), "--no-audit", "--no-fund", "--silent"],
            check=True,
            timeout=300,
        )

    def run(paths: Sequence[Path]) -> dict[str, dict]:
        done = subprocess.run(
            [node, str(JS / "parse.mjs"), *map(str, paths)],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return json.loads(done.stdout)

    return run


def utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def times_by_vobject(path: Path) -> dict[str, tuple[str, str]]:
    calendar = vobject.readOne(path.read_text("utf-8"))
    found = {}
    for event in calendar.vevent_list:
        start, end = event.dtstart.value, event.dtend.value
        assert "tzical" in type(start.tzinfo).__name__, "vobject must use the file's own VTIMEZONE"
        found[event.uid.value] = (utc_text(start), utc_text(end))
    return found


def times_by_icalendar(path: Path) -> dict[str, tuple[str, str]]:
    calendar = Calendar.from_ical(path.read_bytes())
    zones = {str(zone["TZID"]): zone.to_tz() for zone in calendar.walk("VTIMEZONE")}
    found = {}
    for event in calendar.walk("VEVENT"):
        moments = []
        for name in ("DTSTART", "DTEND"):
            prop = event[name]
            local = prop.dt.replace(tzinfo=zones[str(prop.params["TZID"])])  # the file's own block
            moments.append(utc_text(local))
        found[str(event["UID"])] = (moments[0], moments[1])
    return found


def times_by_icaljs(result: dict) -> dict[str, tuple[str, str]]:
    return {event["uid"]: (event["start"], event["end"]) for event in result["events"]}


def test_three_parsers_agree_on_utc_times_around_both_2027_clock_changes(committee, plan, tmp_path, icaljs):
    paths = ics.write_ics_dir(committee, plan, tmp_path, stamp=STAMP)
    by_js = icaljs(paths)
    uids = {ics.meeting_uid(committee, m): m.id for m in plan.meetings}
    expected = {uid: EXPECTED_UTC[meeting_id] for uid, meeting_id in uids.items()}
    for path in paths:
        from_js = times_by_icaljs(by_js[str(path)])
        from_vobject = times_by_vobject(path)
        from_icalendar = times_by_icalendar(path)
        assert from_js == from_vobject == from_icalendar, path.name
        assert from_js == {uid: expected[uid] for uid in from_js}, path.name
    assert len(times_by_icaljs(by_js[str(paths[0])])) == 4  # the overview holds every meeting


@pytest.mark.parametrize(
    ("zone", "dates", "offsets"),
    [
        # the second Sunday of March and the first Sunday of November
        ("America/New_York", ["2027-03-11", "2027-03-18", "2027-11-04", "2027-11-11"], [-5, -4, -4, -5]),
        # southern hemisphere: summer time from the first Sunday of October to the first Sunday of April
        ("Australia/Sydney", ["2027-04-01", "2027-04-08", "2027-09-30", "2027-10-07"], [11, 10, 10, 11]),
        ("Asia/Tokyo", ["2027-03-25", "2027-10-28"], [9, 9]),
    ],
)
def test_other_zones_give_the_same_times_in_all_three_parsers(zone, dates, offsets, tmp_path, icaljs):
    committee = example_committee()
    committee = dataclasses.replace(committee, cadence=dataclasses.replace(committee.cadence, timezone=zone))
    meetings = tuple(
        Meeting(f"m{i}", dt.date.fromisoformat(day), dt.time(10), dt.time(11), Mode.TEAMS, "", {})
        for i, day in enumerate(dates)
    )
    plan = Plan(committee.name, zone, dt.date(2027, 1, 1), dt.date(2027, 12, 31), meetings)
    path = tmp_path / "overview.ics"
    path.write_bytes(ics.overview(committee, plan, stamp=STAMP))
    from_js = times_by_icaljs(icaljs([path])[str(path)])
    assert from_js == times_by_vobject(path) == times_by_icalendar(path)
    for item, offset in zip(meetings, offsets, strict=True):
        start = dt.datetime.combine(item.date, item.start) - dt.timedelta(hours=offset)
        assert from_js[ics.meeting_uid(committee, item)][0] == start.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_file_without_its_zone_block_is_caught_by_icaljs(committee, plan, tmp_path, icaljs):
    data = ics.invite(committee, meeting(plan, "2027-01"), stamp=STAMP).decode("utf-8")
    broken = tmp_path / "broken.ics"
    broken.write_text(re.sub(r"BEGIN:VTIMEZONE.*END:VTIMEZONE\r\n", "", data, flags=re.DOTALL), "utf-8")
    with pytest.raises(subprocess.CalledProcessError) as caught:
        icaljs([broken])
    assert "not defined in the file" in caught.value.stderr


# -- the time-zone block ---------------------------------------------------------------------------------------


def test_amsterdam_block_is_the_rule_based_one_outlook_reads():
    text = vtimezone("Europe/Amsterdam").to_ical().decode("ascii")
    assert text.split("\r\n") == [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Amsterdam",
        "BEGIN:STANDARD",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "TZNAME:CET",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "TZNAME:CEST",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
        "",
    ]


@pytest.mark.parametrize(
    "zone", ["Europe/Amsterdam", "Europe/London", "Europe/Dublin", "America/New_York", "Australia/Sydney", "UTC"]
)
def test_zone_rules_match_the_zone_database_every_half_hour_of_a_year(zone):
    rules = zone_rules(zone)
    tz = zoneinfo.ZoneInfo(zone)
    block = vtimezone(zone)
    from_block = block.to_tz()
    moment = dt.datetime(2027, 1, 1)
    while moment.year < 2028:
        expected = moment.replace(tzinfo=tz).utcoffset()
        assert rules.utcoffset(moment) == expected, moment
        if moment.minute == 0 and moment.hour == 10:
            assert moment.replace(tzinfo=from_block).utcoffset() == expected, moment
        moment += dt.timedelta(minutes=30)
    assert "RRULE:FREQ=YEARLY;COUNT" not in block.to_ical().decode()


def test_every_yearly_rule_names_a_weekday():
    for zone in ("Europe/Amsterdam", "America/New_York", "Australia/Sydney"):
        rules = [line for line in vtimezone(zone).to_ical().decode().split("\r\n") if line.startswith("RRULE")]
        assert len(rules) == 2
        assert all(re.fullmatch(r"RRULE:FREQ=YEARLY;BYDAY=-?[1-4]?[A-Z]{2};BYMONTH=\d{1,2}", rule) for rule in rules)


@pytest.mark.parametrize(
    ("zone", "words"),
    [
        ("Nowhere/Atlantis", "is not a known time zone"),
        ("America/Santiago", "outside the day Outlook can hold"),
    ],
)
def test_zone_outlook_cannot_hold_is_a_config_error(zone, words):
    with pytest.raises(ConfigError, match=words) as caught:
        vtimezone(zone)
    assert caught.value.key == "cadence.timezone"


def test_a_date_before_the_zones_current_rule_is_refused():
    zone = zoneinfo.ZoneInfo("Europe/Amsterdam")
    check_times("Europe/Amsterdam", [dt.datetime(2027, 7, 1, 10, tzinfo=zone)])
    with pytest.raises(ConfigError, match="does not follow its current yearly rule on 1975-07-01"):
        check_times("Europe/Amsterdam", [dt.datetime(1975, 7, 1, 10, tzinfo=zone)])


# -- the year overview -----------------------------------------------------------------------------------------


def test_overview_is_a_publish_file_with_an_organizer_and_without_attendees(committee, plan):
    data = ics.overview(committee, plan, stamp=STAMP)
    calendar = parse(data)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == committee.name
    assert calendar["PRODID"] == "-//rotation//rotation 0.1//NL"
    assert len(calendar.walk("VEVENT")) == 4
    assert len(calendar.walk("VTIMEZONE")) == 1
    assert not lines_starting(data, "ATTENDEE")
    # RFC 5546 §3.2.1: a PUBLISH names its organizer
    assert len(lines_starting(data, "ORGANIZER")) == 4
    for event in calendar.walk("VEVENT"):
        assert str(event["ORGANIZER"]) == "mailto:secretariaat@example.org"
        assert event["DTSTAMP"].dt == STAMP
        assert event["TRANSP"] == "OPAQUE"
        assert event["X-MICROSOFT-CDO-BUSYSTATUS"] == "BUSY"
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"


def test_an_overview_without_a_secretary_has_no_method_and_no_organizer(committee, plan, tmp_path):
    data = ics.overview(dataclasses.replace(committee, secretary=None), plan, stamp=STAMP)
    assert "METHOD" not in parse(data)
    assert not lines_starting(data, "ORGANIZER")
    path = tmp_path / "overview.ics"
    path.write_bytes(data)
    assert read_overview(path).meetings == plan.meetings


def test_names_with_commas_semicolons_and_line_breaks_are_escaped_for_every_reader(committee, plan, tmp_path):
    named = dataclasses.replace(committee, name="Budget, Audit; Risk")
    titled = dataclasses.replace(plan, committee_name=named.name)
    titled = dataclasses.replace(
        titled, meetings=(dataclasses.replace(titled.meetings[0], title="Begroting,\nrisico's; audit"),)
    )
    data = ics.overview(named, titled, stamp=STAMP)
    assert b"NAME:Budget\\, Audit\\; Risk\r\n" in data
    calendar = parse(data)
    assert str(calendar["X-WR-CALNAME"]) == "Budget, Audit; Risk"
    card = vobject.readOne(data.decode("utf-8"))
    assert card.contents["x-wr-calname"][0].value == "Budget, Audit; Risk"
    assert card.contents["x-rotation-committee"][0].value == "Budget, Audit; Risk"
    path = tmp_path / "overview.ics"
    path.write_bytes(data)
    back = read_overview(path)
    assert back.committee_name == "Budget, Audit; Risk"
    assert back.meetings[0].title == "Begroting,\nrisico's; audit"
    assert ics.summary(named, back.meetings[0]).endswith("Begroting, risico's; audit")


def test_every_line_is_crlf_and_at_most_75_octets(committee, plan):
    data = ics.overview(committee, plan, stamp=STAMP)
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75


def test_summary_location_and_description_of_a_teams_meeting(committee, plan):
    event = parse(ics.overview(committee, plan, stamp=STAMP)).walk("VEVENT")[0]
    assert event["SUMMARY"] == "Landelijk coördinatorenoverleg – MS Teams"
    assert event["LOCATION"] == "Microsoft Teams-vergadering"
    assert event["URL"] == TEAMS_LINK
    description = str(event["DESCRIPTION"])
    assert description.split("\n")[0] == TEAMS_LINK, "the join link comes first"
    assert "Voorzitter: Amsterdam\nNotulist: Noord-Nederland\nCasus: Rotterdam\nKennis: Den Haag" in description
    assert description.endswith(
        "Agenda\n1. Opening\n2. Verslag vorige vergadering\n3. Actiepunten\n4. Casus (Rotterdam)\n"
        "5. Kennis (Den Haag)\n6. Rondvraag\n7. Sluiting"
    )


def test_the_roles_on_the_agenda_are_the_committee_files_choice():
    """`agenda = true` on a role puts it on the invites' agenda; the roles that run the meeting stay off it."""
    text = example_text().replace('en = "knowledge", agenda = true', 'en = "knowledge"')
    text = text.replace('en = "chair", exclude', 'en = "chair", agenda = true, exclude')
    committee = loads(text)
    assert [role.key for role in committee.roles if role.agenda] == ["chair", "case"]
    description = str(
        parse(ics.overview(committee, sample_plan(committee), stamp=STAMP)).walk("VEVENT")[0]["DESCRIPTION"]
    )
    assert description.endswith(
        "Agenda\n1. Opening\n2. Verslag vorige vergadering\n3. Actiepunten\n4. Voorzitter (Amsterdam)\n"
        "5. Casus (Rotterdam)\n6. Rondvraag\n7. Sluiting"
    )
    # without any: the standard agenda alone, whatever the roles are called
    plain = dataclasses.replace(
        committee, roles=tuple(dataclasses.replace(role, agenda=False) for role in committee.roles)
    )
    description = str(parse(ics.overview(plain, sample_plan(plain), stamp=STAMP)).walk("VEVENT")[0]["DESCRIPTION"])
    assert description.endswith(
        "Agenda\n1. Opening\n2. Verslag vorige vergadering\n3. Actiepunten\n4. Rondvraag\n5. Sluiting"
    )


def test_a_physical_meeting_has_its_venue_and_no_link(committee, plan):
    event = parse(ics.overview(committee, plan, stamp=STAMP)).walk("VEVENT")[1]
    assert (
        event["SUMMARY"]
        == "Landelijk coördinatorenoverleg – Fysiek – Themabijeenkomst corruptie; ’s-Hertogenbosch, café"
    )
    assert event["LOCATION"] == 'Politieacademie, Leusden; zaal "De Eik"'
    assert "URL" not in event
    assert "teams.microsoft.com" not in str(event["DESCRIPTION"])


def test_english_committee_gets_english_words():
    committee = example_committee("en")
    data = ics.overview(committee, sample_plan(committee), stamp=STAMP)
    events = parse(data).walk("VEVENT")
    assert events[1]["SUMMARY"].startswith("Landelijk coördinatorenoverleg – Physical – Themabijeenkomst")
    description = str(events[0]["DESCRIPTION"])
    assert "Chair: Amsterdam\nMinute-taker: Noord-Nederland\nCase: Rotterdam\nKnowledge: Den Haag" in description
    assert "2. Minutes of the previous meeting\n3. Action items" in description
    assert description.endswith("6. Any other business\n7. Closing")
    assert parse(data)["PRODID"].endswith("//EN")


def test_dutch_letters_commas_semicolons_and_quotes_survive_every_parser(committee, plan, tmp_path, icaljs):
    path = tmp_path / "overview.ics"
    path.write_bytes(ics.overview(committee, plan, stamp=STAMP))
    pinned = meeting(plan, "2027-02")
    event = parse(path.read_bytes()).walk("VEVENT")[1]
    assert event["LOCATION"] == pinned.location
    assert str(vText.from_ical(str(event["X-ROTATION-TITLE"]))) == pinned.title
    vevent = vobject.readOne(path.read_text("utf-8")).vevent_list[1]
    assert vevent.location.value == pinned.location
    assert pinned.title in vevent.description.value
    from_js = icaljs([path])[str(path)]["events"]
    assert (
        from_js[1]["summary"]
        == "Landelijk coördinatorenoverleg – Fysiek – Themabijeenkomst corruptie; ’s-Hertogenbosch, café"
    )


def test_reminder_adds_one_display_alarm_per_meeting(committee, plan):
    calendar = parse(ics.overview(committee, plan, stamp=STAMP, reminder_minutes=30))
    alarms = calendar.walk("VALARM")
    assert len(alarms) == 4
    assert {str(alarm["ACTION"]) for alarm in alarms} == {"DISPLAY"}
    assert {alarm["TRIGGER"].dt for alarm in alarms} == {dt.timedelta(minutes=-30)}
    assert not parse(ics.overview(committee, plan, stamp=STAMP)).walk("VALARM")
    with pytest.raises(ConfigError, match="reminder"):
        ics.overview(committee, plan, stamp=STAMP, reminder_minutes=-5)


# -- invites and cancellations ---------------------------------------------------------------------------------


def test_invite_is_one_request_with_organizer_and_every_coordinator(committee, plan):
    data = ics.invite(committee, meeting(plan, "2027-01"), stamp=STAMP)
    calendar = parse(data)
    assert calendar["METHOD"] == "REQUEST"
    assert "X-WR-CALNAME" not in calendar
    assert "NAME" not in calendar
    (event,) = calendar.walk("VEVENT")
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:secretariaat@example.org"
    assert organizer.params["CN"] == "Secretariaat coördinatorenoverleg"
    attendees = event["ATTENDEE"]
    assert len(attendees) == 12
    for attendee, unit in zip(attendees, committee.units, strict=True):
        assert str(attendee) == f"mailto:{unit.coordinator.email}"
        assert attendee.params["CN"] == unit.coordinator.name
        assert attendee.params["CUTYPE"] == "INDIVIDUAL"
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "TRUE"
    assert event["SEQUENCE"] == 0
    assert event["UID"] == ics.meeting_uid(committee, meeting(plan, "2027-01"))


def test_the_organizer_is_never_also_an_attendee(committee, plan):
    secretary = Person("Coördinator Amsterdam (secretaris)", "AMSTERDAM@example.org")
    both = dataclasses.replace(committee, secretary=secretary)
    event = parse(ics.invite(both, meeting(plan, "2027-01"), stamp=STAMP)).walk("VEVENT")[0]
    addresses = [str(attendee).lower() for attendee in event["ATTENDEE"]]
    assert "mailto:amsterdam@example.org" not in addresses
    assert len(addresses) == 11


def test_display_names_lose_quotes_and_line_breaks(committee, plan):
    units = list(committee.units)
    units[0] = dataclasses.replace(units[0], coordinator=Person('Jan "de Baas"\r\nJansen', "jan@example.org"))
    odd = dataclasses.replace(committee, units=tuple(units), secretary=Person('Het "secretariaat"', "s@example.org"))
    data = ics.invite(odd, meeting(plan, "2027-01"), stamp=STAMP)
    event = parse(data).walk("VEVENT")[0]
    assert event["ATTENDEE"][0].params["CN"] == "Jan de Baas Jansen"
    assert event["ORGANIZER"].params["CN"] == "Het secretariaat"
    assert "^'" not in data.decode()


def test_invites_need_a_secretary_with_an_address(committee, plan):
    with pytest.raises(ConfigError, match="organizer") as caught:
        ics.invite(dataclasses.replace(committee, secretary=None), meeting(plan, "2027-01"), stamp=STAMP)
    assert caught.value.key == "secretary"


def test_invites_need_at_least_one_coordinator_address(plan):
    bare = dataclasses.replace(example_committee(), units=(Unit("Amsterdam"), Unit("Rotterdam")))
    with pytest.raises(ConfigError, match="attendee"):
        ics.invite(bare, meeting(plan, "2027-01"), stamp=STAMP)


def test_a_stamp_without_a_zone_is_refused(committee, plan):
    with pytest.raises(RotationError, match="time zone"):
        ics.overview(committee, plan, stamp=dt.datetime(2026, 12, 1, 9))


def test_stamp_in_another_zone_is_written_in_utc(committee, plan):
    amsterdam = STAMP.astimezone(zoneinfo.ZoneInfo("Europe/Amsterdam"))
    assert ics.overview(committee, plan, stamp=amsterdam) == ics.overview(committee, plan, stamp=STAMP)
    assert "DTSTAMP:20261201T090000Z" in unfolded(ics.overview(committee, plan, stamp=amsterdam))


def test_cancellation_keeps_the_uid_and_frees_the_time(committee, plan):
    gone = dataclasses.replace(meeting(plan, "2027-05"), sequence=1)
    calendar = parse(ics.cancellation(committee, gone, stamp=STAMP))
    assert calendar["METHOD"] == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == ics.meeting_uid(committee, meeting(plan, "2027-05"))
    assert event["SEQUENCE"] == 1
    assert event["STATUS"] == "CANCELLED"
    assert event["X-MICROSOFT-CDO-BUSYSTATUS"] == "FREE"
    assert event["TRANSP"] == "TRANSPARENT"
    assert len(event["ATTENDEE"]) == 12
    assert "ORGANIZER" in event
    assert not calendar.walk("VALARM")


def test_uid_follows_the_meeting_id_not_its_date(committee, plan):
    first = meeting(plan, "2027-01")
    moved = dataclasses.replace(first, date=dt.date(2027, 5, 6))
    assert ics.meeting_uid(committee, first) == ics.meeting_uid(committee, moved)
    assert ics.meeting_uid(committee, first) != ics.meeting_uid(committee, meeting(plan, "2027-02"))
    other = dataclasses.replace(committee, name="Ander overleg")
    assert ics.meeting_uid(committee, first) != ics.meeting_uid(other, first)


# -- determinism and golden files ------------------------------------------------------------------------------


def test_same_input_and_stamp_give_the_same_bytes(committee, plan, tmp_path):
    first = [p.read_bytes() for p in ics.write_ics_dir(committee, plan, tmp_path / "a", stamp=STAMP)]
    again = [
        p.read_bytes()
        for p in ics.write_ics_dir(example_committee(), sample_plan(committee), tmp_path / "b", stamp=STAMP)
    ]
    assert first == again
    later = ics.overview(committee, plan, stamp=STAMP + dt.timedelta(days=1))
    changed = [(a, b) for a, b in zip(unfolded(first[0]), unfolded(later), strict=True) if a != b]
    assert changed and all(a.startswith("DTSTAMP:") for a, _ in changed)


def golden_files(committee: Committee, plan: Plan) -> dict[str, bytes]:
    moved = dataclasses.replace(meeting(plan, "2027-01"), date=dt.date(2027, 3, 18), sequence=1)
    english = example_committee("en")
    return {
        "overview.ics": ics.overview(committee, plan, stamp=STAMP, reminder_minutes=15),
        "invite-2027-01.ics": ics.invite(committee, meeting(plan, "2027-01"), stamp=STAMP),
        "invite-2027-02.ics": ics.invite(committee, meeting(plan, "2027-02"), stamp=STAMP),
        "update-2027-01-1.ics": ics.invite(committee, moved, stamp=STAMP),
        "cancel-2027-05-1.ics": ics.cancellation(
            committee, dataclasses.replace(meeting(plan, "2027-05"), sequence=1), stamp=STAMP
        ),
        "overview-en.ics": ics.overview(english, sample_plan(english), stamp=STAMP),
    }


def test_files_match_the_reviewed_golden_files_byte_for_byte(committee, plan):
    produced = golden_files(committee, plan)
    if UPDATE_GOLDEN:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, data in produced.items():
            (GOLDEN / name).write_bytes(data)
    for name, data in produced.items():
        path = GOLDEN / name
        assert path.is_file(), f"{path} is missing; run with ROTATION_UPDATE_GOLDEN=1 and review the diff"
        assert data == path.read_bytes(), f"{name} differs; run with ROTATION_UPDATE_GOLDEN=1 and review the diff"


def test_golden_files_parse_in_ical_js(icaljs):
    paths = sorted(GOLDEN.glob("*.ics"))
    assert len(paths) == 6
    parsed = icaljs(paths)
    for path in paths:
        result = parsed[str(path)]
        assert result["zones"] == ["Europe/Amsterdam"]
        assert result["events"]
        assert (result["method"] == "PUBLISH") == path.name.startswith("overview")


# -- what to send after a change -------------------------------------------------------------------------------


def test_moving_one_meeting_gives_exactly_one_update_with_the_same_uid(committee, plan):
    moved = dataclasses.replace(meeting(plan, "2027-05"), date=dt.date(2027, 11, 11))
    current = dataclasses.replace(plan, meetings=tuple(moved if m.id == "2027-05" else m for m in plan.meetings))
    new_plan, files = ics.changes(committee, plan, current, stamp=STAMP)
    (file,) = files
    assert (file.kind, file.method, file.name) == ("update", "REQUEST", "update-2027-05-1.ics")
    calendar = parse(file.data)
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == ics.meeting_uid(committee, meeting(plan, "2027-05"))
    assert event["SEQUENCE"] == 1
    assert event["DTSTART"].dt.date() == dt.date(2027, 11, 11)
    assert [m.sequence for m in new_plan.meetings] == [0, 0, 1, 0]


def test_removing_one_meeting_gives_exactly_one_cancellation(committee, plan):
    current = dataclasses.replace(plan, meetings=tuple(m for m in plan.meetings if m.id != "2027-02"))
    new_plan, files = ics.changes(committee, plan, current, stamp=STAMP)
    (file,) = files
    assert (file.kind, file.method, file.name) == ("cancel", "CANCEL", "cancel-2027-02-1.ics")
    (event,) = parse(file.data).walk("VEVENT")
    assert event["UID"] == ics.meeting_uid(committee, meeting(plan, "2027-02"))
    assert event["SEQUENCE"] == 1
    assert event["STATUS"] == "CANCELLED"
    assert [m.id for m in new_plan.meetings] == ["2027-01", "2027-05", "2027-06"]


def test_an_unchanged_plan_gives_nothing(committee, plan):
    issued = dataclasses.replace(plan, meetings=tuple(dataclasses.replace(m, sequence=2) for m in plan.meetings))
    fresh = sample_plan(committee)  # as the solver returns it: every sequence 0
    new_plan, files = ics.changes(committee, issued, fresh, stamp=STAMP)
    assert files == []
    assert [m.sequence for m in new_plan.meetings] == [2, 2, 2, 2]


@pytest.mark.parametrize(
    "change",
    [
        {"start": dt.time(11)},
        {"end": dt.time(13)},
        {"mode": Mode.PHYSICAL, "location": "Eenheid Amsterdam"},
        {"location": "Elders"},
        {"roles": roles("Amsterdam", "Noord-Nederland", "Rotterdam", "Oost-Brabant")},
        {"title": "Extra"},
    ],
)
def test_each_visible_change_is_an_update(committee, plan, change):
    changed = dataclasses.replace(meeting(plan, "2027-01"), **change)
    current = dataclasses.replace(plan, meetings=(changed, *plan.meetings[1:]))
    _, files = ics.changes(committee, plan, current, stamp=STAMP)
    assert [(f.kind, f.meeting.id, f.meeting.sequence) for f in files] == [("update", "2027-01", 1)]


def test_a_new_meeting_gets_an_invite_with_sequence_0(committee, plan):
    extra = dataclasses.replace(meeting(plan, "2027-06"), id="2027-07", date=dt.date(2027, 12, 16))
    current = dataclasses.replace(plan, meetings=(*plan.meetings, extra))
    new_plan, files = ics.changes(committee, plan, current, stamp=STAMP)
    (file,) = files
    assert (file.kind, file.name, file.meeting.sequence) == ("new", "invite-2027-07.ics", 0)
    assert parse(file.data).walk("VEVENT")[0]["SEQUENCE"] == 0
    assert len(new_plan.meetings) == 5


def test_a_second_move_raises_the_sequence_again(committee, plan):
    once = dataclasses.replace(
        plan, meetings=(dataclasses.replace(plan.meetings[0], start=dt.time(11)), *plan.meetings[1:])
    )
    after_once, _ = ics.changes(committee, plan, once, stamp=STAMP)
    twice = dataclasses.replace(
        once, meetings=(dataclasses.replace(once.meetings[0], start=dt.time(12)), *once.meetings[1:])
    )
    _, files = ics.changes(committee, after_once, twice, stamp=STAMP)
    assert [(f.name, f.meeting.sequence) for f in files] == [("update-2027-01-2.ics", 2)]


def test_plans_of_different_committees_are_not_compared(committee, plan):
    other = dataclasses.replace(plan, committee_name="Ander overleg")
    with pytest.raises(PlanFileError, match="same committee"):
        ics.changes(committee, plan, other, stamp=STAMP)


def test_two_meetings_with_one_id_are_refused(committee, plan):
    doubled = dataclasses.replace(plan, meetings=(plan.meetings[0], plan.meetings[0]))
    with pytest.raises(PlanFileError, match="two meetings with id '2027-01'"):
        ics.overview(committee, doubled, stamp=STAMP)


def test_write_ics_dir_writes_the_overview_and_one_invite_per_meeting(committee, plan, tmp_path):
    folder = tmp_path / "new" / "ics"
    paths = ics.write_ics_dir(committee, plan, folder, stamp=STAMP)
    assert [p.name for p in paths] == [
        "overview.ics",
        "invite-2027-01.ics",
        "invite-2027-02.ics",
        "invite-2027-05.ics",
        "invite-2027-06.ics",
    ]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths), "no temporary files left"
    for path in paths[1:]:
        assert parse(path.read_bytes())["METHOD"] == "REQUEST"


# -- reading an overview back ----------------------------------------------------------------------------------


def test_reading_an_overview_gives_back_the_plan(committee, plan, tmp_path):
    issued = dataclasses.replace(
        plan, meetings=tuple(dataclasses.replace(m, sequence=i) for i, m in enumerate(plan.meetings))
    )
    path = tmp_path / "overview.ics"
    path.write_bytes(ics.overview(committee, issued, stamp=STAMP))
    back = read_overview(path)
    assert back == dataclasses.replace(issued, optimal=True, objective=None)


def test_the_overview_and_the_json_export_give_the_same_changes(committee, plan, tmp_path):
    from rotation.formats import read_plan, to_json

    (tmp_path / "plan.json").write_text(to_json(committee, plan), "utf-8")
    (tmp_path / "overview.ics").write_bytes(ics.overview(committee, plan, stamp=STAMP))
    current = dataclasses.replace(plan, meetings=plan.meetings[1:])
    from_json = ics.changes(committee, read_plan(tmp_path / "plan.json"), current, stamp=STAMP)
    from_ics = ics.changes(committee, read_overview(tmp_path / "overview.ics"), current, stamp=STAMP)
    assert from_json == from_ics
    assert [f.name for f in from_ics[1]] == ["cancel-2027-01-1.ics"]


FOREIGN = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//Someone else//EN\r\n"
    "X-ROTATION-COMMITTEE:Landelijk coördinatorenoverleg\r\n"
    "METHOD:PUBLISH\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:abc\r\n"
    "DTSTAMP:20270101T000000Z\r\n"
    "DTSTART:20270107T100000Z\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


@pytest.mark.parametrize(
    ("content", "words", "line"),
    [
        (b"hello, world\n", "does not start with BEGIN:VCALENDAR", 1),
        (b"\xff\xfe\x00", "not UTF-8", None),
        (
            FOREIGN.replace("X-ROTATION-COMMITTEE:Landelijk coördinatorenoverleg\r\n", "").encode(),
            "no X-ROTATION-COMMITTEE",
            None,
        ),
        (FOREIGN.encode(), "this event has no X-ROTATION-MEETING-ID", 6),
        (FOREIGN.replace("METHOD:PUBLISH", "METHOD:REQUEST").encode(), "not a year overview", None),
    ],
)
def test_a_file_that_is_no_overview_is_a_plan_file_error(tmp_path, content, words, line):
    path = tmp_path / "agenda.ics"
    path.write_bytes(content)
    with pytest.raises(PlanFileError, match=words) as caught:
        read_overview(path)
    assert caught.value.file == str(path)
    assert caught.value.line == line
    assert str(path) in str(caught.value)


def test_an_event_without_a_zone_is_a_plan_file_error(committee, plan, tmp_path):
    text = ics.overview(committee, plan, stamp=STAMP).decode("utf-8")
    path = tmp_path / "overview.ics"
    path.write_text(text.replace("DTSTART;TZID=Europe/Amsterdam:20270401T100000", "DTSTART:20270401T100000"), "utf-8")
    with pytest.raises(PlanFileError, match="meeting '2027-02': DTSTART must be a date and time with a TZID") as caught:
        read_overview(path)
    lines = text.split("\r\n")
    second_event = [i for i, line in enumerate(lines, 1) if line == "BEGIN:VEVENT"][1]
    assert caught.value.line == second_event


def test_a_missing_file_is_a_plan_file_error(tmp_path):
    with pytest.raises(PlanFileError, match="cannot be read"):
        read_overview(tmp_path / "nothing.ics")


# -- the issue command -----------------------------------------------------------------------------------------


def test_issue_command_writes_only_the_changes_and_the_new_plan(committee, plan, tmp_path, capsys):
    from rotation.cli import main
    from rotation.formats import read_plan, to_json

    committee_file = tmp_path / "committee.toml"
    committee_file.write_text(
        example_text().replace('teams_location = "', f'teams_link = "{TEAMS_LINK}"\nteams_location = "'), "utf-8"
    )
    previous = tmp_path / "sent.json"
    previous.write_text(to_json(committee, plan), "utf-8")
    moved = dataclasses.replace(meeting(plan, "2027-06"), date=dt.date(2027, 11, 11))
    current = dataclasses.replace(plan, meetings=(*plan.meetings[:2], moved))  # 2027-05 removed, 2027-06 moved
    current_file = tmp_path / "current.json"
    current_file.write_text(to_json(committee, current), "utf-8")
    out = tmp_path / "out"
    code = main(
        [
            "issue",
            str(previous),
            str(current_file),
            "--committee",
            str(committee_file),
            "--out",
            str(out),
            "--stamp",
            "2026-12-01T09:00:00Z",
        ]
    )
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "cancel-2027-05-1.ics",
        "delivery.json",
        "overview.ics",
        "plan.json",
        "update-2027-06-1.ics",
    ]
    assert (out / "update-2027-06-1.ics").read_bytes() == ics.invite(
        committee, dataclasses.replace(moved, sequence=1), stamp=STAMP
    )
    written = read_plan(out / "plan.json")
    assert [(m.id, m.sequence) for m in written.meetings] == [("2027-01", 0), ("2027-02", 0), ("2027-06", 1)]
    assert "update-2027-06-1.ics" in capsys.readouterr().out

    # Issuing again from the plan just written finds nothing new.
    again = tmp_path / "again"
    assert (
        main(
            [
                "issue",
                str(out / "plan.json"),
                str(current_file),
                "--committee",
                str(committee_file),
                "--out",
                str(again),
            ]
        )
        == 0
    )
    assert sorted(p.name for p in again.iterdir()) == ["delivery.json", "overview.ics", "plan.json"]


def test_issue_command_reports_a_foreign_previous_file(tmp_path, capsys):
    from rotation.cli import main

    previous = tmp_path / "agenda.ics"
    previous.write_text(FOREIGN, "utf-8")
    code = main(["issue", str(previous), str(previous), "--out", str(tmp_path / "out"), "--committee", EXAMPLE_FILE])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("Planning file error: ")
    assert "agenda.ics" in err and "Traceback" not in err
