"""Every EU language, as real PDFs: one brief in 24 languages, built once, then per language its
dates in CLDR's form, its own words (no English furniture), its quotation marks, its `/Lang`,
and only the shipped fonts (Greek and Cyrillic included)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pikepdf
import pytest
from babel.dates import format_date, format_skeleton

from generator.project import OutputId, Project
from generator.run.build import build
from generator.text import locale

from .support import SHIPPED_FONTS, copy_project, pages_text, squash

pytestmark = pytest.mark.slow  # renders 24 PDFs

BRIEF = "eu"
AUDIENCE = "all-languages"

#: Per language: a title and a sentence with a "quoted" word.
TEXTS = {
    "bg": ("Защита на данните", 'Поверителността е "право" на всеки.'),
    "cs": ("Ochrana údajů", 'Soukromí je "právo" každého.'),
    "da": ("Databeskyttelse", 'Privatliv er en "ret" for alle.'),
    "de": ("Datenschutz", 'Privatsphäre ist ein "Recht" für alle.'),
    "el": ("Προστασία δεδομένων", 'Η ιδιωτικότητα είναι "δικαίωμα" όλων.'),
    "en": ("Data protection", 'Privacy is a "right" for everyone.'),
    "es": ("Protección de datos", 'La privacidad es un "derecho" de todos.'),
    "et": ("Andmekaitse", 'Privaatsus on kõigi "õigus".'),
    "fi": ("Tietosuoja", 'Yksityisyys on kaikkien "oikeus".'),
    "fr": ("Protection des données", 'La vie privée est un "droit" pour tous.'),
    "ga": ("Cosaint sonraí", 'Is "ceart" é an phríobháideachas do chách.'),
    "hr": ("Zaštita podataka", 'Privatnost je "pravo" svakoga.'),
    "hu": ("Adatvédelem", 'A magánélet mindenki "joga".'),
    "it": ("Protezione dei dati", 'La riservatezza è un "diritto" di tutti.'),
    "lt": ("Duomenų apsauga", 'Privatumas yra kiekvieno "teisė".'),
    "lv": ("Datu aizsardzība", 'Privātums ir ikviena "tiesības".'),
    "mt": ("Protezzjoni tad-data", 'Il-privatezza hija "dritt" ta’ kulħadd.'),
    "nl": ("Gegevensbescherming", 'Privacy is een "recht" van iedereen.'),
    "pl": ("Ochrona danych", 'Prywatność jest "prawem" każdego.'),
    "pt": ("Proteção de dados", 'A privacidade é um "direito" de todos.'),
    "ro": ("Protecția datelor", 'Viața privată este un "drept" al tuturor.'),
    "sk": ("Ochrana údajov", 'Súkromie je "právo" každého.'),
    "sl": ("Varstvo podatkov", 'Zasebnost je "pravica" vsakogar.'),
    "sv": ("Dataskydd", 'Integritet är en "rättighet" för alla.'),
}
LANGUAGES = tuple(TEXTS)
DATE = "2023-03-14"
SOURCE_DATE = "2021-06-30"
SOURCE_MONTH = "2020-02"
ACCESSED = "2022-11-08"
#: English words the tool prints: an output in another language prints its own instead.
FURNITURE = ("published_by", "contact", "accessed", "footnotes")


def _brief_yaml() -> str:
    def text(values: dict[str, str]) -> str:
        return "{" + ", ".join(f"{lang}: {json.dumps(value, ensure_ascii=False)}"
                               for lang, value in values.items()) + "}"

    titles = {lang: title for lang, (title, _) in TEXTS.items()}
    bodies = {lang: f"{sentence}[@report][@monitor]" for lang, (_, sentence) in TEXTS.items()}
    return f"""\
title: {text(titles)}
organisation: "EDRi"
date: "{DATE}"
languages: [{", ".join(LANGUAGES)}]
audiences: [{AUDIENCE}]
contact: {{name: "Ana Silva", email: "info@example.org"}}
sections:
  - id: one
    body: {text(bodies)}
