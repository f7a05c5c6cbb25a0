"""Words and formats in the committee's language (Dutch or English)."""

from __future__ import annotations

import datetime as dt

from rotation.domain import Mode

__all__ = ["LANGUAGES", "format_date", "mode_label", "text", "weekday_name"]

LANGUAGES = ("nl", "en")

_WEEKDAYS = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}

_TEXT = {
    "date": {"nl": "Datum", "en": "Date"},
    "mode": {"nl": "Vorm", "en": "Mode"},
    "location": {"nl": "Locatie", "en": "Location"},
    "title": {"nl": "Bijzonderheden", "en": "Notes"},
    "fixed": {"nl": "vast", "en": "fixed"},
}

_MODES = {
    Mode.TEAMS: {"nl": "MS Teams", "en": "MS Teams"},
    Mode.PHYSICAL: {"nl": "Fysiek", "en": "Physical"},
}


def text(key: str, language: str) -> str:
    """A fixed word of the interface."""
    return _TEXT[key][language if language in LANGUAGES else "en"]


def weekday_name(index: int, language: str) -> str:
    return _WEEKDAYS[language if language in LANGUAGES else "en"][index]


def format_date(day: dt.date, language: str) -> str:
    """dd-mm-yyyy in Dutch, ISO (yyyy-mm-dd) in English."""
    return day.strftime("%d-%m-%Y") if language == "nl" else day.isoformat()


def mode_label(mode: Mode, language: str) -> str:
    return _MODES[mode][language if language in LANGUAGES else "en"]
