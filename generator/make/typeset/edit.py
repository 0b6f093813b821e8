"""edit: a draft's HTML changed at the text of given elements, for a repair's new layout.

A repair names an element of the laid-out tree (a paragraph, a link) and a pattern of its text
("protection" as a whole word); `edit` finds the same occurrences in the draft's HTML (the tree
and the HTML hold the same text in the same order: occurrences before the element, then within
it) and replaces each. Occurrences split by markup ("protec<em>tion</em>") are not found and so
left as they are; the layout after such a repair is then no better, and not kept.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from . import Draft

#: The class of a word kept whole by a repair, and its rule (laid out after the stylesheets).
KEEP_CLASS = "brief-keep-whole"
KEEP_CSS = f".{KEEP_CLASS} {{ hyphens: manual; }}"
_KEEP_OPEN = f'<span class="{KEEP_CLASS}">'

#: Markup in HTML: comments, and tags (quoted attribute values may hold `>`).
_MARKUP_RE = re.compile(r"<!--.*?-->|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.DOTALL)


@dataclass(frozen=True, slots=True, eq=False)
class Target:
    """What to change: the matches of `pattern` in the text of `element`, each by `replace`."""

    element: Element
    pattern: re.Pattern[str]
    replace: Callable[[str], str]


def word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")


def keep_whole(element: Element, word: str) -> Target:
    """Keep `word` whole (unhyphenated) wherever `element`'s text has it."""
    return Target(element, word_pattern(word), lambda found: f"{_KEEP_OPEN}{found}</span>")


def edit(draft: Draft, root: Element | None, targets: Sequence[Target],
         css: str = "") -> Draft | None:
    """The draft with every target's occurrences replaced (and `css` added once), or None when
    none was found."""
    if root is None or not targets:
        return None
    html = draft.html
    text, ranges = _tree_text(root, {id(t.element) for t in targets})
    spans = _text_spans(html)
    starts = [start for start, _ in spans]
    changes: dict[int, tuple[int, str]] = {}  # start in the HTML → (end, replacement)
    in_tree: dict[re.Pattern[str], list[int]] = {}
    in_html: dict[re.Pattern[str], list[re.Match[str]]] = {}
    for target in targets:
        pattern = target.pattern
        if pattern not in in_tree:
            in_tree[pattern] = [m.start() for m in pattern.finditer(text)]
            in_html[pattern] = [m for m in pattern.finditer(html) if _in_text(m, spans, starts)]
        first, last = ranges.get(id(target.element), (0, 0))
        before = bisect.bisect_left(in_tree[pattern], first)
        within = bisect.bisect_left(in_tree[pattern], last) - before
        for match in in_html[pattern][before:before + within]:
            if match.start() not in changes and not html.endswith(_KEEP_OPEN, 0, match.start()):
                changes[match.start()] = (match.end(), target.replace(match[0]))
    if not changes:
        return None
    parts, position = [], 0
    for start in sorted(changes):
        end, replacement = changes[start]
        if start < position:
            continue
        parts += [html[position:start], replacement]
        position = end
    parts.append(html[position:])
    css_rules = draft.css if not css or css in draft.css else (*draft.css, css)
    return Draft("".join(parts), css_rules)


def _text_spans(html: str) -> list[tuple[int, int]]:
    """Where the HTML's text is (between its markup), in order."""
    spans, position = [], 0
    for markup in _MARKUP_RE.finditer(html):
        if markup.start() > position:
            spans.append((position, markup.start()))
        position = markup.end()
    if position < len(html):
        spans.append((position, len(html)))
    return spans


def _in_text(match: re.Match[str], spans: list[tuple[int, int]], starts: list[int]) -> bool:
    index = bisect.bisect_right(starts, match.start()) - 1
    return index >= 0 and spans[index][1] >= match.end()


#: Between two pieces of the tree's text, as markup is between them in the HTML: no word
#: runs across it.
_SEPARATOR = "\x00"


def _tree_text(root: Element, wanted: set[int]) -> tuple[str, dict[int, tuple[int, int]]]:
    """The tree's text in document order (pieces apart, as markup keeps them in the HTML), and
    where each wanted element's text starts and ends in it."""
    pieces: list[str] = []
    length = 0
    ranges: dict[int, tuple[int, int]] = {}
    stack: list[tuple[Element, bool]] = [(root, False)]
    while stack:
        element, done = stack.pop()
        if done:  # its text and its children's are in: its tail follows
            if id(element) in wanted:
                ranges[id(element)] = (ranges[id(element)][0], length)
            if element is not root and element.tail:
                pieces.append(_SEPARATOR + element.tail)
                length += len(pieces[-1])
            continue
        if id(element) in wanted:
            ranges[id(element)] = (length, length)
        if isinstance(element.tag, str) and element.text:  # not a comment's
            pieces.append(_SEPARATOR + element.text)
            length += len(pieces[-1])
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return "".join(pieces), ranges
