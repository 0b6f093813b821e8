"""cli: the `brief` command, a thin click layer over `generator.run.build`."""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import re
import shlex
import shutil
import sys
import textwrap
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from ..errors import BriefError, BriefErrors, Bug, printable, show_errors, show_notes
from ..project import RENDER_MEMORY_MB, RENDER_TIMEOUT_S, Project, RenderLimits
from ..read.overrides import override_findings, write_override
from .build import BuildResult, Output, build
from .clean import clean
from .lock import run_lock
from .write import write_atomic

F = TypeVar("F", bound=Callable[..., Any])


class _StderrHandler(logging.StreamHandler[TextIO]):
    """The one handler `brief` adds to the `generator` logger."""


class _PrintableFormatter(logging.Formatter):
    """Log messages as a terminal may show them (`errors.printable`)."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def _configure_logging(verbose: bool) -> None:
    root = logging.getLogger("generator")
    if not any(isinstance(h, _StderrHandler) for h in root.handlers):
        handler = _StderrHandler(sys.stderr)
        handler.setFormatter(_PrintableFormatter("%(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)


#: An output's file in a warning (`out/b/b.mep.en.pdf`): its audience and language (`mep.en`);
#: or a web page (`out/b/web/en/index.html`): `web.en`.
_OUTPUT_IN_WARNING_RE = re.compile(
    r"(?:[^\s'\"()]*/)?(?:[a-z0-9-]+\.(?P<key>[a-z0-9-]+\.[A-Za-z-]+)\.pdf\b"
    r"|web/(?P<web>[A-Za-z-]+)/index\.html\b)")

#: A warning longer than this is wrapped on a terminal narrower than it, with this indent.
WRAP_INDENT = "    "


def group_warnings(lines: list[str]) -> list[str]:
    """Warnings one line per cause: the same warning (same place, same words) about several
    outputs once, naming them — `… 3 outputs print a placeholder (…); … (in full.nl, mep.nl,
    handout.nl)` — in the order they first appear."""
    groups: dict[str, tuple[str, list[str]]] = {}  # the line without its output: the first
    for line in lines:
        found = _OUTPUT_IN_WARNING_RE.search(line)
        if found is None:
            groups.setdefault(line, (line, []))
            continue
        keyed = line[:found.start()] + "\0" + line[found.end():]
        groups.setdefault(keyed, (line, []))[1].append(
            found["key"] or f"web.{found['web']}")
    shown = []
    for keyed, (first, found_keys) in groups.items():
        keys = list(dict.fromkeys(found_keys))  # a warning said twice of one output: once
        if len(keys) < 2:
            shown.append(first)
            continue
        before, after = keyed.split("\0", 1)
        outputs = f"{len(keys)} outputs"
        if after.startswith(" prints "):
            outputs, after = f"{outputs} print", after[len(" prints"):]
        shown.append(f"{before}{outputs}{after} (in {', '.join(keys)})")
    return shown


def wrap_line(line: str, width: int | None) -> str:
    """A line of the door's output broken at spaces to `width` (none: as it is), its further
    lines indented."""
    if width is None or len(line) <= width:
        return line
    return textwrap.fill(line, width=width, subsequent_indent=WRAP_INDENT,
                         break_long_words=False, break_on_hyphens=False)


def _terminal_width() -> int | None:
    """The width to wrap messages at: a terminal's; none when the output goes to a file or
    another program (one line per problem, for them to read)."""
    if not sys.stderr.isatty():
        return None
    return max(shutil.get_terminal_size().columns, 40)


def _show_warnings(warnings: list[BriefError], root: Path | None) -> int:
    """Print warnings, `file:line: warning: …`, the same one about several outputs once
    (`group_warnings`), each wrapped to a terminal's width; how many lines that made."""
    width = _terminal_width()
    lines = group_warnings([f"{where}: warning: {rest}" for warning in warnings
                            for where, _, rest in (printable(line).partition(": ")
                                                   for line in warning.lines(root))])
    for line in lines:
        where, _, rest = line.partition(": ")
        text = wrap_line(f"{where}: {rest}", width)
        click.echo(click.style(where + ":", fg="yellow", bold=True) + text[len(where) + 1:],
                   err=True)
    return len(lines)


def _lock(project: Project, *, create: bool = True) -> contextlib.AbstractContextManager[object]:
    """One run at a time writes out/ (generator/run/lock.py); `create`: also when out/ is missing
    (else there is nothing to lock)."""
    if not create and not project.out.is_dir():
        return contextlib.nullcontext()
    ctx = click.get_current_context()
    words = sys.argv[1:] if Path(sys.argv[0]).name in ("brief", "__main__.py") \
        else [ctx.info_name or ""]
    return run_lock(project.out, shlex.join(["brief", *words]))


def _report_bugs(bugs: list[Bug]) -> None:
    for bug in bugs:
        click.echo(bug.report(), err=True)


