"""build: briefs → their outputs of every kind `brief build` makes (`kinds`: the PDFs, then the
web pages that list them) in out/, planned here and made by the one scheduler (`scheduler`).

`build` plans the outputs of the briefs named (all by default) whose inputs changed; the
scheduler renders them in parallel worker processes (`pdf` → `finish` there), judges,
preflights, writes and records each; one output's failure does not stop the others. A build
in which nothing changed reads and hashes files but imports neither the parsers nor WeasyPrint
(see "Deferred imports" in generator/__init__.py).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BriefError, BriefErrors, Bug, WriteError, unique
from ..project import OutputId, Project, RenderLimits, default_jobs
from .clean import remove_gone_briefs, remove_outputs, still_made
from .kinds import built_by_build
from .kinds.web import WebPlan, make_pages, plan_pages, warm
from .manifest import Manifest, brief_inputs_digest, output_digest
from .scheduler import (
    Judged,
    Planned,
    Scheduler,
    deliver,
    failure,
    inspect,
    nothing_rendered,
    write_files,
)

if TYPE_CHECKING:
    from ..make.pdf import RenderResult
    from ..make.preflight import Report
    from ..make.typeset import Draft
    from ..read.model import Audience, Brief
    from .pipeline import Prepared
    from .workers import GuessJob, RenderJob, RenderPool

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Output:
    """One output of a build: its identity, file, and what rendering it found."""

    id: OutputId
    path: Path
    pages: int = 0
    footnotes: int = 0
    seconds: float = 0.0
    preflight: Report | None = None  # of the written PDF
    blank_pages: int = 0  # added to make a booklet fill whole sheets
    booklet: Path | None = None  # the booklet written with it (`print: {imposition: booklet}`)
    draft: bool = False  # built with stale or missing translations, every page marked a draft
    defects: int = 0  # layout defects the typesetting rules left (`typeset`), reported as warnings
    fitted: tuple[str, ...] = ()  # the steps taken to fit its pages (`fit:`, typeset/fit.py)


@dataclass
class BuildResult:
    built: list[Output] = field(default_factory=list)
    failed: list[tuple[str | OutputId, BriefError]] = field(default_factory=list)  # brief id
    # (when the brief itself is wrong) or output, and why
    warnings: list[BriefError] = field(default_factory=list)
    skipped: list[OutputId] = field(default_factory=list)  # already up to date
    bugs: list[Bug] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)  # outputs no brief makes any more
    #: Files of the run itself that could not be written (the manifest): its outputs are
    #: written, but not recorded, so the next build makes them again.
    errors: list[BriefError] = field(default_factory=list)
    #: For each brief that failed as a whole: how many outputs it makes that were not built
    #: (its audiences × languages; as at its last build when it could not be read; 0: unknown).
    not_built: dict[str, int] = field(default_factory=dict)
    #: About the machine, not the content (`pdf.environment_note`): each once, in order.
    notes: dict[str, None] = field(default_factory=dict)
    #: Outputs written provisionally before their settled PDF (`Guesses`: `brief watch`).
    provisional: list[OutputId] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.bugs and not self.errors

    @property
    def failed_outputs(self) -> int:
        """Outputs that failed on their own (the others of their brief may be built)."""
        return sum(1 for what, _ in self.failed if isinstance(what, OutputId)) + len(self.bugs)

    @property
    def failed_briefs(self) -> tuple[str, ...]:
        """Briefs with errors, none of whose outputs were built."""
        return tuple(dict.fromkeys(what for what, _ in self.failed if isinstance(what, str)))


#: Called as each output is built ("built"), skipped ("skipped"), fails ("failed"), or is
#: written provisionally before its settled PDF ("provisional": `Guesses`, `brief watch`).
Progress = Callable[[str, "Output | None", "BriefError | None"], None]


@dataclass(frozen=True, slots=True)
class _Settled:
    html: str  # the output's HTML as prepared
    draft: Draft  # the draft its settled layout laid out (`RenderResult.settled`)
    defects: int  # the rules' defects left in it


@dataclass
class Guesses:
    """What `brief watch` keeps between its builds for provisional PDFs: each output's last
    settled layout (`RenderResult.settled`), whose repairs a rebuild of the output carries to
    its new HTML (`typeset.carry`) and lays out once on a worker idle when the output is
    prepared (`start_early`) or left idle by the build (`guess_plans`), before or while
    another settles the new HTML from the plain draft as always. The provisional PDF is written
    as soon as it is made (when it has no more defects than the last settled one, and passes
    what the settled one must); the settled PDF follows, written over it, and alone recorded."""

    settled: dict[OutputId, _Settled] = field(default_factory=dict)

    def remember(self, output: OutputId, html: str, rendered: RenderResult) -> None:
        if rendered.settled is not None:
            self.settled[output] = _Settled(html, rendered.settled, len(rendered.defects))

    def job(self, job: RenderJob) -> GuessJob | None:
        """A provisional render of a job's output, when its last settled layout kept repairs to
        carry to the job's HTML (none: the plain draft is what settling lays out first); also
        when the HTML is the same (a stylesheet, font or image changed)."""
        from ..make.typeset.carry import Guess, carry  # noqa: PLC0415  # deferred: see generator/__init__.py
        from .workers import GuessJob  # noqa: PLC0415  # deferred: see generator/__init__.py

        last = self.settled.get(job.output)
        if last is None:
            return None
        draft = carry(last.html, last.draft, job.html)
        return None if draft is None else GuessJob(job, Guess(draft, last.defects))


#: Where an audience is written, not what it is.
_WHERE_FIELDS = {"mark", "max_pages_mark", "brief_mark"}


def audience_settings(audience: Audience) -> str:
    """An audience's settings as text for the output digest."""
    return repr([(f.name, getattr(audience, f.name)) for f in dataclasses.fields(audience)
                 if f.name not in _WHERE_FIELDS])


