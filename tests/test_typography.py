"""Typography per language: hyphenation patterns for every EU language that has free ones (and
a warning for one without), hyphenation exceptions, French spacing, Greek and Cyrillic in the
shipped fonts; and one error for one root cause (an audience printing a language the brief
does not have)."""

from __future__ import annotations

import json
import re
import textwrap

import pikepdf
import pyphen
import pytest

from generator.errors import BriefError
from generator.project import OutputId, Project
from generator.run.build import build
from generator.run.pipeline import check, load_brief
from generator.text import hyphenation
from generator.text.syntax import parser
from generator.text.typography.plain import typeset

from .support import REPO, SHIPPED_FONTS, copy_project, pages_text, write

NNBSP = "\u202f"

#: A German brief that keeps the default audiences (full and handout print nl, mep prints en).
GERMAN = textwrap.dedent("""\
    title: "Kinderschutz in den Mitgliedstaaten"
    subtitle: {de: "Ein Überblick"}
    organisation: "NGO"
    date: "2024-05-01"
    languages: [de]
    audiences: [full, mep, handout]
    contact:
      name: "Anna Schmidt"
    summary: {de: "Die Mitgliedstaaten müssen handeln."}
    sections:
      - id: intro
        title: {de: "Einleitung"}
        body: {de: "Die Mitgliedstaaten müssen handeln.[@src]"}
      - id: more
        title: "Weiteres"
        body: {de: "Noch mehr.^[Eine Fußnote.]"}
    sources:
      src: {title: {de: "Quelle"}, publisher: "Verlag", url: "https://example.org/a"}
    """)


def test_an_audience_in_a_language_the_brief_lacks_is_one_error_with_its_fix(project):
    write(project, GERMAN)
    with pytest.raises(BriefError) as info:
        load_brief(project, "tiny")
    lines = info.value.lines(project.root)
    assert len(lines) == 3, lines
    for line, (audience, column, language) in zip(lines, [("full", 13, "nl"), ("mep", 19, "en"),
                                                          ("handout", 24, "nl")], strict=True):
        assert line.startswith(f"content/tiny/brief.yaml:6:{column}: "), line
        assert f"audience '{audience}' prints language '{language}'" in line, line
        assert "its languages: de" in line, line
        assert f"{audience}: {{languages: [de]}}" in line, line
    fixed = GERMAN.replace("audiences: [full, mep, handout]",
                           "audiences: {full: {languages: [de]}, mep: {languages: [de]}, "
                           "handout: {languages: [de]}}")
    write(project, fixed)
    brief = load_brief(project, "tiny")
    assert [a.languages for a in brief.audiences] == [("de",), ("de",), ("de",)]


def test_an_audience_with_one_language_too_many_keeps_the_others(project):
    write(project, GERMAN.replace("languages: [de]", "languages: [de, en]")
          .replace('title: "Weiteres"', 'title: {de: "Weiteres", en: "More"}'))
    with pytest.raises(BriefError) as info:
        load_brief(project, "tiny")
    lines = info.value.lines(project.root)
    # mep (en) is fine as far as languages go; its missing English texts are real errors.
    causes = [line for line in lines if "prints language" in line]
    assert len(causes) == 2 and "'full'" in causes[0] and "'handout'" in causes[1], lines
    assert not any("has no 'nl' text" in line for line in lines), lines
    assert any("has no 'en' text" in line for line in lines), lines


# ---------------------------------------------------------------------------------------------
# French spacing


@pytest.mark.parametrize("written,printed", [
    ("Attention : voici !", f"Attention{NNBSP}: voici{NNBSP}!"),
    ("Pourquoi?", f"Pourquoi{NNBSP}?"),
    ("Déjà\u00a0: oui ; non", f"Déjà{NNBSP}: oui{NNBSP}; non"),
    (f"Déjà{NNBSP}: oui", f"Déjà{NNBSP}: oui"),  # typed right: not doubled
    ("Vraiment ?!", f"Vraiment{NNBSP}?!"),
    ("à 10:30 ; voir https://x.org/a?b=1 ou info@x.org !",
     f"à 10:30{NNBSP}; voir https://x.org/a?b=1 ou info@x.org{NNBSP}!"),
    ('« Collé » et "droit" : oui', f"«{NNBSP}Collé{NNBSP}» et «{NNBSP}droit{NNBSP}»{NNBSP}: oui"),
    ("«Collé»?", f"«{NNBSP}Collé{NNBSP}»{NNBSP}?"),
])
def test_french_plain_fields_get_narrow_no_break_spaces(written, printed):
    assert typeset(written, "fr") == printed
    assert NNBSP + ":" not in typeset("Attention : voici", "de")


