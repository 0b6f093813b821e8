"""Markdown and footnote cases kept as files (tests/cases/*/NAME.md → NAME.html; see the README
there): each input is parsed, numbered and rendered as one output would, and must give exactly
the expected HTML."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.text import syntax
from generator.text.footnotes import number
from generator.text.render import RenderContext, to_html

CASES = Path(__file__).parent / "cases"

#: A line holding only this separates the texts of one output (numbered together, in order).
TEXT_BREAK = "%%%\n"

#: References print as <cite>key|locator</cite>, so a case shows exactly what reached them.
CONTEXT = RenderContext(lambda key, locator, form: f"<cite>{key}|{locator}</cite>")


def language_of(case: Path) -> str:
    """`quotes.de.md` is in German; a name without a language part is English."""
    _, dot, language = case.stem.rpartition(".")
    return language if dot else "en"


def render(source: str, language: str) -> str:
    """The texts of one output → their HTML, as the pipeline makes it, one text per block."""
    texts = source.split("\n" + TEXT_BREAK)
    tokens = [syntax.parse(text if text.endswith("\n") else text + "\n", language)
              for text in texts]
    number(tokens)
    return TEXT_BREAK.join(to_html(t, CONTEXT, language) for t in tokens)


def all_cases() -> list[Path]:
    return sorted(CASES.glob("*/*.md"))


def test_every_case_has_its_expected_html_and_there_are_enough():
    cases = all_cases()
    assert len(cases) >= 14, cases
    assert not [c for c in cases if not c.with_suffix(".html").is_file()]
    orphans = [h for h in CASES.glob("*/*.html") if not h.with_suffix(".md").is_file()]
    assert not orphans, orphans


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: f"{c.parent.name}/{c.stem}")
def test_case(case: Path):
    html = render(case.read_text(encoding="utf-8"), language_of(case))
    expected = case.with_suffix(".html")
    if os.environ.get("BRIEF_UPDATE_GOLDEN"):  # regenerate, then review the diff
        expected.write_text(html, encoding="utf-8")
    assert html == expected.read_text(encoding="utf-8")
