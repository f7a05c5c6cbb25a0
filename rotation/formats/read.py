"""Reading a planning back: the JSON export, the year overview (.ics), or the CSV, Markdown and Excel tables.

The tables are read as this tool writes them (`rotation plan --format csv`,
``markdown`` or ``xlsx``) and as people edit them afterwards: unit aliases
("ZW Brabant", "LE"), Dutch (16-03-2023) or ISO (2023-03-16) dates, either language's column
names and modes, a semicolon as the separator (Excel in Dutch), a title line
above the table, a file saved by Excel as Windows-1252 instead of UTF-8.

What cannot be read at all raises `PlanFileError` naming the file, the line
and the value. What can be read but breaks a rule (a Friday, an unknown unit,
a missing role) is left for `rotation.planning_check.check_planning` to report.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

from rotation.config import MODE_NAMES, not_utf8, parse_any_date
from rotation.domain import Committee, FixedMeeting, IssuedMeeting, Meeting, MeetingIds, Mode, Plan
from rotation.errors import PlanFileError
from rotation.limits import FIRST_YEAR, LAST_YEAR

__all__ = ["MAX_PLAN_BYTES", "add_history", "read_plan", "read_plan_text"]

MAX_PLAN_BYTES = 5_000_000
MAX_CELL = 2_000
"""The longest cell a planning table may hold (a location or a note)."""

_COLUMN_NAMES = {
    "date": {"datum", "date", "dag", "day"},
    "mode": {"vorm", "mode", "mst/fysiek", "wijze", "mst / fysiek", "teams/fysiek"},
    "location": {"locatie", "location", "plaats", "place"},
    "title": {"bijzonderheden", "notes", "titel", "title", "opmerking", "opmerkingen"},
}
_HEADER_SEARCH = 5
"""Rows at the top of a table that may hold the header (a title line may come first)."""
_JSON_SCHEMAS = (1,)


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
    if isinstance(data, bytes) and data.startswith(_ZIP_MAGIC):
        rows = _xlsx_rows(data, source)
        if committee is None:
            raise PlanFileError("a table needs the committee file to read its unit and role names.", file=source)
        return _from_table(rows, committee, source)
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
        plan = _from_json(text, source)
    elif stripped[:15].upper().startswith("BEGIN:VCALENDAR"):
        from calendars.ics import read_overview_text

        plan = read_overview_text(text.encode("utf-8"), source=source)
    elif committee is None:
        raise PlanFileError("a table needs the committee file to read its unit and role names.", file=source)
    elif _is_markdown(text):
        return _from_table(_markdown_rows(text, source), committee, source)
    else:
        return _from_table(_csv_rows(text, source), committee, source)
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


# -- Excel workbook ------------------------------------------------------------------------------

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
MAX_XLSX_BYTES = 50_000_000
"""The most an Excel planning may hold when unpacked (a workbook of a few hundred meetings is far smaller)."""
MAX_XLSX_ROWS = 10_000
MAX_XLSX_COLUMNS = 100


def _xlsx_rows(data: bytes, source: str) -> list[tuple[int, list[str]]]:
    """The non-empty rows of the first sheet of an Excel workbook, as text, with their row numbers.

    A date cell gives its date in ISO form (2023-03-16); a date typed as text is
    left as written. A title row above the header is skipped by the table reader.
    """
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise PlanFileError(
            "this zip file (an Excel workbook?) is damaged; open it in Excel and save it again, "
            "or save the table as CSV.",
            file=source,
        ) from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        kind = (
            "a Word document"
            if "word/document.xml" in names
            else "a presentation"
            if "ppt/presentation.xml" in names
            else "an OpenDocument file"
            if "mimetype" in names
            else "a zip file"
        )
        raise PlanFileError(
            f"this is {kind}, not a planning; save the table as CSV (or as an Excel workbook, .xlsx).", file=source
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_XLSX_BYTES:
        raise PlanFileError(
            f"the workbook unpacks to {unpacked:,} bytes; a planning is at most {MAX_XLSX_BYTES:,} bytes.", file=source
        )
    try:
        import openpyxl
    except ImportError:
        raise PlanFileError(
            "reading an Excel workbook needs openpyxl: reinstall rotation, or save the planning as CSV.",
            file=source,
        ) from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # a damaged workbook: openpyxl raises many kinds of error
        raise PlanFileError(
            f"the Excel workbook cannot be read ({_shorten(str(err) or type(err).__name__)}); "
            "open it in Excel and save it again, or save the table as CSV.",
            file=source,
        ) from None
    try:
        if not workbook.worksheets:
            raise PlanFileError("the workbook has no sheets.", file=source)
        sheet = workbook.worksheets[0]
        rows: list[tuple[int, list[str]]] = []
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
                if number > MAX_XLSX_ROWS:
                    raise PlanFileError(
                        f"the first sheet has more than {MAX_XLSX_ROWS:,} rows; a planning has far fewer.",
                        file=source,
                    )
                cells = [_xlsx_cell(value) for value in values[:MAX_XLSX_COLUMNS]]
                if any(cell.strip() for cell in cells):
                    rows.append((number, cells))
        except PlanFileError:
            raise
        except Exception as err:  # a damaged sheet inside a readable workbook
            raise PlanFileError(
                f"the first sheet of the workbook cannot be read ({_shorten(str(err) or type(err).__name__)}); "
                "save the table as CSV.",
                file=source,
            ) from None
    finally:
        workbook.close()
    if not rows:
        raise PlanFileError("the first sheet of the workbook is empty.", file=source)
    return rows


def _xlsx_cell(value: object) -> str:
    """A cell of a workbook as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- JSON export ---------------------------------------------------------------------------------


