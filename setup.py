"""The wheel carries the design the tool ships: the repository's top-level templates/ and
styles/ (with fonts/, color/, hyphenation/) are copied into the package as
generator/shipped/templates and generator/shipped/styles (see generator/shipped.py, which finds
them there, and in a source tree or an editable install at the top level, where they stay).
Everything else is in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("templates", "styles")


class BuildWithDesign(build_py):  # type: ignore[misc]  # setuptools' commands are untyped
    """build_py, then the design copied into the built package (not for an editable install,
    which reads the top-level folders themselves)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "generator" / "shipped"
        for name in SHIPPED:
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(HERE / name, target / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs: list[str] = super().get_outputs(include_bytecode)
        if getattr(self, "editable_mode", False):
            return outputs
        target = Path(self.build_lib) / "generator" / "shipped"
        return outputs + [str(target / path.relative_to(HERE)) for name in SHIPPED
                          for path in sorted((HERE / name).rglob("*")) if path.is_file()]


setup(cmdclass={"build_py": BuildWithDesign})
