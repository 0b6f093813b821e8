"""Words and marks per language, the review of issue 20: abbreviations are no web addresses,
plain fields say when Markdown is written in them, spans never closed are reported, compounds in
headings, nested quotes in every language, ranges with ordinal dots and digit groups, ranges and
"e-" never broken at a line's end. Unit tests on tokens and HTML; on PDF text where a line break
is the point."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pikepdf
import pytest

from generator.errors import BriefError
from generator.project import OutputId, Project
from generator.run.build import build
from generator.run.pipeline import CheckFailed, check, load_brief
from generator.text import lint, syntax
from generator.text.render import RenderContext, to_html
from generator.text.typography.plain import typeset

from .support import SAMPLE, TINY, copy_project, edit, pages_text, run_cli, write

NNBSP, NBSP, SHY, WJ = "\u202f", "\u00a0", "\u00ad", "\u2060"
CONTEXT = RenderContext(reference_html=lambda key, locator, form: f"[{key}]")


def html(text: str, language: str) -> str:
    """The HTML of a text, the no-break space tying a paragraph's last two words as a space."""
    out = to_html(syntax.parse(text, language), CONTEXT, language)
    return re.sub(f"{NBSP}([^\\s{NBSP}<]+</(?:p|figcaption)>)", r" \1", out)


