"""The JSON Schemas of brief.yaml and audiences.yaml agree with the checker (`model`): what one
accepts the other accepts, what one refuses the other refuses — for a brief using every key, for
each of its values made the wrong kind, for an unknown key in each of its maps, and for the
mistakes people make (a bad date, language, page size …)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import jsonschema
import pytest
import yaml

from generator.project import Project
from generator.read import bibliography, model, schema
from generator.read.load import RawNode, load_yaml, parse_yaml

from .support import REPO, SAMPLE, run_cli

#: A brief that uses every key the model accepts (each at least once).
FULL_BRIEF = {
    "title": {"nl": "Titel", "en": "Title"},
    "subtitle": "Ondertitel",
    "organisation": "NGO",
    "date": "2024-05-01",
    "languages": ["nl", "en"],
    "url": "https://example.org/brief",
    "summary": {"audiences": ["full"], "body": {"nl": "Samenvatting."}},
    "contact": {"name": {"nl": "Team", "en": "Team"}, "email": "team@example.org",
                "phone": "+31 20 000 0000", "url": "https://example.org/contact",
                "address": "Postbus 10746\n1001 ES Amsterdam", "logo": "logo.svg"},
    "audiences": {"full": "", "mep": {"max_pages": "5", "qr": "false",
                                      "print": {"bleed": "0mm"}}},
    "sections": [
        {"id": "intro", "class": "key-messages", "title": {"nl": "In", "en": "In"},
         "body": {"nl": "Tekst.[@src, p. 3]", "en": "Text.[@src, p. 3]"},
         "sections": [{"id": "sub", "audiences": ["full"], "title": {"nl": "Sub"},
                       "body": {"nl": "Noot.^[Een noot.]"}}]},
    ],
    "sources": {"src": {"title": "Bron", "publisher": "Uitgever", "author": "Auteur",
                        "url": "https://example.org/a", "date": "2023",
                        "accessed": "2024-04-30", "language": "nl", "short_title": "B"}},
    "placeholders": ["url"],
    "bibliography": "references.json",
    "letter": {"nl": "Beste {name},", "en": "Dear {name},"},
    "same_in_every_language": ["subtitle", "organisation", "sources.src"],
}

#: audiences.yaml using every key (`full` and `mep` are the ones FULL_BRIEF uses).
FULL_AUDIENCES = {
    "full": {"languages": ["nl"], "template": "brief.html.j2",
             "stylesheets": ["base.css", "brief.css"], "page": "A4", "max_pages": "8",
             "medium": "paper", "contact": "false", "qr": "true", "pdf": "x-4",
             "print": {"bleed": "3mm", "marks": ["crop", "cross"], "condition": "FOGRA39",
                       "imposition": "booklet"}},
    "mep": {"languages": "en", "template": "brief.html.j2", "stylesheets": "base.css",
            "page": "210 x 297", "medium": "screen", "contact": "true", "pdf": "ua-1",
            "letter": {"delivery": "email"}, "fit": ["leading", "spacing"]},
    "labels": {"de": {"published_by": "Eine Veröffentlichung von"}},
}

CSL_JSON = [{"id": "report-1", "type": "report", "title": "A report", "publisher": "Institute",
             "issued": {"date-parts": [[2023]]}}]


def instance(node: RawNode) -> object:
    """A YAML file as brief reads it (every value a text), as the JSON a schema validates."""
    if node.kind == "text":
        return node.as_text
    if node.kind == "list":
        return [instance(item) for item in node.as_list]
    return {key: instance(value) for key, value in node.as_map.items()}


def validator(audiences: bool = False) -> jsonschema.Draft202012Validator:
    found = schema.audiences_schema() if audiences else schema.brief_schema()
    return jsonschema.Draft202012Validator(
        found, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def schema_problems(brief: object, audiences: object = FULL_AUDIENCES) -> list[str]:
    return ([e.message for e in validator().iter_errors(brief)]
            + [e.message for e in validator(audiences=True).iter_errors(audiences)])


@pytest.fixture
def folder(tmp_path) -> Path:
    """A brief's folder, with the CSL-JSON file FULL_BRIEF names."""
    path = tmp_path / "content" / "full"
    path.mkdir(parents=True)
    (path / "references.json").write_text(json.dumps(CSL_JSON), encoding="utf-8")
    return path


