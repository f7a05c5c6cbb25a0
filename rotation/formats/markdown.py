"""The planning as a Markdown table: written to paste into minutes, read back as people edit it."""

from __future__ import annotations

import re

from rotation.domain import Committee, Plan
from rotation.errors import PlanFileError
from rotation.formats.tables import HEADER_SEARCH, columns, rows

__all__ = ["is_markdown", "read_rows", "to_markdown"]


def _markdown_cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|")


def to_markdown(committee: Committee, plan: Plan, language: str | None = None) -> str:
    """A Markdown table, to paste into minutes written in Markdown."""
    head = columns(committee, language)
    lines = ["| " + " | ".join(_markdown_cell(c) for c in head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for row in rows(committee, plan, language):
        lines.append("| " + " | ".join(_markdown_cell(c) for c in row) + " |")
    return "\n".join(lines) + "\n"


def is_markdown(text: str) -> bool:
    """Whether `text` is a Markdown table (a row starting with a bar, a heading, or a separator row)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    if lines[0].startswith(("|", "#")):
        return True
    return any(re.fullmatch(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?", line) for line in lines[: HEADER_SEARCH + 1])


def _markdown_cells(line: str) -> list[str]:
    """The cells of one Markdown table row; ``\\|`` is a bar inside a cell and ``\\\\`` a backslash."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    cells, current, index = [], [], 0
    while index < len(body):
        ch = body[index]
        if ch == "\\" and index + 1 < len(body) and body[index + 1] in "|\\":
            current.append(body[index + 1])
            index += 2
            continue
        if ch == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(ch)
        index += 1
    if "".join(current).strip():  # a row without a closing bar
        cells.append("".join(current))
    return [cell.strip() for cell in cells]


def read_rows(text: str, source: str) -> list[tuple[int, list[str]]]:
    """The rows of the one Markdown table in `text`, with their line numbers (the separator row left out)."""
    out: list[tuple[int, list[str]]] = []
    ended = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line.startswith("|") and (line.startswith("#") or not re.search(r"(?<!\\)\|", line)):
            ended = ended or bool(out and line)  # a heading or text: before the table, or after it
            continue
        if ended:
            raise PlanFileError(
                "the file holds more than one table; give one planning table.", file=source, line=number
            )
        cells = _markdown_cells(line)
        if cells and all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells if cell):
            continue
        out.append((number, cells))
    return out
