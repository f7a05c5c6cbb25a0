"""The committee, its rules and its plans, as plain frozen data.

Nothing here knows about OR-Tools or iCalendar: the solver (`rotation.model`)
and the calendar writers (`calendars`) are adapters around these types.
"""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rotation.limits import MAX_UNAVAILABLE_DAYS

__all__ = [
    "FIXED_NEAR_DAYS",
    "Blackout",
    "BlackoutRules",
    "Cadence",
    "Chain",
    "Committee",
    "FixedMeeting",
    "Invites",
    "IssuedMeeting",
    "Meeting",
    "MeetingIds",
    "Mode",
    "Modes",
    "PastMeeting",
    "Person",
    "Plan",
    "Role",
    "Unit",
    "normalise_name",
    "spans_summer",
]

FIXED_NEAR_DAYS = 6
"""A fixed meeting found this many days or fewer from its date counts as written off its date, not as missing."""


class Mode(enum.StrEnum):
    """How a meeting is held."""

    TEAMS = "teams"
    PHYSICAL = "physical"

    @property
    def other(self) -> Mode:
        return Mode.PHYSICAL if self is Mode.TEAMS else Mode.TEAMS


def normalise_name(name: str) -> str:
    """The form in which unit names and aliases are compared.

    Case, accents, spaces, dots and hyphens do not matter:
    ``"ZW Brabant"``, ``"zw-brabant"`` and ``"ZW-Brabant"`` are the same name.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in letters.casefold() if ch.isalnum())


@dataclass(frozen=True)
class Person:
    """Someone with a name and a mailbox (a coordinator, the secretary)."""

    name: str
    email: str | None = None


@dataclass(frozen=True)
class Unit:
    """A member unit of the committee."""

    name: str
    short: str | None = None
    aliases: tuple[str, ...] = ()
    coordinator: Person | None = None
    venue: str | None = None
    unavailable: tuple[dt.date, ...] = ()
    """Dates on which the unit holds no role; every day of `unavailable_periods` is among them."""
    unavailable_periods: tuple[Blackout, ...] = ()
    """Periods in which the unit holds no role (both ends included), with their reason."""

    def __post_init__(self) -> None:
        # the periods' days join the single dates, so that everything that looks at dates sees the periods
        if not self.unavailable_periods:
            return
        try:
            spans = [(period.start, (period.end - period.start).days) for period in self.unavailable_periods]
            if any(length < 0 for _, length in spans) or sum(length for _, length in spans) > MAX_UNAVAILABLE_DAYS:
                return  # `rotation.committee_check` says what is wrong with the periods
            days = {start + dt.timedelta(days=offset) for start, length in spans for offset in range(length + 1)}
            object.__setattr__(self, "unavailable", tuple(sorted({*self.unavailable, *days})))
        except (AttributeError, TypeError, OverflowError):
            return

    @property
    def names(self) -> tuple[str, ...]:
        """Every name by which the unit may be referred to."""
        extra = (self.short,) if self.short else ()
        return (self.name, *extra, *self.aliases)


@dataclass(frozen=True)
class Role:
    """A role that rotates across the units at every meeting."""

    key: str
    label_nl: str
    label_en: str
    eligible: tuple[str, ...] = ()
    """Names of the units that may hold the role; empty means all units."""
    agenda: bool = False
    """Whether the holder brings an item to the meeting (a case, a talk): the invites list it on the agenda.
    Roles that run the meeting (the chair, the minute-taker) do not."""

    def label(self, language: str) -> str:
        return self.label_nl if language == "nl" else self.label_en


@dataclass(frozen=True)
class Chain:
    """A succession: the holder of `source` at one meeting holds `target` at the next.

    In the example, the minute-taker of a meeting chairs the next one
    (``Chain(source="minute_taker", target="chair")``) and the knowledge
    presenter brings the next case (``Chain(source="knowledge", target="case")``).
    A meeting at which either role was pinned in advance is jumped over.
    """

    source: str
    target: str


@dataclass(frozen=True)
class Cadence:
    """When meetings happen."""

    weekday: int = 3
    """0 is Monday; the default 3 is Thursday."""
    meetings_per_year: int = 6
    min_gap_weeks: int = 8
    max_gap_weeks: int = 10
    start: dt.time = dt.time(10, 0)
    end: dt.time = dt.time(12, 30)
    timezone: str = "Europe/Amsterdam"
    preferred_weeks: tuple[int, ...] = ()
    """ISO week numbers the committee likes to meet in (a preference, not a rule)."""
    summer_max_gap_weeks: int | None = None
    """The longest gap over the summer (a gap that spans 1 August); None: `max_gap_weeks`."""

    @property
    def longest_gap_weeks(self) -> int:
        """The longest gap any two consecutive meetings may have."""
        return max(self.max_gap_weeks, self.summer_max_gap_weeks or 0)

    def max_gap_between(self, earlier: dt.date, later: dt.date) -> int:
        """The longest gap allowed between meetings on `earlier` and `later`: longer over the summer."""
        if self.summer_max_gap_weeks is not None and spans_summer(earlier, later):
            return self.summer_max_gap_weeks
        return self.max_gap_weeks


def spans_summer(earlier: dt.date, later: dt.date) -> bool:
    """Whether 1 August of some year falls after `earlier` and on or before `later`."""
    return any(earlier < dt.date(year, 8, 1) <= later for year in range(earlier.year, later.year + 1))


@dataclass(frozen=True)
class Invites:
    """How the invites behave in the coordinators' calendars (the ``[invites]`` table)."""

    reminder: int | None = None
    """Minutes before each meeting that Outlook reminds the attendees (a VALARM); None: no reminder."""
    counter_proposals: bool = True
    """Whether attendees may propose another time; False writes ``X-MICROSOFT-DISALLOW-COUNTER:TRUE``."""


