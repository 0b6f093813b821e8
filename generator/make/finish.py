"""finish: WeasyPrint's PDF bytes → the final PDF: print marks, output intent, stable identifiers.

- Crop (and registration) marks outside the bleed. WeasyPrint draws `marks: crop` inside the
  bleed, where a background that bleeds covers them and where a print shop trims them into the
  artwork; print shops expect them outside the bleed, offset from the trim by at least the
  bleed. The MediaBox is grown around the BleedBox and the marks drawn there, in registration
  black (100 % of every ink).
- One annotation per link and page, table headers with a scope, and running headers and footers
  as pagination artifacts (`structure.repair`).
- What the output's standard adds (`Standard.finish`: the PDF/X-4 output intent, in
  `standards/x4.py`).
- Reproducible bytes: WeasyPrint's PDF/X writes a random XMP DocumentID that no option fixes;
  it is replaced by one derived from the output's identity, so equal inputs give equal bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from typing import Any

import pikepdf

from .standards import Standard
from .standards.base import FinishContext
from .structure import repair

MM = 72 / 25.4
MARK_LENGTH_MM = 5.0
MARK_GAP_MM = 2.0  # space between the marks and the edge of the media
MIN_OFFSET_MM = 3.0
OFFSET_PAST_BLEED_MM = 0.5  # marks start just outside the bleed, never on its edge
LINE_WIDTH_PT = 0.25

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points
Line = tuple[float, float, float, float]  # from (x, y) to (x, y) in points


def finish(pdf: bytes, *, standard: Standard, context: FinishContext, bleed_mm: float = 0.0,
           marks: tuple[str, ...] = (), identity: str = "", compress: bool = True) -> bytes:
    """Apply the finishing steps an output needs; `compress=False` leaves streams that are not
    compressed as they are (an intermediate PDF, compressed once where it ends up)."""
    needs_xmp_fix = b"xmp.did:" in pdf or b"xmp.iid:" in pdf
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        repair(doc)
        if marks:
            _add_marks(doc, bleed_mm, marks)
        standard.finish(doc, context)
        if needs_xmp_fix:
            stable_xmp_ids(doc, identity)
        out = io.BytesIO()
        doc.save(out, deterministic_id=True, compress_streams=compress)
    return out.getvalue()


def stable_xmp_ids(doc: pikepdf.Pdf, identity: str) -> None:
    """Replace random XMP document/instance ids with ones derived from `identity`."""
    if "/Metadata" not in doc.Root:
        return
    xmp = doc.Root.Metadata.read_bytes()
    stable = uuid.UUID(hashlib.sha256(identity.encode()).hexdigest()[:32])
    xmp = re.sub(rb"xmp\.(did|iid):[0-9a-fA-F-]{36}",
                 lambda m: b"xmp." + m[1] + b":" + str(stable).encode(), xmp)
    doc.Root.Metadata = pikepdf.Stream(doc, xmp, Type=pikepdf.Name.Metadata,
                                       Subtype=pikepdf.Name.XML)


def _add_marks(doc: pikepdf.Pdf, bleed_mm: float, marks: tuple[str, ...]) -> None:
    """Grow each page's MediaBox and draw the requested marks (`crop`, `cross`) around its trim."""
    offset = max(bleed_mm + OFFSET_PAST_BLEED_MM, MIN_OFFSET_MM) * MM
    length = MARK_LENGTH_MM * MM
    margin = offset + length + MARK_GAP_MM * MM
    for page in doc.pages:
        x0, y0, x1, y1 = trim = _box(page.TrimBox)
        page.MediaBox = [x0 - margin, y0 - margin, x1 + margin, y1 + margin]
        lines = []
        if "crop" in marks:
            lines += _crop_lines(trim, offset, length)
        if "cross" in marks:
            lines += _cross_lines(trim, offset, length)
        ops = [f"q {LINE_WIDTH_PT:g} w 0 J 1 1 1 1 K"]
        ops += [f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l S" for a, b, c, d in lines]
        ops.append("Q")
        page.contents_add(pikepdf.Stream(doc, b"q\n"), prepend=True)
        page.contents_add(pikepdf.Stream(doc, ("Q\n" + "\n".join(ops) + "\n").encode()))


def _box(array: Any) -> Box:
    """A PDF rectangle (a pikepdf array of four numbers) as floats."""
    x0, y0, x1, y1 = (float(v) for v in array)
    return x0, y0, x1, y1


def _crop_lines(trim: Box, offset: float, length: float) -> list[Line]:
    """Two lines at each corner, continuing the trim edges, starting `offset` away from them."""
    x0, y0, x1, y1 = trim
    lines = []
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            lines.append((x + sx * offset, y, x + sx * (offset + length), y))  # horizontal
            lines.append((x, y + sy * offset, x, y + sy * (offset + length)))  # vertical
    return lines


def _cross_lines(trim: Box, offset: float, length: float) -> list[Line]:
    """A registration cross in the middle of each side, outside the bleed."""
    x0, y0, x1, y1 = trim
    cx, cy, half, mid = (x0 + x1) / 2, (y0 + y1) / 2, length / 2, offset + length / 2
    lines = []
    for x, y in ((cx, y0 - mid), (cx, y1 + mid), (x0 - mid, cy), (x1 + mid, cy)):
        lines.append((x - half, y, x + half, y))
        lines.append((x, y - half, x, y + half))
    return lines
