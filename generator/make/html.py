"""html: a `Selection` with its numbered tokens → one HTML document, through a Jinja2 template.

Jinja2 runs with `StrictUndefined` and autoescaping for every template; brief content is only
ever data, never template source. Template mistakes become `TemplateError`s at
`templates/file:line`.
"""

from __future__ import annotations

import base64
import io
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
import segno
from jinja2.loaders import split_template_path
from markdown_it.token import Token
from markupsafe import Markup

from .. import __version__, files
from ..errors import BriefError, Bug, Mark, TemplateError
from ..project import Layers
from ..read.model import Audience, Brief
from ..read.select import SelectedSection, Selection, select
from ..text.addresses import breakable_url
from ..text.footnotes import reference_html
from ..text.locale import format_date, labels
from ..text.render import RenderContext, to_html
from ..text.typography.compounds import plain, set_hyphens
from .brand import BrandView, relative_to


@dataclass(frozen=True, slots=True)
class RenderedSection:
    id: str
    level: int
    title: str | None
    body: Markup
    css_class: str
    sections: tuple[RenderedSection, ...]


@dataclass(frozen=True, slots=True)
class ContactBlock:
    name: str
    email: str
    phone: str
    url: str


@dataclass(frozen=True, slots=True)
class Document:
    """Everything a template may use."""

    language: str
    title: str  # as written: for <title> and the PDF's metadata
    #: The title as the heading prints it: a compound's hyphen repeated at a line's start where
    #: the language asks (`typography.compounds`), which metadata and bookmarks must not carry.
    heading: str
    subtitle: str
    organisation: str
    date: str  # formatted for the language
    date_iso: str
    url: str
    url_display: Markup
    summary: Markup
    sections: tuple[RenderedSection, ...]
    contact: ContactBlock | None
    qr_code: Markup  # an <img> of a vector QR code to `url`, or ""
    placeholders: tuple[str, ...]
    labels: dict[str, str]
    audience: str
    medium: str
    generator: str
    draft: str = ""  # the words marking every page as a draft ("" when it is not one)
    #: the organisation's identity (`_brand.yml`): its name, address, logos (`make.brand`)
    brand: BrandView = field(default_factory=BrandView)


#: The class of the element a template prints `doc.draft` in (templates/base.html.j2).
DRAFT_CLASS = "draft-mark"


#: The name of the packaged layer in a template's `{% extends %}`, `{% include %}` or
#: `{% import %}`: `"packaged/brief.html.j2"` is the packaged brief.html.j2 even where the project
#: has its own — so that an override can extend the packaged template of its own name and
#: replace only a block (MkDocs' `custom_dir` idiom), which the plain name (the override
#: itself) cannot. In this repository, whose templates/ is the packaged one, it names that.
PACKAGED = "packaged"


def _pinned(parts: list[str]) -> bool:
    """Whether a template's name (split) names the packaged layer (`PACKAGED`)."""
    return len(parts) > 1 and parts[0] == PACKAGED


class GatedLoader(jinja2.BaseLoader):
    """Loads templates from the layers of templates/ (`project.Layers`: the project's own
    folder, then the packaged one) through the gate (`files`), each inside the layer it is in:
    a template (or one it includes or extends) that is a link leading out of its folder, a FIFO
    or too large is a located error, never read. A name starting `packaged/` is read from the
    packaged layer only (`PACKAGED`)."""

    def __init__(self, folders: tuple[Path, ...]) -> None:
        self.folders = folders

    def locate(self, template: str) -> tuple[Path, Path]:
        """(layer folder, path) of the template a name loads; TemplateNotFound when no layer
        has it, or the name leads out of its folder (`..`, which `split_template_path`
        refuses, `packaged/..` as well)."""
        parts = split_template_path(template)
        folders = self.folders
        if _pinned(parts):
            folders, parts = self.folders[-1:], parts[1:]
        folder = next((f for f in folders if files.exists(f.joinpath(*parts))), None)
        if folder is None:
            raise jinja2.TemplateNotFound(template)
        return folder, folder.joinpath(*parts)

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        folder, path = self.locate(template)
        what = f"template {template!r}"
        real = files.inside(folder, path, what=what)
        mtime = real.stat().st_mtime_ns
        source = files.read_text(folder, path, what=what)
        name = path.relative_to(folder)  # a `packaged/` name: no project's file replaces it
        earlier = [] if _pinned(split_template_path(template)) else [
            f / name for f in self.folders[:self.folders.index(folder)]]

        def uptodate() -> bool:
            try:  # changed, or a project's own file now overrides it
                return os.stat(path).st_mtime_ns == mtime and not any(map(files.exists, earlier))
            except OSError:
                return False

        return source, str(path), uptodate


class _Loop(Exception):
    """A template that extends, includes or imports itself (`_Environment.join_path`)."""

    def __init__(self, name: str, packaged: str | None) -> None:
        super().__init__(name, packaged)
        self.name = name
        self.packaged = packaged  # the `packaged/` name of the packaged file it replaces


