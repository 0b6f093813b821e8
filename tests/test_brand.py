"""The organisation's identity (`_brand.yml`): read, validated at its lines, carried into every
output (docs/brand.md)."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time

import pikepdf
import pytest

from generator.errors import BriefError, Mark
from generator.make.brand import BrandView, brand_css, print_svg
from generator.make.letter import letter_html
from generator.project import OutputId, Project
from generator.read.brand import DEFAULT, STARTER_EXAMPLES, TOKENS, mix, read_brand
from generator.read.brand_checks import BrandWarning, placeholder_problems
from generator.read.recipients import Recipient
from generator.read.starter import BRAND as STARTER
from generator.run.build import build
from generator.run.manifest import brief_inputs_digest
from generator.run.pipeline import load_brief, prepare
from generator.run.watch import watch

from .support import REPO, SAMPLE, run_cli

LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
        '<rect width="120" height="40" fill="#c0ffee"/></svg>')

BRAND = """\
meta:
  name: {full: "Bits of Freedom", short: "BoF"}
  link: {home: "https://www.bitsoffreedom.nl/", mastodon: "https://x.social/@bof"}
logo:
  images:
    mark: {path: brand/logo.svg, alt: "BoF"}
  small: mark
  medium: {light: mark, dark: brand/logo-white.svg}
color:
  palette: {plum: "#6a1b4d", ink: "#101010", slate: "rgb(80 90 100)", white: "#ffffff"}
  primary: plum
  secondary: slate
  foreground: ink
  background: white
typography:
  fonts:
    - family: "Brand Sans"
      source: file
      files: [{path: brand/BrandSans.otf, weight: 600, style: normal}]
  base: "Gentium Book Plus"
  headings: {family: "Brand Sans", weight: 600}
defaults:
  brief:
    color:
      rule: "#777777"
    cmyk:
      plum: [0.2, "100%", 0, 0.3]
    address: |
      Postbus 10746
      1001 ES Amsterdam
    transparency-register: "1234567890-12"
    signatory: {name: "Evelyn Austin", role: "Director"}
