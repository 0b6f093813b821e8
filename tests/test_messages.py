"""Messages a policy officer can act on: each mistake a newcomer makes that used to print
without a word (or with a message only a programmer reads) names its file, line and column,
what is wrong in the writer's words, and what to write instead.

Each case edits the small brief of tests/support.TINY (or content/audiences.yaml), and asserts
the exact located message `brief check` prints for it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest

from generator.errors import BriefError, ContentError, Mark
from generator.project import OutputId, Project
from generator.run.build import BuildResult, Output
from generator.run.manifest import Manifest
from generator.run.pipeline import check

from .support import SAMPLE, TINY, run_cli, write

BRIEF = "content/tiny/brief.yaml"
AUDIENCES = "content/audiences.yaml"


@dataclass
class Case:
    id: str
    old: str
    new: str
    message: str  # the exact line `brief check` prints (one of the lines, when there are more)
    file: str = BRIEF  # the file edited


CASES = [
    # 1. sections are named by id (or title, or place counted from 1), never `sections[3]`
    Case("section-by-id", '      en: "Text.[@src]"\n', "",
         f"{BRIEF}:8:5: section 'intro', body has no 'en' text, which audience 'mep' prints "
         "(it has: nl); add `en: …` or leave the section out for 'mep'"),
    Case("subsection-by-title", '      en: "Text.[@src]"\n',
         '      en: "Text.[@src]"\n    sections:\n      - title: {nl: "Wie"}\n'
         '        body: {nl: ""}\n',
         f"{BRIEF}:13:20: section 'intro' › subsection titled 'Wie', body (nl) is empty; write "
         "a value or remove the key"),
    Case("section-by-place", "  - id: only-full\n", "  - class: Kasten\n    body: x\n"
         "  - id: only-full\n",
         f"{BRIEF}:11:12: section 2, class 'Kasten' is not a class name (lower-case letters, "
         "digits and -)"),
    Case("section-audience-at-item", "    audiences: [full]", "    audiences: [full, mpe]",
         f"{BRIEF}:12:23: section 'only-full', audiences names 'mpe', which is not defined in "
         "content/audiences.yaml (did you mean 'mep'?)"),
    Case("duplicate-section-id", "  - id: only-full", "  - id: intro",
         f"{BRIEF}:11:9: duplicate section id 'intro' (first at line 7); give each section its "
         "own id"),
    Case("empty-section", "sources:\n", "  - id: outro\nsources:\n",
         f"{BRIEF}:15:5: section 'outro' has no title, body or subsections, so it prints "
         "nothing; write its text under `body:`, or remove the section"),
    Case("stylesheet-at-item", '"base.css", "brief.css", "mep.css"',
         '"base.css", "brief.css", "mep.cs"',
         f"{AUDIENCES}:30:42: stylesheet 'mep.cs' not found in styles/ (did you mean "
         "'mep.css'?)", AUDIENCES),
    Case("placeholder-at-item", "languages: [nl, en]\n",
         "languages: [nl, en]\nplaceholders: [date, titel]\n",
         f"{BRIEF}:5:22: placeholders: 'titel' is not a field that can be a placeholder (did "
         "you mean 'subtitle'?); use date, url, contact, organisation, subtitle"),
    # 2. language codes
    Case("language-upper-case", "languages: [nl, en]", "languages: [nl, EN]",
         f"{BRIEF}:4:17: languages: 'EN' is not a language code; use lower case: 'en'"),
    Case("language-underscore", "languages: [nl, en]", "languages: [nl, en, pl_PL]",
         f"{BRIEF}:4:21: languages: 'pl_PL' is not a language code; write 'pl-PL' (the "
         "language in lower case, a hyphen, the region in capitals) or just 'pl'"),
    Case("language-name", "languages: [nl, en]", "languages: [nl, en, Polski]",
         f"{BRIEF}:4:21: languages: 'Polski' is not a language code; use 'pl' (Polish)"),
    Case("language-country-ua", "languages: [nl, en]", "languages: [nl, en, ua]",
         f"{BRIEF}:4:21: languages: 'ua' is not a language code (UA is Ukraine's country "
         "code); use 'uk' (Ukrainian)"),
    Case("language-country-gr", "languages: [nl, en]", "languages: [nl, en, gr]",
         f"{BRIEF}:4:21: languages: 'gr' is not a language code (GR is Greece's country code);"
         " use 'el' (Greek)"),
    Case("language-three-letters", "languages: [nl, en]", "languages: [nl, en, pol]",
         f"{BRIEF}:4:21: languages: 'pol' is a three-letter code; use the two-letter code 'pl' "
         "(Polish)"),
    Case("language-twice", "languages: [nl, en]", "languages: [nl, en, nl]",
         f"{BRIEF}:4:21: languages: 'nl' is listed twice; remove one"),
    Case("language-key-upper-case", 'title: {nl: "Titel", en: "Title"}',
         'title: {nl: "Titel", EN: "Title"}',
         f"{BRIEF}:1:22: title: 'EN' is not a language code; use lower case: 'en'"),
    Case("audience-language-upper-case", 'languages: ["en"]', 'languages: ["EN"]',
         f"{AUDIENCES}:28:15: audience 'mep', languages: 'EN' is not a language code; use "
         "lower case: 'en'", AUDIENCES),
    # 3. texts YAML misreads: put them in quotes
    Case("colon-in-title", 'title: {nl: "Titel", en: "Title"}', "title: EU AI Act: was jetzt?",
         f'{BRIEF}:1:8: title: the text contains ": ", which YAML reads as a new key; put the '
         'text in quotes: title: "EU AI Act: was jetzt?"'),
    Case("colon-in-translation", '      nl: "Tekst.[@src]"', "      nl: Achtung: Tekst.[@src]",
         f'{BRIEF}:9:11: nl: the text contains ": ", which YAML reads as a new key; put the '
         'text in quotes: nl: "Achtung: Tekst.[@src]"'),
    Case("starts-with-at", 'organisation: "NGO"', "organisation: @NGO",
         f'{BRIEF}:2:15: organisation: YAML does not allow a value to start with @; put the '
         'text in quotes: organisation: "@NGO"'),
    Case("starts-with-percent", 'organisation: "NGO"', "organisation: %NGO",
         f"{BRIEF}:2:15: organisation: YAML reads a line starting with % as a directive; put "
         'the text in quotes: organisation: "%NGO"'),
    Case("starts-with-star", 'title: {nl: "Titel", en: "Title"}', "title: *Entwurf* neu",
         f"{BRIEF}:1:8: title: YAML reads a value starting with * as an alias (*name), and "
         'aliases are not allowed; if it is text, put the text in quotes: title: "*Entwurf* neu"'),
    Case("starts-with-ampersand", 'organisation: "NGO"', "organisation: &Co",
         f"{BRIEF}:2:15: organisation: YAML reads a value starting with & as an anchor "
         "(&name), and anchors are not allowed; if it is text, put the text in quotes: "
         'organisation: "&Co"'),
    Case("starts-with-exclamation", 'title: {nl: "Titel", en: "Title"}', "title: !Wichtig!",
         f"{BRIEF}:1:8: title: YAML reads a value starting with ! as a tag (!name), and tags "
         'are not allowed; if it is text, put the text in quotes: title: "!Wichtig!"'),
    Case("starts-with-greater-than", 'organisation: "NGO"', "organisation: > 50 NGOs",
         f"{BRIEF}:2:15: organisation: YAML reads a value starting with > as a block of text "
         'that starts on the next line; put the text in quotes: organisation: "> 50 NGOs"'),
    Case("brackets-then-text", 'title: {nl: "Titel", en: "Title"}',
         "title: [Entwurf] Stellungnahme",
         f"{BRIEF}:1:8: title: YAML reads a value starting with [ as a list; if it is text, "
         'put the text in quotes: title: "[Entwurf] Stellungnahme"'),
    Case("brackets-only", 'title: {nl: "Titel", en: "Title"}', "title: [Entwurf]",
         f"{BRIEF}:1:8: title is read as a list because it starts with [; if it is text, put "
         'the text in quotes: title: "[Entwurf]"'),
    Case("braces-only", 'organisation: "NGO"', "organisation: {NGO}",
         f"{BRIEF}:2:15: organisation is read as a map because it starts with {{; if it is "
         'text, put the text in quotes: organisation: "{NGO}"'),
    Case("apostrophe-in-single-quotes", 'organisation: "NGO"', "organisation: 'People's NGO'",
         f"{BRIEF}:2:15: organisation: the single quote inside the text ends it early; write "
         "the text in the other kind of quotes: organisation: \"People's NGO\""),
    Case("hash-cuts-title", 'title: {nl: "Titel", en: "Title"}',
         "title: Issue #5 of our series",
         f"{BRIEF}:1:14: title: the text after # is a YAML comment and is not printed; put the "
         'whole text in quotes: title: "Issue #5 of our series"'),
    Case("hash-cuts-translation", '      en: "Text.[@src]"', "      en: Text.[@src] #5 in a row",
         f"{BRIEF}:10:23: section 'intro', body (en): the text after # is a YAML comment and is "
         'not printed; put the whole text in quotes: en: "Text.[@src] #5 in a row"'),
    Case("hash-cuts-organisation", 'organisation: "NGO"', "organisation: NGO #1 in Europe",
         f"{BRIEF}:2:19: organisation: the text after # is a YAML comment and is not printed; "
         'put the whole text in quotes: organisation: "NGO #1 in Europe"'),
    Case("hash-in-brackets", 'publisher: "Uitgever", ', "publisher: Uitgever #1, ",
         f"{BRIEF}:16:44: a # after a space starts a YAML comment, which cuts this line short "
         "inside its brackets; put the text in quotes: publisher: \"Uitgever #1\""),
    # 6. other YAML a newcomer writes
    Case("no-space-after-colon", 'organisation: "NGO"', 'organisation:"NGO"',
         f'{BRIEF}:2:14: a space is missing after the colon, so YAML does not see a key; write '
         '`organisation: "NGO"`'),
    Case("tab-indent", '    body:\n      nl: "Tekst', '    body:\n\tnl: "Tekst',
         f"{BRIEF}:9:1: this line is indented with a tab; indent with spaces, not tabs"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_message(project, case):
    write(project, TINY)
    path = project.root / case.file
    text = path.read_text(encoding="utf-8")
    assert case.old in text, case.old
    path.write_text(text.replace(case.old, case.new, 1), encoding="utf-8")
    with pytest.raises(BriefError) as info:
        check(project, ["tiny"])
    lines = info.value.lines(project.root)
    assert case.message in lines, "\n".join(lines)


@pytest.mark.parametrize("text", [
    TINY.replace('organisation: "NGO"', 'organisation: "NGO"  # a real comment'),
    TINY.replace('organisation: "NGO"', '# a comment line of its own\norganisation: "NGO"'),
    TINY.replace("audiences: [full, mep]", "audiences: [full, mep]  # both"),
    TINY.replace("\n", "\r\n"),  # Windows line endings
    "\ufeff" + TINY,  # a byte order mark, as Windows editors write it
], ids=["comment-after-quoted", "comment-line", "comment-after-list", "crlf", "bom"])
def test_what_is_fine_stays_fine(project, text):
    write(project, TINY)
    project.brief_file("tiny").write_bytes(text.encode())
    check(project, ["tiny"])


def test_windows_line_endings_keep_lines_and_columns(project):
    write(project, TINY)
    text = TINY.replace('organisation: "NGO"', "organisation: NGO #1 in Europe")
    project.brief_file("tiny").write_bytes(text.replace("\n", "\r\n").encode())
    with pytest.raises(BriefError) as info:
        check(project, ["tiny"])
    assert info.value.lines(project.root) == [
        f"{BRIEF}:2:19: organisation: the text after # is a YAML comment and is not printed; "
        'put the whole text in quotes: organisation: "NGO #1 in Europe"']


def test_utf16_file_says_save_as_utf8(project):
    write(project, TINY)
    project.brief_file("tiny").write_bytes(TINY.encode("utf-16"))
    with pytest.raises(BriefError) as info:
        check(project, ["tiny"])
    assert info.value.lines(project.root) == [
        f'{BRIEF}:1: the file is saved as UTF-16 ("Unicode"); save it as UTF-8 (in the '
        "editor's Save As, choose the encoding UTF-8)"]


def test_invisible_character_in_a_key(project):
    write(project, TINY.replace('organisation: "NGO"', '\u00a0organisation: "NGO"'))
    with pytest.raises(BriefError) as info:
        check(project, ["tiny"])
    assert (f"{BRIEF}:2:1: the key 'organisation' has an invisible character in it (NO-BREAK "
            "SPACE), often pasted from a word processor; delete the line's start and type it "
            "again") in info.value.lines(project.root)


@pytest.mark.parametrize("name", ["brief.yml", "Brief.yaml", "brief.YAML", "brief.yaml.txt"])
def test_misnamed_brief_file_is_an_error_not_skipped(project, name):
    shutil.rmtree(project.content / SAMPLE)  # nothing else to build: no PDF rendered
    write(project, TINY)
    project.brief_file("tiny").rename(project.content / "tiny" / name)
    result = run_cli(project, "build")
    assert result.exit_code == 1, result.output
    assert (f"content/tiny/{name}:1: the brief file is named {name!r}, so brief does not read "
            "it; rename it to brief.yaml") in result.output.splitlines()


def test_misnamed_audiences_file(project):
    write(project, TINY)
    project.audiences_file.rename(project.content / "audiences.yml")
    with pytest.raises(BriefError) as info:
        check(project, ["tiny"])
    assert info.value.lines(project.root) == [
        "content/audiences.yml:1: the file is named 'audiences.yml', so brief does not read it; "
        "rename it to audiences.yaml"]


# ---------------------------------------------------------------------------------------------
# The command line: -v after the command, watch's options, help with examples, `brief clean`


def test_verbose_is_accepted_after_every_command(project):
    for command in ("check", "build", "watch", "clean"):
        result = run_cli(project, command, "-v", "--help")
        assert result.exit_code == 0, (command, result.output)
    result = run_cli(project, "build", "-v", "no-such-brief")
    assert result.exit_code == 1, result.output  # a content error, not a usage error (2)
    assert "no brief 'no-such-brief'" in result.output


def test_watch_has_strict_and_force(project, monkeypatch):
    import generator.run.watch

    seen = {}
    monkeypatch.setattr(generator.run.watch, "watch", lambda *a, **k: seen.update(k))
    result = run_cli(project, "watch", "--strict", "--force")
    assert result.exit_code == 0, result.output
    assert seen["strict"] is True and seen["force"] is True


def test_watch_says_when_a_save_fixed_a_brief(project, monkeypatch):
    """After a failed build, the first good one says so — also when the fix only restored the
    last good PDFs (nothing rendered, so no build line and only old warnings otherwise)."""
    import generator.run.watch

    ids = [OutputId(SAMPLE, "full", "nl"), OutputId(SAMPLE, "mep", "en")]
    error = ContentError(Mark(project.brief_file(SAMPLE), 6, 7), "date: not a date")

    def fake_watch(*args, on_result, **kwargs):
        on_result(BuildResult(skipped=list(ids)), None)  # the first build: nothing to say
        on_result(BuildResult(failed=[(SAMPLE, error)]), None)  # a broken save
        on_result(BuildResult(skipped=list(ids)), None)  # the fix: the same PDFs as before
        on_result(BuildResult(failed=[(ids[1], error)], skipped=[ids[0]]), None)
        on_result(BuildResult(built=[Output(ids[1], project.output_path(ids[1]))],
                              skipped=[ids[0]]), None)

    monkeypatch.setattr(generator.run.watch, "watch", fake_watch)
    lines = run_cli(project, "watch").output.splitlines()
    fixed = [line for line in lines if line.startswith("fixed")]
    assert fixed == [
        f"fixed       {SAMPLE}: 0 built, 2 up to date (the PDFs of its last good build)",
        f"fixed       {SAMPLE}: 1 built, 1 up to date"], lines
    assert lines.index(fixed[0]) > lines.index(
        "content/expert-advice/brief.yaml:6:7: date: not a date")


@pytest.mark.parametrize("command", [(), ("check",), ("build",), ("watch",), ("clean",)])
def test_help_has_examples_and_points_to_the_docs(project, command):
    result = run_cli(project, *command, "--help")
    assert result.exit_code == 0
    assert "Examples:\n    brief " in result.output
    assert "docs/content-format.md" in result.output and "docs/printing.md" in result.output


def test_no_briefs_found_mentions_project(tmp_path):
    result = run_cli(Project.at(tmp_path), "build")
    assert result.exit_code == 1
    assert "pass --project FOLDER" in result.output


def _built(project: Project, *outputs: OutputId) -> Manifest:
    """Stand-ins for PDFs brief wrote: files recorded in the manifest, as a build leaves them."""
    manifest = Manifest.load(project.out)
    for output in outputs:
        path = output.path(project.out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.7 stand-in " + output.key.encode())
        manifest.record_output(output, "digest")
    manifest.save()
    return manifest


FULL, MEP = OutputId("tiny", "full", "nl"), OutputId("tiny", "mep", "en")
HANDOUT = OutputId("tiny", "handout", "nl")  # an audience tiny does not have (any more)
OLD = OutputId("old", "full", "nl")  # a brief deleted since


def test_clean_removes_only_what_no_brief_makes_and_only_what_brief_wrote(project):
    shutil.rmtree(project.content / SAMPLE)
    write(project, TINY)
    _built(project, FULL, MEP, HANDOUT, OLD)
    mine = project.out / "old" / "notes.pdf"  # not written by brief
    mine.write_bytes(b"mine")
    result = run_cli(project, "clean")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "removed     out/old/old.full.nl.pdf", "removed     out/tiny/tiny.handout.nl.pdf",
        "2 removed"]
    assert FULL.path(project.out).is_file() and MEP.path(project.out).is_file()
    assert mine.read_bytes() == b"mine"
    assert Manifest.load(project.out).outputs_of("tiny") == [FULL, MEP]
    assert "old" not in Manifest.load(project.out).briefs


def test_clean_all_and_a_file_replaced_by_hand(project):
    write(project, TINY)
    _built(project, FULL, MEP)
    FULL.path(project.out).write_bytes(b"replaced by hand, longer than the stand-in was")
    result = run_cli(project, "clean", "--all", "tiny")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["removed     out/tiny/tiny.mep.en.pdf", "1 removed"]
    assert FULL.path(project.out).is_file()  # not the file brief wrote: left alone
    assert Manifest.load(project.out).outputs_of("tiny") == []


def test_clean_all_removes_booklets_and_the_preview_brief_wrote(project):
    """A booklet written with its output and the brief's preview go with `clean --all`; a
    booklet replaced by hand stays."""
    write(project, TINY)
    manifest = _built(project, FULL, MEP)
    for output, text in ((FULL, b"booklet"), (MEP, b"booklet")):
        output.booklet_path(project.out).write_bytes(text)
        manifest.record_output(output, "digest", booklet=True)
    manifest.save()
    MEP.booklet_path(project.out).write_bytes(b"a booklet replaced by hand")
    page = project.out / "tiny" / "preview.html"
    page.write_text("<!doctype html>")
    (project.out / "tiny" / "preview").mkdir()
    (project.out / "tiny" / "preview" / "version.txt").write_text("1")
    result = run_cli(project, "clean", "--all", "tiny")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "removed     out/tiny/tiny.full.nl.booklet.pdf", "removed     out/tiny/tiny.full.nl.pdf",
        "removed     out/tiny/tiny.mep.en.pdf", "removed     out/tiny/preview.html", "4 removed"]
    assert MEP.booklet_path(project.out).read_bytes() == b"a booklet replaced by hand"
    assert not (project.out / "tiny" / "preview").exists()


def test_clean_keeps_the_outputs_of_a_brief_that_does_not_load(project):
    write(project, TINY.replace('date: "2024-05-01"', 'date: "2024-02-30"'))
    _built(project, HANDOUT)
    result = run_cli(project, "clean", "tiny")
    assert result.exit_code == 1
    assert HANDOUT.path(project.out).is_file()
    assert "0 removed, 1 brief(s) not cleaned: fix them first" in result.output


def test_build_removes_the_outputs_of_a_deleted_brief(project):
    shutil.rmtree(project.content / SAMPLE)
    write(project, TINY.replace('date: "2024-05-01"', 'date: "2024-02-30"'))  # renders nothing
    _built(project, OLD)
    result = run_cli(project, "build")
    assert "removed     out/old/old.full.nl.pdf  (no brief makes it any more)" in \
        result.output.splitlines()
    assert not (project.out / "old").exists()


@pytest.mark.slow
def test_build_removes_the_output_of_an_audience_the_brief_no_longer_has(project):
    shutil.rmtree(project.content / SAMPLE)
    write(project, TINY)
    assert run_cli(project, "build").exit_code == 0
    assert MEP.path(project.out).is_file()
    write(project, TINY.replace("audiences: [full, mep]", "audiences: [full]"))
    result = run_cli(project, "build")
    assert result.exit_code == 0, result.output
    assert "removed     out/tiny/tiny.mep.en.pdf  (no brief makes it any more)" in \
        result.output.splitlines()
    assert not MEP.path(project.out).exists() and FULL.path(project.out).is_file()


def test_an_upper_case_language_is_one_error_without_follow_ons(project):
    write(project, TINY.replace("languages: [nl, en]", "languages: [nl, EN]"))
    result = run_cli(project, "check", "tiny")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if "brief.yaml" in line]
    assert len(errors) == 1, result.output
    assert "'EN' is not a language code; use lower case: 'en'" in errors[0]
