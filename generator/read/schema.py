"""schema: the model's keys → JSON Schemas (draft 2020-12) of brief.yaml and audiences.yaml, for
editors: completion of keys and values, and mistakes flagged as one types.

**One source of truth.** Which keys each map may hold, which are required, and every closed list
of values (page sizes, media, print marks, impositions, PDF standards, print conditions, the
languages the tool has words for, the words of `labels:`) and every pattern (slugs, names, source
keys, URLs, e-mail addresses, page sizes, lengths) are read from `model`, `standards` and
`locale`: the very tuples and expressions `model._Checker` validates with. What this module adds
is what a schema needs and the checker has no use for: each key's description (from
docs/content-format.md) and its JSON shape. Making a schema fails (`SchemaMismatch`) when a key
the model accepts has no entry here, or an entry here names a key the model does not accept —
so a key added to the model without its description fails every test that makes a schema.
tests/test_schema.py checks the shapes against the checker: a brief using every key is valid
for both, and every mutation of it (each value of the wrong kind, an unknown key in each map, a
bad date, language, page size …) is refused by both.

**What the schema cannot know** `brief check` still checks: files (templates, stylesheets,
images) that exist, citations, translations, audiences defined in the project's audiences.yaml,
duplicate section ids, ranges inside a text (`500 x 20`), a real calendar day (except where the
format checker is asked).

**Where it is.** Generated on demand (`brief schema`, milliseconds), so the installed package
always carries the schema of its own model and no build step or copy can drift. A project keeps
its copy in `schemas/` (`brief schema --write`, and `brief new`), which the
`# yaml-language-server: $schema=…` line at the top of a brief points at by a relative path;
tests keep the repository's copy equal to the generated one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import files
from ..errors import BriefError
from ..make.standards import PRINT_CONDITIONS, STANDARDS
from ..make.standards.x4 import DEFAULT_PRINT_CONDITION
from ..make.typeset.fit import STEPS as FIT_STEPS
from ..project import AUDIENCES_FILE, BRIEF_FILE, Project
from ..run.write import write_atomic
from ..text import locale
from . import model
from .brand import BRAND_FILE, TOKENS

Json = dict[str, Any]

DRAFT = "https://json-schema.org/draft/2020-12/schema"

#: The folder of a project that holds its copy of the schemas, and the files in it.
SCHEMAS_DIR = "schemas"
BRIEF_SCHEMA = "brief.schema.json"
AUDIENCES_SCHEMA = "audiences.schema.json"
BRAND_SCHEMA = "brand.schema.json"

#: The comment that tells the YAML language server (VS Code's YAML extension, and other editors
#: using it) which schema a file follows; a path relative to the YAML file.
MODELINE = "# yaml-language-server: $schema={}"


class SchemaMismatch(Exception):
    """The model accepts a key this module does not describe, or the other way round."""


@dataclass(frozen=True, slots=True)
class Key:
    """A key of a map: what it means (one or two sentences) and its value's JSON Schema."""

    description: str
    shape: Json


def _ref(name: str) -> Json:
    return {"$ref": f"#/$defs/{name}"}


def ecma(pattern: re.Pattern[str]) -> str:
    """A Python regular expression as JSON Schema's (ECMA-262) dialect: the same text, with
    `re.IGNORECASE` spelt out as `[xX]` for each letter outside a character class (JSON Schema
    has no flags). Only what the model's expressions use is supported."""
    source = pattern.pattern
    if not pattern.flags & re.IGNORECASE:
        return source
    out: list[str] = []
    i, in_class = 0, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            out.append(source[i:i + 2])
            i += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char.isascii() and char.isalpha() and not in_class:
            char = f"[{char.lower()}{char.upper()}]"
        out.append(char)
        i += 1
    return "".join(out)


def _scalar(pattern: str = r"\S") -> Json:
    return {"type": "string", "pattern": pattern}


