"""Text outside its column or off the page is a located error, found after layout
(`pdf.overflows`): an unbreakable word in a plain field, in a Markdown body, in a section
title, in a letter's recipient name; and the sample lays out with none. See docs/security.md
(Bombs and limits)."""

from __future__ import annotations

import pytest

from generator.make.pdf import overflows
from generator.run.build import build

from .support import SAMPLE, TINY, edit, run_cli, write

TINY_FULL = TINY.replace("audiences: [full, mep]", "audiences: [full]")
WORD = "X" * 95  # under the check before rendering (100), over any column


def test_overflows_finds_a_word_past_its_column_and_the_page():
    import weasyprint

    html = ("<p style='width: 30mm'>Fine words</p>"
            f"<p style='width: 30mm; hyphens: manual'>Here {'W' * 40} ends</p>"
            f"<div style='position: fixed; left: 0'>{'Q' * 300}</div>")
    found = overflows(weasyprint.HTML(string=html).render())
    assert [(o.page, o.text[:3], o.off_page) for o in found] == [(1, "QQQ", True),
                                                                 (1, "WWW", False)] or \
        [(o.page, o.text[:3], o.off_page) for o in found] == [(1, "WWW", False),
                                                               (1, "QQQ", True)]
    assert all(o.past_mm > 10 for o in found)


@pytest.mark.slow
def test_the_sample_lays_out_with_no_overflow(sample_build):
    """(Every sample output was laid out and checked by the session's build.)"""
    assert sample_build.ok and sample_build.built


@pytest.mark.slow
@pytest.mark.parametrize(("old", "new", "line"), [
    ('organisation: "NGO"', f'organisation: "NGO {WORD}"', 2),
    ('title: {nl: "Titel", en: "Title"}', f'title: {{nl: "Titel {WORD}", en: "Title"}}', 1),
])
def test_a_long_word_in_a_plain_field_is_located_in_brief_yaml(project, old, new, line):
    """The finding: a 95-character word ran off the page with exit 0 and "preflight clean"."""
    write(project, TINY_FULL.replace(old, new, 1))
    result = run_cli(project, "build", "tiny")
    assert result.exit_code == 1
    hits = [text for text in result.output.splitlines()
            if text.startswith(f"content/tiny/brief.yaml:{line}:")
            and "out/tiny/tiny.full.nl.pdf, page 1: the text 'XXXXXXXX" in text]
    assert hits, result.output
    assert "a word of 95 characters without a place to break" in hits[0]
    assert hits[0].endswith("; shorten it or add a break (a hyphen or space)")
    assert not (project.out / "tiny" / "tiny.full.nl.pdf").exists()


@pytest.mark.slow
def test_a_long_word_in_a_section_title_is_located(project):
    write(project, TINY_FULL.replace('title: {nl: "Alleen NL"}', f'title: {{nl: "{WORD}"}}'))
    result = run_cli(project, "build", "tiny")
    assert result.exit_code == 1
    assert any(line.startswith("content/tiny/brief.yaml:13:") and "runs" in line
               and "past its column" in line for line in result.output.splitlines()), \
        result.output


@pytest.mark.slow
def test_a_long_name_in_a_letter_fails_only_its_copy(project):
    """A recipient's 95-character name (a cell the list accepts) runs off the letter: that copy
    fails, located, and the other copies are made."""
    path = project.content / SAMPLE / "recipients.csv"
    path.write_text("id,name,language,committee\n"
                    f"long,{WORD},de,LIBE\nanna,Anna Müller,de,LIBE\n", encoding="utf-8")
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep")
    assert result.exit_code == 1
    assert "out/expert-advice/personal/mep/long.pdf, page 1: the text 'XXXXXXXX" \
        in result.output, result.output
    assert "a word of 95 characters without a place to break" in result.output
    folder = project.out / SAMPLE / "personal" / "mep"
    assert sorted(p.name for p in folder.glob("*.pdf")) == ["anna.pdf"]


@pytest.mark.slow
def test_a_build_is_not_stopped_by_an_overflow_elsewhere(project):
    write(project, TINY_FULL)
    assert build(project, ["tiny"]).ok
    edit(project.content / "tiny" / "brief.yaml", 'organisation: "NGO"',
         f'organisation: "NGO {WORD}"')
    result = build(project, ["tiny"])
    assert not result.ok
    assert (project.out / "tiny" / "tiny.full.nl.pdf").exists()  # the last good one is kept
