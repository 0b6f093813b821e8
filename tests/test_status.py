"""`brief status`: per brief and language, texts, translated, stale, missing, and which outputs
can be built."""

from __future__ import annotations

from generator.project import Project
from generator.run.pipeline import status

from .support import SAMPLE, edit, run_cli

DUTCH = "Dat is een belangrijk probleem,"


def test_status_of_the_sample_is_all_translated(project: Project):
    [(brief_id, rows)] = status(project, [SAMPLE])
    assert brief_id == SAMPLE
    by_language = {row.language: row for row in rows}
    assert set(by_language) == {"nl", "en", "de", "fr", "pl"}
    for language in ("en", "de", "fr", "pl"):
        row = by_language[language]
        assert row.texts > 30 and row.translated == row.texts, language
        assert (row.stale, row.missing, row.buildable, row.blocked) == (0, 0, ("mep",), ())
    assert by_language["nl"].buildable == ("full", "handout")


def test_an_edited_original_shows_as_stale_and_blocks_its_output(project: Project):
    edit(project.brief_file(SAMPLE), DUTCH, "Dat is een zeer belangrijk probleem,")
    rows = {row.language: row for row in status(project, [SAMPLE])[0][1]}
    en = rows["en"]
    assert (en.stale, en.missing, en.translated) == (1, 0, en.texts - 1)
    assert (en.buildable, en.blocked) == ((), ("mep",))
    assert rows["nl"].blocked == ()
    assert rows["de"].stale == 1 and rows["de"].blocked == ("mep",)  # from the same original
    result = run_cli(project, "status", SAMPLE)
    assert result.exit_code == 0, result.output
    en_line = next(line for line in result.output.splitlines() if "│ en " in line)
    cells = [cell.strip() for cell in en_line.strip("│").split("│")]
    assert cells[:5] == ["en", str(en.texts), str(en.texts - 1), "1", "0"]
    assert cells[6] == "mep"
