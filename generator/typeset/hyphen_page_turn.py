"""hyphen_page_turn: no word hyphenated across a page turn or a column break (TeX's
`\\brokenpenalty`): the last line of a page's body, or of a column, does not end in a hyphen
WeasyPrint added.

Found in the layout's lines (`breaks`); repaired by laying out again with the word kept whole
(the repair all line rules share: `breaks.repair`).
"""

from __future__ import annotations

from collections.abc import Sequence

from . import Defect, Draft, Laid, breaks

NAME = "hyphen-page-turn"


def find(laid: Laid) -> list[Defect]:
    return breaks.defects(NAME, laid)


def repair(laid: Laid, defects: Sequence[Defect]) -> Draft | None:
    return breaks.repair(laid)
