"""images: header facts read with Pillow (no pixels decoded) and what `brief check` says about them.

Every image is generated here with Pillow into a temporary folder; no binary fixtures.
"""

from __future__ import annotations

import struct
import warnings
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from generator.read import images
from generator.read.images import MAX_IMAGE_PIXELS, ImageInfo, image_problem, read_image_info

FOGRA39 = Path(__file__).resolve().parent.parent / "styles" / "color" / "FOGRA39L-coated.icc"
NOT_AN_IMAGE = "is not a PNG, JPEG, GIF, WebP or SVG file; convert it"


@pytest.fixture(autouse=True)
def _pillow_as_brief_check_has_it(monkeypatch):
    """`brief check` reads images in a process that has not imported WeasyPrint, which sets
    Pillow's LOAD_TRUNCATED_IMAGES when imported; a test that ran earlier in this process may
    have imported it, so these tests set Pillow as `brief check` has it."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)


def _sof_offset(data: bytes) -> int:
    """Where a JPEG's start-of-frame marker is, walking its segments from the start."""
    at = 2
    while data[at] == 0xFF:
        marker = data[at + 1]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return at
        at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
    raise AssertionError("no SOF marker")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header(width: int, height: int) -> bytes:
    """A PNG that is headers only: signature, IHDR (8-bit RGB), an empty IDAT and IEND.

    Pillow stops reading at IDAT, so the image opens lazily though it has no pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", b"")
            + _png_chunk(b"IEND", b""))


def test_cmyk_jpeg_with_icc_profile_before_the_frame_header(tmp_path):
    icc = FOGRA39.read_bytes()
    image = Image.new("CMYK", (1200, 900), (20, 80, 200, 10))
    image.paste(Image.merge("CMYK", [Image.effect_noise((80, 60), 40) for _ in range(4)]),
                (100, 100))
    path = tmp_path / "cmyk.jpg"
    image.save(path, "JPEG", quality=95, icc_profile=icc)
    data = path.read_bytes()
    assert 200_000 < len(data) < 400_000
    assert _sof_offset(data) > 64 * 1024  # past what the old hand-written sniffer read

    info = read_image_info(path)

    assert info == ImageInfo("jpeg", 1200, 900, len(data), "CMYK", None, icc)
    assert image_problem(tmp_path, "cmyk.jpg") is None


def test_16_bit_png(tmp_path):
    path = tmp_path / "deep.png"
    Image.new("I;16", (64, 48), 40_000).save(path, "PNG")
    assert path.read_bytes()[24] == 16  # IHDR bit depth

    info = read_image_info(path)

    assert info is not None
    assert (info.format, info.width, info.height, info.mode) == ("png", 64, 48, "I;16")
    assert image_problem(tmp_path, "deep.png") is None


def test_progressive_jpeg(tmp_path):
    path = tmp_path / "progressive.jpg"
    Image.new("RGB", (320, 200), "teal").save(path, "JPEG", progressive=True, dpi=(72, 72))
    assert _sof_offset(path.read_bytes()) == path.read_bytes().find(b"\xff\xc2")  # SOF2

    info = read_image_info(path)

    assert info == ImageInfo("jpeg", 320, 200, path.stat().st_size, "RGB", (72.0, 72.0), None)
    assert image_problem(tmp_path, "progressive.jpg") is None


def test_webp(tmp_path):
    path = tmp_path / "photo.webp"
    Image.new("RGB", (150, 100), "orange").save(path, "WEBP")

    info = read_image_info(path)

    assert info == ImageInfo("webp", 150, 100, path.stat().st_size, "RGB", None, None)
    assert image_problem(tmp_path, "photo.webp") is None


def test_gif(tmp_path):
    path = tmp_path / "chart.gif"
    Image.new("P", (33, 21), 3).save(path, "GIF")

    info = read_image_info(path)

    assert info == ImageInfo("gif", 33, 21, path.stat().st_size, "P", None, None)
    assert image_problem(tmp_path, "chart.gif") is None


def test_jpeg_with_multi_picture_segment_is_a_jpeg(tmp_path):
    path = tmp_path / "camera.jpg"
    Image.new("RGB", (40, 30), "red").save(path, "MPO", save_all=True,
                                           append_images=[Image.new("RGB", (40, 30), "blue")])
    with Image.open(path) as opened:
        assert opened.format == "MPO"

    info = read_image_info(path)

    assert info is not None
    assert (info.format, info.width, info.height) == ("jpeg", 40, 30)
    assert image_problem(tmp_path, "camera.jpg") is None


@pytest.mark.parametrize("text", [
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    b'\xef\xbb\xbf \n\t<svg xmlns="http://www.w3.org/2000/svg"/>',
    b'<!DOCTYPE svg>\n<!-- drawn by hand -->\n<svg xmlns="http://www.w3.org/2000/svg"/>',
])
def test_svg(tmp_path, text):
    path = tmp_path / "figure.svg"
    path.write_bytes(text)

    assert read_image_info(path) == ImageInfo("svg", 0, 0, len(text), "", None, None)
    assert image_problem(tmp_path, "figure.svg") is None


def test_svg_tag_after_the_first_kib_is_not_recognised(tmp_path):
    path = tmp_path / "late.svg"
    path.write_bytes(b"<!-- " + b"x" * 1100 + b" -->\n<svg/>")

    assert read_image_info(path) is None
    assert image_problem(tmp_path, "late.svg") == f"image 'late.svg' {NOT_AN_IMAGE}"


@pytest.mark.parametrize(("name", "kind", "message"), [
    ("x.tif", "TIFF", "image 'x.tif' is a TIFF file; export it as PNG or JPEG"),
    ("x.bmp", "BMP", "image 'x.bmp' is a BMP file; export it as PNG or JPEG"),
])
def test_known_formats_we_do_not_accept_are_named(tmp_path, name, kind, message):
    Image.new("RGB", (20, 10), "white").save(tmp_path / name, kind)

    assert read_image_info(tmp_path / name) is None
    assert image_problem(tmp_path, name) == message


def test_text_file_named_png_is_refused(tmp_path):
    (tmp_path / "notes.png").write_text("These are notes, not a chart.\n", encoding="utf-8")

    assert read_image_info(tmp_path / "notes.png") is None
    assert image_problem(tmp_path, "notes.png") == f"image 'notes.png' {NOT_AN_IMAGE}"


def _corrupt_ihdr_crc(png: bytes) -> bytes:
    damaged = bytearray(png)
    damaged[29] ^= 0xFF  # last byte of the IHDR chunk's CRC
    return bytes(damaged)


@pytest.mark.parametrize("damage", [
    lambda png: png[:8],  # signature only
    lambda png: png[:20],  # IHDR cut short
    lambda png: png[:33],  # IHDR without the chunk after it
    _corrupt_ihdr_crc,
], ids=["signature-only", "ihdr-cut", "ihdr-only", "bad-crc"])
def test_damaged_png_header_is_refused_without_an_exception(tmp_path, damage):
    good = tmp_path / "good.png"
    Image.new("RGB", (16, 16), "navy").save(good, "PNG")
    (tmp_path / "bad.png").write_bytes(damage(good.read_bytes()))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert read_image_info(tmp_path / "bad.png") is None
        assert image_problem(tmp_path, "bad.png") == f"image 'bad.png' {NOT_AN_IMAGE}"
    assert caught == []


def test_huge_png_header_meets_our_pixel_cap_not_pillows(tmp_path):
    (tmp_path / "huge.png").write_bytes(_png_header(30_000, 30_000))
    limit = Image.MAX_IMAGE_PIXELS
    assert limit is not None and 2 * limit < 30_000 * 30_000  # Pillow alone would raise

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        info = read_image_info(tmp_path / "huge.png")
        problem = image_problem(tmp_path, "huge.png")

    assert caught == []
    assert limit == Image.MAX_IMAGE_PIXELS  # Pillow's own check is back on
    assert info is not None and (info.format, info.width, info.height) == ("png", 30_000, 30_000)
    assert problem == ("image 'huge.png' is 30000 × 30000 pixels, more than the 60 megapixels "
                       "allowed; scale it down (300 dpi at print size is enough)")


def _with_actl(data: bytes) -> bytes:
    """A headers-only 30×20 PNG with an APNG animation-control chunk holding `data`."""
    png = _png_header(30, 20)
    return png[:33] + _png_chunk(b"acTL", data) + png[33:]  # after the signature and IHDR


def test_pillow_warning_while_reading_a_header_does_not_escape(tmp_path):
    (tmp_path / "odd.png").write_bytes(_with_actl(struct.pack(">II", 0, 0)))  # zero frames
    with pytest.warns(UserWarning, match="Invalid APNG"), Image.open(tmp_path / "odd.png"):
        pass

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        info = read_image_info(tmp_path / "odd.png")
        problem = image_problem(tmp_path, "odd.png")

    assert caught == []
    assert info is not None and (info.format, info.width, info.height) == ("png", 30, 20)
    assert problem is None


def test_pillow_error_outside_its_usual_ones_is_a_refusal(tmp_path):
    (tmp_path / "odd.png").write_bytes(_with_actl(b"\0\0\0\1"))  # acTL cut short
    with pytest.raises(ValueError, match="truncated acTL"):
        Image.open(tmp_path / "odd.png")

    assert read_image_info(tmp_path / "odd.png") is None
    assert image_problem(tmp_path, "odd.png") == f"image 'odd.png' {NOT_AN_IMAGE}"


def test_pixel_count_between_our_cap_and_pillows_warning_is_refused(tmp_path):
    (tmp_path / "big.png").write_bytes(_png_header(10_000, 7_000))  # 70 MP: Pillow is silent
    assert MAX_IMAGE_PIXELS < 10_000 * 7_000

    assert image_problem(tmp_path, "big.png") == (
        "image 'big.png' is 10000 × 7000 pixels, more than the 60 megapixels allowed; scale "
        "it down (300 dpi at print size is enough)")


def test_one_side_too_long_is_refused(tmp_path):
    (tmp_path / "strip.png").write_bytes(_png_header(20_001, 10))

    assert image_problem(tmp_path, "strip.png") == (
        "image 'strip.png' is 20001 × 10 pixels, more than the 60 megapixels allowed; scale "
        "it down (300 dpi at print size is enough)")


def test_file_over_the_byte_cap_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "heavy.png"
    Image.new("RGB", (8, 8), "green").save(path, "PNG")
    with path.open("ab") as handle:
        handle.write(b"\0" * (3 * 2**20))  # after IEND: Pillow ignores it, the file is 3 MiB
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 2**20)

    assert image_problem(tmp_path, "heavy.png") == (
        "image 'heavy.png' is 3 MiB, more than the 1 MiB allowed; export it smaller")
    monkeypatch.undo()
    assert image_problem(tmp_path, "heavy.png") is None


def test_dpi_is_read_from_png(tmp_path):
    path = tmp_path / "print.png"
    Image.new("RGB", (30, 20), "white").save(path, "PNG", dpi=(300, 300))

    info = read_image_info(path)

    assert info is not None and info.dpi is not None
    assert info.dpi == pytest.approx((300.0, 300.0), abs=0.01)  # stored as pixels per metre


def test_png_without_dpi_or_profile(tmp_path):
    path = tmp_path / "plain.png"
    Image.new("RGBA", (30, 20)).save(path, "PNG")

    assert read_image_info(path) == ImageInfo("png", 30, 20, path.stat().st_size, "RGBA", None,
                                              None)


@pytest.mark.parametrize(("src", "message"), [
    ("", "image '' must be a file in the brief's folder, e.g. ![…](chart.png)"),
    ("https://example.org/a.png",
     "image 'https://example.org/a.png' must be a file in the brief's folder, "
     "e.g. ![…](chart.png)"),
    ("/etc/a.png", "image '/etc/a.png' must be a file in the brief's folder, e.g. ![…](chart.png)"),
    ("../a.png", "image '../a.png' must be a file in the brief's folder, e.g. ![…](chart.png)"),
    ("missing.png", "image 'missing.png' not found in brief/; add the file or fix the name"),
    ("link.png", "image 'link.png' is a symbolic link leading outside brief/, and brief reads "
     "nothing outside the project; copy the file itself into brief/"),
])
def test_where_the_image_is(tmp_path, src, message):
    folder = tmp_path / "brief"
    folder.mkdir()
    Image.new("RGB", (4, 4)).save(tmp_path / "outside.png", "PNG")
    (folder / "link.png").symlink_to(tmp_path / "outside.png")

    assert image_problem(folder, src) == message
