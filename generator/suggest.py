"""suggest: a misspelt name and the names it could be → "did you mean …?", one rule for every
message (keys, audiences, templates, stylesheets, citations, …)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: How alike a word and a choice must be (difflib's ratio) for "did you mean" to name it.
CUTOFF = 0.6


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice nearest to a misspelt `word`, if any is near enough."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=CUTOFF)
    return close[0] if close else None


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean …?)' for the choice nearest to `word`, or ''."""
    close = closest(word, choices)
    return f" (did you mean {close!r}?)" if close else ""
