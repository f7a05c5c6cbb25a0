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
they moved into place, one rename after another, so that a failure (a full
disk, a folder that cannot be written) leaves every earlier file as it was.

Temporary files are named ``.<name>.<process id>.<random>.tmp``. A run that is
killed cannot remove its own; the next run that writes into the same folder
removes those whose process no longer runs.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = [
    "UnreadableFile",
    "atomic_write",
    "clean_stale",
    "read_limited",
    "write_folder",
    "write_outputs",
    "write_together",
]

_DEFAULT_MODE = 0o644
_TEMPORARY = re.compile(r"^\..+\.(\d+)\.[a-z0-9_]{8}\.tmp$")
_OLD_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
"""Temporary files of earlier versions, without the process id: removed when an hour old."""
_OLD_AGE = 3600


class UnreadableFile(Exception):
    """A file that `read_limited` refuses; the message is a sentence for the person who gave it."""


def read_limited(path: str | os.PathLike[str], *, limit: int, what: str) -> bytes:
    """The bytes of the regular file at `path`, refused when it holds more than `limit` bytes.

    `what` names the kind of file in messages (``a committee file``). Raises
    `UnreadableFile` when the file does not exist, is a folder, is not a
    regular file (a named pipe would wait forever, ``/dev/zero`` never ends),
    is larger than `limit` or cannot be read.
    """
    target = Path(path)
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


def write_together(files: Sequence[tuple[str | os.PathLike[str], bytes | str]]) -> list[Path]:
    """Write every (path, data) pair, all or nothing as far as a failure goes, and return the paths.

    Each file is first written in full (and flushed to disk) to a temporary file
    beside its target; only when every one of them is written are they moved
    into place. When writing any of them fails, every temporary file is removed
    and no target has changed. The folders must exist. Stale temporary files
    of killed runs in these folders are removed first.
    """
    staged: list[tuple[str, Path]] = []
    for folder in dict.fromkeys(Path(path).parent for path, _ in files):
        clean_stale(folder)
    try:
        for path, data in files:
            target = Path(path)
            staged.append((_stage(target, data), target))
        for temporary, target in staged:
            os.replace(temporary, target)
    except BaseException:
        for temporary, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        raise
    return [target for _, target in staged]


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
        return write_together([(folder / name, data) for name, data in files])
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
