"""How often each unit held each role: over the history (the fairness window) and a plan.

`role_counts` is plain counting, without the solver, so that tables and pages
can show the same numbers the model balances (`rotation.model.history_counts`
counts the history the same way).

>>> import rotation
>>> from rotation.fairness import role_counts
>>> committee = rotation.example()
>>> counts = role_counts(committee, rotation.plan(committee))
>>> [(c.past, c.planned) for c in counts if c.unit == "Oost-Nederland" and c.role == "chair"]
[(1, 0)]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rotation.domain import Committee, Plan
from rotation.messages import gettext, ngettext

__all__ = [
    "Repeat",
    "RoleCount",
    "Turn",
    "chain_steps",
    "fairness_notes",
    "fairness_since",
    "idle_span",
    "idle_units",
    "repeats",
    "role_counts",
    "round_at_start",
    "turns",
]


@dataclass(frozen=True)
class RoleCount:
    """The turns of one unit in one role."""

    unit: str
    role: str
    """The role's key."""
    past: int
    """Turns in the history, counted over the committee's fairness window."""
    planned: int
    """Turns in the plan (0 without a plan)."""
    last: dt.date | None
    """The unit's last turn in this role, in the whole history or the plan (None: never)."""
    eligible: bool
    """Whether the unit takes part in this role."""
    waited_longest: bool
    """Of the eligible units, none has waited longer for this role (never counts as longest)."""

    @property
    def total(self) -> int:
        return self.past + self.planned


def fairness_since(committee: Committee, plan: Plan | None = None) -> dt.date | None:
    """The first history date that counts: `fairness_years` before the plan (or the end of the history).

    None when every past meeting counts (no `fairness_years`, or nothing to count back from).
    """
    if plan is not None:
        return committee.fairness_start(plan.start)
    if committee.history:
        return committee.fairness_start(committee.history[-1].date + dt.timedelta(days=1))
    return None


def role_counts(committee: Committee, plan: Plan | None = None) -> list[RoleCount]:
    """Per unit (in rotation order) and role (in the committee's order), the turns over history and plan.

    Units that take part in no role (a unit that left) are not listed.

    History meetings count from `fairness_since`; a plan meeting on a date the
    history already holds is counted once, as history. The unit flagged
    `waited_longest` for a role is the eligible unit whose last turn in it,
    history and plan together, is the oldest (or that never had one); several
    units share the flag when they tie.
    """
    since = fairness_since(committee, plan)
    past_dates = {meeting.date for meeting in committee.history}
    past: dict[tuple[str, str], int] = {}
    planned: dict[tuple[str, str], int] = {}
    last: dict[tuple[str, str], dt.date] = {}
    for meeting in committee.history:
        for role, unit in meeting.roles.items():
            if since is None or meeting.date >= since:
                past[role, unit] = past.get((role, unit), 0) + 1
            last[role, unit] = max(last.get((role, unit), meeting.date), meeting.date)
    for item in plan.meetings if plan is not None else ():
        if item.date in past_dates:
            continue
        for role, unit in item.roles.items():
            planned[role, unit] = planned.get((role, unit), 0) + 1
            last[role, unit] = max(last.get((role, unit), item.date), item.date)
    longest: dict[str, set[str]] = {}
    for role in committee.role_keys:
        eligible = committee.eligible(role)
        if not eligible:
            continue
        never = {unit for unit in eligible if (role, unit) not in last}
        if never:
            longest[role] = never
        else:
            oldest = min(last[role, unit] for unit in eligible)
            longest[role] = {unit for unit in eligible if last[role, unit] == oldest}
    out = []
    for unit in committee.order:
        if not any(unit in committee.eligible(role) for role in committee.role_keys):
            continue  # a unit that left: it stays listed for its history only
        for role in committee.role_keys:
            out.append(
                RoleCount(
                    unit=unit,
                    role=role,
                    past=past.get((role, unit), 0),
                    planned=planned.get((role, unit), 0),
                    last=last.get((role, unit)),
                    eligible=unit in committee.eligible(role),
                    waited_longest=unit in longest.get(role, set()),
                )
            )
    return out


