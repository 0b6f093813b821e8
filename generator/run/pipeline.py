"""pipeline: the one composer of the steps load → model → select → footnotes → markdown → html.

`brief check` and `brief build` (and `brief watch`) both call it:

* `load_brief` validates one brief with the audiences it uses, reporting every problem at once;
* `outputs` lists what a brief produces, each with its typed `OutputId`;
* `prepare` is one output up to its HTML (select → footnotes → markdown → html), which `build`
  then hands to a worker for `pdf` → `finish`, and `check` only renders to find template mistakes;
* `warnings_for` is what may be a mistake in a brief but does not stop a build, and `prepare`
  adds what may be a mistake in one output (`audit`);
* `check` runs all of this for the named briefs, rendering no PDF, and repeats the preflight
  warnings the last build stored for the PDFs in out/.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .. import files
from ..errors import (
    BriefError,
    BriefErrors,
    ContentError,
    LocatedError,
    Mark,
    TemplateError,
    unique,
)
from ..make import audit, letter
from ..make.html import DRAFT_CLASS, build_document, render_html
from ..make.standards import PRINT_CONDITIONS
from ..project import OutputId, Project
from ..read import bibliography, translations
from ..read import brand_checks as checks
from ..read.brand import DEFAULT, Brand, read_brand
from ..read.images import image_problem
from ..read.languages import language_problem
from ..read.load import load_yaml, parse_yaml
from ..read.model import (
    Audience,
    Brief,
    Section,
    Text,
    TextEntry,
    TranslationGap,
    build_brief,
    translated_text_problems,
)
from ..read.select import Selection, anchor_problems, select
from ..text import hyphenation, lint, syntax
from ..text.footnotes import Footnote, number
from .kinds import KINDS
from .manifest import Manifest
from .write import write_atomic


def model_brief(project: Project, brief_id: str) -> tuple[Brief | None, list[BriefError]]:
    """One brief read and validated with the audiences it uses (load → model), before its
    translation files are read; the brief (None when it cannot be built) and every error."""
    id_problem = project.brief_id_problem(brief_id)
    if id_problem is not None:
        raise id_problem
    path = project.brief_file(brief_id)
    misnamed = project.brief_file_problem(brief_id)
    if misnamed is not None:
        raise misnamed
    if not files.exists(path):  # anything else there: the gate (load_yaml) says what
        known = ", ".join(project.brief_ids()) or "none"
        raise ContentError(Mark(path, 1), f"no brief {brief_id!r}: the file does not exist "
                           f"(briefs: {known})")
    errors: list[BriefError] = []
    loaded = {}
    for path_to_load in (path, project.audiences_file):
        try:
            loaded[path_to_load] = load_yaml(path_to_load)
        except BriefError as exc:
            errors.append(exc)
    if len(loaded) < 2:
        raise BriefErrors(errors)
    brief, schema_errors = build_brief(brief_id, loaded[path], loaded[project.audiences_file],
                                       project)
    if brief is not None:  # the sources of its `bibliography:` files (CSL JSON)
        brief, bibliography_errors = bibliography.add_sources(brief, loaded[path])
        schema_errors.extend(bibliography_errors)
    brand, brand_errors = project_brand(project)
    if brief is not None:
        brief = dataclasses.replace(brief, brand=brand)
        brand_errors += brand_checks(brand, brief.languages, brief.audiences)[0]
    return brief, [*errors, *schema_errors, *brand_errors]


def project_brand(project: Project) -> tuple[Brand, list[BriefError]]:
    """The project's identity (`_brand.yml`), read once per state of its files
    (`read.brand.read_brand` keeps the last one), and its errors: the packaged identity when
    it has any (the brief then does not build)."""
    try:
        return read_brand(project), []
    except BriefError as exc:
        return DEFAULT, exc.flat()


def brand_checks(brand: Brand, languages: Sequence[str], audiences: Sequence[Audience]
                 ) -> tuple[list[BriefError], list[BriefError]]:
    """What `read.brand_checks.brand_problems` finds in the identity (contrast, font coverage,
    logo resolution), as errors and warnings (its `BrandWarning`s), for the languages a brief
    builds and the media its audiences are for."""
    if brand.path is None:
        return [], []
    pdf_x = next((a for a in audiences if a.standard.cmyk), None)  # its hand CMYK values
    profile = None if pdf_x is None else files.read_bytes(
        *Project.at(brand.path.parent).stylesheet(PRINT_CONDITIONS[pdf_x.print_condition]
                                                  .profile), what="the CMYK output profile")
    problems = checks.brand_problems(
        brand, languages=languages, screen=any(a.medium != "paper" for a in audiences),
        paper=any(a.medium == "paper" for a in audiences), profile=profile)
    return ([p for p in problems if not isinstance(p, checks.BrandWarning)],
            [p for p in problems if isinstance(p, checks.BrandWarning)])


def load_brief(project: Project, brief_id: str) -> Brief:
    """Load and validate one brief with the audiences it uses and its translation files
    (`translations.apply`, between model and select); all problems at once. Stale and missing
    translations are not errors here but `Brief.gaps`: `check` and `build` decide."""
    brief, errors = examine_brief(project, brief_id)
    if brief is None or errors:
        raise BriefErrors(errors)
    return brief


def examine_brief(project: Project, brief_id: str) -> tuple[Brief | None, list[BriefError]]:
    """`load_brief`'s steps, giving the brief as far as it could be read (None when it cannot
    be built at all) and every problem found, so that a caller may look further into a brief
    with errors (`check`: every problem at once)."""
    brief, errors = model_brief(project, brief_id)
    if brief is None:
        return None, errors
    brief, translation_errors = translations.apply(brief)
    errors.extend(translation_errors)
    errors.extend(translated_text_problems(brief))
    errors.extend(content_problems(brief, all_sources=not any(
        isinstance(error, bibliography.UnreadFile) for error in errors)))
    errors.extend(hyphenation.exception_problems(project.root, brief.languages))
    for audience in brief.audiences:
        for language in audience.languages:
            if language not in brief.languages:  # the root cause is reported (model)
                continue
            try:
                errors.extend(anchor_problems(select(brief, audience, language)))
            except BriefError as exc:
                errors.append(exc)
    return brief, unique(errors)


def output_gaps(selection: Selection) -> tuple[TranslationGap, ...]:
    """The stale or missing translations one output prints."""
    return selection.gaps


def gap_errors(brief: Brief, gaps: dict[OutputId, tuple[TranslationGap, ...]]
               ) -> list[BriefError]:
    """Each stale or missing translation once, naming the outputs that need it; the texts a
    language without a PO file lacks as one error per language."""
    needed_by: dict[TranslationGap, list[str]] = {}
    for output, output_gap_list in gaps.items():
        for gap in output_gap_list:
            needed_by.setdefault(gap, []).append(output.filename)
    errors: list[BriefError] = [translations.gap_error(gap, brief.id, names)
                                for gap, names in needed_by.items() if not gap.no_file]
    untranslated: dict[str, list[TranslationGap]] = {}
    for gap in needed_by:
        if gap.no_file:
            untranslated.setdefault(gap.language, []).append(gap)
    errors.extend(translations.untranslated_error(
        language_gaps, brief.id, translations.original_language(brief),
        [name for gap in language_gaps for name in needed_by[gap]])
        for language_gaps in untranslated.values())
    return errors


def texts(brief: Brief) -> Iterator[Text]:
    """Every Markdown text of a brief (summary, then section bodies in reading order, then the
    cover letter of personal copies)."""
    if brief.summary is not None:
        yield brief.summary

    def walk(sections: tuple[Section, ...]) -> Iterator[Text]:
        for section in sections:
            if section.body is not None:
                yield section.body
            yield from walk(section.sections)

    yield from walk(brief.sections)
    if brief.letter is not None:
        yield brief.letter


def content_problems(brief: Brief, *, all_sources: bool = True) -> list[BriefError]:
    """Markdown and footnote mistakes in every text of a brief, and images that are missing
    (citations of unknown sources only when `all_sources`: no bibliography file went unread)."""
    keys = frozenset(s.key for s in brief.sources) if all_sources else None
    errors: list[BriefError] = []
    for text in texts(brief):
        for entry in text.entries:
            errors.extend(folding_problems(text, entry))
            errors.extend(ContentError(entry.mark_of(problem.offset), problem.message, text.field)
                          for problem in lint.problems(entry.value, keys,
                                                           entry.language or "en"))
            for offset, src in lint.image_sources(entry.value):
                message = image_problem(brief.folder, src)
                if message:
                    errors.append(ContentError(entry.mark_of(offset), message, text.field))
    errors.extend(letter.markdown_problems(brief))
    return errors


def folding_problems(text: Text, entry: TextEntry, *, warnings: bool = False
                     ) -> list[BriefError]:
    """A text over several lines without `|` whose list, table or paragraphs YAML ran
    together (`lint.folded`), at the line where the first of them starts: the errors, or
    with `warnings` those that may be meant."""
    if not entry.written:
        return []
    key = entry.language or re.findall(r"[A-Za-z_]+", text.field)[-1]
    found = lint.folded([line.text for line in entry.written], entry.value, entry.style,
                            key, entry.language or "en")
    if found is None or found[2] != warnings:
        return []
    line = entry.written[found[0]]
    column = line.col + len(line.text) - len(line.text.lstrip())
    return [ContentError(Mark(entry.mark.path, line.line, column), found[1], text.field)]


def warnings_for(brief: Brief) -> list[BriefError]:
    """Things about a whole brief that are probably mistakes but do not stop a build: sources
    nobody cites (but those of a `bibliography:` file), `@key` without brackets, sections no
    audience prints, sources cited only there (`audit`). What each output prints is checked
    by `prepare` (`Prepared.warnings`)."""
    cited: set[str] = set()
    for text in texts(brief):
        for entry in text.entries:
            cited.update(lint.cited_keys(entry.value))
    uncited: list[BriefError] = [
        ContentError(s.mark, f"source {s.key!r} is never cited; cite it with [@{s.key}] or "
                     "remove it", f"sources.{s.key}")
        for s in brief.sources if s.key not in cited and s.published is None]
    selections = [select(brief, audience, output.language) for output, audience in outputs(brief)]
    return (uncited + bibliography.warnings(brief) + bare_citations(brief)
            + markdown_warnings(brief)
            + curly_quoted(brief) + translations.inline_locator_warnings(brief)
            + audit.brief_warnings(brief, selections)
            + unhyphenated(brief) + letter.opening_warnings(brief)
            + brand_checks(brief.brand, brief.languages, brief.audiences)[1])


def unhyphenated(brief: Brief) -> list[BriefError]:
    """A language the brief prints that has no hyphenation patterns: once, where the brief
    names the first audience printing it."""
    root = brief.folder.parent.parent  # (content/<brief>/brief.yaml)
    warned: dict[str, BriefError] = {}
    for output, audience in outputs(brief):
        if output.language not in warned:
            warning = hyphenation.missing_patterns(
                root, output.language, audience.brief_mark or Mark(brief.path, 1), audience.name)
            if warning is not None:
                warned[output.language] = warning
    for text in texts(brief):  # a span in another language: `[Grooming]{lang=en}`
        for entry in text.entries:
            for offset, language in lint.span_languages(entry.value, entry.language or "en"):
                # (a code with an error — `lang=EN`, `lang=xx` — gets only the error)
                if language not in warned and not lint.span_language_problem(language):
                    warning = hyphenation.missing_patterns(
                        root, language, entry.mark_of(offset), "", span=True)
                    if warning is not None:
                        warned[language] = warning
    return list(warned.values())


def bare_citations(brief: Brief) -> list[BriefError]:
    """`@fra` written without its brackets, where `fra` is a source: it prints as text."""
    keys = frozenset(s.key for s in brief.sources)
    return [ContentError(entry.mark_of(problem.offset), problem.message, text.field)
            for text in texts(brief) for entry in text.entries
            for problem in lint.bare_citations(entry.value, keys)]


def markdown_warnings(brief: Brief) -> list[BriefError]:
    """Markdown that may print wrongly but may be meant (`lint.warnings`): a lone `*word`,
    a table row with fewer cells than its header; a quoted text whose blank line YAML read as
    a line break (`folding_problems`)."""
    return [*(ContentError(entry.mark_of(problem.offset), problem.message, text.field)
              for text in texts(brief) for entry in text.entries
              for problem in lint.warnings(entry.value, entry.language or "en")),
            *(warning for text in texts(brief) for entry in text.entries
              for warning in folding_problems(text, entry, warnings=True))]


#: Quotation marks a word processor sets around a text: each opening mark, with the closing
#: marks it pairs with (English “…” ‘…’, German „…“ ‚…‘, Polish „…”, French «…», Danish »…«,
#: Swedish ”…” and »…»).
CURLY_QUOTES = {"“": "”“", "‘": "’‘", "„": "“”", "‚": "‘’", "«": "»", "»": "«»", "”": "”"}


def curly_quoted(brief: Brief) -> list[BriefError]:
    """A text written between curly quotes and no others, `subtitle: “Il regolamento …”`:
    YAML sees no quoting, so the marks are part of the text and print (at its line)."""
    warnings: list[BriefError] = []
    for text in translations.every_text(brief):
        for entry in text.entries:
            value = entry.value.strip()
            if entry.style or len(value) < 2 or value[0] not in CURLY_QUOTES:
                continue
            closing = CURLY_QUOTES[value[0]]
            if value[-1] in closing and not any(mark in value[1:-1] for mark in closing):
                where = f"{text.field} ({entry.language})" if entry.language else text.field
                warnings.append(ContentError(
                    entry.mark, f"{where} is written between curly quotes {value[0]}…"
                    f"{value[-1]}: YAML keeps them as part of the text, so they print; use "
                    "straight quotes \"…\" or none", text.field))
    return warnings


def outputs(brief: Brief) -> Iterator[tuple[OutputId, Audience]]:
    """Every PDF a brief produces (`kinds.pdf`): one per audience and language (the web
    edition's pages are `kinds.web`'s)."""
    return KINDS["pdf"].outputs(brief)


@dataclass(frozen=True, slots=True)
class Prepared:
    """One output up to its HTML: what a worker lays out, and the footnotes it must find."""

    output: OutputId
    audience: Audience
    html: str
    footnotes: tuple[Footnote, ...]
    warnings: tuple[BriefError, ...] = ()  # what it prints that may be a mistake (`audit`)
    images: tuple[audit.ImageUse, ...] = ()  # raster images it prints, to locate preflight's
    gaps: tuple[TranslationGap, ...] = ()  # stale or missing translations it prints
    draft: bool = False  # its pages are marked as a draft


def prepare(project: Project, brief: Brief, output: OutputId, *, draft: bool = False
            ) -> Prepared:
    """One output's HTML (select → footnotes → markdown → html) and its numbered footnotes;
    with `draft`, every page marked as a draft in the output's language."""
    audience = brief.audience(output.audience)
    assert audience is not None, output
    selection = select(brief, audience, output.language)
    tokens = [syntax.parse(text, output.language) for text in selection.texts]
    footnotes = number(tokens)
    document = build_document(selection, tokens, draft=draft)
    html = render_html(document, audience.template, project.template_layers)
    if draft and DRAFT_CLASS not in html:
        raise TemplateError(Mark(project.template_layers.path(audience.template), 1),
                            "this template does not print the draft mark; extend "
                            "base.html.j2, or print `doc.draft` in an element of class "
                            f"{DRAFT_CLASS!r} (see templates/base.html.j2)")
    name = project.relative(project.output_path(output))
    return Prepared(output, audience, html, footnotes,
                    tuple(audit.output_warnings(selection, document, html, name)),
                    audit.image_uses(selection), output_gaps(selection), draft)


