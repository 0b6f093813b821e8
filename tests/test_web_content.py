"""The web edition of a brief with a table, a figure, lists, a quotation and a passage in another
language (issue 21): header cells with their scope, the table's caption, the image's alt text and
caption, the passage's `lang`, nothing that a strict Content-Security-Policy would refuse."""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser

import pytest
from PIL import Image

from generator.errors import TemplateError
from generator.make import web
from generator.project import Project
from generator.run.pipeline import load_brief

from .support import copy_project, write

BRIEF = textwrap.dedent("""\
    title: {nl: "Een proef", en: "A test"}
    organisation: "NGO"
    date: "2024-05-01"
    url: "https://example.org/proef"
    languages: [nl, en]
    audiences: [full, web]
    sections:
      - id: cijfers
        title: {nl: "Cijfers", en: "Figures"}
        body:
          nl: |
            De meldingen per jaar:

            | Jaar | Meldingen |
            |------|----------:|
            | 2021 | 1200 |
            | 2022 | 1500 |

            ![Staafdiagram: 1200 meldingen in 2021, 1500 in 2022](chart.png "Meldingen per jaar")

            Drie stappen:

            3. drie
            4. vier

            - een
            - twee

            > Een citaat van de expert.[@src]

            Dit heet [grooming]{lang=en}.^[Zie <https://example.org/een/heel/lang/adres/dat/op/een/klein/scherm/overal/mag/afbreken/zonder/horizontaal/te/schuiven>.]
          en: |
            The reports per year:

            | Year | Reports |
            |------|--------:|
            | 2021 | 1200 |
            | 2022 | 1500 |

            ![Bar chart: 1200 reports in 2021, 1500 in 2022](chart.png "Reports per year")

            Three steps:

            3. three
            4. four

            - one
            - two

            > A quotation of the expert.[@src]

            The Dutch call it [zedenzaak]{lang=nl}.^[See <https://example.org/a/very/long/address/that/may/break/anywhere/on/a/small/screen/without/scrolling>.]
    sources:
      src: {title: "Bron", publisher: "Uitgever", url: "https://example.org/a"}
    same_in_every_language: [organisation, sources]
    """)


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []
        self.texts: dict[int, list[str]] = {}
        self.open: list[int] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in ("img", "br", "meta", "link"):
            self.open.append(len(self.found) - 1)

    def handle_endtag(self, tag):
        while self.open:
            if self.found[self.open.pop()][0] == tag:
                break

    def handle_data(self, data):
        for index in self.open:
            self.texts.setdefault(index, []).append(data)

    def all(self, tag):
        return [(attrs, "".join(self.texts.get(i, [])))
                for i, (t, attrs) in enumerate(self.found) if t == tag]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    project = Project.at(copy_project(tmp_path_factory.mktemp("content")))
    path = write(project, BRIEF, "proef")
    Image.new("RGB", (300, 150), "#0b5c6b").save(path.parent / "chart.png")
    brief = load_brief(project, "proef")
    audience = brief.audience("web")
    assert audience is not None and audience.languages == ("nl", "en")
    made = {language: web.render_page(project, brief, audience, language,
                                      published=("nl", "en"), downloads=())
            for language in ("nl", "en")}
    return project, made, (path.parent / "chart.png").read_bytes()


def parse(html: str) -> Elements:
    elements = Elements()
    elements.feed(html)
    elements.close()
    return elements


@pytest.mark.parametrize("language", ("nl", "en"))
def test_a_table_has_header_scopes_and_a_caption(pages, language):
    _, made, _ = pages
    page = parse(made[language].html)
    headers = page.all("th")
    assert len(headers) == 2 and all(attrs.get("scope") == "col" for attrs, _ in headers)
    [(caption, text)] = page.all("caption")
    assert text == {"nl": "De meldingen per jaar", "en": "The reports per year"}[language]
    [(region, _)] = [(a, t) for a, t in page.all("div") if a.get("class") == "table"]
    assert region["aria-labelledby"] == caption["id"] and region["role"] == "region"
    assert "tabindex" not in region  # two columns fit a phone: nothing to scroll, no tab stop
    right = [a for a, _ in page.all("td") if a.get("class") == "align-right"]
    assert len(right) == 2  # `----:` as a class: the CSP allows no style attribute


