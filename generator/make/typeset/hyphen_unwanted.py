"""hyphen_unwanted: no word hyphenated in a heading, a table's header cell, a title, a name,
or a cover letter (the stylesheets set `hyphens: manual` there; this catches what gets through,
such as an organisation's own stylesheet).

Found in the layout's lines (`breaks`); repaired by laying out again (`breaks.repairs`: first
for every line rule's problems at once, then for this rule's own).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from . import Defect, Draft, Laid, breaks

NAME = "hyphen-unwanted"


def find(laid: Laid) -> list[Defect]:
    return breaks.defects(NAME, laid)


def repair(laid: Laid, defects: Sequence[Defect]) -> Draft | None:
    return next(repairs(laid, defects), None)


def repairs(laid: Laid, defects: Sequence[Defect]) -> Iterator[Draft]:
    return breaks.repairs(laid, NAME)
