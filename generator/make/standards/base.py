"""base: what a PDF standard is — the hooks each standard module fills in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self

if TYPE_CHECKING:
    import pikepdf


@dataclass(frozen=True, slots=True)
class FinishContext:
    """What finishing needs to know about the output: its project's styles folder (for the
    colour profiles) and its audience's print condition."""

    styles: Path
    print_condition: str


def lookup(obj: Any, *keys: str) -> Any:
    """`obj[k1][k2]…` in a PDF's dictionaries (pikepdf objects), or None where a key is
    missing."""
    for key in keys:
        if obj is None:
            return None
        obj = obj.get(key)
    return obj


class Standard:
    """A PDF standard: its name in audiences.yaml, the label it is known by, and its hooks.

    The default hooks do nothing; a standard overrides those it needs. Each standard has one
    instance, also when unpickled in a worker process.
    """

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    #: The HTML prints in CMYK ink only (colours, the QR code), as print shops want.
    cmyk: ClassVar[bool] = False
    _instance: ClassVar[Standard]

    def __new__(cls) -> Self:
        instance = cls.__dict__.get("_instance")
        if not isinstance(instance, cls):
            instance = cls._instance = super().__new__(cls)
        return instance

    def render_options(self) -> dict[str, Any]:
        """WeasyPrint's `write_pdf` options for this standard."""
        return {}

    def prepare_writer(self) -> None:
        """Ready WeasyPrint's PDF writer for this standard (in the render worker, which has
        imported WeasyPrint, right before `write_pdf`)."""

    def finish(self, doc: pikepdf.Pdf, context: FinishContext) -> None:
        """Change the PDF after WeasyPrint wrote it."""

    def preflight(self, doc: pikepdf.Pdf, warnings: list[str]) -> None:
        """Append what the PDF lacks for this standard."""

    def __repr__(self) -> str:
        return f"Standard({self.name!r})"

    def __reduce__(self) -> tuple[type[Standard], tuple[()]]:  # unpickled: the one instance
        return (type(self), ())
