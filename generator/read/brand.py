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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..errors import Mark

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

    def logo(self, size: LogoSize, *, dark: bool = False) -> Image | None:
        """The logo at `size`, else the nearest size the brand has (medium, large, small);
        the dark variant when asked and given."""
        order: tuple[LogoSize, ...] = {"small": ("small", "medium", "large"),
                                        "medium": ("medium", "large", "small"),
                                        "large": ("large", "medium", "small")}[size]
        for name in order:
            if (found := self.logos.get(name)) is not None:
                return (found.dark or found.light) if dark else found.light
        return None
