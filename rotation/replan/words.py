"""Every sentence replan says about a change, by its message (``replan.*`` in `rotation.messages`)."""

from __future__ import annotations

from rotation.domain import Committee
from rotation.messages import gettext


def say(committee: Committee, key: str, **values: object) -> str:
    """Why a meeting changed (``replan.reason.<key>``), in the committee's language."""
    return gettext(committee.language, f"replan.reason.{key}", **values)


def report(language: str, key: str, **values: object) -> str:
    """The report line `key` (``replan.report.<key>``) in `language`."""
    return gettext(language, f"replan.report.{key}", **values)


def move_cannot_follow(language: str, asked: str, low: int, high: int) -> str:
    """Why no plan exists when the rules allow a moved date but not with the other meetings in their order around it."""
    return gettext(language, "replan.move_cannot_follow", asked=asked, low=low, high=high)


def error(language: str, key: str, **values: object) -> str:
    """The error `key` (``replan.error.<key>``) in `language`: a change that cannot be made as asked."""
    return gettext(language, f"replan.error.{key}", **values)