def _one_or_list(item: Json, *, unique: bool = False) -> Json:
    """One value, or a list of them (the checker reads one value as a list of one)."""
    listed: Json = {"type": "array", "items": item}
    if unique:
        listed["uniqueItems"] = True
    return {"anyOf": [item, listed]}


def _enum(values: tuple[str, ...] | list[str]) -> Json:
    return {"type": "string", "enum": list(values)}


def _definitions() -> Json:
    """The shapes every key refers to (`$defs`)."""
    languages = locale.catalog_languages()
    base = "|".join(languages)
    language = {
        "description": "A language code (ISO 639-1, lower case) the tool has words for, "
                       "optionally with a region in capitals: `nl`, `pl`, `pt-BR`.",
        "anyOf": [_enum(languages),
                  # a region after a language with a catalog (`-UK` is no region: `-GB`)
                  _scalar(f"^(?:{base})-(?!UK$)[A-Z]{{2}}$")]}
    return {
        "language": language,
        "languages": {**_one_or_list(_ref("language"), unique=True),
                      "description": "Language codes, the original first: `[nl, en]`."},
        "text": {
            "description": "A text: one string for every language, or a map language → string "
                           "such as `{nl: \"…\", en: \"…\"}`. Put texts in quotes.",
            "anyOf": [_scalar(),
                      {"type": "object", "minProperties": 1,
                       "propertyNames": _ref("language"),
                       "additionalProperties": _scalar()}]},
        "name": {"description": "An audience's name (lower-case letters, digits and -), "
                                f"defined in content/{AUDIENCES_FILE}.",
                 **_scalar(model.NAME_RE.pattern)},
        "names": _one_or_list(_ref("name")),
        "url": {"description": "A web address, https://…", **_scalar(ecma(model.URL_RE))},
        "date": {"description": "A date, YYYY-MM-DD.", "type": "string",
                 "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"},
        "partial_date": {"description": "A date: YYYY, YYYY-MM or YYYY-MM-DD.",
                         "anyOf": [_scalar(r"^\d{4}(-\d{2}(-\d{2})?)?$"),
                                   {"type": "integer", "minimum": 1000, "maximum": 9999}]},
        "boolean": {"anyOf": [{"type": "boolean"}, _enum(["true", "false"])]},
        "section": _object("section", model.SECTION_KEYS, SECTION, one_of=model.SECTION_PRINTS),
        "source": _object("source", model.SOURCE_KEYS, SOURCE, model.SOURCE_REQUIRED,
                          one_of=model.SOURCE_BY),
        "contact": _object("contact", model.CONTACT_KEYS, CONTACT),
        "summary": {"anyOf": [_ref("text"), _object("summary", model.SUMMARY_KEYS, SUMMARY,
                                                    model.SUMMARY_REQUIRED)]},
        "audience": {  # a web edition's languages default to the brief's (model._audience)
            **_object("audience", model.AUDIENCE_KEYS, AUDIENCE,
                      tuple(key for key in model.AUDIENCE_REQUIRED if key != "languages")),
            "if": {"not": {"required": ["medium"],
                           "patternProperties": {"^medium$": {"const": "web"}}}},
            "then": {"required": ["languages"]}},
        "audience_override": _object("audience", model.AUDIENCE_KEYS, AUDIENCE),
        "print": _object("print", model.PRINT_KEYS, PRINT),
        "letter_settings": _object("letter", model.LETTER_KEYS, LETTER),
        "labels": {
            "description": "The organisation's own words per language, in place of the "
                           "tool's: `de: {published_by: \"Eine Veröffentlichung von\"}`.",
            "type": "object", "propertyNames": _ref("language"),
            "additionalProperties": {
                "type": "object", "additionalProperties": False,
                "properties": {key: {"description": f"In place of “{english}”.", **_scalar()}
                               for key, english in locale.WORDS.items()}}},
    }


