"""prose: the parts of a text that are prose, and the parts no typography rule may change (web
and e-mail addresses, times such as 10:30, ratios 3:1)."""

from __future__ import annotations

import re
from collections.abc import Callable

#: What typography leaves alone: web and e-mail addresses, times (10:30), ratios (3:1). Each
#: alternative starts only where a word does (the lookbehinds), so a word of 200,000 letters is
#: searched in linear time, not once from each of its letters.
NOT_PROSE_RE = re.compile(r"(?:(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*://|www\.|mailto:)\S+"
                          r"|(?<![^\s@])[^\s@]+@[^\s@]+|\d:\d", re.IGNORECASE)


def in_prose(text: str, change: Callable[[str], str]) -> str:
    """`text` with `change` applied to each piece between addresses (and times)."""
    pieces, at = [], 0
    for match in NOT_PROSE_RE.finditer(text):
        pieces.append(change(text[at:match.start()]))
        pieces.append(match[0])
        at = match.end()
    pieces.append(change(text[at:]))
    return "".join(pieces)
