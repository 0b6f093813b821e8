"""The line-level typesetting rules (generator/make/typeset: hyphen_page_turn, hyphen_ladder,
hyphen_last_line, hyphen_unwanted, url_hyphen): each case is built to break a rule, laid out
through `render_pdf` (the project's fonts and hyphenation), and the PDF's text per page
(pypdfium2) shows that the repaired layout no longer does — or, where no repair can help, the
build says which output, page and why.

The cases use a stylesheet of their own (a narrow column on a short page) so that they do not
depend on the sample's design; each searches a few lengths of filler for a layout that breaks
the rule, laid out without repairs (`MAX_REPAIRS = 0`), and asserts that it does, on the PDF.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

import pypdfium2
import pytest
import tinyhtml5

from generator.errors import LocatedError, Mark
from generator.make import typeset
from generator.make.pdf import RenderResult, render_pdf
from generator.make.typeset import Defect, Draft
from generator.make.typeset.edit import KEEP_CLASS, KEEP_CSS, edit, keep_whole
from generator.make.typeset.report import LAYOUT_FIELD, layout_defects, layout_summary
from generator.project import OutputId, Project
from generator.run.manifest import Manifest
from generator.run.pipeline import load_brief

from .support import SAMPLE, run_cli, write

#: A column of 70 mm, 77 mm tall, on the audience's A4 (its `page:` sets the size).
CSS = """
@page { margin: 20mm 70mm 200mm 70mm; }
html { font: 10pt/13pt "Gentium Book Plus", serif; hyphens: auto; }
body { margin: 0; }
p, li, td { margin: 0 0 3pt; }
ul { margin: 0; padding-left: 5mm; }
table { border-collapse: collapse; width: 100%; }
.fn { float: footnote; }
"""
#: WeasyPrint's hyphenate-character, a hyphen-minus, and what PDFium reads for a hyphen-minus at
#: a line's end (it joins the lines: "eur\ufffelex").
HYPHENS = "\u2010-\ufffe"

WORDS = {
    "en": ("the protection of children requires international cooperation between "
           "organisations responsible for implementation and accountability in the "
           "neighbourhood of extraordinarily complicated administrative procedures"),
    "de": ("die Zusammenarbeit zwischen Kinderschutzorganisationen und Strafverfolgungsbehörden "
           "erfordert Verantwortungsbewusstsein und Durchsetzungsvermögen bei der Umsetzung "
           "gesetzlicher Verpflichtungen und außergewöhnlich komplizierter Verwaltungsverfahren"),
    "pl": ("współpraca pomiędzy organizacjami zajmującymi się ochroną dzieci wymaga "
           "odpowiedzialności oraz zaangażowania instytucji międzynarodowych przy wdrażaniu "
           "skomplikowanych przepisów administracyjnych i sprawozdawczości"),
}


def _html(body: str, language: str) -> str:
    return (f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
            f"<title>Lines</title></head><body>{body}</body></html>")


def _pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF, as pypdfium2 reads it."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


@pytest.fixture
def lines_project(project: Project) -> tuple[Project, object]:
    (project.styles / "lines-test.css").write_text(CSS, encoding="utf-8")
    return project, load_brief(project, SAMPLE)


def _render(setup, html: str, *, repairs: bool = True, css: str = CSS,
            letter: bool = False, monkeypatch: pytest.MonkeyPatch | None = None
            ) -> RenderResult:
    project, brief = setup
    (project.styles / "lines-test.css").write_text(css, encoding="utf-8")
    audience = dataclasses.replace(brief.audience("full"), stylesheets=("lines-test.css",),
                                   max_pages=None)
    if letter:
        audience = dataclasses.replace(audience, template="cover-letter.html.j2")
    assert monkeypatch is not None
    with monkeypatch.context() as patch:
        if not repairs:
            patch.setattr(typeset, "MAX_REPAIRS", 0)
        return render_pdf(html, brief.folder, audience, project, output_name="lines.pdf")


def _case(setup, monkeypatch, make: Callable[[int], str], rule: str, language: str, *,
          tries: int = 120, css: str = CSS) -> tuple[str, RenderResult]:
    """The first filler length whose layout, without repairs, breaks `rule`."""
    for n in range(tries):
        html = _html(make(n), language)
        before = _render(setup, html, repairs=False, css=css, monkeypatch=monkeypatch)
        if any(d.rule == rule for d in before.defects):
            return html, before
    raise AssertionError(f"no layout broke {rule} in {tries} tries")


def _text(language: str, n: int, repeat: int = 6) -> str:
    """`n` short words, then the language's words `repeat` times, each time rotated by three."""
    words = WORDS[language].split()
    return " ".join(["a"] * n + [" ".join(words[3 * i:] + words[:3 * i])
                                 for i in range(repeat)])


