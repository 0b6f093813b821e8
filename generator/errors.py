"""One exception root for every mistake a user can make; subclasses carry where it happened."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True, slots=True)
class Mark:
    """A place in a file: 1-based line and column."""

    path: Path
    line: int
    col: int = 0

    def where(self, root: Path | None = None) -> str:
        path = self.path
        if root is not None:
            try:
                path = Path(path).resolve().relative_to(root)
            except ValueError:
                pass
        return f"{path}:{self.line}:{self.col}" if self.col else f"{path}:{self.line}"


class BriefError(click.ClickException):
    """Root of every error the CLI reports without a traceback."""

    exit_code = 1

    def show(self, file=None) -> None:
        """One line per problem, `file:line:col: what; what to do`, marked red on a terminal."""
        lines = self.format_message().splitlines()
        for line in lines:
            where, sep, rest = line.partition(": ")
            if sep and ":" in where:
                click.echo(click.style(where + ":", fg="red", bold=True) + " " + rest,
                           err=True, file=file)
            else:
                click.echo(click.style("error:", fg="red", bold=True) + " " + line,
                           err=True, file=file)
        if len(lines) > 1:
            click.echo(f"{len(lines)} errors", err=True, file=file)


class LocatedError(BriefError):
    """A mistake at a known place: `file:line:col: what is wrong; what to do`."""

    def __init__(self, mark: Mark | None, message: str, field: str = "", *, root: Path | None = None):
        self.mark = mark
        self.field = field
        self.problem = message
        where = mark.where(root) if mark else ""
        super().__init__(f"{where}: {message}" if where else message)

    def relocated(self, root: Path) -> "LocatedError":
        """The same error with its path shown relative to the project root."""
        return type(self)(self.mark, self.problem, self.field, root=root)


class ContentError(LocatedError):
    """Bad brief or audience content (YAML, schema, Markdown, footnotes)."""


class TemplateError(LocatedError):
    """A Jinja2 template that does not compile or uses an undefined name."""


class RenderError(LocatedError):
    """A problem found while laying out or checking a PDF (budget, footnote placement, warnings)."""


class BriefErrors(BriefError):
    """Several errors reported together (validation reports all, then aborts once)."""

    def __init__(self, errors: list[BriefError]):
        self.errors = list(errors)
        super().__init__("\n".join(e.format_message() for e in self.errors))


def relocate(error: BriefError, root: Path) -> BriefError:
    """The error (or each of several) with paths shown relative to the project root."""
    if isinstance(error, BriefErrors):
        return BriefErrors([relocate(e, root) for e in error.errors])
    if isinstance(error, LocatedError):
        return error.relocated(root)
    return error


def raise_all(errors: list[BriefError]) -> None:
    """Raise nothing, the one error, or all of them together."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise BriefErrors(errors)
