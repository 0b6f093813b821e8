"""pdf: HTML + an audience's stylesheets → PDF bytes, laid out by WeasyPrint and checked.

After layout and before writing, the output is checked: every footnote must sit on the page of its
call, none may be lost, and the page budget must hold. Any WeasyPrint warning or error fails the
output. Fonts come only from the project (`styles/fonts/`): fontconfig is pointed at that folder
before WeasyPrint is imported, so the machine's fonts can never fill in. Resources are fetched
only from the project's content/, styles/ and templates/ folders, or from data: URLs.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import io
import itertools
import logging
import mimetypes
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

import pikepdf

from .. import files
from ..errors import BriefError, Mark, RenderError, raise_all
from ..project import FONTS_DIR, LETTER_TEMPLATE, Layers, Project
from ..read.brand import DEFAULT, Brand, brand_files
from ..read.model import Audience
from ..text.hyphenation import register as register_hyphenation
from ..text.typography.compounds import plain
from .brand import brand_css, conversion_note, converted, needs_css, print_svg, unconverted
from .finish import finish
from .impose import impose_booklet, sheet_mm
from .standards.base import FinishContext, lookup
from .standards.x4 import PRINT_CONDITIONS
from .structure import ALLOWED_SCHEMES, link_targets
from .typeset import Context, Defect, Draft, Laid, Settled, find_all, fit, settle
from .typeset.carry import Guess, GuessMissed
from .typeset.pages import Parents, opening_section, selector
from .weasy_patches import install as install_weasy_patches

log = logging.getLogger(__name__)

#: How many times an output is laid out again to keep footnotes with their calls.
MAX_LAYOUT_HINTS = 8

#: A page whose body ends with more than this share of it empty, because the figure that follows
#: did not fit, is filled with the text after the figure (see `_lay_out_figures`).
FIGURE_GAP = 0.2
#: How many times a figure may be moved one paragraph further down.
MAX_FIGURE_MOVES = 6

#: Largest single resource (image, stylesheet, font) a build may read.
MAX_RESOURCE_BYTES = 20 * 1024 * 1024

#: Projects whose render session a process keeps (a worker serves one), and parsed sets of
#: stylesheets per session: `brief watch` parses a stylesheet again after every save, so only
#: the most recently used are kept.
MAX_SESSIONS = 4
MAX_STYLESHEET_SETS = 16

#: A tail of a refused URL shorter than this is too common to search the files for.
MIN_URL_TAIL = 4

#: WeasyPrint's objects (HTML, CSS, Document, boxes, fetcher, font configuration): untyped.
WeasyPrintObject = Any


#: The class of the element a booklet's blank pages go before (the back cover), and of each
#: blank page put there; when a template has no back cover, they go at the end.
BACK_COVER_CLASS = "back-cover"
BLANK_PAGE_CLASS = "brief-blank-page"

_MARGIN_BOXES = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
                 "right-top", "right-middle", "right-bottom", "bottom-right-corner",
                 "bottom-right", "bottom-center", "bottom-left", "bottom-left-corner",
                 "left-bottom", "left-middle", "left-top")

#: A blank page: a page of its own, named so that no running header or footer prints on it.
BLANK_PAGE_CSS = (f".{BLANK_PAGE_CLASS} {{ page: brief-blank; break-before: page; "
                  "break-after: page; margin: 0; padding: 0; border: 0; height: 0; }\n"
                  "@page brief-blank { background: none; "
                  + " ".join(f"@{box} {{ content: none; }}" for box in _MARGIN_BOXES) + " }\n")


@dataclass(frozen=True, slots=True)
class RenderResult:
    pdf: bytes
    pages: int
    footnotes: int
    blank_pages: int = 0  # added to make a booklet a multiple of 4 pages
    booklet: bytes | None = None  # the pages imposed for folding (`print: {imposition: …}`)
    starts: tuple[int, ...] = ()  # with `anchors`: the page index each anchor is on
    notes: tuple[str, ...] = ()  # about the machine, not the output (`environment_note`)
    defects: tuple[Defect, ...] = ()  # the typesetting rules' defects left after repairs
    fitted: tuple[str, ...] = ()  # the steps taken to fit its pages (`fit:`, typeset/fit.py)
    #: every file of the project rendering it read through the gate (`files.recording`),
    #: relative to the project: what its digest covers (`manifest.output_digest`)
    read: tuple[str, ...] = ()
    #: the draft laid out for the PDF (the HTML with the repairs kept, and their CSS): what a
    #: watch carries to the output's next HTML (`typeset.carry`)
    settled: Draft | None = None


class PartsTooLong(Exception):
    """Parts of a batch (`render_pdf(…, anchors=…)`) over the page budget: their indexes in
    `anchors` and their pages."""

    def __init__(self, long: tuple[tuple[int, int], ...]) -> None:
        super().__init__(long)
        self.long = long


def isolate_fonts(project: Project) -> None:
    """Make fontconfig see only the project's fonts (must run before WeasyPrint is imported)."""
    if os.environ.get("BRIEF_FONTCONFIG_FOR") == str(project.fonts):
        return
    os.environ["FONTCONFIG_FILE"] = str(_fontconfig_file(project))
    os.environ["BRIEF_FONTCONFIG_FOR"] = str(project.fonts)


def _fontconfig_file(project: Project) -> Path:
    """A fontconfig configuration with the fonts folder as its only one: the project's, or
    the packaged one when the project has none (`Project.style_layers`). When the fonts are
    chosen from both layers (the project's font of a name replacing the packaged one), or the
    gate refuses anything among them (a link leading out, a FIFO: fontconfig would open it
    while it scans the folder, which WeasyPrint's import does), a folder of links to the fonts
    chosen and accepted instead: the render then fails at what was refused (`font_files`), and
    the next session reads the project's folder again."""
    cache = Path(tempfile.gettempdir()) / f"brief-fontconfig-{os.getuid()}"
    cache.mkdir(exist_ok=True)
    layers = project.style_layers
    found = layers.walk(FONTS_DIR)  # the project's font of a name, else the packaged one
    accepted = [Path(os.path.realpath(path)) for folder, path in found
                if files.problem(folder, path, limit=None) is None]
    used = sorted({folder for folder, _ in found})  # the layers the fonts come from
    every = sum(len(files.walk(folder / FONTS_DIR)) for folder in layers.folders)
    folder = (used[0] if used else project.styles) / FONTS_DIR
    if len(accepted) < len(found) or every > len(found) or len(used) > 1:
        # something refused, a packaged font the project's replaces, or fonts of both layers:
        # fontconfig sees exactly the fonts chosen
        digest = hashlib.sha256("\0".join(map(str, accepted)).encode()).hexdigest()[:16]
        folder = cache / f"accepted-{digest}"
        folder.mkdir(exist_ok=True)
        for number, real in enumerate(accepted):
            with contextlib.suppress(FileExistsError):
                (folder / f"{number:04d}-{real.name}").symlink_to(real)
    text = ("<?xml version='1.0'?>\n<!DOCTYPE fontconfig SYSTEM 'fonts.dtd'>\n<fontconfig>\n"
            f"  <dir>{_xml(str(folder))}</dir>\n  <cachedir>{_xml(str(cache))}</cachedir>\n"
            "</fontconfig>\n")
    # one file per configuration: projects built at once (other users of the machine, tests)
    # must not overwrite each other's before their fontconfig reads it
    conf = cache / f"fonts-{hashlib.sha256(text.encode()).hexdigest()[:16]}.conf"
    if not conf.exists() or conf.read_text() != text:
        tmp = conf.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text)
        os.replace(tmp, conf)
    return conf


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def page_css(audience: Audience) -> str:
    """The page geometry an audience sets in audiences.yaml, as CSS laid over its stylesheets."""
    rules = [f"size: {audience.page.css};"]
    if audience.bleed_mm:
        rules.append(f"bleed: {audience.bleed_mm:g}mm;")
    # Marks are drawn afterwards, outside the bleed (see finish.py), not by WeasyPrint.
    return "@page { " + " ".join(rules) + " }\n"


