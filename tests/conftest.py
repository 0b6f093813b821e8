"""Fixtures only: the sample project built once per test session, in a private copy, and a fresh
copy per test. Shared helpers and test data are in tests/support.py."""

from __future__ import annotations

import logging
import signal

import pytest

from generator.make.pdf import environment_note
from generator.project import OutputId, Project
from generator.run.build import build
from generator.run.pipeline import load_brief

from .support import SAMPLE, copy_project, output_html

# Ctrl-C (SIGINT) reaches the commands the tests start as it would on a terminal, even when the
# suite itself runs as a shell's background job (`nohup … &`, some CI runners), which ignores
# SIGINT — a disposition every child would inherit, so `brief watch` could not be stopped by it.
# A Python handler here is the default again in every child the tests start.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _weasyprint_warnings_fail(caplog):
    """Any WeasyPrint warning in any test is a failure (the build also refuses them), but for
    those about the machine (a library missing: the build says so once, in a note)."""
    yield
    noisy = [r for r in caplog.get_records("call")
             if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING
             and environment_note(r.getMessage()) is None]
    assert not noisy, [r.getMessage() for r in noisy]


@pytest.fixture(scope="session")
def sample_project(tmp_path_factory) -> Project:
    return Project.at(copy_project(tmp_path_factory.mktemp("sample")))


@pytest.fixture(scope="session")
def sample_build(sample_project):
    result = build(sample_project, [SAMPLE])
    assert result.ok, [e.format_message() for _, e in result.failed]
    return result


@pytest.fixture(scope="session")
def sample_brief(sample_project):
    return load_brief(sample_project, SAMPLE)


@pytest.fixture(scope="session")
def outputs(sample_project, sample_build, sample_brief):
    """(audience, language) → (pdf path, html) for every sample PDF (not the web edition's
    pages: tests/test_web_*.py)."""
    found = {}
    for audience in sample_brief.audiences:
        for language in audience.languages if audience.medium != "web" else ():
            html, _ = output_html(sample_project, sample_brief, audience, language)
            found[(audience.name, language)] = (
                sample_project.output_path(OutputId(SAMPLE, audience.name, language)), html)
    return found


@pytest.fixture
def project(tmp_path) -> Project:
    """A fresh private copy of the project, for tests that edit content."""
    return Project.at(copy_project(tmp_path))
