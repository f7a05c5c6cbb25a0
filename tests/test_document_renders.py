"""The documents as the people who receive them see them, rendered by real programs.

Word and Excel files go through LibreOffice (with Carlito, which has the
metrics of Calibri) to PDF; the HTML page goes through Chromium on a phone
(360 px), on a desktop (1280 px) and printed to A4; the PDF is read as it is.
Each is rendered for the example committee and for a committee of twenty units
with names up to sixty characters over three years, and the tests assert
layout facts: no word broken inside, the header row on every page the table
runs onto, the number of pages, and no text smaller than 8 points in print.

The renders are a handful of program runs (one LibreOffice run for all four
office files, six Chromium runs); they are skipped, with the reason, when
LibreOffice, poppler or Chromium is not installed (scripts/test.sh installs them).
"""

from __future__ import annotations

import html
import itertools
import json
import math
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from long_committee import LONG_NAMES, long_committee, long_plan

import rotation
from rotation import documents
from rotation.domain import Committee, Mode, Plan
from rotation.formats.document import unbreakable
from rotation.messages import gettext

pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed (pip install '.[test]')")

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_office = pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None,
    reason="LibreOffice (soffice) or poppler (pdftotext) is not installed; scripts/test.sh installs them with apt-get",
)
needs_poppler = pytest.mark.skipif(PDFTOTEXT is None, reason="poppler (pdftotext) is not installed")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed; scripts/test.sh installs it with apt-get"
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
TIME = "10:00\u201312:30"


@pytest.fixture(scope="module")
def committees() -> dict[str, tuple[Committee, Plan]]:
    example = rotation.example()
    long = long_committee()
    return {"example": (example, rotation.plan(example)), "long": (long, long_plan(long))}


def _texts(committee: Committee, plan: Plan, *, teams_location: bool = False) -> list[str]:
    """Every name and place the documents show (the MS Teams location only in the workbook)."""
    values = [committee.name]
    for meeting in plan.meetings:
        values.extend(meeting.roles.values())
        if teams_location or meeting.mode is not Mode.TEAMS:
            values.append(meeting.location)
        if meeting.title:
            values.append(meeting.title)
    return [" ".join(value.split()) for value in values if value.strip()]


def _pieces(value: str) -> Iterator[str]:
    """The parts of `value` that a line may not break inside, without the punctuation around them."""
    for piece in unbreakable(value):
        piece = piece.strip(",.;:()")
        if piece:
            yield piece


