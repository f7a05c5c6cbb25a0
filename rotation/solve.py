"""Solving the model and reading the plan out of the solution."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TextIO, Unpack

from rotation.committee_check import check_committee
from rotation.domain import Committee, FixedMeeting, Meeting, MeetingIds, Mode, Plan
from rotation.errors import InfeasibleError
from rotation.horizon import Horizon, Period, choose_horizon
from rotation.messages import decimal, gettext, grouped, ngettext
from rotation.profile import WORK_LIMIT, configure

__all__ = ["WORK_LIMIT", "TerminalProgress", "configure", "plan", "solve_horizon"]

Progress = Callable[[str], None]
PROGRESS_AFTER = 1.0
"""Seconds a solve runs before progress is reported, and then between reports."""


@dataclasses.dataclass
class Budget:
    """The work (and, with a time limit, the seconds) one plan may spend, shared by every solve it takes.

    A plan may take several solves: the stages of its objective, the exact
    pass of fair turns, a horizon with one meeting fewer. Each solve gets what
    the solves before it left, so that the work limit bounds the whole plan.
    """

    work: float
    seconds: float | None = None
    spent: float = 0.0
    """Deterministic work spent so far."""
    started: float = dataclasses.field(default_factory=time.monotonic)

    @classmethod
    def limits(cls, time_limit: float | None = None) -> Budget:
        """The budget of a plan: the work limit, lowered (and joined by a clock) by a time limit."""
        work = WORK_LIMIT if time_limit is None else min(WORK_LIMIT, time_limit)
        return cls(work=work, seconds=time_limit)

    @classmethod
    def of(cls, solver: Any) -> Budget:
        """The limits `configure` gave `solver`, as the budget of one staged solve."""
        parameters = solver.parameters
        seconds = parameters.max_time_in_seconds
        return cls(work=parameters.max_deterministic_time, seconds=seconds if seconds < 1e9 else None)

    def left(self) -> float:
        """Work left: the work limit less what was spent, less by the seconds already gone."""
        left = self.work - self.spent
        if self.seconds is not None:
            left = min(left, self.seconds - (time.monotonic() - self.started))
        return left

    def apply(self, solver: Any) -> None:
        """Give `solver` what is left (a sliver at least, so that a solve can still return what it has)."""
        parameters = solver.parameters
        parameters.max_deterministic_time = max(self.work - self.spent, MINIMUM_WORK)
        if self.seconds is not None:
            parameters.max_time_in_seconds = max(self.seconds - (time.monotonic() - self.started), MINIMUM_WORK)

    def solve(self, model: Any, solver: Any, callback: Any = None, *, share: float = 1.0) -> Any:
        """Solve `model` (a `rotation.model.Model`) within `share` of what is left, and count the work spent."""
        self.apply(solver)
        if share < 1:
            parameters = solver.parameters
            parameters.max_deterministic_time = max(share * (self.work - self.spent), MINIMUM_WORK)
        status = solver.solve(model.model, callback)
        work = solver.response_proto.deterministic_time
        self.spent += work
        model.work_done += work
        return status


MINIMUM_WORK = 0.01
"""The least work a solve of a plan gets, even when the budget is spent."""


def plan(
    committee: Committee,
    *,
    progress: Progress | None = None,
    time_limit: float | None = None,
    language: str | None = None,
    **period: Unpack[Period],
) -> Plan:
    """Plan the meetings of `committee` over a horizon.

    Give `year`, or `start` and `end`; by default the twelve months after the
    last meeting in the history. `progress` is called with a sentence about
    once a second while a solve runs longer than a second; `time_limit` stops
    the solver after that many seconds (see `configure`). A plan the solver
    could not prove the best has `optimal` false and says in its notes how
    far it may be from the best. Raises `ConfigError` for an unusable
    committee, `HorizonError` for a horizon the history cannot reach and
    `InfeasibleError` when the rules cannot all be met. The notes, the
    progress and the errors are in `language` (default: the committee's).

    >>> import rotation
    >>> committee = rotation.example()
    >>> result = rotation.plan(committee)
    >>> [m.date.isoformat() for m in result.meetings][:2]
    ['2023-03-16', '2023-05-11']
    """
    check_committee(committee)
    if language is not None and language != committee.language:
        committee = dataclasses.replace(committee, language=language)
    horizon = choose_horizon(committee, **period)
    result = _plan_horizon(committee, horizon, progress, time_limit)
    former = _former_units(committee)
    unfair = _unfair_turns(committee, result)
    if former or unfair:
        result = dataclasses.replace(result, notes=(*former, *result.notes, *unfair))
    return result


def _unfair_turns(committee: Committee, plan: Plan) -> tuple[str, ...]:
    """A note for each turn the rules leave no fairer choice for (the plan has as few as they allow)."""
    from rotation.fairness import fairness_notes

    notes = fairness_notes(committee, plan)
    if not notes:
        return ()
    closing = gettext(committee.language, "plan.unfair.optimal" if plan.optimal else "plan.unfair.not_proven")
    return (*notes, closing)


def _former_units(committee: Committee) -> tuple[str, ...]:
    """A note for each name in the history that is no unit of the committee (any more)."""
    members = {unit.name for unit in committee.units}
    names = sorted({unit for past in committee.history for unit in past.roles.values() if unit not in members})
    if not names:
        return ()
    from difflib import get_close_matches

    notes = []
    for name in names:
        close = get_close_matches(name, sorted(members), n=1, cutoff=0.75)
        hint = gettext(committee.language, "plan.did_you_mean", name=close[0]) if close else ""
        notes.append(gettext(committee.language, "plan.former_unit", name=name, hint=hint))
    return tuple(notes)


def _plan_horizon(committee: Committee, horizon: Horizon, progress: Progress | None, time_limit: float | None) -> Plan:
    # every solve of the plan shares one budget: a horizon with one meeting fewer gets what is left
    options: dict[str, Any] = {"progress": progress, "time_limit": time_limit, "budget": Budget.limits(time_limit)}
    if not horizon.flexible or horizon.meetings < 2:
        return solve_horizon(committee, horizon, **options)
    try:
        return solve_horizon(committee, horizon, explain=False, **options)
    except InfeasibleError:
        pass
    # Twelve months from a date in the middle of the year may hold one meeting
    # fewer than a calendar year, when the holidays fall badly for the gaps.
    fewer = dataclasses.replace(horizon, meetings=horizon.meetings - 1, flexible=False)
    try:
        result = solve_horizon(committee, fewer, explain=False, **options)
    except InfeasibleError:
        return solve_horizon(committee, dataclasses.replace(horizon, flexible=False), **options)
    note = gettext(
        committee.language,
        "plan.fewer_meetings",
        meetings=ngettext(committee.language, "count.meetings", horizon.meetings),
        start=horizon.start,
        end=horizon.end,
        count=fewer.meetings,
    )
    return dataclasses.replace(result, notes=(*result.notes, note))


def solve_horizon(
    committee: Committee,
    horizon: Horizon,
    *,
    progress: Progress | None = None,
    first: Sequence[tuple[str, Any]] = (),
    after_fairness: Sequence[tuple[str, Any]] = (),
    customize: Callable[[Any], None] | None = None,
    explain: bool = True,
    time_limit: float | None = None,
    budget: Budget | None = None,
) -> Plan:
    """Plan `committee` over an explicit `Horizon`.

    `first` are preferences that outrank the built-in ones, `after_fairness` ones that rank right after
    the fairness preferences (see `rotation.model.build`);
    `customize` may add constraints to the built `rotation.model.Model` before it is solved.
    When no plan exists the `InfeasibleError` names the clashing rules, unless `explain` is false.
    `budget` is the work the solves may spend (by default the limits of `time_limit`), shared with others.
    """
    from ortools.sat.python import cp_model

    from rotation.explain import problem as build_problem
    from rotation.model import FAIRNESS, build

    watch = _Watch(progress, committee.language, horizon.meetings) if progress else None
    try:
        problem = build_problem(committee, horizon)
        status = cp_model.UNKNOWN
        budget = Budget.limits(time_limit) if budget is None else budget
        found = None  # the first pass's model, solver and status, kept should the exact pass find nothing
        for exact in (False, True):
            model = build(problem, first=first, after_fairness=after_fairness, exact_fairness=exact)
            if customize is not None:
                customize(model)
            solver = cp_model.CpSolver()
            configure(solver, time_limit=time_limit)
            callback = None
            if watch is not None:
                watch.searching()
                callback = _make_callback_class()(watch)
                solver.best_bound_callback = watch.bound
            # The exact pass comes only after the blocks of turns found no fair plan: none to hope for.
            status = solve_stages(model, solver, callback, budget=budget, hopeful=not exact)
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                if found is not None:
                    model, solver, status = found
                    status = cp_model.FEASIBLE  # fair as far as the work limit let it find out
                break
            # Rounds counted as blocks of turns tell exactly whether a plan can be fair; when it cannot,
            # the fewest unfair turns are found with the rounds as they run (a longer solve), within
            # what is left of the same work limit.
            if not model.fair_by_blocks or budget.left() <= 0:
                break
            if not any(_value(model.solution, term) for term in model.objective_terms.get(FAIRNESS[0], ())):
                break
            found = (model, solver, cp_model.FEASIBLE)
    finally:
        if watch is not None:
            watch.stop(proven=status == cp_model.OPTIMAL)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if status == cp_model.MODEL_INVALID:  # pragma: no cover - a bug in the model, not the input
            raise RuntimeError(model.model.validate())
        if not explain:
            raise InfeasibleError(gettext(committee.language, "plan.rules_clash"), language=committee.language)
        from rotation.explain import explain as find_conflicts

        conflicts = find_conflicts(committee, horizon)  # a feasibility-only solve: quicker than the full one
        if status == cp_model.UNKNOWN and not conflicts:
            limit = "time" if time_limit is not None and time_limit < WORK_LIMIT else "work"
            language = committee.language
            raise InfeasibleError(
                gettext(language, "plan.no_plan_in_time", limit=gettext(language, f"plan.limit.{limit}")),
                language=language,
            )
        raise InfeasibleError(
            _infeasible_message(conflicts, committee.language), conflicts=conflicts, language=committee.language
        )
    return _read_plan(committee, horizon, model, model.solution, optimal=status == cp_model.OPTIMAL)


def solve_stages(
    model: Any, solver: Any, callback: Any = None, *, budget: Budget | None = None, hopeful: bool = True
) -> Any:
    """Solve `model` (a `rotation.model.Model`) stage by stage, each stage held at its best for the next.

    Most models have one stage, solved at once. Of several, the first is
    tried at the least it can be (no plan can score less on it, so a plan
    that does is best there); only when no plan does is it solved for on its
    own (unless not `hopeful`: when it is known not to get there). The
    stages share `budget` (by default the limits `configure` gave `solver`);
    when it runs out after a plan was found, that plan is kept, not proven
    the best. The plan is `model.solution`. Returns the status of the last
    solve, OPTIMAL only when every stage was proven optimal.
    """
    from ortools.sat.python import cp_model

    budget = Budget.of(solver) if budget is None else budget
    stages = model.stages or [0]
    index, status = 0, cp_model.UNKNOWN
    proven = True
    if len(stages) > 1 and hopeful:
        status = _at_least(model, solver, callback, budget)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            index = 2
            proven = status == cp_model.OPTIMAL
        elif status == cp_model.MODEL_INVALID:  # pragma: no cover - a bug in the model, not the input
            return status
    while index < len(stages):
        kept = model.solution
        if index:
            if budget.left() <= 0:
                return _keep(model, stages[index:])
            best = model.stage_results[-1][1]
            model.model.clear_hints()
            hinted = {id(var): var for var in (*model.week, *model.physical, *model.holds.values())}
            for var in hinted.values():
                if not isinstance(var, int):
                    model.model.add_hint(var, kept.value(var))
            model.model.add(stages[index - 1] <= best)
            model.model.minimize(stages[index])
        status = budget.solve(model, solver, callback)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if index and kept is not None and status == cp_model.UNKNOWN:
                return _keep(model, stages[index:])
            return status
        model.solution = Solution(solver)
        if model.stages:
            _record(model, solver, status)
        proven = proven and status == cp_model.OPTIMAL
        index += 1
    return status if proven else cp_model.FEASIBLE


def _keep(model: Any, rest: Sequence[Any]) -> Any:
    """Keep the plan of the stages solved so far: the stages in `rest` are not proven, only bounded below."""
    from ortools.sat.python import cp_model

    for stage in rest:
        value = model.solution.value(stage)
        model.stage_results.append((False, value, min(value, _least(stage))))
    return cp_model.FEASIBLE


class Solution:
    """The values of a solve's plan, kept while a later stage is solved (reads like `CpSolver.value`)."""

    def __init__(self, solver: Any) -> None:
        self.values: list[int] = list(solver.response_proto.solution)

    def value(self, expression: Any) -> int:
        from ortools.sat.python import cp_model, cp_model_helper

        if isinstance(expression, int):
            return expression
        if isinstance(expression, cp_model.IntVar):
            return self.values[int(expression.index)]
        flat = cp_model_helper.FlatIntExpr(expression)
        return int(flat.offset + sum(c * self.values[v.index] for v, c in zip(flat.vars, flat.coeffs, strict=True)))


def _at_least(model: Any, solver: Any, callback: Any, budget: Budget) -> Any:
    """Solve for the second stage with the first held at the least it can be: INFEASIBLE when no plan gets there.

    A plan that reaches that least is the best on the first stage, without
    a solve of its own; where none does (or none is found in half of what is
    left of the budget), the constraint is taken out again.
    """
    from ortools.sat.python import cp_model

    first, second = model.stages[0], model.stages[1]
    least = _least(first)
    at = len(model.model.proto.constraints)
    model.model.add(first <= least)
    model.model.minimize(second)
    status = budget.solve(model, solver, callback, share=0.5)  # the other half for the stages one by one
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        model.solution = Solution(solver)
        model.stage_results.append((True, least, least))
        _record(model, solver, status)
        return status
    model.model.proto.constraints[at].clear_linear()
    model.model.minimize(first)
    return status


def _least(expression: Any) -> int:
    """The least value `expression` can take, from the domains of its variables."""
    if isinstance(expression, int):
        return expression
    from ortools.sat.python import cp_model_helper

    flat = cp_model_helper.FlatIntExpr(expression)
    least = flat.offset
    for var, coefficient in zip(flat.vars, flat.coeffs, strict=True):
        domain = var.proto.domain
        least += coefficient * (domain[0] if coefficient > 0 else domain[-1])
    return int(least)


def _record(model: Any, solver: Any, status: Any) -> None:
    """The result of the stage just solved: whether proven optimal, its best value, the bound on it."""
    from ortools.sat.python import cp_model

    best = round(solver.objective_value)
    model.stage_results.append(
        (status == cp_model.OPTIMAL, best, min(best, math.ceil(solver.best_objective_bound - 1e-6)))
    )


def objective_bound(model: Any) -> int | None:
    """No plan scores less: each stage proven optimal at its best, then the bound of the first that was not."""
    total = 0
    for (proven, best, bound), weight in zip(model.stage_results, model.stage_weights, strict=False):
        if not proven:
            return total + int(bound) * int(weight)
        total += int(best) * int(weight)
    return total if model.stage_results else None


def _value(solver: Any, term: Any) -> int:
    return term if isinstance(term, int) else int(solver.value(term))


def objective_value(model: Any, solver: Any) -> int | None:
    """The plan's score: every preference's penalty times its weight, added up (lower is better)."""
    if not model.objective_terms:
        return None
    total: int = sum(
        model.weights[name] * sum(term if isinstance(term, int) else int(solver.value(term)) for term in terms)
        for name, terms in model.objective_terms.items()
    )
    return total


def _infeasible_message(conflicts: Any, language: str = "en") -> str:
    """The clashing rules and the changes that lift the clash, on one screen (see `rotation.explain.describe`)."""
    from rotation.explain import describe

    return describe(conflicts, language)


def _make_callback_class() -> type:
    from ortools.sat.python import cp_model

    class Callback(cp_model.CpSolverSolutionCallback):
        def __init__(self, watch: _Watch) -> None:
            super().__init__()
            self.watch = watch

        def on_solution_callback(self) -> None:
            self.watch.solution(self.objective_value, self.best_objective_bound)

    return Callback


class _Watch:
    """Reports on a long solve about once a second: what it is doing, the best plan so far, how close to proven.

    Quiet for the first `PROGRESS_AFTER` seconds, so that a quick plan prints nothing; after a
    report, one last line says how the solve ended.
    """

    def __init__(self, report: Progress, language: str, meetings: int) -> None:
        self.report = report
        self.language = language
        self.meetings = meetings
        self.started = time.monotonic()
        self.phase = "building"
        self.score: float | None = None
        self.best_bound: float | None = None
        self.reported = False
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, name="rotation progress", daemon=True)
        self.thread.start()

    def searching(self) -> None:
        self.phase = "first"

    def solution(self, score: float, bound: float) -> None:
        self.phase = "improving"
        self.score, self.best_bound = score, bound

    def bound(self, bound: float) -> None:
        self.best_bound = bound

    def stop(self, *, proven: bool) -> None:
        self.done.set()
        self.thread.join()
        if self.reported:
            seconds = f"{time.monotonic() - self.started:.0f}"
            if self.score is None:
                self._say(self._words("none", seconds=seconds))
            elif proven:
                self._say(self._words("proven", seconds=seconds, score=self._number(self.score)))
            else:
                self._say(self._words("stopped", seconds=seconds, score=self._number(self.score), gap=self._gap()))
        finish = getattr(self.report, "finish", None)
        if self.reported and callable(finish):
            finish()

    def _run(self) -> None:
        while not self.done.wait(PROGRESS_AFTER):
            seconds = f"{time.monotonic() - self.started:.0f}"
            if self.phase == "improving" and self.score is not None:
                message = self._words("improving", score=self._number(self.score), gap=self._gap())
            else:
                message = self._words(self.phase)
            self._say(f"{message} ({seconds} s)")

    def _say(self, message: str) -> None:
        with self.lock:
            self.reported = True
            self.report(message)

    def _words(self, key: str, **values: str) -> str:
        return gettext(self.language, f"progress.{key}", n=self.meetings, **values)

    def _number(self, value: float) -> str:
        return grouped(round(value), self.language)

    def _gap(self) -> str:
        score, bound = self.score or 0.0, self.best_bound
        percent = gap_percent(score, bound)
        return self._words("within", percent=_percent(percent, self.language))


