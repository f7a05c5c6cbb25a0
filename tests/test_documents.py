"""Word, Excel and HTML documents of a plan, and the pictures in them.

Each document is read back (python-docx, openpyxl, html.parser) and compared
cell by cell with the planning as the tests expect it. The extracted text of
each document is compared with reviewed snapshots in ``tests/golden/documents``;
after a deliberate change, regenerate them with ``ROTATION_UPDATE_GOLDEN=1 pytest
tests/test_documents.py`` and review the diff.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html.parser
import io
import itertools
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rotation
from rotation import documents, fairness
from rotation.cli import main as cli_main
from rotation.documents import pictures
from rotation.domain import Blackout, Committee, Meeting, Mode, Plan, Role, Unit
from rotation.errors import ConfigError, PlanFileError, RotationError
from rotation.files import atomic_write
from rotation.formats import docx as docx_document
from rotation.formats import html as html_document
from rotation.formats import xlsx as xlsx_document
from rotation.formats.document import xml_text

GOLDEN = Path(__file__).parent / "golden" / "documents"
UPDATE = os.environ.get("ROTATION_UPDATE_GOLDEN") == "1"
LANGUAGES = ("nl", "en")


# --- plans built by hand -------------------------------------------------------------------------

TEN, HALF_PAST_TWELVE = dt.time(10, 0), dt.time(12, 30)


def _meeting(day: str, mode: Mode, location: str, roles: tuple[str, ...], **extra: object) -> Meeting:
    keys = ("chair", "minute_taker", "case", "knowledge")
    date = dt.date.fromisoformat(day)
    return Meeting(
        id=f"{date.year}-{date.month:02d}",
        date=date,
        start=TEN,
        end=HALF_PAST_TWELVE,
        mode=mode,
        location=location,
        roles=dict(zip(keys, roles, strict=True)),
        **extra,  # type: ignore[arg-type]
    )


TEAMS = "Microsoft Teams-vergadering"


@pytest.fixture(scope="module")
def hand_plan(example: Committee) -> Plan:
    """The example committee's 2023, fixed here so that the snapshots do not move with the solver."""
    meetings = (
        _meeting(
            "2023-03-16",
            Mode.PHYSICAL,
            "Politieacademie, Leusden",
            ("Korpsstaf", "Korpsstaf", "Noord-Nederland", "Landelijke Eenheid"),
            fixed_date=True,
            pinned_roles=("chair", "minute_taker"),
            title="Themabijeenkomst corruptie",
        ),
        _meeting(
            "2023-05-11",
            Mode.TEAMS,
            TEAMS,
            ("Midden-Nederland", "Noord-Holland", "Landelijke Eenheid", "Oost-Nederland"),
        ),
        _meeting(
            "2023-07-13",
            Mode.PHYSICAL,
            "Eenheid Noord-Holland",
            ("Noord-Holland", "Rotterdam", "Oost-Nederland", "Korpsstaf"),
        ),
        _meeting(
            "2023-09-07", Mode.TEAMS, TEAMS, ("Rotterdam", "Koninklijke Marechaussee", "Korpsstaf", "Midden-Nederland")
        ),
        _meeting(
            "2023-11-16",
            Mode.PHYSICAL,
            "Koninklijke Marechaussee",
            ("Koninklijke Marechaussee", "Den Haag", "Midden-Nederland", "Noord-Holland"),
        ),
        _meeting("2024-01-11", Mode.TEAMS, TEAMS, ("Den Haag", "Oost-Brabant", "Noord-Holland", "Rotterdam")),
    )
    return Plan(example.name, "Europe/Amsterdam", dt.date(2023, 1, 13), dt.date(2024, 1, 12), meetings)


HAND_BLACKOUTS = (
    Blackout(dt.date(2023, 2, 18), dt.date(2023, 2, 26), "Voorjaarsvakantie regio Zuid", "school_holiday"),
    Blackout(dt.date(2023, 4, 27), dt.date(2023, 4, 27), "Koningsdag", "public_holiday"),
    Blackout(dt.date(2023, 4, 29), dt.date(2023, 5, 7), "Meivakantie regio Noord", "school_holiday"),
    Blackout(dt.date(2023, 4, 29), dt.date(2023, 5, 7), "Meivakantie regio Zuid", "school_holiday"),
    Blackout(dt.date(2023, 6, 22), dt.date(2023, 6, 22), "studiedag", "study_day"),
    Blackout(dt.date(2023, 7, 22), dt.date(2023, 9, 3), "Zomervakantie regio Noord", "school_holiday"),
    Blackout(dt.date(2023, 10, 5), dt.date(2023, 10, 5), "Rotterdam", "unit"),
    Blackout(dt.date(2023, 12, 23), dt.date(2024, 1, 7), "Kerstvakantie regio Noord", "school_holiday"),
)

