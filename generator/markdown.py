"""markdown: a brief's Markdown text → markdown-it tokens, content problems, and HTML.

One parser configuration for every text: CommonMark with pipe tables and typographic quotes for
the output's language, raw HTML off, links limited to http(s), mailto and in-document anchors,
and the brief's footnote syntax (Pandoc style):

* ``[@key]`` or ``[@key, p. 12]`` → a `fn_cite` token (meta: key, locator)
* ``[@a; @b]`` → two `fn_cite` tokens, printed as adjacent calls (¹,²)
* ``^[free text]`` → a `fn_note` token whose children are the note's inline tokens
* ``[Grooming]{lang=en}`` → a span in another language (`span_open` with its `lang`; any other
  attribute is a problem), set by that language's rules (`typography`)

Nothing of that syntax may reach paper literally: a call that does not parse (``^[`` never
closed, ``[@fra S. 7]`` without its comma, …) becomes an `fn_error` token that `problems` reports
at its place, and a call is attached to the word before it (no space, no line break between).
Quotation marks pasted from a word processor are normalised and set again for the language, in
bodies, their notes, captions and table cells, and (through `typeset`) in every plain text an
output prints; so are French spacing and, in Polish, Czech and Slovak, the no-break space after
a one-letter word, and the rules of `typography` (number ranges, spaces around numbers, note
calls and punctuation, compounds' hyphens), each in the language a text is written in.
Markdown that parses but would print wrongly — `**` or a backtick never closed, a table without
its line of dashes, cells beyond the header, a paragraph that became a table's row, a list YAML
folded into one line (`folded`), a span with another attribute than `lang` or never closed — is
reported too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

import babel
from linkify_it import LinkifyIt  # type: ignore[import-untyped]  # (no type hints)
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml as escape_html
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore, replace
from markdown_it.rules_inline import StateInline, backtick, emphasis
from markdown_it.rules_inline.state_inline import Delimiter
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.attrs import attrs_plugin

from . import languages, locale
from .addresses import WORD_JOINER, breakable_url
from .suggest import closest
from .typeset.leadin import LEAD_IN_CLASS  # a paragraph introducing a list, table or quotation
from .typography import calls, compounds, numbers, quotes, runs
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
#: Block constructs a brief body may not use, with what to do instead.
DISALLOWED_BLOCKS = {
    "heading_open": "headings are not allowed in a body; start a new section with a `title:`",
    "code_block": "indented code is not allowed; remove the leading spaces",
    "fence": "code blocks are not allowed in a brief",
    "hr": "horizontal rules are not allowed; start a new section instead",
}
MAX_NESTING = 12
#: A list of at most this many items and characters is "short": kept on one page.
SHORT_LIST_ITEMS = 4
SHORT_LIST_CHARS = 320


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
    md.core.ruler.before("smartquotes", "pasted_quotes", _pasted_quotes)
    md.core.ruler.at("smartquotes", partial(_smartquotes, language=base_language))
    md.core.ruler.push("attach_calls", _attach_calls)
    md.core.ruler.push("tie_last_words", _tie_last_words)
    md.core.ruler.push("place_calls", partial(_place_calls, language=base_language))
    md.core.ruler.push("french_spacing", partial(_french_spacing, language=base_language))
    md.core.ruler.push("one_letter_words", partial(_one_letter_words, language=base_language))
    md.core.ruler.push("numbers", partial(_per_run, change=numbers.numbers,
                                          language=base_language))
    md.core.ruler.push("compounds", partial(_per_run, change=compounds.set_hyphens,
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


#: Quotation marks a word processor pastes: normalised to straight ones, then set again in the
#: language's marks by smartquotes. Guillemets take the (no-break) spaces inside them along.
_PASTED_SINGLE_RE = re.compile(r"[‘‚‛‹›]|(?<=\S)’|’(?!\w)")


def normalise_quotes(text: str) -> str:
    """Pasted typographic quotation marks → straight ones (an apostrophe starting a word, as in
    Dutch ’s avonds, stays)."""
    text = re.sub(r"«[ \u00a0\u202f]+", "«", text)
    text = re.sub(r"[ \u00a0\u202f]+»", "»", text)
    # A space between nested marks (‘lappendeken’ ”) would leave the outer one unpaired: a
    # closing mark (no word after it) after a closing one, an opening one (a word after it)
    # after an opening one. Not between a word's apostrophe and a quotation (users' "data").
    text = re.sub(r"(?<=[’‘'])[ \u00a0\u202f\u2009]+(?=[”“„\"](?!\w))", "", text)
    text = re.sub(r"(?<=[“„”\"])(?<![\w.,;:!?][“„”\"])[ \u00a0\u202f\u2009]+(?=[‘’‚']\w)", "",
                  text)
    return _PASTED_SINGLE_RE.sub("'", re.sub("[«»“”„‟]", '"', text))


def _pasted_quotes(state: StateCore) -> None:
    for token in walk(state.tokens):
        if token.type == "text":
            token.content = normalise_quotes(token.content)


def _smartquotes(state: StateCore, language: str) -> None:
    """The language's quotation marks and apostrophes in every inline, its notes and the spans
    in other languages included (`typography.quotes`; markdown-it's own rule reads the source,
    which holds the pasted marks `_pasted_quotes` straightened, and never visits a note)."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            quotes.smartquotes(token.children, language)


