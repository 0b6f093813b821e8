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

In columns (a multi-column box: WeasyPrint marks its column boxes `is_column`) each column but
the last of its row on the page is measured the same way against the first block of the next
column (notes stay on the page: not counted); the repair is the same. A page holding only what
comes before a multi-column box, which moved whole to the next page, is a defect of its own
kind: WeasyPrint 70 cannot break a multi-column box before its last lines to keep it with a
block that avoids a break before it (the contact block, brief.css), so it moves the whole box.
`repairs` lets that block break away, then adds the audience's fit steps (the closing blocks
may be left alone on the next page), then starts that page with the columns' last block; the
box is set in one column only where no block after it avoids the break.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import pairwise
from typing import Any
from xml.etree.ElementTree import Element

from . import Defect, Draft, Laid, fit
from .leadin import LEAD_IN_CLASS
from .pages import (
    PageFill,
    Parents,
    content_boxes,
    content_boxes_of,
    element_pages,
    fills,
    first_words,
    forced_start,
    has_class,
    painted,
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
            moved = _columns_moved_whole(following, spans, fill.number)
            found.append(Defect(NAME, fill.number, text_of(element), (
                f"the page holds only what comes before the columns ({fill.empty:.0%} of it "
                f"empty): the columns moved whole to page {fill.number + 1}, though "
                f"‘{text_of(element)}’ could have started on this page") if moved is not None
                else (f"the page ends with {fill.empty:.0%} of it empty, though "
                      f"‘{text_of(element)}’ could have started on it"),
                first_words(element)))
    found.extend(defect for defect, _ in _column_holes(document, parents, spans))
    return found


def repair(laid: Laid, defects: Sequence[Defect]) -> Draft | None:
    return next(repairs(laid, defects), None)


def repairs(laid: Laid, defects: Sequence[Defect]) -> Iterator[Draft]:
    """First: let the blocks kept whole at the top of each page, or column, after a hole break.
    Then, where a page holds only what comes before a multi-column box that moved whole to the
    next page: let the blocks after that box break from it (`break-before: auto`: WeasyPrint
    70 keeps a multi-column box with a block that avoids a break before it by moving the whole
    box, not its last lines), alone, then with the audience's steps to fit (the closing
    blocks may be left alone on the next page), then with the columns' last block starting
    that page; when no block after it avoids that break, that box in one column."""
    document = laid.document
    parents = parents_of(root_element(document))
    spans = element_pages(document)
    starts = []
    for defect in defects:
        if defect.page < len(document.pages):
            lines = content_boxes(document.pages[defect.page])
            if lines:
                starts.append(lines[0])
    starts.extend(line for defect, line in _column_holes(document, parents, spans)
                  if defect in defects)
    draft = _let_break(laid.draft, document, parents, starts)
    if draft != laid.draft:
        yield draft
    moved = [box for defect in defects if defect.page < len(document.pages)
             and (box := _columns_moved_whole(document.pages[defect.page], spans,
                                              defect.page)) is not None]
    draft = laid.draft
    for box in moved:
        for after in _after(box.element, parents):
            hint = f"{selector(after, parents)} {{ break-before: auto; }}"
            if _style(document, after, "break_before") in KEEPS and hint not in draft.css:
                draft = draft.with_css(hint)
    if draft == laid.draft:
        if moved:
            yield _one_column(draft, moved, parents)
        return
    yield draft
    # the closing blocks may then stand alone on the next page: with the audience's steps to
    # fit (fit.py), or with the columns' last block starting that page to keep them company
    steps = fit.steps_css(laid)
    if steps:
        yield Draft(draft.html, (*draft.css, *steps))
    for box in moved:
        last = _last_block(box.element)
        if last is not None:
            draft = draft.with_css(f"{selector(last, parents)} {{ break-before: page; }}")
    yield draft


def _one_column(draft: Draft, moved: list[Any], parents: Parents) -> Draft:
    for box in moved:
        draft = draft.with_css(f"{selector(box.element, parents)} "
                               "{ column-count: auto; column-width: auto; }")
    return draft


def _last_block(element: Element) -> Element | None:
    """The last block of text in `element` (descending into its last sections)."""
    while len(element) and element[-1].tag in ("section", "div", "article"):
        element = element[-1]
    return element[-1] if len(element) else None


def _let_break(draft: Draft, document: Any, parents: Parents, starts: list[Any]) -> Draft:
    """`draft` with `break-inside: auto` for the blocks kept whole that hold each of the lines
    `starts`."""
    for line in starts:
        element: Element | None = line.element
        while element is not None and element.tag not in ("body", "main"):
            hint = f"{selector(element, parents)} {{ break-inside: auto; }}"
            if element.tag in BREAKABLE and _kept_whole(document, element) \
                    and hint not in draft.css:
                draft = draft.with_css(hint)
            element = parents.get(element)
    return draft


def _columns_moved_whole(page: Any, spans: dict[Element, tuple[int, int]], before: int
                         ) -> Any | None:
    """The multi-column box a page starts with, when it has no box on page `before` (it moved
    to this page whole), else None."""
    box = page._page_box.children[0]
    while box is not None:
        children = [c for c in getattr(box, "children", ()) if _is_block(c)]
        if any(getattr(child, "is_column", False) for child in children):
            element = box.element
            return box if element is not None and spans.get(element, (0, 0))[0] > before \
                else None
        box = children[0] if children else None
    return None


def _after(element: Element | None, parents: Parents) -> list[Element]:
    """The elements after `element` in the document, up to the body: its following siblings,
    and those of its ancestors."""
    found: list[Element] = []
    while element is not None and element in parents and element.tag != "body":
        parent = parents[element]
        siblings = list(parent)
        found.extend(siblings[siblings.index(element) + 1:])
        element = parent
    return found


def _style(document: Any, element: Element, name: str) -> Any:
    for page in document.pages:
        for box in page._page_box.children[0].descendants():
            if getattr(box, "element", None) is element and hasattr(box, "style"):
                return box.style[name]
    return None


def _is_block(box: Any) -> bool:
    boxes = _boxes()
    return isinstance(box, boxes.BlockBox)


def _column_holes(document: Any, parents: Parents, spans: dict[Element, tuple[int, int]]
                  ) -> list[tuple[Defect, Any]]:
    """Columns (not the last of their row on the page) whose foot is empty for more than `HOLE`
    of the page's text area while the next column's first block could have started there (its
    headings and two lines: notes stay on the page): each defect, with the first line of the
    next column."""
    found = []
    for number, page in enumerate(document.pages, 1):
        for row in column_rows(page):
            for index, (column, following) in enumerate(pairwise(row), 1):
                # empty at its foot, as a share of the page's text area (a short row of
                # columns, the balanced end of a text, is not a hole for a line or two)
                foot = float(column.position_y + column.height)
                area = float(page._page_box.height) or float(column.height)
                share = (foot - column_bottom(column)) / area if area else 0.0
                if share <= HOLE:
                    continue
                later = {box.element for other in row[index + 1:]
                         for box in other.descendants() if getattr(box, "element", None)
                         is not None}
                start = _column_start(following, parents, partial(
                    _continues, later, partial(_goes_on, spans, number)))
                if start is None:
                    continue
                element, height, line = start
                if height <= foot - column_bottom(column):
                    found.append((Defect(
                        NAME, number, text_of(element),
                        f"column {index} ends with {share:.0%} of it empty, though "
                        f"‘{text_of(element)}’ could have started in it",
                        first_words(element)), line))
    return found


def _continues(later: set[Element], goes_on: Callable[[Element], bool], element: Element
               ) -> bool:
    return element in later or goes_on(element)


def column_rows(page: Any) -> list[list[Any]]:
    """A page's columns, by row: the column boxes side by side of each multi-column box (a
    block spanning the columns starts a new row)."""
    rows: list[list[Any]] = []

    def walk(box: Any) -> None:
        row: list[Any] = []
        for child in getattr(box, "children", ()):
            if not _is_block(child):
                continue
            if getattr(child, "is_column", False):
                row.append(child)
                continue
            if row:
                rows.append(row)
                row = []
            walk(child)
        if row:
            rows.append(row)

    walk(page._page_box.children[0])
    return rows


def column_bottom(column: Any) -> float:
    """The foot of the last line, image or painted box in a column."""
    boxes = _boxes()
    drawn = [b for b in column.descendants() if isinstance(b, boxes.Box) and b is not column
             and (isinstance(b, boxes.LineBox | boxes.ReplacedBox) or painted(b))]
    return max((float(b.position_y + b.margin_height())
                - float(getattr(b, "margin_bottom", 0) or 0) for b in drawn),
               default=float(column.position_y))


def _column_start(column: Any, parents: Parents, continues: Callable[[Element], bool]
                  ) -> tuple[Element, float, Any] | None:
    """What must move up from the top of `column` for its first block to start in the column
    before: the element, its height (with the space before it), and the column's first line."""
    lines = content_boxes_of(column)
    needed = _needed(lines, parents, continues)
    if not needed:
        return None
    block = lines[0].element
    bottom = max(float(line.position_y + line.margin_height()) for line in needed)
    top = float(column.position_y)
    first = next((child for child in column.children if _is_block(child)), None)
    kept = first is not None and float(first.position_y) > top + 0.5  # its margin was kept
    height = bottom - top + (0.0 if kept else _margin_top(column, block))
    return block, height, lines[0]


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
    lines = content_boxes(page)
    needed = _needed(lines, parents, continues)
    if not needed:
        return None
    top = float(page._page_box.content_box_y())
    block = lines[0].element
    bottom = max(float(line.position_y + line.margin_height()) for line in needed)
    height = bottom - top + _margin_top(page._page_box.children[0], block)
    return block, height, _notes_height(page, needed)


def _needed(lines: list[Any], parents: Parents, continues: Callable[[Element], bool]
            ) -> list[Any]:
    """The first of `lines` that must move together for their block to start earlier: its
    headings (and lead-in), and two lines of what follows them (a table's header and first
    row; a short block whole); none when that block is a figure or a closing block."""
    boxes = _boxes()
    if not lines:
        return []
    block = _block(lines[0], parents)
    if block is None or any(within(block, parents, name) for name in WHOLE):
        return []  # a small block the design keeps whole: it moved because it did not fit
    needed: list[Any] = []
    index = 0
    while index < len(lines) and _kept_with_next(lines[index], parents):
        needed.append(lines[index])
        index += 1
    if index < len(lines):
        if isinstance(lines[index], boxes.ReplacedBox):
            return []  # a figure: moved by pdf._lay_out_figures, whole or not at all
        element = lines[index].element
        rows = _first_rows(lines[index:], parents)
        own = [line for line in lines[index:] if line.element is element]
        if rows:
            needed.extend(rows)  # a table: its header and first row
        elif len(own) < 2 * KEPT_LINES and not continues(element):
            needed.extend(own)  # too short to break: whole
        else:
            needed.extend(own[:KEPT_LINES])
    return needed


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


def _margin_top(box: Any, element: Element) -> float:
    """The space the design puts before the first block in `box` (a page's root, a column:
    dropped at a page's head, kept at a page's foot): the largest top margin of its first
    boxes."""
    boxes = _boxes()
    largest = 0.0
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
