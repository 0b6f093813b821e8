"""write: PDF bytes → a file, atomically (temp file in the same folder, then rename).

A failed build never leaves a truncated PDF or a temp file behind, and an earlier good PDF stays
byte-identical until the new one is complete. Files that belong together (an output and its
booklet) are all written to temp files first and renamed only when every one is complete.

A file that cannot be written (a full disk, a read-only folder, a file where a folder belongs)
is an `errors.WriteError` naming the file and the system's reason, never a bare `OSError`: the
environment's problem, reported as such, with the earlier file unchanged.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ..errors import WriteError


def write_atomic(path: Path, data: bytes) -> None:
    write_atomic_all([(path, data)])


def write_atomic_all(files: list[tuple[Path, bytes]]) -> None:
    """Write every file to a temp file beside it, then rename them all into place. Raises
    `WriteError` for the file that could not be written (no file is then replaced, or, when a
    rename fails, only those renamed before it)."""
    temps: list[tuple[str, Path]] = []
    current = files[0][0] if files else Path()
    try:
        for path, data in files:
            current = path
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
        for tmp, path in temps:
            current = path
            os.replace(tmp, path)
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
