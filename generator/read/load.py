"""load: a YAML file → a tree of `RawNode`s, every value a string, list or map with its line.

The loader is strict on purpose: nothing is retyped (`no` stays "no", `1.10` stays "1.10", dates
stay strings until the model parses them), duplicate keys, anchors, aliases and tags are refused,
and every failure becomes a `ContentError` at `file:line:col`. The YAML files (brief.yaml,
audiences.yaml) are parsed here and nowhere else (`manifest` only hashes them, and `pdf` only
searches brief.yaml's lines to locate a rendering problem); `parse_yaml` reads no file.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, Event
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .. import files
from ..errors import ContentError, Mark
from ..project import misnamed

#: Files larger than this are refused before parsing (a brief is a few hundred kB at most).
MAX_YAML_BYTES = 2 * 1024 * 1024

_PLAIN_TAGS = {BaseResolver.DEFAULT_SCALAR_TAG, BaseResolver.DEFAULT_SEQUENCE_TAG,
               BaseResolver.DEFAULT_MAPPING_TAG}


#: The plain values YAML 1.1 and 1.2 read as null (`yaml.safe_dump` writes None as `null`).
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(frozen=True, slots=True)
class WrittenLine:
    """One line of a text as written in the file: its `text` starts at `line`, `col` (1-based);
    the lines of a text keep their indentation relative to each other."""

    line: int
    col: int
    text: str


@dataclass(frozen=True, slots=True)
class RawNode:
    """One YAML value: a `str`, a tuple of nodes, or a dict of key → node, starting at `mark`.

    `key_marks` gives, for a map, where each key is written; `style` is the scalar style
    (`|`, `>`, `"`, `'` or "" for plain) so Markdown positions can be mapped back to lines,
    and for a list or map written in brackets `[` or `{` (so a text that starts with a bracket
    and was read as a list can be told apart).
    """

    value: str | tuple[RawNode, ...] | dict[str, RawNode]
    mark: Mark
    style: str = ""
    key_marks: dict[str, Mark] = field(default_factory=dict)
    key_mark: Mark | None = None  # for a map's value: where its key is written
    indent: int = 0  # for a block scalar (| or >): the column its text starts at, 0-based
    comment: str = ""  # for a plain scalar: a `# …` YAML dropped after it on its line, as written
    comment_mark: Mark | None = None  # where that comment's # is
    #: For a text over several lines that YAML folds (plain, quoted or `>`): its lines as
    #: written, which `|` would have kept (see `lint.folded`).
    written: tuple[WrittenLine, ...] = ()
    #: For a plain text: a line right after it, indented as its text, that starts with `##`
    #: (a Markdown heading, which YAML reads as a comment and drops): where its `#` is.
    heading_mark: Mark | None = None

    @property
    def kind(self) -> str:
        if isinstance(self.value, str):
            return "text"
        return "list" if isinstance(self.value, tuple) else "map"

    @property
    def is_null(self) -> bool:
        """Whether YAML itself reads this value as null (nothing): an unquoted `null`, `~` or
        nothing at all, as a program writing YAML (`yaml.safe_dump`) writes an empty value."""
        return self.style == "" and isinstance(self.value, str) and self.value in _NULLS

    @property
    def as_text(self) -> str:
        """The scalar's text ("" when this node is a list or a map)."""
        return self.value if isinstance(self.value, str) else ""

    @property
    def as_list(self) -> tuple[RawNode, ...]:
        """The list's items (none when this node is a text or a map)."""
        return self.value if isinstance(self.value, tuple) else ()

    @property
    def as_map(self) -> dict[str, RawNode]:
        """The map's keys and values (none when this node is a text or a list)."""
        return self.value if isinstance(self.value, dict) else {}


class _Refused(Exception):
    """A YAML feature we refuse, where its event starts (0-based line and column, as PyYAML
    counts)."""

    def __init__(self, event: Event, message: str) -> None:
        super().__init__(message)
        start = event.start_mark
        self.line, self.column = (start.line, start.column) if start is not None else (0, 0)
        self.message = message


