"""model: `RawNode` trees → frozen, validated dataclasses (`Brief`, `Audience`, `Section`, …).

Validation reports every problem it finds (`BriefErrors`), each at the line that caused it; the
rest of the pipeline can then trust the model and never looks at raw YAML again.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from email.headerregistry import Address
from pathlib import Path
from urllib.parse import quote, urlsplit

from .. import files
from ..errors import BriefError, ContentError, Mark
from ..make.standards import PRINT_CONDITIONS, STANDARDS, Standard, default_standard
from ..make.standards.x4 import DEFAULT_PRINT_CONDITION
from ..make.typeset.fit import STEPS as FIT_STEPS
from ..project import AUDIENCES_FILE, Project, id_problem, shown_id
from ..suggest import suggest
from ..text import locale
from .brand import DEFAULT, Brand
from .languages import LANGUAGE_RE, language_problem
from .load import RawNode, WrittenLine, yaml_quoted
from .stylesheets import problems as css_problems

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: (URL_RE and EMAIL_RE are the rough shape the JSON schema gives editors; `url_problem` and
#: `email_problem` are the check.)
#: What no address may hold as written (RFC 3986 and 5322): white space, quotation marks, angle
#: brackets and the like, control characters (C0, DEL, C1) and invisible format characters
#: (zero-width, bidirectional).
_NOT_IN_ADDRESS_RE = re.compile(
    r'[\s"<>\\^`{|}\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]')
_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _character_problem(value: str, *, in_url: bool) -> str | None:
    bad = _NOT_IN_ADDRESS_RE.search(value)
    if bad is None:
        return None
    char = bad[0]
    name = unicodedata.name(char, "").lower() or f"U+{ord(char):04X}"
    shown = repr(char) if char.isprintable() and not char.isspace() else name
    advice = f"remove it, or write it percent-encoded ({quote(char)})" if in_url else "remove it"
    return (f"holds {shown} (character {bad.start() + 1}), which no address may hold as "
            f"written; {advice}")


def _domain_problem(host: str, what: str = "host name") -> str | None:
    """What is wrong with a host name (a domain, possibly in another script, or an IP
    address), or None."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return f"has the {what} {host!r}, which is no domain name"
    labels = ascii_host.rstrip(".").split(".")
    if len(labels) < 2 or not all(_LABEL_RE.match(label) for label in labels):
        return (f"has the {what} {host!r}, which is no domain name (letters, digits and "
                "hyphens, with a dot: example.org)")
    return None


def url_problem(value: str) -> str | None:
    """Why `value` is no http(s) web address a reader can open (the end of a message that
    starts with the field and value), or None; parsed with urllib.parse."""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not value.lower().startswith(
            f"{parts.scheme.lower()}://"):
        return "is not an http(s) URL; write it as https://…"
    problem = _character_problem(value, in_url=True)
    if problem:
        return problem
    try:
        host, _port = parts.hostname, parts.port
    except ValueError as exc:
        return f"is no web address ({exc}); write it as https://example.org/…"
    if not host:
        return "has no host name; write it as https://example.org/…"
    return _domain_problem(host)


def email_problem(value: str) -> str | None:
    """Why `value` is no e-mail address (name@example.org), or None; parsed by the standard
    library's `email.headerregistry.Address`."""
    problem = _character_problem(value, in_url=False)
    if problem:
        return problem
    try:
        address = Address(addr_spec=value)
    except (ValueError, IndexError):  # email.errors' defects; IndexError: "info@" (3.11)
        return "is not an e-mail address; write it as name@example.org"
    if not address.username or address.addr_spec != value:
        return "is not an e-mail address; write it as name@example.org"
    return _domain_problem(address.domain, "domain")
PAGE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:mm)?\s*[x×]\s*(\d+(?:\.\d+)?)\s*(?:mm)?\s*$")
LENGTH_MM_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mm)?\s*$")
ANY_LANGUAGE = ""
#: A word longer than this (not a web address) fits no line of any page, and laying it out
#: with hyphenation takes minutes (a 2,000-letter word: one): an error before rendering. A
#: shorter word too long for its line is found after layout (`pdf.overflows`).
MAX_WORD = 100
_LONG_WORD_RE = re.compile(rf"\S{{{MAX_WORD + 1},}}")
#: A long "word" that is a web or e-mail address, a Markdown link or table row: not a word,
#: unless it is longer than this.
MAX_ADDRESS = 2000
_NOT_A_WORD_RE = re.compile(r"://|^www\.|@[\w-]+\.[\w.-]|\]\(|\|", re.IGNORECASE)
#: Raw HTML, as Markdown texts refuse it (`syntax.RAW_HTML_RE`): in a plain text too.
RAW_HTML_RE = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?/?>|<!--|<\?")
#: Markdown's span with attributes, `[Grooming]{lang=en}`, or what is left of one: in a plain
#: text it would print as written.
SPAN_RE = re.compile(r"\[[^\[\]\n]*\]\{[^{}\n]*\}?|\{\s*lang\s*=")
PO_STYLE = "po"  # a TextEntry read from a translation file (translations.py)

#: Paper sizes an audience may name, in millimetres (width, height).
PAGE_SIZES_MM = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "A3": (297.0, 420.0)}

#: How an audience's output is read: on paper, URLs are printed in full; on screen, titles are
#: links; `web`: not a PDF but the brief's web edition (generator/make/web), one page per language.
MEDIA = ("paper", "screen", "web")

#: Print marks an audience may ask for (drawn by `finish`).
PRINT_MARKS = ("crop", "cross")

#: How an audience's pages are imposed (`print: {imposition: …}`): `booklet` pads the output to
#: a multiple of 4 pages and also writes it imposed two pages a side for folding (impose.py).
IMPOSITIONS = ("none", "booklet")

#: Largest bleed we accept, in millimetres.
MAX_BLEED_MM = 10.0

#: Smallest and largest side of a custom page size, in millimetres.
MIN_PAGE_MM = 50.0
MAX_PAGE_MM = 1000.0


# ---------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True, slots=True)
class TextEntry:
    """One language's version of a text, with where it is written."""

    language: str  # ANY_LANGUAGE when the text is one plain string
    value: str
    mark: Mark
    style: str
    indent: int = 0  # block scalars: the column (0-based) their lines start at
    written: tuple[WrittenLine, ...] = ()  # its lines as written, when YAML folded them

    def mark_of(self, offset: int) -> Mark:
        """Where character `offset` of `value` is written in the file (line and column)."""
        if self.style == PO_STYLE:  # a translation in a PO file: its entry's line
            return self.mark
        lines_before = self.value.count("\n", 0, offset)
        column_in_line = offset - (self.value.rfind("\n", 0, offset) + 1)
        if self.style in ("|", ">"):
            return Mark(self.mark.path, self.mark.line + 1 + lines_before,
                        self.indent + column_in_line + 1)
        if lines_before == 0:  # one-line scalar: after the opening quote, if any
            quote = 1 if self.style in ('"', "'") else 0
            return Mark(self.mark.path, self.mark.line, self.mark.col + quote + column_in_line)
        return Mark(self.mark.path, self.mark.line + lines_before)


