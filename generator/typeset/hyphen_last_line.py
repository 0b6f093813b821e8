"""hyphen_last_line: no paragraph whose last line is only the tail of a hyphenated word
("-ing."): the last line holds at least one whole word (TeX's `\\finalhyphendemerits`).

Found in the layout's lines (`breaks`); repaired by laying out again with the word kept whole
(the repair all line rules share: `breaks.repair`).
"""

from __future__ import annotations

from collections.abc import Sequence

from . import Defect, Draft, Laid, breaks

NAME = "hyphen-last-line"


def find(laid: Laid) -> list[Defect]:
    return breaks.defects(NAME, laid)


def repair(laid: Laid, defects: Sequence[Defect]) -> Draft | None:
    return breaks.repair(laid)
