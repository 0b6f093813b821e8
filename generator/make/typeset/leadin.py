"""leadin: a paragraph that ends with a colon stays on the page of the list, table or quotation
it introduces (text/render.py marks it with the class `lead-in`).

`find` reports a lead-in whose last line ends a page while what it introduces starts the next;
the repair keeps the two together (`break-after: avoid` on those lead-ins), which takes the
lead-in's last lines over the page with the list (a paragraph keeps two lines on each page).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from xml.etree.ElementTree import Element

from . import Defect, Draft, Laid
from .pages import (
    Parents,
    element_pages,
    first_words,
    opening_section,
    parents_of,
    root_element,
    selector,
    text_of,
)

NAME = "lead-in"

#: The class text/render.py gives a paragraph that ends with a colon before a list, a table or a
#: quotation.
LEAD_IN_CLASS = "lead-in"


def find(laid: Laid) -> list[Defect]:
    spans = element_pages(laid.document)
    parents = parents_of(root_element(laid.document))
    found = []
    for element, (_, last) in spans.items():
        if element.tag != "p" or LEAD_IN_CLASS not in (element.get("class") or "").split():
            continue
        introduced = _next(element, parents)
        if introduced is not None and introduced in spans and spans[introduced][0] > last:
            found.append(Defect(NAME, last, text_of(element),
                                f"‘{text_of(element)}’ ends the page, the "
                                f"{_KINDS.get(introduced.tag, 'table')} it "
                                "introduces starts the next; shorten the text before it, or "
                                "the list, table or quotation, so that they share a page",
                                first_words(element)))
    return sorted(found, key=lambda d: d.page)


def repair(laid: Laid, defects: Sequence[Defect]) -> Draft | None:
    return next(repairs(laid, defects), None)


def repairs(laid: Laid, defects: Sequence[Defect]) -> Iterator[Draft]:
    """First the lead-ins kept with what follows them (`break-after: avoid`, which takes their
    last lines over the page); where WeasyPrint cannot honour that (a quotation kept whole
    after a lead-in of two lines), what they introduce may break, so that it starts under
    them; last, the lead-ins start the next page, with the headings they follow."""
    spans = element_pages(laid.document)
    parents = parents_of(root_element(laid.document))
    leads = [element for element, (_, last) in spans.items()
             if element.tag == "p" and LEAD_IN_CLASS in (element.get("class") or "").split()
             and any(d.page == last for d in defects)]
    steps: tuple[tuple[Callable[[Element], Element | None], str], ...] = (
        (lambda lead: lead, "break-after: avoid"),
        (lambda lead: _next(lead, parents), "break-inside: auto"),  # a quote kept whole
        (lambda lead: opening_section(lead, parents), "break-before: page"))
    for target_of, rule in steps:
        draft = laid.draft
        for element in leads:
            target = target_of(element)
            if target is None:
                continue
            hint = f"{selector(target, parents)} {{ {rule}; }}"
            if hint not in draft.css:
                draft = draft.with_css(hint)
        if draft != laid.draft:
            yield draft


#: What a lead-in introduces, by the element that follows it (a table is wrapped in a div).
_KINDS = {"ul": "list", "ol": "list", "blockquote": "quotation"}


def _next(element: Element, parents: Parents) -> Element | None:
    """The element after `element` (the list or the table's wrapper it introduces)."""
    parent = parents.get(element)
    if parent is None:
        return None
    siblings = list(parent)
    index = siblings.index(element)
    return siblings[index + 1] if index + 1 < len(siblings) else None