class _Group(click.Group):
    """Shows a traceback only for real bugs, with a request to report them."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BriefError as exc:  # the door: formatted here, relative to the project
            project = ctx.obj if isinstance(ctx.obj, Project) else None
            show_errors(exc.flat(), project.root if project else None)
            ctx.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            raise click.Abort() from None
        except Exception as exc:  # noqa: BLE001 — anything else is a bug: one report
            _report_bugs([Bug("brief", "".join(traceback.format_exception(exc)))])
            ctx.exit(2)


_DOCS = ("Docs: README.md (using it), docs/content-format.md (writing a brief, and the "
         "messages), docs/printing.md (print shops, PDF/X-4 and PDF/UA-1).")


def _examples(*lines: str) -> str:
    """A help epilog: examples, kept as written (\\b), then where the docs are."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines) + "\n\n" + _DOCS


def _verbose(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        _configure_logging(True)


def _verbose_option(command: F) -> F:
    """-v/--verbose, accepted after the command too (`brief build -v`)."""
    return click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=_verbose,
                        help="Say more.")(command)


@click.group(cls=_Group, epilog=_examples(
    "brief new my-brief               start a brief, with example content",
    "brief list                       every brief's outputs: pages, up to date or not",
    "brief check                      validate every brief, render nothing",
    "brief build                      build what changed, of every brief",
    "brief build expert-advice -v     one brief, saying more",
    "brief --project ../ngo build     a project in another folder",
    "brief watch                      rebuild on every save",
    "brief clean                      remove outputs no brief makes any more",
    "brief personalise expert-advice --audience mep   a copy per recipient"))
@click.option("--project", "project_dir", default=".", show_default=True,
              type=click.Path(file_okay=False),
              help="Folder holding content/, styles/, templates/.")
@click.option("-v", "--verbose", is_flag=True, help="Say more.")
@click.version_option(package_name="brief")
@click.pass_context
def main(ctx: click.Context, project_dir: str, verbose: bool) -> None:
    """Render policy briefs: one print-ready PDF per audience and language."""
    _configure_logging(verbose)
    ctx.obj = Project.at(project_dir)


def _preflight_outputs(project: Project, briefs: tuple[str, ...], strict: bool) -> None:
    """Preflight the PDFs in out/, each with the layout defects its last build found (kept in
    the manifest: they cannot be read back from a PDF)."""
    from ..make.preflight import preflight  # noqa: PLC0415  # deferred: see generator/__init__.py
    from .manifest import FROM_LAST_BUILD, Manifest  # noqa: PLC0415  # deferred: see generator/__init__.py

    folders = [project.out / b for b in briefs] if briefs else sorted(
        p for p in project.out.glob("*") if p.is_dir())
    pdfs = sorted(pdf for folder in folders for pdf in folder.glob("*.pdf"))
    if not pdfs:
        raise BriefError("no PDFs to preflight in out/; run `brief build` first")
    manifest = Manifest.load(project.out)
    outputs = {project.output_path(output): output for brief in manifest.brief_ids()
               for output in manifest.outputs_of(brief)}
    warned = 0
    for pdf in pdfs:
        report = preflight(pdf.read_bytes())
        output = outputs.get(pdf)
        stored = manifest.stored_warnings(output, content=False) if output is not None else []
        layout = [w for w in stored if _layout_defects([w])]
        line = f"{project.relative(pdf)}: {report.summary()}"
        click.echo(printable(line + (f" · {_layout_summary(len(layout))}"
                                     if output is not None else "")))
        for warning in report.warnings:
            click.echo(click.style("  warning: ", fg="yellow") + printable(warning))
        for defect in layout:
            for text in defect.lines(project.root):
                click.echo(click.style("  warning: ", fg="yellow")
                           + printable(text.removesuffix(FROM_LAST_BUILD)))
        warned += bool(report.warnings or layout)
    if strict and warned:
        raise BriefError(f"{warned} PDF(s) with preflight warnings or layout defects")


@main.command("check", epilog=_examples(
    "brief check                  every brief",
    "brief check expert-advice    one brief",
    "brief check --strict         warnings are errors too",
    "brief check --preflight      the PDFs already in out/"))
@click.argument("briefs", nargs=-1)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@_verbose_option
@click.option("--preflight", "preflight_only", is_flag=True,
              help="Only preflight the PDFs already in out/ (standard, fonts, colours, …).")
