"""translations: PO files (`content/<brief>/translations/<lang>.po`) ↔ a `Brief`'s texts.

A brief's original language is its first `languages:` entry. Every text written in it (or as one
plain value) is *translatable*, named by a stable `TextPath` (its PO `msgctxt`: `title`,
`section:intro/body`, `source:fra/title`, `contact/name`). Each other language's words come from
an inline `{nl: …, en: …}` map or from that language's PO file, whose `msgid` is the original
the translation was made from — so a translation cannot silently go stale:

* `apply` reads the PO files (polib) into the brief: translated entries become `TextEntry`s
  located at their PO line; **stale** entries (fuzzy, or their `msgid` no longer the original)
  and **missing** ones (empty or absent) become `TranslationGap`s, and the output prints the old
  translation (or the original) only in a draft. A translation that loses a citation or a note,
  one written both inline and in the PO file, and a malformed PO file are errors.
* `update` writes a PO file for `brief translate`: new texts get empty entries, changed
  originals make their entries fuzzy with the previous original kept (`#| msgid`), texts that
  are gone become obsolete (`#~`).
* `coverage` counts, per language, what `brief status` shows.

A plain value (`organisation: "Bits of Freedom"`) is written in the original language: an
output in another language that prints it needs its translation — from that language's PO file,
or, while the language has none, it is missing (`TranslationGap.no_file`): the output prints
the original only in a draft. A text the brief lists under `same_in_every_language:` (a name:
`organisation`, `contact`, `sources`, `sources.<key>`, `title`, `subtitle`) is not translated:
it prints as written in every language, has no PO entry and is not counted by `brief status`.
`brief translate` names the texts that may be such names (`Update.neutral`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib

from .. import __version__, files
from ..errors import BriefError, ContentError, Mark
from ..run.write import write_atomic
from ..text.lint import cited_keys
from ..text.syntax import parsed, walk
from .model import (
    ANY_LANGUAGE,
    PO_STYLE,
    Audience,
    Brief,
    Contact,
    Section,
    Source,
    Text,
    TextEntry,
    TranslationGap,
)

TRANSLATIONS_FOLDER = "translations"
_LINE_RE = re.compile(r"\(line (\d+)\)")


@dataclass(frozen=True, slots=True)
class TextPath:
    """Where a text lives in a brief: `scope` ("" top level, "section", "source", "contact"),
    the section id or source key, and the field. Its `msgctxt` is the PO file's key."""

    scope: str
    key: str
    name: str

    @property
    def msgctxt(self) -> str:
        if self.scope in ("section", "source"):
            return f"{self.scope}:{self.key}/{self.name}"
        return f"{self.scope}/{self.name}" if self.scope else self.name


@dataclass(frozen=True, slots=True)
class Translatable:
    """A text of the original language, with its path and how a translator finds it."""

    path: TextPath
    text: Text
    original: TextEntry
    where: str  # e.g. "section nationaal-rapporteur-wie ('Wie is de expert?'), body"


def catalog_path(brief: Brief, language: str) -> Path:
    return brief.folder / TRANSLATIONS_FOLDER / f"{language}.po"


def original_language(brief: Brief) -> str:
    return brief.languages[0] if brief.languages else ""


def _original(text: Text | None, language: str) -> TextEntry | None:
    if text is None:
        return None
    for entry in text.entries:
        if entry.language in (language, ANY_LANGUAGE):
            return entry
    return None


def _section_texts(sections: tuple[Section, ...]) -> Iterator[tuple[TextPath, Text | None, str]]:
    for section in sections:
        title = section.title.entries[0].value if section.title and section.title.entries else ""
        named = f"section {section.id} ({title!r})" if title else f"section {section.id}"
        yield TextPath("section", section.id, "title"), section.title, f"{named}, title"
        yield TextPath("section", section.id, "body"), section.body, f"{named}, body"
        yield from _section_texts(section.sections)


def _source_texts(source: Source) -> Iterator[tuple[TextPath, Text | None, str]]:
    for name, text in (("title", source.title), ("publisher", source.publisher),
                       ("author", source.author)):
        yield TextPath("source", source.key, name), text, f"source {source.key!r}, {name}"


