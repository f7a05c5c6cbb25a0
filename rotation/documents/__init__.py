"""Documents people use: the planning as a Word table, an Excel sheet or a printable HTML page.

>>> import rotation
>>> from rotation import documents
>>> committee = rotation.example()
>>> plan = rotation.plan(committee)
>>> documents.write("xlsx", committee, plan, "planning.xlsx")  # doctest: +SKIP

Word and Excel files need the optional packages python-docx and openpyxl
(installed with rotation); they are imported only when such a file
is written, so importing this package stays cheap. The same plan always gives
the same bytes, and files are written atomically.
"""

from __future__ import annotations

import os
from pathlib import Path

from rotation.documents._common import MissingPackageError
from rotation.domain import Committee, Plan
from rotation.errors import ConfigError, PlanFileError

__all__ = ["FORMATS", "MissingPackageError", "to_bytes", "write"]

FORMATS = ("docx", "html", "xlsx")
"""The document formats `write` knows."""


def to_bytes(fmt: str, committee: Committee, plan: Plan, *, language: str | None = None) -> bytes:
    """The document of `plan` in format `fmt` (one of `FORMATS`), as bytes.

    Raises `MissingPackageError` when the format needs a package that is not
    installed, and `ConfigError` for an unknown format or language.
    """
    if fmt == "docx":
        from rotation.documents import docx

        return docx.to_bytes(committee, plan, language=language)
    if fmt == "xlsx":
        from rotation.documents import xlsx

        return xlsx.to_bytes(committee, plan, language=language)
    if fmt == "html":
        from rotation.documents import html

        return html.to_bytes(committee, plan, language=language)
    raise ConfigError(f"'{fmt}' is not a document format; use one of: {', '.join(FORMATS)}.")


def write(
    fmt: str,
    committee: Committee,
    plan: Plan,
    path: str | os.PathLike[str],
    *,
    language: str | None = None,
) -> Path:
    """Write the document of `plan` in format `fmt` to `path`, atomically, and return the path.

    `language` is ``"nl"`` or ``"en"``; by default the committee's own. Nothing is
    written when the document cannot be made; a file that cannot be written
    raises `PlanFileError` naming it.
    """
    from rotation.files import atomic_write

    data = to_bytes(fmt, committee, plan, language=language)
    try:
        return atomic_write(path, data)
    except OSError as error:
        reason = error.strerror or str(error)
        raise PlanFileError(f"the file cannot be written ({reason}).", file=os.fspath(path)) from None
