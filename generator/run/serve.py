"""serve: HTTP requests on 127.0.0.1 → the preview pages in out/ (`brief watch --preview`), and
nothing else.

A server in a thread, on an ephemeral port of 127.0.0.1. It answers only:
`/` (the briefs previewed, linked), `/index.version`, `/<brief>/preview.html`,
`/<brief>/preview/version.txt`, `/<brief>/preview/<page image>` and the web edition's files,
`/<brief>/web/…` (a page, a stylesheet, a font, an image, a PDF: by suffix, `_WEB_TYPES`; a folder's
`index.html` for the folder) — each path checked piece by piece against the names `preview`
and the web build write, so there is no directory listing and no way out of `out/<brief>/web/`
or `out/` (`..`, encoded or not, is refused), and only requests addressed to 127.0.0.1 or
localhost (a web page elsewhere cannot reach it through DNS rebinding).

Within limits, whatever clients do: one thread reads every connection's request (`selectors`),
and only a complete request goes to one of `MAX_HANDLERS` threads that answer (the standard
library's `BaseHTTPRequestHandler` parses it). A client has `REQUEST_TIMEOUT` seconds to send
its request and as long to take the answer; at most `MAX_CONNECTIONS` are open at once, and past
that the one waiting longest for its request to arrive is dropped, so that slow or stuck
clients (or thousands of them) hold neither threads nor the server, and it answers again as soon
as they go. A client that hangs up, resets or times out is not an error: nothing is logged.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import re
import selectors
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..project import BRIEF_FILE, BRIEF_ID_RE, Project
from .preview import (
    IMAGE_RE,
    PAGE_NAME,
    PREVIEW_DIR,
    VERSION_NAME,
    WEB_DIR,
    WEB_PAGE,
    render_index,
    render_waiting,
)

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
#: Threads answering requests (a browser asks for a page's images six or so at a time).
MAX_HANDLERS = 16
#: Connections open at once: being read, waiting for a thread, or being answered.
MAX_CONNECTIONS = 128
#: Seconds a client has to send its whole request, and again to take the whole answer.
REQUEST_TIMEOUT = 10.0
#: Bytes of a request's line and headers (a browser's are well under 2 KiB).
MAX_HEAD = 16 * 1024
_HOSTS = re.compile(r"^(127\.0\.0\.1|localhost)(:\d+)?$")
_CSP = ("default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; connect-src 'self'; frame-src 'self'; base-uri 'none'; "
        "form-action 'none'")
#: The web edition's files: what a static host would serve them as, no script, framed only by
#: the preview (the page's own policy, in its <meta>, applies as well).
_WEB_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
_TYPES = {".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
          ".webp": "image/webp"}
_WEB_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
              ".woff2": "font/woff2", ".png": "image/png", ".svg": "image/svg+xml",
              ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
              ".pdf": "application/pdf"}  # a page's downloads lie beside it
#: A name in the web edition's folder: no hidden files, no odd characters.
_WEB_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
#: A client that hung up, reset the connection or ran out of time: its business, not an error.
_HUNG_UP = (BrokenPipeError, ConnectionError, TimeoutError)


class PreviewServer:
    """The preview pages of a project's out/ folder, served on 127.0.0.1 until `close`."""

    def __init__(self, project: Project, port: int = 0) -> None:
        self.out = project.out
        handler = type("_Bound", (_Handler,), {"out": project.out, "content": project.content})
        self.httpd = _Server(handler, port)
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="brief-preview",
                                       daemon=True)

    @property
    def port(self) -> int:
        return self.httpd.port

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
        self.thread.join(timeout=5)
        self.httpd.server_close()

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class _Reading:
    """A connection whose request is still arriving."""

    address: tuple[str, int]
    deadline: float
    head: bytearray = field(default_factory=bytearray)


