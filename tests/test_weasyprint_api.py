"""The WeasyPrint internals generator/make/pdf.py relies on, checked against the installed
WeasyPrint.

pdf.py walks the laid-out boxes (`Page._page_box`, `boxes.FootnoteAreaBox`, `boxes.LineBox`, a
call box's `footnote`) to check that every footnote is on the page of its call and to find where
to break the page when one is not, and it subclasses `weasyprint.urls.URLFetcher` (answering
with `URLFetcherResponse`, refusing with `FatalURLFetchingError`) so that nothing outside the
project reaches a PDF. None of this is promised to stay the same between WeasyPrint releases:
when a test here fails after an upgrade, its message says what changed and what depends on it.
"""

from __future__ import annotations

import os
from importlib import metadata

import pytest

from generator.make import pdf
from generator.project import Project

from .support import copy_project, isolated_fonts, tiny_png

VERSION = metadata.version("weasyprint")

#: Two A6 pages: a paragraph with one footnote call, then a heading that starts page 2.
HTML = """<!DOCTYPE html><html lang="en"><head><style>
@page { size: A6; margin: 12mm }
body { font-family: Inter; font-size: 10pt }
.fn { float: footnote }
h1 { break-before: page }
</style></head><body>
<p id="one" data-calls="1">Before the call<span class="fn" id="fn-1" data-fn="1">The note's
text.</span> and after it.</p>
<h1 id="two">Second page</h1><p>More text on the second page.</p>
</body></html>"""


def changed(what: str, use: str, adapt: str) -> str:
    return (f"WeasyPrint's private {what} changed in WeasyPrint {VERSION} (pdf.py relies on it "
            f"{use}); pin weasyprint to the tested range in pyproject.toml or adapt {adapt}")


@pytest.fixture(scope="module")
def api_project(tmp_path_factory) -> Project:
    """The sample project, whose fonts alone WeasyPrint may see (as pdf.py arranges)."""
    project = Project.at(copy_project(tmp_path_factory.mktemp("weasyprint-api")))
    (project.content / "dot.png").write_bytes(tiny_png(2, 2))
    yield from isolated_fonts(project)


@pytest.fixture(scope="module")
def weasyprint(api_project):
    import weasyprint  # only after isolate_fonts (see the project fixture)

    return weasyprint


@pytest.fixture(scope="module")
def fetcher(api_project, weasyprint):
    try:
        return pdf._fetcher_class()((api_project.content, api_project.styles,
                                     api_project.templates))
    except (ImportError, TypeError) as exc:
        pytest.fail(changed("weasyprint.urls.URLFetcher (its name or its keyword arguments "
                            "timeout, allowed_protocols, allow_redirects, fail_on_errors)",
                            "to fetch only files inside the project", "pdf._fetcher_class")
                    + f": {exc}")


@pytest.fixture(scope="module")
def laid_out(api_project, weasyprint, fetcher):
    """(the HTML document, its rendered document) of `HTML`."""
    html = weasyprint.HTML(string=HTML, base_url=str(api_project.content) + os.sep,
                           url_fetcher=fetcher)
    document = html.render()
    assert len(document.pages) == 2
    return html, document


def page_box(page):
    """A page's box tree, as pdf.py reaches it."""
    assert hasattr(page, "_page_box"), changed(
        "Page._page_box", "for the footnote-placement check", "pdf.footnote_pages")
    return page._page_box


def boxes_module():
    try:
        from weasyprint.formatting_structure import boxes  # after the fixtures
    except ImportError as exc:
        pytest.fail(changed("module weasyprint.formatting_structure.boxes",
                            "for the footnote-placement check", "pdf.footnote_pages") + f": {exc}")
    return boxes


def box_class(name: str, use: str, adapt: str) -> type:
    cls = getattr(boxes_module(), name, None)
    assert isinstance(cls, type), changed(f"boxes.{name}", use, adapt)
    return cls


def test_page_box_holds_the_page_areas(laid_out):
    _, document = laid_out
    children = list(page_box(document.pages[0]).children)
    assert children and all(hasattr(c, "descendants") for c in children), changed(
        "Page._page_box.children (boxes with .descendants())",
        "for the footnote-placement check", "pdf.footnote_pages")


