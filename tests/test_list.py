"""`brief list`: every brief's outputs, their pages and whether each PDF is up to date, from the
manifest and the content's digests — nothing rendered."""

from __future__ import annotations

import pytest

from generator.project import OutputId
from generator.run.build import build
from generator.run.listing import (
    BRIEF_ERRORS,
    GONE,
    NEEDS_TRANSLATING,
    NOT_BUILT,
    OUT_OF_DATE,
    UP_TO_DATE,
    list_briefs,
)
from generator.run.manifest import Manifest

from .support import SAMPLE, TINY, edit, run_cli, write


def states(project, brief_id="tiny"):
    (found,) = list_briefs(project, [brief_id])
    return {f"{row.output.audience}.{row.output.language}": (row.state, row.pages)
            for row in found.outputs}


def test_nothing_built_yet(project):
    assert not project.out.exists()
    (found,) = list_briefs(project, [SAMPLE])
    assert [(r.output.audience, r.output.language, r.state, r.pages) for r in found.outputs] == [
        ("full", "nl", NOT_BUILT, None), ("mep", "en", NOT_BUILT, None),
        ("mep", "de", NOT_BUILT, None), ("mep", "fr", NOT_BUILT, None),
        ("mep", "pl", NOT_BUILT, None), ("handout", "nl", NOT_BUILT, None),
        # the web edition's pages (`kinds.web`), after the PDFs they list
        *(("web", language, NOT_BUILT, None) for language in ("nl", "en", "de", "fr", "pl"))]
    assert found.outputs[0].path == project.out / SAMPLE / f"{SAMPLE}.full.nl.pdf"
    assert not project.out.exists()  # listing writes nothing


def test_cli_prints_a_table(project):
    write(project, TINY)
    result = run_cli(project, "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(line for line in lines if "audience" in line)
    assert [cell.strip() for cell in header.strip("┃").split("┃")] == [
        "brief", "audience", "language", "file", "pages", "status"]
    row = next(line for line in lines if "tiny.mep.en.pdf" in line)
    assert [cell.strip() for cell in row.strip("│").split("│")] == [
        "", "mep", "en", "out/tiny/tiny.mep.en.pdf", "—", "not built"]
    # its 6 PDFs, 1 booklet, 5 web pages
    assert sum("expert-advice" in line for line in lines) == 12


def test_a_brief_with_errors(project):
    write(project, TINY.replace('date: "2024-05-01"', 'date: "2024-13-01"'))
    (found,) = list_briefs(project, ["tiny"])
    assert found.errors == 1 and found.outputs == ()
    result = run_cli(project, "list", "tiny")
    assert result.exit_code == 0 and "1 error(s): brief check tiny" in result.output


def test_an_unknown_brief_is_an_error(project):
    result = run_cli(project, "list", "nope")
    assert result.exit_code == 1 and "no brief 'nope'" in result.output


@pytest.mark.slow
def test_up_to_date_out_of_date_and_gone(project):
    path = write(project, TINY)
    assert build(project, ["tiny"]).ok
    assert states(project) == {"full.nl": (UP_TO_DATE, 1), "mep.en": (UP_TO_DATE, 1)}
    edit(path, 'en: "Text.[@src]"', 'en: "Other text.[@src]"')
    assert states(project) == {"full.nl": (UP_TO_DATE, 1), "mep.en": (OUT_OF_DATE, 1)}
    project.output_path(OutputId("tiny", "full", "nl")).unlink()
    assert states(project) == {"full.nl": (NOT_BUILT, None), "mep.en": (OUT_OF_DATE, 1)}
    edit(path, "audiences: [full, mep]", "audiences: [full]")
    assert states(project) == {"full.nl": (NOT_BUILT, None), "mep.en": (GONE, 1)}
    edit(path, 'date: "2024-05-01"', 'date: "May"')
    assert states(project) == {"mep.en": (BRIEF_ERRORS, 1)}


def test_stale_translations_and_a_digest_that_differs(project):
    """Outputs recorded (here by hand, with a digest no HTML has): one whose translation went
    stale needs translating, the other is out of date."""
    manifest = Manifest.load(project.out)
    for audience, language in (("mep", "en"), ("full", "nl")):
        output = OutputId(SAMPLE, audience, language)
        project.output_path(output).parent.mkdir(parents=True, exist_ok=True)
        project.output_path(output).write_bytes(b"%PDF-1.7 stand-in")
        manifest.record_output(output, "a digest no HTML has", pages=3)
    manifest.save()
    edit(project.brief_file(SAMPLE), "Een bloemlezing van adviezen",
         "Een nieuwe bloemlezing van adviezen")
    found = states(project, SAMPLE)
    assert found["mep.en"] == (NEEDS_TRANSLATING, 3)
    assert found["full.nl"] == (OUT_OF_DATE, 3)
    assert found["handout.nl"] == (NOT_BUILT, None)


def test_the_booklet_is_listed_under_its_output(project):
    """An audience that imposes a booklet (the sample's handout): its file is shown too, with
    its sheet sides once built."""
    (found,) = list_briefs(project, [SAMPLE])
    rows = {f"{r.output.audience}.{r.output.language}": r for r in found.outputs}
    assert rows["handout.nl"].booklet == project.out / SAMPLE / f"{SAMPLE}.handout.nl.booklet.pdf"
    assert rows["full.nl"].booklet is None and rows["mep.en"].booklet is None
    output = OutputId(SAMPLE, "handout", "nl")
    manifest = Manifest.load(project.out)
    project.output_path(output).parent.mkdir(parents=True)
    project.output_path(output).write_bytes(b"%PDF-1.7 stand-in")
    manifest.record_output(output, "a digest no HTML has", pages=8)
    manifest.save()
    lines = run_cli(project, "list", SAMPLE).output.splitlines()
    at = next(i for i, line in enumerate(lines) if f"{SAMPLE}.handout.nl.pdf" in line)
    assert [cell.strip() for cell in lines[at + 1].strip("│").split("│")] == [
        "", "", "", f"out/{SAMPLE}/{SAMPLE}.handout.nl.booklet.pdf", "4",
        "booklet of the above"], lines
