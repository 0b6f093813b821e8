"""Helpers for tests that read real PDFs: text per page, normalised for comparison."""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent


def copy_project(target: Path) -> Path:
    """A private copy of the project's content, styles and templates (builds write into it)."""
    for folder in ("content", "styles", "templates"):
        shutil.copytree(REPO / folder, target / folder)
    return target


def squash(text: str) -> str:
    """Text with every space, line break, hyphen, soft break and quote-style difference removed.

    Line-end hyphenation and URL breaks then compare equal to the unbroken source text.
    """
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\s\u200b\u00ad\u2010\u2011\-]+", "", text)
    return text


def pages_text(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


@dataclass
class Call:
    number: int
    before: str  # the few characters printed just before the call
    note: str  # the start of the note's text


class _FootnoteParser(HTMLParser):
    """Finds each footnote span: the text just before it and the start of its own text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.calls: list[Call] = []
        self.text_before = ""
        self.depth = 0  # > 0 inside a footnote span
        self.current: Call | None = None
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("head", "title", "style"):
            self.skip += 1
        if self.depth:
            if tag == "span":
                self.depth += 1
            return
        if tag == "span" and "data-fn" in attrs:
            self.depth = 1
            self.current = Call(int(attrs["data-fn"]), squash(self.text_before)[-12:], "")
        elif tag in ("p", "li", "h1", "h2", "h3", "blockquote", "td", "th"):
            self.text_before = ""

    def handle_endtag(self, tag):
        if tag in ("head", "title", "style"):
            self.skip -= 1
        if self.depth and tag == "span":
            self.depth -= 1
            if self.depth == 0 and self.current is not None:
                self.calls.append(self.current)
                self.current = None

    def handle_data(self, data):
        if self.skip:
            return
        if self.depth and self.current is not None:
            self.current.note += data
        elif not self.depth:
            self.text_before += data


def footnote_calls(html: str) -> list[Call]:
    parser = _FootnoteParser()
    parser.feed(html)
    for call in parser.calls:
        call.note = squash(call.note)[:24]
    return parser.calls


def output_html(project, brief, audience, language: str) -> tuple[str, tuple]:
    """One output's HTML and footnotes, through the pipeline."""
    from generator.pipeline import prepare
    from generator.project import OutputId

    prepared = prepare(project, brief, OutputId(brief.id, audience.name, language))
    return prepared.html, prepared.footnotes


def png_chunks(width: int, height: int) -> bytes:
    """A PNG's signature, header, empty data and end chunks: a file that claims `width` ×
    `height` pixels without holding them (a decompression bomb stops at its header)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")
