"""Messages that said more, or other, than what is wrong (issue 18): a recipient list that
cannot be read judges no placeholder; an unknown language code is one error; a leftover fuzzy
flag and a translated msgctxt are named for what they are; `brief translate --to` a language
the brief does not have is refused at `languages:`."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.project import Project

from .support import SAMPLE, run_cli


def _list(project: Project) -> Path:
    return project.content / SAMPLE / "recipients.csv"


@pytest.mark.parametrize("broken", ["windows-1252", "italian-header", "header-only"])
def test_a_list_that_cannot_be_read_judges_no_placeholder(project: Project, broken: str):
    path = _list(project)
    text = path.read_text(encoding="utf-8")
    if broken == "windows-1252":
        path.write_bytes(text.replace("Zoë", "Zoé").encode("cp1252", errors="replace"))
    elif broken == "italian-header":
        path.write_text(text.replace("id,name,language", "identificativo,nome,lingua", 1),
                        encoding="utf-8")
    else:
        path.write_text(text.splitlines()[0] + "\n", encoding="utf-8")
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep")
    assert result.exit_code == 1, result.output
    assert "recipients.csv" in result.output
    assert "unknown placeholder" not in result.output, result.output
    assert "personalised" not in result.output  # nothing could be made: said as an error
