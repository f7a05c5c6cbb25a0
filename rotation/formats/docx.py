"""The planning as a Word document, ready to paste into the minutes.

As the minutes show it: a committee with two chains gets two tables (date,
MS Teams/physical, chair, minute-taker; and date, case, knowledge), any other
committee one table; `one_table` asks for the single table. Each date holds
the weekday and the time. The page is portrait when the columns fit, else
landscape, and the columns are sized by their content so that no date or word
is broken inside. Needs python-docx (installed with rotation), imported only
when a document is written.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from rotation.domain import Committee, Plan
from rotation.files import atomic_write
from rotation.formats.document import (
    Part,
    fit_widths,
    fixed_moment,
    language_of,
    normalise_zip,
    parts,
    period_text,
    require,
    xml_text,
)
from rotation.formats.document import (
    notes as planning_notes,
)
from rotation.i18n import text
from rotation.messages import gettext

__all__ = ["to_bytes", "write_docx"]

_A4 = (21.0, 29.7)
_MARGIN_CM = 2.0
_SIZES = (10.0, 9.0, 8.0)
"""Font sizes (points) of the tables, tried largest first."""
_CELL_PADDING_PT = 2 * 5.4 + 3
"""Word's default cell margins (0.19 cm each side) and a little room."""
_HEADER_FILL = "D9E2F3"
_FIXED_FILL = "FFF2CC"
_POINTS_PER_CM = 72 / 2.54


def _title(committee: Committee, language: str) -> str:
    return gettext(language, "doc.planning") + " " + committee.name


def _columns(part: Part) -> list[list[str]]:
    return [[label, *(line for row in part.rows for line in row[index])] for index, label in enumerate(part.header)]


def layout(tables: tuple[Part, ...]) -> tuple[bool, float, list[list[float]]]:
    """Landscape or not, the font size and each table's column widths (points).

    Portrait at the largest size at which every table fits; else landscape; else
    smaller type. When nothing fits (a single word wider than a landscape page),
    the columns share the width in proportion to their longest pieces.
    """
    for landscape in (False, True):
        for size in _SIZES:
            width = (_A4[1] if landscape else _A4[0]) - 2 * _MARGIN_CM
            available = width * _POINTS_PER_CM
            found = [fit_widths(_columns(part), available, size, padding=_CELL_PADDING_PT) for part in tables]
            if all(widths is not None for widths in found):
                return landscape, size, [widths for widths in found if widths is not None]
    available = (_A4[1] - 2 * _MARGIN_CM) * _POINTS_PER_CM
    size = _SIZES[-1]
    out = []
    for part in tables:
        huge = fit_widths(_columns(part), float("inf"), size, padding=_CELL_PADDING_PT) or []
        out.append([w * available / sum(huge) for w in huge])
    return True, size, out


def to_bytes(committee: Committee, plan: Plan, *, language: str | None = None, one_table: bool = False) -> bytes:
    """The Word document (.docx) of `plan`, as bytes; the same plan always gives the same bytes."""
    require("docx", "docx")
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt

    language = language_of(committee, language)
    tables = parts(committee, plan, language, one_table=one_table)
    moment = fixed_moment(plan)
    landscape, size, widths = layout(tables)

    document = Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(_A4[1]), Cm(_A4[0])
    else:
        section.page_width, section.page_height = Cm(_A4[0]), Cm(_A4[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(_MARGIN_CM))
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    tag = gettext(language, "doc.language_tag")
    _set_language(normal, tag)
    _current_compatibility(document)

    document.add_heading(xml_text(_title(committee, language)), level=1)
    document.add_paragraph(period_text(plan, language) + ".")

    for number, (part, part_widths) in enumerate(zip(tables, widths, strict=True)):
        if len(tables) > 1:
            heading = document.add_paragraph(xml_text(part.heading))
            heading.runs[0].bold = True
            heading.paragraph_format.keep_with_next = True
            if number:
                heading.paragraph_format.space_before = Pt(12)
        grid = document.add_table(rows=1, cols=len(part.header))
        grid.style = document.styles["Table Grid"]
        grid.alignment = WD_TABLE_ALIGNMENT.LEFT
        grid.autofit = False  # a fixed layout: Word and LibreOffice keep the column widths
        for column, width in zip(grid.columns, part_widths, strict=True):
            column.width = Pt(width)  # the table grid, which LibreOffice follows
        header = grid.rows[0]
        _repeat_as_header(header)
        for cell, label, width in zip(header.cells, part.header, part_widths, strict=True):
            _fill(cell, (label,), size, bold=True)
            _shade(cell, _HEADER_FILL)
            cell.width = Pt(width)
        for meeting, values in zip(part.meetings, part.rows, strict=True):
            row = grid.add_row()
            _keep_together(row)
            for cell, lines, width in zip(row.cells, values, part_widths, strict=True):
                _fill(cell, lines, size)
                cell.width = Pt(width)
                if meeting.fixed_date:
                    _shade(cell, _FIXED_FILL)

    if any(meeting.fixed_date for meeting in plan.meetings):
        key = document.add_paragraph(gettext(language, "doc.fixed_key"))
        key.paragraph_format.space_before = Pt(4)
        key.runs[0].font.size = Pt(9)
    notes = planning_notes(plan, language)
    if notes:
        document.add_paragraph(text("title", language)).runs[0].bold = True
        for note in notes:
            document.add_paragraph(xml_text(note), style="List Bullet")

    properties = document.core_properties
    properties.title = xml_text(_title(committee, language))
    properties.author = xml_text(committee.name)
    properties.last_modified_by = xml_text(committee.name)
    properties.language = tag
    properties.revision = 1
    properties.comments = ""
    properties.created = moment
    properties.modified = moment
    properties.last_printed = moment

    _drop_thumbnail(document)

    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue(), moment)


def write_docx(
    committee: Committee,
    plan: Plan,
    path: str | os.PathLike[str],
    *,
    language: str | None = None,
    one_table: bool = False,
) -> Path:
    """Write the Word document of `plan` to `path` (atomically) and return the path.

    >>> write_docx(committee, plan, "planning-2024.docx")  # doctest: +SKIP
    """
    return atomic_write(path, to_bytes(committee, plan, language=language, one_table=one_table))


def _fill(cell: Any, lines: tuple[str, ...], size: float, *, bold: bool = False) -> None:
    """The lines of a cell, as one paragraph with a line break between them."""
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    for number, line in enumerate(lines):
        run = paragraph.add_run(xml_text(line))
        run.bold = bold
        run.font.size = Pt(size)
        if number < len(lines) - 1:
            run.add_break()


def _current_compatibility(document: Any) -> None:
    """Mark the document as made for Word's current compatibility mode (Word 2013 and later)."""
    from docx.oxml.ns import qn

    settings = document.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = _element("w:compat")
        settings.append(compat)
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            compat.remove(setting)
    compat.append(
        _element("w:compatSetting", name="compatibilityMode", uri="http://schemas.microsoft.com/office/word", val="15")
    )


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