@pytest.mark.parametrize("language", ("nl", "en"))
def test_a_figure_has_its_alt_text_and_caption_and_its_image_beside_the_page(pages, language):
    _, made, chart = pages
    page = parse(made[language].html)
    [(image, _)] = page.all("img")
    assert image["alt"].startswith(("Staafdiagram", "Bar chart"))
    assert image["src"] == "../media/chart.png"
    assert (image["width"], image["height"]) == ("300", "150")  # its place kept while it loads
    assert image["loading"] == "lazy"  # fetched when it nears the screen, not with the page
    assert made[language].files["media/chart.png"] == chart
    [(_, caption)] = page.all("figcaption")
    assert " ".join(caption.split()) == {"nl": "Meldingen per jaar", "en": "Reports per year"}[
        language]  # (its last words tied by a no-break space)


@pytest.mark.parametrize("language", ("nl", "en"))
def test_lists_quotes_and_a_passage_in_another_language(pages, language):
    _, made, _ = pages
    html = made[language].html
    page = parse(html)
    [(ordered, _)] = [(a, t) for a, t in page.all("ol") if "start" in a]
    assert ordered["start"] == "3"  # as written; no inline counter style
    assert len(page.all("blockquote")) == 1 and len(page.all("ul")) >= 1
    other = {"nl": "en", "en": "nl"}[language]
    [(_span, text)] = [(a, t) for a, t in page.all("span") if a.get("lang") == other]
    assert text == {"nl": "grooming", "en": "zedenzaak"}[language]
    assert page.all("html")[0][0]["lang"] == language
    assert not re.search(r"\sstyle=", html) and "<style" not in html


def test_a_long_address_in_a_note_is_printed_as_written(pages):
    _, made, _ = pages
    page = parse(made["nl"].html)
    notes = [t for a, t in page.all("li") if a.get("id", "").startswith("fn-")]
    address = ("https://example.org/een/heel/lang/adres/dat/op/een/klein/scherm/overal/mag/"
               "afbreken/zonder/horizontaal/te/schuiven")
    assert any(address in text for text in notes)  # no word joiner to copy along
    links = [a for a, _ in page.all("a") if a.get("href") == address]
    assert links and links[0].get("class") == "url"  # web.css: overflow-wrap: anywhere
    assert made["nl"].footnotes == 2


def test_a_web_audience_may_list_its_languages(pages, tmp_path):
    project = Project.at(copy_project(tmp_path))
    path = write(project, BRIEF.replace("audiences: [full, web]",
                                        "audiences:\n  full:\n  web: {languages: [en]}"), "proef")
    Image.new("RGB", (30, 15)).save(path.parent / "chart.png")
    brief = load_brief(project, "proef")
    audience = brief.audience("web")
    assert audience is not None and audience.languages == ("en",)


def test_a_mistake_in_the_web_template_is_located(pages):
    project, *_ = pages
    template = project.templates / "web.html.j2"
    original = template.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "<h1>" in line)
    lines[at] = lines[at].replace("doc.heading", "doc.heading_typo")
    template.write_text("".join(lines), encoding="utf-8")
    try:
        brief = load_brief(project, "proef")
        audience = brief.audience("web")
        assert audience is not None
        with pytest.raises(TemplateError) as found:
            web.render_page(project, brief, audience, "nl", published=("nl",), downloads=())
        assert found.value.mark.path.name == "web.html.j2"
        assert found.value.mark.line == at + 1
    finally:
        template.write_text(original, encoding="utf-8")
