"""One solve of the CP-SAT model for the meetings that can change, with the preferences that keep the issued plan.

The preference "Notice period" outranks every other; "Fewest changes" ranks
right after fair turns and counts, per meeting compared with the issued plan,
`DATE_COST` for a changed date, `MEETING_COST` for a changed meeting at all (one
more update to send), `ROLE_COST` per changed role holder and `MODE_COST` for a
changed mode; among equally few changes it prefers to change later meetings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rotation.domain import Committee, Meeting, Mode, Plan
from rotation.errors import InfeasibleError
from rotation.horizon import Horizon
from rotation.i18n import format_date
from rotation.replan.words import move_cannot_follow

PREFERENCE = "Fewest changes"
"""The name of the preference that keeps the issued plan, as the user sees it."""
NOTICE = "Notice period"
"""The name of the preference that keeps the holders of the next meetings."""
NOTICE_WEEKS = 6
"""Meetings this many weeks after the change date keep their role holders unless the change forces otherwise."""

DATE_COST = 2
MEETING_COST = 2
ROLE_COST = 1
MODE_COST = 1


@dataclass(frozen=True)
class Task:
    """What the model is asked: the open meetings in their new order, on the dates asked, over a horizon."""

    committee: Committee
    """The committee the model plans for (moved meetings fixed, cancelled ones in place)."""
    slots: tuple[Meeting, ...]
    """The meetings that can change, as issued, in the order of their dates after the moves."""
    target: dict[str, dt.date]
    """Per meeting id the date asked for: the new date of a moved meeting, else the issued date."""
    moved: dict[dt.date, dt.date]
    """The moves (date as issued to new date)."""
    horizon: Horizon
    notice_until: dt.date
    """Meetings before this date keep their role holders unless the change forces otherwise."""

    @property
    def reference(self) -> list[Meeting]:
        """The slots as issued, each on the date asked for: what "Fewest changes" compares with."""
        return [dataclasses.replace(meeting, date=self.target[meeting.id]) for meeting in self.slots]


def task(
    committee: Committee,
    reference: Plan,
    open_: Sequence[Meeting],
    moved: dict[dt.date, dt.date],
    since: dt.date,
    notice_weeks: int,
) -> Task:
    """The task for `committee`: the `open_` meetings from `since` on, a moved one on its new date."""
    from rotation.horizon import full_years

    target = {meeting.id: moved.get(meeting.date, meeting.date) for meeting in open_}
    slots = sorted(open_, key=lambda meeting: target[meeting.id])
    last = committee.history[-1].date if committee.history else None
    start = last + dt.timedelta(days=1) if last and last >= reference.start else reference.start
    start = max(start, since)  # no meeting moves before the change date (today)
    end = max(reference.end, *target.values())
    for place, meeting in enumerate(slots):
        if meeting.date in moved:  # room for the meetings after a moved one to follow it at their gaps
            following = len(slots) - 1 - place
            end = max(end, target[meeting.id] + dt.timedelta(weeks=following * committee.cadence.max_gap_weeks))
    per_year = tuple(
        (year, sum(1 for day in target.values() if day.year == year)) for year, _ in full_years(committee, start, end)
    )
    horizon = Horizon(start=start, end=end, meetings=len(slots), per_year=per_year)
    notice_until = since + dt.timedelta(weeks=max(0, notice_weeks))
    return Task(committee, tuple(slots), target, moved, horizon, notice_until)


def solve(job: Task, language: str, progress: Callable[[str], None] | None, time_limit: float | None) -> Plan:
    """The plan of `job`'s slots with the fewest changes the rules allow; `InfeasibleError` when there is none."""
    from rotation.solve import solve_horizon

    reference = job.reference
    try:
        return solve_horizon(
            job.committee,
            job.horizon,
            first=[(NOTICE, keep_holders([m for m in reference if m.date < job.notice_until]))],
            after_fairness=[(PREFERENCE, fewest_changes(reference))],
            progress=progress,
            time_limit=time_limit,
            customize=keep_moves(job.slots, job.target, job.moved),
        )
    except InfeasibleError as err:
        if err.conflicts or not job.moved:
            raise
        # The rules allow the moved dates, but not with the meetings in their order around them.
        cadence = job.committee.cadence
        asked = "; ".join(
            f"{format_date(old, language)} → {format_date(new, language)}" for old, new in job.moved.items()
        )
        raise InfeasibleError(
            move_cannot_follow(language, asked, cadence.min_gap_weeks, cadence.max_gap_weeks), language=language
        ) from None


