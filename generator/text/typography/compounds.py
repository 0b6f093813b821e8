"""compounds: a compound broken at its own hyphen repeats the hyphen at the next line's start,
in the languages whose rules ask for it, so the reader sees a compound, not a word hyphenated
by the typesetter ("sądowo-" / "-lekarskich").

The hyphen of such a compound is written as U+00AD (soft hyphen) + "-" + U+2060 (word joiner):
unbroken it prints "sądowo-lekarskich" (a soft hyphen prints nothing where the line goes on);
broken at the soft hyphen it prints "sądowo‐" at the line's end and "-lekarskich" at the next
line's start; the word joiner keeps the line from breaking after the hyphen itself. Never in
addresses, e-mail addresses or code (`prose`), and only between words of two letters or more
(not in 2022-11-08, 50-letni or C-vitamin).

In every language a hyphen after a one-letter word ("e-mail", "C-vitamin") is followed by a word
joiner: no line ends with "e-" (`keep_prefixes`)."""

from __future__ import annotations

import re

from .. import locale
from .prose import in_prose

SOFT_HYPHEN, WORD_JOINER = "\u00ad", "\u2060"
REPEATED = f"{SOFT_HYPHEN}-{WORD_JOINER}"

#: Languages whose spelling rules repeat a compound's hyphen at the next line's start:
REPEATED_HYPHEN = frozenset({
    # Polish: Wielki słownik ortograficzny PWN, zasada [196] 53.8: a word with a hyphen divided
    # at the hyphen carries the hyphen to the next line too ("koszałki-" / "-opałki").
    "pl",
    # Czech: Pravidla českého pravopisu (Akademie věd ČR), "Dělení slov": a word divided at its
    # hyphen repeats the hyphen at the start of the next line ("česko-" / "-německý").
    "cs",
    # Slovak: Pravidlá slovenského pravopisu (JÚĽŠ SAV), "Rozdeľovanie slov": the same
    # ("slovensko-" / "-maďarský").
    "sk",
    # Czech, too: Internetová jazyková příručka (Ústav pro jazyk český), "Dělení slov": a word
    # ending a line at its own hyphen (ping-pong, Praha-Smíchov) repeats it on the new line.
    # Croatian: Hrvatski pravopis (Institut za hrvatski jezik i jezikoslovlje, 2013),
    # "Rastavljanje riječi na kraju retka": "spojnica se zapisuje i na početku novoga retka"
    # ("hrvatsko-" / "-engleski rječnik"); Proleksis enciklopedija, "rastavljanje riječi".
    "hr",
    # Slovenian: Slovenski pravopis (SAZU, ZRC SAZU 2001), "Deljenje": a word with a hyphen is
    # divided at the hyphen, the second part starting with it ("vzgojno-" / "-izobraževalni");
    # not one starting with a number or a single letter (C-vitamin, 50-letni).
    "sl",
    # Portuguese: Acordo Ortográfico de 1990, Base XX, 2.º: "Na translineação de uma palavra
    # composta ou de uma combinação de palavras em que há um hífen, ou mais, se a partição coincide
    # com o final de um dos elementos ou membros, deve, por clareza gráfica, repetir-se o hífen no
    # início da linha imediata".
    "pt",
    # Spanish: RAE, Ortografía de la lengua española (2010), "División de palabras con guion":
    # when the break falls at the hyphen of a compound, the hyphen is written at the end of the
    # line and again at the start of the next ("teórico-" / "-práctico").
    "es",
})
# Not found in the others' rules; there a compound breaks at its hyphen as a word breaks.

#: A hyphen between two letters (a compound's), with at least two letters on each side: never
#: after a number or a single letter (50-letni, C-vitamin, e-mail), never one already repeated.
_COMPOUND_RE = re.compile(r"(?<=[^\W\d_]{2})-(?=[^\W\d_]{2})")


#: A hyphen after a one-letter word (e-mail, C-vitamin, x-ray): no line ends after it, in any
#: language ("e-" alone at a line's end reads as a fault).
_ONE_LETTER_PREFIX_RE = re.compile(r"(?<![^\W_])([^\W\d_])-(?=[^\W_])")


def keep_prefixes(text: str, language: str = "") -> str:
    """`text` with no line break allowed after the hyphen of a one-letter prefix (e-mail)."""
    if "-" not in text:
        return text
    return in_prose(text, lambda piece: _ONE_LETTER_PREFIX_RE.sub(
        lambda m: f"{m[1]}-{WORD_JOINER}", piece))


def set_hyphens(text: str, language: str) -> str:
    """A compound's hyphens as `language` breaks them, and one-letter prefixes kept whole."""
    return keep_prefixes(repeat_hyphens(text, language))


def plain(text: str) -> str:
    """`text` without the soft hyphens and word joiners set for line breaks: for metadata,
    bookmarks and a document's <title>, where they would be characters."""
    return text.replace(SOFT_HYPHEN, "").replace(WORD_JOINER, "")


def repeat_hyphens(text: str, language: str) -> str:
    """`text` with each compound's hyphen breakable as its `language` breaks it."""
    if locale.base(language) not in REPEATED_HYPHEN or "-" not in text:
        return text
    return in_prose(text, lambda piece: _COMPOUND_RE.sub(REPEATED, piece))
