"""Checks of a committee that do not need the solver: what a committee file must get right."""

from __future__ import annotations

from collections.abc import Callable

from rotation.domain import Committee
from rotation.errors import ConfigError

__all__ = ["check_committee"]

Fail = Callable[[str, str], ConfigError]


def _default_fail(source: str | None) -> Fail:
    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(message, file=source, key=key)

    return fail


def check_committee(committee: Committee, *, fail: Fail | None = None) -> None:
    """Raise `ConfigError` for the first thing in `committee` that cannot work.

    Checked: names of units and roles are known where they are used, fixed
    meetings fall on the meeting weekday and outside the blackouts, and
    history and fixed meetings do not share a date.
    """
    fail = fail or _default_fail(committee.source)
    language = committee.language
    names = {unit.name for unit in committee.units}
    keys = set(committee.role_keys)
    if len(committee.units) < 2:
        raise fail("units", "the committee needs at least two units.")
    if len(names) != len(committee.units):
        raise fail("units", "two units have the same name.")
    for role in committee.roles:
        for name in role.eligible:
            if name not in names:
                raise fail(f"roles.{role.key}", f"'{name}' is not a unit of this committee.")
    for chain in committee.chains:
        for key in (chain.source, chain.target):
            if key not in keys:
                raise fail("rotation.chains", f"'{key}' is not a role of this committee.")
        if len(committee.chain_units(chain)) < 2:
            raise fail(
                "rotation.chains",
                f"fewer than two units may hold both '{chain.source}' and '{chain.target}', so the chain cannot rotate.",
            )
    if committee.rotation and sorted(committee.rotation) != sorted(names):
        raise fail("rotation.order", "the rotation order must name every unit exactly once.")
    distinct_needed = len(committee.roles)
    if len(committee.units) < distinct_needed:
        raise fail(
            "units",
            f"a regular meeting needs {distinct_needed} different units for its {distinct_needed} roles, "
            f"but the committee has {len(committee.units)}.",
        )

    cadence = committee.cadence
    weekday_name = _weekday(cadence.weekday, language)
    from calendars.blackouts import resolve

    dates_seen: dict[tuple[str, object], str] = {}
    for kind, meetings in (("history", committee.history), ("fixed", committee.fixed)):
        for index, meeting in enumerate(meetings):
            key = f"{kind}[{index}]"
            for role_key, unit in meeting.roles.items():
                if role_key not in keys:
                    raise fail(f"{key}.roles.{role_key}", f"'{role_key}' is not a role of this committee.")
                if unit not in names:
                    raise fail(f"{key}.roles.{role_key}", f"'{unit}' is not a unit of this committee.")
            seen = dates_seen.get((kind, meeting.date))
            if seen is not None:
                raise fail(f"{key}.date", f"{meeting.date.isoformat()} is also the date of {seen}.")
            dates_seen[kind, meeting.date] = key
    for index, meeting in enumerate(committee.fixed):
        key = f"fixed[{index}].date"
        day = meeting.date
        if day.weekday() != cadence.weekday:
            raise fail(
                key,
                f"{_show_date(day, language)} is a {_weekday(day.weekday(), language)}; "
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
        for unit in committee.units:
            if day in unit.unavailable and unit.name in meeting.roles.values():
                raise fail(key, f"{unit.name} is pinned to a role on {_show_date(day, language)}, but is unavailable that day.")


def _weekday(index: int, language: str) -> str:
    from rotation.i18n import weekday_name

    return weekday_name(index, language)


def _show_date(day: object, language: str) -> str:
    from rotation.i18n import format_date

    return format_date(day, language)  # type: ignore[arg-type]
