"""One command's files are all or nothing, also when the process is killed while they are put in place.

`rotation issue` writes ten files into two folders (the invites, the overview,
the plan and the delivery record into one, the plan as issued into another).
A process running it stops itself before every step of the commit
(``ROTATION_TEST_STOP_IN_COMMIT``) and is killed with SIGKILL at each step in
turn; then `rotation check` reads the plan in the other folder and then the
one in the first (or `rotation send` reads the first), and both folders hold
either every earlier file or every new one, and no temporary file, journal or
link.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import rotation
from rotation.cli import main
from rotation.files import STOP_IN_COMMIT, recover, write_together
from rotation.formats import to_json

ROOT = Path(rotation.__file__).resolve().parent.parent
OLD, NEW = "2023-01-02T09:00:00Z", "2023-01-03T09:00:00Z"
State = dict[str, bytes]


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


class Scene:
    """Two folders that `rotation issue` writes into, their earlier files and the files a run with NEW makes."""

    def __init__(self, root: Path, example: rotation.Committee, plan: rotation.Plan) -> None:
        self.root = root
        self.committee = root / "committee.toml"
        shutil.copy(ROOT / "rotation" / "example" / "committee.toml", self.committee)
        self.plan = root / "plan.json"
        self.plan.write_text(to_json(example, plan), encoding="utf-8")
        self.out, self.other = root / "out", root / "other"
        self.other.mkdir()
        assert run(self.issue(OLD))[0] == 0
        self.old = self.state()
        assert run(self.issue(NEW))[0] == 0
        self.new = self.state()
        changed = [name for name in self.new if self.old.get(name) != self.new[name]]
        assert len(changed) >= 8, changed  # every invite, the overview and the record differ

    def issue(self, stamp: str) -> list[str]:
        return [
            "issue",
            str(self.plan),
            "--committee",
            str(self.committee),
            "--out",
            str(self.out),
            "--plan-out",
            str(self.other / "plan.json"),
            "--stamp",
            stamp,
        ]

    def state(self) -> State:
        """Every file of both folders, hidden ones (temporary files, journals, links) included."""
        return {
            f"{folder.name}/{path.name}": path.read_bytes()
            for folder in (self.out, self.other)
            for path in sorted(folder.iterdir())
        }

    def restore(self, state: State) -> None:
        for folder in (self.out, self.other):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
        for name, data in state.items():
            (self.root / name).write_bytes(data)

    def targets(self) -> State:
        return {name: data for name, data in self.state().items() if not name.split("/")[1].startswith(".")}


@pytest.fixture
def scene(tmp_path: Path, example: rotation.Committee, example_plan: rotation.Plan) -> Scene:
    return Scene(tmp_path, example, example_plan)


def send_one(scene: Scene) -> None:
    """`rotation send --dry-run` of one invite of the first folder."""
    invite = scene.out / "invite-2023-02.ics"
    code, _, err = run(["send", str(invite), "--committee", str(scene.committee), "--dry-run", str(scene.root / "eml")])
    assert code == 0, err


def stop_and_kill(pid: int, at: int) -> int | None:
    """Let the stopped child go on until its stop number `at`, kill it there; its exit code when it ended first."""
    stops = 0
    while True:
        _, status = os.waitpid(pid, os.WUNTRACED)
        if os.WIFSTOPPED(status):
            if stops == at:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None
            stops += 1
            os.kill(pid, signal.SIGCONT)
        else:
            return os.waitstatus_to_exitcode(status)


def forked(argv: list[str]) -> int:
    """A child process (a fork of this one) running `rotation ARGV`, stopping itself at each step of a commit."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 99
        try:
            os.environ[STOP_IN_COMMIT] = "1"
            with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
                code = main(argv)
        finally:
            os._exit(code)
    return pid


def assert_all_or_nothing(scene: Scene, after: Callable[[], None]) -> str:
    """Run `after` (a command reading the folders); then every file is old or every file is new: which one."""
    after()
    targets = scene.targets()
    assert targets in (scene.old, scene.new), sorted(
        name for name in targets if targets[name] not in (scene.old.get(name), scene.new.get(name))
    )
    return "old" if targets == scene.old else "new"


