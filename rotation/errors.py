"""The exceptions the library raises, and the exit codes the command line maps them to.

::

    ValueError
     └── RotationError            every error of this library
          ├── ConfigError         a committee file or committee that cannot be used   (exit 2)
          ├── PlanFileError       a planning or calendar file that cannot be read     (exit 2)
          ├── HorizonError        a horizon the history cannot reach                  (exit 2)
          ├── UsageError          command-line options that do not go together        (exit 2)
          ├── MailError           an e-mail that cannot be sent                       (exit 2)
          ├── MissingPackageError Word, Excel or PDF output without its package       (exit 2)
          ├── UnreadableFile      a file that cannot be read at all                   (exit 2)
          └── InfeasibleError     the rules cannot all be met                          (exit 3)

Every one of them is exported from `rotation`. `UnreadableFile` reaches a
caller of `rotation.load` or `rotation.read_plan` as the `ConfigError` or
`PlanFileError` that names the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "EXIT_BROKEN_RULES",
    "EXIT_INFEASIBLE",
    "EXIT_INPUT",
    "EXIT_OK",
    "ConfigError",
    "Conflict",
    "HorizonError",
    "InfeasibleError",
    "MailError",
    "MissingPackageError",
    "PlanFileError",
    "RotationError",
    "UnreadableFile",
    "UsageError",
]

EXIT_OK = 0
EXIT_BROKEN_RULES = 1
"""`rotation check`: the planning breaks at least one rule."""
EXIT_INPUT = 2
"""A file, option or value cannot be used."""
EXIT_INFEASIBLE = 3
"""No plan meets all the rules."""


class RotationError(ValueError):
    """Base class of every error raised by this library."""

    exit_code = EXIT_INPUT
    kind = "Error"
    language: str | None = None
    """The language of the message, where the error knows it: the command line then names the kind of error
    in that language too (`rotation.messages`, ``error.<class name>``), so that one message is in one language."""


def printable(text: str) -> str:
    """`text` on one line in printable characters: a line break becomes a space, other control
    characters (and invisible ones such as a byte-order mark or a direction override) U+FFFD, so that
    a value from a file cannot change the terminal or hide part of the message."""
    return "".join(ch if ch.isprintable() else " " if ch in "\r\n\t" else "\ufffd" for ch in text)


def _locate(file: str | None, key: str | None, line: int | None) -> str:
    parts = []
    if file:
        parts.append(str(file))
    if line is not None:
        parts.append(f"line {line}")
    if key:
        parts.append(f"key '{key}'")
    return ", ".join(parts)


class ConfigError(RotationError):
    """A committee file, or a committee built in code, that cannot be used.

    The message names the file, the key (and line, where known) and what is wrong.
    """

    kind = "Configuration error"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        key: str | None = None,
        line: int | None = None,
    ) -> None:
        self.file = file
        self.key = key
        self.line = line
        self.reason = printable(message)
        where = printable(_locate(file, key, line))
        super().__init__(f"{where}: {self.reason}" if where else self.reason)


class PlanFileError(RotationError):
    """A planning or calendar file that cannot be read."""

    kind = "Planning file error"

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.reason = printable(message)
        where = printable(_locate(file, None, line))
        super().__init__(f"{where}: {self.reason}" if where else self.reason)


class UsageError(RotationError):
    """Command-line options that do not go together."""

    kind = "Usage error"


class MailError(RotationError):
    """An e-mail that cannot be sent: the server, the connection or the log-in failed (`calendars.mail`)."""

    kind = "Mail error"


class MissingPackageError(RotationError):
    """A document format needs a package that is not installed (`rotation.documents`)."""

    kind = "Missing package"


class UnreadableFile(RotationError):
    """A file that `rotation.files.read_limited` refuses; the message is a sentence for the person who gave it.

    It does not exist, is a folder or a device, or is too large. The readers of
    a committee file and of a planning raise it as their own error, naming the file.
    """

    kind = "File error"


class HorizonError(RotationError):
    """The horizon asked for cannot continue the committee's history, or lies beyond the bounds of this tool.

    The message speaks of the library's arguments (a year, a start date); on the
    command line `command_line` is shown instead, where it is given, with the
    options to use (``--year``, ``--no-history``).
    """

    kind = "Horizon error"

    def __init__(self, message: str, *, command_line: str | None = None, language: str | None = None) -> None:
        self.reason = message
        self.command_line = command_line
        self.language = language
        super().__init__(message)


@dataclass(frozen=True)
class Conflict:
    """One rule that takes part in a clash, in the committee's own terms."""

    rule: str
    """The rule's name, as in the rule registry (``Gap between meetings``)."""
    sentence: str
    """The rule instance as a sentence (``at most 10 weeks between meetings``)."""
    relaxation: str | None = None
    """What would lift it (``allow 11 weeks between meetings``)."""


class InfeasibleError(RotationError):
    """The rules cannot all be met; `conflicts` names rules that clash, where known."""

    exit_code = EXIT_INFEASIBLE
    kind = "No plan possible"

    def __init__(self, message: str, *, conflicts: Sequence[Conflict] = (), language: str | None = None) -> None:
        self.conflicts = tuple(conflicts)
        self.reason = message
        self.language = language
        super().__init__(message)
