"""load: a YAML file → a tree of `RawNode`s, every value a string, list or map with its line.

The loader is strict on purpose: nothing is retyped (`no` stays "no", `1.10` stays "1.10", dates
stay strings until the model parses them), duplicate keys, anchors, aliases and tags are refused,
and every failure becomes a `ContentError` at `file:line:col`. The YAML files (brief.yaml,
audiences.yaml) are parsed here and nowhere else (`manifest` only hashes them, and `pdf` only
searches brief.yaml's lines to locate a rendering problem); `parse_yaml` reads no file.
"""

from __future__ import annotations

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

from .errors import ContentError, Mark

#: Files larger than this are refused before parsing (a brief is a few hundred kB at most).
MAX_YAML_BYTES = 2 * 1024 * 1024

_PLAIN_TAGS = {BaseResolver.DEFAULT_SCALAR_TAG, BaseResolver.DEFAULT_SEQUENCE_TAG,
               BaseResolver.DEFAULT_MAPPING_TAG}


@dataclass(frozen=True, slots=True)
class RawNode:
    """One YAML value: a `str`, a tuple of nodes, or a dict of key → node, starting at `mark`.

    `key_marks` gives, for a map, where each key is written; `style` is the scalar style
    (`|`, `>`, `"`, `'` or "" for plain) so Markdown positions can be mapped back to lines.
    """

    value: str | tuple[RawNode, ...] | dict[str, RawNode]
    mark: Mark
    style: str = ""
    key_marks: dict[str, Mark] = field(default_factory=dict)
    key_mark: Mark | None = None  # for a map's value: where its key is written
    indent: int = 0  # for a block scalar (| or >): the column its text starts at, 0-based

    @property
    def kind(self) -> str:
        if isinstance(self.value, str):
            return "text"
        return "list" if isinstance(self.value, tuple) else "map"

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


def _mark(path: Path, node: Node) -> Mark:
    return Mark(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _block_indent(lines: list[str], node: ScalarNode) -> int:
    """The indentation of a block scalar's first non-empty line."""
    for line in lines[node.start_mark.line + 1:node.end_mark.line + 1]:
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return 0


def _convert(path: Path, node: Node, lines: list[str]) -> RawNode:
    if node.tag not in _PLAIN_TAGS:
        raise ContentError(_mark(path, node), f"YAML tag {node.tag!r} is not allowed; "
                           "remove it and write the plain value")
    if isinstance(node, ScalarNode):
        indent = _block_indent(lines, node) if node.style in ("|", ">") else 0
        return RawNode(node.value, _mark(path, node), node.style or "", indent=indent)
    if isinstance(node, SequenceNode):
        return RawNode(tuple(_convert(path, item, lines) for item in node.value),
                       _mark(path, node))
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
        values[key] = RawNode(value.value, value.mark, value.style, value.key_marks,
                              key_marks[key], value.indent)
    return RawNode(values, _mark(path, node), key_marks=key_marks)


def _syntax_error(exc: yaml.MarkedYAMLError, path: Path) -> ContentError:
    """A PyYAML error at the most useful line: where an unfinished key, quote or bracket began
    (the context), else where the parser gave up (the problem)."""
    problem = exc.problem or exc.context or "invalid YAML"
    context = exc.context or ""
    use_context = exc.context_mark is not None and ("scanning" in context or "flow" in context)
    mark = exc.context_mark if use_context else (exc.problem_mark or exc.context_mark)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 0)
    if use_context and exc.problem_mark is not None and exc.problem_mark.line + 1 != line:
        problem += f" (noticed at line {exc.problem_mark.line + 1})"
    return ContentError(Mark(path, line, col),
                        f"YAML syntax: {problem}; check this line and the one above for "
                        "indentation (spaces, not tabs), a missing colon or closing quote")


def parse_yaml(text: str, path: Path) -> RawNode:
    """Parse YAML text (already read) into a `RawNode`; every failure is a located error."""
    try:
        loader = _StrictLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except _Refused as exc:
        raise ContentError(Mark(path, exc.line + 1, exc.column + 1), exc.message) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, path) from None
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


def load_yaml(path: Path) -> RawNode:
    """Read and parse one YAML file."""
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise ContentError(Mark(path, 1), f"file is {size} bytes, more than the "
                               f"{MAX_YAML_BYTES} allowed; split or shorten it")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ContentError(Mark(path, 1), "file not found; create it or check the name") from None
    except OSError as exc:
        raise ContentError(Mark(path, 1), f"cannot read: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ContentError(Mark(path, line), "not UTF-8 text; save the file as UTF-8") from None
    return parse_yaml(text, path)

