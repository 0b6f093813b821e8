"""letter: STUB (replaced by the `letters` branch) — a brief, audience and recipient → HTML."""

from __future__ import annotations

import dataclasses
import datetime

from .errors import BriefError
from .html import environment
from .model import Audience, Brief
from .project import Project
from .recipients import Recipient


def letter_audience(audience: Audience) -> Audience:
    return dataclasses.replace(audience, template="cover-letter.html.j2",
                               stylesheets=("letter.css",), max_pages=None)


def letter_html(project: Project, brief: Brief, audience: Audience, recipient: Recipient,
                language: str, *, today: datetime.date | None = None) -> str:
    title = next((e.value for e in brief.title.entries if e.language == language),
                 brief.title.entries[0].value)
    return environment(project.templates).get_template("cover-letter.html.j2").render(
        language=language, name=recipient.name, salutation=recipient.salutation, title=title,
        committee=recipient.field("committee") or "",
        date=(today or datetime.date.today()).isoformat())


def letter_problems(brief: Brief, columns: tuple[str, ...]) -> list[BriefError]:
    return []


def letter_languages(brief: Brief) -> tuple[str, ...]:
    return brief.languages
