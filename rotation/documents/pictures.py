"""Pictures of a plan as SVG text: the year at a glance and the fairness of the rotation.

Both builders return a complete ``<svg>`` element (no XML declaration), which can
be saved as an ``.svg`` file or put inline in an HTML page. They use no fonts,
images or style sheets from elsewhere, and the same plan gives the same text.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rotation.domain import Blackout, Committee, Meeting, Mode, Plan
from rotation.fairness import RoleCount, role_counts
from rotation.formats.document import day_text, language_of, xml_text
from rotation.i18n import format_date, mode_label
from rotation.messages import gettext

__all__ = ["fairness", "year_at_a_glance", "year_at_a_glance_bands"]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"
WIDTH = 700
"""The width of the year picture: printed on A4 (186 mm between the margins) its smallest text is 8 points."""
PHONE_WIDTH = 336
"""The width of the year picture on a phone: a 360-pixel screen less the page's margins."""
PAD = 12
SMALL = 11.0
"""The smallest text in the pictures (pixels); 8.25 points at their natural size."""
SCALE_TOP = 6
"""The fairness picture's shading is fixed: 0 turns is the lightest, this many or more the darkest."""

TEAMS_COLOUR = "#2563eb"
PHYSICAL_COLOUR = "#ea580c"
FIXED_COLOUR = "#111827"
KIND_COLOURS = {
    "public_holiday": "#e11d48",
    "school_holiday": "#d97706",
    "study_day": "#7c3aed",
    "unit": "#0d9488",
    "period": "#64748b",
}


def _word(key: str, language: str, **values: object) -> str:
    return gettext(language, f"picture.{key}", **values)


def _month(month: int, language: str) -> str:
    """The short name of a month (1 to 12): ``mrt`` in Dutch, ``Mar`` in English."""
    return gettext(language, f"month.short.{month}")


def _kind_label(kind: str, language: str) -> str:
    return _word("unit_kind" if kind == "unit" else kind if kind in KIND_COLOURS else "period", language)


def _esc(value: str) -> str:
    return html.escape(xml_text(value), quote=True)


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text_width(value: str, size: float) -> float:
    """A generous estimate of the width of `value` in a sans-serif font of `size` pixels."""
    return len(value) * size * 0.6


class _Svg:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, tag: str, content: str | None = None, **attributes: str | float) -> None:
        attrs = "".join(
            f' {name.rstrip("_").replace("_", "-")}="{_esc(value) if isinstance(value, str) else _num(value)}"'
            for name, value in attributes.items()
        )
        if content is None:
            self.parts.append(f"<{tag}{attrs}/>")
        else:
            self.parts.append(f"<{tag}{attrs}>{content}</{tag}>")

    def open(self, tag: str, **attributes: str | float) -> None:
        self.add(tag, None, **attributes)
        self.parts[-1] = self.parts[-1][:-2] + ">"

    def close(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def text(self, x: float, y: float, value: str, *, size: float = SMALL, **attributes: str | float) -> None:
        self.add("text", _esc(value), x=x, y=y, font_size=size, **attributes)

    def document(
        self, width: float, height: float, title: str, ident: str, *, top: float = 0.0, parts: slice = slice(None)
    ) -> str:
        """The picture as an ``<svg>`` element; `top` and `parts` make it show only a band of the drawing."""
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 {_num(top)} {_num(width)} {_num(height)}" '
            f'width="{_num(width)}" height="{_num(height)}" role="img" aria-labelledby="{ident}-title" '
            f'font-family="{_esc(FONT)}" fill="#1f2937">'
            f'<title id="{ident}-title">{_esc(title)}</title>'
        )
        return head + "".join(self.parts[parts]) + "</svg>\n"


# --- year at a glance -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Period:
    start: dt.date
    end: dt.date
    kind: str
    reasons: tuple[str, ...]


def _periods(blackouts: Iterable[Blackout], start: dt.date, end: dt.date) -> list[_Period]:
    """Blackouts inside the horizon; periods with the same dates and kind become one (a holiday of two regions)."""
    grouped: dict[tuple[dt.date, dt.date, str], list[str]] = {}
    for blackout in blackouts:
        if blackout.end < start or blackout.start > end:
            continue
        key = (max(blackout.start, start), min(blackout.end, end), blackout.kind)
        reasons = grouped.setdefault(key, [])
        if blackout.reason not in reasons:
            reasons.append(blackout.reason)
    return [_Period(a, b, kind, tuple(reasons)) for (a, b, kind), reasons in sorted(grouped.items())]