# ---------------------------------------------------------------------------------------------
# 1. No word hyphenated across a page turn


def _assert_no_page_turn_hyphen(result: RenderResult) -> None:
    pages = _pages(result.pdf)
    assert len(pages) > 1
    for number, text in enumerate(pages[:-1], 1):
        assert not _last_line(text).endswith(tuple(HYPHENS)), (number, _last_line(text))
    assert not [d for d in result.defects if d.rule == "hyphen-page-turn"]


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "de", "pl"])
def test_a_word_hyphenated_at_a_page_foot_is_kept_whole(lines_project, monkeypatch, language):
    html, before = _case(lines_project, monkeypatch,
                         lambda n: f"<p>{_text(language, n)}</p>", "hyphen-page-turn", language)
    defect = next(d for d in before.defects if d.rule == "hyphen-page-turn")
    stem = defect.words.split("-/")[0]
    pages = _pages(before.pdf)  # the finding, on the PDF: the page ends in the word's first part
    assert re.search(rf"{re.escape(stem)}[{HYPHENS}]$", _last_line(pages[defect.page - 1]))
    assert "page turn" in defect.message and f"page {defect.page} to" in defect.message
    after = _render(lines_project, html, monkeypatch=monkeypatch)
    _assert_no_page_turn_hyphen(after)
    assert len(_pages(after.pdf)) <= len(pages)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["li", "td"])
def test_a_page_turn_hyphen_in_a_list_item_or_table_cell_is_kept_whole(lines_project,
                                                                       monkeypatch, kind):
    def make(n: int) -> str:
        text = _text("en", n)
        if kind == "li":
            return f"<ul><li>{text}</li><li>{WORDS['en']}</li></ul>"
        return f"<table><tr><td>{text}</td></tr><tr><td>{WORDS['en']}</td></tr></table>"

    html, _ = _case(lines_project, monkeypatch, make, "hyphen-page-turn", "en")
    after = _render(lines_project, html, monkeypatch=monkeypatch)
    _assert_no_page_turn_hyphen(after)


@pytest.mark.slow
def test_a_word_hyphenated_at_a_column_break_is_kept_whole(lines_project, monkeypatch):
    """Two columns on a page: the first column's last line is a turn as a page's is."""
    css = CSS + ".cols { columns: 2; column-gap: 4mm; }\n"

    def make(n: int) -> str:
        return f'<div class="cols"><p>{_text("en", n, 2)}</p></div>'

    html, before = _case(lines_project, monkeypatch, make, "hyphen-page-turn", "en", css=css)
    defect = next(d for d in before.defects if d.rule == "hyphen-page-turn")
    assert "column break" in defect.message
    after = _render(lines_project, html, css=css, monkeypatch=monkeypatch)
    assert not [d for d in after.defects if d.rule == "hyphen-page-turn"]
    stem, tail = defect.words.split("-/")
    split = rf"{re.escape(stem)}[{HYPHENS}]\s*{re.escape(tail)}"
    assert any(re.search(split, page) for page in _pages(before.pdf))  # the finding, on the PDF
    assert not any(re.search(split, page) for page in _pages(after.pdf))


# ---------------------------------------------------------------------------------------------
# 2. At most two hyphenated line ends in a row

NARROW = CSS.replace("margin: 20mm 70mm 200mm 70mm", "margin: 20mm 85mm 150mm 85mm")


