"""recipients: a recipient list (`recipients.csv` or `recipients.xlsx`) → `Recipient` rows.

The file campaign teams already keep: a header row, then one row per recipient. Columns `id`,
`name` and `language` are required; `salutation` and `email` are optional; any other column
(`committee`, `country`, `group` …) is kept and may be used in the letter as a placeholder
(`{committee}`). The columns of the letter's recipient block (`function`, `institution`, the
postal address `address` — its lines split at line breaks or ` | ` — and the split `office` …
`country`) are checked to fit a window envelope (`_block_problems`). Column names are matched
ignoring case, spaces inside them becoming `_` (`Committee` → `committee`, `First name` →
`first_name`).

* **CSV**: UTF-8 (with or without the BOM Excel writes), read with the csv module; the
  delimiter (`,`, `;` — Excel's in many EU locales — or a tab) is sniffed.
* **XLSX**: the first visible sheet, or the one named (`--sheet NAME`), read with openpyxl
  (`read_only`, cached values of formulas); when the workbook has other sheets, a
  `RecipientNote` says which was read.

**Limits.** A list is read only within limits, each a located error past it (`LIMITS`): the
file's size on disk; a workbook's parts unpacked (each, together, and their compression ratio:
its zip directory is read before openpyxl touches it, so a zip bomb is refused before it is
unpacked); rows, columns and cells; characters in a cell. They keep the process reading the
list (the parent of the render workers) well under the workers' memory limit.

Every bad row is reported at its place — `recipients.csv:7: …`, `recipients.xlsx:Sheet1!B7: …`
— and the good rows are still returned: the caller decides (`--strict`). A whole-file problem
(wrong encoding, an empty file, a missing column) is one error. A value that is probably wrong
but does not stop the row (an e-mail that is not an address) is a `RecipientWarning`, and its
row is returned.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shlex
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import files
from ..errors import BriefError, ContentError, LocatedError, Mark
from ..project import id_problem, shown_id
from ..suggest import suggest
from ..text import locale
from .languages import LANGUAGE_RE, language_problem
from .model import EMAIL_RE, Audience, Brief

CSV_NAME = "recipients.csv"
XLSX_NAME = "recipients.xlsx"
SUFFIXES = (".csv", ".xlsx")

#: The columns every recipient list has; `salutation` and `email` may be left out.
REQUIRED = ("id", "name", "language")
OPTIONAL = ("salutation", "email")

#: Columns printed under the recipient's name, before the address: their function, institution.
RECIPIENT_COLUMNS = ("function", "institution")

#: Columns printed as the recipient's postal address, in this order (`postcode` and `city` on
#: one line; `country` only below another address line). A cell may hold several lines: line
#: breaks in the cell, or `|` between them (`Rue Wiertz 60 | 1047 Bruxelles`).
ADDRESS_COLUMNS = ("office", "building", "address", "street", "postcode", "city", "country")

#: Separates the lines of an address cell (besides a line break in it).
LINE_SEPARATOR = "|"

#: The recipient block (name, function, institution, address) fits a window envelope: at most
#: this many lines, each of at most `MAX_BLOCK_CHARS` characters (a longer one wraps, or shows
#: outside the window); more lines are an error at the row, a longer line a warning.
MAX_BLOCK_LINES = 9
MAX_BLOCK_CHARS = 50

#: A recipient id names their PDF (`out/<brief>/personal/<audience>/<id>.pdf`).
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

DELIMITERS = ",;\t"
_SNIFF_BYTES = 16384

#: The limits of a recipient list (see the module's docstring and docs/personalising.md).
MAX_FILE_BYTES = 32 * 2**20  # the file on disk (CSV or XLSX)
MAX_PART_BYTES = 64 * 2**20  # one part of a workbook, unpacked (a sheet's XML)
MAX_STRINGS_BYTES = 16 * 2**20  # a workbook's shared strings (xl/sharedStrings.xml), unpacked
MAX_WORKBOOK_BYTES = 128 * 2**20  # all parts of a workbook together, unpacked
MAX_PARTS = 1000  # parts (files) in a workbook
MAX_RATIO = 200  # unpacked / packed size of a part of more than RATIO_FROM bytes
RATIO_FROM = 2**20
MAX_ROWS = 100_000  # rows of recipients (blank rows are not counted)
MAX_COLUMNS = 200
MAX_CELLS = 1_000_000  # cells with a value
MAX_CELL_CHARS = 2000  # characters in one cell

#: Characters a cell may not hold: C0 controls but tab and line breaks, DEL, C1 controls.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class RecipientWarning(LocatedError):
    """Something about a row that is probably wrong but does not stop it (an e-mail that is not
    an address): the row is returned; `--strict` makes it an error."""


class RecipientNote(LocatedError):
    """What the reader chose and the user should know, not a problem (which sheet of a
    workbook was read): printed as a note, never an error, also with `--strict`."""


class ListTooLarge(ContentError):
    """A recipient list past one of the limits (`MAX_…`): nothing more of it is read."""


@dataclass(frozen=True, slots=True)
class Recipient:
    """One row of a recipient list, validated."""

    id: str  # file-name safe (lower-case letters, digits, '-', '_'), unique in the list
    name: str
    language: str  # an EU language code with a catalog, in lower case (`pt-PT` → `pt`)
    salutation: str  # as given, or "" (the letter then uses the language's default)
    email: str  # may be ""
    fields: tuple[tuple[str, str], ...]  # every column (its key → the cell's text)
    mark: Mark  # where the row is (csv: its line; xlsx: its id cell, `Sheet1!A7`)

    def field(self, name: str) -> str | None:
        """A column's text by its key (`committee`); None when the list has no such column."""
        key = column_key(name)
        return next((value for column, value in self.fields if column == key), None)

    def digest(self) -> str:
        """The sha256 of the row's content (every column), for incremental rebuilds."""
        data = json.dumps([self.id, self.name, self.language, self.salutation, self.email,
                           list(self.fields)], ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


def column_key(header: str) -> str:
    """A column's key: its header trimmed, in lower case, spaces as `_` (`First name` →
    `first_name`)."""
    return re.sub(r"\s+", "_", header.strip().lower())


# ---------------------------------------------------------------------------------------------
# Finding the list


def recipients_path(brief: Brief, given: Path | None = None) -> Path:
    """The recipient list to read: `given` (`--recipients FILE`), else the brief's
    `recipients.csv` or `recipients.xlsx`; a located error when there is none, or both.

    The brief's own list passes the gate (`files`): a link leading out of content/ (to
    /etc/passwd), a FIFO or a file over the cap is refused unread. A list given on the command
    line is the operator's choice and may lie outside the project (docs/personalising.md keeps
    real lists there), but it too must be a regular file within the cap."""
    if given is not None:
        named = Path(given).absolute()
        real = Path(os.path.realpath(named))  # wherever the operator's path leads
        if not real.exists():
            raise ContentError(Mark(named, 1), "the recipient list does not exist; check the "
                               "path given to --recipients")
        if named.suffix.lower() not in SUFFIXES:
            raise ContentError(Mark(named, 1), f"a recipient list must be a .csv (UTF-8) or an "
                               f".xlsx file, not {named.suffix or 'a file without extension'}; "
                               "save it as CSV UTF-8 or as an Excel workbook (.xlsx)")
        return files.inside(real.parent, real, Mark(named, 1), what="the recipient list")
    found = [brief.folder / name for name in (CSV_NAME, XLSX_NAME)
             if files.exists(brief.folder / name)]
    if len(found) == 2:
        raise ContentError(Mark(found[1], 1), f"the brief has two recipient lists, {CSV_NAME} "
                           f"and {XLSX_NAME}; keep one (or pass --recipients FILE)")
    if found:
        return files.inside(brief.folder.parent, found[0], what=found[0].name)
    near = sorted(p.name for p in brief.folder.glob("*")
                  if p.is_file() and p.name.lower().startswith("recipient"))
    hint = f" ({', '.join(near)} is not read: the name must be exactly one of those)" \
        if near else ""
    raise ContentError(Mark(brief.path, 1), f"brief {brief.id!r} has no recipient list; write "
                       f"content/{brief.id}/{CSV_NAME} (a header row `id,name,language,"
                       f"salutation,email`, then one row per recipient) or {XLSX_NAME}, or pass "
                       f"--recipients FILE{hint}")


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True, slots=True)
class _Row:
    """A row as read: its cells (trimmed) and where each is."""

    cells: tuple[str, ...]
    row_mark: Mark  # the row (csv: line; xlsx: its first cell)
    cell_marks: tuple[Mark, ...]  # one per cell (csv: the row's line)


