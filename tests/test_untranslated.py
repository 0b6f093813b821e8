"""Printed wrong though every check said ok (issue 18): an output in a language the brief's texts
were never translated into, a scaffold in English words, a recipient's salutation above a letter
in another language, a text between curly quotes, a translator's changed page number."""

from __future__ import annotations

import textwrap
from pathlib import Path

import polib
import pytest

from generator.errors import BriefError, Mark
from generator.make.letter import letter_html
from generator.project import Project
from generator.read.recipients import Recipient
from generator.run.personalise import languages_for
from generator.run.pipeline import check, load_brief, status

from .support import SAMPLE, edit, pages_text, run_cli, write

#: A brief in Italian, with English among its languages and the MEP design printing English,
#: and no translation at all (no translations/en.po) — as a new user writes it.
ITALIAN = textwrap.dedent("""\
    title: "Il regolamento sugli abusi sessuali sui minori"
    subtitle: "Che cosa dicono gli esperti"
    organisation: "Associazione Esempio"
    date: "2024-05-01"
    languages: [it, en]
    audiences:
      full: {languages: [it]}
      mep: {languages: [en]}
    contact:
      name: "Gruppo politiche"
      email: "policy@example.org"
    sections:
      - id: intro
        title: "Introduzione"
        body: "Un testo «importante».[@rapporto, p. 42]"
    sources:
      rapporto: {title: "Un rapporto", publisher: "Un editore", url: "https://example.org/r"}
    """)
BRIEF = "content/prova/brief.yaml"
MEP_EN = "prova.mep.en.pdf"


def _lines(output: str, start: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(start)]


# ---------------------------------------------------------------------------------------------
# A language the texts were never translated into


def test_an_untranslated_language_is_a_located_error_in_check_and_strict(project: Project):
    write(project, ITALIAN, "prova")
    for command in (["check", "prova"], ["check", "--strict", "prova"]):
        result = run_cli(project, *command)
        assert result.exit_code == 1, result.output
        [line] = _lines(result.output, f"{BRIEF}:1:8: ")  # the first text: the title
        assert "texts are written only in it, the original language" in line, line
        assert MEP_EN in line and "have no en translation" in line, line
        assert "title (line 1), subtitle (line 2), organisation (line 3)" in line, line
        assert "brief translate prova --to en" in line and "--draft" in line, line
        # what may be names is offered: the organisation, the contact, the source
        assert "same_in_every_language: [organisation, contact, sources.rapporto]" in line, line


def test_status_counts_an_untranslated_language_as_missing(project: Project):
    write(project, ITALIAN, "prova")
    [(_, rows)] = status(project, ["prova"])
    by_language = {row.language: row for row in rows}
    italian, english = by_language["it"], by_language["en"]
    assert italian.texts == english.texts == 8  # title … the source's publisher
    assert (english.translated, english.missing, english.stale) == (0, 8, 0)
    assert (english.buildable, english.blocked) == ((), ("mep",))
    assert italian.buildable == ("full",)
    result = run_cli(project, "status", "prova")
    en_line = next(line for line in result.output.splitlines() if "│ en " in line)
    cells = [cell.strip() for cell in en_line.strip("│").split("│")]
    assert cells[:5] == ["en", "8", "0", "0", "8"], en_line


