"""Words and marks per language, the review of issue 20: abbreviations are no web addresses,
plain fields say when Markdown is written in them, spans never closed are reported, compounds in
headings, nested quotes in every language, ranges with ordinal dots and digit groups, ranges and
"e-" never broken at a line's end. Unit tests on tokens and HTML; on PDF text where a line break
is the point."""

from __future__ import annotations

import re

import pytest

from generator import markdown
from generator.errors import BriefError
from generator.markdown import RenderContext, to_html, typeset
from generator.pipeline import CheckFailed, check, load_brief

from .support import TINY, write

NNBSP, NBSP, SHY, WJ = "\u202f", "\u00a0", "\u00ad", "\u2060"
CONTEXT = RenderContext(reference_html=lambda key, locator, form: f"[{key}]")


def html(text: str, language: str) -> str:
    """The HTML of a text, the no-break space tying a paragraph's last two words as a space."""
    out = to_html(markdown.parse(text, language), CONTEXT, language)
    return re.sub(f"{NBSP}([^\\s{NBSP}<]+</(?:p|figcaption)>)", r" \1", out)


def links(text: str, language: str) -> list[str]:
    return [str(token.attrGet("href")) for token in markdown.walk(markdown.parse(text, language))
            if token.type == "link_open"]


# ---------------------------------------------------------------------------------------------
# 1. An abbreviation is no web address

@pytest.mark.parametrize("language,written", [
    ("pl", "Eksperci (m.in. z Łodzi) mówią, m.st. Warszawa."),
    ("lv", "Dati, t.sk. skolas, n.st. un dr.de pārskats."),
    ("de", "Meldungen z.B. und u.a. aus d.h. Schulen."),
    ("en", "Reports, e.g. from schools, i.e. online."),
])
def test_an_abbreviation_is_not_made_a_link(language, written):
    assert links(written, language) == [], html(written, language)
    assert "<a " not in html(written, language)


def test_an_address_without_its_scheme_is_still_a_link():
    written = ("See nos.nl, example.org, centrumseksueelgeweld.nl, ec.europa.eu, un.org, "
               "www.x.de and foo.de/bericht.")
    assert links(written, "nl") == [
        "http://nos.nl", "http://example.org", "http://centrumseksueelgeweld.nl",
        "http://ec.europa.eu", "http://un.org", "http://www.x.de", "http://foo.de/bericht"]
    assert links("Zie https://m.in/x en info@t.sk.", "nl") == ["https://m.in/x",
                                                               "mailto:info@t.sk"]


# ---------------------------------------------------------------------------------------------
# 2. A span in a plain text (a title, a source's title) is an error at its place

@pytest.mark.parametrize(("old", "new", "expected"), [
    ('title: {nl: "Titel", en: "Title"}', 'title: {nl: "Titel", en: "About [Grooming]{lang=en}"}',
     ("1:33", "title (en)", "a title")),
    ('title: {nl: "Alleen NL"}', 'title: {nl: "Over [Grooming]{lang=en} nu"}',
     ("13:23", "section 'only-full', title (nl)", "a title")),
    ('title: "Bron"', 'title: "Bron [Grooming]{lang=en"',
     ("16:22", "source 'src', title", "a title")),
    ('organisation: "NGO"', 'organisation: "[NGO]{lang=en}"',
     ("2:16", "organisation", "an organisation")),
])
def test_a_span_in_a_plain_text_is_a_located_error(project, old, new, expected):
    at, field, what = expected
    assert old in TINY
    write(project, TINY.replace(old, new, 1))
    with pytest.raises(BriefError) as info:
        load_brief(project, "tiny")
    lines = info.value.lines(project.root)
    hits = [line for line in lines
            if line.startswith(f"content/tiny/brief.yaml:{at}: {field}: ")]
    assert hits and f"would print as written: {what} is plain text, not Markdown" in hits[0], \
        lines


# ---------------------------------------------------------------------------------------------
# 3. A span never closed would print its syntax: a located error

@pytest.mark.parametrize("written,shown", [
    ("[Open]{lang=en a dál …", "`[Open]{lang=en…`"),
    ("[Open2 a dál{lang=en} dál", "`[Open2 a dál{lang=en}…`"),
    ("^[Pozn. [Open]{lang=en a dál]", "`[Open]{lang=en…`"),
])
def test_a_span_never_closed_is_an_error_at_its_place(written, shown):
    text = f"Úvod.\n\nVěta {written} konec."
    found = markdown.problems(text, None, "cs")
    assert len(found) == 1 and found[0].message.startswith(f"{shown} would print as text"), found
    assert found[0].offset == text.index("[Open"), found


