"""brand_checks: an identity's colours converted to CMYK through the output's profile, and what
`brief check` says about its contrast, fonts and logos, on `Brand` objects made here (the
reader is tested with the reader). Images and fonts are made here too: Pillow draws the logos,
fontTools' subsetter takes letters out of the shipped Gentium Book Plus."""

from __future__ import annotations

import contextlib
import io
import math
import os
import pickle
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from fontTools import subset
from fontTools.ttLib import TTFont
from hyperglot import language as hyperglot_language
from PIL import Image, ImageCms

from generator.errors import BriefError, ContentError, Mark
from generator.project import Project
from generator.read import brand_checks, schema
from generator.read.brand import Brand, Colour, Family, FontFile, Logo, print_cmyk
from generator.read.brand import Image as LogoImage
from generator.read.brand_checks import (
    AA_NORMAL,
    CONTRAST_PAIRS,
    LOGO_PRINT_HEIGHT_MM,
    MIN_PRINT_PPI,
    PRINT_PPI,
    SHIPPED_FAMILIES,
    BrandWarning,
    brand_problems,
    contrast,
    contrast_problems,
    font_problems,
    hyperglot_code,
    letters_of,
    logo_problems,
    luminance,
    passing_shade,
    to_cmyk,
)
from generator.text import locale

from .support import REPO

FOGRA39 = (REPO / "styles/color/FOGRA39L-coated.icc").read_bytes()
RELATIVE = ImageCms.Intent.RELATIVE_COLORIMETRIC
GENTIUM = REPO / "styles/fonts/GentiumBookPlus-Regular.ttf"

#: Today's look (styles/base.css), as the sample's _brand.yml gives it.
TODAY = {"accent": "#0b5c6b", "ink": "#1a1a1a", "muted": "#5b6670", "paper": "#ffffff",
         "placeholder": "#a33a00", "on-accent": "#ffffff", "accent-tint": "#e6f0f2",
         "quote-ink": "#2b3338", "on-accent-muted": "#cfe3e7", "on-accent-soft": "#e6f0f2",
         "on-accent-placeholder": "#ffd2a8", "rule": "#9aa5ad", "focus": "#b35900"}


def brand_file(tmp_path: Path) -> Path:
    path = tmp_path / "_brand.yml"
    path.write_text("meta: {name: Test}\n", encoding="utf-8")
    return path


def colours(path: Path | None, **values: str) -> dict[str, Colour]:
    """Colours of TODAY with `values` changed (`on_accent=` for on-accent), each at its own
    line of `path`."""
    merged = TODAY | {token.replace("_", "-"): value for token, value in values.items()}
    return {token: Colour(token, value, mark=Mark(path, line) if path else None)
            for line, (token, value) in enumerate(merged.items(), start=10)}


def messages(problems: list[BriefError]) -> list[str]:
    return [line for problem in problems for line in problem.lines()]


# ---------------------------------------------------------------------------------------------
# CMYK


def lab(cmyk: tuple[float, float, float, float] | None = None,
        rgb: str | None = None) -> tuple[float, float, float]:
    """What a CMYK value prints as on FOGRA39 (or an sRGB colour shows as), in CIELAB (D50,
    relative colorimetric), through LittleCMS: L 0–100, a and b −128–127 (8 bits a channel)."""
    lab_profile = ImageCms.createProfile("LAB")
    if cmyk is not None:
        image = Image.new("CMYK", (1, 1), tuple(round(v * 255) for v in cmyk))
        source = ImageCms.ImageCmsProfile(io.BytesIO(FOGRA39))
        transform = ImageCms.buildTransform(source, lab_profile, "CMYK", "LAB",
                                            renderingIntent=RELATIVE)
    else:
        assert rgb is not None
        image = Image.new("RGB", (1, 1), rgb)
        transform = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), lab_profile, "RGB",
                                            "LAB", renderingIntent=RELATIVE)
    converted = ImageCms.applyTransform(image, transform)
    assert converted is not None
    pixel = converted.getpixel((0, 0))
    assert isinstance(pixel, tuple)
    lightness, a, b = pixel
    return lightness * 100 / 255, a - 128, b - 128  # LittleCMS' Lab_8: a and b offset by 128


