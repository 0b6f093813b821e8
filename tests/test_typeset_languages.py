"""A typesetter's rules in every EU language: a brief made by `brief new` in each of the 24, its
example text grown to several pages (its own words, so each language's hyphenation and word
lengths), built in every design of the sample; every output reports zero layout defects —
no word hyphenated across a page or column turn, no ladder, no last line that is a word's tail,
no hyphen in a heading, no near-empty last page, no hole (generator/make/typeset/)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from babel import Locale

from generator.project import Project
from generator.read.scaffold import new_brief
from generator.run.build import build
from generator.text import locale

from .support import copy_project

pytestmark = pytest.mark.slow  # 72 outputs

TODAY = dt.date(2026, 12, 6)
#: Paragraphs of the background section: 2-3 pages in the MEP brief's columns, 3-4 in the
#: full brief.
PARAGRAPHS = 12


def _words(language: str) -> list[str]:
    """Names in the language from CLDR (Babel): its names of countries and languages, long
    compounds included (German, Finnish, Hungarian), in groups of ten."""
    names = Locale.parse(language)
    words = [name for name in [*names.territories.values(), *names.languages.values()]
             if name.replace(" ", "").replace("-", "").isalpha()]
    return [", ".join(words[i:i + 10]) for i in range(0, len(words) - 10, 10)]


def _grown(text: str, language: str) -> str:
    """The brief's text with its background section grown to `PARAGRAPHS` paragraphs of the
    example's own sentences and the language's names (`_words`), and its placeholders filled,
    so that nothing else is reported."""
    groups = _words(language)

    def grow(match: re.Match[str]) -> str:
        indent, body = match[1], match[2]
        lines = [line.strip() for line in body.splitlines() if line.strip()]
        if not lines or lines[0].startswith("-"):
            return match[0]
        paragraph = " ".join(lines)
        plain = re.sub(r"\^\[[^\]]*\]", "", paragraph)
        grown = [paragraph] + [f"{plain} {groups[n % len(groups)]}. {plain} "
                               f"{groups[(n + 7) % len(groups)]}." for n in range(PARAGRAPHS)]
        return f"{indent}body: |\n" + "\n\n".join(f"{indent}  {p}" for p in grown) + "\n"

    text = re.sub(r"^( +)body: \|\n((?:\1  .*\n)+)", grow, text, flags=re.M)
    return re.sub(r"^placeholders: .*$", "placeholders: []", text, flags=re.M)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = Project.at(copy_project(tmp_path_factory.mktemp("typeset24")))
    ids = []
    for language in locale.catalog_languages():
        made = new_brief(project, f"b-{language}", language=language, today=TODAY)
        made.path.write_text(_grown(made.path.read_text(encoding="utf-8"), language),
                             encoding="utf-8")
        ids.append(f"b-{language}")
    result = build(project, ids)
    assert result.ok, [e.format_message() for _, e in result.failed]
    return result


def test_all_24_languages_are_built_in_every_design(built):
    languages = {output.id.language for output in built.built}
    assert languages == set(locale.catalog_languages()) and len(languages) == 24
    assert {output.id.audience for output in built.built} == {"full", "mep", "handout", "web"}
    assert all(output.pages >= 2 for output in built.built
               if output.id.audience != "handout" and output.id.kind == "pdf")


def test_no_layout_defect_in_any_language(built):
    defects = {f"{o.id.language}.{o.id.audience}": o.defects for o in built.built if o.defects}
    layout = [w.format_message() for w in built.warnings if "page " in w.format_message()
              and any(word in w.format_message() for word in ("hyphen", "page turn", "empty",
                                                               "last line", "last page"))]
    assert not defects, layout
