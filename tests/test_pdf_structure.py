"""The PDF's structure and print imposition: one link annotation per link and page, table headers
with a scope, no link a PDF may not carry, booklets padded to whole sheets and imposed for the
office printer. Each case asserts on the real PDFs (annotations and structure via pikepdf, text
per page) or on the exact located message."""

from __future__ import annotations

import io
import re
import subprocess
import textwrap
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from generator.make.impose import booklet_order, impose_booklet
from generator.make.structure import repair
from generator.project import OutputId, Project
from generator.run.build import build

from .support import SAMPLE, TINY, copy_project, edit, pages_text, run_cli, squash, write

MM = 72 / 25.4
SAMPLE_OUTPUTS = [("full", "nl"), ("mep", "en"), ("handout", "nl")]


# ---------------------------------------------------------------------------------------------
# Reading structure


def kids(element) -> list:
    found = element.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, pikepdf.Array) else [found]


def elements(doc: pikepdf.Pdf):
    """Every structure element, depth first."""
    stack = [doc.Root.StructTreeRoot]
    while stack:
        element = stack.pop()
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            yield element
        if isinstance(element, pikepdf.Dictionary) and element.get("/Type") != "/OBJR":
            stack.extend(reversed(kids(element)))


def objrs_under(element) -> list:
    """Every OBJR anywhere under an element."""
    found = []
    for kid in kids(element):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
            found.append(kid)
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found.extend(objrs_under(kid))
    return found


def link_annots(doc: pikepdf.Pdf) -> list[tuple[int, pikepdf.Dictionary]]:
    """(page index, annotation) of every link annotation."""
    return [(i, a) for i, page in enumerate(doc.pages) for a in page.get("/Annots", [])
            if a.get("/Subtype") == "/Link"]


def uri(annot) -> str:
    return str(annot.A.URI) if "/A" in annot and "/URI" in annot.A else ""


