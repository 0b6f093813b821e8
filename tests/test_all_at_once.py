"""Every problem at once: a mistake found early (a citation's key mistyped) does not hide those
later steps find (a stale translation, an unclosed `*`), in `brief check` and `brief build`;
and a brief that is not built counts its own outputs."""

from __future__ import annotations

import pytest

from generator.project import OutputId, Project
from generator.run.manifest import Manifest

from .support import SAMPLE, edit, run_cli

CITATION = ("content/expert-advice/brief.yaml:84:560: citation [@nr-over-onz] names no "
            "source; did you mean [@nr-over-ons]?")
STALE = ("content/expert-advice/translations/en.po:35: the en translation of section intro, "
         "body is stale")
UNCLOSED = ("content/expert-advice/brief.yaml:93:16: warning: `*` is never closed, so it "
            "prints as an asterisk")


def _three_mistakes(project: Project) -> None:
    path = project.brief_file(SAMPLE)
    edit(path, "[@nr-over-ons]", "[@nr-over-onz]")  # the first, in Dutch: line 84
    edit(path, "Dat is een belangrijk probleem,", "Dat is een zeer belangrijk probleem,")
    edit(path, "In november 2022 bracht", "In *november 2022 bracht")


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_citation_typo_hides_no_other_problem(project: Project, command: str):
    _three_mistakes(project)
    result = run_cli(project, command, SAMPLE)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert CITATION in lines, result.output
    assert any(line.startswith(STALE) for line in lines), result.output
    assert any(line.startswith(UNCLOSED) for line in lines), result.output
    # a source the mistyped citation no longer cites: not a warning of its own
    assert "'nr-over-ons' is cited only" not in result.output
    assert not project.output_path(OutputId(SAMPLE, "full", "nl")).exists()


def test_check_strict_reports_the_warnings_among_the_errors(project: Project):
    _three_mistakes(project)
    result = run_cli(project, "check", "--strict", SAMPLE)
    assert result.exit_code == 1
    assert UNCLOSED.replace(" warning:", "") in result.output


def test_a_valid_brief_still_checks(project: Project):
    result = run_cli(project, "check", SAMPLE)
    assert result.exit_code == 0, result.output


#: The sample's outputs: (audience, language).
SAMPLE_OUTPUTS = [("full", "nl"), ("handout", "nl"),
                  *(("mep", language) for language in ("en", "de", "fr", "pl"))]


def _last_build_in_the_manifest(project: Project, copies: int) -> None:
    """As a build and `brief personalise` leave it: the sample's outputs and personal copies
    recorded for the brief."""
    manifest = Manifest.load(project.out)
    outputs = [OutputId(SAMPLE, audience, language) for audience, language in SAMPLE_OUTPUTS]
    outputs += [OutputId(SAMPLE, "mep", "en", f"mep-{number}") for number in range(copies)]
    for output in outputs:
        path = output.path(project.out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.7\n")
        manifest.record_output(output, "digest")
    manifest.save()


@pytest.mark.parametrize("mistake", ["citation", "yaml"])
def test_a_failed_brief_counts_its_own_outputs(project: Project, mistake: str):
    """The sample makes 6 outputs; 12 personal copies (`brief personalise`'s) are not among
    them, whether the brief can be read (its outputs) or not (those of its last build)."""
    _last_build_in_the_manifest(project, 12)
    if mistake == "citation":
        edit(project.brief_file(SAMPLE), "[@nr-over-ons]", "[@nr-over-onz]")
    else:
        edit(project.brief_file(SAMPLE), "languages:", "languages: [")
    result = run_cli(project, "build", SAMPLE)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == ("0 built, 0 up to date, 6 outputs not built "
                                              "(1 brief with errors)"), result.output