def prepared_digest(project: Project, brief: Brief, prepared: Prepared,
                    read: tuple[Path, ...] | None, *, leave_out: tuple[Path, ...] = ()) -> str:
    """What an output prepared up to its HTML depends on (`manifest.output_digest`), with the
    files rendering it `read` (as recorded by its last build; None: not known): the digest the
    manifest keeps for it, so that `output_is_current` says whether its PDF is up to date."""
    audience = prepared.audience
    return output_digest(project, brief.folder, prepared.html,
                         brand_settings(brief) + audience_settings(audience),
                         audience.stylesheets, read=read, leave_out=leave_out)


def brand_settings(brief: Brief) -> str:
    """The identity an output is made in, as part of its settings: the digest of `_brand.yml`
    and every file it names (nothing for the packaged identity, whose files are styles/'s),
    so that editing the identity rebuilds every output, whatever its last render read."""
    return f"brand {brief.brand.digest}\0" if brief.brand.digest else ""


def build(project: Project, brief_ids: list[str] | None = None, *, strict: bool = False,
          force: bool = False, jobs: int | None = None, limits: RenderLimits | None = None,
          progress: Progress | None = None, pool: RenderPool | None = None,
          draft: bool = False, guesses: Guesses | None = None) -> BuildResult:
    """Check, then render and write the outputs of the named briefs (all by default) whose
    inputs changed since the last build (all of them with `force`).

    A brief with any error (or, when `strict`, any warning) builds nothing. Outputs are rendered
    in parallel worker processes; one failing output does not stop the others. `progress` is
    called as each output is built ("built"), skipped ("skipped") or fails ("failed"). A warm
    `pool` (workers.RenderPool) may be passed in and is then left open (as `brief watch` does).

    An output that would print a stale or missing translation fails (its PDF stays as it was);
    with `draft`, it is built with every page marked as a draft, and its brief is not recorded
    as built, so that the next build looks at it again.

    `guesses` (`brief watch`'s, kept between its builds): outputs rebuilt while a worker would
    be idle get a provisional PDF first (see `Guesses`).
    """
    run = _Build(project, progress or _silent, strict=strict, force=force, pool=pool,
                 pool_size=jobs or default_jobs(), limits=limits, draft=draft,
                 guesses=guesses)
    try:
        for brief_id in project.requested_briefs(brief_ids):
            run.brief(brief_id)
        run.result.removed += remove_gone_briefs(project, run.manifest)
        run.render_all()
    finally:
        run.scheduler.close()  # ours (one passed in stays open)
        run.manifest.close()  # what it journaled stays for the next run, unless saved
    try:
        run.save()
    except WriteError as exc:  # the disk, not the content: said with the outputs' results
        run.result.errors.append(exc)
    return run.result


