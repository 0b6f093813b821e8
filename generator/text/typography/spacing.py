"""spacing: turns the spaces before French high marks (; : ! ?) into narrow no-break spaces,
in French prose only (never in an address or a time).
"""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .. import locale
from . import runs
from .prose import NOT_PROSE_RE as _NOT_PROSE_RE

_NNBSP = "\u202f"
#: A high mark (; : ! ?) after a word or closing mark, with whatever space the writer typed
#: before it, and followed by a space, the end, or a closing mark.
_HIGH_MARK_RE = re.compile(r"(?:(?<=[^\s;:!?\u202f])|^)[ \u00a0\u202f\u2009]*([;:!?])"
                           r"(?=[\s;:!?»”’)\]]|$)")


def french_spacing(text: str, first: bool = True) -> str:
    """A narrow no-break space (U+202F) before ; : ! ? in French prose, replacing the space or
    no-break space a writer typed; never in addresses or times. `first`: the text opens its
    paragraph (a mark there has no word to follow)."""
    pieces, at = [], 0
    for match in _NOT_PROSE_RE.finditer(text):
        pieces.append(_space_marks(text[at:match.start()], first and at == 0))
        pieces.append(match[0])
        at = match.end()
    pieces.append(_space_marks(text[at:], first and at == 0))
    return "".join(pieces)


def _space_marks(text: str, first: bool) -> str:
    return _HIGH_MARK_RE.sub(lambda m: m[0] if first and m.start() == 0 else _NNBSP + m[1], text)


def french_spacing_rule(state: StateCore, language: str) -> None:
    """French spacing in every French text of an inline (a span in another language keeps its
    own), except the text of a link that is its own address (`<https://…>`)."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        _french_children(block.children, language)


def _french_children(children: list[Token], language: str) -> None:
    in_address = False
    for i, (child, written_in) in enumerate(zip(children, runs.languages(children, language),
                                                strict=True)):
        if child.type == "link_open":
            in_address = child.markup in ("autolink", "linkify")
        elif child.type == "link_close":
            in_address = False
        elif child.type == "text" and not in_address and locale.base(written_in) == "fr":
            child.content = french_spacing(child.content, first=i == 0)
        if child.type == "fn_note" and child.children:
            _french_children(child.children, written_in)


#: One-letter words that may not end a line, per language (base code). Polish typesetting
#: never leaves a one-letter word (the conjunctions and prepositions a, i, o, u, w, z) at a
#: line's end ("wiszące spójniki", see e.g. PWN's "Nowy słownik poprawnej polszczyzny",
#: zasady składu); Czech and Slovak likewise for the one-letter prepositions and conjunctions
