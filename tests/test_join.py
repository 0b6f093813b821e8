"""join: a letter's PDF and the sample's MEP brief joined into one personal copy, as good as the
brief alone: pages and their text, one complete structure tree, bookmarks, links, page labels,
metadata, fonts, footnotes, identical bytes for identical inputs, qpdf and preflight clean."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from generator.make.join import Joined, Part, join
from generator.make.letter import batch_html
from generator.make.pdf import render_pdf
from generator.make.preflight import preflight
from generator.make.standards import STANDARDS
from generator.project import OutputId

from .support import SAMPLE, footnote_calls, output_html, squash

LETTER_TITLE = "List do Zoë Ångström"
BODY_TITLE = "Preventing sexual abuse of children and young people: what do the experts say?"
COPY_TITLE = f"{BODY_TITLE} — for Zoë Ångström"

#: A small tagged letter: a URI link, a link to a place in the letter whose name (`contact`)
#: the body uses too, and names in three scripts.
LETTER_HTML = """<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8">
<title>{title}</title><meta name="author" content="Bits of Freedom"></head><body>
<p>Szanowna Pani Zoë Ångström,</p>
<p>Łukasz Wróbel przesyła <a href="https://example.org/letter">naszą analizę</a>.
Zobacz nasz <a href="#contact">kontakt</a>.</p>
<p id="contact">Z poważaniem, Ελένη Παπαδοπούλου, Иван Петров</p>
</body></html>"""


#: Letters to lay out with LETTER_HTML as one batch (`letter.batch_html`): their recipients'
#: names must not be in its copy.
NEIGHBOURS = ("Jan Kowalczykowski", "Agnieszka Nowakowska")
NEIGHBOUR_HTML = """<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8">
<title>List do {name}</title><meta name="author" content="Bits of Freedom"></head><body>
<div class="letter"><p>Szanowny Panie {name},</p>
<p>przesyłamy <a href="https://example.org/{slug}">analizę dla {name}</a>.</p></div>
</body></html>"""


def _in_letter_div(html: str) -> str:
    return html.replace("<body>", '<body><div class="letter">').replace("</body>",
                                                                      "</div></body>")


def _render(project, audience, html: str, name: str) -> bytes:
    return render_pdf(html, project.content / SAMPLE, audience, project, output_name=name,
                      identifier=name).pdf


@pytest.fixture(scope="module")
def mep(sample_project, sample_brief, sample_build):
    """The MEP brief in English: its PDF (as built) and HTML."""
    audience = sample_brief.audience("mep")
    pdf = sample_project.output_path(OutputId(SAMPLE, "mep", "en")).read_bytes()
    html, _ = output_html(sample_project, sample_brief, audience, "en")
    return pdf, html


@pytest.fixture(scope="module")
def letter(sample_project, sample_brief) -> bytes:
    return _render(sample_project, sample_brief.audience("mep"),
                   LETTER_HTML.format(title=LETTER_TITLE), "letter-zoe")


@pytest.fixture(scope="module")
def batch(sample_project, sample_brief) -> tuple[bytes, tuple[int, ...]]:
    """LETTER_HTML between two other letters, laid out as one document, written uncompressed
    (as `workers.LetterBatch` does): its PDF and each letter's first page."""
    first, last = (NEIGHBOUR_HTML.format(name=name, slug=name.split()[0].lower())
                   for name in NEIGHBOURS)
    html, anchors = batch_html([first, _in_letter_div(LETTER_HTML.format(title=LETTER_TITLE)),
                                last])
    result = render_pdf(html, sample_project.content / SAMPLE, sample_brief.audience("mep"),
                        sample_project, output_name="batch", identifier="batch",
                        compress=False, anchors=anchors)
    assert result.pages == 3
    return result.pdf, result.starts


def _join(letter: bytes, body: bytes, batch=None, **changes) -> Joined:
    """The copy of LETTER_HTML: from its own PDF, or (`batch`) from its pages of a batch's."""
    options = {"title": COPY_TITLE, "language": "pl", "identifier": "expert-advice/mep/zoe",
               **changes}
    if batch is None:
        return join([Part(letter, "Letter to Zoë Ångström", "pl", False),
                     Part(body, BODY_TITLE, "en", True)], **options)
    pdf, starts = batch
    with pikepdf.open(io.BytesIO(pdf)) as shared:
        return join([Part(shared, "Letter to Zoë Ångström", "pl", False,
                          pages=range(starts[1], starts[2])),
                     Part(body, BODY_TITLE, "en", True)], **options)


