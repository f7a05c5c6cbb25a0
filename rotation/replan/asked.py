"""The changes as asked, checked against the issued plan: the units named, the dates named, the date they apply from."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rotation.domain import Committee, Meeting
from rotation.errors import ConfigError, HorizonError
from rotation.i18n import format_date, weekday_name
from rotation.replan.words import error

if TYPE_CHECKING:
    from rotation.replan import Changes


def canonical(committee: Committee, changes: Changes, language: str) -> Changes:
    """The changes with unit names as the committee spells them; unknown units are an error (in `language`)."""

    def known(name: str, option: str) -> str:
        try:
            return committee.unit(name).name
        except KeyError:
            names = ", ".join(committee.order)
            raise ConfigError(error(language, "unknown_unit", option=option, name=name, names=names)) from None

    added = []
    for name in changes.add_units:
        clean = " ".join(name.split())
        if not clean:
            raise ConfigError(error(language, "add_unit_empty"))
        try:
            committee.unit(clean)
        except KeyError:
            added.append(clean)
            continue
        raise ConfigError(error(language, "add_unit_known", name=clean))
    return dataclasses.replace(
        changes,
        unavailable=tuple((known(unit, "unavailable"), day) for unit, day in changes.unavailable),
        remove_units=tuple(known(unit, "remove-unit") for unit in changes.remove_units),
        add_units=tuple(added),
    )


def change_date(
    committee: Committee, changes: Changes, today: dt.date | None, issued: Sequence[Meeting], language: str
) -> dt.date:
    """The first date that may change: earlier meetings stay as issued."""
    if today is not None and changes.start is not None and changes.start < today:
        raise HorizonError(error(language, "start_before_today", start=changes.start, today=today), language=language)
    named = changes.dates()
    if changes.start is not None:
        freeze = changes.start
    elif today is not None:
        freeze = today
    elif named:
        freeze = min(named)
    elif changes.add_units or changes.remove_units:
        raise HorizonError(error(language, "units_need_start"), language=language)
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
    language: str,
) -> None:
    """Every date the changes name is usable: an issued meeting from `freeze` on, a meeting day, no blackout."""

    def show(day: dt.date) -> str:
        return format_date(day, language)

    def issued(day: dt.date, option: str) -> Meeting:
        meeting = by_date.get(day)
        if meeting is None:
            dates = ", ".join(show(d) for d in sorted(by_date))
            raise ConfigError(error(language, "no_meeting", option=option, date=day, dates=dates))
        return meeting

    limit = (
        error(language, "limit_today")
        if today is not None and freeze == today
        else error(language, "limit_start", date=freeze)
    )
    sources = [old for old, _ in changes.moves]
    if len(set(sources)) != len(sources):
        raise ConfigError(error(language, "move_twice"))
    targets = [new for _, new in changes.moves]
    if len(set(targets)) != len(targets):
        raise ConfigError(error(language, "move_same_date"))
    for old, new in changes.moves:
        issued(old, "move")
        if old < freeze:
            raise HorizonError(error(language, "move_held", date=old, limit=limit), language=language)
        if new < freeze:
            raise HorizonError(error(language, "move_to_past", date=new, limit=limit), language=language)
        if new.weekday() != committee.cadence.weekday:
            named, meets = weekday_name(new.weekday(), language), weekday_name(committee.cadence.weekday, language)
            raise ConfigError(error(language, "move_weekday", date=new, day=named, weekday=meets))
        if new in by_date and new not in sources and new not in changes.cancel:
            raise ConfigError(error(language, "move_taken", date=new))
        from calendars.blackouts import resolve

        try:
            blocked = [b for b in resolve(committee.blackouts, new, new, language=language) if new in b]
        except LookupError:
            blocked = []
        if blocked:
            raise ConfigError(error(language, "move_blackout", old=old, new=new, reason=blocked[0].reason))
    for day in changes.cancel:
        issued(day, "cancel")
        if day < freeze:
            raise HorizonError(error(language, "cancel_held", date=day, limit=limit), language=language)
        if day in sources:
            raise ConfigError(error(language, "cancel_moved", date=day))
    for unit, day in changes.unavailable:
        if day in changes.cancel:
            raise ConfigError(error(language, "unavailable_cancelled", date=day, unit=unit))
        if day < freeze:
            raise HorizonError(error(language, "unavailable_held", unit=unit, date=day, limit=limit), language=language)