def _all_texts(brief: Brief) -> list[tuple[TextPath, Text | None, str]]:
    """Every text field of a brief (but sources from a `bibliography:` file), with its path and
    how messages name it, in reading order."""
    contact: Contact | None = brief.contact
    return [
        (TextPath("", "", "title"), brief.title, "title"),
        (TextPath("", "", "subtitle"), brief.subtitle, "subtitle"),
        (TextPath("", "", "organisation"), brief.organisation, "organisation"),
        (TextPath("", "", "summary"), brief.summary, "summary"),
        *_section_texts(brief.sections),
        (TextPath("contact", "", "name"), contact.name if contact else None, "contact name"),
        *(item for source in brief.sources if source.published is None  # CSL: as written
          for item in _source_texts(source)),
        (TextPath("", "", "letter"), brief.letter, "letter"),
    ]


def every_text(brief: Brief) -> list[Text]:
    """Every text field of a brief written in brief.yaml, in reading order."""
    return [text for _, text, _ in _all_texts(brief) if text is not None]


def same_item(msgctxt: str) -> str | None:
    """The `same_in_every_language:` item that names a text (by its msgctxt), or None for a
    text that is always translated (a section, the summary, the letter)."""
    if msgctxt in ("title", "subtitle", "organisation"):
        return msgctxt
    if msgctxt == "contact/name":
        return "contact"
    if msgctxt.startswith("source:"):
        return "sources." + msgctxt.removeprefix("source:").rsplit("/", 1)[0]
    return None


def is_same(brief: Brief, path: TextPath) -> bool:
    """Whether the brief lists a text under `same_in_every_language:` (for a source: itself,
    or `sources`)."""
    item = same_item(path.msgctxt)
    listed = {name for name, _ in brief.same_in_every_language}
    return item is not None and (item in listed or (path.scope == "source" and
                                                    "sources" in listed))


#: What `brief translate` offers as possibly the same in every language: names (the brief's
#: own title and subtitle are meant to be translated).
_NAMES = ("organisation", "contact/name", "source:")


def translatables(brief: Brief) -> list[Translatable]:
    """Every text with an original-language version, in reading order, but those the brief
    lists as the same in every language."""
    language = original_language(brief)
    result = []
    for path, text, where in _all_texts(brief):
        if is_same(brief, path):
            continue
        original = _original(text, language)
        if text is not None and original is not None and original.value.strip():
            result.append(Translatable(path, text, original, where))
    return result


# ---------------------------------------------------------------------------------------------
# Reading


def _content(path: Path) -> Path:
    """The content/ folder of a brief's PO file (`content/<brief>/translations/<lang>.po`):
    where its real path must lie (`files`)."""
    return path.parents[2] if len(path.parents) > 2 else path.parent


def read_catalog(path: Path) -> polib.POFile:
    """A PO file, read through the gate (`files`: a link leading out of content/, a FIFO or a
    file over the cap is refused unread) and parsed by polib; a malformed one is a located
    error."""
    text = files.read_text(_content(path), path, what=f"translation file {path.name!r}")
    try:  # polib takes text with no line break for a file name: never give it one
        return polib.pofile(text if "\n" in text else text + "\n", encoding="utf-8",
                            wrapwidth=78)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        found = _LINE_RE.search(str(exc))
        line = int(found[1]) if found else 1
        raise ContentError(Mark(path, line), "this translation file cannot be read "
                           f"({str(exc).replace(str(path), path.name)}); fix the line (each "
                           "entry is msgctxt, msgid and msgstr lines, each text in double "
                           "quotes), or open the file in Poedit, which shows the mistake"
                           ) from None


def _entries(catalog: polib.POFile) -> dict[str, polib.POEntry]:
    return {entry.msgctxt: entry for entry in catalog
            if not entry.obsolete and entry.msgctxt is not None}


def _calls(value: str) -> tuple[Counter[str], int]:
    """The sources a text cites (as a multiset) and its number of `^[…]` notes."""
    tokens = list(walk(parsed(value)))
    return (Counter(str(t.meta.get("key", "")) for t in tokens if t.type == "fn_cite"),
            sum(1 for t in tokens if t.type == "fn_note"))


