"""Incremental builds: only outputs whose inputs changed are rendered; no-op builds stay light."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from generator.project import OutputId
from generator.run.build import build
from generator.run.manifest import MANIFEST_NAME

from .support import SAMPLE, edit, english

pytestmark = pytest.mark.slow  # renders PDFs in worker processes; starts subprocesses


def labels(outputs, kind="pdf"):
    """The outputs of one kind (`kinds`), as `audience.language`."""
    return sorted(f"{o.id.audience}.{o.id.language}" for o in outputs if o.id.kind == kind)


#: The sample's PDFs: the full brief and the handout in Dutch, the MEP brief in four languages.
ALL = ["full.nl", "handout.nl", "mep.de", "mep.en", "mep.fr", "mep.pl"]
#: Its web edition's pages (`kinds.web`), one per language.
WEB = ["web.de", "web.en", "web.fr", "web.nl", "web.pl"]


def test_second_build_skips_everything_and_leaves_pdfs_alone(project):
    first = build(project, [SAMPLE])
    assert labels(first.built) == ALL and labels(first.built, "web") == WEB
    stamps = {o.path: o.path.stat().st_mtime_ns for o in first.built}
    second = build(project, [SAMPLE])
    assert second.built == [] and len(second.skipped) == len(ALL) + len(WEB) and second.ok
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps


def test_an_edit_rebuilds_only_the_outputs_that_print_it(project):
    build(project, [SAMPLE])
    edit(english(project), "Expand police capacity.", "Expand police capacity now.")
    result = build(project, [SAMPLE])
    assert labels(result.built) == ["mep.en"]
    assert labels(result.built, "web") == ["web.en"]  # its text, and the PDF it offers
    assert sorted(result.skipped) == sorted(
        [*(OutputId(SAMPLE, *label.split(".")) for label in ALL if label != "mep.en"),
         *(OutputId(SAMPLE, *label.split("."), kind="web") for label in WEB
           if label != "web.en")])


def test_a_stylesheet_edit_rebuilds_the_audiences_that_use_it(project):
    build(project, [SAMPLE])
    (project.styles / "handout.css").write_text(
        (project.styles / "handout.css").read_text() + "\n/* touched */\n")
    assert labels(build(project, [SAMPLE]).built) == ["handout.nl"]


def test_missing_output_or_corrupt_manifest_means_rebuild(project):
    build(project, [SAMPLE])
    project.output_path(OutputId(SAMPLE, "full", "nl")).unlink()
    assert labels(build(project, [SAMPLE]).built) == ["full.nl"]
    (project.out / MANIFEST_NAME).write_text("{not json")
    assert labels(build(project, [SAMPLE]).built) == ALL


def test_force_rebuilds_all(project):
    build(project, [SAMPLE])
    assert len(build(project, [SAMPLE], force=True).built) == len(ALL) + len(WEB)


def test_a_no_op_build_does_not_import_weasyprint(project):
    build(project, [SAMPLE])
    code = ("import sys; from generator.run.build import build; from generator.project import "
            f"Project; r = build(Project.at({str(project.root)!r})); "
            "assert not r.built and r.skipped, r; "
            "print(*(m in sys.modules for m in ('weasyprint', 'generator.make.pdf', 'babel', "
            "'polib')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False", "False"]


def test_check_and_help_do_not_import_weasyprint(project):
    code = ("import sys; from click.testing import CliRunner; from generator.run.cli import main; "
            f"r = CliRunner().invoke(main, ['--project', {str(project.root)!r}, 'check']); "
            "assert r.exit_code == 0, r.output; "
            "h = CliRunner().invoke(main, ['--help']); assert h.exit_code == 0; "
            "print('weasyprint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_briefs_a_and_a_b_build_side_by_side_each_with_its_own_record(project):
    """`a` is a prefix of `a-b`: their outputs, folders and manifest records stay apart."""
    briefs = ["a", "a-b"]
    for brief_id in briefs:
        shutil.copytree(project.content / SAMPLE, project.content / brief_id)
    expected = sorted([*(OutputId(b, audience, language) for b in briefs
                         for audience, language in (label.split(".") for label in ALL)),
                       *(OutputId(b, audience, language, kind="web") for b in briefs
                         for audience, language in (label.split(".") for label in WEB))])

    first = build(project, briefs)
    assert first.ok, [e.format_message() for _, e in first.failed]
    assert sorted(o.id for o in first.built) == expected
    for brief_id in briefs:
        assert sorted(p.name for p in (project.out / brief_id).iterdir()) == [
            f"{brief_id}.full.nl.pdf", f"{brief_id}.handout.nl.booklet.pdf",
            f"{brief_id}.handout.nl.pdf", *(f"{brief_id}.{label}.pdf" for label in ALL[2:]),
            "web"]
    manifest = json.loads((project.out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["format"] == 2 and sorted(manifest["briefs"]) == briefs
    for brief_id in briefs:
        record = manifest["briefs"][brief_id]
        assert record["inputs"], brief_id
        assert sorted(record["outputs"]) == sorted(
            [*(label.replace(".", "/") for label in ALL),
             *(label.replace(".", "/") + "/@web" for label in WEB)])
        for key, entry in record["outputs"].items():
            pdf = project.output_path(OutputId.from_key(brief_id, key))
            assert entry["inputs"] and entry["size"] == str(pdf.stat().st_size)

    stamps = {o.path: o.path.stat().st_mtime_ns for o in first.built}
    second = build(project, briefs)
    assert second.ok and second.built == [] and sorted(second.skipped) == expected
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps

    edit(english(project, "a-b"), "Expand police capacity.", "Expand police capacity now.")
    third = build(project, briefs)
    changed = [OutputId("a-b", "mep", "en"), OutputId("a-b", "web", "en", kind="web")]
    assert [o.id for o in third.built] == changed
    assert sorted(third.skipped) == [i for i in expected if i not in changed]
