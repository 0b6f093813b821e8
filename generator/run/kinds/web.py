"""kinds.web: the web edition of an audience whose `medium` is `web` — one page per language,
`out/<brief>/web/<language>/index.html`, every file it needs under `out/<brief>/web/`, and the
language chooser `out/<brief>/web/index.html` (docs: the web interface, generator/web/). Made
in the main process by the web renderer (`render_page`, `render_index`: no layout engine, no
worker), after the brief's PDFs: its downloads list their pages and sizes."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from ...errors import BriefError, Bug, WriteError
from .pdf import WEB_MEDIUM

if TYPE_CHECKING:
    from ...project import OutputId, Project
    from ...read.model import Audience, Brief
    from ..manifest import Manifest

log = logging.getLogger(__name__)

WEB_DIR = "web"
PAGE = "index.html"
#: The end of a web output's manifest key (`<audience>/<language>/@web`): a recipient's id
#: never starts with @, so no key of another kind ends so.
SUFFIX = "@web"


def folder(brief: str, out: Path) -> Path:
    """The brief's web edition: `out/<brief>/web/`, which can be copied to any static host."""
    return out / brief / WEB_DIR


class _Web:
    @property
    def name(self) -> Literal["web"]:
        return "web"

    def key(self, output: OutputId) -> str:
        return f"{output.audience}/{output.language}/{SUFFIX}"

    def path(self, output: OutputId, out: Path) -> Path:
        return folder(output.brief, out) / output.language / PAGE

    def files(self, output: OutputId, out: Path) -> tuple[Path, ...]:
        return (self.path(output, out),)

    def outputs(self, brief: Brief) -> Iterator[tuple[OutputId, Audience]]:
        """One per audience for the web and language (its own, else every one of the brief)."""
        from ...project import OutputId  # noqa: PLC0415  # project imports this package

        for audience in brief.audiences:
            if audience.medium != WEB_MEDIUM:
                continue
            for language in audience.languages or brief.languages:
                yield OutputId(brief.id, audience.name, language, kind="web"), audience

    def shown(self, output: OutputId, out: Path) -> tuple[Path, ...]:
        path = self.path(output, out)
        return (path,) if path.is_file() else ()


WEB = _Web()


# ---------------------------------------------------------------------------------------------
# Making the pages: the renderer's interface (docs: the web interface), planned and run by
# `build` through the scheduler's writing (`scheduler.write_files`), after the brief's PDFs.

class Page(Protocol):
    """What the renderer gives for one page (`generator.web.WebPage`)."""

    @property
    def html(self) -> str: ...
    @property
    def files(self) -> Mapping[str, bytes]: ...
    @property
    def footnotes(self) -> int: ...
    @property
    def warnings(self) -> tuple[BriefError, ...]: ...


class Renderer(Protocol):
    """The web renderer, as the kind calls it (`generator.web`'s functions and `Download`)."""

    def download(self, audience: str, path: str, pages: int, size: int) -> object: ...

    def render_page(self, project: Project, brief: Brief, audience: Audience, language: str,
                    *, published: tuple[str, ...], downloads: tuple[object, ...],
                    draft: bool = False) -> Page: ...

    def render_index(self, project: Project, brief: Brief, audience: Audience,
                     published: tuple[str, ...]) -> bytes: ...


class _Made:
    """`generator.make.web` as a `Renderer` (a test may hand `make_pages` a stand-in)."""

    def download(self, audience: str, path: str, pages: int, size: int) -> object:
        from ...make import web  # noqa: PLC0415  # deferred: see generator/__init__.py

        return web.Download(audience, path, pages, size)

    def render_page(self, project: Project, brief: Brief, audience: Audience, language: str,
                    *, published: tuple[str, ...], downloads: tuple[object, ...],
                    draft: bool = False) -> Page:
        from ...make import web  # noqa: PLC0415  # deferred: see generator/__init__.py

        return web.render_page(project, brief, audience, language, published=published,
                               downloads=tuple(d for d in downloads
                                               if isinstance(d, web.Download)),
                               draft=draft)

    def render_index(self, project: Project, brief: Brief, audience: Audience,
                     published: tuple[str, ...]) -> bytes:
        from ...make import web  # noqa: PLC0415  # deferred: see generator/__init__.py

        return web.render_index(project, brief, audience, published)