@pytest.fixture(scope="module", params=["alone", "batch"])
def way(request) -> str:
    """How the letter was laid out: alone, or in a batch with others (each copy must be the
    same either way, but for the font subsets, which hold the batch's glyphs)."""
    return request.param


@pytest.fixture(scope="module")
def joined(letter, mep, batch, way, tmp_path_factory) -> tuple[Joined, Path]:
    result = _join(letter, mep[0], batch if way == "batch" else None)
    path = tmp_path_factory.mktemp("join") / f"zoe-{way}.pdf"
    path.write_bytes(result.pdf)
    return result, path


def _texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


# ---------------------------------------------------------------------------------------------
# Pages, text, fonts


@pytest.mark.slow
def test_pages_are_the_letters_then_the_bodys_with_their_text(joined, letter, mep):
    result, path = joined
    body_texts = _texts(mep[0])
    texts = _texts(result.pdf)
    assert result.pages == len(texts) == 1 + len(body_texts)
    assert "Szanowna Pani Zoë Ångström" in texts[0]
    assert squash("Ελένη Παπαδοπούλου, Иван Петров") in squash(texts[0])
    assert texts[1:] == body_texts
    assert result.lost == ()
    pdftotext = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                               text=True, check=True).stdout.split("\f")
    assert "Łukasz Wróbel" in pdftotext[0]
    assert squash(BODY_TITLE[:40]) in squash(pdftotext[1])


@pytest.mark.slow
def test_both_parts_fonts_are_embedded_under_distinct_names(joined, letter):
    _, path = joined
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    names = [row.split()[0] for row in rows]
    assert all(row.split()[-5:-3] == ["yes", "yes"] for row in rows), rows  # emb, sub
    assert len(names) == len(set(names)), names  # no two subsets share a name
    # The letter's Inter and Gentium subsets survive beside the body's (renamed: same tags).
    assert sum(n.endswith("+Inter") for n in names) == 2
    assert sum(n.endswith("+Gentium-Book-Plus") for n in names) == 2


@pytest.mark.slow
def test_footnotes_stay_numbered_one_to_n_on_their_pages(joined, mep):
    result, _ = joined
    body_pages = [squash(t) for t in _texts(mep[0])]
    joined_pages = [squash(t) for t in _texts(result.pdf)]
    calls = footnote_calls(mep[1])
    assert [c.number for c in calls] == list(range(1, len(calls) + 1))
    for call in calls:
        note = f"{call.number}{call.note}"
        in_body = [i for i, text in enumerate(body_pages) if note in text]
        assert len(in_body) == 1, call
        assert [i - 1 for i, text in enumerate(joined_pages) if note in text] == in_body


# ---------------------------------------------------------------------------------------------
# Structure


def _marked_content(page: pikepdf.Page) -> set[int]:
    """The MCIDs of the marked content in a page's content stream."""
    found = set()
    for operands, _ in pikepdf.parse_content_stream(page, "BDC"):
        properties = operands[1] if len(operands) > 1 else None
        if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
            found.add(int(properties.MCID))
    return found


