"""The sample brief's real PDFs: text, footnotes per page, geometry, fonts, metadata, links."""

from __future__ import annotations

import re
from itertools import pairwise

import pikepdf
import pytest
import yaml
from pypdf import PdfReader

from generator.text.typography.plain import typeset

from .support import REPO, SHIPPED_FONTS, footnote_calls, pages_text, squash

pytestmark = pytest.mark.slow  # every test reads the sample's PDFs, rendered by WeasyPrint

MM = 72 / 25.4
OUTPUTS = [("full", "nl"), ("mep", "en"), ("handout", "nl")]


CALL_RE = re.compile(r"(?<=[^\d\s])\d{1,2}(?:,\d{1,2})*(?=\s|$)")


def strip_calls(text: str) -> str:
    """Footnote call numbers glued to the word before them ("regering.1") removed."""
    return CALL_RE.sub("", text)


def seed_sentences() -> list[str]:
    """Every sentence of the sample's body text (footnote texts and URLs left out)."""
    lines = (REPO / "tests/data/sample-seed.txt").read_text(encoding="utf-8").splitlines()
    body, in_note = [], False
    for line in lines:
        stripped = line.strip()
        if re.match(r"^\d+ \S", stripped):
            in_note = True
        if not stripped:
            in_note = False
        if in_note or not stripped or stripped.startswith("http"):
            continue
        stripped = re.sub(r"\s\d{1,2}$", "", stripped.lstrip("• "))  # "geweld. 5"
        body.append(strip_calls(stripped))
    text = re.sub(r"” \d{1,2}\b(?!\.)", "”", " ".join(body))
    sentences = re.split(r"(?<=[.?!:])\s+(?=[A-Z“])", text)
    return [s for s in sentences if len(squash(s)) > 25]


def _found(sentence: str, pages: list[str]) -> bool:
    """Whole on one page, or its start ending one page's body and its rest opening the next's."""
    if any(sentence in page for page in pages):
        return True
    for k in range(8, len(sentence) - 8):
        head, tail = sentence[:k], sentence[k:]
        for page, following in pairwise(pages):
            if head in page and following.startswith(tail):
                return True
    return False


def test_every_sample_sentence_is_in_the_full_brief(outputs):
    pdf, _ = outputs[("full", "nl")]
    pages = [squash(strip_calls(t).replace("•", "")) for t in pages_text(pdf)]
    sentences = seed_sentences()
    assert len(sentences) > 80
    missing = [s for s in sentences if not _found(squash(s), pages)]
    assert not missing, missing[:5]


def test_full_brief_has_all_eleven_footnotes_with_urls(outputs, sample_brief):
    pdf, html = outputs[("full", "nl")]
    text = squash("".join(pages_text(pdf)))
    calls = footnote_calls(html)
    assert [c.number for c in calls] == list(range(1, 12))
    for source in sample_brief.sources:
        # (as printed: `typeset` sets "2017-2021" as "2017–2021")
        assert squash(typeset(source.title.get("nl"), "nl")) in text, source.key
        assert squash(source.url) in text, source.url
    assert squash("Bits of Freedom steunt de inzet van deze technologie niet.") in text


@pytest.mark.parametrize("audience,language", OUTPUTS)
def test_footnotes_are_numbered_from_one_without_gaps(outputs, audience, language):
    _, html = outputs[(audience, language)]
    numbers = [c.number for c in footnote_calls(html)]
    assert numbers and numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("audience,language", OUTPUTS)
