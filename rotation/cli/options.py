"""The options the commands share: one parser per kind of value, one definition of each option.

A command module adds its options with the ``add_*`` functions here, so that
an option has the same name, value and meaning in every command that takes
it; what the option then asks for (the committee it names, the history it
adds, the progress line it turns off) is decided here too.

Only `argparse`, `datetime`, `pathlib` and the errors are imported at the top; the
library is imported when a command runs, so that starting the program stays fast.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rotation.errors import EXIT_INPUT, HorizonError, UsageError
from rotation.messages import languages

if TYPE_CHECKING:
    from rotation.domain import Committee
    from rotation.solve import TerminalProgress

__all__ = [
    "COMMITTEE_FILE",
    "LANGUAGES",
    "Parser",
    "add_calendar_options",
    "add_committee_argument",
    "add_committee_option",
    "add_history_options",
    "add_horizon_options",
    "add_ics_option",
    "add_language_option",
    "add_output_option",
    "add_quiet_option",
    "add_time_limit_option",
    "add_today_option",
    "apply_history",
    "check_horizon",
    "check_output",
    "check_period",
    "committee_path",
    "date",
    "load_committee",
    "minutes",
    "move",
    "note",
    "port",
    "progress_for",
    "require_committee",
    "seconds",
    "stamp",
    "timeout",
    "unavailable",
    "weeks",
    "write_output",
    "year",
]

Group = argparse.ArgumentParser | argparse._ArgumentGroup

COMMITTEE_FILE = "committee.toml"
"""The committee file that `check`, `replan`, `issue`, `overview` and `send` look for in the current folder."""

LANGUAGES = languages()
"""The languages the program ships; `add_language_option` also takes one registered later (`rotation.messages`)."""


class HelpFormatter(argparse.HelpFormatter):
    """The help, with lines broken between words only, never inside an option such as --plan-out."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        import textwrap

        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap

        return textwrap.fill(
            " ".join(text.split()), width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
        )


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are a `Usage error` line and exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"Usage error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


# -- values ---------------------------------------------------------------------------------------------------------


def date(text: str) -> dt.date:
    """A date written 2027-03-11, 11-03-2027 or 11-3-2027."""
    from rotation.config import parse_date

    day = parse_date(text.strip())
    if day is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (use 2027-03-11 or 11-03-2027)")
    return day


def year(text: str) -> int:
    """A year this tool plans."""
    from rotation.limits import FIRST_YEAR, LAST_YEAR

    if not text.isdigit() or len(text) > 4:
        raise argparse.ArgumentTypeError(f"'{text}' is not a year such as 2027")
    if not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"{text} is not a year this tool plans (from {FIRST_YEAR} to {LAST_YEAR})")
    return int(text)


def seconds(text: str) -> float:
    """A positive number of seconds, for --time-limit."""
    value = _number(text)
    if not 0 < value < 1e6:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds such as 30")
    return value


def timeout(text: str) -> float:
    """A number of seconds to wait for a server, at most ten minutes."""
    value = _number(text)
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds from 1 to 600")
    return value


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


MAX_MINUTES = 7 * 24 * 60


def minutes(text: str) -> int:
    """A number of minutes from 0 to a week, for --reminder."""
    if not text.isdigit() or int(text) > MAX_MINUTES:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of minutes from 0 to {MAX_MINUTES}")
    return int(text)


