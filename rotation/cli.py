"""The `rotation` command.

Exit codes: 0 done; 1 `check` found broken rules; 2 a file, option or value
cannot be used; 3 no plan meets all the rules; 130 interrupted.
Errors are printed as ``Kind: message`` on standard error, without a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rotation.errors import (
    EXIT_BROKEN_RULES,
    EXIT_INPUT,
    EXIT_OK,
    HorizonError,
    PlanFileError,
    RotationError,
    UsageError,
)

if TYPE_CHECKING:
    from rotation.domain import Committee, Plan
    from rotation.solve import TerminalProgress

__all__ = ["main"]

TEXT_FORMATS = ("table", "markdown", "csv", "json")
DOCUMENT_FORMATS = ("docx", "xlsx", "html", "pdf", "svg")
EXTRA_COMMANDS = ("rotation.commands.ics", "rotation.commands.plan_extras")
"""Modules that add sub-commands with a `register(subparsers)` function."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"Usage error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


def _date(text: str) -> dt.date:
    from rotation.config import parse_date

    day = parse_date(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (use 2027-03-11 or 11-03-2027)")
    return day


def seconds(text: str) -> float:
    """A positive number of seconds, for --time-limit."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 1e6:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds such as 30")
    return value


def add_time_limit_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--time-limit",
        type=seconds,
        metavar="SECONDS",
        help="stop the solver after this many seconds (default: a fixed amount of work, about a minute)",
    )


def _year(text: str) -> int:
    from rotation.limits import FIRST_YEAR, LAST_YEAR

    if not text.isdigit() or len(text) > 4:
        raise argparse.ArgumentTypeError(f"'{text}' is not a year such as 2027")
    if not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"{text} is not a year this tool plans (from {FIRST_YEAR} to {LAST_YEAR})")
    return int(text)


def add_committee_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "committee",
        nargs="?",
        type=Path,
        help="the committee file (TOML); the built-in example committee when left out",
    )


def load_committee(path: Path | None) -> Committee:
    import rotation

    return rotation.example() if path is None else rotation.load(path)


COMMITTEE_FILE = "committee.toml"
"""The committee file that `check`, `replan`, `issue` and `send` look for in the current folder."""


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


def add_horizon_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("horizon (default: the twelve months after the last meeting in the history)")
    group.add_argument("--year", type=_year, help="plan one calendar year")
    group.add_argument("--from", dest="start", type=_date, metavar="DATE", help="first day to plan")
    group.add_argument("--to", dest="end", type=_date, metavar="DATE", help="last day to plan")
    group.add_argument("--meetings", type=int, metavar="N", help="number of meetings (default: from the cadence)")
    add_history_arguments(group)


def add_history_arguments(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument("--no-history", action="store_true", help="ignore the history and start the rotation afresh")
    parser.add_argument(
        "--history",
        action="append",
        type=Path,
        metavar="PLAN",
        help="continue from a previous plan (JSON, CSV, Markdown, Excel or overview.ics): add its meetings",
    )


def apply_history(args: argparse.Namespace, committee: Committee) -> Committee:
    """The committee with the history `--no-history` and `--history` ask for."""
    import dataclasses

    if args.no_history and args.history:
        raise UsageError("give either --no-history or --history, not both.")
    if args.no_history:
        return dataclasses.replace(committee, history=())
    if args.history:
        from rotation.commands.plan_extras import add_history_files

        return add_history_files(committee, args.history)
    return committee


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rotation",
        description="Plan the meetings of a committee whose roles rotate across its units.",
        epilog="Exit codes: 0 done, 1 rules broken (check), 2 unusable input, 3 no plan possible.",
    )
    from rotation import __version__

    parser.add_argument("--version", action="version", version=f"rotation {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    plan = commands.add_parser("plan", help="plan the meetings and print the planning table")
    add_committee_argument(plan)
    add_horizon_arguments(plan)
    plan.add_argument(
        "--format",
        choices=TEXT_FORMATS + DOCUMENT_FORMATS,
        help=(
            "table, markdown, csv, json; docx, xlsx, html, pdf and svg (the year at a glance) need --output "
            "(default: from the --output file's extension, else table)"
        ),
    )
    plan.add_argument("--lang", choices=("nl", "en"), help="language of the table (default: the committee's)")
    plan.add_argument("--output", "-o", type=Path, metavar="PATH", help="write to this file instead of the terminal")
    plan.add_argument(
        "--one-table",
        action="store_true",
        help="docx, html and pdf: every role in one table (default: a table per chain when there are two)",
    )
    plan.add_argument(
        "--ics", type=Path, metavar="DIR", help="also write the year overview and one invite per meeting here"
    )
    from rotation.commands.ics import add_calendar_options

    add_calendar_options(plan.add_argument_group("calendar files (with --ics)"))
    plan.add_argument("--quiet", "-q", action="store_true", help="no progress messages")
    add_time_limit_argument(plan)
    plan.add_argument("--alternatives", type=int, metavar="N", help="show up to N good plans, each with its trade-off")
    plan.set_defaults(handler=run_plan)

    example = commands.add_parser("example", help="print the built-in example committee file, to start from")
    example.set_defaults(handler=run_example)

    check = commands.add_parser("check", help="check a planning (JSON, CSV, Markdown, Excel or .ics) against the rules")
    check.add_argument("planning", type=Path, help="the planning file")
    check.add_argument(
        "--committee", type=Path, help=f"the committee file (default: {COMMITTEE_FILE} in the current folder)"
    )
    check.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 for unfair turns too (a unit holding a role again before another had its turn)",
    )
    add_history_arguments(check.add_argument_group("history (as the planning was made with)"))
    check.set_defaults(handler=run_check)

    for name in EXTRA_COMMANDS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name is None or not name.startswith(err.name):
                raise
            continue
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
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
        print(f"{err.kind}: {shown}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("Interrupted; nothing was written.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


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
    from rotation.files import atomic_write

    check_output(output)
    try:
        atomic_write(output, data)
    except OSError as err:
        raise PlanFileError(f"the file cannot be written ({err.strerror}).", file=str(output)) from None


def make_plan(args: argparse.Namespace, committee: Committee) -> Plan:
    from rotation.solve import plan

    if args.year is not None and (args.start is not None or args.end is not None):
        raise UsageError("give either --year or --from and --to, not both.")
    committee = apply_history(args, committee)
    if args.start is not None and args.end is not None and args.end < args.start:
        raise HorizonError("--to is before --from.")
    return plan(
        committee,
        year=args.year,
        start=args.start,
        end=args.end,
        meetings=args.meetings,
        progress=progress_for(args),
        time_limit=getattr(args, "time_limit", None),
    )


def progress_for(args: argparse.Namespace) -> TerminalProgress | None:
    """A progress line on standard error, unless --quiet or standard error is no terminal."""
    if getattr(args, "quiet", False) or not sys.stderr.isatty():
        return None
    from rotation.solve import TerminalProgress

    return TerminalProgress()


_SUFFIX_FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".csv": "csv",
    ".json": "json",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".svg": "svg",
    ".txt": "table",
}


def output_format(args: argparse.Namespace) -> str:
    """`--format`, or the format the `--output` file's extension names, or the table.

    A file is never written in a format other than its extension says: an
    extension rotation does not write, or one that names another format than
    `--format`, is a usage error.
    """
    if args.output is None or not args.output.suffix:
        return str(args.format or "table")
    suffix = args.output.suffix.lower()
    named = _SUFFIX_FORMATS.get(suffix)
    if named is None:
        known = ", ".join(dict.fromkeys(_SUFFIX_FORMATS))
        raise UsageError(f"rotation does not write {suffix} files; give --output a name ending in one of: {known}.")
    if args.format is not None and args.format != named:
        raise UsageError(f"--format {args.format} does not match the extension of --output {args.output.name}.")
    return named


def run_plan(args: argparse.Namespace) -> int:
    from rotation.errors import PlanFileError

    args.format = output_format(args)
    if args.format in DOCUMENT_FORMATS and args.output is None:
        raise PlanFileError(f"--format {args.format} writes a file; give its name with --output.")
    # invites are never made for the built-in example by accident: --ics takes the committee file given,
    # or committee.toml in the current folder
    committee = (
        require_committee(args.committee, "before the options (rotation plan committee.toml --ics DIR)")
        if args.ics
        else load_committee(args.committee)
    )
    if args.alternatives is not None:
        from rotation.commands.plan_extras import run_alternatives

        return run_alternatives(args, committee)
    language = args.lang or committee.language
    result = make_plan(args, committee)
    # Everything is made before anything is written, so that a failure leaves the old files as they were.
    batch = None
    notes: list[str] = []
    if args.ics is not None:
        from rotation.commands.ics import plan_batch

        batch = plan_batch(committee, result, args)
        result = batch.plan  # with the record of what is issued, for the JSON export
        notes.extend(batch.notes)
    data: str | bytes
    if args.format in DOCUMENT_FORMATS:
        from rotation import documents

        if args.format == "svg":
            from rotation.documents import pictures

            data = pictures.year_at_a_glance(committee, result, language=language).encode("utf-8")
        else:
            data = documents.to_bytes(args.format, committee, result, language=language, one_table=args.one_table)
    else:
        from rotation.render import render

        data = render(args.format, committee, result, language)
    if args.output is not None:
        check_output(args.output)
    # all the files at once: a failure (a full disk, a folder that cannot be written) leaves the earlier ones
    outputs: list[tuple[Path, str | bytes]] = list(batch.outputs(args.ics)) if batch is not None else []
    if args.output is not None:
        outputs.append((args.output, data))
    if outputs:  # the files first: a reader of standard output that stops early loses nothing
        from rotation.files import write_outputs

        write_outputs(outputs)
    if batch is not None:
        notes.extend(batch.stale_notes(args.ics))
    if args.output is None:
        write_output(data, None)
    if batch is not None and batch.files:
        missing = [unit.name for unit in committee.units if not (unit.coordinator and unit.coordinator.email)]
        if missing:
            names = ", ".join(missing)
            notes.append(
                f"geen uitnodiging voor {names}: geen e-mailadres (geef de eenheid een 'email' in het bestand)."
                if committee.language == "nl"
                else f"no invitation for {names}: no e-mail address (give the unit an 'email' in the committee file)."
            )
    for note in (*notes, *result.notes):
        print(f"rotation: {note}", file=sys.stderr)
    return EXIT_OK


def run_example(args: argparse.Namespace) -> int:
    from rotation.config import example_text

    write_output(example_text(), None)
    return EXIT_OK


MAX_WARNINGS = 5
"""Unfair turns `check` lists one by one; more are counted."""


def run_check(args: argparse.Namespace) -> int:
    """Check a planning against the committee's rules: one line per broken rule; exit 1 when any is broken."""
    from rotation.planfile import read_plan
    from rotation.planning_check import check_planning

    committee = apply_history(args, require_committee(args.committee))
    planning = read_plan(args.planning, committee)
    dutch = committee.language == "nl"

    def shown(text: str, limit: int = 400) -> str:  # names from the file may hold anything
        text = "".join(ch if ch.isprintable() else "\ufffd" for ch in text)
        return text if len(text) <= limit else text[: limit - 1] + "…"

    if planning.committee and planning.committee != committee.name:
        note = (
            f"let op: deze planning is van '{shown(planning.committee, 80)}', "
            f"de regels zijn van '{shown(committee.name, 80)}'."
            if dutch
            else f"note: this planning is for '{shown(planning.committee, 80)}', "
            f"the rules are those of '{shown(committee.name, 80)}'."
        )
        print(f"rotation: {note}", file=sys.stderr)
    violations = check_planning(committee, planning)
    for violation in violations:
        print(shown(violation.message))
    from rotation.fairness import fairness_notes

    warnings = fairness_notes(committee, planning)
    label = "waarschuwing" if dutch else "warning"
    for warning in warnings[:MAX_WARNINGS]:
        print(shown(f"{label}: {warning}"))
    if len(warnings) > MAX_WARNINGS:
        more = len(warnings) - MAX_WARNINGS
        print(f"{label}: en nog {more} oneerlijke beurten" if dutch else f"{label}: and {more} more unfair turns")

    def counted(count: int, nl: tuple[str, str], en: tuple[str, str]) -> None:
        one, many = nl if dutch else en
        print(f"{count} {one if count == 1 else many}.", file=sys.stderr)

    if warnings and not violations:
        counted(len(warnings), ("oneerlijke beurt", "oneerlijke beurten"), ("unfair turn", "unfair turns"))
        if args.strict:
            return EXIT_BROKEN_RULES
    if violations:
        counted(len(violations), ("regel geschonden", "regels geschonden"), ("rule broken", "rules broken"))
        return EXIT_BROKEN_RULES
    if warnings:
        print(
            "De planning voldoet aan alle regels, maar geeft niet iedereen op zijn beurt een rol."
            if dutch
            else "The planning meets every rule, but does not give every unit its turn."
        )
        return EXIT_OK
    print("De planning voldoet aan alle regels." if dutch else "The planning meets every rule.")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
