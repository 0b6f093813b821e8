"""hyphenation: a project's hyphenation patterns and exceptions → the dictionaries Pyphen (and so
WeasyPrint, through the HTML's `lang`) hyphenates with.

* Patterns: Pyphen ships them for 21 of the 24 EU languages; `styles/hyphenation/hyph_<lang>.dic`
  (libhyphen format, licence beside it) adds others — Finnish and Irish are shipped — or
  replaces Pyphen's. A language with none prints unhyphenated, and `missing_patterns` warns.
* Exceptions: `styles/hyphenation/exceptions-<lang>.txt` (shipped) and the organisation's
  `content/hyphenation/exceptions-<lang>.txt` list words with the only places they may break
  (`Mit-glied-staa-ten`, one a line). They become whole-word patterns of levels 8 (no break) and
  9 (break), which outrank the language's own, in a dictionary written for the render; each
  listed word is then hyphenated again with it, and any difference is an error at its line.

`register` runs in the render worker before WeasyPrint lays out: it points Pyphen's table of
languages (`pyphen.LANGUAGES`, which WeasyPrint's `pyphen.language_fallback` reads) at them.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyphen

from .. import files
from ..errors import BriefError, BriefErrors, ContentError, Mark
from ..project import CONTENT_DIR, HYPHENATION_DIR, Project

FOLDER = HYPHENATION_DIR
#: Pyphen's own dictionaries, as it found them (registering replaces entries; this restores them).
_PYPHEN = dict(pyphen.LANGUAGES)
_PYPHEN_LOWER = dict(pyphen.LANGUAGES_LOWERCASE)
#: A listed word: letters, with single hyphens between them where it may break.
_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_NAME_RE = re.compile(r"(?:hyph_|exceptions-)([a-z]{2,3})\.(?:dic|txt)")


@dataclass(frozen=True, slots=True)
class Exception_:
    word: str  # lower case, without hyphens
    points: tuple[int, ...]  # where it may break: letters before each hyphen
    written: str
    mark: Mark


def pattern_folders(root: Path) -> tuple[Path, ...]:
    """The shipped folders (styles/hyphenation of styles/'s layers: the project's own, then the
    packaged one, `project.Layers`) and the organisation's (content/hyphenation)."""
    return (*(folder / FOLDER for folder in Project(root).style_layers.folders),
            root / CONTENT_DIR / FOLDER)


def shipped_patterns(root: Path, language: str) -> Path | None:
    """The project's patterns for a language, when it has them (from styles/'s first layer
    that has them); one that the gate (`files`) refuses (a link leading out of styles/, a FIFO,
    too large) is an error at its path."""
    folder, path = Project(root).stylesheet(f"{FOLDER}/hyph_{language}.dic")
    if not files.exists(path):
        return None
    files.inside(folder, path, what=f"hyphenation patterns {path.name!r}")
    return path


def base_patterns(root: Path, language: str) -> Path | None:
    """The patterns a language hyphenates with: the project's, else Pyphen's, else none."""
    shipped = shipped_patterns(root, language)
    if shipped is not None:
        return shipped
    found = _PYPHEN_LOWER.get(language.lower())
    return _PYPHEN[found] if found else None


def exception_files(root: Path, language: str) -> list[Path]:
    """The shipped list (styles/'s first layer that has one), then the organisation's (whose
    word wins when both list it)."""
    name = f"exceptions-{language}.txt"
    shipped = Project(root).style_layers.path(f"{FOLDER}/{name}")
    return [path for path in (shipped, root / CONTENT_DIR / FOLDER / name) if files.exists(path)]


