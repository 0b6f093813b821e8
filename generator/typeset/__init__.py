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
budget needs fewer). What remains is returned: the build reports each defect with its page (a
warning that `--strict` makes an error), and `brief check --preflight` and the preview count them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Protocol

#: WeasyPrint's laid-out document and boxes: untyped.
Document = Any

#: How many repaired layouts an output may need before the defects left are reported.
MAX_REPAIRS = 8


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
    NAME: str

    def find(self, laid: Laid) -> list[Defect]: ...

    def repair(self, laid: Laid, defects: Sequence[Defect]) -> Draft | None: ...


def _candidates(rule: Rule, laid: Laid, defects: Sequence[Defect]) -> Iterator[Draft | None]:
    """A rule's repairs to try, in order: those of its `repairs(laid, defects)` when it has one
    (several drafts, each a bigger change: fit.py's steps), else its one `repair`."""
    several = getattr(rule, "repairs", None)
    if several is not None:
        yield from several(laid, defects)
    else:
        yield rule.repair(laid, defects)


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
           rules: Sequence[Rule] | None = None) -> Settled:
    """Lay `draft` out and repair what the rules find, as long as a repair makes it better."""
    active = RULES if rules is None else rules
    laid = Laid(draft, lay_out(draft), context)
    defects = find_all(laid, active)
    kept: list[str] = []
    tried = {draft}  # each draft laid out once
    for _ in range(MAX_REPAIRS):
        if not defects:
            break
        better = None
        for rule in active:
            mine = [d for d in defects if d.rule == rule.NAME]
            for candidate in (_candidates(rule, laid, mine) if mine else ()):
                if candidate is None or candidate in tried:
                    continue
                tried.add(candidate)
                trial = Laid(candidate, lay_out(candidate), context)
                found = find_all(trial, active)
                if _better(trial, found, laid, defects):
                    better = (rule.NAME, trial, found)
                    break
            if better is not None:
                break
        if better is None:
            break
        name, laid, defects = better
        kept.append(name)
    return Settled(laid, tuple(defects), tuple(kept))


def _better(trial: Laid, found: list[Defect], laid: Laid, defects: list[Defect]) -> bool:
    """Fewer defects without a page more, or back within the page budget."""
    budget = laid.context.max_pages
    if budget is not None and laid.pages > budget:
        return trial.pages < laid.pages
    return len(found) < len(defects) and trial.pages <= laid.pages


# The rules' modules use the classes above.
from . import fit, holes, leadin  # noqa: E402

RULES = (fit, holes, leadin)
