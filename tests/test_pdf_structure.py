"""The PDF's structure and print imposition: one link annotation per link and page, table headers
with a scope, no link a PDF may not carry, booklets padded to whole sheets and imposed for the
office printer. Each case asserts on the real PDFs (annotations and structure via pikepdf, text
per page) or on the exact located message."""

from __future__ import annotations

import re
import subprocess
import textwrap
from collections import Counter
from pathlib import Path

import pikepdf
import pytest

from generator.build import build
from generator.project import OutputId, Project

from .support import copy_project, pages_text, squash, write

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
            assert text in (squash(uri(annot)), squash(uri(annot).removeprefix("https://")))
            x0, y0, x1, y1 = (float(v) for v in annot.Rect)
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
    assert (last, "https://example.org/expert-advice") in per_page
    assert (last, "mailto:policy@example.org") in per_page


# ---------------------------------------------------------------------------------------------
# 2. Table headers with a scope; links in a table cell, across a page, to an e-mail address

LONG_LINK_WORDS = " ".join(f"Wort{i}" for i in range(700))

STRUCTURE_BRIEF = textwrap.dedent(f"""\
    title: "Stellungnahme"
    organisation: "NGO"
    date: "2024-05-01"
    languages: [en]
    audiences: [mep]
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
    return project.output_path(OutputId("stellungnahme", "mep", "en"))


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
