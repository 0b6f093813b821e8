"""lines: a laid-out output's lines, in reading order, each with its page, column and block, and
whether WeasyPrint ended it with a hyphen of its own (the line-level rules read these).

WeasyPrint 70 marks a word it hyphenated (`hyphens: auto`, or at a soft hyphen) by appending the
element's `hyphenate-character` (U+2010 ‐ unless a stylesheet sets another) to the text of the
line's last text box; the rest of the word starts the block's next line. A hyphen the text has
itself ("and/or-", "proven-effective", even a typed U+2010) is also at the end of a box's text,
so a line counts as hyphenated only when its last word's stem and the next line's first letters
make one word of the block's own text (soft hyphens left out): "protec‐" + "tion" is
"protection" in the text, "Nord‐" + "Süd" is not "NordSüd".
"""

from __future__ import annotations

import contextlib
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from . import Document, Laid

#: A word's letters (and digits): what a hyphenated stem ends with and its tail starts with.
_TAIL_RE = re.compile(r"\w+$")
_HEAD_RE = re.compile(r"^\w+")
SOFT_HYPHEN = "\u00ad"


@dataclass(frozen=True, slots=True, eq=False)
class Line:
    """One line of text: where it is, its block, its text, and how it ends."""

    page: int  # 1-based
    flow: tuple[int, int]  # (page, column): lines in one flow follow each other on the page
    footnote: bool  # in the footnote area
    block: Element  # the block it is a line of (p, li, td, h2, a note's span)
    text: str  # as printed, with WeasyPrint's hyphen when it added one
    first: Element | None  # the element of its first text (a link, an <em>, the block itself)
    last: Element | None  # the element of its last text
    hyphen: str  # the block's hyphenate-character when the text ends with it, else ""
    hyphenated: bool = False  # ends with a hyphen WeasyPrint added (set by `lines`)
    word: str = ""  # with `hyphenated`: the word it broke ("protection")
    shown: str = ""  # with `hyphenated`: as printed, "protec-/tion"
    next_line: Line | None = None  # the block's next line (None: the block's last)

    @property
    def stem(self) -> str:
        return self.text[:len(self.text) - len(self.hyphen)] if self.hyphen else self.text


@dataclass(frozen=True, slots=True)
class Laidout:
    """The lines of one layout and the HTML tree they were laid out from."""

    lines: tuple[Line, ...]
    root: Element | None
    parents: dict[Element, Element]  # each element of the tree → its parent

    def ancestors(self, element: Element | None) -> Iterator[Element]:
        """The element and its ancestors, up to the root."""
        while element is not None:
            yield element
            element = self.parents.get(element)

    @property
    def language(self) -> str:
        return (self.root.get("lang") or "") if self.root is not None else ""


_CACHE: weakref.WeakKeyDictionary[Any, Laidout] = weakref.WeakKeyDictionary()


def read(laid: Laid) -> Laidout:
    """The lines of a layout (read once per layout: every line rule asks)."""
    document = laid.document
    try:
        return _CACHE[document]
    except (KeyError, TypeError):
        pass
    result = _read(document)
    with contextlib.suppress(TypeError):  # not weakly referable (a stand-in): not cached
        _CACHE[document] = result
    return result


def _read(document: Document) -> Laidout:
    from weasyprint.formatting_structure import boxes  # noqa: PLC0415  # deferred: see generator/__init__.py

    raw: list[Line] = []
    root = None
    for number, page in enumerate(document.pages, 1):
        for index, area in enumerate(page._page_box.children):
            if index == 0:
                root = area.element if root is None else root
            elif not isinstance(area, boxes.FootnoteAreaBox):
                continue  # margin boxes: running heads and folios
            raw.extend(_lines_of(area, number, isinstance(area, boxes.FootnoteAreaBox), boxes))
    lines = _linked(raw)
    parents = {child: parent for parent in root.iter() for child in parent} \
        if root is not None else {}
    return Laidout(tuple(lines), root, parents)


def _lines_of(area: Any, page: int, footnote: bool, boxes: Any) -> Iterator[Line]:
    """The lines of an area in reading order; each column (`columns`) a flow of its own."""
    stack: list[tuple[Any, int]] = [(area, 0)]
    columns = 0
    while stack:
        box, column = stack.pop()
        if isinstance(box, boxes.LineBox):
            tag = box.element_tag or ""
            if box.element is None or "::" in tag:  # a list marker, a note's marker
                continue
            texts = list(_texts(box, boxes))
            if not texts:
                continue
            text = "".join(t.text for t in texts)
            last = texts[-1]
            character = str(last.style["hyphenate_character"] or "")
            yield Line(page, (page, column), footnote, box.element, text, texts[0].element,
                       last.element,
                       character if character and text.endswith(character) else "")
            continue
        if getattr(box, "is_column", False):
            columns += 1
            column = columns
        if box.style["position"] in ("absolute", "fixed") and box is not area:
            continue  # placed (a draft mark): not in the flow
        stack.extend((child, column) for child in reversed(getattr(box, "children", ())))


def _texts(line: Any, boxes: Any) -> Iterator[Any]:
    """The text boxes of a line, in order, without those inside inline blocks (a marker)."""
    stack = list(reversed(line.children))
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.TextBox):
            if box.text:
                yield box
        elif isinstance(box, boxes.InlineBox):
            stack.extend(reversed(box.children))


def _source(block: Element) -> str:
    return "".join(block.itertext()).replace(SOFT_HYPHEN, "")


def _linked(raw: list[Line]) -> list[Line]:
    """The lines with each block's next line, and which end in a hyphen WeasyPrint added."""
    following: dict[int, int] = {}
    last_of: dict[int, int] = {}
    for index, line in enumerate(raw):
        key = id(line.block)
        if key in last_of:
            following[last_of[key]] = index
        last_of[key] = index
    done: list[Line | None] = [None] * len(raw)
    sources: dict[int, str] = {}
    for index in reversed(range(len(raw))):
        line = raw[index]
        after = following.get(index)
        next_line = done[after] if after is not None else None
        hyphenated, word, shown = False, "", ""
        if line.hyphen and next_line is not None:
            stem = _TAIL_RE.search(line.stem.replace(SOFT_HYPHEN, ""))
            head = _HEAD_RE.search(next_line.text.lstrip())
            if stem and head:
                source = sources.setdefault(id(line.block), _source(line.block))
                candidate = stem[0] + head[0]
                if candidate in source:
                    hyphenated, word = True, _whole(source, candidate)
                    shown = f"{stem[0]}-/{head[0]}"
        done[index] = Line(line.page, line.flow, line.footnote, line.block, line.text,
                           line.first, line.last, line.hyphen, hyphenated, word, shown, next_line)
    return [line for line in done if line is not None]


def _whole(source: str, part: str) -> str:
    """The whole word of the block's text that `part` (stem and tail's first letters) is in."""
    match = re.search(rf"\w*{re.escape(part)}\w*", source)
    return match[0] if match else part
