"""brand_checks: a `Brand` (read from `_brand.yml`) → what is wrong with it, at its line, and
its colours converted to CMYK for print.

`to_cmyk` converts screen colours (sRGB `#rrggbb`) to an output's CMYK through its ICC profile,
as a print shop's software would: Pillow's ImageCms (LittleCMS), relative colorimetric with black
point compensation, one transform for all the values.

`brand_problems` checks an identity the way `brief check` checks everything else, each problem at
the line of `_brand.yml` that causes it (docs/brand.md shows a message of each):

- contrast: text colours on their background must reach WCAG 2.x AA (4.5:1, `AA_NORMAL`) where
  the project has screen outputs (an error, with a shade of the same hue that passes); on paper
  only, a warning;
- fonts: every file of a family the brand brings must be a font (fontTools) holding every letter
  of every language the project builds (hyperglot's orthographies: its base letters, an error;
  its auxiliary ones, for names and loanwords, a warning); a family without files must be one the
  tool ships (`SHIPPED_FAMILIES`): fonts are never fetched from the internet;
- logos: a logo must be the image its name says (Pillow reads its content, not its name), within
  the caps and, as an SVG, a picture only (`images.image_problem`, the guard figures pass); a
  PNG or JPEG that print uses must have the pixels to print `LOGO_PRINT_HEIGHT_MM` tall at
  `PRINT_PPI` (a warning below, an error below `MIN_PRINT_PPI`).

Warnings are `BrandWarning`s in the same list (`--strict` makes them errors): callers split
them with `isinstance` (as `recipients.RecipientWarning`) or by their `warning` attribute.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from PIL import Image, ImageCms

from .. import files
from ..errors import BriefError, ContentError, Mark
from ..make.standards.x4 import MIN_PRINT_DPI
from .brand import (
    CMYK,
    SHIPPED_FAMILIES,
    STARTER_EXAMPLES,
    Brand,
    Colour,
    Family,
    FontFile,
    LogoSize,
)
from .brand import Image as LogoImage
from .colour import AA_NORMAL, contrast, luminance, passing_shade
from .colour import rgb as _rgb
from .images import image_problem, read_image_info
from .languages import _THREE_LETTER, NAMES

#: WCAG 2.x success criterion 1.4.11 (Non-text contrast), level AA: a focus indicator against
#: what is next to it (the web edition's focus ring on the page).
AA_NON_TEXT = 3.0

#: The text-on-background pairs the designs print: (text token, background token, what, which
#: of the two a message proposes to change). Headings and links are set in the accent; boxes
#: set text on the accent's tint; the handout's cover sets text on the accent. On the paper
#: the text's colour is changed; on the accent, the accent (the brand's primary, which the
#: text on it follows), and in boxes the tint.
CONTRAST_PAIRS: tuple[tuple[str, str, str, Literal["text", "background"]], ...] = (
    ("ink", "paper", "text", "text"),
    ("accent", "paper", "headings and links", "text"),
    ("muted", "paper", "running heads, notes' addresses and subtitles", "text"),
    ("quote-ink", "paper", "quotations", "text"),
    ("placeholder", "paper", "a placeholder's mark", "text"),
    ("ink", "accent-tint", "text in boxes", "background"),
    ("on-accent", "accent", "text on the accent (the handout's cover)", "background"),
    ("on-accent-muted", "accent", "secondary text on the accent", "background"),
    ("on-accent-soft", "accent", "the subtitle on the accent (the handout's cover)",
     "background"),
    ("on-accent-placeholder", "accent", "a placeholder's mark on the accent", "background"),
)

#: The tallest a logo is printed, in millimetres: the designs set a logo by its height, its
#: width following from its shape (the letterhead 12 mm, the covers 8–10 mm), so a lockup five
#: times as wide as tall prints 60 mm wide. A raster logo needs its pixels for this height.
LOGO_PRINT_HEIGHT_MM = 12
#: Pixels per inch print asks for (as preflight asks of images), and below which a logo prints
#: visibly blurred (an error).
PRINT_PPI = MIN_PRINT_DPI
MIN_PRINT_PPI = 150
#: The logo sizes the designs print (the small one is the web's): with `Brand.logo`'s
#: fallback, the images these sizes give are the ones print needs sharp.
PRINTED_SIZES: tuple[LogoSize, ...] = ("medium", "large")


#: At most this many missing letters are named in one message (then "and N more").
SHOWN_LETTERS = 12

#: ISO 639-3 macrolanguages and the individual language their written standard is, as hyperglot
#: knows it (it has no entry for the macrolanguage): ISO 639-3's macrolanguage mappings.
_STANDARD_MEMBER = {"est": "ekk", "lav": "lvs", "sqi": "als", "msa": "zsm", "ara": "arb",
                    "zho": "cmn", "fas": "pes", "nor": "nob"}


class BrandWarning(ContentError):
    """A problem of `_brand.yml` that does not stop a build (contrast on paper only, a letter of
    names and loanwords a font lacks, a logo under 300 ppi): reported as a warning, an error
    with `--strict`. `warning` is true (errors have none), for callers that ask by attribute."""

    warning = True


# ---------------------------------------------------------------------------------------------
# Colours


@lru_cache(maxsize=4)
def _transform(profile: bytes) -> ImageCms.ImageCmsTransform:
    """sRGB → the CMYK profile, relative colorimetric with black point compensation (what
    Acrobat's and print shops' conversions default to); made once per profile."""
    try:
        output = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    except (ImageCms.PyCMSError, OSError) as exc:
        raise BriefError(f"the output's colour profile cannot be read ({exc}); restore it from "
                         "the repository") from None
    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), output, "RGB", "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


def to_cmyk(values: Sequence[str], profile: bytes) -> list[CMYK]:
    """Screen colours (`#rrggbb`, sRGB) → CMYK, 0–1 each, through the output's ICC profile
    (`profile`, a CMYK output profile such as styles/color/FOGRA39L-coated.icc): LittleCMS,
    relative colorimetric, black point compensation; 8 bits a channel, as LittleCMS computes
    them, rounded to 4 decimals. Deterministic: the same values and profile, the same CMYK."""
    if not values:
        return []
    image = Image.new("RGB", (len(values), 1))
    for x, value in enumerate(values):
        image.putpixel((x, 0), _rgb(value))
    converted = ImageCms.applyTransform(image, _transform(profile))
    assert converted is not None
    result: list[CMYK] = []
    for x in range(len(values)):
        pixel = converted.getpixel((x, 0))
        assert isinstance(pixel, tuple)
        c, m, y, k = (round(channel / 255, 4) for channel in pixel)
        result.append((c, m, y, k))
    return result


#: A hand CMYK value further than this from its screen colour (CIE 1976 ΔE*ab, both in
#: CIELAB through the output's profile and sRGB) is stale, a warning. 2–3 is a difference seen
#: side by side; a brand guide's CMYK equivalent of an RGB colour is often 5–10 away (the
#: sample's teal: 4.7, a little more saturated by choice; saturated blues and greens lie
#: outside FOGRA39's gamut), so 15 stays clear of honest values and catches the colour having
#: changed (a rebrand, another hue: 30 and more).
STALE_CMYK_DELTA_E = 15.0

#: Greys further than this from neutral (CIELAB chroma) are colours: a grey written as black
#: ink only (`[0, 0, 0, 1]`, docs/brand.md's advice for small text) is a choice, not stale.
_NEUTRAL_CHROMA = 10.0


@lru_cache(maxsize=4)
def _to_lab(profile: bytes) -> tuple[ImageCms.ImageCmsTransform, ImageCms.ImageCmsTransform]:
    """(CMYK of the profile → CIELAB, sRGB → CIELAB), relative colorimetric."""
    lab = ImageCms.createProfile("LAB")
    output = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    intent = ImageCms.Intent.RELATIVE_COLORIMETRIC
    return (ImageCms.buildTransform(output, lab, "CMYK", "LAB", renderingIntent=intent),
            ImageCms.buildTransform(ImageCms.createProfile("sRGB"), lab, "RGB", "LAB",
                                    renderingIntent=intent))


def _lab(image: Image.Image, transform: ImageCms.ImageCmsTransform
         ) -> tuple[float, float, float]:
    converted = ImageCms.applyTransform(image, transform)
    assert converted is not None
    pixel = converted.getpixel((0, 0))
    assert isinstance(pixel, tuple)
    lightness, a, b = pixel
    return lightness * 100 / 255, a - 128, b - 128  # LittleCMS' Lab_8: a and b offset by 128


def cmyk_delta_e(cmyk: CMYK, value: str, profile: bytes) -> tuple[float, float]:
    """(ΔE*ab between what `cmyk` prints as on the profile and the screen colour `value`,
    the screen colour's chroma), in CIELAB (D50) through LittleCMS."""
    from_cmyk, from_rgb = _to_lab(profile)
    printed = _lab(Image.new("CMYK", (1, 1), tuple(round(v * 255) for v in cmyk)), from_cmyk)
    screen = _lab(Image.new("RGB", (1, 1), _rgb(value)), from_rgb)
    delta = math.dist(printed, screen)
    return delta, math.hypot(screen[1], screen[2])


def cmyk_problems(brand: Brand, profile: bytes) -> list[BriefError]:
    """A hand CMYK value (`defaults: brief: cmyk:`) that no longer prints as its screen colour
    (the palette's value changed, the CMYK kept): a warning at the CMYK value's line, once per
    value, past `STALE_CMYK_DELTA_E`."""
    problems: list[BriefError] = []
    seen: set[tuple[int, int]] = set()
    for colour in brand.colours.values():
        mark = colour.cmyk_mark
        if colour.cmyk is None or mark is None or (mark.line, mark.col) in seen:
            continue
        delta, chroma = cmyk_delta_e(colour.cmyk, colour.value, profile)
        c, m, y, _ = colour.cmyk
        if delta <= STALE_CMYK_DELTA_E or (c == m == y == 0 and chroma < _NEUTRAL_CHROMA):
            continue
        seen.add((mark.line, mark.col))
        inks = " ".join(f"{v:g}" for v in colour.cmyk)
        problems.append(BrandWarning(
            mark, f"defaults.brief.cmyk.{colour.cmyk_name}: the CMYK value {inks} prints far "
            f"from its screen colour {colour.value} ({colour.token}): ΔE {delta:.0f}, more "
            f"than {STALE_CMYK_DELTA_E:.0f}; give the brand guide's CMYK value for "
            f"{colour.value}, or remove it to convert through the print profile", "color"))
    return problems


#: A background lighter than this (WCAG relative luminance; #f2f2f2 is 0.89) is near-white
#: paper; a darker one is ink over the whole printed page.
PAPER_LUMINANCE = 0.85


def paper_problems(brand: Brand) -> list[BriefError]:
    """A background (`paper`) that is not white or near-white, where the project has print
    outputs: a warning at its line (the whole page in ink: coverage, drying, bleed)."""
    paper = brand.colours.get("paper")
    if paper is None or luminance(paper.value) >= PAPER_LUMINANCE:
        return []
    return [BrandWarning(
        _colour_mark(brand, paper), f"the background {paper.value} is not white: print "
        "outputs will be printed with the background as ink over the whole page (its cost, "
        "drying and a bleed to trim); keep white paper for print (defaults: brief: color: "
        "paper: \"#ffffff\", with a dark ink) unless the print shop agrees", "color")]


#: The domains reserved for examples (RFC 2606, RFC 6761), as `make.audit.EXAMPLE_HOST_RE`
#: (which this module cannot import: make.audit → make.html → make.brand → here).
_EXAMPLE_HOST_RE = re.compile(
    r"(?:^|\.)(?:example\.(?:com|net|org)|example|test|invalid|localhost)\.?$", re.IGNORECASE)


def _host(address: str) -> str:
    try:
        return urlsplit(address).hostname or ""
    except ValueError:  # `https://[` : no host to speak of
        return ""


def placeholder_problems(brand: Brand) -> list[BriefError]:
    """The texts the brand prints that are placeholders, as the brief's are (a warning;
    `--strict`: an error): `brief init`'s examples (`STARTER_EXAMPLES`), an address at a
    reserved example domain (example.org), a Transparency Register number of zeros."""
    examples = {example.casefold() for example in STARTER_EXAMPLES}
    problems: list[BriefError] = []
    for what, text, mark in brand.texts:
        if text.casefold() in examples:
            why = "is the example brief init wrote"
        elif what.startswith("meta.link") and _EXAMPLE_HOST_RE.search(_host(text)):
            why = "is at a domain reserved for examples"
        elif what.endswith("transparency-register") and text and set(text) <= set("0-"):
            why = "is all zeros"
        else:
            continue
        problems.append(BrandWarning(mark, f"{what}: {text!r} {why}, a placeholder; write "
                                     "your organisation's own before sending", "placeholder"))
    return problems


def _colour_mark(brand: Brand, *colours: Colour) -> Mark | None:
    """Where to report a problem of these colours: the first one written in _brand.yml, else
    the file's first line (a derived colour), else nowhere (the packaged identity)."""
    for colour in colours:
        if colour.mark is not None:
            return colour.mark
    return Mark(brand.path, 1) if brand.path is not None else None


@dataclass(frozen=True, slots=True)
class _Failing:
    """A pair under AA: what it is, its two colours, its ratio, and which one to change."""

    what: str
    text: Colour
    background: Colour
    ratio: float
    change: Colour
    other: Colour


def contrast_problems(brand: Brand, *, screen: bool) -> list[BriefError]:
    """The pairs of `CONTRAST_PAIRS` under WCAG AA: an error where the project has screen
    outputs, else a warning; each with both values and its ratio, one message for the pairs
    that would change the same colour (a light accent fails on the paper and under the text on
    it), with the nearest shade of it that makes them all pass."""
    failing: dict[str, list[_Failing]] = {}
    for text, background, what, changed in CONTRAST_PAIRS:
        fore, back = brand.colours.get(text), brand.colours.get(background)
        if fore is None or back is None:
            continue
        ratio = contrast(fore.value, back.value)
        if ratio < AA_NORMAL:
            change, other = (fore, back) if changed == "text" else (back, fore)
            failing.setdefault(change.token, []).append(
                _Failing(what, fore, back, ratio, change, other))
    where = "on screen" if screen else "on paper (the project has no screen output)"
    problems: list[BriefError] = []
    for pairs in failing.values():
        if len(pairs) == 1:
            (p,) = pairs
            described = (f"{p.what}: the {p.text.token} {p.text.value} on the "
                         f"{p.background.token} {p.background.value} has a contrast of "
                         f"{p.ratio:.2f}:1, less than")
        else:
            described = "; ".join(f"{p.what}: the {p.text.token} {p.text.value} on the "
                                  f"{p.background.token} {p.background.value}, {p.ratio:.2f}:1"
                                  for p in pairs) + " — each less than"
        message = f"{described} the {AA_NORMAL}:1 WCAG AA asks of text {where}; {_fix(pairs)}"
        mark = _colour_mark(brand, pairs[0].change, pairs[0].other)
        problems.append(ContentError(mark, message, "color") if screen
                        else BrandWarning(mark, message, "color"))
    return problems + (_focus_problems(brand) if screen else [])


def _focus_problems(brand: Brand) -> list[BriefError]:
    """The web edition's focus ring under `AA_NON_TEXT` on the paper (screen outputs only)."""
    focus, paper = brand.colours.get("focus"), brand.colours.get("paper")
    if focus is None or paper is None:
        return []
    ratio = contrast(focus.value, paper.value)
    if ratio >= AA_NON_TEXT:
        return []
    shade = passing_shade(focus.value, paper.value, AA_NON_TEXT)
    setting = "" if focus.mark is not None else " (set it under defaults: brief: color: focus:)"
    fix = (f"use a {'darker' if luminance(paper.value) >= luminance(focus.value) else 'lighter'}"
           f" focus such as {shade} ({contrast(shade, paper.value):.2f}:1){setting}" if shade
           else f"no shade of the focus's hue passes; choose another focus{setting}")
    return [ContentError(
        _colour_mark(brand, focus, paper),
        f"the web edition's focus ring: the focus {focus.value} on the paper {paper.value} has "
        f"a contrast of {ratio:.2f}:1, less than the {AA_NON_TEXT:g}:1 WCAG AA asks of what "
        f"shows where the keyboard is; {fix}", "color")]


def _fix(pairs: list[_Failing]) -> str:
    """What would pass: the shade of the colour to change nearest to it that passes against
    every other colour of the pairs."""
    change = pairs[0].change
    others = [p.other.value for p in pairs]
    ways = {luminance(other) >= luminance(change.value) for other in others}
    shades = [passing_shade(change.value, other) for other in others]
    setting = "" if change.mark is not None else \
        f" (set it under defaults: brief: color: {change.token}:)"
    if len(ways) == 1 and all(shades):
        # the farthest of the shades each pair needs passes them all (the same direction)
        darker = ways == {True}
        shade = (min if darker else max)((s for s in shades if s), key=luminance)
        if all(contrast(shade, other) >= AA_NORMAL for other in others):
            least = min(contrast(shade, other) for other in others)
            ratios = f"{least:.2f}:1" if len(others) == 1 else f"{least:.2f}:1 or more with each"
            return (f"use a {'darker' if darker else 'lighter'} {change.token} such as {shade} "
                    f"({ratios}){setting}")
    others_named = " and ".join(dict.fromkeys(p.other.token for p in pairs))
    return (f"no shade of the {change.token}'s hue passes; choose another {change.token}"
            f"{setting}, or another {others_named}")


# ---------------------------------------------------------------------------------------------
# Fonts


@dataclass(frozen=True, slots=True)
class Letters:
    """The letters one language needs (hyperglot's primary orthographies): its `base` letters
    and combining marks, its `auxiliary` ones (names and loanwords), and the `compatibility`
    characters of its base (Dutch ĳ, which text writes as i and j)."""

    name: str  # in English, e.g. "Hungarian"
    base: tuple[str, ...]
    auxiliary: tuple[str, ...]
    compatibility: tuple[str, ...] = ()


def hyperglot_code(language: str) -> str | None:
    """The ISO 639-3 code hyperglot knows a language by (`hu` → `hun`, `et` → `ekk`), or None
    when brief does not know its three-letter code."""
    base = language.split("-", maxsplit=1)[0]
    three = next((code for code, two in _THREE_LETTER.items() if two == base), None)
    if three is None and len(base) == 3:
        three = base
    return _STANDARD_MEMBER.get(three, three) if three else None


#: What an orthography says of its letters (and what `Orthography` needs to read them).
_ORTHOGRAPHY_KEYS = ("base", "auxiliary", "marks", "script", "status")


@lru_cache(maxsize=64)
def letters_of(language: str) -> Letters | None:
    """The letters `language` (as briefs write it: `hu`, `pt-BR`) needs, from hyperglot's
    database; None when hyperglot has no orthography for it.

    Read with hyperglot's loader and `Orthography` rather than its `Language`: `Language` reads
    and writes a pickled cache in the working directory (`.hyperglot-cache`: a project folder
    could plant one, and unpickling runs code), and its first use parses all 800 languages'
    files (1.2 s) to look for a macrolanguage; this reads one file (2 ms). Only the letters
    are expanded (`_ORTHOGRAPHY_KEYS`: punctuation and numerals refer to hyperglot's defaults,
    which `Language` would read), and a language whose letters refer to another language's
    (`<eng>`; none of the languages the tool has words for) is one brief cannot check."""
    from hyperglot.loader import load_language_data  # noqa: PLC0415  # deferred: see generator/__init__.py
    from hyperglot.orthography import Orthography  # noqa: PLC0415  # deferred: see generator/__init__.py

    code = hyperglot_code(language)
    if code is None:
        return None
    try:
        data = load_language_data(code)
    except KeyError:
        return None
    written = [{key: o[key] for key in _ORTHOGRAPHY_KEYS if key in o}
               for o in data.get("orthographies") or ()
               if o.get("status", "primary") == "primary"]
    if not written or any("<" in str(o.get(key) or "") for o in written
                          for key in ("base", "auxiliary", "marks")):
        return None  # none, or letters by reference to another language: see above
    orthographies = [Orthography(o, expand=True) for o in written]
    letters = [c for o in orthographies for c in [*o.base_chars, *o.required_base_marks]]
    # a compatibility character (Dutch ĳ, which is written as i and j) is kept for legacy
    # encodings' round trips (Unicode's chapter 2.3): text uses what it stands for
    base = dict.fromkeys(c for c in letters if not _compatibility(c))
    compatibility = dict.fromkeys(c for c in letters if _compatibility(c))
    auxiliary = dict.fromkeys(c for o in orthographies for c in o.auxiliary_chars
                              if c not in base and c not in compatibility)
    name = NAMES.get(language.split("-", maxsplit=1)[0]) or str(data.get("name") or code)
    return Letters(name, tuple(base), tuple(auxiliary), tuple(compatibility))


#: What a message adds about the letters missing, by their level.
_LEVELS = {"base": "", "auxiliary": " (in names and loanwords)",
           "compatibility": " (compatibility characters, which text usually spells out)"}


def _compatibility(letter: str) -> bool:
    """Whether a letter is a compatibility character: its compatibility decomposition (NFKD)
    differs from its canonical one (ĳ → i j, ŉ → ʼ n)."""
    return unicodedata.normalize("NFKD", letter) != unicodedata.normalize("NFD", letter)


def _listed(letters: Sequence[str]) -> str:
    """`ő and ű`, `a, b and c`, at most `SHOWN_LETTERS` named."""
    shown = list(letters[:SHOWN_LETTERS])
    if len(letters) > SHOWN_LETTERS:
        return ", ".join(shown) + f" and {len(letters) - SHOWN_LETTERS} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _order(letters: Sequence[str]) -> list[str]:
    """Small letters first (the ones a reader sees most), each as written."""
    return sorted(letters, key=lambda c: (not c.islower(), letters.index(c)))


#: The characters of the fonts read, by the SHA-256 of their bytes: every brief of a build
#: checks the same identity, and decoding a cmap costs ~15 ms a file (the bytes are read
#: through the gate each time, so a changed file is a new key).
_CMAPS: dict[bytes, frozenset[int]] = {}
MAX_CACHED_FONTS = 64


def _font_cmap(root: Path, font: FontFile, family: Family) -> frozenset[int] | BriefError:
    """The characters of a font file (through the gate), or the error to report at its line."""
    from fontTools.ttLib import TTFont  # noqa: PLC0415  # deferred: see generator/__init__.py

    mark = font.mark or family.mark
    what = f"font file {font.path.relative_to(root).as_posix()!r}" \
        if font.path.is_relative_to(root) else f"font file {font.path.name!r}"
    try:
        data = files.read_bytes(root, font.path, mark, what=what)
    except files.Missing:
        return ContentError(mark, f"{what} of \"{family.name}\" not found; add the file (fonts "
                                  "are never fetched from the internet) or fix the path", "font")
    except BriefError as exc:
        return exc
    key = hashlib.sha256(data).digest()
    cmap = _CMAPS.get(key)
    if cmap is None:
        try:
            with TTFont(io.BytesIO(data), lazy=True) as opened:
                cmap = frozenset(opened.getBestCmap() or ())
        except Exception:  # noqa: BLE001 — fontTools raises many kinds on a bad file
            return ContentError(mark, f"{what} of \"{family.name}\" is not a font fontTools can "
                                      "read (OpenType, TrueType, WOFF or WOFF2); export it again "
                                      "or use the family's own files", "font")
        if len(_CMAPS) >= MAX_CACHED_FONTS:
            _CMAPS.pop(next(iter(_CMAPS)))
        _CMAPS[key] = cmap
    if not cmap:
        return ContentError(mark, f"{what} of \"{family.name}\" maps no characters (no Unicode "
                                  "cmap); use another file of the family", "font")
    return cmap


def _families(brand: Brand) -> Iterator[Family]:
    seen: set[str] = set()
    for family in (brand.text_family, brand.headings_family, brand.monospace_family):
        if family is not None and family.name + repr(family.files) not in seen:
            seen.add(family.name + repr(family.files))
            yield family


def font_problems(brand: Brand, *, languages: Sequence[str]) -> list[BriefError]:
    """What is wrong with the brand's fonts for the languages the project builds."""
    problems: list[BriefError] = []
    root = brand.path.parent if brand.path is not None else None
    with_files = any(family.files for family in _families(brand))
    # hyperglot is read only for an identity that brings font files (generator/__init__.py)
    needed = [(language, letters_of(language)) for language in dict.fromkeys(languages)] \
        if with_files else []
    for family in _families(brand):
        if not family.files:
            if family.name not in SHIPPED_FAMILIES and brand.path is not None:
                problems.append(ContentError(
                    family.mark or Mark(brand.path, 1),
                    f"font \"{family.name}\" has no files, and the tool ships only "
                    f"{' and '.join(repr(name) for name in SHIPPED_FAMILIES)}; fonts are never "
                    "fetched from the internet: download the family's files into the project "
                    "(e.g. brand/fonts/) and list them under `files:` with `source: file`",
                    "font"))
            continue
        if root is None:
            continue
        read: list[tuple[FontFile, frozenset[int]]] = []
        for font in family.files:
            cmap = _font_cmap(root, font, family)
            if isinstance(cmap, BriefError):
                problems.append(cmap)
            else:
                read.append((font, cmap))
        problems += _coverage(brand, family, read, needed)
    for language, letters in needed:
        if letters is None and brand.path is not None:
            problems.append(BrandWarning(
                Mark(brand.path, 1), f"brief does not know which letters {language!r} needs "
                "(hyperglot has no alphabet for it), so the fonts were not checked for it; "
                "check them yourself", "font"))
    return problems


def _coverage(brand: Brand, family: Family, fonts: list[tuple[FontFile, frozenset[int]]],
              needed: list[tuple[str, Letters | None]]) -> list[BriefError]:
    """A message for each language and level whose letters the family's files lack: one for
    the files that lack the same letters (a family's styles usually do), at the first one's
    line."""
    problems: list[BriefError] = []
    assert brand.path is not None
    root = brand.path.parent
    for language, letters in needed:
        if letters is None:
            continue
        for kind, chars in (("base", letters.base), ("auxiliary", letters.auxiliary),
                            ("compatibility", letters.compatibility)):
            lacking: dict[tuple[str, ...], list[FontFile]] = {}
            for font, cmap in fonts:
                missing = tuple(_order([c for c in chars if any(ord(p) not in cmap for p in c)]))
                if missing:
                    lacking.setdefault(missing, []).append(font)
            for missing, files_lacking in lacking.items():
                first = files_lacking[0]
                shown = first.path.relative_to(root).as_posix() \
                    if first.path.is_relative_to(root) else first.path.name
                others = len(files_lacking) - 1
                if others:
                    shown += f" and {others} other file{'s' if others > 1 else ''} of it"
                which = _LEVELS[kind]
                message = (f"font \"{family.name}\" ({shown}) lacks {_listed(missing)} of "
                           f"{letters.name} ({language}){which}, which this project builds; "
                           "choose a font that has them, or a version of it with more "
                           "languages (often called 'Pro' or 'Extended')")
                mark = first.mark or family.mark or Mark(brand.path, 1)
                problems.append(ContentError(mark, message, "font") if kind == "base"
                                else BrandWarning(mark, message, "font"))
    return problems


# ---------------------------------------------------------------------------------------------
# Logos


#: A logo's extension → the format its content must have (Pillow's, in images' names).
_EXTENSIONS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".svg": "svg"}
_FORMAT_NAMES = {"png": "PNG", "jpeg": "JPEG", "svg": "SVG", "gif": "GIF", "webp": "WebP"}


