"""check: composes load → model → select → footnotes → html for validation, rendering nothing.

`load_brief` validates one brief and the audiences it uses, reporting every problem at once;
`check` also runs every output up to its HTML, so template mistakes surface without WeasyPrint;
`output_html` is the HTML of one output, which `build` then lays out.
"""

from __future__ import annotations

from pathlib import Path

from . import markdown
from .defaults import Project
from .errors import BriefError, BriefErrors, ContentError, Mark, relocate
from .footnotes import number
from .html import build_document, render_html
from .load import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, load_yaml, read_image_info
from .model import Audience, Brief, build_brief
from .select import select


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