def _resolve_blackouts(committee: Committee, plan: Plan, language: str) -> list[Blackout]:
    from calendars.blackouts import resolve

    try:
        return resolve(committee.blackouts, plan.start, plan.end, language=language)
    except LookupError:
        # School holidays unknown for these years: show everything else.
        import dataclasses

        rules = dataclasses.replace(committee.blackouts, school_regions=())
        return resolve(rules, plan.start, plan.end, language=language)


def _short_date(day: dt.date, language: str) -> str:
    return f"{day.day} {_month(day.month, language)}"


def _meeting_title(committee: Committee, meeting: Meeting, language: str) -> str:
    lines = [f"{format_date(meeting.date, language)} · {mode_label(meeting.mode, language)} · {meeting.location}"]
    if meeting.title:
        lines.append(meeting.title)
    if meeting.fixed_date:
        lines.append(_word("fixed", language))
    for role in committee.roles:
        holder = meeting.holder(role.key)
        if holder:
            lines.append(f"{role.label(language)}: {holder}")
    return "\n".join(lines)


def _marker(svg: _Svg, mode: Mode, x: float, y: float, *, fixed: bool = False, scale: float = 1.0) -> None:
    if fixed:
        svg.add("circle", cx=x, cy=y, r=11 * scale, fill="none", stroke=FIXED_COLOUR, stroke_width=2.2)
    if mode is Mode.TEAMS:
        svg.add("circle", cx=x, cy=y, r=6.5 * scale, fill=TEAMS_COLOUR)
    else:
        half = 6 * scale
        svg.add("rect", x=x - half, y=y - half, width=2 * half, height=2 * half, fill=PHYSICAL_COLOUR)


def _legend(svg: _Svg, items: Sequence[tuple[str, str]], y: float, right: float) -> float:
    """The key in rows that fit between the margins; returns the y of the next row after it."""
    x = float(PAD)
    for kind, label in items:
        width = 22 + _text_width(label, SMALL) + 16
        if x > PAD and x + width > right:
            x, y = float(PAD), y + 18
        if kind in ("teams", "physical", "fixed"):
            mode = Mode.TEAMS if kind == "teams" else Mode.PHYSICAL
            if kind == "fixed":
                svg.add("circle", cx=x + 8, cy=y, r=7, fill="none", stroke=FIXED_COLOUR, stroke_width=2.2)
            else:
                _marker(svg, mode, x + 8, y, scale=0.8)
        else:
            svg.add("rect", x=x, y=y - 6, width=16, height=12, fill=KIND_COLOURS[kind], fill_opacity=0.35)
        svg.text(x + 22, y + 4, label)
        x += width
    return y + 18


def _wrap_lines(value: str, width: float, size: float) -> list[str]:
    """`value` in lines that fit `width`, broken at spaces (or after hyphens); a word is never cut."""
    lines, line = [], ""
    for piece in _pieces(value):
        if line and _text_width(line + piece.rstrip(), size) > width:
            lines.append(line.rstrip())
            line = ""
        line += piece
    lines.append(line.rstrip())
    return lines


def _meeting_line(committee: Committee, meeting: Meeting, language: str) -> str:
    """``Fysiek, Politieacademie, Leusden · voorzitter Korpsstaf · Themabijeenkomst corruptie``."""
    where = mode_label(meeting.mode, language)
    if meeting.mode is Mode.PHYSICAL and meeting.location:
        where += f", {' '.join(meeting.location.split())}"
    parts = [where]
    host = next(iter(committee.roles), None)
    if host is not None and meeting.holder(host.key):
        parts.append(f"{host.label(language)} {meeting.holder(host.key)}")
    if meeting.title:
        parts.append(" ".join(meeting.title.split()))
    return " · ".join(parts)


_NARROW = frozenset(" ijlI.,:;'!|·")
_HALF = frozenset("ftr()-/J[]")
_WIDE = frozenset("MWmw@&%")


