"""The CP-SAT model: which dates, which modes and which unit holds which role.

Each rule of the committee is one function below, named as the user sees it
when the rule is broken or clashes with another (see `RULES`). Hard rules add
constraints; preferences return objective terms. The registry lists both in
priority order, highest first.

Every hard rule instance is added through `Model.require`, which in a normal
solve adds it unconditionally and in an explanation solve guards it with its
own assumption literal, so a clash can be traced back to the committee's rules
(see `rotation.explain`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ortools.sat.python import cp_model

from calendars.blackouts import resolve
from calendars.dates import weekdays
from rotation.domain import Blackout, Chain, Committee, FixedMeeting, Mode, PastMeeting
from rotation.errors import ConfigError
from rotation.fairness import chain_steps, idle_span, round_at_start
from rotation.horizon import Horizon

__all__ = ["PREFERENCES", "RULES", "Fact", "Model", "NoMeetingDay", "Problem", "Rule", "Sequence_", "build_problem"]


_F = TypeVar("_F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Rule:
    """A rule or preference of the model, by the name the user sees."""

    name: str
    hard: bool
    summary: str


_NAMED: dict[Callable[..., Any], Rule] = {}
"""Each rule and preference function with its `Rule`: the name is given once, on the function (see `rule`)."""


def rule(name: str, summary: str, *, hard: bool = True) -> Callable[[_F], _F]:
    """Name a rule (or, with `hard=False`, a preference) on the function that builds it."""

    def named(function: _F) -> _F:
        _NAMED[function] = Rule(name, hard, summary)
        return function

    return named


def name_of(function: Callable[..., Any]) -> str:
    """The name the user sees for the rule or preference `function` builds."""
    return _NAMED[function].name


@dataclass(frozen=True)
class Sequence_:
    """A role whose holders should follow the rotation order (the source of a chain, or an unchained role)."""

    role: str
    units: tuple[str, ...]
    """The units that take turns, in rotation order."""
    start: int
    """Index in `units` of the ideal holder at the first turn of the horizon."""
    chain: Chain | None
    carried: str | None
    """The unit that holds the chain's target at the first meeting (from the history)."""


@dataclass
class Problem:
    """Everything the model needs, as plain data."""

    committee: Committee
    horizon: Horizon
    blackouts: list[Blackout]
    epoch: dt.date
    """A date on the meeting weekday; week numbers in the model count from it."""
    weeks: list[int]
    """Week numbers of the candidate days (meeting weekday, inside the horizon, no blackout)."""
    all_weeks: list[int]
    """Week numbers of every meeting weekday in the horizon, blackouts included."""
    fixed: list[FixedMeeting]
    last: PastMeeting | None
    history_counts: dict[tuple[str, str], int]
    sequences: list[Sequence_]
    first_mode: Mode | None
    """The mode of the first meeting when the history decides it."""

    def day(self, week: int) -> dt.date:
        return self.epoch + dt.timedelta(weeks=week)

    def week(self, day: dt.date) -> int:
        return (day - self.epoch).days // 7


def build_problem(committee: Committee, horizon: Horizon) -> Problem:
    """Gather the dates, blackouts, history and chains the model works from."""
    cadence = committee.cadence
    language = committee.language
    try:
        blackouts = resolve(committee.blackouts, horizon.start, horizon.end, language=language)
    except LookupError as err:
        raise ConfigError(
            f"{err}; leave out school_regions or plan years it knows.",
            file=committee.source,
            key="blackouts.school_regions",
        ) from None
    all_days = weekdays(cadence.weekday, horizon.start, horizon.end)
    if not all_days:
        fact = Fact(
            name_of(meeting_weekday_and_horizon),
            "no_weekday",
            {"weekday": cadence.weekday, "start": horizon.start, "end": horizon.end},
        )
        raise NoMeetingDay(fact)
    last = committee.history[-1] if committee.history else None
    anchor = min(horizon.start, last.date) if last else horizon.start
    epoch = anchor - dt.timedelta(days=(anchor.weekday() - cadence.weekday) % 7)
    blocked = {day for day in all_days if any(day in b for b in blackouts)}
    fixed = [meeting for meeting in committee.fixed if horizon.start <= meeting.date <= horizon.end]
    problem = Problem(
        committee=committee,
        horizon=horizon,
        blackouts=blackouts,
        epoch=epoch,
        weeks=[],
        all_weeks=[],
        fixed=fixed,
        last=last,
        history_counts=history_counts(committee, horizon.start),
        sequences=[],
        first_mode=None,
    )
    problem.all_weeks = [problem.week(day) for day in all_days]
    problem.weeks = [problem.week(day) for day in all_days if day not in blocked]
    problem.sequences = _sequences(committee)
    if committee.modes.alternate and last is not None and last.mode is not None:
        problem.first_mode = last.mode.other
    return problem


def history_counts(committee: Committee, before: dt.date) -> dict[tuple[str, str], int]:
    """How often each unit held each role in the history, over the fairness window."""
    since = committee.fairness_start(before)
    counts: dict[tuple[str, str], int] = {}
    for meeting in committee.history:
        if since is not None and meeting.date < since:
            continue
        for role, unit in meeting.roles.items():
            counts[role, unit] = counts.get((role, unit), 0) + 1
    return counts


def _resume(committee: Committee, role: str, skip: tuple[str, ...], units: tuple[str, ...]) -> int | None:
    """Index in `units` of the unit whose turn at `role` is next, from the history (None: no history to go by).

    The turn goes to the unit after the last holder. A holder that no longer
    takes part (a unit that left) still used its turn: the turns resume after
    the last holder that takes part, moved on by one for each that left, so the
    units after them move up instead of the rotation starting over.
    """
    left = 0
    for meeting in reversed(committee.history):
        if set(skip) & committee.pinned_at(meeting):
            continue
        holder = meeting.roles.get(role)
        if holder is None:
            return None
        if holder in units:
            return (units.index(holder) + 1 + left) % len(units)
        left += 1
    return None


def _sequences(committee: Committee) -> list[Sequence_]:
    """The roles whose holders follow the rotation order, each with the turn it starts from.

    A role the history has held resumes after its last holder. One it has not
    starts away from the roles already placed, so that the load is spread: at
    the start whose units are due farthest (in the rotation order) from the
    units due in the other roles, the nearest the head of the order among
    equals; a chain that continues another (notes → timekeeper → facilitator)
    follows it one meeting behind.
    """
    chained = {c.source for c in committee.chains} | {c.target for c in committee.chains}
    specs: list[tuple[str, tuple[str, ...], Chain | None, str | None, int | None]] = []
    for link in committee.chains:
        units = committee.chain_units(link)
        held = committee.carrier(link)
        specs.append(
            (
                link.source,
                units,
                link,
                held if held in units else None,
                _resume(committee, link.source, (link.source, link.target), units),
            )
        )
    for each in committee.roles:
        if each.key not in chained:
            units = committee.eligible(each.key)
            specs.append((each.key, units, None, None, _resume(committee, each.key, (each.key,), units)))
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # equal unit lists as one object (see `_distance_to`)
    specs = [(role, shared.setdefault(units, units), chain, held, start) for role, units, chain, held, start in specs]
    placed = {
        role: Sequence_(role, units, start, chain, carried)
        for role, units, chain, carried, start in specs
        if start is not None
    }
    position = {unit: index for index, unit in enumerate(committee.order)}
    for role, units, chain, carried, start in specs:
        if start is not None:
            continue
        before = next(
            (s for s in placed.values() if chain and s.chain and s.chain.target == chain.source and s.units == units),
            None,
        )
        if before is not None:
            start = (before.start - 1) % len(units)
        else:
            first = 1 if chain else 0  # a chain's first target is the head of the order, its source the next
            options = [(first + shift) % len(units) for shift in range(len(units))]
            turns = max(len(s.units) for s in (*placed.values(), Sequence_(role, units, 0, chain, carried)))
            distance = [
                _distance_to(Sequence_(role, units, s, chain, carried), placed.values(), turns, position)
                for s in options
            ]
            start = options[distance.index(max(distance))]
        placed[role] = Sequence_(role, units, start, chain, carried)
    return [placed[role] for role, *_ in specs]


