"""Typography per language: hyphenation patterns for every EU language that has free ones (and
a warning for one without), hyphenation exceptions, French spacing, Greek and Cyrillic in the
shipped fonts; and one error for one root cause (an audience printing a language the brief
does not have)."""

from __future__ import annotations

import textwrap

import pyphen
import pytest

from generator import hyphenation
from generator.errors import BriefError
from generator.markdown import parser, typeset
from generator.pipeline import check, load_brief

from .support import REPO, write

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
