"""project: an output's identity (`OutputId`) and the folder names a brief id may have."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.project import OutputId, Project
from generator.run.manifest import MANIFEST_NAME

from .support import SAMPLE, copy_project, run_cli

# ---------------------------------------------------------------------------------------------
# OutputId: the key, file name and path of an output derive from it alone

PLAIN = OutputId("b", "full", "nl")
PERSONAL = OutputId("b", "full", "nl", "jan")


def test_key_is_audience_and_language_and_recipient_when_there_is_one():
    assert PLAIN.key == "full/nl"
    assert PERSONAL.key == "full/nl/jan"
    assert OutputId.from_key("b", PLAIN.key) == PLAIN
    assert OutputId.from_key("b", PERSONAL.key) == PERSONAL


def test_filename_names_brief_audience_and_language_or_the_recipient():
    assert PLAIN.filename == "b.full.nl.pdf"
    assert PERSONAL.filename == "jan.pdf"


def test_path_is_in_the_brief_folder_and_personal_copies_in_their_own():
    out = Path("/project/out")
    assert PLAIN.path(out) == out / "b" / "b.full.nl.pdf"
    assert PERSONAL.path(out) == out / "b" / "personal" / "full" / "jan.pdf"
    project = Project.at("/project")
    assert project.output_path(PLAIN) == PLAIN.path(project.out) == out / "b" / "b.full.nl.pdf"


def test_output_ids_sort_by_brief_audience_language_then_recipient():
    ids = [OutputId("b", "mep", "en"), OutputId("a-b", "full", "nl"), OutputId("a", "full", "nl"),
           OutputId("a", "full", "en", "jan"), OutputId("a", "full", "en"),
           OutputId("a", "handout", "nl")]
    assert sorted(ids) == [OutputId("a", "full", "en"), OutputId("a", "full", "en", "jan"),
                           OutputId("a", "full", "nl"), OutputId("a", "handout", "nl"),
                           OutputId("a-b", "full", "nl"), OutputId("b", "mep", "en")]


def test_output_ids_are_values():
    assert OutputId("b", "full", "nl") == PLAIN and PLAIN != PERSONAL
    assert len({PLAIN, OutputId("b", "full", "nl"), PERSONAL}) == 2
    with pytest.raises(AttributeError):
        PLAIN.brief = "c"  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# Brief ids: a folder name that is not one is a located error, from check and from build

BAD_FOLDERS = {"Expert Advice": "expert-advice", "a.b": "a-b"}


@pytest.mark.parametrize("args", [
    pytest.param(("check",), id="check"),
    pytest.param(("build", *BAD_FOLDERS), id="build-them"),
    pytest.param(("build",), id="build-all", marks=pytest.mark.slow),  # renders the sample
])
def test_a_folder_name_that_is_no_brief_id_is_a_located_error(project, args):
    for folder in BAD_FOLDERS:
        shutil.copytree(project.content / SAMPLE, project.content / folder)

    result = run_cli(project, *args)

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    for folder, suggestion in BAD_FOLDERS.items():
        [line] = [text for text in lines if text.startswith(f"content/{folder}/brief.yaml:1: ")]
        assert f"brief id {folder!r} (the folder's name)" in line, line
        assert f"rename the folder to {suggestion!r}" in line, line
    if args[0] == "build":
        assert not (project.out / "Expert Advice").exists() and not (project.out / "a.b").exists()
        manifest = json.loads((project.out / MANIFEST_NAME).read_text(encoding="utf-8"))
        assert set(manifest["briefs"]) <= {SAMPLE}, manifest
    if args == ("build",):  # the good brief beside them still builds
        assert "11 built, 0 up to date, 2 briefs with errors, not built" in result.output, \
            result.output
        assert sorted(p.name for p in project.out.iterdir()) == [MANIFEST_NAME, SAMPLE]


# ---------------------------------------------------------------------------------------------
# Test projects hold the sample brief only


def test_a_copied_project_holds_the_sample_brief_only(tmp_path):
    """Another brief under content/ (an organisation's own) is not copied into test projects."""
    repo = copy_project(tmp_path / "repo")
    shutil.copytree(repo / "content" / SAMPLE, repo / "content" / "someone-elses-brief")
    (repo / "content" / "someone-elses-brief" / "notes.txt").write_text("not for tests")

    copy = Project.at(copy_project(tmp_path / "copy", source=repo))

    assert copy.brief_ids() == [SAMPLE]
    assert sorted(p.name for p in copy.content.iterdir()) == ["audiences.yaml", SAMPLE]
    assert (copy.styles / "fonts").is_dir() and (copy.templates / "brief.html.j2").is_file()


def test_the_project_fixture_holds_the_sample_brief_only(project):
    assert project.brief_ids() == [SAMPLE]
