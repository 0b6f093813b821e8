"""A corpus of malformed inputs: each names its exact file:line, says what to do, exits 1, and
leaves every earlier PDF byte-identical (and no temp file) behind.

Most mistakes stop a build before anything is rendered (`brief check` finds them): those cases
run against earlier outputs that stand in for PDFs, and are in the fast loop (were anything
rendered, a stand-in would change and the case fail). The few in which some output is still
rendered (CSS, glyphs, page budget, one audience's template) need the sample really built first,
and are slow.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.project import Project
from generator.run.build import build
from generator.run.cli import main
from generator.run.pipeline import load_brief, outputs

from .support import SAMPLE, copy_project, png_chunks

BRIEF = "content/expert-advice/brief.yaml"
AUDIENCES = "content/audiences.yaml"
FULL_T = "templates/brief.html.j2"
MACROS = "templates/_macros.html.j2"
HANDOUT_CSS = "styles/handout.css"
INTRO_END = "misbuik van kinderen en jongeren.\n"


CORRUPT_PNG = png_chunks(100, 100)[:33] + b"garbage, not image data"  # signature, IHDR, noise
HUGE_PNG_HEADER = png_chunks(30000, 30000)  # a decompression bomb stops at its header


@dataclass
class Case:
    id: str
    file: str  # the file to edit, and where the error must point unless `where` says otherwise
    old: str
    new: str
    anchor: str  # the error's line is the line of this text in the edited file (+ delta)
    words: tuple[str, ...]
    delta: int = 0
    where: str = ""
    column: int | None = None  # the error's column, when it must have one
    args: tuple[str, ...] = ()
    files: dict[str, bytes] = field(default_factory=dict)
    encoding: str = "utf-8"


CASES = [
    # YAML syntax
    Case("tab-indent", BRIEF, '  email: "policy@example.org"', '\temail: "policy@example.org"',
         "\temail", ("tabs",)),
    Case("bad-indent", BRIEF, '  nl: "Een bloemlezing van adviezen van Nederlandse experts"',
         '  nl: "Een bloemlezing van adviezen van Nederlandse experts"\n   de: "Eine Auswahl"',
         '   de: "Eine', ("YAML",)),
    Case("missing-colon", BRIEF, 'organisation: "Bits of Freedom"',
         'organisation "Bits of Freedom"', "organisation", ("could not find expected ':'",)),
    Case("unclosed-bracket", BRIEF, 'languages: ["nl", "en", "de", "fr", "pl"]',
         'languages: ["nl", "en", "de", "fr", "pl"',
         "languages:", ("YAML syntax", "noticed at line 8")),
    Case("unclosed-quote", BRIEF, 'organisation: "Bits of Freedom"',
         'organisation: "Bits of Freedom', "date:", ("YAML syntax",)),
    Case("duplicate-key", BRIEF, 'date: "2023-01-01"', 'date: "2023-01-01"\ndate: "2023-01-02"',
         'date: "2023-01-02"', ("duplicate key 'date'", "first at line 6")),
    Case("anchor", BRIEF, 'url: "https://example.org/expert-advice"',
         'url: &u "https://example.org/expert-advice"', "url: &u", ("anchors",)),
    Case("alias", BRIEF, '  url: "https://example.org/contact"', "  url: *contact",
         "  url: *contact", ("aliases",)),
    Case("tag", BRIEF, 'date: "2023-01-01"', "date: !!timestamp 2023-01-01", "date: !!",
         ("tag",)),
    Case("not-utf8", BRIEF, 'organisation: "Bits of Freedom"', 'organisation: "Bits of Fréedom"',
         "Fréedom", ("UTF-8",), encoding="latin-1"),
    Case("empty-file", BRIEF, "", "", "", ("empty",)),
    Case("not-a-map", BRIEF, "", "- title\n- date\n", "- title", ("must be a map",)),
    # YAML surprises: nothing is silently retyped
    Case("invalid-date", BRIEF, 'date: "2023-01-01"', "date: 2023-02-30", "date:",
         ("not a valid date",), column=7),
    Case("date-format", BRIEF, 'date: "2023-01-01"', 'date: "01-01-2023"', "date:",
         ("not a date", "YYYY-MM-DD")),
    Case("yes-is-not-true", AUDIENCES, "qr: true", "qr: yes", "qr: yes", ("true or false",)),
    Case("float-budget", AUDIENCES, "max_pages: 4\n  print:", "max_pages: 4.0\n  print:",
         "max_pages: 4.0",
         ("whole number",)),
    Case("languages-string", BRIEF, 'languages: ["nl", "en", "de", "fr", "pl"]',
         "languages: nl en",
         "languages:", ("not a language code",)),
    # Schema
    Case("unknown-key", BRIEF, "subtitle:", "subtitel:", "subtitel:",
         ("unknown key 'subtitel'", "did you mean 'subtitle'")),
    Case("unknown-section-key", BRIEF, "    body:", "    bdy:", "    bdy:",
         ("unknown key 'bdy'", "did you mean 'body'")),
    Case("missing-required", BRIEF, 'organisation: "Bits of Freedom"\n', "", "title:",
         ("lacks the required key 'organisation'",)),
    Case("undefined-audience", BRIEF, "  handout:\n", "  handot:\n", "  handot:",
         ("'handot' is not defined", "did you mean 'handout'")),
    Case("duplicate-section-id", BRIEF, '  - id: "intro"', '  - id: "key-messages"',
         '  - id: "key-messages"\n    body', ("duplicate section id 'key-messages'",)),
    Case("wrong-type", BRIEF, 'organisation: "Bits of Freedom"',
         'organisation: ["Bits", "Freedom"]', "organisation:", ("must be a text",)),
    Case("unknown-audience-setting", AUDIENCES, "max_pages: 8", "max_page: 8", "max_page: 8",
         ("unknown key 'max_page'", "did you mean 'max_pages'")),
    Case("missing-template", AUDIENCES, 'template: "handout.html.j2"',
         'template: "handout.j2"', 'template: "handout.j2"', ("'handout.j2' not found",)),
    Case("missing-stylesheet", AUDIENCES, '["base.css", "handout.css", "print-cmyk.css"]',
         '["base.css", "handout2.css", "print-cmyk.css"]', "handout2.css",
         ("'handout2.css' not found",)),
    Case("bad-page-size", AUDIENCES, 'page: "A5"', 'page: "A7x"', 'page: "A7x"',
         ("not a page size",)),
    Case("bad-bleed", AUDIENCES, 'bleed: "3mm"', 'bleed: "3cm"', 'bleed: "3cm"',
         ("not a length",)),
    Case("unknown-mark", AUDIENCES, 'marks: ["crop"]', 'marks: ["crops"]', "marks:",
         ("unknown print mark 'crops'", "did you mean 'crop'")),
    Case("section-audience", BRIEF, 'audiences: ["full"]', 'audiences: ["fulll"]',
         'audiences: ["fulll"]', ("'fulll'", "not defined in content/audiences.yaml",
                                  "did you mean 'full'")),
    Case("source-needs-publisher", BRIEF,
         '    publisher: "Nationaal Rapporteur Mensenhandel en Seksueel Geweld tegen Kinderen"\n'
         '    url: "https://www.nationaalrapporteur.nl/over-ons/', '    url: "https://www'
         '.nationaalrapporteur.nl/over-ons/', '    title: "Wat doet de Nationaal',
         ("needs a `publisher:` or an `author:`",)),
    Case("source-url", BRIEF, 'url: "https://www.nationaalrapporteur.nl/over-ons',
         'url: "www.nationaalrapporteur.nl/over-ons', 'url: "www.nationaal',
         ("not an http(s) URL",)),
    Case("contact-email", BRIEF, 'email: "policy@example.org"', 'email: "policy-at-example"',
         "email:", ("not an e-mail address",)),
    Case("unknown-placeholder", BRIEF, '"url", "contact"]', '"url", "contacts"]',
         "placeholders:", ("did you mean 'contact'",)),
    Case("language-not-in-brief", BRIEF, '  nl: "Een bloemlezing van adviezen van Nederlandse '
         'experts"', '  nl: "Een bloemlezing van adviezen van Nederlandse experts"\n'
         '  it: "Una selezione di consigli di esperti olandesi"', "  it:",
         ("language 'it'", "not in the brief's languages")),
    # Content: Markdown and footnotes
    Case("unknown-citation", BRIEF, "[@nr-over-ons]", "[@nr-over-on]", "[@nr-over-on]",
         ("names no source", "did you mean [@nr-over-ons]"), column=560),
    Case("empty-footnote", BRIEF, INTRO_END, INTRO_END.rstrip("\n") + "^[]\n", "jongeren.^[]",
         ("empty footnote",)),
    Case("missing-image", BRIEF, INTRO_END, INTRO_END.rstrip("\n") + " ![Grafiek](grafiek.png)\n",
         "![Grafiek]", ("'grafiek.png' not found",)),
    Case("image-without-alt", BRIEF, INTRO_END, INTRO_END.rstrip("\n") + " ![](grafiek.png)\n",
         "![](grafiek", ("no alt text",), files={"content/expert-advice/grafiek.png": b""}),
    Case("javascript-link", BRIEF, INTRO_END,
         INTRO_END.rstrip("\n") + " [klik](javascript:alert(1))\n", "[klik]", ("not allowed",)),
    Case("raw-html", BRIEF, INTRO_END, INTRO_END.rstrip("\n") + " <script>x</script>\n",
         "<script>", ("raw HTML '<script>'",)),
    Case("heading-in-body", BRIEF, INTRO_END, INTRO_END + "\n        ## Kop\n", "## Kop",
         ("headings are not allowed",)),
    Case("nested-footnote", BRIEF, INTRO_END, INTRO_END.rstrip("\n") + "^[a ^[b]]\n",
         "^[a ^[b]]", ("footnote inside a footnote",)),
    Case("uncited-source-strict", BRIEF, "sources:\n", 'sources:\n  unused:\n    title: "X"\n'
         '    publisher: "Y"\n', "  unused:", ("never cited",), delta=1,
         args=("--strict",)),
    # Templates
    Case("template-syntax", FULL_T, "{{ m.contact_block(doc) }}", "{{ m.contact_block(doc) }",
         "{{ m.contact_block(doc) }", ("template syntax",)),
    Case("template-undefined", FULL_T, "{{ m.colophon(doc) }}",
         "{{ m.colophon(doc) }}{{ doc.auteur }}", "doc.auteur", ("undefined name", "auteur")),
    Case("macro-undefined", MACROS, "<h1>{{ doc.heading }}</h1>", "<h1>{{ doc.titel }}</h1>",
         "doc.titel", ("undefined name", "titel")),
    # Assets and render time
    Case("not-an-image", BRIEF, INTRO_END,
         INTRO_END.rstrip("\n") + " ![Grafiek](grafiek.png)\n", "![Grafiek]",
         ("not a PNG, JPEG, GIF, WebP or SVG",),
         files={"content/expert-advice/grafiek.png": b"text"}),
    Case("corrupt-image", BRIEF, INTRO_END,
         INTRO_END.rstrip("\n") + " ![Grafiek](grafiek.png)\n", "grafiek.png",
         ("grafiek.png", "not a PNG"), files={"content/expert-advice/grafiek.png": CORRUPT_PNG}),
    Case("huge-image", BRIEF, INTRO_END,
         INTRO_END.rstrip("\n") + " ![Grafiek](grafiek.png)\n", "![Grafiek]",
         ("30000 × 30000 pixels", "scale it down"),
         files={"content/expert-advice/grafiek.png": HUGE_PNG_HEADER}),
    # at the brief's `audiences:` entry for the handout (brief.yaml line 20, column 3), naming
    # where the budget is set (the anchor "" is line 1 of the edited file, audiences.yaml)
    Case("page-budget", AUDIENCES, "max_pages: 4\n  print:", "max_pages: 2\n  print:", "",
         delta=19, where=BRIEF, column=3,
         words=("handout.nl.pdf has 4 pages, 2 over the budget of 2",
                "in content/audiences.yaml:55", "`handout: {max_pages: 4}`")),
    Case("unknown-css-property", HANDOUT_CSS, "html { font-size: 9.25pt;",
         "html { colr: red; font-size: 9.25pt;", "colr", ("unknown property",)),
    # found by `brief check` (read/stylesheets.py), at the URL, as the build's fetcher would
    Case("css-import-outside", HANDOUT_CSS, "/* The A5", '@import url("file:///etc/hostname");\n'
         "/* The A5", "@import", ("'file:///etc/hostname' leads outside the project",),
         column=9),
    Case("glyph-missing", BRIEF, INTRO_END, INTRO_END.rstrip("\n") + " 漢\n", "漢",
         (".notdef", "U+6F22")),
]


#: Cases in which some output is still rendered: mistakes only rendering finds, and template
#: mistakes the other audiences' templates do not share. The earlier outputs must then be real
#: PDFs built from the sample (an output whose inputs did not change is not rebuilt over).
SOME_OUTPUT_RENDERS = {"template-syntax", "template-undefined", "unknown-css-property",
                       "page-budget", "glyph-missing"}


@pytest.fixture(scope="module")
def built_project(tmp_path_factory) -> Project:
    """The sample, built: its out/ holds its three real PDFs and the manifest."""
    project = Project.at(copy_project(tmp_path_factory.mktemp("good")))
    result = build(project, [SAMPLE])
    assert result.ok
    return project


@pytest.fixture(scope="module")
def checked_project(tmp_path_factory) -> Project:
    """The sample with its six outputs in out/ as stand-ins (no rendering): a build that a
    mistake stops before rendering must leave them byte-identical, as it would real PDFs."""
    project = Project.at(copy_project(tmp_path_factory.mktemp("checked")))
    brief = load_brief(project, SAMPLE)
    for output, _ in outputs(brief):
        path = project.output_path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.7\n% stand-in for " + output.filename.encode() + b"\n")
    return project


def _line_of(text: str, anchor: str) -> int:
    if not anchor:
        return 1
    at = text.index(anchor)
    return text.count("\n", 0, at) + 1


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", [
    pytest.param(c, id=c.id, marks=pytest.mark.slow if c.id in SOME_OUTPUT_RENDERS else ())
    for c in CASES])
def test_malformed_input(case: Case, request, tmp_path: Path, caplog):
    good_project: Project = request.getfixturevalue(
        "built_project" if case.id in SOME_OUTPUT_RENDERS else "checked_project")
    root = tmp_path / "p"
    shutil.copytree(good_project.root, root)
    outputs = sorted((root / "out" / SAMPLE).glob("*.pdf"))
    before = {p.name: p.read_bytes() for p in outputs}
    assert len([name for name in before if not name.endswith(".booklet.pdf")]) == 6

    path = root / case.file
    text = path.read_text(encoding="utf-8")
    if case.id in ("empty-file", "not-a-map"):
        edited = case.new
    else:
        assert case.old in text, case.old
        edited = text.replace(case.old, case.new, 1)
    path.write_bytes(edited.encode(case.encoding, errors="replace"))
    for name, data in case.files.items():
        (root / name).write_bytes(data)

    result = CliRunner().invoke(main, ["--project", str(root), "build", *case.args, SAMPLE])
    caplog.clear()  # WeasyPrint warnings are expected in render-time cases: they became errors
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output

    line = _line_of(edited, case.anchor) + case.delta
    where = f"{case.where or case.file}:{line}:"
    if case.column is not None:
        where += f"{case.column}:"
    hits = [text for text in result.output.splitlines() if text.startswith(where)]
    assert hits, (where, result.output)
    assert any(all(word in hit for word in case.words) for hit in hits), (case.words, hits)

    after = {p.name: p.read_bytes() for p in (root / "out" / SAMPLE).iterdir() if p.is_file()}
    assert after == before  # every earlier PDF byte-identical, and no temp file left
