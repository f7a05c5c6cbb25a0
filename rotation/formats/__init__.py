"""Every format a planning is written in and read back from, each format's writer and reader in one module.

=============  ====================================  =====================================
module         writes                                reads back
=============  ====================================  =====================================
`tables`       the aligned terminal table            the rows of any table (`read_table`)
`markdown`     a Markdown table                      a Markdown table
`csv`          CSV for spreadsheets                  CSV with `,`, `;` or tab
`json`         the JSON export                       the JSON export
`xlsx`         the Excel workbook                    the first sheet of a workbook
`docx`         the Word document                     (not read)
`html`         the printable HTML page               (not read)
`pdf`          the PDF for the agenda pack           (not read)
`ics`          (`calendars.ics` writes the overview) the year overview (overview.ics)
=============  ====================================  =====================================

`read_plan` finds the format from a file's content. `spreadsheet` holds the one
set of rules that keeps a name from being run as a spreadsheet formula, used
by every writer and reader of CSV and Excel; `document` what the Word, Excel,
HTML and PDF documents share. The modules are imported when first used, so that
importing this package stays cheap.

>>> import rotation
>>> from rotation import formats
>>> committee = rotation.example()
>>> print(formats.render("csv", committee, rotation.plan(committee)))  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
import typing

from rotation.domain import Committee, Plan

if typing.TYPE_CHECKING:
    from rotation.formats.json import plan_to_data, to_json
    from rotation.formats.markdown import to_markdown
    from rotation.formats.read import add_history, read_plan, read_plan_text
    from rotation.formats.tables import to_table

__all__ = [
    "DOCUMENT_FORMATS",
    "TEXT_FORMATS",
    "add_history",
    "plan_to_data",
    "read_plan",
    "read_plan_text",
    "render",
    "to_json",
    "to_markdown",
    "to_table",
]

TEXT_FORMATS = ("table", "markdown", "csv", "json")
"""The formats `render` writes as text."""
DOCUMENT_FORMATS = ("docx", "html", "pdf", "xlsx")
"""The documents `rotation.documents.write` writes."""

_LAZY = {
    "add_history": "rotation.formats.read",
    "read_plan": "rotation.formats.read",
    "read_plan_text": "rotation.formats.read",
    "plan_to_data": "rotation.formats.json",
    "to_json": "rotation.formats.json",
    "to_markdown": "rotation.formats.markdown",
    "to_table": "rotation.formats.tables",
}
_WRITERS = {
    "table": ("rotation.formats.tables", "to_table"),
    "markdown": ("rotation.formats.markdown", "to_markdown"),
    "csv": ("rotation.formats.csv", "to_csv"),
    "json": ("rotation.formats.json", "to_json"),
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rotation.formats' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def render(fmt: str, committee: Committee, plan: Plan, language: str | None = None) -> str:
    """The plan in one of `TEXT_FORMATS`, as text."""
    module, name = _WRITERS[fmt]
    writer: typing.Callable[[Committee, Plan, str | None], str] = getattr(importlib.import_module(module), name)
    return writer(committee, plan, language)
