"""Why no plan is possible: which of the committee's rules clash, and what would lift the clash.

The model is built in its explanation variant (`rotation.model.build` with
``explain=True``): every hard rule instance (a blackout, a fixed date, a gap
bound, a chain, a yearly count) is guarded by its own assumption literal. A
feasibility-only solve with all of them assumed reports a set of assumptions
that is sufficient for infeasibility; a deletion filter shrinks that set to a
minimal one, so that every rule named takes part in the clash and lifting any
one of them lifts the clash. Where a rule is a number (the gap between
meetings, the number of meetings) the suggested change says how far to go.

>>> import rotation
>>> from rotation.horizon import choose_horizon
>>> committee = rotation.example()
>>> [c.rule for c in explain(committee, choose_horizon(committee, meetings=9))]  # doctest: +SKIP
['Gap between meetings', 'Gap after the history', 'Meeting weekday and horizon']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rotation.errors import Conflict, InfeasibleError
from rotation.messages import catalogue, gettext, ngettext
from rotation.model import RULES, Fact, NoMeetingDay, build, build_problem

if TYPE_CHECKING:
    from rotation.domain import Committee
    from rotation.horizon import Horizon
    from rotation.model import Model, Problem

__all__ = ["conflict", "describe", "explain", "problem", "rule_label"]

SOLVE_LIMIT = 30.0
"""Work limit of one feasibility solve, in CP-SAT's deterministic time units."""

MAX_GAP_SEARCH = 104
"""The largest gap (weeks) a committee file accepts; the search for a wider gap stops there."""

_UNSIZED = frozenset(
    {"horizon", "per_year", "gap_min", "gap_max", "history_min", "history_max", "gap_summer", "history_summer"}
)
"""Rule instances that are a number: without a value that lifts the clash, the change is said without one."""

_COUNTED = ("weeks", "meetings")
"""Each count of a rule instance is also said as a number of these (``{low_weeks}``, ``{total_meetings}``)."""

_ROLES = ("role", "source", "target")
"""Values of a rule instance that are role keys, said by the role's label."""

_PLURAL_BY = {"eligible_few": "excluded", "eligible_only": "eligible"}
"""Rule instances whose sentence takes the plural form of how many units a value lists."""


def conflict(committee: Committee, fact: Fact, language: str | None = None) -> Conflict:
    """`fact` (a rule instance from `rotation.model`) in words: its sentence and what would lift it.

    In `language`, by default the committee's.
    """
    language = language or committee.language
    values = fact.values
    filled: dict[str, object] = {}
    for name, value in values.items():
        if name in _ROLES:
            filled[name] = committee.role(value).label(language)
        elif name == "weekday":
            filled[name] = gettext(language, f"weekday.{value}")
        else:
            filled[name] = value
        if isinstance(value, int) and not isinstance(value, bool):
            for noun in _COUNTED:
                filled[f"{name}_{noun}"] = ngettext(language, f"count.{noun}", value)
    if "held" in values:
        filled["held_text"] = gettext(language, "clash.part.held", held=values["held"]) if values["held"] else ""
    if "carried_unit" in values:
        unit = values["carried_unit"]
        filled["carried_text"] = (
            gettext(language, "clash.part.carried", unit=unit, source=filled["source"], date=values["carried_date"])
            if unit
            else ""
        )
    if fact.key in ("blackout", "public_holiday", "study_day"):
        start, end = values["start"], values["end"]
        filled["span"] = start if start == end else gettext(language, "span.days", start=start, end=end)
    key = fact.key
    if key in _PLURAL_BY:
        sentence = ngettext(language, f"clash.{key}", len(values[_PLURAL_BY[key]]), **filled)
    else:
        sentence = gettext(language, f"clash.{key}", **filled)
    relaxation: str | None = None
    if f"fix.{key}" in catalogue(language).messages:
        unsized = key in _UNSIZED and values.get("value") is None
        relaxation = gettext(language, f"fix.{key}.unsized" if unsized else f"fix.{key}", **filled)
    return Conflict(fact.rule, sentence, relaxation)


def problem(committee: Committee, horizon: Horizon) -> Problem:
    """`rotation.model.build_problem`, with a horizon that holds no meeting day said as the clash it is."""
    try:
        return build_problem(committee, horizon)
    except NoMeetingDay as err:
        found = conflict(committee, err.fact)
        raise InfeasibleError(
            describe([found], committee.language), conflicts=[found], language=committee.language
        ) from None


def rule_label(rule: str, language: str) -> str:
    """The rule's name as the committee reads it (the registry names are English)."""
    return gettext(language, "rule." + rule.lower().replace(" ", "_"))


