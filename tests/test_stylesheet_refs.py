"""What a stylesheet references (`@import`, `url()`): `brief check` says at its line and column
what `brief build`'s URL fetcher would refuse — a file outside the project, the network, a file
that is not there — instead of "ok" followed by a failed build; nothing outside is read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.project import Project

from .support import TINY, run_cli, write
from .test_confinement import SECRET


@pytest.fixture
def project(project: Project) -> Project:
    """conftest's fresh copy of the project, with the small brief `tiny`."""
    write(project, TINY)
    return project


def _add_to_brief_css(project: Project, css: str) -> int:
    """Append `css` to styles/brief.css (every design of TINY uses it); the line it starts on."""
    path = project.styles / "brief.css"
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + css, encoding="utf-8")
    return text.count("\n") + 1


def _errors(result) -> list[str]:
    return [line for line in result.output.splitlines()
            if line.startswith("styles/") and ": warning: " not in line and ": note: " not in line]


@pytest.mark.parametrize(("css", "column", "says"), [
    ('@import "{outside}";\n', 1, "leads outside the project's content/, styles/ and templates/"),
    ('@import url("{relative}");\n', 9, "leads outside the project"),
    ('p {{ background: url("{outside}") }}\n', 17, "leads outside the project"),
    ("p {{ background: url({outside}) }}\n", 17, "leads outside the project"),
    ('@font-face {{ font-family: X; src: url("file://{outside}") }}\n', 35, "leads outside"),
    ('p {{ background: url("https://evil.example/x.png") }}\n', 17, "from the network"),
    ('@import "//evil.example/x.css";\n', 1, "from the network"),
    ('p {{ background: url("data:text/css,p{{}}") }}\n', 17, "not a PNG, JPEG, GIF or SVG"),
    ('p {{ background: url("missing.png") }}\n', 17, "names no file; correct the name"),
])
def test_check_refuses_what_the_build_would_at_its_line(project, tmp_path, css, column, says):
    outside = tmp_path / "outside.css"
    outside.write_text(SECRET, encoding="utf-8")
    relative = os.path.relpath(outside, project.styles)
    line = _add_to_brief_css(project, css.format(outside=outside, relative=relative))
    result = run_cli(project, "check", "tiny")
    assert result.exit_code == 1, result.output
    errors = _errors(result)
    assert len(errors) == 1, result.output  # once, though several designs use brief.css
    assert errors[0].startswith(f"styles/brief.css:{line}:{column}: "), errors
    assert says in errors[0], errors
    assert "sk-SECRET" not in result.output


def test_an_imported_stylesheet_inside_the_project_is_followed(project):
    (project.styles / "extra.css").write_text('\n\nh1 { background: url("../../x.png") }\n',
                                              encoding="utf-8")
    _add_to_brief_css(project, '@import "extra.css";\n')
    result = run_cli(project, "check", "tiny")
    assert result.exit_code == 1
    assert [e.split(": ")[0] for e in _errors(result)] == ["styles/extra.css:3:18"], result.output


def test_an_import_loop_ends(project):
    (project.styles / "a.css").write_text('@import "brief.css";\n', encoding="utf-8")
    _add_to_brief_css(project, '@import "a.css";\n')
    result = run_cli(project, "check", "tiny")
    assert result.exit_code == 0, result.output


def test_a_linked_file_out_is_refused_without_reading_it(project, tmp_path):
    target = tmp_path / "fifo"
    os.mkfifo(target)  # opening it would block the check: it must not be opened
    (project.styles / "evil.png").symlink_to(target)
    line = _add_to_brief_css(project, 'p { background: url("evil.png") }\n')
    result = run_cli(project, "check", "tiny")
    assert result.exit_code == 1
    errors = _errors(result)
    assert len(errors) == 1 and errors[0].startswith(f"styles/brief.css:{line}:17: 'evil.png' ")
    assert "outside" in errors[0], errors


def test_what_the_sample_references_is_fine(project):
    """The sample's fonts (`url("fonts/…")`), a fragment and a data: image pass."""
    _add_to_brief_css(project, 'p { filter: url(#f); background: url("data:image/png;base64,'
                               'iVBORw0KGgo=") }\n')
    result = run_cli(project, "check", "tiny")
    assert result.exit_code == 0, result.output
    assert not _errors(result)


def test_a_stylesheet_only_a_briefs_override_names_is_checked_too(project: Project):
    (project.styles / "own.css").write_text('p { background: url("/etc/hostname") }\n',
                                            encoding="utf-8")
    write(project, TINY.replace("audiences: [full, mep]",
                                'audiences:\n  full: {stylesheets: ["base.css", "own.css"]}\n'
                                "  mep:"))
    result = run_cli(project, "check", "tiny")
    assert result.exit_code == 1
    assert any(e.startswith("styles/own.css:1:17: '/etc/hostname' leads outside")
               for e in _errors(result)), result.output


def test_nothing_is_said_of_a_stylesheet_the_gate_refused(project, tmp_path: Path):
    """A stylesheet that is itself refused (a link out) is said once, where it is named."""
    outside = tmp_path / "out.css"
    outside.write_text('p { background: url("https://x.example/") }', encoding="utf-8")
    (project.styles / "evil.css").symlink_to(outside)
    write(project, TINY.replace("audiences: [full, mep]",
                                'audiences:\n  full: {stylesheets: ["evil.css"]}\n  mep:'))
    result = run_cli(project, "check", "tiny")
    assert result.exit_code == 1
    assert "x.example" not in result.output
