"""stylesheets: an audience's stylesheet → what it references (`@import`, `url()`) that a build
would refuse, each at its line and column, so that `brief check` says what `brief build` would.

The build's URL fetcher (`pdf._fetcher_class`) is the truth: it serves files inside the project's
content/, styles/ and templates/ (through the gate, `files`) and `data:` images, and refuses
everything else. This module reads a stylesheet the same way (through the gate) and parses it with
tinycss2 (WeasyPrint's own CSS parser), so that a reference leading outside the project, to the
network, or to nothing is a located error before anything is rendered. `@import`ed stylesheets
inside the project are followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import tinycss2
import tinycss2.ast

from .. import files
from ..errors import BriefError, Mark
from ..project import Layers

#: `data:` URLs the build accepts (`pdf._fetcher_class`): images only.
_DATA_IMAGE_RE = re.compile(r"data:image/(png|jpeg|gif|svg\+xml)[;,]", re.IGNORECASE)


def _urls(nodes: Iterable[object]) -> Iterator[tuple[str, int, int]]:
    """Every URL in a list of tinycss2 nodes (`url(x)`, `url("x")`, `@import "x"`), with its
    1-based line and column."""
    for node in nodes:
        if isinstance(node, tinycss2.ast.URLToken):
            yield node.value, node.source_line, node.source_column
        elif isinstance(node, tinycss2.ast.FunctionBlock):
            if node.lower_name == "url":
                strings = [a for a in node.arguments if isinstance(a, tinycss2.ast.StringToken)]
                if strings:
                    yield strings[0].value, node.source_line, node.source_column
                continue
            yield from _urls(node.arguments)
        elif isinstance(node, tinycss2.ast.AtRule):
            if node.lower_at_keyword == "import":
                strings = [t for t in node.prelude if isinstance(t, tinycss2.ast.StringToken)]
                if strings:
                    yield strings[0].value, node.source_line, node.source_column
            yield from _urls(node.prelude)
            yield from _urls(node.content or ())
        elif isinstance(node, tinycss2.ast.QualifiedRule):
            yield from _urls(node.prelude)
            yield from _urls(node.content)
        elif isinstance(node, (tinycss2.ast.ParenthesesBlock, tinycss2.ast.SquareBracketsBlock,
                               tinycss2.ast.CurlyBracketsBlock)):
            yield from _urls(node.content)


#: Each stylesheet's URLs by its real path, size and modification time: parsed once, not on
#: every save `brief watch` loads the brief after (4 stylesheets: 13 ms a load, measured).
_PARSED: dict[tuple[str, int, int], list[tuple[str, int, int]]] = {}


def _parsed(folder: Path, path: Path) -> list[tuple[str, int, int]]:
    """The URLs of the stylesheet at `path`, read through the gate; none when it cannot be read
    (which is said where the stylesheet is named, `model`, or by the build)."""
    try:
        status = path.stat()
    except OSError:
        return []
    key = (str(path.resolve()), status.st_mtime_ns, status.st_size)
    if key not in _PARSED:
        try:
            text = files.read_text(folder, path, what=f"stylesheet {path.name!r}")
        except (BriefError, OSError):
            return []
        if len(_PARSED) > 256:
            _PARSED.clear()
        _PARSED[key] = list(_urls(tinycss2.parse_stylesheet(text, skip_comments=True,
                                                            skip_whitespace=True)))
    return _PARSED[key]


def problems(path: Path, allowed: tuple[Path, ...], *, seen: set[Path] | None = None,
             layers: tuple[Layers, ...] = ()) -> list[tuple[Mark, str]]:
    """What a build would refuse in the stylesheet at `path` (already let through by the gate)
    and in the stylesheets inside the project it imports: each a place and what is wrong. A
    file missing in one of `layers` is looked for in the next, as the fetcher does (a project's
    stylesheet's `url(fonts/…)` finds the packaged font)."""
    seen = set() if seen is None else seen
    real = path.resolve()
    if real in seen:
        return []
    seen.add(real)
    folder = next((f for f in allowed if real.is_relative_to(f.resolve())), path.parent)
    urls = _parsed(folder, path)
    found: list[tuple[Mark, str]] = []
    for written, line, column in urls:
        mark = Mark(path, line, column)
        url = written.strip()
        if not url or url.startswith("#"):
            continue  # a fragment: a place in the document, no file
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            if not _DATA_IMAGE_RE.match(url):
                found.append((mark, "a data: URL that is not a PNG, JPEG, GIF or SVG image is "
                                    "refused; remove it"))
            continue
        if scheme not in ("", "file") or url.startswith("//"):
            found.append((mark, f"{url[:80]!r} would be fetched from the network, which brief "
                                "never does; put the file in styles/ and name it relative to "
                                "this stylesheet"))
            continue
        target = Path(unquote(urlsplit(url).path))
        target = target if target.is_absolute() else path.parent / target
        for layered in layers:
            target = layered.fallback(target)
        inside = next((f for f in allowed if target.resolve().is_relative_to(f.resolve())), None)
        if inside is None:
            found.append((mark, f"{url[:80]!r} leads outside the project's content/, styles/ "
                                "and templates/, which a build never reads; put the file in "
                                "styles/ and name it relative to this stylesheet"))
            continue
        wrong = files.problem(inside, target)
        if wrong == "":
            found.append((mark, f"{url[:80]!r} names no file; correct the name"))
        elif wrong is not None:
            found.append((mark, f"{url[:80]!r} {wrong}"))
        elif target.suffix.lower() == ".css":
            found.extend(problems(target, allowed, seen=seen, layers=layers))
    return found