@dataclass(frozen=True, slots=True)
class WebPlan:
    """A brief's web audiences, to be made once its PDFs are written."""

    brief: Brief
    audiences: tuple[Audience, ...]
    draft: bool = False


@dataclass(frozen=True, slots=True)
class MadePage:
    """One web output as made (or found up to date, `current`), or why it failed."""

    output: OutputId
    error: BriefError | Bug | None = None  # a Bug: the tool's mistake, reported as one
    warnings: tuple[BriefError, ...] = ()
    footnotes: int = 0
    draft: bool = False
    current: bool = False
    seconds: float = 0.0  # rendering it


def plan_pages(brief: Brief, *, draft: bool = False) -> WebPlan | None:
    """The brief's web audiences (None when it has none)."""
    audiences = tuple(a for a in brief.audiences if a.medium == WEB_MEDIUM)
    return WebPlan(brief, audiences, draft) if audiences else None


def warm(project: Project, plans: list[WebPlan]) -> threading.Thread | None:
    """Start making the font subsets the plans' pages will ask for (`web.warm_fonts`) in a
    thread, while the PDFs render in the workers (the main process only waits for them then):
    the pages, made after the PDFs, find their subsets made. None without a plan."""
    audiences = [(plan.brief, audience) for plan in plans for audience in plan.audiences]
    if not audiences:
        return None
    thread = threading.Thread(target=_warm, args=(project, audiences), name="web-fonts",
                              daemon=True)
    thread.start()
    return thread


def _warm(project: Project, audiences: list[tuple[Brief, Audience]]) -> None:
    from ...make import web  # noqa: PLC0415  # deferred: see generator/__init__.py

    for brief, audience in audiences:
        try:
            web.warm_fonts(project, brief, audience)
        except Exception:  # the page's own render meets it and reports it
            log.debug("warming the web fonts of %s failed", brief.id, exc_info=True)


def downloads_for(project: Project, manifest: Manifest, brief: Brief, language: str,
                  renderer: Renderer, *, failed: Collection[OutputId] = ()
                  ) -> tuple[tuple[object, ...], tuple[str, ...]]:
    """The brief's PDFs in `language` that are written and recorded, but for those that
    failed in this run (their old file is not what the brief now says): audience, path
    relative to out/<brief>/, pages and size; and each one's SHA-256, for the page's digest."""
    found, checksums = [], []
    for output in manifest.outputs_of(brief.id):
        if output.kind != "pdf" or output.language != language or output in failed \
                or not manifest.is_recorded_file(output):
            continue
        path = project.output_path(output)
        found.append(renderer.download(output.audience, str(path.relative_to(
            project.out / brief.id)), manifest.pages(output) or 0, os.path.getsize(path)))
        checksums.append(manifest.sha256(output))
    return tuple(found), tuple(checksums)


