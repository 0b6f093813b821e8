"""core: turns a rule on one run of text into a markdown-it core rule on a whole parse — every
inline, its notes and spans included, each text in the language it is written in (`runs`).
"""

from __future__ import annotations

from collections.abc import Callable

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from . import calls, quotes, runs


def smartquotes_rule(state: StateCore, language: str) -> None:
    """The language's quotation marks and apostrophes in every inline, its notes and the spans
    in other languages included (`typography.quotes`; markdown-it's own rule reads the source,
    which holds the pasted marks `pasted_quotes_rule` straightened, and never visits a note)."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            quotes.smartquotes(token.children, language)


def place_calls_rule(state: StateCore, language: str) -> None:
    """A note call before or after punctuation, as the language sets it (`typography.calls`)."""
    for block in state.tokens:
        if block.type == "inline" and block.children:
            calls.place_calls(block.children, language)


def per_run_rule(state: StateCore, change: Callable[[str, str], str], language: str) -> None:
    """`change(text, language)` on every text of every inline in the language it is written in
    (a span's own), notes included, never on an address (`<https://…>`, linkify's)."""
    for block in state.tokens:
        if block.type == "inline" and block.children:
            _change_texts(block.children, change, language)


def _change_texts(children: list[Token], change: Callable[[str, str], str], language: str
                  ) -> None:
    in_address = False
    for child, written_in in zip(children, runs.languages(children, language), strict=True):
        if child.type == "link_open":
            in_address = child.markup in ("autolink", "linkify")
        elif child.type == "link_close":
            in_address = False
        elif child.type == "text" and not in_address:
            child.content = change(child.content, written_in)
        if child.type == "fn_note" and child.children:
            _change_texts(child.children, change, written_in)
