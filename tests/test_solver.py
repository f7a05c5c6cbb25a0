"""The one solver profile: the same settings for every solve, a work limit, a time limit, progress reports."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import shutil
import subprocess
import sys

import pytest
from conftest import make_committee
from ortools.sat.python import cp_model

import rotation
from rotation import profile, solve
from rotation.alternatives import alternatives
from rotation.cli import main, progress_for
from rotation.replan import Changes, replan

LONG = {"start": dt.date(2023, 1, 13), "end": dt.date(2030, 12, 31)}
"""The example over eight years: the solver finds a first plan at once and proves the best one a little later."""


@pytest.fixture
def calls(monkeypatch):
    """Every call of `rotation.profile.configure`, as the keyword arguments it got."""
    seen: list[dict[str, float | None]] = []
    real = profile.configure

    def spy(solver, *, work_limit=None, time_limit=None):
        seen.append({"work_limit": work_limit, "time_limit": time_limit})
        real(solver, work_limit=work_limit, time_limit=time_limit)

    monkeypatch.setattr(profile, "configure", spy)
    monkeypatch.setattr(solve, "configure", spy)
    return seen


def test_one_sequential_worker_and_a_work_limit():
    solver = cp_model.CpSolver()
    solve.configure(solver)
    assert solver.parameters.num_workers == 1
    assert solver.parameters.max_deterministic_time == solve.WORK_LIMIT
    assert solver.parameters.max_time_in_seconds > 1e9  # no wall-clock limit unless asked for


def test_a_time_limit_also_caps_the_work():
    solver = cp_model.CpSolver()
    solve.configure(solver, time_limit=5)
    assert solver.parameters.max_time_in_seconds == 5
    assert solver.parameters.max_deterministic_time == 5
    solve.configure(solver, work_limit=2, time_limit=5)
    assert solver.parameters.max_deterministic_time == 2


def test_plan_alternatives_replan_and_explain_use_the_one_profile(calls, example):
    issued = rotation.plan(example, time_limit=20)
    assert calls == [{"work_limit": None, "time_limit": 20}]
    alternatives(example, 2, time_limit=30)
    assert {"work_limit": None, "time_limit": 30} in calls
    assert {"work_limit": None, "time_limit": None} in calls  # scoring a plan
    calls.clear()
    replan(example, issued, Changes(moves=((dt.date(2023, 9, 7), dt.date(2023, 9, 14)),)))
    assert calls and all(call["time_limit"] is None for call in calls)
    calls.clear()
    from rotation.horizon import choose_horizon

    horizon = choose_horizon(example, meetings=12)
    assert rotation.explain(example, horizon)
    assert calls and all(call["work_limit"] is not None for call in calls)  # each feasibility solve


HUNDRED = make_committee(100)
SIX_YEARS = {"start": dt.date(2027, 1, 1), "end": dt.date(2032, 12, 31)}
"""A hundred units over six years: solved in two stages (the weights of all the preferences at once would not
fit in 64 bits); the first is proven at once, the second takes about 0.7 units of work."""
TIGHT = 0.6
"""A work limit that stops the second stage with a better plan than the first stage's and a bound."""
TIGHTER = 0.3
"""A work limit that stops the second stage before it improves on the first stage's plan, which is kept."""
HUNDRED_TOML = "\n".join(
    [
        'name = "A hundred units"',
        'language = "en"',
        "units = [" + ", ".join(f'{{ name = "{unit.name}" }}' for unit in HUNDRED.units) + "]",
        "roles = [" + ", ".join(f'{{ key = "{key}", nl = "{key}", en = "{key}" }}' for key in HUNDRED.role_keys) + "]",
        "[rotation]",
        'chains = [{ from = "minute_taker", to = "chair" }, { from = "knowledge", to = "case" }]',
        "[blackouts]",
        "public_holidays = false",
        "",
    ]
)


@pytest.fixture
def work(monkeypatch):
    """The deterministic work of every solve, in the order they ran."""
    spent: list[float] = []
    real = cp_model.CpSolver.solve

    def counting(self, *args, **kwargs):
        status = real(self, *args, **kwargs)
        spent.append(self.response_proto.deterministic_time)
        return status

    monkeypatch.setattr(cp_model.CpSolver, "solve", counting)
    return spent


def test_a_plan_stopped_by_the_work_limit_says_how_far_it_may_be_from_the_best(monkeypatch, work):
    monkeypatch.setattr(solve, "WORK_LIMIT", TIGHT)
    result = rotation.plan(HUNDRED, **SIX_YEARS)
    assert not result.optimal
    assert result.bound is not None and result.objective is not None
    assert 0 < result.bound < result.objective
    assert rotation.validate(HUNDRED, result) == []
    note = result.notes[0]  # then the units the plan leaves idle
    assert "ran out of time" in note and f"{result.bound:,}" in note
    # the highest preference the plan may lose on, with the least penalty any plan has there
    assert "; on 'Rotation order'" in note and "no plan has less than" in note
    # the limit bounds the whole plan, not each of its stages (a solve may run a little past what it was given)
    assert len(work) >= 2 and sum(work) <= TIGHT * 1.1
    again = rotation.plan(HUNDRED, **SIX_YEARS)
    assert again == result  # work, not seconds: the same plan each time

    monkeypatch.setattr(solve, "WORK_LIMIT", 60.0)
    best = rotation.plan(HUNDRED, **SIX_YEARS)
    assert best.optimal and best.bound == best.objective
    assert not any("ran out of time" in note for note in best.notes)
    assert result.bound <= best.objective <= result.objective


