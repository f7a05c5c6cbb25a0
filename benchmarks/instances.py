"""Committees for the benchmarks, built in code.

The large committees have the example's shape (four roles, the chains
minute-taker → chair and knowledge → case, six meetings a year eight to ten
weeks apart) but free dates: no public or school holidays, no study day, no
fixed meetings and no history. `busy_committee` adds what makes planning by
hand hard: holidays, a study day, a themed meeting fixed every March and units
that cannot come on some dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import rotation
from rotation import BlackoutRules, Cadence, Chain, Committee, FixedMeeting, Mode, Role, Unit

__all__ = ["GROWTH", "INSTANCES", "Instance", "busy_committee", "free_committee", "school_committee"]

FIRST_YEAR = 2027
SCHOOL_YEARS = (2021, 2030)
"""The years of `school_committee`: ten years whose school holidays the holidays package knows."""


def free_committee(units: int) -> Committee:
    """A committee of `units` units with the example's roles and chains, and nothing that blocks a date."""
    return Committee(
        name=f"{units} units",
        language="en",
        units=tuple(Unit(name=f"Unit {number:03d}") for number in range(1, units + 1)),
        roles=(
            Role("chair", "voorzitter", "chair"),
            Role("minute_taker", "notulist", "minute-taker"),
            Role("case", "casus", "case"),
            Role("knowledge", "kennis", "knowledge"),
        ),
        chains=(Chain(source="minute_taker", target="chair"), Chain(source="knowledge", target="case")),
        cadence=Cadence(meetings_per_year=6, min_gap_weeks=8, max_gap_weeks=10),
        blackouts=BlackoutRules(public_holidays=False),
    )


def busy_committee(units: int, years: int, *, first_year: int = FIRST_YEAR) -> Committee:
    """`free_committee` with the example's complications, over `years` years from FIRST_YEAR.

    Dutch public holidays and the school holidays of regions Noord and Zuid;
    a study day in June; a physical themed meeting on the third Thursday of
    March chaired and minuted by unit 6, which otherwise takes no part in the
    chair chain; every fourth unit away on one Thursday, seven weeks apart.
    """
    committee = free_committee(units)
    host = "Unit 006"
    names = [unit.name for unit in committee.units]
    roles = tuple(
        dataclasses.replace(role, eligible=tuple(n for n in names if n != host))
        if role.key in ("chair", "minute_taker")
        else role
        for role in committee.roles
    )
    first_years = range(first_year, first_year + years)
    fixed = tuple(
        FixedMeeting(
            date=_nth_thursday(year, 3, 3),
            mode=Mode.PHYSICAL,
            location="Academy",
            roles={"chair": host, "minute_taker": host},
            title="Themed meeting",
        )
        for year in first_years
    )
    away = _nth_thursday(first_year, 5, 2)
    members = tuple(
        dataclasses.replace(unit, unavailable=(away + dt.timedelta(weeks=7 * index),)) if index % 4 == 0 else unit
        for index, unit in enumerate(committee.units)
    )
    blackouts = BlackoutRules(
        public_holidays=True,
        country="NL",
        school_regions=("Noord", "Zuid"),
        study_days=tuple(_nth_thursday(year, 6, 3) for year in first_years),
    )
    return dataclasses.replace(
        committee, name=f"{units} units, busy", units=members, roles=roles, fixed=fixed, blackouts=blackouts
    )


def school_committee(units: int) -> Committee:
    """`busy_committee` over 2021–2030 with the example's gaps (7 to 10 weeks, 12 over the summer).

    With 8 weeks at least between meetings, six meetings do not fit between the
    school holidays of Noord and Zuid in every year.
    """
    first, last = SCHOOL_YEARS
    committee = busy_committee(units, last - first + 1, first_year=first)
    cadence = dataclasses.replace(committee.cadence, min_gap_weeks=7, summer_max_gap_weeks=12)
    return dataclasses.replace(committee, name=f"{units} units, school holidays", cadence=cadence)


def _nth_thursday(year: int, month: int, nth: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 7 * (nth - 1))


@dataclass(frozen=True)
class Instance:
    """A committee and the period to plan for it."""

    name: str
    units: int
    years: int
    kind: str = "free"
    """free, busy, school, or example (the built-in committee, from its history)."""
    summary: str = ""

    def committee(self) -> Committee:
        if self.kind == "example":
            return rotation.example()
        if self.kind == "school":
            return school_committee(self.units)
        return busy_committee(self.units, self.years) if self.kind == "busy" else free_committee(self.units)

    def period(self) -> dict[str, dt.date]:
        """Keyword arguments for `rotation.plan`: whole calendar years (the example: from its history)."""
        if self.kind == "example":
            return {} if self.years == 1 else {"end": dt.date(SCHOOL_YEARS[1], 12, 31)}
        first = SCHOOL_YEARS[0] if self.kind == "school" else FIRST_YEAR
        return {"start": dt.date(first, 1, 1), "end": dt.date(first + self.years - 1, 12, 31)}


INSTANCES: dict[str, Instance] = {
    item.name: item
    for item in (
        Instance(
            "example",
            12,
            1,
            "example",
            "the built-in committee, its default horizon: the twelve months after its history",
        ),
        Instance(
            "example-2030",
            12,
            8,
            "example",
            "the built-in committee from its history to the end of 2030, the last year of known school holidays",
        ),
        Instance("30x3", 30, 3, summary="30 units, the calendar years 2027–2029, free dates"),
        Instance("100x10", 100, 10, summary="100 units, 2027–2036, free dates"),
        Instance("200x10", 200, 10, summary="200 units, 2027–2036, free dates"),
        Instance(
            "30x3-busy",
            30,
            3,
            "busy",
            "`30x3` with Dutch public holidays, the school holidays of Noord and Zuid, a study day every June, "
            "a themed meeting fixed every March and units away on some Thursdays",
        ),
        Instance(
            "12x10-school",
            12,
            10,
            "school",
            "12 units, 2021–2030, as `30x3-busy` (school holidays of Noord and Zuid) with the example's gaps",
        ),
    )
}
"""`UxY` is U units over Y years with free dates; `-busy` adds holidays, fixed meetings and absences
(`busy_committee`); `-school` is a busy committee over ten years with the example's gaps."""

GROWTH: tuple[tuple[int, int], ...] = tuple((units, years) for units in (12, 50, 100, 200) for years in (1, 3, 5, 10))
"""Units × years of the free committees whose planning time the growth table shows."""


def growth_instance(units: int, years: int) -> Instance:
    return Instance(f"{units}x{years}", units, years)
