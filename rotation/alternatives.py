"""Several good plans to choose from, each with its trade-off against the best one.

`alternatives` solves for the best plan, then again with a rule that excludes
every plan found so far (the same dates with the same role holders), and so on.
Each plan is scored per preference of the model (`score`); an alternative is
described by how its scores differ from the best plan's, for instance
"evener gaps (9 to 10 weeks), further from the rotation order".

>>> import rotation
>>> from rotation.alternatives import alternatives
>>> found = alternatives(rotation.example(), 2)
>>> found[0].tradeoff, bool(found[1].tradeoff)
('', True)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rotation.domain import Committee, Mode, Plan
from rotation.errors import HorizonError, InfeasibleError
from rotation.horizon import Horizon
from rotation.i18n import format_date

__all__ = ["Alternative", "alternatives", "objective", "score", "tradeoff"]

MAX_ALTERNATIVES = 20


@dataclass(frozen=True)
class Alternative:
    """One plan, its score per preference and how it compares with the best plan."""

    plan: Plan
    scores: Mapping[str, int]
    """The penalty per preference (by the name the user sees); lower is better."""
    tradeoff: str
    """One line on what this plan gains and loses against the best plan ("" for the best plan itself)."""
    dates: int
    """How many meetings are on another date than in the best plan."""
    holders: int
    """How many role holders differ from the best plan."""


def alternatives(
    committee: Committee,
    count: int,
    *,
    year: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    meetings: int | None = None,
    today: dt.date | None = None,
    language: str | None = None,
    progress: Callable[[str], None] | None = None,
    time_limit: float | None = None,
) -> list[Alternative]:
    """Up to `count` distinct good plans, the best first; the horizon is chosen as by `rotation.plan`.

    Fewer come back when no other plan meets the rules. Each later plan is the
    best one that differs from all before it in at least one date or role holder.
    `time_limit` (seconds) applies to each of the solves.
    """
    from rotation.horizon import choose_horizon
    from rotation.solve import plan, solve_horizon

    if not 1 <= count <= MAX_ALTERNATIVES:
        raise HorizonError(f"ask for 1 to {MAX_ALTERNATIVES} alternatives, not {count}.")
    language = language or committee.language
    best = plan(
        committee,
        year=year,
        start=start,
        end=end,
        meetings=meetings,
        today=today,
        progress=progress,
        time_limit=time_limit,
    )
    horizon = choose_horizon(committee, year=year, start=start, end=end, meetings=meetings, today=today)
    if horizon.meetings != len(best.meetings):
        horizon = dataclasses.replace(horizon, meetings=len(best.meetings))
    found = [best]
    while len(found) < count:
        try:
            found.append(
                solve_horizon(
                    committee,
                    horizon,
                    customize=_excluding(tuple(found)),
                    progress=progress,
                    explain=False,
                    time_limit=time_limit,
                )
            )
        except InfeasibleError:
            break
    scores = [score(committee, horizon, item) for item in found]
    out = []
    for item, scored in zip(found, scores, strict=True):
        dates, holders = _differences(committee, found[0], item)
        line = "" if item is best else tradeoff(committee, found[0], scores[0], item, scored, language=language)
        out.append(Alternative(plan=item, scores=scored, tradeoff=line, dates=dates, holders=holders))
    return out


def _excluding(plans: Sequence[Plan]) -> Callable[[Any], None]:
    """A `customize` step: the new plan differs from each of `plans` in a date or a role holder."""

    def customize(m: Any) -> None:
        p = m.problem
        for earlier in plans:
            differs: list[Any] = []
            for k, meeting in zip(m.slots, earlier.meetings, strict=False):
                on = m.on(k, p.week(meeting.date))
                holders = [m.holds.get((k, role, unit)) for role, unit in meeting.roles.items()]
                if isinstance(on, int) or any(var is None for var in holders):
                    break  # this plan cannot come out again
                differs.append(~on)
                differs.extend(~var for var in holders)
            else:
                m.model.add_bool_or(differs)

    return customize


def score(committee: Committee, horizon: Horizon, plan: Plan) -> dict[str, int]:
    """The penalty of `plan` per preference of the model (lower is better), by the preference's name."""
    return objective(committee, horizon, plan)[1]


def objective(committee: Committee, horizon: Horizon, plan: Plan) -> tuple[int, dict[str, int]]:
    """The model's objective for `plan` (lower is better) and its penalty per preference.

    Raises `InfeasibleError` when the plan breaks a rule, so that it has no score.
    """
    from ortools.sat.python import cp_model

    from rotation.explain import problem as build_problem
    from rotation.model import build
    from rotation.solve import configure, objective_value, solve_stages

    horizon = dataclasses.replace(horizon, meetings=len(plan.meetings))
    problem = build_problem(committee, horizon)
    m = build(problem)
    for k, meeting in zip(m.slots, plan.meetings, strict=True):
        m.model.add(m.week[k] == problem.week(meeting.date))
        m.model.add(m.physical[k] == (1 if meeting.mode is Mode.PHYSICAL else 0))
        for role, unit in meeting.roles.items():
            var = m.holds.get((k, role, unit))
            if var is None:
                raise InfeasibleError(f"{unit} cannot be {role} on {meeting.date.isoformat()} under the rules.")
            m.model.add(var == 1)
    solver = cp_model.CpSolver()
    configure(solver)
    status = solve_stages(m, solver)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise InfeasibleError("this plan does not meet the rules, so it has no score.")
    # `build` adds the preferences lowest first: list them highest first
    ranked = reversed(list(m.objective_terms.items()))
    parts = {name: sum(_value(m.solution, term) for term in terms) for name, terms in ranked}
    return objective_value(m, m.solution) or 0, parts


