"""typeset: a typesetter's rules, checked on every output after layout, repaired by new layouts.

WeasyPrint breaks lines and pages one at a time and knows none of the rules a print-production
editor applies (TeX's `\\brokenpenalty`, `\\doublehyphendemerits`, `\\finalhyphendemerits`,
`\\widowpenalty`): no word hyphenated across a page turn, no ladder of hyphens, no last line that
is a word's tail, no near-empty last page, no hole at a page foot. Each rule is a small module in
this package (the way markdown-it-py keeps its rules), registered once in `RULES`:

* `find(laid)` → the rule's defects in a laid-out output (page, words, what is wrong);
* `repair(laid, defects)` → a changed `Draft` (the HTML, and CSS laid out with it) that should
  remove them, or None when the rule has no more ideas; a rule with several ideas, each a bigger
  change, may have `repairs(laid, defects)` instead, yielding them in order (the first that
  makes the layout better is kept).

`settle` lays a draft out, finds every rule's defects, and tries the repairs one at a time,
keeping a new layout only when it has fewer defects and no more pages (unless the audience's page
budget needs fewer); a rule may offer several drafts in turn (`repairs`), each draft is laid out
once, `MAX_TRIALS` in all, a layout that fails or is not `sound` (text past its column) is never
kept, and up to `MAX_SIDEWAYS` steps to as many other defects are taken on the way to a better
one (the best layout seen is the one returned). What remains is returned: the build reports
each defect with its page (a warning that `--strict` makes an error), and `brief check
--preflight` and the preview count them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Protocol

from ...errors import BriefError

#: WeasyPrint's laid-out document and boxes: untyped.
Document = Any

#: How many repaired layouts an output may need before the defects left are reported.
MAX_REPAIRS = 8
#: How many layouts repairs may try in all (kept or not), so that a text no repair helps costs
#: a few layouts more, not dozens.
MAX_TRIALS = 12
#: How many steps sideways (other defects, as many) repairs may take on the way to a better
#: layout; the best layout seen is kept.
MAX_SIDEWAYS = 2


@dataclass(frozen=True, slots=True)
class Draft:
    """What is laid out: the output's HTML and extra CSS (repairs' hints) after its stylesheets."""

    html: str
    css: tuple[str, ...] = ()

    def with_css(self, rule: str) -> Draft:
        return Draft(self.html, (*self.css, rule))


@dataclass(frozen=True, slots=True)
class Defect:
    """One place that breaks a rule: the rule's name, the page (1-based), the words concerned."""

    rule: str
    page: int
    words: str
    message: str  # what is wrong, for a person: "‘protec-/tion’ is hyphenated across a page turn"
    #: text to look for in the brief's files, most telling first ("the protection", "protection"),
    #: so that the report points at the line that prints it
    find: tuple[str, ...] = ()

    def describe(self) -> str:
        return f"page {self.page}: {self.message}"


@dataclass(frozen=True, slots=True)
class Context:
    """What the rules know of the output besides its layout (its language is the root's `lang`)."""

    max_pages: int | None = None
    letter: bool = False  # a cover letter: never hyphenated
    fit: tuple[str, ...] = ()  # the steps the audience allows to fit its pages (`fit:`, fit.py)
    options: dict[str, Any] = field(default_factory=dict)  # the audience's typesetting settings


@dataclass(frozen=True, slots=True)
class Laid:
    """A draft and its layout."""

    draft: Draft
    document: Document
    context: Context

    @property
    def pages(self) -> int:
        return len(self.document.pages)


class Rule(Protocol):
    """A rule's module. It may also offer `repairs(laid, defects)`: drafts to try in turn, best
    first (`repair` is then its first); `settle` lays out each draft once."""

    NAME: str

    def find(self, laid: Laid) -> list[Defect]: ...

    def repair(self, laid: Laid, defects: Sequence[Defect]) -> Draft | None: ...


def _candidates(rule: Rule, laid: Laid, defects: Sequence[Defect]) -> Iterator[Draft]:
    more = getattr(rule, "repairs", None)
    if more is not None:
        yield from more(laid, defects)
        return
    draft = rule.repair(laid, defects)
    if draft is not None:
        yield draft


#: The rules, in the order their repairs are tried (page-level ones first: their repairs move
#: lines between pages, which changes which lines end a page). Set at the end of this module.
RULES: tuple[ModuleType, ...] = ()