@click.pass_obj
def check_command(project: Project, briefs: tuple[str, ...], *, strict: bool,
                  preflight_only: bool) -> None:
    """Validate BRIEFS (all by default) and their templates, rendering nothing."""
    if preflight_only:
        _preflight_outputs(project, briefs, strict)
        return
    from ..read.schema import stale_project_schemas  # noqa: PLC0415  # deferred: see generator/__init__.py
    from .pipeline import CheckFailed, check  # noqa: PLC0415  # deferred: see generator/__init__.py

    try:
        found, warnings = check(project, list(briefs) or None, strict=strict)
    except CheckFailed as exc:  # its warnings, then (at the door) its errors
        stale = override_findings(project)[1]  # (its notes wait until the errors are fixed)
        _show_warnings([*exc.warnings, *([] if strict else stale)], project.root)
        if strict and stale:
            raise CheckFailed([*exc.errors, *stale], exc.warnings) from None
        raise
    notes, stale = override_findings(project)  # the project's own templates/ and styles/
    if strict and stale:
        _show_warnings(warnings, project.root)
        raise BriefErrors(stale)
    show_notes(notes, project.root)
    shown = _show_warnings([*stale, *warnings], project.root)  # one line per cause
    click.echo(f"ok: {len(found)} brief(s) checked, {shown} warning(s)")
    for path in stale_project_schemas(project):
        click.echo(f"note: {project.relative(path)} is out of date for this version of brief, "
                   "so editors complete and flag by old rules; run `brief schema --write`")


def _render_options(command: F) -> F:
    """The options of commands that render: worker processes and their limits."""
    command = click.option("--memory-limit", type=click.IntRange(256), default=RENDER_MEMORY_MB,
                           show_default=True,
                           help="Megabytes of memory one render may add.")(command)
    command = click.option("--timeout", type=click.FloatRange(1), default=RENDER_TIMEOUT_S,
                           show_default=True,
                           help="Seconds one output may take to render.")(command)
    return click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
                        help="Worker processes (default: one per core).")(command)


@main.command("build", epilog=_examples(
    "brief build                  what changed, of every brief",
    "brief build expert-advice    one brief",
    "brief build --force          every output, changed or not",
    "brief build -v               also say when a page is laid out again"))
@click.argument("briefs", nargs=-1)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--force", is_flag=True, help="Rebuild every output, changed or not.")
@click.option("--draft", is_flag=True,
              help="Build outputs with stale or missing translations too, every page marked "
              "as a draft.")
@_render_options
@_verbose_option
@click.pass_context
def build_command(ctx: click.Context, briefs: tuple[str, ...], *, strict: bool, force: bool,
                  draft: bool, jobs: int | None, timeout: float, memory_limit: int) -> None:
    """Check, then render the outputs of BRIEFS (all by default) whose inputs changed.

    Outputs of a brief, audience or language that no longer exists are removed."""
    project: Project = ctx.obj
    with _lock(project):
        result = build(project, list(briefs) or None, strict=strict, force=force, jobs=jobs,
                       limits=RenderLimits(timeout, memory_limit), progress=_Progress(project),
                       draft=draft)
    _show_result(project, result)
    click.echo(build_summary(result))
    if result.bugs:
        ctx.exit(2)
    if not result.ok:
        ctx.exit(1)


def build_summary(result: BuildResult, *, up_to_date: bool = True) -> str:
    """The closing line of a build: outputs built, up to date, failed, and not built because
    their brief has errors — "0 built, 0 up to date, 3 outputs not built (1 brief with
    errors)"."""
    parts = [f"{len(result.built)} built"]
    if up_to_date:
        parts.append(f"{len(result.skipped)} up to date")
    briefs = result.failed_briefs
    if result.failed_outputs or not briefs:
        parts.append(f"{result.failed_outputs} failed")
    if briefs:
        outputs = sum(result.not_built.get(brief_id, 0) for brief_id in briefs)
        with_errors = f"{_count(len(briefs), 'brief')} with errors"
        parts.append(f"{_count(outputs, 'output')} not built ({with_errors})" if outputs
                     else f"{with_errors}, not built")
    if result.errors:  # the manifest: said above
        parts.append(f"{_count(len(result.errors), 'file')} not written")
    return ", ".join(parts)


def _show_result(project: Project, result: BuildResult) -> None:
    """Warnings, errors and bug reports of a build, formatted here, at the door."""
    for path in result.removed:
        click.echo(f"removed     {project.relative(path)}  (no brief makes it any more)")
    _show_warnings(result.warnings, project.root)
    show_errors([*(error for _, error in result.failed), *result.errors], project.root)
    _report_bugs(result.bugs)
    show_machine_notes(result.notes)


def show_machine_notes(notes: Iterable[str]) -> None:
    """Notes about the machine brief runs on (not the content), each once: `note: …`."""
    for note in notes:
        click.echo(click.style("note:", fg="cyan", bold=True) + " " + printable(note), err=True)


def _layout_defects(warnings: list[BriefError]) -> int:
    """`typeset.report.layout_defects`, imported when needed: the typesetting package (its
    rules) costs a no-op build about 25 ms (`python -X importtime`)."""
    from ..make.typeset.report import layout_defects  # noqa: PLC0415  # deferred: see docstring

    return layout_defects(warnings)


