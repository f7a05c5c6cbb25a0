"""Inputs that are not what they should be: special files, bounds, the right file named, all-or-nothing outputs."""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import EXAMPLE_FILE

import rotation
from rotation.cli import main
from rotation.config import example_text, loads
from rotation.files import clean_stale, write_outputs, write_together
from rotation.formats import read_plan_text, render

EXAMPLE = example_text()


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


def config_error(text: str) -> str:
    with pytest.raises(rotation.ConfigError) as caught:
        loads(text, source="committee.toml")
    return str(caught.value)


# -- special files --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["plan", "{}"], ["check", "{}", "--committee", EXAMPLE_FILE], ["plan", "--history", "{}"]]
)
def test_a_named_pipe_is_refused_without_waiting(tmp_path, command):
    pipe = tmp_path / "committee.toml"
    os.mkfifo(pipe)
    argv = [part.replace("{}", str(pipe)) for part in command]
    done = subprocess.run(
        [sys.executable, "-m", "rotation.cli", *argv], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert "is a named pipe, not a regular file" in done.stderr
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_before_it_is_read(device):
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    code, _, err = run(["plan", device])
    assert code == 2
    assert err == (
        f"Configuration error: {device}: this is a device, not a regular file; give a committee file saved on disk.\n"
    )
    code, _, err = run(["check", device, "--committee", EXAMPLE_FILE])
    assert (code, err.split(":")[0]) == (2, "Planning file error")


# -- time zones and countries ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "message"),
    [
        ("Europe", "'Europe' is a group of time zones, not one; use one of them, such as 'Europe/Amsterdam'."),
        ("Etc", "'Etc' is a group of time zones, not one; use one of them, such as 'Etc/GMT'."),
        (
            "America/Argentina",
            "'America/Argentina' is a group of time zones, not one; use one of them, "
            "such as 'America/Argentina/Buenos_Aires'.",
        ),
        ("right/UTC", "'right/UTC' is a variant of a time zone; use 'UTC'."),
        ("posix/Europe/Amsterdam", "'posix/Europe/Amsterdam' is a variant of a time zone; use 'Europe/Amsterdam'."),
        ("Europe/Amsterdan", "'Europe/Amsterdan' is not a time zone. Did you mean 'Europe/Amsterdam'?"),
        (
            "../../../../etc/passwd",
            "'../../../../etc/passwd' is not a time zone. Use a name such as \"Europe/Amsterdam\".",
        ),
    ],
)
def test_a_time_zone_that_is_not_one(zone, message):
    text = EXAMPLE.replace('timezone = "Europe/Amsterdam"', f'timezone = "{zone}"')
    assert config_error(text) == f"committee.toml, line 51, key 'cadence.timezone': {message}"


def test_a_time_zone_message_holds_only_printable_text():
    text = EXAMPLE.replace('timezone = "Europe/Amsterdam"', 'timezone = "\\u001b[2J\\u0000x"')
    message = config_error(text)
    assert all(ch.isprintable() for ch in message)


@pytest.mark.parametrize(("written", "code"), [("UK", "GB"), ("GBR", "GB"), ("netherlands", "NL"), ("DEU", "DE")])
def test_a_country_written_another_way_gets_its_code(written, code):
    text = EXAMPLE.replace('country = "NL"', f'country = "{written}"')
    expected = f"'{written.upper()}' is not a country code the holidays package knows; did you mean \"{code}\"?"
    assert config_error(text) == f"committee.toml, line 61, key 'blackouts.country': {expected}"


# -- bounds ------------------------------------------------------------------------------------------------


def test_years_beyond_the_documented_range_are_refused():
    for year in ("2200", "9999"):
        done = subprocess.run(
            [sys.executable, "-m", "rotation.cli", "plan", "--year", year], capture_output=True, text=True, check=False
        )
        assert done.returncode == 2
        assert done.stderr.endswith(
            f"Usage error: argument --year: {year} is not a year this tool plans (from 1900 to 2199)\n"
        )


