"""The message catalogue: every language says every message, with the same values and its plural forms."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import rotation
from rotation.messages import (
    DEFAULT,
    Catalogue,
    catalogue,
    gettext,
    languages,
    ngettext,
    placeholders,
    register,
    unregister,
)

SOURCE = Path(rotation.__file__).parent


def forms(message: str | tuple[str, ...]) -> tuple[str, ...]:
    return (message,) if isinstance(message, str) else message


@pytest.mark.parametrize("language", [language for language in languages() if language != DEFAULT])
def test_every_language_has_every_message_with_the_same_values(language):
    english, other = catalogue(DEFAULT), catalogue(language)
    assert set(other.messages) == set(english.messages)
    for key, message in english.messages.items():
        theirs = other.messages[key]
        assert isinstance(theirs, str) == isinstance(message, str), key
        values = set().union(*(placeholders(form) for form in forms(message)))
        assert set().union(*(placeholders(form) for form in forms(theirs))) == values, key


@pytest.mark.parametrize("language", languages())
def test_plural_messages_have_every_form_of_their_language(language):
    entry = catalogue(language)
    counted = {key: message for key, message in entry.messages.items() if not isinstance(message, str)}
    assert counted, "counts are said with plural forms"
    for key, message in counted.items():
        assert len(message) == entry.plural_forms, key
    assert {entry.plural(n) for n in range(200)} == set(range(entry.plural_forms))


def test_counts_take_their_plural_form():
    assert ngettext("en", "count.weeks", 1) == "1 week"
    assert ngettext("en", "count.weeks", 2) == "2 weeks"
    assert ngettext("nl", "count.meetings", 1) == "1 vergadering"
    assert ngettext("nl", "count.meetings", 0) == "0 vergaderingen"


def test_values_are_said_in_the_language_of_the_message():
    day = dt.date(2027, 2, 4)
    assert gettext("en", "clash.unavailable", unit="A", date=day) == "A is unavailable on 2027-02-04"
    assert gettext("nl", "clash.unavailable", unit="A", date=day) == "A is niet beschikbaar op 04-02-2027"
    assert gettext("nl", "clash.fixed_mode", date=day, mode=rotation.Mode.PHYSICAL).endswith("is Fysiek (vastgelegd)")
    assert ngettext("nl", "clash.eligible_few", 2, excluded=("A", "B", "C"), role="voorzitter") == (
        "A, B en C mogen geen voorzitter zijn"
    )


def test_every_message_the_program_names_is_in_the_catalogue():
    named = set()
    for path in [*SOURCE.rglob("*.py"), *(SOURCE.parent / "calendars").rglob("*.py")]:
        if path.parent == SOURCE / "messages":
            continue
        named |= set(re.findall(r'\bn?gettext\(\s*\w+,\s*"([\w.]+)"[,)]', path.read_text(encoding="utf-8")))
    assert named, "the program says its sentences through the catalogue"
    assert named <= set(catalogue(DEFAULT).messages)


# -- a new language is a new catalogue ----------------------------------------------------------------


_CODES = ("doc.language_tag", "doc.workbook_date")
"""The document messages that are codes (a language tag, a spreadsheet's date format), not words."""


def bracketed(text: str) -> str:
    return f"⟦{text}⟧"


@pytest.fixture
def pseudo() -> Iterator[str]:
    """A language made from the English catalogue: every message between brackets, dates as day.month.year."""
    english = catalogue(DEFAULT)
    messages = {
        key: bracketed(message) if isinstance(message, str) else tuple(bracketed(form) for form in message)
        for key, message in english.messages.items()
    }
    for key in ("holidays.language", "number.thousands", "number.decimal", *_CODES):  # codes and marks, not words
        messages[key] = english.messages[key]
    register(dataclasses.replace(english, language="xx", messages=messages, date_format="%d.%m.%Y"))
    try:
        yield "xx"
    finally:
        unregister("xx")


def test_a_registered_catalogue_speaks_everywhere(pseudo, example):
    with pytest.raises(rotation.InfeasibleError) as caught:
        rotation.plan(example, meetings=9, language=pseudo)
    message = str(caught.value)
    lines = message.splitlines()
    assert lines[0] == "⟦these rules cannot all be met together:⟧"
    assert lines[1].startswith("  - ⟦Meeting weekday and horizon⟧: ⟦⟦9 meetings⟧ between 13.01.2023 and 12.01.2024⟧")
    assert "⟦plan ⟦6 meetings⟧ instead of 9⟧" in message
    assert rotation.i18n.format_date(dt.date(2023, 1, 13), pseudo) == "13.01.2023"


def test_a_catalogue_is_a_complete_language(pseudo):
    entry = catalogue(pseudo)
    assert isinstance(entry, Catalogue)
    assert pseudo in languages()
    assert set(entry.messages) == set(catalogue("nl").messages)


def test_an_unknown_language_is_english():
    assert gettext("fr", "explain.head") == gettext("en", "explain.head")


def test_every_rule_and_preference_has_a_name_in_every_language():
    from rotation.model import PREFERENCES, RULES

    for language in languages():
        for rule in RULES:
            if rule.hard:
                assert gettext(language, "rule." + rule.name.lower().replace(" ", "_"))
        for preference in PREFERENCES:
            assert gettext(language, "preference." + preference.name.lower().replace(" ", "_"))


def test_a_committee_may_speak_a_registered_language(pseudo, example):
    committee = dataclasses.replace(example, language=pseudo)
    plan = rotation.plan(committee)
    assert plan.meetings
    assert rotation.i18n.format_date(plan.meetings[0].date, pseudo) == plan.meetings[0].date.strftime("%d.%m.%Y")


# -- the documents speak every registered language ---------------------------------------------------

_DOCUMENT_WORDS = ("doc.", "picture.", "table.", "column.", "word.", "mode.", "weekday.short.", "month.short.")
"""The messages that documents and pictures are written with (codes such as ``doc.language_tag`` excepted)."""


def _unbracketed(text: str) -> str:
    """`text` without its bracketed words: what the made-up language would have left in English."""
    while (shorter := re.sub(r"⟦[^⟦⟧]*⟧", "\n", text)) != text:
        text = shorter
    return text


def _english_words_in(text: str) -> set[str]:
    english = catalogue(DEFAULT).messages
    left = _unbracketed(text)
    found = set()
    for key, message in english.items():
        if not key.startswith(_DOCUMENT_WORDS) or key in _CODES or not isinstance(message, str):
            continue
        for literal in re.split(r"\{\w+\}", message):
            if len(literal.strip()) > 3 and re.search(rf"(?<!\w){re.escape(literal.strip())}(?!\w)", left):
                found.add(key)
    return found


def _page_text(page: str) -> str:
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


def test_a_registered_language_writes_the_html_page(pseudo, example, example_plan):
    from rotation.formats import html as html_document

    page = html_document.to_html(example, example_plan, language=pseudo)
    assert f'<html lang="{pseudo}">' in page
    shown = _page_text(page)
    start, end = example_plan.start, example_plan.end
    assert f"⟦Meetings from {start:%d.%m.%Y} to {end:%d.%m.%Y}⟧" in shown
    for heading in ("Planning", "Year at a glance", "Roles per unit"):
        assert f"<h2>⟦{heading}⟧</h2>" in page
    first = example_plan.meetings[0]
    weekday = gettext(DEFAULT, f"weekday.short.{first.date.weekday()}")
    assert f"⟦{weekday}⟧\u00a0{first.date:%d.%m.%Y}" in shown
    assert f"⟦{gettext(DEFAULT, f'month.short.{first.date.month}')}⟧" in shown
    assert "⟦MS Teams/physical⟧" in shown and "⟦Turns:⟧" in shown
    assert _english_words_in(shown) == set()


def test_a_registered_language_writes_the_word_document(pseudo, example, example_plan):
    import docx

    from rotation import documents

    data = documents.to_bytes("docx", example, example_plan, language=pseudo)
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].text == f"⟦Planning⟧ {example.name}"
    assert document.core_properties.language == gettext(DEFAULT, "doc.language_tag")
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    assert header[:2] == ["⟦Date⟧", "⟦MS Teams/physical⟧"]
    shown = "\n".join(
        [paragraph.text for paragraph in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert "⟦Yellow row: the date is fixed.⟧" in shown
    assert _english_words_in(shown) == set()


def test_an_unknown_language_is_refused_by_the_documents(example, example_plan):
    from rotation import documents

    with pytest.raises(rotation.ConfigError, match="'xx' is not a language rotation writes; use one of: nl, en"):
        documents.to_bytes("html", example, example_plan, language="xx")


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_a_registered_language_writes_the_tables(pseudo, example, example_plan, fmt):
    from rotation.formats import render

    written = render(fmt, example, example_plan, pseudo)
    assert "⟦Date⟧" in written and "⟦Physical⟧" in written
    day = example_plan.meetings[0].date
    assert f"{day:%d.%m.%Y}" in written
    assert _english_words_in(written) == set()


def test_a_registered_language_writes_the_workbook_and_the_pdf(pseudo, example, example_plan):
    import openpyxl

    from rotation import documents

    data = documents.to_bytes("xlsx", example, example_plan, language=pseudo)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "⟦Planning⟧"
    assert sheet["A1"].value == f"⟦Planning⟧ {example.name}"
    assert sheet.oddFooter.right.text == "⟦Page &P of &N⟧"
    assert sheet["A5"].number_format == gettext(DEFAULT, "doc.workbook_date")
    # the PDF's built-in fonts have no brackets: the PDF says so, and the page is the way to print it
    with pytest.raises(rotation.ConfigError, match=r"cannot show '⟦' .* write the HTML page"):
        documents.to_bytes("pdf", example, example_plan, language=pseudo)