def _layout_summary(count: int) -> str:
    """`typeset.report.layout_summary`, imported when needed (see `_layout_defects`)."""
    from ..make.typeset.report import layout_summary  # noqa: PLC0415  # deferred: see docstring

    return layout_summary(count)


class _Progress:
    """One line per output as it is built or skipped; a running count on a terminal."""

    def __init__(self, project: Project, show_skipped: bool = True) -> None:
        self.project = project
        self.show_skipped = show_skipped
        self.count = 0
        self.tty = sys.stdout.isatty()

    def __call__(self, event: str, output: Output | None, error: BriefError | None) -> None:
        if event == "failed" or output is None:
            return
        self.count += 1
        name = self.project.relative(output.path)
        prefix = click.style(f"[{self.count}] ", dim=True) if self.tty else ""
        if event == "skipped":
            if self.show_skipped:
                click.echo(f"{prefix}up to date  {name}")
        elif event == "provisional":  # `brief watch`: the settled PDF follows (build.Guesses)
            click.echo(f"{prefix}provisional {name}  ({output.seconds:.2f} s; the last "
                       "layout's repairs; settling it…)")
        else:
            built = "built DRAFT" if output.draft else "built      "
            click.echo(f"{prefix}{built} {name}  ({output.footnotes} notes, "
                       f"{output.seconds:.2f} s)" + ("; every page marked as a draft: "
                                                     "translations stale or missing (below)"
                                                     if output.draft else ""))
            if output.blank_pages:
                click.echo(f"            padded with {output.blank_pages} blank "
                           f"page{'s' if output.blank_pages > 1 else ''} to {output.pages}")
            if output.preflight is not None:  # its warnings follow, located, with the others
                click.echo(f"            {output.preflight.summary()} · "
                           f"{_layout_summary(output.defects)}")
            if output.booklet is not None:
                click.echo(f"            and {self.project.relative(output.booklet)}: "
                           f"{output.pages // 2} sides for the office printer (print both "
                           "sides, flip on the short edge, fold)")


@main.command("personalise", epilog=_examples(
    "brief personalise expert-advice --audience mep",
    "brief personalise expert-advice --audience mep --only anna-muller --only jean-dupont",
    "brief personalise expert-advice --audience mep --recipients ~/lists/libe.xlsx",
    "brief personalise expert-advice --audience mep --sheet MEPs",
    "brief personalise expert-advice --audience mep --strict --force",
    "brief personalise expert-advice --audience mep --date 2026-12-01"))
@click.argument("brief_id", metavar="BRIEF")
@click.option("--audience", "audience", required=True, metavar="AUDIENCE",
              help="The audience whose output each copy holds (e.g. mep).")