def load_recipients(path: Path, brief: Brief, audience: Audience | None = None, *,
                    sheet: str | None = None
                    ) -> tuple[tuple[Recipient, ...], list[BriefError]]:
    """The good rows of a recipient list and one located error per bad row or file problem
    (never raises for bad rows). `RecipientWarning`s in the list keep their rows; a
    `RecipientNote` (which sheet of a workbook was read) is no problem at all. `sheet` names
    the sheet of a workbook to read (default: the first visible one).

    `brief` and `audience` are not needed to read the list: a recipient's language may be one
    the brief or audience lacks (the caller falls back, with a warning)."""
    del brief, audience  # the language fallback is the caller's (see `brief personalise`)
    path = Path(path).resolve()
    errors: list[BriefError] = []
    if path.suffix.lower() == ".xlsx":
        header, rows = _read_xlsx(path, errors, sheet)
    else:
        if sheet is not None:
            errors.append(ContentError(Mark(path, 1), f"--sheet {sheet}: {path.name} is a CSV "
                                       "file, which has no sheets; leave out --sheet"))
            return (), errors
        header, rows = _read_csv(path, errors)
    if header is None:
        return (), errors
    columns = _columns(header, rows, errors)
    if columns is None:
        return (), errors
    if not rows and not errors:
        errors.append(ContentError(_after(header.row_mark), f"{path.name} has a header row but "
                                   "no recipients; add one row per recipient under it"))
    recipients: list[Recipient] = []
    seen: dict[str, Mark] = {}
    for row in rows:
        recipient = _recipient(row, columns, len(header.cells), seen, errors)
        if recipient is not None:
            recipients.append(recipient)
    return tuple(recipients), errors


