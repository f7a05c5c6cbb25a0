"""Checks that do not need the solver: what a committee file must get right, and what a planning breaks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from rotation.domain import Committee, FixedMeeting, PastMeeting, Plan, normalise_name
from rotation.errors import ConfigError

if TYPE_CHECKING:
    from rotation.validate import Violation

__all__ = ["check_committee", "check_planning"]

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
                f"fewer than two units may hold both '{chain.source}' and '{chain.target}', "
                "so the chain cannot rotate.",
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
                raise fail(f"{key}.date", f"{meeting.date.isoformat()} is also the date of {seen}.")
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


def _weekday(index: int, language: str) -> str:
    from rotation.i18n import weekday_name

    return weekday_name(index, language)


def _show_date(day: object, language: str) -> str:
    from rotation.i18n import format_date

    return format_date(day, language)  # type: ignore[arg-type]


# -- a planning made or edited by hand -------------------------------------------------------------

_TEXT = {
    "unknown_guess": (
        "'{unit}' is geen eenheid van dit overleg ({date}); bedoelt u {guess}?",
        "'{unit}' is not a unit of this committee ({date}); did you mean {guess}?",
    ),
    "moved_fixed": (
        "de vaste vergadering van {fixed} staat in de planning op {date}",
        "the fixed meeting of {fixed} is on {date} in the planning",
    ),
    "role_nowhere": (
        "de planning noemt bij geen enkele vergadering een {role}",
        "the planning names no {role} at any meeting",
    ),
}
_NEAR_DAYS = 6
"""A fixed meeting found this many days or fewer from its date counts as moved, not missing."""


def _say(committee: Committee, key: str, **values: object) -> str:
    nl, en = _TEXT[key]
    return (nl if committee.language == "nl" else en).format(**values)


def check_planning(committee: Committee, plan: Plan) -> list[Violation]:
    """Every rule a planning breaks, one sentence each in the committee's language, in date order.

    This is `rotation.validate` for a planning that a person made or edited:
    a unit name that is not the committee's but close to one ("Rotterdm") is
    reported with a suggestion and checked as the unit it resembles; a fixed
    meeting written a few days off its date is reported as moved (and its
    pinned roles still count); a role the planning names nowhere (a column
    left out) is one line instead of one per meeting. An empty list means the
    planning meets every rule.

    >>> import rotation
    >>> committee = rotation.example()
    >>> check_planning(committee, rotation.plan(committee))
    []
    """
    import dataclasses

    from rotation.i18n import format_date
    from rotation.validate import Violation, validate

    extra: list[Violation] = []
    names = {unit.name for unit in committee.units}
    meetings = []
    for meeting in plan.meetings:
        roles = dict(meeting.roles)
        for role, unit in meeting.roles.items():
            if unit in names:
                continue
            guess = _closest_unit(committee, unit)
            if guess is not None:
                shown = _shorten(unit)
                message = _say(
                    committee,
                    "unknown_guess",
                    unit=shown,
                    date=format_date(meeting.date, committee.language),
                    guess=guess,
                )
                extra.append(Violation("Eligibility", message, meeting.date, meeting.id))
                roles[role] = guess
        meetings.append(dataclasses.replace(meeting, roles=roles))

    moved: set[object] = set()
    by_date = {m.date: i for i, m in enumerate(meetings)}
    for fixed in committee.fixed:
        if not plan.start <= fixed.date <= plan.end or fixed.date in by_date:
            continue
        near = [day for day in by_date if abs((day - fixed.date).days) <= _NEAR_DAYS]
        if len(near) != 1:
            continue
        index = by_date[near[0]]
        pinned = tuple(dict.fromkeys((*meetings[index].pinned_roles, *fixed.roles)))
        meetings[index] = dataclasses.replace(meetings[index], pinned_roles=pinned)
        message = _say(
            committee,
            "moved_fixed",
            fixed=format_date(fixed.date, committee.language),
            date=format_date(near[0], committee.language),
        )
        extra.append(Violation("Fixed meeting", message, near[0], meetings[index].id))
        moved.add(fixed.date)

    checked = committee
    if meetings:
        absent = [role for role in committee.roles if not any(m.roles.get(role.key) for m in meetings)]
        for left_out in absent:
            label = left_out.label(committee.language)
            extra.append(Violation("Eligibility", _say(committee, "role_nowhere", role=label)))
        if absent:
            checked = _without_roles(committee, {left_out.key for left_out in absent})

    found = validate(checked, dataclasses.replace(plan, meetings=tuple(meetings)))
    found = [v for v in found if not (v.rule == "Fixed meeting" and v.meeting is None and v.date in moved)]
    ordered = sorted(
        enumerate([*found, *extra]),
        key=lambda item: (item[1].date is None, item[1].date or dt.date.min, item[0]),
    )
    return [violation for _, violation in ordered]


def _without_roles(committee: Committee, gone: set[str]) -> Committee:
    """`committee` as if the roles `gone` did not exist (a planning that leaves them out is checked without them)."""
    import dataclasses

    def keep(roles: Mapping[str, str]) -> dict[str, str]:
        return {key: unit for key, unit in roles.items() if key not in gone}

    host = committee.modes.physical_host
    return dataclasses.replace(
        committee,
        roles=tuple(role for role in committee.roles if role.key not in gone),
        chains=tuple(c for c in committee.chains if c.source not in gone and c.target not in gone),
        fixed=tuple(dataclasses.replace(f, roles=keep(f.roles)) for f in committee.fixed),
        history=tuple(
            dataclasses.replace(h, roles=keep(h.roles), pinned=tuple(k for k in h.pinned if k not in gone))
            for h in committee.history
        ),
        modes=dataclasses.replace(committee.modes, physical_host=None if host in gone else host),
    )


def _closest_unit(committee: Committee, written: str) -> str | None:
    """The unit whose name or alias `written` is a slip of, if one is close enough."""
    import difflib

    wanted = normalise_name(written)
    if not wanted:
        return None
    forms = {normalise_name(alias): unit.name for unit in committee.units for alias in unit.names}
    close = difflib.get_close_matches(wanted, list(forms), n=1, cutoff=0.8)
    return forms[close[0]] if close else None


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
