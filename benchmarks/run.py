"""Benchmarks of rotation: the example end to end, larger committees, and a greedy baseline.

Run from the repository root::

    python benchmarks/run.py                  # full run, under a minute
    python benchmarks/run.py --quick          # one run of each, about fifteen seconds
    python benchmarks/run.py --determinism    # the same plans twice and on one core?

It prints a Markdown report (the machine, then one table per part); paste it
into docs/performance.md when the numbers change. Every measurement runs in a
fresh Python process, so that imports and peak memory are counted as a user
sees them.

1. `rotation plan` on the built-in example, against a bare
   ``python -c "import ortools.sat.python.cp_model, icalendar, holidays"``
   (the goal: at most 1.5 times as long).
2. Committees built in code (`instances.py`): wall time, processor time,
   peak memory (the child's maximum resident set size, which includes the
   solver's own memory), whether optimality was proven, and the objective.
3. A greedy round-robin plan on the same committees (`greedy.py`), checked
   with `rotation.validate` and scored with the model's own objective.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BARE_IMPORT = "import ortools.sat.python.cp_model, icalendar, holidays"
EXAMPLE_GOAL = 1.5
LARGE_GOAL_SECONDS = 5.0


# -- the child process: one measurement, printed as one line of JSON ------------------


def child(name: str) -> dict[str, Any]:
    started = time.perf_counter()
    from ortools.sat.python import cp_model  # noqa: F401  (counted with the imports)

    import rotation

    imported = time.perf_counter()
    if name == "imports":
        return {"import_s": imported - started, "peak_mib": _peak_mib()}

    sys.path.insert(0, str(HERE))
    from greedy import greedy_plan, score
    from instances import INSTANCES

    from rotation.horizon import choose_horizon

    instance = INSTANCES[name]
    committee = instance.committee()
    before = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    plan = rotation.plan(committee, **instance.period())
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF)
    peak = _peak_mib()  # before anything else runs in this process
    horizon = choose_horizon(committee, **instance.period())
    _, parts = score(committee, horizon, plan)

    t0 = time.perf_counter()
    greedy = greedy_plan(committee, horizon)
    greedy_wall = time.perf_counter() - t0
    broken = rotation.validate(committee, greedy)
    greedy_objective, greedy_parts = score(committee, horizon, greedy) if not broken else (None, {})
    return {
        "import_s": imported - started,
        "plan_s": wall,
        "cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "peak_mib": peak,
        "meetings": len(plan.meetings),
        "optimal": plan.optimal,
        "objective": plan.objective,
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


def _fingerprint(committee: Any, plan: Any) -> str:
    """A short hash of the plan's JSON export: equal fingerprints, byte-identical plans."""
    from rotation.render import to_json

    return hashlib.sha256(to_json(committee, plan).encode()).hexdigest()[:12]


def _peak_mib() -> float:
    # ru_maxrss is in kibibytes on Linux (bytes on macOS)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_child(name: str, *, prefix: tuple[str, ...] = ()) -> dict[str, Any]:
    result = subprocess.run(
        [*prefix, sys.executable, str(Path(__file__).resolve()), "--child", name],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"benchmark {name} failed:\n{result.stderr}")
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


# -- part 1: the example end to end ----------------------------------------------------


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def plan_command() -> list[str]:
    found = shutil.which("rotation")
    return [found, "plan"] if found else [sys.executable, "-m", "rotation.cli", "plan"]


def example_end_to_end(rounds: int) -> dict[str, list[float]]:
    """Alternate the two commands, so that a busy moment of the machine hits both alike."""
    plan, bare = plan_command(), [sys.executable, "-c", BARE_IMPORT]
    timed(plan), timed(bare)  # warm the file cache
    times: dict[str, list[float]] = {"plan": [], "bare": []}
    for _ in range(rounds):
        times["plan"].append(timed(plan))
        times["bare"].append(timed(bare))
    return times


# -- the report --------------------------------------------------------------------------


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

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return [
        f"- processor: {model}; {usable} cores usable ({os.cpu_count()} in the machine)",
        f"- {platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"OR-Tools {version('ortools')}",
        f"- load average when the run started (1, 5, 15 minutes): {load}",
    ]


def median(values: list[float]) -> float:
    return statistics.median(values)


