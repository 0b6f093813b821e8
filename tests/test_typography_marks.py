"""Marks per language (issue 20): notes get the language's quotes like every other text; a span
in another language (`[Grooming]{lang=en}`) keeps its own rules; nested quotes where CLDR has
the same marks at both levels; French (and other languages') spaces around numbers; note calls
before the punctuation where the language sets them so; en dashes in number ranges; a
compound's hyphen repeated at the next line's start in Polish. Unit tests on the HTML and plain
texts, then the same on the text of built PDFs."""

from __future__ import annotations

import json
import re

import pytest

from generator.project import OutputId, Project
from generator.run.build import build
from generator.run.pipeline import CheckFailed, check
from generator.text import lint, render, syntax
from generator.text.render import RenderContext, to_html
from generator.text.typography import compounds, numbers
from generator.text.typography.plain import typeset

from .support import copy_project, pages_text, write

NNBSP, NBSP, SHY, WJ = "\u202f", "\u00a0", "\u00ad", "\u2060"
CONTEXT = RenderContext(reference_html=lambda key, locator, form: f"[{key}]")


def html(text: str, language: str) -> str:
    """The HTML of a text, the no-break space tying a paragraph's last two words as a space."""
    out = to_html(syntax.parse(text, language), CONTEXT, language)
    return re.sub(f"{NBSP}([^\\s{NBSP}<]+</(?:p|figcaption)>)", r" \1", out)


# ---------------------------------------------------------------------------------------------
# 1. Notes (and what is inside them) get the language's quotes and apostrophes

NOTE = "Text.^[dell'UE \"virgolette\", *l'EOKM's* [l'a](https://example.org/a)]"


@pytest.mark.parametrize("language,printed", [
    ("en", "dell’UE “virgolette”, <em>l’EOKM’s</em> <a href=\"https://example.org/a\">l’a</a>"),
    ("fr", f"dell’UE «{NNBSP}virgolette{NNBSP}», <em>l’EOKM’s</em>"),
    ("de", "dell’UE „virgolette“, <em>l’EOKM’s</em>"),
    ("it", "dell’UE «virgolette», <em>l’EOKM’s</em>"),
])
def test_a_note_gets_the_languages_quotes_and_apostrophes(language, printed):
    out = html(NOTE, language)
    assert printed in out, out
    assert "'" not in out.replace("href=", "") and '"virgolette' not in out, out


def test_captions_and_table_cells_get_them_too():
    out = html('![Chart](c.png "Die \'Zahlen\' von \\"heute\\"")\n', "de")
    assert "<figcaption>Die ‚Zahlen‘ von „heute“</figcaption>" in out, out
    out = html('| a |\n|---|\n| l\'UE "b" |\n', "fr")
    assert f"l’UE «{NNBSP}b{NNBSP}»" in out, out


# ---------------------------------------------------------------------------------------------
# 2. A span in another language keeps its own rules

def test_a_span_with_a_language_becomes_a_span_with_lang():
    assert '<span lang="en">Grooming</span>' in html("Die [Grooming]{lang=en} von", "de")


def test_inside_a_span_the_spans_language_rules():
    out = html('Il dit [the "word" : a b]{lang=en} et "oui" : fin', "fr")
    assert '<span lang="en">the “word” : a b</span>' in out, out  # no French spacing in it
    assert f"«{NNBSP}oui{NNBSP}»{NNBSP}: fin" in out, out  # around it, French
    out = html("Tekst [Proposal for a Regulation]{lang=en} w domu teraz", "pl")
    assert "Proposal for a Regulation" in out and f"w{NBSP}domu" in out, out
    out = html("Le [rapport « veld » : a]{lang=nl} reste", "fr")  # pasted marks, Dutch ones
    assert '<span lang="nl">rapport ‘veld’ : a</span>' in out, out


@pytest.mark.parametrize("written,message", [
    ("[x]{lang=zz}", "'zz' is not a language this tool knows"),
    ("[x]{lang=EN}", "use lower case: 'en'"),
    ("[x]{.big}", "`{.big}` is not allowed"),
    ("[x]{lang=en style=color:red}", "`{style=color:red}` is not allowed"),
    ("[x]{}", "says nothing"),
])
def test_a_span_says_only_its_language(written, message):
    text = f"Eins.\n\nZwei und {written} drei."
    found = lint.problems(text, None, "de")
    assert len(found) == 1 and message in found[0].message, found
    assert found[0].offset == text.index(written), (found, text.index(written))


