"""The committee the new plan is solved for: units joined and left, moved meetings fixed, cancelled ones in place."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rotation.domain import Committee, FixedMeeting, Meeting, Role, Unit
from rotation.errors import ConfigError
from rotation.replan.issued import with_history
from rotation.replan.words import error

if TYPE_CHECKING:
    from rotation.replan import Changes


def committee_now(
    committee: Committee, changes: Changes, issued: Sequence[Meeting], since: dt.date, until: dt.date, language: str
) -> Committee:
    """The committee as the change leaves it: the meetings before `since` held, units joined and left, moves fixed.

    Its errors are in `language`.
    """
    now = with_history(committee, [meeting for meeting in issued if meeting.date < since])
    now = apply_units(now, changes, since, max([until, *(new for _, new in changes.moves)]), language)
    return apply_fixed(now, dict(changes.moves), {meeting.date: meeting for meeting in issued})


def apply_units(
    committee: Committee, changes: Changes, since: dt.date, until: dt.date, language: str | None = None
) -> Committee:
    """The committee with units joined and left, and the new unavailable dates.

    A unit that leaves stays listed, because the history names it as holder
    of roles it was eligible for, but it is no longer invited and is
    unavailable on every meeting day from `since` to `until`. Its errors are in
    `language` (default: the committee's).
    """
    from calendars.dates import weekdays

    language = language or committee.language
    leaving = set(changes.remove_units)
    for fixed in committee.fixed:
        for key, name in fixed.roles.items():
            if name in leaving and fixed.date >= since:
                role = committee.role(key).label(language)
                raise ConfigError(error(language, "remove_pinned", name=name, role=role, date=fixed.date))
    extra: dict[str, list[dt.date]] = {}
    for name, day in changes.unavailable:
        extra.setdefault(name, []).append(day)
    gone = weekdays(committee.cadence.weekday, since, until)
    for name in leaving:
        extra.setdefault(name, []).extend(gone)
    units: list[Unit] = []
    for unit in committee.units:
        away = tuple(sorted({*unit.unavailable, *extra.get(unit.name, [])}))
        coordinator = None if unit.name in leaving else unit.coordinator
        units.append(dataclasses.replace(unit, unavailable=away, coordinator=coordinator))
    units.extend(Unit(name) for name in changes.add_units)
    staying = len(units) - len(leaving)
    if staying < len(committee.roles):
        raise ConfigError(error(language, "remove_too_many", roles=len(committee.roles), left=staying))

    # A unit that leaves while it carries a chain (it took the minutes at the last meeting held)
    # cannot take the next role of the chain: it no longer takes part in that role, so the
    # next holder is free. The rule it breaks is listed in `Replan.broken`.
    barred = {chain.target for chain in committee.chains if committee.carrier(chain) in leaving}
    names = tuple(unit.name for unit in units)

    def eligible(role: Role) -> Role:
        allowed = role.eligible + changes.add_units if role.eligible else ()
        if role.key in barred:
            allowed = tuple(name for name in allowed or names if name not in leaving)
        return dataclasses.replace(role, eligible=allowed)

    rotation = committee.rotation + changes.add_units if committee.rotation else ()
    return dataclasses.replace(
        committee, units=tuple(units), roles=tuple(eligible(r) for r in committee.roles), rotation=rotation
    )


def apply_fixed(committee: Committee, moved: dict[dt.date, dt.date], by_date: dict[dt.date, Meeting]) -> Committee:
    """Moved meetings become fixed dates; a fixed meeting that moves keeps what it pinned."""
    fixed = []
    for meeting in committee.fixed:
        if meeting.date in moved:
            fixed.append(
                dataclasses.replace(meeting, date=moved[meeting.date], id=meeting.id or by_date[meeting.date].id)
            )
        else:
            fixed.append(meeting)
    known = {meeting.date for meeting in committee.fixed}
    for old, new in moved.items():
        if old not in known:
            fixed.append(FixedMeeting(date=new, id=by_date[old].id, title=by_date[old].title))
    return dataclasses.replace(committee, fixed=tuple(sorted(fixed, key=lambda meeting: meeting.date)))


def with_placeholders(committee: Committee, cancelled: Sequence[Meeting]) -> Committee:
    """The committee the solver sees: a cancelled meeting stays in place, so that the rest keeps its rhythm.

    It is a fixed meeting with its issued mode and role holders pinned, so the
    chains jump over it as over any pinned meeting: the minute-taker of the
    meeting before it chairs the meeting after it. A holder that can no longer
    come that day (unavailable, or a unit that left) is not pinned: the
    meeting does not take place, so whoever the model puts there is left out.
    """
    keys = set(committee.role_keys)
    away = {unit.name: set(unit.unavailable) for unit in committee.units}
    dates = {meeting.date for meeting in cancelled}
    fixed = [meeting for meeting in committee.fixed if meeting.date not in dates]
    for meeting in cancelled:
        roles = {
            role: unit
            for role, unit in meeting.roles.items()
            if role in keys and unit in away and meeting.date not in away[unit]
        }
        fixed.append(FixedMeeting(date=meeting.date, mode=meeting.mode, roles=roles, id=meeting.id))
    return dataclasses.replace(committee, fixed=tuple(sorted(fixed, key=lambda f: f.date)))


def solvable(committee: Committee, moved: dict[dt.date, dt.date], language: str) -> Committee:
    """`committee` once it passes the committee checks; a fixed meeting that a move made is named by the move."""
    from rotation.committee_check import check_committee

    try:
        check_committee(committee)
    except ConfigError as err:  # a fixed meeting that a move made: the message names the move, not the committee file
        index = re.match(r"fixed\[(\d+)\]", err.key or "")
        sources = {new: old for old, new in moved.items()}
        day = (
            committee.fixed[int(index.group(1))].date if index and int(index.group(1)) < len(committee.fixed) else None
        )
        if day is None or day not in sources:
            raise
        raise ConfigError(error(language, "move_fixed", old=sources[day], new=day, reason=err.reason)) from None
    return committee
