"""Two identities, one brief (issue 22): the sample built under its own `_brand.yml` (teal,
Gentium Book Plus and Inter, the Bits of Freedom logo) and under a very different one
(tests/data/identities/aurora: aubergine and orange on cream, Aurora Sans and Source Serif 4, a
raster logo), with no template or stylesheet touched; each output read back as a reader's
software reads it — the colours in the PDFs' content streams, the fonts they embed, the logo
drawn on the cover and the letterhead, the web page's stylesheets and logo — never the HTML."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest

from generator.project import Project

from .support import REPO, SAMPLE, copy_project, edit, pages_text, run_cli

pytestmark = pytest.mark.slow

LETTER_DATE = "2023-01-10"
RECIPIENT = "lukasz-wrobel"  # a Polish MEP: the letter in Polish, the brief in English


@dataclass(frozen=True)
class Identity:
    folder: Path  # holds _brand.yml and brand/
    name: str  # meta.name.full: the logo's alternative text
    accent: str  # color.primary
    accent_cmyk: tuple[float, float, float, float]  # its print value (defaults: brief: cmyk:)
    fonts: tuple[str, ...]  # the families the PDFs embed, as PDF names them without spaces
    logo_pixels: tuple[int, int] | None  # the large logo's size when it is a raster image
    mark_colour: str  # a colour the letterhead's logo (medium) alone draws on the letter's page
    letter_lines: tuple[str, ...]  # the letterhead's address, register number and signatory
    #: what the organisation's audiences.yaml adds to the handout's design: a wider typeface
    #: sets the sample's text a page longer, past the booklet's 4 pages, unless it may fit
    handout_fit: str = ""


SAMPLE_IDENTITY = Identity(
    folder=REPO, name="Bits of Freedom", accent="#0b5c6b",
    accent_cmyk=(0.92, 0.32, 0.35, 0.38), fonts=("GentiumBookPlus", "Inter"),
    logo_pixels=None, mark_colour="#0b5c6b",
    letter_lines=("Postbus 10746", "1234567890-12", "Marit de Vries"))
AURORA = Identity(
    folder=REPO / "tests" / "data" / "identities" / "aurora", name="Aurora Civic Foundation",
    accent="#3d1a5b", accent_cmyk=(0.78, 0.98, 0.22, 0.32),
    fonts=("AuroraSans", "SourceSerif4"), logo_pixels=(1276, 304), mark_colour="#e8702a",
    letter_lines=("Kastanienallee 12", "987654321098-76", "Zofia Łęcka-Dürr",
                  "Dyrektorka wykonawcza"),  # the role in the letter's language (Polish)
    handout_fit="[leading, spacing]")
IDENTITIES = {"sample": SAMPLE_IDENTITY, "aurora": AURORA}


#: What `brief build` said under each identity (its warnings).
BUILD_OUTPUT: dict[str, str] = {}


def _other(identity: Identity) -> Identity:
    return AURORA if identity is SAMPLE_IDENTITY else SAMPLE_IDENTITY


@pytest.fixture(scope="module", params=sorted(IDENTITIES))
def built(request, tmp_path_factory) -> tuple[Identity, Project]:
    """The sample project with one identity's _brand.yml and brand/ (nothing else changed),
    built, and one personal copy of the MEP brief made (its cover letter)."""
    identity = IDENTITIES[request.param]
    root = copy_project(tmp_path_factory.mktemp(request.param))
    shutil.copy2(identity.folder / "_brand.yml", root / "_brand.yml")
    shutil.copytree(identity.folder / "brand", root / "brand")
    if identity.handout_fit:  # content, not design: no template or stylesheet is touched
        edit(root / "content" / "audiences.yaml", "  qr: true\n",
             f"  qr: true\n  fit: {identity.handout_fit}\n")
    project = Project.at(root)
    result = run_cli(project, "build", SAMPLE, "-j", "1")
    assert result.exit_code == 0, result.output
    BUILD_OUTPUT[request.param] = result.output
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep", "--only", RECIPIENT,
                     "--date", LETTER_DATE, "-j", "1")
    assert result.exit_code == 0, result.output
    return identity, project


def _pdf(project: Project, audience: str, language: str) -> Path:
    return project.root / "out" / SAMPLE / f"{SAMPLE}.{audience}.{language}.pdf"


def _letter(project: Project) -> Path:
    return project.root / "out" / SAMPLE / "personal" / "mep" / f"{RECIPIENT}.pdf"


# ---------------------------------------------------------------------------------------------
# Reading a PDF


def _streams(pdf: pikepdf.Pdf, page: int | None = None) -> bytes:
    """The content streams of every page (or one), and of the forms they draw, decoded."""
    chunks: list[bytes] = []
    seen: set[tuple[int, int]] = set()

    def resources(res: pikepdf.Object) -> None:
        for xobject in res.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                chunks.append(xobject.read_bytes())
                if "/Resources" in xobject:
                    resources(xobject.Resources)

    for page_object in pdf.pages if page is None else [pdf.pages[page]]:
        contents = page_object.obj.get("/Contents")
        streams = contents if isinstance(contents, pikepdf.Array) else [contents]
        chunks.extend(stream.read_bytes() for stream in streams)
        resources(page_object.resources)
    return b"\n".join(chunks)


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    value = hex_colour.lstrip("#")
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


_NUMBER = rb"(-?\d*\.?\d+)"
_RGB_OPERATOR = re.compile(rb"%s %s %s (?:rg|RG|sc|SC|scn|SCN)\b" % ((_NUMBER,) * 3))
_CMYK_OPERATOR = re.compile(rb"%s %s %s %s (?:k|K|sc|SC|scn|SCN)\b" % ((_NUMBER,) * 4))


def _colours(data: bytes, operator: re.Pattern[bytes]) -> set[tuple[float, ...]]:
    return {tuple(round(float(n), 3) for n in m.groups()) for m in operator.finditer(data)}


def _has_rgb(data: bytes, hex_colour: str) -> bool:
    wanted = tuple(round(c, 3) for c in _rgb(hex_colour))
    return wanted in _colours(data, _RGB_OPERATOR)


def _has_cmyk(data: bytes, cmyk: tuple[float, ...]) -> bool:
    return tuple(round(c, 3) for c in cmyk) in _colours(data, _CMYK_OPERATOR)


def _font_names(pdf: pikepdf.Pdf) -> set[str]:
    """Every embedded font's name, its subset tag and punctuation removed
    ("ABCDEF+Source-Serif-4-Bold" → "SourceSerif4Bold")."""
    names: set[str] = set()

    def resources(res: pikepdf.Object) -> None:
        for font in res.get("/Font", {}).values():
            names.add(re.sub(r"[^A-Za-z0-9]", "", str(font.get("/BaseFont", "")).split("+")[-1]))
        for xobject in res.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                resources(xobject.Resources)

    for page in pdf.pages:
        resources(page.resources)
    return names


def _images(pdf: pikepdf.Pdf, page: int) -> set[tuple[int, int]]:
    """The pixel sizes of the raster images drawn on a page (in its forms too)."""
    found: set[tuple[int, int]] = set()

    def resources(res: pikepdf.Object) -> None:
        for xobject in res.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Image":
                found.add((int(xobject.Width), int(xobject.Height)))
            elif xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                resources(xobject.Resources)

    resources(pdf.pages[page].resources)
    return found


def _figures(pdf: pikepdf.Pdf) -> list[tuple[str, int | None]]:
    """Each tagged figure's alternative text and the page (0-based) it is on."""
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    found: list[tuple[str, int | None]] = []

    def walk(element: pikepdf.Object, page: int | None) -> None:
        if isinstance(element, pikepdf.Array):
            for child in element:
                walk(child, page)
            return
        if not isinstance(element, pikepdf.Dictionary):
            return
        if "/Pg" in element:
            page = pages.get(element.Pg.objgen, page)
        if element.get("/S") == "/Figure":
            found.append((str(element.get("/Alt", "")), page))
        if "/K" in element:
            walk(element.K, page)

    root = pdf.Root.get("/StructTreeRoot")
    if root is not None and "/K" in root:
        walk(root.K, None)
    return found


