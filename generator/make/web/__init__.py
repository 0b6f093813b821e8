"""web: a brief, one of its audiences whose medium is `web`, and a language → the brief's web
page in that language, with every file it needs (docs/web.md).

The same steps as a PDF (`select` → `text.syntax.parse` → `footnotes.number`), then a web
rendering (`notes.WebRenderer`: notes as calls and endnotes, numbered as in the PDFs) through
`templates/web.html.j2`. The page and its files lie in `out/<brief>/web/`, every link between
them relative, so that the folder can be copied to any static host:

    web/index.html              the language chooser (`render_index`)
    web/assets/web.css          the design (styles/web.css), the same for every page
    web/<lang>/index.html       the page (`render_page`)
    web/<lang>/fonts.css        its @font-face rules, and in fonts/ the WOFF2 subsets of the
    web/<lang>/fonts/*.woff2    project's fonts holding the glyphs the page prints
    web/<lang>/card.png         its social card (Open Graph)
    web/<lang>/*.pdf            the brief's PDFs in that language, as the build made them
    web/media/…                 the images its texts show

No script, nothing from another host: a strict Content-Security-Policy (`CSP`) is in the page.
The page is pure: the same inputs give the same bytes (no date of today, no random id).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import babel
from babel.units import format_unit
from markdown_it.token import Token
from markupsafe import Markup

from ... import __version__, files
from ...errors import BriefError, Bug, ContentError, Mark, TemplateError
from ...project import Project
from ...read.brand import DEFAULT, Brand, Family, Image
from ...read.images import read_image_info
from ...read.model import Audience, Brief
from ...read.select import SelectedSection, select
from ...text.footnotes import number, reference_html
from ...text.locale import DEFAULT_QUOTES, QUOTES, base, format_date, labels, plural
from ...text.render import RenderContext
from ...text.syntax import parse
from ...text.typography.compounds import plain
from .. import audit
from ..brand import BrandView, brand_css, needs_css
from ..html import DRAFT_CLASS, RenderedSection, build_document, render_html
from . import card, fonts
from .notes import Note, PageRenderer

#: The Content-Security-Policy every page carries (and docs/web.md's server sends): nothing
#: runs, nothing comes from another host, no inline style.
CSP = ("default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data:; "
       "base-uri 'none'; form-action 'none'")
TEMPLATE, INDEX_TEMPLATE, STYLESHEET = "web.html.j2", "web-index.html.j2", "web.css"
#: Where the shared files lie in out/<brief>/web/.
ASSETS, MEDIA = "assets", "media"
#: A draft page's own stylesheet, beside it: its draft mark in the top margin of every printed
#: page (the words are the page's language's, so not in the shared web.css; no inline style).
DRAFT_CSS = "draft.css"
#: What a page may weigh before images and PDFs (issue 21): its HTML, stylesheets and fonts.
WEIGHT_BUDGET = 150_000
#: JSON-LD's `headline` longer than this is cut at a word (Google's limit for an article).
HEADLINE_CHARS = 110
#: A meta description longer than this is cut at a word (search engines show about 160).
DESCRIPTION_CHARS = 200


@dataclass(frozen=True, slots=True)
class Download:
    """One PDF of the brief in the page's language, made by the same build."""

    audience: str  # the audience's name ("full", "mep", "handout")
    path: str  # the PDF's path relative to out/<brief>/ ("expert-advice.mep.en.pdf")
    pages: int
    size: int  # bytes


@dataclass(frozen=True, slots=True)
class WebPage:
    html: str  # the page, out/<brief>/web/<lang>/index.html
    #: every other file, by path relative to out/<brief>/web/ (shared assets may be returned by
    #: several pages: the same bytes)
    files: Mapping[str, bytes]
    footnotes: int  # notes on the page
    warnings: tuple[BriefError, ...]  # audit warnings, as for a PDF


@dataclass(frozen=True, slots=True)
class Language:
    """A language of the chooser: its code, its name in itself, its page's address."""

    code: str
    name: str
    href: str
    current: bool


@dataclass(frozen=True, slots=True)
class DownloadLink:
    label: str
    href: str
    details: str  # "PDF, 1,2 MB, 4 pagina's"


