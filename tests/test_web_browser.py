"""The web edition in a real browser (tests/browser/check.mjs through tests/browser_check.py):
axe-core's WCAG 2.2 AA rules, requests that leave the folder, CSP violations, reflow at 320 px,
footnotes followed both ways by real clicks, links to nothing, a visible focus.

First the harness itself, on a hand-written page (tests/data/web/) and copies of it each broken in
one way: each check must see its own fault and no other. Then the pages the web renderer
(`generator.make.web`) writes for the sample and for a brief with a table, a figure, a list, a quote
and a passage in another language — and those pages with an alt text or a header scope taken
out, which axe must see.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from generator.make.web import Download, render_index, render_page
from generator.project import OutputId, Project
from generator.run.pipeline import load_brief

from .browser_check import PageReport, check_pages
from .support import SAMPLE, copy_project, tiny_png, write

pytestmark = pytest.mark.slow  # starts Node and a headless Chromium, one page after another

FIXTURE = Path(__file__).resolve().parent / "data" / "web"
PAGE = Path("en") / "index.html"
CSS = Path("assets") / "page.css"


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} is not {count} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _no_alt(folder: Path) -> None:
    _edit(folder / PAGE, ' alt="Three bars: 60, 90 and 30 cases"', "")


def _no_scope(folder: Path) -> None:
    _edit(folder / PAGE, ' scope="col"', "", 3)
    _edit(folder / PAGE, ' scope="row"', "", 3)


def _no_header_cells(folder: Path) -> None:  # every th a td: no cell has a header any more
    for scope in ("col", "row"):
        _edit(folder / PAGE, f'<th scope="{scope}">', "<td>", 3)
    _edit(folder / PAGE, "</th>", "</td>", 6)


def _broken_backlink(folder: Path) -> None:  # note 2 leads back to call 1
    _edit(folder / PAGE, 'href="#fnref2" role="doc-backlink"', 'href="#fnref1" role="doc-backlink"')


def _call_to_nowhere(folder: Path) -> None:
    _edit(folder / PAGE, 'href="#fn2" id="fnref2"', 'href="#fn9" id="fnref2"')


def _wide(folder: Path) -> None:
    _edit(folder / PAGE, "<h2>Figures</h2>", '<h2>Figures</h2><div class="wide">Wide</div>')
    with (folder / CSS).open("a", encoding="utf-8") as css:
        css.write(".wide { width: 2000px; }\n")


def _inline_style_and_remote_image(folder: Path) -> None:
    _edit(folder / PAGE, "<h2>Figures</h2>",
          '<h2 style="color: red">Figures</h2><img src="https://example.org/x.png" alt="X">')


def _outside_the_folder(folder: Path) -> None:  # no CSP to stop it: the request is made
    _edit(folder / PAGE, "<meta http-equiv=", "<meta data-csp-was=")
    _edit(folder / PAGE, "<h2>Figures</h2>",
          '<h2>Figures</h2><img src="../../outside.svg" alt="X">')
    shutil.copy2(FIXTURE / "assets" / "chart.svg", folder.parent / "outside.svg")


def _skipped_heading_level(folder: Path) -> None:
    _edit(folder / PAGE, "<h2>Figures</h2>", "<h4>Figures</h4>")


def _skip_link_to_nothing(folder: Path) -> None:
    _edit(folder / PAGE, '<a class="skip" href="#main">', '<a class="skip" href="#nomain">')


def _no_focus_style(folder: Path) -> None:
    _edit(folder / CSS, "a:focus-visible { outline: 3px solid #b3400b; outline-offset: 2px; }",
          "a:focus, a:focus-visible { outline: none; }")


VARIANTS: dict[str, Callable[[Path], None]] = {
    "fine": lambda folder: None,
    "no-alt": _no_alt,
    "no-scope": _no_scope,
    "no-header-cells": _no_header_cells,
    "broken-backlink": _broken_backlink,
    "call-to-nowhere": _call_to_nowhere,
    "wide": _wide,
    "inline-style-and-remote-image": _inline_style_and_remote_image,
    "outside-the-folder": _outside_the_folder,
    "no-focus-style": _no_focus_style,
    "skipped-heading-level": _skipped_heading_level,
    "skip-link-to-nothing": _skip_link_to_nothing,
}


@pytest.fixture(scope="module")
def fixture_reports(tmp_path_factory) -> dict[str, PageReport]:
    """Each variant of the fixture page in its own folder, all checked in one browser run; each
    page's requests must stay inside its own folder (`root`)."""
    base = tmp_path_factory.mktemp("web-fixtures")
    pages = {}
    for name, change in VARIANTS.items():
        folder = base / name / "web"
        shutil.copytree(FIXTURE, folder)
        change(folder)
        pages[name] = folder / PAGE
    reports = check_pages([(page, page.parent.parent) for page in pages.values()])
    return dict(zip(pages, reports, strict=True))


def _kinds(report: PageReport) -> set[str]:
    """The kinds of problem a page has (the words before the first colon)."""
    return {problem.split(":", 1)[0].split(" ")[0] for problem in report.problems()}


