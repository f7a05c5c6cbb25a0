"""The period to plan and how many meetings it holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from rotation.domain import Committee
from rotation.errors import HorizonError
from rotation.i18n import format_date
from rotation.limits import FIRST_YEAR, LAST_YEAR

__all__ = ["MAX_HORIZON_YEARS", "MAX_MEETINGS", "Horizon", "choose_horizon", "full_years"]

MAX_HORIZON_YEARS = 10
"""The longest period one plan covers; a longer one is refused before any work is done."""
MAX_MEETINGS = 520
"""The most meetings one plan holds (ten years of weekly meetings)."""


@dataclass(frozen=True)
class Horizon:
    """The days to plan (both ends included) and the meetings to place in them."""

    start: dt.date
    end: dt.date
    meetings: int
    per_year: tuple[tuple[int, int], ...] = ()
    """Calendar years wholly inside the horizon, with the number of meetings each must hold."""
    flexible: bool = False
    """The number of meetings follows from the cadence and may be one less when they do not fit."""


def full_years(committee: Committee, start: dt.date, end: dt.date) -> tuple[tuple[int, int], ...]:
    """Calendar years that lie wholly inside `start`..`end`, each with the meetings it must hold."""
    count = committee.cadence.meetings_per_year
    return tuple(
        (year, count)
        for year in range(start.year, end.year + 1)
        if start <= dt.date(year, 1, 1) and dt.date(year, 12, 31) <= end
    )


def choose_horizon(
    committee: Committee,
    *,
    year: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    meetings: int | None = None,
    today: dt.date | None = None,
) -> Horizon:
    """The horizon for `--year`, for `--from/--to`, or by default.

    By default the twelve months after the last meeting in the history, or
    the calendar year after `today` when there is no history.
    """
    cadence = committee.cadence
    last = committee.history[-1].date if committee.history else None
    language = committee.language
    if year is not None and (start is not None or end is not None):
        raise HorizonError("give either a year or a start and end date, not both.")
    if year is not None:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise HorizonError(f"{year} is not a year this tool plans; plan a year from {FIRST_YEAR} to {LAST_YEAR}.")
        first = dt.date(year, 1, 1)
        if last is not None and dt.date(year, 12, 31) <= last:
            already = f"{year} is already in the history, which runs to {format_date(last, language)}; "
            raise HorizonError(
                already + "plan a later year, or plan the twelve months after the history.",
                command_line=already
                + "plan a later year, or leave out --year to plan the twelve months after the history.",
            )
        start = max(first, last + dt.timedelta(days=1)) if last else first
        end = dt.date(year, 12, 31)
        held = sum(1 for meeting in committee.history if meeting.date.year == year)
        count = cadence.meetings_per_year - held
    elif start is not None or end is not None:
        if start is None:
            start = last + dt.timedelta(days=1) if last else None
            if start is None:
                raise HorizonError(
                    "give a start date as well: there is no history to start after.",
                    command_line="give a start date (--from) as well: there is no history to start after.",
                )
        if end is None:
            end = start + relativedelta(years=1) - dt.timedelta(days=1)
        days = (end - start).days + 1
        count = max(1, round(cadence.meetings_per_year * days / 365.25))
    elif last is not None:
        start = last + dt.timedelta(days=1)
        end = last + relativedelta(years=1)
        count = cadence.meetings_per_year
    else:
        next_year = (today or dt.date.today()).year + 1
        start, end = dt.date(next_year, 1, 1), dt.date(next_year, 12, 31)
        count = cadence.meetings_per_year
    if meetings is not None:
        if isinstance(meetings, bool) or not isinstance(meetings, int) or not 1 <= meetings <= MAX_MEETINGS:
            raise HorizonError(f"the number of meetings must be from 1 to {MAX_MEETINGS}, not {meetings!r}.")
        count = meetings
    for day, what in ((start, "starts"), (end, "ends")):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise HorizonError(
                f"the planning {what} on {format_date(day, language)}; this tool plans dates from "
                f"{FIRST_YEAR} to {LAST_YEAR}."
            )
    if end < start:
        raise HorizonError(
            f"the planning ends ({format_date(end, language)}) before it starts ({format_date(start, language)})."
        )
    if end >= start + relativedelta(years=MAX_HORIZON_YEARS):
        raise HorizonError(
            f"the planning runs from {format_date(start, language)} to {format_date(end, language)}; "
            f"one plan covers at most {MAX_HORIZON_YEARS} years: plan the years one after another."
        )
    if count < 1:
        raise HorizonError(
            f"the history already holds {cadence.meetings_per_year} meetings in {year}; there is nothing left to plan."
        )
    if last is not None:
        if start <= last:
            raise HorizonError(
                f"the planning starts on {format_date(start, language)}, but the history runs to "
                f"{format_date(last, language)}; start after the last meeting in the history."
            )
        weeks = (start - last).days // 7
        if weeks >= cadence.longest_gap_weeks:
            gap = (
                f"the history ends on {format_date(last, language)}, {weeks} weeks before the planning starts on "
                f"{format_date(start, language)}; with at most {cadence.longest_gap_weeks} weeks between meetings the "
                "meetings in between are missing, and the chains of roles cannot continue without them. "
            )
            raise HorizonError(
                gap + "Add the meetings held since then to the history (or plan the missing period first and add "
                "its meetings to the history), plan from the end of the history, or start the rotation afresh "
                "without the history.",
                command_line=gap
                + "Add the meetings held since then to the history (or plan the missing period first and pass its "
                "export with --history), plan from the end of the history (leave out --year), or start the rotation "
                "afresh with --no-history.",
            )
    per_year = () if meetings is not None else full_years(committee, start, end)
    flexible = meetings is None and year is None and not per_year
    return Horizon(start=start, end=end, meetings=count, per_year=per_year, flexible=flexible)
