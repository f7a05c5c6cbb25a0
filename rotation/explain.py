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

if TYPE_CHECKING:
    from rotation.domain import Committee
    from rotation.horizon import Horizon
    from rotation.model import Model

__all__ = ["SENTENCES", "clash_text", "describe", "explain", "rule_label"]

SOLVE_LIMIT = 30.0
"""Work limit of one feasibility solve, in CP-SAT's deterministic time units."""

MAX_GAP_SEARCH = 104
"""The largest gap (weeks) a committee file accepts; the search for a wider gap stops there."""

# Sentence and relaxation of every kind of rule instance, in English and Dutch.
# The values are filled in by `rotation.model` (dates already in the committee's format).
SENTENCES: dict[str, dict[str, tuple[str, str | None]]] = {
    "no_weekday": {
        "en": ("there is no {weekday} between {start} and {end}", "plan a longer period"),
        "nl": ("er valt geen {weekday} tussen {start} en {end}", "plan een langere periode"),
    },
    "horizon": {
        "en": ("{count_meetings} between {start} and {end}", "plan {value_meetings} instead of {count}"),
        "nl": ("{count_meetings} tussen {start} en {end}", "plan {value_meetings} in plaats van {count}"),
    },
    "horizon_one": {
        "en": ("a meeting between {start} and {end}", "plan a longer period"),
        "nl": ("een vergadering tussen {start} en {end}", "plan een langere periode"),
    },
    "per_year": {
        "en": ("{total_meetings} in {year}{held_text}", "hold {value_meetings} in {year}"),
        "nl": ("{total_meetings} in {year}{held_text}", "houd {value_meetings} in {year}"),
    },
    "blackout": {
        "en": ("no meeting in '{reason}' ({span})", "drop the blackout '{reason}'"),
        "nl": ("geen vergadering in '{reason}' ({span})", "laat de uitgesloten periode '{reason}' vervallen"),
    },
    "public_holiday": {
        "en": ("no meeting on {reason} ({span})", "allow a meeting on {reason} ({span})"),
        "nl": ("geen vergadering op {reason} ({span})", "sta een vergadering op {reason} ({span}) toe"),
    },
    "study_day": {
        "en": ("no meeting on the study day ({span})", "move the study day of {span} or allow a meeting that day"),
        "nl": (
            "geen vergadering op de vakdag ({span})",
            "verplaats de vakdag van {span} of sta die dag een vergadering toe",
        ),
    },
    "gap_min": {
        "en": ("at least {low_weeks} between meetings", "allow {value_weeks} between meetings"),
        "nl": ("minimaal {low_weeks} tussen twee vergaderingen", "sta {value_weeks} tussen twee vergaderingen toe"),
    },
    "gap_max": {
        "en": ("at most {high_weeks} between meetings", "allow {value_weeks} between meetings"),
        "nl": ("maximaal {high_weeks} tussen twee vergaderingen", "sta {value_weeks} tussen twee vergaderingen toe"),
    },
    "gap_summer": {
        "en": ("at most {high_weeks} between meetings over the summer", "allow {value_weeks} over the summer"),
        "nl": ("maximaal {high_weeks} tussen twee vergaderingen over de zomer", "sta {value_weeks} over de zomer toe"),
    },
    "history_summer": {
        "en": (
            "the first meeting is at most {high_weeks} after the last one held ({last}), over the summer",
            "allow {value_weeks} over the summer",
        ),
        "nl": (
            "de eerste vergadering is maximaal {high_weeks} na de laatst gehouden vergadering ({last}), over de zomer",
            "sta {value_weeks} over de zomer toe",
        ),
    },
    "history_min": {
        "en": (
            "the first meeting is at least {low_weeks} after the last one held ({last})",
            "allow {value_weeks} between meetings",
        ),
        "nl": (
            "de eerste vergadering is minimaal {low_weeks} na de laatst gehouden vergadering ({last})",
            "sta {value_weeks} tussen twee vergaderingen toe",
        ),
    },
    "history_max": {
        "en": (
            "the first meeting is at most {high_weeks} after the last one held ({last})",
            "allow {value_weeks} between meetings",
        ),
        "nl": (
            "de eerste vergadering is maximaal {high_weeks} na de laatst gehouden vergadering ({last})",
            "sta {value_weeks} tussen twee vergaderingen toe",
        ),
    },
    "fixed_date": {
        "en": ("there is a meeting on {date} (fixed)", "unfix the meeting of {date}"),
        "nl": ("er is een vergadering op {date} (vaste datum)", "laat de vaste datum {date} los"),
    },
    "fixed_mode": {
        "en": ("the meeting of {date} is {mode} (fixed)", "let the meeting of {date} be either mode"),
        "nl": ("de vergadering van {date} is {mode} (vastgelegd)", "laat de vorm van de vergadering van {date} vrij"),
    },
    "fixed_role": {
        "en": ("{unit} is {role} on {date} (fixed)", "unpin the {role} of {date}"),
        "nl": ("{unit} is {role} op {date} (vastgelegd)", "laat de {role} van {date} vrij"),
    },
    "alternation": {
        "en": ("MS Teams and physical meetings take turns", "let two meetings in a row have the same mode"),
        "nl": ("MS Teams en fysiek wisselen elkaar af", "sta twee vergaderingen na elkaar in dezelfde vorm toe"),
    },
    "first_mode": {
        "en": (
            "the first meeting is {mode}, because the meeting of {last} was {previous}",
            "let the first meeting be {previous} like the meeting of {last}",
        ),
        "nl": (
            "de eerste vergadering is {mode}, omdat die van {last} {previous} was",
            "laat de eerste vergadering net als die van {last} {previous} zijn",
        ),
    },
    "eligible_few": {
        "en": ("{excluded} may not be {role}", "let {excluded} be {role}"),
        "nl": ("{excluded} mag geen {role} zijn", "laat {excluded} ook {role} zijn"),
    },
    "eligible_only": {
        "en": ("only {eligible} may be {role}", "let more units be {role}"),
        "nl": ("alleen {eligible} mag {role} zijn", "laat meer eenheden {role} zijn"),
    },
    "unavailable": {
        "en": ("{unit} is unavailable on {date}", "let {unit} hold a role on {date}"),
        "nl": ("{unit} is niet beschikbaar op {date}", "laat {unit} op {date} toch een rol hebben"),
    },
    "distinct": {
        "en": ("the roles of a meeting are held by different units", None),
        "nl": ("de rollen van een vergadering liggen bij verschillende eenheden", None),
    },
    "succession": {
        "en": (
            "the {source} of a meeting is {target} at the next{carried_text}",
            "break the chain {source} → {target}",
        ),
        "nl": (
            "de {source} van een vergadering is {target} bij de volgende{carried_text}",
            "laat de opvolging {source} → {target} los",
        ),
    },
}