@dataclass(frozen=True)
class Modes:
    """Online and physical meetings."""

    alternate: bool = True
    teams_location: str = "Microsoft Teams-vergadering"
    teams_link: str | None = None
    physical_location: str | None = None
    """Where physical meetings are held when the host unit has no venue."""
    physical_host: str | None = "chair"
    """The role whose unit hosts a physical meeting at its venue (None: always `physical_location`)."""
    first: Mode = Mode.PHYSICAL
    """The mode of the first meeting when there is no history."""


@dataclass(frozen=True)
class Blackout:
    """A period in which no meeting may be held (both ends included)."""

    start: dt.date
    end: dt.date
    reason: str
    kind: str = "period"
    """One of ``period``, ``public_holiday``, ``school_holiday``, ``study_day``, ``unit``."""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


@dataclass(frozen=True)
class BlackoutRules:
    """The blackout periods as configured; `calendars.blackouts` turns them into dates."""

    public_holidays: bool = True
    country: str = "NL"
    school_regions: tuple[str, ...] = ()
    """Names of school-holiday regions (for NL: ``noord``, ``midden``, ``zuid``)."""
    study_days: tuple[dt.date, ...] = ()
    periods: tuple[Blackout, ...] = ()


@dataclass(frozen=True)
class FixedMeeting:
    """A meeting fixed in advance: its date, and optionally its mode, place and role holders."""

    date: dt.date
    mode: Mode | None = None
    location: str | None = None
    roles: Mapping[str, str] = field(default_factory=dict)
    """Pinned role holders (role key to unit name)."""
    title: str | None = None
    id: str | None = None

    @property
    def pinned_roles(self) -> tuple[str, ...]:
        """The roles whose holders are fixed in advance, as on a `Meeting`."""
        return tuple(self.roles)


@dataclass(frozen=True)
class PastMeeting:
    """A meeting that took place: part of the history the plan continues."""

    date: dt.date
    mode: Mode | None = None
    location: str | None = None
    roles: Mapping[str, str] = field(default_factory=dict)
    pinned_roles: tuple[str, ...] = ()
    """Roles that were pinned in advance (a chain jumps over them); key `pinned` in the committee file."""
    id: str | None = None


