"""Blackout periods: public holidays, school holidays, study days and the committee's own periods."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from rotation.domain import Blackout, BlackoutRules, normalise_name
from rotation.messages import gettext

__all__ = [
    "check_country",
    "check_school_region",
    "check_timezone",
    "known_school_years",
    "public_holidays",
    "resolve",
    "school_holidays",
]


def check_country(country: str) -> str | None:
    """A sentence saying why `country` cannot be used, or None when it can.

    A country's other code or name (``UK``, ``GBR``, ``Netherlands``) gets the
    code to write instead.

    >>> check_country("UK")
    '\'UK\' is not a country code the holidays package knows; did you mean "GB"?'
    """
    from holidays import registry

    # the registry names every country without importing each country's module (which takes 0.1 s)
    codes = {names[1] for names in registry.COUNTRIES.values()}
    if country in codes:
        return None
    wanted = normalise_name(country)
    for module, names in registry.COUNTRIES.items():
        others = [name for name in (module, *names) if not name.startswith("Holidays")]
        if wanted and any(normalise_name(name) == wanted for name in others):
            return (
                f"'{printable(country)}' is not a country code the holidays package knows; did you mean \"{names[1]}\"?"
            )
    return f"'{printable(country)}' is not a country code the holidays package knows; use for instance \"NL\"."


@functools.cache
def _zones() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


def check_timezone(zone: str) -> str | None:
    """A sentence saying why `zone` is not a time zone this tool can use, or None when it is.

    Only the IANA names of the time zone database are taken (``Europe/Amsterdam``,
    ``UTC``): not a folder of it (``Europe``), nor its ``right/`` or ``posix/`` copies.

    >>> check_timezone("Europe")
    "'Europe' is a group of time zones, not one; use one of them, such as 'Europe/Amsterdam'."
    """
    zones = _zones()
    if zone in zones:
        return None
    shown = printable(zone)
    members = sorted(name for name in zones if name.startswith(f"{zone}/"))
    if members:
        example = "Europe/Amsterdam" if "Europe/Amsterdam" in members else members[0]
        return f"'{shown}' is a group of time zones, not one; use one of them, such as '{example}'."
    for prefix in ("right/", "posix/"):
        if zone.startswith(prefix) and zone[len(prefix) :] in zones:
            return f"'{shown}' is a variant of a time zone; use '{zone[len(prefix) :]}'."
    import difflib

    close = difflib.get_close_matches(zone, sorted(zones), n=1, cutoff=0.8) if len(zone) <= 100 else []
    hint = f" Did you mean '{close[0]}'?" if close else ' Use a name such as "Europe/Amsterdam".'
    return f"'{shown}' is not a time zone.{hint}"


def printable(text: str, limit: int = 60) -> str:
    """`text` as it may be shown in a message: control characters as U+FFFD, at most `limit` characters."""
    text = "".join(ch if ch.isprintable() else "\ufffd" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@functools.cache
def _country_class(country: str) -> Any:
    """The holidays package's class for `country`, found through its registry.

    Only that country's module is loaded: `import holidays.countries.netherlands`
    would first import the package `holidays.countries`, which imports all 250
    country modules (about 0.1 s and 8 MiB).
    """
    from holidays import registry

    for module, names in registry.COUNTRIES.items():
        if names[1] == country:
            return getattr(_country_module(module), names[0])
    import holidays

    return type(holidays.country_holidays(country))  # not a country code: the package says why


def _country_module(name: str) -> ModuleType:
    """The module `holidays.countries.<name>`, loaded on its own when the package has not been imported yet."""
    import importlib
    import importlib.util

    import holidays

    full = f"holidays.countries.{name}"
    if full in sys.modules or "holidays.countries" in sys.modules:
        return importlib.import_module(full)
    spec = importlib.util.spec_from_file_location(full, Path(holidays.__file__).parent / "countries" / f"{name}.py")
    if spec is None or spec.loader is None:  # pragma: no cover - an installation without the module's source
        return importlib.import_module(full)
    module = importlib.util.module_from_spec(spec)
    sys.modules[full] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[full]
        raise
    return module


def check_school_region(country: str, region: str) -> str | None:
    """The region's name as the holidays package spells it, or None if `country` has no such region."""
    cls = _country_class(country)
    if "school" not in getattr(cls, "supported_categories", ()):
        return None
    wanted = normalise_name(region)
    for name in getattr(cls, "subdivisions", ()):
        if normalise_name(name) == wanted:
            return str(name)
    return None


