"""kinds.personal: one recipient's copy of an audience's output (`brief personalise`) — their
cover letter joined with the body — `out/<brief>/personal/<audience>/<recipient>.pdf`, with
`manifest.csv` beside the copies. `brief build` makes none (`outputs` is empty): they are
listed from the recipient list; `build` and `clean` keep them while their base is still made.
The worker's jobs are in `personal_jobs.py` (`PersonalJob`, `LetterBatch`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ...project import OutputId
    from ...read.model import Audience, Brief

PERSONAL_DIR = "personal"


def folder(brief: str, audience: str, out: Path) -> Path:
    """Where an audience's personal copies of a brief lie: `out/<brief>/personal/<audience>/`."""
    return out / brief / PERSONAL_DIR / audience


class _Personal:
    @property
    def name(self) -> Literal["personal"]:
        return "personal"

    def key(self, output: OutputId) -> str:
        return f"{output.audience}/{output.language}/{output.recipient}"

    def path(self, output: OutputId, out: Path) -> Path:
        return folder(output.brief, output.audience, out) / f"{output.recipient}.pdf"

    def files(self, output: OutputId, out: Path) -> tuple[Path, ...]:
        return (self.path(output, out),)

    def outputs(self, brief: Brief) -> Iterator[tuple[OutputId, Audience]]:
        return iter(())  # from a recipient list, by `brief personalise`

    def shown(self, output: OutputId, out: Path) -> tuple[Path, ...]:
        return ()  # a recipient's copy is not previewed: its body is, as a PDF output


PERSONAL = _Personal()
