"""A rule-based VTIMEZONE block for a time zone, the kind Outlook reads correctly.

Outlook understands a time zone only as one yearly rule for the change to
summer time and one for the change back ([MS-STANOICAL] 2.2.47, [MS-OXCICAL]
RRULE). A list of dated transitions, as ``Calendar.add_missing_timezones()``
writes it, makes Outlook misplace meetings by an hour. So the block is built
here from the zone's current rule: the POSIX TZ string at the end of the
system's compiled zone file (``CET-1CEST,M3.5.0,M10.5.0/3`` for
Europe/Amsterdam) becomes

.. code-block:: text

    BEGIN:VTIMEZONE
    TZID:Europe/Amsterdam
    BEGIN:STANDARD
    DTSTART:19701025T030000
    RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
    TZNAME:CET
    TZOFFSETFROM:+0200
    TZOFFSETTO:+0100
    END:STANDARD
    BEGIN:DAYLIGHT
    DTSTART:19700329T020000
    RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
    ...

Zones without summer time get one STANDARD block. A zone whose rule cannot be
written as "the n-th (or last) weekday of a month" at a time within that day
(Chile's changes at 24:00, Greenland's at -1:00) raises a `ConfigError`.
`check_times` confirms that the rule gives the same UTC offset as the full
zone history for the meetings' own dates, so a zone that changed its rules
recently is caught instead of being written an hour off.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import os
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from rotation.errors import ConfigError

if TYPE_CHECKING:
    from icalendar import Component, Timezone

__all__ = ["ZoneRules", "check_times", "vtimezone", "zone_rules"]

_WEEKDAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")
"""iCalendar weekday names in POSIX order (0 is Sunday)."""

_EPOCH_YEAR = 1970
_KEY = "cadence.timezone"

_NAME = r"(?:<[+\-0-9A-Za-z]+>|[A-Za-z]{3,})"
_OFFSET = r"[+-]?\d{1,2}(?::\d{2}){0,2}"
_POSIX = re.compile(
    rf"^(?P<std>{_NAME})(?P<std_offset>{_OFFSET})"
    rf"(?:(?P<dst>{_NAME})(?P<dst_offset>{_OFFSET})?"
    r",(?P<start>[^,]+),(?P<end>[^,]+))?$"
)
_TRANSITION = re.compile(
    r"^M(?P<month>\d{1,2})\.(?P<week>[1-5])\.(?P<weekday>[0-6])(?:/(?P<time>-?\d{1,3}(?::\d{2}){0,2}))?$"
)


@dataclass(frozen=True)
class Transition:
    """A yearly change: the `week`-th (5 is the last) `weekday` of `month`, at local time `at`."""

    month: int
    week: int
    weekday: int
    """0 is Sunday, as in POSIX TZ strings."""
    at: dt.timedelta
    """The local time of the change, on the clock that was in force before it."""

    def day(self, year: int) -> dt.date:
        """The date of the change in `year`."""
        python_weekday = (self.weekday - 1) % 7  # Python counts from Monday
        days = [
            week[python_weekday]
            for week in _calendar.Calendar().monthdayscalendar(year, self.month)
            if week[python_weekday]
        ]
        return dt.date(year, self.month, days[-1] if self.week == 5 else days[self.week - 1])

    def local(self, year: int) -> dt.datetime:
        return dt.datetime.combine(self.day(year), dt.time()) + self.at

    @property
    def byday(self) -> str:
        return f"{-1 if self.week == 5 else self.week}{_WEEKDAYS[self.weekday]}"


@dataclass(frozen=True)
class ZoneRules:
    """The current yearly rules of a time zone."""

    key: str
    standard_name: str
    standard_offset: dt.timedelta
    daylight_name: str | None = None
    daylight_offset: dt.timedelta | None = None
    daylight_start: Transition | None = None
    """When the `daylight_offset` begins (on the standard clock)."""
    daylight_end: Transition | None = None
    """When the `standard_offset` comes back (on the daylight clock)."""

    def utcoffset(self, local: dt.datetime) -> dt.timedelta:
        """The offset these rules give for a wall-clock time (naive `local`)."""
        if self.daylight_offset is None or self.daylight_start is None or self.daylight_end is None:
            return self.standard_offset
        begins = self.daylight_start.local(local.year) - self.standard_offset
        ends = self.daylight_end.local(local.year) - self.daylight_offset

        def daylight_at(instant: dt.datetime) -> bool:
            return begins <= instant < ends if begins < ends else instant >= begins or instant < ends

        fitting = [
            offset
            for offset, daylight in ((self.daylight_offset, True), (self.standard_offset, False))
            if daylight_at(local - offset) is daylight
        ]
        # A time that occurs twice is read as its first occurrence and a time that
        # the clock skips with the offset before the change, as zoneinfo does.
        return max(fitting) if fitting else min(self.daylight_offset, self.standard_offset)


def zone_rules(key: str, *, source: str | None = None) -> ZoneRules:
    """The current rules of the IANA time zone `key` (``Europe/Amsterdam``).

    Raises `ConfigError` for an unknown zone or one whose rule Outlook cannot hold.
    """
    text = _posix_string(key, source)
    match = _POSIX.match(text)
    if not match:
        raise _unsupported(key, source, f"its rule '{text}' is not a rule this program can read")
    standard_offset = _offset(match["std_offset"])
    rules = ZoneRules(key=key, standard_name=_name(match["std"]), standard_offset=standard_offset)
    if not match["dst"]:
        return rules
    daylight_offset = _offset(match["dst_offset"]) if match["dst_offset"] else standard_offset + dt.timedelta(hours=1)
    return ZoneRules(
        key=key,
        standard_name=rules.standard_name,
        standard_offset=standard_offset,
        daylight_name=_name(match["dst"]),
        daylight_offset=daylight_offset,
        daylight_start=_transition(match["start"], key, source),
        daylight_end=_transition(match["end"], key, source),
    )


def vtimezone(key: str, *, source: str | None = None) -> Timezone:
    """A VTIMEZONE component for `key` with one yearly RRULE per observance.

    The observance with the larger offset is written as DAYLIGHT, so a zone
    whose legal "standard" time is its summer time (Europe/Dublin) still shows
    Outlook a winter STANDARD and a summer DAYLIGHT block.
    """
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    rules = zone_rules(key, source=source)
    zone = Timezone.new()
    zone.add("TZID", key)
    if rules.daylight_offset is None or rules.daylight_start is None or rules.daylight_end is None:
        standard = TimezoneStandard.new()
        _observance(standard, rules.standard_name, rules.standard_offset, rules.standard_offset, None)
        zone.add_component(standard)
        return zone
    to_daylight = (rules.daylight_name or "", rules.standard_offset, rules.daylight_offset, rules.daylight_start)
    to_standard = (rules.standard_name, rules.daylight_offset, rules.standard_offset, rules.daylight_end)
    summer, winter = (
        (to_daylight, to_standard) if rules.daylight_offset > rules.standard_offset else (to_standard, to_daylight)
    )
    standard = TimezoneStandard.new()
    _observance(standard, *winter)
    daylight = TimezoneDaylight.new()
    _observance(daylight, *summer)
    zone.add_component(standard)
    zone.add_component(daylight)
    return zone


def check_times(key: str, moments: Iterable[dt.datetime], *, source: str | None = None) -> None:
    """Raise `ConfigError` when the yearly rule and the zone's history disagree on a moment.

    `moments` are aware datetimes in the zone `key`. They disagree for dates
    before the zone took up its current rule (or after a change that is already
    announced), and Outlook would then show the meeting an hour off.
    """
    rules = zone_rules(key, source=source)
    for moment in moments:
        expected = moment.utcoffset()
        if expected is None or rules.utcoffset(moment.replace(tzinfo=None)) != expected:
            raise ConfigError(
                f"the time zone '{key}' does not follow its current yearly rule on {moment:%Y-%m-%d %H:%M}, "
                "so Outlook would show that meeting at the wrong time; plan meetings within the years "
                "the zone's current rule covers.",
                file=source,
                key=_KEY,
            )


def _observance(
    component: Component,
    name: str,
    offset_from: dt.timedelta,
    offset_to: dt.timedelta,
    transition: Transition | None,
) -> None:
    start = transition.local(_EPOCH_YEAR) if transition else dt.datetime(_EPOCH_YEAR, 1, 1)
    component.add("DTSTART", start)
    component.add("TZOFFSETFROM", offset_from)
    component.add("TZOFFSETTO", offset_to)
    if transition:
        component.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": [transition.month], "BYDAY": [transition.byday]})
    component.add("TZNAME", name)


def _posix_string(key: str, source: str | None) -> str:
    try:
        zoneinfo.ZoneInfo(key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
        raise ConfigError(
            f"'{key}' is not a known time zone; use an IANA name such as 'Europe/Amsterdam'.",
            file=source,
            key=_KEY,
        ) from err
    data = _zone_file(key)
    if data is None or not data.startswith(b"TZif"):
        raise _unsupported(key, source, "its compiled zone file cannot be found")
    footer = data.rstrip(b"\n").rsplit(b"\n", 1)
    if len(footer) != 2 or data[4:5] in (b"\0", b""):
        raise _unsupported(key, source, "its compiled zone file holds no yearly rule")
    return footer[1].decode("ascii", "replace")


def _zone_file(key: str) -> bytes | None:
    for folder in zoneinfo.TZPATH:
        path = os.path.join(folder, key)
        if os.path.isfile(path):
            with open(path, "rb") as stream:
                return stream.read()
    try:
        resource = resources.files("tzdata").joinpath("zoneinfo", *key.split("/"))
        return resource.read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return None


def _transition(text: str, key: str, source: str | None) -> Transition:
    match = _TRANSITION.match(text)
    if not match:
        raise _unsupported(key, source, f"its change of clock '{text}' is not 'the n-th weekday of a month'")
    at = _offset(match["time"] or "2", sign=1)
    if not dt.timedelta(0) <= at < dt.timedelta(days=1):
        raise _unsupported(key, source, f"its clock changes at {match['time']}:00, outside the day Outlook can hold")
    month = int(match["month"])
    if not 1 <= month <= 12:
        raise _unsupported(key, source, f"its change of clock '{text}' names no month")
    return Transition(month=month, week=int(match["week"]), weekday=int(match["weekday"]), at=at)


def _offset(text: str, *, sign: int = -1) -> dt.timedelta:
    """A POSIX offset (``-1``, ``5``, ``-3:30``) as a timedelta; POSIX counts west as positive."""
    negative = text.startswith("-")
    parts = [int(part) for part in text.lstrip("+-").split(":")]
    hours, minutes, seconds = (*parts, 0, 0)[:3]
    value = dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)
    return sign * (-value if negative else value)


def _name(text: str) -> str:
    return text.strip("<>")


def _unsupported(key: str, source: str | None, why: str) -> ConfigError:
    return ConfigError(
        f"the time zone '{key}' cannot be written as a rule-based VTIMEZONE for Outlook: {why}.",
        file=source,
        key=_KEY,
    )