@functools.cache
def _holidays(
    country: str, subdivision: str | None, year: int, category: str, language: str
) -> tuple[tuple[dt.date, str], ...]:
    table = _country_class(country)(
        subdiv=subdivision,
        years=year,
        categories=(category,),
        language=gettext(language, "holidays.language"),
    )
    return tuple(sorted((day, str(name)) for day, name in table.items()))


def public_holidays(country: str, start: dt.date, end: dt.date, *, language: str = "nl") -> list[Blackout]:
    """Public holidays between `start` and `end`, one day each."""
    out = []
    for year in range(start.year, end.year + 1):
        for day, name in _holidays(country, None, year, "public", language):
            if start <= day <= end:
                out.append(Blackout(day, day, name, "public_holiday"))
    return out


def known_school_years(country: str, region: str) -> range:
    """The years for which the holidays package knows the region's school holidays."""
    years = [year for year in range(2000, 2100) if _holidays(country, region, year, "school", "en")]
    return range(min(years), max(years) + 1) if years else range(0)


def school_holidays(country: str, region: str, start: dt.date, end: dt.date, *, language: str = "nl") -> list[Blackout]:
    """School holidays of one region, as periods, that overlap `start`..`end`.

    Raises `LookupError` naming the years for which no school holidays are known.
    """
    days: list[tuple[dt.date, str]] = []
    missing = []
    for year in range(start.year - 1, end.year + 2):
        found = _holidays(country, region, year, "school", language)
        if not found and start.year <= year <= end.year:
            missing.append(year)
        days.extend(found)
    if missing:
        known = known_school_years(country, region)
        span = f"{known.start}-{known.stop - 1}" if known else "no years"
        raise LookupError(
            f"the school holidays of {region} in {', '.join(map(str, missing))} are not known "
            f"(the holidays package knows {span})"
        )
    out = []
    for first, last, name in _runs(days):
        if last >= start and first <= end:
            reason = gettext(language, "blackout.region", name=name, region=region)
            out.append(Blackout(first, last, reason, "school_holiday"))
    return out


def _runs(days: Iterable[tuple[dt.date, str]]) -> list[tuple[dt.date, dt.date, str]]:
    runs: list[list[object]] = []
    for day, name in sorted(set(days)):
        if runs and runs[-1][2] == name and (day - runs[-1][1]).days == 1:  # type: ignore[operator]
            runs[-1][1] = day
        else:
            runs.append([day, day, name])
    return [(a, b, c) for a, b, c in runs]  # type: ignore[misc]


def resolve(rules: BlackoutRules, start: dt.date, end: dt.date, *, language: str = "nl") -> list[Blackout]:
    """Every blackout period of the committee that overlaps `start`..`end`, sorted by date.

    Raises `LookupError` when school holidays are asked for years the holidays package does not know.
    """
    out: list[Blackout] = []
    if rules.public_holidays:
        out.extend(public_holidays(rules.country, start, end, language=language))
    for region in rules.school_regions:
        out.extend(school_holidays(rules.country, region, start, end, language=language))
    label = gettext(language, "blackout.study_day")
    out.extend(Blackout(day, day, label, "study_day") for day in rules.study_days if start <= day <= end)
    out.extend(period for period in rules.periods if period.end >= start and period.start <= end)
    return sorted(out, key=lambda b: (b.start, b.end, b.kind, b.reason))
