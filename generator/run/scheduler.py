"""scheduler: the one way outputs of every kind (`kinds`) are made once planned — jobs run in
the warm worker pool, their outcomes judged, preflighted, written atomically and recorded in
the manifest (through its methods only).

`build` (PDFs, then the web pages that list them) and `personalise` (bodies, then letters
joined with them) are its users: they plan what to make and with which digest; the scheduler
says what became of each output, the same way for all:

- nothing rendered, or an error: the output fails, its files stay as they were;
- a footnote numbered but not rendered (or the reverse): a `Bug` (brief's fault);
- preflight first, then its findings located at the brief's line (`audit.locate_preflight`),
  with the typesetting rules' defects (`audit.locate_defects`); with `strict` any fails it;
- the checksums journaled (`Manifest.writing`) before the files are renamed into place
  (`write.write_atomic_all`), recorded (`Manifest.record_output`) after; a disk that refuses
  fails only that output (`WriteError`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from ..errors import BriefError, BriefErrors, Bug, WriteError
from ..project import OutputId, Project, RenderLimits
from .manifest import Manifest
from .write import remove, write_atomic_all

if TYPE_CHECKING:
    from ..make.audit import ImageUse
    from ..make.preflight import Report
    from ..make.typeset import Defect
    from .workers import Job, JobOutcome, RenderPool

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Planned(Generic[R]):
    """An output to make: its job, and what its outcome is judged and recorded with."""

    output: OutputId
    job: Job[R]
    digest: str  # of its inputs, recorded once it is written
    name: str  # its path as the user sees it
    footnotes: int | None = None  # the notes it numbered (None: not counted)
    warnings: tuple[BriefError, ...] = ()  # what it prints that may be a mistake (`audit`)
    images: tuple[ImageUse, ...] = ()  # the images it prints, to locate preflight's findings
    content_file: Path | None = None  # where its layout defects are located


@dataclass(frozen=True, slots=True)
class Judged(Generic[R]):
    """An outcome as the scheduler judged it: the job's result (what it gave, also when it
    failed: its notes about the machine still hold), and why the output failed, if it did."""

    planned: Planned[R]
    result: R | None
    error: BriefError | Bug | None
    seconds: float


def nothing_rendered(name: str) -> BriefError:
    """The failure of an output whose job gave nothing and said nothing."""
    return BriefError(f"{name}: nothing was rendered")


def judge(planned: Planned[R], result: R | None, error: BriefError | Bug | None,
          seconds: float = 0.0, *, footnotes: int | None = None) -> Judged[R]:
    """Nothing rendered and a footnote-count mismatch (when `footnotes` rendered are given)
    become the output's failure; a Bug stays one."""
    if error is None and result is None:
        error = nothing_rendered(planned.name)
    elif error is None and footnotes is not None and planned.footnotes is not None \
            and footnotes != planned.footnotes:
        error = Bug(planned.name, f"{planned.footnotes} footnotes numbered but {footnotes} "
                    "rendered")
    return Judged(planned, result, error, seconds)


def inspect(pdf: bytes | None, name: str, *, images: tuple[ImageUse, ...] = (),
            defects: tuple[Defect, ...] = (), content_file: Path | None = None,
            language: str = "") -> tuple[Report | None, list[BriefError]]:
    """Preflight a PDF (none: only its defects), then locate what it found, with the
    typesetting rules' defects left in it, as warnings."""
    from ..make.audit import locate_defects, locate_preflight  # noqa: PLC0415  # deferred: see generator/__init__.py
    from ..make.preflight import preflight  # noqa: PLC0415  # deferred: see generator/__init__.py

    report = preflight(pdf) if pdf is not None else None
    warnings = [*(locate_preflight(report.findings, name, images) if report else ()),
                *locate_defects(defects, name, content_file, language)]
    return report, warnings


def write_files(manifest: Manifest, output: OutputId, files: Sequence[tuple[Path, bytes]], *,
                stale: Iterable[Path] = (), announced: bool = False,
                before_write: Callable[[], None] | None = None
                ) -> tuple[str, ...] | WriteError:
    """Write an output's files atomically, all or none: their checksums journaled first
    (unless already `announced`, `Manifest.writing_all`), then `before_write` (what must go
    before the files change — only once they will be written: a journal the full disk refused
    stops here), then the files, then its `stale` by-products removed (a booklet the output no
    longer has). The checksums, in order, or why they could not be written."""
    checksums = tuple(hashlib.sha256(data).hexdigest() for _, data in files)
    try:
        if not announced:  # before the files: known, should the run stop
            manifest.writing(output, *checksums)
        if before_write is not None:
            before_write()
        write_atomic_all(list(files))
        for path in stale:
            remove(path)
    except WriteError as exc:
        return exc
    return checksums


