"""The holes rule in two columns (generator/make/typeset/holes.py), on real PDFs: no column's
foot is left empty while the next column's block could have started there, and no page is left with
only what comes before the columns (the title, the summary) while the column text starts on
the next page. Where text sits is read from the PDF (pypdfium2's character boxes): a column is
the left or right half of the page.

The cases find their own length, as those of test_typeset_pages.py do: the number of paragraphs
that makes the defect is searched on layouts made without the rules."""

from __future__ import annotations

import dataclasses
import textwrap
from collections import Counter
from pathlib import Path

import pypdfium2
import pytest

from generator.make import typeset
from generator.make.pdf import render_pdf
from generator.project import OutputId, Project
from generator.run.build import build
from generator.run.pipeline import load_brief, prepare

from .support import SAMPLE, copy_project, write

BRIEF_ID = "columns"

#: The sample's MEP design (two columns), with quotes kept whole as a one-column design keeps
#: them (mep.css lets them break): a quote that does not fit at a column's foot leaves a hole.
COLUMNS = textwrap.dedent("""
    columns:
      languages: ["en"]
      template: "brief.html.j2"
      stylesheets: ["base.css", "brief.css", "mep.css", "whole-quotes.css"]
      contact: true
    """)

PARA = ("Prevention works when schools use methods that have been tested, and when the help "
        "that victims receive is organised around their needs rather than around the services "
        "that happen to exist in their region. ") * 3
QUOTE_START = "The experts agree that what is known to work"
QUOTE = "> " + ("The experts agree that what is known to work should be done first, and that "
                "every new measure should be tested before it is rolled out. ") * 10


def brief_text(paragraphs: int, *, after: str = "", summary: bool = False,
               audience: str = "columns") -> str:
    body = "\n\n".join([PARA] * paragraphs + ([after] if after else []))
    return textwrap.dedent("""\
        title: {en: "Columns"}
        organisation: "NGO"
        date: "2024-05-01"
        languages: [en]
        audiences: [AUDIENCE]
        contact: {name: {en: "Policy team"}, email: "team@example.org", url: "https://example.org/contact"}
        """).replace("AUDIENCE", audience) + (textwrap.dedent("""\
        summary:
          en: "What the brief asks for, and why: one paragraph readers who read nothing else read."
        """) if summary else "") + textwrap.dedent("""\
        sections:
          - id: intro
            title: {en: "Introduction"}
            body:
              en: |
        """) + textwrap.indent(body, " " * 10) + "\n"


@pytest.fixture(scope="module")
def columns(tmp_path_factory) -> Project:
    project = Project.at(copy_project(tmp_path_factory.mktemp("columns")))
    project.audiences_file.write_text(project.audiences_file.read_text() + COLUMNS)
    (project.styles / "whole-quotes.css").write_text("blockquote { break-inside: avoid; }\n")
    return project


def laid_out(project: Project, text: str, *, rules: bool = True, name: str = "columns"
             ) -> Path:
    """The PDF of the `name` output of `text` (without a page budget, nor steps to fit it:
    `columns` has none), without the typesetting rules when `rules` is false."""
    write(project, text, BRIEF_ID)
    brief = load_brief(project, BRIEF_ID)
    audience = dataclasses.replace(brief.audience(name), max_pages=None, fit=())
    prepared = prepare(project, brief, OutputId(BRIEF_ID, name, "en"))
    saved = typeset.RULES
    typeset.RULES = typeset.RULES if rules else ()
    try:
        result = render_pdf(prepared.html, brief.path.parent, audience, project,
                            output_name="probe", content_file=brief.path)
    finally:
        typeset.RULES = saved
    path = project.root / ("probe.pdf" if rules else "probe-bare.pdf")
    path.write_bytes(result.pdf)
    return path


