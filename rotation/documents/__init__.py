"""Documents people use: the planning as Word tables, an Excel sheet, a printable HTML page or a PDF.

>>> import rotation
>>> from rotation import documents
>>> committee = rotation.example()
>>> plan = rotation.plan(committee)
>>> documents.write("xlsx", committee, plan, "planning.xlsx")  # doctest: +SKIP

Word, Excel and PDF files need the packages python-docx, openpyxl and
reportlab (installed with rotation); they are imported only when such a file
is written, so importing this package stays cheap. The same plan always gives
the same bytes, and files are written atomically.

Each document is made by its module in `rotation.formats` (`docx`, `xlsx`,
`html`, `pdf`), where the Excel workbook's reader sits beside its writer;
`documents.docx` and the others name those modules. `pictures` draws the
year at a glance and the roles per unit as SVG.
"""

from __future__ import annotations

import importlib
import os
import types
from pathlib import Path

from rotation.domain import Committee, Plan
from rotation.errors import ConfigError, MissingPackageError, PlanFileError
from rotation.formats import DOCUMENT_FORMATS

__all__ = ["FORMATS", "MissingPackageError", "to_bytes", "write"]

FORMATS = DOCUMENT_FORMATS
"""The document formats `write` knows."""


def __getattr__(name: str) -> types.ModuleType:
    """`documents.docx`, `documents.xlsx`, `documents.html`, `documents.pdf`: the modules in `rotation.formats`."""
    if name not in FORMATS:
        raise AttributeError(f"module 'rotation.documents' has no attribute '{name}'")
    module = importlib.import_module(f"rotation.formats.{name}")
    globals()[name] = module
    return module


def to_bytes(
    fmt: str, committee: Committee, plan: Plan, *, language: str | None = None, one_table: bool = False
) -> bytes:
    """The document of `plan` in format `fmt` (one of `FORMATS`), as bytes.

    `one_table` puts every role in one table (Word, HTML and PDF; a committee with
    two chains otherwise gets two tables, as in its minutes). Raises
    `MissingPackageError` when the format needs a package that is not
    installed, and `ConfigError` for an unknown format or language.
    """
    if fmt not in FORMATS:
        raise ConfigError(f"'{fmt}' is not a document format; use one of: {', '.join(FORMATS)}.")
    module = importlib.import_module(f"rotation.formats.{fmt}")
    data: bytes = module.to_bytes(committee, plan, language=language, one_table=one_table)
    return data


def write(
    fmt: str,
    committee: Committee,
    plan: Plan,
    path: str | os.PathLike[str],
    *,
    language: str | None = None,
    one_table: bool = False,
) -> Path:
    """Write the document of `plan` in format `fmt` to `path`, atomically, and return the path.

    `language` is any language the program speaks (``"nl"``, ``"en"``, or one added with
    `rotation.messages.register`); by default the committee's own. Nothing is
    written when the document cannot be made; a file that cannot be written
    raises `PlanFileError` naming it.
    """
    from rotation.files import atomic_write

    data = to_bytes(fmt, committee, plan, language=language, one_table=one_table)
    try:
        return atomic_write(path, data)
    except OSError as error:
        reason = error.strerror or str(error)
        raise PlanFileError(f"the file cannot be written ({reason}).", file=os.fspath(path)) from None