def _after(mark: Mark) -> Mark:
    """The row after a header row (where a first recipient would be)."""
    if mark.cell:
        sheet = mark.cell.split("!", 1)[0]
        return Mark(mark.path, mark.line + 1, cell=f"{sheet}!A{mark.line + 1}")
    return Mark(mark.path, mark.line + 1)


def _columns(header: _Row, rows: list[_Row], errors: list[BriefError]
             ) -> dict[str, int] | None:
    """Each column's key → its index; a header lacking a required column is one error (and no
    row is read: every row would lack it)."""
    columns: dict[str, int] = {}
    broken = False
    for index, text in enumerate(header.cells):
        key = column_key(text)
        if not key:
            if any(index < len(row.cells) and row.cells[index] for row in rows):
                errors.append(ContentError(header.cell_marks[index], f"column {_column(index)} "
                                           "has values but no name in the header row; name it "
                                           "(e.g. `committee`) or delete the column"))
            continue
        if key in columns:
            errors.append(ContentError(header.cell_marks[index], f"column {text.strip()!r} is "
                                       f"in the header twice (columns {_column(columns[key])} "
                                       f"and {_column(index)}); rename or delete one"))
            broken = True
            continue
        columns[key] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        have = ", ".join(repr(c.strip()) for c in header.cells if c.strip()) or "nothing"
        hint = ""
        if len(header.cells) == 1 and any(d in header.cells[0] for d in DELIMITERS):
            hint = " (the header is read as one column: are the columns separated by , or ;?)"
        errors.append(ContentError(header.row_mark, f"the header row lacks the column"
                                   f"{'s' if len(missing) > 1 else ''} "
                                   f"{', '.join(repr(m) for m in missing)} (it has {have})"
                                   f"{hint}; the first row must name the columns: "
                                   "id, name, language, and optionally salutation, email and "
                                   "any others"))
        return None
    return None if broken else columns


