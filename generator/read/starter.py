"""starter: an empty folder → an organisation's own project (`brief init FOLDER`): its identity
(`_brand.yml`, commented, in the brand.yml layout docs/brand.md describes), its designs
(`content/audiences.yaml`: full, mep, handout, web, drawn with the packaged templates and
stylesheets), a first brief (`brief new`'s, `scaffold`) and a `.gitignore` for `out/`; nothing
else. The project has no `templates/` or `styles/`: the packaged ones are used
(`project.Layers`), and a file of the same name there overrides one (`brief override`).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import BriefError, ContentError, Mark
from ..project import OUT_DIR, Project
from ..run.write import write_atomic
from ..text import locale
from .brand import BRAND_FILE
from .languages import language_problem
from .scaffold import brief_yaml

#: The first brief's id.
FIRST_BRIEF = "first-brief"

#: The organisation's identity to start from: today's packaged look (teal, Gentium Book Plus
#: and Inter, which the tool ships), every field the tool reads shown once.
BRAND = """\
# Your organisation's identity, in the brand.yml format (https://posit-dev.github.io/brand-yml/)
# that Quarto, Shiny and pkgdown read too; what brand.yml has no field for is under
# `defaults: brief:`. Every design (content/audiences.yaml) takes its colours, type, logo and
# letterhead from here. See docs/brand.md.
meta:
  name:
    full: "Your Organisation"
    short: "YO"
  link:
    home: "https://example.org"

# Your logo, light and dark (on the accent colour), SVG or PNG, relative to this file:
# logo:
#   images:
#     mark: {path: brand/logo-mark.svg, alt: "Your Organisation"}
#     mark-white: {path: brand/logo-mark-white.svg, alt: "Your Organisation"}
#   small: mark
#   medium: {light: mark, dark: mark-white}
#   large: {light: brand/logo.svg, dark: brand/logo-white.svg}

color:
  palette:
    teal: "#0b5c6b"
    ink: "#1a1a1a"
    slate: "#5b6670"
    white: "#ffffff"
  primary: teal        # headings, rules, the cover
  secondary: slate     # running heads, subtitles
  foreground: ink      # text
  background: white    # the page
  warning: "#a33a00"   # a placeholder's mark

typography:
  fonts:
    # families the tool ships need no files; your own: `source: file` and their `files:`
    - family: "Gentium Book Plus"
      source: system
    - family: "Inter"
      source: system
  base: {family: "Gentium Book Plus"}
  headings: {family: "Inter", weight: 600}

defaults:
  brief:
    # Each colour's CMYK value for print (PDF/X) outputs, 0–1; a colour without one is
    # converted with the output's ICC profile (the build says which).
    cmyk:
      teal: [0.92, 0.32, 0.35, 0.38]
    # The letterhead of cover letters (brief personalise):
    # address: |
    #   Street 1
    #   1000 AA City
    # transparency-register: "000000000000-00"
    # signatory: {name: "Your Name", role: "Director"}
"""

#: The designs to start from, each drawn with the packaged templates and stylesheets; `{lang}`
#: is the project's language.
AUDIENCES = """\
# The organisation's designs: a brief lists its audiences and may override any setting here.
# Each design's template and stylesheets are the tool's own (packaged); a file of the same name
# in this project's templates/ or styles/ replaces one (`brief override styles/brief.css`).
# See docs/content-format.md.

full:
  # The whole brief on A4: summary or key messages first, contact last.
  title: {{en: "Full brief (A4, for printing)"}}
  languages: ["{lang}"]
  template: "brief.html.j2"
  stylesheets: ["base.css", "brief.css"]
  page: "A4"
  medium: "paper"
  contact: true
  max_pages: 8

mep:
  # For Members of the European Parliament, read on screen: at most four pages.
  title: {{en: "Brief for Members of the European Parliament"}}
  languages: ["{lang}"]
  template: "brief.html.j2"
  stylesheets: ["base.css", "brief.css", "mep.css"]
  page: "A4"
  medium: "screen"
  contact: true
  max_pages: 4
  fit: [leading, spacing, contact-beside-colophon]

handout:
  # An A5 booklet for events, printed by a print shop: 3 mm bleed, crop marks, a QR code.
  title: {{en: "Handout (A5 booklet)"}}
  languages: ["{lang}"]
  template: "handout.html.j2"
  stylesheets: ["base.css", "handout.css", "print-cmyk.css"]
  page: "A5"
  medium: "paper"
  qr: true
  contact: true
  max_pages: 4
  print:
    bleed: "3mm"
    marks: ["crop"]
    imposition: "booklet"

web:
  # The web edition (out/<brief>/web/): one page per language the brief is complete in.
  template: "web.html.j2"
  stylesheets: ["web.css"]
  medium: "web"
  contact: true
"""

GITIGNORE = f"{OUT_DIR}/\n"
#: The designs of `AUDIENCES`, in its order.
DESIGNS = ("full", "mep", "handout", "web")


@dataclass(frozen=True, slots=True)
class Started:
    """What `init` made."""

    project: Project
    files: tuple[Path, ...]  # every file written
    brief: Path  # the first brief's brief.yaml


def init(folder: Path, *, language: str = "en") -> Started:
    """Make an organisation's project in `folder` (new, or empty but for a `.git`): refuses
    one that holds anything else, and a language the tool has no words for."""
    problem = language_problem(language)
    if problem is None and not locale.has_catalog(language):
        problem = locale.missing_catalog(language, "")
    if problem is not None:
        raise BriefError(f"--language: {problem}")
    if os.path.lexists(folder) and not folder.is_dir():
        raise ContentError(Mark(folder, 1), f"{folder.name} is a file, not a folder; name a "
                           "new or empty folder for the project")
    if folder.is_dir():  # a clone of an empty repository holds only its .git
        held = sorted(p.name for p in folder.iterdir() if p.name != ".git")
        if held:
            shown = ", ".join(held[:4]) + (f" and {len(held) - 4} more" if len(held) > 4 else "")
            raise ContentError(Mark(folder / held[0], 1),
                               f"{folder.name}/ is not empty (it holds {shown}); brief init "
                               "makes a project only in a new or empty folder, and overwrites "
                               "nothing: name another folder")
    project = Project.at(folder)
    written = {
        project.root / BRAND_FILE: BRAND,
        project.audiences_file: AUDIENCES.format(lang=language),
        project.root / ".gitignore": GITIGNORE,
    }
    # `brief new`'s first brief, for every design (without the schemas' copies it writes
    # beside it: `brief schema --write` adds them, the first line already points at them)
    brief = project.brief_file(FIRST_BRIEF)
    written[brief] = brief_yaml(project, FIRST_BRIEF, language, audiences=list(DESIGNS),
                                defined={name: () if name == "web" else (language,)
                                         for name in DESIGNS},
                                overridden=(), today=dt.date.today())
    for path, text in written.items():
        write_atomic(path, text.encode("utf-8"))
    return Started(project, tuple(written), brief)
