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

from rotation.documents._common import language_of, xml_text
from rotation.domain import Blackout, Committee, Meeting, Mode, Plan
from rotation.fairness import RoleCount, role_counts
from rotation.i18n import format_date, mode_label

__all__ = ["fairness", "year_at_a_glance"]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"
WIDTH = 1000
PAD = 16

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
    "fixed": {"nl": "vaste datum", "en": "fixed date"},
    "fairness": {"nl": "Verdeling van de rollen per eenheid", "en": "Roles per unit"},
    "unit": {"nl": "Eenheid", "en": "Unit"},
    "key_numbers": {
        "nl": "Groot: aantal keren in totaal; klein: geschiedenis + planning.",
        "en": "Large: times in total; small: history + plan.",
    },
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
    return len(value) * size * 0.56


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

    def text(self, x: float, y: float, value: str, *, size: float = 11, **attributes: str | float) -> None:
        self.add("text", _esc(value), x=x, y=y, font_size=size, **attributes)

    def document(self, width: float, height: float, title: str, ident: str) -> str:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" '
            f'width="{_num(width)}" height="{_num(height)}" role="img" aria-labelledby="{ident}-title" '
            f'font-family="{_esc(FONT)}" fill="#1f2937">'
            f'<title id="{ident}-title">{_esc(title)}</title>'
        )
        return head + "".join(self.parts) + "</svg>\n"


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


def _legend(svg: _Svg, items: Sequence[tuple[str, str]], language: str, y: float) -> None:
    x = float(PAD)
    for kind, label in items:
        if kind in ("teams", "physical", "fixed"):
            mode = Mode.TEAMS if kind == "teams" else Mode.PHYSICAL
            if kind == "fixed":
                svg.add("circle", cx=x + 8, cy=y, r=7, fill="none", stroke=FIXED_COLOUR, stroke_width=2.2)
            else:
                _marker(svg, mode, x + 8, y, scale=0.8)
        else:
            svg.add("rect", x=x, y=y - 6, width=16, height=12, fill=KIND_COLOURS[kind], fill_opacity=0.35)
        svg.text(x + 22, y + 4, label)
        x += 22 + _text_width(label, 11) + 18


def year_at_a_glance(
    committee: Committee,
    plan: Plan,
    *,
    language: str | None = None,
    blackouts: Sequence[Blackout] | None = None,
) -> str:
    """The horizon's months on an axis, with the meetings marked by mode and the blackout periods shaded.

    MS Teams meetings are blue dots, physical meetings orange squares, and a
    meeting with a date fixed in advance has a dark ring. Each blackout period is
    shaded behind the axis and listed below it with its reason. `blackouts`
    defaults to the committee's blackouts over the plan's horizon.
    """
    language = language_of(committee, language)
    start, end = plan.start, plan.end
    if blackouts is None:
        blackouts = _resolve_blackouts(committee, plan, language)
    periods = _periods(blackouts, start, end)
    days = (end - start).days + 1
    left, right = float(PAD), float(WIDTH - PAD)
    per_day = (right - left) / days

    def x_of(day: dt.date) -> float:
        return left + (day - start).days * per_day

    svg = _Svg()
    legend: list[tuple[str, str]] = [
        ("teams", mode_label(Mode.TEAMS, language)),
        ("physical", mode_label(Mode.PHYSICAL, language)),
        ("fixed", _word("fixed", language)),
    ]
    for kind in KIND_COLOURS:
        if any(p.kind == kind for p in periods):
            legend.append((kind, _kind_label(kind, language)))
    _legend(svg, legend, language, 18)

    band_top, marker_y, axis_top, axis_bottom = 40.0, 78.0, 100.0, 124.0

    # blackout shading behind the meetings and the axis
    svg.open("g", fill_opacity=0.25)
    for period in periods:
        x0, x1 = x_of(period.start), x_of(period.end + dt.timedelta(days=1))
        svg.add(
            "rect",
            x=x0,
            y=band_top,
            width=max(x1 - x0, 1.5),
            height=axis_bottom - band_top,
            fill=KIND_COLOURS.get(period.kind, KIND_COLOURS["period"]),
        )
    svg.close("g")

    # the months
    for index, (first, last) in enumerate(_months(start, end)):
        x0, x1 = x_of(first), x_of(last + dt.timedelta(days=1))
        svg.add(
            "rect",
            x=x0,
            y=axis_top,
            width=x1 - x0,
            height=axis_bottom - axis_top,
            fill="#e2e8f0" if index % 2 else "#f1f5f9",
            fill_opacity=0.85,
        )
        name = _MONTHS[language][first.month - 1]
        candidates = (f"{name} {first.year}", name) if index == 0 or first.month == 1 else (name,)
        for label in candidates:
            if _text_width(label, 11) + 4 <= x1 - x0:
                svg.text((x0 + x1) / 2, axis_top + 16, label, text_anchor="middle")
                break
    svg.add("line", x1=left, y1=axis_top, x2=right, y2=axis_top, stroke="#94a3b8", stroke_width=1)

    # the meetings
    for meeting in plan.meetings:
        if not start <= meeting.date <= end:
            continue
        x = x_of(meeting.date) + per_day / 2
        svg.open("g")
        svg.add("title", _esc(_meeting_title(committee, meeting, language)))
        svg.add("line", x1=x, y1=marker_y, x2=x, y2=axis_top, stroke="#94a3b8", stroke_width=1)
        _marker(svg, meeting.mode, x, marker_y, fixed=meeting.fixed_date)
        label_x = min(max(x, left + 18), right - 18)  # keep the date inside the picture
        svg.text(label_x, marker_y - 16, _short_date(meeting.date, language), text_anchor="middle", font_weight="600")
        svg.close("g")

    # the blackout periods with their reasons, in lanes that do not overlap
    lanes: list[float] = []
    lane_top, lane_height = axis_bottom + 14, 18.0
    placed: list[tuple[int, _Period, float, float, str, bool]] = []
    for period in periods:
        x0 = x_of(period.start)
        x1 = max(x_of(period.end + dt.timedelta(days=1)), x0 + 1.5)
        label = " / ".join(period.reasons)
        width = _text_width(label, 10.5)
        to_left = x1 + 4 + width > right and x0 - 4 - width >= left
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
            svg.text(x0 - 4, y + 9, label, size=10.5, text_anchor="end")
        else:
            svg.text(x1 + 4, y + 9, label, size=10.5)
        svg.close("g")

    height = lane_top + len(lanes) * lane_height + 8
    title = _word("year", language).format(start=format_date(start, language), end=format_date(end, language))
    return svg.document(WIDTH, height, title, "year")


