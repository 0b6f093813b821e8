"""The web edition's design and words (issue 21, review of the web edition): what a download
is called for readers, the fonts' faces and letters, the metadata for scholars and social sites,
the social card, the licence of the fonts served."""

from __future__ import annotations

import io
import json
import re
import textwrap

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw

from generator.make import web
from generator.make.web import card, fonts
from generator.make.web.notes import WIDE_COLUMNS
from generator.project import Project
from generator.run.pipeline import load_brief

from .support import SAMPLE, copy_project, edit, write
from .test_web_page import fake_pdfs, tree


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return Project.at(copy_project(tmp_path_factory.mktemp("design")))


def page_of(project, brief_id, language, *, published=None, downloads=(), draft=False):
    brief = load_brief(project, brief_id)
    audience = brief.audience("web")
    assert audience is not None
    return web.render_page(project, brief, audience, language,
                           published=published or brief.languages, downloads=downloads,
                           draft=draft)


def test_a_pdf_without_a_title_in_the_language_is_named_by_what_it_is_with_a_warning(
        tmp_path):
    project = Project.at(copy_project(tmp_path))
    audiences = project.content / "audiences.yaml"
    edit(audiences, '    pl: "Pełny dokument (A4, do druku)"\n', "")
    edit(audiences, '    pl: "Notatka dla posłów do Parlamentu Europejskiego"\n', "")
    page = page_of(project, SAMPLE, "pl", downloads=fake_pdfs(project, "pl"))
    labels = [text for _, _, text in tree(page.html).find("a", type="application/pdf")]
    assert labels == ["PDF (A4) do druku", "PDF (A4) do czytania na ekranie"]
    located = [w for w in page.warnings if "has no title in 'pl'" in str(w)]
    assert len(located) == 2
    assert all(w.mark.path == audiences and w.mark.line > 1 for w in located)
    assert "'full'" in str(located[0]) and "title: {pl:" in str(located[0])


def greek_brief(project, brief_id="greek", organisation="Ένωση Ιατρών Φυσικοθεραπείας",
                body="Κείμενο."):
    write(project, textwrap.dedent(f"""\
        title: "Δοκιμή"
        organisation: "{organisation}"
        date: "2024-05-01"
        url: "https://example.org/greek"
        languages: [el]
        audiences: [web]
        sections:
          - id: keimeno
            title: "Κείμενο"
            body: |
        """) + textwrap.indent(body, "      ") + "\n", brief_id)
    return brief_id


def cmap(data: bytes) -> set[int]:
    return set(TTFont(io.BytesIO(data)).getBestCmap())


def test_the_small_print_and_bold_italic_have_their_own_faces(project):
    """Inter Regular for the date, captions, details and colophon (not SemiBold everywhere),
    Gentium Bold Italic for strong inside em (not synthesised): each face served, named in the
    CSS by the weight and style its file really has."""
    served = {(face.family, face.weight, face.style) for face in fonts.FACES}
    assert {("Inter", 400, "normal"), ("Inter", 600, "normal"),
            (fonts.TEXT_FAMILY, 700, "italic"), (fonts.TEXT_FAMILY, 400, "normal")} <= served
    page = page_of(project, SAMPLE, "en")
    css = page.files["en/fonts.css"].decode()
    weights = {}
    for face in fonts.FACES:
        font = TTFont(io.BytesIO(page.files[f"en/fonts/{face.woff2}"]))
        weights[face] = font["OS/2"].usWeightClass  # Gentium Book's "regular" is 500
        assert abs(weights[face] - face.weight) <= 100, face.file
        assert bool(font["OS/2"].fsSelection & 1) == (face.style == "italic"), face.file
        assert (f'font-family: "{face.family}"; src: url("fonts/{face.woff2}") format("woff2"); '
                f"font-weight: {face.weight}; font-style: {face.style};") in css


