"""brand: an organisation's identity (`read.brand.Brand`) → the stylesheet it becomes and what
templates see of it (`doc.brand`).

`brand_css` gives every design token as a CSS variable (`--accent`, …), the three type roles
(`--font-text`, `--font-headings`, `--font-mono`, each with a generic fallback) and an
`@font-face` for each font file the brand names (its URL relative to `_brand.yml`, the project's
root). It is laid over an audience's stylesheets (after them: it wins over styles/base.css and
styles/print-cmyk.css); for a PDF/X output (`cmyk=True`) each colour is its CMYK value
(`device-cmyk()`): the one `defaults: brief: cmyk:` gives, else the output's ICC profile's
conversion (`read.brand_checks.to_cmyk`, `converted`). The packaged identity (`DEFAULT`) needs
no such sheet: the packaged stylesheets hold its values (`needs_css`).

`BrandView` is what a template prints: the name, the web address, a logo in the size it asks for
(`LogoView`: a `src` that works in that output) and the letter's postal address, Transparency
Register number and signatory.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

from markupsafe import Markup
from PIL import Image as PILImage

from .. import files
from ..errors import BriefError
from ..read.brand import (
    CMYK,
    DEFAULT,
    Brand,
    Colour,
    Family,
    Image,
    LogoSize,
    Signatory,
    print_cmyk,
)
from ..read.brand_checks import to_cmyk
from ..read.colour import to_hex
from ..text.addresses import breakable_url

#: What each type role falls back to when its family lacks a letter (CSS generic families).
GENERIC = {"text": "serif", "headings": "sans-serif", "mono": "monospace"}


def needs_css(brand: Brand) -> bool:
    """Whether an output needs `brand_css` laid over its stylesheets: not for the packaged
    identity, whose values the packaged stylesheets hold (so that its outputs are byte for
    byte what they were before there was a brand)."""
    return brand.path is not None


def css_string(text: str) -> str:
    """`text` as a CSS string in double quotes (`"` and `\\` escaped, line breaks as `\\a `)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\n\r\f]", "\\\\a ", escaped) + '"'


def _family(family: Family | None, role: str) -> str:
    generic = GENERIC[role]
    return f"{css_string(family.name)}, {generic}" if family is not None else generic


def _cmyk(values: CMYK) -> str:
    return "device-cmyk(" + " ".join(f"{v:.4g}" for v in values) + ")"


def _value(colour: Colour, *, cmyk: bool) -> str:
    """A token's colour as CSS: its screen value, or for print its CMYK value (100 % black for
    small text, no ink for white, when the brand gives none)."""
    if not cmyk:
        return colour.value
    ink = print_cmyk(colour)
    return _cmyk(ink) if ink is not None else colour.value  # not converted: preflight says so


def unconverted(brand: Brand) -> list[Colour]:
    """The colours a PDF/X output needs converted: those without a CMYK value that are not
    printed in black or as paper (`_value`)."""
    return [colour for colour in brand.colours.values() if print_cmyk(colour) is None]


def converted(brand: Brand, profile: bytes) -> Brand:
    """The identity with each colour that has no CMYK value (`unconverted`) converted through
    the output's ICC profile (`read.brand_checks.to_cmyk`; `Colour.converted`, which the build
    names)."""
    missing = unconverted(brand)
    if not missing:
        return brand
    values = to_cmyk([colour.value for colour in missing], profile)
    colours = dict(brand.colours)
    for colour, cmyk in zip(missing, values, strict=True):
        colours[colour.token] = dataclasses.replace(colour, cmyk=cmyk, converted=True)
    return dataclasses.replace(brand, colours=colours)


#: The SVG properties that paint (as attributes, or in a `style` attribute), whose colours a
#: PDF/X output prints as inks (`print_svg`).
PAINT_PROPERTIES = frozenset({"fill", "stroke", "stop-color", "flood-color", "lighting-color",
                              "color"})
_SVG_NS = "http://www.w3.org/2000/svg"