def delta_e(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """CIE 1976 colour difference (ΔE*ab)."""
    return sum((x - y) ** 2 for x, y in zip(first, second, strict=True)) ** 0.5


def test_white_is_no_ink_and_black_is_the_profiles_rich_black():
    white, black = to_cmyk(["#ffffff", "#000000"], FOGRA39)
    assert white == (0.0, 0.0, 0.0, 0.0)
    # black point compensation maps sRGB's black to the profile's darkest printable black:
    # all four inks, within FOGRA39's 330 % total area coverage
    c, m, y, k = black
    assert k > 0.95 and c > 0.8 and m > 0.7 and y > 0.5
    assert 3.0 < c + m + y + k <= 3.3


def test_the_samples_teal_prints_near_its_hand_value():
    """The hand value (styles/print-cmyk.css: 0.92 0.32 0.35 0.38) and the profile's separate
    the teal differently (the profile puts more of it in black: its black generation), so they
    are compared by what they print as, in CIELAB through the same profile (8-bit Lab: up to
    0.5 on each axis). Measured: the conversion is ΔE*ab 2.5 from the screen colour (an in-gamut
    colour reproduced, within the profile's and the 8-bit steps' error: ≤ 3), the hand value
    4.7 (chosen by eye, a little more saturated), and the two 6.3 apart — a little less than the
    sum of both, as two separations of the same colour should be (≤ 7), with the same lightness
    (within 2)."""
    (converted,) = to_cmyk(["#0b5c6b"], FOGRA39)
    hand = (0.92, 0.32, 0.35, 0.38)
    screen = lab(rgb="#0b5c6b")
    assert delta_e(lab(converted), screen) <= 3
    assert delta_e(lab(converted), screen) < delta_e(lab(hand), screen)
    assert delta_e(lab(converted), lab(hand)) <= 7
    assert abs(lab(converted)[0] - lab(hand)[0]) <= 2
    assert converted[0] > converted[1] and converted[3] > 0.3  # cyan and black, little magenta


def test_one_transform_converts_every_value_in_order_and_the_same_each_time():
    values = ["#0b5c6b", "#ffffff", "#a33a00", "#1a1a1a", "#e6f0f2"]
    once = to_cmyk(values, FOGRA39)
    assert once == to_cmyk(values, FOGRA39)
    assert [to_cmyk([v], FOGRA39)[0] for v in values] == once
    assert all(0 <= channel <= 1 for cmyk in once for channel in cmyk)
    assert to_cmyk([], FOGRA39) == []


def test_a_value_that_is_not_rrggbb_is_refused_and_a_profile_that_is_not_one_too():
    with pytest.raises(ValueError, match="#rrggbb"):
        to_cmyk(["teal"], FOGRA39)
    with pytest.raises(BriefError, match="colour profile cannot be read"):
        to_cmyk(["#ffffff"], b"not a profile")


# ---------------------------------------------------------------------------------------------
# Contrast


def test_wcag_contrast_of_known_pairs():
    assert luminance("#ffffff") == pytest.approx(1)
    assert luminance("#000000") == 0
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1)
    # WebAIM's contrast checker: #767676 on white is 4.54:1, the lightest grey that passes AA
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast("#777777", "#ffffff") < AA_NORMAL < contrast("#767676", "#ffffff")


def test_todays_look_passes_on_screen(tmp_path):
    brand = Brand(brand_file(tmp_path), "Test", colours=colours(tmp_path / "_brand.yml"))
    assert contrast_problems(brand, screen=True) == []


def test_a_light_accent_fails_on_screen_at_its_line_with_a_shade_that_passes(tmp_path):
    path = brand_file(tmp_path)
    brand = Brand(path, "Test", colours=colours(path, accent="#3fa7b5"))
    problems = contrast_problems(brand, screen=True)
    # the accent fails on the paper, and under the text on it: one message, at its line
    assert len(problems) == 1
    assert type(problems[0]) is ContentError
    (message,) = messages(problems)
    assert message.startswith(
        f"{path}:10: headings and links: the accent #3fa7b5 on the paper #ffffff, 2.84:1; text "
        "on the accent (the handout's cover): the on-accent #ffffff on the accent #3fa7b5, "
        "2.84:1; ")
    assert "— each less than the 4.5:1 WCAG AA asks of text on screen; use a darker accent " \
        "such as #" in message
    shade = message.split("such as ")[1][:7]
    on_it = [TODAY[token] for token in ("paper", "on-accent", "on-accent-muted",
                                        "on-accent-soft", "on-accent-placeholder")]
    assert min(contrast(shade, other) for other in on_it) == pytest.approx(AA_NORMAL, abs=0.1)
    assert message.endswith(f"({min(contrast(shade, o) for o in on_it):.2f}:1 or more with "
                            "each)")


def test_one_pair_says_its_contrast(tmp_path):
    path = brand_file(tmp_path)
    brand = Brand(path, "Test", colours=colours(path, muted="#8a939b"))
    (message,) = messages(contrast_problems(brand, screen=True))
    shade = passing_shade("#8a939b", "#ffffff")
    assert shade is not None
    assert message == (
        f"{path}:12: running heads, notes' addresses and subtitles: the muted #8a939b on the "
        "paper #ffffff has a contrast of 3.12:1, less than the 4.5:1 WCAG AA asks of text on "
        f"screen; use a darker muted such as {shade} ({contrast(shade, '#ffffff'):.2f}:1)")
    assert AA_NORMAL <= contrast(shade, "#ffffff") < AA_NORMAL + 0.1  # the nearest that passes


