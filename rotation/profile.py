"""The one solver profile: how every solve of rotation sets up CP-SAT (plan, replan, alternatives, explain)."""

from __future__ import annotations

from typing import Any

__all__ = ["WORK_LIMIT", "configure"]

WORK_LIMIT = 60.0
"""The solver's work limit, in CP-SAT's deterministic time units (about a second of one core each).

Work, not seconds: the same input stops at the same point, on any machine and however busy it is."""


def configure(solver: Any, *, work_limit: float | None = None, time_limit: float | None = None) -> None:
    """Set up a CP-SAT `CpSolver` the one way every solve of rotation uses.

    One sequential worker: its search depends on nothing but the model, so
    the plan is the same on one core or many, and on the committees of
    docs/performance.md it is faster and needs less memory than several
    workers sharing the machine's cores. The LP relaxation at its fullest
    (`linearization_level` 2) proves the holiday-bound committees optimal
    quickly; light probing and one round of presolve keep the time before
    the search short on large committees.
    `time_limit` (seconds) also caps the work: the plan can then depend on how
    busy the machine was, but only when the seconds run out before the work.
    """
    parameters = solver.parameters
    work_limit = WORK_LIMIT if work_limit is None else work_limit
    parameters.num_workers = 1
    parameters.linearization_level = 2
    parameters.cp_model_probing_level = 1
    parameters.max_presolve_iterations = 1
    parameters.max_deterministic_time = work_limit if time_limit is None else min(work_limit, time_limit)
    if time_limit is not None:
        parameters.max_time_in_seconds = time_limit
