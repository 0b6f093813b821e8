"""web.card: a brief's title and organisation → its social card, a 1200 × 630 PNG (Open Graph's
`og:image`), drawn with Pillow in the design's colours and fonts (styles/fonts, through the gate).

The same title, organisation and fonts give the same bytes: nothing of the moment (no date, no
random state) enters the image, and Pillow writes a PNG without a timestamp.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ... import files

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
#: The design's colours (styles/base.css: --accent, --on-accent, --on-accent-muted).
ACCENT, ON_ACCENT, ON_ACCENT_MUTED = "#0b5c6b", "#ffffff", "#cfe3e7"
TITLE_FONT, ORGANISATION_FONT = "Inter-SemiBold.otf", "Inter-Regular.otf"


def _font(styles: Path, name: str, size: int) -> ImageFont.FreeTypeFont:
    data = files.read_bytes(styles, styles / "fonts" / name, what=f"font {name!r}")
    return ImageFont.truetype(io.BytesIO(data), size)


def _lines(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
           ) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def social_card(styles: Path, title: str, organisation: str, language: str) -> bytes:
    """The card's PNG bytes: the organisation above, the title below it, as large as fits."""
    image = Image.new("RGB", (WIDTH, HEIGHT), ACCENT)
    draw = ImageDraw.Draw(image)
    small = _font(styles, ORGANISATION_FONT, 34)
    draw.text((MARGIN, MARGIN), organisation, font=small, fill=ON_ACCENT_MUTED)
    draw.rectangle((MARGIN, MARGIN + 58, MARGIN + 96, MARGIN + 64), fill=ON_ACCENT)
    room = HEIGHT - 2 * MARGIN - 110
    for size in (72, 64, 56, 50, 44, 38, 34):  # the largest size the title fits at
        font = _font(styles, TITLE_FONT, size)
        lines = _lines(draw, title, font, WIDTH - 2 * MARGIN)
        if len(lines) * size * 1.2 <= room:
            break
    y = MARGIN + 110
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=ON_ACCENT)
        y += int(size * 1.2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
