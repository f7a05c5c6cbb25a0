"""Reading and writing files so that a reader never sees half of one.

Reading: `read_limited` reads a regular file up to a size limit; a folder, a
named pipe, a device (``/dev/zero``) or a file that is too large is refused
with a sentence saying so, before anything is read.

Writing: `atomic_write` writes the bytes to a temporary file in the target's own
folder and moves it into place with `os.replace`, which is atomic on the same
file system: the file at `path` is either the old one or the complete new one,
also when the process is killed half-way or the disk fills up. `write_together`
does the same for all the files of one command at once: every file is written
in full to its temporary file first, and only when all of them are written are
they moved into place, so that a failure (a full disk, a folder that cannot be
written) leaves every earlier file as it was.

A kill between two of those renames would leave some new files beside old
ones, so the renames are journalled. Before the first rename, a commit journal
``.rotation-commit.<process id>.<random>.journal`` is written (and flushed to
disk) into the first file's folder; it lists every temporary file with its
target, size and SHA-256. Every other folder of the command gets a link
``.rotation-commit.<process id>.<random>.link`` naming that journal, written
before it. After the last rename the journal is removed, then the links.
`recover` finishes what a killed run left: a journal whose process no longer
runs is rolled forward (the temporary files still there are moved into place,
so that every file is the new one), or, should a temporary file not be the one
the journal describes, rolled back (the temporary files are removed); a link
without its journal is removed, and so are the temporary files of runs that
were killed before their journal was written (every file is the old one). The
next run that writes into the folder recovers it first, and so does every
command that reads a file there (`read_limited`, `rotation send`): after a
kill, a folder holds either all the earlier files or all the new ones, and no
temporary files.

Temporary files are named ``.<name>.<process id>.<random>.tmp``. A run that is
killed cannot remove its own; the next run that writes into the same folder
removes those whose process no longer runs.

For tests, ``ROTATION_TEST_STOP_IN_COMMIT=1`` makes a process stop itself
(SIGSTOP) before each step of a commit, so that a test can kill it there.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import secrets
import signal
import stat
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from rotation.errors import UnreadableFile

__all__ = [
    "UnreadableFile",
    "atomic_write",
    "clean_stale",
    "read_limited",
    "recover",
    "write_folder",
    "write_outputs",
    "write_together",
]

_DEFAULT_MODE = 0o644
_TEMPORARY = re.compile(r"^\..+\.(\d+)\.[a-z0-9_]{8}\.tmp$")
_OLD_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
"""Temporary files of earlier versions, without the process id: removed when an hour old."""
_OLD_AGE = 3600
_JOURNAL = re.compile(r"^\.rotation-commit\.(\d+)\.[a-z0-9_]{8}\.(journal|link)$")
_JOURNAL_KIND = "rotation commit"
_JOURNAL_LIMIT = 50_000_000
STOP_IN_COMMIT = "ROTATION_TEST_STOP_IN_COMMIT"
"""Environment variable for tests: stop the process (SIGSTOP) before each step of a commit."""


def read_limited(path: str | os.PathLike[str], *, limit: int, what: str) -> bytes:
    """The bytes of the regular file at `path`, refused when it holds more than `limit` bytes.

    `what` names the kind of file in messages (``a committee file``). Raises
    `UnreadableFile` when the file does not exist, is a folder, is not a
    regular file (a named pipe would wait forever, ``/dev/zero`` never ends),
    is larger than `limit` or cannot be read.
    """
    target = Path(path)
    recover(target.parent)  # a commit that a killed run left half-done is finished before anything is read
    try:
        info = target.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise UnreadableFile("the file does not exist.") from None
    except OSError as err:
        raise UnreadableFile(f"the file cannot be read ({err.strerror or err}).") from None
    _check_kind(info, limit, what)
    try:
        # O_NONBLOCK: should the file have been swapped for a named pipe since, opening it does not wait
        descriptor = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        raise UnreadableFile(f"the file cannot be read ({err.strerror or err}).") from None
    with os.fdopen(descriptor, "rb") as handle:
        try:
            _check_kind(os.fstat(descriptor), limit, what)
            data = handle.read(limit + 1)
        except OSError as err:
            if err.errno == errno.EISDIR:
                raise UnreadableFile(f"this is a folder, not {what}.") from None
            raise UnreadableFile(f"the file cannot be read ({err.strerror or err}).") from None
    if len(data) > limit:
        raise UnreadableFile(f"the file holds more than {limit:,} bytes; {what} is at most {limit:,} bytes.")
    return data


def _check_kind(info: os.stat_result, limit: int, what: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile(f"this is a folder, not {what}.")
    if not stat.S_ISREG(info.st_mode):
        kind = "a named pipe" if stat.S_ISFIFO(info.st_mode) else "a device" if _is_device(info) else "a special file"
        raise UnreadableFile(f"this is {kind}, not a regular file; give {what} saved on disk.")
    if info.st_size > limit:
        raise UnreadableFile(f"the file is {info.st_size:,} bytes; {what} is at most {limit:,} bytes.")


def _is_device(info: os.stat_result) -> bool:
    return stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write `data` to `path` atomically and return the path.

    Text (`str`) is written as UTF-8 exactly as given (no newline translation).

    The temporary file (``.<name>.<pid>.<random>.tmp``) is made in the same folder, so
    that `os.replace` does not cross file systems; it is removed when anything
    fails. A file that is replaced keeps its permission bits; a new file gets
    ``rw-r--r--``. The folder must exist.

    >>> atomic_write("planning.html", b"<!doctype html>...")  # doctest: +SKIP
    PosixPath('planning.html')
    """
    return write_together([(Path(path), data)])[0]


