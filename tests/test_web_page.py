"""The web edition (issue 21, generator/make/web): the sample's pages rendered for real and written
into a folder as a build would, then read back as a browser would read them — notes both ways,
the PDFs' numbering, the Content-Security-Policy, nothing from another host, the size budget,
the WOFF2 subsets, the metadata (JSON-LD, hreflang, Open Graph, Highwire), the draft mark."""

from __future__ import annotations

import io
import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from generator.make import web
from generator.make.web import fonts
from generator.project import OutputId, Project
from generator.run.pipeline import load_brief, prepare

from .support import SAMPLE, copy_project

LANGUAGES = ("nl", "en", "de", "fr", "pl")
BUDGET = 150_000  # bytes a page may weigh before images and PDFs (issue 21)


class Tree(HTMLParser):
    """Every element of a page as (tag, attributes, text inside it), in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []
        self.open: list[tuple[str, dict[str, str], list[str]]] = []

    def handle_starttag(self, tag, attrs):
        element = (tag, {k: v or "" for k, v in attrs}, [])
        self.elements.append(element)
        if tag not in ("meta", "link", "img", "br", "input"):
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for element in self.open:
            element[2].append(data)

    def find(self, tag: str | None = None, **attrs: str):
        return [(t, a, "".join(text)) for t, a, text in self.elements
                if (tag is None or t == tag)
                and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]


def tree(html: str) -> Tree:
    parsed = Tree()
    parsed.feed(html)
    parsed.close()
    return parsed


def fake_pdfs(project: Project, language: str) -> tuple[web.Download, ...]:
    """PDFs as a build leaves them in out/<brief>/ (their bytes are only copied)."""
    made = []
    for audience, size in (("full", 1_234_567), ("mep", 345_600)):
        path = f"{SAMPLE}.{audience}.{language}.pdf"
        target = project.out / SAMPLE / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"%PDF-1.7\n" + b"0" * 100)
        made.append(web.Download(audience, path, 4, size))
    return tuple(made)


def write_page(folder: Path, language: str, page: web.WebPage) -> None:
    """What the build writes: the page and its files under out/<brief>/web/."""
    (folder / language).mkdir(parents=True, exist_ok=True)
    (folder / language / "index.html").write_text(page.html, encoding="utf-8")
    for name, data in page.files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The sample's web edition in every language, written into out/expert-advice/web/."""
    project = Project.at(copy_project(tmp_path_factory.mktemp("web")))
    brief = load_brief(project, SAMPLE)
    audience = brief.audience("web")
    assert audience is not None and audience.medium == "web"
    assert audience.languages == brief.languages == LANGUAGES  # the brief's, by default
    folder = project.out / SAMPLE / "web"
    pages = {}
    for language in LANGUAGES:
        page = web.render_page(project, brief, audience, language, published=LANGUAGES,
                               downloads=fake_pdfs(project, language))
        write_page(folder, language, page)
        pages[language] = page
    (folder / "index.html").write_bytes(web.render_index(project, brief, audience, LANGUAGES))
    return project, brief, audience, folder, pages


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_note_call_links_to_its_note_and_back(site, language):
    *_, folder, pages = site
    page = tree((folder / language / "index.html").read_text(encoding="utf-8"))
    calls = page.find("a", role="doc-noteref")
    ids = [a["id"] for _, a, _ in page.elements if "id" in a]
    assert len(ids) == len(set(ids)), "ids are unique"
    [(_, _endnotes, _)] = page.find("section", role="doc-endnotes")
    notes = [(a["id"], text) for t, a, text in page.find("li") if a.get("id", "").startswith("fn-")]
    backlinks = page.find("a", role="doc-backlink")
    assert len(calls) == len(notes) == len(backlinks) == pages[language].footnotes > 0
    for n, ((_, call, text), (note_id, _), (_, back, _)) in enumerate(
            zip(calls, notes, backlinks, strict=True), 1):
        assert text == str(n)  # numbered 1, 2, 3 … in reading order
        assert call["href"] == f"#{note_id}" == f"#fn-{n}"
        assert back["href"] == f"#{call['id']}" == f"#fnref-{n}"
        assert back["aria-label"]  # "Back to the text (3)", in the page's language


def _note_texts_of_pdf_html(html: str) -> dict[int, str]:
    """The print HTML's notes (`<span class="fn" data-fn="3">…</span>`), as plain text."""
    found = {}
    for match in re.finditer(r'<span class="fn[^"]*" id="fn-(\d+)" data-fn="\d+">', html):
        depth, i = 1, match.end()
        while depth:
            nxt = re.compile(r"<(/?)span\b").search(html, i)
            assert nxt
            depth += -1 if nxt[1] else 1
            i = nxt.end()
        found[int(match[1])] = html[match.end():nxt.start()]
    return {n: _plain(inner) for n, inner in found.items()}


def _plain(html: str) -> str:
    text = re.sub(r"<[^>]+>", "", html).replace("\u2060", "").replace("\u00ad", "")
    return " ".join(text.replace("&nbsp;", " ").replace("\u00a0", " ").split())


