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

from rotation.documents._common import day_text, language_of, xml_text
from rotation.domain import Blackout, Committee, Meeting, Mode, Plan
from rotation.fairness import RoleCount, role_counts
from rotation.i18n import format_date, mode_label

__all__ = ["fairness", "year_at_a_glance", "year_at_a_glance_bands"]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"
WIDTH = 700
"""The width of the year picture: printed on A4 (186 mm between the margins) its smallest text is 8 points."""
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

_MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
_WORDS = {
    "year": {"nl": "Jaaroverzicht {start} tot en met {end}", "en": "Year at a glance, {start} to {end}"},
    "fairness_title": {
        "nl": "Beurten per eenheid en rol: geschiedenis{since} + planning {start} – {end}",
        "en": "Turns per unit and role: history{since} + plan {start} – {end}",
    },
    "fairness_history": {
        "nl": "Beurten per eenheid en rol in de geschiedenis{since}",
        "en": "Turns per unit and role in the history{since}",
    },
    "since": {"nl": " sinds {date}", "en": " since {date}"},
    "key_longest": {"nl": "wacht het langst op deze rol", "en": "has waited longest for this role"},
    "key_scale": {"nl": "Aantal beurten:", "en": "Turns:"},
    "fixed": {"nl": "vaste datum", "en": "fixed date"},
    "fairness": {"nl": "Verdeling van de rollen per eenheid", "en": "Roles per unit"},
    "unit": {"nl": "Eenheid", "en": "Unit"},
    "key_numbers": {
        "nl": "Groot: aantal keren in totaal; klein: geschiedenis + planning.",
        "en": "Large: times in total; small: history + plan.",
    },
    "key_history": {"nl": "Aantal keren in de geschiedenis.", "en": "Times in the history."},
    "key_hatched": {
        "nl": "Gearceerd: neemt niet deel aan deze rol.",
        "en": "Hatched: does not take part in this role.",
    },
    "public_holiday": {"nl": "feestdag", "en": "public holiday"},
    "school_holiday": {"nl": "schoolvakantie", "en": "school holiday"},
    "study_day": {"nl": "studiedag", "en": "study day"},
    "unit_kind": {"nl": "eenheid verhinderd", "en": "unit unavailable"},
    "period": {"nl": "geen vergadering", "en": "no meeting"},
    "history": {"nl": "geschiedenis", "en": "history"},
    "plan": {"nl": "planning", "en": "plan"},
}


def _word(key: str, language: str) -> str:
    return _WORDS[key][language]


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


