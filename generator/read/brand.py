"""brand: the organisation's identity, `_brand.yml` at the project's root (the open brand.yml
format that Quarto, Shiny and pkgdown read: `meta`, `logo`, `color`, `typography`, `defaults`)
→ a frozen `Brand`.

What brand.yml has no field for, the tool keeps under `defaults: brief:` in the same file:
the CMYK value of each colour for PDF/X outputs, the organisation's postal address, its EU
Transparency Register number and the letter's signatory (docs/brand.md).

A project without `_brand.yml` has the packaged identity (`DEFAULT`): today's teal design.

This module is the contract between the reader, the checks (`brand_checks`), the stylesheet
it becomes (`make.brand`) and the templates (`doc.brand`): every design token the stylesheets
use is a `Colour` here, under the name of its CSS variable (`--accent` → "accent").

How it is read (`read_brand`): the file through the gate (`files`), parsed by the project's
strict YAML loader (`load`: a mark for every value, no anchors or tags); its structure checked
by the `brand-yml` package's model (brand.yml's reference reader, which Quarto and Shiny
follow), each pydantic error's location path walked back through the loader's nodes to the
line it is about, an unknown key with "did you mean" (`suggest`). The package only validates:
its model resolves palette names but keeps no marks and reads files relative to the process,
so the values are taken from the loader's nodes here, where each error can name its line.
Colours are parsed by tinycss2's CSS Color 4 parser (any CSS colour; opaque only), logo and
font files read through the gate inside the project (never out/, never by a link leading out),
each into `Brand.digest`. A family with no files must be one the tool ships; brand.yml's
`headings` default to the `base` family when only that is given, else to the packaged Inter.
Every problem is reported at once, in the file's order.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .. import files
from ..errors import BriefError, ContentError, Mark, raise_all
from ..project import Project
from ..suggest import closest, suggest
from .colour import AA_NORMAL, contrast, luminance, mix, passing_shade, to_hex
from .languages import NAMES

if TYPE_CHECKING:
    from .load import RawNode

#: The file at the project's root.
BRAND_FILE = "_brand.yml"

#: The design tokens every stylesheet uses, as CSS variables (`--accent`), and where each comes
#: from in brand.yml: a theme colour, else derived (docs/brand.md says how). `defaults: brief:
#: color:` may set any of them directly.
TOKENS: dict[str, str] = {
    "accent": "color.primary: headings, rules, bands, the cover",
    "accent-tint": "a tint of primary: boxes' background",
    "ink": "color.foreground: text",
    "muted": "color.secondary: running heads, notes' addresses, subtitles",
    "rule": "thin rules and borders",
    "paper": "color.background: the page",
    "quote-ink": "quotations' text",
    "placeholder": "color.warning: a placeholder's mark",
    "on-accent": "text on the accent (the handout's cover)",
    "on-accent-muted": "secondary text on the accent",
    "on-accent-soft": "soft text on the accent (subtitle on the cover)",
    "on-accent-placeholder": "a placeholder's mark on the accent",
    "focus": "the web edition's focus ring",
}

CMYK = tuple[float, float, float, float]
LogoSize = Literal["small", "medium", "large"]


@dataclass(frozen=True, slots=True)
class Colour:
    """One design token's colour: its screen value (`#rrggbb`) and its print value (CMYK, 0–1
    each), which `defaults: brief: cmyk:` gives or the output's ICC profile converted
    (`converted` then True: the build says so)."""

    token: str
    value: str  # "#rrggbb", lower case
    cmyk: CMYK | None = None
    converted: bool = False
    mark: Mark | None = None  # where it is written (None: derived or packaged)
    cmyk_name: str = ""  # the `defaults: brief: cmyk:` key its CMYK value is written under
    cmyk_mark: Mark | None = None  # and where that value is


@dataclass(frozen=True, slots=True)
class Image:
    """One logo file (SVG or PNG/JPEG), checked through the gate; `path` is inside the project
    (or the packaged styles/ for the default identity)."""

    path: Path
    alt: str
    mark: Mark | None = None


@dataclass(frozen=True, slots=True)
class Logo:
    """A logo at one size: for light backgrounds, and for dark ones (`None`: the light one)."""

    light: Image
    dark: Image | None = None


@dataclass(frozen=True, slots=True)
class FontFile:
    """One font file of a family the brand declares (`typography.fonts`, `source: file`)."""

    path: Path
    weight: int = 400
    style: Literal["normal", "italic"] = "normal"
    mark: Mark | None = None


@dataclass(frozen=True, slots=True)
class Family:
    """A font family and its files; no files: a family the tool ships (Gentium Book Plus,
    Inter), which its packaged stylesheets declare."""

    name: str
    files: tuple[FontFile, ...] = ()
    mark: Mark | None = None


@dataclass(frozen=True, slots=True)
class Signatory:
    """Who signs the cover letters (`defaults: brief: signatory:`)."""

    name: str
    role: str = ""  # e.g. "Director", as printed under the name
    #: the role in each language a letter may be in (`role: {en: Director, pl: Dyrektorka}`);
    #: a letter in a language not given prints `role` (the first one written)
    roles: tuple[tuple[str, str], ...] = ()

    def in_language(self, language: str) -> Signatory:
        """The signatory as a letter in `language` prints them: the role in that language."""
        return Signatory(self.name, dict(self.roles).get(language, self.role), self.roles)


@dataclass(frozen=True, slots=True)
class Brand:
    """The organisation's identity (`_brand.yml`), or the packaged one (`DEFAULT`)."""

    path: Path | None  # the _brand.yml read; None: the packaged identity
    name: str  # meta.name (its `full` form; `short` below)
    short_name: str = ""
    url: str = ""  # meta.link.home: the organisation's address on the web
    links: tuple[tuple[str, str], ...] = ()  # meta.link: (kind, address), e.g. ("mastodon", …)
    logos: dict[LogoSize, Logo] = field(default_factory=dict)
    colours: dict[str, Colour] = field(default_factory=dict)  # token → colour, every TOKENS key
    text_family: Family | None = None  # typography.base
    headings_family: Family | None = None  # typography.headings
    monospace_family: Family | None = None  # typography.monospace
    postal_address: tuple[str, ...] = ()  # defaults.brief.address, a line each
    transparency_register: str = ""  # defaults.brief.transparency-register, e.g. "1234567890-12"
    signatory: Signatory | None = None
    digest: str = ""  # sha256 of _brand.yml and every file it names (outputs' digests cover it)
    #: The texts it prints (meta.name, meta.link, address, register, signatory), each as
    #: (where, text, mark): for the checks of placeholders (`brand_checks.placeholder_problems`).
    texts: tuple[tuple[str, str, Mark], ...] = ()

    def __hash__(self) -> int:
        """By file and digest (which covers every value read): a `Brief` carries its brand,
        and briefs are hashed (caches); the maps of logos and colours are not hashable."""
        return hash((self.path, self.digest))

    def logo(self, size: LogoSize, *, dark: bool = False) -> Image | None:
        """The logo at `size`, else the nearest size the brand has (medium, large, small);
        the dark variant when asked and given."""
        orders: dict[LogoSize, tuple[LogoSize, ...]] = {"small": ("small", "medium", "large"),
                                        "medium": ("medium", "large", "small"),
                                        "large": ("large", "medium", "small")}
        order = orders[size]
        for name in order:
            if (found := self.logos.get(name)) is not None:
                return (found.dark or found.light) if dark else found.light
        return None


