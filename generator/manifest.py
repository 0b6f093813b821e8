"""manifest: the project's input files → digests, and `out/.brief-manifest.json` ↔ what was built.

An output is rebuilt only when something it depends on changed: its HTML (content, templates,
labels), its audience settings, the stylesheets and fonts, the images in its brief's folder, or
the versions of brief and WeasyPrint. A brief whose input files are all unchanged is skipped
before it is even parsed. A missing or corrupt manifest only means a full rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .defaults import Project

MANIFEST_NAME = ".brief-manifest.json"
FORMAT = 1


@lru_cache(maxsize=1)
def _versions() -> str:
    try:
        weasyprint = metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        weasyprint = "?"
    code = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        code.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"weasyprint {weasyprint}; generator {code.hexdigest()[:16]}"


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


_CONTENT_DIGESTS: dict[tuple[str, int, int], bytes] = {}


def _content_digest(path: Path) -> bytes:
    """A file's content digest, remembered while its size and modification time stay the same
    (so `brief watch` hashes the fonts once, not on every save)."""
    try:
        stat = path.stat()
    except OSError:
        return b"<missing>"
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _CONTENT_DIGESTS:
        try:
            _CONTENT_DIGESTS[key] = hashlib.sha256(path.read_bytes()).digest()
        except OSError:
            return b"<unreadable>"
    return _CONTENT_DIGESTS[key]


def digest_files(paths: list[Path], root: Path, extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + _content_digest(path))
    return digest.hexdigest()


def brief_inputs_digest(project: Project, brief_id: str) -> str:
    """Everything any output of a brief may depend on, as one digest (no parsing)."""
    files = (_files(project.content / brief_id) + [project.audiences_file]
             + _files(project.templates) + _files(project.styles))
    return digest_files([f for f in files if f.exists()], project.root, _versions())


def output_digest(project: Project, brief_folder: Path, html: str, settings: str,
                  stylesheets: tuple[str, ...]) -> str:
    """What one output depends on: its final HTML, its settings, stylesheets, fonts, images."""
    files = ([project.styles / s for s in stylesheets] + _files(project.fonts)
             + [f for f in _files(brief_folder) if f.suffix not in (".yaml", ".yml")])
    return digest_files([f for f in files if f.exists()], project.root,
                        _versions() + "\0" + settings + "\0" + html)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Manifest:
    """What was built from what: per brief an inputs digest, per output its digest and PDF's."""

    path: Path
    briefs: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path) -> "Manifest":
        path = out / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError("old format")
            return cls(path, dict(data["briefs"]), {k: dict(v) for k, v in
                                                     data["outputs"].items()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(path)

    def output_is_current(self, label: str, digest: str, pdf: Path) -> bool:
        entry = self.outputs.get(label)
        if not entry or entry.get("inputs") != digest or not pdf.is_file():
            return False
        try:  # a PDF replaced or damaged by hand is rebuilt
            return os.path.getsize(pdf) == int(entry.get("size", -1))
        except (OSError, ValueError):
            return False

    def brief_is_current(self, brief_id: str, digest: str, out: Path) -> bool:
        """Inputs unchanged since the last complete build, and every output it made intact."""
        labels = [label for label in self.outputs if label.startswith(brief_id + ".")]
        return (self.briefs.get(brief_id) == digest and bool(labels)
                and all(self.output_is_current(label, self.outputs[label]["inputs"],
                                               out / brief_id / f"{label}.pdf")
                        for label in labels))

    def record_output(self, label: str, digest: str, pdf: Path) -> None:
        self.outputs[label] = {"inputs": digest, "size": str(os.path.getsize(pdf))}

    def forget_brief(self, brief_id: str, keep: set[str] = frozenset()) -> None:
        """Drop a brief's record, and the outputs it no longer has (all but `keep`)."""
        self.briefs.pop(brief_id, None)
        for label in [l for l in self.outputs if l.startswith(brief_id + ".") and l not in keep]:
            del self.outputs[label]

    def record_brief(self, brief_id: str, digest: str) -> None:
        self.briefs[brief_id] = digest

    def save(self) -> None:
        from .write import write_atomic

        data = {"format": FORMAT, "briefs": self.briefs, "outputs": self.outputs}
        write_atomic(self.path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode())
