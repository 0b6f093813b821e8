"""The tool as an organisation installs it: the wheel carries the packaged design (templates/,
styles/ with fonts/, color/, hyphenation/) and the catalogs, and installed into a fresh virtual
environment — without the network, without this repository — `brief init` and `brief build`
make PDFs in an empty folder while no file of the repository is read (an audit hook in that
environment logs every file opened under the repository, in every process, workers too)."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .support import REPO

pytestmark = pytest.mark.slow  # builds a wheel, a virtual environment and PDFs in subprocesses

#: The audit hook, imported at start-up by a .pth file of the fresh environment (Debian's own
#: sitecustomize.py would win over one there): every `open` of a path under the repository —
#: but the dependencies' folder, which a .pth names — is logged, by process.
HOOK = '''\
import os
import sys

_REPO = {repo!r}
_ALLOWED = {allowed!r}
_LOG = {log!r}


def _hook(event, args):
    if event not in ("open", "os.listdir", "os.scandir") or not args:
        return
    name = args[0]
    if not isinstance(name, (str, bytes, os.PathLike)):
        return
    path = os.path.realpath(os.fsdecode(name))
    if (path == _REPO or path.startswith(_REPO + os.sep)) and not any(
            path == a or path.startswith(a + os.sep) for a in _ALLOWED):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{{os.getpid()}} {{event}} {{path}}\\n")


sys.addaudithook(_hook)
'''


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                          "--disable-pip-version-check", "-w", str(folder), str(REPO)],
                         capture_output=True, text=True, check=False, timeout=600)
    if run.returncode and "No matching distribution found for setuptools" in run.stderr:
        pytest.skip("pip cannot get setuptools to build with (no package index)")
    assert run.returncode == 0, run.stderr[-3000:]
    [found] = folder.glob("brief-*.whl")
    return found


def test_the_wheel_carries_the_design(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    design = {f"generator/shipped/{path.relative_to(REPO).as_posix()}"
              for folder in ("templates", "styles") for path in (REPO / folder).rglob("*")
              if path.is_file() and "__pycache__" not in path.parts}
    assert {"generator/shipped/styles/fonts/Inter-Regular.otf",
            "generator/shipped/styles/color/FOGRA39L-coated.icc",
            "generator/shipped/styles/hyphenation/hyph_fi.dic",
            "generator/shipped/templates/brief.html.j2"} <= design
    assert design <= names, sorted(design - names)
    assert "generator/locale/de/LC_MESSAGES/brief.po" in names
    assert not any(name.startswith(("templates/", "styles/", "content/")) for name in names)


def test_a_fresh_folder_builds_without_the_repository(wheel: Path, tmp_path: Path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; "
                                "print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # the dependencies: this environment's, without anything it installed from the repository
    # (an editable install's .pth file is not read from a folder a .pth file names)
    dependencies = sysconfig.get_paths()["purelib"]
    (site / "dependencies.pth").write_text(dependencies + "\n")
    install = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index",
                              "--quiet", "--disable-pip-version-check", str(wheel)],
                             capture_output=True, text=True, check=False, timeout=600)
    assert install.returncode == 0, install.stderr[-3000:]
    log = tmp_path / "opened.log"
    (site / "brief_audit.py").write_text(HOOK.format(
        repo=str(REPO), allowed=[os.path.realpath(dependencies)], log=str(log)))
    (site / "zz_brief_audit.pth").write_text("import brief_audit\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"

    # the hook sees a read of the repository (so that an empty log means something)
    subprocess.run([str(python), "-c", f"open({str(REPO / 'README.md')!r}).close()"],
                   check=True, env=env, cwd=tmp_path)
    assert str(REPO / "README.md") in log.read_text()
    log.unlink()

    where = subprocess.run([str(python), "-c", "import generator, generator.shipped as s; "
                            "print(generator.__file__); print(s.STYLES)"],
                           capture_output=True, text=True, check=True, env=env, cwd=tmp_path)
    module, styles = where.stdout.split()
    assert Path(module).is_relative_to(venv) and Path(styles).is_relative_to(venv)

    folder = tmp_path / "my-org"
    brief = str(venv / "bin" / "brief")
    made = subprocess.run([brief, "init", str(folder)], capture_output=True, text=True,
                          check=False, env=env, cwd=tmp_path, timeout=300)
    assert made.returncode == 0, made.stdout + made.stderr
    built = subprocess.run([brief, "build", "-j", "2"], capture_output=True, text=True,
                           check=False, env=env, cwd=folder, timeout=900)
    assert built.returncode == 0, built.stdout + built.stderr
    pdfs = sorted(p.name for p in (folder / "out").rglob("*.pdf") if "web" not in p.parts)
    assert pdfs == ["first-brief.full.en.pdf", "first-brief.handout.en.booklet.pdf",
                    "first-brief.handout.en.pdf", "first-brief.mep.en.pdf"]
    assert all((folder / "out" / "first-brief" / name).stat().st_size > 10_000
               for name in pdfs)
    assert not (folder / "templates").exists() and not (folder / "styles").exists()
    opened = log.read_text() if log.exists() else ""
    assert opened == "", opened[:3000]
