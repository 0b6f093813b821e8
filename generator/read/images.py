"""images: an image file in a brief's folder → its header facts (format, size, mode, dpi, ICC
profile), read with Pillow without decoding pixels, and what is wrong with it.

`read_image_info` opens a file lazily with Pillow (headers only: pixels are never loaded), so
it sees past large metadata such as the ICC profile of a CMYK JPEG; `image_problem` turns the
facts into the message `brief check` reports: outside the folder, not an image WeasyPrint can
render, or over the byte and pixel caps. SVG files are recognised from their text, and read
once with expat before rendering (`svg_problem`), so that a file WeasyPrint would refuse without
a reason (not well-formed, an external or nested entity) is refused with one.
"""

from __future__ import annotations

import math
import os
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from PIL import Image

from .. import files

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


def svg_problem(path: Path, folder: Path) -> str | None:
    """Why an SVG file of `folder` cannot be used (the end of a message about it), or None (it is
    read through the gate, `files.open_binary`): it must be
    well-formed XML without external entities (which would read other files) and without
    entities that refer to entities (which grow without end: a "billion laughs")."""
    parser = expat.ParserCreate()

    def entity(name: str, _parameter: int, value: str | None, _base: str | None,
               system_id: str | None, public_id: str | None, _notation: str | None) -> None:
        if value is None or system_id or public_id:
            raise _Refused(f"declares the external entity {name!r}, which would read another "
                           "file; export the SVG again without it")
        if "&" in value or "%" in value:
            raise _Refused(f"declares the entity {name!r} in terms of other entities, which can "
                           "grow without end (a \"billion laughs\"); export the SVG again "
                           "without a DOCTYPE")

    parser.EntityDeclHandler = entity
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
