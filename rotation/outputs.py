"""What the commands write, made by the library: the planning in each format, and the report of turns.

``plan_output("csv", committee, plan)`` is the planning in one of the formats
`rotation plan` writes; ``alternatives_output("table", committee, found)`` the
plans `rotation.alternatives` found, each under its trade-off;
``fairness_report(committee, plan)`` the table of turns per unit and role that
`rotation fairness` prints.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rotation.alternatives import Alternative
    from rotation.domain import Committee, Plan
    from rotation.fairness import RoleCount

__all__ = [
    "DOCUMENT_FORMATS",
    "FORMATS",
    "TEXT_FORMATS",
    "aligned",
    "alternatives_output",
    "fairness_report",
    "plan_output",
    "text_width",
]

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
    from rotation.formats import render

    return render(format, committee, plan, language)


def alternatives_output(
    format: str, committee: Committee, found: Sequence[Alternative], *, language: str | None = None
) -> str:
    """The plans of `rotation.alternatives` as `rotation plan --alternatives` writes them.

    `table` and `markdown`: each plan under a title with its trade-off against
    the best; `json`: ``{"alternatives": [{"tradeoff", "scores", "plan"}, ...]}``
    with each plan as in the JSON export.
    """
    import json

    from rotation.formats import plan_to_data, to_markdown, to_table

    language = language or committee.language
    if format == "json":
        data = {
            "alternatives": [
                {"tradeoff": item.tradeoff, "scores": dict(item.scores), "plan": plan_to_data(item.plan)}
                for item in found
            ]
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if format not in ("table", "markdown"):
        raise ValueError(f"alternatives are written as a table, markdown or json, not {format!r}")
    from rotation.messages import gettext

    blocks = []
    for index, item in enumerate(found, 1):
        key = "cli.alternatives.best" if index == 1 else "cli.alternatives.other"
        title = gettext(language, key, i=index, n=len(found), tradeoff=item.tradeoff)
        if format == "markdown":
            blocks.append(f"### {title}\n\n{to_markdown(committee, item.plan, language)}")
        else:
            blocks.append(f"{title}\n\n{to_table(committee, item.plan, language)}")
    return "\n".join(blocks)


def text_width(value: str) -> int:
    """The columns `value` takes in a terminal: two for a wide character, none for a combining one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1 for ch in value)


def aligned(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """The lines of a text table: the head, a rule of dashes, the rows; columns two spaces apart."""
    table = [list(head), *(list(row) for row in rows)]
    widths = [max(text_width(row[i]) for row in table) for i in range(len(head))]
    lines = [
        "  ".join(cell + " " * (width - text_width(cell)) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in table
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


def _word(language: str, key: str, **values: object) -> str:
    from rotation.messages import gettext

    return gettext(language, f"turns.{key}", **values)


def fairness_report(
    committee: Committee,
    plan: Plan | None = None,
    *,
    language: str | None = None,
    counts: Sequence[RoleCount] | None = None,
) -> str:
    """How often each unit held each role, as text: what `rotation fairness` prints.

    A title with the period counted, a table of turns per unit and role (the
    history, or history + plan), the units that have waited longest per role
    and, with a plan, its unfair turns. `counts` are `rotation.role_counts`
    of the same committee and plan when they were counted already.
    """
    from rotation.fairness import fairness_since, role_counts
    from rotation.i18n import format_date

    language = language or committee.language
    counts = role_counts(committee, plan) if counts is None else counts
    lines: list[str] = []
    add = lines.append
    since = fairness_since(committee, plan)
    since_text = _word(language, "since", date=format_date(since, language)) if since else ""
    if plan is not None and plan.meetings:
        # the dates of the meetings counted, whichever file the plan was read from
        start, end = format_date(plan.meetings[0].date, language), format_date(plan.meetings[-1].date, language)
        add(_word(language, "title_plan", since=since_text, start=start, end=end))
    else:
        add(_word(language, "title", since=since_text))
    add("")
    roles = committee.roles
    head = [_word(language, "unit"), *(_capital(role.label(language)) for role in roles)]
    rows = []
    for unit in committee.order:
        row = [unit]
        for role in roles:
            count = next(c for c in counts if c.unit == unit and c.role == role.key)
            if not count.eligible and not count.total:
                row.append("–")
                continue
            cell = f"{count.past}+{count.planned}" if plan is not None else str(count.past)
            row.append(cell + (" *" if count.waited_longest else ""))
        rows.append(row)
    lines.extend(aligned(head, rows))
    add(_word(language, "legend"))
    add("")
    add(_word(language, "longest"))
    for role in roles:
        flagged = [c for c in counts if c.role == role.key and c.waited_longest]
        if not flagged:
            continue
        when = flagged[0].last
        note = _word(language, "last", date=format_date(when, language)) if when else _word(language, "never")
        add(f"  {role.label(language)}: {', '.join(c.unit for c in flagged)} ({note})")
    if plan is not None:
        from rotation.fairness import fairness_notes

        unfair = fairness_notes(committee, plan, language)
        add("")
        add(_word(language, "unfair") if unfair else _word(language, "fair"))
        lines.extend(f"  {note}" for note in unfair)
    return "\n".join(lines) + "\n"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