def _logos(brand: Brand) -> Iterator[LogoImage]:
    seen: set[Path] = set()
    for logo in brand.logos.values():
        for image in (logo.light, logo.dark):
            if image is not None and image.path not in seen:
                seen.add(image.path)
                yield image


def logo_problems(brand: Brand, *, paper: bool = True) -> list[BriefError]:
    """What is wrong with each logo file: missing, unsafe, not the image its name says, too
    few pixels for print (`paper`: the project has print outputs)."""
    if brand.path is None:
        return []
    root = brand.path.parent
    problems: list[BriefError] = []
    printed = {image.path for size in PRINTED_SIZES for dark in (False, True)
               if (image := brand.logo(size, dark=dark)) is not None}
    for image in _logos(brand):
        mark = image.mark or Mark(brand.path, 1)
        src = image.path.relative_to(root).as_posix() if image.path.is_relative_to(root) \
            else image.path.as_posix()
        wrong = image_problem(root, src)
        if wrong is not None:
            problems.append(ContentError(mark, "logo" + wrong.removeprefix("image"), "logo"))
            continue
        info = read_image_info(root / src)
        if info is None:  # image_problem let it through: cannot happen, but never silently
            problems.append(ContentError(mark, f"logo {src!r} cannot be read; export it again",
                                         "logo"))
            continue
        claimed = _EXTENSIONS.get(image.path.suffix.lower())
        if claimed is None or claimed != info.format:
            actual = _FORMAT_NAMES.get(info.format, info.format.upper())
            problems.append(ContentError(
                mark, f"logo {src!r} is {'an' if actual[0] in 'AEIOS' else 'a'} {actual} file "
                f"named {image.path.suffix or 'without an extension'}; a logo must be an SVG, "
                "PNG or JPEG file named for what it is (.svg, .png, .jpg): export it again or "
                "rename it", "logo"))
            continue
        if paper and info.format != "svg" and image.path in printed:
            problems += _resolution(mark, src, info.width, info.height)
    return problems


