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
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Unpack

from rotation.domain import Committee, Mode, Plan
from rotation.errors import HorizonError, InfeasibleError
from rotation.horizon import Horizon, Period
from rotation.messages import gettext, join_names, ngettext

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
    language: str | None = None,
    progress: Callable[[str], None] | None = None,
    time_limit: float | None = None,
    **period: Unpack[Period],
) -> list[Alternative]:
    """Up to `count` distinct good plans, the best first; the horizon is chosen as by `rotation.plan`.

    Fewer come back when no other plan meets the rules. Each later plan is the
    best one that differs from all before it in at least one date or role holder.
    `time_limit` (seconds) applies to each of the solves.
    """
    from rotation.horizon import choose_horizon
    from rotation.solve import plan, solve_horizon

    if not 1 <= count <= MAX_ALTERNATIVES:
        raise HorizonError(
            gettext(language or committee.language, "alternative.count", most=MAX_ALTERNATIVES, count=count)
        )
    language = language or committee.language
    best = plan(committee, progress=progress, time_limit=time_limit, language=language, **period)
    horizon = choose_horizon(committee, **period)
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
    from rotation.profile import configure
    from rotation.solve import objective_value, solve_stages

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


_PHRASED = frozenset({"Rotation order", "Balanced turns", "Preferred weeks", "Even spread"})
"""Preferences with their own phrase (``alternative.<preference>.better``); the others are named."""


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
    language = language or committee.language
    gains: list[str] = []
    losses: list[str] = []
    for name, value in other_scores.items():
        change = value - best_scores.get(name, 0)
        if not change:
            continue
        slug = name.lower().replace(" ", "_")
        key = f"alternative.{slug if name in _PHRASED else 'other'}.{'better' if change < 0 else 'worse'}"
        label = gettext(language, f"preference.{slug}").lower()
        text = ngettext(language, key, abs(change), name=label, gaps=_gaps(committee, other, language))
        (gains if change < 0 else losses).append(text)
    dates, holders = _differences(committee, best, other)
    parts = [*gains, *losses] or [gettext(language, "alternative.same")]
    differs = [
        ngettext(language, f"alternative.{key}", count)
        for count, key in ((dates, "dates"), (holders, "holders"))
        if count
    ]
    moved = [(a.date, b.date) for a, b in zip(best.meetings, other.meetings, strict=False) if a.date != b.date]
    if 0 < len(moved) <= 2:  # name the dates rather than count them
        differs[0] = ", ".join(gettext(language, "alternative.instead", new=new, old=old) for old, new in moved)
    return f"{', '.join(parts)}; {join_names(differs, language)}" if differs else ", ".join(parts)


def _gaps(committee: Committee, plan: Plan, language: str) -> str:
    """The shortest and longest gap of `plan` in weeks, from the last meeting in the history."""
    days = [m.date for m in plan.meetings]
    if committee.history and committee.history[-1].date < days[0]:
        days.insert(0, committee.history[-1].date)
    weeks = [(b - a).days // 7 for a, b in itertools.pairwise(days)]
    if not weeks:
        return ""
    return gettext(language, "alternative.gaps", low=min(weeks), high=max(weeks))
