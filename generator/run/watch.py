"""watch: file saves under content/, styles/ and templates/, and of the organisation's identity
(`_brand.yml` and the logo and font files it names) → rebuilds of the outputs they affect.

Builds once, then waits for changes (watchfiles) and runs an incremental build after each batch,
with the same warm worker processes throughout, so a save costs the render of the outputs it
changes and nothing more. A save with a mistake reports it and keeps the last good PDFs; the
next good save rebuilds, and `fixed` names the briefs it mended. Deleted, renamed and
half-written files are just more changes.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import watchfiles

from ..errors import BriefError
from ..project import (
    CONTENT_DIR,
    STYLES_DIR,
    TEMPLATES_DIR,
    OutputId,
    Project,
    RenderLimits,
    default_jobs,
)
from ..read.brand import BRAND_FILE, named_files
from .build import BuildResult, Guesses, Progress, build
from .workers import RenderPool

log = logging.getLogger(__name__)

# watchfiles says "KeyboardInterrupt caught, stopping watch" as a warning: `brief` says "stopped"
logging.getLogger("watchfiles.main").setLevel(logging.ERROR)

#: Called after each build with its result, or with the error that stopped it.
OnResult = Callable[[BuildResult | None, BriefError | None], None]

#: Milliseconds of quiet before a batch of changes is built (editors write files in steps).
DEBOUNCE_MS = 20


@dataclass(frozen=True, slots=True)
class Fixed:
    """A brief that failed in the previous build and builds again in this one."""

    brief: str
    built: int  # its outputs rendered by this build
    up_to_date: int  # its outputs whose PDFs were already right (the last good build's)


def failed_briefs(result: BuildResult) -> set[str]:
    """The briefs with an error in a build: failed as a whole, or in one of their outputs."""
    return {what.brief if isinstance(what, OutputId) else what for what, _ in result.failed}


def fixed(previous: BuildResult | None, current: BuildResult) -> list[Fixed]:
    """The briefs that failed in `previous` and whose outputs all built or were up to date in
    `current`, in the order of the previous failures."""
    if previous is None:
        return []
    now_failed = failed_briefs(current)
    mended = []
    for brief_id in dict.fromkeys(what.brief if isinstance(what, OutputId) else what
                                  for what, _ in previous.failed):
        built = sum(1 for output in current.built if output.id.brief == brief_id)
        up_to_date = sum(1 for output_id in current.skipped if output_id.brief == brief_id)
        if brief_id not in now_failed and built + up_to_date:
            mended.append(Fixed(brief_id, built, up_to_date))
    return mended


def watch(project: Project, brief_ids: list[str] | None = None, *, strict: bool = False,
          force: bool = False, jobs: int | None = None, limits: RenderLimits | None = None,
          progress: Progress | None = None, on_result: OnResult | None = None,
          stop_event: threading.Event | None = None) -> None:
    """Build (every output with `force`), then rebuild on every change until interrupted (or
    `stop_event` is set); with `strict`, warnings are errors in every build."""
    report: OnResult = on_result or (lambda result, error: None)
    stop = stop_event or threading.Event()
    guesses = Guesses()  # each output's last settled layout: provisional PDFs after a save
    with _stop_on_sigterm(), RenderPool(project, jobs or default_jobs(), limits) as pool:
        try:
            _build_once(project, brief_ids, pool, progress, report, strict=strict, force=force,
                        guesses=guesses)
            restarted = False
            while not stop.is_set():
                folders = watched_folders(project)
                for changes in _changes(project, folders, stop, catch_up=restarted):
                    log.debug("changed: %s", ", ".join(sorted(path for _, path in changes)))
                    _build_once(project, brief_ids, pool, progress, report, strict=strict,
                                guesses=guesses)
                    if watched_folders(project) != folders:  # the identity names another
                        restarted = True  # folder: watched from now on
                        break
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM during a build: stop, as while waiting
            log.debug("interrupted during a build")
        # the pool's workers are stopped on leaving (killed if busy): no PDF is half written


#: How long new watchers are given to start before the build that catches up (`_changes`).
CATCH_UP_S = 0.5


def watched_folders(project: Project) -> tuple[str, ...]:
    """The folders a watch follows, with all they hold: content/, styles/, templates/ and the
    folders of the identity's logo and font files (`brand/`); the project's root itself is
    followed apart, for `_brand.yml` alone (`_changes`), never out/."""
    folders = [f for f in (project.content, project.styles, project.templates) if f.is_dir()]
    for path in named_files(project):
        folder = path.parent
        if folder != project.root and not any(folder.is_relative_to(f) for f in folders) \
                and not folder.is_relative_to(project.out) and folder.is_dir():
            folders.append(folder)
    return tuple(sorted(str(f) for f in folders))


def _brand_filter(change: watchfiles.Change, path: str) -> bool:
    """At the project's root, only the identity's file (or one surely meant to be it), and the
    design folders when they come or go: a project `brief init` made has no styles/ or
    templates/ of its own (`project.Layers`) until `brief override` writes the first file of
    one, which is watched from then on (`watched_folders` changed)."""
    name = Path(path).name
    return name.lower() in (BRAND_FILE, "_brand.yaml", "brand.yml", "brand.yaml") or \
        name in (CONTENT_DIR, STYLES_DIR, TEMPLATES_DIR)


def _changes(project: Project, folders: tuple[str, ...], stop: threading.Event, *,
             catch_up: bool = False) -> Iterator[set[tuple[watchfiles.Change, str]]]:
    """Batches of changes in `folders` (with all they hold) and of `_brand.yml` at the root
    (watched without its sub-folders: not out/, not a checkout's .git), until `stop` is set.
    Two watchers, one a thread each, report into one queue; a batch is what came in together.
    With `catch_up` (the folders watched changed: the watchers before were stopped), first an
    empty batch once the new watchers run: a change saved while none watched is built then
    (an identity saved again as `brief watch` turned to its new folder was never built)."""
    found: queue.Queue[set[tuple[watchfiles.Change, str]]] = queue.Queue()
    done = threading.Event()

    def follow(paths: tuple[str, ...], *, recursive: bool,
               only: Callable[[watchfiles.Change, str], bool]) -> None:
        for changes in watchfiles.watch(*paths, debounce=1600, step=DEBOUNCE_MS,
                                        stop_event=done, raise_interrupt=False,
                                        recursive=recursive, watch_filter=only):
            found.put(changes)

    default = watchfiles.DefaultFilter()
    threads = [threading.Thread(target=follow, args=(paths,), daemon=True, kwargs={
        "recursive": recursive, "only": only})
        for paths, recursive, only in ((folders, True, default),
                                       ((str(project.root),), False, _brand_filter)) if paths]
    for thread in threads:
        thread.start()
    try:
        if catch_up and not stop.wait(CATCH_UP_S):  # the watchers have started by then
            yield set()
        while not stop.is_set():
            try:
                batch = found.get(timeout=0.1)
            except queue.Empty:
                continue
            while not found.empty():
                batch |= found.get_nowait()
            yield batch
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=5)


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM (`kill`, a service manager) stops a watch as Ctrl-C does: the workers are
    stopped and the preview server closed, without a traceback. Only the main thread may set a
    handler; elsewhere (tests) the default stays."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _build_once(project: Project, brief_ids: list[str] | None, pool: RenderPool,
                progress: Progress | None, report: OnResult, *, strict: bool = False,
                force: bool = False, guesses: Guesses | None = None) -> None:
    try:
        report(build(project, brief_ids, strict=strict, force=force, progress=progress,
                     pool=pool, guesses=guesses), None)
    except BriefError as exc:  # e.g. no brief left after a rename: say so and keep watching
        report(None, exc)
