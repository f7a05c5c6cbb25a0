"""The report of a replan: per meeting what changed, for whom and why, then what stayed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rotation.domain import Mode
from rotation.i18n import format_date, mode_label
from rotation.replan.words import report

if TYPE_CHECKING:
    from rotation.replan import Change, Replan


def describe(result: Replan, language: str | None = None) -> str:
    """The changes as the committee reads them: per meeting what changed, for whom and why.

    The reasons are in the language `replan` was given; pass the same `language` here.
    """
    committee = result.committee
    language = language or result.language
    lines: list[str] = []
    if result.changes:
        lines.append(report(language, "title"))
    else:
        lines.append(report(language, "none"))
    by_meeting: dict[str, list[Change]] = {}
    for change in result.changes:
        by_meeting.setdefault(change.meeting, []).append(change)
    for changes in sorted(by_meeting.values(), key=lambda group: group[0].date):
        first = changes[0]
        lines.append(f"  {format_date(first.date, language)}  ({first.meeting})")
        for change in changes:
            if change.kind == "date":
                what = report(language, "date", new=format_date(dt.date.fromisoformat(change.new), language))
            elif change.kind == "mode":
                what = report(
                    language,
                    "mode",
                    old=mode_label(Mode(change.old), language),
                    new=mode_label(Mode(change.new), language),
                )
            elif change.kind == "location":
                what = report(language, "location", old=change.old or "-", new=change.new or "-")
            elif change.kind == "role":
                label = committee.role(change.role).label(language) if change.role else ""
                what = report(language, "role", role=label, old=change.old or "-", new=change.new or "-")
            else:
                what = report(language, "cancel")
            lines.append(f"    - {what} ({change.reason})" if change.reason else f"    - {what}")
    unchanged = len(result.plan.meetings) - result.held - len(result.updated)
    if result.held:
        lines.append(report(language, "held", count=result.held, date=format_date(result.since, language)))
    if result.notice_until is not None and result.notice_until > result.since:
        lines.append(report(language, "notice", date=format_date(result.notice_until, language)))
    if unchanged > 0:
        lines.append(report(language, "same", count=unchanged))
    for unit in result.asked.add_units:
        lines.append(report(language, "joins", unit=unit, date=format_date(result.since, language)))
    for unit in result.asked.remove_units:
        lines.append(report(language, "leaves", unit=unit, date=format_date(result.since, language)))
    if result.broken:
        lines.append(report(language, "broken"))
        lines.extend(f"  - {violation.message}" for violation in result.broken)
    return "\n".join(lines) + "\n"