"""


def with_brand(project: Project, text: str = BRAND) -> Project:
    """The project with `text` as its _brand.yml, and the logo and font files it names."""
    folder = project.root / "brand"
    folder.mkdir(exist_ok=True)
    (folder / "logo.svg").write_text(LOGO, encoding="utf-8")
    (folder / "logo-white.svg").write_text(LOGO.replace("#c0ffee", "#ffffff"),
                                           encoding="utf-8")
    shutil.copy(REPO / "styles" / "fonts" / "Inter-SemiBold.otf", folder / "BrandSans.otf")
    (project.root / "_brand.yml").write_text(text, encoding="utf-8")
    return project


def problems(project: Project) -> list[str]:
    with pytest.raises(BriefError) as caught:
        read_brand(project)
    return [line.replace(str(project.root) + os.sep, "") for line in caught.value.lines()]


def css_values(path, selector=":root") -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    block = re.search(re.escape(selector) + r"\s*\{(.*?)\}", text, re.DOTALL)
    assert block is not None
    return dict(re.findall(r"--([\w-]+):\s*([^;]+);", block[1]))


# ---------------------------------------------------------------------------------------------
# The packaged identity


def test_default_is_todays_look():
    """DEFAULT holds the packaged stylesheets' colours: base.css's, print-cmyk.css's CMYK
    values, web.css's focus ring; and today's families, no logo."""
    screen = css_values(REPO / "styles" / "base.css")
    cmyk = css_values(REPO / "styles" / "print-cmyk.css")
    assert set(DEFAULT.colours) == set(TOKENS)
    for token, colour in DEFAULT.colours.items():
        if token == "focus":
            assert colour.value == css_values(REPO / "styles" / "web.css")["focus"]
            continue
        assert colour.value == screen[token], token
        inks = tuple(float(v) for v in re.findall(r"[\d.]+", cmyk[token]))
        assert colour.cmyk == inks, token
    assert DEFAULT.text_family is not None and DEFAULT.text_family.name == "Gentium Book Plus"
    assert DEFAULT.headings_family is not None and DEFAULT.headings_family.name == "Inter"
    assert DEFAULT.logos == {} and DEFAULT.path is None and BrandView().logo("large") is None


def test_a_project_without_brand_file_has_the_default(project):
    assert read_brand(project) is DEFAULT


def test_a_misnamed_brand_file_is_an_error_not_ignored(project):
    (project.root / "_brand.yaml").write_text("meta: {name: X}\n", encoding="utf-8")
    assert problems(project) == ["_brand.yaml:1: the identity file is named '_brand.yaml', so "
                                 "brief does not read it; rename it to _brand.yml (at the "
                                 "project's root)"]


# ---------------------------------------------------------------------------------------------
# Reading


def test_reads_palette_tokens_derived_colours_and_brief_defaults(project):
    brand = read_brand(with_brand(project))
    colours = brand.colours
    assert set(colours) == set(TOKENS)
    assert colours["accent"].value == "#6a1b4d"  # primary: plum, through the palette
    assert colours["accent"].cmyk == (0.2, 1.0, 0.0, 0.3)  # cmyk: by palette name, 100% = 1
    assert colours["accent"].mark is not None and colours["accent"].mark.line == 11
    assert colours["ink"].value == "#101010" and colours["paper"].value == "#ffffff"
    assert colours["muted"].value == "#505a64"  # rgb(80 90 100), parsed by tinycss2
    assert colours["placeholder"] == DEFAULT.colours["placeholder"]  # no warning: packaged
    assert colours["rule"].value == "#777777"  # set directly (defaults: brief: color:)
    # derived (docs/brand.md): a tenth of the accent on the paper, its ink mixed likewise
    assert colours["accent-tint"].value == mix("#6a1b4d", "#ffffff", 0.10) == "#f0e8ed"
    assert colours["accent-tint"].cmyk == (0.02, 0.1, 0.0, 0.03)
    assert colours["on-accent"].value == "#ffffff"
    assert brand.name == "Bits of Freedom" and brand.short_name == "BoF"
    assert brand.url == "https://www.bitsoffreedom.nl/"
    assert brand.links == (("mastodon", "https://x.social/@bof"),)
    assert brand.postal_address == ("Postbus 10746", "1001 ES Amsterdam")
    assert brand.transparency_register == "1234567890-12"
    assert brand.signatory is not None and brand.signatory.name == "Evelyn Austin"
    small, medium = brand.logo("small"), brand.logo("medium", dark=True)
    assert small is not None and small.path == project.root / "brand" / "logo.svg"
    assert small.alt == "BoF"
    assert medium is not None and medium.path.name == "logo-white.svg"
    assert brand.logo("large") == brand.logo("medium")  # the nearest size
    assert brand.text_family is not None and brand.text_family.name == "Gentium Book Plus"
    assert brand.headings_family is not None and brand.headings_family.name == "Brand Sans"
    assert [f.weight for f in brand.headings_family.files] == [600]
    view = BrandView(brand)
    assert str(view.url_display).replace("<wbr>", "").count("bitsoffreedom.nl") == 1
    logo = view.logo("small")
    assert logo is not None and logo.src.startswith("file://") and logo.alt == "BoF"


def test_brand_css_sets_every_token_font_roles_and_faces(project):
    brand = read_brand(with_brand(project))
    screen, cmyk = brand_css(brand, cmyk=False), brand_css(brand, cmyk=True)
    for token in TOKENS:
        assert f"--{token}: " in screen and f"--{token}: " in cmyk
    assert "--accent: #6a1b4d;" in screen
    assert "--accent: device-cmyk(0.2 1 0 0.3);" in cmyk
    assert "--ink: device-cmyk(0 0 0 1);" in cmyk  # small text in 100 % black for print
    assert '--font-text: "Gentium Book Plus", serif;' in screen
    assert '--font-headings: "Brand Sans", sans-serif;' in screen
    assert '@font-face { font-family: "Brand Sans"; src: url("brand/BrandSans.otf"); ' \
           "font-weight: 600; font-style: normal; }" in screen


def test_mistakes_in_the_structure_are_located_with_a_suggestion(project):
    with_brand(project, 'meta:\n  name: {ful: "X"}\ncolour:\n  primary: "#000000"\n'
               "defaults:\n  brief:\n    adress: x\n")
    found = problems(project)
    assert "_brand.yml:2:10: meta.name: unknown key 'ful' (did you mean 'full'?); brand.yml " \
           "allows full, short (docs/brand.md)" in found
    assert any(line.startswith("_brand.yml:3:1: _brand.yml: unknown key 'colour' (did you mean "
                               "'color'?)") for line in found), found
    assert any(line.startswith("_brand.yml:7:5: defaults.brief: unknown key 'adress' (did you "
                               "mean 'address'?)") for line in found), found
    assert len(found) == 3


def test_mistakes_in_values_are_located_all_at_once(project):
    outside = project.root.parent / "outside.svg"
    outside.write_text(LOGO, encoding="utf-8")
    (project.root / "brand").mkdir()
    os.symlink(outside, project.root / "brand" / "link.svg")
    (project.root / "out").mkdir()
    (project.root / "out" / "built.svg").write_text(LOGO, encoding="utf-8")
    with_brand(project, """\
