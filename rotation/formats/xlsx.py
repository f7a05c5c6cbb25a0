"""The planning as an Excel workbook, to keep, sort and print.

A title, the period and the key above one table: date, time, mode, location,
one column per role and the notes (a fixed meeting's title). The dates are real
date cells shown with their weekday (``do 16-03-2023`` in Dutch, ``Thu
2023-03-16`` in English) so that they sort and filter; the header row is
frozen, has an auto filter and is repeated on every printed page, which also
carries the title, the period and page numbers. Row heights fit the wrapped
names. Every name is a text cell, so a name that starts with ``=``, ``+``,
``-`` or ``@`` is never run as a formula. `rotation check` reads the sheet back.
Needs openpyxl (installed with rotation), imported only when a workbook is
written.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
from pathlib import Path
from typing import Any

from rotation.domain import Committee, Plan
from rotation.errors import PlanFileError
from rotation.files import atomic_write
from rotation.formats.document import (
    fixed_moment,
    language_of,
    normalise_zip,
    period_text,
    require,
    unbreakable,
    xml_text,
)
from rotation.formats.spreadsheet import needs_quote
from rotation.formats.tables import COLUMN_NAMES, time_text
from rotation.formats.values import shorten
from rotation.i18n import mode_label, text
from rotation.messages import gettext

__all__ = ["HEADER_ROW", "ZIP_MAGIC", "read_rows", "to_bytes", "write_xlsx"]

HEADER_ROW = 4
"""The row of the table's header (below the title, the period and the key)."""

_MIN_WIDTH = 8
_MAX_WIDTH = 32
_PRINT_WIDTH = 170
"""The widest sheet (in characters) that prints on landscape A4 at 8 points or more."""
_LINE_POINTS = 15.0
"""The height of one line of 11-point Calibri."""
_HEADER_FILL = "D9E2F3"
_FIXED_FILL = "FFF2CC"
_LINE = "BFBFBF"


