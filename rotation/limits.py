"""What a committee file and a committee may hold: sizes, lengths, counts, years and reserved names.

The committee reader (`rotation.config`) and the committee validator
(`rotation.committee_check`) both hold a committee to these limits, and word
their messages with `kind_name` and `show`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

__all__ = [
    "EMAIL",
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_ENTRIES",
    "MAX_FILE_BYTES",
    "MAX_LIST",
    "MAX_NAME",
    "MAX_TEXT",
    "MAX_UNAVAILABLE_DAYS",
    "MULTI_LINE",
    "RESERVED_LABELS",
    "ROLE_KEY",
    "kind_name",
    "show",
    "text_problem",
]

MAX_FILE_BYTES = 2_000_000
"""The largest committee file read."""
MAX_NAME = 200
"""The longest name (of the committee, a unit, a role, a person)."""
MAX_TEXT = 2_000
"""The longest text that may run over several lines (a location, a title, a reason), and the Teams link."""
MAX_ENTRIES = {"units": 1_000, "roles": 50, "fixed": 5_000, "history": 20_000, "periods": 5_000}
"""The longest lists a committee file may hold, per key."""
MAX_LIST = 5_000
"""The longest list of names or dates (aliases, unavailable dates, study days)."""
MAX_UNAVAILABLE_DAYS = 36_600
"""The most days a unit's unavailable periods may cover together (a hundred years)."""
FIRST_YEAR = 1900
LAST_YEAR = 2199
"""Dates in a committee file or planning lie in these years."""
RESERVED_LABELS = frozenset({"datum", "date", "vorm", "mode", "locatie", "location"})
"""Headings of the planning table's own columns, in both languages: no role may be called so."""
MULTI_LINE = frozenset({"location", "title", "reason", "venue", "physical_location", "teams_location"})
"""Keys whose text may run over several lines."""
ROLE_KEY = re.compile(r"[a-z][a-z0-9_]*")
"""A role key: lower-case letters, digits and _, starting with a letter."""
EMAIL = re.compile(r"[^@\s\"<>,;]+@[^@\s\"<>,;]+\.[^@\s\"<>,;]+")
"""An e-mail address, as far as a committee file is concerned."""

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def text_problem(value: str, *, limit: int, multi_line: bool) -> str | None:
    """Why `value` cannot be used as a name or text, or None when it can.

    Control characters (a terminal would run them), bidirectional overrides (they
    make a name read differently from what it is) and, outside multi-line texts,
    line breaks and tabs are refused, as are texts over `limit` characters.
    """
    if len(value) > limit:
        return f"the text is {len(value):,} characters; at most {limit:,} are allowed."
    for ch in value:
        if ch in "\r\n" and not multi_line:
            return "the text may not contain a line break."
        if ch in "\r\n\t" and multi_line:
            continue
        if unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS:
            return f"the text contains the control character U+{ord(ch):04X}; remove it."
    return None


def kind_name(kind: type) -> str:
    """The name of a type of value as a committee file's reader knows it ("a whole number")."""
    return {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
        dt.date: "a date",
        dt.datetime: "a date and time",
        dt.time: "a time",
    }.get(kind, kind.__name__)


def show(value: object) -> str:
    """`value` as written in a message, cut short after 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
