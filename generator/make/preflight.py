"""preflight: PDF bytes → a report: pages, size, the standard it claims, fonts, and warnings.

What a print shop or an accessibility check would look at first: embedded fonts for every PDF,
and what the standard it claims requires (each standard module's `preflight`: for PDF/UA the
language, title, tags and alt texts; for PDF/X the output intent, boxes, CMYK, resolution).
Warnings never change a PDF; they are reported (and are errors with `--strict`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pikepdf

from .standards import claimed_by
from .standards.base import lookup


@dataclass(frozen=True, slots=True)
class Report:
    pages: int
    size: int  # bytes
    standard: str  # "PDF/UA-1", "PDF/X-4" or "none"
    fonts: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        fonts = ", ".join(self.fonts) or "none"
        found = len(self.warnings)
        verdict = ("preflight clean" if not found else
                   f"preflight: {found} warning{'s' if found > 1 else ''}")  # not the content's
        pages = f"{self.pages} page{'s' if self.pages != 1 else ''}"
        return (f"{self.standard} · {pages} · {self.size / 1024:.0f} kB · fonts: "
                f"{fonts} · {verdict}")


def preflight(pdf: bytes) -> Report:
    """Check a PDF for what every output needs (embedded fonts) and what the standard it claims
    needs (each standard's own `preflight`)."""
    warnings: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        xmp = doc.Root.Metadata.read_bytes().decode("utf-8", "replace") \
            if "/Metadata" in doc.Root else ""
        standard = claimed_by(claimed_label(xmp))
        fonts = _fonts(doc, warnings)
        standard.preflight(doc, warnings)
        pages = len(doc.pages)
    return Report(pages, len(pdf), standard.label, tuple(sorted(fonts)), tuple(warnings))


def claimed_label(xmp: str) -> str:
    """The standard a PDF's XMP metadata claims, as its label ("PDF/UA-1", "PDF/X-4")."""
    if (m := re.search(r"pdfuaid:part[^0-9]*(\d)", xmp)):
        return f"PDF/UA-{m[1]}"
    if (m := re.search(r"GTS_PDFXVersion>([^<]+)<", xmp)):
        return m[1]
    return "none"


def _fonts(doc: pikepdf.Pdf, warnings: list[str]) -> set[str]:
    names = set()
    for number, page in enumerate(doc.pages, 1):
        for font in (lookup(page.obj, "/Resources", "/Font") or {}).values():
            name = str(font.get("/BaseFont", "?")).lstrip("/").split("+", 1)[-1]
            names.add(name)
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor") or {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                warnings.append(f"page {number}: font {name} is not embedded")
    return names
