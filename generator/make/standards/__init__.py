"""standards: the PDF standards an output can claim, one module each, registered in one table.

Each standard (as WeasyPrint does for its PDF variants) holds everything that depends on it:
what the HTML needs (`cmyk`: colours and the QR code in CMYK ink), WeasyPrint's render options,
the finishing of the PDF (the PDF/X output intent, in `x4`), and the preflight checks. An audience
names its standard with `pdf:`; add a standard by writing a module and adding it to `STANDARDS`.
"""

from __future__ import annotations

from .base import Standard
from .none import NONE
from .ua1 import UA1
from .x4 import PRINT_CONDITIONS, X4, PrintCondition

#: Every standard an audience may name with `pdf:`.
STANDARDS: dict[str, Standard] = {standard.name: standard for standard in (UA1, X4, NONE)}


def default_standard(for_print_shop: bool) -> Standard:
    """PDF/X-4 when the audience goes to a print shop (bleed or marks), else PDF/UA-1."""
    return X4 if for_print_shop else UA1


def claimed_by(label: str) -> Standard:
    """The standard a PDF claims by its label ("PDF/UA-1", "PDF/X-4"), NONE for any other."""
    return next((s for s in STANDARDS.values() if s.label == label), NONE)


__all__ = ["PRINT_CONDITIONS", "STANDARDS", "PrintCondition", "Standard", "claimed_by",
           "default_standard"]