def test_the_note_is_in_a_footnote_area_box(laid_out):
    _, document = laid_out
    area_class = box_class("FootnoteAreaBox", "to tell a footnote's text from its call",
                           "pdf.footnote_pages")
    areas = [a for a in page_box(document.pages[0]).children if isinstance(a, area_class)]
    assert len(areas) == 1, changed(
        "FootnoteAreaBox (no longer a child of the page box)",
        "to tell a footnote's text from its call", "pdf.footnote_pages")
    notes = [b for b in areas[0].descendants()
             if getattr(b, "element", None) is not None and b.element.get("data-fn") == "1"]
    assert notes, changed(
        "FootnoteAreaBox contents (box.element of the note)",
        "to find each note's page", "pdf.footnote_pages")


def test_the_call_box_carries_its_footnote(laid_out):
    _, document = laid_out
    boxes = boxes_module()
    body = page_box(document.pages[0]).children[0]
    calls = [b for b in body.descendants() if isinstance(b, boxes.Box)
             and b.element is not None and b.element.get("data-fn") == "1"]
    assert any(getattr(b, "footnote", None) is not None for b in calls), changed(
        "Box.footnote (set on the box of a footnote call)", "to find each call's page",
        "pdf.footnote_pages")


def test_footnote_pages_finds_the_call_and_its_note_on_page_1(laid_out):
    _, document = laid_out
    page_box(document.pages[0])
    assert pdf.footnote_pages(document) == ({1: 1}, {1: {1}}), changed(
        "page and footnote boxes", "for the footnote-placement check", "pdf.footnote_pages")
    assert pdf.footnote_problems(document) == []


def test_the_first_line_box_of_a_page_names_its_element(laid_out):
    html, document = laid_out
    line_class = box_class("LineBox", "to find where a misplaced note's page ends",
                           "pdf._first_block_after_page")
    first_line = next((b for b in page_box(document.pages[1]).children[0].descendants()
                       if isinstance(b, line_class)), None)
    assert first_line is not None and first_line.element is not None, changed(
        "LineBox (the first line of a page and its .element)",
        "to find where a misplaced note's page ends", "pdf._first_block_after_page")
    assert first_line.element.get("id") == "two"
    root = html.etree_element
    parents = {child: parent for parent in root.iter() for child in parent}
    after = pdf._first_block_after_page(document, 1, parents)
    assert after is not None and after.get("id") == "two", changed(
        "page boxes or HTML.etree_element", "to find where a misplaced note's page ends",
        "pdf._first_block_after_page")


def test_the_fetcher_answers_with_url_fetcher_responses(api_project, fetcher):
    from weasyprint.urls import URLFetcherResponse  # after isolate_fonts

    inside = fetcher.fetch((api_project.content / "dot.png").as_uri())
    assert isinstance(inside, URLFetcherResponse), changed(
        "URLFetcherResponse", "to answer for files inside the project", "pdf._fetcher_class")
    assert inside.read() == tiny_png(2, 2) and inside.content_type == "image/png"
    data = fetcher.fetch("data:image/png;base64,iVBORw0KGgo=")  # through URLFetcher.fetch
    assert isinstance(data, URLFetcherResponse) and data.read() == b"\x89PNG\r\n\x1a\n", changed(
        "URLFetcher.fetch (for data: URLs)", "to read data: images", "pdf._fetcher_class")


def test_an_image_the_fetcher_serves_is_laid_out(api_project, weasyprint, fetcher):
    boxes = boxes_module()
    html = weasyprint.HTML(string='<p><img src="dot.png" alt="dot"></p>',
                           base_url=str(api_project.content) + os.sep, url_fetcher=fetcher)
    page = html.render().pages[0]
    assert any(isinstance(b, boxes.ReplacedBox) for b in page_box(page).descendants()), changed(
        "URLFetcher protocol (fetch(url, headers) answering a URLFetcherResponse)",
        "to serve the project's images", "pdf._fetcher_class")


@pytest.mark.parametrize("make", ["html", "css"])
def test_a_fatal_url_fetching_error_stops_rendering(api_project, weasyprint, fetcher, make):
    from weasyprint.urls import FatalURLFetchingError  # after isolate_fonts

    url = "http://127.0.0.1:9/x"  # refused by the project's fetcher before any request
    message = changed("FatalURLFetchingError handling (raised by a fetcher, it no longer stops "
                      "rendering with the fetcher's message)",
                      "to fail a build that reaches outside the project",
                      "pdf.render_pdf and pdf._stylesheets")
    try:
        if make == "html":
            weasyprint.HTML(string=f'<img src="{url}.png">', url_fetcher=fetcher).render()
        else:
            weasyprint.CSS(string=f'@import url("{url}.css");', url_fetcher=fetcher)
    except FatalURLFetchingError as exc:
        assert "refused to fetch" in str(exc), message
    else:
        pytest.fail(message)
