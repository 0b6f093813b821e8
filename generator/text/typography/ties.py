"""ties: turns the space after a one-letter word (Polish, Czech, Slovak) and the one before a
paragraph's last word into no-break spaces, so neither word is left alone at a line's end.
"""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .. import locale
from . import runs
from .prose import NOT_PROSE_RE as _NOT_PROSE_RE

_CALLS = ("fn_cite", "fn_note")
_BREAKS = ("softbreak", "hardbreak")

#: One-letter words that may not end a line, per language (base code). Polish typesetting
#: never leaves a one-letter word (the conjunctions and prepositions a, i, o, u, w, z) at a
#: line's end ("wiszące spójniki", see e.g. PWN's "Nowy słownik poprawnej polszczyzny",
#: zasady składu); Czech and Slovak likewise for the one-letter prepositions and conjunctions
#: k, s, v, z, o, u, a, i (Czech ČSN 01 6910, Slovak STN 01 6910). Each is tied to the next
#: word by a no-break space.
ONE_LETTER_WORDS: dict[str, frozenset[str]] = {
    "pl": frozenset("aiouwzAIOUWZ"),
    "cs": frozenset("ksvzouaiKSVZOUAI"),
    "sk": frozenset("ksvzouaiKSVZOUAI"),
}
#: A standalone one-letter word (after the start, a space or an opening mark) and the space
#: after it.
_ONE_LETTER_RE = re.compile(r"(?:^|(?<=[\s(\[„“‚‘«\"'/–—]))(\w)[ \t](?=\S|$)")


def one_letter_words_rule(state: StateCore, language: str) -> None:
    """A no-break space after a one-letter word of the language (`ONE_LETTER_WORDS`), in
    every text of an inline in that language (a span in another keeps its own rules) but
    addresses (`<https://…>`, `www.…`) and code; a line break in the source after one becomes a
    no-break space too."""
    for block in state.tokens:
        if block.type == "inline" and block.children:
            _tie_one_letter_words(block.children, language)


def tie_one_letter_words(text: str, words: frozenset[str], first: bool = True,
                         more: bool = False) -> str:
    """`text` with a no-break space after each standalone word of `words` (never inside an
    address). `first`: a word at the text's start is standalone (the text starts a line, or
    follows an opening); `more`: something printed (code, a link) follows the text's end."""
    pieces, at = [], 0
    for match in _NOT_PROSE_RE.finditer(text):
        pieces.append(_tie(text[at:match.start()], words, first=first and at == 0, more=True))
        pieces.append(match[0])
        at = match.end()
    pieces.append(_tie(text[at:], words, first=first and at == 0, more=more))
    return "".join(pieces)


def _tie(text: str, words: frozenset[str], *, first: bool, more: bool) -> str:
    def space(match: re.Match[str]) -> str:
        standalone = first or match.start() > 0
        followed = more or match.end() < len(text)
        return match[1] + "\u00a0" if match[1] in words and standalone and followed else match[0]
    return _ONE_LETTER_RE.sub(space, text)


def _tie_one_letter_words(children: list[Token], language: str) -> None:
    in_address = False
    for i, (child, written_in) in enumerate(zip(children, runs.languages(children, language),
                                                strict=True)):
        words = ONE_LETTER_WORDS.get(locale.base(written_in), frozenset())
        previous = children[i - 1] if i else None
        following = children[i + 1] if i + 1 < len(children) else None
        first = previous is None or previous.type in (*_BREAKS, "link_open", "em_open",
                                                      "strong_open")
        if child.type == "link_open":
            in_address = child.markup in ("autolink", "linkify")
        elif child.type == "link_close":
            in_address = False
        elif child.type == "text" and not in_address and words:
            more = following is not None and following.type not in (*_BREAKS, *_CALLS)
            child.content = tie_one_letter_words(child.content, words, first, more)
            word = re.search(r"(?:^|[\s(\[„“‚‘«\"'/–—])(\w)$", child.content)
            if (following is not None and following.type == "softbreak" and word
                    and word[1] in words and (first or word.start(1) > 0)):
                following.type, following.content = "text", "\u00a0"
        if child.type == "fn_note" and child.children:
            _tie_one_letter_words(child.children, written_in)

_AFTER_LAST_WORD = {"fn_cite", "fn_note", "em_close", "strong_close", "link_close"}


def tie_last_words_rule(state: StateCore) -> None:
    """Join a paragraph's last two words with a no-break space, so no line holds one short word."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = block.children
        last = len(children) - 1
        while last >= 0 and children[last].type in _AFTER_LAST_WORD:
            last -= 1
        first = last
        while first > 0 and children[first - 1].type == "text":  # (`**` never closed is apart)
            first -= 1
        run = children[first:last + 1] if last >= 0 and children[last].type == "text" else []
        tied = re.search(r" (\S{1,12})$", "".join(child.content for child in run))
        at = tied.start() if tied else -1
        for child in run if tied else ():
            if 0 <= at < len(child.content):
                child.content = child.content[:at] + "\u00a0" + child.content[at + 1:]
                break
            at -= len(child.content)
