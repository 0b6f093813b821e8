"""join: finished PDFs (a cover letter's, an output's) → one personal copy, as good as its body.

The body (the first numbered part) is the base: its objects, structure tree, named destinations,
metadata and dates stay as they are, and only the other parts' pages and what hangs from them
(the letter's, one page) are copied in (`Pdf.copy_foreign`, which maps each page to its copy),
so a join costs little more than writing the file once.

A part may also be **some pages of a shared PDF** (`Part.pages`: a batch of letters laid out
as one document, opened once for all its joins): only those pages are copied, with their link
annotations; of its structure tree only the elements under its Document that hold those pages'
content (each cut from its parent while it is copied, so that nothing of the other letters
follows), with the pages' ParentTree entries renumbered from 0; of its bookmarks only those
leading to those pages, rebuilt. Its font subsets are the batch's (they hold the glyphs of all
its letters, no text) and are renamed once, the same for every letter of the batch.

- **Structure (PDF/UA-1).** One structure tree: a `Document` whose kids are one `Part` per part
  (each part's own `Document` element renamed, with its title as `/T` and its language as
  `/Lang` where it differs from the document's). The copied parts' `/StructParents` and
  `/StructParent` keys (pages, link annotations, forms) are moved past the body's, and the
  `/ParentTree` holds the entries of every part; RoleMap, ClassMap and IDTree are merged.
- **Bookmarks.** A part whose own outline is one entry at its first page (the body's title
  heading, under which WeasyPrint nests the other headings) keeps it; any other part gets one
  entry with its title (the letter's "Letter to …"), its own bookmarks nested beneath. The
  entries follow the parts' order.
- **Links.** The body's named destinations stay; a copied part's links and bookmarks to named
  destinations are rewritten to the explicit destinations they name (names of two parts may be
  equal), so every link lands on its page of the joined file.
- **Page labels.** A numbered part counts 1, 2, 3 … from its first page; an unnumbered one (the
  letter) shows its label (`Part.label`, else its title) and no number.
- **Fonts.** WeasyPrint names a font subset by its font, not by its glyphs, so the letter's and
  the body's subsets of one font have the same name; the copied part's get a new tag.
- **Metadata.** Info and XMP name the recipient's copy (`title`, dc:title), its language
  (`/Lang`; dc:language lists it first, then the parts' other languages), keep the body's
  creator, producer and dates; the file identifier comes from `identifier`, so equal inputs
  give equal bytes.
- **What cannot be kept** is said in `Joined.lost`: parts claiming different standards (the
  joined file then claims none), a part without tags in a tagged file, a PDF/X part with another
  output intent, a link to a place its part does not have.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pikepdf

from .finish import stable_xmp_ids
from .preflight import claimed_label
from .standards.base import lookup
from .structure import is_element, kids

MAX_FORM_DEPTH = 8  # forms inside forms whose fonts and keys are looked at
MAX_DEPTH = 256  # structure elements nested deeper than this are not followed up
TAG_LETTERS = 6  # a font subset's tag: six capital letters (ISO 32000-1, 9.6.4)


@dataclass(frozen=True, slots=True)
class Part:
    """One finished PDF to join, as `pdf.render_pdf` returns it (WeasyPrint + `finish`); or
    some pages of one (`pages`: a batch of letters laid out together, opened once by the
    caller and shared by the joins of its letters, which leave it as it was but for its fonts'
    names and its links' named destinations)."""

    pdf: bytes | pikepdf.Pdf
    title: str  # its bookmark and structure title ("Letter to Zoë Ångström", the brief's title)
    language: str  # its language (BCP 47, "pl")
    numbered: bool  # its pages labelled 1, 2, 3 … (True), or with `label` only (the letter)
    label: str = ""  # an unnumbered part's page label; empty: its title
    pages: range | None = None  # only these pages (indexes) of `pdf`, and what is theirs


@dataclass(frozen=True, slots=True)
class Joined:
    """The personal copy: its bytes, its pages, and what of the parts it could not keep."""

    pdf: bytes
    pages: int
    lost: tuple[str, ...]  # properties that could not be kept, each "what and why"


@dataclass(slots=True)
class _Placed:
    """A part in the joined file: its pages there, its structure root and outline (copies)."""

    part: Part
    first: int  # index of its first page in the joined file
    count: int  # its pages
    tree: Any  # its StructTreeRoot (in the joined file), or None when untagged
    outline: Any  # its /Outlines (in the joined file), or None


def join(parts: Sequence[Part], *, title: str, language: str, identifier: str,
         subject: str = "") -> Joined:
    """Join `parts` in their order into one PDF titled `title` in `language` (see the module
    docstring); `identifier` gives it stable file identifiers."""
    if not parts:
        raise ValueError("join needs at least one part")
    lost: list[str] = []
    docs = [part.pdf if isinstance(part.pdf, pikepdf.Pdf) else pikepdf.open(io.BytesIO(part.pdf))
            for part in parts]
    if isinstance(parts[0].pdf, pikepdf.Pdf) and all(isinstance(p.pdf, pikepdf.Pdf)
                                                      for p in parts):
        raise ValueError("join needs a part given as bytes: the base it writes into")
    try:
        base = next((i for i, part in enumerate(parts) if part.numbered), len(parts) - 1)
        out = docs[base]
        placed = _place_parts(out, parts, docs, base, lost)
        tagged = all(p.tree is not None for p in placed)
        keeps_standard = _check_standards(parts, docs, base, tagged, lost)
        if any(p.tree is not None for p in placed):
            _join_structure(out, placed, language, lost)
        _join_outlines(out, placed)
        _label_pages(out, placed)
        languages = list(dict.fromkeys([language, *(part.language for part in parts)]))
        _set_metadata(out, title=title, languages=languages, subject=subject,
                      identifier=identifier, tagged=tagged, drop_claims=not keeps_standard)
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True)
        pages = len(out.pages)
    finally:
        for part, doc in zip(parts, docs, strict=True):
            if not isinstance(part.pdf, pikepdf.Pdf):
                doc.close()
    return Joined(buffer.getvalue(), pages, tuple(lost))


