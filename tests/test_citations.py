"""Citations as a multilingual editor reads them (issue 20): a source's own language (its title
typeset by its rules, tagged with it), a source cited again (short form, the language's
"Ibid."), editors from CSL JSON, and the dates of references."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from pathlib import Path

import pytest

from generator.errors import BriefError, Mark
from generator.read.bibliography import _read
from generator.read.model import ANY_LANGUAGE, PO_STYLE, Brief, Source, Text, TextEntry
from generator.run.pipeline import check, load_brief, warnings_for
from generator.text import render, syntax
from generator.text.footnotes import (
    FULL,
    IBID,
    IBID_AT,
    SHORT,
    citations,
    number,
    reference_html,
    short_title,
)
from generator.text.locale import format_date, labels, language_code

from .support import TINY, output_html, write

M = Mark(Path("b.yaml"), 1)
NNBSP, NBSP = "\u202f", "\u00a0"


def text(value: str) -> Text:
    return Text((TextEntry(ANY_LANGUAGE, value, M, ""),), "f", M)


def brief_with(*sources: Source, languages: tuple[str, ...] = ("nl",)) -> Brief:
    return Brief(id="b", path=Path("b.yaml"), title=text("T"), subtitle=None,
                 organisation=text("O"), date=dt.date(2024, 1, 1), languages=languages, url="",
                 summary=None, contact=None, audiences=(), sections=(), sources=sources,
                 placeholders=())


DUTCH = Source("nos", text("Slachtofferhulp: schaamte zit hulp in de weg"), text("NOS"), None,
               "https://nos.nl/a", "", "", M, language="nl")
ENGLISH = Source("csam", text("Proposal for a Regulation laying down rules"),
                 text("European Commission"), None, "", "2022", "", M, language="en")
REPORT = Source("rep", text("Jaarcijfers Centrum Seksueel Geweld 2021"), text("CSG"), None,
                "https://example.org/r", "", "", M, language="nl",
                short_title=text("Jaarcijfers 2021"))


def forms(source: str) -> list[tuple[int, str, str]]:
    """(footnote number or 0 inside a note, key, form) of every citation, in reading order."""
    tokens = syntax.parse(source)
    number([tokens])
    return [(token.meta.get("number", 0), token.meta["key"], token.meta["form"])
            for token in syntax.walk(tokens) if token.type == "fn_cite"]


# ---------------------------------------------------------------------------------------------
# A source cited again: full, short, Ibid.


def test_first_citation_full_then_ibid_then_short():
    assert forms("A[@a, p. 3] B[@a, p. 3] C[@a, p. 5] D[@b] E[@a, p. 5] F[@a]") == [
        (1, "a", FULL), (2, "a", IBID), (3, "a", IBID_AT), (4, "b", FULL), (5, "a", SHORT),
        # no locator after one: a bare "Ibid." would mean p. 5
        (6, "a", SHORT)]


def test_numbering_state_runs_across_an_outputs_texts():
    texts = [syntax.parse("A[@a]."), syntax.parse("B[@a].")]
    footnotes = number(texts)
    assert [(f.number, f.form) for f in footnotes] == [(1, FULL), (2, IBID)]


def test_a_citation_inside_an_authors_note_counts_but_is_never_ibid():
    assert forms("A[@a] B^[See [@a] and [@b].] C[@b] D^[As [@b] says.] E[@b]") == [
        (1, "a", FULL), (0, "a", SHORT), (0, "b", FULL),  # in the note: short, never Ibid.
        (3, "b", SHORT),  # the note before cites two sources: no Ibid.
        (0, "b", SHORT),
        (5, "b", IBID)]  # the note before cites only this one


def test_a_note_without_citations_between_breaks_ibid():
    assert forms("A[@a] B^[A remark.] C[@a]")[-1] == (3, "a", SHORT)


@pytest.mark.parametrize(("language", "same", "other"), [
    ("en", "Ibid.", "Ibid., p. 5."),
    ("de", "Ebd.", "Ebd., S. 5."),
    ("pl", "Tamże.", "Tamże, s. 5."),
    ("it", "Ibidem.", "Ivi, p. 5."),  # Italian: Ivi for another page
    ("fr", "Ibid.", "Ibid., p. 5."),
    ("lv", "Turpat.", "Turpat, lpp. 5."),
])
def test_ibid_is_the_languages_word(language, same, other):
    brief = brief_with(REPORT)
    locator = other.split(", ", 1)[1].rstrip(".")
    assert reference_html(brief, language, "paper", "rep", "", note=True, form=IBID) == same
    assert reference_html(brief, language, "paper", "rep", locator, note=True,
                          form=IBID_AT) == other


def test_short_form_is_who_short_title_locator_and_links_on_screen_only():
    brief = brief_with(REPORT)
    paper = reference_html(brief, "nl", "paper", "rep", "p. 4", note=True, form=SHORT)
    assert re.sub("<[^>]+>", "", paper) == "CSG, Jaarcijfers 2021, p. 4."
    assert "href" not in paper  # the URL is in the first citation
    screen = reference_html(brief, "nl", "screen", "rep", "", note=True, form=SHORT)
    assert '<a href="https://example.org/r">Jaarcijfers 2021</a>' in screen


def test_a_translated_title_gets_a_short_title_of_its_own():
    translated = Text((TextEntry("nl", REPORT.title.get("nl") or "", M, ""),
                       TextEntry("en", "Annual figures: sexual violence", M, PO_STYLE)), "f", M)
    source = Source("rep", translated, text("CSG"), None, "", "", "", M, language="nl",
                    short_title=text("Jaarcijfers 2021"))
    html = reference_html(brief_with(source, languages=("nl", "en")), "en", "paper", "rep", "",
                          form=SHORT)
    assert re.sub("<[^>]+>", "", html) == "CSG, Annual figures"
    assert '<span class="ref-title">' in html  # the translation is in the output's language


def test_a_short_title_written_for_the_language_of_a_translated_title_is_used():
    translated = Text((TextEntry("nl", REPORT.title.get("nl") or "", M, ""),
                       TextEntry("en", "Annual figures: sexual violence", M, PO_STYLE)), "f", M)
    shorts = Text((TextEntry("nl", "Jaarcijfers 2021", M, ""),
                   TextEntry("en", "Annual figures 2021", M, "")), "f", M)
    source = Source("rep", translated, text("CSG"), None, "", "", "", M, language="nl",
                    short_title=shorts)
    brief = brief_with(source, languages=("nl", "en"))
    english = reference_html(brief, "en", "paper", "rep", "", form=SHORT)
    assert re.sub("<[^>]+>", "", english) == "CSG, Annual figures 2021"
    dutch = reference_html(brief, "nl", "paper", "rep", "", form=SHORT)
    assert re.sub("<[^>]+>", "", dutch) == "CSG, Jaarcijfers 2021"


@pytest.mark.parametrize(("title", "short"), [
    ("Slachtofferhulp: schaamte bij gedupeerden van naaktbeelden", "Slachtofferhulp"),
    ("Het fenomeen online seksueel geweld", "Het fenomeen online seksueel…"),
    ("Jaarcijfers 2021", "Jaarcijfers 2021"),
    ("Wat doet de Rapporteur? Een overzicht", "Wat doet de Rapporteur?"),
    ("Chat control — the proposal explained", "Chat control"),
])
def test_a_short_title_is_the_main_title_or_its_first_four_words(title, short):
    assert short_title(title) == short


# ---------------------------------------------------------------------------------------------
# A source's own language


def test_a_dutch_title_in_a_french_output_keeps_dutch_spacing_and_is_tagged():
    html = reference_html(brief_with(DUTCH), "fr", "paper", "nos", "", note=True)
    assert "Slachtofferhulp: schaamte" in html and NNBSP + ":" not in html
    assert '<span class="ref-title" lang="nl">' in html
    assert '<span lang="nl">NOS</span>' in html  # the publisher's name too


def test_an_english_title_in_a_polish_or_czech_output_has_no_one_letter_word_rule():
    for language in ("pl", "cs"):
        html = reference_html(brief_with(ENGLISH), language, "paper", "csam", "", note=True)
        assert "Proposal for a Regulation" in html, (language, html)
        assert 'lang="en"' in html


def test_a_title_in_the_outputs_own_language_is_not_tagged():
    html = reference_html(brief_with(DUTCH), "nl", "paper", "nos", "", note=True)
    assert "lang=" not in html


def test_a_source_without_a_language_is_typeset_as_the_output():
    source = Source("x", text("Slachtofferhulp: schaamte"), text("NOS"), None, "", "", "", M)
    html = reference_html(brief_with(source), "fr", "paper", "x", "", note=True)
    assert NNBSP + ":" in html and "lang=" not in html


@pytest.mark.parametrize(("written", "code"), [
    ("nl", "nl"), ("en-US", "en-US"), ("EN-us", "en-US"), ("nl_NL", "nl-NL"),
    ("English", "en"), ("Dutch", "nl"), ("nederlands", "nl"), ("Deutsch", "de"), ("eng", "en"),
    ("Klingonese", None), ("German; English", None), ("", None),
])
def test_a_csl_language_is_read_with_cldrs_data(written, code):
    assert language_code(written) == code


SOURCE_WITH = """\
    sources:
      src: {title: "Bron", publisher: "Uitgever", url: "https://example.org/a", LANGUAGE}
