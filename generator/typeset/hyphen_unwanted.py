"""hyphen_unwanted: no word hyphenated in a heading, a table's header cell, a title, a name,
or a cover letter (the stylesheets set `hyphens: manual` there; this catches what gets through,
such as an organisation's own stylesheet).

Found in the layout's lines (`breaks`); repaired by laying out again with the word kept whole
(the repair all line rules share: `breaks.repair`).
"""

from __future__ import annotations

from collections.abc import Sequence

from . import Defect, Draft, Laid, breaks

NAME = "hyphen-unwanted"


def find(laid: Laid) -> list[Defect]:
    return breaks.defects(NAME, laid)


def repair(laid: Laid, defects: Sequence[Defect]) -> Draft | None:
    return breaks.repair(laid)