class _StrictLoader(Reader, Scanner, Parser, Composer, BaseResolver):
    """PyYAML's composer without implicit typing, aliases or anchors."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        BaseResolver.__init__(self)

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event: Event = self.peek_event()  # type: ignore[no-untyped-call]  # unannotated in the stub
        if isinstance(event, AliasEvent):
            raise _Refused(event, "aliases (*name) are not allowed; "
                           "write the value out in full")
        if getattr(event, "anchor", None) is not None:
            raise _Refused(event, "anchors (&name) are not allowed; "
                           "write the value out in full")
        return super().compose_node(parent, index)


def yaml_quoted(text: str) -> str:
    """`text` as a quoted YAML value: in double quotes, or single quotes when it holds a `"`."""
    if '"' in text and "'" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


#: `key: value` on one line (in a list item too): where the value starts, to point at it.
_KEY_VALUE_RE = re.compile(r"^(?P<lead>\s*(?:-\s+)?)(?P<key>[^\s#'\"{}\[\],:&*!|>@`%-][^:#]*?)"
                           r":[ \t]+(?P<value>\S.*?)\s*$")

#: `key:value`, a space missing after the colon.
_NO_SPACE_RE = re.compile(r"^\s*(?:-\s+)?(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:/].*?)\s*$")

#: What YAML makes of a value that starts with one of these, instead of text.
_STARTS = {
    "@": "does not allow a value to start with @",
    "`": "does not allow a value to start with `",
    "%": "reads a line starting with % as a directive",
    "*": "reads a value starting with * as an alias (*name), and aliases are not allowed",
    "&": "reads a value starting with & as an anchor (&name), and anchors are not allowed",
    "!": "reads a value starting with ! as a tag (!name), and tags are not allowed",
    "|": "reads a value starting with | as a block of text that starts on the next line",
    ">": "reads a value starting with > as a block of text that starts on the next line",
    "[": "reads a value starting with [ as a list",
    "{": "reads a value starting with { as a map",
    "- ": "reads a value starting with - and a space as a list item",
    "? ": "reads a value starting with ? and a space as a key",
}
_MAYBE_MEANT = "*&![{"  # these start YAML features brief refuses or lists: maybe not text


def _quoting_hint(lines: list[str], line0: int, col0: int,  # noqa: PLR0911 — a return per case
                  problem: str) -> tuple[int, str] | None:
    """When a YAML error falls inside an unquoted value that YAML read as something else than
    text (a colon and a space in it, or a special first character): the value's column (1-based)
    and a message saying to put it in quotes, with the line to write."""
    if not 0 <= line0 < len(lines):
        return None
    match = _KEY_VALUE_RE.match(lines[line0])
    if match is None or col0 < match.start("value"):
        return None
    key, value, column = match["key"], match["value"], match.start("value") + 1
    first = value[:2] if value[:2] in _STARTS else value[0]
    if first in "\"'":
        message = _inner_quote_hint(key, value)
        return (column, message) if message else None
    if first in _STARTS:
        if first in "[{" and not _text_after_brackets(value):
            return None  # a list or map, unclosed or wrong inside: not a text
        advice = "if it is text, put" if first in _MAYBE_MEANT else "put"
        return column, (f"{key}: YAML {_STARTS[first]}; {advice} the text in quotes: "
                        f"{key}: {yaml_quoted(value)}")
    if "mapping values" in problem:
        return column, (f"{key}: the text contains \": \", which YAML reads as a new key; put "
                        f"the text in quotes: {key}: {yaml_quoted(value)}")
    return None


def _inner_quote_hint(key: str, value: str) -> str | None:
    """A quoted value that a quote inside it ends early: write it in the other quotes; or text
    after its closing quote (`title: "The Act" in practice`): put all of it in quotes."""
    first, inner = value[0], value[1:-1]
    if len(value) >= 3 and first in value[1:] and not value.endswith(first) \
            and value.rstrip()[-1] not in "]},":
        return (f"{key}: text follows the closing quote, which YAML does not read as part of "
                f"the text; put all of it in quotes: {key}: {yaml_quoted(value)}")
    if len(value) < 3 or not value.endswith(first) or first not in inner:
        return None
    kind = "double" if first == '"' else "single"
    return (f"{key}: the {kind} quote inside the text ends it early; write the text in the "
            f"other kind of quotes: {key}: {yaml_quoted(inner.replace(first * 2, first))}")


def _text_after_brackets(value: str) -> bool:
    """Whether text follows the bracket that closes the one `value` starts with."""
    depth = 0
    for i, char in enumerate(value):
        depth += (char in "[{") - (char in "]}")
        if depth == 0:
            return bool(value[i + 1:].strip())
    return False


#: In a `[…]` or `{…}`: an unquoted `key: text #more`, which YAML cuts at the ` #`.
_CUT_IN_BRACKETS_RE = re.compile(r"(?P<key>[\w-]+):\s+(?P<value>[^,\[\]{}\"'#]*?\s(?P<hash>#)"
                                 r"[^,\]}]*)")


def _comment_in_brackets(path: Path, lines: list[str], line0: int) -> ContentError | None:
    """A list or map in brackets that a ` #` (a YAML comment) cut short on its line."""
    if not 0 <= line0 < len(lines):
        return None
    match = _CUT_IN_BRACKETS_RE.search(lines[line0])
    if match is None:
        return None
    return ContentError(Mark(path, line0 + 1, match.start("hash") + 1),
                        "a # after a space starts a YAML comment, which cuts this line short "
                        f"inside its brackets; put the text in quotes: {match['key']}: "
                        f"{yaml_quoted(match['value'].strip())}")


def _heading_before(lines: list[str], line0: int) -> tuple[int, int] | None:
    """A `## heading` line (a YAML comment) just above a YAML error, as deep as the line
    that follows it: inside a text. Its line and column, 1-based."""
    if not 1 <= line0 < len(lines):
        return None
    match = _HEADING_COMMENT_RE.match(lines[line0 - 1])
    depth = len(lines[line0]) - len(lines[line0].lstrip(" "))
    if match is None or len(match["indent"]) != depth or depth == 0:
        return None
    return line0, depth + 1


def _no_space_hint(lines: list[str], line0: int) -> tuple[int, int, str] | None:
    """A `key:value` line (no space after the colon) at or just above a YAML error: its line
    and column (1-based) and what to write."""
    for number in (line0, line0 - 1):
        if 0 <= number < len(lines):
            match = _NO_SPACE_RE.match(lines[number])
            if match:
                return number + 1, match.start("value") + 1, (
                    "a space is missing after the colon, so YAML does not see a key; write "
                    f"`{match['key']}: {match['value']}`")
    return None


#: A line holding `key: value` (or `- key: value`, or `key:` alone): its indentation and key.
_KEY_LINE_RE = re.compile(r"^(?P<lead> *(?:- +)?)(?P<key>[^\s#'\"{}\[\],:&*!|>@`%-][^:#]*?):"
                          r"(?:[ \t]+(?P<value>\S.*?))?\s*$")

#: A key as brief's files write them: one word, lower case (`date`, `max_pages`, `nl`).
_KEY_WORD_RE = re.compile(r"^[a-z][a-z0-9_-]*$")


#: `key "value"` (or `key [a, b]`): a key-like word, a space and a quoted value or a list, a
#: colon missing between them (not the words of a text, which do not start with a quote).
_MISSING_COLON_RE = re.compile(r"^ *(?:- +)?(?P<key>[a-z][a-z0-9_-]*) +(?P<value>[\"'\[{].*)$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _plain_text_above(lines: list[str], line0: int) -> tuple[str, int] | None:
    """The unquoted text (`key: text` and lines continuing it) that ends just above line
    `line0` (0-based): its key and the key's column (0-based)."""
    for number in range(line0 - 1, max(line0 - 200, -1), -1):
        line = lines[number]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _KEY_LINE_RE.match(line)
        if match is None:
            continue  # a line of the text: look further up for its key
        value = match["value"]
        if value is None or value[0] in "\"'[{|>&*!":
            return None
        return match["key"], len(match["lead"])
    return None


