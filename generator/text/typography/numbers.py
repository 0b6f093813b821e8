"""numbers: ranges, percentages, amounts and long numbers as the language sets them.

* A range of numbers takes an en dash, as CSL ranges do: "2017-2021" → "2017–2021",
  "pp. 3-12" → "pp. 3–12", "10-12" → "10–12". Conservatively: years (1000–2999, the first the
  smaller), numbers after a page or article label, and short plain ranges (the second larger,
  as long as the first or one digit longer, no leading zero). Never an ISO date (2022-11-08), a
  code (2022/0155(COD), EU-27), a postcode (31-123), a phone number (+32 2 555-1234, 555-1234).
  So are numbers with an ordinal's full stop (Latvian "3.-12. lpp.", "2017.-2021. gadu",
  German "3.-5. Mai") and with digit groups or decimals ("10.000-20.000", "10 000-20 000",
  "1,5-2,5"), the smaller first. A range never breaks a line at its dash: a word joiner
  (U+2060) follows the en dash, one the writer typed too ("2017–" / "2021. gadā" was a fault).
* A space the writer typed between a number and %, ‰, € or EUR (either side), or between groups
  of three digits ("1 000 000"), never breaks a line: it becomes a no-break space (in French the
  narrow one, U+202F, as French sets numbers). Where the language's style guide asks for a space
  before % and € and the writer typed none, it is inserted (`SPACE_BEFORE_UNIT`).
"""

from __future__ import annotations

import re

from .. import locale
from .prose import in_prose

NBSP, NNBSP = "\u00a0", "\u202f"
_SPACE = "[ \u00a0\u202f\u2009]"

#: Languages whose style guide puts a space between a number and a following % or € (a writer's
#: "5%" becomes "5 %"), and the space:
SPACE_BEFORE_UNIT = {
    # French: « 5 % », « 20 € », a narrow no-break space (Imprimerie nationale, Lexique des règles
    # typographiques en usage à l'Imprimerie nationale, "Pour cent" and "Symboles").
    "fr": NNBSP,
    # German: "5 %", "20 €", with a space (DIN 5008:2020, "Prozentzeichen" and
    # "Währungsangaben"; Duden, Die deutsche Rechtschreibung, "Prozent").
    "de": NBSP,
    # Spanish: "el 50 %", "20 €", the symbol apart from the figure (RAE, Ortografía de la lengua
    # española 2010, "Símbolos": the % sign "se escribe separado de la cifra").
    "es": NBSP,
    # Finnish: "10 %", "200 €" (Kielikello 3/1993, "Merkit: Prosenttimerkki"; University of
    # Helsinki, Kielijelppi, "Merkki": "prosentti- ja pykälämerkki erotetaan numerosta
    # välilyönnillä"; SeAMK, Kirjallisten töiden ohje: "Luku on erotettava … symbolista, esim.
    # 200 €"); inflected "10 %:n" keeps its colon.
    "fi": NBSP,
    # Swedish: "50 %" (Språkrådet, Svenska skrivregler, "Sifferuttryck": the per cent sign with
    # a space between the last digit and the sign, as summarised at fritext.se/svenska).
    "sv": NBSP,
    # Danish: "15 %", "18 000 EUR" (EU Interinstitutional Style Guide, Danish version, 10.2 "Tal
    # og datoer", publications.europa.eu/code/da/da-4100200.htm).
    "da": NBSP,
    # Slovenian: "5 %" (ZRC SAZU, Jezikovna svetovalnica, "Pisanje znaka za odstotek", H.
    # Dobrovoljc: with a space, as in Slovenski pravopis 2001's examples "<5 %>"; the adjective
    # is written "6-%", which no rule here touches).
    "sl": NBSP,
    # Croatian: "50 %", "99,90 €" (Hrvatski pravopis, Institut za hrvatski jezik i
    # jezikoslovlje, "Bjelina" l–m; EU Interinstitutional Style Guide, Croatian version, 10.5:
    # "nedjeljivi razmak između brojke i oznake postotka: 15 %").
    "hr": NBSP,
}
# The other 16 leave it to the writer: English sets "5%" closed up (Translation Bureau of
# Canada, The Canadian Style 1.17; CERN writing guidelines, "percentage"); in Czech and Slovak
# "5 %" is "five per cent" but "5%" an adjective, "five-per-cent" (Internetová jazyková příručka
# ÚJČ, "procento"), so the writer's choice carries meaning; the others' guides were not found
# to ask for a space (Lithuanian: no VLKK rule found). A space they typed is kept, and no longer
# breaks a line.

_UNIT = r"(?:%|‰|€|EUR\b)"
_BEFORE_UNIT_RE = re.compile(rf"(?<=\d){_SPACE}+(?={_UNIT})")
_AFTER_CURRENCY_RE = re.compile(rf"(?<![\w])(€|EUR){_SPACE}+(?=\d)")
_TOUCHING_UNIT_RE = re.compile(r"(?<=\d)(?=[%‰€](?![^\W\d_]))")
_GROUPS_RE = re.compile(r"(?<![\d.,])\d{1,3}(?:" + _SPACE + r"\d{3})+(?!\d)")
_GROUP_SPACE_RE = re.compile(_SPACE)

