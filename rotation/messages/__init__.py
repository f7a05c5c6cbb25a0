"""Every sentence the user reads, by message id, in each language the program speaks.

A language is one catalogue (`Catalogue`): its messages by id, its plural
rule and its date format. `rotation.messages.nl` and `rotation.messages.en`
are the two the program ships; `register` adds another, and every command
that takes ``--lang`` (and the ``language`` key of a committee file) then
speaks it. The rest of the program never writes a sentence itself: it names
a message and hands over the values, and `gettext` or `ngettext` puts them
into words. Values are shown in the message's language: a date in its date
format, a mode by its name, a list of names joined with its "and".

>>> from rotation.messages import gettext, ngettext
>>> import datetime as dt
>>> gettext("en", "clash.fixed_date", date=dt.date(2027, 2, 4))
'there is a meeting on 2027-02-04 (fixed)'
>>> gettext("nl", "clash.fixed_date", date=dt.date(2027, 2, 4))
'er is een vergadering op 04-02-2027 (vaste datum)'
>>> ngettext("nl", "count.weeks", 1), ngettext("nl", "count.weeks", 3)
('1 week', '3 weken')
"""

from __future__ import annotations

import datetime as dt
import enum
import string
from collections.abc import Mapping, Sequence

from rotation.messages.catalogue import Catalogue, Message

__all__ = [
    "DEFAULT",
    "Catalogue",
    "Message",
    "catalogue",
    "decimal",
    "gettext",
    "grouped",
    "join_names",
    "languages",
    "ngettext",
    "placeholders",
    "register",
    "show",
]

DEFAULT = "en"
"""The language of a language the program does not know."""

_CATALOGUES: dict[str, Catalogue] = {}


def register(entry: Catalogue) -> None:
    """Add a language (or replace the catalogue of one)."""
    _CATALOGUES[entry.language] = entry


def unregister(language: str) -> None:
    """Remove a language added with `register`."""
    _CATALOGUES.pop(language, None)


def languages() -> tuple[str, ...]:
    """The codes of the languages the program speaks, in the order they were added."""
    return tuple(_CATALOGUES)


def catalogue(language: str) -> Catalogue:
    """The catalogue of `language`; English for a language the program does not speak."""
    return _CATALOGUES.get(language) or _CATALOGUES[DEFAULT]


def gettext(language: str, key: str, /, **values: object) -> str:
    """Message `key` in `language`, with `values` filled in (see `show`)."""
    text = catalogue(language).messages[key]
    if not isinstance(text, str):
        raise TypeError(f"message {key} has plural forms: use ngettext")
    return _fill(text, language, values)


def ngettext(language: str, key: str, n: int, /, **values: object) -> str:
    """The form of message `key` for the count `n` in `language`, with `n` and `values` filled in."""
    entry = catalogue(language)
    forms = entry.messages[key]
    if isinstance(forms, str):
        raise TypeError(f"message {key} has no plural forms: use gettext")
    return _fill(forms[entry.plural(n)], language, {"n": n, **values})


def show(value: object, language: str) -> str:
    """A value as a sentence in `language` shows it.

    A date in the language's date format, a mode (any enumeration) by its
    message ``<enumeration>.<value>``, a list of names as ``A, B and C``.
    """
    if isinstance(value, dt.date):
        return value.strftime(catalogue(language).date_format)
    if isinstance(value, enum.Enum):
        return gettext(language, f"{type(value).__name__.lower()}.{value.value}")
    if isinstance(value, (list, tuple)):
        return join_names([show(item, language) for item in value], language)
    return str(value)


def join_names(names: Sequence[str], language: str) -> str:
    """``A``, ``A and B``, ``A, B and C`` in `language`."""
    if len(names) <= 1:
        return "".join(names)
    return gettext(language, "join.and", first=", ".join(names[:-1]), last=names[-1])


def grouped(value: int, language: str) -> str:
    """A whole number with its thousands marked as `language` marks them (``12,345`` or ``12.345``)."""
    return f"{value:,}".replace(",", gettext(language, "number.thousands"))


def decimal(text: str, language: str) -> str:
    """A decimal number written with a point (``2.5``), with `language`'s decimal mark (``2,5``)."""
    return text.replace(".", gettext(language, "number.decimal"))


def placeholders(text: str) -> set[str]:
    """The names of the values `text` fills in."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _fill(text: str, language: str, values: Mapping[str, object]) -> str:
    if not values:
        return text
    return text.format(**{name: show(value, language) for name, value in values.items()})


def _register_shipped() -> None:
    from rotation.messages import en, nl

    register(nl.CATALOGUE)
    register(en.CATALOGUE)


_register_shipped()
