#!/usr/bin/env python3
"""The sample brief's PDFs made as a user without brief would, timed beside `brief build`.

    pip install -e ".[bench]"                      # Pandoc (pypandoc-binary) and Typst (typst)
    python3 benchmarks/peers.py                    # 5 rounds, 3–4 minutes on 2 cores
    python3 benchmarks/peers.py --quick            # 3 rounds
    python3 benchmarks/peers.py --runs 1 --keep    # one round; keep the files to look at

Issue 23 asks how brief's speed compares with the tools its users would otherwise reach for.
Each round runs every pipeline once, in an order that rotates from round to round (the machine
is shared: alternating spreads its load over all of them); the figures are medians over the
rounds, wall time and CPU time (user + system of the child processes, `RUSAGE_CHILDREN`), and
the ratios are medians of each round's ratio. One untimed round first warms the file cache and
checks that every pipeline works.

The pipelines, each in fresh processes as a Makefile would run them:

* **brief**: `python -m generator --project P build --force`, one process: the six PDFs
  (full.nl, mep.en/de/fr/pl, handout.nl, with the handout's imposed booklet) and the web
  edition (five pages); and again on a copy whose brief leaves the web audience out
  (`make_project(audiences=…)`), six PDFs against six PDFs.
* **Pandoc + WeasyPrint**: per output, `pandoc in.md -s -o out.html --css design.css`
  (the binary of pypandoc-binary), then `python -m weasyprint out.html out.pdf`: twelve
  processes for the six outputs.
* **Typst**, the fast anchor: per output, `typst.compile(in.typ, output=out.pdf)` in a
  process of its own (`python -c`, as the `typst` CLI would be run; the CLI is not installed,
  the `typst` package is its Python binding; starting Python and importing it costs about
  0.02 s of a run's 0.1 s).

What the peers are given (prepared before timing, not timed): per output, the Markdown a Pandoc
user would keep. It is taken from brief's own selection (`pipeline.load_brief`, `outputs`,
`read.select.select`): the output's title, subtitle and sections in its language and for its
audience, translations applied; the brief's notes are Pandoc's `^[…]` already; each citation
`[@key]` is resolved to its text with `footnotes.reference_html` (full on first citation,
short after, as brief prints them) and written as a Pandoc note. A last paragraph gives the
contact. Not given: brief's title block, the handout's QR code and back cover, the colophon.

The CSS per design (for WeasyPrint) imports the project's own stylesheets of that design
(styles/*.css: its fonts, colours, type sizes, margins, running heads), then sets what Pandoc's
HTML needs: the page size (A4 or A5, with the handout's bleed, as `make.pdf.page_css`), no
screen padding, and for the MEP design two columns. Pandoc's notes are endnotes in its HTML
(WeasyPrint lays them out at the end of the text, not at the foot of each page). For Typst,
Pandoc writes each Markdown file as a standalone .typ once (untimed): Pandoc's Typst template
with the page size, the design's text font (Gentium Book Plus, from styles/fonts) and size, and
two columns for MEP; Typst's notes are at the foot of the page.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pikepdf

from benchmarks.sample import make_project
from generator.make.pdf import page_css
from generator.project import Project
from generator.read.model import Audience, Brief
from generator.read.select import SelectedSection, Selection, select
from generator.run.pipeline import load_brief, outputs
from generator.text.footnotes import FULL, SHORT, reference_html

PY = sys.executable
SAMPLE = "expert-advice"
#: The sample's brief without its web audience (the other three as the brief lists them).
NO_WEB = '{full: null, mep: {languages: ["en", "de", "fr", "pl"]}, handout: null}'
#: A citation as the sample writes them: `[@key]` or `[@key, locator]` (no `[@a; @b]`).
CITATION = re.compile(r"\[@([\w][\w:.#$%&+?<>~/-]*)(?:,\s*([^\];@]*))?\]")
#: Pandoc's variables for the Typst of each design: its text size and margins as its CSS.
TYPST_DESIGN = {
    "full": ["-V", "fontsize=10.5pt", "-V", "margin.top=20mm", "-V", "margin.bottom=22mm",
             "-V", "margin.left=32mm", "-V", "margin.right=20mm"],
    "mep": ["-V", "fontsize=9pt", "-V", "columns=2", "-V", "margin.top=17mm",
            "-V", "margin.bottom=19mm", "-V", "margin.x=12mm"],
    "handout": ["-V", "fontsize=9.25pt", "-V", "margin.x=14mm", "-V", "margin.y=15mm"],
}
#: What Pandoc's HTML needs on top of a design's stylesheets, per design.
CSS_DESIGN = {
    "mep": "body { column-count: 2; column-gap: 5.5mm; }\n"
           # (the notes' section spanning both columns too: WeasyPrint 70 asserts, an empty page)
           "header#title-block-header { column-span: all; }\n",
}
#: One Typst compile in a process of its own, as the CLI would be run.
TYPST_RUN = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], " \
            "font_paths=[sys.argv[3]])"


def require() -> str:
    """The pandoc binary of pypandoc-binary; exits with what to install when a peer is missing."""
    try:
        import pypandoc  # type: ignore[import-untyped]  # no type information
        import typst  # noqa: F401 — only its presence is checked here; runs import it themselves
    except ImportError as exc:
        raise SystemExit(f"benchmarks/peers.py needs {exc.name}: pip install -e \".[bench]\" "
                         "(pypandoc-binary and typst)") from exc
    path: str = pypandoc.get_pandoc_path()
    return path


@dataclass(frozen=True, slots=True)
class PeerOutput:
    """One of the sample's PDFs as the peers make it: its Markdown, CSS and Typst."""

    name: str  # "full.nl"
    markdown: Path
    css: Path
    typst: Path