"""


@pytest.mark.parametrize(("value", "message"), [
    ("zz", "source 'src', language: 'zz' is no language CLDR knows"),
    ("NL", "source 'src', language: 'NL' is not a language code; use lower case: 'nl'"),
    ("Dutch", "source 'src', language: 'Dutch' is not a language code; use 'nl' (Dutch)"),
])
def test_a_sources_language_in_brief_yaml_is_checked_at_its_line(project, value, message):
    tiny = TINY.replace('src: {title: "Bron", publisher: "Uitgever", url: "https://example.org/a"}',
                        'src: {title: "Bron", publisher: "Uitgever", url: "https://example.org/a",'
                        f' language: {value}}}')
    path = write(project, tiny)
    with pytest.raises(BriefError) as caught:
        load_brief(project, "tiny")
    lines = [e.format_message() for e in caught.value.flat()]
    line = next(n for n, row in enumerate(tiny.splitlines(), 1) if "language:" in row)
    assert any(m.startswith(f"{path}:{line}:") and message in m for m in lines), lines


def test_a_sources_language_any_cldr_language_is_accepted(project):
    tiny = TINY.replace('url: "https://example.org/a"}', 'url: "https://example.org/a", '
                        'language: en-GB, short_title: "B"}')
    write(project, tiny)
    brief = load_brief(project, "tiny")
    source = brief.source("src")
    assert source is not None and source.language == "en-GB"
    assert source.short_title is not None and source.short_title.get("nl") == "B"


# ---------------------------------------------------------------------------------------------
# CSL JSON: language, short title, editors

CSL = [
    {"id": "edited", "type": "book", "title": "Handbook of Privacy",
     "editor": [{"family": "Smith", "given": "Jane"}, {"family": "Doe", "given": "John"}],
     "publisher": "Springer", "issued": {"date-parts": [[2020]]}, "language": "English"},
    {"id": "chapter", "type": "chapter", "title": "Encryption and the Law",
     "title-short": "Encryption",
     "author": [{"family": "Lee", "given": "Ann"}],
     "editor": [{"family": "Smith", "given": "Jane"}],
     "container-title": "Handbook of Privacy", "page": "3-12",
     "issued": {"date-parts": [[2020]]}, "language": "en-US"},
    {"id": "klingon", "type": "book", "title": "Boq", "publisher": "K",
     "language": "Klingonese"},
]


def csl_project(project, *, language: str = "de") -> Path:
    """A brief in `language` citing the CSL entries: the edited book twice, the chapter three
    times (full, Ibid., then short after another source)."""
    folder = project.content / "tiny"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "refs.json").write_text(json.dumps(CSL, indent=2), encoding="utf-8")
    return write(project, f"""\