def parent_tree(doc: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    return dict(pikepdf.NumberTree(doc.Root.StructTreeRoot.ParentTree).items())


def words_in(pdf: Path, page_index: int, boxes: list[tuple[float, ...]]) -> str:
    """The words pdftotext finds whose centre lies in one of the boxes (PDF coordinates)."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page_index + 1), "-l",
                           str(page_index + 1), str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    with pikepdf.open(pdf) as doc:  # pdftotext measures from the top left of the CropBox
        left, _, _, top = (float(v) for v in doc.pages[page_index].cropbox)
    found = []
    for x0, y0, x1, y1, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                                           r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                                           html):
        cx, cy = left + (float(x0) + float(x1)) / 2, top - (float(y0) + float(y1)) / 2
        if any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes):
            found.append(word)
    return squash("".join(found).replace("&amp;", "&"))


def quads(annot) -> list[tuple[float, float, float, float]]:
    q = [float(v) for v in annot.get("/QuadPoints", [])]
    if not q:
        x0, y0, x1, y1 = (float(v) for v in annot.Rect)
        return [(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))]
    return [(min(q[i:i + 8:2]), min(q[i + 1:i + 8:2]), max(q[i:i + 8:2]), max(q[i + 1:i + 8:2]))
            for i in range(0, len(q), 8)]


# ---------------------------------------------------------------------------------------------
# 1. One link, one annotation per page


@pytest.mark.slow
@pytest.mark.parametrize("audience,language", [("full", "nl"), ("mep", "en")])
def test_one_annotation_per_link_element_and_page(outputs, audience, language):
    pdf, html = outputs[(audience, language)]
    with pikepdf.open(pdf) as doc:
        annots = link_annots(doc)
        page_of = {a.objgen: i for i, a in annots}
        pairs = set()
        referenced = Counter()
        for element in elements(doc):
            if element.get("/S") != "/Link":
                continue
            own = [k for k in kids(element)
                   if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]
            nested = [o for o in objrs_under(element) if not any(o.objgen == k.objgen
                                                                 for k in own)]
            assert not nested, "an OBJR left inside an element under a Link"
            pages = [page_of[o.Obj.objgen] for o in own]
            assert len(pages) == len(set(pages)), "two annotations of one link on one page"
            pairs.update((element.objgen, p) for p in pages)
            referenced.update(o.Obj.objgen for o in own)
        all_objrs = Counter(o.Obj.objgen for e in elements(doc) for o in kids(e)
                            if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/OBJR")
        tree = parent_tree(doc)
        assert len(annots) == len(pairs)
        for _, annot in annots:
            assert uri(annot).startswith(("https://", "mailto:"))
            assert all_objrs[annot.objgen] == 1
            assert referenced[annot.objgen] == 1
            assert tree[int(annot.StructParent)].get("/S") == "/Link"
        live = {int(a.StructParent) for _, a in annots}
        for key, value in tree.items():  # no key left for an annotation that is gone
            assert isinstance(value, pikepdf.Array) or key in live, key
    # one annotation per link in the HTML (none of the sample's links crosses a page)
    assert len(annots) == len(re.findall(r'<a [^>]*href="(?:https?|mailto):', html))


@pytest.mark.slow
@pytest.mark.parametrize("audience,language", SAMPLE_OUTPUTS)
def test_qpdf_check_passes(outputs, audience, language):
    pdf, _ = outputs[(audience, language)]
    run = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No syntax or stream encoding errors found" in run.stdout


@pytest.mark.slow
@pytest.mark.parametrize("audience,language", [("full", "nl"), ("handout", "nl")])
def test_link_areas_cover_the_printed_urls(outputs, audience, language):
    """On paper the URL is printed: the words inside each link's quadrilaterals are its URL,
    and every quadrilateral lies inside the link's Rect."""
    pdf, _ = outputs[(audience, language)]
    with pikepdf.open(pdf) as doc:
        annots = link_annots(doc)
        assert annots
        for index, annot in annots:
            if not uri(annot).startswith("http"):
                continue
            text = words_in(pdf, index, quads(annot))  # no sample link crosses a page
            # (the brief's own address prints without its final slash: …/expert-advice/nl)
            target = uri(annot)
            assert text in (squash(target), squash(target.removeprefix("https://")),
                            squash(target.removeprefix("https://").rstrip("/")))
            # a Rect is any two opposite corners (the contact block's links: top left, bottom
            # right)
            a, b, c, d = (float(v) for v in annot.Rect)
            x0, y0, x1, y1 = min(a, c), min(b, d), max(a, c), max(b, d)
            for q in quads(annot):  # every piece inside the Rect
                assert x0 - 0.01 <= q[0] and q[2] <= x1 + 0.01
                assert y0 - 0.01 <= q[1] and q[3] <= y1 + 0.01


@pytest.mark.slow
def test_untagged_handout_has_one_annotation_per_url_and_page(outputs):
    pdf, _ = outputs[("handout", "nl")]
    with pikepdf.open(pdf) as doc:
        assert "/StructTreeRoot" not in doc.Root
        per_page = Counter((i, uri(a)) for i, a in link_annots(doc))
    assert set(per_page.values()) == {1}, per_page
    # the URL under the QR code on the back cover, and the contact's e-mail address
    last = len(pages_text(pdf)) - 1
    assert (last, "https://example.org/expert-advice/nl/") in per_page  # its web page
    assert (last, "mailto:policy@example.org") in per_page


def test_untagged_pieces_merge_per_run_and_drop_zero_width():
    """Untagged: a run of pieces of one link becomes one annotation (pieces without width
    dropped from its area); a different link in between starts a new run."""
    doc = pikepdf.new()
    page = doc.add_blank_page()

    def link(target: str, rect: list[float]):
        return doc.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=pikepdf.Array(rect),
            A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(target))))

    page.Annots = pikepdf.Array([
        link("https://a.example/", [10, 700, 200, 712]),
        link("https://a.example/", [200, 700, 200, 712]),  # no width: dropped
        link("https://a.example/", [10, 712, 80, 688]),  # next line; y given top first
        link("mailto:b@example.org", [90, 688, 150, 676]),
        link("https://a.example/", [10, 600, 50, 612])])
    repair(doc)
    annots = list(page.Annots)
    assert [uri(a) for a in annots] == ["https://a.example/", "mailto:b@example.org",
                                        "https://a.example/"]
    assert [float(v) for v in annots[0].Rect] == [10, 688, 200, 712]
    assert [float(v) for v in annots[0].QuadPoints] == [10, 712, 200, 712, 10, 700, 200, 700,
                                                         10, 712, 80, 712, 10, 688, 80, 688]
    assert "/QuadPoints" not in annots[1]


