"""At the door (cli): the same warning about several outputs once, naming them; a long one
wrapped on a terminal (and left whole for a program reading the output)."""

from __future__ import annotations

import pytest

from generator.errors import ContentError, Mark
from generator.project import Project
from generator.run import cli

from .support import run_cli

WHERE = "content/b/brief.yaml:9:24"


def _line(output: str, rest: str = "prints a placeholder (url: 'x'); replace it") -> str:
    return f"{WHERE}: warning: out/b/b.{output}.pdf {rest}"


def test_the_same_warning_for_several_outputs_is_one_line():
    lines = [_line("full.nl"), _line("mep.en"), "other: warning: alone", _line("handout.nl")]
    assert cli.group_warnings(lines) == [
        f"{WHERE}: warning: 3 outputs print a placeholder (url: 'x'); replace it "
        "(in full.nl, mep.en, handout.nl)",
        "other: warning: alone"]


def test_a_web_page_is_named_with_the_pdfs_that_print_the_same():
    lines = [_line("full.nl"),
             f"{WHERE}: warning: out/b/web/nl/index.html prints a placeholder (url: 'x'); "
             "replace it"]
    assert cli.group_warnings(lines) == [
        f"{WHERE}: warning: 2 outputs print a placeholder (url: 'x'); replace it "
        "(in full.nl, web.nl)"]


def test_a_warning_said_again_of_one_output_is_said_once():
    """Preflight finds the same thing several times on one output (an RGB colour on one page,
    once per object): one line, not "10 outputs … (in handout.nl, handout.nl, …)"."""
    assert cli.group_warnings([_line("handout.nl")] * 10) == [_line("handout.nl")]
    assert cli.group_warnings([_line("handout.nl"), _line("full.nl"), _line("handout.nl")]) == [
        f"{WHERE}: warning: 2 outputs print a placeholder (url: 'x'); replace it "
        "(in handout.nl, full.nl)"]


def test_different_warnings_or_places_stay_apart():
    lines = [_line("full.nl"), _line("mep.en", "prints a placeholder (url: 'y'); replace it"),
             _line("full.nl").replace(":24:", ":25:")]
    assert cli.group_warnings(lines) == lines


def test_a_warning_naming_an_output_elsewhere_in_it():
    lines = [f"{WHERE}: warning: the page of out/b/b.{key}.pdf is full" for key in
             ("full.nl", "mep.en")]
    assert cli.group_warnings(lines) == [
        f"{WHERE}: warning: the page of 2 outputs is full (in full.nl, mep.en)"]


def test_a_long_line_is_wrapped_at_spaces_with_an_indent():
    line = "content/b/recipients.csv:2: warning: " + " ".join(["word"] * 150)
    wrapped = cli.wrap_line(line, 80).splitlines()
    assert len(wrapped) > 5 and all(len(part) <= 80 for part in wrapped)
    assert wrapped[0].startswith("content/b/recipients.csv:2: warning: word")
    assert all(part.startswith(cli.WRAP_INDENT + "word") for part in wrapped[1:])
    assert " ".join(part.strip() for part in wrapped) == line
    assert cli.wrap_line(line, None) == line  # not a terminal: one line per problem


def test_shown_on_a_terminal_grouped_and_wrapped(monkeypatch, capsys):
    monkeypatch.setattr(cli, "_terminal_width", lambda: 60)
    warnings = [ContentError(Mark(cli.Path("/p/content/b/brief.yaml"), 9, 24),
                             f"out/b/b.{key}.pdf prints a placeholder (url: "
                             "'https://example.org/a-very-long-address'); replace it before "
                             "sending, then remove 'url' from `placeholders:`")
                for key in ("full.nl", "mep.en", "handout.nl")]
    assert cli._show_warnings(warnings, cli.Path("/p")) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("content/b/brief.yaml:9:24: warning: 3 outputs print")
    assert len(err) > 2 and all(len(line) <= 60 for line in err)
    assert err[-1].strip().endswith("(in full.nl, mep.en, handout.nl)")


@pytest.mark.parametrize("audiences", ["full,mep,handout", "full,mep"])
def test_a_new_brief_checks_with_one_line_per_cause(project: Project, audiences: str):
    assert run_cli(project, "new", "my-brief", "--audiences", audiences).exit_code == 0
    result = run_cli(project, "check", "my-brief")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    warnings = [line for line in lines if ": warning: " in line]
    places = [line.split(": warning: ")[0] + line.split(": warning: ")[1][:60]
              for line in warnings]
    assert len(places) == len(set(places)), result.output  # no cause twice
    outputs = len(audiences.split(","))
    assert any(f"{outputs} outputs print a placeholder" in line for line in warnings)
    assert lines[-1] == f"ok: 1 brief(s) checked, {len(warnings)} warning(s)"