def checker_problems(folder: Path, brief: object, audiences: object = FULL_AUDIENCES
                     ) -> list[str]:
    """What the checker (`model.build_brief`) says about the two files, written as YAML
    (JSON is YAML); templates and stylesheets are the repository's."""
    raw = parse_yaml(json.dumps(brief, ensure_ascii=False), folder / "brief.yaml")
    audiences_raw = parse_yaml(json.dumps(audiences, ensure_ascii=False),
                               folder.parent / "audiences.yaml")
    brief_model, errors = model.build_brief("full", raw, audiences_raw, Project.at(REPO))
    if brief_model is not None:  # `bibliography:` is read next, as pipeline.model_brief does
        errors = [*errors, *bibliography.add_sources(brief_model, raw)[1]]
    return [e.format_message() for e in errors]


def test_schemas_are_valid_draft_2020_12():
    for found in (schema.brief_schema(), schema.audiences_schema()):
        jsonschema.Draft202012Validator.check_schema(found)
        assert found["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert found["$id"].startswith("urn:brief:schema:")


def test_every_key_is_described_and_closed():
    """Every map of the schema refuses unknown keys and describes each of its keys."""
    def objects(node: object) -> Iterator[dict]:
        if isinstance(node, dict):
            if "properties" in node:
                yield node
            for value in node.values():
                yield from objects(value)
        elif isinstance(node, list):
            for value in node:
                yield from objects(value)

    for found in (schema.brief_schema(), schema.audiences_schema()):
        for obj in objects(found):
            assert obj.get("additionalProperties") is False, obj
            if obj is not found:
                assert all(p.get("description") for p in obj["properties"].values()), obj


def test_the_schema_has_exactly_the_keys_the_model_accepts():
    """The key lists come from the model: each map's properties are its allowed tuple."""
    brief = schema.brief_schema()
    defs = brief["$defs"]
    assert list(brief["properties"]) == list(model.BRIEF_KEYS)
    assert brief["required"] == list(model.BRIEF_REQUIRED)
    assert list(defs["section"]["properties"]) == list(model.SECTION_KEYS)
    assert list(defs["source"]["properties"]) == list(model.SOURCE_KEYS)
    assert list(defs["contact"]["properties"]) == list(model.CONTACT_KEYS)
    assert list(defs["audience"]["properties"]) == list(model.AUDIENCE_KEYS)
    # `languages` is required but of a web edition (its languages default to the brief's)
    assert defs["audience"]["required"] + defs["audience"]["then"]["required"] == sorted(
        model.AUDIENCE_REQUIRED, key=lambda key: key == "languages")
    assert list(defs["print"]["properties"]) == list(model.PRINT_KEYS)
    assert {"bibliography", "letter"} <= set(brief["properties"])
    words = defs["labels"]["additionalProperties"]["properties"]
    assert set(words) == set(schema.locale.WORDS)


def test_a_key_added_to_the_model_without_a_description_fails(monkeypatch):
    monkeypatch.setattr(model, "SECTION_KEYS", (*model.SECTION_KEYS, "colour"))
    with pytest.raises(schema.SchemaMismatch, match="colour"):
        schema.brief_schema()
    monkeypatch.undo()
    monkeypatch.setattr(model, "BRIEF_KEYS", tuple(k for k in model.BRIEF_KEYS if k != "url"))
    with pytest.raises(schema.SchemaMismatch, match="url"):
        schema.brief_schema()


def test_the_full_brief_uses_every_key_of_the_schema():
    """So that the agreement tests below reach every key."""
    def keys_in(node: object) -> set[str]:
        if isinstance(node, dict):
            return set(node).union(*(keys_in(v) for v in node.values()))
        if isinstance(node, list):
            return set().union(*(keys_in(v) for v in node))
        return set()

    def properties(node: object) -> set[str]:
        if isinstance(node, dict):
            own = set(node.get("properties", {})) if isinstance(node.get("properties"),
                                                                dict) else set()
            return own.union(*(properties(v) for v in node.values()))
        if isinstance(node, list):
            return set().union(*(properties(v) for v in node))
        return set()

    used = keys_in(FULL_BRIEF) | keys_in(FULL_AUDIENCES)
    described = (properties(schema.brief_schema()) | properties(schema.audiences_schema()))
    assert described - used <= set(schema.locale.WORDS)  # the words of labels: are all alike


def test_the_full_brief_is_valid_for_both(folder):
    assert schema_problems(FULL_BRIEF) == []
    assert checker_problems(folder, FULL_BRIEF) == []


def _paths(node: object, path: tuple = ()) -> Iterator[tuple]:
    """The path of every value in a JSON tree (below the root)."""
    items = node.items() if isinstance(node, dict) else enumerate(node) \
        if isinstance(node, list) else ()
    for key, value in items:
        yield (*path, key)
        yield from _paths(value, (*path, key))


def _maps(node: object, path: tuple = ()) -> Iterator[tuple]:
    """The path of every map in a JSON tree (the root's is ())."""
    if isinstance(node, dict):
        yield path
    items = node.items() if isinstance(node, dict) else enumerate(node) \
        if isinstance(node, list) else ()
    for key, value in items:
        yield from _maps(value, (*path, key))


def _set(tree: object, path: tuple, value: object) -> object:
    tree = copy.deepcopy(tree)
    parent = tree
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return tree


def _get(tree: object, path: tuple) -> object:
    for key in path:
        tree = tree[key]
    return tree


def _mutations() -> Iterator[tuple[str, object, object]]:
    """(what, brief, audiences): every value made a list of lists (the wrong kind for every
    key), and an unknown key added to every map, in either file."""
    for which, tree in (("brief", FULL_BRIEF), ("audiences", FULL_AUDIENCES)):
        for path in _paths(tree):
            changed = _set(tree, path, [["x"]])
            yield (f"{which}: {'.'.join(map(str, path))} = [[x]]",
                   *((changed, FULL_AUDIENCES) if which == "brief" else (FULL_BRIEF, changed)))
        for path in _maps(tree):
            if which == "audiences" and path == ():
                continue  # the checker reads only the audiences a brief uses (see below)
            changed = copy.deepcopy(tree)
            _get(changed, path)["zz-unknown"] = "x"
            yield (f"{which}: {'.'.join(map(str, path)) or '(top)'} + zz-unknown",
                   *((changed, FULL_AUDIENCES) if which == "brief" else (FULL_BRIEF, changed)))


MUTATIONS = list(_mutations())


@pytest.mark.parametrize(("what", "brief", "audiences"), MUTATIONS,
                         ids=[m[0] for m in MUTATIONS])
def test_every_value_and_map_is_checked_by_both(folder, what, brief, audiences):
    assert schema_problems(brief, audiences), what
    assert checker_problems(folder, brief, audiences), what


#: The mistakes people make, each refused by both (path, value; None removes the key).
MISTAKES = {
    "unknown key (misspelt)": (("titel",), "Titel"),
    "title missing": (("title",), None),
    "title a list": (("title",), ["a", "b"]),
    "text in a language not a code": (("title",), {"NL": "Titel"}),
    "date not a day": (("date",), "2023-02-30"),
    "date in words": (("date",), "1 May 2024"),
    "language in capitals": (("languages",), ["PL"]),
    "language without words": (("languages",), ["nl", "xx"]),
    "language twice": (("languages",), ["nl", "en", "nl"]),
    "url without scheme": (("url",), "www.example.org"),
    "e-mail without @": (("contact", "email"), "policy"),
    "placeholder not a field": (("placeholders",), ["title"]),
    "section without text": (("sections", 0), {"id": "empty"}),
    "section id in capitals": (("sections", 0, "id"), "Intro"),
    "source without publisher or author": (("sources", "src"), {"title": "Bron"}),
    "source date in words": (("sources", "src", "date"), "May 2023"),
    "summary without body": (("summary",), {"audiences": ["full"]}),
    "audience name in capitals": (("audiences",), ["Full"]),
}

AUDIENCE_MISTAKES = {
    "page size unknown": (("full", "page"), "B5"),
    "page size in cm": (("full", "page"), "21 x 29,7 cm"),
    "medium unknown": (("full", "medium"), "print"),
    "standard unknown": (("full", "pdf"), "pdf/a"),
    "print mark unknown": (("full", "print", "marks"), ["trim"]),
    "imposition unknown": (("full", "print", "imposition"), "saddle"),
    "print condition unknown": (("full", "print", "condition"), "GRACOL"),
    "bleed in cm": (("full", "print", "bleed"), "3 cm"),
    "page budget zero": (("full", "max_pages"), "0"),
    "page budget in words": (("full", "max_pages"), "four"),
    "contact yes": (("mep", "contact"), "yes"),
    "template missing": (("mep", "template"), None),
    "labels word unknown": (("labels", "de", "publisher"), "Verlag"),
}


def _changed(tree: object, path: tuple, value: object) -> object:
    if value is not None:
        return _set(tree, path, value)
    tree = copy.deepcopy(tree)
    del _get(tree, path[:-1])[path[-1]]
    return tree


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_mistakes_in_a_brief_are_refused_by_both(folder, mistake):
    brief = _changed(FULL_BRIEF, *MISTAKES[mistake])
    assert schema_problems(brief), mistake
    assert checker_problems(folder, brief), mistake


@pytest.mark.parametrize("mistake", list(AUDIENCE_MISTAKES))
def test_mistakes_in_audiences_are_refused_by_both(folder, mistake):
    audiences = _changed(FULL_AUDIENCES, *AUDIENCE_MISTAKES[mistake])
    assert schema_problems(FULL_BRIEF, audiences), mistake
    assert checker_problems(folder, FULL_BRIEF, audiences), mistake


def test_the_sample_is_valid():
    assert list(validator().iter_errors(
        instance(load_yaml(REPO / "content" / SAMPLE / "brief.yaml")))) == []
    assert list(validator(audiences=True).iter_errors(
        instance(load_yaml(REPO / "content" / "audiences.yaml")))) == []


class _Yaml12(yaml.SafeLoader):
    """YAML as an editor's language server reads it (YAML 1.2's core schema, near enough):
    `2024-05-01` stays a string, `true` is a boolean, `8` an integer, `full:` null."""

    yaml_implicit_resolvers: ClassVar = {
        first: [(tag, regexp) for tag, regexp in resolvers
                if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


_Yaml12.add_implicit_resolver("tag:yaml.org,2002:bool",
                              re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def test_the_sample_is_valid_as_an_editor_reads_it():
    """Unquoted numbers and booleans (`max_pages: 8`, `qr: true`) and empty values
    (`full:`) are what the editor sees: the schema accepts them where the checker does."""
    brief = yaml.load((REPO / "content" / SAMPLE / "brief.yaml").read_text(), _Yaml12)
    audiences = yaml.load((REPO / "content" / "audiences.yaml").read_text(), _Yaml12)
    assert isinstance(audiences["full"]["max_pages"], int)
    assert brief["audiences"]["full"] is None
    assert list(validator().iter_errors(brief)) == []
    assert list(validator(audiences=True).iter_errors(audiences)) == []


def test_url_pattern_agrees_with_the_model():
    pattern = re.compile(schema.ecma(model.URL_RE))
    for url in ("https://example.org/a", "HTTP://EXAMPLE.ORG", "Https://x.eu/?q=1",
                "www.example.org", "ftp://example.org", "https:// example.org", "https://"):
        assert bool(pattern.match(url)) == bool(model.URL_RE.match(url)), url


def test_the_repositorys_copies_are_the_generated_schemas():
    """schemas/*.json, which the sample project's editors read, are what `brief schema`
    makes; after changing the model: `brief schema --write`."""
    for path, text in schema.project_schemas(Project.at(REPO)).items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is out of date; run `brief schema --write`")


def test_brief_schema_prints_and_writes(tmp_path):
    project = Project.at(tmp_path)
    printed = run_cli(project, "schema")
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output) == schema.brief_schema()
    printed = run_cli(project, "schema", "--audiences")
    assert json.loads(printed.output) == schema.audiences_schema()
    out = tmp_path / "my.json"
    written = run_cli(project, "schema", "--audiences", "-o", str(out))
    assert written.exit_code == 0, written.output
    assert json.loads(out.read_text(encoding="utf-8")) == schema.audiences_schema()
    both = run_cli(project, "schema", "--write")
    assert both.exit_code == 0, both.output
    assert "schemas/brief.schema.json" in both.output
    assert json.loads((tmp_path / "schemas" / "brief.schema.json").read_text()) == \
        schema.brief_schema()
    again = run_cli(project, "schema", "--write")
    assert "up to date" in again.output


def test_check_notes_an_out_of_date_copy(project):
    assert run_cli(project, "schema", "--write").exit_code == 0
    result = run_cli(project, "check")
    assert result.exit_code == 0 and "note:" not in result.output
    path = project.root / "schemas" / "brief.schema.json"
    path.write_text(path.read_text().replace("The brief's title", "The title"))
    result = run_cli(project, "check")
    assert result.exit_code == 0, result.output
    assert "note: schemas/brief.schema.json is out of date" in result.output
    assert "brief schema --write" in result.output
