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
out (`describe`) and `removals` uninvites the units that left (`farewells`);
`words` holds every sentence they say.

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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rotation.domain import Committee, Meeting, Plan
from rotation.replan.issued import with_history
from rotation.replan.removals import farewells
from rotation.replan.report import describe
from rotation.replan.solving import NOTICE, NOTICE_WEEKS, PREFERENCE

if TYPE_CHECKING:
    from rotation.replan import solving
    from rotation.validate import Violation

__all__ = [
    "NOTICE",
    "NOTICE_WEEKS",
    "PREFERENCE",
    "Change",
    "Changes",
    "Replan",
    "describe",
    "farewells",
    "replan",
    "with_history",
]

ChangeKind = Literal["date", "mode", "location", "role", "cancel"]


@dataclass(frozen=True)
class Changes:
    """What changed since the plan was issued (the options of ``rotation replan``)."""

    moves: tuple[tuple[dt.date, dt.date], ...] = ()
    """Pairs (date as issued, new date)."""
    cancel: tuple[dt.date, ...] = ()
    """Dates of issued meetings that will not take place."""
    unavailable: tuple[tuple[str, dt.date], ...] = ()
    """Pairs (unit, date): the unit cannot hold a role that day."""
    add_units: tuple[str, ...] = ()
    """Units that join; they take part in every role and come last in the rotation order."""
    remove_units: tuple[str, ...] = ()
    """Units that leave."""
    start: dt.date | None = None
    """The date from which the changes apply (``--from``); meetings before it stay as issued."""

    def dates(self) -> list[dt.date]:
        """Every date the changes name."""
        return [*(day for pair in self.moves for day in pair), *self.cancel, *(day for _, day in self.unavailable)]


@dataclass(frozen=True)
class Change:
    """One difference between the issued plan and the new one."""

    meeting: str
    """The meeting's id (the same in both plans)."""
    date: dt.date
    """The meeting's date as issued."""
    kind: ChangeKind
    old: str
    """The value as issued: an ISO date, a mode, a location, a unit name."""
    new: str
    """The new value ("" for a cancelled meeting)."""
    role: str | None = None
    """The role key, for a changed role holder."""
    reason: str = ""
    """Why, in the committee's language (or the one asked for)."""


@dataclass(frozen=True)
class Replan:
    """The outcome of `replan`."""

    reference: Plan
    """The plan as issued."""
    plan: Plan
    """The new plan: the held meetings as issued, then the replanned ones, each with its id and SEQUENCE as issued."""
    committee: Committee
    """The committee as it is now: units joined or left, new unavailable dates, moved meetings
    fixed, and the held meetings in its history. Validate the replanned meetings against it."""
    changes: tuple[Change, ...]
    """What differs from the issued plan, in date order."""
    cancelled: tuple[Meeting, ...]
    """Issued meetings that no longer take place."""
    broken: tuple[Violation, ...]
    """Rules the new plan breaks because of the change (a cancellation leaves a longer gap); usually empty."""
    held: int
    """How many issued meetings were before the change date and stayed as they were."""
    since: dt.date = dt.date.min
    """The first date that could change: the issued meetings before it stayed as they were."""
    asked: Changes = Changes()
    """The changes as asked, with unit names as the committee spells them."""
    language: str = "nl"
    """The language of the reasons and of `broken`."""
    notice_until: dt.date | None = None
    """Meetings before this date kept their role holders unless the change forced otherwise."""

    @property
    def replanned(self) -> Plan:
        """The part of `plan` that was planned again (from the first meeting after the held ones)."""
        meetings = self.plan.meetings[self.held :]
        start = self.committee.history[-1].date + dt.timedelta(days=1) if self.committee.history else self.plan.start
        start = max(start, self.since)
        return dataclasses.replace(self.plan, start=start, meetings=meetings)

    @property
    def updated(self) -> tuple[str, ...]:
        """Ids of the meetings that changed and need an update."""
        seen: list[str] = []
        for change in self.changes:
            if change.kind != "cancel" and change.meeting not in seen:
                seen.append(change.meeting)
        return tuple(seen)


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
