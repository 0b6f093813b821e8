"""Faults of the machine, not of the content: a full disk, a read-only out/, a file where a
folder belongs. Every command that writes says which file could not be written and why (the
system's reason), what to do about the disk or folder — never about the content — exits 1
without a traceback, keeps the earlier files byte-identical, and still reports the other
outputs' results and errors.

The unit tests make the system fail in-process (`os.replace`, `tempfile.mkstemp` raising) or
put a regular file where a folder belongs (ENOTDIR: it stops root too, unlike chmod). The
command-line tests mount a real tmpfs over out/ — full (ENOSPC), or read-only (EROFS) — and are
skipped, saying why, where mounting is not permitted.
"""

from __future__ import annotations

import contextlib
import errno
import os
import pickle
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import generator.run.write
from generator.errors import WriteError
from generator.project import Project
from generator.run.build import build
from generator.run.personalise import MANIFEST_CSV, personalise
from generator.run.preview import PAGE_NAME, preview
from generator.run.write import write_atomic, write_atomic_all

from .support import SAMPLE, copy_project, run_cli, write

ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
EROFS = OSError(errno.EROFS, os.strerror(errno.EROFS))

#: The words of a message that blames the content (it must not, for a fault of the machine).
CONTENT_ADVICE = ("brief.yaml", "fix the", "content")


def assert_machine_fault(output: str, *names: str, reason: str) -> None:
    """The output names each file with the reason, advises about the disk, shows no
    traceback."""
    assert "Traceback" not in output and "bug in brief" not in output, output
    lines = [line for line in output.splitlines()
             if "could not be written" in line or "could not be removed" in line]
    for name in names:
        line = next((line for line in lines if name in line), None)
        assert line is not None, (name, output)
        assert f"({reason})" in line and "run again" in line, line
        assert not any(word in line.split(";", 1)[1] for word in CONTENT_ADVICE), line


# ---------------------------------------------------------------------------------------------
# write_atomic


def test_a_full_disk_at_the_rename_leaves_the_earlier_file_and_no_temp_file(tmp_path,
                                                                           monkeypatch):
    path = tmp_path / "out" / "a.pdf"
    write_atomic(path, b"earlier")

    def full(src: object, dst: object) -> None:
        raise ENOSPC

    monkeypatch.setattr(generator.run.write.os, "replace", full)
    with pytest.raises(WriteError) as caught:
        write_atomic(path, b"new")
    assert path.read_bytes() == b"earlier" and os.listdir(path.parent) == ["a.pdf"]
    assert caught.value.lines(tmp_path) == [
        "out/a.pdf: could not be written (No space left on device); free space on that disk "
        "(or copy the project to another one) and run again — the earlier file is unchanged"]


def test_a_read_only_folder_says_so_and_nothing_was_written(tmp_path, monkeypatch):
    def read_only(*args: object, **kwargs: object) -> None:
        raise EROFS

    monkeypatch.setattr(generator.run.write.tempfile, "mkstemp", read_only)
    with pytest.raises(WriteError) as caught:
        write_atomic(tmp_path / "new.pdf", b"x")
    [line] = caught.value.lines(tmp_path)
    assert line.startswith("new.pdf: could not be written (Read-only file system); the disk is "
                           "read-only") and line.endswith("— nothing was written")
    assert not list(tmp_path.iterdir())


def test_a_file_where_a_folder_belongs_is_named(tmp_path):
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(WriteError) as caught:
        write_atomic(tmp_path / "out" / "brief" / "a.pdf", b"x")
    [line] = caught.value.lines(tmp_path)
    assert line.startswith("out/brief/a.pdf: could not be written (out is a file, not a "
                           "folder); a file stands where a folder belongs: move that file away")


def test_an_output_and_its_booklet_are_both_kept_when_the_second_cannot_be_written(
        tmp_path, monkeypatch):
    pdf, booklet = tmp_path / "a.pdf", tmp_path / "a.booklet.pdf"
    write_atomic_all([(pdf, b"pdf"), (booklet, b"booklet")])
    real = os.fdopen
    opened: list[int] = []

    def second_fails(fd: int, *args: object, **kwargs: object) -> object:
        opened.append(fd)
        if len(opened) == 2:
            os.close(fd)
            raise ENOSPC
        return real(fd, *args, **kwargs)

    monkeypatch.setattr(generator.run.write.os, "fdopen", second_fails)
    with pytest.raises(WriteError) as caught:
        write_atomic_all([(pdf, b"new pdf"), (booklet, b"new booklet")])
    assert caught.value.path == booklet
    assert (pdf.read_bytes(), booklet.read_bytes()) == (b"pdf", b"booklet")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.booklet.pdf", "a.pdf"]


