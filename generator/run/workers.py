"""workers: render jobs (HTML + audience) → PDF bytes, in child processes with limits.

Each worker is a separate process that imports WeasyPrint once and then renders job after job,
so a build pays the import once per core, not once per output. Every job runs under a memory
limit (the worker's address space) and a wall-clock limit (the parent kills a worker that takes
too long and starts a fresh one): a pathological input ends as a clear error for its output while
the other outputs of the build still complete.
"""

from __future__ import annotations

import dataclasses
import errno
import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import SpawnContext
from pathlib import Path
from types import FrameType
from typing import Any, Generic, NoReturn, Protocol, TypeVar

from .. import files
from ..errors import BriefError, Bug, Mark, RenderError
from ..make.pdf import RenderResult, close_sessions, isolate_fonts, render_pdf
from ..make.typeset.carry import Guess
from ..project import OutputId, Project, RenderLimits
from ..read.brand import DEFAULT, Brand
from ..read.model import Audience

log = logging.getLogger(__name__)


R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


class Job(Protocol[R_co]):
    """What a worker does: one job, run in the worker (`render`), giving an `R`."""

    @property
    def output(self) -> OutputId: ...
    @property
    def output_name(self) -> str: ...  # the output's path as the user sees it
    @property
    def content_file(self) -> Path: ...  # where content problems found in layout are reported

    def render(self, project: Project) -> R_co: ...


def relative_reads(project: Project, read: set[Path]) -> tuple[str, ...]:
    """The project's files a render read (`files.recording`), relative to it, and the packaged
    templates and styles it read (`<packaged>/…`, `Project.record_name`), sorted."""
    return tuple(sorted(name for path in read
                        if (name := project.record_name(path)) is not None))


@dataclass(frozen=True, slots=True)
class RenderJob:
    """One output: its HTML laid out, checked and finished (`pdf.render_pdf`)."""

    output: OutputId
    html: str
    base_url: Path  # the brief's folder: where its images are
    audience: Audience
    output_name: str  # the output's path as the user sees it
    content_file: Path  # the brief.yaml, where content problems found in layout are reported
    brand: Brand = DEFAULT  # the organisation's identity (`_brand.yml`)

    def render(self, project: Project, *, compress: bool = True,
               guess: Guess | None = None) -> RenderResult:
        """The output rendered, with the project's files it read (`RenderResult.read`)."""
        with files.recording() as read:
            result = render_pdf(self.html, self.base_url, self.audience, project,
                                output_name=self.output_name,
                                identifier=f"{self.output.brief}/{self.output.key}",
                                content_file=self.content_file, compress=compress,
                                brand=self.brand, guess=guess)
        return dataclasses.replace(result, read=relative_reads(project, read))


@dataclass(frozen=True, slots=True)
class GuessJob:
    """A watch's provisional render of an output (`typeset.carry`): its HTML laid out once
    with the repairs its last settled layout kept, while its `RenderJob` settles it
    (`GuessMissed` when the guess lays out worse; the build drops a guess that failed in any
    way: the settled render says why)."""

    job: RenderJob
    guess: Guess

    @property
    def output(self) -> OutputId:
        return self.job.output

    @property
    def output_name(self) -> str:
        return self.job.output_name

    @property
    def content_file(self) -> Path:
        return self.job.content_file

    def render(self, project: Project) -> RenderResult:
        return self.job.render(project, guess=self.guess)


@dataclass(frozen=True, slots=True)
class JobOutcome(Generic[R]):
    job: Job[R]
    result: R | None
    error: BriefError | Bug | None
    seconds: float


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


def _exit_quietly(signum: int, frame: FrameType | None) -> NoReturn:
    """A worker told to end (SIGTERM): at once, without a traceback, whatever it was doing,
    its temporary font folders removed."""
    try:
        close_sessions()
    finally:
        os._exit(128 + signum)