def _object(what: str, allowed: tuple[str, ...], keys: dict[str, Key],
            required: tuple[str, ...] = (), *, one_of: tuple[str, ...] = ()) -> Json:
    """A map's schema: exactly the keys the model allows, each described."""
    missing = [key for key in allowed if key not in keys]
    extra = [key for key in keys if key not in allowed]
    if missing or extra:
        raise SchemaMismatch(f"{what}: keys the model accepts without a description in "
                             f"schema.py: {missing}; described but not accepted: {extra}")
    shape: Json = {"type": "object", "additionalProperties": False,
                   "properties": {key: {"description": keys[key].description,
                                        **keys[key].shape} for key in allowed}}
    if required:
        shape["required"] = list(required)
    if one_of:
        shape["anyOf"] = [{"required": [key]} for key in one_of]
    return shape


# ---------------------------------------------------------------------------------------------
# What each key means (docs/content-format.md says more)


BRIEF = {
    "title": Key("The brief's title (a text).", _ref("text")),
    "subtitle": Key("A subtitle under the title (a text).", _ref("text")),
    "organisation": Key("Who publishes the brief; also the PDF's author (a text).",
                        _ref("text")),
    "date": Key("The brief's date, YYYY-MM-DD: printed in the title block and the PDF's "
                "date.", _ref("date")),
    "languages": Key("The brief's languages, the original first: `[nl, en]`.",
                     _ref("languages")),
    "url": Key("Where the brief lives online (https://…); print audiences with `qr: true` "
               "print a QR code to it.", _ref("url")),
    "summary": Key("Printed under the title block (Markdown). For some audiences only: "
                   "`{audiences: [mep], body: …}`.", _ref("summary")),
    "contact": Key("Printed by audiences with `contact: true`: name, email, phone, url.",
                   _ref("contact")),
    "audiences": Key(
        "The audiences (designs) the brief is built for, from content/audiences.yaml: a list "
        "`[full, mep]`, or a map name → settings overriding the audience's for this brief "
        "(`mep: {max_pages: 5}`).",
        {"anyOf": [_ref("name"), {"type": "array", "items": _ref("name")},
                   {"type": "object", "propertyNames": _ref("name"),
                    "additionalProperties": {"anyOf": [{"type": "null"}, {"const": ""},
                                                       _ref("audience_override")]}}]}),
    "sections": Key("The sections, in order; each a map with title, body, id, class, "
                    "audiences and subsections.", {"type": "array", "items": _ref("section")}),
    "sources": Key("The sources citations name (`[@key, p. 3]`): a map key → source.",
                   {"type": "object", "propertyNames": _scalar(model.KEY_RE.pattern),
                    "additionalProperties": _ref("source")}),
    "placeholders": Key("Fields whose values are stand-ins: printed with a visible mark and "
                        "a warning (an error with --strict) until filled in and taken off the "
                        "list.", _one_or_list(_enum(model.PLACEHOLDER_FIELDS), unique=True)),
    "bibliography": Key("A CSL-JSON file beside brief.yaml (as Zotero, Mendeley and Citavi "
                        "export it), or a list of them, whose entries become citable keys, "
                        "like `sources:`.",
                        {**_one_or_list(_scalar()), "examples": ["references.json"]}),
    "letter": Key("The cover letter of personal copies (Markdown, a text), with placeholders "
                  "such as {name} filled from each recipient's row.", _ref("text")),
    "same_in_every_language": Key(
        "Plain texts that print unchanged in every language, untranslated (names): "
        "`organisation`, `contact` (its name), `sources` (every source's title, publisher and "
        "author) or `sources.<key>`, `title`, `subtitle`. Any other text written once is "
        "missing in another language's output until translated.",
        {**_one_or_list({"anyOf": [_enum(model.SAME_FIELDS),
                                   _scalar(r"^sources\.[A-Za-z0-9][A-Za-z0-9_.:-]*$")]},
                        unique=True), "examples": [["organisation", "contact"]]}),
}