def _due_at(sequence: Sequence_, turn: int) -> set[str]:
    """The units a sequence's ideal has in its roles at a turn."""
    size = len(sequence.units)
    due = {sequence.units[(sequence.start + turn) % size]}
    if sequence.chain is not None:
        due.add(sequence.units[(sequence.start + turn - 1) % size])
    return due


def _distance_to(sequence: Sequence_, others: Iterable[Sequence_], turns: int, position: dict[str, int]) -> int:
    """How far apart, in places of the rotation order, `sequence` keeps its due units from those of `others`.

    The least distance over the first `turns` turns: a unit due in two roles
    at once is 0 apart, one due in the next meeting's other role 1, and so on.
    """
    cycle = len(position)
    least = cycle
    varying = []
    for other in others:
        if other.units is sequence.units and len(sequence.units) == cycle:
            # the same units, all the committee's, in its order: the distance is the same at every turn
            mine = {position[unit] for unit in _due_at(sequence, 0)}
            for theirs in (position[unit] for unit in _due_at(other, 0)):
                for place in mine:
                    apart = abs(place - theirs)
                    least = min(least, apart, cycle - apart)
        else:
            varying.append(other)
    for turn in range(turns if varying else 0):
        mine = {position[unit] for unit in _due_at(sequence, turn)}
        for other in varying:
            for theirs in (position[unit] for unit in _due_at(other, turn)):
                for place in mine:
                    apart = abs(place - theirs)
                    least = min(least, apart, cycle - apart)
        if least == 0:
            break
    return least


@dataclass(frozen=True)
class Fact:
    """One hard rule instance as the model states it; `rotation.explain` puts it into words.

    `values` are plain facts: dates, counts, unit names (a tuple for several),
    role keys (``role``, ``source``, ``target``), a mode, a weekday number.
    """

    rule: str
    """The rule's name, as in the registry (`RULES`)."""
    key: str
    """The kind of rule instance (``gap_min``, ``fixed_date``; its message is ``clash.<key>``)."""
    values: dict[str, Any] = field(default_factory=dict)


class NoMeetingDay(Exception):
    """The horizon holds no day of the meeting weekday: no model can be built (`rotation.explain.problem` says why)."""

    def __init__(self, fact: Fact) -> None:
        super().__init__(fact.key)
        self.fact = fact


@dataclass
class Assumption:
    """One rule instance guarded by a literal in an explanation solve."""

    literal: Any
    fact: Fact


@dataclass
class Model:
    """The CP-SAT model of one planning problem, with its variables by name.

    `explain=True` builds the explanation variant: blacked-out days stay
    candidates and every hard rule instance gets an assumption literal.
    """

    problem: Problem
    explain: bool = False
    exact_fairness: bool = False
    """Count unfair turns with the rounds as they run (see `fair_turns`), not as blocks of turns."""
    fair_by_blocks: bool = False
    """Whether `fair_turns` counted some role by blocks of turns."""
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    week: list[cp_model.IntVar] = field(default_factory=list)
    physical: list[Any] = field(default_factory=list)
    holds: dict[tuple[int, str, str], cp_model.IntVar] = field(default_factory=dict)
    assumptions: list[Assumption] = field(default_factory=list)
    objective_terms: dict[str, list[Any]] = field(default_factory=dict)
    weights: dict[str, int] = field(default_factory=dict)
    """The weight of each preference in the objective: its terms count more than all those below it together."""
    stages: list[Any] = field(default_factory=list)
    """The objective, highest priority first, split where one weighted sum would not fit in 64 bits."""
    stage_weights: list[int] = field(default_factory=list)
    """The weight of each stage's objective in the whole objective."""
    work_done: float = 0.0
    """The solver's deterministic work spent on this model so far, over all its stages."""
    stage_results: list[tuple[bool, int, int]] = field(default_factory=list)
    """Per stage solved: whether it was proven optimal, its best value and the solver's bound on it."""
    solution: Any = None
    """The values of the last plan found, over all stages so far (`rotation.solve.Solution`): read the plan here."""
    _on: dict[tuple[int, int], Any] = field(default_factory=dict)
    _units: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    _units_size: int = -1
    _pins: dict[int, list[FixedMeeting]] = field(default_factory=dict)
    _pinned: dict[tuple[int, frozenset[str]], Any] = field(default_factory=dict)

    @property
    def slots(self) -> range:
        return range(self.problem.horizon.meetings)

    # -- plumbing -----------------------------------------------------------

    def require(self, fact: Fact) -> list[Any]:
        """Enforcement literals for one hard rule instance (none in a normal solve)."""
        if not self.explain:
            return []
        literal = self.model.new_bool_var(f"{fact.rule}: {fact.key}")
        self.assumptions.append(Assumption(literal, fact))
        return [literal]

    def on(self, slot: int, week: int) -> Any:
        """A literal that is true when meeting `slot` is held in `week`."""
        key = (slot, week)
        if key not in self._on:
            var = self.week[slot]
            if not _in_domain(var, week):
                self._on[key] = 0
            else:
                lit = self.model.new_bool_var(f"meeting {slot + 1} on {self.problem.day(week)}")
                self.model.add(var == week).only_enforce_if(lit)
                self.model.add(var != week).only_enforce_if(~lit)
                self._on[key] = lit
        return self._on[key]

    def units_for(self, slot: int, role: str) -> list[str]:
        """The units that may hold `role` at meeting `slot` (those with a variable), in the order they were added."""
        if self._units_size != len(self.holds):  # the index is rebuilt whenever variables were added
            self._units = {}
            for k, r, unit in self.holds:
                self._units.setdefault((k, r), []).append(unit)
            self._units_size = len(self.holds)
        return list(self._units.get((slot, role), ()))

    def pins_possible(self, slot: int) -> list[FixedMeeting]:
        """The fixed meetings that pin a role and that meeting `slot` can be (its week's domain never changes)."""
        if slot not in self._pins:
            self._pins[slot] = [
                f for f in self.problem.fixed if f.roles and _in_domain(self.week[slot], self.problem.week(f.date))
            ]
        return self._pins[slot]

    def pinned(self, slot: int, roles: Sequence[str]) -> Any:
        """A 0/1 expression: meeting `slot` is a fixed meeting that pins any of `roles`."""
        key = (slot, frozenset(roles))
        if key not in self._pinned:
            terms = [
                self.on(slot, self.problem.week(f.date)) for f in self.pins_possible(slot) if set(roles) & set(f.roles)
            ]
            self._pinned[key] = sum(terms) if terms else 0
        return self._pinned[key]


