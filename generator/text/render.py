"""render: turns numbered markdown-it tokens (`footnotes.number`) into a brief's HTML —
footnote calls and their notes, blocks tagged with the calls they hold, lead-in paragraphs,
short lists, counted ordered lists, tables, and addresses that break only at their boundaries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markdown_it.common.utils import escapeHtml as escape_html
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ..make.typeset.leadin import LEAD_IN_CLASS  # a paragraph introducing a list, table, quote
from .addresses import WORD_JOINER, breakable_url
from .syntax import parser

#: A list of at most this many items and characters is "short": kept on one page.
SHORT_LIST_ITEMS = 4
SHORT_LIST_CHARS = 320


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
