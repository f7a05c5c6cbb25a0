"""An independent check of a plan against the committee's hard rules.

Written without the solver: it reads the plan as a person would and says,
in the committee's language, every rule it breaks. The tests run it on every
plan the solver returns; `rotation check` runs it on hand-made plannings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from rotation.domain import Committee, Meeting, Mode, Plan
from rotation.horizon import full_years
from rotation.messages import gettext, ngettext

__all__ = ["Violation", "validate"]


@dataclass(frozen=True)
class Violation:
    """One broken rule at one meeting (or of the plan as a whole)."""

    rule: str
    """The rule's name, as in `rotation.model.RULES`."""
    message: str
    """A sentence in the committee's language."""
    date: dt.date | None = None
    meeting: str | None = None

    def __str__(self) -> str:
        return self.message


def _say(committee: Committee, key: str, **values: object) -> str:
    return gettext(committee.language, f"check.{key}", **values)


def validate(committee: Committee, plan: Plan) -> list[Violation]:
    """Every hard rule of `committee` that `plan` breaks, in date order.

    An empty list means the plan is valid.
    """
    return list(_check(committee, plan))


def _check(committee: Committee, plan: Plan) -> Iterator[Violation]:
    language = committee.language
    meetings = sorted(plan.meetings, key=lambda m: m.date)
    yield from _dates(committee, plan, meetings)
    yield from _fixed(committee, plan, meetings)
    yield from _gaps(committee, meetings)
    yield from _per_year(committee, plan, meetings)
    yield from _modes(committee, meetings)
    for meeting in meetings:
        yield from _roles(committee, meeting, language)
    yield from _succession(committee, meetings)


def _v(rule: str, message: str, meeting: Meeting | None = None) -> Violation:
    return Violation(rule, message, meeting.date if meeting else None, meeting.id if meeting else None)


def _dates(committee: Committee, plan: Plan, meetings: list[Meeting]) -> Iterator[Violation]:
    from calendars.blackouts import resolve

    weekday = committee.cadence.weekday
    language = committee.language
    seen: set[dt.date] = set()
    try:
        blackouts = resolve(committee.blackouts, plan.start, plan.end, language=language)
    except LookupError:  # school holidays unknown for these years: check the other blackouts
        rules = dataclasses.replace(committee.blackouts, school_regions=())
        blackouts = resolve(rules, plan.start, plan.end, language=language)
    for meeting in meetings:
        day = meeting.date
        show = day
        if day.weekday() != weekday:
            yield _v(
                "Meeting weekday and horizon",
                _say(
                    committee,
                    "weekday",
                    date=show,
                    day=gettext(language, f"weekday.{day.weekday()}"),
                    weekday=gettext(language, f"weekday.{weekday}"),
                ),
                meeting,
            )
        if not plan.start <= day <= plan.end:
            yield _v(
                "Meeting weekday and horizon",
                _say(committee, "horizon", date=show, start=plan.start, end=plan.end),
                meeting,
            )
        if day in seen:
            yield _v("Meeting weekday and horizon", _say(committee, "twice", date=show), meeting)
        seen.add(day)
        for blackout in blackouts:
            if day in blackout:
                yield _v("Blackout period", _say(committee, "blackout", date=show, reason=blackout.reason), meeting)


def _fixed(committee: Committee, plan: Plan, meetings: list[Meeting]) -> Iterator[Violation]:
    language = committee.language
    by_date = {m.date: m for m in meetings}
    for fixed in committee.fixed:
        if not plan.start <= fixed.date <= plan.end:
            continue
        show = fixed.date
        meeting = by_date.get(fixed.date)
        if meeting is None:
            yield Violation("Fixed meeting", _say(committee, "fixed_missing", date=show), fixed.date)
            continue
        if fixed.mode is not None and meeting.mode is not fixed.mode:
            yield _v(
                "Fixed meeting",
                _say(
                    committee,
                    "fixed_mode",
                    date=show,
                    want=fixed.mode,
                    got=meeting.mode,
                ),
                meeting,
            )
        for role, unit in fixed.roles.items():
            got = meeting.roles.get(role)
            if got != unit:
                yield _v(
                    "Fixed meeting",
                    _say(
                        committee,
                        "fixed_role",
                        unit=unit,
                        role=committee.role(role).label(language),
                        date=show,
                        got=got or "-",
                    ),
                    meeting,
                )


def _history_before(committee: Committee, day: dt.date) -> list[tuple[dt.date, Mode | None]]:
    return [(m.date, m.mode) for m in committee.history if m.date < day]


def _gaps(committee: Committee, meetings: list[Meeting]) -> Iterator[Violation]:
    if not meetings:
        return
    cadence = committee.cadence
    history = _history_before(committee, meetings[0].date)
    previous = history[-1][0] if history else None
    rule = "Gap after the history"  # the model's name for the gap before the first meeting
    for meeting in meetings:
        if previous is not None:
            days = (meeting.date - previous).days
            if days < 7 * cadence.min_gap_weeks:
                yield _v(rule, _gap(committee, "gap_short", previous, meeting.date, low=cadence.min_gap_weeks), meeting)
            high = cadence.max_gap_between(previous, meeting.date)
            if days > 7 * high:
                key = "gap_long" if high == cadence.max_gap_weeks else "gap_long_summer"
                yield _v(rule, _gap(committee, key, previous, meeting.date, high=high), meeting)
        previous = meeting.date
        rule = "Gap between meetings"


