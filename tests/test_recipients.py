"""recipients: recipient lists in CSV and XLSX → `Recipient` rows, every bad row located
(`recipients.csv:7: …`, `recipients.xlsx:Sheet1!B7: …`) and the good rows still returned."""

from __future__ import annotations

import pickle

import openpyxl
import pytest

from generator.errors import ContentError, Mark
from generator.read.recipients import RecipientWarning, load_recipients, recipients_path

from .support import SAMPLE

HEADER = "id,name,language,salutation,email,committee\n"
SCRIPTS = (
    "zoe,Zoë Ångström,sv,,zoe@example.org,LIBE\n"
    "lukasz,Łukasz Wróbel,pl,,lukasz@example.org,LIBE\n"
    "eleni,Ελένη Παπαδοπούλου,el,,eleni@example.org,JURI\n"
    "ivan,Иван Петров,bg,,ivan@example.org,IMCO\n"
)


@pytest.fixture
def brief(sample_brief):
    return sample_brief


def write_csv(tmp_path, text: str, name: str = "recipients.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def messages(errors, root) -> list[str]:
    return [line for error in errors for line in error.lines(root)]


def load(path, brief):
    recipients, errors = load_recipients(path, brief)
    return recipients, messages(errors, path.parent)


# ---------------------------------------------------------------------------------------------
# Good lists


def test_a_csv_list_in_every_script(tmp_path, brief):
    recipients, errors = load(write_csv(tmp_path, HEADER + SCRIPTS), brief)
    assert errors == []
    assert [r.name for r in recipients] == ["Zoë Ångström", "Łukasz Wróbel",
                                            "Ελένη Παπαδοπούλου", "Иван Петров"]
    assert [r.language for r in recipients] == ["sv", "pl", "el", "bg"]
    zoe = recipients[0]
    assert (zoe.id, zoe.email, zoe.salutation) == ("zoe", "zoe@example.org", "")
    assert zoe.field("committee") == "LIBE" and zoe.field("Committee") == "LIBE"
    assert zoe.field("group") is None
    assert zoe.mark == Mark(tmp_path / "recipients.csv", 2)
    assert recipients[3].mark.line == 5
    assert dict(zoe.fields)["name"] == "Zoë Ångström"


def test_excel_csv_with_a_bom_semicolons_and_spaces(tmp_path, brief):
    text = ("\ufeffID ; Name ; Language ; Committee\r\n"
            ' zoe ; "Ångström; Zoë"; sv ; LIBE \r\n\r\n'
            "ivan;Иван Петров;bg;IMCO\r\n")
    recipients, errors = load(write_csv(tmp_path, text), brief)
    assert errors == []
    assert [(r.id, r.name, r.language, r.field("committee")) for r in recipients] == [
        ("zoe", "Ångström; Zoë", "sv", "LIBE"), ("ivan", "Иван Петров", "bg", "IMCO")]
    assert recipients[1].mark.line == 4  # the blank line is counted, not read


def test_a_tab_separated_list_and_decomposed_accents(tmp_path, brief):
    text = "id\tname\tlanguage\nzoe\tZoe\u0308 A\u030angstro\u0308m\tsv\n"
    recipients, errors = load(write_csv(tmp_path, text), brief)
    assert errors == []
    assert recipients[0].name == "Zoë Ångström"  # NFC


def test_a_digest_changes_with_any_cell_and_only_then(tmp_path, brief):
    first, _ = load(write_csv(tmp_path, HEADER + SCRIPTS), brief)
    edited, _ = load(write_csv(tmp_path, HEADER + SCRIPTS.replace("JURI", "LIBE")), brief)
    again, _ = load(write_csv(tmp_path, HEADER + SCRIPTS), brief)
    assert [r.digest() for r in first] == [r.digest() for r in again]
    changed = [a.id for a, b in zip(first, edited, strict=True) if a.digest() != b.digest()]
    assert changed == ["eleni"]


def test_a_region_is_accepted_and_its_language_kept(tmp_path, brief):
    recipients, errors = load(write_csv(tmp_path, "id,name,language\nana,Ana,pt-PT\n"), brief)
    assert errors == [] and recipients[0].language == "pt"


# ---------------------------------------------------------------------------------------------
# Bad rows: each located, the good rows kept


BAD_ROWS = [
    ("zoe,,sv\n", "recipients.csv:2: recipient 'zoe' has no name; fill in the name column"),
    ("zoe,Zoë,\n", "recipients.csv:2: recipient 'zoe' has no language; write the code of the "
     "language to write to them in, such as 'de', 'fr' or 'pl'"),
    ("zoe,Zoë,PL\n", "recipients.csv:2: language: 'PL' is not a language code; use lower case: "
     "'pl'"),
    ("eleni,Ελένη,gr\n", "recipients.csv:2: language: 'gr' is not a language code (GR is "
     "Greece's country code); use 'el' (Greek)"),
    ("zoe,Zoë,Svenska\n", "recipients.csv:2: language: 'Svenska' is not a language code; use "
     "'sv' (Swedish)"),
    ("ana,Ana,xx\n", "recipients.csv:2: language 'xx' is not an EU language brief can write "
     "letters in; use one of: bg, cs, da, de, el, en, es, et, fi, fr, ga, hr, hu, it, lt, lv, "
     "mt, nl, pl, pt, ro, sk, sl, sv"),
    ("Zoë Ångström,Zoë,sv\n", "recipients.csv:2: id 'Zoë Ångström' may hold only lower-case "
     "letters, digits, - and _ (it names the PDF file); write 'zoe-angstrom'"),
    (",Zoë Ångström,sv\n", "recipients.csv:2: the recipient 'Zoë Ångström' has no id; write "
     "one (it names the PDF), e.g. 'zoe-angstrom'"),
    ("zoe,Zoë,sv,extra\n", "recipients.csv:2: this row has 4 cells but the header names 3 "
     "columns; a cell holding the delimiter (, or ;) must be in double quotes, or name the "
     "extra column in the header"),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_a_bad_row_is_located_and_the_others_are_kept(tmp_path, brief, row, message):
    text = "id,name,language\n" + row + "ivan,Иван Петров,bg\n"
    recipients, errors = load(write_csv(tmp_path, text), brief)
    assert errors == [message]
    assert [r.id for r in recipients] == ["ivan"]


def test_a_duplicate_id_names_the_first_line(tmp_path, brief):
    text = "id,name,language\nzoe,Zoë,sv\nivan,Иван,bg\nzoe,Zoë Ångström,sv\n"
    recipients, errors = load(write_csv(tmp_path, text), brief)
    assert errors == ["recipients.csv:4: id 'zoe' is used twice (first on line 2); give each "
                      "recipient their own id"]
    assert [r.id for r in recipients] == ["zoe", "ivan"]


def test_an_e_mail_that_is_not_an_address_warns_and_keeps_the_row(tmp_path, brief):
    path = write_csv(tmp_path, "id,name,language,email\nzoe,Zoë,sv,zoe(at)example.org\n")
    recipients, errors = load_recipients(path, brief)
    assert [r.id for r in recipients] == ["zoe"]
    assert [type(e) for e in errors] == [RecipientWarning]
    assert messages(errors, tmp_path) == ["recipients.csv:2: recipient 'zoe': email "
                                          "'zoe(at)example.org' is not an e-mail address; "
                                          "correct it or leave the cell empty"]


def test_an_unclosed_quote_is_located_at_its_row(tmp_path, brief):
    text = 'id,name,language\nzoe,Zoë,sv\nivan,"Иван Петров,bg\nana,Ana,pt\n'
    recipients, errors = load(write_csv(tmp_path, text), brief)
    assert errors == ['recipients.csv:3: a double quote (") opened in this row is never '
                      "closed, so the rest of the file is read as one cell; close the quote, "
                      "or remove it"]
    assert [r.id for r in recipients] == ["zoe"]


def test_a_stray_quote_is_located_and_reading_goes_on(tmp_path, brief):
    text = 'id,name,language\nzoe,"Zoë" Å,sv\nivan,Иван,bg\n'
    recipients, errors = load(write_csv(tmp_path, text), brief)
    assert errors == ["recipients.csv:2: this row cannot be read as CSV (',' expected after "
                      "'\"'); a cell with a double quote in it must be quoted as a whole, the "
                      'quote doubled: "say ""hello"""']
    assert [r.id for r in recipients] == ["ivan"]


def test_a_windows_1252_file_says_save_as_utf8_at_the_first_bad_byte(tmp_path, brief):
    path = write_csv(tmp_path, "id,name,language\nivan,Ivan,bg\nzoe,Zoë Ångström,sv\n",
                     encoding="cp1252")
    recipients, errors = load(path, brief)
    assert recipients == ()
    assert errors == ["recipients.csv:3: recipients.csv is not UTF-8: byte 0xEB on this line "
                      "(probably 'ë' in Windows-1252 or Latin-1); save it as UTF-8: in Excel, "
                      "Save As › CSV UTF-8 (comma delimited), in LibreOffice tick \"Edit filter "
                      "settings\" and choose Unicode (UTF-8)"]


def test_a_utf16_file_says_save_as_utf8(tmp_path, brief):
    path = write_csv(tmp_path, "id,name,language\n", encoding="utf-16")
    _, errors = load(path, brief)
    assert errors == ['recipients.csv:1: recipients.csv is saved as UTF-16 (Excel\'s "Unicode '
                      'text"); save it as UTF-8: in Excel, Save As › CSV UTF-8 (comma '
                      "delimited)"]


@pytest.mark.parametrize(("text", "message"), [
    ("", "recipients.csv:1: recipients.csv is empty; write a header row "
     "(id,name,language,salutation,email), then one row per recipient"),
    ("\n \n", "recipients.csv:1: recipients.csv is empty; write a header row "
     "(id,name,language,salutation,email), then one row per recipient"),
    ("id,name,language\n", "recipients.csv:2: recipients.csv has a header row but no "
     "recipients; add one row per recipient under it"),
    ("id,name,email\nzoe,Zoë,zoe@example.org\n", "recipients.csv:1: the header row lacks the "
     "column 'language' (it has 'id', 'name', 'email'); the first row must name the columns: "
     "id, name, language, and optionally salutation, email and any others"),
    ("zoe,Zoë,sv\n", "recipients.csv:1: the header row lacks the columns 'id', 'name', "
     "'language' (it has 'zoe', 'Zoë', 'sv'); the first row must name the columns: id, name, "
     "language, and optionally salutation, email and any others"),
    ("id,name,language,Name\nzoe,Zoë,sv,Z\n", "recipients.csv:1: column 'Name' is in the "
     "header twice (columns B and D); rename or delete one"),
])
def test_whole_file_problems(tmp_path, brief, text, message):
    recipients, errors = load(write_csv(tmp_path, text), brief)
    assert recipients == ()
    assert errors == [message]


def test_a_list_that_cannot_be_read(tmp_path, brief):
    (tmp_path / "recipients.csv").mkdir()
    recipients, errors = load(tmp_path / "recipients.csv", brief)
    assert recipients == ()
    assert errors == ["recipients.csv:1: the recipient list cannot be read (Is a directory); "
                      "check the file"]


def test_errors_pickle_with_their_place(tmp_path, brief):
    _, errors = load_recipients(write_csv(tmp_path, "id,name,language\nzoe,,sv\n"), brief)
    again = pickle.loads(pickle.dumps(errors))
    assert messages(again, tmp_path) == messages(errors, tmp_path)


# ---------------------------------------------------------------------------------------------
# XLSX


def write_xlsx(tmp_path, rows, title: str = "Sheet1", more_sheets: tuple[str, ...] = ()):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for name in more_sheets:
        workbook.create_sheet(name).append(["id", "name", "language"])
    path = tmp_path / "recipients.xlsx"
    workbook.save(path)
    return path


def test_an_xlsx_list_works_like_the_csv(tmp_path, brief):
    csv_people, _ = load(write_csv(tmp_path, HEADER + SCRIPTS), brief)
    rows = [HEADER.strip().split(",")] + [line.split(",") for line in SCRIPTS.splitlines()]
    rows = [[cell or None for cell in row] for row in rows]
    xlsx_people, errors = load(write_xlsx(tmp_path, rows), brief)
    assert errors == []
    assert [(r.id, r.name, r.language, r.email, r.fields) for r in xlsx_people] == [
        (r.id, r.name, r.language, r.email, r.fields) for r in csv_people]
    assert [r.digest() for r in xlsx_people] == [r.digest() for r in csv_people]
    assert xlsx_people[0].mark.where(tmp_path) == "recipients.xlsx:Sheet1!A2"


def test_xlsx_numbers_and_dates_read_as_they_show(tmp_path, brief):
    import datetime as dt

    rows = [("id", "name", "language", "office", "since"),
            (12, "  Zoë Ångström ", "sv", 305.0, dt.datetime(2024, 7, 16))]
    recipients, errors = load(write_xlsx(tmp_path, rows), brief)
    assert errors == []
    assert (recipients[0].id, recipients[0].name) == ("12", "Zoë Ångström")
    assert recipients[0].field("office") == "305" and recipients[0].field("since") == "2024-07-16"


def test_xlsx_bad_rows_are_located_at_their_cells(tmp_path, brief):
    rows = [("id", "name", "language"), ("zoe", "Zoë", "sv"), ("ivan", None, "bg"),
            ("eleni", "Ελένη", "gr"), ("zoe", "Zoë Ångström", "sv"), (None, None, None),
            ("Ana María", "Ana", "es")]
    recipients, errors = load(write_xlsx(tmp_path, rows), brief)
    assert errors == [
        "recipients.xlsx:Sheet1!B3: recipient 'ivan' has no name; fill in the name column",
        "recipients.xlsx:Sheet1!C4: language: 'gr' is not a language code (GR is Greece's "
        "country code); use 'el' (Greek)",
        "recipients.xlsx:Sheet1!A5: id 'zoe' is used twice (first at Sheet1!A2); give each "
        "recipient their own id",
        "recipients.xlsx:Sheet1!A7: id 'Ana María' may hold only lower-case letters, digits, "
        "- and _ (it names the PDF file); write 'ana-maria'"]
    assert [r.id for r in recipients] == ["zoe"]


def test_an_empty_first_sheet_names_the_others(tmp_path, brief):
    _, errors = load(write_xlsx(tmp_path, [], title="Blad1", more_sheets=("MEPs",)), brief)
    assert errors == ["recipients.xlsx:Blad1!A1: the sheet 'Blad1' is empty (brief reads the "
                      "first visible sheet; the workbook also has 'MEPs': pass --sheet MEPs, "
                      "or move the list to the first sheet); write a header row (id, name, "
                      "language, salutation, email), then one row per recipient"]


def test_an_xlsx_header_only_and_a_quoted_sheet_name(tmp_path, brief):
    _, errors = load(write_xlsx(tmp_path, [("id", "name", "language")], title="MEP list"),
                     brief)
    assert errors == ["recipients.xlsx:'MEP list'!A2: recipients.xlsx has a header row but no "
                      "recipients; add one row per recipient under it"]


def test_a_file_that_is_not_a_workbook(tmp_path, brief):
    path = tmp_path / "recipients.xlsx"
    path.write_text("id,name,language\n")
    recipients, errors = load(path, brief)
    assert recipients == ()
    assert len(errors) == 1 and errors[0].startswith(
        "recipients.xlsx:1: recipients.xlsx cannot be read as an Excel workbook (")


# ---------------------------------------------------------------------------------------------
# Which file


def test_the_brief_s_list_is_found_and_a_second_one_refused(project):
    from generator.run.pipeline import load_brief

    brief = load_brief(project, SAMPLE)
    (brief.folder / "recipients.csv").unlink()  # the sample's list (invented people)
    with pytest.raises(ContentError) as missing:
        recipients_path(brief)
    assert missing.value.lines(project.root) == [
        f"content/{SAMPLE}/brief.yaml:1: brief '{SAMPLE}' has no recipient list; write "
        f"content/{SAMPLE}/recipients.csv (a header row `id,name,language,salutation,email`, "
        f"then one row per recipient) or recipients.xlsx, or pass --recipients FILE"]
    csv_path = write_csv(brief.folder, HEADER + SCRIPTS)
    assert recipients_path(brief) == csv_path
    write_xlsx(brief.folder, [("id", "name", "language")])
    with pytest.raises(ContentError) as both:
        recipients_path(brief)
    assert both.value.lines(project.root) == [
        f"content/{SAMPLE}/recipients.xlsx:1: the brief has two recipient lists, "
        "recipients.csv and recipients.xlsx; keep one (or pass --recipients FILE)"]
    given = write_csv(project.root, HEADER, name="meps.csv")
    assert recipients_path(brief, given) == given
    with pytest.raises(ContentError, match="does not exist"):
        recipients_path(brief, project.root / "nobody.csv")
    (project.root / "meps.ods").write_text("")
    with pytest.raises(ContentError, match=r"must be a \.csv \(UTF-8\) or an \.xlsx file"):
        recipients_path(brief, project.root / "meps.ods")


def test_a_warning_kept_in_the_manifest_keeps_its_cell(tmp_path):
    from generator.run.manifest import _restore, _store

    warning = RecipientWarning(Mark(tmp_path / "recipients.xlsx", 7, cell="Sheet1!E7"),
                               "recipient 'zoe': email 'zoe(at)example.org' is not an e-mail "
                               "address; correct it or leave the cell empty")
    [again] = _restore(_store([warning], tmp_path), tmp_path)
    assert again.lines(tmp_path) == [
        "recipients.xlsx:Sheet1!E7: recipient 'zoe': email 'zoe(at)example.org' is not an "
        "e-mail address; correct it or leave the cell empty (from the last build)"]