# ---------------------------------------------------------------------------------------------
# Pages


def _place_parts(out: pikepdf.Pdf, parts: Sequence[Part], docs: list[pikepdf.Pdf], base: int,
                 lost: list[str]) -> list[_Placed]:
    """Copy every part but the base into `out`, in order around the base's pages."""
    placed: list[_Placed] = []
    taken = _font_names(out)
    at = 0
    next_key = _next_key(out.Root.get("/StructTreeRoot"))
    counts = [len(part.pages) if part.pages is not None else len(doc.pages)
              for part, doc in zip(parts, docs, strict=True)]  # before the base grows
    for index, (part, doc, count) in enumerate(zip(parts, docs, counts, strict=True)):
        if index == base:
            placed.append(_Placed(part, at, count, out.Root.get("/StructTreeRoot"),
                                  out.Root.get("/Outlines")))
            at += count
            continue
        _resolve_named_destinations(doc, part, lost)
        # a batch's fonts are renamed once, the same for each of its letters
        _rename_fonts(doc, taken, str(index) if part.pages is not None
                      else f"{index}:{part.title}", part.pages)
        lost.extend(f"the {name[1:]} of {part.title!r}: only the body's is kept"
                    for name in ("/AcroForm", "/OpenAction") if name in doc.Root)
        pages = ([doc.pages[i] for i in part.pages] if part.pages is not None
                 else list(doc.pages))
        if at == len(out.pages):
            out.pages.extend(pages)
        else:
            for offset, page in enumerate(pages):
                out.pages.insert(at + offset, page)
        tree = doc.Root.get("/StructTreeRoot")
        copies = [out.pages[at + i] for i in range(count)]
        if part.pages is not None:
            copied_tree = _copy_tree_of_pages(out, tree, pages, copies)
        else:
            copied_tree = (out.copy_foreign(tree) if isinstance(tree, pikepdf.Dictionary)
                           else None)
        if copied_tree is not None:
            shift = next_key
            next_key += _next_key(copied_tree)
            _shift_keys(copied_tree, copies, shift)
        outline = doc.Root.get("/Outlines")
        if part.pages is not None:
            copied_outline = _copy_outline_of_pages(out, outline, pages, copies)
        else:
            copied_outline = (out.copy_foreign(outline)
                              if isinstance(outline, pikepdf.Dictionary) else None)
        placed.append(_Placed(part, at, count, copied_tree, copied_outline))
        at += count
    return placed