def _column(index: int) -> str:
    """A column's letters as a spreadsheet names it: 0 → A, 26 → AA."""
    letters, number = "", index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _recipient(row: _Row, columns: dict[str, int], width: int, seen: dict[str, Mark],
               errors: list[BriefError]) -> Recipient | None:
    """One row as a `Recipient`, or None with its errors."""
    def cell(key: str) -> tuple[str, Mark]:
        index = columns.get(key)
        if index is None:
            return "", row.row_mark
        mark = row.cell_marks[index] if index < len(row.cell_marks) else \
            _cell_mark(row.row_mark, index)
        return (row.cells[index] if index < len(row.cells) else ""), mark

    found_before = len(errors)
    extra = [i for i in range(width, len(row.cells)) if row.cells[i]]
    if extra:
        errors.append(ContentError(row.cell_marks[extra[0]], f"this row has {len(row.cells)} "
                                   f"cells but the header names {width} "
                                   "columns; a cell holding the delimiter (, or ;) must be in "
                                   "double quotes, or name the extra column in the header"))
    _cell_problems(row, columns, errors)
    recipient_id, id_mark = cell("id")
    name, name_mark = cell("name")
    language, language_mark = cell("language")
    who = f"recipient {recipient_id!r}" if recipient_id else \
        f"the recipient {name!r}" if name else "this row"
    if not recipient_id:
        suggestion = _id_suggestion(name) if name else ""
        errors.append(ContentError(id_mark, f"{who} has no id; write one (it names the PDF)"
                                   + (f", e.g. {suggestion!r}" if suggestion else "")))
    elif not ID_RE.match(recipient_id):
        errors.append(ContentError(id_mark, f"id {recipient_id!r} may hold only lower-case "
                                   "letters, digits, - and _ (it names the PDF file); write "
                                   f"{_id_suggestion(recipient_id) or 'recipient-1'!r}"))
    elif id_problem(recipient_id) is not None:
        errors.append(ContentError(id_mark, f"id {shown_id(recipient_id)} "
                                   f"{id_problem(recipient_id)}"))
    elif recipient_id in seen:
        first = seen[recipient_id]
        errors.append(ContentError(id_mark, f"id {recipient_id!r} is used twice (first "
                                   f"{_place(first)}); give each recipient their own id"))
    else:
        seen[recipient_id] = id_mark
    if not name:
        errors.append(ContentError(name_mark, f"{who} has no name; fill in the name column"))
    code = _language(language, language_mark, who, errors)
    _block_problems(row, columns, who, errors)
    email, email_mark = cell("email")
    if email and not EMAIL_RE.match(email):
        errors.append(RecipientWarning(email_mark, f"{who}: email {email!r} is not an e-mail "
                                       "address; correct it or leave the cell empty"))
    if any(not isinstance(e, RecipientWarning) for e in errors[found_before:]):
        return None
    salutation, _ = cell("salutation")
    fields = tuple((key, row.cells[index] if index < len(row.cells) else "")
                   for key, index in sorted(columns.items(), key=lambda item: item[1]))
    return Recipient(id=recipient_id, name=name, language=code, salutation=salutation,
                     email=email, fields=fields, mark=row.row_mark)


def address_lines(cell: str) -> list[str]:
    """An address cell's lines: split at its line breaks and at `LINE_SEPARATOR`, trimmed."""
    return [line.strip() for part in cell.splitlines() for line in part.split(LINE_SEPARATOR)
            if line.strip()]


def _block_problems(row: _Row, columns: dict[str, int], who: str, errors: list[BriefError]
                    ) -> None:
    """The recipient block's columns (`RECIPIENT_COLUMNS`, `ADDRESS_COLUMNS`): a function or
    institution on one line; at most `MAX_BLOCK_LINES` lines; a line longer than
    `MAX_BLOCK_CHARS` or a `country` that is a code is a warning."""
    def cell(key: str) -> tuple[str, Mark]:
        index = columns.get(key)
        if index is None or index >= len(row.cells):
            return "", row.row_mark
        return row.cells[index], row.cell_marks[index]

    lines = 1  # the name
    long: list[tuple[str, Mark]] = []
    for key in RECIPIENT_COLUMNS:
        value, mark = cell(key)
        if len(address_lines(value)) > 1:
            errors.append(ContentError(mark, f"{key}: {who} has it on "
                                       f"{len(address_lines(value))} lines, and the letter prints "
                                       f"a {key} on one; write it on one line (the institution has "
                                       "its own column, `institution`, the postal address "
                                       "`address`)"))
        if value.strip():
            lines += 1
            long.append((value, mark))
    town = " ".join(part for part in (cell("postcode")[0], cell("city")[0]) if part)
    for key in ("office", "building", "address", "street"):
        value, mark = cell(key)
        found = address_lines(value)
        lines += len(found)
        long += [(line, mark) for line in found]
    if town:
        lines += 1
        long.append((town, cell("city")[1] if cell("city")[0] else cell("postcode")[1]))
    country, country_mark = cell("country")
    if country and lines > 1:
        lines += 1
        if re.fullmatch(r"[A-Za-z]{2,3}", country):
            errors.append(RecipientWarning(country_mark, f"country: {country!r} is a code, "
                                           "which the letter prints as the last line of the "
                                           f"postal address of {who}; write the "
                                           "country's name as the post wants it (BELGIQUE), or "
                                           "name the column otherwise (`member_state`) if it is "
                                           "not their address"))
    if lines > MAX_BLOCK_LINES:
        errors.append(ContentError(row.row_mark, f"{who}: the name, function, institution "
                                   f"and address make {lines} lines, more than the "
                                   f"{MAX_BLOCK_LINES} a window envelope shows; shorten the "
                                   "address (the post needs the street, postcode and city)"))
    for value, mark in long:
        if len(value) > MAX_BLOCK_CHARS:
            errors.append(RecipientWarning(mark, f"{who}: the line {value!r} of the address "
                                           f"block has {len(value)} characters, more than the "
                                           f"{MAX_BLOCK_CHARS} a window envelope's line shows; "
                                           f"break it into lines (a line break in the cell, or "
                                           f"{LINE_SEPARATOR!r} between lines)"))