def describe(conflicts: Sequence[Conflict], language: str) -> str:
    """The message of an `InfeasibleError`: the clashing rules, then what would lift the clash.

    >>> print(describe([Conflict("Gap between meetings", "at most 10 weeks between meetings",
    ...                          "allow 11 weeks between meetings")], "en"))
    these rules cannot all be met together:
      - Gap between meetings: at most 10 weeks between meetings
    Any one of these changes lifts the clash:
      - allow 11 weeks between meetings
    """
    if not conflicts:
        return gettext(language, "explain.none")
    lines = [gettext(language, "explain.head")]
    lines.extend(f"  - {rule_label(c.rule, language)}: {c.sentence}" for c in conflicts)
    fixes = list(dict.fromkeys(c.relaxation for c in conflicts if c.relaxation))
    if fixes:
        lines.append(gettext(language, "explain.fix_head"))
        lines.extend(f"  - {fix}" for fix in fixes)
    else:
        lines.append(gettext(language, "explain.no_single_fix"))
    return "\n".join(lines)


# -- finding the clash ----------------------------------------------------------------------------


@dataclasses.dataclass
class _Instance:
    """An explanation model with one assumption literal per distinct rule instance."""

    model: Model
    literals: dict[Conflict, Any]
    """Rule instance to its literal, in the order the model added them."""
    details: dict[Conflict, Fact]
    """Rule instance to the model's fact (for relaxing numbers)."""


def _instance(committee: Committee, horizon: Horizon) -> _Instance:
    model = build(problem(committee, horizon), explain=True)
    literals: dict[Conflict, Any] = {}
    details: dict[Conflict, Fact] = {}
    for assumption in model.assumptions:
        said = conflict(committee, assumption.fact)
        first = literals.get(said)
        if first is None:
            literals[said] = assumption.literal
            details[said] = assumption.fact
        else:  # the same rule instance in the committee's words: one literal
            model.model.add(assumption.literal == first)
    return _Instance(model, literals, details)


def _solve(instance: _Instance, assumed: Sequence[Conflict]) -> tuple[bool | None, list[Conflict]]:
    """Feasible (True), infeasible (False) or unknown (None) with the `assumed` rules; on False, a sufficient subset."""
    from ortools.sat.python import cp_model

    from rotation.profile import configure

    model = instance.model.model
    model.clear_assumptions()
    model.add_assumptions([instance.literals[c] for c in assumed])
    solver = cp_model.CpSolver()
    configure(solver, work_limit=SOLVE_LIMIT)
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True, []
    if status != cp_model.INFEASIBLE:
        return None, []
    core = set(solver.sufficient_assumptions_for_infeasibility())
    return False, [c for c in assumed if instance.literals[c].index in core]


def explain(committee: Committee, horizon: Horizon) -> list[Conflict]:
    """A minimal set of the committee's rules that cannot all be met over `horizon`.

    Lifting any one rule of the set lifts this clash (another clash may
    remain). Empty when the rules can be met, or when the solver cannot tell
    within its work limit. The result is deterministic, ordered as the rule
    registry (`rotation.model.RULES`) and then by date.
    """
    try:
        instance = _instance(committee, horizon)
    except InfeasibleError as err:  # impossible before any rule is weighed (no meeting day at all)
        return list(err.conflicts)
    every = list(instance.literals)
    feasible, core = _solve(instance, every)
    if feasible is not False or not core:
        return []
    kept = _ordered(_minimise(instance, core), every)
    return [_verified(committee, horizon, instance, clash) for clash in kept]


def _verified(committee: Committee, horizon: Horizon, instance: _Instance, clash: Conflict) -> Conflict:
    """`clash` with its relaxation only when applying that relaxation gives a plan, as a solve shows.

    A rule that is a number gets the nearest value that gives a plan; any other
    rule is left out of the model (every other rule kept) and solved. A change
    that lifts this clash but leaves another one is not suggested.
    """
    if clash.relaxation is None:
        return clash
    if instance.details[clash].key in _NUMBERS:
        return _relax_number(committee, horizon, instance, clash)
    feasible, _ = _solve(instance, [c for c in instance.literals if c != clash])
    return clash if feasible is True else dataclasses.replace(clash, relaxation=None)


def _minimise(instance: _Instance, core: list[Conflict]) -> list[Conflict]:
    """Deletion filter: leave out one rule at a time and keep it out while the rest still clash."""
    kept = list(core)
    index = 0
    while index < len(kept):
        trial = kept[:index] + kept[index + 1 :]
        feasible, smaller = _solve(instance, trial)
        if feasible is False:
            found = set(smaller)
            kept = [c for c in trial if c in found]
        else:  # needed (or undecided: keep it, to be safe)
            index += 1
    return kept


