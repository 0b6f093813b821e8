"""docs/audiences.md's worked example is real: the one-page leave-behind in
docs/examples/leave-behind/, installed as the page says, builds one page from the sample brief
with its title, key messages, contact block and QR code; and the page quotes those files in full.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import fields

import pytest

from generator.make.html import Document, RenderedSection
from generator.project import OutputId, Project
from generator.read.model import AUDIENCE_KEYS, PRINT_KEYS
from generator.run.build import build
from generator.run.pipeline import check
from generator.text.locale import WORDS

from .support import REPO, SAMPLE, edit, pages_text, squash, yaml_block_after

DOC = REPO / "docs" / "audiences.md"
EXAMPLE = REPO / "docs" / "examples" / "leave-behind"
LEAVE_BEHIND = OutputId(SAMPLE, "leave-behind", "en")

#: The sample's top-level sections that every other audience prints (they have no
#: `audiences:`): a one-page leave-behind leaves them out.
OTHER_SECTIONS = ("intro", "nationaal-rapporteur", "csg", "slachtofferhulp", "nscr", "eokm")


def install_leave_behind(project: Project) -> None:
    """Steps 1–4 of "Add it to a project and a brief" in docs/audiences.md."""
    shutil.copy2(EXAMPLE / "leave-behind.html.j2", project.templates)
    shutil.copy2(EXAMPLE / "leave-behind.css", project.styles)
    with project.audiences_file.open("a", encoding="utf-8") as audiences:
        audiences.write("\n" + (EXAMPLE / "audiences.yaml").read_text(encoding="utf-8"))
    brief = project.brief_file(SAMPLE)
    edit(brief, "  handout:\n", '  handout:\n  leave-behind:\n')
    edit(brief, '    audiences: ["full", "mep", "web"]\n',
         '    audiences: ["full", "mep", "web", "leave-behind"]\n')
    for section in OTHER_SECTIONS:
        edit(brief, f'  - id: "{section}"\n',
             f'  - id: "{section}"\n    audiences: ["full", "mep", "handout", "web"]\n')
    summary = yaml_block_after(DOC.read_text(encoding="utf-8"),
                               "A summary for the leave-behind alone is written the same way:")
    edit(brief, "contact:\n", summary + "contact:\n")


def _block(doc: str, caption: str, language: str) -> str:
    match = re.search(re.escape(caption) + rf":?\s*```{language}\n(.*?)```", doc, re.DOTALL)
    assert match, f"no ```{language} block after {caption!r} in docs/audiences.md"
    return match[1]


@pytest.mark.parametrize(("name", "language"), [
    ("audiences.yaml", "yaml"), ("leave-behind.html.j2", "jinja"), ("leave-behind.css", "css")])
def test_the_page_quotes_the_example_files_in_full(name, language):
    doc = DOC.read_text(encoding="utf-8")
    shown = _block(doc, f"`docs/examples/leave-behind/{name}`", language)
    assert shown == (EXAMPLE / name).read_text(encoding="utf-8")


def test_the_installed_example_checks_without_warnings(project):
    install_leave_behind(project)
    briefs, warnings = check(project, [SAMPLE])
    assert briefs
    # The sample's placeholders are its only warnings: none about the leave-behind's design
    # (a summary or contact block it has no place for, a QR code with nothing to link to).
    about_design = [w.format_message() for w in warnings
                    if "leave-behind" in w.format_message() and "placeholder" not in
                    w.format_message()]
    assert about_design == []


@pytest.mark.slow
def test_the_leave_behind_builds_one_page(project):
    install_leave_behind(project)
    result = build(project, [SAMPLE])
    assert result.ok, [e.format_message() for _, e in result.failed]
    pdf = project.output_path(LEAVE_BEHIND)
    pages = pages_text(pdf)
    assert len(pages) == 1
    text = squash(pages[0]).casefold()  # headings are upper-cased by the stylesheet

    def prints(words: str) -> bool:
        return squash(words).casefold() in text

    assert prints("Preventing sexual abuse of children and young people")  # the title
    assert prints("prevention works, scanning everyone")  # the summary
    assert prints("Key messages") and prints("Invest in prevention that works")
    assert prints("Contact") and prints("Policy team") and prints("policy@example.org")
    assert prints("Read the full brief online") and prints("example.org/expert-advice")
    assert not prints("National Rapporteur")  # the sections it leaves out


def test_the_page_names_everything_a_template_gets_and_every_setting():
    """A field added to `Document`, a word to the catalogs or a key to audiences.yaml is
    documented in docs/audiences.md."""
    doc = DOC.read_text(encoding="utf-8")
    assert [f.name for f in fields(Document) if f"`doc.{f.name}`" not in doc] == []
    assert [f.name for f in fields(RenderedSection) if f"`s.{f.name}`" not in doc] == []
    assert [key for key in WORDS if f"`.{key}`" not in doc and f"`doc.labels.{key}`" not in doc] \
        == []
    settings = doc.split("## The settings", 1)[1].split("\n## ", 1)[0]
    assert [key for key in (*AUDIENCE_KEYS, *PRINT_KEYS) if f"`{key}`" not in settings] == []
