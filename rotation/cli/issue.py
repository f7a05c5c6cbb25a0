"""`rotation issue`: write the invites, updates and cancellations a plan needs, for `rotation send`.

::

    rotation issue plan.json --committee committee.toml --ics outlook/
    rotation issue sent.json current.json --committee committee.toml --ics updates/

The sentences about the files written, which `plan --ics` and `replan --ics`
print too, are here.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rotation.cli import options
from rotation.errors import EXIT_OK
from rotation.messages import gettext

if TYPE_CHECKING:
    from calendars.ics import IssuedFile
    from rotation.domain import Committee, Plan
    from rotation.issuing import Issue

__all__ = ["describe_file", "issue_notes", "plan_batch", "register", "run"]

_TOML_SUFFIXES = (".toml",)


def register(commands: Any) -> None:
    """Add `rotation issue`."""
    parser = commands.add_parser(
        "issue",
        help="write the invites, updates and cancellations a plan needs, for 'rotation send'",
        description=(
            "Write into --ics what has to be sent so that the coordinators' calendars show PLAN: "
            "invites for meetings never issued, updates for meetings that changed, cancellations and "
            "removals, decided from the record of what was issued that the plan file carries. With two "
            "plans, the first is the plan as last issued and the second (a JSON export, or a committee "
            "file to plan the same period again) the plan as it is now. Also writes the year overview, "
            "the delivery record for 'rotation send' and the plan with its new record (also to --output)."
        ),
    )
    parser.add_argument("previous", type=Path, metavar="PLAN", help="the plan (JSON export or overview.ics)")
    parser.add_argument(
        "current",
        type=Path,
        nargs="?",
        metavar="CURRENT",
        help="the plan as it is now, when PLAN is the plan as last issued (JSON export, or the committee file)",
    )
    options.add_committee_option(parser, default="CURRENT when it is one, else committee.toml in the current folder")
    options.add_ics_option(
        parser, required=True, alias="--out", help="folder for the files to send (created when needed)"
    )
    options.add_output_option(
        parser,
        alias="--plan-out",
        help="also write the plan with its record of what was issued here (it is always written as DIR/plan.json)",
    )
    options.add_today_option(parser, help="meetings before this date were held: nothing is sent for them")
    options.add_calendar_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the files to send and say what each one holds."""
    from calendars.ics import OVERVIEW_NAME
    from rotation.formats import read_plan, to_json
    from rotation.issuing import PLAN_NAME, issue, same_committee, write_ics

    planned_from_committee = args.current is not None and args.current.suffix.lower() in _TOML_SUFFIXES
    committee = options.require_committee(args.committee or (args.current if planned_from_committee else None))
    previous = read_plan(args.previous, committee)
    if args.current is None:  # one plan: issue what its own record does not hold yet
        current = previous
        previous = dataclasses.replace(previous, meetings=())
    elif planned_from_committee:
        from rotation.solve import plan

        current = plan(committee, start=previous.start, end=previous.end)
    else:
        current = read_plan(args.current, committee)
    same_committee(committee, previous, args.previous)
    same_committee(committee, current, args.current or args.previous)
    batch = issue(committee, previous, current, stamp=args.stamp, reminder_minutes=args.reminder, since=args.today)
    plan_out = args.output or args.ics / PLAN_NAME
    also: list[tuple[Path, str | bytes]] = []
    if plan_out != args.ics / PLAN_NAME:
        if not (args.ics.exists() and not args.ics.is_dir()):  # that is said first
            options.check_output(plan_out)
        also.append((plan_out, to_json(committee, batch.plan)))
    write_ics(batch, args.ics, also=also)  # all together: a failure leaves the earlier files as they were
    language = committee.language
    for file in batch.files:
        print(f"{args.ics / file.name}  {describe_file(file, language)}")
    if not batch.files:
        print(gettext(language, "cli.issue.nothing"))
    print(f"{args.ics / OVERVIEW_NAME}  {gettext(language, 'cli.issue.overview')}")
    print(f"{plan_out}  {gettext(language, 'cli.issue.plan')}")
    for note in issue_notes(batch, args.ics):
        options.note(note)
    return EXIT_OK


def plan_batch(committee: Committee, plan: Plan, args: argparse.Namespace) -> Issue:
    """The files `rotation plan --ics` writes: an invite per meeting not yet issued, and the overview.

    The record of what was issued of each plan given with ``--history`` keeps
    the SEQUENCE of the meetings issued before.
    """
    from rotation.formats import read_plan
    from rotation.issuing import invites

    records = [item for path in args.history or () for item in read_plan(path, committee).issued]
    return invites(committee, plan, issued=records, stamp=args.stamp, reminder_minutes=args.reminder)


# -- what the commands that write calendar files say ----------------------------------------------------------------


def issue_notes(batch: Issue, folder: Path, language: str | None = None) -> list[str]:
    """The notes on standard error after the files of `batch` were written into `folder`, in `language`."""
    from calendars.ics import OVERVIEW_NAME

    notes = []
    if batch.no_invites is not None:
        notes.append(f"only {OVERVIEW_NAME} was written, no invites: {batch.no_invites}")
    stale = batch.stale(folder)
    if stale:
        shown = ", ".join(stale[:5]) + (" ..." if len(stale) > 5 else "")
        said = gettext(language or batch.committee.language, "cli.issue.stale", folder=folder, files=shown)
        notes.append(said)
    return notes


def describe_file(file: IssuedFile, language: str) -> str:
    """``update 2027-03 on 2027-03-25 (SEQUENCE 1), to 12`` for the report of a command that writes files."""
    meeting = file.meeting
    values = {
        "kind": gettext(language, f"cli.file.{file.kind}"),
        "id": meeting.id,
        "date": meeting.date.isoformat(),
        "sequence": meeting.sequence,
    }
    if file.kind == "remove":
        return gettext(
            language, "cli.file.only_for", whom=", ".join(address for _, address in file.recipients), **values
        )
    return gettext(language, "cli.file.to", count=len(file.recipients), **values)
