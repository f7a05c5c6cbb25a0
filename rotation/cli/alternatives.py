"""`rotation plan --alternatives N`: up to N good plans, the best first, each with its trade-off.

::

    rotation plan --alternatives 3 --lang en
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from rotation.cli import options
from rotation.errors import EXIT_OK, UsageError
from rotation.messages import ngettext

if TYPE_CHECKING:
    from rotation.domain import Committee

__all__ = ["run_alternatives"]


def run_alternatives(args: argparse.Namespace, committee: Committee) -> int:
    """`rotation plan --alternatives N`: up to N plans, each with a header line naming its trade-off."""
    from rotation.alternatives import alternatives
    from rotation.outputs import alternatives_output

    if not 1 <= args.alternatives <= 20:
        raise UsageError("--alternatives takes 1 to 20 plans.")
    if args.format not in ("table", "markdown", "json"):
        raise UsageError("--alternatives writes a table, Markdown or JSON; choose one of these with --format.")
    if args.ics is not None:
        raise UsageError("--alternatives cannot be combined with --ics; choose a plan first.")
    committee = options.apply_history(args, committee)
    options.check_period(args)
    language = args.lang or committee.language
    found = alternatives(
        committee,
        args.alternatives,
        year=args.year,
        start=args.start,
        end=args.end,
        meetings=args.meetings,
        language=language,
        progress=options.progress_for(args),
        time_limit=args.time_limit,
    )
    options.write_output(alternatives_output(args.format, committee, found, language=language), args.output)
    if len(found) < args.alternatives:
        options.note(ngettext(language, "cli.alternatives.fewer", len(found)))
    return EXIT_OK
