"""clean: outputs no brief, audience or language makes any more → removed from out/.

Only files this tool wrote are removed: an output recorded in the manifest
(`out/.brief-manifest.json`, keyed by `OutputId`) whose file is one brief wrote there — the one
recorded (its SHA-256), or one a run that was interrupted wrote or was about to write (its
journal, `manifest.Manifest.writing`). A file brief did not write, or one replaced by hand
since, is never touched (it is only forgotten).
`build` calls `remove_outputs` for the outputs a brief no longer has and `remove_gone_briefs`
for briefs whose folder is gone; `brief clean` calls `clean`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BriefError
from ..project import PERSONAL_MANIFEST, OutputId, Project
from .manifest import Manifest
from .write import remove


@dataclass
class CleanResult:
    removed: list[Path] = field(default_factory=list)  # files deleted
    failed: list[tuple[str, BriefError]] = field(default_factory=list)  # briefs that do not load


def still_made(recorded: Iterable[OutputId], current: Iterable[OutputId]) -> set[OutputId]:
    """The recorded outputs a brief still makes: those in `current`, and the personal copies
    (`brief personalise`) of an audience and language in `current`. Whether a recipient is still
    on the list is for `brief personalise` to decide, which reads it."""
    made = set(current)
    return {output for output in recorded if output in made or output.base in made}


def remove_outputs(manifest: Manifest, outputs: Iterable[OutputId]) -> list[Path]:
    """Delete the files of `outputs` that brief wrote (and the booklets written with them),
    forget all of them in the manifest, and remove the folders this leaves empty; the files
    deleted, in order. A file that cannot be removed (a read-only out/) is a `WriteError`."""
    removed = []
    for output in sorted(outputs):
        path = output.path(manifest.out)
        booklet = output.booklet_path(manifest.out)
        if manifest.written_by_brief(booklet, output, booklet=True):
            remove(booklet)
            removed.append(booklet)
        if manifest.written_by_brief(path, output):
            remove(path)
            removed.append(path)
            if output.recipient:  # the copies' manifest.csv lists it: no longer true
                remove(path.parent / PERSONAL_MANIFEST)
            _remove_empty_folders(path.parent, manifest.out)
        manifest.forget(output)  # after deleting: a kill between leaves it known
    return removed


def _remove_empty_folders(folder: Path, out: Path) -> None:
    while folder != out and out in folder.parents:
        with contextlib.suppress(OSError):  # not empty (or gone): stop
            folder.rmdir()
            folder = folder.parent
            continue
        return


def _remove_personal_manifests(project: Project, brief_id: str) -> list[Path]:
    """The manifest.csv files `brief personalise` left beside copies no longer there (a run
    stopped before it wrote any, or they were removed)."""
    removed = []
    for path in sorted((project.out / brief_id / "personal").glob(f"*/{PERSONAL_MANIFEST}")):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
            _remove_empty_folders(path.parent, project.out)
    return removed


def gone_briefs(project: Project, manifest: Manifest) -> list[str]:
    """Briefs with outputs in the manifest whose folder holds no brief file any more."""
    existing = {*project.brief_ids(), *project.misnamed_brief_ids()}
    return sorted(brief_id for brief_id in manifest.briefs if brief_id not in existing)


def remove_gone_briefs(project: Project, manifest: Manifest) -> list[Path]:
    """Delete the outputs of briefs that no longer exist, and forget those briefs."""
    removed = []
    for brief_id in gone_briefs(project, manifest):
        removed += remove_outputs(manifest, manifest.outputs_of(brief_id))
        del manifest.briefs[brief_id]
    return removed


def clean(project: Project, brief_ids: list[str] | None = None, *,
          all_outputs: bool = False) -> CleanResult:
    """Remove the outputs of the named briefs (all by default) that their brief, audience or
    language no longer makes; with `all_outputs`, every output brief wrote for them (with their
    booklets and the brief's preview).

    A brief that does not load keeps its outputs (they may be all there is) and is reported.
    """
    from .pipeline import load_brief, outputs  # noqa: PLC0415  # deferred: see generator/__init__.py
    from .preview import PAGE_NAME, remove_preview  # noqa: PLC0415  # deferred: see generator/__init__.py

    manifest = Manifest.open(project.out)
    result = CleanResult()
    try:
        gone = set(gone_briefs(project, manifest))
        for brief_id in brief_ids or sorted(manifest.briefs):
            recorded = manifest.outputs_of(brief_id)
            if all_outputs or brief_id in gone:
                result.removed += remove_outputs(manifest, recorded)
                result.removed += _remove_personal_manifests(project, brief_id)
                manifest.briefs.pop(brief_id, None)
                if remove_preview(project, brief_id):
                    result.removed.append(project.out / brief_id / PAGE_NAME)
                continue
            try:
                brief = load_brief(project, brief_id)
            except BriefError as exc:
                result.failed.append((brief_id, exc))
                continue
            current = still_made(recorded, (output for output, _ in outputs(brief)))
            result.removed += remove_outputs(manifest, [o for o in recorded if o not in current])
        if manifest.path.exists() or result.removed:
            manifest.save()
    finally:
        manifest.close()  # what it journaled stays, unless saved
    return result