sources:
  report: {{title: "EDRi Index", publisher: "EDRi", url: "https://edri.org/index",
           date: "{SOURCE_DATE}", accessed: "{ACCESSED}"}}
  monitor: {{title: "DRM", author: "Ana Silva", date: "{SOURCE_MONTH}"}}
same_in_every_language: [organisation, contact, sources]
"""


AUDIENCE_YAML = f"""
{AUDIENCE}:
  languages: [{", ".join(LANGUAGES)}]
  template: "brief.html.j2"
  stylesheets: ["base.css", "brief.css"]
  medium: "paper"
  contact: true
"""


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, tuple[str, pikepdf.Pdf, str]]:
    """language → (the PDF's text with spaces and breaks squashed, the PDF, its text with each
    run of spaces and breaks as one space)."""
    project = Project.at(copy_project(tmp_path_factory.mktemp("eu")))
    with project.audiences_file.open("a", encoding="utf-8") as file:
        file.write(AUDIENCE_YAML)
    (project.content / BRIEF).mkdir()
    (project.content / BRIEF / "brief.yaml").write_text(_brief_yaml(), encoding="utf-8")
    result = build(project, [BRIEF])
    assert result.ok, [e.format_message() for _, e in result.failed]
    found = {}
    for language in LANGUAGES:
        path = project.output_path(OutputId(BRIEF, AUDIENCE, language))
        text = " ".join(pages_text(path))
        found[language] = (squash(text), pikepdf.open(path), " ".join(text.split()))
    yield found
    for _, pdf, _ in found.values():
        pdf.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_are_in_the_languages_cldr_form(pdfs, language):
    locale_name = {"en": "en_IE", "pt": "pt_PT"}.get(language, language)  # the EU's variants
    text, _, _ = pdfs[language]
    expected = [format_date(dt.date.fromisoformat(d), format="long", locale=locale_name)
                for d in (DATE, SOURCE_DATE)]
    # an accessed date: numeric where the long form's case does not follow the word (lv, sl)
    expected.append(format_skeleton("yMd", dt.date.fromisoformat(ACCESSED), locale=locale_name)
                    if language in locale.NUMERIC_ACCESSED else
                    format_date(dt.date.fromisoformat(ACCESSED), format="long",
                                locale=locale_name))
    month = format_skeleton("yMMMM", dt.date(2020, 2, 1), locale=locale_name)
    # CLDR's Latvian pattern has a stray dot after "gada" ("2020. gada. februāris")
    expected.append(month.replace("gada.", "gada") if language == "lv" else month)
    for value in expected:
        assert squash(value) in text, (value, text)
    if language == "lv":
        assert "gada." not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_tools_words_are_the_languages(pdfs, language):
    text, _, flat = pdfs[language]
    words = locale.labels(language)
    for key in ("published_by", "contact", "accessed"):
        assert squash(words[key]) in text, (key, words[key], text)
    if language != "en":
        for key in FURNITURE:
            english = locale.WORDS[key]
            if words[key] != english:  # "Contact" is Dutch and French too
                assert not re.search(rf"\b{english}\b", flat), (key, flat)


@pytest.mark.parametrize("language", LANGUAGES)
def test_quotation_marks_are_the_languages(pdfs, language):
    text, _, _ = pdfs[language]
    word = TEXTS[language][1].split('"')[1]
    start, end = locale.quotes(language)[:2]
    assert squash(start + word + end) in text, (start, end, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_lang_and_only_the_shipped_fonts(pdfs, language):
    _, pdf, _ = pdfs[language]
    assert str(pdf.Root.Lang) == language
    fonts = set()
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            fonts.add(str(font.BaseFont).lstrip("/").split("+", 1)[-1])
    assert fonts and fonts <= SHIPPED_FONTS, fonts - SHIPPED_FONTS
    # Gentium Book Plus sets the body in every language, Greek and Bulgarian included (Charis SIL
    # had no Greek: Greek outputs were set in Inter throughout)
    assert "Gentium-Book-Plus" in fonts, fonts
