"""preview: the PDFs a build wrote → page images and `out/<brief>/preview.html`, every output of
a brief side by side.

One column per PDF (each audience and language, and a booklet when there is one), one row per
page, each image labelled with its page number; each column's heading names the file, its page
count, its preflight summary, the count of its layout defects (`typeset`) and its warnings
(those the manifest keeps for it). Images are rendered with PDFium (pypdfium2) into
`out/<brief>/preview/`, named by the PDF's digest, so a reloaded page shows new pages and an
output whose PDF did not change is not rendered again; images no output shows any more are
removed. The page is self-contained (inline CSS), works as
a file:// page, and when `brief watch --preview` serves it (`serve.py`) it reloads itself when
`preview/version.txt` changes.

Beside the PDFs, the web edition: each page a build wrote as `out/<brief>/web/<lang>/index.html`
is linked and shown in a frame (relative, so as a file:// page too; `serve.py` serves the
folder). The page changes, and a served preview reloads, whenever a file under `web/` does.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import pikepdf
import pypdfium2

from ..errors import BriefError, WriteError
from ..make.preflight import preflight
from ..make.typeset.report import layout_defects, layout_summary
from ..project import OutputId, Project
from ..suggest import suggest
from .kinds import KINDS
from .manifest import FROM_LAST_BUILD, Manifest
from .write import remove, write_atomic

PREVIEW_DIR = "preview"  # inside out/<brief>/: the page images, state.json, version.txt
PAGE_NAME = "preview.html"  # out/<brief>/preview.html
VERSION_NAME = "version.txt"  # what a served page polls
STATE_NAME = "state.json"  # per PDF: its digest, pages, summary, title (nothing re-read)
DEFAULT_DPI = 72  # 1 pixel per point: shown at half size by default, sharp on a retina screen
IMAGE_SUFFIX = ".webp"
#: The image files this module writes (and alone removes): `<pdf stem>.<page>.<digest>.webp`.
IMAGE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.\d{3}\.[0-9a-f]{12}\.webp$")
_STATE_FORMAT = 1
WEB_DIR = "web"  # inside out/<brief>/: the web edition, one folder per language
WEB_PAGE = "index.html"  # out/<brief>/web/<lang>/index.html; out/<brief>/web/index.html chooses
#: A web page's language folder: a BCP 47 tag as the brief's languages are written.
WEB_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

_UI = Path(__file__).parent / "ui"


@dataclass(frozen=True, slots=True)
class PageImage:
    number: int  # from 1
    file: str  # name in out/<brief>/preview/
    width: float  # of the page, in points
    height: float


@dataclass(frozen=True, slots=True)
class Column:
    """One PDF of a brief, as its column of the preview shows it."""

    name: str  # file name, e.g. expert-advice.mep.de.pdf
    audience: str
    language: str
    booklet: bool  # the office copy imposed two pages a side, not an output of its own
    title: str  # from the PDF's metadata (content: escaped by the template)
    summary: str  # preflight's one line
    pages: tuple[PageImage, ...]
    warnings: tuple[str, ...] = ()  # `file:line: message`, relative to the project
    digest: str = ""  # of the PDF and the resolution; in every image's name
    layout: str = ""  # its layout defects counted (`typeset.report`); "" for a booklet


@dataclass(frozen=True, slots=True)
class WebView:
    """One page of the web edition, as the preview links and frames it."""

    language: str
    path: str  # relative to out/<brief>/: web/<lang>/index.html
    title: str  # the page's <title> (content: escaped by the template)
    size: int  # bytes of the HTML


@dataclass(frozen=True, slots=True)
class BriefPreview:
    """What `preview` made for one brief."""

    brief: str
    path: Path  # out/<brief>/preview.html
    columns: tuple[Column, ...]
    problems: tuple[str, ...]  # errors of the build just made, relative to the project
    version: str  # changes whenever the page does
    rendered: int = 0  # page images rendered this time
    removed: int = 0  # page images removed (their PDF changed or is gone)
    #: Why the page could not be written (a full disk, a read-only out/): the earlier page and
    #: images stay as they were.
    error: WriteError | None = None
    web: tuple[WebView, ...] = ()  # the web edition's pages, by language
    chooser: str = ""  # web/index.html, the web edition's language chooser, when there is one

    @property
    def pages(self) -> int:
        return sum(len(column.pages) for column in self.columns)


@dataclass
class _State:
    """out/<brief>/preview/state.json: per PDF (by file name) the column made from it."""

    columns: dict[str, Any] = field(default_factory=dict)  # as read from JSON

    @classmethod
    def load(cls, path: Path) -> _State:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != _STATE_FORMAT or not isinstance(data["columns"], dict):
                return cls()
            return cls(data["columns"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def column(self, name: str, digest: str, folder: Path) -> Column | None:
        """The column stored for a PDF with this digest, if every image of it is still there."""
        entry = self.columns.get(name)
        if not isinstance(entry, dict) or entry.get("digest") != digest:
            return None
        try:
            pages = tuple(PageImage(int(p["number"]), str(p["file"]), float(p["width"]),
                                    float(p["height"])) for p in entry["pages"])
            column = Column(str(entry["name"]), str(entry["audience"]), str(entry["language"]),
                            bool(entry["booklet"]), str(entry["title"]), str(entry["summary"]),
                            pages, (), digest)
        except (KeyError, TypeError, ValueError):
            return None
        if not all(IMAGE_RE.match(page.file) for page in pages):
            return None
        if not all((folder / page.file).is_file() for page in column.pages):
            return None
        return column

    def save(self, path: Path, columns: Iterable[Column]) -> None:
        data = {"format": _STATE_FORMAT,
                "columns": {c.name: {**asdict(c), "warnings": []} for c in columns}}
        write_atomic(path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode())


def preview_path(project: Project, brief_id: str) -> Path:
    return project.out / brief_id / PAGE_NAME


def preview(project: Project, brief_ids: list[str] | None = None, *,
            audiences: Sequence[str] = (), dpi: int = DEFAULT_DPI,
            failed: Iterable[tuple[str | OutputId, BriefError]] = ()) -> list[BriefPreview]:
    """Write the preview of each named brief (all by default) from the PDFs its last build left
    (those the manifest records; personal copies are left out), of the named `audiences` only
    if any. `failed` (a `BuildResult.failed`) is shown at the top of its brief's page: what the
    build just made failed, while the page shows the last good PDFs.

    A brief id or audience that names nothing is an error; a PDF that cannot be read is a
    problem on its page, not an error.
    """
    ids = project.requested_briefs(brief_ids)
    manifest = Manifest.load(project.out)
    known_briefs = {*project.brief_ids(), *manifest.brief_ids()}
    for brief_id in ids:
        if (problem := project.brief_id_problem(brief_id)) is not None:
            raise problem
        if brief_id not in known_briefs:
            raise BriefError(f"no brief {brief_id!r} to preview{suggest(brief_id, known_briefs)}"
                             f"; briefs: {', '.join(sorted(known_briefs)) or 'none'}")
    if audiences:
        known = {o.audience for b in ids for o in manifest.outputs_of(b)}
        unknown = [a for a in audiences if a not in known]
        if unknown:
            raise BriefError("; ".join(
                f"no output in audience {a!r} to preview{suggest(a, known)}" for a in unknown)
                + f"; audiences built: {', '.join(sorted(known)) or 'none (build first)'}")
    failures = list(failed)
    if brief_ids is None:
        remove_gone_previews(project)
    return [_brief_preview(project, manifest, brief_id, audiences=audiences, dpi=dpi,
                           errors=[error for what, error in failures
                            if (what if isinstance(what, str) else what.brief) == brief_id])
            for brief_id in ids]



def shown_files(project: Project, manifest: Manifest, brief_id: str
                ) -> list[tuple[OutputId, tuple[Path, ...]]]:
    """Every recorded output of a brief with the files its kind says the preview shows
    (`Kind.shown`: a PDF and its booklet, a web page), in the manifest's order: what a column of
    the preview may show, whatever the kind."""
    return [(output, shown) for output in manifest.outputs_of(brief_id)
            if (shown := KINDS[output.kind].shown(output, project.out))]

def _brief_preview(project: Project, manifest: Manifest, brief_id: str, *,
                   audiences: Sequence[str], dpi: int, errors: list[BriefError]
                   ) -> BriefPreview:
    folder = project.out / brief_id / PREVIEW_DIR
    state = _State.load(folder / STATE_NAME)
    problems = [line for error in errors for single in error.flat()
                for line in single.lines(project.root)]
    columns: list[Column] = []
    rendered = 0
    for output in manifest.outputs_of(brief_id):
        if output.kind != "pdf" or (audiences and output.audience not in audiences):
            continue  # page images are of PDFs; the other kinds' files: `shown_files`
        stored = manifest.stored_warnings(output)
        warnings = tuple(line.removesuffix(FROM_LAST_BUILD) for warning in stored
                         for line in warning.lines(project.root))
        layout = layout_summary(layout_defects(stored))
        pdf_path, booklet_path = output.files(project.out)
        documents = [(pdf_path, False, warnings), (booklet_path, True, ())]
        for pdf, booklet, notes in documents:
            if not pdf.is_file():
                continue
            try:
                column, count = _column(pdf, output, booklet, dpi=dpi, state=state,
                                        folder=folder)
            except WriteError as exc:  # the disk, not the PDF: nothing more can be written
                return replace(_unwritten(project, brief_id), error=exc)
            except (OSError, pypdfium2.PdfiumError, pikepdf.PdfError) as exc:
                problems.append(f"{project.relative(pdf)}: cannot be previewed ({exc})")
                continue
            columns.append(replace(column, warnings=notes, layout="" if booklet else layout))
            rendered += count
    # the web edition is no PDF audience's: a preview of some audiences' PDFs leaves it out
    web, chooser, web_digest = web_views(project.out / brief_id) if not audiences else (
        (), "", "")
    if not columns and not web and not problems:
        problems.append(f"no PDFs of {brief_id!r} in {project.relative(project.out)}/ yet; "
                        "run `brief build` (or `brief preview`)")
    version = hashlib.sha256(repr((columns, problems, web, chooser, web_digest)).encode()
                             ).hexdigest()[:16]
    path = preview_path(project, brief_id)
    result = BriefPreview(brief_id, path, tuple(columns), tuple(problems), version, rendered,
                          web=web, chooser=chooser)
    if _read(folder / VERSION_NAME) != version or not path.is_file():
        try:
            state.save(folder / STATE_NAME, columns)
            write_atomic(path, render_page(result).encode())
            write_atomic(folder / VERSION_NAME, version.encode())
        except WriteError as exc:
            return replace(result, error=exc)
    # after the page no longer shows them (an open page may still ask for them meanwhile)
    removed = _remove_stale(folder, {page.file for c in columns for page in c.pages})
    return replace(result, removed=removed)


class _Title(HTMLParser):
    """The text of a page's first <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: str | None = None
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and self.title is None:
            self._inside, self.title = True, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside and self.title is not None:
            self.title += data


