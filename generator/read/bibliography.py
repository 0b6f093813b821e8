"""bibliography: turns a CSL-JSON file into Sources (`bibliography: refs.json` in brief.yaml).

CSL-JSON is what Zotero ("Export … → CSL JSON"), Mendeley and Citavi export: a list of entries,
each with an `id` (the citation key), a `type` and CSL variables. An entry becomes a `Source`
citable as `[@id, locator]`, like one written under `sources:`:

* `title`, `title-short` (Zotero's "Short Title"); `author` and `editor` as names —
  `{"family", "given"}` printed "Given Family", `{"literal": "European Commission"}` as
  written, editors printed as editors ("Jane Smith (ed.)"); `publisher` (else `authority`);
* `language` (Zotero's "Language" as its user typed it: "en", "en-US", "English", "Dutch"),
  read with CLDR's data (`locale.language_code`); a value no language: a warning (`warnings`);
* `container-title` (journal, website, book, official journal), `volume`, `issue`, `number`,
  `page` and `type`, kept in `Published`, which `footnotes.reference_html` prints (a chapter's,
  a conference paper's or an encyclopedia entry's editors edit the container: "in Jane Smith
  (ed.), Handbook …");
* `issued` and `accessed` as `date-parts` (year, year-month or a full date), an ISO `raw`
  date, or a `literal` one (printed as written); `URL`, else a `DOI` as its https://doi.org/ URL.

Entries are printed as written in every language: a work is cited by its published title, so
they are not translated (`translations` leaves them out of the PO files). Entries nobody cites
are not warned about (an export of a whole collection is normal). The file must lie in the
brief's folder (docs/security.md); what is wrong in it is reported at its line: JSON syntax at
the decoder's line and column, an entry's problem at the line of the field (found by a light
scan of the text: the decoder gives values no positions). BibTeX is not read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from bisect import bisect_right
from dataclasses import replace
from pathlib import Path

from .. import files
from ..errors import BriefError, ContentError, Mark
from ..suggest import suggest
from ..text import locale
from .load import RawNode
from .model import ANY_LANGUAGE, KEY_RE, Brief, Published, Source, Text, TextEntry, url_problem

#: The brief.yaml key (Pandoc's): one file name, or a list of them.
KEY = "bibliography"

#: Files larger than this are refused before parsing (a docs/security.md limit).
MAX_BYTES = 20 * 1024 * 1024

EXPORT_HINT = ("in Zotero, select the collection, then File → Export Collection… → format "
               "CSL JSON")

#: The rich-text markup CSL allows in a text field (citeproc-js's): dropped, its text kept.
_MARKUP_RE = re.compile(r"</?(?:i|b|sup|sub|sc)>|<span\b[^>]*>|</span>")
_WHITESPACE_RE = re.compile(r"[ \t\n\r]*")
_RAW_DATE_RE = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?")
_PAGE_RANGE_RE = re.compile(r"(?<=\w)\s*[-‐‑–—]+\s*(?=\w)")
_DOI_PREFIX_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)

_NOT_SUPPORTED = {
    ".bib": "BibTeX is not supported",
    ".bibtex": "BibTeX is not supported",
    ".biblatex": "BibLaTeX is not supported",
    ".yaml": "CSL YAML is not supported",
    ".yml": "CSL YAML is not supported",
    ".ris": "RIS is not supported",
}


class UnreadFile(ContentError):
    """A bibliography file that was not read (missing, refused, not CSL JSON, its ids not
    citation keys): the keys it holds are unknown, so the citations of them are not reported
    as naming no source as well (`pipeline.load_brief`)."""


def add_sources(brief: Brief, raw: RawNode) -> tuple[Brief, list[BriefError]]:
    """The brief with the entries of the CSL-JSON files its `bibliography:` names added to
    its sources, and every problem found in those files (each at its line)."""
    node = raw.as_map.get(KEY)
    if node is None:
        return brief, []
    errors: list[BriefError] = []
    known = {source.key: source.mark for source in brief.sources}
    added: list[Source] = []
    read: dict[Path, RawNode] = {}
    for name_node in _names(node, errors):
        path = _path(brief.folder, name_node, errors)
        if path is None:
            continue
        if path.resolve() in read:
            errors.append(ContentError(name_node.mark, f"{KEY}: {name_node.as_text.strip()!r} "
                                       f"is listed twice (first at line "
                                       f"{read[path.resolve()].mark.line}); remove one", KEY))
            continue
        read[path.resolve()] = name_node
        for source in _read(path, errors, brief.folder):
            if source.key in known:
                first = known[source.key]
                where = ("under `sources:` in" if first.path == brief.path else "in")
                errors.append(ContentError(
                    source.mark, f"source {source.key!r} is defined twice: here and {where} "
                    f"{first.path.name}:{first.line}; keep one (remove it there, or give this "
                    "entry another citation key)", f"source {source.key!r}"))
                continue
            known[source.key] = source.mark
            added.append(source)
    if not added:
        return brief, errors
    return replace(brief, sources=(*brief.sources, *added)), errors


def warnings(brief: Brief) -> list[BriefError]:
    """What may print wrongly in a brief's sources: a CSL-JSON `language` that is no language
    CLDR knows (the entry is typeset as the output's language); an `accessed` date without its
    day, which most languages' word before it cannot take ("abgerufen am", "consulté le", "op":
    a day's prepositions)."""
    found: list[BriefError] = []
    for source in brief.sources:
        here = f"source {source.key!r}"
        if source.unread_language is not None:
            written, mark = source.unread_language
            found.append(ContentError(mark, f"{here}: language {written!r} is no language "
                                      "brief knows; write its code (such as \"en\" or \"nl\") "
                                      "or its English name in the reference manager's Language "
                                      "field, and export again", here))
        if source.accessed and source.accessed.count("-") < 2:
            found.append(ContentError(source.mark, f"{here}: accessed {source.accessed!r} has no "
                                      "day, which the words before it (\"accessed on\", "
                                      "\"abgerufen am\", \"consulté le\") want; write the day "
                                      "it was read, YYYY-MM-DD", here))
    return found


def _names(node: RawNode, errors: list[BriefError]) -> list[RawNode]:
    """The file names `bibliography:` gives: one, or a list."""
    if node.kind == "map":
        errors.append(ContentError(node.mark, f"{KEY} must be a file name, e.g. "
                                   f"`{KEY}: refs.json`, or a list of them", KEY))
        return []
    names = [node] if node.kind == "text" else list(node.as_list)
    result = []
    for item in names:
        if item.kind != "text" or not item.as_text.strip():
            errors.append(ContentError(item.mark, f"{KEY} must name a CSL-JSON file beside "
                                       f"brief.yaml, e.g. `{KEY}: refs.json`", KEY))
        else:
            result.append(item)
    return result


def _path(folder: Path, node: RawNode,  # noqa: PLR0911 — a return per refusal
          errors: list[BriefError]) -> Path | None:
    """The file a `bibliography:` name means, if it is a CSL-JSON file in the brief's folder."""
    name = node.as_text.strip()

    def refuse(problem: str) -> None:
        errors.append(UnreadFile(node.mark, f"{KEY} {name!r} {problem}", KEY))

    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", name) and not re.match(r"^[A-Za-z]:[\\/]", name):
        refuse("is a URL; brief reads no network: export the file, save it beside brief.yaml "
               f"and name it here, e.g. `{KEY}: refs.json`")
        return None
    if Path(name).is_absolute() or name.startswith(("~", "\\")) or re.match(r"^[A-Za-z]:", name):
        refuse("is an absolute path; save the file in the brief's folder and name it from "
               f"there, e.g. `{KEY}: refs.json`")
        return None
    path = folder / name
    try:
        inside = path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        inside = False
    if not inside:
        refuse("leads out of the brief's folder; a brief reads only files in its own folder: "
               "copy the file beside brief.yaml")
        return None
    suffix = path.suffix.lower()
    if suffix in _NOT_SUPPORTED:
        refuse(f"is not CSL JSON: {_NOT_SUPPORTED[suffix]}; export CSL JSON from Zotero (File → "
               "Export Collection… → format CSL JSON) and name that file")
        return None
    if suffix != ".json":
        refuse("is not a CSL-JSON file (its name must end in .json); " + EXPORT_HINT)
        return None
    if not path.exists():
        choices = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.json")
                         if p.is_file())
        refuse(f"not found in the brief's folder{suggest(name, choices)}; "
               f"{EXPORT_HINT}, and save it beside brief.yaml")
        return None
    if not path.is_file():
        refuse("is not a file; name the exported .json file")
        return None
    return path


