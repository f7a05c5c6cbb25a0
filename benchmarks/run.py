"""Benchmarks of rotation: the example end to end, larger committees, how time grows, and two peers.

Run from the repository root::

    python benchmarks/run.py                  # everything, a few minutes
    python benchmarks/run.py --quick          # one run of each, no growth table, MIP capped at 20 s
    python benchmarks/run.py --only 100x10 --repeat 5
    python benchmarks/run.py --determinism    # the same plans across runs, hash seeds and one core?
    python benchmarks/run.py --svg docs/images/performance-growth.svg   # also draw the growth curve

It prints a Markdown report (the machine and its load, then one table per
part); paste it into docs/performance.md when the numbers change. Every
measurement runs in a fresh Python process, so that imports and peak memory
are counted as a user sees them.

1. `rotation plan` on the built-in example, against a bare
   ``python -c "import ortools.sat.python.cp_model, icalendar, holidays"``,
   alternating, so that a busy moment of the machine hits both alike.
2. Committees (`instances.py`): the whole process (start to plan), the
   model building and solving inside it, processor time, peak memory (the
   child's maximum resident set size, which includes the solver's own
   memory), whether optimality was proven, and the objective.
3. Growth: free committees of 12 to 200 units over 1 to 10 years.
4. Peers on the same machine in the same run: a greedy round-robin plan
   (`greedy.py`), checked with `rotation.validate` and scored with the model's
   own objective; and the same model, linearised, solved by the MIP solver
   SCIP through OR-Tools' own wrapper (`mip.py`), as a ratio of solving times.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BARE_IMPORT = "import ortools.sat.python.cp_model, icalendar, holidays"
EXAMPLE_GOAL = 1.2
COMMITTEES = ["example", "example-2030", "30x3", "30x3-busy", "12x10-school", "100x10", "200x10"]
GOALS = {
    # committee: (seconds for the whole process, proven optimal, MiB or None)
    "12x10-school": (2.0, True, None),
    "100x10": (1.5, True, 200),
    "200x10": (4.0, False, 300),
}
MIP_SECONDS = 120.0


# -- the child processes: one measurement each, printed as one line of JSON ----------------------


def _instance(name: str) -> Any:
    sys.path.insert(0, str(HERE))
    from instances import INSTANCES, growth_instance

    if name in INSTANCES:
        return INSTANCES[name]
    units, years = name.split("x")
    return growth_instance(int(units), int(years))


def child(name: str) -> dict[str, Any]:
    """Plan one committee; everything after the plan (checks, the greedy peer) is not timed."""
    started = time.perf_counter()
    from ortools.sat.python import cp_model  # noqa: F401  (counted with the imports)

    import rotation

    imported = time.perf_counter()
    if name == "imports":
        return {"import_s": imported - started, "peak_mib": _peak_mib()}
    instance = _instance(name)
    committee = instance.committee()
    before = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    plan = rotation.plan(committee, **instance.period())
    wall = time.perf_counter() - t0
    done = time.time()
    after = resource.getrusage(resource.RUSAGE_SELF)
    peak = _peak_mib()  # before anything else runs in this process

    from greedy import greedy_plan, score

    from rotation.horizon import choose_horizon
    from rotation.model import build, build_problem

    horizon = choose_horizon(committee, **instance.period())
    if horizon.meetings != len(plan.meetings):
        import dataclasses

        horizon = dataclasses.replace(horizon, meetings=len(plan.meetings), flexible=False)
    t0 = time.perf_counter()
    build(build_problem(committee, horizon))
    build_s = time.perf_counter() - t0
    _, parts = score(committee, horizon, plan)
    t0 = time.perf_counter()
    greedy = greedy_plan(committee, horizon)
    greedy_wall = time.perf_counter() - t0
    broken = rotation.validate(committee, greedy)
    greedy_objective, greedy_parts = score(committee, horizon, greedy) if not broken else (None, {})
    return {
        "done": done,
        "import_s": imported - started,
        "plan_s": wall,
        "build_s": build_s,
        "cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "peak_mib": peak,
        "meetings": len(plan.meetings),
        "optimal": plan.optimal,
        "objective": plan.objective,
        "bound": plan.bound,
        "parts": parts,
        "violations": len(rotation.validate(committee, plan)),
        "fingerprint": _fingerprint(committee, plan),
        "greedy": {
            "wall_s": greedy_wall,
            "violations": len(broken),
            "broken_rules": sorted({v.rule for v in broken}),
            "objective": greedy_objective,
            "parts": greedy_parts,
        },
    }


def child_mip(name: str, seconds: float) -> dict[str, Any]:
    """The same model, linearised and solved by SCIP, within `seconds`."""
    instance = _instance(name)
    from mip import solve_mip

    from rotation.horizon import choose_horizon
    from rotation.model import build, build_problem

    committee = instance.committee()
    horizon = choose_horizon(committee, **instance.period())
    model = build(build_problem(committee, horizon))
    result = solve_mip(model, seconds=seconds)
    return {
        "solver": result.solver,
        "seconds": result.seconds,
        "status": result.status,
        "objective": result.objective,
        "variables": result.variables,
        "constraints": result.constraints,
    }


def _fingerprint(committee: Any, plan: Any) -> str:
    """A short hash of the plan's JSON export: equal fingerprints, byte-identical plans."""
    from rotation.formats import to_json

    return hashlib.sha256(to_json(committee, plan).encode()).hexdigest()[:12]