@dataclass(frozen=True, slots=True)
class Text:
    """A text field: one string for every language, or one string per language."""

    entries: tuple[TextEntry, ...]
    field: str
    mark: Mark

    def entry(self, language: str) -> TextEntry | None:
        for entry in self.entries:
            if entry.language in (language, ANY_LANGUAGE):
                return entry
        return None

    def get(self, language: str) -> str | None:
        entry = self.entry(language)
        return entry.value if entry else None


@dataclass(frozen=True, slots=True)
class TranslationGap:
    """A translation an output may need that is stale (its original changed since) or missing,
    found in a PO file by `translations.apply`; `check` and `build` decide what it stops."""

    text_mark: Mark  # the text's `Text.mark`: which field of brief.yaml
    language: str
    stale: bool  # False: missing
    mark: Mark  # the entry's line in the PO file (line 1 when it has no entry); with
    # `no_file`, where the text is written in brief.yaml
    field: str  # how messages name the text
    msgctxt: str
    no_file: bool = False  # the language has no PO file: the text is written once, untranslated
    #: Stale only by its fuzzy flag: the original is what was translated (a review left open).
    fuzzy_only: bool = False
    #: Missing, but an entry with the original's text is under another msgctxt (translated, or
    #: mistyped): that msgctxt (`mark` is its line).
    orphan: str = ""


@dataclass(frozen=True, slots=True)
class PageSize:
    name: str  # "A4", "A5" or "" for a custom size
    width_mm: float
    height_mm: float

    @property
    def css(self) -> str:
        return self.name if self.name else f"{self.width_mm:g}mm {self.height_mm:g}mm"


@dataclass(frozen=True, slots=True)
class Audience:
    """One design a brief can be rendered in (from audiences.yaml, with the brief's overrides)."""

    name: str
    languages: tuple[str, ...]
    template: str
    stylesheets: tuple[str, ...]
    page: PageSize
    max_pages: int | None
    bleed_mm: float
    marks: tuple[str, ...]
    medium: str  # "paper": URLs printed in full; "screen": links only
    contact: bool  # close with the brief's contact block
    qr: bool  # print a QR code to the brief's url
    mark: Mark
    max_pages_mark: Mark | None = None  # where the page budget is set
    standard: Standard = STANDARDS["ua-1"]  # the PDF standard the output claims (`pdf:`)
    print_condition: str = DEFAULT_PRINT_CONDITION  # PDF/X: the press it is separated for
    brief_mark: Mark | None = None  # where the brief names this audience under `audiences:`
    labels: locale.Overrides = ()  # the organisation's own words (`labels:` in audiences.yaml)
    imposition: str = "none"  # "booklet": padded to a multiple of 4 pages, and imposed
    #: How its personal copies' cover letters go out (`letter: {delivery:}`): "post" prints the
    #: recipient's postal address for a window envelope; "email" leaves the address block out.
    letter_delivery: str = "post"
    #: The steps the design allows to fit the text to its pages (`fit:`, typeset/fit.py), in
    #: the order they are tried, and where they are listed.
    fit: tuple[str, ...] = ()
    fit_mark: Mark | None = None
    #: What readers call the design, per language (`title:`): the web edition names the PDFs
    #: it offers so ("Brief for Members of the European Parliament"); None: not named.
    title: Text | None = None


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: Text | None
    body: Text | None
    css_class: str
    audiences: tuple[str, ...] | None  # None: every audience
    sections: tuple[Section, ...]
    mark: Mark
    audiences_mark: Mark | None = None  # where its `audiences:` is written

    def shown_to(self, audience: str) -> bool:
        return self.audiences is None or audience in self.audiences


@dataclass(frozen=True, slots=True)
class Published:
    """Where a source from a CSL-JSON file (`bibliography:`, bibliography.py) appeared, as
    its reference prints it; each part as written in the file ("" when it has none)."""

    container: str = ""  # the journal, website, book or official journal (container-title)
    volume: str = ""
    issue: str = ""
    number: str = ""  # a law's, a report's number
    pages: str = ""  # the pages it fills, a range with an en dash
    date_literal: str = ""  # a date written in words, printed as it is (when `date` is "")
    kind: str = ""  # the CSL `type` ("chapter", "article-journal" …): whose editors these are


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    title: Text
    publisher: Text | None
    author: Text | None
    url: str
    date: str
    accessed: str
    mark: Mark
    #: A source read from a CSL-JSON file (`bibliography:`): printed as written in every
    #: language (never translated), not warned about when nothing cites it; None: `sources:`.
    published: Published | None = None
    #: The language the source is written in (`language:`, CSL-JSON's `language`): its title,
    #: short title, container and publisher are typeset by its rules and tagged with it
    #: (footnotes.py); "": unknown, typeset as the output's language.
    language: str = ""
    #: The title a repeated citation prints (`short_title:`, CSL-JSON's `title-short`); None:
    #: footnotes.short_title makes one from the title.
    short_title: Text | None = None
    #: The work's editors (CSL-JSON `editor`), each name as printed; printed as editors.
    editors: tuple[str, ...] = ()
    #: The authors' (else the editors') family names, as a repeated citation prints them
    #: (CSL-JSON); "": the author, else the publisher, as written.
    short_author: str = ""
    #: The authors of a CSL-JSON source one by one (`author:` is them joined): each name as
    #: printed and whether it is a person's (else an organisation's, a literal name); the web
    #: edition's metadata (JSON-LD) names them so. (): from `sources:`, written as one text.
    authors: tuple[tuple[str, bool], ...] = ()
    #: A CSL-JSON `language` brief cannot read: (as written, where): a warning
    #: (`bibliography.warnings`), the source typeset as the output's language.
    unread_language: tuple[str, Mark] | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    """Who the brief names as its contact (`contact:`): its contact block, and the cover
    letter's letterhead and signature (letter.py). A brand file may fill it later."""

    name: Text | None
    email: str
    phone: str
    url: str
    address: tuple[str, ...] = ()  # the organisation's postal address, one line each
    logo: str = ""  # an image in the brief's folder, printed on the letterhead
    logo_mark: Mark | None = None  # where `logo:` is written


