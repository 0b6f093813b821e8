"""ua1: PDF/UA-1 (`pdf: ua-1`), for reading on screens and with assistive technology.

Tagged by WeasyPrint (headings, paragraphs, lists, links, figures with alt text), its running
headers and footers made artifacts in finishing (`structure.mark_artifacts`). A passage in
another language than the document's (an element with its own `lang`: a `[word]{lang=en}`
span, a source's title in its own language) gets that language as the `/Lang` of its
structure element (ISO 14289-1, 7.2: the language of every passage must be determinable):
WeasyPrint 70 writes only the document's (the catalog's `/Lang`), so `prepare_writer` wraps
its tag builder (`weasyprint.pdf.tags._build_box_tree`, which builds one element per box and
calls itself through the module) to add it. Preflight checks
the markers a PDF/UA checker looks at first, and that all marked content is in the structure
tree or an artifact (ISO 14289-1, 7.1).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .base import Standard, lookup

if TYPE_CHECKING:
    import pikepdf


class _UA1(Standard):
    name = "ua-1"
    label = "PDF/UA-1"

    def render_options(self) -> dict[str, Any]:
        return {"pdf_variant": "pdf/ua-1", "pdf_tags": True}

    def prepare_writer(self) -> None:
        _tag_languages()

    def preflight(self, doc: pikepdf.Pdf, warnings: list[str]) -> None:
        root = doc.Root
        if "/Lang" not in root:
            warnings.append("no document language (/Lang)")
        if not lookup(root, "/MarkInfo", "/Marked"):
            warnings.append("not marked as tagged (/MarkInfo)")
        if "/StructTreeRoot" not in root:
            warnings.append("no structure tree (tags)")
        if not lookup(root, "/ViewerPreferences", "/DisplayDocTitle"):
            warnings.append("viewers are not told to show the title (DisplayDocTitle)")
        if not str(lookup(doc.trailer, "/Info", "/Title") or "").strip():
            warnings.append("no document title")
        warnings.extend("a figure has no alternative text" for element in structure_elements(doc)
                        if str(element.get("/S")) == "/Figure"
                        and not str(element.get("/Alt", "")).strip())
        from ..structure import stray_marked_content  # noqa: PLC0415  # deferred: see generator/__init__.py

        warnings.extend(f"page {index + 1}: {len(stray)} marked-content sequence(s) neither in "
                        "the structure tree nor an artifact" for index, stray
                        in stray_marked_content(doc).items())


def structure_elements(doc: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every element of the structure tree, depth first."""
    import pikepdf  # noqa: PLC0415  # deferred: see generator/__init__.py

    stack: list[Any] = [doc.Root.get("/StructTreeRoot")]
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary):
            continue
        if "/S" in element:
            yield element
        kids = element.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(reversed(list(kids)))
        elif isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)


def _tag_languages() -> None:
    """Make WeasyPrint's tag builder give each element with its own `lang` a `/Lang` (once per
    process)."""
    import pydyf  # noqa: PLC0415  # deferred: see generator/__init__.py
    from weasyprint.pdf import tags  # noqa: PLC0415  # deferred: see generator/__init__.py

    build = tags._build_box_tree
    if getattr(build, "brief_languages", False):
        return

    def with_languages(box: Any, *args: Any) -> Iterator[Any]:
        element = getattr(box, "element", None)
        language = (element.get("lang") if element is not None
                    and getattr(box, "element_tag", None) not in ("html", "body") else None)
        for built in build(box, *args):
            if language and "Lang" not in built:
                built["Lang"] = pydyf.String(language)
            yield built

    with_languages.brief_languages = True  # type: ignore[attr-defined]
    tags._build_box_tree = with_languages


UA1 = _UA1()
