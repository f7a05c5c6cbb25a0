"""The planning table as a Word document, ready to paste into the minutes.

One table in the committee's own layout (date, mode, location, then one column
per role), a title and a line per fixed or themed meeting. Needs python-docx
(installed with rotation), which is imported only when a document
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
    normalise_zip,
    planning_table,
    require,
    xml_text,
)
from rotation.domain import Committee, Plan
from rotation.files import atomic_write
from rotation.i18n import format_date, text

__all__ = ["to_bytes", "write_docx"]

_PAGE_WIDTH_CM = 21.0
_PAGE_HEIGHT_CM = 29.7
_MARGIN_CM = 2.0
_TABLE_POINTS = 9
_CHAR_CM = 0.17
"""A generous width of an average character at 9 pt, for sizing the columns."""
_CELL_PADDING_CM = 0.4
_SHORT = 12
"""Texts up to this many characters are not wrapped."""
_HEADER_FILL = "D9E2F3"
_FIXED_FILL = "FFF2CC"
_LANGUAGE_TAG = {"nl": "nl-NL", "en": "en-GB"}


def _title(committee: Committee, language: str) -> str:
    return f"Planning {committee.name}"


def _period(plan: Plan, language: str) -> str:
    first, last = format_date(plan.start, language), format_date(plan.end, language)
    if language == "nl":
        return f"Vergaderingen van {first} tot en met {last}."
    return f"Meetings from {first} to {last}."


def to_bytes(committee: Committee, plan: Plan, *, language: str | None = None) -> bytes:
    """The Word document (.docx) of `plan`, as bytes; the same plan always gives the same bytes."""
    require("docx", "docx")
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt

    language = language_of(committee, language)
    table = planning_table(committee, plan, language)
    moment = fixed_moment(plan)

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(_PAGE_WIDTH_CM), Cm(_PAGE_HEIGHT_CM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(_MARGIN_CM))
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    _set_language(normal, _LANGUAGE_TAG[language])

    document.add_heading(xml_text(_title(committee, language)), level=1)
    document.add_paragraph(_period(plan, language))

    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    widths = _widths(table.header, table.rows)
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)  # the table grid, which LibreOffice follows

    header = grid.rows[0]
    _repeat_as_header(header)
    for cell, label, width in zip(header.cells, table.header, widths, strict=True):
        _fill(cell, label, bold=True)
        _shade(cell, _HEADER_FILL)
        cell.width = Cm(width)
    for meeting, values in zip(table.meetings, table.rows, strict=True):
        row = grid.add_row()
        _keep_together(row)
        for cell, value, width in zip(row.cells, values, widths, strict=True):
            _fill(cell, value)
            cell.width = Cm(width)
            if meeting.fixed_date:
                _shade(cell, _FIXED_FILL)

    notes = table.notes(language)
    if notes:
        document.add_paragraph()
        document.add_paragraph(text("title", language)).runs[0].bold = True
        for note in notes:
            document.add_paragraph(xml_text(note), style="List Bullet")

    properties = document.core_properties
    properties.title = xml_text(_title(committee, language))
    properties.author = xml_text(committee.name)
    properties.last_modified_by = xml_text(committee.name)
    properties.language = _LANGUAGE_TAG[language]
    properties.revision = 1
    properties.comments = ""
    properties.created = moment
    properties.modified = moment
    properties.last_printed = moment

    _drop_thumbnail(document)

    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue(), moment)


def write_docx(committee: Committee, plan: Plan, path: str | os.PathLike[str], *, language: str | None = None) -> Path:
    """Write the Word document of `plan` to `path` (atomically) and return the path.

    >>> write_docx(committee, plan, "planning-2024.docx")  # doctest: +SKIP
    """
    return atomic_write(path, to_bytes(committee, plan, language=language))


def _widths(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> list[float]:
    """Column widths (cm) that fit the page: each column at least as wide as its longest word.

    The room left over goes to the columns whose text is longest, so that names
    wrap at spaces and hyphens rather than inside a word.
    """
    available = _PAGE_WIDTH_CM - 2 * _MARGIN_CM
    columns = [[label, *(row[index] for row in rows)] for index, label in enumerate(header)]
    words = [
        max(len(word) for value in column for word in _words(value, keep_hyphens=index == 0))
        for index, column in enumerate(columns)
    ]
    longest = [max(len(value) for value in column) for column in columns]
    # short texts (a date, "MS Teams") are kept on one line
    least = [
        (whole if whole <= _SHORT else word) * _CHAR_CM + _CELL_PADDING_CM
        for word, whole in zip(words, longest, strict=True)
    ]
    most = [whole * _CHAR_CM + _CELL_PADDING_CM for whole in longest]
    if sum(least) >= available:
        return [round(available * width / sum(least), 2) for width in least]
    room = available - sum(least)
    wanted = [high - low for low, high in zip(least, most, strict=True)]
    if sum(wanted) <= room:
        spare = (room - sum(wanted)) / len(least)
        return [round(high + spare, 2) for high in most]
    return [round(low + room * want / sum(wanted), 2) for low, want in zip(least, wanted, strict=True)]


def _words(value: str, *, keep_hyphens: bool) -> list[str]:
    pieces = value.split() or [""]
    if keep_hyphens:
        return pieces
    return [part for piece in pieces for part in piece.replace("-", "- ").split()] or [""]


def _fill(cell: Any, value: str, *, bold: bool = False) -> None:
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(xml_text(value))
    run.bold = bold
    run.font.size = Pt(_TABLE_POINTS)


def _element(tag: str, **attributes: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _shade(cell: Any, colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    properties.append(_element("w:shd", val="clear", color="auto", fill=colour))


def _repeat_as_header(row: Any) -> None:
    """Mark the row as the table's header: Word repeats it on every page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(_element("w:cantSplit"))
    properties.append(_element("w:tblHeader"))


def _keep_together(row: Any) -> None:
    row._tr.get_or_add_trPr().append(_element("w:cantSplit"))


def _set_language(style: Any, tag: str) -> None:
    """Spell-check the text in the committee's language."""
    properties = style.element.get_or_add_rPr()
    properties.append(_element("w:lang", val=tag))


def _drop_thumbnail(document: Any) -> None:
    """Leave out the template's thumbnail, a picture of an empty page."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    relationships = document.part.package.rels
    for key, relationship in list(relationships.items()):
        if relationship.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            relationships.pop(key)