def _runs(text: str) -> int:
    """The longest run of lines ending in a hyphen in a page's text."""
    longest = run = 0
    for line in text.splitlines():
        run = run + 1 if line.rstrip().endswith(tuple(HYPHENS)) else 0
        longest = max(longest, run)
    return longest


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "de"])
def test_a_ladder_of_three_hyphens_in_a_column_is_broken_up(lines_project, monkeypatch,
                                                                   language):
    html, before = _case(lines_project, monkeypatch,
                         lambda n: f"<p>{_text(language, n, 2)}</p>", "hyphen-ladder", language)
    assert max(map(_runs, _pages(before.pdf))) >= 3  # on the PDF: three in a row
    after = _render(lines_project, html, monkeypatch=monkeypatch)
    assert not [d for d in after.defects if d.rule == "hyphen-ladder"]
    assert max(map(_runs, _pages(after.pdf))) <= 2


@pytest.mark.slow
def test_a_ladder_in_a_footnote_is_broken_up(lines_project, monkeypatch):
    def make(n: int) -> str:
        return (f'<p>Text.<span class="fn" data-fn="1">{_text("en", n, 1)}</span></p>')

    html, _ = _case(lines_project, monkeypatch, make, "hyphen-ladder", "en", css=NARROW)
    after = _render(lines_project, html, css=NARROW, monkeypatch=monkeypatch)
    assert not [d for d in after.defects if d.rule == "hyphen-ladder"]
    assert max(map(_runs, _pages(after.pdf))) <= 2


# ---------------------------------------------------------------------------------------------
# 3. The last line holds at least one whole word


def _ends_with_fragment(pages: list[str], tail: str) -> bool:
    return any(re.search(rf"[{HYPHENS}]\r?\n{re.escape(tail)}\.?[\s•]*$", page)
               for page in pages)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["p", "li", "footnote"])
def test_a_last_line_that_is_a_words_tail_gets_a_whole_word(lines_project, monkeypatch, kind):
    def make(n: int) -> str:
        text = " ".join(["a"] * n) + " the protection of children and implementation."
        if kind == "li":
            return f"<ul><li>{text}</li></ul>"
        if kind == "footnote":
            return f'<p>Text.<span class="fn" data-fn="1">{text}</span></p>'
        return f"<p>{text}</p>"

    html, before = _case(lines_project, monkeypatch, make, "hyphen-last-line", "en", tries=60)
    defect = next(d for d in before.defects if d.rule == "hyphen-last-line")
    tail = defect.words.split("-/")[1]
    assert _ends_with_fragment(_pages(before.pdf), tail)  # on the PDF: "…tation." alone
    after = _render(lines_project, html, monkeypatch=monkeypatch)
    assert not [d for d in after.defects if d.rule == "hyphen-last-line"]
    assert not _ends_with_fragment(_pages(after.pdf), tail)


@pytest.mark.slow
def test_a_word_that_cannot_be_kept_whole_does_not_hold_back_the_others(lines_project,
                                                                         monkeypatch):
    """A cell too narrow for 'implementation' kept whole (so every draft that keeps it whole
    overflows and is refused) beside a paragraph whose last line is a word's tail: the
    paragraph is still repaired (each problem's own draft), the cell's defect reported."""
    css = CSS + "table { table-layout: fixed; width: 16mm; }\n"

    def make(n: int) -> str:
        text = " ".join(["a"] * n) + " the protection of children and implementation."
        return (f"<table><tr><td>an implementation.</td></tr></table><p>{text}</p>")

    for n in range(80):
        html = _html(make(n), "en")
        before = _render(lines_project, html, repairs=False, css=css, monkeypatch=monkeypatch)
        last = [d for d in before.defects if d.rule == "hyphen-last-line"]
        if len(last) == 2:  # the cell's and the paragraph's
            break
    else:
        raise AssertionError("no layout has both last-line defects")
    after = _render(lines_project, html, css=css, monkeypatch=monkeypatch)
    left = [d for d in after.defects if d.rule == "hyphen-last-line"]
    assert len(left) == 1, left  # the cell's alone: its word does not fit kept whole
    assert left[0].words in {d.words for d in last}


# ---------------------------------------------------------------------------------------------
# 4. No hyphenation in headings, table header cells, titles, names, letters

#: An organisation's stylesheet that hyphenates everything.
EVERYWHERE = CSS + "h2, th, .name { hyphens: auto !important; font-size: 14pt; }\n"