def structure_problems(doc: pikepdf.Pdf) -> tuple[list[str], int]:
    """What is wrong with a PDF's structure tree, and how much marked content it leaves out.

    Every page's marked content must be found through the ParentTree and, found there, be the
    content of the element the tree reaches it by; every link annotation an OBJR of the Link
    element its /StructParent finds; every /P the element's parent; no key used twice. Marked
    content the ParentTree lists but the tree does not reach is counted (the second value):
    WeasyPrint tags the running headers and footers (margin boxes) so, and finishing makes them
    artifacts (`structure.mark_artifacts`), so every part and every copy has none."""
    problems: list[str] = []
    root = doc.Root.StructTreeRoot
    top = list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]
    if len(top) != 1 or top[0].S != "/Document":
        problems.append(f"the tree's root holds {[str(t.get('/S')) for t in top]}")
    parent_tree = dict(pikepdf.NumberTree(root.ParentTree).items())
    marked, objrs = _tree_contents(doc, top, problems)
    keys = []
    left_out = 0
    for index, page in enumerate(doc.pages):
        mcids = _marked_content(page)
        if not {m for p, m in marked if p == index} <= mcids:
            problems.append(f"page {index + 1}: the tree reaches marked content it lacks")
        keys.append(int(page.StructParents))
        entry = parent_tree.get(int(page.StructParents))
        for mcid in mcids:
            owner = entry[mcid] if entry is not None and mcid < len(entry) else None
            if not isinstance(owner, pikepdf.Dictionary) or "/S" not in owner:
                problems.append(f"page {index + 1}: MCID {mcid} not in the ParentTree")
            elif (index, mcid) not in marked:
                left_out += 1
            elif owner.objgen != marked[(index, mcid)]:
                problems.append(f"page {index + 1}: MCID {mcid}: ParentTree and tree differ")
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            keys.append(int(annot.StructParent))
            link = parent_tree.get(int(annot.StructParent))
            if link is None or link.S != "/Link" or objrs.get(annot.objgen) != link.objgen:
                problems.append(f"page {index + 1}: a link annotation is not its Link's OBJR")
    if len(keys) != len(set(keys)):
        problems.append("a /StructParent(s) key is used twice")
    return problems, left_out


def _tree_contents(doc: pikepdf.Pdf, top: list, problems: list[str]) -> tuple[dict, dict]:
    """What the tree reaches: (page index, MCID) → element, annotation → element (objgens)."""
    page_index = {page.obj.objgen: i for i, page in enumerate(doc.pages)}
    marked: dict[tuple[int, int], tuple[int, int]] = {}
    objrs: dict[tuple[int, int], tuple[int, int]] = {}
    stack = [(element, doc.Root.StructTreeRoot, None) for element in top]
    while stack:
        element, parent, page = stack.pop()
        if element.P.objgen != parent.objgen:
            problems.append(f"{element.S}'s /P is not its parent")
        page = element.get("/Pg", page)
        kids = element.get("/K")
        for kid in (list(kids) if isinstance(kids, pikepdf.Array)
                    else [] if kids is None else [kids]):
            if isinstance(kid, int):
                marked[(page_index[page.objgen], kid)] = element.objgen
            elif kid.get("/Type") == "/MCR":
                marked[(page_index[kid.get("/Pg", page).objgen], int(kid.MCID))] = element.objgen
            elif kid.get("/Type") == "/OBJR":
                objrs[kid.Obj.objgen] = element.objgen
            else:
                stack.append((kid, element, page))
    return marked, objrs


