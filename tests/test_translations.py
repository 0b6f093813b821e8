"""translations: PO files that remember their original (translations.py, `brief translate`,
stale and missing translations in `check` and `build`, `--draft`)."""

from __future__ import annotations

import polib
import pytest

from generator.project import Project

from .support import SAMPLE, edit, pages_text, run_cli

PO = "content/expert-advice/translations/en.po"
SHAME_NL = "Schaamte staat slachtoffers vaak in de weg om hulp te zoeken."
SHAME_NL_NEW = "Schaamte houdt slachtoffers vaak tegen om hulp te zoeken."
SHAME_KEY = "section:slachtofferhulp-probleem/body"


def _catalog(project: Project, language: str = "en") -> polib.POFile:
    return polib.pofile(str(project.root / f"content/expert-advice/translations/{language}.po"))


def _entry(project: Project, key: str) -> polib.POEntry:
    return next(e for e in _catalog(project) if e.msgctxt == key and not e.obsolete)


def _error_lines(output: str, where: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(where)]


def test_sample_checks_with_its_english_in_a_po_file(project):
    assert run_cli(project, "check").exit_code == 0
    entry = _entry(project, SHAME_KEY)
    assert SHAME_NL in entry.msgid and "Shame often stands in the way" in entry.msgstr


def test_an_edited_original_makes_check_fail_at_the_po_line(project):
    line = _entry(project, SHAME_KEY).linenum
    edit(project.brief_file(SAMPLE), SHAME_NL, SHAME_NL_NEW)
    result = run_cli(project, "check")
    assert result.exit_code == 1
    hits = _error_lines(result.output, f"{PO}:{line}: ")
    assert len(hits) == 1, result.output
    assert "stale" in hits[0] and "expert-advice.mep.en.pdf" in hits[0]
    assert f"brief translate {SAMPLE} --to en" in hits[0]
    assert "slachtofferhulp-probleem" in hits[0]


def test_translate_marks_exactly_the_changed_entry_fuzzy_and_a_fix_passes(project):
    before = {e.msgctxt: (e.msgid, e.msgstr, e.fuzzy) for e in _catalog(project)}
    edit(project.brief_file(SAMPLE), SHAME_NL, SHAME_NL_NEW)
    result = run_cli(project, "translate", SAMPLE, "--to", "en")
    assert result.exit_code == 0, result.output
    assert "1 changed (fuzzy)" in result.output
    after = {e.msgctxt: (e.msgid, e.msgstr, e.fuzzy) for e in _catalog(project)}
    changed = {key for key in after if after[key] != before.get(key)}
    assert changed == {SHAME_KEY}
    entry = _entry(project, SHAME_KEY)
    assert entry.fuzzy and SHAME_NL in entry.previous_msgid and SHAME_NL_NEW in entry.msgid
    assert run_cli(project, "check").exit_code == 1  # still stale: fuzzy

    catalog = _catalog(project)
    fixed = next(e for e in catalog if e.msgctxt == SHAME_KEY)
    fixed.msgstr = fixed.msgstr.replace("Shame often stands in the way of victims seeking help.",
                                        "Shame often keeps victims from seeking help.")
    fixed.flags.remove("fuzzy")
    fixed.previous_msgid = None
    catalog.save()
    result = run_cli(project, "check")  # the German, French and Polish of it are stale too
    assert result.exit_code == 1
    stale = [line for line in result.output.splitlines() if " is stale" in line]
    assert [line.split(".po:")[0].rsplit("/", 1)[1] for line in stale] == ["de", "fr", "pl"]
    assert all("slachtofferhulp-probleem" in line for line in stale)

    for language in ("de", "fr", "pl"):  # their translators update theirs
        assert run_cli(project, "translate", SAMPLE, "--to", language).exit_code == 0
        catalog = _catalog(project, language)
        fixed = next(e for e in catalog if e.msgctxt == SHAME_KEY)
        assert fixed.fuzzy and SHAME_NL_NEW in fixed.msgid
        fixed.flags.remove("fuzzy")
        fixed.previous_msgid = None
        catalog.save()
    result = run_cli(project, "check")
    assert result.exit_code == 0, result.output


def test_a_translation_that_drops_a_citation_is_an_error_at_its_line(project):
    catalog = _catalog(project)
    entry = next(e for e in catalog if e.msgctxt == SHAME_KEY)
    entry.msgstr = entry.msgstr.replace("[@nos-schaamte]", "")
    catalog.save()
    line = _entry(project, SHAME_KEY).linenum
    result = run_cli(project, "check")
    assert result.exit_code == 1
    hits = _error_lines(result.output, f"{PO}:{line}: ")
    assert hits and "[@nos-schaamte]" in hits[0] and "footnotes" in hits[0], result.output


def test_a_translation_that_drops_a_note_is_an_error(project):
    key = "section:eokm-aanbevelingen/body"
    catalog = _catalog(project)
    entry = next(e for e in catalog if e.msgctxt == key)
    start = entry.msgstr.index("^[")
    entry.msgstr = entry.msgstr[:start] + "\n"
    catalog.save()
    result = run_cli(project, "check")
    assert result.exit_code == 1
    assert "0 note(s) ^[…] where the original has 1" in result.output


