"""images: an image file in a brief's folder → its header facts (format, size, mode, dpi, ICC
profile), read with Pillow without decoding pixels, and what is wrong with it.

`read_image_info` opens a file lazily with Pillow (headers only: pixels are never loaded), so
it sees past large metadata such as the ICC profile of a CMYK JPEG; `image_problem` turns the
facts into the message `brief check` reports: outside the folder, not an image WeasyPrint can
render, or over the byte and pixel caps. SVG files are recognised from their text, and read
once with expat before rendering (`svg_problem`), so that a file WeasyPrint would refuse without
a reason (not well-formed, an external, nested, long or too many entities) is refused with one,
and so is one that is more than a picture (a script, an event handler, `<foreignObject>`, HTML,
a reference outside the file — CSS read with tinycss2): the web edition serves the file as it
is, and a browser that opens it would run it on the site's origin (docs/security.md).
"""

from __future__ import annotations

import math
import os
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NoReturn
from urllib.parse import urlsplit
from xml.parsers import expat

import tinycss2
import tinycss2.ast
from PIL import Image

from .. import files
from .stylesheets import _urls as stylesheet_urls

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000  # e.g. 10 000 × 6 000: more than any A4 page needs at 600 dpi
MAX_IMAGE_SIDE = 20_000

#: Pillow's format names → ours, for the raster formats WeasyPrint renders (through Pillow).
#: MPO is what Pillow calls a JPEG with a multi-picture segment, as many cameras write.
_RASTER_FORMATS = {"PNG": "png", "JPEG": "jpeg", "MPO": "jpeg", "GIF": "gif", "WEBP": "webp"}
_ACCEPTED = {*_RASTER_FORMATS.values(), "svg"}

_pillow_limit = threading.Lock()


@dataclass(frozen=True, slots=True)
class ImageInfo:
    format: str  # "png", "jpeg", "gif", "webp" or "svg"
    width: int  # pixels; 0 for SVG
    height: int
    size: int  # bytes
    mode: str  # Pillow's mode, e.g. "RGB", "CMYK", "I;16"; "" for SVG
    dpi: tuple[float, float] | None  # as the file declares it, if it does
    icc_profile: bytes | None  # the embedded colour profile, if any


def read_image_info(path: Path) -> ImageInfo | None:
    """Format, pixel size, mode, dpi and ICC profile from an image file's headers; None when it
    is no image we accept (another format, or a header that cannot be read, or a file of
    another folder than its own, which the gate refuses)."""
    info = _read_headers(path, path.parent)
    return info if info is not None and info.format in _ACCEPTED else None


def image_problem(folder: Path, src: str) -> str | None:  # noqa: PLR0911 — a return per check
    """What is wrong with an image a brief uses, or None: it must be a PNG, JPEG, GIF, WebP or
    SVG file inside the brief's folder, within the size and pixel caps."""
    if not src or "://" in src or src.startswith("/") or ".." in src.split("/"):
        return f"image {src!r} must be a file in the brief's folder, e.g. ![…](chart.png)"
    path = folder / src
    wrong = files.problem(folder, path, limit=None)  # the gate: its size is checked below
    if wrong == "":
        return f"image {src!r} not found in {folder.name}/; add the file or fix the name"
    if wrong is not None:  # a link leading out of the folder, a FIFO, a folder …
        return f"image {src!r} {wrong}"
    info = _read_headers(path, folder)
    if info is None:
        return f"image {src!r} is not a PNG, JPEG, GIF, WebP or SVG file; convert it"
    if info.format not in _ACCEPTED:
        name = info.format.upper()
        article = "an" if name[0] in "AEIOU" else "a"
        return f"image {src!r} is {article} {name} file; export it as PNG or JPEG"
    if info.size > MAX_IMAGE_BYTES:
        return (f"image {src!r} is {info.size / 2**20:.0f} MiB, more than the "
                f"{MAX_IMAGE_BYTES // 2**20} MiB allowed; export it smaller")
    if info.format == "svg":
        problem = svg_problem(path, folder)
        return f"image {src!r} {problem}" if problem else None
    if (info.width * info.height > MAX_IMAGE_PIXELS or info.width > MAX_IMAGE_SIDE
            or info.height > MAX_IMAGE_SIDE):
        return (f"image {src!r} is {info.width} × {info.height} pixels, more than the "
                f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels allowed; scale it down (300 dpi "
                "at print size is enough)")
    return None


class _Refused(Exception):
    """An SVG declaration brief refuses (raised from expat's handlers)."""


#: An internal entity may stand for this many characters at most, and a file declare this many:
#: Illustrator's namespace entities (`<!ENTITY ns_svg "http://www.w3.org/2000/svg">`) fit, while
#: a long value repeated (a "quadratic blowup") cannot fill the memory.
MAX_ENTITY_CHARS = 64
MAX_ENTITIES = 32

_XHTML = "http://www.w3.org/1999/xhtml"
#: Elements that run code or embed another document (HTML) in a browser that opens the file.
_CODE = {"script": "a <script>", "foreignobject": "a <foreignObject>",
         "handler": "a <handler>", "listener": "a <listener>"}
_ANIMATIONS = {"set", "animate", "animatecolor", "animatemotion", "animatetransform"}
#: `data:` images an SVG may embed: the raster formats the build's URL fetcher serves.
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif)[;,]", re.IGNORECASE)


