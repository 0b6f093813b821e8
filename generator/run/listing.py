"""listing: a project and its manifest → what `brief list` shows: every brief, each of its outputs
(audience, language, file, and the booklet made with it), its pages when it was built, and
whether its PDF is up to date.

Nothing is rendered. A brief whose input files are unchanged since its last complete build is up
to date without being parsed (`manifest.brief_is_current`); of any other brief each output is
prepared up to its HTML, as `build` does, and its digest compared with the manifest's
(`build.prepared_digest`, `manifest.output_is_current`). Either way a PDF is up to date only
while it is the file recorded (its SHA-256): one replaced by hand, or written by a run that
was stopped before recording it, is "out of date".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import BriefError
from ..project import OutputId, Project
from ..read.model import Brief
from .build import prepared_digest
from .clean import still_made
from .manifest import Manifest, brief_inputs_digest
from .pipeline import load_brief, outputs, prepare

UP_TO_DATE = "up to date"
OUT_OF_DATE = "out of date"
NOT_BUILT = "not built"
NEEDS_TRANSLATING = "needs translating"  # prints stale or missing translations: build fails it
CANNOT_BUILD = "cannot build"  # preparing it failed (a template mistake …): `brief check`
BRIEF_ERRORS = "brief has errors"  # its last PDF, while the brief does not check
GONE = "made no more"  # no audience or language of the brief makes it: the next build removes it


@dataclass(frozen=True, slots=True)
class OutputRow:
    output: OutputId
    path: Path
    pages: int | None  # when it was built (None: not built, or not recorded)
    state: str
    #: `<name>.booklet.pdf`, written with it (`print: {imposition: booklet}`), or None
    booklet: Path | None = None


@dataclass(frozen=True, slots=True)
class BriefRow:
    brief: str
    outputs: tuple[OutputRow, ...]
    errors: int = 0  # problems `brief check` reports (the brief's outputs cannot be known)


def list_briefs(project: Project, brief_ids: list[str] | None = None) -> list[BriefRow]:
    """Every brief named (all by default) with its outputs and their state."""
    manifest = Manifest.load(project.out)
    return [_brief(project, manifest, brief_id)
            for brief_id in project.requested_briefs(brief_ids)]


def _row(project: Project, manifest: Manifest, output: OutputId, state: str,
         booklet: bool = False) -> OutputRow:
    """An output's row; `booklet`: its audience imposes one (else shown only when one is on
    disk, left from an earlier build)."""
    path = project.output_path(output)
    built = state != NOT_BUILT and path.is_file()
    booklet_path = project.booklet_path(output)
    return OutputRow(output, path, manifest.pages(output) if built else None, state,
                     booklet_path if booklet or booklet_path.is_file() else None)


def _brief(project: Project, manifest: Manifest, brief_id: str) -> BriefRow:
    recorded = manifest.outputs_of(brief_id)
    try:
        brief = load_brief(project, brief_id)
    except BriefError as exc:
        if not project.brief_file(brief_id).is_file() and \
                project.brief_file_problem(brief_id) is None:
            raise  # no such brief
        return BriefRow(brief_id, tuple(
            _row(project, manifest, output, BRIEF_ERRORS) for output in recorded
            if not output.recipient and project.output_path(output).is_file()),
            errors=len(exc.flat()))
    current = manifest.brief_is_current(brief_id, brief_inputs_digest(project, brief_id))
    rows = []
    made = set()
    for output, audience in outputs(brief):
        made.add(output)
        rows.append(_row(project, manifest, output,
                         _state(project, manifest, brief, output, current=current,
                                recorded=recorded), audience.imposition == "booklet"))
    kept = still_made(recorded, made)  # with the personal copies (`brief personalise`)
    rows += [_row(project, manifest, output, GONE) for output in recorded
             if output not in kept and project.output_path(output).is_file()]
    return BriefRow(brief_id, tuple(rows))


def _state(project: Project, manifest: Manifest, brief: Brief, output: OutputId, *,
           current: bool, recorded: list[OutputId]) -> str:
    if output not in recorded or not project.output_path(output).is_file():
        return NOT_BUILT
    if current:
        return UP_TO_DATE
    try:
        prepared = prepare(project, brief, output)
    except BriefError:
        return CANNOT_BUILD
    if prepared.gaps:
        return NEEDS_TRANSLATING
    digest = prepared_digest(project, brief, prepared)
    return UP_TO_DATE if manifest.output_is_current(output, digest) else OUT_OF_DATE
