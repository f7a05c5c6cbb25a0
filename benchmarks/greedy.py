"""A greedy round-robin plan, as a secretary makes one by hand, and the model's score of any plan.

The baseline takes no decision that looks ahead:

* dates: in each calendar year, the second meeting weekday and then every
  365.25 / meetings-per-year days (about 8.7 weeks for six meetings), moved to
  the nearest meeting weekday; a date in a blackout moves on a week at a time;
  a fixed meeting takes the place of the nearest date;
* roles: the chains carry on (the minute-taker chairs the next meeting, the
  knowledge presenter brings the next case); each other role goes to the next
  unit in the rotation order that holds no role at that meeting yet and is
  available, and the turn moves on to that unit (a skipped unit waits for the
  next round);
* modes alternate, continuing from the history.

`score` rates any plan with the model's own preferences, so the baseline and
the solver are compared on the same objective.
"""

from __future__ import annotations

import datetime as dt

from calendars.blackouts import resolve
from rotation.alternatives import objective
from rotation.domain import Committee, FixedMeeting, MeetingIds, Plan
from rotation.errors import InfeasibleError
from rotation.horizon import Horizon
from rotation.model import build_problem
from rotation.solve import planned_meeting

__all__ = ["greedy_dates", "greedy_plan", "score"]


def _nearest(day: dt.date, weekday: int) -> dt.date:
    ahead = (weekday - day.weekday()) % 7
    return day + dt.timedelta(days=ahead) if ahead <= 3 else day - dt.timedelta(days=7 - ahead)


def greedy_dates(committee: Committee, horizon: Horizon) -> list[tuple[dt.date, FixedMeeting | None]]:
    """The meeting dates a secretary would write down, with the fixed meeting on each date (if any)."""
    cadence = committee.cadence
    step = 365.25 / cadence.meetings_per_year
    blackouts = resolve(committee.blackouts, horizon.start, horizon.end, language=committee.language)
    last = committee.history[-1].date if committee.history else None
    fixed = [f for f in committee.fixed if horizon.start <= f.date <= horizon.end]
    days: list[dt.date] = []
    for year in range(horizon.start.year, horizon.end.year + 1):
        january = dt.date(year, 1, 1)
        second = january + dt.timedelta(days=(cadence.weekday - january.weekday()) % 7 + 7)
        for turn in range(cadence.meetings_per_year):
            day = _nearest(second + dt.timedelta(days=round(turn * step)), cadence.weekday)
            for _ in range(4):  # skip a clash with a blackout, a week at a time
                if not any(day in blackout for blackout in blackouts):
                    break
                day += dt.timedelta(weeks=1)
            days.append(day)
    for meeting in fixed:  # a fixed meeting replaces the nearest date
        nearest = min(range(len(days)), key=lambda i: (abs((days[i] - meeting.date).days), i))
        days[nearest] = meeting.date
    by_date = {f.date: f for f in fixed}
    inside = sorted({d for d in days if horizon.start <= d <= horizon.end and (last is None or d > last)})
    return [(day, by_date.get(day)) for day in inside[: horizon.meetings]]


def greedy_plan(committee: Committee, horizon: Horizon) -> Plan:
    """A round-robin plan over `horizon`, made without the solver (see the module's description)."""
    problem = build_problem(committee, horizon)  # for the rotation's starting points, as the model sees them
    sequences = problem.sequences
    pointer = {seq.role: (seq.start - 1) % len(seq.units) for seq in sequences}
    carrier: dict[str, str | None] = {seq.role: seq.carried for seq in sequences if seq.chain}
    mode = problem.first_mode or committee.modes.first
    ids = MeetingIds(committee)
    meetings = []
    for day, fixed in greedy_dates(committee, horizon):
        holders: dict[str, str] = dict(fixed.roles) if fixed else {}
        pinned = set(holders)
        away = {unit.name for unit in committee.units if day in unit.unavailable}
        for seq in sequences:  # the chains carry on first
            if seq.chain is None or {seq.chain.source, seq.chain.target} & pinned:
                continue
            holders[seq.chain.target] = carrier[seq.role] or seq.units[pointer[seq.role]]
        for seq in sequences:  # then each role whose turn moves on
            if seq.role in holders or (seq.chain and {seq.chain.source, seq.chain.target} & pinned):
                continue
            for step in range(1, len(seq.units) + 1):
                index = (pointer[seq.role] + step) % len(seq.units)
                unit = seq.units[index]
                if unit not in holders.values() and unit not in away:
                    break
            holders[seq.role] = unit
            pointer[seq.role] = index
            if seq.chain:
                carrier[seq.role] = unit
        if fixed and fixed.mode is not None:
            mode = fixed.mode
        roles = {key: holders[key] for key in committee.role_keys if key in holders}
        meetings.append(planned_meeting(committee, ids, day, mode, roles, fixed))
        if committee.modes.alternate:
            mode = mode.other
    return Plan(
        committee_name=committee.name,
        timezone=committee.cadence.timezone,
        start=horizon.start,
        end=horizon.end,
        meetings=tuple(meetings),
        optimal=False,
        objective=None,
    )


def score(committee: Committee, horizon: Horizon, plan: Plan) -> tuple[int | None, dict[str, int]]:
    """The model's objective for `plan` and its part per preference; (None, {}) when the plan breaks a rule."""
    try:
        return objective(committee, horizon, plan)
    except InfeasibleError:
        return None, {}
