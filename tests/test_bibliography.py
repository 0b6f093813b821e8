"""Sources from a reference manager: `bibliography: refs.json` (CSL JSON, as Zotero exports it)."""

from __future__ import annotations

import json
import threading
import time

import pytest

from generator.errors import BriefError
from generator.project import OutputId
from generator.read.translations import translatables
from generator.run.build import build
from generator.run.pipeline import check, load_brief, warnings_for
from generator.run.watch import watch

from .support import TINY, edit, output_html, pages_text, run_cli, squash, write

#: A Zotero "Export Collection… → CSL JSON" file (Better BibTeX citation keys as ids): tabs,
#: years as texts, the fields Zotero writes. A book, a report by an institution, a web page
#: with the day it was read, a law and a journal article.
ZOTERO = """[
\t{
\t\t"id": "zuboff2019",
\t\t"type": "book",
\t\t"title": "The Age of Surveillance Capitalism",
\t\t"publisher": "PublicAffairs",
\t\t"publisher-place": "New York",
\t\t"ISBN": "978-1-61039-569-4",
\t\t"author": [
\t\t\t{
\t\t\t\t"family": "Zuboff",
\t\t\t\t"given": "Shoshana"
\t\t\t}
\t\t],
\t\t"issued": {
\t\t\t"date-parts": [
\t\t\t\t[
\t\t\t\t\t"2019",
\t\t\t\t\t1,
\t\t\t\t\t15
\t\t\t\t]
\t\t\t]
\t\t}
\t},
\t{
\t\t"id": "ec2023",
\t\t"type": "report",
\t\t"title": "Study on the implementation of the <i>ePrivacy</i> rules",
\t\t"publisher": "Publications Office of the European Union",
\t\t"publisher-place": "Luxembourg",
\t\t"number": "KK-04-23-101-EN-N",
\t\t"URL": "https://op.europa.eu/s/z1Xk",
\t\t"author": [
\t\t\t{
\t\t\t\t"literal": "European Commission"
\t\t\t}
\t\t],
\t\t"issued": {
\t\t\t"date-parts": [
\t\t\t\t[
\t\t\t\t\t"2023",
\t\t\t\t\t6
\t\t\t\t]
\t\t\t]
\t\t}
\t},
\t{
\t\t"id": "edri2023",
\t\t"type": "webpage",
\t\t"title": "Chat control: the EU's new law to scan your messages",
\t\t"container-title": "European Digital Rights (EDRi)",
\t\t"URL": "https://edri.org/our-work/chat-control/",
\t\t"author": [
\t\t\t{
\t\t\t\t"family": "Jakubowska",
\t\t\t\t"given": "Ella"
\t\t\t}
\t\t],
\t\t"accessed": {
\t\t\t"date-parts": [
\t\t\t\t[
\t\t\t\t\t"2024",
\t\t\t\t\t3,
\t\t\t\t\t5
\t\t\t\t]
\t\t\t]
\t\t},
\t\t"issued": {
\t\t\t"date-parts": [
\t\t\t\t[
\t\t\t\t\t"2023",
\t\t\t\t\t10,
\t\t\t\t\t12
\t\t\t\t]
\t\t\t]
\t\t}
\t},
\t{
\t\t"id": "gdpr",
\t\t"type": "legislation",
\t\t"title": "Regulation (EU) 2016/679 (General Data Protection Regulation)",
\t\t"container-title": "Official Journal of the European Union",
\t\t"page": "1-88",
\t\t"volume": "L 119",
\t\t"number": "2016/679",
\t\t"URL": "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
\t\t"issued": {
\t\t\t"date-parts": [
\t\t\t\t[
\t\t\t\t\t"2016",
\t\t\t\t\t4,
\t\t\t\t\t27
\t\t\t\t]
\t\t\t]
\t\t}
\t},
\t{
\t\t"id": "veale2021",
\t\t"type": "article-journal",
\t\t"title": "Demystifying the Draft EU Artificial Intelligence Act",
\t\t"container-title": "Computer Law Review International",
\t\t"page": "97-112",
\t\t"volume": "22",
\t\t"issue": "4",
\t\t"DOI": "10.9785/cri-2021-220402",
\t\t"author": [
\t\t\t{
\t\t\t\t"family": "Veale",
\t\t\t\t"given": "Michael"
\t\t\t},
\t\t\t{
\t\t\t\t"family": "Zuiderveen Borgesius",
\t\t\t\t"given": "Frederik"
\t\t\t}
\t\t],
\t\t"issued": {
\t\t\t"date-parts": [
\t\t\t\t[
\t\t\t\t\t"2021"
\t\t\t\t]
\t\t\t]
\t\t}
\t}
]"""