def test_each_footnote_is_on_the_page_of_its_call(outputs, audience, language):
    """The call (the words before it, then its number) and the note ("N text") share a page."""
    pdf, html = outputs[(audience, language)]
    texts = pages_text(pdf)
    # keep line breaks; drop spaces, hyphens and quotation marks as `squash` does
    lines = [re.sub(r"[ \u00a0\u200b\u2060\u00ad\u2010\-\"'“”„‟‘’‚‛«»‹›]+", "", t) for t in texts]
    flat = [squash(t) for t in texts]
    for call in footnote_calls(html):
        # The words before the call; their start may stand on the previous page when a word is
        # hyphenated across the page break, so fall back to the last few characters.
        for before in (call.before, call.before[-6:]):
            call_re = re.compile("\n?".join(map(re.escape, before))
                                 + r"\n?(?:\d+,)*" + str(call.number) + r"(?!\d)")
            call_pages = [i for i, text in enumerate(lines, 1) if call_re.search(text)]
            if call_pages:
                break
        note_pages = [i for i, text in enumerate(flat, 1) if f"{call.number}{call.note}" in text]
        assert len(call_pages) == 1, (call, call_pages)
        assert note_pages == call_pages, (call.number, call_pages, note_pages)


def _budget(project, audience: str) -> int:
    settings = yaml.safe_load(project.audiences_file.read_text(encoding="utf-8"))
    return int(settings[audience]["max_pages"])


@pytest.mark.parametrize("audience,language", OUTPUTS)
def test_page_budgets_hold(outputs, sample_project, audience, language):
    pdf, _ = outputs[(audience, language)]
    assert 1 <= len(PdfReader(pdf).pages) <= _budget(sample_project, audience)


@pytest.mark.parametrize("audience,language", [("full", "nl"), ("mep", "en")])
def test_a4_pages(outputs, audience, language):
    pdf, _ = outputs[(audience, language)]
    for page in PdfReader(pdf).pages:
        assert float(page.mediabox.width) == pytest.approx(210 * MM, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(297 * MM, abs=0.5)


def test_handout_is_a5_with_3mm_bleed(outputs):
    pdf, _ = outputs[("handout", "nl")]
    for page in PdfReader(pdf).pages:
        assert float(page.trimbox.width) == pytest.approx(148 * MM, abs=0.5)
        assert float(page.trimbox.height) == pytest.approx(210 * MM, abs=0.5)
        assert float(page.bleedbox.width) == pytest.approx((148 + 6) * MM, abs=0.5)
        assert float(page.bleedbox.height) == pytest.approx((210 + 6) * MM, abs=0.5)
        assert float(page.bleedbox.left) == pytest.approx(float(page.trimbox.left) - 3 * MM)
        assert float(page.mediabox.width) > float(page.bleedbox.width)  # room for the marks


def _near(a: float, b: float) -> bool:
    return abs(a - b) < 0.01


def _outside(box: list[float], a: tuple, b: tuple) -> bool:
    """Both ends of the segment a–b lie outside `box`."""
    return all(not (box[0] <= x <= box[2] and box[1] <= y <= box[3]) for x, y in (a, b))


def _continues_an_edge(box: list[float], a: tuple, b: tuple) -> bool:
    """The segment a–b is vertical on the box's left or right edge line, or horizontal on its
    bottom or top edge line."""
    vertical = _near(a[0], b[0]) and any(_near(a[0], x) for x in (box[0], box[2]))
    horizontal = _near(a[1], b[1]) and any(_near(a[1], y) for y in (box[1], box[3]))
    return vertical or horizontal


def test_handout_has_crop_marks_outside_the_bleed(outputs):
    """Eight stroked lines per page, continuing the trim edges, entirely outside the BleedBox."""
    pdf, _ = outputs[("handout", "nl")]
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            trim = [float(v) for v in page.TrimBox]
            bleed = [float(v) for v in page.BleedBox]
            media = [float(v) for v in page.MediaBox]
            assert media[0] < bleed[0] - 5 * MM and media[2] > bleed[2] + 5 * MM
            segments, current = [], None
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "m":
                    current = tuple(float(v) for v in operands)
                elif str(operator) == "l" and current is not None:
                    segments.append((current, tuple(float(v) for v in operands)))
            crop = [(a, b) for a, b in segments
                    if _outside(bleed, a, b) and _continues_an_edge(trim, a, b)]
            assert len(crop) == 8, crop


@pytest.mark.parametrize("audience,language", OUTPUTS)
def test_only_shipped_fonts_are_used_and_all_are_embedded(outputs, audience, language):
    pdf, _ = outputs[(audience, language)]
    seen = set()
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            for font in page.Resources.get("/Font", {}).values():
                name = str(font.BaseFont).lstrip("/").split("+", 1)[-1]
                seen.add(name)
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
    assert seen and seen <= SHIPPED_FONTS, seen - SHIPPED_FONTS


@pytest.mark.parametrize("audience,language", OUTPUTS)
def test_metadata_language_and_bookmarks(outputs, sample_brief, audience, language):
    pdf, _ = outputs[(audience, language)]
    reader = PdfReader(pdf)
    assert reader.metadata.title == sample_brief.title.get(language)
    assert reader.metadata.author == "Bits of Freedom"
    assert reader.trailer["/Root"]["/Lang"] == language
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)
    walk(reader.outline)
    assert sample_brief.title.get(language) in titles
    assert len(titles) >= 6  # the title and every expert at least