def _cell_problems(row: _Row, columns: dict[str, int], errors: list[BriefError]) -> None:
    """A cell too long (`MAX_CELL_CHARS`), or holding a control character (which no letter
    can print, and which a terminal would obey), is an error at its cell."""
    names = {index: key for key, index in columns.items()}
    for index, text in enumerate(row.cells):
        mark = row.cell_marks[index] if index < len(row.cell_marks) else row.row_mark
        column = f"{names[index]}: " if index in names else ""
        if len(text) > MAX_CELL_CHARS:
            errors.append(ContentError(mark, f"{column}this cell holds {len(text):,} "
                                       f"characters, more than the {MAX_CELL_CHARS:,} brief "
                                       "reads in a cell; shorten it"))
            continue
        control = CONTROL_RE.search(text)
        if control is not None:
            code = ord(control[0])
            errors.append(ContentError(mark, f"{column}this cell holds the control character "
                                       f"U+{code:04X} (character {control.start() + 1}), which "
                                       "cannot be printed; delete it (it often comes with text "
                                       "pasted from another program)"))


def _language(value: str, mark: Mark, who: str, errors: list[BriefError]) -> str:
    """A row's language code, checked; "" with an error when it is not one brief can print."""
    if not value:
        errors.append(ContentError(mark, f"{who} has no language; write the code of the language "
                                   "to write to them in, such as 'de', 'fr' or 'pl'"))
        return ""
    problem = language_problem(value)
    if problem is not None:
        errors.append(ContentError(mark, f"language: {problem}"))
        return ""
    if not LANGUAGE_RE.match(value) or not locale.has_catalog(value):
        errors.append(ContentError(mark, f"language {value!r} is not an EU language brief can "
                                   f"write letters in; use one of: "
                                   f"{', '.join(locale.catalog_languages())}"))
        return ""
    return locale.base(value)


def _place(mark: Mark) -> str:
    return f"at {mark.cell}" if mark.cell else f"on line {mark.line}"


def _id_suggestion(text: str) -> str:
    """A file-name-safe id close to `text`: accents dropped, other characters as `-`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9_]+", "-", ascii_text.lower()).strip("-_")


def _cell_mark(row_mark: Mark, index: int) -> Mark:
    if not row_mark.cell:
        return row_mark
    sheet = row_mark.cell.split("!", 1)[0]
    return Mark(row_mark.path, row_mark.line, cell=f"{sheet}!{_column(index)}{row_mark.line}")


# ---------------------------------------------------------------------------------------------
# CSV


def _read_csv(path: Path, errors: list[BriefError]) -> tuple[_Row | None, list[_Row]]:
    """The header row and the other rows of a CSV file (blank lines skipped)."""
    size = _file_size(path)
    if size > MAX_FILE_BYTES:
        errors.append(_too_large_file(path, size))
        return None, []
    try:
        data = path.read_bytes()
    except OSError as exc:
        errors.append(ContentError(Mark(path, 1), f"the recipient list cannot be read "
                                   f"({exc.strerror or exc}); check the file"))
        return None, []
    text = _decode(path, data, errors)
    if text is None:
        return None, []
    if not text.strip():
        errors.append(ContentError(Mark(path, 1), f"{path.name} is empty; write a header row "
                                   "(id,name,language,salutation,email), then one row per "
                                   "recipient"))
        return None, []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True,
                        skipinitialspace=True)
    header: _Row | None = None
    rows: list[_Row] = []
    tally = _Tally(path.name)
    for cells, line in _csv_rows(reader, path, errors):
        if not any(cells):
            continue
        mark = Mark(path, line)
        row = _Row(cells, mark, (mark,) * len(cells))
        too_large = tally.add(cells, row.cell_marks)
        if too_large is not None:
            errors.append(too_large)
            return None, []
        if header is None:
            header = row
        else:
            rows.append(row)
    if header is None and not errors:
        errors.append(ContentError(Mark(path, 1), f"{path.name} has no header row; write "
                                   "id,name,language,salutation,email as its first line"))
    return header, rows


def _csv_rows(reader: Iterator[list[str]], path: Path, errors: list[BriefError]
              ) -> Iterator[tuple[tuple[str, ...], int]]:
    """Each row's trimmed cells with the line it starts on; a malformed row is an error at
    that line, and reading goes on after it."""
    line_num = 0
    while True:
        start = line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line_num = reader.line_num  # type: ignore[attr-defined]  # csv's reader has it
            message = str(exc)
            if "unexpected end of data" in message:
                message = ("a double quote (\") opened in this row is never closed, so the "
                           "rest of the file is read as one cell; close the quote, or remove "
                           "it")
            else:
                message = (f"this row cannot be read as CSV ({message}); a cell with a "
                           "double quote in it must be quoted as a whole, the quote doubled: "
                           '"say ""hello"""')
            errors.append(ContentError(Mark(path, start), message))
            continue
        line_num = reader.line_num  # type: ignore[attr-defined]  # csv's reader has it
        yield tuple(unicodedata.normalize("NFC", cell.strip()) for cell in cells), start