# --- reading a PDF ---------------------------------------------------------------------------------


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, as poppler lays it out (without joining a word hyphenated at a line end)."""
    assert PDFTOTEXT is not None
    pages = len(pypdf.PdfReader(pdf).pages)
    out = []
    for number in range(1, pages + 1):
        done = subprocess.run(
            [PDFTOTEXT, "-layout", "-f", str(number), "-l", str(number), "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        out.append(done.stdout.replace("\u00a0", " "))
    return out


def font_sizes(pdf: Path) -> list[tuple[float, str]]:
    """The size in points at which each piece of text is drawn (the font size scaled by the text and page matrices)."""
    out = []
    for page in pypdf.PdfReader(pdf).pages:

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
            if text.strip():
                c = tm[2] * cm[0] + tm[3] * cm[2]
                d = tm[2] * cm[1] + tm[3] * cm[3]
                out.append((size * math.hypot(c, d), text.strip()))

        page.extract_text(visitor_text=visit)
    return out


def assert_no_word_broken(pages: list[str], committee: Committee, plan: Plan, *, teams_location: bool = False) -> None:
    """Every word of every name is whole on some line (a word broken at a line end would be two pieces)."""
    tokens = set()
    for text in pages:
        for word in text.split():
            tokens.update(_pieces(word))
    values = _texts(committee, plan, teams_location=teams_location)
    missing = sorted({piece for value in values for piece in _pieces(value)} - tokens)
    assert not missing, f"broken or missing words: {missing[:10]}"


def assert_header_on_every_table_page(pages: list[str], header: str) -> None:
    table_pages = [number for number, text in enumerate(pages, 1) if TIME in text]
    assert table_pages, "no meeting found"
    for number in table_pages:
        assert header in pages[number - 1], f"page {number} has meetings but no header row"


def assert_print_type_at_least_8pt(pdf: Path) -> None:
    sizes = font_sizes(pdf)
    assert sizes
    smallest = min(sizes)
    assert smallest[0] >= 7.95, f"text at {smallest[0]:.2f} pt: {smallest[1]!r}"


# --- Word and Excel through LibreOffice --------------------------------------------------------------


@pytest.fixture(scope="module")
def office_pdfs(committees: dict[str, tuple[Committee, Plan]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Word and Excel files of both committees, turned into PDF by one LibreOffice run."""
    if SOFFICE is None or PDFTOTEXT is None:
        pytest.skip("LibreOffice or poppler is not installed")
    folder = tmp_path_factory.mktemp("office")
    files = []
    for name, (committee, plan) in committees.items():  # LibreOffice names each PDF after its file's stem
        files.append(str(documents.write("docx", committee, plan, folder / f"{name}-word.docx")))
        files.append(str(documents.write("xlsx", committee, plan, folder / f"{name}-sheet.xlsx")))
    committee, plan = committees["long"]
    files.append(str(documents.write("docx", committee, plan, folder / "long-one-table.docx", one_table=True)))
    profile = (folder / "profile").as_uri()
    command = [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    done = subprocess.run(
        [*command, "--outdir", str(folder), *files],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    for file in files:
        assert Path(file).with_suffix(".pdf").exists(), done.stderr[-2000:]
    return folder


@pytest.mark.slow
@needs_office
@pytest.mark.parametrize("name", ["example", "long"])
def test_word_renders_whole_words_and_repeats_the_header(
    office_pdfs: Path, committees: dict[str, tuple[Committee, Plan]], name: str
) -> None:
    committee, plan = committees[name]
    pdf = office_pdfs / f"{name}-word.pdf"
    pages = page_texts(pdf)
    assert len(pages) == (1 if name == "example" else 2)
    assert_no_word_broken(pages, committee, plan)
    assert_header_on_every_table_page(pages, "Datum")
    whole = "\n".join(pages)
    for meeting in plan.meetings:  # weekday, date and time together
        assert f"do {meeting.date:%d-%m-%Y}" in " ".join(whole.split())
    assert "Voorzitter en notulist" in whole and "Casus en kennis" in whole
    assert_print_type_at_least_8pt(pdf)
    width, height = pypdf.PdfReader(pdf).pages[0].mediabox.upper_right
    assert float(width) < float(height)  # four columns fit in portrait


@pytest.mark.slow
@needs_office
def test_word_turns_a_wide_table_landscape(office_pdfs: Path, committees: dict[str, tuple[Committee, Plan]]) -> None:
    committee, plan = committees["long"]
    pdf = office_pdfs / "long-one-table.pdf"
    pages = page_texts(pdf)
    width, height = pypdf.PdfReader(pdf).pages[0].mediabox.upper_right
    assert float(width) > float(height)  # seven columns of long names: landscape
    assert len(pages) <= 4
    assert_no_word_broken(pages, committee, plan)
    assert_header_on_every_table_page(pages, "Kennis")
    assert_print_type_at_least_8pt(pdf)


@pytest.mark.slow
@needs_office
@pytest.mark.parametrize("name", ["example", "long"])
def test_excel_prints_as_a_document(
    office_pdfs: Path, committees: dict[str, tuple[Committee, Plan]], name: str
) -> None:
    committee, plan = committees[name]
    pdf = office_pdfs / f"{name}-sheet.pdf"
    pages = page_texts(pdf)
    assert len(pages) == (1 if name == "example" else 2)
    assert "####" not in "".join(pages)  # every date fits its column
    assert_no_word_broken(pages, committee, plan, teams_location=True)
    assert_header_on_every_table_page(pages, "Tijd")
    for number, text in enumerate(pages, 1):  # title on top, period and page number at the foot of every page
        assert f"Planning {committee.name}" in " ".join(text.split())
        assert f"Pagina {number} van {len(pages)}" in text
        assert "Vergaderingen van" in text
    whole = " ".join("\n".join(pages).split())
    assert "Gele regel: de datum staat vast." in whole
    for meeting in plan.meetings:
        assert f"do {meeting.date:%d-%m-%Y}" in whole
        if meeting.title:
            assert meeting.title.split()[0] in whole  # in its notes cell, maybe wrapped
    assert_print_type_at_least_8pt(pdf)
    assert_rows_do_not_overlap(pdf)


def assert_rows_do_not_overlap(pdf: Path) -> None:
    """No two lines of text are drawn over each other.

    The boxes of two lines of one cell touch (a box is taller than the line
    spacing); a row drawn over the next one covers half a box or more.
    """
    assert PDFTOTEXT is not None
    done = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60)
    for page in done.stdout.split("<page ")[1:]:
        boxes = [
            tuple(float(v) for v in match.groups())
            for match in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', page)
        ]
        for index, (x0, y0, x1, y1) in enumerate(boxes):
            for a0, b0, a1, b1 in boxes[index + 1 :]:
                overlap_x = min(x1, a1) - max(x0, a0)
                overlap_y = min(y1, b1) - max(y0, b0)
                least = min(y1 - y0, b1 - b0)
                assert not (overlap_x > 1 and overlap_y > least / 2), ((x0, y0, x1, y1), (a0, b0, a1, b1))


# --- the PDF ------------------------------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize("name", ["example", "long"])
def test_pdf_is_a_real_pdf_with_whole_words(
    committees: dict[str, tuple[Committee, Plan]], name: str, tmp_path: Path
) -> None:
    committee, plan = committees[name]
    pdf = documents.write("pdf", committee, plan, tmp_path / "planning.pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    pages = page_texts(pdf)
    assert len(pages) == (1 if name == "example" else 3)
    assert_no_word_broken(pages, committee, plan)
    assert_header_on_every_table_page(pages, "Datum")
    for number, text in enumerate(pages, 1):
        assert f"Pagina {number} van {len(pages)}" in text
    assert_print_type_at_least_8pt(pdf)
    assert documents.to_bytes("pdf", committee, plan) == pdf.read_bytes()  # the same plan, the same bytes


@needs_poppler
def test_pdf_pages_say_how_many_there_are_in_english(
    committees: dict[str, tuple[Committee, Plan]], tmp_path: Path
) -> None:
    committee, plan = committees["long"]
    pdf = documents.write("pdf", committee, plan, tmp_path / "planning.pdf", language="en")
    pages = page_texts(pdf)
    assert len(pages) > 1
    for number, text in enumerate(pages, 1):
        footer = [line for line in text.splitlines() if line.strip()][-1]
        assert footer.rstrip().endswith(f"Page {number} of {len(pages)}")


# --- the page in Chromium ----------------------------------------------------------------------------

# Measures the page once laid out: how far it runs past the window, and each word of the planning that
# the browser broke over two lines (its text range then has boxes on two lines).
_MEASURE = """
<script>
addEventListener('load', () => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector('section.planning'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const re = /[^ \\n\\t-]+-?/g;
    let match;
    while ((match = re.exec(node.data))) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0]);
    }
  }
  const cell = document.querySelector('table.planning td');
  const year = [...document.querySelectorAll('figure.year svg')].filter(s => s.getBoundingClientRect().width > 0);
  document.body.setAttribute('data-facts', JSON.stringify({
    yearRight: Math.max(...year.map(s => s.getBoundingClientRect().right)),
    yearScale: Math.min(...year.map(s => s.getBoundingClientRect().width / s.viewBox.baseVal.width)),
    yearWidths: [...new Set(year.map(s => s.viewBox.baseVal.width))],
    overflow: document.documentElement.scrollWidth - innerWidth,
    broken: broken,
    cellFont: parseFloat(getComputedStyle(cell).fontSize),
    cards: getComputedStyle(cell).display,
  }));
});
</script>
"""


def _measured_page(committee: Committee, plan: Plan, folder: Path) -> Path:
    """The page with the measuring script (its own policy forbids scripts, so the test's copy drops it)."""
    page = documents.to_bytes("html", committee, plan).decode("utf-8")
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    path = folder / "measured.html"
    path.write_text(page.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    return path


def _chromium(page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    command = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize("name", ["example", "long"])
@pytest.mark.parametrize("width", [360, 1280])
def test_page_reads_on_a_phone_and_a_desktop(
    committees: dict[str, tuple[Committee, Plan]], name: str, width: int, tmp_path: Path
) -> None:
    committee, plan = committees[name]
    page = _measured_page(committee, plan, tmp_path)
    done = _chromium(page, tmp_path, f"--window-size={width},900", "--virtual-time-budget=3000", "--dump-dom")
    match = re.search(r"data-facts=\"([^\"]*)\"", done.stdout)
    assert match, done.stderr[-2000:]
    facts = json.loads(match.group(1).replace("&quot;", '"'))
    assert facts["overflow"] <= 0, "the page is wider than the window"
    assert facts["broken"] == [], f"words broken over two lines: {facts['broken']}"
    assert facts["cellFont"] >= 14
    assert facts["cards"] == ("grid" if width < 640 else "table-cell")
    # the year at a glance: on a phone the narrow picture, whole on the screen; its text at its own size
    assert facts["yearWidths"] == [336 if width < 640 else 700]
    assert facts["yearRight"] <= width and facts["yearScale"] >= 0.99


@pytest.mark.slow
@needs_chromium
@needs_poppler
@pytest.mark.parametrize("name", ["example", "long"])
def test_page_prints_on_a4(committees: dict[str, tuple[Committee, Plan]], name: str, tmp_path: Path) -> None:
    committee, plan = committees[name]
    page = documents.write("html", committee, plan, tmp_path / "planning.html")
    pdf = tmp_path / "planning.pdf"
    done = _chromium(page, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert pdf.exists(), done.stderr[-2000:]
    reader = pypdf.PdfReader(pdf)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4
    pages = page_texts(pdf)
    assert len(pages) <= (3 if name == "example" else 8)
    assert_no_word_broken(pages, committee, plan)
    assert_header_on_every_table_page(pages, "Datum")
    assert_print_type_at_least_8pt(pdf)  # the pictures' text too
    whole = " ".join("\n".join(pages).split())
    assert "Jaaroverzicht" in whole and "Verdeling van de rollen" in whole
    if name == "long":
        assert all(year in whole for year in ("2025", "2026", "2027"))
        assert any(LONG_NAMES[1].split()[0] in text for text in pages)


# --- the pictures' text does not collide ---------------------------------------------------------------

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
needs_dejavu = pytest.mark.skipif(
    not (DEJAVU / "DejaVuSans.ttf").exists(), reason="DejaVu Sans (fonts-dejavu-core) is not installed"
)
_TEXT = re.compile(r"<text ([^>]*)>([^<]*)</text>")
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def text_boxes(svg: str) -> list[tuple[float, float, float, float, str]]:
    """The box of each text of the picture, measured in DejaVu Sans (the sans-serif font of most Linux systems)."""
    from PIL import ImageFont

    fonts: dict[tuple[float, bool], ImageFont.FreeTypeFont] = {}
    boxes = []
    for match in _TEXT.finditer(svg):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        value = html.unescape(match.group(2))
        size = float(attributes.get("font-size", "11"))
        bold = attributes.get("font-weight", "400") in ("600", "700", "bold")
        key = (size, bold)
        if key not in fonts:
            fonts[key] = ImageFont.truetype(str(DEJAVU / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)
        width = fonts[key].getlength(value)
        x, y = float(attributes["x"]), float(attributes["y"])
        anchor = attributes.get("text-anchor", "start")
        x0 = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        boxes.append((x0, y - size * 0.75, x0 + width, y + size * 0.2, value))
    return boxes


def assert_no_text_collides(svg: str) -> None:
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))  # type: ignore[union-attr]
    boxes = text_boxes(svg)
    for index, (x0, y0, x1, y1, value) in enumerate(boxes):
        assert x0 >= -0.5 and x1 <= width + 0.5, f"{value!r} runs out of the picture"
        for a0, b0, a1, b1, other in boxes[index + 1 :]:
            assert min(x1, a1) - max(x0, a0) <= 0.5 or min(y1, b1) - max(y0, b0) <= 0.5, (value, other)


def _year_plan(committees: dict[str, tuple[Committee, Plan]], name: str) -> tuple[Committee, Plan]:
    """The example, long names over three years, and long names with a meeting every four weeks or every week."""
    import dataclasses
    import datetime as dt

    committee, plan = committees["long" if name in ("monthly", "weekly", "one word") else name]
    if name == "one word":  # a chair whose name is one word wider than a phone's line, and a long place
        word = "Terrorismebestrijdingscoördinatiecentrumondersteuningsdienst"
        meetings = tuple(
            dataclasses.replace(meeting, roles={**meeting.roles, "chair": word}, location=f"{word}gebouw, Den Haag")
            for meeting in plan.meetings
        )
        plan = dataclasses.replace(plan, meetings=meetings)
    if name in ("monthly", "weekly"):
        step = 28 if name == "monthly" else 7
        meetings = tuple(
            dataclasses.replace(
                plan.meetings[index % len(plan.meetings)], date=dt.date(2025, 1, 2) + dt.timedelta(step * index)
            )
            for index in range(39 if name == "monthly" else 60)
        )
        plan = dataclasses.replace(plan, meetings=meetings)
    return committee, plan


_GROUP = re.compile(r"<g><title>([^<]*)</title>(.*?)</g>", re.S)
_SHAPE = re.compile(r"<(circle|rect) ([^>]*)/>")


def year_meetings(
    svg: str,
) -> list[tuple[tuple[float, float, float, float], list[tuple[float, float, float, float, str]]]]:
    """Each meeting of the year picture: the box of its marker and the boxes of its texts, in the order drawn."""
    from rotation.documents import pictures

    out = []
    for match in _GROUP.finditer(svg):
        body = match.group(2)
        shapes = [dict(_ATTRIBUTE.findall(attributes)) for _, attributes in _SHAPE.findall(body)]
        marks = [shape for shape in shapes if shape.get("fill") in (pictures.TEAMS_COLOUR, pictures.PHYSICAL_COLOUR)]
        if not marks:
            continue  # a blackout period
        assert len(marks) == 1, body
        mark = {
            key: float(value)
            for key, value in marks[0].items()
            if key in ("cx", "cy", "r", "x", "y", "width", "height")
        }
        if "r" in mark:
            box = (mark["cx"] - mark["r"], mark["cy"] - mark["r"], mark["cx"] + mark["r"], mark["cy"] + mark["r"])
        else:
            box = (mark["x"], mark["y"], mark["x"] + mark["width"], mark["y"] + mark["height"])
        out.append((box, text_boxes(body)))
    return out


def _picture_width(svg: str) -> float:
    return float(re.search(r'viewBox="0 [\d.]+ ([\d.]+)', svg).group(1))  # type: ignore[union-attr]


@needs_dejavu
@pytest.mark.parametrize("width", [700, 336])
@pytest.mark.parametrize("name", ["example", "long", "monthly", "weekly", "one word"])
def test_year_picture_labels_each_meeting_beside_its_marker(
    committees: dict[str, tuple[Committee, Plan]], name: str, width: int
) -> None:
    """Whatever the length of the plan and of the names: every meeting's text stands beside its marker, inside
    the picture, under its month and year, and no text or marker runs into another."""
    from rotation.documents import pictures
    from rotation.formats.document import day_text

    committee, plan = _year_plan(committees, name)
    for language in ("nl", "en"):
        svg = pictures.year_at_a_glance(committee, plan, language=language, width=width)
        assert _picture_width(svg) == width
        assert_no_text_collides(svg)
        meetings = year_meetings(svg)
        shown = [meeting for meeting in plan.meetings if plan.start <= meeting.date <= plan.end]
        assert len(meetings) == len(shown)
        boxes = text_boxes(svg)
        months = [gettext(language, f"month.short.{month}") for month in range(1, 13)]
        heads = [(y0, value) for x0, y0, x1, y1, value in boxes if x0 == pictures.PAD and value in months]
        years = [(y0, value) for x0, y0, x1, y1, value in boxes if x0 == pictures.PAD and value.isdigit()]
        markers = []
        for meeting, (marker, texts) in zip(shown, meetings, strict=True):
            x0, y0, x1, y1 = marker
            when, *details = texts
            assert when[4] == day_text(meeting.date, language)
            assert details, f"{when[4]}: no mode, place or chair"
            middle = (y0 + y1) / 2
            # the date starts just right of the marker, on the marker's line
            assert 0 < when[0] - x1 <= 30 and when[1] <= middle <= when[3], (when, marker)
            # the details follow the date, beside it or below it, at most a line apart from each other
            lines = [when, *details]
            for above, below in itertools.pairwise(lines):
                assert below[1] - above[3] <= 8, (above, below)
            # the marker stands in the row of its month, under its year
            month = max((y, value) for y, value in heads if y <= middle)
            year = max((y, value) for y, value in years if y <= middle)
            assert (month[1], year[1]) == (months[meeting.date.month - 1], str(meeting.date.year)), when[4]
            markers.append(marker)
        # time runs down the axis; no marker touches another or any text
        assert [box[1] for box in markers] == sorted(box[1] for box in markers)
        for index, (x0, y0, x1, y1) in enumerate(markers):
            for a0, b0, a1, b1 in markers[index + 1 :]:
                assert min(y1, b1) - max(y0, b0) <= 0 or min(x1, a1) - max(x0, a0) <= 0
            for t0, u0, t1, u1, value in boxes:
                assert min(y1, u1) - max(y0, u0) <= 0 or min(x1, t1) - max(x0, t0) <= 0, value


# Measures every text of every picture on the page with the browser's own fonts: texts that overlap, texts
# that run out of their picture, and each picture's width and smallest text as shown.
_MEASURE_SVG = """
<script>
addEventListener('load', () => {
  const facts = [];
  for (const svg of document.querySelectorAll('svg')) {
    const width = svg.viewBox.baseVal.width;
    const boxes = [...svg.querySelectorAll('text')].map(t => [t.getBBox(), t.textContent]);
    const problems = [];
    boxes.forEach(([a, text], i) => {
      if (a.x < -0.5 || a.x + a.width > width + 0.5) problems.push('outside: ' + text);
      for (const [b, other] of boxes.slice(i + 1)) {
        const x = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
        const y = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
        if (x > 0.5 && y > 0.5) problems.push(text + ' / ' + other);
      }
    });
    facts.push({id: svg.id, texts: boxes.length, problems: problems});
  }
  document.body.setAttribute('data-facts', JSON.stringify(facts));
});
</script>
"""


@pytest.mark.slow
@needs_chromium
def test_year_picture_text_never_collides_in_a_browser(
    committees: dict[str, tuple[Committee, Plan]], tmp_path: Path
) -> None:
    """The pictures for paper and for a phone, of the example, long names and a meeting every four weeks."""
    from rotation.documents import pictures

    drawings = []
    for name in ("example", "long", "monthly"):
        committee, plan = _year_plan(committees, name)
        for width in (pictures.WIDTH, pictures.PHONE_WIDTH):
            svg = pictures.year_at_a_glance(committee, plan, width=width)
            drawings.append(svg.replace("<svg ", f'<svg id="{name}-{width}" ', 1))
    page = tmp_path / "pictures.html"
    page.write_text(f"<!DOCTYPE html><html><body>{''.join(drawings)}{_MEASURE_SVG}</body></html>", encoding="utf-8")
    done = _chromium(page, tmp_path, "--window-size=800,900", "--virtual-time-budget=3000", "--dump-dom")
    match = re.search(r"data-facts=\"([^\"]*)\"", done.stdout)
    assert match, done.stderr[-2000:]
    facts = json.loads(html.unescape(match.group(1)))
    assert [fact["id"] for fact in facts] == [f"{n}-{w}" for n in ("example", "long", "monthly") for w in (700, 336)]
    for fact in facts:
        assert fact["texts"] > 50 and fact["problems"] == [], fact


@needs_dejavu
@pytest.mark.parametrize("name", ["example", "long"])
def test_fairness_picture_text_never_collides(committees: dict[str, tuple[Committee, Plan]], name: str) -> None:
    from rotation.documents import pictures

    committee, plan = committees[name]
    for language in ("nl", "en"):
        assert_no_text_collides(pictures.fairness(committee, plan, language=language))
