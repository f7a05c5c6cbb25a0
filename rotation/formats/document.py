"""What every document shares: the planning table, the language, safe text and fixed bytes."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from rotation.domain import Committee, Meeting, Mode, Plan, Role
from rotation.errors import ConfigError, MissingPackageError
from rotation.formats.tables import time_text, weekday_text
from rotation.i18n import format_date, mode_label, text
from rotation.messages import gettext, join_names, languages

__all__ = [
    "MissingPackageError",
    "Part",
    "day_text",
    "fit_widths",
    "fixed_moment",
    "language_of",
    "normalise_zip",
    "notes",
    "parts",
    "period_text",
    "require",
    "text_width",
    "time_text",
    "unbreakable",
    "when_text",
    "xml_text",
]

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def require(module: str, fmt: str) -> None:
    """Raise `MissingPackageError` when `module` (needed for `fmt` files) cannot be imported."""
    import importlib

    try:
        importlib.import_module(module)
    except ImportError as error:
        package = {"docx": "python-docx", "openpyxl": "openpyxl"}.get(module, module.split(".")[0])
        raise MissingPackageError(
            f"writing {fmt} files needs the package {package}, which is not installed; "
            f"reinstall rotation (python3 -m pip install .)"
        ) from error


def language_of(committee: Committee, language: str | None) -> str:
    """The language to write in: `language`, or else the committee's own."""
    chosen = language or committee.language
    if chosen not in languages():
        spoken = ", ".join(languages())
        raise ConfigError(f"'{chosen}' is not a language rotation writes; use one of: {spoken}.")
    return chosen


def xml_text(value: str) -> str:
    """`value` without the control characters that XML (docx, xlsx, SVG) cannot hold."""
    return _XML_ILLEGAL.sub("\ufffd", value)


def notes(plan: Plan, language: str) -> list[str]:
    """One line for each meeting with a fixed date or a title (``16-03-2023 (vast): Themabijeenkomst corruptie``)."""
    lines = []
    for meeting in plan.meetings:
        if not (meeting.fixed_date or meeting.title):
            continue
        line = format_date(meeting.date, language)
        if meeting.fixed_date:
            line += f" ({text('fixed', language)})"
        if meeting.title:
            line += f": {' '.join(meeting.title.split())}"
        lines.append(line)
    return lines


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
    # a zip member's time runs from 1980 to 2107; core.xml keeps the real date
    if moment.year < 1980:
        date_time = (1980, 1, 1, 0, 0, 0)
    elif moment.year > 2107:
        date_time = (2107, 12, 31, 23, 59, 58)
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


# --- what every document says about a meeting and the plan ------------------------------------


def day_text(day: dt.date, language: str) -> str:
    """The date with its weekday: ``do 16-03-2023`` in Dutch, ``Thu 2023-03-16`` in English.

    A no-break space joins the weekday to the date, so that a line never ends between them.
    """
    return f"{weekday_text(day, language)}\u00a0{format_date(day, language)}"


def when_text(meeting: Meeting, language: str) -> str:
    """``do 16-03-2023 10:00–12:30``: weekday, date and time of a meeting."""
    return f"{day_text(meeting.date, language)} {time_text(meeting)}"


def period_text(plan: Plan, language: str) -> str:
    """``Vergaderingen van 13-01-2023 tot en met 12-01-2024``."""
    return gettext(language, "doc.period", start=plan.start, end=plan.end)


@dataclass(frozen=True)
class Part:
    """One table of the planning as the minutes show it: a heading and its columns.

    Each cell is a tuple of lines. The first column is the meeting's weekday,
    date and time; a part with `where` has a column for the mode (with the
    location of a physical meeting below it).
    """

    heading: str
    header: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], ...], ...]
    meetings: tuple[Meeting, ...]


def _role_groups(committee: Committee, one_table: bool) -> list[list[Role]]:
    """The roles of each table: one group per chain when the committee has two chains, else one group."""
    chains = committee.chains
    keys = [{chain.source, chain.target} for chain in chains]
    if one_table or len(chains) != 2 or keys[0] & keys[1]:
        return [list(committee.roles)]
    first = [role for role in committee.roles if role.key not in keys[1]]
    second = [role for role in committee.roles if role.key in keys[1]]
    return [first, second]


