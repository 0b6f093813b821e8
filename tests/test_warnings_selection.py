"""Warnings that must not vanish, and what each audience prints (issue 10).

What printed wrongly without a word — a placeholder sent to the print shop, a summary or a
heading a design dropped, a section or source no output prints, an image warning that named an
internal PDF object and was gone on the next build — is now a located warning (an error with
`--strict`), kept in the manifest until it is fixed. The corpus (`CASES`) asserts each exact
located line that `brief check` prints; the slow tests assert what the PDFs show.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass

import pytest

from generator.project import OutputId, Project
from generator.run.build import build
from generator.run.manifest import MANIFEST_NAME
from generator.run.pipeline import load_brief, warnings_for

from .support import (
    REPO,
    SAMPLE,
    TINY,
    accept_translations,
    edit,
    output_html,
    pages_text,
    run_cli,
    squash,
    tiny_png,
    write,
)

T = "content/tiny/brief.yaml"

GERMAN = textwrap.dedent("""\
    title: "Was Fachleute sagen"
    subtitle: "Eine Auswahl"
    organisation: "Beispiel e. V."
    date: "2024-05-01"
    languages: [de]
    audiences:
      full: {languages: [de]}
    sections:
      - id: intro
        body: |
          Verschlüsselung schützt alle.
    """)

FRENCH = GERMAN.replace("[de]", "[fr]").replace("Was Fachleute sagen", "Ce que disent les experts")

HANDOUT = TINY.replace("audiences: [full, mep]", "audiences: [full, mep, handout]").replace(
    'date: "2024-05-01"', 'date: "2024-05-01"\nurl: "https://ngo.test/brief"')

#: A design with no place for the summary, the contact block or the QR code.
BARE_TEMPLATE = """{% extends "base.html.j2" %}
{% import "_macros.html.j2" as m %}
{% block body %}
{{ m.title_block(doc) }}
{% for s in doc.sections %}{{ m.section(s) }}{% endfor %}
{% endblock %}
"""


@dataclass(frozen=True)
class Case:
    id: str
    base: str  # the brief written as content/tiny/brief.yaml
    edits: tuple[tuple[str, str], ...]  # (old, new), applied in order
    where: str  # the exact place printed: file:line[:col]
    message: str  # the exact message after it
    strict: bool = False  # run `check --strict` (an error) instead of `check` (a warning)
    files: tuple[tuple[str, str], ...] = ()  # extra project files (path, text)


CASES = [
    # 1. Placeholders written into content, in the languages briefs are written in
    Case("todo-in-body", TINY, (('nl: "Tekst.[@src]"', 'nl: "Tekst [TODO] hier.[@src]"'),),
         f"{T}:9:18", "out/tiny/tiny.full.nl.pdf prints a placeholder ('Tekst [TODO] hier."
         "[@src]'); replace it before sending"),
    Case("xxx-in-english-only", TINY, (('en: "Text.[@src]"', 'en: "Text on XXX.[@src]"'),),
         f"{T}:10:20", "out/tiny/tiny.mep.en.pdf prints a placeholder ('Text on XXX.[@src]'); "
         "replace it before sending"),
    Case("platzhalter-organisation", GERMAN,
         (('organisation: "Beispiel e. V."', 'organisation: "[Platzhalter] Verein"'),),
         f"{T}:3:16", "out/tiny/tiny.full.de.pdf prints a placeholder ('[Platzhalter] Verein'); "
         "replace it before sending"),
    Case("a-completer-subtitle", FRENCH,
         (('subtitle: "Eine Auswahl"', 'subtitle: "Sous-titre [à compléter]"'),),
         f"{T}:2:23", "out/tiny/tiny.full.fr.pdf prints a placeholder ('Sous-titre "
         "[à compléter]'); replace it before sending"),
    Case("polish-placeholder-in-title", TINY,
         (('title: {nl: "Titel", en: "Title"}', 'title: {nl: "Titel", en: "[do uzupełnienia]"}'),),
         f"{T}:1:27", "out/tiny/tiny.mep.en.pdf prints a placeholder ('[do uzupełnienia]'); "
         "replace it before sending"),
    Case("tbd-in-block-body-strict", GERMAN,
         (("Verschlüsselung schützt alle.",
           "Verschlüsselung schützt alle.\n\n      Zahlen: [TBD]"),),
         f"{T}:13:15", "out/tiny/tiny.full.de.pdf prints a placeholder ('Zahlen: [TBD]'); "
         "replace it before sending", strict=True),
    Case("placeholder-in-source-title", TINY,
         (('src: {title: "Bron"', 'src: {title: "[TODO] Bron"'),),
         f"{T}:16:17", "2 outputs print a placeholder ('[TODO] Bron'); "
         "replace it before sending (in full.nl, mep.en)"),  # one line for both (cli)
    # 1. Fields the brief lists under `placeholders:`, at the line (and column) that lists them
    Case("tagged-date", TINY, (('date: "2024-05-01"', 'date: "2024-05-01"\nplaceholders: [date]'),),
         f"{T}:4:16", "out/tiny/tiny.mep.en.pdf prints a placeholder (date: '1 May 2024'); "
         "replace it before sending, then remove 'date' from `placeholders:`"),
    Case("tagged-subtitle-strict", GERMAN,
         (('date: "2024-05-01"', 'date: "2024-05-01"\nplaceholders: [url, subtitle]\n'
           'url: "https://ngo.test/x"'),),
         f"{T}:5:21", "out/tiny/tiny.full.de.pdf prints a placeholder (subtitle: 'Eine "
         "Auswahl'); replace it before sending, then remove 'subtitle' from `placeholders:`",
         strict=True),
    # 2. The summary follows the same rule as sections: `audiences:`, checked like a section's
    Case("summary-audiences-typo", TINY,
         (("sections:\n",
           'summary: {audience: [mep], body: {nl: "Sam.", en: "Sum."}}\nsections:\n'),),
         f"{T}:6:11", "unknown key 'audience' in summary (did you mean 'audiences'?); allowed: "
         "body, audiences", strict=True),
    Case("summary-unknown-audience", TINY,
         (("sections:\n",
           'summary: {audiences: [mpe], body: {nl: "Sam.", en: "Sum."}}\nsections:\n'),),
         f"{T}:6:23", "summary, audiences names 'mpe', which is not defined in "
         "content/audiences.yaml (did you mean 'mep'?)", strict=True),
    # 5. What a design has no place for, and what no audience prints
    Case("summary-design-has-no-place", TINY,
         (("sections:\n", 'summary: {nl: "Samenvatting.", en: "Summary."}\nsections:\n'),
          ("audiences: [full, mep]", "audiences:\n  full: {template: bare.html.j2}\n  mep:")),
         f"{T}:8:1", "out/tiny/tiny.full.nl.pdf leaves the summary out: the design 'full' "
         "(templates/bare.html.j2) has no place for it; to say so in the brief, write "
         "`summary: {audiences: [mep], body: …}`", files=(("templates/bare.html.j2",
                                                             BARE_TEMPLATE),)),
    Case("contact-design-has-no-place", TINY,
         (("sections:\n", 'contact: {email: "team@ngo.test"}\nsections:\n'),
          ("audiences: [full, mep]", "audiences:\n  full:\n  mep: {template: bare.html.j2}")),
         f"{T}:7:3", "out/tiny/tiny.mep.en.pdf leaves the contact block out although audience "
         "'mep' has `contact: true`: its design (templates/bare.html.j2) has no place for it; ask "
         "whoever keeps the templates to add it", files=(("templates/bare.html.j2",
                                                          BARE_TEMPLATE),)),
    Case("qr-without-url", TINY, (("audiences: [full, mep]", "audiences: [full, mep, handout]"),
                                  ("  - id: intro", "  - id: intro\n    audiences: [full, mep]")),
         f"{T}:5:24", "out/tiny/tiny.handout.nl.pdf prints no QR code although audience "
         "'handout' has `qr: true`: the brief has no `url:` for it to link to; add "
         "`url: https://…`"),
    Case("section-for-an-audience-not-built", TINY,
         (("    audiences: [full]\n", "    audiences: [handout]\n"),),
         f"{T}:12:5", "section 'only-full' is printed by no audience: its `audiences:` lists "
         "handout, and this brief is built for full, mep; add one of the brief's audiences or "
         "remove the section"),
    Case("subsection-under-a-parent-left-out", TINY,
         (("    body: {nl: \"Noot.^[Een *noot*.]\"}\n",
           "    body: {nl: \"Noot.^[Een *noot*.]\"}\n    sections:\n      - id: sub\n"
           "        audiences: [mep]\n        title: {en: \"Sub\"}\n"),),
         f"{T}:17:9", "section 'sub' is printed by no audience: its parent section 'only-full' "
         "is not printed for mep; add one of the brief's audiences or remove the section"),
    Case("source-cited-only-where-nothing-prints", TINY,
         (("    audiences: [full]\n", "    audiences: []\n"),
          ('body: {nl: "Noot.^[Een *noot*.]"}', 'body: {nl: "Noot.[@other]"}'),
          ("sources:\n", 'sources:\n  other: {title: "Ander", publisher: "U"}\n')),
         f"{T}:16:10", "source 'other' is cited only in texts no output prints (sections left "
         "out for every audience, or a language no audience is in); no PDF lists it"),
    Case("source-cited-only-in-a-language-no-audience-is-in", TINY,
         (('en: "Text.[@src]"', 'en: "Text."'),
          ("audiences: [full, mep]", "audiences: [mep]")),
         f"{T}:16:8", "source 'src' is cited only in texts no output prints (sections left out "
         "for every audience, or a language no audience is in); no PDF lists it"),
]


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 7
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_located_warning(case: Case, project: Project):
    text = case.base
    for old, new in case.edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    write(project, text)
    for path, content in case.files:
        (project.root / path).write_text(content, encoding="utf-8")
    result = run_cli(project, "check", *(("--strict",) if case.strict else ()), "tiny")
    expected = (f"{case.where}: {case.message}" if case.strict
                else f"{case.where}: warning: {case.message}")
    assert expected in result.output.splitlines(), result.output
    assert result.exit_code == (1 if case.strict else 0), result.output


# ---------------------------------------------------------------------------------------------
# 1. The sample's placeholders: `check --strict` fails listing them (as the README shows)


def test_sample_check_strict_lists_its_placeholders(project):
    result = run_cli(project, "check", "--strict")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    b = "content/expert-advice/brief.yaml"
    assert (f"{b}:12:10: out/expert-advice/expert-advice.handout.nl.pdf prints a placeholder "
            "('[Placeholder] Team beleid'); replace it before sending") in lines
    assert ("content/expert-advice/translations/en.po:367: out/expert-advice/expert-advice"
            ".mep.en.pdf prints a placeholder ('[Placeholder] Policy team'); replace it before "
            "sending") in lines
    assert (f"{b}:9:31: out/expert-advice/expert-advice.handout.nl.pdf prints a placeholder "
            "(contact: '[Placeholder] Team beleid'); replace it before sending, then remove "
            "'contact' from `placeholders:`") in lines
    # the full brief ends with a contact block: its contact name is reported for it too
    assert (f"{b}:12:10: out/expert-advice/expert-advice.full.nl.pdf prints a placeholder "
            "('[Placeholder] Team beleid'); replace it before sending") in lines
    for language, line, name in (("de", 369, "[Platzhalter] Team Politik"),
                                 ("fr", 371, "[À compléter] Équipe politiques publiques"),
                                 ("pl", 366, "[Do uzupełnienia] Zespół ds. polityki")):
        assert (f"content/expert-advice/translations/{language}.po:{line}: out/expert-advice/"
                f"expert-advice.mep.{language}.pdf prints a placeholder ('{name}'); replace it "
                "before sending") in lines
    assert lines[-1] == "24 errors"  # date, url and contact of each output that prints them
    # a design without a contact block: its contact name is not reported for it
    edit(project.audiences_file, "  medium: \"paper\"\n  contact: true\n  max_pages: 8",
         "  medium: \"paper\"\n  max_pages: 8")
    lines = run_cli(project, "check", "--strict").output.splitlines()
    assert not any("full.nl.pdf" in line and "contact" in line for line in lines)
    assert lines[-1] == "22 errors"


def test_readme_shows_the_sample_check_strict(project):
    result = run_cli(project, "check", "--strict")
    shown = "$ brief check --strict\n" + result.output
    assert shown in (REPO / "README.md").read_text(encoding="utf-8"), shown


def test_the_subtitle_placeholder_prints_its_mark(project):
    """`placeholders: [subtitle]` printed the subtitle with no mark at all."""
    write(project, GERMAN.replace('date: "2024-05-01"',
                                  'date: "2024-05-01"\nplaceholders: [subtitle]'))
    brief = load_brief(project, "tiny")
    html, _ = output_html(project, brief, brief.audience("full"), "de")
    assert 'Eine Auswahl <span class="placeholder-tag">[Platzhalter]</span>' in html


# ---------------------------------------------------------------------------------------------
# 2. What each audience prints: the handout prints the summary and every subsection heading


def test_handout_prints_summary_and_subsection_headings(project):
    write(project, HANDOUT.replace("sections:\n", 'summary: {nl: "De kern.", en: "Core."}\n'
                                   "sections:\n").replace(
        "    body: {nl: \"Noot.^[Een *noot*.]\"}\n",
        "    body: {nl: \"Noot.^[Een *noot*.]\"}\n    sections:\n      - id: sub\n"
        "        title: {nl: \"Onderkop\"}\n        body: {nl: \"Meer.\"}\n").replace(
        "audiences: [full]", "audiences: [full, handout]"))
    brief = load_brief(project, "tiny")
    html, _ = output_html(project, brief, brief.audience("handout"), "nl")
    assert '<div class="summary"><p>De\xa0kern.</p>' in html
    assert "<h3>Onderkop</h3>" in html


def test_summary_restricted_like_a_section(project):
    write(project, HANDOUT.replace(
        "sections:\n", 'summary:\n  audiences: [full, mep]\n  body: {nl: "De kern.", en: "Core."}'
        "\nsections:\n"))
    brief = load_brief(project, "tiny")
    handout, _ = output_html(project, brief, brief.audience("handout"), "nl")
    full, _ = output_html(project, brief, brief.audience("full"), "nl")
    assert "kern." not in handout and "De\xa0kern." in full
    assert not [w for w in warnings_for(brief) if "summary" in w.format_message()]


@pytest.mark.slow
def test_sample_handout_pdf_shows_subsection_headings_within_budget(sample_project, sample_build):
    pdf = sample_project.output_path(OutputId(SAMPLE, "handout", "nl"))
    pages = pages_text(pdf)
    assert len(pages) <= 4
    text = squash("".join(pages))
    assert text.count(squash("Welke aanbevelingen doet de expert?")) == 5


# ---------------------------------------------------------------------------------------------
# 3. Preflight warnings name the image and its line, and stay until fixed


@pytest.mark.slow
def test_image_warning_names_file_and_line_and_persists(project):
    brief_file = project.brief_file(SAMPLE)
    (brief_file.parent / "grafiek.png").write_bytes(tiny_png(600, 300))
    edit(brief_file, "  handout:\n", "  handout: {max_pages: 8}\n")  # room for the image
    # The full brief and the handout only: a Dutch edit the MEP brief prints would leave its
    # translations stale (and its outputs unbuilt).
    edit(brief_file, '  mep: {languages: ["en", "de", "fr", "pl"]}\n', "")
    edit(brief_file, "een drietal aanbevelingen.\n",
         "een drietal aanbevelingen.\n\n            ![Grafiek van meldingen](grafiek.png)\n")
    line = brief_file.read_text(encoding="utf-8").splitlines().index(
        "            ![Grafiek van meldingen](grafiek.png)") + 1
    where = f"content/expert-advice/brief.yaml:{line}:36"  # at "](grafiek.png)"
    accept_translations(project)  # the Dutch changed: the English is stale until accepted
    first = run_cli(project, "build", SAMPLE)
    assert first.exit_code == 0, first.output
    warning = [text for text in first.output.splitlines()
               if text.startswith(f"{where}: warning: out/expert-advice/expert-advice.handout.nl"
                                  ".pdf: page ")]
    assert len(warning) == 1, first.output
    assert "grafiek.png (600 × 300 pixels) prints at" in warning[0]
    assert "less than 300; use a larger image (at least" in warning[0]
    assert "/Im" not in first.output and "/ic" not in first.output
    assert warning[0].endswith("pixels wide at this size)")

    again = run_cli(project, "build", SAMPLE)  # nothing changed: up to date, warning repeated
    assert "0 built, 4 up to date" in again.output  # 2 PDFs, the web pages in nl and en
    assert warning[0] + " (from the last build)" in again.output.splitlines()

    check = run_cli(project, "check", SAMPLE)
    assert warning[0] + " (from the last build)" in check.output.splitlines()

    pdfs = {p: p.read_bytes() for p in (project.out / SAMPLE).glob("*.pdf")}
    strict = run_cli(project, "build", "--strict", SAMPLE)
    assert strict.exit_code == 1
    assert {p: p.read_bytes() for p in (project.out / SAMPLE).glob("*.pdf")} == pdfs

    manifest = json.loads((project.out / MANIFEST_NAME).read_text())
    entry = manifest["briefs"][SAMPLE]["outputs"]["handout/nl"]
    assert entry["preflight"][0]["file"] == "content/expert-advice/brief.yaml"
    assert entry["preflight"][0]["line"] == line


@pytest.mark.slow
def test_content_warnings_persist_over_a_no_op_build(project):
    write(project, TINY.replace('nl: "Tekst.[@src]"', 'nl: "Tekst [TODO].[@src]"'))
    expected = (f"{T}:9:18: warning: out/tiny/tiny.full.nl.pdf prints a placeholder "
                "('Tekst [TODO].[@src]'); replace it before sending")
    first = run_cli(project, "build", "tiny")
    assert first.exit_code == 0 and expected in first.output.splitlines(), first.output
    again = run_cli(project, "build", "tiny")
    assert "2 up to date" in again.output
    assert expected + " (from the last build)" in again.output.splitlines(), again.output
    strict = run_cli(project, "build", "--strict", "tiny")
    assert strict.exit_code == 1
    assert expected.replace(" warning:", "") + " (from the last build)" in strict.output


# ---------------------------------------------------------------------------------------------
# 4. The page budget names the brief, where the budget is set, and how to override it


@pytest.mark.slow
def test_page_budget_error_is_located_at_the_brief(project):
    # the handout's budget, set in audiences.yaml (the sample's mep budget is its own, below)
    edit(project.audiences_file, "max_pages: 4\n  print:", "max_pages: 2\n  print:")
    result = build(project, [SAMPLE])
    messages = [e.format_message() for _, e in result.failed]
    assert messages == [
        f"{project.brief_file(SAMPLE)}:20:3: out/expert-advice/expert-advice.handout.nl.pdf has "
        "4 pages, 2 over the budget of 2 for audience 'handout' (`max_pages: 2` in "
        "content/audiences.yaml:55); shorten the content, leave sections out for 'handout' (a "
        "section's `audiences:`), or raise the budget for this brief only: write "
        "`handout: {max_pages: 4}` under its `audiences:`"]


@pytest.mark.slow
def test_a_budget_set_in_the_brief_is_named_there(project):
    # The sample's MEP brief fits its 4 pages in every language (two columns, mep.css): a budget
    # of 2 set in the brief is named there, for each language.
    edit(project.brief_file(SAMPLE), '"pl"]}', '"pl"], max_pages: 2}')
    result = build(project, [SAMPLE])
    messages = sorted(e.format_message() for _, e in result.failed)
    assert [m.split("expert-advice.mep.")[1][:2] for m in messages] == ["de", "en", "fr", "pl"]
    assert all("has 3 pages, 1 over the budget of 2 for audience 'mep' (`max_pages: 2` in "
               "content/expert-advice/brief.yaml:19)" in m for m in messages), messages
