"""weasy_patches: a faster, byte-for-byte equivalent WeasyPrint footnote-area update (issue 23).

Written against WeasyPrint 70.0 (`weasyprint.layout.LayoutContext._update_footnote_area`);
tests/test_weasy_patches.py guards it: the patch is installed by a render, changes no page, no
footnote's page and no PDF byte, and is left out on any other WeasyPrint (its version, or the
patched function's source, differs from the ones it was written against).

Why: every time a footnote is added to a page, taken off it or reported to the next page,
WeasyPrint copies the page's whole footnote area and lays it out again, only to learn its height.
That was 30 % of a full brief's layout CPU and 35 % of an MEP brief's (two balanced columns lay
the same lines out many times), and within one layout the same area with the same notes recurs:
172 updates, 68 different, for the MEP brief.

What: the same function, except that the laid-out area's `height`, `margin_height()` and
overflow are remembered per layout (on the `LayoutContext`, so nothing outlives it), by what
they depend on: the area box, its footnote boxes, `in_column`, whether the page is not the
first (`current_page > 1`), `forced_break` (both decide whether a note's top margin is kept),
and the floats the notes' lines must avoid (position and size of each excluded shape, and the
floats broken across the page, which `clear` reads). The memo keeps the boxes it is keyed by,
so that no key's id can be reused by another box. A result is remembered only when laying the
area out changed nothing else on the context (the excluded shapes, the floats broken out of
flow, running elements, named strings, the footnote lists, the table cache, the page-maker
states) and when no note holds anything whose layout can touch the context or read the page's
state: a float, an absolutely positioned or running element, a footnote call, a table, columns,
a flex or grid container. Such areas are laid out every time, as before.
"""

from __future__ import annotations

import hashlib
import inspect
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

#: The WeasyPrint this is written against.
WEASYPRINT_VERSION = "70.0"
#: sha256 of WeasyPrint 70.0's `LayoutContext._update_footnote_area` source (with its indent):
#: a patched or rebuilt 70.0 whose function differs gets no patch either.
PATCHED_SOURCE_SHA256 = "2e317e4b066fb80cb369a41cd6f054a127722f9961c18ef4d6e1eef93673c4c1"

_MEMO_ATTRIBUTE = "_brief_footnote_area_memo"

#: The LayoutContext class patched and its original method, while the patch is installed.
_installed: dict[str, Any] = {}


@dataclass(frozen=True, slots=True)
class FootnoteAreaMemo:
    """One layout's remembered footnote areas, and what was counted (for benchmarks)."""

    results: dict[tuple[Any, ...], tuple[float, float, bool]] = field(default_factory=dict)
    kept: list[Any] = field(default_factory=list)  # boxes keyed by id: their ids stay unique
    plain: dict[int, bool] = field(default_factory=dict)  # id(footnote box) → memoizable
    counts: dict[str, int] = field(
        default_factory=lambda: {"hits": 0, "misses": 0, "unsafe": 0})


def _source_hash(function: Any) -> str | None:
    """sha256 of a function's source, or None when the source cannot be read."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return None
    return hashlib.sha256(source.encode()).hexdigest()


def install(weasyprint: ModuleType) -> bool:
    """Replace `LayoutContext._update_footnote_area` by its memoizing equivalent, once.

    `weasyprint` is the imported package (the caller imports it after fonts are isolated, see
    generator/__init__.py). Returns whether the patch is in place; on another WeasyPrint than
    the one it was written against nothing is changed."""
    layout = weasyprint.layout
    context_class = layout.LayoutContext
    if _installed.get("class") is context_class:
        return True
    original = context_class.__dict__.get("_update_footnote_area")
    if (getattr(weasyprint, "__version__", None) != WEASYPRINT_VERSION
            or original is None or _source_hash(original) != PATCHED_SOURCE_SHA256):
        return False
    _installed.update({"class": context_class, "original": original})
    context_class._update_footnote_area = _update_footnote_area_function(layout)
    return True


def uninstall() -> None:
    """Put WeasyPrint's own method back (for tests that compare with and without)."""
    context_class = _installed.pop("class", None)
    original = _installed.pop("original", None)
    if context_class is not None:
        context_class._update_footnote_area = original


def installed(weasyprint: ModuleType) -> bool:
    """Whether `weasyprint`'s footnote-area update is this module's."""
    return _installed.get("class") is weasyprint.layout.LayoutContext


def memo(context: Any) -> FootnoteAreaMemo | None:
    """The memo of one layout (a `LayoutContext`), if the patch made one."""
    found: FootnoteAreaMemo | None = getattr(context, _MEMO_ATTRIBUTE, None)
    return found