def _delimiter(text: str) -> str:
    """`,`, `;` or a tab: what csv.Sniffer finds, else the one the header line holds most."""
    sample = text[:_SNIFF_BYTES]
    first = sample.split("\n", 1)[0]
    try:
        found = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = ""
    if found and found in first:
        return found
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _decode(path: Path, data: bytes, errors: list[BriefError]) -> str | None:
    """A CSV file's text: UTF-8 (a BOM dropped); otherwise an error at the line of the first
    byte that is not UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        errors.append(ContentError(Mark(path, 1), f"{path.name} is saved as UTF-16 (Excel's "
                                   "\"Unicode text\"); save it as UTF-8: in Excel, Save As › "
                                   "CSV UTF-8 (comma delimited)"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        byte = data[exc.start]
        guess = data[exc.start:exc.start + 1].decode("cp1252", errors="replace")
        errors.append(ContentError(Mark(path, line), f"{path.name} is not UTF-8: byte "
                                   f"0x{byte:02X} on this line (probably {guess!r} in Windows-"
                                   "1252 or Latin-1); save it as UTF-8: in Excel, Save As › "
                                   "CSV UTF-8 (comma delimited), in LibreOffice tick \"Edit "
                                   "filter settings\" and choose Unicode (UTF-8)"))
        return None


# ---------------------------------------------------------------------------------------------
# XLSX


def _read_xlsx(path: Path, errors: list[BriefError], sheet_name: str | None = None
               ) -> tuple[_Row | None, list[_Row]]:
    """The header row and the other rows of a workbook's first visible sheet, or of the sheet
    named (blank rows skipped); nothing when the workbook is past a limit (`_workbook_problem`,
    checked before openpyxl unpacks anything)."""
    import openpyxl  # noqa: PLC0415  # deferred: see generator/__init__.py
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415  # deferred: see generator/__init__.py

    problem = _workbook_problem(path)
    if problem is not None:
        errors.append(problem)
        return None, []
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError,
            SyntaxError) as exc:
        errors.append(ContentError(Mark(path, 1), f"{path.name} cannot be read as an Excel "
                                   f"workbook ({exc}); open it in Excel or LibreOffice and save "
                                   "it again as .xlsx (Excel Workbook)"))
        return None, []
    try:
        sheet = _sheet(workbook.worksheets, path, sheet_name, errors)
        if sheet is None:
            return None, []
        title = sheet.title
        header, rows = _sheet_rows(sheet, path, errors)
        if any(isinstance(error, ListTooLarge) for error in errors):
            return None, []
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:  # broken
        errors.append(ContentError(Mark(path, 1), f"{path.name} cannot be read as an Excel "
                                   f"workbook ({exc}); open it in Excel or LibreOffice and save "
                                   "it again as .xlsx (Excel Workbook)"))
        return None, []
    finally:
        workbook.close()
    if header is None:
        others = [s.title for s in workbook.worksheets if s.title != title]
        hint = (f" (brief reads the first visible sheet; the workbook also has "
                f"{', '.join(repr(o) for o in others)}: pass --sheet "
                f"{shlex.quote(others[0]) if len(others) == 1 else 'NAME'}, or move the list "
                "to the first sheet)" if others else "")
        errors.append(ContentError(Mark(path, 1, cell=f"{_sheet_ref(title)}!A1"),
                                   f"the sheet {title!r} is empty{hint}; write a header row "
                                   "(id, name, language, salutation, email), then one row per "
                                   "recipient"))
    elif len(workbook.worksheets) > 1:
        errors.append(_sheet_note(workbook.worksheets, sheet, path, named=sheet_name))
    return header, rows


def _sheet_rows(sheet: Any, path: Path, errors: list[BriefError]
                ) -> tuple[_Row | None, list[_Row]]:
    """A sheet's header row and other rows (blank rows skipped); none past a limit."""
    header: _Row | None = None
    rows: list[_Row] = []
    title = _sheet_ref(sheet.title)
    sheet.reset_dimensions()  # rows as they are, never padded to a size the file claims
    tally = _Tally(path.name)
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not any(value is not None for value in values):
            continue
        cells = tuple(_cell_text(value) for value in values)
        marks = tuple(Mark(path, number, cell=f"{title}!{_column(i)}{number}")
                      for i in range(len(cells)))
        too_large = tally.add(cells, marks)
        if too_large is not None:
            errors.append(too_large)
            return None, []
        if not any(cells):
            continue
        row = _Row(cells, marks[0], marks)
        if header is None:
            header = row
        else:
            rows.append(row)
    return header, rows