# ---------------------------------------------------------------------------------------------
# 2. Table headers with a scope; links in a table cell, across a page, to an e-mail address

LONG_LINK_WORDS = " ".join(f"Wort{i}" for i in range(700))

STRUCTURE_BRIEF = textwrap.dedent(f"""\
    title: "Stellungnahme"
    organisation: "NGO"
    date: "2024-05-01"
    languages: [en]
    audiences:
      full: {{languages: [en]}}  # one column: the long link crosses a page, not columns (mep)
    sections:
      - id: table
        body: |
          | Land | Fälle | Quelle |
          |------|------:|--------|
          | DE | 12 | [Bericht](https://example.org/bericht) |
          | PL | 7 | [raport](https://example.org/raport) |

          Schreiben Sie [an uns](mailto:info@example.org).
      - id: long
        body: |
          [{LONG_LINK_WORDS}](https://example.org/lang)
    """)


@pytest.fixture(scope="module")
def structure_pdf(tmp_path_factory) -> Path:
    """The PDF/UA output of a brief with a table, a mailto link and a link over two pages."""
    project = Project.at(copy_project(tmp_path_factory.mktemp("structure")))
    write(project, STRUCTURE_BRIEF, "stellungnahme")
    result = build(project, ["stellungnahme"])
    assert result.ok, [e.format_message() for _, e in result.failed]
    return project.output_path(OutputId("stellungnahme", "full", "en"))


@pytest.mark.slow
def test_table_header_cells_have_a_column_scope(structure_pdf):
    with pikepdf.open(structure_pdf) as doc:
        headers = [e for e in elements(doc) if e.get("/S") == "/TH"]
        assert len(headers) == 3
        for cell in headers:
            attributes = cell.A if isinstance(cell.A, pikepdf.Array) else [cell.A]
            table = [a for a in attributes if a.get("/O") == "/Table"]
            assert len(table) == 1 and table[0].get("/Scope") == "/Column"
        data = [e for e in elements(doc) if e.get("/S") == "/TD"]
        assert len(data) == 6


@pytest.mark.slow
def test_links_in_a_cell_to_an_address_and_across_a_page(structure_pdf):
    with pikepdf.open(structure_pdf) as doc:
        page_index = {page.obj.objgen: i for i, page in enumerate(doc.pages)}
        by_uri: dict[str, list[int]] = {}
        for index, annot in link_annots(doc):
            by_uri.setdefault(uri(annot), []).append(index)
        links: dict[str, list[list[int]]] = {}  # URI → per Link element the pages of its OBJRs
        for element in elements(doc):
            if element.get("/S") == "/Link":
                own = [k for k in kids(element)
                       if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]
                links.setdefault(uri(own[0].Obj), []).append(
                    [page_index[o.Pg.objgen] for o in own])
    assert by_uri["https://example.org/bericht"] == [0]  # in a table cell: one annotation
    assert by_uri["https://example.org/raport"] == [0]
    assert by_uri["mailto:info@example.org"] == [0]
    # a link over pages: one annotation on each page it is on (WeasyPrint writes the paragraph
    # on each page as an element of its own, so each page's part has a Link of its own)
    long = by_uri["https://example.org/lang"]
    assert len(long) >= 2 and long == sorted(set(long))
    assert links["https://example.org/lang"] == [[page] for page in long]