def test_on_paper_only_it_is_a_warning(tmp_path):
    path = brand_file(tmp_path)
    brand = Brand(path, "Test", colours=colours(path, muted="#aaaaaa"))
    (problem,) = contrast_problems(brand, screen=False)
    assert isinstance(problem, BrandWarning)
    assert getattr(problem, "warning", False) is True
    assert getattr(contrast_problems(brand, screen=True)[0], "warning", False) is False
    assert "the muted #aaaaaa on the paper #ffffff" in problem.message
    assert "on paper (the project has no screen output)" in problem.message


def test_every_pair_is_checked_and_the_right_one_of_each_is_changed(tmp_path):
    path = brand_file(tmp_path)
    grey = {token.replace("-", "_"): "#cccccc" for token in TODAY if token != "paper"}
    brand = Brand(path, "Test", colours=colours(path, **grey))
    found = messages(contrast_problems(brand, screen=True))
    # one message per colour to change, each pair named in it
    assert [line.split(": ")[1] for line in found] == [
        "text", "headings and links", "running heads, notes' addresses and subtitles",
        "quotations", "a placeholder's mark", "text in boxes", "the web edition's focus ring"]
    assert all(what in found[1] for _, background, what, _ in CONTRAST_PAIRS
               if background == "accent")
    proposed = [line.split("; ")[-1].split(" such as")[0] for line in found]
    assert proposed == [
        "use a darker ink", "use a darker accent", "use a darker muted", "use a darker quote-ink",
        "use a darker placeholder", "use a darker accent-tint", "use a darker focus"]


def test_a_pale_focus_ring_fails_on_screen_only(tmp_path):
    path = brand_file(tmp_path)
    brand = Brand(path, "Test", colours=colours(path, focus="#f0c080"))
    (problem,) = contrast_problems(brand, screen=True)
    assert type(problem) is ContentError
    shade = passing_shade("#f0c080", "#ffffff", 3.0)
    assert shade is not None and 3.0 <= contrast(shade, "#ffffff") < 3.1
    assert problem.lines() == [
        f"{path}:22: the web edition's focus ring: the focus #f0c080 on the paper #ffffff has a "
        f"contrast of 1.67:1, less than the 3:1 WCAG AA asks of what shows where the keyboard "
        f"is; use a darker focus such as {shade} ({contrast(shade, '#ffffff'):.2f}:1)"]
    assert contrast_problems(brand, screen=False) == []  # paper has no focus ring


def test_no_shade_of_a_hue_passes_on_a_mid_grey_paper():
    assert passing_shade("#ff0000", "#777777") is None
    assert passing_shade("#888888", "#ffffff") == "#767676"


def test_a_derived_colour_is_reported_at_the_first_line_of_the_file(tmp_path):
    path = brand_file(tmp_path)
    derived = {token: Colour(token, value) for token, value in TODAY.items()} \
        | {"muted": Colour("muted", "#bbbbbb"), "accent-tint": Colour("accent-tint", "#777777")}
    brand = Brand(path, "Test", colours=derived)
    muted, tint = contrast_problems(brand, screen=True)
    assert muted.lines()[0].startswith(f"{path}:1: ")
    assert "(set it under defaults: brief: color: muted:)" in muted.message
    assert "use a lighter accent-tint such as #" in tint.message
    assert "(set it under defaults: brief: color: accent-tint:)" in tint.message


# ---------------------------------------------------------------------------------------------
# Fonts


def test_every_language_with_a_catalog_has_its_letters_in_hyperglot():
    for language in locale.catalog_languages():
        letters = letters_of(language)
        assert letters is not None, language
        assert len(letters.base) >= 20, language
    assert hyperglot_code("et") == "ekk" and hyperglot_code("lv") == "lvs"
    assert hyperglot_code("pt-BR") == "por"
    assert letters_of("xx") is None


class _Trap:
    """Unpickled, it makes the folder `made` (as a planted pickle could run anything)."""

    def __init__(self, made: Path) -> None:
        self.made = made

    def __reduce__(self) -> tuple[object, ...]:
        return (os.mkdir, (str(self.made),))


def test_reading_letters_neither_reads_nor_writes_a_cache_in_the_working_directory(
        tmp_path, monkeypatch):
    """hyperglot's `Language` unpickles `.hyperglot-cache` from the working directory (a
    project's folder, when `brief check` runs there); the letters are read without it."""
    monkeypatch.chdir(tmp_path)
    made = tmp_path / "unpickled"
    (tmp_path / ".hyperglot-cache").write_bytes(pickle.dumps(_Trap(made)))
    monkeypatch.setattr(hyperglot_language, "LANGUAGE_CACHE", {})  # as in a new process
    letters_of.cache_clear()
    for language in locale.catalog_languages():
        assert letters_of(language) is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == [".hyperglot-cache"]
    # the trap works: hyperglot's own way in would have run it
    with contextlib.suppress(Exception):
        hyperglot_language.Language("default", inherit=False)
    assert made.is_dir()


