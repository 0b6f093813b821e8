"""hyphen_last_line: no paragraph whose last line is only the tail of a hyphenated word
("-ing."): the last line holds at least one whole word (TeX's `\\finalhyphendemerits`).

Found in the layout's lines (`breaks`); repaired by laying out again (`breaks.repairs`: first
for every line rule's problems at once, then for this rule's own).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from . import Defect, Draft, Laid, breaks

NAME = "hyphen-last-line"


def find(laid: Laid) -> list[Defect]:
    return breaks.defects(NAME, laid)


def repair(laid: Laid, defects: Sequence[Defect]) -> Draft | None:
    return next(repairs(laid, defects), None)


def repairs(laid: Laid, defects: Sequence[Defect]) -> Iterator[Draft]:
    return breaks.repairs(laid, NAME)
