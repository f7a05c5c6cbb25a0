"""The planning as a table of text: the columns every table format shares, the terminal table, and the table reader.

The writers of the terminal table, Markdown and CSV take their header and rows
from `columns` and `rows`. The readers of CSV, Markdown and Excel hand their rows
to `read_table`, which finds the header (in either language, with a title line
above it), reads unit aliases and either date form, and makes the plan.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from rotation.config import MODE_NAMES, parse_any_date
from rotation.domain import Committee, FixedMeeting, Meeting, MeetingIds, Plan
from rotation.errors import PlanFileError
from rotation.formats.spreadsheet import restore
from rotation.formats.values import in_range, shorten
from rotation.i18n import format_date, mode_label, text
from rotation.messages import gettext

__all__ = [
    "COLUMN_NAMES",
    "HEADER_SEARCH",
    "MAX_CELL",
    "columns",
    "csv_columns",
    "csv_rows",
    "fixed_meetings",
    "read_table",
    "role_names",
    "rows",
    "time_text",
    "to_table",
    "unit_name",
    "weekday_text",
]


def columns(committee: Committee, language: str | None = None) -> list[str]:
    """Column headings of the table and Markdown: date, time, mode, location, then one column per role.

    The time column is left out when a role is called like it (the table is read back by its headings).
    """
    language = language or committee.language
    return [text("date", language), *_free(committee, language, "table.time"), *_base(committee, language)[1:]]


def csv_columns(committee: Committee, language: str | None = None) -> list[str]:
    """Column headings of the CSV: date, weekday, start, end, mode, location, then one column per role.

    The date stays a plain date and each time a plain time, so that a spreadsheet or a script reads them as such.
    """
    language = language or committee.language
    weekday, times = _csv_extras(committee, language)
    base = _base(committee, language)
    return [base[0], *weekday, *times, *base[1:]]


def _csv_extras(committee: Committee, language: str) -> tuple[list[str], list[str]]:
    return _free(committee, language, "table.weekday"), _free(committee, language, "table.start", "table.end")


def _base(committee: Committee, language: str) -> list[str]:
    roles = [_capital(role.label(language)) for role in committee.roles]
    return [text("date", language), text("mode", language), text("location", language), *roles]


def _free(committee: Committee, language: str, *words: str) -> list[str]:
    """The headings of the messages `words` in `language`, or none of them when a role is called like one of them."""
    labels = {role.label(language).strip().casefold() for role in committee.roles}
    headings = [gettext(language, word) for word in words]
    return [] if any(heading.casefold() in labels for heading in headings) else headings


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def weekday_text(day: dt.date, language: str) -> str:
    """The short weekday: ``do`` in Dutch, ``Thu`` in English."""
    return gettext(language, f"weekday.short.{day.weekday()}")


def time_text(meeting: Meeting) -> str:
    """``10:00–12:30``."""
    return f"{meeting.start:%H:%M}\u2013{meeting.end:%H:%M}"


def rows(committee: Committee, plan: Plan, language: str | None = None) -> list[list[str]]:
    """One row per meeting, as text, in the order of `columns` (``do 16-03-2023``, ``10:00–12:30``, ...)."""
    language = language or committee.language
    with_time = bool(_free(committee, language, "table.time"))
    out = []
    for meeting in plan.meetings:
        row = [f"{weekday_text(meeting.date, language)} {format_date(meeting.date, language)}"]
        row += [time_text(meeting)] if with_time else []
        out.append([*row, *_rest(committee, meeting, language)])
    return out


def csv_rows(committee: Committee, plan: Plan, language: str | None = None) -> list[list[str]]:
    """One row per meeting, as text, in the order of `csv_columns` (``16-03-2023``, ``do``, ``10:00``, ``12:30``)."""
    language = language or committee.language
    weekday, times = _csv_extras(committee, language)
    out = []
    for meeting in plan.meetings:
        row = [format_date(meeting.date, language)]
        row += [weekday_text(meeting.date, language)] if weekday else []
        row += [f"{meeting.start:%H:%M}", f"{meeting.end:%H:%M}"] if times else []
        out.append([*row, *_rest(committee, meeting, language)])
    return out


def _rest(committee: Committee, meeting: Meeting, language: str) -> list[str]:
    """Mode, location and the holder of each role."""
    row = [mode_label(meeting.mode, language), _one_line(meeting.location)]
    row.extend(_one_line(meeting.roles.get(role.key, "")) for role in committee.roles)
    return row


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


# -- reading -----------------------------------------------------------------------------------------


MAX_CELL = 2_000
"""The longest cell a planning table may hold (a location or a note)."""


COLUMN_NAMES = {
    "date": {"datum", "date", "dag", "day"},
    "time": {"tijd", "time", "tijdstip"},
    "start": {"begin", "start", "aanvang", "begintijd", "start time"},
    "end": {"einde", "end", "eind", "eindtijd", "end time"},
    "mode": {"vorm", "mode", "mst/fysiek", "wijze", "mst / fysiek", "teams/fysiek"},
    "location": {"locatie", "location", "plaats", "place"},
    "title": {"bijzonderheden", "notes", "titel", "title", "opmerking", "opmerkingen"},
}
"""The headings the reader knows for each column that is not a role, casefolded."""
_CLOCK = r"(\d{1,2})[:.](\d{2})(?::\d{2})?"
_WHEN = re.compile(
    r"(?:[^\W\d_]{2,12}\.?,?\s+)?"  # a weekday written before the date: do, Thu, donderdag
    r"(?P<date>\S+(?:\s+[^\W\d_]+\.?\s+\d{4})?)"  # 16-03-2023, 2023-03-16 or 16 maart 2023
    rf"(?:\s+(?P<time>{_CLOCK}(?:\s*[-\u2013\u2014]\s*{_CLOCK})?))?"  # a time after it: 10:00–12:30
)


HEADER_SEARCH = 5
"""Rows at the top of a table that may hold the header (a title line may come first)."""


def role_names(committee: Committee) -> dict[str, str]:
    """Every way a role may be named (key, Dutch and English label), casefolded, to its key."""
    names: dict[str, str] = {}
    for role in committee.roles:
        for name in (role.key, role.label_nl, role.label_en, role.key.replace("_", "-"), role.key.replace("_", " ")):
            names.setdefault(name.strip().casefold(), role.key)
    return names


def unit_name(committee: Committee, value: str) -> str:
    """The committee's own name for `value` (a name, short name or alias), or `value` as written."""
    try:
        return committee.unit(value).name
    except KeyError:
        return value