def test_a_write_error_travels_from_a_worker_as_it_is(tmp_path):
    error = WriteError.of(tmp_path / "a.pdf", ENOSPC)
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, WriteError) and copy.lines(tmp_path) == error.lines(tmp_path)


# ---------------------------------------------------------------------------------------------
# Every command that writes (fast: nothing rendered)


def test_a_build_whose_manifest_cannot_be_written_says_so_with_the_briefs_errors(project):
    project.out.write_text("a file, not the out/ folder")
    write(project, "title: [unclosed\n", "broken")
    result = run_cli(project, "build", "broken")
    assert result.exit_code == 1, result.output
    assert "content/broken/brief.yaml:" in result.output  # the brief's own error, still said
    assert_machine_fault(result.output, "out/.brief-manifest.json", reason="out is a file, not "
                         "a folder")
    assert result.output.splitlines()[-1].endswith("1 file not written")


def test_schema_write_into_a_file_where_schemas_belongs(project):
    (project.root / "schemas").write_text("not a folder")
    result = run_cli(project, "schema", "--write")
    assert result.exit_code == 1
    assert_machine_fault(result.output, "schemas/", reason="schemas is a file, not a folder")
    result = run_cli(project, "schema", "-o", str(project.root / "schemas" / "x.json"))
    assert result.exit_code == 1
    assert_machine_fault(result.output, "x.json", reason="schemas is a file, not a folder")


@pytest.fixture
def read_only_content(project, monkeypatch) -> Project:
    """Every file brief writes under content/ fails as on a read-only disk."""
    real = generator.run.write.tempfile.mkstemp

    def mkstemp(*args: object, dir: Path, **kwargs: object) -> tuple[int, str]:
        if project.content in [Path(dir), *Path(dir).parents]:
            raise EROFS
        return real(*args, dir=dir, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(generator.run.write.tempfile, "mkstemp", mkstemp)
    return project


def test_new_and_translate_into_a_read_only_content_folder(read_only_content):
    project = read_only_content
    po = project.content / SAMPLE / "translations" / "en.po"
    before = po.read_bytes()
    result = run_cli(project, "new", "fresh")
    assert result.exit_code == 1
    assert_machine_fault(result.output, "content/fresh/brief.yaml", reason="Read-only file "
                         "system")
    assert not (project.content / "fresh" / "brief.yaml").exists()
    result = run_cli(project, "translate", SAMPLE, "--to", "en")
    assert result.exit_code == 1
    assert_machine_fault(result.output, "content/expert-advice/translations/en.po",
                         reason="Read-only file system")
    assert po.read_bytes() == before


def test_a_preview_that_cannot_be_written_is_said_and_the_others_still_are(project,
                                                                          monkeypatch):
    for brief_id in ("aaa", "bbb"):
        write(project, "title: x\n", brief_id)
    real = generator.run.write.tempfile.mkstemp

    def mkstemp(*args: object, dir: Path, **kwargs: object) -> tuple[int, str]:
        if "aaa" in Path(dir).parts:
            raise ENOSPC
        return real(*args, dir=dir, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(generator.run.write.tempfile, "mkstemp", mkstemp)
    made = {p.brief: p for p in preview(project, ["aaa", "bbb"])}
    assert made["aaa"].error is not None and made["bbb"].error is None
    assert not (project.out / "aaa" / PAGE_NAME).exists()
    assert (project.out / "bbb" / PAGE_NAME).is_file()


# ---------------------------------------------------------------------------------------------
# A real full or read-only disk under out/ (a tmpfs), through the command line


@contextlib.contextmanager
def small_disk(folder: Path, *, read_only: bool = False) -> Iterator[None]:
    """A tmpfs mounted over `folder`, holding a copy of what it held: full to the last byte,
    or read-only. Skips the test where mounting is not permitted."""
    if shutil.which("mount") is None:
        pytest.skip("no mount command: a real full or read-only disk cannot be made here")
    keep = folder.parent / f".{folder.name}-{uuid.uuid4().hex[:8]}"
    shutil.copytree(folder, keep)
    used = sum(p.stat().st_size for p in keep.rglob("*") if p.is_file())
    size = used + len(list(keep.rglob("*"))) * 4096 + 64 * 1024
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                              str(folder)], capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        shutil.rmtree(keep)
        pytest.skip(f"mounting a tmpfs is not permitted here (needs root or CAP_SYS_ADMIN): "
                    f"{mounted.stderr.strip()}")
    try:
        shutil.copytree(keep, folder, dirs_exist_ok=True)
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            with contextlib.suppress(OSError), (folder / ".fill").open("wb") as fill:
                while True:
                    fill.write(b"\0" * 4096)
                    fill.flush()
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)
        shutil.rmtree(keep)


