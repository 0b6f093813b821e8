"""build: briefs → PDFs in out/, through the pipeline, the worker pool and an atomic write.

`build` renders the outputs of the briefs named (all by default) whose inputs changed, in
parallel worker processes (`pdf` → `finish` there), preflights and writes each; one output's
failure does not stop the others. A build in which nothing changed reads and hashes files but
imports neither the parsers nor WeasyPrint (see the deferred imports in docs/architecture.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BriefError, BriefErrors, Bug, Mark, RenderError
from .manifest import Manifest, brief_inputs_digest, output_digest
from .project import OutputId, Project, RenderLimits, default_jobs

if TYPE_CHECKING:
    from .model import Audience
    from .preflight import Report
    from .workers import RenderJob, RenderPool


@dataclass(frozen=True, slots=True)
class Output:
    """One output of a build: its identity, file, and what rendering it found."""

    id: OutputId
    path: Path
    pages: int = 0
    footnotes: int = 0
    seconds: float = 0.0
    preflight: Report | None = None  # of the written PDF


@dataclass
class BuildResult:
    built: list[Output] = field(default_factory=list)
    failed: list[tuple[str | OutputId, BriefError]] = field(default_factory=list)  # brief id
    # (when the brief itself is wrong) or output, and why
    warnings: list[BriefError] = field(default_factory=list)
    skipped: list[OutputId] = field(default_factory=list)  # already up to date
    bugs: list[Bug] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.bugs


Progress = Callable[[str, "Output | None", "BriefError | None"], None]


def _settings(audience: Audience) -> str:
    """An audience's settings as text for the output digest (marks are where, not what)."""
    return repr(dataclasses.replace(audience, mark=None, max_pages_mark=None))


def build(project: Project, brief_ids: list[str] | None = None, *, strict: bool = False,
          force: bool = False, jobs: int | None = None, limits: RenderLimits | None = None,
          progress: Progress | None = None, pool: RenderPool | None = None) -> BuildResult:
    """Check, then render and write the outputs of the named briefs (all by default) whose
    inputs changed since the last build (all of them with `force`).

    A brief with any error (or, when `strict`, any warning) builds nothing. Outputs are rendered
    in parallel worker processes; one failing output does not stop the others. `progress` is
    called as each output is built ("built"), skipped ("skipped") or fails ("failed"). A warm
    `pool` (workers.RenderPool) may be passed in and is then left open (as `brief watch` does).
    """
    result = BuildResult()
    notify: Progress = progress or (lambda *args: None)
    manifest = Manifest.load(project.out)
    jobs_to_run: list[tuple[RenderJob, str, Output]] = []
    brief_digests: dict[str, str] = {}
    failed_briefs: set[str] = set()
    own_pool = pool is None
    try:
        for brief_id in project.requested_briefs(brief_ids):
            digest = brief_inputs_digest(project, brief_id)
            if not force and manifest.brief_is_current(brief_id, digest):
                for output_id in manifest.outputs_of(brief_id):
                    result.skipped.append(output_id)
                    notify("skipped", Output(output_id, project.output_path(output_id)), None)
                continue
            # Deferred: a no-op build needs neither the parsers nor the workers.
            from .pipeline import load_brief, outputs, prepare, warnings_for
            from .workers import RenderJob, RenderPool

            try:
                brief = load_brief(project, brief_id)
            except BriefError as exc:
                result.failed.append((brief_id, exc))
                notify("failed", None, exc)
                continue
            warnings = warnings_for(brief)
            result.warnings.extend(warnings)
            if strict and warnings:
                result.failed.append((brief_id, BriefErrors(warnings)))
                continue
            brief_digests[brief_id] = digest
            manifest.forget_brief(brief_id, keep={output_id for output_id, _ in outputs(brief)})
            for output_id, audience in outputs(brief):
                path = project.output_path(output_id)
                try:
                    prepared = prepare(project, brief, output_id)
                except BriefError as exc:
                    result.failed.append((output_id, exc))
                    failed_briefs.add(brief_id)
                    notify("failed", None, exc)
                    continue
                out_digest = output_digest(project, brief.folder, prepared.html,
                                           _settings(audience), audience.stylesheets)
                output = Output(output_id, path, 0, len(prepared.footnotes))
                if not force and manifest.output_is_current(output_id, out_digest):
                    result.skipped.append(output_id)
                    notify("skipped", output, None)
                    continue
                if pool is None:  # start the workers now: they import WeasyPrint meanwhile
                    pool = RenderPool(project, jobs or default_jobs(), limits)
                jobs_to_run.append((RenderJob(output_id, prepared.html, brief.folder, audience,
                                              project.relative(path), brief.path),
                                    out_digest, output))
        if pool is not None and jobs_to_run:
            _render_all(pool, jobs_to_run, manifest, result, failed_briefs, notify, strict)
    finally:
        if own_pool and pool is not None:
            pool.close()
    for brief_id, digest in brief_digests.items():
        if brief_id not in failed_briefs:
            manifest.record_brief(brief_id, digest)
    manifest.save()
    return result


def _render_all(pool: RenderPool, jobs_to_run: list[tuple[RenderJob, str, Output]],
                manifest: Manifest, result: BuildResult, failed_briefs: set[str],
                notify: Progress, strict: bool) -> None:
    """Render the jobs in the pool; preflight each PDF and write it atomically as it arrives."""
    from .preflight import preflight
    from .write import write_atomic

    by_output = {job.output: (digest, output) for job, digest, output in jobs_to_run}
    for outcome in pool.run([job for job, _, _ in jobs_to_run]):
        digest, output = by_output[outcome.job.output]
        name = outcome.job.output_name
        error = outcome.error
        if isinstance(error, Bug):
            result.bugs.append(error)
            failed_briefs.add(output.id.brief)
            continue
        rendered = outcome.result
        if error is None and rendered is not None and rendered.footnotes != output.footnotes:
            result.bugs.append(Bug(name, f"{output.footnotes} footnotes numbered but "
                                   f"{rendered.footnotes} rendered"))
            failed_briefs.add(output.id.brief)
            continue
        report = None
        if error is None and rendered is not None:
            report = preflight(rendered.pdf)
            if strict and report.warnings:
                error = RenderError(Mark(outcome.job.content_file, 1),
                                    f"{name}: preflight: " + "; ".join(report.warnings))
        if error is None and rendered is not None:
            try:
                write_atomic(output.path, rendered.pdf)
            except OSError as exc:
                error = BriefError(f"{name}: cannot write: {exc.strerror}")
        if error is not None or rendered is None:
            error = error or BriefError(f"{name}: nothing was rendered")
            result.failed.append((output.id, error))
            failed_briefs.add(output.id.brief)
            notify("failed", output, error)
            continue
        built = dataclasses.replace(output, pages=rendered.pages, seconds=outcome.seconds,
                                    preflight=report)
        manifest.record_output(output.id, digest)
        result.built.append(built)
        notify("built", built, None)
