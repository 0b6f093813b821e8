"""Provisional PDFs in `brief watch` (`typeset.carry`, `build.Guesses`): after a save, the
repairs of an output's last settled layout are carried to its new HTML and laid out once on an
idle worker; that PDF is written first, the settled one (made from the plain draft as always)
after it — the bytes that stay are those of the inputs alone."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.errors import Mark, RenderError
from generator.make.pdf import render_pdf
from generator.make.typeset import Draft
from generator.make.typeset.carry import Guess, GuessMissed, carry
from generator.project import OutputId, Project
from generator.run.build import Guesses, build
from generator.run.pipeline import load_brief, prepare
from generator.run.scheduler import Planned, Scheduler
from generator.run.workers import GuessJob, RenderPool

from .support import SAMPLE, copy_project, edit, english

ORIGINAL = "<p>one two</p>\n<p>three four five</p>\n<p>six seven</p>\n"
KEEP = '<span class="brief-keep-whole">four</span>'


def test_carry_edits_the_lines_the_repairs_edited_where_the_save_left_them():
    settled = Draft(ORIGINAL.replace("four", KEEP).replace("seven", "se\u00advn"),
                    (".x { hyphens: manual; }",))
    new = ORIGINAL.replace("one two", "one two and a half")  # the save: another line
    carried = carry(ORIGINAL, settled, new)
    assert carried == Draft(f"<p>one two and a half</p>\n<p>three {KEEP} five</p>\n"
                            "<p>six se\u00advn</p>\n", (".x { hyphens: manual; }",))


def test_carry_leaves_a_line_the_save_changed_as_the_save_wrote_it():
    settled = Draft(ORIGINAL.replace("four", KEEP))
    new = ORIGINAL.replace("three four five", "three four five six")
    carried = carry(ORIGINAL, settled, new)
    assert carried is not None and KEEP not in carried.html
    assert carried.html == new


def test_carry_is_nothing_without_repairs():
    assert carry(ORIGINAL, Draft(ORIGINAL), ORIGINAL.replace("one", "uno")) is None


def test_carry_keeps_the_css_when_no_line_was_edited():
    carried = carry(ORIGINAL, Draft(ORIGINAL, ("a { b: c; }",)), "<p>new</p>\n")
    assert carried == Draft("<p>new</p>\n", ("a { b: c; }",))


@pytest.mark.slow  # renders PDFs
def test_a_guess_with_more_defects_than_it_may_have_is_refused(project):
    brief = load_brief(project, SAMPLE)
    output = OutputId(SAMPLE, "full", "nl")
    prepared = prepare(project, brief, output)
    settled = render_pdf(prepared.html, brief.folder, prepared.audience, project,
                         output_name="full", identifier="full", brand=brief.brand)
    assert settled.settled is not None and settled.settled.html != prepared.html  # repaired
    assert not settled.defects
    with pytest.raises(GuessMissed):  # the plain draft has the defects settling repaired
        render_pdf(prepared.html, brief.folder, prepared.audience, project,
                   output_name="full", identifier="full", brand=brief.brand,
                   guess=Guess(Draft(prepared.html), 0))
    again = render_pdf(prepared.html, brief.folder, prepared.audience, project,
                       output_name="full", identifier="full", brand=brief.brand,
                       guess=Guess(settled.settled))
    assert again.pdf == settled.pdf  # the settled draft, laid out once: the same PDF


@pytest.mark.slow  # renders PDFs in worker processes
def test_a_rebuild_writes_a_provisional_pdf_then_the_settled_one(project, tmp_path):
    full = OutputId(SAMPLE, "full", "nl")
    guesses = Guesses()
    with RenderPool(project, 2) as pool:
        assert build(project, pool=pool, guesses=guesses).ok
        assert full in guesses.settled
        edit(project.brief_file(SAMPLE), "onderzoekt de aard", "onderzoekt nauwgezet de aard")
        result = build(project, pool=pool, guesses=guesses)
    assert result.ok
    assert result.provisional == [full]  # one output rebuilt, a worker idle: guessed
    assert [o.id for o in result.built if o.id.kind == "pdf"] == [full]
    # what stays is what a build without guesses makes of the same inputs
    twin = copy_project(tmp_path / "twin", project.root)
    twin_project = Project.at(twin)
    assert build(twin_project, force=True).ok
    assert project.output_path(full).read_bytes() == twin_project.output_path(full).read_bytes()


@pytest.mark.slow  # renders PDFs in worker processes
def test_with_one_worker_the_provisional_pdf_goes_first_and_the_settled_one_follows(project):
    full = OutputId(SAMPLE, "full", "nl")
    guesses = Guesses()
    with RenderPool(project, 1) as pool:
        assert build(project, pool=pool, guesses=guesses).ok
        edit(project.brief_file(SAMPLE), "onderzoekt de aard", "onderzoekt nauwgezet de aard")
        result = build(project, pool=pool, guesses=guesses)
        assert result.ok and result.provisional == [full]
        # a template change rebuilds every PDF: no worker is idle when the next ones are
        # prepared, so only the first gets a provisional render
        edit(project.templates / "base.html.j2", "</body>", "<!-- -->\n</body>")
        result = build(project, pool=pool, guesses=guesses)
    assert result.ok and len(result.provisional) <= 1


@pytest.mark.slow  # renders PDFs in worker processes
def test_a_saved_text_is_on_the_web_page_before_its_pdf_is_rendered(project, tmp_path,
                                                                   monkeypatch):
    import generator.run.build as build_module

    page = project.out / SAMPLE / "web" / "en" / "index.html"
    guesses = Guesses()
    with RenderPool(project, 2) as pool:
        assert build(project, pool=pool, guesses=guesses).ok
        assert "Expertise Centre for Online" in page.read_text(encoding="utf-8")
        edit(english(project), "Expertise Centre for Online", "Expertise Center for Online")
        seen_when_taken = []
        take = build_module._Build.take

        def spy(self, judged):
            shown = page.read_text(encoding="utf-8")
            seen_when_taken.append("Expertise Center for Online" in shown)
            take(self, judged)

        monkeypatch.setattr(build_module._Build, "take", spy)
        result = build(project, pool=pool, guesses=guesses)
    assert result.ok
    assert seen_when_taken == [True]  # the page had the new text before mep.en was written
    assert sorted(f"{o.id.audience}.{o.id.language}" for o in result.built) == [
        "mep.en", "web.en"]  # the page said built, once
    twin = Project.at(copy_project(tmp_path / "twin", project.root))
    assert build(twin, force=True).ok  # what stays is what a build without guesses makes
    assert page.read_bytes() == (twin.out / SAMPLE / "web" / "en" / "index.html").read_bytes()


@dataclass(frozen=True)
class _Echo:
    """A job that renders nothing: it gives back its word (a worker runs it)."""

    word: str
    output_name: str = "echo"
    content_file: Path = Path("brief.yaml")

    @property
    def output(self) -> OutputId:
        return OutputId(SAMPLE, "full", "nl")

    def render(self, project: Project) -> str:
        return self.word


@pytest.mark.slow  # starts a worker process
def test_a_job_started_early_is_judged_by_the_run_that_plans_it_and_dropped_otherwise(
        project):
    with RenderPool(project, 1) as pool:
        scheduler = Scheduler(project, 1, pool=pool)
        orphan, early, later = _Echo("orphan"), _Echo("early"), _Echo("later")
        assert scheduler.submit(orphan)  # its brief fails since: no run plans it
        assert not scheduler.submit(early)  # the only worker is busy
        judged = list(scheduler.run([Planned(later.output, later, "digest", "later")]))
        assert [j.result for j in judged] == ["later"]  # the orphan's outcome dropped
        assert scheduler.submit(early)
        judged = list(scheduler.run([Planned(early.output, early, "digest", "early")]))
        assert [j.result for j in judged] == ["early"]
        assert not scheduler.submitted


@pytest.mark.slow  # renders PDFs in worker processes
def test_a_stylesheet_save_gets_provisional_pdfs_too(project):
    guesses = Guesses()
    with RenderPool(project, 2) as pool:
        assert build(project, pool=pool, guesses=guesses).ok
        edit(project.styles / "brief.css", "color: var(--ink);", "color: var(--ink); ")
        result = build(project, pool=pool, guesses=guesses)
    assert result.ok
    assert OutputId(SAMPLE, "full", "nl") in result.provisional  # the same HTML, new CSS
    assert len(result.provisional) <= 2  # one a worker idle when it was prepared


@pytest.mark.slow  # renders PDFs in worker processes
def test_a_provisional_pdf_is_taken_back_when_the_settled_render_fails(project, monkeypatch):
    """The settled render failing (a time or memory limit, a crash) after the provisional PDF
    was written: the files are as the last good build left them, as any failed build leaves
    them (the provisional printed a text that does not build)."""
    full = OutputId(SAMPLE, "full", "nl")
    guesses = Guesses()
    with RenderPool(project, 2) as pool:
        assert build(project, pool=pool, guesses=guesses).ok
        good = project.output_path(full).read_bytes()
        run = Scheduler.run

        def settle_fails(self, planned, footnotes=None, meanwhile=None):
            judged = list(run(self, planned, footnotes, meanwhile))
            guessed = [j for j in judged if isinstance(j.planned.job, GuessJob)]
            assert guessed and guessed[0].error is None  # the provisional PDF is made
            yield from guessed
            for j in judged:
                if j not in guessed:
                    yield dataclasses.replace(j, result=None, error=RenderError(
                        Mark(project.brief_file(SAMPLE), 1), "rendering took too long"))

        monkeypatch.setattr(Scheduler, "run", settle_fails)
        edit(project.brief_file(SAMPLE), "onderzoekt de aard", "onderzoekt nauwgezet de aard")
        result = build(project, pool=pool, guesses=guesses)
    assert result.provisional == [full]  # written, then taken back
    assert [what for what, _ in result.failed] == [full]
    assert project.output_path(full).read_bytes() == good
