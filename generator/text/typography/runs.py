"""runs: the language each token of an inline is written in.

A text is in the output's language, except a span that says its own:
``[Grooming]{lang=en}`` (Pandoc's syntax, parsed by mdit-py-plugins' attrs plugin) becomes
``<span lang="en">Grooming</span>``; WeasyPrint hyphenates it with the English patterns, and every
typography rule sets its text by English rules (its quotation marks, no French spacing, no
Polish one-letter tie)."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.token import Token


def languages(children: Sequence[Token], language: str) -> list[str]:
    """The language of each token of `children` (span tokens: the language around them)."""
    stack = [language]
    found = []
    for child in children:
        if child.type == "span_open":
            found.append(stack[-1])
            stack.append(str(child.attrGet("lang") or stack[-1]))
            continue
        if child.type == "span_close" and len(stack) > 1:
            stack.pop()
        found.append(stack[-1])
    return found


def spans(children: Sequence[Token]) -> list[tuple[int, int]]:
    """(start, end) of each outermost span with a language: children[start] is its `span_open`,
    children[end] its `span_close`."""
    found, depth, start = [], 0, 0
    for i, child in enumerate(children):
        if child.type == "span_open":
            if depth == 0:
                start = i
            depth += 1
        elif child.type == "span_close" and depth:
            depth -= 1
            if depth == 0:
                found.append((start, i))
    return found