def test_the_fixture_page_passes_every_check(fixture_reports):
    report = fixture_reports["fine"]
    assert report.problems() == []
    assert report.lang == "en"
    assert (report.noterefs, report.round_trips) == (2, 2)
    assert report.fragment_links == 6 and report.broken_fragments == ()
    assert report.focus_visible and report.focus["link"]["text"] == "Skip to the text"
    assert report.reflow_ok and report.scroll_width == 320


def test_an_image_without_alt_text_fails_axe(fixture_reports):
    report = fixture_reports["no-alt"]
    assert report.violation_ids == {"image-alt"}
    assert _kinds(report) == {"axe"}


def test_header_cells_without_scope_fail_axe(fixture_reports):
    report = fixture_reports["no-scope"]
    assert report.violation_ids == {"brief-th-scope"}
    [violation] = report.violations
    assert len(violation.targets) == 6  # three column headers, three row headers


def test_a_table_without_header_cells_fails_axe(fixture_reports):
    assert fixture_reports["no-header-cells"].violation_ids == {"td-has-header"}


def test_a_backlink_to_another_call_fails_the_round_trip(fixture_reports):
    report = fixture_reports["broken-backlink"]
    assert (report.noterefs, report.round_trips) == (2, 1)
    [problem] = report.footnote_problems
    assert problem.startswith("call 2 (#fn2)") and "no a[role=doc-backlink] to #fnref2" in problem
    assert _kinds(report) == {"footnote"}


def test_a_call_to_no_note_fails_the_round_trip_and_the_links(fixture_reports):
    report = fixture_reports["call-to-nowhere"]
    assert report.round_trips == 1
    [problem] = report.footnote_problems
    assert "#fn9 names no element" in problem
    assert report.broken_fragments == ("#fn9",)


def test_a_2000px_wide_element_fails_reflow(fixture_reports):
    report = fixture_reports["wide"]
    assert not report.reflow_ok and report.scroll_width > 2000
    assert any(w.startswith("div.wide") for w in report.wide)
    assert _kinds(report) == {"reflow"}


def test_an_inline_style_and_a_remote_image_are_csp_violations_and_leave(fixture_reports):
    report = fixture_reports["inline-style-and-remote-image"]
    assert any(c.startswith("style-src-attr blocked inline") for c in report.csp), report.csp
    assert any(c.startswith("img-src blocked https://example.org/x.png") for c in report.csp)
    assert report.leaving == ("https://example.org/x.png",)


def test_a_request_outside_the_folder_is_reported(fixture_reports):
    report = fixture_reports["outside-the-folder"]
    assert len(report.leaving) == 1 and report.leaving[0].endswith("/outside.svg")
    assert report.csp == () and report.failed == ()  # it loads: only the folder rule catches it
    assert _kinds(report) == {"request"}


def test_no_focus_style_is_seen(fixture_reports):
    report = fixture_reports["no-focus-style"]
    assert not report.focus_visible and report.focus["reached"]
    assert _kinds(report) == {"no"}


def test_a_skipped_heading_level_fails_axe(fixture_reports):
    report = fixture_reports["skipped-heading-level"]
    assert report.violation_ids == {"heading-order"}
    assert _kinds(report) == {"axe"}


def test_a_skip_link_to_nothing_fails_axe_and_the_links(fixture_reports):
    report = fixture_reports["skip-link-to-nothing"]
    assert report.violation_ids == {"skip-link"}
    assert report.broken_fragments == ("#nomain",)



# ---------------------------------------------------------------------------------------------
# The pages the web renderer writes

#: A brief with every kind of block a page shows: a table (with its caption, from the lead-in),
#: a figure, a list, a quote, notes with sources, and a passage in another language.
BLOCKS = textwrap.dedent("""\
    title: {en: "Every block on the web", nl: "Elk blok op het web"}
    organisation: "NGO"
    date: "2024-05-01"
    url: "https://example.org/blocks"
    languages: [en, nl]
    audiences: [full, web]
    sections:
      - id: findings
        title: {en: "Findings", nl: "Bevindingen"}
        body:
          en: |
            A finding with a note.^[A *note* on the finding.[@src]] The Dutch call it
            [kindermisbruik]{lang=nl}, a word the page marks as Dutch.

            - One point of the brief
            - Another point, with its source[@src]

            > A quotation from an expert, as the brief gives it.

            The cases by country:

            | Country | 2022 | 2023 |
            |---|--:|--:|
            | Belgium | 12 | 14 |
            | France | 40 | 38 |
            | Spain | 21 | 25 |

            ![Three bars: 60, 90 and 30 cases](chart.png "Cases per year")
          nl: |
            Een bevinding met een noot.^[Een *noot* bij de bevinding.[@src]] In het Engels heet
            het [child abuse]{lang=en}.

            - Een punt van de brief
            - Nog een punt, met zijn bron[@src]

            > Een citaat van een expert, zoals de brief het geeft.

            De zaken per land:

            | Land | 2022 | 2023 |
            |---|--:|--:|
            | België | 12 | 14 |
            | Frankrijk | 40 | 38 |
            | Spanje | 21 | 25 |

            ![Drie staven: 60, 90 en 30 zaken](chart.png "Zaken per jaar")
    sources:
      src: {title: "Bron", publisher: "Uitgever", url: "https://example.org/a"}
    same_in_every_language: [organisation, sources]
    """)