def _value(solver: Any, term: Any) -> int:
    return term if isinstance(term, int) else int(solver.value(term))


def _differences(committee: Committee, best: Plan, other: Plan) -> tuple[int, int]:
    dates = sum(1 for a, b in zip(best.meetings, other.meetings, strict=False) if a.date != b.date)
    holders = sum(
        1
        for a, b in zip(best.meetings, other.meetings, strict=False)
        for role in committee.role_keys
        if a.roles.get(role) != b.roles.get(role)
    )
    return dates, holders


_PHRASES: dict[str, dict[str, tuple[str, str, str, str]]] = {
    # preference: language: (better by 1, better by {n}, worse by 1, worse by {n})
    "Rotation order": {
        # the penalty squares how far each holder is from its turn, so it is no count of turns
        "nl": ("dichter bij de volgorde",) * 2 + ("verder van de volgorde",) * 2,
        "en": ("closer to the rotation order",) * 2 + ("further from the rotation order",) * 2,
    },
    "Balanced turns": {
        "nl": ("beurten gelijker verdeeld",) * 2 + ("beurten minder gelijk verdeeld",) * 2,
        "en": ("turns shared more evenly",) * 2 + ("turns shared less evenly",) * 2,
    },
    "Preferred weeks": {
        "nl": (
            "1 vergadering meer in de voorkeursweken",
            "{n} vergaderingen meer in de voorkeursweken",
            "1 vergadering meer buiten de voorkeursweken",
            "{n} vergaderingen meer buiten de voorkeursweken",
        ),
        "en": (
            "1 more meeting in the preferred weeks",
            "{n} more meetings in the preferred weeks",
            "1 more meeting outside the preferred weeks",
            "{n} more meetings outside the preferred weeks",
        ),
    },
    "Even spread": {
        "nl": ("gelijkmatiger tussenpozen ({gaps})",) * 2 + ("minder gelijkmatige tussenpozen ({gaps})",) * 2,
        "en": ("evener gaps ({gaps})",) * 2 + ("less even gaps ({gaps})",) * 2,
    },
}
_OTHER = {
    "nl": ("{name} beter",) * 2 + ("{name} slechter",) * 2,
    "en": ("better on {name}",) * 2 + ("worse on {name}",) * 2,
}
_SAME = {"nl": "even goed", "en": "just as good"}
_DATES = {
    "nl": ("1 vergadering op een andere datum", "{n} vergaderingen op een andere datum"),
    "en": ("1 meeting on another date", "{n} meetings on other dates"),
}
_HOLDERS = {
    "nl": ("1 andere rolhouder", "{n} andere rolhouders"),
    "en": ("1 other role holder", "{n} other role holders"),
}
_AND = {"nl": " en ", "en": " and "}
_INSTEAD = {"nl": "{new} in plaats van {old}", "en": "{new} instead of {old}"}
_GAPS = {"nl": "{low} tot {high} weken", "en": "{low} to {high} weeks"}


def tradeoff(
    committee: Committee,
    best: Plan,
    best_scores: Mapping[str, int],
    other: Plan,
    other_scores: Mapping[str, int],
    *,
    language: str | None = None,
) -> str:
    """One line on what `other` gains and loses against `best`: gains first, then losses, then what differs."""
    language = "nl" if (language or committee.language) == "nl" else "en"
    gains: list[str] = []
    losses: list[str] = []
    for name, value in other_scores.items():
        change = value - best_scores.get(name, 0)
        if not change:
            continue
        phrases = _PHRASES.get(name, {}).get(language, _OTHER[language])
        phrase = phrases[(0 if change < 0 else 2) + (abs(change) != 1)]
        text = phrase.format(n=abs(change), name=name.lower(), gaps=_gaps(committee, other, language))
        (gains if change < 0 else losses).append(text)
    dates, holders = _differences(committee, best, other)
    parts = [*gains, *losses] or [_SAME[language]]
    differs = [
        words[language][count != 1].format(n=count) for count, words in ((dates, _DATES), (holders, _HOLDERS)) if count
    ]
    moved = [(a.date, b.date) for a, b in zip(best.meetings, other.meetings, strict=False) if a.date != b.date]
    if 0 < len(moved) <= 2:  # name the dates rather than count them
        differs[0] = ", ".join(
            _INSTEAD[language].format(new=format_date(new, language), old=format_date(old, language))
            for old, new in moved
        )
    return f"{', '.join(parts)}; {_AND[language].join(differs)}" if differs else ", ".join(parts)


def _gaps(committee: Committee, plan: Plan, language: str) -> str:
    """The shortest and longest gap of `plan` in weeks, from the last meeting in the history."""
    days = [m.date for m in plan.meetings]
    if committee.history and committee.history[-1].date < days[0]:
        days.insert(0, committee.history[-1].date)
    weeks = [(b - a).days // 7 for a, b in itertools.pairwise(days)]
    if not weeks:
        return ""
    return _GAPS[language].format(low=min(weeks), high=max(weeks))
