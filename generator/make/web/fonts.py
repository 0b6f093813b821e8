"""web.fonts: the project's fonts → WOFF2 subsets holding only the glyphs a page uses.

fontTools' subsetter (`fontTools.subset`, flavor `woff2`, Brotli) keeps the characters the page
prints and the layout features that set them (kerning, ligatures, the language's forms), so a
page served with its fonts stays small; the fonts are read through the gate (`files`). Same
font and same text, same bytes: the subsetter keeps the font's own timestamps.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools import subset
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

#: Characters every subset keeps besides the page's own (digits and the marks a browser may
#: draw itself: the list's numbers, a hyphen at a line break).
ALWAYS = "0123456789.,:;-‐–—()[]/ \u00a0"


def subset_woff2(styles: Path, face: Face, text: str) -> bytes:
    """The face's font with only the glyphs `text` needs, as WOFF2 bytes."""
    path = styles / "fonts" / face.file
    data = files.read_bytes(styles, path, what=f"font {face.file!r}")
    return _subset(data, "".join(sorted(set(text + ALWAYS))))


@lru_cache(maxsize=64)  # a page saved again with the same letters: the same subset, at once
def _subset(data: bytes, characters: str) -> bytes:
    font = TTFont(io.BytesIO(data))
    options = subset.Options()
    options.flavor = "woff2"
    # (fontTools' default features: kerning, ligatures, marks, the language's forms …)
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # names, copyright, licence (OFL)
    options.hinting = False  # screens scale outlines well; hints are half a font's size
    options.desubroutinize = True  # compresses better under Brotli
    options.notdef_outline = True
    # Graphite's tables (Gentium has them): browsers shape with OpenType's
    options.drop_tables = [*options.drop_tables, "Silf", "Silt", "Glat", "Gloc", "Feat", "Sill"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    font.save(buffer, reorderTables=False)
    return buffer.getvalue()


def font_css(prefix: str) -> str:
    """The @font-face rules of `FACES`, their files under `prefix` (relative to the CSS)."""
    return "".join(
        f'@font-face {{ font-family: "{face.family}"; src: url("{prefix}{face.woff2}") '
        f'format("woff2"); font-weight: {face.weight}; font-style: {face.style}; '
        "font-display: swap; }\n" for face in FACES)
