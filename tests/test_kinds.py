"""The seam of output kinds (generator/kinds/), the one scheduler's writing, the digests made of
what each output's render read, and preflight's structured findings."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

import pytest

from generator import files
from generator.errors import BriefError, Mark
from generator.make.audit import ImageUse, locate_preflight
from generator.make.standards.base import Finding
from generator.project import OutputId, Project
from generator.run.build import build
from generator.run.clean import remove_outputs
from generator.run.kinds import KINDS, built_by_build
from generator.run.kinds.web import WebPlan, make_pages
from generator.run.manifest import Manifest, output_digest
from generator.run.pipeline import load_brief

from .support import SAMPLE

# ---------------------------------------------------------------------------------------------
# Identity: each kind names its files and keys


def test_each_kind_names_its_files_and_keys_without_collisions():
    out = Path("/p/out")
    pdf = OutputId("b", "mep", "en")
    personal = OutputId("b", "mep", "en", "anna", "personal")
    web = OutputId("b", "site", "en", kind="web")
    assert pdf.path(out) == out / "b" / "b.mep.en.pdf"
    assert pdf.files(out) == (out / "b" / "b.mep.en.pdf", out / "b" / "b.mep.en.booklet.pdf")
    assert personal.path(out) == out / "b" / "personal" / "mep" / "anna.pdf"
    assert web.path(out) == out / "b" / "web" / "en" / "index.html"
    keys = {o.key for o in (pdf, personal, web)}
    assert len(keys) == 3
    for output in (pdf, personal, web):
        assert OutputId.from_key("b", output.key) == output
    assert personal.base == pdf and web.base == web


def test_a_recipient_makes_a_personal_copy_and_a_personal_copy_needs_one():
    assert OutputId("b", "mep", "en", "anna").kind == "personal"
    with pytest.raises(ValueError, match="recipient"):
        OutputId("b", "mep", "en", kind="personal")


def test_build_lists_the_pdf_kind_then_the_web_kind(sample_project):
    brief = load_brief(sample_project, SAMPLE)
    web_audiences = [a for a in brief.audiences if a.medium == "web"]
    assert web_audiences  # the sample has its web edition
    made = [output for output, _ in built_by_build(brief)]
    kinds = [output.kind for output in made]
    assert kinds == sorted(kinds, key=list(KINDS).index)  # the table's order: web last
    assert {(o.audience, o.language) for o in made if o.kind == "web"} == {
        (a.name, language) for a in web_audiences for language in a.languages}
    assert not any(o.audience in {a.name for a in web_audiences}
                   for o in made if o.kind == "pdf")


# ---------------------------------------------------------------------------------------------
# The web kind, against the renderer's interface (a stand-in renderer)


@dataclasses.dataclass(frozen=True)
class _Page:
    html: str
    files: Mapping[str, bytes]
    footnotes: int = 0
    warnings: tuple[BriefError, ...] = ()


class _StandIn:
    """Renders a page that lists its downloads, as `generator.web.render_page` is specified."""

    def __init__(self) -> None:
        self.rendered: list[str] = []

    def download(self, audience: str, path: str, pages: int, size: int) -> object:
        return (audience, path, pages, size)

    def render_page(self, project, brief, audience, language, *, published, downloads,
                    draft=False):
        self.rendered.append(language)
        return _Page(f"<html lang={language}>{downloads!r} {published!r}</html>",
                     {"assets/site.css": b"body{}"})

    def render_index(self, project, brief, audience, published):
        return f"<html>{' '.join(published)}</html>".encode()


def test_web_pages_list_the_pdfs_are_written_recorded_and_made_again_only_when_changed(project):
    assert build(project, [SAMPLE]).ok
    brief = load_brief(project, SAMPLE)
    (audience,) = (a for a in brief.audiences if a.medium == "web")  # the sample's web edition
    plan = WebPlan(brief, (audience,))
    renderer = _StandIn()
    manifest = Manifest.open(project.out)
    # made by the build with the real renderer: made again (force) with the stand-in
    made = list(make_pages(project, plan, manifest, force=True, renderer=renderer))
    assert [m.error for m in made] == [None] * len(made) and len(made) > 1
    page = project.out / SAMPLE / "web" / made[0].output.language / "index.html"
    text = page.read_text()
    assert ".pdf" in text and "expert-advice." in text  # the PDFs of that language, with sizes
    assert (project.out / SAMPLE / "web" / "assets" / "site.css").read_bytes() == b"body{}"
    assert (project.out / SAMPLE / "web" / "index.html").is_file()
    assert manifest.is_recorded_file(made[0].output)
    again = list(make_pages(project, plan, manifest, renderer=renderer))
    assert all(m.current for m in again)
    assert len(renderer.rendered) == len(made)
    # the brief changed where no page shows it: rendered again, same bytes, not written again
    (project.content / SAMPLE / "notes.txt").write_text("not printed")
    stamp = page.stat().st_mtime_ns
    again = list(make_pages(project, plan, manifest, renderer=renderer))
    assert all(m.current for m in again) and len(renderer.rendered) == 2 * len(made)
    assert page.stat().st_mtime_ns == stamp
    # clean: a page's own file goes; the assets it shares stay while another page uses them
    shared = project.out / SAMPLE / "web" / "assets" / "site.css"
    first, *others = [m.output for m in made]
    assert remove_outputs(manifest, [first]) == [first.path(project.out)]
    assert shared.is_file()
    removed = remove_outputs(manifest, others)
    assert shared in removed and not shared.exists()
    assert not any(path.exists() for output in others for path in output.files(project.out))
    manifest.save()
    manifest.close()


# ---------------------------------------------------------------------------------------------
# Digests: what a render read, not a list of extensions


def test_the_gate_records_every_file_read_in_a_reading_context(tmp_path):
    data = tmp_path / "chart.csv"
    data.write_text("year,value\n2024,3\n")
    other = tmp_path / "other.txt"
    other.write_text("x")
    files.read_text(tmp_path, other, what="other")  # outside any context: not recorded
    with files.recording() as outer:
        with files.recording() as inner:
            files.read_bytes(tmp_path, data, what="data")
        files.note([other])
    assert inner == {data.resolve()}
    assert outer == {data.resolve(), other.resolve()}


def test_a_data_file_a_render_read_changes_the_outputs_digest(project: Project):
    folder = project.content / SAMPLE
    data = folder / "chart.csv"
    data.write_text("year,value\n2024,3\n")
    read = (data,)
    before = output_digest(project, folder, "<html>", "settings", (), read=read)
    assert output_digest(project, folder, "<html>", "settings", (), read=read) == before
    data.write_text("year,value\n2024,4\n")
    assert output_digest(project, folder, "<html>", "settings", (), read=read) != before
    # a file no render read changes nothing
    (folder / "notes.txt").write_text("unread")
    assert output_digest(project, folder, "<html>", "settings", (), read=read) == \
        output_digest(project, folder, "<html>", "settings", (), read=read)


def test_a_build_records_what_each_pdf_read(sample_project, sample_build):
    manifest = Manifest.load(sample_project.out)
    output = OutputId(SAMPLE, "handout", "nl")
    read = manifest.read(output)
    assert read is not None
    names = {path.name for path in read}
    assert any(name.endswith(".css") for name in names)  # its stylesheets, through the gate
    assert all(path.is_relative_to(sample_project.root) for path in read)


# ---------------------------------------------------------------------------------------------
# Preflight findings are data


def test_an_image_finding_names_the_briefs_image_without_parsing_text(tmp_path):
    finding = Finding("low-resolution", "prints at 96 dpi, less than 300; use a larger image",
                      "PDF/X-4", 2, (600, 300))
    assert finding.text() == ("page 2: an image of 600 × 300 pixels prints at 96 dpi, less "
                              "than 300; use a larger image")
    use = ImageUse("figure.png", Mark(tmp_path / "brief.yaml", 12), 600, 300)
    [located] = locate_preflight((finding,), "out/b.pdf", (use,))
    assert located.mark == Mark(tmp_path / "brief.yaml", 12)
    assert "figure.png (600 × 300 pixels) prints at 96 dpi" in located.format_message()
