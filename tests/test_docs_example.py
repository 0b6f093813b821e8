"""The complete example in docs/content-format.md builds, and numbers notes as the page says."""

from __future__ import annotations

import re
import struct
import zlib

from generator.project import OutputId
from generator.build import build
from generator.pipeline import load_brief

from .support import output_html

from .support import REPO, footnote_calls, pages_text


def tiny_png(width: int = 600, height: int = 300) -> bytes:
    """A plain grey PNG, made without any imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\xb0" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0,
                                                               0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def yaml_block_after(doc: str, caption: str) -> str:
    match = re.search(re.escape(caption) + r"\s*```yaml\n(.*?)```", doc, re.S)
    assert match, caption
    return match[1]


def test_documented_example_builds(project):
    doc = (REPO / "docs/content-format.md").read_text(encoding="utf-8")
    project.audiences_file.write_text(yaml_block_after(doc, "`content/audiences.yaml`:"))
    folder = project.content / "encryption"
    folder.mkdir()
    (folder / "brief.yaml").write_text(yaml_block_after(doc, "`content/encryption/brief.yaml`:"))
    (folder / "chart.png").write_bytes(tiny_png())

    result = build(project, ["encryption"])
    assert result.ok, [e.format_message() for _, e in result.failed]
    assert len(result.built) == 3

    brief = load_brief(project, "encryption")
    full_html, _ = output_html(project, brief, brief.audience("full"), "nl")
    mep_html, _ = output_html(project, brief, brief.audience("mep"), "en")
    assert [c.number for c in footnote_calls(full_html)] == [1, 2, 3]
    assert [c.number for c in footnote_calls(mep_html)] == [1, 2]
    full_text = "".join(pages_text(project.output_path(OutputId("encryption", "full", "nl"))))
    assert "p. 4" in full_text and "Example Institute" in full_text
    assert "[placeholder]" in "".join(pages_text(project.output_path(OutputId("encryption", "mep", "en"))))
