"""`brief new`: a new brief that passes `brief check` and builds in every audience it names, in
its language; never overwriting, refusing bad ids, audiences and languages with a located or
"did you mean" message."""

from __future__ import annotations

import datetime as dt
import re

import jsonschema
import polib
import pytest

from generator.errors import BriefError
from generator.project import OutputId
from generator.read import scaffold, schema
from generator.read.load import load_yaml
from generator.read.scaffold import new_brief
from generator.run.build import build
from generator.run.pipeline import check, load_brief
from generator.text import locale

from .support import pages_text, run_cli

TODAY = dt.date(2024, 5, 1)


def instance(node):
    if node.kind == "text":
        return node.as_text
    if node.kind == "list":
        return [instance(item) for item in node.as_list]
    return {key: instance(value) for key, value in node.as_map.items()}


def test_new_brief_in_the_first_audiences_language(project):
    made = new_brief(project, "my-brief", today=TODAY)
    assert made.path == project.content / "my-brief" / "brief.yaml"
    assert made.language == "nl"  # the sample's first audience, full, prints Dutch
    assert made.audiences == ("full", "mep", "handout", "web")
    assert made.overridden == ("mep",)  # its design prints English (web: the brief's languages)
    brief = load_brief(project, "my-brief")
    assert brief.languages == ("nl",)
    assert {a.name: a.languages for a in brief.audiences} == {
        "full": ("nl",), "mep": ("nl",), "handout": ("nl",), "web": ("nl",)}
    assert brief.source("example-report") is not None
    briefs, warnings = check(project, ["my-brief"])
    assert [b.id for b in briefs] == ["my-brief"]
    assert warnings and all("placeholder" in w.format_message() for w in warnings)
    with pytest.raises(BriefError) as strict:
        check(project, ["my-brief"], strict=True)  # the stand-ins are honest
    assert all("placeholder" in e.format_message() for e in strict.value.flat())


@pytest.mark.parametrize("language", locale.catalog_languages())
def test_every_language_with_a_catalog_passes_check(project, language):
    new_brief(project, "my-brief", language=language, today=TODAY)
    briefs, _ = check(project, ["my-brief"])
    assert briefs[0].languages == (language,)


def test_the_file_points_at_the_schema_and_is_valid(project):
    made = new_brief(project, "my-brief", language="de", today=TODAY)
    first = made.path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/brief.schema.json"
    target = (made.path.parent / first.split("=", 1)[1]).resolve()
    assert target in made.schemas and target.is_file()
    validator = jsonschema.Draft202012Validator(
        schema.brief_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(instance(load_yaml(made.path)))) == []
    again = new_brief(project, "other", language="de", today=TODAY)
    assert again.schemas == ()  # already up to date


def test_audiences_chosen_and_in_their_own_language(project):
    made = new_brief(project, "my-brief", audiences=["full", "handout"], today=TODAY)
    assert made.overridden == ()
    text = made.path.read_text(encoding="utf-8")
    assert 'audiences: ["full", "handout"]' in text
    assert "mep" not in text


def test_refuses_to_overwrite(project):
    path = project.content / "expert-advice" / "brief.yaml"
    before = path.read_bytes()
    with pytest.raises(BriefError, match="exists already"):
        new_brief(project, "expert-advice")
    assert path.read_bytes() == before
    (project.content / "misnamed").mkdir()
    (project.content / "misnamed" / "brief.yml").write_text("title: x\n")
    with pytest.raises(BriefError, match="exists already"):
        new_brief(project, "misnamed")
    assert not (project.content / "misnamed" / "brief.yaml").exists()


@pytest.mark.parametrize(("brief_id", "fix"), [("My Brief", "my-brief"), ("brief_2", "brief-2"),
                                               ("-x", "x")])
def test_refuses_a_bad_id(project, brief_id, fix):
    with pytest.raises(BriefError, match=f"rename the folder to '{fix}'"):
        new_brief(project, brief_id)
    assert not (project.content / brief_id).exists()


