"""A committee with twenty units whose names run to sixty characters, and a plan of three years for it.

The plan is made here, not by the solver, so that the documents drawn from it
stay the same when the model changes; the layout tests and the pictures in the
docs use it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import rotation
from rotation.domain import Committee, FixedMeeting, Meeting, Mode, Plan, Role, Unit

LONG_NAMES = (
    "Amsterdam",
    "Regionale Eenheid Zeeland-West-Brabant en Oost-Brabant Zuid",
    "Noord-Nederland",
    "Landelijke Eenheid, Dienst Landelijke Informatieorganisatie",
    "Oost-Nederland",
    "Korpsstaf",
    "Midden-Nederland",
    "Gemeenschappelijke Meldkamer Noord-Holland en Flevoland",
    "Rotterdam",
    "Koninklijke Marechaussee, District Schiphol en Luchthavens",
    "Den Haag",
    "Oost-Brabant",
    "Politieacademie, Bureau Onderzoek en Kennisontwikkeling",
    "Limburg",
    "Rijksrecherche",
    "Dienst Speciale Interventies en Bijzondere Bijstandseenheden",
    "Nationaal Coördinator Terrorismebestrijding en Veiligheid",
    "Inspectie Justitie en Veiligheid, Toezicht Politie",
    "Fiscale Inlichtingen- en Opsporingsdienst, Regio Noordoost",
    "Openbaar Ministerie, Landelijk Parket, Team Integriteit",
)
WEEKS = (2, 11, 19, 28, 36, 46)


def long_committee() -> Committee:
    """The example committee with twenty units and long names; Korpsstaf takes no chair or minutes."""
    example = rotation.example()
    others = tuple(name for name in LONG_NAMES if name != "Korpsstaf")
    roles = tuple(
        Role(role.key, role.label_nl, role.label_en, others if role.key in ("chair", "minute_taker") else ())
        for role in example.roles
    )
    return dataclasses.replace(
        example,
        name="Overleg van de coördinatoren interne onderzoeken en integriteit",
        units=tuple(Unit(name, venue=f"Eenheid {name}") for name in LONG_NAMES),
        rotation=(),
        roles=roles,
        fixed=(
            FixedMeeting(
                date=dt.date(2026, 3, 12),
                mode=Mode.PHYSICAL,
                location="Politieacademie, Leusden",
                roles={"chair": "Politieacademie, Bureau Onderzoek en Kennisontwikkeling"},
                title="Themabijeenkomst integriteit en digitale opsporing",
            ),
        ),
        history=(),
    )


def long_plan(committee: Committee) -> Plan:
    """Eighteen meetings over 2025, 2026 and 2027, the roles handed on in rotation order."""
    names = [name for name in LONG_NAMES if name != "Korpsstaf"]
    everyone = list(LONG_NAMES)
    meetings = []
    for index in range(18):
        year, week = 2025 + index // 6, WEEKS[index % 6]
        date = dt.date.fromisocalendar(year, week, 4)
        chair, minutes = names[index % len(names)], names[(index + 1) % len(names)]
        case, knowledge = everyone[(index + 7) % 20], everyone[(index + 8) % 20]
        mode = Mode.TEAMS if index % 2 else Mode.PHYSICAL
        fixed = next((item for item in committee.fixed if item.date == date), None)
        location = "Microsoft Teams-vergadering" if mode is Mode.TEAMS else f"Eenheid {chair}"
        roles = {"chair": chair, "minute_taker": minutes, "case": case, "knowledge": knowledge}
        if fixed is not None:
            mode, location = fixed.mode or mode, fixed.location or location
            roles.update(fixed.roles)
        meetings.append(
            Meeting(
                id=f"{date.year}-{date.month:02d}",
                date=date,
                start=dt.time(10, 0),
                end=dt.time(12, 30),
                mode=mode,
                location=location,
                roles=roles,
                fixed_date=fixed is not None,
                pinned_roles=("chair",) if fixed is not None else (),
                title=fixed.title if fixed is not None else None,
            )
        )
    return Plan(committee.name, "Europe/Amsterdam", dt.date(2025, 1, 1), dt.date(2027, 12, 31), tuple(meetings))
