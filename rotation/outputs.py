"""The planning in each of the formats `rotation plan` writes: text for the terminal, or a document.

The same planning in any of them: ``plan_output("csv", committee, plan)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rotation.domain import Committee, Plan

__all__ = ["DOCUMENT_FORMATS", "FORMATS", "TEXT_FORMATS", "plan_output"]

TEXT_FORMATS = ("table", "markdown", "csv", "json")
"""Formats that are text, for the terminal or a file."""
DOCUMENT_FORMATS = ("docx", "xlsx", "html", "pdf", "svg")
"""Formats that are written to a file only."""
FORMATS = TEXT_FORMATS + DOCUMENT_FORMATS


def plan_output(
    format: str,
    committee: Committee,
    plan: Plan,
    *,
    language: str | None = None,
    one_table: bool = False,
) -> str | bytes:
    """The planning in `format` (one of `FORMATS`): a str for the text formats, bytes for the documents.

    `language` is the committee's when None; `one_table` puts every role in one
    table in docx, html and pdf (by default a committee with two chains gets a
    table per chain). svg is the year at a glance.
    """
    language = language or committee.language
    if format == "svg":
        from rotation.documents import pictures

        return pictures.year_at_a_glance(committee, plan, language=language).encode("utf-8")
    if format in DOCUMENT_FORMATS:
        from rotation import documents

        return documents.to_bytes(format, committee, plan, language=language, one_table=one_table)
    if format not in TEXT_FORMATS:
        raise ValueError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    from rotation.render import render

    return render(format, committee, plan, language)