def test_french_bodies_get_them_but_not_addresses():
    html = parser("fr").render("Texte *important* : voir <https://x.org/a:b?c> ; fin ?\n\n"
                               "[site](https://x.org/?q=1) à 9:45 !")
    assert f"</em>{NNBSP}: voir" in html
    assert '<a href="https://x.org/a:b?c">https://x.org/a:b?c</a>' + NNBSP + "; fin" + NNBSP \
        + "?" in html
    assert f"9:45{NNBSP}!" in html and "https://x.org/?q=1" in html
    assert NNBSP not in parser("en").render("Note : this!")


NBSP = "\u00a0"


@pytest.mark.parametrize("language,written,printed", [
    ("pl", "Raport o prawach w Polsce i na świecie", f"Raport o{NBSP}prawach w{NBSP}Polsce "
                                                     f"i{NBSP}na świecie"),
    ("pl", "W sumie (a nawet z nadwyżką) „u nas”", f"W{NBSP}sumie (a{NBSP}nawet z{NBSP}nadwyżką)"
                                                   f" „u{NBSP}nas”"),
    ("pl", "Zobacz www.example.pl/a w tekście", f"Zobacz www.example.pl/a w{NBSP}tekście"),
    ("pl", "Punkt a) oraz 5 m i x", f"Punkt a) oraz 5 m i{NBSP}x"),
    ("cs", "Jsem v Praze a k tomu s kolegou", f"Jsem v{NBSP}Praze a{NBSP}k{NBSP}tomu "
                                              f"s{NBSP}kolegou"),
    ("sk", "Som v Bratislave s kolegom", f"Som v{NBSP}Bratislave s{NBSP}kolegom"),
    ("pl-PL", "Dane w raporcie", f"Dane w{NBSP}raporcie"),
    ("de", "Ein a b w c", "Ein a b w c"),
    ("en", "I saw a cat", "I saw a cat"),
])
def test_one_letter_words_are_tied_to_the_next_in_plain_fields(language, written, printed):
    assert typeset(written, language) == printed


def test_one_letter_words_are_tied_in_bodies_but_not_in_code_or_addresses():
    html = parser("pl").render("Dane w `w kodzie` i <https://example.pl/a w> z\n"
                               "Warszawy, w [raporcie](https://example.pl/w-z) i *w domu*.")
    # (the address, not a valid autolink with its space, is still a bare address: linked)
    assert f"Dane w{NBSP}<code>w kodzie</code> i{NBSP}&lt;<a href=\"https://example.pl/a\">" \
        "https://example.pl/a</a> w&gt; " \
        f"z{NBSP}Warszawy, w{NBSP}<a href=\"https://example.pl/w-z\">raporcie</a> " \
        f"i{NBSP}<em>w{NBSP}domu</em>." in html, html
    assert NBSP not in parser("en").render("I saw a cat in a box and a dog.").replace(
        f"a{NBSP}dog", "")


# ---------------------------------------------------------------------------------------------
# Hyphenation: patterns and exceptions


@pytest.mark.parametrize("language,word,broken", [
    ("fi", "jäsenvaltioiden", "jä-sen-val-tioi-den"),
    ("ga", "ballstáit", "ball-stáit"),
    ("de", "Mitgliedstaaten", "Mit-glied-staa-ten"),
    ("de", "Rechtsstaatlichkeit", "Rechts-staat-lich-keit"),
])
def test_registered_dictionaries_hyphenate_as_shipped(language, word, broken):
    hyphenation.register(REPO)
    assert pyphen.language_fallback(language) == language
    assert pyphen.Pyphen(lang=language, left=2, right=2).inserted(word) == broken


def test_pyphens_own_german_patterns_get_mitgliedstaaten_wrong():
    """Why the German exceptions exist (if Pyphen is fixed, they may go)."""
    base = hyphenation.base_patterns(REPO, "de")
    assert base is not None
    wrong = pyphen.Pyphen(filename=base, left=2, right=2).inserted("Mitgliedstaaten")
    assert wrong == "Mit-glied-s-taa-ten"


def test_the_organisations_exceptions_add_to_the_shipped_ones(project):
    folder = project.content / "hyphenation"
    folder.mkdir()
    (folder / "exceptions-de.txt").write_text("# ours\nKin-der-schutz-ge-setz\n"
                                              "Mitglied-staaten\n", encoding="utf-8")
    hyphenation.register(project.root)
    german = pyphen.Pyphen(lang="de", left=2, right=2)
    assert german.inserted("Kinderschutzgesetz") == "Kin-der-schutz-ge-setz"
    assert german.inserted("Mitgliedstaaten") == "Mitglied-staaten"  # the organisation's wins
    assert german.inserted("Rechtsstaaten") == "Rechts-staa-ten"  # the shipped one stays
    hyphenation.register(REPO)
    assert pyphen.Pyphen(lang="de", left=2, right=2).inserted("Kinderschutzgesetz") \
        == "Kin-der-schutz-ge-setz"  # Pyphen's own, since it has none here