def parts(committee: Committee, plan: Plan, language: str, *, one_table: bool = False) -> tuple[Part, ...]:
    """The planning as the minutes show it.

    A committee with two chains gets two tables (date, MS Teams/physical, chair,
    minute-taker; and date, case, knowledge in the example); with `one_table`,
    or another number of chains, one table holds every role.
    """
    groups = _role_groups(committee, one_table)
    teams_location = committee.modes.teams_location
    out = []
    for number, roles in enumerate(groups):
        with_where = number == 0
        labels = [role.label(language) for role in roles]
        heading = _capital(join_names(labels, language) if len(labels) <= 2 else ", ".join(labels))
        header = [text("date", language)]
        if with_where:
            header.append(gettext(language, "doc.where"))
        header.extend(_capital(label) for label in labels)
        rows = []
        for meeting in plan.meetings:
            row: list[tuple[str, ...]] = [(when_text(meeting, language),)]
            if with_where:
                where = [mode_label(meeting.mode, language)]
                location = _one_line(meeting.location)
                if location and not (meeting.mode is Mode.TEAMS and location == teams_location):
                    where.append(location)
                row.append(tuple(where))
            row.extend((_one_line(meeting.roles.get(role.key, "")),) for role in roles)
            rows.append(tuple(row))
        out.append(Part(heading, tuple(header), tuple(rows), tuple(plan.meetings)))
    return tuple(out)


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def _one_line(value: str) -> str:
    return " ".join(value.split())


# --- sizing columns by their content --------------------------------------------------------------

_SPACES = re.compile("[ \t\n]+")


def text_width(value: str, size: float, *, bold: bool = False) -> float:
    """The width in points of `value` in Helvetica (as wide as Arial, wider than Calibri) at `size` points."""
    try:
        from reportlab.pdfbase.pdfmetrics import stringWidth
    except ImportError:  # a generous estimate
        return len(value) * size * (0.6 if bold else 0.56)
    font = "Helvetica-Bold" if bold else "Helvetica"
    try:
        return float(stringWidth(value, font, size))
    except (UnicodeError, KeyError, TypeError):
        return len(value) * size * 0.6


def unbreakable(value: str) -> list[str]:
    """The pieces of `value` that a line may not break inside: words, split after hyphens.

    A date or a time (16-03-2023, 10:00–12:30) is one piece; so is a weekday joined to its date by a no-break space.
    """
    pieces = []
    for word in _SPACES.split(value.strip()):
        if any(ch.isdigit() for ch in word):
            pieces.append(word)
            continue
        part = ""
        for char in word:
            part += char
            if char in "-\u2010" and len(part) > 1:
                pieces.append(part)
                part = ""
        if part:
            pieces.append(part)
    return pieces or [""]


def fit_widths(
    columns: Sequence[Sequence[str]], available: float, size: float, *, padding: float, bold_first: bool = True
) -> list[float] | None:
    """Column widths (points) that fit `available`: none narrower than its longest unbreakable piece.

    `columns` holds, per column, its header followed by every line of its cells.
    The room left over goes to the columns whose lines are longest, so that
    they wrap less. None when even the narrowest widths do not fit.
    """
    least, most = [], []
    for column in columns:
        widths = []
        for index, line in enumerate(column):
            bold = bold_first and index == 0
            widths.append(
                (max(text_width(p, size, bold=bold) for p in unbreakable(line)), text_width(line, size, bold=bold))
            )
        least.append(max(w for w, _ in widths) + padding)
        most.append(max(w for _, w in widths) + padding)
    if sum(least) > available:
        return None
    room = available - sum(least)
    wanted = [high - low for low, high in zip(least, most, strict=True)]
    if sum(wanted) <= room:
        spare = (room - sum(wanted)) / len(least)
        return [high + spare for high in most]
    return [low + room * want / sum(wanted) for low, want in zip(least, wanted, strict=True)]
