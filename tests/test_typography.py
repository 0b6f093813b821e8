"""Typography per language: hyphenation patterns for every EU language that has free ones (and
a warning for one without), hyphenation exceptions, French spacing, Greek and Cyrillic in the
shipped fonts; and one error for one root cause (an audience printing a language the brief
does not have)."""

from __future__ import annotations

import textwrap

import pytest

from generator.errors import BriefError
from generator.pipeline import load_brief

from .support import write

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
