"""Cover letters a public-affairs office would send (issue 19): the letterhead (address,
contact, logo), the recipient block from the list's columns — or none for letters sent by
e-mail —, the enclosure line in the letter's language with the brief's pages, page 2's head,
no hyphenation, one space in the signature, the measure, located errors for bad columns, and
the docs' example. The PDF tests read the text with pypdfium2."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from generator.errors import BriefErrors, Mark
from generator.make.letter import ENCLOSURE_MARK, batch_html, enclose, letter_audience, letter_html
from generator.project import Project
from generator.read.recipients import Recipient, RecipientWarning, load_recipients
from generator.run.pipeline import load_brief
from generator.text import locale

from .support import REPO, SAMPLE, TINY, edit, run_cli, squash, tiny_png, write

TODAY = dt.date(2026, 11, 28)

#: The recipient list of the docs' example (docs/content-format.md, "The recipient list").
DOCS = REPO / "docs" / "content-format.md"

SAMPLE_LIST = (
    "id,name,language,salutation,email,committee,function,institution,address\n"
    "anna,Anna Müller,de,,anna@example.org,IMCO,Mitglied des Europäischen Parlaments,"
    'Europäisches Parlament,"ASP 06F353\nRue Wiertz 60\n1047 Bruxelles\nBELGIQUE"\n'
    "jean,Jean Dupont,fr,,jean@example.org,LIBE,Député au Parlement européen,Parlement "
    "européen,LOW T06047 | Allée du Printemps | 67070 Strasbourg | FRANCE\n")


def pdf_pages(pdf: bytes) -> list[str]:
    """Each page's text, as pypdfium2 extracts it (lines ending in \\r\\n)."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in document]
    finally:
        document.close()


def rows(tmp_path: Path, text: str, brief) -> tuple[Recipient, ...]:
    path = tmp_path / "recipients.csv"
    path.write_text(text, encoding="utf-8")
    found, errors = load_recipients(path, brief)
    assert [e for e in errors if not isinstance(e, RecipientWarning)] == []
    return found


def recipient_block(html: str) -> list[str]:
    """The lines of the letter's recipient block, as its HTML has them."""
    block = html.split('<div class="letter-recipient"', 1)[1].split("</div>", 1)[0]
    return [re.sub(r"<[^>]+>", "", line)
            for line in re.findall(r'<span class="line[^"]*">(.*?)</span>\n', block)]


def render(project: Project, brief, audience, html: str, name: str = "letter.pdf", *,
           letters: int = 1) -> bytes:
    """A letter's PDF (or a batch of `letters` letters', laid out as one document)."""
    from generator.make.pdf import render_pdf

    settings = letter_audience(audience)
    settings = replace(settings, max_pages=settings.max_pages * letters)
    return render_pdf(html, brief.folder, settings, project, output_name=name,
                      identifier=name, content_file=brief.path).pdf


def in_order(text: str, lines: list[str]) -> bool:
    """Whether each of `lines` is a line of `text`, in this order."""
    found = [line.strip() for line in text.splitlines()]
    try:
        at = [found.index(line) for line in lines]
    except ValueError:
        return False
    return at == sorted(at) and at[-1] - at[0] == len(lines) - 1


# ---------------------------------------------------------------------------------------------
# The recipient block, the letterhead and the signature


def test_the_recipient_block_is_the_lists_columns_in_order(sample_project, sample_brief,
                                                          tmp_path):
    anna, jean = rows(tmp_path, SAMPLE_LIST, sample_brief)
    mep = sample_brief.audience("mep")
    html = letter_html(sample_project, sample_brief, mep, anna, "de", today=TODAY, pages=5)
    assert recipient_block(html) == [
        "Anna Müller", "Mitglied des Europäischen Parlaments", "Europäisches Parlament",
        "ASP 06F353", "Rue Wiertz 60", "1047 Bruxelles", "BELGIQUE"]
    html = letter_html(sample_project, sample_brief, mep, jean, "fr", today=TODAY, pages=5)
    assert recipient_block(html) == [
        "Jean Dupont", "Député au Parlement européen", "Parlement européen", "LOW T06047",
        "Allée du Printemps", "67070 Strasbourg", "FRANCE"]