def test_header_cell_starting_a_body_row_has_a_row_scope():
    """A TH that starts a body row of data cells heads its row (a template may write one)."""
    doc = pikepdf.new()

    def element(kind: str, *children, **attributes):
        made = doc.make_indirect(pikepdf.Dictionary(S=pikepdf.Name(f"/{kind}"), **attributes))
        made.K = pikepdf.Array(children)
        for child in children:
            child.P = made
        return made

    cells = [element("TH", A=pikepdf.Dictionary(O=pikepdf.Name.Table)), element("TD"),
             element("TH")]
    head_cell = element("TH")
    table = element("Table", element("THead", element("TR", head_cell)),
                    element("TBody", element("TR", *cells)))
    doc.Root.StructTreeRoot = doc.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([table])))
    repair(doc)
    assert cells[0].A.O == "/Table" and cells[0].A.Scope == "/Row"
    assert cells[2].A.Scope == "/Column"  # a header cell further along: its column
    assert head_cell.A.O == "/Table" and head_cell.A.Scope == "/Column"


# ---------------------------------------------------------------------------------------------
# 3–5. Links a PDF may not carry; booklets padded and imposed: the corpus of silent prints

HEFT = "heft"  # a brief whose handout comes out at 3 pages
HEFT_BRIEF = textwrap.dedent("""\
    title: "Stellungnahme zur Chatkontrolle"
    organisation: "NGO"
    date: "2024-05-01"
    languages: [nl]
    url: "https://example.org/heft"
    audiences: [handout]
    sections:
      - id: text
        title: "Kurz"
        body: |
    """) + textwrap.indent("\n\n".join(
    f"Absatz {i}: Die Kommission schlägt vor, Anbieter zu verpflichten, Inhalte zu prüfen. " * 3
    for i in range(14)), "      ") + "\n"


TINY_ID = "tiny"
TINY_FULL = TINY.replace("audiences: [full, mep]", "audiences: [full]")
BRIEFS = {TINY_ID: TINY_FULL, HEFT: HEFT_BRIEF, SAMPLE: "",
          "heft-budget": HEFT_BRIEF.replace("audiences: [handout]",
                                            "audiences:\n  handout: {max_pages: 3}"),
          "tiny-booklet": TINY_FULL.replace(
              "audiences: [full]", "audiences:\n  full: {print: {imposition: booklet}}", 1)}


def place(project: Project, path: str, needle: str) -> str:
    """`path:line:col` of the first `needle` in a project file (as messages show it)."""
    for number, line in enumerate((project.root / path).read_text().splitlines(), 1):
        if needle in line:
            return f"{path}:{number}:{line.index(needle) + 1}"
    raise AssertionError(needle)


def link_in(template: str, href: str) -> tuple[str, str, str]:
    """An edit putting a link to `href` into a template, before its body block."""
    anchor = {"base.html.j2": "{% block body %}{% endblock %}",
              "handout.html.j2": "<main>"}[template]
    return (f"templates/{template}", anchor,
            f'<p><a href="{href}">Stellungnahme</a></p>\n{anchor}')


def budget_line(project: Project) -> str:
    return place(project, "content/audiences.yaml", "max_pages: 8")


@dataclass(frozen=True)
class Case:
    id: str
    edits: tuple[tuple[str, str, str], ...] = ()  # (file in the project, old text, new text)
    brief: str = TINY_ID  # the brief built (written from BRIEFS, but for the sample)
    message: Callable[[Project], str] | None = None  # the exact located message
    pdf: Callable[[Project], None] | None = None  # or: a check on what was written


FILE_LINK = "the file 'stellungnahme.pdf' on this computer, which nobody reading the PDF can " \
            "open; link to its web address (https://…) instead"


def refused(target: str) -> str:
    return (f"{target!r}; a PDF may only link to http(s):// and mailto: addresses and to places "
            "in the document — link to a web address instead")


def check_heft_padded(project: Project) -> None:
    pdf = project.output_path(OutputId(HEFT, "handout", "nl"))
    pages = pages_text(pdf)
    assert len(pages) == 4
    # the counters count the blank page; the cover carries no folio
    assert "1 / 4" not in pages[0] and "2 / 4" in pages[1]
    assert pages[2].strip() == ""  # blank: no running header, no page number
    assert "Lees de volledige notitie online" in pages[3]  # the back cover stays last
    with pikepdf.open(pdf) as doc:
        blank = doc.pages[2]
        assert [float(v) for v in blank.TrimBox] == [float(v) for v in doc.pages[1].TrimBox]
        assert [float(v) for v in blank.BleedBox] == [float(v) for v in doc.pages[1].BleedBox]
        contents = blank.Contents if isinstance(blank.Contents, pikepdf.Array) \
            else [blank.Contents]
        assert b"1 1 1 1 K" in b"".join(c.read_bytes() for c in contents)  # crop marks


