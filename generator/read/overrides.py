"""overrides: a project's own `templates/` and `styles/` files → which packaged files they
replace (`project.Layers`: the project's file of a name wins, as MkDocs' `custom_dir`), and
whether each was written for the packaged file as it is now.

`brief override styles/brief.css` copies the packaged file into the project with a first line
naming what it was copied from — the packaged file's SHA-256 and the tool's version — in the
file's own comment syntax (CSS `/* … */`, Jinja `{# … #}`). `brief check` compares that digest
with the packaged file now: when the tool was upgraded and the packaged file changed, the
override is a warning at its line 1 (`--strict`: an error), since the project may be missing
what changed. An override without the line (a font, an ICC profile, a file written by hand) is
a note: it cannot be compared. Upgrading the tool changes no file in the project.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .. import __version__, files
from ..errors import BriefError, ContentError, Mark
from ..project import STYLES_DIR, TEMPLATES_DIR, Layers, Project
from ..run.write import write_atomic

#: The first line of an override, in each kind of file's comment syntax: `{}` is the marker.
COMMENTS = {".css": "/* {} */", ".j2": "{{# {} #}}"}
_MARKER = "brief override of {name}: packaged sha256 {digest}, brief {version}"
_MARKER_RE = re.compile(r"brief override of (?P<name>\S+): packaged sha256 "
                        r"(?P<digest>[0-9a-f]{64}), brief (?P<version>\S+)")


@dataclass(frozen=True, slots=True)
class Override:
    """A packaged file a project's own file replaces."""

    name: str  # as written under the project: `styles/brief.css`
    path: Path  # the project's file
    packaged: Path  # the packaged file it replaces
    written_for: str | None  # the packaged file's SHA-256 its marker names (None: no marker)
    version: str | None  # the tool's version its marker names

    @property
    def current(self) -> str:
        """The packaged file's SHA-256 now."""
        return _sha256(self.packaged)


def _sha256(path: Path) -> str:
    return hashlib.sha256(files.read_bytes(path.parent, path, what=path.name,
                                           limit=None)).hexdigest()


def _folders(project: Project) -> tuple[tuple[str, Layers], ...]:
    return ((TEMPLATES_DIR, project.template_layers), (STYLES_DIR, project.style_layers))


def overrides(project: Project) -> list[Override]:
    """Every packaged file the project replaces with its own, with its marker's digest; a file
    the same as the packaged one (but for its marker) replaces nothing: a copy of the design
    (this repository's tests make them) is no override."""
    found = []
    for folder, layers in _folders(project):
        for name, path, packaged in layers.overrides():
            if files.problem(layers.own, path) is not None:
                continue  # the build says what is wrong with it, where it is used
            data = files.read_bytes(layers.own, path, what=path.name, limit=None)
            first, _, rest = data.partition(b"\n")
            marker = _MARKER_RE.search(first.decode("utf-8", "replace")) \
                if path.suffix in COMMENTS else None
            same = files.read_bytes(packaged.parent, packaged, what=packaged.name, limit=None)
            if same in (data, rest if marker else data):
                continue
            found.append(Override(f"{folder}/{name}", path, packaged,
                                  marker["digest"] if marker else None,
                                  marker["version"] if marker else None))
    return found


def override_findings(project: Project) -> tuple[list[BriefError], list[BriefError]]:
    """For `brief check`: a note naming each packaged file the project overrides (and, for one
    without a marker, that it cannot be compared, and how to add one), and a warning at line 1
    of each override written for an older version of the packaged file."""
    notes: list[BriefError] = []
    warnings: list[BriefError] = []
    for found in overrides(project):
        mark = Mark(found.path, 1)
        if found.written_for is None:
            how = (f"its first line `{marker_line(found.name, found.current)}`"
                   if found.path.suffix in COMMENTS else
                   "nothing: this kind of file has no place for a marker")
            notes.append(ContentError(mark, f"overrides the packaged {found.name}; it has no "
                                      "first line saying which version it was written for, so "
                                      "brief cannot tell you when the packaged file changes; "
                                      f"to compare from now on, add {how}"))
        elif found.written_for != found.current:
            warnings.append(ContentError(
                mark, f"written for an older {found.name} (sha256 {found.written_for[:12]}…, "
                f"brief {found.version}); the packaged one changed since (sha256 "
                f"{found.current[:12]}…, brief {__version__}): compare with {found.packaged} "
                "and carry over what changed, then set this line's digest to the new one",
                "overrides"))
        else:
            notes.append(ContentError(mark, f"overrides the packaged {found.name} (written for "
                                      "its current version)"))
    return notes, warnings


def marker_line(name: str, digest: str) -> str:
    """The first line of an override of `name` (`styles/brief.css`) copied from the packaged
    file with SHA-256 `digest`."""
    suffix = Path(name).suffix
    return COMMENTS[suffix].format(_MARKER.format(name=name, digest=digest, version=__version__))


def write_override(project: Project, name: str) -> Path:
    """Copy the packaged file `name` (`styles/brief.css`, `templates/brief.html.j2`) into the
    project, a text file with its marker as first line; refuses a name the tool does not ship,
    and a file the project has already."""
    folder, _, rest = name.replace("\\", "/").partition("/")
    layers = dict(_folders(project)).get(folder)
    packaged = layers.folders[-1] if layers is not None else None
    if layers is None or packaged is None or not rest or not (packaged / rest).is_file():
        shipped = sorted(f"{f}/{p.relative_to(ls.folders[-1]).as_posix()}"
                         for f, ls in _folders(project) for p in files.walk(ls.folders[-1])
                         if p.suffix in COMMENTS)
        raise BriefError(f"{name!r} is not a file the tool ships; name one of: "
                         f"{', '.join(shipped)}")
    if layers.packaged is None:
        raise BriefError(f"this project is the tool's own source: {name} is the packaged file "
                         "itself; edit it there")
    target = layers.own / rest
    if files.exists(target):
        raise ContentError(Mark(target, 1), f"{name} exists already in the project; edit it "
                           "(brief override does not overwrite)")
    source = packaged / rest
    data = files.read_bytes(packaged, source, what=name, limit=None)
    if source.suffix in COMMENTS:
        line = marker_line(name, hashlib.sha256(data).hexdigest())
        data = line.encode() + b"\n" + data
    files.destination(project.root, target, what=name)
    write_atomic(target, data)
    return target
