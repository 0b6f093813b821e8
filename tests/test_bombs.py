"""Bombs and limits: recipient lists too large to read (a workbook's zip bomb, millions of shared
strings, rows, columns, cells, a cell's length), read within limits and refused with a located
error before they are unpacked; the sheet of a workbook that is read, and said; control
characters in a list located at their cell. See docs/security.md (Bombs and limits)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile

import openpyxl
import pytest

from generator.read import recipients as recipients_module
from generator.read.recipients import ListTooLarge, RecipientNote, load_recipients

from .support import REPO, SAMPLE, pages_text, run_cli

HEADER = ("id", "name", "language")
PEOPLE = [("zoe", "Zoë Ångström", "sv"), ("ivan", "Иван Петров", "bg")]


def messages(errors, root) -> list[str]:
    return [line for error in errors for line in error.lines(root)]


def load(path, **options):
    people, errors = load_recipients(path, None, **options)  # type: ignore[arg-type]  # unused
    return people, messages(errors, path.parent)


def save_workbook(path, sheets: dict[str, list[tuple[object, ...]]],
                  hidden: tuple[str, ...] = (), state: str = "hidden"):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
        if title in hidden:
            sheet.sheet_state = state
    workbook.save(path)
    return path


def with_part(path, name: str, chunks, *, level: int = 9):
    """The workbook at `path` with its part `name` replaced by the bytes of `chunks` (written
    as a stream, so that a test never holds a bomb's unpacked bytes)."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for filename, data in parts.items():
            if filename == name:
                with target.open(filename, "w", force_zip64=True) as stream:
                    for chunk in chunks:
                        stream.write(chunk)
            else:
                target.writestr(filename, data)
    return path


def shared_strings(*strings: bytes, repeat: tuple[bytes, int] | None = None):
    """A sharedStrings.xml as chunks: `strings`, then `repeat`'s string so many times."""
    yield (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
    for text in strings:
        yield b"<si><t>" + text + b"</t></si>"
    if repeat is not None:
        text, times = repeat
        block = (b"<si><t>" + text + b"</t></si>") * 10_000
        for _ in range(times // 10_000):
            yield block
    yield b"</sst>"


def one_huge_string(size: int):
    """A shared string of `size` bytes, after the list's own strings (a 1 MB file)."""
    own = [text.encode() for row in [HEADER, *PEOPLE] for text in row]
    chunk = b"A" * 2**20
    yield from shared_strings(*own)
    yield b"<si><t>"  # after the list's strings: openpyxl reads the whole table anyway
    for _ in range(size // len(chunk)):
        yield chunk
    yield b"</t></si>"


def workbook_with_strings(tmp_path, chunks):
    """A workbook as Excel writes it: its cells (`HEADER`, `PEOPLE`) refer to its shared strings
    (which openpyxl does not write), the part made of `chunks`."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    rows, index = [], 0
    for number, row in enumerate([HEADER, *PEOPLE], start=1):
        cells = ""
        for column, _ in zip("ABC", row, strict=True):
            cells += f'<c r="{column}{number}" t="s"><v>{index}</v></c>'
            index += 1
        rows.append(f'<row r="{number}">{cells}</row>')
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kind}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}.sharedStrings+xml"/>'
            "</Types>"),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{office}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{office}"><sheets><sheet name="Sheet1" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{office}/worksheet" '
            'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="'
            f'{office}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData>{"".join(rows)}</sheetData></worksheet>'),
    }
    path = tmp_path / "recipients.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name, text in parts.items():
            target.writestr(name, text)
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as stream:
            for chunk in chunks:
                stream.write(chunk)
    return path


def test_a_workbook_with_shared_strings_is_read(tmp_path):
    """(The workbooks of the bombs below, without the bomb, are good lists.)"""
    own = [text.encode() for row in [HEADER, *PEOPLE] for text in row]
    people, errors = load(workbook_with_strings(tmp_path, shared_strings(*own)))
    assert errors == [] and [p.name for p in people] == ["Zoë Ångström", "Иван Петров"]


# ---------------------------------------------------------------------------------------------
# Workbook bombs: refused from the zip's directory, before anything is unpacked


@pytest.mark.slow
def test_a_shared_string_of_a_gigabyte_is_refused_in_the_memory_of_a_worker(tmp_path):
    """The finding: a 1 MB workbook holding one shared string of 1 GB took the parent to 6.2 GB
    and ended in a traceback. Read in a process limited as a render worker is (its memory now
    plus 256 MB), a string of 400 MB (in 400 kB) is a located error."""
    path = workbook_with_strings(tmp_path, one_huge_string(400 * 2**20))
    assert path.stat().st_size < 2**20
    script = textwrap.dedent(f"""\
        import resource, sys
        from pathlib import Path
        from generator.read.recipients import load_recipients
        from generator.run.workers import _address_space
        limit = _address_space() + 256 * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        people, errors = load_recipients(Path({str(path)!r}), None)
        print(people, [line for e in errors for line in e.lines(Path({str(tmp_path)!r}))])
        """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=REPO, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == (
        "() ['recipients.xlsx:1: recipients.xlsx is too large to read: its shared strings "
        "xl/sharedStrings.xml is 400 MB unpacked, more than the 16 MB brief reads; copy the "
        "recipients (id, name, language …) into a new workbook and save that, or save the "
        "list as CSV UTF-8']")


def test_twelve_million_shared_strings_are_refused_at_once(tmp_path):
    """The finding: 12 million shared strings in 3.9 MB took 2.9 GB and 126 s."""
    path = workbook_with_strings(tmp_path, shared_strings(repeat=(b"x", 12_000_000)))
    assert path.stat().st_size < 4 * 2**20
    people, errors = load(path)
    assert people == ()
    assert errors == [
        "recipients.xlsx:1: recipients.xlsx is too large to read: its shared strings "
        "xl/sharedStrings.xml is 194.5 MB unpacked, more than the 16 MB brief reads; copy the "
        "recipients (id, name, language …) into a new workbook and save that, or save the list "
        "as CSV UTF-8"]


def test_a_sheet_too_large_unpacked_is_refused(tmp_path):
    path = save_workbook(tmp_path / "recipients.xlsx", {"Sheet1": [HEADER, *PEOPLE]})
    cell = b'<c t="inlineStr"><is><t>' + b"x" * 1000 + b"</t></is></c>"
    block = (b"<row>" + cell * 1024 + b"</row>")  # about 1 MB

    def sheet():
        yield (b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.'
               b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        for _ in range(66):
            yield block
        yield b"</sheetData></worksheet>"

    with_part(path, "xl/worksheets/sheet1.xml", sheet(), level=1)
    _, errors = load(path)
    assert errors == [
        "recipients.xlsx:1: recipients.xlsx is too large to read: its part "
        "xl/worksheets/sheet1.xml is 66.8 MB unpacked, more than the 64 MB brief reads; copy "
        "the recipients (id, name, language …) into a new workbook and save that, or save the "
        "list as CSV UTF-8"]


def test_a_part_packed_too_tightly_is_refused_under_the_size_limits(tmp_path):
    path = save_workbook(tmp_path / "recipients.xlsx", {"Sheet1": [HEADER, *PEOPLE]})
    with_part(path, "docProps/app.xml", [b" " * (3 * 2**20)])
    _, errors = load(path)
    assert len(errors) == 1 and errors[0].startswith(
        "recipients.xlsx:1: recipients.xlsx is packed too tightly to be a recipient list: "
        "docProps/app.xml is 3 MB unpacked from ")
    assert "more than 200 times (a zip bomb?); copy the recipients" in errors[0]


def test_all_parts_together_too_large_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(recipients_module, "MAX_WORKBOOK_BYTES", 4096)
    path = save_workbook(tmp_path / "recipients.xlsx", {"Sheet1": [HEADER, *PEOPLE]})
    _, errors = load(path)
    assert len(errors) == 1 and errors[0].startswith(
        "recipients.xlsx:1: recipients.xlsx is too large to read: ")
    assert "unpacked, more than the 4 kB brief reads" in errors[0]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_file_too_large_on_disk_is_refused_before_it_is_read(tmp_path, monkeypatch, suffix):
    monkeypatch.setattr(recipients_module, "MAX_FILE_BYTES", 1024)
    path = tmp_path / f"recipients{suffix}"
    if suffix == ".csv":
        path.write_text("id,name,language\n" + "zoe,Zoë,sv\n" * 200, encoding="utf-8")
    else:
        save_workbook(path, {"Sheet1": [HEADER, *PEOPLE]})
    people, errors = load(path)
    assert people == ()
    assert len(errors) == 1 and errors[0].startswith(
        f"recipients{suffix}:1: recipients{suffix} is ")
    assert errors[0].endswith(
        "more than the 1 kB brief reads as a recipient list; keep only the recipients' rows "
        "and columns in it (id, name, language …), or split it into several lists "
        "(--recipients FILE for each)")


def test_a_file_that_is_not_a_zip_is_still_said_to_be_no_workbook(tmp_path):
    path = tmp_path / "recipients.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    people, errors = load(path)
    assert people == () and len(errors) == 1
    assert errors[0].startswith("recipients.xlsx:1: recipients.xlsx cannot be read as an Excel "
                                "workbook (")


# ---------------------------------------------------------------------------------------------
# Rows, columns, cells and a cell's length, in both kinds of list


def write_list(tmp_path, suffix: str, rows: list[tuple[object, ...]]):
    path = tmp_path / f"recipients{suffix}"
    if suffix == ".csv":
        path.write_text("".join(",".join(str(c) for c in row) + "\n" for row in rows),
                        encoding="utf-8")
    else:
        save_workbook(path, {"Sheet1": rows})
    return path


def place(suffix: str, column: str, row: int) -> str:
    return f"recipients.csv:{row}" if suffix == ".csv" else f"recipients.xlsx:Sheet1!{column}{row}"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_too_many_rows_are_refused_at_the_first_row_past_the_limit(tmp_path, monkeypatch,
                                                                   suffix):
    monkeypatch.setattr(recipients_module, "MAX_ROWS", 3)
    rows = [HEADER, *((f"r{i}", f"Person {i}", "de") for i in range(5))]
    people, errors = load(write_list(tmp_path, suffix, rows))
    assert people == ()
    assert errors == [f"{place(suffix, 'A', 5)}: recipients{suffix} has more than 3 rows, the "
                      "most brief reads in a recipient list; split it into several lists "
                      "(--recipients FILE for each)"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_too_many_cells_are_refused(tmp_path, monkeypatch, suffix):
    monkeypatch.setattr(recipients_module, "MAX_CELLS", 10)
    rows = [HEADER, *((f"r{i}", f"Person {i}", "de") for i in range(5))]
    people, errors = load(write_list(tmp_path, suffix, rows))
    assert people == ()
    assert errors == [f"{place(suffix, 'A', 4)}: recipients{suffix} has more than 10 cells, the "
                      "most brief reads in a recipient list; delete the columns the letters do "
                      "not use, or split it into several lists (--recipients FILE for each)"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_value_past_the_last_column_read_is_refused_at_its_cell(tmp_path, monkeypatch,
                                                                  suffix):
    monkeypatch.setattr(recipients_module, "MAX_COLUMNS", 4)
    rows = [HEADER, ("zoe", "Zoë", "sv", "", "", "LIBE")]
    people, errors = load(write_list(tmp_path, suffix, rows))
    assert people == ()
    assert errors == [f"{place(suffix, 'F', 2)}: recipients{suffix} has a value in column F, "
                      "past the 4 columns brief reads in a recipient list; delete the columns "
                      "the letters do not use"]


def test_a_cell_far_to_the_right_is_not_padded_to_a_claimed_size(tmp_path):
    """A sheet whose dimension claims the whole grid (A1:XFD1048576) is read as its rows are,
    not as 17 billion empty cells."""
    path = save_workbook(tmp_path / "recipients.xlsx", {"Sheet1": [HEADER, *PEOPLE]})
    with zipfile.ZipFile(path) as source:
        xml = source.read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:C3"/>' in xml
    with_part(path, "xl/worksheets/sheet1.xml",
              [xml.replace(b'<dimension ref="A1:C3"/>', b'<dimension ref="A1:XFD1048576"/>')])
    people, errors = load(path)
    assert errors == [] and [p.id for p in people] == ["zoe", "ivan"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("column", ["name", "committee"])
def test_a_cell_too_long_is_an_error_at_its_cell(tmp_path, suffix, column):
    long = "W" * 2001
    rows = [(*HEADER, "committee"), ("zoe", "Zoë", "sv", "LIBE"), ("ivan", "Иван", "bg", "IMCO")]
    rows[1] = tuple(long if h == column else v for h, v in zip(rows[0], rows[1], strict=True))
    people, errors = load(write_list(tmp_path, suffix, rows))
    letter = "B" if column == "name" else "D"
    assert errors == [f"{place(suffix, letter, 2)}: {column}: this cell holds 2,001 characters, "
                      "more than the 2,000 brief reads in a cell; shorten it"]
    assert [p.id for p in people] == ["ivan"]


# ---------------------------------------------------------------------------------------------
# Control characters: at the list's cell, not in the letter


CONTROLS = ["\x1b]0;pwned\x07", "\x1b[2J", "\x00", "\x9b31m", "\x7f"]


@pytest.mark.parametrize("control", CONTROLS)
@pytest.mark.parametrize("column", ["name", "salutation", "committee"])
def test_a_control_character_in_a_csv_cell_is_an_error_at_its_row(tmp_path, control, column):
    rows = [(*HEADER, "salutation", "committee"), ("zoe", "Zoë", "sv", "Hej", "LIBE"),
            ("ivan", "Иван", "bg", "", "IMCO")]
    rows[1] = tuple("Zo" + control + "ë" if h == column else v
                    for h, v in zip(rows[0], rows[1], strict=True))
    people, errors = load(write_list(tmp_path, ".csv", rows))
    code = ord(control[0])
    assert errors == [f"recipients.csv:2: {column}: this cell holds the control character "
                      f"U+{code:04X} (character 3), which cannot be printed; delete it (it often "
                      "comes with text pasted from another program)"]
    assert [p.id for p in people] == ["ivan"]


@pytest.mark.parametrize("control", ["\x9b", "\x85", "\x7f"])
def test_a_control_character_in_a_workbook_cell_is_an_error_at_its_cell(tmp_path, control):
    """XML cannot hold C0 controls (but tab and line breaks); DEL and the C1 controls (U+009B
    is a terminal's CSI) it can."""
    own = [text.encode() for row in [HEADER, *PEOPLE] for text in row]
    own[4] = f"Zoë {control}[2JÅngström".encode()
    people, errors = load(workbook_with_strings(tmp_path, shared_strings(*own)))
    assert errors == [f"recipients.xlsx:Sheet1!B2: name: this cell holds the control character "
                      f"U+{ord(control):04X} (character 5), which cannot be printed; delete it "
                      "(it often comes with text pasted from another program)"]
    assert [p.id for p in people] == ["ivan"]


def test_personalise_blames_the_list_s_row_for_a_control_character(project):
    """The finding: a name with control characters was blamed on the letter template."""
    folder = project.content / SAMPLE
    (folder / "recipients.csv").write_text(
        "id,name,language,committee\nzoe,\"Zoë \x1b]0;pwned\x07Ångström\",de,LIBE\n"
        "ivan,Иван,bg,IMCO\n", encoding="utf-8")
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep", "--strict")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"content/{SAMPLE}/recipients.csv:2: name: this cell holds the control character "
        "U+001B (character 5), which cannot be printed; delete it (it often comes with text "
        "pasted from another program)")
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "cover-letter" not in result.output


# ---------------------------------------------------------------------------------------------
# Which sheet


def test_a_hidden_first_sheet_is_passed_over_and_the_sheet_read_is_named(tmp_path):
    path = save_workbook(tmp_path / "recipients.xlsx", {
        "Old": [HEADER, ("old", "Old Person", "de")], "MEPs": [HEADER, *PEOPLE]},
        hidden=("Old",))
    people, errors = load(path)
    assert [p.id for p in people] == ["zoe", "ivan"]
    assert people[0].mark.where(tmp_path) == "recipients.xlsx:MEPs!A2"
    assert errors == ["recipients.xlsx:MEPs!A1: read the sheet 'MEPs' (the first visible "
                      "sheet), not 'Old' (hidden); to read another, pass --sheet NAME"]


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_sheet_named_is_read_even_hidden(tmp_path, state):
    path = save_workbook(tmp_path / "recipients.xlsx", {
        "MEPs": [HEADER, *PEOPLE], "Old": [HEADER, ("old", "Old Person", "de")]},
        hidden=("Old",), state=state)
    people, errors = load(path, sheet="old")  # its case need not match
    assert [p.id for p in people] == ["old"]
    assert errors == ["recipients.xlsx:Old!A1: read the sheet 'Old' (named by --sheet), not "
                      "'MEPs'; to read another, pass --sheet NAME"]


def test_one_sheet_needs_no_note(tmp_path):
    people, errors = load(save_workbook(tmp_path / "recipients.xlsx",
                                        {"Sheet1": [HEADER, *PEOPLE]}))
    assert errors == [] and len(people) == 2


def test_an_unknown_sheet_and_a_sheet_of_a_csv_are_errors(tmp_path):
    path = save_workbook(tmp_path / "recipients.xlsx", {"MEPs": [HEADER, *PEOPLE],
                                                        "Old": [HEADER]}, hidden=("Old",))
    people, errors = load(path, sheet="MEP")
    assert people == ()
    assert errors == ["recipients.xlsx:1: --sheet MEP: recipients.xlsx has no sheet 'MEP' (did "
                      "you mean 'MEPs'?); its sheets: 'MEPs', 'Old' (hidden)"]
    csv_path = write_list(tmp_path, ".csv", [HEADER, *PEOPLE])
    people, errors = load(csv_path, sheet="MEPs")
    assert people == () and errors == [
        "recipients.csv:1: --sheet MEPs: recipients.csv is a CSV file, which has no sheets; "
        "leave out --sheet"]


def test_a_workbook_with_every_sheet_hidden_says_how_to_read_one(tmp_path):
    path = save_workbook(tmp_path / "recipients.xlsx", {"MEPs": [HEADER, *PEOPLE]})
    with zipfile.ZipFile(path) as source:
        xml = source.read("xl/workbook.xml")
    with_part(path, "xl/workbook.xml",
              [xml.replace(b'state="visible"', b'state="hidden"')])
    people, errors = load(path)
    assert people == () and errors == [
        "recipients.xlsx:1: recipients.xlsx has no visible sheet (its sheets: 'MEPs' "
        "(hidden)); name the sheet to read with --sheet NAME, or show it in Excel (right-click "
        "a sheet tab › Unhide)"]


def test_personalise_refuses_an_unknown_sheet(project):
    folder = project.content / SAMPLE
    (folder / "recipients.csv").unlink()
    save_workbook(folder / "recipients.xlsx", {"Old": [HEADER], "MEPs": [HEADER]},
                  hidden=("Old",))
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep", "--sheet", "Nope")
    assert result.exit_code == 1
    assert f"content/{SAMPLE}/recipients.xlsx:1: --sheet Nope: recipients.xlsx has no sheet " \
        "'Nope'; its sheets: 'Old' (hidden), 'MEPs'" in result.output.splitlines()


@pytest.mark.slow
def test_personalise_reads_the_first_visible_sheet_and_says_so(project):
    """The finding: a workbook whose first sheet is hidden was read from that sheet,
    silently."""
    folder = project.content / SAMPLE
    (folder / "recipients.csv").unlink()
    header = (*HEADER, "committee")
    save_workbook(folder / "recipients.xlsx", {
        "Old": [header, ("old-friend", "Olga Hidden", "de", "LIBE")],
        "MEPs": [header, ("anna", "Anna Visible", "de", "LIBE")]}, hidden=("Old",))
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep")
    assert result.exit_code == 0, result.output
    assert f"content/{SAMPLE}/recipients.xlsx:MEPs!A1: note: read the sheet 'MEPs' (the first " \
        "visible sheet), not 'Old' (hidden); to read another, pass --sheet NAME" \
        in result.output.splitlines()
    personal = project.out / SAMPLE / "personal" / "mep"
    assert sorted(p.name for p in personal.glob("*.pdf")) == ["anna.pdf"]
    assert "Anna Visible" in pages_text(personal / "anna.pdf")[0]


def test_errors_past_a_limit_pickle_as_data(tmp_path):
    import pickle

    error = ListTooLarge(None, "x")
    assert type(pickle.loads(pickle.dumps(error))) is ListTooLarge
    note = RecipientNote(None, "y")
    assert type(pickle.loads(pickle.dumps(note))) is RecipientNote
