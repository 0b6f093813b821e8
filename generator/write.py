"""write: PDF bytes → a file, atomically (temp file in the same folder, then rename).

A failed build never leaves a truncated PDF or a temp file behind, and an earlier good PDF stays
byte-identical until the new one is complete. Files that belong together (an output and its
booklet) are all written to temp files first and renamed only when every one is complete.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    write_atomic_all([(path, data)])


def write_atomic_all(files: list[tuple[Path, bytes]]) -> None:
    """Write every file to a temp file beside it, then rename them all into place."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
        for tmp, path in temps:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in temps:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise
