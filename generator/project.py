"""project: a folder on disk → the `Project` whose paths every step reads and writes, and the
typed identity of an output (`OutputId`), which alone derives an output's file and manifest key.

A new dimension of outputs (a recipient of a personal copy) enters here, in `OutputId`; a new
kind of output in `kinds`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import shipped
from .errors import ContentError, Mark, raise_all
from .files import folder_problem, walk
from .run.kinds import KINDS, KindName, kind_of_key
from .run.kinds.pdf import booklet_path

CONTENT_DIR = "content"
STYLES_DIR = "styles"
TEMPLATES_DIR = "templates"
OUT_DIR = "out"
FONTS_DIR = "fonts"  # inside styles/
HYPHENATION_DIR = "hyphenation"  # inside styles/ (shipped) and content/ (the organisation's)
BRIEF_FILE = "brief.yaml"
#: Beside personal copies (`brief personalise`): one row per copy, for a mail merge.
PERSONAL_MANIFEST = "manifest.csv"
#: A brief's own recipient lists (`read.recipients`), which `brief personalise` reads and
#: digests row by row: no output of `brief build` depends on them, so no digest of its covers
#: them (`run.manifest.brief_inputs_digest`).
RECIPIENT_LISTS = ("recipients.csv", "recipients.xlsx")
AUDIENCES_FILE = "audiences.yaml"
LETTER_TEMPLATE = "cover-letter.html.j2"  # in templates/: a personal copy's cover letter
LETTER_STYLESHEET = "letter.css"  # in styles/: laid over the audience's stylesheets
#: How the manifest names a packaged file a build read (`Project.record_name`).
PACKAGED_PREFIX = "<packaged>/"

#: A brief id (its folder's name): lower-case letters, digits and -, as the docs say.
BRIEF_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")

#: The longest id (of a brief, an audience, a section, a recipient): ids name files and folders.
MAX_ID_LENGTH = 64
#: Names Windows keeps for devices: no file or folder there may be called so, whatever follows
#: a dot (`con.pdf` too).
RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
                            *(f"lpt{n}" for n in range(10))})

RENDER_TIMEOUT_S = 120.0
RENDER_MEMORY_MB = 2048


@dataclass(frozen=True, slots=True)
class RenderLimits:
    """Limits for rendering one output in a worker process (CLI: --timeout, --memory-limit)."""

    seconds: float = RENDER_TIMEOUT_S
    memory_mb: int = RENDER_MEMORY_MB


def id_problem(value: str, *, names_files: bool = True) -> str | None:
    """What is wrong with an id that names a file (too long, or a name Windows reserves), as
    the end of a message about it (`id 'con' is a name …`); None when nothing is. An id that
    names no file (a section's: an anchor) is only held to the length."""
    if len(value) > MAX_ID_LENGTH:
        shorter = value[:MAX_ID_LENGTH].rstrip("-_")
        return (f"is {len(value):,} characters long, more than the {MAX_ID_LENGTH} an id may "
                f"have (it names files); shorten it, e.g. to {shorter[:40]!r}")
    if names_files and value.split(".", 1)[0].lower() in RESERVED_NAMES:
        return (f"is a name Windows reserves for a device ({value.upper()}): no file or folder "
                f"there may have it; choose another, e.g. {value + '-1'!r}")
    return None


def shown_id(value: str) -> str:
    """An id as a message quotes it: a long one cut short."""
    return repr(value if len(value) <= 40 else value[:40] + "…")


def misnamed(path: Path) -> Path | None:
    """A file next to `path` that is surely meant to be it (`brief.yml`, `Brief.yaml`,
    `brief.YAML`, `brief.yaml.txt`), when `path` itself does not exist."""
    if path.exists() or not path.parent.is_dir():
        return None
    stem = path.name.lower().removesuffix(".yaml")
    for other in sorted(path.parent.iterdir()):
        name = other.name.lower().removesuffix(".txt")
        if other.is_file() and name in (f"{stem}.yaml", f"{stem}.yml"):
            return other
    return None


def default_jobs() -> int:
    """Worker processes for rendering: one per core."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


@dataclass(frozen=True, slots=True, order=True)
class OutputId:
    """Which output: a brief, in one audience's design, in one language, of one kind (`kinds`:
    a PDF, a recipient's personal copy, a web page). Its files and manifest key derive from it,
    through its kind, and nothing else.

    A personal copy names its recipient (and is of kind `personal` whether or not it says so);
    no other kind has one."""

    brief: str
    audience: str
    language: str
    recipient: str = ""
    kind: KindName = "pdf"

    def __post_init__(self) -> None:
        if self.recipient and self.kind == "pdf":  # the default: a recipient's copy
            object.__setattr__(self, "kind", "personal")
        elif self.recipient and self.kind != "personal":
            raise ValueError(f"only a personal copy names a recipient: {self!r}")
        elif self.kind == "personal" and not self.recipient:
            raise ValueError(f"a personal copy names its recipient: {self!r}")

    @property
    def key(self) -> str:
        """The output's key in the manifest (unique within its brief)."""
        return KINDS[self.kind].key(self)

    @property
    def filename(self) -> str:
        return self.path(Path()).name

    def path(self, out: Path) -> Path:
        """Where the output is written under the output folder `out` (its kind's main file)."""
        return KINDS[self.kind].path(self, out)

    def files(self, out: Path) -> tuple[Path, ...]:
        """Every file of the output brief may have written (its kind's), the main one first."""
        return KINDS[self.kind].files(self, out)

    def booklet_path(self, out: Path) -> Path:
        """Where the output imposed as a booklet goes (`print: {imposition: booklet}`): next to
        it, `<name>.booklet.pdf`. A by-product of the output, written and recorded with it."""
        return booklet_path(self.path(out))

    @property
    def base(self) -> OutputId:
        """The output a personal copy is made from (its audience's PDF, in its language); an
        output that is no personal copy is its own base."""
        if self.kind != "personal":
            return self
        return OutputId(self.brief, self.audience, self.language)

    @classmethod
    def from_key(cls, brief: str, key: str) -> OutputId:
        kind, parts = kind_of_key(key)
        audience, language, *recipient = parts
        return cls(brief, audience, language, "".join(recipient), kind)


@dataclass(frozen=True, slots=True)
class Layers:
    """A design folder as a build sees it (`templates/` or `styles/`): the project's own folder
    first, then the one the tool ships (`shipped`), as MkDocs' `custom_dir`. A file is read
    from the first layer that has it, through the gate with that layer as its folder (a
    packaged file inside the packaged folder, a project's file inside the project). When the
    project is the source tree the tool ships (this repository) there is one layer."""

    folders: tuple[Path, ...]  # the project's own first

    @classmethod
    def of(cls, own: Path, packaged: Path) -> Layers:
        same = os.path.realpath(own) == os.path.realpath(packaged)
        return cls((own,) if same else (own, packaged))

    @property
    def own(self) -> Path:
        """The project's own folder (where its overrides are, and new files go)."""
        return self.folders[0]

    @property
    def packaged(self) -> Path | None:
        """The packaged folder, when it is not the project's own."""
        return self.folders[1] if len(self.folders) > 1 else None

    def find(self, name: str | Path) -> tuple[Path, Path]:
        """(layer folder, path) of the file `name` (relative to the folder) in the first layer
        that has anything there (a dangling link too: the gate says what is wrong with it); the
        project's own when none has it (so that a message names the project's folder)."""
        for folder in self.folders:
            if os.path.lexists(folder / name):
                return folder, folder / name
        return self.own, self.own / name

    def path(self, name: str | Path) -> Path:
        """The path of the file `name` in the first layer that has it (see `find`)."""
        return self.find(name)[1]

    def layer_of(self, path: Path) -> Path | None:
        """The layer folder a path is in (lexically), None when it is in none."""
        return next((f for f in self.folders if Path(os.path.normpath(path)).is_relative_to(
            os.path.normpath(f))), None)

    def fallback(self, path: Path) -> Path:
        """A path inside a layer that has nothing there: the same name in the first layer under
        it that has it (a project's stylesheet's `url(fonts/…)` finds the packaged font), else
        the path itself."""
        folder = self.layer_of(path)
        if folder is None or os.path.lexists(path):
            return path
        name = Path(os.path.normpath(path)).relative_to(os.path.normpath(folder))
        for later in self.folders[self.folders.index(folder) + 1:]:
            if os.path.lexists(later / name):
                return later / name
        return path

    def names(self, sub: str = "") -> list[str]:
        """The names of the entries in `sub` (a folder inside) of every layer, sorted."""
        return sorted({p.name for f in self.folders if (f / sub).is_dir()
                       for p in (f / sub).iterdir()})

    def walk(self, sub: str = "") -> list[tuple[Path, Path]]:
        """(layer folder, path) of every file under `sub` in the layers (`files.walk`), each
        relative name once: from the first layer that has it. Sorted by relative name."""
        found: dict[Path, tuple[Path, Path]] = {}
        for folder in self.folders:
            for path in walk(folder / sub):
                found.setdefault(path.relative_to(folder), (folder, path))
        return [found[name] for name in sorted(found)]

    def overrides(self) -> list[tuple[str, Path, Path]]:
        """(relative name, the project's file, the packaged file) of each packaged file the
        project's own folder replaces."""
        if self.packaged is None:
            return []
        found = []
        for path in walk(self.own):
            name = path.relative_to(self.own)
            if (self.packaged / name).is_file():
                found.append((name.as_posix(), path, self.packaged / name))
        return found


def locate(styles: Path | Layers, name: str | Path) -> tuple[Path, Path]:
    """(the folder it is read inside, its path) of a file named relative to a design folder,
    given as the folder itself or as its layers (`Project.style_layers`)."""
    if isinstance(styles, Layers):
        return styles.find(name)
    return styles, styles / name


@dataclass(frozen=True, slots=True)
class Project:
    """The folders of one brief project; every path the build reads or writes derives from it."""

    root: Path

    @classmethod
    def at(cls, root: str | Path = ".") -> Project:
        return cls(Path(root).resolve())

    @property
    def content(self) -> Path:
        return self.root / CONTENT_DIR

    @property
    def styles(self) -> Path:
        return self.root / STYLES_DIR

    @property
    def templates(self) -> Path:
        return self.root / TEMPLATES_DIR

    @property
    def fonts(self) -> Path:
        """The project's own fonts folder (`style_layers.walk(FONTS_DIR)`: with the packaged)."""
        return self.styles / FONTS_DIR

    @property
    def style_layers(self) -> Layers:
        """styles/ as a build reads it: the project's own, then the packaged one."""
        return Layers.of(self.styles, shipped.STYLES)

    @property
    def template_layers(self) -> Layers:
        """templates/ as a build reads it: the project's own, then the packaged one."""
        return Layers.of(self.templates, shipped.TEMPLATES)

    def stylesheet(self, name: str | Path) -> tuple[Path, Path]:
        """(the folder it is read inside, its path) of a stylesheet, font, ICC profile or
        hyphenation file named relative to styles/, from the first layer that has it."""
        return self.style_layers.find(name)

    def template(self, name: str | Path) -> tuple[Path, Path]:
        """(the folder it is read inside, its path) of a template, from the first layer."""
        return self.template_layers.find(name)

    @property
    def out(self) -> Path:
        return self.root / OUT_DIR

    @property
    def audiences_file(self) -> Path:
        return self.content / AUDIENCES_FILE

    def brief_file(self, brief_id: str) -> Path:
        return self.content / brief_id / BRIEF_FILE

    def brief_ids(self) -> list[str]:
        """Every folder under content/ that holds a brief.yaml, sorted."""
        if not self.content.is_dir():
            return []
        return sorted(p.parent.name for p in self.content.glob(f"*/{BRIEF_FILE}"))

    def misnamed_brief_ids(self) -> list[str]:
        """Folders under content/ whose brief file is misnamed (`brief.yml`, `Brief.yaml`, …):
        they are briefs too, so that `check` and `build` report them instead of skipping them."""
        if not self.content.is_dir():
            return []
        return sorted(folder.name for folder in self.content.iterdir()
                      if folder.is_dir() and misnamed(folder / BRIEF_FILE) is not None)

    def brief_file_problem(self, brief_id: str) -> ContentError | None:
        """A located error when a brief's file is misnamed: "rename it to brief.yaml"."""
        found = misnamed(self.brief_file(brief_id))
        if found is None:
            return None
        return ContentError(Mark(found, 1), f"the brief file is named {found.name!r}, so brief "
                            f"does not read it; rename it to {BRIEF_FILE}")

    def record_name(self, path: Path) -> str | None:
        """How the manifest names a file a build read: relative to the project, or a packaged
        file (the tool's templates/ and styles/, `shipped`) as `<packaged>/styles/…`; None for
        anything else."""
        if path.is_relative_to(self.root):
            return str(path.relative_to(self.root))
        if path.is_relative_to(shipped.ROOT):
            return PACKAGED_PREFIX + path.relative_to(shipped.ROOT).as_posix()
        return None

    def recorded(self, name: str) -> Path:
        """The file a name of `record_name` names."""
        if name.startswith(PACKAGED_PREFIX):
            return shipped.ROOT / name.removeprefix(PACKAGED_PREFIX)
        return self.root / name

    def now(self, path: Path) -> Path:
        """The file a build would read now under the name of `path`, a file of templates/ or
        styles/ in either layer (a packaged file the project has since overridden: the
        project's; an override since removed: the packaged one); any other path itself."""
        for layers in (self.style_layers, self.template_layers):
            folder = layers.layer_of(path)
            if folder is not None:
                return layers.path(Path(os.path.normpath(path)).relative_to(
                    os.path.normpath(folder)))
        return path

    def output_path(self, output: OutputId) -> Path:
        return output.path(self.out)

    def booklet_path(self, output: OutputId) -> Path:
        return output.booklet_path(self.out)

    def relative(self, path: Path) -> str:
        """A path as the user should see it in messages: relative to the project when inside."""
        try:
            return str(Path(path).resolve().relative_to(self.root))
        except ValueError:
            return str(path)

    def requested_briefs(self, brief_ids: list[str] | None) -> list[str]:
        """The briefs a command works on (all by default); a located error when there are none
        or an id given is no folder name (`../dir`, `/etc`, `content/x`): nothing of it is read."""
        ids = list(brief_ids or sorted({*self.brief_ids(), *self.misnamed_brief_ids()}))
        if not ids:
            raise ContentError(Mark(self.content, 1),
                               f"no briefs found in {self.content}; create "
                               "content/<brief-id>/brief.yaml, or run brief from the project "
                               "folder (or pass --project FOLDER)")
        raise_all([problem for brief_id in ids
                   if (problem := self._brief_id_path_problem(brief_id)) is not None])
        return ids

    def _brief_id_path_problem(self, brief_id: str) -> ContentError | None:
        """An error when a brief id given is a path rather than a folder's name."""
        if brief_id and brief_id not in (".", "..") and not any(
                sep in brief_id for sep in ("/", "\\", os.sep, "\0")):
            return None
        known = sorted({*self.brief_ids(), *self.misnamed_brief_ids()})
        named = [part for part in re.split(r"[/\\]", brief_id) if part in known]
        hint = (f"did you mean {named[-1]!r}?" if named else
                f"briefs: {', '.join(known) or 'none'}")
        return ContentError(None, f"{brief_id!r} is not a brief id: name a brief by its "
                            f"folder's name in content/ ({hint}); brief reads nothing outside "
                            "the project's content/")

    def brief_id_problem(self, brief_id: str) -> ContentError | None:
        """A located error when a brief's folder name is not a valid brief id, or its folder is
        a symbolic link leading out of content/ (nothing in it is read); an id too long or one
        Windows reserves (`project.id_problem`)."""
        if BRIEF_ID_RE.match(brief_id):
            problem = id_problem(brief_id)
            if problem is not None:
                return ContentError(Mark(self.brief_file(brief_id), 1),
                                    f"brief id {shown_id(brief_id)} (the folder's name) "
                                    f"{problem}; rename the folder")
            folder = self.content / brief_id
            wrong = folder_problem(folder) if os.path.lexists(folder) else None
            if wrong is None:
                return None
            return ContentError(Mark(folder / BRIEF_FILE, 1), f"the brief's folder {wrong}")
        if (path_problem := self._brief_id_path_problem(brief_id)) is not None:
            return path_problem
        suggestion = re.sub(r"[^a-z0-9]+", "-", brief_id.lower()).strip("-") or "my-brief"
        return ContentError(Mark(self.brief_file(brief_id), 1),
                            f"brief id {brief_id!r} (the folder's name) may hold only lower-case "
                            f"letters, digits and -; rename the folder to {suggestion!r}")