def test_a_history_that_ends_in_the_last_year_gives_no_plan_beyond_it(committee_factory):
    from rotation.domain import Mode, PastMeeting

    committee = committee_factory(history=[PastMeeting(rotation.domain.dt.date(2199, 11, 7), Mode.TEAMS)])
    with pytest.raises(rotation.HorizonError) as caught:
        rotation.plan(committee)
    assert str(caught.value) == "the planning ends on 2200-11-07; this tool plans dates from 1900 to 2199."


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--meetings", "100000"],
            "Fout in de periode: het aantal vergaderingen moet van 1 tot en met 520 zijn, niet 100000.\n",
        ),
        (
            ["--meetings", "100000", "--lang", "en"],
            "Horizon error: the number of meetings must be from 1 to 520, not 100000.\n",
        ),
        (
            ["--no-history", "--from", "2027-01-01", "--to", "2070-01-01"],
            "Fout in de periode: de planning loopt van 01-01-2027 tot 01-01-2070; "
            "één planning beslaat hoogstens 10 jaar: plan de jaren na elkaar.\n",
        ),
        (
            ["--no-history", "--from", "2027-01-01", "--to", "2070-01-01", "--lang", "en"],
            "Horizon error: the planning runs from 2027-01-01 to 2070-01-01; one plan covers at most 10 years: "
            "plan the years one after another.\n",
        ),
        (["--year", "2027", "--from", "2027-01-01"], "Usage error: give either --year or --from and --to, not both.\n"),
    ],
)
def test_counts_and_horizons_are_bounded_before_any_work(options, message):
    code, out, err = run(["plan", "--quiet", *options])
    assert (code, out, err) == (2, "", message)


def test_the_library_speaks_of_its_own_arguments(example):
    with pytest.raises(rotation.HorizonError) as caught:
        rotation.plan(example, year=2027, language="en")
    assert "--" not in str(caught.value)
    assert "the history ends on 2023-01-12, 207 weeks before" in str(caught.value)
    assert "start the rotation afresh without the history" in str(caught.value)
    assert "--no-history" in (caught.value.command_line or "")
    with pytest.raises(rotation.HorizonError) as caught:
        rotation.plan(example, year=2027)
    assert "de geschiedenis eindigt op 12-01-2023, 207 weken voordat" in str(caught.value)
    assert "begin de rotatie opnieuw zonder de geschiedenis" in str(caught.value)


# -- the right file named -----------------------------------------------------------------------------------

NO_CHAIR = textwrap.dedent(
    """\
    name = "Werkgroep Zuid"
    units = [{ name = "Breda" }, { name = "Tilburg" }, { name = "Eindhoven" }, { name = "Helmond" }]
    roles = [{ key = "minute_taker" }, { key = "case" }]
    """
)


def test_the_export_of_a_committee_without_a_chair_is_read_back_as_history(tmp_path):
    committee = tmp_path / "nochair.toml"
    committee.write_text(NO_CHAIR)
    exported = tmp_path / "plan.json"
    assert run(["plan", str(committee), "--year", "2027", "--quiet", "-o", str(exported)])[0] == 0
    code, out, _ = run(["plan", str(committee), "--quiet", "--history", str(exported)])
    assert code == 0 and out


def test_a_bad_history_file_is_named_not_the_committee_file(tmp_path, example):
    plan = rotation.plan(example)
    text = render("json", example, plan).replace(
        '"location": "Microsoft Teams-vergadering"', '"location": "x\\u001b"', 1
    )
    history = tmp_path / "plan-2023.json"
    history.write_text(text)
    code, _, err = run(["plan", "--quiet", "--history", str(history)])
    assert code == 2
    assert err == (
        f"Planning file error: {history}: the meeting of 11-05-2023 (location): "
        "the text contains the control character U+001B; remove it.\n"
    )


def test_another_committees_plan_as_history_is_named_as_such(tmp_path):
    committee = tmp_path / "zuid.toml"
    committee.write_text(NO_CHAIR.replace('key = "case"', 'key = "host"'))
    exported = tmp_path / "zuid.json"
    run(["plan", str(committee), "--year", "2027", "--quiet", "-o", str(exported)])
    code, _, err = run(["plan", "--quiet", "--history", str(exported)])
    assert code == 2
    assert err.startswith(f"Planning file error: {exported}: the meeting of ")
    assert "which is not a role of this committee" in err
    assert "This plan is of 'Werkgroep Zuid', not of 'Landelijk coördinatorenoverleg'." in err


def test_check_without_the_committee_of_another_committees_planning(tmp_path):
    committee = tmp_path / "zuid.toml"
    committee.write_text(NO_CHAIR)
    exported = tmp_path / "zuid.csv"
    run(["plan", str(committee), "--year", "2027", "--quiet", "-o", str(exported)])
    code, out, err = run(["check", str(exported)])
    assert (code, out) == (2, "")
    assert err.startswith("Usage error: which committee? Give its file with --committee committee.toml")