@pytest.mark.parametrize("audience,language", OUTPUTS)
def test_source_urls_are_live_links(outputs, sample_brief, audience, language):
    pdf, html = outputs[(audience, language)]
    links = set()
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots", []) or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                links.add(str(action["/URI"]))
    cited = {s.url for s in sample_brief.sources if f'href="{s.url}"' in html}
    assert cited and cited <= links


@pytest.mark.parametrize("audience,language", [("full", "nl"), ("handout", "nl")])
def test_paper_outputs_print_every_cited_url_in_full(outputs, sample_brief, audience, language):
    pdf, html = outputs[(audience, language)]
    text = squash("".join(pages_text(pdf)))
    cited = [s.url for s in sample_brief.sources if f'href="{s.url}"' in html]
    assert cited
    for url in cited:
        assert squash(url) in text


def test_urls_break_only_at_boundaries_and_never_with_a_hyphen(outputs, sample_brief):
    """Where a printed URL breaks across lines, it breaks after / or before . - ?"""
    pdf, _ = outputs[("full", "nl")]
    lines = [line for text in pages_text(pdf) for line in text.splitlines()]
    urls = tuple(s.url for s in sample_brief.sources)
    for i, line in enumerate(lines[:-1]):
        if "https://" in line and not line.rstrip().endswith(urls):
            tail = line.rstrip()
            url_part = tail[tail.index("https://"):]
            if any(url_part == s.url for s in sample_brief.sources):
                continue
            assert not tail.endswith("\u2010"), tail  # no inserted hyphen
            nxt = lines[i + 1].lstrip()
            assert tail.endswith("/") or nxt[:1] in ".-?", (tail, nxt)


def test_mep_brief_opens_with_key_messages_and_closes_with_contact(outputs):
    pdf, _ = outputs[("mep", "en")]
    pages = pages_text(pdf)
    assert "KEY MESSAGES" in pages[0].upper()
    assert "Contact" in pages[-1] and "policy@example.org" in pages[-1]
    text = "".join(pages)
    assert "placeholder" in text.lower()  # the invented contact details are marked
    assert "Wie is de expert" not in text and "Who is the expert" not in text


def test_handout_has_recommendations_and_a_vector_qr_code(outputs, sample_brief):
    pdf, html = outputs[("handout", "nl")]
    text = "".join(pages_text(pdf))
    assert "Lees de volledige notitie online" in text
    assert "Wie is de expert" not in text
    for expert in ("Centrum Seksueel Geweld", "Slachtofferhulp Nederland", "EOKM"):
        assert expert in text
    assert 'class="qr-code" src="data:image/svg+xml;base64,' in html
    with pikepdf.open(pdf) as doc:
        rasters = [img for page in doc.pages for img in page.get_images()]
        assert not rasters  # the QR code is drawn as vectors, not as a bitmap