title: "Titel"
organisation: "NGO"
date: "2024-05-01"
languages: [{language}]
audiences: {{full: {{languages: [{language}]}}}}
bibliography: refs.json
sections:
  - id: intro
    body: "Eins.[@edited] Zwei.[@chapter, p. 4] Drei.[@chapter, p. 4] Vier.[@edited]
      Fünf.[@chapter, p. 7] Sechs.[@klingon]"
""")


def notes_of(project, language: str = "de") -> list[str]:
    brief = load_brief(project, "tiny")
    audience = brief.audience("full")
    assert audience is not None
    html, _ = output_html(project, brief, audience, language)
    found = re.findall(r'data-fn="\d+">(.*?)</span>(?=\u2060|\s*<|$)', html)
    return [re.sub("<[^>]+>", "", note) for note in found]


def test_csl_editors_print_as_editors_and_author_and_editor_both(project):
    csl_project(project)
    html = output_html(project, load_brief(project, "tiny"),
                       load_brief(project, "tiny").audience("full"), "de")[0]
    plain = re.sub("<[^>]+>", "", html).replace("\u2060", "")  # (a range's word joiner)
    # an edited book: its editors in the author's place, as editors (German: Hrsg.)
    assert "Jane Smith, John Doe (Hrsg.), Handbook of Privacy, Springer, 2020" in plain
    # a chapter: its author, its title, "in" the book's editor and the book, the pages — the
    # editor edits the book, not a co-author of the chapter
    assert ("Ann Lee, Encryption and the Law, in Jane Smith (Hrsg.), Handbook of Privacy, "
            "3–12, 2020, p. 4") in plain
    assert "Ebd." in plain  # the third note cites the chapter at the same place again
    assert "Lee, Encryption, p. 7" in plain  # the short form: family name, title-short
    assert "Smith, Doe, Handbook of Privacy" in plain  # the edited book again
    assert 'lang="en"' in html  # an English source in a German output


def test_csl_editors_in_english_take_the_plural_of_their_number(project):
    csl_project(project, language="en")
    plain = re.sub("<[^>]+>", "", output_html(
        project, load_brief(project, "tiny"), load_brief(project, "tiny").audience("full"),
        "en")[0])
    assert "Jane Smith, John Doe (eds), Handbook of Privacy" in plain
    assert "Jane Smith (ed.), Handbook of Privacy" in plain


def test_an_unknown_csl_language_is_a_located_warning_not_a_crash(project):
    csl_project(project)
    brief = load_brief(project, "tiny")
    warned = [w.format_message() for w in warnings_for(brief)]
    refs = project.content / "tiny" / "refs.json"
    line = refs.read_text(encoding="utf-8").splitlines().index(
        '    "language": "Klingonese"') + 1
    assert any(w.startswith(f"{refs}:{line}:") and "'Klingonese' is no language" in w
               for w in warned), warned
    with pytest.raises(BriefError) as caught:  # --strict: an error
        check(project, ["tiny"], strict=True)
    assert any("Klingonese" in e.format_message() for e in caught.value.flat())
    # the entry prints, typeset as the output's language
    assert any("Boq" in note for note in notes_of(project))


# ---------------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(("language", "value", "expected"), [
    ("lv", "2022-11", f"2022.{NBSP}gada novembris"),  # CLDR's pattern: "2022. gada. novembris"
    ("lv", "2022-11-08", f"2022.{NBSP}gada 8. novembris"),
    ("fr", "2023-01-01", "1er janvier 2023"),
    ("fr", "2023-01-02", "2 janvier 2023"),
    ("fr-BE", "2023-01-01", "1er janvier 2023"),
    ("bg", "2026-03-15", f"15 март 2026{NNBSP}г."),
    ("bg", "2026-03", f"март 2026{NNBSP}г."),
    ("lt", "2023-01-01", f"2023{NBSP}m. sausio 1{NBSP}d."),
    ("es", "2023-01-01", "1 de enero de 2023"),  # a preposition is no designator
])
def test_dates_corrected_where_cldr_is_wrong_and_designators_tied(language, value, expected):
    assert format_date(value, language) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("lv", "8.11.2022."),  # "skatīts" wants the locative CLDR has not: numeric
    ("sl", "8. 11. 2022"),  # "pridobljeno" wants the genitive CLDR has not: numeric
    ("de", "8. November 2022"),  # "abgerufen am" + CLDR's long date
    ("cs", "8. listopadu 2022"),  # "citováno" + the genitive CLDR gives
])
def test_an_accessed_date_fits_the_languages_accessed_word(language, expected):
    assert format_date("2022-11-08", language, accessed=True) == expected


def test_every_languages_accessed_words_and_date_read_as_one_phrase():
    """The 24 catalogs' `accessed` with the date after it: only lv and sl print it numeric."""
    numeric = [language for language in ("bg", "cs", "da", "de", "el", "en", "es", "et", "fi",
                                         "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt", "nl",
                                         "pl", "pt", "ro", "sk", "sl", "sv")
               if not re.search(r"[^\W\d_]", format_date("2022-11-08", language, accessed=True))]
    assert numeric == ["lv", "sl"]
    assert labels("lv")["accessed"] == "skatīts" and labels("sl")["accessed"] == "pridobljeno"