def links(text: str, language: str) -> list[str]:
    return [str(token.attrGet("href")) for token in syntax.walk(syntax.parse(text, language))
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
    found = lint.problems(text, None, "cs")
    assert len(found) == 1 and found[0].message.startswith(f"{shown} would print as text"), found
    assert found[0].offset == text.index("[Open"), found


def test_a_span_and_escaped_braces_are_fine():
    for text in ("Věta [Open]{lang=en} konec.", "Věta \\[x\\]\\{lang=en} konec."):
        assert lint.problems(text, None, "cs") == [], text


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
    from generator.text.typography.compounds import plain, set_hyphens
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
    tokens = syntax.parse("Teksts.[@zin, 3.-12. lpp.]", "lv")
    cite = next(t for t in syntax.walk(tokens) if t.type == "fn_cite")
    assert typeset(cite.meta["locator"], "lv") == f"3.–{WJ}12. lpp."


@pytest.mark.parametrize("language", ["pl", "en", "de", "sl"])
def test_no_line_breaks_after_a_one_letter_prefix(language):
    out = html("Wyślij e-mail albo C-vitamin, x-ray; ale nie sądowo-lekarski.", language)
    assert f"e-{WJ}mail" in out and f"C-{WJ}vitamin" in out and f"x-{WJ}ray" in out, out
    assert typeset("e-mail", language) == f"e-{WJ}mail"
    assert f"e-{WJ}mail" not in html("info@e-mail.example.org, https://e-x.org", language)


# ---------------------------------------------------------------------------------------------
# On paper: headings with compounds, ranges and "e-mail" in narrow columns

FILLERS = ("a", "ab", "abc", "abcd", "abcde", "abcdef", "ab cd", "abc de", "abcd ef", "a bcdef")
REVIEW_BODIES = {
    "pl": " ".join(f"{word} e-mail," for word in FILLERS * 2),
    "lv": " ".join(f"{word} 2017.-2021. gadā," for word in FILLERS),
    "bg": " ".join(f"{word} 2017-2021 г.," for word in FILLERS),
}
REVIEW_TITLES = {"pl": "Polityka społeczno-gospodarcza", "lv": "Pārskats", "bg": "Преглед"}


def _review_brief() -> str:
    def each(values: dict[str, str]) -> str:
        return "{" + ", ".join(f"{language}: {json.dumps(value, ensure_ascii=False)}"
                               for language, value in values.items()) + "}"
    return (f"title: {each(REVIEW_TITLES)}\norganisation: \"NGO\"\ndate: \"2024-05-01\"\n"
            "languages: [pl, lv, bg]\naudiences: [review]\n"
            f"sections:\n  - id: one\n    title: {each(REVIEW_TITLES)}\n"
            f"    body: {each(REVIEW_BODIES)}\n"
            "same_in_every_language: [organisation]\n")


@pytest.fixture(scope="module")
def review_pdfs(tmp_path_factory) -> dict[str, Path]:
    project = Project.at(copy_project(tmp_path_factory.mktemp("review")))
    # a heading where "Polityka społeczno-" fits on a line but not "-gospodarcza" after it
    (project.styles / "review.css").write_text(
        "h1, h2 { width: 62mm; } section p { width: 30mm; }\n", encoding="utf-8")
    with project.audiences_file.open("a", encoding="utf-8") as file:
        file.write('\nreview:\n  languages: [pl, lv, bg]\n  template: "brief.html.j2"\n'
                   '  stylesheets: ["base.css", "brief.css", "review.css"]\n'
                   '  medium: "paper"\n')
    write(project, _review_brief(), "review")
    result = build(project, ["review"])
    assert result.ok, [e.format_message() for _, e in result.failed]
    return {language: project.output_path(OutputId("review", "review", language))
            for language in ("pl", "lv", "bg")}


def _lines(pdf: Path) -> list[str]:
    text = "\n".join(pages_text(pdf)).replace(NNBSP, " ").replace(NBSP, " ")
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.mark.slow
def test_pdf_a_headings_compound_repeats_its_hyphen_and_bookmarks_stay_whole(review_pdfs):
    lines = _lines(review_pdfs["pl"])
    broken = [i for i, line in enumerate(lines) if line.startswith("-gospodarcza")]
    assert len(broken) >= 2, lines  # the title's h1 and the section's h2
    for i in broken:
        assert re.search(r"społeczno[\u2010-]$", lines[i - 1]), lines[i - 1:i + 1]
    with pikepdf.open(review_pdfs["pl"]) as pdf:
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
            titles += [child.title for item in outline.root for child in item.children]
        assert "Polityka społeczno-gospodarcza" in titles, titles
        assert not any(SHY in title or WJ in title for title in titles), titles
        assert str(pdf.docinfo["/Title"]) == "Polityka społeczno-gospodarcza"


@pytest.mark.slow
@pytest.mark.parametrize("language", ["lv", "bg"])
def test_pdf_a_range_never_breaks_at_its_dash(review_pdfs, language):
    lines = _lines(review_pdfs[language])
    assert not [line for line in lines if line.endswith("–")], lines
    assert sum("2017.–2021." in line or "2017–2021" in line for line in lines) == 10, lines


@pytest.mark.slow
def test_pdf_no_line_ends_after_a_one_letter_prefix(review_pdfs):
    lines = _lines(review_pdfs["pl"])
    assert not [line for line in lines if re.search(r"(?:^|\s)e[\u2010-]$", line)], lines
    assert sum(line.count("e-mail") for line in lines) == 20, lines


# ---------------------------------------------------------------------------------------------
# 9. A span with an unknown language: the error only, no warning about its patterns

def test_an_unknown_span_language_is_an_error_without_a_patterns_warning(project):
    write(project, SPAN_BRIEF.replace("[Open]{lang=en a dál.", "[x]{lang=xx} a dál."))
    output = run_cli(project, "check", "tiny").output
    assert "'xx' is not a language this tool knows" in output, output
    assert "hyphenation patterns" not in output, output


# ---------------------------------------------------------------------------------------------
# 10. A quotation mark inside a caption: the message says so

@pytest.mark.parametrize("written,fix", [
    ('![Grafico](chart.png "Segnalazioni "annuali" dell\'UE, 2017-2021")',
     "write `\\\"annuali\\\"` or 'annuali'"),
    ('![Grafico](chart.png "Dati dell\'UE "annuali", 2017-2021")',
     "write `\\\"annuali\\\"` or 'annuali'"),
    ("[link](https://example.org/a 'the 'best' one')", "write `\\'best\\'` or \"best\""),
])
def test_a_quotation_mark_inside_a_caption_is_named_as_the_fault(written, fix):
    found = lint.problems(f"Testo.\n\n{written}\n", None, "it")
    assert len(found) == 1, found
    assert "a quotation mark inside the caption ends it" in found[0].message, found
    assert found[0].message.endswith(fix) and "without spaces" not in found[0].message, found


# ---------------------------------------------------------------------------------------------
# 11. A space before % where the language's style guide asks for one

@pytest.mark.parametrize("language,written,printed", [
    ("fi", "5% ja 10%:n", f"5{NBSP}% ja 10{NBSP}%:n"), ("sv", "50%", f"50{NBSP}%"),
    ("da", "15%", f"15{NBSP}%"), ("sl", "5% in 6-% rast", f"5{NBSP}% in 6-% rast"),
    ("hr", "50% i 99,90€", f"50{NBSP}% i 99,90{NBSP}€"),
    ("cs", "5%", "5%"), ("sk", "5%", "5%"), ("lt", "5%", "5%"), ("en", "5%", "5%"),
])
def test_a_space_before_per_cent_where_the_style_guide_asks(language, written, printed):
    assert typeset(written, language) == printed


@pytest.mark.slow
def test_a_personal_copys_title_and_bookmarks_carry_no_word_joiner(project):
    """A range in the title never breaks (a word joiner after its dash) where it prints, but
    the joined copy's metadata and bookmarks are the title as written."""
    po = project.root / "content" / SAMPLE / "translations" / "en.po"
    edit(po, '"Preventing sexual abuse of', '"Preventing sexual abuse 2017-2021 of')
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep", "--only", "mary-oconnor")
    assert result.exit_code == 0, result.output
    copy = project.root / "out" / SAMPLE / "personal" / "mep" / "mary-oconnor.pdf"
    with pikepdf.open(copy) as pdf:
        title = str(pdf.docinfo["/Title"])
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
    assert "2017–2021" in title and WJ not in title, repr(title)
    assert any("2017–2021" in t for t in titles), titles
    assert not any(WJ in t or SHY in t for t in titles), titles
