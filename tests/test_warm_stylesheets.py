"""A warm worker (`brief watch`'s pool) parses an audience's stylesheets once per state of the
files: a stylesheet they `@import` saved since is parsed again, so the PDF shows it."""

from __future__ import annotations

import pytest

from generator.project import OutputId, Project
from generator.run.build import build
from generator.run.workers import RenderPool

from .support import SAMPLE, copy_project

pytestmark = pytest.mark.slow


def test_an_imported_stylesheet_saved_between_two_builds_is_read_again(tmp_path):
    project = Project.at(copy_project(tmp_path))
    mep = project.styles / "mep.css"
    mep.write_text('@import "extra.css";\n' + mep.read_text(encoding="utf-8"), encoding="utf-8")
    extra = project.styles / "extra.css"
    extra.write_text("h1 { color: rgb(200, 0, 0); }\n", encoding="utf-8")
    pdf = project.output_path(OutputId(SAMPLE, "mep", "en"))
    with RenderPool(project, 1) as pool:
        assert build(project, [SAMPLE], pool=pool).ok
        first = pdf.read_bytes()
        extra.write_text("h1 { color: rgb(0, 0, 200); }\n", encoding="utf-8")
        again = build(project, [SAMPLE], pool=pool)
        assert again.ok
        assert OutputId(SAMPLE, "mep", "en") in {o.id for o in again.built}
        assert pdf.read_bytes() != first  # the new colour, not the parse cached for the old
