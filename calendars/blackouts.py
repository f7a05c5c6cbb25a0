"""Blackout periods: public holidays, school holidays, study days and the committee's own periods."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

from rotation.domain import Blackout, BlackoutRules, normalise_name

__all__ = [
    "check_country",
    "check_school_region",
    "known_school_years",
    "public_holidays",
    "resolve",
    "school_holidays",
]

_HOLIDAY_LANGUAGE = {"nl": "nl", "en": "en_US"}


def check_country(country: str) -> str | None:
    """A sentence saying why `country` cannot be used, or None when it can."""
    from holidays import registry

    # the registry names every country without importing each country's module (which takes 0.1 s)
    codes = {names[1] for names in registry.COUNTRIES.values()}
    if country not in codes:
        return f"'{country}' is not a country code the holidays package knows; use for instance \"NL\"."
    return None


def _country_class(country: str) -> type:
    import holidays

    return type(holidays.country_holidays(country))


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
    import holidays

    table = holidays.country_holidays(
        country,
        subdiv=subdivision,
        years=year,
        categories=(category,),
        language=_HOLIDAY_LANGUAGE.get(language, "en_US"),
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
    suffix = f" regio {region}" if language == "nl" else f" region {region}"
    out = []
    for first, last, name in _runs(days):
        if last >= start and first <= end:
            out.append(Blackout(first, last, f"{name}{suffix}", "school_holiday"))
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
    label = "studiedag" if language == "nl" else "study day"
    out.extend(Blackout(day, day, label, "study_day") for day in rules.study_days if start <= day <= end)
    out.extend(period for period in rules.periods if period.end >= start and period.start <= end)
    return sorted(out, key=lambda b: (b.start, b.end, b.kind, b.reason))