SECTION = {
    "id": Key("The section's anchor, unique in the brief: lower-case letters, digits, -.",
              _scalar(model.SLUG_RE.pattern)),
    "title": Key("The heading (a text); an untitled section is e.g. the introduction.",
                 _ref("text")),
    "body": Key("The section's text, Markdown, with footnotes `^[…]` and citations "
                "`[@key, p. 3]`.", _ref("text")),
    "class": Key("A styling hook, e.g. `key-messages`.", _scalar(model.SLUG_RE.pattern)),
    "audiences": Key("Only these audiences print the section (with its subsections).",
                     _ref("names")),
    "sections": Key("Subsections (h3, h4, …).", {"type": "array", "items": _ref("section")}),
}

SOURCE = {
    "title": Key("The source's title (a text).", _ref("text")),
    "short_title": Key("The title a citation of it after the first prints (a text), e.g. "
                       "`Jaarcijfers 2021`; else its title before a colon, or its first four "
                       "words.", _ref("text")),
    "publisher": Key("Who published it (a text); a publisher or an author is needed.",
                     _ref("text")),
    "author": Key("Who wrote it (a text); a publisher or an author is needed.", _ref("text")),
    "url": Key("Its web address: a link in every PDF, printed in full on paper.",
               _ref("url")),
    "date": Key("When it was published: YYYY, YYYY-MM or YYYY-MM-DD.", _ref("partial_date")),
    "accessed": Key("When it was read online, printed as “(accessed 1 May 2024)”.",
                    _ref("partial_date")),
    "language": Key("The language it is written in, e.g. `nl`: its title is typeset by that "
                    "language's rules and tagged with it in every output.", _ref("language")),
}

CONTACT = {
    "name": Key("Who to contact (a text).", _ref("text")),
    "email": Key("An e-mail address.", _scalar(model.EMAIL_RE.pattern)),
    "phone": Key("A phone number, as it should print (in quotes).", _scalar()),
    "url": Key("A contact page, https://…", _ref("url")),
    "address": Key("The organisation's postal address, one line each (`address: |`), on the "
                   "cover letter's letterhead.", _scalar()),
    "logo": Key("The organisation's logo, an image in the brief's folder (SVG or PNG), on the "
                "cover letter's letterhead.", _scalar()),
}

SUMMARY = {
    "body": Key("The summary's text (Markdown).", _ref("text")),
    "audiences": Key("Only these audiences print the summary.", _ref("names")),
}

AUDIENCE = {
    "languages": Key("One PDF per listed language.", _ref("languages")),
    "template": Key("A file in templates/, e.g. `brief.html.j2`.",
                    {**_scalar(), "examples": ["brief.html.j2", "handout.html.j2"]}),
    "stylesheets": Key("Files in styles/, applied in order.", _one_or_list(_scalar())),
    "page": Key("A4 (the default), A5, A3, or `width x height` in mm (`210 x 297`).",
                {"anyOf": [_enum(list(model.PAGE_SIZES_MM)),
                           _enum([size.lower() for size in model.PAGE_SIZES_MM]),
                           _scalar(model.PAGE_RE.pattern)]}),
    "max_pages": Key("The page budget: an output longer than this fails.",
                     {"anyOf": [{"type": "integer", "minimum": 1},
                                _scalar(r"^\s*0*[1-9][0-9]*\s*$")]}),
    "print": Key("For a print shop: bleed, marks, condition, imposition.", _ref("print")),
    "medium": Key("`paper` (URLs printed in full; the default), `screen` (titles are "
                  "links) or `web` (the web edition: one HTML page per language).",
                  _enum(model.MEDIA)),
    "contact": Key("`true`: close with the brief's contact block.", _ref("boolean")),
    "qr": Key("`true`: print a QR code to the brief's `url`.", _ref("boolean")),
    "pdf": Key("The standard the PDF claims: `ua-1` (tagged, for screens; the default), `x-4` "
               "(for print shops; the default with `print:`) or `none`.",
               _enum(list(STANDARDS))),
    "letter": Key("Its personal copies' cover letters: `delivery: post` (the recipient's postal "
                  "address printed; the default) or `email` (no address block).",
                  _ref("letter_settings")),
    "fit": Key("The steps the design allows to fit the text to `max_pages` and keep the last "
               "page from holding only the closing blocks, tried in this order: "
               + ", ".join(f"`{name}` ({step.what})" for name, step in FIT_STEPS.items())
               + ".", _one_or_list(_enum(list(FIT_STEPS)), unique=True)),
    "title": Key("What readers call the design, a text per language (`{en: \"Brief for "
                 "Members of the European Parliament\", nl: …}`): the web edition's download "
                 "links name its PDFs so.", _ref("text")),
}

