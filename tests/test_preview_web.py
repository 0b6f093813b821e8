"""brief preview and `brief watch --preview` show the web edition beside the PDFs: each page of
out/<brief>/web/<lang>/index.html linked and framed, and the server serves the web folder (and
nothing else beside the preview).

Fast: the web pages are small files written here (the renderer is tested elsewhere), the PDFs
small ones made with pikepdf, the server runs in a thread of the test process.
"""

from __future__ import annotations

import html
import http.client
import os
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest

from generator.project import OutputId, Project
from generator.run.manifest import Manifest
from generator.run.preview import PAGE_NAME, PREVIEW_DIR, VERSION_NAME, WebView, preview
from generator.run.serve import PreviewServer

BRIEF = "tiny"
NL = OutputId(BRIEF, "full", "nl")

PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="../assets/web.css"></head>
<body><main><h1>{title}</h1></main></body></html>
"""


@pytest.fixture
def empty(tmp_path) -> Project:
    project = Project.at(tmp_path)
    (project.content / BRIEF).mkdir(parents=True)
    (project.content / BRIEF / "brief.yaml").write_text("title: x\n")
    return project


def _web(project: Project, languages=("en", "nl"), chooser: bool = True) -> Path:
    """A web edition as a build writes it: a page per language, shared assets, a chooser."""
    web = project.out / BRIEF / "web"
    for language in languages:
        (web / language).mkdir(parents=True, exist_ok=True)
        (web / language / "index.html").write_text(
            PAGE.format(lang=language, title=html.escape(f"Title <{language}> & co")),
            encoding="utf-8")
    (web / "assets").mkdir(parents=True, exist_ok=True)
    (web / "assets" / "web.css").write_text("body { color: #111; }\n")
    (web / "assets" / "font.woff2").write_bytes(b"wOF2" + bytes(60))
    (web / "assets" / "card.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(20))
    (web / "assets" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (web / languages[0] / "brief.full.en.pdf").write_bytes(b"%PDF-1.7\n")  # a download
    if chooser:
        (web / "index.html").write_text(PAGE.format(lang="en", title="Choose"), encoding="utf-8")
    return web


def _pdf(project: Project) -> None:
    """One recorded PDF of one page, as a build leaves it."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    path = project.output_path(NL)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.save(path)
    manifest = Manifest.load(project.out)
    manifest.record_output(NL, "digest")
    manifest.save()


