"""build: composes the steps — load → model → select → footnotes → html → pdf → write.

`check` validates briefs without rendering; `build` renders every output of every brief named
(all by default). One output's failure does not stop the others; the result lists both.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import markdown
from .defaults import Project, RenderLimits, default_jobs
from .errors import BriefError, BriefErrors, ContentError, Mark, relocate
from .footnotes import number
from .html import build_document, render_html
from .load import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, load_yaml, read_image_info
from .model import Audience, Brief, build_brief
from .select import select

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


@dataclass
class BuildResult:
    built: list[Output] = field(default_factory=list)
    failed: list[tuple[str, BriefError]] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # labels of outputs already up to date

    @property
    def ok(self) -> bool:
        return not self.failed


def _flatten(error: BriefError) -> list[BriefError]:
    return list(error.errors) if isinstance(error, BriefErrors) else [error]


def load_brief(project: Project, brief_id: str) -> Brief:
    """Load and validate one brief with the audiences it uses; all problems at once."""
    path = project.brief_file(brief_id)
    if not path.is_file():
        known = ", ".join(project.brief_ids()) or "none"
        raise ContentError(Mark(path, 1), f"no brief {brief_id!r}: the file does not exist "
                           f"(briefs: {known})", root=project.root)
    errors: list[BriefError] = []
    raw = audiences_raw = None
    for name, path_to_load in (("brief", path), ("audiences", project.audiences_file)):
        try:
            loaded = load_yaml(path_to_load)
        except BriefError as exc:
            errors.extend(_flatten(exc))
            continue
        if name == "brief":
            raw = loaded
        else:
            audiences_raw = loaded
    if raw is None or audiences_raw is None:
        raise relocate(BriefErrors(errors), project.root)
    brief, schema_errors = build_brief(brief_id, raw, audiences_raw, project)
    errors.extend(schema_errors)
    if brief is None:
        raise relocate(BriefErrors(errors), project.root)
    errors.extend(content_problems(brief))
    for audience in brief.audiences:
        for language in audience.languages:
            try:
                select(brief, audience, language)
            except BriefError as exc:
                errors.extend(_flatten(exc))
    errors = list({e.format_message(): e for e in errors}.values())
    if errors:
        raise relocate(BriefErrors(errors), project.root)
    return brief


def content_problems(brief: Brief) -> list[BriefError]:
    """Markdown and footnote mistakes in every text of a brief, and images that are missing."""
    keys = frozenset(s.key for s in brief.sources)
    errors: list[BriefError] = []

    def texts(sections):
        for section in sections:
            if section.body is not None:
                yield section.body
            yield from texts(section.sections)

    all_texts = ([brief.summary] if brief.summary else []) + list(texts(brief.sections))
    for text in all_texts:
        for entry in text.entries:
            for problem in markdown.problems(entry.value, keys, entry.language or "en"):
                errors.append(ContentError(entry.mark_of(problem.offset),
                                           problem.message, text.field))
            for offset, src in markdown.image_sources(entry.value):
                problem = image_problem(brief.folder, src)
                if problem:
                    errors.append(ContentError(entry.mark_of(offset), problem, text.field))
    return errors


def warnings_for(brief: Brief, project: Project) -> list[ContentError]:
    """Things that are probably mistakes but do not stop a build: sources nobody cites."""
    cited: set[str] = set()

    def texts(sections):
        for section in sections:
            if section.body is not None:
                yield section.body
            yield from texts(section.sections)

    for text in ([brief.summary] if brief.summary else []) + list(texts(brief.sections)):
        for entry in text.entries:
            cited.update(m[1] for m in markdown.CITE_RE.finditer(entry.value))
    return [ContentError(s.mark, f"source {s.key!r} is never cited; cite it with [@{s.key}] "
                         "or remove it", f"sources.{s.key}", root=project.root)
            for s in brief.sources if s.key not in cited]


def check_templates(project: Project, brief: Brief) -> list[BriefError]:
    """Run every output up to its HTML (no layout): template mistakes surface here."""
    errors: list[BriefError] = []
    for audience in brief.audiences:
        for language in audience.languages:
            try:
                output_html(project, brief, audience, language)
            except BriefError as exc:
                errors.extend(_flatten(relocate(exc, project.root)))
    return list({e.format_message(): e for e in errors}.values())


def image_problem(folder: Path, src: str) -> str | None:
    """What is wrong with an image a brief uses, or None: it must be a PNG, JPEG, GIF or SVG file
    inside the brief's folder, within the size and pixel caps."""
    if not src or "://" in src or src.startswith("/") or ".." in src.split("/"):
        return f"image {src!r} must be a file in the brief's folder, e.g. ![…](chart.png)"
    path = folder / src
    if not path.is_file():
        return f"image {src!r} not found in {folder.name}/; add the file or fix the name"
    if not path.resolve().is_relative_to(folder.resolve()):
        return f"image {src!r} leads outside the brief's folder; copy the file into it"
    info = read_image_info(path)
    if info is None:
        return f"image {src!r} is not a PNG, JPEG, GIF or SVG file; convert it"
    if info.size > MAX_IMAGE_BYTES:
        return (f"image {src!r} is {info.size / 2**20:.0f} MiB, more than the "
                f"{MAX_IMAGE_BYTES // 2**20} MiB allowed; export it smaller")
    if (info.width * info.height > MAX_IMAGE_PIXELS or info.width > MAX_IMAGE_SIDE
            or info.height > MAX_IMAGE_SIDE):
        return (f"image {src!r} is {info.width} × {info.height} pixels, more than the "
                f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels allowed; scale it down (300 dpi "
                "at print size is enough)")
    return None


def check(project: Project, brief_ids: list[str] | None = None, *, strict: bool = False
          ) -> tuple[list[Brief], list[ContentError]]:
    """Validate the named briefs (all by default) and everything a build would use, rendering
    nothing; raise `BriefErrors` listing every problem. Returns the briefs and the warnings
    (which are errors too when `strict`)."""
    ids = brief_ids or project.brief_ids()
    if not ids:
        raise ContentError(Mark(project.content, 1), "no briefs found; create "
                           "content/<brief-id>/brief.yaml")
    briefs, errors, warnings = [], [], []
    for brief_id in ids:
        try:
            brief = load_brief(project, brief_id)
        except BriefError as exc:
            errors.extend(_flatten(exc))
            continue
        errors.extend(check_templates(project, brief))
        warnings.extend(warnings_for(brief, project))
        briefs.append(brief)
    if strict:
        errors.extend(warnings)
    if errors:
        raise BriefErrors(errors)
    return briefs, warnings


def output_html(project: Project, brief: Brief, audience: Audience, language: str
                ) -> tuple[str, tuple]:
    """One output's HTML (select → footnotes → html) and its numbered footnotes."""
    selection = select(brief, audience, language)
    tokens = [markdown.parse(text, language) for text in selection.texts]
    footnotes = number(tokens)
    document = build_document(selection, tokens)
    return render_html(document, audience.template, project.templates), footnotes


def pdf_options(brief: Brief, audience: Audience, language: str) -> dict:
    """WeasyPrint's write options: a stable file identifier so equal inputs give equal bytes."""
    import hashlib

    ident = hashlib.sha256(f"{brief.id}/{audience.name}/{language}".encode()).hexdigest()[:32]
    return {"pdf_identifier": ident.encode()}


def _settings(audience: Audience) -> str:
    """An audience's settings as text for the output digest (marks are where, not what)."""
    return repr(dataclasses.replace(audience, mark=None, max_pages_mark=None))


def build(project: Project, brief_ids: list[str] | None = None, *, strict: bool = False,
          force: bool = False, jobs: int | None = None, limits: RenderLimits | None = None,
          progress: Callable[[str, Output | None, BriefError | None], None] | None = None
          ) -> BuildResult:
    """Check, then render and write the outputs of the named briefs (all by default) whose
    inputs changed since the last build (all of them with `force`).

    A brief with any error (or, when `strict`, any warning) builds nothing. Outputs are rendered
    in parallel worker processes; one failing output does not stop the others. `progress` is
    called as each output is built ("built"), skipped ("skipped") or fails ("failed").
    """
    from .manifest import Manifest, brief_inputs_digest, output_digest
    from .workers import RenderJob, RenderPool

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
    pool: RenderPool | None = None
    try:
        for brief_id in ids:
            digest = brief_inputs_digest(project, brief_id)
            if not force and manifest.brief_is_current(brief_id, digest, project.out):
                for label in sorted(l for l in manifest.outputs if l.startswith(brief_id + ".")):
                    result.skipped.append(label)
                    notify("skipped", _output_for(project, label), None)
                continue
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
            _render_all(project, pool, jobs_to_run, manifest, result, failed_briefs, notify)
    finally:
        if pool is not None:
            pool.close()
    for brief_id, digest in brief_digests.items():
        if brief_id not in failed_briefs:
            manifest.record_brief(brief_id, digest)
    manifest.save()
    return result


def _output_for(project: Project, label: str) -> Output:
    brief_id, audience, language = label.rsplit(".", 2)
    return Output(brief_id, audience, language, project.output_path(brief_id, audience, language))


def _render_all(project, pool, jobs_to_run, manifest, result, failed_briefs, notify) -> None:
    """Render the jobs in the pool; write each PDF atomically as it arrives."""
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
        built = dataclasses.replace(output, pages=outcome.result.pages, seconds=outcome.seconds)
        manifest.record_output(outcome.job.label, digest, output.path)
        result.built.append(built)
        notify("built", built, None)
