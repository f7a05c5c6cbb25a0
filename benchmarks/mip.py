"""A second solver for the benchmarks: the same model, linearised, solved by a MIP solver.

`linearise` turns the CP-SAT model that `rotation.model.build` makes into a
mixed-integer program for OR-Tools' own MIP wrapper (`pywraplp`), constraint
by constraint, so that both solvers answer exactly the same question:

- a literal is a 0/1 variable, its negation ``1 - x``;
- ``bool_or``, ``at_most_one`` and ``exactly_one`` are sums of literals;
- a linear constraint whose domain has holes (``week != 12``, a list of
  candidate weeks) gets one 0/1 variable per interval of the domain;
- an enforcement literal relaxes a constraint by a big M, the widest the
  expression can be, from its variables' bounds.

The model's objective weighs its preferences strictly (one step on a higher
preference outweighs any gain below it), so its values reach 10^13: beyond a
MIP solver's tolerances, which is one reason a MIP solver is no match here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

__all__ = ["MipResult", "linearise", "solve_mip"]

SOLVER = "SCIP"


@dataclass(frozen=True)
class MipResult:
    """What the MIP solver made of the model."""

    solver: str
    seconds: float
    status: str
    """``optimal``, ``feasible`` (stopped at the time limit with a plan), ``no plan`` or ``unsupported``."""
    objective: int | None
    variables: int
    constraints: int


def _bounds(domain: list[int]) -> tuple[int, int]:
    return domain[0], domain[-1]


def _intervals(domain: list[int]) -> list[tuple[int, int]]:
    return [(domain[i], domain[i + 1]) for i in range(0, len(domain), 2)]


class _Linearised:
    def __init__(self, proto: Any, solver: Any) -> None:
        self.proto = proto
        self.solver = solver
        self.infinity = solver.infinity()
        self.vars: list[Any] = []
        self.bounds: list[tuple[int, int]] = []
        for index, variable in enumerate(proto.variables):
            domain = list(variable.domain)
            lo, hi = _bounds(domain)
            self.bounds.append((lo, hi))
            if lo >= 0 and hi <= 1:
                self.vars.append(solver.BoolVar(f"x{index}"))
                self.vars[-1].SetBounds(lo, hi)
            else:
                self.vars.append(solver.IntVar(lo, hi, f"x{index}"))
            if len(domain) > 2:  # holes: the variable lies in one of the intervals
                self.in_domain([(1, index)], domain, [])

    def literal(self, ref: int) -> tuple[list[tuple[int, int]], int]:
        """A literal as (terms, constant): x, or 1 - x for a negated one."""
        return ([(1, ref)], 0) if ref >= 0 else ([(-1, -ref - 1)], 1)

    def expression(self, terms: list[tuple[int, int]]) -> Any:
        return self.solver.Sum([coefficient * self.vars[index] for coefficient, index in terms])

    def relaxation(self, enforcement: list[int]) -> Any:
        """0 when every enforcement literal holds, at least 1 otherwise."""
        out: Any = 0
        for ref in enforcement:
            terms, constant = self.literal(ref)
            # 1 - literal
            out = out + 1 - constant - self.expression(terms)
        return out

    def span(self, terms: list[tuple[int, int]]) -> tuple[int, int]:
        low = high = 0
        for coefficient, index in terms:
            lo, hi = self.bounds[index]
            low += min(coefficient * lo, coefficient * hi)
            high += max(coefficient * lo, coefficient * hi)
        return low, high

    def in_domain(self, terms: list[tuple[int, int]], domain: list[int], enforcement: list[int]) -> None:
        """sum(terms) lies in `domain` (a flat list of intervals) when all of `enforcement` hold."""
        low, high = self.span(terms)
        expr = self.expression(terms)
        relax = self.relaxation(enforcement)
        intervals = [(max(a, low), min(b, high)) for a, b in _intervals(domain)]
        intervals = [(a, b) for a, b in intervals if a <= b]
        if not intervals:  # never met: the enforcement literals cannot all hold
            if enforcement:
                self.solver.Add(relax >= 1)
            else:
                self.solver.Constraint(1, self.infinity)  # 0 >= 1: no plan
            return
        if len(intervals) == 1:
            a, b = intervals[0]
            if a > low:
                self.solver.Add(expr >= a - (a - low) * relax)
            if b < high:
                self.solver.Add(expr <= b + (high - b) * relax)
            return
        choice = [self.solver.BoolVar("") for _ in intervals]
        self.solver.Add(self.solver.Sum(choice) == 1)
        for (a, b), chosen in zip(intervals, choice, strict=True):
            if a > low:
                self.solver.Add(expr >= a - (a - low) * (1 - chosen + relax))
            if b < high:
                self.solver.Add(expr <= b + (high - b) * (1 - chosen + relax))

    def literal_sum(self, refs: list[int]) -> Any:
        out: Any = 0
        for ref in refs:
            terms, constant = self.literal(ref)
            out = out + constant + self.expression(terms)
        return out

    def add(self, constraint: Any) -> None:
        kinds = ("bool_or", "bool_and", "at_most_one", "exactly_one", "linear")
        kind = next((name for name in kinds if getattr(constraint, f"has_{name}")()), "another kind")
        enforcement = list(constraint.enforcement_literal)
        relax = self.relaxation(enforcement)
        big = len(enforcement) + 1
        if kind == "bool_or":
            self.solver.Add(self.literal_sum(list(constraint.bool_or.literals)) + relax >= 1)
        elif kind == "bool_and":
            for ref in constraint.bool_and.literals:
                self.solver.Add(self.literal_sum([ref]) + relax >= 1)
        elif kind == "at_most_one":
            self.solver.Add(self.literal_sum(list(constraint.at_most_one.literals)) <= 1 + big * relax)
        elif kind == "exactly_one":
            refs = list(constraint.exactly_one.literals)
            self.solver.Add(self.literal_sum(refs) <= 1 + big * relax)
            self.solver.Add(self.literal_sum(refs) + relax >= 1)
        elif kind == "linear":
            linear = constraint.linear
            terms = list(zip(linear.coeffs, linear.vars, strict=True))
            if any(index < 0 for _, index in terms):
                raise NotImplementedError("a negated variable in a linear constraint")
            self.in_domain(terms, list(linear.domain), enforcement)
        else:
            raise NotImplementedError(kind)

    def objective(self) -> None:
        objective = self.proto.objective
        terms = list(zip(objective.coeffs, objective.vars, strict=True))
        self.solver.Minimize(self.expression(terms) + objective.offset)


def linearise(model: Any, solver_name: str = SOLVER) -> tuple[Any, _Linearised]:
    """A `pywraplp.Solver` holding the linearised `model` (a `rotation.model.Model`)."""
    from ortools.linear_solver import pywraplp

    solver = pywraplp.Solver.CreateSolver(solver_name)
    if solver is None:
        raise RuntimeError(f"{solver_name} is not available in this OR-Tools")
    proto = model.model.proto
    built = _Linearised(proto, solver)
    for constraint in proto.constraints:
        built.add(constraint)
    built.objective()
    return solver, built


def solve_mip(model: Any, *, seconds: float, solver_name: str = SOLVER) -> MipResult:
    """Solve the linearised `model` within `seconds` (building included) and read back its objective."""
    from ortools.linear_solver import pywraplp

    started = time.perf_counter()
    try:
        solver, _ = linearise(model, solver_name)
    except NotImplementedError as err:
        return MipResult(solver_name, time.perf_counter() - started, f"unsupported ({err})", None, 0, 0)
    solver.SetTimeLimit(max(1, int((seconds - (time.perf_counter() - started)) * 1000)))
    solver.SetNumThreads(1)
    parameters = pywraplp.MPSolverParameters()
    parameters.SetDoubleParam(pywraplp.MPSolverParameters.RELATIVE_MIP_GAP, 0.0)
    status = solver.Solve(parameters)
    elapsed = time.perf_counter() - started
    names = {pywraplp.Solver.OPTIMAL: "optimal", pywraplp.Solver.FEASIBLE: "feasible"}
    found = status in names
    objective = round(solver.Objective().Value()) if found else None
    scale = model.model.proto.objective.scaling_factor or 1
    if objective is not None and scale != 1:
        objective = round(objective * scale)
    return MipResult(
        solver_name,
        elapsed,
        names.get(status, "no plan"),
        objective,
        solver.NumVariables(),
        solver.NumConstraints(),
    )