@dataclass(frozen=True, slots=True)
class WebDocument:
    """Everything web.html.j2 may use (`brand`: the organisation's identity, its logos
    copied beside the page, `assets/brand/…`)."""

    language: str
    title: str  # plain: <title>, metadata
    heading: str
    subtitle: str
    organisation: str
    date: str
    date_iso: str
    description: str
    canonical: str  # "" when the brief has no `url:`
    alternates: tuple[tuple[str, str], ...]  # (hreflang, address), x-default last
    og_locale: str
    og_alternates: tuple[str, ...]  # og:locale:alternate: the other pages' locales
    card: str  # the social card's address ("" without `url:`)
    summary: Markup
    sections: tuple[RenderedSection, ...]
    notes: tuple[Note, ...]
    downloads: tuple[DownloadLink, ...]
    languages: tuple[Language, ...]
    contact: Mapping[str, str] | None
    placeholders: tuple[str, ...]
    labels: Mapping[str, str]
    json_ld: Markup
    citation_meta: tuple[tuple[str, str], ...]
    csp: str
    generator: str
    draft: str = ""
    draft_class: str = DRAFT_CLASS
    draft_css: str = ""  # a draft's print stylesheet (`DRAFT_CSS`), "" for a published page
    brand: BrandView = dataclasses.field(default_factory=BrandView)


def page_address(brief: Brief, language: str) -> str:
    """The page's address online, `url/<lang>/` ("" when the brief has no `url:`); a PDF's QR
    code and "read online" link lead there (`html.online_address`)."""
    return f"{brief.url.rstrip('/')}/{language}/" if brief.url else ""