def _header(table: list[tuple[int, list[str]]], committee: Committee, source: str) -> tuple[int, dict[str, int]]:
    """The index of the header row in `table` and the column of each field (date, mode, location, title, role keys)."""
    roles = role_names(committee)
    for position, (line, row) in enumerate(table[:HEADER_SEARCH]):
        wanted: dict[str, int] = {}
        for index, name in enumerate(row):
            written = restore(name).strip().casefold()
            label = written.rstrip(":").strip()  # "Datum:" as some tables write it
            # a role's own name wins over the other words for a column ("Notes" may be a role)
            field = (
                roles.get(written)
                or roles.get(label)
                or next((key for key, names in COLUMN_NAMES.items() if label in names), None)
            )
            if field is None:
                continue
            if field in wanted:
                raise PlanFileError(
                    f"the table has two columns for '{restore(name)}' (columns {wanted[field] + 1} and {index + 1}).",
                    file=source,
                    line=line,
                )
            wanted[field] = index
        if "date" in wanted:
            return position, wanted
    line, row = table[0]
    found = ", ".join(f"'{shorten(restore(cell))}'" for cell in row[:12]) or "nothing"
    raise PlanFileError(
        f"the table has no date column (Datum or Date); its first row holds {found}.", file=source, line=line
    )


