"""Running headers and footers are pagination artifacts: every piece of marked content in a
tagged output is either reached from the structure tree or inside an /Artifact (PDF/UA-1,
ISO 14289-1 7.1). Checked on small PDFs made with pikepdf (as WeasyPrint writes them: the margin
boxes' content tagged by elements only the ParentTree holds) and on the sample's real outputs,
with a checker of its own that walks the tree."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf
import pytest

from generator.make.preflight import preflight
from generator.make.standards import STANDARDS
from generator.make.standards.base import Finding
from generator.make.structure import repair

from .support import squash

UA1 = STANDARDS["ua-1"]
UA_OUTPUTS = [("full", "nl"), ("mep", "en"), ("mep", "pl")]
WEASYPRINT_FLIP = b"1 0 0 -1 0 300 cm\n"  # WeasyPrint draws from the top of a page 300 high


# ---------------------------------------------------------------------------------------------
# The checker


def _kids(element) -> list:
    found = element.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, pikepdf.Array) else [found]


def reached(doc: pikepdf.Pdf) -> set[tuple[int, int]]:
    """(page index, MCID) of all marked content the structure tree reaches."""
    page_index = {page.obj.objgen: i for i, page in enumerate(doc.pages)}
    found = set()
    stack = [(doc.Root.StructTreeRoot, None)]
    while stack:
        element, page = stack.pop()
        page = element.get("/Pg", page)
        for kid in _kids(element):
            if isinstance(kid, int):
                found.add((page_index[page.objgen], kid))
            elif kid.get("/Type") == "/MCR":
                found.add((page_index[kid.get("/Pg", page).objgen], int(kid.MCID)))
            elif kid.get("/Type") != "/OBJR":
                stack.append((kid, page))
    return found


def sequences(page: pikepdf.Page) -> list[tuple[str, pikepdf.Object, bool]]:
    """(tag, properties, inside an Artifact) of every marked-content sequence on a page."""
    found = []
    open_tags: list[str] = []
    for operands, operator in pikepdf.parse_content_stream(page, "BDC BMC EMC"):
        if str(operator) == "EMC":
            open_tags.pop()
            continue
        properties = operands[1] if str(operator) == "BDC" else None
        found.append((str(operands[0]), properties, "/Artifact" in open_tags))
        open_tags.append(str(operands[0]))
    return found


def unclaimed(doc: pikepdf.Pdf) -> list[tuple[int, int]]:
    """(page, MCID) of marked content neither reached by the tree nor inside an artifact."""
    tree = reached(doc)
    return [(index, int(properties.MCID))
            for index, page in enumerate(doc.pages)
            for tag, properties, in_artifact in sequences(page)
            if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties
            and tag != "/Artifact" and not in_artifact
            and (index, int(properties.MCID)) not in tree]


def artifacts(page: pikepdf.Page) -> list[tuple[str | None, str | None]]:
    """(Type, Subtype) of each artifact on a page."""
    return [(str(p.get("/Type")) if isinstance(p, pikepdf.Dictionary) and "/Type" in p else None,
             str(p.get("/Subtype")) if isinstance(p, pikepdf.Dictionary) and "/Subtype" in p
             else None)
            for tag, p, _ in sequences(page) if tag == "/Artifact"]


def parent_tree(doc: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    return dict(pikepdf.NumberTree(doc.Root.StructTreeRoot.ParentTree).items())


def saved(doc: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def element_tags(pdf: bytes) -> list[str]:
    """The /S of every structure element written in the file (reachable or not)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [str(o.S) for o in doc.objects
                if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem"]


# ---------------------------------------------------------------------------------------------
# Small PDFs, as WeasyPrint tags them


def margin_box_pdf(content: bytes, *, reached_mcids: tuple[int, ...] = (0,),
                   all_mcids: int = 3, split: bool = False) -> pikepdf.Pdf:
    """A page 300 pt high: Document › P holding `reached_mcids`; the others (running header and
    footer) each in a Span under a NonStruct whose /P is the Document that does not hold it,
    listed only in the page's ParentTree array, as WeasyPrint 70 writes margin boxes."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 300))
    page = pdf.pages[0]
    if split:
        half = len(content) // 2
        cut = content.index(b"\n", half) + 1
        page.obj.Contents = pikepdf.Array([pdf.make_stream(content[:cut]),
                                           pdf.make_stream(content[cut:])])
    else:
        page.obj.Contents = pdf.make_stream(content)
    page.obj.StructParents = 0
    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    document = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem,
                                                    S=pikepdf.Name.Document, P=root))
    paragraph = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.StructElem, S=pikepdf.Name.P, P=document, Pg=page.obj,
        K=pikepdf.Array(list(reached_mcids))))
    document.K = pikepdf.Array([paragraph])
    root.K = pikepdf.Array([document])
    owners: list = []
    for mcid in range(all_mcids):
        if mcid in reached_mcids:
            owners.append(paragraph)
            continue
        orphan = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.NonStruct, P=document, Pg=page.obj))
        span = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.Span, P=orphan, Pg=page.obj,
            K=pikepdf.Array([mcid])))
        orphan.K = pikepdf.Array([span])
        owners.append(span)
    root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(
        Nums=pikepdf.Array([0, pikepdf.Array(owners)])))
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    return pdf


def text(mcid: int, y: float, words: str, tag: str = "/Span", extra: str = "") -> bytes:
    return (f"{tag} <</MCID {mcid}{extra}>> BDC\nBT\n1 0 0 -1 20 {y} Tm\n/F1 10 Tf\n"
            f"({words}) Tj\nET\nEMC\n").encode()


# Body at mid-page, the running title 20 pt from the top, the page number 20 pt from the bottom.
PAGE = WEASYPRINT_FLIP + text(0, 150, "Body", "/P") + text(1, 20, "Title") + text(2, 280, "1/1")


def test_running_header_and_footer_become_pagination_artifacts():
    pdf = margin_box_pdf(PAGE)
    assert unclaimed(pdf) == [(0, 1), (0, 2)]  # the checker can fail
    repair(pdf)
    assert unclaimed(pdf) == []
    page = pdf.pages[0]
    assert artifacts(page) == [("/Pagination", "/Header"), ("/Pagination", "/Footer")]
    assert [(tag, int(p.MCID)) for tag, p, _ in sequences(page) if tag != "/Artifact"] == [
        ("/P", 0)]
    body = page.obj.Contents.read_bytes()
    assert b"(Body) Tj" in body and b"(Title) Tj" in body and b"(1/1) Tj" in body
    # The ParentTree holds the paragraph only; the orphan elements are not written any more.
    assert [e.S for e in parent_tree(pdf)[0]] == ["/P"]
    assert sorted(element_tags(saved(pdf))) == ["/Document", "/P"]


def test_preflight_names_the_pages_with_unclaimed_content():
    pdf = margin_box_pdf(PAGE)
    findings: list[Finding] = []
    UA1.preflight(pdf, findings)
    assert [f for f in findings if f.code == "stray-marked-content"] == [Finding(
        "stray-marked-content", "2 marked-content sequence(s) neither in the structure tree "
        "nor an artifact", "PDF/UA-1", 1)]
    assert [f.text() for f in findings if "marked-content" in f.message] == [
        "page 1: 2 marked-content sequence(s) neither in the structure tree nor an artifact"]
    repair(pdf)
    findings.clear()
    UA1.preflight(pdf, findings)
    assert [f for f in findings if f.code == "stray-marked-content"] == []


def test_content_the_tree_reaches_is_never_touched():
    pdf = margin_box_pdf(PAGE, reached_mcids=(0, 1, 2))
    before = pdf.pages[0].obj.Contents.read_bytes()
    repair(pdf)
    assert pdf.pages[0].obj.Contents.read_bytes() == before
    assert artifacts(pdf.pages[0]) == []
    assert len(parent_tree(pdf)[0]) == 3


def test_a_stray_mcid_between_reached_ones_leaves_a_null():
    page = WEASYPRINT_FLIP + text(0, 150, "A", "/P") + text(1, 20, "Title") + text(
        2, 160, "B", "/P")
    pdf = margin_box_pdf(page, reached_mcids=(0, 2))
    repair(pdf)
    entry = parent_tree(pdf)[0]
    assert len(entry) == 3 and entry[1] is None and entry[0].S == entry[2].S == "/P"
    assert unclaimed(pdf) == []


def test_middle_of_the_page_is_pagination_without_subtype():
    page = WEASYPRINT_FLIP + text(0, 20, "Body", "/P") + text(1, 150, "Side note")
    pdf = margin_box_pdf(page, all_mcids=2)
    repair(pdf)
    assert artifacts(pdf.pages[0]) == [("/Pagination", None)]


def test_unusual_property_lists_and_split_contents_are_parsed():
    """A property list with more than the MCID (not rewritten in place) and content in two
    streams: the page is parsed and written again, as one stream."""
    page = (WEASYPRINT_FLIP + text(0, 150, "Body", "/P")
            + text(1, 20, "Title", extra=" /Lang (en)") + text(2, 280, "1/1"))
    pdf = margin_box_pdf(page, split=True)
    repair(pdf)
    assert unclaimed(pdf) == []
    assert artifacts(pdf.pages[0]) == [("/Pagination", "/Header"), ("/Pagination", "/Footer")]
    assert isinstance(pdf.pages[0].obj.Contents, pikepdf.Stream)
    assert b"(Title) Tj" in pdf.pages[0].obj.Contents.read_bytes()


def test_untagged_pdf_is_left_alone():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 300))
    content = WEASYPRINT_FLIP + b"BT\n1 0 0 -1 20 20 Tm\n/F1 10 Tf\n(Title) Tj\nET\n"
    pdf.pages[0].obj.Contents = pdf.make_stream(content)
    repair(pdf)
    assert pdf.pages[0].obj.Contents.read_bytes() == content


# ---------------------------------------------------------------------------------------------
# The sample's outputs


def artifact_text(pdf: Path, tmp_path: Path, keep_artifacts: bool) -> list[str]:
    """Each page's text drawn inside artifacts (or only that outside), by pdftotext on a copy
    whose other text-showing operators are removed."""
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            kept = []
            open_tags: list[str] = []
            for instruction in pikepdf.parse_content_stream(page):
                op = str(instruction.operator)
                if op in ("BDC", "BMC"):
                    open_tags.append(str(instruction.operands[0]))
                elif op == "EMC":
                    open_tags.pop()
                elif op in ("Tj", "TJ", "'", '"') and (
                        ("/Artifact" in open_tags) != keep_artifacts):
                    continue
                kept.append(instruction)
            page.obj.Contents = doc.make_stream(pikepdf.unparse_content_stream(kept))
        copy = tmp_path / f"{pdf.stem}.{'artifacts' if keep_artifacts else 'content'}.pdf"
        doc.save(copy)
    text_ = subprocess.run(["pdftotext", "-layout", str(copy), "-"], capture_output=True,
                           text=True, check=True).stdout
    return text_.split("\f")[:-1]


@pytest.mark.slow
@pytest.mark.parametrize(("audience", "language"), UA_OUTPUTS)
def test_sample_outputs_have_no_unclaimed_marked_content(outputs, audience, language,
                                                        tmp_path):
    pdf, _ = outputs[(audience, language)]
    with pikepdf.open(pdf) as doc:
        assert unclaimed(doc) == []
        pages = len(doc.pages)
        kinds = [artifacts(page) for page in doc.pages]
        # Every ParentTree entry is an element the tree reaches (no orphan kept alive).
        tree = reached(doc)
        for key, entry in parent_tree(doc).items():
            if isinstance(entry, pikepdf.Array):
                index = next(i for i, p in enumerate(doc.pages) if int(p.StructParents) == key)
                assert all(value is None or (index, mcid) in tree
                           for mcid, value in enumerate(entry)), key
    # Page 1 has its page number only (no running title on the title page); the others both.
    assert ("/Pagination", "/Footer") in kinds[0] and ("/Pagination", "/Header") not in kinds[0]
    assert all(("/Pagination", "/Header") in k and ("/Pagination", "/Footer") in k
               for k in kinds[1:])
    in_artifacts = [squash(t) for t in artifact_text(pdf, tmp_path, keep_artifacts=True)]
    in_content = [squash(t) for t in artifact_text(pdf, tmp_path, keep_artifacts=False)]
    assert len(in_artifacts) == pages
    for number, (artifact, content) in enumerate(zip(in_artifacts, in_content, strict=True), 1):
        assert artifact.endswith(f"{number}/{pages}"), (number, artifact)
        assert f"{number}/{pages}" not in content
        if number > 1:  # the running title is the document's, printed on page 1 as content
            title = artifact.removesuffix(f"{number}/{pages}")
            assert len(title) > 10 and title in in_content[0], (number, artifact)
            assert title not in content


@pytest.mark.slow
@pytest.mark.parametrize(("audience", "language"), UA_OUTPUTS)
def test_sample_outputs_pass_qpdf_and_preflight(outputs, audience, language):
    pdf, _ = outputs[(audience, language)]
    subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, check=True)
    report = preflight(pdf.read_bytes())
    assert (report.standard, report.warnings) == ("PDF/UA-1", ())