def _measure(value: str, size: float, *, bold: bool = False) -> float:
    """A generous estimate of the width of `value` in `size` pixels.

    The widths are those of DejaVu Sans, the widest of the common sans-serif
    fonts, rounded up by letter class, so that a line measured here fits in
    any of the fonts the picture names.
    """
    total = 0.0
    for char in value:
        if char in _NARROW:
            em = 0.32
        elif char in _HALF:
            em = 0.45
        elif char in _WIDE:
            em = 1.0
        elif char.isupper():
            em = 0.79
        else:
            em = 0.64
        total += em
    return total * size * (1.12 if bold else 1.02)


def _wrap(value: str, width: float, size: float) -> list[str]:
    """`value` in lines of at most `width` (by `_measure`), broken at spaces or after hyphens.

    A word is only cut when it is wider than a whole line by itself: then it
    runs over as many lines as it needs, each but the last ending in a hyphen.
    """
    lines, line = [], ""
    for piece in _pieces(value):
        if line and _measure(line + piece.rstrip(), size) > width:
            lines.append(line.rstrip())
            line = ""
        while not line and _measure(piece.rstrip(), size) > width and len(piece.rstrip()) > 1:
            cut = len(piece) - 1
            while cut > 1 and _measure(piece[:cut] + "-", size) > width:
                cut -= 1
            lines.append(piece[:cut] + "-")
            piece = piece[cut:]
        line += piece
    lines.append(line.rstrip())
    return lines


YEAR_BAND = 1000
"""The tallest band of the year picture (pixels): a printed A4 page holds 273 mm, some 1030 pixels."""
_LINE = 15.0
"""The line height of a meeting's text; a blackout period's is `_PERIOD_LINE`."""
_PERIOD_LINE = 14.0
_MONTH_MIN = 28.0
"""The height of a month without meetings or blackouts: enough for its name."""
_MONTH_FREE = 10.0
"""Room left in a month with meetings or blackouts, spread over its days."""
_YEAR_HEAD = 30.0
_LANE = 7.0
"""The width of a lane of the blackout bars, left of the axis."""
_AXIS = 20.0


@dataclass
class _Item:
    """A meeting or a blackout period beside the axis: its date, its text and, once laid out, its place."""

    day: dt.date
    meeting: Meeting | None
    period: _Period | None
    when: str
    lines: list[str]
    height: float
    top: float = 0.0

    @property
    def middle(self) -> float:
        """The height of the marker or the leader line: the middle of the first line of text."""
        return self.top + (11.0 if self.meeting is not None else 7.0)


@dataclass
class _Month:
    first: dt.date
    days: int
    items: list[_Item]
    top: float = 0.0
    height: float = _MONTH_MIN

    def y_of(self, day: dt.date) -> float:
        """Where `day` (a day of this month, or the first of the next) is on the axis.

        The room the month has beyond its items' text is spread evenly over its
        days; an item's text takes room at its own date, so each item stands
        beside its date and time keeps running down the axis.
        """
        taken = sum(item.height for item in self.items)
        free = self.height - taken
        offset = min((day - self.first).days, self.days)
        before = sum(item.height for item in self.items if item.day < day)
        return self.top + free * offset / self.days + before


def _month_firsts(start: dt.date, end: dt.date) -> list[dt.date]:
    out, first = [], start.replace(day=1)
    while first <= end:
        out.append(first)
        first = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def _lanes(periods: Sequence[_Period]) -> dict[_Period, int]:
    """A lane for each period's bar, the first one free: lane 0 is next to the axis."""
    ends: list[dt.date] = []
    out = {}
    for period in periods:
        lane = next((index for index, end in enumerate(ends) if end < period.start), None)
        if lane is None:
            ends.append(period.end)
            lane = len(ends) - 1
        else:
            ends[lane] = period.end
        out[period] = lane
    return out


def _span_text(period: _Period, language: str) -> str:
    if period.start == period.end:
        return _short_date(period.start, language)
    return f"{_short_date(period.start, language)} – {_short_date(period.end, language)}"