def _in_domain(var: cp_model.IntVar, value: int) -> bool:
    flat = var.proto.domain
    return any(flat[i] <= value <= flat[i + 1] for i in range(0, len(flat), 2))


def _require(m: Model, built_by: Callable[..., Any], key: str, **values: Any) -> list[Any]:
    """`Model.require` for one instance of the rule `built_by` builds: its kind and values."""
    if not m.explain:
        return []
    return m.require(Fact(name_of(built_by), key, values))


def _horizon_rule(m: Model) -> list[Any]:
    """The rule that the horizon holds all of its meetings: a yearly count when the horizon is one calendar year."""
    p = m.problem
    count = p.horizon.meetings
    years = p.horizon.per_year
    if len(years) == 1 and years[0][0] == p.horizon.start.year == p.horizon.end.year:
        year = years[0][0]
        held = sum(1 for past in p.committee.history if past.date.year == year)
        total = count + held
        return _require(m, meetings_per_year, "per_year", year=year, total=total, held=held, value=total - 1)
    return _require(
        m,
        meeting_weekday_and_horizon,
        "horizon" if count > 1 else "horizon_one",
        count=count,
        start=p.horizon.start,
        end=p.horizon.end,
        value=count - 1,
    )


# -- the rules -------------------------------------------------------------------


@rule("Meeting weekday and horizon", "meetings fall on the committee's weekday inside the horizon")
def meeting_weekday_and_horizon(m: Model) -> None:
    """Meetings fall on the weekday, inside the horizon, in date order, each slot in reach of the others.

    In an explanation solve the meetings may run on past the end of the
    horizon unless the rule that the horizon holds them all is assumed, so
    that too many meetings for the period can be named as part of a clash.
    """
    p = m.problem
    cadence = p.committee.cadence
    count = p.horizon.meetings
    if not p.all_weeks:
        return  # build_problem refuses a horizon without a meeting day
    weeks = p.all_weeks if m.explain else p.weeks
    first, final = p.all_weeks[0], p.all_weeks[-1]
    low_gap, high_gap = cadence.min_gap_weeks, cadence.longest_gap_weeks
    if m.explain:
        beyond = final + count * high_gap
        for k in range(count):
            domain = cp_model.Domain(first + k, beyond - (count - 1 - k))
            m.week.append(m.model.new_int_var_from_domain(domain, f"week of meeting {k + 1}"))
        if count:
            m.model.add(m.week[count - 1] <= final).only_enforce_if(_horizon_rule(m))
        return
    after = None
    if p.last is not None:
        days = (p.last.date - p.epoch).days
        after = (math.ceil((days + 7 * low_gap) / 7), math.floor((days + 7 * high_gap) / 7))
    for k in range(count):
        lo = first + k * low_gap
        hi = final - (count - 1 - k) * low_gap
        if after is not None and not m.explain:
            lo = max(lo, after[0] + k * low_gap)
            hi = min(hi, after[1] + k * high_gap)
        values = [w for w in weeks if lo <= w <= hi] or [first]
        domain = cp_model.Domain.from_values(values)
        m.week.append(m.model.new_int_var_from_domain(domain, f"week of meeting {k + 1}"))
        if not [w for w in weeks if lo <= w <= hi]:
            m.model.add(m.week[k] != first)  # no day left for this meeting; the explanation solve says why


@rule("Blackout period", "no meeting in a blackout period (public or school holiday, study day, own period)")
def blackout_period(m: Model) -> None:
    """No meeting in a blackout period (only added as constraints in an explanation solve)."""
    if not m.explain:
        return
    p = m.problem
    for blackout in p.blackouts:
        days = [w for w in p.all_weeks if p.day(w) in blackout]
        if not days:
            continue
        key = blackout.kind if blackout.kind in ("public_holiday", "study_day") else "blackout"
        lits = _require(m, blackout_period, key, reason=blackout.reason, start=blackout.start, end=blackout.end)
        for k in m.slots:
            for w in days:
                m.model.add(m.week[k] != w).only_enforce_if(lits)


def _summer_weeks(m: Model) -> list[tuple[dt.date, int]]:
    """1 August of each year the horizon reaches, with the week number of the first meeting day from then on."""
    p = m.problem
    weekday = p.committee.cadence.weekday
    start = p.last.date if p.last else p.horizon.start
    out = []
    for year in range(start.year, p.horizon.end.year + 1):
        august = dt.date(year, 8, 1)
        out.append((august, p.week(august + dt.timedelta(days=(weekday - august.weekday()) % 7))))
    return out


def _over_summer(m: Model, earlier: Any, later: Any, name: str) -> Any:
    """A 0/1 expression: the gap from week `earlier` to week `later` spans 1 August (a summer gap).

    `earlier` may be a number (the week of the last meeting held).
    """
    spans = []
    for _, august in _summer_weeks(m):
        lit = m.model.new_bool_var(f"{name} spans 1 August (week {august})")
        m.model.add(earlier <= august - 1).only_enforce_if(lit)
        m.model.add(later >= august).only_enforce_if(lit)
        spans.append(lit)
    if not spans:
        return 0
    m.model.add_at_most_one(spans)
    return sum(spans)


@rule("Gap between meetings", "consecutive meetings are between the minimum and maximum gap apart")
def gap_between_meetings(m: Model) -> None:
    """Consecutive meetings are at least the minimum and at most the maximum gap apart; longer over the summer."""
    cadence = m.problem.committee.cadence
    low, high = cadence.min_gap_weeks, cadence.max_gap_weeks
    summer = cadence.summer_max_gap_weeks
    # at least one week apart follows from the date order, so a minimum of 1 week is no rule to relax
    low_lits = _require(m, gap_between_meetings, "gap_min", low=low, value=low - 1) if low > 1 else []
    high_lits = _require(m, gap_between_meetings, "gap_max", high=high, value=high + 1)
    summer_lits = (
        _require(m, gap_between_meetings, "gap_summer", high=summer, value=summer + 1)
        if summer is not None and summer > high
        else []
    )
    for k in list(m.slots)[1:]:
        gap = m.week[k] - m.week[k - 1]
        m.model.add(gap >= low).only_enforce_if(low_lits)
        m.model.add(m.week[k] > m.week[k - 1])
        if summer is None or summer <= high:
            m.model.add(gap <= high).only_enforce_if(high_lits)
            continue
        over = _over_summer(m, m.week[k - 1], m.week[k], f"the gap before meeting {k + 1}")
        m.model.add(gap <= high + (summer - high) * over).only_enforce_if(high_lits)
        m.model.add(gap <= summer).only_enforce_if(summer_lits)


