"""Reading a planning back: the JSON export, the year overview (.ics), or the CSV, Markdown and Excel tables.

The format follows from the content, each read by its own module in
`rotation.formats`. The tables are read as this tool writes them (`rotation
plan --format csv`, ``markdown`` or ``xlsx``) and as people edit them afterwards:
unit aliases ("ZW Brabant", "LE"), Dutch (16-03-2023) or ISO (2023-03-16)
dates, either language's column names and modes, a semicolon as the separator
(Excel in Dutch), a title line above the table, a file saved by Excel as
Windows-1252 instead of UTF-8.

What cannot be read at all raises `PlanFileError` naming the file, the line
and the value. What can be read but breaks a rule (a Friday, an unknown unit,
a missing role) is left for `rotation.planning_check.check_planning` to report.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from rotation.config import not_utf8
from rotation.domain import Committee, Plan
from rotation.errors import PlanFileError
from rotation.formats import csv, json, markdown, xlsx
from rotation.formats.tables import read_table, role_names, unit_name

__all__ = ["MAX_PLAN_BYTES", "add_history", "read_plan", "read_plan_text"]


MAX_PLAN_BYTES = 5_000_000


def read_plan(path: str | Path, committee: Committee | None = None) -> Plan:
    """Read a planning file; the format follows from its content (JSON, iCalendar, Markdown, CSV, Excel).

    Tables need the committee to know its roles and units; with a committee,
    unit aliases and role names in any format are read as the committee's own.
    """
    from rotation.files import UnreadableFile, read_limited

    file = str(path)
    try:
        data = read_limited(path, limit=MAX_PLAN_BYTES, what="a planning file")
    except UnreadableFile as err:
        raise PlanFileError(str(err), file=file) from None
    return read_plan_text(data, committee, source=file)


def add_history(committee: Committee, path: str | Path) -> Committee:
    """`committee` with the meetings of the planning file at `path` added to its history.

    Every problem with those meetings raises `PlanFileError` naming that file
    and the meeting (by its date), not the committee file: a role the committee
    does not have (another committee's plan), a text it cannot hold.
    """
    from rotation.committee_check import check_committee
    from rotation.errors import ConfigError
    from rotation.i18n import format_date
    from rotation.replan import with_history

    file = str(path)
    plan = read_plan(path, committee)
    keys = committee.role_keys
    other = (
        f" This plan is of '{_printable(plan.committee_name)}', not of '{_printable(committee.name)}'."
        if plan.committee_name and plan.committee_name != committee.name
        else ""
    )
    for meeting in plan.meetings:
        unknown = [key for key in meeting.roles if key not in keys]
        if unknown:
            raise PlanFileError(
                f"the meeting of {format_date(meeting.date, committee.language)} has the role "
                f"'{_printable(unknown[0])}', which is not a role of this committee (roles: {', '.join(keys)}).{other}",
                file=file,
            )
    merged = with_history(committee, plan.meetings)
    known = {past.date for past in committee.history}
    try:
        check_committee(dataclasses.replace(merged, source=file))
    except ConfigError as err:
        match = re.match(r"history\[(\d+)\](?:\.(.+))?$", err.key or "")
        if match and int(match.group(1)) < len(merged.history):
            past = merged.history[int(match.group(1))]
            if past.date not in known:
                field = match.group(2)
                where = f"the meeting of {format_date(past.date, committee.language)}"
                where += f" ({field.replace('roles.', 'role ')})" if field else ""
                raise PlanFileError(f"{where}: {err.reason}{other}", file=file) from None
        raise PlanFileError(
            f"with the meetings of this plan as history, the committee's '{err.key}' no longer fits: "
            f"{err.reason}{other}",
            file=file,
        ) from None
    return merged


def _printable(text: str, limit: int = 80) -> str:
    from calendars.blackouts import printable

    return printable(text, limit)


def read_plan_text(data: bytes | str, committee: Committee | None = None, *, source: str = "<planning>") -> Plan:
    """Read a planning from its content; `source` names it in messages."""
    if isinstance(data, bytes) and data.startswith(xlsx.ZIP_MAGIC):
        rows = xlsx.read_rows(data, source)
        if committee is None:
            raise PlanFileError("a table needs the committee file to read its unit and role names.", file=source)
        return read_table(rows, committee, source)
    text = _decode(data, source) if isinstance(data, bytes) else data
    if "\x00" in text:
        raise PlanFileError("this is a binary file, not a planning.", file=source)
    stripped = text.lstrip()
    if not stripped:
        raise PlanFileError("the file is empty.", file=source)
    if _looks_like_committee(text):
        raise PlanFileError(
            "this is a committee file, not a planning; give it with --committee and the planning as the file to check.",
            file=source,
        )
    if stripped.startswith(("{", "[")):
        plan = json.read(text, source)
    elif stripped[:15].upper().startswith("BEGIN:VCALENDAR"):
        from rotation.formats.ics import read_overview_text

        plan = read_overview_text(text.encode("utf-8"), source=source)
    elif committee is None:
        raise PlanFileError("a table needs the committee file to read its unit and role names.", file=source)
    elif markdown.is_markdown(text):
        return read_table(markdown.read_rows(text, source), committee, source)
    else:
        return read_table(csv.read_rows(text, source), committee, source)
    return plan if committee is None else _in_committee_terms(plan, committee)


def _looks_like_committee(text: str) -> bool:
    """A TOML committee file: `name = ...` and a `units` list or `[[history]]` tables."""
    return bool(re.search(r"(?m)^\s*name\s*=", text)) and bool(
        re.search(r"(?m)^\s*(units\s*=|\[\[?(history|fixed|cadence|rotation)\b)", text)
    )


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data:
        raise PlanFileError("this is a binary file, not a planning.", file=source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        looks_structured = data.lstrip()[:1] in (b"{", b"[") or data.lstrip()[:15].upper().startswith(
            b"BEGIN:VCALENDAR"
        )
        if not looks_structured:
            try:  # a table saved by Excel on Windows
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
        line = data.count(b"\n", 0, err.start) + 1
        raise PlanFileError(not_utf8(data, err), file=source, line=line) from None


def _in_committee_terms(plan: Plan, committee: Committee) -> Plan:
    """The plan with role names as the committee's role keys and unit aliases as the units' names."""
    names = role_names(committee)
    meetings = []
    for meeting in plan.meetings:
        roles = {
            names.get(key.strip().casefold(), key): unit_name(committee, unit) for key, unit in meeting.roles.items()
        }
        pinned = tuple(dict.fromkeys(names.get(key.strip().casefold(), key) for key in meeting.pinned_roles))
        meetings.append(dataclasses.replace(meeting, roles=roles, pinned_roles=pinned))
    return dataclasses.replace(plan, meetings=tuple(meetings))
