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
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb
from fontTools.ttLib import TTFont

from ... import files
from ...project import Layers, locate
from ...read.brand import Brand, Family
from ..brand import css_string


@dataclass(frozen=True, slots=True)
class Face:
    """One font file of the design, as CSS names it (`family`, also the subset's own name)."""

    family: str
    file: str  # in styles/fonts/
    weight: int
    style: str  # "normal" or "italic"
    licence: str  # its licence in styles/fonts/, served beside the subsets (OFL §2)
    #: a font file of the organisation's identity (`_brand.yml`), in the project (`root`):
    #: read there instead of styles/fonts/ (`file` is then its name, `licence` "")
    path: Path | None = None
    root: Path | None = None

    @property
    def woff2(self) -> str:
        name = re.sub(r"[^A-Za-z0-9-]", "", self.family) or "Brand"
        return f"{name}-{self.weight}{self.style[:1]}.woff2"


#: The family name of the subsets of Gentium Book Plus. A subset is a Modified Version under the
#: SIL Open Font License, whose Reserved Font Names ("Gentium", "SIL", LICENSE-GentiumBookPlus.txt)
#: such a version may not carry: the subsets are named this, in their name table and in the CSS.
#: Inter's licence reserves no name, so its subsets keep it.
TEXT_FAMILY = "Brief Text"
GENTIUM_LICENCE, INTER_LICENCE = "LICENSE-GentiumBookPlus.txt", "LICENSE-Inter.txt"

#: The faces the web stylesheet (styles/web.css) uses: Gentium Book Plus (as `TEXT_FAMILY`) for
#: the text, Inter Regular for the page's small print (date, details, captions, contact,
#: colophon) and Inter SemiBold for its headings, so that the two keep their hierarchy.
FACES = (
    Face(TEXT_FAMILY, "GentiumBookPlus-Regular.ttf", 400, "normal", GENTIUM_LICENCE),
    Face(TEXT_FAMILY, "GentiumBookPlus-Italic.ttf", 400, "italic", GENTIUM_LICENCE),
    Face(TEXT_FAMILY, "GentiumBookPlus-Bold.ttf", 700, "normal", GENTIUM_LICENCE),
    Face(TEXT_FAMILY, "GentiumBookPlus-BoldItalic.ttf", 700, "italic", GENTIUM_LICENCE),
    Face("Inter", "Inter-Regular.otf", 400, "normal", INTER_LICENCE),
    Face("Inter", "Inter-SemiBold.otf", 600, "normal", INTER_LICENCE),
)
LICENCES = tuple(dict.fromkeys(face.licence for face in FACES))

#: The shipped faces by the role they play (`brand_faces`): the text's, and the headings' and
#: small print's.
TEXT_FACES, UI_FACES = FACES[:4], FACES[4:]


def brand_faces(brand: Brand) -> tuple[tuple[Face, ...], tuple[Face, ...]]:
    """The faces of the page's text and of its headings: the identity's own font files
    (`_brand.yml`'s `typography`, subset under the family's name as written there) for a role
    whose family has files, else the shipped ones (Gentium Book Plus as `TEXT_FAMILY`, Inter)."""
    root = brand.path.parent if brand.path is not None else None

    def faces(family: Family | None, shipped: tuple[Face, ...]) -> tuple[Face, ...]:
        if family is None or not family.files or root is None:
            return shipped
        return tuple(Face(family.name, font.path.name, font.weight, font.style, "", font.path,
                          root) for font in family.files)

    return faces(brand.text_family, TEXT_FACES), faces(brand.headings_family, UI_FACES)

#: The OpenType features a page's text needs: kerning, ligatures, contextual forms, the
#: language's own forms (`locl`: Bulgarian's Cyrillic, a Romanian comma below …) and the
#: placing of diacritics; not the figure, case or stylistic variants the design does not use
#: (about a third of a subset's bytes).
FEATURES = ("kern", "liga", "clig", "calt", "ccmp", "locl", "mark", "mkmk", "rlig")

#: Characters every subset keeps besides the page's own (digits and the marks a browser may
#: draw itself: the list's numbers, a hyphen at a line break, the `<…>` the print stylesheet
#: writes around a note's address), the design's own marks (the downloads' "·", a note's way
#: back "↩") and those the typography rules insert (soft hyphen, word joiner, the no-break
#: and narrow no-break spaces, the ellipsis), and all of printable ASCII: so that the pages
#: of one brief ask for the same characters and share their subsets (`web.brief_characters`),
#: and an edit that brings a "!" or a "%" the brief had nowhere does not make every page's
#: fonts again.
ALWAYS = "".join(map(chr, range(0x20, 0x7F))) + "‐–—\u00a0\u00ad\u2060\u202f\u2009…·↩’"


