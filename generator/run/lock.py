"""lock: one run at a time writes a project's out/ (`build`, `personalise`, `preview`, `watch`,
`clean`).

The lock is `fcntl.flock` on `out/.brief.lock`, which holds who has it (process id, command,
when it started) so that a second run can say whom it waits for. The kernel releases it when
its holder ends in any way (kill -9 included): a lock file left by a run that is gone is simply
taken over, and its text replaced. A run that ends removes the file while it still holds the
lock; so whoever locks a file checks that it is still the one at that path (else it locked a
file just removed, and tries again).

Whoever takes the lock also removes the temporary files a killed run left in out/ (`write`'s
`.<name>.<random>.tmp`): no run is writing them any more.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import BriefError

log = logging.getLogger(__name__)

LOCK_NAME = ".brief.lock"
#: A temporary file of `write.write_atomic` (`tempfile.mkstemp`: 8 random characters).
_TEMP_FILE = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds (or held) the lock."""

    pid: int
    command: str
    started: str  # ISO 8601, local time, to the second

    def describe(self) -> str:
        """`pid 1234, `brief personalise x`, started 12:01` (with the day when not today)."""
        when = self.started
        with contextlib.suppress(ValueError):
            moment = datetime.datetime.fromisoformat(self.started)
            when = moment.strftime("%H:%M" if moment.date() == datetime.date.today()
                                   else "%Y-%m-%d %H:%M")
        return f"pid {self.pid}, `{self.command}`, started {when}"


class LockedError(BriefError):
    """Another run holds the lock."""


def _read_holder(fd: int) -> Holder | None:
    try:
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        return Holder(int(data["pid"]), str(data["command"]), str(data["started"]))
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


@contextlib.contextmanager
def run_lock(out: Path, command: str) -> Iterator[Holder]:
    """Hold the lock on `out` (created if missing) while the block runs; `command` is what
    another run is told is running. Raises `LockedError`, naming the holder, when another run
    has it."""
    path = out / LOCK_NAME
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = _take(path, out)
    except LockedError:
        raise
    except OSError as exc:
        # out/ cannot be written at all (a file where it belongs, a read-only or full disk): no
        # run can write there, so there is nothing to keep apart; the run goes on and says,
        # file by file, what could not be written and why (errors.WriteError)
        log.debug("no lock on %s (%s): nothing can be written there", out, exc.strerror)
        yield Holder(os.getpid(), command, datetime.datetime.now().isoformat(timespec="seconds"))
        return
    try:
        me = Holder(os.getpid(), command,
                    datetime.datetime.now().isoformat(timespec="seconds"))
        with contextlib.suppress(OSError):  # a full disk: locked all the same, only unnamed
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps({"pid": me.pid, "command": me.command,
                                       "started": me.started}) + "\n").encode("utf-8"), 0)
        _remove_temp_files(out)
        yield me
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # still holding it: nobody can have locked the file removed
        os.close(fd)  # releases the lock


def _take(path: Path, out: Path) -> int:
    """The lock file at `path`, locked; `LockedError` when another run holds it."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            who = holder.describe() if holder is not None else "its process unknown"
            raise LockedError(
                f"another brief run ({who}) is writing {out.name}/; wait for it or stop it "
                f"(its lock: {out.name}/{LOCK_NAME}, released when it ends)") from None
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)  # a file its holder removed as it ended: lock the one there now


def _remove_temp_files(out: Path) -> None:
    """Temporary files a killed run left in out/ (nobody else writes there while we hold the
    lock)."""
    for folder, _, files in os.walk(out):
        for name in files:
            if _TEMP_FILE.match(name):
                with contextlib.suppress(OSError):
                    (Path(folder) / name).unlink()
                    log.debug("removed %s, left by a run that was stopped",
                              Path(folder, name))
