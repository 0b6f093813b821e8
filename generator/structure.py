"""structure: a PDF's links and table headers as WeasyPrint writes them → as readers need them.

- **One link, one annotation per page.** WeasyPrint writes a link annotation for every piece of
  text inside a link (a URL broken into 50 pieces becomes 50 links), and a screen reader announces
  each. In a tagged PDF the annotations of one `Link` structure element are merged per page into
  the first: its `/Rect` is the union of the pieces, its `/QuadPoints` one quadrilateral per piece
  in reading order (pieces without width dropped). The others leave the page's `/Annots`, the
  structure tree (their OBJRs, also those nested in the elements WeasyPrint writes under the
  `Link`; elements left empty go too) and the `/ParentTree` (their `/StructParent` keys). The
  Link keeps exactly one OBJR per page, as its own child. In an untagged PDF (PDF/X) annotations
  next to each other on a page that lead to the same place are merged the same way.
- **Table header cells with a scope.** A `TH` gets `/Scope /Column` in its Table attributes,
  or `/Row` when it starts a body row that also holds data cells, so that a screen reader can tie
  a data cell to its headers.
- **Links that may not be in a PDF** (`link_targets`): what every link leads to, so that the
  caller can refuse anything but http, https, mailto and places inside the document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pikepdf

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points, x0 <= x1 and y0 <= y1

#: Schemes a link in a PDF may use (anything else fails the output; see pdf.py).
ALLOWED_SCHEMES = ("http", "https", "mailto")


def repair(doc: pikepdf.Pdf) -> None:
    """Merge link annotations and give table headers their scope (see the module docstring)."""
    tree = doc.Root.get("/StructTreeRoot")
    if isinstance(tree, pikepdf.Dictionary):
        _merge_tagged_links(doc, tree)
        _scope_table_headers(tree)
    else:
        _merge_adjacent_links(doc)


# ---------------------------------------------------------------------------------------------
# Links


def link_targets(doc: pikepdf.Pdf) -> Iterator[tuple[int, str]]:
    """(page number, URI) of every URI link annotation, in page order (1-based pages)."""
    for number, page in enumerate(doc.pages, 1):
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            if isinstance(action, pikepdf.Dictionary) and action.get("/S") == "/URI":
                yield number, str(action.get("/URI", ""))
            elif isinstance(action, pikepdf.Dictionary) and action.get("/S") not in (
                    "/GoTo", None):
                yield number, f"({action.get('/S')} action)"


def _target(annot: Any) -> str:
    """Where a link annotation leads, as text (its URI, or its destination in the document)."""
    action = annot.get("/A")
    if isinstance(action, pikepdf.Dictionary):
        return repr(action.get("/URI") or action.get("/D") or action.get("/S"))
    return repr(annot.get("/Dest"))


def _rect(annot: Any) -> Box:
    x0, y0, x1, y1 = (float(v) for v in annot.Rect)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _merge_into(keep: Any, pieces: list[Any]) -> None:
    """Give `keep` the area of all `pieces` (itself among them): the union as /Rect and one
    quadrilateral per piece with width, in the order given."""
    boxes = [_rect(a) for a in pieces]
    wide = [b for b in boxes if b[2] - b[0] > 0 and b[3] - b[1] > 0] or boxes[:1]
    keep.Rect = pikepdf.Array([min(b[0] for b in wide), min(b[1] for b in wide),
                               max(b[2] for b in wide), max(b[3] for b in wide)])
    # Each quadrilateral as Acrobat writes them: upper left, upper right, lower left, lower right.
    keep.QuadPoints = pikepdf.Array([v for x0, y0, x1, y1 in wide
                                     for v in (x0, y1, x1, y1, x0, y0, x1, y0)])


def _merge_adjacent_links(doc: pikepdf.Pdf) -> None:
    """Untagged: merge runs of link annotations on a page that lead to the same place."""
    for page in doc.pages:
        annots = page.get("/Annots")
        if not isinstance(annots, pikepdf.Array):
            continue
        kept: list[Any] = []
        run: list[Any] = []
        for annot in [*annots, None]:
            is_link = annot is not None and annot.get("/Subtype") == "/Link"
            if run and (not is_link or _target(annot) != _target(run[0])):
                if len(run) > 1:
                    _merge_into(run[0], run)
                kept.append(run[0])
                run = []
            if is_link:
                run.append(annot)
            elif annot is not None:
                kept.append(annot)
        if len(kept) != len(annots):
            page.Annots = pikepdf.Array(kept)


def kids(element: Any) -> list[Any]:
    """A structure element's /K as a list (it may be one kid or an array, or missing)."""
    value = element.get("/K")
    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def is_objr(kid: Any) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"


