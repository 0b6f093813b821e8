"""A template's mistakes are located errors, never tracebacks (`make.html.render_html`): every
error a template raises while rendering — a filter that does not exist, a TypeError in a filter,
a division by zero, an include of a missing file, a template loading itself — is a
`TemplateError` at the line of the innermost template that ran. An override may extend the
packaged template it replaces through `packaged/NAME` (MkDocs' `custom_dir` idiom), which reads
only inside the packaged folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from generator import shipped
from generator.errors import BriefError, TemplateError
from generator.make.brand import BrandView
from generator.make.html import render_html
from generator.make.web import TEMPLATE as WEB_TEMPLATE
from generator.project import LETTER_TEMPLATE, Layers, OutputId, Project
from generator.read.starter import FIRST_BRIEF, init

from .support import REPO, pages_text, run_cli


@pytest.fixture
def layers(tmp_path: Path) -> Layers:
    """A project's own templates/ over a packaged one, both small and in tmp_path."""
    own, packaged = tmp_path / "own" / "templates", tmp_path / "pkg" / "templates"
    own.mkdir(parents=True)
    packaged.mkdir(parents=True)
    (packaged / "page.j2").write_text(
        "<main>{% block body %}packaged body{% endblock %}</main>\n", encoding="utf-8")
    return Layers((own, packaged))


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(layers: Layers, name: str, doc: object = None) -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        render_html(doc, name, layers)
    return caught.value


# each on the template's third line, after two that render
RUNTIME = [
    ("unknown-filter-in-if", "{% if 1 %}{{ 'a' | nofilter }}{% endif %}",
     "template error: No filter named 'nofilter' found; fix the template"),
    ("unknown-filter", "{{ 'a' | nofilter }}", "template syntax: No filter named 'nofilter'"),
    ("filter-type-error", "{{ 'abc' | truncate('x') }}", "template error: TypeError: "),
    ("division-by-zero", "{% set n = 0 %}{{ 1 / n }}",
     "template error: ZeroDivisionError: division by zero; fix the template"),
    ("method-of-a-value", "{{ 'abc'.nope() }}", "'str object' has no attribute 'nope'"),
    ("not-callable", "{{ 'abc'() }}", "template error: TypeError: 'str' object is not callable"),
    ("include-missing", '{% include "missing.j2" %}', "template 'missing.j2' not found in "
     "templates/"),
    ("include-out", '{% include "../../../etc/passwd" %}',
     "template '../../../etc/passwd' leads outside templates/"),
    ("packaged-out", '{% include "packaged/../own/templates/x.j2" %}', "leads outside"),
    ("packaged-missing", '{% include "packaged/nothing.j2" %}',
     "template 'packaged/nothing.j2' not found among the packaged templates"),
    ("import-missing-macro", '{% from "page.j2" import nothing %}{{ nothing() }}',
     "nothing"),
]


@pytest.mark.parametrize("line,message", [(c[1], c[2]) for c in RUNTIME],
                         ids=[c[0] for c in RUNTIME])
def test_a_runtime_error_is_located_at_the_templates_line(layers: Layers, line: str,
                                                           message: str):
    path = _write(layers.own, "mine.j2", f"<p>one</p>\n<p>two</p>\n{line}\n")
    _write(layers.own, "x.j2", "x\n")
    error = _error(layers, "mine.j2")
    assert (error.mark.path, error.mark.line) == (path, 3), error.lines()
    assert message in error.problem


def test_the_innermost_template_is_named(layers: Layers):
    """An error in an included template is at the included one's line, not the include's."""
    _write(layers.own, "outer.j2", "a\n{% include 'inner.j2' %}\n")
    inner = _write(layers.own, "inner.j2", "b\nc\n{{ 1 / 0 }}\n")
    error = _error(layers, "outer.j2")
    assert (error.mark.path, error.mark.line) == (inner, 3)


def test_an_error_in_the_packaged_template_is_located_there(layers: Layers):
    """A packaged template's line too (the override changed what it is given, or it extends)."""
    packaged = layers.folders[-1]
    path = _write(packaged, "base.j2", "<html>\n{{ doc.count / 0 }}\n</html>\n")
    _write(layers.own, "page.j2", '{% extends "base.j2" %}\n')
    error = _error(layers, "page.j2", {"count": 3})
    assert (error.mark.path, error.mark.line) == (path, 2)


def test_an_error_raised_in_briefs_own_code_says_so(layers: Layers):
    """A value the template passes to brief's code that refuses it: located at the template's
    line, and says which code of brief's raised it (in case it is brief's bug)."""
    path = _write(layers.own, "mine.j2", '\n{{ doc.brand.logo("huge") }}\n')
    error = _error(layers, "mine.j2", {"brand": BrandView()})
    assert (error.mark.path, error.mark.line) == (path, 2)
    assert "KeyError: 'huge' (raised in generator/read/brand.py:" in error.problem


def test_the_letter_and_the_web_page_are_located_alike(layers: Layers):
    """The cover letter (make.letter) and the web page (make.web) render through render_html."""
    for name in (LETTER_TEMPLATE, WEB_TEMPLATE):
        path = _write(layers.own, name, "\n\n\n{{ doc | nofilter }}\n")
        error = _error(layers, name)
        assert (error.mark.path, error.mark.line) == (path, 4)


