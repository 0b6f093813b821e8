"""serve: HTTP requests on 127.0.0.1 → the preview pages in out/ (`brief watch --preview`), and
nothing else.

A `ThreadingHTTPServer` in a thread, on an ephemeral port of 127.0.0.1. It answers only:
`/` (the briefs previewed, linked), `/index.version`, `/<brief>/preview.html`,
`/<brief>/preview/version.txt` and `/<brief>/preview/<page image>` — each path checked piece by
piece against the names `preview` writes, so there is no directory listing and no way out of
`out/` (`..`, encoded or not, is refused), and only requests addressed to 127.0.0.1 or localhost
(a web page elsewhere cannot reach it through DNS rebinding).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .preview import IMAGE_RE, PAGE_NAME, PREVIEW_DIR, VERSION_NAME, render_index, render_waiting
from .project import BRIEF_FILE, BRIEF_ID_RE, Project

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
_HOSTS = re.compile(r"^(127\.0\.0\.1|localhost)(:\d+)?$")
_CSP = ("default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'")
_TYPES = {".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
          ".webp": "image/webp"}


class PreviewServer:
    """The preview pages of a project's out/ folder, served on 127.0.0.1 until `close`."""

    def __init__(self, project: Project, port: int = 0) -> None:
        self.out = project.out
        handler = type("_Bound", (_Handler,), {"out": project.out, "content": project.content})
        self.httpd = ThreadingHTTPServer((HOST, port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="brief-preview",
                                       daemon=True)

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def url(self, brief_ids: list[str] | None = None) -> str:
        """The page to open: one brief's preview, or the list of briefs."""
        base = f"http://{HOST}:{self.port}/"
        return f"{base}{brief_ids[0]}/{PAGE_NAME}" if brief_ids and len(brief_ids) == 1 \
            else base

    def start(self) -> PreviewServer:
        self.thread.start()
        return self

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def previewed_briefs(out: Path) -> list[str]:
    """The briefs with a preview page in out/."""
    if not out.is_dir():
        return []
    return sorted(p.parent.name for p in out.glob(f"*/{PAGE_NAME}")
                  if BRIEF_ID_RE.match(p.parent.name))


class _Handler(BaseHTTPRequestHandler):
    out: Path  # set on the class bound to one project
    content: Path
    server_version = "brief-preview"

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("preview server: " + format, *args)

    def _answer(self, *, body: bool) -> None:
        if not _HOSTS.match(self.headers.get("Host", "")):
            self._send(HTTPStatus.MISDIRECTED_REQUEST, b"only 127.0.0.1 is served\n", ".txt",
                       body=body)
            return
        found = self._resolve(urlsplit(self.path).path)
        if found is None:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", ".txt", body=body)
            return
        data, suffix, cache = found
        self._send(HTTPStatus.OK, data, suffix, cache, body=body)

    def _resolve(self, path: str) -> tuple[bytes, str, str] | None:
        """What a path names: its bytes, type and caching, or None (nothing, or not allowed)."""
        parts = [unquote(part) for part in path.split("/")]  # an encoded / stays in its part
        if parts[0] != "" or any(p in (".", "..") or any(c in p for c in "/\\\0")
                                 for p in parts):
            return None
        parts = parts[1:]
        if parts in ([""], ["index.html"], ["index.version"]):
            briefs = previewed_briefs(self.out)
            if parts == ["index.version"]:
                return _digest(briefs).encode(), ".txt", "no-store"
            return render_index(briefs, _digest(briefs)).encode(), ".html", "no-cache"
        if len(parts) < 2 or not BRIEF_ID_RE.match(parts[0]):
            return None
        return self._brief_file(parts[0], parts[1:])

    def _brief_file(self, brief_id: str, parts: list[str]) -> tuple[bytes, str, str] | None:
        """A brief's preview page, its version or one of its page images."""
        folder = self.out / brief_id
        if parts == [PAGE_NAME]:
            data = self._read(folder / PAGE_NAME)
            if data is None and (self.content / brief_id / BRIEF_FILE).is_file():
                # not written yet: a page that reloads once it is
                return render_waiting(brief_id).encode(), ".html", "no-store"
            if data is None:
                return None
            return data, ".html", "no-cache"
        if len(parts) != 2 or parts[0] != PREVIEW_DIR:
            return None
        if parts[1] == VERSION_NAME:
            suffix, cache = ".txt", "no-store"
        elif IMAGE_RE.match(parts[1]):  # named by its PDF's digest: it never changes
            suffix, cache = ".webp", "max-age=31536000, immutable"
        else:
            return None
        data = self._read(folder / PREVIEW_DIR / parts[1])
        if data is None and parts[1] == VERSION_NAME:  # none yet: the waiting page waits on
            data = b""
        return None if data is None else (data, suffix, cache)

    def _read(self, path: Path) -> bytes | None:
        """A file's bytes, if it is a file inside out/ (not through a link elsewhere)."""
        try:
            if not path.resolve().is_relative_to(self.out.resolve()) or not path.is_file():
                return None
            return path.read_bytes()
        except OSError:
            return None

    def _send(self, status: HTTPStatus, data: bytes, suffix: str, cache: str = "no-store", *,
              body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", _TYPES[suffix])
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", _CSP)
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if body:
            self.wfile.write(data)


def _digest(briefs: list[str]) -> str:
    return hashlib.sha256("\0".join(briefs).encode()).hexdigest()[:16]