def _indentation_hint(lines: list[str], line0: int, col0: int, problem: str
                      ) -> tuple[int, int, str] | None:
    """YAML's words for an indentation mistake (`could not find expected ':'`, `mapping values
    are not allowed here`, `expected <block end>, but found …`) said in brief's, with the fix:
    a text over several lines that needs `|`, a key indented too deep or not deep enough. Its
    line and column (1-based) and the message."""
    if not 0 <= line0 < len(lines):
        return None
    above = _plain_text_above(lines, line0)
    if above is not None:
        hint = _text_hint(lines[line0], line0, problem, *above)
        if hint is not None:
            return hint
    if "found '<block mapping start>'" not in problem \
            and "found '<block sequence start>'" not in problem:
        return None
    indent = _indent(lines[line0])
    for number in range(line0 - 1, -1, -1):
        other = lines[number]
        if not other.strip() or other.lstrip().startswith("#"):
            continue
        if _indent(other) < indent:
            break
        match = _KEY_LINE_RE.match(other)
        if match is not None and _indent(other) > indent:
            return (line0 + 1, col0 + 1, f"this line is indented {indent} spaces, but "
                    f"`{match['key']}:` above {_indent(other)}; indent the keys of one map "
                    "equally, and a key's value deeper than the key")
    return None