LETTER = {
    "delivery": Key("`post` (the recipient's postal address for a window envelope; the "
                    "default) or `email` (no address block).", _enum(model.DELIVERIES)),
}

PRINT = {
    "bleed": Key(f"The bleed in mm, e.g. `3mm` (at most {model.MAX_BLEED_MM:g}).",
                 {"anyOf": [_scalar(model.LENGTH_MM_RE.pattern),
                            {"type": "number", "minimum": 0,
                             "maximum": model.MAX_BLEED_MM}]}),
    "marks": Key("Print marks: `[crop]` or `[crop, cross]`.",
                 _one_or_list(_enum(model.PRINT_MARKS))),
    "condition": Key(f"The press's characterisation for PDF/X (`{DEFAULT_PRINT_CONDITION}`, "
                     "the default).", _enum(list(PRINT_CONDITIONS))),
    "imposition": Key("`booklet`: padded to a multiple of 4 pages and also written imposed "
                      "for folding; `none` (the default): loose pages.",
                      _enum(model.IMPOSITIONS)),
}


# ---------------------------------------------------------------------------------------------
# _brand.yml (docs/brand.md): the parts of the open brand.yml format the tool reads, closed where
# brand.yml is (so a mistyped key is flagged), and `defaults: brief:`, the tool's own. Other
# tools' `defaults:` (bootstrap, quarto, shiny) are left to them.

#: brand.yml's theme colours (`color:`), each a colour or a palette name; the tool reads
#: foreground, background, primary, secondary and warning (docs/brand.md), and accepts the rest
#: for other tools.
BRAND_THEME_COLOURS = ("foreground", "background", "primary", "secondary", "tertiary", "success",
                       "info", "warning", "danger", "light", "dark")
BRAND_LOGO_SIZES = ("small", "medium", "large")
#: brand.yml's typography settings; the tool reads base, headings and monospace.
BRAND_TYPOGRAPHY = ("base", "headings", "monospace", "monospace-inline", "monospace-block",
                    "link")


