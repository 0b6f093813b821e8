"""brief watch: a save rebuilds the outputs it affects; a broken save keeps the last good PDF."""

from __future__ import annotations

import threading
import time

import pytest

from generator.project import OutputId
from generator.run.watch import fixed, watch

from .support import SAMPLE, edit, english

pytestmark = pytest.mark.slow  # renders PDFs in worker processes


def wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_watch_rebuilds_what_a_save_affects_and_survives_mistakes(project):
    results, errors = [], []
    stop = threading.Event()
    thread = threading.Thread(target=watch, daemon=True, kwargs={
        "project": project, "brief_ids": None, "jobs": 1, "stop_event": stop,
        "on_result": lambda result, error: (results.append(result) if result else
                                            errors.append(error))})
    thread.start()
    try:
        assert wait_for(lambda: results and len(results[0].built) == 11)  # 6 PDFs, 5 web pages
        mep = project.output_path(OutputId(SAMPLE, "mep", "en"))
        full = project.output_path(OutputId(SAMPLE, "full", "nl"))
        good_mep, good_full = mep.read_bytes(), full.read_bytes()

        # A half-written save: reported, and the PDFs stay as they were.
        edit(project.brief_file(SAMPLE), 'date: "2023-01-01"', 'date: "2023-01-01')
        assert wait_for(lambda: len(results) >= 2 and results[-1].failed)
        assert "brief.yaml:" in results[-1].failed[0][1].format_message()
        assert mep.read_bytes() == good_mep and full.read_bytes() == good_full

        # The fix, with an edit only the MEP brief prints: only that output is rendered.
        edit(project.brief_file(SAMPLE), 'date: "2023-01-01', 'date: "2023-01-01"')
        edit(english(project), "Expand police capacity.", "Expand police capacity!")
        assert wait_for(lambda: results[-1].built and not results[-1].failed)
        assert [f"{o.id.audience}.{o.id.language}" for o in results[-1].built] == [
            "mep.en", "web.en"]  # and the web page in English, which offers that PDF
        broken = max(i for i, result in enumerate(results) if result.failed)
        mended = fixed(results[broken], results[broken + 1])  # said in the terminal
        assert [m.brief for m in mended] == [SAMPLE]
        assert mended[0].built + mended[0].up_to_date == 11
        assert mep.read_bytes() != good_mep and full.read_bytes() == good_full

        # A renamed brief builds under its new name.
        (project.content / SAMPLE).rename(project.content / "renamed")
        assert wait_for(lambda: project.output_path(OutputId("renamed", "full", "nl")).exists())
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
