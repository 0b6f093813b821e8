"""manifest: the project's input files → digests, and `out/.brief-manifest.json` ↔ what was built.

An output is rebuilt only when something it depends on changed: its HTML (content, templates,
labels), its audience settings, the stylesheets and fonts, the images in its brief's folder, or
the versions of brief and WeasyPrint. A brief whose input files are all unchanged is skipped
before it is even parsed. A missing or corrupt manifest only means a full rebuild.

The manifest also keeps each output's warnings (what it prints that may be a mistake, what
preflight found in its PDF) and each brief's, so that an output that is up to date still
reports them, as does `brief check`, until they are fixed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NotRequired, TypedDict

from . import files
from .errors import BriefError, LocatedError, Mark
from .project import HYPHENATION_DIR, OutputId, Project
from .write import write_atomic

MANIFEST_NAME = ".brief-manifest.json"
#: Files in a brief's folder that no output prints: its texts (read through the pipeline, so in
#: an output's HTML) and recipient lists (`brief personalise`, which digests each row itself).
NOT_PRINTED = (".yaml", ".yml", ".po", ".csv", ".xlsx")
FORMAT = 2  # 2: outputs kept per brief, keyed by OutputId; each with its warnings


@cache
def _versions() -> str:
    """The code outputs are made with: WeasyPrint's and brief's, as digests of their source
    (brief's: its modules and its catalogs of words).

    WeasyPrint's `__init__.py` holds its version, so a new version gives a new digest; it is
    read without importing WeasyPrint, and without `importlib.metadata` (whose import costs
    every command ~15 ms).
    """
    spec = importlib.util.find_spec("weasyprint")
    weasyprint = (hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest()[:16]
                  if spec is not None and spec.origin is not None else "?")
    code = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.po")]):
        code.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return f"weasyprint {weasyprint}; generator {code.hexdigest()[:16]}"


def _files(folder: Path) -> list[Path]:
    """The files in a folder and its folders (`files.walk`: linked folders are not descended
    into, a folder leading out of its parent is not walked); what each is, `_DigestCache`
    decides without opening it."""
    return [path for path in files.walk(folder) if path.suffix != ".pyc"]


#: Files larger than this are digested by their size and modification time, never read: no
#: output may use one (`files.MAX_FILE_BYTES`), and a 3 GB video in a brief's folder must not
#: be read on every build.
MAX_HASHED_BYTES = files.MAX_FILE_BYTES


class _DigestCache:
    """File content digests, remembered while a file's size and modification time stay the same
    (so `brief watch` hashes the fonts once, not on every save); one entry per path.

    Only a regular file whose real path lies in the project (`root`) is read, through the gate
    (`files`): a link leading out of it, a FIFO or a device is digested as what it is, a file
    over `MAX_HASHED_BYTES` by its size and time; the build refuses them where they are used."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[int, int, bytes]] = {}

    def __call__(self, path: Path, root: Path) -> bytes:
        wrong = files.problem(root, path, limit=None)
        if wrong is not None:
            self._entries.pop(str(path), None)
            return b"<missing>" if wrong == "" else b"<refused: " + wrong.encode() + b">"
        stat = path.stat()
        if stat.st_size > MAX_HASHED_BYTES:  # never read: its size and time stand for it
            return f"<large {stat.st_size} {stat.st_mtime_ns}>".encode()
        entry = self._entries.get(str(path))
        if entry is not None and entry[:2] == (stat.st_mtime_ns, stat.st_size):
            return entry[2]
        try:
            digest = hashlib.sha256(files.read_bytes(root, path, what=path.name,
                                                     limit=MAX_HASHED_BYTES)).digest()
        except (files.Refused, OSError):
            return b"<unreadable>"
        self._entries[str(path)] = (stat.st_mtime_ns, stat.st_size, digest)
        return digest


_content_digest = _DigestCache()


def digest_files(paths: list[Path], root: Path, extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        digest.update(str(path.relative_to(root)).encode() + b"\0"
                      + _content_digest(path, root))
    return digest.hexdigest()


def brief_inputs_digest(project: Project, brief_id: str) -> str:
    """Everything any output of a brief may depend on, as one digest (no parsing)."""
    files = [*(f for f in _files(project.content / brief_id)
               if f.suffix not in (".csv", ".xlsx")),  # recipient lists: see NOT_PRINTED
             project.audiences_file,
             *_files(project.content / HYPHENATION_DIR),
             *_files(project.templates), *_files(project.styles)]
    return digest_files([f for f in files if f.exists()], project.root, _versions())


def output_digest(project: Project, brief_folder: Path, html: str, settings: str,
                  stylesheets: tuple[str, ...]) -> str:
    """What one output depends on: its final HTML, its settings, stylesheets, fonts, images.
    (Its texts, from brief.yaml and the translation files, are in its HTML.)"""
    files = ([project.styles / s for s in stylesheets] + _files(project.fonts)
             + _files(project.styles / HYPHENATION_DIR) + _files(project.content / HYPHENATION_DIR)
             + [f for f in _files(brief_folder) if f.suffix not in NOT_PRINTED])
    return digest_files([f for f in files if f.exists()], project.root,
                        _versions() + "\0" + settings + "\0" + html)


class _StoredWarning(TypedDict):
    file: str  # relative to the project; "" when the warning has no place
    line: int
    col: int
    message: str
    cell: NotRequired[str]  # a spreadsheet's cell (`Sheet1!B7`), when the warning is in one


class _OutputRecord(TypedDict):
    inputs: str  # digest of what the output was built from
    size: str  # bytes of the PDF written (a PDF replaced by hand is rebuilt)
    warnings: list[_StoredWarning]  # what it prints that may be a mistake (`audit`)
    preflight: list[_StoredWarning]  # what preflight found in the PDF written
    booklet: NotRequired[str]  # bytes of the booklet written with it, if it has one
    pages: NotRequired[int]  # pages of the PDF written (`brief list`)
    sha256: NotRequired[str]  # a personal copy's digest, for its manifest.csv


@dataclass
class _BriefRecord:
    inputs: str = ""  # digest of every input file, recorded after a complete build
    outputs: dict[str, _OutputRecord] = field(default_factory=dict)  # by OutputId.key
    warnings: list[_StoredWarning] = field(default_factory=list)  # about the whole brief

FROM_LAST_BUILD = " (from the last build)"


def _store(warnings: Iterable[BriefError], root: Path) -> list[_StoredWarning]:
    stored = []
    for warning in warnings:
        for single in warning.flat():
            mark = single.mark if isinstance(single, LocatedError) else None
            problem = single.problem if isinstance(single, LocatedError) else single.message
            file = ""
            if mark is not None:
                try:
                    file = str(Path(mark.path).resolve().relative_to(root))
                except ValueError:
                    file = str(mark.path)
            record = _StoredWarning(file=file, line=mark.line if mark else 0,
                                    col=mark.col if mark else 0, message=problem)
            if mark is not None and mark.cell:
                record["cell"] = mark.cell
            stored.append(record)
    return stored


def _restore(stored: list[_StoredWarning], root: Path) -> list[BriefError]:
    return [LocatedError(Mark(root / w["file"], w["line"], w["col"], w.get("cell", ""))
                         if w["file"] else None,
                         w["message"] + FROM_LAST_BUILD) for w in stored]


def _output_record(entry: dict[str, object]) -> _OutputRecord:
    record = _OutputRecord(inputs=str(entry["inputs"]), size=str(entry["size"]),
                           warnings=_stored_list(entry.get("warnings")),
                           preflight=_stored_list(entry.get("preflight")))
    if "booklet" in entry:
        record["booklet"] = str(entry["booklet"])
    pages = entry.get("pages")
    if isinstance(pages, int):
        record["pages"] = pages
    if "sha256" in entry:
        record["sha256"] = str(entry["sha256"])
    return record


def _stored_list(value: object) -> list[_StoredWarning]:
    """Stored warnings as read from JSON (none when the entry has none or is damaged)."""
    if not isinstance(value, list):
        return []
    return [_StoredWarning(file=str(w["file"]), line=int(w["line"]), col=int(w["col"]),
                           message=str(w["message"])) for w in value]


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
                key: _output_record(entry) for key, entry in record["outputs"].items()},
                _stored_list(record.get("warnings")))
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
        """Inputs unchanged since the last complete build, and every output it made intact
        (personal copies are `brief personalise`'s business, not the build's)."""
        record = self.briefs.get(brief_id)
        built = {} if record is None else {
            output: entry for key, entry in record.outputs.items()
            if not (output := OutputId.from_key(brief_id, key)).recipient}
        return (record is not None and record.inputs == digest and bool(built)
                and all(self.output_is_current(output, entry["inputs"])
                        for output, entry in built.items()))

    @property
    def root(self) -> Path:
        """The project folder (out/ is in it), to which stored warnings' files are relative."""
        return self.out.parent

    def record_output(self, output: OutputId, digest: str, *,
                      warnings: Iterable[BriefError] = (),
                      preflight: Iterable[BriefError] = (), booklet: bool = False,
                      pages: int = 0, sha256: str = "") -> None:
        """Record an output just written, with what it prints that may be a mistake, what
        preflight found in it, the size of the booklet written with it, and its pages (and,
        for a personal copy, its SHA-256)."""
        record = self.briefs.setdefault(output.brief, _BriefRecord())
        entry = _OutputRecord(
            inputs=digest, size=str(os.path.getsize(output.path(self.out))),
            warnings=_store(warnings, self.root), preflight=_store(preflight, self.root))
        if booklet:
            entry["booklet"] = str(os.path.getsize(output.booklet_path(self.out)))
        if pages:
            entry["pages"] = pages
        if sha256:
            entry["sha256"] = sha256
        record.outputs[output.key] = entry

    def pages(self, output: OutputId) -> int | None:
        """The pages of an output when it was written (None: not recorded)."""
        record = self.briefs.get(output.brief)
        entry = record.outputs.get(output.key) if record else None
        return entry.get("pages") if entry else None

    def sha256(self, output: OutputId) -> str:
        """The SHA-256 recorded for a personal copy when it was written ("": not recorded)."""
        record = self.briefs.get(output.brief)
        entry = record.outputs.get(output.key) if record else None
        return entry.get("sha256", "") if entry else ""

    def record_warnings(self, output: OutputId, warnings: Iterable[BriefError]) -> None:
        """Replace the content warnings of an output kept as it was (its preflight's stay)."""
        record = self.briefs.get(output.brief)
        entry = record.outputs.get(output.key) if record else None
        if entry is not None:
            entry["warnings"] = _store(warnings, self.root)

    def record_brief_warnings(self, brief_id: str, warnings: Iterable[BriefError]) -> None:
        self.briefs.setdefault(brief_id, _BriefRecord()).warnings = _store(warnings, self.root)

    def stored_warnings(self, output: OutputId, *, content: bool = True,
                        preflight: bool = True) -> list[BriefError]:
        """The warnings stored for an output whose PDF is still the one recorded, each marked
        "(from the last build)"."""
        record = self.briefs.get(output.brief)
        entry = record.outputs.get(output.key) if record else None
        pdf = output.path(self.out)
        try:
            if entry is None or os.path.getsize(pdf) != int(entry["size"]):
                return []
        except (OSError, ValueError):
            return []
        return _restore([*(entry["warnings"] if content else []),
                         *(entry["preflight"] if preflight else [])], self.root)

    def stored_brief_warnings(self, brief_id: str) -> list[BriefError]:
        record = self.briefs.get(brief_id)
        return _restore(record.warnings, self.root) if record else []

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
            brief_id: {"inputs": record.inputs, "outputs": record.outputs,
                       "warnings": record.warnings}
            for brief_id, record in self.briefs.items()}}
        write_atomic(self.path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode())