def year_at_a_glance(
    committee: Committee,
    plan: Plan,
    *,
    language: str | None = None,
    blackouts: Sequence[Blackout] | None = None,
    width: int = WIDTH,
) -> str:
    """The horizon as a time axis running down the picture, each meeting labelled beside its marker.

    Each year starts with its year, and every month has a row with its name.
    MS Teams meetings are blue dots, physical meetings orange squares, and a
    meeting with a date fixed in advance has a dark ring; beside each marker
    stand the meeting's weekday and date, its mode and place, its chair (the
    first role) and its title, so that a printout shows them too. Each
    blackout period is a bar left of the axis, from its first to its last day,
    with its dates and reason beside it. A month grows to hold the text of its
    meetings and periods, so no text ever runs into another, whatever the
    length of the plan or of the names. Days outside the horizon are greyed.
    `blackouts` defaults to the committee's blackouts over the plan's horizon;
    `width` is the picture's width in pixels (700 prints on A4 with its
    smallest text at 8 points; 336 fits a phone).
    """
    svg, title, bands = _year(committee, plan, language=language, blackouts=blackouts, width=width)
    return svg.document(width, bands[-1][1], title, "year")


def year_at_a_glance_bands(
    committee: Committee,
    plan: Plan,
    *,
    language: str | None = None,
    blackouts: Sequence[Blackout] | None = None,
    width: int = WIDTH,
    ident: str = "year",
) -> list[str]:
    """`year_at_a_glance` cut into pictures that each fit a printed page.

    The first holds the title, the key and the first year; then one picture
    per year, or per run of months where a year would not fit a page. A page
    that prints them one below the other breaks between them, never inside
    one. `ident` starts the ids of their titles (a page with the picture in
    two widths needs two).
    """
    svg, title, bands = _year(committee, plan, language=language, blackouts=blackouts, width=width)
    return [
        svg.document(width, y1 - y0, title, f"{ident}-{number}", top=y0, parts=slice(first, last))
        for number, (y0, y1, first, last) in enumerate(bands, 1)
    ]


