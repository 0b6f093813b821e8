"""calls: where a note call stands next to punctuation.

In the languages of `CALL_BEFORE_PUNCTUATION` a note call goes before the full stop, comma,
colon, semicolon, question or exclamation mark it would follow ("sexuels³.", "sexuels³ ;"),
however the writer placed it (``sexuels.[@x]`` or ``sexuels[@x].``): the punctuation after a
word that ends its sentence is the sentence's, the call the word's. After an ellipsis the call
stays (the ellipsis belongs to the text), and so after an abbreviation's full stop ("etc.³").
In the other languages the call stays where it was written (their style guides allow both:
after the punctuation for a note on the sentence, before it for a note on the word, as Duden
and the Chicago Manual of Style describe)."""

from __future__ import annotations

import re

from markdown_it.token import Token

from .. import locale

#: Languages whose style guide sets a note call before the punctuation:
CALL_BEFORE_PUNCTUATION = frozenset({
    # French: Imprimerie nationale, Lexique des règles typographiques, "Appel de note": the call
    # « se place immédiatement après le mot ou le groupe de mots auquel il se rapporte, avant
    # toute ponctuation ».
    "fr",
    # Spanish: RAE, Diccionario panhispánico de dudas, "llamada de nota" 3a ("sistema francés"):
    # before the full stop, comma, colon and semicolon, after an ellipsis; the EU's Libro de
    # estilo interinstitucional chooses that system.
    "es",
    # Italian and Portuguese: the EU Interinstitutional Style Guide, 8.1 "Richiami di nota" /
    # "Chamadas de nota" (the same in every language version): the call is "seguito da un
    # eventuale segno di interpunzione" ("Commissione (1) … Consiglio (2); …").
    "it", "pt",
    # Polish: the call before the sentence's full stop, after an abbreviation's (PWN, Poradnia
    # językowa, "odnośnik do przypisu", M. Bańko after A. Wolański, Edycja tekstów, p. 236).
    "pl",
})
#: Variants that set it otherwise: Brazilian Portuguese puts the call after the punctuation
#: (ABNT NBR 10520: "após a pontuação da frase").
CALL_AS_WRITTEN = frozenset({"pt-BR"})

_CALLS = ("fn_cite", "fn_note")
#: Punctuation a call goes before, and the spaces a writer may have typed before it.
_MARKS, _SPACES = ".,;:!?", " \u00a0\u202f\u2009"
#: Words whose full stop is an abbreviation's, which the call follows (etc.³).
_ABBREVIATION_RE = re.compile(r"(?:^|[\s(])(?:etc|cf|al|ibid|ibidem|op|cit|loc|éd|ed|eds|vol|"
                              r"vols|p|pp|art|n|no|nr|s|ss|sq|sqq|ecc|itd|itp|tzn|np|r|red|wyd|"
                              r"[A-ZÀ-Ý])\.$")


def place_calls(children: list[Token], language: str) -> None:
    """Move punctuation around the note calls of `children` (an inline's tokens, in place)."""
    if locale.base(language) not in CALL_BEFORE_PUNCTUATION or language in CALL_AS_WRITTEN:
        return
    i = 0
    while i < len(children):
        if children[i].type not in _CALLS:
            i += 1
            continue
        end = i
        while end + 1 < len(children) and children[end + 1].type in _CALLS:
            end += 1
        before = children[i - 1] if i and children[i - 1].type == "text" else None
        after = children[end + 1] if end + 1 < len(children) else None
        moved = _trailing(before.content) if before is not None else ""
        if moved and before is not None:
            before.content = before.content[:len(before.content) - len(moved)]
            if after is not None and after.type == "text":
                after.content = moved + after.content
            else:
                children.insert(end + 1, Token("text", "", 0, content=moved))
        i = end + 1


def _trailing(text: str) -> str:
    """The punctuation ending `text` that a call goes before ('' when none may move)."""
    words = text.rstrip(_MARKS)
    marks = text[len(words):]
    if not marks or text.endswith(("...", "…")):
        return ""
    spaced = words.rstrip(_SPACES)
    if marks == "." and _ABBREVIATION_RE.search(words[-12:] + "."):
        return ""
    return words[len(spaced):] + marks