def _copy_tree_of_pages(out: pikepdf.Pdf, tree: Any, pages: list[Any],
                        copies: list[Any]) -> Any:
    """A structure tree in `out` holding what of the source's `tree` is on `pages` (copied
    as `copies`): the top elements (the kids of its Document) whose content is there, cut
    from their parent while copied so that nothing else follows; its ParentTree keys
    renumbered from 0 in page order, and the copies' keys with them."""
    if not isinstance(tree, pikepdf.Dictionary):
        return None
    entries = dict(_parent_tree(tree))
    top = kids(tree)
    document = top[0] if len(top) == 1 and is_element(top[0]) and \
        top[0].get("/S") == "/Document" else tree
    order = {kid.objgen: n for n, kid in enumerate(kids(document)) if is_element(kid)}
    keys, holders = _keys_of_pages(pages, copies)
    tops: dict[tuple[int, int], Any] = {}
    for key in keys:
        value = entries.get(key)
        for element in (value if isinstance(value, pikepdf.Array) else [value]):
            found = _top_of(element, order)
            if found is None:
                raise ValueError("a structure element of a batch's part is not under its "
                                 "Document")
            tops[found.objgen] = found
    chosen = sorted(tops.values(), key=lambda element: order[element.objgen])
    parents = [element.get("/P") for element in chosen]
    try:
        for element in chosen:
            del element["/P"]
        copied = [out.copy_foreign(element) for element in chosen]
    finally:
        for element, parent in zip(chosen, parents, strict=True):
            if parent is not None:
                element.P = parent
    copied_tree = out.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array(copied)))
    nums: list[Any] = []
    for new, (key, holder) in enumerate(zip(keys, holders, strict=True)):
        holder["/StructParents" if "/StructParents" in holder else "/StructParent"] = new
        if key in entries:
            nums += [new, _copied(out, entries[key])]
    copied_tree.ParentTree = pikepdf.Dictionary(Nums=pikepdf.Array(nums))
    copied_tree.ParentTreeNextKey = len(keys)
    for name in ("/RoleMap", "/ClassMap"):
        if isinstance(tree.get(name), pikepdf.Dictionary):
            copied_tree[name] = out.copy_foreign(tree[name])
    return copied_tree


def _copied(out: pikepdf.Pdf, value: Any) -> Any:
    """`value` of another PDF copied into `out` (a direct array item by item)."""
    if isinstance(value, pikepdf.Array) and value.objgen == (0, 0):
        return pikepdf.Array([_copied(out, item) for item in value])
    if isinstance(value, pikepdf.Object) and value.objgen != (0, 0):
        return out.copy_foreign(value)
    return value


def _keys_of_pages(pages: list[Any], copies: list[Any]) -> tuple[list[int], list[Any]]:
    """The /StructParents and /StructParent keys of `pages` and their annotations, in order,
    and the copies (in `out`) that hold each."""
    keys: list[int] = []
    holders: list[Any] = []
    for page, copy in zip(pages, copies, strict=True):
        if "/StructParents" in page:
            keys.append(int(page.StructParents))
            holders.append(copy.obj)
        for annot, annot_copy in zip(page.get("/Annots", []), copy.get("/Annots", []),
                                     strict=True):
            if "/StructParent" in annot:
                keys.append(int(annot.StructParent))
                holders.append(annot_copy)
    return keys, holders


def _top_of(element: Any, order: dict[tuple[int, int], int]) -> Any:
    """The ancestor of `element` (or itself) that is a kid of the Document (in `order`)."""
    for _ in range(MAX_DEPTH):
        if not is_element(element):
            return None
        if element.objgen in order:
            return element
        element = element.get("/P")
    return None


def _copy_outline_of_pages(out: pikepdf.Pdf, outline: Any, pages: list[Any],
                           copies: list[Any]) -> Any:
    """An /Outlines dictionary in `out` with the source's bookmarks that lead to `pages`
    (and those under them), rebuilt: copying them would follow their neighbours."""
    where = {page.objgen: copy.obj for page, copy in zip(pages, copies, strict=True)}

    def rebuilt(item: Any) -> Any:
        dest = item.get("/Dest")
        new = out.make_indirect(pikepdf.Dictionary(Title=pikepdf.String(str(item.Title))))
        if isinstance(dest, pikepdf.Array) and len(dest) and \
                isinstance(dest[0], pikepdf.Dictionary) and dest[0].objgen in where:
            new.Dest = pikepdf.Array([where[dest[0].objgen], *list(dest)[1:]])
        _chain(new, [rebuilt(kid) for kid in _top_items(item)])
        return new

    root = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    _chain(root, [rebuilt(item) for item in _top_items(outline) if _lands_in(item, where)])
    return root


