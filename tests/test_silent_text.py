"""Nothing wrong reaches paper silently (issue 10, Markdown and text): the mistakes a newcomer
writing a brief in German, French or Polish makes, each either a located error or printed right.

The table `CASES` holds mistakes that printed without a word before: each is now one exact
`file:line:col: message` line from `brief check`. The tests after it assert what the real PDFs
(or their HTML) show where a mistake is now printed right: calls attached to their word, pasted
quotation marks set for the language, captions under figures, figures that leave no hole.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from generator.project import OutputId, Project
from generator.run.build import build
from generator.run.pipeline import load_brief, warnings_for
from generator.text import render, syntax
from generator.text.locale import QUOTES, SECOND_LEVEL
from generator.text.typography.calls import CALL_BEFORE_PUNCTUATION

from .support import output_html, pages_text, run_cli, tiny_png, write

BRIEF_ID = "silent"
FILE = f"content/{BRIEF_ID}/brief.yaml"

#: A brief in German for the `full` design; BODY is the intro's text, starting on line 11
#: (column 9: the block is indented by 8 spaces).
GERMAN = textwrap.dedent("""\
    title: {de: "Titel"}
    organisation: "NGO"
    date: "2024-05-01"
    languages: [de]
    audiences:
      full: {languages: [de]}
    sections:
      - id: intro
        body:
          de: |
    BODY
      - id: schluss
        title: {de: "Schluss"}
        body: {de: "Ende.[@fra]"}
    sources:
      fra: {title: "Bericht", publisher: "FRA", url: "https://fra.europa.eu/bericht"}
      ec: {title: "Überblick", publisher: "Kommission", url: "https://commission.europa.eu/ueberblick"}
    """)
BODY_LINE = 11


def german(body: str, template: str = GERMAN) -> str:
    return template.replace("BODY\n", textwrap.indent(body, " " * 8) + "\n")


@dataclass(frozen=True)
class Case:
    id: str
    body: str  # the intro's Markdown
    line: int  # of the body (1: its first line)
    col: int  # in that line (1-based)
    message: str


CASES = [
    # 1. Unclosed calls and links: printed as literal text before.
    Case("unclosed-note", "Die Behörden müssen sie benennen.^[Die Frist endet am 2. August 2025.",
         1, 34, "unclosed footnote `^[`; end the note with `]`"),
    Case("unclosed-citation", "Laut Bericht.[@fra", 1, 14,
         "unclosed citation `[@fra`; end it with `]`, as in `[@fra]`"),
    Case("unclosed-citation-locator", "Laut Bericht.[@fra, S. 7\nund weiter.", 1, 14,
         "unclosed citation `[@fra, S. 7`; end it with `]`, as in `[@fra, S. 7]`"),
    Case("unclosed-link", "Siehe [die Studie](https://example.org/studie und mehr.", 1, 7,
         "`[die Studie](…` would print as text: end the address with `)`, and write it "
         "without spaces"),
    Case("unclosed-image", "Text.\n\n![Balkendiagramm](chart.png\n\nMehr.", 3, 1,
         "`![Balkendiagramm](…` would print as text: end the address with `)`, and write it "
         "without spaces"),
    Case("unclosed-note-in-list", "- Erstens.\n- Zweitens.^[Noch offen", 2, 12,
         "unclosed footnote `^[`; end the note with `]`"),
    # 2. Citations written almost right: printed as text before.
    Case("locator-without-comma", "Ein Satz.[@fra S. 7]", 1, 10,
         "citation `[@fra S. 7]` has no comma before its locator; did you mean `[@fra, S. 7]`?"),
    Case("locator-after-semicolon", "Ein Satz.[@fra; S. 7]", 1, 10,
         "citation `[@fra; S. 7]` has no comma before its locator; did you mean "
         "`[@fra, S. 7]`?"),
    Case("locator-after-colon", "Ein Satz.[@fra: S. 7]", 1, 10,
         "citation `[@fra: S. 7]` has no comma before its locator; did you mean `[@fra, S. 7]`?"),
    Case("space-after-at", "Ein Satz.[@ fra]", 1, 10,
         "citation `[@ fra]` has a space after `@`; did you mean `[@fra]`?"),
    Case("empty-locator", "Ein Satz.[@fra,]", 1, 10,
         "empty locator in `[@fra,]`; write `[@fra]` or give the page: `[@fra, p. 7]`"),
    Case("locator-without-comma-in-note", "Ein Satz.^[Siehe [@fra S. 7].]", 1, 18,
         "citation `[@fra S. 7]` has no comma before its locator; did you mean `[@fra, S. 7]`?"),
    Case("locator-without-comma-in-quote", "Text.\n\n> Ein Zitat.[@fra S. 7]", 3, 13,
         "citation `[@fra S. 7]` has no comma before its locator; did you mean `[@fra, S. 7]`?"),
    Case("locator-without-comma-in-table", "| A | B |\n|---|---|\n| x | y[@fra S. 7] |", 3, 8,
         "citation `[@fra S. 7]` has no comma before its locator; did you mean `[@fra, S. 7]`?"),
    Case("second-of-two-on-a-line", "Eins.[@fra] Zwei.[@fra S. 9]", 1, 18,
         "citation `[@fra S. 9]` has no comma before its locator; did you mean `[@fra, S. 9]`?"),
    Case("broken-citation-before-reference", "Ein Satz.[@fra S. 7][x]", 1, 10,
         "`[@` would print as text; write a note as `^[text]` and a citation as `[@key]` or "
         "`[@key, p. 7]`"),
    Case("unknown-key-in-multiple", "Ein Satz.[@fra; @ecc]", 1, 17,
         "citation [@ecc] names no source; did you mean [@ec]?"),
    # 5. Links a PDF reader cannot follow: `file:///home/…` in the PDF before.
    Case("link-to-file", "Lesen Sie [unsere Stellungnahme](stellungnahme.pdf).", 1, 34,
         "link to a file 'stellungnahme.pdf' is not allowed: a PDF reader cannot open it; "
         "link to its web address (https://…)"),
    Case("autolink-to-file", "Lesen Sie <stellungnahme.pdf>.", 1, 12,
         "link to a file 'stellungnahme.pdf' is not allowed: a PDF reader cannot open it; "
         "link to its web address (https://…)"),
    Case("reference-link-to-file", "Lesen Sie [sie][ref].\n\n[ref]: docs/stellungnahme.pdf", 3, 8,
         "link to a file 'docs/stellungnahme.pdf' is not allowed: a PDF reader cannot open it; "
         "link to its web address (https://…)"),
    Case("link-without-scheme", "Siehe [unsere Seite](www.example.org).", 1, 22,
         "web address 'www.example.org' has no https://; write https://www.example.org so that "
         "a PDF reader can open it"),
    Case("anchor-nowhere", "Siehe [unten](#fazit).", 1, 15,
         "link to '#fazit' goes nowhere in the 'full' output (de): no section there has that "
         "id; link to one of: intro, schluss"),
    # 7. A citation's hint keeps what was written (issue 12)
    Case("unclosed-citation-polish-locator", "Dane pochodzą z raportu.[@fra, s. 12", 1, 25,
         "unclosed citation `[@fra, s. 12`; end it with `]`, as in `[@fra, s. 12]`"),
    Case("unclosed-citation-two-sources", "Laut Bericht.[@fra; @ec, S. 3 und mehr.", 1, 14,
         "unclosed citation `[@fra; @ec, S. 3 und mehr.`; end it with `]`, as in "
         "`[@fra; @ec, S. 3]`"),
    # 8. Tables that do not print as tables: rows as a line of text with their `|`, cells lost
    Case("table-without-dashes", "Vorher.\n\n| Stadt | Kameras |\n| Warschau | 120 |", 3, 1,
         "this looks like a table but has no `|---|---|` line under its header, so it prints "
         "as text; add one"),
    Case("table-dashes-for-three-columns",
         "| Stadt | Kameras |\n|---|---|---|\n| Warschau | 120 |", 1, 1,
         "the `|---|` line under this table's header has 3 columns but the header has 2, so it "
         "prints as text; give it one `---` per column"),
    Case("table-row-with-a-cell-too-many",
         "| Stadt | Kameras |\n|---|---:|\n| Warschau | 120 | 2023 |", 3, 20,
         "this row has 3 cells but the table's header has 2, so the cells from here on are "
         "dropped; remove them, or add the columns to the header and to its `|---|` line (a "
         "`|` inside a cell is written `\\|`)"),
    Case("table-without-blank-line-after",
         "| Stadt | Kameras |\n|---|---:|\n| Warschau | 120 |\nDanach ein Absatz.", 4, 1,
         "the line after the table has no blank line before it, so it became a row of the "
         "table; leave a blank line after the table"),
    Case("table-in-a-quote-without-blank-line-after",
         "> | Stadt | Kameras |\n> |---|---:|\n> | Warschau | 120 |\n> Danach.", 4, 3,
         "the line after the table has no blank line before it, so it became a row of the "
         "table; leave a blank line after the table"),
    # 9. Emphasis and code never closed: printed as `**`, `__`, `` ` `` before
    Case("unclosed-bold", "Die Daten **stammen aus der Studie.", 1, 11,
         "`**` is never closed, so it prints as two asterisks; close it (`**bold**`) or write "
         "`\\*\\*`"),
    Case("unclosed-bold-underscores", "Die Daten __stammen aus der Studie.", 1, 11,
         "`__` is never closed, so it prints as two underscores; close it (`__bold__`) or write "
         "`\\_\\_`"),
    Case("bold-closing-nothing", "Die Daten stammen** aus der Studie.", 1, 18,
         "`**` closes nothing, so it prints as two asterisks; open it (`**bold**`) or write "
         "`\\*\\*`"),
    Case("unclosed-bold-on-second-line", "Die Daten stammen\naus der **Studie.", 2, 9,
         "`**` is never closed, so it prints as two asterisks; close it (`**bold**`) or write "
         "`\\*\\*`"),
    Case("unclosed-bold-in-note", "Text.^[Siehe **hier.]", 1, 14,
         "`**` is never closed, so it prints as two asterisks; close it (`**bold**`) or write "
         "`\\*\\*`"),
    Case("unclosed-bold-in-list", "- Erstens.\n- Zweitens **wichtig.", 2, 12,
         "`**` is never closed, so it prints as two asterisks; close it (`**bold**`) or write "
         "`\\*\\*`"),
    Case("unclosed-code", "Setzen Sie `max_pages auf 4.", 1, 12,
         "a backtick starting code here is never closed, so it prints as a backtick; close the "
         "code (`code`) or write \\`"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_mistake_is_a_located_error(project: Project, case: Case):
    write(project, german(case.body), BRIEF_ID)
    result = run_cli(project, "check", BRIEF_ID)
    assert result.exit_code == 1, result.output
    line = BODY_LINE + case.line - 1
    assert f"{FILE}:{line}:{case.col + 8}: {case.message}" in result.output.splitlines(), (
        result.output)


def test_there_are_enough_cases():
    assert len(CASES) >= 7


@pytest.mark.parametrize("body", [
    "Ein `snake_case`-Name, 5 * 3 und a_b_c, **fett** und *kursiv*, \\*\\* und \\`.",
    "Siehe https://bits-of-freedom.nl/_intern_ und <https://bits-of-freedom.nl/**>.",
    "| Stadt | Kameras |\n|---|---:|\n| Warschau | 120 |\n\nDanach ein Absatz.",
    "Ein Satz mit | einem Strich.",
])
def test_what_prints_as_written_is_no_error(project: Project, body: str):
    write(project, german(body + "\n\nQuelle.[@ec]"), BRIEF_ID)
    result = run_cli(project, "check", "--strict", BRIEF_ID)
    assert result.exit_code == 0, result.output


#: Mistakes that may be meant: warnings, errors with `--strict`.
WARNINGS = [
    Case("lone-asterisk", "Die Zahl ist *geschätzt.", 1, 14,
         "`*` is never closed, so it prints as an asterisk; close it (`*italic*`) or write "
         "`\\*`"),
    Case("table-row-with-a-cell-too-few", "| Stadt | Kameras |\n|---|---:|\n| Warschau |", 3, 1,
         "this row has 1 cell but the table's header has 2, so the last cell is empty; write "
         "`| |` for each empty cell"),
]


@pytest.mark.parametrize("case", WARNINGS, ids=lambda c: c.id)
def test_mistake_that_may_be_meant_warns_and_strict_refuses(project: Project, case: Case):
    write(project, german(case.body + "\n\nQuelle.[@ec]"), BRIEF_ID)
    brief = load_brief(project, BRIEF_ID)  # not an error: a warning
    line = BODY_LINE + case.line - 1
    expected = f"{FILE}:{line}:{case.col + 8}: {case.message}"
    assert [e.lines(project.root)[0] for e in warnings_for(brief)] == [expected]
    result = run_cli(project, "check", "--strict", BRIEF_ID)
    assert result.exit_code == 1
    assert expected in result.output.splitlines(), result.output


# ---------------------------------------------------------------------------------------------
# 10. A text over several lines without `|`: YAML joins its lines, Markdown blocks run together

#: The intro's body: TEXT is the YAML written after `body:` (from line 10 on, at column 5).
FOLDING = textwrap.dedent("""\
    title: {pl: "Tytuł"}
    organisation: "NGO"
    date: "2024-05-01"
    languages: [pl]
    audiences:
      full: {languages: [pl]}
    sections:
      - id: intro
        body:
    TEXT
    """)


@dataclass(frozen=True)
class Folded:
    id: str
    yaml: str  # the lines under `body:`, indented from column 1
    line: int  # of brief.yaml
    col: int
    message: str


def _without_bar(what: str, key: str = "pl", joins: str = "joins them into one line") -> str:
    return (f"this text runs over several lines without `|`, so YAML {joins} and {what}; "
            f"write `{key}: |` and indent the text below it")


FOLDED = [
    Folded("numbered-list", "  pl:\n    1. Zakazać rozpoznawania twarzy.\n"
           "    2. Wprowadzić nadzór.", 12, 9,
           _without_bar("the list prints as one item")),
    Folded("bullets-after-a-sentence", "  pl: Postulujemy\n    - zakaz,\n    - nadzór.", 11, 9,
           _without_bar("the list prints as one paragraph")),
    Folded("one-text-for-every-language", "  Postulujemy\n  - zakaz,\n  - nadzór.", 11, 7,
           _without_bar("the list prints as one paragraph", key="body")),
    Folded("table", "  pl: Dane\n    | Miasto | Kamery |\n    |---|---:|\n    | Warszawa | 120 |",
           11, 9, _without_bar("the table prints as one line of text")),
    Folded("paragraphs", "  pl: Pierwszy akapit,\n    dalej.\n\n    Drugi akapit.", 13, 9,
           _without_bar("the paragraphs print as one",
                        joins="turns the blank line into a line break")),
    Folded("folded-list", "  pl: >\n    Postulujemy:\n    - zakaz,\n    - nadzór.", 12, 9,
           "this text is folded (`>`), so YAML joins its lines and the list prints as one "
           "paragraph; write `pl: |` instead of `pl: >`"),
    Folded("folded-paragraphs", "  pl: >\n    Pierwszy akapit.\n\n    Drugi akapit.", 13, 9,
           "this text is folded (`>`), so YAML joins its lines and the paragraphs print as "
           "one; write `pl: |` instead of `pl: >`"),
]


#: A `## heading` in a text without `|`: YAML reads it as a comment.
HEADING_COMMENT = ("YAML reads this line as a comment, because it starts with #, so {what}; a "
                   "heading is not allowed in a text: start a new section with a `title:`")
FOLDED += [
    Folded("heading-after-the-text", "  pl:\n    Pierwszy akapit.\n    ## Nagłówek", 12, 9,
           "section 'intro', body (pl): " + HEADING_COMMENT.format(what="it is not printed")),
    Folded("heading-inside-the-text", "  pl:\n    Pierwszy akapit.\n    ## Nagłówek\n"
           "    Drugi akapit.", 12, 9,
           HEADING_COMMENT.format(what="the text above ends there and the lines below are not "
                                       "understood") + ", and write a text of several lines "
                                                       "under `|`"),
]


#: A quoted text whose blank line YAML made a line break: as a program writes a line break
#: (`yaml.safe_dump`), so it may be meant: a warning (an error with --strict).
QUOTED_PARAGRAPHS = Folded(
    "quoted-paragraphs", '  pl: "Pierwszy akapit.\n\n    Drugi akapit."', 12, 9,
    _without_bar("the paragraphs print as one", joins="turns the blank line into a line break")
    + " without the quotes (if one paragraph is meant, join the lines)")


@pytest.mark.parametrize("key", ["pl", "body"])
def test_a_quoted_text_with_a_blank_line_is_a_warning(project: Project, key: str):
    case = QUOTED_PARAGRAPHS
    yaml = case.yaml if key == "pl" else '  "Pierwszy akapit.\n\n  Drugi akapit."'
    write(project, FOLDING.replace("TEXT\n", textwrap.indent(yaml, "    ") + "\n"), BRIEF_ID)
    message = case.message if key == "pl" else case.message.replace("`pl: |`", "`body: |`")
    line, col = (case.line, case.col) if key == "pl" else (12, 7)
    result = run_cli(project, "check", BRIEF_ID)
    assert result.exit_code == 0, result.output
    assert f"{FILE}:{line}:{col}: warning: {message}" in result.output.splitlines(), \
        result.output
    result = run_cli(project, "check", "--strict", BRIEF_ID)
    assert result.exit_code == 1, result.output
    assert f"{FILE}:{line}:{col}: {message}" in result.output.splitlines(), result.output


@pytest.mark.parametrize("style", ["'", '"'])
def test_a_quoted_text_ending_in_a_line_break_is_read_as_yaml_reads_it(project: Project,
                                                                        style: str):
    """As `yaml.safe_dump` writes a `|` text: each line break a blank line, and the last one
    before the closing quote. Its paragraphs and list print as YAML reads them."""
    yaml = (f"  pl: {style}Pierwszy akapit,\n\n    dalej.\n\n\n    - zakaz,\n\n"
            f"    - nadzór.\n\n    {style}")
    write(project, FOLDING.replace("TEXT\n", textwrap.indent(yaml, "    ") + "\n"), BRIEF_ID)
    result = run_cli(project, "check", "--strict", BRIEF_ID)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("case", FOLDED, ids=lambda c: c.id)
def test_a_text_yaml_folded_is_a_located_error(project: Project, case: Folded):
    write(project, FOLDING.replace("TEXT\n", textwrap.indent(case.yaml, "    ") + "\n"),
          BRIEF_ID)
    result = run_cli(project, "check", BRIEF_ID)
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[0] == f"{FILE}:{case.line}:{case.col}: {case.message}"


@pytest.mark.parametrize("yaml", [
    "  pl: Zwykły tekst, który autor\n    zawinął w kilku liniach.",
    '  pl: "Tekst w cudzysłowie,\n    też zawinięty."',
    "  pl: >\n    Tekst zawinięty w `>`,\n    w dwóch liniach.",
    "  pl: >\n    Postulujemy:\n      - zakaz,\n      - nadzór.",  # kept: more indented
    "  pl: |\n    Postulujemy:\n\n    1. zakaz,\n    2. nadzór.",
])
def test_prose_wrapped_over_lines_is_no_error(project: Project, yaml: str):
    write(project, FOLDING.replace("TEXT\n", textwrap.indent(yaml, "    ") + "\n"), BRIEF_ID)
    result = run_cli(project, "check", "--strict", BRIEF_ID)
    assert result.exit_code == 0, result.output


def test_build_refuses_a_folded_list_and_an_unclosed_bold(project: Project):
    write(project, FOLDING.replace("TEXT\n", textwrap.indent(FOLDED[0].yaml, "    ") + "\n"),
          BRIEF_ID)
    result = run_cli(project, "build", BRIEF_ID)
    assert result.exit_code == 1
    assert f"{FILE}:12:9: {FOLDED[0].message}" in result.output.splitlines(), result.output
    write(project, german("Die Daten **stammen aus der Studie."), BRIEF_ID)
    result = run_cli(project, "build", BRIEF_ID)
    assert result.exit_code == 1
    assert f"{FILE}:11:19: `**` is never closed" in result.output, result.output
    assert not project.output_path(OutputId(BRIEF_ID, "full", "de")).exists()


def test_anchor_to_a_section_left_out_for_the_audience(project: Project):
    """`#background` exists in the `full` output but not in `mep`, which leaves it out."""
    write(project, textwrap.dedent("""\
        title: {de: "Titel"}
        organisation: "NGO"
        date: "2024-05-01"
        languages: [de]
        audiences:
          full: {languages: [de]}
          mep: {languages: [de], contact: false}
        sections:
          - id: intro
            body: {de: "Siehe [Hintergrund](#background)."}
          - id: background
            audiences: [full]
            body: {de: "Hintergrund."}
        """), BRIEF_ID)
    result = run_cli(project, "check", BRIEF_ID)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{FILE}:10:37: link to '#background' goes nowhere in the 'mep' output (de): no section "
        "there has that id; link to one of: intro")


def test_bare_at_key_warns_and_strict_refuses(project: Project):
    write(project, german("Laut @fra ist das so.[@ec] Schreiben Sie an info@fra.example.org."),
          BRIEF_ID)
    brief = load_brief(project, BRIEF_ID)  # not an error: a warning
    messages = [e.lines()[0] for e in warnings_for(brief)]
    assert messages == [f"{project.root / FILE}:11:14: '@fra' prints as text; did you mean "
                        "[@fra]?"]
    result = run_cli(project, "check", "--strict", BRIEF_ID)
    assert result.exit_code == 1
    assert f"{FILE}:11:14: '@fra' prints as text; did you mean [@fra]?" in result.output


def test_an_address_without_scheme_in_text_is_a_web_link_printed_as_written(project: Project):
    """linkify: `www.example.org` in running text is a link to the web, never a file: link, and
    prints as written, an address (class `url`: never hyphenated, broken at its boundaries)."""
    html = intro_html(project, "Mehr auf www.example.org.")
    assert '<a href="http://www.example.org" class="url">' in html
    assert "www<wbr>.example<wbr>.org</a>." in html
    assert "file:" not in html


# ---------------------------------------------------------------------------------------------
# 3. A call is attached to the word before it


def intro_html(project: Project, body: str, language: str = "de") -> str:
    write(project, german(body), BRIEF_ID)
    brief = load_brief(project, BRIEF_ID)
    html, _ = output_html(project, brief, brief.audiences[0], language)
    return html.split('<section id="intro"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize("body", ["Sie ist eins. [@ec]", "Sie ist eins.\n[@ec]",
                                  "Sie ist eins. ^[Eine Notiz.]", "Sie ist eins.  \n[@ec]"])
def test_no_space_or_line_break_before_a_call_in_the_html(project: Project, body: str):
    html = intro_html(project, body)
    assert re.search(r'eins\.\u2060<span class="fn" id="fn-1"', html), html  # joined


def test_multiple_citations_are_two_calls(project: Project):
    html = intro_html(project, "Zwei Quellen.[@fra; @ec, S. 3]")
    assert re.search(r'Quellen\.\u2060<span class="fn" id="fn-1" data-fn="1">.*?Bericht.*?'
                     r'</span>\u2060<span class="fn fn-adjacent" id="fn-2" data-fn="2">'
                     r'.*?Überblick.*?S\. 3',
                     html), html


@pytest.mark.slow
def test_calls_print_after_their_word_in_the_pdf(project: Project):
    body = ("Das Amt setzt die Regeln ein. [@ec] Es prüft sie\n[@fra, S. 7] und zwei Quellen "
            "stützen das. [@fra; @ec]")
    write(project, german(body), BRIEF_ID)
    assert build(project, [BRIEF_ID]).ok
    text = pages_text(project.output_path(OutputId(BRIEF_ID, "full", "de")))[0]
    flat = " ".join(text.split()).replace("\u2010 ", "")  # a word hyphenated at a line's end
    assert "ein.1 Es prüft sie2 und zwei Quellen stützen das.3,4" in flat, flat


# ---------------------------------------------------------------------------------------------
# 4. Every printed text gets its language's quotation marks


QUOTED = textwrap.dedent("""\
    title: {LANG: "“Vier Risikostufen” für l'IA"}
    subtitle: {LANG: "\\"Europe's\\" Weg"}
    organisation: "'t Hoen \\"NGO\\""
    date: "2024-05-01"
    languages: [LANG]
    audiences:
      mep: {languages: [LANG]}
    contact: {name: {LANG: "Team \\"Recht\\""}, email: "a@example.org"}
    sections:
      - id: intro
        title: {LANG: "Was heißt “Risiko”?"}
        body: {LANG: "Sie sagte “ja” und 'nein' zu l'IA.[@ec, Kap. \\"Risiken\\"]"}
    sources:
      ec: {title: "Europe's \\"AI\\" Act", publisher: "“Kommission”", url: "https://example.org/ec"}
    """)

#: language → (title, subtitle, section title, body, source title, locator, contact name,
#: publisher), each with the language's quotation marks (`locale.QUOTES`: first pair for "…",
#: second for '…'; where CLDR's two levels are the same, `locale.SECOND_LEVEL`, the depth
#: decides, so a top-level '…' gets the first pair). The body's full stop comes after the note
#: call in the languages that set it so (`CALL_BEFORE_PUNCTUATION`: "l’IA¹.").
def _expected(language: str) -> tuple[str, ...]:
    o, c, o2, c2 = QUOTES[language]
    if language in SECOND_LEVEL:
        o2, c2 = o, c
    high = "\u202f" if language == "fr" else ""  # French spacing before ; : ! ?
    stop = "" if language in CALL_BEFORE_PUNCTUATION else "."
    return (f"{o}Vier Risikostufen{c} für l’IA", f"{o}Europe’s{c} Weg",
            f"Was heißt {o}Risiko{c}{high}?",
            f"Sie sagte {o}ja{c} und {o2}nein{c2} zu l’IA{stop}", f"Europe’s {o}AI{c} Act",
            f"Kap. {o}Risiken{c}", f"Team {o}Recht{c}", f"{o}Kommission{c}")


EXPECTED_QUOTES = {language: _expected(language) for language in ("de", "fr", "pl", "nl", "en")}


def test_the_expected_quotes_are_the_languages_own():
    assert EXPECTED_QUOTES["de"][0] == "„Vier Risikostufen“ für l’IA"
    assert EXPECTED_QUOTES["fr"][0] == "«\u202fVier Risikostufen\u202f» für l’IA"
    assert EXPECTED_QUOTES["pl"][3] == "Sie sagte „ja” und «nein» zu l’IA"  # l’IA¹.
    assert EXPECTED_QUOTES["nl"][3] == "Sie sagte ‘ja’ und ‘nein’ zu l’IA."


def quoted_html(project: Project, language: str) -> str:
    write(project, QUOTED.replace("LANG", language), BRIEF_ID)
    brief = load_brief(project, BRIEF_ID)
    html, _ = output_html(project, brief, brief.audiences[0], language)
    return html.replace("\u00a0", " ")  # the last two words of a paragraph are tied


@pytest.mark.parametrize("language", sorted(EXPECTED_QUOTES))
def test_every_printed_text_gets_the_languages_quotes(project: Project, language: str):
    html = quoted_html(project, language)
    title, subtitle, section, body, source, locator, contact, publisher = (
        EXPECTED_QUOTES[language])
    assert f"<h1>{title}</h1>" in html
    assert f"<title>{title}</title>" in html
    assert f'<p class="subtitle">{subtitle}</p>' in html
    assert f"<h2>{section}</h2>" in html
    assert f'<p data-calls="1">{body}\u2060<span' in html
    if language in CALL_BEFORE_PUNCTUATION:  # the full stop after the call
        assert re.search(r'data-fn="1">[^<]*(?:<[^>]*>[^<]*)*?</span>\.</p>', html), html
    assert f">{source}</a></span>, {publisher}, {locator}." in html
    assert f'<span class="name">{contact}</span>' in html
    assert "’t Hoen" in html  # an apostrophe starting a word stays one


@pytest.mark.slow
def test_german_quotes_in_the_real_pdf(project: Project):
    write(project, QUOTED.replace("LANG", "de"), BRIEF_ID)
    assert build(project, [BRIEF_ID]).ok
    pages = pages_text(project.output_path(OutputId(BRIEF_ID, "mep", "de")))
    text = " ".join(" ".join(pages).split())
    for expected in EXPECTED_QUOTES["de"]:
        assert expected in text, (expected, text)
    assert "“Vier" not in text and "\"" not in text


# ---------------------------------------------------------------------------------------------
# 6. Figures: captions, and no hole before a figure that does not fit


def test_image_alone_in_its_paragraph_is_a_figure_with_its_title_as_caption():
    tokens = syntax.parse('![Balkendiagramm](chart.png "Meldungen „pro“ Jahr")\n', "de")
    html = render.to_html(tokens, render.RenderContext(lambda k, loc, form: ""), "de")
    assert html == ('<figure><img src="chart.png" alt="Balkendiagramm" />'
                    "<figcaption>Meldungen „pro“\u00a0Jahr</figcaption>\n</figure>\n")


LONG = ("Der Text vor der Grafik erklärt, was sie zeigt, und er ist lang genug, um einige "
        "Zeilen zu füllen. ") * 3
FIGURE_BRIEF = textwrap.dedent("""\
    title: {en: "Figures"}
    organisation: "NGO"
    date: "2024-05-01"
    languages: [en]
    audiences:
      full: {languages: [en], max_pages: 6}  # one column (a figure in mep's columns: see mep.css)
    contact: {name: {en: "Team"}, email: "a@example.org"}
    sections:
      - id: intro
        title: {en: "Intro"}
        body:
          en: |
    BODY
    """)


def figure_project(project: Project, body: str, height: int) -> Path:
    write(project, german(body, FIGURE_BRIEF), BRIEF_ID)
    (project.content / BRIEF_ID / "chart.png").write_bytes(tiny_png(600, height))
    result = build(project, [BRIEF_ID])
    assert result.ok, [e.format_message() for _, e in result.failed]
    return project.output_path(OutputId(BRIEF_ID, "full", "en"))


@pytest.mark.slow
def test_figure_and_caption_are_tagged_in_the_ua_output(project: Project):
    pdf = figure_project(project, 'Text.\n\n![A bar chart](chart.png "Reports per year")\n\nMore.',
                         300)
    with pikepdf.open(pdf) as doc:
        kinds = []

        def visit(node: pikepdf.Object) -> None:
            if isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    kinds.append(str(node.S))
                kids = node.get("/K")
                for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                    visit(kid)

        visit(doc.Root.StructTreeRoot)
    assert "/Figure" in kinds and "/Caption" in kinds, kinds
    assert kinds.index("/Caption") > kinds.index("/Figure")
    text = " ".join(pages_text(pdf)[0].split())
    assert "Text. Reports per year More." in text, text


@pytest.mark.slow
def test_text_after_a_figure_fills_the_page_the_figure_did_not_fit_on(project: Project):
    """A tall figure that does not fit at the foot of page 1 goes to page 2, and the paragraph
    after it moves up to fill page 1 (as LaTeX floats do), instead of a hole."""
    body = "\n\n".join([LONG] * 5 + ["![A tall chart](chart.png \"A tall chart\")",
                                     "AFTER-FIGURE " + LONG, "LAST-PARAGRAPH " + LONG])
    pdf = figure_project(project, body, 900)
    pages = [page.replace("\u00a0", " ") for page in pages_text(pdf)]
    assert "AFTER-FIGURE" in pages[0], pages
    assert "A tall chart" in pages[1], pages
    assert "AFTER-FIGURE" not in pages[1]
