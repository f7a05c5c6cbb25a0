"""The shape of a language's catalogue: its messages by id, its plural rule and its date format."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["Catalogue", "Message"]

Message = str | tuple[str, ...]
"""A message: one text, or its plural forms (as many as the language has, chosen by its plural rule)."""


@dataclass(frozen=True)
class Catalogue:
    """One language: every message by id, how to choose a plural form, and how dates are written."""

    language: str
    """Its code, as the ``language`` key and ``--lang`` take it (``nl``, ``en``)."""
    messages: Mapping[str, Message]
    plural: Callable[[int], int]
    """The index of the plural form for a count (gettext's ``plural=`` expression)."""
    plural_forms: int
    """How many forms a plural message has (gettext's ``nplurals``)."""
    date_format: str
    """`datetime.date.strftime` format of a date in a sentence."""