# -- role labels and the table's own words ------------------------------------------------------------------


@pytest.mark.parametrize("label", ["notes", "title", "day", "place", "Bijzonderheden", "opmerking"])
@pytest.mark.parametrize("fmt", ["csv", "markdown", "xlsx"])
def test_a_role_named_like_a_column_is_read_back_as_the_role(committee_factory, label, fmt):
    import dataclasses

    from rotation import documents
    from rotation.planning_check import check_planning

    committee = committee_factory(5)
    roles = list(committee.roles)
    roles[2] = dataclasses.replace(roles[2], label_en=label, label_nl=label)
    committee = dataclasses.replace(committee, roles=tuple(roles))
    plan = rotation.plan(committee, year=2027)
    data = documents.to_bytes("xlsx", committee, plan, language="en") if fmt == "xlsx" else render(fmt, committee, plan)
    back = read_plan_text(data, committee, source=f"plan.{fmt}")
    assert check_planning(committee, back) == []
    assert [dict(m.roles) for m in back.meetings] == [dict(m.roles) for m in plan.meetings]


@pytest.mark.parametrize("label", ["Date", "datum", "Mode", "vorm", "Location", "locatie"])
def test_a_role_may_not_be_named_as_the_tables_own_columns(label):
    text = EXAMPLE.replace('en = "knowledge"', f'en = "{label}"')
    assert config_error(text) == (
        f"committee.toml, line 32, key 'roles[3].en': '{label}' is the heading of another column of the "
        "planning table; give the role another name."
    )


def test_a_formula_as_role_label_is_not_live_in_the_csv_header(committee_factory):
    import csv
    import dataclasses

    committee = committee_factory(5)
    roles = list(committee.roles)
    roles[0] = dataclasses.replace(roles[0], label_en='=HYPERLINK("http://x","y")')
    committee = dataclasses.replace(committee, roles=tuple(roles))
    plan = rotation.plan(committee, year=2027)
    written = render("csv", committee, plan, "en")
    header = next(csv.reader(io.StringIO(written)))
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in header)
    assert read_plan_text(written, committee, source="plan.csv").meetings[0].roles == plan.meetings[0].roles


# -- first-day mistakes -----------------------------------------------------------------------------------


def test_a_dutch_date_without_quotes():
    text = EXAMPLE.replace("study_days = [2023-06-22]", "study_days = [22-06-2023]")
    assert config_error(text) == (
        "committee.toml, line 65: 22-06-2023 is not a date TOML can read: dates are written 2023-06-22 "
        '(year, month, day), or as text in quotes, "22-06-2023".'
    )


@pytest.mark.parametrize(("fmt", "kind"), [("csv", "CSV"), ("markdown", "Markdown"), ("json", "JSON")])
def test_a_planning_given_as_the_committee_file(example_plan, example, fmt, kind):
    message = config_error(render(fmt, example, example_plan))
    assert message == (
        f"committee.toml: this looks like a planning ({kind}), not a committee file; the committee file is the "
        "TOML file that `rotation example` writes (give a planning to `rotation check`, or with --history)."
    )


# -- all or nothing ----------------------------------------------------------------------------------------