def read_exceptions(path: Path) -> tuple[list[Exception_], list[ContentError]]:
    """A list of exceptions: one word a line with its hyphens, `#` starts a comment."""
    found: list[Exception_] = []
    errors: list[ContentError] = []
    text = files.read_text(path.parent.parent, path, what=f"exception list {path.name!r}")
    for number, line in enumerate(text.splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        column = line.index(text[0]) + 1
        if not _WORD_RE.fullmatch(text):
            errors.append(ContentError(
                Mark(path, number, column),
                f"{text!r} is not a word with its hyphenation points; write one word a line, "
                "with a hyphen at each place it may break and nothing else, as in "
                "`Mit-glied-staa-ten`"))
            continue
        parts = text.lower().split("-")
        points = tuple(sum(len(p) for p in parts[:i]) for i in range(1, len(parts)))
        found.append(Exception_("".join(parts), points, text, Mark(path, number, column)))
    return found, errors


def exceptions(root: Path, language: str) -> list[Exception_]:
    """Every listed word of a language (the organisation's entry for a word replacing the
    shipped one); a line that is not a word is an error at its place."""
    chosen: dict[str, Exception_] = {}
    errors: list[ContentError] = []
    for path in exception_files(root, language):
        listed, wrong = read_exceptions(path)
        errors.extend(wrong)
        chosen.update((e.word, e) for e in listed)
    if errors:
        raise BriefErrors(list(errors))
    return list(chosen.values())


def _pattern(exception: Exception_) -> str:
    word, points = exception.word, set(exception.points)
    inner = "".join(ch + ("9" if i + 1 in points else "8") for i, ch in enumerate(word[:-1]))
    return f".{inner}{word[-1]}."


def _dictionary_text(base: Path | None, listed: list[Exception_]) -> str:
    """The base patterns in UTF-8, then the exceptions as whole-word patterns."""
    lines = ["UTF-8"]
    if base is not None:
        data = (files.read_bytes(base.parent.parent, base, what=f"hyphenation patterns "
                                 f"{base.name!r}") if base.parent.name == FOLDER
                else base.read_bytes())  # Pyphen's own
        first, _, rest = data.partition(b"\n")
        encoding = first.decode().strip()
        encoding = "cp1251" if encoding.lower() == "microsoft-cp1251" else encoding
        lines += rest.decode(encoding).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines += [_pattern(e) for e in listed]
    return "\n".join(lines) + "\n"


def _cache_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / f"brief-hyphenation-{os.getuid()}"
    folder.mkdir(exist_ok=True)
    return folder


#: The dictionary made for each state of a language's files (a worker renders many outputs:
#: reading the patterns again for each cost ~6 ms a language, 18 ms a render).
_MADE: dict[tuple[str, str, tuple[tuple[str, int, int], ...]], Path | None] = {}
MAX_MADE = 64


def dictionary(root: Path, language: str) -> Path | None:
    """The dictionary a language hyphenates with in this project (its patterns and exceptions),
    written to a cache file named by its content; None when it has neither. Made once per
    state of the files it is made from."""
    base = base_patterns(root, language)
    sources = [path for path in (base, *exception_files(root, language)) if path is not None]
    key = (str(root), language, tuple(_state(p) for p in sources))
    if key in _MADE:
        cached = _MADE[key]
        if cached is None or cached.is_file():
            return cached
    made = _dictionary(root, language, base)
    if len(_MADE) >= MAX_MADE:
        _MADE.clear()
    _MADE[key] = made
    return made


def _state(path: Path) -> tuple[str, int, int]:
    """A file's path, modification time and size (a dangling link's own: the gate refuses it
    when it is read)."""
    try:
        status = path.stat()
    except OSError:
        status = path.lstat()
    return str(path), status.st_mtime_ns, status.st_size


def _dictionary(root: Path, language: str, base: Path | None) -> Path | None:
    listed = exceptions(root, language)
    if not listed:
        return base
    text = _dictionary_text(base, listed)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    path = _cache_folder() / f"hyph_{language}-{digest}.dic"
    if path.is_file():
        return path
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    wrong = _disobeyed(tmp, listed)
    if wrong:
        tmp.unlink()
        raise BriefErrors(list(wrong))
    os.replace(tmp, path)
    return path


def _disobeyed(path: Path, listed: list[Exception_]) -> list[ContentError]:
    """The listed words the written dictionary does not hyphenate as listed (a pattern of the
    language's own of level 9 inside the word would win)."""
    hyphenator = pyphen.Pyphen(filename=path, left=1, right=1, cache=False)
    wrong = []
    for exception in listed:
        got = tuple(hyphenator.positions(exception.word))
        if got != exception.points:
            shown = hyphenator.inserted(exception.word)
            wrong.append(ContentError(
                exception.mark, f"{exception.written!r} would still be hyphenated "
                f"{shown!r}: the language's patterns overrule the exception here; write the "
                "word with a soft hyphen in the text instead, or report it"))
    return wrong


#: The languages `register` pointed elsewhere in this process (a worker may serve another
#: project later: they are set again, to its dictionaries or Pyphen's).
_REGISTERED: set[str] = set()


def register(root: Path) -> None:
    """Point Pyphen (and so WeasyPrint) at this project's dictionary for each language it has
    patterns or exceptions for."""
    for language in sorted(_REGISTERED | set(project_languages(root))):
        key = language.lower()
        path = dictionary(root, language)
        pyphen.LANGUAGES_LOWERCASE.pop(key, None)
        pyphen.LANGUAGES.pop(language, None)
        if path is not None:
            pyphen.LANGUAGES[language] = path
            pyphen.LANGUAGES_LOWERCASE[key] = language
        _REGISTERED.add(language)


def project_languages(root: Path) -> tuple[str, ...]:
    """Every language the project has patterns or exceptions for (the files' names say)."""
    found = {m[1] for folder in pattern_folders(root) if folder.is_dir()
             for path in folder.iterdir() if (m := _NAME_RE.fullmatch(path.name))}
    return tuple(sorted(found))


def exception_problems(root: Path, languages: tuple[str, ...]) -> list[BriefError]:
    """What is wrong in the exception lists of these languages (for `brief check`)."""
    problems: list[BriefError] = []
    for language in languages:
        for path in exception_files(root, language):
            problems.extend(read_exceptions(path)[1])
    return problems


def missing_patterns(root: Path, language: str, mark: Mark, audience: str, *, span: bool = False
                     ) -> ContentError | None:
    """A warning when an output's language (or, with `span`, a text's span in another language:
    `[Grooming]{lang=en}`) has no hyphenation patterns."""
    if base_patterns(root, language) is not None or (
            span and base_patterns(root, language.split("-", 1)[0]) is not None):
        return None
    who = (f"the text in {language!r} here prints" if span
           else f"audience {audience!r} prints it")
    return ContentError(
        mark, f"no hyphenation patterns for language {language!r}: {who} without hyphenation "
        "(long words are carried to the next line whole); add free patterns as "
        f"styles/{FOLDER}/hyph_{language}.dic (see styles/{FOLDER}/README.md)",
        "audiences")