def _calls_problem(original: str, translation: str) -> str:
    cited, notes = _calls(original)
    cited_now, notes_now = _calls(translation)
    problems = []
    if cited != cited_now:
        lost = sorted((cited - cited_now).elements())
        added = sorted((cited_now - cited).elements())
        if lost:
            problems.append("it lacks the citation" + ("s " if len(lost) > 1 else " ")
                            + ", ".join(f"[@{key}]" for key in lost))
        if added:
            problems.append("it adds the citation" + ("s " if len(added) > 1 else " ")
                            + ", ".join(f"[@{key}]" for key in added))
    if notes != notes_now:
        problems.append(f"it has {notes_now} note(s) ^[…] where the original has {notes}")
    return "; ".join(problems)


def apply(brief: Brief) -> tuple[Brief, list[BriefError]]:
    """The brief with each PO file's translations as entries of its texts, its stale and
    missing translations as `Brief.gaps` (an output needing one prints the old translation or
    the original, for a draft), and the errors: malformed files, doubled translations,
    translations whose citations or notes differ from the original's."""
    errors: list[BriefError] = []
    gaps: list[TranslationGap] = []
    added: dict[Mark, list[TextEntry]] = {}  # by Text.mark
    items = translatables(brief)
    for language in brief.languages[1:]:
        path = catalog_path(brief, language)
        # anything there, the gate judges (read_catalog); no file: every text written once, in
        # the original, is missing
        if not files.exists(path):
            gaps.extend(TranslationGap(item.text.mark, language, False, item.original.mark,
                                       item.where, item.path.msgctxt, no_file=True)
                        for item in items if item.original.language == ANY_LANGUAGE
                        and all(e.language != language for e in item.text.entries))
            continue
        try:
            entries = _entries(read_catalog(path))
        except BriefError as exc:
            errors.append(exc)
            continue
        errors.extend(_translated_names(brief, path, entries))
        known = {item.path.msgctxt for item in items}
        orphans = {entry.msgid: entry for key, entry in entries.items() if key not in known}
        for item in items:
            inline = next((e for e in item.text.entries if e.language == language), None)
            entry = entries.get(item.path.msgctxt)
            translated = entry is not None and bool(entry.msgstr.strip())
            if inline is not None:
                if entry is not None and translated:
                    errors.append(ContentError(
                        Mark(path, entry.linenum or 1), f"{item.where} is translated twice: "
                        f"here and inline in {inline.mark.path.name} at line "
                        f"{inline.mark.line}; keep one (remove `{language}: …` there, or "
                        "this entry)", item.text.field))
                continue
            entry_mark = Mark(path, entry.linenum or 1) if entry is not None else Mark(path, 1)
            if entry is None or not translated or entry.fuzzy \
                    or entry.msgid != item.original.value:
                stale = entry is not None and translated
                orphan = orphans.get(item.original.value) if entry is None else None
                if orphan is not None:
                    entry_mark = Mark(path, orphan.linenum or 1)
                gaps.append(TranslationGap(
                    item.text.mark, language, stale, entry_mark, item.where, item.path.msgctxt,
                    fuzzy_only=stale and entry is not None
                    and entry.msgid == item.original.value
                    and entry.previous_msgid in (None, "", entry.msgid),
                    orphan=orphan.msgctxt if orphan is not None else ""))
                value = entry.msgstr if entry is not None and translated else \
                    item.original.value
                added.setdefault(item.text.mark, []).append(replace(
                    item.original, language=language, value=value) if not stale else
                    TextEntry(language, value, entry_mark, PO_STYLE))
                continue
            assert entry is not None
            problem = _calls_problem(item.original.value, entry.msgstr)
            changed = "" if problem else _locators_problem(item.original.value, entry.msgstr)
            if problem:
                errors.append(ContentError(
                    entry_mark, f"the translation of {item.where} does not keep the original's "
                    f"footnotes: {problem}; citations [@key] and notes ^[…] must survive "
                    "translation", item.text.field))
            elif changed:
                errors.append(ContentError(
                    entry_mark, f"the translation of {item.where} changes where a citation "
                    f"points: {changed}; write the original's page (or other number) — only "
                    "its label may be the language's, as `p.` → `S.`", item.text.field))
            added.setdefault(item.text.mark, []).append(
                TextEntry(language, entry.msgstr, entry_mark, PO_STYLE))
    if not added:
        return replace(brief, gaps=tuple(gaps)), errors
    return replace(_with_entries(brief, added), gaps=tuple(gaps)), errors