# -- fair turns: nobody a second time before everyone had one ------------------------------------


@dataclass(frozen=True)
class Turn:
    """One meeting at which a unit holds a role that was not pinned in advance."""

    date: dt.date
    unit: str
    meeting: str | None = None
    """The meeting's id (None for a meeting of the history)."""
    planned: bool = False


@dataclass(frozen=True)
class Repeat:
    """A unit holds a role again while another unit that could have taken it has not had it this round."""

    role: str
    unit: str
    date: dt.date
    meeting: str | None
    waiting: tuple[str, ...]
    """The eligible units, available on the date, that have not held the role since the round began."""
    round_began: dt.date | None
    """The first turn of the current round (None: the round began before the history)."""

    def sentence(self, committee: Committee, language: str | None = None) -> str:
        """The repeat in the committee's terms."""
        language = language or committee.language
        shown = self.waiting[:3]
        more = len(self.waiting) - len(shown)
        names = gettext(language, "fairness.names_more", names=", ".join(shown), more=more) if more else shown
        since = (
            gettext(language, "fairness.since_began", date=self.round_began)
            if self.round_began
            else gettext(language, "fairness.since_round")
        )
        return ngettext(
            language,
            "fairness.repeat",
            len(self.waiting),
            unit=self.unit,
            role=committee.role(self.role).label(language),
            date=self.date,
            names=names,
            since=since,
        )


def turns(committee: Committee, role: str, plan: Plan | None = None) -> list[Turn]:
    """The turns of `role`, history then plan, in date order; pinned roles are no turns.

    A plan meeting on a date the history already holds is counted once, as history.
    """
    out = [
        Turn(meeting.date, meeting.roles[role])
        for meeting in sorted(committee.history, key=lambda m: m.date)
        if role in meeting.roles and role not in committee.pinned_at(meeting)
    ]
    past_dates = {meeting.date for meeting in committee.history}
    for meeting in sorted(plan.meetings if plan is not None else (), key=lambda m: m.date):
        if meeting.date in past_dates or role not in meeting.roles or role in meeting.pinned_roles:
            continue
        out.append(Turn(meeting.date, meeting.roles[role], meeting.id, planned=True))
    return out


def _rounds(units: tuple[str, ...], order: list[Turn]) -> list[tuple[frozenset[str], dt.date | None]]:
    """Before each turn: the units that have held the role in the current round, and when that round began.

    A round ends when every eligible unit has held the role; turns of units
    that do not take part (any more) do not count.
    """
    members = set(units)
    held: set[str] = set()
    began: dt.date | None = None
    out = []
    for turn in order:
        if held >= members:
            held, began = set(), None
        out.append((frozenset(held), began))
        if turn.unit in members:
            if not held:
                began = turn.date
            held.add(turn.unit)
    return out


def round_at_start(committee: Committee, role: str) -> frozenset[str]:
    """The units that have held `role` in the round that is running when the history ends."""
    units = committee.eligible(role)
    order = turns(committee, role)
    if not order:
        return frozenset()
    held, _ = _rounds(units, [*order, Turn(dt.date.max, "")])[-1]
    return held


def chain_steps(committee: Committee, role: str) -> tuple[int, ...]:
    """The neighbouring meetings a unit must also be free for to take `role`: +1 as a chain's source, -1 as its target.

    The source holder hands the chain on at the next meeting, and the target
    holder took the source role at the meeting before.
    """
    steps = set()
    for link in committee.chains:
        if link.source == role:
            steps.add(1)
        if link.target == role:
            steps.add(-1)
    return tuple(sorted(steps))