def where(pdf: Path, text: str) -> tuple[int, str] | None:
    """The page (1-based) and column ("left", "right") where `text` starts, or None."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        for number in range(len(document)):
            page = document[number]
            textpage = page.get_textpage()
            found = textpage.search(text, match_case=True).get_next()
            if found is not None:
                left, _, _, _ = textpage.get_charbox(found[0])
                return number + 1, "left" if left < page.get_width() / 2 else "right"
    finally:
        document.close()
    return None


def lines(pdf: Path) -> list[list[tuple[str, float, float]]]:
    """Per page, its body's text lines: (column, top, bottom) in points from the page's top,
    without the running head and folio (the top and bottom 15 mm)."""
    document = pypdfium2.PdfDocument(pdf)
    found = []
    try:
        for number in range(len(document)):
            page = document[number]
            width, height = page.get_width(), page.get_height()
            textpage = page.get_textpage()
            rows = []
            for index in range(textpage.count_rects()):
                left, bottom, _, top = textpage.get_rect(index)
                if not textpage.get_text_bounded(*textpage.get_rect(index)).strip():
                    continue
                if height - top < 15 / 25.4 * 72 or bottom < 15 / 25.4 * 72:
                    continue
                rows.append(("left" if left < width / 2 else "right", height - top,
                             height - bottom))
            found.append(rows)
    finally:
        document.close()
    return found


# ---------------------------------------------------------------------------------------------
# a hole at a column's foot


def hole_before_quote(project: Project) -> str:
    """A brief whose long quote, kept whole, does not fit at the left column's foot on page 1
    and starts the right column (without the rules)."""
    for paragraphs in range(1, 8):
        text = brief_text(paragraphs, after=QUOTE + "\n\n" + PARA)
        if where(laid_out(project, text, rules=False), QUOTE_START) == (1, "right"):
            return text
    raise AssertionError("the quote never starts the right column")


@pytest.mark.slow
def test_a_quote_kept_whole_starts_at_the_column_foot_rather_than_leave_a_hole(columns):
    text = hole_before_quote(columns)
    before = laid_out(columns, text, rules=False)
    after = laid_out(columns, text)
    assert where(before, QUOTE_START) == (1, "right")
    assert where(after, QUOTE_START) == (1, "left")  # it starts at the left column's foot
    assert where(after, "rolled out. " * 1 + "The experts")[0] == 1  # and goes on


@pytest.mark.slow
def test_the_rule_finds_the_column_hole_and_says_which_column(columns):
    text = hole_before_quote(columns)
    write(columns, text, BRIEF_ID)
    brief = load_brief(columns, BRIEF_ID)
    prepared = prepare(columns, brief, OutputId(BRIEF_ID, "columns", "en"))
    found = []

    class Probe:
        NAME = "probe"

        @staticmethod
        def find(laid: typeset.Laid) -> list[typeset.Defect]:
            found.extend(typeset.holes.find(laid))
            return []

        @staticmethod
        def repair(laid: typeset.Laid, defects: object) -> None:
            return None

    saved = typeset.RULES
    typeset.RULES = (Probe,)  # type: ignore[assignment]
    try:
        render_pdf(prepared.html, brief.path.parent, brief.audience("columns"), columns,
                   output_name="probe", content_file=brief.path)
    finally:
        typeset.RULES = saved
    assert [(d.page, d.words) for d in found] == [(1, QUOTE_START[:40].rstrip() + "…")]
    assert found[0].message.startswith("column 1 ends with ")


# ---------------------------------------------------------------------------------------------
# the columns moved whole to page 2


def moved_whole(project: Project, audience: str = "columns") -> str:
    """A short brief whose column text, laid out without the rules, starts on page 2 and
    leaves page 1 with only the title block and the summary."""
    for paragraphs in range(3, 12):
        text = brief_text(paragraphs, summary=True, audience=audience)
        found = where(laid_out(project, text, rules=False, name=audience), "Prevention works")
        if found is not None and found[0] == 2:
            return text
    raise AssertionError("the columns never move whole to page 2")


@pytest.mark.slow
def test_a_short_brief_starts_its_columns_on_page_1(columns):
    text = moved_whole(columns)
    before = laid_out(columns, text, rules=False)
    after = laid_out(columns, text)
    assert where(before, "Prevention works")[0] == 2
    assert where(before, "Introduction")[0] == 2  # page 1: only the title and summary
    assert where(after, "Introduction") == (1, "left")
    assert {column for column, _, _ in lines(after)[0]} == {"left", "right"}  # two columns


@pytest.mark.slow
def test_a_short_mep_brief_is_fitted_to_page_1_by_the_steps_its_audience_allows(columns):
    """The sample's `mep` design, built: the columns start on page 1, and the contact block,
    let break away from them, is kept off a page of its own by the audience's `fit:` steps."""
    text = moved_whole(columns, "mep")
    write(columns, text, BRIEF_ID)
    result = build(columns, [BRIEF_ID])
    assert result.ok, [e.format_message() for _, e in result.failed]
    (built,) = result.built
    assert built.defects == 0
    assert where(built.path, "Introduction") == (1, "left")
    assert where(built.path, "Policy team") is not None
    first = lines(built.path)[0]
    assert {column for column, _, _ in first} == {"left", "right"}
    assert built.pages == 1 or where(built.path, "Prevention works")[0] == 1


# ---------------------------------------------------------------------------------------------
# the sample


MEP = [f"{SAMPLE}.mep.{language}.pdf" for language in ("en", "de", "fr", "pl")]


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Project:
    project = Project.at(copy_project(tmp_path_factory.mktemp("sample")))
    result = build(project, [SAMPLE])
    assert result.ok, [e.format_message() for _, e in result.failed]
    return project


def column_holes(pdf: Path) -> list[tuple[int, float]]:
    """The pages whose left column ends more than 15 % above the right one's
    foot while what starts the right column would have fitted there: body text, or a heading
    that with its first two lines of text is no taller than the gap. Each with the gap (pt).
    What follows the columns (the notes, the contact block) is left out: below the right
    column's foot."""
    found = []
    pages = lines(pdf)
    for number, rows in enumerate(pages, 1):
        right = sorted(row for row in rows if row[0] == "right")
        if not right:
            continue
        foot = max(row[2] for row in right)
        left = [row for row in rows if row[0] == "left" and row[1] < foot]
        top = min(row[1] for row in right)
        gap = foot - max((row[2] for row in left), default=top)
        if gap <= 0.15 * (foot - top):
            continue
        body = Counter(round(row[2] - row[1], 1) for row in right).most_common(1)[0][0]
        text = [row for row in right if abs((row[2] - row[1]) - body) < 0.3]
        tops = sorted({round(row[1]) for row in text})
        if right[0] in text or len(tops) < 2 \
                or max(row[2] for row in text if round(row[1]) == tops[1]) - top <= gap:
            found.append((number, round(gap, 1)))
    return found


@pytest.mark.slow
def test_the_measure_finds_a_column_hole(columns):
    """The sample's measure below, on a layout with a hole (made without the rules)."""
    text = hole_before_quote(columns)
    assert [page for page, _ in column_holes(laid_out(columns, text, rules=False))] == [1]
    assert column_holes(laid_out(columns, text)) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", MEP)
def test_no_column_of_the_sample_ends_with_a_hole(sample, name):
    pdf = sample.out / SAMPLE / name
    assert len(lines(pdf)) >= 3
    assert column_holes(pdf) == []
