"""Words and formats in the committee's language (see `rotation.messages`)."""

from __future__ import annotations

import datetime as dt

from rotation.domain import Mode
from rotation.messages import gettext, languages, show

__all__ = ["LANGUAGES", "format_date", "mode_label", "text", "weekday_name"]

LANGUAGES = languages()
"""The languages the program ships (a catalogue registered later speaks too; see `rotation.messages.register`)."""

_TEXT = {"date": "column.date", "mode": "column.mode", "location": "column.location", "title": "column.title"}


def text(key: str, language: str) -> str:
    """A fixed word of the interface."""
    return gettext(language, _TEXT.get(key, f"word.{key}"))


def weekday_name(index: int, language: str) -> str:
    return gettext(language, f"weekday.{index}")


def format_date(day: dt.date, language: str) -> str:
    """A date as a sentence in `language` writes it (dd-mm-yyyy in Dutch, ISO yyyy-mm-dd in English)."""
    return show(day, language)


def mode_label(mode: Mode, language: str) -> str:
    return show(mode, language)