@pytest.mark.slow
@pytest.mark.parametrize("markup", [
    "<h2>{words}</h2>",
    "<table><tr><th>{words}</th></tr><tr><td>1</td></tr></table>",
    '<p class="name">{words}</p>',
])
def test_a_hyphen_in_a_heading_header_cell_or_name_is_repaired(lines_project, monkeypatch,
                                                              markup):
    html, before = _case(lines_project, monkeypatch,
                         lambda n: markup.format(words=" ".join(["a"] * n)
                                                 + " International organisations"),
                         "hyphen-unwanted", "en", css=EVERYWHERE)
    assert any(line.rstrip().endswith(tuple(HYPHENS)) for line in _pages(before.pdf)[0]
               .splitlines())
    after = _render(lines_project, html, css=EVERYWHERE, monkeypatch=monkeypatch)
    assert not after.defects
    assert not any(line.rstrip().endswith(tuple(HYPHENS))
                   for line in _pages(after.pdf)[0].splitlines())


@pytest.mark.slow
def test_any_hyphen_in_a_cover_letter_is_a_defect(lines_project, monkeypatch):
    html = _html(f"<p>{_text('en', 0, 1)}</p>", "en")
    before = _render(lines_project, html, letter=True, repairs=False, monkeypatch=monkeypatch)
    assert {d.rule for d in before.defects} >= {"hyphen-unwanted"}
    assert all("cover letter" in d.message for d in before.defects
               if d.rule == "hyphen-unwanted")
    after = _render(lines_project, html, letter=True, monkeypatch=monkeypatch)
    assert not [d for d in after.defects if d.rule == "hyphen-unwanted"]


# ---------------------------------------------------------------------------------------------
# 5. A web address never breaks right after its own hyphen

URL = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=celex-52022-pc-0209"


@pytest.mark.slow
def test_a_web_address_breaks_before_its_hyphens_not_after(lines_project, monkeypatch):
    """The finding: "eur-/lex.europa.eu" — a raw address (not printed by `breakable_url`,
    such as one an organisation's template prints) is repaired with word joiners; one printed
    by `breakable_url` never breaks after a hyphen in the first place."""
    from generator.text.footnotes import breakable_url  # the printed form, as footnotes print it

    def raw(n: int) -> str:
        return f'<p>{" ".join(["a"] * n)} <a href="{URL}">{URL.replace("?", "?<wbr>")}</a></p>'

    html, before = _case(lines_project, monkeypatch, raw, "url-hyphen", "en", tries=60,
                         css=NARROW)
    assert any(re.search(r"-\r?\n|\ufffe", page) for page in _pages(before.pdf))
    after = _render(lines_project, html, css=NARROW, monkeypatch=monkeypatch)
    assert not [d for d in after.defects if d.rule == "url-hyphen"]
    assert not any(re.search(r"-\r?\n|\ufffe", page) for page in _pages(after.pdf))
    for n in range(0, 30, 3):
        printed = _html(f'<p>{" ".join(["a"] * n)} <a class="url" href="{URL}">'
                        f"{breakable_url(URL)}</a></p>", "en")
        result = _render(lines_project, printed, css=NARROW + "a.url { hyphens: manual; }",
                         repairs=False,
                         monkeypatch=monkeypatch)
        assert not [d for d in result.defects if d.rule == "url-hyphen"], n
        assert not any(re.search(r"-\r?\n|\ufffe", page) for page in _pages(result.pdf)), n


# ---------------------------------------------------------------------------------------------
# Reporting: what no repair can help is a warning naming the output and page, kept


LONG_WORD = "Kinderschutzdatenschutzgrundverordnungsbeauftragtenstellvertreterinnen"
HYPHENATING_BRIEF = f"""\
title: {{en: "Lines"}}
organisation: "NGO"
date: "2024-05-01"
languages: [en]
audiences: [mep]
sections:
  - id: one
    title: {{en: "{LONG_WORD}"}}
    body: {{en: "Text."}}
"""