def test_a_kill_at_any_step_of_the_commit_leaves_all_old_or_all_new_files(scene: Scene) -> None:
    seen = []
    at = 0
    while True:
        scene.restore(scene.old)
        code = stop_and_kill(forked(scene.issue(NEW)), at)
        # reading the plan as issued (the second folder) finishes or undoes the commit in both folders
        check = assert_all_or_nothing(
            scene, lambda: run(["check", str(scene.other / "plan.json"), "--committee", str(scene.committee)])
        )
        # reading the plan in the first folder: no temporary file is left there either
        sent = assert_all_or_nothing(
            scene, lambda: run(["check", str(scene.out / "plan.json"), "--committee", str(scene.committee)])
        )
        assert check == sent
        assert scene.state() == (scene.old if sent == "old" else scene.new), f"left files at step {at}"
        seen.append(sent)
        if code is not None:
            assert code == 0
            break
        at += 1
    # ten files staged, the journal, ten renames, the journal and the link removed: then the run ends
    assert at == 23
    assert seen == ["old"] * 10 + ["new"] * 14


@pytest.mark.parametrize(("at", "expected", "then"), [(5, "old", "write"), (15, "new", "write"), (12, "new", "send")])
def test_the_next_run_finishes_an_interrupted_commit(scene: Scene, at: int, expected: str, then: str) -> None:
    scene.restore(scene.old)
    assert stop_and_kill(forked(scene.issue(NEW)), at) is None
    hidden = [name for name in scene.state() if name.split("/")[1].startswith(".")]
    assert hidden  # temporary files, and after step 10 the journal and its link
    assert (scene.targets() == scene.new) is False and (scene.targets() == scene.old) is (at < 10)
    if then == "write":
        # an unrelated file written into the folder: the interrupted commit is finished or undone first
        write_together([(scene.out / "notes.txt", b"notes")])
        (scene.out / "notes.txt").unlink()
        recover(scene.other)
    else:  # send reads the first folder: the commit is finished in both
        send_one(scene)
    assert scene.state() == (scene.old if expected == "old" else scene.new)


def test_a_killed_process_that_is_not_a_fork(scene: Scene) -> None:
    """The same with `rotation issue` as its own program, killed half-way through the renames."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), STOP_IN_COMMIT: "1"}
    command = [sys.executable, "-c", "import sys; from rotation.cli import main; sys.exit(main())"]
    scene.restore(scene.old)
    child = subprocess.Popen(
        [*command, *scene.issue(NEW)], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    assert stop_and_kill(child.pid, 16) is None
    child.returncode = -signal.SIGKILL  # reaped above
    mixed = scene.targets()
    assert mixed != scene.old and mixed != scene.new  # some new files beside old ones, until the next run
    environment.pop(STOP_IN_COMMIT)
    done = subprocess.run(
        [*command, "check", str(scene.other / "plan.json"), "--committee", str(scene.committee)],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert scene.targets() == scene.new
    send_one(scene)
    assert scene.state() == scene.new


def test_a_journal_whose_files_are_not_complete_is_rolled_back(tmp_path: Path) -> None:
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    first.write_bytes(b"old a")
    second.write_bytes(b"old b")
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.environ[STOP_IN_COMMIT] = "1"
        try:
            write_together([(first, b"new a"), (second, b"new b")])
        finally:
            os._exit(0)
    assert stop_and_kill(pid, 2) is None  # after the journal, before the first rename
    journal = next(tmp_path.glob(".rotation-commit.*.journal"))
    temporary = next(tmp_path.glob(".b.ics.*.tmp"))
    temporary.write_bytes(b"new")  # not what the journal says was written
    recover(tmp_path)
    assert not journal.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ics", "b.ics"]
    assert (first.read_bytes(), second.read_bytes()) == (b"old a", b"old b")
