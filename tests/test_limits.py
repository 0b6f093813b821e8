"""Limits on what a brief and a recipient list may hold, checked before anything is rendered:
ids that name files (length, names Windows reserves), words too long for any line, raw HTML in
a plain text, SVG files WeasyPrint would refuse without a reason; and every message printed
free of control characters. See docs/security.md (Bombs and limits)."""

from __future__ import annotations

import time

import pytest

from generator.errors import (
    BriefError,
    ContentError,
    Mark,
    printable,
    show_errors,
    show_notes,
    show_warnings,
)
from generator.make.audit import ADDRESS_RE
from generator.read.images import image_problem
from generator.read.recipients import load_recipients
from generator.run.pipeline import load_brief

from .support import SAMPLE, TINY, run_cli, write


def errors_of(project, text) -> list[str]:
    write(project, text)
    with pytest.raises(BriefError) as info:
        load_brief(project, "tiny")
    return info.value.lines(project.root)


# ---------------------------------------------------------------------------------------------
# Ids that name files


LONG_ID = "a" * 300
RESERVED = ["con", "nul", "aux", "prn", "com1", "lpt9"]


def test_a_300_character_brief_id_fails_check_located(project):
    """The finding: a 300-character id passed `check`, then failed unlocated ("File name too
    long")."""
    write(project, TINY, brief_id=LONG_ID[:200])  # a folder name may hold 255 bytes
    result = run_cli(project, "check", LONG_ID[:200])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"content/{LONG_ID[:200]}/brief.yaml:1: brief id '{'a' * 40}…' (the folder's name) is "
        "200 characters long, more than the 64 an id may have (it names files); shorten it, "
        f"e.g. to '{'a' * 40}'; rename the folder")


@pytest.mark.parametrize("name", RESERVED)
def test_a_brief_id_windows_reserves_is_refused(project, name):
    write(project, TINY, brief_id=name)
    result = run_cli(project, "check", name)
    assert result.exit_code == 1
    assert result.output.startswith(
        f"content/{name}/brief.yaml:1: brief id '{name}' (the folder's name) is a name Windows "
        f"reserves for a device ({name.upper()}): no file or folder there may have it; choose "
        f"another, e.g. '{name}-1'; rename the folder")


def test_an_ordinary_brief_id_that_starts_like_a_reserved_name_is_fine(project):
    write(project, TINY, brief_id="console")
    assert run_cli(project, "check", "console").exit_code == 0


@pytest.mark.parametrize(("value", "message"), [
    (LONG_ID, f"id '{'a' * 40}…' is 300 characters long, more than the 64 an id may have (it "
     f"names files); shorten it, e.g. to '{'a' * 40}'"),
    ("nul", "id 'nul' is a name Windows reserves for a device (NUL): no file or folder there "
     "may have it; choose another, e.g. 'nul-1'"),
    ("com1", "id 'com1' is a name Windows reserves for a device (COM1): no file or folder "
     "there may have it; choose another, e.g. 'com1-1'"),
])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_recipient_id_too_long_or_reserved_is_an_error_at_its_cell(tmp_path, value, message,
                                                                     suffix):
    import openpyxl

    rows = [("id", "name", "language"), (value, "Zoë", "sv"), ("ivan", "Иван", "bg")]
    path = tmp_path / f"recipients{suffix}"
    if suffix == ".csv":
        path.write_text("".join(",".join(row) + "\n" for row in rows), encoding="utf-8")
    else:
        workbook = openpyxl.Workbook()
        for row in rows:
            workbook.active.append(row)
        workbook.save(path)
    people, errors = load_recipients(path, None)  # type: ignore[arg-type]  # unused
    where = "recipients.csv:2" if suffix == ".csv" else "recipients.xlsx:Sheet!A2"
    assert [line for e in errors for line in e.lines(tmp_path)] == [f"{where}: {message}"]
    assert [p.id for p in people] == ["ivan"]


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("  - id: intro", f"  - id: {LONG_ID}", 7,
     f", id '{'a' * 40}…' is 300 characters long, more than the 64 an id may have"),
    ("audiences: [full, mep]", "audiences: [full, nul]", 5,
     "audiences 'nul' is a name Windows reserves for a device (NUL)"),
])
def test_section_ids_and_audience_names_are_held_to_the_limits(project, old, new, line,
                                                               message):
    lines = errors_of(project, TINY.replace(old, new, 1))
    assert any(text.startswith(f"content/tiny/brief.yaml:{line}:") and message in text
               for text in lines), lines


def test_a_section_id_may_be_a_name_windows_reserves(project):
    """(A section's id is an anchor in the PDF, no file's name.)"""
    write(project, TINY.replace("  - id: intro", "  - id: aux", 1))
    assert run_cli(project, "check", "tiny").exit_code == 0


# ---------------------------------------------------------------------------------------------
# Words too long for any line; raw HTML in plain texts


WORD = "W" * 101


