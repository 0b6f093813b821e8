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


def cold_and_noop(runs: int) -> dict:
    project = fresh()
    cold = [brief(project, "build", "--force") for _ in range(runs)]
    outputs = len([p for p in (project / "out" / SAMPLE).glob("*.pdf")
                   if not p.name.endswith(".booklet.pdf")])
    print(f"  the sample: {outputs} outputs")
    brief(project, "build")
    noop = [brief(project, "build") for _ in range(max(runs, 10))]
    checks = [brief(project, "check") for _ in range(max(runs, 10))]
    return {COLD: median(cold), "no-op rebuild": median(noop),
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
    from generator.make.pdf import isolate_fonts, page_css, render_pdf
    from generator.project import OutputId, Project
    from generator.run.pipeline import load_brief, prepare
    from generator.run.write import write_atomic

    project = Project.at(fresh())
    isolate_fonts(project)
    import weasyprint

    def pipeline() -> float:
        started = time.perf_counter()
        b = load_brief(project, SAMPLE)
        prepared = prepare(project, b, output)
        result = render_pdf(prepared.html, b.folder, prepared.audience, project,
                            output_name="full", identifier="full", content_file=b.path)
        write_atomic(project.output_path(output), result.pdf)
        return time.perf_counter() - started

    output = OutputId(SAMPLE, "full", "nl")
    b = load_brief(project, SAMPLE)
    prepared = prepare(project, b, output)
    html, audience = prepared.html, prepared.audience
    # the same standard (PDF/UA-1, tagged) and a file identifier, as the pipeline writes
    options = {**audience.standard.render_options(), "pdf_identifier": b"0" * 32}

    def bare() -> float:
        started = time.perf_counter()
        sheets = [weasyprint.CSS(filename=str(project.styles / s)) for s in audience.stylesheets]
        sheets.append(weasyprint.CSS(string=page_css(audience)))
        weasyprint.HTML(string=html, base_url=str(b.folder) + "/").write_pdf(stylesheets=sheets,
                                                                              **options)
        return time.perf_counter() - started

    pipeline(), bare()  # warm caches on both sides
    times_pipeline, times_bare = [], []
    for _ in range(runs):
        times_pipeline.append(pipeline())
        times_bare.append(bare())
    return {"one output, whole pipeline (warm, in process)": median(times_pipeline),
            "same output, bare WeasyPrint render of its HTML": median(times_bare)}


def watch_latency(runs: int, bare_seconds: float) -> dict:
    """Time from a save to the rewritten PDF, with `brief watch`'s warm worker."""
    from generator.project import OutputId, Project
    from generator.run.watch import watch

    project = Project.at(fresh())
    brief_file = project.brief_file(SAMPLE)
    target = project.output_path(OutputId(SAMPLE, "full", "nl"))
    done = threading.Event()
    stop = threading.Event()

    def on_result(result, error):
        if result is not None and result.built:
            done.set()

    thread = threading.Thread(target=watch, kwargs={"project": project, "jobs": 1,
                              "on_result": on_result, "stop_event": stop}, daemon=True)
    thread.start()
    done.wait(120)
    time.sleep(0.5)  # let watchfiles settle after the first build
    latencies = []
    words = ["onderzoekt de aard", "onderzoekt nauwgezet de aard"]
    for i in range(runs):
        done.clear()
        before = target.stat().st_mtime_ns
        text = brief_file.read_text(encoding="utf-8")
        # "Wie is de expert?" is printed only in the full brief: one output to rebuild.
        text = text.replace(words[i % 2], words[(i + 1) % 2], 1)
        started = time.perf_counter()
        brief_file.write_text(text, encoding="utf-8")
        deadline = time.monotonic() + 60
        while target.stat().st_mtime_ns == before and time.monotonic() < deadline:
            time.sleep(0.002)
        latencies.append(time.perf_counter() - started)
    stop.set()
    thread.join(30)
    return {"watch: save → updated PDF (full brief)": median(latencies)}


def _scale_child(repeat: int) -> None:
    """Run in a subprocess: one cold build of the full audience; print time and peak memory."""
    project = fresh(repeat, '["full"]')
    started = time.perf_counter()
    subprocess.run([PY, "-m", "generator", "--project", str(project), "build", "--jobs", "1",
                    "--memory-limit", "4096"], check=True, stdout=subprocess.DEVNULL)
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
    print(f"brief benchmark — {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"medians of {runs}+ runs\n")

    figures = {}
    figures.update(cold_and_noop(runs))
    figures.update(parallel_vs_serial(runs))
    warm = warm_renders(runs)
    figures.update(warm)
    bare = warm["same output, bare WeasyPrint render of its HTML"]
    figures.update(watch_latency(runs, bare))
    for name, seconds in figures.items():
        print(f"  {name:<52} {seconds:7.3f} s")

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
        ("pipeline / bare render ≤ 1.15",
         warm["one output, whole pipeline (warm, in process)"] / bare, 1.15, None),
        ("watch save→PDF / bare render ≤ 1.30",
         figures["watch: save → updated PDF (full brief)"] / bare, 1.30, None),
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