def _left_out(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        problems, left_out = structure_problems(doc)
    assert problems == []
    return left_out


@pytest.mark.slow
def test_one_structure_tree_holds_the_letter_and_the_body(joined, letter, mep):
    result, _ = joined
    # The parts' running headers and footers are artifacts, in the copy too.
    assert _left_out(result.pdf) == _left_out(letter) == _left_out(mep[0]) == 0
    with pikepdf.open(io.BytesIO(result.pdf)) as doc:
        document = doc.Root.StructTreeRoot.K[0]
        letter_part, body_part = list(document.K)
        assert (str(letter_part.S), str(letter_part.T)) == ("/Part", "Letter to Zoë Ångström")
        assert "/Lang" not in letter_part  # the document's language
        assert (str(body_part.S), str(body_part.T), str(body_part.Lang)) == (
            "/Part", BODY_TITLE, "en")
        assert str(doc.Root.Lang) == "pl"
        assert doc.Root.MarkInfo.Marked and doc.Root.ViewerPreferences.DisplayDocTitle
        assert all(page.Tabs == "/S" for page in doc.pages)
    with pikepdf.open(io.BytesIO(mep[0])) as body:  # the checker can fail: the body alone
        assert structure_problems(body)[0] == []
        del body.Root.StructTreeRoot.ParentTree.Nums[-2:]
        assert structure_problems(body)[0]


# ---------------------------------------------------------------------------------------------
# Bookmarks, labels, links


def _outline(reader: PdfReader, items=None, depth: int = 0) -> list[tuple[int, str, int]]:
    found = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            found += _outline(reader, item, depth + 1)
        else:
            found.append((depth, item.title, reader.get_destination_page_number(item)))
    return found


@pytest.mark.slow
def test_bookmarks_are_the_letter_then_the_bodys_own(joined, mep):
    result, _ = joined
    body = _outline(PdfReader(io.BytesIO(mep[0])))
    outline = _outline(PdfReader(io.BytesIO(result.pdf)))
    assert outline[0] == (0, "Letter to Zoë Ångström", 0)
    assert outline[1:] == [(depth, title, page + 1) for depth, title, page in body]
    assert outline[1][:2] == (0, BODY_TITLE)
    assert len(outline) > 10


@pytest.mark.slow
def test_page_labels_leave_the_letter_unnumbered_and_count_the_body_from_one(joined):
    result, _ = joined
    labels = PdfReader(io.BytesIO(result.pdf)).page_labels
    assert labels == ["Letter to Zoë Ångström", "1", "2", "3", "4"][:result.pages]


def _links(pdf: bytes) -> list[tuple[int, str | int]]:
    """(page index, URI or the page index an internal link leads to) of every link."""
    reader = PdfReader(io.BytesIO(pdf))
    found: list[tuple[int, str | int]] = []
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            if "/A" in annot and annot["/A"].get("/S") == "/URI":
                found.append((index, str(annot["/A"]["/URI"])))
                continue
            dest = annot.get("/Dest") or annot["/A"]["/D"]
            if isinstance(dest, str):  # a named destination
                dest = reader.named_destinations[dest]
                found.append((index, reader.get_destination_page_number(dest)))
            else:
                found.append((index, reader.get_page_number(dest[0])))
    return found


@pytest.mark.slow
def test_every_link_of_both_parts_leads_where_it_did(joined, letter, mep):
    result, _ = joined
    links = _links(result.pdf)
    letter_links = [(0, "https://example.org/letter"), (0, 0)]  # #contact: in the letter
    assert _links(letter) == letter_links
    assert [link for link in links if link[0] == 0] == letter_links
    body_links = [(page + 1, target if isinstance(target, str) else target + 1)
                  for page, target in _links(mep[0])]
    assert [link for link in links if link[0] > 0] == body_links
    assert sum(isinstance(t, str) for _, t in body_links) >= 10
    # The body's named destinations stay, on its pages; the letter's `contact` is not among them.
    reader = PdfReader(io.BytesIO(result.pdf))
    # (the body's contact block ends its last page: the sample's MEP brief has 3)
    assert reader.get_destination_page_number(reader.named_destinations["contact"]) == len(
        _texts(mep[0]))


# ---------------------------------------------------------------------------------------------
# Metadata, standards, bytes


@pytest.mark.slow
def test_metadata_names_the_recipients_copy_and_keeps_the_bodys(joined, mep):
    result, _ = joined
    with pikepdf.open(io.BytesIO(result.pdf)) as doc, pikepdf.open(io.BytesIO(mep[0])) as body:
        info, body_info = doc.trailer.Info, body.trailer.Info
        assert str(info.Title) == COPY_TITLE
        for key in ("/Author", "/Creator", "/Producer", "/CreationDate", "/ModDate",
                    "/Subject"):
            assert str(info[key]) == str(body_info[key]), key
        xmp = doc.open_metadata()
        assert xmp["dc:title"] == COPY_TITLE
        # dc:language is an XMP bag (pikepdf reads it as a set: no order); /Lang is the letter's
        assert set(xmp["dc:language"]) == {"pl", "en"} and str(doc.Root.Lang) == "pl"
        assert xmp["pdfuaid:part"] == "1"
        assert xmp["xmp:CreateDate"] == body.open_metadata()["xmp:CreateDate"]


@pytest.mark.slow
def test_preflight_and_qpdf_pass(joined, mep):
    result, path = joined
    report = preflight(result.pdf)
    pages = 1 + len(_texts(mep[0]))  # the letter's page and the body's
    assert (report.standard, report.pages, report.warnings) == ("PDF/UA-1", pages, ())
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout


def _unfiltered(pdf: bytes) -> list[str]:
    """The streams of a PDF that are not compressed (or otherwise filtered), but its XMP
    metadata (left readable, as PDF/A and PDF/UA readers expect)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [str(stream.get("/Type", stream.get("/Subtype", "?"))) for stream in doc.objects
                if isinstance(stream, pikepdf.Stream) and "/Filter" not in stream
                and stream.get("/Type") != "/Metadata"]


@pytest.mark.slow
def test_a_letter_written_uncompressed_is_compressed_once_by_the_join(sample_project,
                                                                      sample_brief, letter,
                                                                      mep, tmp_path):
    """A personal copy's letter is written with `compress=False` (the join's writing
    compresses it): the copy is then as compressed, as valid and as readable as one joined
    from a compressed letter."""
    loose = render_pdf(LETTER_HTML.format(title=LETTER_TITLE), sample_project.content / SAMPLE,
                       sample_brief.audience("mep"), sample_project, output_name="letter-zoe",
                       identifier="letter-zoe", compress=False).pdf
    assert len(_unfiltered(loose)) >= 3  # its page and fonts, at least
    assert _unfiltered(letter) == []
    copy, reference = _join(loose, mep[0]), _join(letter, mep[0])
    assert _unfiltered(copy.pdf) == []
    assert len(copy.pdf) < 1.02 * len(reference.pdf)
    assert _texts(copy.pdf) == _texts(reference.pdf)
    report = preflight(copy.pdf)
    pages = 1 + len(_texts(mep[0]))
    assert (report.standard, report.pages, report.warnings) == ("PDF/UA-1", pages, ())
    path = tmp_path / "copy.pdf"
    path.write_bytes(copy.pdf)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.slow
def test_equal_inputs_give_equal_bytes_and_the_identifier_the_file_id(joined, letter, mep,
                                                                     batch, way):
    result, _ = joined
    shared = batch if way == "batch" else None
    assert _join(letter, mep[0], shared).pdf == result.pdf
    other = _join(letter, mep[0], shared, identifier="expert-advice/mep/someone-else")
    assert other.pdf != result.pdf
    with pikepdf.open(io.BytesIO(other.pdf)) as a, pikepdf.open(io.BytesIO(result.pdf)) as b:
        assert bytes(a.trailer.ID[0]) != bytes(b.trailer.ID[0])


def _everything(pdf: Path, tmp: Path) -> str:
    """All of a PDF as text: every object and stream decompressed (qpdf --qdf), each string
    also decoded, and the text of its pages."""
    qdf = tmp / "qdf.pdf"
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), str(qdf)],
                   check=True)
    raw = qdf.read_bytes()
    found = [raw.decode("latin-1"), raw.decode("utf-8", "replace")]
    with pikepdf.open(qdf) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Stream):
                data = obj.read_bytes()
                found += [data.decode("latin-1"), data.decode("utf-16-be", "replace")]
        for value in re.findall(rb"\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]+>", raw):
            string = pikepdf.Object.parse(value)
            if isinstance(string, pikepdf.String):
                found.append(str(string))
    found.append(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                text=True, check=True).stdout)
    return "\n".join(found)


@pytest.mark.slow
def test_a_copy_from_a_batch_holds_no_other_recipients_name(joined, batch, way, tmp_path):
    _, path = joined
    everything = _everything(path, tmp_path)
    assert "Zoë Ångström" in everything and "Łukasz Wróbel" in everything  # the search finds
    for name in NEIGHBOURS:
        for word in (name, *(w for w in name.split() if len(w) > 5)):
            assert word not in everything, word
    assert "brief-letter" not in everything  # the batch's anchors
    batch_path = tmp_path / "batch.pdf"  # the search can fail: the batch has them
    batch_path.write_bytes(batch[0])
    assert all(name in _everything(batch_path, tmp_path) for name in NEIGHBOURS)


@pytest.mark.slow
def test_a_letter_in_the_documents_language_and_subject(sample_project, sample_brief, mep):
    """An English letter to an English brief: no /Lang on either part; the subject given."""
    english = _render(sample_project, sample_brief.audience("mep"), LETTER_HTML.format(
        title="Letter").replace('lang="pl"', 'lang="en"'), "letter-en")
    result = join([Part(english, "Letter to Jane Doe", "en", False, label="Letter"),
                   Part(mep[0], BODY_TITLE, "en", True)],
                  title="For Jane Doe", language="en", identifier="x", subject="Read me")
    assert _left_out(result.pdf) == _left_out(english) == _left_out(mep[0]) == 0
    with pikepdf.open(io.BytesIO(result.pdf)) as doc:
        assert all("/Lang" not in part for part in doc.Root.StructTreeRoot.K[0].K)
        assert str(doc.trailer.Info.Subject) == "Read me"
        assert doc.open_metadata()["dc:description"] == "Read me"
    assert PdfReader(io.BytesIO(result.pdf)).page_labels[0] == "Letter"


@pytest.fixture(scope="module")
def x4_letter(sample_project, sample_brief) -> bytes:
    """The letter rendered for the handout's print shop: PDF/X-4, one page (no booklet)."""
    handout = dataclasses.replace(sample_brief.audience("handout"), imposition="none",
                                  max_pages=None)
    assert handout.standard is STANDARDS["x-4"]
    return _render(sample_project, handout, LETTER_HTML.format(title=LETTER_TITLE), "letter-x4")


