#!/usr/bin/env python3
"""Micro-benchmark of one output's layout in a warm process, with and without
`generator.make.weasy_patches` (issue 23): CPU seconds of `pdf._lay_out` per render, medians,
the two alternated, and how many footnote-area updates the patch answered from its memo.

    python3 benchmarks/bench_layout.py                    # full.nl and mep.de, 7 runs each
    python3 benchmarks/bench_layout.py -n 11 mep.de       # one output, more runs

Each output is rendered once first (fonts, hyphenation, stylesheets) and that render is not
counted. Every measured render's PDF bytes are compared with the first one's: the patch must
not change a byte. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.sample import make_project

SAMPLE = "expert-advice"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=7, help="measured renders per variant")
    parser.add_argument("outputs", nargs="*", default=["full.nl", "mep.de"],
                        help="audience.language of the sample brief")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    import weasyprint.layout

    from generator.make import pdf as pdfmod
    from generator.make import weasy_patches
    from generator.project import OutputId, Project
    from generator.run.pipeline import load_brief, prepare

    project = Project.at(make_project(Path(tempfile.mkdtemp(prefix="brief-bench-layout-"))))
    brief = load_brief(project, SAMPLE)
    lay_out = pdfmod._lay_out
    spent: list[float] = []

    def timed(*positional: Any, **named: Any) -> Any:
        start = time.process_time()
        try:
            return lay_out(*positional, **named)
        finally:
            spent.append(time.process_time() - start)

    contexts: list[Any] = []
    context_init = weasyprint.layout.LayoutContext.__init__

    def recorded(self: Any, *positional: Any, **named: Any) -> None:
        context_init(self, *positional, **named)
        contexts.append(self)

    pdfmod._lay_out = timed
    weasyprint.layout.LayoutContext.__init__ = recorded  # type: ignore[method-assign]
    install = pdfmod.install_weasy_patches
    variants: dict[str, Callable[[Any], bool]] = {"before": lambda _module: False,
                                                   "after": install}
    for name in args.outputs:
        audience, language = name.split(".")
        out = OutputId(SAMPLE, audience, language)
        prepared = prepare(project, brief, out)

        def render(variant: str, out: OutputId = out, prepared: Any = prepared) -> bytes:
            weasy_patches.uninstall()
            pdfmod.install_weasy_patches = variants[variant]
            spent.clear()
            contexts.clear()
            result = pdfmod.render_pdf(prepared.html, brief.folder, prepared.audience, project,
                                       output_name=out.filename, identifier=out.filename,
                                       content_file=brief.path, brand=brief.brand)
            return bytes(result.pdf)

        reference = render("before")
        times: dict[str, list[float]] = {"before": [], "after": []}
        counts: dict[str, int] = {}
        for _ in range(args.n):
            for variant in ("before", "after"):
                if render(variant) != reference:
                    raise SystemExit(f"{name}: the PDF {variant} the patch differs")
                times[variant].append(sum(spent))
                for context in contexts:
                    memo = weasy_patches.memo(context)
                    for key, value in (memo.counts.items() if memo else ()):
                        counts[key] = counts.get(key, 0) + value
        before, after = (statistics.median(times[v]) for v in ("before", "after"))
        per_run = {key: value // args.n for key, value in counts.items()}
        print(f"{name}: _lay_out CPU median of {args.n}: before {before:.3f} s, after "
              f"{after:.3f} s, ratio {after / before:.2f}; footnote-area updates per render "
              f"{per_run}; PDFs identical")
    pdfmod.install_weasy_patches = install


if __name__ == "__main__":
    main()