_UNSIZED = {
    "horizon": {"en": "plan fewer meetings", "nl": "plan minder vergaderingen"},
    "per_year": {"en": "hold fewer meetings in {year}", "nl": "houd minder vergaderingen in {year}"},
    "gap_min": {"en": "allow meetings closer together", "nl": "sta vergaderingen dichter bij elkaar toe"},
    "gap_max": {"en": "allow longer gaps between meetings", "nl": "sta langere tijd tussen vergaderingen toe"},
}
"""Relaxations of a number when no single value of it lifts the clash."""
_UNSIZED["history_min"] = _UNSIZED["gap_min"]
_UNSIZED["history_max"] = _UNSIZED["gap_max"]
_UNSIZED["gap_summer"] = _UNSIZED["history_summer"] = {
    "en": "allow a longer gap over the summer",
    "nl": "sta langere tijd over de zomer toe",
}

_COUNTED = {
    "weeks": {"en": ("week", "weeks"), "nl": ("week", "weken")},
    "meetings": {"en": ("meeting", "meetings"), "nl": ("vergadering", "vergaderingen")},
}

_PARTS = {
    "held": {"en": " ({held} already held)", "nl": " ({held} al gehouden)"},
    "carried": {"en": " ({unit} was {source} on {date})", "nl": " ({unit} was {source} op {date})"},
    "and": {"en": " and ", "nl": " en "},
}

RULE_NAMES_NL = {
    "Meeting weekday and horizon": "Vergaderdag en planningsperiode",
    "Blackout period": "Uitgesloten periode",
    "Fixed meeting": "Vaste vergadering",
    "Gap between meetings": "Tijd tussen vergaderingen",
    "Gap after the history": "Tijd na de laatste vergadering",
    "Meetings per year": "Vergaderingen per jaar",
    "Mode alternation": "Afwisseling MS Teams en fysiek",
    "Eligibility": "Wie een rol mag hebben",
    "Unit unavailable": "Eenheid niet beschikbaar",
    "Different units": "Verschillende eenheden",
    "Succession": "Opvolging",
}


def _language(language: str) -> str:
    return "nl" if language == "nl" else "en"


def clash_text(language: str, key: str, values: Mapping[str, Any]) -> tuple[str, str | None]:
    """The sentence and the relaxation of one rule instance, in `language` (nl or en)."""
    language = _language(language)
    filled = dict(values)
    if "held" in filled:
        held = filled["held"]
        filled["held_text"] = _PARTS["held"][language].format(held=held) if held else ""
    if "carried_unit" in filled:
        unit = filled["carried_unit"]
        filled["carried_text"] = (
            _PARTS["carried"][language].format(unit=unit, source=filled["source"], date=filled["carried_date"])
            if unit
            else ""
        )
    for name, value in values.items():
        if isinstance(value, int) and not isinstance(value, bool):
            for noun, forms in _COUNTED.items():
                one, more = forms[language]
                filled[f"{name}_{noun}"] = f"{value} {one if value == 1 else more}"
    sentence, relaxation = SENTENCES[key][language]
    if relaxation and key in _UNSIZED and values.get("value") is None:
        relaxation = _UNSIZED[key][language]
    return sentence.format(**filled), relaxation.format(**filled) if relaxation else None