@dataclass(frozen=True, slots=True)
class Brief:
    id: str
    path: Path
    title: Text
    subtitle: Text | None
    organisation: Text
    date: dt.date
    languages: tuple[str, ...]
    url: str
    summary: Text | None
    contact: Contact | None
    audiences: tuple[Audience, ...]
    sections: tuple[Section, ...]
    sources: tuple[Source, ...]
    placeholders: tuple[str, ...]  # top-level fields whose values are stand-ins, printed marked
    placeholder_marks: tuple[tuple[str, Mark], ...] = ()  # where each is listed
    summary_audiences: tuple[str, ...] | None = None  # `summary: {audiences:}`; None: all
    summary_audiences_mark: Mark | None = None
    gaps: tuple[TranslationGap, ...] = ()  # stale or missing translations (translations.py)
    letter: Text | None = None  # the cover letter of personal copies (`letter:`, letter.py)
    #: Texts that are the same in every language (`same_in_every_language:`, translations.py):
    #: each item as listed (`organisation`, `contact`, `sources`, `sources.<key>` …) and where.
    same_in_every_language: tuple[tuple[str, Mark], ...] = ()
    #: The organisation's identity (`_brand.yml`, `read.brand`), the same for every brief of
    #: the project: set by the composer (`pipeline.model_brief`) after the brief is read.
    brand: Brand = DEFAULT

    def summary_shown_to(self, audience: str) -> bool:
        return self.summary_audiences is None or audience in self.summary_audiences

    def placeholder_mark(self, name: str) -> Mark:
        """Where `name` is listed under `placeholders:` (the brief's first line if nowhere)."""
        return next((mark for listed, mark in self.placeholder_marks if listed == name),
                    Mark(self.path, 1))

    @property
    def folder(self) -> Path:
        return self.path.parent

    def source(self, key: str) -> Source | None:
        for source in self.sources:
            if source.key == key:
                return source
        return None

    def audience(self, name: str) -> Audience | None:
        for audience in self.audiences:
            if audience.name == name:
                return audience
        return None


# ---------------------------------------------------------------------------------------------
# Validation helpers


class _Checker:
    """Walks raw nodes, collecting errors instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[BriefError] = []

    def error(self, mark: Mark, message: str, field: str = "") -> None:
        self.errors.append(ContentError(mark, message, field))

    def mapping(self, node: RawNode, field: str, allowed: tuple[str, ...],
                required: tuple[str, ...] = ()) -> dict[str, RawNode] | None:
        if node.kind != "map":
            self.error(node.mark, f"{field} must be a map of `key: value` lines", field)
            return None
        values = node.as_map
        for key in values:
            hidden = [c for c in key if c != " " and unicodedata.category(c) in ("Zs", "Cf")]
            if key not in allowed and hidden:
                self.error(node.key_marks[key], f"the key {key.strip(''.join(hidden) + ' ')!r} "
                           f"has an invisible character in it ({unicodedata.name(hidden[0], '?')}"
                           "), often pasted from a word processor; delete the line's start and "
                           "type it again", field)
            elif key not in allowed:
                self.error(node.key_marks[key], f"unknown key {key!r} in {field}"
                           f"{suggest(key, allowed)}; allowed: {', '.join(allowed)}", field)
        for key in required:
            if key not in values:
                self.error(node.mark, f"{field} lacks the required key {key!r}; add `{key}:`",
                           field)
        return values

    def string(self, node: RawNode | None, field: str, *,
               pattern: re.Pattern[str] | None = None, what: str = "", default: str = "") -> str:
        if node is None:
            return default
        if node.kind != "text":
            self.error(node.mark, f"{field} must be a single value, not a {node.kind}"
                       f"{_quote_hint(node, field)}", field)
            return default
        value = node.as_text.strip()
        if not value:
            self.error(node.mark, f"{field} is empty; write a value or remove the key", field)
            return default
        if pattern is not None and not pattern.match(value):
            self.error(node.mark, f"{field} {value!r} is not {what}", field)
            return default
        return value

    def identifier(self, node: RawNode | None, field: str, *, pattern: re.Pattern[str],
                   what: str, names_files: bool = True) -> str:
        """A `string` matching `pattern` that is an id: not too long and, when it names files,
        not a name Windows reserves (`project.id_problem`)."""
        value = self.string(node, field, pattern=pattern, what=what)
        problem = id_problem(value, names_files=names_files) if value else None
        if problem is not None and node is not None:
            self.error(node.mark, f"{field} {shown_id(value)} {problem}", field)
            return ""
        return value

    def url(self, node: RawNode | None, field: str) -> str:
        return self.address(node, field, url_problem)

    def address(self, node: RawNode | None, field: str,
                problem_of: Callable[[str], str | None]) -> str:
        """A `string` that `problem_of` finds nothing wrong with (a web or e-mail address)."""
        value = self.string(node, field)
        problem = problem_of(value) if value and node is not None else None
        if problem and node is not None:
            self.error(node.mark, f"{field} {value!r} {problem}", field)
            return ""
        return value

    def boolean(self, node: RawNode | None, field: str, default: bool) -> bool:
        value = self.string(node, field, default="")
        if node is None or value == "":
            return default
        if value not in ("true", "false"):
            self.error(node.mark, f"{field} must be true or false, not {value!r}", field)
            return default
        return value == "true"

    def strings(self, node: RawNode | None, field: str, *,
                pattern: re.Pattern[str] | None = None, what: str = "") -> tuple[str, ...]:
        return tuple(value for value, _ in self.items(node, field, pattern=pattern, what=what))

    def items(self, node: RawNode | None, field: str, *,
              pattern: re.Pattern[str] | None = None, what: str = ""
              ) -> list[tuple[str, RawNode]]:
        """A list's values with the node each is written at (one value counts as a list).

        An item's problem is reported at the item, named by its place counted from 1."""
        if node is None:
            return []
        if node.kind == "map":
            self.error(node.mark, f"{field} must be a list, e.g. `[a, b]`", field)
            return []
        items = (node,) if node.kind == "text" else node.as_list
        values = []
        for i, item in enumerate(items, start=1):
            label = field if len(items) == 1 else f"{field} (item {i})"
            if item.kind == "text" and item.as_text.strip() and pattern is not None:
                label = field  # the value names the item
            value = self.string(item, label, pattern=pattern, what=what)
            if value:
                values.append((value, item))
        return values

    def languages(self, node: RawNode | None, field: str) -> tuple[str, ...]:
        """A list of language codes: each checked, each once."""
        result: list[str] = []
        for value, item in self.items(node, field):
            problem = language_problem(value)
            if problem:
                self.error(item.mark, f"{field}: {problem}", field)
                if language_problem(value.lower()) is None and value.lower() not in result:
                    result.append(value.lower())  # `MT` meant `mt`: one error, no follow-ons
            elif value in result:
                self.error(item.mark, f"{field}: {value!r} is listed twice; remove one", field)
            else:
                result.append(value)
        return tuple(result)

    def date(self, node: RawNode | None, field: str) -> dt.date | None:
        value = self.string(node, field)
        if node is None or not value:
            return None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            self.error(node.mark, f"{field} {value!r} is not a date; write YYYY-MM-DD", field)
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            self.error(node.mark, f"{field} {value!r} is not a valid date ({exc}); "
                       "write YYYY-MM-DD", field)
            return None

    def partial_date(self, node: RawNode | None, field: str) -> str:
        value = self.string(node, field)
        if node is None or not value:
            return ""
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            self.error(node.mark, f"{field} {value!r} is not a date; write YYYY, YYYY-MM or "
                       "YYYY-MM-DD", field)
            return ""
        if value.count("-") == 2:  # a full date: is it a real day?
            try:
                dt.date.fromisoformat(value)
            except ValueError as exc:
                self.error(node.mark, f"{field} {value!r} is not a valid date ({exc})", field)
                return ""
        return value

    def comment(self, node: RawNode, field: str) -> None:
        """A text cut short by ` #`: YAML takes the rest of the line for a comment; a `##`
        heading on the line after a text: YAML reads it as a comment too."""
        if node.heading_mark is not None:
            self.error(node.heading_mark, f"{field}: YAML reads this line as a comment, because "
                       "it starts with #, so it is not printed; a heading is not allowed in a "
                       "text: start a new section with a `title:`", field)
        if node.comment_mark is not None:
            key = re.findall(r"[A-Za-z_]+", field)[-1]
            self.error(node.comment_mark, f"{field}: the text after # is a YAML comment and is "
                       "not printed; put the whole text in quotes: "
                       f"{key}: {yaml_quoted(node.as_text + node.comment)}", field)

    def printable(self, entry: TextEntry, field: str, *, markdown: bool) -> None:
        """A word too long for any line (not a web address), and in a plain text (printed as
        written) raw HTML, as errors at their place."""
        for match in _LONG_WORD_RE.finditer(entry.value):
            word = match[0]
            if (len(word) <= MAX_ADDRESS and _NOT_A_WORD_RE.search(word)) or \
                    not re.search(r"[^\W_]", word):  # an address; Markdown's `>>>`, `---`
                continue
            self.error(entry.mark_of(match.start()), f"{field}: a word of {len(word):,} "
                       f"characters ({word[:30] + '…'!r}) cannot break at the end of a line and "
                       "would run off the page; shorten it or add a break (a hyphen or space)",
                       field)
            break
        raw_html = None if markdown else RAW_HTML_RE.search(entry.value)
        if raw_html is not None:
            self.error(entry.mark_of(raw_html.start()), f"{field}: raw HTML "
                       f"{raw_html[0][:40]!r} is not allowed: this field is plain text, which "
                       "would print the tag as written; remove it", field)
        span = None if markdown else SPAN_RE.search(entry.value)
        if span is not None:
            what = field.rsplit(", ", maxsplit=1)[-1].split(" (", maxsplit=1)[0].replace("_", " ")
            what = f"{'an' if what[:1] in 'aeiou' else 'a'} {what}"
            self.error(entry.mark_of(span.start()), f"{field}: {span[0]!r} would print as "
                       f"written: {what} is plain text, not Markdown, so it cannot mark words "
                       "in another language; write the words without `[…]{lang=…}`", field)

    def text(self, node: RawNode | None, field: str, languages: tuple[str, ...], *,
             markdown: bool = False) -> Text | None:
        """A text field (`markdown`: a Markdown text; else plain text, printed as written)."""
        if node is None:
            return None
        if node.kind == "text":
            value = self.string(node, field)
            if not value:
                return None
            self.comment(node, field)
            entry = TextEntry(ANY_LANGUAGE, node.as_text, node.mark, node.style, node.indent,
                              node.written)
            self.printable(entry, field, markdown=markdown)
            return Text((entry,), field, node.key_mark or node.mark)
        read_as = {"[": "list", "{": "map"}.get(node.style)
        if read_as and _quote_hint(node, field) and (
                node.kind == "list" or not any(v.as_text for v in node.as_map.values())):
            self.error(node.mark, f"{field} is read as a {read_as} because it starts with "
                       f"{node.style}{_quote_hint(node, field)}", field)
            return None
        if node.kind != "map":
            self.error(node.mark, f"{field} must be a text, or a map language → text such as "
                       "`{nl: \"…\", en: \"…\"}`", field)
            return None
        entries = []
        for language, translation in node.as_map.items():
            problem = language_problem(language)
            if problem:
                self.error(node.key_marks[language], f"{field}: {problem}", field)
                continue
            if languages and language not in languages:
                self.error(node.key_marks[language], f"{field} has language {language!r}, "
                           f"which is not in the brief's languages{suggest(language, languages)};"
                           f" use one of: {', '.join(languages)}", field)
                continue
            if self.string(translation, f"{field} ({language})"):
                self.comment(translation, f"{field} ({language})")
                entries.append(TextEntry(language, translation.as_text, translation.mark,
                                         translation.style, translation.indent,
                                         translation.written))
                self.printable(entries[-1], f"{field} ({language})", markdown=markdown)
        return Text(tuple(entries), field, node.key_mark or node.mark) if entries else None


