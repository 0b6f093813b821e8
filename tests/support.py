"""Shared test helpers and test data: the one module tests import besides their own fixtures.

No test module imports another test module; conftest.py holds only fixtures. Tests work on the
sample brief (content/expert-advice) or on texts they write themselves, never on whatever other
briefs an organisation keeps under content/.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import textwrap
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import polib
from click.testing import CliRunner, Result
from pypdf import PdfReader

from generator.project import OutputId, Project
from generator.run.build import BuildResult, build
from generator.run.cli import main
from generator.run.pipeline import prepare

REPO = Path(__file__).resolve().parent.parent

#: The sample brief every test that needs real content uses (content/expert-advice).
SAMPLE = "expert-advice"

#: A small valid brief: two languages, two audiences, a citation and a note.
TINY = textwrap.dedent("""\
    title: {nl: "Titel", en: "Title"}
    organisation: "NGO"
    date: "2024-05-01"
    languages: [nl, en]
    audiences: [full, mep]
    sections:
      - id: intro
        body:
          nl: "Tekst.[@src]"
          en: "Text.[@src]"
      - id: only-full
        audiences: [full]
        title: {nl: "Alleen NL"}
        body: {nl: "Noot.^[Een *noot*.]"}
    sources:
      src: {title: "Bron", publisher: "Uitgever", url: "https://example.org/a"}
    same_in_every_language: [organisation, sources]
    """)


# ---------------------------------------------------------------------------------------------
# Projects


def copy_project(target: Path, source: Path = REPO) -> Path:
    """A private copy of the sample project (builds write into it): content/audiences.yaml,
    the sample brief's folder, styles/ and templates/. Other briefs under content/ stay out,
    so an organisation's own briefs never change what a test sees."""
    (target / "content").mkdir(parents=True)
    shutil.copy2(source / "content" / "audiences.yaml", target / "content" / "audiences.yaml")
    shutil.copytree(source / "content" / SAMPLE, target / "content" / SAMPLE)
    for folder in ("styles", "templates"):
        shutil.copytree(source / folder, target / folder)
    return target


def write(project: Project, text: str, brief_id: str = "tiny") -> Path:
    """Write `text` as content/<brief_id>/brief.yaml of `project`."""
    path = project.content / brief_id / "brief.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a file with `new` (and fail when `old` is not there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def english(project: Project, brief_id: str = SAMPLE) -> Path:
    """The sample's English: its translation file (docs/translating.md)."""
    return project.content / brief_id / "translations" / "en.po"


def accept_translations(project: Project, brief_id: str = SAMPLE, language: str = "en") -> None:
    """`brief translate`, then every fuzzy entry accepted as it is (a test's edit of the
    original that the translation need not follow)."""
    assert run_cli(project, "translate", brief_id, "--to", language).exit_code == 0
    path = project.content / brief_id / "translations" / f"{language}.po"
    catalog = polib.pofile(str(path))
    for entry in catalog.fuzzy_entries():
        entry.flags.remove("fuzzy")
        entry.previous_msgid = None
    catalog.save()


def run_cli(project: Project, *args: str) -> Result:
    """`brief --project <project> ARGS…` through click's test runner."""
    return CliRunner().invoke(main, ["--project", str(project.root), *args])


def output_html(project, brief, audience, language: str) -> tuple[str, tuple]:
    """One output's HTML and footnotes, through the pipeline."""
    prepared = prepare(project, brief, OutputId(brief.id, audience.name, language))
    return prepared.html, prepared.footnotes


# ---------------------------------------------------------------------------------------------
# The complete example in docs/content-format.md


def tiny_png(width: int = 600, height: int = 300) -> bytes:
    """A plain grey PNG, made without any imaging library."""
    rows = b"".join(b"\x00" + b"\xb0" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr)
            + _png_chunk(b"IDAT", zlib.compress(rows)) + _png_chunk(b"IEND", b""))


def yaml_block_after(doc: str, caption: str) -> str:
    """The ```yaml block that follows `caption` in a Markdown page."""
    match = re.search(re.escape(caption) + r"\s*```yaml\n(.*?)```", doc, re.DOTALL)
    assert match, caption
    return match[1]


DOCUMENTED_BRIEF = "encryption"


def build_documented_example(project: Project) -> BuildResult:
    """Put the documented example (its audiences.yaml, content/encryption/brief.yaml and a
    600 px chart) into `project` and build it; every output must build."""
    doc = (REPO / "docs/content-format.md").read_text(encoding="utf-8")
    project.audiences_file.write_text(yaml_block_after(doc, "`content/audiences.yaml`:"))
    folder = project.content / DOCUMENTED_BRIEF
    folder.mkdir()
    (folder / "brief.yaml").write_text(
        yaml_block_after(doc, f"`content/{DOCUMENTED_BRIEF}/brief.yaml`:"))
    (folder / "chart.png").write_bytes(tiny_png())
    result = build(project, [DOCUMENTED_BRIEF])
    assert result.ok, [e.format_message() for _, e in result.failed]
    return result


# ---------------------------------------------------------------------------------------------
# Reading PDFs and HTML


#: The fonts in styles/fonts, by the names a PDF embeds them under (without a subset prefix).
SHIPPED_FONTS = {"Gentium-Book-Plus", "Gentium-Book-Plus-Italic", "Gentium-Book-Plus-Bold",
                 "Gentium-Book-Plus-Bold-Italic",
                 "Inter", "Inter-Italic", "Inter-Semi-Bold", "Inter-Bold"}


def squash(text: str) -> str:
    """Text with every space, line break, hyphen, soft break and quote-style difference removed.

    Line-end hyphenation and URL breaks then compare equal to the unbroken source text.
    """
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[\s\u200b\u2060\u00ad\u2010\u2011\-\"'“”„‟‘’‚‛«»‹›]+", "", text)


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


# ---------------------------------------------------------------------------------------------
# Images


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_chunks(width: int, height: int) -> bytes:
    """A PNG's signature, header, empty data and end chunks: a file that claims `width` ×
    `height` pixels without holding them (a decompression bomb stops at its header)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", b"")
            + _png_chunk(b"IEND", b""))


def isolated_fonts(project: Project) -> Iterator[Project]:
    """Let WeasyPrint see the project's fonts alone (as pdf.py arranges, before WeasyPrint is
    imported), yield the project, then give later tests in this process the environment they
    saw before."""
    from generator.make import pdf

    saved = {k: os.environ.get(k) for k in ("FONTCONFIG_FILE", "BRIEF_FONTCONFIG_FOR")}
    pdf.isolate_fonts(project)
    yield project
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