def announce(manifest: Manifest, made: Iterable[tuple[OutputId, bytes]]) -> set[OutputId]:
    """Journal the checksums of several outputs about to be written, together (a batch of
    personal copies); the outputs announced (none when the journal could not be written: each
    is then journaled on its own by `write_files`, and fails there)."""
    made = list(made)
    try:
        manifest.writing_all((output, (hashlib.sha256(data).hexdigest(),))
                             for output, data in made)
    except WriteError:
        return set()
    return {output for output, _ in made}


@dataclass(frozen=True, slots=True)
class Delivered:
    """An output after `deliver`: its preflight report and located warnings, and the checksums
    of its files as written — or why it was not written (`error`: with `strict`, its warnings;
    else the disk's refusal)."""

    report: Report | None
    warnings: tuple[BriefError, ...]
    checksums: tuple[str, ...] = ()
    error: BriefError | None = None


def deliver(manifest: Manifest, output: OutputId, files: Sequence[tuple[Path, bytes]], *,
            name: str, preflight: bytes | None, images: tuple[ImageUse, ...] = (),
            defects: tuple[Defect, ...] = (), content_file: Path | None = None,
            language: str = "", strict: bool = False, stale: Iterable[Path] = (),
            announced: bool = False, before_write: Callable[[], None] | None = None
            ) -> Delivered:
    """An output rendered well, delivered: the PDF `preflight` names preflighted (none: only its
    layout `defects` located), its findings located (`inspect`); with `strict` any fails it;
    else its files written atomically, their checksums journaled first (`write_files`), after
    `before_write` (what must go before the files change). The caller records it."""
    report, warnings = inspect(preflight, name, images=images, defects=defects,
                               content_file=content_file, language=language)
    error = failure(warnings, strict=strict)
    if error is not None:
        return Delivered(report, tuple(warnings), error=error)
    written = write_files(manifest, output, files, stale=stale, announced=announced,
                          before_write=before_write)
    if isinstance(written, WriteError):
        return Delivered(report, tuple(warnings), error=written)
    return Delivered(report, tuple(warnings), written)


@dataclass
class Scheduler:
    """The pool, started when first needed (its workers warm up while the parent prepares),
    shared by every kind a run makes; `run` yields each planned output's judged outcome."""

    project: Project
    size: int
    limits: RenderLimits | None = None
    pool: RenderPool | None = None
    own_pool: bool = field(default=False, init=False)
    submitted: set[int] = field(default_factory=set, init=False)  # jobs `submit` started

    def start(self) -> RenderPool:
        """The pool, started now if not yet."""
        if self.pool is None:
            from .workers import RenderPool  # noqa: PLC0415  # deferred: see generator/__init__.py

            self.pool = RenderPool(self.project, self.size, self.limits)
            self.own_pool = True
        return self.pool

    def close(self) -> None:
        """Stop the pool if this scheduler started it (one passed in stays open)."""
        if self.own_pool and self.pool is not None:
            self.pool.close()
            self.pool = None

    def submit(self, job: Job[R]) -> bool:
        """Start a job now, on an idle worker, while its caller plans the others (`brief
        watch`: the output a save changed renders while the brief's other outputs are
        prepared); `run` with the job planned yields its outcome. False when no worker is
        idle. An outcome no `run` planned (its brief failed since) is dropped."""
        if self.start().submit(job):
            self.submitted.add(id(job))
            return True
        return False

    def run(self, planned: Sequence[Planned[R]],
            footnotes: Callable[[R], int | None] | None = None,
            meanwhile: Callable[[], None] | None = None) -> Iterator[Judged[R]]:
        """Run the planned jobs in the pool (those `submit` started are running); yield each
        judged as it completes (`judge`, with the notes `footnotes` says its result
        rendered); `meanwhile` once the first jobs are given out (the caller's work that needs
        none of them)."""
        if not planned:
            return
        by_job: dict[int, Planned[R]] = {id(p.job): p for p in planned}
        outcome: JobOutcome[R]
        jobs = [p.job for p in planned if id(p.job) not in self.submitted]
        for outcome in self.start().run(jobs, meanwhile):
            self.submitted.discard(id(outcome.job))
            plan = by_job.get(id(outcome.job))
            if plan is None:  # started by `submit` for a brief that failed since
                continue
            result = outcome.result
            yield judge(plan, result, outcome.error, outcome.seconds,
                        footnotes=footnotes(result) if footnotes and result is not None
                        else None)


def failure(warnings: list[BriefError], *, strict: bool) -> BriefError | None:
    """The failure of an output made well but with warnings: with `strict`, its warnings."""
    return BriefErrors(warnings) if strict and warnings else None
