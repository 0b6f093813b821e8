"""locale: a language code → the words, dates and quotation marks an output prints.

* **Words** — the few the tool prints itself ("Published by", "Contact", "accessed" …) — come
  from a gettext catalog per language, `generator/locale/<lang>/LC_MESSAGES/brief.po`, read with
  polib when an output first needs it (no compiled .mo: the .po translators edit is the one
  file). Each entry's `msgctxt` is its key (`published_by`), its `msgid` the English words.
  An organisation may override any of them per language (`labels:` in audiences.yaml).
* **Dates** come from CLDR through Babel: `2022-11-08` in the language's long form
  ("8 listopada 2022"), `2022-11` as month and year ("listopad 2022", CLDR's `yMMMM` skeleton,
  the stand-alone month), `2022` as the year alone; an `accessed` date in CLDR's numeric form
  where the long form's case does not follow the language's `accessed` word (`NUMERIC_ACCESSED`).
  CLDR's patterns are used with the corrections listed at `format_date` (each with its source).
* **Languages as written** in a CSL-JSON file (`"en-US"`, `"English"`, `"Nederlands"`, `"eng"`)
  are read with CLDR's data too (`language_code`).
* **Quotation marks** are CLDR's `<delimiters>` (Babel does not expose them), in `QUOTES`.

A language has words only when its catalog exists; `model` reports any other language at its
`languages:` line, so nothing falls back to English silently.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import babel
import babel.dates
import babel.localedata
import polib

#: Where the catalogs are: LOCALE_DIR/<lang>/LC_MESSAGES/brief.po (a gettext layout).
LOCALE_DIR = Path(__file__).parents[1] / "locale"
DOMAIN = "brief"

#: The words a catalog holds, by key, with the English each translates (the `msgid`).
WORDS = {
    "page": "Page",
    "of": "of",
    "contact": "Contact",
    "read_online": "Read the full brief online",
    "accessed": "accessed",
    "placeholder": "placeholder",
    "footnotes": "Notes",
    "date": "Date",
    "qr_alt": "QR code linking to",
    "published_by": "Published by",
    "draft": "Draft – not for distribution",
    "salutation": "Dear Member of the European Parliament,",  # a cover letter's default
    "closing": "Yours sincerely,",
    # A note citing the source the note before it cites, at the same place (`ibid`) or at
    # another (`ibid_at`, `{locator}` filled in: "p. 5"); footnotes.py. Each catalog's word is
    # the CSL locale's `ibid` term unless its comment names another source.
    "ibid": "Ibid.",
    "ibid_at": "Ibid., {locator}",
    # Before the book (proceedings, encyclopedia) a chapter appeared in and its editors: "in
    # Jane Smith (ed.), Handbook of Privacy" (footnotes.py); the CSL locale's `in` term unless
    # the catalog's comment names another source.
    "in": "in",
    # The web edition's own words (generator/make/web): the skip link, a note's link back to its
    # call, the heading of the list of PDFs.
    "skip_link": "Skip to the text",
    "backlink": "Back to the text",
    "download": "Download",
    # a PDF in the list when its design has no `title:` in the language ({page}: "A4"), what a
    # screen reader calls the list of languages and a table without a lead-in
    "pdf_print": "PDF ({page}) for printing",
    "pdf_screen": "PDF ({page}) for reading on screen",
    "languages": "Languages",
    "table": "Table {number}",
    # a cover letter's letterhead: the organisation's number in the EU Transparency Register
    # (`_brand.yml`, `defaults: brief: transparency-register:`), `{number}` filled in
    "transparency_register": "EU Transparency Register: {number}",
}

#: The words that change with a number, by key: the English singular and plural (`msgid`,
#: `msgid_plural`); each catalog has as many forms as its `Plural-Forms` header says (the
#: header is gettext's, as Babel's CLDR-based table gives it). `{name}` in them is filled in.
PLURAL_WORDS = {
    # a cover letter's last line: the brief it comes with
    "enclosure": ("Enclosure: {title} ({pages} page)", "Enclosure: {title} ({pages} pages)"),
    # the editors of a work (CSL-JSON `editor`), after their names: the CSL locale's short
    # `editor` term (single, multiple) unless the catalog's comment names another source
    "editors": ("{names} (ed.)", "{names} (eds)"),
    # the web edition's list of PDFs: a PDF's pages (each catalog's forms are its enclosure's)
    "pages": ("{pages} page", "{pages} pages"),
}

_NNBSP = "\u202f"  # narrow no-break space: French sets it inside « »

#: Quotation marks per language: (quotationStart, quotationEnd, alternateQuotationStart,
#: alternateQuotationEnd) — `"…"` in Markdown prints with the first pair, `'…'` with the second.
#: They are CLDR's `<delimiters>` of common/main/<lang>.xml (Babel does not expose them), read
#: in the Unicode CLDR JSON export, github.com/unicode-org/cldr-json, file
#: cldr-json/cldr-misc-full/main/<lang>/delimiters.json; each comment names the CLDR version of
#: the file read and its cldr-json commit. (Babel 2.19, which formats the dates, has CLDR 49.)
#: Two additions to CLDR: French spacing, a narrow no-break space inside « », as French
#: typography asks (CLDR keeps spacing out of `<delimiters>`); and second-level marks where CLDR
#: gives a language the same marks at both levels (bg, fr, lt, nl), so a quotation inside a
#: quotation would close with two identical marks ("een ‘lappendeken’’", "« patchwork » »"):
#: those come from the language's style guide, named at each (`SECOND_LEVEL`).
_CLDR_QUOTES: dict[str, tuple[str, str, str, str]] = {
    "bg": ("„", "“", "„", "“"),  # CLDR 46 6ebf7cf
    "cs": ("„", "“", "‚", "‘"),  # CLDR 45 5712cb6
    "da": ("“", "”", "‘", "’"),  # CLDR 45 5712cb6
    "de": ("„", "“", "‚", "‘"),  # CLDR 46 85a9e29
    "el": ("«", "»", "“", "”"),  # CLDR 42 d4c36e1
    "en": ("“", "”", "‘", "’"),  # CLDR 45 a769475
    "es": ("“", "”", "‘", "’"),  # CLDR 45 5712cb6
    "et": ("„", "“", "‚", "‘"),  # CLDR 46 6ebf7cf
    "fi": ("”", "”", "’", "’"),  # CLDR 45 0876ec4
    "fr": ("«" + _NNBSP, _NNBSP + "»", "«" + _NNBSP, _NNBSP + "»"),  # CLDR 45 5712cb6, +spaces
    "ga": ("“", "”", "‘", "’"),  # CLDR 45 5712cb6
    "hr": ("„", "“", "‚", "‘"),  # CLDR 45 5712cb6
    "hu": ("„", "”", "»", "«"),  # CLDR 46 6ebf7cf
    "it": ("«", "»", "“", "”"),  # CLDR 44.1 858baad
    "lt": ("„", "“", "„", "“"),  # CLDR 45 a769475
    "lv": ("“", "”", "‘", "’"),  # CLDR 45 a769475
    "mt": ("“", "”", "‘", "’"),  # CLDR 46 6ebf7cf
    "nl": ("‘", "’", "‘", "’"),  # CLDR 44.1 858baad
    "pl": ("„", "”", "«", "»"),  # CLDR 46 171d6af
    "pt": ("«", "»", "“", "”"),  # CLDR 44.1 858baad, pt_PT.xml (see REGIONS)
    "pt-BR": ("“", "”", "‘", "’"),  # CLDR 45 0876ec4, pt.xml (CLDR's pt is Brazil's)
    "ro": ("„", "”", "«", "»"),  # CLDR 46 171d6af
    "sk": ("„", "“", "‚", "‘"),  # CLDR 46 6ebf7cf
    "sl": ("„", "“", "‚", "‘"),  # CLDR 45 5712cb6
    "sv": ("”", "”", "’", "’"),  # CLDR 44.1 858baad
}
#: Where CLDR gives the same marks at both levels, the second level (a quotation inside a
#: quotation, `'…'` in Markdown) comes from the language's style guide:
SECOND_LEVEL = {
    # Bulgarian: „…“ outside, ‚…‘ inside („Той каза: ‚Ще закъснея‘.“), as Bulgarian editors
    # set them (zapetaya.com, "Кавички": "При вложен цитат се използват ‚…‘"); CLDR has „…“ twice.
    "bg": ("‚", "‘"),
    # French: English marks “…” inside « … » (Imprimerie nationale, Lexique des règles
    # typographiques, "Guillemets"; Université de Montréal, guide de rédaction 5.2: « les
    # guillemets anglais sont des guillemets de second niveau »), set without spaces.
    "fr": ("“", "”"),
    # Lithuanian: „…“ outside, ‚…‘ inside (the low-high pair of the first level, single), as
    # the nested quotation is set in Lithuanian print; CLDR has „…“ twice.
    "lt": ("‚", "‘"),
    # Dutch: single marks for the quotation, double for one inside it, or the other way round
    # (Taalunie and Vlaamse overheid, taaladvies "Aanhalingstekens: enkele of dubbele?": "dubbele
    # aanhalingstekens voor het citaat en enkele voor de tekst binnen het citaat, of andersom");
    # CLDR's first level is single, so the second is double.
    "nl": ("“", "”"),
}
QUOTES: dict[str, tuple[str, str, str, str]] = {
    language: (marks[0], marks[1], *SECOND_LEVEL.get(language, (marks[2], marks[3])))
    for language, marks in _CLDR_QUOTES.items()}
DEFAULT_QUOTES = QUOTES["en"]

#: The variant a bare language code means here, where CLDR's default is another continent's:
#: CLDR's `en` is American English ("November 8, 2022") and its `pt` Brazilian Portuguese; a
#: brief's `en` is the EU's (Ireland's: "8 November 2022") and its `pt` Portugal's.
REGIONS = {"en": "IE", "pt": "PT"}


def base(language: str) -> str:
    """`pt-PT` → `pt`."""
    return language.split("-", 1)[0]


def quotes_key(language: str) -> str:
    """The `QUOTES` entry of a language: its own (`pt-PT`), else its base language's."""
    return language if language in QUOTES else base(language)