def check(project: Project, brief_ids: list[str] | None = None, *, strict: bool = False
          ) -> tuple[list[Brief], list[BriefError]]:
    """Validate the named briefs (all by default) and everything a build would use, rendering
    every output to HTML but no PDF; raise `BriefErrors` listing every problem. Returns the
    briefs and the warnings (which are errors too when `strict`)."""
    briefs: list[Brief] = []
    errors: list[BriefError] = []
    warnings: list[BriefError] = []
    for brief_id in project.requested_briefs(brief_ids):
        try:
            brief, brief_errors = examine_brief(project, brief_id)
        except BriefError as exc:
            errors.append(exc)
            continue
        errors.extend(brief_errors)
        if brief is None:
            continue
        found, found_warnings = later_problems(project, brief, brief_errors)
        errors.extend(found)
        warnings.extend(found_warnings)
        if not brief_errors:
            briefs.append(brief)
    warnings = unique(warnings)
    if strict:
        errors.extend(warnings)
    if errors:
        raise CheckFailed(unique(errors), [] if strict else warnings)
    return briefs, warnings


class CheckFailed(BriefErrors):
    """`check`'s errors, with the warnings found beside them (shown too: every problem at
    once; with `strict` they are among the errors)."""

    def __init__(self, errors: list[BriefError], warnings: list[BriefError]) -> None:
        super().__init__(errors)
        self.warnings = warnings

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors, self.warnings))


