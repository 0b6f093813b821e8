"""web.fonts: the project's fonts → WOFF2 subsets holding only the glyphs a page uses.

HarfBuzz's subsetter (`uharfbuzz`, the engine WeasyPrint subsets the PDFs' fonts with) keeps
the characters the page prints and the layout features that set them (kerning, ligatures, the
language's forms) in about a millisecond; fontTools then writes the subset as WOFF2 (Brotli), so
a page served with its fonts stays small. fontTools' own subsetter took about 0.25 s a face, a
second a page. The fonts are read through the gate (`files`). Same font and same text, same
bytes: the font's own timestamps are kept.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb
from fontTools.ttLib import TTFont

from ... import files


@dataclass(frozen=True, slots=True)
class Face:
    """One font file of the design, as CSS names it."""

    family: str
    file: str  # in styles/fonts/
    weight: int
    style: str  # "normal" or "italic"

    @property
    def woff2(self) -> str:
        return self.file.rsplit(".", 1)[0] + ".woff2"


#: The faces the web stylesheet (styles/web.css) uses: Gentium Book Plus for the text, Inter
#: SemiBold for headings and the page's furniture.
FACES = (
    Face("Gentium Book Plus", "GentiumBookPlus-Regular.ttf", 400, "normal"),
    Face("Gentium Book Plus", "GentiumBookPlus-Italic.ttf", 400, "italic"),
    Face("Gentium Book Plus", "GentiumBookPlus-Bold.ttf", 700, "normal"),
    Face("Inter", "Inter-SemiBold.otf", 600, "normal"),
)

#: The OpenType features a page's text needs: kerning, ligatures, contextual forms, the
#: language's own forms (`locl`: Bulgarian's Cyrillic, a Romanian comma below …) and the
#: placing of diacritics; not the figure, case or stylistic variants the design does not use
#: (about a third of a subset's bytes).
FEATURES = ("kern", "liga", "clig", "calt", "ccmp", "locl", "mark", "mkmk", "rlig")

#: Characters every subset keeps besides the page's own (digits and the marks a browser may
#: draw itself: the list's numbers, a hyphen at a line break).
ALWAYS = "0123456789.,:;-‐–—()[]/ \u00a0"


def subset_woff2(styles: Path, face: Face, text: str) -> bytes:
    """The face's font with only the glyphs `text` needs, as WOFF2 bytes."""
    path = styles / "fonts" / face.file
    data = files.read_bytes(styles, path, what=f"font {face.file!r}")
    return _subset(data, "".join(sorted(set(text + ALWAYS))))


#: Tables HarfBuzz would pass through that browsers never read: Graphite's (Gentium has them;
#: browsers shape with OpenType's).
DROP_TABLES = ("Silf", "Silt", "Glat", "Gloc", "Feat", "Sill")

#: Name records kept besides HarfBuzz's default (0–6): the licence and its address (OFL).
NAME_IDS = (13, 14)


def _tag(name: str) -> int:
    """An OpenType tag as HarfBuzz's number."""
    return int.from_bytes(name.ljust(4).encode("ascii"), "big")


@lru_cache(maxsize=64)  # a page saved again with the same letters: the same subset, at once
def _subset(data: bytes, characters: str) -> bytes:
    wanted = hb.SubsetInput()
    wanted.sets(hb.SubsetInputSets.UNICODE).update(ord(c) for c in characters)
    features = wanted.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)
    features.clear()
    features.update(_tag(f) for f in FEATURES)
    wanted.sets(hb.SubsetInputSets.DROP_TABLE_TAG).update(_tag(t) for t in DROP_TABLES)
    wanted.sets(hb.SubsetInputSets.NAME_ID).update(NAME_IDS)
    # no hints (screens scale outlines well; hints are half a font's size); plain outlines
    # compress better under Brotli; an empty box for a character the font lacks
    wanted.flags = (hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.DESUBROUTINIZE
                    | hb.SubsetFlags.NOTDEF_OUTLINE)
    subset = hb.subset(hb.Face(hb.Blob(data)), wanted)
    if subset is None:
        raise ValueError("HarfBuzz could not subset the font")
    font = TTFont(io.BytesIO(bytes(subset.blob.data)), recalcTimestamp=False)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    return buffer.getvalue()


def font_css(prefix: str) -> str:
    """The @font-face rules of `FACES`, their files under `prefix` (relative to the CSS)."""
    return "".join(
        f'@font-face {{ font-family: "{face.family}"; src: url("{prefix}{face.woff2}") '
        f'format("woff2"); font-weight: {face.weight}; font-style: {face.style}; '
        "font-display: swap; }\n" for face in FACES)
