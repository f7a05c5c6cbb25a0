"""The `rotation` command: one module per sub-command, the options they share in `rotation.cli.options`.

Each command module has a ``register(commands)`` function that adds its
sub-command and names the function that runs it. A command only parses its
options, calls the library and prints; the library does the work.

Exit codes: 0 done; 1 `check` found broken rules; 2 a file, option or value
cannot be used; 3 no plan meets all the rules; 130 interrupted.
Errors are printed as ``Kind: message`` on standard error, without a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from rotation.cli import check, example, fairness, issue, overview, plan, replan, send
from rotation.cli.options import Parser, progress_for
from rotation.errors import EXIT_INPUT, EXIT_OK, HorizonError, RotationError

__all__ = ["build_parser", "main", "progress_for"]

COMMANDS = (plan, example, check, issue, send, overview, replan, fairness)
"""The command modules, in the order `rotation --help` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The parser of the `rotation` command and its sub-commands."""
    parser = Parser(
        prog="rotation",
        description="Plan the meetings of a committee whose roles rotate across its units.",
        epilog="Exit codes: 0 done, 1 rules broken (check), 2 unusable input, 3 no plan possible.",
    )
    from rotation import __version__

    parser.add_argument("--version", action="version", version=f"rotation {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in COMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `rotation` command with `argv` (default: the program's arguments); return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_INPUT
    try:
        code: int = args.handler(args)
        return code
    except RotationError as err:
        shown = err.command_line if isinstance(err, HorizonError) and err.command_line else str(err)
        print(f"{_kind(err)}: {shown}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("Interrupted; nothing was written.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _kind(err: RotationError) -> str:
    """The kind of `err` as its heading: in the language of its message, where the error knows it."""
    if err.language is None:
        return err.kind
    from rotation.messages import gettext

    return gettext(err.language, f"error.{type(err).__name__}")
