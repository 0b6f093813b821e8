"""plain: turns a plain text (a title, a publisher, a locator, …) into the text a body would
print, by every typography rule of its language — no Markdown read.
"""

from __future__ import annotations

from markdown_it.rules_core import StateCore, replace
from markdown_it.token import Token

from ..syntax import parser
from . import compounds, numbers
from .core import per_run_rule, smartquotes_rule
from .pasted import pasted_quotes_rule
from .spacing import french_spacing_rule
from .ties import one_letter_words_rule


def typeset(text: str, language: str = "en") -> str:
    """A plain text (a title, a source's publisher, a locator, …) with the typography bodies
    get, by the rules of `language`, the language the text is written in (a source's own for
    its title, not the output's): its quotation marks (pasted ones normalised), apostrophes,
    dashes, ellipses, French spacing or one-letter ties, number ranges and spaces around numbers.
    No Markdown: `*` and `[` stay as written."""
    md = parser(language)
    state = StateCore(text, md, {})
    inline = Token("inline", "", 0)
    inline.content = text
    inline.children = [Token("text", "", 0, content=text)]
    state.tokens = [inline]
    pasted_quotes_rule(state)
    replace(state)
    smartquotes_rule(state, language)
    french_spacing_rule(state, language)
    one_letter_words_rule(state, language)
    per_run_rule(state, numbers.numbers, language)
    per_run_rule(state, compounds.keep_prefixes, language)
    return "".join(child.content for child in inline.children)