def _place_calls(state: StateCore, language: str) -> None:
    """A note call before or after punctuation, as the language sets it (`typography.calls`)."""
    for block in state.tokens:
        if block.type == "inline" and block.children:
            calls.place_calls(block.children, language)


def _per_run(state: StateCore, change: Callable[[str, str], str], language: str) -> None:
    """`change(text, language)` on every text of every inline in the language it is written in
    (a span's own), notes included, never on an address (`<https://…>`, linkify's)."""
    for block in state.tokens:
        if block.type == "inline" and block.children:
            _change_texts(block.children, change, language)


def _change_texts(children: list[Token], change: Callable[[str, str], str], language: str
                  ) -> None:
    in_address = False
    for child, written_in in zip(children, runs.languages(children, language), strict=True):
        if child.type == "link_open":
            in_address = child.markup in ("autolink", "linkify")
        elif child.type == "link_close":
            in_address = False
        elif child.type == "text" and not in_address:
            child.content = change(child.content, written_in)
        if child.type == "fn_note" and child.children:
            _change_texts(child.children, change, written_in)


def typeset(text: str, language: str = "en") -> str:
    """A plain text (a title, a source's publisher, a locator, …) with the typography bodies
    get, by the rules of `language`, the language the text is written in (a source's own for
    its title, not the output's): its quotation marks (pasted ones normalised), apostrophes,
    dashes, ellipses, French spacing or one-letter ties, number ranges and spaces around numbers.
    No Markdown: `*` and `[` stay as written."""
    md = parser(language)
    state = StateCore(text, md, {})
    inline = Token("inline", "", 0)
    inline.content = text
    inline.children = [Token("text", "", 0, content=text)]
    state.tokens = [inline]
    _pasted_quotes(state)
    replace(state)
    _smartquotes(state, language)
    _french_spacing(state, language)
    _one_letter_words(state, language)
    _per_run(state, numbers.numbers, language)
    _per_run(state, compounds.keep_prefixes, language)
    return "".join(child.content for child in inline.children)


_NNBSP = "\u202f"
#: A high mark (; : ! ?) after a word or closing mark, with whatever space the writer typed
#: before it, and followed by a space, the end, or a closing mark.
_HIGH_MARK_RE = re.compile(r"(?:(?<=[^\s;:!?\u202f])|^)[ \u00a0\u202f\u2009]*([;:!?])"
                           r"(?=[\s;:!?»”’)\]]|$)")


def french_spacing(text: str, first: bool = True) -> str:
    """A narrow no-break space (U+202F) before ; : ! ? in French prose, replacing the space or
    no-break space a writer typed; never in addresses or times. `first`: the text opens its
    paragraph (a mark there has no word to follow)."""
    pieces, at = [], 0
    for match in _NOT_PROSE_RE.finditer(text):
        pieces.append(_space_marks(text[at:match.start()], first and at == 0))
        pieces.append(match[0])
        at = match.end()
    pieces.append(_space_marks(text[at:], first and at == 0))
    return "".join(pieces)


def _space_marks(text: str, first: bool) -> str:
    return _HIGH_MARK_RE.sub(lambda m: m[0] if first and m.start() == 0 else _NNBSP + m[1], text)


def _french_spacing(state: StateCore, language: str) -> None:
    """French spacing in every French text of an inline (a span in another language keeps its
    own), except the text of a link that is its own address (`<https://…>`)."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        _french_children(block.children, language)


def _french_children(children: list[Token], language: str) -> None:
    in_address = False
    for i, (child, written_in) in enumerate(zip(children, runs.languages(children, language),
                                                strict=True)):
        if child.type == "link_open":
            in_address = child.markup in ("autolink", "linkify")
        elif child.type == "link_close":
            in_address = False
        elif child.type == "text" and not in_address and locale.base(written_in) == "fr":
            child.content = french_spacing(child.content, first=i == 0)
        if child.type == "fn_note" and child.children:
            _french_children(child.children, written_in)


#: One-letter words that may not end a line, per language (base code). Polish typesetting
#: never leaves a one-letter word (the conjunctions and prepositions a, i, o, u, w, z) at a
#: line's end ("wiszące spójniki", see e.g. PWN's "Nowy słownik poprawnej polszczyzny",
#: zasady składu); Czech and Slovak likewise for the one-letter prepositions and conjunctions
#: k, s, v, z, o, u, a, i (Czech ČSN 01 6910, Slovak STN 01 6910). Each is tied to the next
#: word by a no-break space.
ONE_LETTER_WORDS: dict[str, frozenset[str]] = {
    "pl": frozenset("aiouwzAIOUWZ"),
    "cs": frozenset("ksvzouaiKSVZOUAI"),
    "sk": frozenset("ksvzouaiKSVZOUAI"),
}
#: A standalone one-letter word (after the start, a space or an opening mark) and the space
#: after it.
_ONE_LETTER_RE = re.compile(r"(?:^|(?<=[\s(\[„“‚‘«\"'/–—]))(\w)[ \t](?=\S|$)")


def _one_letter_words(state: StateCore, language: str) -> None:
    """A no-break space after a one-letter word of the language (`ONE_LETTER_WORDS`), in
    every text of an inline in that language (a span in another keeps its own rules) but
    addresses (`<https://…>`, `www.…`) and code; a line break in the source after one becomes a
    no-break space too."""
    for block in state.tokens:
        if block.type == "inline" and block.children:
            _tie_one_letter_words(block.children, language)


def tie_one_letter_words(text: str, words: frozenset[str], first: bool = True,
                         more: bool = False) -> str:
    """`text` with a no-break space after each standalone word of `words` (never inside an
    address). `first`: a word at the text's start is standalone (the text starts a line, or
    follows an opening); `more`: something printed (code, a link) follows the text's end."""
    pieces, at = [], 0
    for match in _NOT_PROSE_RE.finditer(text):
        pieces.append(_tie(text[at:match.start()], words, first=first and at == 0, more=True))
        pieces.append(match[0])
        at = match.end()
    pieces.append(_tie(text[at:], words, first=first and at == 0, more=more))
    return "".join(pieces)


