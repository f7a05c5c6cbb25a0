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
  meeting out; planning again from it keeps that gap as it was accepted (the
  meetings around it do not move to close it, and it is not listed again);
- no meeting moves before the change date;
- a unit that joins takes part in every role and comes last in the rotation
  order; it takes its first turns when the rotation reaches it, which is
  usually in the next plan;
- a unit that leaves stays listed (the history names it) but holds no role
  from the change date on and is no longer invited. If it carried a chain out
  of the meetings held (it took the minutes at the last one), the role it
  would have taken next goes to another unit and that broken link is listed
  in `Replan.broken`.

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
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from rotation.domain import Committee, FixedMeeting, Meeting, Mode, PastMeeting, Plan, Role, Unit, as_past
from rotation.errors import ConfigError, HorizonError, InfeasibleError, PlanFileError
from rotation.i18n import format_date, mode_label

if TYPE_CHECKING:
    from calendars.ics import IssuedFile
    from rotation.validate import Violation

__all__ = ["Change", "Changes", "Replan", "describe", "farewells", "replan", "with_history"]

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
    from rotation.committee_check import check_committee
    from rotation.horizon import Horizon, full_years
    from rotation.solve import solve_horizon
    from rotation.validate import validate

    changes = _canonical(committee, changes or Changes())
    language = language or committee.language
    if reference.committee_name and reference.committee_name != committee.name:
        raise PlanFileError(
            f"the issued plan is for '{reference.committee_name}', not for '{committee.name}'; give its committee file."
        )
    issued = sorted(reference.meetings, key=lambda meeting: meeting.date)
    by_date = {meeting.date: meeting for meeting in issued}
    if committee.history and issued and issued[0].date > committee.history[-1].date:
        held_last, issued_first = committee.history[-1].date, issued[0].date
        weeks = (issued_first - held_last).days // 7
        if weeks > committee.cadence.max_gap_weeks:
            raise HorizonError(
                f"the issued plan starts on {format_date(issued_first, language)}, {weeks} weeks after the last "
                f"meeting in the committee's history ({format_date(held_last, language)}); add the plans in "
                "between to the history (--history), as when the issued plan was made."
            )
    freeze = _freeze_date(committee, changes, today, issued)
    _check_dates(committee, changes, by_date, freeze, today)

    held = [meeting for meeting in issued if meeting.date < freeze]
    open_ = [meeting for meeting in issued if meeting.date >= freeze]
    if not open_:
        raise HorizonError(
            f"every meeting of the issued plan is before {format_date(freeze, language)}; "
            "there is nothing to plan again."
        )
    moved = dict(changes.moves)
    now = with_history(committee, held)
    now = _apply_units(now, changes, freeze, max([reference.end, *(new for _, new in changes.moves)]))
    now = _apply_fixed(now, moved, by_date)
    # A meeting cancelled by an earlier replan is absent from the issued plan; the gap it left
    # before the first open meeting was accepted then and stays accepted (see `_earlier_cancellations`).
    # A move changes the gaps around the meeting it moves; those gaps are planned anew.
    targets = set(moved.values())
    first_open = open_[0]
    accepted = _earlier_cancellations(now, first_open, _still_cancelled(reference, issued))
    if first_open.date in moved or any(day < first_open.date for day in targets):
        # a meeting moved into or next to the gap: the cancelled meetings it leaves room for still stand in it
        earliest = min(targets | {first_open.date} - {day for day in moved if day == first_open.date})
        room = dt.timedelta(weeks=committee.cadence.min_gap_weeks)
        accepted = tuple(past for past in accepted if past.date + room <= earliest)
    speaking = dataclasses.replace(now, language=language, history=(*now.history, *accepted))
    # Between two open meetings such a gap is kept by a stand-in planned as a cancelled meeting is.
    stand_ins = [
        stand_in
        for stand_in in _open_cancellations(speaking, open_, moved)
        if not any(abs((stand_in.date - day).days) < 7 * speaking.cadence.min_gap_weeks for day in targets)
    ]
    open_ = sorted([*open_, *stand_ins], key=lambda meeting: meeting.date)
    solving = _with_placeholders(speaking, [*(by_date[day] for day in changes.cancel), *stand_ins])
    try:
        check_committee(solving)
    except ConfigError as err:  # a fixed meeting that a move made: the message names the move, not the committee file
        index = re.match(r"fixed\[(\d+)\]", err.key or "")
        sources = {new: old for old, new in moved.items()}
        day = solving.fixed[int(index.group(1))].date if index and int(index.group(1)) < len(solving.fixed) else None
        if day is None or day not in sources:
            raise
        shown = f"{format_date(sources[day], language)}={format_date(day, language)}"
        raise ConfigError(f"move {shown}: {err.reason}") from None

    target = {meeting.id: moved.get(meeting.date, meeting.date) for meeting in open_}
    slots = sorted(open_, key=lambda meeting: target[meeting.id])
    last = speaking.history[-1].date if speaking.history else None
    start = last + dt.timedelta(days=1) if last and last >= reference.start else reference.start
    start = max(start, freeze)  # no meeting moves before the change date (today)
    end = max(reference.end, *target.values())
    for place, meeting in enumerate(slots):
        if meeting.date in moved:  # room for the meetings after a moved one to follow it at their gaps
            following = len(slots) - 1 - place
            end = max(end, target[meeting.id] + dt.timedelta(weeks=following * committee.cadence.max_gap_weeks))
    per_year = tuple(
        (year, sum(1 for day in target.values() if day.year == year)) for year, _ in full_years(solving, start, end)
    )
    horizon = Horizon(start=start, end=end, meetings=len(slots), per_year=per_year)
    reference_slots = [dataclasses.replace(m, date=target[m.id]) for m in slots]
    notice_until = freeze + dt.timedelta(weeks=max(0, notice_weeks))
    try:
        solved = solve_horizon(
            solving,
            horizon,
            first=[(NOTICE, _keep_holders([m for m in reference_slots if m.date < notice_until]))],
            after_fairness=[(PREFERENCE, _fewest_changes(reference_slots))],
            progress=progress,
            time_limit=time_limit,
            customize=_keep_moves(slots, target, moved),
        )
    except InfeasibleError as err:
        if err.conflicts or not moved:
            raise
        # The rules allow the moved dates, but not with the meetings in their order around them.
        cadence = committee.cadence
        asked = "; ".join(f"{format_date(old, language)} → {format_date(new, language)}" for old, new in moved.items())
        raise InfeasibleError(
            (
                f"geen planning mogelijk met deze verplaatsing ({asked}): de vergaderingen ervoor en erna kunnen "
                f"niet {cadence.min_gap_weeks} tot {cadence.max_gap_weeks} weken ervan af blijven in hun volgorde; "
                "kies een datum dichter bij de oude, of verplaats of annuleer ook een vergadering ernaast."
            )
            if language == "nl"
            else (
                f"no plan with this move ({asked}): the meetings before and after it cannot keep "
                f"{cadence.min_gap_weeks} to {cadence.max_gap_weeks} weeks from it in their order; choose a date "
                "nearer the old one, or also move or cancel a meeting next to it."
            )
        ) from None

    cancelled_ids = {by_date[day].id for day in changes.cancel} | {meeting.id for meeting in stand_ins}
    kept: list[Meeting] = []
    for old, new in zip(slots, solved.meetings, strict=True):
        if old.id not in cancelled_ids:
            kept.append(_keep_issued(now, old, new))
    plan = dataclasses.replace(
        reference,
        start=min(reference.start, start),
        end=end,
        meetings=(*held, *kept),
        optimal=solved.optimal,
        objective=None,
        notes=(),
        # a unit that left and a meeting cancelled are recorded, so that `rotation check` reads the plan as it was made
        left=tuple(sorted({*reference.left, *((name, freeze) for name in changes.remove_units)})),
        cancelled=tuple(
            sorted(
                (
                    *_still_cancelled(reference, (*held, *kept)),
                    *(by_date[day] for day in changes.cancel),
                ),
                key=lambda meeting: meeting.date,
            )
        ),
    )
    cancelled = tuple(by_date[day] for day in sorted(changes.cancel))
    found = _changes(speaking, changes, issued, plan, cancelled)
    replanned = Plan(
        committee_name=plan.committee_name,
        timezone=plan.timezone,
        start=start,
        end=end,
        meetings=tuple(kept),
        optimal=solved.optimal,
    )
    # Only what this change breaks: a rule the issued plan already broke (a gap an earlier
    # cancellation left) was reported then.
    issued_open = dataclasses.replace(replanned, meetings=tuple(m for m in issued if m.date >= freeze))

    def seen(violation: Violation) -> tuple[str, str]:
        return violation.rule, violation.meeting or violation.message

    known = {seen(violation) for violation in validate(speaking, issued_open)} if issued_open.meetings else set()
    broken = tuple(v for v in validate(speaking, replanned) if seen(v) not in known) if kept else ()
    return Replan(
        reference=reference,
        plan=plan,
        committee=now,
        changes=tuple(found),
        cancelled=cancelled,
        broken=broken,
        held=len(held),
        since=freeze,
        asked=changes,
        language=language,
        notice_until=notice_until,
    )


