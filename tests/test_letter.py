"""letter: a brief's `letter:` and a recipient → the cover letter's HTML (placeholders filled by
plain substitution after Markdown, escaped and typeset; unknown ones located), its languages,
the default salutations and closings of the 24 catalogs, and the letter rendered as a PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
from pathlib import Path

import pikepdf
import polib
import pytest

from generator.errors import BriefErrors, ContentError, Mark
from generator.make.letter import (
    LETTER_MAX_PAGES,
    closing,
    letter_audience,
    letter_html,
    letter_languages,
    letter_problems,
    recipient_problems,
)
from generator.project import LETTER_STYLESHEET, LETTER_TEMPLATE
from generator.read.recipients import Recipient
from generator.run.pipeline import check, load_brief
from generator.text import locale

from .support import SAMPLE, TINY, pages_text, run_cli, squash, write

TODAY = dt.date(2026, 11, 28)
COLUMNS = ("id", "name", "language", "salutation", "email", "committee")


def person(name: str = "Zoë Ångström", language: str = "en", salutation: str = "",
           **extra: str) -> Recipient:
    fields = {"id": "zoe", "name": name, "language": language, "salutation": salutation,
              "email": "zoe@example.org", "committee": "LIBE", **extra}
    return Recipient("zoe", name, language, salutation, "zoe@example.org",
                     tuple(fields.items()), Mark(Path("recipients.csv"), 2))


def body_text(html: str) -> str:
    """The visible text of the letter's <body>, tags removed, spaces squeezed."""
    body = html.split("<body", 1)[1].split(">", 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


def recipient_block(html: str) -> list[str]:
    """The lines of the letter's recipient block, as its HTML has them."""
    block = html.split('<div class="letter-recipient"', 1)[1].split("</div>", 1)[0]
    return [re.sub(r"<[^>]+>", "", line)
            for line in re.findall(r'<span class="line[^"]*">(.*?)</span>\n', block)]


def tiny_with_letter(project, letter: str, brief_id: str = "tiny") -> Path:
    return write(project, TINY + "letter:\n" + textwrap.indent(letter, "  "), brief_id)


# ---------------------------------------------------------------------------------------------
# The sample's letter


def test_the_sample_letter_in_english(sample_project, sample_brief):
    mep = sample_brief.audience("mep")
    html = letter_html(sample_project, sample_brief, mep, person(), "en", today=TODAY)
    text = body_text(html)
    assert '<html lang="en">' in html
    assert text.startswith("Bits of Freedom")
    assert "Zoë Ångström" in text and "28 November 2026" in text
    assert text.count("Dear Member of the European Parliament,") == 1  # placed by {salutation}
    assert "is now before the LIBE committee." in text
    assert "Yours sincerely," in text and "policy@example.org" in text
    assert "{" not in text and "}" not in text
    assert "<h1" in html and "Preventing sexual abuse of children" in text


@pytest.mark.parametrize(("language", "words"), [
    ("nl", ["Geacht lid van het Europees Parlement,", "ligt nu bij de commissie LIBE.",
            "Met vriendelijke groet,", "28 november 2026"]),
    ("de", ["Sehr geehrte Frau Abgeordnete, sehr geehrter Herr Abgeordneter,",
            "dem Ausschuss LIBE vor.",
            "Mit freundlichen Grüßen", "28. November 2026"]),
    ("fr", ["Madame la Députée, Monsieur le Député,", "par la commission LIBE.",
            "Nous vous prions d’agréer, Madame la Députée, Monsieur le Député, l’expression",
            "28 novembre 2026"]),
    ("pl", ["Szanowna Pani Posłanko, Szanowny Panie Pośle,", "przez Komisję LIBE.",
            "Z wyrazami szacunku", "28 listopada 2026"]),
])
def test_the_sample_letter_in_its_other_languages(sample_project, sample_brief, language, words):
    html = letter_html(sample_project, sample_brief, sample_brief.audience("mep"),
                       person(language=language), language, today=TODAY)
    text = body_text(html).replace("\u202f", " ").replace("\u00a0", " ")
    assert f'<html lang="{language}">' in html
    for word in words:
        assert word in text, word


def test_the_sample_letter_exists_in_five_languages(sample_brief):
    assert letter_languages(sample_brief) == ("nl", "en", "de", "fr", "pl")
    assert letter_problems(sample_brief, COLUMNS) == []


def test_a_recipient_s_own_salutation_wins(sample_project, sample_brief):
    html = letter_html(sample_project, sample_brief, sample_brief.audience("mep"),
                       person(salutation="Dear Ms Ångström,"), "en", today=TODAY)
    assert "Dear Ms Ångström," in body_text(html)
    assert "Dear Member" not in html


def test_address_columns_print_under_the_name(sample_project, sample_brief):
    recipient = person(office="ASP 08G305", postcode="1047", city="Bruxelles",
                       country="Belgique")
    html = letter_html(sample_project, sample_brief, sample_brief.audience("mep"), recipient,
                       "en", today=TODAY)
    assert recipient_block(html) == ["Zoë Ångström", "ASP 08G305", "1047 Bruxelles", "Belgique"]


# ---------------------------------------------------------------------------------------------
# Placeholders: plain substitution after Markdown


def test_values_are_escaped_typeset_and_never_read_as_markdown_or_placeholders(project):
    tiny_with_letter(project, 'en: "{salutation}\\n\\nTo {name} of *{committee}*."\n'
                              'nl: "{salutation}\\n\\nAan {name} van *{committee}*."\n')
    brief = load_brief(project, "tiny")
    recipient = person(name='<b>O\'Brien</b> & "Co" {committee} *x*', language="de",
                       committee="LIBE")
    html = letter_html(project, brief, brief.audience("mep"), recipient, "en", today=TODAY)
    assert ("To &lt;b&gt;O’Brien&lt;/b&gt; &amp; “Co” {committee} *x* of "
            "<em>LIBE</em>.") in html
    assert "<b>" not in html


def test_values_take_the_language_s_quotation_marks(project):
    tiny_with_letter(project, 'nl: "Aan {name}."\n')
    brief = load_brief(project, "tiny")
    html = letter_html(project, brief, brief.audience("full"), person(name='"Zoë" Ångström'),
                       "nl", today=TODAY)
    assert "Aan\u00a0‘Zoë’ Ångström." in html  # Dutch: CLDR's ‘ ’  # Dutch: CLDR's ‘ ’


def test_double_braces_print_braces_and_other_braces_stay(project):
    tiny_with_letter(project, 'nl: "{{name}} is {name}; {} and { x } and }} and {{."\n')
    brief = load_brief(project, "tiny")
    assert letter_problems(brief, COLUMNS) == []
    html = letter_html(project, brief, brief.audience("full"), person(), "nl", today=TODAY)
    assert "{name} is Zoë Ångström; {} and { x } and } and\u00a0{." in html


def test_placeholders_ignore_case(project):
    tiny_with_letter(project, 'nl: "Aan {Name} ({COMMITTEE})."\n')
    brief = load_brief(project, "tiny")
    assert letter_problems(brief, ("id", "name", "language", "Committee")) == []
    html = letter_html(project, brief, brief.audience("full"), person(), "nl", today=TODAY)
    assert "Aan Zoë Ångström (LIBE)." in html


def test_the_template_prints_the_salutation_when_the_letter_does_not(project):
    tiny_with_letter(project, 'nl: "Bijgaand onze brief."\n')
    brief = load_brief(project, "tiny")
    html = letter_html(project, brief, brief.audience("full"), person(language="nl"), "nl",
                       today=TODAY)
    text = body_text(html)
    assert text.count("Geacht lid van het Europees Parlement,") == 1
    assert text.index("Geacht lid") < text.index("Bijgaand onze brief.")


def test_an_unknown_placeholder_is_located_in_brief_yaml_and_in_a_po_file(project):
    path = tiny_with_letter(project, "nl: |\n  {salutation}\n\n  De commissie {comittee}.\n"
                                     "en: |\n  {salutation}\n\n  The {commitee} committee.\n")
    brief = load_brief(project, "tiny")
    errors = [line for e in letter_problems(brief, COLUMNS) for line in e.lines(project.root)]
    line = path.read_text().splitlines().index("    De commissie {comittee}.") + 1
    assert errors == [
        f"content/tiny/brief.yaml:{line}:18: letter (nl): unknown placeholder {{comittee}} "
        "(did you mean 'committee'?); use {name}, {salutation}, {id}, {language}, {email}, "
        "{committee} (the recipient list's columns), or write {{ and }} for a brace that is "
        "not a placeholder",
        f"content/tiny/brief.yaml:{line + 4}:9: letter (en): unknown placeholder {{commitee}} "
        "(did you mean 'committee'?); use {name}, {salutation}, {id}, {language}, {email}, "
        "{committee} (the recipient list's columns), or write {{ and }} for a brace that is "
        "not a placeholder"]
    with pytest.raises(ContentError, match="unknown placeholder"):
        letter_html(project, brief, brief.audience("full"), person(), "nl", today=TODAY)


def test_an_unknown_placeholder_in_a_translation_is_at_its_po_line(project):
    catalog = project.content / SAMPLE / "translations" / "de.po"
    po = polib.pofile(str(catalog))
    entry = next(e for e in po if e.msgctxt == "letter")
    entry.msgstr = entry.msgstr.replace("{committee}", "{ausschuss}")
    po.save()
    brief = load_brief(project, SAMPLE)
    line = next(e for e in polib.pofile(str(catalog)) if e.msgctxt == "letter").linenum
    assert [m for e in letter_problems(brief, COLUMNS) for m in e.lines(project.root)] == [
        f"content/{SAMPLE}/translations/de.po:{line}: letter (de): unknown placeholder "
        "{ausschuss}; use {name}, {salutation}, {id}, {language}, {email}, {committee} (the "
        "recipient list's columns), or write {{ and }} for a brace that is not a placeholder"]


def test_an_empty_cell_the_letter_prints_is_an_error_at_its_row(sample_project, sample_brief):
    recipient = person(committee=" ")
    assert recipient_problems(sample_brief, person(), "en") == []
    [error] = recipient_problems(sample_brief, recipient, "en")
    assert error.lines(Path()) == [
        "recipients.csv:2: recipient 'zoe' has no 'committee', which the letter (en) prints as "
        "{committee}; fill in the cell, or take the placeholder out of the letter"]
    with pytest.raises(ContentError, match="has no 'committee'"):
        letter_html(sample_project, sample_brief, sample_brief.audience("mep"), recipient, "en",
                    today=TODAY)


def test_a_brief_without_a_letter_is_told_how_to_add_one(project):
    write(project, TINY)
    brief = load_brief(project, "tiny")
    assert letter_languages(brief) == ()
    [error] = letter_problems(brief, COLUMNS)
    assert error.lines(project.root) == [
        "content/tiny/brief.yaml:1: brief 'tiny' has no `letter:`, the cover letter of personal "
        "copies; add one to brief.yaml, e.g. `letter: {en: |` then the text (Markdown) in the "
        "lines below, with {salutation} and any column of the recipient list as placeholders "
        "(see docs/content-format.md, \"The cover letter\")"]


def test_a_letter_has_no_footnotes_or_images(project):
    path = tiny_with_letter(project, 'nl: "Zie de brief.[@src] En ^[een noot]."\n')
    with pytest.raises(BriefErrors) as raised:
        load_brief(project, "tiny")
    line = len(path.read_text().splitlines())
    assert raised.value.lines(project.root) == [
        f"content/tiny/brief.yaml:{line}:21: the letter has a citation [@…]; a cover letter has "
        "no footnotes: write it in the text, or leave it to the brief",
        f"content/tiny/brief.yaml:{line}:31: the letter has a note ^[…]; a cover letter has no "
        "footnotes: write it in the text, or leave it to the brief"]


# ---------------------------------------------------------------------------------------------
# Translation: like every other text, but it blocks no output


def test_a_missing_translation_of_the_letter_blocks_no_output(project):
    tiny_with_letter(project, 'nl: "{salutation}\\n\\nBijgaand onze brief."\n')
    assert run_cli(project, "translate", "tiny", "--to", "en").exit_code == 0
    catalog = project.content / "tiny" / "translations" / "en.po"
    po = catalog.read_text()
    assert 'msgctxt "letter"' in po
    translated = polib.pofile(str(catalog))
    for entry in translated:
        if entry.msgctxt != "letter":
            entry.msgstr = entry.msgid  # every other text translated (names stay as they are)
    translated.save()
    assert "#. Printed in: the cover letter of personal copies (mep)" in po
    check(project, ["tiny"])  # no error: no output prints the letter
    brief = load_brief(project, "tiny")
    assert letter_languages(brief) == ("nl",)
    status = run_cli(project, "status", "tiny")
    assert re.search(r"│ en\s+│\s+\d+\s+│\s+\d+\s+│\s+0\s+│\s+1\s+│", status.output), status.output


# ---------------------------------------------------------------------------------------------
# The tool's words: a salutation and a closing in all 24 languages


@pytest.mark.parametrize("key", ["salutation", "closing"])
def test_every_language_has_its_own_salutation_and_closing(key):
    words = {language: locale.labels(language)[key] for language in locale.catalog_languages()}
    assert len(words) == 24
    assert words["en"] == locale.WORDS[key]
    assert [language for language, value in words.items()
            if value == words["en"] and language != "en"] == []
    assert len(set(words.values())) == 24


def test_an_organisation_may_override_the_salutation(project):
    text = project.audiences_file.read_text()
    project.audiences_file.write_text(
        text + '\nlabels:\n  nl: {salutation: "Beste Europarlementariër,"}\n')
    tiny_with_letter(project, 'nl: "Bijgaand onze brief."\n')
    brief = load_brief(project, "tiny")
    html = letter_html(project, brief, brief.audience("full"), person(), "nl", today=TODAY)
    assert "Beste Europarlementariër," in html


def test_the_letter_audience(sample_brief):
    mep = sample_brief.audience("mep")
    letter = letter_audience(mep)
    assert letter.template == LETTER_TEMPLATE
    assert letter.stylesheets == (*mep.stylesheets, LETTER_STYLESHEET)
    assert (letter.max_pages, letter.page, letter.standard) == (LETTER_MAX_PAGES, mep.page,
                                                               mep.standard)
    handout = letter_audience(sample_brief.audience("handout"))
    assert (handout.imposition, handout.qr) == ("none", False)
    assert handout.stylesheets[-1] == LETTER_STYLESHEET


# ---------------------------------------------------------------------------------------------
# Rendered


PEOPLE = [
    ("zoe", "Zoë Ångström", "en", "Dear Member of the European Parliament,",
     "is now before the LIBE committee."),
    ("lukasz", "Łukasz Wróbel", "pl", "Szanowna Pani Posłanko, Szanowny Panie Pośle,",
     "przez Komisję LIBE."),
    ("eleni", "Ελένη Παπαδοπούλου", "fr", "Madame la Députée, Monsieur le Député,",
     "par la commission LIBE."),
    ("ivan", "Иван Петров", "de",
     "Sehr geehrte Frau Abgeordnete, sehr geehrter Herr Abgeordneter,",
     "dem Ausschuss LIBE vor."),
]


@pytest.mark.slow
@pytest.mark.parametrize("case", PEOPLE, ids=[case[0] for case in PEOPLE])
def test_the_rendered_letter(sample_project, sample_brief, tmp_path, case):
    from generator.make.pdf import render_pdf

    rid, name, language, salutation, sentence = case

    mep = sample_brief.audience("mep")
    recipient = person(name=name, language=language, office="ASP 08G305", city="Bruxelles")
    html = letter_html(sample_project, sample_brief, mep, recipient, language, today=TODAY)
    result = render_pdf(html, sample_brief.folder, letter_audience(mep), sample_project,
                        output_name=f"{rid}.pdf", identifier=rid,
                        content_file=sample_brief.path)
    path = tmp_path / f"{rid}.pdf"
    path.write_bytes(result.pdf)
    [page] = pages_text(path)  # one page
    flat = squash(page)
    for words in (name, "ASP 08G305", salutation, sentence, "Bits of Freedom",
                  closing(locale.labels(language)["closing"], salutation, language),
                  "policy@example.org"):
        assert squash(words) in flat, words
    assert not re.search(r"\b1\s*/\s*1\b", page)  # no page number
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == language
        tags = {str(node.get("/S")) for node in _structure(pdf.Root.StructTreeRoot)}
        assert {"/H1", "/P"} <= tags
        assert pdf.Root.MarkInfo.Marked


def _structure(node):
    kids = node.get("/K")
    if kids is None:
        return
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _structure(kid)


@pytest.mark.slow
def test_a_letter_over_two_pages_is_an_error_at_its_letter(project):
    from generator.errors import RenderError
    from generator.make.pdf import render_pdf

    paragraph = "Een lange alinea over het voorstel en wat de experts ervan vinden. " * 12
    path = tiny_with_letter(project, "nl: |\n" + f"  {paragraph}\n\n" * 14)
    brief = load_brief(project, "tiny")
    full = brief.audience("full")
    html = letter_html(project, brief, full, person(), "nl", today=TODAY)
    with pytest.raises(RenderError) as raised:
        render_pdf(html, brief.folder, letter_audience(full), project, output_name="zoe.pdf",
                   content_file=path)
    line = path.read_text().splitlines().index("letter:") + 1
    [message] = raised.value.lines(project.root)
    assert re.fullmatch(rf"content/tiny/brief.yaml:{line}:1: zoe.pdf: the cover letter has "
                        r"\d pages, more than 2; shorten the brief's `letter:` \(a cover letter "
                        r"fits on one page\)", message), message


@pytest.mark.slow
def test_an_a5_audience_gets_a_compact_one_page_letter(sample_project, sample_brief, tmp_path):
    from generator.make.pdf import render_pdf
    from generator.make.preflight import preflight

    handout = sample_brief.audience("handout")
    recipient = person(language="nl", function="Lid van het Europees Parlement",
                       institution="Europees Parlement",
                       address="ASP 08G305 | Rue Wiertz 60 | 1047 Bruxelles | BELGIQUE")
    html = letter_html(sample_project, sample_brief, handout, recipient, "nl", today=TODAY,
                       pages=4)  # with a full recipient block and the enclosure line
    assert 'class="letter compact delivery-post"' in html
    result = render_pdf(html, sample_brief.folder, letter_audience(handout), sample_project,
                        output_name="zoe.pdf", identifier="zoe", content_file=sample_brief.path)
    report = preflight(result.pdf)
    assert (result.pages, report.standard, report.warnings) == (1, "PDF/X-4", ())
    path = tmp_path / "zoe.pdf"
    path.write_bytes(result.pdf)
    assert "Met vriendelijke groet," in pages_text(path)[0]
    assert "Bijlage:" in pages_text(path)[0] and "1047 Bruxelles" in pages_text(path)[0]


@pytest.mark.slow
def test_a_batch_fails_only_its_letter_that_is_too_long(sample_project, sample_brief,
                                                        sample_build, tmp_path):
    from generator.errors import RenderError
    from generator.project import OutputId
    from generator.run.workers import LetterBatch, Personal, PersonalJob, RenderJob

    mep = sample_brief.audience("mep")
    body = sample_project.output_path(OutputId(SAMPLE, "mep", "en")).read_bytes()
    people = [person(name="Zoë Ångström"),
              person(name="Lange Adresse", office="\n".join(f"Room {n}" for n in range(150))),
              person(name="Ivan Petrov", office="ASP 08G305")]
    jobs = []
    for index, recipient in enumerate(people):
        output = OutputId(SAMPLE, "mep", "en", f"r{index}")
        html = letter_html(sample_project, sample_brief, mep, recipient, "en", today=TODAY)
        letter = RenderJob(output, html, sample_brief.folder, letter_audience(mep),
                           f"r{index}.pdf", sample_brief.path)
        jobs.append(PersonalJob(letter, body, "Body", f"Letter to {recipient.name}", "en",
                                "Copy", recipient.name))
    first, long, last = LetterBatch(tuple(jobs)).render(sample_project)
    assert isinstance(long, RenderError)
    line = sample_brief.path.read_text().splitlines().index("letter:") + 1
    [message] = long.lines(sample_project.root)
    assert re.fullmatch(rf"content/{SAMPLE}/brief.yaml:{line}:1: r1.pdf: the cover letter has "
                        r"\d pages, more than 2; shorten the brief's `letter:` \(a cover letter "
                        r"fits on one page\)", message), message
    body_pages = len(pikepdf.open(io.BytesIO(body)).pages)
    for made, job, name in ((first, jobs[0], "Zoë Ångström"), (last, jobs[2], "Ivan Petrov")):
        assert isinstance(made, Personal)
        assert (made.pages, made.letter_pages, made.lost) == (1 + body_pages, 1, ())
        path = tmp_path / f"{job.output.recipient}.pdf"
        path.write_bytes(made.pdf)
        texts = pages_text(path)
        assert squash(name) in squash(texts[0])
        assert "Lange Adresse" not in "".join(texts)
        # as from the letter alone: the same pages, text, structure and bookmarks
        alone = job.render(sample_project)
        alone_path = tmp_path / f"{job.output.recipient}-alone.pdf"
        alone_path.write_bytes(alone.pdf)
        assert pages_text(alone_path) == texts
        assert _shape(alone.pdf) == _shape(made.pdf)


def _shape(pdf: bytes) -> tuple:
    """A copy's structure (element types, depth first), bookmarks and page labels."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        tags = [str(node.get("/S")) for node in _structure(doc.Root.StructTreeRoot)]
        outline = []
        with doc.open_outline() as tree:
            stack = list(tree.root)
            while stack:
                item = stack.pop(0)
                outline.append((item.title, doc.pages.index(pikepdf.Page(item.destination[0]))
                                if item.destination else None))
                stack = list(item.children) + stack
        labels = repr(doc.Root.PageLabels)
    return tags, outline, labels
