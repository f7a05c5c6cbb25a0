"""Checking a planning that a person made or edited: `rotation.validate` with what such a planning gets wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from rotation.domain import Committee, Meeting, Plan, normalise_name
from rotation.messages import gettext

if TYPE_CHECKING:
    from rotation.validate import Violation

__all__ = ["check_planning"]


def _say(committee: Committee, key: str, **values: object) -> str:
    return gettext(committee.language, f"check.{key}", **values)


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

    from rotation.validate import Violation, validate

    if plan.left:
        committee, plan = _after_departures(committee, plan)
    # a meeting that `rotation replan` cancelled keeps its place in the rhythm, as when the plan was made
    stand_ins = [
        dataclasses.replace(meeting, id=f"cancelled {meeting.id}", pinned_roles=tuple(meeting.roles))
        for meeting in plan.cancelled
        if _keeps_its_place(committee, plan, meeting)
    ]
    if stand_ins:
        every = sorted((*plan.meetings, *stand_ins), key=lambda meeting: meeting.date)
        plan = dataclasses.replace(plan, meetings=tuple(every))
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
                    date=meeting.date,
                    guess=guess,
                )
                extra.append(Violation("Eligibility", message, meeting.date, meeting.id))
                roles[role] = guess
        meetings.append(dataclasses.replace(meeting, roles=roles))

    moved: set[object] = set()
    by_date = {m.date: i for i, m in enumerate(meetings)}
    for fixed, day in committee.fixed_moved(by_date):
        if not plan.start <= fixed.date <= plan.end:
            continue
        index = by_date[day]
        pinned = tuple(dict.fromkeys((*meetings[index].pinned_roles, *fixed.roles)))
        meetings[index] = dataclasses.replace(meetings[index], pinned_roles=pinned)
        message = _say(
            committee,
            "moved_fixed",
            fixed=fixed.date,
            date=day,
        )
        extra.append(Violation("Fixed meeting", message, day, meetings[index].id))
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
    standing = {meeting.id for meeting in stand_ins}
    found = [v for v in found if v.meeting not in standing]
    ordered = sorted(
        enumerate([*found, *extra]),
        key=lambda item: (item[1].date is None, item[1].date or dt.date.min, item[0]),
    )
    return [violation for _, violation in ordered]


def _keeps_its_place(committee: Committee, plan: Plan, cancelled: Meeting) -> bool:
    """Whether a cancelled meeting still stands in the rhythm of `plan`, as `rotation replan` left it.

    Not when it came back (its id or its date is in the plan again), and not
    when a later change planned its gap anew: a meeting next to it less than
    the shortest gap away, or of the same mode where the modes take turns.
    """
    if not plan.start <= cancelled.date or any(
        meeting.id == cancelled.id or meeting.date == cancelled.date for meeting in plan.meetings
    ):
        return False
    # its neighbours: the meetings of the plan and the other meetings cancelled beside it
    around = sorted(
        (*plan.meetings, *(other for other in plan.cancelled if other.id != cancelled.id)), key=lambda m: m.date
    )
    before = [meeting for meeting in around if meeting.date < cancelled.date]
    after = [meeting for meeting in around if meeting.date > cancelled.date]
    history = [past for past in committee.history if past.date < cancelled.date]
    sides: list[tuple[dt.date, object]] = []
    if before:
        sides.append((before[-1].date, before[-1].mode))
    elif history:
        sides.append((history[-1].date, history[-1].mode))
    if after:
        sides.append((after[0].date, after[0].mode))
    shortest = dt.timedelta(weeks=committee.cadence.min_gap_weeks)
    for day, mode in sides:
        if abs(day - cancelled.date) < shortest:
            return False
        if committee.modes.alternate and mode is not None and mode == cancelled.mode:
            return False
    return True


def _after_departures(committee: Committee, plan: Plan) -> tuple[Committee, Plan]:
    """The committee and the planning as `rotation replan --remove-unit` made them.

    The meetings before the first departure were held as issued: they become
    history. A unit that left (and that the committee file still lists) takes
    no part from its date, and the chain it would have carried on is free, as
    when the plan was made. A committee file without the unit reads it as a
    unit that left, as it reads any former unit in the history.
    """
    import dataclasses

    from rotation.replan import Changes, with_history
    from rotation.replan.changed import apply_units

    since = min(day for _, day in plan.left)
    held = [meeting for meeting in plan.meetings if meeting.date < since]
    rest = tuple(meeting for meeting in plan.meetings if meeting.date >= since)
    committee = with_history(committee, held)
    members = {unit.name for unit in committee.units}
    end = max([plan.end, *(meeting.date for meeting in rest)])
    for day in sorted({day for _, day in plan.left}):
        leaving = tuple(name for name, when in plan.left if when == day and name in members)
        if leaving and end >= day:
            committee = apply_units(committee, Changes(remove_units=leaving), day, end)
    return committee, dataclasses.replace(plan, meetings=rest, start=max(plan.start, since))


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
            dataclasses.replace(h, roles=keep(h.roles), pinned_roles=tuple(k for k in h.pinned_roles if k not in gone))
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
