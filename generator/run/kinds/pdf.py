"""kinds.pdf: the kind of output `brief build` has always made — one PDF per audience and
language, `out/<brief>/<brief>.<audience>.<language>.pdf` (and its booklet beside it when the
audience says `print: {imposition: booklet}`), laid out in the worker pool (`workers.RenderJob`)
and preflighted before it is written (`scheduler`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ...project import OutputId
    from ...read.model import Audience, Brief

#: An audience of this medium makes web pages (kinds/web.py), not PDFs.
WEB_MEDIUM = "web"


def booklet_path(path: Path) -> Path:
    """Where an output imposed as a booklet goes: next to it, `<name>.booklet.pdf`."""
    return path.with_name(f"{path.stem}.booklet.pdf")


class _Pdf:
    @property
    def name(self) -> Literal["pdf"]:
        return "pdf"

    def key(self, output: OutputId) -> str:
        return f"{output.audience}/{output.language}"

    def path(self, output: OutputId, out: Path) -> Path:
        return out / output.brief / f"{output.brief}.{output.audience}.{output.language}.pdf"

    def files(self, output: OutputId, out: Path) -> tuple[Path, ...]:
        path = self.path(output, out)
        return (path, booklet_path(path))

    def outputs(self, brief: Brief) -> Iterator[tuple[OutputId, Audience]]:
        """One per audience (but those for the web) and language."""
        from ...project import OutputId  # noqa: PLC0415  # project imports this package

        for audience in brief.audiences:
            if audience.medium == WEB_MEDIUM:
                continue
            for language in audience.languages:
                yield OutputId(brief.id, audience.name, language), audience

    def shown(self, output: OutputId, out: Path) -> tuple[Path, ...]:
        return tuple(path for path in self.files(output, out) if path.is_file())


PDF = _Pdf()