def _tie(text: str, words: frozenset[str], *, first: bool, more: bool) -> str:
    def space(match: re.Match[str]) -> str:
        standalone = first or match.start() > 0
        followed = more or match.end() < len(text)
        return match[1] + "\u00a0" if match[1] in words and standalone and followed else match[0]
    return _ONE_LETTER_RE.sub(space, text)


def _tie_one_letter_words(children: list[Token], language: str) -> None:
    in_address = False
    for i, (child, written_in) in enumerate(zip(children, runs.languages(children, language),
                                                strict=True)):
        words = ONE_LETTER_WORDS.get(locale.base(written_in), frozenset())
        previous = children[i - 1] if i else None
        following = children[i + 1] if i + 1 < len(children) else None
        first = previous is None or previous.type in (*_BREAKS, "link_open", "em_open",
                                                      "strong_open")
        if child.type == "link_open":
            in_address = child.markup in ("autolink", "linkify")
        elif child.type == "link_close":
            in_address = False
        elif child.type == "text" and not in_address and words:
            more = following is not None and following.type not in (*_BREAKS, *_CALLS)
            child.content = tie_one_letter_words(child.content, words, first, more)
            word = re.search(r"(?:^|[\s(\[„“‚‘«\"'/–—])(\w)$", child.content)
            if (following is not None and following.type == "softbreak" and word
                    and word[1] in words and (first or word.start(1) > 0)):
                following.type, following.content = "text", "\u00a0"
        if child.type == "fn_note" and child.children:
            _tie_one_letter_words(child.children, written_in)


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


_AFTER_LAST_WORD = {"fn_cite", "fn_note", "em_close", "strong_close", "link_close"}


def _tie_last_words(state: StateCore) -> None:
    """Join a paragraph's last two words with a no-break space, so no line holds one short word."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = block.children
        last = len(children) - 1
        while last >= 0 and children[last].type in _AFTER_LAST_WORD:
            last -= 1
        first = last
        while first > 0 and children[first - 1].type == "text":  # (`**` never closed is apart)
            first -= 1
        run = children[first:last + 1] if last >= 0 and children[last].type == "text" else []
        tied = re.search(r" (\S{1,12})$", "".join(child.content for child in run))
        at = tied.start() if tied else -1
        for child in run if tied else ():
            if 0 <= at < len(child.content):
                child.content = child.content[:at] + "\u00a0" + child.content[at + 1:]
                break
            at -= len(child.content)


def parse(text: str, language: str = "en") -> list[Token]:
    """Fresh tokens for a text (rendering numbers and changes them)."""
    return parser(language).parse(text, {})


@lru_cache(maxsize=1024)  # bounded: `brief watch` runs for hours
def parsed(text: str, language: str = "en") -> tuple[Token, ...]:
    """Tokens for reading only (checks look at each text several times): never change them."""
    return tuple(parse(text, language))


def walk(tokens: Sequence[Token]) -> Iterator[Token]:
    """Every token in reading order, descending into inline children and footnote notes."""
    for token in tokens:
        yield token
        if token.children:
            yield from walk(token.children)


# ---------------------------------------------------------------------------------------------
# Problems


@dataclass(frozen=True, slots=True)
class Problem:
    """A mistake in one text, at character `offset` of it; a `warning` may be meant as written
    (`--strict` makes it an error)."""

    offset: int
    message: str
    warning: bool = False


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for i, char in enumerate(text):
        if char == "\n":
            offsets.append(i + 1)
    return offsets


def problems(text: str, source_keys: set[str] | frozenset[str] | None,
             language: str = "en") -> list[Problem]:
    """Everything wrong with one Markdown text: unknown citations (unless `source_keys` is
    None: not all sources are known), raw HTML, bad links, tables that do not print as
    tables, emphasis and code never closed, …"""
    return [problem for problem in _found(text, source_keys, language) if not problem.warning]


def warnings(text: str, language: str = "en") -> list[Problem]:
    """What in one Markdown text may print wrongly but may be meant: a lone `*word` (an
    asterisk, or emphasis never closed?), a table row with fewer cells than its header."""
    return [problem for problem in _found(text, None, language) if problem.warning]


def _found(text: str, source_keys: set[str] | frozenset[str] | None,
           language: str) -> list[Problem]:
    try:
        tokens = parsed(text, language)
    except RecursionError:
        return [Problem(0, f"the text is nested too deeply; use at most {MAX_NESTING} levels "
                           "of lists and quotes")]
    starts = _line_offsets(text)
    found = _table_problems(text, tokens, starts)
    block_offset = 0
    inline: Token | None = None
    for token in walk(tokens):
        if token.map:
            block_offset = starts[min(token.map[0], len(starts) - 1)]
            if token.type == "inline":
                inline = token
        if token.type in DISALLOWED_BLOCKS:
            found.append(Problem(block_offset, DISALLOWED_BLOCKS[token.type]))
        elif token.type in ("fn_cite", "fn_note", "fn_error", "span_open"):
            at = _source_offset(text, starts, inline, (token.meta or {}).get("offset", 0),
                                block_offset)
            found.extend(Problem(at, message) for message in (
                span_problems(token) if token.type == "span_open"
                else _call_problems(token, source_keys)))
        elif token.type == "text" and "unclosed" in (token.meta or {}):  # `**`, `` ` `` …
            found.append(Problem(_source_offset(text, starts, inline, token.meta["offset"],
                                                block_offset),
                                 token.meta["unclosed"], token.meta["warning"]))
        elif token.type == "inline":
            for run in _text_runs(token.children or []):
                found.extend(_text_problems(text, run, block_offset))
        elif token.type == "link_open":
            found.extend(_link_problems(text, str(token.attrGet("href") or ""), block_offset))
        elif token.type == "image":
            src = str(token.attrGet("src") or "")
            if not token.children or not "".join(c.content for c in token.children).strip():
                found.append(Problem(_find(text, "![", block_offset),
                                     f"image {src!r} has no alt text; describe it: "
                                     "![what it shows](file.png)"))
    return found + _refused_links(text)


def _text_runs(children: Sequence[Token]) -> Iterator[str]:
    """The texts of an inline token as written: runs of text tokens, the addresses linkify
    made links of included (`<img src="https://…">` is one run, raw HTML), a note's own."""
    run: list[str] = []
    for child in children:
        if child.type == "text" and "unclosed" not in (child.meta or {}):
            run.append(child.content)
            continue
        if child.markup == "linkify" and child.type in ("link_open", "link_close"):
            continue
        if run:
            yield "".join(run)
            run = []
        if child.type == "fn_note" and child.children:
            yield from _text_runs(child.children)
    if run:
        yield "".join(run)


