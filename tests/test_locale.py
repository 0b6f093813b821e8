"""locale: dates from CLDR, the catalogs of words, quotation marks, and the languages a brief
may ask for (catalogs only, never silent English), with an organisation's own words."""

from __future__ import annotations

import babel
import polib
import pytest
from babel.messages.plurals import get_plural

from generator.errors import BriefError
from generator.run.pipeline import load_brief
from generator.text import locale, syntax
from generator.text.locale import format_date

from .support import TINY, output_html, write

#: The 24 official languages of the European Union.
EU_LANGUAGES = ("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu",
                "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv")

#: Words that are the same as the English by nature, not by a missing translation.
SAME_AS_ENGLISH = {("nl", "contact"), ("fr", "contact"), ("ro", "contact"), ("fr", "page"),
                   ("fr", "footnotes"), ("fr", "date")} | {
    # the Latin "Ibid." of these languages' notes (each catalog's comment names its source)
    (language, key) for language in ("cs", "da", "es", "et", "fr", "ga", "hr", "mt", "nl",
                                     "pt", "sk", "sv") for key in ("ibid", "ibid_at")} | {
    # the Latin "in" before a chapter's book, as the CSL locales (and ga, mt's comments) give it
    (language, "in") for language in ("cs", "de", "fr", "ga", "hu", "it", "mt", "nl")}
#: Plural words that are the same as the English in a language (its abbreviation is "ed.").
SAME_PLURAL_AS_ENGLISH = {(language, "editors") for language in ("cs", "es", "mt", "pt", "ro",
                                                                 "sk")} | {("fr", "pages")}
#: The placeholders each plural word keeps.
PLACEHOLDERS = {"enclosure": ("{title}", "{pages}"), "editors": ("{names}",),
                "pages": ("{pages}",)}


# ---------------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize("language,value,expected", [
    ("pl", "2022-11-08", "8 listopada 2022"),
    ("fi", "2022-11-08", "8. marraskuuta 2022"),
    ("bg", "2022-11-08", "8 ноември 2022\u202fг."),  # a narrow no-break space
    ("de", "2022-11-08", "8. November 2022"),
    ("en", "2022-11-08", "8 November 2022"),  # the EU's English, not CLDR's American
    ("en-US", "2022-11-08", "November 8, 2022"),
    ("el", "2022-11-08", "8 Νοεμβρίου 2022"),
    ("pt", "2022-11-08", "8 de novembro de 2022"),
    ("de-XX", "2022-11-08", "8. November 2022"),  # a region CLDR does not know: the language's
])
def test_a_full_date_is_cldrs_long_date(language, value, expected):
    assert format_date(value, language) == expected


@pytest.mark.parametrize("language,expected", [
    ("pl", "listopad 2022"),  # the stand-alone (nominative) month, not "listopada"
    ("fi", "marraskuu 2022"),
    ("el", "Νοέμβριος 2022"),
    ("de", "November 2022"),
    ("en", "November 2022"),
])
def test_a_month_is_printed_with_its_year(language, expected):
    assert format_date("2022-11", language) == expected


@pytest.mark.parametrize("language", EU_LANGUAGES)
def test_a_year_is_the_year_and_every_language_has_cldr_dates(language):
    assert format_date("2022", language) == "2022"
    assert "2022" in format_date("2022-11-08", language)
    assert babel.Locale.parse(language).language == language


# ---------------------------------------------------------------------------------------------
# Catalogs


def test_there_is_a_catalog_for_every_eu_language():
    assert locale.catalog_languages() == EU_LANGUAGES


def test_the_template_lists_every_word_with_its_english():
    pot = polib.pofile(str(locale.LOCALE_DIR / "brief.pot"))
    assert {e.msgctxt: e.msgid for e in pot if not e.msgid_plural} == locale.WORDS
    assert {e.msgctxt: (e.msgid, e.msgid_plural) for e in pot if e.msgid_plural} \
        == locale.PLURAL_WORDS
    assert all(e.comment for e in pot)  # what each word is for, for translators


