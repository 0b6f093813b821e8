"""load: strict YAML → RawNode with line marks; every failure is a located ContentError."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import ContentError
from generator.read.load import load_yaml, parse_yaml

P = Path("content/x/brief.yaml")


def test_values_are_never_retyped():
    node = parse_yaml('a: no\nb: 1.10\nc: 012\nd: 2024-02-30\ne: on\nf: 1:30\n', P)
    assert {k: v.value for k, v in node.value.items()} == {
        "a": "no", "b": "1.10", "c": "012", "d": "2024-02-30", "e": "on", "f": "1:30"}


def test_marks_are_one_based_lines_and_columns():
    node = parse_yaml("title: x\nsections:\n  - body: |\n      hello\n", P)
    assert node.value["title"].mark.line == 1
    body = node.value["sections"].value[0].value["body"]
    assert (body.mark.line, body.style) == (3, "|")
    assert node.key_marks["sections"].line == 2


@pytest.mark.parametrize("text,line,words", [
    ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
    ("a: &x 1\nb: *x\n", 1, "anchors"),
    ("a: 1\nb: *x\n", 2, "aliases"),
    ("a: !!int 3\n", 1, "tag"),
    ("a:\n\t- b\n", 2, "spaces, not tabs"),
    ('a: "open\nb: 2\n', 1, "noticed at line 3"),  # where the quote was opened
    ("a: 1\n  b: 2\n", 2, "`b:` is indented deeper than `a:` above"),
    ("", 1, "empty"),
    ("- [1, 2]\n- {a\n", 2, "noticed at line 3"),  # where the brace was opened
])
def test_bad_yaml_is_a_located_error(text, line, words):
    with pytest.raises(ContentError) as info:
        parse_yaml(text, P)
    assert info.value.mark.line == line
    assert words in info.value.format_message()
    assert info.value.format_message().startswith(f"{P}:{line}")


def test_non_utf8_file_is_a_located_error(tmp_path):
    path = tmp_path / "brief.yaml"
    path.write_bytes(b"title: ok\nsubtitle: caf\xe9\n")
    with pytest.raises(ContentError) as info:
        load_yaml(path)
    assert info.value.mark.line == 2 and "UTF-8" in info.value.format_message()


def test_missing_file_is_a_located_error(tmp_path):
    with pytest.raises(ContentError, match="file not found"):
        load_yaml(tmp_path / "nope.yaml")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_gives_a_tree_or_a_located_error(text):
    try:
        node = parse_yaml(text, P)
    except ContentError as exc:
        assert exc.mark is not None and exc.mark.line >= 1
    else:
        assert node.kind in ("text", "list", "map")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a:", " b", "- ", "&x ", "*x", "!!t ", '"', "'", "\t", "\n",
                                 "{", "}", "[", "]", ":", "#", "|", ">", "  ", "x", "%YAML 1.1",
                                 "---", "...", "? ", "\x00", "\ufeff"]), max_size=30))
def test_yaml_shaped_noise_gives_a_tree_or_a_located_error(parts):
    try:
        parse_yaml("".join(parts), P)
    except ContentError as exc:
        assert exc.mark.line >= 1


def test_deep_nesting_is_a_located_error_not_a_crash():
    with pytest.raises(ContentError, match="nested too deeply"):
        parse_yaml("a: " + "[" * 5000 + "]" * 5000 + "\n", P)