def _columns(committee: Committee, plan: Plan, language: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows as text (the date column as the planning table writes it).

    The sheet is read back by its headings: the time and the notes columns are
    left out when a role is called like them.
    """
    labels = {role.label(language).strip().casefold() for role in committee.roles}
    time = gettext(language, "table.time")
    with_time = time.casefold() not in labels
    with_notes = not labels & COLUMN_NAMES["title"]
    header = [text("date", language)]
    header += [time] if with_time else []
    header += [text("mode", language), text("location", language)]
    header.extend(role.label(language)[:1].upper() + role.label(language)[1:] for role in committee.roles)
    header += [text("title", language)] if with_notes else []
    rows = []
    for meeting in plan.meetings:
        row = [meeting.date.isoformat()]
        row += [time_text(meeting)] if with_time else []
        row += [mode_label(meeting.mode, language), " ".join(meeting.location.split())]
        row.extend(" ".join(meeting.roles.get(role.key, "").split()) for role in committee.roles)
        row += [" ".join((meeting.title or "").split())] if with_notes else []
        rows.append(row)
    return header, rows


def to_bytes(committee: Committee, plan: Plan, *, language: str | None = None, one_table: bool = False) -> bytes:
    """The workbook (.xlsx) of `plan`, as bytes; the same plan always gives the same bytes.

    The workbook always holds one table (`one_table` is accepted for symmetry with the other documents).
    """
    del one_table
    require("openpyxl", "xlsx")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    language = language_of(committee, language)
    header, rows = _columns(committee, plan, language)
    moment = fixed_moment(plan)
    title = gettext(language, "doc.planning") + " " + committee.name
    period = period_text(plan, language)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext(language, "doc.workbook_sheet")
    header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    fixed_fill = PatternFill("solid", fgColor=_FIXED_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    line = Side(style="thin", color=_LINE)
    grid = Border(left=line, right=line, top=line, bottom=line)

    _text(sheet.cell(row=1, column=1), title)
    sheet.cell(row=1, column=1).font = Font(name="Calibri", size=14, bold=True)
    _text(sheet.cell(row=2, column=1), period)
    if any(meeting.fixed_date for meeting in plan.meetings):
        key = sheet.cell(row=3, column=1)
        _text(key, gettext(language, "doc.fixed_key"))

    for column, label in enumerate(header, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column)
        _text(cell, label)
        cell.font = Font(name="Calibri", size=11, bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = grid

    widths = _widths(header, rows)
    date_format = gettext(language, "doc.workbook_date")  # the weekday and the date, in the language's locale
    for index, (meeting, values) in enumerate(zip(plan.meetings, rows, strict=True), start=HEADER_ROW + 1):
        date_cell = sheet.cell(row=index, column=1, value=meeting.date)
        date_cell.number_format = date_format
        date_cell.alignment = Alignment(vertical="top", horizontal="left")
        for column, value in enumerate(values[1:], start=2):
            cell = sheet.cell(row=index, column=column)
            if value:
                _text(cell, value)
            cell.alignment = wrap
        for column in range(1, len(values) + 1):
            if meeting.fixed_date:
                sheet.cell(row=index, column=column).fill = fixed_fill
            sheet.cell(row=index, column=column).border = grid
        lines = max(_lines(value, width) for value, width in zip(values[1:], widths[1:], strict=True))
        sheet.row_dimensions[index].height = lines * _LINE_POINTS + 3
    sheet.row_dimensions[HEADER_ROW].height = (
        max(_lines(label, width) for label, width in zip(header, widths, strict=True)) * _LINE_POINTS + 3
    )

    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    last = get_column_letter(len(header))
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(rows)}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{last}{HEADER_ROW + len(rows)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.oddHeader.center.text = _header_text(title)
    sheet.oddHeader.center.size = 11
    sheet.oddFooter.left.text = _header_text(period)
    sheet.oddFooter.right.text = gettext(language, "doc.workbook_page")
    sheet.page_margins.top = sheet.page_margins.bottom = 0.8

    properties = workbook.properties
    properties.title = xml_text(title)
    properties.creator = xml_text(committee.name)
    properties.lastModifiedBy = xml_text(committee.name)
    properties.language = language
    properties.created = moment.replace(tzinfo=None)
    properties.modified = moment.replace(tzinfo=None)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return normalise_zip(buffer.getvalue(), moment)


def _header_text(value: str) -> str:
    """`value` for a printed page header or footer, where ``&`` starts a code."""
    return xml_text(value).replace("&", "&&")


def write_xlsx(committee: Committee, plan: Plan, path: str | os.PathLike[str], *, language: str | None = None) -> Path:
    """Write the workbook of `plan` to `path` (atomically) and return the path.

    >>> write_xlsx(committee, plan, "planning-2024.xlsx")  # doctest: +SKIP
    """
    return atomic_write(path, to_bytes(committee, plan, language=language))


def _text(cell: Any, value: str) -> None:
    """Put `value` in `cell` as text, never as a formula.

    openpyxl takes a string that starts with ``=`` for a formula; the cell is set
    back to a text cell. Text that a spreadsheet would read as a formula when it
    is typed in again also gets Excel's quote prefix (shown, not stored, as ``'``).
    """
    value = xml_text(value)
    cell.value = value
    cell.data_type = "s"
    if needs_quote(value):
        cell.quotePrefix = True


def _widths(header: list[str], rows: list[list[str]]) -> list[float]:
    """Column widths (characters): the longest text up to a limit, and never narrower than its longest word."""
    widths: list[float] = []
    least: list[float] = []
    for column, label in enumerate(header):
        values = [label, *(row[column] for row in rows)]
        longest = max(len(value) for value in values)
        word = max(len(piece) for value in values for piece in unbreakable(value))
        if column == 0:  # the weekday and the date, never wrapped
            longest = word = len("ddd 00-00-0000")
        widths.append(float(max(_MIN_WIDTH, word + 2, min(_MAX_WIDTH, longest + 2))))
        least.append(float(max(_MIN_WIDTH, word + 2)))
    # printed one page wide, the type shrinks with the sheet's width: keep it at 8 points or more
    while sum(widths) > _PRINT_WIDTH:
        widest = max(range(len(widths)), key=lambda index: (widths[index] - least[index], -index))
        if widths[widest] <= least[widest]:
            break
        widths[widest] -= 1
    return widths


def _lines(value: str, width: float) -> int:
    """How many lines `value` takes in a column `width` characters wide, wrapped between words."""
    room = max(1.0, width - 1.0)
    count, used = 1, 0.0
    for piece in unbreakable(value):
        size = len(piece) * 0.9
        if used and used + size > room:
            count += 1
            used = 0.0
        used += size + (0 if piece.endswith("-") else 1)
        count += math.floor(max(0.0, size - room) / room)
    return count


# -- reading -----------------------------------------------------------------------------------------

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


MAX_XLSX_BYTES = 50_000_000
"""The most an Excel planning may hold when unpacked (a workbook of a few hundred meetings is far smaller)."""


MAX_XLSX_ROWS = 10_000


MAX_XLSX_COLUMNS = 100


def read_rows(data: bytes, source: str) -> list[tuple[int, list[str]]]:
    """The non-empty rows of the first sheet of an Excel workbook, as text, with their row numbers.

    A date cell gives its date in ISO form (2023-03-16); a date typed as text is
    left as written. A title row above the header is skipped by the table reader.
    """
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise PlanFileError(
            "this zip file (an Excel workbook?) is damaged; open it in Excel and save it again, "
            "or save the table as CSV.",
            file=source,
        ) from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        kind = (
            "a Word document"
            if "word/document.xml" in names
            else "a presentation"
            if "ppt/presentation.xml" in names
            else "an OpenDocument file"
            if "mimetype" in names
            else "a zip file"
        )
        raise PlanFileError(
            f"this is {kind}, not a planning; save the table as CSV (or as an Excel workbook, .xlsx).", file=source
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_XLSX_BYTES:
        raise PlanFileError(
            f"the workbook unpacks to {unpacked:,} bytes; a planning is at most {MAX_XLSX_BYTES:,} bytes.", file=source
        )
    try:
        import openpyxl
    except ImportError:
        raise PlanFileError(
            "reading an Excel workbook needs openpyxl: reinstall rotation, or save the planning as CSV.",
            file=source,
        ) from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # a damaged workbook: openpyxl raises many kinds of error
        raise PlanFileError(
            f"the Excel workbook cannot be read ({shorten(str(err) or type(err).__name__)}); "
            "open it in Excel and save it again, or save the table as CSV.",
            file=source,
        ) from None
    try:
        if not workbook.worksheets:
            raise PlanFileError("the workbook has no sheets.", file=source)
        sheet = workbook.worksheets[0]
        rows: list[tuple[int, list[str]]] = []
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
                if number > MAX_XLSX_ROWS:
                    raise PlanFileError(
                        f"the first sheet has more than {MAX_XLSX_ROWS:,} rows; a planning has far fewer.",
                        file=source,
                    )
                cells = [_xlsx_cell(value) for value in values[:MAX_XLSX_COLUMNS]]
                if any(cell.strip() for cell in cells):
                    rows.append((number, cells))
        except PlanFileError:
            raise
        except Exception as err:  # a damaged sheet inside a readable workbook
            raise PlanFileError(
                f"the first sheet of the workbook cannot be read ({shorten(str(err) or type(err).__name__)}); "
                "save the table as CSV.",
                file=source,
            ) from None
    finally:
        workbook.close()
    if not rows:
        raise PlanFileError("the first sheet of the workbook is empty.", file=source)
    return rows


def _xlsx_cell(value: object) -> str:
    """A cell of a workbook as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