def test_one_untranslated_text_is_named_at_its_line_and_listing_it_fixes_it(project: Project):
    """Every text translated inline but the organisation: one error at its line; listed under
    `same_in_every_language:`, it prints as written in every language and is not counted."""
    text = (ITALIAN
            .replace('title: "Il regolamento sugli abusi sessuali sui minori"',
                     'title: {it: "Il regolamento", en: "The regulation"}')
            .replace('subtitle: "Che cosa dicono gli esperti"', "")
            .replace('name: "Gruppo politiche"', 'name: {it: "Gruppo", en: "Team"}')
            .replace('title: "Introduzione"', 'title: {it: "Introduzione", en: "Introduction"}')
            .replace('body: "Un testo «importante».[@rapporto, p. 42]"',
                     'body: {it: "Un testo.[@rapporto, p. 42]", en: "A text.[@rapporto, p. 42]"}'))
    write(project, text + "same_in_every_language: [sources]\n", "prova")
    result = run_cli(project, "check", "prova")
    assert result.exit_code == 1
    [line] = _lines(result.output, f"{BRIEF}:3:15: ")
    assert line.startswith(f"{BRIEF}:3:15: organisation is written only in it, the original "
                           f"language, and {MEP_EN} print(s) it in en: it has no en "
                           "translation"), line
    assert "`same_in_every_language: [organisation]`" in line
    text = text.replace("example.org", "associazione.eu")  # not a stand-in
    write(project, text + "same_in_every_language: [sources, organisation]\n", "prova")
    fixed = run_cli(project, "check", "--strict", "prova")
    assert fixed.exit_code == 0, fixed.output
    rows = {row.language: row for row in status(project, ["prova"])[0][1]}
    assert (rows["en"].texts, rows["en"].translated, rows["en"].missing) == (4, 4, 0)


@pytest.mark.slow
def test_build_refuses_the_untranslated_output_and_draft_marks_it(project: Project):
    write(project, ITALIAN, "prova")
    result = run_cli(project, "build", "prova")
    assert result.exit_code == 1
    mep = project.out / "prova" / MEP_EN
    full = project.out / "prova" / "prova.full.it.pdf"
    assert not mep.exists() and full.exists()  # the Italian output is fine
    assert _lines(result.output, f"{BRIEF}:1:8: ")
    drafted = run_cli(project, "build", "--draft", "prova")
    assert drafted.exit_code == 0, drafted.output
    pages = pages_text(mep)
    assert all("Draft – not for distribution" in page for page in pages), pages


def test_same_in_every_language_names_fields_and_sources_of_the_brief(project: Project):
    write(project, ITALIAN + "same_in_every_language: [organisaton, sources.rapport, contact, "
          "contact, summary]\n", "prova")
    with pytest.raises(BriefError) as caught:
        load_brief(project, "prova")
    lines = caught.value.lines(project.root)
    at = f"{BRIEF}:18:"
    assert [line for line in lines if line.startswith(at)] == [
        f"{at}26: same_in_every_language: 'organisaton' is not a text that can be the same in "
        "every language (did you mean 'organisation'?); list title, subtitle, organisation, "
        "contact, sources or sources.<key> (other texts are translated)",
        f"{at}39: same_in_every_language: 'sources.rapport' names no source of this brief (did "
        "you mean 'rapporto'?); its sources: rapporto",
        f"{at}65: same_in_every_language: 'contact' is listed twice; remove one",
        f"{at}74: same_in_every_language: 'summary' is not a text that can be the same in every "
        "language; list title, subtitle, organisation, contact, sources or sources.<key> (other "
        "texts are translated)"], lines


def test_translate_offers_the_names_and_leaves_the_listed_out(project: Project):
    write(project, ITALIAN, "prova")
    result = run_cli(project, "translate", "prova", "--to", "en")
    assert result.exit_code == 0, result.output
    assert ("names that may be the same in every language: list them in brief.yaml, "
            "`same_in_every_language: [organisation, contact, sources.rapporto, "
            "sources.rapporto]`" not in result.output)  # each once
    assert ("`same_in_every_language: [organisation, contact, sources.rapporto]`, rather than "
            "translate them" in result.output), result.output
    path = project.content / "prova" / "translations" / "en.po"
    entries = {e.msgctxt: e for e in polib.pofile(str(path))}
    assert "list `organisation` under `same_in_every_language:`" in \
        entries["organisation"].comment.replace("\n", " ")
    assert "same_in_every_language" not in entries["title"].comment  # a title is translated
    checked = run_cli(project, "check", "prova").output  # the empty entry says so too
    [organisation] = [line for line in checked.splitlines() if "of organisation is" in line]
    assert organisation.endswith("translate the entry (msgstr); a name, the same in every "
                                 "language? then list it in brief.yaml, "
                                 "`same_in_every_language: [organisation]`"), organisation
    [title] = [line for line in checked.splitlines() if "translation of title is" in line]
    assert "same_in_every_language" not in title
    write(project, ITALIAN + "same_in_every_language: [organisation, contact, sources]\n",
          "prova")
    result = run_cli(project, "translate", "prova", "--to", "en")
    assert result.exit_code == 0, result.output
    assert "names that may be" not in result.output
    catalog = polib.pofile(str(path))
    live = {e.msgctxt for e in catalog if not e.obsolete}
    assert live == {"title", "subtitle", "section:intro/title", "section:intro/body"}
    assert {e.msgctxt for e in catalog if e.obsolete} >= {"organisation", "contact/name"}


