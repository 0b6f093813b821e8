"""workers: render jobs (HTML + audience) → PDF bytes, in child processes with limits.

Each worker is a separate process that imports WeasyPrint once and then renders job after job,
so a build pays the import once per core, not once per output. Every job runs under a memory
limit (the worker's address space) and a wall-clock limit (the parent kills a worker that takes
too long and starts a fresh one): a pathological input ends as a clear error for its output while
the other outputs of the build still complete.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Iterable, Iterator

from .defaults import Project, RenderLimits
from .errors import BriefError, ContentError, LocatedError, Mark, RenderError, TemplateError
from .model import Audience

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RenderJob:
    label: str  # e.g. "expert-advice.full.nl"
    html: str
    base_url: Path
    audience: Audience
    output_name: str
    content_file: Path
    pdf_options: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class JobOutcome:
    job: RenderJob
    result: object | None  # pdf.RenderResult
    error: BriefError | None
    seconds: float


_ERROR_CLASSES = {cls.__name__: cls for cls in (ContentError, RenderError, TemplateError)}


def _pack_error(exc: BriefError):
    if isinstance(exc, LocatedError) and type(exc).__name__ in _ERROR_CLASSES:
        mark = exc.mark
        return ("located", type(exc).__name__,
                None if mark is None else (str(mark.path), mark.line, mark.col),
                exc.problem, exc.field)
    return ("plain", exc.format_message())


def _unpack_error(packed) -> BriefError:
    if packed[0] == "located":
        _, name, mark, problem, field_name = packed
        return _ERROR_CLASSES[name](None if mark is None else Mark(Path(mark[0]), mark[1], mark[2]),
                                    problem, field_name)
    return BriefError(packed[1])


def _address_space() -> int:
    """This process's current virtual memory size in bytes (0 when unknown)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _worker_main(conn, project_root: str, memory_mb: int) -> None:
    """A worker process: warm up WeasyPrint, limit memory, then render jobs until told to stop."""
    import resource

    project = Project.at(project_root)
    from .pdf import isolate_fonts, render_pdf

    isolate_fonts(project)
    import pikepdf  # noqa: F401  (warm, like WeasyPrint below)
    import weasyprint  # noqa: F401  (warm: the import is most of a cold render)

    if memory_mb:  # after the imports, so that the limit is what one render may add
        limit = _address_space() + memory_mb * 2**20
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard if 0 <= hard < limit else limit))

    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if job is None:
            return
        try:
            result = render_pdf(job.html, job.base_url, job.audience, project,
                                output_name=job.output_name, pdf_options=job.pdf_options,
                                content_file=job.content_file)
            conn.send(("ok", result))
        except BriefError as exc:
            conn.send(("error", _pack_error(exc)))
        except MemoryError:
            conn.send(("error", ("plain", f"{job.output_name}: rendering needed more than the "
                                 f"memory limit of {memory_mb} MB; simplify the content or raise "
                                 "--memory-limit")))
        except RecursionError:
            conn.send(("error", ("plain", f"{job.output_name}: the content is nested too "
                                 "deeply to lay out; flatten lists and quotes")))
        except Exception:  # a bug in WeasyPrint or in brief: report it with its traceback
            conn.send(("error", ("plain", f"{job.output_name}: rendering failed unexpectedly "
                                 "(please report this bug):\n" + traceback.format_exc())))


class _Worker:
    def __init__(self, context, project: Project, limits: RenderLimits) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, daemon=True,
                                       args=(child, str(project.root), limits.memory_mb))
        self.process.start()
        child.close()
        self.ready = False
        self.job: RenderJob | None = None
        self.started: float | None = None

    def stop(self, kill: bool = False) -> None:
        try:
            if kill:
                self.process.kill()
            else:
                self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class RenderPool:
    """A few warm worker processes; `run` renders jobs and yields outcomes as they complete."""

    def __init__(self, project: Project, size: int, limits: RenderLimits | None = None) -> None:
        self.project = project
        self.limits = limits or RenderLimits()
        self._context = multiprocessing.get_context("spawn")
        self._workers = [_Worker(self._context, project, self.limits)
                         for _ in range(max(1, size))]

    def __enter__(self) -> "RenderPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._workers:
            worker.stop(kill=worker.job is not None)
        self._workers = []

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop(kill=True)
        fresh = _Worker(self._context, self.project, self.limits)
        self._workers[self._workers.index(worker)] = fresh
        return fresh

    def run(self, jobs: Iterable[RenderJob]) -> Iterator[JobOutcome]:
        pending = deque(jobs)
        while pending or any(w.job is not None for w in self._workers):
            for worker in self._workers:
                if worker.job is None and pending:
                    worker.job = pending.popleft()
                    worker.conn.send(worker.job)
                    worker.started = time.monotonic() if worker.ready else None
            busy = [w for w in self._workers if w.job is not None]
            now = time.monotonic()
            deadlines = [w.started + self.limits.seconds for w in busy if w.started is not None]
            timeout = max(0.0, min(deadlines) - now) if deadlines else self.limits.seconds
            ready = wait([w.conn for w in busy], timeout=timeout)
            for worker in busy:
                if worker.conn in ready:
                    outcome = self._receive(worker)
                    if outcome is not None:
                        yield outcome
                elif worker.started is not None and \
                        time.monotonic() - worker.started > self.limits.seconds:
                    job = worker.job
                    self._replace(worker)
                    yield JobOutcome(job, None, RenderError(
                        Mark(job.content_file, 1), f"{job.output_name}: rendering took longer "
                        f"than {self.limits.seconds:g} s and was stopped; simplify the content or "
                        "raise --timeout"), self.limits.seconds)

    def _receive(self, worker: _Worker) -> JobOutcome | None:
        job = worker.job
        assert job is not None
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            seconds = time.monotonic() - (worker.started or time.monotonic())
            self._replace(worker)
            return JobOutcome(job, None, RenderError(
                Mark(job.content_file, 1), f"{job.output_name}: the renderer stopped "
                f"unexpectedly (over the {self.limits.memory_mb} MB memory limit?); simplify the "
                "content or raise --memory-limit"), seconds)
        if message[0] == "ready":
            worker.ready = True
            worker.started = time.monotonic()
            return None
        seconds = time.monotonic() - (worker.started or time.monotonic())
        worker.job = None
        worker.started = None
        if message[0] == "ok":
            return JobOutcome(job, message[1], None, seconds)
        return JobOutcome(job, None, _unpack_error(message[1]), seconds)
