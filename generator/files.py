"""files: a path a build would read → the file, or a located refusal: the one gate every read of
a project's file passes through (docs/security.md).

A file is read only when its real path (symbolic links followed) lies inside the folder it
belongs to (`content/`, `styles/`, `templates/`, a brief's folder), that folder does not itself
lead out of its parent, it is a regular file (no folder, device, FIFO or socket) and it is no
larger than the cap. All of this is decided from the file system's metadata, before the file is
opened; the file is then opened without following a link in its last part and without blocking,
and checked again to be the very file that was decided on. A refusal says what is wrong at the
place that named the file (`mark`: the YAML line, else the path as named) and never shows the
file's content.

Folders are walked (`walk`) without descending into linked folders; what a walk finds still
passes the gate before it is read or hashed.

Every file the gate lets through is noted in the reading contexts open around it
(`recording`): rendering an output records what it read (its stylesheets, the images and fonts
the URL fetcher fetched, a chart's data), and the output's digest covers exactly those files
(`manifest.output_digest`), so that no kind of file is left out by a list kept by hand.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import BinaryIO

from .errors import ContentError, Mark

#: The largest file a build reads (docs/security.md); YAML and others have smaller caps.
MAX_FILE_BYTES = 20 * 1024 * 1024

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) \
    | getattr(os, "O_CLOEXEC", 0)


#: The reading contexts open (innermost last): each the set of real paths read in it.
_reading: ContextVar[tuple[set[Path], ...]] = ContextVar("reading", default=())


@contextmanager
def recording() -> Iterator[set[Path]]:
    """A reading context: the set it gives fills with the real path of every file the gate
    lets through while it is open (in contexts around it too)."""
    read: set[Path] = set()
    token = _reading.set((*_reading.get(), read))
    try:
        yield read
    finally:
        _reading.reset(token)


def note(paths: Iterable[Path]) -> None:
    """Note files as read in the open reading contexts: those a cache of parsed files gives
    again without reading them (`pdf._stylesheets`)."""
    paths = tuple(paths)
    for read in _reading.get():
        read.update(paths)


class Refused(ContentError):
    """A file the gate does not let a build read (outside, not a regular file, too large)."""


class Missing(Refused):
    """A file that does not exist (callers often say this in their own words)."""


def exists(path: Path) -> bool:
    """Whether anything is at `path` (a dangling link too), so that the gate, not a silent
    skip, says what is wrong with it."""
    return os.path.lexists(path)


def _real(path: Path) -> Path | None:
    try:
        return Path(os.path.realpath(path, strict=False))
    except (OSError, RuntimeError, ValueError):  # a loop of links, a NUL in the name
        return None


def folder_problem(folder: Path) -> str | None:
    """Why files in `folder` may not be read: it (a link) leads out of its parent folder."""
    real, parent = _real(folder), _real(folder.parent)
    if real is None or parent is None:
        return f"{folder.name}/ is a symbolic link that leads nowhere (a loop)"
    if not real.is_relative_to(parent):
        return (f"{folder.name}/ is a symbolic link leading outside {folder.parent.name}/, "
                "and brief reads nothing outside the project; put the folder itself there")
    return None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB" if size < 10 * 2**20 else f"{size // 2**20} MiB"


def _check(folder: Path, path: Path,  # noqa: PLR0911 — a return per refusal
           limit: int | None) -> tuple[Path, os.stat_result] | str:
    """The real path and status of a file the gate lets through, or what is wrong with it.
    No file is opened, and nothing outside `folder` is looked at beyond where a link leads."""
    wrong = folder_problem(folder)
    if wrong is not None:
        return wrong
    inside = folder.name + "/"
    root = _real(folder)
    lexical = Path(os.path.normpath(folder / path))
    if not lexical.is_relative_to(os.path.normpath(folder)):
        return f"leads outside {inside}; brief reads only files inside {inside}: copy it there"
    real = _real(lexical)
    if real is None:
        return "is a symbolic link that leads nowhere (a loop); make it a file"
    if root is None or not real.is_relative_to(root):
        return (f"is a symbolic link leading outside {inside}, and brief reads nothing outside "
                f"the project; copy the file itself into {inside}")
    try:
        status = os.stat(real)
    except FileNotFoundError:
        return ("is a symbolic link to a file that does not exist; make it a file"
                if os.path.islink(lexical) else "")
    except OSError as exc:
        return f"cannot be read ({exc.strerror}); check the file"
    if not stat.S_ISREG(status.st_mode):
        return f"is {_kind(status.st_mode)}, not a file; use a file"
    if limit is not None and status.st_size > limit:
        return (f"is {_mib(status.st_size)}, more than the {_mib(limit)} allowed; make it "
                "smaller")
    return real, status


def problem(folder: Path, path: Path, *, limit: int | None = MAX_FILE_BYTES) -> str | None:
    """What is wrong with reading `path` as a file of `folder` ("" when it does not exist), or
    None when the gate lets it through. Opens nothing."""
    checked = _check(folder, path, limit)
    return checked if isinstance(checked, str) else None


def _refused(folder: Path, path: Path, mark: Mark | None, what: str, wrong: str) -> Refused:
    where = mark if mark is not None else Mark(path, 1)
    if not wrong:
        return Missing(where, f"{what} not found in {folder.name}/; check the name")
    return Refused(where, f"{what} {wrong}")


def inside(folder: Path, path: Path, mark: Mark | None = None, *, what: str,
           limit: int | None = MAX_FILE_BYTES) -> Path:
    """The real path of `path` when the gate lets it through as a file of `folder`; else a
    `Refused` (`Missing` when nothing is there) at `mark`, else at the path as named, saying
    `what` (e.g. "stylesheet 'brief.css'") is wrong and what to do."""
    checked = _check(folder, path, limit)
    if isinstance(checked, str):
        raise _refused(folder, path, mark, what, checked)
    note((checked[0],))
    return checked[0]


def open_binary(folder: Path, path: Path, mark: Mark | None = None, *, what: str,
                limit: int | None = MAX_FILE_BYTES) -> BinaryIO:
    """A file the gate lets through (see `inside`), opened for reading: without following a
    link in its last part, without blocking, and checked to be the file that was let through."""
    checked = _check(folder, path, limit)
    if isinstance(checked, str):
        raise _refused(folder, path, mark, what, checked)
    real, status = checked
    note((real,))
    where = mark if mark is not None else Mark(path, 1)
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except OSError as exc:
        raise Refused(where, f"{what} cannot be read ({exc.strerror}); check the file") from None
    handle = os.fdopen(fd, "rb")
    opened = os.fstat(fd)
    if (not stat.S_ISREG(opened.st_mode)
            or (opened.st_dev, opened.st_ino) != (status.st_dev, status.st_ino)):
        handle.close()
        raise Refused(where, f"{what} changed while it was being read; build again")
    return handle


def read_bytes(folder: Path, path: Path, mark: Mark | None = None, *, what: str,
               limit: int | None = MAX_FILE_BYTES) -> bytes:
    """The bytes of a file the gate lets through (see `inside`); at most `limit` of them."""
    with open_binary(folder, path, mark, what=what, limit=limit) as handle:
        data = handle.read() if limit is None else handle.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise Refused(mark if mark is not None else Mark(path, 1),
                      f"{what} is more than the {_mib(limit)} allowed; make it smaller")
    return data


def read_text(folder: Path, path: Path, mark: Mark | None = None, *, what: str,
              limit: int | None = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of a file the gate lets through (a byte order mark dropped); text that is
    not UTF-8 is a located error at its line."""
    data = read_bytes(folder, path, mark, what=what, limit=limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ContentError(Mark(path, line), f"{what} is not UTF-8 text; save it as UTF-8"
                           ) from None


def walk(folder: Path) -> list[Path]:
    """Every entry of a folder and its sub-folders that is not itself a folder (files, links
    — to folders too —, pipes …), as named, sorted; linked folders are not descended into, and
    a folder that leads out of its parent is not walked at all. Nothing is opened."""
    if folder_problem(folder) is not None or not folder.is_dir():
        return []
    found: list[Path] = []
    for top, folders, names in os.walk(folder, followlinks=False):
        here = Path(top)
        found.extend(here / name for name in folders if os.path.islink(here / name))
        folders[:] = [name for name in folders if not os.path.islink(here / name)
                      and name != "__pycache__"]
        found.extend(here / name for name in names)
    return sorted(found)


def destination(folder: Path, path: Path, mark: Mark | None = None, *, what: str) -> None:
    """Refuse to write `path` unless the folder it goes in lies inside `folder` (a link
    leading out would have the file written elsewhere) and nothing but a file or a link (which
    writing replaces) is there now."""
    parent = path.parent
    while not os.path.lexists(parent) and parent != parent.parent:
        parent = parent.parent
    real, root = _real(parent), _real(folder)
    where = mark if mark is not None else Mark(path, 1)
    if folder_problem(folder) is not None or real is None or root is None \
            or not real.is_relative_to(root):
        raise Refused(where, f"{what} would be written outside {folder.name}/ ({parent.name}/ "
                      "is a symbolic link leading out of the project); make it a folder")
    if os.path.lexists(path) and not os.path.islink(path) and not path.is_file():
        raise Refused(where, f"{what} cannot be written: {_kind(os.lstat(path).st_mode)} is "
                      "there; remove it")