def test_a_listed_name_translated_in_the_po_file_is_an_error_at_its_entry(project: Project):
    po = project.brief_file(SAMPLE).parent / "translations" / "de.po"
    catalog = polib.pofile(str(po))
    entry = next(e for e in catalog if e.msgctxt == "organisation")
    entry.msgstr = "Bits der Freiheit"
    catalog.save()
    line = polib.pofile(str(po)).find("Bits of Freedom", by="msgid").linenum  # type: ignore[union-attr]
    assert run_cli(project, "check", SAMPLE).exit_code == 0  # translated: printed so
    edit(project.brief_file(SAMPLE), 'placeholders: ["date", "url", "contact"]',
         'placeholders: ["date", "url", "contact"]\nsame_in_every_language: [organisation]')
    result = run_cli(project, "check", SAMPLE)
    assert result.exit_code == 1
    [hit] = _lines(result.output, f"content/{SAMPLE}/translations/de.po:{line}: ")
    assert "organisation is translated here, but brief.yaml says it is the same in every " \
           "language (`same_in_every_language:` lists 'organisation' at line 10)" in hit, hit


def test_the_sample_lists_no_name_and_still_checks(project: Project):
    """Its translations are complete: the names are copied into each PO file."""
    briefs, _ = check(project, [SAMPLE])
    assert not [gap for gap in briefs[0].gaps if gap.no_file]


# ---------------------------------------------------------------------------------------------
# A letter and everything on it in one language


def _recipient(rid: str, language: str, salutation: str, line: int = 2) -> Recipient:
    fields = {"id": rid, "name": rid.title(), "language": language, "salutation": salutation,
              "email": f"{rid}@example.org", "committee": "LIBE"}
    return Recipient(rid, rid.title(), language, salutation, f"{rid}@example.org",
                     tuple(fields.items()), Mark(Path("recipients.csv"), line))


def test_a_letter_that_fell_back_opens_with_the_fallbacks_salutation(project: Project):
    brief = load_brief(project, SAMPLE)
    mep = brief.audience("mep")
    assert mep is not None
    ferraro = _recipient("ferraro", "it", "Gentile onorevole Ferraro,")
    html = letter_html(project, brief, mep, ferraro, "en")
    assert "Dear Member of the European Parliament," in html and "Gentile" not in html
    muller = _recipient("muller", "de", "Sehr geehrte Frau Müller,", 3)  # her own language
    html = letter_html(project, brief, mep, muller, "de")
    assert "Sehr geehrte Frau Müller," in html and "Sehr geehrte Damen" not in html


def test_the_fallback_warning_says_whose_salutation_is_not_used(project: Project):
    brief = load_brief(project, SAMPLE)
    mep = brief.audience("mep")
    assert mep is not None
    rows = (_recipient("ferraro", "it", "Gentile onorevole Ferraro,"),
            _recipient("rossi", "it", "", 3), _recipient("muller", "de", "Sehr geehrte Frau,", 4))
    _, warning = languages_for(brief, mep, rows, {"ferraro", "rossi", "muller"})
    assert warning is not None
    message = warning.format_message()
    assert ("ferraro's own salutation 'Gentile onorevole Ferraro,' is not used (the list gives it "
            "in their language): the letter opens with the 'en' default, 'Dear Member of the "
            "European Parliament,'") in message, message
    assert "rossi's" not in message and "muller" not in message
    _, none = languages_for(brief, mep, rows[2:], {"muller"})
    assert none is None


