"""brief preview: page images of every output side by side, and the server that shows them.

Fast: the PDFs are small ones made here with pikepdf (no WeasyPrint), recorded in the manifest
as a build would; the server runs in a thread of the test process.
"""

from __future__ import annotations

import http.client
import re
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest

from generator.errors import BriefError, LocatedError, Mark
from generator.project import OutputId, Project
from generator.run.build import BuildResult
from generator.run.manifest import Manifest
from generator.run.preview import IMAGE_RE, PAGE_NAME, PREVIEW_DIR, VERSION_NAME, preview
from generator.run.serve import PreviewServer

from .support import TINY, run_cli, write

BRIEF = "tiny"
NL = OutputId(BRIEF, "full", "nl")
EN = OutputId(BRIEF, "mep", "en")


@pytest.fixture
def empty(tmp_path) -> Project:
    project = Project.at(tmp_path)
    (project.content / BRIEF).mkdir(parents=True)
    (project.content / BRIEF / "brief.yaml").write_text("title: x\n")
    return project


def make_pdf(path: Path, pages: int, title: str = "Titel", size=(595, 842), shade: float = 0.5
             ) -> None:
    """A PDF of `pages` pages, each with a grey box (so that shades give different images)."""
    pdf = pikepdf.new()
    for _ in range(pages):
        page = pdf.add_blank_page(page_size=size)
        page.Contents = pdf.make_stream(f"{shade} g 50 50 200 300 re f".encode())
    pdf.docinfo["/Title"] = title
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.save(path)


def record(project: Project, *outputs: OutputId, warnings=()) -> None:
    """Record outputs in the manifest as a build does (the PDFs must exist)."""
    manifest = Manifest.load(project.out)
    for output in outputs:
        manifest.record_output(output, "digest", warnings=warnings)
    manifest.save()


