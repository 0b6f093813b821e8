"""errors: one exception root for every mistake a user can make, with where it happened as data.

Errors keep their file, line and column as a `Mark` (absolute paths) and are formatted once, at
the door (`cli`), relative to the project. They pickle as data, so worker processes send them
back as they are. A `Bug` is not a user's mistake: it carries a traceback and is reported once.
"""

from __future__ import annotations

import contextlib
import errno
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import click

#: What a terminal would obey rather than print: C0 controls (but the line break), DEL, C1
#: controls, and the bidirectional overrides and isolates that reorder what is shown.
_CONTROL_RE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` as a terminal may show it: each control character (`_CONTROL_RE`) written out
    as an escape (`\\x1b`, `\\u202e`), so that no text a user or a recipient list wrote can
    move the cursor, change colours or the window's title, or hide itself."""
    return _CONTROL_RE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def _shown(path: Path, root: Path | None) -> Path:
    """A path relative to `root` when it lies inside, else as it is."""
    if root is not None:
        with contextlib.suppress(ValueError):  # outside the project: as it is
            # as named when it is (a link's own path), else its real path
            return (Path(path).relative_to(root) if Path(path).is_relative_to(root)
                    else Path(path).resolve().relative_to(root))
    return path


@dataclass(frozen=True, slots=True)
class Mark:
    """A place in a file: 1-based line and column (0: the whole line); in a spreadsheet, its
    `cell` as `Sheet1!B7` (then `line` is the row)."""

    path: Path
    line: int
    col: int = 0
    cell: str = ""

    def where(self, root: Path | None = None) -> str:
        """`file:line[:col]` (a spreadsheet: `file:Sheet1!B7`), the path relative to `root`
        when it lies inside."""
        path = _shown(self.path, root)
        if self.cell:
            return f"{path}:{self.cell}"
        return f"{path}:{self.line}:{self.col}" if self.col else f"{path}:{self.line}"


class BriefError(click.ClickException):
    """Root of every error the CLI reports without a traceback."""

    exit_code = 1

    def lines(self, root: Path | None = None) -> list[str]:
        """One line per problem, `file:line:col: what is wrong; what to do`."""
        return [self.message]

    def format_message(self) -> str:
        return "\n".join(self.lines())

    def flat(self) -> list[BriefError]:
        """This error as a list of single problems."""
        return [self]

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the problems (paths as they are; `cli` shows them relative to the project)."""
        show_errors(self.flat(), None, file=file)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message,))


class LocatedError(BriefError):
    """A mistake at a known place: `file:line:col: what is wrong; what to do`."""

    def __init__(self, mark: Mark | None, problem: str, field: str = "") -> None:
        super().__init__(problem)
        self.mark = mark
        self.field = field
        self.problem = problem

    def lines(self, root: Path | None = None) -> list[str]:
        return [f"{self.mark.where(root)}: {self.problem}" if self.mark else self.problem]

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.mark, self.problem, self.field))


class ContentError(LocatedError):
    """Bad brief or audience content (YAML, schema, Markdown, footnotes)."""


class TemplateError(LocatedError):
    """A Jinja2 template that does not compile or uses an undefined name."""


class RenderError(LocatedError):
    """A problem found while laying out or checking a PDF (budget, footnote placement, warnings)."""


#: What to do about a file that could not be written, by the reason's errno.
_WRITE_ADVICE = {
    errno.ENOSPC: "free space on that disk (or copy the project to another one) and run again",
    errno.EDQUOT: "free space within your disk quota (or copy the project to another disk) and "
                  "run again",
    errno.EROFS: "the disk is read-only: make it writable (or copy the project to a writable "
                 "folder) and run again",
    errno.EACCES: "you may not write there: change the folder's permissions (or copy the "
                  "project to a folder you may write in) and run again",
    errno.ENOTDIR: "a file stands where a folder belongs: move that file away and run again",
}
_WRITE_ADVICE[errno.EPERM] = _WRITE_ADVICE[errno.EACCES]
_WRITE_ADVICE[errno.EEXIST] = _WRITE_ADVICE[errno.ENOTDIR]


class WriteError(BriefError):
    """A file brief could not write (or remove): a full disk, a read-only folder. The
    environment's problem, not the content's, so the message names the file, the system's
    reason and what to do about the disk or folder; the file it would have replaced is
    unchanged."""

    def __init__(self, path: Path, reason: str, code: int | None = None, *,
                 existed: bool = False, action: str = "written", blocking: Path | None = None,
                 kept: str = "") -> None:
        self.path = path
        self.reason = reason  # the system's words (`No space left on device`)
        self.code = code  # its errno
        self.existed = existed  # a file was there before (and still is, unchanged)
        self.action = action  # "written" or "removed"
        self.blocking = blocking  # a file standing where a folder of the path belongs
        self.kept = kept  # what became of the earlier file, when not the usual
        super().__init__(self._line(None))

    @classmethod
    def of(cls, path: Path, exc: OSError, *, action: str = "written") -> WriteError:
        """The error for `exc`, raised while writing (or removing) `path`."""
        code = exc.errno
        reason = exc.strerror or str(exc) or type(exc).__name__
        blocking = None
        if code in (errno.ENOTDIR, errno.EEXIST):  # a file in the way of a folder
            blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
            code = errno.ENOTDIR if blocking is not None else code
        try:
            existed = path.is_file()
        except OSError:
            existed = False
        return cls(path, reason, code, existed=existed, action=action, blocking=blocking)

    def _line(self, root: Path | None) -> str:
        reason = self.reason if self.blocking is None \
            else f"{_shown(self.blocking, root)} is a file, not a folder"
        advice = _WRITE_ADVICE.get(self.code or 0, "check the disk and the folder, and run again")
        kept = self.kept or (
            ("the earlier file is unchanged" if self.existed else "nothing was written")
            if self.action == "written" else ("it is still there" if self.existed else "gone"))
        return (f"{_shown(self.path, root)}: could not be {self.action} ({reason}); {advice} — "
                f"{kept}")

    def lines(self, root: Path | None = None) -> list[str]:
        return [self._line(root)]

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.reason, self.code), dict(vars(self)))


class BriefErrors(BriefError):
    """Several errors reported together (validation reports all, then aborts once)."""

    def __init__(self, errors: list[BriefError]) -> None:
        self.errors = [single for error in errors for single in error.flat()]
        super().__init__(f"{len(self.errors)} errors")

    def lines(self, root: Path | None = None) -> list[str]:
        return [line for error in self.errors for line in error.lines(root)]

    def flat(self) -> list[BriefError]:
        return list(self.errors)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors,))


class Bug(Exception):
    """A failure that is brief's fault, not the content's: reported once, with its traceback."""

    def __init__(self, where: str, details: str) -> None:
        super().__init__(where, details)
        self.where = where
        self.details = details

    def report(self) -> str:
        return printable(f"{self.where}: this is a bug in brief, not a mistake in your content; "
                         f"please report it with this traceback:\n{self.details.rstrip()}")


def unique(errors: list[BriefError]) -> list[BriefError]:
    """Single problems, each once (a source cited twice would report its missing title twice)."""
    flat = [single for error in errors for single in error.flat()]
    return list({e.format_message(): e for e in flat}.values())


def raise_all(errors: list[BriefError]) -> None:
    """Raise nothing, the one error, or all of them together."""
    errors = unique(errors)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise BriefErrors(errors)


def show_errors(errors: list[BriefError], root: Path | None, *, file: IO[Any] | None = None,
                count: bool = True) -> None:
    """Print problems one per line, the place in red on a terminal, and how many there were;
    a problem found again (the same brief error failing every personal copy that prints it) is
    printed once."""
    lines = list(dict.fromkeys(printable(line) for error in errors for line in error.lines(root)))
    for line in lines:
        where, sep, rest = line.partition(": ")
        if sep and ":" in where:
            click.echo(click.style(where + ":", fg="red", bold=True) + " " + rest,
                       err=True, file=file)
        else:
            click.echo(click.style("error:", fg="red", bold=True) + " " + line,
                       err=True, file=file)
    if count and len(lines) > 1:
        click.echo(f"{len(lines)} errors", err=True, file=file)


def show_warnings(warnings: list[BriefError], root: Path | None) -> None:
    """Print warnings one per line: `file:line: warning: …`."""
    for warning in warnings:
        for line in map(printable, warning.lines(root)):
            where, _, rest = line.partition(": ")
            click.echo(click.style(where + ":", fg="yellow", bold=True) + " warning: " + rest,
                       err=True)


def show_notes(notes: list[BriefError], root: Path | None) -> None:
    """Print notes (what was chosen, not a problem) one per line: `file:line: note: …`."""
    for note in notes:
        for line in map(printable, note.lines(root)):
            where, _, rest = line.partition(": ")
            click.echo(click.style(where + ":", bold=True) + " note: " + rest, err=True)
