"""The days a meeting may fall on."""

from __future__ import annotations

import datetime as dt

from dateutil import rrule

__all__ = ["weekdays"]


def weekdays(weekday: int, start: dt.date, end: dt.date) -> list[dt.date]:
    """Every `weekday` (0 is Monday) from `start` to `end`, both included.

    >>> weekdays(3, dt.date(2027, 1, 1), dt.date(2027, 1, 31))
    [datetime.date(2027, 1, 7), datetime.date(2027, 1, 14), datetime.date(2027, 1, 21), datetime.date(2027, 1, 28)]
    """
    if end < start:
        return []
    rule = rrule.rrule(
        rrule.WEEKLY,
        byweekday=weekday,
        dtstart=dt.datetime.combine(start, dt.time()),
        until=dt.datetime.combine(end, dt.time()),
    )
    return [moment.date() for moment in rule]