KEYS = ["zuboff2019", "ec2023", "edri2023", "gdpr", "veale2021"]

#: TINY, citing every entry of the export (its own `sources:` entry `src` stays).
BRIEF = TINY.replace(
    '"Tekst.[@src]"', '"Tekst.[@src] Boek.[@zuboff2019, p. 12] Rapport.[@ec2023] '
    'Web.[@edri2023] Wet.[@gdpr, art. 6] Artikel.[@veale2021]"').replace(
    '"Text.[@src]"', '"Text.[@src] Book.[@zuboff2019, p. 12] Report.[@ec2023] '
    'Web.[@edri2023] Law.[@gdpr, art. 6] Article.[@veale2021]"') + "bibliography: refs.json\n"


def tiny(project, refs: str = ZOTERO, brief: str = BRIEF):
    path = write(project, brief)
    (path.parent / "refs.json").write_text(refs, encoding="utf-8")
    return path


def problems(project) -> list[str]:
    """What `brief check tiny` reports, one line each, paths relative to the project."""
    try:
        load_brief(project, "tiny")
    except BriefError as exc:
        return [line for error in exc.flat() for line in error.lines(project.root)]
    return []


def test_entries_become_sources_citable_like_those_under_sources(project):
    tiny(project)
    brief = load_brief(project, "tiny")
    assert [s.key for s in brief.sources] == ["src", *KEYS]
    law = brief.source("gdpr")
    assert law.published.container == "Official Journal of the European Union"
    assert (law.published.volume, law.published.number, law.published.pages) == (
        "L 119", "2016/679", "1–88")
    assert law.date == "2016-04-27" and law.mark.line == ZOTERO[:ZOTERO.index(
        '"gdpr"')].count("\n")  # the entry's {
    assert brief.source("ec2023").author.get("nl") == "European Commission"
    assert brief.source("ec2023").title.get("en") == (
        "Study on the implementation of the ePrivacy rules")  # Zotero's <i> markup dropped
    assert brief.source("veale2021").url == "https://doi.org/10.9785/cri-2021-220402"
    assert brief.source("veale2021").author.get("en") == "Michael Veale, Frederik Zuiderveen " \
        "Borgesius"
    assert brief.source("edri2023").accessed == "2024-03-05"
    # printed as written in every language: not in the translation files
    assert not [t for t in translatables(brief) if t.path.scope == "source" and t.path.key in KEYS]


def test_references_print_author_title_container_publisher_and_date(project):
    tiny(project)
    brief = load_brief(project, "tiny")
    html, _ = output_html(project, brief, brief.audience("full"), "nl")
    notes = squash(html)
    for expected in (
            "ShoshanaZuboff,<spanclass=ref-title>TheAgeofSurveillanceCapitalism</span>,"
            "PublicAffairs,15januari2019,p.12.</span>",
            "EuropeanCommission,<spanclass=ref-title>StudyontheimplementationoftheePrivacy"
            "rules</span>,KK0423101EN",
            "PublicationsOfficeoftheEuropeanUnion,juni2023.",
            "EllaJakubowska,<spanclass=ref-title>Chatcontrol:theEUsnewlawtoscanyourmessages"
            "</span>,<spanclass=ref-container>EuropeanDigitalRights(EDRi)</span>,12oktober2023"
            "(geraadpleegdop5maart2024).",
            "<spanclass=ref-container>OfficialJournaloftheEuropeanUnionL119</span>,2016/679,"
            "1–88,27april2016,art.6.",
            "<spanclass=ref-container>ComputerLawReviewInternational22(4)</span>,97–112,2021."):
        assert squash(expected) in notes, expected


def test_unused_entries_do_not_warn_but_unused_sources_still_do(project):
    tiny(project, brief=BRIEF.replace("[@veale2021]", "").replace("[@src]", ""))
    brief = load_brief(project, "tiny")
    warned = [w.format_message() for w in warnings_for(brief)]
    assert any("source 'src' is never cited" in w for w in warned), warned
    assert not any("veale2021" in w for w in warned), warned