def _sheet(sheets: list[Any], path: Path, name: str | None, errors: list[BriefError]
           ) -> Any:
    """The sheet to read: the one named (`--sheet`; its case need not match), else the first
    visible one; None with an error when there is no such sheet."""
    if name is not None:
        found = next((s for s in sheets if s.title == name), None) or next(
            (s for s in sheets if s.title.casefold() == name.strip().casefold()), None)
        if found is None:
            titles = [s.title for s in sheets]
            errors.append(ContentError(Mark(path, 1), f"--sheet {name}: {path.name} has no "
                                       f"sheet {name!r}{suggest(name, titles)}; its sheets: "
                                       f"{_sheet_list(sheets)}"))
        return found
    found = next((s for s in sheets if s.sheet_state == "visible"), None)
    if found is None:
        errors.append(ContentError(Mark(path, 1), f"{path.name} has no visible sheet (its "
                                   f"sheets: {_sheet_list(sheets) or 'none'}); name the sheet "
                                   "to read with --sheet NAME, or show it in Excel "
                                   "(right-click a sheet tab › Unhide)"))
    return found


def _sheet_list(sheets: list[Any]) -> str:
    """Sheets' names, each hidden one marked: `'Old' (hidden), 'MEPs'`."""
    return ", ".join(repr(s.title) + ("" if s.sheet_state == "visible" else " (hidden)")
                     for s in sheets)


def _sheet_note(sheets: list[Any], sheet: Any, path: Path, *, named: str | None
                ) -> RecipientNote:
    """Which sheet of a workbook of several was read, and how to read another."""
    why = "named by --sheet" if named is not None else "the first visible sheet"
    others = [s for s in sheets if s is not sheet]
    return RecipientNote(Mark(path, 1, cell=f"{_sheet_ref(sheet.title)}!A1"),
                         f"read the sheet {sheet.title!r} ({why}), not "
                         f"{_sheet_list(others)}; to read another, pass --sheet NAME")


def _workbook_problem(path: Path) -> ListTooLarge | ContentError | None:
    """A workbook past the limits, found from its zip directory before anything is unpacked:
    too large a file, too many parts, a part (or all) too large unpacked, or packed too
    tightly (a zip bomb). The declared sizes bind: Python's zipfile never unpacks more."""
    size = _file_size(path)
    if size > MAX_FILE_BYTES:
        return _too_large_file(path, size)
    listed = _workbook_parts(path)
    if isinstance(listed, ContentError):
        return listed
    return _parts_problem(path, *listed)


def _workbook_parts(path: Path) -> tuple[list[zipfile.ZipInfo], str] | ContentError:
    """A workbook's parts as its zip directory lists them, and the name of its shared strings
    part (as its content types name it); an error when it is no zip, or has too many parts."""
    import openpyxl.packaging.manifest  # noqa: PLC0415  # deferred: see generator/__init__.py
    from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS  # noqa: PLC0415  # deferred: see generator/__init__.py
    from openpyxl.xml.functions import fromstring  # noqa: PLC0415  # deferred: see generator/__init__.py

    where = Mark(path, 1)
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                return ListTooLarge(where, f"{path.name} holds {len(parts):,} parts (files); "
                                    f"a workbook has a few dozen, and brief reads up to "
                                    f"{MAX_PARTS:,}: {_SAVE_ALONE}")
            strings = "xl/sharedStrings.xml"
            types = archive.getinfo(ARC_CONTENT_TYPES) if ARC_CONTENT_TYPES in \
                archive.namelist() else None
            if types is not None and types.file_size <= MAX_STRINGS_BYTES:
                manifest = openpyxl.packaging.manifest.Manifest.from_tree(
                    fromstring(archive.read(types)))
                part = manifest.find(SHARED_STRINGS)
                strings = part.PartName[1:] if part is not None else strings
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, TypeError,
            SyntaxError) as exc:
        return ContentError(where, f"{path.name} cannot be read as an Excel workbook ({exc}); "
                            "open it in Excel or LibreOffice and save it again as .xlsx (Excel "
                            "Workbook)")
    return parts, strings


