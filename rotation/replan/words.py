"""Every sentence replan says about a change, in Dutch and in English, in one place."""

from __future__ import annotations

from rotation.domain import Committee

REASONS = {
    "moved": ("op verzoek", "as asked"),
    "cancelled": ("op verzoek", "as asked"),
    "gap": (
        "om {low} tot {high} weken tussen de vergaderingen te houden",
        "to keep {low} to {high} weeks between meetings",
    ),
    "alternate": ("MS Teams en fysiek wisselen elkaar af", "MS Teams and physical meetings take turns"),
    "unavailable": ("{unit} is niet beschikbaar op {date}", "{unit} is unavailable on {date}"),
    "left": ("{unit} neemt niet meer deel", "{unit} has left the committee"),
    "carried": (
        "{unit} was {source} op {date} en is daarom de volgende keer {target}",
        "{unit} was {source} on {date} and so is {target} next",
    ),
    "carries": (
        "zodat {unit} op {date} {target} kan zijn",
        "so that {unit} can be {target} on {date}",
    ),
    "host": ("{unit} is {role} en ontvangt de vergadering", "{unit} is {role} and hosts the meeting"),
    "rules": ("om aan de regels te voldoen", "to meet the rules"),
    "balance": ("om de beurten in de volgorde te houden", "to keep the turns in order"),
    "fair_never": (
        "zodat {unit}, die nog nooit {role} is geweest, de beurt krijgt",
        "so that {unit}, who has never been {role}, takes the turn",
    ),
    "fair_since": (
        "zodat {unit}, die sinds {date} geen {role} meer is geweest, de beurt krijgt",
        "so that {unit}, who has not been {role} since {date}, takes the turn",
    ),
}
"""Why a meeting changed, per kind of reason."""

REPORT = {
    "title": ("Wijzigingen ten opzichte van de uitgegeven planning:", "Changes to the issued plan:"),
    "none": (
        "Geen wijzigingen: de uitgegeven planning blijft zoals ze is.",
        "No changes: the issued plan stays as it is.",
    ),
    "date": ("verplaatst naar {new}", "moves to {new}"),
    "mode": ("{old} wordt {new}", "{old} becomes {new}"),
    "location": ("locatie: {new} in plaats van {old}", "location: {new} instead of {old}"),
    "role": ("{role}: {new} in plaats van {old}", "{role}: {new} instead of {old}"),
    "cancel": ("vervalt", "cancelled"),
    "held": (
        "Vergaderingen vóór {date} die blijven zoals ze waren: {count}.",
        "Meetings before {date} that stay as they were: {count}.",
    ),
    "notice": (
        "Vergaderingen vóór {date} (de opzegtermijn) houden hun rolhouders tenzij de wijziging dat onmogelijk maakt.",
        "Meetings before {date} (the notice period) keep their role holders unless the change forces otherwise.",
    ),
    "same": ("Andere vergaderingen die ongewijzigd blijven: {count}.", "Other meetings that stay unchanged: {count}."),
    "broken": (
        "Door deze wijziging geldt het volgende niet meer:",
        "Because of this change the following no longer holds:",
    ),
    "joins": (
        "{unit} doet mee vanaf {date} en staat achteraan in de volgorde.",
        "{unit} takes part from {date} and comes last in the rotation order.",
    ),
    "leaves": ("{unit} doet niet meer mee vanaf {date}.", "{unit} no longer takes part from {date}."),
}
"""The lines of the report."""

MOVE_CANNOT_FOLLOW = (
    "geen planning mogelijk met deze verplaatsing ({asked}): de vergaderingen ervoor en erna kunnen "
    "niet {low} tot {high} weken ervan af blijven in hun volgorde; "
    "kies een datum dichter bij de oude, of verplaats of annuleer ook een vergadering ernaast.",
    "no plan with this move ({asked}): the meetings before and after it cannot keep "
    "{low} to {high} weeks from it in their order; choose a date "
    "nearer the old one, or also move or cancel a meeting next to it.",
)
"""Why no plan exists when the rules allow a moved date but not with the other meetings in their order around it."""


def say(committee: Committee, key: str, **values: object) -> str:
    """The reason `key` in the committee's language."""
    nl, en = REASONS[key]
    return (nl if committee.language == "nl" else en).format(**values)


def report(language: str, key: str, **values: object) -> str:
    """The report line `key` in `language`."""
    nl, en = REPORT[key]
    return (nl if language == "nl" else en).format(**values)


def move_cannot_follow(language: str, asked: str, low: int, high: int) -> str:
    """The sentence `MOVE_CANNOT_FOLLOW` in `language`."""
    nl, en = MOVE_CANNOT_FOLLOW
    return (nl if language == "nl" else en).format(asked=asked, low=low, high=high)
