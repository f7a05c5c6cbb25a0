"""`rotation plan`: plan the meetings and print or write the planning, and the invites with `--ics`.

::

    rotation plan committee.toml --year 2027 --output plan-2027.json
    rotation plan committee.toml --history plan-2023.json --ics invites/
    rotation plan --alternatives 3
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rotation.cli import options
from rotation.errors import EXIT_OK, PlanFileError, UsageError
from rotation.messages import gettext
from rotation.outputs import DOCUMENT_FORMATS, FORMATS

if TYPE_CHECKING:
    from rotation.domain import Committee, Plan

__all__ = ["register", "run"]


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


def register(commands: Any) -> None:
    """Add `rotation plan`."""
    parser = commands.add_parser(
        "plan",
        help="plan the meetings and print the planning table",
        description=(
            "Plan the meetings of the committee over a horizon (by default the twelve months after the last "
            "meeting in its history) so that they meet every rule of the committee file, and print the "
            "planning table, or write it as Markdown, CSV, JSON, Word, Excel, HTML, PDF or the year at a "
            "glance (--output). With --ics it also writes the year overview and an invite per meeting, for "
            "'rotation send'. Continue from the plans made before with --history (JSON, CSV, Markdown, "
            "Excel or overview.ics)."
        ),
    )
    options.add_committee_argument(parser)
    options.add_horizon_options(parser)
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help=(
            "table, markdown, csv, json; docx, xlsx, html, pdf and svg (the year at a glance) need --output "
            "(default: from the --output file's extension, else table)"
        ),
    )
    options.add_language_option(parser)
    options.add_output_option(parser, help="write to this file instead of the terminal")
    parser.add_argument(
        "--one-table",
        action="store_true",
        help="docx, html and pdf: every role in one table (default: a table per chain when there are two)",
    )
    options.add_ics_option(parser, help="also write the year overview and one invite per meeting here")
    options.add_calendar_options(parser.add_argument_group("calendar files (with --ics)"))
    options.add_quiet_option(parser)
    options.add_time_limit_option(parser)
    parser.add_argument(
        "--alternatives", type=int, metavar="N", help="show up to N good plans, each with its trade-off"
    )
    parser.set_defaults(handler=run)


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


def run(args: argparse.Namespace) -> int:
    """Plan, then write the files and print the planning table."""
    from rotation.outputs import plan_output

    args.format = output_format(args)
    if args.format in DOCUMENT_FORMATS and args.output is None:
        raise PlanFileError(f"--format {args.format} writes a file; give its name with --output.")
    # invites are never made for the built-in example by accident: --ics takes the committee file given,
    # or committee.toml in the current folder
    path = options.committee_path(args)
    committee = (
        options.require_committee(path, "before the options (rotation plan committee.toml --ics DIR)")
        if args.ics
        else options.load_committee(path)
    )
    if args.alternatives is not None:
        from rotation.cli.alternatives import run_alternatives

        return run_alternatives(args, committee)
    language = args.lang or committee.language
    result = make_plan(args, committee)
    # Everything is made before anything is written, so that a failure leaves the old files as they were.
    batch = None
    notes: list[str] = []
    if args.ics is not None:
        from rotation.cli.issue import plan_batch

        batch = plan_batch(committee, result, args)
        result = batch.plan  # with the record of what is issued, for the JSON export
    data = plan_output(args.format, committee, result, language=language, one_table=args.one_table)
    if args.output is not None:
        options.check_output(args.output)
    # the files first, all at once: a failure (a full disk, a folder that cannot be written) leaves the
    # earlier ones, and a reader of standard output that stops early loses nothing
    also: list[tuple[Path, str | bytes]] = [(args.output, data)] if args.output is not None else []
    if batch is not None:
        from rotation.cli.issue import issue_notes
        from rotation.issuing import write_ics

        write_ics(batch, args.ics, also=also)
        notes.extend(issue_notes(batch, args.ics, language))
    elif also:
        from rotation.files import write_outputs

        write_outputs(also)
    if args.output is None:
        options.write_output(data, None)
    if batch is not None and batch.uninvited:
        notes.append(gettext(language, "cli.plan.no_email", names=", ".join(batch.uninvited)))
    for note in (*notes, *result.notes):
        print(f"rotation: {note}", file=sys.stderr)
    return EXIT_OK


def make_plan(args: argparse.Namespace, committee: Committee) -> Plan:
    """The plan the horizon and history options ask for."""
    from rotation.solve import plan

    options.check_horizon(args)
    committee = options.apply_history(args, committee)
    options.check_period(args)
    return plan(
        committee,
        year=args.year,
        start=args.start,
        end=args.end,
        meetings=args.meetings,
        progress=options.progress_for(args),
        time_limit=getattr(args, "time_limit", None),
        language=getattr(args, "lang", None),
    )
