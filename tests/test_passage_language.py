"""PDF/UA asks for the language of every passage: an element with its own `lang` gets `/Lang`."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
import weasyprint

from generator.make.standards.none import NONE
from generator.make.standards.ua1 import UA1, structure_elements

HTML = ('<html lang="de"><head><title>t</title></head><body><p>Das ist <span lang="en">'
        'Grooming</span> und <em>so</em>.</p><ul><li lang="fr">un</li><li>zwei</li></ul>'
        '</body></html>')


def _languages() -> list[tuple[str, str | None]]:
    UA1.prepare_writer()
    pdf = weasyprint.HTML(string=HTML).write_pdf(**UA1.render_options())
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert str(doc.Root.Lang) == "de"
        return [(str(e.S), str(e.Lang) if "/Lang" in e else None)
                for e in structure_elements(doc)]


@pytest.mark.slow
def test_a_passage_in_another_language_is_tagged_with_its_language():
    elements = _languages()
    assert ("/Span", "en") in elements
    assert ("/LI", "fr") in elements
    # the document's own passages inherit the catalog's /Lang: none says it again
    assert sum(1 for _, lang in elements if lang) == sum(
        1 for s, lang in elements if lang in ("en", "fr"))
    assert ("/P", None) in elements
    assert not any(lang == "de" for _, lang in elements)


@pytest.mark.slow
def test_preparing_twice_wraps_the_tag_builder_once():
    from weasyprint.pdf import tags

    UA1.prepare_writer()
    first = tags._build_box_tree
    UA1.prepare_writer()
    NONE.prepare_writer()
    assert tags._build_box_tree is first


@pytest.mark.slow
@pytest.mark.parametrize(("audience", "language", "foreign"), [
    ("mep", "de", {"en", "nl"}),  # [Grooming]{lang=en} in the translation; Dutch source titles
    ("mep", "fr", {"en", "nl"}),
    ("mep", "pl", {"nl"}),
    ("full", "nl", set()),  # everything is Dutch: no element says its language again
])
def test_the_sample_tags_each_passage_in_another_language(outputs, audience, language, foreign):
    pdf, html = outputs[(audience, language)]
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == language
        tagged = {str(e.Lang) for e in structure_elements(doc) if "/Lang" in e}
    assert tagged == foreign
    # every language the HTML gives a passage is in the tree
    assert {lang for lang in _html_languages(html) if lang != language} == foreign


def _html_languages(html: str) -> set[str]:
    return set(re.findall(r'<(?!html)[a-z0-9]+\b[^>]*\blang="([^"]+)"', html))
