"""footnotes: an output's parsed texts → numbered footnote tokens and the list of its footnotes.

Numbers run 1, 2, 3 … in reading order of each output (so sections left out for an audience leave
no gaps). A citation inside a `^[…]` note is not a footnote of its own: it prints the reference
inline. Also formats source references for the renderer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlsplit

from markdown_it.token import Token
from markupsafe import escape

from .addresses import breakable_url
from .locale import format_date, labels
from .markdown import typeset
from .model import Brief, Published, Text


@dataclass(frozen=True, slots=True)
class Footnote:
    number: int
    kind: str  # "cite" or "note"
    key: str  # the source key of a citation, "" for a note


def number(texts: list[list[Token]]) -> tuple[Footnote, ...]:
    """Number the footnote tokens of an output's texts in reading order; return the footnotes.

    Sets `meta["number"]` on each footnote token and `meta["adjacent"]` when it directly follows
    another footnote call (so the calls print as ¹,² rather than ¹²).
    """
    footnotes: list[Footnote] = []
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
                    footnotes.append(Footnote(n, child.type[3:], child.meta.get("key", "")))
                if not (child.type == "text" and child.content == ""):
                    previous = child
    return tuple(footnotes)


def reference_html(brief: Brief, language: str, medium: str, key: str, locator: str,
                   *, words: Mapping[str, str] | None = None, note: bool = False) -> str:
    """A source's reference: author, title, publisher, date, locator, and its URL (`words`: the
    output's, with the organisation's overrides; the catalog's by default).

    On paper the URL is printed in full (a live link too); on screen the title is the link.
    `note`: the reference is a footnote of its own, so it ends as a sentence does (a full stop
    in the language, never doubled); inside the author's note (`^[See [@key].]`) it does not.
    """
    source = brief.source(key)
    if source is None:  # validation reports unknown keys before rendering
        return str(escape(f"[@{key}]"))
    words = words if words is not None else labels(language)

    def plain(text: Text | None) -> str:  # as it prints: the language's quotation marks, …
        value = text.get(language) if text is not None else None
        return str(escape(typeset(value, language))) if value else ""

    title = plain(source.title)
    if medium == "screen" and source.url:
        title = f'<a href="{escape(source.url)}">{title}</a>'
    parts = []
    if plain(source.author):
        parts.append(plain(source.author))
    parts.append(f'<span class="ref-title">{title}</span>')
    published = source.published
    if published is not None:  # from a CSL-JSON file: the journal, volume(issue), number, pages
        parts.extend(_published_parts(published, language))
    if source.publisher is not None and plain(source.publisher) and not _same_name(
            source.publisher, source.author, language):
        parts.append(plain(source.publisher))
    if source.date:
        parts.append(format_date(source.date, language))
    elif published is not None and published.date_literal:
        parts.append(str(escape(published.date_literal)))
    if locator:
        parts.append(str(escape(typeset(locator, language))))
    text = ", ".join(parts)
    if source.accessed:
        text += f" ({words['accessed']} {format_date(source.accessed, language)})"
    if medium == "paper" and source.url:
        text = _end_sentence(text, language)
        text += f' <a class="url" href="{escape(source.url)}">{breakable_url(source.url)}</a>'
    elif source.url:  # on screen the title is the link; the site's name helps a printout
        domain = urlsplit(source.url).netloc.removeprefix("www.")
        text = _end_sentence(text, language) + f' <span class="domain">{escape(domain)}</span>'
    elif note:
        text = _end_sentence(text, language)
    return text


def _same_name(publisher: Text, author: Text | None, language: str) -> bool:
    """Whether the publisher is one of the authors, as Zotero exports an institution's report
    (author and publisher "European Commission"): printed once. Case and spaces do not count."""
    if author is None:
        return False
    name = _name_key(publisher.get(language) or "")
    authors = author.get(language) or ""
    return bool(name) and (name == _name_key(authors)
                           or name in (_name_key(a) for a in authors.split(",")))


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _published_parts(published: Published, language: str) -> list[str]:
    """Where a CSL-JSON source appeared, as printed: "Journal 12(3)", its number, its pages."""

    def typeset_html(value: str) -> str:
        return str(escape(typeset(value, language)))

    where = " ".join(part for part in (
        published.container, published.volume + (f"({published.issue})" if published.issue
                                                  else "")) if part)
    parts = [f'<span class="ref-container">{typeset_html(where)}</span>'] if where else []
    parts.extend(typeset_html(value) for value in (published.number, published.pages) if value)
    return parts


#: A sentence's full stop where it is not ".", by language.
_FULL_STOP = {"zh": "。", "ja": "。"}
#: What already ends a sentence: no full stop is added after it (nor after a closing quote or
#: bracket that follows it: "… ‘Why?’").
_SENTENCE_END = re.compile(r"[.?!…。？！؟][\"'’”»«“„)\]]*$")


def _end_sentence(html: str, language: str = "en") -> str:
    plain = unescape(re.sub(r"<[^>]+>", "", html)).rstrip()
    if _SENTENCE_END.search(plain):
        return html
    return html + _FULL_STOP.get(language.split("-", maxsplit=1)[0], ".")
