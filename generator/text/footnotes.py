"""footnotes: an output's parsed texts → numbered footnote tokens and the list of its footnotes.

Numbers run 1, 2, 3 … in reading order of each output (so sections left out for an audience leave
no gaps). A citation inside a `^[…]` note is not a footnote of its own: it prints the reference
inline. Also formats source references for the renderer.

**How a citation prints** is decided in `number`, per output, in reading order (`meta["form"]`
on each `fn_cite` token), as Chicago's notes do (The Chicago Manual of Style, 17th ed.,
14.29–14.36):

* the first citation of a source prints its full reference (`FULL`, with its URL);
* a later one its short form (`SHORT`): the author (CSL-JSON: the family names), else the
  publisher, the short title (`short_title:`, CSL-JSON's `title-short`, else `short_title`'s
  rule) and the locator — linked to the source on screen, without its URL on paper;
* a footnote that cites the one source the footnote before it cites prints the language's
  "Ibid." (`IBID`, the catalog's `ibid`) when the locator is the same, "Ibid., p. 5"
  (`IBID_AT`, the catalog's `ibid_at`) when it differs; a citation without a locator after
  one with a locator prints the short form (a bare "Ibid." would mean the same page).

A citation inside an author's note (`^[See [@key].]`) counts: the first citation of a source,
in a note or not, prints in full, later ones in short; the note's citations are what "the
footnote before" cites, so a citation right after a note citing only that source is "Ibid.".
Inside a note a citation is never "Ibid.": it stands in the author's sentence, where the word
would need the sentence's capitalisation (the short form reads right anywhere).

**A source's own texts** — its title, short title, container and publisher — are typeset in
the source's language (`Source.language`: quotation marks, French spacing, no-break spaces
after one-letter words follow its rules, not the output's) and tagged `lang` when that is
not the output's language (hyphenation patterns, the PDF's /Lang). A text a translator
translated (it differs from the brief's original) is in the output's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlsplit

from markdown_it.token import Token
from markupsafe import escape

from ..read.model import ANY_LANGUAGE, Brief, Published, Source, Text
from .addresses import breakable_url
from .locale import base, format_date, labels, plural
from .typography.plain import typeset

#: How a citation prints (`meta["form"]` of its `fn_cite` token, set by `number`).
FULL, SHORT, IBID, IBID_AT = "full", "short", "ibid", "ibid_at"


@dataclass(frozen=True, slots=True)
class Footnote:
    number: int
    kind: str  # "cite" or "note"
    key: str  # the source key of a citation, "" for a note
    form: str = FULL  # a citation's: FULL, SHORT, IBID or IBID_AT


def number(texts: list[list[Token]]) -> tuple[Footnote, ...]:
    """Number the footnote tokens of an output's texts in reading order; return the footnotes.

    Sets `meta["number"]` on each footnote token and `meta["adjacent"]` when it directly follows
    another footnote call (so the calls print as ¹,² rather than ¹²), and `meta["form"]` on
    every citation, a note's too (see the module's docstring).
    """
    footnotes: list[Footnote] = []
    cited: set[str] = set()
    before: list[tuple[str, str]] = []  # the (key, locator)s the footnote before cites
    for tokens in texts:
        for token in tokens:
            if token.type != "inline":
                continue
            previous: Token | None = None
            for child in token.children or []:
                if child.type in ("fn_cite", "fn_note"):
                    n = len(footnotes) + 1
                    child.meta["number"] = n
                    child.meta["adjacent"] = previous is not None and previous.type in (
                        "fn_cite", "fn_note")
                    if child.type == "fn_cite":
                        key, locator = child.meta.get("key", ""), child.meta.get("locator", "")
                        child.meta["form"] = _form(key, locator, cited, before)
                        cited.add(key)
                        before = [(key, locator)]
                    else:
                        before = []
                        for inner in citations(child.children or []):
                            key = inner.meta.get("key", "")
                            inner.meta["form"] = SHORT if key in cited else FULL
                            cited.add(key)
                            before.append((key, inner.meta.get("locator", "")))
                    footnotes.append(Footnote(n, child.type[3:], child.meta.get("key", ""),
                                              child.meta.get("form", FULL)))
                if not (child.type == "text" and child.content == ""):
                    previous = child
    return tuple(footnotes)


def _form(key: str, locator: str, cited: set[str], before: list[tuple[str, str]]) -> str:
    """How a footnote citing `key` at `locator` prints, after the sources `cited` so far and
    the citations of the footnote `before` it."""
    if key not in cited:
        return FULL
    if not before or any(other != key for other, _ in before):
        return SHORT
    if {at for _, at in before} == {locator}:
        return IBID
    return IBID_AT if locator else SHORT


def citations(tokens: list[Token]) -> Iterator[Token]:
    """The `fn_cite` tokens the renderer prints, in the order it prints them: an inline
    token's citations and those inside its notes (not an image's: its text is its alt)."""
    for token in tokens:
        if token.type == "inline":
            yield from citations(token.children or [])
        elif token.type == "fn_cite":
            yield token
        elif token.type == "fn_note":
            yield from citations(token.children or [])


def reference_html(brief: Brief, language: str, medium: str, key: str, locator: str,
                   *, words: Mapping[str, str] | None = None, note: bool = False,
                   form: str = FULL) -> str:
    """A source's reference: author, title, publisher, date, locator, and its URL (`words`: the
    output's, with the organisation's overrides; the catalog's by default); its short form or
    "Ibid." by `form` (set by `number`).

    On paper the URL is printed in full (a live link too); on screen the title is the link.
    `note`: the reference is a footnote of its own, so it ends as a sentence does (a full stop
    in the language, never doubled); inside the author's note (`^[See [@key].]`) it does not.
    """
    source = brief.source(key)
    if source is None:  # validation reports unknown keys before rendering
        return str(escape(f"[@{key}]"))
    words = words if words is not None else labels(language)
    if form in (IBID, IBID_AT):
        text = _ibid(words, language, locator if form == IBID_AT else "")
        return _end_sentence(text, language) if note else text
    if form == SHORT:
        return _short_html(brief, source, language, medium=medium, locator=locator, note=note)
    return _full_html(brief, source, language, medium=medium, locator=locator, words=words,
                      note=note)


def _full_html(brief: Brief, source: Source, language: str, *, medium: str, locator: str,
               words: Mapping[str, str], note: bool) -> str:
    """A source's first citation: its full reference (see `reference_html`)."""

    def plain(text: Text | None) -> str:  # as it prints: the language's quotation marks, …
        value = text.get(language) if text is not None else None
        return str(escape(typeset(value, language))) if value else ""

    title, title_lang = _own(brief, source, source.title, language)
    if medium == "screen" and source.url:
        title = f'<a href="{escape(source.url)}">{title}</a>'
    parts = _with_names(source, language, plain(source.author),
                        f'<span class="ref-title"{title_lang}>{title}</span>', words)
    published = source.published
    if source.publisher is not None and plain(source.publisher) and not _same_name(
            source.publisher, source.author, language, source.editors):
        publisher, publisher_lang = _own(brief, source, source.publisher, language)
        parts.append(f"<span{publisher_lang}>{publisher}</span>" if publisher_lang
                     else publisher)
    if source.date:
        parts.append(format_date(source.date, language))
    elif published is not None and published.date_literal:
        parts.append(str(escape(published.date_literal)))
    if locator:
        parts.append(str(escape(typeset(locator, language))))
    text = ", ".join(parts)
    if source.accessed:
        text += (f" ({words['accessed']} "
                 f"{format_date(source.accessed, language, accessed=True)})")
    if medium == "paper" and source.url:
        text = _end_sentence(text, language)
        text += f' <a class="url" href="{escape(source.url)}">{breakable_url(source.url)}</a>'
    elif source.url:  # on screen the title is the link; the site's name helps a printout
        domain = urlsplit(source.url).netloc.removeprefix("www.")
        text = _end_sentence(text, language) + f' <span class="domain">{escape(domain)}</span>'
    elif note:
        text = _end_sentence(text, language)
    return text


