"""The tool's own words read as an editor would (issue 20): the catalogs' fixed entries, the
draft mark's dash, salutations written out in full, a French closing that repeats the letter's
own form of address; each on the catalog's value and on the text of built PDFs."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import polib
import pytest

from generator.errors import Mark
from generator.make.letter import (
    _opening_problem,
    closing,
    letter_audience,
    letter_html,
    opening_warnings,
)
from generator.project import OutputId
from generator.read.recipients import Recipient
from generator.run import pipeline
from generator.run.pipeline import load_brief, prepare
from generator.text import locale

from .support import TINY, pages_text, squash, write

TODAY = dt.date(2026, 11, 28)
LANGUAGES = locale.catalog_languages()

#: The languages the PDFs are built in.
BUILT = ("en", "fr", "es", "nl", "de", "et")


def words(language: str) -> dict[str, str]:
    return locale.labels(language)


# ---------------------------------------------------------------------------------------------
# The catalogs' values


def test_dutch_reads_the_note_online_not_the_letter():
    assert words("nl")["read_online"] == "Lees de volledige notitie online"
    assert "brief" not in words("nl")["read_online"].split()  # "brief" is a letter in Dutch


def test_a_placeholder_is_to_be_filled_in_not_temporary():
    assert words("bg")["placeholder"] == "за попълване"  # "временно" is "temporarily"
    assert words("el")["placeholder"] == "προς συμπλήρωση"  # "προσωρινό" is "temporary"


def test_maltese_has_no_english_online():
    assert "online" not in words("mt")["read_online"]
    assert words("mt")["read_online"] == "Aqra d-dokument sħiħ fuq l-internet"
    assert words("mt")["qr_alt"] == "Kodiċi QR b’ħolqa għal"  # nor "link"


def test_estonian_salutation_ends_as_estonian_letters_do():
    # EKI: an exclamation mark (or nothing) after the salutation, never the English comma
    assert words("et")["salutation"] == "Lugupeetud Euroopa Parlamendi liige!"
    assert words("et")["closing"] == "Lugupidamisega"  # and no comma after the closing


@pytest.mark.parametrize(("language", "salutation"), [
    ("es", "Estimada diputada, estimado diputado:"),
    ("pt", "Excelentíssima Senhora Deputada, Excelentíssimo Senhor Deputado,"),
    ("hu", "Tisztelt Képviselő Asszony, tisztelt Képviselő Úr!"),
    ("de", "Sehr geehrte Frau Abgeordnete, sehr geehrter Herr Abgeordneter,"),
])
def test_both_forms_are_written_out(language, salutation):
    assert words(language)["salutation"] == salutation


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_salutation_reads_as_a_form(language):
    salutation = words(language)["salutation"]
    assert not re.search(r"\w/\w|\w\(\w+\)", salutation), salutation  # "eurodiputado/a", "(a)"
    assert salutation[-1] in ",:!" or language in ("da", "fi"), salutation


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_draft_mark_sets_the_languages_dash(language):
    draft = words(language)["draft"]
    if language == "es":  # the raya encloses, it does not separate: a label takes a colon
        assert draft == "Borrador: no distribuir"
    elif language == "pt":  # the travessão, spaced
        assert draft == "Rascunho — não divulgar"
    else:  # a spaced en dash
        assert " – " in draft and "—" not in draft, draft
    assert locale.WORDS["draft"] == "Draft – not for distribution" == words("en")["draft"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_says_how_it_was_reviewed(language):
    po = polib.pofile(str(locale.catalog_path(language)))
    header = locale.catalog_path(language).read_text(encoding="utf-8").split("msgid", 1)[0]
    assert "Reviewed for issue 20" in header and "native\n# speaker" in header
    draft = next(entry for entry in po if entry.msgctxt == "draft")
    assert draft.tcomment.startswith("Dash:"), draft.tcomment  # what the dash follows


# ---------------------------------------------------------------------------------------------
# The closing: a French one repeats the form of address the letter opens with


FRENCH = "Nous vous prions d’agréer, {}, l’expression de notre haute considération."


@pytest.mark.parametrize(("salutation", "form"), [
    ("Madame la Députée, Monsieur le Député,", "Madame la Députée, Monsieur le Député"),
    ("Madame la Députée,", "Madame la Députée"),
    ("Monsieur le Député ,", "Monsieur le Député"),
    ("Chère Madame Dupont,", "chère Madame Dupont"),
])
def test_a_french_closing_repeats_the_salutation(salutation, form):
    assert closing(words("fr")["closing"], salutation, "fr") == FRENCH.format(form)


def test_a_closing_without_the_placeholder_is_as_written():
    assert closing("Yours sincerely,", "Dear Ms Ångström,", "en") == "Yours sincerely,"
    assert closing("Lugupidamisega", "Lugupeetud …!", "et") == "Lugupidamisega"
    # an organisation's own closing in another language may repeat it too
    assert closing("Verbleibe ich, {salutation}, mit Gruß", "Sehr geehrte Frau Abgeordnete,",
                   "de") == "Verbleibe ich, Sehr geehrte Frau Abgeordnete, mit Gruß"


# ---------------------------------------------------------------------------------------------
# Built PDFs


LETTERS = {
    "en": "We enclose our brief.",
    "fr": "Nous vous adressons notre note.",
    "es": "Le enviamos nuestra nota.",
    "nl": "Bijgaand onze notitie.",
    "de": "anbei unser Papier.",
    "et": "Saadame Teile oma ülevaate.",
}


def six_languages(project) -> Path:
    """A brief in the six languages, its letter placing {salutation} itself."""
    letter = "".join(f'  {lang}: "{{salutation}}\\n\\n{text}"\n'
                     for lang, text in LETTERS.items())
    text = textwrap.dedent(f"""\
        title: {{{', '.join(f'{lang}: "Titel {lang}"' for lang in BUILT)}}}
        organisation: "NGO"
        date: "2024-05-01"
        languages: [{', '.join(BUILT)}]
        audiences:
          mep: {{languages: [{', '.join(BUILT)}]}}
        sections:
          - id: intro
            body: {{{', '.join(f'{lang}: "Text {lang}."' for lang in BUILT)}}}
        same_in_every_language: [organisation]
        """) + "letter:\n" + letter
    return write(project, text, "six")


def person(language: str, salutation: str = "") -> Recipient:
    fields = {"id": "zoe", "name": "Zoë Ångström", "language": language,
              "salutation": salutation}
    return Recipient("zoe", "Zoë Ångström", language, salutation, "", tuple(fields.items()),
                     Mark(Path("recipients.csv"), 2))


def letter_pdf(project, brief, language: str, tmp_path: Path, salutation: str = "") -> str:
    from generator.make.pdf import render_pdf

    mep = brief.audience("mep")
    html = letter_html(project, brief, mep, person(language, salutation), language, today=TODAY)
    result = render_pdf(html, brief.folder, letter_audience(mep), project,
                        output_name=f"{language}.pdf", identifier=language,
                        content_file=brief.path)
    path = tmp_path / f"letter.{language}.pdf"
    path.write_bytes(result.pdf)
    return "\n".join(pages_text(path))


@pytest.mark.slow
def test_letters_print_the_reviewed_salutations_and_closings(project, tmp_path):
    six_languages(project)
    brief = load_brief(project, "six")
    expected = {
        "en": ("Dear Member of the European Parliament,", "Yours sincerely,"),
        "fr": ("Madame la Députée, Monsieur le Député,",
               FRENCH.format("Madame la Députée, Monsieur le Député")),
        "es": ("Estimada diputada, estimado diputado:", "Atentamente,"),
        "nl": ("Geacht lid van het Europees Parlement,", "Met vriendelijke groet,"),
        "de": ("Sehr geehrte Frau Abgeordnete, sehr geehrter Herr Abgeordneter,",
               "Mit freundlichen Grüßen"),
        "et": ("Lugupeetud Euroopa Parlamendi liige!", "Lugupidamisega"),
    }
    for language, (salutation, closing_words) in expected.items():
        text = letter_pdf(project, brief, language, tmp_path)
        flat = squash(text)
        assert squash(salutation + LETTERS[language]) in flat, (language, text)
        assert squash(closing_words) in flat, (language, text)
        assert "/a" not in text and "Député, Nous" not in text
    # a recipient's own French salutation is the one the closing repeats
    text = letter_pdf(project, brief, "fr", tmp_path, salutation="Madame la Députée,")
    assert squash(FRENCH.format("Madame la Députée")) in squash(text), text
    assert "Monsieur le Député" not in text


@pytest.mark.slow
def test_the_draft_mark_prints_with_the_languages_dash(project, tmp_path):
    from generator.make.pdf import render_pdf

    six_languages(project)
    brief = load_brief(project, "six")
    mep = brief.audience("mep")
    for language in BUILT:
        prepared = prepare(project, brief, OutputId("six", "mep", language), draft=True)
        result = render_pdf(prepared.html, brief.folder, mep, project,
                            output_name=f"six.mep.{language}.pdf", content_file=brief.path)
        path = tmp_path / f"six.{language}.pdf"
        path.write_bytes(result.pdf)
        mark = words(language)["draft"]
        for page in pages_text(path):
            assert mark in page.replace("\u00a0", " "), (language, page)
            assert "—" not in page, (language, page)


# ---------------------------------------------------------------------------------------------
# The letter's first word after the salutation


def test_a_first_word_against_the_salutations_punctuation_is_a_located_warning(project):
    path = write(project, textwrap.dedent("""\
        title: {es: "Título", de: "Titel", en: "Title", nl: "Titel"}
        organisation: "NGO"
        date: "2024-05-01"
        languages: [es, de, en, nl]
        audiences:
          mep: {languages: [es, de, en, nl]}
        sections:
          - id: intro
            body: {es: "Texto.", de: "Text.", en: "Text.", nl: "Tekst."}
        same_in_every_language: [organisation]
        letter:
          es: |
            {salutation}

            le enviamos nuestra nota.
          de: |
            {salutation}

            Wir senden Ihnen unser Papier.
          en: |
            {Salutation}

            *We* enclose our brief.
          nl: "bijgaand onze notitie."
        """), "opening")
    brief = load_brief(project, "opening")
    lines = path.read_text(encoding="utf-8").splitlines()
    row = {lang: next(i for i, line in enumerate(lines, 1) if line.startswith(start))
           for lang, start in (("es", "    le "), ("de", "    Wir"), ("nl", "  nl:"))}
    found = [line for warning in pipeline.warnings_for(brief)
             for line in warning.lines(project.root) if "letter (" in line]
    assert found == [
        f"content/opening/brief.yaml:{row['es']}:5: letter (es): the letter's first word 'le' "
        "is in lower case, but after the salutation ('Estimada diputada, estimado diputado:') "
        "and its colon the letter goes on with a capital letter: write 'Le'",
        f"content/opening/brief.yaml:{row['de']}:5: letter (de): the letter's first word "
        "'Wir' has a capital letter, but after the salutation's comma ('Sehr geehrte Frau "
        "Abgeordnete, sehr geehrter Herr Abgeordneter,') a German letter goes on in lower "
        "case: write 'wir' (or end the salutation with '!', in `labels:`)",
        f"content/opening/brief.yaml:{row['nl']}:8: letter (nl): the letter's first word "
        "'bijgaand' is in lower case, but after the salutation ('Geacht lid van het Europees "
        "Parlement,') and its comma the letter goes on with a capital letter: write 'Bijgaand'"]


def test_a_letter_opening_with_a_placeholder_is_not_judged(project):
    write(project, TINY + 'letter:\n  nl: "{name}, bijgaand {{x}}."\n  en: "{{brace}} x"\n',
          "braces")
    assert opening_warnings(load_brief(project, "braces")) == []


def test_the_sample_letters_open_as_their_languages_do(sample_brief):
    # de "der Vorschlag …", nl "Het voorstel …", pl "wniosek Komisji …" (was "Wniosek")
    assert opening_warnings(sample_brief) == []
    polish = sample_brief.letter.get("pl") if sample_brief.letter else None
    assert polish is not None and polish.startswith("{salutation}\n\nwniosek Komisji")


POLISH = textwrap.dedent("""\
    title: "Tytuł"
    organisation: "NGO"
    date: "2024-05-01"
    languages: [pl]
    audiences:
      mep: {languages: [pl]}
    sections:
      - id: intro
        body: "Wniosek ocenia Rada Europy, a potem także Komisja Europejska."
    letter: |
      {salutation}

      %s
    """)


@pytest.mark.parametrize(("first", "warned"), [
    ("Wniosek Komisji jest w Parlamencie.", "'wniosek'"),  # a noun: not in OPENING_SMALL
    ("wniosek Komisji jest w Parlamencie.", ""),
    ("Komisja Europejska przedstawiła wniosek.", ""),  # "Komisja" inside a sentence above
    ("Radzie Europy przedstawiamy wniosek.", ""),  # "Rada": another of its forms
    ("Pana zaangażowanie jest ważne.", ""),  # the polite form keeps its capital
    ("UE przyjmie wniosek.", ""),  # an abbreviation
    ("Przesyłamy wniosek.", "'przesyłamy'"),  # a listed word, as before
])
def test_a_polish_letter_opening_with_any_capitalised_common_word_is_warned(project, first,
                                                                           warned):
    path = write(project, POLISH % first, "polish")
    found = [warning.format_message() for warning in opening_warnings(load_brief(
        project, "polish"))]
    if not warned:
        assert found == [], found
        return
    line = next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if row.strip() == first)
    assert len(found) == 1 and found[0].startswith(f"{path}:{line}:3: letter (pl): "), found
    assert f"write {warned}" in found[0], found


@pytest.mark.parametrize(("language", "salutation", "word", "warned"), [
    ("de", "Sehr geehrte Frau Abgeordnete!", "Wir", False),  # "!": a new sentence
    ("de", "Sehr geehrte Frau Abgeordnete,", "Ihr", False),  # the polite pronoun
    ("de", "Sehr geehrte Frau Abgeordnete,", "Vorschlag", False),  # a noun: German's capital
    ("et", "Lugupeetud Euroopa Parlamendi liige!", "saadame", True),
    ("pl", "Szanowna Pani Posłanko,", "Przesyłamy", True),  # PWN: lower case after a comma
    ("pl", "Szanowna Pani Posłanko,", "Komisja", False),  # a name the brief writes so
    ("pl", "Szanowna Pani Posłanko,", "Wniosek", True),  # a common noun
    ("pl", "Szanowna Pani Posłanko,", "Pani", False),  # the polite form
    ("pl", "Szanowna Pani Posłanko!", "Przesyłamy", False),
    ("pl", "Szanowna Pani Posłanko!", "Wniosek", False),
    ("cs", "Vážená paní poslankyně,", "Dovolte", True),  # ČSN 01 6910
    ("cs", "Vážená paní poslankyně,", "Návrh", True),
    ("cs", "Vážená paní poslankyně,", "Váš", False),
    ("sl", "Spoštovana poslanka,", "Pošiljamo", True),  # Slovenski pravopis § 283
    ("sl", "Spoštovana poslanka,", "Predlog", True),
    ("sl", "Spoštovana poslanka,", "Evropska", False),  # "Evropske" inside a sentence
    ("sk", "Vážená pani poslankyňa,", "Dovoľte", False),  # not judged
    ("fr", "Madame la Députée,", "nous", True),
])
def test_opening_rules(language, salutation, word, warned):
    names = frozenset({"Komisję", "Evropske"})  # what the brief writes inside a sentence
    assert bool(_opening_problem(language, salutation, word, names)) == warned
