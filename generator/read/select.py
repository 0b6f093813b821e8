"""select: a `Brief`, one of its audiences and one language → a `Selection`: what that output
prints.

Sections not shown to the audience are dropped (with their subsections), and so is the summary
when the brief restricts it (`summary: {audiences: […]}`); every text the output
prints is resolved to the language, and a missing translation is an error naming the field, the
language and the audience. Texts the output does not print may be missing. Plain texts (titles,
organisation, contact name) get the language's typography (`plain.typeset`), as bodies do.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import BriefError, ContentError, raise_all
from ..text.lint import anchor_links, cited_keys
from ..text.typography.plain import typeset
from .model import Audience, Brief, Section, Text, TranslationGap


@dataclass(frozen=True, slots=True)
class SelectedSection:
    id: str
    level: int  # 2 for top-level sections (the brief's title is the h1)
    title: str | None
    body_index: int | None  # index into `Selection.texts`
    css_class: str
    sections: tuple[SelectedSection, ...]


@dataclass(frozen=True, slots=True)
class Selection:
    brief: Brief
    audience: Audience
    language: str
    title: str
    subtitle: str | None
    organisation: str
    summary_index: int | None
    contact_name: str | None
    sections: tuple[SelectedSection, ...]
    texts: tuple[str, ...]  # every Markdown text the output prints, in reading order
    printed: tuple[Text, ...] = ()  # every text field the output prints, in the order resolved

    @property
    def gaps(self) -> tuple[TranslationGap, ...]:
        """The stale or missing translations this output prints."""
        printed = {text.mark for text in self.printed}
        return tuple(gap for gap in self.brief.gaps
                     if gap.language == self.language and gap.text_mark in printed)


class _Resolver:
    def __init__(self, audience: Audience, language: str) -> None:
        self.audience = audience
        self.language = language
        self.errors: list[BriefError] = []
        self.texts: list[str] = []
        self.printed: list[Text] = []

    def text(self, text: Text | None) -> str | None:
        if text is None or not text.entries:  # absent, or already reported as missing
            return None
        value = text.get(self.language)
        if value is not None and text not in self.printed:
            self.printed.append(text)
        if value is None:
            have = ", ".join(e.language for e in text.entries)
            self.errors.append(ContentError(
                text.mark, f"{text.field} has no {self.language!r} text, which audience "
                f"{self.audience.name!r} prints (it has: {have}); add `{self.language}: …` or "
                f"leave the section out for {self.audience.name!r}", text.field))
        return value

    def plain(self, text: Text | None) -> str | None:
        """A plain text as it prints: with the language's quotation marks, apostrophes, …"""
        value = self.text(text)
        return None if value is None else typeset(value, self.language)

    def markdown(self, text: Text | None) -> int | None:
        value = self.text(text)
        if value is None:
            return None
        self.texts.append(value)
        return len(self.texts) - 1

    def sections(self, sections: tuple[Section, ...], level: int) -> tuple[SelectedSection, ...]:
        chosen = []
        for section in sections:
            if not section.shown_to(self.audience.name):
                continue
            title = self.plain(section.title)
            body_index = self.markdown(section.body)
            chosen.append(SelectedSection(
                id=section.id, level=level, title=title, body_index=body_index,
                css_class=section.css_class,
                sections=self.sections(section.sections, min(level + 1, 6))))
        return tuple(chosen)


def select(brief: Brief, audience: Audience, language: str) -> Selection:
    """What one output (brief × audience × language) prints; raises on missing translations."""
    resolve = _Resolver(audience, language)
    title = resolve.plain(brief.title)
    subtitle = resolve.plain(brief.subtitle)
    organisation = resolve.plain(brief.organisation)
    summary_index = (resolve.markdown(brief.summary)
                     if brief.summary_shown_to(audience.name) else None)
    sections = resolve.sections(brief.sections, 2)
    contact_name = None
    if audience.contact and brief.contact is not None:
        contact_name = resolve.plain(brief.contact.name)
    for text in resolve.texts:
        for key in cited_keys(text):
            source = brief.source(key)
            if source is not None:
                resolve.text(source.title)
                resolve.text(source.publisher)
                resolve.text(source.author)
    raise_all(resolve.errors)  # each problem once: a source cited twice is reported once
    return Selection(
        brief=brief, audience=audience, language=language, title=title or "",
        subtitle=subtitle, organisation=organisation or "", summary_index=summary_index,
        contact_name=contact_name, sections=sections, texts=tuple(resolve.texts),
        printed=tuple(resolve.printed))


def _printed_texts(brief: Brief, audience: Audience) -> Iterator[Text]:
    """The Markdown texts an audience's outputs print (as `select` chooses them)."""
    if brief.summary is not None and brief.summary_shown_to(audience.name):
        yield brief.summary

    def walk(sections: tuple[Section, ...]) -> Iterator[Text]:
        for section in sections:
            if section.shown_to(audience.name):
                if section.body is not None:
                    yield section.body
                yield from walk(section.sections)

    yield from walk(brief.sections)


def _ids(sections: tuple[SelectedSection, ...]) -> Iterator[str]:
    for section in sections:
        yield section.id
        yield from _ids(section.sections)


def anchor_problems(selection: Selection) -> list[BriefError]:
    """Links to `#id` whose section this output does not print (left out for the audience, or
    never there): a PDF reader would go nowhere."""
    ids = list(_ids(selection.sections))
    if selection.contact_name is not None or (selection.audience.contact
                                              and selection.brief.contact is not None):
        ids.append("contact")
    errors: list[BriefError] = []
    for text in _printed_texts(selection.brief, selection.audience):
        entry = text.entry(selection.language)
        if entry is None:
            continue
        for offset, target in anchor_links(entry.value):
            if target not in ids:
                errors.append(ContentError(
                    entry.mark_of(offset), f"link to '#{target}' goes nowhere in the "
                    f"{selection.audience.name!r} output ({selection.language}): no section "
                    f"there has that id; link to one of: {', '.join(ids) or 'none'}", text.field))
    return errors