def subset_font(target: Path, without: str) -> Path:
    """Gentium Book Plus without the characters of `without`."""
    with TTFont(GENTIUM) as font:
        keep = [code for code in font.getBestCmap() if chr(code) not in without]
        subsetter = subset.Subsetter(subset.Options(drop_tables=["Silf", "Glat", "Gloc", "Feat",
                                                                 "Sill"]))
        subsetter.populate(unicodes=keep)
        subsetter.subset(font)
        font.save(target)
    return target


def font_brand(path: Path, files: list[Path], name: str = "Source Serif 4") -> Brand:
    family = Family(name, tuple(FontFile(file, mark=Mark(path, 20 + i))
                                for i, file in enumerate(files)), Mark(path, 19))
    return Brand(path, "Test", text_family=family)


def test_a_font_without_hungarian_letters_fails_naming_them(tmp_path):
    path = brand_file(tmp_path)
    (tmp_path / "brand/fonts").mkdir(parents=True)
    font = subset_font(tmp_path / "brand/fonts/X.ttf", "őűŐŰ")
    problems = font_problems(font_brand(path, [font]), languages=["en", "hu", "de"])
    assert messages(problems) == [
        f"{path}:20: font \"Source Serif 4\" (brand/fonts/X.ttf) lacks ő, ű, Ő and Ű of "
        "Hungarian (hu), which this project builds; choose a font that has them, or a version "
        "of it with more languages (often called 'Pro' or 'Extended')"]
    assert type(problems[0]) is ContentError
    # a project that does not build Hungarian has no use for them
    assert font_problems(font_brand(path, [font]), languages=["en", "de"]) == []


def test_a_letter_of_loanwords_only_is_a_warning(tmp_path):
    path = brand_file(tmp_path)
    font = subset_font(tmp_path / "X.ttf", "ẞ")  # German's capital sharp s: auxiliary
    (problem,) = font_problems(font_brand(path, [font]), languages=["de"])
    assert isinstance(problem, BrandWarning)
    assert "lacks ẞ of German (de) (in names and loanwords)" in problem.message


def test_files_lacking_the_same_letters_are_one_message_and_dutch_ij_a_warning(tmp_path):
    path = brand_file(tmp_path)
    fonts = [subset_font(tmp_path / f"{name}.ttf", "ĳĲőű") for name in ("R", "I", "B")]
    problems = font_problems(font_brand(path, fonts), languages=["nl", "hu"])
    assert [(type(p).__name__, line) for p in problems for line in p.lines(tmp_path)] == [
        ("BrandWarning", "_brand.yml:20: font \"Source Serif 4\" (R.ttf and 2 other files of "
         "it) lacks ĳ and Ĳ of Dutch (nl) (compatibility characters, which text usually spells "
         "out), which this project builds; choose a font that has them, or a version of it with "
         "more languages (often called 'Pro' or 'Extended')"),
        ("ContentError", "_brand.yml:20: font \"Source Serif 4\" (R.ttf and 2 other files of "
         "it) lacks ő and ű of Hungarian (hu), which this project builds; choose a font "
         "that has them, or a version of it with more languages (often called 'Pro' or "
         "'Extended')")]
    nl = letters_of("nl")
    assert nl is not None and nl.compatibility == ("Ĳ", "ĳ") and "ĳ" not in nl.base


def test_the_shipped_font_has_every_letter_of_every_catalog_language(tmp_path):
    path = brand_file(tmp_path)
    font = tmp_path / "G.ttf"
    font.write_bytes(GENTIUM.read_bytes())
    assert font_problems(font_brand(path, [font]), languages=locale.catalog_languages()) == []


def test_a_file_that_is_not_a_font_or_is_missing_fails_at_its_line(tmp_path):
    path = brand_file(tmp_path)
    (tmp_path / "fake.otf").write_bytes(b"OTTO but not really a font")
    problems = font_problems(font_brand(path, [tmp_path / "fake.otf", tmp_path / "gone.otf"]),
                             languages=["en"])
    first, second = messages(problems)
    assert first.startswith(f"{path}:20: font file 'fake.otf' of \"Source Serif 4\" is not a "
                            "font fontTools can read")
    assert second.startswith(f"{path}:21: font file 'gone.otf' of \"Source Serif 4\" not found")


def test_a_family_without_files_must_be_one_the_tool_ships(tmp_path):
    path = brand_file(tmp_path)
    for name in SHIPPED_FAMILIES:
        assert (REPO / "styles/fonts" / f"{name.replace(' ', '')}-Regular.ttf").exists() \
            or (REPO / "styles/fonts" / f"{name.replace(' ', '')}-Regular.otf").exists()
        assert font_problems(font_brand(path, [], name), languages=["en"]) == []
    (problem,) = font_problems(font_brand(path, [], "Roboto"), languages=["en"])
    assert problem.lines()[0].startswith(f"{path}:19: font \"Roboto\" has no files")
    assert "never fetched from the internet" in problem.message


