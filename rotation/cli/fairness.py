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


def run(args: argparse.Namespace) -> int:
    """Print or write the table of turns per unit and role, or write its picture."""
    from rotation.errors import UsageError
    from rotation.fairness import fairness_since, role_counts
    from rotation.i18n import format_date

    committee = options.apply_history(args, options.load_committee(options.committee_path(args)))
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
        options.check_output(output)
    counts = role_counts(committee, plan)
    if suffix == ".svg":
        from rotation.documents import pictures

        assert output is not None
        options.write_output(
            pictures.fairness(committee, plan, language=language, counts=counts).encode("utf-8"), output
        )
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
    options.write_output("\n".join(lines) + "\n", output)
    return EXIT_OK


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
