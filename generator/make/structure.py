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
- **Running headers and footers as artifacts.** WeasyPrint tags the content of the page margin
  boxes (`@top-*`, `@bottom-*`: the running title, the page number) with elements it leaves out
  of the tree on purpose (WeasyPrint #1836), so that content is neither real content nor an
  artifact, which PDF/UA-1 (ISO 14289-1, 7.1) forbids. Every marked-content sequence the tree
  does not reach becomes a pagination artifact: `/Span <</MCID 7>> BDC` becomes `/Artifact
  <</Type /Pagination /Subtype /Header>> BDC` (`/Footer` in the lower third of the page, no
  subtype in the middle third), its MCID leaves the page's `/ParentTree` array (`null`, trailing
  ones cut) and the elements only the ParentTree held go with it. Content the tree reaches is
  never touched.
- **Links that may not be in a PDF** (`link_targets`): what every link leads to, so that the
  caller can refuse anything but http, https, mailto and places inside the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pikepdf

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points, x0 <= x1 and y0 <= y1

#: Schemes a link in a PDF may use (anything else fails the output; see pdf.py).
ALLOWED_SCHEMES = ("http", "https", "mailto")


def repair(doc: pikepdf.Pdf) -> None:
    """Merge link annotations, give table headers their scope and make the content the tree
    does not reach artifacts (see the module docstring)."""
    tree = doc.Root.get("/StructTreeRoot")
    if isinstance(tree, pikepdf.Dictionary):
        _merge_tagged_links(doc, tree)
        _scope_table_headers(tree)
        mark_artifacts(doc)
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


# ---------------------------------------------------------------------------------------------
# Running headers and footers

#: Where a marked-content sequence with an MCID starts, as written in a content stream:
#: `/Span <</MCID 7>> BDC` (its tag, its MCID). Only ever used to rewrite sequences a parse of
#: the page found, and checked to find each exactly once (else the page is parsed in full).
_MARKED = re.compile(rb"/[^\s/<>\[\]()%{}]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
#: What `_marked_content` reads of a page: the graphics state, marked content, and the
#: operators that put something somewhere (text matrix, rectangle, path start, XObject).
_LAYOUT_OPERATORS = "q Q cm BDC BMC EMC Tm re m Do"
#: The artifact each kind of stray content becomes, as written into the content stream.
_ARTIFACTS = {
    "/Header": b"/Artifact <</Type /Pagination /Subtype /Header>> BDC",
    "/Footer": b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC",
    None: b"/Artifact <</Type /Pagination>> BDC",
}


def mark_artifacts(doc: pikepdf.Pdf) -> dict[int, dict[int, str | None]]:
    """Make every marked-content sequence of a tagged PDF's pages that its structure tree does
    not reach a pagination artifact (see the module docstring). What was changed: page index →
    MCID → the artifact's subtype (`/Header`, `/Footer` or None)."""
    tree = doc.Root.get("/StructTreeRoot")
    parent_tree = (pikepdf.NumberTree(tree.ParentTree)
                   if isinstance(tree, pikepdf.Dictionary) and "/ParentTree" in tree else None)
    changed: dict[int, dict[int, str | None]] = {}
    for index, stray in stray_marked_content(doc).items():
        page = doc.pages[index]
        changed[index] = kinds = {mcid: _kind(page, y) for mcid, y in stray.items()}
        _rewrite_marked_content(doc, page, kinds)
        if parent_tree is not None and "/StructParents" in page:
            _forget_mcids(parent_tree, int(page.StructParents), set(stray))
    return changed


def stray_marked_content(doc: pikepdf.Pdf) -> dict[int, dict[int, float | None]]:
    """The marked content of a tagged PDF that its structure tree does not reach: page index →
    MCID → the height on the page where it starts (see `_marked_content`). Empty for an
    untagged PDF."""
    tree = doc.Root.get("/StructTreeRoot")
    if not isinstance(tree, pikepdf.Dictionary):
        return {}
    reached = reached_marked_content(tree)
    found: dict[int, dict[int, float | None]] = {}
    for index, page in enumerate(doc.pages):
        stray = {mcid: y for mcid, y in _marked_content(page).items()
                 if mcid not in reached.get(page.obj.objgen, ())}
        if stray:
            found[index] = stray
    return found


def reached_marked_content(tree: Any) -> dict[tuple[int, int], set[int]]:
    """The MCIDs the structure tree reaches, by page (its object's objgen)."""
    reached: dict[tuple[int, int], set[int]] = {}
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Any, set[int] | None]] = [(tree, None)]  # an element, its page's MCIDs
    while stack:
        element, on_page = stack.pop()
        if element.is_indirect:
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        if (page := element.get("/Pg")) is not None:
            on_page = reached.setdefault(page.objgen, set())
        value = element.get("/K")
        for kid in value if isinstance(value, pikepdf.Array) else () if value is None else (value,):
            if isinstance(kid, int):
                if on_page is not None:
                    on_page.add(kid)
            elif isinstance(kid, pikepdf.Dictionary):
                kind = kid.get("/Type")
                if kind == "/MCR":
                    _add_mcr(kid, on_page, reached)
                elif kind != "/OBJR":
                    stack.append((kid, on_page))
    return reached


