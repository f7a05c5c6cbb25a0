"""Reading a committee file (TOML) into a `Committee`.

The reader only reads: it knows the keys and the type of each value, turns
names, dates, times and modes into the committee's own, and remembers where
each part is written. Whether the committee can work (ranges, names that must
match, the fixed meetings' dates...) is for `rotation.committee_check`, which
the reader hands the committee to. Every problem is reported as a
`ConfigError` naming the file, the key and, where it can be found, the line,
with what is wrong in a full sentence.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from rotation.domain import (
    Blackout,
    BlackoutRules,
    Cadence,
    Chain,
    Committee,
    FixedMeeting,
    Invites,
    Mode,
    Modes,
    PastMeeting,
    Person,
    Role,
    Unit,
    normalise_name,
)
from rotation.errors import ConfigError
from rotation.limits import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    MAX_LIST,
    MAX_NAME,
    MAX_TEXT,
    MULTI_LINE,
    text_problem,
)
from rotation.limits import kind_name as _kind_name
from rotation.limits import show as _show

__all__ = [
    "example_text",
    "load",
    "loads",
    "not_utf8",
    "parse_any_date",
    "parse_date",
]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MODE_NAMES = {
    "teams": Mode.TEAMS,
    "mst": Mode.TEAMS,
    "ms teams": Mode.TEAMS,
    "online": Mode.TEAMS,
    "physical": Mode.PHYSICAL,
    "fysiek": Mode.PHYSICAL,
}

T = TypeVar("T")
D = TypeVar("D")
M = TypeVar("M", FixedMeeting, PastMeeting)


def example_text() -> str:
    """The built-in example committee file."""
    return resources.files("rotation").joinpath("example/committee.toml").read_text("utf-8")


def load(path: str | Path) -> Committee:
    """Read a committee file.

    >>> committee = load("committee.toml")  # doctest: +SKIP
    """
    from rotation.files import UnreadableFile, read_limited

    file = str(path)
    try:
        data = read_limited(path, limit=MAX_FILE_BYTES, what="a committee file")
    except UnreadableFile as err:
        raise ConfigError(str(err), file=file) from None
    return loads(data, source=file)


def loads(text: str | bytes, *, source: str = "<committee>") -> Committee:
    """Read a committee from the text of a committee file."""
    if isinstance(text, bytes):
        if text.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            raise ConfigError(_not_a_committee("a zip file, such as an Excel planning"), file=source)
        if b"\x00" in text:
            raise ConfigError("this is a binary file, not a TOML committee file.", file=source)
        data = text
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ConfigError(not_utf8(data, err), file=source, line=data.count(b"\n", 0, err.start) + 1) from None
    if not text.strip():
        raise ConfigError(
            "the file is empty; `rotation example` prints a committee file to start from.",
            file=source,
        )
    kind = _planning_kind(text)
    if kind is not None:
        raise ConfigError(_not_a_committee(f"a planning ({kind})"), file=source)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line = _toml_line(err, text)
        raise ConfigError(_toml_message(err, text, line), file=source, line=line) from None
    except RecursionError:
        raise ConfigError("the file nests lists or tables too deeply to be a committee file.", file=source) from None
    return _Reader(raw, source=source, text=text).committee()


def _toml_line(err: tomllib.TOMLDecodeError, text: str = "") -> int | None:
    line = getattr(err, "lineno", None)
    if isinstance(line, int):
        return line
    match = re.search(r"line (\d+)", str(err))
    if match:
        return int(match.group(1))
    if "end of document" in str(err) and text:
        return len(text.splitlines()) or 1
    return None


def _toml_message(err: tomllib.TOMLDecodeError, text: str = "", line: int | None = None) -> str:
    written = text.splitlines()[line - 1] if line is not None and 0 < line <= len(text.splitlines()) else ""
    value = written.split("=", 1)[1].split("#", 1)[0].strip() if "=" in written else ""
    date = re.search(r"(?<![\d\"'])(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?![\d\"'])", value)
    if date:
        day, month, year = date.groups()
        return (
            f"{date.group(0)} is not a date TOML can read: dates are written "
            f'{year}-{int(month):02d}-{int(day):02d} (year, month, day), or as text in quotes, "{date.group(0)}".'
        )
    message = getattr(err, "msg", None) or re.sub(r"\s*\(at line.*\)$", "", str(err))
    return f"this is not valid TOML: {message}."


def _planning_kind(text: str) -> str | None:
    """The format of a planning, when `text` is one rather than a committee file."""
    head = text.lstrip()
    if head[:15].upper().startswith("BEGIN:VCALENDAR"):
        return "iCalendar, .ics"
    if head.startswith("{") and '"meetings"' in head:
        return "JSON"
    first = head.split("\n", 1)[0].strip().casefold()
    if "=" in first:
        return None
    words = set(re.split(r"\s*[|,;\t]\s*", first.strip("|").strip()))
    if words & {"datum", "date"} and words & {"vorm", "mode", "locatie", "location"}:
        return "Markdown" if head.startswith("|") else "CSV"
    return None


def _not_a_committee(kind: str) -> str:
    return (
        f"this looks like {kind}, not a committee file; the committee file is the TOML file "
        "that `rotation example` writes (give a planning to `rotation check`, or with --history)."
    )


class _Table:
    """A TOML table with the path to it, that remembers which keys were read."""

    def __init__(self, reader: _Reader, data: Mapping[str, Any], path: str) -> None:
        self.reader = reader
        self.data = data
        self.path = path

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, message: str) -> ConfigError:
        return self.reader.fail(self.key(name), message)

    def check_keys(self, allowed: tuple[str, ...]) -> None:
        for name in self.data:
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                known = ", ".join(allowed)
                raise self.fail(name, f"'{name}' is not a known key here (known: {known}).{hint}")

    def get(self, name: str, kind: type[T], default: D) -> T | D:
        if name not in self.data:
            return default
        return self.require(name, kind)

    def require(self, name: str, kind: type[T]) -> T:
        if name not in self.data:
            raise self.fail(name, "this key is required.")
        value = self.data[name]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            raise self.fail(name, f"expected {_kind_name(kind)}, found {_kind_name(type(value))} {_show(value)}.")
        if isinstance(value, str):
            limit = MAX_TEXT if name in MULTI_LINE or name == "teams_link" else MAX_NAME
            problem = text_problem(value, limit=limit, multi_line=name in MULTI_LINE)
            if problem:
                raise self.fail(name, problem)
        if isinstance(value, list) and len(value) > MAX_ENTRIES.get(name, MAX_LIST):
            limit = MAX_ENTRIES.get(name, MAX_LIST)
            raise self.fail(name, f"the list has {len(value):,} entries; at most {limit:,} are allowed.")
        return value

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.get(name, str, default)
        if value is not None and not value.strip():
            raise self.fail(name, "the text is empty.")
        return value.strip() if value is not None else None

    def table(self, name: str) -> _Table:
        value = self.get(name, dict, {})
        return _Table(self.reader, value, self.key(name))

    def tables(self, name: str) -> list[_Table]:
        value = self.get(name, list, [])
        out = []
        for index, item in enumerate(value):
            path = f"{self.key(name)}[{index}]"
            if not isinstance(item, dict):
                raise self.reader.fail(path, f"expected a table, found {_kind_name(type(item))} {_show(item)}.")
            out.append(_Table(self.reader, item, path))
        return out

    def date(self, name: str, default: dt.date | None = None) -> dt.date | None:
        if name not in self.data:
            return default
        return self.reader.to_date(self.data[name], self.key(name))

    def dates(self, name: str) -> tuple[dt.date, ...]:
        values = self.get(name, list, [])
        return tuple(self.reader.to_date(value, f"{self.key(name)}[{index}]") for index, value in enumerate(values))

    def strings(self, name: str) -> tuple[str, ...]:
        values = self.get(name, list, [])
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                raise self.reader.fail(f"{self.key(name)}[{index}]", f"expected a name, found {_show(value)}.")
            problem = text_problem(value, limit=MAX_NAME, multi_line=False)
            if problem:
                raise self.reader.fail(f"{self.key(name)}[{index}]", problem)
        return tuple(value.strip() for value in values)


class _Reader:
    def __init__(self, raw: Mapping[str, Any], *, source: str, text: str) -> None:
        self.root = _Table(self, raw, "")
        self.source = source
        self.lines = text.splitlines()
        self.units: tuple[Unit, ...] = ()
        self.written: dict[str, str] = {}
        """Where a part of the committee is written in the file, by its key in the committee, where the two differ
        (the fixed meetings and the history are sorted by date, a unit's periods are among its dates)."""

    # -- messages ---------------------------------------------------------

    def fail(self, key: str, message: str) -> ConfigError:
        """The error for `key`, a key of the file or of the committee (the validator's), named as written."""
        key = self._written_key(key)
        return ConfigError(message, file=self.source, key=key, line=self._line_of(key))

    def _written_key(self, key: str) -> str:
        """`key` as written in the file: the longest part of it that the reader wrote elsewhere, moved there."""
        ends = [match.start() for match in re.finditer(r"[.\[]", key) if match.start() > 0] + [len(key)]
        for end in reversed(ends):
            written = self.written.get(key[:end])
            if written is not None:
                return written + key[end:]
        return key

    def _line_of(self, key: str) -> int | None:
        """The line where `key` is written, where it can be found unambiguously."""
        parts = [part for part in re.split(r"\.|\[\d+\]", key) if part]
        if not parts:
            return None
        last = parts[-1]
        assignment = re.compile(rf"(^|[{{,\s]){re.escape(last)}\s*=")
        header = re.compile(rf"^\s*\[\[?\s*([\w\"-]+\.)*{re.escape(last)}\s*\]\]?\s*(#.*)?$")
        hits = [
            number
            for number, line in enumerate(self.lines, 1)
            if not line.lstrip().startswith("#") and (assignment.search(line) or header.search(line))
        ]
        if len(hits) == 1:
            return hits[0]
        index = re.findall(r"\[(\d+)\]", key)
        if not index or len(parts) < 2:
            return None
        array = key.split("[", 1)[0].split(".")[-1]
        position = int(index[0])
        # the n-th entry of an array of tables: [[name]] headers
        table = re.compile(rf"^\s*\[\[\s*([\w\"-]+\.)*{re.escape(array)}\s*\]\]")
        starts = [number for number, line in enumerate(self.lines, 1) if table.search(line)]
        if position < len(starts):
            # the entry runs to the next table header of any kind
            any_header = re.compile(r"^\s*\[")
            following = enumerate(self.lines[starts[position] :], starts[position] + 1)
            end = next((n for n, line in following if any_header.search(line)), len(self.lines) + 1)
            inside = [hit for hit in hits if starts[position] <= hit < end]
            return inside[0] if len(inside) == 1 else starts[position]
        # the n-th entry of an inline array, `name = [ {...}, {...} ]`: the line of its n-th brace
        opening = re.compile(rf"(^|[{{,\s]){re.escape(array)}\s*=\s*\[")
        opened = [number for number, line in enumerate(self.lines, 1) if opening.search(line)]
        if len(opened) != 1:
            return None
        braces = []
        depth = 0
        for number, line in enumerate(self.lines[opened[0] - 1 :], opened[0]):
            text = line.split("=", 1)[1] if number == opened[0] else line
            for ch in _without_strings(text):
                if ch == "[":
                    depth += 1
                elif ch == "]":
                    depth -= 1
                elif ch == "{" and depth == 1:
                    braces.append(number)
            if depth <= 0:
                break
        return braces[position] if position < len(braces) else None

    # -- values -----------------------------------------------------------

    def to_date(self, value: object, key: str) -> dt.date:
        if isinstance(value, dt.datetime):
            raise self.fail(key, f"expected a date, found a date and time {value.isoformat()}.")
        parsed = value if isinstance(value, dt.date) else parse_any_date(value) if isinstance(value, str) else None
        if parsed is None:
            raise self.fail(key, f"expected a date such as 2027-03-11 or 11-03-2027, found {_show(value)}.")
        if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            raise self.fail(
                key, f"{parsed.isoformat()} is not a date this tool plans; use a year from {FIRST_YEAR} to {LAST_YEAR}."
            )
        return parsed

    def to_time(self, table: _Table, name: str, default: dt.time) -> dt.time:
        if name not in table.data:
            return default
        value = table.data[name]
        if isinstance(value, dt.time):
            return value
        if isinstance(value, str):
            match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*", value)
            if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
                return dt.time(int(match.group(1)), int(match.group(2)))
        raise table.fail(name, f'expected a time such as "10:00", found {_show(value)}.')

    def mode(self, table: _Table, name: str) -> Mode | None:
        value = table.get(name, str, None)
        if value is None:
            return None
        mode = MODE_NAMES.get(value.strip().casefold())
        if mode is None:
            raise table.fail(name, f'\'{value}\' is not a mode; use "teams" or "physical".')
        return mode

    def unit_name(self, value: object, key: str, *, former: bool = False) -> str:
        """The unit's own name for `value` (a name, short name or alias).

        With `former`, a name that is no unit's is taken as a unit that has left
        the committee: the history may name it, so that removing a unit is one
        line. `rotation.plan` notes such names, so that a slip is seen.
        """
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a unit name, found {_show(value)}.")
        wanted = normalise_name(value)
        for unit in self.units:
            if any(normalise_name(alias) == wanted for alias in unit.names):
                return unit.name
        names = [alias for unit in self.units for alias in unit.names]
        if former:
            return value.strip()
        close = difflib.get_close_matches(value, names, n=1, cutoff=0.6)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise self.fail(key, f"'{value}' is not a unit of this committee.{hint}")

    def role_map(self, table: _Table, name: str, roles: tuple[Role, ...], *, former: bool = False) -> dict[str, str]:
        sub = table.table(name)
        keys = tuple(role.key for role in roles)
        sub.check_keys(keys)
        return {key: self.unit_name(sub.data[key], sub.key(key), former=former) for key in keys if key in sub.data}

    # -- sections ---------------------------------------------------------

    def committee(self) -> Committee:
        root = self.root
        root.check_keys(
            (
                "name",
                "language",
                "secretary",
                "fairness_years",
                "units",
                "roles",
                "rotation",
                "cadence",
                "modes",
                "blackouts",
                "fixed",
                "history",
                "invites",
            )
        )
        head = root
        name = head.text("name")
        if name is None:
            raise head.fail("name", "the committee needs a name.")
        language = head.get("language", str, "nl")
        fairness_years = head.get("fairness_years", int, 0) or None

        self.units = self._units()
        roles = self._roles()
        rotation = root.table("rotation")
        rotation.check_keys(("order", "chains"))
        order = tuple(
            self.unit_name(value, f"rotation.order[{index}]") for index, value in enumerate(rotation.strings("order"))
        )
        chains = self._chains(rotation)

        committee = Committee(
            name=name,
            language=language,
            units=self.units,
            roles=roles,
            chains=chains,
            rotation=order,
            cadence=self._cadence(),
            modes=self._modes(roles),
            blackouts=self._blackouts(),
            fixed=self._fixed(roles),
            history=self._history(roles),
            secretary=self._person(head, "secretary"),
            invites=self._invites(),
            fairness_years=fairness_years,
            source=self.source,
        )
        from rotation.committee_check import check_committee

        check_committee(committee, fail=self.fail)
        return committee

    def _person(self, table: _Table, name: str) -> Person | None:
        if name not in table.data:
            return None
        sub = table.table(name)
        sub.check_keys(("name", "email"))
        person_name = sub.text("name")
        if person_name is None:
            raise sub.fail("name", "a name is required.")
        return Person(person_name, sub.text("email"))

    def _units(self) -> tuple[Unit, ...]:
        units = []
        for index, table in enumerate(self.root.tables("units")):
            table.check_keys(("name", "short", "aliases", "coordinator", "email", "venue", "unavailable"))
            name = table.text("name")
            if name is None:
                raise table.fail("name", "every unit needs a name.")
            coordinator = table.text("coordinator")
            email = table.text("email")
            self.written[f"units[{index}].coordinator.email"] = f"units[{index}].email"
            self.written[f"units[{index}].coordinator.name"] = f"units[{index}].coordinator"
            unit = Unit(
                name=name,
                short=table.text("short"),
                aliases=table.strings("aliases"),
                coordinator=Person(coordinator or name, email) if coordinator or email else None,
                venue=table.text("venue"),
                **self._unavailable(table),
            )
            units.append(unit)
        return tuple(units)

    def _unavailable(self, table: _Table) -> dict[str, Any]:
        """A unit's `unavailable`: single dates, and periods written ``{ start, end, reason }``."""
        days: list[dt.date] = []
        periods: list[Blackout] = []
        for index, value in enumerate(table.get("unavailable", list, [])):
            key = f"{table.key('unavailable')}[{index}]"
            if not isinstance(value, dict):
                days.append(self.to_date(value, key))
                continue
            period = _Table(self, value, key)
            period.check_keys(("start", "end", "reason"))
            start = period.date("start")
            if start is None:
                raise self.fail(key, "an unavailable period needs a start date (and an end date).")
            end = period.date("end")
            if end is None:
                raise self.fail(key, "an unavailable period needs an end date; for one day, write the date alone.")
            self.written[f"{table.key('unavailable_periods')}[{len(periods)}]"] = key
            periods.append(Blackout(start, end, period.text("reason") or "unavailable", "unit"))
        return {"unavailable": tuple(days), "unavailable_periods": tuple(periods)}

    def _roles(self) -> tuple[Role, ...]:
        roles: list[Role] = []
        for table in self.root.tables("roles"):
            table.check_keys(("key", "nl", "en", "eligible", "exclude", "agenda"))
            key = table.text("key")
            if key is None:
                raise table.fail("key", 'every role needs a key, such as "chair" (lower-case letters, digits and _).')
            eligible = tuple(
                self.unit_name(value, f"{table.key('eligible')}[{index}]")
                for index, value in enumerate(table.strings("eligible"))
            )
            exclude = {
                self.unit_name(value, f"{table.key('exclude')}[{index}]")
                for index, value in enumerate(table.strings("exclude"))
            }
            if eligible and exclude:
                raise table.fail("exclude", "give either 'eligible' or 'exclude', not both.")
            if exclude:
                eligible = tuple(unit.name for unit in self.units if unit.name not in exclude)
                if not eligible:
                    raise table.fail("exclude", "this leaves no unit to hold the role.")
            label_nl = table.text("nl") or key.replace("_", " ")
            label_en = table.text("en") or key.replace("_", " ")
            roles.append(Role(key, label_nl, label_en, eligible, table.get("agenda", bool, False)))
        return tuple(roles)

    def _chains(self, rotation: _Table) -> tuple[Chain, ...]:
        chains = []
        for table in rotation.tables("chains"):
            table.check_keys(("from", "to"))
            chains.append(Chain(source=table.require("from", str), target=table.require("to", str)))
        return tuple(chains)

    def _cadence(self) -> Cadence:
        table = self.root.table("cadence")
        table.check_keys(
            (
                "weekday",
                "meetings_per_year",
                "min_gap_weeks",
                "max_gap_weeks",
                "start",
                "end",
                "timezone",
                "preferred_weeks",
                "summer_max_gap_weeks",
            )
        )
        default = Cadence()
        weekday = default.weekday
        if "weekday" in table.data:
            value = table.require("weekday", str).strip().casefold()
            if value in WEEKDAYS:
                weekday = WEEKDAYS.index(value)
            elif value in WEEKDAYS_NL:
                weekday = WEEKDAYS_NL.index(value)
            else:
                close = difflib.get_close_matches(value, WEEKDAYS + WEEKDAYS_NL, n=1, cutoff=0.6)
                hint = f" Did you mean '{close[0]}'?" if close else ' Use for instance "thursday".'
                raise table.fail("weekday", f"'{value}' is not a day of the week.{hint}")
        per_year = table.get("meetings_per_year", int, default.meetings_per_year)
        low = table.get("min_gap_weeks", int, default.min_gap_weeks)
        high = table.get("max_gap_weeks", int, default.max_gap_weeks)
        summer = table.get("summer_max_gap_weeks", int, 0) or None
        start = self.to_time(table, "start", default.start)
        end = self.to_time(table, "end", default.end)
        zone = table.get("timezone", str, default.timezone)
        weeks = table.get("preferred_weeks", list, [])
        for index, week in enumerate(weeks):
            if isinstance(week, bool) or not isinstance(week, int):
                raise self.fail(
                    f"cadence.preferred_weeks[{index}]", f"expected a week number from 1 to 53, found {_show(week)}."
                )
        preferred = tuple(sorted(set(weeks)))
        for index, week in enumerate(preferred):
            self.written[f"cadence.preferred_weeks[{index}]"] = f"cadence.preferred_weeks[{weeks.index(week)}]"
        return Cadence(weekday, per_year, low, high, start, end, zone, preferred, summer)

    def _invites(self) -> Invites:
        table = self.root.table("invites")
        table.check_keys(("reminder", "counter_proposals"))
        reminder = table.get("reminder", int, None)
        return Invites(reminder=reminder, counter_proposals=table.get("counter_proposals", bool, True))

    def _modes(self, roles: tuple[Role, ...]) -> Modes:
        table = self.root.table("modes")
        table.check_keys(("alternate", "teams_location", "teams_link", "physical_location", "physical_host", "first"))
        default = Modes()
        keys = {role.key for role in roles}
        # the default host role "chair" only applies to committees that have a chair
        fallback = default.physical_host if default.physical_host in keys else None
        return Modes(
            alternate=table.get("alternate", bool, default.alternate),
            teams_location=table.text("teams_location", default.teams_location) or default.teams_location,
            teams_link=table.text("teams_link"),
            physical_location=table.text("physical_location"),
            physical_host=table.text("physical_host", fallback),
            first=self.mode(table, "first") or default.first,
        )

    def _blackouts(self) -> BlackoutRules:
        table = self.root.table("blackouts")
        table.check_keys(("public_holidays", "country", "school_regions", "study_days", "periods"))
        country = table.get("country", str, "NL").strip().upper()
        regions = [_region_name(country, region) for region in table.strings("school_regions")]
        periods = []
        for period in table.tables("periods"):
            period.check_keys(("start", "end", "reason"))
            start = period.date("start")
            if start is None:
                raise period.fail("start", "a blackout period needs a start date.")
            end = period.date("end", start) or start
            periods.append(Blackout(start, end, period.text("reason") or "blackout", "period"))
        return BlackoutRules(
            public_holidays=table.get("public_holidays", bool, True),
            country=country,
            school_regions=tuple(regions),
            study_days=table.dates("study_days"),
            periods=tuple(periods),
        )

    def _fixed(self, roles: tuple[Role, ...]) -> tuple[FixedMeeting, ...]:
        fixed = []
        for table in self.root.tables("fixed"):
            table.check_keys(("date", "mode", "location", "roles", "title", "id"))
            day = table.date("date")
            if day is None:
                raise table.fail("date", "a fixed meeting needs a date.")
            fixed.append(
                FixedMeeting(
                    date=day,
                    mode=self.mode(table, "mode"),
                    location=table.text("location"),
                    roles=self.role_map(table, "roles", roles),
                    title=table.text("title"),
                    id=table.text("id"),
                )
            )
        return self._by_date("fixed", fixed)

    def _history(self, roles: tuple[Role, ...]) -> tuple[PastMeeting, ...]:
        history = []
        for table in self.root.tables("history"):
            table.check_keys(("date", "mode", "location", "roles", "pinned", "id"))
            day = table.date("date")
            if day is None:
                raise table.fail("date", "a past meeting needs a date.")
            pinned = table.strings("pinned")
            history.append(
                PastMeeting(
                    date=day,
                    mode=self.mode(table, "mode"),
                    location=table.text("location"),
                    roles=self.role_map(table, "roles", roles, former=True),
                    pinned_roles=pinned,
                    id=table.text("id"),
                )
            )
        return self._by_date("history", history)

    def _by_date(self, name: str, meetings: list[M]) -> tuple[M, ...]:
        """`meetings` (of the list `name`) in date order, remembering where each is written."""
        order = sorted(range(len(meetings)), key=lambda index: meetings[index].date)
        for position, index in enumerate(order):
            self.written[f"{name}[{position}]"] = f"{name}[{index}]"
        return tuple(meetings[index] for index in order)


def _region_name(country: str, region: str) -> str:
    """`region` as the holidays package spells it (the validator says when `country` has no such region)."""
    from calendars.blackouts import check_country, check_school_region

    if check_country(country) is not None:
        return region
    return check_school_region(country, region) or region


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "january", "jan"),
            ("februari", "february", "feb"),
            ("maart", "march", "mrt", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("augustus", "august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}


def parse_date(text: str) -> dt.date | None:
    """A date written as ISO (2027-03-11), Dutch (11-03-2027, 11-3-2027, 11/03/2027) or with the month's name.

    Names are Dutch or English (11 maart 2027, 11 March 2027). None when the
    text is not such a date or lies outside the years `FIRST_YEAR` to `LAST_YEAR`.

    >>> parse_date("16-03-2023"), parse_date("16 maart 2023")
    (datetime.date(2023, 3, 16), datetime.date(2023, 3, 16))
    """
    day = parse_any_date(text)
    return day if day is not None and FIRST_YEAR <= day.year <= LAST_YEAR else None


def parse_any_date(text: str) -> dt.date | None:
    """`parse_date` without the limit on the year (for messages that say the year is out of range)."""
    text = " ".join(text.strip().split())
    if len(text) > 40:
        return None
    try:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if match:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
        if match:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        match = re.fullmatch(r"(\d{1,2})[ -]([a-zA-Z]+)\.?[ -](\d{4})", text)
        if match and match.group(2).casefold() in _MONTHS:
            return dt.date(int(match.group(3)), _MONTHS[match.group(2).casefold()], int(match.group(1)))
    except ValueError:
        return None
    return None


def not_utf8(data: bytes, err: UnicodeDecodeError) -> str:
    """Why `data` cannot be read, for a person: where the first byte that is not UTF-8 is."""
    line_start = data.rfind(b"\n", 0, err.start) + 1
    column = err.start - line_start + 1
    return (
        f"the file is not UTF-8 text: column {column} holds the byte 0x{data[err.start]:02X}, "
        "which UTF-8 cannot read; save the file as UTF-8."
    )


def _without_strings(line: str) -> str:
    """`line` with quoted strings and a trailing comment removed (to count brackets)."""
    line = re.sub(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'', '""', line)
    return line.split("#", 1)[0]