@pytest.mark.slow
def test_a_personal_copy_that_fell_back_prints_no_salutation_of_another_language(
        project: Project):
    recipients = project.brief_file(SAMPLE).parent / "recipients.csv"
    recipients.write_text(
        recipients.read_text(encoding="utf-8")
        + 'ferraro,Marco Ferraro,it,"Gentile onorevole Ferraro,",ferraro@example.org,IT,LIBE,'
        "EPP\n", encoding="utf-8")
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep", "--only", "ferraro")
    assert result.exit_code == 0, result.output
    assert "ferraro's own salutation 'Gentile onorevole Ferraro,' is not used" in result.output
    copy = next((project.out / SAMPLE / "personal" / "mep").glob("*ferraro*.pdf"))
    letter = pages_text(copy)[0]
    assert "Dear Member of the European Parliament," in letter and "Gentile" not in letter


# ---------------------------------------------------------------------------------------------
# Curly quotes YAML does not see; a page a translator changed


@pytest.mark.parametrize(("field", "old", "new", "marks"), [
    ("subtitle", 'subtitle: "Che cosa dicono gli esperti"',
     "subtitle: “Il regolamento sugli abusi”", "“…”"),
    ("title", 'title: "Il regolamento sugli abusi sessuali sui minori"',
     "title: «Il regolamento»", "«…»"),
    ("organisation", 'organisation: "Associazione Esempio"',
     "organisation: „Associazione Esempio“", "„…“"),
    ("section 'intro', title", 'title: "Introduzione"', "title: ‘Introduzione’", "‘…’"),
])
def test_a_text_between_curly_quotes_warns_at_its_line(project: Project, field, old, new, marks):
    text = ITALIAN.replace("languages: [it, en]", "languages: [it]").replace(
        "mep: {languages: [en]}", "mep: {languages: [it]}")
    write(project, text.replace(old, new), "prova")
    line = next(number for number, written in enumerate(text.splitlines(), 1) if old in written)
    column = text.splitlines()[line - 1].index(old) + len(old.split(":")[0]) + 3
    _, warnings = check(project, ["prova"])
    messages = [w.problem for w in warnings if "curly quotes" in w.format_message()]
    assert messages == [f"{field} is written between curly quotes {marks}: YAML keeps them as "
                        "part of the text, so they print; use straight quotes \"…\" or none"]
    [warning] = [w for w in warnings if "curly quotes" in w.format_message()]
    assert (warning.mark.line, warning.mark.col) == (line, column)
    assert run_cli(project, "check", "--strict", "prova").exit_code == 1


@pytest.mark.parametrize("value", ['"“Il regolamento” in breve"', "“Uno” e “due”",
                                   "Il “regolamento”", "|\n  “Il regolamento”"])
def test_quotes_that_are_meant_do_not_warn(project: Project, value):
    text = ITALIAN.replace("languages: [it, en]", "languages: [it]").replace(
        "mep: {languages: [en]}", "mep: {languages: [it]}")
    write(project, text.replace('"Che cosa dicono gli esperti"', value), "prova")
    _, warnings = check(project, ["prova"])
    assert not [w for w in warnings if "curly quotes" in w.format_message()]


def _translated(project: Project, bodies: dict[str, str]) -> None:
    """ITALIAN in English and German, every PO entry filled in: the section's body as `bodies`
    says, any other text copied."""
    text = (ITALIAN.replace("languages: [it, en]", "languages: [it, en, de]")
            .replace("mep: {languages: [en]}", "mep: {languages: [en, de]}"))
    write(project, text, "prova")
    for language, body in bodies.items():
        assert run_cli(project, "translate", "prova", "--to", language).exit_code == 0
        path = project.content / "prova" / "translations" / f"{language}.po"
        catalog = polib.pofile(str(path))
        for entry in catalog:
            entry.msgstr = body if entry.msgctxt == "section:intro/body" else entry.msgid
        catalog.save()


def _po_line(project: Project, language: str) -> int:
    path = project.content / "prova" / "translations" / f"{language}.po"
    return next(e.linenum for e in polib.pofile(str(path)) if e.msgctxt == "section:intro/body")