SPAN_BRIEF = """\
title: "Titel"
organisation: "NGO"
date: "2024-05-01"
languages: [de]
audiences: {full: {languages: [de]}}
sections:
  - id: intro
    body: |
      Die Zahlen.

      Sie sagt [Groom]{lang=en .x} und [il-Kelma]{lang=mt}.
"""


def test_a_span_problem_is_located_and_a_language_without_patterns_warned(project: Project):
    write(project, SPAN_BRIEF)
    with pytest.raises(CheckFailed) as info:
        check(project, ["tiny"])
    lines = info.value.lines(project.root)
    assert any(line.startswith("content/tiny/brief.yaml:11:16: ") and "`{.x}`" in line
               for line in lines), lines
    write(project, SPAN_BRIEF.replace("{lang=en .x}", "{lang=en}"))
    _, warnings = check(project, ["tiny"])
    hits = [w for warning in warnings for w in warning.lines(project.root)
            if "no hyphenation patterns" in w]
    assert len(hits) == 1 and hits[0].startswith("content/tiny/brief.yaml:11:37: "), hits
    assert "'mt'" in hits[0] and "the text in 'mt' here prints without hyphenation" in hits[0]


# ---------------------------------------------------------------------------------------------
# 3. Nested quotes where CLDR has the same marks at both levels

@pytest.mark.parametrize("language,written,printed", [
    ("nl", "“het veld … een ‘lappendeken’ ” is", "‘het veld … een “lappendeken”’ is"),
    ("nl", "\"het 'veld'\" en 'los'", "‘het “veld”’ en ‘los’"),
    ("fr", "« le mot « patchwork » » ici", f"«{NNBSP}le mot “patchwork”{NNBSP}» ici"),
    ("bg", "„думата „пачуърк“ тук“", "„думата ‚пачуърк‘ тук“"),
    ("lt", "„žodis „x“ čia“", "„žodis ‚x‘ čia“"),
    ("de", "\"das 'Wort' hier\"", "„das ‚Wort‘ hier“"),  # CLDR's two levels, as before
])
def test_a_quotation_inside_a_quotation_gets_the_second_levels_marks(language, written,
                                                                      printed):
    assert printed in html(written, language)
    assert typeset(written, language) == printed


def test_every_language_has_two_different_levels():
    from generator.text.locale import QUOTES
    same = [language for language, marks in QUOTES.items() if marks[:2] == marks[2:]]
    assert not same, same


# ---------------------------------------------------------------------------------------------
# 4. Numbers, percentages, amounts; note calls and punctuation

@pytest.mark.parametrize("language,written,printed", [
    ("fr", "5% et 20€ et 1 000 000 enfants",
     f"5{NNBSP}% et 20{NNBSP}€ et 1{NNBSP}000{NNBSP}000 enfants"),
    ("fr", "5 % de 3 €", f"5{NNBSP}% de 3{NNBSP}€"),
    ("de", "5% und 5%ige", f"5{NBSP}% und 5%ige"),
    ("es", "el 50%", f"el 50{NBSP}%"),
    ("en", "5% and 5 % and € 20 and 1 000 000",
     f"5% and 5{NBSP}% and €{NBSP}20 and 1{NBSP}000{NBSP}000"),
    ("cs", "5% a 5 %", f"5% a 5{NBSP}%"),  # Czech: "5%" is an adjective, as written
    ("pl", "10 000 osób", f"10{NBSP}000 osób"),
])
def test_spaces_around_numbers_never_break_and_are_added_where_the_language_asks(
        language, written, printed):
    assert numbers.numbers(written, language) == printed
    assert typeset(written, language).endswith(printed.split()[-1])