def test_a_key_in_the_file_and_under_sources_names_both_places(project):
    refs = ZOTERO.replace('"id": "gdpr"', '"id": "src"')
    tiny(project, refs, BRIEF.replace("[@gdpr, art. 6]", "").replace("[@gdpr, art. 6]", ""))
    line = refs[:refs.index('"src"')].count("\n")
    assert problems(project) == [
        f"content/tiny/refs.json:{line}:2: source 'src' is defined twice: here and under "
        "`sources:` in brief.yaml:16; keep one (remove it there, or give this entry another "
        "citation key)"]


def test_a_key_twice_in_the_file(project):
    refs = ZOTERO.replace('"id": "gdpr"', '"id": "ec2023"')
    tiny(project, refs, BRIEF.replace("[@gdpr, art. 6]", ""))
    first = refs.index('"id": "ec2023"')
    second = refs.index('"id": "ec2023"', first + 1)
    assert problems(project) == [
        f"content/tiny/refs.json:{refs[:second].count(chr(10)) + 1}:3: citation key 'ec2023' "
        f"is used twice in this file (first at line {refs[:first].count(chr(10))}); give each "
        "entry its own key"]


@pytest.mark.parametrize(("refs", "expected"), [
    ('[\n  {"id": "a", "title": "A",}\n]',
     "refs.json:2:27: not valid JSON: a comma after the last item; remove the comma after the "
     "last item"),
    ('[\n  {\n    "id": "a",\n    "title": "A",\n\n  }\n]',  # json points at the }
     "refs.json:4:17: not valid JSON: a comma after the last item; remove the comma after the "
     "last item"),
    ('[\n  {"id": "a", "title": "A"},\n]',
     "refs.json:2:28: not valid JSON: a comma after the last item; remove the comma after the "
     "last item"),
    ('[\n  {\n    "id": "a"\n    "title": "A"\n  }\n]',  # json points at "title"
     "refs.json:3:14: not valid JSON: a comma is missing after this item; add a comma at the "
     "end of line 3"),
    ('[\n  {"id": "a", "title": "A"}\n  {"id": "b", "title": "B"}\n]',
     "refs.json:2:28: not valid JSON: a comma is missing after this item; add a comma at the "
     "end of line 2"),
    ("[\n  {'id': 'a', 'title': 'A'}\n]",
     'refs.json:2:4: not valid JSON: a text in single quotes; JSON wants double quotes, '
     '"like this"'),
    ('[\n  {id: "a", "title": "A"}\n]',
     'refs.json:2:4: not valid JSON: a field name without quotes; put it in double quotes, '
     '"title": …'),
    ('[\n  {"id": "a", "title": "A\nB"}\n]',
     "refs.json:2:26: not valid JSON: a text runs over a line break or holds a tab; close the "
     "quotes on the same line (write a line break as \\n)"),
    ('[\n  {"id": "a", "title": "A"}\n]\n]',
     "refs.json:4:1: not valid JSON: more after the end of the list; a CSL-JSON file is one "
     "list [ … ]: delete what follows its closing ]"),
    ('[\n  {"id": "a", "title": "A"\n]',
     "refs.json:3:1: not valid JSON: ] closes a bracket that was not opened, or one before it "
     "is not closed; check the { } and [ ] before this line"),
    ('[\n  {"id": "a", "title": "A"}\n',
     "refs.json:3:1: not valid JSON: the file ends before its last { or [ is closed; add the "
     "missing } or ], or export the file again as CSL JSON"),
    ('[\n  {"id": "a", "title": "A"} // a comment\n]',
     "refs.json:2:29: not valid JSON: JSON has no comments; delete the comment (Zotero's Extra "
     "field can hold a note)"),
    ('{"id": "a", "title": "A"}',
     'refs.json:1: a CSL-JSON file is a list of entries, `[{"id": …}, …]`, not a map {…}; in '
     "Zotero, select the collection, then File → Export Collection… → format CSL JSON"),
    ('[\n  {"id": "a", "title": "A"},\n  "b"\n]',
     'refs.json:3:3: entry 2: an entry must be a map {"id": …, "title": …}, not a text'),
    ('[\n  {\n    "type": "book",\n    "title": "A"\n  }\n]',
     "refs.json:2:3: entry 1: has no id (its citation key); give the item a citation key "
     "(Better BibTeX, or a line `Citation Key: smith2020` in Zotero's Extra field) and export "
     "again"),
    ('[\n  {\n    "id": "http://zotero.org/users/96641/items/BDQRTS3T",\n    "title": "A"\n'
     '  }\n]',
     "refs.json:3:5: entry 1: id 'http://zotero.org/users/96641/items/BDQRTS3T' is not a "
     "citation key brief can cite (letters, digits and _ . : - only); give the item a citation "
     "key (Better BibTeX, or a line `Citation Key: smith2020` in Zotero's Extra field) and "
     "export again"),
    ('[\n  {\n    "id": "a",\n    "title": "A",\n    "author": {"family": "Smith"}\n  }\n]',
     'refs.json:5:5: entry \'a\': author must be a list of names, e.g. [{"family": "Smith", '
     '"given": "Jane"}] or [{"literal": "European Commission"}], not a map {…}'),
    ('[\n  {\n    "id": "a",\n    "title": "A",\n    "author": [{"given": "Jane"}, '
     '{"family": 3}]\n  }\n]',
     'refs.json:5:5: entry \'a\': author, name 2 must be a map of texts, e.g. [{"family": '
     '"Smith", "given": "Jane"}] or [{"literal": "European Commission"}]'),
    ('[\n  {\n    "id": "a",\n    "title": "A",\n    "issued": "2020"\n  }\n]',
     'refs.json:5:5: entry \'a\': issued must be a date such as `"issued": {"date-parts": '
     '[[2024, 3, 5]]}` (or [[2024, 3]], [[2024]]), not a text'),
    ('[\n  {\n    "id": "a",\n    "title": "A",\n    "issued": {"date-parts": [["2020", 2, '
     '30]]}\n  }\n]',
     "refs.json:5:5: entry 'a': issued 2020-2-30 is not a real date (day is out of range for "
     "month)"),
    ('[\n  {\n    "id": "a",\n    "title": "A",\n    "issued": {"raw": "spring 2020"}\n  }\n]',
     "refs.json:5:5: entry 'a': issued: raw date 'spring 2020' is not a date brief can read; "
     'write YYYY, YYYY-MM or YYYY-MM-DD, or `"issued": {"date-parts": [[2024, 3, 5]]}` (or '
     "[[2024, 3]], [[2024]])"),
    ('[\n  {\n    "id": "a",\n    "title": ["A"]\n  }\n]',
     "refs.json:4:5: entry 'a': title must be a text, not a list"),
    ('[\n  {\n    "id": "a",\n    "type": "book"\n  }\n]',
     "refs.json:2:3: entry 'a': has no title; give the item a title in the reference manager "
     "and export again"),
    ('[\n  {\n    "id": "a",\n    "title": "A",\n    "URL": "www.example.org"\n  }\n]',
     "refs.json:5:5: entry 'a': URL 'www.example.org' is not an http(s) URL; write it as "
     "https://…"),
])
def test_a_malformed_file_is_reported_at_its_line(project, refs, expected):
    tiny(project, refs, TINY + "bibliography: refs.json\n")
    assert problems(project) == ["content/tiny/" + expected]


