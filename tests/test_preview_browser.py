"""`brief watch --preview` in a real browser: headless Chromium (Debian's `chromium`) loads the
served page, shows one loaded image per page of every output, and after a save shows the new
pages without being reloaded by the test. Driven through the Chrome DevTools Protocol over
`--remote-debugging-pipe` (JSON messages on file descriptors 3 and 4: no extra package).
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.project import Project

from .support import REPO, TINY, edit, write

pytestmark = pytest.mark.slow  # starts `brief watch` (worker processes) and a browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BRIEF = "tiny"
SECONDS = 90.0  # for a build and the page to follow it, on a busy 2-core machine


def _chromium() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/install installs it (apt-get install "
                        "chromium)")
        pytest.skip("chromium is not installed (`apt-get install chromium`; CI installs it)")
    return CHROMIUM


class Browser:
    """Headless Chromium driven through the DevTools Protocol on a pipe, with one page."""

    def __init__(self, executable: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="brief-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        self.process = subprocess.Popen(  # bash puts the pipe ends on fds 3 and 4 (dash: one digit)
            ["bash", "-c", f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}', executable,
             "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-dev-shm-usage", f"--user-data-dir={self.profile}",
             "--remote-debugging-pipe", "about:blank"],
            pass_fds=(to_browser_r, from_browser_w), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._id = 0
        self._buffer = b""
        self.events: list[dict] = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        self.send("Log.enable", session=True)
        self.send("Runtime.enable", session=True)

    def send(self, method: str, params: dict | None = None, *, session: bool = False) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._from_browser, 1 << 16)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def open(self, url: str) -> None:
        self.send("Page.navigate", {"url": url}, session=True)

    def evaluate(self, expression: str):
        reply = self.send("Runtime.evaluate", {"expression": expression,
                                               "returnByValue": True}, session=True)
        return reply["result"].get("value")

    def images(self) -> list[tuple[str, int, str]]:
        """Each <img> of the page: its src as written, its naturalWidth, its alt text."""
        found = self.evaluate("JSON.stringify(Array.from(document.images, i => "
                              "[i.getAttribute('src'), i.complete ? i.naturalWidth : 0, i.alt]))")
        return [tuple(image) for image in json.loads(found or "[]")]

    def errors(self) -> list[str]:
        """Console errors and uncaught exceptions seen so far."""
        return [json.dumps(e["params"])[:300] for e in self.events
                if e.get("method") == "Runtime.exceptionThrown"
                or (e.get("method") == "Log.entryAdded"
                    and e["params"]["entry"]["level"] == "error")]

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self.process.wait(timeout=15)
        except (RuntimeError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            os.close(self._to_browser)
            os.close(self._from_browser)
            shutil.rmtree(self.profile, ignore_errors=True)


class Watcher:
    """`brief watch --preview` in a subprocess, its output collected line by line."""

    def __init__(self, project: Project) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "--project", str(project.root), "watch",
             "--preview", "-j", "1", BRIEF],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)

    def url(self) -> str:
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.process.poll() is None, "".join(self.output)
                continue
            if (match := re.match(r"preview: (http://127\.0\.0\.1:\d+/\S*)$", line.strip())):
                return match[1]
        raise AssertionError("no preview URL printed:\n" + "".join(self.output))

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()


def pdf_pages(project: Project) -> int:
    """Pages of every PDF of the brief in out/ (its outputs, and booklets if any)."""
    return sum(len(PdfReader(pdf).pages) for pdf in (project.out / BRIEF).glob("*.pdf"))


def wait_for_page(browser: Browser, project: Project, condition=lambda images: True):
    """The images once the page shows one loaded image per page of the PDFs in out/."""
    deadline = time.monotonic() + SECONDS
    images: list = []
    while time.monotonic() < deadline:
        images = browser.images()
        if images and len(images) == pdf_pages(project) and all(w > 0 for _, w, _ in images) \
                and condition(images):
            return images
        time.sleep(0.25)
    raise AssertionError(f"the page shows {images}, out/ has {pdf_pages(project)} pages")


def test_the_served_preview_shows_every_page_and_follows_a_save(project):
    executable = _chromium()
    write(project, TINY, BRIEF)
    watcher = Watcher(project)
    browser = None
    try:
        url = watcher.url()
        assert url.endswith(f"/{BRIEF}/preview.html")
        browser = Browser(executable)
        browser.open(url)  # perhaps before the first build is done: the page waits for it
        before = wait_for_page(browser, project)
        assert {alt for _, _, alt in before} >= {f"Page 1 of {BRIEF}.full.nl.pdf",
                                                 f"Page 1 of {BRIEF}.mep.en.pdf"}
        assert browser.evaluate("document.documentElement.lang") == "en"

        # A much longer section in the Dutch brief: more pages, new images, no reload by us.
        long_text = " ".join(["Een veel langere tekst over het onderwerp van deze brief."] * 250)
        edit(project.brief_file(BRIEF), '"Noot.^[Een *noot*.]"', f'"{long_text}^[Een *noot*.]"')
        old = {src for src, _, _ in before}
        after = wait_for_page(browser, project, lambda images: len(images) > len(before))
        full_nl = [src for src, _, _ in after if f"{BRIEF}.full.nl." in src]
        assert len(full_nl) > 1 and not set(full_nl) & old  # the new pages, new digests
        assert {src for src, _, _ in after if ".mep.en." in src} <= old  # unchanged output
        assert not browser.errors(), browser.errors()

        # The same page opened as a file: the images load, and nothing polls (no errors).
        browser.events.clear()
        browser.open((project.out / BRIEF / "preview.html").as_uri())
        as_file = wait_for_page(browser, project)
        assert [src for src, _, _ in as_file] == [src for src, _, _ in after]
        time.sleep(1.5)  # longer than the poll interval
        assert not browser.errors(), browser.errors()
    finally:
        if browser is not None:
            browser.close()
        watcher.stop()
    assert "stopped" in "".join(watcher.output)
    assert Path(project.out / BRIEF / "preview.html").is_file()