@pytest.mark.parametrize("written,printed", [
    ("2017-2021", "2017–2021"), ("pp. 3-12", "pp. 3–12"), ("S. 7-9", "S. 7–9"),
    ("10-12 years", "10–12 years"), ("5-10%", "5–10%"), ("Art. 3-5", "Art. 3–5"),
    # never these
    ("2022-11-08", "2022-11-08"), ("2022/0155(COD)", "2022/0155(COD)"), ("EU-27", "EU-27"),
    ("31-123 Kraków", "31-123 Kraków"), ("+32 2 555-1234", f"+32 2{NBSP}555-1234"),
    ("tel. 555-1234", "tel. 555-1234"), ("05-10", "05-10"), ("2021-2017", "2021-2017"),
    ("1-2-3", "1-2-3"), ("COVID-19", "COVID-19"), ("https://x.org/2017-2021", "https://x.org/2017-2021"),
])
def test_number_ranges_get_an_en_dash_and_nothing_else_does(written, printed):
    printed = printed.replace("–", "–" + WJ)  # a range never breaks at its dash
    assert numbers.numbers(written, "en") == printed
    assert typeset(written, "en") == printed
    assert printed.replace(NBSP, " ") in html(f"See {written} here.", "en").replace(NBSP, " ")


@pytest.mark.parametrize("language,written,printed", [
    ("fr", "actes sexuels.[@x] Suite", "actes sexuels\u2060[x]. Suite"),
    ("fr", "actes sexuels[@x]. Suite", "actes sexuels\u2060[x]. Suite"),
    ("fr", "il dit ;[@x] la", f"il dit\u2060[x]{NNBSP}; la"),
    ("fr", "etc.[@x] Suite", "etc.\u2060[x] Suite"),  # an abbreviation's full stop stays
    ("fr", "mais…[@x] Suite", "mais…\u2060[x] Suite"),
    ("es", "los pacientes.[@x]", "los pacientes\u2060[x]."),
    ("pl", "w sieci.[@x]", "w sieci\u2060[x]."),
    ("en", "the users.[@x] Next", "the users.\u2060[x] Next"),  # as written
    ("pt-BR", "os usuários.[@x]", "os usuários.\u2060[x]"),  # ABNT: after the punctuation
    ("pt", "os utilizadores.[@x]", "os utilizadores\u2060[x]."),
    ("de", "die Nutzer[@x].", "die Nutzer\u2060[x]."),
])
def test_a_note_call_goes_before_the_punctuation_where_the_language_sets_it(
        language, written, printed):
    tokens = syntax.parse(written, language)
    from generator.text.footnotes import number
    number([tokens])
    out = to_html(tokens, CONTEXT, language).replace(NBSP, " ")
    out = re.sub(r'<span class="fn[^>]*>(.*?)</span>', r"\1", out)
    assert printed in out, out


# ---------------------------------------------------------------------------------------------
# 5. A compound's hyphen is repeated at the next line's start in Polish (and others)

def test_a_polish_compound_breaks_with_its_hyphen_repeated_but_not_addresses_or_code():
    out = html("Badania sądowo-lekarskich, `a-b`, https://x-y.pl/a-b i 2022-11-08.", "pl")
    assert f"sądowo{SHY}-{WJ}lekarskich" in out, out
    assert "<code>a-b</code>" in out and f"{SHY}-" not in out.split("lekarskich", 1)[1], out
    assert html("state-of-the-art", "en").count(SHY) == 0
    assert compounds.repeat_hyphens("teórico-práctico", "es") == f"teórico{SHY}-{WJ}práctico"
    assert compounds.repeat_hyphens("česko-německý", "cs") == f"česko{SHY}-{WJ}německý"
    assert compounds.repeat_hyphens("vzgojno-izobraževalni", "sl") == (
        f"vzgojno{SHY}-{WJ}izobraževalni")
    for kept in ("C-vitamin", "50-letni", "e-pošta", "EU-27"):  # a number or one letter
        assert compounds.repeat_hyphens(kept, "sl") == kept


def test_a_long_word_is_set_in_linear_time():
    """Each rule looks for addresses first: a word of 200,000 letters must not be searched
    again from each of its letters (see test_limits)."""
    word = "W" * 200_000
    for language in ("fr", "pl", "en"):
        assert typeset(f"Een {word} woord", language).startswith("Een W")


# ---------------------------------------------------------------------------------------------
# The same on paper: one brief in six languages, built

