"""watch: file saves under content/, styles/ and templates/ → rebuilds of the outputs they affect.

Builds once, then waits for changes (watchfiles) and runs an incremental build after each batch,
with the same warm worker processes throughout, so a save costs the render of the outputs it
changes and nothing more. A save with a mistake reports it and keeps the last good PDFs; the
next good save rebuilds. Deleted, renamed and half-written files are just more changes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import watchfiles

from .build import BuildResult, Progress, build
from .errors import BriefError
from .project import Project, RenderLimits, default_jobs
from .workers import RenderPool

log = logging.getLogger(__name__)

#: Called after each build with its result, or with the error that stopped it.
OnResult = Callable[[BuildResult | None, BriefError | None], None]

#: Milliseconds of quiet before a batch of changes is built (editors write files in steps).
DEBOUNCE_MS = 20


def watch(project: Project, brief_ids: list[str] | None = None, *, strict: bool = False,
          force: bool = False, jobs: int | None = None, limits: RenderLimits | None = None,
          progress: Progress | None = None, on_result: OnResult | None = None,
          stop_event: threading.Event | None = None) -> None:
    """Build (every output with `force`), then rebuild on every change until interrupted (or
    `stop_event` is set); with `strict`, warnings are errors in every build."""
    report: OnResult = on_result or (lambda result, error: None)
    folders = [str(f) for f in (project.content, project.styles, project.templates)
               if f.is_dir()]
    with RenderPool(project, jobs or default_jobs(), limits) as pool:
        _build_once(project, brief_ids, pool, progress, report, strict=strict, force=force)
        for changes in watchfiles.watch(*folders, debounce=1600, step=DEBOUNCE_MS,
                                        stop_event=stop_event, raise_interrupt=False,
                                        watch_filter=watchfiles.DefaultFilter()):
            log.debug("changed: %s", ", ".join(sorted(path for _, path in changes)))
            _build_once(project, brief_ids, pool, progress, report, strict=strict)


def _build_once(project: Project, brief_ids: list[str] | None, pool: RenderPool,
                progress: Progress | None, report: OnResult, *, strict: bool = False,
                force: bool = False) -> None:
    try:
        report(build(project, brief_ids, strict=strict, force=force, progress=progress,
                     pool=pool), None)
    except BriefError as exc:  # e.g. no brief left after a rename: say so and keep watching
        report(None, exc)
