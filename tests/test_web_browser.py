"""The web edition in a real browser (tests/browser/check.mjs through tests/browser_check.py):
axe-core's WCAG 2.2 AA rules, requests that leave the folder, CSP violations, reflow at 320 px,
footnotes followed both ways by real clicks, links to nothing, a visible focus.

First the harness itself, on a hand-written page (tests/data/web/) and copies of it each broken in
one way: each check must see its own fault and no other. Then the pages `brief build` writes.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .browser_check import PageReport, check_pages

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
