"""markdown + footnotes: parsing the Pandoc-style syntax, numbering per output, references.

What a text renders as (input → exact HTML) is kept as files in tests/cases/, run by
test_cases.py; here are the numbers, the references, the URL breaks and the layout hooks."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import Mark
from generator.read.model import ANY_LANGUAGE, Brief, Source, Text, TextEntry
from generator.text import lint, syntax
from generator.text.footnotes import breakable_url, number, reference_html
from generator.text.render import RenderContext, to_html

M = Mark(Path("b.yaml"), 1)


def text(value: str) -> Text:
    return Text((TextEntry(ANY_LANGUAGE, value, M, ""),), "f", M)


def brief_with(*sources: Source) -> Brief:
    return Brief(id="b", path=Path("b.yaml"), title=text("T"), subtitle=None,
                 organisation=text("O"), date=dt.date(2024, 1, 1), languages=("en",), url="",
                 summary=None, contact=None, audiences=(), sections=(), sources=sources,
                 placeholders=())


SRC = Source("rep", text("Annual report"), text("Agency"), None, "https://example.org/r.pdf",
             "2020", "", M)


def test_numbers_run_in_reading_order_across_texts():
    texts = [syntax.parse("A[@a] b^[note] c[@b]."), syntax.parse("D[@a].")]
    footnotes = number(texts)
    assert [(f.number, f.kind, f.key) for f in footnotes] == [
        (1, "cite", "a"), (2, "note", ""), (3, "cite", "b"), (4, "cite", "a")]


def test_only_the_texts_an_output_prints_are_numbered():
    kept = [syntax.parse("One[@a]."), syntax.parse("Three[@c].")]  # "Two" left out
    assert [f.number for f in number(kept)] == [1, 2]


def test_citation_inside_a_note_prints_the_reference_inline():
    tokens = syntax.parse("Text^[See [@rep, p. 4] and *more*.]")
    footnotes = number([tokens])
    assert len(footnotes) == 1
    html = to_html(tokens, RenderContext(
        lambda key, locator, form: reference_html(brief_with(SRC), "en", "paper", key, locator,
                                                  form=form)))
    assert html.count('class="fn') == 1
    assert "Annual report" in html and "p. 4" in html and "<em>more</em>" in html
    assert "\n" not in html[html.index('<span class="fn'):html.rindex("</span>")]


def test_reference_on_paper_prints_the_url_in_full_with_its_locator():
    html = reference_html(brief_with(SRC), "en", "paper", "rep", "p. 12")
    assert html.startswith('<span class="ref-title">Annual report</span>, Agency, 2020, p. 12.')
    assert 'href="https://example.org/r.pdf"' in html
    assert html.endswith('<span class="nobreak">https://e</span>xample<wbr>.org/<wbr>r<wbr>.pdf</a>')


def test_reference_on_screen_links_the_title_instead():
    html = reference_html(brief_with(SRC), "en", "screen", "rep", "")
    assert '<a href="https://example.org/r.pdf">Annual report</a>' in html
    assert "<wbr>" not in html and html.endswith('<span class="domain">example.org</span>')


def test_url_breaks_only_after_slash_or_before_dot_hyphen_question_mark():
    html = breakable_url("https://a.example/x-y/z?q=1")
    assert html.startswith('<span class="nobreak">https://a</span>')
    html = html.replace('<span class="nobreak">', "").replace("</span>", "")
    assert html.replace("<wbr>", "").replace("\u2060", "") == "https://a.example/x-y/z?q=1"
    pieces = html.split("<wbr>")
    for before, after in pairwise(pieces):
        assert before.endswith("/") or after[0] in ".-?"
    # never right after a hyphen: a word joiner holds it to what follows ("eur-/lex" would
    # read as a hyphenated word)
    assert "-\u2060y" in html and html.count("-") == html.count("-\u2060")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"ab [](){}^@*_>-1.|\n\\`<!:,", "p. 3", "@k", "[@k]", "^[", "- ",
                                 "> "]),
                max_size=40))
def test_arbitrary_markdown_gives_html_or_located_problems(parts):
    source = "".join(parts)
    problems = lint.problems(source, {"k"})
    for problem in problems:
        assert 0 <= problem.offset <= len(source)
    tokens = syntax.parse(source)
    number([tokens])
    assert isinstance(to_html(tokens, RenderContext(lambda key, locator, form: key)), str)


def test_layout_hint_selectors_match_one_element_and_take_headings_along():
    import xml.etree.ElementTree as ET

    from generator.make.typeset.pages import opening_section as _opening_section
    from generator.make.typeset.pages import selector as _selector

    root = ET.fromstring(
        "<html><head/><body><main><section id='a'><h2>A</h2><section><h3>B</h3>"
        "<p data-calls='1'>x</p><p data-calls='2'>y</p></section></section></main></body></html>")
    parents = {child: parent for parent in root.iter() for child in parent}
    first, second = list(root.iter("p"))
    assert _selector(_opening_section(first, parents), parents) == '[id="a"]'
    assert _opening_section(second, parents) is second
    assert _selector(second, parents) == ("html > body:nth-child(2) > main:nth-child(1) > "
                                          "section:nth-child(1) > section:nth-child(2) > "
                                          "p:nth-child(3)")


# A source without a URL (a book, a report on paper) and a CSL-JSON style institution report.
BOOK = Source("book", text("Prawo ochrony danych"), text("Wydawnictwo"), text("Jan Kowalski"),
              "", "2023", "", M)
REPORT = Source("swd", text("Impact Assessment"), text("european  commission"),
                text("European Commission"), "", "2021-04-21", "", M)


def test_reference_without_url_ends_with_a_full_stop_as_a_footnote_of_its_own():
    brief = brief_with(BOOK)
    assert reference_html(brief, "pl", "paper", "book", "s. 12", note=True).endswith(
        "2023, s. 12.")
    assert reference_html(brief, "pl", "screen", "book", "", note=True).endswith("2023.")
    # inside the author's own note it is part of a sentence: no stop of its own
    assert reference_html(brief, "pl", "paper", "book", "s. 12").endswith("2023, s. 12")


def test_a_reference_ending_in_a_full_stop_or_question_mark_gets_no_second_one():
    question = Source("q", text('Who owns "the data?"'), text("Agency"), None, "", "", "", M)
    brief = brief_with(BOOK, question)
    assert reference_html(brief, "en", "paper", "book", "ibid.", note=True).endswith("ibid.")
    html = reference_html(brief, "en", "paper", "q", "", note=True)
    assert html.endswith("Agency.")
    no_publisher = Source("q2", text("Who owns the data?"), None, text("Ann Lee"), "", "", "", M)
    assert reference_html(brief_with(no_publisher), "en", "paper", "q2", "", note=True).endswith(
        "data?</span>")


def test_reference_in_chinese_ends_with_the_ideographic_full_stop():
    assert reference_html(brief_with(BOOK), "zh", "paper", "book", "", note=True).endswith("。")


def test_footnote_of_a_source_without_url_ends_with_one_full_stop_but_not_inside_a_note():
    tokens = syntax.parse("Tekst.[@book, s. 12] Dalej.^[Zob. [@book, s. 3].]")
    number([tokens])
    brief = brief_with(BOOK)
    html = to_html(tokens, RenderContext(
        lambda key, locator, form: reference_html(brief, "pl", "paper", key, locator),
        lambda key, locator, form: reference_html(brief, "pl", "paper", key, locator,
                                                   note=True)))
    assert "2023, s. 12.</span>" in html
    assert "2023, s. 3.</span>" in html and "s. 3..<" not in html


def test_publisher_that_is_the_author_prints_once():
    html = reference_html(brief_with(REPORT), "en", "paper", "swd", "", note=True)
    assert html.count("ommission") == 1, html
    assert html.startswith("European Commission, ")
    html = reference_html(brief_with(BOOK), "pl", "paper", "book", "", note=True)
    assert "Jan Kowalski" in html and "Wydawnictwo" in html