def brief_cli(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    """`brief --project ROOT ARGS…` in its own process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "generator", "--project", str(project.root),
                           *args], capture_output=True, text=True, check=False, timeout=600)


def snapshot(project: Project) -> dict[str, bytes]:
    """Every file under out/, by its path there."""
    return {str(p.relative_to(project.out)): p.read_bytes()
            for p in sorted(project.out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    """The sample, built and personalised for the MEPs (once for this module)."""
    project = Project.at(copy_project(tmp_path_factory.mktemp("faults")))
    assert build(project, [SAMPLE]).ok
    assert personalise(project, SAMPLE, "mep").ok
    return project


@pytest.fixture
def sample(built, tmp_path) -> Project:
    return Project.at(shutil.copytree(built.root, tmp_path / "sample"))


@pytest.mark.slow
def test_a_full_disk_fails_every_output_and_copy_by_name_and_keeps_every_file(sample):
    before = snapshot(sample)
    pdfs = [name for name in before  # a booklet is written with its output: not named alone
            if name.endswith(".pdf") and "/personal/" not in name and ".booklet." not in name
            and "/web/" not in name]  # a web page's copy of a PDF: written with its page
    pages = [name for name in before if "/web/" in name and name.endswith("/index.html")
             and name.count("/") == 3]  # expert-advice/web/<lang>/index.html
    copies = [name for name in before if "/personal/" in name and name.endswith(".pdf")]
    with small_disk(sample.out):
        made = brief_cli(sample, "build", "--force", "-j", "2")
        assert made.returncode == 1, made.stderr
        assert_machine_fault(made.stderr, *(f"out/{name}" for name in (*pdfs, *pages)),
                             "out/.brief-manifest.json", reason="No space left on device")
        assert "the earlier file is unchanged" in made.stderr
        assert len(pages) == 5
        assert made.stdout.splitlines()[-1] == "0 built, 0 up to date, 11 failed, 1 file not " \
                                               "written"

        copied = brief_cli(sample, "personalise", SAMPLE, "--audience", "mep", "--force",
                           "-j", "2")
        assert copied.returncode == 1, copied.stderr
        assert_machine_fault(copied.stderr, *(f"out/{name}" for name in copies),
                             f"out/{SAMPLE}/personal/mep/{MANIFEST_CSV}",
                             reason="No space left on device")
        assert f"{len(copies)} failed" in copied.stdout

        previewed = brief_cli(sample, "preview", "-j", "2")
        assert previewed.returncode == 1, previewed.stderr
        assert_machine_fault(previewed.stderr, f"out/{SAMPLE}/preview/",
                             reason="No space left on device")
        # the journal of what the runs were about to write (folded in by the next run) is no
        # output: every output, and the manifest, is as it was
        after = {name: data for name, data in snapshot(sample).items()
                 if name not in (".fill", ".brief-journal.jsonl")}
    assert after == before  # byte-identical, and no temp file left


@pytest.mark.slow
def test_a_read_only_out_folder_says_so_for_build_personalise_preview_and_clean(sample):
    before = snapshot(sample)
    with small_disk(sample.out, read_only=True):
        for args, file in ((("build",), "out/.brief-manifest.json"),
                           (("personalise", SAMPLE, "--audience", "mep"),
                            f"out/{SAMPLE}/personal/mep/{MANIFEST_CSV}"),
                           (("preview",), f"out/{SAMPLE}/preview/")):
            run = brief_cli(sample, *args, "-j", "1")
            assert run.returncode == 1, (args, run.stdout, run.stderr)
            assert_machine_fault(run.stderr, file, reason="Read-only file system")
            assert "the disk is read-only" in run.stderr
        cleaned = brief_cli(sample, "clean", "--all")
        assert cleaned.returncode == 1, (cleaned.stdout, cleaned.stderr)
        assert_machine_fault(cleaned.stderr, f"out/{SAMPLE}/", reason="Read-only file system")
        assert "could not be removed" in cleaned.stderr and "it is still there" in cleaned.stderr
        after = snapshot(sample)
    assert after == before


@pytest.mark.slow
def test_a_manifest_csv_not_written_after_copies_were_is_removed_not_kept_stale(
        sample, monkeypatch):
    real = generator.run.write.tempfile.mkstemp

    def mkstemp(*args: object, prefix: str, **kwargs: object) -> tuple[int, str]:
        if prefix.startswith(f".{MANIFEST_CSV}"):
            raise ENOSPC
        return real(*args, prefix=prefix, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(generator.run.write.tempfile, "mkstemp", mkstemp)
    result = personalise(sample, SAMPLE, "mep", force=True, jobs=2)
    assert not result.ok and result.rebuilt
    [error] = result.errors
    assert error.lines(sample.root)[0].endswith(
        "— the earlier one no longer matched the copies, so it was removed")
    assert not (result.folder / MANIFEST_CSV).exists()