def test_an_accessed_date_without_its_day_is_a_warning_at_the_source(project):
    tiny = TINY.replace('url: "https://example.org/a"}', 'url: "https://example.org/a", '
                        'accessed: "2022-11"}')
    path = write(project, tiny)
    warned = [w.format_message() for w in warnings_for(load_brief(project, "tiny"))]
    line = next(n for n, row in enumerate(tiny.splitlines(), 1) if "accessed" in row)
    assert any(w.startswith(f"{path}:{line}:") and "accessed '2022-11' has no day" in w
               for w in warned), warned


def test_the_renderer_hands_each_citation_its_own_form():
    """Each citation's form (`footnotes.number`) reaches the reference it prints, whatever
    comes between: a table, a list, a note with citations, an image's alt text."""
    source = ("Intro[@a, p. 1] text.^[See [@b] and [@a, p. 2].]\n\n"
              "| x | y |\n|---|---|\n| cell[@c] | ![alt [@d]](i.png) |\n\n"
              "- item[@b]\n- other^[Note [@c, p. 9].]\n\nEnd.[@a]")
    tokens = syntax.parse(source)
    number([tokens])
    asked: list[tuple[str, str, str]] = []

    def reference(key: str, locator: str, form: str) -> str:
        asked.append((key, locator, form))
        return key

    render.to_html(tokens, render.RenderContext(reference))
    assert asked == [(t.meta["key"], t.meta.get("locator", ""), t.meta["form"])
                     for t in citations(tokens)]
    assert len(asked) == 7
    assert {form for *_, form in asked} >= {"full", "short"}