K = TypeVar("K")
V = TypeVar("V")
FileStates = tuple[tuple[str, int, int], ...]  # (path, mtime in ns, size) of each file
Stylesheets = tuple[list[WeasyPrintObject], dict[str, WeasyPrintObject]]  # CSS, colour profiles


@dataclass
class _Session:
    """What renders of one project can share: the fetcher, fonts and parsed stylesheets
    (parsing the stylesheets and loading their fonts is ~25 ms a render)."""

    fetcher: WeasyPrintObject
    font_config: WeasyPrintObject
    fonts: tuple[tuple[str, int], ...]  # the font files (name, mtime) it was made for
    stylesheets: dict[FileStates, Stylesheets] = field(default_factory=dict)
    #: per parsed set of stylesheets: the files their parsing fetched (`files.note`), with
    #: their state then: a change to one parses the set again
    fetched: dict[FileStates, FileStates] = field(default_factory=dict)
    #: the identity's stylesheet (`make.brand.brand_css`), parsed once per (brand.digest, cmyk)
    brand_sheets: dict[tuple[str, str], tuple[WeasyPrintObject, str]] = field(
        default_factory=dict)


_SESSIONS: dict[Path, _Session] = {}


def _remember(cache: dict[K, V], key: K, value: V, limit: int) -> V:
    """Store `value` as the most recently used entry of a cache that keeps `limit` entries,
    dropping the least recently used."""
    cache.pop(key, None)
    cache[key] = value
    while len(cache) > limit:
        del cache[next(iter(cache))]
    return value


def _session(project: Project) -> _Session:
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415  # deferred: see generator/__init__.py

    fonts = font_files(project)
    session = _SESSIONS.get(project.root)
    if session is None or session.fonts != fonts:
        # FontConfiguration loads fontconfig's configuration again: the folder, now accepted
        os.environ["FONTCONFIG_FILE"] = str(_fontconfig_file(project))
        before = list(_SESSIONS.values())
        styles, templates = project.style_layers, project.template_layers
        fetcher = _fetcher_class()((project.content, *styles.folders, *templates.folders),
                                   (styles, templates))
        session = _remember(_SESSIONS, project.root,
                            _Session(fetcher, FontConfiguration(), fonts), MAX_SESSIONS)
        for dropped in before:
            if all(dropped is not kept for kept in _SESSIONS.values()):
                _close(dropped)
    return session


def font_files(project: Project) -> tuple[tuple[str, int], ...]:
    """The files fontconfig may read in styles/fonts/ (and its folders) of styles/'s layers
    (the project's own file of a name, else the packaged one), with their modification times;
    a link leading out of styles/, a linked folder, a FIFO or a device among them is an error
    at its own path (fontconfig would read it: only the project's fonts may be used)."""
    found = []
    errors: list[BriefError] = []
    for folder, path in project.style_layers.walk(FONTS_DIR):
        try:
            real = files.inside(folder, path, what=f"font {path.name!r}", limit=None)
        except files.Refused as exc:
            errors.append(RenderError(exc.mark, f"{exc.problem} (fontconfig would read it)"))
            continue
        found.append((str(path.relative_to(folder / FONTS_DIR)), real.stat().st_mtime_ns))
    raise_all(errors)
    return tuple(found)


