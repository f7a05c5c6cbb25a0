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

__all__ = ["INSTANCES", "Instance", "busy_committee", "free_committee"]

FIRST_YEAR = 2027


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


def busy_committee(units: int, years: int) -> Committee:
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
    first_years = range(FIRST_YEAR, FIRST_YEAR + years)
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
    away = dt.date(FIRST_YEAR, 5, 13)
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


def _nth_thursday(year: int, month: int, nth: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 7 * (nth - 1))


@dataclass(frozen=True)
class Instance:
    """A committee and the period to plan for it."""

    name: str
    units: int
    years: int
    busy: bool = False

    def committee(self) -> Committee:
        if self.units == 0:
            return rotation.example()
        return busy_committee(self.units, self.years) if self.busy else free_committee(self.units)

    def period(self) -> dict[str, dt.date]:
        """Keyword arguments for `rotation.plan`: whole calendar years (the example: its default horizon)."""
        if self.units == 0:
            return {}
        return {"start": dt.date(FIRST_YEAR, 1, 1), "end": dt.date(FIRST_YEAR + self.years - 1, 12, 31)}


INSTANCES: dict[str, Instance] = {
    item.name: item
    for item in (
        Instance("example", 0, 1),
        Instance("30x3", 30, 3),
        Instance("100x10", 100, 10),
        Instance("30x3-busy", 30, 3, busy=True),
    )
}
"""`example` is the built-in committee's next year; `UxY` is U units over Y years with free dates;
`-busy` adds holidays, fixed meetings and absences (`busy_committee`)."""
