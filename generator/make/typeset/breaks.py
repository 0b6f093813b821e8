"""breaks: the line-level rules' findings and their one shared repair.

Each line rule (`hyphen_page_turn`, `hyphen_ladder`, `hyphen_last_line`, `hyphen_unwanted`,
`url_hyphen`) finds its problems here in a layout's lines (`lines.read`); every problem names the
words a new layout should treat differently: a hyphenated word kept whole (a span with
`hyphens: manual`), or a web address's hyphen joined to what follows it (U+2060 WORD JOINER).
The repair is shared: whichever line rule's repair `settle` tries first changes the draft for
the problems of all of them at once, so that an output with a hyphen at a page turn and a ladder
is laid out again once, not twice (`settle` does not lay out a draft it has tried before).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from . import Defect, Draft, Laid
from .edit import KEEP_CSS, Target, edit, keep_whole
from .lines import Laidout, Line, read

#: The longest run of hyphenated line ends allowed (TeX: `\doublehyphendemerits`).
MAX_LADDER = 2

#: Where no word may be hyphenated: headings, table header cells, captions of tables …
NO_HYPHENS_TAGS = {"h1": "a heading", "h2": "a heading", "h3": "a heading", "h4": "a heading",
                   "h5": "a heading", "h6": "a heading", "th": "a table's header cell",
                   "caption": "a table's caption", "title": "the title"}
#: … and titles, names, the letter's parts (by the templates' classes).
NO_HYPHENS_CLASSES = {"title-block": "the title", "subtitle": "the subtitle",
                      "kicker": "the title", "name": "a name", "org": "a name",
                      "letterhead": "the letterhead", "letter-recipient": "the recipient's "
                      "address", "letter-sender": "the sender's name",
                      "letter-signature": "the signature", "letter-subject": "the subject"}

#: A web address as printed: an optional scheme, a host with a dot, a path without spaces.
_ADDRESS_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?[\w-]+(?:\.[\w-]+)+(?:[/?#]\S*)?$", re.I)
#: A letter laid out again: no word hyphenated anywhere in it.
NO_HYPHENS_CSS = "* { hyphens: manual !important; }"
_INVISIBLE = str.maketrans("", "", "\u200b\u2060\u00ad")
WORD_JOINER = "\u2060"
ZERO_WIDTH_SPACE = "\u200b"


@dataclass(frozen=True, slots=True, eq=False)
class Problem:
    page: int
    words: str
    message: str
    targets: tuple[Target, ...]  # what a new layout changes
    find: tuple[str, ...] = ()  # text to look for in the brief's files (`Defect.find`)
    css: tuple[str, ...] = ()  # rules a new layout adds


def _find(line: Line) -> tuple[str, ...]:
    """The hyphenated word with the word before it, then the word alone."""
    if not line.word:
        return ()
    words = line.stem.split()  # the last is the word's first part
    return (f"{words[-2]} {line.word}", line.word) if len(words) > 1 else (line.word,)


def _advice(laid: Laidout, word: str) -> str:
    language = laid.language.split("-")[0] or "<language>"
    return (f"reword the sentence, or list ‘{word}’ without hyphens in "
            f"content/hyphenation/exceptions-{language}.txt to keep it whole everywhere")


def _keep(line: Line) -> tuple[Target, ...]:
    return (keep_whole(line.block, line.word),)


def page_turns(laid: Laidout) -> Iterator[Problem]:
    """A word hyphenated at the last line of a page or a column, its tail on the next."""
    for line in laid.lines:
        after = line.next_line
        if line.hyphenated and after is not None and after.flow != line.flow:
            turn = "a page turn" if after.page != line.page else "a column break"
            yield Problem(line.page, line.shown,
                          f"‘{line.shown}’ is hyphenated across {turn} (page {line.page} to "
                          f"{after.page}); {_advice(laid, line.word)}", _keep(line), _find(line))


def ladders(laid: Laidout, pick: int = MAX_LADDER) -> Iterator[Problem]:
    """More than `MAX_LADDER` hyphenated line ends in a row in one block; the repair keeps
    whole the word of every third line end, from the one at `pick` (the third by default:
    the lines before it stay as they are)."""
    seen: set[int] = set()
    for line in laid.lines:
        if id(line) in seen or not line.hyphenated:
            continue
        run = [line]
        while run[-1].next_line is not None and run[-1].next_line.hyphenated:
            run.append(run[-1].next_line)
        seen.update(id(r) for r in run)
        if len(run) > MAX_LADDER:
            words = ", ".join(f"‘{r.shown}’" for r in run)
            keep = [r for i, r in enumerate(run) if i % (MAX_LADDER + 1) == pick]
            yield Problem(run[MAX_LADDER].page, words,
                          f"{len(run)} hyphenated line ends in a row ({words}); at most "
                          f"{MAX_LADDER} may follow each other; "
                          f"{_advice(laid, keep[0].word)}",
                          tuple(t for r in keep for t in _keep(r)), _find(keep[0]))


def last_lines(laid: Laidout, letter: bool) -> Iterator[Problem]:
    """A block's last line that holds only the tail of the word hyphenated before it (where
    no word may be hyphenated at all, `unwanted` says so instead)."""
    for line in laid.lines:
        last = line.next_line
        if not line.hyphenated or last is None or last.next_line is not None \
                or letter or _no_hyphens_place(laid, line):
            continue
        words = last.text.split()[1:]  # the first is the tail
        if not any(re.search(r"[^\W\d_]", word) for word in words):
            yield Problem(last.page, line.shown,
                          f"the last line of a paragraph is only the end of ‘{line.shown}’ "
                          f"(‘{last.text.strip()}’); {_advice(laid, line.word)}", _keep(line),
                          _find(line))


def unwanted(laid: Laidout, letter: bool) -> Iterator[Problem]:
    """A word hyphenated where none may be: a heading, a table's header cell, a title, a
    name, a cover letter."""
    for line in laid.lines:
        if not line.hyphenated:
            continue
        where = "the cover letter" if letter else _no_hyphens_place(laid, line)
        if where:
            yield Problem(line.page, line.shown,
                          f"‘{line.shown}’ is hyphenated in {where}; no word may be there: "
                          f"set `hyphens: manual` on it in the stylesheet", _keep(line),
                          _find(line), (NO_HYPHENS_CSS,) if letter else ())


def _no_hyphens_place(laid: Laidout, line: Line) -> str:
    for element in laid.ancestors(line.last if line.last is not None else line.block):
        if element.tag in NO_HYPHENS_TAGS:
            return NO_HYPHENS_TAGS[element.tag]
        for name in (element.get("class") or "").split():
            if name in NO_HYPHENS_CLASSES:
                return NO_HYPHENS_CLASSES[name]
    return ""


def url_breaks(laid: Laidout) -> Iterator[Problem]:
    """A web address broken right after a hyphen of its own ("eur-/lex.europa.eu"), or
    hyphenated by WeasyPrint: a reader types the hyphen, or leaves out one that belongs."""
    for line in laid.lines:
        after = line.next_line
        if after is None or not line.text.rstrip().endswith(("-", "\u2010", "\u2011")):
            continue
        link = _address(laid, line.last)
        if link is None or _address(laid, after.first) is not link:
            continue
        shown = "".join(link.itertext()).translate(_INVISIBLE)
        head = after.text.lstrip().split(" ", 1)[0].translate(_INVISIBLE)
        piece = line.text.rstrip().rsplit(" ", 1)[-1].translate(_INVISIBLE)
        piece, head = piece.rsplit("/", 1)[-1][-24:], head.split("/", 1)[0][:24]
        # the hyphen joined to what follows it, and a break allowed before it instead
        targets = [Target(link, re.compile(r"-(?!\u2060)"),
                          lambda found: ZERO_WIDTH_SPACE + found + WORD_JOINER)]
        if line.hyphenated:  # hyphenated by WeasyPrint: the word kept whole
            targets.append(keep_whole(link, line.word))
        yield Problem(line.page, f"{piece}/{head}",
                      f"the web address ‘{shown}’ breaks right after a hyphen (‘{piece}/{head}’)"
                      ", which a reader cannot tell from a hyphen of the address: it must break "
                      "before its hyphens; print it as a link (`[text](url)`) or shorten it",
                      tuple(targets), (shown,))


def _address(laid: Laidout, element: Element | None) -> Element | None:
    """The link the element is in, when it prints a web address."""
    for ancestor in laid.ancestors(element):
        if ancestor.tag == "a":
            text = "".join(ancestor.itertext()).translate(_INVISIBLE).strip()
            classes = (ancestor.get("class") or "").split()
            return ancestor if "url" in classes or "online" in classes \
                or _ADDRESS_RE.match(text) else None
    return None


Finder = Callable[[Laid], Iterator[Problem]]

#: Each line rule's finder, by its rule's name.
FINDERS: dict[str, Finder] = {
    "hyphen-page-turn": lambda laid: page_turns(read(laid)),
    "hyphen-ladder": lambda laid: ladders(read(laid)),
    "hyphen-last-line": lambda laid: last_lines(read(laid), laid.context.letter),
    "hyphen-unwanted": lambda laid: unwanted(read(laid), laid.context.letter),
    "url-hyphen": lambda laid: url_breaks(read(laid)),
}


def defects(name: str, laid: Laid) -> list[Defect]:
    return [Defect(name, p.page, p.words, p.message, p.find) for p in FINDERS[name](laid)]


#: A rule's own repair, when it differs from its part of the shared one: a ladder broken up
#: at its second line end instead of its third.
_ALTERNATIVES: dict[str, Finder] = {"hyphen-ladder": lambda laid: ladders(read(laid), pick=1)}


def repairs(laid: Laid, name: str) -> Iterator[Draft]:
    """New drafts to try, best first: one for the problems of every line rule at once (so that
    an output with several is laid out again once), then one for this rule's own, then its
    alternative, then one for each of its problems alone (a word that cannot be kept whole —
    too long for its table cell — makes every draft holding it fail, and would keep the others
    from being repaired). Hyphenated words are kept whole, web addresses' hyphens joined to
    what follows them. (`settle` lays out each draft once, however many rules offer it.)"""
    for finders in (FINDERS.values(), [FINDERS[name]], [_ALTERNATIVES.get(name)]):
        draft = _repaired(laid, [p for finder in finders if finder is not None
                                 for p in finder(laid)])
        if draft is not None:
            yield draft
    own = list(FINDERS[name](laid))
    for problem in own if len(own) > 1 else ():
        draft = _repaired(laid, [problem])
        if draft is not None:
            yield draft


def _repaired(laid: Laid, problems: list[Problem]) -> Draft | None:
    draft = edit(laid.draft, read(laid).root, [t for p in problems for t in p.targets],
                 KEEP_CSS) or laid.draft
    for rule in dict.fromkeys(css for p in problems for css in p.css):
        if rule not in draft.css:
            draft = draft.with_css(rule)
    return draft if draft != laid.draft else None
