"""A brief written by a program (PyYAML's `safe_dump`, ruamel.yaml) reads as the one it was
written from: the checks that catch people's mistakes judge what YAML reads, not the shape of
the lines a program writes (a quoted text over several lines, `full: null` for an empty
audience)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from ruamel.yaml import YAML

from generator.project import Project
from generator.run.build import build
from generator.run.pipeline import load_brief, outputs, prepare

from .support import SAMPLE, copy_project, run_cli


def _ruamel(data: object, **settings: object) -> str:
    dumper = YAML(typ="safe", pure=True)
    dumper.default_flow_style = False
    for name, value in settings.items():
        setattr(dumper, name, value)
    stream = io.StringIO()
    dumper.dump(data, stream)
    return stream.getvalue()


def _ruamel_round_trip(text: str) -> str:
    dumper = YAML()
    stream = io.StringIO()
    dumper.dump(dumper.load(text), stream)
    return stream.getvalue()


Dump = Callable[[str], str]

#: Each way of writing a brief again: from the text as read by PyYAML (or ruamel, round trip).
DUMPS: dict[str, Dump] = {
    "safe_dump": lambda text: yaml.safe_dump(yaml.safe_load(text)),
    "safe_dump-unicode": lambda text: yaml.safe_dump(yaml.safe_load(text), allow_unicode=True),
    "safe_dump-narrow": lambda text: yaml.safe_dump(yaml.safe_load(text), allow_unicode=True,
                                                    width=30),
    "safe_dump-wide": lambda text: yaml.safe_dump(yaml.safe_load(text), allow_unicode=True,
                                                  width=10**6, sort_keys=False),
    "ruamel-safe": lambda text: _ruamel(yaml.safe_load(text)),
    "ruamel-narrow": lambda text: _ruamel(yaml.safe_load(text), width=30, allow_unicode=True),
    "ruamel-round-trip": _ruamel_round_trip,
}


def _rewrite(project: Project, brief_id: str, dump: Dump) -> None:
    """brief.yaml and audiences.yaml written again by `dump`."""
    for path in (project.content / brief_id / "brief.yaml", project.content / "audiences.yaml"):
        path.write_text(dump(path.read_text(encoding="utf-8")), encoding="utf-8")


def _htmls(project: Project, brief_id: str) -> dict[str, str]:
    brief = load_brief(project, brief_id)
    return {output.key: prepare(project, brief, output).html for output, _ in outputs(brief)}


def _warnings(output: str) -> list[str]:
    """A command's warnings without their lines (the lines differ in a file written again),
    the outputs one names in any order (a program may sort the audiences)."""
    found = []
    for line in output.splitlines():
        if ": warning: " not in line:
            continue
        text = line.split(": ", 1)[1]
        outputs = re.search(r" \(in ([^()]*)\)$", text)
        if outputs:
            text = text[:outputs.start()] + str(sorted(outputs[1].split(", ")))
        found.append(text)
    return sorted(found)


def _new_brief(root: Path) -> Project:
    project = Project.at(copy_project(root))
    result = run_cli(project, "new", "my-brief")
    assert result.exit_code == 0, result.output
    return project


@pytest.mark.parametrize("name", list(DUMPS))
@pytest.mark.parametrize("brief_id", [SAMPLE, "my-brief"])
def test_a_brief_written_by_a_program_checks_and_prints_the_same(tmp_path, name, brief_id):
    original = _new_brief(tmp_path / "original")
    again = _new_brief(tmp_path / "again")
    _rewrite(again, brief_id, DUMPS[name])
    written = (again.content / brief_id / "brief.yaml").read_text(encoding="utf-8")
    assert written != (original.content / brief_id / "brief.yaml").read_text(encoding="utf-8")
    before = run_cli(original, "check", brief_id)
    after = run_cli(again, "check", brief_id)
    assert after.exit_code == 0, after.output
    assert _warnings(after.output) == _warnings(before.output)
    assert _htmls(again, brief_id) == _htmls(original, brief_id)


def test_an_empty_audience_written_as_null(tmp_path):
    """`full: null`, `full: ~` and `full:` are an audience without overrides; a text is not."""
    project = Project.at(copy_project(tmp_path))
    path = project.content / SAMPLE / "brief.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  full:\n" in text
    for empty in ("null", "~", "Null", ""):
        path.write_text(text.replace("  full:\n", f"  full: {empty}\n", 1), encoding="utf-8")
        assert run_cli(project, "check", SAMPLE).exit_code == 0, empty
    path.write_text(text.replace("  full:\n", '  full: "null"\n', 1), encoding="utf-8")
    result = run_cli(project, "check", SAMPLE)
    assert result.exit_code == 1
    assert "overrides for audience 'full' must be a map of settings" in result.output


@pytest.mark.slow
@pytest.mark.parametrize("name", ["safe_dump", "ruamel-round-trip"])
def test_the_sample_written_by_a_program_builds_the_same_pdfs(tmp_path, sample_project,
                                                              sample_build, name):
    project = Project.at(copy_project(tmp_path))
    _rewrite(project, SAMPLE, DUMPS[name])
    result = build(project, [SAMPLE])
    assert result.ok, [error.format_message() for _, error in result.failed]
    assert len(result.built) == len(sample_build.built)
    for output in result.built:
        assert output.path.read_bytes() == sample_project.output_path(output.id).read_bytes(), \
            output.id