def language_name(code: str) -> str:
    """A language named in itself, as a chooser lists it ("Nederlands", "Français")."""
    try:
        name = babel.Locale.parse(code, sep="-").get_display_name(code) or code
    except (ValueError, babel.UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def render_page(project: Project, brief: Brief, audience: Audience, language: str, *,
                published: tuple[str, ...], downloads: tuple[Download, ...],
                draft: bool = False) -> WebPage:
    """The brief's web page in `language` and every file it needs (see the module)."""
    selection = select(brief, audience, language)
    tokens = [parse(text, language) for text in selection.texts]
    footnotes = number(tokens)
    words = labels(language, audience.labels)
    context = RenderContext(  # on the web a source's title is its link
        lambda key, locator, form: reference_html(
            brief, language, "screen", key, locator, words=words, form=form),
        lambda key, locator, form: reference_html(
            brief, language, "screen", key, locator, words=words, note=True, form=form))
    out: dict[str, bytes] = {}

    def image(src: str) -> tuple[str, int, int]:
        path = brief.folder / src
        out[f"{MEDIA}/{src}"] = files.read_bytes(brief.folder, path, Mark(brief.path, 1),
                                                 what=f"image {src!r}", limit=None)
        info = read_image_info(path)  # its size: the page keeps its place while it loads
        return (f"../{MEDIA}/{src}", *((info.width, info.height) if info else (0, 0)))

    renderer = PageRenderer(context, language, image, table_word=words["table"])

    def body(index: int | None) -> Markup:
        return Markup(renderer.html(tokens[index])) if index is not None else Markup("")

    summary = body(selection.summary_index)

    def section(s: SelectedSection) -> RenderedSection:
        return RenderedSection(s.id, s.level, s.title, body(s.body_index), s.css_class,
                       tuple(section(child) for child in s.sections))

    sections = tuple(section(s) for s in selection.sections)
    notes = tuple(sorted(renderer.notes.items, key=lambda note: note.number))
    if [note.number for note in notes] != [f.number for f in footnotes]:  # never silently
        raise Bug(f"{brief.id} ({language}) web page", f"notes {[n.number for n in notes]} "
                  f"rendered for the texts' {len(footnotes)}")
    address = page_address(brief, language)
    notices: list[BriefError] = []
    links = tuple(_download(project, brief, language, d, words=words, out=out,
                            notices=notices) for d in downloads)
    title = plain(selection.title)
    contact = None
    if audience.contact and brief.contact is not None:
        c = brief.contact
        contact = {"name": selection.contact_name or "", "email": c.email, "phone": c.phone,
                   "url": c.url, "url_display": c.url.split("://", 1)[-1].rstrip("/")}
    scholarly = pdf_for_scholars(brief, downloads, language)
    pdf_url = (f"{address}{PurePosixPath(scholarly.path).name}"
               if address and scholarly is not None else "")
    description = _description(tokens, selection.summary_index, selection.subtitle or title)
    card_url = f"{address}card.png" if address else ""
    document = WebDocument(
        language=language, title=title, heading=selection.title,
        subtitle=selection.subtitle or "", organisation=selection.organisation,
        date=format_date(brief.date.isoformat(), language), date_iso=brief.date.isoformat(),
        description=description,
        canonical=address, alternates=_alternates(brief, published), og_locale=og_locale(
            language), og_alternates=tuple(og_locale(code) for code in brief.languages
                                           if code in published and code != language),
        card=card_url,
        summary=summary, sections=sections, notes=notes, downloads=links,
        languages=tuple(Language(code, language_name(code),
                                 "./" if code == language else f"../{code}/",
                                 code == language)
                        for code in brief.languages if code in published or code == language),
        contact=contact, placeholders=brief.placeholders, labels=words,
        json_ld=_json_ld(brief, language, title, address,
                         keys=cited_keys(t for text in tokens for t in text), pdf_url=pdf_url,
                         description=description, card_url=card_url,
                         organisation_name=selection.organisation),
        citation_meta=_citation_meta(brief, language, title, selection.organisation,
                                     pdf_url),
        csp=CSP, generator=f"brief {__version__}", draft=words["draft"] if draft else "",
        draft_css=DRAFT_CSS if draft else "",
        brand=BrandView(brief.brand, (logos := _Logos(project)).src))
    html = _render(project, TEMPLATE, document)
    out.update(logos.files())
    if draft and DRAFT_CLASS not in html:
        raise TemplateError(Mark(project.template_layers.path(TEMPLATE), 1),
                            "this template does not print the draft mark; print `doc.draft` "
                            "in an element of class "
                            f"{DRAFT_CLASS!r} (see templates/web.html.j2)")
    text = _font_text(html)
    if language == chooser_language(brief, published):  # the chooser borrows its fonts
        text += _font_text(render_index(project, brief, audience, published).decode())
    out.update(_font_files(project, language, text + brief_characters(brief, audience),
                           brief.brand))
    if draft:  # printed, a draft says so at the top of every page, not only the first
        out[f"{language}/{DRAFT_CSS}"] = draft_css(words["draft"]).encode()
    out[f"{ASSETS}/{STYLESHEET}"] = files.read_bytes(
        *project.stylesheet(STYLESHEET), what=f"stylesheet {STYLESHEET!r}")
    out[f"{language}/card.png"] = card.social_card(
        project.style_layers, title, selection.organisation, language,
        draft=words["draft"] if draft else "", brand=brief.brand)
    name = f"out/{brief.id}/web/{language}/index.html"
    print_document = build_document(selection, [parse(text, language)
                                                 for text in selection.texts])
    weight = page_weight(html, out)
    if weight >= WEIGHT_BUDGET:
        notices.append(_weight_warning(brief, sections, name, weight))
    warnings = (*notices, *audit.output_warnings(selection, print_document, html, name))
    return WebPage(html, out, len(footnotes), warnings)


@dataclass
class _Logos:
    """The identity's logos a page shows (`doc.brand.logo(…)`), each copied beside it, in
    `assets/brand/` (its path in the project kept): nothing comes from another host."""

    project: Project
    shown: dict[str, Path] = dataclasses.field(default_factory=dict)  # by the copy's name

    def src(self, image: Image) -> str:
        """The logo's address from the page (`<lang>/index.html`)."""
        name = f"{ASSETS}/brand/{image.path.relative_to(self.project.root).as_posix()}"
        self.shown[name] = image.path
        return f"../{name}"

    def files(self) -> dict[str, bytes]:
        return {name: files.read_bytes(self.project.root, path, what=f"logo {path.name!r}")
                for name, path in self.shown.items()}


def _font_files(project: Project, language: str, text: str, brand: Brand = DEFAULT
                ) -> dict[str, bytes]:
    """A page's fonts.css, its subsets holding `text` and, beside them, the fonts' licences
    (the OFL: the licence accompanies every copy of the fonts). With an identity
    (`_brand.yml`), its font files are subset instead of the shipped ones for the roles they
    play (`fonts.brand_faces`), and fonts.css (linked after web.css) ends with its colours and
    type roles (`make.brand.brand_css`), which thus win."""
    text_faces, ui_faces = fonts.brand_faces(brand)
    faces = (*text_faces, *ui_faces)
    found = {f"{language}/fonts/{face.woff2}": fonts.subset_woff2(project.style_layers, face, text)
             for face in faces}
    for licence in dict.fromkeys(face.licence for face in faces if face.licence):
        found[f"{language}/fonts/{licence}"] = fonts.licence(project.style_layers, licence)
    css = fonts.font_css("fonts/", faces)
    if needs_css(brand):  # the roles named as the subsets are: no @font-face of their own
        css += brand_css(dataclasses.replace(
            brand, text_family=Family(text_faces[0].family),
            headings_family=Family(ui_faces[0].family), monospace_family=None), cmyk=False)
    found[f"{language}/fonts.css"] = css.encode()
    return found


def brief_characters(brief: Brief, audience: Audience) -> str:
    """Every character the brief's pages may print, from its content rather than one page: each
    text of the brief in any language (a source's title, a note, a name …), the tool's words,
    the names and quotation marks of every language the audience makes, and their capitals.

    A page's subsets hold its own text and these, so the pages of one brief almost always ask
    for the same characters and share one subset per face (`fonts._subset`'s cache): a build
    subsets each face once, not once a language — while the PDFs are rendered
    (`warm_fonts`) — and a save that brings no new letter not at all. A page is never short
    of a glyph: its own text is always added."""
    return _brief_characters(brief, audience.labels, audience.languages or brief.languages)


def warm_fonts(project: Project, brief: Brief, audience: Audience) -> None:
    """Make the subsets the brief's pages will most likely ask for (`brief_characters`), so
    that `render_page` finds them made: `build` calls it in a thread while the PDFs render."""
    characters = brief_characters(brief, audience)
    text_faces, ui_faces = fonts.brand_faces(brief.brand)
    for face in (*text_faces, *ui_faces):
        fonts.subset_woff2(project.style_layers, face, characters)


@lru_cache(maxsize=8)
def _brief_characters(brief: Brief, overrides: tuple[tuple[str, str, str], ...],
                      languages: tuple[str, ...]) -> str:
    found: set[str] = set()
    for text in _strings(brief):
        found.update(text)
    for language in languages:
        for word in labels(language, overrides).values():
            found.update(word)
        found.update(language_name(language))
        found.update("".join(QUOTES.get(base(language), DEFAULT_QUOTES)))
    letters = "".join(sorted(found))
    return "".join(sorted(set(letters + fonts.uppercase(letters))))


def _strings(value: object) -> Iterator[str]:
    """Every string held in a model value (dataclasses, tuples, maps), depth first."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)


def draft_css(words: str) -> str:
    """The print rule of a draft page: `words` in the top margin box of every page, as a CSS
    string (every character but letters, digits and spaces escaped: nothing can end it)."""
    escaped = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in words)
    return ("@media print {\n  @page { @top-center { content: \"" + escaped + "\"; "
            "font-family: \"Inter\", sans-serif; font-weight: 600; font-size: 9pt; "
            "color: #a33a00; } }\n}\n")


def page_weight(html: str, files: Mapping[str, bytes]) -> int:
    """What a browser fetches for a page before its images and PDFs: the HTML, the stylesheets
    and the fonts (not the social card, the images, the PDFs or the fonts' licences)."""
    return len(html.encode()) + sum(len(data) for name, data in files.items()
                                    if name.endswith((".css", ".woff2")))


def _weight_warning(brief: Brief, sections: tuple[RenderedSection, ...], name: str, weight: int
                    ) -> BriefError:
    """A page over `WEIGHT_BUDGET`: a warning at its largest section (a long table, most often),
    else at the brief."""
    flat: list[RenderedSection] = []
    todo = list(sections)
    while todo:
        s = todo.pop(0)
        flat.append(s)
        todo.extend(s.sections)
    largest = max(flat, key=lambda s: len(s.body), default=None)
    model_sections = list(brief.sections)
    mark = Mark(brief.path, 1)
    while model_sections:
        candidate = model_sections.pop(0)
        if largest is not None and candidate.id == largest.id:
            mark = candidate.mark
            break
        model_sections.extend(candidate.sections)
    where = f" (its largest section: {largest.id!r})" if largest is not None else ""
    return ContentError(mark, f"{name} weighs {weight / 1000:.0f} kB before images and PDFs, "
                        f"more than the {WEIGHT_BUDGET // 1000} kB a page should{where}, slow on "
                        "a phone; shorten it, or leave long tables to the PDFs (a section's "
                        "`audiences:`)")


def chooser_language(brief: Brief, published: tuple[str, ...]) -> str:
    """The language whose page's fonts (`<lang>/fonts.css`) the chooser uses: the first the
    brief lists that has a page; that page's subsets also hold the chooser's text."""
    return next((code for code in brief.languages if code in published), brief.languages[0])


def render_index(project: Project, brief: Brief, audience: Audience,
                 published: tuple[str, ...]) -> bytes:
    """out/<brief>/web/index.html: the brief's title in each published language, each a link
    to its page (no script, no redirect), in the design's fonts (those of
    `chooser_language`'s page) and with its description."""
    entries = []
    for code in brief.languages:
        if code in published:
            selection = select(brief, audience, code)
            entries.append({"code": code, "name": language_name(code), "href": f"{code}/",
                            "title": plain(selection.title),
                            "organisation": selection.organisation})
    original = chooser_language(brief, published)
    selection = select(brief, audience, original)
    tokens = [parse(text, original) for text in selection.texts]
    document = {
        "language": original, "title": entries[0]["title"] if entries else brief.id,
        "fonts": f"{original}/fonts.css" if original in published else "",
        "description": _description(tokens, selection.summary_index,
                                    selection.subtitle or plain(selection.title)),
        "organisation": entries[0]["organisation"] if entries else "",
        "entries": entries, "csp": CSP, "generator": f"brief {__version__}",
        "canonical": f"{brief.url.rstrip('/')}/" if brief.url else "",
        "alternates": _alternates(brief, published)}
    return _render(project, INDEX_TEMPLATE, document).encode()


# ---------------------------------------------------------------------------------------------


def _render(project: Project, template: str, document: object) -> str:
    """Through `html.render_html`: the one place templates are rendered and their mistakes
    located."""
    return render_html(document, template, project.template_layers)


def download_label(brief: Brief, audience_name: str, language: str,
                   words: Mapping[str, str]) -> tuple[str, BriefError | None]:
    """What the list of downloads calls a PDF of `audience_name`: its design's `title:` in the
    page's language (audiences.yaml); else the catalog's words for what it is, its page size and
    whether it is for print or for the screen ("PDF (A4) for printing"), with a warning at the
    audience that the design has no title in the language. Never the internal name."""
    audience = brief.audience(audience_name)
    if audience is None:
        raise Bug(f"{brief.id} ({language}) web page", f"a PDF of audience {audience_name!r}, "
                  "which the brief does not have")
    title = audience.title
    named = title and (title.get(language) or title.get(base(language)))
    if named:
        return named, None
    key = "pdf_print" if audience.medium == "paper" else "pdf_screen"
    page = audience.page.name or (f"{audience.page.width_mm:g}\u202f×\u202f"
                                  f"{audience.page.height_mm:g}\u202fmm")
    label = words[key].replace("{page}", page)
    example = f'title: {{{language}: "…"}}'
    return label, ContentError(
        audience.title.mark if audience.title else audience.mark,
        f"audience {audience.name!r} has no title in {language!r}: the web page names its PDF "
        f"{label!r}; name the design for readers with `{example}` in audiences.yaml")


def _download(project: Project, brief: Brief, language: str, download: Download, *,
              words: Mapping[str, str], out: dict[str, bytes],
              notices: list[BriefError]) -> DownloadLink:
    """A PDF of the list: copied next to the page, named for readers (`download_label`), with
    its size and pages in the language."""
    folder = project.out / brief.id
    name = PurePosixPath(download.path).name
    out[f"{language}/{name}"] = files.read_bytes(
        folder, folder / download.path, what=f"the PDF {download.path!r}", limit=None)
    locale = base(language)
    if download.size >= 1_000_000:
        size = format_unit(download.size / 1_000_000, "digital-megabyte", length="short",
                           locale=locale, format="#,##0.0")
    else:
        size = format_unit(max(1, round(download.size / 1000)), "digital-kilobyte",
                           length="short", locale=locale, format="#,##0")
    pages = plural(language, "pages", download.pages).replace("{pages}", str(download.pages))
    label, notice = download_label(brief, download.audience, language, words)
    if notice is not None:
        notices.append(notice)
    return DownloadLink(label, name, f"PDF, {size}, {pages}")


def _alternates(brief: Brief, published: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    if not brief.url:
        return ()
    pages = tuple((code, page_address(brief, code)) for code in brief.languages
                  if code in published)
    return (*pages, ("x-default", f"{brief.url.rstrip('/')}/")) if pages else ()


#: The member states of the European Union (ISO 3166-1): the regions an EU brief's `og:locale`
#: may take from CLDR's likely region of its language.
EU_TERRITORIES = frozenset({"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR",
                            "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL",
                            "PT", "RO", "SE", "SI", "SK"})


def og_locale(language: str) -> str:
    """Open Graph's `language_TERRITORY` for the brief's language (docs/web.md): its own region
    when it names one (`pt-PT` → `pt_PT`); else CLDR's likely region when it lies in the EU
    (`nl` → `nl_NL`, `el` → `el_GR`); else the language alone (`en`, `pt`: CLDR's likely
    regions, the US and Brazil, are not what an EU brief is written for, and no region is
    invented)."""
    if "-" in language:
        return language.replace("-", "_")
    likely = str(babel.core.get_global("likely_subtags").get(base(language), ""))
    territory = likely.rsplit("_", maxsplit=1)[-1] if "_" in likely else ""
    return f"{language}_{territory}" if territory in EU_TERRITORIES else language


def _plain_text(tokens: Iterable[Token]) -> str:
    """A text's words without its note calls, links' addresses or markup."""
    parts = []
    for token in tokens:
        if token.type == "inline":
            parts.append(_plain_text(token.children or []))
        elif token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak", "paragraph_close", "list_item_close"):
            parts.append(" ")
    return "".join(parts)


def _description(tokens: list[list[Token]], summary: int | None, fallback: str) -> str:
    """The meta description: the summary as plain text, cut at a word; else `fallback`."""
    text = " ".join(_plain_text(tokens[summary]).split()) if summary is not None else ""
    text = (text or fallback).replace("\u00ad", "").replace("\u2060", "")
    if len(text) > DESCRIPTION_CHARS:
        text = text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def cited_keys(tokens: Iterable[Token]) -> list[str]:
    """The sources a page cites, in reading order, each once: its citations' and those inside
    its free notes (`^[See [@key]]`)."""
    keys: list[str] = []
    for token in tokens:
        if token.type == "fn_cite" and token.meta.get("key") not in keys:
            keys.append(str(token.meta["key"]))
        keys.extend(key for key in cited_keys(token.children or []) if key not in keys)
    return keys


def pdf_for_scholars(brief: Brief, downloads: tuple[Download, ...], language: str
                     ) -> Download | None:
    """The PDF the page names for scholarly indexes (`citation_pdf_url`, JSON-LD `encoding`):
    the most complete of its PDFs, the one whose audience prints the most sections; on a tie
    the larger page (A4 before A5), then the audience the brief lists first (docs/web.md)."""
    def sections(selected: tuple[SelectedSection, ...]) -> int:
        return sum(1 + sections(s.sections) for s in selected)

    def completeness(item: tuple[int, Download]) -> tuple[int, float, int]:
        index, download = item
        audience = brief.audience(download.audience)
        if audience is None:
            return (-1, 0.0, -index)
        printed = sections(select(brief, audience, language).sections)
        return (printed, audience.page.width_mm * audience.page.height_mm, -index)

    if not downloads:
        return None
    order = {a.name: i for i, a in enumerate(brief.audiences)}
    ranked = sorted(downloads, key=lambda d: order.get(d.audience, len(order)))
    return max(enumerate(ranked), key=completeness)[1]


def _agent(name: str, person: bool) -> dict[str, object]:
    return {"@type": "Person" if person else "Organization", "name": name}


def _json_ld(brief: Brief, language: str, title: str, address: str, *,
             keys: Iterable[str], pdf_url: str, description: str, card_url: str,
             organisation_name: str) -> Markup:
    """schema.org's `Report`: the brief by its organisation (author and publisher), its
    headline, description, date, social card and PDF, and the sources it cites (each with its
    authors as Person or Organization, its publisher, address and date)."""
    organisation = _agent(organisation_name, False)
    citations = []
    for key in keys:
        source = brief.source(key)
        if source is None:
            continue
        work: dict[str, object] = {"@type": "CreativeWork", "name": (
            source.title.get(language) or source.title.get(brief.languages[0]) or key)}
        if source.authors:  # CSL-JSON: each name, a person's or an organisation's
            work["author"] = [_agent(name, person) for name, person in source.authors]
        elif source.author is not None and source.author.get(language):
            work["author"] = source.author.get(language)  # written as one text: as it is
        publisher = source.publisher.get(language) if source.publisher is not None else None
        if publisher:
            work["publisher"] = _agent(publisher, False)
        if source.url:
            work["url"] = source.url
        if source.date:
            work["datePublished"] = source.date
        citations.append(work)
    data: dict[str, object] = {
        "@context": "https://schema.org", "@type": "Report", "name": title,
        "headline": title if len(title) <= HEADLINE_CHARS else
        title[:HEADLINE_CHARS - 1].rsplit(" ", 1)[0] + "…",
        "description": description, "inLanguage": language,
        "datePublished": brief.date.isoformat(), "author": organisation,
        "publisher": organisation}
    if address:
        data["url"] = address
    if card_url:
        data["image"] = {"@type": "ImageObject", "url": card_url, "width": card.WIDTH,
                         "height": card.HEIGHT}
    if pdf_url:
        data["encoding"] = {"@type": "MediaObject", "encodingFormat": "application/pdf",
                            "contentUrl": pdf_url}
    if citations:
        data["citation"] = citations
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    # inside <script> nothing may close it: `<` written as its JSON escape
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _citation_meta(brief: Brief, language: str, title: str, organisation: str, pdf_url: str
                   ) -> tuple[tuple[str, str], ...]:
    """Highwire Press tags (Google Scholar's inclusion guidelines): title, author, date
    (YYYY/MM/DD), language, the institution a report is issued by and the PDF. A brief names
    no people, so its author is its organisation, which issues it as a technical report."""
    meta = [("citation_title", title), ("citation_author", organisation),
            ("citation_publication_date", brief.date.strftime("%Y/%m/%d")),
            ("citation_language", language),
            ("citation_technical_report_institution", organisation)]
    if pdf_url:
        meta.append(("citation_pdf_url", pdf_url))
    return tuple(meta)


#: The classes styles/web.css sets in capitals (`text-transform: uppercase`): the subsets hold
#: the capitals of their text too (tests/test_web_design.py keeps the two in step).
UPPERCASE_CLASSES = frozenset({"kicker"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})


class _TextOf(HTMLParser):
    """The text a page shows (what its fonts must hold), its <head> and <script> left out; the
    text CSS sets in capitals (`UPPERCASE_CLASSES`) and the addresses of its links to the web
    (the print stylesheet prints them after a note's link) apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.capitals: list[str] = []
        self.addresses: list[str] = []
        self.skip = 0
        self.open: list[bool] = []  # for each open element: is it (inside) one set in capitals

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("head", "script", "style"):
            self.skip += 1
        values = dict(attrs)
        if tag not in _VOID:
            classes = set((values.get("class") or "").split())
            self.open.append(bool(self.open and self.open[-1]) or bool(
                classes & UPPERCASE_CLASSES))
        if values.get("alt"):  # alt texts show when an image does not
            self.parts.append(values["alt"] or "")
        href = values.get("href") or ""
        if tag == "a" and href.startswith(("http://", "https://")):
            self.addresses.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "script", "style"):
            self.skip -= 1
        if tag not in _VOID and self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)
            if self.open and self.open[-1]:
                self.capitals.append(data)


def _parsed(html: str) -> _TextOf:
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return parser


def _visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", "".join(_parsed(html).parts))


def _font_text(html: str) -> str:
    """What the page's fonts must hold: its visible text, the capitals of the text CSS sets in
    capitals, and the addresses the print stylesheet prints."""
    parsed = _parsed(html)
    return "".join((*parsed.parts, fonts.uppercase("".join(parsed.capitals)),
                    *parsed.addresses))


__all__ = ["CSP", "Download", "WebPage", "page_address", "render_index", "render_page",
           "warm_fonts"]