def farewells(
    committee: Committee, result: Replan, *, stamp: dt.datetime
) -> tuple[list[tuple[str, IssuedFile]], list[str]]:
    """Removals for the coordinators of the units that left, one per meeting from the change date on.

    `committee` is the committee as given to `replan` (with the coordinators
    of the units that leave). Each file is a ``METHOD:CANCEL`` without
    ``STATUS:CANCELLED`` (`calendars.ics.removal`), with the meeting's UID and
    SEQUENCE one above the one last sent, addressed to the departed
    coordinator only: Outlook then removes the meeting from that calendar and
    leaves it in everyone else's. (``rotation replan --ics`` and
    `calendars.ics.changes` make these from the record of what was issued.) Meetings cancelled for everyone
    are left out (their cancellation already reaches everyone invited).
    Returns them as (unit, file) pairs, in date order per unit.

    Also returns the units whose coordinator cannot be reached this way (no
    e-mail address, or the address is still invited for another unit or is
    the secretary's), for the secretary to remove from the invites by hand.
    """
    import re

    from calendars.ics import IssuedFile, removal

    cancelled = {meeting.id for meeting in result.cancelled}
    meetings = sorted(
        (m for m in result.reference.meetings if m.date >= result.since and m.id not in cancelled),
        key=lambda meeting: (meeting.date, meeting.start, meeting.id),
    )
    leaving = set(result.asked.remove_units)
    staying = {
        unit.coordinator.email.casefold()
        for unit in committee.units
        if unit.name not in leaving and unit.coordinator is not None and unit.coordinator.email
    }
    if committee.secretary is not None and committee.secretary.email:
        staying.add(committee.secretary.email.casefold())
    files: list[tuple[str, IssuedFile]] = []
    by_hand: list[str] = []
    for name in result.asked.remove_units:
        unit = committee.unit(name)
        person = unit.coordinator
        if person is None or not person.email or person.email.casefold() in staying:
            by_hand.append(unit.name)
            continue
        part = re.sub(r"[^A-Za-z0-9._-]+", "-", unit.name).strip("-.") or "unit"
        whom = ((person.name, person.email),)
        for meeting in meetings:
            gone = dataclasses.replace(meeting, sequence=meeting.sequence + 1)
            data = removal(committee, gone, whom, stamp=stamp)
            meeting_part = re.sub(r"[^A-Za-z0-9._-]+", "-", meeting.id).strip("-.") or "meeting"
            name = f"remove-{meeting_part}-{gone.sequence}-{part}.ics"
            files.append((unit.name, IssuedFile(name, "remove", gone, data, whom)))
    return files, by_hand