def test_the_capitals_css_draws_are_in_the_subsets(project):
    """The organisation is set in capitals by CSS: its Greek capitals, without accents as CSS
    writes Greek capitals, are in the subsets though the page writes them in lower case."""
    brief_id = greek_brief(project)
    page = page_of(project, brief_id, "el")
    for face in fonts.FACES:
        held = cmap(page.files[f"el/fonts/{face.woff2}"])
        assert {ord(c) for c in "ΕΝΩΣΗ ΙΑΤΡΩΝ ΦΥΣΙΚΟΘΕΡΑΠΕΙΑΣ" if c != " "} <= held, face.file
    css = (project.styles / "web.css").read_text(encoding="utf-8")
    for selectors in re.findall(r"([^{}]+)\{[^}]*text-transform:\s*uppercase", css):
        classes = set(re.findall(r"\.([\w-]+)", selectors))
        assert classes and classes <= web.UPPERCASE_CLASSES, selectors


def test_a_bulgarian_organisation_in_capitals(project):
    write(project, textwrap.dedent("""\
        title: "Проба"
        organisation: "Сдружение за цифрови права"
        date: "2024-05-01"
        languages: [bg]
        audiences: [web]
        sections:
          - id: tekst
            body: "Текст."
        """), "bulgarian")
    page = page_of(project, "bulgarian", "bg")
    held = cmap(page.files["bg/fonts/Inter-600n.woff2"])
    assert {ord(c) for c in "СДРУЖЕНИЕ ЗА ЦИФРОВИ ПРАВА" if c != " "} <= held


def test_the_subsets_are_renamed_and_their_licences_served_beside_them(project):
    """A subset is a Modified Version under the OFL: Gentium's Reserved Font Names ("Gentium",
    "SIL") leave its names, its copyright stays, and the licences lie beside the subsets."""
    page = page_of(project, SAMPLE, "nl")
    for licence in ("LICENSE-GentiumBookPlus.txt", "LICENSE-Inter.txt"):
        assert page.files[f"nl/fonts/{licence}"] == (
            project.styles / "fonts" / licence).read_bytes()
    css = page.files["nl/fonts.css"].decode()
    assert "Gentium" not in re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert "LICENSE-GentiumBookPlus.txt" in css
    for face in fonts.FACES:
        names = TTFont(io.BytesIO(page.files[f"nl/fonts/{face.woff2}"]))["name"]
        for name_id in (1, 3, 4, 6, 16, 17):
            value = names.getDebugName(name_id) or ""
            assert "Gentium" not in value and "SIL" not in value, (face.file, name_id, value)
        assert names.getDebugName(1) == face.family
        if face.family == fonts.TEXT_FAMILY:
            assert "SIL International" in names.getDebugName(0)  # the copyright, kept
            assert "Reserved Font Name" in names.getDebugName(13)
    assert "Brief Text" in (project.styles / "web.css").read_text(encoding="utf-8")


def test_the_addresses_the_print_stylesheet_prints_are_in_the_subsets(project):
    address = "https://example.org/report_2024?id=7&lang=en%20x~y+z"
    brief_id = greek_brief(project, "greek-url", body=f"Κείμενο.^[Βλ. [έκθεση]({address}).]")
    page = page_of(project, brief_id, "el")
    held = cmap(page.files["el/fonts/BriefText-400n.woff2"])
    assert {ord(c) for c in address + "<>"} <= held


def test_a_page_over_150_kb_is_warned_of_at_its_largest_section(project):
    rows = "\n".join(f"| {n} | Γραμμή αριθμός {n} |" for n in range(2500))
    brief_id = greek_brief(project, "greek-heavy",
                           body=f"Ο πίνακας:\n\n| Αρ. | Κείμενο |\n|---|---|\n{rows}")
    page = page_of(project, brief_id, "el")
    assert web.page_weight(page.html, page.files) > web.WEIGHT_BUDGET
    [heavy] = [w for w in page.warnings if "kB before images and PDFs" in str(w)]
    assert heavy.mark.path == project.content / brief_id / "brief.yaml"
    assert heavy.mark.line == 8 and "'keimeno'" in str(heavy)
    light = page_of(project, SAMPLE, "en")
    assert not [w for w in light.warnings if "kB before images" in str(w)]


