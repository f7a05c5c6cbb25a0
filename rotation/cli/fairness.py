"""`rotation fairness`: how often each unit held each role, over the history and a plan.

::

    rotation fairness --history plan-2023.json --plan plan-2024.json
    rotation fairness --plan plan-2024.json --output turns.svg
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rotation.cli import options
from rotation.errors import EXIT_OK

__all__ = ["register", "run"]


def register(commands: Any) -> None:
    """Add `rotation fairness`."""
    parser = commands.add_parser(
        "fairness",
        help="how often each unit held each role, over the history and a plan",
        description=(
            "Count per unit and role the turns in the history (over the committee's fairness_years, and in "
            "the plans given with --history) and in a plan (--plan: JSON, CSV, Markdown, Excel or .ics), and "
            "flag per role the unit that has waited longest."
        ),
    )
    options.add_committee_argument(parser)
    options.add_history_options(parser, no_history=False)
    parser.add_argument(
        "--plan", type=Path, metavar="PLAN", help="a plan to count as well (JSON, CSV, Markdown, Excel or .ics)"
    )
    options.add_language_option(parser)
    options.add_output_option(
        parser, help="write the picture (.svg) or the table (.txt) to this file instead of the terminal"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print or write the table of turns per unit and role, or write its picture."""
    from rotation.errors import UsageError
    from rotation.fairness import role_counts
    from rotation.outputs import fairness_report

    committee = options.apply_history(args, options.load_committee(options.committee_path(args)))
    language = args.lang or committee.language
    plan = None
    if args.plan is not None:
        from rotation.formats import read_plan

        plan = read_plan(args.plan, committee)
    output = args.output
    suffix = output.suffix.lower() if output is not None else ""
    if output is not None and suffix not in (".svg", ".txt", ""):
        raise UsageError(f"rotation fairness writes .svg (the picture) or .txt (the table), not {suffix} files.")
    if output is not None:
        options.check_output(output)
    counts = role_counts(committee, plan)
    if suffix == ".svg":
        from rotation.documents import pictures

        assert output is not None
        options.write_output(
            pictures.fairness(committee, plan, language=language, counts=counts).encode("utf-8"), output
        )
        return EXIT_OK
    options.write_output(fairness_report(committee, plan, language=language, counts=counts), output)
    return EXIT_OK
