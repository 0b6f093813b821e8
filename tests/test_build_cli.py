"""build + cli: whole runs through click, atomic writes, reproducibility, template errors."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pikepdf
import pytest

import generator.run.cli
from generator.errors import BriefErrors, Bug, ContentError, Mark, WriteError
from generator.project import OutputId
from generator.run.build import BuildResult, build
from generator.run.pipeline import load_brief
from generator.run.write import write_atomic

from .support import SAMPLE, TINY, edit, output_html, pages_text, run_cli, write

GOLDEN = Path(__file__).parent / "golden"


def test_check_on_the_sample_is_clean(project):
    result = run_cli(project, "check")
    assert result.exit_code == 0, result.output
    # only the placeholders the sample lists (date, url, contact), in each output printing them;
    # the same one in several outputs once, naming them
    lines = result.output.splitlines()
    assert lines[-1] == "ok: 1 brief(s) checked, 16 warning(s)"
    assert all("print a placeholder" in line or "prints a placeholder" in line
               for line in lines[:-1]) and len(lines) == 17
    assert ("content/expert-advice/brief.yaml:9:24: warning: 6 outputs print a placeholder (url: "
            "'https://example.org/expert-advice'); replace it before sending, then remove 'url' "
            "from `placeholders:` (in full.nl, mep.en, mep.de, mep.fr, mep.pl, handout.nl)"
            ) in lines


def test_check_reports_every_error_with_file_and_line_and_exits_1(project):
    path = project.brief_file(SAMPLE)
    edit(path, 'date: "2023-01-01"', 'date: "2023-02-30"')
    edit(path, "[@nr-over-ons]", "[@nr-over-on]")
    result = run_cli(project, "check")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert any(line.startswith("content/expert-advice/brief.yaml:6:7: date") for line in lines)
    assert any("[@nr-over-on] names no source; did you mean [@nr-over-ons]?" in line
               for line in lines)
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_failed_build_keeps_the_earlier_pdf_byte_identical(project):
    assert run_cli(project, "build", SAMPLE).exit_code == 0
    outputs = sorted(project.out.glob(f"{SAMPLE}/*.pdf"))
    assert len(outputs) == 7  # six outputs (mep in en, de, fr, pl) and the handout's booklet
    before = {p: p.read_bytes() for p in outputs}
    edit(project.brief_file(SAMPLE), "sections:", "sections:\n  - id: intro\n    body: 3\n")
    result = run_cli(project, "build", SAMPLE)
    assert result.exit_code == 1
    assert "content/expert-advice/brief.yaml:" in result.output
    assert {p: p.read_bytes() for p in outputs} == before
    assert sorted(p.name for p in (project.out / SAMPLE).iterdir() if p.is_file()) == sorted(
        p.name for p in outputs)  # no temp files left (beside the web edition's folder)


@pytest.mark.slow
def test_page_budget_overrun_fails_that_output_only(project):
    edit(project.brief_file(SAMPLE), "audiences:\n  full:\n",
         "audiences:\n  full: {max_pages: 3}\n")
    result = run_cli(project, "build", SAMPLE)
    assert result.exit_code == 1
    assert "expert-advice.full.nl.pdf has 7 pages, 4 over the budget of 3" in result.output
    # 5 PDFs, and the web edition's 5 pages (which offer the PDFs there are)
    assert "10 built, 0 up to date, 1 failed" in result.output
    assert not project.output_path(OutputId(SAMPLE, "full", "nl")).exists()
    assert project.output_path(OutputId(SAMPLE, "mep", "en")).exists()


@pytest.mark.slow
def test_same_input_gives_the_same_bytes(project, tmp_path):
    brief = load_brief(project, SAMPLE)
    first = build(project, [SAMPLE])
    assert first.ok
    data = {o.path: o.path.read_bytes() for o in first.built}
    second = build(project, [SAMPLE], force=True)
    assert second.ok and len(second.built) == 11  # 6 PDFs, 5 web pages
    assert {o.path: o.path.read_bytes() for o in second.built} == data
    assert brief.date.isoformat() == "2023-01-01"


@pytest.mark.slow
@pytest.mark.parametrize("template_text,line,words", [
    ("{% extends 'base.html.j2' %}\n{% block body %}\n{{ doc.title }\n{% endblock %}\n", 3,
     "template syntax"),
    ("{% extends 'base.html.j2' %}\n{% block body %}\n<p>\n{{ doc.titel }}\n{% endblock %}\n", 4,
     "template uses an undefined name"),
])
def test_template_mistakes_name_the_template_line(project, template_text, line, words):
    (project.templates / "broken.html.j2").write_text(template_text)
    edit(project.audiences_file, 'template: "handout.html.j2"', 'template: "broken.html.j2"')
    result = run_cli(project, "build", SAMPLE)
    assert result.exit_code == 1
    assert f"templates/broken.html.j2:{line}: {words}" in result.output, result.output


def test_content_is_never_template_source(project):
    write(project, TINY.replace("Tekst.", "{{ doc.title }} {% raw %}"))
    html, _ = output_html(project, load_brief(project, "tiny"),
                          load_brief(project, "tiny").audience("full"), "nl")
    assert "{{ doc.title }} {% raw %}" in html.replace("\u00a0", " ")


def test_golden_html_of_a_tiny_brief(project):
    write(project, TINY)
    brief = load_brief(project, "tiny")
    html, _ = output_html(project, brief, brief.audience("full"), "nl")
    golden = GOLDEN / "tiny.full.nl.html"
    if os.environ.get("BRIEF_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8")


def test_write_atomic_leaves_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(WriteError, match="could not be written"):  # the file, and why
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_unknown_brief_is_a_clear_error(project):
    result = run_cli(project, "build", "nope")
    assert result.exit_code == 1
    assert "no brief 'nope'" in result.output and "expert-advice" in result.output


@pytest.mark.slow
def test_greek_and_cyrillic_print_in_the_shipped_fonts_only(project):
    write(project, TINY.replace("Tekst.", "Ελληνικά κείμενα και кириллица — Ωμέγα, Щука.")
          .replace("audiences: [full, mep]", "audiences: [full]"))
    result = build(project, ["tiny"])
    assert result.ok, [e.format_message() for _, e in result.failed]
    pdf = project.output_path(OutputId("tiny", "full", "nl"))
    text = "".join(pages_text(pdf))
    assert "Ελληνικά" in text and "кириллица" in text
    with pikepdf.open(pdf) as doc:
        fonts = {str(f.BaseFont).split("+", 1)[-1] for page in doc.pages
                 for _, f in page.Resources.Font.items()}
    assert fonts and all(f.startswith(("Gentium-Book-Plus", "Inter")) for f in fonts), fonts


@pytest.mark.slow
def test_a_character_no_shipped_font_has_fails_instead_of_using_machine_fonts(project, caplog):
    write(project, TINY.replace("Tekst.", "Kanji 漢.").replace("audiences: [full, mep]",
                                                                 "audiences: [full]"))
    result = build(project, ["tiny"])
    caplog.clear()  # the WeasyPrint warning is expected here; the build turned it into an error
    [(label, error)] = result.failed
    assert label == OutputId("tiny", "full", "nl")
    assert ".notdef glyph" in error.format_message() and "U+6F22" in error.format_message()
    assert not project.output_path(OutputId("tiny", "full", "nl")).exists()


@pytest.mark.slow
def test_a_note_longer_than_a_page_fails_with_its_page(project, caplog):
    """WeasyPrint cannot split a note across pages (#1833): the check catches the result."""
    long_note = "Een heel lange noot. " * 400
    write(project, TINY.replace("Noot.^[Een *noot*.]", f"Noot.^[{long_note}]")
          .replace("audiences: [full, mep]", "audiences: [full]"))
    result = build(project, ["tiny"])
    caplog.clear()
    [(label, error)] = result.failed
    message = error.format_message()
    assert label == OutputId("tiny", "full", "nl")
    assert "footnote 2" in message and ("printed on page" in message or "missing" in message)
    assert not project.output_path(OutputId("tiny", "full", "nl")).exists()


def test_a_bug_shows_a_traceback_and_asks_for_a_report(project, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(generator.run.cli, "build", broken)
    result = run_cli(project, "build")
    assert result.exit_code == 2
    assert "please report it" in result.output and "RuntimeError: boom" in result.output


def test_a_bug_in_a_worker_is_one_report_not_a_list_of_errors(project, monkeypatch):
    trace = "Traceback (most recent call last):\n  File \"x.py\", line 1\nZeroDivisionError: x\n"
    bug = pickle.loads(pickle.dumps(Bug("out/x.pdf", trace)))  # as it crosses from a worker
    monkeypatch.setattr(generator.run.cli, "build", lambda *a, **k: BuildResult(bugs=[bug]))
    result = run_cli(project, "build")
    assert result.exit_code == 2
    assert result.output.count("please report it") == 1
    assert "ZeroDivisionError: x" in result.output
    assert "errors" not in result.output and "error:" not in result.output


def test_errors_pickle_as_data_and_are_formatted_at_the_door(project):
    path = project.brief_file(SAMPLE)
    errors = BriefErrors([ContentError(Mark(path, 3, 7), "wrong; fix it", "title"),
                          ContentError(Mark(path, 9), "also wrong")])
    again = pickle.loads(pickle.dumps(errors))
    assert again.lines(project.root) == [f"content/{SAMPLE}/brief.yaml:3:7: wrong; fix it",
                                         f"content/{SAMPLE}/brief.yaml:9: also wrong"]
    assert again.errors[0].mark == Mark(path, 3, 7) and again.errors[0].field == "title"


def test_build_summary_counts_the_outputs_a_brief_with_errors_leaves_unbuilt(project):
    """A brief whose check fails builds none of its outputs: the closing line says how many."""
    write(project, TINY.replace('"Tekst.[@src]"', '"Tekst [TODO].[@src]"'))
    strict = run_cli(project, "build", "--strict", "tiny")
    assert strict.exit_code == 1
    assert strict.output.splitlines()[-1] == (
        "0 built, 0 up to date, 2 outputs not built (1 brief with errors)"), strict.output
    write(project, TINY.replace('date: "2024-05-01"', 'date: "2024-02-30"'), "other")
    wrong_date = run_cli(project, "build", "other")  # read as far as its outputs
    assert wrong_date.exit_code == 1
    assert wrong_date.output.splitlines()[-1] == (
        "0 built, 0 up to date, 2 outputs not built (1 brief with errors)"), wrong_date.output
    write(project, TINY.replace("languages: [nl, en]", "languages: [nl, en"), "other")
    never_built = run_cli(project, "build", "other")  # no outputs known: none was ever built
    assert never_built.exit_code == 1
    assert never_built.output.splitlines()[-1] == (
        "0 built, 0 up to date, 1 brief with errors, not built"), never_built.output