@dataclass(frozen=True, slots=True)
class Pipeline:
    """A way of making the sample's PDFs: the commands of one run and the PDFs they write."""

    name: str
    short: str  # its name in the ratios
    commands: list[list[str]]
    pdfs: Callable[[], list[Path]]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Sample:
    """One run: its wall time and its child processes' CPU time (user + system), in seconds."""

    wall: float
    cpu: float


def markdown_of(brief: Brief, selection: Selection, medium: str) -> str:
    """The Markdown a Pandoc user would keep for one output (see the module's docstring)."""
    cited: set[str] = set()
    language = selection.language

    def resolve(text: str) -> str:
        def note(match: re.Match[str]) -> str:
            key, locator = match[1], (match[2] or "").strip()
            form = SHORT if key in cited else FULL
            cited.add(key)
            return "^[" + markdown_reference(reference_html(
                brief, language, medium, key, locator, note=True, form=form)) + "]"
        if "[@" in CITATION.sub("", text):
            raise SystemExit(f"{brief.path}: a citation peers.py cannot resolve in {text!r}")
        return CITATION.sub(note, text)

    def quoted(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["---", f"title: {quoted(selection.title)}"]
    if selection.subtitle:
        lines.append(f"subtitle: {quoted(selection.subtitle)}")
    lines += [f"lang: {language}", "---", ""]
    if selection.summary_index is not None:
        lines += [resolve(selection.texts[selection.summary_index]).strip(), ""]

    def sections(chosen: tuple[SelectedSection, ...]) -> None:
        for section in chosen:
            if section.title:
                lines.extend(["#" * section.level + " " + section.title, ""])
            if section.body_index is not None:
                lines.extend([resolve(selection.texts[section.body_index]).strip(), ""])
            sections(section.sections)

    sections(selection.sections)
    contact = brief.contact
    if selection.contact_name and contact is not None:
        lines.append(" · ".join(part for part in (
            selection.contact_name, f"<mailto:{contact.email}>" if contact.email else "",
            contact.phone, f"<{contact.url}>" if contact.url else "") if part))
    return "\n".join(lines) + "\n"


def markdown_reference(reference: str) -> str:
    """A reference as brief renders it (HTML) → Markdown: its title in italics, its URL as an
    autolink or the title's link."""
    def link(match: re.Match[str]) -> str:
        href, inner = html.unescape(match[1]), plain(match[2])
        return f"<{href}>" if inner.startswith(("http://", "https://")) else f"[{inner}]({href})"

    def plain(fragment: str) -> str:
        fragment = re.sub(r'<span class="ref-title">(.*?)</span>', r"*\1*", fragment)
        return html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("\u2060", "")

    return plain(re.sub(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', link, reference))


def design_css(project: Path, audience: Audience) -> Path:
    """The stylesheet a Pandoc user writes for a design, in styles/ (its fonts' URLs resolve)."""
    path = project / "styles" / f"peers-{audience.name}.css"
    imports = "".join(f'@import url("{sheet}");\n' for sheet in audience.stylesheets)
    path.write_text(imports + page_css(audience)
                    + "body { max-width: none; margin: 0; padding: 0; }\n"
                    + CSS_DESIGN.get(audience.name, ""), encoding="utf-8")
    return path


def prepare_peers(project: Path, work: Path, pandoc: str) -> list[PeerOutput]:
    """Each output's Markdown, its design's CSS, and its Typst (Pandoc, untimed)."""
    brief = load_brief(Project.at(project), SAMPLE)
    prepared = []
    for output, audience in outputs(brief):
        name = f"{output.audience}.{output.language}"
        markdown = work / f"{name}.md"
        markdown.write_text(markdown_of(brief, select(brief, audience, output.language),
                                        audience.medium), encoding="utf-8")
        typ = work / f"{name}.typ"
        subprocess.run([pandoc, str(markdown), "-s", "-t", "typst", "-o", str(typ),
                        "-V", f"papersize={audience.page.css.lower()}",
                        "-V", "mainfont=Gentium Book Plus", "-V", "page-numbering=1",
                        *TYPST_DESIGN.get(audience.name, [])], check=True)
        prepared.append(PeerOutput(name, markdown, design_css(project, audience), typ))
    return prepared


def run(pipeline: Pipeline) -> Sample:
    """One run of a pipeline's commands, one after another: wall and children's CPU time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    for command in pipeline.commands:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"{pipeline.name}: {' '.join(command)} exited {done.returncode}:\n"
                             f"{done.stderr[-2000:]}")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Sample(wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))


def pages(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        with pikepdf.open(path) as pdf:
            total += len(pdf.pages)
    return total


def pipelines(root: Path, pandoc: str) -> list[Pipeline]:
    """brief (with and without its web edition), Pandoc + WeasyPrint, and Typst, on copies of
    the sample in `root`."""
    with_web = make_project(root / "brief")
    no_web = make_project(root / "brief-no-web", audiences=NO_WEB)
    peers = make_project(root / "peers")
    work = root / "peers" / "work"
    work.mkdir()
    prepared = prepare_peers(peers, work, pandoc)
    fonts = str(peers / "styles" / "fonts")

    def brief_pdfs(project: Path) -> Callable[[], list[Path]]:
        return lambda: sorted(p for p in (project / "out" / SAMPLE).glob("*.pdf")
                              if not p.name.endswith(".booklet.pdf"))

    def brief_build(project: Path) -> list[list[str]]:
        return [[PY, "-m", "generator", "--project", str(project), "build", "--force"]]

    weasy, typst = [], []
    for out in prepared:
        page = work / f"{out.name}.html"
        weasy += [[pandoc, str(out.markdown), "-s", "-o", str(page), "--css", str(out.css)],
                  [PY, "-m", "weasyprint", str(page), str(work / f"{out.name}.weasyprint.pdf")]]
        typst.append([PY, "-c", TYPST_RUN, str(out.typst), str(work / f"{out.name}.typst.pdf"),
                      fonts])
    return [
        Pipeline("brief build --force", "brief", brief_build(with_web), brief_pdfs(with_web),
                 "+ booklet, + web edition (5 pages)"),
        Pipeline("brief build --force, no web", "brief (no web)", brief_build(no_web),
                 brief_pdfs(no_web), "+ booklet"),
        Pipeline("pandoc → HTML, weasyprint → PDF", "pandoc+weasyprint", weasy,
                 lambda: sorted(work.glob("*.weasyprint.pdf")), "12 processes"),
        Pipeline("pandoc's .typ → typst.compile", "typst", typst,
                 lambda: sorted(work.glob("*.typst.pdf")), "6 processes"),
    ]


def version(command: list[str]) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True
                          ).stdout.strip().splitlines()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of 5")
    parser.add_argument("--runs", type=int, help="rounds (overrides --quick)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 5)
    pandoc = require()

    print(f"peers of brief — {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"{version([pandoc, '--version'])}, typst (Python) {metadata.version('typst')}, "
          f"WeasyPrint {metadata.version('weasyprint')}; load {os.getloadavg()[0]:.2f}; "
          f"medians of {runs} rounds\n")
    root = Path(tempfile.mkdtemp(prefix="brief-peers-"))
    try:
        chosen = pipelines(root, pandoc)
        for pipeline in chosen:  # the untimed round: warm caches, check every pipeline
            run(pipeline)
        counts = {p.name: (len(p.pdfs()), pages(p.pdfs())) for p in chosen}
        samples: dict[str, list[Sample]] = {p.name: [] for p in chosen}
        for round_ in range(runs):
            shift = round_ % len(chosen)
            for pipeline in chosen[shift:] + chosen[:shift]:
                samples[pipeline.name].append(run(pipeline))
        load = os.getloadavg()[0]
        report(chosen, counts, samples)
        print(f"\nload average at the end: {load:.2f}")
        if args.keep:
            print(f"files kept in {root}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def report(chosen: list[Pipeline], counts: dict[str, tuple[int, int]],
           samples: dict[str, list[Sample]]) -> None:
    print(f"  {'pipeline':<34} {'PDFs':>4} {'pages':>5} {'wall':>8} {'CPU':>8}")
    for pipeline in chosen:
        got = samples[pipeline.name]
        outputs_, pages_ = counts[pipeline.name]
        print(f"  {pipeline.name:<34} {outputs_:>4} {pages_:>5} "
              f"{statistics.median(s.wall for s in got):7.2f}s "
              f"{statistics.median(s.cpu for s in got):7.2f}s   {pipeline.note}")
    print(f"\n  {'ratio (the median of each round’s)':<52} {'wall':>6} {'CPU':>6}")
    briefs, peers = chosen[:2], chosen[2:]
    for ours in briefs:
        for theirs in peers:
            pairs = list(zip(samples[ours.name], samples[theirs.name], strict=True))
            wall = statistics.median(a.wall / b.wall for a, b in pairs)
            cpu = statistics.median(a.cpu / b.cpu for a, b in pairs)
            print(f"  {ours.short + ' / ' + theirs.short:<52} {wall:6.2f} {cpu:6.2f}")


if __name__ == "__main__":
    main()
