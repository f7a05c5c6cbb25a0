"""What every planning reader says the same way: dates this tool plans, values shortened for messages."""

from __future__ import annotations

import datetime as dt

from rotation.errors import PlanFileError
from rotation.limits import FIRST_YEAR, LAST_YEAR

__all__ = ["in_range", "shorten", "show"]


def in_range(day: dt.date, source: str, line: int | None) -> dt.date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PlanFileError(
            f"{day.isoformat()} is not a date this tool plans; use a year from {FIRST_YEAR} to {LAST_YEAR}.",
            file=source,
            line=line,
        )
    return day


def shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show(value: object) -> str:
    return shorten(repr(value))