# ---------------------------------------------------------------------------------------------
# A chapter's editors edit its book: "in" before them; an editor who is the publisher: once


def csl_source(entry: dict[str, object], tmp_path: Path) -> Source:
    path = tmp_path / "refs.json"
    path.write_text(json.dumps([{"id": "x", "language": "en", **entry}]), encoding="utf-8")
    errors: list[BriefError] = []
    sources = _read(path, errors, tmp_path)
    assert not errors, errors
    return sources[0]


VEALE = {"type": "chapter", "title": "Demystifying the Draft EU Artificial Intelligence Act",
         "author": [{"family": "Veale", "given": "Michael"}],
         "editor": [{"family": "Smith", "given": "Jane"}, {"family": "Doe", "given": "John"}],
         "container-title": "Computer Law Review International", "volume": "22", "issue": "4",
         "page": "97-112", "issued": {"date-parts": [[2021]]}}


@pytest.mark.parametrize(("language", "expected"), [
    ("it", "Michael Veale, Demystifying the Draft EU Artificial Intelligence Act, in Jane Smith, "
           "John Doe (a cura di), Computer Law Review International 22(4), 97–112, 2021."),
    ("en", "…Act, in Jane Smith, John Doe (eds), Computer Law Review"),
    ("de", "…Act, in Jane Smith, John Doe (Hrsg.), Computer Law Review"),
    ("pl", "…Act, w Jane Smith, John Doe (red.), Computer Law Review"),
    ("fi", "…Act, teoksessa Jane Smith, John Doe (toim.), Computer Law Review"),
])
def test_a_chapters_editors_follow_in_with_the_book_they_edit(tmp_path, language, expected):
    source = csl_source(VEALE, tmp_path)
    plain = _plain(reference_html(brief_with(source), language, "paper", "x", "",
                                                 note=True))
    assert expected.removeprefix("…") in plain, plain
    assert not re.search(r"Act, Jane Smith", plain)  # never as the chapter's co-authors


