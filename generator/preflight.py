"""preflight: PDF bytes → a report: pages, size, the standard it claims, fonts, and warnings.

What a print shop or an accessibility check would look at first: for PDF/UA the language, title,
tags and alt texts; for PDF/X the output intent, trim and bleed boxes, CMYK-only colours and
image resolution; for both, embedded fonts. Warnings never change a PDF; they are reported
(and are errors with `--strict`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

MIN_PRINT_DPI = 300
RGB_OPERATORS = {"rg", "RG"}


@dataclass(frozen=True, slots=True)
class Report:
    pages: int
    size: int  # bytes
    standard: str  # "PDF/UA-1", "PDF/X-4" or "none"
    fonts: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        fonts = ", ".join(self.fonts) or "none"
        return (f"{self.standard} · {self.pages} pages · {self.size / 1024:.0f} kB · fonts: "
                f"{fonts} · {len(self.warnings)} warning(s)")


def preflight(pdf: bytes) -> Report:
    import pikepdf

    warnings: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        xmp = doc.Root.Metadata.read_bytes().decode("utf-8", "replace") \
            if "/Metadata" in doc.Root else ""
        standard = _standard(xmp)
        fonts = _fonts(doc, warnings)
        if standard.startswith("PDF/UA"):
            _check_ua(doc, warnings)
        if standard.startswith("PDF/X"):
            _check_x(doc, warnings)
        pages = len(doc.pages)
    return Report(pages, len(pdf), standard, tuple(sorted(fonts)), tuple(warnings))


def _standard(xmp: str) -> str:
    if (m := re.search(r"pdfuaid:part[^0-9]*(\d)", xmp)):
        return f"PDF/UA-{m[1]}"
    if (m := re.search(r"GTS_PDFXVersion>([^<]+)<", xmp)):
        return m[1]
    return "none"


def _fonts(doc, warnings: list[str]) -> set[str]:
    names = set()
    for number, page in enumerate(doc.pages, 1):
        for _, font in page.Resources.get("/Font", {}).items():
            name = str(font.get("/BaseFont", "?")).lstrip("/").split("+", 1)[-1]
            names.add(name)
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor", {})
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                warnings.append(f"page {number}: font {name} is not embedded")
    return names


def _check_ua(doc, warnings: list[str]) -> None:
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


def structure_elements(doc):
    """Every element of the structure tree, depth first."""
    import pikepdf

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


def _check_x(doc, warnings: list[str]) -> None:
    intents = [i for i in doc.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFX"]
    if not intents or "/DestOutputProfile" not in intents[0]:
        warnings.append("no PDF/X output intent with an output profile")
    for number, page in enumerate(doc.pages, 1):
        if "/TrimBox" not in page or "/BleedBox" not in page:
            warnings.append(f"page {number}: no TrimBox or BleedBox")
        for where, dpi, rgb in _page_contents(page):
            if rgb:
                warnings.append(f"page {number}: RGB colour in {where}; use device-cmyk()")
            if dpi is not None and dpi < MIN_PRINT_DPI:
                warnings.append(f"page {number}: image {where} prints at {dpi:.0f} dpi, less "
                                f"than {MIN_PRINT_DPI}; use a larger image")


def _page_contents(page):
    """(where, effective dpi of an image or None, uses RGB) for the page and its forms."""
    import pikepdf

    findings = []

    def walk(obj, resources, ctm, where, depth=0):
        stack, matrix = [], ctm
        xobjects = resources.get("/XObject", {}) if resources is not None else {}
        for operands, operator in pikepdf.parse_content_stream(obj):
            op = str(operator)
            if op in RGB_OPERATORS:
                findings.append((where, None, True))
            elif op in ("cs", "CS") and str(operands[0]) == "/DeviceRGB":
                findings.append((where, None, True))
            elif op == "q":
                stack.append(matrix)
            elif op == "Q" and stack:
                matrix = stack.pop()
            elif op == "cm":
                matrix = pikepdf.Matrix(*[float(v) for v in operands]) @ matrix
            elif op == "Do" and str(operands[0]) in xobjects:
                xobject = xobjects[str(operands[0])]
                if xobject.get("/Subtype") == "/Image":
                    width_pt = (matrix.a ** 2 + matrix.b ** 2) ** 0.5
                    if width_pt > 0:
                        findings.append((f"{operands[0]} in {where}",
                                         float(xobject.Width) / (width_pt / 72), False))
                elif xobject.get("/Subtype") == "/Form" and depth < 8:
                    form_matrix = pikepdf.Matrix(*[float(v) for v in
                                                   xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])])
                    walk(xobject, xobject.get("/Resources"), form_matrix @ matrix,
                         f"form {operands[0]}", depth + 1)
        return findings

    return walk(page.obj, page.Resources, pikepdf.Matrix(), "page content")