def test_a_language_hyperglot_does_not_know_is_said(tmp_path):
    path = brand_file(tmp_path)
    font = tmp_path / "G.ttf"
    font.write_bytes(GENTIUM.read_bytes())
    (problem,) = font_problems(font_brand(path, [font]), languages=["en", "xx"])
    assert isinstance(problem, BrandWarning)
    assert "brief does not know which letters 'xx' needs" in problem.message


# ---------------------------------------------------------------------------------------------
# Logos


def logo_brand(path: Path, *images: Path) -> Brand:
    logos = {size: Logo(LogoImage(image, "Test", Mark(path, 30 + i)))
             for i, (size, image) in enumerate(zip(("small", "medium", "large"), images,
                                                   strict=False))}
    return Brand(path, "Test", logos=logos)


def png(path: Path, width: int, height: int | None = None, kind: str = "PNG") -> Path:
    Image.new("RGB", (width, height or max(width // 4, 1)), "#0b5c6b").save(path, kind)
    return path


def pixels_for(ppi: float) -> int:
    """The pixels of height a logo needs to print `LOGO_PRINT_HEIGHT_MM` tall at `ppi`."""
    return math.ceil(ppi * LOGO_PRINT_HEIGHT_MM / 25.4)


def test_a_logo_with_the_pixels_for_print_passes(tmp_path):
    path = brand_file(tmp_path)
    tall = pixels_for(PRINT_PPI)
    assert tall == 142  # 12 mm at 300 ppi
    square = png(tmp_path / "mark.png", tall, tall)
    lockup = png(tmp_path / "logo.png", 5 * tall, tall)
    assert logo_problems(logo_brand(path, square, square, lockup)) == []


def test_a_logo_under_300_ppi_is_a_warning_and_under_150_an_error(tmp_path):
    path = brand_file(tmp_path)
    soft = png(tmp_path / "soft.png", 700, pixels_for(PRINT_PPI) - 5)
    blurred = png(tmp_path / "blurred.jpg", 300, pixels_for(MIN_PRINT_PPI) - 5, kind="JPEG")
    first, second = logo_problems(logo_brand(path, png(tmp_path / "s.png", 32, 32), soft,
                                             blurred))
    assert isinstance(first, BrandWarning)
    assert type(second) is ContentError
    assert first.lines() == [
        f"{path}:31: logo 'soft.png' is 700 × 137 pixels: printed 12 mm tall (the letterhead) "
        "that is 290 ppi, and print needs 300; export it at least 726 × 142 pixels, or as SVG"]
    assert second.lines() == [
        f"{path}:32: logo 'blurred.jpg' is 300 × 66 pixels: printed 12 mm tall (the letterhead) "
        "that is 140 ppi, and print needs 300; export it at least 646 × 142 pixels, or as SVG"]
    # the small logo (32 × 32, line 30) is the web's: print does not use it while there are
    # others; a screen-only project is not asked at all
    assert logo_problems(logo_brand(path, soft, blurred), paper=False) == []


def test_a_small_logo_alone_is_printed_and_checked(tmp_path):
    path = brand_file(tmp_path)
    (problem,) = logo_problems(logo_brand(path, png(tmp_path / "s.png", 32, 32)))
    assert "logo 's.png' is 32 × 32 pixels" in problem.message


def test_an_svg_logo_with_a_script_is_refused(tmp_path):
    path = brand_file(tmp_path)
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                   encoding="utf-8")
    (problem,) = logo_problems(logo_brand(path, svg))
    assert problem.lines()[0].startswith(f"{path}:30: logo 'logo.svg' holds a <script>")
    clean = tmp_path / "clean.svg"
    clean.write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>',
                     encoding="utf-8")
    assert logo_problems(logo_brand(path, clean)) == []


def test_a_logo_that_is_not_the_image_its_name_says_is_refused(tmp_path):
    path = brand_file(tmp_path)
    jpeg = png(tmp_path / "logo.png", 1000, kind="JPEG")
    text = tmp_path / "text.png"
    text.write_text("not an image", encoding="utf-8")
    first, second = messages(logo_problems(logo_brand(path, jpeg, text)))
    assert first.startswith(f"{path}:30: logo 'logo.png' is a JPEG file named .png; a logo "
                            "must be an SVG, PNG or JPEG file named for what it is")
    assert second.startswith(f"{path}:31: logo 'text.png' is not a PNG, JPEG, GIF, WebP or SVG "
                             "file")


def test_a_missing_logo_is_reported_at_its_line(tmp_path):
    path = brand_file(tmp_path)
    (problem,) = logo_problems(logo_brand(path, tmp_path / "nowhere.svg"))
    assert problem.lines()[0].startswith(f"{path}:30: logo 'nowhere.svg' not found")


# ---------------------------------------------------------------------------------------------
# All together


@pytest.mark.slow  # a subprocess: a fresh interpreter's modules
def test_an_identity_without_font_files_does_not_import_hyperglot(tmp_path):
    code = ("import sys; from pathlib import Path; "
            "from generator.read.brand import Brand, Family; "
            "from generator.read.brand_checks import brand_problems; "
            f"path = Path({str(brand_file(tmp_path))!r}); "
            "brand = Brand(path, 'T', text_family=Family('Inter')); "
            "assert brand_problems(brand, languages=['nl', 'hu'], screen=True) == []; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('hyperglot', 'fontTools')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=tmp_path)
    assert done.stdout.strip() == "[]"


def test_the_packaged_identity_has_no_problem():
    brand = Brand(None, "brief", colours={t: Colour(t, v) for t, v in TODAY.items()},
                  text_family=Family("Gentium Book Plus"), headings_family=Family("Inter"))
    assert brand_problems(brand, languages=locale.catalog_languages(), screen=True) == []


def test_brand_problems_gathers_every_kind(tmp_path):
    path = brand_file(tmp_path)
    logo = png(tmp_path / "logo.png", 100)
    brand = Brand(path, "Test", colours=colours(path, muted="#bbbbbb"),
                  text_family=Family("Roboto", mark=Mark(path, 19)),
                  logos={"medium": Logo(LogoImage(logo, "Test", Mark(path, 30)))})
    found = messages(brand_problems(brand, languages=["en"], screen=True))
    assert [line.split(": ")[0] for line in found] == [f"{path}:12", f"{path}:19", f"{path}:30"]


def test_every_module_constant_is_documented():
    docs = (REPO / "docs/brand.md").read_text(encoding="utf-8")
    for name in ("LOGO_PRINT_HEIGHT_MM", "PRINT_PPI", "MIN_PRINT_PPI", "AA_NORMAL"):
        assert str(getattr(brand_checks, name)) in docs, name


# ---------------------------------------------------------------------------------------------
# The schema of _brand.yml (read/schema.py; `brief schema --brand`)


#: The contract's _brand.yml (docs/brand.md's example): brand.yml and `defaults: brief:`.
SAMPLE_BRAND = """\
meta:
  name: {full: "Bits of Freedom", short: "BoF"}
  link: {home: "https://www.bitsoffreedom.nl", mastodon: "https://mastodon.social/@bof"}
logo:
  images:
    mark: {path: brand/logo-mark.svg, alt: "Bits of Freedom"}
    mark-white: {path: brand/logo-mark-white.svg, alt: "Bits of Freedom"}
  small: mark
  medium: {light: mark, dark: mark-white}
  large: {light: brand/logo.svg, dark: brand/logo-white.svg}
color:
  palette: {teal: "#0b5c6b", ink: "#1a1a1a", slate: "#5b6670", white: "#ffffff"}
  primary: teal
  secondary: slate
  foreground: ink
  background: white
  warning: "#a33a00"
typography:
  fonts:
    - family: "Gentium Book Plus"
      source: system
    - family: "Source Serif 4"
      source: file
      files:
        - {path: brand/fonts/SourceSerif4-Regular.otf, weight: 400, style: normal}
        - {path: brand/fonts/SourceSerif4-It.otf, weight: 400, style: italic}
        - brand/fonts/SourceSerif4-Bold.otf
  base: {family: "Gentium Book Plus"}
  headings: {family: "Inter", weight: 600}
  monospace: "Source Serif 4"
defaults:
  bootstrap: {defaults: {enable-rounded: false}}
  brief:
    color:
      accent-tint: "#e6f0f2"
    cmyk:
      teal: [0.92, 0.32, 0.35, 0.38]
      accent-tint: [10%, 2%, 4%, 0%]
    address: |
      Postbus 10746
      1001 ES Amsterdam
    transparency-register: "1234567890-12"
    signatory: {name: "Evelyn Austin", role: "Director"}
"""


def brand_schema_errors(text: str) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema.brand_schema())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(yaml.safe_load(text))]


