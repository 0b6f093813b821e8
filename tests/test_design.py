"""The designs, measured in real PDFs: the measure of the body text, the MEP brief's 4 pages in
every language of the sample, the fonts' alphabets, one typeface for notes, print ink."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import yaml
from fontTools.ttLib import TTFont
from hyperglot.checker import CharsetChecker

from generator.run.build import build

from .support import REPO, SAMPLE, pages_text, write

#: The 24 official languages of the EU: ISO 639-1 (as briefs write them) → the ISO 639-3 code
#: hyperglot's database knows them by (Estonian and Latvian as their standard languages).
EU_LANGUAGES = {
    "bg": "bul", "cs": "ces", "da": "dan", "de": "deu", "el": "ell", "en": "eng", "es": "spa",
    "et": "ekk", "fi": "fin", "fr": "fra", "ga": "gle", "hr": "hrv", "hu": "hun", "it": "ita",
    "lt": "lit", "lv": "lvs", "mt": "mlt", "nl": "nld", "pl": "pol", "pt": "por", "ro": "ron",
    "sk": "slk", "sl": "slv", "sv": "swe",
}
FONTS = sorted((REPO / "styles/fonts").glob("*.[ot]tf"))
MEASURE = (60, 75)  # characters a line of body text, spaces included


# ---------------------------------------------------------------------------------------------
# Fonts: every letter of every EU language in the body and heading families


def _unsupported(checker: CharsetChecker) -> list[str]:
    # The letters of each language's primary orthography, its base and auxiliary sets (the
    # letters of loanwords and names too), as encoded characters: text is NFC, so "ΐ" is
    # U+0390, which the font must have; how it would shape as ι + marks is not asked.
    return [code for code, iso in EU_LANGUAGES.items()
            if not checker.supports_language(iso, check=["base", "auxiliary"], shaping=False)]


def test_the_shipped_families_are_gentium_book_plus_and_inter() -> None:
    assert [f.name for f in FONTS] == [
        "GentiumBookPlus-Bold.ttf", "GentiumBookPlus-BoldItalic.ttf",
        "GentiumBookPlus-Italic.ttf", "GentiumBookPlus-Regular.ttf",
        "Inter-Bold.otf", "Inter-Italic.otf", "Inter-Regular.otf", "Inter-SemiBold.otf"]


@pytest.mark.parametrize("font", FONTS, ids=lambda f: f.name)
def test_every_letter_of_the_24_eu_languages_is_in_the_font(font: Path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # hyperglot caches its database in the working directory
    with TTFont(font) as opened:  # the font's characters (hyperglot's FontChecker leaves it open)
        characters = [chr(code) for code in opened.getBestCmap()]
    assert _unsupported(CharsetChecker(characters)) == []


def test_the_alphabet_check_fails_for_a_font_without_greek_or_cyrillic(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    latin = CharsetChecker([chr(c) for block in ((0x20, 0x250), (0x1E00, 0x1F00), (0x2000, 0x20D0))
                            for c in range(*block)])  # Latin and punctuation: no Greek, no Cyrillic
    assert set(_unsupported(latin)) == {"bg", "el"}


def test_no_style_sets_another_family_for_greek() -> None:
    css = (REPO / "styles/base.css").read_text(encoding="utf-8")
    assert ":lang(el)" not in css
    assert "Charis" not in css


# ---------------------------------------------------------------------------------------------
# The measure


def body_lines_per_column(pdf: Path) -> list[int]:
    """Characters (spaces included) of each full line of body text: lines set in the size most
    of the document's characters are set in, whose right end reaches to within 8 % of their
    column's longest line (a ragged-right column's full lines, not a paragraph's last)."""
    document = pdfium.PdfDocument(str(pdf))
    lines: list[tuple[int, float, float, float, str]] = []  # page, size, left, right, text
    sizes: Counter[float] = Counter()
    for number in range(len(document)):
        textpage = document[number].get_textpage()
        current: list[tuple[str, float, tuple[float, float, float, float]]] = []
        for index in range(textpage.count_chars() + 1):
            char = (chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index))
                    if index < textpage.count_chars() else "\n")
            if char in "\r\n":
                if current:
                    size = Counter(s for c, s, _ in current if not c.isspace()).most_common(1)
                    text = "".join(c for c, _, _ in current).strip()
                    if size and text:
                        lines.append((number, size[0][0], current[0][2][0], current[-1][2][2],
                                      text))
                current = []
                continue
            size = round(pdfium_c.FPDFText_GetFontSize(textpage.raw, index), 1)
            if not char.isspace():
                sizes[size] += 1
            current.append((char, size, textpage.get_charbox(index)))
    body = sizes.most_common(1)[0][0]
    columns: dict[tuple[int, int], list[tuple[float, float, str]]] = defaultdict(list)
    for number, size, left, right, text in lines:
        if size == body and len(text) > 20:
            columns[(number, round(left / 10))].append((left, right, text))
    full = []
    for column in columns.values():
        left = min(line[0] for line in column)
        right = max(line[1] for line in column)
        full += [len(text) for _, end, text in column if end >= right - 0.08 * (right - left)]
    return full


