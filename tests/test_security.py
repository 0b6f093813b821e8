"""Attacks on a build: nothing outside the project and no network may reach a PDF.

Every case runs against a local HTTP server that counts requests. Each asserts a clear error (or
the content safely escaped), that no request reached the server, that no PDF embeds a file, and
that the build ends within its limit.
"""

from __future__ import annotations

import http.server
import os
import threading
import time

import pytest

from generator.make.pdf import embedded_files
from generator.project import OutputId, RenderLimits
from generator.run.build import build

from .support import TINY, png_chunks, write

TINY_FULL = TINY.replace("audiences: [full, mep]", "audiences: [full]")
LIMITS = RenderLimits(seconds=10, memory_mb=1024)


class _Counter(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        type(self).hits += 1
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def in_template(project, html: str) -> None:
    path = project.templates / "base.html.j2"
    text = path.read_text()
    path.write_text(text.replace("{% block body %}{% endblock %}",
                                 html + "\n{% block body %}{% endblock %}"))


def in_stylesheet(project, css: str) -> None:
    path = project.styles / "brief.css"
    path.write_text(css + "\n" + path.read_text())


def in_content(project, markdown: str) -> None:
    write(project, TINY_FULL.replace('nl: "Tekst.[@src]"', f"nl: {markdown!r}"))


def svg_use_bomb() -> bytes:
    defs = ['<rect id="l0" width="1" height="1"/>']
    for level in range(1, 10):
        uses = "".join(f'<use href="#l{level - 1}" x="{i}"/>' for i in range(10))
        defs.append(f'<g id="l{level}">{uses}</g>')
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><defs>'
            + "".join(defs) + '</defs><use href="#l9"/></svg>').encode()


# (id, how to inject, payload with {url} for the server, words of the expected error or "")
ATTACKS = [
    ("img-file-url", in_template, '<img src="file:///etc/hostname">', "outside the project"),
    ("img-loopback-http", in_template, '<img src="{url}/a.png">', "refused to fetch"),
    ("img-redirect", in_template, '<img src="{url}/redirect">', "refused to fetch"),
    ("a-attachment-file", in_template, '<a rel="attachment" href="file:///etc/hostname">x</a>',
     "outside the project"),
    ("a-attachment-http", in_template, '<a rel="attachment" href="{url}/x">x</a>',
     "refused to fetch"),
    ("link-attachment-inside-project", in_template,
     '<link rel="attachment" href="../../content/audiences.yaml">', "attachments are not allowed"),
    ("object-file", in_template, '<object data="file:///etc/passwd"></object>',
     "outside the project"),
    # refused by `brief check` already (generator/read/stylesheets.py), as the build's fetcher would
    ("css-import-http", in_stylesheet, '@import url("{url}/x.css");', "fetched from the network"),
    ("css-import-file", in_stylesheet, '@import url("file:///etc/hostname");',
     "outside the project"),
    ("css-import-data-css", in_stylesheet,
     '@import url("data:text/css,body{{background:url({url}/x)}}");', "not a PNG, JPEG"),
    ("css-font-face-http", in_stylesheet,
     '@font-face {{ font-family: X; src: url("{url}/f.ttf"); }} body {{ font-family: X; }}',
     "fetched from the network"),
    ("css-url-http", in_stylesheet, 'body {{ background: url("{url}/bg.png"); }}',
     "fetched from the network"),
    ("css-dotdot", in_stylesheet, 'body { background: url("../../../../../../etc/hostname"); }',
     "outside the project"),
    ("css-dev-zero", in_stylesheet, 'body { background: url("file:///dev/zero"); }',
     "outside the project"),
    ("css-symlink-out", in_stylesheet, 'body { background: url("evil.png"); }',
     "outside the project"),
    ("md-javascript-link", in_content, "[klik](javascript:alert(1))", "not allowed"),
    ("md-file-link", in_content, "[klik](file:///etc/passwd)", "not allowed"),
    ("md-raw-html", in_content, '<img src="{url}/x.png">', "raw HTML"),
    ("md-http-image", in_content, "![x]({url}/x.png)", "must be a file in the brief's folder"),
    ("md-symlink-image", in_content, "![x](link.png)", "is a symbolic link leading outside tiny/"),
    ("md-dev-zero-image", in_content, "![x](zero.png)", "is a symbolic link leading outside"),
    ("md-attribute-syntax", in_content, "[x](https://example.org){{rel=attachment}}",
     "would print as text"),  # Pandoc's attributes: a located error, never on paper
    ("md-huge-image", in_content, "![x](huge.png)", "megapixels allowed"),
    ("md-deep-lists", in_content, "".join("  " * i + "- a\n" for i in range(200)), ""),
    ("md-deep-quotes", in_content, ">" * 500 + " deep", ""),
    ("svg-use-bomb", in_content, "![bom](bomb.svg)", "longer than"),
]