def _close(session: _Session) -> None:
    """Remove the temporary folder of a session's fonts now. WeasyPrint removes it when its
    font configuration is finalised (`FontConfiguration.__del__`), which for one kept until the
    interpreter shuts down may fail ("Exception ignored in …", its modules half gone) or never
    happen (a worker killed): a folder left in /tmp each time."""
    folder = getattr(session.font_config, "_folder", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        session.font_config._folder = None  # nothing left for __del__ to do
    session.stylesheets.clear()
    session.brand_sheets.clear()


def close_sessions() -> None:
    """Close every render session (`_close`): at exit (registered with `atexit`, which runs
    while the interpreter is whole), and when a worker stops."""
    sessions = list(_SESSIONS.values())
    _SESSIONS.clear()
    for session in sessions:
        _close(session)


atexit.register(close_sessions)


def _stylesheets(session: _Session, project: Project, audience: Audience,
                 collector: _Collector, output_name: str, *, brand: Brand = DEFAULT
                 ) -> Stylesheets:
    """The audience's parsed stylesheets and the colour profiles they declare, parsed once per
    state of the files; a warning or a refused URL while parsing is located in its file. The
    files their parsing fetched (fonts, images) are noted as read again when they come from the
    cache (`files.note`), so that every output's record of what it read has them. The
    identity's stylesheet comes last (`_brand_sheet`: its values win over theirs)."""
    _use_brand(session, project, brand, audience)
    found = [project.stylesheet(name) for name in audience.stylesheets]  # from its layer
    reals = [files.inside(folder, p, what=f"stylesheet {p.name!r}") for folder, p in found]
    key = tuple((str(p), (st := real.stat()).st_mtime_ns, st.st_size)
                for (_, p), real in zip(found, reals, strict=True))
    fetched_before = session.fetched.get(key, ())
    if key not in session.stylesheets or _file_states(fetched_before) != fetched_before:
        # never parsed in this state, or a file it fetched (an @import, a colour profile, a
        # font) changed since: parsed again
        color_profiles: dict[str, WeasyPrintObject] = {}
        sheets: list[WeasyPrintObject] = []
        with files.recording() as fetched:
            _parse_stylesheets(session, found, sheets=sheets,
                               color_profiles=color_profiles, collector=collector,
                               output_name=output_name)
        session.fetched[key] = _file_states(tuple((str(f), 0, 0) for f in sorted(fetched)))
    else:
        sheets, color_profiles = session.stylesheets[key]
        files.note(Path(name) for name, _, _ in fetched_before)
    _remember(session.stylesheets, key, (sheets, color_profiles), MAX_STYLESHEET_SETS)
    brand_sheet: list[WeasyPrintObject] = []
    if needs_css(brand):
        sheet, note = _brand_sheet(session, project, brand, audience)
        brand_sheet.append(sheet)
        if note:
            collector.notes[note] = None
    return [*sheets, *brand_sheet], color_profiles


def _file_states(states: FileStates) -> FileStates:
    """The files named in `states` as they are now: (path, mtime in ns, size); (path, -1, -1)
    for one that is gone."""
    found = []
    for name, _, _ in states:
        try:
            st = os.stat(name)
        except OSError:
            found.append((name, -1, -1))
        else:
            found.append((name, st.st_mtime_ns, st.st_size))
    return tuple(found)


def _parse_stylesheets(session: _Session, paths: list[tuple[Path, Path]], *,
                       sheets: list[WeasyPrintObject],
                       color_profiles: dict[str, WeasyPrintObject], collector: _Collector,
                       output_name: str) -> None:
    """Parse the stylesheets (read through the gate, never by WeasyPrint: no
    `CSS(filename=…)`) into `sheets`; a warning or a refused URL is located in its file."""
    import weasyprint  # noqa: PLC0415  # deferred: see generator/__init__.py
    from weasyprint.urls import FatalURLFetchingError  # noqa: PLC0415  # deferred: see generator/__init__.py

    for folder, path in paths:  # each inside its layer's folder
        text = files.read_text(folder, path, what=f"stylesheet {path.name!r}")
        try:
            sheets.append(weasyprint.CSS(string=text, base_url=path.as_uri(),
                                         url_fetcher=session.fetcher,
                                         font_config=session.font_config,
                                         color_profiles=color_profiles))
        except FatalURLFetchingError as exc:
            mark = _mark_of_url(path, str(exc))
            raise RenderError(Mark(mark.path, mark.line or 1, mark.col),
                              f"{exc} (in {output_name}); remove the reference") from None
        if collector.messages:  # CSS is parsed here: blame this stylesheet
            raise _stylesheet_error(path, collector.messages, output_name)


def _fetcher_class() -> type[WeasyPrintObject]:
    """The URL fetcher of renders (a subclass of WeasyPrint's, so made once WeasyPrint is
    imported)."""
    from weasyprint.urls import (  # noqa: PLC0415  # deferred: see generator/__init__.py
        FatalURLFetchingError,
        URLFetcher,
        URLFetcherResponse,
    )

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped: Any
        """Serves file: URLs inside the allowed folders and data: URLs; refuses everything else."""

        def __init__(self, allowed: tuple[Path, ...], layers: tuple[Layers, ...] = ()) -> None:
            super().__init__(timeout=5, allowed_protocols=("file", "data"),
                             allow_redirects=False, fail_on_errors=True)
            self.allowed = tuple(p.resolve() for p in allowed)
            #: the identity's logo and font files (`brand_files`), by real path, each read
            #: through the gate as a file of the project's root: those, and no other file
            #: outside the allowed folders (set per render, `render_pdf`)
            self.brand_files: dict[Path, Path] = {}
            self.root: Path | None = None
            #: on a PDF/X output, what an SVG of the identity's becomes (`brand.print_svg`:
            #: its colours as inks); None otherwise (set per render, `_use_brand`)
            self.print_svg: Callable[[bytes], bytes] | None = None
            self.layers = layers  # a file missing in a layer is looked for in the next

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> WeasyPrintObject:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                if not re.match(r"data:image/(png|jpeg|gif|svg\+xml)[;,]", url, re.IGNORECASE):
                    raise FatalURLFetchingError("refused a data: URL that is not a PNG, JPEG, "
                                                "GIF or SVG image")
                if len(url) > MAX_RESOURCE_BYTES:
                    raise FatalURLFetchingError("refused a data: URL larger than "
                                                f"{MAX_RESOURCE_BYTES // 2**20} MiB")
                return super().fetch(url, headers)
            if scheme != "file":
                raise FatalURLFetchingError(f"refused to fetch {url!r}: only files inside the "
                                            "project may be used")
            path = Path(unquote(urlsplit(url).path))
            for layers in self.layers:  # a project's `url(fonts/…)`: the packaged font
                path = layers.fallback(path)
            path = path.resolve()
            folder = next((f for f in self.allowed if path.is_relative_to(f)), None)
            ink = None
            if folder is None and path in self.brand_files and self.root is not None:
                folder, path = self.root, self.brand_files[path]
                ink = self.print_svg if path.suffix.lower() == ".svg" else None
            if folder is None:
                raise FatalURLFetchingError(f"refused to read '{path}': it is outside the "
                                            "project's content/, styles/ and templates/")
            try:  # the gate: a regular file (no device, FIFO or folder) within the cap
                data = files.read_bytes(folder, path, what=f"'{path.name}'",
                                        limit=MAX_RESOURCE_BYTES)
            except files.Refused as exc:
                raise FatalURLFetchingError(f"refused '{path}': {exc.problem}") from None
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if ink is not None:
                data = ink(data)
            return URLFetcherResponse(path.as_uri(), data, headers={"Content-Type": mime})

    return ProjectFetcher


#: WeasyPrint's warnings about the machine it runs on, not about the content: each (a pattern of
#: the warning, the note said once instead). The output is built as it would be on a machine that
#: has the library, only more slowly; `brief` says once what to install.
ENVIRONMENT_WARNINGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Using fontTools instead of HarfBuzz-Subset for font"),
     "libharfbuzz-subset0 is not installed; fonts are subset with fontTools (slower); "
     "`apt-get install libharfbuzz-subset0` (elsewhere: install HarfBuzz's subset library, "
     "harfbuzz-subset, 4.1 or later, with the system's package manager)"),
)


#: WeasyPrint's warnings about the machine that still make an output wrong (fails it), each with
#: what to do instead of "fix the content": the machine's to fix, not the brief's.
ENVIRONMENT_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Please install HarfBuzz version \d+\+ with harfbuzz-vector"),
     "this machine's HarfBuzz cannot draw the colour font's glyphs, so they would not print; "
     "install a HarfBuzz with its vector library (libharfbuzz-vector, HarfBuzz 13 or later), "
     "or use a font without colour glyphs"),
)


def environment_note(message: str) -> str | None:
    """The note for a WeasyPrint warning about the machine (`ENVIRONMENT_WARNINGS`), or None
    for a warning about the content, a template or a stylesheet (an error)."""
    return next((note for pattern, note in ENVIRONMENT_WARNINGS if pattern.search(message)),
                None)