# -- the inputs -----------------------------------------------------------------------------------


def _canonical(committee: Committee, changes: Changes) -> Changes:
    """The changes with unit names as the committee spells them; unknown units are an error."""

    def known(name: str, option: str) -> str:
        try:
            return committee.unit(name).name
        except KeyError:
            names = ", ".join(committee.order)
            raise ConfigError(f"{option}: '{name}' is not a unit of this committee (units: {names}).") from None

    added = []
    for name in changes.add_units:
        clean = " ".join(name.split())
        if not clean:
            raise ConfigError("add-unit: give the name of the unit that joins.")
        try:
            committee.unit(clean)
        except KeyError:
            added.append(clean)
            continue
        raise ConfigError(f"add-unit: '{clean}' is already a unit of this committee.")
    return dataclasses.replace(
        changes,
        unavailable=tuple((known(unit, "unavailable"), day) for unit, day in changes.unavailable),
        remove_units=tuple(known(unit, "remove-unit") for unit in changes.remove_units),
        add_units=tuple(added),
    )


def _freeze_date(committee: Committee, changes: Changes, today: dt.date | None, issued: Sequence[Meeting]) -> dt.date:
    """The first date that may change: earlier meetings stay as issued."""
    language = committee.language
    if today is not None and changes.start is not None and changes.start < today:
        raise HorizonError(
            f"the changes apply from {format_date(changes.start, language)}, before today "
            f"({format_date(today, language)}); meetings that were held cannot change."
        )
    named = changes.dates()
    if changes.start is not None:
        freeze = changes.start
    elif today is not None:
        freeze = today
    elif named:
        freeze = min(named)
    elif changes.add_units or changes.remove_units:
        raise HorizonError("say from which date the units join or leave (--from DATE).")
    else:
        freeze = issued[0].date if issued else dt.date.min
    if committee.history and committee.history[-1].date >= freeze:
        freeze = committee.history[-1].date + dt.timedelta(days=1)
    return freeze


