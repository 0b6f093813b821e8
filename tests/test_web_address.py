"""A PDF's "read online" link and QR code lead to the web edition's page in its language only
when the build publishes that page (`html.online_address`); else to the brief's `url:`."""

from __future__ import annotations

from generator.make.html import online_address
from generator.project import Project
from generator.run.pipeline import load_brief

from .support import SAMPLE, copy_project, edit

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