def _saved_since(paths: tuple[Path, ...], since: int) -> bool:
    """Whether a file was saved after `since` (ns): its render may have read it half-way, and
    its digest, taken from the file as it is now, would call the old output current."""
    for path in paths:
        try:
            if path.stat().st_mtime_ns > since:
                return True
        except OSError:  # gone since: not current either
            return True
    return False


def _silent(event: str, output: Output | None, error: BriefError | None) -> None:
    """Progress that shows nothing."""


class _Build:
    """One build: the manifest, what has been decided for each brief and output so far, and the
    outputs waiting to be rendered."""

    def __init__(self, project: Project, notify: Progress, *, strict: bool, force: bool,
                 pool: RenderPool | None, pool_size: int, limits: RenderLimits | None,
                 draft: bool = False, guesses: Guesses | None = None) -> None:
        self.project = project
        self.guesses = guesses
        self.pool_size = pool.size if pool is not None else pool_size
        self.taken: set[OutputId] = set()  # judged (settled: written, or failed)
        self.render_jobs: dict[OutputId, RenderJob] = {}  # each queued PDF's job
        self.guess_jobs: set[int] = set()  # the provisional renders' jobs (their ids)
        self.early_guesses: dict[OutputId, GuessJob] = {}  # those started while preparing
        #: the files each provisional PDF replaced (None: there was none), until it is settled
        self.replaced: dict[OutputId, list[tuple[Path, bytes | None]]] = {}
        self.draft = draft
        self.notify = notify
        self.strict = strict
        self.force = force
        self.scheduler = Scheduler(project, pool_size, limits, pool)
        self.manifest = Manifest.open(project.out)
        self.result = BuildResult()
        self.queued: list[Planned[RenderResult]] = []  # the PDFs to render
        self.building: dict[OutputId, Output] = {}  # each queued PDF's output as planned
        #: each queued PDF's digest, given the files rendering it read
        self.digests: dict[OutputId, Callable[[tuple[Path, ...]], str]] = {}
        self.web_plans: list[WebPlan] = []  # the web pages to make once the PDFs are done
        self.web_made: set[tuple[str, str]] = set()  # (brief, language) whose pages are made
        #: (brief, language) whose pages were made early (`make_web_early`), and those written
        self.web_early_made: set[tuple[str, str]] = set()
        self.web_early: set[OutputId] = set()
        self.read_at: dict[str, int] = {}  # when each brief's files were read (ns)
        self.brief_digests: dict[str, str] = {}  # of the briefs checked and queued
        self.failed_briefs: set[str] = set()

    def skip(self, output: Output) -> None:
        self.result.skipped.append(output.id)
        self.notify("skipped", output, None)

    def fail(self, what: str | OutputId, error: BriefError, output: Output | None = None
             ) -> None:
        self.result.failed.append((what, error))
        self.notify("failed", output, error)

    def skip_brief(self, brief_id: str) -> None:
        """A brief whose input files are unchanged: its outputs are up to date, and the warnings
        of the last build still hold."""
        manifest = self.manifest
        stored = [*manifest.stored_brief_warnings(brief_id),
                  *(warning for output_id in manifest.outputs_of(brief_id)
                    for warning in manifest.stored_warnings(output_id))]
        if self.strict and stored:
            self.result.failed.append((brief_id, BriefErrors(stored)))
            self.result.not_built[brief_id] = sum(  # personal copies are `brief personalise`'s
                1 for output_id in manifest.outputs_of(brief_id) if output_id.kind != "personal")
            return
        self.result.warnings.extend(stored)
        for output_id in manifest.outputs_of(brief_id):
            if output_id.kind != "personal":  # personal copies are `brief personalise`'s
                self.skip(Output(output_id, self.project.output_path(output_id)))

    def load(self, brief_id: str) -> Brief | None:
        """The brief read and checked; else None, and it fails with every problem that can be
        found (those of later steps too) and the count of its outputs not built (those it
        makes as far as it could be read, else those of its last build, without personal
        copies: they are `brief personalise`'s)."""
        from .pipeline import examine_brief, later_problems, outputs  # noqa: PLC0415  # deferred: see generator/__init__.py

        brief: Brief | None = None
        try:
            brief, errors = examine_brief(self.project, brief_id)
            if brief is not None and not errors:
                return brief
            later, warnings = (later_problems(self.project, brief, errors) if brief is not None
                               else ([], []))
            self.result.warnings.extend(warnings)
            failure: BriefError = BriefErrors(unique([*errors, *later]))
        except BriefError as exc:
            failure = exc
        made = len(list(outputs(brief))) if brief is not None else 0
        self.result.not_built[brief_id] = made or sum(
            1 for output in self.manifest.outputs_of(brief_id) if output.kind != "personal")
        self.fail(brief_id, failure)
        return None

    def brief(self, brief_id: str) -> None:
        """Skip a brief whose input files are unchanged (without parsing it); else check it and
        queue its outputs whose HTML or settings changed."""
        project, manifest = self.project, self.manifest
        self.read_at[brief_id] = time.time_ns()
        digest = brief_inputs_digest(project, brief_id)
        if not self.force and manifest.brief_is_current(brief_id, digest):
            self.skip_brief(brief_id)
            return
        from .pipeline import outputs, prepare, warnings_for  # noqa: PLC0415  # deferred: see generator/__init__.py

        brief = self.load(brief_id)
        if brief is None:
            return
        web = plan_pages(brief, draft=self.draft)
        prepared_outputs: list[tuple[OutputId, Audience, Prepared | None]] = []
        for output_id, audience in outputs(brief):
            try:
                prepared = prepare(project, brief, output_id)
            except BriefError as exc:
                self.failed_briefs.add(brief_id)
                self.fail(output_id, exc)
                prepared_outputs.append((output_id, audience, None))
                continue
            prepared_outputs.append((output_id, audience, prepared))
            self.start_early(brief, output_id, audience, prepared, web=web, inputs=digest)
        brief_warnings = warnings_for(brief)
        warnings = [*brief_warnings, *(w for _, _, prepared in prepared_outputs
                                       if prepared is not None for w in prepared.warnings)]
        if self.strict and warnings:
            self.result.failed.append((brief_id, BriefErrors(warnings)))
            self.result.not_built[brief_id] = len(prepared_outputs)
            return
        self.result.warnings.extend(warnings)
        self.translation_gaps(brief, prepared_outputs)
        self.brief_digests[brief_id] = digest
        keep = still_made(manifest.outputs_of(brief_id), (o for o, _ in built_by_build(brief)))
        self.result.removed += remove_outputs(
            manifest, [o for o in manifest.outputs_of(brief_id) if o not in keep])
        manifest.forget_brief(brief_id, keep=keep)
        manifest.record_brief_warnings(brief_id, brief_warnings)
        for output_id, audience, ready in prepared_outputs:
            if ready is not None:
                self.queue(brief, output_id, audience, ready)
        if web is not None:
            self.web_plans.append(web)

    def start_early(self, brief: Brief, output_id: OutputId, audience: Audience,
                    prepared: Prepared, *, web: WebPlan | None = None, inputs: str = ""
                    ) -> None:
        """`brief watch` after a save: an output whose HTML changed starts rendering on an
        idle worker as soon as it is prepared, while the brief's other outputs are (`queue`
        plans it then, as ever); when it has a provisional render (`Guesses`), that one starts
        instead, and the settling waits for `render_all`. Not with `strict` (a warning of
        another output may still fail the brief) nor for an output that prints a translation
        gap (it fails, or is prepared again as a draft). Then the brief's web page in the
        output's language (`web`, with the brief's digest `inputs`), made at once."""
        if self.guesses is None or self.strict or prepared.gaps \
                or output_id.kind != "pdf" or self.scheduler.pool is None:
            return
        digest = prepared_digest(self.project, brief, prepared, self.manifest.read(output_id))
        if not self.force and self.manifest.output_is_current(output_id, digest):
            return
        job = self.render_job(brief, output_id, audience, prepared)
        guess = self.guesses.job(job)
        if guess is not None:  # what is written first; settling it waits for the other
            if not self.scheduler.submit(guess):  # outputs to be prepared (2 cores: the
                return  # parent would slow the guess down)
            self.early_guesses[output_id] = guess
        elif self.scheduler.submit(job):
            self.render_jobs[output_id] = job
        else:  # every worker busy: a rebuild of many outputs, whose pages wait for them
            return
        if web is not None and self.guesses.settled:  # the saved text on the web at once
            language = output_id.language
            self.make_web_early(lambda _, page: page == language, [web], inputs)

    def render_job(self, brief: Brief, output_id: OutputId, audience: Audience,
                   prepared: Prepared) -> RenderJob:
        """The job that renders an output (`workers.RenderJob`)."""
        from .workers import RenderJob  # noqa: PLC0415  # deferred: see generator/__init__.py

        return RenderJob(output_id, prepared.html, brief.folder, audience,
                         self.project.relative(self.project.output_path(output_id)),
                         brief.path, brief.brand)

    def queue(self, brief: Brief, output_id: OutputId, audience: Audience, prepared: Prepared
              ) -> None:
        """Skip a PDF whose digest (over the files its last render read) is the one recorded;
        else plan it for the scheduler."""
        project, manifest = self.project, self.manifest
        path = project.output_path(output_id)
        out_digest = prepared_digest(project, brief, prepared, manifest.read(output_id))
        output = Output(output_id, path, 0, len(prepared.footnotes), draft=prepared.draft)
        if not self.force and manifest.output_is_current(output_id, out_digest):
            manifest.record_warnings(output_id, prepared.warnings)
            stored_preflight = manifest.stored_warnings(output_id, content=False)
            if self.strict and stored_preflight:
                self.failed_briefs.add(brief.id)
                self.fail(output_id, BriefErrors(stored_preflight), output)
                return
            self.result.warnings.extend(stored_preflight)
            self.skip(output)
            return
        self.scheduler.start()  # the workers import WeasyPrint meanwhile
        name = project.relative(path)
        self.building[output_id] = output
        self.digests[output_id] = partial(prepared_digest, project, brief, prepared)
        job = self.render_jobs.get(output_id) or self.render_job(brief, output_id, audience,
                                                                 prepared)
        self.render_jobs[output_id] = job
        self.queued.append(Planned(
            output_id, job,
            out_digest, name, len(prepared.footnotes), prepared.warnings, prepared.images,
            brief.path))

    def translation_gaps(self, brief: Brief,
                         prepared_outputs: list[tuple[OutputId, Audience, Prepared | None]]
                         ) -> None:
        """Outputs that would print a stale or missing translation: failed (their PDFs stay as
        they were), or with `draft` prepared again with every page marked as a draft. Either
        way the brief is not recorded as built, so that the next build looks at it again."""
        from .pipeline import gap_errors, prepare  # noqa: PLC0415  # deferred: see generator/__init__.py

        for i, (output_id, audience, prepared) in enumerate(prepared_outputs):
            if prepared is None or not prepared.gaps:
                continue
            missing = gap_errors(brief, {output_id: prepared.gaps})
            self.failed_briefs.add(brief.id)
            prepared_outputs[i] = (output_id, audience, None)
            if not self.draft:
                self.fail(output_id, BriefErrors(missing))
                continue
            try:
                prepared_outputs[i] = (output_id, audience,
                                       prepare(self.project, brief, output_id, draft=True))
            except BriefError as exc:
                self.fail(output_id, exc)
                continue
            self.result.warnings.extend(missing)

    def render_all(self) -> None:
        """Render the queued jobs (`scheduler`); preflight each PDF and write it atomically as
        it arrives; and make a brief's web pages in a language once its PDFs in that language
        are written (the pages list them), while the workers render the others."""
        warming = warm(self.project, self.web_plans) if self.queued else None
        waiting = Counter((p.output.brief, p.output.language) for p in self.queued)

        guesses = self.guess_plans()
        provisional = len(guesses)  # provisional PDFs on their way

        def web_ready() -> None:  # the pages whose PDFs are written, while the workers render
            nonlocal warming
            if warming is not None:  # their font subsets, made meanwhile
                warming.join()
                warming = None
            if self.guesses is not None and self.guesses.settled:  # `brief watch` after a save
                self.make_web_early(lambda brief, language: waiting[brief, language] > 0)
            if not provisional:  # the other pages would slow a provisional PDF down (2 cores)
                self.make_web(ready=lambda brief, language: waiting[brief, language] <= 0)

        for judged in self.scheduler.run([*self.queued, *guesses], footnotes=_footnotes,
                                         meanwhile=web_ready):
            if id(judged.planned.job) in self.guess_jobs:
                self.take_provisional(judged)
                provisional -= 1
            else:
                self.take(judged)
                waiting[judged.planned.output.brief, judged.planned.output.language] -= 1
            web_ready()
        if warming is not None:
            warming.join()
        self.make_web()

    def guess_plans(self) -> list[Planned[RenderResult]]:
        """Provisional renders (`Guesses`) of the queued PDFs, on the workers they leave idle."""
        if self.guesses is None:
            return []
        plans: list[Planned[RenderResult]] = []
        idle = max(0, self.pool_size - len(self.queued))
        for planned in self.queued:
            guess = self.early_guesses.get(planned.output)  # started already (`start_early`)
            if guess is None and idle > 0:
                guess = self.guesses.job(self.render_jobs[planned.output])
                idle -= guess is not None
            if guess is not None:
                plans.append(dataclasses.replace(planned, job=guess))
                self.guess_jobs.add(id(guess))
        return plans

    def take_provisional(self, judged: Judged[RenderResult]) -> None:
        """A provisional PDF (`Guesses`): written at once when its output is not settled yet
        and it passes what the settled one must (preflight; with `strict`, no warning), but not
        recorded: the settled PDF is written over it and recorded, and a run stopped before
        that leaves the output to be made again (its checksum is journaled, its inputs not)."""
        planned, rendered = judged.planned, judged.result
        output = self.building[planned.output]
        if judged.error is not None or rendered is None or output.id in self.taken:
            return
        files = [(output.path, rendered.pdf)]
        if rendered.booklet is not None:
            files.append((self.project.booklet_path(output.id), rendered.booklet))
        _, warnings = inspect(rendered.pdf, planned.name, images=planned.images,
                              defects=rendered.defects, content_file=planned.content_file,
                              language=output.id.language)
        if failure(warnings, strict=self.strict) is not None:
            return
        try:  # what it replaces, put back should the settled render fail (`take_back`)
            before = [(path, path.read_bytes() if path.exists() else None) for path, _ in files]
        except OSError:  # not to be put back: not replaced
            return
        if not isinstance(write_files(self.manifest, output.id, files), WriteError):
            self.replaced[output.id] = before
            self.result.provisional.append(output.id)
            self.notify("provisional", dataclasses.replace(
                output, pages=rendered.pages, seconds=judged.seconds), None)

    def take_back(self, output: OutputId) -> None:
        """An output whose settled render failed after its provisional PDF was written: its
        files as they were before (the last good build's; none, when there was none), as a
        failed build leaves them — the provisional PDF printed a text that does not build."""
        before = self.replaced.pop(output, None)
        if before is None:
            return
        write_files(self.manifest, output, [(path, data) for path, data in before
                                            if data is not None],
                    stale=[path for path, data in before if data is None])  # a disk's refusal:
        # the output failed anyway

    def take(self, judged: Judged[RenderResult]) -> None:
        """One PDF as the scheduler judged it: failed, or checked, written and recorded."""
        planned, rendered, error = judged.planned, judged.result, judged.error
        output = self.building[planned.output]
        self.taken.add(output.id)
        if self.guesses is not None and rendered is not None and error is None:
            self.guesses.remember(output.id, self.render_jobs[output.id].html, rendered)
        if rendered is not None:
            self.result.notes.update(dict.fromkeys(rendered.notes))
        if isinstance(error, Bug):
            self.result.bugs.append(error)
            self.failed_briefs.add(output.id.brief)
            self.take_back(output.id)
            return
        delivered = None
        if error is None and rendered is not None:
            # the typesetting rules' defects left after repairs (`typeset`): stored and
            # reported with preflight's, so that an up-to-date output still reports them
            booklet = self.project.booklet_path(output.id)
            files = [(output.path, rendered.pdf)]
            if rendered.booklet is not None:
                files.append((booklet, rendered.booklet))
            delivered = deliver(self.manifest, output.id, files, name=planned.name,
                                preflight=rendered.pdf, images=planned.images,
                                defects=rendered.defects, content_file=planned.content_file,
                                language=output.id.language, strict=self.strict,
                                stale=() if rendered.booklet is not None else (booklet,))
            error = delivered.error
        if error is not None or rendered is None or delivered is None:
            self.failed_briefs.add(output.id.brief)
            self.take_back(output.id)
            self.fail(output.id, error or nothing_rendered(planned.name), output)
            return
        report, preflight_warnings = delivered.report, delivered.warnings
        checksums = (*delivered.checksums, "")
        booklet_path = self.project.booklet_path(output.id) if rendered.booklet else None
        built = dataclasses.replace(output, pages=rendered.pages, seconds=judged.seconds,
                                    preflight=report, blank_pages=rendered.blank_pages,
                                    booklet=booklet_path, defects=len(rendered.defects),
                                    fitted=rendered.fitted)
        read = tuple(self.project.recorded(path) for path in rendered.read)
        digest = self.digests[output.id](read)
        if _saved_since(read, self.read_at.get(output.id.brief, 0)):
            digest = ""  # a file it read was saved while it rendered: made again next time
        self.manifest.record_output(output.id, digest,
                                    warnings=planned.warnings, preflight=preflight_warnings,
                                    booklet=booklet_path is not None, pages=rendered.pages,
                                    sha256=checksums[0], booklet_sha256=checksums[1],
                                    read=rendered.read)
        self.result.warnings.extend(preflight_warnings)
        self.result.built.append(built)
        self.replaced.pop(output.id, None)  # settled over its provisional PDF
        self.notify("built", built, None)
        if rendered.fitted:  # quiet: said with -v
            from ..make.typeset.fit import describe as describe_fit  # noqa: PLC0415  # deferred: the typesetting rules cost a no-op build 25 ms

            log.debug("            fitted to %d pages with %s", rendered.pages,
                      describe_fit(rendered.fitted))

    def make_web_early(self, pending: Callable[[str, str], bool],
                       plans: list[WebPlan] | None = None, inputs: str | None = None) -> None:
        """`brief watch`: the pages in the languages whose PDFs are still being rendered, made
        now with those PDFs as they are on disk, so that a save is on the web page without
        waiting for the PDFs; `make_web` makes them again once the PDFs are written (and writes
        them again only when what they show of the PDFs changed). Their problems are said then.
        `plans` (the run's by default) and `inputs` (the brief's digest as read): for a brief
        still being prepared (`start_early`)."""
        for plan in self.web_plans if plans is None else plans:
            brief = plan.brief
            languages = _page_languages(plan, self.web_made | self.web_early_made, pending)
            if not languages:
                continue
            self.web_early_made.update((brief.id, language) for language in languages)
            failed = {what for what, _ in self.result.failed if isinstance(what, OutputId)}
            for made in make_pages(self.project, plan, self.manifest, force=self.force,
                                   strict=self.strict, only=languages, failed=failed,
                                   inputs=inputs or self.brief_digests.get(brief.id)):
                if made.error is None and not made.current:
                    self.web_early.add(made.output)

    def make_web(self, ready: Callable[[str, str], bool] | None = None) -> None:
        """The web pages of each brief (`kinds.web`) not made yet in this run: those in the
        languages `ready` says the PDFs of are done (all: the run's PDFs are done); made in
        this process, written and recorded as the PDFs are."""
        for plan in self.web_plans:
            brief = plan.brief
            languages = _page_languages(plan, self.web_made, ready or (lambda brief, page: True))
            if not languages:
                continue
            self.web_made.update((brief.id, language) for language in languages)
            failed = {what for what, _ in self.result.failed if isinstance(what, OutputId)}
            for made in make_pages(self.project, plan, self.manifest, force=self.force,
                                   strict=self.strict, only=languages, failed=failed,
                                   inputs=self.brief_digests.get(brief.id)):
                if isinstance(made.error, Bug):
                    self.result.bugs.append(made.error)
                    self.failed_briefs.add(brief.id)
                    continue
                if made.error is not None:
                    self.failed_briefs.add(plan.brief.id)
                    self.fail(made.output, made.error)
                    continue
                output = Output(made.output, self.project.output_path(made.output),
                                footnotes=made.footnotes, seconds=made.seconds,
                                draft=made.draft)
                if made.current and made.output not in self.web_early:
                    self.skip(output)
                    continue
                self.result.warnings.extend(made.warnings)
                self.result.built.append(output)
                self.notify("built", output, None)

    def save(self) -> None:
        """Record the briefs built completely, and save the manifest."""
        for brief_id, digest in self.brief_digests.items():
            if brief_id not in self.failed_briefs:
                self.manifest.record_brief(brief_id, digest)
        self.manifest.save()


def _page_languages(plan: WebPlan, made: set[tuple[str, str]],
                    wanted: Callable[[str, str], bool]) -> set[str]:
    """The languages of a plan's pages not `made` yet in this run that are `wanted`."""
    brief = plan.brief
    return {language for audience in plan.audiences
            for language in audience.languages or brief.languages
            if (brief.id, language) not in made and wanted(brief.id, language)}


def _footnotes(rendered: RenderResult) -> int:
    """The notes a PDF rendered (the scheduler checks them against those numbered)."""
    return rendered.footnotes