def test_unknown_audience_and_language_at_once(project):
    with pytest.raises(BriefError) as caught:
        new_brief(project, "my-brief", audiences=["full", "handuot"], language="PL")
    messages = [e.format_message() for e in caught.value.flat()]
    assert any("'handuot' is not defined" in m and "did you mean 'handout'?" in m
               for m in messages), messages
    assert any("use lower case: 'pl'" in m for m in messages), messages
    with pytest.raises(BriefError, match="no words for language 'xx'"):
        new_brief(project, "my-brief", language="xx")
    assert not (project.content / "my-brief").exists()


def test_cli_says_what_was_made_and_what_next(project):
    result = run_cli(project, "new", "my-brief", "--language", "pl",
                     "--audiences", "mep, handout")
    assert result.exit_code == 0, result.output
    assert "created     content/my-brief/brief.yaml: in pl, for mep, handout" in result.output
    assert "audience 'mep' set to print pl" in result.output
    assert "wrote       schemas/brief.schema.json" in result.output
    assert "brief watch my-brief --preview" in result.output
    assert "brief check my-brief" in result.output
    again = run_cli(project, "new", "my-brief")
    assert again.exit_code == 1
    assert "content/my-brief/brief.yaml:1: brief 'my-brief' exists already" in again.output
    unknown = run_cli(project, "new", "other", "--audiences", "ful")
    assert unknown.exit_code == 1 and "did you mean 'full'?" in unknown.output


def test_example_content_is_a_placeholder_even_off_the_placeholders_list(project):
    """A writer who empties `placeholders:` but keeps the example title, texts and source is
    warned per item at its line; `--strict` refuses until each is replaced."""
    made = new_brief(project, "tmp", language="pl", audiences=["full"], today=TODAY)
    text = made.path.read_text(encoding="utf-8")
    made.path.write_text(text.replace('placeholders: ["organisation", "url", "contact"]',
                                      "placeholders: []"), encoding="utf-8")
    lines = text.splitlines()

    def where(value: str) -> str:
        number = next(i for i, line in enumerate(lines, 1) if value in line)
        return f"content/tmp/brief.yaml:{number}:{lines[number - 1].index(value) + 1}"

    source = where('title: "Tytuł raportu')  # the source's entry
    assert run_cli(project, "check", "tmp").exit_code == 0
    strict = run_cli(project, "check", "--strict", "tmp")
    assert strict.exit_code == 1
    out = "out/tmp/tmp.full.pl.pdf prints a placeholder"
    for expected in (
            f"{where('Tytuł')}: {out}, the example text of `brief new` ('Tytuł Twojego "
            "dokumentu'); replace it with your own before sending",
            f"{where('Twoja organizacja')}: {out}, the example text of `brief new` ('Twoja "
            "organizacja'); replace it with your own before sending",
            f"{where('Druga')}: {out}, the example text of `brief new` ('- Druga rzecz, którą "
            "powinni zapamiętać.'); replace it with your own before sending",
            f"{source}: {out}, the example address "
            "'https://example.org/report.pdf' of source 'example-report' (example.org and the "
            "like are reserved for examples); replace it with the real address before sending",
            f"{where('https://example.org/tmp')}: {out}, the example address "
            "'https://example.org/tmp' (`url:`) (example.org and the like are reserved for "
            "examples); replace it with the real address before sending"):
        assert expected in strict.output.splitlines(), strict.output
    assert "Kluczowe przesłania" not in strict.output  # a section title is not a placeholder


def test_example_addresses_in_links_and_the_contact_warn_unless_listed(project):
    new_brief(project, "tmp", language="en", audiences=["mep"], today=TODAY)
    path = project.content / "tmp" / "brief.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "The second thing readers should remember.",
        "Write to [us](mailto:team@campaign.example) or see <https://www.example.com/x>.")
    path.write_text(text, encoding="utf-8")
    listed = run_cli(project, "check", "tmp").output
    assert "team@campaign.example" in listed and "https://www.example.com/x" in listed
    assert "'policy@example.org' (`contact:`)" not in listed  # `contact` is listed already
    path.write_text(text.replace('"url", "contact"]', '"url"]'), encoding="utf-8")
    unlisted = run_cli(project, "check", "tmp").output
    assert "'policy@example.org' (`contact:`)" in unlisted, unlisted


