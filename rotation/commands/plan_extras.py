"""The `replan` and `fairness` sub-commands, and the `--history` and `--alternatives` options of `plan`.

::

    rotation replan plan-2023.json --move 07-09-2023=14-09-2023 --output plan-2023-v2.json --ics updates/
    rotation plan --history plan-2023.json
    rotation fairness --history plan-2023.json --plan plan-2024.json
    rotation plan --alternatives 3

Only `argparse` and `pathlib` are imported here; the solver is imported when a
command runs, so that starting the program stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rotation.domain import Committee

__all__ = ["add_history_files", "register", "run_alternatives"]


def register(subparsers: Any) -> None:
    """Add the `replan` and `fairness` sub-commands to the `rotation` command."""
    from rotation.cli import add_time_limit_argument

    replan = subparsers.add_parser(
        "replan",
        help="plan again after a change, keeping as much of the issued plan as the rules allow",
        description=(
            "Plan again after a meeting moves or is cancelled, a unit cannot come, or a unit joins or "
            "leaves. Meetings before --today (or the date the changes apply from) stay as issued; the "
            "others keep their dates and role holders wherever the rules allow. Prints what changed, for "
            "whom and why; writes the new plan (--output) and the updates and cancellations to send (--ics)."
        ),
    )
    replan.add_argument("plan", type=Path, help="the plan as issued: its JSON export, CSV, Markdown or overview.ics")
    replan.add_argument(
        "--committee", type=Path, help="the committee file (default: committee.toml in the current folder)"
    )
    changes = replan.add_argument_group("changes (each may be given more than once)")
    changes.add_argument(
        "--move", action="append", default=[], type=_move, metavar="DATE=DATE", help="move the meeting of a date"
    )
    changes.add_argument(
        "--cancel", action="append", default=[], type=_date, metavar="DATE", help="cancel the meeting of a date"
    )
    changes.add_argument(
        "--unavailable",
        action="append",
        default=[],
        type=_unavailable,
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
        type=_date,
        metavar="DATE",
        help="the changes apply from this date (a unit joins or leaves)",
    )
    changes.add_argument(
        "--today",
        type=_date,
        metavar="DATE",
        help="meetings before this date were held and stay as they are (default: --from, else the earliest date named)",
    )
    changes.add_argument(
        "--notice-weeks",
        type=_notice_weeks,
        default=None,
        metavar="WEEKS",
        help="meetings this many weeks after --today keep their role holders unless the change forces otherwise "
        "(default: 6)",
    )
    add_history_argument(replan)
    replan.add_argument("--output", "-o", type=Path, metavar="NEW.json", help="write the new plan (JSON) here")
    replan.add_argument("--ics", type=Path, metavar="DIR", help="write the updates and cancellations to send here")
    replan.add_argument(
        "--stamp",
        type=_stamp,
        metavar="TIME",
        help="DTSTAMP of the .ics files, as 2023-08-01T09:00:00Z (default: as for plan --ics)",
    )
    replan.add_argument(
        "--reminder", type=int, metavar="MINUTES", help="a reminder this long before each meeting (as when issued)"
    )
    replan.add_argument("--lang", choices=("nl", "en"), help="language of the report (default: the committee's)")
    replan.add_argument("--quiet", "-q", action="store_true", help="no progress messages")
    add_time_limit_argument(replan)
    replan.set_defaults(handler=run_replan)

    fairness = subparsers.add_parser(
        "fairness",
        help="how often each unit held each role, over the history and a plan",
        description=(
            "Count per unit and role the turns in the history (over the committee's fairness_years) and in "
            "a plan, and flag per role the unit that has waited longest."
        ),
    )
    fairness.add_argument(
        "committee", nargs="?", type=Path, help="the committee file (TOML); the built-in example when left out"
    )
    add_history_argument(fairness)
    fairness.add_argument(
        "--plan", type=Path, metavar="PLAN", help="a plan to count as well (JSON, CSV, Markdown, Excel or .ics)"
    )
    fairness.add_argument("--lang", choices=("nl", "en"), help="language of the table (default: the committee's)")
    fairness.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="PATH",
        help="write the picture (.svg) or the table (.txt) to this file instead of the terminal",
    )
    fairness.set_defaults(handler=run_fairness)


def add_history_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--history",
        action="append",
        type=Path,
        metavar="PLAN",
        help="a previous plan (JSON, CSV, Markdown, Excel or overview.ics) to continue from; may be given again",
    )


def add_history_files(committee: Committee, paths: Sequence[Path]) -> Committee:
    """`committee` with the meetings of each previous plan in `paths` added to its history."""
    from rotation.planfile import add_history

    for path in paths:
        committee = add_history(committee, path)
    return committee


# -- replan ---------------------------------------------------------------------------------------


def _notice_weeks(text: str) -> int:
    try:
        weeks = int(text)
    except ValueError:
        weeks = -1
    if not 0 <= weeks <= 52:
        raise argparse.ArgumentTypeError(f"expected a number of weeks from 0 to 52, got '{text}'")
    return weeks


def run_replan(args: argparse.Namespace) -> int:
    from rotation.cli import check_output, progress_for, require_committee
    from rotation.errors import EXIT_OK, PlanFileError
    from rotation.files import write_outputs
    from rotation.planfile import read_plan
    from rotation.render import to_json, to_table
    from rotation.replan import Changes, describe, replan

    committee = require_committee(args.committee)
    if args.history:
        committee = add_history_files(committee, args.history)
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
        progress=progress_for(args),
        time_limit=args.time_limit,
        **notice,
    )
    new_plan = result.plan
    dutch = language == "nl"
    batch = None
    if args.ics is not None:  # made before anything is written, so that a failure writes nothing
        from calendars.ics import issued_record
        from rotation.commands.ics import issue_batch
        from rotation.errors import ConfigError

        # the record of what was issued decides: updates, cancellations, and removals for the
        # coordinators of units that left (the meeting goes ahead for the others). A plan file
        # without a record was issued to the coordinators of the committee as it was before the change.
        with contextlib.suppress(ConfigError):
            issued = dataclasses.replace(
                issued, issued=issued_record(committee, issued, reminder_minutes=args.reminder)
            )
        batch = issue_batch(result.committee, issued, result.plan, args, since=result.since)
        new_plan = batch.plan
    # all the files at once: a failure (a full disk, a folder that cannot be written) leaves the earlier ones
    outputs: list[tuple[Path, str | bytes]] = list(batch.outputs(args.ics)) if batch is not None else []
    if args.output is not None:
        check_output(args.output)
        outputs.append((args.output, to_json(result.committee, new_plan)))
    if args.ics is not None and args.ics.exists() and not args.ics.is_dir():
        raise PlanFileError("this is a file, not a folder.", file=str(args.ics))
    write_outputs(outputs)
    notes = batch.stale_notes(args.ics) if batch is not None else []
    # the report comes after the files are written, so that a reader who stops early loses nothing
    print(describe(result, language))
    print(to_table(result.committee, result.plan, language), end="")
    if batch is not None:
        from rotation.commands.ics import describe_file

        print()
        for file in batch.files:
            print(f"{args.ics / file.name}  {describe_file(file, dutch)}")
        if not batch.files:
            print("Niets te versturen." if dutch else "Nothing to send.")
    if args.ics is None and result.asked.remove_units:
        names = ", ".join(result.asked.remove_units)
        print(
            f"Geef --ics MAP om afmeldingen voor de coördinator van {names} te schrijven, "
            "of haal die zelf uit de uitnodigingen."
            if dutch
            else f"Give --ics DIR to write removals for the coordinator of {names}, "
            "or remove them from the invites yourself."
        )
    for note in (*(batch.notes if batch is not None else []), *notes):
        print(f"rotation: {note}", file=sys.stderr)
    if args.output is not None:
        print(f"{args.output}  {'de nieuwe planning' if dutch else 'the new plan'}")
    if args.ics is not None:
        kept = "de nieuwe planning, zoals uitgegeven" if dutch else "the new plan, as issued"
        print(f"{args.ics / 'plan.json'}  {kept}")
    if args.output is None and args.ics is None:
        print()
        print(
            "De nieuwe planning is niet bewaard; geef --output NIEUW.json om haar te bewaren "
            "als uitgangspunt voor de volgende wijziging."
            if dutch
            else "The new plan was not kept; give --output NEW.json to keep it as the reference for the next change."
        )
    if not result.plan.optimal:
        print(
            "rotation: the solver ran out of time before it could prove this plan the best; "
            "allow more time with --time-limit.",
            file=sys.stderr,
        )
    return EXIT_OK


# -- fairness -------------------------------------------------------------------------------------

_WORDS = {
    "unit": ("Eenheid", "Unit"),
    "title_plan": (
        "Beurten per eenheid en rol: geschiedenis{since} + planning {start} – {end}",
        "Turns per unit and role: history{since} + plan {start} – {end}",
    ),
    "title": ("Beurten per eenheid en rol in de geschiedenis{since}", "Turns per unit and role in the history{since}"),
    "since": (" sinds {date}", " since {date}"),
    "legend": ("* wacht het langst op deze rol", "* has waited longest for this role"),
    "longest": ("Het langst gewacht:", "Waited longest:"),
    "never": ("nog nooit", "never"),
    "unfair": ("Oneerlijke beurten:", "Unfair turns:"),
    "fair": (
        "Geen oneerlijke beurten: niemand had een rol voor de tweede keer voordat ieder die hem kon krijgen hem had.",
        "No unfair turns: nobody held a role a second time before every unit that could take it had it once.",
    ),
    "last": ("laatst {date}", "last {date}"),
}


def _word(language: str, key: str, **values: object) -> str:
    nl, en = _WORDS[key]
    return (nl if language == "nl" else en).format(**values)


def run_fairness(args: argparse.Namespace) -> int:
    from rotation.cli import check_output, load_committee, write_output
    from rotation.errors import EXIT_OK, UsageError
    from rotation.fairness import fairness_since, role_counts
    from rotation.i18n import format_date

    committee = load_committee(args.committee)
    if args.history:
        committee = add_history_files(committee, args.history)
    language = args.lang or committee.language
    plan = None
    if args.plan is not None:
        from rotation.planfile import read_plan

        plan = read_plan(args.plan, committee)
    output = args.output
    suffix = output.suffix.lower() if output is not None else ""
    if output is not None and suffix not in (".svg", ".txt", ""):
        raise UsageError(f"rotation fairness writes .svg (the picture) or .txt (the table), not {suffix} files.")
    if output is not None:
        check_output(output)
    counts = role_counts(committee, plan)
    if suffix == ".svg":
        from rotation.documents import pictures

        assert output is not None
        write_output(pictures.fairness(committee, plan, language=language, counts=counts).encode("utf-8"), output)
        return EXIT_OK
    lines: list[str] = []
    print = lines.append  # the table is collected, then written at once
    since = fairness_since(committee, plan)
    since_text = _word(language, "since", date=format_date(since, language)) if since else ""
    if plan is not None and plan.meetings:
        # the dates of the meetings counted, whichever file the plan was read from
        start, end = format_date(plan.meetings[0].date, language), format_date(plan.meetings[-1].date, language)
        print(_word(language, "title_plan", since=since_text, start=start, end=end))
    else:
        print(_word(language, "title", since=since_text))
    print("")
    roles = committee.roles
    head = [_word(language, "unit"), *(_capital(role.label(language)) for role in roles)]
    rows = []
    for unit in committee.order:
        row = [unit]
        for role in roles:
            count = next(c for c in counts if c.unit == unit and c.role == role.key)
            if not count.eligible and not count.total:
                row.append("–")
                continue
            cell = f"{count.past}+{count.planned}" if plan is not None else str(count.past)
            row.append(cell + (" *" if count.waited_longest else ""))
        rows.append(row)
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    for index, row in enumerate([head, *rows]):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))
    print(_word(language, "legend"))
    print("")
    print(_word(language, "longest"))
    for role in roles:
        flagged = [c for c in counts if c.role == role.key and c.waited_longest]
        if not flagged:
            continue
        when = flagged[0].last
        note = _word(language, "last", date=format_date(when, language)) if when else _word(language, "never")
        print(f"  {role.label(language)}: {', '.join(c.unit for c in flagged)} ({note})")
    if plan is not None:
        from rotation.fairness import fairness_notes

        unfair = fairness_notes(committee, plan, language)
        print("")
        print(_word(language, "unfair") if unfair else _word(language, "fair"))
        lines.extend(f"  {note}" for note in unfair)
    write_output("\n".join(lines) + "\n", output)
    return EXIT_OK


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- plan --alternatives --------------------------------------------------------------------------

_ALTERNATIVE = {
    "best": ("Alternatief {i} van {n}: de beste planning", "Alternative {i} of {n}: the best plan"),
    "other": ("Alternatief {i} van {n}: {tradeoff}", "Alternative {i} of {n}: {tradeoff}"),
}


def run_alternatives(args: argparse.Namespace, committee: Committee) -> int:
    """`rotation plan --alternatives N`: up to N plans, each with a header line naming its trade-off."""
    from rotation.alternatives import alternatives
    from rotation.cli import apply_history, progress_for, write_output
    from rotation.errors import EXIT_OK, HorizonError, UsageError
    from rotation.render import plan_to_data, to_markdown, to_table

    if not 1 <= args.alternatives <= 20:
        raise UsageError("--alternatives takes 1 to 20 plans.")
    if args.format not in ("table", "markdown", "json"):
        raise UsageError("--alternatives writes a table, Markdown or JSON; choose one of these with --format.")
    if args.ics is not None:
        raise UsageError("--alternatives cannot be combined with --ics; choose a plan first.")
    committee = apply_history(args, committee)
    if args.start is not None and args.end is not None and args.end < args.start:
        raise HorizonError("--to is before --from.")
    language = args.lang or committee.language
    found = alternatives(
        committee,
        args.alternatives,
        year=args.year,
        start=args.start,
        end=args.end,
        meetings=args.meetings,
        language=language,
        progress=progress_for(args),
        time_limit=args.time_limit,
    )
    if args.format == "json":
        data = {
            "alternatives": [
                {"tradeoff": item.tradeoff, "scores": dict(item.scores), "plan": plan_to_data(item.plan)}
                for item in found
            ]
        }
        write_output(json.dumps(data, ensure_ascii=False, indent=2) + "\n", args.output)
        return EXIT_OK
    key = 0 if language == "nl" else 1
    blocks = []
    for index, item in enumerate(found, 1):
        template = _ALTERNATIVE["best" if index == 1 else "other"][key]
        title = template.format(i=index, n=len(found), tradeoff=item.tradeoff)
        if args.format == "markdown":
            blocks.append(f"### {title}\n\n{to_markdown(committee, item.plan, language)}")
        else:
            blocks.append(f"{title}\n\n{to_table(committee, item.plan, language)}")
    write_output("\n".join(blocks), args.output)
    if len(found) < args.alternatives:
        message = (
            f"er zijn maar {len(found)} planningen die aan alle regels voldoen."
            if language == "nl"
            else f"only {len(found)} plans meet every rule."
        )
        print(f"rotation: {message}", file=sys.stderr)
    return EXIT_OK


# -- option values --------------------------------------------------------------------------------


def _date(text: str) -> dt.date:
    from rotation.config import parse_date

    day = parse_date(text.strip())
    if day is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (use 2023-09-14 or 14-09-2023)")
    return day


def _move(text: str) -> tuple[dt.date, dt.date]:
    old, sep, new = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"'{text}' is not OLD=NEW, such as 07-09-2023=14-09-2023")
    return _date(old), _date(new)


def _unavailable(text: str) -> tuple[str, dt.date]:
    unit, sep, day = text.rpartition("@")
    if not sep or not unit.strip():
        raise argparse.ArgumentTypeError(f"'{text}' is not UNIT@DATE, such as Rotterdam@07-09-2023")
    return unit.strip(), _date(day)


def _stamp(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time with a zone, such as 2023-08-01T09:00:00Z")
    if not 1900 <= value.year <= 2199 or not 1900 < value.astimezone(dt.UTC).year < 2200:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time this tool uses (years 1900 to 2199)")
    return value.astimezone(dt.UTC)
