"""audit: a brief and what each of its outputs prints → warnings: what would reach paper wrongly
without stopping a build.

* `output_warnings`: one output's `Selection`, `Document` and HTML → placeholders it prints (the
  fields a brief lists under `placeholders:`, stand-in text such as `[TODO]`, `XXX` or
  `[Platzhalter]` written into content, the example sentences `brief new` writes, and addresses
  at the reserved example domains — example.org, *.example, … — in sources, links, the contact
  and `url:` unless that field is listed under `placeholders:`), and what its audience is set
  to print but its template has no place for (the summary, the contact block, the QR code);
* `brief_warnings`: a brief and the selections of all its outputs → sections no output prints,
  and sources cited only where no output prints them;
* `image_uses` and `locate_preflight`: a PDF's preflight warnings → located at the brief's line
  that uses the image they are about (matched by pixel size), named by its file;
* `locate_defects`: the typesetting rules' defects left in a layout (`typeset`) → warnings
  naming the output and page, at the line of the output's translation or brief that prints
  the words (their `field` is `LAYOUT_FIELD`, so that they can be counted).

Each warning is a `ContentError` at the line that causes it; `--strict` makes them errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import escape

from ..errors import BriefError, ContentError, LocatedError, Mark
from ..read.images import read_image_info
from ..read.model import Brief, Section, Text, TextEntry
from ..read.scaffold import example_sentences
from ..read.select import Selection
from ..text.lint import image_sources
from ..text.locale import catalog, catalog_languages
from ..text.syntax import CITE_RE, CITED_KEY_RE
from .html import Document
from .standards.x4 import IMAGE_RE
from .typeset import Defect
from .typeset.report import LAYOUT_FIELD

#: Words that mark a text as a stand-in when written in square brackets, in the languages briefs
#: are written in (and the words templates print after a placeholder field, from `labels`).
PLACEHOLDER_WORDS = tuple(sorted({
    "placeholder", "todo", "to do", "tbd", "tbc", "fixme", "to be confirmed", "to be decided",
    "platzhalter", "ergänzen", "noch offen",
    "à compléter", "a compléter", "à completer", "à préciser", "à définir", "à confirmer",
    "invullen", "in te vullen", "nog invullen", "nog in te vullen", "pm", "p.m.",
    "do uzupełnienia", "uzupełnić", "uzupełnij", "do ustalenia",
    *(catalog(language).get("placeholder", "placeholder").lower()
      for language in catalog_languages())}, key=len, reverse=True))

#: A stand-in written into content: `[TODO]`, `[TODO: ask Jan]`, `[Platzhalter]`,
#: `[à compléter]`, `XXX` (capitals), `Lorem ipsum`.
PLACEHOLDER_RE = re.compile(
    r"\[\s*(" + "|".join(re.escape(w) for w in PLACEHOLDER_WORDS) + r")(?![\w.])[^\]\n]*\]"
    r"|(?-i:\b(X{3,})\b)|\b(lorem ipsum)\b", re.IGNORECASE)

QUOTE_LENGTH = 60  # characters of a text quoted in a warning

#: The domains reserved for examples (RFC 2606, RFC 6761): no reader can reach an address there.
EXAMPLE_HOST_RE = re.compile(
    r"(?:^|\.)(?:example\.(?:com|net|org)|example|test|invalid|localhost)\.?$", re.IGNORECASE)
#: An address written into a text: a URL's host, or an e-mail address's domain.
ADDRESS_RE = re.compile(r"(?:https?://|mailto:)[^\s<>()\[\]\"']+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


# ---------------------------------------------------------------------------------------------
# One output


def output_warnings(selection: Selection, document: Document, html: str,
                    output_name: str) -> list[BriefError]:
    """What may be wrong with what one output prints: placeholders, and settings its template
    has no place for."""
    body = _body_text(html)
    return [*_placeholder_fields(selection, document, body, html, output_name),
            *_placeholder_texts(selection, body, output_name),
            *_example_texts(selection, output_name),
            *_example_addresses(selection, document, body, html, output_name),
            *_unprinted_settings(selection, document, html, body, output_name)]


def is_example_address(address: str) -> bool:
    """Whether a URL or e-mail address is at a reserved example domain (example.org,
    www.example.com, *.example, *.test, *.invalid, *.localhost)."""
    if "://" in address:
        host = urlsplit(address).hostname or ""
    else:
        host = address.removeprefix("mailto:").rpartition("@")[2]
    return bool(EXAMPLE_HOST_RE.search(host))


@lru_cache(maxsize=1)
def _example_res() -> tuple[re.Pattern[str], ...]:
    """`brief new`'s example sentences, each matching across line breaks (its bodies are
    wrapped)."""
    return tuple(re.compile(r"\s+".join(re.escape(word) for word in sentence.split()))
                 for sentence in example_sentences())


def _example_texts(selection: Selection, output_name: str) -> list[BriefError]:
    """The example sentences `brief new` wrote, still in a text this output prints."""
    warnings: list[BriefError] = []
    for text in selection.printed:
        entry = text.entry(selection.language)
        if entry is None:
            continue
        for pattern in _example_res():
            match = pattern.search(entry.value)
            if match:
                warnings.append(ContentError(
                    entry.mark_of(match.start()), f"{output_name} prints a placeholder, the "
                    f"example text of `brief new` ({_quote(entry, match.start(), match.end())!r});"
                    " replace it with your own before sending", text.field))
    return warnings


def _example_addresses(selection: Selection, document: Document, body: str, html: str,
                       output_name: str) -> list[BriefError]:
    """Addresses at a reserved example domain this output prints or links to: in a source it
    cites, a text, the contact block or `url:` (unless the field is listed under
    `placeholders:`, which warns already)."""
    brief = selection.brief
    warnings: list[BriefError] = []

    def warn(mark: Mark, address: str, what: str, field: str) -> None:
        warnings.append(ContentError(
            mark, f"{output_name} prints a placeholder, the example address {address!r}{what} "
            "(example.org and the like are reserved for examples); replace it with the real "
            "address before sending", field))

    cited = dict.fromkeys(m[1] for text in selection.texts for m in CITED_KEY_RE.finditer(text))
    for key in cited:
        source = brief.source(key)
        if source is not None and source.url and is_example_address(source.url):
            warn(source.mark, source.url, f" of source {key!r}", f"sources.{key}")
    for text in selection.printed:
        entry = text.entry(selection.language)
        for match in ADDRESS_RE.finditer(entry.value if entry is not None else ""):
            if entry is not None and is_example_address(match[0]):
                warn(entry.mark_of(match.start()), match[0].removeprefix("mailto:"), "",
                     text.field)
    if ("url" not in brief.placeholders and brief.url and is_example_address(brief.url)
            and str(escape(brief.url)) in html):
        warn(_line_of(brief.path, brief.url), brief.url, " (`url:`)", "url")
    contact = document.contact
    if contact is not None and "contact" not in brief.placeholders and _contact_shown(
            document, body):
        for value in (contact.email, contact.url):
            if value and is_example_address(value) and str(escape(value)) in html:
                warn(_line_of(brief.path, value), value, " (`contact:`)", "contact")
    return warnings


def _line_of(path: Path, value: str) -> Mark:
    """The first line of a file that holds `value` (the file's first line if none does)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    for number, line in enumerate(lines, start=1):
        if value in line:
            return Mark(path, number, line.index(value) + 1)
    return Mark(path, 1)


def _placeholder_texts(selection: Selection, body: str, output_name: str) -> list[BriefError]:
    """Stand-in text written into a field this output prints ("[TODO]", "XXX", …)."""
    folded = body.casefold()
    warnings: list[BriefError] = []
    for text in selection.printed:
        entry = text.entry(selection.language)
        if entry is None:
            continue
        for match in PLACEHOLDER_RE.finditer(entry.value):
            word = next(group for group in match.groups() if group)
            if word.casefold() not in folded:  # not printed after all (a template leaves it out)
                continue
            warnings.append(ContentError(
                entry.mark_of(match.start()), f"{output_name} prints a placeholder "
                f"({_quote(entry, match.start(), match.end())!r}); replace it before sending",
                text.field))
    return warnings


def _placeholder_fields(selection: Selection, document: Document, body: str, html: str,
                        output_name: str) -> list[BriefError]:
    """Fields listed under `placeholders:` that this output prints (marked "[placeholder]")."""
    brief = selection.brief
    printed = {
        "date": document.date if document.date in body else "",
        "url": brief.url if brief.url and str(escape(brief.url)) in html else "",
        "organisation": document.organisation if document.organisation in body else "",
        "subtitle": document.subtitle if document.subtitle and document.subtitle in body else "",
        "contact": (_contact_shown(document, body) or "") if document.contact else "",
    }
    return [ContentError(brief.placeholder_mark(name),
                         f"{output_name} prints a placeholder ({name}: {printed[name]!r}); "
                         f"replace it before sending, then remove {name!r} from `placeholders:`",
                         "placeholders")
            for name in brief.placeholders if printed.get(name)]


def _unprinted_settings(selection: Selection, document: Document, html: str, body: str,
                        output_name: str) -> list[BriefError]:
    """The summary, contact block or QR code the audience is set to print but its template has
    no place for (or, for the QR code, that has nothing to link to)."""
    brief, audience = selection.brief, selection.audience
    where = audience.brief_mark or audience.mark
    template = f"templates/{audience.template}"
    warnings: list[BriefError] = []
    if document.summary and str(document.summary) not in html and brief.summary is not None:
        others = [a.name for a in brief.audiences if a.name != audience.name]
        warnings.append(ContentError(
            brief.summary.mark, f"{output_name} leaves the summary out: the design "
            f"{audience.name!r} ({template}) has no place for it; to say so in the brief, "
            f"write `summary: {{audiences: [{', '.join(others)}], body: …}}`", "summary"))
    if document.contact is not None and not _contact_shown(document, body):
        warnings.append(ContentError(
            where, f"{output_name} leaves the contact block out although audience "
            f"{audience.name!r} has `contact: true`: its design ({template}) has no place for "
            "it; ask whoever keeps the templates to add it", "contact"))
    if audience.qr and not brief.url:
        warnings.append(ContentError(
            where, f"{output_name} prints no QR code although audience {audience.name!r} has "
            "`qr: true`: the brief has no `url:` for it to link to; add `url: https://…`",
            "url"))
    elif document.qr_code and str(document.qr_code) not in html:
        warnings.append(ContentError(
            where, f"{output_name} prints no QR code although audience {audience.name!r} has "
            f"`qr: true`: its design ({template}) has no place for it; ask whoever keeps the "
            "templates to add it", "qr"))
    return warnings


def _contact_shown(document: Document, body: str) -> str | None:
    """The first detail of the contact block this output's text shows, if any."""
    contact = document.contact
    if contact is None:
        return None
    return next((value for value in (contact.name, contact.email, contact.phone)
                 if value and value in body), None)


def _quote(entry: TextEntry, start: int, end: int) -> str:
    """The text around a placeholder: the whole line when short, else a piece of it."""
    value = entry.value
    line_start = value.rfind("\n", 0, start) + 1
    line_end = value.find("\n", end)
    line = value[line_start:line_end if line_end >= 0 else len(value)].strip()
    if len(line) <= QUOTE_LENGTH:
        return line
    left = max(line_start, start - 20)
    piece = value[left:min(len(value), end + 25)].split("\n")[0].strip()
    return ("…" if left > line_start else "") + piece + "…"


class _BodyText(HTMLParser):
    """The text of an HTML document's body, as a reader sees it (entities resolved)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_body = True
        elif tag == "img" and self.in_body:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.in_body:
            self.parts.append(data)


def _body_text(html: str) -> str:
    parser = _BodyText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts).replace("\u00ad", "").replace("\u200b", "").replace("\u2060", "")
    return re.sub(r"\s+", " ", text)  # no-break spaces too


# ---------------------------------------------------------------------------------------------
# One brief, over all its outputs


def brief_warnings(brief: Brief, selections: list[Selection]) -> list[BriefError]:
    """Sections no output of the brief prints, and sources cited only in texts no output prints
    (sources cited nowhere are `pipeline.warnings_for`'s)."""
    names = tuple(a.name for a in brief.audiences)
    warnings: list[BriefError] = []

    def walk(sections: tuple[Section, ...], shown: tuple[str, ...], parent: str) -> None:
        for section in sections:
            here = tuple(n for n in shown if section.shown_to(n))
            if names and not here:
                listed = ", ".join(section.audiences or ()) or "no audience"
                reason = (f"its parent section {parent!r} is not printed for "
                          f"{', '.join(section.audiences or ())}" if parent and any(
                              section.shown_to(n) for n in names) else
                          f"its `audiences:` lists {listed}, and this brief is built for "
                          f"{', '.join(names)}")
                warnings.append(ContentError(
                    section.audiences_mark or section.mark,
                    f"section {section.id!r} is printed by no audience: {reason}; add one of "
                    "the brief's audiences or remove the section", f"sections.{section.id}"))
                continue
            walk(section.sections, here, section.id)

    walk(brief.sections, names, "")
    printed_cites = {m[1] for s in selections for text in s.texts for m in CITE_RE.finditer(text)}
    cited = {m[1] for text in _all_texts(brief) for entry in text.entries
             for m in CITE_RE.finditer(entry.value)}
    warnings.extend(ContentError(
        source.mark, f"source {source.key!r} is cited only in texts no output prints (sections "
        "left out for every audience, or a language no audience is in); no PDF lists it",
        f"sources.{source.key}")
        for source in brief.sources if source.key in cited and source.key not in printed_cites)
    return warnings


def _all_texts(brief: Brief) -> list[Text]:
    found = [brief.summary] if brief.summary is not None else []

    def walk(sections: tuple[Section, ...]) -> None:
        for section in sections:
            if section.body is not None:
                found.append(section.body)
            walk(section.sections)

    walk(brief.sections)
    return found


# ---------------------------------------------------------------------------------------------
# Preflight warnings, located


@dataclass(frozen=True, slots=True)
class ImageUse:
    """An image an output prints: its file (in the brief's folder), where the brief uses it,
    and its pixel size."""

    src: str
    mark: Mark
    width: int
    height: int


def image_uses(selection: Selection) -> tuple[ImageUse, ...]:
    """Every raster image one output prints, with its pixel size and where the brief uses it."""
    uses = []
    for text in selection.printed:
        entry = text.entry(selection.language)
        if entry is None:
            continue
        for offset, src in image_sources(entry.value):
            info = read_image_info(selection.brief.folder / src)
            if info is not None and info.width:
                uses.append(ImageUse(src, entry.mark_of(offset), info.width, info.height))
    return tuple(uses)


def locate_preflight(warnings: tuple[str, ...], output_name: str,
                     images: tuple[ImageUse, ...]) -> list[BriefError]:
    """A PDF's preflight warnings as located warnings: one about an image names the brief's
    image file of that pixel size and points at the line that uses it; the others (colours,
    fonts, boxes) come from the design and are not located."""
    located: list[BriefError] = []
    for warning in warnings:
        match = IMAGE_RE.search(warning)
        uses = [u for u in images if match and (u.width, u.height) == (int(match[1]),
                                                                       int(match[2]))]
        if match and uses:
            names = " or ".join(dict.fromkeys(u.src for u in uses))
            located.append(LocatedError(
                uses[0].mark, f"{output_name}: " + warning.replace(
                    match[0], f"{names} ({match[1]} × {match[2]} pixels)"), "image"))
        else:
            located.append(LocatedError(None, f"{output_name}: {warning}"))
    return located



def locate_defects(defects: tuple[Defect, ...], output_name: str, content_file: Path | None,
                   language: str) -> list[BriefError]:
    """The typesetting rules' defects left in an output as warnings: `<output> page N: what is
    wrong; what to do`, at the first line of the output's translation (or else its brief.yaml)
    that holds the words (unlocated when none does)."""
    files = [] if content_file is None else [
        content_file.parent / "translations" / f"{language}.po", content_file]
    located: list[BriefError] = []
    for defect in defects:
        mark = next((m for needle in defect.find for path in files
                     if needle and (m := _line_with(path, needle)) is not None), None)
        located.append(LocatedError(mark, f"{output_name} page {defect.page}: {defect.message}",
                                    LAYOUT_FIELD))
    return located


def _line_with(path: Path, needle: str) -> Mark | None:
    """The first line of a file that holds `needle`; None when none does or it is unreadable."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((Mark(path, number, line.index(needle) + 1)
                 for number, line in enumerate(lines, start=1) if needle in line), None)