def repeats(committee: Committee, plan: Plan) -> list[Repeat]:
    """Every planned turn that a unit takes again while another could still have its first of the round.

    A unit counts as one that could have taken the turn when it is eligible
    for the role, still a member, and available on the meeting's date and,
    for a role of a chain, on the neighbouring meeting the chain hands the
    role on at (see `chain_steps`). Pinned roles are no turns. Rounds run on
    from the history across years.
    """
    past_dates = {meeting.date for meeting in committee.history}
    dates = sorted(meeting.date for meeting in plan.meetings if meeting.date not in past_dates)
    away = {unit.name: set(unit.unavailable) for unit in committee.units}
    found: list[Repeat] = []
    for role in committee.role_keys:
        units = committee.eligible(role)
        steps = chain_steps(committee, role)
        order = turns(committee, role, plan)
        for turn, (held, began) in zip(order, _rounds(units, order), strict=True):
            if not turn.planned or turn.unit not in held:
                continue
            index = dates.index(turn.date)
            around = [turn.date] + [dates[index + s] for s in steps if 0 <= index + s < len(dates)]
            waiting = tuple(
                unit for unit in units if unit not in held and not any(day in away.get(unit, ()) for day in around)
            )
            if waiting:
                found.append(Repeat(role, turn.unit, turn.date, turn.meeting, waiting, began))
    return sorted(found, key=lambda r: (r.date, committee.role_keys.index(r.role)))


IDLE_YEARS = 2
"""A unit is idle when it holds no role over at least this many years of history and plan together."""


def idle_span(committee: Committee, start: dt.date, end: dt.date) -> bool:
    """Whether the history (over its fairness window) and a plan from `start` to `end` span `IDLE_YEARS`."""
    since = committee.fairness_start(start)
    first = min((m.date for m in committee.history if since is None or m.date >= since), default=start)
    return (end - min(first, start)).days >= round(365.25 * IDLE_YEARS)


def idle_units(committee: Committee, plan: Plan) -> list[str]:
    """The units that take part in some role and hold none, over the fairness window of the history and the plan.

    Only over at least `IDLE_YEARS` (see `idle_span`): over a shorter time the
    rotation order decides who waits (see `rotation.model.spread_load`).
    """
    counts = role_counts(committee, plan)
    taking_part = {c.unit for c in counts if c.eligible}
    if not idle_span(committee, plan.start, plan.end):
        return []
    busy = {c.unit for c in counts if c.total}
    return [unit for unit in committee.order if unit in taking_part and unit not in busy]


def _why_not(committee: Committee, plan: Plan, repeat: Repeat, unit: str, language: str) -> str:
    """Why `unit`, waiting for its turn, did not take the repeated turn: a plain fact of the plan."""
    past_dates = {meeting.date for meeting in committee.history}
    meetings = sorted((m for m in plan.meetings if m.date not in past_dates), key=lambda m: m.date)
    index = next(i for i, m in enumerate(meetings) if m.date == repeat.date)
    here = meetings[index]
    away = set(committee.unit(unit).unavailable)
    for step in chain_steps(committee, repeat.role):
        if 0 <= index + step < len(meetings) and meetings[index + step].date in away:
            return gettext(language, "fairness.cannot_come", unit=unit, date=meetings[index + step].date)
    other = next((role for role, holder in here.roles.items() if holder == unit and role != repeat.role), None)
    if other is not None:
        return gettext(language, "fairness.holds_other", unit=unit, role=committee.role(other).label(language))
    return ""


def fairness_notes(committee: Committee, plan: Plan, language: str | None = None) -> list[str]:
    """The repeats and idle units of a plan, one sentence each, with what kept the waiting units from the turn."""
    language = language or committee.language
    notes = []
    for repeat in repeats(committee, plan):
        reasons = [why for unit in repeat.waiting[:3] if (why := _why_not(committee, plan, repeat, unit, language))]
        text = repeat.sentence(committee, language)
        if reasons:
            text += f" ({'; '.join(reasons)})"
        notes.append(text)
    idle = idle_units(committee, plan)
    if idle:
        notes.append(ngettext(language, "fairness.idle", len(idle), names=tuple(idle)))
    return notes