def _brand_definitions() -> Json:
    colour = {"description": "A colour: `#rrggbb`, another CSS colour (`rgb(…)`, `hsl(…)`, "
                             "`white`), or the name of a colour of `color.palette`.",
              "anyOf": [_scalar("^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$"),
                        _scalar("^[A-Za-z][A-Za-z0-9_-]*$"),
                        _scalar(r"^[a-zA-Z]+\(.*\)$")]}
    image = {"description": "An image file of the project (SVG, PNG or JPEG), by its path from "
                            "the project's root, or the name of an image of `logo.images`.",
             **_scalar()}
    image_with_alt = {"anyOf": [image, {
        "type": "object", "additionalProperties": False, "required": ["path"],
        "properties": {"path": {"description": "The image file, from the project's root.",
                                **_scalar()},
                       "alt": {"description": "What the logo says, for readers who cannot see "
                                              "it: usually the organisation's name.",
                               **_scalar()}}}]}
    logo = {"anyOf": [_ref("image"), {
        "type": "object", "additionalProperties": False,
        "properties": {"light": {"description": "On light backgrounds.", **_ref("image")},
                       "dark": {"description": "On dark backgrounds (the accent).",
                                **_ref("image")}}}]}
    weight = {"anyOf": [{"type": "integer", "minimum": 100, "maximum": 900},
                        _scalar("^(?:[1-9]00|[a-z]+(?:-[a-z]+)?)$")]}  # 600, semi-bold
    font_file = {"anyOf": [_scalar(), {
        "type": "object", "additionalProperties": False, "required": ["path"],
        "properties": {
            "path": {"description": "The font file (OpenType, TrueType, WOFF, WOFF2), from the "
                                    "project's root.", **_scalar()},
            "weight": {"description": "Its weight: 400 regular, 700 bold …", **weight},
            "style": {"description": "`normal` or `italic`.", **_enum(["normal", "italic"])}}}]}
    font = {
        "type": "object", "additionalProperties": False, "required": ["family"],
        "properties": {
            "family": {"description": "The family's name, as `typography:` names it.",
                       **_scalar()},
            "source": {"description": "`file`: the files listed below, in the project; "
                                      "`system`: a family the tool ships (Gentium Book Plus, "
                                      "Inter). The tool never fetches fonts (`google`, `bunny` "
                                      "are refused by `brief check`).",
                       **_enum(["file", "system", "google", "bunny"])},
            "files": {"description": "The family's files, each a path or `{path, weight, "
                                     "style}`.", "type": "array", "items": font_file},
            "weight": {"description": "Weights (other tools' use).",
                       **_one_or_list(weight)},
            "style": {"description": "Styles (other tools' use).",
                      **_one_or_list(_enum(["normal", "italic"]))},
            "display": {"description": "CSS font-display (other tools' use).", **_scalar()}}}
    setting = {"anyOf": [_scalar(), {
        "type": "object", "additionalProperties": False,
        "properties": {
            "family": {"description": "A family of `typography.fonts`, or one the tool ships.",
                       **_scalar()},
            "weight": {"description": "Its weight.", **weight},
            "style": {"description": "`normal` or `italic`.", **_enum(["normal", "italic"])},
            "size": {"description": "Size (other tools' use).", **_scalar()},
            "line-height": {"description": "Line height (other tools' use).",
                            "anyOf": [_scalar(), {"type": "number"}]},
            "color": {"description": "Colour (other tools' use).", **_ref("colour")},
            "background-color": {"description": "Background (other tools' use).",
                                 **_ref("colour")},
            "decoration": {"description": "Text decoration of links (other tools' use).",
                           **_scalar()}}}]}
    unit = {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1},
                      _scalar(r"^(?:100|[0-9]{1,2})(?:\.[0-9]+)?\s*%$")]}
    return {"colour": colour, "image": image_with_alt, "logo": logo, "font": font,
            "setting": setting,
            "cmyk": {"description": "Cyan, magenta, yellow and black, each 0–1 or a "
                                    "percentage: `[0.92, 0.32, 0.35, 0.38]`, `[92%, 32%, 35%, "
                                    "38%]`.",
                     "type": "array", "items": unit, "minItems": 4, "maxItems": 4}}


def _brand_object(keys: dict[str, Key], *, closed: bool = True) -> Json:
    shape: Json = {"type": "object",
                   "properties": {key: {"description": k.description, **k.shape}
                                  for key, k in keys.items()}}
    if closed:
        shape["additionalProperties"] = False
    return shape


BRAND_META = {
    "name": Key("The organisation's name: a string, or `{full: …, short: …}`.",
                {"anyOf": [_scalar(), {"type": "object", "additionalProperties": False,
                                       "properties": {
                                           "full": {"description": "In full: printed on the "
                                                                   "cover and the letter.",
                                                    **_scalar()},
                                           "short": {"description": "Short, e.g. an "
                                                                    "acronym.", **_scalar()}}}]}),
    "link": Key("Its addresses on the web: one (its home), or a map kind → address, `home` "
                "first (`home`, `mastodon`, `github`, `linkedin`, `bluesky` …).",
                {"anyOf": [_ref("url"), {"type": "object", "additionalProperties": _ref("url"),
                                         "propertyNames": _scalar("^[a-z][a-z0-9_-]*$")}]}),
}

