"""pasted: turns quotation marks pasted from a word processor into straight ones, which
`quotes` then sets again in the language's marks (in every text of a parse: `pasted_quotes_rule`).
"""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

#: Quotation marks a word processor pastes: normalised to straight ones, then set again in the
#: language's marks by smartquotes. Guillemets take the (no-break) spaces inside them along.
_PASTED_SINGLE_RE = re.compile(r"[‘‚‛‹›]|(?<=\S)’|’(?!\w)")


def normalise_quotes(text: str) -> str:
    """Pasted typographic quotation marks → straight ones (an apostrophe starting a word, as in
    Dutch ’s avonds, stays)."""
    text = re.sub(r"«[ \u00a0\u202f]+", "«", text)
    text = re.sub(r"[ \u00a0\u202f]+»", "»", text)
    # A space between nested marks (‘lappendeken’ ”) would leave the outer one unpaired: a
    # closing mark (no word after it) after a closing one, an opening one (a word after it)
    # after an opening one. Not between a word's apostrophe and a quotation (users' "data").
    text = re.sub(r"(?<=[’‘'])[ \u00a0\u202f\u2009]+(?=[”“„\"](?!\w))", "", text)
    text = re.sub(r"(?<=[“„”\"])(?<![\w.,;:!?][“„”\"])[ \u00a0\u202f\u2009]+(?=[‘’‚']\w)", "",
                  text)
    return _PASTED_SINGLE_RE.sub("'", re.sub("[«»“”„‟]", '"', text))



def pasted_quotes_rule(state: StateCore) -> None:
    """`normalise_quotes` on every text of a parse, inline children and notes included."""
    _normalise(state.tokens)


def _normalise(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type == "text":
            token.content = normalise_quotes(token.content)
        if token.children:
            _normalise(token.children)
