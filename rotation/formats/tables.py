"""The planning as the committee reads it: terminal table, Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any

from rotation.domain import Committee, Meeting, Plan
from rotation.i18n import format_date, mode_label, text

__all__ = [
    "FORMATS",
    "JSON_SCHEMA_VERSION",
    "columns",
    "render",
    "rows",
    "safe_cell",
    "to_csv",
    "to_json",
    "to_markdown",
    "to_table",
]

FORMATS = ("table", "markdown", "csv", "json")
JSON_SCHEMA_VERSION = 1
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def columns(committee: Committee, language: str | None = None) -> list[str]:
    """Column headings: date, mode, location, then one column per role."""
    language = language or committee.language
    roles = [_capital(role.label(language)) for role in committee.roles]
    return [text("date", language), text("mode", language), text("location", language), *roles]


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def rows(committee: Committee, plan: Plan, language: str | None = None) -> list[list[str]]:
    """One row per meeting, as text, in the order of `columns`."""
    language = language or committee.language
    out = []
    for meeting in plan.meetings:
        row = [
            format_date(meeting.date, language),
            mode_label(meeting.mode, language),
            _one_line(meeting.location),
        ]
        row.extend(_one_line(meeting.roles.get(role.key, "")) for role in committee.roles)
        out.append(row)
    return out


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _width(value: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1 for ch in value)


def _pad(value: str, width: int) -> str:
    return value + " " * (width - _width(value))


def to_table(committee: Committee, plan: Plan, language: str | None = None) -> str:
    """An aligned text table for the terminal."""
    head = columns(committee, language)
    body = rows(committee, plan, language)
    widths = [max(_width(row[i]) for row in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in [head, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _markdown_cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|")


def to_markdown(committee: Committee, plan: Plan, language: str | None = None) -> str:
    """A Markdown table, to paste into minutes written in Markdown."""
    head = columns(committee, language)
    lines = ["| " + " | ".join(_markdown_cell(c) for c in head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for row in rows(committee, plan, language):
        lines.append("| " + " | ".join(_markdown_cell(c) for c in row) + " |")
    return "\n".join(lines) + "\n"


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (a leading ' for =, +, -, @)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(committee: Committee, plan: Plan, language: str | None = None) -> str:
    """CSV with a header row; cells that a spreadsheet would run as formulas are quoted with '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in columns(committee, language)])
    for row in rows(committee, plan, language):
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def plan_to_data(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data (see docs/reference/json.md)."""
    data: dict[str, Any] = {
        "schema": JSON_SCHEMA_VERSION,
        "committee": plan.committee_name,
        "timezone": plan.timezone,
        "horizon": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
        "optimal": plan.optimal,
        "meetings": [_meeting_data(m) for m in plan.meetings],
    }
    if plan.cancelled:
        data["cancelled"] = [_meeting_data(m) for m in plan.cancelled]
    if plan.left:
        data["left"] = [{"unit": unit, "from": day.isoformat()} for unit, day in plan.left]
    if plan.issued:
        data["issued"] = [
            {
                "id": record.id,
                "uid": record.uid,
                "sequence": record.sequence,
                "cancelled": record.cancelled,
                "attendees": [{"name": name, "email": email} for name, email in record.attendees],
                "shown": dict(record.shown),
            }
            for record in plan.issued
        ]
    return data


def _meeting_data(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.id,
        "date": m.date.isoformat(),
        "start": m.start.strftime("%H:%M"),
        "end": m.end.strftime("%H:%M"),
        "mode": m.mode.value,
        "location": m.location,
        "fixed_date": m.fixed_date,
        "pinned_roles": list(m.pinned_roles),
        "roles": dict(m.roles),
        "title": m.title,
        "sequence": m.sequence,
    }


def to_json(committee: Committee, plan: Plan, language: str | None = None) -> str:
    """The JSON export for other tools."""
    del committee, language  # the export is language-neutral
    return json.dumps(plan_to_data(plan), ensure_ascii=False, indent=2) + "\n"


_RENDERERS = {"table": to_table, "markdown": to_markdown, "csv": to_csv, "json": to_json}


def render(fmt: str, committee: Committee, plan: Plan, language: str | None = None) -> str:
    """The plan in one of `FORMATS`."""
    return _RENDERERS[fmt](committee, plan, language)