def _refused_links(text: str) -> list[Problem]:
    """Links the parser refused (javascript:, file:, data:, …): they stay as literal text."""
    found = []
    for match in re.finditer(r"\]\(\s*<?([^)\s>]*)|^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)", text,
                             re.MULTILINE):
        target = match[1] or match[2]
        if target and not _validate_link(target):
            found.append(Problem(match.start(), f"link target {target!r} is not allowed; use an "
                                 "http(s):// or mailto: address"))
    return found


#: A line of a table as written: it starts and ends with `|` (after a quote's `>`).
_TABLE_LINE_RE = re.compile(r"^[ >]*(\|.*\|)[ \t]*$")
#: What stands before a table line's first `|`: a quote's `>`, a list item's marker.
_ROW_START_RE = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(?=\|)")
#: A table's line of dashes (`|---|:--:|`).
_DASHES_RE = re.compile(r"^[ >]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?$")


def _cells(line: str) -> list[int]:
    """Where each cell of a table line starts (offsets in `line`), split as markdown-it splits
    them: at each `|` not escaped, leaving out an empty first and last cell."""
    match = _ROW_START_RE.match(line)
    body_start = match.end() if match else len(line) - len(line.lstrip(" >"))
    body = line[body_start:].rstrip()
    starts, at, escaped = [0], 0, False
    for at, char in enumerate(body):
        if char == "|" and not escaped:
            starts.append(at + 1)
        escaped = char == "\\"
    ends = [*(start - 1 for start in starts[1:]), len(body)]
    cells = list(zip(starts, ends, strict=True))
    if cells and not body[cells[0][0]:cells[0][1]]:
        cells.pop(0)
    if cells and not body[cells[-1][0]:cells[-1][1]]:
        cells.pop()
    return [body_start + start for start, _ in cells]


def _table_problems(text: str, tokens: Sequence[Token], starts: list[int]) -> list[Problem]:
    """Tables that do not print as written: one without its line of dashes (a paragraph of
    `|`s), a row with more cells than the header (markdown-it drops them) or fewer (it adds
    empty ones: a warning), a line without `|` after the table (it became a row)."""
    lines = text.split("\n")
    found: list[Problem] = []
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.map:
            found.extend(_unmade_table(lines, starts, *token.map))
        if token.type != "table_open" or not token.map:
            continue
        first, end = token.map
        header = len(_cells(lines[first]))
        rows = [t.map[0] for t in tokens[i:] if t.type == "tr_open" and t.map
                and first + 2 <= t.map[0] < end]
        for row in rows:
            line = lines[row]
            cells = _cells(line)
            column = len(line) - len(line.lstrip(" >"))
            if "|" not in line:
                found.append(Problem(starts[row] + column, "the line after the table has no "
                                     "blank line before it, so it became a row of the table; "
                                     "leave a blank line after the table"))
            elif len(cells) > header:
                extra = cells[header] + len(line[cells[header]:]) \
                    - len(line[cells[header]:].lstrip())
                found.append(Problem(starts[row] + extra, f"this row has {len(cells)} cells but "
                                     f"the table's header has {header}, so the cells from here "
                                     "on are dropped; remove them, or add the columns to the "
                                     "header and to its `|---|` line (a `|` inside a cell is "
                                     "written `\\|`)"))
            elif len(cells) < header:
                found.append(Problem(starts[row] + column, f"this row has {len(cells)} "
                                     f"{'cell' if len(cells) == 1 else 'cells'} but the "
                                     f"table's header has {header}, so the last "
                                     f"{_cells_word(header - len(cells))} empty; write `| |` "
                                     "for each empty cell", warning=True))
    return found


