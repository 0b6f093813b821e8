"""model + select: validation errors name file:line, the field, and what to do."""

from __future__ import annotations

import pytest

from generator.errors import BriefError
from generator.run.pipeline import check, load_brief

from .support import SAMPLE, TINY, write


def errors_of(project, text):
    write(project, text)
    with pytest.raises(BriefError) as info:
        load_brief(project, "tiny")
    return info.value.lines(project.root)


def test_tiny_brief_is_valid(project):
    write(project, TINY)
    brief = load_brief(project, "tiny")
    assert [s.id for s in brief.sections] == ["intro", "only-full"]
    assert brief.audience("mep").medium == "screen"
    assert brief.date.isoformat() == "2024-05-01"


def test_sample_brief_checks_clean(project):
    """No errors, and no warnings but its placeholders (see test_warnings_selection.py)."""
    briefs, warnings = check(project, [SAMPLE])
    assert [b.id for b in briefs] == [SAMPLE]
    assert warnings and all("prints a placeholder" in w.format_message() for w in warnings)


@pytest.mark.parametrize("old,new,line,words", [
    ('organisation: "NGO"', 'organisaton: "NGO"', 2, ["unknown key 'organisaton'",
                                                       "did you mean 'organisation'"]),
    ('date: "2024-05-01"', 'date: "2024-02-30"', 3, ["not a valid date", "YYYY-MM-DD"]),
    ('date: "2024-05-01"', "date: 01-05-2024", 3, ["not a date", "YYYY-MM-DD"]),
    ("audiences: [full, mep]", "audiences: [full, mpe]", 5, ["audience 'mpe' is not defined",
                                                            "did you mean 'mep'"]),
    ("  - id: only-full", "  - id: intro", 11, ["duplicate section id 'intro'"]),
    ('"Tekst.[@src]"', '"Tekst.[@scr]"', 9, ["[@scr] names no source", "[@src]"]),
    ('"Noot.^[Een *noot*.]"', '"Noot.^[]"', 14, ["empty footnote"]),
    ('"Tekst.[@src]"', '"Tekst <b>vet</b>.[@src]"', 9, ["raw HTML '<b>'"]),
    ('"Tekst.[@src]"', '"[x](javascript:alert(1)) [@src]"', 9, ["'javascript:alert(1'",
                                                                 "not allowed"]),
    ('"Tekst.[@src]"', '"![](missing.png) [@src]"', 9, ["no alt text"]),
    ('"Tekst.[@src]"', '"![Grafiek](missing.png) [@src]"', 9, ["'missing.png' not found"]),
    ('url: "https://example.org/a"', 'url: "ftp://example.org/a"', 16, ["not an http(s) URL"]),
    ('title: "Bron", ', "", 16, ["lacks the required key 'title'"]),
    ('en: "Text.[@src]"', 'fr: "Texte.[@src]"', 10, ["language 'fr'",
                                                     "not in the brief's languages"]),
])
def test_mistakes_are_reported_at_their_line(project, old, new, line, words):
    assert old in TINY
    lines = errors_of(project, TINY.replace(old, new, 1))
    hits = [text for text in lines if text.startswith(f"content/tiny/brief.yaml:{line}:")]
    assert hits, lines
    assert all(any(w in hit for hit in hits) for w in words), (words, lines)


def test_missing_translation_names_field_language_and_audience(project):
    line_to_drop = '      en: "Text.[@src]"\n'
    assert line_to_drop in TINY
    lines = errors_of(project, TINY.replace(line_to_drop, ""))
    [line] = lines
    assert line.startswith("content/tiny/brief.yaml:8:")
    assert "section 'intro', body" in line and "'en'" in line and "'mep'" in line


def test_missing_translation_of_a_section_the_audience_skips_is_fine(project):
    write(project, TINY)  # section only-full has no English and mep does not print it
    load_brief(project, "tiny")


def test_all_errors_are_reported_at_once(project):
    text = (TINY.replace('organisation: "NGO"', 'organisaton: "NGO"')
            .replace('date: "2024-05-01"', 'date: "2024-13-01"'))
    lines = errors_of(project, text)
    assert len(lines) >= 3  # unknown key, missing organisation, bad date


def test_audience_settings_are_validated(project):
    audiences = project.audiences_file
    audiences.write_text(audiences.read_text().replace('page: "A5"', 'page: "B7"')
                         .replace('max_pages: 8', 'max_pages: eight'), encoding="utf-8")
    with pytest.raises(BriefError) as info:
        load_brief(project, SAMPLE)
    message = "\n".join(info.value.lines(project.root))
    assert "content/audiences.yaml:" in message
    assert "'B7' is not a page size" in message
    assert "max_pages must be a whole number" in message


def test_brief_can_override_audience_settings(project):
    write(project, TINY.replace("audiences: [full, mep]",
                                "audiences:\n  full: {max_pages: 2}\n  mep:"))
    brief = load_brief(project, "tiny")
    assert brief.audience("full").max_pages == 2
    assert brief.audience("mep").max_pages == 4