def test_the_schema_of_brand_is_valid_and_in_schemas():
    jsonschema.Draft202012Validator.check_schema(schema.brand_schema())
    copies = schema.project_schemas(Project.at(REPO))
    assert REPO / "schemas/brand.schema.json" in copies
    assert schema.modeline(REPO / "_brand.yml", Project.at(REPO), brand=True) == \
        "# yaml-language-server: $schema=schemas/brand.schema.json"


def test_the_contracts_brand_file_is_valid():
    assert brand_schema_errors(SAMPLE_BRAND) == []


@pytest.mark.parametrize(("old", "new"), [
    ('primary: teal', 'primary: "rgb(11 92 107)"'),  # any CSS colour
    ("logo:\n", "logo: brand/logo.svg\nunused:\n"),  # one logo for every size
    ("small: mark", "small: {path: brand/mark.png, alt: BoF}"),
    ('signatory: {name: "Evelyn Austin", role: "Director"}', 'signatory: "Evelyn Austin"'),
    ("    address: |\n      Postbus 10746\n      1001 ES Amsterdam\n",
     "    address: [Postbus 10746, 1001 ES Amsterdam]\n"),
    ('headings: {family: "Inter", weight: 600}', 'headings: {family: "Inter", weight: semi-bold}'),
])
def test_what_brand_yml_allows_too_is_valid(old, new):
    assert old in SAMPLE_BRAND
    text = SAMPLE_BRAND.replace(old, new, 1)
    if "unused:" in text:  # `logo:` as one path: the maps under it go
        head, _, rest = text.partition("unused:\n")
        text = head + rest[rest.index("color:"):]
    assert brand_schema_errors(text) == []


