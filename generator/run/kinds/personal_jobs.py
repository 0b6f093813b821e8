"""kinds.personal_jobs: a personal copy's work in the render worker (kinds/personal.py) — one
recipient's letter laid out and joined with the body (`PersonalJob`), or several letters of one
language laid out as one document and each joined from its pages (`LetterBatch`) — and what a
worker gives back (`Personal`). Imported by `personalise` and, through pickling, by the
workers; never by `project` (it imports the layout engine)."""

from __future__ import annotations

import dataclasses
import io
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from ... import files
from ...errors import BriefError
from ...make.join import Joined, Part, join
from ...make.letter import batch_html
from ...make.pdf import PartsTooLong, letter_too_long, render_pdf
from ...make.typeset import Defect
from ...project import OutputId, Project
from ..workers import RenderJob, relative_reads


@dataclass(frozen=True, slots=True)
class Personal:
    """A personal copy as a worker made it: the joined PDF, and where the time went."""

    pdf: bytes
    pages: int
    letter_pages: int
    lost: tuple[str, ...]  # what the join could not keep (`join.Joined.lost`)
    letter_seconds: float
    join_seconds: float
    notes: tuple[str, ...] = ()  # about the machine, not the copy (`RenderResult.notes`)
    defects: tuple[Defect, ...] = ()  # its letter's layout defects (`RenderResult.defects`)
    #: the project's files its letter's render read (`RenderResult.read`): the letter's part
    #: of the copy's digest covers them
    read: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PersonalJob:
    """One recipient's copy (`brief personalise`): their letter laid out (`letter`, a
    `RenderJob` of the letter's HTML in its own design), then joined with the body's PDF, which
    was rendered once for the language. The letter is written uncompressed: the join's writing
    compresses it, once."""

    letter: RenderJob
    body: bytes
    body_title: str  # the part's title (its bookmark)
    letter_title: str
    language: str
    title: str  # the joined PDF's metadata
    subject: str

    @property
    def output(self) -> OutputId:
        return self.letter.output

    @property
    def output_name(self) -> str:
        return self.letter.output_name

    @property
    def content_file(self) -> Path:
        return self.letter.content_file

    def render(self, project: Project) -> Personal:
        started = time.perf_counter()
        letter = self.letter.render(project, compress=False)
        joining = time.perf_counter()
        joined = self.join(letter.pdf, None)
        return Personal(joined.pdf, joined.pages, letter.pages, joined.lost,
                        joining - started, time.perf_counter() - joining, letter.notes,
                        letter.defects, letter.read)

    def join(self, letter: bytes | pikepdf.Pdf, pages: range | None) -> Joined:
        """The copy: the letter (its PDF, or these pages of a batch's) joined with the body."""
        return join([Part(letter, self.letter_title, self.language, False, pages=pages),
                     Part(self.body, self.body_title, self.language, True)],
                    title=self.title, language=self.language,
                    identifier=f"{self.output.brief}/{self.output.key}", subject=self.subject)


@dataclass(frozen=True, slots=True)
class LetterBatch:
    """Several recipients' copies (`PersonalJob`s of one language and audience, in one body):
    their letters laid out as one document (`letter.batch_html`), written once, and each
    joined with the body from its pages of that PDF. A letter over its pages fails only its
    recipient (the others are laid out again without it); any other problem of the batch
    makes each copy alone, so that it fails only where it is. Gives, per job in order, its
    `Personal` or its error."""

    jobs: tuple[PersonalJob, ...]

    @property
    def output(self) -> OutputId:
        return self.jobs[0].output

    @property
    def output_name(self) -> str:
        return self.jobs[0].output_name

    @property
    def content_file(self) -> Path:
        return self.jobs[0].content_file

    def render(self, project: Project) -> tuple[Personal | BriefError, ...]:
        made: dict[int, Personal | BriefError] = {}
        remaining = list(range(len(self.jobs)))
        while remaining:
            started = time.perf_counter()
            first = self.jobs[remaining[0]].letter
            html, anchors = batch_html([self.jobs[i].letter.html for i in remaining])
            try:
                with files.recording() as reading:
                    batch = render_pdf(html, first.base_url, first.audience, project,
                                       output_name=first.output_name,
                                       identifier=f"{first.output.brief}/{first.output.key}"
                                       "/batch", content_file=first.content_file,
                                       compress=False, anchors=anchors, brand=first.brand)
                read = relative_reads(project, reading)
            except PartsTooLong as exc:
                for index, pages in exc.long:
                    job = self.jobs[remaining[index]]
                    limit = job.letter.audience.max_pages or pages - 1
                    made[remaining[index]] = letter_too_long(limit, pages, job.output_name,
                                                             job.content_file)
                gone = {remaining[index] for index, _ in exc.long}
                remaining = [i for i in remaining if i not in gone]
                continue
            except BriefError:
                if len(remaining) == 1 and len(self.jobs) == 1:
                    raise
                for i in remaining:  # alone, each fails only where it is
                    try:
                        made[i] = self.jobs[i].render(project)
                    except BriefError as exc:
                        made[i] = exc
                break
            laid_out = time.perf_counter() - started
            ends = [*batch.starts[1:], batch.pages]
            with pikepdf.open(io.BytesIO(batch.pdf)) as shared:
                _compress(shared)
                for i, start, end in zip(remaining, batch.starts, ends, strict=True):
                    joining = time.perf_counter()
                    joined = self.jobs[i].join(shared, range(start, end))
                    made[i] = Personal(joined.pdf, joined.pages, end - start, joined.lost,
                                       laid_out / len(remaining),
                                       time.perf_counter() - joining, batch.notes,
                                       tuple(dataclasses.replace(d, page=d.page - start)
                                             for d in batch.defects
                                             if start < d.page <= end), read)
            break
        return tuple(made[i] for i in range(len(self.jobs)))


def _compress(pdf: pikepdf.Pdf) -> None:
    """Compress a batch's streams once (its letters' copies share its font subsets, which
    each copy's writing would compress again); its XMP stays readable."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and "/Filter" not in obj \
                and obj.get("/Type") != "/Metadata":
            obj.write(zlib.compress(obj.read_bytes()), filter=pikepdf.Name.FlateDecode)