def inline_locator_warnings(brief: Brief) -> list[BriefError]:
    """Inline translations (`{nl: …, en: …}`) citing the same sources as the original but with
    other locator numbers (`p. 42` → `p. 43`), at the translation's line: a warning (inline
    translations may cite differently on purpose; a PO file's may not, see `apply`)."""
    warnings: list[BriefError] = []
    for item in translatables(brief):
        if item.original.language == ANY_LANGUAGE:
            continue
        for entry in item.text.entries:
            if entry.language in (item.original.language, ANY_LANGUAGE) \
                    or entry.style == PO_STYLE or entry.language not in brief.languages \
                    or _calls_problem(item.original.value, entry.value):
                continue
            changed = _locators_problem(item.original.value, entry.value)
            if changed:
                warnings.append(ContentError(
                    entry.mark, f"{item.where} ({entry.language}) changes where a citation "
                    f"points: {changed}; write the original's page (or other number) — only "
                    "its label may be the language's, as `p.` → `S.`", item.text.field))
    return warnings


def _translated_names(brief: Brief, path: Path, entries: dict[str, polib.POEntry]
                      ) -> list[BriefError]:
    """A PO entry translating, differently, a text the brief lists as the same in every
    language: which is meant cannot be told, so it is an error at the entry."""
    errors: list[BriefError] = []
    listed = dict(brief.same_in_every_language)
    for text_path, text, where in _all_texts(brief):
        entry = entries.get(text_path.msgctxt)
        if text is None or entry is None or not is_same(brief, text_path) \
                or not entry.msgstr.strip() or entry.msgstr == entry.msgid:
            continue
        item = same_item(text_path.msgctxt) or ""
        name = item if item in listed else "sources"
        errors.append(ContentError(
            Mark(path, entry.linenum or 1), f"{where} is translated here, but brief.yaml says "
            f"it is the same in every language (`same_in_every_language:` lists {name!r} at "
            f"line {listed[name].line}); take {name!r} off that list to print this "
            f"translation, or delete this entry (`brief translate {brief.id}` marks it "
            "obsolete)", text.field))
    return errors


#: A locator's numbers: `p. 42` → 42, `S. 7–9` → 7, 9 (its label may be translated).
_NUMBER_RE = re.compile(r"\d+")


def _citations(value: str) -> list[tuple[str, tuple[str, ...], str]]:
    """Each citation of a text: its source key, its locator's numbers and its locator."""
    return [(str(t.meta.get("key", "")),
             tuple(_NUMBER_RE.findall(str(t.meta.get("locator", "")))),
             str(t.meta.get("locator", ""))) for t in walk(parsed(value)) if t.type == "fn_cite"]


def _locators_problem(original: str, translation: str) -> str:
    """Citations whose page (or other locator number) a translation changed — its label may be
    the language's (`p. 42` → `S. 42`), its numbers must be the original's: what it cites
    instead of what ("" when every citation keeps its numbers)."""
    before, after = _citations(original), _citations(translation)
    lost = Counter((key, numbers) for key, numbers, _ in before)
    lost.subtract((key, numbers) for key, numbers, _ in after)
    if not +lost:
        return ""

    def written(citations: list[tuple[str, tuple[str, ...], str]], wanted: Counter[
            tuple[str, tuple[str, ...]]]) -> str:
        left = Counter(wanted)
        shown = []
        for key, numbers, locator in citations:
            if left[(key, numbers)] > 0:
                left[(key, numbers)] -= 1
                shown.append(f"[@{key}, {locator}]" if locator else f"[@{key}]")
        return ", ".join(shown)

    return (f"it cites {written(after, -lost)} where the original cites "
            f"{written(before, +lost)}")