def join_names(names: Sequence[str], language: str) -> str:
    """``A``, ``A and B``, ``A, B and C`` (``en`` in Dutch)."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + _PARTS["and"][_language(language)] + names[-1]


def rule_label(rule: str, language: str) -> str:
    """The rule's name as the committee reads it (the registry names are English)."""
    return RULE_NAMES_NL.get(rule, rule) if language == "nl" else rule


_INTRO = {
    "en": ("these rules cannot all be met together:", "Any one of these changes lifts the clash:"),
    "nl": ("deze regels gaan niet samen:", "Elk van deze aanpassingen heft de botsing op:"),
}
_NO_SINGLE_FIX = {
    "en": "No one of these changes alone gives a plan: another clash remains; change more than one rule.",
    "nl": "Geen van deze regels alleen aanpassen geeft een planning: er blijft een botsing over; pas meer regels aan.",
}
_NONE = {
    "en": "the rules cannot all be met together, and no single rule could be named.",
    "nl": "de regels gaan niet samen, en er is geen afzonderlijke regel aan te wijzen.",
}


def describe(conflicts: Sequence[Conflict], language: str) -> str:
    """The message of an `InfeasibleError`: the clashing rules, then what would lift the clash.

    >>> print(describe([Conflict("Gap between meetings", "at most 10 weeks between meetings",
    ...                          "allow 11 weeks between meetings")], "en"))
    these rules cannot all be met together:
      - Gap between meetings: at most 10 weeks between meetings
    Any one of these changes lifts the clash:
      - allow 11 weeks between meetings
    """
    language = _language(language)
    if not conflicts:
        return _NONE[language]
    head, fix_head = _INTRO[language]
    lines = [head]
    lines.extend(f"  - {rule_label(c.rule, language)}: {c.sentence}" for c in conflicts)
    fixes = list(dict.fromkeys(c.relaxation for c in conflicts if c.relaxation))
    if fixes:
        lines.append(fix_head)
        lines.extend(f"  - {fix}" for fix in fixes)
    else:
        lines.append(_NO_SINGLE_FIX[language])
    return "\n".join(lines)


# -- finding the clash ----------------------------------------------------------------------------


@dataclasses.dataclass
class _Instance:
    """An explanation model with one assumption literal per distinct rule instance."""

    model: Model
    literals: dict[Conflict, Any]
    """Rule instance to its literal, in the order the model added them."""
    details: dict[Conflict, tuple[str, dict[str, Any]]]
    """Rule instance to its sentence key and values (for relaxing numbers)."""


def _instance(committee: Committee, horizon: Horizon) -> _Instance:
    from rotation.model import build, build_problem

    model = build(build_problem(committee, horizon), explain=True)
    literals: dict[Conflict, Any] = {}
    details: dict[Conflict, tuple[str, dict[str, Any]]] = {}
    for assumption in model.assumptions:
        first = literals.get(assumption.conflict)
        if first is None:
            literals[assumption.conflict] = assumption.literal
            details[assumption.conflict] = (getattr(assumption, "key", ""), dict(getattr(assumption, "values", {})))
        else:  # the same rule instance in the committee's words: one literal
            model.model.add(assumption.literal == first)
    return _Instance(model, literals, details)


def _solve(instance: _Instance, assumed: Sequence[Conflict]) -> tuple[bool | None, list[Conflict]]:
    """Feasible (True), infeasible (False) or unknown (None) with the `assumed` rules; on False, a sufficient subset."""
    from ortools.sat.python import cp_model

    from rotation.solve import configure

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
    return [_verified(committee, horizon, instance, conflict) for conflict in kept]


def _verified(committee: Committee, horizon: Horizon, instance: _Instance, conflict: Conflict) -> Conflict:
    """`conflict` with its relaxation only when applying that relaxation gives a plan, as a solve shows.

    A rule that is a number gets the nearest value that gives a plan; any other
    rule is left out of the model (every other rule kept) and solved. A change
    that lifts this clash but leaves another one is not suggested.
    """
    key, _ = instance.details.get(conflict, ("", {}))
    if conflict.relaxation is None:
        return conflict
    if key in _NUMBERS:
        return _relax_number(committee, horizon, instance, conflict)
    feasible, _ = _solve(instance, [c for c in instance.literals if c != conflict])
    return conflict if feasible is True else dataclasses.replace(conflict, relaxation=None)


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
    from rotation.model import RULES

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


def _relax_number(committee: Committee, horizon: Horizon, instance: _Instance, conflict: Conflict) -> Conflict:
    """`conflict` with a relaxation that names the value that lifts the clash, where the rule is a number."""
    key, values = instance.details.get(conflict, ("", {}))
    found = _variants(committee, horizon, key, values)
    if found is None:
        return conflict
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
        return dataclasses.replace(conflict, relaxation=None)
    _, relaxation = clash_text(committee.language, key, {**values, "value": value})
    return dataclasses.replace(conflict, relaxation=relaxation)


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