def _cells_word(count: int) -> str:
    return "cell is" if count == 1 else f"{count} cells are"


def _unmade_table(lines: list[str], starts: list[int], first: int, end: int) -> list[Problem]:
    """A paragraph whose lines look like a table's (`| a | b |`): markdown-it made no table
    of them, for want of the line of dashes or because that line has another number of
    columns than the header."""
    for number in range(first, end - 1):
        if not (_TABLE_LINE_RE.match(lines[number]) and _TABLE_LINE_RE.match(lines[number + 1])):
            continue
        column = starts[number] + len(lines[number]) - len(lines[number].lstrip(" >"))
        if _DASHES_RE.match(lines[number + 1]):
            header, dashes = len(_cells(lines[number])), len(_cells(lines[number + 1]))
            return [Problem(column, f"the `|---|` line under this table's header has {dashes} "
                                    f"columns but the header has {header}, so it prints as "
                                    f"text; give it one `---` per column")]
        return [Problem(column, "this looks like a table but has no `|---|---|` line under "
                                "its header, so it prints as text; add one")]
    return []


#: What a folded text prints instead of the block that starts on one of its lines.
_FOLDED_PRINTS = {"bullet_list_open": "list", "ordered_list_open": "list",
                  "list_item_open": "list", "table_open": "the table prints as one line of text",
                  "heading_open": "the heading runs into the text before it",
                  "blockquote_open": "the quotation runs into the text before it",
                  "paragraph_open": "the paragraphs print as one"}


def folded(written: Sequence[str], value: str, style: str, key: str,
           language: str = "en") -> tuple[int, str, bool] | None:
    """A text YAML folded (`style` plain, quoted or `>`) whose lines, as `written`, hold
    Markdown blocks (a list, a table, paragraphs) that the folded `value` runs together: the
    index of the written line where the first such block starts, what to do, and whether it
    may be meant (a warning). Ordinary prose wrapped over several lines is one paragraph either
    way: nothing.

    What YAML reads is what was meant when a program wrote it: `yaml.safe_dump` and ruamel.yaml
    write a text holding line breaks in quotes over several lines, each line break as a blank
    line, and a text that ends with a line break (as every `|` text does) with a blank line
    before its closing quote, which people do not write: such a text is not judged by its
    lines. A quoted text whose blank line YAML made a line break (not a paragraph) may be
    meant so too: a warning. In a plain text (no program writes one over several lines) or one
    folded with `>`, blocks run together are an error."""
    quoted = style in ('"', "'")
    if quoted and value.endswith("\n"):
        return None
    as_written = [t for t in parsed("\n".join(written) + "\n", language) if t.type != "inline"]
    as_read = [t for t in parsed(value, language) if t.type != "inline"]
    differ = next((i for i, (a, b) in enumerate(zip(as_written, as_read, strict=False))
                   if (a.type, a.tag) != (b.type, b.tag)), min(len(as_written), len(as_read)))
    starts = [(t, t.map[0]) for t in as_written[differ:]
              if t.map and t.nesting >= 0 and t.map[0] > 0]
    if differ >= len(as_written) or not starts:
        return None
    block, line = starts[0]
    what = _FOLDED_PRINTS.get(block.type, "its lines print as one paragraph")
    if what == "list":
        in_list = any(t.type == "list_item_open" for t in as_read)
        what = f"the list prints as one {'item' if in_list else 'paragraph'}"
    if style == ">":
        return line, (f"this text is folded (`>`), so YAML joins its lines and {what}; "
                      f"write `{key}: |` instead of `{key}: >`"), False
    paragraphs = block.type == "paragraph_open"
    joins = "turns the blank line into a line break" if paragraphs else "joins them into one line"
    quotes = " without the quotes" if quoted else ""
    return line, (f"this text runs over several lines without `|`, so YAML {joins} and "
                  f"{what}; write `{key}: |` and indent the text below it{quotes}"
                  + (" (if one paragraph is meant, join the lines)"
                     if quoted and paragraphs else "")), quoted and paragraphs


def _call_problems(token: Token, source_keys: set[str] | frozenset[str] | None
                   ) -> list[str]:
    """What is wrong with one footnote call (or with footnote syntax that did not parse)."""
    if token.type == "fn_error":
        return [token.meta["problem"]]
    if token.type == "fn_cite":
        key = token.meta["key"]
        if source_keys is None or key in source_keys:
            return []
        close = closest(key, source_keys)
        hint = (f"did you mean [@{close}]?" if close
                else "add it under `sources:` or to the CSL-JSON file of `bibliography:`")
        return [f"citation [@{key}] names no source; {hint}"]
    found = []
    if not token.meta["text"].strip():
        found.append("empty footnote ^[]; write its text or remove it")
    if any(t.type == "fn_note" for t in walk(token.children or [])):
        found.append("a footnote inside a footnote is not allowed; write it into the note's text")
    return found