@pytest.mark.parametrize("kind", ["paper-conference", "entry-encyclopedia", "entry",
                                  "entry-dictionary"])
def test_a_papers_and_an_entrys_editors_edit_the_container_too(tmp_path, kind):
    plain = _plain(reference_html(brief_with(csl_source(
        {**VEALE, "type": kind}, tmp_path)), "en", "paper", "x", "", note=True))
    assert "Act, in Jane Smith, John Doe (eds), Computer Law Review" in plain, plain


def test_a_chapter_without_editors_or_author_still_reads_in_its_book(tmp_path):
    entry = {key: value for key, value in VEALE.items() if key != "editor"}
    plain = _plain(reference_html(brief_with(csl_source(entry, tmp_path)), "en",
                                                 "paper", "x", "", note=True))
    assert "Act, in Computer Law Review International 22(4), 97–112, 2021." in plain, plain
    entry = {key: value for key, value in VEALE.items() if key != "author"}
    plain = _plain(reference_html(brief_with(csl_source(entry, tmp_path)), "en",
                                                 "paper", "x", "", note=True))
    # no author: the editors stay with the book they edit, not in the author's place
    assert plain.startswith("Demystifying the Draft EU Artificial Intelligence Act, in Jane "
                            "Smith, John Doe (eds), Computer Law Review"), plain


@pytest.mark.parametrize("kind", ["book", "article-journal", "report", ""])
def test_a_works_own_editors_print_without_in(tmp_path, kind):
    entry = {**VEALE, "type": kind} if kind else {k: v for k, v in VEALE.items() if k != "type"}
    plain = _plain(reference_html(brief_with(csl_source(entry, tmp_path)), "en",
                                                 "paper", "x", "", note=True))
    assert "Act, Jane Smith, John Doe (eds), Computer Law Review" in plain, plain
    assert " in " not in plain


def test_an_editor_who_is_the_publisher_prints_once(tmp_path):
    source = csl_source({"type": "report", "title": "Proposal for a Regulation",
                         "editor": [{"literal": "European Commission"}],
                         "publisher": "European  commission",
                         "issued": {"date-parts": [[2022, 5]]}}, tmp_path)
    plain = _plain(reference_html(brief_with(source), "it", "paper", "x", "",
                                                 note=True))
    assert plain == "European Commission (a cura di), Proposal for a Regulation, maggio 2022.", \
        plain
    other = csl_source({"type": "report", "title": "Proposal", "editor": [{"literal": "DG HOME"}],
                        "publisher": "European Commission"}, tmp_path)
    assert re.sub("<[^>]+>", "", reference_html(brief_with(other), "en", "paper", "x", "",
                                                note=True)) == (
        "DG HOME (ed.), Proposal, European Commission.")


# ---------------------------------------------------------------------------------------------
# A note ends with a full stop: a full stop inside brackets is the brackets' own


WEB = Source("web", text("Annual report"), text("Agency"), None, "https://example.org/r",
             "2023-03", "2023-04-01", M)


@pytest.mark.parametrize(("language", "accessed"), [
    ("bg", "(посетено на 1 април 2023\u202fг.)."),
    ("lt", "(žiūrėta 2023\u00a0m. balandžio 1\u00a0d.)."),
    ("hu", "(letöltés ideje: 2023. április 1.)."),
    ("hr", "(pristupljeno 1. travnja 2023.)."),
    ("lv", "(skatīts 1.04.2023.)."),
    ("cs", "(citováno 1. dubna 2023)."),  # siblings whose date ends without a dot: as before
    ("el", "(ανακτήθηκε στις 1 Απριλίου 2023)."),
])
@pytest.mark.parametrize("medium", ["paper", "screen", "no url"])
def test_a_note_ends_with_a_full_stop_after_an_accessed_date_ending_in_a_dot(language, accessed,
                                                                           medium):
    source = WEB if medium != "no url" else Source(
        "web", WEB.title, WEB.publisher, None, "", WEB.date, WEB.accessed, M)
    html = reference_html(brief_with(source), language, "paper" if medium == "no url" else medium,
                          "web", "", note=True)
    plain = re.sub("<[^>]+>", "", html)
    assert accessed in plain, plain  # one full stop after the brackets, the sentence's


