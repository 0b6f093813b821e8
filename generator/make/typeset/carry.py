"""carry: the repairs a settled layout kept, carried over to the next HTML of the same output.

After a save, `brief watch` lays an output out again whose HTML differs from the last one by a
few words. The repairs the last `settle` kept (words kept whole, CSS that eases a paragraph
or fits the pages) are most likely what the new HTML needs too, and laying the new HTML out
once with them is a quarter of settling it again from the plain draft (four layouts for the
sample's full brief). `carry` makes that draft: the new HTML with every line the repairs had
edited in the old HTML edited the same way (a line the save changed keeps the save's text,
without its old repairs), and the settled CSS.

It is a guess, never the output: `render_pdf(…, guess=…)` lays it out once and refuses it
when it has more defects than the settled output had (`GuessMissed`); the build writes it as a
provisional PDF while the settled layout, made from the plain draft as always, is still on its
way, and then writes the settled one. The output's bytes stay those of its inputs alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import BriefError
from . import Draft


@dataclass(frozen=True, slots=True)
class Guess:
    """A draft to lay out once instead of settling, and how many of the rules' defects it may
    have (the settled output's, whose repairs it carries)."""

    draft: Draft
    max_defects: int = 0


class GuessMissed(BriefError):
    """The guess laid out worse than the settled output it was carried from (more defects,
    text past its column). Not the output's failure: its settled render follows, and says
    what is wrong, if anything is; a build drops a guess that failed in any way."""

    def __init__(self, message: str = "the guess laid out worse than the settled output") -> None:
        super().__init__(message)


def carry(original: str, settled: Draft, html: str) -> Draft | None:
    """`html` with the repairs `settled` made to `original` (its lines edited the same way,
    where `html` still has them as they were) and `settled`'s CSS; None when there were no
    repairs to carry (the plain draft is then what settling starts with anyway)."""
    if settled.html == original and not settled.css:
        return None
    import difflib  # noqa: PLC0415  # deferred: a no-op build imports no difflib (tested)

    before = original.splitlines(keepends=True)
    after = settled.html.splitlines(keepends=True)
    edited: dict[str, str] = {}
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:  # repairs edit lines, never add any
            edited.update(zip(before[i1:i2], after[j1:j2], strict=True))
    lines = html.splitlines(keepends=True)
    return Draft("".join(edited.get(line, line) for line in lines), settled.css)