@click.option("--recipients", "recipients", default=None, metavar="FILE",
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The recipient list (.csv or .xlsx; default: the brief's recipients.csv or "
              "recipients.xlsx).")
@click.option("--sheet", "sheet", default=None, metavar="NAME",
              help="The sheet of an .xlsx list to read (default: the first visible sheet).")
@click.option("--only", "only", multiple=True, metavar="ID",
              help="Make only this recipient's copy (repeat for more).")
@click.option("--strict", is_flag=True,
              help="Treat warnings and bad rows as errors: then nothing is made.")
@click.option("--force", is_flag=True, help="Rebuild every copy, changed or not.")
@click.option("--date", "letter_date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              metavar="YYYY-MM-DD",
              help="The letters' date (default: today; copies made on another day are rebuilt "
              "unless this stays the same).")
@_render_options
@_verbose_option
@click.pass_context
def personalise_command(ctx: click.Context, brief_id: str, *, audience: str,
                        recipients: Path | None, sheet: str | None, only: tuple[str, ...],
                        strict: bool, force: bool,
                        letter_date: datetime.datetime | None, jobs: int | None, timeout: float,
                        memory_limit: int) -> None:
    """A personal copy of BRIEF for every recipient of a list: their cover letter, then the
    AUDIENCE's output in their language, in out/BRIEF/personal/AUDIENCE/<id>.pdf, and a
    manifest.csv beside them for a mail merge. Only copies whose letter, row or brief changed
    are rebuilt. See docs/personalising.md."""
    from .personalise import personalise  # noqa: PLC0415  # deferred: see generator/__init__.py

    project: Project = ctx.obj
    bar = _ProgressBar()
    with _lock(project):
        try:
            result = personalise(project, brief_id, audience,
                                 recipients=recipients, sheet=sheet,
                                 only=only, strict=strict, force=force, jobs=jobs,
                                 limits=RenderLimits(timeout, memory_limit), progress=bar,
                                 today=letter_date.date() if letter_date else None)
        finally:
            bar.stop()
    for path in result.removed:
        click.echo(f"removed     {project.relative(path)}  (no longer on the recipient list)")
    show_notes(result.list_notes, project.root)
    _show_warnings(result.warnings, project.root)
    show_errors([*result.row_errors, *(error for _, error in result.failed), *result.errors],
                project.root)
    _report_bugs(result.bugs)
    show_machine_notes(result.notes)
    failed = len(result.failed) + len(result.bugs)
    click.echo(f"personalised {len(result.copies)} cop{'y' if len(result.copies) == 1 else 'ies'}"
               f" ({result.rebuilt} rebuilt"
               + (f", {failed} failed" if failed else "")
               + (f", {len(result.row_errors)} bad row(s)" if result.row_errors else "")
               + (f", {_count(len(result.errors), 'file')} not written" if result.errors else "")
               + f") in {result.seconds:.1f} s → {project.relative(result.folder)}/")
    if result.bugs:
        ctx.exit(2)
    if not result.ok:
        ctx.exit(1)


class _ProgressBar:
    """A progress bar for a batch (rich, on stderr), only when stderr is a terminal."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not sys.stderr.isatty() or total < 2:
            return
        if self.bar is None:
            from rich.console import Console  # noqa: PLC0415  # deferred: see generator/__init__.py
            from rich.progress import (  # noqa: PLC0415  # deferred: see generator/__init__.py
                MofNCompleteColumn,
                Progress,
            )

            self.bar = Progress(*Progress.get_default_columns(), MofNCompleteColumn(),
                                console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("personalising", total=total)
        self.bar.update(self.task, completed=done, total=total)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@main.command("translate", epilog=_examples(
    "brief translate expert-advice --to en        create or update translations/en.po",
    "brief translate expert-advice --to de --to fr",
    "brief translate expert-advice --to en --move-inline"))
@click.argument("brief_id", metavar="BRIEF")
@click.option("--to", "languages", multiple=True, required=True, metavar="LANG",
              help="A language to translate into (repeat for more).")
@click.option("--move-inline", is_flag=True,
              help="Move inline translations (`en: …` in brief.yaml) into the PO file.")
@_verbose_option
@click.pass_obj
def translate_command(project: Project, brief_id: str, languages: tuple[str, ...], *,
                      move_inline: bool) -> None:
    """Create or update content/BRIEF/translations/LANG.po for translators (Poedit, Weblate):
    new texts get empty entries, changed originals make their entry fuzzy, texts that are gone
    become obsolete. See docs/translating.md."""
    from .pipeline import translate  # noqa: PLC0415  # deferred: see generator/__init__.py

    for report in translate(project, brief_id, list(languages), move_inline=move_inline):
        verb = "created" if report.created else "updated"
        click.echo(f"{verb:<11} {project.relative(report.path)}: {report.total} texts, "
                   f"{len(report.added)} new, {len(report.fuzzy)} changed (fuzzy), "
                   f"{len(report.obsolete)} obsolete")
        if report.moved:
            click.echo(f"            {len(report.moved) - len(report.inline)} inline "
                       "translation(s) moved from brief.yaml")
        if report.inline:
            click.echo(f"            {len(report.inline)} text(s) keep their inline "
                       "translation in brief.yaml" + ("" if move_inline else
                                                      " (--move-inline moves them)"))
        if report.neutral:
            click.echo(f"            names that may be the same in every language: list them "
                       f"in brief.yaml, `same_in_every_language: [{', '.join(report.neutral)}]`,"
                       " rather than translate them")


@main.command("status", epilog=_examples(
    "brief status                 every brief",
    "brief status expert-advice   one brief"))
@click.argument("briefs", nargs=-1)
@_verbose_option
@click.pass_obj
def status_command(project: Project, briefs: tuple[str, ...]) -> None:
    """For each brief and language: texts to translate, how many are translated, stale (their
    original changed since) or missing, and which outputs can be built. See
    docs/translating.md."""
    from rich.console import Console  # noqa: PLC0415  # deferred: see generator/__init__.py
    from rich.table import Table  # noqa: PLC0415  # deferred: see generator/__init__.py

    from .pipeline import status  # noqa: PLC0415  # deferred: see generator/__init__.py

    console = Console(highlight=False, soft_wrap=False)
    for brief_id, rows in status(project, list(briefs) or None):
        table = Table(title=brief_id, title_justify="left")
        for column in ("language", "texts", "translated", "stale", "missing"):
            table.add_column(column, justify="left" if column == "language" else "right")
        table.add_column("can be built")
        table.add_column("needs translating")
        for row in rows:
            table.add_row(row.language, str(row.texts), str(row.translated), str(row.stale),
                          str(row.missing), ", ".join(row.buildable) or "—",
                          ", ".join(row.blocked) or "—")
        console.print(table)


def _resolution_option(command: F) -> F:
    return click.option("--resolution", type=click.IntRange(24, 300), default=72,
                        show_default=True, metavar="DPI",
                        help="Pixels per inch of the preview's page images.")(command)


@main.command("preview", epilog=_examples(
    "brief preview                     every brief: out/<brief>/preview.html",
    "brief preview expert-advice       one brief",
    "brief preview --audience mep      only the outputs of one audience",
    "brief watch --preview             the same, served, refreshed after every save"))
@click.argument("briefs", nargs=-1)
@click.option("--audience", "audiences", multiple=True, metavar="AUDIENCE",
              help="Show only this audience's outputs (repeat for more).")
@_resolution_option
@_render_options
@_verbose_option
@click.pass_context
def preview_command(ctx: click.Context, briefs: tuple[str, ...], *, audiences: tuple[str, ...],
                    resolution: int, jobs: int | None, timeout: float, memory_limit: int
                    ) -> None:
    """Build what changed of BRIEFS (all by default), then write out/BRIEF/preview.html: every
    audience and language side by side, page by page, with each PDF's preflight summary and
    warnings. Open it in a browser (it works as a file)."""
    project: Project = ctx.obj
    with _lock(project):
        result = build(project, list(briefs) or None, jobs=jobs,
                       limits=RenderLimits(timeout, memory_limit),
                       progress=_Progress(project, show_skipped=False))
        _show_result(project, result)
        unwritten = _write_previews(project, briefs, result, audiences=audiences,
                                    resolution=resolution, links=True)
    if result.bugs:
        ctx.exit(2)
    if not result.ok or unwritten:
        ctx.exit(1)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _write_previews(project: Project, briefs: tuple[str, ...], result: BuildResult, *,
                    audiences: tuple[str, ...] = (), resolution: int, links: bool) -> int:
    """Write and announce the previews; say which could not be written. How many those were."""
    from .preview import preview  # noqa: PLC0415  # deferred: see generator/__init__.py

    unwritten: list[BriefError] = []
    for made in preview(project, list(briefs) or None, audiences=audiences, dpi=resolution,
                        failed=result.failed):
        if made.error is not None:
            unwritten.append(made.error)
        elif made.rendered or made.removed or links:
            click.echo(f"preview     {project.relative(made.path)}  ("
                       f"{_count(len(made.columns), 'PDF')}, {_count(made.pages, 'page')}"
                       + (f", {_count(len(made.web), 'web page')}" if made.web else "") + "; "
                       f"{_count(made.rendered, 'page image')} rendered)"
                       + (f"  {made.path.as_uri()}" if links else ""))
    show_errors(unwritten, project.root)
    return len(unwritten)


@main.command("watch", epilog=_examples(
    "brief watch                  every brief",
    "brief watch expert-advice    one brief",
    "brief watch --preview        and show every output in the browser, refreshed on save",
    "brief watch --force          rebuild every output first, then what each save affects",
    "brief watch --strict         warnings are errors too"))
@click.argument("briefs", nargs=-1)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--force", is_flag=True,
              help="Rebuild every output at the start, changed or not.")
@click.option("--preview", "serve", is_flag=True,
              help="Write out/BRIEF/preview.html after every build and serve it on 127.0.0.1 "
              "(the URL is printed); the open page refreshes itself.")
@_resolution_option
@_render_options
@_verbose_option
@click.pass_obj
def watch_command(project: Project, briefs: tuple[str, ...], *, strict: bool, force: bool,
                  serve: bool, resolution: int, jobs: int | None, timeout: float,
                  memory_limit: int) -> None:
    """Build BRIEFS (all by default), then rebuild what each save affects. Ctrl-C stops."""
    with _lock(project):
        _watch(project, briefs, strict=strict, force=force, serve=serve, resolution=resolution,
               jobs=jobs, limits=RenderLimits(timeout, memory_limit))


def _watch(project: Project, briefs: tuple[str, ...], *, strict: bool, force: bool,
           serve: bool, resolution: int, jobs: int | None, limits: RenderLimits) -> None:
    from .watch import fixed, watch  # noqa: PLC0415  # deferred: see generator/__init__.py

    server = None
    if serve:
        from .serve import PreviewServer  # noqa: PLC0415  # deferred: see generator/__init__.py

        server = PreviewServer(project).start()
        click.echo(f"preview: {server.url(list(briefs) or project.brief_ids())}")

    last: list[BuildResult] = []  # the previous build's result, to tell what a save fixed

    def report(result: BuildResult | None, error: BriefError | None) -> None:
        if error is not None:
            show_errors(error.flat(), project.root)
        elif result is not None:
            _show_result(project, result)
            for mended in fixed(last[-1] if last else None, result):
                click.echo(click.style(
                    f"fixed       {mended.brief}: {mended.built} built, {mended.up_to_date} up "
                    "to date" + (" (the PDFs of its last good build)" if not mended.built
                                 else ""), fg="green"))
            last[:] = [result]
            if result.built or result.failed or result.bugs:
                click.echo(build_summary(result, up_to_date=False))
            if server is not None:
                try:
                    _write_previews(project, briefs, result, resolution=resolution,
                                    links=False)
                except BriefError as exc:
                    show_errors(exc.flat(), project.root)
        click.echo(click.style("watching content/, styles/, templates/ — Ctrl-C stops",
                               dim=True))

    shown = _Progress(project, show_skipped=False)

    def progress(event: str, output: Output | None, error: BriefError | None) -> None:
        shown(event, output, error)
        if event == "provisional" and server is not None:  # the settled PDF follows
            try:
                _write_previews(project, briefs, BuildResult(), resolution=resolution,
                                links=False)
            except BriefError as exc:
                show_errors(exc.flat(), project.root)

    try:
        watch(project, list(briefs) or None, strict=strict, force=force, jobs=jobs,
              limits=limits, progress=progress, on_result=report)
    finally:
        if server is not None:
            server.close()
    click.echo("stopped")


@main.command("clean", epilog=_examples(
    "brief clean                  outputs no brief, audience or language makes any more",
    "brief clean expert-advice    those of one brief",
    "brief clean --all            every output brief wrote"))
@click.argument("briefs", nargs=-1)
@click.option("--all", "all_outputs", is_flag=True,
              help="Remove every output brief wrote (of BRIEFS, or of all briefs).")
@_verbose_option
@click.pass_obj
def clean_command(project: Project, briefs: tuple[str, ...], *, all_outputs: bool) -> None:
    """Remove from out/ the outputs of BRIEFS (all by default) whose brief, audience or language
    no longer exists. Only files brief wrote are removed (see out/.brief-manifest.json)."""
    with _lock(project, create=False):
        result = clean(project, list(briefs) or None, all_outputs=all_outputs)
    for path in result.removed:
        click.echo(f"removed     {project.relative(path)}")
    show_errors([error for _, error in result.failed], project.root)
    click.echo(f"{len(result.removed)} removed" + (
        f", {len(result.failed)} brief(s) not cleaned: fix them first" if result.failed else ""))
    if result.failed:
        raise click.exceptions.Exit(1)


@main.command("schema", epilog=_examples(
    "brief schema                      the schema of brief.yaml, on standard output",
    "brief schema --audiences          the schema of content/audiences.yaml",
    "brief schema --brand              the schema of _brand.yml",
    "brief schema -o brief.schema.json into a file",
    "brief schema --write              both into the project's schemas/, for editors"))
@click.option("--audiences", is_flag=True, help="The schema of audiences.yaml.")
@click.option("--brand", is_flag=True, help="The schema of _brand.yml (docs/brand.md).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write it to this file.")
@click.option("--write", "write_project", is_flag=True,
              help="Write the schemas into the project's schemas/ folder (where missing or "
              "out of date), where `# yaml-language-server: $schema=…` lines point.")
@_verbose_option
@click.pass_obj
def schema_command(project: Project, *, audiences: bool, brand: bool, output: str | None,
                   write_project: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of brief.yaml, of audiences.yaml or of _brand.yml:
    editors use it to complete keys and flag mistakes as you type. See
    docs/content-format.md (Editor completion) and docs/brand.md."""
    from ..read import schema  # noqa: PLC0415  # deferred: see generator/__init__.py

    if write_project:
        written = schema.write_project_schemas(project)
        for path in schema.project_schemas(project):
            state = "wrote      " if path in written else "up to date "
            click.echo(f"{state} {project.relative(path)}")
        click.echo("Editors with the YAML language server (VS Code's YAML extension) read the "
                   "schema named on a file's first line, e.g. in content/<brief>/brief.yaml:\n"
                   f"  {schema.modeline(project.brief_file('x'), project)}")
        return
    text = schema.schema_text(audiences=audiences, brand=brand)
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomic(Path(output), text.encode("utf-8"))
    click.echo(f"wrote {output}", err=True)


@main.command("new", epilog=_examples(
    "brief new my-brief                           every audience, in the first one's language",
    "brief new my-brief --language pl             a brief in Polish",
    "brief new my-brief --audiences full,handout  for two audiences"))
@click.argument("brief_id", metavar="BRIEF-ID")
@click.option("--language", default=None, metavar="LANG",
              help="The brief's language (default: the first audience's first language).")
@click.option("--audiences", default=None, metavar="A,B,…",
              help="Audiences from content/audiences.yaml, comma-separated (default: all).")
@_verbose_option
@click.pass_obj
def new_command(project: Project, brief_id: str, *, language: str | None,
                audiences: str | None) -> None:
    """Create content/BRIEF-ID/brief.yaml with example content to replace: it passes
    `brief check` and builds as it is. Never overwrites a brief."""
    from ..read.scaffold import new_brief  # noqa: PLC0415  # deferred: see generator/__init__.py

    names = [name.strip() for name in audiences.split(",") if name.strip()] \
        if audiences is not None else None
    made = new_brief(project, brief_id, language=language, audiences=names)
    click.echo(f"created     {project.relative(made.path)}: in {made.language}, for "
               f"{', '.join(made.audiences)}")
    for name in made.overridden:
        click.echo(f"            audience {name!r} set to print {made.language} for this brief "
                   "(`audiences:` in the file)")
    for path in made.schemas:
        click.echo(f"wrote       {project.relative(path)}  (for editor completion, see "
                   "docs/content-format.md)")
    click.echo("\nNext:\n"
               f"  1. edit {project.relative(made.path)}: replace the example text, and fill in "
               "each field listed under `placeholders:`\n"
               f"  2. brief watch {brief_id} --preview   rebuild and show the PDFs on every save\n"
               f"     (or: brief check {brief_id}, then brief build {brief_id})\n"
               f"  3. brief check {brief_id} --strict    before sending: no placeholders left")


@main.command("init", epilog=_examples(
    "brief init my-org                 a project in a new folder my-org/",
    "brief init my-org --language de   its designs and first brief in German"))
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--language", default="en", show_default=True, metavar="LANG",
              help="The language of the designs and the first brief.")