def quotes(language: str) -> tuple[str, str, str, str]:
    return QUOTES.get(quotes_key(language), DEFAULT_QUOTES)


# ---------------------------------------------------------------------------------------------
# Words


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / base(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalog_languages() -> tuple[str, ...]:
    """The languages the tool has words for: those with a catalog, sorted."""
    return tuple(sorted(p.parent.parent.name
                        for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")))


def has_catalog(language: str) -> bool:
    return base(language) in catalog_languages()


def missing_catalog(language: str, hint: str = "") -> str:
    """What to say about a language the tool has no words for (`hint`: "did you mean …")."""
    return (f"no words for language {language!r}{hint} (the tool has catalogs for: "
            f"{', '.join(catalog_languages())}); use one of those")


@cache  # one per language: at most the catalogs shipped
def catalog(language: str) -> dict[str, str]:
    """A catalog's words by key (its translated, non-fuzzy entries); {} when it has none."""
    path = catalog_path(language)
    if not path.is_file():
        return {}
    return {entry.msgctxt: entry.msgstr for entry in polib.pofile(str(path), encoding="utf-8")
            if entry.msgctxt and entry.msgstr and not entry.fuzzy and not entry.obsolete}


@cache  # one per language: at most the catalogs shipped
def plural_catalog(language: str) -> tuple[Callable[[int], int], dict[str, tuple[str, ...]]]:
    """A catalog's plural rule (its `Plural-Forms` header: a count → the index of its form)
    and its words that change with a number, by key (each form, translated and not fuzzy);
    English's when the catalog has none."""
    path = catalog_path(language)
    if not path.is_file():
        return _english_plural, dict(PLURAL_WORDS)
    po = polib.pofile(str(path), encoding="utf-8")
    rule = _plural_rule(po.metadata.get("Plural-Forms", ""))
    words = {entry.msgctxt: tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
             for entry in po if entry.msgctxt and entry.msgid_plural and not entry.fuzzy
             and not entry.obsolete and all(entry.msgstr_plural.values())}
    return rule, words


_PLURAL_RE = re.compile(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?);?\s*$")


def _english_plural(count: int) -> int:
    return int(count != 1)


def _plural_rule(header: str) -> Callable[[int], int]:
    """gettext's `Plural-Forms` header → its rule (English's when there is none)."""
    match = _PLURAL_RE.search(header)
    if match is None:
        return _english_plural
    rule: Callable[[int], int] = gettext.c2py(match[2])
    return rule


def plural(language: str, key: str, count: int) -> str:
    """The words of `PLURAL_WORDS[key]` for `count` in `language` (its catalog's form for the
    count; English when the catalog lacks them)."""
    rule, words = plural_catalog(base(language))
    forms = words.get(key)
    if forms is None:
        rule, forms = _english_plural, PLURAL_WORDS[key]
    return forms[min(rule(count), len(forms) - 1)]


#: An organisation's own words: (language, key, words) triples, from `labels:` in audiences.yaml.
Overrides = tuple[tuple[str, str, str], ...]


def labels(language: str, overrides: Overrides = ()) -> dict[str, str]:
    """The words an output in `language` prints, by key: the catalog's, then the organisation's
    for the base language (`pt`), then for the language itself (`pt-PT`)."""
    result = dict(catalog(base(language)))
    for code in dict.fromkeys((base(language), language)):
        result.update({key: value for lang, key, value in overrides if lang == code})
    return result


# ---------------------------------------------------------------------------------------------
# Dates


@cache
def _babel_locale(language: str) -> babel.Locale:
    if language in REGIONS:
        language = f"{language}-{REGIONS[language]}"
    try:
        return babel.Locale.parse(language, sep="-")
    except (ValueError, babel.UnknownLocaleError):  # a region CLDR does not know: the base
        return babel.Locale.parse(base(language))


#: Languages whose `accessed` word wants the date in a case CLDR's long date is not in: their
#: accessed dates print in CLDR's numeric form (skeleton `yMd`), which has no case.
#: Latvian "skatīts" takes the locative ("skatīts 2012. gada 28. martā", the CSL locale
#: lv-LV's date comment, citation-style-language/locales 938c09c), CLDR's long date is in the
#: nominative ("28. marts"); the University of Latvia's reference rules write the numeric date
#: ("19.01.2012.", journal.lu.lv/luzv/references_requirements). Slovenian "pridobljeno" wants
#: the genitive ("1. januarja"), CLDR's date is in the nominative ("1. januar"); Slovenian
#: references write access dates numerically ("10. 2. 2014", sistory.si, "Citiranje gradiv").
#: The other 22 were read with their catalog's word: a preposition or participle CLDR's long
#: date follows (cs, hr, sk, fi, el, lt: the genitive or partitive CLDR gives; de "am", fr "le",
#: nl "op", es "el", pt "em", ro "la", it "in data", bg "на"), or a colon (ga, hu, mt, pl).
NUMERIC_ACCESSED = frozenset({"lv", "sl"})

_NBSP = "\u00a0"
#: A space between a number and its designator — a word CLDR's pattern quotes after the year
#: (Latvian "2022. gada", Lithuanian "2022 m."), or an abbreviation after the day ("8 d.") —
#: is a no-break space: the designator never starts a line (CLDR writes Bulgarian's "2022 г."
#: with a narrow no-break space already). Prepositions (Spanish "8 de") are left alone.
_DESIGNATOR_SPACE_RE = re.compile(r"(?<=y)(\.?) (?=')|(?<=d)(\.?) (?='[^']+'\.)")


#: The mark after the first day of the month in the languages that write it as an ordinal
#: (and no other day): a language's or a language-region's (`pt-BR`, not Portugal's `pt`).
#: * French "1er janvier 2023" (the CSL locale fr-FR's `limit-day-ordinals-to-day-1`,
#:   citation-style-language/locales 938c09c).
#: * Italian "1º novembre 2023": "per i giorni del mese si usa l'ordinale per il giorno
#:   iniziale («il primo maggio»), ma il cardinale per i giorni successivi" (Luca Serianni,
#:   Grammatica italiana, VI.36, as the Accademia della Crusca quotes it); written with the
#:   masculine ordinal indicator º (the CSL locale it-IT's `ordinal` term), not a degree sign.
#: * Brazilian Portuguese "1º de janeiro de 2023" (the CSL locale pt-BR's
#:   `limit-day-ordinals-to-day-1` and `ordinal` term º, locales 938c09c); Portugal's `pt`
#:   writes "1 de janeiro" (locales-pt-PT.xml has no such option).
#: Of the CSL locales, only these (and fr-CA, lij-IT) limit the ordinal to the first day; the
#: other EU languages keep CLDR's day: a cardinal every day ("1 de enero"), or an ordinal
#: every day already ("1. listopadu", "1. novembris").
FIRST_DAY = {"fr": "er", "it": "º", "pt-BR": "º"}


def format_date(value: str, language: str, *, accessed: bool = False) -> str:
    """`2022-11-08` → CLDR's long date ("8. marraskuuta 2022"); `2022-11` → month and year
    ("marraskuu 2022"); `2022` → "2022". `accessed`: the date follows the `accessed` word
    (numeric in `NUMERIC_ACCESSED`'s languages).

    Corrections to CLDR 49 (Babel 2.19):
    * Latvian month and year: CLDR's `yMMMM` pattern `y. 'gada'. MMMM` prints "2022. gada.
      novembris", a dot after "gada" that its own long date (`y. 'gada' d. MMMM`: "2022. gada
      8. novembris") has not; printed "2022. gada novembris".
    * The first of the month as an ordinal, where the language writes the first day so and only
      it (`FIRST_DAY`; CLDR has "1 janvier", "1 novembre", "1 de janeiro").
    * No-break spaces before a year's or a day's designator (`_DESIGNATOR_SPACE_RE`).
    """
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    locale = _babel_locale(language)
    day = dt.date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)
    if accessed and base(language) in NUMERIC_ACCESSED:
        pattern = _skeleton_pattern("yMd" if len(parts) == 3 else "yM", locale)
    elif len(parts) == 2:
        pattern = _skeleton_pattern("yMMMM", locale)
        if locale.language == "lv":
            pattern = pattern.replace("'gada'.", "'gada'")
    else:
        pattern = str(locale.date_formats["long"].pattern)
        ordinal = FIRST_DAY.get(f"{locale.language}-{locale.territory}",
                                FIRST_DAY.get(locale.language))
        if ordinal is not None and day.day == 1:
            pattern = re.sub(r"(?<![d'])d(?!d)", f"d'{ordinal}'", pattern, count=1)
    pattern = _DESIGNATOR_SPACE_RE.sub(lambda match: (match[1] or match[2] or "") + _NBSP,
                                       pattern)
    return babel.dates.format_date(day, format=pattern, locale=locale)


def _skeleton_pattern(skeleton: str, locale: babel.Locale) -> str:
    """The pattern CLDR gives a skeleton in a locale (as `babel.dates.format_skeleton` finds
    it)."""
    skeletons = locale.datetime_skeletons
    matched = babel.dates.match_skeleton(skeleton, skeletons) or skeleton
    return str(skeletons[matched].pattern) if matched in skeletons else skeleton


# ---------------------------------------------------------------------------------------------
# Languages as written


def language_code(value: str) -> str | None:
    """A language as a reference manager writes it → its code as brief writes it, from CLDR's
    data through Babel: a code in any case and separator, with or without a region (`en-US`,
    `nl_NL`, `EN` → `en-US`, `nl-NL`, `en`), a three-letter or old code CLDR lists as an alias
    (`eng`, `dut` → `en`, `nl`), a language's English name or its own (`English`, `Dutch`,
    `Nederlands`, any case). None when CLDR knows no such language."""
    written = " ".join(value.split())
    if not written:
        return None
    subtags = re.split(r"[-_]", written)
    if all(tag.isascii() and tag.isalnum() for tag in subtags):
        try:
            parsed = babel.Locale.parse("-".join(subtags), sep="-")
        except (ValueError, babel.UnknownLocaleError):
            parsed = None
        if parsed is not None:
            region = len(subtags) > 1 and parsed.territory and re.fullmatch(
                r"[A-Za-z]{2}", subtags[-1])
            return f"{parsed.language}-{parsed.territory}" if region else parsed.language
    return _language_names().get(written.casefold())


@cache
def _language_names() -> dict[str, str]:
    """Languages' names, casefolded → code: CLDR's English names of every language, and each
    two-letter language's name in itself."""
    english = babel.Locale("en").languages
    names = {str(name).casefold(): code for code, name in english.items()
             if re.fullmatch(r"[a-z]{2,3}", code)}
    for code in map(str, english):
        if len(code) == 2 and babel.localedata.exists(code):
            own = babel.Locale.parse(code).get_language_name(code)
            if own:
                names.setdefault(own.casefold(), code)
    return names