def _read(path: Path, errors: list[BriefError], folder: Path) -> list[Source]:
    """The entries of one CSL-JSON file of the brief's `folder` as sources; its problems added
    to `errors`."""
    text = _text(path, errors, folder)
    if text is None:
        return []
    try:
        entries = json.loads(text)
    except json.JSONDecodeError as exc:
        line, column, message = _json_problem(text, exc)
        errors.append(UnreadFile(Mark(path, line, column), message, KEY))
        return []
    except RecursionError:
        errors.append(UnreadFile(Mark(path, 1), "the JSON is nested too deeply; export the "
                                   "file again as CSL JSON", KEY))
        return []
    if not isinstance(entries, list):
        errors.append(UnreadFile(Mark(path, 1), "a CSL-JSON file is a list of entries, "
                                   f"`[{{\"id\": …}}, …]`, not a {_kind(entries)}; "
                                   f"{EXPORT_HINT}", KEY))
        return []
    sources: list[Source] = []
    seen: dict[str, int] = {}
    lines = [0, *(match.end() for match in re.finditer("\n", text))]  # where each line starts
    not_keys: list[tuple[Mark, str]] = []
    for number, (entry, start, end) in enumerate(_spans(text, entries), start=1):
        reader = _Entry(path, text, lines, start=start, end=end, number=number, errors=errors)
        source = reader.source(entry)
        if reader.not_a_key is not None:
            not_keys.append(reader.not_a_key)
        if source is None:
            continue
        if source.key in seen:
            errors.append(ContentError(reader.mark("id"), f"citation key {source.key!r} is "
                                       f"used twice in this file (first at line "
                                       f"{seen[source.key]}); give each entry its own key",
                                       KEY))
            continue
        seen[source.key] = source.mark.line
        sources.append(source)
    if not_keys:  # an export without citation keys: one error, not one per entry
        mark, message = not_keys[0]
        others = [str(other.line) for other, _ in not_keys[1:]]
        if others:
            message += (f" ({len(others)} more entr{'ies have' if len(others) > 1 else 'y has'}"
                        f" such an id, at line{'s' if len(others) > 1 else ''} "
                        f"{', '.join(others[:5])}"
                        f"{' …' if len(others) > 5 else ''})")
        errors.append(UnreadFile(mark, message, KEY))
    return sources


