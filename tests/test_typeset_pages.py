"""Page-level typesetting rules (make/typeset/: fit.py, holes.py, leadin.py), on real PDFs:
an output fits its page budget with the steps its audience allows (`fit:`) or fails at the brief
naming them; no last page holds only the contact block and colophon; no page foot is left empty
while the next block could have started on it; a lead-in ending with a colon stays with its list.

The cases find their own length: the number of paragraphs that makes a page break where it should
is searched on layouts made without the rule (a change of the sample's fonts or stylesheets moves
it, not what the test asserts)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap

import pytest

from generator.errors import BriefError
from generator.make import typeset
from generator.make.pdf import render_pdf, typeset_context
from generator.project import OutputId, Project
from generator.run.build import build
from generator.run.pipeline import load_brief, prepare

from .support import copy_project, pages_text, squash, write

BRIEF_ID = "fitting"

#: An audience of the sample's MEP design, with a budget and the steps it may take to keep it.
TIGHT = textwrap.dedent("""
    tight:
      languages: ["en"]
      template: "brief.html.j2"
      stylesheets: ["base.css", "brief.css", "mep.css"]
      contact: true
      max_pages: 4
      fit: [leading, spacing, contact-beside-colophon]
    single:
      languages: ["en"]
      template: "brief.html.j2"
      stylesheets: ["base.css", "brief.css"]
    """)

PARA = ("Prevention works when schools use methods that have been tested, and when the help "
        "that victims receive is organised around their needs rather than around the services "
        "that happen to exist in their region. ") * 3

QUOTE = ("> " + "The experts agree that what is known to work should be done first, and that "
         "every new measure should be tested before it is rolled out to every school. " * 12)


def brief_text(paragraphs: int, *, override: str = "", after: str = "") -> str:
    body = "\n\n".join([PARA] * paragraphs + ([after] if after else []))
    return textwrap.dedent(f"""\
        title: {{en: "Fitting"}}
        organisation: "NGO"
        date: "2024-05-01"
        languages: [en]
        audiences:
          tight: {override}
          single:
        contact: {{name: {{en: "Policy team"}}, email: "team@example.org", url: "https://example.org/contact"}}
        sections:
          - id: intro
            title: {{en: "Introduction"}}
            body:
              en: |
        """) + textwrap.indent(body, " " * 10) + "\n"


@pytest.fixture(scope="module")
def tight(tmp_path_factory) -> Project:
    project = Project.at(copy_project(tmp_path_factory.mktemp("fit")))
    project.audiences_file.write_text(project.audiences_file.read_text() + TIGHT)
    return project


def laid_out(project: Project, text: str, *, rules: bool = True, design: str = "tight",
             **settings: object) -> tuple[int, list[str]]:
    """Pages and text per page of the `tight` output of `text` (in the MEP brief's two columns;
    `design="single"`: the full brief's one column), with the audience's settings changed
    (`max_pages=None`), and without the typesetting rules when `rules` is false."""
    write(project, text, BRIEF_ID)
    brief = load_brief(project, BRIEF_ID)
    audience = dataclasses.replace(brief.audience(design), **settings)
    prepared = prepare(project, brief, OutputId(BRIEF_ID, design, "en"))
    saved = typeset.RULES
    typeset.RULES = typeset.RULES if rules else ()
    try:
        result = render_pdf(prepared.html, brief.path.parent, audience, project,
                            output_name="probe", content_file=brief.path)
    finally:
        typeset.RULES = saved
    path = project.root / "probe.pdf"
    path.write_bytes(result.pdf)
    return result.pages, [squash(page) for page in pages_text(path)]


def overflowing(project: Project) -> int:
    """The fewest paragraphs that, laid out as the design has it, run onto a fifth page with
    only the closing blocks on it (the colophon, perhaps the contact block)."""
    for paragraphs in range(12, 60):
        pages, texts = laid_out(project, brief_text(paragraphs), rules=False, max_pages=None,
                                fit=())
        if pages == 5:
            assert squash("Published by NGO") in texts[4] and squash(PARA[:40]) not in texts[4]
            return paragraphs
    raise AssertionError("no length gives a fifth page")


@pytest.fixture(scope="module")
def overflow(tight) -> int:
    return overflowing(tight)


# ---------------------------------------------------------------------------------------------
# fit: the page budget, and the last page


@pytest.mark.slow
def test_an_output_a_page_over_its_budget_is_fitted_by_the_steps_its_audience_allows(
        tight, overflow):
    write(tight, brief_text(overflow, override="{fit: []}"), BRIEF_ID)
    result = build(tight, [BRIEF_ID])
    assert [e.format_message() for _, e in result.failed] == [
        f"{tight.brief_file(BRIEF_ID)}:6:3: out/{BRIEF_ID}/{BRIEF_ID}.tight.en.pdf has 5 pages, "
        f"1 over the budget of 4 for audience 'tight' (`max_pages: 4` in "
        f"content/audiences.yaml:{_line_of(tight, '  max_pages: 4', after='tight:')}); shorten "
        "the content, leave sections out for 'tight' (a section's `audiences:`), or raise the "
        "budget for this brief only: write `tight: {max_pages: 5}` under its `audiences:`"]

    write(tight, brief_text(overflow), BRIEF_ID)
    result = build(tight, [BRIEF_ID])
    assert result.ok, [e.format_message() for _, e in result.failed]
    assert [(o.pages, o.fitted[:1]) for o in result.built] == [(4, ("leading",))]
    texts = [squash(page) for page in pages_text(result.built[0].path)]
    assert len(texts) == 4
    assert squash("Policy team") in texts[3] and squash("Published by NGO") in texts[3]
    assert squash("region.ContactPolicy team") in texts[3]  # the text's end, then the contact


@pytest.mark.slow
def test_the_step_taken_is_said_with_verbose_only(tight, overflow):
    write(tight, brief_text(overflow), BRIEF_ID)
    said = []
    for flags in ((), ("-v",)):
        run = subprocess.run([sys.executable, "-m", "generator", "--project", str(tight.root),
                              "build", BRIEF_ID, "--force", *flags],
                             capture_output=True, text=True, check=False)
        assert run.returncode == 0, run.stdout + run.stderr
        said.append(run.stdout + run.stderr)
    assert "fitted" not in said[0]
    assert "fitted to 4 pages with slightly tighter leading" in said[1], said[1]


@pytest.mark.slow
def test_an_output_no_allowed_step_fits_fails_at_the_brief_naming_the_steps(tight, overflow):
    write(tight, brief_text(overflow + 6), BRIEF_ID)
    result = build(tight, [BRIEF_ID])
    fit_line = _line_of(tight, "  fit: [leading", after="tight:")
    [(_, error)] = result.failed
    message = error.format_message()
    assert message.startswith(f"{tight.brief_file(BRIEF_ID)}:6:3: out/{BRIEF_ID}/{BRIEF_ID}"
                              ".tight.en.pdf has 5 pages, 1 over the budget of 4"), message
    assert ("even with slightly tighter leading, less space between blocks and the contact "
            f"block beside the colophon (`fit:` in content/audiences.yaml:{fit_line}) it does "
            "not fit; shorten the content") in message


@pytest.mark.slow
def test_no_last_page_holds_only_the_contact_block_and_colophon(tight, overflow):
    """Without a budget too: the steps, all at once, take the closing blocks back."""
    pages, texts = laid_out(tight, brief_text(overflow), max_pages=None)
    assert pages == 4
    assert squash(PARA[:40]) in texts[3] and squash("Published by NGO") in texts[3]
    # an audience that allows no step keeps its fifth page (and the defect is reported)
    pages, _ = laid_out(tight, brief_text(overflow), max_pages=None, fit=())
    assert pages == 5


def _line_of(project: Project, text: str, *, after: str) -> int:
    lines = project.audiences_file.read_text().splitlines()
    start = lines.index(after)
    return next(i for i, line in enumerate(lines[start:], start + 1) if line.startswith(text))


# ---------------------------------------------------------------------------------------------
# `fit:` as written


@pytest.mark.parametrize(("value", "expected"), [
    ("[leading, spaceing]", "audience 'tight', fit: 'spaceing' is not a step brief knows to "
                            "fit the text to its pages (did you mean 'spacing'?); use leading, "
                            "spacing, contact-beside-colophon, key-messages"),
    ("[leading, leading]", "audience 'tight', fit: 'leading' is listed twice; remove one"),
    ("{leading: true}", "audience 'tight', fit must be a list, e.g. `[a, b]`"),
])
def test_a_wrong_fit_is_a_located_error(tmp_path, value, expected):
    project = Project.at(copy_project(tmp_path))
    project.audiences_file.write_text(project.audiences_file.read_text()
                                      + TIGHT.replace("[leading, spacing, contact-beside-"
                                                      "colophon]", value))
    write(project, brief_text(1), BRIEF_ID)
    with pytest.raises(BriefError) as info:
        load_brief(project, BRIEF_ID)
    line = _line_of(project, "  fit:", after="tight:")
    messages = info.value.lines(project.root)
    assert any(m.startswith(f"content/audiences.yaml:{line}:") and expected in m
               for m in messages), messages


def test_a_brief_chooses_its_own_steps(tmp_path):
    project = Project.at(copy_project(tmp_path))
    project.audiences_file.write_text(project.audiences_file.read_text() + TIGHT)
    write(project, brief_text(1), BRIEF_ID)
    assert load_brief(project, BRIEF_ID).audience("tight").fit == (
        "leading", "spacing", "contact-beside-colophon")
    write(project, brief_text(1, override="{fit: [spacing]}"), BRIEF_ID)
    assert load_brief(project, BRIEF_ID).audience("tight").fit == ("spacing",)
    write(project, brief_text(1, override="{fit: []}"), BRIEF_ID)
    assert load_brief(project, BRIEF_ID).audience("tight").fit == ()


# ---------------------------------------------------------------------------------------------
# holes: a block the design keeps whole starts at a page foot rather than leave it empty

QUOTE_START = "The experts agree that what is known to work"


def hole_before_quote(project: Project) -> int:
    """The fewest paragraphs before a long quote (half a page) that, laid out in one column as
    the full brief's design has it (a quote kept whole; the MEP brief's columns break quotes),
    push the quote to page 2: page 1 is then left a third empty."""
    for paragraphs in range(3, 12):
        text = brief_text(paragraphs, after=QUOTE + "\n\n" + PARA)
        _, texts = laid_out(project, text, rules=False, design="single", max_pages=None, fit=())
        if squash(QUOTE_START) in texts[1] and squash(QUOTE_START) not in texts[0]:
            return paragraphs
    raise AssertionError("the quote never starts page 2")


@pytest.mark.slow
def test_a_block_kept_whole_starts_at_the_page_foot_rather_than_leave_a_hole(tight):
    paragraphs = hole_before_quote(tight)
    text = brief_text(paragraphs, after=QUOTE + "\n\n" + PARA)
    _, before = laid_out(tight, text, rules=False, design="single", max_pages=None, fit=())
    _, after = laid_out(tight, text, design="single", max_pages=None, fit=())
    assert squash(QUOTE_START) not in before[0]
    assert squash(QUOTE_START) in after[0]  # the quote starts on page 1, goes on on page 2
    assert squash("rolled out to every school.") in after[1]


# ---------------------------------------------------------------------------------------------
# lead-in: a paragraph that ends with a colon stays with the list or table it introduces

LEAD_IN = "The experts recommend three things:"
ITEM = ("invest in prevention that has been shown to work, in schools and in the places where "
        "young people spend their time, and test every new measure")
#: A table (a list ending a page keeps its lead-in already: WeasyPrint moves both).
TABLE = "| Measure | Effect |\n|---|---|\n" + "\n".join(
    f"| {ITEM} ({number}) | proven, and tested in schools over several years |"
    for number in range(1, 5))
SENTENCE = ("Support for victims is fragmented and must match their needs, and the forensic "
            "examination of victims needs a lasting solution as well. ")
WORDS = SENTENCE.split(" ")


#: A short quotation a lead-in introduces, and the words it starts with.
SHORT_QUOTE = "> " + "What is known to work should be done first, and tested. " * 4
INTRODUCED = {"table": (TABLE, "Measure Effect"),
              "quotation": (SHORT_QUOTE, "What is known to work")}


def lead_in_at_the_foot(project: Project, introduced: str = "table", design: str = "tight"
                        ) -> str:
    """A brief whose lead-in, laid out as the design has it, ends page 1 while what it
    introduces starts page 2 (searched over the words of a paragraph before it, a line at a
    time)."""
    block, first = INTRODUCED[introduced]

    def pages(paragraphs: int, words: int) -> tuple[str, list[str]]:
        filler = " ".join((WORDS * 10)[:words]) + "." if words else ""
        text = brief_text(paragraphs, after="\n\n".join(
            part for part in (filler, LEAD_IN, block, PARA) if part))
        return text, laid_out(project, text, rules=False, design=design, max_pages=None,
                              fit=())[1]

    for paragraphs in range(3, 20):
        if squash(LEAD_IN) in pages(paragraphs, 120)[1][0]:
            continue  # the page ends further on: a paragraph more before it
        for words in range(0, 120, 8):
            text, texts = pages(paragraphs, words)
            if squash(LEAD_IN) not in texts[0]:
                break
            if squash(first) not in texts[0]:
                return text
    raise AssertionError("the lead-in never ends page 1")


@pytest.mark.slow
@pytest.mark.parametrize("introduced,design", [("table", "tight"), ("quotation", "tight"),
                                               ("quotation", "single")])
def test_a_lead_in_ending_with_a_colon_stays_with_what_it_introduces(tight, introduced, design):
    """In the full brief's one column a quotation is kept whole: it then starts under its
    lead-in at the page foot and goes on over the page."""
    text = lead_in_at_the_foot(tight, introduced, design)
    _, after = laid_out(tight, text, design=design, max_pages=None, fit=())
    assert squash(LEAD_IN) not in after[0]
    # what it introduces follows it on the page
    assert squash(LEAD_IN + INTRODUCED[introduced][1]) in after[1]


def test_a_batch_of_parts_is_not_fitted_as_one_output(tmp_path):
    """A batch of letters (`render_pdf(…, anchors=…)`) has its budget per part: the rules
    neither fit it to the budget as a whole nor report it over."""
    project = Project.at(copy_project(tmp_path))
    project.audiences_file.write_text(project.audiences_file.read_text() + TIGHT)
    write(project, brief_text(1), BRIEF_ID)
    audience = load_brief(project, BRIEF_ID).audience("tight")
    assert typeset_context(audience, project).max_pages == 4
    batch = typeset_context(audience, project, batch=True)
    assert (batch.max_pages, batch.fit) == (None, ())


# ---------------------------------------------------------------------------------------------
# key-messages: the box of key messages kept on page 1

BULLET = ("- Invest in prevention that works: schools hardly use recognised, proven-effective "
          "prevention methods, and many interventions are never tested.")


def with_key_messages(bullets: int) -> str:
    section = textwrap.indent(textwrap.dedent("""\
        - id: key
          title: {en: "Key messages"}
          class: "key-messages"
          body:
            en: |
        """) + textwrap.indent("\n".join([BULLET] * bullets), " " * 6), "  ")
    return brief_text(3).replace("sections:\n", "sections:\n" + section + "\n")


def key_messages_off_page_1(project: Project) -> int:
    """The fewest key messages that, laid out as the design has it (the box kept whole), do not
    fit on page 1 under the title: the box starts page 2."""
    def off(bullets: int) -> bool:
        texts = laid_out(project, with_key_messages(bullets), rules=False, max_pages=None,
                         fit=())[1]
        return squash(BULLET[2:40]) not in texts[0]

    coarse = next(n for n in range(4, 60, 4) if off(n))
    return next(n for n in range(coarse - 3, coarse + 1) if off(n))


@pytest.mark.slow
def test_the_key_messages_step_keeps_them_on_page_1(tight):
    bullets = key_messages_off_page_1(tight)
    _, texts = laid_out(tight, with_key_messages(bullets), max_pages=None,
                        fit=("key-messages",))
    assert texts[0].count(squash(BULLET[2:40])) == bullets