def _from_json(text: str, source: str) -> Plan:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise PlanFileError(f"this is not valid JSON: {err.msg}.", file=source, line=err.lineno) from None
    except RecursionError:
        raise PlanFileError("this JSON is nested too deeply to be a planning export.", file=source) from None
    if not isinstance(data, dict) or not isinstance(data.get("meetings"), list):
        raise PlanFileError("this JSON is not a planning export: it has no list 'meetings'.", file=source)
    schema = data.get("schema", 1)
    if schema not in _JSON_SCHEMAS:
        raise PlanFileError(
            f"the export has schema {schema!r}; this version of rotation reads schema "
            f"{', '.join(map(str, _JSON_SCHEMAS))}.",
            file=source,
        )
    given = data.get("horizon")
    horizon: dict[str, Any] = given if isinstance(given, dict) else {}
    meetings = [_meeting_from_json(item, index, source) for index, item in enumerate(data["meetings"])]
    meetings.sort(key=lambda m: m.date)
    start = _json_date(horizon.get("start"), "horizon.start", source) if horizon.get("start") else None
    end = _json_date(horizon.get("end"), "horizon.end", source) if horizon.get("end") else None
    if start and end and end < start:
        raise PlanFileError(
            f"'horizon.end' ({end.isoformat()}) is before 'horizon.start' ({start.isoformat()}).", file=source
        )
    dates = [m.date for m in meetings]
    committee = data.get("committee", "")
    timezone = data.get("timezone", "Europe/Amsterdam")
    return Plan(
        committee_name=committee if isinstance(committee, str) else "",
        timezone=timezone if isinstance(timezone, str) else "Europe/Amsterdam",
        start=start or (min(dates) if dates else dt.date.min),
        end=end or (max(dates) if dates else dt.date.max),
        meetings=tuple(meetings),
        optimal=data.get("optimal") is True,
        issued=_issued_from_json(data.get("issued"), source),
        left=_left_from_json(data.get("left"), source),
        cancelled=_cancelled_from_json(data.get("cancelled"), source),
    )


def _cancelled_from_json(value: object, source: str) -> tuple[Meeting, ...]:
    """The meetings `rotation replan` cancelled (key `cancelled`); absent in most plans."""
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > 10_000:
        raise PlanFileError("'cancelled' is not a list of meetings.", file=source)
    meetings = [_meeting_from_json(item, index, source, "cancelled") for index, item in enumerate(value)]
    return tuple(sorted(meetings, key=lambda meeting: meeting.date))


def _left_from_json(value: object, source: str) -> tuple[tuple[str, dt.date], ...]:
    """The units that left while the plan ran (key `left`); absent in most plans."""
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > 1_000:
        raise PlanFileError("'left' is not a list of units that left, each with 'unit' and 'from'.", file=source)
    out = []
    for index, item in enumerate(value):
        unit = item.get("unit") if isinstance(item, dict) else None
        if not isinstance(unit, str) or not unit.strip() or len(unit) > 200:
            raise PlanFileError(f"'left[{index}].unit' is not a unit name: {_show(unit)}.", file=source)
        out.append((unit.strip(), _json_date(item.get("from"), f"left[{index}].from", source)))
    return tuple(sorted(set(out)))