def _resolution(mark: Mark, src: str, width: int, height: int) -> list[BriefError]:
    inches = LOGO_PRINT_HEIGHT_MM / 25.4
    ppi = height / inches
    if ppi >= PRINT_PPI:
        return []
    needed = math.ceil(PRINT_PPI * inches)
    wide = math.ceil(needed * width / height)
    message = (f"logo {src!r} is {width} × {height} pixels: printed {LOGO_PRINT_HEIGHT_MM} mm "
               f"tall (the letterhead) that is {ppi:.0f} ppi, and print needs {PRINT_PPI}; "
               f"export it at least {wide} × {needed} pixels, or as SVG")
    return [ContentError(mark, message, "logo") if ppi < MIN_PRINT_PPI
            else BrandWarning(mark, message, "logo")]


# ---------------------------------------------------------------------------------------------
# All of them


def brand_problems(brand: Brand, *, languages: Sequence[str], screen: bool,
                   paper: bool = True, profile: bytes | None = None) -> list[BriefError]:
    """Every problem of the identity for a project that builds `languages`, has screen outputs
    (`screen`: web pages, PDFs with `medium: screen`) and print ones (`paper`), errors and
    `BrandWarning`s, each at its line of `_brand.yml`, in the file's order. `profile`: the
    CMYK output profile of its PDF/X outputs (None: it has none), for the hand CMYK values."""
    problems = [*contrast_problems(brand, screen=screen),
                *font_problems(brand, languages=languages),
                *logo_problems(brand, paper=paper),
                *(paper_problems(brand) if paper else []),
                *placeholder_problems(brand),
                *(cmyk_problems(brand, profile) if profile is not None else [])]
    return sorted(problems, key=_place)


def _place(problem: BriefError) -> tuple[int, int]:
    mark = getattr(problem, "mark", None)
    return (mark.line, mark.col) if isinstance(mark, Mark) else (0, 0)


__all__ = ["AA_NORMAL", "BrandWarning", "brand_problems", "contrast", "luminance",
           "to_cmyk"]