def _months(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    out = []
    first = start.replace(day=1)
    while first <= end:
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        out.append((max(first, start), min(following - dt.timedelta(days=1), end)))
        first = following
    return out


def _short_date(day: dt.date, language: str) -> str:
    return f"{day.day} {_MONTHS[language][day.month - 1]}"


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


def _strips(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The rows of the picture: whole months, one row of at most twelve (thirteen when that is all)."""
    months = _months(start.replace(day=1), end)
    first_days = [first for first, _ in months]
    if len(first_days) <= 13:
        groups = [first_days]
    else:
        groups = [first_days[index : index + 12] for index in range(0, len(first_days), 12)]
    out = []
    for group in groups:
        last = group[-1]
        following = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        out.append((group[0], following - dt.timedelta(days=1)))
    return out


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


_LIST_BAND = 15
"""Meetings per band of the list below the year picture (each band fits a printed page)."""


def year_at_a_glance(
    committee: Committee,
    plan: Plan,
    *,
    language: str | None = None,
    blackouts: Sequence[Blackout] | None = None,
) -> str:
    """The horizon's months, a row per year, with the meetings marked by mode and the blackout periods shaded.

    Every month is named, and each row starts with its year. MS Teams meetings
    are blue dots, physical meetings orange squares, and a meeting with a date
    fixed in advance has a dark ring; each carries its date, and below the rows
    every meeting is listed with its mode, place and chair (the first role), so
    that a printout shows them too. Each blackout period is shaded and listed
    with its reason. `blackouts` defaults to the committee's blackouts over the
    plan's horizon. Days outside the horizon are greyed.
    """
    svg, title, bands = _year(committee, plan, language=language, blackouts=blackouts)
    return svg.document(WIDTH, bands[-1][1], title, "year")


def year_at_a_glance_bands(
    committee: Committee,
    plan: Plan,
    *,
    language: str | None = None,
    blackouts: Sequence[Blackout] | None = None,
) -> list[str]:
    """`year_at_a_glance` cut into pictures that each fit a printed page.

    The first holds the title, the key and the first year's row; then one
    picture per row; then the list of meetings, fifteen to a picture. A page
    that prints them one below the other breaks between them, never inside one.
    """
    svg, title, bands = _year(committee, plan, language=language, blackouts=blackouts)
    return [
        svg.document(WIDTH, y1 - y0, title, f"year-{number}", top=y0, parts=slice(first, last))
        for number, (y0, y1, first, last) in enumerate(bands, 1)
    ]


def _year(
    committee: Committee,
    plan: Plan,
    *,
    language: str | None,
    blackouts: Sequence[Blackout] | None,
) -> tuple[_Svg, str, list[tuple[float, float, int, int]]]:
    """The drawing of the year picture, its title and its bands: (top, bottom, first part, end of the parts)."""
    language = language_of(committee, language)
    start, end = plan.start, plan.end
    if blackouts is None:
        blackouts = _resolve_blackouts(committee, plan, language)
    periods = _periods(blackouts, start, end)
    left, right = float(PAD + 40), float(WIDTH - PAD)

    svg = _Svg()
    title = _word("year", language).format(start=format_date(start, language), end=format_date(end, language))
    svg.text(PAD, 20, title, size=13, font_weight="600")
    legend: list[tuple[str, str]] = [
        ("teams", mode_label(Mode.TEAMS, language)),
        ("physical", mode_label(Mode.PHYSICAL, language)),
        ("fixed", _word("fixed", language)),
    ]
    for kind in KIND_COLOURS:
        if any(p.kind == kind for p in periods):
            legend.append((kind, _kind_label(kind, language)))
    top = _legend(svg, legend, 44, right) + 4
    bands: list[tuple[float, float, int, int]] = []
    cut_top, cut_first = 0.0, 0

    for strip_start, strip_end in _strips(start, end):
        days = (strip_end - strip_start).days + 1
        per_day = (right - left) / days

        def x_of(day: dt.date, strip_start: dt.date = strip_start, per_day: float = per_day) -> float:
            return left + (day - strip_start).days * per_day

        # the meetings' dates above them, raised a line where they would run into the one before
        shown = [m for m in plan.meetings if strip_start <= m.date <= strip_end and start <= m.date <= end]
        label_lanes: list[float] = []
        labels: list[tuple[Meeting, float, str, int]] = []
        for meeting in shown:
            x = x_of(meeting.date) + per_day / 2
            label = _short_date(meeting.date, language)
            half = _text_width(label, SMALL) / 2 + 3
            label_x = min(max(x, left + half), right - half)  # keep the date inside the picture
            lane = next((i for i, free in enumerate(label_lanes) if free <= label_x - half), None)
            if lane is None:
                label_lanes.append(0.0)
                lane = len(label_lanes) - 1
            label_lanes[lane] = label_x + half
            labels.append((meeting, label_x, label, lane))
        raised = 13.0 * max(len(label_lanes) - 1, 0)
        band_top, marker_y, axis_top = top, top + 34 + raised, top + 50 + raised
        new_year = strip_start.month != 1 and strip_end.year > strip_start.year
        axis_bottom = axis_top + (34 if new_year else 20)
        svg.text(PAD, axis_top + 15, str(strip_start.year), size=12, font_weight="700")
        # blackout shading behind the meetings and the axis
        inside = [p for p in periods if p.end >= strip_start and p.start <= strip_end]
        svg.open("g", fill_opacity=0.25)
        for period in inside:
            x0 = x_of(max(period.start, strip_start))
            x1 = x_of(min(period.end, strip_end) + dt.timedelta(days=1))
            kind_colour = KIND_COLOURS.get(period.kind, KIND_COLOURS["period"])
            svg.add("rect", x=x0, y=band_top, width=max(x1 - x0, 1.5), height=axis_bottom - band_top, fill=kind_colour)
        svg.close("g")
        # the months, each named; a new year's January carries its year; days outside the horizon greyed
        months = _months(strip_start, strip_end)
        for index, (first, last) in enumerate(months):
            x0, x1 = x_of(first), x_of(last + dt.timedelta(days=1))
            fill = "#e2e8f0" if index % 2 else "#f1f5f9"
            svg.add("rect", x=x0, y=axis_top, width=x1 - x0, height=axis_bottom - axis_top, fill=fill)
        for a, b in ((strip_start, start - dt.timedelta(days=1)), (end + dt.timedelta(days=1), strip_end)):
            if a <= b and b >= strip_start and a <= strip_end:
                x0, x1 = x_of(max(a, strip_start)), x_of(min(b, strip_end) + dt.timedelta(days=1))
                svg.add(
                    "rect",
                    x=x0,
                    y=band_top,
                    width=x1 - x0,
                    height=axis_bottom - band_top,
                    fill="#ffffff",
                    fill_opacity=0.7,
                )
        for index, (first, last) in enumerate(months):
            x0, x1 = x_of(first), x_of(last + dt.timedelta(days=1))
            name = _MONTHS[language][first.month - 1]
            svg.text((x0 + x1) / 2, axis_top + 14, name, text_anchor="middle")
            if first.month == 1 and index:  # a new year inside the row: its year under the month
                svg.add("line", x1=x0, y1=band_top, x2=x0, y2=axis_bottom, stroke="#475569", stroke_width=1.2)
                svg.text((x0 + x1) / 2, axis_top + 28, str(first.year), text_anchor="middle", font_weight="700")
        svg.add("line", x1=left, y1=axis_top, x2=right, y2=axis_top, stroke="#94a3b8", stroke_width=1)
        # the meetings
        for meeting, label_x, label, lane in labels:
            x = x_of(meeting.date) + per_day / 2
            svg.open("g")
            svg.add("title", _esc(_meeting_title(committee, meeting, language)))
            svg.add("line", x1=x, y1=marker_y, x2=x, y2=axis_top, stroke="#94a3b8", stroke_width=1)
            _marker(svg, meeting.mode, x, marker_y, fixed=meeting.fixed_date)
            svg.text(label_x, marker_y - 15 - 13 * lane, label, text_anchor="middle", font_weight="600")
            svg.close("g")
        # the blackout periods with their reasons, in lanes that do not overlap
        lanes: list[float] = []
        lane_top, lane_height = axis_bottom + 8, 17.0
        placed: list[tuple[int, _Period, float, float, str, bool]] = []
        for period in inside:
            x0 = x_of(max(period.start, strip_start))
            x1 = max(x_of(min(period.end, strip_end) + dt.timedelta(days=1)), x0 + 1.5)
            label = " / ".join(period.reasons)
            width = _text_width(label, SMALL)
            to_left = x1 + 4 + width > right and x0 - 4 - width >= PAD
            occupied = (x0 - 4 - width, x1) if to_left else (x0, x1 + 4 + width)
            lane = next((i for i, free in enumerate(lanes) if free + 6 <= occupied[0]), None)
            if lane is None:
                lanes.append(occupied[1])
                lane = len(lanes) - 1
            else:
                lanes[lane] = occupied[1]
            placed.append((lane, period, x0, x1, label, to_left))
        for lane, period, x0, x1, label, to_left in placed:
            y = lane_top + lane * lane_height
            colour = KIND_COLOURS.get(period.kind, KIND_COLOURS["period"])
            span = format_date(period.start, language)
            if period.end != period.start:
                span += f" – {format_date(period.end, language)}"
            svg.open("g")
            svg.add("title", _esc(f"{label}: {span}"))
            svg.add("rect", x=x0, y=y, width=x1 - x0, height=10, fill=colour, fill_opacity=0.8)
            if to_left:
                svg.text(x0 - 4, y + 9, label, text_anchor="end")
            else:
                svg.text(x1 + 4, y + 9, label)
            svg.close("g")
        top = lane_top + len(lanes) * lane_height + 14
        bands.append((cut_top, top, cut_first, len(svg.parts)))
        cut_top, cut_first = top, len(svg.parts)

    # every meeting with its mode, place and chair, for a printout
    date_width = max([_text_width(day_text(m.date, language), SMALL) for m in plan.meetings] + [0.0]) + 8
    text_left = PAD + 22 + date_width
    y = top + 14
    for number, meeting in enumerate(plan.meetings):
        if number and number % _LIST_BAND == 0:
            bands.append((cut_top, y - 10, cut_first, len(svg.parts)))
            cut_top, cut_first = y - 10, len(svg.parts)
        _marker(svg, meeting.mode, PAD + 8, y - 4, fixed=meeting.fixed_date, scale=0.75)
        svg.text(PAD + 22, y, day_text(meeting.date, language), font_weight="600")
        lines = _wrap_lines(_meeting_line(committee, meeting, language), right - text_left, SMALL)
        for number, line in enumerate(lines):
            svg.text(text_left, y + number * 15, line)
        y += len(lines) * 15 + 5
    bands.append((cut_top, y + 4, cut_first, len(svg.parts)))
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
    since_text = _word("since", language).format(date=format_date(since, language)) if since else ""
    if plan is not None and plan.meetings:
        first, last = plan.meetings[0].date, plan.meetings[-1].date
        title = _word("fairness_title", language).format(
            since=since_text, start=format_date(first, language), end=format_date(last, language)
        )
    else:
        title = _word("fairness_history", language).format(since=since_text)

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