@pytest.mark.parametrize(("old", "new", "line", "field"), [
    ('title: {nl: "Titel", en: "Title"}', f'title: {{nl: "Titel", en: "Title {WORD}"}}', 1,
     "title (en)"),
    ('organisation: "NGO"', f'organisation: "NGO {WORD}"', 2, "organisation"),
    ('nl: "Tekst.[@src]"', f'nl: "Tekst {WORD} [@src]"', 9, "section 'intro', body (nl)"),
    ('title: {nl: "Alleen NL"}', f'title: {{nl: "Alleen {WORD}"}}', 13,
     "section 'only-full', title (nl)"),
    ('title: "Bron"', f'title: "Bron {WORD}"', 16, "source 'src', title"),
])
def test_a_word_too_long_for_any_line_is_an_error_before_rendering(project, old, new, line,
                                                                   field):
    """The finding: a 200,000-character word in a subtitle ran off the page (and laying out
    a long word with hyphenation takes minutes: 2,000 letters, one)."""
    assert old in TINY
    lines = errors_of(project, TINY.replace(old, new, 1))
    expected = (f"{field}: a word of 101 characters ('{'W' * 30}…') cannot break at the end of "
                "a line and would run off the page; shorten it or add a break (a hyphen or "
                "space)")
    assert any(text.startswith(f"content/tiny/brief.yaml:{line}:") and text.endswith(expected)
               for text in lines), lines


def test_a_subtitle_of_200000_characters_is_refused_at_once(project):
    text = TINY.replace('organisation: "NGO"', 'organisation: "NGO"\nsubtitle: "Een '
                        + "W" * 200_000 + ' woord"')
    lines = errors_of(project, text)
    assert lines == [
        "content/tiny/brief.yaml:3:16: subtitle: a word of 200,000 characters "
        f"('{'W' * 30}…') cannot break at the end of a line and would run off the page; shorten "
        "it or add a break (a hyphen or space)"]


def test_a_long_word_is_searched_for_addresses_in_linear_time():
    """The audit looks for e-mail addresses in every printed text: a word of 200,000 letters
    took `brief check` over three minutes when each of its letters began a new search."""
    start = time.monotonic()
    assert [m[0] for m in ADDRESS_RE.finditer("W" * 100_000 + " a.b@example.org")] == [
        "a.b@example.org"]
    assert time.monotonic() - start < 1


def test_check_of_a_subtitle_of_200000_characters_ends_at_once(project):
    write(project, TINY.replace('organisation: "NGO"', 'organisation: "NGO"\nsubtitle: "Een '
                                + "W" * 200_000 + ' woord"'))
    start = time.monotonic()
    result = run_cli(project, "check", "tiny")
    assert time.monotonic() - start < 30
    assert result.exit_code == 1
    assert "subtitle: a word of 200,000 characters" in result.output


@pytest.mark.parametrize("address", [
    "https://example.org/" + "a" * 150, "www.example.org/" + "a" * 150,
    "[link](https://example.org/" + "a" * 150 + ")", "a" * 120 + "@example.org",
])
def test_a_long_web_or_mail_address_is_no_word(project, address):
    write(project, TINY.replace('nl: "Tekst.[@src]"', f'nl: "Tekst {address}.[@src]"', 1))
    result = run_cli(project, "check", "tiny")
    assert "cannot break at the end of a line" not in result.output


@pytest.mark.parametrize(("field", "old", "new", "line"), [
    ("subtitle", 'organisation: "NGO"', 'organisation: "NGO"\nsubtitle: "Een <b>vet</b> woord"',
     3),
    ("organisation", 'organisation: "NGO"', 'organisation: "<script>alert(1)</script>"', 2),
    ("title (nl)", 'title: {nl: "Titel", en: "Title"}',
     'title: {nl: "Titel <img src=x>", en: "Title"}', 1),
    ("section 'only-full', title (nl)", 'title: {nl: "Alleen NL"}',
     'title: {nl: "Alleen <i>NL</i>"}', 13),
    ("source 'src', title", 'title: "Bron"', 'title: "Bron <!-- x -->"', 16),
])
def test_raw_html_in_a_plain_text_is_an_error_as_in_markdown(project, field, old, new, line):
    """The finding: HTML in a plain field (the subtitle) printed as text without the error
    docs/security.md promises for raw HTML."""
    assert old in TINY
    lines = errors_of(project, TINY.replace(old, new, 1))
    hits = [text for text in lines if text.startswith(f"content/tiny/brief.yaml:{line}:")
            and f"{field}: raw HTML " in text]
    assert hits and hits[0].endswith("is not allowed: this field is plain text, which would "
                                     "print the tag as written; remove it"), lines


def test_brackets_that_are_no_html_are_fine_in_a_plain_text(project):
    write(project, TINY.replace('organisation: "NGO"',
                                'organisation: "NGO <info@ngo.example> a < b > c <2024>"', 1))
    result = run_cli(project, "check", "tiny")
    assert "raw HTML" not in result.output