def make_pages(project: Project, plan: WebPlan, manifest: Manifest, *, force: bool = False,
               strict: bool = False, renderer: Renderer | None = None,
               only: Collection[str] | None = None, inputs: str | None = None,
               failed: Collection[OutputId] = ()) -> Iterator[MadePage]:
    """Make the plan's pages whose inputs changed: each language the brief is complete in
    (with the plan's `draft`, the others too, marked draft), its files written under
    out/<brief>/web/ (the language chooser with them) and recorded; one page failing does not
    stop the others. With `strict` a page with warnings fails. With `only`, only the pages
    in those languages (the others another time: `build` makes a language's pages once its
    PDFs are written). `inputs` is the brief's digest as it was read (default: as it is now);
    a PDF in `failed` (this run's) is not offered."""
    from ...project import OutputId  # noqa: PLC0415  # project imports this package
    from ...read.select import select  # noqa: PLC0415  # deferred: see generator/__init__.py
    from ..build import audience_settings  # noqa: PLC0415  # build imports this module
    from ..manifest import brief_inputs_digest  # noqa: PLC0415  # it imports project, which imports this package
    from ..pipeline import output_gaps  # noqa: PLC0415  # deferred: see generator/__init__.py
    from ..scheduler import failure, write_files  # noqa: PLC0415  # it imports project, which imports this package

    brief = plan.brief
    if inputs is None:
        inputs = brief_inputs_digest(project, brief.id)
    for audience in plan.audiences:
        languages = audience.languages or brief.languages
        complete = tuple(lang for lang in languages
                         if not output_gaps(select(brief, audience, lang)))
        published = languages if plan.draft else complete
        index: bytes | None = None  # the language chooser: the same for each page
        for language in published:
            if only is not None and language not in only:
                continue
            output = OutputId(brief.id, audience.name, language, kind="web")
            draft = language not in complete
            try:
                renderer = renderer or _Made()
                downloads, pdfs = downloads_for(project, manifest, brief, language, renderer,
                                                failed=failed)
                digest = hashlib.sha256("\0".join((
                    inputs, audience_settings(audience), language, repr(published),
                    repr(downloads), repr(pdfs), repr(draft))).encode()).hexdigest()
                if not force and manifest.output_is_current(output, digest) \
                        and len(manifest.extra_files(output)) \
                        == len(manifest.extra_checksums(output)):  # its files all intact
                    yield MadePage(output, current=True, draft=draft)
                    continue
                started = time.perf_counter()
                page = renderer.render_page(project, brief, audience, language,
                                            published=published, downloads=downloads,
                                            draft=draft)
                seconds = time.perf_counter() - started
                root = folder(brief.id, project.out)
                if index is None:
                    index = renderer.render_index(project, brief, audience, published)
            except (BriefError, Bug) as exc:  # this page's: the others and the PDFs go on
                yield MadePage(output, exc)
                continue
            refused = failure(list(page.warnings), strict=strict)
            if refused is not None:
                yield MadePage(output, refused)
                continue
            files = [(WEB.path(output, project.out), page.html.encode("utf-8")),
                     (root / PAGE, index),
                     *((root / name, data) for name, data in sorted(page.files.items()))]
            stale = _dropped(manifest, output, brief.id, {path for path, _ in files})
            if not force and _same_as_written(manifest, output, files):  # the same bytes again
                manifest.record_output(output, digest, warnings=page.warnings,
                                       sha256=manifest.sha256(output),
                                       extra=_checksums(files[1:]))
                yield MadePage(output, warnings=page.warnings, current=True, draft=draft)
                continue
            written = write_files(manifest, output, files, stale=stale)
            if isinstance(written, WriteError):
                yield MadePage(output, written)
                continue
            manifest.record_output(output, digest, warnings=page.warnings, sha256=written[0],
                                   extra=dict(zip([path for path, _ in files[1:]], written[1:],
                                                  strict=True)))
            yield MadePage(output, warnings=page.warnings, footnotes=page.footnotes,
                           draft=draft, seconds=seconds)


def _dropped(manifest: Manifest, output: OutputId, brief_id: str, kept: set[Path]
             ) -> list[Path]:
    """The files a page was written with last time and is no longer (a PDF no longer made, a
    font, an image it stopped using) that no other output of the brief was written with, and
    that are still the bytes brief wrote: removed with the page's new files."""
    others: set[Path] = set()
    for other in manifest.outputs_of(brief_id):
        if other != output:
            others.update(manifest.extra_checksums(other))
    return [path for path in manifest.extra_files(output)
            if path not in kept and path not in others]


def _checksums(files: list[tuple[Path, bytes]]) -> dict[Path, str]:
    """Each file's SHA-256, by its path."""
    return {path: hashlib.sha256(data).hexdigest() for path, data in files}


def _same_as_written(manifest: Manifest, output: OutputId, files: list[tuple[Path, bytes]]
                     ) -> bool:
    """Whether a page rendered again is what brief wrote and recorded last time, file for file
    (a brief's change in another language, or in what no page prints: its digest changed, its
    bytes did not), so that it need not be written again."""
    if not manifest.is_recorded_file(output):
        return False
    (_, html), *others = files
    return hashlib.sha256(html).hexdigest() == manifest.sha256(output) \
        and set(manifest.extra_files(output)) == {path for path, _ in others} \
        and _checksums(others) == manifest.extra_checksums(output)