def _update_footnote_area_function(layout: ModuleType) -> Any:
    """The replacement, closed over WeasyPrint's layout module (its `build`,
    `block_level_layout`, `boxes` and `inf`, as the original reads them)."""
    build, block_level_layout, boxes, inf = (
        layout.build, layout.block_level_layout, layout.boxes, layout.inf)
    unsafe_classes = (boxes.TableBox, boxes.FlexContainerBox, boxes.GridContainerBox)

    def plain(footnote: Any) -> bool:
        """Whether laying out this note can neither touch the context nor read more of it than
        the memo's key holds."""
        for box in footnote.descendants(placeholders=True):
            if not isinstance(box, boxes.Box):
                return False
            style = box.style
            if (box.is_floated() or box.is_absolutely_positioned() or box.is_running()
                    or box.is_note() or (box is not footnote and box.is_footnote())
                    or box.footnote is not None or isinstance(box, unsafe_classes)
                    or box.is_table_wrapper or box.is_column
                    or style["column_width"] != "auto" or style["column_count"] != "auto"):
                return False
        return True

    def update_footnote_area(self: Any) -> bool:
        """Update the page bottom size and our footnote area height."""
        area = self.current_footnote_area
        if area.height != "auto" and not self.in_column:
            self.page_bottom += area.margin_height()
        area.children = self.current_page_footnotes
        if area.children:
            found = getattr(self, _MEMO_ATTRIBUTE, None)
            if found is None:
                found = FootnoteAreaMemo()
                setattr(self, _MEMO_ATTRIBUTE, found)
            key = _key(self, found, plain)
            result = found.results.get(key) if key is not None else None
            if result is None:
                alive: list[Any] = []  # what the snapshots name by id stays alive meanwhile
                before = _state(self, alive) if key is not None else None
                footnote_area = build.create_anonymous_boxes(area.deepcopy())
                footnote_area = block_level_layout(self, footnote_area, -inf, None, area.page)[0]
                height = footnote_area.height
                margin_height = footnote_area.margin_height()
                last_child = footnote_area.children[-1]
                last_child_bottom = (
                    last_child.position_y + last_child.margin_height()
                    - last_child.margin_bottom)
                footnote_area_bottom = (
                    footnote_area.position_y + footnote_area.margin_height()
                    - footnote_area.margin_bottom)
                overflow = last_child_bottom > footnote_area_bottom
                if key is None or before != _state(self, alive):
                    found.counts["unsafe"] += 1
                else:
                    found.counts["misses"] += 1
                    found.results[key] = (height, margin_height, overflow)
                    found.kept.append((area, tuple(area.children)))
            else:
                found.counts["hits"] += 1
                height, margin_height, overflow = result
            area.height = height
            if not self.in_column:
                self.page_bottom -= margin_height
            return bool(overflow)
        area.height = 0
        if not self.in_column:
            self.page_bottom -= area.margin_height()
        return False

    return update_footnote_area


def _key(context: Any, found: FootnoteAreaMemo, plain: Any) -> tuple[Any, ...] | None:
    """What the laid-out area depends on, or None when it may depend on more (see the module's
    docstring). The shapes are kept by the caller with the key's state snapshot."""
    notes = context.current_page_footnotes
    for note in notes:
        known = found.plain.get(id(note))
        if known is None:
            known = found.plain[id(note)] = plain(note)
            found.kept.append(note)
        if not known:
            return None
    shapes = context.excluded_shapes
    broken = [box for box in context.broken_out_of_flow if box.is_floated()]
    found.kept.append((list(shapes), broken))
    return (
        id(context.current_footnote_area), tuple(id(note) for note in notes),
        context.in_column, context.current_page > 1, context.forced_break,
        tuple((id(shape), shape.style["float"], shape.position_x, shape.position_y,
               shape.width, shape.height, shape.margin_width(), shape.margin_height())
              for shape in shapes),
        tuple((id(box), box.style["float"]) for box in broken))


def _ids(items: Any, alive: list[Any]) -> tuple[int, ...] | None:
    """The ids of a list and of its items (None stays None); `alive` keeps them referenced."""
    if items is None:
        return None
    alive.append(items)
    alive.extend(items)
    return (id(items), *map(id, items))


def _state(context: Any, alive: list[Any]) -> tuple[Any, ...]:
    """What laying out a footnote area could change on the context, as ids and values; the
    objects it names by id are appended to `alive`, so that no id is reused while compared."""
    broken = context.broken_out_of_flow
    alive.extend((broken, *broken.items(), context.tables, *context.tables,
                  context.current_footnote_area, *context._excluded_shapes))
    return (
        _ids(context._excluded_shapes_root_boxes, alive),
        tuple((id(root), _ids(shapes, alive))
              for root, shapes in context._excluded_shapes.items()),
        id(broken), tuple((id(box), id(value)) for box, value in broken.items()),
        tuple((name, tuple((page, _ids(elements, alive)) for page, elements in pages.items()))
              for name, pages in context.running_elements.items()),
        tuple((name, tuple((page, tuple(strings)) for page, strings in pages.items()))
              for name, pages in context.string_set.items()),
        _ids(context.footnotes, alive), _ids(context.current_page_footnotes, alive),
        _ids(context.reported_footnotes, alive), _ids(context.rendered_notes, alive),
        id(context.tables), tuple(map(id, context.tables)),
        _ids(context.page_maker, alive),
        context.in_column, context.forced_break, context.current_page, context.page_bottom,
        id(context.current_footnote_area))
