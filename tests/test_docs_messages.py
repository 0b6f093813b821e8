"""The docs stay true: docs/troubleshooting.md names every error class and quotes only messages
the code still prints, and every relative link in README.md and docs/*.md leads somewhere.

A quoted message is each line of a ```text block in docs/troubleshooting.md. It cannot be
compared with the code verbatim (messages are built from f-strings, and carry the user's files
and values), so each is *covered* instead: the fixed pieces of text in the code (string
constants, the literal parts of f-strings, of %-format strings of the libraries whose messages
brief passes on) are found in it, and what is left must be what a message fills in — quoted
values, numbers, paths, a name or two. A reworded message leaves a run of plain words nobody
wrote, and fails.
"""

from __future__ import annotations

import ast
import inspect
import re
from functools import cache
from pathlib import Path

import jinja2
import pytest
import weasyprint
import yaml

import generator
from generator import errors

from .support import REPO

TROUBLESHOOTING = REPO / "docs" / "troubleshooting.md"

#: Packages whose messages a user sees: brief's own, and those it passes on (WeasyPrint's
#: warnings, Jinja2's undefined names, PyYAML's syntax errors).
PACKAGES = (generator, weasyprint, jinja2, yaml)

#: Python's own words that brief passes on (`datetime.date.fromisoformat`'s reason), and the
#: system's (`os.strerror`, in a file that could not be written).
PASSED_ON = ("day is out of range for month", "No space left on device")

MIN_PIECE = 6  # characters of a fixed piece of text worth finding in a message
MAX_LOOSE_WORDS = 2  # plain words in a row a message may fill in (a field name, "nl")

PLACEHOLDER_RE = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrfgixX]|\{[^{}]*\}|\n")
LOCATION_RE = re.compile(r"^.*?:\d+(?::\d+)?: (?:warning: )?|^error: ")
FILLED_IN_RE = re.compile(
    r"(?<!\w)'[^'\n]*?'(?!\w)"  # 'a value'
    r'|"[^"\n]*"'  # "a value"
    r"|`[^`\n]*`"  # `a value`
    r"|\S*[\d/…]\S*"  # numbers, paths, elisions
    r"|\S*\w[.@-]\w\S*")  # names: chart.png, only-full, www.example.org, policy@example.org


def _pieces_of(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return PLACEHOLDER_RE.split(node.value)
    if isinstance(node, ast.JoinedStr):
        return [piece for part in node.values if isinstance(part, ast.Constant)
                for piece in PLACEHOLDER_RE.split(str(part.value))]
    return []


@cache
def fixed_pieces() -> tuple[str, ...]:
    """Every fixed piece of text in the packages' sources, longest first."""
    found: set[str] = set()
    for package in PACKAGES:
        for path in Path(package.__file__).parent.rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                found.update(piece for piece in _pieces_of(node)
                             if len(piece.strip()) >= MIN_PIECE and re.search("[A-Za-z]", piece))
    return tuple(sorted(found | set(PASSED_ON), key=len, reverse=True))


def loose_words(message: str) -> list[str]:
    """The runs of text in `message` that no fixed piece of the code covers and that are not
    filled-in values: each run with more than MAX_LOOSE_WORDS plain words."""
    text = LOCATION_RE.sub("", message, count=1)
    covered = [False] * len(text)
    for piece in fixed_pieces():
        start = text.find(piece)
        while start >= 0:
            covered[start:start + len(piece)] = [True] * len(piece)
            start = text.find(piece, start + 1)
    shown = "".join("\x00" if c else ch for c, ch in zip(covered, text, strict=True))
    runs = re.findall(r"[^\x00]+", shown)
    loose = []
    for run in runs:
        words = re.findall(r"[^\W\d_]{3,}", FILLED_IN_RE.sub(" ", run))
        if len(words) > MAX_LOOSE_WORDS:
            loose.append(run.strip())
    return loose


def quoted_messages() -> list[str]:
    doc = TROUBLESHOOTING.read_text(encoding="utf-8")
    blocks = re.findall(r"^```text\n(.*?)^```", doc, re.DOTALL | re.MULTILINE)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_the_page_quotes_messages():
    assert len(quoted_messages()) >= 60


@pytest.mark.parametrize("message", quoted_messages())
def test_each_quoted_message_is_still_in_the_code(message):
    assert loose_words(message) == [], "reworded in the code? fix docs/troubleshooting.md"


@pytest.mark.parametrize("message", [
    "content/x/brief.yaml:1:2: the moon is made of cheese; eat it",
    "content/x/brief.yaml:1:2: date '2024-02-30' is not a valid date (day is out of range); "
    "write the date as you please",
    "content/x/brief.yaml:8:7: unknown key 'x' in brief; allowed keys are listed in the manual",
])
def test_a_message_the_code_does_not_print_is_caught(message):
    assert loose_words(message)


def test_every_error_class_is_named():
    doc = TROUBLESHOOTING.read_text(encoding="utf-8")
    classes = [name for name, value in vars(errors).items() if inspect.isclass(value)
               and issubclass(value, BaseException) and value.__module__ == errors.__name__]
    assert {"BriefError", "LocatedError", "Bug"} <= set(classes)
    assert [name for name in classes if f"`{name}`" not in doc] == []


# ---------------------------------------------------------------------------------------------
# Links between the docs


DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

#: An inline code span: a run of backticks, then anything (lines too) up to the same run.
CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"`|\*\*|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


@cache
def anchors(path: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"),
                  flags=re.DOTALL | re.MULTILINE)
    found: set[str] = set()
    for heading in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE):
        slug, number = _slug(heading), 1
        while slug in found:  # GitHub numbers repeated headings: -1, -2, …
            slug = f"{_slug(heading)}-{number}"
            number += 1
        found.add(slug)
    return found


def links(path: Path) -> list[str]:
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"),
                  flags=re.DOTALL | re.MULTILINE)
    text = CODE_SPAN_RE.sub("", text)
    return re.findall(r"\]\(([^)\s]+)\)", text)


@pytest.mark.parametrize("page", DOCS, ids=[str(p.relative_to(REPO)) for p in DOCS])
def test_every_relative_link_leads_somewhere(page):
    broken = []
    for link in links(page):
        if re.match(r"[a-z]+:", link):  # https:, mailto:
            continue
        target, _, anchor = link.partition("#")
        path = (page.parent / target).resolve() if target else page
        if not path.exists():
            broken.append(f"{link}: no file {path.relative_to(REPO.resolve())}")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{link}: no heading #{anchor} in {path.name}")
    assert broken == []


def test_the_link_check_can_fail(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n[a](#title) [b](#nothing) [c](missing.md) `[d](in-code.md)`\n")
    assert anchors(page) == {"title"}
    assert links(page) == ["#title", "#nothing", "missing.md"]


@pytest.mark.parametrize("page", DOCS, ids=[str(p.relative_to(REPO)) for p in DOCS])
def test_code_spans_are_closed(page):
    """An unclosed ` would swallow the rest of its paragraph, links included, on GitHub and
    in the link check above."""
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"),
                  flags=re.DOTALL | re.MULTILINE)
    unclosed = [paragraph[:60] for paragraph in re.split(r"\n\s*\n", text)
                if "`" in CODE_SPAN_RE.sub("", paragraph)]
    assert unclosed == []