TRICKY_NAMES = (
    '=HYPERLINK("http://example.org","klik")',
    "+31 Noord",
    "-Zuid",
    "@Oost",
    "Zeeën & <Dünen> \"één\" 'ö'",
    "Gemeenschappelijke Meldkamer Noord-Nederland en Koninklijke Marechaussee Schiphol",
)


@pytest.fixture(scope="module")
def tricky() -> tuple[Committee, Plan]:
    """A committee whose names look like spreadsheet formulas or HTML, with Dutch letters and a long name."""
    committee = Committee(
        name="Overleg <Zeeën> & co",
        units=tuple(Unit(name) for name in TRICKY_NAMES),
        roles=(
            Role("chair", "voorzitter", "chair"),
            Role("minute_taker", "notulist", "minute-taker"),
            Role("case", "casus", "case"),
            Role("knowledge", "kennis", "knowledge"),
        ),
        language="nl",
    )
    a, b, c, d, e, f = TRICKY_NAMES
    meetings = (
        _meeting("2025-01-09", Mode.PHYSICAL, "=1+1", (a, b, c, d)),
        _meeting("2025-03-13", Mode.TEAMS, "<b>Teams</b>", (e, f, a, b)),
        _meeting(
            "2025-05-15", Mode.PHYSICAL, "Zaal @Café Ülo", (c, d, e, f), fixed_date=True, title="<script>x</script>"
        ),
    )
    plan = Plan(committee.name, "Europe/Amsterdam", dt.date(2025, 1, 1), dt.date(2025, 12, 31), meetings)
    return committee, plan


