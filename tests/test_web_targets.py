"""The web edition's small targets and furniture in a real browser (tests/browser/check.mjs):
the contact block's links are 24 px targets (WCAG 2.5.8), whatever its addresses; axe finds
nothing on a page with a contact block, a wide and a narrow table, and on its chooser."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.make.web import render_page
from generator.project import Project
from generator.run.pipeline import load_brief

from .browser_check import CHROMIUM, HERE, SECONDS, check_pages, require_browser
from .support import SAMPLE, copy_project, write
from .test_web_browser import write_web_edition

pytestmark = pytest.mark.slow  # starts Node and a headless Chromium

CONTACT = textwrap.dedent("""\
    title: {en: "Targets", el: "Στόχοι"}
    organisation: {en: "Association for digital rights", el: "Ένωση για τα ψηφιακά δικαιώματα"}
    date: "2024-05-01"
    url: "https://example.org/targets"
    languages: [en, el]
    audiences: [web]
    contact:
      name: "Policy team"
      email: "a.very.long.address.for.the.policy.team@example.org"
      url: "https://example.org/contact/the-policy-team"
    sections:
      - id: tables
        title: {en: "Tables", el: "Πίνακες"}
        body:
          en: |
            The wide one:

            | A | B | C | D | E |
            |---|---|---|---|---|
            | 1 | 2 | 3 | 4 | 5 |

            No lead-in here.

            | A | B |
            |---|---|
            | 1 | 2 |
          el: |
            Ο πλατύς:

            | Α | Β | Γ | Δ | Ε |
            |---|---|---|---|---|
            | 1 | 2 | 3 | 4 | 5 |

            Χωρίς εισαγωγή.

            | Α | Β |
            |---|---|
            | 1 | 2 |
    """)


def test_axe_finds_nothing_on_a_page_with_a_contact_block_and_tables(edition):
    pages = edition
    folder = pages[-1].parent
    reports = check_pages([(page, folder) for page in pages])
    for page, report in zip(pages, reports, strict=True):
        assert not report.violations, (page, report.violations)
        assert report.reflow_ok, (page, report.wide)
        assert not report.leaving and not report.failed and not report.csp, page


def boxes(page, *selectors: str, width: int = 1280) -> dict:
    """What Chromium draws for `selectors` on `page` (tests/browser/boxes.mjs)."""
    require_browser()
    chromium = next(path for path in CHROMIUM if Path(path).exists())
    done = subprocess.run(["node", str(HERE / "boxes.mjs"), "--chromium", chromium, "--width",
                           str(width), page.as_uri(), *selectors],
                          capture_output=True, text=True, timeout=SECONDS, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    project = Project.at(copy_project(tmp_path_factory.mktemp("targets")))
    write(project, CONTACT, "targets")
    return write_web_edition(project, "targets")


@pytest.mark.parametrize("width", (1280, 320))
def test_the_contact_links_are_at_least_24_px_high_and_apart(edition, width):
    drawn = boxes(edition[0], "section.contact a", width=width)["boxes"]["section.contact a"]
    assert len(drawn) == 2
    for link in drawn:
        assert link["height"] >= 24, link
    first, second = drawn
    assert second["y"] - first["y"] >= 24


def test_the_small_print_is_set_in_inter_regular_and_the_date_does_not_wrap(edition):
    found = boxes(edition[0], "p.meta", "footer.colophon time", "section.downloads .details",
                  width=320)
    assert found["boxes"]["p.meta"][0]["weight"] == "400"
    [date] = found["boxes"]["footer.colophon time"]
    assert date["lines"] == 1 and date["whiteSpace"] == "nowrap"
    loaded = {(f["family"].strip('"'), f["weight"], f["style"]) for f in found["fonts"]
              if f["status"] == "loaded"}
    assert ("Inter", "400", "normal") in loaded and ("Inter", "600", "normal") in loaded


def test_a_printed_draft_says_so_on_every_page(tmp_path):
    project = Project.at(copy_project(tmp_path))
    brief = load_brief(project, SAMPLE)
    audience = brief.audience("web")
    page = render_page(project, brief, audience, "de", published=("nl",), downloads=(),
                       draft=True)
    folder = project.out / SAMPLE / "web"
    for name, data in page.files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / "de" / "index.html").write_text(page.html, encoding="utf-8")
    require_browser()
    chromium = next(path for path in CHROMIUM if Path(path).exists())
    pdf = tmp_path / "printed.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    f"--print-to-pdf={pdf}", (folder / "de" / "index.html").as_uri()],
                   capture_output=True, timeout=SECONDS, check=True)
    pages = ["".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages]
    assert len(pages) > 2  # (spaces left out: the extraction loses some)
    assert all("Entwurf–nichtzurWeitergabe" in text for text in pages), pages[1][:200]
