"""letter: a brief's `letter:` text and one `Recipient` → the HTML of their cover letter.

The letter is content (Markdown in brief.yaml, translated like every other text); its layout is
a template, `templates/cover-letter.html.j2` with `styles/letter.css` laid over the audience's
stylesheets: the organisation's letterhead (its name and logo, and `contact:`'s postal address,
e-mail, phone and web address), the recipient block (name, then the list's function,
institution and postal address — `recipients.RECIPIENT_COLUMNS`, `ADDRESS_COLUMNS` —, no postal
address when the audience's `letter: {delivery: email}`), the date in the letter's language, the
salutation, the text, the closing, the signature from `contact:`, and the enclosure line naming
the brief and its pages (`enclosure_html`; `personalise` fills it in with `enclose` once the
brief is laid out). A second page is headed by the recipient, the date and "Page 2 of 2"
(letter.css's `string(…, first-except)`, so also in a batch of letters).

**Placeholders** are filled by plain substitution, never by a template engine: the text is
rendered from Markdown first (so whatever a recipient list holds cannot become Markdown or
HTML), then each `{name}` in it is replaced by the value, typeset for the language (its
quotation marks) and HTML-escaped. A placeholder is `{` + a word (letters, digits, `_`) + `}`,
matched ignoring case: `{name}`, `{salutation}` (the list's, else the language's polite default)
or any column of the recipient list (`{committee}`). `{{` and `}}` print `{` and `}`; any other
brace prints as it is. An unknown placeholder is a located error (`letter_problems`).

The salutation and closing are words of the tool's catalogs (`locale`, keys `salutation` and
`closing`), which an organisation may override per language (`labels:` in audiences.yaml). A
letter that places `{salutation}` itself gets no second one from the template. A recipient's
own salutation (the list's `salutation` column) is in their language: a letter that fell back
to another language opens with that language's default instead (`own_salutation`), so a letter
and everything on it are in one language. A closing that repeats the form of address, as a French
one does ("Nous vous prions d'agréer, Madame la Députée, l'expression …"), holds `{salutation}`:
the salutation the letter opens with, without its last punctuation mark (`closing`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from .. import __version__
from ..errors import BriefError, ContentError, Mark
from ..project import LETTER_STYLESHEET, LETTER_TEMPLATE, Project
from ..read.images import image_problem
from ..read.languages import NAMES
from ..read.model import Audience, Brief, Text, TextEntry
from ..read.recipients import (
    ADDRESS_COLUMNS,
    RECIPIENT_COLUMNS,
    Recipient,
    address_lines,
    column_key,
)
from ..suggest import suggest
from ..text import render, syntax
from ..text.locale import base as locale_base
from ..text.locale import format_date, labels
from ..text.locale import plural as locale_plural
from ..text.typography import plain
from .brand import BrandView, relative_to
from .html import ContactBlock, render_html

#: A cover letter fits on one page; two at most.
LETTER_MAX_PAGES = 2

#: A page narrower than this (A5 is 148 mm) gets the compact letter (smaller type, margins).
COMPACT_BELOW_MM = 180.0

#: What every letter may use, whatever the recipient list's columns.
BUILT_IN = ("name", "salutation")

#: `{{`, `}}` (literal braces) or a placeholder `{word}`.
PLACEHOLDER_RE = re.compile(r"\{\{|\}\}|\{(\w+)\}")

#: Where `brief personalise` puts the enclosure line once the brief's pages are counted
#: (`enclose`): the letter's HTML is made before the brief is laid out.
ENCLOSURE_MARK = "<!--brief:enclosure-->"

_GREEK_RE = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")

#: A salutation's last punctuation mark (and any space before it): what a closing that repeats
#: the form of address leaves out.
_ADDRESS_END_RE = re.compile(r"[\s\u00a0\u202f]*[,:;!.]$")
_FRENCH_CHER_RE = re.compile(r"^Ch(?:er|ère)s?\b")


@dataclass(frozen=True, slots=True)
class Letter:
    """Everything the cover-letter template may use (as `doc`)."""

    language: str
    title: str  # the brief's title: the letter's subject
    subtitle: str
    organisation: str
    organisation_url: str  # the letterhead's link: the contact's URL, else the brief's, else ""
    organisation_url_display: str
    organisation_url_field: str  # where it comes from ("contact" or "url"): its placeholder
    date: str  # the day the letter is written, in the language's long form
    date_iso: str
    recipient: Markup  # the recipient's name, typeset
    address: tuple[Markup, ...]  # address lines from the list's columns (`ADDRESS_COLUMNS`)
    salutation: str  # "" when the text places `{salutation}` itself
    body: Markup
    closing: str
    contact: ContactBlock | None
    placeholders: tuple[str, ...]
    labels: dict[str, str]
    audience: str
    medium: str
    generator: str
    compact: bool = False  # a page narrower than A4 (A5): tighter spacing (letter.css)
    draft: str = ""  # (base.html.j2 asks; a letter is never a draft)
    #: the recipient's function and institution (`RECIPIENT_COLUMNS`), under their name
    position: tuple[Markup, ...] = ()
    delivery: str = "post"  # the audience's `letter: {delivery:}`; "email": no address block
    #: the letterhead: the organisation's postal address, its contact lines, its logo
    sender_address: tuple[str, ...] = ()
    logo: str = ""  # an image in the brief's folder (the document's base URL)
    #: "Enclosure: <title> (4 pages)", or `ENCLOSURE_MARK` for `enclose` to fill in
    enclosure: Markup = field(default_factory=Markup)
    continued: str = ""  # page 2's header: "Page 2 of 2" in the letter's language
    #: the organisation's identity (`_brand.yml`): name, logos, postal address, Transparency
    #: Register number, signatory (`make.brand`)
    brand: BrandView = field(default_factory=BrandView)


def letter_audience(audience: Audience) -> Audience:
    """The audience to render a letter with: the same page size, bleed and standard; the cover
    letter template, the audience's stylesheets with letter.css laid over them; at most
    `LETTER_MAX_PAGES` pages (not the body's budget), never imposed, no QR code."""
    sheets = tuple(s for s in audience.stylesheets if s != LETTER_STYLESHEET)
    return replace(audience, template=LETTER_TEMPLATE, stylesheets=(*sheets, LETTER_STYLESHEET),
                   max_pages=LETTER_MAX_PAGES, max_pages_mark=None, imposition="none",
                   qr=False)


def letter_languages(brief: Brief) -> tuple[str, ...]:
    """The brief's languages the letter exists in: written, or translated and not stale."""
    if brief.letter is None:
        return ()
    letter = brief.letter
    gaps = {gap.language for gap in brief.gaps if gap.text_mark == letter.mark}
    return tuple(language for language in brief.languages
                 if language not in gaps and letter.get(language) is not None)


def placeholders(text: str) -> Iterator[tuple[int, str]]:
    """Each placeholder of a text: its offset and its name as written (without braces)."""
    for match in PLACEHOLDER_RE.finditer(text):
        if match[1] is not None:
            yield match.start(), match[1]


def letter_problems(brief: Brief, columns: tuple[str, ...]) -> list[BriefError]:
    """Unknown placeholders in the letter, in every language it exists in (at brief.yaml's
    line and column, or the PO file's entry), given the recipient list's `columns`; a brief
    without `letter:` is one error saying how to add one."""
    if brief.letter is None:
        return [ContentError(Mark(brief.path, 1), f"brief {brief.id!r} has no `letter:`, the "
                             "cover letter of personal copies; add one to brief.yaml, e.g. "
                             "`letter: {en: |` then the text (Markdown) in the lines below, "
                             "with {salutation} and any column of the recipient list as "
                             "placeholders (see docs/content-format.md, \"The cover letter\")",
                             "letter")]
    known = dict.fromkeys((*BUILT_IN, *(column_key(c) for c in columns)))
    errors: list[BriefError] = []
    for entry in _entries(brief.letter, letter_languages(brief)):
        where = f"letter ({entry.language})" if entry.language else "letter"
        for offset, name in placeholders(entry.value):
            if name.lower() in known:
                continue
            errors.append(ContentError(
                entry.mark_of(offset), f"{where}: unknown placeholder {{{name}}}"
                f"{suggest(name.lower(), known)}; use {', '.join(f'{{{k}}}' for k in known)} "
                "(the recipient list's columns), or write {{ and }} for a brace that is not a "
                "placeholder", "letter"))
    return errors


def _entries(letter: Text, languages: tuple[str, ...]) -> Iterator[TextEntry]:
    """The letter's own entries for `languages` (not the originals standing in for missing
    translations), each once."""
    seen: set[tuple[str, Mark]] = set()
    for language in languages:
        entry = letter.entry(language)
        if entry is None:
            continue
        key = (entry.language, entry.mark)
        if key not in seen:
            seen.add(key)
            yield entry


def markdown_problems(brief: Brief) -> list[BriefError]:
    """What a letter's Markdown may not hold, beyond a body's rules: footnotes and images; and
    what is wrong with its letterhead's logo (`contact: {logo:}`), at its line."""
    errors: list[BriefError] = []
    contact = brief.contact
    if contact is not None and contact.logo:
        problem = image_problem(brief.folder, contact.logo)
        if problem:
            errors.append(ContentError(contact.logo_mark or Mark(brief.path, 1),
                                       f"contact.logo: {problem}", "contact"))
    if brief.letter is None:
        return errors
    for entry in brief.letter.entries:
        for token in syntax.walk(syntax.parsed(entry.value, entry.language or "en")):
            if token.type in ("fn_cite", "fn_note"):
                what = "a citation [@…]" if token.type == "fn_cite" else "a note ^[…]"
                at = entry.value.find("[@" if token.type == "fn_cite" else "^[")
                errors.append(ContentError(entry.mark_of(max(at, 0)), f"the letter has {what}; "
                                           "a cover letter has no footnotes: write it in the "
                                           "text, or leave it to the brief", "letter"))
            elif token.type == "image":
                at = entry.value.find("![")
                errors.append(ContentError(entry.mark_of(max(at, 0)), "the letter has an image; "
                                           "a cover letter holds text only: remove it", "letter"))
    return errors


#: How a letter goes on after its salutation, where the language's convention is firm: with a
#: capital letter (a new sentence: after the comma in English, Dutch — Onze Taal, "Kleine letter
#: na aanhef" —, French, Italian and Portuguese, after the colon in Spanish — RAE, Ortografía
#: 3.4.4 —, after the exclamation mark in Estonian — EKI —, Hungarian and Latvian) …
OPENING_CAPITAL = frozenset({"en", "nl", "fr", "it", "pt", "es", "et", "hu", "lv"})

#: … or, after a comma, in lower case: the salutation and the text are one sentence (German:
#: Duden; Polish: PWN, M. Marcjanik, "more correct"; Czech: ČSN 01 6910 and the Internetová
#: jazyková příručka; Slovenian: Slovenski pravopis § 283). Nouns keep their capital in German,
#: and so do names and the polite pronouns everywhere, so in German only words it always writes
#: small inside a sentence are judged: a letter opening with one of them kept a capital (in
#: Polish, Czech and Slovenian any word is: `OPENING_ANY_WORD`).
OPENING_SMALL = {
    "de": frozenset({
        "als", "am", "an", "anbei", "auf", "aus", "bei", "beiliegend", "bitte", "da", "das",
        "dass", "dem", "den", "der", "des", "die", "dies", "diese", "diesem", "diesen", "dieser",
        "dieses", "ein", "eine", "einem", "einen", "einer", "es", "für", "gern", "gerne",
        "heute", "hiermit", "ich", "im", "in", "mit", "nach", "seit", "unser", "unsere",
        "unserem", "unseren", "unserer", "vielen", "vor", "wie", "wir", "zu", "zum", "zunächst",
        "zur"}),
    "pl": frozenset({
        "chciałabym", "chciałbym", "chcielibyśmy", "dziękujemy", "dziękuję", "do", "jako",
        "jesteśmy", "jestem", "na", "nasz", "nasza", "nasze", "niniejszym", "o", "piszemy",
        "piszę", "po", "pragniemy", "pragnę", "przesyłam", "przesyłamy", "przy", "uprzejmie",
        "w", "we", "z", "za", "ze", "zwracam", "zwracamy"}),
    "cs": frozenset({
        "děkujeme", "děkuji", "do", "dovolte", "dovoluji", "dovolujeme", "jako", "k", "ke",
        "na", "náš", "naše", "naši", "o", "obracím", "obracíme", "posílám", "posíláme", "píšeme",
        "píši", "píšu", "s", "se", "tímto", "v", "ve", "z", "zasílám", "zasíláme", "ze"}),
    "sl": frozenset({
        "do", "dovolite", "k", "kot", "na", "naš", "naša", "naše", "o", "obračam", "obračamo",
        "pišem", "pišemo", "pošiljam", "pošiljamo", "pri", "s", "v", "z", "za", "zahvaljujem",
        "zahvaljujemo"}),
}

#: Where a capital on *any* first word after the comma is judged, not only on the words
#: `OPENING_SMALL` lists: the languages that write nouns small (German writes every noun with a
#: capital, so there only the listed words can be judged). Kept: a name — a word the letter or
#: the brief writes with a capital inside a sentence, in any of its forms (`_names`: "Komisja"
#: for "przez Komisję") —, an abbreviation in capitals ("UE"), and the polite pronouns and
#: forms of address each language capitalises in a letter (`POLITE`).
OPENING_ANY_WORD = frozenset({"pl", "cs", "sl"})
#: The polite pronouns and forms of address a letter in these languages writes with a capital
#: as a courtesy to its reader (Polish "Pan", "Pani", "Państwo"; Czech "Vy", "Váš"; Slovenian
#: "Vi", "Vaš"), in their cases: never judged.
POLITE = {
    "pl": frozenset({"pan", "pana", "panu", "panem", "panie", "pani", "panią", "państwo",
                     "państwa", "państwu", "państwem", "pański", "pańska", "pańskie"}),
    "cs": frozenset({"vy", "vás", "vám", "vámi", "váš", "vaše", "vaši", "vašeho", "vašemu",
                     "vaší", "vašich", "vašim", "vašimi"}),
    "sl": frozenset({"vi", "vas", "vam", "vami", "vaš", "vaša", "vaše", "vašega", "vašemu",
                     "vašo", "vaših", "vašim", "vašimi"}),
}

#: A letter's first word — or a placeholder or brace before it, which leaves it unjudged.
_FIRST_WORD_RE = re.compile(r"\{\{|\}\}|\{\w+\}|[^\W\d_][\w’'-]*")
_WORD_RE = re.compile(r"[^\W\d_][\w’'-]*")
#: What a word after which (spaces, opening quotes and brackets aside) a sentence, a line or a
#: list item starts: a capital there says nothing about the word.
_STARTS_BEFORE = frozenset(".!?:…\n-*#>|")


def opening_warnings(brief: Brief) -> list[BriefError]:
    """A letter whose first word contradicts how its language goes on after the salutation it
    opens with (`OPENING_CAPITAL`, `OPENING_SMALL`): a lower-case first letter where a capital
    follows ("{salutation}\n\nwe enclose …"), or after a German comma a capital on a word
    written small ("Sehr geehrte …,\n\nWir …"), after a Polish, Czech or Slovenian one on any
    word but a name, an abbreviation or a polite form ("Szanowny Panie Pośle,\n\nWniosek …");
    a warning at the word, per language. The salutation
    judged is the language's default with each audience's `labels:` (a recipient's own may
    differ: the list's, which the letter cannot see)."""
    if brief.letter is None:
        return []
    warnings: list[BriefError] = []
    for entry in _entries(brief.letter, letter_languages(brief)):
        language = locale_base(entry.language or brief.languages[0])
        text = entry.value
        at = text.lower().find("{salutation}")
        start = at + len("{salutation}") if at >= 0 else 0
        match = _FIRST_WORD_RE.search(text, start)
        if match is None or match[0].startswith(("{", "}")):
            continue  # "{name}, …": what it prints is not known here
        word = match[0]
        names = _names(brief, entry.language or brief.languages[0]) \
            if language in OPENING_ANY_WORD else frozenset()
        salutations = dict.fromkeys(labels(language, audience.labels)["salutation"]
                                    for audience in brief.audiences) or \
            {labels(language)["salutation"]: None}
        for salutation in salutations:
            message = _opening_problem(language, salutation.rstrip(), word, names)
            if message:
                warnings.append(ContentError(entry.mark_of(match.start()),
                                             f"letter ({language}): {message}", "letter"))
                break
    return warnings


def _names(brief: Brief, language: str) -> frozenset[str]:
    """The words a brief writes with a capital inside a sentence in `language` — in its
    letter, title, summary and sections: names ("Komisję", "Europejskiej", "Niderlandach")."""
    texts: list[Text] = [brief.title]
    texts.extend(text for text in (brief.summary, brief.letter) if text is not None)
    sections = list(brief.sections)
    while sections:
        section = sections.pop()
        texts.extend(text for text in (section.title, section.body) if text is not None)
        sections.extend(section.sections)
    found = set()
    for text in texts:
        value = text.get(language) or ""
        for match in _WORD_RE.finditer(value):
            before = value[:match.start()].rstrip(" \t\u00a0\"'„“”«»‚‘’([*_")
            if match[0][0].isupper() and before and before[-1] not in _STARTS_BEFORE:
                found.add(match[0])
    return frozenset(found)


def _is_name(word: str, names: frozenset[str]) -> bool:
    """Whether `word` is one of `names` in another of its forms: the same first letters but
    the last three (Polish, Czech and Slovenian inflect the ending, and change the consonant
    before it: "Komisja", "Komisję"; "Rada", "Radzie")."""
    stem = word[:max(3, len(word) - 3)]
    return any(name.startswith(stem) for name in names)


def _opening_problem(language: str, salutation: str, word: str,
                     names: frozenset[str] = frozenset()) -> str:
    """What is wrong with a letter in `language` opening with `word` after `salutation`
    (`names`: the words the brief writes with a capital inside a sentence)."""
    mark = salutation[-1:] if salutation[-1:] in ",:!" else ""
    if language in OPENING_SMALL and mark == ",":
        if not word[0].isupper():
            return ""
        if word.lower() in OPENING_SMALL[language]:
            return (f"the letter's first word {word!r} has a capital letter, but after the "
                    f"salutation's comma ({salutation!r}) a {NAMES[language]} letter goes on in "
                    f"lower case: write {word.lower()!r} (or end the salutation with '!', in "
                    "`labels:`)")
        if (language in OPENING_ANY_WORD and not (len(word) > 1 and word.isupper())
                and word.lower() not in POLITE[language] and not _is_name(word, names)):
            return (f"the letter's first word {word!r} has a capital letter, but after the "
                    f"salutation's comma ({salutation!r}) a {NAMES[language]} letter goes on in "
                    f"lower case: write {word[0].lower() + word[1:]!r}, unless it is a name "
                    "(brief takes a word for a name when the letter or the brief writes it "
                    "with a capital inside a sentence), or end the salutation with '!', in "
                    "`labels:`")
        return ""
    if language in OPENING_CAPITAL and word[0].islower():
        after = {",": "its comma", ":": "its colon", "!": "its exclamation mark"}.get(
            mark, "it")
        return (f"the letter's first word {word!r} is in lower case, but after the "
                f"salutation ({salutation!r}) and {after} the letter goes on with a capital "
                f"letter: write {word[0].upper() + word[1:]!r}")
    return ""


def letter_html(project: Project, brief: Brief, audience: Audience, recipient: Recipient,
                language: str, *, today: dt.date | None = None, pages: int | None = None
                ) -> str:
    """The whole HTML document of one recipient's cover letter, in `language` (which the
    caller has decided: the recipient's, or a fallback); `today` is the letter's date, `pages`
    the brief's pages for the enclosure line (None: `ENCLOSURE_MARK` in its place, for
    `enclose` to fill in once they are counted)."""
    if brief.letter is None:
        raise letter_problems(brief, ())[0]
    entry = brief.letter.entry(language)
    gap = next((gap for gap in brief.gaps
                if gap.text_mark == brief.letter.mark and gap.language == language), None)
    if entry is None or gap is not None:  # a gap: it would print the original or an old one
        what = f"has no {language!r} text" if gap is None else \
            f"is not translated into {language!r} ({'stale' if gap.stale else 'missing'})"
        raise ContentError(brief.letter.mark if gap is None or gap.no_file else gap.mark,
                           f"the letter {what}; it is written in: "
                           f"{', '.join(letter_languages(brief)) or 'none'}; translate it "
                           f"(`brief translate {brief.id} --to {language}`), or write to this "
                           "recipient in one of those", "letter")
    words = labels(language, audience.labels)
    values = _values(recipient, words, language)
    unknown = [name for _, name in placeholders(entry.value) if name.lower() not in values]
    if unknown:
        raise letter_problems(brief, tuple(values))[0]
    empty = recipient_problems(brief, recipient, language)
    if empty:
        raise empty[0]
    body = substitute(_text_html(entry.value, language), values, language)
    uses_salutation = any(name.lower() == "salutation" for _, name in placeholders(entry.value))
    day = today or dt.date.today()
    url = brief.contact.url if brief.contact and brief.contact.url else brief.url
    document = Letter(
        language=language, title=_plain(brief.title, language, brief),
        subtitle=_plain(brief.subtitle, language, brief),
        organisation=_plain(brief.organisation, language, brief),
        organisation_url=url, organisation_url_display=urlsplit(url).netloc if url else "",
        organisation_url_field="contact" if brief.contact and brief.contact.url else "url",
        date=format_date(day.isoformat(), language), date_iso=day.isoformat(),
        recipient=value_html(recipient.name, language),
        address=_address(recipient, language) if audience.letter_delivery == "post" else (),
        position=tuple(value_html(value, language) for key in RECIPIENT_COLUMNS
                       if (value := " ".join((recipient.field(key) or "").split()))),
        delivery=audience.letter_delivery,
        sender_address=(brief.brand.postal_address
                        or (brief.contact.address if brief.contact else ())),
        logo=brief.contact.logo if brief.contact else "",
        enclosure=Markup(ENCLOSURE_MARK) if pages is None else
        enclosure_html(language, _plain(brief.title, language, brief), pages),
        continued=f"{words['page']} 2 {words['of']} 2",
        salutation="" if uses_salutation else plain.typeset(values["salutation"], language),
        body=Markup(body), closing=closing(words["closing"], values["salutation"], language),
        contact=_contact(brief, language),
        placeholders=brief.placeholders, labels=words, audience=audience.name,
        medium=audience.medium, generator=f"brief {__version__}",
        compact=audience.page.width_mm < COMPACT_BELOW_MM,
        brand=BrandView(brief.brand, relative_to(brief.folder), language))
    return render_html(document, LETTER_TEMPLATE, project.template_layers)


def closing(words: str, salutation: str, language: str) -> str:
    """The closing line, typeset: the catalog's (or `labels:`') `closing` with `{salutation}` in
    it replaced by the letter's salutation as the closing repeats it — without its last
    punctuation mark and the spaces before it, an opening "Cher"/"Chère" in lower case in
    French ("Veuillez agréer, chère Madame, …"): a French letter's closing repeats the appel
    as it stands, so a recipient's own salutation ("Madame la Députée,") is the one repeated."""
    if "{salutation}" not in words:
        return plain.typeset(words, language)
    address = _ADDRESS_END_RE.sub("", " ".join(salutation.split()))
    if locale_base(language) == "fr":
        address = _FRENCH_CHER_RE.sub(lambda m: m[0].lower(), address)
    return plain.typeset(words.replace("{salutation}", address), language)


def enclosure_html(language: str, title: str, pages: int) -> Markup:
    """The enclosure line in `language`: "Enclosure: <cite>title</cite> (4 pages)"."""
    # the count stays with its word, and "(4 pages)" with the title's last word
    words = escape(locale_plural(language, "enclosure", pages)
                   .replace("{pages} ", "{pages}\u00a0").replace(" ({pages}", "\u00a0({pages}"))
    cite = Markup("<cite>{}</cite>").format(title)
    return Markup(words.replace("{title}", cite).replace("{pages}", str(pages)))


def enclose(html: str, language: str, title: str, pages: int) -> str:
    """A letter made without its brief's page count (`letter_html(pages=None)`) with its
    enclosure line filled in: the brief `title` of `pages` pages."""
    return html.replace(ENCLOSURE_MARK, enclosure_html(language, title, pages), 1)


#: A batch's letters: the id of each one's first element (`batch_html`).
BATCH_ANCHOR = "brief-letter-{}"
_LETTER_DIV = '<div class="letter'


def batch_html(letters: list[str]) -> tuple[str, tuple[str, ...]]:
    """The HTML of several cover letters (`letter_html`, same language and audience) laid out
    as one document, each starting a page; and the id of each letter's element, in order."""
    head, _, _ = letters[0].partition("<body")
    bodies: list[str] = []
    anchors = tuple(BATCH_ANCHOR.format(index) for index in range(len(letters)))
    opening = ""
    for index, html in enumerate(letters):
        _, _, rest = html.partition("<body")
        tag, _, rest = rest.partition(">")
        body, _, _ = rest.rpartition("</body>")
        opening = opening or tag
        at = body.find(_LETTER_DIV)
        if at < 0:
            raise ValueError("a cover letter without its letter element")
        style = ' style="break-before: page"' if index else ""
        bodies.append(f'{body[:at]}<div id="{anchors[index]}"{style}'
                      f'{body[at + 4:]}')
    return f"{head}<body{opening}>{''.join(bodies)}</body>\n</html>\n", anchors


def own_salutation(recipient: Recipient, language: str) -> bool:
    """Whether a letter in `language` opens with the recipient's own salutation: only in their
    language (a letter that fell back to another one is in that language throughout)."""
    return bool(recipient.salutation) and locale_base(recipient.language) == locale_base(language)


def _values(recipient: Recipient, words: dict[str, str], language: str) -> dict[str, str]:
    """What each placeholder prints for a recipient in a letter in `language` (keys in lower
    case): `{salutation}` is theirs in their language, else the language's default."""
    values = {key.lower(): value for key, value in recipient.fields}
    values["name"] = recipient.name
    values["salutation"] = recipient.salutation if own_salutation(recipient, language) else \
        words["salutation"]
    return values


def recipient_problems(brief: Brief, recipient: Recipient, language: str) -> list[BriefError]:
    """A placeholder the letter in `language` prints whose cell is empty in the recipient's row
    ("… before the  committee"): one error at the row, naming the columns."""
    entry = brief.letter.entry(language) if brief.letter is not None else None
    if entry is None:
        return []
    values = _values(recipient, {"salutation": "-"}, language)
    empty = list(dict.fromkeys(name.lower() for _, name in placeholders(entry.value)
                               if name.lower() in values and not values[name.lower()].strip()))
    if not empty:
        return []
    columns = ", ".join(repr(name) for name in empty)
    return [ContentError(recipient.mark, f"recipient {recipient.id!r} has no {columns}, which "
                         f"the letter ({language}) prints as "
                         f"{', '.join(f'{{{name}}}' for name in empty)}; fill in the cell"
                         f"{'s' if len(empty) > 1 else ''}, or take the placeholder out of the "
                         "letter", "letter")]


def substitute(html: str, values: dict[str, str], language: str) -> str:
    """Rendered HTML with each `{placeholder}` replaced by its value, typeset for `language` and
    escaped; `{{` and `}}` become braces. (Names are matched ignoring case; one not in `values`
    stays as written — `letter_problems` reports it first.)"""
    lowered = {key.lower(): value for key, value in values.items()}

    def replace_one(match: re.Match[str]) -> str:
        if match[1] is None:
            return match[0][0]
        value = lowered.get(match[1].lower())
        return match[0] if value is None else value_html(value, language)

    return PLACEHOLDER_RE.sub(replace_one, html)


def value_html(value: str, language: str) -> Markup:
    """A value from the recipient list as HTML: typeset for the language, escaped; Greek in a
    letter of another language in a span marked `lang="el"` (the PDF's /Lang of that span, for
    screen readers; the shipped families have Greek, so no other font is needed)."""
    escaped = escape(plain.typeset(value, language))
    if _GREEK_RE.search(value) and locale_base(language) != "el":
        return Markup('<span lang="el">{}</span>').format(escaped)
    return escaped


@lru_cache(maxsize=64)  # bounded: `brief watch` runs for hours
def _text_html(text: str, language: str) -> str:
    """The letter's Markdown as HTML, its placeholders as written (`substitute` fills them in
    per recipient): the same for every recipient in a language, so made once for them all
    (a run of 720 letters parsed it 720 times)."""
    return render.to_html(syntax.parse(text, language),
                          render.RenderContext(lambda _k, _l, _f: ""), language)


@lru_cache(maxsize=256)  # bounded, as above; the brief's texts only, never a recipient's
def _typeset(text: str, language: str) -> str:
    """`plain.typeset`, once per text and language: the brief's title, subtitle, organisation
    and contact name print in every letter."""
    return plain.typeset(text, language)


def _plain(text: Text | None, language: str, brief: Brief) -> str:
    """A plain text in the letter's language (else in the original), typeset."""
    if text is None or not text.entries:
        return ""
    value = text.get(language)
    if value is None:
        original = text.get(brief.languages[0]) if brief.languages else None
        value = original if original is not None else text.entries[0].value
    return _typeset(value, language)


def _address(recipient: Recipient, language: str) -> tuple[Markup, ...]:
    """The address lines the list's columns give (none when it has no address columns)."""
    cells = {key: value for key in ADDRESS_COLUMNS
             if (value := (recipient.field(key) or "").strip())}
    lines: list[str] = []
    for key in ("office", "building", "address", "street"):
        if key in cells:
            lines.extend(address_lines(cells[key]))
    town = " ".join(cells[key] for key in ("postcode", "city") if key in cells)
    if town:
        lines.append(town)
    if lines and "country" in cells:
        lines.append(cells["country"])
    return tuple(value_html(line, language) for line in lines)


def _contact(brief: Brief, language: str) -> ContactBlock | None:
    """The signature: the contact's name, e-mail and phone (and URL)."""
    if brief.contact is None:
        return None
    contact = brief.contact
    return ContactBlock(_plain(contact.name, language, brief), contact.email, contact.phone,
                        contact.url)

