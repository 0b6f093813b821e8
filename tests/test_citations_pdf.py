"""Citations and dates on paper (issue 20), read from the PDFs' text: the sample's repeated
sources and its Dutch titles in a French output, and a small brief in French, Polish and Latvian
citing a source three times, an English title, a CSL edited book, and dates CLDR gets wrong;
and one in bg, lt, hu, hr and it: the full stop after an accessed date ending in a dot, a
chapter's editors after "in", an editor who published the work printed once, Italian "1º"."""

from __future__ import annotations

import json
import re

import pytest

from generator.project import OutputId, Project
from generator.run.build import build

from .support import copy_project, pages_text, squash

pytestmark = pytest.mark.slow  # renders PDFs


def _notes(pdf) -> str:
    """A PDF's text on one line: line breaks and spaces as one space, no-break spaces kept."""
    return re.sub(r"[ \t\r\n]+", " ", " ".join(pages_text(pdf)))


def test_the_samples_repeated_sources_print_short_not_word_for_word(outputs):
    pdf, _ = outputs[("full", "nl")]
    text = squash(" ".join(pages_text(pdf)))
    # notes 3 and 4 cite in full; notes 5 and 6 (the same sources again) print the short form
    for full, short in (("JaarcijfersCentrumSeksueelGeweld2021,CentrumSeksueelGeweld",
                         "CentrumSeksueelGeweld,Jaarcijfers2021."),
                        ("CSGinpodcastovergebrekcapaciteitbijpolitie,CentrumSeksueelGeweld",
                         "CentrumSeksueelGeweld,Gebrekcapaciteitbijpolitie.")):
        assert text.count(full) == 1, full
        assert short in text, short
    assert text.count("https://centrumseksueelgeweld.nl/jaarcijfers2021/") == 1


def test_a_dutch_title_in_the_french_output_has_no_french_spacing(outputs):
    pdf, html = outputs[("mep", "fr")]
    text = _notes(pdf)
    assert "Slachtofferhulp: schaamte" in text, text
    assert not re.search(r"Slachtofferhulp\s:", text)
    assert '<span class="ref-title" lang="nl">' in html


BRIEF = "cites"
REFS = [{"id": "handbook", "type": "book", "title": "Handbook of Privacy",
         "editor": [{"family": "Smith", "given": "Jane"}, {"family": "Doe", "given": "John"}],
         "publisher": "Springer", "issued": {"date-parts": [[2020]]}, "language": "en"}]
#: Per language: six sentences and the word for page, each sentence citing a source — the
#: same one three times (full, Ibid., Ibid. at another page), the edited book, the first again
#: (short), a Latvian source with a month, a year and the day it was read.
SENTENCES = {"fr": ("Un Deux Trois Quatre Cinq Six", "p. {}"),
             "pl": ("Jeden Dwa Trzy Cztery Pięć Sześć", "s. {}"),
             "lv": ("Viens Divi Trīs Četri Pieci Seši", "{}. lpp.")}
KEYS = ("csam, {3}", "csam, {3}", "csam, {5}", "handbook", "csam, {9}", "month")


def _body(language: str) -> str:
    words, page = SENTENCES[language]
    cites = [re.sub(r"\{(\d)\}", lambda m: page.format(m[1]), key) for key in KEYS]
    return " ".join(f"{word}.[@{cite}]" for word, cite in zip(words.split(), cites, strict=True))


YAML = f"""\
title: {{fr: "Titre", pl: "Tytuł", lv: "Virsraksts"}}
organisation: "NGO"
date: "2024-05-01"
languages: [fr, pl, lv]
audiences: {{full: {{languages: [fr, pl, lv]}}}}
bibliography: refs.json
sections:
  - id: one
    body:
      fr: "{_body("fr")}"
      pl: "{_body("pl")}"
      lv: "{_body("lv")}"
sources:
  csam:
    title: "Proposal for a Regulation laying down rules to prevent child sexual abuse"
    short_title: "Proposal for a Regulation"
    publisher: "European Commission"
    date: "2022-05-11"
    language: en
  month:
    title: "Gada pārskats"
    publisher: "Valsts policija"
    date: "2022-11"
    accessed: "2023-02-01"
    url: "https://example.org/lv"
    language: lv
same_in_every_language: [organisation, sources]
"""


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, str]:
    return _built_notes(tmp_path_factory, BRIEF, YAML, REFS, ("fr", "pl", "lv"))


@pytest.mark.parametrize(("language", "ibid", "ibid_at", "short"), [
    ("fr", "Ibid.", "Ibid., p. 5.", "European Commission, Proposal for a Regulation, p. 9."),
    ("pl", "Tamże.", "Tamże, s. 5.", "European Commission, Proposal for a Regulation, s. 9."),
    ("lv", "Turpat.", "Turpat, 5. lpp.",
     "European Commission, Proposal for a Regulation, 9. lpp."),
])
def test_a_source_cited_again_prints_ibid_then_its_short_form(pdfs, language, ibid, ibid_at,
                                                              short):
    text = pdfs[language]
    assert text.count("laying down rules") == 1, text  # the full reference once
    assert f"2 {ibid}" in text and f"3 {ibid_at}" in text, text
    assert f"5 {short}" in text, text


