"""quotes: straight quotation marks → the language's (`locale.QUOTES`), in every run of an inline
in its own language, in notes and image descriptions too.

markdown-it's smartquotes pairs the marks (`"…"` → the first level, `'…'` → the second) in one
list of tokens; here it runs once per span in another language (with that language's marks)
and once for the rest, then inside each note (``^[…]``, whose tokens are the note token's
children, which markdown-it's rule never visits). A single quote left unpaired is an apostrophe
(Dutch 't, rock 'n' roll, l'EOKM).

In every language the nesting decides: a pair inside another pair gets the other level's marks
than the pair around it, so `"un "doppio" dentro"` prints «un “doppio” dentro» in Italian,
„un ‚doppio‘ dentro“ in German. An outermost pair gets the level of the mark typed (`"…"` the
first, `'…'` the second), except where CLDR gives the same marks at both levels
(`locale.SECOND_LEVEL`: bg, fr, lt, nl): writers there had no reason to tell `"` from `'`, and
an outermost pair always gets the first level's marks."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.smartquotes import process_inlines
from markdown_it.token import Token

from .. import locale
from . import runs

#: Marks process_inlines sets where the depth decides: (double open, close, single open, close).
_OPEN, _CLOSE = "\ue000\ue002", "\ue001\ue003"
_LEVELLED = ("\ue000", "\ue001", "\ue002", "\ue003")


def marks_language(language: str, around: str) -> str:
    """The language whose marks a run in `language` gets: its own when `locale.QUOTES` has them,
    else the text's around it."""
    return language if locale.quotes_key(language) in locale.QUOTES else around


def smartquotes(children: Sequence[Token], language: str) -> None:
    """Set the quotation marks and apostrophes of `children` (an inline's tokens) in place."""
    children = list(children)
    for start, end in runs.spans(children):
        inner = str(children[start].attrGet("lang") or language)
        smartquotes(children[start + 1:end], marks_language(inner, language))
    texts = [child for child in children if child.type == "text"]
    if any("'" in child.content or '"' in child.content for child in texts):
        process_inlines(list(children), _state(_LEVELLED))
        _by_depth(texts, locale.quotes(language),
                  typed=locale.base(language) not in locale.SECOND_LEVEL)
        for child in texts:
            child.content = child.content.replace("'", "’")
    for child in children:
        if child.type in ("fn_note", "image") and child.children:
            smartquotes(child.children, language)


def _by_depth(texts: list[Token], marks: tuple[str, str, str, str], *, typed: bool) -> None:
    """The marks process_inlines set as placeholders → a pair inside another gets the other
    level's marks than the pair around it; an outermost pair the first level's, or (`typed`)
    the level of the mark typed ("…" the first, '…' the second)."""
    levels: list[int] = []  # of the pairs open here, 0: first, 1: second
    for token in texts:
        out = []
        for char in token.content:
            if char in _OPEN:
                level = 1 - levels[-1] if levels else (
                    _OPEN.index(char) if typed else 0)
                levels.append(level)
                out.append(marks[2 * level])
            elif char in _CLOSE:
                level = levels.pop() if levels else _CLOSE.index(char)
                out.append(marks[2 * level + 1])
            else:
                out.append(char)
        token.content = "".join(out)


@cache  # one per set of marks (a few dozen at most)
def _state(marks: tuple[str, ...]) -> StateCore:
    """A core state whose options carry `marks`: all process_inlines reads of it."""
    return StateCore("", MarkdownIt("zero", {"typographer": True, "quotes": list(marks)}), {})