@pytest.mark.parametrize("language", ("en", "de", "fr", "pl"))
def test_notes_are_numbered_and_worded_as_in_the_pdf(site, language):
    """The web page prints the sections the MEP brief prints: the same notes, the same numbers,
    the same citation forms (full, short, Ibid.) as its PDF (`footnotes.number`)."""
    project, brief, _, folder, pages = site
    prepared = prepare(project, brief, OutputId(SAMPLE, "mep", language))
    printed = _note_texts_of_pdf_html(prepared.html)
    page = tree((folder / language / "index.html").read_text(encoding="utf-8"))
    on_web = {int(a["id"][3:]): _plain(text).removesuffix("↩").strip()
              for _, a, text in page.find("li") if a.get("id", "").startswith("fn-")}
    assert pages[language].footnotes == len(prepared.footnotes)
    assert on_web == printed
    assert any(f.form != "full" for f in prepared.footnotes)  # a short form is compared too


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_runs_nothing_and_asks_no_other_host(site, language):
    *_, folder, _ = site
    html = (folder / language / "index.html").read_text(encoding="utf-8")
    page = tree(html)
    [(_, csp, _)] = page.find("meta", http_equiv="Content-Security-Policy")
    assert csp["content"] == web.CSP
    assert "default-src 'none'" in csp["content"] and "unsafe" not in csp["content"]
    assert [a.get("type") for _, a, _ in page.find("script")] == ["application/ld+json"]
    assert not page.find("style") and not any("style" in a for _, a, _ in page.elements)
    assets = [a["src"] for _, a, _ in page.elements if "src" in a]
    assets += [a["href"] for t, a, _ in page.elements if t == "link" and a.get("rel") in (
        "stylesheet", "icon", "preload")]
    css = [(folder / language / href).resolve() for href in assets if href.endswith(".css")]
    assert len(css) == 2
    for sheet in css:
        assets += re.findall(r"url\(\"?([^\")]+)\"?\)", sheet.read_text(encoding="utf-8"))
    assert assets
    for address in assets:
        assert not re.match(r"^([a-z][a-z0-9+.-]*:|//)", address), address  # relative
    for href in assets[:2]:
        assert (folder / language / href).resolve().is_file(), href


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_weighs_less_than_150_kb_before_images_and_pdfs(site, language):
    *_, _folder, pages = site
    weight = len(pages[language].html.encode()) + sum(
        len(data) for name, data in pages[language].files.items()
        if not name.endswith((".pdf", ".png")) and not name.startswith(web.MEDIA))
    assert weight < BUDGET, weight


@pytest.mark.parametrize("language", ("nl", "pl"))
def test_the_fonts_are_woff2_subsets_of_the_project_fonts_holding_the_page_text(site, language):
    project, *_, folder, pages = site
    text = web._visible_text(pages[language].html)
    for face in fonts.FACES:
        data = (folder / language / "fonts" / face.woff2).read_bytes()
        assert data[:4] == b"wOF2"
        subset = TTFont(io.BytesIO(data))
        full = TTFont(project.styles / "fonts" / face.file)
        assert len(subset.getGlyphOrder()) < len(full.getGlyphOrder()) / 3
        wanted = {ord(c) for c in text} & set(full.getBestCmap())
        assert wanted <= set(subset.getBestCmap()), face.file
    assert "ł" in text if language == "pl" else True
    css = (folder / language / "fonts.css").read_text(encoding="utf-8")
    assert css.count("@font-face") == len(fonts.FACES) and 'format("woff2")' in css


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_metadata_names_the_page_in_every_language(site, language):
    _, _brief, _, folder, _ = site
    page = tree((folder / language / "index.html").read_text(encoding="utf-8"))
    [(_, html, _)] = page.find("html")
    assert html["lang"] == language
    base = "https://example.org/expert-advice"
    [(_, canonical, _)] = page.find("link", rel="canonical")
    assert canonical["href"] == f"{base}/{language}/"
    alternates = {a["hreflang"]: a["href"] for _, a, _ in page.find("link", rel="alternate")}
    assert alternates == {**{code: f"{base}/{code}/" for code in LANGUAGES},
                          "x-default": f"{base}/"}
    chooser = [(a["hreflang"], a["lang"], a["href"]) for _, a, _ in page.find("a")
               if "hreflang" in a]
    assert [code for code, _, _ in chooser] == list(LANGUAGES)
    assert all(code == lang for code, lang, _ in chooser)
    assert ("nl", "nl", "./" if language == "nl" else "../nl/") in chooser
    meta = {a.get("property") or a.get("name"): a["content"] for _, a, _ in page.find("meta")
            if "content" in a}
    assert meta["og:url"] == f"{base}/{language}/"
    assert meta["og:image"] == f"{base}/{language}/card.png"
    assert meta["og:title"] == meta["citation_title"] == page.find("title")[0][2]
    assert meta["og:locale"] == {"nl": "nl_NL", "en": "en", "de": "de_DE", "fr": "fr_FR",
                                 "pl": "pl_PL"}[language]  # not en_US: no region invented
    others = [a["content"] for _, a, _ in page.find("meta", property="og:locale:alternate")]
    assert len(others) == len(LANGUAGES) - 1 and meta["og:locale"] not in others
    assert meta["description"] and "<" not in meta["description"]
    assert meta["citation_author"] == "Bits of Freedom"
    assert meta["citation_publication_date"] == "2023/01/01"
    assert meta["citation_language"] == language
    assert meta["citation_pdf_url"] == f"{base}/{language}/{SAMPLE}.full.{language}.pdf"
    [(_, _, data)] = page.find("script", type="application/ld+json")
    report = json.loads(data)
    assert report["@type"] == "Report" and report["inLanguage"] == language
    assert report["datePublished"] == "2023-01-01"
    assert report["author"] == report["publisher"] == {"@type": "Organization",
                                                       "name": "Bits of Freedom"}
    cited = {c["name"] for c in report["citation"]}
    assert "Jaarcijfers Centrum Seksueel Geweld 2021" in cited
    assert all(c["url"].startswith("https://") for c in report["citation"] if "url" in c)


