"""x4: PDF/X-4 (`pdf: x-4`), for print shops: CMYK only, trim and bleed boxes, an output intent.

The print condition (an audience's `print: {condition: …}`, FOGRA39 by default) names the
registered characterisation and the CMYK profile in `styles/color/` embedded as the output
intent. The intent is added here, after WeasyPrint, rather than through CSS `@color-profile`,
which has WeasyPrint re-serialise the profile to twice its size on every render (~0.4 s).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ... import files
from ...errors import Mark, RenderError
from .base import FinishContext, Standard

if TYPE_CHECKING:
    import pikepdf

MIN_PRINT_DPI = 300
#: How a low-resolution warning names its image, by pixel size: `build` reads it back to name
#: the brief's image file of that size instead (see `audit.locate_preflight`).
IMAGE_RE = re.compile(r"an image of (\d+) × (\d+) pixels")
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
        path = context.styles / condition.profile
        try:  # through the gate: a link leading out of styles/ is refused unread
            profile = files.read_bytes(context.styles, path, what="the CMYK output profile")
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

    def preflight(self, doc: pikepdf.Pdf, warnings: list[str]) -> None:
        intents = [i for i in doc.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFX"]
        if not intents or "/DestOutputProfile" not in intents[0]:
            warnings.append("no PDF/X output intent with an output profile")
        for number, page in enumerate(doc.pages, 1):
            if "/TrimBox" not in page or "/BleedBox" not in page:
                warnings.append(f"page {number}: no TrimBox or BleedBox")
            for where, image, rgb in _page_contents(page):
                if rgb:
                    warnings.append(f"page {number}: RGB colour in {where}; use device-cmyk()")
                if image is not None and image[2] < MIN_PRINT_DPI:
                    width, height, dpi = image
                    needed = math.ceil(width * MIN_PRINT_DPI / dpi)
                    warnings.append(f"page {number}: an image of {width} × {height} pixels "
                                    f"prints at {dpi:.0f} dpi, less than {MIN_PRINT_DPI}; use a "
                                    f"larger image (at least {needed} pixels wide at this size)")


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


X4 = _X4()
