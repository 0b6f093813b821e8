"""markdown: a brief's Markdown text → markdown-it tokens, content problems, and HTML.

One parser configuration for every text: CommonMark with pipe tables and typographic quotes for
the output's language, raw HTML off, links limited to http(s), mailto and in-document anchors,
and the brief's footnote syntax (Pandoc style):

* ``[@key]`` or ``[@key, p. 12]`` → a `fn_cite` token (meta: key, locator)
* ``^[free text]`` → a `fn_note` token whose children are the note's inline tokens
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from . import locale
from .suggest import closest

#: Quotation marks (double open/close, single open/close) per language: CLDR's, see `locale`.
QUOTES = locale.QUOTES
DEFAULT_QUOTES = locale.DEFAULT_QUOTES

CITE_RE = re.compile(r"\[@([A-Za-z0-9][A-Za-z0-9_.:-]*)\s*(?:,\s*([^\]\n]*?))?\s*\]")
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
    if not match:
        return False
    if not silent:
        token = state.push("fn_cite", "", 0)
        token.meta = {"key": match[1], "locator": (match[2] or "").strip(),
                      "offset": state.pos}
    state.pos = match.end()
    return True


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


def parser(language: str = "en") -> MarkdownIt:
    """The configured parser for texts in `language` (only the quotation marks differ)."""
    return _parser(locale.quotes_key(language))


@lru_cache(maxsize=32)  # one per `QUOTES` entry; bounded, since `brief watch` runs for hours
def _parser(base_language: str) -> MarkdownIt:
    md = _Parser("commonmark", {"html": False, "typographer": True,
                                "quotes": list(locale.quotes(base_language)),
                                "maxNesting": MAX_NESTING})
    md.enable(["table", "replacements", "smartquotes"])
    md.disable(["html_block", "html_inline"])
    md.inline.ruler.before("link", "fn_cite", _cite_rule)
    md.inline.ruler.before("link", "fn_note", _note_rule)
    md.core.ruler.push("tie_last_words", _tie_last_words)
    return md


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
        if last >= 0 and children[last].type == "text":
            children[last].content = re.sub(r" (\S{1,12})$", "\u00a0\\1",
                                            children[last].content)


def parse(text: str, language: str = "en") -> list[Token]:
    return parser(language).parse(text, {})


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
    """A mistake in one text, at character `offset` of it."""

    offset: int
    message: str


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for i, char in enumerate(text):
        if char == "\n":
            offsets.append(i + 1)
    return offsets


def problems(text: str, source_keys: set[str] | frozenset[str],  # noqa: PLR0912 — per token type
             language: str = "en") -> list[Problem]:
    """Everything wrong with one Markdown text: unknown citations, raw HTML, bad links, …"""
    found: list[Problem] = []
    try:
        tokens = parse(text, language)
    except RecursionError:
        return [Problem(0, f"the text is nested too deeply; use at most {MAX_NESTING} levels "
                           "of lists and quotes")]
    starts = _line_offsets(text)
    block_offset = 0
    for token in walk(tokens):
        if token.map:
            block_offset = starts[min(token.map[0], len(starts) - 1)]
        if token.type in DISALLOWED_BLOCKS:
            found.append(Problem(block_offset, DISALLOWED_BLOCKS[token.type]))
        elif token.type == "fn_cite":
            key = token.meta["key"]
            if key not in source_keys:
                close = closest(key, source_keys)
                hint = f"did you mean [@{close}]?" if close else "add it under `sources:`"
                found.append(Problem(_find(text, f"[@{key}", block_offset),
                                     f"citation [@{key}] names no source; {hint}"))
        elif token.type == "fn_note":
            if not token.meta["text"].strip():
                found.append(Problem(_find(text, "^[", block_offset),
                                     "empty footnote ^[]; write its text or remove it"))
            if any(t.type == "fn_note" for t in walk(token.children or [])):
                found.append(Problem(_find(text, "^[", block_offset),
                                     "a footnote inside a footnote is not allowed; write it "
                                     "into the note's text"))
        elif token.type == "text" and (raw_html := RAW_HTML_RE.search(token.content)):
            tag = raw_html[0]
            found.append(Problem(_find(text, tag, block_offset),
                                 f"raw HTML {tag!r} is not allowed; use Markdown instead"))
        elif token.type == "image":
            src = str(token.attrGet("src") or "")
            if not token.children or not "".join(c.content for c in token.children).strip():
                found.append(Problem(_find(text, "![", block_offset),
                                     f"image {src!r} has no alt text; describe it: "
                                     "![what it shows](file.png)"))
    # Links the parser refused (javascript:, file:, data:, …) stay as literal text: report them.
    for match in re.finditer(r"\]\(\s*<?([^)\s>]*)", text):
        target = match[1]
        if target and not _validate_link(target):
            found.append(Problem(match.start(), f"link target {target!r} is not allowed; use an "
                                 "http(s):// or mailto: address"))
    return found


def _find(text: str, needle: str, start: int) -> int:
    at = text.find(needle, start)
    return at if at >= 0 else max(text.find(needle), start)


def image_sources(text: str) -> list[tuple[int, str]]:
    """(offset, src) for every image in a text."""
    result = []
    for token in walk(parse(text)):
        if token.type == "image":
            src = str(token.attrGet("src") or "")
            result.append((max(text.find(f"]({src}"), 0), src))
    return result


# ---------------------------------------------------------------------------------------------
# HTML


@dataclass(frozen=True, slots=True)
class RenderContext:
    """What the renderer needs beyond tokens: how to print a source reference."""

    reference_html: Callable[[str, str], str]  # (key, locator) → HTML of the reference


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
        reference = env["context"].reference_html(token.meta["key"], token.meta["locator"])
        if "number" not in token.meta:  # a citation inside a note: the reference, inline
            return str(reference)
        return self._footnote(token, reference)

    def fn_note(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                env: EnvType) -> str:
        token = tokens[idx]
        inner = self.renderInline(token.children or [], options, env)
        if "number" not in token.meta:  # a note inside a note (refused by validation): inline
            return f"({inner})"
        return self._footnote(token, inner)

    def paragraph_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                       env: EnvType) -> str:
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

    def table_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                    env: EnvType) -> str:
        return "</table></div>\n"

    @staticmethod
    def _footnote(token: Token, inner: str) -> str:
        number = token.meta["number"]
        classes = "fn fn-adjacent" if token.meta.get("adjacent") else "fn"
        inner = inner.replace("\n", " ")  # a newline inside a footnote is a hard break
        return f'<span class="{classes}" id="fn-{number}" data-fn="{number}">{inner}</span>'

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