def _check_dates(
    committee: Committee,
    changes: Changes,
    by_date: dict[dt.date, Meeting],
    freeze: dt.date,
    today: dt.date | None,
) -> None:
    language = committee.language

    def show(day: dt.date) -> str:
        return format_date(day, language)

    def issued(day: dt.date, option: str) -> Meeting:
        meeting = by_date.get(day)
        if meeting is None:
            dates = ", ".join(show(d) for d in sorted(by_date))
            raise ConfigError(f"{option}: the issued plan has no meeting on {show(day)} (its meetings: {dates}).")
        return meeting

    limit = "today" if today is not None and freeze == today else f"{show(freeze)}, the date the changes apply from"
    sources = [old for old, _ in changes.moves]
    if len(set(sources)) != len(sources):
        raise ConfigError("move: each meeting can be moved once.")
    targets = [new for _, new in changes.moves]
    if len(set(targets)) != len(targets):
        raise ConfigError("move: two meetings cannot move to the same date.")
    for old, new in changes.moves:
        issued(old, "move")
        if old < freeze:
            raise HorizonError(f"the meeting of {show(old)} is before {limit}; it stays as it was.")
        if new < freeze:
            raise HorizonError(f"{show(new)} is before {limit}; move the meeting to a later date.")
        if new.weekday() != committee.cadence.weekday:
            from rotation.i18n import weekday_name

            raise ConfigError(
                f"move: {show(new)} is a {weekday_name(new.weekday(), language)}; the committee meets on "
                f"{weekday_name(committee.cadence.weekday, language)}."
            )
        if new in by_date and new not in sources and new not in changes.cancel:
            raise ConfigError(f"move: there is already a meeting on {show(new)}.")
        from calendars.blackouts import resolve

        try:
            blocked = [b for b in resolve(committee.blackouts, new, new, language=language) if new in b]
        except LookupError:
            blocked = []
        if blocked:
            raise ConfigError(
                f"move {show(old)}={show(new)}: {show(new)} falls in the blackout '{blocked[0].reason}'; "
                "choose another date."
            )
    for day in changes.cancel:
        issued(day, "cancel")
        if day < freeze:
            raise HorizonError(f"the meeting of {show(day)} is before {limit}; it cannot be cancelled any more.")
        if day in sources:
            raise ConfigError(f"cancel: the meeting of {show(day)} is also moved; either move it or cancel it.")
    for unit, day in changes.unavailable:
        if day in changes.cancel:
            raise ConfigError(f"unavailable: the meeting of {show(day)} is cancelled, so {unit} need not be marked.")
        if day < freeze:
            raise HorizonError(
                f"{unit} is unavailable on {show(day)}, which is before {limit}; nothing can change then."
            )