def check_tiny_padded_at_the_end(project: Project) -> None:
    """The brief template has no back cover: its one page is followed by three blank ones."""
    output = OutputId("tiny-booklet", "full", "nl")
    pages = pages_text(project.output_path(output))
    assert len(pages) == 4
    assert "Tekst" in pages[0] and [p.strip() for p in pages[1:]] == ["", "", ""]
    assert len(pages_text(project.booklet_path(output))) == 2


CASES = [
    Case("template-links-a-relative-file",
         (link_in("base.html.j2", "stellungnahme.pdf"),),
         message=lambda p: f"{place(p, 'templates/base.html.j2', 'stellungnahme.pdf')}: "
                           "out/tiny/tiny.full.nl.pdf: a link on page 1 leads to "
                           + FILE_LINK),
    Case("handout-template-links-a-file-in-a-folder",  # PDF/X, untagged: the same check
         (link_in("handout.html.j2", "anhang/stellungnahme.pdf"),), brief=HEFT,
         message=lambda p: f"{place(p, 'templates/handout.html.j2', 'stellungnahme.pdf')}: "
                           "out/heft/heft.handout.nl.pdf: a link on page 1 leads to "
                           + FILE_LINK),
    Case("template-links-a-file-url",
         (link_in("base.html.j2", "file:///srv/share/stellungnahme.pdf"),),
         message=lambda p: f"{place(p, 'templates/base.html.j2', 'stellungnahme.pdf')}: "
                           "out/tiny/tiny.full.nl.pdf: a link on page 1 leads to "
                           + FILE_LINK),
    Case("template-links-ftp",
         (link_in("base.html.j2", "ftp://example.org/stellungnahme.pdf"),),
         message=lambda p: f"{place(p, 'templates/base.html.j2', 'ftp://')}: "
                           "out/tiny/tiny.full.nl.pdf: a link on page 1 leads to "
                           + refused("ftp://example.org/stellungnahme.pdf")),
    Case("template-links-javascript",
         (link_in("base.html.j2", "javascript:print()"),),
         message=lambda p: f"{place(p, 'templates/base.html.j2', 'javascript:')}: "
                           "out/tiny/tiny.full.nl.pdf: a link on page 1 leads to "
                           + refused("javascript:print()")),
    Case("template-links-a-phone-number",
         (link_in("base.html.j2", "tel:+48221234567"),),
         message=lambda p: f"{place(p, 'templates/base.html.j2', 'tel:')}: "
                           "out/tiny/tiny.full.nl.pdf: a link on page 1 leads to "
                           + refused("tel:+48221234567")),
    Case("imposition-misspelt",
         (("content/audiences.yaml", 'imposition: "booklet"', 'imposition: "bookelt"'),),
         brief=SAMPLE,
         message=lambda p: place(p, "content/audiences.yaml", '"bookelt"') + ": audience "
                           "'handout'.print.imposition 'bookelt' is not a way brief can impose "
                           "pages (did you mean 'booklet'?); use none or booklet"),
    Case("imposition-as-a-list",
         (("content/audiences.yaml", 'imposition: "booklet"', 'imposition: ["booklet"]'),),
         brief=SAMPLE,
         message=lambda p: place(p, "content/audiences.yaml", '["booklet"]') + ": audience "
                           "'handout'.print.imposition must be a single value, not a list"),
    Case("booklet-padded-over-the-budget", brief="heft-budget",
         message=lambda p: place(p, "content/heft-budget/brief.yaml", "max_pages: 3") + ": "
                           "out/heft-budget/heft-budget.handout.nl.pdf has 3 pages; padded with 1 "
                           "blank page to 4 for a booklet, it is over the budget of 3 for "
                           "audience 'handout'; raise max_pages to 4"),
    Case("handout-of-three-pages-padded-to-four", brief=HEFT, pdf=check_heft_padded),
    Case("booklet-without-back-cover-padded-at-the-end", brief="tiny-booklet",
         pdf=check_tiny_padded_at_the_end),
]


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 7
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_silent_print(case: Case, project: Project):
    for path, old, new in case.edits:
        edit(project.root / path, old, new)
    if BRIEFS[case.brief]:
        write(project, BRIEFS[case.brief].replace("BRIEF_ID", case.brief), case.brief)
    result = run_cli(project, "build", case.brief)
    if case.message is not None:
        assert result.exit_code == 1, result.output
        assert case.message(project) in result.output.splitlines(), result.output
    if case.pdf is not None:
        assert result.exit_code == 0, result.output
        case.pdf(project)