@rule("Gap after the history", "the first meeting keeps the gap from the last meeting in the history")
def gap_after_the_history(m: Model) -> None:
    """The first meeting keeps the gap from the last meeting held (longer over the summer)."""
    p = m.problem
    if p.last is None or not m.slots:
        return
    cadence = p.committee.cadence
    days = (p.last.date - p.epoch).days
    last = p.last.date
    lo = math.ceil((days + 7 * cadence.min_gap_weeks) / 7)
    hi = math.floor((days + 7 * cadence.max_gap_weeks) / 7)
    low, high = cadence.min_gap_weeks, cadence.max_gap_weeks
    low_lits = _require(m, gap_after_the_history, "history_min", low=low, last=last, value=low - 1) if low > 1 else []
    high_lits = _require(m, gap_after_the_history, "history_max", high=high, last=last, value=high + 1)
    m.model.add(m.week[0] >= lo).only_enforce_if(low_lits)
    summer = cadence.summer_max_gap_weeks
    if summer is None or summer <= high:
        m.model.add(m.week[0] <= hi).only_enforce_if(high_lits)
        return
    spans = []
    for first_august, august in _summer_weeks(m):
        if p.last.date < first_august:
            lit = m.model.new_bool_var(f"the gap after the last meeting held spans 1 August (week {august})")
            m.model.add(m.week[0] >= august).only_enforce_if(lit)
            spans.append(lit)
    if spans:
        m.model.add_at_most_one(spans)
    over = sum(spans) if spans else 0
    summer_hi = math.floor((days + 7 * summer) / 7)
    summer_lits = _require(m, gap_after_the_history, "history_summer", high=summer, last=last, value=summer + 1)
    m.model.add(m.week[0] <= hi + (summer_hi - hi) * over).only_enforce_if(high_lits)
    m.model.add(m.week[0] <= summer_hi).only_enforce_if(summer_lits)


@rule("Fixed meeting", "a fixed meeting takes place on its date, in its mode, with its pinned role holders")
def fixed_meeting(m: Model) -> None:
    p = m.problem
    for fixed in p.fixed:
        week = p.week(fixed.date)
        when = fixed.date
        lits = _require(m, fixed_meeting, "fixed_date", date=when)
        m.model.add(sum(m.on(k, week) for k in m.slots) == 1).only_enforce_if(lits)
        for k in m.slots:
            on = m.on(k, week)
            if isinstance(on, int):
                continue
            if fixed.mode is not None:
                mode_lits = _require(m, fixed_meeting, "fixed_mode", date=when, mode=fixed.mode)
                want = 1 if fixed.mode is Mode.PHYSICAL else 0
                m.model.add(m.physical[k] == want).only_enforce_if([on, *mode_lits])
            for role, unit in fixed.roles.items():
                pin_lits = _require(m, fixed_meeting, "fixed_role", unit=unit, role=role, date=when)
                m.model.add(m.holds[k, role, unit] == 1).only_enforce_if([on, *pin_lits])


@rule("Meetings per year", "a calendar year inside the horizon holds the set number of meetings")
def meetings_per_year(m: Model) -> None:
    p = m.problem
    for year, count in p.horizon.per_year:
        if year == p.horizon.start.year == p.horizon.end.year:
            if count != len(m.slots):
                held = _held(p, year)
                m.model.add_bool_or([]).only_enforce_if(
                    _require(
                        m,
                        meetings_per_year,
                        "per_year",
                        year=year,
                        total=count + held,
                        held=held,
                        value=len(m.slots) + held,
                    )
                )
            continue  # every meeting of the horizon is in this year
        first = p.week(
            dt.date(year, 1, 1) + dt.timedelta(days=(p.committee.cadence.weekday - dt.date(year, 1, 1).weekday()) % 7)
        )
        final = p.week(
            dt.date(year, 12, 31)
            - dt.timedelta(days=(dt.date(year, 12, 31).weekday() - p.committee.cadence.weekday) % 7)
        )
        inside = []
        for k in m.slots:
            lit = m.model.new_bool_var(f"meeting {k + 1} in {year}")
            m.model.add_linear_constraint(m.week[k], first, final).only_enforce_if(lit)
            m.model.add_linear_expression_in_domain(
                m.week[k], cp_model.Domain(first, final).complement()
            ).only_enforce_if(~lit)
            inside.append(lit)
        held = _held(p, year)
        lits = _require(
            m, meetings_per_year, "per_year", year=year, total=count + held, held=held, value=count + held - 1
        )
        m.model.add(sum(inside) == count).only_enforce_if(lits)


def _held(p: Problem, year: int) -> int:
    """Meetings of the history in `year`."""
    return sum(1 for past in p.committee.history if past.date.year == year)


@rule("Mode alternation", "MS Teams and physical meetings take turns, continuing from the history")
def mode_alternation(m: Model) -> None:
    p = m.problem
    modes = p.committee.modes
    for k in m.slots:
        m.physical.append(m.model.new_bool_var(f"meeting {k + 1} is physical"))
    _first_mode(m)
    if not modes.alternate:
        return
    lits = _require(m, mode_alternation, "alternation")
    for k in list(m.slots)[1:]:
        m.model.add(m.physical[k] != m.physical[k - 1]).only_enforce_if(lits)
    if p.first_mode is not None and m.slots:
        first_lits = _require(
            m,
            mode_alternation,
            "first_mode",
            mode=p.first_mode,
            previous=p.first_mode.other,
            last=p.last.date if p.last else "",
        )
        m.model.add(m.physical[0] == (1 if p.first_mode is Mode.PHYSICAL else 0)).only_enforce_if(first_lits)


def _first_mode(m: Model) -> None:
    """Without a history to continue, meetings start in `modes.first` (and keep it when modes do not alternate).

    A fixed meeting with a mode of its own decides instead: under strict
    alternation it sets every meeting's mode, and without alternation it
    keeps its own.
    """
    p = m.problem
    modes = p.committee.modes
    if p.first_mode is not None or not m.slots:
        return
    want = 1 if modes.first is Mode.PHYSICAL else 0
    with_mode = [f for f in p.fixed if f.mode is not None]
    if modes.alternate:
        if not with_mode:
            m.model.add(m.physical[0] == want)
        return
    for k in m.slots:
        fixed_here = [m.on(k, p.week(f.date)) for f in with_mode]
        fixed_here = [lit for lit in fixed_here if not isinstance(lit, int)]
        if not fixed_here:
            m.model.add(m.physical[k] == want)
        else:
            m.model.add(m.physical[k] == want).only_enforce_if([~lit for lit in fixed_here])


@rule("Eligibility", "a unit holds only the roles it is eligible for (pinned roles excepted)")
def eligibility(m: Model) -> None:
    """Create the role variables: one unit per role per meeting, from the eligible units and pinned holders.

    In an explanation solve every unit gets a variable for every role, so
    that who may hold a role can take part in a clash.
    """
    p = m.problem
    committee = p.committee
    for k in m.slots:
        pins = m.pins_possible(k)
        for role in committee.roles:
            eligible = committee.eligible(role.key)
            extra = [f.roles[role.key] for f in pins if role.key in f.roles and f.roles[role.key] not in eligible]
            units = list(eligible) + [u for u in committee.order if (m.explain or u in extra) and u not in eligible]
            carried = _carried(m, k, role.key, units)
            if carried is not None:
                m.holds.update({(k, role.key, unit): var for unit, var in carried.items()})
                continue
            for unit in units:
                m.holds[k, role.key, unit] = m.model.new_bool_var(f"{unit} is {role.key} at meeting {k + 1}")
            m.model.add_exactly_one(m.holds[k, role.key, u] for u in units)
            for unit in units:
                if unit in eligible:
                    continue
                pinning = [m.on(k, p.week(f.date)) for f in pins if f.roles.get(role.key) == unit]
                lits = _eligibility_rule(m, role.key)
                m.model.add(m.holds[k, role.key, unit] <= sum(pinning)).only_enforce_if(lits)


