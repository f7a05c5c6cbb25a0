"""Read the commands, code and shown output of the documentation pages, and run them as a reader would.

The conventions are those of docs/README.md. A page becomes a list of steps, in page order:

- `Shell`: commands (from a ```sh block, a `$ ` line of a console block, or a hidden `<!-- doctest` comment)
  with the output the page shows for them, if any;
- `Write`: a block whose text the page asks to put into a file (`<!-- doctest: write NAME -->`);
- `Python`: a ```python block, run as a doctest when it starts with `>>>`.

`Session` runs the steps of one page in a folder of its own. The `rotation` program it runs is this checkout's
`rotation.cli.main`, started by a fork server that has the program imported already, so that a command costs
what the command does and not the imports (a fresh Python process per command would make the test take minutes).
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import doctest
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

NOT_RUN_MARK = "# not run by the docs test:"
"""A command that ends with this comment is not run; the reason follows the colon."""

RUNNABLE = ("sh", "bash", "shell", "console", "python", "pycon")
"""Block languages that hold commands or code; a block of any other language may show what they print."""

_FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w+-]*)[ \t]*$")
_MARKER = re.compile(r"^<!-- doctest: (?P<verb>write|append) (?P<name>\S+) -->$")


@dataclasses.dataclass
class Shell:
    line: int
    commands: list[str]  # each as written, continuation lines included
    expected: str | None  # the shown output; None when the page shows none
    expected_line: int
    hidden: bool = False


@dataclasses.dataclass
class Write:
    line: int
    name: str
    text: str
    append: bool


@dataclasses.dataclass
class Python:
    line: int
    code: str
    expected: str | None
    expected_line: int


Step = Shell | Write | Python


@dataclasses.dataclass
class _Block:
    line: int  # line of the opening fence (1-based)
    lang: str
    text: str
    follows_block: bool  # only blank lines between this block and the block before it
    marker: tuple[str, str] | None  # ("write" | "append", name) from the line before it
    hidden: bool = False  # a `<!-- doctest` comment, read as a ```sh block


def _blocks(text: str) -> list[_Block]:
    lines = text.split("\n")
    blocks: list[_Block] = []
    gap_only_blank = False
    marker: tuple[str, str] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if line.lstrip().startswith("<!-- doctest") and not _MARKER.match(line.strip()):
            if line.strip() != "<!-- doctest":
                raise ValueError(f"line {i + 1}: a hidden command block starts with a line '<!-- doctest' alone")
            indent = line[: len(line) - len(line.lstrip())]
            end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "-->")
            body = "\n".join(part.removeprefix(indent) for part in lines[i + 1 : end]) + "\n"
            blocks.append(_Block(i + 1, "sh", body, gap_only_blank and bool(blocks), None, hidden=True))
            gap_only_blank = True
            i = end + 1
            continue
        if fence:
            indent, lang = fence["indent"], fence["lang"]
            close = i + 1
            while lines[close].strip() != "```" or not lines[close].startswith(indent):
                close += 1
            body = "\n".join(part[len(indent) :] for part in lines[i + 1 : close]) + "\n"
            blocks.append(_Block(i + 1, lang, body, gap_only_blank and bool(blocks), marker))
            marker = None
            gap_only_blank = True
            i = close + 1
            continue
        found = _MARKER.match(line.strip())
        if found:
            marker = (found["verb"], found["name"])
        elif line.strip():
            gap_only_blank = False
            marker = None
        i += 1
    return blocks


def _split_commands(text: str) -> list[str]:
    """The commands of a ```sh block: one a line, a line ending in a backslash continuing on the next."""
    commands: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if not current and not line.strip():
            continue
        current.append(line)
        if not line.endswith("\\"):
            commands.append("\n".join(current))
            current = []
    if current:
        commands.append("\n".join(current))
    return commands


def _console(block: _Block) -> list[Shell]:
    """A console block: `$ ` lines are commands, the lines after each up to the next `$ ` line its output."""
    steps: list[Shell] = []
    lines = block.text.rstrip("\n").split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].startswith("$ "):
            raise ValueError(f"line {block.line + 1 + i}: a console block holds `$ ` commands and their output")
        start = i
        command = [lines[i][2:]]
        while command[-1].endswith("\\"):
            i += 1
            command.append(lines[i])
        i += 1
        output_start = i
        while i < len(lines) and not lines[i].startswith("$ "):
            i += 1
        output = "".join(f"{line}\n" for line in lines[output_start:i])
        steps.append(Shell(block.line + 1 + start, ["\n".join(command)], output, block.line + 1 + output_start))
    return steps


def is_console(block_lang: str, text: str) -> bool:
    return block_lang == "console" or (block_lang == "" and text.startswith("$ "))


def read_page(path: Path) -> list[Step]:
    """The steps of a page, in page order."""
    blocks = _blocks(path.read_text("utf-8"))
    steps: list[Step] = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        output = (
            following
            if following is not None
            and following.follows_block
            and following.lang not in RUNNABLE
            and following.marker is None
            and not is_console(following.lang, following.text)
            else None
        )
        if block.marker is not None:
            verb, name = block.marker
            steps.append(Write(block.line, name, block.text, append=verb == "append"))
        elif block.lang in ("sh", "bash", "shell"):
            expected = None if output is None else output.text
            line = output.line + 1 if output is not None else 0
            steps.append(Shell(block.line + 1, _split_commands(block.text), expected, line, hidden=block.hidden))
        elif is_console(block.lang, block.text):
            steps.extend(_console(block))
        elif block.lang in ("python", "pycon"):
            expected = None if output is None else output.text
            line = output.line + 1 if output is not None else 0
            steps.append(Python(block.line + 1, block.text, expected, line))
    return steps


def loose_blocks(path: Path) -> list[tuple[int, str]]:
    """The blocks of a page that no command or code prints and no marker writes: (line, text)."""
    blocks = _blocks(path.read_text("utf-8"))
    loose = []
    for index, block in enumerate(blocks):
        if block.lang in RUNNABLE or block.marker is not None or is_console(block.lang, block.text):
            continue
        before = blocks[index - 1] if index else None
        if block.follows_block and before is not None and before.lang in ("sh", "bash", "shell", "python"):
            continue
        loose.append((block.line, block.text))
    return loose


def not_run(command: str) -> str | None:
    """The reason a command is not run, or None."""
    _, mark, reason = command.partition(NOT_RUN_MARK)
    return reason.strip() if mark else None


def matches(expected: str, actual: str) -> bool:
    """The shown output matches the printed one exactly, a line `...` standing for any number of lines."""
    pattern = "".join(
        r"(?:.*\n)*?" if line.strip() == "..." else re.escape(line) + r"\n" for line in expected.splitlines()
    )
    return re.fullmatch(pattern, actual) is not None


def diff(expected: str, actual: str, shown_at: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), f"shown at {shown_at}", "printed by the program", lineterm=""
    )
    return "\n".join(lines)


# The fork server: a process with the program imported that forks one child per `rotation` command.

_CLIENT = """\
#!{python} -S
import json, os, socket, sys
sock = socket.socket(socket.AF_UNIX)
sock.connect(os.environ["DOCS_ROTATION_SERVER"])
request = json.dumps({{"argv": sys.argv[1:], "cwd": os.getcwd(), "env": dict(os.environ)}}).encode()
socket.send_fds(sock, [len(request).to_bytes(4, "big") + request], [0, 1, 2])
reply = b""
while chunk := sock.recv(16):
    reply += chunk
sys.exit(int(reply) if reply else 1)
"""


def serve(path: str) -> None:
    """Accept `rotation` commands on the socket at `path`; each runs in a forked child with the caller's files."""
    import signal

    from ortools.sat.python import cp_model

    import calendars.ics
    import calendars.mail
    import rotation.alternatives
    import rotation.cli
    import rotation.documents
    import rotation.explain
    import rotation.replan
    import rotation.solve

    rotation.cli.build_parser()
    rotation.example()  # loads the holiday calendars
    del calendars, rotation, cp_model
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    server.listen(16)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    print("ready", flush=True)
    while True:
        connection, _ = server.accept()
        if os.fork() == 0:
            server.close()
            _child(connection)
        connection.close()


def _text(fd: int) -> io.TextIOWrapper:
    """Standard input, output or error on `fd`, unbuffered like `PYTHONUNBUFFERED=1`."""
    raw = io.FileIO(fd, "rb" if fd == 0 else "wb", closefd=False)
    if fd == 0:
        return io.TextIOWrapper(io.BufferedReader(raw), encoding="utf-8")
    errors = "backslashreplace" if fd == 2 else "strict"
    return io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8", errors=errors, write_through=True)


def _child(connection: socket.socket) -> None:
    import signal

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # as in a process of its own
    code = 1
    try:
        data, fds, _, _ = socket.recv_fds(connection, 1 << 16, 3)
        size = int.from_bytes(data[:4], "big")
        while len(data) < size + 4:
            data += connection.recv(1 << 16)
        request = json.loads(data[4:])
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        time.tzset()
        sys.stdin, sys.stdout, sys.stderr = _text(0), _text(1), _text(2)
        sys.argv = ["rotation", *request["argv"]]
        from rotation.cli import main

        try:
            code = main(request["argv"])
        except SystemExit as stop:
            if stop.code is None or isinstance(stop.code, int):
                code = stop.code or 0
            else:
                print(stop.code, file=sys.stderr)
                code = 1
        except BaseException:
            traceback.print_exc()
            code = 1
        with contextlib.suppress(BrokenPipeError):
            sys.stdout.flush()
            sys.stderr.flush()
    finally:
        with contextlib.suppress(OSError):
            connection.sendall(str(code).encode())
        os._exit(code)


@contextlib.contextmanager
def rotation_server() -> Iterator[dict[str, str]]:
    """Start the fork server; yield the environment in which `rotation` on the PATH is this checkout's program."""
    with tempfile.TemporaryDirectory(prefix="docs-bin-") as folder:
        bin_dir = Path(folder)
        socket_path = str(bin_dir / "rotation.sock")
        client = bin_dir / "rotation"
        client.write_text(_CLIENT.format(python=sys.executable), "utf-8")
        client.chmod(0o755)
        env = {
            "PATH": f"{bin_dir}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
            "HOME": folder,
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TZ": "UTC",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            "PYTHONHASHSEED": "0",
            "COLUMNS": "100",
            "DOCS_ROTATION_SERVER": socket_path,
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                f"import sys; sys.path.insert(0, {str(ROOT / 'tests')!r}); import docpages; "
                f"docpages.serve({socket_path!r})",
            ],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            if server.stdout.readline().strip() != "ready":
                raise RuntimeError("the rotation fork server did not start")
            yield env
        finally:
            server.terminate()
            server.wait(10)
            server.stdout.close()


@dataclasses.dataclass
class Failure:
    where: str  # page and line
    what: str  # the command or code
    detail: str  # a diff or a message

    def __str__(self) -> str:
        what = self.what.rstrip("\n")
        what = f"    {what}" if "\n" not in what else "\n".join(f"    {line}" for line in what.splitlines())
        return f"{self.where}:\n{what}\n{self.detail}"


class Session:
    """One page, run in a folder of its own, top to bottom."""

    def __init__(self, page: str, folder: Path, env: dict[str, str], substitutions: dict[str, str] | None = None):
        self.page = page
        self.folder = folder
        self.env = dict(env)
        self.substitutions = substitutions or {}
        self.exports: list[str] = []
        self.status = 0
        self.names: dict[str, Any] = {"__name__": "__docs__"}
        self.failures: list[Failure] = []
        self.not_run: list[tuple[str, str]] = []
        self.timings: list[tuple[float, str]] = []  # seconds per command, to find the slow ones

    def run(self, steps: list[Step]) -> None:
        for step in steps:
            if isinstance(step, Write):
                target = self.folder / step.name
                if step.append:
                    with target.open("a", encoding="utf-8") as handle:
                        handle.write("\n" + step.text)
                else:
                    target.write_text(step.text, "utf-8")
            elif isinstance(step, Shell):
                self._shell(step)
            else:
                self._python(step)

    def _where(self, line: int) -> str:
        return f"{self.page}, line {line}"

    def _shell(self, step: Shell) -> None:
        printed = ""
        for offset, command in enumerate(step.commands):
            reason = not_run(command)
            if reason is not None:
                self.not_run.append((command.partition(NOT_RUN_MARK)[0].strip(), reason))
                continue
            output = self._command(command)
            printed += output
            if step.expected is None and self.status != 0:
                self.failures.append(
                    Failure(
                        self._where(step.line + offset),
                        command,
                        f"exit code {self.status}; the page shows no output, so it should work:\n{output}",
                    )
                )
        if step.expected is not None and not matches(step.expected, printed):
            where = self._where(step.line)
            self.failures.append(Failure(where, "\n".join(step.commands), diff(step.expected, printed, where)))

    def _command(self, command: str) -> str:
        for real, stand_in in self.substitutions.items():
            command = command.replace(real, stand_in)
        if command.lstrip().startswith("export "):
            self.exports.append(command)
        script = "\n".join([*self.exports, f"(exit {self.status})", command])
        started = time.monotonic()
        try:
            done = subprocess.run(
                ["bash", "-c", script],
                cwd=self.folder,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                timeout=120,
            )
        except subprocess.TimeoutExpired:
            self.status = 124
            return "(no answer after 120 s)\n"
        self.timings.append((time.monotonic() - started, command))
        self.status = done.returncode
        output = done.stdout.decode("utf-8", errors="backslashreplace").replace("\r\n", "\n")
        for real, stand_in in self.substitutions.items():
            output = output.replace(stand_in, real)
        return output

    def _python(self, step: Python) -> None:
        printed = io.StringIO()
        where = self._where(step.line)
        with contextlib.chdir(self.folder), contextlib.redirect_stdout(printed):
            if step.code.startswith(">>>"):
                test = doctest.DocTestParser().get_doctest(step.code, self.names, where, self.page, step.line - 1)
                report = io.StringIO()
                runner = doctest.DocTestRunner()
                runner.run(test, out=report.write, clear_globs=False)
                self.names.update(test.globs)  # a DocTest works on a copy of the names
                if runner.failures:
                    self.failures.append(Failure(where, step.code, report.getvalue()))
                return
            try:
                exec(compile(step.code, where, "exec"), self.names)
            except Exception:
                self.failures.append(Failure(where, step.code, traceback.format_exc(limit=-3)))
                return
        if step.expected is not None and not matches(step.expected, printed.getvalue()):
            shown_at = self._where(step.expected_line)
            self.failures.append(Failure(where, step.code, diff(step.expected, printed.getvalue(), shown_at)))


def pages() -> list[str]:
    """README.md and every page under docs/, as paths relative to the repository."""
    found = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return [str(path.relative_to(ROOT)) for path in found]