def _flow_source(node: RawNode) -> str:
    """A list or map written in brackets, as it was (near enough) written."""
    if node.kind == "text":
        return node.as_text
    if node.kind == "list":
        return "[" + ", ".join(_flow_source(item) for item in node.as_list) + "]"
    return "{" + ", ".join(f"{key}: {_flow_source(value)}" if value.as_text or value.kind != "text"
                           else key for key, value in node.as_map.items()) + "}"


def _quote_hint(node: RawNode, field: str) -> str:
    """For a value YAML read as a list or a map because it starts with [ or {: the same text in
    quotes, to write instead."""
    items = [*node.as_list, *node.as_map.values()]
    if node.style not in ("[", "{") or any(item.style for item in items):
        return ""  # not in brackets, or its items quoted: meant as a list
    key = re.findall(r"[A-Za-z_]+", field)[-1]
    return (f"; if it is text, put the text in quotes: {key}: "
            f"{yaml_quoted(_flow_source(node))}")


# ---------------------------------------------------------------------------------------------
# Audiences


AUDIENCE_KEYS = ("languages", "template", "stylesheets", "page", "max_pages", "print", "medium",
                 "contact", "qr", "pdf", "letter", "fit", "title")
AUDIENCE_REQUIRED = ("languages", "template")
PRINT_KEYS = ("bleed", "marks", "condition", "imposition")
LETTER_KEYS = ("delivery",)
#: How a cover letter goes out (an audience's `letter: {delivery:}`).
DELIVERIES = ("post", "email")


def _page(check: _Checker, node: RawNode | None, field: str) -> PageSize:
    value = check.string(node, field, default="A4")
    if node is None or value.upper() in PAGE_SIZES_MM:
        width, height = PAGE_SIZES_MM[value.upper()]
        return PageSize(value.upper(), width, height)
    match = PAGE_RE.match(value)
    if not match:
        check.error(node.mark, f"{field} {value!r} is not a page size; write A4, A5 or "
                    "`width x height` in mm (e.g. `210 x 297`)", field)
        return PageSize("A4", *PAGE_SIZES_MM["A4"])
    width, height = float(match[1]), float(match[2])
    if not (MIN_PAGE_MM <= width <= MAX_PAGE_MM and MIN_PAGE_MM <= height <= MAX_PAGE_MM):
        check.error(node.mark, f"{field} {value!r} is out of range; use {MIN_PAGE_MM:g} to "
                    f"{MAX_PAGE_MM:g} mm", field)
    return PageSize("", width, height)


