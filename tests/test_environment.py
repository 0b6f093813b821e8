"""The machine brief runs on is not the content: a library missing from it (WeasyPrint's
warnings about it) is said once, as a note with what to install, and the outputs are built."""

from __future__ import annotations

import logging
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.make.pdf import ENVIRONMENT_ERRORS, _Collector, environment_note

from .support import SAMPLE, TINY, write

#: What WeasyPrint 70 logs for each font when HarfBuzz's subset library is missing.
FONTTOOLS = ('Using fontTools instead of HarfBuzz-Subset for font "Inter". This will be '
             'unsupported in future versions of WeasyPrint. Please install HarfBuzz-Subset '
             '>= 4.1.0 with your package manager.')


def _subset_library() -> Path | None:
    """The file of libharfbuzz-subset.so.0 as the dynamic linker finds it."""
    listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False)
    for line in listing.stdout.splitlines():
        if "libharfbuzz-subset.so" in line and "=>" in line:
            return Path(line.split("=>")[1].strip())
    return None


def test_fonttools_fallback_is_a_note_not_an_error() -> None:
    assert environment_note(FONTTOOLS) is not None
    assert "apt-get install libharfbuzz-subset0" in (environment_note(FONTTOOLS) or "")
    collector = _Collector()
    for message in (FONTTOOLS, FONTTOOLS.replace("Inter", "Gentium Book Plus")):
        collector.emit(logging.LogRecord("weasyprint", logging.WARNING, "", 0, message, (),
                                         None))
    assert collector.messages == []
    assert len(collector.notes) == 1


@pytest.mark.parametrize("message", [
    "Ignored `colour: red` at 3:1, unknown property.",
    '.notdef glyph rendered for Unicode string unsupported by fonts: "ℵ" (U+2135)',
    'Unable to subset "Inter" with fontTools',  # a broken font file: the project's
])
def test_content_warnings_still_fail(message: str) -> None:
    assert environment_note(message) is None
    collector = _Collector()
    collector.emit(logging.LogRecord("weasyprint", logging.WARNING, "", 0, message, (), None))
    assert collector.messages == [message]


def test_a_colour_font_the_machine_cannot_draw_fails_and_says_whose_it_is() -> None:
    """Without harfbuzz-vector a COLR font's glyphs would not print: still an error (the output
    would be wrong), but the machine's to fix, not the content's."""
    message = ('Please install HarfBuzz version 13+ with harfbuzz-vector to display "Noto '
               'Color Emoji" COLR emoji fonts.')
    assert environment_note(message) is None
    assert any(pattern.search(message) for pattern, _ in ENVIRONMENT_ERRORS)
    assert not any(pattern.search(FONTTOOLS) for pattern, _ in ENVIRONMENT_ERRORS)


def _without_subset_library(*args: str) -> subprocess.CompletedProcess[str]:
    """`brief ARGS…` in a subprocess whose mount namespace binds /dev/null over
    libharfbuzz-subset (skipped where that cannot be done)."""
    library = _subset_library()
    if library is None:
        pytest.skip("libharfbuzz-subset.so is not installed here: nothing to hide")
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare (util-linux) is not installed")
    probe = subprocess.run([unshare, "-m", "mount", "--bind", "/dev/null", str(library)],
                           capture_output=True, text=True, check=False)
    if probe.returncode:
        pytest.skip(f"cannot hide the library in a mount namespace: {probe.stderr.strip()}")
    command = " ".join(shlex.quote(arg) for arg in (sys.executable, "-m", "generator", *args))
    return subprocess.run([unshare, "-m", "sh", "-c",
                           f"mount --bind /dev/null {shlex.quote(str(library))} && exec {command}"],
                          capture_output=True, text=True, check=False, timeout=900)


def _one_note(stderr: str) -> None:
    assert "WeasyPrint" not in stderr, stderr
    notes = [line for line in stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1, stderr
    assert "libharfbuzz-subset0 is not installed" in notes[0]
    assert "apt-get install libharfbuzz-subset0" in notes[0]


@pytest.mark.slow
def test_builds_without_harfbuzz_subset(project) -> None:
    """With libharfbuzz-subset0 hidden (a mount namespace binding /dev/null over it), every
    output is built, the command exits 0, and the note is printed once."""
    write(project, TINY)
    run = _without_subset_library("--project", str(project.root), "build", "tiny")
    assert run.returncode == 0, run.stdout + run.stderr
    _one_note(run.stderr)
    built = sorted(p.name for p in (project.out / "tiny").glob("*.pdf"))
    assert len(built) >= 2, (built, run.stdout)
    assert f"{len(built)} built" in run.stdout


@pytest.mark.slow
def test_personal_copies_without_harfbuzz_subset(project) -> None:
    """The same for `brief personalise`: the body and the letters are made, one note."""
    run = _without_subset_library("--project", str(project.root), "personalise", SAMPLE,
                                  "--audience", "mep", "--only", "zoe-angstrom",
                                  "--only", "lukasz-wrobel")
    assert run.returncode == 0, run.stdout + run.stderr
    _one_note(run.stderr)
    assert "personalised 2 copies (2 rebuilt)" in run.stdout, run.stdout
