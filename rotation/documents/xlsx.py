"""The planning table as an Excel workbook.

The same columns as the planning table; the dates are real date cells (shown as
dd-mm-yyyy in Dutch, yyyy-mm-dd in English) so that they sort and filter; the
header row is frozen and has an auto filter. Every name is a text cell, so a name
that starts with ``=``, ``+``, ``-`` or ``@`` is never run as a formula. Needs
openpyxl (installed with rotation), imported only when a workbook
is written.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from rotation.documents._common import (
    fixed_moment,
    language_of,
    needs_quote,
    normalise_zip,
    planning_table,
    require,
    xml_text,
)
from rotation.domain import Committee, Plan
from rotation.files import atomic_write

__all__ = ["DATE_FORMATS", "to_bytes", "write_xlsx"]

DATE_FORMATS = {"nl": "dd-mm-yyyy", "en": "yyyy-mm-dd"}
"""The number format of the date cells, per language."""

_SHEET = {"nl": "Planning", "en": "Planning"}
_MIN_WIDTH = 10
_MAX_WIDTH = 40
_HEADER_FILL = "D9E2F3"
_FIXED_FILL = "FFF2CC"
_LINE = "BFBFBF"


def to_bytes(committee: Committee, plan: Plan, *, language: str | None = None) -> bytes:
    """The workbook (.xlsx) of `plan`, as bytes; the same plan always gives the same bytes."""
    require("openpyxl", "xlsx")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    language = language_of(committee, language)
    table = planning_table(committee, plan, language)
    moment = fixed_moment(plan)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _SHEET[language]
    header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    fixed_fill = PatternFill("solid", fgColor=_FIXED_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    line = Side(style="thin", color=_LINE)
    grid = Border(left=line, right=line, top=line, bottom=line)

    for column, label in enumerate(table.header, start=1):
        cell = sheet.cell(row=1, column=column)
        _text(cell, label)
        cell.font = Font(name="Calibri", size=11, bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = grid

    for index, (meeting, values) in enumerate(zip(table.meetings, table.rows, strict=True), start=2):
        date_cell = sheet.cell(row=index, column=1, value=meeting.date)
        date_cell.number_format = DATE_FORMATS[language]
        date_cell.alignment = Alignment(vertical="top", horizontal="left")
        for column, value in enumerate(values[1:], start=2):
            cell = sheet.cell(row=index, column=column)
            _text(cell, value)
            cell.alignment = wrap
        for column in range(1, len(values) + 1):
            if meeting.fixed_date:
                sheet.cell(row=index, column=column).fill = fixed_fill
            sheet.cell(row=index, column=column).border = grid

    for column, width in enumerate(_widths(table.header, table.rows), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    last = get_column_letter(len(table.header))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    properties = workbook.properties
    properties.title = xml_text(f"Planning {committee.name}")
    properties.creator = xml_text(committee.name)
    properties.lastModifiedBy = xml_text(committee.name)
    properties.language = language
    properties.created = moment.replace(tzinfo=None)
    properties.modified = moment.replace(tzinfo=None)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return normalise_zip(buffer.getvalue(), moment)


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


def _widths(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> list[float]:
    widths = []
    for column, label in enumerate(header):
        longest = max([len(label), *(len(row[column]) for row in rows)])
        widths.append(float(min(_MAX_WIDTH, max(_MIN_WIDTH, longest + 2))))
    return widths
