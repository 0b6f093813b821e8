"""Each output proves the standard its audience claims: PDF/UA-1 on screens, PDF/X-4 in print."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from itertools import pairwise

import pikepdf
import pytest

from generator.make.preflight import Report, preflight
from generator.make.standards.ua1 import structure_elements
from generator.project import OutputId

from .support import DOCUMENTED_BRIEF, build_documented_example

pytestmark = pytest.mark.slow  # every test reads PDFs rendered by WeasyPrint

SCREEN = [("full", "nl"), ("mep", "en")]


def xmp(doc) -> str:
    return doc.Root.Metadata.read_bytes().decode()


@pytest.mark.parametrize("audience,language", SCREEN)
def test_screen_outputs_are_tagged_pdf_ua_1(outputs, sample_brief, audience, language):
    pdf, _ = outputs[(audience, language)]
    with pikepdf.open(pdf) as doc:
        assert re.search(r"pdfuaid:part[^0-9]*1", xmp(doc))
        assert doc.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in doc.Root
        assert str(doc.Root.Lang) == language
        assert doc.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(doc.trailer.Info.Title) == sample_brief.title.get(language)
        tags = [str(e.S) for e in structure_elements(doc)]
    headings = [int(t[2]) for t in tags if re.fullmatch(r"/H\d", t)]
    assert headings[0] == 1 and headings.count(1) == 1
    assert all(b - a <= 1 for a, b in pairwise(headings))  # no skipped level
    for tag in ("/P", "/L", "/LI", "/Link", "/BlockQuote", "/Sect"):
        assert tag in tags, tag
    assert preflight(pdf.read_bytes()).warnings == ()


def test_print_output_is_pdf_x_4_in_cmyk(outputs):
    pdf, _ = outputs[("handout", "nl")]
    with pikepdf.open(pdf) as doc:
        assert "GTS_PDFXVersion>PDF/X-4<" in xmp(doc)
        [intent] = doc.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert int(intent.DestOutputProfile.N) == 4  # a CMYK profile is embedded
        assert str(doc.trailer.Info.Trapped) == "/False"
        for page in doc.pages:
            assert "/TrimBox" in page and "/BleedBox" in page
            operators = {str(op) for _, op in pikepdf.parse_content_stream(page)}
            assert not operators & {"rg", "RG"}, "RGB colour on a print page"
            assert operators & {"k", "K", "scn", "SCN"}
            spaces = [str(v[0]) if isinstance(v, pikepdf.Array) else str(v)
                      for v in page.Resources.get("/ColorSpace", {}).values()]
            assert "/DeviceRGB" not in spaces
    assert preflight(pdf.read_bytes()).warnings == ()


@pytest.mark.parametrize("audience,language", [("full", "nl"), ("mep", "en"), ("handout", "nl")])
def test_qpdf_check_passes(outputs, audience, language):
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is installed by .ci/install")
    pdf, _ = outputs[(audience, language)]
    result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_figure_has_alt_text_and_low_resolution_print_images_are_flagged(project):
    """The documented example has a chart: tagged with its alt text on screen, and its 600 px
    over 145 mm is flagged below 300 dpi in the print output."""
    build_documented_example(project)
    full_pdf = project.output_path(OutputId(DOCUMENTED_BRIEF, "full", "nl"))
    full = full_pdf.read_bytes()
    with pikepdf.open(full_pdf) as doc:
        figures = [e for e in structure_elements(doc) if str(e.S) == "/Figure"]
    assert figures and all(str(f.Alt).strip() for f in figures)
    assert "Staafdiagram van meldingen per jaar" in [str(f.Alt) for f in figures]
    assert preflight(full).warnings == ()
    handout_pdf = project.output_path(OutputId(DOCUMENTED_BRIEF, "handout", "nl"))
    handout = preflight(handout_pdf.read_bytes())
    assert handout.standard == "PDF/X-4"
    assert any("dpi" in w and "less than 300" in w for w in handout.warnings), handout.warnings


def test_preflight_flags_what_a_screen_pdf_lacks(tmp_path):
    import weasyprint

    bare = weasyprint.HTML(string="<html lang=en><p>x</p>").write_pdf(pdf_variant="pdf/ua-1")
    with pikepdf.open(io.BytesIO(bare)) as doc:
        del doc.Root["/Lang"]
        path = tmp_path / "x.pdf"
        doc.save(path)
    report = preflight(path.read_bytes())
    assert report.standard == "PDF/UA-1"
    assert "no document language (/Lang)" in report.warnings
    assert "no document title" in report.warnings


def test_preflight_summary_says_whose_warnings():
    """The build line and the preview show the preflight's verdict next to content warnings:
    it says it is the preflight's ("0 warning(s)" beside "2 warnings" read as a contradiction)."""
    clean = Report(4, 2048, "PDF/UA-1", ("Inter",))
    assert clean.summary() == "PDF/UA-1 · 4 pages · 2 kB · fonts: Inter · preflight clean"
    one = Report(4, 2048, "PDF/X-4", (), ("page 2: an RGB image",))
    assert one.summary().endswith("fonts: none · preflight: 1 warning")
    assert Report(1, 0, "none", (), ("a", "b")).summary() == \
        "none · 1 page · 0 kB · fonts: none · preflight: 2 warnings"