def test_a_line_that_is_not_a_word_is_an_error_at_its_place(project):
    folder = project.content / "hyphenation"
    folder.mkdir()
    (folder / "exceptions-de.txt").write_text("Kin-der\n  Daten schutz\nA--b\n",
                                              encoding="utf-8")
    write(project, GERMAN.replace("audiences: [full, mep, handout]",
                                  "audiences: {full: {languages: [de]}}"))
    with pytest.raises(BriefError) as info:
        load_brief(project, "tiny")
    lines = info.value.lines(project.root)
    assert [line.split(": ", 1)[0] for line in lines] == [
        "content/hyphenation/exceptions-de.txt:2:3", "content/hyphenation/exceptions-de.txt:3:1"]
    assert "Mit-glied-staa-ten" in lines[0]


def test_a_language_without_patterns_is_a_warning(project):
    maltese = GERMAN.replace("languages: [de]", "languages: [mt]").replace(
        "audiences: [full, mep, handout]", "audiences: {full: {languages: [mt]}}").replace(
        "{de: ", "{mt: ")
    write(project, maltese)
    _, warnings = check(project, ["tiny"])
    lines = [w for warning in warnings for w in warning.lines(project.root)]
    hits = [line for line in lines if "no hyphenation patterns" in line]
    assert len(hits) == 1 and hits[0].startswith("content/tiny/brief.yaml:6:"), lines
    assert "'mt'" in hits[0] and "styles/hyphenation/hyph_mt.dic" in hits[0]
    write(project, GERMAN.replace("audiences: [full, mep, handout]",
                                  "audiences: {full: {languages: [de]}}"))
    _, warnings = check(project, ["tiny"])
    assert not any("hyphenation" in w.format_message() for w in warnings)


# ---------------------------------------------------------------------------------------------
# Real PDFs: narrow columns in German, Finnish and French; Greek and Bulgarian in shipped fonts

NARROW = "narrow"
NARROW_LANGUAGES = ("de", "fi", "fr", "el", "bg", "pl")
#: Per language: title, a body of long words to hyphenate, a note, the contact's name.
NARROW_TEXTS = {
    "de": ("Kinderschutz in den Mitgliedstaaten",
           " ".join(["Die Mitgliedstaaten und die Rechtsstaatlichkeit der Mitgliedstaaten."] * 6),
           "Alle Mitgliedstaaten.", "Anna Schmidt"),
    "fi": ("Lastensuojelu jäsenvaltioissa",
           " ".join(["Jäsenvaltioiden tietosuojaviranomaiset ja lastensuojeluviranomaiset."] * 6),
           "Kaikki jäsenvaltiot.", "Anna Virtanen"),
    "fr": ("Protection de l'enfance : les États membres",
           "Attention : les États membres doivent agir ! Pourquoi ? Voir « Collé » ; à 10:30.",
           "Note : voir https://example.org/a?b=1 !", "Anne Dupont"),
    "el": ("Προστασία των παιδιών στα κράτη μέλη",
           " ".join(["Τα κράτη μέλη πρέπει να ενεργήσουν για την προστασία των παιδιών."] * 3),
           "Όλα τα κράτη μέλη.", "Άννα Παπαδοπούλου"),
    "bg": ("Закрила на детето в държавите членки",
           " ".join(["Държавите членки трябва да действат за закрилата на децата."] * 3),
           "Всички държави членки.", "Анна Петрова"),
    "pl": ("Ochrona dzieci w państwach i u sąsiadów",
           " ".join(["Dane o dzieciach w Polsce i w Czechach, a także z raportu o prawach "
                     "u nas w kraju i w Unii."] * 4),
           "Patrz w raporcie o prawach i z danymi.", "Anna Kowalska"),
}


def _narrow_brief() -> str:
    def text(index: int) -> str:
        return "{" + ", ".join(f"{lang}: {json.dumps(values[index], ensure_ascii=False)}"
                               for lang, values in NARROW_TEXTS.items()) + "}"
    notes = "{" + ", ".join(f"{lang}: {json.dumps(v[1] + '^[' + v[2] + ']', ensure_ascii=False)}"
                            for lang, v in NARROW_TEXTS.items()) + "}"
    return (f"title: {text(0)}\norganisation: \"NGO\"\nsame_in_every_language: [organisation]\n"
            f"date: \"2024-05-01\"\n"
            f"languages: [{', '.join(NARROW_LANGUAGES)}]\naudiences: [{NARROW}]\n"
            f"contact: {{name: {text(3)}, email: \"info@example.org\"}}\n"
            f"sections:\n  - id: one\n    title: {text(0)}\n    body: {notes}\n")