def test_the_docs_example_list_gives_each_recipient_their_block(sample_project, sample_brief,
                                                                tmp_path):
    doc = DOCS.read_text(encoding="utf-8")
    section = doc.split("### The recipient list", 1)[1]
    example = section.split("```csv\n", 1)[1].split("```", 1)[0]
    zoe, jean = rows(tmp_path, example, sample_brief)
    mep = sample_brief.audience("mep")
    assert recipient_block(letter_html(sample_project, sample_brief, mep, zoe, "en",
                                       today=TODAY, pages=4)) == [
        "Zoë Ångström", "Ledamot av Europaparlamentet", "Europaparlamentet", "ASP 08G305",
        "Rue Wiertz 60", "1047 Bruxelles", "BELGIQUE"]
    assert recipient_block(letter_html(sample_project, sample_brief, mep, jean, "fr",
                                       today=TODAY, pages=4))[-2:] == ["67070 Strasbourg",
                                                                       "FRANCE"]


def test_the_docs_contact_example_is_a_letterhead(project):
    doc = DOCS.read_text(encoding="utf-8")
    contact = "contact:" + doc.split("```yaml\ncontact:", 1)[1].split("```", 1)[0]
    # the full design prints the contact block too, in Dutch
    contact = contact.replace('name: {en: "Policy team"}',
                              'name: {en: "Policy team", nl: "Beleidsteam"}')
    write(project, TINY.replace('organisation: "NGO"\n', 'organisation: "NGO"\n' + contact)
          .replace("same_in_every_language: [organisation, sources]",
                   "same_in_every_language: [organisation, sources, contact]"))
    (project.content / "tiny" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    brief = load_brief(project, "tiny")
    assert brief.contact is not None
    assert brief.contact.address == ("Postbus 10746", "1001 ES Amsterdam", "Nederland")
    assert brief.contact.logo == "logo.svg"


def test_an_xlsx_address_cell_with_line_breaks_is_the_address_s_lines(tmp_path, sample_brief,
                                                                     sample_project):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id", "name", "language", "committee", "function", "institution", "address"])
    sheet.append(["anna", "Anna Müller", "de", "IMCO", "Mitglied des Europäischen Parlaments",
                  "Europäisches Parlament", "ASP 06F353\nRue Wiertz 60\n1047 Bruxelles"])
    path = tmp_path / "recipients.xlsx"
    workbook.save(path)
    [anna], errors = load_recipients(path, sample_brief)
    assert errors == []
    html = letter_html(sample_project, sample_brief, sample_brief.audience("mep"), anna, "de",
                       today=TODAY, pages=5)
    assert recipient_block(html) == ["Anna Müller", "Mitglied des Europäischen Parlaments",
                                     "Europäisches Parlament", "ASP 06F353", "Rue Wiertz 60",
                                     "1047 Bruxelles"]


def test_the_sample_list_has_a_postal_address_for_everyone(sample_project, sample_brief):
    found, errors = load_recipients(sample_brief.folder / "recipients.csv", sample_brief)
    assert errors == []
    for row in found:
        address = row.field("address") or ""
        assert address.endswith(("1047 Bruxelles | BELGIQUE", "67070 Strasbourg | FRANCE")), row
        assert row.field("function") and row.field("institution"), row


@pytest.mark.slow
def test_page_1_prints_the_letterhead_the_block_and_one_space_in_the_signature(
        project, tmp_path):
    brief_path = project.content / SAMPLE / "brief.yaml"
    (brief_path.parent / "logo.png").write_bytes(tiny_png(300, 300))
    # the brief's own letterhead (contact:), as a project without _brand.yml has it (the
    # sample's address lives in _brand.yml, which this copy of the project does not hold)
    edit(brief_path, '  url: "https://example.org/contact"\n',
         '  url: "https://example.org/contact"\n  logo: logo.png\n'
         '  address: "Postbus 10746\\n1001 ES Amsterdam\\nNederland"\n')
    brief = load_brief(project, SAMPLE)  # the logo passes the image checks
    anna, _ = rows(tmp_path, SAMPLE_LIST, brief)
    mep = brief.audience("mep")
    pdf = render(project, brief, mep, letter_html(project, brief, mep, anna, "de", today=TODAY,
                                                  pages=5))
    [page] = pdf_pages(pdf)
    assert in_order(page, ["Anna Müller", "Mitglied des Europäischen Parlaments",
                           "Europäisches Parlament", "ASP 06F353", "Rue Wiertz 60",
                           "1047 Bruxelles", "BELGIQUE"]), page
    head = page.split("Anna Müller", 1)[0]  # the letterhead, read before the recipient
    at = [head.find(line) for line in ("Bits of Freedom", "Postbus 10746", "1001 ES Amsterdam",
                                       "Nederland", "policy@example.org", "+00 00 000 0000")]
    assert -1 not in at and at == sorted(at), head
    signature = page.split("Mit freundlichen Grüßen", 1)[1]
    assert "Bits of Freedom" in signature and "policy@example.org" in signature
    assert not re.search(r"\S {2,}\S", signature), signature  # one space between words
    document = pdfium.PdfDocument(pdf)
    images = [o for o in document[0].get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    document.close()
    assert len(images) == 1  # the logo


def test_a_logo_outside_the_brief_is_an_error_at_its_line(project):
    brief_path = project.content / SAMPLE / "brief.yaml"
    edit(brief_path, '  url: "https://example.org/contact"\n',
         '  url: "https://example.org/contact"\n  logo: ../secret.png\n')
    line = brief_path.read_text().splitlines().index("  logo: ../secret.png") + 1
    with pytest.raises(BriefErrors) as raised:
        load_brief(project, SAMPLE)
    messages = [m for m in raised.value.lines(project.root) if "logo" in m]
    assert messages == [f"content/{SAMPLE}/brief.yaml:{line}:9: contact.logo: image "
                        "'../secret.png' must be a file in the brief's folder, e.g. "
                        "![…](chart.png)"]


def test_the_letterhead_is_the_contacts_address_and_logo(project):
    write(project, TINY.replace('organisation: "NGO"\n', textwrap.dedent('''\
        organisation: "NGO"
        contact:
          email: "team@example.org"
          phone: "+32 2 000 00 00"
          address: |
            Rue de la Loi 1
            1000 Bruxelles
          logo: logo.png
        ''')) + "letter: {en: 'Text.'}\n")
    (project.content / "tiny" / "logo.png").write_bytes(tiny_png(300, 300))
    brief = load_brief(project, "tiny")
    assert brief.contact is not None and brief.contact.address == ("Rue de la Loi 1",
                                                                   "1000 Bruxelles")
    html = letter_html(project, brief, brief.audience("mep"), _person(), "en", today=TODAY)
    head = html.split('<header class="letterhead">', 1)[1].split("</header>", 1)[0]
    assert '<img class="letterhead-logo" src="logo.png" alt="NGO">' in head
    assert [re.sub(r"<[^>]+>", "", line) for line in re.findall(
        r'<span class="line[^"]*">(.*?)</span>', head)] == [
        "Rue de la Loi 1", "1000 Bruxelles", "team@example.org", "+32 2 000 00 00"]


def _person(**extra: str) -> Recipient:
    fields = {"id": "zoe", "name": "Zoë Ångström", "language": "en", "salutation": "",
              "email": "zoe@example.org", **extra}
    return Recipient("zoe", "Zoë Ångström", "en", "", "zoe@example.org", tuple(fields.items()),
                     Mark(Path("recipients.csv"), 2))


# ---------------------------------------------------------------------------------------------
# Letters sent by e-mail


EMAIL_AUDIENCES = "audiences: {full: , mep: {letter: {delivery: email}}}\n"
POSTAL = {"function": "Member of the European Parliament", "institution": "European Parliament",
          "address": "ASP 08G305 | Rue Wiertz 60 | 1047 Bruxelles | BELGIQUE"}


def test_a_letter_sent_by_email_has_no_postal_address(project):
    write(project, TINY.replace("audiences: [full, mep]\n", EMAIL_AUDIENCES)
          + "letter: {en: 'Text.'}\n")
    brief = load_brief(project, "tiny")
    assert (brief.audience("mep").letter_delivery, brief.audience("full").letter_delivery) \
        == ("email", "post")
    by_email = letter_html(project, brief, brief.audience("mep"), _person(**POSTAL), "en",
                           today=TODAY)
    assert recipient_block(by_email) == ["Zoë Ångström", "Member of the European Parliament",
                                         "European Parliament"]
    assert "Rue Wiertz" not in by_email
    by_post = letter_html(project, brief, brief.audience("full"), _person(**POSTAL), "en",
                          today=TODAY)
    assert recipient_block(by_post)[3:] == ["ASP 08G305", "Rue Wiertz 60", "1047 Bruxelles",
                                            "BELGIQUE"]


def test_an_unknown_delivery_is_an_error_at_its_value(project):
    path = write(project, TINY.replace("audiences: [full, mep]\n",
                                       "audiences: {mep: {letter: {delivery: fax}}}\n"))
    with pytest.raises(BriefErrors) as raised:
        load_brief(project, "tiny")
    line = path.read_text().splitlines().index("audiences: {mep: {letter: {delivery: fax}}}") + 1
    assert [m for m in raised.value.lines(project.root) if "delivery" in m] == [
        f"content/tiny/brief.yaml:{line}:38: audience 'mep', letter, delivery must be one of "
        "post, email (post: the recipient's postal address on the letter; email: none)"]


@pytest.mark.slow
def test_the_pdf_of_a_letter_sent_by_email_has_no_address(project):
    write(project, TINY.replace("audiences: [full, mep]\n", EMAIL_AUDIENCES)
          + "letter: {en: 'Text.'}\n")
    brief = load_brief(project, "tiny")
    mep = brief.audience("mep")
    [page] = pdf_pages(render(project, brief, mep, letter_html(
        project, brief, mep, _person(**POSTAL), "en", today=TODAY, pages=2)))
    assert in_order(page, ["Zoë Ångström", "Member of the European Parliament",
                           "European Parliament"]), page
    assert "Rue Wiertz" not in page and "BELGIQUE" not in page
    assert "Enclosure: Title\u00a0(2\u00a0pages)" in page


# ---------------------------------------------------------------------------------------------
# The enclosure line


@pytest.mark.parametrize(("language", "pages", "line"), [
    ("en", 1, "Enclosure: <cite>T</cite>\u00a0(1\u00a0page)"),
    ("pl", 4, "Załącznik: <cite>T</cite>\u00a0(4\u00a0strony)"),
    ("pl", 5, "Załącznik: <cite>T</cite>\u00a0(5\u00a0stron)"),
    ("de", 5, "Anlage: <cite>T</cite>\u00a0(5\u00a0Seiten)"),
    ("fr", 4, "Pièce jointe\u00a0: <cite>T</cite>\u00a0(4\u00a0pages)"),
    ("el", 4, "Συνημμένο: <cite>T</cite>\u00a0(4\u00a0σελίδες)"),
])
def test_the_enclosure_line_names_the_brief_and_its_pages_in_the_language(language, pages,
                                                                         line):
    html = f'<p class="letter-enclosure">{ENCLOSURE_MARK}</p>'
    assert enclose(html, language, "T", pages) == f'<p class="letter-enclosure">{line}</p>'


def test_the_enclosure_title_is_escaped():
    assert enclose(ENCLOSURE_MARK, "en", "A <b> & B", 2) == \
        "Enclosure: <cite>A &lt;b&gt; &amp; B</cite>\u00a0(2\u00a0pages)"


#: The enclosure line's first words, per language, as a reader expects them.
ENCLOSURE_WORDS = {"pl": "Załącznik:", "de": "Anlage:", "fr": "Pièce jointe :"}
PEOPLE = {"pl": "lukasz-wrobel", "de": "anna-muller", "fr": "jean-dupont"}


@pytest.mark.slow
def test_each_copy_s_letter_names_its_brief_and_the_brief_s_pages(project):
    args = [arg for rid in PEOPLE.values() for arg in ("--only", rid)]
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep", *args)
    assert result.exit_code == 0, result.output
    for language, rid in PEOPLE.items():
        copy = project.root / "out" / SAMPLE / "personal" / "mep" / f"{rid}.pdf"
        pages = pdf_pages(copy.read_bytes())
        body_pages = len(pages) - 1  # a one-page letter, then the brief
        assert ENCLOSURE_WORDS[language] not in pages[1].replace("\u00a0", " ")
        letter = pages[0].replace("\u00a0", " ").replace("\u202f", " ")
        line = letter[letter.index(ENCLOSURE_WORDS[language]):]
        title = load_brief(project, SAMPLE)
        assert squash(locale.plural(language, "enclosure", body_pages).format(
            title=title.title.get(language), pages=body_pages)) == squash(line), line
        assert int(re.search(r"\((\d+)\s", line)[1]) == body_pages, line


# ---------------------------------------------------------------------------------------------
# A letter of two pages; hyphenation; the measure


LONG = "Een lange alinea over het voorstel en wat de experts ervan vinden. " * 12


def _long_letter(project) -> tuple[object, str]:
    write(project, TINY + "letter:\n  nl: |\n" + f"    {LONG}\n\n" * 3)
    return load_brief(project, "tiny"), "nl"


@pytest.mark.slow
def test_page_2_of_a_letter_names_the_recipient_the_date_and_the_page(project):
    brief, language = _long_letter(project)
    full = brief.audience("full")
    html = letter_html(project, brief, full, _person(), language, today=TODAY, pages=3)
    first, second = pdf_pages(render(project, brief, full, html))
    assert all(words in second for words in ("Zoë Ångström", "28 november 2026",
                                             "Pagina 2 van 2")), second
    assert first.count("Zoë Ångström") == 1 and "Pagina 2" not in first  # its block only


@pytest.mark.slow
def test_in_a_batch_each_letter_s_page_2_names_its_own_recipient(project):
    brief, language = _long_letter(project)
    full = brief.audience("full")
    letters = [letter_html(project, brief, full, _person(), language, today=TODAY, pages=3),
               letter_html(project, brief, full, Recipient(
                   "ivan", "Ivan Petrov", "nl", "", "", (("name", "Ivan Petrov"),),
                   _person().mark), language, today=TODAY, pages=3)]
    html, _ = batch_html(letters)
    pages = pdf_pages(render(project, brief, full, html, letters=2))
    assert len(pages) == 4
    assert ["Pagina 2 van 2" in page for page in pages] == [False, True, False, True]
    assert "Zoë Ångström" in pages[1] and "Ivan Petrov" not in pages[1]
    assert "Ivan Petrov" in pages[3] and "Zoë Ångström" not in pages[3]


#: Dutch compounds: with `hyphens: auto` (base.css) a ragged line breaks some of them.
COMPOUNDS = ("De kinderbeschermingsorganisaties, de strafrechtketenpartners en de "
             "toezichthouders vragen om privacyeffectbeoordelingen en "
             "evenredigheidstoetsingen. ") * 5


@pytest.mark.slow
def test_a_letter_is_never_hyphenated(project):
    write(project, TINY + "letter:\n  nl: |\n" + f"    {COMPOUNDS}\n\n" * 2)
    brief = load_brief(project, "tiny")
    full = brief.audience("full")
    html = letter_html(project, brief, full, _person(), "nl", today=TODAY, pages=2)
    text = "\n".join(pdf_pages(render(project, brief, full, html)))
    broken = [line for line in text.splitlines()
              if line.rstrip().endswith(("-", "\u2010", "\u00ad", "\x02"))]
    assert broken == []
    assert text.count("privacyeffectbeoordelingen") == 10  # every one whole
    assert text.count("kinderbeschermingsorganisaties") == 10


@pytest.mark.slow
def test_the_letter_s_measure_is_60_to_75_characters(sample_project, sample_brief, tmp_path):
    anna, jean = rows(tmp_path, SAMPLE_LIST, sample_brief)
    mep = sample_brief.audience("mep")
    for recipient, language in ((anna, "de"), (jean, "fr")):
        html = letter_html(sample_project, sample_brief, mep, recipient, language,
                           today=TODAY, pages=5)
        [page] = pdf_pages(render(sample_project, sample_brief, mep, html))
        body = page.split(",\n", 1)[1]  # after the salutation
        full_lines = [len(line.rstrip()) for line in body.splitlines()
                      if len(line.rstrip()) > 45 and not line.startswith(("Anlage", "Pièce"))]
        assert len(full_lines) >= 6, page
        assert 60 <= sum(full_lines) / len(full_lines) <= 75, full_lines
        assert max(full_lines) <= 78, full_lines


# ---------------------------------------------------------------------------------------------
# Bad columns: located at their row or cell


def test_bad_recipient_block_columns_are_located(tmp_path, sample_brief):
    text = ("id,name,language,function,institution,address,country\n"
            'ann,Ann,en,"Chair\nLIBE",European Parliament,Rue Wiertz 60 | 1047 Bruxelles,'
            "BELGIQUE\n"
            "bob,Bob,en,MEP,EP," + " | ".join(f"Line {n}" for n in range(8)) + ",\n"
            "cy,Cy,en,MEP,EP,Rue Wiertz 60 | 1047 Bruxelles,BE\n"
            "dee,Dee,en,MEP,EP,A very long street name that goes on and on and on 123,\n"
            "eve,Eve,en,MEP,EP,Rue Wiertz 60 | 1047 Bruxelles,BELGIQUE\n")
    path = tmp_path / "recipients.csv"
    path.write_text(text, encoding="utf-8")
    found, errors = load_recipients(path, sample_brief)
    messages = [line for error in errors for line in error.lines(tmp_path)]
    assert messages == [
        "recipients.csv:2: function: recipient 'ann' has it on 2 lines, and the letter prints "
        "a function on one; write it on one line (the institution has its own column, "
        "`institution`, the postal address `address`)",
        "recipients.csv:4: recipient 'bob': the name, function, institution and address make "
        "11 lines, more than the 9 a window envelope shows; shorten the address (the post "
        "needs the street, postcode and city)",
        "recipients.csv:5: country: 'BE' is a code, which the letter prints as the "
        "last line of the postal address of recipient 'cy'; write the country's name as the "
        "post wants it (BELGIQUE), or name the column otherwise (`member_state`) if it is not "
        "their address",
        "recipients.csv:6: recipient 'dee': the line 'A very long street name that "
        "goes on and on and on 123' of the address block has 54 characters, more than the 50 "
        "a window envelope's line shows; break it into lines (a line break in the cell, or "
        "'|' between lines)"]
    assert [type(e) for e in errors][2:] == [RecipientWarning, RecipientWarning]
    assert [r.id for r in found] == ["cy", "dee", "eve"]  # warnings keep their rows