def read_table(table: list[tuple[int, list[str]]], committee: Committee, source: str) -> Plan:
    """The plan in the rows of a table (each with its line or row number), read in the terms of `committee`."""
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
        day, written_time = _when(cells["date"])
        if day is None:
            raise PlanFileError(
                f"'{shorten(cells['date'])}' is not a date (write 16-03-2023 or 2023-03-16).", file=source, line=line
            )
        if written_time and not cells.get("time"):
            cells["time"] = written_time
        rows.append((line, in_range(day, source, line), cells))
    fixed_at = fixed_meetings(committee, [day for _, day, _ in rows])
    meetings: list[Meeting] = []
    ids = MeetingIds(committee)
    for line, day, cells in rows:
        start, end = _times(committee, cells, source, line)
        if "mode" in wanted:
            mode = MODE_NAMES.get(" ".join(cells["mode"].casefold().split()))
            if mode is None:
                raise PlanFileError(
                    f"'{shorten(cells['mode'])}' is not a mode (MS Teams or Fysiek).", file=source, line=line
                )
        else:
            mode = committee.modes.first
        holders = {role: unit_name(committee, cells[role]) for role in committee.role_keys if cells.get(role)}
        fixed = fixed_at.get(day)
        meetings.append(
            Meeting(
                id=ids.next(day, fixed),
                date=day,
                start=start,
                end=end,
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


def _when(cell: str) -> tuple[dt.date | None, str]:
    """The date in a date cell, and the time written after it (``do 16-03-2023 10:00–12:30``), if any."""
    written = " ".join(cell.replace("\u00a0", " ").split())
    day = parse_any_date(written)
    if day is not None:
        return day, ""
    match = _WHEN.fullmatch(written)
    if match is None:
        return None, ""
    return parse_any_date(match.group("date")), match.group("time") or ""


def _times(committee: Committee, cells: dict[str, str], source: str, line: int) -> tuple[dt.time, dt.time]:
    """A meeting's start and end: from the time column (``10:00–12:30``) or the start and end columns, else the
    committee's own times."""
    start, end = committee.cadence.start, committee.cadence.end
    if cells.get("time"):
        match = re.fullmatch(rf"{_CLOCK}(?:\s*[-\u2013\u2014]\s*{_CLOCK})?", cells["time"].strip())
        if match is None:
            raise PlanFileError(
                f"'{shorten(cells['time'])}' is not a time (write 10:00–12:30 or 10:00).", file=source, line=line
            )
        start = _clock(match.group(1), match.group(2), cells["time"], source, line)
        if match.group(3):
            end = _clock(match.group(3), match.group(4), cells["time"], source, line)
    for key in ("start", "end"):
        if cells.get(key):
            match = re.fullmatch(_CLOCK, cells[key].strip())
            if match is None:
                raise PlanFileError(f"'{shorten(cells[key])}' is not a time (write 10:00).", file=source, line=line)
            moment = _clock(match.group(1), match.group(2), cells[key], source, line)
            start, end = (moment, end) if key == "start" else (start, moment)
    if end <= start:
        raise PlanFileError(f"the meeting ends ({end:%H:%M}) before it starts ({start:%H:%M}).", file=source, line=line)
    return start, end


def _clock(hours: str, minutes: str, written: str, source: str, line: int) -> dt.time:
    if int(hours) > 23 or int(minutes) > 59:
        raise PlanFileError(f"'{shorten(written)}' is not a time of day.", file=source, line=line)
    return dt.time(int(hours), int(minutes))


def _cell(row: list[str], index: int, source: str, line: int) -> str:
    value = restore(row[index]) if index < len(row) else ""
    if len(value) > MAX_CELL:
        raise PlanFileError(
            f"a cell has {len(value):,} characters; at most {MAX_CELL:,} are allowed.", file=source, line=line
        )
    return value


def fixed_meetings(committee: Committee, dates: list[dt.date]) -> dict[dt.date, FixedMeeting]:
    """The fixed meeting each row stands for: the one on its date, or one moved by a few days by mistake.

    A fixed meeting whose date is not in the table, with exactly one row less
    than a week from it, is taken to be that row (17-03-2023 written for the
    fixed meeting of 16-03-2023), so that its pinned roles are honoured; the
    check still reports the date.
    """
    present = set(dates)
    out = {fixed.date: fixed for fixed in committee.fixed if fixed.date in present}
    for fixed, day in committee.fixed_moved(present):
        out.setdefault(day, fixed)
    return out
