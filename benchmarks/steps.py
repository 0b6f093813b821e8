#!/usr/bin/env python3
"""Where the time of a build goes: each PDF of the sample, step by step and layout by layout.

    python3 benchmarks/steps.py                    # every PDF of the sample, CPU ms per step
    python3 benchmarks/steps.py --runs 5           # medians of 5 renders each
    python3 benchmarks/steps.py --tree full.nl     # pyinstrument's call tree of one render
                                                   # (pip install -e ".[bench]")

In one warm process (as a worker of `brief build` or `brief watch` is after its first
render): the parent's steps (reading and checking the brief, preparing each output's HTML,
preflighting the PDF) and the worker's (the stylesheets, each layout — the plain draft, then
each repair the typesetting rules try, named by the rule that proposed it — the
rules' checks, writing the PDF, finishing it). CPU time (`time.process_time`), so that a busy
machine changes the figures less than the wall clock would. Not a test: see
benchmarks/README.md for what was found.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.sample import make_project
from generator.make import pdf as pdf_module
from generator.make import typeset
from generator.project import OutputId, Project
from generator.run import pipeline

SAMPLE = "expert-advice"


class Clock:
    """CPU milliseconds per step of the render being measured, in order."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, float]] = []
        self.proposed: list[str] = []  # the rules whose drafts are laid out next, in order
        self.layouts = 0

    def wrap(self, owner: Any, name: str, label: str | Callable[[], str]) -> None:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.steps.append((label() if callable(label) else label,
                                   (time.process_time() - started) * 1000))

        setattr(owner, name, timed)

    def layout_label(self) -> str:
        self.layouts += 1
        if self.layouts == 1:
            return "layout 1: the plain draft"
        rule = self.proposed.pop(0) if self.proposed else "?"
        return f"layout {self.layouts}: {rule}'s repair"


def instrument(clock: Clock) -> None:
    """Time the steps (module functions replaced by timed ones)."""
    clock.wrap(pipeline, "examine_brief", "parent: read and check the brief")
    clock.wrap(pipeline, "prepare", "parent: the output's HTML")
    clock.wrap(pdf_module, "_stylesheets", "stylesheets (parsed once, then kept)")
    clock.wrap(pdf_module, "_lay_out_figures", clock.layout_label)
    clock.wrap(typeset, "find_all", "the rules' checks (all layouts)")
    clock.wrap(pdf_module, "_refuse_overflows", "text past its column?")
    clock.wrap(pdf_module, "finish", "finish (structure, standard)")
    clock.wrap(pdf_module, "_refuse_links", "links refused?")
    clock.wrap(pdf_module, "_refuse_attachments", "attachments refused?")
    clock.wrap(pdf_module, "impose_booklet", "booklet imposed")
    from weasyprint.document import Document  # after the fonts are isolated

    clock.wrap(Document, "write_pdf", "write the PDF (draw, fonts, compress)")
    candidates = typeset._candidates

    def named(rule: Any, laid: Any, defects: Any) -> Iterator[Any]:
        for draft in candidates(rule, laid, defects):
            clock.proposed.append(rule.NAME)
            yield draft

    typeset._candidates = named  # type: ignore[assignment]


def render(project: Project, output: OutputId) -> Any:
    brief, _ = pipeline.examine_brief(project, SAMPLE)
    assert brief is not None
    prepared = pipeline.prepare(project, brief, output)
    result = pdf_module.render_pdf(prepared.html, brief.folder, prepared.audience, project,
                                   output_name=output.filename, identifier=output.filename,
                                   content_file=brief.path, brand=brief.brand)
    from generator.make.preflight import preflight

    started = time.process_time()
    preflight(result.pdf)
    return result, ("parent: preflight", (time.process_time() - started) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tree", metavar="AUDIENCE.LANGUAGE",
                        help="print pyinstrument's call tree of one render")
    args = parser.parse_args()
    project = Project.at(make_project(Path(tempfile.mkdtemp(prefix="brief-steps-"))))
    brief, _ = pipeline.examine_brief(project, SAMPLE)
    assert brief is not None
    outputs = [output for output, _ in pipeline.outputs(brief) if output.kind == "pdf"]
    render(project, outputs[0])  # warm: fonts, hyphenation dictionaries, stylesheets
    if args.tree:
        from pyinstrument import Profiler  # the bench extra

        output = next(o for o in outputs if f"{o.audience}.{o.language}" == args.tree)
        profiler = Profiler(interval=0.001)
        profiler.start()
        render(project, output)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False))
        return
    clock = Clock()
    instrument(clock)
    print(f"CPU ms per step, medians of {args.runs} renders (one warm process)\n")
    for output in outputs:
        runs: list[dict[str, float]] = []
        kept: tuple[str, ...] = ()
        for _ in range(args.runs):
            clock.steps, clock.proposed, clock.layouts = [], [], 0
            started = time.process_time()
            result, preflighted = render(project, output)
            total = (time.process_time() - started) * 1000
            steps: dict[str, float] = defaultdict(float)
            for label, ms in [*clock.steps, preflighted]:
                steps[label] += ms
            steps["total"] = total
            runs.append(steps)
            kept = result.fitted
        labels = list(dict.fromkeys(label for steps in runs for label in steps))
        print(f"{output.filename}: {result.pages} pages, {clock.layouts} layouts"
              + (f" (fitted: {', '.join(kept)})" if kept else ""))
        for label in labels:
            value = statistics.median(steps.get(label, 0.0) for steps in runs)
            print(f"  {label:<48} {value:8.0f}")
        print()


if __name__ == "__main__":
    main()