def test_every_table_box_is_named_and_only_a_wide_one_is_a_tab_stop(project):
    """No script can measure a table, so its columns decide: a table of `WIDE_COLUMNS` or more
    may scroll at 320 px and its box is a tab stop; every box is a region named by its caption,
    the lead-in or "Πίνακας 2" (the catalog's `table`) when nothing introduces it."""
    wide = " | ".join(f"Σ{n}" for n in range(WIDE_COLUMNS))
    ones = " | ".join("1" * WIDE_COLUMNS)
    body = (f"Οι αριθμοί:\n\n| {wide} |\n|{'---|' * WIDE_COLUMNS}\n| {ones} |"
            "\n\nΚείμενο.\n\n| Α | Β |\n|---|---|\n| 1 | 2 |\n")
    page = tree(page_of(project, greek_brief(project, "greek-tables", body=body), "el").html)
    boxes = [a for _, a, _ in page.find("div", **{"class": "table"})]
    captions = {a["id"]: text for _, a, text in page.find("caption")}
    assert [captions[box["aria-labelledby"]] for box in boxes] == ["Οι αριθμοί", "Πίνακας 2"]
    assert all(box["role"] == "region" for box in boxes)
    assert [box.get("tabindex") for box in boxes] == ["0", None]


def test_the_language_list_is_named_and_the_chooser_has_fonts_and_a_description(tmp_path):
    project = Project.at(copy_project(tmp_path))
    brief = load_brief(project, SAMPLE)
    audience = brief.audience("web")
    published = ("en", "pl")  # nl, the original, has no page: the chooser borrows en's fonts
    pages = {code: web.render_page(project, brief, audience, code, published=published,
                                   downloads=()) for code in published}
    [(_, nav, _)] = tree(pages["pl"].html).find("nav")
    assert nav["aria-label"] == "Języki"
    index = web.render_index(project, brief, audience, published).decode()
    parsed = tree(index)
    sheets = [a["href"] for _, a, _ in parsed.find("link", rel="stylesheet")]
    assert sheets == ["assets/web.css", "en/fonts.css"] and "en/fonts.css" in pages["en"].files
    [(_, description, _)] = parsed.find("meta", name="description")
    assert description["content"] and "<" not in description["content"]
    shown = {ord(c) for c in web._visible_text(index) if not c.isspace()}
    for face in fonts.FACES:
        assert shown <= cmap(pages["en"].files[f"en/fonts/{face.woff2}"]), face.file


REFS = json.dumps([
    {"id": "rossi2022", "type": "report", "title": "Rapporto sulla rete",
     "author": [{"family": "Rossi", "given": "Maria"}, {"family": "Bianchi", "given": "Luca"},
                {"literal": "Istituto per la rete"}],
     "publisher": "Editore Uno", "issued": {"date-parts": [[2022, 3, 1]]},
     "URL": "https://example.org/rapporto"},
    {"id": "verdi2021", "type": "article-journal", "title": "Un articolo",
     "author": [{"family": "Verdi", "given": "Anna"}], "container-title": "Rivista",
     "issued": {"date-parts": [[2021]]}},
])