def _title(html: bytes) -> str:
    parser = _Title()
    parser.feed(html.decode("utf-8", "replace"))
    return " ".join((parser.title or "").split())


def web_views(folder: Path) -> tuple[tuple[WebView, ...], str, str]:
    """The web edition in a brief's out/ folder: its pages by language, its language chooser
    (its path, or ""), and a digest of every file under web/ (names, sizes, times: it changes
    whenever a build rewrites one, a stylesheet or a font as much as a page)."""
    web = folder / WEB_DIR
    if not web.is_dir():
        return (), "", ""
    views = []
    for page in sorted(web.glob(f"*/{WEB_PAGE}")):
        language = page.parent.name
        if not WEB_LANGUAGE_RE.match(language) or not page.is_file():
            continue
        try:
            html = page.read_bytes()
        except OSError:
            continue
        views.append(WebView(language, f"{WEB_DIR}/{language}/{WEB_PAGE}", _title(html),
                             len(html)))
    chooser = f"{WEB_DIR}/{WEB_PAGE}" if (web / WEB_PAGE).is_file() else ""
    files = []
    for root, _, names in os.walk(web):
        for name in names:
            with contextlib.suppress(OSError):
                stat = (Path(root) / name).stat()
                files.append((os.path.relpath(Path(root) / name, web), stat.st_size,
                              stat.st_mtime_ns))
    digest = hashlib.sha256(repr(sorted(files)).encode()).hexdigest()[:16]
    return tuple(views), chooser, digest