def _issued_from_json(value: object, source: str) -> tuple[IssuedMeeting, ...]:
    """The record of what was issued (key `issued`); absent in plans that were never issued."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise PlanFileError("'issued' is not a list of issued meetings.", file=source)
    records = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        key = f"issued[{index}]"
        if not isinstance(item, dict):
            raise PlanFileError(f"'{key}' is not an object.", file=source)
        texts = {name: item.get(name) for name in ("id", "uid")}
        for name, text in texts.items():
            if not isinstance(text, str) or not text.strip():
                raise PlanFileError(f"'{key}.{name}' is not text: {_show(text)}.", file=source)
        sequence = item.get("sequence")
        if isinstance(sequence, bool) or not isinstance(sequence, int) or not 0 <= sequence < 1_000_000:
            raise PlanFileError(f"'{key}.sequence' is not a whole number from 0: {_show(sequence)}.", file=source)
        attendees = item.get("attendees", [])
        if not isinstance(attendees, list) or not all(
            isinstance(a, dict) and isinstance(a.get("name", ""), str) and isinstance(a.get("email"), str)
            for a in attendees
        ):
            raise PlanFileError(f"'{key}.attendees' is not a list of {{name, email}} objects.", file=source)
        shown = item.get("shown", {})
        if not isinstance(shown, dict) or not all(isinstance(v, str) for v in shown.values()):
            raise PlanFileError(f"'{key}.shown' is not an object of property names to text.", file=source)
        uid = str(texts["uid"])
        if uid in seen:
            raise PlanFileError(f"'{key}.uid' appears twice in 'issued': {_show(uid)}.", file=source)
        seen.add(uid)
        records.append(
            IssuedMeeting(
                id=str(texts["id"]),
                uid=uid,
                sequence=sequence,
                attendees=tuple((str(a.get("name", "")), str(a["email"])) for a in attendees),
                shown={str(k): v for k, v in shown.items()},
                cancelled=item.get("cancelled") is True,
            )
        )
    return tuple(records)


def _json_date(value: object, key: str, source: str) -> dt.date:
    day = parse_any_date(value) if isinstance(value, str) else None
    if day is None:
        raise PlanFileError(f"'{key}' is not a date such as 2023-03-16: {_show(value)}.", file=source)
    return _in_range(day, source, None)


def _in_range(day: dt.date, source: str, line: int | None) -> dt.date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PlanFileError(
            f"{day.isoformat()} is not a date this tool plans; use a year from {FIRST_YEAR} to {LAST_YEAR}.",
            file=source,
            line=line,
        )
    return day


def _json_time(value: object, key: str, source: str, default: dt.time) -> dt.time:
    if value is None:
        return default
    if isinstance(value, str):
        match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", value.strip())
        if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
            return dt.time(int(match.group(1)), int(match.group(2)))
    raise PlanFileError(f"'{key}' is not a time such as \"10:00\": {_show(value)}.", file=source)


def _mode(value: object, key: str, source: str) -> Mode:
    mode = MODE_NAMES.get(value.strip().casefold()) if isinstance(value, str) else None
    if mode is None:
        raise PlanFileError(f"'{key}' is not a mode (teams or physical): {_show(value)}.", file=source)
    return mode


def _meeting_from_json(item: Any, index: int, source: str, field: str = "meetings") -> Meeting:
    key = f"{field}[{index}]"
    if not isinstance(item, dict):
        raise PlanFileError(f"'{key}' is not an object.", file=source)
    day = _json_date(item.get("date"), f"{key}.date", source)
    roles = item.get("roles", {})
    if roles is None:
        roles = {}
    if not isinstance(roles, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in roles.items()):
        raise PlanFileError(f"'{key}.roles' is not an object of role names to unit names.", file=source)
    roles = {k: v.strip() for k, v in roles.items() if v.strip()}
    pinned = item.get("pinned_roles", [])
    if pinned is None:
        pinned = []
    if not isinstance(pinned, list) or not all(isinstance(p, str) for p in pinned):
        raise PlanFileError(f"'{key}.pinned_roles' is not a list of role names.", file=source)
    sequence = item.get("sequence", 0)
    if sequence is None:
        sequence = 0
    if isinstance(sequence, bool) or not isinstance(sequence, int) or not 0 <= sequence < 1_000_000:
        raise PlanFileError(f"'{key}.sequence' is not a whole number from 0: {_show(sequence)}.", file=source)
    location = item.get("location") or ""
    title = item.get("title")
    if not isinstance(location, str):
        raise PlanFileError(f"'{key}.location' is not text: {_show(location)}.", file=source)
    if title is not None and not isinstance(title, str):
        raise PlanFileError(f"'{key}.title' is not text: {_show(title)}.", file=source)
    identity = item.get("id")
    if isinstance(identity, bool) or not isinstance(identity, (str, int)) or not str(identity).strip():
        identity = f"{day.year}-{index + 1:02d}"
    return Meeting(
        id=str(identity).strip()[:200],
        date=day,
        start=_json_time(item.get("start"), f"{key}.start", source, dt.time(10, 0)),
        end=_json_time(item.get("end"), f"{key}.end", source, dt.time(12, 30)),
        mode=_mode(item.get("mode"), f"{key}.mode", source),
        location=location,
        roles=roles,
        fixed_date=item.get("fixed_date") is True,
        pinned_roles=tuple(pinned),
        title=title or None,
        sequence=sequence,
    )


def _role_names(committee: Committee) -> dict[str, str]:
    """Every way a role may be named (key, Dutch and English label), casefolded, to its key."""
    names: dict[str, str] = {}
    for role in committee.roles:
        for name in (role.key, role.label_nl, role.label_en, role.key.replace("_", "-"), role.key.replace("_", " ")):
            names.setdefault(name.strip().casefold(), role.key)
    return names


def _unit_name(committee: Committee, value: str) -> str:
    """The committee's own name for `value` (a name, short name or alias), or `value` as written."""
    try:
        return committee.unit(value).name
    except KeyError:
        return value