def _with_entries(brief: Brief, added: dict[Mark, list[TextEntry]]) -> Brief:
    """The brief with `added` entries put first in the texts they belong to (by `Text.mark`),
    so that they win over a plain value written for every language."""

    def text(value: Text | None) -> Text | None:
        if value is None or value.mark not in added:
            return value
        return replace(value, entries=(*added[value.mark], *value.entries))

    def sections(values: tuple[Section, ...]) -> tuple[Section, ...]:
        return tuple(replace(s, title=text(s.title), body=text(s.body),
                             sections=sections(s.sections)) for s in values)

    contact = brief.contact
    if contact is not None:
        contact = replace(contact, name=text(contact.name))
    title, organisation = text(brief.title), text(brief.organisation)
    assert title is not None and organisation is not None
    return replace(
        brief, title=title, subtitle=text(brief.subtitle), organisation=organisation,
        summary=text(brief.summary), sections=sections(brief.sections), contact=contact,
        letter=text(brief.letter),
        sources=tuple(replace(s, title=text(s.title) or s.title, publisher=text(s.publisher),
                              author=text(s.author)) for s in brief.sources))


def gap_error(gap: TranslationGap, brief_id: str, outputs: Iterable[str]) -> ContentError:
    """A stale or missing translation that outputs need, as the error `check` and `build`
    report at its PO line."""
    names = ", ".join(outputs)
    fix = (f"run `brief translate {brief_id} --to {gap.language}`, then update the entry "
           "and remove its fuzzy flag")
    if gap.stale and gap.fuzzy_only:
        message = (f"the {gap.language} translation of {gap.field} is marked fuzzy (needs "
                   f"review); {names} print(s) it; remove the fuzzy flag when the translation "
                   "is right")
    elif gap.stale:
        message = (f"the {gap.language} translation of {gap.field} is stale: the original "
                   f"changed since it was translated; {names} print(s) it; {fix}")
    elif gap.orphan:
        message = (f"the {gap.language} translation of {gap.field} is missing: this entry "
                   f"has its text but msgctxt {gap.orphan!r}, which names no text of the "
                   f"brief; {names} print(s) it; write `msgctxt {_po_quoted(gap.msgctxt)}` "
                   "(a msgctxt is a key: it is not translated)")
    elif gap.mark.line == 1:
        message = (f"the {gap.language} translation of {gap.field} (msgctxt "
                   f"{gap.msgctxt!r}) is missing: the file has no entry for it; {names} "
                   f"print(s) it; run `brief translate {brief_id} --to {gap.language}`, then "
                   "translate the new entry")
    else:
        message = (f"the {gap.language} translation of {gap.field} is missing (empty); "
                   f"{names} print(s) it; translate the entry (msgstr)")
    item = same_item(gap.msgctxt) if gap.msgctxt.startswith(_NAMES) else None
    if item is not None and not gap.stale:
        message += (f"; a name, the same in every language? then list it in brief.yaml, "
                    f"`same_in_every_language: [{item}]`")
    return ContentError(gap.mark, message, gap.field)


def untranslated_error(gaps: list[TranslationGap], brief_id: str, original: str,
                       outputs: Iterable[str]) -> ContentError:
    """Texts written once, in the original language, that outputs in a language without a PO
    file print: one error for the language, at the first text, naming each (the first few)."""
    first, language = gaps[0], gaps[0].language
    names = ", ".join(dict.fromkeys(outputs))
    neutral = list(dict.fromkeys(item for gap in gaps if gap.msgctxt.startswith(_NAMES)
                                 and (item := same_item(gap.msgctxt))))
    same = (f"; a name that is the same in every language is listed instead: "
            f"`same_in_every_language: [{', '.join(neutral)}]`" if neutral else "")
    fix = (f"translate it: run `brief translate {brief_id} --to {language}` and fill in "
           f"translations/{language}.po (or write it in brief.yaml as "
           f"`{{{original}: …, {language}: …}}`){same}; `--draft` prints the original, marked "
           "as a draft")
    if len(gaps) == 1:
        message = (f"{first.field} is written only in {original}, the original language, and "
                   f"{names} print(s) it in {language}: it has no {language} translation "
                   f"(the brief has no translations/{language}.po); {fix}")
    else:
        shown = ", ".join(f"{gap.field} (line {gap.mark.line})" for gap in gaps[:4])
        more = f" and {len(gaps) - 4} more texts" if len(gaps) > 4 else ""
        message = (f"{len(gaps)} texts are written only in {original}, the original language, "
                   f"and {names} print(s) them in {language}: {shown}{more} have no {language} "
                   f"translation (the brief has no translations/{language}.po); "
                   + fix.replace("translate it:", "translate them:")
                   .replace("write it in", "write each in"))
    return ContentError(first.mark, message, first.field)


