"""The web edition as `brief build` makes it beside the PDFs: a page offers only the PDFs this
run made or found up to date, files a page no longer uses leave the folder, and one page's
failure is that page's, not the build's."""

from __future__ import annotations

import pytest

from generator.project import Project
from generator.run.build import build

from .support import SAMPLE, copy_project, edit

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path) -> Project:
    project = Project.at(copy_project(tmp_path))
    assert build(project).ok
    return project


def _web(project: Project):
    return project.out / SAMPLE / "web"


def test_a_page_does_not_offer_a_pdf_that_failed_in_this_run(project):
    web = _web(project)
    assert (web / "nl" / f"{SAMPLE}.full.nl.pdf").is_file()
    # the full brief no longer fits its budget: it fails, its old PDF stays in out/ …
    edit(project.brief_file(SAMPLE), "  full:\n", "  full: {max_pages: 2}\n")
    edit(project.brief_file(SAMPLE), "Het advies van Nederlandse experts",
         "Het advies van de Nederlandse experts")
    result = build(project)
    assert any(getattr(what, "audience", None) == "full" for what, _ in result.failed)
    assert (project.out / SAMPLE / f"{SAMPLE}.full.nl.pdf").is_file()
    # … but the Dutch page, made again, neither lists it nor carries its copy
    page = (web / "nl" / "index.html").read_text(encoding="utf-8")
    assert "van de Nederlandse experts" in page
    assert f"{SAMPLE}.full.nl.pdf" not in page
    assert not (web / "nl" / f"{SAMPLE}.full.nl.pdf").exists()
    assert f"{SAMPLE}.handout.nl.pdf" in page  # the handout, up to date, is still offered


def test_a_pdf_no_longer_made_leaves_the_web_folder(project):
    web = _web(project)
    copy = web / "nl" / f"{SAMPLE}.handout.nl.pdf"
    assert copy.is_file()
    edit(project.brief_file(SAMPLE), "  handout:\n", "")
    assert build(project).ok
    assert not copy.exists()
    assert f"{SAMPLE}.handout.nl.pdf" not in (web / "nl" / "index.html").read_text(
        encoding="utf-8")
    assert (web / "assets" / "web.css").is_file()  # shared by every page: kept


def test_a_broken_chooser_template_fails_the_pages_not_the_pdfs(project):
    template = project.templates / "web-index.html.j2"
    template.write_text(template.read_text(encoding="utf-8") + "{{ doc.nosuch }}\n",
                        encoding="utf-8")
    result = build(project, force=True)
    failed = [what for what, _ in result.failed]
    assert failed and all(getattr(what, "kind", None) == "web" for what in failed)
    assert sum(1 for o in result.built if o.id.kind == "pdf") == 6  # every PDF made
    assert "web-index.html.j2" in result.failed[0][1].format_message()


def test_a_deleted_asset_is_written_again(project):
    css = _web(project) / "assets" / "web.css"
    written = css.read_bytes()
    css.unlink()
    assert build(project).ok
    assert css.read_bytes() == written