# ---------------------------------------------------------------------------------------------
# SVG files refused with a reason


SVGS = {
    "broken.svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><text>open</svg>',
                   "image 'broken.svg' cannot be read as SVG: mismatched tag on line 1, column "
                   "53; open it in a drawing program and export it again"),
    "external.svg": (b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM '
                     b'"file:///etc/passwd">]>\n<svg xmlns="http://www.w3.org/2000/svg">'
                     b"<text>&x;</text></svg>",
                     "image 'external.svg' declares the external entity 'x', which would read "
                     "another file; export the SVG again without it"),
    "laughs.svg": (b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "ha"><!ENTITY b "&a;&a;'
                   b'&a;">]>\n<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
                   "image 'laughs.svg' declares the entity 'b' in terms of other entities, "
                   "which can grow without end (a \"billion laughs\"); export the SVG again "
                   "without a DOCTYPE"),
}


@pytest.mark.parametrize("name", sorted(SVGS))
def test_an_svg_is_refused_with_its_reason(tmp_path, name):
    """The finding: SVG refusals printed an empty reason."""
    data, message = SVGS[name]
    (tmp_path / name).write_bytes(data)
    assert image_problem(tmp_path, name) == message


def test_an_svg_refusal_reaches_check_located(project):
    write(project, TINY.replace('nl: "Tekst.[@src]"', 'nl: "![Grafiek](broken.svg) [@src]"'))
    (project.content / "tiny" / "broken.svg").write_bytes(SVGS["broken.svg"][0])
    result = run_cli(project, "check", "tiny")
    assert result.exit_code == 1
    assert "content/tiny/brief.yaml:9:" in result.output
    assert "image 'broken.svg' cannot be read as SVG: mismatched tag on line 1" in result.output


@pytest.mark.parametrize("data", [
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    b'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/'
    b'Graphics/SVG/1.1/DTD/svg11.dtd" [<!ENTITY ns_svg "http://www.w3.org/2000/svg">]>\n'
    b'<svg xmlns="&ns_svg;" width="10" height="10"/>',  # as Illustrator writes them
])
def test_good_svgs_pass(tmp_path, data):
    (tmp_path / "figure.svg").write_bytes(data)
    assert image_problem(tmp_path, "figure.svg") is None


# ---------------------------------------------------------------------------------------------
# Messages free of control characters


NASTY = "Zoë \x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\x00\tend"


def test_printable_writes_every_control_out_but_the_line_break():
    assert printable(NASTY + "\nnext") == (
        "Zoë \\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202eevil\\x00\\tend\nnext")


@pytest.mark.parametrize("show", [show_errors, show_warnings, show_notes])
def test_errors_warnings_and_notes_are_printed_without_controls(tmp_path, capsys, show):
    error = ContentError(Mark(tmp_path / "recipients.csv", 2), f"the name {NASTY}")
    show([error, ContentError(None, NASTY)], tmp_path)
    printed = capsys.readouterr().err
    assert "recipients.csv:2" in printed and "\\x1b]0;pwned\\x07" in printed
    assert not any(c in printed for c in "\x1b\x07\x9b\u202e\x00\t")


def test_a_log_line_is_printed_without_controls(project):
    import logging

    from generator.run.cli import _configure_logging, _StderrHandler

    _configure_logging(False)
    handler = next(h for h in logging.getLogger("generator").handlers
                   if isinstance(h, _StderrHandler))
    record = logging.LogRecord("generator.x", logging.INFO, __file__, 1, "changed: %s",
                               (NASTY,), None)
    assert handler.format(record) == "changed: " + printable(NASTY)


def test_the_fallback_warning_escapes_a_name(project):
    """The finding: a name's escape sequences reached the terminal in the fallback warning.
    (Control characters are refused in the list now; a bidirectional override is not a control
    character there, and is written out here.)"""
    path = project.content / SAMPLE / "recipients.csv"
    path.write_text("id,name,language,committee\nzoe,Zoë \u202eevil,sv,LIBE\n",
                    encoding="utf-8")
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep", "--strict")
    assert result.exit_code == 1
    assert "zoe (Zoë \\u202eevil: sv, audience 'mep' is not built in it)" in result.output
    assert "\u202e" not in result.output


@pytest.mark.parametrize(("msgstr", "message"), [
    (f"A selection {WORD}", "subtitle (en): a word of 101 characters"),
    ("A <b>selection</b>", "subtitle (en): raw HTML '<b>' is not allowed"),
])
def test_a_translation_is_held_to_the_same_limits(project, msgstr, message):
    from .support import edit, english

    edit(english(project), 'msgstr "A selection of advice from Dutch experts"',
         f'msgstr "{msgstr}"')
    result = run_cli(project, "check", SAMPLE)
    assert result.exit_code == 1
    assert any(line.startswith(f"content/{SAMPLE}/translations/en.po:") and message in line
               for line in result.output.splitlines()), result.output