def later_problems(project: Project, brief: Brief, brief_errors: list[BriefError]
                   ) -> tuple[list[BriefError], list[BriefError]]:
    """What the steps after `load_brief` find in a brief (its warnings, each output prepared,
    stale or missing translations, stored preflight warnings): the errors and the warnings.
    `check` and `build` look for them in a brief with errors (`brief_errors`, from
    `examine_brief`) too, to report every problem at once; then a step the errors trip up finds
    nothing, and warnings about sources (which may follow from a mistyped citation) wait until
    the errors are fixed."""
    if not brief_errors:
        return _later_problems(project, brief)
    try:
        errors, warnings = _later_problems(project, brief)
    except Exception:  # noqa: BLE001 — a brief with errors may trip a step a valid one cannot
        return [], []
    return errors, [w for w in warnings
                    if not (isinstance(w, LocatedError) and w.field.startswith("sources."))]


def _later_problems(project: Project, brief: Brief
                    ) -> tuple[list[BriefError], list[BriefError]]:
    errors: list[BriefError] = []
    warnings = warnings_for(brief)
    gaps: dict[OutputId, tuple[TranslationGap, ...]] = {}
    for output, _ in outputs(brief):
        try:
            prepared = prepare(project, brief, output)
        except BriefError as exc:
            errors.append(exc)
            continue
        warnings.extend(prepared.warnings)
        gaps[output] = prepared.gaps
    errors.extend(gap_errors(brief, gaps))
    warnings.extend(stored_preflight(project, brief))
    return errors, warnings