def test_the_packaged_prefix_extends_the_template_it_overrides(layers: Layers):
    _write(layers.own, "page.j2", '{% extends "packaged/page.j2" %}\n'
           "{% block body %}own addition, then {{ super() }}{% endblock %}\n")
    assert render_html(None, "page.j2", layers) == \
        "<main>own addition, then packaged body</main>\n"
    # the plain name is the override; the prefixed one the packaged file, whatever the project has
    _write(layers.own, "shows.j2", '{% include "packaged/page.j2" %}|{% include "page.j2" %}')
    assert render_html(None, "shows.j2", layers) == \
        "<main>packaged body</main>\n|<main>own addition, then packaged body</main>\n"


def test_the_packaged_prefix_reads_through_the_gate(layers: Layers, tmp_path: Path):
    """`packaged/NAME` is read inside the packaged folder: a link there leading out is refused,
    as `..` is (above)."""
    outside = _write(tmp_path, "secret.j2", "secret\n")
    os.symlink(outside, layers.folders[-1] / "evil.j2")
    _write(layers.own, "mine.j2", '{% include "packaged/evil.j2" %}\n')
    with pytest.raises(BriefError) as caught:
        render_html(None, "mine.j2", layers)
    [message] = caught.value.lines()
    assert message.startswith(f"{layers.folders[-1] / 'evil.j2'}:1: template 'packaged/evil.j2' "
                              "is a symbolic link leading outside"), message


@pytest.mark.parametrize("text,line", [
    ('{% extends "page.j2" %}\n{% block body %}x{% endblock %}\n', 1),
    ('a\n{% include "page.j2" %}\n', 2),
    ('a\nb\n{% include "./page.j2" %}\n', 3),
    ('{% import "page.j2" as me %}\n', 1),
], ids=["extends", "include", "include-dot", "import"])
def test_a_template_that_loads_itself_is_refused_at_its_line(layers: Layers, text: str,
                                                              line: int):
    """Not Python's RecursionError: where, and how to extend the packaged file it replaces."""
    path = _write(layers.own, "page.j2", text)
    error = _error(layers, "page.j2")
    assert (error.mark.path, error.mark.line) == (path, line)
    assert error.problem == (
        "'{}' is this template itself, which it cannot extend or include (it would load "
        "itself without end); to extend the packaged one it replaces, write "
        '{{% extends "packaged/page.j2" %}}').format(text.split('"')[1])


def test_a_template_of_its_own_that_loads_itself_gets_no_packaged_advice(layers: Layers):
    """No packaged file of that name (or the one layer of this repository): no prefix to offer."""
    path = _write(layers.own, "mine.j2", '{% include "mine.j2" %}\n')
    error = _error(layers, "mine.j2")
    assert (error.mark.path, error.mark.line) == (path, 1)
    assert error.problem.endswith("; name another template")
    one = Layers((layers.folders[-1],))
    _write(one.own, "loop.j2", '\n{% extends "packaged/loop.j2" %}\n')
    error = _error(one, "loop.j2")
    assert (error.mark.line, error.problem.endswith("; name another template")) == (2, True)


def test_templates_loading_each_other_in_a_loop_are_located(layers: Layers):
    path = _write(layers.own, "a.j2", 'a\n{% include "b.j2" %}\n')
    _write(layers.own, "b.j2", '{% include "a.j2" %}\n')
    error = _error(layers, "a.j2")
    assert error.mark.path.parent == path.parent
    assert "extend or include each other in a loop" in error.problem


# --- through the command line, in a project as `brief init` makes it -------------------------


@pytest.fixture
def org(tmp_path: Path) -> Project:
    project = init(tmp_path / "org").project
    project.templates.mkdir()
    return project


def _override(org: Project, text: str) -> None:
    (org.templates / "brief.html.j2").write_text(text, encoding="utf-8")


def test_check_reports_a_runtime_error_at_the_overrides_line(org: Project):
    packaged = (shipped.TEMPLATES / "brief.html.j2").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(packaged, 1) if "doc.summary" in text
                and "{% if" not in text)
    packaged[line - 1] = "<div>{{ doc.summary | nofilter }}</div>"
    _override(org, "\n".join(packaged) + "\n")
    result = run_cli(org, "check")
    assert result.exit_code == 1, result.output
    assert (f"templates/brief.html.j2:{line}: template error: No filter named 'nofilter' found; "
            "fix the template") in result.output
    assert "bug in brief" not in result.output and "Traceback" not in result.output


def test_check_reports_an_override_extending_itself(org: Project):
    _override(org, '{% extends "brief.html.j2" %}\n{% block body %}x{% endblock %}\n')
    result = run_cli(org, "check")
    assert result.exit_code == 1, result.output
    assert ("templates/brief.html.j2:1: 'brief.html.j2' is this template itself, which it "
            "cannot extend or include") in result.output
    assert 'write {% extends "packaged/brief.html.j2" %}' in result.output
    assert "RecursionError" not in result.output and "bug in brief" not in result.output


@pytest.mark.slow
def test_an_override_extending_the_packaged_template_builds(org: Project):
    """The idiom docs/audiences.md shows: only the block changed, the rest the packaged one's."""
    doc = (REPO / "docs" / "audiences.md").read_text(encoding="utf-8")
    block = re.search(r"```jinja\n(\{# templates/brief\.html\.j2: .*?)```", doc, re.DOTALL)
    assert block, "docs/audiences.md shows no override extending packaged/brief.html.j2"
    _override(org, block[1])
    result = run_cli(org, "build", "-j", "1")
    assert result.exit_code == 0, result.output
    output = org.output_path(OutputId(FIRST_BRIEF, "full", "en"))
    text = " ".join(pages_text(output))
    assert "Approved by the board" in text
    packaged = org.output_path(OutputId(FIRST_BRIEF, "handout", "en"))
    assert "Approved by the board" not in " ".join(pages_text(packaged))