# --- the packaged identity ---------------------------------------------------------------------

#: The shipped families, which the packaged stylesheets declare (styles/base.css): a brand may
#: name them (`source: system`, or no `typography.fonts` entry) without files.
SHIPPED_FAMILIES = ("Gentium Book Plus", "Inter")

#: Today's look: styles/base.css's colours and styles/print-cmyk.css's CMYK values (the web
#: edition's focus ring from styles/web.css, screen only). `tests/test_brand.py` holds them to
#: those files, so the two cannot drift apart.
_DEFAULT_COLOURS: dict[str, tuple[str, CMYK | None]] = {
    "accent": ("#0b5c6b", (0.92, 0.32, 0.35, 0.38)),
    "accent-tint": ("#e6f0f2", (0.10, 0.02, 0.04, 0.0)),
    "ink": ("#1a1a1a", (0.0, 0.0, 0.0, 1.0)),
    "muted": ("#5b6670", (0.0, 0.0, 0.0, 1.0)),
    "rule": ("#9aa5ad", (0.18, 0.06, 0.0, 0.35)),
    "paper": ("#ffffff", (0.0, 0.0, 0.0, 0.0)),
    "quote-ink": ("#2b3338", (0.0, 0.0, 0.0, 1.0)),
    "placeholder": ("#a33a00", (0.0, 0.70, 1.0, 0.25)),
    "on-accent": ("#ffffff", (0.0, 0.0, 0.0, 0.0)),
    "on-accent-muted": ("#cfe3e7", (0.20, 0.04, 0.06, 0.0)),
    "on-accent-soft": ("#e6f0f2", (0.08, 0.01, 0.02, 0.0)),
    "on-accent-placeholder": ("#ffd2a8", (0.0, 0.25, 0.40, 0.0)),
    "focus": ("#b35900", None),
}

#: The packaged identity: today's teal design, Gentium Book Plus and Inter, no logo.
DEFAULT = Brand(
    path=None, name="",
    colours={token: Colour(token, value, cmyk) for token, (value, cmyk)
             in _DEFAULT_COLOURS.items()},
    text_family=Family("Gentium Book Plus"), headings_family=Family("Inter"))


# --- reading _brand.yml ------------------------------------------------------------------------

#: The theme colours of brand.yml that set a token (`color.primary` → `--accent`).
THEME_TOKENS: dict[str, str] = {"primary": "accent", "foreground": "ink", "background": "paper",
                                "secondary": "muted", "warning": "placeholder"}

#: The tokens no theme colour sets, each a mix of two others in sRGB (as CSS `color-mix(in
#: srgb, a share%, b)`): (token, a, b, a's share). docs/brand.md lists them; `defaults: brief:
#: color:` sets any of them directly. A token whose two sources are the packaged ones keeps the
#: packaged value (a brand that changes only its logo keeps today's colours exactly).
DERIVED: tuple[tuple[str, str, str, float], ...] = (
    ("accent-tint", "accent", "paper", 0.10),
    ("rule", "muted", "paper", 0.60),
    ("quote-ink", "ink", "muted", 0.75),
    ("on-accent", "paper", "paper", 1.0),
    ("on-accent-muted", "accent", "on-accent", 0.20),
    ("on-accent-soft", "accent", "on-accent", 0.10),
    ("on-accent-placeholder", "placeholder", "on-accent", 0.35),
    ("focus", "placeholder", "placeholder", 1.0),
)

#: Derived tokens that are text, and the token they are printed on: a derived shade that
#: would fail WCAG AA there is moved to the nearest one that passes (`_legible`), so that the
#: tool's own choices never fail the checks an organisation's colours are held to.
LEGIBLE_ON: dict[str, str] = {"quote-ink": "paper", "on-accent-muted": "accent",
                              "on-accent-soft": "accent", "on-accent-placeholder": "accent"}


def _legible(value: str, ground: str) -> str:
    """`value`, or the nearest shade of it that reads on `ground` (WCAG AA, 4.5:1)."""
    if contrast(value, ground) >= AA_NORMAL:
        return value
    return passing_shade(value, ground) or value


#: The example values of the starter `_brand.yml` (`starter.BRAND`, which `brief init`
#: writes): placeholders wherever they are printed (`brand_checks.placeholder_problems`).
STARTER_EXAMPLES = ("Your Organisation", "Street 1", "1000 AA City", "Your Name")

#: The keys of `defaults: brief:` (docs/brand.md).
BRIEF_DEFAULTS = ("color", "cmyk", "address", "transparency-register", "signatory")

#: The keys brand.yml allows in its maps, by where they are: for "did you mean …?" (the
#: `brand-yml` package says only that a key is not allowed).
_KEYS: dict[str, tuple[str, ...]] = {
    "": ("meta", "logo", "color", "typography", "defaults"),
    "meta": ("name", "link"),
    "meta.name": ("full", "short"),
    "logo": ("images", "small", "medium", "large"),
    "color": ("palette", "foreground", "background", "primary", "secondary", "tertiary",
              "success", "info", "warning", "danger", "light", "dark"),
    "typography": ("fonts", "base", "headings", "monospace", "monospace-inline",
                   "monospace-block", "link"),
    "typography.base": ("family", "weight", "size", "line-height"),
    "typography.headings": ("family", "weight", "style", "line-height", "color"),
    "typography.monospace": ("family", "weight", "size"),
}

#: CSS's font weight keywords as brand.yml writes them.
_WEIGHTS = {"thin": 100, "extra-light": 200, "ultra-light": 200, "light": 300, "normal": 400,
            "regular": 400, "auto": 400, "medium": 500, "semi-bold": 600, "demi-bold": 600,
            "bold": 700, "extra-bold": 800, "ultra-bold": 800, "black": 900}

_LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
_FONT_SUFFIXES = (".otf", ".ttf", ".woff", ".woff2")
_REGISTER_RE = re.compile(r"^[0-9]{6,15}-[0-9]{2}$")  # ASCII digits only, not `\d`


def read_brand(project: Project) -> Brand:
    """The project's identity: its `_brand.yml` read, validated and resolved (palette names,
    tokens, derived colours, `defaults: brief:`, its logo and font files through the gate), or
    `DEFAULT` when it has none. Every problem is a located error at its line, all raised
    together (`BriefErrors`)."""
    path = project.root / BRAND_FILE
    if not files.exists(path):
        for other in _MISNAMED:
            if files.exists(project.root / other):
                raise ContentError(Mark(project.root / other, 1),
                                   f"the identity file is named {other!r}, so brief does not "
                                   f"read it; rename it to {BRAND_FILE} (at the project's root)",
                                   "brand")
        return DEFAULT
    from .load import MAX_YAML_BYTES, parse_yaml  # noqa: PLC0415  # deferred: see generator/__init__.py

    data = files.read_bytes(project.root, path, what=BRAND_FILE, limit=MAX_YAML_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(Mark(path, data.count(b"\n", 0, exc.start) + 1),
                           "not UTF-8 text; save the file as UTF-8", "brand") from None
    key = (str(path), hashlib.sha256(data).hexdigest())
    cached = _CACHE.get(key)
    if cached is not None and _states(_files_of(cached[0])[1:]) == cached[1]:
        files.note(_files_of(cached[0]))
        return cached[0]
    brand = _Reader(project, path, parse_yaml(text, path), data).brand()
    _CACHE.clear()  # one project's identity at a time (`brief watch` reads it after each save)
    _CACHE[key] = (brand, _states(_files_of(brand)[1:]))
    return brand


#: Where brand.yml's own finder looks too, and names that are surely meant to be `_brand.yml`:
#: a file there would otherwise be silently left out.
_MISNAMED = ("_brand.yaml", "brand.yml", "brand.yaml", "_Brand.yml", "_brand.yml.txt",
             "brand/_brand.yml", "_brand/_brand.yml")

#: The largest `_brand.yml` read (as `load.MAX_YAML_BYTES`, which `read_brand` applies).
MAX_BRAND_BYTES = 2 * 1024 * 1024

#: The identity last read, by its file and content, with the state of the files it named: it
#: is read again when `_brand.yml` or one of them changes.
_CACHE: dict[tuple[str, str], tuple[Brand, tuple[tuple[str, int, int], ...]]] = {}

#: A logo's or font's name as `_brand.yml` may write it (`_named`).
_NAMED_RE = re.compile(r"\.(?:svg|png|jpe?g|otf|ttf|woff2?)(?=$|[\s\"',}\]#])", re.IGNORECASE)


def _states(paths: tuple[Path, ...]) -> tuple[tuple[str, int, int], ...]:
    """Each file's (path, mtime in ns, size); (path, -1, -1) for one that is gone."""
    states = []
    for path in paths:
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            states.append((str(path), -1, -1))
        else:
            states.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(states)


def _named(text: str) -> list[str]:
    """Every logo or font file `_brand.yml`'s text may name, found without parsing it as
    YAML: each name ending in a logo's or font's extension, from the delimiter before it (a
    quote, `{`, `[`, `,`, `:` or the line's start), spaces in it kept."""
    found = []
    for line in text.splitlines():
        for match in _NAMED_RE.finditer(line):
            start = max(line.rfind(c, 0, match.start()) for c in "\"'{[,:") + 1
            name = line[start:match.end()].strip()
            found.append(name.removeprefix("- ").strip() if name.startswith("- ") else name)
    return found


def _files_of(brand: Brand) -> tuple[Path, ...]:
    """`_brand.yml` and every file it names (logos, fonts)."""
    named = [image.path for logo in brand.logos.values()
             for image in (logo.light, logo.dark) if image is not None]
    named += [f.path for family in (brand.text_family, brand.headings_family,
                                    brand.monospace_family) if family is not None
              for f in family.files]
    return tuple(dict.fromkeys([*([brand.path] if brand.path else []), *named]))


def brand_files(brand: Brand) -> tuple[Path, ...]:
    """The files an output in this identity depends on: `_brand.yml` and every logo and font
    file it names (none for `DEFAULT`); every output's digest covers them."""
    return _files_of(brand)


def named_files(project: Project) -> tuple[Path, ...]:
    """`_brand.yml` and the files its text names that exist in the project, without reading it
    as brand.yml (for `manifest.brief_inputs_digest`, which parses nothing): any logo or font
    file named in it."""
    misnamed = tuple(project.root / name for name in _MISNAMED
                     if (project.root / name).is_file())  # an error to say: a change to see
    path = project.root / BRAND_FILE
    if not path.is_file():
        return misnamed
    try:
        text = files.read_text(project.root, path, what=BRAND_FILE, limit=MAX_BRAND_BYTES)
    except BriefError:
        return (path, *misnamed)
    root = os.path.normpath(project.root)
    found = [Path(os.path.normpath(project.root / name)) for name in _named(text) if name]
    return (path, *misnamed, *(f for f in sorted(set(found))
                               if str(f).startswith(root + os.sep) and f.is_file()))


def _plain(node: RawNode) -> Any:
    """A node as plain data (str, list, dict; YAML's null as None), for the brand-yml model."""
    if isinstance(node.value, dict):
        return {key: _plain(value) for key, value in node.value.items()}
    if isinstance(node.value, tuple):
        return [_plain(item) for item in node.value]
    return None if node.is_null else node.value


#: Tokens of small text: printed in 100 % black on a PDF/X output unless the brand gives their
#: CMYK (styles/print-cmyk.css: a four-colour grey at 7–9 pt is a dot screen that blurs).
BLACK_TEXT = ("ink", "muted", "quote-ink")

#: Text darker than this (WCAG relative luminance; 0.18 is mid grey, CIELAB L* ≈ 50, where the
#: sample's muted slate #5b6670 at 0.13 lies below) reads as black-ish and prints in black ink;
#: lighter text (a dark identity's light ink) would turn black, so it is converted instead.
DARK_TEXT_LUMINANCE = 0.18


def print_cmyk(colour: Colour) -> CMYK | None:
    """A colour's ink on a PDF/X output: its CMYK value; else 100 % black for small dark text
    (`BLACK_TEXT`, `DARK_TEXT_LUMINANCE`) and no ink for white; else None (converted through
    the output's profile, `make.brand.converted`)."""
    if colour.cmyk is not None:
        return colour.cmyk
    if colour.token in BLACK_TEXT and luminance(colour.value) < DARK_TEXT_LUMINANCE:
        return (0.0, 0.0, 0.0, 1.0)
    if colour.value == "#ffffff":
        return (0.0, 0.0, 0.0, 0.0)
    return None


def mix_cmyk(a: CMYK, b: CMYK, share: float) -> CMYK:
    """`share` of ink values `a` with the rest `b` (a tint of a colour on paper)."""
    c, m, y, k = (round(x * share + z * (1 - share), 4) for x, z in zip(a, b, strict=True))
    return (c, m, y, k)


class _Reader:
    """One `_brand.yml` read: its values, with every problem collected at its line."""

    def __init__(self, project: Project, path: Path, root: RawNode, data: bytes) -> None:
        from .load import RawNode  # noqa: PLC0415  # deferred: see generator/__init__.py

        self.project, self.path, self.root = project, path, root
        self.empty = RawNode({}, Mark(path, 0))  # what a missing map or list reads as
        self.errors: list[BriefError] = []
        self.digest = hashlib.sha256(b"_brand.yml\0" + data)
        self.read: dict[Path, None] = {}
        self.lines = data.decode("utf-8-sig").splitlines()
        self.unquoted: set[str] = set()  # the values `_unquoted` reported, by dotted path
        self.texts: list[tuple[str, str, Mark]] = []  # `Brand.texts`
        self.cmyk_marks: dict[str, Mark] = {}  # `defaults: brief: cmyk:` name → its value

    def error(self, mark: Mark | None, problem: str) -> None:
        self.errors.append(ContentError(mark or Mark(self.path, 1), problem, "brand"))

    # the structure, by the brand-yml package's model
    def validate(self) -> bool:
        """Whether the file has brand.yml's structure (the `brand-yml` package's model, which
        Quarto's and Shiny's reader is); its problems at their lines."""
        if self.root.kind != "map":
            self.error(self.root.mark, "_brand.yml is not a map of `key: value` lines; start "
                       "with `meta:`, `color:`, `logo:` or `typography:` (docs/brand.md)")
            return False
        # brand_yml and pydantic: 216 ms to import (`python -X importtime -c "import
        # brand_yml"`, cumulative), paid only by a project that has a _brand.yml
        import brand_yml  # noqa: PLC0415  # deferred: see generator/__init__.py
        import pydantic  # noqa: PLC0415  # deferred: see generator/__init__.py

        if not self._shapes():
            return False
        plain = _plain(self.root)
        plain.pop("path", None)  # the package's own field (where the file is), not brand.yml's
        try:
            brand_yml.Brand.model_validate(plain)
        except pydantic.ValidationError as exc:
            logo = self.root.as_map.get("logo")
            member = ("BrandLogoResource" if logo is not None and (
                logo.kind == "text" or "path" in logo.as_map) else "BrandLogo")
            paths: set[int] = set()
            for error in exc.errors():
                loc = tuple(error["loc"])
                if loc[:1] == ("logo",) and len(loc) > 1 and loc[1] != member:
                    continue  # the union's other member: not the shape written
                if "FileLocationUrl" in loc or "FileLocationLocal" in loc:
                    node, dotted = self._walk(loc)  # one message per path, the tool's own
                    if id(node) not in paths:
                        paths.add(id(node))
                        self._path(node, dotted.removesuffix(".path"), error["msg"])
                    continue
                self._model_error(loc, error["type"], error["msg"])
            return False
        except Exception as exc:  # noqa: BLE001 — the package's own, e.g. a palette name that
            # refers to itself (`white: white`), which `_colour` reports at its line
            if type(exc).__name__ == "CircularReferenceError":
                return True
            self.error(self.root.mark, f"_brand.yml: a value does not have brand.yml's shape "
                       f"({exc}); see docs/brand.md")
            return False
        return True

    def _shapes(self) -> bool:
        """The shapes the `brand-yml` package fails on with a Python error rather than a
        located one (`typography.fonts` as names, `logo.small: {}`): reported at their lines."""
        found = len(self.errors)
        typography = self.root.as_map.get("typography")
        fonts = typography.as_map.get("fonts") if typography is not None else None
        example = ("each font a map: `- family: Lato`, `source: file` and its `files:` "
                   "(paths relative to _brand.yml), or `source: system` for a family brief "
                   "ships (docs/brand.md)")
        if fonts is not None and not fonts.is_null:
            if fonts.kind != "list":
                self.error(fonts.mark, f"typography.fonts: a list of font families, {example}")
            else:
                for index, entry in enumerate(fonts.as_list):
                    if entry.kind != "map":
                        self.error(entry.mark, f"typography.fonts[{index + 1}]: "
                                   f"{entry.as_text.strip()!r} is not a map of family, source "
                                   f"and files; {example}")
        logo = self.root.as_map.get("logo")
        if logo is not None and logo.kind == "map" and "path" not in logo.as_map:
            for size in ("small", "medium", "large"):
                node = logo.as_map.get(size)
                if node is not None and node.kind == "map" and not (
                        {"light", "dark", "path"} & set(node.as_map)):
                    self.error(node.mark, f"logo.{size}: give `light:` (and `dark:`), an "
                               "image's name from logo.images, or a `path:` (relative to "
                               "_brand.yml)")
        return len(self.errors) == found

    def _walk(self, loc: tuple[str | int, ...]) -> tuple[RawNode, str]:
        """The node a pydantic location leads to (the union members' names skipped), and its
        dotted path."""
        node, path = self.root, []
        for part in loc:
            if isinstance(part, str) and part in node.as_map:
                node = node.as_map[part]
                path.append(part)
            elif isinstance(part, int) and 0 <= part < len(node.as_list):
                node = node.as_list[part]
                path.append(str(part))
        return node, ".".join(path)

    def _path(self, node: RawNode, what: str, message: str) -> None:
        """A logo's path that brand.yml refuses: the tool's own message (`_file`), else
        brand.yml's."""
        logo = self.root.as_map.get("logo")
        images = (logo.as_map.get("images", self.empty).as_map if logo is not None
                  else {})
        if node.kind == "text" and node.as_text.strip() in images:
            return  # an image's name, whose own path is reported
        found = len(self.errors)
        if node.kind == "text":
            self._file(node, what, _LOGO_SUFFIXES)
        if len(self.errors) == found:
            self._model_error(tuple(what.split(".")), "value_error", message)

    def _model_error(self, loc: tuple[str | int, ...], kind: str, message: str) -> None:
        node, mark, path = self.root, self.root.mark, []
        for part in loc:
            if isinstance(part, str) and part in node.as_map:
                mark = node.key_marks.get(part, node.as_map[part].mark) \
                    if kind == "extra_forbidden" else node.as_map[part].mark
                node = node.as_map[part]
                path.append(part)
            elif isinstance(part, int) and 0 <= part < len(node.as_list):
                node = node.as_list[part]
                mark = node.mark
                path.append(str(part))
            # else: the name of a union's member (`file`, `str`): not in the file
        dotted = ".".join(path) or "_brand.yml"
        if dotted in self.unquoted:  # said by `_unquoted`, not as pydantic's "a valid string"
            return
        if kind == "extra_forbidden" and path:
            parent = ".".join(p for p in path[:-1] if not p.isdigit())
            allowed = _KEYS.get(parent, ())
            self.error(mark, f"{'.'.join(path[:-1]) or '_brand.yml'}: unknown key {path[-1]!r}"
                       f"{suggest(path[-1], allowed)}; brand.yml allows "
                       f"{', '.join(allowed) or 'other keys here'} (docs/brand.md)")
            return
        message = message.removeprefix("Value error, ")
        if not message[1:2].isupper():  # "URL scheme …" kept, "Input should …" lowered
            message = message[:1].lower() + message[1:]
        self.error(mark, f"{dotted}: {message}; see docs/brand.md")

    # values
    def _printed(self, node: RawNode | None, what: str) -> RawNode | None:
        """`node`, its text noted as one the brand prints (`Brand.texts`)."""
        if node is not None and node.kind == "text" and not node.is_null:
            self.texts.append((what, self.text(node), node.mark))
        return node

    def text(self, node: RawNode | None) -> str:
        return " ".join(node.as_text.split()) if node is not None and not node.is_null else ""

    def _role(self, node: RawNode | None) -> tuple[str, tuple[tuple[str, str], ...]]:
        """`signatory: role:` as one text, or a text per language (`{en: Director, pl: …}`):
        (the role a letter in another language prints, the roles by language)."""
        if node is None or node.is_null or node.kind != "map":
            return self.text(node), ()
        roles = []
        for language, value in node.as_map.items():
            if language not in NAMES:
                self.error(node.key_marks.get(language, node.mark),
                           f"defaults.brief.signatory.role: {language!r} is not a language "
                           f"code{suggest(language, tuple(NAMES))}; give the role in each "
                           "language of the letters, e.g. {en: Director, pl: Dyrektor}")
            elif text := self.text(value):
                roles.append((language, text))
        return (roles[0][1] if roles else ""), tuple(roles)

    def _unquoted(self) -> None:
        """Colours written `#rrggbb` without quotes: YAML reads `#` as the start of a comment,
        so the value is null and would silently be the packaged one; an error at each line
        (the palette's, the theme colours', `defaults: brief: color:`'s)."""
        top = self.root.as_map
        color = top.get("color")
        brief = _brief_node(top.get("defaults"))
        places: list[tuple[str, RawNode]] = []
        if color is not None and color.kind == "map":
            places.append(("color", color))
            palette = color.as_map.get("palette")
            if palette is not None and palette.kind == "map":
                places.append(("color.palette", palette))
        if brief is not None and brief.kind == "map":
            places += [(f"defaults.brief.{key}", node) for key in ("color", "cmyk")
                       if (node := brief.as_map.get(key)) is not None and node.kind == "map"]
        for where, parent in places:
            for key, node in parent.as_map.items():
                mark = parent.key_marks.get(key)
                if not node.is_null or mark is None or not 0 < mark.line <= len(self.lines):
                    continue
                line = self.lines[mark.line - 1]
                after = line[line.find(":", max(mark.col - 1, 0) + len(key)) + 1:].strip()
                written = re.match(r"#[0-9a-z]\S*", after, re.IGNORECASE)
                if written is None:  # empty, or a comment (`primary:  # TODO`)
                    continue
                value = written[0]
                self.unquoted.add(f"{where}.{key}")
                self.error(Mark(mark.path, mark.line, line.find("#", mark.col) + 1),
                           f"{where}.{key}: a colour written #… must be quoted: {key}: "
                           f"\"{value}\" (YAML reads # as a comment)")

    def brand(self) -> Brand:
        self._unquoted()
        if not self.validate():
            self._brief_defaults(self.root.as_map.get("defaults"), check_only=True)
            raise_all(sorted(self.errors, key=_line))
        top = self.root.as_map
        meta = top.get("meta")
        name = short = url = ""
        links: list[tuple[str, str]] = []
        if meta is not None:
            name_node = meta.as_map.get("name")
            if name_node is not None and name_node.kind == "map":
                name = self.text(self._printed(name_node.as_map.get("full"), "meta.name.full"))
                short = self.text(self._printed(name_node.as_map.get("short"),
                                                "meta.name.short"))
            else:
                name = self.text(self._printed(name_node, "meta.name"))
            link = meta.as_map.get("link")
            if link is not None and link.kind == "map":
                for kind, value in link.as_map.items():
                    linked = self.text(self._printed(value, f"meta.link.{kind}"))
                    if kind == "home":
                        url = linked
                    elif linked:
                        links.append((kind, linked))
            else:
                url = self.text(self._printed(link, "meta.link"))
            for kind, written in [("home", url), *links]:
                if written and not re.match(r"^https?://", written):
                    where = link.as_map.get(kind, link) if link is not None else meta
                    self.error(where.mark, f"meta.link: {written!r} is not a web address; "
                               "write it in full, with https://")
        colours = self._colours(top.get("color"),
                                self.root.as_map.get("defaults"))
        logos = self._logos(top.get("logo"), name or short)
        text_family, headings_family, monospace_family = self._typography(top.get("typography"))
        address, register, signatory = self._brief_defaults(top.get("defaults"))
        raise_all(sorted(self.errors, key=_line))
        return Brand(path=self.path, name=name or short, short_name=short, url=url,
                     links=tuple(links), logos=logos, colours=colours,
                     text_family=text_family, headings_family=headings_family,
                     monospace_family=monospace_family, postal_address=address,
                     transparency_register=register, signatory=signatory,
                     digest=self.digest.hexdigest(), texts=tuple(self.texts))

    # colours
    def _colour(self, node: RawNode, what: str, palette: dict[str, RawNode],  # noqa: PLR0911
                seen: tuple[str, ...] = ()) -> str | None:
        """A colour as written (a palette name, or any CSS colour) → `#rrggbb`; None after
        reporting what is wrong with it."""
        import tinycss2.color4  # noqa: PLC0415  # deferred: see generator/__init__.py

        written = node.as_text.strip()
        if node.kind != "text" or not written:
            self.error(node.mark, f"{what}: a colour is a text (#0b5c6b, or a name from "
                       "color.palette)")
            return None
        if written in palette:
            if written in seen:
                self.error(node.mark, f"{what}: {written!r} refers to itself through "
                           f"color.palette ({' → '.join((*seen, written))}); give it a colour")
                return None
            return self._colour(palette[written], f"color.palette.{written}", palette,
                                (*seen, written))
        parsed = tinycss2.color4.parse_color(written)
        if parsed is None or isinstance(parsed, str):  # None, or `currentcolor`
            names = ", ".join(palette) or "none"
            self.error(node.mark, f"{what}: {written!r} is not a colour{suggest(written, palette)}"
                       f"; write it as #rrggbb (or a CSS colour: rgb(…), hsl(…), white), or a "
                       f"name from color.palette (there: {names})")
            return None
        if parsed.alpha < 1:
            self.error(node.mark, f"{what}: {written!r} is transparent; print has no "
                       "transparency: give an opaque colour")
            return None
        try:
            srgb = parsed.to("srgb").coordinates
        except NotImplementedError:  # tinycss2 parses lab, oklch, display-p3, xyz… but
            # converts only the sRGB family (rgb, hsl, hwb)
            self.error(node.mark, f"{what}: {written!r} is a colour brief cannot convert "
                       "to sRGB (screen and print both need it); write it as #rrggbb (your "
                       "design tool shows the sRGB hex value)")
            return None
        return to_hex((float(srgb[0]), float(srgb[1]), float(srgb[2])))

    def _colours(self, color: RawNode | None,  # noqa: PLR0912 — a branch per way to set one
                 defaults: RawNode | None) -> dict[str, Colour]:
        palette = dict(color.as_map.get("palette", self.empty).as_map) if color is not None else {}
        brief = _brief_node(defaults)
        values: dict[str, tuple[str, Mark | None]] = {}
        names: dict[str, list[str]] = {token: [token] for token in TOKENS}  # for cmyk:
        for name, node in palette.items():
            self._colour(node, f"color.palette.{name}", palette)  # each checked once
        if color is not None:
            for theme, token in THEME_TOKENS.items():
                theme_node = color.as_map.get(theme)
                if theme_node is None or theme_node.is_null:
                    continue
                value = self._colour(theme_node, f"color.{theme}", palette)
                names[token] += [theme, *self._chain(theme_node, palette)]
                if value is not None:
                    values[token] = (value, theme_node.mark)
        set_directly = brief.as_map.get("color", self.empty) if brief is not None else self.empty
        for token, node in set_directly.as_map.items():
            if token not in TOKENS:
                self.error(set_directly.key_marks.get(token, node.mark),
                           f"defaults.brief.color: unknown token {token!r}"
                           f"{suggest(token, TOKENS)}; the tokens are {', '.join(TOKENS)}")
                continue
            if f"defaults.brief.color.{token}" in self.unquoted:
                continue
            value = self._colour(node, f"defaults.brief.color.{token}", palette)
            names[token] += self._chain(node, palette)
            if value is not None:
                values[token] = (value, node.mark)
        cmyk = self._cmyk(brief, palette)
        colours: dict[str, Colour] = {}
        for token in TOKENS:
            if token in values:
                value, mark = values[token]
                given = next((n for n in names[token] if n in cmyk), None)
                colours[token] = Colour(
                    token, value, cmyk[given] if given is not None else None, mark=mark,
                    cmyk_name=given or "",
                    cmyk_mark=self.cmyk_marks.get(given) if given is not None else None)
        for token, a, b, share in DERIVED:
            if token in colours:
                continue
            if a not in colours and b not in colours:  # both packaged: the packaged value
                colours[token] = DEFAULT.colours[token]
                continue
            first, second = colours.get(a, DEFAULT.colours[a]), colours.get(b, DEFAULT.colours[b])
            inks = print_cmyk(first), print_cmyk(second)
            tint = (mix_cmyk(inks[0], inks[1], share)
                    if inks[0] is not None and inks[1] is not None else None)
            value = mix(first.value, second.value, share)
            if (ground := LEGIBLE_ON.get(token)) is not None:
                value = _legible(value, colours.get(ground, DEFAULT.colours[ground]).value)
            colours[token] = Colour(token, value, cmyk.get(token, tint),
                                    cmyk_name=token if token in cmyk else "",
                                    cmyk_mark=self.cmyk_marks.get(token))
        for token in TOKENS:
            colours.setdefault(token, DEFAULT.colours[token])
        return {token: colours[token] for token in TOKENS}

    def _chain(self, node: RawNode, palette: dict[str, RawNode]) -> list[str]:
        """The palette names a colour refers to, in order (`primary: teal` → ["teal"])."""
        chain: list[str] = []
        here = node
        while here.kind == "text" and (name := here.as_text.strip()) in palette \
                and name not in chain:
            chain.append(name)
            here = palette[name]
        return chain

    def _cmyk(self, brief: RawNode | None, palette: dict[str, RawNode]) -> dict[str, CMYK]:
        """`defaults: brief: cmyk:`: a palette name, a theme colour or a token → its CMYK
        value, each 0–1 (or a percentage)."""
        node = brief.as_map.get("cmyk") if brief is not None else None
        if node is None or node.is_null:
            return {}
        if node.kind != "map":
            self.error(node.mark, "defaults.brief.cmyk: a map of colour names to [c, m, y, k] "
                       "values (docs/brand.md)")
            return {}
        known = (*palette, *THEME_TOKENS, *TOKENS)
        found: dict[str, CMYK] = {}
        for name, value in node.as_map.items():
            what = f"defaults.brief.cmyk.{name}"
            if what in self.unquoted:
                continue
            if name not in known:
                self.error(node.key_marks.get(name, value.mark),
                           f"{what}: {name!r} is no colour of the brand{suggest(name, known)}; "
                           "name a colour of color.palette, a theme colour (primary, …) or a "
                           "token (accent, …)")
                continue
            items = value.as_list
            if len(items) != 4:
                self.error(value.mark, f"{what}: a CMYK value is four numbers [c, m, y, k], "
                           "each 0–1 (0.92) or a percentage (92%)")
                continue
            inks: list[float] = []
            for item in items:
                written = item.as_text.strip()
                try:
                    number = (float(written[:-1]) / 100 if written.endswith("%")
                              else float(written))
                except ValueError:
                    number = float("nan")
                if not 0 <= number <= 1:  # NaN too
                    self.error(item.mark, f"{what}: {written!r} is out of range; write each "
                               "ink as 0–1 (0.92) or a percentage (92%)")
                inks.append(number)
            if len(inks) == 4 and all(0 <= x <= 1 for x in inks):
                found[name] = (inks[0], inks[1], inks[2], inks[3])
                self.cmyk_marks[name] = value.mark
        return found

    # files
    def _file(self, node: RawNode, what: str,  # noqa: PLR0911 — a return per refusal
              suffixes: tuple[str, ...]) -> Path | None:
        """A logo or font file named relative to _brand.yml (the project's root), read through
        the gate into the digest; None after reporting what is wrong."""
        written = node.as_text.strip()
        if node.kind != "text" or not written:
            self.error(node.mark, f"{what}: a path, relative to _brand.yml")
            return None
        if re.match(r"^[a-z][a-z0-9+.-]*://", written, re.IGNORECASE):
            self.error(node.mark, f"{what}: {written!r} is on the network, and brief reads "
                       "nothing from it while building; put the file in the project (e.g. "
                       "brand/) and name it relative to _brand.yml")
            return None
        if Path(written).is_absolute():
            kind = "logo" if what.startswith("logo") else "font"
            self.error(node.mark, f"{what}: {written!r} is an absolute path; {kind} paths are "
                       "relative to _brand.yml's folder (the project's root): put the file in "
                       f"the project and name it so (e.g. brand/{kind}"
                       f"{'.svg' if kind == 'logo' else '.ttf'})")
            return None
        if not written.lower().endswith(suffixes):
            kinds = " or ".join(s[1:].upper() for s in suffixes)
            self.error(node.mark, f"{what}: {written!r} is not a {kinds} file")
            return None
        path = self.project.root / written
        out = self.project.out
        if os.path.normpath(path).startswith(os.path.normpath(out) + os.sep) or (
                (real := os.path.realpath(path)) != os.path.normpath(path)
                and real.startswith(os.path.realpath(out) + os.sep)):
            self.error(node.mark, f"{what}: {written!r} is in out/, which brief writes and "
                       "cleans; keep the file beside _brand.yml (e.g. brand/)")
            return None
        try:
            data = files.read_bytes(self.project.root, path, node.mark, what=f"{what} {written!r}")
        except files.Missing:
            self.error(node.mark, f"{what}: {written!r} not found (paths are relative to "
                       "_brand.yml, at the project's root); check the name")
            return None
        except files.Refused as exc:
            self.errors.append(ContentError(exc.mark, exc.problem, "brand"))
            return None
        if path not in self.read:
            self.read[path] = None
            self.digest.update(str(path.relative_to(self.project.root)).encode() + b"\0"
                               + hashlib.sha256(data).digest())
        return path

    def _logos(self, logo: RawNode | None, alt: str) -> dict[LogoSize, Logo]:
        if logo is None or logo.is_null:
            return {}
        images: dict[str, Image] = {}
        sizes: dict[LogoSize, RawNode] = {}
        if logo.kind == "map" and "path" not in logo.as_map:
            for name, node in logo.as_map.get("images", self.empty).as_map.items():
                image = self._image(node, f"logo.images.{name}", alt, {})
                if image is not None:
                    images[name] = image
            all_sizes: tuple[LogoSize, ...] = ("small", "medium", "large")
            for size in all_sizes:
                if (size_node := logo.as_map.get(size)) is not None and not size_node.is_null:
                    sizes[size] = size_node
        else:  # `logo: brand/logo.svg`: one logo, for every size
            sizes["medium"] = logo
        found: dict[LogoSize, Logo] = {}
        for size, node in sizes.items():
            what = f"logo.{size}" if node is not logo else "logo"
            if node.kind == "map" and "path" not in node.as_map:
                light_node = node.as_map.get("light", node.as_map.get("dark"))
                if light_node is None:
                    self.error(node.mark, f"{what}: give `light:` (and `dark:`), an image's "
                               "name from logo.images, or a `path:`")
                    continue
                light = self._image(light_node, f"{what}.light", alt, images)
                dark_node = node.as_map.get("dark")
                dark = (self._image(dark_node, f"{what}.dark", alt, images)
                        if dark_node is not None else None)
                if light is not None:
                    found[size] = Logo(light, dark)
            elif (image := self._image(node, what, alt, images)) is not None:
                found[size] = Logo(image)
        return found

    def _image(self, node: RawNode, what: str, alt: str, images: dict[str, Image]
               ) -> Image | None:
        if node.kind == "text" and node.as_text.strip() in images:
            return images[node.as_text.strip()]
        path_node = node.as_map.get("path") if node.kind == "map" else node
        if path_node is None:
            self.error(node.mark, f"{what}: give the image's `path:` (and `alt:`)")
            return None
        if node.kind == "text" and "." not in node.as_text and "/" not in node.as_text:
            names = ", ".join(images) or "none"
            self.error(node.mark, f"{what}: {node.as_text.strip()!r} is no image of "
                       f"logo.images{suggest(node.as_text.strip(), images)} (there: {names}); "
                       "or give a path to the file")
            return None
        path = self._file(path_node, what, _LOGO_SUFFIXES)
        if path is None:
            return None
        written_alt = self.text(node.as_map.get("alt")) if node.kind == "map" else ""
        if not (written_alt or alt):
            self.error(path_node.mark, f"{what}: {path_node.as_text.strip()!r} has no "
                       "alternative text; give meta.name (the organisation's name, which a "
                       "logo's alt text defaults to) or the image's `alt:` (PDF/UA requires "
                       "a figure's alternative text)")  # the image kept: no error for
            # each size that names it
        return Image(path, written_alt or alt, path_node.mark)

    # typography
    def _typography(self, typography: RawNode | None  # noqa: PLR0912 — a branch per source
                    ) -> tuple[Family | None, Family | None, Family | None]:
        if typography is None or typography.is_null:
            return DEFAULT.text_family, DEFAULT.headings_family, DEFAULT.monospace_family
        declared: dict[str, Family] = {}
        for index, entry in enumerate(typography.as_map.get("fonts", self.empty).as_list):
            what = f"typography.fonts[{index + 1}]"
            family = self.text(entry.as_map.get("family"))
            source = self.text(entry.as_map.get("source")) or "file"
            if source in ("google", "bunny"):
                self.error(entry.mark, f"{what}: {family!r} comes from {source.title()} Fonts, "
                           "on the network, and brief reads nothing from it while building; "
                           "download the font's files into the project and list them with "
                           "`source: file`")
                continue
            if source == "system":
                if family not in SHIPPED_FAMILIES:
                    self.error(entry.mark, f"{what}: {family!r} (source: system): brief sets "
                               "type only in the project's fonts, never the machine's (a "
                               "PDF would differ from machine to machine); list its files "
                               "with `source: file`, or use a family brief ships ("
                               f"{', '.join(SHIPPED_FAMILIES)})")
                declared[family] = Family(family, (), entry.mark)
                continue
            font_files = []
            for number, item in enumerate(entry.as_map.get("files", self.empty).as_list):
                item_what = f"{what}.files[{number + 1}]"
                path_node = item.as_map.get("path") if item.kind == "map" else item
                if path_node is None:
                    self.error(item.mark, f"{item_what}: give the file's `path:`")
                    continue
                path = self._file(path_node, item_what, _FONT_SUFFIXES)
                weight_text = self.text(item.as_map.get("weight")) if item.kind == "map" else ""
                weight = (int(weight_text) if weight_text.isdigit()
                          else _WEIGHTS.get(weight_text, 400))
                style = self.text(item.as_map.get("style")) if item.kind == "map" else ""
                if path is not None:
                    font_files.append(FontFile(path, weight,
                                               "italic" if style == "italic" else "normal",
                                               path_node.mark))
            if not entry.as_map.get("files", self.empty).as_list:
                self.error(entry.mark, f"{what}: {family!r} has no `files:`; list the "
                           "family's font files (relative to _brand.yml), or use a family "
                           f"brief ships ({', '.join(SHIPPED_FAMILIES)}) with `source: system`")
            declared[family] = Family(family, tuple(font_files), entry.mark)
        found: list[Family | None] = []
        for role, default in (("base", DEFAULT.text_family),
                              ("headings", None), ("monospace", DEFAULT.monospace_family)):
            node = typography.as_map.get(role)
            if node is None or node.is_null:
                found.append(default)
                continue
            name = self.text(node.as_map.get("family") if node.kind == "map" else node)
            if not name:
                found.append(default)
                continue
            chosen = declared.get(name)
            if chosen is None and name in SHIPPED_FAMILIES:
                chosen = Family(name)
            if chosen is None:
                self.error(node.mark, f"typography.{role}: no font {name!r}"
                           f"{suggest(name, [*declared, *SHIPPED_FAMILIES])}; list it under "
                           "typography.fonts with its files (`source: file`), or use a family "
                           f"brief ships ({', '.join(SHIPPED_FAMILIES)})")
            found.append(chosen)
        text_family, headings_family, monospace_family = found
        if headings_family is None:  # brand.yml: headings are set in the base family unless
            headings_family = (text_family if "base" in typography.as_map  # given their own
                               else DEFAULT.headings_family)
        return text_family, headings_family, monospace_family

    # defaults: brief:
    def _brief_defaults(self, defaults: RawNode | None, *,  # noqa: PLR0912 — one per key
                        check_only: bool = False
                        ) -> tuple[tuple[str, ...], str, Signatory | None]:
        if defaults is not None and defaults.kind == "map":
            for key in defaults.as_map:  # other tools' keys (quarto, shiny, …) are theirs;
                # one that is surely meant to be brief's would silently drop its settings
                if key != "brief" and (key.lower() == "brief" or closest(key, ["brief"])):
                    self.error(defaults.key_marks.get(key, defaults.mark),
                               f"defaults: {key!r} is no tool's key brief knows (did you mean "
                               "'brief'?); brief reads its settings (color, cmyk, address, …) "
                               "only under `defaults: brief:`")
        brief = _brief_node(defaults)
        if brief is None or brief.is_null:
            return (), "", None
        if brief.kind != "map":
            self.error(brief.mark, "defaults.brief: a map of brief's own settings ("
                       f"{', '.join(BRIEF_DEFAULTS)})")
            return (), "", None
        for key, node in brief.as_map.items():
            if key not in BRIEF_DEFAULTS:
                self.error(brief.key_marks.get(key, node.mark),
                           f"defaults.brief: unknown key {key!r}{suggest(key, BRIEF_DEFAULTS)}"
                           f"; brief reads {', '.join(BRIEF_DEFAULTS)} (docs/brand.md)")
        if check_only:
            return (), "", None
        address: tuple[str, ...] = ()
        if (written := brief.as_map.get("address")) is not None and not written.is_null:
            lines = ([item.as_text for item in written.as_list] if written.kind == "list"
                     else written.as_text.splitlines())
            address = tuple(" ".join(line.split()) for line in lines if line.strip())
            self.texts += [("defaults.brief.address", line, written.mark) for line in address]
        register = self.text(self._printed(brief.as_map.get("transparency-register"),
                                           "defaults.brief.transparency-register"))
        if register and not _REGISTER_RE.match(register):
            self.error(brief.as_map["transparency-register"].mark,
                       f"defaults.brief.transparency-register: {register!r} is not an EU "
                       "Transparency Register number; write it as the register does: digits, "
                       "a hyphen and two digits (1234567890-12)")
        signatory = None
        if (person := brief.as_map.get("signatory")) is not None and not person.is_null:
            if person.kind == "map":
                for key in person.as_map:
                    if key not in ("name", "role"):
                        self.error(person.key_marks.get(key, person.mark),
                                   f"defaults.brief.signatory: unknown key {key!r}"
                                   f"{suggest(key, ('name', 'role'))}; give name and role")
                name = self.text(self._printed(person.as_map.get("name"),
                                               "defaults.brief.signatory.name"))
                role, roles = self._role(person.as_map.get("role"))
            else:
                name = self.text(self._printed(person, "defaults.brief.signatory"))
                role, roles = "", ()
            if name:
                signatory = Signatory(name, role, roles)
            else:
                self.error(person.mark, "defaults.brief.signatory: give the signatory's name")
        return address, register, signatory


def _line(error: BriefError) -> tuple[int, int]:
    mark = getattr(error, "mark", None)
    return (mark.line, mark.col) if mark is not None else (0, 0)


def _brief_node(defaults: RawNode | None) -> RawNode | None:
    return defaults.as_map.get("brief") if defaults is not None else None
