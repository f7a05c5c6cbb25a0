"""`rotation check`: a planning made or edited by hand, checked against the committee's rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE_FILE

import rotation
from rotation.cli import main
from rotation.config import example_text
from rotation.formats import read_plan, read_plan_text, render
from rotation.planning_check import check_planning

EXIT_OK, EXIT_BROKEN, EXIT_INPUT = 0, 1, 2


def broken(lines: list[str]) -> list[str]:
    """The lines of broken rules, without the warnings about unfair turns."""
    return [line for line in lines if not line.startswith(("warning: ", "waarschuwing: "))]


def check(capsys: pytest.CaptureFixture[str], planning: Path, *extra: str) -> tuple[int, list[str], str]:
    """Run `rotation check` in-process: exit code, the lines on standard output, standard error."""
    given = () if "--committee" in extra else ("--committee", EXAMPLE_FILE)
    code = main(["check", str(planning), *given, *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out.splitlines(), err


@pytest.fixture
def csv_text(example, example_plan) -> str:
    return render("csv", example, example_plan)


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# -- what the tool writes reads back clean -------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "markdown", "json"])
def test_the_tools_own_planning_meets_every_rule(capsys, tmp_path, example, example_plan, fmt):
    path = write(tmp_path, f"planning.{fmt}", render(fmt, example, example_plan))
    assert check(capsys, path) == (EXIT_OK, ["De planning voldoet aan alle regels."], "")


def test_the_year_overview_meets_every_rule(capsys, tmp_path, example, example_plan):
    from calendars.ics import overview

    data = overview(example, example_plan, stamp=dt.datetime(2023, 1, 20, 9, 0, tzinfo=dt.UTC))
    path = write(tmp_path, "overview.ics", data)
    assert check(capsys, path)[:2] == (EXIT_OK, ["De planning voldoet aan alle regels."])
    assert read_plan(path, example).dates() == example_plan.dates()


def test_read_back_is_the_same_plan(example, example_plan):
    for fmt in ("csv", "markdown", "json"):
        back = read_plan_text(render(fmt, example, example_plan), example)
        assert [(m.date, m.mode, dict(m.roles)) for m in back.meetings] == [
            (m.date, m.mode, dict(m.roles)) for m in example_plan.meetings
        ], fmt


# -- hand edits ---------------------------------------------------------------------------------------


def test_a_friday_instead_of_the_fixed_thursday(capsys, tmp_path, csv_text):
    path = write(tmp_path, "planning.csv", csv_text.replace("16-03-2023", "17-03-2023"))
    code, lines, err = check(capsys, path)
    assert code == EXIT_BROKEN
    assert lines == [
        "17-03-2023 is een vrijdag; de vergaderingen zijn op donderdag",
        "de vaste vergadering van 16-03-2023 staat in de planning op 17-03-2023",
    ]
    assert err == "2 regels geschonden.\n"


def test_chair_and_minute_taker_swapped(capsys, tmp_path, csv_text):
    edited = csv_text.replace("Noord-Holland,Rotterdam,Oost-Nederland", "Rotterdam,Noord-Holland,Oost-Nederland")
    code, lines, _ = check(capsys, write(tmp_path, "planning.csv", edited))
    assert code == EXIT_BROKEN
    assert broken(lines) == [
        "Noord-Holland was notulist op 11-05-2023, dus Noord-Holland is voorzitter op 13-07-2023, niet Rotterdam",
        "Noord-Holland was notulist op 13-07-2023, dus Noord-Holland is voorzitter op 07-09-2023, niet Rotterdam",
    ]
    # and Noord-Holland takes the minutes twice, while others have not had their turn
    assert lines[2].startswith("waarschuwing: Noord-Holland is op 13-07-2023 opnieuw notulist, terwijl Amsterdam")


def test_one_unit_in_two_roles_in_english(capsys, tmp_path, example, example_plan):
    committee_file = write(tmp_path, "committee.toml", example_text().replace('language = "nl"', 'language = "en"'))
    english = dataclasses.replace(example, language="en")
    table = render("csv", english, example_plan)
    edited = table.replace("Noord-Holland,Rotterdam,Oost-Nederland", "Rotterdam,Rotterdam,Oost-Nederland")
    code, lines, err = check(capsys, write(tmp_path, "planning.csv", edited), "--committee", str(committee_file))
    assert code == EXIT_BROKEN
    assert broken(lines) == [
        "Rotterdam is both chair and minute-taker on 2023-07-13",
        "Noord-Holland was minute-taker on 2023-05-11, so Noord-Holland is chair on 2023-07-13, not Rotterdam",
    ]
    assert err == "2 rules broken.\n"


def test_aliases_and_iso_dates_are_understood(capsys, tmp_path, csv_text):
    edited = (
        csv_text.replace("Landelijke Eenheid", "LE")
        .replace("Koninklijke Marechaussee", "kmar")
        .replace("Korpsstaf", "KS")
        .replace("16-11-2023", "2023-11-16")
        .replace("11-01-2024", "11/1/2024")
    )
    assert check(capsys, write(tmp_path, "planning.csv", edited))[:2] == (
        EXIT_OK,
        ["De planning voldoet aan alle regels."],
    )


def test_a_meeting_left_out(capsys, tmp_path, csv_text):
    edited = "".join(line for line in csv_text.splitlines(True) if not line.startswith("07-09-2023"))
    code, lines, _ = check(capsys, write(tmp_path, "planning.csv", edited))
    assert code == EXIT_BROKEN
    assert lines[0] == "tussen 13-07-2023 en 16-11-2023 zitten 18 weken; maximaal 12 weken over de zomer"
    assert (
        "16-11-2023 is Fysiek, net als de vergadering ervoor (13-07-2023); MS Teams en fysiek wisselen elkaar af"
        in lines
    )


def test_a_unit_name_typed_wrong(capsys, tmp_path, csv_text):
    edited = csv_text.replace("Noord-Holland,Rotterdam,Oost-Nederland", "Noord-Holland,Rotterdm,Oost-Nederland")
    code, lines, _ = check(capsys, write(tmp_path, "planning.csv", edited))
    assert code == EXIT_BROKEN
    assert lines == ["'Rotterdm' is geen eenheid van dit overleg (13-07-2023); bedoelt u Rotterdam?"]


def test_a_name_that_is_nobody(capsys, tmp_path, csv_text):
    edited = csv_text.replace("Noord-Holland,Rotterdam,Oost-Nederland", "Noord-Holland,Limburg,Oost-Nederland")
    code, lines, _ = check(capsys, write(tmp_path, "planning.csv", edited))
    assert code == EXIT_BROKEN
    assert lines[0] == "'Limburg' is geen eenheid van dit overleg (13-07-2023)"


def test_a_role_column_left_out(capsys, tmp_path, csv_text):
    rows = [line.split(",") for line in csv_text.replace('"Politieacademie, Leusden"', "Leusden").splitlines()]
    edited = "\n".join(",".join(row[:-1]) for row in rows)  # without the last column, Kennis
    code, lines, _ = check(capsys, write(tmp_path, "planning.csv", edited))
    assert (code, lines) == (EXIT_BROKEN, ["de planning noemt bij geen enkele vergadering een kennis"])


def test_excel_in_dutch_semicolons_windows_1252_and_a_title_line(capsys, tmp_path, csv_text):
    text = "Planning coördinatorenoverleg 2023\n" + csv_text.replace('"Politieacademie, Leusden"', "Leusden")
    text = text.replace(",", ";").replace("Landelijke Eenheid", "Landelijke Eenheid ")
    path = write(tmp_path, "planning.csv", text.encode("cp1252"))
    assert check(capsys, path)[:2] == (EXIT_OK, ["De planning voldoet aan alle regels."])


def test_markdown_pasted_from_the_minutes(capsys, tmp_path, example, example_plan):
    table = render("markdown", example, example_plan).replace("| do 16-03-2023 |", "| 16 maart 2023 |")
    text = f"## Planning 2023\n\nVastgesteld op 12-01-2023.\n\n{table}\nWijzigingen via het secretariaat.\n"
    assert check(capsys, write(tmp_path, "planning.md", text))[:2] == (
        EXIT_OK,
        ["De planning voldoet aan alle regels."],
    )


def test_markdown_swapped_knowledge_and_case(capsys, tmp_path, example, example_plan):
    table = render("markdown", example, example_plan)
    edited = table.replace("| Oost-Nederland | Korpsstaf |", "| Korpsstaf | Oost-Nederland |")
    code, lines, _ = check(capsys, write(tmp_path, "planning.md", edited))
    assert code == EXIT_BROKEN
    assert (
        lines[0] == "Oost-Nederland was kennis op 11-05-2023, dus Oost-Nederland is casus op 13-07-2023, niet Korpsstaf"
    )


def test_json_edited_with_role_labels_and_aliases(capsys, tmp_path, example, example_plan):
    data = json.loads(render("json", example, example_plan))
    data["meetings"][1]["roles"] = {"voorzitter": "MN", "notulist": "nh", "casus": "LE", "kennis": "ON"}
    del data["meetings"][3]
    code, lines, _ = check(capsys, write(tmp_path, "planning.json", json.dumps(data)))
    assert code == EXIT_BROKEN
    assert lines[0] == "tussen 13-07-2023 en 16-11-2023 zitten 18 weken; maximaal 12 weken over de zomer"
    assert not any("11-05-2023" in line for line in lines)


def test_a_planning_of_another_committee_is_noted(capsys, tmp_path, example, example_plan):
    data = json.loads(render("json", example, example_plan))
    data["committee"] = "Werkgroep \x1b[31mrood"
    code, _, err = check(capsys, write(tmp_path, "planning.json", json.dumps(data)))
    assert code == EXIT_OK
    assert err == (
        "rotation: let op: deze planning is van 'Werkgroep \ufffd[31mrood', "
        "de regels zijn van 'Landelijk coördinatorenoverleg'.\n"
    )


def test_control_characters_from_the_file_are_not_printed(capsys, tmp_path, csv_text):
    edited = csv_text.replace(
        "Noord-Holland,Rotterdam,Oost-Nederland", "Noord-Holland,\x1b]0;pwned\x07X,Oost-Nederland"
    )
    code, lines, _ = check(capsys, write(tmp_path, "planning.csv", edited))
    assert code == EXIT_BROKEN
    assert all("\x1b" not in line and "\x07" not in line for line in lines)


def test_check_planning_is_the_validator_for_a_solved_plan(example, example_plan):
    assert check_planning(example, example_plan) == rotation.validate(example, example_plan) == []


# -- unreadable plannings: exit 2 with the file, the line and the value ---------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty."),
        (b"\x00\x01\x02PK", "this is a binary file, not a planning."),
        (
            "Wie,Wat\nAmsterdam,casus\n",
            "line 1: the table has no date column (Datum or Date); its first row holds 'Wie', 'Wat'.",
        ),
        (
            "Datum,Vorm,Voorzitter\n16-03-2023,Fysiek,Korpsstaf\n30-02-2023,MS Teams,Amsterdam\n",
            "line 3: '30-02-2023' is not a date (write 16-03-2023 or 2023-03-16).",
        ),
        ("Datum,Vorm\n16-03-2023,hybride\n", "line 2: 'hybride' is not a mode (MS Teams or Fysiek)."),
        ("Datum,Voorzitter\n16-03-2023,Korpsstaf\n", "line 1: the table has no column for the mode of the meetings"),
        (
            "Datum,Vorm,Voorzitter\n16-03-2023,Fysiek,Korpsstaf,Leusden\n",
            "line 2: this row has 4 cells, but the header has 3; a cell with the separator in it",
        ),
        ("Datum,Vorm,Voorzitter,voorzitter\n", "line 1: the table has two columns for 'voorzitter' (columns 3 and 4)."),
        (
            "Datum,Vorm\n16-03-3023,Fysiek\n",
            "line 2: 3023-03-16 is not a date this tool plans; use a year from 1900 to 2199.",
        ),
        ('{"meetings": [', "line 1: this is not valid JSON: Expecting value."),
        ('{"schema": 2, "meetings": []}', "the export has schema 2; this version of rotation reads schema 1."),
        (
            '{"meetings": [{"date": "2023-03-16", "mode": "hybrid"}]}',
            "'meetings[0].mode' is not a mode (teams or physical): 'hybrid'.",
        ),
        ("[1, 2]", "this JSON is not a planning export: it has no list 'meetings'."),
        (
            "| Datum | Vorm |\n|---|---|\n| 16-03-2023 | Fysiek |\n\ntekst\n\n| Datum |\n",
            "line 7: the file holds more than one table",
        ),
        ("BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n", "is not a year overview written by rotation"),
    ],
)
def test_unreadable_planning(capsys, tmp_path, content, message):
    path = write(tmp_path, "planning.txt", content)
    code, lines, err = check(capsys, path)
    assert (code, lines) == (EXIT_INPUT, [])
    assert err.startswith(f"Planning file error: {path}")
    assert message in err
    assert len(err.splitlines()) == 1


def test_missing_file_and_folder(capsys, tmp_path):
    assert check(capsys, tmp_path / "nowhere.csv")[0] == EXIT_INPUT
    assert check(capsys, tmp_path)[0] == EXIT_INPUT


def test_a_long_cell_is_refused_not_printed(capsys, tmp_path):
    path = write(tmp_path, "planning.csv", "Datum,Vorm,Locatie\n16-03-2023,Fysiek," + "x" * 100_000 + "\n")
    code, _, err = check(capsys, path)
    assert code == EXIT_INPUT
    assert "a cell has 100,000 characters; at most 2,000 are allowed." in err
    assert len(err) < 300


# -- as a real command --------------------------------------------------------------------------------


def test_the_command_line_program(tmp_path, csv_text):
    path = write(tmp_path, "planning.csv", csv_text.replace("16-03-2023", "17-03-2023"))
    done = subprocess.run(
        [sys.executable, "-m", "rotation.cli", "check", str(path), "--committee", EXAMPLE_FILE],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == EXIT_BROKEN
    assert done.stdout.splitlines()[0] == "17-03-2023 is een vrijdag; de vergaderingen zijn op donderdag"
    assert done.stderr == "2 regels geschonden.\n"


def test_a_committee_file_given_as_the_planning(capsys, tmp_path):
    from rotation.config import example_text

    path = write(tmp_path, "committee.toml", example_text())
    code, _, err = check(capsys, path)
    assert code == 2
    assert "committee file, not a planning" in err and "--committee" in err


def test_unfair_turns_are_warnings_not_broken_rules(capsys, tmp_path, example, example_plan):
    """The knowledge of the last meeting given to a unit that presented it before, while others wait."""
    table = render("csv", example, example_plan)
    rows = table.splitlines()
    rows[-1] = rows[-1].rsplit(",", 1)[0] + ",Landelijke Eenheid"
    planning = write(tmp_path, "planning.csv", "\r\n".join(rows) + "\r\n")
    code, lines, err = check(capsys, planning)
    assert code == EXIT_OK
    assert lines == [
        "waarschuwing: Landelijke Eenheid is op 11-01-2024 opnieuw kennis, terwijl Amsterdam, Rotterdam, "
        "Koninklijke Marechaussee en nog 2 sinds het begin van de ronde (10-11-2022) nog geen kennis zijn geweest",
        "De planning voldoet aan alle regels, maar geeft niet iedereen op zijn beurt een rol.",
    ]
    assert err == "1 oneerlijke beurt.\n"
    code, _, _ = check(capsys, planning, "--strict")
    assert code == EXIT_BROKEN


def test_the_tables_show_the_weekday_and_the_time(example, example_plan):
    table = render("table", example, example_plan).splitlines()
    assert table[0].split()[:3] == ["Datum", "Tijd", "Vorm"]
    assert table[2].startswith("do 16-03-2023  10:00\u201312:30  Fysiek")
    markdown = render("markdown", example, example_plan, "en").splitlines()
    assert markdown[2].startswith("| Thu 2023-03-16 | 10:00\u201312:30 | Physical |")
    csv_lines = render("csv", example, example_plan).splitlines()
    assert csv_lines[0].startswith("Datum,Weekdag,Begin,Einde,Vorm,")
    assert csv_lines[1].startswith("16-03-2023,do,10:00,12:30,Fysiek,")  # a plain date and plain times


def test_a_time_changed_in_a_table_is_read_back(example, example_plan):
    csv_text = render("csv", example, example_plan).replace("16-03-2023,do,10:00,12:30", "16-03-2023,do,14:00,16:30")
    markdown = render("markdown", example, example_plan).replace("10:00\u201312:30", "13:30\u201315:00", 1)
    for text in (csv_text, markdown):
        meetings = read_plan_text(text, example).meetings
        assert (meetings[0].start, meetings[0].end) != (meetings[1].start, meetings[1].end)
        assert (meetings[1].start, meetings[1].end) == (dt.time(10, 0), dt.time(12, 30))
    assert read_plan_text(csv_text, example).meetings[0].start == dt.time(14, 0)
    assert read_plan_text(markdown, example).meetings[0].end == dt.time(15, 0)


def test_a_date_with_its_weekday_and_time_as_in_the_minutes(example, example_plan):
    """A table copied from the Word document: the date column holds the weekday, the date and the time."""
    lines = ["| Datum | Vorm | Voorzitter | Notulist | Casus | Kennis |", "|---|---|---|---|---|---|"]
    for meeting in example_plan.meetings:
        mode = "Fysiek" if meeting.mode.value == "physical" else "MS Teams"
        when = f"do\u00a0{meeting.date:%d-%m-%Y} 10:00\u201312:30"
        holders = " | ".join(meeting.roles[key] for key in ("chair", "minute_taker", "case", "knowledge"))
        lines.append(f"| {when} | {mode} | {holders} |")
    back = read_plan_text("\n".join(lines) + "\n", example)
    assert [m.date for m in back.meetings] == [m.date for m in example_plan.meetings]
    assert rotation.validate(example, back) == []


@pytest.mark.parametrize("time", ["25:00\u201312:30", "tien uur", "12:30\u201310:00"])
def test_a_time_that_cannot_be_read_names_the_line(example, example_plan, time):
    text = render("markdown", example, example_plan).replace("10:00\u201312:30", time, 1)
    with pytest.raises(rotation.PlanFileError) as caught:
        read_plan_text(text, example, source="planning.md")
    assert caught.value.file == "planning.md" and caught.value.line == 3
