"""shipped: where the design the tool ships is — the packaged `templates/` and `styles/` (with
`styles/fonts/`, `styles/color/`, `styles/hyphenation/`), which a project's own files of the same
name override (`project.Layers`).

In a wheel they are inside the package, `generator/shipped/templates` and
`generator/shipped/styles` (copied there by setup.py's `build_py` step). In a source tree (this
repository, and its editable install, `pip install -e .`) they are the repository's top-level
`templates/` and `styles/`: the files the package ships.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
#: the packaged copy's folder inside the installed package (a wheel's)
PACKAGED = _PACKAGE / "shipped"
TEMPLATES_DIR = "templates"
STYLES_DIR = "styles"


def _root() -> Path:
    """The folder holding the shipped templates/ and styles/: the package's copy when it is
    installed from a wheel, else the source tree the package is in."""
    if (PACKAGED / TEMPLATES_DIR).is_dir():
        return PACKAGED
    return _PACKAGE.parent


ROOT = _root()
TEMPLATES = ROOT / TEMPLATES_DIR
STYLES = ROOT / STYLES_DIR