@_verbose_option
def init_command(folder: Path, *, language: str) -> None:
    """Make an organisation's own project in FOLDER (new or empty): _brand.yml (the identity),
    content/audiences.yaml (the designs), a first brief and a .gitignore. It uses the templates
    and stylesheets the tool ships; `brief override` copies one into the project to change it."""
    from ..read.starter import init  # noqa: PLC0415  # deferred: see generator/__init__.py

    started = init(folder, language=language)
    for path in started.files:
        click.echo(f"created     {started.project.relative(path)}")
    shown = click.format_filename(folder)
    click.echo("\nNext:\n"
               f"  1. cd {shown}, and edit _brand.yml: your organisation's name, colours, "
               "logo and letterhead\n"
               f"  2. edit {started.project.relative(started.brief)}, then: brief build\n"
               "  3. brief schema --write      editor completion for the YAML files\n"
               "  4. brief override styles/brief.css   to change a packaged design's file")


@main.command("override", epilog=_examples(
    "brief override styles/brief.css          the full brief's stylesheet",
    "brief override templates/brief.html.j2   its template"))
@click.argument("name", metavar="FILE")
@_verbose_option
@click.pass_obj
def override_command(project: Project, name: str) -> None:
    """Copy the packaged FILE (templates/… or styles/…) into the project to change it there:
    the project's file of a name replaces the packaged one. Its first line names the packaged
    file's version, so that `brief check` warns when an upgrade of the tool changes it."""
    path = write_override(project, name)
    click.echo(f"created     {project.relative(path)}  (from the packaged {name}; edit it, and "
               "keep its first line)")