def _year(
    committee: Committee,
    plan: Plan,
    *,
    language: str | None,
    blackouts: Sequence[Blackout] | None,
    width: int = WIDTH,
) -> tuple[_Svg, str, list[tuple[float, float, int, int]]]:
    """The drawing of the year picture, its title and its bands: (top, bottom, first part, end of the parts)."""
    language = language_of(committee, language)
    start, end = plan.start, plan.end
    if blackouts is None:
        blackouts = _resolve_blackouts(committee, plan, language)
    periods = _periods(blackouts, start, end)
    right = float(width - PAD)

    svg = _Svg()
    title = _word("year", language, start=start, end=end)
    title_lines = _wrap(title, right - PAD, 13)
    for number, line in enumerate(title_lines):
        svg.text(PAD, 20 + 17 * number, line, size=13, font_weight="600")
    legend: list[tuple[str, str]] = [
        ("teams", mode_label(Mode.TEAMS, language)),
        ("physical", mode_label(Mode.PHYSICAL, language)),
        ("fixed", _word("fixed", language)),
    ]
    for kind in KIND_COLOURS:
        if any(p.kind == kind for p in periods):
            legend.append((kind, _kind_label(kind, language)))
    top = _legend(svg, legend, 27 + 17 * len(title_lines), right) + 2

    # the columns: month names, the blackout bars in lanes, the axis with the markers, the text
    lanes = _lanes(periods)
    month_width = max(_measure(_month(month, language), SMALL) for month in range(1, 13)) + 8
    lanes_left = PAD + month_width
    axis_left = lanes_left + _LANE * max(lanes.values(), default=-1) + _LANE + 3
    marker_x = axis_left + _AXIS / 2
    text_left = axis_left + _AXIS + 10
    shown = [m for m in plan.meetings if start <= m.date <= end]
    whens = [day_text(m.date, language) for m in shown]
    when_width = max(
        [_measure(when, SMALL, bold=True) for when in whens]
        + [_measure(_span_text(p, language), SMALL) for p in periods]
        + [0.0]
    )
    detail_left = text_left + when_width + 10
    beside = right - detail_left >= 240  # details beside the date; on a narrow picture, below it
    if not beside:
        detail_left = text_left

    def item_lines(value: str) -> list[str]:
        return _wrap(value, right - detail_left, SMALL)

    months = [
        _Month(first, (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1).toordinal() - first.toordinal(), [])
        for first in _month_firsts(start, end)
    ]
    by_month = {(month.first.year, month.first.month): month for month in months}
    for period in periods:
        lines = item_lines(" / ".join(period.reasons))
        count = len(lines) + (0 if beside else 1)
        item = _Item(period.start, None, period, _span_text(period, language), lines, 2 + count * _PERIOD_LINE)
        by_month[period.start.year, period.start.month].items.append(item)
    for meeting, when in zip(shown, whens, strict=True):
        lines = item_lines(_meeting_line(committee, meeting, language))
        count = len(lines) + (0 if beside else 1)
        by_month[meeting.date.year, meeting.date.month].items.append(
            _Item(meeting.date, meeting, None, when, lines, 8 + count * _LINE)
        )

    # the layout: a heading per year, a row per month as tall as its items need
    y = top
    heads: dict[int, float] = {}
    for month in months:
        if month.first.month == 1 or month is months[0]:
            heads[month.first.year] = y
            y += _YEAR_HEAD
        month.items.sort(key=lambda item: (item.day, item.meeting is not None))
        taken = sum(item.height for item in month.items)
        month.top = y
        month.height = max(_MONTH_MIN, taken + _MONTH_FREE) if month.items else _MONTH_MIN
        free, above = month.height - taken, 0.0
        for item in month.items:  # items of one day one below the other
            item.top = month.top + free * (item.day - month.first).days / month.days + above
            above += item.height
        y += month.height

    bands: list[tuple[float, float, int, int]] = []
    cut_top, cut_first = 0.0, 0
    for month in months:
        head = heads.get(month.first.year) if month.first.month == 1 or month is months[0] else None
        block_top = head if head is not None else month.top
        bottom = month.top + month.height
        if month is not months[0] and (head is not None or bottom - cut_top > YEAR_BAND):
            bands.append((cut_top, block_top, cut_first, len(svg.parts)))
            cut_top, cut_first = block_top, len(svg.parts)
        if head is not None:  # the year, over the whole width
            svg.add("line", x1=PAD, y1=head + 8, x2=right, y2=head + 8, stroke="#475569", stroke_width=1.2)
            svg.text(PAD, head + 24, str(month.first.year), size=13, font_weight="700")
        # the month: a line over the whole width, its name, its stretch of the axis
        svg.add("line", x1=PAD, y1=month.top, x2=right, y2=month.top, stroke="#e2e8f0", stroke_width=1)
        svg.text(PAD, month.top + 16, _month(month.first.month, language), font_weight="600")
        fill = "#e2e8f0" if month.first.month % 2 == 0 else "#f1f5f9"
        svg.add("rect", x=axis_left, y=month.top, width=_AXIS, height=month.height, fill=fill)
        last = month.first + dt.timedelta(days=month.days - 1)
        for period in periods:  # the bars of the periods in this month
            if period.end < month.first or period.start > last:
                continue
            y0 = month.y_of(max(period.start, month.first))
            y1 = month.y_of(min(period.end, last) + dt.timedelta(days=1))
            x = axis_left - 2 - _LANE * (lanes[period] + 1)
            colour = KIND_COLOURS.get(period.kind, KIND_COLOURS["period"])
            height = max(y1 - y0 - 1, 2.0)  # a gap between the bars of two periods one after the other
            svg.add("rect", x=x, y=y0, width=_LANE - 1, height=height, fill=colour, fill_opacity=0.8)
        # days of the month outside the horizon, greyed
        for a, b in ((month.first, start), (end + dt.timedelta(days=1), last + dt.timedelta(days=1))):
            a, b = max(a, month.first), min(b, last + dt.timedelta(days=1))
            if a < b:
                y0, y1 = month.y_of(a), month.y_of(b)
                svg.add(
                    "rect",
                    x=lanes_left,
                    y=y0,
                    width=axis_left + _AXIS - lanes_left,
                    height=y1 - y0,
                    fill="#ffffff",
                    fill_opacity=0.75,
                )
        # beside the axis, each period and meeting with its text
        for item in month.items:
            middle = item.middle
            step = _PERIOD_LINE if item.meeting is None else _LINE
            first_line = item.top + (11.0 if item.meeting is None else 15.0)
            detail_top = first_line if beside else first_line + step
            svg.open("g")
            if item.period is not None:
                period = item.period
                colour = KIND_COLOURS.get(period.kind, KIND_COLOURS["period"])
                span = format_date(period.start, language)
                if period.end != period.start:
                    span += f" – {format_date(period.end, language)}"
                svg.add("title", _esc(f"{' / '.join(period.reasons)}: {span}"))
                x = axis_left - 2 - _LANE * lanes[period]
                svg.add("line", x1=x, y1=middle, x2=text_left - 4, y2=middle, stroke=colour, stroke_width=1)
                svg.text(text_left, first_line, item.when, fill="#475569")
                for number, text in enumerate(item.lines):
                    svg.text(detail_left, detail_top + number * step, text, fill="#475569")
            else:
                assert item.meeting is not None
                meeting = item.meeting
                svg.add("title", _esc(_meeting_title(committee, meeting, language)))
                svg.add("line", x1=marker_x, y1=middle, x2=text_left - 4, y2=middle, stroke="#94a3b8", stroke_width=1)
                _marker(svg, meeting.mode, marker_x, middle, fixed=meeting.fixed_date)
                svg.text(text_left, first_line, item.when, font_weight="600")
                for number, text in enumerate(item.lines):
                    svg.text(detail_left, detail_top + number * step, text)
            svg.close("g")
    bands.append((cut_top, y + 8, cut_first, len(svg.parts)))
    return svg, title, bands