def _text(path: Path, errors: list[BriefError], folder: Path) -> str | None:
    """A file's text (UTF-8, its byte order mark dropped), read through the gate (`files`);
    None when it cannot be read."""

    def fail(line: int, problem: str) -> None:
        errors.append(UnreadFile(Mark(path, line), problem, KEY))

    try:  # outside the folder, a FIFO, over the cap: refused unread
        data = files.read_bytes(folder, path, what="the file", limit=MAX_BYTES)
    except files.Refused as exc:
        fail(1, exc.problem)
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        fail(1, "the file is saved as UTF-16; save it as UTF-8 (or export it again)")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        fail(data.count(b"\n", 0, exc.start) + 1,
             "not UTF-8 text; export the file again as CSL JSON (Zotero writes UTF-8)")
        return None


def _spans(text: str, entries: list[object]) -> list[tuple[object, int, int]]:
    """Each entry of a valid JSON list with where its text starts and ends: the standard
    decoder reads the entries one by one (`raw_decode` returns where each ends)."""
    decoder = json.JSONDecoder()
    position = _skip(text, 0) + 1  # after the [
    spans = []
    for entry in entries:
        start = _skip(text, position)
        _, end = decoder.raw_decode(text, start)
        spans.append((entry, start, end))
        position = _skip(text, end) + 1  # after the , (or the ])
    return spans


def _skip(text: str, position: int) -> int:
    match = _WHITESPACE_RE.match(text, position)
    return match.end() if match else position