@pytest.mark.slow
def test_body_text_runs_60_to_75_characters_a_line(outputs):
    """Every design of the sample (full, mep in four languages, the handout): the median full
    line of body text holds 60-75 characters, and nine lines in ten stay within 57-78."""
    for (audience, language), (pdf, _) in sorted(outputs.items()):
        lengths = sorted(body_lines_per_column(pdf))
        assert len(lengths) >= 10, (audience, language, lengths)
        median = statistics.median(lengths)
        assert MEASURE[0] <= median <= MEASURE[1], (audience, language, median, lengths)
        tenth = lengths[len(lengths) // 10], lengths[-1 - len(lengths) // 10]
        assert MEASURE[0] - 3 <= tenth[0] and tenth[1] <= MEASURE[1] + 3, (audience, language,
                                                                            tenth, lengths)


@pytest.mark.slow
def test_the_mep_brief_fits_4_pages_in_every_language_without_a_raised_budget(outputs):
    brief = yaml.safe_load((REPO / "content" / SAMPLE / "brief.yaml").read_text("utf-8"))
    audiences = yaml.safe_load((REPO / "content/audiences.yaml").read_text("utf-8"))
    assert "max_pages" not in (brief["audiences"]["mep"] or {})
    assert audiences["mep"]["max_pages"] == 4
    for language in ("en", "de", "fr", "pl"):
        pdf, _ = outputs[("mep", language)]
        assert len(pdfium.PdfDocument(str(pdf))) <= 4, language


@pytest.mark.slow
def test_the_full_brief_opens_with_the_key_messages_and_ends_with_the_contact(outputs):
    pdf, html = outputs[("full", "nl")]
    document = pdfium.PdfDocument(str(pdf))
    first = document[0].get_textpage().get_text_range()
    last = document[len(document) - 1].get_textpage().get_text_range()
    assert "KERNBOODSCHAPPEN" in first and "Investeer in preventie die werkt" in first
    assert first.index("KERNBOODSCHAPPEN") < first.index("In mei 2022")
    assert "Contact" in last and "policy@example.org" in last
    assert 'class="contact"' in html


# ---------------------------------------------------------------------------------------------
# One typeface for footnotes


KEY_NOTE = """\
title: {en: "Notes in a box"}
organisation: "NGO"
date: "2024-05-01"
languages: [en]
audiences: [mep]
sections:
  - id: key-messages
    title: {en: "Key messages"}
    class: key-messages
    body:
      en: |
        - A key message with a note.^[Noteinthebox explains the key message.]
  - id: text
    title: {en: "The text"}
    body:
      en: |
        A paragraph with a note.^[Noteinthetext explains the paragraph.]
"""


def _fonts_of(pdf: Path, word: str) -> set[str]:
    """The fonts the characters of `word` are set in, wherever it is on the pages."""
    document = pdfium.PdfDocument(str(pdf))
    found: set[str] = set()
    buffer = (pdfium_c.c_char * 256)()
    flags = pdfium_c.c_int()
    for number in range(len(document)):
        textpage = document[number].get_textpage()
        text = textpage.get_text_range()
        start = text.find(word)
        for index in range(start, start + len(word)) if start >= 0 else ():
            pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, buffer, 256, flags)
            found.add(buffer.value.decode().split("+", 1)[-1])
    return found


@pytest.mark.slow
def test_a_note_called_from_the_key_messages_is_set_as_every_other_note(project):
    write(project, KEY_NOTE, "notes")
    result = build(project, ["notes"])
    assert result.ok, [e.format_message() for _, e in result.failed]
    pdf = project.out / "notes" / "notes.mep.en.pdf"
    assert _fonts_of(pdf, "Noteinthetext") == {"Gentium-Book-Plus"}
    # the box is set in Inter; its note, in the footnote area, in the notes' Gentium
    assert _fonts_of(pdf, "message") == {"Inter"}
    assert _fonts_of(pdf, "Noteinthebox") == {"Gentium-Book-Plus"}


# ---------------------------------------------------------------------------------------------
# Print ink on PDF/X


def _not_black(fill: tuple[float, ...]) -> bool:
    """A dark fill (K over 30 %) that is not 100 % black alone, or a fill not in CMYK."""
    return fill == ("other",) or (bool(fill) and fill[3] > 0.3 and fill != (0, 0, 0, 1))


