"""The changes as asked, checked against the issued plan: the units named, the dates named, the date they apply from."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rotation.domain import Committee, Meeting
from rotation.errors import ConfigError, HorizonError
from rotation.i18n import format_date

if TYPE_CHECKING:
    from rotation.replan import Changes


def canonical(committee: Committee, changes: Changes) -> Changes:
    """The changes with unit names as the committee spells them; unknown units are an error."""

    def known(name: str, option: str) -> str:
        try:
            return committee.unit(name).name
        except KeyError:
            names = ", ".join(committee.order)
            raise ConfigError(f"{option}: '{name}' is not a unit of this committee (units: {names}).") from None

    added = []
    for name in changes.add_units:
        clean = " ".join(name.split())
        if not clean:
            raise ConfigError("add-unit: give the name of the unit that joins.")
        try:
            committee.unit(clean)
        except KeyError:
            added.append(clean)
            continue
        raise ConfigError(f"add-unit: '{clean}' is already a unit of this committee.")
    return dataclasses.replace(
        changes,
        unavailable=tuple((known(unit, "unavailable"), day) for unit, day in changes.unavailable),
        remove_units=tuple(known(unit, "remove-unit") for unit in changes.remove_units),
        add_units=tuple(added),
    )


def change_date(committee: Committee, changes: Changes, today: dt.date | None, issued: Sequence[Meeting]) -> dt.date:
    """The first date that may change: earlier meetings stay as issued."""
    language = committee.language
    if today is not None and changes.start is not None and changes.start < today:
        raise HorizonError(
            f"the changes apply from {format_date(changes.start, language)}, before today "
            f"({format_date(today, language)}); meetings that were held cannot change."
        )
    named = changes.dates()
    if changes.start is not None:
        freeze = changes.start
    elif today is not None:
        freeze = today
    elif named:
        freeze = min(named)
    elif changes.add_units or changes.remove_units:
        raise HorizonError("say from which date the units join or leave (--from DATE).")
    else:
        freeze = issued[0].date if issued else dt.date.min
    if committee.history and committee.history[-1].date >= freeze:
        freeze = committee.history[-1].date + dt.timedelta(days=1)
    return freeze


def check_dates(
    committee: Committee,
    changes: Changes,
    by_date: dict[dt.date, Meeting],
    freeze: dt.date,
    today: dt.date | None,
) -> None:
    """Every date the changes name is usable: an issued meeting from `freeze` on, a meeting day, no blackout."""
    language = committee.language

    def show(day: dt.date) -> str:
        return format_date(day, language)

    def issued(day: dt.date, option: str) -> Meeting:
        meeting = by_date.get(day)
        if meeting is None:
            dates = ", ".join(show(d) for d in sorted(by_date))
            raise ConfigError(f"{option}: the issued plan has no meeting on {show(day)} (its meetings: {dates}).")
        return meeting

    limit = "today" if today is not None and freeze == today else f"{show(freeze)}, the date the changes apply from"
    sources = [old for old, _ in changes.moves]
    if len(set(sources)) != len(sources):
        raise ConfigError("move: each meeting can be moved once.")
    targets = [new for _, new in changes.moves]
    if len(set(targets)) != len(targets):
        raise ConfigError("move: two meetings cannot move to the same date.")
    for old, new in changes.moves:
        issued(old, "move")
        if old < freeze:
            raise HorizonError(f"the meeting of {show(old)} is before {limit}; it stays as it was.")
        if new < freeze:
            raise HorizonError(f"{show(new)} is before {limit}; move the meeting to a later date.")
        if new.weekday() != committee.cadence.weekday:
            from rotation.i18n import weekday_name

            raise ConfigError(
                f"move: {show(new)} is a {weekday_name(new.weekday(), language)}; the committee meets on "
                f"{weekday_name(committee.cadence.weekday, language)}."
            )
        if new in by_date and new not in sources and new not in changes.cancel:
            raise ConfigError(f"move: there is already a meeting on {show(new)}.")
        from calendars.blackouts import resolve

        try:
            blocked = [b for b in resolve(committee.blackouts, new, new, language=language) if new in b]
        except LookupError:
            blocked = []
        if blocked:
            raise ConfigError(
                f"move {show(old)}={show(new)}: {show(new)} falls in the blackout '{blocked[0].reason}'; "
                "choose another date."
            )
    for day in changes.cancel:
        issued(day, "cancel")
        if day < freeze:
            raise HorizonError(f"the meeting of {show(day)} is before {limit}; it cannot be cancelled any more.")
        if day in sources:
            raise ConfigError(f"cancel: the meeting of {show(day)} is also moved; either move it or cancel it.")
    for unit, day in changes.unavailable:
        if day in changes.cancel:
            raise ConfigError(f"unavailable: the meeting of {show(day)} is cancelled, so {unit} need not be marked.")
        if day < freeze:
            raise HorizonError(
                f"{unit} is unavailable on {show(day)}, which is before {limit}; nothing can change then."
            )