def write_together(files: Iterable[tuple[str | os.PathLike[str], bytes | str]]) -> list[Path]:
    """Write every (path, data) pair, all or nothing, and return the paths.

    Each file is first written in full (and flushed to disk) to a temporary file
    beside its target; only when every one of them is written are they moved
    into place, under a commit journal (see the module's description), so that
    a failure or a kill leaves either every earlier file or every new one. When
    writing any of them fails, every temporary file is removed and no target
    has changed. The folders must exist. Interrupted commits and stale
    temporary files of killed runs in these folders are recovered first.

    `files` may be a generator: each file's bytes are let go once they are
    written to their temporary file, so that many large files are not all held.
    """
    staged: list[tuple[str, Path, int, str]] = []
    folders: list[Path] = []
    journal: list[str] = []
    try:
        for path, data in files:
            target = Path(path)
            if target.parent not in folders:
                folders.append(target.parent)
                recover(target.parent)
            payload = data.encode("utf-8") if isinstance(data, str) else data
            temporary = _stage(target, payload)
            staged.append((temporary, target, len(payload), hashlib.sha256(payload).hexdigest()))
            del payload, data
            _step()
        if len(staged) > 1:  # one file: its rename alone is atomic
            journal = _write_journal(folders, staged)
            _step()
        for temporary, target, _, _ in staged:
            os.replace(temporary, target)
            _step()
        if journal:
            for folder in folders:
                _sync_folder(folder)
            for name in journal:  # the journal first, then the links that point to it
                os.unlink(name)
                _step()
    except BaseException:
        for temporary, _, _, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        for name in journal:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)
        raise
    return [target for _, target, _, _ in staged]


def _step() -> None:
    """For tests: stop here (SIGSTOP), so that the test can kill the process at this step of a commit."""
    if os.environ.get(STOP_IN_COMMIT) == "1":
        os.kill(os.getpid(), signal.SIGSTOP)


def _write_journal(folders: Sequence[Path], staged: Sequence[tuple[str, Path, int, str]]) -> list[str]:
    """Write the links (one per folder but the first) and then the journal; return the journal's path, then the links'.

    The journal is written to a temporary file and renamed, so that it exists
    in full or not at all: its rename is the moment the new files are committed.
    """
    stem = f".rotation-commit.{os.getpid()}.{secrets.token_hex(4)}"
    home = folders[0]
    journal = home / f"{stem}.journal"
    links = [folder / f"{stem}.link" for folder in folders[1:]]
    for link in links:
        _put(link, {"kind": _JOURNAL_KIND, "journal": os.path.relpath(journal, link.parent)})
    entries = [
        {
            "temporary": os.path.relpath(temporary, home),
            "target": os.path.relpath(target, home),
            "size": size,
            "sha256": digest,
        }
        for temporary, target, size, digest in staged
    ]
    _put(journal, {"kind": _JOURNAL_KIND, "files": entries, "links": [os.path.relpath(link, home) for link in links]})
    return [str(journal), *map(str, links)]


