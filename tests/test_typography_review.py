"""Words and marks per language, the review of issue 20: abbreviations are no web addresses,
plain fields say when Markdown is written in them, spans never closed are reported, compounds in
headings, nested quotes in every language, ranges with ordinal dots and digit groups, ranges and
"e-" never broken at a line's end. Unit tests on tokens and HTML; on PDF text where a line break
is the point."""

from __future__ import annotations

import pytest

from generator import markdown
from generator.markdown import RenderContext, to_html

NNBSP, NBSP, SHY, WJ = "\u202f", "\u00a0", "\u00ad", "\u2060"
CONTEXT = RenderContext(reference_html=lambda key, locator, form: f"[{key}]")


def html(text: str, language: str) -> str:
    return to_html(markdown.parse(text, language), CONTEXT, language)


def links(text: str, language: str) -> list[str]:
    return [str(token.attrGet("href")) for token in markdown.walk(markdown.parse(text, language))
            if token.type == "link_open"]


# ---------------------------------------------------------------------------------------------
# 1. An abbreviation is no web address

@pytest.mark.parametrize("language,written", [
    ("pl", "Eksperci (m.in. z Łodzi) mówią, m.st. Warszawa."),
    ("lv", "Dati, t.sk. skolas, n.st. un dr.de pārskats."),
    ("de", "Meldungen z.B. und u.a. aus d.h. Schulen."),
    ("en", "Reports, e.g. from schools, i.e. online."),
])
def test_an_abbreviation_is_not_made_a_link(language, written):
    assert links(written, language) == [], html(written, language)
    assert "<a " not in html(written, language)


def test_an_address_without_its_scheme_is_still_a_link():
    written = ("See nos.nl, example.org, centrumseksueelgeweld.nl, ec.europa.eu, un.org, "
               "www.x.de and foo.de/bericht.")
    assert links(written, "nl") == [
        "http://nos.nl", "http://example.org", "http://centrumseksueelgeweld.nl",
        "http://ec.europa.eu", "http://un.org", "http://www.x.de", "http://foo.de/bericht"]
    assert links("Zie https://m.in/x en info@t.sk.", "nl") == ["https://m.in/x",
                                                               "mailto:info@t.sk"]