color:
  palette: {plum: "#6a1b4d"}
  primary: plumm
  secondary: "#12345"
  background: "rgb(0 0 0 / 50%)"
logo:
  small: brand/missing.svg
  medium: ../outside.svg
  large: brand/link.svg
  images:
    built: {path: out/built.svg}
defaults:
  brief:
    color:
      acent: "#000000"
    cmyk:
      plum: [1.5, 0, 0, 0]
      plam: [0, 0, 0, 1]
""")
    found = problems(project)
    expected = [
        "_brand.yml:3:12: color.primary: 'plumm' is not a colour (did you mean 'plum'?)",
        "_brand.yml:4:14: color.secondary: '#12345' is not a colour",
        "_brand.yml:5:15: color.background: 'rgb(0 0 0 / 50%)' is transparent",
        "_brand.yml:15:7: defaults.brief.color: unknown token 'acent' (did you mean "
        "'accent'?)",
        "_brand.yml:17:14: defaults.brief.cmyk.plum: '1.5' is out of range",
        "_brand.yml:18:7: defaults.brief.cmyk.plam: 'plam' is no colour of the brand (did you "
        "mean 'plum'?)",
        "_brand.yml:7:10: logo.small: 'brand/missing.svg' not found",
        "_brand.yml:8:11: logo.medium '../outside.svg' leads outside",
        "_brand.yml:9:10: logo.large 'brand/link.svg' is a symbolic link leading outside",
        "_brand.yml:11:19: logo.images.built: 'out/built.svg' is in out/",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in found), (start, found)
    assert len(found) == len(expected), found
    lines = [int(line.split(":")[1]) for line in found]
    assert lines == sorted(lines)  # in the file's order


def test_a_font_from_the_network_or_the_machine_is_refused(project):
    with_brand(project, "typography:\n  fonts:\n    - {family: Lato, source: google}\n"
               "    - {family: Arial, source: system}\n  base: Lato\n  headings: Nope\n")
    found = problems(project)
    assert any(line.startswith("_brand.yml:3:7: typography.fonts[1]: 'Lato' comes from "
                               "Google Fonts") for line in found), found
    assert any(line.startswith("_brand.yml:4:7: typography.fonts[2]: 'Arial' (source: "
                               "system)") for line in found), found
    assert any(line.startswith("_brand.yml:6:13: typography.headings: no font 'Nope'")
               for line in found), found


def test_check_reports_the_brand_file_at_its_line(project):
    with_brand(project, 'color:\n  primary: "nocolour"\n')
    result = run_cli(project, "check")
    assert result.exit_code != 0
    assert "_brand.yml:2:12: color.primary: 'nocolour' is not a colour" in result.output


def test_the_digest_covers_the_file_and_every_file_it_names(project):
    digest = read_brand(with_brand(project)).digest
    inputs = brief_inputs_digest(project, SAMPLE)
    logo = project.root / "brand" / "logo.svg"
    logo.write_text(LOGO.replace("#c0ffee", "#000000"), encoding="utf-8")
    assert read_brand(project).digest != digest
    assert brief_inputs_digest(project, SAMPLE) != inputs
    inputs = brief_inputs_digest(project, SAMPLE)
    font = project.root / "brand" / "BrandSans.otf"
    font.write_bytes(font.read_bytes() + b"\0")
    assert brief_inputs_digest(project, SAMPLE) != inputs


# ---------------------------------------------------------------------------------------------
# Outputs


def content_colours(pdf_path) -> set[bytes]:
    """Every colour operator of the PDF's pages' content streams (fill and stroke)."""
    found: set[bytes] = set()
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            streams = page.obj.Contents
            for stream in (streams if isinstance(streams, pikepdf.Array) else [streams]):
                found |= set(re.findall(rb"(?:[\d.]+ ){3,4}(?:rg|RG|scn|SCN|k|K)\b",
                                        stream.read_bytes()))
    return found


@pytest.mark.slow
def test_the_brand_colours_every_pdf_and_an_edit_rebuilds(project):
    result = build(project, [SAMPLE])
    assert result.ok
    before = project.output_path(OutputId(SAMPLE, "full", "nl")).read_bytes()
    with_brand(project)
    result = build(project, [SAMPLE])
    assert result.ok, [e.format_message() for _, e in result.failed]
    assert len([o for o in result.built if o.id.kind == "pdf"]) == 6  # every PDF rebuilt
    full = project.output_path(OutputId(SAMPLE, "full", "nl"))
    assert full.read_bytes() != before
    assert b"0.415686 0.105882 0.301961 rg" in content_colours(full)  # #6a1b4d, the accent
    handout = project.output_path(OutputId(SAMPLE, "handout", "nl"))  # PDF/X: in CMYK
    assert b"0.2 1 0 0.3 scn" in content_colours(handout)
    # an unchanged identity: nothing to do
    assert not build(project, [SAMPLE]).built
    # an edit of the identity, or of a file it names, rebuilds
    brand_file = project.root / "_brand.yml"
    brand_file.write_text(BRAND.replace("#6a1b4d", "#3d1456"), encoding="utf-8")
    result = build(project, [SAMPLE])
    assert result.ok, [e.format_message() for _, e in result.failed]
    assert len([o for o in result.built if o.id.kind == "pdf"]) == 6
    assert b"0.239216 0.078431 0.337255 rg" in content_colours(full)  # #3d1456
    font = project.root / "brand" / "BrandSans.otf"
    font.write_bytes(font.read_bytes() + b"\0")
    assert len([o for o in build(project, [SAMPLE]).built if o.id.kind == "pdf"]) == 6


@pytest.mark.slow
def test_an_identity_restating_the_default_changes_no_pdf(project):
    """The packaged identity is today's look: a _brand.yml that states its values gives the
    very same PDFs as no _brand.yml (whose outputs need no brand stylesheet at all)."""
    assert build(project, [SAMPLE]).ok
    pdfs = {path: path.read_bytes() for path in (project.out / SAMPLE).glob("*.pdf")}
    colours = "\n".join(f'      {token}: "{colour.value}"'
                        for token, colour in DEFAULT.colours.items())
    inks = "\n".join(f"      {token}: [{', '.join(map(str, colour.cmyk))}]"
                     for token, colour in DEFAULT.colours.items() if colour.cmyk)
    (project.root / "_brand.yml").write_text(
        f"defaults:\n  brief:\n    color:\n{colours}\n    cmyk:\n{inks}\n", encoding="utf-8")
    result = build(project, [SAMPLE])
    assert result.ok and len(result.built) == 11  # the identity is an input of every output
    for path, data in pdfs.items():
        assert path.read_bytes() == data, path.name


@pytest.mark.slow
def test_the_web_page_and_letter_see_the_brand(project):
    with_brand(project)
    template = project.templates / "web.html.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace(
        "</body>", '{% set logo = doc.brand.logo("small") %}<img class="brand-logo" '
        'src="{{ logo.src }}" alt="{{ logo.alt }}"></body>', 1), encoding="utf-8")
    result = build(project, [SAMPLE])
    assert result.ok, [e.format_message() for _, e in result.failed]
    web = project.out / SAMPLE / "web"
    page = (web / "en" / "index.html").read_text(encoding="utf-8")
    assert '<img class="brand-logo" src="../assets/brand/brand/logo.svg" alt="BoF">' in page
    assert (web / "assets" / "brand" / "brand" / "logo.svg").read_text() == LOGO
    fonts_css = (web / "en" / "fonts.css").read_text(encoding="utf-8")
    assert "--accent: #6a1b4d;" in fonts_css and '"Brand Sans"' in fonts_css
    assert (web / "en" / "fonts" / "BrandSans-600n.woff2").is_file()
    assert not (web / "en" / "fonts" / "Inter-600n.woff2").exists()


@pytest.mark.slow
def test_watch_rebuilds_when_the_brand_file_is_replaced(project):
    results: list = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, daemon=True, kwargs={
        "project": project, "brief_ids": [SAMPLE], "jobs": 1, "stop_event": stop,
        "on_result": lambda result, error: results.append((result, error))})
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while not results and time.monotonic() < deadline:
            time.sleep(0.1)
        assert results and results[0][0] is not None
        full = project.output_path(OutputId(SAMPLE, "full", "nl"))
        before = full.read_bytes()
        staged = project.root / "_brand.yml.tmp"  # as editors save: a new file renamed over
        with_brand(project)
        (project.root / "_brand.yml").rename(staged)
        staged.rename(project.root / "_brand.yml")
        deadline = time.monotonic() + 120
        while full.read_bytes() == before and time.monotonic() < deadline:
            time.sleep(0.2)
        assert full.read_bytes() != before
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


def test_a_file_named_with_spaces_is_followed_too(project):
    """The identity is read again, and a brief's digest changes, when a file it names changes,
    however its name is written (spaces, quotes, in a list)."""
    with_brand(project)
    (project.root / "brand" / "my logo.svg").write_text(LOGO, encoding="utf-8")
    (project.root / "_brand.yml").write_text(
        BRAND.replace("small: mark", "small: brand/my logo.svg"), encoding="utf-8")
    first = read_brand(project)
    inputs = brief_inputs_digest(project, SAMPLE)
    logo = first.logo("small")
    assert logo is not None and logo.path.name == "my logo.svg"
    (project.root / "brand" / "my logo.svg").write_text(LOGO + "\n", encoding="utf-8")
    assert read_brand(project).digest != first.digest  # not the one read before
    assert brief_inputs_digest(project, SAMPLE) != inputs


def all_streams(pdf_path) -> bytes:
    with pikepdf.open(pdf_path) as pdf:
        return b"".join(obj.read_bytes() for obj in pdf.objects
                        if isinstance(obj, pikepdf.Stream))


@pytest.mark.slow
def test_a_template_prints_the_logo_in_the_pdf_from_a_relative_address(project):
    """`doc.brand.logo(…)` in a PDF's template: its src relative to the brief's folder (the
    HTML, and so the PDF, are the same wherever the project lies), fetched by the render as
    one of the identity's files; the logo's drawing is in the PDF."""
    with_brand(project)
    base = project.templates / "base.html.j2"
    base.write_text(base.read_text(encoding="utf-8").replace(
        "{% block body %}", '{% set logo = doc.brand.logo("large") %}<img src="{{ logo.src }}" '
        'alt="{{ logo.alt }}" style="position: absolute; top: 0; left: 0; width: 10mm">'
        "{% block body %}", 1), encoding="utf-8")
    result = build(project, [SAMPLE])
    assert result.ok, [e.format_message() for _, e in result.failed]
    brief = load_brief(project, SAMPLE)
    html = prepare(project, brief, OutputId(SAMPLE, "full", "nl")).html
    assert '<img src="../../brand/logo.svg" alt="BoF"' in html
    full = project.output_path(OutputId(SAMPLE, "full", "nl"))
    assert b"0.752941 1 0.933333 rg" in all_streams(full)  # the logo's #c0ffee


def test_the_letter_takes_the_brand_s_postal_address_else_the_contact_s(project):

    recipient = Recipient("zoe", "Zoë Ångström", "en", "", "zoe@example.org",
                          (("id", "zoe"), ("name", "Zoë Ångström"), ("language", "en"),
                           ("committee", "LIBE")), Mark(project.root / "recipients.csv", 2))
    brief = load_brief(project, SAMPLE)
    before = letter_html(project, brief, brief.audience("mep"), recipient, "en")
    with_brand(project, BRAND.replace("Postbus 10746", "Keizersgracht 1"))
    brief = load_brief(project, SAMPLE)
    assert brief.brand.postal_address == ("Keizersgracht 1", "1001 ES Amsterdam")
    html = letter_html(project, brief, brief.audience("mep"), recipient, "en")
    sender = html.split('<div class="letterhead-sender">', 1)[1].split("</div>", 1)[0]
    assert "Keizersgracht 1" in sender and "1001 ES Amsterdam" in sender
    assert "Keizersgracht 1" not in before and "letterhead-sender" in before  # contact's


def test_a_family_without_files_is_an_error_not_a_silent_fallback(project):
    with_brand(project, "typography:\n  fonts:\n    - {family: Mine, source: file}\n"
               "  base: Mine\n")
    assert any(line.startswith("_brand.yml:3:7: typography.fonts[1]: 'Mine' has no `files:`")
               for line in problems(project))


def test_an_svg_logo_prints_in_inks_on_a_pdf_x_output(project):
    """On a PDF/X output an SVG logo's colours are inks (`print_svg`): the identity's colour as
    its CMYK value, white as no ink, any other through the profile; `none`, a gradient's
    reference and the shape stay as they are. Without it the handout's preflight warned "RGB
    colour in page content" on the cover and the back (the sample's logo)."""
    brand = read_brand(with_brand(project))
    profile = (REPO / "styles" / "color" / "FOGRA39L-coated.icc").read_bytes()
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           'viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0" '
           'stop-color="#6A1B4D"/></linearGradient></defs>'
           '<rect fill="#6a1b4d" stroke="none" width="5" height="5"/>'
           '<rect style="fill: white; stroke: rgb(255 128 0); opacity: .5" width="5" height="5"/>'
           '<rect fill="url(#g)" width="1" height="1"/><use xlink:href="#g"/></svg>')
    printed = print_svg(svg.encode(), brand, profile).decode()
    assert printed.count('"device-cmyk(0.2 1 0 0.3)"') == 2  # plum: the brand's own CMYK
    assert "fill: device-cmyk(0 0 0 0)" in printed  # white: no ink
    orange = re.search(r"stroke: device-cmyk\(([\d. ]+)\)", printed)
    assert orange is not None and len(orange[1].split()) == 4  # through the profile
    assert "opacity: .5" in printed and 'stroke="none"' in printed
    assert 'fill="url(#g)"' in printed and 'xlink:href="#g"' in printed
    assert "#" not in printed.replace("url(#g)", "").replace('"#g"', "")  # no RGB left
    assert print_svg(b"not xml", brand, profile) == b"not xml"


