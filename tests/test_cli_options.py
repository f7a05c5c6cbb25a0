"""The command line: a description in every --help, one name per option, the former names still accepted."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from rotation.cli import build_parser, main

GOLDEN = Path(__file__).parent / "golden" / "plan" / "example.json"
EXAMPLE = Path(__file__).parent.parent / "rotation" / "example" / "committee.toml"


def commands() -> dict[str, object]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return dict(action.choices)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_command_describes_itself(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main([name, "--help"])
    assert stop.value.code == 0
    help_text = capsys.readouterr().out
    description = help_text.split("\n\n")[1]
    assert len(description.split()) > 10, f"rotation {name} --help has no description"


@pytest.mark.parametrize("name", ["check", "replan", "fairness", "overview", "plan"])
def test_every_command_that_reads_a_planning_names_excel(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([name, "--help"])
    assert "Excel" in capsys.readouterr().out


def test_shared_options_have_one_meaning() -> None:
    """An option that several commands take has the same help, value type and destination in each."""
    seen: dict[str, tuple[object, object, str | None]] = {}
    shared = {"--committee", "--history", "--stamp", "--reminder", "--quiet", "--time-limit", "--lang", "--today"}
    for name, parser in commands().items():
        for action in parser._actions:  # type: ignore[attr-defined]
            for option in set(action.option_strings) & shared:
                # the committee's default, the language's subject and the day's meaning are said per command
                same_help = option not in ("--committee", "--lang", "--today")
                key = (action.type, action.choices, action.help if same_help else None)
                assert seen.setdefault(option, key) == key, f"{option} of rotation {name} differs"
    assert shared <= set(seen)


def test_issue_takes_ics_and_output_as_the_other_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(GOLDEN, tmp_path / "plan.json")
    new = ["issue", str(tmp_path / "plan.json"), "--committee", str(EXAMPLE)]
    assert main([*new, "--ics", str(tmp_path / "new"), "--output", str(tmp_path / "new.json")]) == 0
    new_out = capsys.readouterr().out
    old = ["issue", str(tmp_path / "plan.json"), "--committee", str(EXAMPLE)]
    assert main([*old, "--out", str(tmp_path / "old"), "--plan-out", str(tmp_path / "old.json")]) == 0
    assert capsys.readouterr().out == new_out.replace(str(tmp_path / "new"), str(tmp_path / "old"))
    assert (tmp_path / "new.json").read_bytes() == (tmp_path / "old.json").read_bytes()
    compared = filecmp.dircmp(tmp_path / "new", tmp_path / "old")
    assert compared.left_list == compared.right_list and not compared.diff_files


def test_issue_needs_its_folder(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["issue", str(GOLDEN), "--committee", str(EXAMPLE)])
    assert stop.value.code == 2
    assert "the following arguments are required: --ics" in capsys.readouterr().err


def test_the_committee_of_plan_and_fairness_also_with_committee(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fairness", str(EXAMPLE), "--plan", str(GOLDEN)]) == 0
    positional = capsys.readouterr().out
    assert main(["fairness", "--committee", str(EXAMPLE), "--plan", str(GOLDEN)]) == 0
    assert capsys.readouterr().out == positional
    assert main(["fairness", str(EXAMPLE), "--committee", str(EXAMPLE)]) == 2
    assert capsys.readouterr().err == (
        "Usage error: give the committee file once: as the first argument or with --committee.\n"
    )


@pytest.mark.parametrize("module", ["rotation", "rotation.cli"])
def test_python_m_runs_the_command(module: str) -> None:
    import subprocess
    import sys

    from rotation import __version__

    done = subprocess.run([sys.executable, "-m", module, "--version"], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout) == (0, f"rotation {__version__}\n")