def _audience(check: _Checker, name: str, node: RawNode, field: str,
              project: Project) -> Audience | None:
    medium_node = node.as_map.get("medium") if node.kind == "map" else None
    web = medium_node is not None and medium_node.kind == "text" and (
        medium_node.as_text.strip() == "web")
    # a web edition's languages default to the brief's (`_brief_audiences`)
    required = tuple(k for k in AUDIENCE_REQUIRED if not (web and k == "languages"))
    values = check.mapping(node, field, AUDIENCE_KEYS, required)
    if values is None:
        return None
    languages = check.languages(values.get("languages"), f"{field}, languages")
    _catalogs(check, values.get("languages"), f"{field}, languages")
    template = check.string(values.get("template"), f"{field}, template")
    templates, styles = project.template_layers, project.style_layers
    wrong = files.problem(*templates.find(template)) if template else None
    if wrong == "":
        check.error(values["template"].mark, f"template {template!r} not found in templates/"
                    f"{suggest(template, templates.names())}", f"{field}, template")
    elif wrong is not None:  # the gate (`files`): outside, a FIFO, too large …
        check.error(values["template"].mark, f"template {template!r} {wrong}",
                    f"{field}, template")
    sheets = check.items(values.get("stylesheets"), f"{field}, stylesheets")
    stylesheets = tuple(sheet for sheet, _ in sheets)
    for sheet, item in sheets:
        wrong = files.problem(*styles.find(sheet))  # the project's own, else the packaged one
        if wrong == "":
            check.error(item.mark, f"stylesheet {sheet!r} not found in styles/"
                        f"{suggest(sheet, styles.names())}", f"{field}, stylesheets")
        elif wrong is not None:
            check.error(item.mark, f"stylesheet {sheet!r} {wrong}", f"{field}, stylesheets")
        else:  # what it references, as the build's URL fetcher would judge it
            for mark, problem in css_problems(styles.path(sheet), (
                    project.content, *styles.folders, *templates.folders),
                    layers=(styles, templates)):
                check.error(mark, problem, f"{field}, stylesheets")
    max_pages = None
    if "max_pages" in values:
        raw = check.string(values["max_pages"], f"{field}, max_pages")
        if raw and (not raw.isdigit() or int(raw) < 1):
            check.error(values["max_pages"].mark, f"{field}, max_pages must be a whole number "
                        f"of pages, not {raw!r}", f"{field}, max_pages")
        elif raw:
            max_pages = int(raw)
    bleed, marks, condition = _print_settings(check, values.get("print"), f"{field}, print")
    medium = check.string(values.get("medium"), f"{field}, medium", default="paper")
    if medium not in MEDIA:
        check.error(values["medium"].mark, f"{field}, medium must be one of "
                    f"{', '.join(MEDIA)}{suggest(medium, MEDIA)}",
                    f"{field}, medium")
    return Audience(
        name=name, languages=languages, template=template, stylesheets=stylesheets,
        page=_page(check, values.get("page"), f"{field}, page"), max_pages=max_pages,
        bleed_mm=bleed, marks=marks, medium=medium,
        contact=check.boolean(values.get("contact"), f"{field}, contact", False),
        qr=check.boolean(values.get("qr"), f"{field}, qr", False), mark=node.mark,
        standard=_pdf_standard(check, values.get("pdf"), f"{field}, pdf",
                               bleed > 0 or bool(marks)),
        print_condition=condition,
        imposition=_imposition(check, values.get("print"), f"{field}.print"),
        letter_delivery=_delivery(check, values.get("letter"), f"{field}, letter"),
        max_pages_mark=values["max_pages"].key_mark if "max_pages" in values else None,
        fit=_fit(check, values.get("fit"), f"{field}, fit"),
        fit_mark=values["fit"].key_mark if "fit" in values else None,
        title=check.text(values.get("title"), f"{field}, title", ()))


def _fit(check: _Checker, node: RawNode | None, field: str) -> tuple[str, ...]:
    """`fit: [leading, spacing, …]`: steps of `FIT_STEPS`, each once, in the order tried."""
    steps: list[str] = []
    for name, item in check.items(node, field):
        if name not in FIT_STEPS:
            check.error(item.mark, f"{field}: {name!r} is not a step brief knows to fit the "
                        f"text to its pages{suggest(name, FIT_STEPS)}; use "
                        f"{', '.join(FIT_STEPS)}", field)
        elif name in steps:
            check.error(item.mark, f"{field}: {name!r} is listed twice; remove one", field)
        else:
            steps.append(name)
    return tuple(steps)


def _delivery(check: _Checker, node: RawNode | None, field: str) -> str:
    """An audience's `letter: {delivery: post | email}`: how its cover letters go out."""
    if node is None:
        return "post"
    values = check.mapping(node, field, LETTER_KEYS) or {}
    delivery = check.string(values.get("delivery"), f"{field}, delivery", default="post")
    if delivery not in DELIVERIES:
        check.error(values["delivery"].mark, f"{field}, delivery must be one of "
                    f"{', '.join(DELIVERIES)}{suggest(delivery, DELIVERIES)} (post: the "
                    "recipient's postal address on the letter; email: none)",
                    f"{field}, delivery")
        return "post"
    return delivery


def _print_settings(check: _Checker, node: RawNode | None, field: str
                    ) -> tuple[float, tuple[str, ...], str]:
    """An audience's `print:` map: its bleed in mm, print marks and print condition."""
    bleed, condition = 0.0, DEFAULT_PRINT_CONDITION
    marks: tuple[str, ...] = ()
    if node is None:
        return bleed, marks, condition
    printing = check.mapping(node, field, PRINT_KEYS) or {}
    if "condition" in printing:
        condition = check.string(printing["condition"], f"{field}.condition",
                                 default=DEFAULT_PRINT_CONDITION)
        if condition not in PRINT_CONDITIONS:
            check.error(printing["condition"].mark, f"{field}.condition {condition!r} is not a "
                        "print condition brief has a profile for"
                        f"{suggest(condition, PRINT_CONDITIONS)}; use "
                        f"{', '.join(PRINT_CONDITIONS)}", f"{field}.condition")
            condition = DEFAULT_PRINT_CONDITION
    if "bleed" in printing:
        raw = check.string(printing["bleed"], f"{field}.bleed")
        match = LENGTH_MM_RE.match(raw) if raw else None
        if raw and not match:
            check.error(printing["bleed"].mark, f"{field}.bleed {raw!r} is not a length; write "
                        "it in mm, e.g. `3mm`", f"{field}.bleed")
        elif match:
            bleed = float(match[1])
            if bleed > MAX_BLEED_MM:
                check.error(printing["bleed"].mark, f"{field}.bleed {raw!r} is more than "
                            f"{MAX_BLEED_MM:g}mm; print shops ask for 3mm", f"{field}.bleed")
    mark_items = check.items(printing.get("marks"), f"{field}.marks")
    marks = tuple(mark_name for mark_name, _ in mark_items)
    for mark_name, item in mark_items:
        if mark_name not in PRINT_MARKS:
            check.error(item.mark, f"unknown print mark {mark_name!r}"
                        f"{suggest(mark_name, PRINT_MARKS)}; use {' or '.join(PRINT_MARKS)}",
                        f"{field}.marks")
    return bleed, marks, condition