def test_an_export_without_citation_keys_is_one_error(project):
    refs = ZOTERO
    for number, key in enumerate(KEYS, start=1):
        refs = refs.replace(f'"id": "{key}"', f'"id": "http://zotero.org/users/1/items/K{number}"')
    tiny(project, refs, TINY + "bibliography: refs.json\n")
    lines = [refs[:refs.index(f"/K{n}")].count("\n") + 1 for n in range(1, 6)]
    assert problems(project) == [
        f"content/tiny/refs.json:{lines[0]}:3: entry 1: id 'http://zotero.org/users/1/items/K1' "
        "is not a citation key brief can cite (letters, digits and _ . : - only); give the item "
        "a citation key (Better BibTeX, or a line `Citation Key: smith2020` in Zotero's Extra "
        "field) and export again (4 more entries have such an id, at lines "
        f"{', '.join(map(str, lines[1:]))})"]


def test_raw_and_literal_dates(project):
    refs = ('[{"id": "a", "title": "A", "publisher": "P", "issued": {"raw": "2020/05/04"}},\n'
            ' {"id": "b", "title": "B", "publisher": "P", "issued": {"literal": "Spring 2020"}}]')
    tiny(project, refs, TINY.replace('"Text.[@src]"', '"Text.[@src][@a][@b]"')
         + "bibliography: [refs.json]\n")  # a list of files, as Pandoc allows
    brief = load_brief(project, "tiny")
    assert brief.source("a").date == "2020-05-04"
    assert brief.source("b").date == "" and brief.source("b").published.date_literal == \
        "Spring 2020"
    html, _ = output_html(project, brief, brief.audience("mep"), "en")
    assert "P, 4 May 2020" in html and "P, Spring 2020" in html


