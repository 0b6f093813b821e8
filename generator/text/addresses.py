"""addresses: a web address printed in full — breakable only at its boundaries, never hyphenated.

A printed address must read back as typed: no automatic hyphen inside it, no line ending right
after a hyphen of its own ("eur-" reads as a hyphenated word), no line ending in a bare
"https://". Used for sources' URLs in notes (footnotes.py), the brief's own address (html.py)
and every address written in a text (syntax.py: autolinks and bare addresses).
"""

from __future__ import annotations

from markupsafe import escape

#: Joins two characters where Unicode's line breaking would allow a break.
WORD_JOINER = "\u2060"

#: Characters after which a printed URL may break ('/'), or before which it may ('.', '-', '?').
_BREAK_AFTER = "/"
_BREAK_BEFORE = ".-?"
#: Characters after which a printed URL must not break, though Unicode's line breaking allows
#: it: a line ending in "eur-" reads as a hyphenated word, so the hyphen goes to the next line.
_NO_BREAK_AFTER = "-"


def breakable_url(url: str) -> str:
    """HTML for a URL printed in full, breakable only at / . - ? (with <wbr>), never hyphenated;
    the scheme stays with the host's first letter, so no line ends in a bare "https://"."""
    scheme, sep, rest = url.partition("://")
    if sep and rest:
        return (f'<span class="nobreak">{escape(scheme + sep + rest[0])}</span>'
                + _breakable(rest, 1, url))
    return _breakable(url, 0, url)


def _breakable(text: str, start: int, url: str) -> str:
    parts = []
    offset = len(url) - len(text)
    for i in range(start, len(text)):
        char = text[i]
        parts.append(_break_before(url, offset + i) + str(escape(char))
                     + _break_after(url, offset + i))
    return "".join(parts)


def _break_before(url: str, i: int) -> str:
    return "<wbr>" if url[i] in _BREAK_BEFORE and i > 0 else ""


def _break_after(url: str, i: int) -> str:
    """After a path slash, never inside or right after "//"; never after a hyphen."""
    char = url[i]
    if char in _NO_BREAK_AFTER and i + 1 < len(url):
        return WORD_JOINER
    if char in _BREAK_AFTER and i + 1 < len(url) and url[i + 1] != "/" and url[i - 1:i] != "/":
        return "<wbr>"
    return ""