def _in_committee_terms(plan: Plan, committee: Committee) -> Plan:
    """The plan with role names as the committee's role keys and unit aliases as the units' names."""
    names = _role_names(committee)
    meetings = []
    for meeting in plan.meetings:
        roles = {
            names.get(key.strip().casefold(), key): _unit_name(committee, unit) for key, unit in meeting.roles.items()
        }
        pinned = tuple(dict.fromkeys(names.get(key.strip().casefold(), key) for key in meeting.pinned_roles))
        meetings.append(dataclasses.replace(meeting, roles=roles, pinned_roles=pinned))
    return dataclasses.replace(plan, meetings=tuple(meetings))


# -- tables -------------------------------------------------------------------------------------


def _is_markdown(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    if lines[0].startswith(("|", "#")):
        return True
    return any(re.fullmatch(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?", line) for line in lines[: _HEADER_SEARCH + 1])


def _csv_rows(text: str, source: str) -> list[tuple[int, list[str]]]:
    top = [line for line in text.splitlines() if line.strip()][: _HEADER_SEARCH + 1]
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


def _markdown_rows(text: str, source: str) -> list[tuple[int, list[str]]]:
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


def _header(table: list[tuple[int, list[str]]], committee: Committee, source: str) -> tuple[int, dict[str, int]]:
    """The index of the header row in `table` and the column of each field (date, mode, location, title, role keys)."""
    roles = _role_names(committee)
    for position, (line, row) in enumerate(table[:_HEADER_SEARCH]):
        wanted: dict[str, int] = {}
        for index, name in enumerate(row):
            written = _clean(name).strip().casefold()
            label = written.rstrip(":").strip()  # "Datum:" as some tables write it
            # a role's own name wins over the other words for a column ("Notes" may be a role)
            field = (
                roles.get(written)
                or roles.get(label)
                or next((key for key, names in _COLUMN_NAMES.items() if label in names), None)
            )
            if field is None:
                continue
            if field in wanted:
                raise PlanFileError(
                    f"the table has two columns for '{_clean(name)}' (columns {wanted[field] + 1} and {index + 1}).",
                    file=source,
                    line=line,
                )
            wanted[field] = index
        if "date" in wanted:
            return position, wanted
    line, row = table[0]
    found = ", ".join(f"'{_shorten(_clean(cell))}'" for cell in row[:12]) or "nothing"
    raise PlanFileError(
        f"the table has no date column (Datum or Date); its first row holds {found}.", file=source, line=line
    )


def _from_table(table: list[tuple[int, list[str]]], committee: Committee, source: str) -> Plan:
    if not table:
        raise PlanFileError("the table has no rows.", file=source)
    position, wanted = _header(table, committee, source)
    header_line, header = table[position]
    if "mode" not in wanted and committee.modes.alternate:
        raise PlanFileError(
            "the table has no column for the mode of the meetings (Vorm or Mode: MS Teams or Fysiek).",
            file=source,
            line=header_line,
        )
    rows = []
    for line, row in table[position + 1 :]:
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            raise PlanFileError(
                f"this row has {len(row)} cells, but the header has {len(header)}; "
                "a cell with the separator in it (a comma or semicolon) needs double quotes around it.",
                file=source,
                line=line,
            )
        cells = {key: _cell(row, index, source, line) for key, index in wanted.items()}
        day = parse_any_date(cells["date"])
        if day is None:
            raise PlanFileError(
                f"'{_shorten(cells['date'])}' is not a date (write 16-03-2023 or 2023-03-16).", file=source, line=line
            )
        rows.append((line, _in_range(day, source, line), cells))
    fixed_at = _fixed_meetings(committee, [day for _, day, _ in rows])
    meetings: list[Meeting] = []
    ids = MeetingIds(committee)
    for line, day, cells in rows:
        if "mode" in wanted:
            mode = MODE_NAMES.get(" ".join(cells["mode"].casefold().split()))
            if mode is None:
                raise PlanFileError(
                    f"'{_shorten(cells['mode'])}' is not a mode (MS Teams or Fysiek).", file=source, line=line
                )
        else:
            mode = committee.modes.first
        holders = {role: _unit_name(committee, cells[role]) for role in committee.role_keys if cells.get(role)}
        fixed = fixed_at.get(day)
        meetings.append(
            Meeting(
                id=ids.next(day, fixed),
                date=day,
                start=committee.cadence.start,
                end=committee.cadence.end,
                mode=mode,
                location=cells.get("location", ""),
                roles=holders,
                fixed_date=fixed is not None and fixed.date == day,
                pinned_roles=tuple(fixed.roles) if fixed else (),
                title=cells.get("title") or (fixed.title if fixed else None),
            )
        )
    if not meetings:
        raise PlanFileError("the table has a header but no meetings.", file=source, line=header_line)
    dates = [m.date for m in meetings]
    last = committee.history[-1].date if committee.history and committee.history[-1].date < min(dates) else None
    return Plan(
        committee_name=committee.name,
        timezone=committee.cadence.timezone,
        start=last + dt.timedelta(days=1) if last else min(dates),
        end=max(dates),
        meetings=tuple(meetings),
        optimal=False,
    )


def _cell(row: list[str], index: int, source: str, line: int) -> str:
    value = _clean(row[index]) if index < len(row) else ""
    if len(value) > MAX_CELL:
        raise PlanFileError(
            f"a cell has {len(value):,} characters; at most {MAX_CELL:,} are allowed.", file=source, line=line
        )
    return value


def _fixed_meetings(committee: Committee, dates: list[dt.date]) -> dict[dt.date, FixedMeeting]:
    """The fixed meeting each row stands for: the one on its date, or one moved by a few days by mistake.

    A fixed meeting whose date is not in the table, with exactly one row less
    than a week from it, is taken to be that row (17-03-2023 written for the
    fixed meeting of 16-03-2023), so that its pinned roles are honoured; the
    check still reports the date.
    """
    present = set(dates)
    out = {fixed.date: fixed for fixed in committee.fixed if fixed.date in present}
    for fixed in committee.fixed:
        if fixed.date in present:
            continue
        near = sorted({day for day in present if abs((day - fixed.date).days) <= 6})
        if len(near) == 1 and near[0] not in out:
            out[near[0]] = fixed
    return out


def _clean(cell: str) -> str:
    """A cell as written, without the quote that keeps a spreadsheet from running it as a formula."""
    value = cell.strip()
    if value.startswith("'") and value[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        value = value[1:]
    return value


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _show(value: object) -> str:
    return _shorten(repr(value))
