"""manifest: the project's input files → digests, and `out/.brief-manifest.json` ↔ what was built.

An output is rebuilt only when something it depends on changed: its HTML (content, templates,
labels), its audience settings, the stylesheets and fonts, the images in its brief's folder, or
the versions of brief and WeasyPrint. A brief whose input files are all unchanged is skipped
before it is even parsed. A missing or corrupt manifest only means a full rebuild.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NotRequired, TypedDict

from .project import OutputId, Project
from .write import write_atomic

MANIFEST_NAME = ".brief-manifest.json"
FORMAT = 2  # 2: outputs kept per brief, keyed by OutputId


@cache
def _versions() -> str:
    """The code outputs are made with: WeasyPrint's and brief's, as digests of their source.

    WeasyPrint's `__init__.py` holds its version, so a new version gives a new digest; it is
    read without importing WeasyPrint, and without `importlib.metadata` (whose import costs
    every command ~15 ms).
    """
    spec = importlib.util.find_spec("weasyprint")
    weasyprint = (hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest()[:16]
                  if spec is not None and spec.origin is not None else "?")
    code = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        code.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return f"weasyprint {weasyprint}; generator {code.hexdigest()[:16]}"


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


class _DigestCache:
    """File content digests, remembered while a file's size and modification time stay the same
    (so `brief watch` hashes the fonts once, not on every save); one entry per path."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[int, int, bytes]] = {}

    def __call__(self, path: Path) -> bytes:
        try:
            stat = path.stat()
        except OSError:
            self._entries.pop(str(path), None)
            return b"<missing>"
        entry = self._entries.get(str(path))
        if entry is not None and entry[:2] == (stat.st_mtime_ns, stat.st_size):
            return entry[2]
        try:
            digest = hashlib.sha256(path.read_bytes()).digest()
        except OSError:
            return b"<unreadable>"
        self._entries[str(path)] = (stat.st_mtime_ns, stat.st_size, digest)
        return digest


_content_digest = _DigestCache()


def digest_files(paths: list[Path], root: Path, extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + _content_digest(path))
    return digest.hexdigest()


def brief_inputs_digest(project: Project, brief_id: str) -> str:
    """Everything any output of a brief may depend on, as one digest (no parsing)."""
    files = [*_files(project.content / brief_id), project.audiences_file,
             *_files(project.templates), *_files(project.styles)]
    return digest_files([f for f in files if f.exists()], project.root, _versions())


def output_digest(project: Project, brief_folder: Path, html: str, settings: str,
                  stylesheets: tuple[str, ...]) -> str:
    """What one output depends on: its final HTML, its settings, stylesheets, fonts, images."""
    files = ([project.styles / s for s in stylesheets] + _files(project.fonts)
             + [f for f in _files(brief_folder) if f.suffix not in (".yaml", ".yml")])
    return digest_files([f for f in files if f.exists()], project.root,
                        _versions() + "\0" + settings + "\0" + html)


class _OutputRecord(TypedDict):
    inputs: str  # digest of what the output was built from
    size: str  # bytes of the PDF written (a PDF replaced by hand is rebuilt)
    booklet: NotRequired[str]  # bytes of the booklet written with it, if it has one


def _output_record(entry: dict[str, object]) -> _OutputRecord:
    record = _OutputRecord(inputs=str(entry["inputs"]), size=str(entry["size"]))
    if "booklet" in entry:
        record["booklet"] = str(entry["booklet"])
    return record


@dataclass
class _BriefRecord:
    inputs: str = ""  # digest of every input file, recorded after a complete build
    outputs: dict[str, _OutputRecord] = field(default_factory=dict)  # by OutputId.key


@dataclass
class Manifest:
    """What was built from what: per brief an inputs digest, and per output (by its `OutputId`)
    the digest of what it was built from and the size of the PDF written."""

    out: Path
    briefs: dict[str, _BriefRecord] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.out / MANIFEST_NAME

    @classmethod
    def load(cls, out: Path) -> Manifest:
        try:
            data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError("old format")
            return cls(out, {brief_id: _BriefRecord(str(record["inputs"]), {
                key: _output_record(entry) for key, entry in record["outputs"].items()})
                for brief_id, record in data["briefs"].items()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(out)

    def outputs_of(self, brief_id: str) -> list[OutputId]:
        record = self.briefs.get(brief_id)
        return sorted(OutputId.from_key(brief_id, key) for key in record.outputs) \
            if record else []

    def output_is_current(self, output: OutputId, digest: str) -> bool:
        record = self.briefs.get(output.brief)
        entry = record.outputs.get(output.key) if record else None
        pdf = output.path(self.out)
        if not entry or entry["inputs"] != digest or not pdf.is_file():
            return False
        try:  # a PDF (or its booklet) deleted, replaced or damaged by hand is rebuilt
            return os.path.getsize(pdf) == int(entry["size"]) and (
                "booklet" not in entry
                or os.path.getsize(output.booklet_path(self.out)) == int(entry["booklet"]))
        except (OSError, ValueError):
            return False

    def brief_is_current(self, brief_id: str, digest: str) -> bool:
        """Inputs unchanged since the last complete build, and every output it made intact."""
        record = self.briefs.get(brief_id)
        return (record is not None and record.inputs == digest and bool(record.outputs)
                and all(self.output_is_current(OutputId.from_key(brief_id, key), entry["inputs"])
                        for key, entry in record.outputs.items()))

    def record_output(self, output: OutputId, digest: str, *, booklet: bool = False) -> None:
        record = self.briefs.setdefault(output.brief, _BriefRecord())
        entry = _OutputRecord(inputs=digest, size=str(os.path.getsize(output.path(self.out))))
        if booklet:
            entry["booklet"] = str(os.path.getsize(output.booklet_path(self.out)))
        record.outputs[output.key] = entry

    def forget_brief(self, brief_id: str, keep: set[OutputId] | frozenset[OutputId] = frozenset()
                     ) -> None:
        """Mark a brief as not built, and drop the outputs it no longer has (all but `keep`)."""
        record = self.briefs.setdefault(brief_id, _BriefRecord())
        record.inputs = ""
        record.outputs = {key: entry for key, entry in record.outputs.items()
                          if OutputId.from_key(brief_id, key) in keep}

    def record_brief(self, brief_id: str, digest: str) -> None:
        self.briefs.setdefault(brief_id, _BriefRecord()).inputs = digest

    def save(self) -> None:
        data = {"format": FORMAT, "briefs": {
            brief_id: {"inputs": record.inputs, "outputs": record.outputs}
            for brief_id, record in self.briefs.items()}}
        write_atomic(self.path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode())
