"""The complete example in docs/content-format.md builds, and numbers notes as the page says."""

from __future__ import annotations

import pytest

from generator.project import OutputId
from generator.run.pipeline import load_brief

from .support import (
    DOCUMENTED_BRIEF,
    build_documented_example,
    footnote_calls,
    output_html,
    pages_text,
)

pytestmark = pytest.mark.slow  # renders PDFs


def test_documented_example_builds(project):
    result = build_documented_example(project)
    assert len(result.built) == 3

    brief = load_brief(project, DOCUMENTED_BRIEF)
    full_html, _ = output_html(project, brief, brief.audience("full"), "nl")
    mep_html, _ = output_html(project, brief, brief.audience("mep"), "en")
    assert [c.number for c in footnote_calls(full_html)] == [1, 2, 3]
    assert [c.number for c in footnote_calls(mep_html)] == [1, 2]
    full_text = "".join(pages_text(project.output_path(OutputId(DOCUMENTED_BRIEF, "full", "nl"))))
    assert "p. 4" in full_text and "Example Institute" in full_text
    mep_text = "".join(pages_text(project.output_path(OutputId(DOCUMENTED_BRIEF, "mep", "en"))))
    assert "[placeholder]" in mep_text