def test_an_english_title_keeps_its_spaces_in_polish(pdfs):
    """Polish ties a one-letter word to the next (a no-break space): not in an English title."""
    assert "Proposal for a Regulation laying" in pdfs["pl"]
    assert "for a\u00a0Regulation" not in pdfs["pl"]


@pytest.mark.parametrize(("language", "editors"), [
    ("fr", "Jane Smith, John Doe (éd.), Handbook of Privacy, Springer, 2020."),
    ("pl", "Jane Smith, John Doe (red.), Handbook of Privacy, Springer, 2020."),
    ("lv", "Jane Smith, John Doe (red.), Handbook of Privacy, Springer, 2020."),
])
def test_csl_editors_print_as_editors(pdfs, language, editors):
    assert editors in pdfs[language], pdfs[language]


def test_french_first_of_the_month_and_latvian_month_and_year(pdfs):
    assert "1er mai 2024" in pdfs["fr"]
    text = pdfs["lv"].replace("\u00a0", " ")
    assert "2022. gada novembris" in text and "gada. novembris" not in text, text
    assert "skatīts 1.02.2023." in text, text  # numeric: "skatīts" wants the locative


# A brief in the languages whose accessed date ends in a dot, and Italian: a web page read on
# the first of the month, a chapter in an edited book, a report its editor published.
ENDS = "ends"
ENDS_LANGUAGES = ("bg", "lt", "hu", "hr", "it")
ENDS_REFS = [
    {"id": "chapter", "type": "chapter", "title": "Demystifying the AI Act",
     "author": [{"family": "Veale", "given": "Michael"}],
     "editor": [{"family": "Smith", "given": "Jane"}, {"family": "Doe", "given": "John"}],
     "container-title": "Computer Law Review International", "volume": "22", "issue": "4",
     "page": "97-112", "issued": {"date-parts": [[2021]]}, "language": "en"},
    {"id": "proposal", "type": "report", "title": "Proposal for a Regulation",
     "editor": [{"literal": "European Commission"}], "publisher": "European Commission",
     "issued": {"date-parts": [[2022, 5]]}, "language": "en"},
]
ENDS_YAML = f"""\
title: "Title"
organisation: "NGO"
date: "2024-05-01"
languages: [{", ".join(ENDS_LANGUAGES)}]
audiences: {{full: {{languages: [{", ".join(ENDS_LANGUAGES)}]}}}}
bibliography: refs.json
sections:
  - id: one
    body: {{{", ".join(f'{language}: "One.[@web] Two.[@chapter] Three.[@proposal]"'
                       for language in ENDS_LANGUAGES)}}}
sources:
  web:
    title: "Annual report"
    publisher: "Agency"
    date: "2023-11-01"
    accessed: "2023-04-01"
    url: "https://example.org/report"
    language: en
same_in_every_language: [title, organisation, sources]
"""


@pytest.fixture(scope="module")
def ends(tmp_path_factory) -> dict[str, str]:
    return _built_notes(tmp_path_factory, ENDS, ENDS_YAML, ENDS_REFS, ENDS_LANGUAGES)


@pytest.mark.parametrize(("language", "accessed"), [
    ("bg", "(посетено на 1 април 2023 г.). https://"),
    ("lt", "(žiūrėta 2023 m. balandžio 1 d.). https://"),
    ("hu", "(letöltés ideje: 2023. április 1.). https://"),
    ("hr", "(pristupljeno 1. travnja 2023.). https://"),
    ("it", "(consultato in data 1º aprile 2023). https://"),
])
def test_a_note_ends_with_a_full_stop_after_an_accessed_date_on_paper(ends, language, accessed):
    assert squash(accessed) in squash(ends[language]), ends[language]


def test_latvian_accessed_date_is_followed_by_the_notes_full_stop(pdfs):
    assert squash("(skatīts 1.02.2023.). https://example.org/lv") in squash(pdfs["lv"])


@pytest.mark.parametrize(("language", "editors"), [
    ("it", "Michael Veale, Demystifying the AI Act, in Jane Smith, John Doe (a cura di), "
           "Computer Law Review International 22(4), 97–112, 2021."),
    ("bg", "Michael Veale, Demystifying the AI Act, в Jane Smith, John Doe"),
    ("hr", "Michael Veale, Demystifying the AI Act, u Jane Smith, John Doe"),
])
def test_a_chapters_editors_print_after_in_on_paper(ends, language, editors):
    assert squash(editors) in squash(ends[language]), ends[language]


def test_an_editor_who_published_prints_once_and_italian_first_of_the_month_on_paper(ends):
    text = ends["it"]
    assert squash("European Commission (a cura di), Proposal for a Regulation, maggio 2022.") \
        in squash(text), text
    assert text.count("European Commission") == 1, text
    assert "1º novembre 2023" in text.replace("\u00a0", " "), text


def _built_notes(tmp_path_factory, brief: str, yaml: str, refs: object,
                 languages: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Build a brief with its CSL-JSON file in a fresh project: its full outputs' notes."""
    project = Project.at(copy_project(tmp_path_factory.mktemp(brief)))
    folder = project.content / brief
    folder.mkdir()
    (folder / "brief.yaml").write_text(yaml, encoding="utf-8")
    (folder / "refs.json").write_text(json.dumps(refs), encoding="utf-8")
    result = build(project, [brief])
    assert result.ok, [e.format_message() for _, e in result.failed]
    return {language: _notes(project.output_path(OutputId(brief, "full", language)))
            for language in languages}
