"""A project's design layers (`project.Layers`): its own templates/ and styles/ file of a name
wins over the packaged one, the packaged one is used otherwise, each is read inside its own
folder through the gate, and an output's digest follows the files actually used."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import watchfiles

from generator import files, shipped
from generator.make import html, pdf
from generator.project import OutputId, Project
from generator.read.starter import FIRST_BRIEF, init
from generator.run import manifest, watch
from generator.run.build import prepared_digest
from generator.run.pipeline import load_brief, prepare
from generator.text import hyphenation

from .support import REPO, run_cli


@pytest.fixture
def org(tmp_path: Path) -> Project:
    """An organisation's project as `brief init` makes it: no templates/, no styles/."""
    return init(tmp_path / "org").project


def test_this_repository_is_one_layer():
    """The repository is the design the package ships: its folders are read once, not twice."""
    project = Project.at(REPO)
    assert project.style_layers.folders == (REPO / "styles",)
    assert project.template_layers.folders == (REPO / "templates",)
    assert project.style_layers.overrides() == []
    assert shipped.STYLES == REPO / "styles" and shipped.TEMPLATES == REPO / "templates"


def test_a_project_without_a_design_reads_the_packaged_one(org: Project):
    assert not org.styles.exists() and not org.templates.exists()
    assert org.style_layers.folders == (org.styles, shipped.STYLES)
    assert org.stylesheet("brief.css") == (shipped.STYLES, shipped.STYLES / "brief.css")
    assert org.template("brief.html.j2")[1] == shipped.TEMPLATES / "brief.html.j2"
    assert org.stylesheet("fonts/Inter-Regular.otf")[0] == shipped.STYLES
    assert hyphenation.shipped_patterns(org.root, "fi") == shipped.STYLES / "hyphenation" / \
        "hyph_fi.dic"
    # what `brief check` suggests for a misspelt stylesheet comes from both layers
    assert "brief.css" in org.style_layers.names()


def _html(project: Project, audience: str = "full") -> str:
    brief = load_brief(project, FIRST_BRIEF)
    return prepare(project, brief, OutputId(FIRST_BRIEF, audience, "en")).html


def test_the_projects_own_file_wins(org: Project):
    packaged = _html(org)
    org.templates.mkdir()
    text = (shipped.TEMPLATES / "base.html.j2").read_text(encoding="utf-8")
    assert "<body" in text
    (org.templates / "base.html.j2").write_text(
        text.replace("<body", "<!-- the organisation's own base -->\n<body", 1), encoding="utf-8")
    own = _html(org)
    assert "the organisation's own base" in own and "the organisation's own base" not in packaged
    # brief.html.j2 (packaged) extends base.html.j2: the project's, found first
    assert org.template("brief.html.j2")[0] == shipped.TEMPLATES
    assert org.template("base.html.j2")[0] == org.templates
    # removed again: the packaged one (the loader's cache does not keep the override)
    (org.templates / "base.html.j2").unlink()
    assert _html(org) == packaged


def test_an_override_written_later_replaces_a_cached_packaged_template(org: Project):
    """`brief watch` keeps one environment: a file the project adds is seen at once."""
    first = html.render_html(None, "_macros.html.j2", org.template_layers)
    org.templates.mkdir()
    (org.templates / "_macros.html.j2").write_text("own macros\n", encoding="utf-8")
    assert html.render_html(None, "_macros.html.j2", org.template_layers) == "own macros\n"
    assert first != "own macros\n"


def test_a_projects_stylesheet_finds_the_packaged_fonts(org: Project):
    """An override copied from the packaged stylesheet names `url(fonts/…)` relative to it:
    the fetcher and `brief check` look for the font in the next layer."""
    org.styles.mkdir()
    path = org.styles / "brief.css"
    path.write_text('@font-face { font-family: X; src: url("fonts/Inter-Regular.otf") }\n',
                    encoding="utf-8")
    assert org.style_layers.fallback(org.styles / "fonts" / "Inter-Regular.otf") == \
        shipped.STYLES / "fonts" / "Inter-Regular.otf"
    result = run_cli(org, "check")
    assert result.exit_code == 0, result.output
    assert "names no file" not in result.output


def test_fontconfig_sees_the_projects_font_of_a_name(org: Project):
    """Without fonts of its own a project's fontconfig folder is the packaged one; with one of
    a packaged name, fontconfig sees that one and the other packaged fonts, each once."""
    conf = pdf._fontconfig_file(org).read_text()
    assert f"<dir>{shipped.STYLES / 'fonts'}</dir>" in conf
    (org.fonts).mkdir(parents=True)
    own = org.fonts / "Inter-Regular.otf"
    own.write_bytes((shipped.STYLES / "fonts" / "Inter-SemiBold.otf").read_bytes())
    conf = pdf._fontconfig_file(org).read_text()
    folder = Path(conf.split("<dir>")[1].split("</dir>")[0])
    seen = {os.path.realpath(p) for p in folder.iterdir()}
    packaged = {os.path.realpath(p) for p in (shipped.STYLES / "fonts").iterdir()}
    assert seen == (packaged - {os.path.realpath(shipped.STYLES / "fonts" / own.name)}) | {
        os.path.realpath(own)}
    assert [name for name, _ in pdf.font_files(org)].count("Inter-Regular.otf") == 1