def as_issued(job: Task, solved: Plan, committee: Committee, gone: set[str]) -> tuple[Meeting, ...]:
    """The solved meetings that take place (not those whose id is in `gone`), each with its id and times as issued."""
    return tuple(
        keep_issued(committee, old, new)
        for old, new in zip(job.slots, solved.meetings, strict=True)
        if old.id not in gone
    )


def keep_moves(
    slots: Sequence[Meeting], target: dict[str, dt.date], moved: dict[dt.date, dt.date]
) -> Callable[[Any], None]:
    """Each moved meeting on its new date in its own place, so that the meetings keep their order and their ids."""

    def keep(m: Any) -> None:
        for k, meeting in enumerate(slots):
            if meeting.date in moved:
                m.model.add(m.week[k] == m.problem.week(target[meeting.id]))

    return keep


def keep_holders(reference: Sequence[Meeting]) -> Callable[[Any], tuple[list[Any], int]]:
    """The preference "Notice period": one per role holder of the first meetings that differs from `reference`.

    `reference` are the first slots of the new plan as issued (those inside the notice period).
    """

    def notice_period(m: Any) -> tuple[list[Any], int]:
        terms: list[Any] = []
        for k, old in enumerate(reference):
            for role, holder in old.roles.items():
                var = m.holds.get((k, role, holder))
                terms.append(1 if var is None else ~var)
        return terms, len(terms)

    return notice_period


def fewest_changes(reference: Sequence[Meeting]) -> Callable[[Any], tuple[list[Any], int]]:
    """The preference "Fewest changes": penalties for differing from `reference`, slot by slot.

    First the number of changes (see the module's costs), then, among equally
    few, a change to a sooner meeting costs more than one to a later meeting.
    """

    def fewest_changes(m: Any) -> tuple[list[Any], int]:
        p = m.problem
        count = len(reference)
        roles = p.committee.role_keys
        timing_bound = count * (count + 1) // 2
        weight = timing_bound + 1
        terms: list[Any] = []
        per_meeting = MEETING_COST + DATE_COST + MODE_COST + ROLE_COST * len(roles)
        for k, old in enumerate(reference):
            items: list[tuple[int, Any]] = []
            on = m.on(k, p.week(old.date))
            items.append((DATE_COST, 1 if isinstance(on, int) else ~on))
            items.append((MODE_COST, m.physical[k] if old.mode is Mode.TEAMS else ~m.physical[k]))
            for role in roles:
                holder = old.roles.get(role)
                var = m.holds.get((k, role, holder)) if holder else None
                if holder is None:
                    continue
                items.append((ROLE_COST, 1 if var is None else ~var))
            altered = m.model.new_bool_var(f"meeting {k + 1} differs from the issued plan")
            for cost, item in items:
                if isinstance(item, int):
                    m.model.add(altered == 1)
                    terms.append(cost * weight)
                else:
                    m.model.add_implication(item, altered)
                    terms.append(cost * weight * item)
            terms.append((MEETING_COST * weight + count - k) * altered)
        return terms, count * per_meeting * weight + timing_bound

    return fewest_changes


def keep_issued(committee: Committee, old: Meeting, new: Meeting) -> Meeting:
    """The replanned meeting with the issued one's id, times and SEQUENCE, and its place and title where they hold."""
    host = committee.modes.physical_host
    same_place = new.mode is old.mode and (host is None or new.roles.get(host) == old.roles.get(host))
    return dataclasses.replace(
        new,
        id=old.id,
        start=old.start,
        end=old.end,
        sequence=old.sequence,
        location=old.location if same_place and old.location else new.location,
        title=new.title or old.title,
        fixed_date=new.fixed_date or (old.fixed_date and new.date == old.date),
    )
