"""Indentation mistakes said in brief's words, with the fix, not in the YAML parser's
(`could not find expected ':'`, `mapping values are not allowed here`, `expected <block end>,
but found '<block mapping start>'`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.read.load import parse_yaml

P = Path("content/x/brief.yaml")

#: Words of PyYAML's that no message may show when brief knows the case.
PARSER_WORDS = ("could not find expected", "mapping values are not allowed", "<block end>",
                "<block mapping start>", "YAML syntax")

CASES = [
    # a text over several lines without `|`, its next line not indented under its key
    ("continued-at-the-key", "title: x\nsections:\n  - id: a\n    body: Dit is tekst\n"
     "    die verder gaat.\n  - id: b\n", 5, 5,
     "this line continues the text of `body` above but is not indented deeper than `body:`, "
     "so YAML does not read it as text; write `body: |` and indent the text below it, deeper "
     "than `body:`"),
    ("continued-less-deep", "title: x\nsections:\n  - id: a\n    body:\n      nl: Dit is tekst\n"
     "    die verder gaat.\n", 6, 5, "continues the text of `nl` above"),
    # a line of such a text holding ": "
    ("colon-in-a-language", "title: x\nsections:\n  - id: a\n    body:\n      nl: Dit is tekst\n"
     "        en nog meer: iets\n", 6, 20,
     "the text of `nl` runs over several lines and this one holds \": \", which YAML reads as "
     "a new key; write `nl: |` and indent the text below it, deeper than `nl:`"),
    ("colon-in-the-summary", "title: x\nsummary: Dit is tekst\n  Let op: dit.\n", 3, 9,
     "the text of `summary` runs over several lines"),
    # a list right after a text without `|`
    ("list-after-a-language", "title: x\nsections:\n  - id: a\n    body:\n      nl: Tekst\n"
     "      - een\n      - twee\n", 6, 7,
     "a list right after the text of `nl`, without `|`: YAML does not read it as part of the "
     "text; write `nl: |` and indent the text and the list below it, deeper than `nl:`"),
    ("list-after-a-body", "title: x\nsections:\n  - id: a\n    body: Tekst\n    - een\n", 5, 5,
     "a list right after the text of `body`"),
    # a key indented too deep, or not deep enough
    ("key-too-deep", "title: x\norganisation: NGO\n  date: '2024-01-01'\n", 3, 3,
     "`date:` is indented deeper than `organisation:` above, so YAML reads it as more of the "
     "value of `organisation`; indent `date:` as `organisation:` is (0 spaces)"),
    ("key-not-deep-enough", "title: x\nsections:\n  - id: a\n    body:\n      nl: Tekst\n"
     "     en: Text\n", 6, 6,
     "this line is indented 5 spaces, but `nl:` above 6; indent the keys of one map equally"),
    ("audience-setting", "mep:\n  template: brief.html.j2\n   max_pages: 4\n", 3, 4,
     "`max_pages:` is indented deeper than `template:` above, so YAML reads it as more of the "
     "value of `template`; indent `max_pages:` as `template:` is (2 spaces)"),
    # a colon missing after a key, below a text (not a line of that text)
    ("colon-missing", 'title: Een titel\ndate "2024-01-01"\n', 2, 5,
     "a colon is missing after `date`, so YAML does not see a key; write "
     '`date: "2024-01-01"`'),
    # text after a closing quote
    ("after-the-quote", 'title: "Een titel" met meer\n', 1, 8,
     "title: text follows the closing quote, which YAML does not read as part of the text; "
     "put all of it in quotes: title: '\"Een titel\" met meer'"),
]


@pytest.mark.parametrize("text,line,column,words", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_an_indentation_mistake_in_briefs_words(text, line, column, words):
    with pytest.raises(ContentError) as info:
        parse_yaml(text, P)
    message = info.value.format_message()
    assert (info.value.mark.line, info.value.mark.col) == (line, column), message
    assert words in message
    assert not any(word in message for word in PARSER_WORDS), message


def test_a_quoted_list_item_is_not_a_text_after_its_quote():
    """`["nl", "en"` (unclosed) still says where the bracket opened."""
    with pytest.raises(ContentError) as info:
        parse_yaml('languages: ["nl", "en"\ndate: "2024-01-01"\n', P)
    assert "text follows the closing quote" not in info.value.format_message()