def _quiet_signals() -> None:
    """In a worker: Ctrl-C (SIGINT, which a terminal sends to every process of the command) is
    the parent's to act on, and it stops the workers; SIGTERM ends the worker quietly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_quietly)


def _worker_main(conn: Connection, project_root: str, memory_mb: int) -> None:
    """A worker process: warm up WeasyPrint, limit memory, then render jobs until told to stop.

    Messages to the parent: ("ready",) once warm, then ("ok", what the job's `render` gave) or
    ("error", BriefError | Bug) per job.
    """
    _quiet_signals()
    project = Project.at(project_root)
    isolate_fonts(project)  # before WeasyPrint is imported: fonts only from styles/fonts/
    import weasyprint  # noqa: F401, PLC0415  # deferred: see generator/__init__.py

    if memory_mb:  # after the imports, so that the limit is what one render may add
        limit = _address_space() + memory_mb * 2**20
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard if 0 <= hard < limit else limit))

    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            job = None
        if job is None:  # told to stop (or the parent is gone): clean up while whole
            close_sessions()
            return
        outcome: tuple[str, object]
        try:
            outcome = ("ok", job.render(project))
        except BriefError as exc:  # errors pickle as data (see errors.py)
            outcome = ("error", exc)
        except MemoryError:
            outcome = ("error", RenderError(Mark(job.content_file, 1), f"{job.output_name}: "
                       f"rendering went over the {memory_mb} MB memory limit; simplify the "
                       "content or raise --memory-limit"))
        except RecursionError:
            outcome = ("error", RenderError(Mark(job.content_file, 1), f"{job.output_name}: "
                       "the content is nested too deeply to lay out; flatten lists and quotes"))
        except Exception as exc:  # noqa: BLE001 — a bug in WeasyPrint or brief: one report
            if _out_of_memory(exc):  # e.g. no thread or buffer could be made under the limit
                outcome = ("error", RenderError(Mark(job.content_file, 1), f"{job.output_name}: "
                           f"rendering went over the {memory_mb} MB memory limit ({exc}); "
                           "simplify the content or raise --memory-limit"))
            else:
                outcome = ("error", Bug(job.output_name, traceback.format_exc()))
        conn.send(outcome)


def _out_of_memory(exc: BaseException) -> bool:
    """Whether an exception is the memory limit showing through another door: a thread that
    cannot start, an allocation refused by the system (ENOMEM, EAGAIN), or a C extension that
    failed to allocate without raising MemoryError ("error return without exception set", seen
    from cffi's parser under a 48 MB limit)."""
    if isinstance(exc, RuntimeError) and "can't start new thread" in str(exc):
        return True
    if isinstance(exc, SystemError) and "without exception set" in str(exc):
        return True
    return isinstance(exc, OSError) and exc.errno in (errno.ENOMEM, errno.EAGAIN)


class _Worker:
    def __init__(self, context: SpawnContext, project: Project, limits: RenderLimits) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, daemon=True,
                                       args=(child, str(project.root), limits.memory_mb))
        # started with Ctrl-C ignored (inherited), so that one while it starts up (importing
        # brief) prints no traceback either; the main thread alone may set a handler
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
        try:
            self.process.start()
        finally:
            if main:  # None: a handler not set from Python, which cannot be set back
                signal.signal(signal.SIGINT, signal.default_int_handler
                              if previous is None else previous)
        child.close()
        self.ready = False
        self.job: Job[Any] | None = None  # of any kind: the pool runs one kind at a time
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

    def __enter__(self) -> RenderPool:
        return self

    @property
    def size(self) -> int:
        """How many workers the pool has."""
        return len(self._workers)

    def __exit__(self, *exc: object) -> None:
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

    def run(self, jobs: Iterable[Job[R]], meanwhile: Callable[[], None] | None = None
            ) -> Iterator[JobOutcome[R]]:
        """Run the jobs, yielding each outcome as it arrives, and those of the jobs given out
        before (`submit`); `meanwhile` is called once, when the first jobs are given out (work
        of the caller's that needs none of them)."""
        pending = deque(jobs)
        while pending or any(w.job is not None for w in self._workers):
            for worker in self._workers:
                self._dispatch(worker, pending)
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
            busy = [w for w in self._workers if w.job is not None]
            now = time.monotonic()
            deadlines = [w.started + self.limits.seconds for w in busy if w.started is not None]
            timeout = max(0.0, min(deadlines) - now) if deadlines else self.limits.seconds
            ready = wait([w.conn for w in busy], timeout=timeout)
            for worker in busy:
                if worker.conn in ready:
                    outcome: JobOutcome[R] | None = self._receive(worker)
                    if outcome is not None:
                        self._dispatch(worker, pending)  # busy again while the caller works
                        yield outcome
                elif worker.started is not None and \
                        time.monotonic() - worker.started > self.limits.seconds:
                    job = worker.job
                    assert job is not None  # busy
                    self._replace(worker)
                    yield JobOutcome(job, None, RenderError(
                        Mark(job.content_file, 1), f"{job.output_name}: rendering took longer "
                        f"than {self.limits.seconds:g} s and was stopped; simplify the content or "
                        "raise --timeout"), self.limits.seconds)

    def submit(self, job: Job[Any]) -> bool:
        """Give the job to an idle worker now, before `run` (whose outcomes then include its);
        False when every worker is busy."""
        for worker in self._workers:
            if worker.job is None:
                self._dispatch(worker, deque([job]))
                return True
        return False

    @staticmethod
    def _dispatch(worker: _Worker, pending: deque[Job[R]]) -> None:
        """Give an idle worker the next job, if there is one."""
        if worker.job is None and pending:
            worker.job = pending.popleft()
            worker.conn.send(worker.job)
            worker.started = time.monotonic() if worker.ready else None

    def _receive(self, worker: _Worker) -> JobOutcome[R] | None:
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
        return JobOutcome(job, None, message[1], seconds)
