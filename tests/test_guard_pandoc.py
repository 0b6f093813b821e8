"""Pandoc (and Quarto) syntax that brief does not read prints as text: each is an error at its
place that says what to write (the review's finding 7: `[^1]` … `[^1]: text` printed as
written, though docs/content-format.md says nothing of the note syntax ever prints as text)."""

from __future__ import annotations

import pytest

from generator.text import lint

from .support import TINY, run_cli, write


def messages(text: str) -> list[tuple[int, str]]:
    return [(problem.offset, problem.message) for problem in lint.problems(text, {"src"}, "en")]


def test_a_reference_note_and_its_definition_are_errors_that_show_the_note_in_place():
    text = "Costs rose.[^1] Then fell.\n\n[^1]: Eurostat, 2023 figures."
    assert messages(text) == [
        (28, "`[^1]:` is a Pandoc note definition, which brief does not read: it would print "
             "as text; write the note where it is called, as `^[Eurostat, 2023 figures.]`, "
             "and remove this line"),
        (11, "`[^1]` is a Pandoc note call, which brief does not read: it would print as text; "
             "write the note in its place, as `^[Eurostat, 2023 figures.]`"),
    ]


def test_a_definition_markdown_takes_for_a_link_is_an_error_too():
    """`[^n]: https://…` is a link reference definition to markdown-it: the call would print as
    a link and the definition not at all."""
    found = messages("See this.[^n]\n\n[^n]: https://example.org/report")
    assert [offset for offset, _ in found] == [15, 9]
    assert all("`^[https://example.org/report]`" in message for _, message in found)


def test_a_call_without_definition_says_the_note():
    assert messages("Text.[^2]") == [(5, "`[^2]` is a Pandoc note call, which brief does not "
                                         "read: it would print as text; write the note in its "
                                         "place, as `^[the note]`")]


@pytest.mark.parametrize("text,written,what", [
    ("Para {#intro} text", "{#intro}", "Pandoc's attribute syntax"),
    ("Para {.aside}", "{.aside}", "Pandoc's attribute syntax"),
    ("[site](https://example.org){target=_blank}", "{target=_blank}", "attribute syntax"),
    ("`x`{=html}", "{=html}", "attribute syntax"),
    ("Water is H~2~O.", "~2~", "subscript"),
    ("An area of 10 m^2^.", "^2^", "superscript"),
    ("It was ~~never~~ done.", "~~never~~", "strikethrough"),
])
def test_inline_pandoc_syntax_is_an_error_at_its_place(text, written, what):
    found = messages(text)
    assert len(found) == 1, found
    offset, message = found[0]
    assert text[offset:offset + len(written)] == written
    assert message.startswith(f"`{written}` would print as text: it is ") and what in message


@pytest.mark.parametrize("text,offsets,what", [
    ("::: warning\nBody.\n:::", [0, 18], "fenced div"),
    ("> ::: note\n> Body.", [2], "fenced div"),
    ("Term\n: its definition", [5], "definition list"),
])
def test_pandoc_blocks_are_errors_at_their_lines(text, offsets, what):
    found = messages(text)
    assert [offset for offset, _ in found] == offsets and all(what in m for _, m in found)


@pytest.mark.parametrize("text", [
    "A rise of ~5% in 3~4 days, x^[a note] and 2^10.",
    "Escaped \\[^1] and \\{#id} print as written.",
    "At 10:30: a colon, {braces: 1} and a { b }.",
    "[Grooming]{lang=en} is a span.",
    "A note.^[With [@src] inside.] And [@src, p. 2].",
])
def test_what_brief_reads_or_prints_as_meant_is_no_error(text):
    assert messages(text) == []


def test_check_reports_a_reference_note_at_its_line(project):
    """The review's reproduction, through `brief check`."""
    write(project, TINY.replace('nl: "Tekst.[@src]"', 'nl: "Tekst.[^1] [@src]\\n\\n'
                                '[^1]: Een noot."'))
    result = run_cli(project, "check", "tiny")
    assert result.exit_code == 1
    assert "content/tiny/brief.yaml:9:" in result.output
    assert "write the note in its place, as `^[Een noot.]`" in result.output, result.output


def test_a_note_call_in_a_code_span_prints_as_meant():
    assert messages("Pandoc writes `text[^1]` for a note.") == []