def is_element(kid: Any) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and "/S" in kid


def elements(tree: Any) -> Iterator[Any]:
    """Every structure element, depth first."""
    stack = list(reversed(kids(tree)))
    while stack:
        element = stack.pop()
        if is_element(element):
            yield element
            stack.extend(reversed(kids(element)))


def _objrs(element: Any) -> Iterator[Any]:
    """The OBJRs under an element, in reading order, not entering a nested Link."""
    for kid in kids(element):
        if is_objr(kid):
            yield kid
        elif is_element(kid) and kid.get("/S") != "/Link":
            yield from _objrs(kid)


def _annot_id(objr: Any) -> tuple[int, int]:
    """The annotation an OBJR refers to, by its object number (OBJRs may be direct objects)."""
    annot = objr.get("/Obj")
    return annot.objgen if annot is not None else (0, 0)


@dataclass
class _LinkPlan:
    """What to do to one Link element's OBJRs, by the annotation they refer to: those of the
    annotations kept (one per page) move up to the Link, the others go."""

    keep: dict[tuple[int, int], Any] = field(default_factory=dict)  # annotation → its OBJR
    drop: set[tuple[int, int]] = field(default_factory=set)  # annotations (kept ones too)


def _merge_tagged_links(doc: pikepdf.Pdf, tree: Any) -> None:
    page_of: dict[tuple[int, int], int] = {}  # annotation → index of the page it is on
    for index, page in enumerate(doc.pages):
        for annot in page.get("/Annots", []):
            page_of[annot.objgen] = index
    parent_tree = pikepdf.NumberTree(tree.ParentTree) if "/ParentTree" in tree else None
    _join_split_links(tree, parent_tree)
    dropped: set[tuple[int, int]] = set()  # annotations
    for link in [e for e in elements(tree) if e.get("/S") == "/Link"]:
        dropped |= _merge_link(doc, link, page_of, parent_tree)
    if dropped:
        for page in doc.pages:
            page_annots = page.get("/Annots")
            if isinstance(page_annots, pikepdf.Array):
                page.Annots = pikepdf.Array([a for a in page_annots
                                             if a.objgen not in dropped])


def _merge_link(doc: pikepdf.Pdf, link: Any, page_of: dict[tuple[int, int], int],
                parent_tree: pikepdf.NumberTree | None) -> set[tuple[int, int]]:
    """Merge one Link element's annotations into one per page; the annotations dropped."""
    by_page: dict[int, list[Any]] = {}
    for objr in _objrs(link):
        if _annot_id(objr) in page_of:
            by_page.setdefault(page_of[_annot_id(objr)], []).append(objr)
    plan = _LinkPlan()
    dropped: set[tuple[int, int]] = set()
    for index, objrs in by_page.items():
        annots = [o.Obj for o in objrs]
        plan.keep[annots[0].objgen] = objrs[0]
        plan.drop.update(a.objgen for a in annots)
        if len(annots) > 1:
            _merge_into(annots[0], annots)
        for annot in annots[1:]:
            dropped.add(annot.objgen)
            if parent_tree is not None and "/StructParent" in annot:
                del parent_tree[int(annot.StructParent)]
        objrs[0].Pg = doc.pages[index].obj
        if parent_tree is not None and "/StructParent" in annots[0]:
            parent_tree[int(annots[0].StructParent)] = link
    if plan.keep:
        _rewrite_link(link, plan)
    return dropped


def _link_target(link: Any) -> str | None:
    """Where a Link element leads: the target of its first annotation."""
    objr = next(_objrs(link), None)
    return _target(objr.Obj) if objr is not None and "/Obj" in objr else None