def _unwritten(project: Project, brief_id: str) -> BriefPreview:
    """What is said of a brief whose preview could not be written."""
    return BriefPreview(brief_id, preview_path(project, brief_id), (), (), "")


def remove_gone_previews(project: Project) -> list[Path]:
    """Remove the previews of briefs that no longer exist (renamed or deleted): the files this
    module wrote, and the folders that leaves empty. The pages removed."""
    existing = {*project.brief_ids(), *project.misnamed_brief_ids()}
    pages = sorted(project.out.glob(f"*/{PAGE_NAME}")) if project.out.is_dir() else []
    return [page for page in pages
            if page.parent.name not in existing and remove_preview(project, page.parent.name)]


def remove_preview(project: Project, brief_id: str) -> bool:
    """Remove one brief's preview (`brief clean --all`, a brief gone): the page, the images and
    files this module wrote, and the folders that leaves empty. Whether there was one."""
    page = project.out / brief_id / PAGE_NAME
    if not page.is_file():
        return False
    folder = page.parent / PREVIEW_DIR
    _remove_stale(folder, set())
    for name in (STATE_NAME, VERSION_NAME):
        remove(folder / name)
    remove(page)
    for empty in (folder, page.parent):
        with contextlib.suppress(OSError):  # not empty: something else is in it
            empty.rmdir()
    return True


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _column(pdf: Path, output: OutputId, booklet: bool, *, dpi: int, state: _State,
            folder: Path) -> tuple[Column, int]:
    """A PDF's column: the stored one when the PDF is unchanged, else rendered now. With how
    many page images were rendered."""
    data = pdf.read_bytes()
    digest = hashlib.sha256(data + f"\0{dpi}".encode()).hexdigest()[:12]
    stored = state.column(pdf.name, digest, folder)
    if stored is not None:
        return stored, 0
    summary = (f"{pages_of(data)} sides · {len(data) / 1024:.0f} kB · the office copy, two pages a"
               " side" if booklet else preflight(data).summary())
    document = pypdfium2.PdfDocument(data)
    try:
        title = str(document.get_metadata_dict().get("Title", ""))
        pages = []
        for index in range(len(document)):
            page = document[index]
            try:
                width, height = page.get_size()
                image = page.render(scale=dpi / 72).to_pil()
            finally:
                page.close()
            buffer = io.BytesIO()
            image.save(buffer, "WEBP", quality=80, method=2)  # method 4: 20 % slower, 2 % smaller
            name = f"{pdf.stem}.{index + 1:03d}.{digest}{IMAGE_SUFFIX}"
            write_atomic(folder / name, buffer.getvalue())
            pages.append(PageImage(index + 1, name, round(width, 2), round(height, 2)))
    finally:
        document.close()
    return Column(pdf.name, output.audience, output.language, booklet, title,
                  summary, tuple(pages), (), digest), len(pages)