def _lands_in(item: Any, where: dict[tuple[int, int], Any]) -> bool:
    dest = item.get("/Dest")
    return (isinstance(dest, pikepdf.Array) and len(dest) > 0
            and isinstance(dest[0], pikepdf.Dictionary) and dest[0].objgen in where)


def _resolve_named_destinations(doc: pikepdf.Pdf, part: Part, lost: list[str]) -> None:
    """Rewrite the links and bookmarks of a part that is copied so that they lead to explicit
    destinations instead of names (another part may use the same names)."""
    names: dict[str, Any] = {}
    tree = lookup(doc.Root, "/Names", "/Dests")
    if isinstance(tree, pikepdf.Dictionary):
        names.update(pikepdf.NameTree(tree).items())
    old_style = doc.Root.get("/Dests")
    if isinstance(old_style, pikepdf.Dictionary):
        names.update((str(key)[1:], value) for key, value in old_style.items())
    others = [str(key)[1:] for key in lookup(doc.Root, "/Names") or {} if key != "/Dests"]
    if others:
        lost.append(f"the {', '.join(others)} of {part.title!r}: only the body's are kept")

    def explicit(holder: Any, key: str, where: str) -> None:
        dest = holder.get(key)
        if isinstance(dest, pikepdf.Array) or dest is None:
            return
        target = names.get(str(dest).lstrip("/"))
        if isinstance(target, pikepdf.Dictionary):
            target = target.get("/D")
        if isinstance(target, pikepdf.Array):
            holder[key] = pikepdf.Array(list(target))
        else:
            del holder[key]
            lost.append(f"{where} of {part.title!r} leads to {str(dest)!r}, a place its PDF "
                        "does not have: the link was removed")

    for number in part.pages or range(len(doc.pages)):
        for annot in doc.pages[number].get("/Annots", []):
            _explicit_in(annot, explicit, f"a link on page {number + 1}")
    for item in _outline_items(doc.Root.get("/Outlines")):
        _explicit_in(item, explicit, f"the bookmark {str(item.get('/Title', ''))!r}")


def _explicit_in(holder: Any, explicit: Any, where: str) -> None:
    """Apply `explicit` to a link's or bookmark's /Dest or its GoTo action's /D."""
    if "/Dest" in holder:
        explicit(holder, "/Dest", where)
    action = holder.get("/A")
    if isinstance(action, pikepdf.Dictionary) and action.get("/S") == "/GoTo":
        explicit(action, "/D", where)


def _outline_items(root: Any) -> Iterator[Any]:
    """Every bookmark under an /Outlines dictionary (or a bookmark), depth first."""
    item = root.get("/First") if isinstance(root, pikepdf.Dictionary) else None
    seen: set[tuple[int, int]] = set()
    while isinstance(item, pikepdf.Dictionary) and item.objgen not in seen:
        seen.add(item.objgen)
        yield item
        yield from _outline_items(item)
        item = item.get("/Next")


def _top_items(root: Any) -> list[Any]:
    """The bookmarks directly under `root`, in order."""
    items: list[Any] = []
    item = root.get("/First") if isinstance(root, pikepdf.Dictionary) else None
    while isinstance(item, pikepdf.Dictionary) and all(item.objgen != i.objgen for i in items):
        items.append(item)
        item = item.get("/Next")
    return items


# ---------------------------------------------------------------------------------------------
# Fonts


def _fonts(doc: pikepdf.Pdf, pages: range | None = None) -> Iterator[Any]:
    """Every font dictionary of the pages (or of `pages`) and their forms, each once."""
    seen: set[tuple[int, int]] = set()

    def walk(resources: Any, depth: int) -> Iterator[Any]:
        if not isinstance(resources, pikepdf.Dictionary):
            return
        for font in (resources.get("/Font") or {}).values():
            if font.objgen == (0, 0) or font.objgen not in seen:
                seen.add(font.objgen)
                yield font
        for xobject in (resources.get("/XObject") or {}).values():
            if (xobject.get("/Subtype") == "/Form" and depth < MAX_FORM_DEPTH
                    and xobject.objgen not in seen):
                seen.add(xobject.objgen)
                yield from walk(xobject.get("/Resources"), depth + 1)

    for page in doc.pages if pages is None else (doc.pages[i] for i in pages):
        yield from walk(page.get("/Resources"), 0)