def _imposition(check: _Checker, node: RawNode | None, field: str) -> str:
    """`print: {imposition: booklet}` — how the pages are imposed (see `IMPOSITIONS`); the rest
    of `print:` is checked in `_print_settings`."""
    if node is None or node.kind != "map" or "imposition" not in node.as_map:
        return "none"
    value_node = node.as_map["imposition"]
    value = check.string(value_node, f"{field}.imposition", default="none")
    if value not in IMPOSITIONS:
        check.error(value_node.mark, f"{field}.imposition {value!r} is not a way brief can "
                    f"impose pages{suggest(value, IMPOSITIONS)}; use "
                    f"{' or '.join(IMPOSITIONS)}", f"{field}.imposition")
        return "none"
    return value


def _pdf_standard(check: _Checker, node: RawNode | None, field: str,
                  for_print_shop: bool) -> Standard:
    """`pdf:` — the standard an output claims (see `standards`)."""
    default = default_standard(for_print_shop)
    value = check.string(node, field, default=default.name)
    if value not in STANDARDS:
        assert node is not None
        check.error(node.mark, f"{field} {value!r} is not a standard brief can produce"
                    f"{suggest(value, STANDARDS)}; use {', '.join(STANDARDS)}", field)
        return default
    return STANDARDS[value]


def _catalogs(check: _Checker, node: RawNode | None, field: str) -> None:
    """Each language of a `languages:` list needs the tool's words (a catalog in `locale`)."""
    items = () if node is None else node.as_list if node.kind == "list" else (node,)
    for item in items:
        code = item.as_text.strip() if item.kind == "text" else ""
        if language_problem(code) is not None:  # the code itself is wrong: said once
            continue
        if LANGUAGE_RE.match(code) and not locale.has_catalog(code):
            check.error(item.mark, locale.missing_catalog(code), field)


LABELS_KEY = "labels"  # in audiences.yaml: the organisation's own words, not an audience


def _labels(check: _Checker, node: RawNode | None) -> locale.Overrides:
    """`labels: {de: {published_by: "Eine Veröffentlichung von"}}` → (language, key, words)."""
    if node is None:
        return ()
    languages = check.mapping(node, LABELS_KEY, tuple(node.as_map) if node.kind == "map" else ())
    result = []
    for language, words in (languages or {}).items():
        here = f"{LABELS_KEY}.{language}"
        if not LANGUAGE_RE.match(language) or not locale.has_catalog(language):
            check.error(node.key_marks[language], f"{here}: " + locale.missing_catalog(
                language, suggest(language, locale.catalog_languages())), here)
            continue
        for key, value in (check.mapping(words, here, tuple(locale.WORDS)) or {}).items():
            text = check.string(value, f"{here}.{key}")
            if text:
                result.append((language, key, text))
    return tuple(result)


def _merge(base: RawNode, override: RawNode) -> RawNode:
    """An audience's settings with a brief's overrides laid over them (maps merge one level)."""
    values = dict(base.as_map)
    key_marks = dict(base.key_marks)
    for key, value in override.as_map.items():
        old = values.get(key)
        both_maps = old is not None and old.kind == "map" and value.kind == "map"
        values[key] = _merge(old, value) if old is not None and both_maps else value
        key_marks[key] = override.key_marks[key]
    return RawNode(values, override.mark, key_marks=key_marks)


# ---------------------------------------------------------------------------------------------
# Brief


# bibliography: read by bibliography.py
BRIEF_KEYS = ("title", "subtitle", "organisation", "date", "languages", "url", "summary",
              "contact", "audiences", "sections", "sources", "placeholders",
              "bibliography", "letter", "same_in_every_language")
BRIEF_REQUIRED = ("title", "organisation", "date", "languages", "sections")
SECTION_KEYS = ("id", "title", "body", "class", "audiences", "sections")
SECTION_PRINTS = ("title", "body", "sections")  # a section needs one of them
SOURCE_KEYS = ("title", "short_title", "publisher", "author", "url", "date", "accessed",
               "language")
SOURCE_REQUIRED = ("title",)
SOURCE_BY = ("publisher", "author")  # a source needs one of them
CONTACT_KEYS = ("name", "email", "phone", "url", "address", "logo")
PLACEHOLDER_FIELDS = ("date", "url", "contact", "organisation", "subtitle")
#: What `same_in_every_language:` may list: plain texts that may print unchanged in every
#: language (names); `sources.<key>` names one source (its title, publisher and author).
SAME_FIELDS = ("title", "subtitle", "organisation", "contact", "sources")


def build_brief(brief_id: str, raw: RawNode, audiences_raw: RawNode,
                project: Project) -> tuple[Brief | None, list[BriefError]]:
    """Validate a brief's raw tree (and the audiences it uses) into a `Brief`, and every error.

    The brief is built even when some fields are wrong (with stand-ins), so that later checks
    (citations, translations) can still run and all problems are reported at once.
    """
    check = _Checker()
    values = check.mapping(raw, "brief", BRIEF_KEYS, BRIEF_REQUIRED)
    if values is None:
        return None, check.errors
    errors_before = len(check.errors)
    languages = check.languages(values.get("languages"), "languages")
    if "languages" in values and not languages and len(check.errors) == errors_before:
        check.error(values["languages"].mark, "languages is empty; list the brief's languages, "
                    "the original first, e.g. `[nl, en]`", "languages")
    _catalogs(check, values.get("languages"), "languages")

    def text(key: str) -> Text | None:
        return check.text(values.get(key), key, languages, markdown=key == "letter")

    audiences = _brief_audiences(check, values.get("audiences"), audiences_raw, languages, project)
    sections = _sections(check, values.get("sections"), "sections", languages,
                         audience_names=set(audiences_raw.as_map) - {LABELS_KEY},
                         seen_ids={})
    sources = _sources(check, values.get("sources"), languages)
    summary, summary_audiences, summary_audiences_mark = _summary(
        check, values.get("summary"), languages, set(audiences_raw.as_map) - {LABELS_KEY})
    contact = None
    if "contact" in values:
        contact_values = check.mapping(values["contact"], "contact", CONTACT_KEYS) or {}
        email = check.address(contact_values.get("email"), "contact.email", email_problem)
        contact = Contact(name=check.text(contact_values.get("name"), "contact.name", languages),
                          email=email, phone=check.string(contact_values.get("phone"),
                                                          "contact.phone"),
                          url=check.url(contact_values.get("url"), "contact.url"),
                          address=tuple(line.strip() for line in check.string(
                              contact_values.get("address"), "contact.address").splitlines()
                              if line.strip()),
                          logo=check.string(contact_values.get("logo"), "contact.logo"),
                          logo_mark=contact_values["logo"].mark if "logo" in contact_values
                          else None)
    placeholder_items = check.items(values.get("placeholders"), "placeholders")
    placeholders = tuple(name for name, _ in placeholder_items)
    for name, item in placeholder_items:
        if name not in PLACEHOLDER_FIELDS:
            check.error(item.mark, f"placeholders: {name!r} is not a field "
                        f"that can be a placeholder{suggest(name, PLACEHOLDER_FIELDS)}; use "
                        f"{', '.join(PLACEHOLDER_FIELDS)}", "placeholders")
    same = _same_in_every_language(check, values.get("same_in_every_language"), sources)
    date = check.date(values.get("date"), "date") or dt.date(1970, 1, 1)
    brief = Brief(
        id=brief_id, path=raw.mark.path,
        title=text("title") or Text((), "title", raw.mark), subtitle=text("subtitle"),
        organisation=text("organisation") or Text((), "organisation", raw.mark), date=date,
        languages=languages, url=check.url(values.get("url"), "url"), summary=summary,
        contact=contact, audiences=audiences, sections=sections, sources=sources,
        placeholders=placeholders,
        placeholder_marks=tuple((name, item.mark) for name, item in placeholder_items),
        summary_audiences=summary_audiences, summary_audiences_mark=summary_audiences_mark,
        letter=text("letter"), same_in_every_language=same)
    return brief, check.errors