def _apply_units(committee: Committee, changes: Changes, since: dt.date, until: dt.date) -> Committee:
    """The committee with units joined and left, and the new unavailable dates.

    A unit that leaves stays listed, because the history names it as holder
    of roles it was eligible for, but it is no longer invited and is
    unavailable on every meeting day from `since` to `until`.
    """
    from calendars.dates import weekdays

    language = committee.language
    leaving = set(changes.remove_units)
    for fixed in committee.fixed:
        for key, name in fixed.roles.items():
            if name in leaving and fixed.date >= since:
                raise ConfigError(
                    f"remove-unit: {name} is pinned as {committee.role(key).label(language)} on "
                    f"{format_date(fixed.date, language)}; unpin it in the committee file first."
                )
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
        raise ConfigError(
            f"remove-unit: a meeting needs {len(committee.roles)} different units for its roles; "
            f"{staying} would be left."
        )

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


def _apply_fixed(committee: Committee, moved: dict[dt.date, dt.date], by_date: dict[dt.date, Meeting]) -> Committee:
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


def _with_placeholders(committee: Committee, cancelled: Sequence[Meeting]) -> Committee:
    """The committee the solver sees: a cancelled meeting stays in place, so that the rest keeps its rhythm.

    It is a fixed meeting with its issued mode and role holders pinned, so the
    chains jump over it as over any pinned meeting: the minute-taker of the
    meeting before it chairs the meeting after it.
    """
    keys = set(committee.role_keys)
    dates = {meeting.date for meeting in cancelled}
    fixed = [meeting for meeting in committee.fixed if meeting.date not in dates]
    for meeting in cancelled:
        roles = {role: unit for role, unit in meeting.roles.items() if role in keys and unit}
        fixed.append(FixedMeeting(date=meeting.date, mode=meeting.mode, roles=roles, id=meeting.id))
    return dataclasses.replace(committee, fixed=tuple(sorted(fixed, key=lambda f: f.date)))


