#!/usr/bin/env python3
"""Benchmark `brief personalise` against issue 12's targets: 720 recipients ≤ 60 s wall on
2 cores, ≤ 0.1 × rendering each copy in full, ≤ 1 GiB peak memory.

    python3 benchmarks/bench_personalise.py              # one cold run of 720, ~1–2 minutes
    python3 benchmarks/bench_personalise.py --runs 3     # median of three cold runs
    python3 benchmarks/bench_personalise.py -n 100       # fewer recipients

A cold run starts a fresh process (`python -c`, the library API, as `brief personalise
--force` does) on a project with no out/: it renders each body language once, then every letter
and join in the workers. "In full" is measured, not run 720 times: a sample of copies (letter
and body each laid out by `pdf.render_pdf`, then joined, as a tool without `personalise` would
do per recipient), serially in this warm process, then extrapolated to N recipients on the same
number of cores. Peak memory is the largest resident set of the parent and of any worker
(getrusage; workers are children of the run's process), and their sum as an upper bound.
Not part of the test suite: timings depend on the machine. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.sample import make_project

PY = sys.executable
SAMPLE = "expert-advice"
AUDIENCE = "mep"

#: The languages of the generated recipients: mostly those the MEP brief is built in, some that
#: fall back to English (el, sv).
LANGUAGES = ("en", "de", "fr", "pl", "en", "de", "fr", "el", "sv")
NAMES = ("Zoë Ångström", "Łukasz Wróbel", "Ελένη Παπαδοπούλου", "Jean Dupont", "Anna Müller",
         "Иван Петров", "Mary O'Connor", "Jānis Bērziņš", "Šárka Dvořáková")
COMMITTEES = ("LIBE", "IMCO", "CULT", "JURI")

#: One cold run in a fresh process: timings, and the peak memory of it and its workers.
RUN = """
import json, resource, sys, time
from generator.run.personalise import personalise
from generator.project import Project
started = time.perf_counter()
result = personalise(Project.at(sys.argv[1]), "expert-advice", "mep", force=True,
                     jobs=int(sys.argv[2]) if sys.argv[2] != "0" else None)
wall = time.perf_counter() - started
assert result.ok, [e.format_message() for _, e in result.failed] + [b.report() for b in result.bugs]
usage = {who: resource.getrusage(getattr(resource, who)) for who in ("RUSAGE_SELF",
                                                                      "RUSAGE_CHILDREN")}
print(json.dumps({"wall": wall, "copies": len(result.copies), "rebuilt": result.rebuilt,
                  "timings": result.timings, "self_kib": usage["RUSAGE_SELF"].ru_maxrss,
                  "children_kib": usage["RUSAGE_CHILDREN"].ru_maxrss,
                  "cpu": sum(u.ru_utime + u.ru_stime for u in usage.values())}))
"""


def recipients(path: Path, count: int) -> None:
    """`count` invented recipients in several languages and scripts."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "language", "salutation", "email", "committee"])
        for n in range(count):
            name = f"{NAMES[n % len(NAMES)]} {n}"
            writer.writerow([f"mep-{n:04d}", name, LANGUAGES[n % len(LANGUAGES)], "",
                             f"mep-{n:04d}@example.org", COMMITTEES[n % len(COMMITTEES)]])