WEEKDAYS = {"nl": ("ma", "di", "wo", "do", "vr", "za", "zo"), "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def _when(meeting: Meeting, language: str) -> str:
    day = rotation.i18n.format_date(meeting.date, language)
    return f"{WEEKDAYS[language][meeting.date.weekday()]}\u00a0{day} {meeting.start:%H:%M}\u2013{meeting.end:%H:%M}"


def _expected_tables(
    committee: Committee, plan: Plan, language: str, *, one_table: bool = False
) -> list[list[list[str]]]:
    """The tables of the minutes: with two chains, date, mode, chair, minute-taker; and date, case, knowledge."""
    labels = {role.key: role.label(language)[:1].upper() + role.label(language)[1:] for role in committee.roles}
    keys = [role.key for role in committee.roles]
    groups = [keys] if one_table or len(committee.chains) != 2 else [keys[:2], keys[2:]]
    where = "MS Teams/Fysiek" if language == "nl" else "MS Teams/physical"
    date = "Datum" if language == "nl" else "Date"
    tables = []
    for number, group in enumerate(groups):
        header = [date, *([where] if number == 0 else []), *(labels[key] for key in group)]
        rows = [header]
        for meeting in plan.meetings:
            row = [_when(meeting, language)]
            if number == 0:
                mode = rotation.i18n.mode_label(meeting.mode, language)
                shown = meeting.mode is Mode.PHYSICAL or meeting.location != committee.modes.teams_location
                location = " ".join(meeting.location.split())
                row.append(f"{mode}\n{location}" if shown and location else mode)
            row.extend(" ".join(meeting.roles.get(key, "").split()) for key in group)
            rows.append(row)
        tables.append(rows)
    return tables


def _expected_sheet(committee: Committee, plan: Plan, language: str) -> list[list[str]]:
    """The workbook's table: date, time, mode, location, the roles and the notes (a fixed meeting's title)."""
    nl = language == "nl"
    labels = [role.label(language)[:1].upper() + role.label(language)[1:] for role in committee.roles]
    words = ("Datum", "Tijd", "Vorm", "Locatie") if nl else ("Date", "Time", "Mode", "Location")
    rows = [[*words, *labels, "Bijzonderheden" if nl else "Notes"]]
    for meeting in plan.meetings:
        rows.append(
            [
                rotation.i18n.format_date(meeting.date, language),
                f"{meeting.start:%H:%M}\u2013{meeting.end:%H:%M}",
                rotation.i18n.mode_label(meeting.mode, language),
                " ".join(meeting.location.split()),
                *(" ".join(meeting.roles.get(role.key, "").split()) for role in committee.roles),
                " ".join((meeting.title or "").split()),
            ]
        )
    return rows


# --- reading the documents back ------------------------------------------------------------------


def docx_tables(data: bytes) -> list[list[list[str]]]:
    document = docx.Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def docx_text(data: bytes) -> str:
    """The document body in order: paragraphs with their style, the table as ` | `-separated rows."""
    document = docx.Document(io.BytesIO(data))
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            lines.append("[table]")
            lines.extend(" | ".join(cell.text for cell in row.cells) for row in block.rows)
            lines.append("[/table]")
        elif block.text:
            style = block.style.name if block.style is not None else "-"
            lines.append(f"[{style}] {block.text}")
    properties = document.core_properties
    lines.append(f"[properties] title={properties.title!r} created={properties.created} modified={properties.modified}")
    return "\n".join(lines) + "\n"


def xlsx_sheet(data: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(data)).active


def xlsx_table(data: bytes, language: str) -> list[list[str]]:
    """The cells as the planning table shows them: date cells formatted in `language`, text cells as they are."""
    sheet = xlsx_sheet(data)
    out = []
    for index, row in enumerate(sheet.iter_rows(min_row=xlsx_document.HEADER_ROW)):
        values = []
        for cell in row:
            if index and cell.column == 1:
                assert cell.is_date, cell.coordinate
                values.append(rotation.i18n.format_date(cell.value.date(), language))
            elif cell.value is None:
                values.append("")
            else:
                assert cell.data_type == "s", (cell.coordinate, cell.value)
                values.append(cell.value)
        out.append(values)
    return out


def xlsx_text(data: bytes) -> str:
    sheet = xlsx_sheet(data)
    lines = [
        f"sheet {sheet.title!r}; frozen at {sheet.freeze_panes}; filter {sheet.auto_filter.ref}",
        "widths " + ", ".join(f"{key}={dim.width:g}" for key, dim in sorted(sheet.column_dimensions.items())),
    ]
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            if cell.is_date:
                cells.append(f"{cell.value.date().isoformat()} (date {cell.number_format})")
            else:
                cells.append(f"{cell.value}" + (" (bold)" if cell.font.b else ""))
        lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"


class _PageReader(html.parser.HTMLParser):
    """Collects the table cells, headings, list items and SVG elements of the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.tables: list[list[list[str]]] = []
        self.headings: list[str] = []
        self.items: list[str] = []
        self.tags: list[str] = []
        self._text: list[str] | None = None
        self._svg_depth = 0
        self.svg_texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        if tag == "br" and self._text is not None:
            self._text.append("\n")
        if tag == "svg":
            self._svg_depth += 1
        if tag == "tr":
            self.rows.append([])
            if self.tables:
                self.tables[-1].append(self.rows[-1])
        if tag in ("td", "th", "h1", "h2", "h3", "li", "text"):
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg_depth -= 1
        if self._text is None:
            return
        value = "".join(self._text)
        if tag in ("td", "th"):
            self.rows[-1].append(value)
        elif tag in ("h1", "h2", "h3"):
            self.headings.append(f"{tag}: {value}")
        elif tag == "li":
            self.items.append(value)
        elif tag == "text":
            self.svg_texts.append(value)
        else:
            return
        self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def read_page(page: str) -> _PageReader:
    reader = _PageReader()
    reader.feed(page)
    reader.close()
    return reader


def html_text(page: str) -> str:
    reader = read_page(page)
    lines = [*reader.headings, "[table]", *(" | ".join(row) for row in reader.rows), "[/table]"]
    lines.extend(f"* {item}" for item in reader.items)
    return "\n".join(lines) + "\n"


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"{path} is missing; run with ROTATION_UPDATE_GOLDEN=1 to create it"
    assert actual == path.read_text(encoding="utf-8"), (
        f"{name} differs from the reviewed snapshot; if the change is intended, "
        "regenerate with ROTATION_UPDATE_GOLDEN=1 and review the diff"
    )


# --- each document shows the planning table ------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_docx_tables_are_the_minutes_tables(example: Committee, example_plan: Plan, language: str) -> None:
    data = docx_document.to_bytes(example, example_plan, language=language)
    assert docx_tables(data) == _expected_tables(example, example_plan, language)


def test_docx_one_table_holds_every_role(example: Committee, hand_plan: Plan) -> None:
    data = documents.to_bytes("docx", example, hand_plan, one_table=True)
    tables = docx_tables(data)
    assert tables == _expected_tables(example, hand_plan, "nl", one_table=True)
    assert tables[0][1][0] == "do\u00a016-03-2023 10:00\u201312:30"


def test_docx_is_in_current_compatibility_mode_with_repeated_headers(example: Committee, hand_plan: Plan) -> None:
    data = docx_document.to_bytes(example, hand_plan)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        settings_xml = archive.read("word/settings.xml").decode()
        body = archive.read("word/document.xml").decode()
    assert re.search(r'w:name="compatibilityMode"[^>]*w:val="15"', settings_xml)
    assert body.count("<w:tblHeader/>") == 2
    assert body.count('<w:tblLayout w:type="fixed"/>') == 2


def test_docx_turns_landscape_only_when_the_columns_need_it(example: Committee, hand_plan: Plan) -> None:
    section = docx.Document(io.BytesIO(docx_document.to_bytes(example, hand_plan))).sections[0]
    assert section.page_width < section.page_height  # the example fits in portrait
    long_names = dataclasses.replace(
        hand_plan,
        meetings=tuple(
            dataclasses.replace(m, roles={key: f"Gemeenschappelijke Meldkamer {unit}" for key, unit in m.roles.items()})
            for m in hand_plan.meetings
        ),
    )
    one = docx.Document(io.BytesIO(docx_document.to_bytes(example, long_names, one_table=True))).sections[0]
    assert one.page_width > one.page_height


@pytest.mark.parametrize("language", LANGUAGES)
def test_xlsx_cells_are_the_planning_table(example: Committee, example_plan: Plan, language: str) -> None:
    data = xlsx_document.to_bytes(example, example_plan, language=language)
    assert xlsx_table(data, language) == _expected_sheet(example, example_plan, language)


def test_xlsx_is_a_printout_with_title_period_key_and_page_numbers(example: Committee, hand_plan: Plan) -> None:
    sheet = xlsx_sheet(xlsx_document.to_bytes(example, hand_plan))
    assert sheet["A1"].value == "Planning Landelijk coördinatorenoverleg"
    assert sheet["A2"].value == "Vergaderingen van 13-01-2023 tot en met 12-01-2024"
    assert sheet["A3"].value == "Gele regel: de datum staat vast."
    assert sheet.print_title_rows == "$4:$4"
    assert "&P" in sheet.oddFooter.right.text and "&N" in sheet.oddFooter.right.text
    assert "coördinatorenoverleg" in sheet.oddHeader.center.text
    assert sheet["I5"].value == "Themabijeenkomst corruptie"
    for row in range(5, 5 + len(hand_plan.meetings)):
        assert sheet.row_dimensions[row].height >= 15


def test_xlsx_dates_are_real_dates_with_a_dutch_format(example: Committee, example_plan: Plan) -> None:
    data = xlsx_document.to_bytes(example, example_plan, language="nl")
    dates = [row[0] for row in xlsx_sheet(data).iter_rows(min_row=xlsx_document.HEADER_ROW + 1)]
    assert [cell.value.date() for cell in dates] == [meeting.date for meeting in example_plan.meetings]
    assert {cell.number_format for cell in dates} == {"[$-413]ddd dd-mm-yyyy"}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    serials = re.findall(r'<c r="A\d+" s="\d+" t="n"><v>(\d+)</v></c>', sheet)  # numbers, as Excel stores dates
    epoch = dt.date(1899, 12, 30)
    assert [epoch + dt.timedelta(days=int(serial)) for serial in serials] == list(example_plan.dates())


def test_xlsx_header_is_frozen_and_filtered_and_columns_fit(example: Committee, example_plan: Plan) -> None:
    sheet = xlsx_sheet(xlsx_document.to_bytes(example, example_plan))
    rows = len(example_plan.meetings) + 4
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == f"A4:I{rows}"
    assert all(cell.font.b for cell in sheet[4])
    widths = {column: sheet.column_dimensions[column].width for column in "ABCDEFGHI"}
    assert widths["A"] >= len("do 16-03-2023") + 2  # the weekday and date on one line
    for column in "BCDEFGHI":
        word = max(len(piece) for cell in sheet[column][3:] for piece in str(cell.value or "").split())
        assert word + 2 <= widths[column] <= 34
    assert sum(widths.values()) <= 170  # printed one page wide, the type stays at 8 points or more


@pytest.mark.parametrize("language", LANGUAGES)
def test_html_tables_are_the_minutes_tables(example: Committee, example_plan: Plan, language: str) -> None:
    page = html_document.to_html(example, example_plan, language=language)
    assert read_page(page).tables == _expected_tables(example, example_plan, language)


def test_html_page_is_self_contained(example: Committee, example_plan: Plan) -> None:
    page = html_document.to_html(example, example_plan)
    reader = read_page(page)
    # the year at a glance in bands (a year each, 2023 and January 2024) for paper and a desktop, in three for a
    # phone (2023 is taller than a page there), and the roles per unit
    assert reader.tags.count("svg") == 2 + 3 + 1
    assert page.count('<div class="wide">') == page.count('<div class="narrow">') == 1
    assert "script" not in reader.tags and "link" not in reader.tags and "img" not in reader.tags
    assert not re.search(r"\b(src|href)\s*=|url\(\s*['\"]?(?!#)|@import", page)
    assert "@media print" in page
    assert "Content-Security-Policy" in page
    # The only URLs are SVG's XML namespace, which names and does not load anything.
    assert set(re.findall(r"https?://[^\"' )]+", page)) == {"http://www.w3.org/2000/svg"}


def test_documents_keep_dutch_letters(example: Committee, example_plan: Plan) -> None:
    name = "Landelijk coördinatorenoverleg"
    assert name in docx_text(docx_document.to_bytes(example, example_plan))
    assert xlsx_sheet(xlsx_document.to_bytes(example, example_plan)).parent.properties.title == f"Planning {name}"
    assert f"<h1>{name}</h1>" in html_document.to_bytes(example, example_plan).decode("utf-8")


# --- names that are formulas or markup ------------------------------------------------------------


def test_xlsx_names_that_look_like_formulas_stay_text(tricky: tuple[Committee, Plan]) -> None:
    committee, plan = tricky
    data = xlsx_document.to_bytes(committee, plan)
    sheet = xlsx_sheet(data)
    texts = [cell for row in sheet.iter_rows(min_row=5) for cell in row[1:] if cell.value is not None]
    assert {cell.value for cell in texts} >= {*TRICKY_NAMES, "=1+1"}
    for cell in texts:
        assert cell.data_type == "s", (cell.coordinate, cell.value)
        assert cell.quotePrefix == cell.value.startswith(("=", "+", "-", "@")), cell.coordinate
    assert xlsx_table(data, "nl") == _expected_sheet(committee, plan, "nl")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_docx_keeps_tricky_names_exactly(tricky: tuple[Committee, Plan]) -> None:
    committee, plan = tricky
    data = docx_document.to_bytes(committee, plan)
    assert docx_tables(data) == _expected_tables(committee, plan, "nl")
    assert "Overleg <Zeeën> & co" in docx_text(data)


def test_html_escapes_every_name(tricky: tuple[Committee, Plan]) -> None:
    committee, plan = tricky
    page = html_document.to_html(committee, plan)
    reader = read_page(page)
    assert reader.tables == _expected_tables(committee, plan, "nl")
    assert "script" not in reader.tags and "b" not in reader.tags
    assert "* 15-05-2025 (vast): <script>x</script>" in html_text(page)
    assert "&lt;Dünen&gt;" in page and "Zeeën" in page


def test_html_long_names_wrap(tricky: tuple[Committee, Plan]) -> None:
    page = html_document.to_html(*tricky)
    assert "overflow-wrap: break-word" in page and "anywhere" not in page and "hyphens: manual" in page


def test_xml_control_characters_do_not_break_documents(tricky: tuple[Committee, Plan]) -> None:
    committee, plan = tricky
    meeting = dataclasses.replace(plan.meetings[0], location="Zaal\x01 B")
    plan = dataclasses.replace(plan, meetings=(meeting,))
    for fmt in documents.FORMATS:
        assert documents.to_bytes(fmt, committee, plan)
    assert docx_tables(docx_document.to_bytes(committee, plan))[0][1][1] == "Fysiek\nZaal\ufffd B"


names = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40).filter(lambda name: name.strip())


@settings(max_examples=15, deadline=None)
@given(st.lists(names, min_size=4, max_size=4, unique=True), names)
def test_any_names_come_back_as_written(units: list[str], location: str) -> None:
    """Whatever the names, each document reads back as the planning table (control characters shown as �)."""
    committee = Committee(
        name="Overleg",
        units=tuple(Unit(name) for name in units),
        roles=tuple(Role(key, key, key) for key in ("chair", "minute_taker", "case", "knowledge")),
    )
    plan = Plan(
        "Overleg",
        "Europe/Amsterdam",
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
        (_meeting("2025-02-06", Mode.PHYSICAL, location, tuple(units)),),
    )
    tables = _expected_tables(committee, plan, "nl")
    expected = [[[xml_text(cell) for cell in row] for row in table] for table in tables]
    assert docx_tables(docx_document.to_bytes(committee, plan)) == expected
    sheet = [[xml_text(cell) for cell in row] for row in _expected_sheet(committee, plan, "nl")]
    assert xlsx_table(xlsx_document.to_bytes(committee, plan), "nl") == sheet
    assert read_page(html_document.to_html(committee, plan, blackouts=())).tables == expected


# --- same plan, same bytes -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", documents.FORMATS)
def test_same_plan_gives_same_bytes(example: Committee, hand_plan: Plan, fmt: str) -> None:
    assert documents.to_bytes(fmt, example, hand_plan) == documents.to_bytes(fmt, example, hand_plan)


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_zip_files_carry_no_clock_time(example: Committee, hand_plan: Plan, fmt: str) -> None:
    data = documents.to_bytes(fmt, example, hand_plan)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {info.date_time for info in infos} == {(2023, 1, 13, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    stamps = re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core)
    assert stamps == ["2023-01-13T00:00:00Z", "2023-01-13T00:00:00Z"]


def test_a_different_plan_gives_different_bytes(example: Committee, hand_plan: Plan) -> None:
    moved = dataclasses.replace(hand_plan.meetings[1], date=dt.date(2023, 5, 25))
    other = dataclasses.replace(hand_plan, meetings=(hand_plan.meetings[0], moved, *hand_plan.meetings[2:]))
    for fmt in documents.FORMATS:
        assert documents.to_bytes(fmt, example, hand_plan) != documents.to_bytes(fmt, example, other)


# --- reviewed snapshots ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_docx_text_matches_snapshot(example: Committee, hand_plan: Plan, language: str) -> None:
    check_golden(
        f"planning-{language}.docx.txt", docx_text(docx_document.to_bytes(example, hand_plan, language=language))
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_xlsx_text_matches_snapshot(example: Committee, hand_plan: Plan, language: str) -> None:
    check_golden(
        f"planning-{language}.xlsx.txt", xlsx_text(xlsx_document.to_bytes(example, hand_plan, language=language))
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_html_text_matches_snapshot(example: Committee, hand_plan: Plan, language: str) -> None:
    check_golden(
        f"planning-{language}.html.txt", html_text(html_document.to_html(example, hand_plan, language=language))
    )


def test_year_at_a_glance_matches_snapshot(example: Committee, hand_plan: Plan) -> None:
    check_golden("year-at-a-glance-nl.svg", pictures.year_at_a_glance(example, hand_plan, blackouts=HAND_BLACKOUTS))


def test_fairness_matches_snapshot(example: Committee, hand_plan: Plan) -> None:
    check_golden("fairness-en.svg", pictures.fairness(example, hand_plan, language="en"))


# --- the pictures ----------------------------------------------------------------------------------


def test_year_at_a_glance_marks_each_meeting_by_mode(example: Committee, hand_plan: Plan) -> None:
    svg = pictures.year_at_a_glance(example, hand_plan, blackouts=HAND_BLACKOUTS)
    teams = sum(m.mode is Mode.TEAMS for m in hand_plan.meetings)
    physical = len(hand_plan.meetings) - teams
    # one dot or square per meeting on the axis, plus the one in the legend
    assert svg.count(f'fill="{pictures.TEAMS_COLOUR}"') == teams + 1
    assert svg.count(f'fill="{pictures.PHYSICAL_COLOUR}"') == physical + 1
    assert svg.count(f'stroke="{pictures.FIXED_COLOUR}"') == 1 + 1
    for label in ("MS Teams", "Fysiek", "vaste datum", "2023", "2024"):
        assert f">{label}</text>" in svg
    # beside each meeting, printed: its date, mode, place and chair
    texts = read_page(svg).svg_texts
    assert "do\u00a016-03-2023" in texts
    joined = " ".join(texts)  # a long line wraps between words
    assert "Fysiek, Politieacademie, Leusden · voorzitter Korpsstaf · Themabijeenkomst corruptie" in joined
    assert "MS Teams · voorzitter Den Haag" in texts


def test_year_at_a_glance_is_the_same_every_time(example: Committee) -> None:
    from long_committee import long_committee, long_plan

    committee = long_committee()
    plan = long_plan(committee)
    for width in (pictures.WIDTH, pictures.PHONE_WIDTH):
        first = pictures.year_at_a_glance(committee, plan, width=width)
        assert first == pictures.year_at_a_glance(long_committee(), long_plan(long_committee()), width=width)


def test_year_at_a_glance_bands_are_the_picture_cut_into_pages(example: Committee) -> None:
    from long_committee import long_committee, long_plan

    committee = long_committee()
    plan = long_plan(committee)
    whole = pictures.year_at_a_glance(committee, plan)
    bands = pictures.year_at_a_glance_bands(committee, plan)
    assert len(bands) == 3  # a band per year
    body = re.compile(r"<svg [^>]*><title[^>]*>[^<]*</title>(.*)</svg>", re.S)
    assert "".join(body.search(band).group(1) for band in bands) == body.search(whole).group(1)  # type: ignore[union-attr]
    boxes = [tuple(float(v) for v in re.search(r'viewBox="([^"]*)"', band).group(1).split()) for band in bands]  # type: ignore[union-attr]
    total = float(re.search(r'viewBox="0 0 700 ([\d.]+)"', whole).group(1))  # type: ignore[union-attr]
    assert boxes[0][1] == 0 and sum(box[3] for box in boxes) == pytest.approx(total)
    assert all(a[1] + a[3] == pytest.approx(b[1]) for a, b in itertools.pairwise(boxes))  # one below the other
    assert all(box[3] <= 1000 for box in boxes)  # each fits an A4 page (273 mm = 1030 px)
    phone = pictures.year_at_a_glance_bands(committee, plan, width=pictures.PHONE_WIDTH)
    assert len(phone) > 3 and all(float(re.search(r'height="([\d.]+)"', band).group(1)) <= 1000 for band in phone)  # type: ignore[union-attr]


def test_year_at_a_glance_shades_blackouts_with_their_reasons(example: Committee, hand_plan: Plan) -> None:
    svg = pictures.year_at_a_glance(example, hand_plan, blackouts=HAND_BLACKOUTS)
    texts = read_page(svg).svg_texts
    assert "Meivakantie regio Noord / Meivakantie regio Zuid" in texts  # same dates: one bar
    for reason in ("Koningsdag", "studiedag", "Zomervakantie regio Noord", "Rotterdam"):
        assert reason in texts
    for kind in ("feestdag", "schoolvakantie", "studiedag", "eenheid verhinderd"):
        assert kind in texts
    for month in ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"):
        assert month in texts
    assert texts.count("jan") == 2  # January 2023 and January 2024, each after its year
    for span in ("29 apr – 7 mei", "27 apr", "22 jul – 3 sep"):  # each period's dates beside its bar
        assert span in texts


def test_year_at_a_glance_reads_the_committee_blackouts(example: Committee, hand_plan: Plan) -> None:
    texts = read_page(pictures.year_at_a_glance(example, hand_plan, language="en")).svg_texts
    assert any("King's Day" in text for text in texts)
    assert any("Summer Break region Noord" in text for text in texts)


def test_year_at_a_glance_without_known_school_holidays(example: Committee, hand_plan: Plan) -> None:
    far = dataclasses.replace(hand_plan, start=dt.date(2098, 1, 1), end=dt.date(2098, 12, 31), meetings=())
    texts = read_page(pictures.year_at_a_glance(example, far)).svg_texts
    assert "Koningsdag" in texts and not any("vakantie" in text for text in texts)


def test_fairness_draws_the_counts_it_is_given(example: Committee, hand_plan: Plan) -> None:
    counts = [
        dataclasses.replace(count, past=7, planned=2) if (count.unit, count.role) == ("Den Haag", "case") else count
        for count in fairness.role_counts(example, hand_plan)
    ]
    texts = read_page(pictures.fairness(example, hand_plan, counts=counts)).svg_texts
    assert "9" in texts and "7 + 2" in texts


def test_fairness_shows_the_numbers_in_the_cells(example: Committee, hand_plan: Plan) -> None:
    svg = pictures.fairness(example, hand_plan, language="en")
    texts = read_page(svg).svg_texts
    expected = []
    for count in fairness.role_counts(example, hand_plan):  # unit by unit, role by role, as drawn
        if count.eligible or count.total:
            expected += [str(count.total), f"{count.past} + {count.planned}"]
        else:
            expected.append("–")
    expected += ["0", "1", "2", "3", "4", "5"]  # the fixed scale of the key
    shown = [text for text in texts if text.isdigit() or text == "–" or re.fullmatch(r"\d+ \+ \d+", text)]
    assert shown == expected
    assert "6+" in texts
    stars = svg.count("<polygon")
    assert stars == sum(count.waited_longest for count in fairness.role_counts(example, hand_plan)) + 1
    assert "has waited longest for this role" in texts
    title = "Turns per unit and role: history since 2020-01-13 + plan 2023-03-16 – 2024-01-11"
    assert f'<title id="fairness-title">{title}</title>' in svg
    assert " ".join(texts[:2]) == title  # printed at the top, in two lines
    assert "url(#fairness-hatch)" in svg  # Korpsstaf does not take part in chair and minutes
    assert {"Chair", "Minute-taker", "Case", "Knowledge", "Koninklijke Marechaussee"} <= set(texts)


def test_fairness_wraps_long_unit_names_whole(tricky: tuple[Committee, Plan]) -> None:
    texts = read_page(pictures.fairness(*tricky)).svg_texts
    long_name = TRICKY_NAMES[5]
    start = next(index for index, text in enumerate(texts) if text and long_name.startswith(text))
    lines = [texts[start]]

    def joined(lines: list[str]) -> str:
        return "".join(line if line.endswith("-") else line + " " for line in lines).rstrip()

    while joined(lines) != long_name:
        lines.append(texts[start + len(lines)])
        assert len(lines) < 5, lines
    assert len(lines) > 1 and "…" not in joined(lines)


def test_fairness_shading_is_on_a_fixed_scale(example: Committee, hand_plan: Plan) -> None:
    """One turn has the same colour whatever the other counts in the picture."""
    counts = fairness.role_counts(example, hand_plan)
    more = [dataclasses.replace(count, past=count.past + 5) if count.unit == "Amsterdam" else count for count in counts]
    one = pictures._blend(1 / pictures.SCALE_TOP)
    assert one in pictures.fairness(example, hand_plan, counts=counts)
    assert one in pictures.fairness(example, hand_plan, counts=more)


# --- the dispatcher, files and errors ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", documents.FORMATS)
def test_write_puts_the_document_in_place(example: Committee, hand_plan: Plan, fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"planning.{fmt}"
    assert documents.write(fmt, example, hand_plan, target) == target
    assert target.read_bytes() == documents.to_bytes(fmt, example, hand_plan)
    assert [path.name for path in tmp_path.iterdir()] == [target.name]


def test_unknown_format_and_language_are_config_errors(example: Committee, hand_plan: Plan, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'odt' is not a document format; use one of: docx, html, pdf, xlsx"):
        documents.write("odt", example, hand_plan, tmp_path / "x.odt")
    with pytest.raises(ConfigError, match="'fr' is not a language"):
        documents.write("html", example, hand_plan, tmp_path / "x.html", language="fr")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("fmt", "module", "package"), [("docx", "docx", "python-docx"), ("xlsx", "openpyxl", "openpyxl")]
)
def test_missing_package_says_what_to_install(
    example: Committee,
    hand_plan: Plan,
    fmt: str,
    module: str,
    package: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    with pytest.raises(documents.MissingPackageError) as caught:
        documents.write(fmt, example, hand_plan, tmp_path / f"planning.{fmt}")
    assert isinstance(caught.value, RotationError) and caught.value.exit_code == 2
    assert package in str(caught.value) and "reinstall rotation" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_place_is_a_plan_file_error(example: Committee, hand_plan: Plan, tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="cannot be written"):
        documents.write("html", example, hand_plan, tmp_path / "no such folder" / "planning.html")
    with pytest.raises(PlanFileError, match="cannot be written"):
        documents.write("html", example, hand_plan, tmp_path)  # a folder


def test_heavy_packages_are_imported_only_when_writing() -> None:
    code = (
        "import sys, rotation.documents, rotation.formats.docx, rotation.formats.xlsx, rotation.formats.html, "
        "rotation.formats.read, rotation.formats.pdf; "
        "print(sorted(m for m in ('docx', 'openpyxl', 'lxml', 'reportlab', 'icalendar') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("fmt", documents.FORMATS)
def test_command_line_writes_documents(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / f"planning.{fmt}"
    assert cli_main(["plan", "--format", fmt, "--output", str(target), "--quiet", "--lang", "en"]) == 0
    assert target.stat().st_size > 1000
    if fmt == "html":
        assert read_page(target.read_text("utf-8")).rows[0][:3] == ["Date", "MS Teams/physical", "Chair"]


def test_atomic_write_replaces_and_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "planning.html"
    target.write_bytes(b"old")
    target.chmod(0o600)
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o600
    atomic_write(tmp_path / "text.txt", "één\r\n")
    assert (tmp_path / "text.txt").read_bytes() == "één\r\n".encode()
    assert stat.S_IMODE((tmp_path / "text.txt").stat().st_mode) == 0o644
    assert sorted(path.name for path in tmp_path.iterdir()) == ["planning.html", "text.txt"]


def test_atomic_write_leaves_the_old_file_when_it_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "planning.html"
    target.write_bytes(b"old")

    def broken_replace(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["planning.html"]


# --- the page in a real browser ----------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (CI installs it: apt-get install chromium)"
)


def _chromium(page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    command = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of pixels of an 8-bit, non-interlaced RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                nearest = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[x] = (line[x] + nearest) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


@pytest.mark.slow
@needs_chromium
def test_chromium_renders_the_page(example: Committee, hand_plan: Plan, tmp_path: Path) -> None:
    page = documents.write("html", example, hand_plan, tmp_path / "planning.html")
    shot = tmp_path / "shot.png"
    done = _chromium(page, tmp_path, f"--screenshot={shot}", "--window-size=1200,1600")
    assert shot.exists(), done.stderr[-2000:]
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 1600)
    channels = len(rows[0]) // width
    colours = {row[x : x + 3] for row in rows[::8] for x in range(0, len(row), channels * 8)}
    assert len(colours) > 20, "the screenshot is (nearly) blank"
    # the fixed meeting's row is shaded yellow, the heat map has blue cells
    assert any(r > 240 and g > 230 and 180 < b < 215 for r, g, b in colours), "no yellow (fixed) row"
    assert any(b > 180 and r < 60 for r, g, b in colours), "no blue cells in the pictures"


@pytest.mark.slow
@needs_chromium
def test_chromium_dom_has_the_table_and_both_pictures(example: Committee, hand_plan: Plan, tmp_path: Path) -> None:
    page = documents.write("html", example, hand_plan, tmp_path / "planning.html")
    done = _chromium(page, tmp_path, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    reader = read_page(done.stdout)
    assert reader.tables == _expected_tables(example, hand_plan, "nl")
    assert reader.tags.count("svg") == 2 + 3 + 1  # the year for paper and desktop, for a phone; the roles per unit
    assert "Themabijeenkomst" in done.stdout and "Zomervakantie" in done.stdout
