"""write: PDF bytes → a file, atomically (temp file in the same folder, then rename).

A failed build never leaves a truncated PDF or a temp file behind, and an earlier good PDF stays
byte-identical until the new one is complete. Files that belong together (an output and its
booklet) are all written to temp files first and renamed only when every one is complete.

Many files written in a row whose durability can wait (a run of personal copies) may be written
under `deferred_sync`: each is still complete before it is renamed into place, but not flushed
to the disk one by one; `sync` then makes them all durable at once, before anything claims them.

A file that cannot be written (a full disk, a read-only folder, a file where a folder belongs)
is an `errors.WriteError` naming the file and the system's reason, never a bare `OSError`: the
environment's problem, reported as such, with the earlier file unchanged.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path

from ..errors import WriteError

#: The files written under `deferred_sync` and not yet made durable (None: outside it).
_unsynced: ContextVar[list[Path] | None] = ContextVar("unsynced", default=None)


@contextlib.contextmanager
def deferred_sync() -> Iterator[list[Path]]:
    """Within it, `write_atomic_all` renames each complete file into place without flushing it
    to the disk first (an fsync a file cost a run of 720 copies seconds), and adds its path to
    the list given; the caller makes them durable with `sync` before it claims them anywhere
    (manifest.csv). A killed process loses nothing (the files are complete in the system's
    cache before they are renamed); a power cut before `sync` may leave a file renamed but
    empty, which nothing has claimed yet."""
    written: list[Path] = []
    token = _unsynced.set(written)
    try:
        yield written
    finally:
        _unsynced.reset(token)


def sync(paths: Iterable[Path]) -> None:
    """Make files written under `deferred_sync` durable: each file's bytes, then each folder
    once (their renames). Raises `WriteError` for the first that cannot be."""
    folders: dict[Path, None] = {}
    current = Path()
    try:
        for path in paths:
            current = path
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            folders[path.parent] = None
        for folder in folders:
            current = folder
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            except OSError as exc:
                if exc.errno not in (errno.EINVAL, errno.EBADF):  # a folder it cannot sync
                    raise
            finally:
                os.close(fd)
    except OSError as exc:
        raise WriteError.of(current, exc) from exc


def write_atomic(path: Path, data: bytes) -> None:
    write_atomic_all([(path, data)])


def write_atomic_all(files: list[tuple[Path, bytes]]) -> None:
    """Write every file to a temp file beside it, then rename them all into place. Raises
    `WriteError` for the file that could not be written (no file is then replaced, or, when a
    rename fails, only those renamed before it)."""
    temps: list[tuple[str, Path]] = []
    current = files[0][0] if files else Path()
    unsynced = _unsynced.get()
    try:
        for path, data in files:
            current = path
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if unsynced is None:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
        for tmp, path in temps:
            current = path
            os.replace(tmp, path)
            if unsynced is not None:
                unsynced.append(path)
    except BaseException as exc:
        for tmp, _ in temps:
            with contextlib.suppress(OSError):  # gone, or the folder refuses even that
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise WriteError.of(current, exc) from exc
        raise


def remove(path: Path) -> None:
    """Remove a file brief wrote, if it is there; `WriteError` when it cannot be removed."""
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise WriteError.of(path, exc, action="removed") from exc