#: CSL types whose editors (`editor`) edit the container the work appeared in — the book,
#: the proceedings, the encyclopedia: "Ann Lee, Encryption and the Law, in Jane Smith (ed.),
#: Handbook of Privacy, 3–12" (Chicago 14.106–14.107, 14.130), the language's word for "in"
#: (the catalog's `in`) before them, so they do not read as the chapter's co-authors. Other
#: types' editors edit the work itself: in the author's place when it has none (`_with_names`).
IN_CONTAINER = frozenset({"chapter", "paper-conference", "entry", "entry-dictionary",
                          "entry-encyclopedia"})


def _with_names(source: Source, language: str, author: str, title: str,
                words: Mapping[str, str]) -> list[str]:
    """The author, the title, the editors, and where a CSL-JSON source appeared (the journal,
    volume(issue), number, pages); an edited work without author: its editors in the author's
    place (Chicago 14.76); a chapter's editors (`IN_CONTAINER`) with the book they edit."""
    editors = _editors(source, language)
    published = source.published
    if published is not None and published.container and published.kind in IN_CONTAINER:
        before = f"{escape(words['in'])} {editors + ', ' if editors else ''}"
        return [*([author] if author else []), title, *_published_parts(
            published, source.language or language, language, before=before)]
    if author:
        parts = [author, title, editors] if editors else [author, title]
    else:
        parts = [editors, title] if editors else [title]
    if published is not None:
        parts.extend(_published_parts(published, source.language or language, language))
    return parts