# --- fairness ---------------------------------------------------------------------------------


def _pieces(name: str) -> list[str]:
    """`name` cut where a line may end: after a space, and after a hyphen inside a word (not in a date)."""
    pieces = []
    for word in name.split(" "):
        current = ""
        for char in word:
            current += char
            if char == "-" and not any(ch.isdigit() for ch in word):
                pieces.append(current)
                current = ""
        pieces.append(current + " ")
    pieces[-1] = pieces[-1][:-1]
    return [piece for piece in pieces if piece]


def _blend(fraction: float) -> str:
    low, high = (0xEF, 0xF6, 0xFF), (0x1D, 0x4E, 0xD8)
    fraction = min(1.0, max(0.0, fraction))
    return "#" + "".join(f"{round(a + (b - a) * fraction):02x}" for a, b in zip(low, high, strict=True))


def _star(svg: _Svg, x: float, y: float, radius: float, colour: str) -> None:
    """A five-pointed star centred at (x, y): the mark of the unit that has waited longest."""
    import math

    points = []
    for index in range(10):
        r = radius if index % 2 == 0 else radius * 0.45
        angle = math.pi / 2 + index * math.pi / 5
        points.append(f"{_num(x + r * math.cos(angle))},{_num(y - r * math.sin(angle))}")
    svg.add("polygon", points=" ".join(points), fill=colour)


