"""The sample's MEP brief in German, French and Polish (issue 11): the PDFs are in the language —
the translation's words, the tool's words from its catalog, /Lang — within the page budget,
with as many footnotes as the English."""

from __future__ import annotations

import re

import pikepdf
import pytest

from generator.text.locale import labels

from .support import footnote_calls, pages_text, squash

pytestmark = pytest.mark.slow  # reads the sample's PDFs, rendered by WeasyPrint

#: Phrases of each translation (de.po, fr.po, pl.po and the inline key messages), the date in
#: the language's long form, and the official names of the institution and of CSAM.
PHRASES = {
    "de": ["Kernbotschaften", "Europäische Kommission", "Was sagt dieser Experte zum Problem?",
           "Welche Empfehlungen gibt der Experte?", "Nationale Berichterstatterin",
           "Darstellungen sexuellen Kindesmissbrauchs", "1. Januar 2023"],
    "fr": ["Messages clés", "Commission européenne", "Que dit cet expert sur le problème ?",
           "Quelles sont les recommandations de l’expert ?", "Rapporteure nationale",
           "abus sexuels sur enfants", "1er janvier 2023"],
    "pl": ["Kluczowe przesłania", "Komisja Europejska", "Co ten ekspert mówi o problemie?",
           "Jakie zalecenia formułuje ekspert?", "Krajowa Sprawozdawczyni",
           "niegodziwe traktowanie dzieci w celach seksualnych", "1 stycznia 2023"],
}
#: English the translated outputs must not print: the translation's and the tool's words.
ENGLISH = ["Key messages", "What does this expert say", "European Commission", "January"]
#: The tool's English words where the language's catalog has other words ("Contact" is French).
ENGLISH_FURNITURE = {"de": ["Published by", "Contact"], "fr": ["Published by"],
                     "pl": ["Published by", "Contact"]}


def _text(pdf) -> str:
    return "\n".join(pages_text(pdf))


@pytest.mark.parametrize("language", ["de", "fr", "pl"])
def test_mep_translation_is_in_its_language(outputs, language):
    pdf, _ = outputs[("mep", language)]
    text = _text(pdf)
    flat = squash(text).casefold()  # headings may be set in capitals (text-transform)
    for phrase in PHRASES[language]:
        assert squash(phrase).casefold() in flat, phrase
    words = labels(language)
    assert squash(words["published_by"]).casefold() in flat
    assert squash(words["contact"]).casefold() in flat
    for english in ENGLISH + ENGLISH_FURNITURE[language]:  # (example.org/contact is a URL)
        assert not re.search(rf"(?<![/\w]){re.escape(english)}\b", text, re.IGNORECASE), english


@pytest.mark.parametrize("language", ["de", "fr", "pl"])
def test_mep_translation_metadata_budget_and_notes(outputs, sample_brief, language):
    pdf, html = outputs[("mep", language)]
    _, english_html = outputs[("mep", "en")]
    with pikepdf.open(pdf) as document:
        assert str(document.Root.Lang) == language
        pages = len(document.pages)
    mep = next(a for a in sample_brief.audiences if a.name == "mep")
    assert mep.max_pages is not None and 1 <= pages <= mep.max_pages
    calls = footnote_calls(html)
    assert len(calls) == len(footnote_calls(english_html)) == 10
    assert [call.number for call in calls] == list(range(1, len(calls) + 1))
    text = squash(_text(pdf))
    # Every note prints (its opening words, as the footnote area has them).
    for call in calls:
        assert call.note[:16] in text, call.note
