"""Solving the model and reading the plan out of the solution."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from rotation.checks import check_committee
from rotation.domain import Committee, FixedMeeting, Meeting, MeetingIds, Mode, Plan
from rotation.errors import InfeasibleError
from rotation.horizon import Horizon, choose_horizon
from rotation.i18n import format_date

__all__ = ["SOLVER_WORKERS", "plan", "solve_horizon"]

SOLVER_WORKERS = 8
"""Fixed, so that the plan does not depend on the machine's number of cores."""
MAX_DETERMINISTIC_TIME = 120.0
"""Work limit in CP-SAT's deterministic time units (not wall-clock seconds, which would break reproducibility)."""

Progress = Callable[[str], None]


def plan(
    committee: Committee,
    *,
    year: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    meetings: int | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Plan the meetings of `committee` over a horizon.

    Give `year`, or `start` and `end`; by default the twelve months after the
    last meeting in the history. Raises `ConfigError` for an unusable
    committee, `HorizonError` for a horizon the history cannot reach and
    `InfeasibleError` when the rules cannot all be met.

    >>> import rotation
    >>> committee = rotation.example()
    >>> result = rotation.plan(committee)
    >>> [m.date.isoformat() for m in result.meetings][:2]
    ['2023-03-16', '2023-05-11']
    """
    check_committee(committee)
    horizon = choose_horizon(committee, year=year, start=start, end=end, meetings=meetings, today=today)
    result = _plan_horizon(committee, horizon, progress)
    former = _former_units(committee)
    return dataclasses.replace(result, notes=(*former, *result.notes)) if former else result


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
        if committee.language == "nl":
            hint = f" (bedoelt u {close[0]}?)" if close else ""
            notes.append(
                f"de geschiedenis noemt '{name}', geen eenheid (meer) van dit overleg{hint}; behandeld als vertrokken."
            )
        else:
            hint = f" (did you mean {close[0]}?)" if close else ""
            notes.append(
                f"the history names '{name}', which is no (longer a) unit of this committee{hint}; "
                "taken as a unit that left."
            )
    return tuple(notes)


def _plan_horizon(committee: Committee, horizon: Horizon, progress: Progress | None) -> Plan:
    if not horizon.flexible or horizon.meetings < 2:
        return solve_horizon(committee, horizon, progress=progress)
    try:
        return solve_horizon(committee, horizon, progress=progress, explain=False)
    except InfeasibleError:
        pass
    # Twelve months from a date in the middle of the year may hold one meeting
    # fewer than a calendar year, when the holidays fall badly for the gaps.
    fewer = dataclasses.replace(horizon, meetings=horizon.meetings - 1, flexible=False)
    try:
        result = solve_horizon(committee, fewer, progress=progress, explain=False)
    except InfeasibleError:
        return solve_horizon(committee, dataclasses.replace(horizon, flexible=False), progress=progress)
    language = committee.language
    first, last = format_date(horizon.start, language), format_date(horizon.end, language)
    note = (
        f"{horizon.meetings} vergaderingen passen niet tussen {first} en {last} met deze tussenpozen en "
        f"uitgesloten perioden; deze planning heeft er {fewer.meetings}."
        if language == "nl"
        else f"{horizon.meetings} meetings do not fit between {first} and {last} with these gaps and blackouts; "
        f"this plan has {fewer.meetings}."
    )
    return dataclasses.replace(result, notes=(*result.notes, note))


def solve_horizon(
    committee: Committee,
    horizon: Horizon,
    *,
    progress: Progress | None = None,
    first: Sequence[tuple[str, Any]] = (),
    customize: Callable[[Any], None] | None = None,
    explain: bool = True,
) -> Plan:
    """Plan `committee` over an explicit `Horizon`.

    `first` are preferences that outrank the built-in ones (see `rotation.model.build`);
    `customize` may add constraints to the built `rotation.model.Model` before it is solved.
    When no plan exists the `InfeasibleError` names the clashing rules, unless `explain` is false.
    """
    from ortools.sat.python import cp_model

    from rotation.model import build, build_problem

    problem = build_problem(committee, horizon)
    model = build(problem, first=first)
    if customize is not None:
        customize(model)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = SOLVER_WORKERS
    solver.parameters.interleave_search = True
    # No LP relaxation and light probing: on the benchmarks (docs/performance.md) the large
    # committees solve three to four times faster with these; the example's plan is unchanged.
    solver.parameters.linearization_level = 0
    solver.parameters.cp_model_probing_level = 1
    solver.parameters.max_deterministic_time = MAX_DETERMINISTIC_TIME
    callback = _make_callback_class()(progress) if progress else None
    status = solver.solve(model.model, callback)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if status == cp_model.MODEL_INVALID:  # pragma: no cover - a bug in the model, not the input
            raise RuntimeError(model.model.validate())
        if not explain:
            raise InfeasibleError("the rules cannot all be met together.")
        from rotation.explain import explain as find_conflicts

        conflicts = find_conflicts(committee, horizon)  # a feasibility-only solve: quicker than the full one
        if status == cp_model.UNKNOWN and not conflicts:
            raise InfeasibleError(
                "the solver found no plan within its work limit, and no clash between the rules either; "
                "plan a shorter period (--from/--to)."
            )
        raise InfeasibleError(_infeasible_message(conflicts, committee.language), conflicts=conflicts)
    return _read_plan(committee, horizon, model, solver, optimal=status == cp_model.OPTIMAL)


def _infeasible_message(conflicts: Any, language: str = "en") -> str:
    """The clashing rules and the changes that lift the clash, on one screen (see `rotation.explain.describe`)."""
    from rotation.explain import describe

    return describe(conflicts, language)


def _make_callback_class() -> type:
    from ortools.sat.python import cp_model

    class Callback(cp_model.CpSolverSolutionCallback):
        def __init__(self, report: Progress) -> None:
            super().__init__()
            self.report = report
            self.started = time.monotonic()

        def on_solution_callback(self) -> None:
            elapsed = time.monotonic() - self.started
            if elapsed >= 1.0:
                self.report(f"found a plan (score {self.objective_value:,.0f}) after {elapsed:.1f} s, improving...")

    return Callback


def stderr_progress(message: str) -> None:
    print(f"rotation: {message}", file=sys.stderr, flush=True)


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
    return Plan(
        committee=committee.name,
        timezone=committee.cadence.timezone,
        start=horizon.start,
        end=horizon.end,
        meetings=tuple(meetings),
        optimal=optimal,
        objective=round(solver.objective_value) if model.objective_terms else None,
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
        location=location(committee, mode, roles, fixed.location if fixed else None),
        roles=roles,
        fixed_date=fixed is not None,
        pinned_roles=tuple(r for r in committee.role_keys if fixed and r in fixed.roles),
        title=fixed.title if fixed else None,
    )


def location(committee: Committee, mode: Mode, roles: dict[str, str], fixed_location: str | None) -> str:
    """Where a meeting is held: the fixed location, the host unit's venue, or the committee's default."""
    modes = committee.modes
    if fixed_location:
        return fixed_location
    if mode is Mode.TEAMS:
        return modes.teams_location
    host = roles.get(modes.physical_host) if modes.physical_host else None
    if host is not None:
        venue = committee.unit(host).venue
        if venue:
            return venue
    return modes.physical_location or host or ""
