"""manifest: the project's input files → digests, and `out/.brief-manifest.json` ↔ what was built.

An output is rebuilt only when something it depends on changed: its HTML (content, templates,
labels), its audience settings, the stylesheets and fonts, the images in its brief's folder, or
the versions of brief and WeasyPrint. A brief whose input files are all unchanged is skipped
before it is even parsed. A missing or corrupt manifest only means a full rebuild.

The manifest also keeps each output's warnings (what it prints that may be a mistake, what
preflight found in its PDF) and each brief's, so that an output that is up to date still
reports them, as does `brief check`, until they are fixed.

An output is current only if its file is the one recorded: the SHA-256 of its bytes (and of its
booklet's) equals the manifest's. A PDF replaced by hand, or by a run that was killed before it
recorded it, is rebuilt.

A run that writes out/ (holding `lock.run_lock`) opens the manifest with `Manifest.open`: every
change it makes is appended to a journal beside it (`out/.brief-journal.jsonl`) as it happens —
before a file is renamed into place, the checksums about to be written there (`writing`); after,
the output's record (`output`); after a file is deleted, `forget` — and `save` rewrites the
manifest and drops the journal. `Manifest.load` folds a journal left by a run that was
interrupted into what it reads, so an interruption loses at most the files in flight, and every
file brief wrote (or was about to) stays known: `clean` and the next run can remove it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import importlib.util
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from .. import files, shipped
from ..errors import BriefError, LocatedError, Mark, WriteError
from ..project import FONTS_DIR, HYPHENATION_DIR, RECIPIENT_LISTS, Layers, OutputId, Project
from ..read.brand import named_files
from .write import write_atomic

MANIFEST_NAME = ".brief-manifest.json"
#: Changes since the manifest was last saved, one JSON object a line (see the module's doc).
JOURNAL_NAME = ".brief-journal.jsonl"
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
    package = Path(__file__).parents[1]
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


def digest_files(paths: list[Path], project: Project, extra: str = "") -> str:
    """One digest of files, each named as the manifest names it (`Project.record_name`) and
    read through the gate inside its own root: the project, or the packaged design."""
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        name = project.record_name(path)
        if name is None:
            raise ValueError(f"{path} is neither the project's nor the packaged design's")
        root = project.root if path.is_relative_to(project.root) else shipped.ROOT
        digest.update(name.encode() + b"\0" + _content_digest(path, root))
    return digest.hexdigest()


def _design_files(layers: Layers, sub: str = "") -> list[Path]:
    """The files of a design folder's layers a build may read (`Layers.walk`: the project's
    own file of a name, else the packaged one)."""
    return [path for _, path in layers.walk(sub) if path.suffix != ".pyc"]


def brief_inputs_digest(project: Project, brief_id: str) -> str:
    """Everything any output of a brief may depend on, as one digest (no parsing)."""
    lists = {project.content / brief_id / name for name in RECIPIENT_LISTS}  # personalise's
    files = [*(f for f in _files(project.content / brief_id) if f not in lists),
             project.audiences_file, *named_files(project),
             *_files(project.content / HYPHENATION_DIR),
             *_design_files(project.template_layers), *_design_files(project.style_layers)]
    return digest_files([f for f in files if f.exists()], project, _versions())


def output_digest(project: Project, brief_folder: Path, html: str, settings: str,
                  stylesheets: tuple[str, ...], *, read: tuple[Path, ...] | None = None,
                  leave_out: tuple[Path, ...] = ()) -> str:
    """What one output depends on: its final HTML (its texts, from brief.yaml and the
    translation files, are in it), its settings, the renderer's fonts and hyphenation
    patterns, and every file rendering it read (`read`: what the gate recorded,
    `files.recording`; a chart's data as much as an image). Before it was ever rendered (`read`
    None) every file of its brief's folder (but its recipient lists and those `leave_out`
    names, whose reader, `personalise`, digests them row by row) and its stylesheets stand in."""
    if read is None:
        lists = {*leave_out, *(brief_folder / name for name in RECIPIENT_LISTS)}
        read = (*(project.style_layers.path(s) for s in stylesheets),
                *(f for f in _files(brief_folder) if f not in lists))
    styles = project.style_layers  # the project's own file of a name, else the packaged one
    # a design file read last time, as it would be read now: the project's override written
    # since, or the packaged file again when the override is gone
    read = tuple(project.now(path) for path in read)
    files = [*read, *_design_files(styles, FONTS_DIR), *_design_files(styles, HYPHENATION_DIR),
             *_files(project.content / HYPHENATION_DIR)]
    return digest_files([f for f in dict.fromkeys(files) if f.exists()], project,
                        _versions() + "\0" + settings + "\0" + html)


class _StoredWarning(TypedDict):
    file: str  # relative to the project; "" when the warning has no place
    line: int
    col: int
    message: str
    cell: NotRequired[str]  # a spreadsheet's cell (`Sheet1!B7`), when the warning is in one
    field: NotRequired[str]  # what it is about, when that is counted (`audit.LAYOUT_FIELD`)


class _OutputRecord(TypedDict):
    inputs: str  # digest of what the output was built from
    size: str  # bytes of the PDF written (a PDF replaced by hand is rebuilt)
    warnings: list[_StoredWarning]  # what it prints that may be a mistake (`audit`)
    preflight: list[_StoredWarning]  # what preflight found in the PDF written
    booklet: NotRequired[str]  # bytes of the booklet written with it, if it has one
    pages: NotRequired[int]  # pages of the PDF written (`brief list`)
    sha256: NotRequired[str]  # the PDF's SHA-256: it is current only while its file has it
    booklet_sha256: NotRequired[str]  # the booklet's, when it has one
    #: checksums of files brief wrote (or was about to) at its paths since it was recorded, by a
    #: run that stopped before recording them: not current, but brief's to remove
    written: NotRequired[list[str]]
    #: the project's files rendering it read (relative to the project): what its digest covers
    read: NotRequired[list[str]]
    #: the other files written with it (a web page's assets, by path relative to out/): their
    #: SHA-256, so that `clean` removes only those brief wrote
    extra: NotRequired[dict[str, str]]


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
            if isinstance(single, LocatedError) and single.field:
                record["field"] = single.field
            stored.append(record)
    return stored


def _restore(stored: list[_StoredWarning], root: Path) -> list[BriefError]:
    return [LocatedError(Mark(root / w["file"], w["line"], w["col"], w.get("cell", ""))
                         if w["file"] else None,
                         w["message"] + FROM_LAST_BUILD, w.get("field", "")) for w in stored]


def _output_record(entry: dict[str, object]) -> _OutputRecord:
    record = _OutputRecord(inputs=str(entry["inputs"]), size=str(entry["size"]),
                           warnings=_stored_list(entry.get("warnings")),
                           preflight=_stored_list(entry.get("preflight")))
    if "booklet" in entry:
        record["booklet"] = str(entry["booklet"])
    pages = entry.get("pages")
    if isinstance(pages, int):
        record["pages"] = pages
    for name in ("sha256", "booklet_sha256"):
        if name in entry:
            record[name] = str(entry[name])
    written = entry.get("written")
    if isinstance(written, list):
        record["written"] = [str(digest) for digest in written]
    read = entry.get("read")
    if isinstance(read, list):
        record["read"] = [str(path) for path in read]
    extra = entry.get("extra")
    if isinstance(extra, dict):
        record["extra"] = {str(path): str(digest) for path, digest in extra.items()}
    return record


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes ("" when it cannot be read)."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return ""


def _is_file(path: Path, sha256: str, size: str) -> bool:
    """Whether `path` is the file recorded: its size (a quick no), then its SHA-256."""
    try:
        return bool(sha256) and os.path.getsize(path) == int(size) \
            and file_sha256(path) == sha256
    except (OSError, ValueError):
        return False


def _stored_list(value: object) -> list[_StoredWarning]:
    """Stored warnings as read from JSON (none when the entry has none or is damaged)."""
    if not isinstance(value, list):
        return []
    stored = []
    for w in value:
        record = _StoredWarning(file=str(w["file"]), line=int(w["line"]), col=int(w["col"]),
                                message=str(w["message"]))
        for key in ("cell", "field"):
            if isinstance(w.get(key), str) and w[key]:
                record[key] = w[key]
        stored.append(record)
    return stored


@dataclass
class Manifest:
    """What was built from what: per brief an inputs digest, and per output (by its `OutputId`)
    the digest of what it was built from and the size of the PDF written."""

    out: Path
    briefs: dict[str, _BriefRecord] = field(default_factory=dict)
    _journaling: bool = field(default=False, repr=False)  # open for writing (`open`)
    #: The journal could not be written (a full disk): no file may be written any more, as it
    #: would not be known should the run stop (`writing` raises this); the rest is only in
    #: memory, for `save`, which says so if it cannot write either.
    _journal_failed: OSError | None = field(default=None, repr=False)
    _journal: int | None = field(default=None, repr=False)  # the journal's fd, once written

    @property
    def path(self) -> Path:
        return self.out / MANIFEST_NAME

    @property
    def journal_path(self) -> Path:
        return self.out / JOURNAL_NAME

    @classmethod
    def load(cls, out: Path) -> Manifest:
        """The manifest as the last run left it: as saved, with the journal of a run that did
        not finish (or is still running) folded in."""
        try:
            data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError("old format")
            manifest = cls(out, {brief_id: _BriefRecord(str(record["inputs"]), {
                key: _output_record(entry) for key, entry in record["outputs"].items()},
                _stored_list(record.get("warnings")))
                for brief_id, record in data["briefs"].items()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            manifest = cls(out)
        manifest._fold_journal()
        return manifest

    @classmethod
    def open(cls, out: Path) -> Manifest:
        """The manifest, for a run that writes out/ and holds its lock (`lock.run_lock`): a
        journal left by an interrupted run is folded in and saved first; from now on every
        change is journaled as it is made, until `save`."""
        manifest = cls.load(out)
        if manifest.journal_path.exists():
            # a full disk: the journal stays and grows; the run's own save says so
            with contextlib.suppress(WriteError):
                manifest.save()
        manifest._journaling = True
        return manifest

    def _fold_journal(self) -> None:
        """Apply the changes of the journal, in order; a line cut short by a kill (the last)
        or damaged is skipped."""
        try:
            lines = self.journal_path.read_bytes().splitlines()
        except OSError:
            return
        for line in lines:
            try:
                self._apply(json.loads(line), folding=True)
            except (ValueError, KeyError, TypeError, AttributeError):
                continue

    def brief_ids(self) -> list[str]:
        """The briefs recorded, sorted."""
        return sorted(self.briefs)

    def forget_whole_brief(self, brief_id: str) -> None:
        """Forget a brief and all its outputs (their files removed or kept by the caller: `clean`);
        saved with the manifest."""
        self.briefs.pop(brief_id, None)

    def outputs_of(self, brief_id: str) -> list[OutputId]:
        record = self.briefs.get(brief_id)
        return sorted(OutputId.from_key(brief_id, key) for key in record.outputs) \
            if record else []

    def _entry(self, output: OutputId) -> _OutputRecord | None:
        record = self.briefs.get(output.brief)
        return record.outputs.get(output.key) if record else None

    def is_recorded_file(self, output: OutputId) -> bool:
        """Whether the output's PDF (and its booklet, if it has one) is the one recorded: the
        same SHA-256. A PDF deleted, replaced or damaged by hand, or written by a run that
        stopped before recording it, is not."""
        entry = self._entry(output)
        if entry is None or not _is_file(output.path(self.out), entry.get("sha256", ""),
                                         entry["size"]):
            return False
        return "booklet" not in entry or _is_file(output.booklet_path(self.out),
                                                  entry.get("booklet_sha256", ""),
                                                  entry["booklet"])

    def output_is_current(self, output: OutputId, digest: str) -> bool:
        """Built from what `digest` digests, and its file the one recorded."""
        entry = self._entry(output)
        return entry is not None and entry["inputs"] == digest \
            and self.is_recorded_file(output)

    def written_by_brief(self, path: Path, output: OutputId, *, booklet: bool = False) -> bool:
        """Whether the file at `path` (the output's PDF, or its booklet) is one brief wrote: the
        one recorded, or one a run that stopped wrote (or was about to) there. A file written
        by an older brief that recorded no checksum: the size it recorded."""
        entry = self._entry(output)
        if entry is None or not path.is_file():
            return False
        recorded = entry.get("booklet_sha256" if booklet else "sha256", "")
        size = entry.get("booklet", "") if booklet else entry["size"]
        if not recorded and not entry.get("written"):
            try:  # recorded by an older brief, without checksums
                return bool(size) and os.path.getsize(path) == int(size)
            except (OSError, ValueError):
                return False
        digest = file_sha256(path)
        return bool(digest) and digest in {recorded, *entry.get("written", [])}

    def extra_files(self, output: OutputId) -> list[Path]:
        """The other files recorded as written with an output (a web page's assets) that are
        still the ones brief wrote (their recorded SHA-256)."""
        entry = self._entry(output)
        if entry is None:
            return []
        return [path for name, digest in entry.get("extra", {}).items()
                if (path := self.out / name).is_file() and file_sha256(path) == digest]

    def extra_checksums(self, output: OutputId) -> dict[Path, str]:
        """The other files recorded as written with an output, and their SHA-256."""
        entry = self._entry(output)
        return {} if entry is None else {
            self.out / name: digest for name, digest in entry.get("extra", {}).items()}

    def brief_is_current(self, brief_id: str, digest: str) -> bool:
        """Inputs unchanged since the last complete build, and every output it made intact
        (personal copies are `brief personalise`'s business, not the build's)."""
        record = self.briefs.get(brief_id)
        built = {} if record is None else {
            output: entry for key, entry in record.outputs.items()
            if (output := OutputId.from_key(brief_id, key)).kind != "personal"}
        return (record is not None and record.inputs == digest and bool(built)
                and all(self.output_is_current(output, entry["inputs"])
                        and all(path.is_file() for path in self.extra_checksums(output))
                        for output, entry in built.items()))  # a web page's assets: there

    @property
    def root(self) -> Path:
        """The project folder (out/ is in it), to which stored warnings' files are relative."""
        return self.out.parent

    def writing(self, output: OutputId, *sha256: str) -> None:
        """Say, before renaming them into place, the checksums of the files about to be written
        at the output's paths (its PDF, its booklet): should the run stop before it records
        them (`record_output`), they are still known as brief's."""
        self.writing_all([(output, sha256)])

    def writing_all(self, files: Iterable[tuple[OutputId, Iterable[str]]]) -> None:
        """`writing` for several outputs at once (one flush to disk for all)."""
        files = list(files)
        changes = [{"op": "writing", "brief": output.brief, "key": output.key,
                    "sha256": list(sha256)} for output, sha256 in files]
        for i, change in enumerate(changes):
            self._change(change, sync=i == len(changes) - 1)
        if self._journal_failed is not None and files:  # the file would not be known: unwritten
            raise WriteError.of(files[0][0].path(self.out), self._journal_failed)

    def record_output(self, output: OutputId, digest: str, *,
                      warnings: Iterable[BriefError] = (),
                      preflight: Iterable[BriefError] = (), booklet: bool = False,
                      pages: int = 0, sha256: str = "", booklet_sha256: str = "",
                      read: tuple[str, ...] | None = None,
                      extra: dict[Path, str] | None = None) -> None:
        """Record an output just written, with what it prints that may be a mistake, what
        preflight found in it, the booklet written with it, its pages, and the SHA-256 of each
        file (read from the file when not given)."""
        pdf = output.path(self.out)
        entry = _OutputRecord(
            inputs=digest, size=str(os.path.getsize(pdf)),
            warnings=_store(warnings, self.root), preflight=_store(preflight, self.root),
            sha256=sha256 or file_sha256(pdf))
        if booklet:
            path = output.booklet_path(self.out)
            entry["booklet"] = str(os.path.getsize(path))
            entry["booklet_sha256"] = booklet_sha256 or file_sha256(path)
        if pages:
            entry["pages"] = pages
        if read is not None:
            entry["read"] = list(read)
        if extra:
            entry["extra"] = {str(path.relative_to(self.out)): digest
                              for path, digest in extra.items()}
        self._change({"op": "output", "brief": output.brief, "key": output.key,
                      "entry": dict(entry)})

    def forget(self, output: OutputId) -> None:
        """Forget an output (its files were removed, or are no longer brief's)."""
        if self._entry(output) is not None:
            self._change({"op": "forget", "brief": output.brief, "key": output.key})

    def _change(self, change: dict[str, Any], *, sync: bool = False) -> None:
        """Apply a change, and append it to the journal when this manifest is open for
        writing (`open`); `sync`: on disk before this returns."""
        self._apply(change)
        if not self._journaling:
            return
        if self._journal_failed is None:
            try:
                if self._journal is None:
                    self.out.mkdir(parents=True, exist_ok=True)
                    self._journal = os.open(self.journal_path,
                                            os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                line = (json.dumps(change, sort_keys=True, separators=(",", ":")) + "\n").encode()
                if os.write(self._journal, line) != len(line):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                if sync:
                    os.fsync(self._journal)
            except OSError as exc:
                self._journal_failed = exc

    def _apply(self, change: dict[str, Any], *, folding: bool = False) -> None:
        """One journal entry applied, in memory or (`folding`) from the journal of a run that
        did not finish, whose briefs with outputs changed were then not completely built."""
        output = OutputId.from_key(str(change["brief"]), str(change["key"]))
        record = self.briefs.setdefault(output.brief, _BriefRecord())
        if folding and output.kind != "personal":
            record.inputs = ""
        op = change["op"]
        if op == "forget":
            record.outputs.pop(output.key, None)
        elif op == "output":
            record.outputs[output.key] = _output_record(change["entry"])
        elif op == "writing":
            entry = record.outputs.setdefault(output.key, _OutputRecord(
                inputs="", size="", warnings=[], preflight=[]))
            entry["written"] = list(dict.fromkeys(
                [*entry.get("written", []), *(str(d) for d in change["sha256"])]))
        else:
            raise ValueError(f"unknown change {op!r}")

    def read(self, output: OutputId) -> tuple[Path, ...] | None:
        """The files rendering an output read, as recorded (None when not recorded)."""
        entry = self._entry(output)
        if entry is None or "read" not in entry:
            return None
        return tuple(Project(self.root).recorded(path) for path in entry["read"])

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
        entry = self._entry(output)
        if entry is None or not self.is_recorded_file(output):
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
        """Write the manifest (atomically), then drop the journal it now holds (a kill between
        the two only folds the same changes in again)."""
        data = {"format": FORMAT, "briefs": {
            brief_id: {"inputs": record.inputs, "outputs": record.outputs,
                       "warnings": record.warnings}
            for brief_id, record in self.briefs.items()}}
        write_atomic(self.path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode())
        self._close_journal()
        self.journal_path.unlink(missing_ok=True)

    def close(self) -> None:
        """Stop journaling (what was journaled and not saved stays for the next run)."""
        self._close_journal()
        self._journaling = False

    def _close_journal(self) -> None:
        if self._journal is not None:
            os.close(self._journal)
            self._journal = None
