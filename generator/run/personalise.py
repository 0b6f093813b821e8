"""personalise: turns a brief, one of its audiences and a recipient list into one PDF per
recipient — their cover letter, then the audience's output in their language — and a
`manifest.csv` beside them for a mail merge (`brief personalise`).

The body is rendered once per language (or read from out/ when the normal build's PDF of that
output is up to date), the letters in the warm worker pool, in batches of one language laid out
as one document each (`batched`, `kinds.personal_jobs.LetterBatch`), and each letter's pages
joined there with the body (`kinds.personal_jobs.PersonalJob`), all through the one scheduler
(`scheduler`: outcomes judged, preflight, atomic writes, the manifest). A copy is rebuilt only
when what it is made from changed: the body's inputs (what `build` digests for that output),
the letter's HTML and design, or the recipient's row; the manifest keeps each copy by its
`OutputId` (of kind `personal`, with the recipient). Copies of recipients no longer on the list
are removed (only files brief wrote). A failed copy leaves the PDF it would have replaced as it
was.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import hashlib
import io
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BriefError, BriefErrors, Bug, ContentError, LocatedError, Mark, WriteError
from ..make.audit import ImageUse
from ..make.letter import (
    enclose,
    letter_audience,
    letter_html,
    letter_languages,
    letter_problems,
    own_salutation,
)
from ..make.pdf import RenderResult
from ..project import PERSONAL_MANIFEST, OutputId, Project, RenderLimits, default_jobs
from ..read.model import Audience, Brief
from ..read.recipients import (
    Recipient,
    RecipientNote,
    RecipientWarning,
    load_recipients,
    recipients_path,
)
from ..read.select import select
from ..suggest import suggest
from ..text.locale import labels
from ..text.typography.compounds import plain
from .build import audience_settings, brand_settings, prepared_digest
from .clean import remove_outputs
from .kinds.personal import folder as personal_folder
from .kinds.personal_jobs import LetterBatch, Personal, PersonalJob
from .manifest import Manifest, output_digest
from .pipeline import Prepared, gap_errors, load_brief, prepare
from .scheduler import Planned, Scheduler, announce, deliver, nothing_rendered
from .workers import RenderJob, RenderPool
from .write import deferred_sync, sync, write_atomic

log = logging.getLogger(__name__)

MANIFEST_CSV = PERSONAL_MANIFEST
#: The columns of manifest.csv, for a mail merge: `file` is relative to manifest.csv's folder.
CSV_COLUMNS = ("id", "name", "email", "language", "file", "pages", "sha256")
#: The columns every recipient file has (others, such as `committee`, are the letter's to use).
STANDARD_COLUMNS = ("id", "name", "language", "salutation", "email")

#: Called after each copy is decided: (copies done, copies to build).
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Copy:
    """One recipient's PDF, written now (`rebuilt`) or kept as it was."""

    recipient: Recipient
    output: OutputId
    path: Path
    pages: int
    sha256: str
    rebuilt: bool