def _po_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------------------------------------
# Writing


@dataclass
class Update:
    """What `update` did to one PO file."""

    path: Path
    created: bool = False
    added: list[str] = field(default_factory=list)  # msgctxt of new entries
    fuzzy: list[str] = field(default_factory=list)  # entries whose original changed
    obsolete: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)  # inline translations copied in
    inline: list[str] = field(default_factory=list)  # inline translations left in brief.yaml
    #: `same_in_every_language:` items for untranslated texts that may be names (organisation,
    #: contact, sources): the same in every language, listed instead of translated
    neutral: list[str] = field(default_factory=list)
    total: int = 0


def _metadata(language: str) -> dict[str, str]:
    return {"Project-Id-Version": f"brief {__version__}", "Language": language,
            "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit"}


def update(brief: Brief, language: str, wanted: list[tuple[Translatable, str]], *,
           move_inline: bool = False) -> tuple[polib.POFile, Update]:
    """The PO file for `language` brought up to date with `wanted` (each translatable with the
    outputs that print it, "" when none does yet), and what changed. Not written here."""
    path = catalog_path(brief, language)
    report = Update(path, created=not files.exists(path))
    old = polib.POFile(wrapwidth=78) if report.created else read_catalog(path)
    old_entries = {e.msgctxt: e for e in old if e.msgctxt is not None}
    catalog = polib.POFile(wrapwidth=78)
    catalog.metadata = {**_metadata(language), **old.metadata, "Language": language,
                        "Content-Type": "text/plain; charset=UTF-8"}
    catalog.header = old.header or (f"Translations of the brief {brief.id!r} into {language}."
                                    " Edit with Poedit, Weblate or any PO editor; see "
                                    "docs/translating.md.")
    kept: set[str] = set()
    for item, printed_by in wanted:
        key = item.path.msgctxt
        inline = next((e for e in item.text.entries if e.language == language), None)
        if inline is not None and not move_inline:
            report.inline.append(key)
            continue
        neutral = _neutral(item)
        comment = item.where + (f"\nPrinted in: {printed_by}" if printed_by else
                                "\nNo output prints this language yet") + (
            f"\nA name, the same in every language? Then leave this empty and list "
            f"`{neutral}` under `same_in_every_language:` in brief.yaml" if neutral else "")
        occurrence = (item.original.mark.path.name, str(item.original.mark.line))
        entry = old_entries.get(key)
        if entry is None:
            entry = polib.POEntry(msgctxt=key, msgid=item.original.value, msgstr="")
            report.added.append(key)
        elif entry.msgid != item.original.value:
            if entry.msgstr.strip():
                if not entry.fuzzy or not entry.previous_msgid:
                    entry.previous_msgid = entry.msgid  # what the translation was made from
                if not entry.fuzzy:
                    entry.flags.append("fuzzy")
                report.fuzzy.append(key)
            entry.msgid = item.original.value
        entry.obsolete = False
        entry.comment = comment
        entry.occurrences = [occurrence]
        if inline is not None and move_inline and not entry.msgstr.strip():
            entry.msgstr = inline.value
            report.moved.append(key)
        catalog.append(entry)
        kept.add(key)
    for key, entry in old_entries.items():
        if key not in kept and key not in report.inline:
            if not entry.obsolete:
                report.obsolete.append(key)
            entry.obsolete = True
            catalog.append(entry)
    report.total = len(kept)
    translated = {e.msgctxt for e in catalog if e.msgstr.strip() and not e.obsolete}
    report.neutral = list(dict.fromkeys(
        neutral for item, _ in wanted if item.path.msgctxt in kept
        and item.path.msgctxt not in translated and (neutral := _neutral(item))))
    return catalog, report


def _neutral(item: Translatable) -> str | None:
    """The `same_in_every_language:` item of a text written once that may be a name (the
    organisation, the contact, a source), to offer; None for any other."""
    if item.original.language != ANY_LANGUAGE or not item.path.msgctxt.startswith(_NAMES):
        return None
    return same_item(item.path.msgctxt)


