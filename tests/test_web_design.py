"""The web edition's design and words (issue 21, review of the web edition): what a download
is called for readers, the fonts' faces and letters, the metadata for scholars and social sites,
the social card, the licence of the fonts served."""

from __future__ import annotations

import pytest

from generator.make import web
from generator.project import Project
from generator.run.pipeline import load_brief

from .support import SAMPLE, copy_project, edit
from .test_web_page import fake_pdfs, tree


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return Project.at(copy_project(tmp_path_factory.mktemp("design")))


def page_of(project, brief_id, language, *, published=None, downloads=(), draft=False):
    brief = load_brief(project, brief_id)
    audience = brief.audience("web")
    assert audience is not None
    return web.render_page(project, brief, audience, language,
                           published=published or brief.languages, downloads=downloads,
                           draft=draft)


def test_a_pdf_without_a_title_in_the_language_is_named_by_what_it_is_with_a_warning(
        tmp_path):
    project = Project.at(copy_project(tmp_path))
    audiences = project.content / "audiences.yaml"
    edit(audiences, '    pl: "Pełny dokument (A4, do druku)"\n', "")
    edit(audiences, '    pl: "Notatka dla posłów do Parlamentu Europejskiego"\n', "")
    page = page_of(project, SAMPLE, "pl", downloads=fake_pdfs(project, "pl"))
    labels = [text for _, _, text in tree(page.html).find("a", type="application/pdf")]
    assert labels == ["PDF (A4) do druku", "PDF (A4) do czytania na ekranie"]
    located = [w for w in page.warnings if "has no title in 'pl'" in str(w)]
    assert len(located) == 2
    assert all(w.mark.path == audiences and w.mark.line > 1 for w in located)
    assert "'full'" in str(located[0]) and "title: {pl:" in str(located[0])
