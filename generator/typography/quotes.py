"""quotes: straight quotation marks → the language's (`locale.QUOTES`), in every run of an inline
in its own language, in notes and image descriptions too.

markdown-it's smartquotes pairs the marks (`"…"` → the first level, `'…'` → the second) in one
list of tokens; here it runs once per span in another language (with that language's marks)
and once for the rest, then inside each note (``^[…]``, whose tokens are the note token's
children, which markdown-it's rule never visits). A single quote left unpaired is an apostrophe
(Dutch 't, rock 'n' roll, l'EOKM).

Where CLDR gives the same marks at both levels (`locale.SECOND_LEVEL`: bg, fr, lt, nl), writers
had no reason to tell `"` from `'`: there the depth decides, the outer pair gets the first
level's marks and a pair inside it the second's, whichever straight mark was typed."""

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
        levelled = locale.base(language) in locale.SECOND_LEVEL
        marks = _LEVELLED if levelled else locale.quotes(language)
        process_inlines(list(children), _state(marks))
        if levelled:
            _by_depth(texts, locale.quotes(language))
        for child in texts:
            child.content = child.content.replace("'", "’")
    for child in children:
        if child.type in ("fn_note", "image") and child.children:
            smartquotes(child.children, language)


def _by_depth(texts: list[Token], marks: tuple[str, str, str, str]) -> None:
    """The marks process_inlines set as placeholders → the first level's at odd depths, the
    second's at even ones."""
    depth = 0
    for token in texts:
        out = []
        for char in token.content:
            if char in _OPEN:
                depth += 1
                out.append(marks[0] if depth % 2 else marks[2])
            elif char in _CLOSE:
                out.append(marks[1] if depth % 2 else marks[3])
                depth = max(depth - 1, 0)
            else:
                out.append(char)
        token.content = "".join(out)


@cache  # one per set of marks (a few dozen at most)
def _state(marks: tuple[str, ...]) -> StateCore:
    """A core state whose options carry `marks`: all process_inlines reads of it."""
    return StateCore("", MarkdownIt("zero", {"typographer": True, "quotes": list(marks)}), {})
