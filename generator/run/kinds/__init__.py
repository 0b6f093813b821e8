"""kinds: the kinds of output a brief makes — as Sphinx's builders are — in one table, `KINDS`.

Each kind lists a brief's outputs (`outputs`), names their files (`key`, `path`, `files`), and
says what the preview shows of them (`shown`); how a kind prepares its job and what it writes
lives in its module (`pdf.py`, `personal.py`, `web.py`), used by the one scheduler
(`scheduler.py`). An `OutputId` carries its kind's name (`OutputId.kind`), so that every path
and manifest key derives from the kind and nothing else parses names.

This package is imported by `project` (for `OutputId`'s paths): its modules import nothing of
the build at the top (see "Deferred imports" in generator/__init__.py).

Where a new kind of output goes: a module here with an object satisfying `Kind`, added to
`KINDS` (the scheduler runs a brief's kinds in the table's order: a kind that needs another's
files, as the web edition needs the PDFs' pages and sizes, comes after it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from . import pdf, personal, web

if TYPE_CHECKING:
    from ...project import OutputId
    from ...read.model import Audience, Brief

#: The kinds of output, by the name an `OutputId` carries.
KindName = Literal["pdf", "personal", "web"]


class Kind(Protocol):
    """One kind of output: how its outputs are listed, named and shown."""

    @property
    def name(self) -> KindName: ...

    def key(self, output: OutputId) -> str:
        """The output's key in the manifest (unique within its brief, across kinds)."""
        ...

    def path(self, output: OutputId, out: Path) -> Path:
        """Its main file under the output folder `out` (a PDF; a web page)."""
        ...

    def files(self, output: OutputId, out: Path) -> tuple[Path, ...]:
        """Every file of the output that brief may have written: the main one first, then its
        by-products (a booklet)."""
        ...

    def outputs(self, brief: Brief) -> Iterator[tuple[OutputId, Audience]]:
        """What `brief build` makes of this kind for a brief (none: made by another command)."""
        ...

    def shown(self, output: OutputId, out: Path) -> tuple[Path, ...]:
        """The files the preview shows of the output (those that exist)."""
        ...


#: Every kind, in the order the scheduler runs a brief's outputs (web after the PDFs: its page
#: lists their downloads).
KINDS: dict[KindName, Kind] = {"pdf": pdf.PDF, "personal": personal.PERSONAL, "web": web.WEB}


def built_by_build(brief: Brief) -> Iterator[tuple[OutputId, Audience]]:
    """Every output `brief build` makes of a brief, kind after kind (`KINDS`' order)."""
    for kind in KINDS.values():
        yield from kind.outputs(brief)


def kind_of_key(key: str) -> tuple[KindName, list[str]]:
    """A manifest key's kind and the parts of the output it names (`OutputId.from_key`): a
    kind's suffix (`@web`) when it has one, else a recipient (personal) or none (pdf)."""
    parts = key.split("/")
    if parts[-1] == web.SUFFIX:
        return "web", parts[:-1]
    return ("personal" if len(parts) > 2 else "pdf"), parts