class _Server:
    """Reads requests in one thread, answers complete ones in a fixed pool of threads."""

    def __init__(self, handler: type[_Handler], port: int) -> None:
        self.handler = handler
        self.socket = socket.create_server((HOST, port), backlog=128)
        self.socket.setblocking(False)
        self.port = int(self.socket.getsockname()[1])
        self._wake_in, self._wake_out = socket.socketpair()
        for end in (self._wake_in, self._wake_out):
            end.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._wake_in, selectors.EVENT_READ)
        self._listening = False
        self._pause_until = 0.0  # out of file descriptors: accept again after this
        self._reading: dict[socket.socket, _Reading] = {}  # oldest first
        self._answering: set[socket.socket] = set()  # handed to the pool, not yet closed
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._pool = ThreadPoolExecutor(MAX_HANDLERS, thread_name_prefix="brief-preview-answer")

    def serve_forever(self) -> None:
        try:
            while not self._stop.is_set():
                self._listen_if_room()
                for key, _ in self._selector.select(self._wait()):
                    if key.fileobj is self.socket:
                        self._accept()
                    elif key.fileobj is self._wake_in:
                        with contextlib.suppress(OSError):
                            self._wake_in.recv(4096)
                    else:
                        assert isinstance(key.fileobj, socket.socket)
                        self._read(key.fileobj)
                self._expire()
        finally:
            for connection in list(self._reading):
                self._drop(connection)
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop serving (connections being answered finish within `REQUEST_TIMEOUT`)."""
        self._stop.set()
        self._wake()
        self._stopped.wait(timeout=5)

    def server_close(self) -> None:
        self._pool.shutdown(wait=False)  # those queued find their connection shut, and close it
        with self._lock:  # answers still being sent end now, not at their timeout
            answering = list(self._answering)
        for connection in answering:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(self.socket)
        self._selector.close()
        for end in (self.socket, self._wake_in, self._wake_out):
            end.close()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # already woken (full) or closed
            self._wake_out.send(b"\0")

    def _open(self) -> int:
        with self._lock:
            return len(self._reading) + len(self._answering)

    def _wait(self) -> float:
        """Seconds until the next request's deadline (at most 1)."""
        now = time.monotonic()
        soonest = min((r.deadline for r in self._reading.values()), default=now + 1)
        if not self._listening and self._pause_until > now:
            soonest = min(soonest, self._pause_until)
        return max(0.0, min(1.0, soonest - now))

    def _listen_if_room(self) -> None:
        """Accept connections while there is room (else they wait in the listen backlog)."""
        room = self._open() < MAX_CONNECTIONS or bool(self._reading)
        wanted = room and time.monotonic() >= self._pause_until
        if wanted and not self._listening:
            self._selector.register(self.socket, selectors.EVENT_READ)
        elif not wanted and self._listening:
            self._selector.unregister(self.socket)
        self._listening = wanted

    def _accept(self) -> None:
        while self._open() < MAX_CONNECTIONS or self._reading:
            try:
                connection, address = self.socket.accept()
            except BlockingIOError:
                return
            except OSError as exc:  # out of file descriptors, or the client gave up
                log.debug("preview server: cannot accept: %s", exc)
                self._pause_until = time.monotonic() + 0.5
                return
            if self._open() >= MAX_CONNECTIONS:  # make room: drop the longest waiting
                self._drop(next(iter(self._reading)))
            connection.setblocking(False)
            with self._lock:
                self._reading[connection] = _Reading(address,
                                                     time.monotonic() + REQUEST_TIMEOUT)
            self._selector.register(connection, selectors.EVENT_READ)
            self._read(connection)  # a request sent at once is taken before it can be dropped

    def _read(self, connection: socket.socket) -> None:
        reading = self._reading.get(connection)
        if reading is None:
            return
        try:
            data = connection.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # hung up
            self._drop(connection)
            return
        reading.head += data
        if b"\r\n\r\n" in reading.head or b"\n\n" in reading.head:
            self._selector.unregister(connection)
            with self._lock:
                del self._reading[connection]
                self._answering.add(connection)
            self._pool.submit(self._answer, connection, bytes(reading.head), reading.address)
        elif len(reading.head) > MAX_HEAD:
            self._drop(connection)

    def _expire(self) -> None:
        now = time.monotonic()
        for connection in [c for c, r in self._reading.items() if r.deadline <= now]:
            self._drop(connection)

    def _drop(self, connection: socket.socket) -> None:
        """Close a connection whose request has not arrived."""
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(connection)
        with self._lock:
            self._reading.pop(connection, None)
        connection.close()

    def _answer(self, connection: socket.socket, head: bytes, address: tuple[str, int]
                ) -> None:
        """Answer one complete request, in a thread of the pool."""
        try:
            connection.settimeout(REQUEST_TIMEOUT)
            self.handler(connection, head, address)
        except _HUNG_UP:
            pass
        except Exception:  # a bug: said, and the server goes on
            log.exception("preview server: answering %s failed", address)
        finally:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
            with self._lock:
                self._answering.discard(connection)
            self._wake()


class _Writer(io.BufferedIOBase):
    """A handler's `wfile`: every write sent whole, within the socket's timeout."""

    def __init__(self, connection: socket.socket) -> None:
        super().__init__()
        self._connection = connection

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer, /) -> int:
        view = memoryview(data)
        self._connection.sendall(view)
        return view.nbytes