def test_a_failure_while_writing_leaves_every_earlier_file(tmp_path, monkeypatch):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    first.write_bytes(b"old a")
    second.write_bytes(b"old b")
    real = os.fsync
    calls = []

    def full_disk(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(rotation.PlanFileError) as caught:
        write_outputs([(first, b"new a"), (second, b"new b")])
    assert "No space left on device" in str(caught.value)
    assert (first.read_bytes(), second.read_bytes()) == (b"old a", b"old b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ics", "b.ics"]


def test_a_plan_that_cannot_write_its_output_writes_no_invites(tmp_path):
    folder = tmp_path / "invites"
    output = tmp_path / "taken"
    output.mkdir()
    code, _, err = run(["plan", "--quiet", "--ics", str(folder), "-o", str(output / "sub" / "plan.json")])
    assert code == 2, err
    assert not folder.exists() or not any(folder.iterdir())


def test_temporary_files_of_a_killed_run_are_removed_by_the_next(tmp_path):
    script = textwrap.dedent(
        f"""
        import os, sys, time
        sys.path.insert(0, {str(Path(rotation.__file__).parent.parent)!r})
        from rotation import files
        files._stage(__import__("pathlib").Path({str(tmp_path / "plan.json")!r}), b"half")
        print("staged", flush=True)
        time.sleep(60)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline() == "staged\n"
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and re.fullmatch(rf"\.plan\.json\.{child.pid}\.[a-z0-9_]{{8}}\.tmp", left[0])
    assert clean_stale(tmp_path) == []  # its process still runs: its file is left alone
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    write_together([(tmp_path / "plan.json", b"{}")])
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


# -- unavailable periods --------------------------------------------------------------------------------

PERIOD = (
    '{ name = "Rotterdam", unavailable = [2023-09-14, { start = 2023-07-01, end = 2023-07-20, reason = "verhuizing" }],'
)


def test_an_unavailable_period_counts_as_every_date_in_it(example):
    committee = loads(EXAMPLE.replace('{ name = "Rotterdam",', PERIOD), source="committee.toml")
    rotterdam = committee.unit("Rotterdam")
    assert [(p.start.isoformat(), p.end.isoformat(), p.reason) for p in rotterdam.unavailable_periods] == [
        ("2023-07-01", "2023-07-20", "verhuizing")
    ]
    assert len(rotterdam.unavailable) == 21
    plan = rotation.plan(committee)
    assert rotation.validate(committee, plan) == []
    for meeting in plan.meetings:
        if rotation.domain.dt.date(2023, 7, 1) <= meeting.date <= rotation.domain.dt.date(2023, 7, 20):
            assert "Rotterdam" not in meeting.roles.values()
    # the same as listing the dates one by one
    days = ", ".join(day.isoformat() for day in rotterdam.unavailable)
    listed = loads(EXAMPLE.replace('{ name = "Rotterdam",', f'{{ name = "Rotterdam", unavailable = [{days}],'))
    assert rotation.plan(listed).meetings == plan.meetings


@pytest.mark.parametrize(
    ("period", "message"),
    [
        (
            "{ start = 2023-07-01 }",
            "line 21, key 'units[8].unavailable[0]': an unavailable period needs an end date; "
            "for one day, write the date alone.",
        ),
        (
            "{ start = 2023-07-20, end = 2023-07-01 }",
            "line 21, key 'units[8].unavailable[0].end': the period ends (2023-07-01) before it starts (2023-07-20).",
        ),
        (
            "{ begin = 2023-07-01, end = 2023-07-20 }",
            "line 21, key 'units[8].unavailable[0].begin': 'begin' is not a known key here "
            "(known: start, end, reason).",
        ),
        (
            '{ start = "1-7-2023", end = "2023-07-40" }',
            "line 21, key 'units[8].unavailable[0].end': expected a date such as 2027-03-11 or 11-03-2027, "
            "found '2023-07-40'.",
        ),
    ],
)
def test_a_period_that_cannot_be_used(period, message):
    text = EXAMPLE.replace('{ name = "Rotterdam",', f'{{ name = "Rotterdam", unavailable = [{period}],')
    assert config_error(text) == f"committee.toml, {message}"


def test_a_unit_built_in_code_with_a_period(committee_factory):
    import dataclasses
    import datetime as dt

    from rotation.domain import Blackout

    committee = committee_factory(6)
    away = Blackout(dt.date(2027, 3, 1), dt.date(2027, 6, 30), "away", "unit")
    units = (dataclasses.replace(committee.units[0], unavailable_periods=(away,)), *committee.units[1:])
    committee = dataclasses.replace(committee, units=units)
    assert len(committee.units[0].unavailable) == 122
    plan = rotation.plan(committee, year=2027)
    assert rotation.validate(committee, plan) == []
    assert all("A" not in m.roles.values() for m in plan.meetings if m.date in away)


def test_a_move_onto_a_blackout_names_the_move(tmp_path, example, example_plan):
    issued = tmp_path / "plan.json"
    issued.write_text(render("json", example, example_plan))
    code, out, err = run(
        ["replan", str(issued), "--move", "2023-05-11=2023-05-18", "--quiet", "--committee", EXAMPLE_FILE]
    )
    assert (code, out) == (2, "")
    assert err == (
        "Configuration error: move 11-05-2023=18-05-2023: 18-05-2023 valt in de uitgesloten periode "
        "'Hemelvaartsdag'; kies een andere datum.\n"
    )


# -- suggestions that are verified -------------------------------------------------------------------------

WERKGROEP = textwrap.dedent(
    """\
    name = "Werkgroep Noord"
    language = "en"
    units = [
      { name = "Groningen" }, { name = "Assen" }, { name = "Leeuwarden" }, { name = "Zwolle" }, { name = "Emmen" },
    ]
    roles = [{ key = "chair" }, { key = "minute_taker", en = "minute-taker" }, { key = "case" }]

    [rotation]
    chains = [{ from = "minute_taker", to = "chair" }]

    [cadence]
    meetings_per_year = 6
    min_gap_weeks = 8
    max_gap_weeks = 10

    [blackouts]
    public_holidays = false
    periods = [{ start = 2027-02-25, end = 2027-03-20, reason = "Renovation of the meeting room" }]

    [[history]]
    date = 2027-01-07
    mode = "teams"
    roles = { chair = "Groningen", minute_taker = "Assen", case = "Leeuwarden" }
    """
)


def test_a_suggestion_that_leaves_another_clash_is_not_shown():
    import dataclasses

    committee = loads(WERKGROEP, source="werkgroep.toml")
    with pytest.raises(rotation.InfeasibleError) as caught:
        rotation.plan(committee, meetings=9)
    # fewer meetings lifts this clash, but the renovation still keeps the first meeting out of reach
    assert [c.relaxation for c in caught.value.conflicts if c.relaxation] == ["allow 5 weeks between meetings"]
    relaxed = dataclasses.replace(committee, cadence=dataclasses.replace(committee.cadence, min_gap_weeks=5))
    plan = rotation.plan(relaxed, meetings=9)
    assert rotation.validate(relaxed, plan) == []
    for fewer in (7, 6):
        with pytest.raises(rotation.InfeasibleError):
            rotation.plan(committee, meetings=fewer)


def test_when_no_single_change_gives_a_plan_the_message_says_so(committee_factory):
    import datetime as dt

    from rotation.domain import Cadence

    # two clashes that have nothing to do with each other: whichever rule is lifted, the other clash remains
    committee = committee_factory(
        5,
        chains=False,
        cadence=Cadence(meetings_per_year=6, min_gap_weeks=8, max_gap_weeks=8),
        eligible={"chair": ("A",), "case": ("A",)},
    )
    with pytest.raises(rotation.InfeasibleError) as caught:
        rotation.plan(committee, meetings=8, start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31))
    assert caught.value.conflicts
    assert not any(c.relaxation for c in caught.value.conflicts)
    assert str(caught.value).endswith(
        "No one of these changes alone gives a plan: another clash remains; change more than one rule."
    )


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
@pytest.mark.parametrize("year", [2108, 2199])
def test_office_files_for_years_after_2107(committee_factory, fmt, year):
    """A zip member's time stamp ends in 2107; the documents still carry their own dates."""
    from rotation import documents

    committee = committee_factory(5)
    plan = rotation.plan(committee, year=year)
    data = documents.to_bytes(fmt, committee, plan, language="en")
    assert data.startswith(b"PK")
    if fmt == "xlsx":
        back = read_plan_text(data, committee, source="plan.xlsx")
        assert [m.date for m in back.meetings] == [m.date for m in plan.meetings]


@pytest.mark.parametrize(
    "stamp", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00", "2199-12-31T23:00:00-05:00"]
)
def test_a_stamp_outside_the_years_of_this_tool(stamp):
    done = subprocess.run(
        [sys.executable, "-m", "rotation.cli", "plan", "--quiet", "--ics", "unused", "--stamp", stamp],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.endswith(
        f"Usage error: argument --stamp: '{stamp}' is not a time this tool uses (years 1900 to 2199)\n"
    )


# -- the plan that replan writes passes check ----------------------------------------------------------------


@pytest.mark.parametrize(("unit", "since"), [("Rotterdam", "2023-09-01"), ("Noord-Holland", "2023-06-01")])
def test_the_plan_written_after_a_unit_left_passes_check_with_either_committee_file(
    tmp_path, example, example_plan, unit, since
):
    import json

    before = tmp_path / "committee.toml"
    before.write_text(EXAMPLE)
    after = tmp_path / "committee-after.toml"
    after.write_text("\n".join(line for line in EXAMPLE.splitlines() if f'name = "{unit}"' not in line) + "\n")
    issued = tmp_path / "plan.json"
    issued.write_text(render("json", example, example_plan))
    new = tmp_path / "new.json"
    argv = ["replan", str(issued), "--committee", str(before), "--remove-unit", unit, "--from", since]
    assert run([*argv, "--quiet", "-o", str(new)])[0] == 0
    assert json.loads(new.read_text())["left"] == [{"unit": unit, "from": since}]
    for committee in (before, after):
        assert run(["check", str(new), "--committee", str(committee)])[:2] == (
            0,
            "De planning voldoet aan alle regels.\n",
        ), committee
    # what the departure does not excuse is still reported
    data = json.loads(new.read_text())
    data["meetings"][-1]["roles"]["case"] = unit
    new.write_text(json.dumps(data))
    code, out, _ = run(["check", str(new), "--committee", str(before)])
    assert code == 1
    assert f"{unit} is niet beschikbaar op 11-01-2024, maar is casus" in out


def test_a_plan_with_units_that_left_and_meetings_cancelled_matches_the_schema(example, example_plan):
    import json

    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(__file__).parent.parent / "docs" / "reference" / "plan.schema.json").read_text())
    changed = dataclasses_replace(
        example_plan,
        meetings=example_plan.meetings[:3] + example_plan.meetings[4:],
        cancelled=example_plan.meetings[3:4],
        left=(("Rotterdam", rotation.domain.dt.date(2023, 9, 1)),),
    )
    data = json.loads(render("json", example, changed))
    jsonschema.validate(data, schema)
    back = read_plan_text(json.dumps(data), example, source="plan.json")
    assert (back.left, back.cancelled) == (changed.left, changed.cancelled)


@pytest.mark.parametrize(
    ("changes", "today"),
    [
        (["--cancel", "07-09-2023"], "01-08-2023"),
        (["--cancel", "16-11-2023", "--move", "07-09-2023=14-09-2023"], "01-08-2023"),
        (["--cancel", "11-05-2023", "--remove-unit", "Rotterdam", "--from", "01-04-2023"], "01-04-2023"),
    ],
)
def test_the_plan_written_after_a_cancellation_passes_check(tmp_path, example, example_plan, changes, today):
    committee = tmp_path / "committee.toml"
    committee.write_text(EXAMPLE)
    issued = tmp_path / "plan.json"
    issued.write_text(render("json", example, example_plan))
    new = tmp_path / "new.json"
    argv = ["replan", str(issued), "--committee", str(committee), *changes, "--today", today, "--quiet"]
    assert run([*argv, "-o", str(new)])[0] == 0
    assert run(["check", str(new), "--committee", str(committee)])[:2] == (0, "De planning voldoet aan alle regels.\n")
    # and the next change to that plan, too
    newer = tmp_path / "newer.json"
    argv = ["replan", str(new), "--committee", str(committee), "--cancel", "11-01-2024", "--today", "01-12-2023"]
    assert run([*argv, "--quiet", "-o", str(newer)])[0] == 0
    assert run(["check", str(newer), "--committee", str(committee)])[:2] == (
        0,
        "De planning voldoet aan alle regels.\n",
    )


def dataclasses_replace(plan, **changes):  # type: ignore[no-untyped-def]
    import dataclasses

    return dataclasses.replace(plan, **changes)


@pytest.mark.parametrize(
    "follow_up",
    [
        ["--move", "16-11-2023=09-11-2023", "--today", "01-10-2023"],  # the meeting after the gap moves within it
        ["--move", "11-01-2024=18-01-2024", "--today", "01-10-2023"],  # the gap stays as it was
        ["--unavailable", "Den Haag@16-11-2023", "--today", "01-10-2023"],
    ],
)
def test_a_change_after_a_cancellation_passes_check(tmp_path, example, example_plan, follow_up):
    committee = tmp_path / "committee.toml"
    committee.write_text(EXAMPLE)
    issued = tmp_path / "plan.json"
    issued.write_text(render("json", example, example_plan))
    first, second = tmp_path / "v2.json", tmp_path / "v3.json"
    common = ["--committee", str(committee), "--quiet"]
    assert (
        run(["replan", str(issued), *common, "--cancel", "07-09-2023", "--today", "01-08-2023", "-o", str(first)])[0]
        == 0
    )
    assert run(["replan", str(first), *common, *follow_up, "-o", str(second)])[0] == 0
    assert run(["check", str(second), "--committee", str(committee)])[:2] == (
        0,
        "De planning voldoet aan alle regels.\n",
    )
