#!/usr/bin/env python3
"""Micro-benchmark of one personal copy's work in a warm process: a cover letter laid out
(`RenderJob.render` with the letter's audience) and a whole copy (`PersonalJob.render`: the
letter, then joined with the body rendered once), medians of CPU and wall seconds.

    python3 benchmarks/bench_letter.py             # 40 letters of the sample, ~10 s
    python3 benchmarks/bench_letter.py -n 100 --out /tmp/letters   # and keep a few PDFs
    python3 benchmarks/bench_letter.py --batch 16  # also copies made in batches of 16 letters

The letters are those `benchmarks/bench_personalise.py` makes (its invented recipients, in
several languages), dated 2026-11-28 so that PDFs of two versions can be compared page by page
(`pdftoppm -png -r 60`). The first letter of each language warms up (fonts, hyphenation
dictionaries, stylesheets) and is not counted. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_personalise import AUDIENCE, SAMPLE, recipients
from benchmarks.sample import make_project

DAY = dt.date(2026, 11, 28)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=40, help="letters measured")
    parser.add_argument("--batch", type=int, default=0, help="also measure copies made in "
                        "batches of this many letters of one language (`LetterBatch`), per copy")
    parser.add_argument("--out", type=Path, help="write the first letter and copy of each "
                        "language here")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    from generator.make.letter import letter_audience, letter_html
    from generator.make.pdf import isolate_fonts
    from generator.project import OutputId, Project
    from generator.read.recipients import load_recipients, recipients_path
    from generator.run.personalise import languages_for
    from generator.run.pipeline import load_brief, prepare
    from generator.run.workers import PersonalJob, RenderJob

    folder = make_project(Path(tempfile.mkdtemp(prefix="brief-bench-letter-")))
    try:
        recipients(folder / "content" / SAMPLE / "recipients.csv", 36)
        project = Project.at(folder)
        isolate_fonts(project)
        brief = load_brief(project, SAMPLE)
        audience = brief.audience(AUDIENCE)
        assert audience is not None
        rows, _ = load_recipients(recipients_path(brief), brief, audience)
        languages, _ = languages_for(brief, audience, rows, {r.id for r in rows})
        design = letter_audience(audience)
        bodies: dict[str, bytes] = {}
        jobs = []
        for row in rows:
            language = languages[row.id]
            output = OutputId(brief.id, audience.name, language, row.id)
            if language not in bodies:
                body = prepare(project, brief, OutputId(brief.id, audience.name, language))
                bodies[language] = RenderJob(output, body.html, brief.folder, audience, "body",
                                             brief.path).render(project).pdf
            letter = RenderJob(output, letter_html(project, brief, audience, row, language,
                                                   today=DAY),
                               brief.folder, design, "letter", brief.path)
            jobs.append(PersonalJob(letter, bodies[language], "body", f"Letter to {row.name}",
                                    language, "t", row.name))
        seen: set[str] = set()
        for job in jobs:  # warm up: one letter and copy per language
            if job.language not in seen:
                seen.add(job.language)
                letter_pdf, copy = job.letter.render(project).pdf, job.render(project).pdf
                if args.out:
                    args.out.mkdir(parents=True, exist_ok=True)
                    (args.out / f"letter-{job.language}.pdf").write_bytes(letter_pdf)
                    (args.out / f"copy-{job.language}.pdf").write_bytes(copy)
        letters: list[tuple[float, float, int]] = []
        copies: list[tuple[float, float, int]] = []
        for n in range(args.n):
            job = jobs[n % len(jobs)]
            for kind, run in (("letter", job.letter.render), ("copy", job.render)):
                wall, cpu = time.perf_counter(), time.process_time()
                made = run(project)
                measured = (time.perf_counter() - wall, time.process_time() - cpu,
                            len(made.pdf))
                (letters if kind == "letter" else copies).append(measured)
        batched = _batched(project, jobs, args.batch, args.n) if args.batch else []
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    _report({"letter laid out (RenderJob)": letters,
             "copy: letter + join (PersonalJob)": copies,
             f"copy in a batch of {args.batch} (LetterBatch)": batched})


def _report(rows: dict[str, list[tuple[float, float, int]]]) -> None:
    for name, times in rows.items():
        if not times:
            continue
        print(f"{name:36s} CPU {statistics.median(t[1] for t in times) * 1000:6.1f} ms   "
              f"wall {statistics.median(t[0] for t in times) * 1000:6.1f} ms   "
              f"{statistics.median(t[2] for t in times) / 1024:6.1f} KiB   (median of "
              f"{len(times)})")


def _batched(project, jobs, size: int, n: int) -> list[tuple[float, float, int]]:
    """Copies made in batches of `size` letters of one language: per copy, wall and CPU
    seconds and bytes (a batch's share), at least `n` of them, warm."""
    from generator.run.workers import LetterBatch

    by_language: dict[str, list] = {}
    for job in jobs:
        by_language.setdefault(job.language, []).append(job)
    groups = [LetterBatch(tuple(group[:size])) for group in by_language.values()
              if len(group) >= size]
    for batch in groups:  # warm up
        batch.render(project)
    measured: list[tuple[float, float, int]] = []
    while groups and len(measured) < n:
        for batch in groups:
            wall, cpu = time.perf_counter(), time.process_time()
            made = batch.render(project)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            measured += [(wall / len(made), cpu / len(made), len(copy.pdf))
                         for copy in made]
    return measured


if __name__ == "__main__":
    main()