@dataclass(frozen=True, slots=True)
class _Found:
    """What a path names: its bytes, their type (by suffix) and caching; `web`: a file of the
    web edition (its types and policy, `_WEB_TYPES`, `_WEB_CSP`)."""

    data: bytes
    suffix: str
    cache: str
    web: bool = False


def previewed_briefs(out: Path) -> list[str]:
    """The briefs with a preview page in out/."""
    if not out.is_dir():
        return []
    return sorted(p.parent.name for p in out.glob(f"*/{PAGE_NAME}")
                  if BRIEF_ID_RE.match(p.parent.name))


class _Handler(BaseHTTPRequestHandler):
    """Answers one request whose line and headers (`head`) were read already."""

    out: Path  # set on the class bound to one project
    content: Path
    server_version = "brief-preview"

    def __init__(self, connection: socket.socket, head: bytes, address: tuple[str, int]
                 ) -> None:  # as socketserver.BaseRequestHandler's, without a server
        self.request = connection
        self.client_address = address
        self.head = head
        self.setup()
        try:
            self.handle()
        finally:
            self.finish()

    def setup(self) -> None:
        self.connection = self.request
        self.rfile = io.BytesIO(self.head)
        self.wfile = _Writer(self.request)

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
        self._send(HTTPStatus.OK, found.data, found.suffix, found.cache, web=found.web, body=body)

    def _resolve(self, path: str) -> _Found | None:
        """What a path names: its bytes, type and caching, or None (nothing, or not allowed)."""
        parts = [unquote(part) for part in path.split("/")]  # an encoded / stays in its part
        if parts[0] != "" or any(p in (".", "..") or any(c in p for c in "/\\\0")
                                 for p in parts):
            return None
        parts = parts[1:]
        if parts in ([""], ["index.html"], ["index.version"]):
            briefs = previewed_briefs(self.out)
            if parts == ["index.version"]:
                return _Found(_digest(briefs).encode(), ".txt", "no-store")
            return _Found(render_index(briefs, _digest(briefs)).encode(), ".html", "no-cache")
        if len(parts) < 2 or not BRIEF_ID_RE.match(parts[0]):
            return None
        if parts[1] == WEB_DIR:
            return self._web_file(self.out / parts[0] / WEB_DIR, parts[2:])
        return self._brief_file(parts[0], parts[1:])

    def _brief_file(self, brief_id: str, parts: list[str]) -> _Found | None:
        """A brief's preview page, its version or one of its page images."""
        folder = self.out / brief_id
        if parts == [PAGE_NAME]:
            data = self._read(folder / PAGE_NAME)
            if data is None and (self.content / brief_id / BRIEF_FILE).is_file():
                # not written yet: a page that reloads once it is
                return _Found(render_waiting(brief_id).encode(), ".html", "no-store")
            if data is None:
                return None
            return _Found(data, ".html", "no-cache")
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
        return None if data is None else _Found(data, suffix, cache)

    def _web_file(self, web: Path, parts: list[str]) -> _Found | None:
        """A file of the web edition, under out/<brief>/web/ and nowhere else: a folder's
        index.html for the folder (`web/`, `web/en/`), else a file of a type it uses."""
        if parts and parts[-1] == "":  # a folder, as a static host serves it
            parts = [*parts[:-1], WEB_PAGE]
        if not parts or not all(_WEB_NAME.match(part) for part in parts):
            return None
        suffix = Path(parts[-1]).suffix.lower()
        if suffix not in _WEB_TYPES:
            return None
        data = self._read(web.joinpath(*parts), within=web)
        return None if data is None else _Found(data, suffix, "no-cache", web=True)

    def _read(self, path: Path, within: Path | None = None) -> bytes | None:
        """A file's bytes, if it is a file inside out/ (or `within`, a folder of it), not
        through a link elsewhere."""
        try:
            inside = (within or self.out).resolve()
            if not path.resolve().is_relative_to(inside) \
                    or not path.resolve().is_relative_to(self.out.resolve()) or not path.is_file():
                return None
            return path.read_bytes()
        except OSError:
            return None

    def _send(self, status: HTTPStatus, data: bytes, suffix: str, cache: str = "no-store", *,
              web: bool = False, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", (_WEB_TYPES if web else _TYPES)[suffix])
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", _WEB_CSP if web else _CSP)
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if body:
            self.wfile.write(data)


def _digest(briefs: list[str]) -> str:
    return hashlib.sha256("\0".join(briefs).encode()).hexdigest()[:16]
