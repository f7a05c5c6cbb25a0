"""The planning as CSV: written with a header row for spreadsheets, read back as people save it.

Cells a spreadsheet would run as a formula get a leading ``'`` (see
`rotation.formats.spreadsheet`). The reader takes a comma, a semicolon (Excel in
Dutch) or a tab as the separator, whichever the top rows use.
"""

from __future__ import annotations

import csv
import io

from rotation.domain import Committee, Plan
from rotation.errors import PlanFileError
from rotation.formats.spreadsheet import neutralise
from rotation.formats.tables import HEADER_SEARCH, csv_columns, csv_rows

__all__ = ["read_rows", "to_csv"]


def to_csv(committee: Committee, plan: Plan, language: str | None = None) -> str:
    """CSV with a header row; cells that a spreadsheet would run as formulas are quoted with '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in csv_columns(committee, language)])
    for row in csv_rows(committee, plan, language):
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def read_rows(text: str, source: str) -> list[tuple[int, list[str]]]:
    """The non-empty rows of a CSV table, with the line each starts on."""
    top = [line for line in text.splitlines() if line.strip()][: HEADER_SEARCH + 1]
    delimiter = max(
        (",", ";", "\t"), key=lambda d: (max((_count_outside_quotes(line, d) for line in top), default=0), d == ",")
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows = []
    try:
        start = 1
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as err:
        raise PlanFileError(f"this is not a readable CSV table: {err}.", file=source, line=reader.line_num) from None
    return rows


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == char and not quoted:
            count += 1
    return count
