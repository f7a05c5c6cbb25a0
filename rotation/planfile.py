"""Reading a planning back: the JSON export, or the CSV and Markdown tables as this tool writes them.

Hand-edited files are welcome: unit aliases ("ZW Brabant", "LE"), Dutch or
ISO dates and either language's column names and modes are understood. What
cannot be read raises `PlanFileError` naming the file, the line and the value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

from rotation.config import MODE_NAMES, parse_date
from rotation.domain import Committee, Meeting, Mode, Plan
from rotation.errors import PlanFileError

__all__ = ["MAX_PLAN_BYTES", "read_plan", "read_plan_text"]

MAX_PLAN_BYTES = 5_000_000

_COLUMN_NAMES = {
    "date": {"datum", "date"},
    "mode": {"vorm", "mode", "mst/fysiek", "wijze"},
    "location": {"locatie", "location", "plaats"},
}


def read_plan(path: str | Path, committee: Committee | None = None) -> Plan:
    """Read a planning file; the format follows from its content (JSON, CSV, Markdown, iCalendar)."""
    path = Path(path)
    file = str(path)
    try:
        if path.is_dir():
            raise PlanFileError("this is a folder, not a planning file.", file=file)
        size = path.stat().st_size
        if size > MAX_PLAN_BYTES:
            raise PlanFileError(f"the file is {size:,} bytes; a planning file is at most {MAX_PLAN_BYTES:,} bytes.", file=file)
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlanFileError("the file does not exist.", file=file) from None
    except OSError as err:
        raise PlanFileError(f"the file cannot be read ({err.strerror}).", file=file) from None
    return read_plan_text(data, committee, source=file)


def read_plan_text(data: bytes | str, committee: Committee | None = None, *, source: str = "<planning>") -> Plan:
    """Read a planning from its text."""
    if isinstance(data, bytes):
        if b"\x00" in data:
            raise PlanFileError("this is a binary file, not a planning.", file=source)
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise PlanFileError(f"the file is not UTF-8 text (byte {err.start} cannot be read).", file=source) from None
    text = data
    stripped = text.lstrip()
    if not stripped:
        raise PlanFileError("the file is empty.", file=source)
    if stripped.startswith("{"):
        return _from_json(text, source)
    if stripped.startswith("BEGIN:VCALENDAR"):
        from calendars.ics import read_overview_text

        return read_overview_text(text.encode("utf-8"), source=source)
    if committee is None:
        raise PlanFileError("a table needs the committee file to read its unit and role names.", file=source)
    if stripped.startswith("|"):
        return _from_table(_markdown_rows(text, source), committee, source)
    return _from_table(_csv_rows(text, source), committee, source)


def _from_json(text: str, source: str) -> Plan:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise PlanFileError(f"this is not valid JSON: {err.msg}.", file=source, line=err.lineno) from None
    if not isinstance(data, dict) or not isinstance(data.get("meetings"), list):
        raise PlanFileError("this JSON is not a planning export: it has no list 'meetings'.", file=source)
    horizon = data.get("horizon") if isinstance(data.get("horizon"), dict) else {}
    meetings = [_meeting_from_json(item, index, source) for index, item in enumerate(data["meetings"])]
    meetings.sort(key=lambda m: m.date)
    start = _json_date(horizon.get("start"), "horizon.start", source) if horizon.get("start") else None
    end = _json_date(horizon.get("end"), "horizon.end", source) if horizon.get("end") else None
    dates = [m.date for m in meetings]
    return Plan(
        committee=str(data.get("committee", "")),
        timezone=str(data.get("timezone", "Europe/Amsterdam")),
        start=start or (min(dates) if dates else dt.date.min),
        end=end or (max(dates) if dates else dt.date.max),
        meetings=tuple(meetings),
        optimal=bool(data.get("optimal", False)),
    )


def _json_date(value: object, key: str, source: str) -> dt.date:
    day = parse_date(value) if isinstance(value, str) else None
    if day is None:
        raise PlanFileError(f"'{key}' is not a date: {value!r}.", file=source)
    return day


def _json_time(value: object, key: str, source: str, default: dt.time) -> dt.time:
    if value is None:
        return default
    if isinstance(value, str):
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip())
        if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
            return dt.time(int(match.group(1)), int(match.group(2)))
    raise PlanFileError(f"'{key}' is not a time such as \"10:00\": {value!r}.", file=source)


def _mode(value: object, key: str, source: str) -> Mode:
    mode = MODE_NAMES.get(value.strip().casefold()) if isinstance(value, str) else None
    if mode is None:
        raise PlanFileError(f"'{key}' is not a mode (teams or physical): {value!r}.", file=source)
    return mode


def _meeting_from_json(item: Any, index: int, source: str) -> Meeting:
    key = f"meetings[{index}]"
    if not isinstance(item, dict):
        raise PlanFileError(f"'{key}' is not an object.", file=source)
    day = _json_date(item.get("date"), f"{key}.date", source)
    roles = item.get("roles", {})
    if not isinstance(roles, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in roles.items()):
        raise PlanFileError(f"'{key}.roles' is not an object of role names to unit names.", file=source)
    pinned = item.get("pinned_roles", [])
    if not isinstance(pinned, list) or not all(isinstance(p, str) for p in pinned):
        raise PlanFileError(f"'{key}.pinned_roles' is not a list of role names.", file=source)
    sequence = item.get("sequence", 0)
    if isinstance(sequence, bool) or not isinstance(sequence, int) or not 0 <= sequence < 1_000_000:
        raise PlanFileError(f"'{key}.sequence' is not a whole number from 0: {sequence!r}.", file=source)
    location = item.get("location") or ""
    title = item.get("title")
    if not isinstance(location, str) or (title is not None and not isinstance(title, str)):
        raise PlanFileError(f"'{key}.location' and '{key}.title' must be text.", file=source)
    identity = item.get("id")
    return Meeting(
        id=str(identity) if isinstance(identity, (str, int)) and str(identity) else f"{day.year}-{index + 1:02d}",
        date=day,
        start=_json_time(item.get("start"), f"{key}.start", source, dt.time(10, 0)),
        end=_json_time(item.get("end"), f"{key}.end", source, dt.time(12, 30)),
        mode=_mode(item.get("mode"), f"{key}.mode", source),
        location=location,
        roles=dict(roles),
        fixed_date=bool(item.get("fixed_date", False)),
        pinned_roles=tuple(pinned),
        title=title,
        sequence=sequence,
    )


def _csv_rows(text: str, source: str) -> list[tuple[int, list[str]]]:
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as err:
        raise PlanFileError(f"this is not a readable CSV table: {err}.", file=source, line=reader.line_num) from None


def _markdown_rows(text: str, source: str) -> list[tuple[int, list[str]]]:
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line.startswith("|"):
            if line:
                raise PlanFileError("every line of a Markdown table starts with '|'.", file=source, line=number)
            continue
        cells = [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line.strip("|"))]
        if all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells if cell):
            continue
        out.append((number, cells))
    return out


def _from_table(table: list[tuple[int, list[str]]], committee: Committee, source: str) -> Plan:
    if not table:
        raise PlanFileError("the table has no rows.", file=source)
    header_line, header = table[0]
    wanted: dict[str, int] = {}
    roles = {
        name.casefold(): role.key
        for role in committee.roles
        for name in (role.key, role.label_nl, role.label_en, role.key.replace("_", "-"))
    }
    for index, name in enumerate(header):
        label = name.strip().removeprefix("'").casefold()
        for key, names in _COLUMN_NAMES.items():
            if label in names:
                wanted[key] = index
        if label in roles:
            wanted[roles[label]] = index
    if "date" not in wanted:
        raise PlanFileError(f"the table has no date column (found: {', '.join(header)}).", file=source, line=header_line)
    meetings = []
    per_year: dict[int, int] = {}
    for past in committee.history:
        per_year[past.date.year] = per_year.get(past.date.year, 0) + 1
    for line, row in table[1:]:
        def cell(key: str, row: list[str] = row) -> str:
            index = wanted.get(key)
            value = row[index] if index is not None and index < len(row) else ""
            return value.strip().removeprefix("'")

        day = parse_date(cell("date"))
        if day is None:
            raise PlanFileError(f"'{cell('date')}' is not a date (use 16-03-2023 or 2023-03-16).", file=source, line=line)
        mode_text = cell("mode")
        mode = MODE_NAMES.get(mode_text.casefold()) if mode_text else None
        if mode is None:
            raise PlanFileError(f"'{mode_text}' is not a mode (MS Teams or Fysiek).", file=source, line=line)
        holders = {}
        for role in committee.role_keys:
            value = cell(role)
            if value:
                try:
                    holders[role] = committee.unit(value).name
                except KeyError:
                    holders[role] = value
        fixed = next((f for f in committee.fixed if f.date == day), None)
        per_year[day.year] = per_year.get(day.year, 0) + 1
        meetings.append(
            Meeting(
                id=(fixed.id if fixed and fixed.id else None) or f"{day.year}-{per_year[day.year]:02d}",
                date=day,
                start=committee.cadence.start,
                end=committee.cadence.end,
                mode=mode,
                location=cell("location"),
                roles=holders,
                fixed_date=fixed is not None,
                pinned_roles=tuple(fixed.roles) if fixed else (),
                title=fixed.title if fixed else None,
            )
        )
    if not meetings:
        raise PlanFileError("the table has a header but no meetings.", file=source)
    dates = [m.date for m in meetings]
    last = committee.history[-1].date if committee.history and committee.history[-1].date < min(dates) else None
    return Plan(
        committee=committee.name,
        timezone=committee.cadence.timezone,
        start=last + dt.timedelta(days=1) if last else min(dates),
        end=max(dates),
        meetings=tuple(meetings),
        optimal=False,
    )
