"""One join (generator/make/join.py): the sample's MEP brief in English and a one-page letter.

    python3 benchmarks/join.py [--runs N]

Builds the sample in a temporary copy, renders a one-page letter with the MEP audience, then
times `join` (median of N runs, in one process): what `brief personalise` pays per recipient
on top of rendering the letter.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.sample import make_project
from generator.make.join import Part, join
from generator.make.pdf import render_pdf
from generator.project import OutputId, Project
from generator.run.pipeline import load_brief

LETTER = """<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8"><title>List</title></head>
<body><p>Szanowna Pani Zoë Ångström,</p><p>przesyłamy <a href="https://example.org/">naszą
analizę</a>. Zobacz <a href="#sig">podpis</a>.</p><p id="sig">Z poważaniem</p></body></html>"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=101)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder) / "project")
        subprocess.run([sys.executable, "-m", "generator", "--project", str(root), "build",
                        "expert-advice"], check=True, capture_output=True)
        project = Project.at(root)
        body = project.output_path(OutputId("expert-advice", "mep", "en")).read_bytes()
        audience = load_brief(project, "expert-advice").audience("mep")
        assert audience is not None
        letter = render_pdf(LETTER, project.content / "expert-advice", audience, project,
                            output_name="letter", identifier="letter").pdf
    parts = [Part(letter, "List do Zoë Ångström", "pl", numbered=False),
             Part(body, "The brief", "en", numbered=True)]
    times = []
    for number in range(runs):
        start = time.perf_counter()
        joined = join(parts, title=f"The brief — Zoë Ångström {number}", language="pl",
                      identifier=f"zoe-{number}")
        times.append(time.perf_counter() - start)
    print(f"join: letter (1 page, {len(letter) // 1024} kB) + MEP brief ({joined.pages - 1} "
          f"pages, {len(body) // 1024} kB) → {len(joined.pdf) // 1024} kB: median "
          f"{statistics.median(times) * 1000:.1f} ms over {runs} runs (min {min(times) * 1000:.1f}"
          " ms)")


if __name__ == "__main__":
    main()
