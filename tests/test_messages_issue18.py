"""Messages that said more, or other, than what is wrong (issue 18): a recipient list that
cannot be read judges no placeholder; an unknown language code is one error; a leftover fuzzy
flag and a translated msgctxt are named for what they are; `brief translate --to` a language
the brief does not have is refused at `languages:`."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.project import Project

from .support import SAMPLE, run_cli


def _list(project: Project) -> Path:
    return project.content / SAMPLE / "recipients.csv"


@pytest.mark.parametrize("broken", ["windows-1252", "italian-header", "header-only"])
def test_a_list_that_cannot_be_read_judges_no_placeholder(project: Project, broken: str):
    path = _list(project)
    text = path.read_text(encoding="utf-8")
    if broken == "windows-1252":
        path.write_bytes(text.replace("Zoë", "Zoé").encode("cp1252", errors="replace"))
    elif broken == "italian-header":
        path.write_text(text.replace("id,name,language", "identificativo,nome,lingua", 1),
                        encoding="utf-8")
    else:
        path.write_text(text.splitlines()[0] + "\n", encoding="utf-8")
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep")
    assert result.exit_code == 1, result.output
    assert "recipients.csv" in result.output
    assert "unknown placeholder" not in result.output, result.output
    assert "personalised" not in result.output  # nothing could be made: said as an error


TINY_IN = """\
title: "Titolo"
organisation: "ONG"
date: "2024-05-01"
languages: [LANGUAGES]
audiences: [full]
sections:
  - id: intro
    body: "Testo."
"""


@pytest.mark.parametrize(("languages", "code", "use"), [
    ('"ita"', "ita", "it"), ("ita", "ita", "it"), ('"deu", "eng"', "deu", "de"),
    ('"pol"', "pol", "pl")])
def test_a_three_letter_language_code_is_one_error(project: Project, languages: str, code: str,
                                                   use: str):
    path = project.content / "tiny" / "brief.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(TINY_IN.replace("LANGUAGES", languages), encoding="utf-8")
    result = run_cli(project, "check", "tiny")
    assert result.exit_code == 1
    about = [line for line in result.output.splitlines() if f"'{code}'" in line]
    assert len(about) == 1, result.output
    assert f"use the two-letter code '{use}'" in about[0]
    assert "generator/locale" not in result.output  # not the tool's source to edit


def _catalog(project: Project, language: str = "en"):
    import polib

    path = project.content / SAMPLE / "translations" / f"{language}.po"
    return path, polib.pofile(str(path))


def test_a_leftover_fuzzy_flag_is_not_a_changed_original(project: Project):
    path, catalog = _catalog(project)
    entry = catalog.find("organisation", by="msgctxt")
    entry.flags.append("fuzzy")
    catalog.save()
    line = polib_line(path, 'msgctxt "organisation"')
    result = run_cli(project, "check", SAMPLE)
    assert result.exit_code == 1
    [message] = [m for m in result.output.splitlines() if "organisation is" in m]
    assert message.startswith(f"content/{SAMPLE}/translations/en.po:{line}: ")
    assert "marked fuzzy (needs review)" in message
    assert "remove the fuzzy flag when the translation is right" in message
    assert "original changed" not in message


def test_a_fuzzy_entry_whose_original_changed_says_so(project: Project):
    from .support import edit

    edit(project.brief_file(SAMPLE), 'organisation: "Bits of Freedom"',
         'organisation: "Bits of Freedom NL"')
    assert run_cli(project, "translate", SAMPLE, "--to", "en").exit_code == 0  # makes it fuzzy
    result = run_cli(project, "check", SAMPLE)
    [message] = [m for m in result.output.splitlines() if "en.po" in m and "organisation is" in m]
    assert "the original changed since it was translated" in message


def polib_line(path: Path, text: str) -> int:
    """The line of the entry whose first line after its comments is `text` (polib's linenum:
    the msgid's, or the msgctxt's)."""
    import polib

    entry = next(e for e in polib.pofile(str(path)) if f'msgctxt "{e.msgctxt}"' == text)
    return entry.linenum


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_translated_msgctxt_names_the_orphaned_entry(project: Project, language: str):
    path, catalog = _catalog(project, language)
    entry = catalog.find("organisation", by="msgctxt")
    entry.msgctxt = "organisatie" if language == "en" else "Organisation"
    catalog.save()
    orphan = next(e for e in polib_entries(path) if e.msgctxt == entry.msgctxt)
    result = run_cli(project, "check", SAMPLE)
    assert result.exit_code == 1
    [message] = [m for m in result.output.splitlines() if "of organisation" in m]
    assert message.startswith(f"content/{SAMPLE}/translations/{language}.po:{orphan.linenum}: ")
    assert f"msgctxt '{entry.msgctxt}', which names no text of the brief" in message
    assert 'write `msgctxt "organisation"`' in message


def polib_entries(path: Path):
    import polib

    return list(polib.pofile(str(path)))


@pytest.mark.parametrize("language", ["es", "it"])
def test_translate_to_a_language_the_brief_does_not_have_is_refused(project: Project,
                                                                    language: str):
    catalog = project.content / SAMPLE / "translations" / f"{language}.po"
    result = run_cli(project, "translate", SAMPLE, "--to", language)
    assert result.exit_code == 1
    line = next(number for number, text in enumerate(
        project.brief_file(SAMPLE).read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("languages:"))
    assert result.output.startswith(f"content/{SAMPLE}/brief.yaml:{line}:"), result.output
    assert f"add '{language}' to `languages:` first" in result.output
    assert not catalog.exists()


def test_translate_to_several_languages_refuses_before_writing_any(project: Project):
    result = run_cli(project, "translate", SAMPLE, "--to", "en", "--to", "es")
    assert result.exit_code == 1
    assert "add 'es' to `languages:` first" in result.output
    assert not (project.content / SAMPLE / "translations" / "es.po").exists()