def _carried(m: Model, slot: int, role: str, units: list[str]) -> dict[str, Any] | None:
    """The variables of the chain's source role at the meeting before, when they decide `role` at `slot` alone.

    When neither meeting can pin a role of the chain, "Succession" makes the
    holder of the target role the holder of the source role at the meeting
    before; sharing those variables gives the solver half as many to handle.
    Not in an explanation solve, where the rule must be able to give way.
    """
    if m.explain or slot == 0:
        return None
    for chain in m.problem.committee.chains:
        if chain.target != role:
            continue
        roles = {chain.source, chain.target}
        if any(roles & set(f.roles) for j in (slot - 1, slot) for f in m.pins_possible(j)):
            return None
        if set(m.problem.committee.eligible(chain.source)) != set(units):
            return None
        return {unit: m.holds[slot - 1, chain.source, unit] for unit in units}
    return None


def _eligibility_rule(m: Model, role_key: str) -> list[Any]:
    """One rule instance per role: the units that may not hold it (except where a fixed meeting pins them)."""
    committee = m.problem.committee
    eligible = tuple(committee.eligible(role_key))
    excluded = tuple(unit for unit in committee.order if unit not in eligible)
    if len(excluded) <= 3:
        return _require(m, eligibility, "eligible_few", excluded=excluded, role=role_key)
    return _require(m, eligibility, "eligible_only", eligible=eligible, role=role_key)


@rule("Unit unavailable", "a unit holds no role at a meeting on a date it is unavailable")
def unit_unavailable(m: Model) -> None:
    p = m.problem
    for unit in p.committee.units:
        for day in unit.unavailable:
            if not p.horizon.start <= day <= p.horizon.end or day.weekday() != p.committee.cadence.weekday:
                continue
            week = p.week(day)
            lits = _require(m, unit_unavailable, "unavailable", unit=unit.name, date=day)
            for k in m.slots:
                on = m.on(k, week)
                if isinstance(on, int):
                    continue
                for role in p.committee.role_keys:
                    var = m.holds.get((k, role, unit.name))
                    if var is not None:
                        m.model.add(var == 0).only_enforce_if([on, *lits])


@rule("Different units", "the roles of a regular meeting are held by different units")
def different_units(m: Model) -> None:
    p = m.problem
    roles = p.committee.role_keys
    lits = _require(m, different_units, "distinct")
    for k in m.slots:
        pins = m.pins_possible(k)
        for unit in p.committee.order:
            held = [(r, m.holds[k, r, unit]) for r in roles if (k, r, unit) in m.holds]
            if len(held) < 2:
                continue
            if not pins:
                m.model.add_at_most_one(var for _, var in held).only_enforce_if(lits)
                continue
            for i, (r1, v1) in enumerate(held):
                for r2, v2 in held[i + 1 :]:
                    both = [m.on(k, p.week(f.date)) for f in pins if r1 in f.roles and r2 in f.roles]
                    m.model.add(v1 + v2 <= 1 + sum(both)).only_enforce_if(lits)


def _equal(m: Model, a: Any, b: Any, lits: list[Any]) -> None:
    """Add `a == b` under `lits`, where either side may be a 0/1 constant."""
    if a is b:
        return
    if isinstance(a, int) and isinstance(b, int):
        if a != b:
            m.model.add_bool_or([]).only_enforce_if(lits)
        return
    m.model.add(a == b).only_enforce_if(lits)


@rule("Succession", "the holder of one role at a meeting holds the next role at the next meeting")
def succession(m: Model) -> None:
    """The holder of a chain's source role holds its target role at the next meeting the chain runs through.

    A meeting that pins either role of the chain is jumped over: the unit
    carried into it is carried on to the meeting after it.
    """
    p = m.problem
    for sequence in p.sequences:
        chain = sequence.chain
        if chain is None:
            continue
        carried_on = next(
            (
                past.date
                for past in reversed(p.committee.history)
                if not {chain.source, chain.target} & p.committee.pinned_at(past)
            ),
            None,
        )
        lits = _require(
            m,
            succession,
            "succession",
            source=chain.source,
            target=chain.target,
            carried_unit=sequence.carried or "",
            carried_date=carried_on if carried_on and sequence.carried else "",
        )
        carrier: dict[str, Any] | None = None
        if sequence.carried is not None:
            carrier = {sequence.carried: 1}
        for k in m.slots:
            skipped = m.pinned(k, (chain.source, chain.target))
            targets = {u: m.holds[k, chain.target, u] for u in m.units_for(k, chain.target)}
            sources: dict[str, Any] = {u: m.holds[k, chain.source, u] for u in m.units_for(k, chain.source)}
            if isinstance(skipped, int):
                if carrier is not None:
                    for unit in p.committee.order:
                        _equal(m, targets.get(unit, 0), carrier.get(unit, 0), lits)
                carrier = sources
                continue
            regular = m.model.new_bool_var(f"meeting {k + 1} runs the chain {chain.source} → {chain.target}")
            m.model.add(skipped == 0).only_enforce_if(regular)
            m.model.add(skipped >= 1).only_enforce_if(~regular)
            following: dict[str, Any] = {}
            for unit in p.committee.order:
                following[unit] = m.model.new_bool_var(f"{unit} carries {chain.source} after meeting {k + 1}")
                _equal(m, following[unit], sources.get(unit, 0), [regular, *lits])
                if carrier is not None:
                    _equal(m, following[unit], carrier.get(unit, 0), [~regular, *lits])
                    _equal(m, targets.get(unit, 0), carrier.get(unit, 0), [regular, *lits])
                # With nobody carried in (the holder left the committee, or no history), a pinned
                # meeting carries nobody on either: the next chain meeting's target is free.
            carrier = following


HARD_RULES: tuple[tuple[str, Callable[[Model], None]], ...] = tuple(
    (name_of(function), function)
    for function in (
        # those that make the variables first: the weeks, the modes and the role holders
        meeting_weekday_and_horizon,
        mode_alternation,
        eligibility,
        blackout_period,
        gap_between_meetings,
        gap_after_the_history,
        meetings_per_year,
        fixed_meeting,
        unit_unavailable,
        different_units,
        succession,
    )
)
"""The hard rules in the order the model is built."""


# -- the preferences -----------------------------------------------------------


@rule("Fair turns", "nobody holds a role a second time before every unit that could take it had it once", hard=False)
def fair_turns(m: Model) -> tuple[list[Any], int]:
    """Penalty: a unit takes a role again while another that could take it has not had it this round.

    The same count as `rotation.fairness.repeats`, which checks a plan
    without the solver. A round of a role runs until every eligible unit has
    held it; it carries on from the history. A unit that could have taken the
    turn is eligible, a member, and free on the meeting's date and on the
    neighbouring meeting the chain hands the role on at. Pinned roles are no
    turns.
    """
    p = m.problem
    committee = p.committee
    terms: list[Any] = []
    bound = 0
    away = {
        unit.name: sorted({p.week(day) for day in unit.unavailable if p.horizon.start <= day <= p.horizon.end})
        for unit in committee.units
    }
    for role in committee.role_keys:
        units = committee.eligible(role)
        if len(units) < 2 or not m.slots:
            continue
        held = round_at_start(committee, role)
        count = len(m.slots)
        if not m.exact_fairness:
            # Rounds as blocks of turns: as many as units, the first completing the round the history
            # left open. A plan has no unfair turn exactly when no unit holds the role twice in one
            # block; when it must, `rotation.solve` plans again with the rounds as they run.
            m.fair_by_blocks = True
            terms.extend(_repeats_by_block(m, role, units, held))
            bound += count
            continue
        sometimes_away = [u for u in units if away.get(u)]
        # While no round can end inside the horizon and more units are still waiting than can
        # ever be away at once, the count of repeats is the turns beyond each unit's first.
        if len(held) + count < len(units) and len(units) - len(held) - (count - 1) > len(sometimes_away):
            pinned = {unit: sum(1 for f in p.fixed if f.roles.get(role) == unit) for unit in units}
            for unit in units:
                taken = [m.holds[k, role, unit] for k in m.slots if (k, role, unit) in m.holds]
                if not taken:
                    continue
                extra = m.model.new_int_var(0, count, f"{unit} is {role} again before the round ends")
                m.model.add(extra >= sum(taken) + int(unit in held) - pinned[unit] - 1)
                terms.append(extra)
            bound += count
            continue
        terms.extend(_repeats_by_round(m, role, units, held, chain_steps(committee, role), away))
        bound += count
    return terms, bound


