"""`rotation check planning.xlsx`: the Excel planning the tool writes, and one edited by hand."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLE_FILE

import rotation
from rotation.cli import main
from rotation.formats import read_plan

openpyxl = pytest.importorskip("openpyxl")

EXIT_OK, EXIT_BROKEN, EXIT_INPUT = 0, 1, 2


def check(capsys: pytest.CaptureFixture[str], planning: Path) -> tuple[int, list[str], str]:
    code = main(["check", str(planning), "--committee", EXAMPLE_FILE])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out.splitlines(), err


@pytest.fixture
def workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The example's planning as `rotation plan --format xlsx -o` writes it."""
    path = tmp_path / "planning.xlsx"
    assert main(["plan", "--format", "xlsx", "-o", str(path)]) == EXIT_OK
    capsys.readouterr()
    return path


def test_the_tools_own_workbook_meets_every_rule(capsys, workbook):
    assert check(capsys, workbook) == (EXIT_OK, ["De planning voldoet aan alle regels."], "")


def test_the_workbook_reads_back_as_the_plan(workbook, example, example_plan):
    plan = read_plan(workbook, example)
    assert [(m.date, m.mode, dict(m.roles)) for m in plan.meetings] == [
        (m.date, m.mode, dict(m.roles)) for m in example_plan.meetings
    ]


def test_an_edited_workbook_reports_the_right_lines(capsys, tmp_path, workbook):
    book = openpyxl.load_workbook(workbook)
    sheet = book.worksheets[0]
    sheet.insert_rows(1)
    sheet["A1"] = "Planning coördinatorenoverleg 2023"  # a title row above the table
    assert sheet["A7"].value == dt.datetime(2023, 5, 11)  # below the title, the period, the key and the header
    sheet["A7"].value = dt.datetime(2023, 5, 12)  # a Friday, as a date cell
    sheet["A8"].value = "13-07-2023"  # a date typed as text
    assert (sheet["E9"].value, sheet["F9"].value) == ("Rotterdam", "Koninklijke Marechaussee")
    sheet["E9"].value, sheet["F9"].value = "KMAR", "Rotterdam"  # chair and minute-taker swapped, one as an alias
    edited = tmp_path / "edited.xlsx"
    book.save(edited)

    code, lines, err = check(capsys, edited)
    assert code == EXIT_BROKEN
    swapped = "Rotterdam was notulist op {}, dus Rotterdam is voorzitter op {}, niet Koninklijke Marechaussee"
    assert [line for line in lines if not line.startswith("waarschuwing: ")] == [
        "12-05-2023 is een vrijdag; de vergaderingen zijn op donderdag",
        swapped.format("13-07-2023", "07-09-2023"),
        swapped.format("07-09-2023", "16-11-2023"),
    ]
    assert "3 regels geschonden" in err


def test_a_text_that_is_not_a_date_names_its_row(capsys, tmp_path, workbook):
    book = openpyxl.load_workbook(workbook)
    book.worksheets[0]["A6"].value = "later"
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    code, _, err = check(capsys, edited)
    assert code == EXIT_INPUT
    assert "line 6" in err and "'later' is not a date" in err


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def zipped(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_corrupt_zip_is_exit_2_without_a_traceback(tmp_path, workbook):
    for name, data in [
        ("garbage.xlsx", b"PK\x03\x04" + bytes(range(256)) * 4),
        ("truncated.xlsx", workbook.read_bytes()[:3000]),
        ("broken-sheet.xlsx", zipped({"xl/workbook.xml": "<not xml", "[Content_Types].xml": "<x/>"})),
    ]:
        path = write(tmp_path, name, data)
        done = subprocess.run(
            [sys.executable, "-m", "rotation.cli", "check", str(path), "--committee", EXAMPLE_FILE],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == EXIT_INPUT, (name, done.stderr)
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith("Planning file error:"), done.stderr
        assert "CSV" in done.stderr


def test_a_word_document_is_not_a_planning(capsys, tmp_path):
    path = write(tmp_path, "planning.docx", zipped({"word/document.xml": "<w/>", "[Content_Types].xml": "<x/>"}))
    code, _, err = check(capsys, path)
    assert code == EXIT_INPUT
    assert "this is a Word document, not a planning; save the table as CSV" in err


def test_without_openpyxl_the_message_says_what_to_install(monkeypatch, workbook, example):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(rotation.PlanFileError) as caught:
        read_plan(workbook, example)
    assert "reinstall rotation" in str(caught.value)
    assert "CSV" in str(caught.value)