def _gap(committee: Committee, key: str, previous: dt.date, day: dt.date, **bound: int) -> str:
    """The gap from `previous` to `day` against its `bound` (weeks), as message `check.<key>` says it."""
    language = committee.language
    days = (day - previous).days
    counted = {name: ngettext(language, "count.weeks", weeks) for name, weeks in bound.items()}
    weeks = _weeks(days, language)
    return ngettext(language, f"check.{key}", days // 7, prev=previous, date=day, weeks=weeks, **counted)


def _weeks(days: int, language: str) -> str:
    """``7 weken en 6 dagen``, ``1 week``, ``9 weeks and 1 day``."""
    weeks, rest = divmod(days, 7)
    text = ngettext(language, "count.weeks", weeks)
    if rest:
        text = gettext(language, "check.weeks_and_days", weeks=text, days=ngettext(language, "count.days", rest))
    return text


def _per_year(committee: Committee, plan: Plan, meetings: list[Meeting]) -> Iterator[Violation]:
    for year, want in full_years(committee, plan.start, plan.end):
        count = sum(1 for m in meetings if m.date.year == year)
        if count != want:
            said = ngettext(committee.language, "check.per_year", count, year=year, want=want)
            yield Violation("Meetings per year", said)


def _modes(committee: Committee, meetings: list[Meeting]) -> Iterator[Violation]:
    if not committee.modes.alternate or not meetings:
        return
    history = _history_before(committee, meetings[0].date)
    previous: tuple[dt.date, Mode | None] | None = history[-1] if history else None
    for meeting in meetings:
        if previous is not None and previous[1] is meeting.mode:
            yield _v(
                "Mode alternation",
                _say(
                    committee,
                    "mode",
                    date=meeting.date,
                    got=meeting.mode,
                    prev=previous[0],
                ),
                meeting,
            )
        previous = (meeting.date, meeting.mode)


def _pinned(committee: Committee, meeting: Meeting) -> set[str]:
    pinned = set(meeting.pinned_roles)
    for fixed in committee.fixed:
        if fixed.date == meeting.date:
            pinned |= set(fixed.roles)
    return pinned


def _roles(committee: Committee, meeting: Meeting, language: str) -> Iterator[Violation]:
    show = meeting.date
    names = {unit.name for unit in committee.units}
    pinned = _pinned(committee, meeting)
    for role_key in meeting.roles:
        if role_key not in committee.role_keys:
            yield _v("Eligibility", _say(committee, "unknown_role", date=show, role=role_key), meeting)
    holders: dict[str, list[str]] = {}
    for role in committee.roles:
        label = role.label(language)
        unit = meeting.roles.get(role.key)
        if not unit:
            yield _v("Eligibility", _say(committee, "missing_role", date=show, role=label), meeting)
            continue
        if unit not in names:
            yield _v("Eligibility", _say(committee, "unknown_unit", date=show, unit=unit), meeting)
            continue
        if role.key not in pinned and unit not in committee.eligible(role.key):
            yield _v("Eligibility", _say(committee, "eligible", date=show, unit=unit, role=label), meeting)
        if meeting.date in committee.unit(unit).unavailable:
            yield _v("Unit unavailable", _say(committee, "unavailable", date=show, unit=unit, role=label), meeting)
        holders.setdefault(unit, []).append(role.key)
    for unit, roles in holders.items():
        for i, first in enumerate(roles):
            for second in roles[i + 1 :]:
                if first in pinned and second in pinned:
                    continue
                yield _v(
                    "Different units",
                    _say(
                        committee,
                        "distinct",
                        unit=unit,
                        date=show,
                        first=committee.role(first).label(language),
                        second=committee.role(second).label(language),
                    ),
                    meeting,
                )


def _succession(committee: Committee, meetings: list[Meeting]) -> Iterator[Violation]:
    if not meetings:
        return
    language = committee.language
    past = [m for m in committee.history if m.date < meetings[0].date]
    for chain in committee.chains:
        source = committee.role(chain.source).label(language)
        target = committee.role(chain.target).label(language)
        carried: tuple[str, dt.date] | None = None
        for old in reversed(past):
            pinned = committee.pinned_at(old)
            if chain.source in pinned or chain.target in pinned:
                continue
            holder = old.roles.get(chain.source)
            # a unit that has left (or may no longer hold the next role) carries nothing
            carried = (holder, old.date) if holder in committee.chain_units(chain) else None
            break
        for meeting in meetings:
            pinned_here = _pinned(committee, meeting)
            if chain.source in pinned_here or chain.target in pinned_here:
                continue
            got = meeting.roles.get(chain.target)
            if carried is not None and got != carried[0]:
                yield _v(
                    "Succession",
                    _say(
                        committee,
                        "succession",
                        unit=carried[0],
                        source=source,
                        prev=carried[1],
                        target=target,
                        date=meeting.date,
                        got=got or "-",
                    ),
                    meeting,
                )
            holder = meeting.roles.get(chain.source)
            carried = (holder, meeting.date) if holder else None
