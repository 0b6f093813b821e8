"""holes: no page left more than `HOLE` empty at its foot while the next block could have started
on it.

A heading needs only the first two lines of what follows it kept with it (a lead-in, leadin.py,
the same; a table its header and first row), a paragraph two lines on each page (orphans and
widows), a note the page of its call; a block the design keeps whole (`break-inside: avoid`: a
quote, a short list) may start at a page foot and go on over the page when it would otherwise
leave a hole. `find` measures, on the page after the hole, the least that must move up for the
next block to start there (its headings, two lines, their notes); when that fits the hole, it is
a defect. The repair lets the blocks kept whole there break (their CSS, `break-inside: auto`,
for those elements only). The closing blocks (contact, colophon) are never broken: fit.py keeps
them company. A figure that does not fit at a page foot is moved after the next paragraph before
this rule sees the layout (pdf._lay_out_figures).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any
from xml.etree.ElementTree import Element

from . import Defect, Draft, Laid
from .leadin import LEAD_IN_CLASS
from .pages import (
    PageFill,
    Parents,
    content_boxes,
    element_pages,
    fills,
    forced_start,
    has_class,
    parents_of,
    root_element,
    selector,
    text_of,
    within,
)

NAME = "hole"

#: A page whose text ends with more than this share of its body empty has a hole (when the next
#: block could have started on it).
HOLE = 0.15
#: Lines of a block kept together at a page's foot or head (orphans and widows).
KEPT_LINES = 2
#: `break-inside` values that keep a block whole.
KEEPS = ("avoid", "avoid-page")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: Classes of the closing blocks, never broken over a page (fit.py keeps them off a page alone).
WHOLE = ("contact", "colophon")
#: Blocks the design keeps whole that a hole may break: not figures (moved instead), nor boxes of
#: key messages, tables' rows, or the closing blocks.
BREAKABLE = ("blockquote", "ul", "ol", "li", "p", "section", "div", "aside", "dl")


def find(laid: Laid) -> list[Defect]:
    document = laid.document
    page_fills = fills(document)
    parents = parents_of(root_element(document))
    spans = element_pages(document)
    found = []
    for fill, following in zip(page_fills, document.pages[1:], strict=False):
        if fill.empty <= HOLE or forced_start(following):
            continue
        start = _start(following, parents, partial(_goes_on, spans, fill.number + 1))
        if start is None:
            continue
        element, height, notes = start
        if notes:
            height += notes + _notes_chrome(fill, following)
        if height <= fill.limit - fill.bottom:
            found.append(Defect(NAME, fill.number, text_of(element),
                                f"the page ends with {fill.empty:.0%} of it empty, though "
                                f"‘{text_of(element)}’ could have started on it"))
    return found


def repair(laid: Laid, defects: Sequence[Defect]) -> Draft | None:
    """Let the blocks kept whole at the top of each page after a hole break."""
    document = laid.document
    parents = parents_of(root_element(document))
    draft = laid.draft
    for defect in defects:
        if defect.page >= len(document.pages):
            continue
        lines = content_boxes(document.pages[defect.page])
        if not lines or lines[0].element is None:
            continue
        element: Element | None = lines[0].element
        while element is not None and element.tag not in ("body", "main"):
            hint = f"{selector(element, parents)} {{ break-inside: auto; }}"
            if element.tag in BREAKABLE and _kept_whole(document, element) \
                    and hint not in draft.css:
                draft = draft.with_css(hint)
            element = parents.get(element)
    return None if draft == laid.draft else draft


def _kept_whole(document: Any, element: Element) -> bool:
    for page in document.pages:
        for box in page._page_box.children[0].descendants():
            if getattr(box, "element", None) is element and hasattr(box, "style"):
                return box.style["break_inside"] in KEEPS
    return False


def _start(page: Any, parents: Parents, continues: Callable[[Element], bool]
           ) -> tuple[Element, float, float] | None:
    """What must move up for the next block to start on the page before `page`: the element it
    starts with, the height of its headings and first lines, and of their notes."""
    boxes = _boxes()
    lines = content_boxes(page)
    if not lines:
        return None
    top = float(page._page_box.content_box_y())
    first = lines[0]
    block = _block(first, parents)
    if block is None or any(within(block, parents, name) for name in WHOLE):
        return None  # a small block the design keeps whole: it moved because it did not fit
    needed: list[Any] = []
    index = 0
    while index < len(lines) and _kept_with_next(lines[index], parents):
        needed.append(lines[index])
        index += 1
    if index < len(lines):
        if isinstance(lines[index], boxes.ReplacedBox):
            return None  # a figure: moved by pdf._lay_out_figures, whole or not at all
        element = lines[index].element
        rows = _first_rows(lines[index:], parents)
        own = [line for line in lines[index:] if line.element is element]
        if rows:
            needed.extend(rows)  # a table: its header and first row
        elif len(own) < 2 * KEPT_LINES and not continues(element):
            needed.extend(own)  # too short to break: whole
        else:
            needed.extend(own[:KEPT_LINES])
    if not needed:
        return None
    bottom = max(float(line.position_y + line.margin_height()) for line in needed)
    height = bottom - top + _margin_top(page, block)
    return block, height, _notes_height(page, needed)


def _block(line: Any, parents: Parents) -> Element | None:
    element: Element | None = line.element
    return element


def _kept_with_next(line: Any, parents: Parents) -> bool:
    """A line of a heading, or of a lead-in (leadin.py): kept with what follows."""
    element: Element | None = line.element
    while element is not None:
        if element.tag in HEADINGS or has_class(element, LEAD_IN_CLASS):
            return True
        element = parents.get(element)
    return False


def _first_rows(lines: list[Any], parents: Parents) -> list[Any]:
    """When `lines` start in a table: the lines of its first two rows (the header and the first
    row of the body), else none."""
    rows: list[Element] = []
    found = []
    for line in lines:
        row = line.element
        while row is not None and row.tag != "tr":
            row = parents.get(row)
        if row is None:
            break
        if row not in rows:
            if len(rows) == KEPT_LINES:
                break
            rows.append(row)
        found.append(line)
    return found


def _goes_on(spans: dict[Element, tuple[int, int]], page: int, element: Element) -> bool:
    """The element goes on past `page`."""
    return spans.get(element, (page, page))[1] > page


def _margin_top(page: Any, element: Element) -> float:
    """The space the design puts before the page's first block (dropped at a page's head, kept
    at a page's foot): the largest top margin of its first boxes."""
    boxes = _boxes()
    largest = 0.0
    box = page._page_box.children[0]
    while box is not None:
        style = getattr(box, "style", None)
        if style is not None and box.element is not None and box.element.tag not in (
                "html", "body"):
            margin = style["margin_top"]
            if getattr(margin, "unit", None) == "px":
                largest = max(largest, float(margin.value))
            elif getattr(margin, "unit", None) == "em":
                largest = max(largest, float(margin.value) * float(style["font_size"]))
        children = [c for c in getattr(box, "children", ()) if isinstance(c, boxes.Box)]
        box = children[0] if children and not isinstance(box, boxes.LineBox) else None
    return largest


def _notes_height(page: Any, lines: list[Any]) -> float:
    """The height of the notes called from `lines`, as set on `page`."""
    boxes = _boxes()
    called = set()
    for line in lines:
        for box in line.descendants():
            if getattr(box, "footnote", None) is not None and box.element is not None:
                called.add(box.element.get("data-fn"))
    total = 0.0
    for area in page._page_box.children:
        if isinstance(area, boxes.FootnoteAreaBox):
            for note in area.children:
                if note.element is not None and note.element.get("data-fn") in called:
                    total += float(note.margin_height())
    return total


def _notes_chrome(fill: PageFill, following: Any) -> float:
    """The rule and space above the notes: needed on a page that has none yet, when the lines
    that would move up call notes (counted once, with the notes' own height)."""
    if fill.notes:
        return 0.0
    boxes = _boxes()
    for area in following._page_box.children:
        if isinstance(area, boxes.FootnoteAreaBox) and area.children:
            inner = sum(float(child.margin_height()) for child in area.children)
            return max(0.0, float(area.margin_height()) - inner)
    return 0.0


def _boxes() -> Any:
    from weasyprint.formatting_structure import boxes  # noqa: PLC0415  # deferred: see generator/__init__.py

    return boxes