def _json_problem(text: str, exc: json.JSONDecodeError) -> tuple[int, int, str]:
    """Where a JSON mistake is and what to do, for the mistakes of a hand edit that json's own
    message places or names cryptically: a comma after the last item (json points at the `}`
    after it), a comma missing between two items (json points at the next item), single
    quotes, a line break inside a text. (line, column, message)."""
    pos = exc.pos
    before = text[:pos].rstrip()
    at = text[pos:pos + 1]

    def where(offset: int) -> tuple[int, int]:
        line = text.count("\n", 0, offset) + 1
        return line, offset - (text.rfind("\n", 0, offset) + 1) + 1

    if before.endswith(",") and at in ("}", "]"):
        line, column = where(len(before) - 1)
        return line, column, ("not valid JSON: a comma after the last item; remove the comma "
                              "after the last item")
    if (exc.msg == "Expecting ',' delimiter" and before and (at in '"{[-' or at.isalnum())
            and text[pos:].strip()):
        line, column = where(len(before) - 1)
        return line, column + 1, (f"not valid JSON: a comma is missing after this item; add a "
                                  f"comma at the end of line {line}")
    named = (  # (is it this mistake, what to say), at json's position
        (exc.msg.startswith("Expecting") and not text[pos:].strip(),
         "the file ends before its last { or [ is closed; add the missing } or ], or export "
         "the file again as CSL JSON"),
        (exc.msg == "Expecting ',' delimiter" and at in ("}", "]"),
         f"{at} closes a bracket that was not opened, or one before it is not closed; check the "
         "{ } and [ ] before this line"),
        (text.startswith(("//", "/*", "#"), pos),
         "JSON has no comments; delete the comment (Zotero's Extra field can hold a note)"),
        (at == "'" and exc.msg.startswith(("Expecting property name", "Expecting value")),
         'a text in single quotes; JSON wants double quotes, "like this"'),
        (exc.msg.startswith("Expecting property name") and (at.isalpha() or at == "_"),
         'a field name without quotes; put it in double quotes, "title": …'),
        (exc.msg.startswith("Invalid control character") and at in ("\n", "\r", "\t"),
         "a text runs over a line break or holds a tab; close the quotes on the same line "
         "(write a line break as \\n)"),
        (exc.msg == "Extra data",
         "more after the end of the list; a CSL-JSON file is one list [ … ]: delete what "
         "follows its closing ]"))
    message = next((message for found, message in named if found),
                   f"{exc.msg}; fix this line, or export the file again as CSL JSON")
    return exc.lineno, exc.colno, f"not valid JSON: {message}"


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "map {…}"
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "text"
    return "true or false" if isinstance(value, bool) else "number" if isinstance(
        value, int | float) else "null"


