"""Spreadsheet safety: text that a spreadsheet would run as a formula, and how it is kept text.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return) is taken for a formula by Excel and LibreOffice when it is typed in or
opened from a CSV file. The CSV writer puts a ``'`` before such a cell, the Excel
writer stores it as a text cell with Excel's quote prefix, and every reader takes
that ``'`` off again, so that a unit called ``=SUM(A1)`` is written, read back and
checked as that name.
"""

from __future__ import annotations

__all__ = ["FORMULA_STARTS", "needs_quote", "neutralise", "restore"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters with which a spreadsheet cell would be read as a formula."""


def needs_quote(value: str) -> bool:
    """Whether a spreadsheet would take `value` for a formula if it were typed in."""
    return value.startswith(FORMULA_STARTS)


def neutralise(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (a leading ``'`` for ``=``, ``+``, ``-``, ``@``)."""
    return "'" + value if needs_quote(value) else value


def restore(cell: str) -> str:
    """A cell as written, without the ``'`` that kept a spreadsheet from running it as a formula."""
    value = cell.strip()
    if value.startswith("'") and needs_quote(value[1:]):
        value = value[1:]
    return value