def test_confinement_is_kept_on_the_projects_side(org: Project, tmp_path: Path):
    """A project's file of a packaged name that leads out of the project is refused — not
    passed over for the packaged one."""
    outside = tmp_path / "outside.css"
    outside.write_text("body { color: red }\n", encoding="utf-8")
    org.styles.mkdir()
    os.symlink(outside, org.styles / "brief.css")
    folder, path = org.stylesheet("brief.css")
    assert folder == org.styles
    with pytest.raises(files.Refused, match="leading outside styles/"):
        files.inside(folder, path, what="stylesheet 'brief.css'")
    result = run_cli(org, "check")
    assert result.exit_code == 1
    assert "content/audiences.yaml" in result.output and "leading outside styles/" in \
        result.output


def test_confinement_is_kept_on_the_packaged_side(org: Project, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch):
    """A packaged file is read inside the packaged folder: one that leads out of it (here into
    the project) is refused too."""
    packaged = tmp_path / "packaged" / "styles"
    packaged.mkdir(parents=True)
    (org.root / "secret.css").write_text("body { color: red }\n", encoding="utf-8")
    os.symlink(org.root / "secret.css", packaged / "brief.css")
    monkeypatch.setattr(shipped, "STYLES", packaged)
    folder, path = org.stylesheet("brief.css")
    assert folder == packaged
    with pytest.raises(files.Refused, match="leading outside styles/"):
        files.read_bytes(folder, path, what="stylesheet 'brief.css'")


def test_digests_follow_the_files_used(org: Project):
    """An output's digest covers the packaged stylesheet it used, then the override written
    since (though the last build recorded the packaged one), each change of it, and the
    packaged one again when the override is gone."""
    brief = load_brief(org, FIRST_BRIEF)
    prepared = prepare(org, brief, OutputId(FIRST_BRIEF, "full", "en"))
    recorded = (shipped.STYLES / "brief.css", shipped.STYLES / "base.css")
    assert [org.record_name(p) for p in recorded] == ["<packaged>/styles/brief.css",
                                                      "<packaged>/styles/base.css"]
    assert org.recorded("<packaged>/styles/brief.css") == recorded[0]
    digests = [prepared_digest(org, brief, prepared, recorded)]
    inputs = [manifest.brief_inputs_digest(org, FIRST_BRIEF)]
    org.styles.mkdir()
    own = org.styles / "brief.css"
    own.write_text((shipped.STYLES / "brief.css").read_text(encoding="utf-8") + "\n/* a */\n",
                   encoding="utf-8")
    digests.append(prepared_digest(org, brief, prepared, recorded))
    inputs.append(manifest.brief_inputs_digest(org, FIRST_BRIEF))
    own.write_text(own.read_text(encoding="utf-8") + "/* b */\n", encoding="utf-8")
    digests.append(prepared_digest(org, brief, prepared, (own, recorded[1])))
    inputs.append(manifest.brief_inputs_digest(org, FIRST_BRIEF))
    assert len(set(digests)) == 3 and len(set(inputs)) == 3
    own.unlink()
    assert prepared_digest(org, brief, prepared, (own, recorded[1])) == digests[0]
    assert manifest.brief_inputs_digest(org, FIRST_BRIEF) == inputs[0]


def test_overrides_are_only_files_that_differ(org: Project):
    """A copy of the packaged file replaces nothing; the project's changed file does."""
    org.styles.mkdir()
    (org.styles / "mep.css").write_bytes((shipped.STYLES / "mep.css").read_bytes())
    (org.styles / "own.css").write_text("p { color: red }\n", encoding="utf-8")
    names = [name for name, _, _ in org.style_layers.overrides()]
    assert names == ["mep.css"]  # a packaged name; own.css is the project's alone
    result = run_cli(org, "check")
    assert result.exit_code == 0, result.output
    assert "overrides" not in result.output


def test_watch_sees_the_first_override_of_a_project_without_a_design(org: Project):
    """`brief watch` on a project with no styles/ or templates/ follows its content/ and, at
    its root, `_brand.yml` and the design folders when they come (`brief override` writing the
    first file of one), which it then follows with all they hold; never out/, and not the
    packaged folders."""
    assert watch.watched_folders(org) == (str(org.content),)
    added = watchfiles.Change.added
    assert watch._brand_filter(added, str(org.styles))
    assert watch._brand_filter(added, str(org.templates))
    assert watch._brand_filter(watchfiles.Change.modified, str(org.root / "_brand.yml"))
    assert not watch._brand_filter(added, str(org.out))
    assert not watch._brand_filter(added, str(org.root / "stylesheet.css"))
    org.styles.mkdir()
    org.templates.mkdir()
    assert watch.watched_folders(org) == (str(org.content), str(org.styles), str(org.templates))
    repo = watch.watched_folders(Project.at(REPO))
    assert {str(REPO / name) for name in ("content", "styles", "templates")} <= set(repo)
    assert str(REPO / "out") not in repo and str(REPO) not in repo


def test_a_watch_that_turns_to_new_folders_builds_once_they_are_watched(org: Project):
    """When the folders a watch follows change (an identity now names brand/), its watchers
    are started anew; a change saved in between is seen by nobody, so the first batch of the
    new watchers is an empty one that builds (the fresh-clone CI lost an identity saved then)."""
    stop = threading.Event()
    batches = watch._changes(org, watch.watched_folders(org), stop, catch_up=True)
    assert next(batches) == set()
    stop.set()
    batches.close()
    plain = watch._changes(org, watch.watched_folders(org), stop)
    assert list(plain) == []  # stopped: nothing, and no empty batch without catch_up