def test_a_span_and_escaped_braces_are_fine():
    for text in ("Věta [Open]{lang=en} konec.", "Věta \\[x\\]\\{lang=en} konec."):
        assert markdown.problems(text, None, "cs") == [], text


SPAN_BRIEF = """\
title: "Titel"
organisation: "NGO"
date: "2024-05-01"
languages: [cs]
audiences: {full: {languages: [cs]}}
sections:
  - id: intro
    body: |
      Úvod.

      Věta [Open]{lang=en a dál.
"""


def test_a_span_never_closed_is_reported_at_its_line(project):
    write(project, SPAN_BRIEF)
    with pytest.raises(CheckFailed) as info:
        check(project, ["tiny"])
    lines = info.value.lines(project.root)
    assert any(line.startswith("content/tiny/brief.yaml:11:12: ") and "[Open]{lang=en" in line
               for line in lines), lines


# ---------------------------------------------------------------------------------------------
# 4-8 on tokens and plain texts

def test_a_heading_gets_the_compounds_hyphen_but_not_the_title_element():
    from generator.typography.compounds import plain, set_hyphens
    assert set_hyphens("Polityka społeczno-gospodarcza", "pl") == (
        f"Polityka społeczno{SHY}-{WJ}gospodarcza")
    assert plain(set_hyphens("społeczno-gospodarcza e-mail 2017-2021", "pl")) == (
        "społeczno-gospodarcza e-mail 2017-2021")


@pytest.mark.parametrize("language,written,printed", [
    ("it", '"un "doppio" dentro"', "«un “doppio” dentro»"),
    ("de", '"un "doppio" dentro"', "„un ‚doppio‘ dentro“"),
    ("en", '"un "doppio" dentro"', "“un ‘doppio’ dentro”"),
    ("pl", '"un "doppio" dentro"', "„un «doppio» dentro”"),
    ("en", "'un 'doppio' dentro'", "‘un “doppio” dentro’"),  # the depth decides, not the mark
    ("en", '"one" and "two"', "“one” and “two”"),
    ("de", "\"das 'Wort' hier\"", "„das ‚Wort‘ hier“"),
])
def test_double_quotes_inside_double_quotes_nest_in_every_language(language, written, printed):
    assert printed in html(written, language), html(written, language)
    assert typeset(written, language) == printed


@pytest.mark.parametrize("language,written,printed", [
    ("lv", "3.-12. lpp.", f"3.–{WJ}12. lpp."),
    ("lv", "2017.-2021. gadu", f"2017.–{WJ}2021. gadu"),
    ("de", "3.-5. Mai", f"3.–{WJ}5. Mai"),
    ("de", "10.000-20.000 Euro", f"10.000–{WJ}20.000 Euro"),
    ("de", "1,5-2,5 Prozent", f"1,5–{WJ}2,5 Prozent"),
    ("fr", "10 000-20 000 euros", f"10{NNBSP}000–{WJ}20{NNBSP}000 euros"),
    ("en", "typed 2017–2021", f"typed 2017–{WJ}2021"),
    # never these
    ("de", "5.-3. Mai", "5.-3. Mai"), ("de", "12.05.-14.05.2022", "12.05.-14.05.2022"),
    ("de", "20.000-10.000", "20.000-10.000"), ("en", "+32 2 555-1234", f"+32 2{NBSP}555-1234"),
    ("en", "2022-11-08", "2022-11-08"), ("de", "05.-07.", "05.-07."),
])
def test_ranges_with_ordinal_dots_and_digit_groups_get_an_en_dash_and_never_break(
        language, written, printed):
    assert typeset(written, language) == printed


def test_a_range_in_a_citations_locator_gets_it_too():
    tokens = markdown.parse("Teksts.[@zin, 3.-12. lpp.]", "lv")
    cite = next(t for t in markdown.walk(tokens) if t.type == "fn_cite")
    assert typeset(cite.meta["locator"], "lv") == f"3.–{WJ}12. lpp."


@pytest.mark.parametrize("language", ["pl", "en", "de", "sl"])
def test_no_line_breaks_after_a_one_letter_prefix(language):
    out = html("Wyślij e-mail albo C-vitamin, x-ray; ale nie sądowo-lekarski.", language)
    assert f"e-{WJ}mail" in out and f"C-{WJ}vitamin" in out and f"x-{WJ}ray" in out, out
    assert typeset("e-mail", language) == f"e-{WJ}mail"
    assert f"e-{WJ}mail" not in html("info@e-mail.example.org, https://e-x.org", language)
