"""The web edition checked in a real browser: runs tests/browser/check.mjs (Node, puppeteer-core,
Debian's headless Chromium, axe-core) on built HTML pages and returns what it found, typed.

A helper for tests, not a test module. Without node, chromium or the Node packages
(`npm ci --prefix tests/browser`, which .ci/install runs) a test that needs the browser is
skipped, with the reason; with BRIEF_REQUIRE_BROWSER=1 (set by .ci/run) it fails instead, so
that CI never passes by checking nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent / "browser"
SCRIPT = HERE / "check.mjs"
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
SECONDS = 600  # a few pages, each loaded four times, on a busy 2-core machine


@dataclass(frozen=True, slots=True)
class Violation:
    """One axe-core rule the page breaks, and where (CSS selectors of the elements)."""

    id: str
    impact: str
    help: str
    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PageReport:
    """What the browser found on one page (check.mjs documents each field)."""

    page: str
    lang: str
    violations: tuple[Violation, ...]
    leaving: tuple[str, ...]  # requests outside the folder tree or to another host
    failed: tuple[str, ...]  # requests that did not load
    csp: tuple[str, ...]  # Content-Security-Policy violations
    console: tuple[str, ...]  # other console errors
    reflow_ok: bool  # no horizontal scrolling at 320 px
    scroll_width: int
    wide: tuple[str, ...]  # the elements that stick out at 320 px
    noterefs: int  # a[role=doc-noteref] on the page
    round_trips: int  # calls whose note and backlink both led where they should
    footnote_problems: tuple[str, ...]
    fragment_links: int  # href="#…" links on the page
    broken_fragments: tuple[str, ...]  # those naming no element
    focus_visible: bool  # the first link, reached by Tab, draws an outline or a shadow
    focus: Mapping[str, Any]

    @property
    def violation_ids(self) -> set[str]:
        return {v.id for v in self.violations}

    def problems(self) -> list[str]:
        """Every failure, in words (for an assertion's message); empty when the page is fine."""
        found = [f"axe {v.id} ({v.impact}): {v.help}; at {', '.join(v.targets)}"
                 for v in self.violations]
        found += [f"request leaves the folder: {url}" for url in self.leaving]
        found += [f"request failed: {url}" for url in self.failed]
        found += [f"CSP: {text}" for text in self.csp]
        found += [f"console: {text}" for text in self.console]
        if not self.reflow_ok:
            found.append(f"reflow: {self.scroll_width} px wide at 320 px; too wide: "
                         f"{', '.join(self.wide)}")
        found += [f"footnote: {text}" for text in self.footnote_problems]
        found += [f"link to nothing: {href}" for href in self.broken_fragments]
        if not self.focus_visible:
            found.append(f"no visible focus on the first link: {json.dumps(self.focus)[:400]}")
        return found


def _browser_missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (`apt-get install nodejs npm`; .ci/install does)"
    if not any(Path(path).exists() for path in CHROMIUM):
        return "chromium is not installed (`apt-get install chromium`; .ci/install does)"
    if not (HERE / "node_modules" / "puppeteer-core").is_dir() \
            or not (HERE / "node_modules" / "axe-core").is_dir():
        return "the Node packages are not installed: `npm ci --prefix tests/browser`"
    return None


def require_browser() -> None:
    """Skip the calling test when the browser cannot run here — or fail, under
    BRIEF_REQUIRE_BROWSER=1 (CI)."""
    missing = _browser_missing()
    if missing is None:
        return
    if os.environ.get("BRIEF_REQUIRE_BROWSER") == "1":
        pytest.fail(f"the browser tests cannot run: {missing} (BRIEF_REQUIRE_BROWSER=1)")
    pytest.skip(f"the browser tests cannot run: {missing}")


def check_pages(pages: Iterable[Path | tuple[Path, Path]], *,
                root: Path | None = None) -> list[PageReport]:
    """Check each page in one headless Chromium, in order. Its requests must stay under its root:
    a (page, root) pair's own, else `root`, else the page's own folder. Skips (or fails, see
    `require_browser`) without a browser."""
    require_browser()
    chromium = next(path for path in CHROMIUM if Path(path).exists())
    command = ["node", str(SCRIPT), "--chromium", chromium]
    for given in pages:
        page, page_root = given if isinstance(given, tuple) else (given, root)
        page = Path(page).resolve()
        command += ["--root", str(Path(page_root or page.parent).resolve()), str(page)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS, check=False)
    assert done.returncode == 0, f"check.mjs exited with {done.returncode}:\n{done.stderr}"
    return [_report(page) for page in json.loads(done.stdout)["pages"]]


def check_page(page: Path, *, root: Path | None = None) -> PageReport:
    [report] = check_pages([page], root=root)
    return report


def _report(raw: Mapping[str, Any]) -> PageReport:
    csp = [f"{e['effective']} blocked {e['blocked']} ({e['source']}:{e['line']})"
           for e in raw["csp"]["events"]]
    return PageReport(
        page=raw["page"],
        lang=raw["lang"],
        violations=tuple(Violation(v["id"], v["impact"] or "", v["help"], tuple(v["targets"]))
                         for v in raw["axe"]["violations"]),
        leaving=tuple(r["url"] for r in raw["requests"]["leaving"]),
        failed=tuple(f"{r['url']} {r['error']}".strip() for r in raw["requests"]["failed"]),
        csp=tuple(csp + list(raw["csp"]["console"])),
        console=tuple(raw["console"]),
        reflow_ok=raw["reflow"]["ok"],
        scroll_width=raw["reflow"]["scrollWidth"],
        wide=tuple(f"{w['element']} ({w['width']} px)" for w in raw["reflow"]["wide"]),
        noterefs=raw["footnotes"]["calls"],
        round_trips=raw["footnotes"]["roundTrips"],
        footnote_problems=tuple(
            f"call {p['call']['index'] + 1} ({p['call']['href']}): {p['problem']}"
            for p in raw["footnotes"]["problems"]),
        fragment_links=raw["fragments"]["links"],
        broken_fragments=tuple(raw["fragments"]["broken"]),
        focus_visible=raw["focus"]["visible"],
        focus=raw["focus"],
    )


def frames(url: str) -> dict[str, Any]:
    """What a page's iframes show in the browser (tests/browser/frames.mjs): each frame's src and
    its document's url, title, lang, body colour and loaded fonts; the page's requests and
    errors. Skips (or fails, see `require_browser`) without a browser."""
    require_browser()
    chromium = next(path for path in CHROMIUM if Path(path).exists())
    done = subprocess.run(["node", str(HERE / "frames.mjs"), "--chromium", chromium, url],
                          capture_output=True, text=True, timeout=SECONDS, check=False)
    assert done.returncode == 0, f"frames.mjs exited with {done.returncode}:\n{done.stderr}"
    found: dict[str, Any] = json.loads(done.stdout)
    return found
