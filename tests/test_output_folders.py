"""A file where a folder is expected: one clear message, exit 2, nothing written."""

from __future__ import annotations

import pytest
from conftest import EXAMPLE_FILE

from rotation.cli import main


@pytest.fixture
def plan_json(tmp_path, capsys):
    path = tmp_path / "plan.json"
    assert main(["plan", "--format", "json", "--output", str(path)]) == 0
    capsys.readouterr()
    return path


@pytest.fixture
def ics_folder(tmp_path, capsys):
    folder = tmp_path / "outlook"
    assert main(["plan", EXAMPLE_FILE, "--ics", str(folder), "--quiet"]) == 0
    capsys.readouterr()
    return folder


@pytest.mark.parametrize(
    "command",
    [
        ["plan", "{c}", "--ics", "{file}"],
        [
            "replan",
            "{plan}",
            "--cancel",
            "2023-09-07",
            "--today",
            "2023-08-01",
            "--ics",
            "{file}",
            "--committee",
            "{c}",
        ],
        ["issue", "{plan}", "{plan}", "--out", "{file}", "--committee", "{c}"],
        ["send", "{ics}", "--dry-run", "{file}", "--committee", "{c}"],
    ],
)
def test_a_file_in_place_of_a_folder(command, tmp_path, plan_json, ics_folder, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("keep me", encoding="utf-8")
    args = [part.format(file=blocker, plan=plan_json, ics=ics_folder, c=EXAMPLE_FILE) for part in command]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(blocker) in err
    assert blocker.read_text(encoding="utf-8") == "keep me"


def test_without_a_secretary_only_the_overview_is_written(tmp_path, capsys):
    from rotation.config import example_text

    text = "\n".join(line for line in example_text().splitlines() if not line.startswith("secretary ="))
    committee = tmp_path / "committee.toml"
    committee.write_text(text, encoding="utf-8")
    folder = tmp_path / "ics"
    assert main(["plan", str(committee), "--ics", str(folder), "--quiet"]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["delivery.json", "overview.ics", "plan.json"]
    assert "no invites" in capsys.readouterr().err
    assert main(["send", str(folder), "--committee", str(committee)]) == 0
    assert "nothing left to send" in capsys.readouterr().out


def test_files_of_an_earlier_plan_in_the_ics_folder_are_pointed_out(tmp_path, capsys):
    folder = tmp_path / "ics"
    folder.mkdir()
    (folder / "invite-2019-01.ics").write_text("old", encoding="utf-8")
    assert main(["plan", EXAMPLE_FILE, "--ics", str(folder), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "invite-2019-01.ics" in err
    assert (folder / "invite-2019-01.ics").read_text(encoding="utf-8") == "old"  # pointed out, not deleted