def test_a_new_language_gets_a_po_file_with_every_text(project):
    edit(project.brief_file(SAMPLE), '"pl"]', '"pl", "it"]')  # a language, not yet printed
    # (the web edition would be in every language of the brief: here in the five it had)
    edit(project.brief_file(SAMPLE), "  web:\n",
         '  web: {languages: ["nl", "en", "de", "fr", "pl"]}\n')
    result = run_cli(project, "translate", SAMPLE, "--to", "it")  # in no output of the sample
    assert result.exit_code == 0, result.output
    italian = _catalog(project, "it")
    english = _catalog(project, "en")
    assert italian.metadata["Language"] == "it"
    assert "UTF-8" in italian.metadata["Content-Type"]
    assert italian.metadata["Project-Id-Version"].startswith("brief")
    assert {e.msgctxt for e in italian} > {e.msgctxt for e in english}  # English: what mep prints
    assert "section:nationaal-rapporteur-wie/body" in {e.msgctxt for e in italian}  # full only
    assert all(e.msgstr == "" for e in italian)
    titles = [e for e in italian if e.msgctxt == "section:slachtofferhulp-probleem/title"]
    assert "slachtofferhulp-probleem" in titles[0].comment
    assert "No output prints this language yet" in titles[0].comment
    assert run_cli(project, "check").exit_code == 0  # no output needs Italian yet


def test_texts_that_are_gone_become_obsolete(project):
    path = project.brief_file(SAMPLE)
    text = path.read_text(encoding="utf-8")
    start = text.index('      - id: "slachtofferhulp-probleem"')
    end = text.index('      - id: "slachtofferhulp-aanbevelingen"')
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    result = run_cli(project, "translate", SAMPLE, "--to", "en")
    assert result.exit_code == 0, result.output
    gone = [e for e in _catalog(project) if e.msgctxt == SHAME_KEY]
    assert len(gone) == 1 and gone[0].obsolete
    assert run_cli(project, "check").exit_code == 0


def test_a_malformed_po_file_is_a_located_error(project):
    path = project.root / PO
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(20, "this is not PO\n")
    path.write_text("".join(lines), encoding="utf-8")
    result = run_cli(project, "check")
    assert result.exit_code == 1
    assert _error_lines(result.output, f"{PO}:21: "), result.output
    assert "Traceback" not in result.output


def test_a_text_translated_inline_and_in_the_po_file_is_an_error(project):
    edit(project.brief_file(SAMPLE), '  nl: "Een bloemlezing van adviezen van Nederlandse experts"',
         '  nl: "Een bloemlezing van adviezen van Nederlandse experts"\n'
         '  en: "A selection of advice from Dutch experts"')
    line = _entry(project, "subtitle").linenum
    result = run_cli(project, "check")
    assert result.exit_code == 1
    hits = _error_lines(result.output, f"{PO}:{line}: ")
    assert hits and "translated twice" in hits[0] and "brief.yaml at line 5" in hits[0]


def test_an_empty_translation_is_missing(project):
    catalog = _catalog(project)
    next(e for e in catalog if e.msgctxt == "subtitle").msgstr = ""
    catalog.save()
    result = run_cli(project, "check")
    assert result.exit_code == 1
    assert "translation of subtitle is missing" in result.output


def test_move_inline_moves_translations_out_of_brief_yaml(project):
    path = project.root / PO
    path.unlink()
    edit(project.brief_file(SAMPLE), '  nl: "Een bloemlezing van adviezen van Nederlandse experts"',
         '  nl: "Een bloemlezing van adviezen van Nederlandse experts"\n'
         '  en: "A selection of advice from Dutch experts"')
    edit(project.brief_file(SAMPLE), 'title:\n  nl: "Voorkomen',
         'title: {en: "Preventing sexual abuse", nl: "Voorkomen')
    text = project.brief_file(SAMPLE).read_text(encoding="utf-8")
    text = text.replace('wat zeggen de experts?"\n', 'wat zeggen de experts?"}\n', 1)
    project.brief_file(SAMPLE).write_text(text, encoding="utf-8")
    result = run_cli(project, "translate", SAMPLE, "--to", "en", "--move-inline")
    assert result.exit_code == 0, result.output
    assert "1 text(s) keep their inline translation" in result.output  # the one in brackets
    after = project.brief_file(SAMPLE).read_text(encoding="utf-8")
    assert "A selection of advice" not in after and "Preventing sexual abuse" in after
    assert _entry(project, "subtitle").msgstr == "A selection of advice from Dutch experts"


@pytest.mark.slow
def test_build_leaves_the_stale_output_untouched_and_draft_marks_it(project):
    assert run_cli(project, "build", SAMPLE).exit_code == 0
    mep = project.out / SAMPLE / "expert-advice.mep.en.pdf"
    full = project.out / SAMPLE / "expert-advice.full.nl.pdf"
    mep_before, full_before = mep.read_bytes(), full.read_bytes()
    edit(project.brief_file(SAMPLE), SHAME_NL, SHAME_NL_NEW)

    result = run_cli(project, "build", SAMPLE)
    assert result.exit_code == 1
    assert "built       out/expert-advice/expert-advice.full.nl.pdf" in result.output
    assert f"{PO}:" in result.output and "stale" in result.output
    assert mep.read_bytes() == mep_before  # not rebuilt with the old English
    assert full.read_bytes() != full_before
    assert any(SHAME_NL_NEW in page for page in pages_text(full))

    result = run_cli(project, "build", "--draft", SAMPLE)
    assert result.exit_code == 0, result.output
    assert "built DRAFT out/expert-advice/expert-advice.mep.en.pdf" in result.output
    assert "stale" in result.output  # the stale texts are listed
    pages = pages_text(mep)
    assert all("Draft – not for distribution" in page for page in pages), pages

    result = run_cli(project, "build", SAMPLE)  # a draft is never current for a real build
    assert result.exit_code == 1
    assert "stale" in result.output