def pages_of(pdf: bytes) -> int:
    """How many pages a PDF has."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def _remove_stale(folder: Path, keep: set[str]) -> int:
    """Remove the page images this module wrote that no column shows any more."""
    removed = 0
    if folder.is_dir():
        for path in folder.iterdir():
            if IMAGE_RE.match(path.name) and path.name not in keep:
                # gone already, or out/ is read-only (then the next preview tries again)
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
    return removed


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    cells: tuple[PageImage | None, ...]  # one per column


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(_UI), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True)


def render_page(preview: BriefPreview) -> str:
    """The HTML of a brief's preview page (images relative to it, in preview/)."""
    columns = preview.columns
    rows = [_Row(n, tuple(c.pages[n - 1] if n <= len(c.pages) else None for c in columns))
            for n in range(1, max((len(c.pages) for c in columns), default=0) + 1)]
    return _environment().get_template("preview.html.j2").render(
        preview=preview, rows=rows, waiting=False, folder=PREVIEW_DIR,
        version_url=f"{PREVIEW_DIR}/{VERSION_NAME}")


def render_waiting(brief_id: str) -> str:
    """A page for a brief whose preview is not written yet: it reloads once it is."""
    return _environment().get_template("preview.html.j2").render(
        preview=BriefPreview(brief_id, Path(PAGE_NAME), (), (), ""), rows=[], waiting=True,
        folder=PREVIEW_DIR, version_url=f"{PREVIEW_DIR}/{VERSION_NAME}")


def render_index(briefs: Sequence[str], version: str) -> str:
    """The page listing the briefs `brief watch --preview` serves."""
    return _environment().get_template("index.html.j2").render(
        briefs=briefs, page=PAGE_NAME, version=version, version_url="index.version")