def span_problems(token: Token) -> list[str]:
    """What is wrong with a span ``[text]{…}``: it may only say its text's language, with a
    code a reader's software knows (`lang=en`, `lang=pt-BR`)."""
    found = []
    written = (token.meta or {}).get("insecure_attrs") or {}
    for name, value in written.items():
        shown = f".{value}" if name == "class" else f"#{value}" if name == "id" else \
            f"{name}={value}"
        found.append(f"`{{{shown}}}` is not allowed after `[…]`: a span may only say the "
                     "language of its text, as in `[Grooming]{lang=en}`; remove it (or write "
                     "the brackets as `\\[…\\]` if they are meant as text)")
    language = str(token.attrGet("lang") or "")
    if not language and not written:
        found.append("a span `[…]{}` says nothing; write its language, as in "
                     "`[Grooming]{lang=en}`, or remove the braces")
    elif language:
        problem = span_language_problem(language)
        if problem:
            found.append(f"span language: {problem}")
    return found


def span_language_problem(code: str) -> str | None:
    """What is wrong with a span's language code (an error, reported by `problems`): its form
    (`lang=EN`) or a code no locale data knows (`lang=zz`)."""
    return languages.language_problem(code) or _unknown_language(code)


def _unknown_language(code: str) -> str | None:
    """A well-formed code that no locale data knows (`lang=zz`)."""
    try:
        babel.Locale.parse(code.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        close = closest(locale.base(code), set(languages.NAMES))
        hint = f"did you mean {close!r}?" if close else "write an ISO 639-1 code such as 'en'"
        return f"{code!r} is not a language this tool knows; {hint}"
    return None


def span_languages(text: str, language: str = "en") -> list[tuple[int, str]]:
    """(offset, language) of every span that says its language in a text."""
    starts = _line_offsets(text)
    found = []
    inline: Token | None = None
    for token in walk(parsed(text, language)):
        if token.type == "inline":
            inline = token
        if token.type == "span_open" and token.attrGet("lang"):
            block = starts[min(inline.map[0], len(starts) - 1)] if inline and inline.map else 0
            found.append((_source_offset(text, starts, inline,
                                         (token.meta or {}).get("offset", 0), block),
                          str(token.attrGet("lang"))))
    return found


#: A link's or image's address followed by a title holding its own quotation mark:
#: `chart.png "Segnalazioni "annuali" dell'UE"` (the title ends at the second `"`).
_QUOTED_TITLE_RE = re.compile(r"""\s*<?[^\s)>]+>?\s+(["'])(?:(?!\1)[^\n])*?\1"""
                              r"""((?:(?!\1)[^\n)])*?)\1""")
#: What is left of a span never closed in a printed text, and where it is written (not escaped).
_SPAN_LEFT_RE = re.compile(r"\{\s*lang\s*=")
_SPAN_SOURCE_RE = re.compile(r"(?<!\\)\{\s*lang\s*=")
#: ``<stellungnahme.pdf>``, ``<www.example.org>``: an autolink markdown-it did not take.
_AUTOLINK_LIKE_RE = re.compile(r"<([^<>\s]*[./:][^<>\s]*)>")


def _text_problems(text: str, content: str, block_offset: int) -> list[Problem]:
    found = []
    raw_html = RAW_HTML_RE.search(content)
    if raw_html:
        tag = raw_html[0]
        found.append(Problem(_find(text, tag, block_offset),
                             f"raw HTML {tag!r} is not allowed; use Markdown instead"))
    for autolink in _AUTOLINK_LIKE_RE.finditer(content):
        found.extend(_link_problems(text, autolink[1], block_offset, autolink[0])
                     or [Problem(_find(text, autolink[0], block_offset),
                                 f"{autolink[0]} would print as text; write a web address "
                                 "with its scheme: <https://…>")])
    if "](" in content:  # a link or image whose address never closed (or holds a space)
        at = _find(text, "](", block_offset)
        start = text.rfind("[", block_offset, at)
        start = start - 1 if start > 0 and text[start - 1] == "!" else start
        written = text[max(start, 0):at + 2]
        line_end = text.find("\n", at)
        rest = text[at + 2:line_end if line_end >= 0 else len(text)]
        quoted = _QUOTED_TITLE_RE.match(rest)
        if quoted:  # a title whose own quotation marks end it: ("Segnalazioni "annuali" …")
            mark, word = quoted[1], quoted[2]
            other = "'" if mark == '"' else '"'
            found.append(Problem(max(start, 0), f"`{written}{rest[:quoted.start(2)]}…` would "
                                 "print as text: a quotation mark inside the caption ends it; "
                                 f"write `\\{mark}{word}\\{mark}` or {other}{word}{other}"))
        else:
            found.append(Problem(max(start, 0), f"`{written}…` would print as text: end the "
                                 "address with `)`, and write it without spaces"))
    # A span's syntax never closed (`[Open]{lang=en a …`, `[Open a{lang=en}`) prints as text.
    if _SPAN_LEFT_RE.search(content):
        brace = _SPAN_SOURCE_RE.search(text, block_offset)
        if brace is not None:
            line_start = text.rfind("\n", 0, brace.start()) + 1
            start = text.rfind("[", max(line_start, block_offset), brace.start())
            start = brace.start() if start < 0 else start
            end = text.find("}", brace.start(), brace.start() + 40)
            written = text[start:end + 1 if end >= 0 else brace.end() + 2]
            written = written.split("\n", maxsplit=1)[0]
            found.append(Problem(start, f"`{written}…` would print as text: a span in another "
                                 "language is written `[words]{lang=en}`, the `]` right before "
                                 "the `{` and the `}` closed; close it (or write `\\{` if "
                                 "the brace is meant as text)"))
    # The safety net: nothing of the footnote syntax reaches paper.
    found.extend(Problem(_find(text, syntax, block_offset),
                         f"`{syntax}` would print as text; write a note as `^[text]` and a "
                         "citation as `[@key]` or `[@key, p. 7]`")
                 for syntax in ("^[", "[@") if syntax in content)
    return found


def _link_problems(text: str, href: str, block_offset: int, written: str = "") -> list[Problem]:
    """A link the Markdown allows but a PDF reader cannot follow: one to a file (or to a web
    address without its scheme, which a reader would look for as a file)."""
    if ALLOWED_LINK_RE.match(href.strip()) or not _is_relative_file(href):
        return []
    if written:
        at = _find(text, written, block_offset) + 1
    else:
        at = next((i + len(prefix) for prefix, i in (
            ("](", text.find(f"]({href}", block_offset)),
            ("](<", text.find(f"](<{href}", block_offset)),
            ("", _reference_definition(text, href))) if i >= 0), _find(text, href, block_offset))
    if href.lower().startswith("www."):
        return [Problem(at, f"web address {href!r} has no https://; write "
                            f"https://{href} so that a PDF reader can open it")]
    return [Problem(at, f"link to a file {href!r} is not allowed: a PDF reader cannot open it; "
                        "link to its web address (https://…)")]


def _reference_definition(text: str, href: str) -> int:
    """Offset of `href` in a reference definition ``[ref]: href`` (-1 when none)."""
    match = re.search(rf"^ {{0,3}}\[[^\]]+\]:\s*<?({re.escape(href)})", text, re.MULTILINE)
    return match.start(1) if match else -1


def _source_offset(text: str, starts: list[int], inline: Token | None, at: int,
                   fallback: int) -> int:
    """Where character `at` of an inline block's content stands in the whole text: the block's
    lines are the text's lines from `inline.map[0]`, less what the block syntax took (indent,
    `>`, list markers)."""
    if inline is None or not inline.map:
        return fallback
    content = inline.content
    row = content.count("\n", 0, at)
    line_start = content.rfind("\n", 0, at) + 1
    line_end = content.find("\n", at)
    line = content[line_start:line_end if line_end >= 0 else len(content)]
    number = inline.map[0] + row
    if number >= len(starts):
        return fallback
    source_line = text[starts[number]:].split("\n", 1)[0]
    shift = source_line.find(line) if line else -1
    if shift < 0:
        return fallback
    return starts[number] + shift + at - line_start


def _find(text: str, needle: str, start: int) -> int:
    at = text.find(needle, start)
    return at if at >= 0 else max(text.find(needle), start)


def cited_keys(text: str) -> list[str]:
    """The source keys a text cites (``[@key]``, ``[@a; @b]``), in order."""
    return [match[1] for match in CITED_KEY_RE.finditer(text)]


def bare_citations(text: str, source_keys: set[str] | frozenset[str]) -> list[Problem]:
    """``@key`` written without brackets, where `key` is a source: probably a citation."""
    printed = " ".join(t.content for t in walk(parsed(text)) if t.type == "text")
    inside_citations = [m.span() for m in MULTI_CITE_RE.finditer(text)]
    found = []
    for match in BARE_KEY_RE.finditer(text):
        key = match[1].rstrip(".:-")
        if (key in source_keys and f"@{key}" in printed
                and not any(start <= match.start() < end for start, end in inside_citations)):
            found.append(Problem(match.start(), f"'@{key}' prints as text; did you mean "
                                                f"[@{key}]?"))
    return found


def anchor_links(text: str) -> list[tuple[int, str]]:
    """(offset, id) of every link to an anchor ``[text](#id)`` in a text."""
    found = []
    for token in walk(parsed(text)):
        href = str(token.attrGet("href") or "") if token.type == "link_open" else ""
        if href.startswith("#"):
            at = text.find(f"]({href}")
            found.append((at + 2 if at >= 0 else max(text.find(href), 0), href[1:]))
    return found


def image_sources(text: str) -> list[tuple[int, str]]:
    """(offset, src) for every image in a text."""
    result = []
    for token in walk(parsed(text)):
        if token.type == "image":
            src = str(token.attrGet("src") or "")
            result.append((max(text.find(f"]({src}"), 0), src))
    return result


# ---------------------------------------------------------------------------------------------
# HTML


@dataclass(frozen=True, slots=True)
class RenderContext:
    """What the renderer needs beyond tokens: how to print a source reference."""

    #: (key, locator, form) → HTML of the reference; `form` is the citation's as
    #: `footnotes.number` set it (full, short, Ibid.), "full" where it set none.
    reference_html: Callable[[str, str, str], str]
    #: (key, locator, form) → HTML of a reference that is a footnote of its own (ends as a
    #: sentence); None: `reference_html`'s.
    note_html: Callable[[str, str, str], str] | None = None


def to_html(tokens: list[Token], context: RenderContext, language: str = "en") -> str:
    """Render numbered tokens (see `footnotes.number`) as HTML."""
    return _RENDERER.render(tokens, parser(language).options, {"context": context})


class _Renderer(RendererHTML):
    """markdown-it's HTML renderer plus footnotes, images, and counter-based ordered lists.

    RendererHTML takes every public method named after a token type as that type's rule.
    """

    def fn_cite(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                env: EnvType) -> str:
        token = tokens[idx]
        context, key, locator = env["context"], token.meta["key"], token.meta["locator"]
        form = str(token.meta.get("form", "full"))
        if "number" not in token.meta:  # a citation inside a note: the reference, inline
            return str(context.reference_html(key, locator, form))
        return self._footnote(token, (context.note_html or context.reference_html)(
            key, locator, form))

    def fn_note(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                env: EnvType) -> str:
        token = tokens[idx]
        inner = self.renderInline(token.children or [], options, env)
        if "number" not in token.meta:  # a note inside a note (refused by validation): inline
            return f"({inner})"
        return self._footnote(token, inner)

    def fn_error(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                 env: EnvType) -> str:
        """Footnote syntax that did not parse (refused by validation): as it was written."""
        return str(escape_html(tokens[idx].content))

    def paragraph_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                       env: EnvType) -> str:
        if _leads_in(tokens, idx):
            tokens[idx].attrJoin("class", LEAD_IN_CLASS)
        return self._block_open(tokens, idx, options, env)

    def list_item_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                       env: EnvType) -> str:
        return self._block_open(tokens, idx, options, env)

    def bullet_list_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                         env: EnvType) -> str:
        return '<ul class="short">\n' if _is_short(tokens, idx) else "<ul>\n"

    def ordered_list_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                          env: EnvType) -> str:
        start = int(tokens[idx].attrGet("start") or 1)
        short = " short" if _is_short(tokens, idx) else ""
        # Counters, not list markers: WeasyPrint draws <ol> markers after the page's text, which
        # breaks reading order in the PDF's text layer.
        return f'<ol class="counted{short}" style="counter-reset: item {start - 1}">\n'

    def table_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                   env: EnvType) -> str:
        return '<div class="table"><table>\n'

    def link_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                  env: EnvType) -> str:
        """An address written as such (`<https://…>`, or bare: linkify) prints as an address:
        class `url`, never hyphenated, broken only at its boundaries (`breakable_url`)."""
        if tokens[idx].markup in ("autolink", "linkify"):
            tokens[idx].attrJoin("class", "url")
            env["address"] = True
        return self.renderToken(tokens, idx, options, env)

    def link_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                   env: EnvType) -> str:
        env["address"] = False
        return self.renderToken(tokens, idx, options, env)

    def text(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
             env: EnvType) -> str:
        if env.get("address"):
            return breakable_url(tokens[idx].content)
        return escape_html(tokens[idx].content)

    def table_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                    env: EnvType) -> str:
        return "</table></div>\n"

    @staticmethod
    def _footnote(token: Token, inner: str) -> str:
        number = token.meta["number"]
        classes = "fn fn-adjacent" if token.meta.get("adjacent") else "fn"
        inner = inner.replace("\n", " ")  # a newline inside a footnote is a hard break
        # A word joiner (U+2060) keeps the call on the line of the word before it.
        return (f'{WORD_JOINER}<span class="{classes}" id="fn-{number}" data-fn="{number}">'
                f"{inner}</span>")

    def _block_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                    env: EnvType) -> str:
        """Tag the block holding footnote calls with `data-calls="3 4"`, the hook that
        `pdf._next_hint` uses to move a call whose note WeasyPrint misplaced."""
        token = tokens[idx]
        following = tokens[idx + 1] if idx + 1 < len(tokens) else None
        if token.type == "list_item_open" and following is not None and not following.hidden:
            following = None  # a loose item: its <p> carries the attribute
        elif token.type == "list_item_open" and following is not None:
            following = tokens[idx + 2] if idx + 2 < len(tokens) else None
        if following is not None and following.type == "inline":
            numbers = [str(c.meta["number"]) for c in following.children or []
                       if c.type in ("fn_cite", "fn_note") and "number" in c.meta]
            if numbers:
                token.attrSet("data-calls", " ".join(numbers))
        return self.renderToken(tokens, idx, options, env)


