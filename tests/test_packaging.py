"""The package as pip builds it: every catalog and the preview's templates in the wheel, and no
setuptools warning about the catalog folders (`bash .ci/build` stays short)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .support import REPO

pytestmark = pytest.mark.slow  # builds a wheel in a subprocess


def test_the_wheel_holds_the_data_and_setuptools_says_nothing(tmp_path: Path):
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v",
                          "--disable-pip-version-check", "-w", str(tmp_path), str(REPO)],
                         capture_output=True, text=True, check=False, timeout=600)
    if run.returncode and "No matching distribution found for setuptools" in run.stderr:
        pytest.skip("pip cannot get setuptools to build with (no package index)")
    assert run.returncode == 0, run.stderr[-3000:]
    output = run.stdout + run.stderr
    assert "is absent from the `packages` configuration" not in output
    assert "Package would be ignored" not in output
    [wheel] = tmp_path.glob("brief-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    data = {str(path.relative_to(REPO)) for pattern in ("locale/brief.pot",
                                                        "locale/*/LC_MESSAGES/brief.po",
                                                        "ui/*.html.j2", "**/*.py")
            for path in (REPO / "generator").glob(pattern)}
    assert len(data) > 60
    assert data <= names, sorted(data - names)
