#!/usr/bin/env python3
"""Benchmark brief against its targets; prints medians over repeated runs, and ratios.

    python3 benchmarks/bench.py            # about 5 minutes on 2 cores
    python3 benchmarks/bench.py --quick    # fewer repetitions, no 50× run

Not part of the test suite: timings depend on the machine. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.sample import make_project

PY = sys.executable
SAMPLE = "expert-advice"
COLD = "cold build of the sample (every output)"
COLD_PDF = "cold build of the sample without its web pages"
WATCH = "watch: save → updated PDF (full brief)"
WATCH_SETTLED = "watch: save → settled PDF (full brief)"
WATCH_WEB = "watch: save → updated web page (English)"
WATCH_WEB_PDF = "watch: save → updated PDF (MEP brief, English)"
PIPELINE = "one output, whole pipeline (warm, in process)"
PIPELINE_ONCE = "the same, its settled draft laid out once"
BARE = "same output, bare WeasyPrint render of its final HTML"


def brief(project: Path, *args: str) -> float:
    """Wall time of one `brief` command in a fresh process."""
    started = time.perf_counter()
    subprocess.run([PY, "-m", "generator", "--project", str(project), *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def median(values: list[float]) -> float:
    return statistics.median(values)


def fresh(repeat: int = 1, audiences: str | None = None) -> Path:
    return make_project(Path(tempfile.mkdtemp(prefix="brief-bench-")), repeat, audiences)


def count_outputs(project: Path) -> tuple[int, int]:
    """The PDFs (booklets apart) and web pages a build of the sample wrote."""
    out = project / "out" / SAMPLE
    pdfs = [p for p in out.glob("*.pdf") if not p.name.endswith(".booklet.pdf")]
    pages = list((out / "web").glob("*/index.html"))
    return len(pdfs), len(pages)


def cold_and_noop(runs: int) -> dict:
    project = fresh()
    cold = [brief(project, "build", "--force") for _ in range(runs)]
    pdfs, pages = count_outputs(project)
    print(f"  the sample: {pdfs} PDFs and {pages} web pages per build")
    # the brief's own audiences but the web edition (MEP in its four languages)
    without_web = fresh(audiences='{"full": null, "mep": {"languages": ["en", "de", "fr", '
                        '"pl"]}, "handout": null}')
    cold_pdfs = []
    for _ in range(runs):
        shutil.rmtree(without_web / "out", ignore_errors=True)
        cold_pdfs.append(brief(without_web, "build"))
    assert count_outputs(without_web) == (pdfs, 0), count_outputs(without_web)
    brief(project, "build")
    noop = [brief(project, "build") for _ in range(max(runs, 10))]
    checks = [brief(project, "check") for _ in range(max(runs, 10))]
    return {COLD: median(cold), COLD_PDF: median(cold_pdfs), "no-op rebuild": median(noop),
            "brief check (validate, HTML of every output, no PDF)": median(checks)}


def parallel_vs_serial(runs: int) -> dict:
    project = fresh()
    serial = [brief(project, "build", "--force", "--jobs", "1") for _ in range(runs)]
    parallel = [brief(project, "build", "--force", "--jobs", "2") for _ in range(runs)]
    separate = []
    for _ in range(runs):  # what a one-design-per-run tool costs: a cold process each
        shutil.rmtree(project / "out", ignore_errors=True)
        started = time.perf_counter()
        for audience in ("full", "mep", "handout"):
            subprocess.run([PY, "-c", SEPARATE_RUN, str(project), audience], check=True)
        separate.append(time.perf_counter() - started)
    return {"all outputs, one after another (--jobs 1)": median(serial),
            "all outputs in parallel (--jobs 2)": median(parallel),
            "all outputs, one run per audience": median(separate)}


#: One output in its own cold process (library API), as a tool without batch builds would.
SEPARATE_RUN = """
import sys
from generator.run.build import build
from generator.project import Project
project = Project.at(sys.argv[1])
import dataclasses, generator.run.pipeline as pipeline
brief = pipeline.load_brief(project, "expert-advice")
only = [a for a in brief.audiences if a.name == sys.argv[2]]
load = pipeline.load_brief
pipeline.load_brief = lambda p, i: dataclasses.replace(load(p, i), audiences=tuple(only))
assert build(project, ["expert-advice"], force=True, jobs=1).ok
"""


def warm_renders(runs: int) -> dict:
    """In one warm process: the whole pipeline for one output vs a bare render of its HTML."""
    from generator.make.brand import brand_css
    from generator.make.pdf import isolate_fonts, page_css, render_pdf
    from generator.make.typeset.carry import Guess
    from generator.project import OutputId, Project
    from generator.run.pipeline import load_brief, prepare
    from generator.run.write import write_atomic

    project = Project.at(fresh())
    isolate_fonts(project)
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    def pipeline() -> float:
        started = time.perf_counter()
        b = load_brief(project, SAMPLE)
        prepared = prepare(project, b, output)
        result = render_pdf(prepared.html, b.folder, prepared.audience, project,
                            output_name="full", identifier="full", content_file=b.path,
                            brand=b.brand)
        write_atomic(project.output_path(output), result.pdf)
        return time.perf_counter() - started

    output = OutputId(SAMPLE, "full", "nl")
    b = load_brief(project, SAMPLE)
    prepared = prepare(project, b, output)
    audience = prepared.audience
    settled = render_pdf(prepared.html, b.folder, audience, project, output_name="full",
                         identifier="full", content_file=b.path, brand=b.brand).settled
    assert settled is not None
    html = settled.html  # the final HTML: the repairs settling kept (their CSS: `bare`)

    def once() -> float:  # what a save costs in `brief watch` when the last repairs hold
        started = time.perf_counter()
        b = load_brief(project, SAMPLE)
        prepared = prepare(project, b, output)
        result = render_pdf(prepared.html, b.folder, prepared.audience, project,
                            output_name="full", identifier="full", content_file=b.path,
                            brand=b.brand, guess=Guess(settled))
        write_atomic(project.output_path(output), result.pdf)
        return time.perf_counter() - started
    # the same standard (PDF/UA-1, tagged) and a file identifier, as the pipeline writes
    options = {**audience.standard.render_options(), "pdf_identifier": b"0" * 32}

    def bare() -> float:  # as a user of WeasyPrint alone would: fonts, the identity's sheet
        started = time.perf_counter()
        fonts = FontConfiguration()
        sheets = [weasyprint.CSS(filename=str(project.styles / s), font_config=fonts)
                  for s in audience.stylesheets]
        if b.brand.path is not None:
            sheets.append(weasyprint.CSS(string=brand_css(b.brand, cmyk=False), font_config=fonts,
                                         base_url=b.brand.path.as_uri()))
        sheets.append(weasyprint.CSS(string=page_css(audience), font_config=fonts))
        if settled.css:
            sheets.append(weasyprint.CSS(string="\n".join(settled.css), font_config=fonts))
        weasyprint.HTML(string=html, base_url=str(b.folder) + "/").write_pdf(
            stylesheets=sheets, font_config=fonts, **options)
        return time.perf_counter() - started

    pipeline(), once(), bare()  # warm caches on all sides
    times_pipeline, times_once, times_bare = [], [], []
    for _ in range(runs):
        times_pipeline.append(pipeline())
        times_once.append(once())
        times_bare.append(bare())
    return {PIPELINE: median(times_pipeline), PIPELINE_ONCE: median(times_once),
            BARE: median(times_bare)}


def watch_latency(runs: int) -> dict:
    """Time from a save to the rewritten files, with `brief watch`'s warm workers (as many as
    `brief watch` starts: `default_jobs`), in one process:

    * a word of the full brief's Dutch text that only the full brief prints: the first PDF
      written (provisional, when the repairs of its last layout hold: `build.Guesses`) and the
      settled one (the build's end);
    * a word of the English translation file, which the MEP brief in English and the English
      web page print: the web page (made before the PDF, with the PDFs on disk) and the PDF."""
    from generator.project import OutputId, Project, default_jobs
    from generator.run.watch import watch

    project = Project.at(fresh())
    full = project.output_path(OutputId(SAMPLE, "full", "nl"))
    mep = project.output_path(OutputId(SAMPLE, "mep", "en"))
    page = project.out / SAMPLE / "web" / "en" / "index.html"
    built = threading.Event()
    stop = threading.Event()

    def on_result(result, error):
        if result is not None and result.built:
            built.set()

    thread = threading.Thread(target=watch, kwargs={"project": project, "jobs": default_jobs(),
                              "on_result": on_result, "stop_event": stop}, daemon=True)
    thread.start()
    built.wait(120)
    time.sleep(0.5)  # let watchfiles settle after the first build

    def save(path: Path, words: tuple[str, str], i: int, watched: tuple[Path, ...]
             ) -> list[float]:
        """Save `path` with one of `words` replaced by the other; the seconds until each of
        `watched` changed, then until the build ended."""
        built.clear()
        before = [p.stat().st_mtime_ns for p in watched]
        text = path.read_text(encoding="utf-8").replace(words[i % 2], words[(i + 1) % 2], 1)
        started = time.perf_counter()
        path.write_text(text, encoding="utf-8")
        seen: dict[int, float] = {}
        deadline = time.monotonic() + 60
        while len(seen) < len(watched) and time.monotonic() < deadline:
            for k, watched_path in enumerate(watched):
                if k not in seen and watched_path.stat().st_mtime_ns != before[k]:
                    seen[k] = time.perf_counter() - started
            time.sleep(0.002)
        built.wait(60)
        ended = time.perf_counter() - started
        time.sleep(0.3)
        return [seen.get(k, float("nan")) for k in range(len(watched))] + [ended]

    # "Wie is de expert?" is printed only in the full brief: one output to rebuild.
    pdf = [save(project.brief_file(SAMPLE), ("onderzoekt de aard",
                                             "onderzoekt nauwgezet de aard"), i, (full,))
           for i in range(runs)]
    english = project.content / SAMPLE / "translations" / "en.po"
    web = [save(english, ("Expertise Centre for Online", "Expertise Center for Online"), i,
                (page, mep)) for i in range(runs)]
    stop.set()
    thread.join(30)
    return {WATCH: median([p[0] for p in pdf]), WATCH_SETTLED: median([p[1] for p in pdf]),
            WATCH_WEB: median([w[0] for w in web]), WATCH_WEB_PDF: median([w[1] for w in web])}


def _scale_child(repeat: int) -> None:
    """Run in a subprocess: one cold build of the full audience; print time and peak memory."""
    project = fresh(repeat, '["full"]')
    started = time.perf_counter()
    # a 250-page brief settles in a dozen layouts: past the default per-output time limit on a
    # busy machine (the build then exits 1, and the benchmark stopped there)
    subprocess.run([PY, "-m", "generator", "--project", str(project), "build", "--jobs", "1",
                    "--memory-limit", "4096", "--timeout", "3600"], check=True,
                   stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out = project / "out" / SAMPLE / f"{SAMPLE}.full.nl.pdf"
    from pypdf import PdfReader
    print(json.dumps({"seconds": elapsed, "peak_mb": peak, "pages": len(PdfReader(out).pages)}))


def scaling(repeats: dict[int, int]) -> dict:
    results = {}
    for factor, runs in repeats.items():
        samples = []
        for _ in range(runs):
            out = subprocess.run([PY, __file__, "--scale-child", str(factor)], check=True,
                                 capture_output=True, text=True)
            samples.append(json.loads(out.stdout.strip().splitlines()[-1]))
        results[factor] = {"seconds": median([s["seconds"] for s in samples]),
                           "peak_mb": max(s["peak_mb"] for s in samples),
                           "pages": samples[0]["pages"], "runs": runs}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--scale-child", type=int)
    args = parser.parse_args()
    if args.scale_child:
        _scale_child(args.scale_child)
        return
    runs = 3 if args.quick else 5
    # Python compiles every module it imports again when it may not write bytecode: a cold
    # build's processes would pay it (about 0.05 s for `brief build` alone, more per worker)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"brief benchmark — {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"medians of {runs}+ runs\n")

    figures = {}
    figures.update(cold_and_noop(runs))
    figures.update(parallel_vs_serial(runs))
    warm = warm_renders(runs)
    figures.update(warm)
    bare = warm[BARE]
    figures.update(watch_latency(runs))
    for name, seconds in figures.items():
        print(f"  {name:<56} {seconds:7.3f} s")

    scale = scaling({1: 3, 10: 3} if args.quick else {1: 5, 10: 3, 50: 3})
    print()
    for factor, row in scale.items():
        print(f"  content ×{factor:<3} {row['pages']:4d} pages  {row['seconds']:7.2f} s  "
              f"peak {row['peak_mb']:6.0f} MB  (median of {row['runs']})")

    cold = figures[COLD]
    noop = figures["no-op rebuild"]
    checks = [
        ("no-op rebuild ≤ 0.15 s", noop, 0.15, f"{noop:.3f} s"),
        ("no-op / cold full build ≤ 0.10", noop / cold, 0.10, f"{noop / cold:.3f}"),
        ("brief check ≤ 0.40 s", figures["brief check (validate, HTML of every output, no PDF)"],
         0.40, None),
        ("pipeline, settling / bare render ≤ 1", warm[PIPELINE] / bare, 1.0, None),
        ("pipeline, settled draft once / bare ≤ 1", warm[PIPELINE_ONCE] / bare, 1.0, None),
        ("watch save→PDF ≤ 0.5 s", figures[WATCH], 0.5, f"{figures[WATCH]:.3f} s"),
        ("watch save→web page ≤ 0.3 s", figures[WATCH_WEB], 0.3, f"{figures[WATCH_WEB]:.3f} s"),
        ("web pages' share of a cold build ≤ 1.10", cold / figures[COLD_PDF], 1.10, None),
        ("parallel / one after another ≤ 0.65",
         figures["all outputs in parallel (--jobs 2)"]
         / figures["all outputs, one after another (--jobs 1)"], 0.65, None),
        ("parallel / one run per audience ≤ 0.65",
         figures["all outputs in parallel (--jobs 2)"]
         / figures["all outputs, one run per audience"], 0.65, None),
    ]
    top = max(scale)
    if top > 1:
        checks.append((f"×{top} content / ×1 ≤ {1.1 * top:g}", scale[top]["seconds"]
                       / scale[1]["seconds"], 1.1 * top, None))
        checks.append((f"×{top} peak memory < 1024 MB", scale[top]["peak_mb"], 1024,
                       f"{scale[top]['peak_mb']:.0f} MB"))
    print("\nratios and targets")
    for name, value, limit, shown in checks:
        verdict = "ok" if value <= limit else "MISSED"
        print(f"  {name:<40} {shown or f'{value:.3f}':>10}   {verdict}")


if __name__ == "__main__":
    main()
