"""lint: turns a brief's Markdown text into the problems it would print with — unknown
citations, raw HTML, refused links, tables that do not print as tables, emphasis and code never
closed, a list YAML folded into one line (`folded`), a span with another attribute than `lang`
or never closed — each at its offset in the text (`Problem`); and lists what a text cites, links
to and shows (`cited_keys`, `anchor_links`, `image_sources`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import babel
from markdown_it.token import Token

from ..read import languages
from ..suggest import closest
from . import locale
from .syntax import (
    ALLOWED_LINK_RE,
    BARE_KEY_RE,
    CITED_KEY_RE,
    MAX_NESTING,
    MULTI_CITE_RE,
    RAW_HTML_RE,
    _is_relative_file,
    _validate_link,
    parsed,
    walk,
)

#: Block constructs a brief body may not use, with what to do instead.
DISALLOWED_BLOCKS = {
    "heading_open": "headings are not allowed in a body; start a new section with a `title:`",
    "code_block": "indented code is not allowed; remove the leading spaces",
    "fence": "code blocks are not allowed in a brief",
    "hr": "horizontal rules are not allowed; start a new section instead",
}


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
    printed: list[str] = []  # the texts as printed, runs of text tokens
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
                printed.append(run)
                found.extend(_text_problems(text, run, block_offset))
        elif token.type == "link_open":
            found.extend(_link_problems(text, str(token.attrGet("href") or ""), block_offset))
        elif token.type == "image":
            src = str(token.attrGet("src") or "")
            if not token.children or not "".join(c.content for c in token.children).strip():
                found.append(Problem(_find(text, "![", block_offset),
                                     f"image {src!r} has no alt text; describe it: "
                                     "![what it shows](file.png)"))
    refused = _refused_links(text)
    images = {problem.offset for problem in refused if problem.message.startswith("image ")}
    # An image refused for its name is one mistake: not also a `![…](` printed as text.
    found = [problem for problem in found if not (
        problem.offset in images and problem.message.startswith("`!["))] + refused
    # A note definition is one mistake: not also a link target markdown-it saw in it.
    spans = [match.span() for match in _NOTE_DEFINITION_RE.finditer(text)]
    found = [problem for problem in found
             if not any(start <= problem.offset < end for start, end in spans)]
    return found + _pandoc_note_problems(text, found, printed)


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
        if not target or _validate_link(target):
            continue
        opening = text.rfind("[", 0, match.start())
        if (match[1] and opening > 0 and text[opening - 1] == "!" and not urlsplit(target).scheme
                and not target.startswith("/") and ".." not in target.split("/")):
            found.append(Problem(opening - 1, _image_name_problem(target)))
        else:
            found.append(Problem(match.start(), f"link target {target!r} is not allowed; use an "
                                 "http(s):// or mailto: address"))
    return found


def _image_name_problem(src: str) -> str:
    """An image whose file name Markdown cannot take as written (letters outside ASCII, `%20`,
    `:`): what to rename it to. markdown-it percent-encodes such a name (`grafico-%C3%A8.png`),
    which is then no file's name; and a name typed in one Unicode form may be stored in another
    (macOS writes `è` decomposed), so plain names are the ones that work everywhere."""
    plain = unicodedata.normalize("NFKD", unquote(src)).encode("ascii", "ignore").decode()
    plain = re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9_./-]", "-", plain)).strip("-")
    suggestion = f" (e.g. {plain!r})" if plain and _is_relative_file(plain) else ""
    return (f"image {src!r}: a file name may only hold the letters a–z and A–Z, digits, `-`, "
            f"`_` and `.`; rename the file{suggestion} and write that name here")


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


#: Pandoc's reference notes: a call `[^1]` and its definition `[^1]: the note` at a line's start
#: (after a quote's `>` or a list's marker); brief reads neither.
_NOTE_CALL_RE = re.compile(r"(?<!\\)\[\^([^\]\s]+)\](?!:)")
_NOTE_DEFINITION_RE = re.compile(r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(\[\^([^\]\s]+)\]:)"
                                 r"[ \t]*(.*)$", re.MULTILINE)
#: Other syntax of Pandoc (and Quarto) that brief does not read and that would print as text,
#: with what it is and what to write instead: inline, matched in a printed text …
_PANDOC_INLINE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<!\\)\{[ \t]*(?:[#.=][^{}\n]*"
                r"|(?!lang[ \t]*=)[A-Za-z][\w:-]*[ \t]*=[^{}\n]*)\}"),
     "Pandoc's attribute syntax, which brief does not read (only a span's "
     "`[words]{lang=en}`); remove it, or write `\\{` if the brace is meant as text"),
    (re.compile(r"(?<![\w~])~~[^\s~](?:[^~\n]*[^\s~])?~~(?!~)"),
     "strikethrough, which brief does not print; remove the `~~` (or the words)"),
    (re.compile(r"(?<!~)~[^\s~]+~(?!~)"),
     "Pandoc's subscript, which brief does not read; write the character itself (H₂O)"),
    (re.compile(r"\^(?!\[)[^\s^\[\]]+\^"),
     "Pandoc's superscript, which brief does not read; write the character itself (m², 1ᵉʳ)"),
)
#: … and at the start of a line of the text (after a quote's `>`).
_PANDOC_LINES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^[ \t>]*(:::+)", re.MULTILINE),
     "a Pandoc fenced div, which brief does not read; remove the `:::` lines (to show a "
     "passage to some audiences only, make it a section with `audiences:`)"),
    (re.compile(r"^[ \t>]*(:)[ \t]+\S", re.MULTILINE),
     "a Pandoc definition list, which brief does not read; write the term in bold at the "
     "start of its paragraph: `**Term**: definition`"),
)


def _pandoc_note_problems(text: str, found: list[Problem], printed: list[str]
                          ) -> list[Problem]:
    """Pandoc's reference notes, which brief does not read: a call `[^1]` prints as text (or,
    when its definition holds an address, as a link) and a definition `[^1]: …` prints as text
    (or vanishes). Each is an error at its place that shows the note written in place,
    `^[the note]`, with the definition's text where the text has one."""
    notes = {match[2]: match[3].strip() for match in _NOTE_DEFINITION_RE.finditer(text)}
    taken = {problem.offset for problem in found}
    problems = []
    for match in _NOTE_DEFINITION_RE.finditer(text):
        note = _shown_note(match[3].strip())
        problems.append(Problem(match.start(1), f"`{match[1]}` is a Pandoc note definition, "
                                "which brief does not read: it would print as text; write the "
                                f"note where it is called, as `^[{note}]`, and remove this line"))
    for match in _NOTE_CALL_RE.finditer(text):
        if match.start() in taken or (match[1] not in notes
                                      and not any(match[0] in run for run in printed)):
            continue  # in a code span: it prints as meant
        note = _shown_note(notes.get(match[1], "")) or "the note"
        problems.append(Problem(match.start(), f"`{match[0]}` is a Pandoc note call, which "
                                "brief does not read: it would print as text; write the note in "
                                f"its place, as `^[{note}]`"))
    for pattern, advice in _PANDOC_LINES:
        problems.extend(Problem(match.start(1), f"`{match[1]}` at the start of a line would "
                                f"print as text: it is {advice}")
                        for match in pattern.finditer(text))
    return problems


def _shown_note(note: str) -> str:
    return note if len(note) <= 60 else note[:59].rstrip() + "…"


def _pandoc_problems(text: str, content: str, block_offset: int) -> list[Problem]:
    """Pandoc syntax that brief does not read, in a printed run of text (`_PANDOC_INLINE`),
    where it is written unescaped in the text (`\\{#id}` prints as meant)."""
    found = []
    for pattern, advice in _PANDOC_INLINE:
        for match in pattern.finditer(content):
            written = re.search(r"(?<!\\)" + re.escape(match[0]), text[block_offset:])
            if written is not None:
                found.append(Problem(block_offset + written.start(),
                                     f"`{match[0]}` would print as text: it is {advice}"))
    return found


def _text_problems(text: str, content: str, block_offset: int) -> list[Problem]:
    found = _pandoc_problems(text, content, block_offset)
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