@pytest.mark.parametrize(("value", "expected"), [
    ("refs.jsn", "bibliography 'refs.jsn' is not a CSL-JSON file (its name must end in .json); "
     "in Zotero, select the collection, then File → Export Collection… → format CSL JSON"),
    ("ref.json", "bibliography 'ref.json' not found in the brief's folder (did you mean "
     "'refs.json'?); in Zotero, select the collection, then File → Export Collection… → format "
     "CSL JSON, and save it beside brief.yaml"),
    ("refs.bib", "bibliography 'refs.bib' is not CSL JSON: BibTeX is not supported; export CSL "
     "JSON from Zotero (File → Export Collection… → format CSL JSON) and name that file"),
    ("../refs.json", "bibliography '../refs.json' leads out of the brief's folder; a brief reads "
     "only files in its own folder: copy the file beside brief.yaml"),
    ("/etc/refs.json", "bibliography '/etc/refs.json' is an absolute path; save the file in the "
     "brief's folder and name it from there, e.g. `bibliography: refs.json`"),
    ("https://example.org/refs.json", "bibliography 'https://example.org/refs.json' is a URL; "
     "brief reads no network: export the file, save it beside brief.yaml and name it here, e.g. "
     "`bibliography: refs.json`"),
])
def test_a_file_that_is_missing_or_not_allowed_is_reported_at_the_bibliography_line(
        project, value, expected):
    tiny(project, "[]", TINY + f"bibliography: {value}\n")
    (project.content / "refs.json").write_text("[]")  # outside the brief's folder
    line = (TINY + "bibliography").count("\n") + 1
    assert problems(project) == [f"content/tiny/brief.yaml:{line}:15: {expected}"]


def test_a_file_not_read_is_the_one_error_not_every_citation_of_it(project):
    tiny(project, brief=BRIEF.replace("bibliography: refs.json", "bibliography: ref.json"))
    assert [line.split(": ", 1)[0] for line in problems(project)] == [
        f"content/tiny/brief.yaml:{BRIEF.count(chr(10))}:15"]
    tiny(project, ZOTERO.replace('"ec2023",', '"ec2023"'))  # a comma missing
    assert len(problems(project)) == 1
    tiny(project, ZOTERO.replace('"title": "The Age of Surveillance Capitalism",', ""))
    assert problems(project) == [  # the entry still defines its key: no "names no source"
        "content/tiny/refs.json:2:2: entry 'zuboff2019': has no title; give the item a title "
        "in the reference manager and export again"]


def test_a_file_listed_twice(project):
    tiny(project, brief=BRIEF.replace("bibliography: refs.json", "bibliography:\n"
                                      "  - refs.json\n  - ./refs.json"))
    line = BRIEF.count("\n") + 2
    assert problems(project) == [f"content/tiny/brief.yaml:{line}:5: bibliography: "
                                 f"'./refs.json' is listed twice (first at line {line - 1}); "
                                 "remove one"]


def test_entries_are_not_in_the_translation_files(project):
    tiny(project, brief=BRIEF.replace("same_in_every_language: [organisation, sources]",
                                      "same_in_every_language: [organisation]"))
    result = run_cli(project, "translate", "tiny", "--to", "en")
    assert result.exit_code == 0, result.output
    po = (project.content / "tiny" / "translations" / "en.po").read_text()
    assert 'msgctxt "source:src/title"' in po
    assert not any(f"source:{key}/" in po for key in KEYS), po


def test_check_names_the_file_in_a_citation_of_an_unknown_key(project):
    tiny(project, brief=BRIEF.replace("[@gdpr, art. 6]", "[@gdrp, art. 6]"))
    result = run_cli(project, "check", "tiny")
    assert result.exit_code == 1
    assert "citation [@gdrp] names no source; did you mean [@gdpr]?" in result.output