def _repeats_by_block(m: Model, role: str, units: tuple[str, ...], held: frozenset[str]) -> list[Any]:
    """Per round (a block of turns) and unit, the turns beyond its first in that block.

    A meeting that pins the role is no turn, so a meeting's turn number is
    its number less the pinned meetings before it; where the fixed meetings
    may fall on more than one meeting of the plan, which block a meeting
    belongs to is a literal of its own.
    """
    p = m.problem
    model = m.model
    size = len(units)
    first = size - len(held) if len(held) < size else size
    if len(held) >= size:
        held = frozenset()
    pins = [m.pinned(k, (role,)) for k in m.slots]
    fixed = [f for f in p.fixed if role in f.roles]
    possible = {id(f): [k for k in m.slots if _in_domain(m.week[k], p.week(f.date))] for f in fixed}

    def block_of(turn: int) -> int:
        return 0 if turn < first else 1 + (turn - first) // size

    def start_of(block: int) -> int:
        return 0 if block == 0 else first + (block - 1) * size

    counted: dict[tuple[int, str], list[Any]] = {}
    for k in m.slots:
        surely = sum(1 for f in fixed if possible[id(f)] and max(possible[id(f)]) < k)
        maybe = sum(1 for f in fixed if possible[id(f)] and min(possible[id(f)]) < k)
        before = sum(
            (m.on(j, p.week(f.date)) for f in fixed for j in possible[id(f)] if j < k and max(possible[id(f)]) >= k),
            start=surely,
        )
        low_turn, high_turn = k - maybe, k - surely

        def at_least(turn: int, k: int = k, before: Any = before, low: int = low_turn, high: int = high_turn) -> Any:
            """1 when meeting k is turn `turn` or later, 0 when it cannot be, else a literal."""
            if turn <= low:
                return 1
            if turn > high:
                return 0
            lit = model.new_bool_var(f"meeting {k + 1} is turn {turn + 1} of {role} or later")
            model.add(before <= k - turn).only_enforce_if(lit)
            model.add(before >= k - turn + 1).only_enforce_if(~lit)
            return lit

        for block in range(block_of(max(low_turn, 0)), block_of(max(high_turn, 0)) + 1):
            inside = at_least(start_of(block)) - at_least(start_of(block + 1))
            if isinstance(inside, int) and inside <= 0:
                continue
            for unit in units:
                var = m.holds.get((k, role, unit))
                if var is None:
                    continue
                if isinstance(inside, int) and isinstance(pins[k], int) and pins[k] == 0:
                    counted.setdefault((block, unit), []).append(var)
                    continue
                turn = model.new_bool_var(f"{unit} takes turn of round {block + 1} of {role} at meeting {k + 1}")
                model.add(turn >= var + inside - pins[k] - 1)
                counted.setdefault((block, unit), []).append(turn)
    terms = []
    for (block, unit), taken in counted.items():
        before = int(block == 0 and unit in held)
        if len(taken) + before < 2:
            continue
        extra = model.new_int_var(0, len(taken), f"{unit} is {role} again in round {block + 1}")
        model.add(extra >= sum(taken) + before - 1)
        terms.append(extra)
    return terms


def _repeats_by_round(
    m: Model,
    role: str,
    units: tuple[str, ...],
    held: frozenset[str],
    steps: tuple[int, ...],
    away: dict[str, list[int]],
) -> list[Any]:
    """One 0/1 term per meeting: the holder of `role` repeats a turn of the round (the round state as variables)."""
    model = m.model
    inside: dict[str, Any] = {unit: int(unit in held) for unit in units}
    terms = []
    for k in m.slots:
        pin = m.pinned(k, (role,))
        holding = m.model.new_bool_var(f"the {role} of meeting {k + 1} has had the role this round")
        waiting = m.model.new_bool_var(f"a unit free for {role} at meeting {k + 1} has not had it this round")
        for unit in units:
            var = m.holds.get((k, role, unit), 0)
            if not (isinstance(var, int) and var == 0) and not (isinstance(inside[unit], int) and inside[unit] == 0):
                model.add(holding >= var + inside[unit] - 1 - pin)
            if isinstance(inside[unit], int) and inside[unit] == 1:
                continue
            busy = [m.on(j, week) for j in (k, *(k + s for s in steps)) if j in m.slots for week in away.get(unit, ())]
            model.add(waiting >= 1 - inside[unit] - sum(lit for lit in busy if not isinstance(lit, int)))
        repeat = model.new_bool_var(f"the {role} of meeting {k + 1} takes a second turn")
        model.add(repeat >= holding + waiting - 1)
        terms.append(repeat)
        # The round after this meeting: the holder joins it; once everyone has held the role it starts again.
        after: dict[str, Any] = {}
        for unit in units:
            var = m.holds.get((k, role, unit), 0)
            if not isinstance(pin, int) and not isinstance(var, int):
                turn = model.new_bool_var(f"{unit} takes a turn as {role} at meeting {k + 1}")
                model.add(turn <= var)
                model.add(turn <= 1 - pin)
                model.add(turn >= var - pin)
                var = turn
            if isinstance(inside[unit], int) and inside[unit] == 1:
                after[unit] = 1
            elif isinstance(var, int):
                after[unit] = inside[unit] if var == 0 else 1
            elif isinstance(inside[unit], int):
                after[unit] = var
            else:
                joined = model.new_bool_var(f"{unit} has been {role} this round after meeting {k + 1}")
                model.add(joined >= inside[unit])
                model.add(joined >= var)
                model.add(joined <= inside[unit] + var)
                after[unit] = joined
        if any(isinstance(value, int) and value == 0 for value in after.values()):
            inside = after
            continue
        complete = model.new_bool_var(f"the round of {role} ends at meeting {k + 1}")
        model.add(complete >= sum(after.values()) - (len(units) - 1))
        for value in after.values():
            model.add(complete <= value)
        inside = {}
        for unit, value in after.items():
            state = model.new_bool_var(f"{unit} has been {role} this round before meeting {k + 2}")
            model.add(state <= value)
            model.add(state <= 1 - complete)
            model.add(state >= value - complete)
            inside[unit] = state
    return terms


