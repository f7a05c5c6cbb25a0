"""Planning again after a change, with as few changes to the issued plan as the rules allow.

A plan that has been sent out is the *reference*. When a meeting moves, is
cancelled, a unit cannot come on a date, or a unit joins or leaves, `replan`
solves the rest of the period again:

- meetings before the change date (`today`, or the date the changes apply
  from) are held or about to be: they stay exactly as issued and become the
  history the rest continues from (chains, mode alternation, gap, fairness);
- a moved meeting is a fixed date in the new plan;
- the role holders of the meetings inside the notice period (`notice_weeks`
  from the change date, by default `NOTICE_WEEKS`) stay unless the change
  forces otherwise: the preference "Notice period" outranks every other;
- after that, fair turns come first ("Fair turns"): a holder changes where
  the issued plan would give a unit a second turn before another that could
  take it had its first;
- every other meeting keeps its date, mode and role holders wherever the
  rules allow. The preference "Fewest changes" outranks the committee's
  other preferences and counts, per meeting compared with the issued plan, 2 for a
  changed date, 2 for a changed meeting at all (one more update to send), 1
  per changed role holder and 1 for a changed mode; among equally few changes
  it prefers to change later meetings rather than sooner ones;
- a meeting keeps its id, so its calendar UID stays and an update replaces it
  in Outlook (`calendars.ics.changes` raises its SEQUENCE);
- a cancelled meeting keeps its place in the rhythm: the meetings around it
  keep their dates and modes, its role holders' turns lapse and the chains
  jump over it as over a pinned meeting. The longer gap this leaves, and any
  other rule it breaks, is listed in `Replan.broken`. The new plan leaves the
  meeting out and records it (`Plan.cancelled`); planning again from it, the
  cancelled meeting stands in on its own date as `rotation check` reads it,
  so the gap stays as it was accepted (the meetings around it do not move to
  close it, and it is not listed again) until a change plans that gap anew;
- no meeting moves before the change date;
- a unit that joins takes part in every role and comes last in the rotation
  order; it takes its first turns when the rotation reaches it, which is
  usually in the next plan;
- a unit that leaves stays listed (the history names it) but holds no role
  from the change date on and is no longer invited. If it carried a chain out
  of the meetings held (it took the minutes at the last one), the role it
  would have taken next goes to another unit and that broken link is listed
  in `Replan.broken`.

One module per step, and the CP-SAT model of `rotation.model` decides:
`asked` checks the changes as asked, `issued` reads what was issued and held
(and the cancellations on record), `changed` makes the committee the new plan
is solved for, `solving` solves the model once with the preferences that keep
the issued plan, `reasons` says what changed and why, `report` writes that
out (`describe`); `records` holds what a replan is asked and gives back, and
`words` hands their sentences to the message catalogue. The calendar files
that bring the attendees up to date are `rotation.issue_replan`'s.

>>> import datetime as dt, rotation
>>> from rotation.replan import Changes, replan
>>> committee = rotation.example()
>>> issued = rotation.plan(committee)
>>> result = replan(committee, issued, Changes(moves=((dt.date(2023, 9, 7), dt.date(2023, 9, 14)),)))
>>> [(c.meeting, c.kind) for c in result.changes]
[('2023-05', 'date')]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rotation.domain import Committee, Meeting, Plan
from rotation.replan.issued import with_history
from rotation.replan.records import Change, Changes, Replan
from rotation.replan.report import describe
from rotation.replan.solving import NOTICE, NOTICE_WEEKS, PREFERENCE

if TYPE_CHECKING:
    from rotation.replan import solving

__all__ = [
    "NOTICE",
    "NOTICE_WEEKS",
    "PREFERENCE",
    "Change",
    "Changes",
    "Replan",
    "describe",
    "replan",
    "with_history",
]


def replan(
    committee: Committee,
    reference: Plan,
    changes: Changes | None = None,
    *,
    today: dt.date | None = None,
    language: str | None = None,
    notice_weeks: int = NOTICE_WEEKS,
    progress: Callable[[str], None] | None = None,
    time_limit: float | None = None,
) -> Replan:
    """Plan again after `changes`, keeping as much of the issued `reference` plan as the rules allow.

    Meetings before `today` (or, when not given, before the date the changes
    apply from: `changes.start`, else the earliest date they name) stay as
    issued. Raises `HorizonError` for a change to a meeting that has been
    held, `ConfigError` for an unknown unit or an unusable date,
    `PlanFileError` for a reference plan of another committee and
    `InfeasibleError` when the rules cannot all be met after the change.
    The reasons for the changes are in `language` (default: the committee's);
    `progress` and `time_limit` are as for `rotation.plan`. The meetings within
    `notice_weeks` of the change date keep their role holders unless the change
    forces otherwise; after them fair turns outrank keeping the issued holders.
    """
    from rotation.replan import asked, changed, issued, reasons, solving

    language = language or committee.language
    changes = asked.canonical(committee, changes or Changes(), language)
    # what was issued, and from which date it can change
    meetings = issued.read(committee, reference, language)
    by_date = {meeting.date: meeting for meeting in meetings}
    since = asked.change_date(committee, changes, today, meetings, language)
    asked.check_dates(committee, changes, by_date, since, today, language)
    held, open_ = issued.split(meetings, since, language)
    # the committee as the change leaves it, with the cancelled meetings that keep their place
    now = changed.committee_now(committee, changes, meetings, since, reference.end, language)
    moved = dict(changes.moves)
    accepted, stand_ins = issued.cancellations_on_record(now, reference, meetings, open_, moved)
    # in the language asked for, continuing from the held meetings and the cancelled ones before the first open one
    speaking = dataclasses.replace(now, language=language, history=(*now.history, *accepted))
    cancelled = tuple(by_date[day] for day in sorted(changes.cancel))
    placeholders = [*cancelled, *stand_ins]  # in the model in their place, left out of the new plan
    solving_for = changed.solvable(changed.with_placeholders(speaking, placeholders), moved, language)
    # one solve of the model, then the meetings that take place, each with its id as issued
    job = solving.task(
        solving_for, reference, sorted([*open_, *stand_ins], key=lambda m: m.date), moved, since, notice_weeks
    )
    solved = solving.solve(job, language, progress, time_limit)
    kept = solving.as_issued(job, solved, now, {meeting.id for meeting in placeholders})
    plan, replanned = _new_plan(reference, held, kept, solved, job, changes, by_date, since)
    return Replan(
        reference=reference,
        plan=plan,
        committee=now,
        changes=tuple(reasons.changes(speaking, changes, meetings, plan, cancelled)),
        cancelled=cancelled,
        broken=reasons.broken(speaking, meetings, since, replanned),
        held=len(held),
        since=since,
        asked=changes,
        language=language,
        notice_until=job.notice_until,
    )


def _new_plan(
    reference: Plan,
    held: Sequence[Meeting],
    kept: tuple[Meeting, ...],
    solved: Plan,
    job: solving.Task,
    changes: Changes,
    by_date: dict[dt.date, Meeting],
    since: dt.date,
) -> tuple[Plan, Plan]:
    """The new plan (the `held` meetings as issued, then the `kept` ones), and its part that was planned again."""
    from rotation.replan.issued import still_cancelled

    plan = dataclasses.replace(
        reference,
        start=min(reference.start, job.horizon.start),
        end=job.horizon.end,
        meetings=(*held, *kept),
        optimal=solved.optimal,
        objective=None,
        notes=(),
        # a unit that left and a meeting cancelled are recorded, so that `rotation check` reads the plan as it was made
        left=tuple(sorted({*reference.left, *((name, since) for name in changes.remove_units)})),
        cancelled=tuple(
            sorted(
                (*still_cancelled(reference, (*held, *kept)), *(by_date[day] for day in changes.cancel)),
                key=lambda meeting: meeting.date,
            )
        ),
    )
    replanned = Plan(
        committee_name=plan.committee_name,
        timezone=plan.timezone,
        start=job.horizon.start,
        end=job.horizon.end,
        meetings=kept,
        optimal=solved.optimal,
    )
    return plan, replanned