def _peak_mib() -> float:
    # ru_maxrss is in kibibytes on Linux (bytes on macOS)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_child(
    name: str, *, prefix: tuple[str, ...] = (), mip: float | None = None, env: dict[str, str] | None = None
) -> dict[str, Any]:
    command = [*prefix, sys.executable, str(Path(__file__).resolve()), "--child", name]
    if mip is not None:
        command += ["--mip-seconds", str(mip)]
    started = time.time()
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        raise SystemExit(f"benchmark {name} failed:\n{result.stderr}")
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    if "done" in data:
        data["process_s"] = data["done"] - started
    return data


# -- part 1: the example end to end --------------------------------------------------------------


def timed(command: list[str]) -> tuple[float, float]:
    """Wall-clock and processor seconds of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def plan_command() -> list[str]:
    """The `rotation` script installed next to this Python (not a shim that starts another program first)."""
    script = Path(sys.executable).parent / "rotation"
    if script.is_file():
        return [str(script), "plan"]
    return [sys.executable, "-m", "rotation.cli", "plan"]


def example_end_to_end(rounds: int) -> dict[str, list[tuple[float, float]]]:
    """Alternate the two commands, so that a busy moment of the machine hits both alike."""
    plan, bare = plan_command(), [sys.executable, "-c", BARE_IMPORT]
    timed(plan), timed(bare)  # warm the file cache
    times: dict[str, list[tuple[float, float]]] = {"plan": [], "bare": []}
    for _ in range(rounds):
        times["plan"].append(timed(plan))
        times["bare"].append(timed(bare))
    return times


# -- the report ----------------------------------------------------------------------------------


def load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def machine() -> list[str]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 0
    from importlib.metadata import version

    return [
        f"- processor: {model}; {usable} cores usable ({os.cpu_count()} in the machine)",
        f"- {platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"OR-Tools {version('ortools')}",
        f"- load average when the run started (1, 5, 15 minutes): {load()}",
    ]


def median(values: list[float]) -> float:
    return statistics.median(values)


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def report(args: argparse.Namespace) -> str:
    started = time.perf_counter()
    out = ["# Benchmark results", "", *machine(), ""]
    names = args.only or COMMITTEES

    if "example" in names and not args.only:
        times = example_end_to_end(args.rounds)
        wall = {key: [w for w, _ in runs] for key, runs in times.items()}
        cpu = {key: [c for _, c in runs] for key, runs in times.items()}
        ratio = median(wall["plan"]) / median(wall["bare"])
        cpu_ratio = median(cpu["plan"]) / median(cpu["bare"])
        out += [
            f"## 1. The example year end to end ({args.rounds} rounds, alternating)",
            "",
            "| command | median (s) | fastest (s) | processor, median (s) |",
            "|---|---:|---:|---:|",
            f"| `rotation plan` | {median(wall['plan']):.2f} | {min(wall['plan']):.2f} | {median(cpu['plan']):.2f} |",
            f'| `python -c "{BARE_IMPORT}"` | {median(wall["bare"]):.2f} | {min(wall["bare"]):.2f} | '
            f"{median(cpu['bare']):.2f} |",
            "",
            f"`rotation plan` takes {ratio:.2f} times as long as the bare imports (median wall-clock time; "
            f"fastest {min(wall['plan']) / min(wall['bare']):.2f}; processor time {cpu_ratio:.2f}). "
            f"Goal: at most {EXAMPLE_GOAL}; {_met(ratio <= EXAMPLE_GOAL)} in wall-clock time, "
            f"{_met(cpu_ratio <= EXAMPLE_GOAL)} in processor time.",
            "",
        ]

    baseline = run_child("imports")
    rows = [(name, [run_child(name) for _ in range(args.repeat)]) for name in names]
    out += [
        f"## 2. Committees (median of {args.repeat} run{'s' if args.repeat > 1 else ''}, each in a fresh process)",
        "",
        "| committee | meetings | whole process (s) | build (s) | solve (s) | processor (s) | peak memory (MiB) "
        "| proven optimal | objective |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for name, runs in rows:
        first = runs[0]
        plan_s = median([r["plan_s"] for r in runs])
        build_s = median([r["build_s"] for r in runs])
        out.append(
            f"| {name} | {first['meetings']} | {median([r['process_s'] for r in runs]):.2f} | {build_s:.2f} | "
            f"{max(plan_s - build_s, 0):.2f} | {median([r['cpu_s'] for r in runs]):.2f} | "
            f"{max(r['peak_mib'] for r in runs):.0f} | {'yes' if all(r['optimal'] for r in runs) else 'no'} | "
            f"{first['objective']:,} |"
        )
    out += [
        "",
        f"A fresh process that only imports takes {baseline['import_s']:.2f} s for the imports and "
        f'{baseline["peak_mib"]:.0f} MiB; "whole process" runs from starting Python to the plan, imports '
        'included; "build" is making the model in Python, "solve" the rest of `rotation.plan`.',
        "",
    ]
    goals = [(name, runs) for name, runs in rows if name in GOALS]
    if goals:
        out += ["| goal | measured | |", "|---|---|---|"]
        for name, runs in goals:
            seconds, proven, mib = GOALS[name]
            took = median([r["process_s"] for r in runs])
            peak = max(r["peak_mib"] for r in runs)
            optimal = all(r["optimal"] for r in runs)
            wanted = f"{name}: at most {seconds:g} s" + (", proven optimal" if proven else "")
            wanted += f", at most {mib} MiB" if mib else ""
            ok = took <= seconds and (optimal or not proven) and (mib is None or peak <= mib)
            cpu = median([r["cpu_s"] for r in runs])
            measured = (
                f"{took:.2f} s (the plan's processor time {cpu:.2f} s), "
                f"{'proven optimal' if optimal else 'not proven'}, {peak:.0f} MiB"
            )
            out.append(f"| {wanted} | {measured} | {_met(ok)} |")
        out.append("")
    if any(r["violations"] for _, runs in rows for r in runs):
        out += ["**A solver plan broke a rule: see `rotation.validate`.**", ""]

    if not args.only and not args.quick:
        out += growth(args)

    out += peers(args, rows)
    out += [
        "",
        f"Load average when the run ended (1, 5, 15 minutes): {load()}; the run took "
        f"{time.perf_counter() - started:.0f} s.",
        "",
    ]
    return "\n".join(out)


def growth(args: argparse.Namespace) -> list[str]:
    sys.path.insert(0, str(HERE))
    from instances import GROWTH

    results = {}
    for units, years in GROWTH:
        runs = [run_child(f"{units}x{years}") for _ in range(args.growth_repeat)]
        results[units, years] = {
            "process_s": median([r["process_s"] for r in runs]),
            "cpu_s": median([r["cpu_s"] for r in runs]),
            "peak_mib": max(r["peak_mib"] for r in runs),
            "optimal": all(r["optimal"] for r in runs),
        }
    all_units = sorted({u for u, _ in GROWTH})
    all_years = sorted({y for _, y in GROWTH})
    out = [
        f"## 3. Growth: free committees (median of {args.growth_repeat} runs each)",
        "",
        "Processor seconds of `rotation.plan` (model and solver; the solver runs on one core), then the whole "
        "process in wall-clock seconds:",
        "",
        "| units \\ years | "
        + " | ".join(f"{y} (plan)" for y in all_years)
        + " | "
        + " | ".join(f"{y} (process)" for y in all_years)
        + " |",
        "|---:|" + "---:|" * (2 * len(all_years)),
    ]
    for units in all_units:
        cells = []
        for key in ("cpu_s", "process_s"):
            for years in all_years:
                r = results[units, years]
                mark = "" if r["optimal"] else " (not proven)"
                cells.append(f"{r[key]:.2f}{mark}")
        out.append(f"| {units} | " + " | ".join(cells) + " |")
    peaks = {key: r["peak_mib"] for key, r in results.items()}
    out += [
        "",
        f"Peak memory grows from {min(peaks.values()):.0f} MiB ({min(peaks, key=peaks.get)[0]} units, "
        f"{min(peaks, key=peaks.get)[1]} year) to {max(peaks.values()):.0f} MiB "
        f"({max(peaks, key=peaks.get)[0]} units, {max(peaks, key=peaks.get)[1]} years).",
        "",
    ]
    if args.svg:
        args.svg.write_text(growth_svg(results, all_units, all_years), encoding="utf-8")
        out += [f"The picture: `{args.svg}`.", ""]
    return out


def growth_svg(results: dict[tuple[int, int], dict[str, Any]], units: list[int], years: list[int]) -> str:
    """A line per committee size: the processor seconds of `rotation.plan` against the years planned."""
    width, height, left, right, top, bottom = 640, 400, 60, 150, 40, 50
    top_value = max(r["cpu_s"] for r in results.values())
    step = next(s for s in (0.5, 1, 2, 5, 10, 20, 50, 100) if top_value / s <= 8)
    ceiling = step * (int(top_value / step) + 1)
    span_x = width - left - right
    span_y = height - top - bottom

    def x(year: float) -> float:
        return left + span_x * (year - years[0]) / (years[-1] - years[0])

    def y(seconds: float) -> float:
        return top + span_y * (1 - seconds / ceiling)

    colours = ["#1b6ca8", "#e07b00", "#2a9d3a", "#c0392b", "#7d3c98", "#555555"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="22" font-size="14" font-weight="bold">Time to plan a free committee '
        "(rotation.plan, processor seconds)</text>",
    ]
    value = 0.0
    while value <= ceiling + 1e-9:
        parts.append(
            f'<line x1="{left}" y1="{y(value):.1f}" x2="{width - right}" y2="{y(value):.1f}" stroke="#dddddd"/>'
        )
        parts.append(f'<text x="{left - 8}" y="{y(value) + 4:.1f}" text-anchor="end">{value:g} s</text>')
        value += step
    for year in years:
        parts.append(f'<text x="{x(year):.1f}" y="{height - bottom + 18}" text-anchor="middle">{year}</text>')
    parts.append(
        f'<text x="{left + span_x / 2:.1f}" y="{height - 12}" text-anchor="middle">years planned '
        "(six meetings a year)</text>"
    )
    parts.append(f'<line x1="{left}" y1="{top + span_y}" x2="{width - right}" y2="{top + span_y}" stroke="#333333"/>')
    for index, count in enumerate(units):
        colour = colours[index % len(colours)]
        points = " ".join(f"{x(year):.1f},{y(results[count, year]['cpu_s']):.1f}" for year in years)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for year in years:
            r = results[count, year]
            fill = colour if r["optimal"] else "#ffffff"
            parts.append(f'<circle cx="{x(year):.1f}" cy="{y(r["cpu_s"]):.1f}" r="4" fill="{fill}" stroke="{colour}"/>')
        legend_y = top + 10 + 22 * index
        parts.append(
            f'<line x1="{width - right + 16}" y1="{legend_y}" x2="{width - right + 40}" y2="{legend_y}" '
            f'stroke="{colour}" stroke-width="2.5"/>'
        )
        parts.append(f'<text x="{width - right + 46}" y="{legend_y + 4}">{count} units</text>')
    parts.append(
        f'<text x="{width - right + 16}" y="{top + 22 * len(units) + 20}" font-size="11">filled: proven optimal</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def peers(args: argparse.Namespace, rows: list[tuple[str, list[dict[str, Any]]]]) -> list[str]:
    preferences = list(rows[0][1][0]["parts"]) if rows else []
    shown = preferences
    out = [
        "## 4. Peers: a greedy round-robin plan and a MIP solver, on the same committees",
        "",
        "Greedy round-robin against the solver (penalties, lower is better):",
        "",
        "| committee | plan | rules broken | objective | " + " | ".join(shown) + " |",
        "|---|---|---|---:|" + "---:|" * len(shown),
    ]
    for name, runs in rows:
        solved, greedy = runs[0], runs[0]["greedy"]
        out.append(
            f"| {name} | solver | none | {solved['objective']:,} | "
            + " | ".join(f"{solved['parts'].get(p, 0):,}" for p in shown)
            + " |"
        )
        if greedy["violations"]:
            broken = f"{greedy['violations']} ({', '.join(greedy['broken_rules'])})"
            out.append(f"| {name} | greedy | {broken} | – | " + " | ".join("–" for _ in shown) + " |")
        else:
            out.append(
                f"| {name} | greedy | none | {greedy['objective']:,} | "
                + " | ".join(f"{greedy['parts'].get(p, 0):,}" for p in shown)
                + " |"
            )
    seconds = args.mip_seconds
    out += [
        "",
        f"The same model solved by SCIP (OR-Tools' `pywraplp`, one thread, at most {seconds:g} s), against "
        "CP-SAT's solve time above:",
        "",
        "| committee | MIP variables | MIP constraints | SCIP (s) | CP-SAT solve (s) | SCIP / CP-SAT "
        "| SCIP's result | same objective |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for name, runs in rows:
        mip = run_child(name, mip=seconds)
        solve_s = max(median([r["plan_s"] - r["build_s"] for r in runs]), 0.01)
        same = "yes" if mip["objective"] == runs[0]["objective"] else "no"
        if mip["objective"] is None:
            same = "–"
        over = "≥ " if mip["status"] != "optimal" else ""
        out.append(
            f"| {name} | {mip['variables']:,} | {mip['constraints']:,} | {over}{mip['seconds']:.2f} | "
            f"{solve_s:.2f} | {over}{mip['seconds'] / solve_s:.1f}× | {mip['status']} | {same} |"
        )
    return out


def determinism(names: list[str]) -> str:
    """Plan each committee under different hash seeds, and on a single core when `taskset` is there."""
    import shutil

    one_core = ("taskset", "-c", "0") if shutil.which("taskset") else None
    out = [
        "# Determinism",
        "",
        *machine(),
        "",
        "Fingerprint: the start of the SHA-256 of the plan's JSON export.",
        "",
        "| committee | hash seed 0 | hash seed 1 | hash seed 2, one core (`taskset -c 0`) | the same |",
        "|---|---|---|---|---|",
    ]
    for name in names:
        prints = []
        for seed in ("0", "1", "2"):
            prefix = one_core if seed == "2" and one_core else ()
            env = {**os.environ, "PYTHONHASHSEED": seed}
            prints.append(run_child(name, prefix=prefix, env=env)["fingerprint"])
        same = "yes" if len(set(prints)) == 1 else "**no**"
        out.append(f"| {name} | `{prints[0]}` | `{prints[1]}` | `{prints[2]}` | {same} |")
    return "\n".join([*out, ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run of each, no growth table, MIP capped at 20 s")
    parser.add_argument("--repeat", type=int, help="runs per committee (default 5, or 1 with --quick)")
    parser.add_argument("--rounds", type=int, help="rounds of the example end to end (default 10, or 3 with --quick)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help=f"only these: {', '.join(COMMITTEES)}")
    parser.add_argument("--mip-seconds", type=float, help=f"time limit of the MIP solver (default {MIP_SECONDS:g})")
    parser.add_argument("--growth-repeat", type=int, default=3, help="runs per committee of the growth table")
    parser.add_argument("--svg", type=Path, metavar="FILE", help="draw the growth curve into this SVG file")
    parser.add_argument("--determinism", action="store_true", help="plan each committee under three hash seeds")
    parser.add_argument("--child", metavar="NAME", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        sys.path.insert(0, str(HERE))
        data = child_mip(args.child, args.mip_seconds) if args.mip_seconds else child(args.child)
        print(json.dumps(data))
        return 0
    if args.determinism:
        print(determinism(args.only or COMMITTEES))
        return 0
    args.repeat = args.repeat or (1 if args.quick else 5)
    args.rounds = args.rounds or (3 if args.quick else 10)
    args.mip_seconds = args.mip_seconds or (20.0 if args.quick else MIP_SECONDS)
    print(report(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