class _Entry:
    """One entry of a CSL-JSON file: its fields read and checked, each problem at the line of
    its field."""

    def __init__(self, path: Path, text: str, lines: list[int], *, start: int, end: int,
                 number: int, errors: list[BriefError]) -> None:
        self.path, self.text, self.lines, self.start, self.end = path, text, lines, start, end
        self.errors = errors
        self.here = f"entry {number}"
        self.not_a_key: tuple[Mark, str] | None = None  # an id that is no citation key

    def at(self, offset: int) -> Mark:
        line = bisect_right(self.lines, offset)
        return Mark(self.path, line, offset - self.lines[line - 1] + 1)

    def mark(self, field: str = "") -> Mark:
        """Where `field` is written in the entry (the entry's start if not found)."""
        if field:
            found = re.compile(rf'(?<!\\)"{re.escape(field)}"\s*:').search(
                self.text, self.start, self.end)
            if found:
                return self.at(found.start())
        return self.at(self.start)

    def error(self, field: str, problem: str) -> None:
        self.errors.append(ContentError(self.mark(field), f"{self.here}: {problem}",
                                        self.here))

    def source(self, entry: object) -> Source | None:
        if not isinstance(entry, dict):
            self.error("", f"an entry must be a map {{\"id\": …, \"title\": …}}, not a "
                       f"{_kind(entry)}")
            return None
        key = self.key(entry)
        if key:
            self.here = f"entry {key!r}"
        title = self.string(entry, "title")
        if not title and isinstance(entry.get("title", ""), str):  # (a wrong type: reported)
            self.error("" if "title" not in entry else "title", "has no title; give the item "
                       "a title in the reference manager and export again")
        authors = self.names(entry, "author")
        editors = self.names(entry, "editor")
        short_title = self.string(entry, "title-short") or self.string(entry, "shortTitle")
        language, unread_language = self.language(entry)
        publisher = self.string(entry, "publisher") or self.string(entry, "authority")
        issued, literal = self.date(entry, "issued")
        accessed, accessed_literal = self.date(entry, "accessed")
        if accessed_literal:
            self.error("accessed", f"accessed {accessed_literal!r} is not a date; write it as "
                       "`\"date-parts\": [[2024, 3, 5]]`")
        url = self.url(entry)
        published = Published(
            container=self.string(entry, "container-title"), volume=self.string(entry, "volume"),
            issue=self.string(entry, "issue"), number=self.string(entry, "number"),
            pages=_PAGE_RANGE_RE.sub("–", self.string(entry, "page")), date_literal=literal,
            kind=self.string(entry, "type"))
        field = f"source {key!r}"
        if not key:
            return None
        title_text = self.text_of(title, "title", field) or Text(  # a stand-in (reported)
            (), f"{field}, title", self.mark("title"))
        return Source(key=key, title=title_text,
                      publisher=self.text_of(publisher, "publisher" if "publisher" in entry
                                             else "authority", field),
                      author=self.text_of(", ".join(whole for whole, *_ in authors), "author",
                                          field),
                      authors=tuple((whole, person) for whole, _, person in authors),
                      url=url, date=issued, accessed=accessed, mark=self.mark(),
                      published=published, language=language,
                      short_title=self.text_of(short_title, "title-short" if "title-short"
                                               in entry else "shortTitle", field),
                      editors=tuple(whole for whole, *_ in editors),
                      short_author=", ".join(family for _, family, _ in authors or editors),
                      unread_language=unread_language)

    def language(self, entry: dict[str, object]) -> tuple[str, tuple[str, Mark] | None]:
        """`language` as Zotero exports what its user typed ("en", "en-US", "English",
        "Nederlands"): (its code, None), or ("", (as written, where)) when CLDR knows no such
        language (a warning: `warnings`)."""
        written = self.string(entry, "language")
        if not written:
            return "", None
        code = locale.language_code(written)
        if code is None:
            return "", (written, self.mark("language"))
        return code, None

    def text_of(self, value: str, name: str, field: str) -> Text | None:
        if not value:
            return None
        mark = self.mark(name)
        return Text((TextEntry(ANY_LANGUAGE, value, mark, ""),), f"{field}, {name}", mark)

    def key(self, entry: dict[str, object]) -> str:
        value = entry.get("id")
        if value is None:
            self.error("", "has no id (its citation key); give the item a citation key (Better "
                       "BibTeX, or a line `Citation Key: smith2020` in Zotero's Extra field) "
                       "and export again")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.error("id", f"id must be a text, not a {_kind(value)}")
            return ""
        key = str(value).strip()
        if not KEY_RE.match(key):  # reported by `_read`, once for the file
            self.not_a_key = (self.mark("id"), f"{self.here}: id {key!r} is not a citation "
                              "key brief can cite (letters, digits and _ . : - only); give the "
                              "item a citation key (Better BibTeX, or a line `Citation Key: "
                              "smith2020` in Zotero's Extra field) and export again")
            return ""
        return key

    def string(self, entry: dict[str, object], name: str) -> str:
        """A text (or number) field, its rich-text markup dropped; "" when absent."""
        value = entry.get(name)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(name, f"{name} must be a text, not a {_kind(value)}")
            return ""
        return " ".join(_MARKUP_RE.sub("", str(value)).split())

    def names(self, entry: dict[str, object], name: str) -> list[tuple[str, str, bool]]:
        """A list of names, each `{"family": …, "given": …}` or `{"literal": …}`: each name
        as printed ("Given Family"), as a repeated citation prints it (the family name, or
        the literal name), and whether it is a person's (not a literal name)."""
        value = entry.get(name)
        if value is None:
            return []
        example = ('[{"family": "Smith", "given": "Jane"}] or [{"literal": "European '
                   'Commission"}]')
        if not isinstance(value, list):
            self.error(name, f"{name} must be a list of names, e.g. {example}, not a "
                       f"{_kind(value)}")
            return []
        printed = []
        for number, person in enumerate(value, start=1):
            parts = person if isinstance(person, dict) else {}
            strings = {part: parts.get(part) for part in (
                "literal", "family", "given", "non-dropping-particle", "dropping-particle",
                "suffix")}
            if not isinstance(person, dict) or any(
                    v is not None and not isinstance(v, str) for v in strings.values()):
                self.error(name, f"{name}, name {number} must be a map of texts, e.g. "
                           f"{example}")
                continue
            literal = (strings["literal"] or "").strip()
            family = " ".join(str(p).strip() for p in (
                strings["non-dropping-particle"], strings["family"]) if p and p.strip())
            given = " ".join(str(p).strip() for p in (
                strings["given"], strings["dropping-particle"]) if p and p.strip())
            whole = literal or f"{given} {family}".strip()
            if not whole:
                self.error(name, f"{name}, name {number} has no family name and no literal "
                           f"name; e.g. {example}")
                continue
            suffix = (strings["suffix"] or "").strip()
            printed.append((f"{whole}, {suffix}" if suffix and not literal else whole,
                            literal or family or whole, not literal))
        return printed

    def date(self, entry: dict[str, object], name: str) -> tuple[str, str]:
        """A CSL date: (YYYY[-MM[-DD]], "") from `date-parts` or an ISO `raw` date, ("", words)
        from `literal`; ("", "") when absent or wrong (reported)."""
        value = entry.get(name)
        if value is None:
            return "", ""
        example = f'`"{name}": {{"date-parts": [[2024, 3, 5]]}}` (or [[2024, 3]], [[2024]])'
        if not isinstance(value, dict):
            self.error(name, f"{name} must be a date such as {example}, not a {_kind(value)}")
            return "", ""
        if value.get("date-parts") is not None:
            return self.date_parts(value["date-parts"], name, example), ""
        raw, literal = value.get("raw"), value.get("literal")
        if isinstance(raw, str) and raw.strip():
            return self.raw_date(raw, name, example), ""
        if isinstance(literal, str) and literal.strip():
            return "", " ".join(literal.split())
        self.error(name, f"{name} has no date-parts, raw or literal date; write {example}")
        return "", ""

    def raw_date(self, raw: str, name: str, example: str) -> str:
        """`"raw": "2024-03-05"` (or 2024/03/05, 2024-03, 2024)."""
        match = _RAW_DATE_RE.fullmatch(raw.strip())
        if match is None:
            self.error(name, f"{name}: raw date {raw!r} is not a date brief can read; write "
                       f"YYYY, YYYY-MM or YYYY-MM-DD, or {example}")
            return ""
        return self.checked_date(name, [int(p) for p in match.groups() if p])

    def date_parts(self, parts: object, name: str, example: str) -> str:
        """`[[2024, 3, 5]]` (a range's second date ignored; Zotero writes years as texts)."""
        first = parts[0] if isinstance(parts, list) and parts else None
        if not isinstance(first, list) or not 1 <= len(first) <= 3 or not all(
                isinstance(p, int | str) and not isinstance(p, bool)
                and str(p).strip().isdigit() for p in first):
            self.error(name, f"{name}: date-parts must be a list of [year, month, day] "
                       f"numbers, e.g. {example}")
            return ""
        return self.checked_date(name, [int(str(p)) for p in first])

    def checked_date(self, name: str, parts: list[int]) -> str:
        """[2024, 3, 5] → "2024-03-05" (a real day), [2024, 3] → "2024-03", [2024] → "2024"."""
        try:
            dt.date(parts[0], *[*parts[1:], 1, 1][:2])
        except ValueError as exc:
            self.error(name, f"{name} {'-'.join(str(p) for p in parts)} is not a real date "
                       f"({exc})")
            return ""
        return "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])

    def url(self, entry: dict[str, object]) -> str:
        """`URL`, else the https://doi.org/ URL of `DOI`; an http(s) URL."""
        url = self.string(entry, "URL")
        problem = url_problem(url) if url else None
        if problem:
            self.error("URL", f"URL {url!r} {problem}")
            return ""
        doi = self.string(entry, "DOI")
        if not url and doi:
            return "https://doi.org/" + _DOI_PREFIX_RE.sub("", doi)
        return url
