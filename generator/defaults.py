"""Defaults in one place, shared by the CLI and the library API."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONTENT_DIR = "content"
STYLES_DIR = "styles"
TEMPLATES_DIR = "templates"
OUT_DIR = "out"
FONTS_DIR = "fonts"  # inside styles/
BRIEF_FILE = "brief.yaml"
AUDIENCES_FILE = "audiences.yaml"

#: Paper sizes an audience may name, in millimetres (width, height).
PAGE_SIZES_MM = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "A3": (297.0, 420.0)}

#: How an audience's output is read: on paper, URLs are printed in full.
MEDIA = ("paper", "screen")

#: PDF standards an audience can claim (`pdf:`), and WeasyPrint's name for each.
PDF_STANDARDS = {"ua-1": "pdf/ua-1", "x-4": "pdf/x-4", "none": None}

#: The CMYK characterisation print outputs declare as their output intent (styles/color/).
OUTPUT_PROFILE = "color/FOGRA39L-coated.icc"

#: Print marks WeasyPrint can draw.
PRINT_MARKS = ("crop", "cross")

#: Largest bleed we accept, in millimetres.
MAX_BLEED_MM = 10.0


RENDER_TIMEOUT_S = 120.0
RENDER_MEMORY_MB = 2048


@dataclass(frozen=True, slots=True)
class RenderLimits:
    """Limits for rendering one output in a worker process (CLI: --timeout, --memory-limit)."""

    seconds: float = RENDER_TIMEOUT_S
    memory_mb: int = RENDER_MEMORY_MB


def default_jobs() -> int:
    """Worker processes for rendering: one per core."""
    import os

    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


@dataclass(frozen=True, slots=True)
class Project:
    """The folders of one brief project; every path the build reads or writes derives from it."""

    root: Path

    @classmethod
    def at(cls, root: str | Path = ".") -> "Project":
        return cls(Path(root).resolve())

    @property
    def content(self) -> Path:
        return self.root / CONTENT_DIR

    @property
    def styles(self) -> Path:
        return self.root / STYLES_DIR

    @property
    def templates(self) -> Path:
        return self.root / TEMPLATES_DIR

    @property
    def fonts(self) -> Path:
        return self.styles / FONTS_DIR

    @property
    def out(self) -> Path:
        return self.root / OUT_DIR

    @property
    def audiences_file(self) -> Path:
        return self.content / AUDIENCES_FILE

    def brief_file(self, brief_id: str) -> Path:
        return self.content / brief_id / BRIEF_FILE

    def brief_ids(self) -> list[str]:
        """Every folder under content/ that holds a brief.yaml, sorted."""
        if not self.content.is_dir():
            return []
        return sorted(p.parent.name for p in self.content.glob(f"*/{BRIEF_FILE}"))

    def output_path(self, brief_id: str, audience: str, language: str) -> Path:
        return self.out / brief_id / f"{brief_id}.{audience}.{language}.pdf"

    def relative(self, path: Path) -> str:
        """A path as the user should see it in messages: relative to the project when inside."""
        try:
            return str(Path(path).resolve().relative_to(self.root))
        except ValueError:
            return str(path)
