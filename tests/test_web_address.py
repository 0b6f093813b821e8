"""A PDF's "read online" link and QR code lead to the web edition's page in its language only
when the build publishes that page (`html.online_address`); else to the brief's `url:`."""

from __future__ import annotations

from generator.make.html import online_address
from generator.project import Project
from generator.run.pipeline import load_brief

from .support import SAMPLE, copy_project, edit, run_cli

URL = "https://example.org/expert-advice"

#: A section only the web edition prints, written in Dutch only: every other language's page
#: prints a missing translation, so only the Dutch page is published.
WEB_ONLY_DUTCH = """sections:
  - id: "online-only"
    title: {nl: "Alleen online"}
    audiences: ["web"]
    body: {nl: "Deze tekst staat alleen op de website."}
"""


def _project(tmp_path, web_only_section: bool = False) -> Project:
    project = Project.at(copy_project(tmp_path))
    if web_only_section:
        edit(project.brief_file(SAMPLE), "sections:\n", WEB_ONLY_DUTCH)
    return project


def test_a_pdf_leads_to_the_web_page_in_its_own_language(tmp_path):
    brief = load_brief(_project(tmp_path), SAMPLE)
    for language in brief.languages:
        assert online_address(brief, language) == f"{URL}/{language}/"


def test_a_pdf_whose_web_page_is_not_published_leads_to_the_brief_address(tmp_path):
    brief = load_brief(_project(tmp_path, web_only_section=True), SAMPLE)
    assert online_address(brief, "nl") == f"{URL}/nl/"  # complete: published
    for language in ("en", "de", "fr", "pl"):  # the page prints a missing text: unpublished
        assert online_address(brief, language) == URL


def test_without_a_web_audience_a_pdf_leads_to_the_brief_address(tmp_path):
    project = _project(tmp_path)
    edit(project.brief_file(SAMPLE), "  handout:\n  web:\n", "  handout:\n")
    brief = load_brief(project, SAMPLE)
    assert all(a.medium != "web" for a in brief.audiences)
    assert online_address(brief, "en") == URL


def test_a_brief_with_two_web_audiences_is_refused_at_the_second(tmp_path):
    """Both would write out/<brief>/web/: the second is a located error, not a silent overwrite."""
    project = _project(tmp_path)
    audiences = project.audiences_file
    text = audiences.read_text(encoding="utf-8")
    web = text[text.index("\nweb:\n") + 1:]
    audiences.write_text(text + "\n" + web.replace("web:\n", "site:\n", 1), encoding="utf-8")
    edit(project.brief_file(SAMPLE), "  web:\n", "  web:\n  site:\n")
    result = run_cli(project, "check", SAMPLE)
    assert result.exit_code == 1
    line = project.brief_file(SAMPLE).read_text(encoding="utf-8").splitlines().index("  site:")
    assert (f"brief.yaml:{line + 1}:3: audiences 'web' and 'site' are both for the web"
            in result.output)