def _font_names(doc: pikepdf.Pdf) -> set[str]:
    return {str(font.get("/BaseFont", "")) for font in _fonts(doc)}


def _rename_fonts(doc: pikepdf.Pdf, taken: set[str], salt: str,
                  pages: range | None = None) -> None:
    """Give the subsets of `doc` (of its `pages`) whose names are `taken` (subsets of the same
    fonts, with other glyphs) new tags derived from `salt` and their names; add its names to
    `taken`."""
    for font in list(_fonts(doc, pages)):
        name = str(font.get("/BaseFont", ""))
        if "+" not in name or name not in taken:
            taken.add(name)
            continue
        rest = name.split("+", 1)[1]
        counter = 0
        new = name
        while new in taken:
            digest = hashlib.sha256(f"{salt}\0{name}\0{counter}".encode()).digest()
            new = "/" + "".join(chr(65 + b % 26) for b in digest[:TAG_LETTERS]) + "+" + rest
            counter += 1
        taken.add(new)
        font.BaseFont = pikepdf.Name(new)
        for descendant in font.get("/DescendantFonts", []):
            descendant.BaseFont = pikepdf.Name(new)
            if "/FontDescriptor" in descendant:
                descendant.FontDescriptor.FontName = pikepdf.Name(new)
        if "/FontDescriptor" in font:
            font.FontDescriptor.FontName = pikepdf.Name(new)


# ---------------------------------------------------------------------------------------------
# Structure


def _parent_tree(tree: Any) -> list[tuple[int, Any]]:
    """The (key, value) entries of a structure tree's /ParentTree."""
    parent_tree = tree.get("/ParentTree") if isinstance(tree, pikepdf.Dictionary) else None
    if not isinstance(parent_tree, pikepdf.Dictionary):
        return []
    if "/Kids" not in parent_tree:  # flat, as WeasyPrint writes it: read it directly
        nums = list(parent_tree.get("/Nums", []))
        return [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
    return [(int(key), value) for key, value in pikepdf.NumberTree(parent_tree).items()]


def _next_key(tree: Any) -> int:
    """The first /StructParent(s) key a structure tree does not use."""
    if not isinstance(tree, pikepdf.Dictionary):
        return 0
    keys = [key for key, _ in _parent_tree(tree)]
    return max([int(tree.get("/ParentTreeNextKey", 0)), *(k + 1 for k in keys)])


def _shift_keys(tree: Any, pages: list[Any], shift: int) -> None:
    """Move a copied part's ParentTree keys, and the pages', annotations' and forms' references
    to them, `shift` further."""
    if not shift:
        return
    seen: set[tuple[int, int]] = set()

    def move(holder: Any) -> None:
        if holder.objgen != (0, 0):
            if holder.objgen in seen:
                return
            seen.add(holder.objgen)
        for key in ("/StructParents", "/StructParent"):
            if key in holder:
                holder[key] = int(holder[key]) + shift

    def forms(resources: Any, depth: int) -> None:
        if not isinstance(resources, pikepdf.Dictionary) or depth >= MAX_FORM_DEPTH:
            return
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.objgen not in seen:
                move(xobject)
                if xobject.get("/Subtype") == "/Form":
                    forms(xobject.get("/Resources"), depth + 1)

    for page in pages:
        move(page.obj)
        for annot in page.get("/Annots", []):
            move(annot)
        forms(page.get("/Resources"), 0)
    entries = _parent_tree(tree)
    tree.ParentTree = pikepdf.Dictionary(Nums=pikepdf.Array(
        [v for key, value in entries for v in (key + shift, value)]))
    if "/ParentTreeNextKey" in tree:
        tree.ParentTreeNextKey = int(tree.ParentTreeNextKey) + shift


def _join_structure(out: pikepdf.Pdf, placed: list[_Placed], language: str,
                    lost: list[str]) -> None:
    """One structure tree: a Document holding one Part per part (see the module docstring)."""
    root = out.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary):
        root = out.Root.StructTreeRoot = out.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    document = out.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root))
    part_elements = []
    entries: list[tuple[int, Any]] = []
    for place in placed:
        if place.tree is None:
            continue
        entries += _parent_tree(place.tree)
        element = _part_element(out, place, document, language)
        part_elements.append(element)
        if place.tree.objgen != root.objgen:
            _merge_maps(root, place.tree, place.part, lost)
    document.K = pikepdf.Array(part_elements)
    root.K = pikepdf.Array([document])
    entries.sort(key=lambda entry: entry[0])
    root.ParentTree = pikepdf.Dictionary(Nums=pikepdf.Array(
        [v for key, value in entries for v in (key, value)]))
    if "/ParentTreeNextKey" in root:
        root.ParentTreeNextKey = entries[-1][0] + 1 if entries else 0
    for place in placed:
        for index in range(place.first, place.first + place.count):
            page = out.pages[index]
            if "/StructParents" in page:
                page.Tabs = pikepdf.Name.S