@rule("Spread load", "every unit holds some role, over the history and the plan together", hard=False)
def spread_load(m: Model) -> tuple[list[Any], int]:
    """Penalty: a unit that takes part holds no role at all, over the history's fairness window and the plan.

    Only when these span years (`rotation.fairness.idle_span`): over a shorter
    time some units wait whatever the plan does, and the rotation order
    decides who.
    """
    p = m.problem
    committee = p.committee
    taking_part = [unit for unit in committee.order if any(unit in committee.eligible(r) for r in committee.role_keys)]
    if not idle_span(committee, p.horizon.start, p.horizon.end):
        return [], 0
    busy = {unit for (_, unit), count in p.history_counts.items() if count}
    by_unit: dict[str, list[Any]] = {}
    for (_, _, holder), var in m.holds.items():
        by_unit.setdefault(holder, []).append(var)
    terms: list[Any] = []
    for unit in taking_part:
        if unit in busy:
            continue
        idle = m.model.new_bool_var(f"{unit} holds no role")
        m.model.add(idle >= 1 - sum(by_unit.get(unit, [])))
        terms.append(idle)
    # At most so many units can hold a role in the plan: one per turn, and a chain's holder at
    # one meeting holds its other role at the next. The bound lets the solver prove the fewest idle.
    chained = {link.target for link in committee.chains}
    reach = sum(len(m.slots) + (1 if key in chained else 0) for key in committee.role_keys) - len(m.slots) * len(
        chained
    )
    if terms and len(terms) > reach:
        m.model.add(sum(terms) >= len(terms) - reach)
    return terms, len(terms)


def _distance(position: int, first: int, cycle: int) -> int:
    """Turns between `position` and the nearest turn the unit is due at (`first`, `first + cycle`, ...)."""
    offset = (position - first) % cycle
    return min(offset, cycle - offset)


def _cost(position: int, first: int, cycle: int) -> int:
    """The rotation penalty of holding turn `position` when due at `first`: the square of the distance.

    Squaring makes one long wait cost more than several short ones, so the
    order is kept where a skip allows it: after a forced skip, A B C D is
    cheaper (1 + 1 + 1) than A C B D with C moved two turns (1 + 4 + 0).
    """
    return _distance(position, first, cycle) ** 2


