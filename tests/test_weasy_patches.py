"""generator.make.weasy_patches: WeasyPrint's footnote-area update, memoized per layout (issue
23), is installed by a layout, changes no page, no note's page and no PDF byte, and is left out on
any WeasyPrint other than the one it was written against."""

from __future__ import annotations

from typing import Any

import pytest

from generator.errors import Mark
from generator.make import pdf, weasy_patches
from generator.project import Project

from .support import copy_project, isolated_fonts

WORDS = ("the agency reported that rural regions received less than half of the funds they were "
         "promised while the cities kept most of the money for projects started years before")


def note(number: int) -> str:
    """A note of 3 to 33 words: some short, some of several lines."""
    words = WORDS.split()
    text = " ".join(words[(number * 7) % 10:][: 3 + (number * 11) % 31])
    return f'<span class="fn" data-fn="{number}">{number}. {text}.</span>'


def notes_html(columns: str) -> str:
    """A6 pages: 3 paragraphs with 10 note calls each, more notes than a page's foot holds."""
    paragraphs = []
    for paragraph in range(3):
        parts = [f"Sentence {i} of paragraph {paragraph + 1} says what it says"
                 f"{note(paragraph * 10 + i + 1)} and goes on for a while." for i in range(10)]
        paragraphs.append(f"<p>{' '.join(parts)}</p>")
    return f"""<!DOCTYPE html><html lang="en"><head><style>
@page {{ size: A6; margin: 10mm;
        @footnote {{ border-top: 0.5pt solid; padding-top: 1mm; margin-top: 2mm }} }}
body {{ font-family: Inter; font-size: 9pt }}
main {{ {columns} }}
.fn {{ float: footnote; font-size: 7pt }}
.fn + .fn::footnote-call {{ content: "," counter(footnote) }}
p {{ margin: 0 0 2mm }}
</style></head><body><main>{''.join(paragraphs)}</main></body></html>"""


@pytest.fixture(scope="module")
def patch_project(tmp_path_factory) -> Any:
    """The sample project, whose fonts alone WeasyPrint may see (as pdf.py arranges)."""
    project = Project.at(copy_project(tmp_path_factory.mktemp("weasy-patches")))
    yield from isolated_fonts(project)


@pytest.fixture
def weasyprint(patch_project):
    """WeasyPrint, imported after the fonts are isolated; the patch is as it was afterwards."""
    import weasyprint  # only after isolate_fonts (see patch_project)

    was = weasy_patches.installed(weasyprint)
    yield weasyprint
    weasy_patches.uninstall()
    if was:
        weasy_patches.install(weasyprint)


def render(weasyprint: Any, html: str, *, patched: bool,
           monkeypatch: pytest.MonkeyPatch) -> tuple[int, Any, bytes, dict[str, int]]:
    """Pages, `pdf.footnote_pages`, PDF bytes and the memo's counts of `html` laid out with or
    without the patch."""
    weasy_patches.uninstall()
    if patched:
        assert weasy_patches.install(weasyprint)
    contexts: list[Any] = []
    layout_context = weasyprint.layout.LayoutContext
    initialise = layout_context.__init__

    def recorded(self: Any, *positional: Any, **named: Any) -> None:
        initialise(self, *positional, **named)
        contexts.append(self)

    monkeypatch.setattr(layout_context, "__init__", recorded)
    try:
        document = weasyprint.HTML(string=html).render()
    finally:
        monkeypatch.setattr(layout_context, "__init__", initialise)
    counts: dict[str, int] = {}
    for context in contexts:
        memo = weasy_patches.memo(context)
        for key, value in (memo.counts.items() if memo else ()):
            counts[key] = counts.get(key, 0) + value
    return (len(document.pages), pdf.footnote_pages(document),
            document.write_pdf(pdf_identifier=b"weasy-patches"), counts)


def test_a_layout_installs_the_patch(weasyprint, patch_project):
    weasy_patches.uninstall()
    assert not weasy_patches.installed(weasyprint)
    html = weasyprint.HTML(string="""<!DOCTYPE html><html lang="en"><head>
<style>.fn { float: footnote }</style></head><body>
<p>A call<span class="fn" data-fn="1">A note.</span> on page 1.</p></body></html>""")
    session = pdf._session(patch_project)
    document = pdf._lay_out(html, [], session, {}, where=Mark(patch_project.root, 1),
                            output_name="probe")
    assert len(document.pages) == 1
    assert weasy_patches.installed(weasyprint)
    original = weasy_patches._installed["original"]
    assert weasyprint.layout.LayoutContext._update_footnote_area is not original


@pytest.mark.parametrize("columns", ["", "columns: 2; column-gap: 4mm"],
                         ids=["one column", "two columns"])
def test_many_notes_lay_out_the_same_with_and_without_the_patch(weasyprint, monkeypatch,
                                                                columns):
    html = notes_html(columns)
    pages, placed, pdf_bytes, counts = render(weasyprint, html, patched=False,
                                              monkeypatch=monkeypatch)
    calls, notes = placed
    assert len(calls) == 30 and pages >= 3, (pages, calls)
    assert any(notes[number] != {page} for number, page in calls.items()), \
        "no note is reported to a page after its call's: the case is not exercised"
    assert counts == {}  # WeasyPrint's own function made no memo

    patched = render(weasyprint, html, patched=True, monkeypatch=monkeypatch)
    assert patched[:2] == (pages, placed)
    assert patched[2] == pdf_bytes
    assert patched[3]["hits"] > 0 and patched[3]["unsafe"] == 0, patched[3]


def test_a_wrong_memo_would_be_seen(weasyprint, monkeypatch):
    """The comparison above can fail: a memo that answers every repeated area with no height
    puts the notes on other pages."""
    html = notes_html("")
    unpatched = render(weasyprint, html, patched=False, monkeypatch=monkeypatch)

    class Lying(dict[Any, Any]):
        def get(self, key: Any, default: Any = None) -> Any:
            return (0.0, 0.0, False) if key in self else default

    memo_class = weasy_patches.FootnoteAreaMemo

    def lying_memo() -> weasy_patches.FootnoteAreaMemo:
        return memo_class(results=Lying())

    monkeypatch.setattr(weasy_patches, "FootnoteAreaMemo", lying_memo)
    lied = render(weasyprint, html, patched=True, monkeypatch=monkeypatch)
    assert lied[3]["hits"] > 0
    assert lied[1] != unpatched[1] and lied[2] != unpatched[2]


def test_another_weasyprint_is_left_alone(weasyprint, monkeypatch):
    weasy_patches.uninstall()
    layout_context = weasyprint.layout.LayoutContext
    original = layout_context.__dict__["_update_footnote_area"]
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    assert weasy_patches.install(weasyprint) is False
    assert layout_context.__dict__["_update_footnote_area"] is original
    assert not weasy_patches.installed(weasyprint)


def test_a_changed_function_is_left_alone(weasyprint, monkeypatch):
    """WeasyPrint 70.0, but its footnote-area update is not the one the patch copies."""
    weasy_patches.uninstall()
    layout_context = weasyprint.layout.LayoutContext
    original = layout_context.__dict__["_update_footnote_area"]

    def changed(self: Any) -> Any:
        return original(self)

    monkeypatch.setattr(layout_context, "_update_footnote_area", changed)
    assert weasy_patches.install(weasyprint) is False
    assert layout_context.__dict__["_update_footnote_area"] is changed
