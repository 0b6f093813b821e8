"""locale: a language code → the words, dates and quotation marks an output prints.

* **Words** — the few the tool prints itself ("Published by", "Contact", "accessed" …) — come
  from a gettext catalog per language, `generator/locale/<lang>/LC_MESSAGES/brief.po`, read with
  polib when an output first needs it (no compiled .mo: the .po translators edit is the one
  file). Each entry's `msgctxt` is its key (`published_by`), its `msgid` the English words.
  An organisation may override any of them per language (`labels:` in audiences.yaml).
* **Dates** come from CLDR through Babel: `2022-11-08` in the language's long form
  ("8 listopada 2022"), `2022-11` as month and year ("listopad 2022", CLDR's `yMMMM` skeleton,
  the stand-alone month), `2022` as the year alone.
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
import polib

#: Where the catalogs are: LOCALE_DIR/<lang>/LC_MESSAGES/brief.po (a gettext layout).
LOCALE_DIR = Path(__file__).parent / "locale"
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
    "draft": "Draft — not for distribution",
    "salutation": "Dear Member of the European Parliament,",  # a cover letter's default
    "closing": "Yours sincerely,",
}

#: The words that change with a number, by key: the English singular and plural (`msgid`,
#: `msgid_plural`); each catalog has as many forms as its `Plural-Forms` header says (the
#: header is gettext's, as Babel's CLDR-based table gives it). `{name}` in them is filled in.
PLURAL_WORDS = {
    # a cover letter's last line: the brief it comes with
    "enclosure": ("Enclosure: {title} ({pages} page)", "Enclosure: {title} ({pages} pages)"),
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


def format_date(value: str, language: str) -> str:
    """`2022-11-08` → CLDR's long date ("8. marraskuuta 2022"); `2022-11` → month and year
    ("marraskuu 2022"); `2022` → "2022"."""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    locale = _babel_locale(language)
    if len(parts) == 2:
        return babel.dates.format_skeleton("yMMMM", dt.date(parts[0], parts[1], 1),
                                           locale=locale)
    return babel.dates.format_date(dt.date(*parts), format="long", locale=locale)