class _Environment(jinja2.Environment):
    """Refuses a template that loads itself — an override of brief.html.j2 that writes
    `{% extends "brief.html.j2" %}` meaning the packaged one — before Jinja2 recurses until
    Python's stack runs out; `render_html` says where, and to write `packaged/`."""

    def join_path(self, template: str, parent: str) -> str:
        loader = self.loader
        if isinstance(loader, GatedLoader):
            try:
                folder, path = loader.locate(template)
                _, parent_path = loader.locate(parent)
            except jinja2.TemplateNotFound:
                return template  # get_template says so
            if os.path.realpath(path) == os.path.realpath(parent_path):
                packaged = loader.folders[-1]
                name = path.relative_to(folder)
                raise _Loop(template, f"{PACKAGED}/{name.as_posix()}" if folder != packaged
                            and files.exists(packaged / name) else None)
        return template


def _folders(templates: Path | Layers) -> tuple[Path, ...]:
    return templates.folders if isinstance(templates, Layers) else (templates,)


@lru_cache(maxsize=8)  # one per templates folder (a process serves one project)
def environment(templates: Path | tuple[Path, ...]) -> jinja2.Environment:
    """The Jinja2 environment of a templates folder, or of its layers (the project's own, then
    the packaged one). Its template cache is bounded (Jinja2 keeps 400) and reloads a template
    whose file changed, as `brief watch` needs."""
    return _Environment(
        loader=GatedLoader(templates if isinstance(templates, tuple) else (templates,)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,  # every template, whatever its extension
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def qr_code(url: str, alt: str, cmyk: bool = False) -> Markup:
    """A vector QR code for `url` as an <img> with a data: SVG; in 100 % black ink for print."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", scale=1, border=0,
                                                  dark="#000", xmldecl=False, nl=False)
    svg = buffer.getvalue().decode()
    svg = svg.replace("<path ", '<path fill="none" ')  # stroked modules only: no default fill
    if cmyk:  # segno knows only RGB; WeasyPrint's SVG reader takes device-cmyk()
        svg = svg.replace('"#000"', '"device-cmyk(0 0 0 1)"')
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return Markup('<img class="qr-code" src="{}" alt="{}">').format(uri, f"{alt} {url}")


def online_address(brief: Brief, language: str) -> str:
    """Where a reader reads the brief online: its web edition's page in the language
    (`url/<lang>/`, generator/make/web) when an audience of the brief publishes one — it makes
    that language and prints no stale or missing translation in it, the rule a build publishes
    a page by — else `url:` (a page that is not published, or only as a draft, is never
    pointed at)."""
    if brief.url and any(_publishes(brief, audience, language) for audience in brief.audiences):
        return f"{brief.url.rstrip('/')}/{language}/"
    return brief.url


def _publishes(brief: Brief, audience: Audience, language: str) -> bool:
    """Whether a build publishes `audience`'s web page in `language`."""
    if audience.medium != "web" or language not in audience.languages:
        return False
    try:
        return not select(brief, audience, language).gaps
    except BriefError:  # a text it prints is missing: the page fails, nothing is published
        return False


def build_document(selection: Selection, tokens: list[list[Token]], *, draft: bool = False
                   ) -> Document:
    brief, audience, language = selection.brief, selection.audience, selection.language
    words = labels(language, audience.labels)
    context = RenderContext(  # a citation's form (full, short, Ibid.): `footnotes.number`
        lambda key, locator, form: reference_html(
            brief, language, audience.medium, key, locator, words=words, form=form),
        lambda key, locator, form: reference_html(
            brief, language, audience.medium, key, locator, words=words, note=True,
            form=form))

    def body(index: int | None) -> Markup:
        if index is None:
            return Markup("")
        return Markup(to_html(tokens[index], context, language))

    def render(section: SelectedSection) -> RenderedSection:
        title = set_hyphens(section.title, language) if section.title else section.title
        return RenderedSection(section.id, section.level, title, body(section.body_index),
                               section.css_class, tuple(render(s) for s in section.sections))

    contact = None
    if audience.contact and brief.contact is not None:
        c = brief.contact
        contact = ContactBlock(selection.contact_name or "", c.email, c.phone, c.url)
    online = online_address(brief, language)
    display = online.split("://", 1)[-1].rstrip("/")
    return Document(
        language=language, title=plain(selection.title),
        heading=set_hyphens(selection.title, language), subtitle=selection.subtitle or "",
        organisation=selection.organisation, date=format_date(brief.date.isoformat(), language),
        date_iso=brief.date.isoformat(), url=online,
        url_display=Markup(breakable_url(display)) if online else Markup(""),
        summary=body(selection.summary_index),
        sections=tuple(render(s) for s in selection.sections), contact=contact,
        qr_code=(qr_code(online, words["qr_alt"], cmyk=audience.standard.cmyk)
                 if audience.qr and online else Markup("")),
        placeholders=brief.placeholders, labels=words, audience=audience.name,
        medium=audience.medium, generator=f"brief {__version__}",
        draft=words["draft"] if draft else "",
        brand=BrandView(brief.brand, relative_to(brief.folder)))


def render_html(document: object, template_name: str, templates: Path | Layers) -> str:
    """Render the document (a `Document`, or a cover letter's `letter.Letter`) through a
    template as `doc`, found in templates/'s layers (`Project.template_layers`). Whatever goes
    wrong in a template — it does not compile, names an undefined value, a filter that does not
    exist, a template that is not there or itself, divides by zero, calls something with the
    wrong values — is a `TemplateError` at the line of the innermost template that was running
    (the PDF, the web page and the cover letter all render here), never a traceback."""
    folders = _folders(templates)
    env = environment(folders)
    named = next((p for f in folders if files.exists(p := f / template_name)),
                 folders[0] / template_name)
    try:
        template = env.get_template(template_name)
        return str(template.render(doc=document))
    except (BriefError, Bug):
        raise  # the gate's errors are located at the file already
    except jinja2.TemplateSyntaxError as exc:  # an unknown filter or test too (an assertion)
        path = Path(exc.filename) if exc.filename else named
        raise TemplateError(Mark(path, exc.lineno or 1),
                            f"template syntax: {exc.message}; fix the template") from None
    except jinja2.TemplateNotFound as exc:
        name = str(exc.name or "")
        problem = (f"template {name!r} leads outside templates/; name a file inside it"
                   if ".." in name.replace("\\", "/").split("/") else
                   f"template {name!r} not found among the packaged templates"
                   if _pinned(_split(name)) else f"template {name!r} not found in templates/")
        raise TemplateError(_template_mark(exc, folders, named), problem) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(_template_mark(exc, folders, named),
                            f"template uses an undefined name: {exc.message}; check the "
                            "spelling (available: doc.title, doc.sections, …)") from None
    except _Loop as exc:
        advice = (f"to extend the packaged one it replaces, write {{% extends "
                  f"\"{exc.packaged}\" %}}" if exc.packaged else "name another template")
        raise TemplateError(_template_mark(exc, folders, named),
                            f"{exc.name!r} is this template itself, which it cannot extend or "
                            f"include (it would load itself without end); {advice}") from None
    except RecursionError as exc:
        raise TemplateError(_template_mark(exc, folders, named),
                            "templates extend or include each other in a loop (or a macro "
                            "calls itself without end); break the loop") from None
    except Exception as exc:  # noqa: BLE001 - any other error a template raises as it runs
        raise TemplateError(_template_mark(exc, folders, named),
                            f"template error: {_what(exc, folders)}; fix the template") from None


def _split(name: str) -> list[str]:
    try:
        return split_template_path(name)
    except jinja2.TemplateNotFound:
        return []


def _what(exc: Exception, folders: tuple[Path, ...]) -> str:
    """What went wrong, in one line: Jinja2's own message, else the exception's type and
    message; where brief's own code that the template called raised it, also where."""
    text = str(exc).strip() if isinstance(exc, jinja2.TemplateError) else \
        f"{type(exc).__name__}: {str(exc).strip() or '(no message)'}"
    text = " ".join(text.split()).rstrip(".")
    package = Path(__file__).resolve().parents[1]
    ours = [frame for frame in _frames(exc, folders)[1]
            if frame.filename.endswith(".py") and Path(frame.filename).resolve().is_relative_to(
                package)]
    if ours:
        where = Path(ours[-1].filename).resolve().relative_to(package.parent)
        text += (f" (raised in {where.as_posix()}:{ours[-1].lineno}, which the template "
                 "called: if the template is right, this is a bug in brief; please report it)")
    return text


def _frames(exc: BaseException, folders: tuple[Path, ...]
            ) -> tuple[traceback.FrameSummary | None, list[traceback.FrameSummary]]:
    """The innermost template frame of an error raised while rendering (Jinja2 rewrites the
    traceback so that a template's frame has its file and line), and the frames under it."""
    roots = [folder.resolve() for folder in folders]
    stack = traceback.extract_tb(exc.__traceback__)
    for index in range(len(stack) - 1, -1, -1):
        name = stack[index].filename
        if name and not name.endswith(".py") and any(
                Path(name).resolve().is_relative_to(root) for root in roots):
            return stack[index], list(stack[index + 1:])
    return None, list(stack)


def _template_mark(exc: BaseException, folders: tuple[Path, ...], named: Path) -> Mark:
    """The template's line an error was raised at (`_frames`), else the template's first."""
    frame = _frames(exc, folders)[0]
    return Mark(Path(frame.filename), frame.lineno or 1) if frame else Mark(named, 1)
