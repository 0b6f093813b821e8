"""Nothing outside the project is read: every kind of input, named with `..`, with an absolute
path or through a symbolic link leading out, is a located error, and the file outside is never
opened (docs/security.md, the gate in generator/files.py).

"Never opened" is seen without strace: the file outside is a FIFO. Opening it to read blocks
until a writer comes, so a thread keeps trying to open it for writing without blocking, which
succeeds only while a reader has it open: it records that and closes it, so the reader sees an
empty file and goes on (no test hangs). Each case runs a second time with a regular file outside
holding a secret, which no message may echo.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.files import MAX_FILE_BYTES, Refused, read_bytes
from generator.project import Project
from generator.run.manifest import brief_inputs_digest

from .support import TINY, copy_project, edit, run_cli, write

SECRET = "api_key: sk-SECRET-123456"


@pytest.fixture
def project(tmp_path) -> Project:
    project = Project.at(copy_project(tmp_path / "project"))
    write(project, TINY)
    return project


@pytest.fixture
def outside(tmp_path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


@contextlib.contextmanager
def watched(fifo: Path) -> Iterator[list[str]]:
    """Records each time a reader has the FIFO open (and lets it read an empty file)."""
    opened: list[str] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: nobody reads it
                time.sleep(0.002)
                continue
            opened.append(str(fifo))
            os.close(fd)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield opened
    finally:
        stop.set()
        thread.join()


def line_of(path: Path, needle: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1)
                if needle in line)


def link(path: Path, target: Path) -> None:
    if path.exists() or path.is_symlink():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


# ---------------------------------------------------------------------------------------------
# Every kind of input. `plant` puts the escape into the project (the target outside exists) and
# says where the error must be: a path relative to the project, and a needle whose line it is
# (None: line 1 of that file).

Plant = Callable[[Project, Path], tuple[str, str | None]]


@dataclass(frozen=True)
class Case:
    name: str
    suffix: str  # of the file outside
    plant: Plant
    command: tuple[str, ...]
    words: str


def relative_out(project: Project, folder: Path, target: Path) -> str:
    return os.path.relpath(target, folder)


def brief_yaml_link(project, target):
    link(project.brief_file("tiny"), target)
    return "content/tiny/brief.yaml", None


def brief_folder_link(project, target):
    target.parent.joinpath("folder").mkdir(exist_ok=True)
    inner = target.parent / "folder" / "brief.yaml"
    if target.is_fifo():
        os.mkfifo(inner)
    else:
        shutil.copy(target, inner)
    link(project.content / "evil", target.parent / "folder")
    return "content/evil/brief.yaml", None


def audiences_link(project, target):
    link(project.audiences_file, target)
    return "content/audiences.yaml", None


def _audience_stylesheet(name: str) -> Plant:
    def plant(project, target):
        if name == "link":
            link(project.styles / "evil.css", target)
        value = {"dotdot": relative_out(project, project.styles, target),
                 "absolute": str(target), "link": "evil.css"}[name]
        edit(project.audiences_file, 'stylesheets: ["base.css", "brief.css"]',
             f'stylesheets: ["base.css", "{value}"]')
        return "content/audiences.yaml", value
    return plant


def _brief_stylesheet(name: str) -> Plant:
    def plant(project, target):
        if name == "link":
            link(project.styles / "evil.css", target)
        value = {"dotdot": relative_out(project, project.styles, target),
                 "absolute": str(target), "link": "evil.css"}[name]
        write(project, TINY.replace("audiences: [full, mep]",
                                    f'audiences:\n  full: {{stylesheets: ["{value}"]}}\n  mep:'))
        return "content/tiny/brief.yaml", value
    return plant


def _template(name: str) -> Plant:
    def plant(project, target):
        if name == "link":
            link(project.templates / "evil.html.j2", target)
        value = {"dotdot": relative_out(project, project.templates, target),
                 "absolute": str(target), "link": "evil.html.j2"}[name]
        edit(project.audiences_file, 'template: "brief.html.j2"', f'template: "{value}"')
        return "content/audiences.yaml", value
    return plant


def imported_template_link(project, target):
    link(project.templates / "_macros.html.j2", target)
    return "templates/_macros.html.j2", None


def po_link(project, target):
    link(project.content / "tiny" / "translations" / "en.po", target)
    return "content/tiny/translations/en.po", None


def po_folder_link(project, target):
    folder = target.parent / "translations"
    folder.mkdir(exist_ok=True)
    if target.is_fifo():
        os.mkfifo(folder / "en.po")
    else:
        shutil.copy(target, folder / "en.po")
    link(project.content / "tiny" / "translations", folder)
    return "content/tiny/translations/en.po", None


def _bibliography(name: str) -> Plant:
    def plant(project, target):
        folder = project.content / "tiny"
        if name == "link":
            link(folder / "refs.json", target)
        value = {"dotdot": relative_out(project, folder, target), "absolute": str(target),
                 "link": "refs.json"}[name]
        write(project, TINY + f"bibliography: {value}\n")
        return "content/tiny/brief.yaml", "bibliography:"
    return plant


def _image(name: str) -> Plant:
    def plant(project, target):
        folder = project.content / "tiny"
        if name == "link":
            link(folder / "chart.png", target)
        value = {"dotdot": relative_out(project, folder, target), "absolute": str(target),
                 "link": "chart.png"}[name]
        write(project, TINY.replace('nl: "Tekst.[@src]"', f'nl: "Tekst.[@src] ![x]({value})"'))
        return "content/tiny/brief.yaml", "![x]"
    return plant


def _recipients(name: str) -> Plant:
    def plant(project, target):
        link(project.content / "tiny" / name, target)
        return f"content/tiny/{name}", None
    return plant


def exceptions_link(project, target):
    link(project.content / "hyphenation" / "exceptions-nl.txt", target)
    return "content/hyphenation/exceptions-nl.txt", None


def patterns_link(project, target):
    link(project.styles / "hyphenation" / "hyph_nl.dic", target)
    return "styles/hyphenation/hyph_nl.dic", None


OUTSIDE_STYLES = "leads outside styles/"
LINK_OUT = "is a symbolic link leading outside"
CHECK = ("check", "tiny")
PERSONALISE = ("personalise", "tiny", "--audience", "full")

CASES = [
    Case("brief.yaml-link", ".yaml", brief_yaml_link, CHECK, LINK_OUT),
    Case("brief-folder-link", ".yaml", brief_folder_link, ("check", "evil"),
         "the brief's folder evil/ is a symbolic link leading outside content/"),
    Case("audiences.yaml-link", ".yaml", audiences_link, CHECK, LINK_OUT),
    *(Case(f"audiences-stylesheet-{n}", ".css", _audience_stylesheet(n), CHECK, words)
      for n, words in (("dotdot", OUTSIDE_STYLES), ("absolute", OUTSIDE_STYLES),
                       ("link", LINK_OUT))),
    *(Case(f"brief-override-stylesheet-{n}", ".css", _brief_stylesheet(n), CHECK, words)
      for n, words in (("dotdot", OUTSIDE_STYLES), ("absolute", OUTSIDE_STYLES),
                       ("link", LINK_OUT))),
    *(Case(f"template-{n}", ".j2", _template(n), CHECK, words)
      for n, words in (("dotdot", "leads outside templates/"),
                       ("absolute", "leads outside templates/"), ("link", LINK_OUT))),
    Case("imported-template-link", ".j2", imported_template_link, CHECK, LINK_OUT),
    Case("translation-link", ".po", po_link, CHECK, LINK_OUT),
    Case("translations-folder-link", ".po", po_folder_link, CHECK, LINK_OUT),
    *(Case(f"bibliography-{n}", ".json", _bibliography(n), CHECK, words)
      for n, words in (("dotdot", "leads out of the brief's folder"),
                       ("absolute", "is an absolute path"),
                       ("link", "leads out of the brief's folder"))),
    *(Case(f"image-{n}", ".png", _image(n), CHECK, words)
      for n, words in (("dotdot", "is not allowed"), ("absolute", "is not allowed"),
                       ("link", LINK_OUT))),
    Case("recipients.csv-link", ".csv", _recipients("recipients.csv"), PERSONALISE, LINK_OUT),
    Case("recipients.xlsx-link", ".xlsx", _recipients("recipients.xlsx"), PERSONALISE,
         LINK_OUT),
    Case("hyphenation-exceptions-link", ".txt", exceptions_link, CHECK, LINK_OUT),
    Case("hyphenation-patterns-link", ".dic", patterns_link, CHECK, LINK_OUT),
]


def _target(outside: Path, suffix: str, fifo: bool) -> Path:
    target = outside / f"secret{suffix}"
    if fifo:
        os.mkfifo(target)
    else:
        target.write_text(SECRET + "\n")
    return target


def _assert_located(result, project: Project, where: str, needle: str | None, words: str
                    ) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "bug in brief" not in result.output
    line = 1 if needle is None else line_of(project.root / where, needle)
    assert f"{where}:{line}" in result.output and words in result.output, result.output
    located = [text for text in result.output.splitlines() if text.startswith(f"{where}:{line}")]
    assert located and words in " ".join(located), result.output


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_an_input_leading_outside_is_a_located_error_and_never_opened(case, project, outside):
    target = _target(outside, case.suffix, fifo=True)
    where, needle = case.plant(project, target)
    with watched(target) as opened:
        result = run_cli(project, *case.command)
    assert opened == [], f"{target} was opened"
    _assert_located(result, project, where, needle, case.words)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_no_message_shows_what_is_in_a_file_outside(case, project, outside):
    target = _target(outside, case.suffix, fifo=False)
    where, needle = case.plant(project, target)
    result = run_cli(project, *case.command)
    assert "SECRET" not in result.output, result.output
    _assert_located(result, project, where, needle, case.words)


def test_the_cases_cover_every_kind_of_input():
    kinds = {"brief.yaml", "brief-folder", "audiences.yaml", "audiences-stylesheet",
             "brief-override-stylesheet", "template", "imported-template", "translation",
             "translations-folder", "bibliography", "image", "recipients.csv", "recipients.xlsx",
             "hyphenation-exceptions", "hyphenation-patterns"}
    named = {case.name.rsplit("-", 1)[0] for case in CASES}
    assert kinds <= named, kinds - named


# ---------------------------------------------------------------------------------------------
# The command line: brief ids that are paths, --recipients


@pytest.mark.parametrize("command", ["build", "check", "list", "status", "preview"])
@pytest.mark.parametrize("brief_id", ["../../outside", "/etc", "content/tiny/../../..",
                                      "content/tiny"])
def test_a_brief_id_that_is_a_path_is_refused_before_anything_is_read(
        command, brief_id, project, outside, tmp_path):
    os.mkfifo(outside / "brief.yaml")
    with watched(outside / "brief.yaml") as opened:
        result = run_cli(project, command, brief_id)
    assert opened == []
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "bug in brief" not in result.output
    assert f"{brief_id!r} is not a brief id" in result.output, result.output
    if brief_id == "content/tiny":
        assert "did you mean 'tiny'?" in result.output
    assert not project.out.exists() or not any(project.out.rglob("*.pdf"))


@pytest.mark.parametrize("command", [("personalise", "{id}", "--audience", "full"),
                                     ("translate", "{id}", "--to", "en"), ("new", "{id}")])
def test_single_brief_commands_refuse_a_path_too(command, project):
    result = run_cli(project, *(part.replace("{id}", "../../outside") for part in command))
    assert result.exit_code == 1, result.output
    assert "'../../outside' is not a brief id" in result.output, result.output


def test_recipients_given_on_the_command_line_must_be_a_regular_file(project, outside):
    fifo = outside / "list.csv"
    os.mkfifo(fifo)
    with watched(fifo) as opened:
        result = run_cli(project, *PERSONALISE, "--recipients", str(fifo))
    assert opened == []
    assert result.exit_code == 1, result.output
    assert f"{fifo}:1: the recipient list is a named pipe (FIFO), not a file" in result.output


def test_recipients_given_on_the_command_line_may_lie_outside_the_project(project, outside):
    """The operator names the file (docs/personalising.md keeps real lists outside the
    project); it is read, as a regular file."""
    listed = outside / "list.csv"
    listed.write_text("id,name,language\nanna,Anna,nl\n")
    result = run_cli(project, *PERSONALISE, "--recipients", str(listed), "--only", "nobody")
    assert f"no recipient with id 'nobody' in {listed}" in result.output, result.output


# ---------------------------------------------------------------------------------------------
# Writing: a folder that is a link leading out is never written through


def test_translate_does_not_write_through_a_folder_leading_out(project, outside):
    link(project.content / "tiny" / "translations", outside)
    result = run_cli(project, "translate", "tiny", "--to", "en")
    assert result.exit_code == 1, result.output
    assert "content/tiny/translations/en.po:1: translation file 'en.po'" in result.output
    assert list(outside.iterdir()) == []


def test_translate_does_not_read_a_translation_leading_out(project, outside):
    os.mkfifo(outside / "en.po")
    link(project.content / "tiny" / "translations" / "en.po", outside / "en.po")
    with watched(outside / "en.po") as opened:
        result = run_cli(project, "translate", "tiny", "--to", "en")
    assert opened == []
    assert result.exit_code == 1, result.output
    assert "content/tiny/translations/en.po:1:" in result.output


def test_new_does_not_write_into_a_folder_leading_out(project, outside):
    link(project.content / "evil", outside)
    result = run_cli(project, "new", "evil")
    assert result.exit_code == 1, result.output
    assert "content/evil/brief.yaml:1: the brief's folder evil/ is a symbolic link" in \
        result.output
    assert list(outside.iterdir()) == []


def test_new_does_not_write_schemas_through_a_folder_leading_out(project, outside):
    link(project.root / "schemas", outside)
    result = run_cli(project, "new", "fresh")
    assert result.exit_code == 1, result.output
    assert "schemas/brief.schema.json:1: schema 'brief.schema.json' would be written outside" \
        in result.output, result.output
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("command", ["build", "list", "status", "check"])
def test_a_brief_folder_leading_out_is_neither_hashed_nor_read(command, project, outside):
    (outside / "folder").mkdir()
    os.mkfifo(outside / "folder" / "brief.yaml")
    os.mkfifo(outside / "folder" / "chart.png")
    link(project.content / "evil", outside / "folder")
    with watched(outside / "folder" / "brief.yaml") as opened, \
            watched(outside / "folder" / "chart.png") as hashed:
        result = run_cli(project, command, "evil")
    assert opened == [] and hashed == []
    assert "Traceback" not in result.output and "bug in brief" not in result.output
    if command != "list":  # list only says what it knows of the brief, reading nothing
        assert result.exit_code == 1, result.output
        assert "content/evil/brief.yaml:1: the brief's folder evil/ is a symbolic link " \
            "leading outside content/" in result.output, result.output


# ---------------------------------------------------------------------------------------------
# Hashing: what a folder walk finds is never read when it leads out or is huge


def test_digests_open_no_file_outside_and_read_no_huge_file(project, outside):
    folder = project.content / "tiny"
    os.mkfifo(outside / "pipe")
    (folder / "pipe.png").symlink_to(outside / "pipe")
    with open(outside / "huge.bin", "wb") as handle:  # sparse: 3 GB that cost no disk
        handle.truncate(3 * 2**30)
    (folder / "huge-link.mp4").symlink_to(outside / "huge.bin")
    with open(folder / "video.mp4", "wb") as handle:
        handle.truncate(3 * 2**30)
    (folder / "sub").symlink_to(outside)  # a linked folder: not walked into
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with watched(outside / "pipe") as opened:
        first = brief_inputs_digest(project, "tiny")
        listed = run_cli(project, "list", "tiny")
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert opened == []
    assert listed.exit_code == 0, listed.output
    assert (after - before) * 1024 < 200 * 2**20, "a huge file was read"
    # the huge file inside still counts: a change of it (its size or time) is a change
    with open(folder / "video.mp4", "r+b") as handle:
        handle.truncate(3 * 2**30 + 1)
    assert brief_inputs_digest(project, "tiny") != first


def test_the_gate_reads_within_the_cap(tmp_path):
    (tmp_path / "big.bin").write_bytes(b"x" * 11)
    with pytest.raises(Refused, match="more than the"):
        read_bytes(tmp_path, tmp_path / "big.bin", what="file", limit=10)
    assert read_bytes(tmp_path, tmp_path / "big.bin", what="file", limit=11) == b"x" * 11
    assert MAX_FILE_BYTES == 20 * 2**20  # docs/security.md's cap


# ---------------------------------------------------------------------------------------------
# Fonts: only at rendering (fontconfig reads styles/fonts/ itself)


@pytest.mark.slow
def test_a_font_leading_outside_fails_the_build_at_its_path(project, outside):
    os.mkfifo(outside / "evil.ttf")
    link(project.styles / "fonts" / "evil.ttf", outside / "evil.ttf")
    with watched(outside / "evil.ttf") as opened:
        result = run_cli(project, "build", "tiny")
    assert opened == []
    assert result.exit_code == 1, result.output
    assert "styles/fonts/evil.ttf:1: font 'evil.ttf' is a symbolic link leading outside " \
        "styles/" in result.output, result.output