# ---------------------------------------------------------------------------------------------
# 5. The booklet for the office printer


def test_booklet_order_and_path():
    assert booklet_order(4) == [(4, 1), (2, 3)]
    assert booklet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    with pytest.raises(ValueError):
        booklet_order(6)
    output = OutputId("b", "handout", "nl")
    assert output.booklet_path(Path("out")) == Path("out/b/b.handout.nl.booklet.pdf")
    personal = OutputId("b", "handout", "nl", "anna")
    assert personal.booklet_path(Path("out")) == Path("out/b/personal/handout/anna.booklet.pdf")


def test_booklet_bytes_are_stable():
    """Equal pages give an equal booklet: no randomly named form XObjects (pikepdf's
    add_overlay names them afresh each run)."""
    with pikepdf.new() as doc:
        for n in range(4):
            page = doc.add_blank_page(page_size=(420, 595))
            page.obj.Contents = doc.make_stream(f"0 0 {n + 1}0 10 re f".encode())
        doc.save(buffer := io.BytesIO(), deterministic_id=True)
    first = impose_booklet(buffer.getvalue(), (297.0, 210.0))
    assert first == impose_booklet(buffer.getvalue(), (297.0, 210.0))
    with pikepdf.open(io.BytesIO(first)) as booklet:
        assert len(booklet.pages) == 2
        names = [sorted(str(k) for k in side.Resources.XObject) for side in booklet.pages]
    assert names == [["/P1", "/P4"], ["/P2", "/P3"]]


def test_booklet_carries_the_outputs_metadata_and_language():
    with pikepdf.new() as doc:
        for _ in range(4):
            doc.add_blank_page(page_size=(420, 595))
        doc.docinfo["/Title"] = "Szyfrowanie chroni wszystkich"
        doc.docinfo["/Author"] = "Fundacja"
        doc.docinfo["/Subject"] = "Stanowisko"
        doc.docinfo["/Creator"] = "brief 1.0"
        doc.docinfo["/Producer"] = "WeasyPrint"
        doc.Root.Lang = pikepdf.String("pl")
        doc.save(buffer := io.BytesIO())
    with pikepdf.open(io.BytesIO(impose_booklet(buffer.getvalue(), (297.0, 210.0)))) as booklet:
        assert {key: str(value) for key, value in booklet.docinfo.items()} == {
            "/Title": "Szyfrowanie chroni wszystkich", "/Author": "Fundacja",
            "/Subject": "Stanowisko", "/Creator": "brief 1.0", "/Producer": "WeasyPrint"}
        assert str(booklet.Root.Lang) == "pl"


def half_text(pdf: Path, page: int, right: bool) -> str:
    """The text pdftotext reads on the left or right half of a page (1-based) of a PDF."""
    with pikepdf.open(pdf) as doc:
        x0, y0, x1, y1 = (float(v) for v in doc.pages[page - 1].MediaBox)
    half = round((x1 - x0) / 2)
    return subprocess.run(["pdftotext", "-r", "72", "-f", str(page), "-l", str(page),
                           "-x", str(half if right else 0), "-y", "0", "-W", str(half),
                           "-H", str(round(y1 - y0)), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def sides_read_as(booklet: Path, source: Path) -> list[tuple[int, int]]:
    """Which source pages (1-based) each side of a booklet shows, left and right, by text."""
    pages = [squash(subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(source), "-"],
                                   capture_output=True, text=True, check=True).stdout)
             for n in range(1, len(pages_text(source)) + 1)]
    found = []
    for side in range(1, len(pages_text(booklet)) + 1):
        halves = [squash(half_text(booklet, side, right)) for right in (False, True)]
        matches = [[n for n, text in enumerate(pages, 1) if text == half] for half in halves]
        assert all(len(m) == 1 for m in matches), (halves, matches)
        found.append((matches[0][0], matches[1][0]))
    return found