class _Frames(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.frames: list[dict[str, str]] = []
        self.links: list[str] = []
        self.images = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "iframe":
            self.frames.append(attrs)
        elif tag == "a":
            self.links.append(attrs.get("href", ""))
        elif tag == "img":
            self.images += 1


def _page(project: Project) -> tuple[str, _Frames]:
    text = (project.out / BRIEF / PAGE_NAME).read_text(encoding="utf-8")
    return text, _Frames(text)


def test_each_web_page_is_linked_and_framed_beside_the_pdfs(empty):
    _pdf(empty)
    _web(empty)

    [made] = preview(empty, [BRIEF])

    assert made.web == (
        WebView("en", "web/en/index.html", "Title <en> & co", made.web[0].size),
        WebView("nl", "web/nl/index.html", "Title <nl> & co", made.web[1].size))
    assert made.chooser == "web/index.html" and made.web[0].size > 100
    text, page = _page(empty)
    assert [f["src"] for f in page.frames] == ["web/en/index.html", "web/nl/index.html"]
    assert all(f["title"] and "allow-scripts" not in f["sandbox"] for f in page.frames)
    assert {"web/en/index.html", "web/nl/index.html", "web/index.html"} <= set(page.links)
    assert page.images == 1  # the PDF's page, still there
    assert "1 PDF, 1 page, 2 web pages" in text
    assert "Title &lt;en&gt; &amp; co" in text  # the page's title, escaped
    assert not made.problems


def test_a_change_under_web_changes_the_version_so_a_served_page_reloads(empty):
    _pdf(empty)
    web = _web(empty)
    first = preview(empty, [BRIEF])[0].version
    assert preview(empty, [BRIEF])[0].version == first  # nothing changed
    css = web / "assets" / "web.css"
    css.write_text("body { color: #000; }\n")
    os.utime(css, ns=(1, 1))  # the stylesheet alone, whatever the clock
    second = preview(empty, [BRIEF])[0].version
    assert second != first
    assert (empty.out / BRIEF / PREVIEW_DIR / VERSION_NAME).read_text() == second
    (web / "nl" / "index.html").unlink()  # a language no longer published
    third = preview(empty, [BRIEF])[0]
    assert [v.language for v in third.web] == ["en"] and third.version != second


def test_a_web_edition_alone_is_no_problem_and_odd_folders_are_not_pages(empty):
    web = _web(empty, languages=("en",), chooser=False)
    (web / "Not-A-Language").mkdir()
    (web / "Not-A-Language" / "index.html").write_text("<title>x</title>")
    (web / "de").mkdir()  # a language folder without its page

    [made] = preview(empty, [BRIEF])

    assert [v.path for v in made.web] == ["web/en/index.html"] and made.chooser == ""
    assert not made.columns and not made.problems  # not "no PDFs yet": there is something
    _, page = _page(empty)
    assert [f["src"] for f in page.frames] == ["web/en/index.html"]


def test_a_preview_of_some_audiences_pdfs_leaves_the_web_edition_out(empty):
    _pdf(empty)
    _web(empty)
    [made] = preview(empty, [BRIEF], audiences=["full"])
    assert made.web == () and _page(empty)[1].frames == []


def test_without_a_web_edition_the_page_has_no_frame(empty):
    _pdf(empty)
    [made] = preview(empty, [BRIEF])
    text, page = _page(empty)
    assert made.web == () and page.frames == [] and "Web edition" not in text


# ---------------------------------------------------------------------------------------------
# The server


def _get(server: PreviewServer, path: str) -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def test_the_server_serves_the_web_folder_with_its_types_and_nothing_beside(empty):
    _pdf(empty)
    web = _web(empty)
    preview(empty, [BRIEF])
    (empty.out / "secret.txt").write_text("secret")
    (empty.out / BRIEF / "secret.html").write_text("secret")
    (web / ".hidden.css").write_text("secret")
    (web / "notes.py").write_text("secret")
    (web / "data.json").write_text('"secret"')
    (web / "en" / "out.html").symlink_to(empty.out / BRIEF / "secret.html")  # inside out/ only
    (web / "en" / "far.css").symlink_to(empty.out / "secret.txt")

    with PreviewServer(empty) as server:
        status, _, headers = _get(server, f"/{BRIEF}/{PAGE_NAME}")
        assert status == 200 and "frame-src 'self'" in headers["Content-Security-Policy"]
        served = {
            f"/{BRIEF}/web/en/index.html": "text/html; charset=utf-8",
            f"/{BRIEF}/web/en/": "text/html; charset=utf-8",  # a folder: its index.html
            f"/{BRIEF}/web/": "text/html; charset=utf-8",  # the chooser
            f"/{BRIEF}/web/index.html": "text/html; charset=utf-8",
            f"/{BRIEF}/web/assets/web.css": "text/css; charset=utf-8",
            f"/{BRIEF}/web/assets/font.woff2": "font/woff2",
            f"/{BRIEF}/web/assets/card.png": "image/png",
            f"/{BRIEF}/web/assets/logo.svg": "image/svg+xml",
            f"/{BRIEF}/web/en/brief.full.en.pdf": "application/pdf",
        }
        for path, content_type in served.items():
            status, body, headers = _get(server, path)
            file = web / path.removeprefix(f"/{BRIEF}/web/")
            file = file / "index.html" if path.endswith("/") else file
            assert status == 200 and body == file.read_bytes(), path
            assert headers["Content-Type"] == content_type, path
            assert headers["X-Content-Type-Options"] == "nosniff"
            policy = headers["Content-Security-Policy"]
            assert "frame-ancestors 'self'" in policy and "script-src" not in policy, path
            assert policy.startswith("default-src 'none'"), path  # no script: the default

        refused = [
            f"/{BRIEF}/web", f"/{BRIEF}/web/en", f"/{BRIEF}/web/assets/",  # no listings
            f"/{BRIEF}/web/../secret.html", f"/{BRIEF}/web/%2e%2e/secret.html",
            f"/{BRIEF}/web/en/..%2f..%2fsecret.html", f"/{BRIEF}/web/..%2f..%2fsecret.txt",
            f"/{BRIEF}/web/.hidden.css", f"/{BRIEF}/web/notes.py", f"/{BRIEF}/web/data.json",
            f"/{BRIEF}/web/en/out.html", f"/{BRIEF}/web/en/far.css",  # links out of web/
            f"/{BRIEF}/web//en/index.html", f"/{BRIEF}/web/en\\..\\..\\secret.html",
            f"/{BRIEF}/secret.html", f"/{BRIEF}/tiny.full.nl.pdf", "/other/web/en/index.html",
        ]
        for path in refused:
            status, body, _ = _get(server, path)
            assert status == 404 and b"secret" not in body, path


# ---------------------------------------------------------------------------------------------
# In a real browser


@pytest.mark.slow  # starts Node and a headless Chromium
def test_the_frames_show_the_web_pages_served_and_as_files(empty):
    from .browser_check import frames

    _pdf(empty)
    _web(empty)
    made = preview(empty, [BRIEF])[0]

    with PreviewServer(empty) as server:
        served = frames(server.url([BRIEF]))
    as_file = frames(made.path.as_uri())

    for seen in (served, as_file):
        assert [f["src"] for f in seen["frames"]] == ["web/en/index.html", "web/nl/index.html"]
        shown = [f["shown"] for f in seen["frames"]]
        assert [(s["title"], s["lang"]) for s in shown] == [
            ("Title <en> & co", "en"), ("Title <nl> & co", "nl")]
        assert all(s["color"] == "rgb(17, 17, 17)" for s in shown), shown  # its stylesheet
        assert not seen["errors"], seen["errors"]
    css = [r for r in served["loaded"] if r["url"].endswith("/web/assets/web.css")]
    assert css and all(r["status"] == 200 and r["type"].startswith("text/css") for r in css)