# ---------------------------------------------------------------------------------------------
# The PDFs


@pytest.mark.parametrize(("audience", "language"), [("full", "nl"), ("mep", "en"), ("mep", "pl")])
def test_the_accent_is_the_identity_s(built, audience, language):
    identity, project = built
    with pikepdf.open(_pdf(project, audience, language)) as pdf:
        data = _streams(pdf)
    assert _has_rgb(data, identity.accent), sorted(_colours(data, _RGB_OPERATOR))
    assert not _has_rgb(data, _other(identity).accent)


def test_the_print_shop_s_pdf_has_the_identity_s_cmyk(built):
    identity, project = built
    with pikepdf.open(_pdf(project, "handout", "nl")) as pdf:
        data = _streams(pdf)
    assert _has_cmyk(data, identity.accent_cmyk), sorted(_colours(data, _CMYK_OPERATOR))
    assert not _has_cmyk(data, _other(identity).accent_cmyk)


def test_the_print_shop_s_pdf_has_no_rgb_from_the_identity(built):
    """The logo on the handout's covers prints in inks (an SVG's colours as device-cmyk, a
    raster logo as it is tagged): preflight finds no RGB colour in the PDF/X output."""
    identity, _ = built
    output = BUILD_OUTPUT["sample" if identity is SAMPLE_IDENTITY else "aurora"]
    assert "RGB colour" not in output, output


