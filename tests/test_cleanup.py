"""A process that rendered cleans up as it ends: WeasyPrint's temporary font folders removed
while the interpreter is whole (no "Exception ignored in FontConfiguration.__del__" at exit, no
folder left in the temporary directory), in the process itself and in its workers."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from generator.make.pdf import _SESSIONS, close_sessions

from .support import SAMPLE

pytestmark = pytest.mark.slow  # renders PDFs

SCRIPT = textwrap.dedent("""\
    import sys
    from generator.run.pipeline import load_brief, prepare
    from generator.project import OutputId, Project
    from generator.run.workers import RenderJob, RenderPool

    def main():
        project = Project.at(sys.argv[1])
        brief = load_brief(project, "{brief}")
        jobs = []
        for audience, language in (("handout", "nl"), ("mep", "en")):
            output = OutputId(brief.id, audience, language)
            prepared = prepare(project, brief, output)
            jobs.append(RenderJob(output, prepared.html, brief.folder, prepared.audience,
                                  output.filename, brief.path))
        if sys.argv[2] == "here":
            for job in jobs:
                job.render(project)
        else:
            with RenderPool(project, 2) as pool:
                assert all(outcome.error is None for outcome in pool.run(jobs))
        print("rendered")

    if __name__ == "__main__":
        main()
    """).format(brief=SAMPLE)


@pytest.mark.parametrize("where", ["here", "workers"])
def test_a_process_that_rendered_leaves_no_font_folder(project, tmp_path, where):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    script = tmp_path / "render.py"
    script.write_text(SCRIPT, encoding="utf-8")
    run = subprocess.run([sys.executable, str(script), str(project.root), where],
                         capture_output=True, text=True, check=False, timeout=600,
                         env={**os.environ, "TMPDIR": str(temporary)})
    assert run.returncode == 0 and "rendered" in run.stdout, run.stderr
    assert "Exception ignored" not in run.stderr, run.stderr
    assert not list(temporary.glob("weasyprint-*")), list(temporary.iterdir())


def test_close_sessions_removes_the_font_folders(project):
    from generator.project import OutputId
    from generator.run.pipeline import load_brief, prepare
    from generator.run.workers import RenderJob

    brief = load_brief(project, SAMPLE)
    output = OutputId(SAMPLE, "handout", "nl")
    prepared = prepare(project, brief, output)
    RenderJob(output, prepared.html, brief.folder, prepared.audience, output.filename,
              brief.path).render(project)
    folders = [session.font_config._folder for session in _SESSIONS.values()]
    assert folders and all(folder is not None and folder.is_dir() for folder in folders)
    close_sessions()
    assert not _SESSIONS
    assert not any(folder.exists() for folder in folders)