@pytest.mark.slow
@pytest.mark.parametrize("language", ["pl", "nl"])
def test_a_new_brief_builds_in_every_audience(project, language):
    """Built as it is, in its language: the tool's words in that language too."""
    new_brief(project, "my-brief", language=language, today=TODAY)
    result = build(project, ["my-brief"])
    assert result.ok, [e.format_message() for _, e in result.failed]
    pdfs = [o for o in result.built if o.id.kind == "pdf"]
    assert sorted(o.id for o in pdfs) == [
        OutputId("my-brief", name, language) for name in ("full", "handout", "mep")]
    assert [o.id for o in result.built if o.id.kind != "pdf"] == [
        OutputId("my-brief", "web", language, kind="web")]  # the project's web audience
    words = locale.labels(language)
    for output in pdfs:
        text = "\n".join(pages_text(output.path))
        assert "1 " in text and "2024" in text, output.path  # the date, in its language
        assert words["published_by" if output.id.audience != "handout" else "read_online"] \
            in text, output.path
        assert "[" + words["placeholder"] in text  # the stand-ins, marked
        if output.id.audience in ("mep", "handout"):  # designs with `contact: true`
            assert {"pl": "Zespół ds. polityki", "nl": "Team beleid"}[language] in text
    mep = "\n".join(pages_text(project.output_path(OutputId("my-brief", "mep", language))))
    if language == "pl":
        assert "Kluczowe przesłania" in mep and "s. 3" in mep and "1 maja 2024" in mep
        for english in ("Published by", "Contact", "Key messages", "May"):
            assert english not in mep


def test_every_eu_language_has_the_example_content_translated():
    pot = polib.pofile(str(locale.LOCALE_DIR / "scaffold.pot"))
    assert {e.msgctxt: e.msgid for e in pot} == scaffold.WORDS
    assert all(e.comment for e in pot)  # what each text is, for translators
    assert scaffold.scaffold_languages() == locale.catalog_languages()
    for language in scaffold.scaffold_languages():
        po = polib.pofile(str(scaffold.catalog_path(language)))
        assert {e.msgctxt: e.msgid for e in po} == scaffold.WORDS, language
        assert all(e.msgstr and not e.fuzzy for e in po), language


#: What the English scaffold prints that is English words (its locator "p. 3" is not: many
#: languages abbreviate "page" so).
ENGLISH = tuple(value for key, value in scaffold.WORDS.items() if key != "page")


@pytest.mark.parametrize("language", locale.catalog_languages())
def test_a_new_brief_has_no_english_word_but_in_english(project, language):
    """Every word `brief new` writes that prints is in the brief's language: its section titles
    too, which no check would catch once the example sentences are replaced."""
    made = new_brief(project, "my-brief", language=language, today=TODAY)
    brief = load_brief(project, "my-brief")
    words = scaffold.examples(language)
    titles = [section.title.get(language) for section in brief.sections if section.title]
    assert titles == [words["messages"], words["background"]]
    printed = [brief.title.get(language), brief.organisation.get(language),
               brief.summary.get(language) if brief.summary else None, *titles]
    if language != "en":
        text = made.path.read_text(encoding="utf-8")
        assert [english for english in ENGLISH if english in text] == []
        assert [value for value in printed if value in ENGLISH] == []


@pytest.mark.slow
@pytest.mark.parametrize("language", locale.catalog_languages())
def test_a_new_brief_builds_with_its_section_titles_in_its_language(project, language):
    new_brief(project, "my-brief", language=language, audiences=["full"], today=TODAY)
    check(project, ["my-brief"])
    result = build(project, ["my-brief"])
    assert result.ok, [e.format_message() for _, e in result.failed]
    text = " ".join(" ".join(pages_text(result.built[0].path)).split())
    # A note call printed before the full stop where the language sets it so ("lectores¹.",
    # typography.calls) is left out; pypdf reads a kerned "f’" (Maltese f’qiegħ) as "f ’".
    def plain(printed: str) -> str:
        return re.sub(r"\s*[’']\s*(?=\w)", "'", printed)

    text = plain(re.sub(r"(?<=[^\W\d])\d+(?=[.,;:!?])", "", text))
    words = scaffold.examples(language)
    for key in ("messages", "background", "first", "note"):
        assert plain(words[key]) in text, (key, text)
    if language != "en":
        assert [english for english in ("Key messages", "Background") if english in text] == []
