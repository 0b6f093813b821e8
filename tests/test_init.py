"""`brief init FOLDER` (an organisation's own project: its identity, its designs, a first brief,
a .gitignore, nothing else) and `brief override FILE` (a packaged file copied into the project,
with the first line `brief check` compares to the packaged file now)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator import shipped
from generator.project import Project
from generator.read import overrides
from generator.read.starter import FIRST_BRIEF
from generator.run.cli import main

from .support import run_cli


def _init(folder: Path, *args: str):
    return CliRunner().invoke(main, ["init", str(folder), *args])


def _made(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_init_makes_the_project_and_nothing_else(tmp_path: Path):
    folder = tmp_path / "my-org"
    result = _init(folder)
    assert result.exit_code == 0, result.output
    assert _made(folder) == [".gitignore", "_brand.yml", "content/audiences.yaml",
                             f"content/{FIRST_BRIEF}/brief.yaml"]
    assert (folder / ".gitignore").read_text() == "out/\n"
    audiences = yaml.safe_load((folder / "content" / "audiences.yaml").read_text())
    assert list(audiences) == ["full", "mep", "handout", "web"]
    project = Project.at(folder)
    result = run_cli(project, "check")
    assert result.exit_code == 0, result.output
    assert "1 brief(s) checked" in result.output
    assert _made(folder) == [".gitignore", "_brand.yml", "content/audiences.yaml",
                             f"content/{FIRST_BRIEF}/brief.yaml"]  # check wrote nothing


def test_the_starter_identity_is_in_the_contracts_layout(tmp_path: Path):
    """_brand.yml in brand.yml's layout, with the tool's own keys under `defaults: brief:`;
    read by the brand reader when there is one."""
    _init(tmp_path / "org")
    path = tmp_path / "org" / "_brand.yml"
    brand = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(brand) == {"meta", "color", "typography", "defaults"}
    assert brand["meta"]["name"]["full"] and brand["meta"]["link"]["home"].startswith("https://")
    palette = brand["color"]["palette"]
    assert all(brand["color"][theme] in palette
               for theme in ("primary", "secondary", "foreground", "background"))
    assert set(brand["defaults"]["brief"]["cmyk"]) <= set(palette)
    assert brand["typography"]["base"]["family"] == "Gentium Book Plus"
    try:
        from generator.read.brand import read_brand
    except ImportError:  # the reader is another helper's (issue 22)
        return
    read_brand(Project.at(tmp_path / "org"))  # raises at the line of what is wrong


def test_init_refuses_a_folder_that_holds_anything(tmp_path: Path):
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n")
    result = _init(folder)
    assert result.exit_code == 1
    assert "notes.txt:1: taken/ is not empty (it holds notes.txt)" in result.output
    assert _made(folder) == ["notes.txt"]
    (folder / "notes.txt").unlink()
    (folder / ".git").mkdir()  # a clone of an empty repository
    result = _init(folder)
    assert result.exit_code == 0, result.output
    assert (folder / "_brand.yml").is_file()
    (tmp_path / "file").write_text("x")
    result = _init(tmp_path / "file")
    assert result.exit_code != 0


def test_init_in_another_language(tmp_path: Path):
    result = _init(tmp_path / "org", "--language", "de")
    assert result.exit_code == 0, result.output
    assert '["de"]' in (tmp_path / "org" / "content" / "audiences.yaml").read_text()
    assert 'languages: ["de"]' in (tmp_path / "org" / "content" / FIRST_BRIEF / "brief.yaml"
                                   ).read_text()
    result = _init(tmp_path / "other", "--language", "xx")
    assert result.exit_code == 1 and "--language" in result.output
    assert not (tmp_path / "other").exists()


@pytest.fixture
def org(tmp_path: Path) -> Project:
    assert _init(tmp_path / "org").exit_code == 0
    return Project.at(tmp_path / "org")


def test_override_copies_the_packaged_file_with_its_marker(org: Project):
    result = run_cli(org, "override", "styles/brief.css")
    assert result.exit_code == 0, result.output
    path = org.styles / "brief.css"
    first, _, rest = path.read_text(encoding="utf-8").partition("\n")
    packaged = (shipped.STYLES / "brief.css").read_bytes()
    assert rest.encode() == packaged
    assert first == (f"/* brief override of styles/brief.css: packaged sha256 "
                     f"{hashlib.sha256(packaged).hexdigest()}, brief 0.1.0 */")
    template = run_cli(org, "override", "templates/brief.html.j2")
    assert template.exit_code == 0, template.output
    assert (org.templates / "brief.html.j2").read_text().startswith("{# brief override of ")
    again = run_cli(org, "override", "styles/brief.css")
    assert again.exit_code == 1 and "exists already" in again.output
    unknown = run_cli(org, "override", "styles/brif.css")
    assert unknown.exit_code == 1 and "styles/brief.css" in unknown.output
    # the copy checks and builds as the packaged file did: no note, nothing overridden yet
    result = run_cli(org, "check")
    assert result.exit_code == 0, result.output
    assert ": note: " not in result.output


def test_check_notes_and_warns_about_overrides(org: Project):
    assert run_cli(org, "override", "styles/brief.css").exit_code == 0
    path = org.styles / "brief.css"
    path.write_text(path.read_text() + "h1 { letter-spacing: 0.01em }\n")
    result = run_cli(org, "check")
    assert result.exit_code == 0, result.output
    assert ("styles/brief.css:1: note: overrides the packaged styles/brief.css (written for its "
            "current version)") in result.output
    # the packaged file changed since the override was written (an upgrade of the tool)
    text = path.read_text()
    current = hashlib.sha256((shipped.STYLES / "brief.css").read_bytes()).hexdigest()
    path.write_text(text.replace(current, "0" * 64, 1))
    result = run_cli(org, "check")
    assert result.exit_code == 0, result.output
    assert ("styles/brief.css:1: warning: written for an older styles/brief.css (sha256 "
            "000000000000…, brief 0.1.0)") in result.output
    assert f"compare with {shipped.STYLES / 'brief.css'}" in result.output
    strict = run_cli(org, "check", "--strict")
    assert strict.exit_code == 1
    assert "styles/brief.css:1: written for an older styles/brief.css" in strict.output


def test_an_override_without_a_marker_cannot_be_compared(org: Project):
    org.templates.mkdir()
    text = (shipped.TEMPLATES / "handout.html.j2").read_text()
    (org.templates / "handout.html.j2").write_text(text + "{# changed #}\n")
    found = overrides.override_findings(org)
    assert found[1] == []
    [note] = found[0]
    assert note.mark.path == org.templates / "handout.html.j2" and note.mark.line == 1
    assert "cannot tell you when the packaged file changes" in note.problem
    assert "{# brief override of templates/handout.html.j2: packaged sha256 " in note.problem
    result = run_cli(org, "check")
    assert result.exit_code == 0, result.output
    assert "templates/handout.html.j2:1: note: overrides the packaged" in result.output


def test_upgrading_changes_no_file_of_the_project(org: Project, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch):
    """A newer tool (here: its packaged styles/ with a changed brief.css) leaves the project's
    files as they are, and `brief check` says which override to compare."""
    assert run_cli(org, "override", "styles/brief.css").exit_code == 0
    path = org.styles / "brief.css"
    path.write_text(path.read_text() + "h1 { letter-spacing: 0.01em }\n")
    before = {p: p.read_bytes() for p in org.root.rglob("*") if p.is_file()}
    upgraded = tmp_path / "upgraded" / "styles"
    shutil.copytree(shipped.STYLES, upgraded)
    with (upgraded / "brief.css").open("a") as handle:
        handle.write("\n/* a later version */\n")
    monkeypatch.setattr(shipped, "STYLES", upgraded)
    result = run_cli(org, "check")
    assert result.exit_code == 0, result.output
    assert "styles/brief.css:1: warning: written for an older styles/brief.css" in result.output
    after = {p: p.read_bytes() for p in org.root.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.slow
def test_personal_copies_of_a_project_without_a_design_of_its_own(org: Project):
    """`brief personalise` after `brief build` in a project `brief init` made: the copies' base
    PDF is up to date, and what it read (the packaged styles and templates among it) is
    recorded under its packaged name (it crashed: `relative_to(project.root)`)."""
    brief = org.brief_file(FIRST_BRIEF)
    brief.write_text(brief.read_text(encoding="utf-8") + "letter:\n  en: |\n    {salutation},\n"
                     "\n    Please read the enclosed brief.\n", encoding="utf-8")
    (brief.parent / "recipients.csv").write_text(
        "id,name,language,salutation,email\nanna-test,Anna Test,en,Dear Ms Test,a@example.org\n",
        encoding="utf-8")
    assert run_cli(org, "build", FIRST_BRIEF, "-j", "1").exit_code == 0
    result = run_cli(org, "personalise", FIRST_BRIEF, "--audience", "mep", "--date",
                     "2026-12-01", "-j", "1")
    assert result.exit_code == 0, result.output
    assert (org.out / FIRST_BRIEF / "personal" / "mep" / "anna-test.pdf").is_file()