def _text_hint(line: str, line0: int, problem: str, key: str, key_col: int
               ) -> tuple[int, int, str] | None:
    """An indentation mistake on the line after an unquoted text (`key: text`, at `key_col`)."""
    indent = _indent(line)
    fix = f"write `{key}: |` and indent the text below it, deeper than `{key}:`"
    own = _KEY_LINE_RE.match(line)
    missing = _MISSING_COLON_RE.match(line)
    if "could not find expected ':'" in problem and missing is not None:
        return (line0 + 1, missing.end("key") + 1, f"a colon is missing after "
                f"`{missing['key']}`, so YAML does not see a key; write "
                f"`{missing['key']}: {missing['value'].rstrip()}`")
    if "could not find expected ':'" in problem and indent <= key_col:
        return (line0 + 1, indent + 1, f"this line continues the text of `{key}` above but "
                f"is not indented deeper than `{key}:`, so YAML does not read it as text; {fix}")
    if "mapping values are not allowed" in problem and own is not None and indent > key_col:
        if _KEY_WORD_RE.match(own["key"]) and not own["lead"].strip():
            return (line0 + 1, indent + 1, f"`{own['key']}:` is indented deeper than `{key}:` "
                    f"above, so YAML reads it as more of the value of `{key}`; indent "
                    f"`{own['key']}:` as `{key}:` is ({key_col} spaces)")
        return (line0 + 1, line.index(":", indent) + 1, f"the text of `{key}` runs over "
                f"several lines and this one holds \": \", which YAML reads as a new key; {fix}")
    if "expected <block end>, but found '-'" in problem:
        return (line0 + 1, indent + 1, f"a list right after the text of `{key}`, without `|`: "
                f"YAML does not read it as part of the text; write `{key}: |` and indent the "
                f"text and the list below it, deeper than `{key}:`")
    return None


def _located(path: Path, lines: list[str], line0: int, col0: int, *, problem: str,
             message: str) -> ContentError:
    """An error at a 0-based line and column, said in the words a writer can act on when the
    line shows a common mistake (an unquoted text YAML misreads, a tab, a missing space)."""
    hint = _quoting_hint(lines, line0, col0, problem)
    if hint is not None:
        return ContentError(Mark(path, line0 + 1, hint[0]), hint[1])
    if "'\\t'" in problem:
        return ContentError(Mark(path, line0 + 1, col0 + 1), "this line is indented with a tab; "
                            "indent with spaces, not tabs")
    heading = _heading_before(lines, line0) if "YAML syntax" in message else None
    if heading is not None:
        return ContentError(Mark(path, heading[0], heading[1]), "YAML reads this line as a "
                            "comment, because it starts with #, so the text above ends there "
                            "and the lines below are not understood; a heading is not allowed "
                            "in a text: start a new section with a `title:`, and write a text "
                            "of several lines under `|`")
    no_space = _no_space_hint(lines, line0) if "YAML syntax" in message else None
    if no_space is not None:
        return ContentError(Mark(path, no_space[0], no_space[1]), no_space[2])
    indentation = _indentation_hint(lines, line0, col0, problem)
    if indentation is not None:
        return ContentError(Mark(path, indentation[0], indentation[1]), indentation[2])
    return ContentError(Mark(path, line0 + 1, col0 + 1), message)