@pytest.mark.slow
def test_sample_handout_booklet(outputs, sample_project, sample_build):
    pdf, _ = outputs[("handout", "nl")]
    booklet = sample_project.booklet_path(OutputId(SAMPLE, "handout", "nl"))
    pages = pages_text(pdf)
    assert len(pages) == 4  # already whole sheets: no blank page
    assert all(page.strip() for page in pages)
    built = next(o for o in sample_build.built if o.id.audience == "handout")
    assert built.blank_pages == 0 and built.booklet == booklet
    with pikepdf.open(booklet) as doc:
        assert len(doc.pages) == 2
        for side in doc.pages:
            x0, y0, x1, y1 = (float(v) / MM for v in side.MediaBox)
            assert (round(x1 - x0), round(y1 - y0)) == (297, 210)
    assert sides_read_as(booklet, pdf) == [(4, 1), (2, 3)]
    with pikepdf.open(pdf) as main, pikepdf.open(booklet) as doc:
        assert str(doc.docinfo["/Title"]) == str(main.docinfo["/Title"])  # no English word
        for key in ("/Author", "/Creator", "/Producer"):
            assert str(doc.docinfo[key]) == str(main.docinfo[key]), key
        assert str(doc.Root.Lang) == str(main.Root.Lang) == "nl"
    run = subprocess.run(["qpdf", "--check", str(booklet)], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stdout
    for audience in ("full", "mep"):  # no booklet for the others
        assert not sample_project.booklet_path(OutputId(SAMPLE, audience, "en" if audience ==
                                                        "mep" else "nl")).exists()


@pytest.mark.slow
def test_padded_booklet_build_line_sheets_and_manifest(project):
    write(project, HEFT_BRIEF, HEFT)
    output = OutputId(HEFT, "handout", "nl")
    result = run_cli(project, "build", HEFT)
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    assert "padded with 1 blank page to 4" in lines
    assert (f"and out/{HEFT}/{HEFT}.handout.nl.booklet.pdf: 2 sides for the office printer "
            "(print both sides, flip on the short edge, fold)") in lines
    pages = pages_text(project.output_path(output))
    booklet = project.booklet_path(output)
    # side 1: the back cover left of the cover; side 2: page 2 left of the blank page 3
    assert pages[2].strip() == ""
    assert sides_read_as(booklet, project.output_path(output)) == [(4, 1), (2, 3)]
    assert run_cli(project, "build", HEFT).output.startswith("up to date")
    booklet.unlink()  # the booklet gone: the output is built again, booklet and all
    again = run_cli(project, "build", HEFT)
    assert again.exit_code == 0 and "built" in again.output and booklet.is_file(), again.output
    # imposition turned off: the booklet from before goes, it no longer matches the output
    write(project, HEFT_BRIEF.replace("audiences: [handout]",
                                      "audiences:\n  handout: {print: {imposition: none}}"), HEFT)
    off = run_cli(project, "build", HEFT)
    assert off.exit_code == 0, off.output
    assert not booklet.exists() and len(pages_text(project.output_path(output))) == 3


@pytest.mark.slow
def test_a_refused_link_leaves_the_earlier_pdf_as_it_was(project):
    write(project, TINY_FULL, TINY_ID)
    assert run_cli(project, "build", TINY_ID).exit_code == 0
    pdf = project.output_path(OutputId(TINY_ID, "full", "nl"))
    before = pdf.read_bytes()
    path, old, new = link_in("base.html.j2", "stellungnahme.pdf")
    edit(project.root / path, old, new)
    result = run_cli(project, "build", TINY_ID)
    assert result.exit_code == 1 and "stellungnahme.pdf" in result.output
    assert pdf.read_bytes() == before
    assert sorted(p.name for p in pdf.parent.iterdir()) == [pdf.name]  # no temp file left