#: A label after which a pair of numbers is a range: pages, articles, paragraphs (abbreviated in
#: the EU languages: p., pp., S., s., str., pag., pág., blz., lk., lpp., psl., o., old., σ.,
#: стр., с., art., čl., §).
_LABEL = (r"(?:pp?|S|s|ss|str|pag|págs?|blz|lk|lpp|psl|o|old|sz|σσ?|стр|с|art|Art|čl|cl|"
          r"odst|Abs|par|para|pt)\.|§")
_LABELLED_RE = re.compile(rf"(?<![\w])({_LABEL}){_SPACE}?(\d{{1,5}})-(\d{{1,5}})"
                          r"(?![\w\-–/]|[.,]\d)")
#: Numbers with an ordinal's full stop (Latvian "3.-12. lpp.", "2017.-2021. gadu", German
#: "3.-5. Mai"), and numbers with digit groups or decimals (10.000-20.000, 10 000-20 000,
#: 1,5-2,5), the same separator on both sides.
_ORDINALS_RE = re.compile(r"(?<![\w/.,\-–+])([1-9]\d{0,3})\.-([1-9]\d{0,3})\.(?!\d|-)")
_GROUPED_RE = re.compile(r"(?<![\w/.,\-–+:])((?:[1-9]\d{0,2}|0)([.,\u00a0\u202f ])\d+(?:\2\d{3})*)"
                         r"-((?:[1-9]\d{0,2}|0)\2\d+(?:\2\d{3})*)(?![\w\-–/]|[.,]\d)")
#: An en dash between two numbers: a range, which never breaks a line at its dash.
_RANGE_DASH_RE = re.compile(r"(?<=\d)–(?=\d)|(?<=\d\.)–(?=\d)")
WORD_JOINER = "\u2060"
_YEARS_RE = re.compile(r"(?<![\w/.,\-–+])([12]\d{3})-([12]\d{3})(?![\w\-–/]|[.,]\d)")
_SHORT_RE = re.compile(r"(?<![\w/.,\-–+:])(?<!\d )([1-9]\d{0,2}|0)-([1-9]\d{0,2})"
                       r"(?![\w\-–/:]|[.,]\d)")


def numbers(text: str, language: str) -> str:
    """`text` with the ranges, percentages, amounts and digit groups of its `language` set."""
    return in_prose(text, lambda piece: _numbers(piece, language))


def _numbers(text: str, language: str) -> str:
    text = _ranges(text)
    space = NNBSP if locale.base(language) == "fr" else NBSP
    text = _GROUPS_RE.sub(lambda m: _GROUP_SPACE_RE.sub(space, m[0]), text)
    text = _BEFORE_UNIT_RE.sub(lambda m: NNBSP if NNBSP in m[0] else space, text)
    text = _AFTER_CURRENCY_RE.sub(lambda m: m[1] + space, text)
    inserted = SPACE_BEFORE_UNIT.get(locale.base(language))
    if inserted:
        text = _TOUCHING_UNIT_RE.sub(inserted, text)
    return text


def _ranges(text: str) -> str:
    def labelled(m: re.Match[str]) -> str:
        low, high = int(m[2]), int(m[3])
        return m[0].replace(f"{m[2]}-{m[3]}", f"{m[2]}–{m[3]}") if low < high else m[0]

    def years(m: re.Match[str]) -> str:
        return f"{m[1]}–{m[2]}" if int(m[1]) < int(m[2]) else m[0]

    def short(m: re.Match[str]) -> str:
        low, high = m[1], m[2]
        fits = len(high) == len(low) or (len(low) == 1 and len(high) == 2)
        return f"{low}–{high}" if fits and int(low) < int(high) else m[0]

    def ordinals(m: re.Match[str]) -> str:
        return f"{m[1]}.–{m[2]}." if int(m[1]) < int(m[2]) else m[0]

    def grouped(m: re.Match[str]) -> str:
        low, high, separator = m[1], m[3], m[2]
        if separator not in ".," and any(len(group) != 3 for group in (
                *low.split(separator)[1:], *high.split(separator)[1:])):
            return m[0]  # digits apart, not a number's groups
        if separator in ".,":  # 10.000 or 1,5: compared as written, digit by digit
            low_value = float(low.replace(separator, "."))
            high_value = float(high.replace(separator, "."))
        else:
            low_value, high_value = float(low.replace(separator, "")), float(
                high.replace(separator, ""))
        return f"{low}–{high}" if low_value < high_value else m[0]

    text = _GROUPED_RE.sub(grouped, _ORDINALS_RE.sub(ordinals, text))
    text = _SHORT_RE.sub(short, _YEARS_RE.sub(years, _LABELLED_RE.sub(labelled, text)))
    return _RANGE_DASH_RE.sub("–" + WORD_JOINER, text)
