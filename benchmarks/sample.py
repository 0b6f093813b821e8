"""Synthetic projects for benchmarks: the sample brief with its expert sections repeated N times."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def make_project(target: Path, repeat: int = 1, audiences: str | None = None) -> Path:
    """A copy of the project whose sample brief has its expert sections repeated `repeat` times
    (ids made unique; page budgets lifted) — about 5 pages and 11 notes per repetition."""
    for folder in ("styles", "templates", "content/expert-advice"):  # the sample brief only
        shutil.copytree(REPO / folder, target / folder)
    shutil.copy(REPO / "content" / "audiences.yaml", target / "content" / "audiences.yaml")
    path = target / "content" / "expert-advice" / "brief.yaml"
    text = path.read_text(encoding="utf-8")
    if repeat > 1:
        head, rest = text.split('  - id: "nationaal-rapporteur"', 1)
        experts, sources = rest.split("\nsources:", 1)
        experts = '  - id: "nationaal-rapporteur"' + experts
        copies = [experts] + [re.sub(r'id: "([a-z0-9-]+)"', rf'id: "\1-{n}"', experts)
                              for n in range(2, repeat + 1)]
        text = head + "".join(c if c.endswith("\n") else c + "\n" for c in copies) \
            + "\nsources:" + sources
    if audiences is not None:  # the brief's `audiences:`, a list or a mapping over lines
        text, found = re.subn(r"^audiences:[^\n]*\n(?:(?:[ \t]+[^\n]*|[ \t]*#[^\n]*)?\n)*",
                              f"audiences: {audiences}\n", text, count=1, flags=re.M)
        if not found:
            raise SystemExit(f"{path}: no `audiences:` to replace")
    elif repeat > 1:  # the brief's own page budgets, lifted too
        text = re.sub(r"(\{[^}\n]*?),?\s*max_pages: \d+", r"\1", text)
    path.write_text(text, encoding="utf-8")
    aud = target / "content" / "audiences.yaml"
    aud.write_text(re.sub(r"\n  max_pages: \d+", "", aud.read_text(encoding="utf-8")))
    return target
