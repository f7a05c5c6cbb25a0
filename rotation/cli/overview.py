"""`rotation overview`: write the year overview (overview.ics) of any planning, for importing.

::

    rotation overview plan.json --committee committee.toml --output overview.ics
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rotation.cli import options
from rotation.errors import EXIT_OK

__all__ = ["register", "run"]


def register(commands: Any) -> None:
    """Add `rotation overview`."""
    parser = commands.add_parser(
        "overview",
        help="write the year overview (overview.ics) of any planning, for importing",
        description=(
            "Write the year overview of a planning (JSON, CSV, Markdown, Excel or .ics), as it stands, "
            "with the SEQUENCE numbers of its record of what was issued."
        ),
    )
    parser.add_argument("planning", type=Path, help="the planning file (JSON, CSV, Markdown, Excel or overview.ics)")
    options.add_committee_option(parser)
    options.add_output_option(parser, required=True, help="the .ics file to write")
    options.add_calendar_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the overview and say how many meetings it holds."""
    from rotation.formats import read_plan
    from rotation.issuing import overview, same_committee

    committee = options.require_committee(args.committee)
    planning = read_plan(args.planning, committee)
    same_committee(committee, planning, args.planning)
    options.write_output(overview(committee, planning, stamp=args.stamp, reminder_minutes=args.reminder), args.output)
    print(f"{args.output}  {len(planning.meetings)} meetings")
    return EXIT_OK