BRAND_DEFAULTS_BRIEF = {
    "color": Key("Any design token set directly, in place of the one derived from the theme "
                 "colours: " + ", ".join(f"`{t}`" for t in TOKENS) + ".",
                 {"type": "object", "additionalProperties": False,
                  "properties": {token: {"description": TOKENS[token], **_ref("colour")}
                                 for token in TOKENS}}),
    "cmyk": Key("Each colour's value for print (PDF/X outputs), by palette name, theme colour "
                "or token; a colour without one is converted with the output's ICC profile, "
                "and the build says which.",
                {"type": "object", "propertyNames": _scalar("^[A-Za-z][A-Za-z0-9_-]*$"),
                 "additionalProperties": _ref("cmyk")}),
    "address": Key("The organisation's postal address, printed on the letter: a block of "
                   "lines (`|`) or a list of them.",
                   {"anyOf": [_scalar(), {"type": "array", "items": _scalar()}]}),
    "transparency-register": Key("Its number in the EU Transparency Register, printed on the "
                                 "letter: `1234567890-12`.", _scalar(r"^[0-9]{6,15}-[0-9]{2}$")),
    "signatory": Key("Who signs the cover letters: `{name: …, role: …}`, or a name.",
                     {"anyOf": [_scalar(), {
                      "type": "object", "additionalProperties": False, "required": ["name"],
                      "properties": {"name": {"description": "As printed under the letter.",
                                              **_scalar()},
                                     "role": {"description": "Printed under the name, e.g. "
                                                             "`Director`, or one per language "
                                                             "of the letters: `{en: Director, "
                                                             "pl: Dyrektor}`.",
                                              "anyOf": [_scalar(), {
                                                  "type": "object",
                                                  "additionalProperties": _scalar()}]}}}]}),
}

BRAND = {
    "meta": Key("Who the organisation is: `name`, `link`.", _brand_object(BRAND_META)),
    "logo": Key("Its logo: one image for every size, or named `images` and the `small`, "
                "`medium` and `large` logo, each an image or `{light: …, dark: …}`.",
                {"anyOf": [_ref("image"), _brand_object({
                    "images": Key("Named images: name → a path or `{path, alt}`.",
                                  {"type": "object", "additionalProperties": _ref("image")}),
                    **{size: Key(f"The {size} logo.", _ref("logo"))
                       for size in BRAND_LOGO_SIZES}})]}),
    "color": Key("Its colours: a `palette` of named colours, and the theme colours that name "
                 "them.", _brand_object({
                     "palette": Key("Named colours: name → `#rrggbb`.",
                                    {"type": "object", "additionalProperties": _ref("colour")}),
                     **{name: Key(f"The theme's {name} colour (docs/brand.md: which the tool "
                                  "uses, and for what).", _ref("colour"))
                        for name in BRAND_THEME_COLOURS}})),
    "typography": Key("Its type: the `fonts` and the families of `base` text, `headings` and "
                      "`monospace`.", _brand_object({
                          "fonts": Key("The families, each with its files (`source: file`) or "
                                       "one the tool ships (`source: system`).",
                                       {"type": "array", "items": _ref("font")}),
                          **{name: Key(f"The {name} text's family (and more settings).",
                                       _ref("setting")) for name in BRAND_TYPOGRAPHY}})),
    "defaults": Key("Settings for each tool; the tool's own under `brief:`.", _brand_object({
        "brief": Key("What brand.yml has no field for: CMYK values, the postal address, the "
                     "Transparency Register number, the letter's signatory (docs/brand.md).",
                     _brand_object(BRAND_DEFAULTS_BRIEF))}, closed=False)),
}


# ---------------------------------------------------------------------------------------------
# The schemas


def brief_schema() -> Json:
    """The JSON Schema of brief.yaml."""
    root = _object("brief", model.BRIEF_KEYS, BRIEF, model.BRIEF_REQUIRED)
    return {"$schema": DRAFT, "$id": f"urn:brief:schema:{BRIEF_FILE}",
            "title": BRIEF_FILE,
            "description": "A policy brief: YAML with Markdown texts, rendered for every "
                           "audience and language (docs/content-format.md).",
            "$comment": "Generated by `brief schema` from the model; do not edit.",
            **root, "$defs": _definitions()}


