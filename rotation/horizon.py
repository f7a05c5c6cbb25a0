"""The period to plan and how many meetings it holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypedDict

from dateutil.relativedelta import relativedelta

from rotation.domain import Committee
from rotation.errors import HorizonError
from rotation.limits import FIRST_YEAR, LAST_YEAR
from rotation.messages import gettext, ngettext

__all__ = ["MAX_HORIZON_YEARS", "MAX_MEETINGS", "Horizon", "Period", "choose_horizon", "full_years"]

MAX_HORIZON_YEARS = 10
"""The longest period one plan covers; a longer one is refused before any work is done."""
MAX_MEETINGS = 520
"""The most meetings one plan holds (ten years of weekly meetings)."""


class Period(TypedDict, total=False):
    """The period asked for, as `rotation.plan` and `rotation.alternatives` take it and `choose_horizon` reads it:
    a year, or a start and an end; a number of meetings; and the day that counts as today."""

    year: int | None
    start: dt.date | None
    end: dt.date | None
    meetings: int | None
    today: dt.date | None


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

    def say(key: str, **values: object) -> str:
        return gettext(language, f"horizon.{key}", **values)

    if year is not None and (start is not None or end is not None):
        raise HorizonError(say("year_and_dates"), language=language)
    if year is not None:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise HorizonError(say("year_range", year=year, first=FIRST_YEAR, last=LAST_YEAR), language=language)
        first = dt.date(year, 1, 1)
        if last is not None and dt.date(year, 12, 31) <= last:
            already = say("year_in_history", year=year, last=last)
            raise HorizonError(
                already + say("year_in_history.fix"),
                command_line=already + say("year_in_history.fix_cli"),
                language=language,
            )
        start = max(first, last + dt.timedelta(days=1)) if last else first
        end = dt.date(year, 12, 31)
        held = sum(1 for meeting in committee.history if meeting.date.year == year)
        count = cadence.meetings_per_year - held
    elif start is not None or end is not None:
        if start is None:
            start = last + dt.timedelta(days=1) if last else None
            if start is None:
                raise HorizonError(say("no_start"), command_line=say("no_start_cli"), language=language)
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
            raise HorizonError(say("meetings", most=MAX_MEETINGS, meetings=repr(meetings)), language=language)
        count = meetings
    for day, what in ((start, "starts_outside"), (end, "ends_outside")):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise HorizonError(say(what, date=day, first=FIRST_YEAR, last=LAST_YEAR), language=language)
    if end < start:
        raise HorizonError(say("reversed", start=start, end=end), language=language)
    if end >= start + relativedelta(years=MAX_HORIZON_YEARS):
        raise HorizonError(say("too_long", start=start, end=end, years=MAX_HORIZON_YEARS), language=language)
    if count < 1:
        raise HorizonError(
            ngettext(language, "horizon.nothing_left", cadence.meetings_per_year, year=year), language=language
        )
    if last is not None:
        if start <= last:
            raise HorizonError(say("overlap", start=start, last=last), language=language)
        weeks = (start - last).days // 7
        if weeks >= cadence.longest_gap_weeks:
            gap = say(
                "gap",
                last=last,
                start=start,
                weeks=ngettext(language, "count.weeks", weeks),
                longest=ngettext(language, "count.weeks", cadence.longest_gap_weeks),
            )
            raise HorizonError(gap + say("gap.fix"), command_line=gap + say("gap.fix_cli"), language=language)
    per_year = () if meetings is not None else full_years(committee, start, end)
    flexible = meetings is None and year is None and not per_year
    return Horizon(start=start, end=end, meetings=count, per_year=per_year, flexible=flexible)