@dataclass(frozen=True, slots=True)
class Settled:
    laid: Laid
    defects: tuple[Defect, ...]
    repairs: tuple[str, ...]  # the rules whose repairs were kept, in order (for the log)


def find_all(laid: Laid, rules: Sequence[Rule] | None = None) -> list[Defect]:
    found: list[Defect] = []
    for rule in (RULES if rules is None else rules):
        found.extend(rule.find(laid))
    return sorted(found, key=lambda d: (d.page, d.rule))


def settle(draft: Draft, lay_out: Callable[[Draft], Document], context: Context,
           rules: Sequence[Rule] | None = None,
           sound: Callable[[Document], bool] | None = None) -> Settled:
    """Lay `draft` out and repair what the rules find, as long as a repair makes it better.

    A repair's layout that fails (`lay_out` raises a `BriefError`: a footnote it cannot place)
    or is not `sound` (text past its column: a word kept whole that does not fit) is never
    kept; the first layout is checked by the caller as ever."""
    active = RULES if rules is None else rules
    laid = Laid(draft, lay_out(draft), context)
    defects = find_all(laid, active)
    kept: list[str] = []
    best: tuple[Laid, list[Defect], tuple[str, ...]] = (laid, defects, ())
    tried = {draft}  # rules may share a repair (the line rules do): each draft laid out once
    sideways = 0
    for _ in range(MAX_REPAIRS):
        if not defects:
            break
        better = level = None
        for name, trial, found in _trials(active, laid, defects, lay_out=lay_out, sound=sound,
                                          tried=tried):
            if _better(trial, found, laid, defects):
                better = (name, trial, found)
                break
            if level is None and _level(trial, found, laid, defects):
                level = (name, trial, found)
        if better is None and level is not None and sideways < MAX_SIDEWAYS:
            better, sideways = level, sideways + 1
        if better is None:
            break
        name, laid, defects = better
        kept.append(name)
        if _better(laid, defects, best[0], best[1]):
            best = (laid, defects, tuple(kept))
    laid, defects, repairs = best
    return Settled(laid, tuple(defects), repairs)


def _trials(active: Sequence[Rule], laid: Laid, defects: list[Defect], *,
            lay_out: Callable[[Draft], Document], sound: Callable[[Document], bool] | None,
            tried: set[Draft]) -> Iterator[tuple[str, Laid, list[Defect]]]:
    """Each rule's repairs of `laid` laid out (each draft once, `MAX_TRIALS` in all), with the
    defects found in them; those whose layout fails or is not sound are left out."""
    for rule in active:
        mine = [d for d in defects if d.rule == rule.NAME]
        for candidate in _candidates(rule, laid, mine) if mine else ():
            if candidate in tried or len(tried) > MAX_TRIALS:
                continue
            tried.add(candidate)
            try:
                document = lay_out(candidate)
            except BriefError:
                continue
            if sound is not None and not sound(document):
                continue
            trial = Laid(candidate, document, laid.context)
            yield rule.NAME, trial, find_all(trial, active)


def _level(trial: Laid, found: list[Defect], laid: Laid, defects: list[Defect]) -> bool:
    """As many defects, other ones, without a page more (within the budget): a step sideways
    that a further repair may turn into a better layout (keeping a word whole at a ladder that
    leaves a paragraph's last word split, which the next repair keeps whole too)."""
    budget = laid.context.max_pages
    return (len(found) == len(defects) and trial.pages <= laid.pages
            and (budget is None or laid.pages <= budget)
            and {(d.rule, d.words) for d in found} != {(d.rule, d.words) for d in defects})


def _better(trial: Laid, found: list[Defect], laid: Laid, defects: list[Defect]) -> bool:
    """Fewer defects without a page more, or back within the page budget."""
    budget = laid.context.max_pages
    if budget is not None and laid.pages > budget:
        return trial.pages < laid.pages
    return len(found) < len(defects) and trial.pages <= laid.pages


# The rules' modules use the classes above.
from . import (  # noqa: E402
    fit,
    holes,
    hyphen_ladder,
    hyphen_last_line,
    hyphen_page_turn,
    hyphen_unwanted,
    leadin,
    url_hyphen,
)

RULES = (fit, holes, leadin,
         hyphen_page_turn, hyphen_ladder, hyphen_last_line, hyphen_unwanted, url_hyphen)