def audiences_schema() -> Json:
    """The JSON Schema of content/audiences.yaml."""
    audience_name = f"^(?!{model.LABELS_KEY}$){model.NAME_RE.pattern.removeprefix('^')}"
    return {"$schema": DRAFT, "$id": f"urn:brief:schema:{AUDIENCES_FILE}",
            "title": AUDIENCES_FILE,
            "description": "The organisation's designs: audience name → settings, and the "
                           "organisation's own words under `labels:` (docs/content-format.md).",
            "$comment": "Generated by `brief schema` from the model; do not edit.",
            "type": "object",
            "properties": {model.LABELS_KEY: _ref("labels")},
            "patternProperties": {audience_name: _ref("audience")},
            "additionalProperties": False,
            "$defs": _definitions()}


def brand_schema() -> Json:
    """The JSON Schema of _brand.yml (docs/brand.md)."""
    return {"$schema": DRAFT, "$id": f"urn:brief:schema:{BRAND_FILE}",
            "title": BRAND_FILE,
            "description": "The organisation's identity, in the open brand.yml format, with "
                           "the tool's own settings under `defaults: brief:` (docs/brand.md).",
            "$comment": "Generated by `brief schema` from the model; do not edit.",
            **_brand_object(BRAND),
            "$defs": {"url": _definitions()["url"], **_brand_definitions()}}


def dumps(schema: Json) -> str:
    """A schema as the file holds it: indented, UTF-8, ending with a newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema_text(*, audiences: bool = False, brand: bool = False) -> str:
    return dumps(brand_schema() if brand else
                 audiences_schema() if audiences else brief_schema())


def project_schemas(project: Project) -> dict[Path, str]:
    """The project's copies of the schemas (in schemas/) and what each should hold."""
    folder = project.root / SCHEMAS_DIR
    return {folder / BRIEF_SCHEMA: schema_text(),
            folder / AUDIENCES_SCHEMA: schema_text(audiences=True),
            folder / BRAND_SCHEMA: schema_text(brand=True)}


def write_project_schemas(project: Project) -> list[Path]:
    """Write the project's copies of the schemas where missing or out of date; the files
    written."""
    written = []
    for path, text in project_schemas(project).items():
        current = _current(project, path)
        if current != text:  # never through a folder that is a link leading out
            files.destination(project.root, path, what=f"schema {path.name!r}")
            write_atomic(path, text.encode("utf-8"))
            written.append(path)
    return written


def stale_project_schemas(project: Project) -> list[Path]:
    """The project's copies of the schemas that exist but differ from this version's (brief
    was updated since `brief schema --write`): editors would complete and flag by old rules."""
    stale = []
    for path, text in project_schemas(project).items():
        current = _current(project, path)
        if current is not None and current != text:
            stale.append(path)
    return stale


def _current(project: Project, path: Path) -> str | None:
    """What a project's copy of a schema holds, read through the gate (`files`); None when it
    is missing or refused (a link leading out of the project, a FIFO)."""
    try:
        return files.read_text(project.root, path, what=f"schema {path.name!r}")
    except BriefError:
        return None


def modeline(yaml_file: Path, project: Project, *, audiences: bool = False,
             brand: bool = False) -> str:
    """The `# yaml-language-server: $schema=…` line for a YAML file of the project: the
    project's copy of the schema, by a path relative to the file."""
    name = BRAND_SCHEMA if brand else AUDIENCES_SCHEMA if audiences else BRIEF_SCHEMA
    target = project.root / SCHEMAS_DIR / name
    relative = Path(*[".."] * len(yaml_file.parent.relative_to(project.root).parts), target
                    .relative_to(project.root))
    return MODELINE.format(relative.as_posix())
