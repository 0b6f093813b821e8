"""hyphen_page_turn: no word hyphenated across a page turn or a column break (TeX's
`\\brokenpenalty`): the last line of a page's body, or of a column, does not end in a hyphen
WeasyPrint added.

Found in the layout's lines (`breaks`); repaired by laying out again (`breaks.repairs`: first
for every line rule's problems at once, then for this rule's own).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from . import Defect, Draft, Laid, breaks

NAME = "hyphen-page-turn"


def find(laid: Laid) -> list[Defect]:
    return breaks.defects(NAME, laid)


def repair(laid: Laid, defects: Sequence[Defect]) -> Draft | None:
    return next(repairs(laid, defects), None)


def repairs(laid: Laid, defects: Sequence[Defect]) -> Iterator[Draft]:
    return breaks.repairs(laid, NAME)