class _Collector(logging.Handler):
    """Collects WeasyPrint's warnings and errors during one render: those about the machine
    (`environment_note`) as notes, the others as problems."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.notes: dict[str, None] = {}  # in order, each once

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        note = environment_note(message)
        if note is not None:
            self.notes[note] = None
        else:
            self.messages.append(message)


def render_pdf(html: str, base_url: Path, audience: Audience, project: Project,
               *, output_name: str = "", identifier: str = "",
               content_file: Path | None = None, compress: bool = True,
               anchors: tuple[str, ...] = (), brand: Brand = DEFAULT,
               guess: Guess | None = None) -> RenderResult:
    """Lay out, check and finish one output; raise `RenderError` on any problem.

    The audience's standard gives WeasyPrint's options and finishes the PDF; `identifier`
    (the output's identity) gives the PDF a stable file identifier, so that equal inputs give
    equal bytes. `content_file` (the brief.yaml) is where problems with content, such as an
    unreadable image or a character no shipped font has, are reported. `compress=False` leaves
    the PDF's streams uncompressed, for a PDF that is only a part of another whose writing
    compresses them (a personal copy's letter, `join`): compressing twice costs a letter a sixth
    of its time.

    `brand` is the organisation's identity: its stylesheet (`make.brand.brand_css`) is laid
    over the audience's, and its logo and font files are the only files outside content/,
    styles/ and templates/ the URL fetcher serves.

    `anchors` (ids of elements, in their order, each starting a page) make the output a batch
    of parts (letters): the page budget holds for each part (from its anchor's page to the next
    one's), those over it raise `PartsTooLong`, and the result's `starts` are their first pages.

    `guess` (`typeset.carry`: the repairs of the output's last settled layout carried to this
    HTML) is laid out once instead of settling the HTML; it raises `GuessMissed` when that
    layout has more of the rules' defects than the guess allows, or text past its column.
    """
    isolate_fonts(project)
    register_hyphenation(project.root)
    import weasyprint  # noqa: PLC0415  # deferred: see generator/__init__.py
    from weasyprint.urls import FatalURLFetchingError  # noqa: PLC0415  # deferred: see generator/__init__.py

    session = _session(project)
    fetcher, font_config = session.fetcher, session.font_config
    where = Mark(project.template_layers.path(audience.template), 1)
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        stylesheets, color_profiles = _stylesheets(session, project, audience, collector,
                                                   output_name, brand=brand)
        stylesheets.append(weasyprint.CSS(string=page_css(audience), url_fetcher=fetcher,
                                          font_config=font_config))

        def lay_out(draft: Draft) -> WeasyPrintObject:
            extra = [weasyprint.CSS(string="\n".join(draft.css), url_fetcher=fetcher,
                                    font_config=font_config)] if draft.css else []
            return _lay_out_figures(draft.html, lambda text: _lay_out(
                weasyprint.HTML(string=text, base_url=str(base_url) + os.sep,
                                url_fetcher=fetcher),
                [*stylesheets, *extra], session, color_profiles, where=where,
                output_name=output_name))

        settled = _settle(html, lay_out, typeset_context(audience, project, batch=bool(anchors)),
                          guess)
        document, defects = settled.laid.document, settled.defects
        fitted = _say_repairs(settled, output_name)
        pages = len(document.pages)
        _refuse_overflows(document, output_name, content_file, where)
        starts = _anchor_pages(document, anchors) if anchors else ()
        _check_budget(audience, project, pages, starts, output_name=output_name,
                      content_file=content_file)
        blank = (-pages) % 4 if audience.imposition == "booklet" else 0
        if blank:
            _check_padded_budget(audience, output_name, pages, blank)
            padding_css = [weasyprint.CSS(string="\n".join(settled.laid.draft.css),
                                          url_fetcher=fetcher, font_config=font_config)]
            document = _pad_booklet(settled.laid.draft.html, base_url, blank,
                                    [*stylesheets, *padding_css], session,
                                    color_profiles=color_profiles, where=where,
                                    output_name=output_name)
        standard = audience.standard
        pdf_identifier = hashlib.sha256(identifier.encode()).hexdigest()[:32].encode()
        standard.prepare_writer()
        _plain_bookmarks(document)
        pdf = document.write_pdf(pdf_identifier=pdf_identifier, uncompressed_pdf=not compress,
                                 **standard.render_options())
        _refuse_attachments(pdf, project, where, output_name)
        pdf = finish(pdf, standard=standard,
                     context=FinishContext(project.style_layers, audience.print_condition),
                     bleed_mm=audience.bleed_mm, marks=audience.marks,
                     identity=output_name + html, compress=compress)
        _refuse_links(pdf, project, content_file, where, output_name)
        booklet = (impose_booklet(pdf, sheet_mm(audience.page))
                   if audience.imposition == "booklet" else None)
    except FatalURLFetchingError as exc:
        candidates = [p for p in (content_file,) if p is not None]
        candidates += _templates(project)
        mark = next((m for m in (_mark_of_url(p, str(exc)) for p in candidates) if m.line > 0),
                    where)
        raise RenderError(mark, f"{output_name}: {exc}; remove the reference") from None
    finally:
        logger.removeHandler(collector)
    if collector.messages:
        message = collector.messages[0]
        fix = next((advice for pattern, advice in ENVIRONMENT_ERRORS if pattern.search(message)),
                   "fix the content, template or stylesheet it names")
        raise RenderError(_locate(message, content_file, project) or where,
                          f"{output_name}: WeasyPrint: {message}"
                          + (f" (and {len(collector.messages) - 1} more)"
                             if len(collector.messages) > 1 else "")
                          + f"; {fix}")
    footnotes = html.count('data-fn="')
    return RenderResult(pdf, pages + blank, footnotes, blank, booklet, starts,
                        tuple(collector.notes), defects, fitted, settled=settled.laid.draft)


def _settle(html: str, lay_out: Callable[[Draft], WeasyPrintObject], context: Context,
            guess: Guess | None) -> Settled:
    """The HTML laid out and repaired by the typesetting rules (`typeset.settle`); or with a
    `guess`, that guess laid out once, as if settled with the repairs it carries
    (`GuessMissed` when it has more defects than it may, or text past its column)."""
    if guess is None:
        return settle(Draft(html), lay_out, context,
                      sound=lambda document: not overflows(document))
    laid = Laid(guess.draft, lay_out(guess.draft), context)
    defects = find_all(laid)
    if len(defects) > guess.max_defects or overflows(laid.document):
        raise GuessMissed
    return Settled(laid, tuple(defects), ())


def _use_brand(session: _Session, project: Project, brand: Brand, audience: Audience) -> None:
    """Let the render's URL fetcher serve the identity's logo and font files (and no other
    new file), an SVG logo's colours as inks on a PDF/X output (`brand.print_svg`), and note
    `_brand.yml` and those files as read: the output's digest covers them."""
    session.fetcher.root = project.root
    session.fetcher.brand_files = {path.resolve(): path for path in brand_files(brand)[1:]}
    session.fetcher.print_svg = None
    if audience.standard.cmyk and needs_css(brand):
        profile = files.read_bytes(
            *project.stylesheet(PRINT_CONDITIONS[audience.print_condition].profile),
            what="the CMYK output profile")
        session.fetcher.print_svg = functools.partial(print_svg, brand=brand, profile=profile)
    files.note(brand_files(brand))


def _brand_sheet(session: _Session, project: Project, brand: Brand, audience: Audience
                 ) -> tuple[WeasyPrintObject, str]:
    """The identity's stylesheet (and the note on colours converted to CMYK), parsed once
    per session, state of the identity (its digest covers `_brand.yml` and every file it
    names) and print condition; its URLs relative to `_brand.yml`. A PDF/X output's colours
    without a CMYK value are converted through its ICC profile (`make.brand.converted`)."""
    import weasyprint  # noqa: PLC0415  # deferred: see generator/__init__.py

    cmyk = audience.standard.cmyk
    key = (brand.digest, audience.print_condition if cmyk else "")
    found = session.brand_sheets.get(key)
    if found is None:
        assert brand.path is not None  # needs_css
        base_url = brand.path.as_uri()
        note = ""
        if cmyk and unconverted(brand):
            condition = PRINT_CONDITIONS[audience.print_condition]
            brand = converted(brand, files.read_bytes(
                *project.stylesheet(condition.profile), what="the CMYK output profile"))
            note = conversion_note(brand, condition.identifier)
        found = (weasyprint.CSS(string=brand_css(brand, cmyk=cmyk),
                                base_url=base_url, url_fetcher=session.fetcher,
                                font_config=session.font_config), note)
    return _remember(session.brand_sheets, key, found, MAX_STYLESHEET_SETS)


def _plain_bookmarks(document: WeasyPrintObject) -> None:
    """Bookmarks and metadata as written: the soft hyphens and word joiners set for line breaks
    (a compound's hyphen repeated at a line's start, a range's dash, `typography`) are left
    out, so that "społeczno-gospodarcza" is one word in the outline."""
    for page in document.pages:
        page.bookmarks = [(level, plain(label), *rest) for level, label, *rest in page.bookmarks]
    metadata = document.metadata
    metadata.title = plain(metadata.title) if metadata.title else metadata.title
    metadata.description = (plain(metadata.description) if metadata.description
                            else metadata.description)
    metadata.authors = [plain(author) for author in metadata.authors or ()]


def _say_repairs(settled: Settled, output_name: str) -> tuple[str, ...]:
    """Log (with -v) which rules laid the output out again, and the steps taken to fit its
    pages; return those steps."""
    if settled.repairs:
        log.debug("%s: laid out again for %s", output_name, ", ".join(settled.repairs))
    fitted = fit.taken(settled.laid.draft)
    if fitted:
        log.debug("%s: fitted to %d pages with %s", output_name,
                  len(settled.laid.document.pages), fit.describe(fitted))
    return fitted


def typeset_context(audience: Audience, project: Project, *, batch: bool = False) -> Context:
    """What the typesetting rules know of an output besides its layout (a batch of parts has
    its budget per part, `_check_budget`, not one the rules could fit it to)."""
    return Context(max_pages=None if batch else audience.max_pages,
                   letter=audience.template == LETTER_TEMPLATE, fit=() if batch else audience.fit)


def _check_budget(audience: Audience, project: Project, pages: int, starts: tuple[int, ...],
                  *, output_name: str, content_file: Path | None) -> None:
    """The page budget: of each part of a batch (`starts`: their first pages; those over it
    raise `PartsTooLong`), else of the output (a letter's or a brief's located error)."""
    if audience.max_pages is None:
        return
    if starts:
        ends = [*starts[1:], pages]
        long = tuple((index, end - start) for index, (start, end)
                     in enumerate(zip(starts, ends, strict=True))
                     if end - start > audience.max_pages)
        if long:
            raise PartsTooLong(long)
    elif pages > audience.max_pages:
        if audience.template == LETTER_TEMPLATE:
            raise letter_too_long(audience.max_pages, pages, output_name, content_file)
        raise budget_error(audience, pages, output_name, project)


def _anchor_pages(document: WeasyPrintObject, anchors: tuple[str, ...]) -> tuple[int, ...]:
    """The index of the page each anchor is on, in order (each must start a later page)."""
    found: dict[str, int] = {}
    for index, page in enumerate(document.pages):  # a box over pages is on each: the first
        for name in page.anchors:
            found.setdefault(name, index)
    starts = tuple(found.get(name, -1) for name in anchors)
    if starts[0] != 0 or any(b <= a for a, b in itertools.pairwise(starts)):
        raise RuntimeError(f"the parts of a batch do not each start a page: {starts}")
    return starts


def _pad_booklet(html: str, base_url: Path, blank: int, stylesheets: list[WeasyPrintObject],
                 session: _Session, *, color_profiles: dict[str, WeasyPrintObject],
                 where: Mark, output_name: str) -> WeasyPrintObject:
    """Lay a booklet out again with `blank` empty pages before its back cover (at the end when
    it has none), so that it fills whole sheets and every page counter counts them."""
    import weasyprint  # noqa: PLC0415  # deferred: see generator/__init__.py

    padded = weasyprint.HTML(string=html, base_url=str(base_url) + os.sep,
                             url_fetcher=session.fetcher)
    root = padded.etree_element
    parents: Parents = {child: parent for parent in root.iter() for child in parent}
    back = next((el for el in root.iter()
                 if BACK_COVER_CLASS in (el.get("class") or "").split()), None)
    if back is not None and back in parents:
        parent, index = parents[back], list(parents[back]).index(back)
    else:
        parent = next((el for el in root.iter() if el.tag == "body"), root)
        index = len(parent)
    for _ in range(blank):
        parent.insert(index, Element("div", {"class": BLANK_PAGE_CLASS}))
    document = _lay_out(padded, [*stylesheets, weasyprint.CSS(
        string=BLANK_PAGE_CSS, url_fetcher=session.fetcher, font_config=session.font_config)],
        session, color_profiles, where=where, output_name=output_name)
    if len(document.pages) % 4:
        raise RenderError(where, f"{output_name}: padded with {blank} blank page"
                          f"{'s' if blank > 1 else ''} for a booklet, it has "
                          f"{len(document.pages)} pages, not a multiple of 4; keep the back "
                          f"cover (class {BACK_COVER_CLASS!r}) to one page")
    return document


def _check_padded_budget(audience: Audience, output_name: str, pages: int, blank: int) -> None:
    """A booklet padded past its page budget fails like one that is too long."""
    if audience.max_pages is None or pages + blank <= audience.max_pages:
        return
    fits = audience.max_pages // 4 * 4
    raise RenderError(audience.max_pages_mark or audience.mark,
                      f"{output_name} has {pages} pages; padded with {blank} blank "
                      f"page{'s' if blank > 1 else ''} to {pages + blank} for a booklet, it is "
                      f"over the budget of {audience.max_pages} for audience "
                      f"{audience.name!r}; "
                      + (f"shorten the content to {fits} pages or " if fits else "")
                      + f"raise max_pages to {pages + blank}", "max_pages")


def budget_error(audience: Audience, pages: int, output_name: str,
                 project: Project) -> RenderError:
    """An output over its audience's page budget: at the brief's `audiences:` entry for that
    audience, saying where the budget is set and the three ways out."""
    assert audience.max_pages is not None
    budget_mark = audience.max_pages_mark or audience.mark
    tried = ""
    if audience.fit:
        fit_mark = audience.fit_mark or audience.mark
        tried = (f"; even with {fit.describe(audience.fit)} (`fit:` in "
                 f"{project.relative(fit_mark.path)}:{fit_mark.line}) it does not fit")
    return RenderError(
        audience.brief_mark or budget_mark,
        f"{output_name} has {pages} pages, {pages - audience.max_pages} over the budget of "
        f"{audience.max_pages} for audience {audience.name!r} (`max_pages: "
        f"{audience.max_pages}` in {project.relative(budget_mark.path)}:{budget_mark.line})"
        f"{tried}; "
        f"shorten the content, leave sections out for {audience.name!r} (a section's "
        f"`audiences:`), or raise the budget for this brief only: write "
        f"`{audience.name}: {{max_pages: {pages}}}` under its `audiences:`", "max_pages")


def letter_too_long(limit: int, pages: int, output_name: str,
                     content_file: Path | None) -> RenderError:
    """A cover letter (`letter.letter_audience`) over its pages: at the brief's `letter:`."""
    mark = _mark_of_text(content_file, "letter:") if content_file is not None else None
    return RenderError(mark if mark is not None and mark.line else None,
                       f"{output_name}: the cover letter has {pages} pages, more than "
                       f"{limit}; shorten the brief's `letter:` (a cover letter fits on one "
                       "page)", "letter")


def _lay_out(html_document: WeasyPrintObject, stylesheets: list[WeasyPrintObject],
             session: _Session, color_profiles: dict[str, WeasyPrintObject], *, where: Mark,
             output_name: str) -> WeasyPrintObject:
    """Lay out, then check that every note is on the page of its call; when WeasyPrint
    misplaced one, lay out again with a hint (see `_next_hint`). Returns the laid-out document;
    raises when no hint helps."""
    import weasyprint  # noqa: PLC0415  # deferred: see generator/__init__.py
    install_weasy_patches(weasyprint)  # issue 23: each footnote area is laid out once a layout

    hints: list[str] = []
    while True:
        extra = weasyprint.CSS(string="\n".join(hints), url_fetcher=session.fetcher,
                               font_config=session.font_config)
        try:
            document = html_document.render(stylesheets=[*stylesheets, extra],
                                             font_config=session.font_config,
                                             color_profiles=color_profiles)
            problems = footnote_problems(document)
        except AssertionError:  # WeasyPrint's footnote layout can assert on a hint
            document, problems = None, [FootnoteProblem(0, "layout failed")]
        if not problems:
            return document
        hint = _next_hint(problems, hints, html_document.etree_element, document)
        if hint is None or len(hints) >= MAX_LAYOUT_HINTS:
            raise RenderError(where, f"{output_name}: " + "; ".join(p.message for p in problems)
                              + "; shorten the notes on that page or move the call")
        log.debug("%s: %s; laying out again with %s", output_name, problems[0].message, hint)
        hints.append(hint)


def _lay_out_figures(html: str, lay_out: Callable[[str], WeasyPrintObject]
                     ) -> WeasyPrintObject:
    """Lay out `html`; when a page ends with a hole because the figure after it did not fit,
    move that figure after the next paragraph of its section (as LaTeX floats do), so the text
    fills the page, and lay out again. A move that adds a page, or that the footnote checks
    refuse, is not taken."""
    document = lay_out(html)
    for _ in range(MAX_FIGURE_MOVES):
        figure = _figure_after_gap(document)
        moved = _move_figure(html, figure) if figure is not None else None
        if moved is None:
            break
        try:
            candidate = lay_out(moved)
        except RenderError:
            break
        if len(candidate.pages) > len(document.pages):
            break
        log.debug("figure %s moved after the next paragraph to fill a page", figure)
        html, document = moved, candidate
    return document


def _figure_after_gap(document: WeasyPrintObject) -> int | None:
    """The index (in document order) of a figure that starts a page whose previous page ends
    with more than `FIGURE_GAP` of its body empty; None when there is none."""
    from weasyprint.formatting_structure import boxes  # noqa: PLC0415  # deferred: see generator/__init__.py

    pages = [page._page_box for page in document.pages]
    if not pages:
        return None
    root = pages[0].children[0].element
    parents: Parents = {child: parent for parent in root.iter() for child in parent}
    figures = list(root.iter("figure"))
    for page, following in itertools.pairwise(pages):
        content = [b for b in page.children[0].descendants()
                   if isinstance(b, boxes.LineBox | boxes.ReplacedBox)]
        if not content:
            continue
        bottom = max(b.position_y + b.margin_height() for b in content)
        limit = page.content_box_y() + page.height
        notes = [a for a in page.children if isinstance(a, boxes.FootnoteAreaBox) and a.children]
        if notes:
            limit = min(limit, notes[0].position_y)
        if (limit - bottom) / page.height <= FIGURE_GAP:
            continue
        first = next((b for b in following.children[0].descendants()
                      if isinstance(b, boxes.LineBox | boxes.ReplacedBox)), None)
        element = first.element if first is not None else None
        while element is not None and element.tag != "figure":
            element = parents.get(element)
        if element is not None:
            return figures.index(element)
    return None


_NEXT_PARAGRAPH_RE = re.compile(r"\s*<p[\s>].*?</p>\n?", re.DOTALL)


def _move_figure(html: str, index: int) -> str | None:
    """`html` with its `index`-th figure moved after the paragraph that follows it; None when
    a paragraph does not follow it (the end of its section, a list, a table)."""
    start = -1
    for _ in range(index + 1):
        start = html.find("<figure", start + 1)
        if start < 0:
            return None
    end = html.find("</figure>", start)
    if end < 0:
        return None
    end += len("</figure>")
    end += html.startswith("\n", end)
    paragraph = _NEXT_PARAGRAPH_RE.match(html, end)
    if paragraph is None:
        return None
    return (html[:start] + html[end:paragraph.end()].lstrip() + html[start:end]
            + html[paragraph.end():])


def _templates(project: Project, pattern: str = "*.j2") -> list[Path]:
    """The templates a build may use, from templates/'s layers (each name once, the project's
    own first), where a problem's line is looked for."""
    layers = project.template_layers
    return [layers.path(name) for name in layers.names() if Path(name).match(pattern)]


def _refuse_attachments(pdf: bytes, project: Project, where: Mark, output_name: str) -> None:
    """Fail when the PDF embeds any file, pointing at the template that asked for it."""
    attached = embedded_files(pdf)
    if attached:
        asking = (_mark_of_text(t, 'rel="attachment"') for t in _templates(project, "*"))
        raise RenderError(next((m for m in asking if m.line), where),
                          f"{output_name}: the PDF would embed {', '.join(attached)}; "
                          "attachments are not allowed — remove rel=\"attachment\" from the "
                          "template")


def _refuse_links(pdf: bytes, project: Project, content_file: Path | None, where: Mark,
                  output_name: str) -> None:
    """Fail when a link in the PDF leads anywhere but to an http(s) or mailto address or a place
    in the document (a `file:` link would point at this computer), located at the line of the
    brief or template that holds the link's target."""
    bad: dict[str, int] = {}  # each refused target, with the first page it is on
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page, target in link_targets(doc):
            if urlsplit(target).scheme.lower() not in ALLOWED_SCHEMES:
                bad.setdefault(target, page)
    errors: list[BriefError] = []
    for target, page in bad.items():
        parts = urlsplit(target)
        if parts.scheme.lower() == "file":
            name = Path(unquote(parts.path)).name
            what = (f"the file {name!r} on this computer, which nobody reading the PDF can "
                    "open; link to its web address (https://…) instead")
            needles = [name]
        else:
            what = (f"{target!r}; a PDF may only link to http(s):// and mailto: addresses and "
                    "to places in the document — link to a web address instead")
            needles = [target, target.rstrip("/").rsplit("/", 1)[-1]]
        searched = [p for p in (content_file,) if p is not None]
        searched += _templates(project)
        mark = next((m for m in (_mark_of_text(f, n) for n in needles if len(n) >= MIN_URL_TAIL
                                 for f in searched) if m.line), where)
        errors.append(RenderError(mark, f"{output_name}: a link on page {page} leads to {what}"))
    raise_all(errors)


def embedded_files(pdf: bytes) -> list[str]:
    """Names of files embedded in a PDF (document attachments and file-attachment annotations)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        names = list(doc.attachments.keys())
        for page in doc.pages:
            names.extend(str(lookup(annot, "/FS", "/F") or "annotation")
                         for annot in page.get("/Annots", [])
                         if annot.get("/Subtype") == "/FileAttachment")
    return names


def _stylesheet_error(path: Path, messages: list[str], output_name: str) -> RenderError:
    """A CSS warning ("Ignored `x` at 12:3, unknown property.") at its stylesheet line."""
    match = re.search(r" at (\d+):(\d+)", messages[0])
    mark = Mark(path, int(match[1]), int(match[2])) if match else Mark(path, 1)
    return RenderError(mark, f"{messages[0]} (in {output_name}); fix or remove the rule")


def _mark_of_text(path: Path, needle: str) -> Mark:
    """Where `needle` first stands in a file (line 0 when nowhere, or not a file the gate
    lets through)."""
    try:
        data = files.read_bytes(path.parent, path, what=path.name)
    except files.Refused:
        return Mark(path, 0)
    lines = data.decode("utf-8", errors="replace").splitlines()
    for number, line in enumerate(lines, 1):
        if needle and needle in line:
            return Mark(path, number, line.index(needle) + 1)
    return Mark(path, 0)


def _mark_of_url(path: Path, message: str) -> Mark:
    """The line of a file holding the URL a refusal message quotes (line 0 when it has none)."""
    quoted = re.search(r"'([^']+)'", message)
    if quoted:
        tail = quoted[1].rstrip("/").rsplit("/", 1)[-1]
        for needle in (quoted[1], tail if len(tail) >= MIN_URL_TAIL else ""):
            mark = _mark_of_text(path, needle)
            if mark.line:
                return mark
    return Mark(path, 0)


def _locate(message: str, content_file: Path | None, project: Project) -> Mark | None:
    """The brief.yaml line a rendering message is about: a file it names, or a character."""
    if content_file is None:
        return None
    try:
        lines = files.read_text(content_file.parent, content_file,
                                what=content_file.name).splitlines()
    except BriefError:
        return None
    needles = [Path(unquote(urlsplit(url).path)).name
               for url in re.findall(r"file://[^\s'\"]+", message)]
    glyph = re.search(r'unsupported by fonts: "(.+?)"', message)
    if glyph:
        needles.append(glyph[1])
    for needle in needles:
        for number, line in enumerate(lines, 1):
            if needle and needle in line:
                return Mark(content_file, number, line.index(needle) + 1)
    return None


@dataclass(frozen=True, slots=True)
class FootnoteProblem:
    number: int
    message: str
    page: int | None = None  # the page of the call


def _next_hint(problems: list[FootnoteProblem], tried: list[str], root: Element,
               document: WeasyPrintObject | None) -> str | None:
    """The next layout hint to try for the first misplaced footnote, or None when out of ideas.

    WeasyPrint 70 sometimes prints a note a page away from its call, or drops it (#1564,
    #2502): when a block after the call overflows the page, it may push the call's note to the
    next page. So first we end the call's page where it ends anyway, with a forced break before
    whatever comes next, which keeps the layout but spares WeasyPrint the overflow. Failing
    that, we start the block holding the call on a new page — or the section it opens, so that
    no heading is left stranded at the foot of a page.
    """
    parents: Parents = {child: parent for parent in root.iter() for child in parent}
    for problem in problems:
        if problem.number == 0:
            return None
        candidates = []
        if problem.page is not None and document is not None:
            after = _first_block_after_page(document, problem.page, parents)
            if after is not None:
                candidates.append(selector(after, parents))
        block = next((el for el in root.iter()
                      if str(problem.number) in (el.get("data-calls") or "").split()), None)
        if block is not None:
            candidates.append(selector(opening_section(block, parents), parents))
        for candidate in candidates:
            hint = f"{candidate} {{ break-before: page; }}"
            if hint not in tried:
                return hint
    return None


def _first_block_after_page(document: WeasyPrintObject, page_number: int,
                            parents: Parents) -> Element | None:
    """The element to break before so that page `page_number` ends where it ends now: the block
    split across the page end, or the outermost element that starts the next page."""
    from weasyprint.formatting_structure import boxes  # noqa: PLC0415  # deferred: see generator/__init__.py

    if page_number >= len(document.pages):
        return None
    on_page = {box.element for box in document.pages[page_number - 1]._page_box.children[0]
               .descendants() if isinstance(box, boxes.Box) and box.element is not None}
    first_line = next((box for box in document.pages[page_number]._page_box.children[0]
                       .descendants() if isinstance(box, boxes.LineBox)), None)
    if first_line is None or first_line.element is None:
        return None
    element: Element = first_line.element
    if element in on_page:  # a block split across the page end: move it whole
        return opening_section(element, parents)
    while element in parents and parents[element] not in on_page:
        element = parents[element]
    return element


def footnote_pages(document: WeasyPrintObject) -> tuple[dict[int, int], dict[int, set[int]]]:
    """Page of each footnote call, and the pages each footnote's text is on (1-based)."""
    from weasyprint.formatting_structure import boxes  # noqa: PLC0415  # deferred: see generator/__init__.py

    calls: dict[int, int] = {}
    notes: dict[int, set[int]] = {}
    for page_number, page in enumerate(document.pages, 1):
        for area in page._page_box.children:
            in_footnote_area = isinstance(area, boxes.FootnoteAreaBox)
            for box in area.descendants():
                if not isinstance(box, boxes.Box) or box.element is None:
                    continue
                number = box.element.get("data-fn")
                if number is None:
                    continue
                if in_footnote_area:
                    notes.setdefault(int(number), set()).add(page_number)
                elif getattr(box, "footnote", None) is not None:
                    calls.setdefault(int(number), page_number)
    return calls, notes


def footnote_problems(document: WeasyPrintObject) -> list[FootnoteProblem]:
    """Footnotes that are missing or not on the page of their call, in number order."""
    calls, notes = footnote_pages(document)
    problems = []
    for number, page in sorted(calls.items()):
        if number not in notes:
            problems.append(FootnoteProblem(number, f"footnote {number} (called on page {page})"
                                            " is missing", page))
        elif notes[number] != {page}:
            problems.append(FootnoteProblem(number, f"footnote {number} is called on page "
                                            f"{page} but printed on page "
                                            f"{', '.join(map(str, sorted(notes[number])))}",
                                            page))
    return problems


# ---------------------------------------------------------------------------------------------
# Text outside its column or the page (checked after layout)


#: How far (CSS px, 0.75 pt) text may stand past its column before it is an error: rounding.
OVERFLOW_TOLERANCE_PX = 1.0
_PX_PER_MM = 96 / 25.4


@dataclass(frozen=True, slots=True)
class Overflow:
    """A run of text laid out past the right (or left) edge of its column or of the page."""

    page: int  # 1-based
    text: str  # the text box's text: the word (or words) that could not break
    past_mm: float  # how far past
    off_page: bool  # past the page's edge itself, not only its column


def overflows(document: WeasyPrintObject) -> list[Overflow]:
    """Every text box of a laid-out document that stands past its column (the content box of
    the block it is laid out in, and the area it belongs to: the page's text area, a margin
    box, the footnote area) or past the page: an unbreakable word too long for its line."""
    from weasyprint.formatting_structure import boxes  # noqa: PLC0415  # deferred: see generator/__init__.py

    found: list[Overflow] = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        page_edges = (0.0, float(page_box.margin_width()))
        body = (float(page_box.content_box_x()),
                float(page_box.content_box_x() + page_box.width))
        stack: list[tuple[Any, tuple[float, float], tuple[float, float]]] = []
        for index, child in enumerate(page_box.children):
            # the root box, in the page's text area; then margin boxes and the footnote area
            edges = body if index == 0 else _content_edges(child)
            stack.append((child, edges, edges))
        while stack:
            box, area, column = stack.pop()
            if isinstance(box, boxes.TextBox):
                problem = _overflow(box, area, column, page_edges, number)
                if problem is not None:
                    found.append(problem)
                continue
            if box.style["position"] in ("absolute", "fixed"):  # placed: within the page
                area = column = page_edges
            if isinstance(box, boxes.BlockContainerBox) and box.width is not None:
                column = _content_edges(box)
            stack.extend((child, area, column) for child in getattr(box, "children", ()))
    return found


def _content_edges(box: WeasyPrintObject) -> tuple[float, float]:
    left = float(box.content_box_x())
    return left, left + float(box.width or 0)


def _overflow(box: WeasyPrintObject, area: tuple[float, float], column: tuple[float, float],
              page: tuple[float, float], number: int) -> Overflow | None:
    """A text box past its column, its area or the page, on the right or on the left."""
    if not box.text.strip():
        return None
    left = float(box.position_x)
    right = left + float(box.width)
    past = max(right - min(area[1], column[1]), area[0] - left)
    if past <= OVERFLOW_TOLERANCE_PX:
        return None
    off_page = right > page[1] + OVERFLOW_TOLERANCE_PX or left < page[0] - OVERFLOW_TOLERANCE_PX
    return Overflow(number, box.text, past / _PX_PER_MM, off_page)


#: How much of an overflowing text a message quotes.
OVERFLOW_QUOTE = 40


def overflow_error(found: list[Overflow], output_name: str, candidates: list[Path],
                   where: Mark | None) -> RenderError:
    """The first overflow as a located error: at the line of the first file in `candidates`
    (the brief.yaml, its translations) holding the text, else at `where` (or the output)."""
    first = found[0]
    words = max(first.text.split(), key=len)
    quote = words if len(words) <= OVERFLOW_QUOTE else words[:OVERFLOW_QUOTE] + "…"
    mark = next((m for m in (_mark_of_text(p, words[:OVERFLOW_QUOTE]) for p in candidates
                             if p.is_file()) if m.line), where)
    edge = "past its column, off the page" if first.off_page else "past its column"
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return RenderError(mark, f"{output_name}, page {first.page}: the text {quote!r} runs "
                       f"{first.past_mm:.0f} mm {edge}: a word of {len(words):,} characters "
                       f"without a place to break{more}; shorten it or add a break (a hyphen "
                       "or space)")


def _refuse_overflows(document: WeasyPrintObject, output_name: str,
                      content_file: Path | None, where: Mark) -> None:
    """Fail when text stands outside its column or the page (`overflows`)."""
    found = overflows(document)
    if found:
        raise overflow_error(found, output_name, _content_files(content_file), where)


def _content_files(content_file: Path | None) -> list[Path]:
    """Where an output's text is written: its brief.yaml, then its translations."""
    if content_file is None:
        return []
    return [content_file, *sorted((content_file.parent / "translations").glob("*.po"))]