def save(catalog: polib.POFile, path: Path) -> None:
    """Write a PO file atomically (polib writes the text), never through a folder that is a
    link leading out of content/."""
    files.destination(_content(path), path, what=f"translation file {path.name!r}")
    write_atomic(path, catalog.__unicode__().encode("utf-8"))


def _cited_in(texts: Iterable[Text | None]) -> set[str]:
    return {key for text in texts if text is not None for entry in text.entries
            for key in cited_keys(entry.value)}


def printed_by(brief: Brief, audience: Audience) -> set[Mark]:
    """The texts (by `Text.mark`) an audience's outputs print, in any language: what `select`
    chooses, without resolving a language."""
    texts: list[Text | None] = [brief.title, brief.subtitle, brief.organisation]
    if brief.summary_shown_to(audience.name):
        texts.append(brief.summary)

    def walk(sections: tuple[Section, ...]) -> None:
        for section in sections:
            if section.shown_to(audience.name):
                texts.extend((section.title, section.body))
                walk(section.sections)

    walk(brief.sections)
    if audience.contact and brief.contact is not None:
        texts.append(brief.contact.name)
    cited = _cited_in(texts)
    for source in brief.sources:
        if source.key in cited:
            texts.extend((source.title, source.publisher, source.author))
    return {text.mark for text in texts if text is not None}


def wanted(brief: Brief, language: str) -> list[tuple[Translatable, str]]:
    """The texts a PO file for `language` holds, each with the outputs that print it ("" for
    every text when no audience uses the language yet)."""
    users = [a for a in brief.audiences if language in a.languages]
    by_audience = {a.name: printed_by(brief, a) for a in users}
    web = {a.name: a.medium == "web" for a in users}  # the web edition's page, not a PDF
    result = []
    letter_mark = brief.letter.mark if brief.letter is not None else None
    for item in translatables(brief):
        names = [f"{brief.id}/web/{language}/" if web[a] else f"{brief.id}.{a}.{language}.pdf"
                 for a, marks in by_audience.items() if item.text.mark in marks]
        if item.text.mark == letter_mark and users:  # printed by `brief personalise` only
            names = [f"the cover letter of personal copies ({', '.join(by_audience)})"]
        if names or not users:
            result.append((item, ", ".join(names)))
    return result


def without_inline(text: str, brief: Brief, language: str, moved: set[str]
                   ) -> tuple[str, list[str]]:
    """brief.yaml's text without the inline `language:` translations of the texts `moved`
    (by msgctxt), where each is written on lines of its own (`en: |` and its block, or
    `en: "…"`), and the msgctxt of those it could not remove (in brackets `{nl: …, en: …}`)."""
    lines = text.splitlines(keepends=True)
    drop: set[int] = set()
    left: list[str] = []
    for item in translatables(brief):
        if item.path.msgctxt not in moved:
            continue
        inline = next((e for e in item.text.entries if e.language == language), None)
        if inline is None:
            continue
        first = inline.mark.line - 1
        line = lines[first]
        if not line.lstrip().startswith(f"{language}:"):
            left.append(item.path.msgctxt)
            continue
        indent = len(line) - len(line.lstrip())
        last = first
        for number in range(first + 1, len(lines)):
            stripped = lines[number].strip()
            if stripped and len(lines[number]) - len(lines[number].lstrip()) <= indent:
                break
            if stripped:
                last = number
        drop.update(range(first, last + 1))
    return "".join(line for number, line in enumerate(lines) if number not in drop), left


def fingerprint(brief: Brief) -> list[tuple[str, str, str]]:
    """Every text of a brief in every language, without where it is written."""
    return [(path.msgctxt, entry.language, entry.value)
            for path, text, _ in _all_texts(brief) if text is not None
            for entry in text.entries]


# ---------------------------------------------------------------------------------------------
# Counting


@dataclass(frozen=True, slots=True)
class Coverage:
    """One language of a brief, as `brief status` shows it."""

    language: str
    texts: int
    translated: int
    stale: int
    missing: int
    buildable: tuple[str, ...]  # audiences whose output in this language can be built
    blocked: tuple[str, ...]  # audiences whose output needs a stale or missing translation
