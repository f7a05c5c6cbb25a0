"""The planning as one printable HTML page that needs nothing else.

The page holds the planning (in two tables for a committee with two chains, as
in the minutes), the year at a glance (in bands that each fit a printed page, and
drawn a second time narrower for a phone) and the fairness picture (inline SVG),
with its style sheet inline and a print style sheet for A4; on a phone each
meeting becomes a card. It loads no fonts, scripts, images or style sheets, and its
Content-Security-Policy forbids the browser to fetch anything. Every text from
the committee file is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Sequence
from pathlib import Path

from rotation.documents import pictures
from rotation.domain import Blackout, Committee, Plan
from rotation.files import atomic_write
from rotation.formats.document import language_of, parts, period_text, xml_text
from rotation.formats.document import notes as planning_notes
from rotation.i18n import text
from rotation.messages import gettext

__all__ = ["to_bytes", "to_html", "write_html"]

_STYLE = """
:root { color-scheme: light; --ink: #1f2937; --muted: #475569; --line: #cbd5e1;
  --head: #d9e2f3; --fixed: #fff2cc; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; overflow-wrap: break-word; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
p, ul { margin: 0 0 .6rem; }
.period, .key { color: var(--muted); }
.key { font-size: .9rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top;
  overflow-wrap: break-word; word-break: normal; hyphens: manual; }
thead th { background: var(--head); }
tr.fixed td { background: var(--fixed); }
td.when { min-width: 8em; }
td.when .day, td.when .time { white-space: nowrap; }
figure { margin: 0; overflow-x: auto; }
figure svg { display: block; width: auto; max-width: 100%; height: auto; }
figure .narrow { display: none; }
@media (max-width: 640px) {
  main { padding: 12px; }
  h1 { font-size: 1.3rem; }
  table.planning, table.planning tbody, table.planning tr, table.planning td { display: block; width: auto; }
  table.planning thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.planning tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .6rem; padding: .3rem .5rem; }
  table.planning tr.fixed { background: var(--fixed); }
  table.planning td { border: 0; padding: .15rem 0; display: grid; grid-template-columns: 7.5em 1fr; gap: .5rem; }
  table.planning td::before { content: attr(data-label); font-weight: 600; color: var(--muted); }
  table.planning td.when { font-weight: 600; }
  figure svg { width: 640px; max-width: none; }
  figure .wide { display: none; }
  figure .narrow { display: block; }
  figure .narrow svg { width: auto; max-width: 100%; }
}
@media print {
  @page { size: A4; margin: 12mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  table { font-size: 9pt; }
  th, td { padding: .2rem .3rem; }
  h2 { margin-top: 1.2rem; }
  thead { display: table-header-group; }
  tr, .notes { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  figure { overflow: visible; }
  figure svg { break-inside: avoid; }
  figure svg { width: auto; max-width: 100%; }
}
"""

_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _esc(value: str) -> str:
    return html.escape(xml_text(value), quote=True)


def _word(key: str, language: str) -> str:
    return gettext(language, f"doc.{key}")


def _cell(lines: tuple[str, ...], label: str, *, when: dt.date | None = None) -> str:
    label_attribute = f' data-label="{_esc(label)}"'
    if when is not None:
        day, _, time = lines[0].rpartition(" ")
        inner = (
            f'<time datetime="{when.isoformat()}"><span class="day">{_esc(day)}</span> '
            f'<span class="time">{_esc(time)}</span></time>'
        )
        return f'<td class="when"{label_attribute}>{inner}</td>'
    if len(lines) == 1:
        return f"<td{label_attribute}>{_esc(lines[0])}</td>"
    inner = "<br>".join(_esc(line) for line in lines)
    return f'<td{label_attribute}><span class="lines">{inner}</span></td>'


def to_html(
    committee: Committee,
    plan: Plan,
    *,
    language: str | None = None,
    blackouts: Sequence[Blackout] | None = None,
    one_table: bool = False,
) -> str:
    """The page as text. `blackouts` defaults to the committee's blackouts over the plan's horizon."""
    language = language_of(committee, language)
    tables = parts(committee, plan, language, one_table=one_table)
    period = period_text(plan, language)
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
    ]
    for part in tables:
        if len(tables) > 1:
            out.append(f"<h3>{_esc(part.heading)}</h3>")
        out.append('<table class="planning">')
        out.append(
            "<thead><tr>" + "".join(f'<th scope="col">{_esc(label)}</th>' for label in part.header) + "</tr></thead>"
        )
        out.append("<tbody>")
        for meeting, values in zip(part.meetings, part.rows, strict=True):
            cells = [_cell(values[0], part.header[0], when=meeting.date)]
            cells.extend(_cell(lines, label) for lines, label in zip(values[1:], part.header[1:], strict=True))
            row_class = ' class="fixed"' if meeting.fixed_date else ""
            out.append(f"<tr{row_class}>{''.join(cells)}</tr>")
        out.extend(["</tbody>", "</table>"])
    notes = planning_notes(plan, language)
    if notes or any(meeting.fixed_date for meeting in plan.meetings):
        out.append('<div class="notes">')
        if any(meeting.fixed_date for meeting in plan.meetings):
            out.append(f'<p class="key">{_esc(gettext(language, "doc.fixed_key"))}</p>')
        if notes:
            out.append(f"<h3>{_esc(text('title', language))}</h3>")
            out.append("<ul>" + "".join(f"<li>{_esc(note)}</li>" for note in notes) + "</ul>")
        out.append("</div>")
    out.append("</section>")
    wide = pictures.year_at_a_glance_bands(committee, plan, language=language, blackouts=blackouts)
    narrow = pictures.year_at_a_glance_bands(
        committee, plan, language=language, blackouts=blackouts, width=pictures.PHONE_WIDTH, ident="year-phone"
    )
    year = ['<div class="wide">', *wide, "</div>", '<div class="narrow">', *narrow, "</div>"]
    fairness = [pictures.fairness(committee, plan, language=language)]
    for key, drawings in (("year", year), ("fairness", fairness)):
        out.append(f'<section class="picture {key}">')
        out.extend([f"<h2>{_esc(_word(key, language))}</h2>", f'<figure class="{key}">'])
        out.extend(drawing.rstrip("\n") for drawing in drawings)
        out.extend(["</figure>", "</section>"])
    out.extend(["</main>", "</body>", "</html>", ""])
    return "\n".join(out)


def to_bytes(committee: Committee, plan: Plan, *, language: str | None = None, one_table: bool = False) -> bytes:
    """The page as UTF-8 bytes; the same plan always gives the same bytes."""
    return to_html(committee, plan, language=language, one_table=one_table).encode("utf-8")


def write_html(
    committee: Committee,
    plan: Plan,
    path: str | os.PathLike[str],
    *,
    language: str | None = None,
    one_table: bool = False,
) -> Path:
    """Write the page to `path` (atomically) and return the path.

    >>> write_html(committee, plan, "planning-2024.html")  # doctest: +SKIP
    """
    return atomic_write(path, to_bytes(committee, plan, language=language, one_table=one_table))