def _fill_gap(
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


def _earlier_cancellations(
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
    days = _fill_gap(committee, (last.date, last.mode), (first.date, first.mode))
    return tuple(PastMeeting(date=day, mode=mode, pinned_roles=keys) for day, mode in days)


def _still_cancelled(reference: Plan, meetings: Sequence[Meeting]) -> list[Meeting]:
    """The meetings an earlier replan cancelled, without those that came back (their id is in `meetings`)."""
    ids = {meeting.id for meeting in meetings}
    return [cancelled for cancelled in reference.cancelled if cancelled.id not in ids]


STAND_IN = "~cancelled-before-"
"""The id prefix of a stand-in for a meeting an earlier replan cancelled (never part of a plan)."""


def _open_cancellations(committee: Committee, open_: Sequence[Meeting], moved: dict[dt.date, dt.date]) -> list[Meeting]:
    """Stand-ins for meetings an earlier replan cancelled between two meetings that can still change.

    As `_earlier_cancellations`, but between two open meetings: each stand-in
    is planned as a cancelled meeting is (a fixed meeting the chains jump
    over, then left out). It pins the target role of every chain, to the unit
    the chain would carry into it where that unit can take it. A gap next to
    a meeting that is `moved` now is left to the solver.
    """
    out: list[Meeting] = []
    for before, after in itertools.pairwise(open_):
        if before.date in moved or after.date in moved:
            continue
        for day, mode in _fill_gap(committee, (before.date, before.mode), (after.date, after.mode)):
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


# -- the preference -----------------------------------------------------------------------------------


def _keep_moves(
    slots: Sequence[Meeting], target: dict[str, dt.date], moved: dict[dt.date, dt.date]
) -> Callable[[Any], None]:
    """Each moved meeting on its new date in its own place, so that the meetings keep their order and their ids."""

    def keep(m: Any) -> None:
        for k, meeting in enumerate(slots):
            if meeting.date in moved:
                m.model.add(m.week[k] == m.problem.week(target[meeting.id]))

    return keep


def _keep_holders(reference: Sequence[Meeting]) -> Callable[[Any], tuple[list[Any], int]]:
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


def _fewest_changes(reference: Sequence[Meeting]) -> Callable[[Any], tuple[list[Any], int]]:
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


# -- the outcome -----------------------------------------------------------------------------------


def _keep_issued(committee: Committee, old: Meeting, new: Meeting) -> Meeting:
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


_TEXT = {
    "moved": ("op verzoek", "as asked"),
    "cancelled": ("op verzoek", "as asked"),
    "gap": (
        "om {low} tot {high} weken tussen de vergaderingen te houden",
        "to keep {low} to {high} weeks between meetings",
    ),
    "alternate": ("MS Teams en fysiek wisselen elkaar af", "MS Teams and physical meetings take turns"),
    "unavailable": ("{unit} is niet beschikbaar op {date}", "{unit} is unavailable on {date}"),
    "left": ("{unit} neemt niet meer deel", "{unit} has left the committee"),
    "carried": (
        "{unit} was {source} op {date} en is daarom de volgende keer {target}",
        "{unit} was {source} on {date} and so is {target} next",
    ),
    "carries": (
        "zodat {unit} op {date} {target} kan zijn",
        "so that {unit} can be {target} on {date}",
    ),
    "host": ("{unit} is {role} en ontvangt de vergadering", "{unit} is {role} and hosts the meeting"),
    "rules": ("om aan de regels te voldoen", "to meet the rules"),
    "balance": ("om de beurten in de volgorde te houden", "to keep the turns in order"),
    "fair_never": (
        "zodat {unit}, die nog nooit {role} is geweest, de beurt krijgt",
        "so that {unit}, who has never been {role}, takes the turn",
    ),
    "fair_since": (
        "zodat {unit}, die sinds {date} geen {role} meer is geweest, de beurt krijgt",
        "so that {unit}, who has not been {role} since {date}, takes the turn",
    ),
}


def _say(committee: Committee, key: str, **values: object) -> str:
    nl, en = _TEXT[key]
    return (nl if committee.language == "nl" else en).format(**values)


def _changes(
    committee: Committee,
    changes: Changes,
    issued: Sequence[Meeting],
    plan: Plan,
    cancelled: Sequence[Meeting],
) -> list[Change]:
    language = committee.language
    moved = {old for old, _ in changes.moves}
    leaving = set(changes.remove_units)
    unavailable = set(changes.unavailable)
    new_by_id = plan.by_id()
    order = sorted(plan.meetings, key=lambda meeting: meeting.date)
    position = {meeting.id: index for index, meeting in enumerate(order)}
    cadence = committee.cadence
    out: list[Change] = []
    gone = {meeting.id for meeting in cancelled}
    for old in issued:
        if old.id in gone:
            out.append(
                Change(old.id, old.date, "cancel", old.date.isoformat(), "", reason=_say(committee, "cancelled"))
            )
            continue
        new = new_by_id.get(old.id)
        if new is None:
            continue
        if new.date != old.date:
            if old.date in moved:
                reason = _say(committee, "moved")
            elif any((unit, old.date) in unavailable for unit in old.roles.values()):
                unit = next(u for u in old.roles.values() if (u, old.date) in unavailable)
                reason = _say(committee, "unavailable", unit=unit, date=format_date(old.date, language))
            else:
                reason = _say(committee, "gap", low=cadence.min_gap_weeks, high=cadence.max_gap_weeks)
            out.append(Change(old.id, old.date, "date", old.date.isoformat(), new.date.isoformat(), reason=reason))
        if new.mode is not old.mode:
            out.append(
                Change(old.id, old.date, "mode", old.mode.value, new.mode.value, reason=_say(committee, "alternate"))
            )
        if new.location != old.location:
            out.append(
                Change(
                    old.id, old.date, "location", old.location, new.location, reason=_place_reason(committee, old, new)
                )
            )
        index = position[new.id]
        before = order[index - 1] if index > 0 else None
        after = order[index + 1] if index + 1 < len(order) else None
        for role in committee.role_keys:
            was, now = old.roles.get(role, ""), new.roles.get(role, "")
            if was == now:
                continue
            if was in leaving:
                reason = _say(committee, "left", unit=was)
            elif (was, new.date) in unavailable:
                reason = _say(committee, "unavailable", unit=was, date=format_date(new.date, language))
            else:
                carried = _chain_reason(committee, role, now, new, before, after)
                fair = _fair_reason(committee, role, now, was, new, order)
                if carried and any(chain.target == role for chain in committee.chains):
                    reason = carried
                else:
                    reason = fair or carried or _say(committee, "balance")
            out.append(Change(old.id, old.date, "role", was, now, role=role, reason=reason))
    return out


def _fair_reason(
    committee: Committee, role: str, now: str, was: str, meeting: Meeting, order: Sequence[Meeting]
) -> str | None:
    """Why `now` holds the role instead of `was`: it waited longer (None when it did not)."""
    if not now or role in meeting.pinned_roles:
        return None
    last: dict[str, dt.date] = {}
    for past in committee.history:
        if role not in committee.pinned_at(past) and past.roles.get(role):
            last[past.roles[role]] = past.date
    for other in order:
        if other.date >= meeting.date:
            break
        if role not in other.pinned_roles and other.roles.get(role):
            last[other.roles[role]] = other.date
    mine, theirs = last.get(now), last.get(was)
    if mine is not None and (theirs is None or mine >= theirs):
        return None
    label = committee.role(role).label(committee.language)
    if mine is None:
        return _say(committee, "fair_never", unit=now, role=label)
    return _say(committee, "fair_since", unit=now, role=label, date=format_date(mine, committee.language))


def _place_reason(committee: Committee, old: Meeting, new: Meeting) -> str:
    """Why a meeting's location changed: its mode changed, or another unit hosts it."""
    if new.mode is not old.mode:
        return _say(committee, "alternate")
    host = committee.modes.physical_host
    unit = new.roles.get(host) if host else None
    if new.mode is Mode.PHYSICAL and host and unit and unit != old.roles.get(host):
        return _say(committee, "host", unit=unit, role=committee.role(host).label(committee.language))
    return ""


def _chain_reason(
    committee: Committee,
    role: str,
    unit: str,
    meeting: Meeting,
    before: Meeting | None,
    after: Meeting | None,
) -> str | None:
    language = committee.language
    for chain in committee.chains:
        source = committee.role(chain.source).label(language)
        target = committee.role(chain.target).label(language)
        if chain.target == role and before is not None and before.roles.get(chain.source) == unit:
            return _say(
                committee, "carried", unit=unit, source=source, target=target, date=format_date(before.date, language)
            )
        if chain.source == role and after is not None and after.roles.get(chain.target) == unit:
            return _say(committee, "carries", unit=unit, target=target, date=format_date(after.date, language))
    return None


# -- the report -----------------------------------------------------------------------------------

_REPORT = {
    "title": ("Wijzigingen ten opzichte van de uitgegeven planning:", "Changes to the issued plan:"),
    "none": (
        "Geen wijzigingen: de uitgegeven planning blijft zoals ze is.",
        "No changes: the issued plan stays as it is.",
    ),
    "date": ("verplaatst naar {new}", "moves to {new}"),
    "mode": ("{old} wordt {new}", "{old} becomes {new}"),
    "location": ("locatie: {new} in plaats van {old}", "location: {new} instead of {old}"),
    "role": ("{role}: {new} in plaats van {old}", "{role}: {new} instead of {old}"),
    "cancel": ("vervalt", "cancelled"),
    "held": (
        "Vergaderingen vóór {date} die blijven zoals ze waren: {count}.",
        "Meetings before {date} that stay as they were: {count}.",
    ),
    "notice": (
        "Vergaderingen vóór {date} (de opzegtermijn) houden hun rolhouders tenzij de wijziging dat onmogelijk maakt.",
        "Meetings before {date} (the notice period) keep their role holders unless the change forces otherwise.",
    ),
    "same": ("Andere vergaderingen die ongewijzigd blijven: {count}.", "Other meetings that stay unchanged: {count}."),
    "broken": (
        "Door deze wijziging geldt het volgende niet meer:",
        "Because of this change the following no longer holds:",
    ),
    "joins": (
        "{unit} doet mee vanaf {date} en staat achteraan in de volgorde.",
        "{unit} takes part from {date} and comes last in the rotation order.",
    ),
    "leaves": ("{unit} doet niet meer mee vanaf {date}.", "{unit} no longer takes part from {date}."),
}


def _report(language: str, key: str, **values: object) -> str:
    nl, en = _REPORT[key]
    return (nl if language == "nl" else en).format(**values)


def describe(result: Replan, language: str | None = None) -> str:
    """The changes as the committee reads them: per meeting what changed, for whom and why.

    The reasons are in the language `replan` was given; pass the same `language` here.
    """
    committee = result.committee
    language = language or result.language
    lines: list[str] = []
    if result.changes:
        lines.append(_report(language, "title"))
    else:
        lines.append(_report(language, "none"))
    by_meeting: dict[str, list[Change]] = {}
    for change in result.changes:
        by_meeting.setdefault(change.meeting, []).append(change)
    for changes in sorted(by_meeting.values(), key=lambda group: group[0].date):
        first = changes[0]
        lines.append(f"  {format_date(first.date, language)}  ({first.meeting})")
        for change in changes:
            if change.kind == "date":
                what = _report(language, "date", new=format_date(dt.date.fromisoformat(change.new), language))
            elif change.kind == "mode":
                what = _report(
                    language,
                    "mode",
                    old=mode_label(Mode(change.old), language),
                    new=mode_label(Mode(change.new), language),
                )
            elif change.kind == "location":
                what = _report(language, "location", old=change.old or "-", new=change.new or "-")
            elif change.kind == "role":
                label = committee.role(change.role).label(language) if change.role else ""
                what = _report(language, "role", role=label, old=change.old or "-", new=change.new or "-")
            else:
                what = _report(language, "cancel")
            lines.append(f"    - {what} ({change.reason})" if change.reason else f"    - {what}")
    unchanged = len(result.plan.meetings) - result.held - len(result.updated)
    if result.held:
        lines.append(_report(language, "held", count=result.held, date=format_date(result.since, language)))
    if result.notice_until is not None and result.notice_until > result.since:
        lines.append(_report(language, "notice", date=format_date(result.notice_until, language)))
    if unchanged > 0:
        lines.append(_report(language, "same", count=unchanged))
    for unit in result.asked.add_units:
        lines.append(_report(language, "joins", unit=unit, date=format_date(result.since, language)))
    for unit in result.asked.remove_units:
        lines.append(_report(language, "leaves", unit=unit, date=format_date(result.since, language)))
    if result.broken:
        lines.append(_report(language, "broken"))
        lines.extend(f"  - {violation.message}" for violation in result.broken)
    return "\n".join(lines) + "\n"