def _part_element(out: pikepdf.Pdf, place: _Placed, document: Any, language: str) -> Any:
    """The Part element of one part: its Document element renamed, or a new Part holding its
    top elements."""
    top = kids(place.tree)
    if len(top) == 1 and is_element(top[0]) and top[0].get("/S") == "/Document":
        element = top[0]
        element.S = pikepdf.Name.Part
    else:
        element = out.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.Part, K=pikepdf.Array(top)))
        for kid in top:
            if is_element(kid):
                kid.P = element
    element.P = document
    element.T = pikepdf.String(place.part.title)
    if place.part.language != language:
        element.Lang = pikepdf.String(place.part.language)
    elif "/Lang" in element and str(element.Lang) == language:
        del element.Lang
    return element


def _merge_maps(root: Any, other: Any, part: Part, lost: list[str]) -> None:
    """Add a copied part's RoleMap, ClassMap and IDTree to the joined file's structure root."""
    for key in ("/RoleMap", "/ClassMap"):
        theirs = other.get(key)
        if not isinstance(theirs, pikepdf.Dictionary):
            continue
        ours = root.get(key)
        if not isinstance(ours, pikepdf.Dictionary):
            root[key] = ours = pikepdf.Dictionary()
        for name, value in theirs.items():
            if name in ours and repr(ours[name]) != repr(value):
                lost.append(f"the {key[1:]} entry {name} of {part.title!r} differs from the "
                            "body's: the body's is kept")
            elif name not in ours:
                ours[name] = value
    theirs_ids = other.get("/IDTree")
    if isinstance(theirs_ids, pikepdf.Dictionary):
        if "/IDTree" not in root:
            root.IDTree = pikepdf.Dictionary(Names=pikepdf.Array())
        ours_ids = pikepdf.NameTree(root.IDTree)
        for name, element in pikepdf.NameTree(theirs_ids).items():
            if name in ours_ids:
                lost.append(f"the structure element ID {name!r} of {part.title!r} is also the "
                            "body's: it names the body's element")
            else:
                ours_ids[name] = element


# ---------------------------------------------------------------------------------------------
# Bookmarks and page labels


def _join_outlines(out: pikepdf.Pdf, placed: list[_Placed]) -> None:
    """The parts' bookmarks in their order (see the module docstring)."""
    entries: list[Any] = []
    for place in placed:
        own = _top_items(place.outline)
        first_page = out.pages[place.first].obj
        if len(own) == 1 and _points_at(own[0], first_page):
            entries += own
            continue
        page = out.pages[place.first]
        top = float(page.MediaBox[3])
        entry = out.make_indirect(pikepdf.Dictionary(
            Title=pikepdf.String(place.part.title),
            Dest=pikepdf.Array([first_page, pikepdf.Name.XYZ, 0, top, 0])))
        _chain(entry, own)
        entries.append(entry)
    outlines = out.Root.get("/Outlines")
    if not isinstance(outlines, pikepdf.Dictionary):
        outlines = out.Root.Outlines = out.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    _chain(outlines, entries)


def _points_at(item: Any, page: Any) -> bool:
    dest = item.get("/Dest")
    action = item.get("/A")
    if dest is None and isinstance(action, pikepdf.Dictionary) and action.get("/S") == "/GoTo":
        dest = action.get("/D")
    return (isinstance(dest, pikepdf.Array) and len(dest) > 0
            and isinstance(dest[0], pikepdf.Dictionary) and dest[0].objgen == page.objgen)


def _chain(parent: Any, items: list[Any]) -> None:
    """Make `items` the bookmarks under `parent`, open, in order."""
    for key in ("/First", "/Last"):
        if key in parent:
            del parent[key]
    if not items:
        if "/Count" in parent:
            parent.Count = 0
        return
    parent.First, parent.Last = items[0], items[-1]
    for previous, item in zip([None, *items], items, strict=False):
        item.Parent = parent
        if previous is None:
            if "/Prev" in item:
                del item.Prev
        else:
            item.Prev = previous
            previous.Next = item
    if "/Next" in items[-1]:
        del items[-1].Next
    parent.Count = sum(1 + max(int(item.get("/Count", 0)), 0) for item in items)