def _ibid(words: Mapping[str, str], language: str, locator: str) -> str:
    """The language's "Ibid." — with the locator ("Ibid., p. 5") when it is given."""
    if not locator:
        return str(escape(words["ibid"]))
    template = words["ibid_at"]
    where = typeset(locator, language)
    text = (template.replace("{locator}", where) if "{locator}" in template
            else f"{template}, {where}")
    return str(escape(text))


def _short_html(brief: Brief, source: Source, language: str, *, medium: str, locator: str,
                note: bool) -> str:
    """A repeated citation: who (author, else publisher), the short title, the locator."""
    parts = []
    author = source.author.get(language) if source.author is not None else None
    if source.short_author:
        parts.append(str(escape(typeset(source.short_author, language))))
    elif author:
        parts.append(str(escape(typeset(author, language))))
    elif source.publisher is not None and source.publisher.get(language):
        publisher, publisher_lang = _own(brief, source, source.publisher, language)
        parts.append(f"<span{publisher_lang}>{publisher}</span>" if publisher_lang
                     else publisher)
    title_text = source.title.get(language) or ""
    short = _written_short_title(brief, source, language, title_text) or short_title(title_text)
    lang = _language_of(brief, source, source.title, title_text, language)
    title = str(escape(typeset(short, lang)))
    if medium == "screen" and source.url:
        title = f'<a href="{escape(source.url)}">{title}</a>'
    parts.append(f'<span class="ref-title"{_lang_attribute(lang, language)}>{title}</span>')
    if locator:
        parts.append(str(escape(typeset(locator, language))))
    text = ", ".join(parts)
    return _end_sentence(text, language) if note else text


def _written_short_title(brief: Brief, source: Source, language: str, title: str) -> str:
    """The short title written for the title as it prints: the language's own (`{en: …}`),
    else the one for every language or the original's, unless the title printed is a
    translation (its short title is then made from it)."""
    if source.short_title is None:
        return ""
    entry = source.short_title.entry(language)
    if entry is None:
        return ""
    if entry.language == language and language != (brief.languages or ("",))[0]:
        return entry.value
    return entry.value if _is_original(brief, source.title, title) else ""


#: Where a title's main part ends: a colon, a full stop, a question or exclamation mark, a
#: spaced dash (its subtitle follows).
_SUBTITLE_RE = re.compile(r"(?<=\S)[:.?!](?=\s)|\s[–—]\s")
#: The most words a made short title keeps (Chicago 14.32: "no more than four words").
SHORT_TITLE_WORDS = 4


def short_title(title: str) -> str:
    """The short title of a source that has none written (`short_title:`, `title-short`): its
    main title (before a subtitle's colon or dash), when that is at most `SHORT_TITLE_WORDS`
    words long; else its first four words and "…" (the cut shown: no title reads as whole
    that is not). "Slachtofferhulp: schaamte bij …" → "Slachtofferhulp"."""
    match = _SUBTITLE_RE.search(title)
    main = title[:match.start() + (1 if title[match.start()] in "?!" else 0)] if match else title
    words = main.split()
    if len(words) <= SHORT_TITLE_WORDS:
        return " ".join(words)
    return " ".join(words[:SHORT_TITLE_WORDS]).rstrip(",;:") + "…"