def test_the_command_prints_the_note_of_a_plan_not_proven(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(solve, "WORK_LIMIT", TIGHTER)
    committee = tmp_path / "committee.toml"
    committee.write_text(HUNDRED_TOML, encoding="utf-8")
    assert main(["plan", str(committee), "--from", "2027-01-01", "--to", "2032-12-31"]) == 0
    err = capsys.readouterr().err
    assert "rotation: the solver ran out of time before it could prove this plan the best" in err
    assert "allow more time with --time-limit" in err


@pytest.mark.parametrize("value", ["0", "-3", "soon", "nan"])
def test_time_limit_must_be_a_positive_number(value, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["plan", "--time-limit", value])
    assert exit_.value.code == 2
    assert f"'{value}' is not a number of seconds" in capsys.readouterr().err


def test_time_limit_reaches_the_solver(calls, capsys):
    assert main(["plan", "--time-limit", "12.5", "--format", "csv"]) == 0
    assert calls == [{"work_limit": None, "time_limit": 12.5}]


def test_progress_once_a_second_then_how_it_ended(monkeypatch, example):
    monkeypatch.setattr(solve, "PROGRESS_AFTER", 0.01)
    said: list[str] = []
    rotation.plan(example, progress=said.append, **LONG)
    assert said, "a solve of more than 0.01 s reports"
    assert said[-1].startswith("bewezen de beste: score ")
    assert all(line.endswith(" s)") for line in said[:-1])
    assert any("vergaderingen" in line for line in said[:-1])


def test_a_quick_solve_reports_nothing(example):
    said: list[str] = []
    rotation.plan(example, progress=said.append)
    assert said == []


def test_terminal_progress_rewrites_one_line():
    stream = io.StringIO()
    progress = solve.TerminalProgress(stream)
    progress("looking for a first plan of 60 meetings (1 s)")
    progress("proven the best: score 12, after 2 s")
    progress.finish()
    assert stream.getvalue() == (
        "\r\x1b[Krotation: looking for a first plan of 60 meetings (1 s)"
        "\r\x1b[Krotation: proven the best: score 12, after 2 s\n"
    )


def test_progress_only_on_a_terminal_and_not_with_quiet(monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert isinstance(progress_for(argparse.Namespace(quiet=False)), solve.TerminalProgress)
    assert progress_for(argparse.Namespace(quiet=True)) is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert progress_for(argparse.Namespace(quiet=False)) is None


EIGHT_YEARS_JSON = (
    "import os, sys\n"
    "print(len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else 0, file=sys.stderr)\n"
    "from rotation.cli import main\n"
    "main(['plan', '--from', '2023-01-13', '--to', '2030-12-31', '--format', 'json'])\n"
)
"""Eight years of the example (several equally good plans on the way) as JSON; first the cores it may use."""


def _plan_in_a_process(prefix: tuple[str, ...] = (), seed: str = "0") -> tuple[int, str]:
    """The cores a fresh process planning `EIGHT_YEARS_JSON` could use, and the bytes it wrote."""
    command = [*prefix, sys.executable, "-c", EIGHT_YEARS_JSON]
    env = {**os.environ, "PYTHONHASHSEED": seed}
    result = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    return int(result.stderr.splitlines()[0]), result.stdout


def test_same_bytes_across_hash_seeds():
    first, second = _plan_in_a_process(seed="0")[1], _plan_in_a_process(seed="12345")[1]
    assert first and first == second


CORES = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []


@pytest.mark.skipif(not shutil.which("taskset"), reason="taskset is not installed")
@pytest.mark.skipif(len(CORES) < 2, reason="one core only: nothing to compare with")
def test_same_bytes_on_one_core_and_on_two():
    """The solver's one worker searches the same way however many cores the process may use."""
    one = _plan_in_a_process(("taskset", "-c", str(CORES[0])), seed="1")
    two = _plan_in_a_process(("taskset", "-c", f"{CORES[0]},{CORES[1]}"), seed="1")
    assert (one[0], two[0]) == (1, 2)
    assert one[1] and one[1] == two[1]


def test_a_committee_is_checked_once_per_plan(monkeypatch, tmp_path):
    from rotation import committee_check

    checked: list[object] = []
    real = committee_check._check_fields

    def spy(committee, fail):
        checked.append(committee)
        real(committee, fail)

    monkeypatch.setattr(committee_check, "_check_fields", spy)
    from rotation.config import example_text

    path = tmp_path / "committee.toml"
    path.write_text(example_text(), encoding="utf-8")
    committee = rotation.load(path)
    rotation.plan(committee)
    assert len(checked) == 1
    rotation.plan(rotation.load(path))  # a committee loaded again is checked again
    assert len(checked) == 2