def small_dark_text_fills(pdf: Path, below_pt: float = 10) -> Counter[tuple[float, ...]]:
    """Fill colours (CMYK) of text drawn under `below_pt` that is dark (K over 30 %) and not
    100 % black alone, counted: a grey tint or a four-colour mix, which prints as a dot screen
    or from four plates that must register. Light knockout text on a colour band is not
    counted. Sizes: WeasyPrint draws in CSS px under a 0.75 scale, and sets text at Tm's scale 1
    (both asserted)."""
    found: Counter[tuple[float, ...]] = Counter()
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            fill: tuple[float, ...] = ()
            size = 0.0
            scales = []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "cm":
                    scales.append(abs(float(operands[0])))
                elif op == "Tm":
                    assert abs(float(operands[0])) == 1, operands
                elif op in ("sc", "scn", "k") and len(operands) == 4:
                    fill = tuple(round(float(x), 3) for x in operands)
                elif op in ("sc", "scn", "g", "rg"):
                    fill = ("other",)  # type: ignore[assignment]
                elif op == "Tf":
                    size = float(operands[1]) * 0.75
                elif op in ("Tj", "TJ", "'", '"') and size < below_pt and _not_black(fill):
                    found[fill] += 1
            assert 0.75 in scales, scales
    return found


@pytest.mark.slow
def test_small_text_on_the_handout_is_black_alone(outputs):
    pdf, _ = outputs[("handout", "nl")]
    assert small_dark_text_fills(pdf) == Counter()


@pytest.mark.slow
def test_the_ink_check_sees_a_92_percent_black(project):
    css = project.root / "styles/print-cmyk.css"
    css.write_text(css.read_text("utf-8").replace("--ink: device-cmyk(0 0 0 1);",
                                                   "--ink: device-cmyk(0 0 0 0.92);"), "utf-8")
    result = build(project, [SAMPLE])
    assert result.ok, [e.format_message() for _, e in result.failed]
    found = small_dark_text_fills(project.out / SAMPLE / f"{SAMPLE}.handout.nl.pdf")
    assert found[(0, 0, 0, 0.92)] > 50, found


@pytest.mark.slow
def test_the_handout_cover_has_no_folio_and_the_back_cover_none(outputs):
    pdf, _ = outputs[("handout", "nl")]
    document = pdfium.PdfDocument(str(pdf))
    pages = len(document)
    texts = [document[n].get_textpage().get_text_range() for n in range(pages)]
    assert f"1 / {pages}" not in texts[0] and f"{pages} / {pages}" not in texts[-1]
    assert f"2 / {pages}" in texts[1]


# ---------------------------------------------------------------------------------------------
# Tables in the narrow columns of the MEP brief and the handout

#: A table a German campaigner writes (the review's): four columns, long German headings.
TABLE_BRIEF = """\
title: {de: "Beratung"}
organisation: "Netzwerk"
date: "2026-12-06"
languages: [de]
audiences:
  full: {languages: [de]}
  mep: {languages: [de]}
  handout: {languages: [de]}
contact: {name: {de: "Team"}, email: "team@example.org"}
sections:
  - id: zahlen
    title: {de: "Ergebnisse der Erhebung"}
    body:
      de: |
        Die folgende Übersicht fasst die wichtigsten Kennzahlen zusammen:

        | Bundesland | Beratungsstellen | Wartezeit (Tage) | Befristete Stellen |
        |---|---:|---:|---:|
        | Baden-Württemberg | 38 | 21 | 44 % |
        | Brandenburg | 12 | 47 | 61 % |
        | Mecklenburg-Vorpommern | 9 | 53 | 68 % |
        | Nordrhein-Westfalen | 57 | 18 | 39 % |
        | Sachsen-Anhalt | 11 | 44 | 59 % |
"""


@pytest.mark.slow
def test_a_four_column_table_fits_every_design(project):
    """It ran 20 mm past the MEP brief's column and 8 mm past the handout's (a failed build):
    tables in narrow columns are set smaller, with tighter cells."""
    write(project, TABLE_BRIEF, "tabelle")
    result = build(project, ["tabelle"])
    assert result.ok, [e.format_message() for _, e in result.failed]
    assert {o.id.audience for o in result.built} == {"full", "mep", "handout"}


@pytest.mark.slow
def test_every_sample_output_is_layout_clean_and_the_lead_in_keeps_its_quotation(
        sample_build, outputs):
    """After the build, no output has a layout defect left (`brief check --preflight` says
    "layout clean"); the full brief's lead-in "…begint met de volgende tekst:" ended page 3
    while the quotation it introduces started page 4: now the quotation starts under it."""
    assert all(output.defects == 0 for output in sample_build.built), [
        (str(o.id), o.defects) for o in sample_build.built]
    pdf, _ = outputs[("full", "nl")]
    pages = [" ".join(page.split()) for page in pages_text(pdf)]
    lead = next(i for i, page in enumerate(pages) if "begint met de volgende tekst:" in page)
    assert "Voor veel slachtoffers is de stap" in pages[lead], pages[lead][-300:]
