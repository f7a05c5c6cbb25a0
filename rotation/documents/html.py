"""The planning as one printable HTML page that needs nothing else.

The page holds the planning table, the year at a glance and the fairness
picture (inline SVG), with its style sheet inline and a print style sheet for
A4. It loads no fonts, scripts, images or style sheets, and its
Content-Security-Policy forbids the browser to fetch anything. Every text from
the committee file is escaped.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path

from rotation.documents import pictures
from rotation.documents._common import language_of, planning_table, xml_text
from rotation.domain import Blackout, Committee, Plan
from rotation.files import atomic_write
from rotation.i18n import format_date, text

__all__ = ["to_bytes", "to_html", "write_html"]

_WORDS = {
    "planning": {"nl": "Planning", "en": "Planning"},
    "period": {"nl": "Vergaderingen van {start} tot en met {end}", "en": "Meetings from {start} to {end}"},
    "year": {"nl": "Jaaroverzicht", "en": "Year at a glance"},
    "fairness": {"nl": "Verdeling van de rollen", "en": "Roles per unit"},
    "fixed_row": {"nl": "Gele regel: datum staat vast.", "en": "Yellow row: the date is fixed."},
}

_STYLE = """
:root { color-scheme: light; --ink: #1f2937; --muted: #475569; --line: #cbd5e1;
  --head: #d9e2f3; --fixed: #fff2cc; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
p, ul { margin: 0 0 .6rem; }
.period, .key { color: var(--muted); }
.key { font-size: .9rem; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; word-break: normal; hyphens: auto; }
thead th { background: var(--head); }
tr.fixed td { background: var(--fixed); }
col.date { width: 7.2em; }
col.mode { width: 6.4em; }
figure { margin: 0; }
figure svg { display: block; width: 100%; height: auto; }
figure.fairness svg { width: auto; max-width: 100%; }
@media print {
  @page { size: A4; margin: 12mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  table { font-size: 8.5pt; }
  th, td { padding: .25rem .3rem; }
  h2 { margin-top: 1.2rem; }
  thead { display: table-header-group; }
  tr, figure, .notes { break-inside: avoid; }
  section.picture { break-inside: avoid; }
}
"""

_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _esc(value: str) -> str:
    return html.escape(xml_text(value), quote=True)


def _word(key: str, language: str) -> str:
    return _WORDS[key][language]


def to_html(
    committee: Committee,
    plan: Plan,
    *,
    language: str | None = None,
    blackouts: Sequence[Blackout] | None = None,
) -> str:
    """The page as text. `blackouts` defaults to the committee's blackouts over the plan's horizon."""
    language = language_of(committee, language)
    table = planning_table(committee, plan, language)
    period = _word("period", language).format(
        start=format_date(plan.start, language), end=format_date(plan.end, language)
    )
    title = f"{_word('planning', language)} {committee.name}"

    out = [
        "<!DOCTYPE html>",
        f'<html lang="{language}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{_esc(committee.name)}</h1>",
        f'<p class="period">{_esc(period)}</p>',
        "</header>",
        '<section class="planning">',
        f"<h2>{_esc(_word('planning', language))}</h2>",
        "<table>",
        "<colgroup>" + '<col class="date"><col class="mode">' + "<col>" * (len(table.header) - 2) + "</colgroup>",
        "<thead><tr>" + "".join(f'<th scope="col">{_esc(label)}</th>' for label in table.header) + "</tr></thead>",
        "<tbody>",
    ]
    for meeting, values in zip(table.meetings, table.rows, strict=True):
        cells = [f'<td><time datetime="{meeting.date.isoformat()}">{_esc(values[0])}</time></td>']
        cells.extend(f"<td>{_esc(value)}</td>" for value in values[1:])
        row_class = ' class="fixed"' if meeting.fixed_date else ""
        out.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    out.extend(["</tbody>", "</table>"])
    notes = table.notes(language)
    if notes:
        out.append('<div class="notes">')
        out.append(f"<h3>{_esc(text('title', language))}</h3>")
        out.append("<ul>" + "".join(f"<li>{_esc(note)}</li>" for note in notes) + "</ul>")
        if any(meeting.fixed_date for meeting in table.meetings):
            out.append(f'<p class="key">{_esc(_word("fixed_row", language))}</p>')
        out.append("</div>")
    out.append("</section>")
    year = pictures.year_at_a_glance(committee, plan, language=language, blackouts=blackouts)
    fairness = pictures.fairness(committee, plan, language=language)
    for key, picture in (("year", year), ("fairness", fairness)):
        out.extend(
            [
                f'<section class="picture {key}">',
                f"<h2>{_esc(_word(key, language))}</h2>",
                f'<figure class="{key}">',
                picture.rstrip("\n"),
                "</figure>",
                "</section>",
            ]
        )
    out.extend(["</main>", "</body>", "</html>", ""])
    return "\n".join(out)


def to_bytes(committee: Committee, plan: Plan, *, language: str | None = None) -> bytes:
    """The page as UTF-8 bytes; the same plan always gives the same bytes."""
    return to_html(committee, plan, language=language).encode("utf-8")


def write_html(committee: Committee, plan: Plan, path: str | os.PathLike[str], *, language: str | None = None) -> Path:
    """Write the page to `path` (atomically) and return the path.

    >>> write_html(committee, plan, "planning-2024.html")  # doctest: +SKIP
    """
    return atomic_write(path, to_bytes(committee, plan, language=language))