def _put(path: Path, data: dict[str, object]) -> None:
    """Write a small JSON file in full or not at all, and flush it and its folder to disk."""
    temporary = _stage(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    os.replace(temporary, path)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the renames in it) to disk, where the system allows it."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def recover(folder: str | os.PathLike[str]) -> None:
    """Finish what killed runs left in `folder`: interrupted commits, then stale temporary files.

    A commit journal whose process no longer runs is rolled forward (every
    target becomes the new file), or rolled back (every temporary file is
    removed) when a temporary file is not the one the journal describes; a
    link in `folder` leads to its journal in another folder. Nothing is raised:
    a folder that cannot be read or written is left as it is.
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        match = _JOURNAL.match(entry.name)
        if match is None or _running(int(match.group(1))):
            continue
        with contextlib.suppress(OSError, ValueError):
            if match.group(2) == "journal":
                _finish(Path(entry.path))
            else:
                _follow(Path(entry.path))
    clean_stale(folder)


def _load(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(_read_small(path))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("kind") == _JOURNAL_KIND else None


def _read_small(path: Path) -> bytes:
    """The bytes of a journal or link (no recovery, no checks: the name says it is this module's own)."""
    with open(path, "rb") as handle:
        return handle.read(_JOURNAL_LIMIT)


def _follow(link: Path) -> None:
    """A link of another folder's journal: finish that journal, then the link is gone."""
    data = _load(link)
    journal = link.parent / str(data.get("journal", "")) if data is not None else None
    if journal is not None and journal.name.endswith(".journal") and journal.is_file():
        _finish(journal)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(link)


def _finish(journal: Path) -> None:
    """Roll an interrupted commit forward, or back when its temporary files are not what it lists."""
    home = journal.parent
    data = _load(journal)
    files = data.get("files") if data is not None else None
    links = data.get("links") if data is not None else None
    pairs: list[tuple[Path, Path, int, str]] = []
    if isinstance(files, list):
        for item in files:
            if not isinstance(item, dict):
                pairs = []
                break
            temporary, target = home / str(item.get("temporary")), home / str(item.get("target"))
            if _TEMPORARY.match(temporary.name) is None:
                pairs = []  # not a journal of this module: touch nothing it names
                break
            pairs.append((temporary, target, int(item.get("size", -1)), str(item.get("sha256", ""))))
    whole = bool(pairs) and all(
        not temporary.exists() or _matches(temporary, size, digest) for temporary, _, size, digest in pairs
    )
    for temporary, target, _, _ in pairs:
        with contextlib.suppress(FileNotFoundError):
            if whole:
                os.replace(temporary, target)
            else:
                os.unlink(temporary)
    for folder in dict.fromkeys(target.parent for _, target, _, _ in pairs):
        _sync_folder(folder)
    os.unlink(journal)
    for link in links if isinstance(links, list) else ():
        path = home / str(link)
        if _JOURNAL.match(path.name) is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


def _matches(path: Path, size: int, digest: str) -> bool:
    try:
        if path.stat().st_size != size:
            return False
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest() == digest
    except OSError:
        return False


def _stage(target: Path, data: bytes | str) -> str:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = _DEFAULT_MODE
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return temporary


def clean_stale(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files that killed runs left in `folder`; return what was removed.

    Only files named as this module names them (``.<name>.<pid>.<random>.tmp``)
    whose process no longer runs are removed; another run's files are left alone.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is not None:
            if _running(int(match.group(1))):
                continue
        elif _OLD_TEMPORARY.match(entry.name) is None:
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and (
                match is not None or now - entry.stat(follow_symlinks=False).st_mtime > _OLD_AGE
            ):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process, or a number that cannot be asked about: leave its files
    return True


def write_folder(directory: str | os.PathLike[str], files: Iterable[tuple[str, bytes]]) -> list[Path]:
    """Write (name, bytes) pairs into `directory` with `write_together`; the folder is made when needed.

    A folder that cannot be made or written (a file in its place, no permission)
    raises `PlanFileError` naming it, instead of an `OSError`.
    """
    from rotation.errors import PlanFileError

    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return write_together((folder / name, data) for name, data in files)
    except FileExistsError:
        raise PlanFileError("this is a file, not a folder.", file=str(folder)) from None
    except OSError as err:
        raise PlanFileError(f"the folder cannot be written ({err.strerror or err}).", file=str(folder)) from None


def write_outputs(files: Sequence[tuple[str | os.PathLike[str], bytes | str]]) -> list[Path]:
    """Write the output files of one command with `write_together`, making their folders when needed.

    Everything is made in memory before this is called; here every file is
    written to a temporary file first and the files are put in place only when
    all of them are written, so that a full disk or a folder that cannot be
    written leaves the earlier files as they were. Raises `PlanFileError`
    naming the file or folder that cannot be written.
    """
    from rotation.errors import PlanFileError

    targets = [(Path(path), data) for path, data in files]
    for folder in dict.fromkeys(path.parent for path, _ in targets):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise PlanFileError("this is a file, not a folder.", file=str(folder)) from None
        except OSError as err:
            raise PlanFileError(f"the folder cannot be made ({err.strerror or err}).", file=str(folder)) from None
        if not folder.is_dir():
            raise PlanFileError("this is a file, not a folder.", file=str(folder))
    for path, _ in targets:
        if path.is_dir():
            raise PlanFileError("this is a folder; give a file name.", file=str(path))
    try:
        return write_together(targets)
    except OSError as err:
        where = err.filename if isinstance(err.filename, str) else None
        shown = next((str(path) for path, _ in targets if where and str(path.parent) in where), None)
        raise PlanFileError(
            f"the files cannot be written ({err.strerror or err}); the earlier files are left as they were.",
            file=shown or str(targets[0][0].parent),
        ) from None
