"""An SVG figure is a picture only: no script, event handler, <foreignObject>, HTML or reference
to anything outside itself (the review's finding 2: the web edition serves the file as it is,
and a browser that opens it runs what it holds on the site's origin)."""

from __future__ import annotations

import base64

import pytest

from generator.read.images import image_problem

from .support import TINY, run_cli, tiny_png, write

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'

BAD = {
    "script": ("<script>alert(1)</script>", "holds a <script> (line 1), which a browser"),
    "script in a namespace prefix": ('<s:script xmlns:s="http://www.w3.org/2000/svg">x</s:script>',
                                     "holds a <script> (line 1)"),
    "onload": ('<rect width="1" height="1" onload="alert(1)"/>',
               "has the event handler onload= on <rect> (line 1)"),
    "onclick upper case": ('<g ONCLICK="alert(1)"/>', "has the event handler ONCLICK= on <g>"),
    "foreignObject": ('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p>'
                      "</foreignObject>", "holds a <foreignObject> (line 1)"),
    "HTML without foreignObject": ('<iframe xmlns="http://www.w3.org/1999/xhtml" src="x"/>',
                                   "holds the HTML element <iframe> (line 1)"),
    "javascript link": ('<a xlink:href="javascript:alert(1)"><text>x</text></a>',
                        "has <a href=…> that refers to a javascript: address "
                        "('javascript:alert(1)')"),
    "external image": ('<image href="https://evil.example/x.png" width="1" height="1"/>',
                       "has <image href=…> that refers to an address on the internet"),
    "protocol-relative image": ('<image href="//evil.example/x.png"/>',
                                "refers to an address on the internet"),
    "another file": ('<use href="other.svg#shape"/>',
                     "has <use href=…> that refers to another file"),
    "a file outside": ('<image xlink:href="file:///etc/passwd"/>', "refers to a file: address"),
    "data HTML": ('<image href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"/>',
                  "refers to embedded data other than a PNG, JPEG or GIF image"),
    "set href": ('<a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a>',
                 "animates href= on <set>"),
    "animate xlink:href": ('<a><animate attributeName="xlink:href" values="javascript:alert(1)"/>'
                           "</a>", "animates xlink:href= on <animate>"),
    "style import": ("<style>@import url(https://evil.example/x.css);</style>",
                     "has an @import in its <style>"),
    "style url": ("<style>rect { fill: url(https://evil.example/x.svg#p) }</style>",
                  "has a <style> that refers to an address on the internet"),
    "style attribute url": ('<rect style="fill: url(\'http://evil.example/p\')"/>',
                            "has style= on <rect> that refers to an address on the internet"),
    "escaped url in style": ('<rect style="fill: u\\72 l(http://evil.example/p)"/>',
                             "has style= on <rect> that refers to an address on the internet"),
    "fill attribute url": ('<rect fill="url(http://evil.example/p)"/>',
                           "has fill= on <rect> that refers to an address on the internet"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_an_svg_that_is_more_than_a_picture_is_refused(tmp_path, name):
    body, message = BAD[name]
    (tmp_path / "chart.svg").write_text(SVG.format(body), encoding="utf-8")
    problem = image_problem(tmp_path, "chart.svg")
    assert problem is not None and problem.startswith("image 'chart.svg' "), problem
    assert message in problem, problem


def test_an_xml_stylesheet_instruction_is_refused(tmp_path):
    (tmp_path / "chart.svg").write_text(
        '<?xml version="1.0"?>\n<?xml-stylesheet href="https://evil.example/x.css"?>\n'
        + SVG.format(""), encoding="utf-8")
    problem = image_problem(tmp_path, "chart.svg")
    assert problem is not None and "<?xml-stylesheet?>" in problem and "(line 2)" in problem


@pytest.mark.parametrize("value,count", [("x" * 65, 1), ("ha", 33)])
def test_long_or_many_entities_are_refused(tmp_path, value, count):
    """A quadratic blowup: one long entity repeated, which nesting alone does not catch."""
    declarations = "".join(f'<!ENTITY e{i} "{value}">' for i in range(count))
    (tmp_path / "chart.svg").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE svg [{declarations}]>\n'
        + SVG.format("<text>" + "&e0;" * 1000 + "</text>"), encoding="utf-8")
    problem = image_problem(tmp_path, "chart.svg")
    assert problem is not None and "export the SVG again without a DOCTYPE" in problem


PNG = base64.b64encode(tiny_png(2, 2)).decode()
GOOD = {
    "gradient and internal references": (
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient>'
        '<path id="p" d="M0 0h1"/></defs><rect fill="url(#g)" style="fill: url(#g); '
        'stroke: #123" width="1" height="1"/><use xlink:href="#p"/><a href="#p"><text>x</text>'
        "</a><style>rect { fill: url(#g) } .x { color: red }</style>"),
    "an embedded PNG": f'<image href="data:image/png;base64,{PNG}" width="2" height="2"/>',
    "Inkscape's metadata": (
        '<sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/'
        'sodipodi-0.dtd" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        'inkscape:zoom="1" pagecolor="#fff"/><metadata><rdf:RDF xmlns:rdf="http://www.w3.org/'
        '1999/02/22-rdf-syntax-ns#" xmlns:cc="http://creativecommons.org/ns#"><cc:Work '
        'rdf:about=""/></rdf:RDF></metadata>'),
    "an animation of a colour": '<rect width="1" height="1"><animate attributeName="fill" '
                                'values="red;blue" dur="1s"/></rect>',
}


@pytest.mark.parametrize("name", sorted(GOOD))
def test_a_picture_passes(tmp_path, name):
    (tmp_path / "chart.svg").write_text(SVG.format(GOOD[name]), encoding="utf-8")
    assert image_problem(tmp_path, "chart.svg") is None


def test_a_script_in_an_svg_is_an_error_at_the_figure_s_line(project):
    """The review's reproduction: rev-it/chart.svg, an onload= and a <script>."""
    write(project, TINY.replace('nl: "Tekst.[@src]"', 'nl: "![Grafiek](chart.svg) [@src]"'))
    (project.content / "tiny" / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" onload="document.'
        "documentElement.setAttribute('data-pwned','onload')\"><script>document."
        "documentElement.setAttribute('data-pwned2','script')</script><rect width=\"200\" "
        'height="100" fill="teal"/></svg>', encoding="utf-8")
    result = run_cli(project, "check", "tiny")
    assert result.exit_code == 1
    assert ("content/tiny/brief.yaml:9:" in result.output
            and "image 'chart.svg' has the event handler onload= on <svg> (line 1)"
            in result.output), result.output