def test_the_json_ld_and_highwire_tags_say_who_wrote_what_and_which_pdf(tmp_path):
    project = Project.at(copy_project(tmp_path))
    write(project, textwrap.dedent("""\
        title: "Una prova della rete, con un titolo"
        subtitle: "Il sottotitolo"
        organisation: "Associazione"
        date: "2024-05-01"
        url: "https://example.org/prova"
        languages: [it]
        audiences: {full: {languages: [it]}, mep: {languages: [it]}, web: {}}
        bibliography: refs.json
        summary: "Il riassunto della prova."
        sections:
          - id: testo
            title: "Testo"
            body: "Un fatto.[@rossi2022] Un altro.^[Si veda [@verdi2021], p. 3.]"
          - id: solo
            audiences: [full]
            title: "Solo per il documento completo"
            body: "Di più."
        """), "prova")
    (project.content / "prova" / "refs.json").write_text(REFS, encoding="utf-8")
    downloads = []
    for name in ("mep", "full"):  # the caller lists mep first: the full brief is still chosen
        path = project.out / "prova" / f"prova.{name}.it.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.7\n")
        downloads.append(web.Download(name, path.name, 9 if name == "mep" else 4, 10))
    page = page_of(project, "prova", "it", downloads=tuple(downloads))
    parsed = tree(page.html)
    meta = {a["name"]: a["content"] for _, a, _ in parsed.find("meta") if "name" in a}
    assert meta["citation_pdf_url"] == "https://example.org/prova/it/prova.full.it.pdf"
    assert meta["citation_technical_report_institution"] == "Associazione"
    [(_, _, data)] = parsed.find("script", type="application/ld+json")
    report = json.loads(data)
    assert report["headline"] == "Una prova della rete, con un titolo"
    assert report["description"] == meta["description"] == "Il riassunto della prova."
    assert report["image"]["url"] == "https://example.org/prova/it/card.png"
    assert report["encoding"]["contentUrl"] == meta["citation_pdf_url"]
    rossi, verdi = report["citation"]  # verdi2021 is cited only inside a free note
    assert rossi["author"] == [{"@type": "Person", "name": "Maria Rossi"},
                               {"@type": "Person", "name": "Luca Bianchi"},
                               {"@type": "Organization", "name": "Istituto per la rete"}]
    assert rossi["publisher"] == {"@type": "Organization", "name": "Editore Uno"}
    assert verdi["name"] == "Un articolo"
    assert verdi["author"] == [{"@type": "Person", "name": "Anna Verdi"}]


@pytest.mark.parametrize(("language", "locale"), [
    ("en", "en"), ("pt", "pt"), ("pt-PT", "pt_PT"), ("pt-BR", "pt_BR"), ("el", "el_GR"),
    ("ga", "ga_IE"), ("sl", "sl_SI"), ("nl", "nl_NL")])
def test_og_locale_takes_no_region_the_eu_does_not_use(language, locale):
    assert web.og_locale(language) == locale


def _ink_outside(png: bytes, *, bottom: int = card.HEIGHT) -> list[tuple[int, int]]:
    """Pixels of text (not the background) in the card's right and bottom margins."""
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
        accent = rgb.getpixel((2, 2))
        margin = card.MARGIN - 8
        return [(x, y) for x in range(0, card.WIDTH, 2) for y in range(0, bottom, 2)
                if (x >= card.WIDTH - margin or y >= card.HEIGHT - margin)
                and rgb.getpixel((x, y)) != accent]


@pytest.mark.parametrize(("title", "organisation"), [
    ("Short title", "Europäische Arbeitsgemeinschaft für Grundrechte, Datenschutz und "
     "Informationsfreiheit in der digitalen Gesellschaft e. V."),
    ("Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft",
     "NGO"),
    (" ".join(["Een heel lange titel over de bescherming van kinderen"] * 14), "NGO")])
def test_the_social_card_keeps_every_text_on_the_card(project, title, organisation):
    png = card.social_card(project.styles, title, organisation, "de")
    assert not _ink_outside(png)


def test_the_card_breaks_no_line_at_a_no_break_space_and_marks_a_draft(project):
    image = Image.new("RGB", (10, 10))
    setter = card._Setter(ImageDraw.Draw(image), "fr")
    font = card._font((project.styles / "fonts" / card.TITLE_FONT).read_bytes(), 72)
    lines = setter.lines("Que font les experts\u202f? Rien\u00a0!", font, 560)
    assert all(not line.startswith(("?", "!")) for line in lines), lines
    assert any("experts\u202f?" in line for line in lines), lines
    draft = card.social_card(project.styles, "Un titre", "ONG", "fr", draft="Brouillon")
    final = card.social_card(project.styles, "Un titre", "ONG", "fr")
    with Image.open(io.BytesIO(draft)) as a, Image.open(io.BytesIO(final)) as b:
        assert a.convert("RGB").getpixel((5, card.HEIGHT - 5)) == (0xa3, 0x3a, 0x00)
        assert b.convert("RGB").getpixel((5, card.HEIGHT - 5)) == (0x0b, 0x5c, 0x6b)
    page = page_of(project, SAMPLE, "de", published=("nl",), draft=True)
    assert page.files["de/card.png"] != page_of(project, SAMPLE, "de").files["de/card.png"]