def report(args: argparse.Namespace) -> str:
    out = ["# Benchmark results", "", *machine(), ""]
    names = args.only or ["example", "30x3", "100x10", "30x3-busy"]

    if "example" in names:
        times = example_end_to_end(args.rounds)
        ratio = median(times["plan"]) / median(times["bare"])
        verdict = "met" if ratio <= EXAMPLE_GOAL else "not met"
        out += [
            f"## 1. The example year end to end ({args.rounds} rounds, alternating)",
            "",
            "| command | median (s) | fastest (s) |",
            "|---|---:|---:|",
            f"| `rotation plan` | {median(times['plan']):.2f} | {min(times['plan']):.2f} |",
            f'| `python -c "{BARE_IMPORT}"` | {median(times["bare"]):.2f} | {min(times["bare"]):.2f} |',
            "",
            f"`rotation plan` takes {ratio:.2f} times as long as the bare imports (goal: at most "
            f"{EXAMPLE_GOAL}; {verdict}).",
            "",
        ]

    baseline = run_child("imports")
    rows = []
    for name in names:
        runs = [run_child(name) for _ in range(args.repeat)]
        rows.append((name, runs))
    out += [
        f"## 2. Solving (median of {args.repeat} run{'s' if args.repeat > 1 else ''}, each in a fresh process)",
        "",
        "| committee | meetings | plan (s) | processor (s) | peak memory (MiB) | proven optimal | objective |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for name, runs in rows:
        first = runs[0]
        out.append(
            f"| {name} | {first['meetings']} | {median([r['plan_s'] for r in runs]):.2f} | "
            f"{median([r['cpu_s'] for r in runs]):.2f} | {max(r['peak_mib'] for r in runs):.0f} | "
            f"{'yes' if all(r['optimal'] for r in runs) else 'no'} | {first['objective']:,} |"
        )
    out += [
        "",
        f"The imports alone take {baseline['import_s']:.2f} s and {baseline['peak_mib']:.0f} MiB in a fresh "
        "process; the plan time above comes on top of them.",
    ]
    large = [r for name, runs in rows if name == "100x10" for r in runs]
    if large:
        seconds = median([r["import_s"] + r["plan_s"] for r in large])
        proven = all(r["optimal"] for r in large)
        verdict = "met" if proven and seconds < LARGE_GOAL_SECONDS else "not met"
        out.append(
            f"100 units × 10 years, imports included: {seconds:.2f} s, "
            f"{'proven optimal' if proven else 'not proven optimal'} (goal: proven optimal in under "
            f"{LARGE_GOAL_SECONDS:.0f} s; {verdict})."
        )
    if any(r["violations"] for _, runs in rows for r in runs):
        out.append("**A solver plan broke a rule: see `rotation.validate`.**")

    preferences = ["Rotation order", "Balanced turns", "Preferred weeks", "Even spread"]
    out += [
        "",
        "## 3. Greedy round-robin against the solver (lower is better)",
        "",
        "| committee | plan | rules broken | objective | " + " | ".join(preferences) + " |",
        "|---|---|---|---:|" + "---:|" * len(preferences),
    ]
    for name, runs in rows:
        solved, greedy = runs[0], runs[0]["greedy"]
        out.append(
            f"| {name} | solver | none | {solved['objective']:,} | "
            + " | ".join(f"{solved['parts'].get(p, 0):,}" for p in preferences)
            + " |"
        )
        if greedy["violations"]:
            broken = f"{greedy['violations']} ({', '.join(greedy['broken_rules'])})"
            out.append(f"| {name} | greedy | {broken} | – | " + " | ".join("–" for _ in preferences) + " |")
        else:
            out.append(
                f"| {name} | greedy | none | {greedy['objective']:,} | "
                + " | ".join(f"{greedy['parts'].get(p, 0):,}" for p in preferences)
                + " |"
            )
    out += [
        "",
        "The objective weighs the preferences strictly in this order, so one step better on a "
        "preference to the left outweighs any gain to its right. A plan that breaks a rule has no score.",
        "",
    ]
    return "\n".join(out)


def determinism(names: list[str]) -> str:
    """Plan each committee twice, and once more on a single core when `taskset` is there."""
    one_core = ("taskset", "-c", "0") if shutil.which("taskset") else None
    out = [
        "# Determinism",
        "",
        *machine(),
        "",
        "Fingerprint: the start of the SHA-256 of the plan's JSON export.",
        "",
        "| committee | run 1 | run 2 | one core (`taskset -c 0`) | the same |",
        "|---|---|---|---|---|",
    ]
    for name in names:
        prints = [run_child(name)["fingerprint"], run_child(name)["fingerprint"]]
        if one_core:
            prints.append(run_child(name, prefix=one_core)["fingerprint"])
        single = prints[2] if one_core else "(no taskset)"
        same = "yes" if len(set(prints)) == 1 else "**no**"
        out.append(f"| {name} | `{prints[0]}` | `{prints[1]}` | `{single}` | {same} |")
    return "\n".join([*out, ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run of each, three rounds of the example")
    parser.add_argument("--repeat", type=int, help="runs per committee (default 3, or 1 with --quick)")
    parser.add_argument("--rounds", type=int, help="rounds of the example end to end (default 10, or 3 with --quick)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these: example, 30x3, 100x10, 30x3-busy")
    parser.add_argument(
        "--determinism", action="store_true", help="plan each committee twice and on one core, and compare the plans"
    )
    parser.add_argument("--child", metavar="NAME", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    if args.determinism:
        print(determinism(args.only or ["example", "30x3", "100x10", "30x3-busy"]))
        return 0
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.rounds = args.rounds or (3 if args.quick else 10)
    print(report(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