def weeks(text: str) -> int:
    """A number of weeks from 0 to 52."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 52:
        raise argparse.ArgumentTypeError(f"expected a number of weeks from 0 to 52, got '{text}'")
    return value


def stamp(text: str) -> dt.datetime:
    """A time with a zone, as 2027-01-05T09:00:00Z, in UTC."""
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time with a zone, such as 2027-01-05T09:00:00Z")
    if not 1900 <= value.year <= 2199 or not 1900 < value.astimezone(dt.UTC).year < 2200:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time this tool uses (years 1900 to 2199)")
    return value.astimezone(dt.UTC)


def port(text: str) -> int:
    """A TCP port number."""
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (1 to 65535)")
    return int(text)


def move(text: str) -> tuple[dt.date, dt.date]:
    """OLD=NEW: the date of a meeting and the date it moves to."""
    old, sep, new = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"'{text}' is not OLD=NEW, such as 07-09-2023=14-09-2023")
    return date(old), date(new)


def unavailable(text: str) -> tuple[str, dt.date]:
    """UNIT@DATE: a unit and a date it cannot hold a role on."""
    unit, sep, day = text.rpartition("@")
    if not sep or not unit.strip():
        raise argparse.ArgumentTypeError(f"'{text}' is not UNIT@DATE, such as Rotterdam@07-09-2023")
    return unit.strip(), date(day)


# -- the committee --------------------------------------------------------------------------------------------------


def add_committee_argument(parser: argparse.ArgumentParser) -> None:
    """The committee file as the first argument or with --committee: the built-in example when left out.

    For `plan` and `fairness`; `committee_path` is the file given either way.
    """
    parser.add_argument(
        "committee",
        nargs="?",
        type=Path,
        help="the committee file (TOML); the built-in example committee when left out",
    )
    parser.add_argument(
        "--committee",
        dest="committee_option",
        type=Path,
        metavar="COMMITTEE",
        help="the committee file, as with the other commands (the same as the first argument)",
    )


def committee_path(args: argparse.Namespace) -> Path | None:
    """The committee file given as the first argument or with --committee, or None."""
    given = getattr(args, "committee_option", None)
    if given is not None and args.committee is not None:
        raise UsageError("give the committee file once: as the first argument or with --committee.")
    return given if given is not None else args.committee  # type: ignore[no-any-return]


def add_committee_option(parser: Group, default: str = f"{COMMITTEE_FILE} in the current folder") -> None:
    """`--committee FILE`: never the built-in example (`check`, `replan`, `issue`, `overview`, `send`)."""
    parser.add_argument("--committee", type=Path, help=f"the committee file (default: {default})")


def load_committee(path: Path | None) -> Committee:
    """The committee of `path`, or the built-in example."""
    import rotation

    return rotation.example() if path is None else rotation.load(path)


def require_committee(path: Path | None, how: str = "with --committee committee.toml") -> Committee:
    """The committee file given, else ``committee.toml`` in the current folder; never the built-in example.

    These commands read or send a planning that was made for a committee: a
    guess would check it against the wrong rules or mail the wrong people.
    """
    import rotation

    if path is not None:
        return rotation.load(path)
    found = Path(COMMITTEE_FILE)
    if found.is_file():
        return rotation.load(found)
    raise UsageError(
        f"which committee? Give its file {how}, or run the command in the folder "
        f"that holds {COMMITTEE_FILE}. ('rotation example > {COMMITTEE_FILE}' writes the built-in example.)"
    )


# -- the history and the horizon ------------------------------------------------------------------------------------


def add_history_options(parser: Group, *, no_history: bool = True) -> None:
    """`--history PLAN` (again for each plan), and `--no-history` where a command can start afresh."""
    if no_history:
        parser.add_argument(
            "--no-history", action="store_true", help="ignore the history and start the rotation afresh"
        )
    parser.add_argument(
        "--history",
        action="append",
        type=Path,
        metavar="PLAN",
        help="continue from a previous plan (JSON, CSV, Markdown, Excel or overview.ics): add its meetings",
    )


def apply_history(args: argparse.Namespace, committee: Committee) -> Committee:
    """The committee with the history `--no-history` and `--history` ask for."""
    no_history = getattr(args, "no_history", False)
    if no_history and args.history:
        raise UsageError("give either --no-history or --history, not both.")
    if no_history:
        return dataclasses.replace(committee, history=())
    if args.history:
        from rotation.formats import add_history

        for path in args.history:
            committee = add_history(committee, path)
    return committee


def add_horizon_options(parser: argparse.ArgumentParser) -> None:
    """--year, or --from and --to, and --meetings; with the history options."""
    group = parser.add_argument_group("horizon (default: the twelve months after the last meeting in the history)")
    group.add_argument("--year", type=year, help="plan one calendar year")
    group.add_argument("--from", dest="start", type=date, metavar="DATE", help="first day to plan")
    group.add_argument("--to", dest="end", type=date, metavar="DATE", help="last day to plan")
    group.add_argument("--meetings", type=int, metavar="N", help="number of meetings (default: from the cadence)")
    add_history_options(group)


def check_horizon(args: argparse.Namespace) -> None:
    """Refuse --year with --from or --to."""
    if args.year is not None and (args.start is not None or args.end is not None):
        raise UsageError("give either --year or --from and --to, not both.")


def check_period(args: argparse.Namespace) -> None:
    """Refuse --to before --from."""
    if args.start is not None and args.end is not None and args.end < args.start:
        raise HorizonError("--to is before --from.")


# -- the output -----------------------------------------------------------------------------------------------------


def add_output_option(parser: Group, *, help: str, required: bool = False, alias: str | None = None) -> None:
    """`--output PATH`, `-o PATH`: the file to write, named alike in every command; `alias` is a former name,
    still accepted."""
    names = ("--output", "-o", alias) if alias else ("--output", "-o")
    parser.add_argument(*names, dest="output", type=Path, metavar="PATH", required=required, help=_also(help, alias))


def add_ics_option(parser: Group, *, help: str, required: bool = False, alias: str | None = None) -> None:
    """`--ics DIR`: the folder of the calendar files to send; `alias` is a former name, still accepted."""
    names = ("--ics", alias) if alias else ("--ics",)
    parser.add_argument(*names, dest="ics", type=Path, metavar="DIR", required=required, help=_also(help, alias))


def _also(help: str, alias: str | None) -> str:
    """The help of an option with a former name: the name is marked as such."""
    return f"{help} ({alias} is its former name, still accepted)" if alias else help


def add_calendar_options(parser: Group) -> None:
    """`--stamp` and `--reminder`, for every command that writes .ics files."""
    parser.add_argument(
        "--stamp",
        type=stamp,
        metavar="TIME",
        help=(
            "DTSTAMP of the files, as 2027-01-05T09:00:00Z "
            "(default: SOURCE_DATE_EPOCH, else 00:00 UTC on the plan's first day)"
        ),
    )
    parser.add_argument(
        "--reminder", type=minutes, metavar="MINUTES", help="add a reminder this long before each meeting"
    )


def add_today_option(parser: Group, *, help: str) -> None:
    """`--today DATE`: meetings before it were held."""
    parser.add_argument("--today", type=date, metavar="DATE", help=help)


def add_language_option(parser: Group, what: str = "the table") -> None:
    """`--lang {nl,en}`."""
    parser.add_argument("--lang", choices=languages(), help=f"language of {what} (default: the committee's)")


# -- the solver -----------------------------------------------------------------------------------------------------


def add_quiet_option(parser: Group) -> None:
    """`--quiet`, `-q`: no progress line."""
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress messages")


def add_time_limit_option(parser: Group) -> None:
    """`--time-limit SECONDS`."""
    parser.add_argument(
        "--time-limit",
        type=seconds,
        metavar="SECONDS",
        help="stop the solver after this many seconds (default: a fixed amount of work, about a minute)",
    )


def progress_for(args: argparse.Namespace) -> TerminalProgress | None:
    """A progress line on standard error, unless --quiet or standard error is no terminal."""
    if getattr(args, "quiet", False) or not sys.stderr.isatty():
        return None
    from rotation.solve import TerminalProgress

    return TerminalProgress()


def check_output(output: Path) -> None:
    """Refuse an `--output` that cannot be written, before anything is made or written."""
    from rotation.errors import PlanFileError

    if output.is_dir():
        raise PlanFileError("this is a folder; give a file name for --output.", file=str(output))
    if not output.parent.exists():
        raise PlanFileError("the folder for --output does not exist.", file=str(output))


def write_output(data: str | bytes, output: Path | None) -> None:
    """Write to `output` atomically, or to standard output."""
    if output is None:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
        return
    from rotation.errors import PlanFileError
    from rotation.files import atomic_write

    check_output(output)
    try:
        atomic_write(output, data)
    except OSError as err:
        raise PlanFileError(f"the file cannot be written ({err.strerror}).", file=str(output)) from None


def note(text: str) -> None:
    """A note on standard error: ``rotation: text``."""
    print(f"rotation: {text}", file=sys.stderr)