def _parts_problem(path: Path, parts: list[zipfile.ZipInfo], strings: str
                   ) -> ListTooLarge | None:
    """A part too large unpacked (the shared strings and every part but the sheets, which
    are read as a stream, have the lower limit), packed too tightly, or all too large."""
    where = Mark(path, 1)
    total = 0
    for info in parts:
        total += info.file_size
        limit = MAX_PART_BYTES if info.filename.startswith("xl/worksheets/") and \
            info.filename != strings else MAX_STRINGS_BYTES
        what = "its shared strings" if info.filename == strings else "its part"
        if info.file_size > limit:
            return ListTooLarge(where, f"{path.name} is too large to read: {what} "
                                f"{info.filename} is {_size(info.file_size)} unpacked, more "
                                f"than the {_size(limit)} brief reads; {_SAVE_ALONE}")
        if info.file_size > RATIO_FROM and \
                info.file_size > MAX_RATIO * max(1, info.compress_size):
            return ListTooLarge(where, f"{path.name} is packed too tightly to be a "
                                f"recipient list: {info.filename} is {_size(info.file_size)} "
                                f"unpacked from {_size(info.compress_size)}, more than "
                                f"{MAX_RATIO} times (a zip bomb?); {_SAVE_ALONE}")
    if total > MAX_WORKBOOK_BYTES:
        return ListTooLarge(where, f"{path.name} is too large to read: {_size(total)} "
                            f"unpacked, more than the {_size(MAX_WORKBOOK_BYTES)} brief reads; "
                            f"{_SAVE_ALONE}")
    return None


_SAVE_ALONE = ("copy the recipients (id, name, language …) into a new workbook and save that, "
               "or save the list as CSV UTF-8")


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reading it says what is wrong


def _too_large_file(path: Path, size: int) -> ListTooLarge:
    return ListTooLarge(Mark(path, 1), f"{path.name} is {_size(size)}, more than the "
                        f"{_size(MAX_FILE_BYTES)} brief reads as a recipient list; keep only "
                        "the recipients' rows and columns in it (id, name, language …), or "
                        "split it into several lists (--recipients FILE for each)")


def _size(size: int) -> str:
    """A size in bytes as people read it: `1.5 GB`, `64 MB`, `900 bytes`."""
    for unit, factor in (("GB", 2**30), ("MB", 2**20), ("kB", 2**10)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


@dataclass(slots=True)
class _Tally:
    """Rows and cells of a list read so far, against the limits (a reader's running count)."""

    name: str  # the file's name
    rows: int = 0
    cells: int = 0

    def add(self, cells: tuple[str, ...], marks: tuple[Mark, ...]) -> ListTooLarge | None:
        """Count a row (its cells, blank ones too); an error at the row or cell past a
        limit."""
        filled = [i for i, cell in enumerate(cells) if cell]
        if not filled:
            return None
        self.rows += 1
        self.cells += len(cells)
        split = "split it into several lists (--recipients FILE for each)"
        if filled[-1] >= MAX_COLUMNS:
            return ListTooLarge(marks[filled[-1]], f"{self.name} has a value in column "
                                f"{_column(filled[-1])}, past the {MAX_COLUMNS} columns brief "
                                "reads in a recipient list; delete the columns the letters do "
                                "not use")
        if self.rows > MAX_ROWS + 1:  # and the header
            return ListTooLarge(marks[0], f"{self.name} has more than {MAX_ROWS:,} rows, the "
                                f"most brief reads in a recipient list; {split}")
        if self.cells > MAX_CELLS:
            return ListTooLarge(marks[0], f"{self.name} has more than {MAX_CELLS:,} cells, "
                                "the most brief reads in a recipient list; delete the columns "
                                f"the letters do not use, or {split}")
        return None


def _sheet_ref(title: str) -> str:
    """A sheet's name as a cell reference writes it: quoted when it has spaces or quotes."""
    if re.fullmatch(r"\w+", title):
        return title
    return "'" + title.replace("'", "''") + "'"


def _cell_text(value: object) -> str:
    """A cell's value as the text it shows: 12 (not 12.0), a date as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value).strip())