@pytest.mark.slow
def test_a_defect_no_repair_helps_is_a_warning_naming_output_and_page(project):
    """A heading hyphenated by an organisation's stylesheet, its word too long for a line:
    kept whole it would run past the column, so the repair is not taken and the build says
    where, keeps saying it while the output is up to date, and --strict fails."""
    (project.styles / "org.css").write_text("h2 { hyphens: auto !important; }\n")
    audiences = project.content / "audiences.yaml"
    text = audiences.read_text()
    audiences.write_text(text.replace('stylesheets: ["base.css", "brief.css", "mep.css"]',
                                      'stylesheets: ["base.css", "brief.css", "mep.css", '
                                      '"org.css"]'))
    assert '"org.css"' in audiences.read_text()
    brief = write(project, HYPHENATING_BRIEF)
    result = run_cli(project, "build", "tiny")
    assert result.exit_code == 0, result.output
    name = "out/tiny/tiny.mep.en.pdf"
    found = [line for line in result.output.splitlines()
             if f"{name} page 1: " in line and "is hyphenated in a heading" in line]
    assert found, result.output
    assert found[0].startswith(f"{brief.relative_to(project.root)}:8:")  # at the title's line
    assert "hyphens: manual" in found[0] and "layout: 1 defect" in result.output
    # stored: an up-to-date output still says it, and --strict makes it an error
    again = run_cli(project, "build", "tiny")
    assert f"{name} page 1: " in again.output and "(from the last build)" in again.output
    strict = run_cli(project, "build", "tiny", "--strict")
    assert strict.exit_code == 1 and f"{name} page 1: " in strict.output
    stored = Manifest.load(project.out).stored_warnings(OutputId("tiny", "mep", "en"))
    assert layout_defects(stored) == 1
    checked = run_cli(project, "check", "--preflight", "tiny")
    assert "layout: 1 defect" in checked.output and f"{name} page 1: " in checked.output
    assert run_cli(project, "check", "--preflight", "--strict", "tiny").exit_code == 1
    previewed = run_cli(project, "preview", "tiny")
    assert previewed.exit_code == 0, previewed.output
    assert "layout: 1 defect" in (project.out / "tiny" / "preview.html").read_text()


# ---------------------------------------------------------------------------------------------
# The parts (fast)


def test_edit_keeps_whole_only_the_word_in_the_block_named():
    html = ("<html><head><title>protection</title></head><body><!-- protection -->"
            '<p title="a > protection">protection first</p>'
            "<p>the <em>help</em> and protection they receive; protection!</p>"
            "<p>protection last</p></body></html>")
    root = tinyhtml5.parse(html, namespace_html_elements=False)
    block = list(root.iter("p"))[1]
    draft = edit(Draft(html), root, [keep_whole(block, "protection")], KEEP_CSS)
    assert draft is not None and draft.css == (KEEP_CSS,)
    span = f'<span class="{KEEP_CLASS}">protection</span>'
    assert draft.html.count(span) == 2
    assert f"<p>the <em>help</em> and {span} they receive; {span}!</p>" in draft.html
    assert '<p title="a > protection">protection first</p>' in draft.html
    assert "<p>protection last</p>" in draft.html and "<!-- protection -->" in draft.html
    root = tinyhtml5.parse(draft.html, namespace_html_elements=False)
    block = list(root.iter("p"))[1]
    assert edit(draft, root, [keep_whole(block, "protection")], KEEP_CSS) is None  # done


def test_layout_warnings_are_counted_and_stored_with_their_field(tmp_path):
    warning = LocatedError(Mark(tmp_path / "brief.yaml", 3), "out/x.pdf page 2: …",
                           LAYOUT_FIELD)
    other = LocatedError(None, "out/x.pdf: page 1: font F is not embedded")
    assert layout_defects([warning, other]) == 1
    assert layout_summary(0) == "layout clean" and layout_summary(2) == "layout: 2 defects"
    out = tmp_path / "out"
    manifest = Manifest.open(out)
    output = OutputId("b", "mep", "en")
    pdf = out / "b" / "b.mep.en.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF")
    import hashlib
    manifest.record_output(output, "digest", preflight=[warning, other], pages=1,
                           sha256=hashlib.sha256(b"%PDF").hexdigest())
    manifest.save()
    manifest.close()
    stored = Manifest.load(out).stored_warnings(output)
    assert layout_defects(stored) == 1 and len(stored) == 2


def test_a_defect_says_its_page():
    defect = Defect("hyphen-page-turn", 3, "protec-/tion", "‘protec-/tion’ is hyphenated")
    assert defect.describe() == "page 3: ‘protec-/tion’ is hyphenated"
