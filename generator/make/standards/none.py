"""none: a plain PDF that claims no standard (`pdf: none`)."""

from __future__ import annotations

from .base import Standard


class _NoStandard(Standard):
    name = "none"
    label = "none"


NONE = _NoStandard()