@pytest.mark.parametrize(("language", "body", "cites"), [
    ("en", "An «important» text.[@rapporto, p. 43]", "[@rapporto, p. 43]"),
    ("de", "Ein «wichtiger» Text.[@rapporto, S. 24]", "[@rapporto, S. 24]"),
])
def test_a_translation_that_changes_a_page_is_an_error_at_its_po_line(project: Project,
                                                                      language, body, cites):
    _translated(project, {"en": "An «important» text.[@rapporto, p. 42]",
                          "de": "Ein «wichtiger» Text.[@rapporto, S. 42]", language: body})
    result = run_cli(project, "check", "prova")
    assert result.exit_code == 1
    where = f"content/prova/translations/{language}.po:{_po_line(project, language)}: "
    assert _lines(result.output, where) == [
        f"{where}the translation of section intro ('Introduzione'), body changes where a "
        f"citation points: it cites {cites} where the original cites [@rapporto, p. 42]; write "
        "the original's page (or other number) — only its label may be the language's, as "
        "`p.` → `S.`"], result.output
    # the only error (check also shows the brief's warnings, as `warning:` lines)
    assert len([line for line in _lines(result.output, "content/prova/")
                if ": warning: " not in line]) == 1


def test_a_translated_locator_label_is_fine(project: Project):
    _translated(project, {"en": "A text.[@rapporto, page 42]",
                          "de": "Ein Text.[@rapporto, S. 42]"})
    result = run_cli(project, "check", "prova")
    assert result.exit_code == 0, result.output


def test_an_inline_translation_that_changes_a_page_warns_at_its_line(project: Project):
    """Inline translations may cite differently on purpose (a source only the Dutch readers
    get); the same source at another page is a warning, an error with --strict."""
    text = ITALIAN.replace('body: "Un testo «importante».[@rapporto, p. 42]"',
                           'body:\n      it: "Un testo.[@rapporto, p. 42]"\n'
                           '      en: "A text.[@rapporto, p. 43]"').replace(
        'title: "Introduzione"', 'title: {it: "Introduzione", en: "Introduction"}')
    text += "same_in_every_language: [title, subtitle, organisation, contact, sources]\n"
    write(project, text, "prova")
    _, warnings = check(project, ["prova"])
    assert [line for w in warnings for line in w.lines(project.root)
            if "citation points" in line] == [
        f"{BRIEF}:17:11: section intro ('Introduzione'), body (en) changes where a "
        "citation "
        "points: it cites [@rapporto, p. 43] where the original cites [@rapporto, p. 42]; write "
        "the original's page (or other number) — only its label may be the language's, as "
        "`p.` → `S.`"]
    strict = run_cli(project, "check", "--strict", "prova")
    assert strict.exit_code == 1 and "citation points" in strict.output
    write(project, text.replace("p. 43", "page 42"), "prova")
    _, warnings = check(project, ["prova"])
    assert not [w for w in warnings if "citation points" in w.format_message()]


def test_a_letter_never_translated_is_not_printed_in_another_language(project: Project):
    """The body may be fine in English (every text inline or listed), the letter is written
    once, in Italian: a copy in English is refused, not printed with the Italian letter."""
    text = (ITALIAN.replace('title: "Il regolamento sugli abusi sessuali sui minori"',
                            'title: {it: "Il regolamento", en: "The regulation"}')
            .replace('title: "Introduzione"', 'title: {it: "Introduzione", en: "Introduction"}')
            .replace('body: "Un testo «importante».[@rapporto, p. 42]"',
                     'body: {it: "Un testo.[@rapporto]", en: "A text.[@rapporto]"}')
            + "same_in_every_language: [subtitle, organisation, contact, sources]\n"
            + "letter: |\n  {salutation}\n\n  Le scriviamo a proposito del regolamento.\n")
    write(project, text, "prova")
    brief = load_brief(project, "prova")
    mep = brief.audience("mep")
    assert mep is not None
    with pytest.raises(BriefError) as caught:
        letter_html(project, brief, mep, _recipient("mary", "en", ""), "en")
    assert caught.value.lines(project.root) == [
        f"{BRIEF}:19:1: the letter is not translated into 'en' (missing); it is written in: it; "
        "translate it (`brief translate prova --to en`), or write to this recipient in one of "
        "those"]
    assert "Le scriviamo" in letter_html(project, brief, mep, _recipient("ugo", "it", ""), "it")