def fairness(
    committee: Committee,
    plan: Plan | None,
    *,
    language: str | None = None,
    counts: Sequence[RoleCount] | None = None,
) -> str:
    """A heat map: one row per unit, one column per role, the number of turns in each cell.

    The big number is the total over the history (the committee's fairness
    window) and the plan, the small one shows how it splits (history + plan).
    The shading is on a fixed scale (0 to `SCALE_TOP` or more turns), the same
    in every picture. A star marks, per role, the unit that has waited longest.
    A unit that does not take part in a role has a hatched cell. The title
    names the period: the history counted and the dates of the first and last
    meeting of the plan. `plan` may be None (the history alone); `counts`
    defaults to `rotation.fairness.role_counts`.
    """
    from rotation.fairness import fairness_since

    language = language_of(committee, language)
    by_cell = {
        (count.unit, count.role): count for count in (counts if counts is not None else role_counts(committee, plan))
    }
    units = [unit for unit in committee.order if any(unit == key[0] for key in by_cell)] or list(committee.order)
    roles = list(committee.roles)

    def count_of(unit: str, role: str) -> RoleCount:
        found = by_cell.get((unit, role))
        if found is None:
            return RoleCount(unit, role, 0, 0, None, unit in committee.eligible(role), False)
        return found

    since = fairness_since(committee, plan)
    since_text = _word("since", language, date=since) if since else ""
    if plan is not None and plan.meetings:
        first, last = plan.meetings[0].date, plan.meetings[-1].date
        title = _word("fairness_title", language, since=since_text, start=first, end=last)
    else:
        title = _word("fairness_history", language, since=since_text)

    size = 12.0
    cell_width, head_height = 96.0, 30.0
    name_width = min(260.0, max(_text_width(name, size) for name in [*units, _word("unit", language)]) + 8)
    left = PAD + name_width
    width = max(left + cell_width * len(roles) + PAD, WIDTH * 0.8)
    title_lines = _wrap_lines(title, width - 2 * PAD, 13)

    svg = _Svg()
    svg.add(
        "defs",
        '<pattern id="fairness-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3f4f6"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#cbd5e1" stroke-width="2"/></pattern>',
    )
    for number, line in enumerate(title_lines):
        svg.text(PAD, 20 + number * 17, line, size=13, font_weight="600")
    top = 20 + len(title_lines) * 17
    svg.text(PAD, top + 19, _word("unit", language), size=size, font_weight="600")
    for column, role in enumerate(roles):
        x = left + column * cell_width
        heading = role.label(language)
        heading = heading[:1].upper() + heading[1:]
        svg.text(x + cell_width / 2, top + 19, heading, size=size, font_weight="600", text_anchor="middle")
    y = top + head_height
    for unit in units:
        lines = _wrap_lines(unit, name_width - 8, size)
        row_height = max(34.0, len(lines) * 15 + 8)
        first_line = y + row_height / 2 + 4 - (len(lines) - 1) * 7.5
        for number, line in enumerate(lines):
            svg.text(PAD, first_line + number * 15, line, size=size)
        for column, role in enumerate(roles):
            x = left + column * cell_width
            count = count_of(unit, role.key)
            svg.open("g")
            taking_part = count.eligible
            fraction = min(count.total, SCALE_TOP) / SCALE_TOP
            ink = "#ffffff" if taking_part and fraction > 0.5 else "#1f2937"
            svg.add(
                "title",
                _esc(
                    f"{unit} · {role.label(language)}: {count.total} "
                    f"({_word('history', language)} {count.past}, {_word('plan', language)} {count.planned})"
                ),
            )
            fill = _blend(fraction) if taking_part else "url(#fairness-hatch)"
            svg.add("rect", x=x + 1, y=y + 1, width=cell_width - 2, height=row_height - 2, fill=fill)
            middle, centre = x + cell_width / 2, y + row_height / 2
            if taking_part or count.total:
                # a unit outside the rotation of a role can still have held it at a pinned meeting
                if plan is not None:
                    svg.text(
                        middle, centre + 1, str(count.total), size=14, font_weight="700", text_anchor="middle", fill=ink
                    )
                    svg.text(
                        middle,
                        centre + 14,
                        f"{count.past} + {count.planned}",
                        size=SMALL,
                        text_anchor="middle",
                        fill=ink,
                    )
                else:
                    svg.text(
                        middle, centre + 5, str(count.total), size=14, font_weight="700", text_anchor="middle", fill=ink
                    )
            else:
                svg.text(middle, centre + 5, "–", size=13, text_anchor="middle", fill="#64748b")
            if count.waited_longest:
                _star(svg, x + cell_width - 11, y + 11, 7, "#f59e0b")
            svg.close("g")
        y += row_height
    # the key: the fixed scale, the star, the numbers and the hatching
    y += 22
    svg.text(PAD, y, _word("key_scale", language), fill="#475569")
    x = PAD + _text_width(_word("key_scale", language), SMALL) + 8
    for turns in range(SCALE_TOP + 1):
        label = f"{turns}+" if turns == SCALE_TOP else str(turns)
        fraction = turns / SCALE_TOP
        svg.add("rect", x=x, y=y - 12, width=30, height=17, fill=_blend(fraction))
        svg.text(x + 15, y + 1, label, text_anchor="middle", fill="#ffffff" if fraction > 0.5 else "#1f2937")
        x += 32
    y += 20
    _star(svg, PAD + 7, y - 4, 7, "#f59e0b")
    svg.text(PAD + 20, y, _word("key_longest", language), fill="#475569")
    y += 16
    svg.text(PAD, y, _word("key_numbers" if plan is not None else "key_history", language), fill="#475569")
    y += 16
    svg.text(PAD, y, _word("key_hatched", language), fill="#475569")
    height = y + 10
    return svg.document(width, height, title, "fairness")