def _changed(pdf: bytes, change, *, compress: bool = True) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        change(doc)
        out = io.BytesIO()
        if compress:
            doc.save(out)
        else:  # every stream decoded, as `render_pdf(…, compress=False)` writes them
            doc.save(out, compress_streams=False,
                     stream_decode_level=pikepdf.StreamDecodeLevel.generalized)
    return out.getvalue()


@pytest.mark.slow
def test_parts_with_different_standards_say_so_and_claim_none(x4_letter, mep):
    result = _join(x4_letter, mep[0])
    assert len(result.lost) == 1
    assert re.search(r"different standards .*PDF/X-4.*PDF/UA-1.*claims none", result.lost[0])
    report = preflight(result.pdf)
    assert report.standard == "none"
    assert PdfReader(io.BytesIO(result.pdf)).pages[0].extract_text().startswith("Szanowna")


@pytest.mark.slow
def test_an_untagged_part_in_a_pdf_ua_copy_is_said(letter, mep):
    def untag(doc):
        del doc.Root.StructTreeRoot
        for page in doc.pages:
            del page.StructParents
    result = _join(_changed(letter, untag), mep[0])
    assert result.lost == ("PDF/UA-1: a part has no structure tree; the joined PDF claims no "
                           "standard",)
    assert preflight(result.pdf).standard == "none"
    with pikepdf.open(io.BytesIO(result.pdf)) as doc:
        assert "/MarkInfo" not in doc.Root
        assert len(doc.Root.StructTreeRoot.K[0].K) == 1  # the body's Part