def _editors(source: Source, language: str) -> str:
    """The editors, as the language prints them ("Jane Smith (ed.)", "… (Hrsg.)"); "" when
    the source has none."""
    if not source.editors:
        return ""
    names = ", ".join(source.editors)
    return str(escape(plural(language, "editors", len(source.editors)).replace(
        "{names}", typeset(names, language))))


def _own(brief: Brief, source: Source, text: Text, language: str) -> tuple[str, str]:
    """One of a source's own texts as it prints in `language`, typeset by the rules of the
    language it is written in, and the `lang` attribute it needs ("" in the output's
    language)."""
    value = text.get(language) or ""
    lang = _language_of(brief, source, text, value, language)
    return str(escape(typeset(value, lang))), _lang_attribute(lang, language)


def _language_of(brief: Brief, source: Source, text: Text, value: str, language: str) -> str:
    """The language a source's text is written in: the source's, unless the text is a
    translation (it differs from the brief's original), or the source's is not known."""
    if source.language and _is_original(brief, text, value):
        return source.language
    return language


def _is_original(brief: Brief, text: Text, value: str) -> bool:
    """Whether `value` is the text as written in the brief's original language (or in every
    language), not a translation of it."""
    original = brief.languages[0] if brief.languages else ANY_LANGUAGE
    return any(entry.value == value for entry in text.entries
               if entry.language in (original, ANY_LANGUAGE))


def _lang_attribute(lang: str, language: str) -> str:
    return "" if base(lang) == base(language) else f' lang="{escape(lang)}"'


def _same_name(publisher: Text, author: Text | None, language: str,
               editors: tuple[str, ...] = ()) -> bool:
    """Whether the publisher is one of the authors or editors, as Zotero exports an
    institution's report (author, or editor, and publisher "European Commission"): printed
    once. Case and spaces do not count."""
    name = _name_key(publisher.get(language) or "")
    authors = (author.get(language) or "") if author is not None else ""
    return bool(name) and (name == _name_key(authors)
                           or name in (_name_key(a) for a in authors.split(","))
                           or name in (_name_key(e) for e in editors))


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _published_parts(published: Published, own: str, language: str, *,
                     before: str = "") -> list[str]:
    """Where a CSL-JSON source appeared, as printed: "Journal 12(3)" (in the source's language,
    `own`; `before` it, HTML: a chapter's "in Jane Smith (ed.), "), its number, its pages."""

    def typeset_html(value: str, lang: str = language) -> str:
        return str(escape(typeset(value, lang)))

    where = " ".join(part for part in (
        published.container, published.volume + (f"({published.issue})" if published.issue
                                                  else "")) if part)
    parts = [f'{before}<span class="ref-container"{_lang_attribute(own, language)}>'
             f'{typeset_html(where, own)}</span>'] if where else []
    parts.extend(typeset_html(value) for value in (published.number, published.pages) if value)
    return parts


#: A sentence's full stop where it is not ".", by language.
_FULL_STOP = {"zh": "。", "ja": "。"}
#: What already ends a sentence: no full stop is added after it, nor after a closing quotation
#: mark that follows it ("… ‘Why?’", French "« Pourquoi\u202f? »"). A closing parenthesis or
#: bracket does: the full stop inside it is the parenthesis's own (an accessed date's "2023 г.",
#: "2023.", a title's "etc."), never the sentence's ("(посетено на 1 април 2023 г.).").
_SENTENCE_END = re.compile(r"[.?!…。？！؟](?:[\u00a0\u202f]?[\"'’”»«“„])*$")


def _end_sentence(html: str, language: str = "en") -> str:
    plain = unescape(re.sub(r"<[^>]+>", "", html)).rstrip()
    if _SENTENCE_END.search(plain):
        return html
    return html + _FULL_STOP.get(language.split("-", maxsplit=1)[0], ".")