@pytest.fixture(scope="module")
def narrow_pdfs(tmp_path_factory) -> dict[str, tuple[list[str], pikepdf.Pdf]]:
    project = Project.at(copy_project(tmp_path_factory.mktemp("narrow")))
    (project.styles / "narrow.css").write_text(
        "section p { width: 32mm; }\n", encoding="utf-8")
    with project.audiences_file.open("a", encoding="utf-8") as file:
        file.write(f"\n{NARROW}:\n  languages: [{', '.join(NARROW_LANGUAGES)}]\n"
                   '  template: "brief.html.j2"\n'
                   '  stylesheets: ["base.css", "brief.css", "narrow.css"]\n'
                   '  medium: "paper"\n  contact: true\n')
    write(project, _narrow_brief(), "narrow")
    result = build(project, ["narrow"])
    assert result.ok, [e.format_message() for _, e in result.failed]
    found = {}
    for language in NARROW_LANGUAGES:
        path = project.output_path(OutputId("narrow", NARROW, language))
        found[language] = (pages_text(path), pikepdf.open(path))
    yield found
    for _, pdf in found.values():
        pdf.close()


def _line_ends(pages: list[str]) -> list[str]:
    """Lines ending in a hyphen (WeasyPrint prints U+2010), as "word-"."""
    lines = [line.rstrip().replace("\u2010", "-") for page in pages for line in page.splitlines()]
    return [line for line in lines if line.endswith("-")]


@pytest.mark.slow
def test_german_mitgliedstaaten_breaks_only_where_listed(narrow_pdfs):
    pages, _ = narrow_pdfs["de"]
    ends = _line_ends(pages)
    assert ends, pages  # the narrow column does hyphenate
    assert not any(end.endswith(("Mitglieds-", "Rechtss-")) for end in ends), ends
    assert any(end.endswith(("Mit-", "Mitglied-", "Mitgliedstaa-", "Rechts-", "Rechtsstaat-",
                             "Rechtsstaatlich-")) for end in ends), ends


@pytest.mark.slow
def test_finnish_hyphenates_at_pattern_points(narrow_pdfs):
    pages, _ = narrow_pdfs["fi"]
    ends = [end.split()[-1] for end in _line_ends(pages)]
    assert ends, pages
    fi = pyphen.Pyphen(filename=REPO / "styles" / "hyphenation" / "hyph_fi.dic", left=1, right=1)
    words = ("jäsenvaltioiden", "tietosuojaviranomaiset", "lastensuojeluviranomaiset")
    for end in ends:  # each piece starts and ends where the Finnish patterns allow a break
        piece = end.rstrip("-").lower()
        points = {(word, at) for word in words for at in range(len(word))
                  if word.startswith(piece, at) and (at == 0 or at in fi.positions(word))
                  and at + len(piece) in fi.positions(word)}
        assert points, (end, ends)


@pytest.mark.slow
def test_french_pdf_has_narrow_spaces_before_high_marks(narrow_pdfs):
    pages, _ = narrow_pdfs["fr"]
    text = " ".join(" ".join(pages).split())
    # pypdf gives the narrow no-break space as a space (or the character itself)
    for piece in ("Attention :", "agir !", "Pourquoi ?", "Collé »", "10:30", "Note :",
                  "https://example.org/a?b=1"):
        assert piece in text.replace(NNBSP, " "), (piece, text)


@pytest.mark.slow
def test_polish_pdf_never_ends_a_line_with_a_one_letter_word(narrow_pdfs):
    pages, _ = narrow_pdfs["pl"]
    lines = [" ".join(line.split()) for page in pages for line in page.splitlines()]
    assert sum("Polsce" in line for line in lines) >= 4, lines  # the body is there
    assert len(lines) > 20, lines  # and the column narrow
    hanging = [line for line in lines if re.search(r"(?:^|\s)[aiouwzAIOUWZ]$", line)]
    assert not hanging, hanging


@pytest.mark.slow
@pytest.mark.parametrize("language", ["el", "bg"])
def test_greek_and_cyrillic_print_in_shipped_fonts(narrow_pdfs, language):
    pages, pdf = narrow_pdfs[language]
    text = " ".join(" ".join(pages).split())
    title, _, note, contact = NARROW_TEXTS[language]
    for piece in (title, note, contact):
        assert " ".join(piece.split()) in text, (piece, text)
    fonts = set()
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            fonts.add(str(font.BaseFont).split("+", 1)[-1])
    assert fonts and fonts <= SHIPPED_FONTS, fonts