@dataclass
class PersonaliseResult:
    folder: Path  # out/<brief>/personal/<audience>/
    total: int = 0  # recipients asked for (all good rows, or those named by --only)
    copies: list[Copy] = field(default_factory=list)  # up to date after the run, in file order
    failed: list[tuple[str, BriefError]] = field(default_factory=list)  # recipient id, why
    row_errors: list[BriefError] = field(default_factory=list)  # bad rows of the list
    warnings: list[BriefError] = field(default_factory=list)
    list_notes: list[BriefError] = field(default_factory=list)  # which sheet was read (no problem)
    bugs: list[Bug] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)  # copies of recipients no longer listed
    #: Files of the run itself that could not be written (the manifest, manifest.csv).
    errors: list[BriefError] = field(default_factory=list)
    manifest_csv: Path | None = None
    seconds: float = 0.0
    #: where the time went (seconds): "prepare" (parent: bodies' and letters' HTML; in a cold
    #: run the letters' overlap "body"), "body" (rendering bodies), "letter" and "join" (summed
    #: over workers), "write" (parent, the copies checked and written) and "sync" (the copies
    #: flushed to the disk, at the end)
    timings: dict[str, float] = field(default_factory=dict)
    #: About the machine, not the copies (`pdf.environment_note`): each once, in order.
    notes: dict[str, None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.row_errors and not self.bugs and not self.errors

    @property
    def rebuilt(self) -> int:
        return sum(copy.rebuilt for copy in self.copies)


@dataclass(frozen=True, slots=True)
class _Planned:
    """A recipient's copy as decided before rendering."""

    recipient: Recipient
    output: OutputId
    digest: str  # of everything it is made from (as its letter's last render read)
    html: str  # the letter's


def personalise(project: Project, brief_id: str, audience_name: str, *,
                recipients: Path | None = None, sheet: str | None = None,
                only: Sequence[str] = (), strict: bool = False,
                force: bool = False, jobs: int | None = None,
                limits: RenderLimits | None = None, progress: Progress | None = None,
                pool: RenderPool | None = None, today: datetime.date | None = None
                ) -> PersonaliseResult:
    """Make (or bring up to date) the personal copies of `brief_id` for `audience_name`, one
    per recipient of the list (`recipients`, else the brief's recipients.csv or .xlsx; of a
    workbook, the `sheet` named, else its first visible sheet), or only
    those named by `only`; write `manifest.csv` beside them. The letters are dated `today`
    (default: the day it runs — a copy made on another day is another copy, so rebuilt).

    Raises `BriefErrors` when nothing can be made (the brief, the letter or the command line is
    wrong; with `strict`, also any bad row or warning). Otherwise bad rows and failed copies are
    in the result and the other copies are still made. A warm `pool` may be passed in (it is
    then left open)."""
    started = time.perf_counter()
    scheduler = Scheduler(project, jobs or default_jobs(), limits, pool)
    if force:  # every copy is made again: the workers warm up while the brief is read
        scheduler.start()
    try:
        run = _prepare_run(project, brief_id, audience_name, scheduler, recipients=recipients,
                           sheet=sheet, only=only, strict=strict, force=force, today=today)
    except BaseException:
        scheduler.close()
        raise
    result = run.result
    try:
        if strict and result.warnings:
            raise BriefErrors(result.warnings)
        run.remove_gone(run.rows, clean_list=not result.row_errors)
        run.render(progress or _silent, strict=strict)
    finally:
        run.close()
    try:  # the disk, not the content: said with the copies' results
        run.manifest.save()
    except WriteError as exc:
        result.errors.append(exc)
    try:
        result.manifest_csv = run.write_manifest_csv(final=True)
    except WriteError as exc:
        result.errors.append(_stale_csv_removed(exc) if result.rebuilt else exc)
    result.seconds = time.perf_counter() - started
    log.debug("where the time went: %s", ", ".join(
        f"{name} {seconds:.2f} s" for name, seconds in result.timings.items()))
    return result


def _prepare_run(project: Project, brief_id: str, audience_name: str, scheduler: Scheduler, *,
                 recipients: Path | None, sheet: str | None, only: Sequence[str], strict: bool,
                 force: bool, today: datetime.date | None) -> _Run:
    """The brief and the list read and judged (`BriefErrors` when nothing can be made), the
    manifest opened, each language's body up to its HTML and (unless every copy is to be made
    again: `render` makes them while the bodies render) each recipient's letter planned."""
    brief = load_brief(project, brief_id)
    audience = _audience(brief, audience_name)
    path = recipients_path(brief, recipients)
    rows, problems = load_recipients(path, brief, audience, sheet=sheet)
    notes: list[BriefError] = [p for p in problems if isinstance(p, RecipientNote)]
    problems = [p for p in problems if not isinstance(p, RecipientNote)]
    row_errors = [p for p in problems if not isinstance(p, RecipientWarning)]
    folder = personal_folder(brief.id, audience.name, project.out)
    result = PersonaliseResult(folder, row_errors=row_errors,
                               warnings=[p for p in problems if isinstance(p, RecipientWarning)],
                               list_notes=notes)
    columns = tuple(dict.fromkeys([*STANDARD_COLUMNS,
                                   *(name for row in rows for name, _ in row.fields)]))
    # a list that could not be read (not UTF-8, its header wrong, no rows) tells no columns:
    # the letter's placeholders are judged once it can be
    judged = letter_problems(brief, columns) if rows or brief.letter is None else []
    errors: list[BriefError] = [*judged, *_unknown(only, rows, path, project)]
    if errors or (row_errors and (strict or not rows)):  # no rows: nothing to make
        raise BriefErrors([*errors, *row_errors])
    chosen = {row.id for row in rows if not only or row.id in only}
    result.total = len(chosen)

    languages, fallback = languages_for(brief, audience, rows, chosen)
    if fallback is not None:
        result.warnings.append(fallback)
    run = _Run(project, brief, audience, result=result, manifest=Manifest.open(project.out),
               scheduler=scheduler, today=today, rows=rows, recipient_lists=(path,))
    try:
        run.plan(rows, languages, chosen, force=force)
    except BaseException:
        run.close()
        raise
    return run


def _stale_csv_removed(error: WriteError) -> WriteError:
    """manifest.csv could not be written after copies were: the earlier one no longer matches
    them, so it is removed rather than kept for a mail merge (a full disk can still do that)."""
    try:
        error.path.unlink(missing_ok=True)
    except OSError:
        return error
    return WriteError(error.path, error.reason, error.code, blocking=error.blocking,
                      kept="the earlier one no longer matched the copies, so it was removed")


def _silent(done: int, total: int) -> None:
    """Progress that shows nothing."""


def _audience(brief: Brief, name: str) -> Audience:
    audience = brief.audience(name)
    if audience is None:
        names = [a.name for a in brief.audiences]
        raise ContentError(Mark(brief.path, 1), f"--audience {name}: brief {brief.id!r} is not "
                           f"built for audience {name!r}{suggest(name, names)}; its audiences: "
                           f"{', '.join(names)} (`audiences:` in brief.yaml)")
    return audience


def _unknown(only: Sequence[str], rows: tuple[Recipient, ...], path: Path,
             project: Project) -> list[BriefError]:
    """An error for each `--only` id that no good row of the list has."""
    ids = [row.id for row in rows]
    return [BriefError(f"--only {wanted}: no recipient with id {wanted!r} in "
                       f"{project.relative(path)}{suggest(wanted, ids)}")
            for wanted in dict.fromkeys(only) if wanted not in ids]


def languages_for(brief: Brief, audience: Audience, rows: tuple[Recipient, ...],
               chosen: set[str]) -> tuple[dict[str, str], BriefError | None]:
    """Each recipient's language: theirs if the audience is built in it and the letter is
    written in it, else the audience's first; and one warning naming who fell back, and why."""
    written = letter_languages(brief)
    first = audience.languages[0]
    chosen_languages: dict[str, str] = {}
    fell_back: list[tuple[Recipient, str]] = []
    for row in rows:
        if row.language in audience.languages and row.language in written:
            chosen_languages[row.id] = row.language
            continue
        chosen_languages[row.id] = first
        if row.id not in chosen:
            continue
        if row.language not in audience.languages:
            fell_back.append((row, f"audience {audience.name!r} is not built in it"))
        else:
            fell_back.append((row, "the letter is not written in it"))
    if not fell_back:
        return chosen_languages, None
    who = "; ".join(f"{row.id} ({row.name}: {row.language or 'none'}, {why})"
                    for row, why in fell_back)
    many = len(fell_back) > 1
    own = [row for row, _ in fell_back if row.salutation and not own_salutation(row, first)]
    default = labels(first, audience.labels)["salutation"]
    salutations = ("; " + ", ".join(f"{row.id}'s own salutation {row.salutation!r}"
                                    for row in own)
                   + f" {'are' if len(own) > 1 else 'is'} not used (the list gives it in their "
                   f"language): the letter opens with the {first!r} default, {default!r}"
                   if own else "")
    return chosen_languages, LocatedError(
        fell_back[0][0].mark,
        f"{len(fell_back)} recipient{'s get their copies' if many else ' gets a copy'} in "
        f"{first!r}, the first language of audience {audience.name!r}, not in their own: "
        f"{who}{salutations}; to send them their language, add it to the audience's "
        "`languages:` (and translate the brief), and write the letter in it")


#: A batch of letters (`kinds.personal_jobs.LetterBatch`) holds at most this many: enough to pay
#: WeasyPrint's cost per document once for many letters, few enough to keep the workers busy.
MAX_BATCH = 16
BATCHES_PER_WORKER = 4


def batched(jobs: Sequence[PersonalJob], workers: int) -> list[LetterBatch]:
    """The copies' jobs in batches of one language (and body), in order: about
    `BATCHES_PER_WORKER` batches per worker, of at most `MAX_BATCH` letters."""
    size = max(1, min(MAX_BATCH, -(-len(jobs) // (max(1, workers) * BATCHES_PER_WORKER))))
    by_language: dict[str, list[PersonalJob]] = {}
    for job in jobs:
        by_language.setdefault(job.language, []).append(job)
    return [LetterBatch(tuple(group[i:i + size]))
            for group in by_language.values() for i in range(0, len(group), size)]


class _Run:
    """One `brief personalise`: what is planned, the pool, and the manifest."""

    def __init__(self, project: Project, brief: Brief, audience: Audience, *,
                 result: PersonaliseResult, manifest: Manifest, scheduler: Scheduler,
                 today: datetime.date | None = None, rows: tuple[Recipient, ...] = (),
                 recipient_lists: tuple[Path, ...] = ()) -> None:
        self.today = today
        #: read here, each row digested on its own: no digest of a body or letter covers them
        self.recipient_lists = recipient_lists
        self.rows = rows
        self.project, self.brief, self.audience = project, brief, audience
        self.letter_audience = letter_audience(audience)
        self.result, self.manifest = result, manifest
        self.scheduler = scheduler
        self.pool_size = scheduler.size
        self.planned: list[_Planned] = []  # in file order: every good row's copy
        self.queued: list[_Planned] = []  # those to build
        self.bodies: dict[str, tuple[OutputId, str, str]] = {}  # language: output, digest, title
        self.body_html: dict[str, tuple[str, int]] = {}  # language: its HTML, its footnotes
        self.body_prepared: dict[str, Prepared] = {}  # language: the body up to its HTML
        #: language: the files rendering the body read (its PDF's record, or its render's)
        self.body_read: dict[str, tuple[str, ...]] = {}
        #: the bodies' and the letters' design digested, per language and set of files read
        self.parts: dict[tuple[str, tuple[Path, ...] | None], str] = {}
        self.body_images: dict[str, tuple[ImageUse, ...]] = {}  # to locate preflight's warnings
        self.preflighted: set[str] = set()  # languages whose first copy was preflighted
        self.failed_languages: dict[str, BriefError] = {}
        self.current: set[OutputId] = set()  # copies up to date (before or after rendering)
        self.announced: set[OutputId] = set()  # copies journaled as being written
        #: manifest.csv could not be brought up to date (a full disk): it is removed before a
        #: copy it names is replaced, as it would then name the wrong checksum
        self.csv_behind: Path | None = None
        #: recipient: their copies of this audience the manifest recorded before the copies
        #: were written (`render`), whatever their language: a copy written forgets the others
        #: (they had its file); looked up once, not in the whole manifest for every copy
        self.recorded_copies: dict[str, list[OutputId]] = {}
        #: the letters still to plan (`plan_letters`): rows, their languages, those chosen, force
        self.letters: tuple[tuple[Recipient, ...], dict[str, str], set[str], bool] | None = None
        #: a cold run's bodies, rendered while the letters are planned (`render_bodies`)
        self.early_bodies: tuple[str, ...] = ()

    def close(self) -> None:
        self.scheduler.close()  # if it started the pool
        self.manifest.close()  # what it journaled stays for the next run, unless saved

    def start_pool(self) -> RenderPool:
        """The pool, started now if not yet (its workers warm up while the parent works)."""
        return self.scheduler.start()

    def plan(self, rows: tuple[Recipient, ...], languages: dict[str, str], chosen: set[str],
             *, force: bool) -> None:
        """Each language's body up to its HTML; then each recipient's copy and its digest, the
        chosen ones that are not current queued — now, or, when every chosen copy is to be
        made (`force`, or no copy made yet: a cold run), by `render` while the workers render
        the bodies (`plan_letters`)."""
        started = time.perf_counter()
        personal = [o for o in self.manifest.outputs_of(self.brief.id)
                    if o.kind == "personal" and o.audience == self.audience.name]
        cold = force or not personal
        if cold:  # let the workers warm up meanwhile
            self.start_pool()
        used = {languages[row.id] for row in rows if row.id in chosen}
        for language in dict.fromkeys(languages[row.id] for row in rows):
            warnings = self.body(language)
            if language in used:  # what the copies made now print that may be a mistake
                self.result.warnings.extend(warnings)
        self.result.timings["prepare"] = time.perf_counter() - started
        self.letters = (rows, languages, chosen, force)
        if cold:  # every chosen copy will be made: their bodies are known now
            self.early_bodies = tuple(language for language in dict.fromkeys(
                languages[row.id] for row in rows if row.id in chosen)
                if language not in self.failed_languages)
        else:
            self.plan_letters()

    def plan_letters(self) -> None:
        """Each recipient's letter (its HTML) and its copy's digest; the chosen copies that are
        not current (or all, `force`) queued (once)."""
        if self.letters is None:
            return
        rows, languages, chosen, force = self.letters
        self.letters = None
        project, brief = self.project, self.brief
        started = time.perf_counter()
        for row in rows:
            language = languages[row.id]
            output = OutputId(brief.id, self.audience.name, language, row.id, "personal")
            wanted = row.id in chosen
            if language in self.failed_languages:
                if wanted:
                    self.result.failed.append((row.id, self.failed_languages[language]))
                continue
            try:
                html = letter_html(project, brief, self.audience, row, language,
                                   today=self.today)
            except BriefError as exc:
                if wanted:
                    self.result.failed.append((row.id, exc))
                continue
            digest = self.copy_digest(row, language, html, self.manifest.read(output))
            planned = _Planned(row, output, digest, html)
            self.planned.append(planned)
            current = self.manifest.output_is_current(output, digest) \
                and bool(self.manifest.sha256(output))
            if current:
                self.current.add(output)
            if wanted and (force or not current):
                self.queued.append(planned)
        self.result.timings["prepare"] += time.perf_counter() - started

    def copy_digest(self, row: Recipient, language: str, html: str,
                    read: tuple[Path, ...] | None) -> str:
        """What a copy is made from: its body (as `build` digests an output, its HTML and
        settings) and its letter's design, both over the files rendering them `read` (the
        copy's record: its body's and its letter's renders; None: not known, so every file of
        the brief's folder but the recipient list stands in), its letter's HTML, and its
        row."""
        if (language, read) not in self.parts:
            settings = self.letter_audience
            self.parts[language, read] = "\0".join((
                prepared_digest(self.project, self.brief, self.body_prepared[language], read,
                                leave_out=self.recipient_lists),
                output_digest(self.project, self.brief.folder, "",
                              brand_settings(self.brief) + audience_settings(settings),
                              settings.stylesheets, read=read,
                              leave_out=self.recipient_lists)))
        return hashlib.sha256("\0".join((self.parts[language, read], html, row.digest())
                                        ).encode()).hexdigest()

    def body(self, language: str) -> tuple[BriefError, ...]:
        """The audience's output in `language` up to its HTML: its digest (as `build` makes
        it) and title; its errors and stale translations fail every copy in that language.
        Returns its warnings (`pipeline.prepare`)."""
        project, brief, audience = self.project, self.brief, self.audience
        output = OutputId(brief.id, audience.name, language)
        try:
            prepared = prepare(project, brief, output)
        except BriefError as exc:
            self.failed_languages[language] = exc
            return ()
        if prepared.gaps:
            self.failed_languages[language] = BriefErrors(
                gap_errors(brief, {output: prepared.gaps}))
            return ()
        digest = prepared_digest(project, brief, prepared, self.manifest.read(output),
                                 leave_out=self.recipient_lists)
        self.bodies[language] = (output, digest, plain(select(brief, audience, language).title))
        self.body_html[language] = (prepared.html, len(prepared.footnotes))
        self.body_prepared[language] = prepared
        self.body_images[language] = prepared.images
        return prepared.warnings

    def remove_gone(self, rows: tuple[Recipient, ...], *, clean_list: bool) -> None:
        """Remove the copies of recipients no longer on the list — only when the list has no
        bad rows (a row broken by a typo keeps its recipient's copy until it is fixed)."""
        ids = {row.id for row in rows}
        gone = [o for o in self.manifest.outputs_of(self.brief.id)
                if o.kind == "personal" and o.audience == self.audience.name
                and o.recipient not in ids]
        if not clean_list:
            if gone:  # personal data kept: said, so that nobody takes it for removed
                self.result.warnings.append(BriefError(
                    f"{self.project.relative(self.result.folder)}: "
                    f"{len(gone)} cop{'ies' if len(gone) > 1 else 'y'} of recipients not on the "
                    f"list ({', '.join(o.recipient for o in gone[:5])}"
                    f"{', …' if len(gone) > 5 else ''}) kept until the list's bad rows are "
                    "fixed (a row broken by a typo may be one of them); fix the rows and run "
                    "again to remove them"))
            return
        self.result.removed += remove_outputs(self.manifest, gone)

    def render_bodies(self, needed: Sequence[str],
                      meanwhile: Callable[[], None] | None = None) -> dict[str, bytes]:
        """The body's PDF for each language `needed`: from out/ when the normal build's PDF is
        up to date, else rendered in the pool; `meanwhile` (the letters planned) runs while the
        workers render them, or before this returns."""
        project = self.project
        found: dict[str, bytes] = {}
        planned: list[Planned[RenderResult]] = []
        for language in needed:
            output, digest, _ = self.bodies[language]
            path = project.output_path(output)
            read = self.manifest.read(output)
            if read is not None and self.manifest.output_is_current(output, digest):
                try:
                    found[language] = path.read_bytes()
                    self.body_read[language] = tuple(
                        name for file in read if (name := project.record_name(file)) is not None)
                    continue
                except OSError:
                    pass
            html, footnotes = self.body_html[language]
            name = project.relative(path)
            planned.append(Planned(output, RenderJob(output, html, self.brief.folder,
                                                     self.audience, name, self.brief.path,
                                                     self.brief.brand),
                                   digest, name, footnotes))
        bugs: list[tuple[str, Bug]] = []
        for judged in self.scheduler.run(planned, footnotes=_footnotes, meanwhile=meanwhile):
            language = judged.planned.output.language
            rendered, error = judged.result, judged.error
            if rendered is not None:
                self.result.notes.update(dict.fromkeys(rendered.notes))
            if isinstance(error, Bug):
                bugs.append((language, error))
            elif error is not None or rendered is None:
                self.failed_languages[language] = error or nothing_rendered(judged.planned.name)
            else:
                found[language] = rendered.pdf
                self.body_read[language] = rendered.read
        if meanwhile is not None:  # the scheduler ran it, unless every body was read from out/
            meanwhile()  # (`plan_letters` plans once, however often it is called)
        # a body no queued copy needs (rendered early, its letters then failed) says nothing
        queued = {p.output.language for p in self.queued}
        self.result.bugs += [bug for language, bug in bugs if language in queued]
        return found

    def render(self, progress: Progress, *, strict: bool) -> None:
        """Render, join and write the queued copies, in the pool, in batches of letters (a
        batch over the time or memory limit is made again letter by letter); record each copy
        as it is written."""
        started = time.perf_counter()
        bodies: dict[str, bytes] | None = None
        if self.letters is not None:  # a cold run: the letters planned while bodies render
            bodies = self.render_bodies(self.early_bodies, meanwhile=self.plan_letters)
            self.result.timings["body"] = time.perf_counter() - started
        if not self.queued:
            return
        # manifest.csv lists only copies whose files are the ones it names: not those about to
        # be replaced; it names the new ones at the end, once they are durable
        self.current -= {planned.output for planned in self.queued}
        self.refresh_manifest_csv()
        self.recorded_copies = self.copies_by_recipient()
        if bodies is None:
            bodies = self.render_bodies(tuple(dict.fromkeys(p.output.language
                                                            for p in self.queued)))
            self.result.timings["body"] = time.perf_counter() - started
        jobs, by_output = self.personal_jobs(bodies)
        total, done = len(jobs), 0
        progress(done, total)
        lost: dict[str, None] = {}
        timings = self.result.timings
        for name in ("letter", "join", "write"):
            timings.setdefault(name, 0.0)
        batches = batched(jobs, self.pool_size)
        # the copies are renamed into place complete but not flushed one by one; all are made
        # durable at the end, before manifest.csv names them (see `write.deferred_sync`)
        with deferred_sync() as written:
            while batches:
                again: list[LetterBatch] = []
                for outcome in self.start_pool().run(batches):
                    batch = outcome.job
                    assert isinstance(batch, LetterBatch)
                    if isinstance(outcome.error, Bug):  # once for the batch
                        self.result.bugs.append(outcome.error)
                    elif outcome.error is not None and len(batch.jobs) > 1:
                        # over the time or memory limit, or the worker died: each alone, so
                        # that only the letter that does fails (under its own name)
                        again += [LetterBatch((job,)) for job in batch.jobs]
                        continue
                    done = self.take_batch(batch, outcome.result, outcome.error,
                                           by_output=by_output, lost=lost, done=done,
                                           total=total, progress=progress, strict=strict)
                batches = again
        for planned in self.queued:  # not written (failed): the file kept may still be current
            if planned.output not in self.current \
                    and self.manifest.output_is_current(planned.output, planned.digest):
                self.current.add(planned.output)
        self.make_durable(written)
        if lost and not strict:
            self.result.warnings.append(BriefError(
                f"{self.project.relative(self.result.folder)}: the personal copies could not "
                f"keep everything the {self.audience.name!r} output has: {'; '.join(lost)}"))

    def make_durable(self, written: list[Path]) -> None:
        """The copies written, flushed to the disk at once (`write.sync`) before anything names
        them as done (the final manifest.csv); should the disk refuse, they are not named."""
        syncing = time.perf_counter()
        try:
            sync(written)
        except WriteError as exc:
            self.result.errors.append(exc)
            self.current -= {copy.output for copy in self.result.copies if copy.rebuilt}
        self.result.timings["sync"] = time.perf_counter() - syncing

    def copies_by_recipient(self) -> dict[str, list[OutputId]]:
        """The copies of this audience the manifest records, by recipient (any language)."""
        copies: dict[str, list[OutputId]] = {}
        for output in self.manifest.outputs_of(self.brief.id):
            if output.kind == "personal" and output.audience == self.audience.name:
                copies.setdefault(output.recipient, []).append(output)
        return copies

    def personal_jobs(self, bodies: dict[str, bytes]
                      ) -> tuple[list[PersonalJob], dict[OutputId, _Planned]]:
        """Each queued copy's job, its letter's enclosure line filled in (the copies whose body
        failed fail here), and which copy each job makes."""
        body_pages = {language: _page_count(pdf) for language, pdf in bodies.items()}
        project, brief = self.project, self.brief
        jobs: list[PersonalJob] = []
        by_output: dict[OutputId, _Planned] = {}
        for planned in self.queued:
            language = planned.output.language
            if language not in bodies:
                error = self.failed_languages.get(language) or BriefError(
                    f"the {language!r} output of audience {self.audience.name!r} failed")
                self.result.failed.append((planned.recipient.id, error))
                continue
            _, _, title = self.bodies[language]
            path = project.output_path(planned.output)
            html = enclose(planned.html, language, title, body_pages[language])
            letter = RenderJob(planned.output, html, brief.folder, self.letter_audience,
                               project.relative(path), brief.path, brief.brand)
            jobs.append(PersonalJob(letter, bodies[language], title, planned.recipient.name,
                                    language, title, planned.recipient.name))
            by_output[planned.output] = planned
        return jobs, by_output

    def take_batch(self, batch: LetterBatch, results: tuple[Personal | BriefError, ...] | None,
                   error: BriefError | Bug | None, *, by_output: dict[OutputId, _Planned],
                   lost: dict[str, None], done: int, total: int, progress: Progress,
                   strict: bool) -> int:
        """Take each copy of a batch (`take`); how many copies are done. The checksums of the
        copies are journaled first, together (`Manifest.writing_all`)."""
        given = results or (None,) * len(batch.jobs)
        made_ones = [(job.output, made) for job, made in zip(batch.jobs, given, strict=True)
                     if isinstance(made, Personal)]
        # each copy not announced is journaled on its own (`write_files`), and fails there
        self.announced |= announce(self.manifest, ((output, made.pdf)
                                                   for output, made in made_ones))
        for job, made in zip(batch.jobs, given, strict=True):
            done += 1
            problem = made if isinstance(made, BriefError) else error
            self.take(by_output[job.output], job.output_name,
                      made if isinstance(made, Personal) else None, problem, lost,
                      strict=strict)
            progress(done, total)
        return done

    def take(self, planned: _Planned, name: str, made: Personal | None,
             problem: BriefError | Bug | None, lost: dict[str, None], *, strict: bool) -> None:
        """One copy as its batch gave it: failed, or checked and written (a Bug is the
        batch's, said once)."""
        timings = self.result.timings
        if isinstance(problem, Bug):
            return
        if problem is not None or made is None:
            self.result.failed.append((planned.recipient.id, problem or nothing_rendered(name)))
            return
        timings["letter"] += made.letter_seconds
        timings["join"] += made.join_seconds
        self.result.notes.update(dict.fromkeys(made.notes))
        lost.update(dict.fromkeys(made.lost))
        if strict and made.lost:
            self.result.failed.append((planned.recipient.id, BriefError(
                f"{name}: the joined PDF lost {'; '.join(made.lost)}")))
        else:
            writing = time.perf_counter()
            self.deliver(planned, made, name, strict=strict)
            timings["write"] += time.perf_counter() - writing

    def deliver(self, planned: _Planned, made: Personal, name: str, *, strict: bool) -> None:
        """Check one copy and write it atomically (`scheduler.deliver`), then record it
        (forgetting an earlier copy for the same recipient in another language: it had the
        same file). The first copy of each language is preflighted (what its standard needs,
        fonts): its warnings are the batch's; every copy's letter's layout defects (`typeset`)
        are its own. With `strict` a copy with any fails."""
        language = planned.output.language
        first = language not in self.preflighted
        self.preflighted.add(language)
        path = self.project.output_path(planned.output)
        announced = planned.output in self.announced
        self.announced.discard(planned.output)
        delivered = deliver(self.manifest, planned.output, [(path, made.pdf)], name=name,
                            preflight=made.pdf if first else None,
                            images=self.body_images.get(language, ()), defects=made.defects,
                            content_file=self.brief.path, language=language, strict=strict,
                            announced=announced, before_write=self.csv_goes)
        if not strict:
            self.result.warnings.extend(delivered.warnings)
        if delivered.error is not None:
            self.result.failed.append((planned.recipient.id, delivered.error))
            return
        digest = delivered.checksums[0]
        for other in self.recorded_copies.pop(planned.output.recipient, ()):
            if other != planned.output:
                self.manifest.forget(other)
                self.current.discard(other)
        read = tuple(sorted({*self.body_read.get(language, ()), *made.read}))
        self.manifest.record_output(
            planned.output, self.copy_digest(planned.recipient, language, planned.html,
                                             tuple(self.project.recorded(path) for path in read)),
            pages=made.pages, sha256=digest, read=read)
        self.current.add(planned.output)
        self.result.copies.append(Copy(planned.recipient, planned.output, path, made.pages,
                                       digest, True))

    def csv_goes(self) -> None:
        """manifest.csv that could not be brought up to date is removed before a copy it names
        is replaced: it would name the copy's old checksum."""
        if self.csv_behind is not None:
            with contextlib.suppress(OSError):
                self.csv_behind.unlink(missing_ok=True)
            self.csv_behind = None

    def refresh_manifest_csv(self) -> None:
        """manifest.csv without the copies about to be replaced (`write_manifest_csv`); when
        it cannot be written (a full disk), the earlier one is removed before the first copy it
        names is replaced (`write`), and the final write says why."""
        try:
            self.write_manifest_csv()
        except WriteError as exc:
            self.csv_behind = exc.path
        else:
            self.csv_behind = None

    def write_manifest_csv(self, *, final: bool = False) -> Path | None:
        """manifest.csv beside the copies: one row per recipient whose copy is up to date, in the
        list's order (the copies kept as they were join `result.copies` here) — written before
        the copies are replaced, and at the end, once they are durable (`final`: with the warning
        for the copies left out)."""
        project, result = self.project, self.result
        rebuilt = {copy.output: copy for copy in result.copies}
        copies: list[Copy] = []
        for planned in self.planned:
            if planned.output not in self.current:
                continue
            copy = rebuilt.get(planned.output)
            if copy is None:
                copy = Copy(planned.recipient, planned.output,
                            project.output_path(planned.output),
                            self.manifest.pages(planned.output) or 0,
                            self.manifest.sha256(planned.output), False)
            copies.append(copy)
        if final:
            result.copies = copies
            stale = len(self.planned) - len(copies)
            if stale and result.total < len(self.rows):
                result.warnings.append(BriefError(
                    f"{project.relative(result.folder / MANIFEST_CSV)}: {stale} "
                    f"cop{'ies are' if stale > 1 else 'y is'} not up to date, so not listed; "
                    "run without --only to bring every copy up to date"))
        if not copies and not result.folder.is_dir():
            return None
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for copy in copies:
            writer.writerow([spreadsheet_safe(cell) for cell in (
                copy.recipient.id, copy.recipient.name, copy.recipient.email,
                copy.output.language, copy.path.name, str(copy.pages), copy.sha256)])
        path = result.folder / MANIFEST_CSV
        write_atomic(path, text.getvalue().encode("utf-8"))
        return path


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A cell of manifest.csv that a spreadsheet shows as text, never runs as a formula: one
    that starts with `= + - @`, a tab or a carriage return gets a single quote before it."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _page_count(pdf: bytes) -> int:
    """The pages of a PDF (the brief a letter encloses)."""
    import pikepdf  # noqa: PLC0415  # deferred: see generator/__init__.py

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def _footnotes(rendered: RenderResult) -> int:
    """The notes a body rendered (the scheduler checks them against those numbered)."""
    return rendered.footnotes
