"""watch: file saves under content/, styles/ and templates/ → rebuilds of the outputs they affect.

Builds once, then waits for changes (watchfiles) and runs an incremental build after each batch,
with the same warm worker processes throughout, so a save costs the render of the outputs it
changes and nothing more. A save with a mistake reports it and keeps the last good PDFs; the
next good save rebuilds, and `fixed` names the briefs it mended. Deleted, renamed and
half-written files are just more changes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import FrameType

import watchfiles

from ..errors import BriefError
from ..project import OutputId, Project, RenderLimits, default_jobs
from .build import BuildResult, Progress, build
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
    folders, watch_filter = watched(project)
    with _stop_on_sigterm(), RenderPool(project, jobs or default_jobs(), limits) as pool:
        try:
            _build_once(project, brief_ids, pool, progress, report, strict=strict, force=force)
            for changes in watchfiles.watch(*folders, debounce=1600, step=DEBOUNCE_MS,
                                            stop_event=stop_event, raise_interrupt=False,
                                            watch_filter=watch_filter):
                log.debug("changed: %s", ", ".join(sorted(path for _, path in changes)))
                _build_once(project, brief_ids, pool, progress, report, strict=strict)
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM during a build: stop, as while waiting
            log.debug("interrupted during a build")
        # the pool's workers are stopped on leaving (killed if busy): no PDF is half written


class _DesignFilter(watchfiles.DefaultFilter):
    """Changes under the project's content/, styles/ and templates/ only (watching the
    project's folder itself, for the design folders it does not have yet)."""

    def __init__(self, folders: tuple[str, ...]) -> None:
        super().__init__()
        self.folders = folders

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        return any(path == f or path.startswith(f + os.sep) for f in self.folders) \
            and super().__call__(change, path)


def watched(project: Project) -> tuple[list[str], watchfiles.DefaultFilter]:
    """The folders a watch watches, and its filter: the project's own content/, styles/ and
    templates/ (the packaged ones, `project.Layers`, change only with the tool, which a running
    watch does not see anyway). A project without its own styles/ or templates/ (`brief init`
    makes none) is watched as a whole for changes there, so that `brief override` writing the
    first file of one is seen."""
    own = (project.content, project.styles, project.templates)
    if project.styles.is_dir() and project.templates.is_dir():
        return [str(f) for f in own if f.is_dir()], watchfiles.DefaultFilter()
    return [str(project.root)], _DesignFilter(tuple(map(str, own)))


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
                force: bool = False) -> None:
    try:
        report(build(project, brief_ids, strict=strict, force=force, progress=progress,
                     pool=pool), None)
    except BriefError as exc:  # e.g. no brief left after a rename: say so and keep watching
        report(None, exc)
