"""Writing files so that a reader never sees half of one.

`atomic_write` writes the bytes to a temporary file in the target's own folder
and moves it into place with `os.replace`, which is atomic on the same file
system: the file at `path` is either the old one or the complete new one, also
when the process is killed half-way or the disk fills up.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["atomic_write", "write_folder"]

_DEFAULT_MODE = 0o644


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write `data` to `path` atomically and return the path.

    Text (`str`) is written as UTF-8 exactly as given (no newline translation).

    The temporary file (``.<name>.<random>.tmp``) is made in the same folder, so
    that `os.replace` does not cross file systems; it is removed when anything
    fails. A file that is replaced keeps its permission bits; a new file gets
    ``rw-r--r--``. The folder must exist.

    >>> atomic_write("planning.html", b"<!doctype html>...")  # doctest: +SKIP
    PosixPath('planning.html')
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = Path(path)
    folder = target.parent
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = _DEFAULT_MODE
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return target


def write_folder(directory: str | os.PathLike[str], files: Iterable[tuple[str, bytes]]) -> list[Path]:
    """Write (name, bytes) pairs into `directory`, each with `atomic_write`; the folder is made when needed.

    A folder that cannot be made or written (a file in its place, no permission)
    raises `PlanFileError` naming it, instead of an `OSError`.
    """
    from rotation.errors import PlanFileError

    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return [atomic_write(folder / name, data) for name, data in files]
    except FileExistsError:
        raise PlanFileError("this is a file, not a folder.", file=str(folder)) from None
    except OSError as err:
        raise PlanFileError(f"the folder cannot be written ({err.strerror or err}).", file=str(folder)) from None
