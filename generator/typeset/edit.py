"""edit: a draft's HTML changed at the text of given elements, for a repair's new layout.

A repair names an element of the laid-out tree (a paragraph, a link) and a pattern of its text
("protection" as a whole word); `edit` finds the same occurrences in the draft's HTML (the tree
and the HTML hold the same text in the same order: occurrences before the element, then within
it) and replaces each. Occurrences split by markup ("protec<em>tion</em>") are not found and so
left as they are; the layout after such a repair is then no better, and not kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
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
    spans = _text_spans(html)
    changes: dict[int, tuple[int, str]] = {}  # start in the HTML → (end, replacement)
    for target in targets:
        before, within = _counts(root, target.element, target.pattern)
        found = 0
        for start, end in spans:
            for match in target.pattern.finditer(html, start, end):
                if before <= found < before + within and match.start() not in changes \
                        and not html.endswith(_KEEP_OPEN, 0, match.start()):
                    changes[match.start()] = (match.end(), target.replace(match[0]))
                found += 1
                if found >= before + within:
                    break
            if found >= before + within:
                break
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


def _counts(root: Element, element: Element, pattern: re.Pattern[str]) -> tuple[int, int]:
    """How many matches of `pattern` the tree's text has before `element`, and within it."""
    before = within = 0
    inside = False
    for event, text in _walk(root, element):
        if event == "enter":
            inside = True
        elif event == "leave":
            return before, within
        elif inside:
            within += len(pattern.findall(text))
        else:
            before += len(pattern.findall(text))
    return before, within


def _walk(element: Element, target: Element) -> Iterator[tuple[str, str]]:
    """The tree's text in document order, with "enter"/"leave" around `target`'s."""
    if element is target:
        yield "enter", ""
    if isinstance(element.tag, str) and element.text:
        yield "text", element.text
    for child in element:
        yield from _walk(child, target)
        if child.tail:
            yield "text", child.tail
    if element is target:
        yield "leave", ""