def _reference_problem(value: str) -> str | None:
    """What is wrong with a reference inside an SVG (`href`, `url()`), or None: only a part of
    the same file (`#id`) or an embedded PNG, JPEG or GIF (`data:image/png;base64,…`)."""
    value = value.strip()
    if _DATA_IMAGE.match(value):
        return None
    parts = urlsplit(value)
    if not parts.scheme and not parts.netloc and not parts.path and not parts.query:
        return None  # "#id", or "" (no reference)
    if parts.scheme.lower() in {"http", "https", "ftp"} or parts.netloc:
        what = "an address on the internet"
    elif parts.scheme.lower() == "data":
        what = "embedded data other than a PNG, JPEG or GIF image"
    elif parts.scheme:
        what = f"a {parts.scheme}: address"
    else:
        what = "another file"
    return f"refers to {what} ({_shown(value)})"


def _shown(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "…")


class _SvgChecker:
    """expat's handlers for one SVG: they raise `_Refused` at the first thing a picture must
    not hold, with its line."""

    def __init__(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        self.entities = 0
        self.style: list[str] | None = None  # the text of the <style> being read
        self.parsed: dict[str, list[str]] = {}
        parser.EntityDeclHandler = self.entity
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.ProcessingInstructionHandler = self.instruction

    def refuse(self, what: str, advice: str) -> NoReturn:
        raise _Refused(f"{what} (line {self.parser.CurrentLineNumber}), {advice}")

    def entity(self, name: str, _parameter: int, value: str | None, _base: str | None,
               system_id: str | None, public_id: str | None, _notation: str | None) -> None:
        if value is None or system_id or public_id:
            raise _Refused(f"declares the external entity {name!r}, which would read another "
                           "file; export the SVG again without it")
        if "&" in value or "%" in value:
            raise _Refused(f"declares the entity {name!r} in terms of other entities, which can "
                           "grow without end (a \"billion laughs\"); export the SVG again "
                           "without a DOCTYPE")
        self.entities += 1
        if len(value) > MAX_ENTITY_CHARS or self.entities > MAX_ENTITIES:
            raise _Refused(f"declares the entity {name!r}, one of {self.entities} or of "
                           f"{len(value)} characters (at most {MAX_ENTITIES} of "
                           f"{MAX_ENTITY_CHARS} are allowed: repeated, they can fill the "
                           "memory); export the SVG again without a DOCTYPE")

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        namespace, _, name = tag.rpartition(" ")
        local = name.lower()
        if local in _CODE:
            self.refuse(f"holds {_CODE[local]}", "which a browser that opens the file runs; "
                        "remove it (a figure is a picture only)")
        if namespace == _XHTML:
            self.refuse(f"holds the HTML element <{name}>", "which a browser renders as a web "
                        "page; remove it (a figure is a picture only)")
        for key, value in attributes.items():
            attribute = key.rpartition(" ")[2]
            if attribute.lower().startswith("on"):
                self.refuse(f"has the event handler {attribute}= on <{name}>", "a script a "
                            "browser runs; remove it (a figure is a picture only)")
            if attribute.lower() == "href":
                self.check_reference(value, f"<{name} {attribute}=…>")
            elif attribute.lower() == "attributename" and local in _ANIMATIONS and (
                    value.rpartition(":")[2].lower() in {"href"}
                    or value.lower().startswith("on")):
                self.refuse(f"animates {value}= on <{name}>", "which can make a link run a "
                            "script; remove the animation")
            elif "(" in value and ("url" in value.lower() or "\\" in value):
                # (a url() may hide behind CSS escapes, `u\72 l(`, hence the backslash)
                for url in self.urls(value):
                    self.check_reference(url, f"{attribute}= on <{name}>")
        if local == "style":
            self.style = []

    def urls(self, value: str) -> list[str]:
        """The url()s of an attribute's value (`style=` too), parsed with tinycss2 once for
        each value (charts repeat `fill="url(#g)"` thousands of times)."""
        if value not in self.parsed:
            nodes = tinycss2.parse_component_value_list(value)
            self.parsed[value] = [url for url, _line, _column in stylesheet_urls(nodes)]
        return self.parsed[value]

    def check_reference(self, value: str, where: str) -> None:
        problem = _reference_problem(value)
        if problem:
            self.refuse(f"has {where} that {problem}", "which the web edition would fetch from a "
                        "reader's browser; embed what it shows in the SVG, or remove it")

    def text(self, data: str) -> None:
        if self.style is not None:
            self.style.append(data)

    def end(self, tag: str) -> None:
        if self.style is None or tag.rpartition(" ")[2].lower() != "style":
            return
        rules = tinycss2.parse_stylesheet("".join(self.style), skip_comments=True,
                                          skip_whitespace=True)
        self.style = None
        for rule in rules:
            if isinstance(rule, tinycss2.ast.AtRule) and rule.lower_at_keyword == "import":
                self.refuse("has an @import in its <style>", "which would load another "
                            "stylesheet; copy the rules into the <style> instead")
        for url, _line, _column in stylesheet_urls(rules):
            self.check_reference(url, "a <style>")

    def instruction(self, target: str, _data: str) -> None:
        if target.lower() == "xml-stylesheet":
            self.refuse("names a stylesheet (<?xml-stylesheet?>)", "which a browser would "
                        "load from elsewhere; move its rules into a <style> in the SVG")


def svg_problem(path: Path, folder: Path) -> str | None:
    """Why an SVG file of `folder` cannot be used (the end of a message about it), or None (it is
    read through the gate, `files.open_binary`, and parsed once with expat). It must be
    well-formed XML without external entities (which would read other files), without entities
    that refer to entities (which grow without end: a "billion laughs") or long or many ones,
    and a picture only: no script, event handler, <foreignObject> or HTML, and no reference
    but to a part of itself or an embedded PNG, JPEG or GIF — the web edition serves the file
    as it is, and a browser that opens it runs what it holds on the site's origin."""
    parser = expat.ParserCreate(namespace_separator=" ")
    _SvgChecker(parser)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        with files.open_binary(folder, path, what="image") as handle:
            parser.ParseFile(handle)
    except files.Refused as exc:
        return exc.problem
    except _Refused as exc:
        return str(exc)
    except expat.ExpatError as exc:
        return (f"cannot be read as SVG: {expat.ErrorString(exc.code)} on line {exc.lineno}, "
                f"column {exc.offset + 1}; open it in a drawing program and export it again")
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    return None


def _read_headers(path: Path, folder: Path) -> ImageInfo | None:
    """The header facts of any image Pillow can identify (its format name in lower case) or of
    an SVG file; None when the file is unreadable (or refused by the gate as a file of
    `folder`) or no image at all."""
    try:
        handle = files.open_binary(folder, path, what="image", limit=None)
    except (files.Refused, OSError):
        return None
    with handle:
        return _headers(handle)


def _headers(handle: BinaryIO) -> ImageInfo | None:
    size = os.fstat(handle.fileno()).st_size
    head = handle.read(64 * 1024)
    if _is_svg(head):
        return ImageInfo("svg", 0, 0, size, "", None, None)
    handle.seek(0)
    try:
        # Lazy: Image.open parses the headers and leaves the pixels undecoded (no .load()).
        with _caps_are_ours(), Image.open(handle) as image:
            if not image.format:
                return None
            width, height = image.size
            return ImageInfo(_RASTER_FORMATS.get(image.format, image.format.lower()),
                             width, height, size, image.mode, _dpi(image.info.get("dpi")),
                             image.info.get("icc_profile") or None)
    except Exception:  # noqa: BLE001 — Pillow raises many kinds of error on a bad header
        return None


def _is_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith((b"<?xml", b"<svg")) or b"<svg" in text[:1024]


@contextmanager
def _caps_are_ours() -> Iterator[None]:
    """Pillow's decompression-bomb check off and its warnings silenced while a header is read,
    so a huge image gets our pixel cap's message (with its size) rather than Pillow's
    DecompressionBombError or Warning. Opening decodes no pixels, so this is safe (only WebP's
    decoder reserves its canvas, zeroed memory that stays untouched); the previous limit is
    restored at once, and the lock keeps two readers from restoring each other's."""
    with _pillow_limit, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        limit = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = None
        try:
            yield
        finally:
            Image.MAX_IMAGE_PIXELS = limit


def _dpi(value: object) -> tuple[float, float] | None:
    """Pillow's `dpi` (ints, floats or EXIF rationals) as two positive floats, or None."""
    if not isinstance(value, tuple) or len(value) != 2:
        return None
    try:
        x, y = float(value[0]), float(value[1])
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return (x, y) if all(math.isfinite(v) and v > 0 for v in (x, y)) else None
