"""base: what a PDF standard is — the hooks each standard module fills in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self

if TYPE_CHECKING:
    import pikepdf

    from ...project import Layers


@dataclass(frozen=True, slots=True)
class FinishContext:
    """What finishing needs to know about the output: its project's styles folder, or its
    layers (`project.Layers`: the project's own, then the packaged one), for the colour
    profiles, and its audience's print condition."""

    styles: Path | Layers
    print_condition: str


@dataclass(frozen=True, slots=True)
class Finding:
    """What preflight found a PDF lacks: a stable `code`, the `message` (what is wrong; what to
    do), the standard that requires it (its label; "" for what every output needs), the page
    when known, and for an image the pixel size it has (`pixels`), by which `audit` names the
    brief's image file."""

    code: str
    message: str
    standard: str = ""
    page: int | None = None
    pixels: tuple[int, int] | None = None

    def text(self, image: str = "") -> str:
        """The finding as a sentence: `page N: …`; an image named `image` when given, else by
        its pixel size."""
        where = f"page {self.page}: " if self.page is not None else ""
        if self.pixels is None:
            return where + self.message
        width, height = self.pixels
        named = f"{image} ({width} × {height} pixels)" if image else \
            f"an image of {width} × {height} pixels"
        return f"{where}{named} {self.message}"

    def __str__(self) -> str:
        return self.text()


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

    def preflight(self, doc: pikepdf.Pdf, findings: list[Finding]) -> None:
        """Append what the PDF lacks for this standard."""

    def claimed_in(self, xmp: str) -> str | None:
        """The label of this standard's part or version a PDF's XMP metadata claims, if any."""
        return None

    #: The XMP properties and document-info keys by which a PDF claims this standard: a
    #: joined copy that cannot keep the standard drops them (`join`).
    xmp_claims: ClassVar[tuple[str, ...]] = ()
    info_claims: ClassVar[tuple[str, ...]] = ()

    def joined(self, titles: Sequence[str], docs: Sequence[pikepdf.Pdf], base: int, *,
               claimed: str, tagged: bool, lost: list[str]) -> bool:
        """What of this standard a copy joined from `docs` (the body at `base`; all claiming
        `claimed`, the same label) cannot keep, said in `lost`; whether it may still claim it."""
        return True

    def __repr__(self) -> str:
        return f"Standard({self.name!r})"

    def __reduce__(self) -> tuple[type[Standard], tuple[()]]:  # unpickled: the one instance
        return (type(self), ())