@pytest.mark.slow
def test_two_pdf_x4_parts_keep_the_output_intent(x4_letter, sample_project, sample_build):
    body = sample_project.output_path(OutputId(SAMPLE, "handout", "nl")).read_bytes()
    parts = [Part(x4_letter, "Brief aan Zoë", "nl", False), Part(body, "Titel", "nl", True)]
    result = join(parts, title="Titel — Zoë", language="nl", identifier="handout/zoe")
    assert result.lost == ()
    report = preflight(result.pdf)
    assert (report.standard, report.warnings) == ("PDF/X-4", ())
    assert result.pages == 1 + len(PdfReader(io.BytesIO(body)).pages)
    # a personal copy's letter is written uncompressed: its profile is the same profile
    loose = _changed(x4_letter, lambda doc: None, compress=False)
    with pikepdf.open(io.BytesIO(loose)) as doc:
        assert "/Filter" not in doc.Root.OutputIntents[0].DestOutputProfile
    assert join([dataclasses.replace(parts[0], pdf=loose), parts[1]], title="Titel — Zoë",
                language="nl", identifier="handout/zoe").lost == ()
    assert _texts(result.pdf)[1:] == _texts(body)
    with pikepdf.open(io.BytesIO(result.pdf)) as doc:
        assert str(doc.Root.OutputIntents[0].OutputConditionIdentifier) == "FOGRA39"

    def other_press(doc):
        doc.Root.OutputIntents[0].OutputConditionIdentifier = pikepdf.String("FOGRA51")
    other = join([dataclasses.replace(parts[0], pdf=_changed(x4_letter, other_press)),
                  parts[1]], title="Titel — Zoë", language="nl", identifier="handout/zoe")
    assert len(other.lost) == 1
    assert re.search(r"output intent of 'Brief aan Zoë' \(FOGRA51.*differs from the body's "
                     r"\(FOGRA39", other.lost[0])
    assert preflight(other.pdf).standard == "PDF/X-4"


