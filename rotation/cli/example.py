"""`rotation example`: print the built-in example committee file, to start from.

::

    rotation example > committee.toml
"""

from __future__ import annotations

import argparse
from typing import Any

from rotation.cli import options
from rotation.errors import EXIT_OK

__all__ = ["register", "run"]


def register(commands: Any) -> None:
    """Add `rotation example`."""
    parser = commands.add_parser(
        "example",
        help="print the built-in example committee file, to start from",
        description=(
            "Print the built-in example committee file (the national coordinators' meeting, twelve units), "
            "with a comment on every part, to start your own committee file from."
        ),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the example committee file."""
    from rotation.config import example_text

    options.write_output(example_text(), None)
    return EXIT_OK
