"""url_hyphen: a web address never breaks right after a hyphen of its own
("eur-/lex.europa.eu"): printed addresses break only before their hyphens
(`footnotes.breakable_url`); this catches the others.

Found in the layout's lines (`breaks`); repaired by laying out again (`breaks.repairs`: first
for every line rule's problems at once, then for this rule's own).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from . import Defect, Draft, Laid, breaks

NAME = "url-hyphen"


def find(laid: Laid) -> list[Defect]:
    return breaks.defects(NAME, laid)


def repair(laid: Laid, defects: Sequence[Defect]) -> Draft | None:
    return next(repairs(laid, defects), None)


def repairs(laid: Laid, defects: Sequence[Defect]) -> Iterator[Draft]:
    return breaks.repairs(laid, NAME)