def _ordered(kept: list[Conflict], every: list[Conflict]) -> list[Conflict]:
    rank = {rule.name: index for index, rule in enumerate(RULES)}
    position = {conflict: index for index, conflict in enumerate(every)}
    return sorted(kept, key=lambda c: (rank.get(c.rule, len(rank)), position[c]))


# -- how far to relax a number --------------------------------------------------------------------


Variant = Callable[[int], tuple["Committee", "Horizon"]]
_NUMBERS = frozenset(
    {"gap_max", "history_max", "gap_summer", "history_summer", "gap_min", "history_min", "horizon", "per_year"}
)
"""Sentence keys of the rules that are a number (see `_variants`)."""


def _variants(
    committee: Committee, horizon: Horizon, key: str, values: Mapping[str, Any]
) -> tuple[list[int], Variant] | None:
    """The values to try for a numeric rule, most cautious first, and how to apply one."""
    cadence = committee.cadence
    if key in ("gap_max", "history_max"):

        def wider(value: int) -> tuple[Committee, Horizon]:
            return dataclasses.replace(committee, cadence=dataclasses.replace(cadence, max_gap_weeks=value)), horizon

        return list(range(cadence.max_gap_weeks + 1, MAX_GAP_SEARCH + 1)), wider
    if key in ("gap_summer", "history_summer"):
        summer = cadence.summer_max_gap_weeks or cadence.max_gap_weeks

        def longer_summer(value: int) -> tuple[Committee, Horizon]:
            changed = dataclasses.replace(cadence, summer_max_gap_weeks=value)
            return dataclasses.replace(committee, cadence=changed), horizon

        return list(range(summer + 1, MAX_GAP_SEARCH + 1)), longer_summer
    if key in ("gap_min", "history_min"):

        def closer(value: int) -> tuple[Committee, Horizon]:
            return dataclasses.replace(committee, cadence=dataclasses.replace(cadence, min_gap_weeks=value)), horizon

        return list(range(cadence.min_gap_weeks - 1, 0, -1)), closer
    if key == "horizon":

        def fewer(value: int) -> tuple[Committee, Horizon]:
            return committee, dataclasses.replace(horizon, meetings=value)

        return list(range(horizon.meetings - 1, 0, -1)), fewer
    if key == "per_year":
        year, total, held = int(values["year"]), int(values["total"]), int(values.get("held", 0))

        def fewer_in_year(value: int) -> tuple[Committee, Horizon]:
            cut = total - value
            per_year = tuple((y, n - cut if y == year else n) for y, n in horizon.per_year)
            return committee, dataclasses.replace(horizon, meetings=horizon.meetings - cut, per_year=per_year)

        return [v for v in range(total - 1, held - 1, -1) if horizon.meetings - (total - v) >= 1], fewer_in_year
    return None


def _relax_number(committee: Committee, horizon: Horizon, instance: _Instance, clash: Conflict) -> Conflict:
    """`clash` with a relaxation that names the value that lifts the clash, where the rule is a number."""
    fact = instance.details[clash]
    key, values = fact.key, fact.values
    found = _variants(committee, horizon, key, values)
    if found is None:
        return clash
    candidates, apply = found

    def lifts(value: int) -> bool:  # every rule as it is, with this one number changed: a plan
        try:
            trial = _instance(*apply(value))
        except InfeasibleError:
            return False
        return _solve(trial, list(trial.literals))[0] is True

    monotone = key not in ("horizon", "per_year")
    value = _first(candidates, lifts, monotone=monotone)
    if value is None:  # no value of this number alone gives a plan: nothing to suggest
        return dataclasses.replace(clash, relaxation=None)
    relaxation = conflict(committee, dataclasses.replace(fact, values={**values, "value": value})).relaxation
    return dataclasses.replace(clash, relaxation=relaxation)


def _first(candidates: list[int], test: Callable[[int], bool], *, monotone: bool) -> int | None:
    """The first candidate that passes `test`; by bisection when passing is monotone along the list."""
    if not candidates:
        return None
    if not monotone:  # mostly monotone: the nearest few one by one, then by bisection
        found = next((value for value in candidates[:3] if test(value)), None)
        if found is not None or len(candidates) <= 3:
            return found
        candidates = candidates[3:]
    if not test(candidates[-1]):
        return None
    low, high = 0, len(candidates) - 1  # candidates[high] passes
    while low < high:
        middle = (low + high) // 2
        if test(candidates[middle]):
            high = middle
        else:
            low = middle + 1
    return candidates[low]