@pytest.mark.parametrize(("old", "new", "where"), [
    ('primary: teal', 'primary: "#0b5c6"', "color/primary"),  # not a colour
    ('secondary: slate', 'secundary: slate', "color"),  # a mistyped key
    ("teal: [0.92, 0.32, 0.35, 0.38]", "teal: [0.92, 0.32, 0.35]", "defaults/brief/cmyk/teal"),
    ("teal: [0.92, 0.32, 0.35, 0.38]", "teal: [92, 32, 35, 38]", "defaults/brief/cmyk/teal/0"),
    ('accent-tint: "#e6f0f2"', 'accent-tone: "#e6f0f2"', "defaults/brief/color"),
    ('"1234567890-12"', '"1234567890"', "defaults/brief/transparency-register"),
    ("source: file", "source: web", "typography/fonts/1/source"),
    ("{name: \"Evelyn Austin\", role: \"Director\"}", "{role: Director}",
     "defaults/brief/signatory"),
    ("medium: {light: mark, dark: mark-white}", "medium: {light: mark, darker: mark-white}",
     "logo"),
    ("small: mark", "small: [mark]", "logo"),
    ("transparency-register", "transparency_register", "defaults/brief"),
    ('home: "https://www.bitsoffreedom.nl"', 'home: "www.bitsoffreedom.nl"', "meta/link"),
])
def test_a_wrong_brand_file_is_refused_where_it_is_wrong(old, new, where):
    assert old in SAMPLE_BRAND
    errors = brand_schema_errors(SAMPLE_BRAND.replace(old, new, 1))
    assert errors, new
    assert any(error.startswith(f"{where}: ") for error in errors), errors


# ---------------------------------------------------------------------------------------------
# docs/brand.md quotes what the checks print


def docs_example(root: Path) -> Brand:
    """docs/brand.md's example of each check: a light muted colour, a font without Hungarian's ő and
    ű, a file that is no font, a family without files, an SVG that loads from the internet, a
    PNG too small for print, a JPEG named .png."""
    path = brand_file(root)
    fonts = root / "brand/fonts"
    fonts.mkdir(parents=True)
    subset_font(fonts / "SourceSerif4-Regular.otf", "őűŐŰ")
    (fonts / "SourceSerif4-Bold.otf").write_text("<html>404</html>", encoding="utf-8")
    png(root / "brand/logo.png", 400)
    png(root / "brand/logo-white.png", 400, kind="JPEG")
    (root / "brand/mark.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/x.png"/></svg>',
        encoding="utf-8")
    files = (FontFile(fonts / "SourceSerif4-Regular.otf", mark=Mark(path, 27)),
             FontFile(fonts / "SourceSerif4-Bold.otf", 700, mark=Mark(path, 28)))
    return Brand(
        path, "BoF", colours=colours(path, muted="#8a939b"),
        text_family=Family("Source Serif 4", files, Mark(path, 24)),
        headings_family=Family("Roboto", (), Mark(path, 31)),
        logos={"small": Logo(LogoImage(root / "brand/mark.svg", "BoF", Mark(path, 8))),
               "medium": Logo(LogoImage(root / "brand/logo.png", "BoF", Mark(path, 9)),
                              LogoImage(root / "brand/logo-white.png", "BoF", Mark(path, 10)))})


def test_the_docs_quote_what_the_checks_print(tmp_path):
    brand = docs_example(tmp_path)
    printed = [line for problem in brand_problems(brand, languages=["nl", "en", "hu"],
                                                  screen=True)
               for line in problem.lines(tmp_path)]
    docs = (REPO / "docs/brand.md").read_text(encoding="utf-8")
    checks = docs[docs.index("## Checks"):]
    quoted = [line for block in checks.split("```text\n")[1:]
              for line in block.split("```")[0].splitlines()]
    assert sorted(quoted) == sorted(printed)
    # in the file's order
    assert [int(line.split(":")[1]) for line in printed] == [8, 9, 10, 12, 27, 28, 31]


def test_a_font_file_changed_is_read_again(tmp_path):
    path = brand_file(tmp_path)
    font = tmp_path / "X.ttf"
    font.write_bytes(GENTIUM.read_bytes())
    assert font_problems(font_brand(path, [font]), languages=["hu"]) == []
    subset_font(font, "őű")
    (problem,) = font_problems(font_brand(path, [font]), languages=["hu"])
    assert "lacks ő and ű of Hungarian (hu)" in problem.message