def stored_preflight(project: Project, brief: Brief) -> list[BriefError]:
    """The preflight warnings the last build found in the brief's PDFs still in out/."""
    manifest = Manifest.load(project.out)
    return [warning for output, _ in outputs(brief)
            for warning in manifest.stored_warnings(output, content=False)]


def translate(project: Project, brief_id: str, languages: list[str], *,
              move_inline: bool = False) -> list[translations.Update]:
    """Create or update the brief's PO file for each language (`brief translate`); with
    `move_inline`, copy inline translations into it and remove them from brief.yaml where that
    can be done safely (checked: the brief read again has the same texts but those)."""
    brief, errors = model_brief(project, brief_id)
    if brief is None or errors:
        raise BriefErrors(errors)
    for language in languages:  # every language checked before any file is written
        _translatable_into(brief, language)
    reports = []
    for language in languages:
        brief, errors = model_brief(project, brief_id)  # read again: moving inline edits it
        if brief is None or errors:
            raise BriefErrors(errors)
        catalog, report = translations.update(
            brief, language, translations.wanted(brief, language), move_inline=move_inline)
        translations.save(catalog, report.path)
        if report.moved:
            _remove_inline(project, brief, language, report)
        reports.append(report)
    return reports


def _translatable_into(brief: Brief, language: str) -> None:
    """Refuse a `brief translate --to` language that is the original, not a language code, or
    not one of the brief's `languages:` (no output would print it: at `languages:`)."""
    if language == translations.original_language(brief):
        raise BriefError(f"{language!r} is the original language of {brief.id} (the first "
                         "of its `languages:`); translate it into another language")
    problem = language_problem(language)
    if problem:
        raise BriefError(f"--to {language}: {problem}")
    if language not in brief.languages:
        written = load_yaml(brief.path).as_map.get("languages")
        raise ContentError(
            written.mark if written is not None else Mark(brief.path, 1),
            f"--to {language}: {brief.id} is not written in {language!r} (its languages: "
            f"{', '.join(brief.languages)}), so no output would print this translation; "
            f"add {language!r} to `languages:` first (and to the `languages:` of the "
            "audiences that print it), then run `brief translate` again", "languages")


