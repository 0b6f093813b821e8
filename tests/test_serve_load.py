"""The preview server (`brief watch --preview`) under load: slow, stuck and rude clients hold
neither its threads nor the server; it answers a normal client meanwhile, serves again once they
go, and says nothing about clients that hung up.

No timed assertions: a normal request must merely complete within a generous 20 s socket
timeout (the old server, a thread per connection, left 2,600 threads and stopped answering).
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import socket
import struct
import threading
import time
from collections.abc import Iterator

import pikepdf
import pytest

import generator.run.serve
from generator.project import OutputId, Project
from generator.run.manifest import Manifest
from generator.run.preview import PAGE_NAME, preview
from generator.run.serve import MAX_HANDLERS, PreviewServer

BRIEF = "tiny"
NL = OutputId(BRIEF, "full", "nl")
SLOW_CLIENTS = 200  # more than the server keeps open at once (MAX_CONNECTIONS)


@pytest.fixture
def previewed(tmp_path) -> Project:
    """A project with one brief previewed: a page and two page images."""
    project = Project.at(tmp_path)
    (project.content / BRIEF).mkdir(parents=True)
    (project.content / BRIEF / "brief.yaml").write_text("title: x\n")
    pdf = pikepdf.new()
    for _ in range(2):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Contents = pdf.make_stream(b"0.5 g 50 50 200 300 re f")
    path = project.output_path(NL)
    path.parent.mkdir(parents=True)
    pdf.save(path)
    manifest = Manifest.load(project.out)
    manifest.record_output(NL, "digest")
    manifest.save()
    preview(project, [BRIEF], dpi=150)
    return project


def get(server: PreviewServer, path: str = f"/{BRIEF}/{PAGE_NAME}") -> tuple[int, bytes]:
    """A normal client's request, within a generous timeout."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def connect(server: PreviewServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=20)


def reset(client: socket.socket) -> None:
    """Close with a reset (RST), as a crashed browser or a killed tab does."""
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    client.close()


@contextlib.contextmanager
def slow_clients(server: PreviewServer, count: int) -> Iterator[list[socket.socket]]:
    """`count` clients that send half a request and hang; half of them reset when they go."""
    clients: list[socket.socket] = []
    try:
        for i in range(count):
            client = connect(server)
            if i % 3:  # some send half a request, some nothing at all
                client.sendall(b"GET /" + BRIEF.encode() + b"/preview.html HTTP/1.1\r\nHost: 12")
            clients.append(client)
        yield clients
    finally:
        for i, client in enumerate(clients):
            reset(client) if i % 2 else client.close()


def threads_added(before: int) -> int:
    """Threads started since (the server's: its reading thread and its answering pool)."""
    return threading.active_count() - before


def test_slow_clients_hold_neither_its_threads_nor_the_server(previewed, capfd, caplog):
    caplog.set_level(logging.DEBUG, logger="generator")
    expected = (previewed.out / BRIEF / PAGE_NAME).read_bytes()
    before = threading.active_count()
    with PreviewServer(previewed) as server, slow_clients(server, SLOW_CLIENTS):
        assert get(server) == (200, expected)  # answered while they hang
        assert threads_added(before) <= MAX_HANDLERS + 1  # the pool and the reading thread
        for _ in range(3 * MAX_HANDLERS):  # more requests than threads, one after another
            assert get(server, "/index.version")[0] == 200
        assert threads_added(before) <= MAX_HANDLERS + 1
    # (the slow clients are gone: half of them reset their connection)
    with PreviewServer(previewed) as server:
        assert get(server) == (200, expected)
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_it_serves_again_once_slow_clients_go(previewed, capfd, caplog):
    caplog.set_level(logging.DEBUG, logger="generator")
    before = threading.active_count()
    with PreviewServer(previewed) as server:
        with slow_clients(server, SLOW_CLIENTS):
            assert get(server)[0] == 200
        for _ in range(20):
            assert get(server, "/")[0] == 200
        assert threads_added(before) <= MAX_HANDLERS + 1
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_client_that_never_finishes_its_request_is_dropped(previewed, monkeypatch):
    monkeypatch.setattr(generator.run.serve, "REQUEST_TIMEOUT", 0.5)
    with PreviewServer(previewed) as server:
        client = connect(server)
        client.sendall(b"GET / HTTP/1.1\r\n")
        assert client.recv(100) == b""  # closed by the server (the 20 s timeout would raise)
        client.close()
        assert get(server, "/")[0] == 200


def test_a_client_that_resets_while_answered_is_not_an_error(previewed, capfd, caplog):
    caplog.set_level(logging.DEBUG, logger="generator")
    images = sorted((previewed.out / BRIEF / "preview").glob("*.webp"))
    path = f"/{BRIEF}/preview/{images[0].name}"
    with PreviewServer(previewed) as server:
        for _ in range(50):  # ask for an image, then reset before reading the answer
            client = connect(server)
            client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
            client.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
            reset(client)
        for _ in range(20):  # and some that hang up half-way through their request
            client = connect(server)
            client.sendall(b"GET / HTTP/1.0\r\nHo")
            client.close()
        time.sleep(0.2)  # not an assertion: lets the answers to the reset clients fail first
        assert get(server, path)[0] == 200
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert "Error" not in captured.err
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_an_oversized_request_is_dropped_and_others_still_answered(previewed):
    with PreviewServer(previewed) as server:
        client = connect(server)
        with contextlib.suppress(ConnectionError):
            client.sendall(b"GET / HTTP/1.1\r\nX-Big: " + b"a" * (64 * 1024))
        with contextlib.suppress(ConnectionError):
            assert client.recv(100) == b""
        client.close()
        assert get(server, "/")[0] == 200