def _add_mcr(mcr: Any, on_page: set[int] | None,
             reached: dict[tuple[int, int], set[int]]) -> None:
    """Add what a marked-content reference reaches (on its own page, else its element's; not
    marked content inside an XObject, `/Stm`, which pages' content never holds)."""
    if "/Stm" in mcr or "/MCID" not in mcr:
        return
    if (page := mcr.get("/Pg")) is not None:
        reached.setdefault(page.objgen, set()).add(int(mcr.MCID))
    elif on_page is not None:
        on_page.add(int(mcr.MCID))


def _marked_content(page: pikepdf.Page) -> dict[int, float | None]:
    """Every MCID of the page's content stream, with the height (in default user space) where
    its sequence first puts something, None when it puts nothing anywhere."""
    found: dict[int, float | None] = {}
    ctm = pikepdf.Matrix()
    saved: list[pikepdf.Matrix] = []
    open_mcids: list[int | None] = []  # the marked-content sequences we are in, innermost last
    for instruction in pikepdf.parse_content_stream(page, _LAYOUT_OPERATORS):
        operands, op = instruction.operands, str(instruction.operator)
        if op == "BDC":
            properties = operands[1] if len(operands) > 1 else None
            mcid = (int(properties.MCID) if isinstance(properties, pikepdf.Dictionary)
                    and "/MCID" in properties else None)
            if mcid is not None:
                found.setdefault(mcid, None)
            open_mcids.append(mcid)
        elif op == "BMC":
            open_mcids.append(None)
        elif op == "EMC":
            if open_mcids:
                open_mcids.pop()
        elif op == "q":
            saved.append(ctm)
        elif op == "Q":
            ctm = saved.pop() if saved else ctm
        elif op == "cm":
            ctm = pikepdf.Matrix(*(float(v) for v in operands)) @ ctm
        elif open_mcids:
            x, y = ((float(operands[4]), float(operands[5])) if op == "Tm"
                    else (float(operands[0]), float(operands[1])) if op in ("re", "m")
                    else (0.0, 0.0))  # Do: the XObject's origin
            height = ctm.transform((x, y))[1]
            for mcid in open_mcids:
                if mcid is not None and found[mcid] is None:
                    found[mcid] = height
    return found


def _kind(page: pikepdf.Page, height: float | None) -> str | None:
    """A running header in the page's upper third, a footer in its lower third."""
    if height is None:
        return None
    bottom, top = float(page.trimbox[1]), float(page.trimbox[3])
    third = (top - bottom) / 3
    return "/Header" if height > top - third else "/Footer" if height < bottom + third else None


def _rewrite_marked_content(doc: pikepdf.Pdf, page: pikepdf.Page,
                            kinds: dict[int, str | None]) -> None:
    """Turn the sequences of the MCIDs in `kinds` into artifacts of their kind. The operator
    is replaced where it stands in the stream's bytes (a page's full parse and unparse costs
    ten times more); when that does not find each sequence exactly once, the page is parsed."""
    contents = page.obj.Contents
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    data = b"\n".join(stream.read_bytes() for stream in streams)
    replaced: dict[int, int] = {}

    def artifact(match: re.Match[bytes]) -> bytes:
        mcid = int(match[1])
        if mcid not in kinds:
            return match[0]
        replaced[mcid] = replaced.get(mcid, 0) + 1
        return _ARTIFACTS[kinds[mcid]]

    rewritten = _MARKED.sub(artifact, data)
    if replaced != dict.fromkeys(kinds, 1):
        rewritten = _rewrite_parsed(page, kinds)
    # Compressed when saved, at zlib's default level: WeasyPrint's level 9 would make the page's
    # content 4 % smaller and cost 1.3 ms a page more.
    if isinstance(contents, pikepdf.Stream):
        contents.write(rewritten)
    else:
        page.obj.Contents = doc.make_stream(rewritten)


def _rewrite_parsed(page: pikepdf.Page, kinds: dict[int, str | None]) -> bytes:
    """The page's content with the sequences of `kinds` made artifacts, parsed and unparsed."""
    instructions: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
    for instruction in pikepdf.parse_content_stream(page):
        operands = instruction.operands
        properties = operands[1] if len(operands) > 1 else None
        if (str(instruction.operator) == "BDC" and isinstance(properties, pikepdf.Dictionary)
                and "/MCID" in properties and int(properties.MCID) in kinds):
            artifact = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)
            if (kind := kinds[int(properties.MCID)]) is not None:
                artifact.Subtype = pikepdf.Name(kind)
            instructions.append(pikepdf.ContentStreamInstruction(
                [pikepdf.Name.Artifact, artifact], pikepdf.Operator("BDC")))
        else:
            instructions.append(instruction)
    return pikepdf.unparse_content_stream(instructions)


def _forget_mcids(parent_tree: pikepdf.NumberTree, key: int, mcids: set[int]) -> None:
    """Remove `mcids` from the page's ParentTree array (null where they were, none at its end);
    the elements only they referred to are no longer written."""
    entry = parent_tree.get(key)
    if not isinstance(entry, pikepdf.Array):
        return
    kept = [None if index in mcids else value for index, value in enumerate(entry)]
    while kept and kept[-1] is None:
        kept.pop()
    parent_tree[key] = pikepdf.Array(kept)