@pytest.mark.parametrize("language", LANGUAGES)
def test_headings_go_in_order_and_a_skip_link_leads_to_the_text(site, language):
    *_, folder, _ = site
    page = tree((folder / language / "index.html").read_text(encoding="utf-8"))
    levels = [int(t[1]) for t, _, _ in page.elements if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    first = next(a for t, a, _ in page.elements if t == "a")
    assert first.get("class") == "skip-link" and first["href"] == "#text"
    assert page.find("main", id="text")


def test_the_downloads_name_each_pdf_with_its_size_and_pages_in_the_language(site):
    *_, folder, pages = site
    page = tree((folder / "nl" / "index.html").read_text(encoding="utf-8"))
    items = [" ".join(text.split()) for t, a, text in page.find("li")
             if "PDF" in "".join(text)]
    assert items == ["Volledige notitie (A4, om te printen) PDF, 1,2 MB, 4 pagina’s",
                     "Notitie voor leden van het Europees Parlement PDF, 346 kB, 4 pagina’s"]
    assert (folder / "nl" / f"{SAMPLE}.full.nl.pdf").read_bytes().startswith(b"%PDF")
    fr = tree(pages["fr"].html)
    assert any("1,2\u202fMo" in text for _, _, text in fr.find("li"))  # CLDR: a narrow space
    for language, page in pages.items():  # the designs' names in every language, never ids
        labels = [text for _, a, text in tree(page.html).find("a", type="application/pdf")]
        assert len(labels) == 2 and not {"full", "mep"} & set(labels), (language, labels)
        assert not [w for w in page.warnings if "has no title" in str(w)], language


def test_the_root_page_chooses_a_language(site):
    *_, folder, _ = site
    html = (folder / "index.html").read_text(encoding="utf-8")
    page = tree(html)
    links = {a["hreflang"]: a["href"] for _, a, _ in page.find("a") if "hreflang" in a}
    assert links == {code: f"{code}/" for code in LANGUAGES}
    assert all((folder / href / "index.html").is_file() for href in links.values())
    assert not page.find("script") and "http-equiv=\"refresh\"" not in html
    assert [a["lang"] for t, a, _ in page.elements if t == "li"] == list(LANGUAGES)


def test_the_social_card_is_a_1200_by_630_png_the_same_every_time(site):
    project, brief, audience, _folder, pages = site
    card = pages["en"].files["en/card.png"]
    with Image.open(io.BytesIO(card)) as image:
        assert image.format == "PNG" and image.size == (1200, 630)
        assert image.getpixel((5, 5)) == (0x0b, 0x5c, 0x6b)  # the design's accent
    again = web.render_page(project, brief, audience, "en", published=LANGUAGES,
                            downloads=fake_pdfs(project, "en"))
    assert again.html == pages["en"].html  # pure: the same inputs, the same bytes
    assert again.files == pages["en"].files


def test_a_draft_page_says_so_and_is_not_indexed(site):
    project, brief, audience, *_ = site
    page = web.render_page(project, brief, audience, "de", published=("nl", "en"),
                           downloads=(), draft=True)
    parsed = tree(page.html)
    [(_, _, mark)] = parsed.find("p", **{"class": "draft-mark"})
    assert mark == "Entwurf – nicht zur Weitergabe"  # the catalog's `draft`
    assert parsed.find("meta", name="robots", content="noindex")
    alternates = {a["hreflang"] for _, a, _ in parsed.find("link", rel="alternate")}
    assert alternates == {"nl", "en", "x-default"}  # only the published pages
    chooser = [a["hreflang"] for _, a, _ in parsed.find("a") if "hreflang" in a]
    assert chooser == ["nl", "en", "de"]  # and the draft itself
    assert not parsed.find("section", **{"class": "downloads"})


def test_a_pdf_points_at_the_web_page_in_its_language(site):
    project, brief, *_ = site
    handout = prepare(project, brief, OutputId(SAMPLE, "handout", "nl"))
    assert 'href="https://example.org/expert-advice/nl/"' in handout.html
    mep = prepare(project, brief, OutputId(SAMPLE, "mep", "fr"))
    assert 'href="https://example.org/expert-advice/fr/"' in mep.html
