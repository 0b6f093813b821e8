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


def test_an_editable_install_is_quiet(tmp_path: Path):
    """`pip install -e .` (.ci/install) prints nothing of setuptools': no warning per catalog
    folder, no "Editable installation" notice (a plain .pth file names the project folder)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    run = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                          "--disable-pip-version-check", "--no-deps", "-e", str(REPO)],
                         capture_output=True, text=True, check=False, timeout=600)
    if run.returncode and "No matching distribution found for setuptools" in run.stderr:
        pytest.skip("pip cannot get setuptools to build with (no package index)")
    assert run.returncode == 0, run.stderr[-3000:]
    own = [line for line in (run.stdout + run.stderr).splitlines()
           if line.strip() and not line.startswith("WARNING: Location")]  # this machine's pip
    assert own == [], "\n".join(own)
    found = subprocess.run([str(venv / "bin" / "python"), "-c",  # without its dependencies
                            "import importlib.util as u; print(u.find_spec('generator').origin)"],
                           capture_output=True, text=True, check=True, cwd=tmp_path)
    assert found.stdout.strip() == str(REPO / "generator" / "__init__.py")