def _label_pages(out: pikepdf.Pdf, placed: list[_Placed]) -> None:
    nums: list[Any] = []
    for place in placed:
        if place.part.numbered:
            style = pikepdf.Dictionary(S=pikepdf.Name.D, St=1)
        else:
            style = pikepdf.Dictionary(P=pikepdf.String(place.part.label or place.part.title))
        nums += [place.first, style]
    out.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(nums))


# ---------------------------------------------------------------------------------------------
# Standards and metadata


def _claim(doc: pikepdf.Pdf) -> str:
    metadata = doc.Root.get("/Metadata")
    xmp = metadata.read_bytes().decode("utf-8", "replace") if metadata is not None else ""
    return claimed_label(xmp)


def _check_standards(parts: Sequence[Part], docs: list[pikepdf.Pdf], base: int, tagged: bool,
                     lost: list[str]) -> bool:
    """Say in `lost` what of the parts' standards the joined file cannot keep; whether it can
    claim the standard the parts claim."""
    claims = [_claim(doc) for doc in docs]
    keeps = True
    if len(set(claims)) > 1:
        named = ", ".join(f"{part.title!r} {claim}" for part, claim in zip(parts, claims,
                                                                              strict=True))
        lost.append(f"the parts claim different standards ({named}): the joined PDF claims "
                    "none")
        keeps = False
    elif claims[0] == "PDF/UA-1" and not tagged:
        lost.append("PDF/UA-1: a part has no structure tree; the joined PDF claims no standard")
        keeps = False
    intent = _output_intent(docs[base])
    for index, (part, doc) in enumerate(zip(parts, docs, strict=True)):
        if index != base and intent is not None and _output_intent(doc) not in (None, intent):
            lost.append(f"the PDF/X output intent of {part.title!r} ({_output_intent(doc)}) "
                        f"differs from the body's ({intent}); the body's is kept")
    return keeps


def _output_intent(doc: pikepdf.Pdf) -> str | None:
    """A PDF/X output intent, as its condition and a digest of its profile (decoded: a
    personal copy's letter is written uncompressed, its body compressed)."""
    for intent in doc.Root.get("/OutputIntents", []):
        if intent.get("/S") == "/GTS_PDFX":
            profile = intent.get("/DestOutputProfile")
            digest = (hashlib.sha256(profile.read_bytes()).hexdigest()[:12]
                      if isinstance(profile, pikepdf.Stream) else "no profile")
            return f"{intent.get('/OutputConditionIdentifier', '?')}, profile {digest}"
    return None


def _set_metadata(out: pikepdf.Pdf, *, title: str, languages: list[str], subject: str,
                  identifier: str, tagged: bool, drop_claims: bool) -> None:
    """The copy's title, its languages (the document's first: /Lang), and the body's other
    metadata; its standard's claims dropped when the parts' cannot be kept."""
    root = out.Root
    root.Lang = pikepdf.String(languages[0])
    root.ViewerPreferences = pikepdf.Dictionary(
        {**dict(root.get("/ViewerPreferences", {})), "/DisplayDocTitle": True})
    if tagged:
        root.MarkInfo = pikepdf.Dictionary(Marked=True)
    elif "/MarkInfo" in root:
        del root.MarkInfo
    if "/Info" not in out.trailer:
        out.trailer.Info = out.make_indirect(pikepdf.Dictionary())
    info = out.trailer.Info
    info.Title = pikepdf.String(title)
    if subject:
        info.Subject = pikepdf.String(subject)
    with out.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:title"] = title
        xmp["dc:language"] = languages
        if subject:
            xmp["dc:description"] = subject
        if drop_claims:
            for claim in ("pdfuaid:part", "pdfxid:GTS_PDFXVersion"):
                if claim in xmp:
                    del xmp[claim]
    if drop_claims and "/GTS_PDFXVersion" in info:
        del info.GTS_PDFXVersion
    stable_xmp_ids(out, identifier)
    digest = hashlib.sha256(identifier.encode()).digest()[:16]
    out.trailer.ID = pikepdf.Array([pikepdf.String(digest), pikepdf.String(digest)])