def subset_woff2(styles: Path | Layers, face: Face, text: str) -> bytes:
    """The face's font with only the glyphs `text` needs, named `face.family`, as WOFF2: the
    identity's file, read in the project, or the shipped one from styles/'s first layer that has
    it (`project.Layers`)."""
    if face.path is not None and face.root is not None:  # the identity's: read in the project
        data = files.read_bytes(face.root, face.path, what=f"font {face.file!r}")
        return _subset(data, "".join(sorted(set(text + ALWAYS))), face.family)
    folder, path = locate(styles, f"fonts/{face.file}")
    data = files.read_bytes(folder, path, what=f"font {face.file!r}")
    return _subset(data, "".join(sorted(set(text + ALWAYS))), face.family)


def uppercase(text: str) -> str:
    """The capitals CSS's `text-transform: uppercase` may draw for `text`: its upper case, and
    for Greek (which drops accents in capitals, CSS Text 3 §2.1) the same without accents."""
    upper = text.upper()
    bare = "".join(c for c in unicodedata.normalize("NFD", upper)
                   if not unicodedata.combining(c) or c == "\u0308")
    return upper + unicodedata.normalize("NFC", bare)


def licence(styles: Path | Layers, name: str) -> bytes:
    """A font licence (styles/fonts/), served beside the subsets: the OFL requires it to
    accompany every copy of the fonts."""
    folder, path = locate(styles, f"fonts/{name}")
    return files.read_bytes(folder, path, what=f"font licence {name!r}")


#: Tables HarfBuzz would pass through that browsers never read: Graphite's (Gentium has them;
#: browsers shape with OpenType's).
DROP_TABLES = ("Silf", "Silt", "Glat", "Gloc", "Feat", "Sill")

#: Name records kept besides HarfBuzz's default (0–6): the licence and its address (OFL).
NAME_IDS = (13, 14)


def _tag(name: str) -> int:
    """An OpenType tag as HarfBuzz's number."""
    return int.from_bytes(name.ljust(4).encode("ascii"), "big")


@lru_cache(maxsize=64)  # a page saved again with the same letters: the same subset, at once
def _subset(data: bytes, characters: str, family: str) -> bytes:
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
    subset = hb.subset(hb.Face(hb.Blob(_sfnt(data))), wanted)
    if subset is None:
        raise ValueError("HarfBuzz could not subset the font")
    font = TTFont(io.BytesIO(bytes(subset.blob.data)), recalcTimestamp=False)
    _rename(font, family)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    return buffer.getvalue()


def _sfnt(data: bytes) -> bytes:
    """A font file as HarfBuzz's subsetter reads it: a WOFF or WOFF2 file (an organisation's
    fonts often come so) unpacked to the OpenType font it wraps (fontTools; WOFF2 with Brotli),
    which HarfBuzz refuses otherwise ("Subsetting failed")."""
    if data[:4] not in (b"wOFF", b"wOF2"):
        return data
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    font.flavor = None
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    return buffer.getvalue()


def _rename(font: TTFont, family: str) -> None:
    """The subset's names (IDs 1, 3, 4, 6) as `family`, its copyright, licence and trademark
    notices kept (OFL §2, §3)."""
    table = font["name"]
    style = table.getDebugName(2) or "Regular"
    postscript = f"{family.replace(' ', '')}-{style.replace(' ', '')}"
    for name_id in (1, 3, 4, 6, 16, 17):
        table.removeNames(nameID=name_id)
    for name_id, value in ((1, family), (3, f"{postscript}; a subset made by brief"),
                           (4, f"{family} {style}"), (6, postscript)):
        table.setName(value, name_id, 3, 1, 0x409)
    if "CFF " in font:  # Inter: its CFF table names the font too
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        for key, value in (("FullName", f"{family} {style}"), ("FamilyName", family)):
            if hasattr(top, key):
                setattr(top, key, value)


def font_css(prefix: str, faces: tuple[Face, ...] = FACES) -> str:
    """The @font-face rules of `faces` (the shipped `FACES`, else `brand_faces`'), their files
    under `prefix` (relative to the CSS), after what the shipped fonts are and their licences
    (when some are among them)."""
    header = (f"/* {TEXT_FAMILY}: subsets of Gentium Book Plus, (c) SIL International; Inter: "
              "subsets of Inter, (c) The Inter Project Authors. Both under the SIL Open Font "
              f"License 1.1: {prefix}{GENTIUM_LICENCE}, {prefix}{INTER_LICENCE}. */\n")
    if faces == FACES:
        return header + "".join(
            f'@font-face {{ font-family: "{face.family}"; src: url("{prefix}{face.woff2}") '
            f'format("woff2"); font-weight: {face.weight}; font-style: {face.style}; '
            "font-display: swap; }\n" for face in FACES)
    shipped = any(face.path is None for face in faces)
    return (header if shipped else "") + "".join(
        f"@font-face {{ font-family: {css_string(face.family)}; src: url(\"{prefix}"
        f"{face.woff2}\") format(\"woff2\"); font-weight: {face.weight}; font-style: "
        f"{face.style}; font-display: swap; }}\n" for face in faces)