class _Page(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[dict[str, str]] = []
        self.lang = ""
        self.langs: list[str] = []
        self.captions: list[str] = []
        self._caption = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = attrs.get("lang", "")
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "figcaption":
            self._caption = True
            self.captions.append("")
        if "lang" in attrs and tag != "html":
            self.langs.append(attrs["lang"])

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self._caption = False

    def handle_data(self, data):
        if self._caption:
            self.captions[-1] += data


def page_of(project: Project) -> tuple[str, _Page]:
    html = (project.out / BRIEF / PAGE_NAME).read_text(encoding="utf-8")
    return html, _Page(html)


def images(project: Project) -> set[str]:
    return {p.name for p in (project.out / BRIEF / PREVIEW_DIR).glob("*.webp")}


def test_one_labelled_image_per_page_of_every_output_and_its_booklet(empty):
    make_pdf(empty.output_path(NL), 3)
    make_pdf(empty.booklet_path(NL), 2, size=(842, 595))
    make_pdf(empty.output_path(EN), 2, title="Title")
    record(empty, NL, EN)

    [made] = preview(empty, [BRIEF])

    assert made.path == empty.out / BRIEF / PAGE_NAME and made.pages == 7 and made.rendered == 7
    assert [(c.name, len(c.pages), c.booklet) for c in made.columns] == [
        ("tiny.full.nl.pdf", 3, False), ("tiny.full.nl.booklet.pdf", 2, True),
        ("tiny.mep.en.pdf", 2, False)]
    _, page = page_of(empty)
    assert page.lang == "en" and {"nl", "en"} <= set(page.langs)
    assert len(page.images) == 7
    alts = [img["alt"] for img in page.images]
    assert "Page 3 of tiny.full.nl.pdf" in alts and "Page 2 of tiny.mep.en.pdf" in alts
    assert "Page 2 of tiny.full.nl.booklet.pdf" in alts
    for img in page.images:  # relative, so the page works as a file too; the file is there
        src = img["src"]
        assert src.startswith(f"{PREVIEW_DIR}/") and IMAGE_RE.match(src.split("/")[1])
        assert (empty.out / BRIEF / src).stat().st_size > 0
    assert any(re.sub(r"\s+", " ", c).startswith("page 3 of 3 · full · nl")
               for c in page.captions)
    assert (empty.out / BRIEF / PREVIEW_DIR / VERSION_NAME).read_text() == made.version


def test_titles_and_warnings_are_escaped_and_shown(empty):
    make_pdf(empty.output_path(NL), 1, title='<img src=x onerror="alert(1)"> & <u>')
    warning = LocatedError(Mark(empty.content / BRIEF / "brief.yaml", 3, 5),
                           "prints a placeholder ('<i>TODO</i>')")
    record(empty, NL, warnings=[warning])

    preview(empty, [BRIEF], failed=[(EN, BriefError("tiny.mep.en.pdf: <em>broken</em>"))])

    html, _ = page_of(empty)
    assert "<img src=x" not in html and "<u>" not in html and "<i>TODO" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; &lt;u&gt;" in html
    assert "content/tiny/brief.yaml:3:5: prints a placeholder (&#39;&lt;i&gt;TODO" in html
    assert "(from the last build)" not in html
    assert "tiny.mep.en.pdf: &lt;em&gt;broken&lt;/em&gt;" in html  # the failed build, on top
    assert "PDF/UA-1" not in html and "1 page ·" in html  # preflight's summary of this PDF


def test_only_changed_pdfs_are_rendered_again_and_stale_images_removed(empty):
    make_pdf(empty.output_path(NL), 3)
    make_pdf(empty.output_path(EN), 2)
    record(empty, NL, EN)
    first = preview(empty, [BRIEF])[0]
    before = images(empty)
    en_images = {name for name in before if ".mep.en." in name}
    mtimes = {name: (empty.out / BRIEF / PREVIEW_DIR / name).stat().st_mtime_ns
              for name in before}

    again = preview(empty, [BRIEF])[0]  # nothing changed: nothing rendered, nothing written
    assert (again.rendered, again.removed, again.version) == (0, 0, first.version)
    assert images(empty) == before

    make_pdf(empty.output_path(NL), 4, shade=0.2)  # the Dutch PDF changed: only it is rendered
    record(empty, NL)
    changed = preview(empty, [BRIEF])[0]
    assert (changed.rendered, changed.removed) == (4, 3) and changed.version != first.version
    now = images(empty)
    assert len(now) == 6 and en_images <= now and not (before - en_images) & now
    assert all((empty.out / BRIEF / PREVIEW_DIR / name).stat().st_mtime_ns == mtimes[name]
               for name in en_images)
    _, page = page_of(empty)
    assert {img["src"].split("/")[1] for img in page.images} == now

    manifest = Manifest.load(empty.out)  # an output no build makes any more: its images go
    manifest.forget_brief(BRIEF, keep={NL})
    manifest.save()
    gone = preview(empty, [BRIEF])[0]
    assert gone.removed == 2 and not any(".mep.en." in name for name in images(empty))

    other = preview(empty, [BRIEF], dpi=36)[0]  # another resolution: rendered again
    assert other.rendered == 4 and other.removed == 4


def test_an_audience_filter_and_what_names_nothing(empty):
    make_pdf(empty.output_path(NL), 1)
    make_pdf(empty.output_path(EN), 1)
    record(empty, NL, EN)
    [made] = preview(empty, [BRIEF], audiences=["mep"])
    assert [c.name for c in made.columns] == ["tiny.mep.en.pdf"]
    with pytest.raises(BriefError, match=r"audience 'mepp' to preview \(did you mean 'mep'"):
        preview(empty, [BRIEF], audiences=["mepp"])
    with pytest.raises(BriefError, match=r"no brief 'tinny' to preview \(did you mean 'tiny'"):
        preview(empty, ["tinny"])
    with pytest.raises(BriefError, match=r"'\.\./etc' is not a brief id"):
        preview(empty, ["../etc"])


def test_a_brief_never_built_gets_a_page_that_says_so(empty):
    [made] = preview(empty, [BRIEF])
    html, page = page_of(empty)
    assert not made.columns and not page.images and "no PDFs of &#39;tiny&#39;" in html


def test_a_pdf_that_cannot_be_read_is_a_problem_on_the_page(empty):
    make_pdf(empty.output_path(EN), 1)
    empty.output_path(NL).write_bytes(b"%PDF-1.7 not really")
    record(empty, NL, EN)
    [made] = preview(empty, [BRIEF])
    assert [c.name for c in made.columns] == ["tiny.mep.en.pdf"]
    assert made.problems and "out/tiny/tiny.full.nl.pdf: cannot be previewed" in made.problems[0]


# ---------------------------------------------------------------------------------------------
# The server of `brief watch --preview`


def get(server: PreviewServer, path: str, host: str | None = None) -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        headers = {"Host": host} if host else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def test_the_server_serves_the_preview_and_nothing_else(empty):
    make_pdf(empty.output_path(NL), 2)
    record(empty, NL)
    made = preview(empty, [BRIEF])[0]
    (empty.out / "secret.txt").write_text("secret")
    (empty.out / BRIEF / PREVIEW_DIR / "notes.webp").write_text("not ours")
    image = made.columns[0].pages[0].file

    with PreviewServer(empty) as server:
        assert server.url([BRIEF]) == f"http://127.0.0.1:{server.port}/{BRIEF}/{PAGE_NAME}"
        assert server.url() == f"http://127.0.0.1:{server.port}/"
        status, body, headers = get(server, f"/{BRIEF}/{PAGE_NAME}")
        assert status == 200 and body == made.path.read_bytes()
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        status, body, headers = get(server, f"/{BRIEF}/{PREVIEW_DIR}/{image}")
        assert status == 200 and body[:4] == b"RIFF" and headers["Content-Type"] == "image/webp"
        assert get(server, f"/{BRIEF}/{PREVIEW_DIR}/{VERSION_NAME}")[1] == made.version.encode()
        status, body, _ = get(server, "/")  # the index lists the briefs previewed
        assert status == 200 and f'href="{BRIEF}/{PAGE_NAME}"'.encode() in body
        assert get(server, "/index.version")[0] == 200
        # A brief not previewed yet: a page that waits for it.
        (empty.content / "other").mkdir()
        (empty.content / "other" / "brief.yaml").write_text("title: x\n")
        status, body, _ = get(server, f"/other/{PAGE_NAME}")
        assert status == 200 and b"Building" in body
        assert get(server, f"/nothing/{PAGE_NAME}")[0] == 404  # no such brief

        refused = [
            "/../secret.txt", f"/{BRIEF}/../secret.txt", "/%2e%2e/secret.txt",
            f"/{BRIEF}/%2e%2e/secret.txt", f"/{BRIEF}/{PREVIEW_DIR}/..%2f..%2fsecret.txt",
            f"/{BRIEF}/{PREVIEW_DIR}/%2e%2e%2f%2e%2e%2fsecret.txt", "/secret.txt",
            f"/{BRIEF}/", f"/{BRIEF}/{PREVIEW_DIR}/", f"/{BRIEF}/{PREVIEW_DIR}",  # no listings
            f"/{BRIEF}/tiny.full.nl.pdf", f"/{BRIEF}/{PREVIEW_DIR}/state.json",
            f"/{BRIEF}/{PREVIEW_DIR}/notes.webp", "/.brief-manifest.json",
            f"/{BRIEF}/{PREVIEW_DIR}/{image}/x", "/etc/passwd", "//etc/passwd",
            f"/{BRIEF}%2f{PAGE_NAME}", f"/{BRIEF}/{PREVIEW_DIR}\\..\\..\\secret.txt",
        ]
        for path in refused:
            status, body, _ = get(server, path)
            assert status == 404 and b"secret" not in body and b"not ours" not in body, path
        # Asked for under another name (DNS rebinding): refused.
        assert get(server, f"/{BRIEF}/{PAGE_NAME}", host="evil.example:80")[0] == 421
        assert get(server, f"/{BRIEF}/{PAGE_NAME}", host=f"localhost:{server.port}")[0] == 200
    assert server.httpd.socket.fileno() == -1  # closed


# ---------------------------------------------------------------------------------------------
# The command


@pytest.mark.slow  # renders the tiny brief's PDFs
def test_brief_preview_builds_what_changed_then_writes_the_page(project):
    write(project, TINY, BRIEF)
    result = run_cli(project, "preview", BRIEF)
    assert result.exit_code == 0, result.output
    page = project.out / BRIEF / PAGE_NAME
    assert f"built       out/{BRIEF}/{BRIEF}.full.nl.pdf" in result.output
    assert (f"preview     out/{BRIEF}/preview.html  (2 PDFs, 2 pages; 2 page images rendered)"
            f"  {page.as_uri()}") in result.output
    assert len(_Page(page.read_text(encoding="utf-8")).images) == 2

    again = run_cli(project, "preview", BRIEF, "--audience", "mep")
    assert again.exit_code == 0 and "built" not in again.output
    assert "(1 PDF, 1 page; 0 page images rendered)" in again.output

    wrong = run_cli(project, "preview", BRIEF, "--audience", "mepp")
    assert wrong.exit_code == 1
    assert "no output in audience 'mepp' to preview (did you mean 'mep'?)" in wrong.output


def test_preview_help_and_watch_preview_wiring(empty, monkeypatch):
    import generator.run.watch

    result = run_cli(empty, "preview", "-v", "--help")
    assert result.exit_code == 0 and "Examples:\n    brief preview" in result.output
    assert "--audience" in result.output and "--resolution" in result.output

    make_pdf(empty.output_path(NL), 1)
    record(empty, NL)
    seen = {}

    def fake_watch(project, brief_ids, **options):  # one build that made nothing, then stop
        seen["url"] = url = next(line for line in out if line.startswith("preview: "))
        connection = http.client.HTTPConnection("127.0.0.1", int(
            re.search(r":(\d+)/", url)[1]), timeout=10)
        options["on_result"](BuildResult(), None)
        connection.request("GET", f"/{BRIEF}/{PAGE_NAME}")
        seen["code"] = connection.getresponse().status
        connection.close()

    out: list[str] = []
    monkeypatch.setattr(generator.run.watch, "watch", fake_watch)
    monkeypatch.setattr("click.echo", lambda message="", **k: out.append(str(message)))
    result = run_cli(empty, "watch", "--preview", BRIEF)
    assert result.exit_code == 0, result.output
    assert re.fullmatch(rf"preview: http://127\.0\.0\.1:\d+/{BRIEF}/{PAGE_NAME}", seen["url"])
    assert seen["code"] == 200 and (empty.out / BRIEF / PAGE_NAME).is_file()
    assert any(line.startswith(f"preview     out/{BRIEF}/{PAGE_NAME}") for line in out)
    assert out[-1] == "stopped"


def test_the_preview_of_a_brief_that_is_gone_is_removed(empty):
    make_pdf(empty.output_path(NL), 2)
    record(empty, NL)
    preview(empty)
    (empty.out / "mine.txt").write_text("not brief's")
    (empty.content / BRIEF / "brief.yaml").unlink()  # renamed or deleted
    (empty.content / "renamed").mkdir()
    (empty.content / "renamed" / "brief.yaml").write_text("title: x\n")
    kept = empty.out / BRIEF / "notes.txt"
    kept.write_text("someone's notes")

    preview(empty)

    assert not (empty.out / BRIEF / PAGE_NAME).exists()
    assert not (empty.out / BRIEF / PREVIEW_DIR).exists() and kept.exists()
    assert (empty.out / "renamed" / PAGE_NAME).is_file()