def _join_split_links(tree: Any, parent_tree: pikepdf.NumberTree | None) -> None:
    """Join Link elements that stand next to each other and lead to the same place: WeasyPrint
    writes one Link per line of a link broken across lines (or pages)."""
    renamed: dict[tuple[int, int], Any] = {}  # a Link joined into another → that one
    for element in [tree, *elements(tree)]:
        children = kids(element)
        joined: list[Any] = []
        for kid in children:
            previous = joined[-1] if joined else None
            if (is_element(kid) and kid.get("/S") == "/Link" and previous is not None
                    and is_element(previous) and previous.get("/S") == "/Link"
                    and _link_target(kid) is not None
                    and _link_target(kid) == _link_target(previous)):
                for moved in kids(kid):
                    if is_element(moved):
                        moved.P = previous
                previous.K = pikepdf.Array([*kids(previous), *kids(kid)])
                renamed[kid.objgen] = previous
                continue
            joined.append(kid)
        if len(joined) != len(children):
            element.K = pikepdf.Array(joined)
    if renamed and parent_tree is not None:  # marked content of a joined Link: its new parent
        for key, value in list(parent_tree.items()):
            if isinstance(value, pikepdf.Array):
                if any(v.objgen in renamed for v in value if isinstance(v, pikepdf.Dictionary)):
                    parent_tree[key] = pikepdf.Array([
                        renamed.get(v.objgen, v) if isinstance(v, pikepdf.Dictionary) else v
                        for v in value])
            elif isinstance(value, pikepdf.Dictionary) and value.objgen in renamed:
                parent_tree[key] = renamed[value.objgen]


def _rewrite_link(link: Any, plan: _LinkPlan) -> None:
    """The Link's kids with the OBJRs of `plan.drop` removed (emptied elements too) and each
    kept OBJR as the Link's own kid, where the first piece of its page was."""
    placed: set[tuple[int, int]] = set()
    new_kids: list[Any] = []
    for kid in kids(link):
        inside = [kid] if is_objr(kid) else list(_objrs(kid)) if is_element(kid) else []
        for objr in inside:
            annot = _annot_id(objr)
            if annot in plan.keep and annot not in placed:
                placed.add(annot)
                new_kids.append(plan.keep[annot])
        if is_objr(kid) and _annot_id(kid) in plan.drop:
            continue
        if is_element(kid) and kid.get("/S") != "/Link" and not _prune(kid, plan.drop):
            continue
        new_kids.append(kid)
    link.K = pikepdf.Array(new_kids)


def _prune(element: Any, drop: set[tuple[int, int]]) -> bool:
    """Remove the OBJRs of the annotations in `drop` from under `element`; False when it is
    left empty."""
    kept = []
    for kid in kids(element):
        if is_objr(kid) and _annot_id(kid) in drop:
            continue
        if is_element(kid) and kid.get("/S") != "/Link" and not _prune(kid, drop):
            continue
        kept.append(kid)
    if not kept:
        return False
    if len(kept) != len(kids(element)):
        element.K = pikepdf.Array(kept)
    return True


# ---------------------------------------------------------------------------------------------
# Tables


def _scope_table_headers(tree: Any) -> None:
    for row in [e for e in elements(tree) if e.get("/S") == "/TR"]:
        cells = [c for c in kids(row) if is_element(c) and c.get("/S") in ("/TH", "/TD")]
        in_head = row.get("/P") is not None and row.P.get("/S") == "/THead"
        header_row = in_head or all(c.get("/S") == "/TH" for c in cells)
        for position, cell in enumerate(cells):
            if cell.get("/S") != "/TH":
                continue
            scope = "/Column" if header_row or position > 0 else "/Row"
            _table_attributes(cell).Scope = pikepdf.Name(scope)


def _table_attributes(cell: Any) -> Any:
    """The cell's attribute dictionary owned by /Table (added when it has none)."""
    attributes = cell.get("/A")
    candidates = (list(attributes) if isinstance(attributes, pikepdf.Array)
                  else [attributes] if attributes is not None else [])
    for candidate in candidates:
        if isinstance(candidate, pikepdf.Dictionary) and candidate.get("/O") == "/Table":
            return candidate
    table = pikepdf.Dictionary(O=pikepdf.Name.Table)
    cell.A = pikepdf.Array([*candidates, table]) if candidates else table
    return table
