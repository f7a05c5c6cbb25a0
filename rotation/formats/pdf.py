"""The planning as a PDF file, for the agenda pack.

The same tables as the Word document (two for a committee with two chains,
weekday and time in the date column, the fixed meetings in yellow and listed
below), on A4 in portrait or, when the columns need it, in landscape, with the
header row repeated on every page and page numbers with the number of pages
("Pagina 2 van 3"). Made with ReportLab, a
pure-Python PDF library maintained since 2000: it draws the tables itself, so
it needs no browser or office suite, and with the PDF's built-in Helvetica
the files are small and look the same in every reader. Those fonts hold the
Western European letters (ë, é, ö, ß, …); a name with a letter outside them
is refused with a message, never drawn as a box.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from rotation.domain import Committee, Plan
from rotation.errors import ConfigError
from rotation.files import atomic_write
from rotation.formats.document import (
    fixed_moment,
    language_of,
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

__all__ = ["to_bytes", "write_pdf"]

_HEADER_FILL = "#D9E2F3"
_FIXED_FILL = "#FFF2CC"
_LINE = "#8EA0BF"
_MARGIN_CM = 2.0


def _shown(value: str) -> str:
    """`value` as the PDF shows it: a character that no document can hold (a control character) as ``?``."""
    return xml_text(value).replace("\ufffd", "?")


def _check_letters(values: list[str]) -> None:
    for value in map(_shown, values):
        try:
            value.encode("cp1252")
        except UnicodeEncodeError as error:
            letter = value[error.start]
            raise ConfigError(
                f"the PDF's built-in fonts cannot show '{letter}' (U+{ord(letter):04X}, in '{value[:60]}'); "
                "write the HTML page (--output planning.html) and print it to PDF instead."
            ) from None


def to_bytes(committee: Committee, plan: Plan, *, language: str | None = None, one_table: bool = False) -> bytes:
    """The PDF of `plan`, as bytes; the same plan always gives the same bytes."""
    require("reportlab", "pdf")
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from rotation.formats.docx import layout

    language = language_of(committee, language)
    tables = parts(committee, plan, language, one_table=one_table)
    turned, size, widths = layout(tables)
    title = xml_text(gettext(language, "doc.planning") + " " + committee.name)
    period = period_text(plan, language)
    notes = planning_notes(plan, language)
    every = [title, period, *notes]
    for part in tables:
        every.extend([part.heading, *part.header])
        every.extend(xml_text(line) for row in part.rows for cell in row for line in cell)
    _check_letters(every)

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13)
    cell_style = ParagraphStyle("cell", fontName="Helvetica", fontSize=size, leading=size * 1.25)
    head_style = ParagraphStyle("head", parent=cell_style, fontName="Helvetica-Bold")
    heading = ParagraphStyle(
        "heading", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=10, spaceAfter=4
    )
    title_style = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=16, leading=20, spaceAfter=4)
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=12, spaceBefore=4)

    def paragraph(value: str, style: Any) -> Any:
        return Paragraph(escape(_shown(value)), style)

    story: list[Any] = [paragraph(title, title_style), paragraph(period + ".", body)]
    for part, part_widths in zip(tables, widths, strict=True):
        if len(tables) > 1:
            story.append(paragraph(part.heading, heading))
        else:
            story.append(Spacer(1, 8))
        data = [[paragraph(label, head_style) for label in part.header]]
        for row in part.rows:
            data.append([Paragraph("<br/>".join(escape(_shown(line)) for line in cell), cell_style) for cell in row])
        grid = Table(data, colWidths=part_widths, repeatRows=1, hAlign="LEFT")
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor(_LINE)),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(_HEADER_FILL)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        for index, meeting in enumerate(part.meetings, start=1):
            if meeting.fixed_date:
                style.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor(_FIXED_FILL)))
        grid.setStyle(TableStyle(style))
        story.append(grid)
    if any(meeting.fixed_date for meeting in plan.meetings):
        story.append(paragraph(gettext(language, "doc.fixed_key"), small))
    if notes:
        story.append(paragraph(text("title", language), heading))
        story.extend(paragraph(f"\u2022 {note}", body) for note in notes)

    page_size = landscape(A4) if turned else A4
    from reportlab.pdfbase.pdfmetrics import stringWidth

    room = page_size[0] - 2 * _MARGIN_CM * cm - 60
    footer = f"{title} \u00b7 {period}"
    if stringWidth(footer, "Helvetica", 8.5) > room:
        footer = title
    while stringWidth(footer, "Helvetica", 8.5) > room:
        footer = footer[:-2] + "\u2026"

    def decorate(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(colors.HexColor("#475569"))
        canvas.drawString(_MARGIN_CM * cm, 1.1 * cm, footer)
        canvas.restoreState()

    def page_number(canvas: Any, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(colors.HexColor("#475569"))
        number = gettext(language, "doc.page", page=page, pages=pages)
        canvas.drawRightString(page_size[0] - _MARGIN_CM * cm, 1.1 * cm, number)
        canvas.restoreState()

    buffer = io.BytesIO()
    moment = fixed_moment(plan)
    document = SimpleDocTemplate(
        buffer,
        pagesize=page_size,
        leftMargin=_MARGIN_CM * cm,
        rightMargin=_MARGIN_CM * cm,
        topMargin=_MARGIN_CM * cm,
        bottomMargin=_MARGIN_CM * cm,
        title=title,
        author=xml_text(committee.name),
        creator="rotation",
        producer="rotation",
        subject=period,
        lang=gettext(language, "doc.language_tag"),
        invariant=1,
        initialFontName="Helvetica",
    )
    document.build(story, onFirstPage=decorate, onLaterPages=decorate, canvasmaker=_counting_canvas(page_number))
    made = buffer.getvalue()
    stamp = moment.strftime("D:%Y%m%d%H%M%S+00'00'").encode()
    return made.replace(b"D:20000101000000+00'00'", stamp)


def _counting_canvas(page_number: Callable[[Any, int, int], None]) -> Any:
    """A ReportLab canvas that holds its pages until the last, so that each can say how many there are."""
    from reportlab.pdfgen.canvas import Canvas

    class CountingCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            pages = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                page_number(self, number, pages)
                super().showPage()
            super().save()

    return CountingCanvas


def write_pdf(
    committee: Committee,
    plan: Plan,
    path: str | os.PathLike[str],
    *,
    language: str | None = None,
    one_table: bool = False,
) -> Path:
    """Write the PDF of `plan` to `path` (atomically) and return the path.

    >>> write_pdf(committee, plan, "planning-2024.pdf")  # doctest: +SKIP
    """
    return atomic_write(path, to_bytes(committee, plan, language=language, one_table=one_table))