def _same_in_every_language(check: _Checker, node: RawNode | None,
                            sources: tuple[Source, ...]) -> tuple[tuple[str, Mark], ...]:
    """`same_in_every_language: [organisation, contact]`: each item a field of `SAME_FIELDS`
    or `sources.<key>` of a source of the brief, each once."""
    field = "same_in_every_language"
    result: list[tuple[str, Mark]] = []
    keys = [source.key for source in sources]
    for name, item in check.items(node, field):
        if name.startswith("sources."):
            key = name.removeprefix("sources.")
            if key not in keys:
                check.error(item.mark, f"{field}: {name!r} names no source of this brief"
                            f"{suggest(key, keys)}; its sources: {', '.join(keys) or 'none'}",
                            field)
                continue
        elif name not in SAME_FIELDS:
            check.error(item.mark, f"{field}: {name!r} is not a text that can be the same in "
                        f"every language{suggest(name, SAME_FIELDS)}; list "
                        f"{', '.join(SAME_FIELDS)} or sources.<key> (other texts are "
                        "translated)", field)
            continue
        if any(name == listed for listed, _ in result):
            check.error(item.mark, f"{field}: {name!r} is listed twice; remove one", field)
            continue
        result.append((name, item.mark))
    return tuple(result)


def _items(node: RawNode | None) -> tuple[RawNode, ...]:
    """A list's items; a single value as a list of one."""
    if node is None or node.kind == "map":
        return ()
    return (node,) if node.kind == "text" else node.as_list


def _brief_audiences(check: _Checker, node: RawNode | None, audiences_raw: RawNode,
                     languages: tuple[str, ...], project: Project) -> tuple[Audience, ...]:
    definitions = check.mapping(audiences_raw, "audiences.yaml", tuple(audiences_raw.as_map))
    if definitions is None or node is None:
        return ()
    definitions = {k: v for k, v in definitions.items() if k != LABELS_KEY}
    labels = _labels(check, audiences_raw.as_map.get(LABELS_KEY))
    wanted: list[tuple[RawNode, RawNode | None]]  # (its name, the brief's overrides)
    if node.kind == "list":
        wanted = [(item, None) for item in node.as_list]
    elif node.kind == "map":
        wanted = [(RawNode(key, node.key_marks[key]), override)
                  for key, override in node.as_map.items()]
    else:
        wanted = [(node, None)]
    result: list[Audience] = []
    for name_node, override in wanted:
        name = check.identifier(name_node, "audiences", pattern=NAME_RE,
                                what="an audience name")
        if not name:
            continue
        if name not in definitions:
            check.error(name_node.mark, f"audience {name!r} is not defined in "
                        f"content/{AUDIENCES_FILE}{suggest(name, definitions)}; "
                        f"defined: {', '.join(definitions)}", "audiences")
            continue
        settings = definitions[name]
        if override is not None and override.kind == "map" and settings.kind == "map":
            settings = _merge(settings, override)
        elif override is not None and not (override.is_null or (
                override.kind == "text" and override.as_text == "")):  # `mep: ""` too
            check.error(override.mark, f"overrides for audience {name!r} must be a map of "
                        "settings", "audiences")
        audience = _audience(check, name, settings, f"audience {name!r}", project)
        if audience is None:
            continue
        audience = replace(audience, brief_mark=name_node.mark)
        if audience.medium == "web" and not audience.languages:  # every language the brief has
            audience = replace(audience, languages=languages)
        web = next((a for a in result if a.medium == "web"), None)
        if audience.medium == "web" and web is not None:  # both would write out/<brief>/web/
            check.error(name_node.mark, f"audiences {web.name!r} and {name!r} are both "
                        "for the web, and a brief has one web edition (out/<brief>/web/); "
                        "keep one of them", "audiences")
            continue
        _audience_languages(check, audience, languages, name_node, listed=node.kind == "list")
        result.append(replace(audience, labels=labels) if labels else audience)
    return tuple(result)


def _audience_languages(check: _Checker, audience: Audience, languages: tuple[str, ...],
                        name_node: RawNode, *, listed: bool) -> None:
    """An audience printing a language the brief does not have: one error, the root cause.

    (`pipeline.load` then selects no output in that language, so no text reports a missing
    translation that follows from it.)"""
    missing = [language for language in audience.languages if language not in languages]
    if not languages or not missing:
        return
    name = audience.name
    kept = [language for language in audience.languages if language in languages]
    fix = f"{name}: {{languages: [{', '.join(kept or languages)}]}}"
    where = (f"write `audiences:` as a map, `{{{fix}, …}}` (other audiences as `name:`)"
             if listed else f"write `{fix}` under `audiences:`")
    prints = "languages " + " and ".join(repr(m) for m in missing) if len(missing) > 1 else \
        f"language {missing[0]!r}"
    check.error(name_node.mark, f"audience {name!r} prints {prints}, which this brief does "
                f"not have (its languages: "
                f"{', '.join(languages)}); {where}, or add {', '.join(missing)} to the brief's "
                "`languages:`", "audiences")


def _sections(check: _Checker, node: RawNode | None, field: str, languages: tuple[str, ...],
              *, audience_names: set[str], seen_ids: dict[str, Mark], parent: str = "",
              numbers: tuple[int, ...] = ()) -> tuple[Section, ...]:
    """The sections of a list; each named in messages by its id (`section 'intro', body`,
    `section 'intro' › subsection 'who', title`), else its title, else its place from 1."""
    if node is None:
        return ()
    if node.kind != "list":
        check.error(node.mark, f"{field} must be a list of sections, each starting with `- `",
                    field)
        return ()
    sections = []
    for number, item in enumerate(node.as_list, start=1):
        here = _section_name(item, number, parent)
        values = check.mapping(item, here, SECTION_KEYS)
        if values is None:
            continue
        section_id = check.identifier(values.get("id"), f"{here}, id", pattern=SLUG_RE,
                                      what="a slug (lower-case letters, digits and -)",
                                      names_files=False)
        if section_id in seen_ids:
            check.error(values["id"].mark, f"duplicate section id {section_id!r} (first at line "
                        f"{seen_ids[section_id].line}); give each section its own id",
                        f"{here}, id")
        elif section_id:
            seen_ids[section_id] = values["id"].mark
        audiences = _audience_list(check, values.get("audiences"), f"{here}, audiences",
                                   audience_names)
        css_class = check.string(values.get("class"), f"{here}, class", pattern=SLUG_RE,
                                 what="a class name (lower-case letters, digits and -)")
        if not any(key in values for key in SECTION_PRINTS):
            check.error(item.mark, f"{here} has no title, body or subsections, so it prints "
                        "nothing; write its text under `body:`, or remove the section", here)
        sections.append(Section(
            id=section_id or _generated_id((*numbers, number)),
            title=check.text(values.get("title"), f"{here}, title", languages),
            body=check.text(values.get("body"), f"{here}, body", languages, markdown=True),
            css_class=css_class, audiences=audiences,
            sections=_sections(check, values.get("sections"), f"{here}, sections", languages,
                               audience_names=audience_names, seen_ids=seen_ids, parent=here,
                               numbers=(*numbers, number)),
            mark=item.mark,
            audiences_mark=values["audiences"].key_mark if "audiences" in values else None))
    return tuple(sections)