def _minimal_pdf(path: Path, pages: int) -> int:
    """A PDF where a build leaves one (its bytes are copied beside the page). Its size."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.save(path)
    return path.stat().st_size


def write_web_edition(project: Project, brief_id: str) -> list[Path]:
    """The brief's web edition in out/<brief>/web/, as the build writes it (every language of its
    web audience, with a download of each of the brief's PDF outputs in that language, small
    stand-in PDFs): the pages, their files, the language chooser. The pages, chooser last."""
    brief = load_brief(project, brief_id)
    [audience] = [a for a in brief.audiences if a.medium == "web"]
    published = tuple(audience.languages)
    web = project.out / brief_id / "web"
    pages = []
    for language in published:
        downloads = []
        for other in brief.audiences:
            if other.medium != "web" and language in other.languages:
                output = project.output_path(OutputId(brief_id, other.name, language))
                size = _minimal_pdf(output, 2)
                downloads.append(Download(other.name, output.name, 2, size))
        page = render_page(project, brief, audience, language, published=published,
                           downloads=tuple(downloads))
        for name, data in page.files.items():
            (web / name).parent.mkdir(parents=True, exist_ok=True)
            (web / name).write_bytes(data)
        (web / language).mkdir(parents=True, exist_ok=True)
        (web / language / "index.html").write_text(page.html, encoding="utf-8")
        pages.append(web / language / "index.html")
    (web / "index.html").write_bytes(render_index(project, brief, audience, published))
    return [*pages, web / "index.html"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, list[Path]]:
    """The web editions of the sample and of the brief with every block, in one project."""
    project = Project.at(copy_project(tmp_path_factory.mktemp("web-pages")))
    write(project, BLOCKS, "blocks")
    (project.content / "blocks" / "chart.png").write_bytes(tiny_png(600, 300))
    return {brief: write_web_edition(project, brief) for brief in (SAMPLE, "blocks")}


@pytest.fixture(scope="module")
def built_reports(built) -> dict[Path, PageReport]:
    pages = [(page, next(folder for folder in page.parents if folder.name == "web"))
             for brief in built.values() for page in brief]  # requests stay in web/
    return dict(zip([page for page, _ in pages], check_pages(pages), strict=True))


def test_every_built_page_passes_every_check(built, built_reports):
    assert len(built[SAMPLE]) == 6  # nl en de fr pl, and the chooser
    for page, report in built_reports.items():
        assert report.problems() == [], f"{page}:\n" + "\n".join(report.problems())
        assert report.lang == (page.parent.name if page.parent.name != "web" else report.lang)


def test_every_note_call_leads_to_its_note_and_back(built, built_reports):
    for brief, pages in built.items():
        for page in pages[:-1]:  # not the chooser
            report = built_reports[page]
            html = page.read_text(encoding="utf-8")
            calls = len(re.findall(r'role="doc-noteref"', html))
            assert calls > 0 and report.noterefs == calls, (brief, page)
            assert report.round_trips == calls and not report.footnote_problems
            assert report.fragment_links >= 2 * calls and not report.broken_fragments


def test_the_blocks_are_on_the_page_they_are_checked_in(built):
    html = built["blocks"][0].read_text(encoding="utf-8")  # en
    for needle in ('<span lang="nl">kindermisbruik</span>', "<blockquote>", "<ul>",
                   '<th scope="col"', "<caption", "<figure>", 'alt="Three bars: 60, 90 and 30',
                   "<figcaption>", 'role="doc-endnotes"', 'role="doc-backlink"'):
        assert needle in html, needle


def test_a_built_page_without_an_alt_text_or_a_header_scope_fails_axe(built, tmp_path):
    page = built["blocks"][0]
    web = page.parent.parent
    broken = {}
    for name, old, new in (
            ("no-alt", 'alt="Three bars: 60, 90 and 30 cases"', ""),
            ("no-scope", ' scope="col"', ""),
            ("no-lang", '<span lang="nl">kindermisbruik</span>',
             '<span lang="nederlands">kindermisbruik</span>')):
        copy = tmp_path / name / "web"
        shutil.copytree(web, copy)
        target = copy / page.relative_to(web)
        html = target.read_text(encoding="utf-8")
        assert old in html, old
        target.write_text(html.replace(old, new), encoding="utf-8")
        broken[name] = target
    reports = dict(zip(broken, check_pages(
        [(target, target.parent.parent) for target in broken.values()]), strict=True))
    assert reports["no-alt"].violation_ids == {"image-alt"}
    assert reports["no-scope"].violation_ids == {"brief-th-scope"}
    assert reports["no-lang"].violation_ids == {"valid-lang"}