def _mark(path: Path, node: Node) -> Mark:
    return Mark(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _block_indent(lines: list[str], node: ScalarNode) -> int:
    """The indentation of a block scalar's first non-empty line."""
    for line in lines[node.start_mark.line + 1:node.end_mark.line + 1]:
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return 0


def _written(lines: list[str], node: ScalarNode, indent: int) -> tuple[WrittenLine, ...]:
    """The lines of a scalar YAML folds (plain, quoted or `>`) that spans several lines, as
    written: the first from where the value starts (after its quote), the others without the
    indentation they share. Nothing for one line, or for a literal `|` text."""
    start, end = node.start_mark, node.end_mark
    if node.style == "|" or end.line <= start.line or end.line >= len(lines) + 1:
        return ()
    if node.style == ">":
        body = [(number, lines[number]) for number in range(start.line + 1, end.line)
                if number < len(lines)]
        if end.line < len(lines) and end.column > 0:
            body.append((end.line, lines[end.line][:end.column]))
        while body and not body[-1][1].strip():
            body.pop()
        return tuple(WrittenLine(number + 1, indent + 1, line[indent:].rstrip())
                     for number, line in body)
    quote = 1 if node.style in ('"', "'") else 0
    first = WrittenLine(start.line + 1, start.column + 1 + quote,
                        lines[start.line][start.column + quote:].rstrip())
    rest = [lines[number] for number in range(start.line + 1, end.line + 1)]
    rest[-1] = rest[-1][:max(end.column - quote, 0)]
    shared = min((len(line) - len(line.lstrip(" ")) for line in rest if line.strip()), default=0)
    return (first, *(WrittenLine(start.line + 2 + i, shared + 1, line[shared:].rstrip())
                     for i, line in enumerate(rest)))


#: A comment line that looks like a Markdown heading (`## Title`).
_HEADING_COMMENT_RE = re.compile(r"^(?P<indent> *)(?P<hashes>#{2,6})[ \t]+\S")


def _dropped_heading(path: Path, lines: list[str], node: ScalarNode) -> Mark | None:
    """Where a `## heading` stands right after a plain text, indented at least as its text's
    last line (deeper than its key): YAML reads it as a comment, so it never prints."""
    start, end = node.start_mark, node.end_mark
    if node.style or not node.value or end.line + 1 >= len(lines):
        return None
    last = lines[end.line]
    indent = len(last) - len(last.lstrip(" "))  # the text's own lines: as deep as the last
    if end.line == start.line and start.column > indent:  # `key: text`: deeper than the key
        indent += 1
    match = _HEADING_COMMENT_RE.match(lines[end.line + 1])
    if match is None or len(match["indent"]) < indent:
        return None
    return Mark(path, end.line + 2, len(match["indent"]) + 1)


def _convert(path: Path, node: Node, lines: list[str]) -> RawNode:
    if node.tag not in _PLAIN_TAGS:
        start = node.start_mark
        raise _located(path, lines, start.line, start.column, problem="tag",
                       message=f"YAML tag {node.tag!r} is not allowed; remove it and write the "
                       "plain value")
    if isinstance(node, ScalarNode):
        indent = _block_indent(lines, node) if node.style in ("|", ">") else 0
        comment, comment_mark = "", None
        end = node.end_mark
        if not node.style and node.value and end.line < len(lines):
            rest = lines[end.line][end.column:]
            if re.match(r"\s+#", rest):
                comment = rest.rstrip()
                comment_mark = Mark(path, end.line + 1,
                                    end.column + len(rest) - len(rest.lstrip()) + 1)
        return RawNode(node.value, _mark(path, node), node.style or "", indent=indent,
                       comment=comment, comment_mark=comment_mark,
                       written=_written(lines, node, indent),
                       heading_mark=_dropped_heading(path, lines, node))
    flow = ("[" if isinstance(node, SequenceNode) else "{") \
        if getattr(node, "flow_style", False) else ""  # a collection written in brackets
    if isinstance(node, SequenceNode):
        return RawNode(tuple(_convert(path, item, lines) for item in node.value),
                       _mark(path, node), flow)
    assert isinstance(node, MappingNode)
    values: dict[str, RawNode] = {}
    key_marks: dict[str, Mark] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag not in _PLAIN_TAGS:
            raise ContentError(_mark(path, key_node), "a key must be a plain word; "
                               "write `name: value`")
        key = key_node.value
        if key in values:
            first = key_marks[key]
            raise ContentError(_mark(path, key_node), f"duplicate key {key!r} (first at line "
                               f"{first.line}); keep only one")
        key_marks[key] = _mark(path, key_node)
        value = _convert(path, value_node, lines)
        values[key] = dataclasses.replace(value, key_mark=key_marks[key])
    return RawNode(values, _mark(path, node), flow, key_marks=key_marks)


def _syntax_error(exc: yaml.MarkedYAMLError, path: Path, lines: list[str]) -> ContentError:
    """A PyYAML error at the most useful line: where an unfinished key, quote or bracket began
    (the context), else where the parser gave up (the problem)."""
    problem = exc.problem or exc.context or "invalid YAML"
    context = exc.context or ""
    use_context = exc.context_mark is not None and ("scanning" in context or "flow" in context)
    mark = exc.context_mark if use_context else (exc.problem_mark or exc.context_mark)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 0)
    noticed = ""
    if use_context and exc.problem_mark is not None and exc.problem_mark.line + 1 != line:
        noticed = f" (noticed at line {exc.problem_mark.line + 1})"
    if use_context and exc.context_mark is not None and "flow" in context:
        cut = _comment_in_brackets(path, lines, exc.context_mark.line)
        if cut is not None:
            return cut
    if exc.problem_mark is not None:  # a misread text: where YAML gave up, in its value
        hint = _quoting_hint(lines, exc.problem_mark.line, exc.problem_mark.column, problem)
        if hint is not None:
            return ContentError(Mark(path, exc.problem_mark.line + 1, hint[0]), hint[1])
    return _located(path, lines, line - 1, col - 1, problem=problem,
                    message=f"YAML syntax: {problem}{noticed}; check this line and the one "
                    "above for indentation (spaces, not tabs), a missing colon or closing quote")


