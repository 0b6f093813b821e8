"""recipients: STUB (replaced by the `letters` branch) — a recipient file → `Recipient`s."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import BriefError, ContentError, LocatedError, Mark
from .model import Audience, Brief


class RecipientWarning(LocatedError):
    """A row that is probably wrong but kept."""


@dataclass(frozen=True, slots=True)
class Recipient:
    id: str
    name: str
    language: str
    salutation: str
    email: str
    fields: tuple[tuple[str, str], ...]
    mark: Mark

    def field(self, name: str) -> str | None:
        return dict(self.fields).get(name)

    def digest(self) -> str:
        return hashlib.sha256(repr((self.id, self.name, self.language, self.salutation,
                                    self.email, self.fields)).encode()).hexdigest()


def recipients_path(brief: Brief, given: Path | None = None) -> Path:
    if given is not None:
        return given
    found = [p for p in (brief.folder / "recipients.csv", brief.folder / "recipients.xlsx")
             if p.is_file()]
    if len(found) != 1:
        raise ContentError(Mark(brief.path, 1), "STUB: need exactly one recipients file")
    return found[0]


def load_recipients(path: Path, brief: Brief, audience: Audience | None = None
                    ) -> tuple[tuple[Recipient, ...], list[BriefError]]:
    good: list[Recipient] = []
    errors: list[BriefError] = []
    seen: set[str] = set()
    if path.suffix == ".xlsx":
        table: list[tuple[int, dict[str, str]]] = list(enumerate(_xlsx_rows(path), 2))
    else:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            table = [(reader.line_num, row) for row in reader]
    for line, row in table:
        if True:
            mark = Mark(path, line)
            rid, name = (row.get("id") or "").strip(), (row.get("name") or "").strip()
            if not rid or not name or rid in seen:
                errors.append(ContentError(mark, "STUB: bad row"))
                continue
            seen.add(rid)
            others = tuple((k, v or "") for k, v in row.items()
                           if k not in ("id", "name", "language", "salutation", "email"))
            good.append(Recipient(rid, name, (row.get("language") or "").strip(),
                                  row.get("salutation") or "Dear Member", row.get("email") or "",
                                  others, mark))
    return tuple(good), errors


def _xlsx_rows(path: Path) -> list[dict[str, str]]:
    """STUB: the first sheet's rows as dicts by header."""
    import openpyxl  # noqa: PLC0415  # stub

    book = openpyxl.load_workbook(path, read_only=True)
    values = [["" if v is None else str(v) for v in row]
              for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return [dict(zip(values[0], row, strict=False)) for row in values[1:]]
