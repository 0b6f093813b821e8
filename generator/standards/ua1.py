"""ua1: PDF/UA-1 (`pdf: ua-1`), for reading on screens and with assistive technology.

Tagged by WeasyPrint (headings, paragraphs, lists, links, figures with alt text); preflight
checks the markers a PDF/UA checker looks at first.
"""

from __future__ import annotations

from typing import Any

from .base import Standard


class _UA1(Standard):
    name = "ua-1"
    label = "PDF/UA-1"

    def render_options(self) -> dict[str, Any]:
        return {"pdf_variant": "pdf/ua-1", "pdf_tags": True}

    def preflight(self, doc: Any, warnings: list[str]) -> None:
        root = doc.Root
        if "/Lang" not in root:
            warnings.append("no document language (/Lang)")
        if not root.get("/MarkInfo", {}).get("/Marked", False):
            warnings.append("not marked as tagged (/MarkInfo)")
        if "/StructTreeRoot" not in root:
            warnings.append("no structure tree (tags)")
        if not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False):
            warnings.append("viewers are not told to show the title (DisplayDocTitle)")
        if not str(doc.trailer.get("/Info", {}).get("/Title", "")).strip():
            warnings.append("no document title")
        for element in structure_elements(doc):
            if str(element.get("/S")) == "/Figure" and not str(element.get("/Alt", "")).strip():
                warnings.append("a figure has no alternative text")


def structure_elements(doc: Any) -> Any:
    """Every element of the structure tree, depth first."""
    import pikepdf  # deferred: `brief check` never loads a PDF (see docs/architecture.md)

    stack = [doc.Root.get("/StructTreeRoot")]
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


UA1 = _UA1()
