"""Interrupted and concurrent runs: `brief personalise` (and `build`) killed with SIGKILL at
several moments, then run again; two runs at once; a lock left by a dead run; copies of
recipients removed after an interruption. Every test asserts on the real outputs: each PDF's
text, and each `manifest.csv` checksum against its file.

The runs that are killed are real `brief` processes (their own process group, killed whole, the
workers with them), stopped once they have written a given number of copies.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.project import OutputId, Project
from generator.run.manifest import JOURNAL_NAME, MANIFEST_NAME, Manifest
from generator.run.personalise import MANIFEST_CSV, spreadsheet_safe
from generator.text.locale import format_date

from .support import SAMPLE, edit, english, pages_text, run_cli, squash

BRIEF = Path(sys.executable).parent / "brief"
PERSONALISE = ("personalise", SAMPLE, "--audience", "mep")
#: Languages of the sample list's copies in the MEP brief (the others fall back to English).
OWN = {"lukasz-wrobel": "pl", "jean-dupont": "fr", "anna-muller": "de", "mary-oconnor": "en"}


def folder(project: Project) -> Path:
    return project.out / SAMPLE / "personal" / "mep"


def recipients_csv(project: Project) -> Path:
    return project.content / SAMPLE / "recipients.csv"


def read_list(project: Project) -> list[dict[str, str]]:
    with recipients_csv(project).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def manifest_rows(project: Project) -> list[dict[str, str]]:
    text = (folder(project) / MANIFEST_CSV).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def stamps(project: Project) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder(project).glob("*.pdf")}


_STARTED: list[subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def _stop_what_was_started():
    """Whatever a test started and left running (it failed midway) is killed after it."""
    yield
    while _STARTED:
        process = _STARTED.pop()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        if process.stdout is not None and not process.stdout.closed:
            process.communicate()


def start(project: Project, *args: str) -> subprocess.Popen[bytes]:
    """`brief` in its own process group (so that killing it kills its workers too)."""
    # SIGINT handled here (not ignored, as in a shell's background job): so the child gets it
    # as on a terminal, Ctrl-C
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen([str(BRIEF), "--project", str(project.root), *args],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    finally:
        signal.signal(signal.SIGINT, before)
    _STARTED.append(process)
    return process


def kill_after(process: subprocess.Popen[bytes], written: Callable[[], int], count: int,
               how: signal.Signals = signal.SIGKILL) -> bool:
    """Kill the process group (SIGKILL, or `how`: SIGINT is Ctrl-C) once `written()` reaches
    `count` (True), or let it be if it ended first (False)."""
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        if written() >= count:
            os.killpg(process.pid, how)
            try:
                process.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                pytest.fail(f"still running 120 s after {how.name}")
            return True
        time.sleep(0.01)
    process.communicate()
    return False


def changed_copies(project: Project, before: dict[str, int]) -> Callable[[], int]:
    """How many copies were written since `before` (new or rewritten files)."""
    def count() -> int:
        now = stamps(project)
        return sum(1 for name, stamp in now.items() if before.get(name) != stamp)
    return count


def assert_consistent(project: Project, names: dict[str, str], date: str | None = None) -> None:
    """Every copy on disk is a recipient's of `names` (id → name), prints their name (and the
    letter's `date`), and manifest.csv lists each with its file's checksum."""
    rows = manifest_rows(project)
    assert {row["id"] for row in rows} == set(names)
    assert {p.stem for p in folder(project).glob("*.pdf")} == set(names)
    assert not list(folder(project).glob(".*.tmp"))
    for row in rows:
        pdf = folder(project) / row["file"]
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == row["sha256"], row["id"]
        letter = squash(pages_text(pdf)[0])
        assert squash(names[row["id"]]) in letter, row["id"]
        if date is not None:
            assert squash(format_date(date, row["language"])) in letter, row["id"]
    assert not (project.out / JOURNAL_NAME).exists()


def swapped(name: str) -> str:
    """The name with its last two letters swapped: the same glyphs and length, so a copy of
    (most likely) the same size."""
    assert name[-1] != name[-2], name
    return name[:-2] + name[-1] + name[-2]


def write_names(project: Project, names: dict[str, str]) -> None:
    rows = read_list(project)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "name": names[row["id"]]})
    recipients_csv(project).write_text(text.getvalue(), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Fast: the manifest's rules, the lock, manifest.csv's cells


def test_a_file_is_current_only_if_its_checksum_is_the_recorded_one(tmp_path):
    manifest = Manifest(tmp_path)
    output = OutputId("b", "mep", "en")
    output.path(tmp_path).parent.mkdir(parents=True)
    output.path(tmp_path).write_bytes(b"%PDF-one")
    manifest.record_output(output, "d")
    assert manifest.output_is_current(output, "d")
    output.path(tmp_path).write_bytes(b"%PDF-two")  # the same size, other bytes
    assert not manifest.output_is_current(output, "d")
    assert not manifest.written_by_brief(output.path(tmp_path), output)
    assert manifest.stored_warnings(output) == []


def test_the_journal_keeps_every_change_until_saved_and_is_folded_in(tmp_path):
    output = OutputId("b", "mep", "en", "anna")
    path = output.path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"%PDF-old")
    manifest = Manifest.open(tmp_path)
    manifest.record_output(output, "d", pages=1)
    manifest.record_brief("b", "x")
    manifest.save()
    manifest = Manifest.open(tmp_path)
    new = b"%PDF-new"
    manifest.writing(output, hashlib.sha256(new).hexdigest())
    path.write_bytes(new)  # then killed: never recorded, never saved
    del manifest
    assert (tmp_path / JOURNAL_NAME).exists()
    again = Manifest.load(tmp_path)
    assert not again.output_is_current(output, "d")  # not the file recorded
    assert again.written_by_brief(path, output)  # but brief's to remove
    assert again.briefs["b"].inputs == "x"  # a personal copy: the build's record stands
    other = OutputId("b", "mep", "en", "bob")  # a copy written, never recorded anywhere else
    opened = Manifest.open(tmp_path)
    assert not (tmp_path / JOURNAL_NAME).exists()  # folded into the manifest and saved
    other.path(tmp_path).write_bytes(b"%PDF-bob")
    opened.writing(other, hashlib.sha256(b"%PDF-bob").hexdigest())
    opened.close()
    assert other in Manifest.load(tmp_path).outputs_of("b")
    with (tmp_path / JOURNAL_NAME).open("ab") as journal:  # a line cut short by a kill
        journal.write(b'{"op":"forget","brief":"b","ke')
    assert other in Manifest.load(tmp_path).outputs_of("b")


def test_a_normal_output_changed_by_a_run_that_stopped_makes_its_brief_not_built(tmp_path):
    output = OutputId("b", "mep", "en")
    output.path(tmp_path).parent.mkdir(parents=True)
    output.path(tmp_path).write_bytes(b"%PDF-1")
    manifest = Manifest.open(tmp_path)
    manifest.record_output(output, "d")
    manifest.record_brief("b", "x")
    manifest.save()
    assert Manifest.load(tmp_path).brief_is_current("b", "x")
    manifest = Manifest.open(tmp_path)
    manifest.forget(output)  # e.g. removed as no longer made; then killed
    manifest.close()
    assert not Manifest.load(tmp_path).brief_is_current("b", "x")


def test_a_second_run_is_refused_naming_the_first_and_a_dead_ones_lock_is_taken(project):
    from generator.run.lock import LOCK_NAME, LockedError, run_lock

    with run_lock(project.out, "brief personalise expert-advice --audience mep"):
        holder = json.loads((project.out / LOCK_NAME).read_text())
        assert holder["pid"] == os.getpid()
        for args in (PERSONALISE, ("build",), ("clean", "--all"), ("watch",), ("preview",)):
            result = run_cli(project, *args)
            assert result.exit_code == 1, (args, result.output)
            assert (f"another brief run (pid {os.getpid()}, `brief personalise expert-advice "
                    "--audience mep`, started ") in result.output, result.output
            assert "wait for it or stop it" in result.output
            assert "Traceback" not in result.output
        with pytest.raises(LockedError), run_lock(project.out, "brief build"):
            pass
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    (project.out / LOCK_NAME).write_text(json.dumps(
        {"pid": int(dead.stdout), "command": "brief build", "started": "2026-01-01T12:00:00"}))
    left = project.out / SAMPLE / ".expert-advice.mep.en.pdf.abcd1234.tmp"  # a killed write
    left.parent.mkdir(parents=True)
    left.write_bytes(b"%PDF-half")
    with run_lock(project.out, "brief build") as me:
        assert me.pid == os.getpid()
        assert json.loads((project.out / LOCK_NAME).read_text())["pid"] == os.getpid()
    assert not left.exists()


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0",
                                  "-2+3", "@SUM(1+1)", "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_run_gets_a_quote(cell):
    assert spreadsheet_safe(cell) == "'" + cell
    assert spreadsheet_safe("Anna Müller") == "Anna Müller"


# ---------------------------------------------------------------------------------------------
# Slow: real runs, killed


@pytest.fixture
def personalised(project):
    """The sample personalised once, its letters dated 2026-12-12 (a date whose copies have
    the same size as those of 2026-12-21 for most recipients: only their bytes tell them
    apart)."""
    result = run_cli(project, *PERSONALISE, "--date", "2026-12-12")
    assert result.exit_code == 0, result.output
    return project


@pytest.mark.slow
@pytest.mark.parametrize("kill_at", [1, 4, 7])
def test_killed_after_an_edit_then_the_old_list_back_every_copy_is_the_old_lists(
        personalised, kill_at):
    project = personalised
    old = {row["id"]: row["name"] for row in read_list(project)}
    original = recipients_csv(project).read_bytes()
    write_names(project, {rid: swapped(name) for rid, name in old.items()})
    process = start(project, *PERSONALISE, "--date", "2026-12-12", "--jobs", "1")
    kill_after(process, changed_copies(project, stamps(project)), kill_at)
    recipients_csv(project).write_bytes(original)
    result = run_cli(project, *PERSONALISE, "--date", "2026-12-12")
    assert result.exit_code == 0, result.output
    assert_consistent(project, old, "2026-12-12")
    for pdf in folder(project).glob("*.pdf"):  # none prints the interrupted run's names
        assert squash(swapped(old[pdf.stem])) not in squash(pages_text(pdf)[0])
    again = run_cli(project, *PERSONALISE, "--date", "2026-12-12")
    assert "(0 rebuilt)" in again.output, again.output


@pytest.mark.slow
@pytest.mark.parametrize(("kill_at", "how"), [(2, signal.SIGKILL), (5, signal.SIGKILL),
                                              (3, signal.SIGINT)],
                         ids=["SIGKILL-after-2", "SIGKILL-after-5", "SIGINT-after-3"])
def test_killed_with_another_date_then_the_old_date_again(personalised, kill_at, how):
    project = personalised
    names = {row["id"]: row["name"] for row in read_list(project)}
    process = start(project, *PERSONALISE, "--date", "2026-12-21", "--jobs", "1")
    if kill_after(process, changed_copies(project, stamps(project)), kill_at, how) \
            and how == signal.SIGINT:  # Ctrl-C: stops
        assert process.returncode != 0
    result = run_cli(project, *PERSONALISE, "--date", "2026-12-12")
    assert result.exit_code == 0, result.output
    assert_consistent(project, names, "2026-12-12")


@pytest.mark.slow
def test_two_runs_at_once_the_second_is_refused_and_the_first_completes(personalised):
    project = personalised
    names = {row["id"]: row["name"] for row in read_list(project)}
    first = start(project, *PERSONALISE, "--date", "2026-12-21", "--jobs", "1")
    lock = project.out / ".brief.lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (
            lock.exists() and f'"pid": {first.pid}' in lock.read_text()):
        time.sleep(0.01)
    second = start(project, *PERSONALISE, "--date", "2026-12-30")
    output = second.communicate()[0].decode()
    assert second.returncode == 1, output
    assert f"another brief run (pid {first.pid}, `brief --project {project.root} personalise " \
           "expert-advice --audience mep --date 2026-12-21 --jobs 1`, started" in output
    assert "Traceback" not in output
    output = first.communicate()[0].decode()
    assert first.returncode == 0, output
    assert_consistent(project, names, "2026-12-21")


@pytest.mark.slow
def test_copies_of_recipients_removed_after_an_interruption_are_removed(personalised):
    project = personalised
    original = recipients_csv(project).read_bytes()
    names = {row["id"]: row["name"] for row in read_list(project)}
    lines = original.decode().splitlines()
    added = [line.replace("jean-dupont,", f"{new},", 1)
             for new in ("added-one", "added-two") for line in lines if "jean-dupont," in line]
    recipients_csv(project).write_text("\n".join([lines[0], *added, *lines[1:]]) + "\n",
                                       encoding="utf-8")
    process = start(project, *PERSONALISE, "--date", "2026-12-12", "--jobs", "1")
    assert kill_after(process, changed_copies(project, stamps(project)), 2)
    assert {"added-one.pdf", "added-two.pdf"} <= set(stamps(project))
    recipients_csv(project).write_bytes(original)
    result = run_cli(project, *PERSONALISE, "--date", "2026-12-12")
    assert result.exit_code == 0, result.output
    assert "removed     out/expert-advice/personal/mep/added-one.pdf" in result.output
    assert_consistent(project, names, "2026-12-12")


@pytest.mark.slow
def test_clean_all_after_an_interruption_removes_every_copy(personalised):
    project = personalised
    original = recipients_csv(project).read_text(encoding="utf-8")
    lines = original.splitlines()
    added = [line.replace("jean-dupont,", "added-one,", 1) for line in lines
             if "jean-dupont," in line]
    recipients_csv(project).write_text("\n".join([lines[0], *added, *lines[1:]]) + "\n",
                                       encoding="utf-8")
    process = start(project, *PERSONALISE, "--date", "2026-12-21", "--jobs", "1")
    assert kill_after(process, changed_copies(project, stamps(project)), 2)
    result = run_cli(project, "clean", "--all")
    assert result.exit_code == 0, result.output
    assert not folder(project).exists(), sorted(p.name for p in folder(project).iterdir())
    assert not [p for p in project.out.rglob("*") if p.is_file()
                and p.name not in (MANIFEST_NAME, ".brief.lock")]


@pytest.mark.slow
def test_a_build_killed_then_its_edit_undone_rebuilds_what_the_killed_run_wrote(project):
    assert run_cli(project, "build", SAMPLE).exit_code == 0
    outputs = sorted(project.out.glob(f"{SAMPLE}/*.pdf"))
    before = {p: p.stat().st_mtime_ns for p in outputs}
    text = english(project)
    original = text.read_bytes()
    edit(text, "Expand police capacity.", "Expand polcie capacity.")  # the same glyphs
    process = start(project, "build", SAMPLE, "--jobs", "1")
    kill_after(process, lambda: sum(p.stat().st_mtime_ns != t for p, t in before.items()), 1)
    text.write_bytes(original)
    result = run_cli(project, "build", SAMPLE)
    assert result.exit_code == 0, result.output
    for pdf in outputs:
        assert "polcie" not in " ".join(pages_text(pdf)), pdf.name
    listing = run_cli(project, "list", SAMPLE)
    assert "out of date" not in listing.output and "up to date" in listing.output


@pytest.mark.slow
def test_a_pdf_replaced_by_one_of_the_same_size_is_rebuilt_and_listed_out_of_date(project):
    assert run_cli(project, "build", SAMPLE).exit_code == 0
    pdf = project.output_path(OutputId(SAMPLE, "mep", "en"))
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0xFF  # damaged in place: the same size
    pdf.write_bytes(bytes(data))
    assert "out of date" in run_cli(project, "list", SAMPLE).output
    result = run_cli(project, "build", SAMPLE)
    assert "1 built" in result.output, result.output
    assert pdf.read_bytes() != bytes(data)


@pytest.mark.slow
def test_manifest_csv_neutralises_formulas_in_recipient_data(project):
    rows = read_list(project)[:2]
    rows[0]["name"] = '=HYPERLINK("http://evil.example","Click")'
    rows[1]["name"] = "@SUM(1+1)"
    rows[1]["email"] = "+cmd@example.org"
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    recipients_csv(project).write_text(text.getvalue(), encoding="utf-8")
    result = run_cli(project, *PERSONALISE)
    listed = manifest_rows(project)
    assert [row["name"] for row in listed] == [
        "'=HYPERLINK(\"http://evil.example\",\"Click\")", "'@SUM(1+1)"], result.output
    assert listed[1]["email"] == "'+cmd@example.org"
    for row in listed:  # the letters print the names as given
        assert squash(row["name"][1:]) in squash(pages_text(folder(project) / row["file"])[0])