def test_font_and_logo_files_are_read_through_the_gate(tmp_path):
    """A font or logo that is a link leading out of the project is refused at its line,
    unread (docs/security.md)."""
    project = tmp_path / "project"
    project.mkdir()
    path = brand_file(project)
    outside = tmp_path / "outside.ttf"
    outside.write_bytes(GENTIUM.read_bytes())
    (project / "font.ttf").symlink_to(outside)
    png(tmp_path / "outside.png", 1000)
    (project / "logo.png").symlink_to(tmp_path / "outside.png")
    (font,) = font_problems(font_brand(path, [project / "font.ttf"]), languages=["en"])
    assert font.lines()[0].startswith(f"{path}:20: font file 'font.ttf' is a symbolic link "
                                      "leading outside project/")
    (logo,) = logo_problems(logo_brand(path, project / "logo.png"))
    assert logo.lines()[0].startswith(f"{path}:30: logo 'logo.png' is a symbolic link leading "
                                      "outside project/")


def _with_cmyk(path: Path, value: str, cmyk: tuple[float, float, float, float]
               ) -> dict[str, Colour]:
    found = colours(path, accent=value)
    found["accent"] = Colour("accent", value, cmyk, mark=Mark(path, 20), cmyk_name="teal",
                             cmyk_mark=Mark(path, 48, 13))
    found["ink"] = Colour("ink", TODAY["ink"], (0, 0, 0, 1), cmyk_name="ink",
                          cmyk_mark=Mark(path, 49, 12))
    found["muted"] = Colour("muted", TODAY["muted"], (0, 0, 0, 1), cmyk_name="slate",
                            cmyk_mark=Mark(path, 50, 12))
    return found


def test_a_hand_cmyk_value_left_behind_by_a_new_screen_colour_is_a_warning(tmp_path):
    path = brand_file(tmp_path)
    teal = (0.92, 0.32, 0.35, 0.38)
    kept = Brand(path=path, name="Test", colours=_with_cmyk(path, "#0b5c6b", teal))
    # the sample's teal: its hand value is ΔE 4.7 from the screen colour; greys in black ink
    assert brand_checks.cmyk_problems(kept, FOGRA39) == []
    assert brand_checks.cmyk_delta_e(teal, "#0b5c6b", FOGRA39)[0] < 7
    rebranded = Brand(path=path, name="Test", colours=_with_cmyk(path, "#6b0b3a", teal))
    found = brand_checks.cmyk_problems(rebranded, FOGRA39)
    assert len(found) == 1 and isinstance(found[0], brand_checks.BrandWarning)
    (line,) = messages(found)
    assert line.startswith(f"{path}:48:13: defaults.brief.cmyk.teal: the CMYK value 0.92 0.32 "
                           "0.35 0.38 prints far from its screen colour #6b0b3a (accent): "
                           "ΔE "), line
    assert int(line.split("ΔE ")[1].split(",")[0]) > 30
    # brand_problems gets it when given the profile (the project has PDF/X outputs)
    assert len(brand_problems(rebranded, languages=["en"], screen=True,
                              profile=FOGRA39)) == 1
    assert brand_problems(rebranded, languages=["en"], screen=True) == []


def test_a_dark_identity_s_light_text_is_converted_not_forced_to_black_ink():
    assert print_cmyk(Colour("ink", "#1a1a1a")) == (0, 0, 0, 1)
    assert print_cmyk(Colour("muted", "#5b6670")) == (0, 0, 0, 1)  # the sample's slate
    assert print_cmyk(Colour("ink", "#f0f0f0")) is None  # light text: through the profile
    assert print_cmyk(Colour("quote-ink", "#b0b8bf")) is None


def test_a_dark_background_is_a_warning_where_the_project_prints(tmp_path):
    path = brand_file(tmp_path)
    dark = Brand(path=path, name="Test", colours=colours(
        path, paper="#111111", ink="#ffffff", accent="#7fd3e6", muted="#b0b8bf",
        quote_ink="#d0d0d0", placeholder="#ffb37a", accent_tint="#1c2426",
        focus="#ffb37a", on_accent="#111111", on_accent_muted="#111111",
        on_accent_soft="#111111", on_accent_placeholder="#111111"))
    found = [p for p in brand_problems(dark, languages=["en"], screen=True, paper=True)
             if "not white" in str(p)]
    assert len(found) == 1 and isinstance(found[0], brand_checks.BrandWarning)
    (line,) = messages(found)
    assert line.startswith(f"{path}:13: the background #111111 is not white: print outputs "
                           "will be printed with the background as ink over the whole page"), line
    assert not [p for p in brand_problems(dark, languages=["en"], screen=True, paper=False)
                if "not white" in str(p)]
    light = Brand(path=path, name="Test", colours=colours(path, paper="#f4f1ea"))
    assert not [p for p in brand_problems(light, languages=["en"], screen=True)
                if "not white" in str(p)]