@dataclass(frozen=True)
class Committee:
    """A committee: its units, roles, rules and history."""

    name: str
    units: tuple[Unit, ...]
    roles: tuple[Role, ...]
    chains: tuple[Chain, ...] = ()
    rotation: tuple[str, ...] = ()
    """Unit names in rotation order; empty means the order of `units`."""
    language: str = "nl"
    cadence: Cadence = Cadence()
    modes: Modes = Modes()
    blackouts: BlackoutRules = BlackoutRules()
    fixed: tuple[FixedMeeting, ...] = ()
    history: tuple[PastMeeting, ...] = ()
    secretary: Person | None = None
    invites: Invites = Invites()
    fairness_years: int | None = None
    """Count role turns over this many past years (None: the whole history)."""
    source: str | None = None
    """The file the committee was read from, for messages."""

    @property
    def order(self) -> tuple[str, ...]:
        """Unit names in rotation order."""
        return self.rotation or tuple(unit.name for unit in self.units)

    def unit(self, name: str) -> Unit:
        """The unit called `name` (or one of its short names and aliases).

        Raises `KeyError` when no unit has that name.
        """
        wanted = normalise_name(name)
        for unit in self.units:
            if any(normalise_name(alias) == wanted for alias in unit.names):
                return unit
        raise KeyError(name)

    def role(self, key: str) -> Role:
        for role in self.roles:
            if role.key == key:
                return role
        raise KeyError(key)

    def eligible(self, role_key: str) -> tuple[str, ...]:
        """Unit names that may hold the role, in rotation order."""
        allowed = set(self.role(role_key).eligible)
        return tuple(name for name in self.order if not allowed or name in allowed)

    def chain_units(self, chain: Chain) -> tuple[str, ...]:
        """Units that take part in a chain: eligible for both of its roles."""
        target = set(self.eligible(chain.target))
        return tuple(name for name in self.eligible(chain.source) if name in target)

    @property
    def role_keys(self) -> tuple[str, ...]:
        return tuple(role.key for role in self.roles)

    def fairness_start(self, before: dt.date) -> dt.date | None:
        """The first history date whose turns count for fairness in a plan from `before`: `fairness_years` back.

        None when every past meeting counts (no `fairness_years`).
        """
        if not self.fairness_years:
            return None
        return before - dt.timedelta(days=round(365.25 * self.fairness_years))

    def fixed_moved(self, dates: Iterable[dt.date]) -> list[tuple[FixedMeeting, dt.date]]:
        """The fixed meetings that `dates` hold a few days off their own date, each with the date that holds it.

        A fixed meeting whose own date is not among `dates`, with exactly one of
        them less than a week away (`FIXED_NEAR_DAYS`), is taken to be written on
        that date by mistake (17-03-2023 for the fixed meeting of 16-03-2023): a
        table read back honours its pinned roles there, and `check` reports the date.
        """
        present = set(dates)
        out = []
        for fixed in self.fixed:
            if fixed.date in present:
                continue
            near = sorted(day for day in present if abs((day - fixed.date).days) <= FIXED_NEAR_DAYS)
            if len(near) == 1:
                out.append((fixed, near[0]))
        return out

    def place(self, mode: Mode, roles: Mapping[str, str], fixed_location: str | None = None) -> str:
        """Where a meeting is held: the fixed location, the host unit's venue, or the committee's default."""
        modes = self.modes
        if fixed_location:
            return fixed_location
        if mode is Mode.TEAMS:
            return modes.teams_location
        host = roles.get(modes.physical_host) if modes.physical_host else None
        if host is not None:
            try:
                venue = self.unit(host).venue
            except KeyError:  # a unit the committee does not know (a planning made by hand)
                venue = None
            if venue:
                return venue
        return modes.physical_location or host or ""

    def carrier(self, chain: Chain) -> str | None:
        """The unit that carries `chain` out of the history: its source holder where the chain last ran."""
        for meeting in reversed(self.history):
            pinned = self.pinned_at(meeting)
            if chain.source in pinned or chain.target in pinned:
                continue
            return meeting.roles.get(chain.source)
        return None

    def pinned_at(self, meeting: PastMeeting) -> frozenset[str]:
        """The roles of a past meeting that were fixed in advance, so that chains jump over them.

        These are the roles the meeting lists as `pinned`, the roles a fixed
        meeting on the same date pins, and roles that only a pinned meeting can
        explain: a role held by a unit that is not eligible for it, or a unit
        holding two roles that are linked by a chain.
        """
        pinned = set(meeting.pinned_roles)
        for fixed in self.fixed:
            if fixed.date == meeting.date:
                pinned |= set(fixed.roles)
        keys = set(self.role_keys)
        members = {unit.name for unit in self.units}
        for key, unit in meeting.roles.items():
            eligible = self.role(key).eligible if key in keys else ()
            if eligible and unit in members and unit not in eligible:
                pinned.add(key)
        for chain in self.chains:
            holder = meeting.roles.get(chain.source)
            if holder is not None and holder == meeting.roles.get(chain.target):
                pinned |= {chain.source, chain.target}
        return frozenset(pinned)