@rule("Rotation order", "each chain follows the rotation order; a skipped unit gets its turn back first", hard=False)
def rotation_order(m: Model) -> tuple[list[Any], int]:
    """Penalty: turns by which each holder is away from its place in the rotation order.

    The ideal holders follow the rotation order from where the history left
    off. Each holder costs the square of the number of turns it is away from
    its own (see `_cost`): a skipped unit and each unit moved up cost one, so
    the cheapest repair gives the skipped unit the next turn and keeps the rest
    in order. Meetings that pin a chain's roles are not turns of that chain.
    """
    p = m.problem
    terms: list[Any] = []
    bound = 0
    for sequence in p.sequences:
        roles = (sequence.chain.source, sequence.chain.target) if sequence.chain else (sequence.role,)
        cycle = len(sequence.units)
        pinned_before = _pinned_before(m, roles)
        due = {unit: (i - sequence.start) % cycle for i, unit in enumerate(sequence.units)}
        if sequence.chain is not None and sequence.carried is None and m.slots and isinstance(m.pinned(0, roles), int):
            # Nobody carries the chain into the first meeting: its target goes to the unit
            # before the first source holder, as if the chain had run before. Otherwise that
            # holder is left to chance and differs between a one-year and a longer horizon.
            before = {unit: (turn + 1) % cycle for unit, turn in due.items()}
            for unit in m.units_for(0, sequence.chain.target):
                if unit in before and _cost(0, before[unit], cycle):
                    terms.append(_cost(0, before[unit], cycle) * m.holds[0, sequence.chain.target, unit])
            bound += (cycle // 2) ** 2
        for k in m.slots:
            surely, maybe, before = pinned_before(k)
            skipped_here = m.pinned(k, roles)
            holders = {u: m.holds[k, sequence.role, u] for u in m.units_for(k, sequence.role) if u in due}
            if not maybe and isinstance(skipped_here, int):
                terms.extend(_cost(k, due[u], cycle) * var for u, var in holders.items() if _cost(k, due[u], cycle))
                bound += (cycle // 2) ** 2
                continue
            top = (cycle // 2) ** 2
            penalty = m.model.new_int_var(0, top, f"rotation penalty {sequence.role} at meeting {k + 1}")
            for turn in range(k - maybe, k - surely + 1):
                at: Any = 1
                if maybe > surely:
                    at = m.model.new_bool_var(f"meeting {k + 1} is turn {turn + 1} of {sequence.role}")
                    m.model.add(before == k - turn).only_enforce_if(at)
                    m.model.add(before != k - turn).only_enforce_if(~at)
                for unit, var in holders.items():
                    cost = _cost(turn, due[unit], cycle)
                    if cost:
                        m.model.add(penalty >= cost * (var + at - 1 - skipped_here))
            terms.append(penalty)
            bound += top
        if not any(not isinstance(m.pinned(k, roles), int) for k in m.slots):
            absent, most = _absences(m, sequence, due)
            terms.extend(absent)
            bound += most
        if len(m.slots) > cycle:  # a round ends inside the horizon: nobody closes one round and opens the next
            for k in m.slots[1:]:
                for unit in sequence.units:
                    pair = [m.holds.get((j, sequence.role, unit)) for j in (k - 1, k)]
                    if pair[0] is None or pair[1] is None:
                        continue
                    twice = m.model.new_bool_var(f"{unit} is {sequence.role} at meetings {k} and {k + 1}")
                    m.model.add(twice >= pair[0] + pair[1] - 1)
                    terms.append(twice)
                    bound += 1
    return terms, bound


def _pinned_before(m: Model, roles: Sequence[str]) -> Callable[[int], tuple[int, int, Any]]:
    """For a meeting: how many meetings before it surely and at most pin any of `roles`, and their number.

    Each fixed meeting is held at exactly one meeting of the plan, among those
    whose weeks can hold its date: one whose last such meeting comes before
    meeting k surely came before it (a constant), and only those that may fall
    on either side of k need literals.
    """
    p = m.problem
    possible: list[tuple[list[int], int]] = []
    for f in p.fixed:
        week = p.week(f.date)
        slots = [k for k in m.slots if _in_domain(m.week[k], week)] if set(roles) & set(f.roles) else []
        if slots:
            possible.append((slots, week))

    def before(k: int) -> tuple[int, int, Any]:
        surely = sum(1 for slots, _ in possible if slots[-1] < k)
        maybe = sum(1 for slots, _ in possible if slots[0] < k)
        count = sum((m.on(j, week) for slots, week in possible if slots[-1] >= k for j in slots if j < k), start=surely)
        return surely, maybe, count

    return before


ABSENCE_WINDOW = 2
"""How many turns early or late a unit may hold its turn before it counts as skipped."""


def _absences(m: Model, sequence: Sequence_, due: dict[str, int]) -> tuple[list[Any], int]:
    """Penalty: a unit that does not hold its turn at all, within `ABSENCE_WINDOW` turns of it.

    Without it a skipped unit would cost nothing by itself, and letting one unit
    hold the role twice in a row would be cheaper than moving the others up.
    Only for sequences whose turns are the meetings themselves (no pinned meeting).
    """
    cycle = len(sequence.units)
    count = len(m.slots)
    cost = (ABSENCE_WINDOW + 1) ** 2
    terms: list[Any] = []
    for unit, first in due.items():
        for turn in range(first, count - ABSENCE_WINDOW, cycle):
            window = range(max(0, turn - ABSENCE_WINDOW), turn + ABSENCE_WINDOW + 1)
            held = [m.holds[k, sequence.role, unit] for k in window if (k, sequence.role, unit) in m.holds]
            missed = m.model.new_bool_var(f"{unit} misses its turn {turn + 1} as {sequence.role}")
            m.model.add(sum(held) + missed >= 1)
            terms.append(cost * missed)
    return terms, cost * len(terms)


@rule("Balanced turns", "every unit holds each role about as often as the others, history included", hard=False)
def balanced_turns(m: Model) -> tuple[list[Any], int]:
    """Penalty: per role, the most turns of a unit minus the fewest, history included."""
    p = m.problem
    terms: list[Any] = []
    bound = 0
    for role in p.committee.roles:
        units = p.committee.eligible(role.key)
        if len(units) < 2:
            continue
        past = [p.history_counts.get((role.key, u), 0) for u in units]
        top = max(past) + len(m.slots)
        counts = [
            past[i] + sum(m.holds[k, role.key, u] for k in m.slots if (k, role.key, u) in m.holds)
            for i, u in enumerate(units)
        ]
        high = m.model.new_int_var(0, top, f"most turns as {role.key}")
        low = m.model.new_int_var(0, top, f"fewest turns as {role.key}")
        # Bounds rather than max/min equalities: the objective pulls `high` down to the
        # most turns and `low` up to the fewest, and the bounds are far cheaper to solve.
        for count in counts:
            m.model.add(high >= count)
            m.model.add(low <= count)
        total = sum(past) + len(m.slots)
        m.model.add(high >= math.ceil(total / len(units)))
        m.model.add(low <= total // len(units))
        terms.append(high - low)
        bound += top
    return terms, bound


@rule("Preferred weeks", "meetings fall in the committee's preferred weeks", hard=False)
def preferred_weeks(m: Model) -> tuple[list[Any], int]:
    """Penalty: meetings outside the preferred ISO weeks."""
    p = m.problem
    wanted = set(p.committee.cadence.preferred_weeks)
    if not wanted:
        return [], 0
    terms: list[Any] = []
    good = [w for w in p.all_weeks if p.day(w).isocalendar()[1] in wanted]
    for k in m.slots:
        if not good:
            terms.append(1)
            continue
        miss = m.model.new_bool_var(f"meeting {k + 1} outside the preferred weeks")
        m.model.add_linear_expression_in_domain(m.week[k], cp_model.Domain.from_values(good)).only_enforce_if(~miss)
        terms.append(miss)
    return terms, len(terms)


@rule("Even spread", "meetings are spread evenly over the horizon", hard=False)
def even_spread(m: Model) -> tuple[list[Any], int]:
    """Penalty: days between each meeting and its place in an even spread (times the number of meetings)."""
    p = m.problem
    count = len(m.slots)
    if not count:
        return [], 0
    start = p.last.date if p.last else p.horizon.start
    span = (p.horizon.end - start).days
    origin = (start - p.epoch).days
    per_year = p.committee.cadence.meetings_per_year
    # After a history the meetings keep its rhythm: at most a year over the meetings per
    # year apart (1461 / 4 days a year), so that a calendar year planned after the history
    # is not stretched to its last day and the year after it carries on evenly.
    rhythm = p.last is not None and per_year > 0 and 4 * per_year * span > 1461 * count
    terms = []
    bound = 0
    for k in m.slots:
        share = k + 1 if p.last else 2 * k + 1
        scale = (4 * per_year if rhythm else count) if p.last else 2 * count
        ideal = origin * scale + share * (1461 if rhythm else span)
        deviation = m.model.new_int_var(
            0, 7 * scale * (p.all_weeks[-1] + 60) + abs(ideal), f"spread deviation of meeting {k + 1}"
        )
        m.model.add(deviation >= 7 * scale * m.week[k] - ideal)
        m.model.add(deviation >= ideal - 7 * scale * m.week[k])
        terms.append(deviation)
        bound += max(abs(7 * scale * p.all_weeks[0] - ideal), abs(7 * scale * p.all_weeks[-1] - ideal)) + 1
    return terms, bound


PREFERENCE_TERMS: tuple[tuple[str, Callable[[Model], tuple[list[Any], int]]], ...] = tuple(
    (name_of(function), function)
    for function in (fair_turns, spread_load, rotation_order, balanced_turns, preferred_weeks, even_spread)
)
"""The preferences, highest priority first."""
RULES: tuple[Rule, ...] = tuple(
    _NAMED[function]
    for function in (
        meeting_weekday_and_horizon,
        blackout_period,
        fixed_meeting,
        gap_between_meetings,
        gap_after_the_history,
        meetings_per_year,
        mode_alternation,
        eligibility,
        unit_unavailable,
        different_units,
        succession,
    )
)
"""The hard rules, in the order explanations list them."""
PREFERENCES: tuple[Rule, ...] = tuple(_NAMED[function] for _, function in PREFERENCE_TERMS)


PreferenceFn = Callable[[Model], tuple[list[Any], int]]


FAIRNESS = (name_of(fair_turns),)
"""The preferences that outrank those a replan adds after them (see `build`): a plan already sent out
changes to give a unit its first turn of a round, not to spread the load further."""


def build(
    problem: Problem,
    *,
    explain: bool = False,
    first: Sequence[tuple[str, PreferenceFn]] = (),
    after_fairness: Sequence[tuple[str, PreferenceFn]] = (),
    exact_fairness: bool = False,
) -> Model:
    """The model with every hard rule and, unless explaining, the weighted preferences.

    `first` adds preferences that outrank the built-in ones (for instance
    "Notice period" when replanning), `after_fairness` ones that rank right
    after the fairness preferences `FAIRNESS` (for instance "Fewest
    changes"); each returns its objective terms and an upper bound of their
    sum, so that the weights make the priorities strict.
    """
    m = Model(problem, explain=explain, exact_fairness=exact_fairness)
    for _, rule in HARD_RULES:
        rule(m)
    if explain:
        return m
    fair = [(name, fn) for name, fn in PREFERENCE_TERMS if name in FAIRNESS]
    rest = [(name, fn) for name, fn in PREFERENCE_TERMS if name not in FAIRNESS]
    weight = 1
    group_weight = 1
    stage: list[Any] = []
    stages: list[tuple[list[Any], int]] = []
    multiplier = 1
    for name, preference in reversed((*first, *fair, *after_fairness, *rest)):
        terms, bound = preference(m)
        if stage and group_weight * (bound + 1) > STAGE_LIMIT:
            stages.append((stage, multiplier))  # this preference and those above it are solved for after these
            stage, group_weight, multiplier = [], 1, weight
        m.objective_terms[name] = terms
        m.weights[name] = weight
        stage.extend(group_weight * term for term in terms)
        weight *= bound + 1
        group_weight *= bound + 1
    if stage:
        stages.append((stage, multiplier))
    kept = [(terms, multiplier) for terms, multiplier in reversed(stages) if terms]
    m.stages = [sum(terms) for terms, _ in kept]
    m.stage_weights = [multiplier for _, multiplier in kept]
    if m.stages:
        m.model.minimize(m.stages[0])
    return m


STAGE_LIMIT = 2**50
"""The largest weighted sum solved for at once; past it the preferences are solved for in stages, highest first.

CP-SAT's objective must stay within 64 bits; a weight per priority level
multiplies the bounds of all the levels below it.
"""
