"""syntax: turns a brief's Markdown text into markdown-it tokens (`lint` reports its problems,
`render` turns the tokens into HTML).

One parser configuration for every text: CommonMark with pipe tables and typographic quotes for
the output's language, raw HTML off, links limited to http(s), mailto and in-document anchors,
and the brief's footnote syntax (Pandoc style):

* ``[@key]`` or ``[@key, p. 12]`` → a `fn_cite` token (meta: key, locator)
* ``[@a; @b]`` → two `fn_cite` tokens, printed as adjacent calls (¹,²)
* ``^[free text]`` → a `fn_note` token whose children are the note's inline tokens
* ``[Grooming]{lang=en}`` → a span in another language (`span_open` with its `lang`; any other
  attribute is a problem), set by that language's rules (`typography`)

Nothing of that syntax may reach paper literally: a call that does not parse (``^[`` never
closed, ``[@fra S. 7]`` without its comma, …) becomes an `fn_error` token that `lint.problems`
reports at its place, and a call is attached to the word before it (no space, no line break
between). Quotation marks pasted from a word processor are normalised and set again for the
language, in bodies, their notes, captions and table cells, and (through `plain.typeset`) in
every plain text an output prints; so are French spacing and, in Polish, Czech and Slovak, the
no-break space after a one-letter word, and the rules of `typography` (number ranges, spaces
around numbers, note calls and punctuation, compounds' hyphens), each in the language a text is
written in. Markdown that parses but would print wrongly — `**` or a backtick never closed, a
table without its line of dashes, cells beyond the header, a paragraph that became a table's
row, a list YAML folded into one line (`lint.folded`), a span with another attribute than `lang`
or never closed — is reported too (by `lint`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache, partial
from typing import Any

from linkify_it import LinkifyIt  # type: ignore[import-untyped]  # (no type hints)
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline, backtick, emphasis
from markdown_it.rules_inline.state_inline import Delimiter
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

from . import locale
from .typography import compounds, core, numbers, pasted, spacing, ties
from .typography.prose import NOT_PROSE_RE as _NOT_PROSE_RE

#: Quotation marks (double open/close, single open/close) per language: CLDR's, see `locale`.
QUOTES = locale.QUOTES
DEFAULT_QUOTES = locale.DEFAULT_QUOTES

KEY = r"[A-Za-z0-9][A-Za-z0-9_.:-]*"
CITE_RE = re.compile(rf"\[@({KEY})\s*(?:,\s*([^\]\n]*?))?\s*\]")
#: One citation of several in ``[@a; @b, p. 3]``.
_ONE_CITE = rf"@{KEY}\s*(?:,[^;\]\n]*)?"
MULTI_CITE_RE = re.compile(rf"\[\s*{_ONE_CITE}(?:;\s*{_ONE_CITE})+\]")
_PART_RE = re.compile(rf"@({KEY})\s*(?:,\s*([^;\]\n]*?))?\s*(?:;|\])")
#: Where a source key is cited: ``[@key`` or ``; @key`` inside brackets.
CITED_KEY_RE = re.compile(rf"(?:\[|;\s*)@({KEY})")
#: A bare ``@key`` in running text (not in an e-mail address or a handle within a word).
BARE_KEY_RE = re.compile(rf"(?<![\w.@\[+-])@({KEY})")
RAW_HTML_RE = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?/?>|<!--|<\?")
ALLOWED_LINK_RE = re.compile(r"^(https?://|mailto:|#)", re.IGNORECASE)
MAX_NESTING = 12


def _cite_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[@", state.pos):
        return False
    match = CITE_RE.match(state.src, state.pos)
    if match and match[2] is not None and not match[2].strip() and "," in match[0]:
        return _error(state, silent, f"empty locator in `{match[0]}`; write `[@{match[1]}]` or "
                      f"give the page: `[@{match[1]}, p. 7]`", match.end())
    if not match:
        return _multi_cite(state, silent)
    if not silent:
        token = state.push("fn_cite", "", 0)
        token.meta = {"key": match[1], "locator": (match[2] or "").strip(),
                      "offset": state.pos}
    state.pos = match.end()
    return True


def _multi_cite(state: StateInline, silent: bool) -> bool:
    """``[@a; @b, p. 3]`` → one `fn_cite` token per source, printed as adjacent calls."""
    match = MULTI_CITE_RE.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        for part in _PART_RE.finditer(state.src, state.pos, match.end()):
            token = state.push("fn_cite", "", 0)
            token.meta = {"key": part[1], "locator": (part[2] or "").strip(),
                          "offset": part.start() - (1 if part.start() == state.pos + 1 else 0)}
    state.pos = match.end()
    return True


def _error(state: StateInline, silent: bool, message: str, end: int) -> bool:
    """Consume src[pos:end] as an `fn_error` token: footnote syntax that would print as text."""
    if not silent:
        token = state.push("fn_error", "", 0)
        token.content = state.src[state.pos:end]
        token.meta = {"offset": state.pos, "problem": message}
    state.pos = end
    return True


def _broken_call_rule(state: StateInline, silent: bool) -> bool:
    """A ``^[`` or ``[@`` that neither footnote rule took (they run first): say what is wrong.

    Only when tokenizing for real: in silent mode (link labels measuring their brackets) the
    text stays as it is, so brackets keep counting as they would."""
    src, pos = state.src, state.pos
    if silent or not src.startswith(("^[", "[@"), pos):
        return False
    if src.startswith("^[", pos):
        return _error(state, silent, "unclosed footnote `^[`; end the note with `]`", pos + 2)
    end = state.md.helpers.parseLinkLabel(state, pos)
    if end >= 0 and src[end + 1:end + 2] in ("(", "["):  # a link whose text starts with @
        return False
    return _error(state, silent, _broken_citation(src[pos:end + 1] if end >= 0 else
                                                  src[pos:].split("\n", 1)[0]), pos + 2)


#: A locator as written after a source's comma: a label and a page or range (``s. 12``,
#: ``S. 7–9``, ``p. 3``), else a bare number.
_LOCATOR = r"(?:[^\W\d]+\.?\s*)?\d+(?:\s*[-–]\s*\d+)?"
#: What an unclosed ``[@…`` holds of a citation (its sources and their locators), so the hint
#: keeps them: ``[@rpo-2023, s. 12`` → ``[@rpo-2023, s. 12]``.
_UNCLOSED_CITE_RE = re.compile(rf"\[@{KEY}(?:\s*,\s*{_LOCATOR})?(?:\s*;\s*@{KEY}"
                               rf"(?:\s*,\s*{_LOCATOR})?)*")
_NO_COMMA_RE = re.compile(rf"\[@({KEY}?)[;:]?\s+([^\]]*\S)\s*\]")


def _broken_citation(written: str) -> str:
    """What is wrong with a ``[@…`` that is not a citation, and how to write it."""
    if not written.endswith("]"):
        cited = _UNCLOSED_CITE_RE.match(written)
        example = cited[0].rstrip(" ,;") + "]" if cited else "[@key]"
        return f"unclosed citation `{written[:40]}`; end it with `]`, as in `{example}`"
    if re.match(rf"\[@\s+{KEY}", written):
        fixed = re.sub(r"\[@\s+", "[@", written)
        return f"citation `{written}` has a space after `@`; did you mean `{fixed}`?"
    no_comma = _NO_COMMA_RE.fullmatch(written)
    if no_comma:
        return (f"citation `{written}` has no comma before its locator; did you mean "
                f"`[@{no_comma[1]}, {no_comma[2]}]`?")
    return (f"citation `{written}` is not understood; write `[@key]`, `[@key, p. 7]` or, for "
            "several sources, `[@a; @b]`")


def _note_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("^[", state.pos):
        return False
    end = state.md.helpers.parseLinkLabel(state, state.pos + 1)
    if end < 0:
        return False
    if not silent:
        token = state.push("fn_note", "", 0)
        token.meta = {"offset": state.pos, "text": state.src[state.pos + 2:end]}
        children: list[Token] = []
        state.md.inline.parse(state.src[state.pos + 2:end], state.md, state.env, children)
        for child in walk(children):  # offsets in the note's text → offsets in this text
            if child.meta and "offset" in child.meta:
                child.meta["offset"] += state.pos + 2
        token.children = children
    state.pos = end + 1
    return True


def _validate_link(url: str) -> bool:
    return bool(ALLOWED_LINK_RE.match(url.strip())) or _is_relative_file(url)


def _is_relative_file(url: str) -> bool:
    """An image in the brief's folder: a plain relative path, no scheme, no `..`."""
    return bool(re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_./-]*", url)) and ".." not in url.split("/")


class _Parser(MarkdownIt):
    """markdown-it whose links may only go where `_validate_link` allows."""

    def validateLink(self, url: str) -> bool:
        return _validate_link(url)


#: What follows a web address's host: a port, a path, a query, a fragment.
_AFTER_HOST_RE = re.compile(r"[:/?#]")


class _Linkify(LinkifyIt):  # type: ignore[misc]
    """linkify-it's matcher, whose addresses written without a scheme (fuzzy links) are kept only
    where they look like one: "www.…", a path after the host (example.de/bericht), three labels
    or more (ec.europa.eu), or a label of three letters or more (nos.nl, un.org). An abbreviation
    whose letters happen to end in a country code — Polish "m.in." or "m.st.", Latvian "t.sk.",
    "n.st." — stays text: a live link to http://m.in is silent wrongness."""

    def match(self, text: str) -> list[Any] | None:
        found = [link for link in super().match(text) or ()
                 if link.schema or _looks_like_address(link.raw)]
        return found or None


def _looks_like_address(written: str) -> bool:
    """A scheme-less address worth a link (`_Linkify`)."""
    host, *rest = _AFTER_HOST_RE.split(written, maxsplit=1)
    labels = host.split(".")
    return (host.lower().startswith("www.") or bool(rest and rest[0]) or len(labels) >= 3
            or max(len(labels[0]), len(labels[-1])) >= 3)


def parser(language: str = "en") -> MarkdownIt:
    """The configured parser for texts in `language` (the typography rules differ)."""
    return _parser(locale.quotes_key(language))


@lru_cache(maxsize=32)  # one per `QUOTES` entry; bounded, since `brief watch` runs for hours
def _parser(base_language: str) -> MarkdownIt:
    md = _Parser("commonmark", {"html": False, "typographer": True, "linkify": True,
                                "quotes": list(locale.quotes(base_language)),
                                "maxNesting": MAX_NESTING})
    md.linkify = _Linkify()
    md.enable(["table", "replacements", "smartquotes", "linkify"])
    md.disable(["html_block", "html_inline"])
    md.inline.ruler.before("link", "fn_cite", _cite_rule)
    md.inline.ruler.before("link", "fn_note", _note_rule)
    md.inline.ruler.before("link", "fn_error", _broken_call_rule)
    md.inline.ruler.at("emphasis", _emphasis_rule)
    md.inline.ruler.at("backticks", _backtick_rule)
    # Pandoc's span `[Grooming]{lang=en}`: text in another language (`typography.runs`); any
    # attribute but `lang` is kept out of the HTML (and reported by `problems`).
    attrs_plugin(md, spans=True, after=(), allowed=("lang",))
    span = next(rule.fn for rule in md.inline.ruler.__rules__ if rule.name == "span")
    md.inline.ruler.at("span", partial(_located_span, rule=span))
    md.inline.ruler2.after("emphasis", "unclosed_emphasis", _unclosed_emphasis)
    md.inline.ruler2.at("fragments_join", _fragments_join)
    md.core.ruler.at("text_join", _text_join)
    md.core.ruler.before("replacements", "figures", _figures)
    md.core.ruler.before("smartquotes", "pasted_quotes", pasted.pasted_quotes_rule)
    md.core.ruler.at("smartquotes", partial(core.smartquotes_rule, language=base_language))
    md.core.ruler.push("attach_calls", _attach_calls)
    md.core.ruler.push("tie_last_words", ties.tie_last_words_rule)
    md.core.ruler.push("place_calls", partial(core.place_calls_rule, language=base_language))
    md.core.ruler.push("french_spacing", partial(spacing.french_spacing_rule,
                                                 language=base_language))
    md.core.ruler.push("one_letter_words", partial(ties.one_letter_words_rule,
                                                   language=base_language))
    md.core.ruler.push("numbers", partial(core.per_run_rule, change=numbers.numbers,
                                          language=base_language))
    md.core.ruler.push("compounds", partial(core.per_run_rule, change=compounds.set_hyphens,
                                            language=base_language))
    return md


def _located_span(state: StateInline, silent: bool, *, rule: Callable[[StateInline, bool], bool]
                  ) -> bool:
    """mdit-py-plugins' span rule, noting where the span starts (`meta["offset"]`) so that
    `problems` can report a wrong attribute at its place."""
    start, before = state.pos, len(state.tokens)
    if not rule(state, silent):
        return False
    opening = next((t for t in state.tokens[before:] if t.type == "span_open"), None)
    if not silent and opening is not None:  # (the text before it may be pushed first)
        opening.meta = {**(opening.meta or {}), "offset": start}
    return True


# ---------------------------------------------------------------------------------------------
# Emphasis and code never closed: `**`, `__`, `*word`, `` `code `` print as the characters


_WHAT_PRINTS = {"*": "an asterisk", "**": "two asterisks", "_": "an underscore",
                "__": "two underscores"}


def _emphasis_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it's emphasis tokenizer, noting where each delimiter stands (`meta["offset"]`,
    an offset in the inline's content) so an unclosed one can be reported at its place."""
    if silent or state.src[state.pos] not in "*_":
        return False
    if state.pending:
        state.pushPending()  # (its text token is not a delimiter)
    start, before = state.pos, len(state.tokens)
    if not emphasis.tokenize(state, silent):
        return False
    for i, token in enumerate(state.tokens[before:]):
        token.meta = {"offset": start + i}
    return True


def _backtick_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it's code spans; a backtick run it finds no closer for stays text, as its own
    token marked `unclosed` (reported by `problems`)."""
    start, before = state.pos, len(state.tokens)
    if not backtick(state, silent):
        return False
    marker = state.src[start:state.pos]
    if not silent and len(state.tokens) == before and state.pending.endswith(marker):
        state.pending = state.pending[:-len(marker)]
        token = state.push("text", "", 0)
        token.content = marker
        what = "a backtick" if len(marker) == 1 else f"{len(marker)} backticks"
        escaped = "\\`" * len(marker)
        token.meta = {"offset": start, "warning": False, "unclosed": (
            f"{what} starting code here is never closed, so it prints as {what}; close the "
            f"code (`code`) or write {escaped}")}
    return True


def _unclosed_emphasis(state: StateInline) -> None:
    """After markdown-it paired emphasis delimiters: mark the runs it left as text (their
    tokens still read `*` or `_`) with what is wrong. `**` and `__` are errors; a lone `*` or `_`
    at a word's start is a warning (``*Schätzung`` may mean the asterisk). A delimiter in a word
    that is an address, or one that can neither open nor close (``5 * 3``), is left alone."""
    lists = [state.delimiters] + [meta["delimiters"] for meta in state.tokens_meta
                                  if meta and "delimiters" in meta]
    for delimiters in lists:
        run: list[Delimiter] = []
        for delimiter in delimiters:
            if run and (not _left_as_text(state, delimiter) or run[-1].marker != delimiter.marker
                        or run[-1].token + 1 != delimiter.token):
                _mark_unclosed(state, run)
                run = []
            if _left_as_text(state, delimiter):
                run.append(delimiter)
        if run:
            _mark_unclosed(state, run)


def _left_as_text(state: StateInline, delimiter: Delimiter) -> bool:
    token = state.tokens[delimiter.token] if delimiter.token < len(state.tokens) else None
    return (token is not None and token.type == "text" and len(token.content) == 1
            and ord(token.content) == delimiter.marker and "offset" in (token.meta or {}))


def _mark_unclosed(state: StateInline, run: list[Delimiter]) -> None:
    first = state.tokens[run[0].token]
    marker, offset = first.content, first.meta["offset"]
    written = marker * len(run)
    opens, closes = run[0].open, run[0].close
    if not (opens or closes) or any(match.start() <= offset < match.end()
                                    for match in _NOT_PROSE_RE.finditer(state.src)):
        return  # (an address: `https://x.org/_a`)
    if len(run) == 1 and (closes or not opens):
        return  # a lone `*` after a word (a footnote mark, `5*`): as written
    escaped = "\\" + "\\".join(written)
    if len(run) >= 2:
        kind = "bold" if len(run) == 2 else "bold italic"
        example = f"{written}{kind}{written}"
    else:
        example = f"{marker}italic{marker}"
    what = _WHAT_PRINTS.get(written) or (
        f"{len(run)} {'asterisks' if marker == '*' else 'underscores'}")
    problem = (f"`{written}` is never closed, so it prints as {what}; close it (`{example}`) or "
               f"write `{escaped}`" if opens else
               f"`{written}` closes nothing, so it prints as {what}; open it (`{example}`) or "
               f"write `{escaped}`")
    first.content = written
    first.meta = {"offset": offset, "unclosed": problem, "warning": len(run) == 1}
    for delimiter in run[1:]:
        state.tokens[delimiter.token].content = ""


def _fragments_join(state: StateInline) -> None:
    """markdown-it's `fragments_join` (set levels again after emphasis, merge adjacent texts),
    except that a delimiter marked `unclosed` stays its own token (see `_join_texts`)."""
    level = 0
    for token in state.tokens:
        if token.nesting < 0:
            level -= 1
        token.level = level
        if token.nesting > 0:
            level += 1
    state.tokens[:] = _join_texts(state.tokens, escapes=False)


def _text_join(state: StateCore) -> None:
    """markdown-it's `text_join` (escapes become text, adjacent texts one), keeping a delimiter
    marked `unclosed` its own token (see `_join_texts`)."""
    for block in state.tokens:
        if block.type == "inline" and block.children:
            for child in block.children:
                if child.children:  # an image's alt text
                    child.children = _join_texts(child.children)
            block.children = _join_texts(block.children)


def _join_texts(tokens: list[Token], escapes: bool = True) -> list[Token]:
    """Adjacent text tokens joined into one (with `escapes`, escaped characters, `text_special`,
    first become text: after typography, which leaves them as written), except one marked
    `unclosed`: it stays apart, so `problems` reports it at its own place."""
    joined: list[Token] = []
    for token in tokens:
        if escapes and token.type == "text_special":
            token.type = "text"
        if (token.type == "text" and joined and joined[-1].type == "text"
                and "unclosed" not in (token.meta or {})
                and "unclosed" not in (joined[-1].meta or {})):
            joined[-1].content += token.content
            continue
        joined.append(token)
    return joined


_CALLS = ("fn_cite", "fn_note")
_BREAKS = ("softbreak", "hardbreak")


def _attach_calls(state: StateCore) -> None:
    """A footnote call belongs to the word before it: drop the spaces and line breaks a writer
    left between them (``ein. [@src]`` prints "ein.³", never "ein. ³")."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        _attach(block.children)


def _attach(children: list[Token]) -> None:
    i = 0
    while i < len(children):
        child = children[i]
        if child.type in _CALLS:  # (inside a note a citation prints inline: not a call)
            j = i - 1
            while j >= 0 and (children[j].type in _BREAKS
                              or (children[j].type == "text" and not children[j].content.strip()
                                  and children[j].content)):
                j -= 1
            if j < i - 1:  # breaks and blank texts between the word and the call
                del children[j + 1:i]
                i = j + 1
            if j >= 0 and children[j].type == "text":
                children[j].content = children[j].content.rstrip()
        i += 1


def _figures(state: StateCore) -> None:
    """A paragraph holding only an image becomes a figure; the image's title its caption:
    ``![alt](chart.png "Caption")`` → <figure><img …><figcaption>Caption</figcaption></figure>.
    """
    tokens = state.tokens
    i = 0
    while i + 2 < len(tokens):
        opening, inline, closing = tokens[i:i + 3]
        content = [c for c in inline.children or []
                   if not (c.type == "text" and not c.content.strip()) and c.type not in _BREAKS]
        if (opening.type == "paragraph_open" and not opening.hidden and len(content) == 1
                and content[0].type == "image"):
            image = content[0]
            inline.children = [image]
            opening.type, opening.tag = "figure_open", "figure"
            closing.type, closing.tag = "figure_close", "figure"
            caption = str(image.attrGet("title") or "").strip()
            if image.attrs and "title" in image.attrs:
                del image.attrs["title"]
            if caption:
                text = Token("inline", "", 0, content=caption,
                             children=[Token("text", "", 0, content=caption)])
                tokens[i + 2:i + 2] = [Token("figcaption_open", "figcaption", 1, block=True),
                                       text,
                                       Token("figcaption_close", "figcaption", -1, block=True)]
                i += 3
        i += 1


def parse(text: str, language: str = "en") -> list[Token]:
    """Fresh tokens for a text (rendering numbers and changes them): a copy of its tokens as
    parsed once (`parsed`). A text is parsed for every output and web page that prints it,
    and after every save in `brief watch`; copying its tokens costs a third of parsing it
    again (`benchmarks/README.md`, issue 23)."""
    return copy.deepcopy(list(parsed(text, language)))


@lru_cache(maxsize=1024)  # bounded: `brief watch` runs for hours
def parsed(text: str, language: str = "en") -> tuple[Token, ...]:
    """Tokens for reading only (checks look at each text several times, and `parse` copies
    them): never change them."""
    return tuple(parser(language).parse(text, {}))


def walk(tokens: Sequence[Token]) -> Iterator[Token]:
    """Every token in reading order, descending into inline children and footnote notes."""
    for token in tokens:
        yield token
        if token.children:
            yield from walk(token.children)