def cold_run(project: Path, jobs: int, *, after_build: bool = False) -> dict:
    """One run in a fresh process with no out/ (or, `after_build`, after `brief build`, whose
    up-to-date PDFs are then the bodies)."""
    shutil.rmtree(project / "out", ignore_errors=True)
    if after_build:
        subprocess.run([PY, "-m", "generator", "--project", str(project), "build", SAMPLE],
                       check=True, capture_output=True, cwd=Path(__file__).parent.parent)
    out = subprocess.run([PY, "-c", RUN, str(project), str(jobs)], check=True,
                         capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    return json.loads(out.stdout.strip().splitlines()[-1])


def full_renders(project: Path, sample: int) -> list[tuple[float, float]]:
    """Seconds (wall, CPU; one core) to make each of `sample` copies in full, as a tool without
    `personalise` would per recipient: the body laid out, the letter (with its enclosure line,
    in the brief's identity, as `personalise` makes it) laid out, then the two joined."""
    from generator.make.letter import letter_audience, letter_html
    from generator.make.pdf import isolate_fonts
    from generator.project import OutputId, Project
    from generator.read.recipients import load_recipients, recipients_path
    from generator.read.select import select
    from generator.run.kinds.personal_jobs import PersonalJob
    from generator.run.personalise import languages_for
    from generator.run.pipeline import load_brief, prepare
    from generator.run.workers import RenderJob
    from generator.text.typography.compounds import plain

    proj = Project.at(project)
    isolate_fonts(proj)
    brief = load_brief(proj, SAMPLE)
    audience = brief.audience(AUDIENCE)
    assert audience is not None
    rows, _ = load_recipients(recipients_path(brief), brief, audience)
    languages, _ = languages_for(brief, audience, rows, {r.id for r in rows})
    times: list[tuple[float, float]] = []
    for row in rows[:sample + 1]:  # the first warms up (imports, fonts, stylesheets)
        language = languages[row.id]
        started, cpu = time.perf_counter(), time.process_time()
        output = OutputId(brief.id, audience.name, language, row.id, "personal")
        body = prepare(proj, brief, OutputId(brief.id, audience.name, language))
        body_pdf = RenderJob(output, body.html, brief.folder, audience, "body",
                             brief.path, brief.brand).render(proj)
        title = plain(select(brief, audience, language).title)
        letter = RenderJob(output, letter_html(proj, brief, audience, row, language,
                                               pages=body_pdf.pages),
                           brief.folder, letter_audience(audience), "letter", brief.path,
                           brief.brand)
        PersonalJob(letter, body_pdf.pdf, title, row.name, language, title,
                    row.name).render(proj)
        times.append((time.perf_counter() - started, time.process_time() - cpu))
    return times[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--recipients", type=int, default=720)
    parser.add_argument("--runs", type=int, default=1, help="cold runs (median)")
    parser.add_argument("--sample", type=int, default=10, help="copies rendered in full")
    parser.add_argument("-j", "--jobs", type=int, default=0, help="workers (0: one per core)")
    args = parser.parse_args()
    from generator.project import default_jobs

    cores = args.jobs or default_jobs()
    project = make_project(Path(tempfile.mkdtemp(prefix="brief-bench-personalise-")))
    recipients(project / "content" / SAMPLE / "recipients.csv", args.recipients)
    try:
        full = full_renders(project, args.sample)  # first: a mistake here shows at once
        runs = [cold_run(project, args.jobs) for _ in range(args.runs)]
        built = cold_run(project, args.jobs, after_build=True)
    finally:
        shutil.rmtree(project, ignore_errors=True)
    wall = statistics.median(r["wall"] for r in runs)
    run = min(runs, key=lambda r: abs(r["wall"] - wall))
    per_full = statistics.median(wall for wall, _ in full)
    per_full_cpu = statistics.median(cpu for _, cpu in full)
    full_wall = per_full * args.recipients / cores
    cpu = statistics.median(r["cpu"] for r in runs)
    peak_mib = max(r["self_kib"] for r in runs) / 1024, max(r["children_kib"] for r in runs) / 1024
    timings = run["timings"]
    print(f"recipients: {args.recipients}; outputs built: {run['copies']} copies "
          f"({run['rebuilt']} rebuilt), {cores} worker(s), {len(runs)} cold run(s)")
    print(f"personalise, cold (median wall):          {wall:7.2f} s   "
          f"({wall / args.recipients * 1000:.1f} ms wall per recipient)")
    print(f"  parent: brief, bodies' and letters' HTML {timings.get('prepare', 0):7.2f} s")
    print(f"  bodies rendered (once per language)      {timings.get('body', 0):7.2f} s")
    print(f"  letters laid out (summed over workers)   {timings.get('letter', 0):7.2f} s   "
          f"({timings.get('letter', 0) / args.recipients * 1000:.1f} ms each)")
    print(f"  joins (summed over workers)              {timings.get('join', 0):7.2f} s   "
          f"({timings.get('join', 0) / args.recipients * 1000:.1f} ms each)")
    print(f"  writes (parent)                          {timings.get('write', 0):7.2f} s")
    print(f"  flushed to disk at the end (parent)      {timings.get('sync', 0):7.2f} s")
    print(f"after `brief build` (bodies from out/):  {built['wall']:7.2f} s   "
          f"(bodies {built['timings'].get('body', 0):.2f} s)")
    print(f"one copy in full (letter + body + join):  {per_full:7.3f} s of one core "
          f"(median of {len(full)}, warm)")
    print(f"{args.recipients} in full, extrapolated to {cores} cores: {full_wall:7.1f} s")
    print(f"ratio personalise / in full:              {wall / full_wall:7.3f}   (target ≤ 0.1)")
    print(f"CPU: personalise {cpu:.1f} s in all processes ({cpu / args.recipients * 1000:.1f} ms "
          f"per recipient); in full {per_full_cpu * 1000:.0f} ms per copy; ratio "
          f"{cpu / (per_full_cpu * args.recipients):.3f} (less sensitive to a busy machine)")
    print(f"peak memory: parent {peak_mib[0]:.0f} MiB, largest worker {peak_mib[1]:.0f} MiB, "
          f"all together ≤ {peak_mib[0] + cores * peak_mib[1]:.0f} MiB   (target ≤ 1024)")
    print(f"target 720 ≤ 60 s wall: {'met' if wall <= 60 else 'NOT met'} "
          f"({wall:.1f} s for {args.recipients})")


if __name__ == "__main__":
    main()
