"""base: what a PDF standard is — the hooks each standard module fills in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class FinishContext:
    """What finishing needs to know about the output: its project's styles folder (for the
    colour profiles) and its audience's print condition."""

    styles: Path
    print_condition: str


class Standard:
    """A PDF standard: its name in audiences.yaml, the label it is known by, and its hooks.

    The default hooks do nothing; a standard overrides those it needs.
    """

    name: str = ""
    label: str = ""
    #: The HTML prints in CMYK ink only (colours, the QR code), as print shops want.
    cmyk: bool = False

    def render_options(self) -> dict[str, Any]:
        """WeasyPrint's `write_pdf` options for this standard."""
        return {}

    def finish(self, doc: Any, context: FinishContext) -> None:
        """Change the PDF (a pikepdf document) after WeasyPrint wrote it."""

    def preflight(self, doc: Any, warnings: list[str]) -> None:
        """Append what the PDF (a pikepdf document) lacks for this standard."""

    def __repr__(self) -> str:
        return f"Standard({self.name!r})"

    def __reduce__(self) -> tuple[Any, ...]:  # the registered instance, also in worker processes
        return (_registered, (self.name,))


def _registered(name: str) -> Standard:
    from . import STANDARDS

    return STANDARDS[name]
