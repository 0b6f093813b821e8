"""web.notes: an output's numbered tokens → HTML for a web page, its notes gathered as endnotes.

The print renderer (`text.render._Renderer`) writes each note where it is called, as a
`float: footnote` span for WeasyPrint. On the web a note is a numbered call,
`<a href="#fn-3" id="fnref-3" role="doc-noteref">3</a>`, that links to its note in the page's
list of notes (`role="doc-endnotes"`), and each note links back (`role="doc-backlink"`). The
numbers and the citations' forms are `footnotes.number`'s, as in the PDFs.

Beyond the notes the page differs from paper only where a strict Content-Security-Policy or
the browser asks it: an ordered list starts with `start` (no inline style), header cells get
`scope`, aligned cells a class (no inline style), an address is printed as written (the
browser wraps it; no word joiners to copy along), and an image's `src` is where the page finds
the copy it is given (`images`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markdown_it.common.utils import escapeHtml as escape_html
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ...text.render import RenderContext, _Renderer
from ...text.syntax import parser
from ..typeset.leadin import LEAD_IN_CLASS


@dataclass(frozen=True, slots=True)
class Note:
    number: int
    html: str  # the note's text, as HTML


@dataclass(slots=True)
class Notes:
    """The notes a page's texts call, in order, filled as they are rendered."""

    items: list[Note] = field(default_factory=list)


class WebRenderer(_Renderer):
    """`text.render._Renderer` for a web page: notes as calls and endnotes (see the module)."""

    def fn_cite(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                env: EnvType) -> str:
        token = tokens[idx]
        context, key, locator = env["context"], token.meta["key"], token.meta["locator"]
        form = str(token.meta.get("form", "full"))
        if "number" not in token.meta:  # a citation inside a note: the reference, inline
            return str(context.reference_html(key, locator, form))
        return self._call(token, (context.note_html or context.reference_html)(
            key, locator, form), env)

    def fn_note(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                env: EnvType) -> str:
        token = tokens[idx]
        inner = self.renderInline(token.children or [], options, env)
        if "number" not in token.meta:  # a note inside a note (refused by validation)
            return f"({inner})"
        return self._call(token, inner, env)

    @staticmethod
    def _call(token: Token, inner: str, env: EnvType) -> str:
        number = int(token.meta["number"])
        env["notes"].items.append(Note(number, inner.replace("\n", " ")))
        separator = '<sup class="fn-sep">,</sup>' if token.meta.get("adjacent") else ""
        return (f'{separator}<sup class="fn"><a href="#fn-{number}" id="fnref-{number}" '
                f'role="doc-noteref">{number}</a></sup>')

    def ordered_list_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                          env: EnvType) -> str:
        start = int(tokens[idx].attrGet("start") or 1)
        return f'<ol start="{start}">\n' if start != 1 else "<ol>\n"

    def bullet_list_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                         env: EnvType) -> str:
        return "<ul>\n"

    def table_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                   env: EnvType) -> str:
        # Every table lies in a box, a region named by the table's caption: the lead-in, else
        # "Table 3" (the catalog's `table`), read but not shown. A wide table scrolls in its box
        # at 320 px (WCAG 1.4.10 lets tables do so), which a keyboard must reach; with no script
        # to measure it, a table of `WIDE_COLUMNS` columns or more is taken to be wider than a
        # phone's column and its box is a tab stop; a narrower one wraps in its cells, no stop.
        env["tables"] += 1
        caption = _caption(tokens, idx) or env["table_word"].replace(
            "{number}", str(env["tables"]))
        name = f'{env["page_id"]}-table-{env["tables"]}'
        focus = ' tabindex="0"' if columns(tokens, idx) >= WIDE_COLUMNS else ""
        return (f'<div class="table"{focus} role="region" aria-labelledby="{name}">'
                f'<table>\n<caption id="{name}" class="lead-in-caption">'
                f"{escape_html(caption)}</caption>\n")

    def table_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                    env: EnvType) -> str:
        return "</table></div>\n"

    def th_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                env: EnvType) -> str:
        return f'<th scope="col"{_align(tokens[idx])}>'

    def td_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                env: EnvType) -> str:
        return f"<td{_align(tokens[idx])}>"

    def text(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
             env: EnvType) -> str:
        return escape_html(tokens[idx].content)

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
              env: EnvType) -> str:
        token = tokens[idx]
        src, width, height = env["image"](str(token.attrGet("src") or ""))
        alt = self.renderInlineAsText(token.children or [], options, env)
        size = f' width="{width}" height="{height}"' if width and height else ""
        # loaded when it nears the screen: a phone fetches only the images it shows
        return (f'<img src="{escape_html(src)}" alt="{escape_html(alt)}"{size} loading="lazy" '
                'decoding="async">')

    def _block_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                    env: EnvType) -> str:
        """As markdown-it writes it: no `data-calls` (the PDF's hook for misplaced notes)."""
        return self.renderToken(tokens, idx, options, env)


#: A table with this many columns or more may be wider than a phone's column (320 px): its box
#: scrolls, and is a tab stop so that a keyboard can scroll it (docs/web.md).
WIDE_COLUMNS = 4


def columns(tokens: Sequence[Token], idx: int) -> int:
    """The number of columns of the table that opens at `tokens[idx]` (its first row's cells)."""
    count = 0
    for token in tokens[idx + 1:]:
        if token.type in ("th_open", "td_open"):
            count += 1
        elif token.type == "tr_close":
            break
    return count


def _caption(tokens: Sequence[Token], idx: int) -> str:
    """A table's caption: Markdown has no syntax for one, so the paragraph that introduces the
    table (`lead-in`: it ends with a colon) names it, without its colon and note calls; ""
    when no paragraph introduces it."""
    if idx < 3 or tokens[idx - 3].type != "paragraph_open" or LEAD_IN_CLASS not in str(
            tokens[idx - 3].attrGet("class") or ""):
        return ""
    text = "".join(child.content for child in tokens[idx - 2].children or []
                   if child.type in ("text", "code_inline", "softbreak"))
    return " ".join(text.split()).rstrip(":\uff1a ").strip()


def _align(token: Token) -> str:
    """markdown-it's `style="text-align:right"` as a class (the CSP allows no inline style)."""
    style = str(token.attrGet("style") or "")
    for side in ("left", "center", "right"):
        if f"text-align:{side}" in style:
            return f' class="align-{side}"'
    return ""


_RENDERER = WebRenderer()


@dataclass(slots=True)
class PageRenderer:
    """Renders a page's texts one after the other, gathering their notes and numbering their
    tables; `image` maps an image's `src` to its address from the page and its size in pixels
    (0 when it has none: SVG)."""

    context: RenderContext
    language: str
    image: Callable[[str], tuple[str, int, int]]
    page_id: str = "t"
    table_word: str = "Table {number}"  # a table's name when no lead-in names it
    notes: Notes = field(default_factory=Notes)
    tables: int = 0

    def html(self, tokens: list[Token]) -> str:
        env: EnvType = {"context": self.context, "notes": self.notes, "image": self.image,
                        "page_id": self.page_id, "table_word": self.table_word,
                        "tables": self.tables}
        result = _RENDERER.render(tokens, parser(self.language).options, env)
        self.tables = int(env["tables"])
        return result
