"""x4: PDF/X-4 (`pdf: x-4`), for print shops: CMYK only, trim and bleed boxes, an output intent.

The print condition (an audience's `print: {condition: …}`, FOGRA39 by default) names the
registered characterisation and the CMYK profile in `styles/color/` embedded as the output
intent. The intent is added here, after WeasyPrint, rather than through CSS `@color-profile`,
which has WeasyPrint re-serialise the profile to twice its size on every render (~0.4 s).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ... import files
from ...errors import Mark, RenderError
from ...project import locate
from .base import Finding, FinishContext, Standard

if TYPE_CHECKING:
    import pikepdf

MIN_PRINT_DPI = 300
MAX_FORM_DEPTH = 8  # forms inside forms looked into by preflight
RGB_OPERATORS = {"rg", "RG"}


@dataclass(frozen=True, slots=True)
class PrintCondition:
    """A registered characterisation (ICC registry) and the profile shipped for it."""

    identifier: str
    description: str
    profile: str  # inside styles/


#: Print conditions an audience may name with `print: {condition: …}`.
PRINT_CONDITIONS = {
    "FOGRA39": PrintCondition(
        "FOGRA39", "Offset printing on coated paper (ISO 12647-2:2004, paper types 1 and 2), "
        "FOGRA39L", "color/FOGRA39L-coated.icc"),
}
DEFAULT_PRINT_CONDITION = "FOGRA39"


class _X4(Standard):
    name = "x-4"
    label = "PDF/X-4"
    cmyk = True

    def render_options(self) -> dict[str, Any]:
        return {"pdf_variant": "pdf/x-4"}

    def finish(self, doc: pikepdf.Pdf, context: FinishContext) -> None:
        """The PDF/X output intent: the registered condition and its embedded CMYK profile."""
        import pikepdf  # noqa: PLC0415  # deferred: see generator/__init__.py

        condition = PRINT_CONDITIONS[context.print_condition]
        folder, path = locate(context.styles, condition.profile)  # the project's, else packaged
        try:  # through the gate: a link leading out of styles/ is refused unread
            profile = files.read_bytes(folder, path, what="the CMYK output profile")
        except files.Missing:
            raise RenderError(Mark(path, 1), f"the CMYK output profile for "
                              f"{condition.identifier} is missing; restore it from the "
                              "repository") from None
        except files.Refused as exc:
            raise RenderError(exc.mark, exc.problem) from None
        description = pikepdf.String(condition.description)
        stream = pikepdf.Stream(doc, profile, N=4)
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier=pikepdf.String(condition.identifier),
            OutputCondition=description, Info=description,
            RegistryName=pikepdf.String("http://www.color.org"),
            DestOutputProfile=doc.make_indirect(stream))
        doc.Root.OutputIntents = pikepdf.Array([intent])

    xmp_claims = ("pdfxid:GTS_PDFXVersion",)
    info_claims = ("/GTS_PDFXVersion",)

    def claimed_in(self, xmp: str) -> str | None:
        if (m := re.search(r"GTS_PDFXVersion>([^<]+)<", xmp)):
            return m[1]
        return None

    def joined(self, titles: Sequence[str], docs: Sequence[pikepdf.Pdf], base: int, *,
               claimed: str, tagged: bool, lost: list[str]) -> bool:
        """A copy keeps the body's output intent; a part with another is said in `lost`."""
        intent = output_intent(docs[base])
        for index, (title, doc) in enumerate(zip(titles, docs, strict=True)):
            if index != base and intent is not None and output_intent(doc) not in (None, intent):
                lost.append(f"the PDF/X output intent of {title!r} ({output_intent(doc)}) "
                            f"differs from the body's ({intent}); the body's is kept")
        return True

    def preflight(self, doc: pikepdf.Pdf, findings: list[Finding]) -> None:
        intents = [i for i in doc.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFX"]
        if not intents or "/DestOutputProfile" not in intents[0]:
            findings.append(Finding("no-output-intent", "no PDF/X output intent with an output "
                                    "profile", self.label))
        for number, page in enumerate(doc.pages, 1):
            if "/TrimBox" not in page or "/BleedBox" not in page:
                findings.append(Finding("no-trim-box", "no TrimBox or BleedBox", self.label,
                                        number))
            for where, image, rgb in _page_contents(page):
                if rgb:
                    findings.append(Finding("rgb", f"RGB colour in {where}; use device-cmyk()",
                                            self.label, number))
                if image is not None and image[2] < MIN_PRINT_DPI:
                    width, height, dpi = image
                    needed = math.ceil(width * MIN_PRINT_DPI / dpi)
                    findings.append(Finding(
                        "low-resolution", f"prints at {dpi:.0f} dpi, less than {MIN_PRINT_DPI}; "
                        f"use a larger image (at least {needed} pixels wide at this size)",
                        self.label, number, (width, height)))


def _page_contents(page: pikepdf.Page) -> list[tuple[str, tuple[int, int, float] | None, bool]]:
    """(where, an image's (width, height, effective dpi) or None, uses RGB) for the page and
    its forms."""
    import pikepdf  # noqa: PLC0415  # deferred: see generator/__init__.py

    findings: list[tuple[str, tuple[int, int, float] | None, bool]] = []

    def walk(obj: Any, resources: Any, ctm: pikepdf.Matrix, where: str, depth: int = 0) -> None:
        stack: list[pikepdf.Matrix] = []
        matrix = ctm
        xobjects = resources.get("/XObject", {}) if resources is not None else {}
        for instruction in pikepdf.parse_content_stream(obj):
            operands, op = instruction.operands, str(instruction.operator)
            if op in RGB_OPERATORS or (op in ("cs", "CS") and str(operands[0]) == "/DeviceRGB"):
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
                        findings.append((where, (int(xobject.Width), int(xobject.Height),
                                                 float(xobject.Width) / (width_pt / 72)), False))
                elif xobject.get("/Subtype") == "/Form" and depth < MAX_FORM_DEPTH:
                    form_matrix = pikepdf.Matrix(*[float(v) for v in
                                                   xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])])
                    walk(xobject, xobject.get("/Resources"), form_matrix @ matrix,
                         f"form {operands[0]}", depth + 1)

    walk(page.obj, page.Resources, pikepdf.Matrix(), "page content")
    return findings


def output_intent(doc: pikepdf.Pdf) -> str | None:
    """A PDF/X output intent, as its condition and a digest of its profile (decoded: a
    personal copy's letter is written uncompressed, its body compressed)."""
    import pikepdf  # noqa: PLC0415  # deferred: see generator/__init__.py

    for intent in doc.Root.get("/OutputIntents", []):
        if intent.get("/S") == "/GTS_PDFX":
            profile = intent.get("/DestOutputProfile")
            digest = (hashlib.sha256(profile.read_bytes()).hexdigest()[:12]
                      if isinstance(profile, pikepdf.Stream) else "no profile")
            return f"{intent.get('/OutputConditionIdentifier', '?')}, profile {digest}"
    return None


X4 = _X4()