@pytest.mark.slow
def test_a_zotero_export_is_cited_and_rendered_in_each_language(project):
    tiny(project)
    check(project, ["tiny"])
    result = build(project, ["tiny"])
    assert result.ok, [e.format_message() for _, e in result.failed]
    full = squash("".join(pages_text(project.output_path(OutputId("tiny", "full", "nl")))))
    for expected in (  # on paper, in Dutch: URLs printed, Dutch dates
            "Shoshana Zuboff, The Age of Surveillance Capitalism, PublicAffairs, 15 januari 2019, "
            "p. 12. 3 European Commission",
            "European Commission, Study on the implementation of the ePrivacy rules, "
            "KK-04-23-101-EN-N, Publications Office of the European Union, juni 2023. "
            "https://op.europa.eu/s/z1Xk",
            "Ella Jakubowska, Chat control: the EU’s new law to scan your messages, European "
            "Digital Rights (EDRi), 12 oktober 2023 (geraadpleegd op 5 maart 2024). "
            "https://edri.org/our-work/chat-control/",
            "Regulation (EU) 2016/679 (General Data Protection Regulation), Official Journal of "
            "the European Union L 119, 2016/679, 1–88, 27 april 2016, art. 6. "
            "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
            "Michael Veale, Frederik Zuiderveen Borgesius, Demystifying the Draft EU Artificial "
            "Intelligence Act, Computer Law Review International 22(4), 97–112, 2021. "
            "https://doi.org/10.9785/cri-2021-220402"):
        assert squash(expected) in full, expected
    mep = squash("".join(pages_text(project.output_path(OutputId("tiny", "mep", "en")))))
    for expected in (  # on screen, in English: the title is the link, the domain printed
            "Shoshana Zuboff, The Age of Surveillance Capitalism, PublicAffairs, 15 January 2019, "
            "p. 12.",
            "12 October 2023 (accessed 5 March 2024). edri.org",
            "1–88, 27 April 2016, art. 6. eur-lex.europa.eu",
            "Computer Law Review International 22(4), 97–112, 2021. doi.org"):
        assert squash(expected) in mep, expected


#: What Zotero exports for an institution's report: the institution as author and publisher.
SWD = """[
  {
    "id": "swd2021",
    "type": "report",
    "title": "Impact Assessment accompanying the AI Act",
    "number": "SWD(2021) 84 final",
    "publisher": "European Commission",
    "author": [{"literal": "European  commission"}],
    "issued": {"date-parts": [[2021, 4, 21]]}
  }
]"""


@pytest.mark.slow
def test_references_without_url_end_with_a_full_stop_and_name_an_author_publisher_once(
        project):
    brief = TINY.replace('"Tekst.[@src]"', '"Tekst.[@swd2021, s. 12] Dalej.[@book]"').replace(
        "same_in_every_language:",  # another source, under `sources:` (TINY's last but one)
        '  book: {title: "Prawo danych", author: "Fundacja X", publisher: "fundacja  x", '
        'date: "2023"}\nsame_in_every_language:') + "bibliography: refs.json\n"
    tiny(project, SWD, brief)
    result = build(project, ["tiny"])
    assert result.ok, [e.format_message() for _, e in result.failed]
    text = squash("".join(pages_text(project.output_path(OutputId("tiny", "full", "nl")))))
    assert squash("1 European commission, Impact Assessment accompanying the AI Act, "
                  "SWD(2021) 84 final, 21 april 2021, s. 12. 2 Fundacja X, Prawo danych, "
                  "2023.") in text, text
    assert text.count("ommission") == 1 and text.count("undacja") == 1


@pytest.mark.slow
def test_editing_the_json_rebuilds_the_outputs_that_cite_it(project):
    path = tiny(project)
    assert build(project, ["tiny"]).ok
    assert build(project, ["tiny"]).built == []
    edit(path.parent / "refs.json", '"PublicAffairs"', '"PublicAffairs Books"')
    rebuilt = build(project, ["tiny"])
    assert sorted(o.id.audience for o in rebuilt.built) == ["full", "mep"]
    text = squash("".join(pages_text(project.output_path(OutputId("tiny", "mep", "en")))))
    assert squash("PublicAffairs Books, 15 January 2019") in text


@pytest.mark.slow
def test_watch_rebuilds_after_the_json_is_saved(project):
    path = tiny(project)
    results = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, daemon=True, kwargs={
        "project": project, "brief_ids": ["tiny"], "jobs": 1, "stop_event": stop,
        "on_result": lambda result, error: results.append(result or error)})
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not results and time.monotonic() < deadline:
            time.sleep(0.05)
        assert results and len(results[0].built) == 2, results
        refs = json.loads((path.parent / "refs.json").read_text())
        refs[0]["title"] = "The Age of Surveillance Capitalism, revised"
        (path.parent / "refs.json").write_text(json.dumps(refs, indent="\t"))
        while len(results) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(results) >= 2 and len(results[1].built) == 2, results
        text = squash("".join(pages_text(project.output_path(OutputId("tiny", "full", "nl")))))
        assert squash("The Age of Surveillance Capitalism, revised") in text
    finally:
        stop.set()
        thread.join(30)