LANGUAGES = ("en", "fr", "de", "it", "nl", "pl")
BODIES = {
    "en": ("Text \"quoted\" here.^[The EOKM's users' \"data\", *l'UE's* dell'UE \"virgolette\".]"
           " Years 2017-2021, pp. 3-12, on 2022-11-08, code 2022/0155(COD), EU-27.[@src]"),
    "fr": ("Des actes sexuels.[@src] Voir « le mot « patchwork » » ici.^[l'EOKM, s'agit de "
           "dell'UE \"virgolette\".] Soit 5% et 20€ et 1 000 000 enfants. Le [Slachtofferhulp : "
           "schaamte]{lang=nl} reste[@src]."),
    "de": ("Meldungen von [Grooming]{lang=en} und \"Zitat\".^[dell'UE \"virgolette\".] "
           "Grooming [Grooming]{lang=en} Grooming [Grooming]{lang=en}"),
    "it": "Testo qui.^[dell'UE \"virgolette\".]",
    "nl": "Het is \"het veld is een 'lappendeken'\" zegt men.^[dell'UE \"virgolette\".]",
    "pl": " ".join(["Badania sądowo-lekarskich w Polsce."] * 12),
}


def _marks_brief() -> str:
    def each(values: dict[str, str]) -> str:
        return "{" + ", ".join(f"{language}: {json.dumps(values[language], ensure_ascii=False)}"
                               for language in LANGUAGES) + "}"
    titles = each({language: f"Titel {language}" for language in LANGUAGES})
    return (f"title: {titles}\norganisation: \"NGO\"\ndate: \"2024-05-01\"\n"
            f"languages: [{', '.join(LANGUAGES)}]\naudiences: [marks, narrow]\n"
            "contact: {name: \"Anna\", email: \"info@example.org\"}\n"
            f"sections:\n  - id: one\n    title: {titles}\n    body: {each(BODIES)}\n"
            "sources:\n  src: {title: \"Report 2017-2021\", publisher: \"Verlag\", "
            "url: \"https://example.org/a\"}\n"
            "same_in_every_language: [organisation, sources, contact]\n")


@pytest.fixture(scope="module")
def marks_pdfs(tmp_path_factory) -> dict[tuple[str, str], str]:
    """(audience, language) → the PDF's text, its lines' spaces kept (U+202F as a space)."""
    project = Project.at(copy_project(tmp_path_factory.mktemp("marks")))
    # narrow: a Polish column where "sądowo-" fits but "sądowo-lekarskich" does not; a German one
    # where "Grooming" must break (German patterns: Groo-ming, English ones: Groom-ing)
    (project.styles / "narrow.css").write_text(
        "section p { width: 27mm; }\nhtml:lang(de) section p { width: 15mm; }\n",
        encoding="utf-8")
    with project.audiences_file.open("a", encoding="utf-8") as file:
        for name, languages, sheets in (("marks", LANGUAGES, ""),
                                        ("narrow", ("pl", "de"), ', "narrow.css"')):
            file.write(f"\n{name}:\n  languages: [{', '.join(languages)}]\n"
                       '  template: "brief.html.j2"\n'
                       f'  stylesheets: ["base.css", "brief.css"{sheets}]\n'
                       '  medium: "paper"\n  contact: true\n')
    write(project, _marks_brief(), "marks")
    result = build(project, ["marks"])
    assert result.ok, [e.format_message() for _, e in result.failed]
    return {(audience, language): "\n".join(pages_text(project.output_path(
        OutputId("marks", audience, language)))).replace(NNBSP, " ").replace(NBSP, " ")
        for audience, languages in (("marks", LANGUAGES), ("narrow", ("pl", "de")))
        for language in languages}


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
@pytest.mark.parametrize("language,printed", [
    ("en", "The EOKM’s users’ “data”, l’UE’s dell’UE “virgolette”."),
    ("fr", "l’EOKM, s’agit de dell’UE « virgolette »."),
    ("de", "dell’UE „virgolette“."),
    ("it", "dell’UE «virgolette»."),
    ("nl", "dell’UE ‘virgolette’."),
])
def test_pdf_notes_have_the_languages_quotes(marks_pdfs, language, printed):
    assert printed in _flat(marks_pdfs[("marks", language)]), marks_pdfs[("marks", language)]


