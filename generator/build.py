"""build: composes the steps — load → model → select → footnotes → html → pdf → write.

`build` renders the outputs of the briefs named (all by default) whose inputs changed, in
parallel worker processes; one output's failure does not stop the others. A build in which
nothing changed reads and hashes files but imports neither the parsers nor WeasyPrint.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .defaults import Project, RenderLimits, default_jobs
from .errors import BriefError, BriefErrors, ContentError, Mark, RenderError, relocate

if TYPE_CHECKING:
    from .model import Audience, Brief

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Output:
    brief_id: str
    audience: str
    language: str
    path: Path
    pages: int = 0
    footnotes: int = 0
    seconds: float = 0.0
    preflight: object | None = None  # preflight.Report of the written PDF


@dataclass
class BuildResult:
    built: list[Output] = field(default_factory=list)
    failed: list[tuple[str, BriefError]] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # labels of outputs already up to date

    @property
    def ok(self) -> bool:
        return not self.failed


def pdf_options(brief: Brief, audience: Audience, language: str) -> dict:
    """WeasyPrint's write options: the standard the audience claims (PDF/UA-1 with tags, or
    PDF/X-4 with its output intent) and a stable file identifier, so equal inputs give equal
    bytes."""
    import hashlib

    from .defaults import PDF_STANDARDS

    ident = hashlib.sha256(f"{brief.id}/{audience.name}/{language}".encode()).hexdigest()[:32]
    options = {"pdf_identifier": ident.encode()}
    variant = PDF_STANDARDS[audience.pdf]
    if variant:
        options["pdf_variant"] = variant
    if audience.pdf == "ua-1":
        options["pdf_tags"] = True
    return options


def _settings(audience: Audience) -> str:
    """An audience's settings as text for the output digest (marks are where, not what)."""
    return repr(dataclasses.replace(audience, mark=None, max_pages_mark=None))


def build(project: Project, brief_ids: list[str] | None = None, *, strict: bool = False,
          force: bool = False, jobs: int | None = None, limits: RenderLimits | None = None,
          progress: Callable[[str, Output | None, BriefError | None], None] | None = None,
          pool=None) -> BuildResult:
    """Check, then render and write the outputs of the named briefs (all by default) whose
    inputs changed since the last build (all of them with `force`).

    A brief with any error (or, when `strict`, any warning) builds nothing. Outputs are rendered
    in parallel worker processes; one failing output does not stop the others. `progress` is
    called as each output is built ("built"), skipped ("skipped") or fails ("failed"). A warm
    `pool` (workers.RenderPool) may be passed in and is then left open (as `brief watch` does).
    """
    from .manifest import Manifest, brief_inputs_digest, output_digest

    result = BuildResult()
    ids = brief_ids or project.brief_ids()
    if not ids:
        raise ContentError(Mark(project.content, 1), "no briefs found; create "
                           "content/<brief-id>/brief.yaml")
    notify = progress or (lambda *args: None)
    manifest = Manifest.load(project.out)
    jobs_to_run: list[tuple[RenderJob, str, Output]] = []
    brief_digests: dict[str, str] = {}
    failed_briefs: set[str] = set()
    own_pool = pool is None
    try:
        for brief_id in ids:
            digest = brief_inputs_digest(project, brief_id)
            if not force and manifest.brief_is_current(brief_id, digest, project.out):
                for label in sorted(l for l in manifest.outputs if l.startswith(brief_id + ".")):
                    result.skipped.append(label)
                    notify("skipped", _output_for(project, label), None)
                continue
            from .check import load_brief, output_html, warnings_for
            from .workers import RenderJob, RenderPool

            try:
                brief = load_brief(project, brief_id)
            except BriefError as exc:
                result.failed.append((brief_id, exc))
                notify("failed", None, exc)
                continue
            warnings = warnings_for(brief, project)
            result.warnings.extend(warnings)
            if strict and warnings:
                result.failed.append((brief_id, BriefErrors(warnings)))
                continue
            brief_digests[brief_id] = digest
            manifest.forget_brief(brief_id, keep={
                f"{brief_id}.{a.name}.{lang}" for a in brief.audiences for lang in a.languages})
            for audience in brief.audiences:
                for language in audience.languages:
                    label = f"{brief_id}.{audience.name}.{language}"
                    path = project.output_path(brief_id, audience.name, language)
                    try:
                        html, footnotes = output_html(project, brief, audience, language)
                    except BriefError as exc:
                        error = relocate(exc, project.root)
                        result.failed.append((label, error))
                        failed_briefs.add(brief_id)
                        notify("failed", None, error)
                        continue
                    out_digest = output_digest(project, brief.folder, html, _settings(audience),
                                               audience.stylesheets)
                    output = Output(brief_id, audience.name, language, path, 0, len(footnotes))
                    if not force and manifest.output_is_current(label, out_digest, path):
                        result.skipped.append(label)
                        notify("skipped", output, None)
                        continue
                    if pool is None:  # start the workers now: they import WeasyPrint meanwhile
                        pool = RenderPool(project, jobs or default_jobs(), limits)
                    jobs_to_run.append((RenderJob(
                        label, html, brief.folder, audience, project.relative(path), brief.path,
                        pdf_options(brief, audience, language)), out_digest, output))
        if pool is not None:
            _render_all(project, pool, jobs_to_run, manifest, result, failed_briefs, notify,
                        strict)
    finally:
        if own_pool and pool is not None:
            pool.close()
    for brief_id, digest in brief_digests.items():
        if brief_id not in failed_briefs:
            manifest.record_brief(brief_id, digest)
    manifest.save()
    return result


def _output_for(project: Project, label: str) -> Output:
    brief_id, audience, language = label.rsplit(".", 2)
    return Output(brief_id, audience, language, project.output_path(brief_id, audience, language))


def _render_all(project, pool, jobs_to_run, manifest, result, failed_briefs, notify,
                strict: bool) -> None:
    """Render the jobs in the pool; preflight each PDF and write it atomically as it arrives."""
    from .preflight import preflight
    from .write import write_atomic

    by_label = {job.label: (digest, output) for job, digest, output in jobs_to_run}
    for outcome in pool.run([job for job, _, _ in jobs_to_run]):
        digest, output = by_label[outcome.job.label]
        brief_id = output.brief_id
        error = outcome.error
        if error is None and outcome.result.footnotes != output.footnotes:
            error = BriefError(f"{outcome.job.output_name}: {output.footnotes} footnotes "
                               f"numbered but {outcome.result.footnotes} rendered; please "
                               "report this bug")
        report = None
        if error is None:
            report = preflight(outcome.result.pdf)
            if strict and report.warnings:
                error = RenderError(outcome.job.content_file and Mark(outcome.job.content_file, 1),
                                    f"{outcome.job.output_name}: preflight: "
                                    + "; ".join(report.warnings))
        if error is None:
            try:
                write_atomic(output.path, outcome.result.pdf)
            except OSError as exc:
                error = BriefError(f"{outcome.job.output_name}: cannot write: {exc.strerror}")
        if error is not None:
            error = relocate(error, project.root)
            result.failed.append((outcome.job.label, error))
            failed_briefs.add(brief_id)
            notify("failed", output, error)
            continue
        built = dataclasses.replace(output, pages=outcome.result.pages, seconds=outcome.seconds,
                                    preflight=report)
        manifest.record_output(outcome.job.label, digest, output.path)
        result.built.append(built)
        notify("built", built, None)
