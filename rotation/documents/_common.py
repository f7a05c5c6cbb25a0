"""What every document shares: the planning table, the language, safe text and fixed bytes."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from rotation.domain import Committee, Meeting, Plan
from rotation.errors import ConfigError, RotationError
from rotation.i18n import LANGUAGES, format_date, text

__all__ = [
    "FORMULA_STARTS",
    "MissingPackageError",
    "Table",
    "fixed_moment",
    "language_of",
    "needs_quote",
    "normalise_zip",
    "planning_table",
    "require",
    "xml_text",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters with which a spreadsheet cell would be read as a formula."""

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class MissingPackageError(RotationError):
    """A document format needs a package that is not installed."""

    kind = "Missing package"


def require(module: str, fmt: str) -> None:
    """Raise `MissingPackageError` when `module` (needed for `fmt` files) cannot be imported."""
    import importlib

    try:
        importlib.import_module(module)
    except ImportError as error:
        package = {"docx": "python-docx", "openpyxl": "openpyxl"}.get(module, module)
        raise MissingPackageError(
            f"writing {fmt} files needs the package {package}, which is not installed; "
            f"reinstall rotation (python3 -m pip install .)"
        ) from error


def language_of(committee: Committee, language: str | None) -> str:
    """The language to write in: `language`, or else the committee's own."""
    chosen = language or committee.language
    if chosen not in LANGUAGES:
        raise ConfigError(f"'{chosen}' is not a language rotation writes; use one of: {', '.join(LANGUAGES)}.")
    return chosen


def xml_text(value: str) -> str:
    """`value` without the control characters that XML (docx, xlsx, SVG) cannot hold."""
    return _XML_ILLEGAL.sub("\ufffd", value)


def needs_quote(value: str) -> bool:
    """Whether a spreadsheet would take `value` for a formula if it were typed in."""
    return value.startswith(FORMULA_STARTS)


@dataclass(frozen=True)
class Table:
    """The planning table: a header and one row of text per meeting (the meetings in the same order)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    meetings: tuple[Meeting, ...]

    def notes(self, language: str) -> tuple[str, ...]:
        """One line for each meeting with a fixed date or a title (``16-03-2023 (vast): Themabijeenkomst``)."""
        lines = []
        for meeting in self.meetings:
            if not (meeting.fixed_date or meeting.title):
                continue
            line = format_date(meeting.date, language)
            if meeting.fixed_date:
                line += f" ({text('fixed', language)})"
            if meeting.title:
                line += f": {meeting.title}"
            lines.append(line)
        return tuple(lines)


def planning_table(committee: Committee, plan: Plan, language: str) -> Table:
    """The planning table of `plan` as `rotation.render` makes it: date, mode, location, one column per role."""
    from rotation import render

    header = tuple(render.columns(committee, language))
    rows = tuple(tuple(row) for row in render.rows(committee, plan, language))
    return Table(header, rows, tuple(plan.meetings))


def fixed_moment(plan: Plan) -> dt.datetime:
    """The moment stamped into documents as created and modified: midnight (UTC) of the plan's first day.

    Derived from the plan, never from the clock, so that the same plan gives the same bytes.
    """
    day = max(plan.start, dt.date(1980, 1, 1))  # zip cannot store dates before 1980
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.UTC)


_CORE_DATE = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def normalise_zip(data: bytes, moment: dt.datetime, *, first: Sequence[str] = ("[Content_Types].xml",)) -> bytes:
    """Rewrite an Office zip file so that it no longer depends on the clock.

    Every member gets `moment` as its time stamp and the same attributes; the
    created and modified dates in ``docProps/core.xml`` are set to `moment`.
    Member order is kept, except that the names in `first` come first.
    """
    stamp = moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    date_time = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    source = zipfile.ZipFile(io.BytesIO(data))
    infos = source.infolist()
    ordered = [i for name in first for i in infos if i.filename == name] + [i for i in infos if i.filename not in first]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in ordered:
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATE.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            member = zipfile.ZipInfo(info.filename, date_time=date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 0
            member.external_attr = 0
            target.writestr(member, content, compresslevel=9)
    return out.getvalue()
