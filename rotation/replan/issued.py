"""What was issued and what was held: the history a replan continues from, and the cancellations on record."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable, Sequence

from rotation.domain import Committee, Meeting, Mode, PastMeeting, Plan, as_past
from rotation.errors import HorizonError, PlanFileError
from rotation.i18n import format_date


def with_history(committee: Committee, meetings: Iterable[Meeting]) -> Committee:
    """`committee` with `meetings` (a previous plan, or its part that took place) added to its history.

    Planning then continues from them: the chains, the mode alternation, the
    gap from the last meeting and the fairness counts carry over. A meeting on
    a date the history already holds is left out (the history wins).

    >>> import rotation
    >>> committee = rotation.example()
    >>> nxt = with_history(committee, rotation.plan(committee).meetings)
    >>> nxt.history[-1].date.isoformat()
    '2024-01-11'
    """
    known = {past.date for past in committee.history}
    added = [past for past in as_past(meetings) if past.date not in known]
    history = tuple(sorted((*committee.history, *added), key=lambda past: past.date))
    return dataclasses.replace(committee, history=history)


def read(committee: Committee, reference: Plan, language: str) -> list[Meeting]:
    """The meetings of the issued plan in date order, once it is clear that they continue the committee's history."""
    if reference.committee_name and reference.committee_name != committee.name:
        raise PlanFileError(
            f"the issued plan is for '{reference.committee_name}', not for '{committee.name}'; give its committee file."
        )
    issued = sorted(reference.meetings, key=lambda meeting: meeting.date)
    if committee.history and issued and issued[0].date > committee.history[-1].date:
        held_last, issued_first = committee.history[-1].date, issued[0].date
        weeks = (issued_first - held_last).days // 7
        if weeks > committee.cadence.max_gap_weeks:
            raise HorizonError(
                f"the issued plan starts on {format_date(issued_first, language)}, {weeks} weeks after the last "
                f"meeting in the committee's history ({format_date(held_last, language)}); add the plans in "
                "between to the history (--history), as when the issued plan was made."
            )
    return issued


def split(issued: Sequence[Meeting], since: dt.date, language: str) -> tuple[list[Meeting], list[Meeting]]:
    """The meetings held (before `since`), which stay as issued, and those that can change."""
    held = [meeting for meeting in issued if meeting.date < since]
    open_ = [meeting for meeting in issued if meeting.date >= since]
    if not open_:
        raise HorizonError(
            f"every meeting of the issued plan is before {format_date(since, language)}; "
            "there is nothing to plan again."
        )
    return held, open_


def fill_gap(
    committee: Committee, earlier: tuple[dt.date, Mode | None], later: tuple[dt.date, Mode | None]
) -> list[tuple[dt.date, Mode | None]]:
    """Meeting days (and modes) for the meetings an earlier replan cancelled between `earlier` and `later`.

    Empty when the gap between them is not longer than the cadence allows.
    Otherwise the fewest days that bring every gap back within the cadence,
    with the modes taking turns from `earlier` on to `later` where possible.
    """
    from calendars.dates import weekdays

    cadence = committee.cadence
    (first_day, first_mode), (last_day, last_mode) = earlier, later
    if (last_day - first_day).days // 7 <= cadence.max_gap_between(first_day, last_day):
        return []
    days = weekdays(cadence.weekday, first_day + dt.timedelta(days=1), last_day - dt.timedelta(days=1))
    if not days:
        return []
    alternate = committee.modes.alternate and first_mode is not None
    found: list[dt.date] | None = None
    for count in range(1, 5):
        step = (last_day - first_day) / (count + 1)
        picked = [min(days, key=lambda day: abs(day - (first_day + step * index))) for index in range(1, count + 1)]
        chain = [first_day, *picked, last_day]
        if len(set(chain)) != len(chain):
            break
        if not all(
            cadence.min_gap_weeks <= (b - a).days // 7 <= cadence.max_gap_between(a, b)
            for a, b in itertools.pairwise(chain)
        ):
            continue
        found = found or picked
        if not alternate or (count % 2 == 1) == (last_mode is first_mode):
            found = picked
            break
    out: list[tuple[dt.date, Mode | None]] = []
    mode = first_mode
    for day in found or []:
        mode = mode.other if alternate and mode is not None else mode
        out.append((day, mode))
    return out


