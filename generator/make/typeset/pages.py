"""pages: what the page-level rules measure in a laid-out output — how full each page's body is,
which elements each page holds, and a selector naming one element for a repair's CSS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

#: WeasyPrint's laid-out document and boxes: untyped.
Document = Any
Box = Any

#: `break-before` values that start a page whatever fits before them (a designed page start).
FORCED_BREAKS = ("page", "left", "right", "recto", "verso")

Parents = dict[Element, Element]


@dataclass(frozen=True, slots=True)
class PageFill:
    """One page's body: where it starts, where its text may end (the top of the notes, or the
    body's foot), and where its content ends (CSS px from the page's top)."""

    number: int  # 1-based
    top: float
    limit: float  # the foot of the text: the footnote area's top, or the body's foot
    bottom: float  # the foot of the last line, image or box drawn on it
    height: float  # the body's height (text and notes)
    notes: bool  # it has notes at its foot

    @property
    def empty(self) -> float:
        """The share of the body left empty at the foot of the text, 0–1."""
        return max(0.0, self.limit - self.bottom) / self.height if self.height else 0.0


def _boxes() -> Any:
    from weasyprint.formatting_structure import boxes  # noqa: PLC0415  # deferred: see generator/__init__.py

    return boxes


def content_boxes(page: Any) -> list[Box]:
    """The lines and images of a page's body, in document order (not its notes, nor the
    running heads)."""
    boxes = _boxes()
    return [b for b in page._page_box.children[0].descendants()
            if isinstance(b, boxes.LineBox | boxes.ReplacedBox)]


def content_boxes_of(box: Box) -> list[Box]:
    """The lines and images inside a box (a column), in document order."""
    boxes = _boxes()
    return [b for b in box.descendants() if isinstance(b, boxes.LineBox | boxes.ReplacedBox)]


def printed_boxes(page: Any) -> list[Box]:
    """The texts (not spaces) and images of a page's body."""
    boxes = _boxes()
    return [b for b in page._page_box.children[0].descendants()
            if isinstance(b, boxes.ReplacedBox)
            or (isinstance(b, boxes.TextBox) and b.text.strip())]


def fills(document: Document) -> list[PageFill]:
    boxes = _boxes()
    found = []
    for number, page in enumerate(document.pages, 1):
        page_box = page._page_box
        top = float(page_box.content_box_y())
        foot = top + float(page_box.height)
        notes = [a for a in page_box.children
                 if isinstance(a, boxes.FootnoteAreaBox) and a.children]
        limit = min(foot, float(notes[0].position_y)) if notes else foot
        drawn = [b for b in page_box.children[0].descendants() if isinstance(b, boxes.Box)
                 and (isinstance(b, boxes.LineBox | boxes.ReplacedBox) or painted(b))]
        bottom = max((float(b.position_y + b.margin_height()) - _margin_bottom(b)
                      for b in drawn), default=top)
        found.append(PageFill(number, top, limit, min(bottom, limit), float(page_box.height),
                              bool(notes)))
    return found


def painted(box: Box) -> bool:
    """A block drawn beyond its lines: a background or a bottom border (a box of key messages)."""
    style = box.style
    if box.element is None or box.element.tag in ("html", "body"):
        return False
    background = style["background_color"]
    return bool(style["border_bottom_width"]) or (background is not None
                                                   and getattr(background, "alpha", 0) > 0)


def _margin_bottom(box: Box) -> float:
    return float(getattr(box, "margin_bottom", 0) or 0)


def parents_of(root: Element) -> Parents:
    return {child: parent for parent in root.iter() for child in parent}


def root_element(document: Document) -> Element:
    element: Element = document.pages[0]._page_box.children[0].element
    return element


def element_pages(document: Document) -> dict[Element, tuple[int, int]]:
    """The first and last page (1-based) each element of the body has a box on."""
    boxes = _boxes()
    found: dict[Element, tuple[int, int]] = {}
    for number, page in enumerate(document.pages, 1):
        for box in page._page_box.children[0].descendants():
            if isinstance(box, boxes.Box) and box.element is not None:
                first = found.get(box.element, (number, number))[0]
                found[box.element] = (first, number)
    return found


def has_class(element: Element | None, name: str) -> bool:
    return element is not None and name in (element.get("class") or "").split()


def within(element: Element | None, parents: Parents, name: str) -> Element | None:
    """The element, or its nearest ancestor, of class `name`."""
    while element is not None:
        if has_class(element, name):
            return element
        element = parents.get(element)
    return None


def forced_start(page: Any) -> bool:
    """The page starts where the design starts a page: its first box, or one of that box's
    ancestors, breaks before it (`break-before: page`), or uses another named page."""
    boxes = _boxes()
    box = page._page_box.children[0]
    while box is not None:
        if box.style["break_before"] in FORCED_BREAKS:
            return True
        children = [c for c in getattr(box, "children", ()) if isinstance(c, boxes.Box)]
        box = children[0] if children else None
    return False


HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def opening_section(block: Element, parents: Parents) -> Element:
    """The block, or the outermost section it opens (only headings before it), so that moving it
    to a new page takes its headings along."""
    while block in parents:
        parent = parents[block]
        siblings = list(parent)
        if parent.tag != "section" or any(el.tag not in HEADINGS
                                          for el in siblings[:siblings.index(block)]):
            break
        block = parent
    return block


def selector(element: Element, parents: Parents) -> str:
    """A CSS selector matching exactly this element: its id, or its path of :nth-child()."""
    if element.get("id"):
        return f'[id="{element.get("id")}"]'
    steps = []
    while element in parents:
        parent = parents[element]
        steps.append(f"{element.tag}:nth-child({list(parent).index(element) + 1})")
        element = parent
    return " > ".join([element.tag, *steps[::-1]])


def first_words(element: Element, count: int = 4) -> tuple[str, ...]:
    """The first words of an element's text, fewer and fewer: what a report looks for in the
    brief's files to name the line that prints the element (`Defect.find`)."""
    words = "".join(element.itertext()).split()
    return tuple(" ".join(words[:n]) for n in range(min(count, len(words)), 1, -1))


def text_of(element: Element, limit: int = 40) -> str:
    """The start of an element's text, for a message."""
    text = " ".join("".join(element.itertext()).split())
    return text if len(text) <= limit else text[:limit].rstrip() + "…"
