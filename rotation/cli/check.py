"""`rotation check`: check a planning against the committee's rules, without the solver.

::

    rotation check plan.json --committee committee.toml
    rotation check plan-2024.xlsx --history plan-2023.json --strict
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rotation.cli import options
from rotation.errors import EXIT_BROKEN_RULES, EXIT_OK
from rotation.messages import gettext, ngettext

__all__ = ["register", "run"]

MAX_WARNINGS = 5
"""Unfair turns `check` lists one by one; more are counted."""


def register(commands: Any) -> None:
    """Add `rotation check`."""
    parser = commands.add_parser(
        "check",
        help="check a planning (JSON, CSV, Markdown, Excel or .ics) against the rules",
        description=(
            "Check a planning (a JSON export, a CSV or Markdown table or an Excel sheet as 'rotation plan' "
            "writes it or as edited by hand, or an overview.ics) against the committee's rules, without the "
            "solver: one line per broken rule, then the unfair turns as warnings. Exit code 1 when a rule is "
            "broken (with --strict also for an unfair turn)."
        ),
    )
    parser.add_argument("planning", type=Path, help="the planning file (JSON, CSV, Markdown, Excel or overview.ics)")
    options.add_committee_option(parser)
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 for unfair turns too (a unit holding a role again before another had its turn)",
    )
    options.add_history_options(parser.add_argument_group("history (as the planning was made with)"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Check a planning against the committee's rules: one line per broken rule; exit 1 when any is broken."""
    from rotation.fairness import fairness_notes
    from rotation.formats import read_plan
    from rotation.planning_check import check_planning

    committee = options.apply_history(args, options.require_committee(args.committee))
    planning = read_plan(args.planning, committee)
    language = committee.language

    def shown(text: str, limit: int = 400) -> str:  # names from the file may hold anything
        text = "".join(ch if ch.isprintable() else "\ufffd" for ch in text)
        return text if len(text) <= limit else text[: limit - 1] + "…"

    if planning.committee_name and planning.committee_name != committee.name:
        options.note(
            gettext(
                language,
                "cli.check.other_committee",
                planning=shown(planning.committee_name, 80),
                committee=shown(committee.name, 80),
            )
        )
    violations = check_planning(committee, planning)
    for violation in violations:
        print(shown(violation.message))
    warnings = fairness_notes(committee, planning)
    for warning in warnings[:MAX_WARNINGS]:
        print(shown(gettext(language, "cli.check.warning", text=warning)))
    if len(warnings) > MAX_WARNINGS:
        print(ngettext(language, "cli.check.more_unfair", len(warnings) - MAX_WARNINGS))
    if warnings and not violations:
        print(ngettext(language, "cli.check.unfair_count", len(warnings)), file=sys.stderr)
        if args.strict:
            return EXIT_BROKEN_RULES
    if violations:
        print(ngettext(language, "cli.check.broken_count", len(violations)), file=sys.stderr)
        return EXIT_BROKEN_RULES
    if warnings:
        print(gettext(language, "cli.check.unfair_only"))
        return EXIT_OK
    print(gettext(language, "cli.check.fine"))
    return EXIT_OK