def _remove_inline(project: Project, brief: Brief, language: str,
                   report: translations.Update) -> None:
    """Remove the inline translations `report.moved` from brief.yaml, if the brief read again
    has exactly the same texts but those; else leave brief.yaml as it was (`report.inline`)."""
    text = brief.path.read_text(encoding="utf-8")
    new_text, left = translations.without_inline(text, brief, language, set(report.moved))
    removed = set(report.moved) - set(left)
    expected = [item for item in translations.fingerprint(brief)
                if not (item[1] == language and item[0] in removed)]
    try:
        new_brief, errors = build_brief(brief.id, parse_yaml(new_text, brief.path),
                                        load_yaml(project.audiences_file), project)
    except BriefError:
        new_brief, errors = None, [BriefError("unreadable")]
    if new_brief is None or errors or translations.fingerprint(new_brief) != expected:
        report.inline.extend(report.moved)
        return
    write_atomic(brief.path, new_text.encode("utf-8"))
    report.inline.extend(left)


def status(project: Project, brief_ids: list[str] | None = None
           ) -> list[tuple[str, list[translations.Coverage]]]:
    """Per brief and language (`brief status`): how many texts there are to translate, how many
    are translated, stale or missing, and which of its outputs (by audience) can be built (not
    as drafts) and which need translating first."""
    result = []
    for brief_id in project.requested_briefs(brief_ids):
        brief = load_brief(project, brief_id)
        original = translations.original_language(brief)
        rows = []
        for language in brief.languages:
            buildable: list[str] = []
            blocked: list[str] = []
            for output, audience in outputs(brief):
                if output.language == language:
                    printing_gaps = output_gaps(select(brief, audience, language))
                    (blocked if printing_gaps else buildable).append(output.audience)
            if language == original:
                texts = len(translations.translatables(brief))
                stale = missing = 0
            else:
                wanted = {item.text.mark for item, _ in translations.wanted(brief, language)}
                texts = len(wanted)
                gaps = [g for g in brief.gaps if g.language == language and g.text_mark in wanted]
                stale = sum(g.stale for g in gaps)
                missing = len(gaps) - stale
            rows.append(translations.Coverage(language, texts, texts - stale - missing, stale,
                                              missing, tuple(buildable), tuple(blocked)))
        result.append((brief_id, rows))
    return result