def gap_percent(score: float, bound: float | None) -> float:
    """How far `score` may be above the best possible, in percent of `score` (100 without a bound)."""
    if bound is None or score <= 0:
        return 0.0 if score <= (bound or 0) else 100.0
    return max(0.0, (score - bound) / score * 100)


def _percent(value: float, language: str) -> str:
    if value == 0:
        text = "0"
    elif value < 0.01:
        text = "0.01"
    elif value < 10:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.0f}"
    return decimal(text, language)


class TerminalProgress:
    """A progress report on one line of a terminal, rewritten in place; `finish` ends the line."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def __call__(self, message: str) -> None:
        stream = self.stream or sys.stderr
        stream.write(f"\r\x1b[Krotation: {message}")
        stream.flush()

    def finish(self) -> None:
        stream = self.stream or sys.stderr
        stream.write("\n")
        stream.flush()


def _read_plan(committee: Committee, horizon: Horizon, model: Any, solver: Any, *, optimal: bool) -> Plan:
    problem = model.problem
    fixed_by_date = {f.date: f for f in problem.fixed}
    ids = MeetingIds(committee)
    meetings = []
    for k in model.slots:
        day = problem.day(solver.value(model.week[k]))
        mode = Mode.PHYSICAL if solver.value(model.physical[k]) else Mode.TEAMS
        roles = {}
        for role in committee.role_keys:
            for unit in model.units_for(k, role):
                if solver.value(model.holds[k, role, unit]):
                    roles[role] = unit
        meetings.append(planned_meeting(committee, ids, day, mode, roles, fixed_by_date.get(day)))
    objective = objective_value(model, solver)
    bound = None
    if objective is not None:
        bound = objective if optimal else objective_bound(model)
    notes = () if optimal else (_not_proven(objective, bound, committee.language, _furthest(model, solver, bound)),)
    return Plan(
        committee_name=committee.name,
        timezone=committee.cadence.timezone,
        start=horizon.start,
        end=horizon.end,
        meetings=tuple(meetings),
        optimal=optimal,
        objective=objective,
        notes=notes,
        bound=bound,
    )


def _furthest(model: Any, solver: Any, bound: int | None) -> tuple[str, int, int] | None:
    """The first preference, highest first, on which the plan may be beaten: its name, the plan's penalty, the least.

    The objective weighs the preferences strictly, so the bound, read as a
    number in the mixed base of the weights, gives for the highest preference
    the least penalty any plan can have on it; the preferences before the one
    returned are as good as they can be.
    """
    weights = getattr(model, "weights", {})
    if bound is None or not weights:
        return None
    rest = bound
    for name in sorted(weights, key=weights.get, reverse=True):  # type: ignore[arg-type]
        weight = weights[name]
        least, rest = divmod(rest, weight)
        held = sum(term if isinstance(term, int) else int(solver.value(term)) for term in model.objective_terms[name])
        if held > least:
            return name, held, least
    return None


def _not_proven(objective: int | None, bound: int | None, language: str, furthest: tuple[str, int, int] | None) -> str:
    """The note on a plan the solver stopped improving before it could prove it the best."""
    if objective is None or bound is None:
        return gettext(language, "plan.not_proven.no_bound")
    where = ""
    if furthest is not None:
        name, held, at_least = furthest
        label = gettext(language, "preference." + name.lower().replace(" ", "_"))
        where = gettext(language, "plan.not_proven.where", name=label, held=held, least=at_least)
    return gettext(
        language,
        "plan.not_proven",
        score=grouped(objective, language),
        least=grouped(bound, language),
        percent=_percent(gap_percent(objective, bound), language),
        where=where,
    )


def planned_meeting(
    committee: Committee,
    ids: MeetingIds,
    day: dt.date,
    mode: Mode,
    roles: dict[str, str],
    fixed: FixedMeeting | None,
) -> Meeting:
    """A planned meeting: the committee's times, its location, and what a fixed meeting on that day pins."""
    return Meeting(
        id=ids.next(day, fixed),
        date=day,
        start=committee.cadence.start,
        end=committee.cadence.end,
        mode=mode,
        location=committee.place(mode, roles, fixed.location if fixed else None),
        roles=roles,
        fixed_date=fixed is not None,
        pinned_roles=tuple(r for r in committee.role_keys if fixed and r in fixed.roles),
        title=fixed.title if fixed else None,
    )
