"""`brief watch --preview` stopped by a signal — Ctrl-C in its terminal (SIGINT to every process
of the command), `kill -TERM` of the command or of its process group — during a build or while
waiting: it stops its workers and says `stopped`, with no traceback from any process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # starts `brief` and its worker processes


@pytest.mark.parametrize(("signum", "to_group", "when"), [
    (signal.SIGINT, True, "built"),  # Ctrl-C during the first build
    (signal.SIGTERM, True, "built"),
    (signal.SIGTERM, False, "built"),  # `kill -TERM <pid>`: the workers are the parent's to stop
    (signal.SIGTERM, False, "watching"),
    (signal.SIGINT, True, "watching"),
], ids=["int-group-building", "term-group-building", "term-building", "term-watching",
        "int-group-watching"])
def test_a_signal_stops_watch_quietly(project, signum, to_group, when):
    watching = subprocess.Popen(
        [sys.executable, "-m", "generator", "--project", str(project.root), "watch",
         "--preview", "--force", "--jobs", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert watching.stdout is not None
        for line in watching.stdout:
            if line.startswith(when):
                break
        else:
            pytest.fail(f"no line starting {when!r}: {watching.stderr.read()}")
        if to_group:
            os.killpg(watching.pid, signum)
        else:
            watching.send_signal(signum)
        out, err = watching.communicate(timeout=120)
    finally:
        if watching.poll() is None:
            os.killpg(watching.pid, signal.SIGKILL)
            watching.wait()
    assert "Traceback" not in err, err
    assert "KeyboardInterrupt" not in err, err
    assert watching.returncode == 0, (watching.returncode, err)
    assert out.rstrip().endswith("stopped"), out