@pytest.mark.slow
def test_a_letter_after_the_body_is_joined_as_well(letter, mep):
    """Parts in any order: the body stays the base, the letter is copied after it."""
    result = join([Part(mep[0], BODY_TITLE, "en", True),
                   Part(letter, "Letter to Zoë Ångström", "pl", False)],
                  title=COPY_TITLE, language="en", identifier="after")
    assert result.lost == ()
    body_pages = len(PdfReader(io.BytesIO(mep[0])).pages)
    assert _left_out(result.pdf) == _left_out(letter) == _left_out(mep[0]) == 0
    reader = PdfReader(io.BytesIO(result.pdf))
    assert reader.page_labels == [*map(str, range(1, body_pages + 1)), "Letter to Zoë Ångström"]
    outline = _outline(reader)
    assert outline[0][:2] == (0, BODY_TITLE)
    assert outline[-1] == (0, "Letter to Zoë Ångström", body_pages)
    links = _links(result.pdf)
    assert links[-2:] == [(body_pages, "https://example.org/letter"), (body_pages, body_pages)]
    assert links[:-2] == _links(mep[0])
    with pikepdf.open(io.BytesIO(result.pdf)) as doc:
        body_part, letter_part = list(doc.Root.StructTreeRoot.K[0].K)
        assert "/Lang" not in body_part
        assert str(letter_part.Lang) == "pl"


# ---------------------------------------------------------------------------------------------
# Without WeasyPrint: small tagged PDFs made here


def _tagged_pdf(*, role_map: dict | None = None, ids: tuple[str, ...] = (),
                link_to: str = "") -> bytes:
    """A one-page tagged PDF: Document › P holding MCID 0, and optionally a role map, element
    IDs, and a link to the named destination `link_to` (which the PDF does not have)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    page.Contents = pdf.make_stream(b"/P <</MCID 0>> BDC EMC")
    page.StructParents = 0
    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    document = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem,
                                                    S=pikepdf.Name.Document, P=root))
    para = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.P,
                                                P=document, Pg=page.obj, K=pikepdf.Array([0])))
    document.K = pikepdf.Array([para])
    nums: list = [0, pikepdf.Array([para])]
    if link_to:
        annot = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10],
            Dest=pikepdf.String(link_to), StructParent=1))
        page.Annots = pikepdf.Array([annot])
        link = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.Link, P=document,
            K=pikepdf.Array([pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annot,
                                                Pg=page.obj)])))
        document.K.append(link)
        nums += [1, link]
    root.K = pikepdf.Array([document])
    root.ParentTree = pikepdf.Dictionary(Nums=pikepdf.Array(nums))
    if role_map:
        root.RoleMap = pikepdf.Dictionary({f"/{k}": pikepdf.Name(f"/{v}")
                                           for k, v in role_map.items()})
    if ids:
        root.IDTree = pikepdf.Dictionary(Names=pikepdf.Array(
            [v for name in ids for v in (pikepdf.String(name), para)]))
    pdf.Root.StructTreeRoot = root
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_what_the_parts_structure_cannot_keep_is_said():
    letter = _tagged_pdf(role_map={"Note": "P", "Aside": "Div"}, ids=("a", "b"),
                         link_to="nowhere")
    body = _tagged_pdf(role_map={"Note": "Span"}, ids=("b",))
    result = join([Part(letter, "Letter", "de", False), Part(body, "Body", "en", True)],
                  title="Copy", language="de", identifier="tiny")
    assert result.lost == (
        "a link on page 1 of 'Letter' leads to 'nowhere', a place its PDF does not have: the "
        "link was removed",
        "the RoleMap entry /Note of 'Letter' differs from the body's: the body's is kept",
        "the structure element ID 'b' of 'Letter' is also the body's: it names the body's "
        "element")
    with pikepdf.open(io.BytesIO(result.pdf)) as doc:
        problems, left_out = structure_problems(doc)
        assert (problems, left_out) == ([], 0)
        root = doc.Root.StructTreeRoot
        assert dict(root.RoleMap) == {"/Note": "/Span", "/Aside": "/Div"}
        ids = dict(pikepdf.NameTree(root.IDTree).items())
        letter_part, body_part = list(root.K[0].K)
        assert ids["a"].P.objgen == letter_part.objgen
        assert ids["b"].P.objgen == body_part.objgen
        assert [int(page.StructParents) for page in doc.pages] == [1, 0]  # the body's kept
        assert "/Dest" not in doc.pages[0].Annots[0]


def test_join_needs_a_part():
    with pytest.raises(ValueError, match="at least one part"):
        join([], title="", language="en", identifier="")
