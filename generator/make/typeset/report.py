"""report: how the typesetting rules' defects are counted where outputs are summed up (the
build's lines, `brief check --preflight`, the preview). They are reported as warnings
(`audit.locate_defects`) whose `field` is `LAYOUT_FIELD`, stored in the manifest with
preflight's, so that an output that is up to date still reports them.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...errors import BriefError, LocatedError

#: The `field` of a warning about a layout defect.
LAYOUT_FIELD = "layout"


def layout_defects(warnings: Iterable[BriefError]) -> int:
    """How many of an output's warnings are layout defects."""
    return sum(1 for w in warnings for single in w.flat()
               if isinstance(single, LocatedError) and single.field == LAYOUT_FIELD)


def layout_summary(count: int) -> str:
    """An output's layout defects as its summary line says them."""
    return ("layout clean" if not count else
            f"layout: {count} defect{'s' if count > 1 else ''}")
