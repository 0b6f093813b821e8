"""scaffold: a brief id, a language and audiences → a new `content/<id>/brief.yaml` (`brief new`),
with commented example content that passes `brief check` and builds in every audience it names.

The example shows each thing a writer needs once — a title, a summary, sections, a footnote
`^[…]`, a citation `[@key, p. 3]` and its source, a contact — in the brief's language: every
word of it that prints (titles, sentences, the locator's "p.") comes from the language's
gettext catalog `generator/locale/<lang>/LC_MESSAGES/scaffold.po` (all 24 EU languages; the
words the tool prints itself come from its `brief.po` catalogs). The comments that explain the
format stay in English, like the tool's messages. Its stand-ins are listed under
`placeholders:`, so every output warns about them and `--strict` refuses them until they are
replaced. An audience whose design prints
other languages is given `languages: [<the brief's>]` for this brief, so that it builds.
The file starts with the `# yaml-language-server: $schema=…` line that points editors at the
project's copy of the schema (written too, see `schema`).
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polib

from ..errors import BriefError, ContentError, Mark, raise_all
from ..project import Project
from ..run.write import write_atomic
from ..suggest import suggest
from ..text import locale
from .languages import language_problem
from .load import RawNode, load_yaml
from .model import LABELS_KEY
from .schema import modeline, write_project_schemas

#: The width the example's texts are wrapped at.
WIDTH = 96

#: The key every example cites.
SOURCE_KEY = "example-report"

#: The example content's texts by key, with the English each translates: the `msgid`s of
#: generator/locale/scaffold.pot. Each language's words are its catalog,
#: generator/locale/<lang>/LC_MESSAGES/scaffold.po (every EU language has one), read with polib.
WORDS = {
    "title": "The title of your brief",
    "organisation": "Your organisation",
    "summary": "One paragraph that says what the brief asks for, and why. Readers who read "
               "nothing else read this.",
    "contact": "Policy team",
    "messages": "Key messages",
    "first": "The first thing readers should remember.",
    "second": "The second thing readers should remember.",
    "page": "p. 3",
    "background": "Background",
    "paragraph": "A paragraph of background. A note at the foot of the page explains a detail.",
    "note": "A footnote: a remark that would interrupt the text.",
    "source": "Title of a report you cite",
    "publisher": "Publisher of the report",
}
DOMAIN = "scaffold"


def catalog_path(language: str) -> Path:
    return locale.LOCALE_DIR / locale.base(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache  # one per language: at most the catalogs shipped
def examples(language: str) -> dict[str, str]:
    """The example content's words in `language`, by key (`WORDS`), from its catalog; a word
    its catalog lacks (or a language without one) is the English (tests keep them complete)."""
    path = catalog_path(language)
    found: dict[str, str] = {}
    if path.is_file():
        found = {entry.msgctxt: entry.msgstr
                 for entry in polib.pofile(str(path), encoding="utf-8")
                 if entry.msgctxt in WORDS and entry.msgstr and not entry.fuzzy
                 and not entry.obsolete}
    return {key: found.get(key, english) for key, english in WORDS.items()}


def scaffold_languages() -> tuple[str, ...]:
    """The languages with a scaffold catalog, sorted."""
    return tuple(sorted(p.parent.parent.name
                        for p in locale.LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")))


#: The example sentences that `audit` finds still printed (the words too short or common to
#: tell — section titles, "p. 3", the contact's name — are left out).
_SENTENCES = ("title", "organisation", "summary", "first", "second", "paragraph", "note")


def example_sentences() -> tuple[str, ...]:
    """The example sentences of every language, as `brief new` writes them into a brief."""
    return tuple(dict.fromkeys(examples(language)[key] for language in scaffold_languages()
                               for key in _SENTENCES))


@dataclass(frozen=True, slots=True)
class NewBrief:
    """What `new_brief` made."""

    path: Path  # content/<id>/brief.yaml
    language: str
    audiences: tuple[str, ...]
    overridden: tuple[str, ...]  # audiences set to print the brief's language for this brief
    schemas: tuple[Path, ...]  # the project's schema files written (missing or out of date)


def _defined(project: Project) -> dict[str, tuple[str, ...]]:
    """The audiences of content/audiences.yaml, each with the languages its design prints."""
    raw = load_yaml(project.audiences_file)
    result = {}
    for name, node in raw.as_map.items():
        if name == LABELS_KEY or node.kind != "map":
            continue
        languages = node.as_map.get("languages")
        items: tuple[RawNode, ...] = () if languages is None else (
            (languages,) if languages.kind == "text" else languages.as_list)
        result[name] = tuple(item.as_text.strip() for item in items if item.as_text.strip())
    return result


def new_brief(project: Project, brief_id: str, *, language: str | None = None,
              audiences: list[str] | None = None, today: dt.date | None = None) -> NewBrief:
    """Write content/<brief_id>/brief.yaml, in `language` (default: the first language of the
    first audience), for `audiences` (default: every audience of content/audiences.yaml), and
    the project's copies of the schemas. Refuses an invalid id, an existing brief, an unknown
    audience or language — all at once."""
    problem = project.brief_id_problem(brief_id)
    if problem is not None:
        raise problem
    path = project.brief_file(brief_id)
    existing = path if path.exists() else project.brief_file_problem(brief_id)
    if existing is not None:
        raise ContentError(Mark(path, 1), f"brief {brief_id!r} exists already; edit it, or "
                           "choose another id (brief new does not overwrite)")
    defined = _defined(project)
    if not defined:
        raise ContentError(Mark(project.audiences_file, 1), "no audiences are defined; "
                           "define one (see docs/content-format.md, audiences.yaml)")
    chosen = list(dict.fromkeys(audiences or defined))
    errors: list[BriefError] = [
        BriefError(f"--audiences: {name!r} is not defined in content/audiences.yaml"
                   f"{suggest(name, defined)}; defined: {', '.join(defined)}")
        for name in chosen if name not in defined]
    chosen = [name for name in chosen if name in defined]
    if language is None:
        language = next((lang for name in chosen for lang in defined[name]), "en")
    problem_text = language_problem(language)
    if problem_text is not None:
        errors.append(BriefError(f"--language: {problem_text}"))
    elif not locale.has_catalog(language):
        errors.append(BriefError("--language: " + locale.missing_catalog(
            language, suggest(language, locale.catalog_languages()))))
    raise_all(errors)
    # (an audience listing no languages, a web edition, prints the brief's: nothing to set)
    overridden = tuple(name for name in chosen if defined[name] not in ((language,), ()))
    schemas = tuple(write_project_schemas(project))
    text = brief_yaml(project, brief_id, language, audiences=chosen, defined=defined,
                      overridden=overridden, today=today or dt.date.today())
    write_atomic(path, text.encode("utf-8"))
    return NewBrief(path, language, tuple(chosen), overridden, schemas)


def _q(text: str) -> str:
    """A text as a double-quoted YAML scalar."""
    return json.dumps(text, ensure_ascii=False)


def _block(text: str, indent: int) -> str:
    """A Markdown text as the lines of a `|` block scalar, paragraphs wrapped (a line break in
    Markdown is a space)."""
    lines = []
    for line in text.split("\n"):
        wrapped = textwrap.wrap(line, width=WIDTH - indent, break_long_words=False,
                                break_on_hyphens=False, subsequent_indent="  " * line
                                .startswith("- "))
        lines += [" " * indent + part for part in wrapped] or [""]
    return "\n".join(lines)


def brief_yaml(project: Project, brief_id: str, language: str, *, audiences: list[str],
               defined: dict[str, tuple[str, ...]], overridden: tuple[str, ...],
               today: dt.date) -> str:
    """The text of a new brief.yaml (see the module's docstring)."""
    words = examples(language)
    if overridden:
        lines = []
        for name in audiences:
            if name in overridden:
                prints = ", ".join(defined[name]) or "no language"
                lines.append(f"  {name}: {{languages: [{_q(language)}]}}  # its design prints "
                             f"{prints}; this brief is in {language}")
            else:
                lines.append(f"  {name}:")
        audience_block = "audiences:\n" + "\n".join(lines)
    else:
        audience_block = f"audiences: [{', '.join(_q(name) for name in audiences)}]"
    messages = (f"- {words['first']}[@{SOURCE_KEY}, {words['page']}]\n"
                f"- {words['second']}")
    background = f"{words['paragraph']}^[{words['note']}]"
    return f"""\
{modeline(project.brief_file(brief_id), project)}
# A new brief, made by `brief new`: replace the example content with your own. `brief check`
# says what is wrong, with file and line; the format is in docs/content-format.md. Put every
# text in quotes, or under `|` as the bodies below.

title: {_q(words['title'])}
# subtitle: "…"
organisation: {_q(words['organisation'])}
date: {_q(today.isoformat())}
# The brief's languages, the original first. To translate it, add a language here and run
# `brief translate {brief_id} --to <language>`.
languages: [{_q(language)}]
# Names printed as written in every language, not translated (see docs/translating.md):
# same_in_every_language: ["organisation", "contact"]
# Where the brief will be online: a QR code on print designs links to it.
url: "https://example.org/{brief_id}"
# Fields whose values are stand-ins: each prints with a visible mark, and every build warns
# (`--strict` refuses) until you fill it in and take it off this list.
placeholders: ["organisation", "url", "contact"]

# Printed under the title; Markdown.
summary: |
{_block(words['summary'], 2)}

# Printed by designs with `contact: true`.
contact:
  name: {_q(words['contact'])}
  email: "policy@example.org"
  url: "https://example.org/contact"

# The designs this brief is made in (content/audiences.yaml): one PDF per design and language.
{audience_block}

# Sections in order: a title, and a body in Markdown. A footnote is written in place,
# ^[like this]; a citation names a source below, [@{SOURCE_KEY}] or with a page,
# [@{SOURCE_KEY}, {words['page']}]. A section's `audiences: [...]` prints it for those only.
sections:
  - id: "key-messages"
    title: {_q(words['messages'])}
    body: |
{_block(messages, 6)}

  - id: "background"
    title: {_q(words['background'])}
    body: |
{_block(background, 6)}

# What citations name: a key, and the source's title, publisher or author, url, date.
sources:
  {SOURCE_KEY}:
    title: {_q(words['source'])}
    publisher: {_q(words['publisher'])}
    url: "https://example.org/report.pdf"
    date: "{today.year}"
"""