def _section_name(item: RawNode, number: int, parent: str) -> str:
    """How messages name a section: by its id, else its title, else its place (from 1)."""
    values = item.as_map
    id_node = values.get("id")
    title = _first_line(values.get("title"))
    if id_node is not None and id_node.as_text.strip():
        own = repr(id_node.as_text.strip())
    elif title:
        own = f"titled {title!r}"
    else:
        own = str(number)
    return f"{parent} › subsection {own}" if parent else f"section {own}"


def _first_line(node: RawNode | None) -> str:
    """A text's first line in its first language, shortened, to name it by ("" if none)."""
    if node is not None and node.kind == "map":
        node = next(iter(node.as_map.values()), None)
    if node is None or node.kind != "text":
        return ""
    line = node.as_text.strip().split("\n", maxsplit=1)[0]
    return line if len(line) <= 40 else line[:39] + "…"


def _audience_list(check: _Checker, node: RawNode | None, field: str,
                   audience_names: set[str]) -> tuple[str, ...] | None:
    """An `audiences:` list restricting a section or the summary (None when absent: every
    audience); each name must be defined in audiences.yaml."""
    if node is None:
        return None
    names = check.items(node, field)
    for name, name_node in names:
        if audience_names and name not in audience_names:
            check.error(name_node.mark, f"{field} names {name!r}, which is not defined in "
                        f"content/{AUDIENCES_FILE}{suggest(name, audience_names)}", field)
    return tuple(name for name, _ in names)


SUMMARY_KEYS = ("body", "audiences")
SUMMARY_REQUIRED = ("body",)


def _summary(check: _Checker, node: RawNode | None, languages: tuple[str, ...],
             audience_names: set[str]) -> tuple[Text | None, tuple[str, ...] | None, Mark | None]:
    """`summary:` — a text, or (like a section) a map with `body:` and `audiences:`; returns
    the text, the audiences that print it (None: every audience) and where they are listed."""
    if node is None:
        return None, None, None
    if node.kind != "map" or not any(key in node.as_map for key in SUMMARY_KEYS):
        return check.text(node, "summary", languages, markdown=True), None, None
    values = check.mapping(node, "summary", SUMMARY_KEYS, SUMMARY_REQUIRED) or {}
    audiences = _audience_list(check, values.get("audiences"), "summary, audiences",
                               audience_names)
    mark = values["audiences"].key_mark if "audiences" in values else None
    return check.text(values.get("body"), "summary", languages, markdown=True), audiences, mark


def _generated_id(numbers: tuple[int, ...]) -> str:
    """An anchor for a section without `id`: subsection 2 of section 3 → `s-3-2`."""
    return "s-" + "-".join(str(n) for n in numbers)


def _sources(check: _Checker, node: RawNode | None, languages: tuple[str, ...]
             ) -> tuple[Source, ...]:
    if node is None:
        return ()
    values = check.mapping(node, "sources", tuple(node.as_map))
    if values is None:
        return ()
    sources = []
    for key, item in values.items():
        here = f"source {key!r}"
        if not KEY_RE.match(key):
            check.error(node.key_marks[key], f"source key {key!r} may hold only letters, digits "
                        f"and _ . : -; rename it, e.g. {_key_suggestion(key)!r}, and its "
                        "citations", here)
        fields = check.mapping(item, here, SOURCE_KEYS, SOURCE_REQUIRED)
        if fields is None:
            continue
        if not any(key in fields for key in SOURCE_BY):
            check.error(item.mark, f"{here} needs a `publisher:` or an `author:`", here)
        title = check.text(fields.get("title"), f"{here}, title", languages)
        if title is None:
            continue
        sources.append(Source(
            key=key, title=title,
            publisher=check.text(fields.get("publisher"), f"{here}, publisher", languages),
            author=check.text(fields.get("author"), f"{here}, author", languages),
            url=check.url(fields.get("url"), f"{here}, url"),
            date=check.partial_date(fields.get("date"), f"{here}, date"),
            accessed=check.partial_date(fields.get("accessed"), f"{here}, accessed"),
            mark=item.mark,
            language=_source_language(check, fields.get("language"), f"{here}, language"),
            short_title=check.text(fields.get("short_title"), f"{here}, short_title",
                                   languages)))
    return tuple(sources)


def _source_language(check: _Checker, node: RawNode | None, field: str) -> str:
    """A source's `language:`: a language code CLDR knows (`nl`, `en-GB`), any language, not
    only those the tool has words for."""
    value = check.string(node, field)
    if node is None or not value:
        return ""
    problem = language_problem(value)
    if problem is None and locale.language_code(value) is None:
        problem = (f"{value!r} is no language CLDR knows; write the language's two-letter "
                   "ISO 639-1 code, such as 'nl', 'en' or 'fr'")
    if problem is not None:
        check.error(node.mark, f"{field}: {problem}", field)
        return ""
    return value


def _key_suggestion(key: str) -> str:
    """A valid source key close to `key`: other characters become -."""
    return re.sub(r"[^A-Za-z0-9_.:-]+", "-", key).strip("-_.:") or "source"


def translated_text_problems(brief: Brief) -> list[BriefError]:
    """Words too long for any line, and raw HTML in plain texts (`_Checker.printable`), in the
    translations applied to a brief (its PO files' entries): brief.yaml's own texts were
    checked as they were read."""
    check = _Checker()

    def visit(text: Text | None, markdown: bool) -> None:
        for entry in text.entries if text is not None else ():
            if entry.style == PO_STYLE:
                check.printable(entry, f"{text.field} ({entry.language})" if text else "",
                                markdown=markdown)

    visit(brief.title, False)
    visit(brief.subtitle, False)
    visit(brief.organisation, False)
    visit(brief.summary, True)
    visit(brief.letter, True)
    if brief.contact is not None:
        visit(brief.contact.name, False)

    def walk(sections: tuple[Section, ...]) -> None:
        for section in sections:
            visit(section.title, False)
            visit(section.body, True)
            walk(section.sections)

    walk(brief.sections)
    for source in brief.sources:
        for text in (source.title, source.short_title, source.publisher, source.author):
            visit(text, False)
    return check.errors