def print_svg(data: bytes, brand: Brand, profile: bytes) -> bytes:
    """An SVG logo for a PDF/X output: each colour it paints with as `device-cmyk()` (WeasyPrint
    reads it in SVG, as the QR code's black): a colour of the identity as its CMYK value
    (`print_cmyk`, or converted through `profile` as the stylesheet's are), white as no ink,
    any other through `profile`; a print shop then gets no RGB from the logo. The SVG was
    checked when the identity was (`read.images.svg_problem`: no DTD, no entity, no script);
    a file that is not XML after all is left as it is (the render reports it)."""
    import tinycss2  # noqa: PLC0415  # deferred as in read.brand: color4 costs 20–30 ms
    import tinycss2.color4  # noqa: PLC0415

    colours = {colour.value: cmyk for colour in converted(brand, profile).colours.values()
               if (cmyk := print_cmyk(colour)) is not None}
    colours.setdefault("#ffffff", (0.0, 0.0, 0.0, 0.0))

    def ink(value: str) -> str | None:
        parsed = tinycss2.color4.parse_color(value.strip())
        if not isinstance(parsed, tinycss2.color4.Color) or parsed.alpha == 0:
            return None  # none, currentColor, url(#gradient), or not a colour
        red, green, blue = parsed.to("srgb").coordinates
        value = to_hex((float(red), float(green), float(blue)))
        if value not in colours:
            colours[value] = to_cmyk([value], profile)[0]
        return _cmyk(colours[value])

    def style(text: str) -> str:
        declarations = []
        for item in tinycss2.parse_blocks_contents(text, skip_comments=True,
                                                   skip_whitespace=True):
            if item.type != "declaration":
                return text  # not a plain list of declarations: left as it is
            value = tinycss2.serialize(item.value)
            painted = ink(value) if item.lower_name in PAINT_PROPERTIES else None
            declarations.append(f"{item.name}: {painted or value.strip()}"
                                f"{' !important' if item.important else ''}")
        return "; ".join(declarations)

    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return data
    for element in root.iter():
        for name, value in list(element.attrib.items()):
            if name in PAINT_PROPERTIES and (painted := ink(value)) is not None:
                element.set(name, painted)
            elif name == "style":
                element.set(name, style(value))
    ElementTree.register_namespace("", _SVG_NS)
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    written: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return written


def conversion_note(brand: Brand, condition: str) -> str:
    """What the build says about colours it converted (empty when none was)."""
    tokens = [colour.token for colour in brand.colours.values() if colour.converted]
    if not tokens:
        return ""
    return (f"_brand.yml: no CMYK value for {', '.join('--' + t for t in tokens)}: converted "
            f"through the {condition} profile; give the brand guide's values under "
            "`defaults: brief: cmyk:` (docs/brand.md)")


def font_url(brand: Brand, path: Path) -> str:
    """A font or logo file's URL relative to `_brand.yml`'s folder (the project's root)."""
    root = brand.path.parent if brand.path is not None else path.parent
    return quote(path.relative_to(root).as_posix())


def font_faces(brand: Brand, url: Callable[[Path], str] | None = None) -> list[str]:
    """An `@font-face` rule for each font file of the brand's families (each family once)."""
    rules = []
    seen: set[str] = set()
    for family in (brand.text_family, brand.headings_family, brand.monospace_family):
        if family is None or family.name in seen:
            continue
        seen.add(family.name)
        for font in family.files:
            src = url(font.path) if url is not None else font_url(brand, font.path)
            rules.append(f"@font-face {{ font-family: {css_string(family.name)}; "
                         f"src: url({css_string(src)}); font-weight: {font.weight}; "
                         f"font-style: {font.style}; }}")
    return rules


def brand_css(brand: Brand, *, cmyk: bool, font_src: Callable[[Path], str] | None = None
              ) -> str:
    """The stylesheet of an identity: its `@font-face` rules and a `:root` rule with every
    token and type role (`cmyk`: the colours of a PDF/X output). `font_src` gives a font
    file's URL (default: relative to `_brand.yml`, the sheet's base URL)."""
    lines = [f"/* {(brand.name or 'the packaged identity').replace('*/', '* /')}: "
             f"{'_brand.yml' if brand.path else 'styles/'} */",
             *font_faces(brand, font_src), ":root {"]
    colours = brand.colours or DEFAULT.colours
    lines += [f"  --{token}: {_value(colour, cmyk=cmyk)};" for token, colour in colours.items()]
    lines += [f"  --font-text: {_family(brand.text_family, 'text')};",
              f"  --font-headings: {_family(brand.headings_family, 'headings')};",
              f"  --font-mono: {_family(brand.monospace_family, 'mono')};", "}", ""]
    if colours["paper"].value != "#ffffff":  # the page is painted: a PDF's is paper otherwise,
        # and a dark identity's light text fell on white (invisible; brief_checks warns that
        # print outputs then carry the background as ink over the whole page)
        lines += ["@page { background: var(--paper); }", ""]
    return "\n".join(lines)


