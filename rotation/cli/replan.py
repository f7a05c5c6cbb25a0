"""`rotation replan`: plan again after a change, keeping as much of the issued plan as the rules allow.

::

    rotation replan plan-2023.json --move 07-09-2023=14-09-2023 --output plan-2023-v2.json --ics updates/
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rotation.cli import options
from rotation.errors import EXIT_OK
from rotation.messages import gettext

__all__ = ["register", "run"]


def register(commands: Any) -> None:
    """Add `rotation replan`."""
    parser = commands.add_parser(
        "replan",
        help="plan again after a change, keeping as much of the issued plan as the rules allow",
        description=(
            "Plan again after a meeting moves or is cancelled, a unit cannot come, or a unit joins or "
            "leaves. The plan as issued is read from its JSON export, CSV, Markdown, Excel or overview.ics. Meetings "
            "before --today (or the date the changes apply from) stay as issued; the "
            "others keep their dates and role holders wherever the rules allow. Prints what changed, for "
            "whom and why; writes the new plan (--output) and the updates and cancellations to send (--ics)."
        ),
    )
    parser.add_argument(
        "plan", type=Path, help="the plan as issued: its JSON export, CSV, Markdown, Excel or overview.ics"
    )
    options.add_committee_option(parser)
    changes = parser.add_argument_group("changes (each may be given more than once)")
    changes.add_argument(
        "--move", action="append", default=[], type=options.move, metavar="DATE=DATE", help="move the meeting of a date"
    )
    changes.add_argument(
        "--cancel", action="append", default=[], type=options.date, metavar="DATE", help="cancel the meeting of a date"
    )
    changes.add_argument(
        "--unavailable",
        action="append",
        default=[],
        type=options.unavailable,
        metavar="UNIT@DATE",
        help="the unit cannot hold a role on that date",
    )
    changes.add_argument(
        "--add-unit", action="append", default=[], metavar="NAME", help="a unit joins (last in the rotation order)"
    )
    changes.add_argument("--remove-unit", action="append", default=[], metavar="UNIT", help="a unit leaves")
    changes.add_argument(
        "--from",
        dest="start",
        type=options.date,
        metavar="DATE",
        help="the changes apply from this date (a unit joins or leaves)",
    )
    options.add_today_option(
        changes,
        help="meetings before this date were held and stay as they are (default: --from, else the earliest date named)",
    )
    changes.add_argument(
        "--notice-weeks",
        type=options.weeks,
        default=None,
        metavar="WEEKS",
        help="meetings this many weeks after --today keep their role holders unless the change forces otherwise "
        "(default: 6)",
    )
    options.add_history_options(parser, no_history=False)
    options.add_output_option(parser, help="write the new plan (JSON) here")
    options.add_ics_option(parser, help="write the updates and cancellations to send here")
    options.add_calendar_options(parser)
    options.add_language_option(parser, "the report")
    options.add_quiet_option(parser)
    options.add_time_limit_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Plan again, write the new plan and the files to send, and say what changed."""
    from rotation.cli.issue import describe_file, issue_notes
    from rotation.files import write_outputs
    from rotation.formats import read_plan, to_json, to_table
    from rotation.replan import Changes, describe, replan

    committee = options.apply_history(args, options.require_committee(args.committee))
    language = args.lang or committee.language
    issued = read_plan(args.plan, committee)
    changes = Changes(
        moves=tuple(args.move),
        cancel=tuple(args.cancel),
        unavailable=tuple(args.unavailable),
        add_units=tuple(args.add_unit),
        remove_units=tuple(args.remove_unit),
        start=args.start,
    )
    notice = {} if args.notice_weeks is None else {"notice_weeks": args.notice_weeks}
    result = replan(
        committee,
        issued,
        changes,
        today=args.today,
        language=language,
        progress=options.progress_for(args),
        time_limit=args.time_limit,
        **notice,
    )
    new_plan = result.plan
    batch = None
    if args.ics is not None:  # made before anything is written, so that a failure writes nothing
        from rotation.issuing import issue_replan

        batch = issue_replan(committee, issued, result, stamp=args.stamp, reminder_minutes=args.reminder)
        new_plan = batch.plan
    # all the files at once: a failure (a full disk, a folder that cannot be written) leaves the earlier ones
    also: list[tuple[Path, str | bytes]] = []
    if args.output is not None:
        options.check_output(args.output)
        also.append((args.output, to_json(result.committee, new_plan)))
    if batch is not None:
        from rotation.issuing import write_ics

        write_ics(batch, args.ics, also=also)
    else:
        write_outputs(also)
    notes = issue_notes(batch, args.ics, language) if batch is not None else []
    # the report comes after the files are written, so that a reader who stops early loses nothing
    print(describe(result, language))
    print(to_table(result.committee, result.plan, language), end="")
    if batch is not None:
        print()
        for file in batch.files:
            print(f"{args.ics / file.name}  {describe_file(file, language)}")
        if not batch.files:
            print(gettext(language, "cli.replan.nothing"))
    if args.ics is None and result.asked.remove_units:
        print(gettext(language, "cli.replan.give_ics", names=", ".join(result.asked.remove_units)))
    for note in notes:
        options.note(note)
    if args.output is not None:
        print(f"{args.output}  {gettext(language, 'cli.replan.new_plan')}")
    if args.ics is not None:
        print(f"{args.ics / 'plan.json'}  {gettext(language, 'cli.replan.new_plan_issued')}")
    if args.output is None and args.ics is None:
        print()
        print(gettext(language, "cli.replan.not_kept"))
    if not result.plan.optimal:
        print(f"rotation: {gettext(language, 'cli.replan.not_proven')}", file=sys.stderr)
    return EXIT_OK