@pytest.mark.slow
def test_pdf_nested_quotes_ranges_numbers_and_calls(marks_pdfs):
    en, fr, nl = (_flat(marks_pdfs[("marks", language)]) for language in ("en", "fr", "nl"))
    assert "Years 2017–2021, pp. 3–12, on 2022-11-08, code 2022/0155(COD), EU-27." in en, en
    assert "Report 2017–2021, Verlag." in en and "Report 2017–2021, Verlag." in fr
    assert "‘het veld is een “lappendeken”’ zegt men" in nl, nl
    assert "« le mot “patchwork” » ici" in fr, fr
    assert "Soit 5 % et 20 € et 1 000 000 enfants" in fr, fr
    # the note calls before the full stop: "sexuels¹." and "reste³." (written `reste[@src].`)
    assert re.search(r"sexuels ?1\.", fr) and re.search(r"ici ?2\.", fr), fr
    assert re.search(r"reste ?3\.", fr), fr
    assert "Slachtofferhulp : schaamte" in fr, fr  # a Dutch title keeps its (typed) space
    assert re.search(r"here\.1 Years", en), en  # English: as written


@pytest.mark.slow
def test_pdf_polish_compound_repeats_its_hyphen_at_the_next_lines_start(marks_pdfs):
    lines = [line.strip() for line in marks_pdfs[("narrow", "pl")].splitlines()
             if not re.fullmatch(r"\s*\d+ / \d+\s*", line)]  # (page numbers between pages)
    broken = [i for i, line in enumerate(lines) if line.startswith("-lekarskich")]
    assert broken, lines
    for i in broken:  # WeasyPrint prints the soft hyphen as U+2010
        assert re.search(r"sądowo[\u2010-]$", lines[i - 1]), lines[i - 1:i + 1]
    unbroken = _flat(marks_pdfs[("marks", "pl")])
    assert "Badania sądowo-lekarskich w Polsce." in unbroken, unbroken  # whole: one hyphen


@pytest.mark.slow
def test_pdf_an_english_word_in_german_breaks_by_english_patterns(marks_pdfs):
    lines = [line.strip().replace("\u2010", "-") for line in
             marks_pdfs[("narrow", "de")].splitlines()]
    ends = [line.split()[-1] for line in lines if line.endswith("-")]
    # the spans: "Groom-ing"; the control without a span: German "Groo-ming"
    assert "Groom-" in ends and "Groo-" in ends, lines
    assert ends.count("Groom-") == 3 and ends.count("Groo-") == 2, ends


# ---------------------------------------------------------------------------------------------
# The sample's outputs, where the editor found the faults (issue 20)

def _sample_text(outputs, audience: str, language: str) -> str:
    pdf, _ = outputs[(audience, language)]
    text = "\n".join(pages_text(pdf)).replace(NNBSP, " ").replace(NBSP, " ")
    return _flat(re.sub("\u2010\n", "", text))  # a word hyphenated at a line's end, joined


@pytest.mark.slow
def test_the_samples_outputs_show_the_fixes(outputs):
    en = _sample_text(outputs, "mep", "en")
    assert "EOKM’s services" in en and "users’ uploads" in en, en  # note 10
    fr = _sample_text(outputs, "mep", "fr")
    assert "l’EOKM" in fr and "l'EOKM" not in fr and "s’agit" in fr, fr
    assert "“patchwork” »" in fr and "» »" not in fr, fr
    assert re.search(r"abus sexuels ?\d+\.", fr), fr  # the call before the full stop
    nl = _sample_text(outputs, "full", "nl")
    assert "“lappendeken”’ is" in nl and "’’" not in nl, nl
    assert "kinderen 2017–2021" in nl, nl  # a source title's range
    _, html = outputs[("mep", "de")]
    for word in ("Grooming", "Sexting", "Victim Blaming"):
        assert f'<span lang="en">{word}</span>' in html, word
    de = "\n".join(pages_text(outputs[("mep", "de")][0]))
    assert "Groo\u2010\nming" not in de, de


def test_the_audit_reads_a_compound_set_for_its_break_as_written():
    """A compound set with a soft hyphen and a word joiner (its hyphen repeated at a break) is
    still the text the writer typed when the audit looks for placeholders in an output."""
    from generator.make.audit import _body_text

    html = render.to_html(syntax.parse("Zespół sądowo-lekarski.", "pl"), CONTEXT, "pl")
    assert "\u2060" in html and "\u00ad" in html
    assert "sądowo-lekarski" in _body_text(f"<body>{html}</body>")