def earlier_cancellations(
    committee: Committee, first: Meeting, recorded: Sequence[Meeting] = ()
) -> tuple[PastMeeting, ...]:
    """Stand-ins for meetings an earlier replan cancelled between the last meeting held and `first`.

    A cancelled meeting is simply absent from the plan that replan wrote, so
    the gap it leaves is longer than the cadence allows. That gap was reported
    and accepted when the meeting was cancelled; planning again must not undo
    it by moving the meetings after it. The stand-ins go into the history the
    solver continues from, on meeting days in the gap, in the alternating
    modes, and pin every role without a holder: the chains and the turns jump
    over them as over the cancelled meeting, and the gap and the mode
    alternation hold again. They are not part of any plan. Where the plan
    records the cancelled meetings (`recorded`), they stand in on their own
    dates, as `rotation check` reads them.
    """
    if not committee.history:
        return ()
    last = committee.history[-1]
    keys = tuple(committee.role_keys)
    known = sorted((m for m in recorded if last.date < m.date < first.date), key=lambda m: m.date)
    if known:
        return tuple(PastMeeting(date=m.date, mode=m.mode, pinned_roles=keys) for m in known)
    days = fill_gap(committee, (last.date, last.mode), (first.date, first.mode))
    return tuple(PastMeeting(date=day, mode=mode, pinned_roles=keys) for day, mode in days)


def still_cancelled(reference: Plan, meetings: Sequence[Meeting]) -> list[Meeting]:
    """The meetings an earlier replan cancelled, without those that came back (their id is in `meetings`)."""
    ids = {meeting.id for meeting in meetings}
    return [cancelled for cancelled in reference.cancelled if cancelled.id not in ids]


STAND_IN = "~cancelled-before-"
"""The id prefix of a stand-in for a meeting an earlier replan cancelled (never part of a plan)."""


def open_cancellations(committee: Committee, open_: Sequence[Meeting], moved: dict[dt.date, dt.date]) -> list[Meeting]:
    """Stand-ins for meetings an earlier replan cancelled between two meetings that can still change.

    As `earlier_cancellations`, but between two open meetings: each stand-in
    is planned as a cancelled meeting is (a fixed meeting the chains jump
    over, then left out). It pins the target role of every chain, to the unit
    the chain would carry into it where that unit can take it. A gap next to
    a meeting that is `moved` now is left to the solver.
    """
    out: list[Meeting] = []
    for before, after in itertools.pairwise(open_):
        if before.date in moved or after.date in moved:
            continue
        for day, mode in fill_gap(committee, (before.date, before.mode), (after.date, after.mode)):
            roles: dict[str, str] = {}
            for chain in committee.chains:
                role = committee.role(chain.target)
                wanted = before.roles.get(chain.source)
                for name in (*([wanted] if wanted else []), *committee.order):
                    unit = committee.unit(name)
                    if name in roles.values() or day in unit.unavailable:
                        continue
                    if role.eligible and name not in role.eligible:
                        continue
                    roles[chain.target] = name
                    break
            out.append(
                Meeting(
                    id=f"{STAND_IN}{after.id}-{day.isoformat()}",
                    date=day,
                    start=before.start,
                    end=before.end,
                    mode=mode or before.mode,
                    location="",
                    roles=roles,
                )
            )
    return out


def cancellations_on_record(
    committee: Committee,
    reference: Plan,
    issued: Sequence[Meeting],
    open_: Sequence[Meeting],
    moved: dict[dt.date, dt.date],
) -> tuple[tuple[PastMeeting, ...], list[Meeting]]:
    """The meetings an earlier replan cancelled that still keep their place: in the history, and between open meetings.

    A meeting cancelled by an earlier replan is absent from the issued plan; the gap it left
    before the first open meeting was accepted then and stays accepted (see `earlier_cancellations`).
    A move changes the gaps around the meeting it moves; those gaps are planned anew.
    """
    targets = set(moved.values())
    first_open = open_[0]
    accepted = earlier_cancellations(committee, first_open, still_cancelled(reference, issued))
    if first_open.date in moved or any(day < first_open.date for day in targets):
        # a meeting moved into or next to the gap: the cancelled meetings it leaves room for still stand in it
        earliest = min(targets | {first_open.date} - {day for day in moved if day == first_open.date})
        room = dt.timedelta(weeks=committee.cadence.min_gap_weeks)
        accepted = tuple(past for past in accepted if past.date + room <= earliest)
    # Between two open meetings such a gap is kept by a stand-in planned as a cancelled meeting is.
    shortest = 7 * committee.cadence.min_gap_weeks
    stand_ins = [
        stand_in
        for stand_in in open_cancellations(committee, open_, moved)
        if not any(abs((stand_in.date - day).days) < shortest for day in targets)
    ]
    return accepted, stand_ins