#: Attacks in the content that `brief check` refuses, so no PDF is rendered: the fast loop's.
REFUSED_BEFORE_RENDERING = {"md-javascript-link", "md-file-link", "md-raw-html", "md-http-image",
                            "md-symlink-image", "md-dev-zero-image", "md-huge-image"}


@pytest.mark.parametrize("case", [
    pytest.param(a, id=a[0], marks=() if a[0] in REFUSED_BEFORE_RENDERING else pytest.mark.slow)
    for a in ATTACKS])
def test_attack(case, project, server, tmp_path, caplog):
    name, inject, payload, words = case
    write(project, TINY_FULL)
    folder = project.content / "tiny"
    os.symlink("/etc/hostname", project.styles / "evil.png")
    os.symlink("/etc/passwd", folder / "link.png")
    os.symlink("/dev/zero", folder / "zero.png")
    (folder / "huge.png").write_bytes(png_chunks(30000, 30000))
    (folder / "bomb.svg").write_bytes(svg_use_bomb())
    inject(project, payload.replace("{url}", server).replace("{{", "{").replace("}}", "}"))
    _Counter.hits = 0

    started = time.monotonic()
    result = build(project, ["tiny"], limits=LIMITS)
    elapsed = time.monotonic() - started
    caplog.clear()

    assert _Counter.hits == 0, "a request reached the server"
    messages = " | ".join(e.format_message() for _, e in result.failed)
    if name in REFUSED_BEFORE_RENDERING:  # refused with the brief, before any output rendered
        assert [label for label, _ in result.failed] == ["tiny"], messages
    if words:
        assert not result.built and words in messages, messages
        if inject is in_template:  # located in the template that asked for it
            assert "templates/base.html.j2:" in messages, messages
    else:  # the content is escaped or flattened, and the brief still builds
        assert result.ok, messages
    for pdf in project.out.rglob("*.pdf"):
        assert embedded_files(pdf.read_bytes()) == []
        assert b"root:" not in pdf.read_bytes()
    assert elapsed < LIMITS.seconds + 30


def test_the_attack_suite_is_large_enough():
    assert len(ATTACKS) >= 20


@pytest.mark.slow
def test_memory_limit_ends_renders_with_a_clear_error(project):
    """48 MB on top of a warm worker is too little for any page: every output fails, cleanly."""
    # a time limit well past a render's (a timeout message names no memory): only memory stops it
    result = build(project, ["expert-advice"], limits=RenderLimits(30, 48), jobs=1)
    messages = [e.format_message() for _, e in result.failed]
    assert not result.bugs, [bug.report() for bug in result.bugs]
    assert len(messages) == 6  # the sample's six PDFs
    assert not [o for o in result.built if o.id.kind == "pdf"]
    wrong = [m for m in messages if "48 MB memory limit" not in m or "Traceback" in m]
    assert not wrong, "\n".join(wrong)  # each in full (a list's repr is cut short)


@pytest.mark.slow
def test_a_slow_output_does_not_stop_the_others(project):
    write(project, TINY_FULL.replace('nl: "Tekst.[@src]"', 'nl: "![bom](bomb.svg)[@src]"'))
    (project.content / "tiny" / "bomb.svg").write_bytes(svg_use_bomb())
    result = build(project, ["tiny", "expert-advice"], limits=RenderLimits(8, 1024), jobs=2)
    assert [label for label, _ in result.failed] == [OutputId("tiny", "full", "nl")]
    assert len([o for o in result.built if o.id.kind == "pdf"]) == 6  # the sample's six PDFs