@pytest.mark.parametrize("language", EU_LANGUAGES)
def test_every_catalog_has_every_word_translated(language):
    path = locale.catalog_path(language)
    po = polib.pofile(str(path))
    assert po.metadata["Language"] == language
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert {e.msgctxt: e.msgid for e in po if not e.msgid_plural} == locale.WORDS  # brief.pot's
    assert not [e for e in po if e.fuzzy or e.obsolete]
    words = locale.labels(language)
    assert set(words) == set(locale.WORDS)
    assert all(value.strip() == value and value for value in words.values()), words
    if language != "en":
        english = [key for key, value in words.items() if value == locale.WORDS[key]
                   and (language, key) not in SAME_AS_ENGLISH]
        assert not english, f"{language}: English left in {english}"


@pytest.mark.parametrize("language", EU_LANGUAGES)
def test_every_catalog_has_every_plural_word_in_each_of_its_forms(language):
    po = polib.pofile(str(locale.catalog_path(language)))
    # the language's plural rule, as Babel's CLDR-based table gives it
    assert po.metadata["Plural-Forms"] == get_plural(language).plural_forms
    plural = {e.msgctxt: e for e in po if e.msgid_plural}
    assert {key: (e.msgid, e.msgid_plural) for key, e in plural.items()} == locale.PLURAL_WORDS
    rule, words = locale.plural_catalog(language)
    assert set(words) == set(locale.PLURAL_WORDS)
    for key, forms in words.items():
        assert len(forms) == get_plural(language).num_plurals, key
        for form in forms:
            assert form.strip() == form, form
            assert all(placeholder in form for placeholder in PLACEHOLDERS[key]), form
        if language != "en" and (language, key) not in SAME_PLURAL_AS_ENGLISH:
            assert not set(forms) & set(locale.PLURAL_WORDS[key]), f"{language}: English left"
    # every EU language's first form is the one for 1, but Latvian's (0, 10–20 …)
    assert rule(1) == (1 if language == "lv" else 0)


@pytest.mark.parametrize(("language", "count", "words"), [
    ("en", 1, "Enclosure: {title} (1 page)"), ("en", 4, "Enclosure: {title} (4 pages)"),
    ("pl", 4, "Załącznik: {title} (4 strony)"), ("pl", 5, "Załącznik: {title} (5 stron)"),
    ("pl", 22, "Załącznik: {title} (22 strony)"), ("cs", 5, "Příloha: {title} (5 stran)"),
    ("ro", 20, "Anexă: {title} (20 de pagini)"), ("lt", 11, "Priedas: {title} (11 puslapių)"),
    ("de", 1, "Anlage: {title} (1 Seite)"), ("fr", 4, "Pièce jointe\u00a0: {title} (4 pages)"),
])
def test_a_plural_word_takes_the_form_of_its_count(language, count, words):
    assert locale.plural(language, "enclosure", count) == words.replace(f"({count}", "({pages}")


def test_english_is_its_own_catalog():
    assert locale.labels("en") == locale.WORDS


def test_a_regional_language_uses_its_languages_catalog():
    assert locale.labels("pt-PT") == locale.labels("pt")
    assert locale.has_catalog("pt-PT") and not locale.has_catalog("xx")


def test_overrides_apply_to_their_language_only_the_regional_one_last():
    overrides = (("de", "published_by", "Eine Veröffentlichung von"),
                 ("pt", "contact", "Contactos"), ("pt-PT", "contact", "Contacte-nos"))
    assert locale.labels("de", overrides)["published_by"] == "Eine Veröffentlichung von"
    assert locale.labels("nl", overrides) == locale.labels("nl")
    assert locale.labels("pt", overrides)["contact"] == "Contactos"
    assert locale.labels("pt-PT", overrides)["contact"] == "Contacte-nos"


# ---------------------------------------------------------------------------------------------
# Quotation marks