@dataclass(frozen=True)
class Meeting:
    """One planned meeting."""

    id: str
    date: dt.date
    start: dt.time
    end: dt.time
    mode: Mode
    location: str
    roles: Mapping[str, str]
    """Role key to unit name."""
    fixed_date: bool = False
    pinned_roles: tuple[str, ...] = ()
    title: str | None = None
    sequence: int = 0
    """How often the meeting was re-issued after a change (iCalendar SEQUENCE)."""

    def holder(self, role_key: str) -> str | None:
        return self.roles.get(role_key)


@dataclass(frozen=True)
class IssuedMeeting:
    """What was last issued for one meeting: the record that decides what to send next.

    A meeting that was cancelled stays in the record (`cancelled`), so that it
    can come back with a higher SEQUENCE.
    """

    id: str
    uid: str
    sequence: int
    """The last SEQUENCE issued for the meeting."""
    attendees: tuple[tuple[str, str], ...] = ()
    """(name, e-mail address) of everyone who holds the meeting as last issued."""
    shown: Mapping[str, str] = field(default_factory=dict)
    """What an attendee sees of the meeting, property by property, as last issued."""
    cancelled: bool = False


@dataclass(frozen=True)
class Plan:
    """The meetings chosen for a horizon."""

    committee_name: str
    """The name of the committee the plan is for."""
    timezone: str
    start: dt.date
    end: dt.date
    meetings: tuple[Meeting, ...]
    optimal: bool = True
    """Whether the solver proved that no better plan exists."""
    objective: int | None = None
    notes: tuple[str, ...] = ()
    """Remarks for the person planning (not part of the exported planning)."""
    issued: tuple[IssuedMeeting, ...] = ()
    """What was issued to the attendees, per meeting (empty until invites are made)."""
    bound: int | None = None
    """The solver's bound: no plan scores less than this (the `objective` itself when `optimal`)."""
    cancelled: tuple[Meeting, ...] = ()
    """Meetings of the issued plan that `rotation replan` cancelled: they keep their place in the rhythm
    (the gaps, the alternation of modes, the chains jump over them), as when the plan was made."""
    left: tuple[tuple[str, dt.date], ...] = ()
    """Units that left the committee while this plan ran (`rotation replan --remove-unit`), each with the
    date from which it takes no part: the meetings before that date were held as issued."""

    def by_id(self) -> dict[str, Meeting]:
        return {meeting.id: meeting for meeting in self.meetings}

    def dates(self) -> tuple[dt.date, ...]:
        return tuple(meeting.date for meeting in self.meetings)


class MeetingIds:
    """Stable meeting ids, ``<year>-<nn>``: numbered within each year, after the history's meetings of that year.

    A fixed meeting with an `id` of its own keeps it.
    """

    def __init__(self, committee: Committee) -> None:
        self._count: dict[int, int] = {}
        for past in committee.history:
            self._count[past.date.year] = self._count.get(past.date.year, 0) + 1

    def next(self, day: dt.date, fixed: FixedMeeting | None = None) -> str:
        """The id of the next meeting, on `day` (call in date order)."""
        self._count[day.year] = self._count.get(day.year, 0) + 1
        return fixed.id if fixed is not None and fixed.id else f"{day.year}-{self._count[day.year]:02d}"


def as_past(meetings: Iterable[Meeting]) -> tuple[PastMeeting, ...]:
    """Planned meetings as history, for planning the period that follows."""
    return tuple(
        PastMeeting(
            date=m.date,
            mode=m.mode,
            location=m.location.strip() or None,
            roles=dict(m.roles),
            pinned_roles=m.pinned_roles,
            id=m.id,
        )
        for m in meetings
    )