_STATE_STYLES = {"up to date": "green", "out of date": "yellow", "not built": "dim",
                 "needs translating": "yellow", "cannot build": "red",
                 "brief has errors": "red", "made no more": "dim"}


@main.command("list", epilog=_examples(
    "brief list                   every brief",
    "brief list expert-advice     one brief"))
@click.argument("briefs", nargs=-1)
@_verbose_option
@click.pass_obj
def list_command(project: Project, briefs: tuple[str, ...]) -> None:
    """List BRIEFS (all by default): each output's audience, language, file and pages, and
    whether its PDF is up to date with the content (nothing is rendered)."""
    from rich.console import Console  # noqa: PLC0415  # deferred: see generator/__init__.py
    from rich.table import Table  # noqa: PLC0415  # deferred: see generator/__init__.py

    from .listing import list_briefs  # noqa: PLC0415  # deferred: see generator/__init__.py

    rows = list_briefs(project, list(briefs) or None)
    table = Table(title_justify="left")
    for column in ("brief", "audience", "language", "file", "pages", "status"):
        table.add_column(column, justify="right" if column == "pages" else "left",
                         no_wrap=column == "file")
    for brief in rows:
        if not brief.outputs:
            table.add_row(brief.brief, "—", "—", "—", "—",
                          f"[red]{brief.errors} error(s): brief check {brief.brief}[/red]"
                          if brief.errors else "no outputs", end_section=True)
            continue
        for i, row in enumerate(brief.outputs):
            state = row.state
            if brief.errors and i == 0:
                state += f" ({brief.errors} error(s): brief check {brief.brief})"
            style = _STATE_STYLES.get(row.state, "")
            last = i == len(brief.outputs) - 1
            table.add_row(brief.brief if i == 0 else "", row.output.audience,
                          row.output.language, project.relative(row.path),
                          str(row.pages) if row.pages else "—",
                          f"[{style}]{state}[/{style}]" if style else state,
                          end_section=last and row.booklet is None)
            if row.booklet is not None:  # its pages two a side: half as many sheet sides
                table.add_row("", "", "", project.relative(row.booklet),
                              str(row.pages // 2) if row.pages else "—",
                              "booklet of the above", end_section=last)
    wide = sys.stdout.isatty() or "COLUMNS" in os.environ  # else rich assumes 80 columns
    Console(highlight=False, soft_wrap=False, width=None if wide else 200).print(table)
