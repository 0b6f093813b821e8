"""fit: the text fits its page budget, and the last page is never only the closing blocks.

A designer who finds a brief one page over its budget, or ending on a page that holds nothing
but the contact block and the colophon, does not cut text: they tighten the setting a little —
the leading, the space between blocks, the contact block set beside the colophon. The audience
says which of these steps its design allows (`fit:` in audiences.yaml, tried in the order written,
each added to those before); `STEPS` is the one table of them. The first layout that fits is
kept; where none does, the page budget's error stands (pdf.budget_error), naming the steps tried.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from . import Defect, Draft, Laid
from .pages import forced_start, parents_of, printed_boxes, root_element, within

NAME = "fit"

#: The blocks a brief closes with: they may share the last page, never fill it alone.
CLOSING = ("contact", "colophon")
#: The element that must end on page 1 when the audience lists `key-messages`.
KEY_MESSAGES = "key-messages"

#: How a defect of an output longer than its budget says so.
OVER_BUDGET = "over the budget"

#: How much tighter the leading gets (a unitless line-height, as 1.45 → 1.40).
LEADING_STEP = 0.05
#: The share of the space between blocks that is kept.
SPACING_KEPT = 0.7
#: The block elements whose space before and after `spacing` tightens.
SPACED = ("p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "figure", "table")


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    what: str  # for a person: what the step does
    css: Callable[[Laid], str]  # the CSS laid over the design, measured on the output's layout


def _leading(laid: Laid) -> str:
    height = _root_style(laid)["line_height"]
    if isinstance(height, int | float):  # unitless: what the body's text inherits
        return f"html {{ line-height: {max(1.0, float(height) - LEADING_STEP):.3f}; }}"
    if getattr(height, "unit", None) == "px":
        font = float(_root_style(laid)["font_size"])
        return f"html {{ line-height: {max(font, float(height.value) * 0.965):.2f}px; }}"
    return "html { line-height: 1.3; }"  # `normal`: about 1.2 in most fonts, 1.3 is close


def _spacing(laid: Laid) -> str:
    """The element types' most common margins, as laid out, times `SPACING_KEPT`, written with
    the lowest specificity: where the design sets a margin for a class or a context, it stays."""
    margins: dict[str, Counter[tuple[float, float]]] = {}
    for page in laid.document.pages:
        for box in page._page_box.children[0].descendants():
            element = getattr(box, "element", None)
            tag = getattr(box, "element_tag", None)
            if element is None or tag not in SPACED or not hasattr(box, "margin_top"):
                continue
            margins.setdefault(tag, Counter())[(float(box.margin_top or 0),
                                                 float(box.margin_bottom or 0))] += 1
    rules = []
    for tag in SPACED:
        if tag in margins:
            top, bottom = margins[tag].most_common(1)[0][0]
            if top or bottom:
                rules.append(f"{tag} {{ margin-top: {top * SPACING_KEPT:.2f}px; "
                             f"margin-bottom: {bottom * SPACING_KEPT:.2f}px; }}")
    return "\n".join(rules)


def _beside(laid: Laid) -> str:
    return (".contact, .colophon { display: inline-block; vertical-align: top; "
            "box-sizing: border-box; margin-top: 6mm; }\n"
            ".contact { width: 56%; margin-right: 4%; }\n.colophon { width: 38%; }")


def _key_messages(laid: Laid) -> str:
    return (f".{KEY_MESSAGES} {{ line-height: 1.3; padding-top: 2.5mm; padding-bottom: 1.5mm; "
            "margin-top: 2mm; margin-bottom: 4mm; }\n"
            f".{KEY_MESSAGES} li {{ margin-bottom: 0.2em; }}")


def _root_style(laid: Laid) -> Any:
    return laid.document.pages[0]._page_box.children[0].style


#: The steps a design may allow, by the name `fit:` lists them under.
STEPS: dict[str, Step] = {step.name: step for step in (
    Step("leading", "slightly tighter leading", _leading),
    Step("spacing", "less space between blocks", _spacing),
    Step("contact-beside-colophon", "the contact block beside the colophon", _beside),
    Step("key-messages", "a tighter box of key messages, to keep them on page 1",
         _key_messages),
)}


def _marker(name: str) -> str:
    return f"/* fit: {name} */"


def taken(draft: Draft) -> tuple[str, ...]:
    """The steps a draft was laid out with, in order (their names)."""
    return tuple(name for css in draft.css for name in STEPS if css.startswith(_marker(name)))


def describe(names: Sequence[str]) -> str:
    """The steps for a person: "slightly tighter leading and less space between blocks"."""
    words = [STEPS[name].what for name in names]
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


# ---------------------------------------------------------------------------------------------
# The rule


def find(laid: Laid) -> list[Defect]:
    found = []
    budget = laid.context.max_pages
    if budget is not None and laid.pages > budget:
        found.append(Defect(NAME, laid.pages, "", f"{laid.pages} pages, {OVER_BUDGET} of "
                            f"{budget}"))
    elif _closing_only(laid):
        found.append(Defect(NAME, laid.pages, "", "the last page holds only the contact block "
                            "and colophon"))
    if KEY_MESSAGES in laid.context.fit and _key_messages_leave_page_1(laid):
        found.append(Defect(NAME, 1, "", "the key messages do not end on page 1"))
    return found


def repair(laid: Laid, defects: Sequence[Defect]) -> Draft | None:
    return next(repairs(laid, defects), None)


def repairs(laid: Laid, defects: Sequence[Defect]) -> Iterator[Draft]:
    """The audience's steps not taken yet. Over the budget (the output would fail): added one
    at a time, the smallest change first. Otherwise (the closing blocks alone on the last page,
    key messages past page 1) all at once, one layout: that a build pays for every time."""
    done = taken(laid.draft)
    draft = laid.draft
    over = any(OVER_BUDGET in d.message for d in defects)
    for name in laid.context.fit:
        if name in done or name not in STEPS:
            continue
        css = STEPS[name].css(laid)
        if not css:
            continue
        draft = draft.with_css(f"{_marker(name)}\n{css}")
        if over:
            yield draft
    if not over and draft != laid.draft:
        yield draft


def steps_css(laid: Laid) -> tuple[str, ...]:
    """The CSS of the audience's steps not taken yet, each marked as `repairs` marks them (so
    that `taken` names them)."""
    done = taken(laid.draft)
    return tuple(f"{_marker(name)}\n{css}" for name in laid.context.fit
                 if name in STEPS and name not in done and (css := STEPS[name].css(laid)))


def _closing_only(laid: Laid) -> bool:
    """The last page (of two or more) holds only closing blocks, not put there by design."""
    if laid.pages < 2:
        return False
    page = laid.document.pages[-1]
    lines = printed_boxes(page)
    if not lines or forced_start(page):
        return False
    parents = parents_of(root_element(laid.document))
    return all(any(within(box.element, parents, name) is not None for name in CLOSING)
               for box in lines)


def _key_messages_leave_page_1(laid: Laid) -> bool:
    """Some of the key messages are on page 2 (they are set first: page 2 is enough to see)."""
    if laid.pages < 2:
        return False
    parents = parents_of(root_element(laid.document))
    return any(within(box.element, parents, KEY_MESSAGES) is not None
               for box in printed_boxes(laid.document.pages[1]))