@pytest.mark.parametrize(("audience", "language"),
                         [("full", "nl"), ("mep", "fr"), ("mep", "pl"), ("handout", "nl")])
def test_the_fonts_embedded_are_the_identity_s(built, audience, language):
    identity, project = built
    with pikepdf.open(_pdf(project, audience, language)) as pdf:
        names = _font_names(pdf)
    for family in identity.fonts:
        assert any(name.startswith(family) for name in names), (family, names)
    for family in _other(identity).fonts:
        assert not any(name.startswith(family) for name in names), (family, names)


@pytest.mark.parametrize(("audience", "language"), [("full", "nl"), ("mep", "en")])
def test_the_logo_is_on_the_cover(built, audience, language):
    identity, project = built
    with pikepdf.open(_pdf(project, audience, language)) as pdf:
        assert (identity.name, 0) in _figures(pdf)  # drawn on page 1, named for a screen reader
        if identity.logo_pixels:
            assert identity.logo_pixels in _images(pdf, 0)


def test_the_handout_has_its_logo_on_both_covers(built):
    identity, project = built
    if identity.logo_pixels is None:
        pytest.skip("a vector logo: drawn as paths, in the accent's own colour")
    with pikepdf.open(_pdf(project, "handout", "nl")) as pdf:
        back = len(pdf.pages) - 1
        assert identity.logo_pixels in _images(pdf, 0)  # the variant for the band
        assert identity.logo_pixels in _images(pdf, back)


def test_the_letter_is_on_the_identity_s_letterhead(built):
    identity, project = built
    with pikepdf.open(_letter(project)) as pdf:
        figures = _figures(pdf)
        letter_page = _streams(pdf, 0)
    assert (identity.name, 0) in figures  # the letterhead's logo
    assert (identity.name, 1) in figures  # the brief's cover after it
    assert _has_rgb(letter_page, identity.mark_colour)
    assert _has_rgb(letter_page, identity.accent)
    text = pages_text(_letter(project))[0]
    for line in identity.letter_lines:
        assert line in text, (line, text)
    assert "Rejestr służący przejrzystości UE" in text  # the register's label, in Polish


# ---------------------------------------------------------------------------------------------
# The web page


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stylesheets: list[str] = []
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "stylesheet" and values.get("href"):
            self.stylesheets.append(str(values["href"]))
        if tag == "img":
            self.images.append(values)


def test_the_web_page_has_the_identity_s_colours_fonts_and_logo(built):
    identity, project = built
    page_path = project.root / "out" / SAMPLE / "web" / "en" / "index.html"
    page = _Page()
    page.feed(page_path.read_text(encoding="utf-8"))
    sheets = {(page_path.parent / href).resolve(): "" for href in page.stylesheets}
    for path in sheets:
        sheets[path] = path.read_text(encoding="utf-8")
    css = "\n".join(sheets.values())  # in the order the page links them: the last value wins
    assert re.findall(r"--accent:\s*(#[0-9a-fA-F]{6})", css)[-1].lower() == identity.accent
    logos = [image for image in page.images if image.get("alt") == identity.name]
    assert logos, page.images
    assert (page_path.parent / str(logos[0]["src"])).is_file()
    if identity is AURORA:
        assert "Aurora Sans" in re.findall(r"--font-text:([^;]*);", css)[-1]
        assert "Source Serif 4" in re.findall(r"--font-headings:([^;]*);", css)[-1]
        fonts = [path.parent / url for path, text in sheets.items()
                 for url in re.findall(r'url\("?([^")]+\.woff2?)"?\)', text)]
        assert fonts and all(font.is_file() for font in fonts), fonts


def test_the_social_card_is_in_the_identity_s_colours(built):
    """The web page's card (og:image) is drawn on the identity's accent, not the teal."""
    from PIL import Image

    identity, project = built
    with Image.open(project.root / "out" / SAMPLE / "web" / "en" / "card.png") as card:
        corner = card.convert("RGB").getpixel((5, 5))
    assert f"#{corner[0]:02x}{corner[1]:02x}{corner[2]:02x}" == identity.accent