_INTRODUCED = ("bullet_list_open", "ordered_list_open", "table_open", "blockquote_open")


def _leads_in(tokens: Sequence[Token], idx: int) -> bool:
    """The paragraph at `idx` ends with a colon (before any note calls) and a list, a table or
    a quotation follows it."""
    if tokens[idx].hidden or idx + 3 >= len(tokens):
        return False
    inline, after = tokens[idx + 1], tokens[idx + 3]
    if inline.type != "inline" or after.type not in _INTRODUCED:
        return False
    text = [c for c in inline.children or [] if c.type not in ("fn_cite", "fn_note")]
    last = "".join(c.content for c in text[-1:] if c.type == "text").rstrip()
    return last.endswith((":", "\uff1a"))


def _is_short(tokens: Sequence[Token], idx: int) -> bool:
    """A list of a few short items (about six lines at most), not worth breaking over pages."""
    level, items, length = tokens[idx].level, 0, 0
    for token in tokens[idx + 1:]:
        if token.level == level and token.type.endswith("_list_close"):
            break
        if token.type == "list_item_open" and token.level == level + 1:
            items += 1
        if token.type == "inline":
            length += len(token.content)
        if token.type.endswith("_list_open") or token.type == "blockquote_open":
            return False
    return items <= SHORT_LIST_ITEMS and length <= SHORT_LIST_CHARS


_RENDERER = _Renderer()
