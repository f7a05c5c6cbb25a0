"""What was issued and what was held: the history a replan continues from, and the cancellations on record."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable, Sequence

from rotation.domain import Committee, Meeting, PastMeeting, Plan, as_past
from rotation.errors import HorizonError, PlanFileError
from rotation.replan.words import error


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
        raise PlanFileError(error(language, "other_committee", plan=reference.committee_name, committee=committee.name))
    issued = sorted(reference.meetings, key=lambda meeting: meeting.date)
    if committee.history and issued and issued[0].date > committee.history[-1].date:
        held_last, issued_first = committee.history[-1].date, issued[0].date
        weeks = (issued_first - held_last).days // 7
        if weeks > committee.cadence.max_gap_weeks:
            raise HorizonError(
                error(language, "plans_between", first=issued_first, weeks=weeks, last=held_last), language=language
            )
    return issued


def split(issued: Sequence[Meeting], since: dt.date, language: str) -> tuple[list[Meeting], list[Meeting]]:
    """The meetings held (before `since`), which stay as issued, and those that can change."""
    held = [meeting for meeting in issued if meeting.date < since]
    open_ = [meeting for meeting in issued if meeting.date >= since]
    if not open_:
        raise HorizonError(error(language, "nothing_left", date=since), language=language)
    return held, open_


def still_cancelled(reference: Plan, meetings: Sequence[Meeting]) -> list[Meeting]:
    """The meetings an earlier replan cancelled, without those that came back (their id is in `meetings`)."""
    ids = {meeting.id for meeting in meetings}
    return [cancelled for cancelled in reference.cancelled if cancelled.id not in ids]


def cancellations_on_record(
    committee: Committee,
    reference: Plan,
    issued: Sequence[Meeting],
    open_: Sequence[Meeting],
    moved: dict[dt.date, dt.date],
) -> tuple[tuple[PastMeeting, ...], list[Meeting]]:
    """The meetings an earlier replan cancelled that still keep their place: in the history, and between open meetings.

    A cancelled meeting is absent from the plan that replan wrote and listed
    in its record (`Plan.cancelled`). The longer gap it left was reported and
    accepted then; planning again must not undo it by moving the meetings
    around it. So it stands in on its own date and in its own mode, as
    `rotation check` reads it, and the model plans around it: one before the
    first meeting that can change goes into the history with every role
    pinned and no holder (the chains, the turns, the gap and the mode
    alternation continue from it); one between two meetings that can change
    is planned as a meeting cancelled now is (a fixed meeting with its holders
    pinned, which the chains jump over, left out of the new plan).

    It no longer stands in where its gap was planned anew: a meeting next to
    it less than the shortest gap away, or in the same mode where the modes
    take turns (as `rotation check` reads it), or a meeting moved now to less
    than the shortest gap from it (or, for one in the history, to before it).
    """
    recorded = sorted(still_cancelled(reference, issued), key=lambda meeting: meeting.date)
    targets = set(moved.values())
    shortest = dt.timedelta(weeks=committee.cadence.min_gap_weeks)

    def in_its_place(cancelled: Meeting, sides: Sequence[PastMeeting | Meeting]) -> bool:
        for side in sides:
            if side.date in moved:  # a meeting next to it moves: its new date decides (below)
                continue
            if abs(side.date - cancelled.date) < shortest:
                return False
            if committee.modes.alternate and side.mode is not None and side.mode == cancelled.mode:
                return False
        return True

    first_open = open_[0]
    keys = tuple(committee.role_keys)
    accepted: list[PastMeeting] = []
    if committee.history:
        gap = [meeting for meeting in recorded if committee.history[-1].date < meeting.date < first_open.date]
        earlier: list[PastMeeting | Meeting] = [committee.history[-1], *gap]
        for before, cancelled, after in zip(earlier, gap, [*gap[1:], first_open], strict=False):
            # the history ends before every meeting planned: a new date before it, or close after it, plans it anew
            if in_its_place(cancelled, (before, after)) and all(cancelled.date + shortest <= day for day in targets):
                accepted.append(PastMeeting(date=cancelled.date, mode=cancelled.mode, pinned_roles=keys))
    stand_ins = []
    for before, after in itertools.pairwise(open_):
        gap = [meeting for meeting in recorded if before.date < meeting.date < after.date]
        for left, cancelled, right in zip([before, *gap], gap, [*gap[1:], after], strict=False):
            if in_its_place(cancelled, (left, right)) and all(abs(cancelled.date - day) >= shortest for day in targets):
                stand_ins.append(cancelled)
    return tuple(accepted), stand_ins