# --- fairness ---------------------------------------------------------------------------------


def _wrap(name: str, width: float, size: float) -> list[str]:
    """`name` in at most two lines that fit `width`, broken at spaces or hyphens; the rest is cut with an ellipsis."""
    if _text_width(name, size) <= width:
        return [name]
    lines, line = [], ""
    for piece in _pieces(name):
        if line and _text_width(line + piece.rstrip(), size) > width:
            lines.append(line.rstrip())
            line = ""
        line += piece
    lines.append(line.rstrip())
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    limit = max(1, int(width / (size * 0.56)))
    return [line if len(line) <= limit else line[: limit - 1] + "…" for line in lines]


def _pieces(name: str) -> list[str]:
    pieces, current = [], ""
    for char in name:
        current += char
        if char in " -":
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _blend(fraction: float) -> str:
    low, high = (0xEF, 0xF6, 0xFF), (0x1D, 0x4E, 0xD8)
    fraction = min(1.0, max(0.0, fraction))
    return "#" + "".join(f"{round(a + (b - a) * fraction):02x}" for a, b in zip(low, high, strict=True))


def fairness(
    committee: Committee,
    plan: Plan,
    *,
    language: str | None = None,
    counts: Sequence[RoleCount] | None = None,
) -> str:
    """A heat map: one row per unit, one column per role, the number of turns in each cell.

    The big number is the total over the history (the committee's fairness
    window) and the plan, the small one shows how it splits (history + plan).
    The darker the cell, the more turns. A unit that does not take part in a
    role has a hatched cell. `counts` defaults to `rotation.fairness.role_counts`.
    """
    language = language_of(committee, language)
    by_cell = {
        (count.unit, count.role): count for count in (counts if counts is not None else role_counts(committee, plan))
    }
    units = list(committee.order)
    roles = list(committee.roles)

    def count_of(unit: str, role: str) -> RoleCount:
        found = by_cell.get((unit, role))
        if found is None:
            return RoleCount(unit, role, 0, 0, None, unit in committee.eligible(role), False)
        return found

    name_width = min(230.0, max(_text_width(name, 12) for name in [*units, _word("unit", language)]) + 8)
    cell_width, cell_height, head_height = 96.0, 34.0, 30.0
    top = 8.0
    left = PAD + name_width
    width = max(left + cell_width * len(roles) + PAD, 420.0)
    highest = max([count_of(unit, role.key).total for unit in units for role in roles] + [1])

    svg = _Svg()
    svg.add(
        "defs",
        '<pattern id="fairness-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3f4f6"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#cbd5e1" stroke-width="2"/></pattern>',
    )
    svg.text(PAD, top + 19, _word("unit", language), size=12, font_weight="600")
    for column, role in enumerate(roles):
        x = left + column * cell_width
        heading = role.label(language)
        heading = heading[:1].upper() + heading[1:]
        svg.text(x + cell_width / 2, top + 19, heading, size=12, font_weight="600", text_anchor="middle")
    for row, unit in enumerate(units):
        y = top + head_height + row * cell_height
        lines = _wrap(unit, name_width - 8, 12)
        first_line = y + cell_height / 2 + 4 - (len(lines) - 1) * 7
        for number, line in enumerate(lines):
            svg.text(PAD, first_line + number * 14, line, size=12)
        for column, role in enumerate(roles):
            x = left + column * cell_width
            count = count_of(unit, role.key)
            svg.open("g")
            taking_part = count.eligible
            fraction = count.total / highest
            ink = "#ffffff" if taking_part and fraction > 0.55 else "#1f2937"
            svg.add(
                "title",
                _esc(
                    f"{unit} · {role.label(language)}: {count.total} "
                    f"({_word('history', language)} {count.past}, {_word('plan', language)} {count.planned})"
                ),
            )
            fill = _blend(fraction) if taking_part else "url(#fairness-hatch)"
            svg.add("rect", x=x + 1, y=y + 1, width=cell_width - 2, height=cell_height - 2, fill=fill)
            middle = x + cell_width / 2
            if taking_part or count.total:
                # a unit outside the rotation of a role can still have held it at a pinned meeting
                svg.text(middle, y + 17, str(count.total), size=14, font_weight="700", text_anchor="middle", fill=ink)
                svg.text(middle, y + 29, f"{count.past} + {count.planned}", size=9.5, text_anchor="middle", fill=ink)
            else:
                svg.text(middle, y + cell_height / 2 + 5, "–", size=13, text_anchor="middle", fill="#64748b")
            svg.close("g")
    bottom = top + head_height + len(units) * cell_height
    svg.text(PAD, bottom + 20, _word("key_numbers", language), size=10.5, fill="#475569")
    svg.text(PAD, bottom + 35, _word("key_hatched", language), size=10.5, fill="#475569")
    height = bottom + 45
    return svg.document(width, height, _word("fairness", language), "fairness")