def parse_yaml(text: str, path: Path) -> RawNode:
    """Parse YAML text (already read) into a `RawNode`; every failure is a located error."""
    try:
        loader = _StrictLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except _Refused as exc:
        raise _located(path, text.splitlines(), exc.line, exc.column, problem=exc.message,
                       message=exc.message) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, path, text.splitlines()) from None
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, position) + 1
        raise ContentError(Mark(path, line), f"unreadable YAML: {exc}; save the file as "
                           "UTF-8 text") from None
    except RecursionError:
        raise ContentError(Mark(path, 1), "the YAML is nested too deeply; flatten it") from None
    except Exception as exc:  # noqa: BLE001 — PyYAML documents no others; show no traceback
        raise ContentError(Mark(path, 1), f"unreadable YAML ({type(exc).__name__}: {exc}); "
                           "check the file's syntax") from None
    if node is None:
        raise ContentError(Mark(path, 1), "the file is empty; write the content as "
                           "`key: value` lines")
    try:
        return _convert(path, node, text.splitlines())
    except RecursionError:
        raise ContentError(Mark(path, 1), "the YAML is nested too deeply; flatten it") from None


def load_yaml(path: Path, folder: Path | None = None) -> RawNode:
    """Read and parse one YAML file of `folder` (default: the file's own folder), through the
    gate (`files`): a link leading out of it, a FIFO or an oversized file is refused unread."""
    try:
        data = files.read_bytes(folder or path.parent, path, what=f"{path.name}",
                                limit=MAX_YAML_BYTES)
    except files.Missing:
        found = misnamed(path)
        if found is not None:
            raise ContentError(Mark(found, 1), f"the file is named {found.name!r}, so brief does "
                               f"not read it; rename it to {path.name}") from None
        raise ContentError(Mark(path, 1), "file not found; create it or check the name") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContentError(Mark(path, 1), "the file is saved as UTF-16 (\"Unicode\"); save it "
                           "as UTF-8 (in the editor's Save As, choose the encoding UTF-8)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ContentError(Mark(path, line), "not UTF-8 text; save the file as UTF-8") from None
    return parse_yaml(text, path)