#: A logo at least this many times as wide as it is tall is a wordmark: it spells the
#: organisation's name, which a design then does not set beside it (the letterhead: a 4:1
#: wordmark beside the name pushed the address column under it).
WIDE_LOGO = 2.2


@dataclass(frozen=True, slots=True)
class LogoView:
    """A logo as a template prints it: `<img src="{{ logo.src }}" alt="{{ logo.alt }}">`;
    `wide`: a wordmark (`WIDE_LOGO`), which names the organisation by itself."""

    src: str
    alt: str
    wide: bool = False


def aspect(image: Image, root: Path) -> float:
    """A logo's width over its height (0 when it cannot be told), read inside the project
    (`root`) through the gate: a raster image's pixels (Pillow), an SVG's `viewBox`, else its
    `width` and `height` in user units."""
    try:
        st = image.path.stat()
    except OSError:
        return 0.0
    return _aspect(root, image.path, st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=32)
def _aspect(root: Path, path: Path, mtime: int, size: int) -> float:
    try:
        data = files.read_bytes(root, path, what=f"logo {path.name!r}")
    except BriefError:
        return 0.0  # the identity's checks report it
    width, height = _svg_size(data) if path.suffix.lower() == ".svg" else _raster_size(data)
    return width / height if height > 0 else 0.0


def _raster_size(data: bytes) -> tuple[float, float]:
    try:
        with PILImage.open(io.BytesIO(data)) as opened:
            return float(opened.size[0]), float(opened.size[1])
    except (OSError, ValueError):
        return 0.0, 0.0


def _svg_size(data: bytes) -> tuple[float, float]:
    """An SVG's `viewBox` size, else its `width` and `height` (checked when the identity was
    read, `read.images.svg_problem`: no DTD, no entity)."""
    try:
        root = ElementTree.fromstring(data)
        box = root.get("viewBox", "").replace(",", " ").split()
        if len(box) == 4:
            return float(box[2]), float(box[3])
        return (float(re.sub(r"(px)?\s*$", "", root.get("width", "0"))),
                float(re.sub(r"(px)?\s*$", "", root.get("height", "0"))))
    except (ElementTree.ParseError, ValueError):
        return 0.0, 0.0


def file_uri(image: Image) -> str:
    """A logo's `src` as its file URL (which the render's URL fetcher accepts: the brand's
    files, `pdf.render_pdf`)."""
    return image.path.as_uri()


def relative_to(folder: Path) -> Callable[[Image], str]:
    """A logo's `src` relative to `folder`, the document's base URL (a PDF's: its brief's
    folder), so that the HTML, and so the PDF, are the same wherever the project lies; the
    render's URL fetcher accepts the brand's files (`pdf.render_pdf`)."""
    def src(image: Image) -> str:
        return quote(Path(os.path.relpath(image.path, folder)).as_posix())
    return src


@dataclass(frozen=True, slots=True)
class BrandView:
    """The identity as templates see it (`doc.brand`). `source` gives a logo's `src` in the
    output (a PDF: its file URL; the web page: its copy's path beside the page)."""

    brand: Brand = DEFAULT
    source: Callable[[Image], str] = file_uri
    language: str = ""  # the document's: the signatory's role in it

    @property
    def name(self) -> str:
        return self.brand.name

    @property
    def short_name(self) -> str:
        return self.brand.short_name

    @property
    def url(self) -> str:
        return self.brand.url

    @property
    def url_display(self) -> Markup:
        """The web address as printed: without its scheme and final slash, breakable only
        where an address may break (`text.addresses`)."""
        shown = self.brand.url.split("://", 1)[-1].rstrip("/")
        return Markup(breakable_url(shown)) if shown else Markup("")

    def logo(self, size: LogoSize, dark: bool = False) -> LogoView | None:
        """The logo at `size` ("small", "medium", "large"; the nearest the brand has), on a
        dark background with `dark`; None when the brand has no logo."""
        image = self.brand.logo(size, dark=dark)
        if image is None:
            return None
        root = self.brand.path.parent if self.brand.path is not None else image.path.parent
        return LogoView(self.source(image), image.alt or self.brand.name,
                        aspect(image, root) >= WIDE_LOGO)

    @property
    def postal_address(self) -> tuple[str, ...]:
        return self.brand.postal_address

    @property
    def transparency_register(self) -> str:
        return self.brand.transparency_register

    @property
    def signatory(self) -> Signatory | None:
        """Who signs, their role in the document's language (`language`)."""
        person = self.brand.signatory
        return person.in_language(self.language) if person is not None else None