@pytest.mark.parametrize(("language", "title", "publisher", "ending"), [
    ("en", "Rules, forms (etc.)", None, "(etc.)."),  # a dot in brackets: the note's own follows
    ("en", "Annual report", "Acme Ltd.", "Acme Ltd."),  # an abbreviation's dot ends it: once
    ("en", "Who owns the data?", None, "data?"),
    ("de", "Wer? (Und wo?)", None, "wo?)."),
    ("en", 'A title "Why?"', None, "Why?”"),  # a closing quotation mark after it: no dot
    ("fr", 'Un titre "Pourquoi ?"', None, "?\u202f»"),  # … and a French space before it
])
def test_a_dot_in_brackets_never_ends_the_note(language, title, publisher, ending):
    source = Source("t", text(title), text(publisher) if publisher else None, text("Ann Lee"),
                    "", "", "", M)
    plain = unescape_tags(reference_html(brief_with(source), language, "paper", "t", "",
                                         note=True))
    assert plain.endswith(ending), plain
    assert not plain.endswith(".."), plain


def unescape_tags(html: str) -> str:
    return unescape(re.sub("<[^>]+>", "", html))


# ---------------------------------------------------------------------------------------------
# The first of the month as an ordinal


@pytest.mark.parametrize(("language", "first", "second"), [
    ("it", "1º novembre 2023", "2 novembre 2023"),  # º, the ordinal indicator, not ° (degree)
    ("fr", "1er novembre 2023", "2 novembre 2023"),
    ("pt-BR", "1º de novembro de 2023", "2 de novembro de 2023"),
    ("pt", "1 de novembro de 2023", "2 de novembro de 2023"),  # Portugal: cardinal
    ("es", "1 de noviembre de 2023", "2 de noviembre de 2023"),
    ("de", "1. November 2023", "2. November 2023"),
])
def test_the_first_of_the_month_as_the_language_writes_it(language, first, second):
    assert format_date("2023-11-01", language) == first
    assert format_date("2023-11-02", language) == second
    assert format_date("2023-11", language).startswith(("novembre", "novembro", "noviembre",
                                                        "November"))


def test_an_italian_accessed_date_on_the_first_is_an_ordinal_too():
    assert format_date("2023-04-01", "it", accessed=True) == "1º aprile 2023"
    assert format_date("2023-04-11", "it", accessed=True) == "11 aprile 2023"


# ---------------------------------------------------------------------------------------------
# The documentation says what the code does


def test_the_docs_say_when_a_repeated_citation_is_ibid_and_when_short():
    docs = " ".join((Path(__file__).parent.parent / "docs" / "content-format.md").read_text(
        encoding="utf-8").split())
    # each rule the docs state, and the form the code gives it
    rules = {
        "(the same locator, or none after none)": ("A[@a, p. 3] B[@a, p. 3] C[@a] D[@a]",
                                                   [FULL, IBID, SHORT, IBID]),
        "“Ibid., p. 5” when it cites another place": ("A[@a, p. 3] B[@a, p. 5] C[@a] D[@a, p. 5]",
                                                      [FULL, IBID_AT, SHORT, IBID_AT]),
        "A citation *without* a locator right after one *with* a locator prints the short form":
            ("A[@a, p. 3] B[@a]", [FULL, SHORT]),
        "one right after your own note citing two sources prints the short form":
            ("A^[See [@a] and [@b].] B[@a]", [FULL, FULL, SHORT]),
    }
    for sentence, (source, expected) in rules.items():
        assert sentence in docs, sentence
        assert [form for _, _, form in forms(source)] == expected, sentence


def _plain(html: str) -> str:
    """A reference as it reads: no markup, and no word joiner (a range's en dash keeps its
    numbers on one line with one: `typography.numbers`)."""
    return re.sub("<[^>]+>", "", html).replace("\u2060", "")