@pytest.mark.parametrize("language", EU_LANGUAGES)
def test_every_eu_language_has_its_quotation_marks(language):
    marks = locale.quotes(language)
    assert len(marks) == 4 and all(marks)
    assert language in locale.QUOTES


def test_markdown_uses_the_cldr_table_and_french_spaces_inside_guillemets():
    assert syntax.QUOTES is locale.QUOTES
    assert locale.QUOTES["fr"][:2] == ("«\u202f", "\u202f»")
    tokens = syntax.parser("fr").parse('"mot"')
    assert tokens[1].children[0].content == "«\u202fmot\u202f»"


@pytest.mark.parametrize("language,expected", [
    ("de", "„Wort“"), ("pl", "„słowo”"), ("el", "«λέξη»"), ("pt-PT", "«palavra»"),
    ("pt-BR", "“palavra”"), ("pt", "«palavra»"), ("nl", "‘woord’"), ("sv", "”ord”"),
    ("hu", "„szó”"),
])
def test_quotes_in_markdown_are_the_languages(language, expected):
    word = expected[1:-1]
    tokens = syntax.parser(language).parse(f'"{word}"')
    assert tokens[1].children[0].content == expected


# ---------------------------------------------------------------------------------------------
# A language without a catalog; the organisation's own words


def brief_errors(project, text):
    write(project, text)
    with pytest.raises(BriefError) as info:
        load_brief(project, "tiny")
    return info.value.lines(project.root)


def test_a_brief_language_without_a_catalog_is_an_error_at_its_line(project):
    lines = brief_errors(project, TINY.replace("languages: [nl, en]", "languages: [nl, en, xx]"))
    hits = [line for line in lines if line.startswith("content/tiny/brief.yaml:4:")]
    assert hits, lines
    assert "no words for language 'xx'" in hits[0]
    assert "bg, cs, da" in hits[0] and hits[0].endswith("use one of those")
    # a campaigner cannot add a catalog to the tool's own source: never told to
    assert "generator/locale" not in "\n".join(lines)


def test_an_audience_language_without_a_catalog_is_an_error_at_its_line(project):
    audiences = project.audiences_file.read_text(encoding="utf-8")
    project.audiences_file.write_text(
        audiences.replace('languages: ["en"]', 'languages: ["en", "xx"]', 1), encoding="utf-8")
    lines = brief_errors(project, TINY)
    assert any(line.startswith("content/audiences.yaml:") and "no words for language 'xx'" in line
               for line in lines), lines


LABELS = """
labels:
  de:
    published_by: "Eine Veröffentlichung von"
  en:
    contact: "Get in touch"
    published_bye: "x"
  xy:
    contact: "?"
"""


def test_label_overrides_are_validated_with_did_you_mean(project):
    project.audiences_file.write_text(
        project.audiences_file.read_text(encoding="utf-8") + LABELS, encoding="utf-8")
    lines = brief_errors(project, TINY)
    assert any("unknown key 'published_bye'" in line and "did you mean 'published_by'" in line
               for line in lines), lines
    assert any("labels.xy: no words for language 'xy'" in line for line in lines), lines
    assert all(line.startswith("content/audiences.yaml:") for line in lines), lines


def test_label_overrides_print_and_labels_is_not_an_audience(project):
    valid = LABELS.split("    published_bye", maxsplit=1)[0]
    project.audiences_file.write_text(
        project.audiences_file.read_text(encoding="utf-8") + valid, encoding="utf-8")
    write(project, TINY + 'contact: {email: "info@example.org"}\n')
    brief = load_brief(project, "tiny")
    mep = brief.audience("mep")
    assert mep is not None
    assert ("en", "contact", "Get in touch") in mep.labels
    html, _ = output_html(project, brief, mep, "en")
    assert "Get in touch" in html and ">Contact<" not in html
    lines = brief_errors(project, TINY.replace("audiences: [full, mep]", "audiences: [labels]"))
    assert any("audience 'labels' is not defined" in line for line in lines), lines
