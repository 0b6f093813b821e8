"""write: atomic writes; under `deferred_sync` (a run of personal copies) each file is still
complete before it is renamed into place, but flushed to the disk only by `sync`, at once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import generator.run.write
from generator.errors import WriteError
from generator.run.write import deferred_sync, sync, write_atomic_all


@pytest.fixture
def fsynced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What `os.fsync` was called on, by name ('file' or 'folder'), in order."""
    calls: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        calls.append("folder" if os.path.isdir(f"/proc/self/fd/{fd}") else "file")
        real(fd)

    monkeypatch.setattr(generator.run.write.os, "fsync", fsync)
    return calls


def test_each_file_is_flushed_before_its_rename_outside_deferred_sync(tmp_path, fsynced):
    write_atomic_all([(tmp_path / "a.pdf", b"a"), (tmp_path / "b.pdf", b"b")])
    assert fsynced == ["file", "file"]
    assert (tmp_path / "a.pdf").read_bytes() == b"a"


def test_deferred_files_are_in_place_and_flushed_only_by_sync(tmp_path, fsynced):
    (tmp_path / "a.pdf").write_bytes(b"old")
    with deferred_sync() as written:
        write_atomic_all([(tmp_path / "a.pdf", b"new a")])
        write_atomic_all([(tmp_path / "sub" / "b.pdf", b"new b")])
    assert fsynced == []
    assert written == [tmp_path / "a.pdf", tmp_path / "sub" / "b.pdf"]
    assert (tmp_path / "a.pdf").read_bytes() == b"new a"  # complete, renamed into place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "sub"]  # no temp file
    sync(written)
    assert fsynced == ["file", "file", "folder", "folder"]  # each file, then each folder once
    write_atomic_all([(tmp_path / "c.pdf", b"c")])  # after the block: flushed again
    assert fsynced[-1] == "file"


def test_sync_names_the_file_it_could_not_flush(tmp_path):
    with pytest.raises(WriteError) as raised:
        sync([tmp_path / "gone.pdf"])
    assert raised.value.path == Path(tmp_path / "gone.pdf")