DARK = """\
meta:
  name: {full: "Night Owls"}
color:
  palette: {sky: "#7fd1de", snow: "#f2f2f2", fog: "#b8c2c9", night: "#10181f"}
  primary: sky
  secondary: fog
  foreground: snow
  background: night
  warning: "#ffb074"
"""


@pytest.mark.slow
def test_a_dark_identity_paints_the_page(project):
    """An identity whose background is dark: the PDF's page is painted in it (its light text
    fell on white paper, invisible, with every check passing)."""
    import pypdfium2

    (project.root / "_brand.yml").write_text(DARK, encoding="utf-8")
    result = build(project, [SAMPLE])
    assert result.ok, [e.format_message() for _, e in result.failed]
    pdf = pypdfium2.PdfDocument(project.output_path(OutputId(SAMPLE, "mep", "en")))
    page = pdf[0].render(scale=0.5).to_pil().convert("RGB")
    assert page.getpixel((3, 3)) == (0x10, 0x18, 0x1f)  # the margin too: the whole page
    assert page.getpixel((page.width // 2, page.height - 3)) == (0x10, 0x18, 0x1f)


def test_an_unquoted_hash_colour_is_an_error_not_the_packaged_colour(project):
    with_brand(project, "color:\n  palette:\n    teal: #0b5c6b\n  primary: #c8102e\n"
               "defaults:\n  brief:\n    color:\n      paper: #fafafa\n"
               "    cmyk:\n      teal: #0b5c6b\n")
    found = problems(project)
    expected = [
        '_brand.yml:3:11: color.palette.teal: a colour written #… must be quoted: teal: '
        '"#0b5c6b" (YAML reads # as a comment)',
        '_brand.yml:4:12: color.primary: a colour written #… must be quoted: primary: '
        '"#c8102e" (YAML reads # as a comment)',
        '_brand.yml:8:14: defaults.brief.color.paper: a colour written #… must be quoted: '
        'paper: "#fafafa" (YAML reads # as a comment)',
        '_brand.yml:10:13: defaults.brief.cmyk.teal: a colour written #… must be quoted: '
        'teal: "#0b5c6b" (YAML reads # as a comment)',
    ]
    assert found == expected, found


def test_a_colour_tinycss2_cannot_convert_is_a_located_error_not_a_crash(project):
    with_brand(project, 'color:\n  primary: "oklch(40% 0.1 200)"\n  secondary: "lab(40% 10 -20)"\n'
               '  foreground: "color(display-p3 0 0.4 0.5)"\n'
               'defaults:\n  brief:\n    color:\n      accent-tint: "color(xyz 0.1 0.1 0.2)"\n')
    found = problems(project)
    for line, col, what in ((2, 12, "color.primary"), (3, 14, "color.secondary"),
                            (4, 15, "color.foreground"),
                            (8, 20, "defaults.brief.color.accent-tint")):
        assert any(f.startswith(f"_brand.yml:{line}:{col}: {what}: ") and "cannot convert" in f
                   and "#rrggbb" in f for f in found), (what, found)
    assert len(found) == 4, found


@pytest.mark.parametrize("key", ["breif", "Brief", "BRIEF", "brif"])
def test_a_near_miss_of_defaults_brief_is_an_error_other_tools_keys_are_not(project, key):
    with_brand(project, f"defaults:\n  shiny:\n    theme: x\n  quarto:\n    format: html\n"
               f"  {key}:\n    cmyk:\n      primary: [0.9, 0.3, 0.3, 0.4]\n")
    found = problems(project)
    assert found == [f"_brand.yml:6:3: defaults: {key!r} is no tool's key brief knows (did you "
                     "mean 'brief'?); brief reads its settings (color, cmyk, address, …) only "
                     "under `defaults: brief:`"], found


def test_check_warns_of_a_hand_cmyk_value_a_rebrand_left_behind(project):
    shutil.copytree(REPO / "brand", project.root / "brand", dirs_exist_ok=True)
    brand = project.root / "_brand.yml"
    text = (REPO / "_brand.yml").read_text(encoding="utf-8")
    brand.write_text(text.replace('teal: "#0b5c6b"', 'teal: "#6b0b3a"'), encoding="utf-8")
    line = next(number for number, written in enumerate(text.splitlines(), start=1)
                if written.strip().startswith("teal: [0.92"))
    result = run_cli(project, "check")
    assert f"_brand.yml:{line}:13: warning: defaults.brief.cmyk.teal: the CMYK value 0.92 0.32 " \
           "0.35 0.38 prints far from its screen colour #6b0b3a (accent)" in result.output, \
        result.output


def test_the_starter_s_examples_are_placeholder_warnings_strict_makes_them_errors(project):
    assert all(example in STARTER for example in STARTER_EXAMPLES)
    text = STARTER.replace("    # address: |\n    #   Street 1\n    #   1000 AA City\n",
                           "    address: |\n      Street 1\n      1000 AA City\n")
    text = text.replace('    # transparency-register: "000000000000-00"\n'
                        '    # signatory: {name: "Your Name", role: "Director"}\n',
                        '    transparency-register: "000000000000-00"\n'
                        '    signatory: {name: "Your Name", role: "Director"}\n')
    with_brand(project, text)
    found = placeholder_problems(read_brand(project))
    assert all(isinstance(p, BrandWarning) for p in found)
    lines = [line.replace(str(project.root) + os.sep, "") for p in found for line in p.lines()]
    lookup = dict(enumerate(text.splitlines(), start=1))
    for what, value in (("meta.name.full", "Your Organisation"),
                        ("meta.link.home", "https://example.org"),
                        ("defaults.brief.transparency-register", "000000000000-00"),
                        ("defaults.brief.signatory.name", "Your Name")):
        line = next(n for n, w in lookup.items() if value in w)
        assert any(f.startswith(f"_brand.yml:{line}:") and f"{what}: {value!r}" in f
                   and "placeholder" in f for f in lines), (what, lines)
    assert sum("defaults.brief.address" in f for f in lines) == 2
    assert len(lines) == 6, lines
    result = run_cli(project, "check", "--strict")
    assert result.exit_code != 0
    assert "meta.name.full: 'Your Organisation' is the example brief init wrote" in result.output


def test_a_register_number_is_ascii_digits(project):
    with_brand(project, "defaults:\n  brief:\n"
               '    transparency-register: "１２３４５６７８９０-12"\n')
    assert any("is not an EU Transparency Register number" in f for f in problems(project))


def test_a_logo_without_alternative_text_is_an_error_at_its_line(project):
    with_brand(project, "logo:\n  images:\n    mark: {path: brand/logo.svg}\n"
               "    named: {path: brand/logo-white.svg, alt: \"BoF\"}\n"
               "  small: mark\n  medium: {light: named}\n  large: brand/logo.svg\n")
    found = problems(project)
    assert found[0].startswith("_brand.yml:3:18: logo.images.mark: 'brand/logo.svg' has no "
                               "alternative text; give meta.name"), found
    assert found[1].startswith("_brand.yml:7:10: logo.large: 'brand/logo.svg' has no "
                               "alternative text"), found
    assert len(found) == 2, found
    with_brand(project, 'meta: {name: "BoF"}\nlogo: brand/logo.svg\n')
    assert read_brand(project).logo("medium").alt == "BoF"


@pytest.mark.parametrize(("text", "expected"), [
    ("logo: /tmp/evil.svg\n", "_brand.yml:1:7: logo: '/tmp/evil.svg' is an absolute path; "
     "logo paths are relative to _brand.yml's folder"),
    ("logo:\n  images:\n    a: {path: /x.svg}\n  medium: a\n",
     "_brand.yml:3:15: logo.images.a: '/x.svg' is an absolute path; logo paths are relative"),
    ("typography: {fonts: [Lato]}\n", "_brand.yml:1:22: typography.fonts[1]: 'Lato' is not a "
     "map of family, source and files; each font a map: `- family: Lato`"),
    ("typography: {fonts: Lato}\n", "_brand.yml:1:21: typography.fonts: a list of font "
     "families, each font a map"),
    ("logo: {small: {}}\n", "_brand.yml:1:15: logo.small: give `light:` (and `dark:`), an "
     "image's name from logo.images, or a `path:`"),
    ('meta: {link: {home: "ftp://x.org"}}\n', "_brand.yml:1:21: meta.link.home: URL scheme "
     "should be 'http' or 'https'"),
])
def test_a_mistake_is_one_message_of_the_tool_s_own_at_its_line(project, text, expected):
    with_brand(project, text)
    found = problems(project)
    assert len(found) == 1, found
    assert found[0].startswith(expected), found
    assert "did you mean 'logo'" not in found[0] and "file:///" not in found[0]


def test_the_signatory_s_role_in_each_language_of_the_letters(project):
    """`role:` per language: a Polish letter prints the Polish role, a language not given the
    first one written; a key that is no language is an error at its line."""
    text = BRAND.replace('signatory: {name: "Evelyn Austin", role: "Director"}',
                         'signatory:\n      name: "Evelyn Austin"\n      role: {en: Director, '
                         'pl: Dyrektorka}')
    brand = read_brand(with_brand(project, text))
    assert brand.signatory is not None
    assert BrandView(brand, language="pl").signatory.role == "Dyrektorka"  # type: ignore[union-attr]
    assert BrandView(brand, language="en").signatory.role == "Director"  # type: ignore[union-attr]
    assert BrandView(brand, language="de").signatory.role == "Director"  # type: ignore[union-attr]
    wrong = text.replace("pl: Dyrektorka", "polish: Dyrektorka")
    (project.root / "_brand.yml").write_text(wrong, encoding="utf-8")
    found = problems(project)
    assert any("'polish' is not a language code" in line and line.startswith("_brand.yml:")
               for line in found), found


def test_a_wordmark_stands_alone_on_the_letterhead(project):
    """A logo that spells the name (3:1, `WIDE_LOGO`) is printed alone on the letterhead, not
    beside the name (a 4:1 wordmark and the name pushed the address column under them); a
    square mark keeps the name beside it."""
    recipient = Recipient("zoe", "Zoë Ångström", "en", "", "zoe@example.org",
                          (("id", "zoe"), ("name", "Zoë Ångström"), ("language", "en"),
                           ("committee", "LIBE")), Mark(project.root / "recipients.csv", 2))
    with_brand(project)  # brand/logo.svg is 120 × 40: a wordmark
    brief = load_brief(project, SAMPLE)
    html = letter_html(project, brief, brief.audience("mep"), recipient, "en")
    head = html.split('<header class="letterhead">', 1)[1].split("</header>", 1)[0]
    assert 'class="letterhead-logo wordmark"' in head and "letterhead-name" not in head
    square = LOGO.replace('width="120"', 'width="40"').replace("0 0 120 40", "0 0 40 40")
    for name in ("logo.svg", "logo-white.svg"):
        (project.root / "brand" / name).write_text(square, encoding="utf-8")
    brief = load_brief(project, SAMPLE)
    html = letter_html(project, brief, brief.audience("mep"), recipient, "en")
    head = html.split('<header class="letterhead">', 1)[1].split("</header>", 1)[0]
    assert "wordmark" not in head and '<p class="letterhead-name">Bits of Freedom' in head
