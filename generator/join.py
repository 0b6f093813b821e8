"""join: STUB (replaced by the `join` branch) — PDFs → one PDF."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf


@dataclass(frozen=True, slots=True)
class Part:
    pdf: bytes
    title: str
    language: str
    numbered: bool


@dataclass(frozen=True, slots=True)
class Joined:
    pdf: bytes
    pages: int
    lost: tuple[str, ...]


def join(parts: Sequence[Part], *, title: str, language: str, identifier: str,
         subject: str = "") -> Joined:
    out = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(part.pdf)) for part in parts]
    for source in sources:
        out.pages.extend(source.pages)
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True)
    for source in sources:
        source.close()
    return Joined(buffer.getvalue(), len(out.pages), ())
