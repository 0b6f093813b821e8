"""impose: a booklet's finished PDF (a multiple of 4 pages) → the same pages imposed for folding.

An audience with `print: {imposition: booklet}` is a folded booklet. Its main PDF goes to the
print shop page by page (with bleed and marks); next to it goes `<name>.booklet.pdf` for an
office printer: two pages side by side on each side of a landscape sheet (A5 pages on A4, A4
on A3, any other size on a sheet twice as wide), each page cut to its TrimBox (no bleed, no
marks) and the pair centred on the sheet, meeting at the fold. Printed on both sides, flipped
on the short edge, the sheets stacked and folded in the middle read as the booklet:

    for n pages, sheet k (0-based): front = pages [n − 2k, 2k + 1], back = [2k + 2, n − 2k − 1]

Each page is placed as a form XObject (pikepdf's `Page.as_form_xobject`), named by its page number.
The booklet carries the output's document information (title, author, subject, keywords,
creator, producer, dates) and its language. Its title is the output's as it is: a word such as
"booklet" would be English in a Polish booklet, and the file name already tells the two apart.
"""

from __future__ import annotations

import io

import pikepdf

from ..read.model import PageSize

MM = 72 / 25.4

#: The document information a booklet takes over from its output, as it is.
INFO_KEYS = ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer",
             "/CreationDate", "/ModDate")

#: The landscape sheet (width, height in mm) a booklet of pages of a named size is printed on.
SHEETS_MM = {"A5": (297.0, 210.0), "A4": (420.0, 297.0), "A3": (594.0, 420.0)}


def sheet_mm(page: PageSize) -> tuple[float, float]:
    """The sheet for a booklet of `page`-sized pages: the next size up, landscape."""
    return SHEETS_MM.get(page.name, (2 * page.width_mm, page.height_mm))


def booklet_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) page numbers (1-based) of each side of each sheet, front then back."""
    if pages % 4:
        raise ValueError(f"a booklet needs a multiple of 4 pages, not {pages}")
    sides = []
    for k in range(pages // 4):
        sides.append((pages - 2 * k, 2 * k + 1))
        sides.append((2 * k + 2, pages - 2 * k - 1))
    return sides


def impose_booklet(pdf: bytes, sheet: tuple[float, float]) -> bytes:
    """The pages of `pdf` imposed two a side on sheets of `sheet` mm (width, height)."""
    width, height = sheet[0] * MM, sheet[1] * MM
    with pikepdf.open(io.BytesIO(pdf)) as source, pikepdf.new() as booklet:
        forms = []
        for page in source.pages:
            x0, y0, x1, y1 = (float(v) for v in page.trimbox)
            form = page.as_form_xobject()
            form.BBox = pikepdf.Array([x0, y0, x1, y1])  # only what is inside the trim
            forms.append((booklet.copy_foreign(form), x0, y0, x1 - x0, y1 - y0))
        for left, right in booklet_order(len(forms)):
            side = booklet.add_blank_page(page_size=(width, height))
            drawing = []
            for number, on_left in ((left, True), (right, False)):
                form, x0, y0, w, h = forms[number - 1]
                x = width / 2 - w if on_left else width / 2
                y = (height - h) / 2
                # Named by page number, not by pikepdf's add_overlay (a random name each run):
                # equal inputs give equal bytes.
                name = pikepdf.Name(f"/P{number}")
                side.add_resource(form, pikepdf.Name.XObject, name)
                drawing.append(f"q 1 0 0 1 {x - x0:.4f} {y - y0:.4f} cm {name} Do Q")
            side.obj.Contents = booklet.make_stream("\n".join(drawing).encode())
        _copy_metadata(source, booklet)
        out = io.BytesIO()
        booklet.save(out, deterministic_id=True)
    return out.getvalue()


def _copy_metadata(source: pikepdf.Pdf, booklet: pikepdf.Pdf) -> None:
    """The output's document information and language, on its booklet."""
    if source.trailer.get("/Info") is not None:
        info = source.docinfo
        for key in INFO_KEYS:
            if key in info:
                booklet.docinfo[key] = pikepdf.String(str(info[key]))
    lang = source.Root.get("/Lang")
    if lang is not None:
        booklet.Root.Lang = pikepdf.String(str(lang))
