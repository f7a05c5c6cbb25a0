"""The committee validator: everything a committee must get right before it can be planned.

A committee read from a file (`rotation.config`) and a committee built in code
are held to the same rules here, with the same messages; for a file, the
reader gives the file and line of each key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from typing import Any

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
    EMAIL,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_ENTRIES,
    MAX_LIST,
    MAX_NAME,
    MAX_TEXT,
    MAX_UNAVAILABLE_DAYS,
    RESERVED_LABELS,
    ROLE_KEY,
    kind_name,
    show,
    text_problem,
)
from rotation.messages import languages

__all__ = ["check_committee"]

Fail = Callable[[str, str], ConfigError]


def _as_written(key: str, fail: Fail) -> str:
    """`key` as `fail` names it (a committee file: where the part is written)."""
    return fail(key, "").key or key


def _default_fail(source: str | None) -> Fail:
    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(message, file=source, key=key)

    return fail


def check_committee(committee: Committee, *, fail: Fail | None = None) -> None:
    """Raise `ConfigError` for the first thing in `committee` that cannot work.

    Checked: every field has the type and range a committee file is held to
    (so that a committee built in code gets the same messages as a file),
    names of units and roles are known where they are used, fixed meetings
    fall on the meeting weekday and outside the blackouts, and history and
    fixed meetings do not share a date.

    `fail` makes the error for a key and a message; the committee reader gives
    one that names the file and the line where the key is written. A committee
    that passed is marked as checked, so that planning it (`rotation.plan`)
    does not check it again; `dataclasses.replace` makes a new committee,
    which is checked when it is planned.
    """
    if isinstance(committee, Committee) and vars(committee).get(_CHECKED, False):
        return
    source = committee.source if isinstance(committee, Committee) and isinstance(committee.source, str) else None
    fail = fail or _default_fail(source)
    _check_fields(committee, fail)
    language = committee.language
    names = {unit.name for unit in committee.units}
    keys = set(committee.role_keys)
    for role in committee.roles:
        for name in role.eligible:
            if name not in names:
                raise fail(f"roles.{role.key}", f"'{name}' is not a unit of this committee.")
    for index, chain in enumerate(committee.chains):
        if len(committee.chain_units(chain)) < 2:
            raise fail(
                f"rotation.chains[{index}]",
                f"fewer than two units may hold both '{chain.source}' and '{chain.target}', "
                "so the chain cannot rotate.",
            )
    if committee.rotation:
        for index, name in enumerate(committee.rotation):
            if name not in names:
                raise fail(f"rotation.order[{index}]", f"'{name}' is not a unit of this committee.")
        missing = [unit.name for unit in committee.units if unit.name not in committee.rotation]
        if missing:
            raise fail("rotation.order", f"the rotation order leaves out {', '.join(missing)}.")
        if len(set(committee.rotation)) != len(committee.rotation):
            raise fail("rotation.order", "the rotation order names a unit twice.")
    distinct_needed = len(committee.roles)
    if len(committee.units) < distinct_needed:
        raise fail(
            "units",
            f"a regular meeting needs {distinct_needed} different units for its {distinct_needed} roles, "
            f"but the committee has {len(committee.units)}.",
        )

    cadence = committee.cadence
    weekday_name = _weekday(cadence.weekday, "en")  # messages about the file are in English
    from calendars.blackouts import resolve

    dates_seen: dict[tuple[str, object], str] = {}
    groups: tuple[tuple[str, tuple[PastMeeting | FixedMeeting, ...]], ...] = (
        ("history", committee.history),
        ("fixed", committee.fixed),
    )
    for kind, meetings in groups:
        for index, meeting in enumerate(meetings):
            key = f"{kind}[{index}]"
            for role_key, unit in meeting.roles.items():
                if role_key not in keys:
                    raise fail(f"{key}.roles.{role_key}", f"'{role_key}' is not a role of this committee.")
                if unit not in names and kind == "fixed":  # the history may name units that have left
                    raise fail(f"{key}.roles.{role_key}", f"'{unit}' is not a unit of this committee.")
            seen = dates_seen.get((kind, meeting.date))
            if seen is not None:
                raise fail(f"{key}.date", f"{meeting.date.isoformat()} is also the date of {_as_written(seen, fail)}.")
            dates_seen[kind, meeting.date] = key
    for index, meeting in enumerate(committee.fixed):
        key = f"fixed[{index}].date"
        day = meeting.date
        if day.weekday() != cadence.weekday:
            raise fail(
                key,
                f"{_show_date(day, language)} is a {_weekday(day.weekday(), 'en')}; "
                f"meetings are on {weekday_name}s (cadence.weekday).",
            )
        if committee.history and day <= committee.history[-1].date:
            if any(past.date == day for past in committee.history):
                continue  # it took place: its pinned roles tell the chains to jump over it
            raise fail(
                key,
                f"{_show_date(day, language)} is before the last meeting in the history, "
                "but the history has no meeting that day; add it to [[history]] or remove it.",
            )
        try:
            blocked = [b for b in resolve(committee.blackouts, day, day, language=language) if day in b]
        except LookupError:
            blocked = []
        if blocked:
            raise fail(
                key,
                f"{_show_date(day, language)} falls in the blackout '{blocked[0].reason}'; "
                "move the fixed meeting or remove the blackout.",
            )
        for member in committee.units:
            if day in member.unavailable and member.name in meeting.roles.values():
                raise fail(
                    key,
                    f"{member.name} is pinned to a role on {_show_date(day, language)}, but is unavailable that day.",
                )
    object.__setattr__(committee, _CHECKED, True)


_CHECKED = "_checked"
"""The attribute that marks a committee as checked (not a field: `dataclasses.replace` does not copy it)."""

# -- the fields of a committee built in code --------------------------------------------------------

_WEEKDAY_RANGE = "a day from 0 (Monday) to 6 (Sunday)"


def _check_fields(committee: object, fail: Fail) -> None:
    """Raise `ConfigError` for a field whose type or range a committee file would not be allowed.

    A committee read from a file passes (the reader checks the same); a committee
    built in code gets the same messages, with the key of the field as it would
    be written in a committee file.
    """
    if not isinstance(committee, Committee):
        raise fail("committee", f"expected a Committee, found {_found(committee)}.")
    _text(committee.name, "name", fail)
    if not isinstance(committee.language, str) or committee.language not in languages():
        shown = f"'{committee.language}'" if isinstance(committee.language, str) else _found(committee.language)
        spoken = " or ".join(f'"{language}"' for language in languages())
        raise fail("language", f"{shown} is not a language of this tool; use {spoken}.")
    if committee.fairness_years is not None:
        _whole(committee.fairness_years, "fairness_years", fail, 1, 100, "a number of years from 1 to 100")
    if committee.secretary is not None:
        _person(committee.secretary, "secretary", fail)
    _units(committee, fail)
    keys = _roles(committee, fail)
    in_order = [role.key for role in committee.roles]
    for index, chain in enumerate(_items(committee.chains, "rotation.chains", fail, "chains", Chain)):
        for end, value in (("from", chain.source), ("to", chain.target)):
            key = f"rotation.chains[{index}].{end}"
            _text(value, key, fail)
            if value not in keys:
                close = difflib.get_close_matches(value, in_order, n=1, cutoff=0.6)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                raise fail(key, f"'{value}' is not a role of this committee (roles: {', '.join(in_order)}).{hint}")
        if chain.source == chain.target:
            raise fail(f"rotation.chains[{index}].to", "a chain leads from one role to another role.")
    chains = tuple(committee.chains)
    for key in keys:
        if [c.source for c in chains].count(key) > 1 or [c.target for c in chains].count(key) > 1:
            raise fail("rotation.chains", f"the role '{key}' appears in two chains at the same end.")
    for index, name in enumerate(_items(committee.rotation, "rotation.order", fail, "unit names")):
        _text(name, f"rotation.order[{index}]", fail)
    _cadence(committee.cadence, fail)
    _modes(committee.modes, keys, fail)
    _blackouts(committee.blackouts, fail)
    _invites(committee.invites, fail)
    for kind, meetings, cls in (("fixed", committee.fixed, FixedMeeting), ("history", committee.history, PastMeeting)):
        previous: dt.date | None = None
        for index, meeting in enumerate(_items(meetings, kind, fail, "meetings", cls)):
            key = f"{kind}[{index}]"
            day = _date(meeting.date, f"{key}.date", fail)
            if previous is not None and day < previous:
                raise fail(
                    f"{key}.date",
                    f"{day.isoformat()} comes after {previous.isoformat()} in the list; "
                    "list the meetings in date order.",
                )
            previous = day
            if meeting.mode is not None and not isinstance(meeting.mode, Mode):
                raise fail(f"{key}.mode", f"expected Mode.TEAMS or Mode.PHYSICAL, found {_found(meeting.mode)}.")
            _text(meeting.location, f"{key}.location", fail, optional=True, multi_line=True)
            _text(meeting.id, f"{key}.id", fail, optional=True)
            if isinstance(meeting, FixedMeeting):
                _text(meeting.title, f"{key}.title", fail, optional=True, multi_line=True)
            else:
                for position, role_key in enumerate(_items(meeting.pinned_roles, f"{key}.pinned", fail, "role keys")):
                    if not isinstance(role_key, str) or role_key not in keys:
                        raise fail(f"{key}.pinned[{position}]", f"{_quoted(role_key)} is not a role of this committee.")
            if not isinstance(meeting.roles, Mapping):
                raise fail(
                    f"{key}.roles", f"expected a mapping of role keys to unit names, found {_found(meeting.roles)}."
                )
            for role_key, unit in meeting.roles.items():
                if not isinstance(role_key, str):
                    raise fail(f"{key}.roles", f"expected a role key, found {_found(role_key)}.")
                if not isinstance(unit, str) or not unit.strip():
                    raise fail(f"{key}.roles.{role_key}", f"expected a unit name, found {_found(unit)}.")


def _units(committee: Committee, fail: Fail) -> None:
    units = _items(committee.units, "units", fail, "units", Unit)
    seen: dict[str, str] = {}
    for index, unit in enumerate(units):
        key = f"units[{index}]"
        name = _text(unit.name, f"{key}.name", fail)
        _text(unit.short, f"{key}.short", fail, optional=True)
        for position, alias in enumerate(_items(unit.aliases, f"{key}.aliases", fail, "names")):
            _text(alias, f"{key}.aliases[{position}]", fail)
        _text(unit.venue, f"{key}.venue", fail, optional=True, multi_line=True)
        if unit.coordinator is not None:
            _person(unit.coordinator, f"{key}.coordinator", fail)
        for position, day in enumerate(_items(unit.unavailable, f"{key}.unavailable", fail, "dates")):
            _date(day, f"{key}.unavailable[{position}]", fail)
        periods = _items(unit.unavailable_periods, f"{key}.unavailable_periods", fail, "periods", Blackout)
        covered = 0
        for position, period in enumerate(periods):
            where = f"{key}.unavailable_periods[{position}]"
            start, end = _period(period, where, fail)
            covered += (end - start).days + 1
            if covered > MAX_UNAVAILABLE_DAYS:
                raise fail(f"{where}.end", f"the periods cover more than {MAX_UNAVAILABLE_DAYS:,} days together.")
        fields = [("name", name)]
        fields += [("short", unit.short)] if unit.short else []
        fields += [(f"aliases[{position}]", alias) for position, alias in enumerate(unit.aliases)]
        for field, alias in fields:
            norm = normalise_name(alias)
            if not norm:
                raise fail(f"{key}.{field}", f"'{alias}' has no letters or digits to tell it apart.")
            if norm in seen and seen[norm] != name:
                raise fail(f"{key}.{field}", f"the name '{alias}' is also used by the unit {seen[norm]}.")
            if norm in seen and seen[norm] == name and alias == name:
                raise fail(f"{key}.name", f"the unit '{name}' is listed twice.")
            seen[norm] = name
    if len(units) < 2:
        raise fail("units", "the committee needs at least two units.")


def _roles(committee: Committee, fail: Fail) -> set[str]:
    roles = _items(committee.roles, "roles", fail, "roles", Role)
    if not roles:
        raise fail("roles", "the committee needs at least one role.")
    keys: set[str] = set()
    for index, role in enumerate(roles):
        key = f"roles[{index}]"
        if not isinstance(role.key, str) or not ROLE_KEY.fullmatch(role.key):
            raise fail(
                f"{key}.key",
                f'a role key is lower-case letters, digits and _, such as "chair"; found {show(role.key)}.',
            )
        if role.key in keys:
            raise fail(f"{key}.key", f"the role '{role.key}' is listed twice.")
        keys.add(role.key)
        _text(role.label_nl, f"{key}.nl", fail)
        _text(role.label_en, f"{key}.en", fail)
        for name, label in (("key", role.key), ("nl", role.label_nl), ("en", role.label_en)):
            if label.casefold() in RESERVED_LABELS:
                raise fail(
                    f"{key}.{name}",
                    f"'{label}' is the heading of another column of the planning table; give the role another name.",
                )
        for position, name in enumerate(_items(role.eligible, f"{key}.eligible", fail, "unit names")):
            _text(name, f"{key}.eligible[{position}]", fail)
        if not isinstance(role.agenda, bool):
            raise fail(f"{key}.agenda", f"expected true or false, found {_found(role.agenda)}.")
    return keys


def _cadence(cadence: object, fail: Fail) -> None:
    if not isinstance(cadence, Cadence):
        raise fail("cadence", f"expected a Cadence, found {_found(cadence)}.")
    _whole(cadence.weekday, "cadence.weekday", fail, 0, 6, _WEEKDAY_RANGE)
    _whole(cadence.meetings_per_year, "cadence.meetings_per_year", fail, 1, 52, "1 to 52 meetings a year")
    low = _whole(cadence.min_gap_weeks, "cadence.min_gap_weeks", fail, 1, 104, "1 to 104 weeks")
    high = _whole(cadence.max_gap_weeks, "cadence.max_gap_weeks", fail, 1, 104, "1 to 104 weeks")
    if high < low:
        raise fail(
            "cadence.max_gap_weeks", f"the maximum gap ({high} weeks) is less than the minimum gap ({low} weeks)."
        )
    if cadence.summer_max_gap_weeks is not None:
        _whole(
            cadence.summer_max_gap_weeks,
            "cadence.summer_max_gap_weeks",
            fail,
            high,
            104,
            f"{high} (the maximum gap) to 104 weeks for the gap over the summer",
        )
    for name in ("start", "end"):
        value = getattr(cadence, name)
        if not isinstance(value, dt.time):
            raise fail(f"cadence.{name}", f"expected a time such as datetime.time(10, 0), found {_found(value)}.")
    if cadence.end <= cadence.start:
        raise fail("cadence.end", f"the meeting ends ({cadence.end:%H:%M}) before it starts ({cadence.start:%H:%M}).")
    zone = _text(cadence.timezone, "cadence.timezone", fail)
    from calendars.blackouts import check_timezone

    problem = check_timezone(zone)
    if problem:
        raise fail("cadence.timezone", problem)
    weeks = _items(cadence.preferred_weeks, "cadence.preferred_weeks", fail, "week numbers")
    for index, week in enumerate(weeks):
        _whole(week, f"cadence.preferred_weeks[{index}]", fail, 1, 53, "a week number from 1 to 53")


def _modes(modes: object, keys: set[str], fail: Fail) -> None:
    if not isinstance(modes, Modes):
        raise fail("modes", f"expected Modes, found {_found(modes)}.")
    if not isinstance(modes.alternate, bool):
        raise fail("modes.alternate", f"expected true or false, found {_found(modes.alternate)}.")
    _text(modes.teams_location, "modes.teams_location", fail, multi_line=True)
    link = _text(modes.teams_link, "modes.teams_link", fail, optional=True, limit=MAX_TEXT)
    if link is not None and not re.fullmatch(r"https://\S+", link):
        raise fail("modes.teams_link", "expected a link that starts with https://.")
    _text(modes.physical_location, "modes.physical_location", fail, optional=True, multi_line=True)
    host = modes.physical_host
    if host == Modes().physical_host and host not in keys:
        pass  # the default host role, in a committee without it: physical meetings use physical_location
    elif host is not None and (not isinstance(host, str) or host not in keys):
        raise fail("modes.physical_host", f"{_quoted(host)} is not a role of this committee.")
    if not isinstance(modes.first, Mode):
        raise fail("modes.first", f"expected Mode.TEAMS or Mode.PHYSICAL, found {_found(modes.first)}.")


def _blackouts(rules: object, fail: Fail) -> None:
    if not isinstance(rules, BlackoutRules):
        raise fail("blackouts", f"expected BlackoutRules, found {_found(rules)}.")
    if not isinstance(rules.public_holidays, bool):
        raise fail("blackouts.public_holidays", f"expected true or false, found {_found(rules.public_holidays)}.")
    country = _text(rules.country, "blackouts.country", fail)
    from calendars.blackouts import check_country, check_school_region

    problem = None if country == "NL" else check_country(country)
    if problem:
        raise fail("blackouts.country", problem)
    for index, region in enumerate(_items(rules.school_regions, "blackouts.school_regions", fail, "region names")):
        key = f"blackouts.school_regions[{index}]"
        if check_school_region(country, _text(region, key, fail)) is None:
            raise fail(key, f"'{region}' is not a school-holiday region of {country}.")
    for index, day in enumerate(_items(rules.study_days, "blackouts.study_days", fail, "dates")):
        _date(day, f"blackouts.study_days[{index}]", fail)
    for index, period in enumerate(_items(rules.periods, "blackouts.periods", fail, "periods", Blackout)):
        key = f"blackouts.periods[{index}]"
        _period(period, key, fail)
        _text(period.kind, f"{key}.kind", fail)


def _invites(invites: object, fail: Fail) -> None:
    if not isinstance(invites, Invites):
        raise fail("invites", f"expected Invites, found {_found(invites)}.")
    if invites.reminder is not None:
        most = 7 * 24 * 60
        _whole(invites.reminder, "invites.reminder", fail, 0, most, f"0 to {most} minutes before the meeting")
    if not isinstance(invites.counter_proposals, bool):
        raise fail("invites.counter_proposals", f"expected true or false, found {_found(invites.counter_proposals)}.")


def _person(person: object, key: str, fail: Fail) -> None:
    if not isinstance(person, Person):
        raise fail(key, f"expected a Person, found {_found(person)}.")
    _text(person.name, f"{key}.name", fail)
    email = _text(person.email, f"{key}.email", fail, optional=True)
    if email is not None and not EMAIL.fullmatch(email):
        raise fail(f"{key}.email", f"'{email}' is not an e-mail address.")


def _items(value: object, key: str, fail: Fail, what: str, kind: type | None = None) -> tuple[Any, ...]:
    """`value` as a tuple: it must be a tuple or list (of `kind`), no longer than a committee file allows."""
    if not isinstance(value, (tuple, list)):
        raise fail(key, f"expected a tuple of {what}, found {_found(value)}.")
    limit = MAX_ENTRIES.get(key, MAX_LIST)
    if len(value) > limit:
        raise fail(key, f"the list has {len(value):,} entries; at most {limit:,} are allowed.")
    if kind is not None:
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                raise fail(f"{key}[{index}]", f"expected a {kind.__name__}, found {_found(item)}.")
    return tuple(value)


def _text(
    value: object, key: str, fail: Fail, *, optional: bool = False, multi_line: bool = False, limit: int | None = None
) -> str:
    if value is None and optional:
        return None  # type: ignore[return-value]  # only where the caller allows None
    if not isinstance(value, str):
        raise fail(key, f"expected text, found {_found(value)}.")
    if not value.strip():
        raise fail(key, "the text is empty.")
    problem = text_problem(value, limit=limit or (MAX_TEXT if multi_line else MAX_NAME), multi_line=multi_line)
    if problem:
        raise fail(key, problem)
    return value


def _whole(value: object, key: str, fail: Fail, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(key, f"expected {what}, found {_found(value)}.")
    if not low <= value <= high:
        raise fail(key, f"expected {what}, found {value}.")
    return value


def _period(period: Blackout, key: str, fail: Fail) -> tuple[dt.date, dt.date]:
    """The first and last day of a period (an unavailable one, or a blackout), held to what every period must be."""
    start = _date(period.start, f"{key}.start", fail)
    end = _date(period.end, f"{key}.end", fail)
    if end < start:
        raise fail(f"{key}.end", f"the period ends ({end}) before it starts ({start}).")
    _text(period.reason, f"{key}.reason", fail, multi_line=True)
    return start, end


def _date(value: object, key: str, fail: Fail) -> dt.date:
    if isinstance(value, dt.datetime):
        raise fail(key, f"expected a date, found a date and time {value.isoformat()}.")
    if not isinstance(value, dt.date):
        raise fail(key, f"expected a date such as datetime.date(2027, 3, 11), found {_found(value)}.")
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise fail(
            key, f"{value.isoformat()} is not a date this tool plans; use a year from {FIRST_YEAR} to {LAST_YEAR}."
        )
    return value


def _found(value: object) -> str:
    return f"{kind_name(type(value))} {show(value)}"


def _quoted(value: object) -> str:
    return f"'{value}'" if isinstance(value, str) else show(value)


def _weekday(index: int, language: str) -> str:
    from rotation.i18n import weekday_name

    return weekday_name(index, language)


def _show_date(day: object, language: str) -> str:
    from rotation.i18n import format_date

    return format_date(day, language)  # type: ignore[arg-type]
