"""colour: sRGB arithmetic on the model's `#rrggbb` colours, for the identity (`read.brand`)
and its checks (`read.brand_checks`): mixing, WCAG 2.x relative luminance and contrast, and
the nearest shade of a colour that reaches a contrast. Parsing a colour as written is
tinycss2's (`read.brand`); converting to CMYK is LittleCMS's (`brand_checks.to_cmyk`)."""

from __future__ import annotations

import colorsys
import re

#: WCAG 2.x success criterion 1.4.3 (Contrast, minimum), level AA: text of normal size.
AA_NORMAL = 4.5

_HEX = re.compile(r"#[0-9a-f]{6}")


def rgb(value: str) -> tuple[int, int, int]:
    """`#rrggbb` (the model's form: lower case) → its three channels, 0–255."""
    if not _HEX.fullmatch(value):
        raise ValueError(f"not a #rrggbb colour: {value!r}")
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def to_hex(channels: tuple[float, float, float]) -> str:
    """Three channels, 0–1 each (clamped) → `#rrggbb`."""
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in channels)


def mix(a: str, b: str, share: float) -> str:
    """`share` of colour `a` with the rest `b`, in sRGB (CSS `color-mix(in srgb, a, b)`)."""
    first, second = rgb(a), rgb(b)
    red, green, blue = ((x * share + y * (1 - share)) / 255
                        for x, y in zip(first, second, strict=True))
    return to_hex((red, green, blue))


def luminance(value: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (0 black – 1 white)."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb(value))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio of two colours, 1 – 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def passing_shade(value: str, against: str, ratio: float = AA_NORMAL) -> str | None:
    """The shade of `value` (its hue and saturation, HLS lightness changed) nearest to it whose
    contrast with `against` reaches `ratio`: darker on a lighter `against`, lighter on a darker
    one; None when no shade of that hue does."""
    red, green, blue = (c / 255 for c in rgb(value))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    darker = luminance(against) >= luminance(value)
    end = 0.0 if darker else 1.0
    if contrast(to_hex(colorsys.hls_to_rgb(hue, end, saturation)), against) < ratio:
        return None
    near, far = lightness, end  # near fails, far passes: close in on the boundary
    for _ in range(30):
        middle = (near + far) / 2
        if contrast(to_hex(colorsys.hls_to_rgb(hue, middle, saturation)), against) >= ratio:
            far = middle
        else:
            near = middle
    return to_hex(colorsys.hls_to_rgb(hue, far, saturation))
