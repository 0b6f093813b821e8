"""brief personalise: a copy per recipient (letter, then the audience's output in their
language), manifest.csv, the language fallback, incremental runs, bad rows, exit codes.

The letter's content and the join are other modules' (letter.py, join.py): these tests assert
only what any letter and join must give — the recipient's name on page 1, the body's pages
after the letter's, the files and their digests — not the letter's wording.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
from pathlib import Path

import pytest

import generator.run.personalise
from generator.errors import BriefError, Mark, WriteError
from generator.make.letter import letter_audience
from generator.project import OutputId
from generator.read.recipients import Recipient
from generator.run.clean import still_made
from generator.run.manifest import Manifest, brief_inputs_digest
from generator.run.personalise import CSV_COLUMNS, MANIFEST_CSV, languages_for, personalise
from generator.run.pipeline import load_brief

from .support import SAMPLE, edit, english, pages_text, run_cli, squash

#: The sample list (content/expert-advice/recipients.csv): who has their own language in the
#: MEP brief (en, de, fr, pl), and who falls back to English.
OWN = {"lukasz-wrobel": "pl", "jean-dupont": "fr", "anna-muller": "de", "mary-oconnor": "en"}
FALLEN_BACK = {"zoe-angstrom", "eleni-papadopoulou", "ivan-petrov"}
ALL = set(OWN) | FALLEN_BACK


def folder(project):
    return project.out / SAMPLE / "personal" / "mep"


def manifest_rows(project) -> list[dict[str, str]]:
    text = (folder(project) / MANIFEST_CSV).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def stamps(project) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder(project).glob("*.pdf")}


def recipient(rid: str, language: str, line: int = 2) -> Recipient:
    return Recipient(rid, rid.title(), language, "", f"{rid}@example.org", (),
                     Mark(Path("recipients.csv"), line))


# ---------------------------------------------------------------------------------------------
# Fast: no rendering


def test_language_is_the_recipients_when_the_audience_has_it_else_the_first(project):
    brief = load_brief(project, SAMPLE)
    mep = brief.audience("mep")
    rows = (recipient("a", "de"), recipient("b", "el", 3), recipient("c", "en", 4),
            recipient("d", "sv", 5))
    languages, warning = languages_for(brief, mep, rows, {"a", "b", "c", "d"})
    assert languages == {"a": "de", "b": "en", "c": "en", "d": "en"}
    assert warning is not None
    message = warning.format_message()
    assert "2 recipients" in message and "b (B: el" in message and "d (D: sv" in message
    assert "a (" not in message and "c (" not in message
    assert warning.mark.line == 3  # the first who fell back


def test_only_the_chosen_recipients_are_named_in_the_fallback_warning(project):
    brief = load_brief(project, SAMPLE)
    rows = (recipient("a", "el"), recipient("b", "sv", 3))
    _, warning = languages_for(brief, brief.audience("mep"), rows, {"b"})
    assert warning is not None and "1 recipient gets a copy" in warning.format_message()
    assert "a (" not in warning.format_message()
    assert languages_for(brief, brief.audience("mep"), rows, set())[1] is None


def test_an_unknown_only_id_or_audience_is_an_error_before_anything_renders(project):
    with pytest.raises(BriefError) as caught:
        personalise(project, SAMPLE, "mep", only=["anna-muler"])
    assert "--only anna-muler" in caught.value.format_message()
    assert "did you mean 'anna-muller'" in caught.value.format_message()
    with pytest.raises(BriefError) as caught:
        personalise(project, SAMPLE, "mpe")
    assert "did you mean 'mep'" in caught.value.format_message()
    assert not project.out.exists()


def test_letters_go_in_batches_of_one_language_about_four_per_worker():
    from generator.run.kinds.personal_jobs import PersonalJob
    from generator.run.personalise import MAX_BATCH, batched

    def job(rid: str, language: str) -> PersonalJob:
        return PersonalJob(None, b"", "", rid, language, "", "")  # type: ignore[arg-type]

    jobs = [job(f"r{n}", "pl" if n % 3 else "en") for n in range(40)]
    batches = batched(jobs, 2)  # 40 letters, 2 workers: batches of 5
    assert [len(b.jobs) for b in batches] == [5, 5, 4, 5, 5, 5, 5, 5, 1]
    assert [j.letter_title for b in batches for j in b.jobs] == \
        [j.letter_title for j in jobs if j.language == "en"] + \
        [j.letter_title for j in jobs if j.language == "pl"]
    assert all(len({j.language for j in b.jobs}) == 1 for b in batches)
    assert max(len(b.jobs) for b in batched(jobs * 100, 2)) == MAX_BATCH
    assert [len(b.jobs) for b in batched(jobs[:3], 4)] == [1, 1, 1]


def test_the_recipient_list_is_not_an_input_of_the_normal_outputs(project):
    before = brief_inputs_digest(project, SAMPLE)
    path = project.content / SAMPLE / "recipients.csv"
    path.write_text(path.read_text(encoding="utf-8") + "new,New Person,en,,n@example.org,,,\n",
                    encoding="utf-8")
    assert brief_inputs_digest(project, SAMPLE) == before


def test_build_and_clean_keep_personal_copies_of_outputs_the_brief_still_makes():
    made = {OutputId("b", "mep", "en"), OutputId("b", "full", "nl")}
    recorded = [OutputId("b", "mep", "en"), OutputId("b", "mep", "en", "anna"),
                OutputId("b", "mep", "el", "eleni"), OutputId("b", "gone", "en", "jan")]
    assert still_made(recorded, made) == {OutputId("b", "mep", "en"),
                                          OutputId("b", "mep", "en", "anna")}


def test_a_brief_is_current_whatever_its_personal_copies(tmp_path):
    manifest = Manifest(tmp_path)
    assert not manifest.brief_is_current("b", "x")
    manifest.record_brief("b", "x")
    (tmp_path / "b" / "personal" / "mep").mkdir(parents=True)
    personal = OutputId("b", "mep", "en", "anna")
    personal.path(tmp_path).write_bytes(b"%PDF")
    manifest.record_output(personal, "d", pages=2, sha256="s")
    assert not manifest.brief_is_current("b", "x")  # no output of its own yet
    OutputId("b", "mep", "en").path(tmp_path).write_bytes(b"%PDF-1")
    manifest.record_output(OutputId("b", "mep", "en"), "d")
    personal.path(tmp_path).unlink()  # a personal copy gone does not make the build run
    assert manifest.brief_is_current("b", "x")
    assert manifest.pages(personal) == 2 and manifest.sha256(personal) == "s"


def test_help_shows_examples(project):
    result = run_cli(project, "personalise", "--help")
    assert result.exit_code == 0
    assert "brief personalise expert-advice --audience mep" in result.output
    assert "--only" in result.output and "--recipients" in result.output


# ---------------------------------------------------------------------------------------------
# Slow: the sample personalised


@pytest.fixture(scope="module")
def personalised(tmp_path_factory):
    """The sample built (so that the bodies are reused), then personalised for every
    recipient of its list."""
    from generator.project import Project
    from generator.run.build import build

    from .support import copy_project

    project = Project.at(copy_project(tmp_path_factory.mktemp("personal")))
    assert build(project, [SAMPLE]).ok
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep")
    assert result.exit_code == 0, result.output
    return project, result


@pytest.mark.slow
def test_every_recipient_gets_a_copy_and_a_manifest_row(personalised):
    project, result = personalised
    assert {p.stem for p in folder(project).glob("*.pdf")} == ALL
    rows = manifest_rows(project)
    assert tuple(rows[0]) == CSV_COLUMNS
    assert {row["id"] for row in rows} == ALL
    for row in rows:
        pdf = folder(project) / row["file"]
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == row["sha256"]
        assert len(pages_text(pdf)) == int(row["pages"])
        assert row["email"].endswith("@example.org")
        assert row["language"] == OWN.get(row["id"], "en")
    assert "personalised 7 copies (7 rebuilt)" in result.output


@pytest.mark.slow
def test_a_copy_is_the_letter_with_the_name_then_the_whole_body(personalised):
    project, _ = personalised
    for row in manifest_rows(project):
        copy = pages_text(folder(project) / row["file"])
        body = pages_text(project.output_path(OutputId(SAMPLE, "mep", row["language"])))
        letter_pages = len(copy) - len(body)
        assert letter_pages >= 1, row["id"]
        assert squash(row["name"]) in squash(copy[0]), row["id"]
        assert [squash(page) for page in copy[letter_pages:]] == [squash(p) for p in body]


@pytest.mark.slow
def test_the_polish_letter_goes_on_in_lower_case_after_the_salutations_comma(personalised):
    project, _ = personalised
    [row] = [row for row in manifest_rows(project) if row["language"] == "pl"]
    first = squash(pages_text(folder(project) / row["file"])[0])
    assert squash("Szanowny Panie Pośle, wniosek Komisji Europejskiej") in first, first
    assert squash("Wniosek Komisji") not in first


@pytest.mark.slow
def test_the_fallback_warning_names_exactly_who_fell_back(personalised):
    _, result = personalised
    warnings = [line for line in result.output.splitlines() if "first language of" in line]
    assert len(warnings) == 1
    named = {rid for rid in ALL if f"{rid} (" in warnings[0]}
    assert named == FALLEN_BACK
    assert warnings[0].startswith("content/expert-advice/recipients.csv:")


@pytest.mark.slow
def test_nothing_changed_nothing_rebuilt_and_build_leaves_the_copies_alone(personalised):
    project, _ = personalised
    before = stamps(project)
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep")
    assert result.exit_code == 0, result.output
    assert "personalised 7 copies (0 rebuilt)" in result.output
    assert stamps(project) == before
    built = run_cli(project, "build")
    assert "0 built, 11 up to date" in built.output  # 6 PDFs, 5 web pages
    assert "personal" not in built.output
    assert stamps(project) == before
    assert len(manifest_rows(project)) == 7


@pytest.fixture
def sample(project):
    """A fresh copy of the sample, personalised once."""
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep")
    assert result.exit_code == 0, result.output
    return project


@pytest.mark.slow
def test_an_edited_row_rebuilds_only_that_copy_and_a_removed_row_its_pdf(sample):
    before = stamps(sample)
    path = sample.content / SAMPLE / "recipients.csv"
    edit(path, "Jean Dupont", "Jean-Luc Dupont")
    result = run_cli(sample, "personalise", SAMPLE, "--audience", "mep")
    assert "(1 rebuilt)" in result.output, result.output
    after = stamps(sample)
    assert {name for name in after if after[name] != before[name]} == {"jean-dupont.pdf"}
    assert squash("Jean-Luc Dupont") in squash(pages_text(folder(sample) / "jean-dupont.pdf")[0])
    edit(path, "ivan-petrov,", "#,")
    text = path.read_text(encoding="utf-8")
    path.write_text("\n".join(line for line in text.splitlines() if not line.startswith("#,"))
                    + "\n", encoding="utf-8")
    result = run_cli(sample, "personalise", SAMPLE, "--audience", "mep")
    assert "(0 rebuilt)" in result.output
    assert "removed     out/expert-advice/personal/mep/ivan-petrov.pdf" in result.output
    assert not (folder(sample) / "ivan-petrov.pdf").exists()
    assert "ivan-petrov" not in {row["id"] for row in manifest_rows(sample)}


@pytest.mark.slow
def test_an_edited_brief_rebuilds_the_copies_that_print_it(sample):
    before = stamps(sample)
    edit(english(sample), "Expand police capacity.", "Expand police capacity now.")
    result = run_cli(sample, "personalise", SAMPLE, "--audience", "mep")
    english_copies = {f"{rid}.pdf" for rid in ALL if OWN.get(rid, "en") == "en"}
    after = stamps(sample)
    assert {name for name in after if after[name] != before[name]} == english_copies
    assert f"({len(english_copies)} rebuilt)" in result.output
    (sample.styles / "mep.css").write_text(
        (sample.styles / "mep.css").read_text() + "\n/* touched */\n")
    result = run_cli(sample, "personalise", SAMPLE, "--audience", "mep")
    assert "(7 rebuilt)" in result.output


@pytest.mark.slow
def test_only_and_force(sample):
    before = stamps(sample)
    result = run_cli(sample, "personalise", SAMPLE, "--audience", "mep", "--force",
                     "--only", "anna-muller")
    assert result.exit_code == 0 and "(1 rebuilt)" in result.output
    after = stamps(sample)
    assert {name for name in after if after[name] != before[name]} == {"anna-muller.pdf"}
    assert len(manifest_rows(sample)) == 7


@pytest.mark.slow
def test_a_failed_letter_leaves_the_good_pdfs_and_exits_1(sample):
    before = {p.name: p.read_bytes() for p in folder(sample).glob("*.pdf")}
    brief = load_brief(sample, SAMPLE)
    stylesheet = sample.styles / letter_audience(brief.audience("mep")).stylesheets[-1]
    stylesheet.write_text(stylesheet.read_text() + "\np { colour: red; }\n")
    result = run_cli(sample, "personalise", SAMPLE, "--audience", "mep")
    assert result.exit_code == 1
    assert "colour" in result.output
    assert {p.name: p.read_bytes() for p in folder(sample).glob("*.pdf")} == before


def test_a_brief_error_is_printed_once_not_once_per_recipient(project):
    """A stale translation fails every copy that prints it: four recipients get the English
    copy, and its two errors were printed four times each ("14 errors" for 8)."""
    edit(project.content / SAMPLE / "brief.yaml", '"Bits of Freedom"', '"Bits of Freedom NL"')
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "is stale" in line]
    assert any("translations/en.po:" in line for line in lines), result.output
    assert len(lines) == len(set(lines)), result.output


@pytest.mark.slow
def test_bad_rows_are_reported_and_the_good_ones_made_unless_strict(project):
    path = project.content / SAMPLE / "recipients.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "no-name,,en,,x@example.org,IE,LIBE,EPP")
    path.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")  # 2 good rows, 1 bad
    strict = run_cli(project, "personalise", SAMPLE, "--audience", "mep", "--strict")
    assert strict.exit_code == 1
    assert "content/expert-advice/recipients.csv:4" in strict.output
    assert not folder(project).exists()
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep")
    assert result.exit_code == 1
    assert "content/expert-advice/recipients.csv:4" in result.output
    assert {p.stem for p in folder(project).glob("*.pdf")} == {"zoe-angstrom", "lukasz-wrobel"}
    assert "2 copies (2 rebuilt" in result.output


@pytest.mark.slow
def test_strict_makes_warnings_errors_and_writes_nothing(project):
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep", "--strict",
                     "--only", "mary-oconnor")
    assert result.exit_code == 1
    assert "prints a placeholder" in result.output  # the sample's placeholders
    assert not folder(project).exists()


@pytest.mark.slow
def test_clean_all_removes_the_copies_and_clean_keeps_them(sample):
    assert run_cli(sample, "clean").exit_code == 0
    assert len(stamps(sample)) == 7
    result = run_cli(sample, "clean", "--all")
    assert result.exit_code == 0
    assert not folder(sample).exists()  # the copies, and their manifest.csv


@pytest.mark.slow
def test_an_xlsx_list_gives_the_same_copies_as_the_csv(project):
    import openpyxl

    folder_ = project.content / SAMPLE
    with (folder_ / "recipients.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))[:3]  # the header and two recipients
    book = openpyxl.Workbook()
    for row in table:
        book.active.append(row)
    book.save(folder_ / "recipients.xlsx")
    (folder_ / "recipients.csv").unlink()
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep")
    assert result.exit_code == 0, result.output
    rows = manifest_rows(project)
    assert [row["id"] for row in rows] == [table[1][0], table[2][0]]
    for row in rows:
        assert squash(row["name"]) in squash(pages_text(folder(project) / row["file"])[0])


@pytest.mark.slow
def test_the_letters_date_is_an_input(sample):
    args = ("personalise", SAMPLE, "--audience", "mep", "--only", "mary-oconnor")
    assert "(1 rebuilt)" in run_cli(sample, *args, "--date", "2026-12-01").output
    assert "(0 rebuilt)" in run_cli(sample, *args, "--date", "2026-12-01").output
    assert "(1 rebuilt)" in run_cli(sample, *args, "--date", "2026-12-02").output
    bad = run_cli(sample, *args, "--date", "1 December")
    assert bad.exit_code == 2
    assert "1 December" in bad.output


class _FailingBatches:
    """A pool that runs jobs in this process, but fails every batch of more than one letter as
    a worker over its limit would: the copies must be made again one by one."""

    def __init__(self, project) -> None:
        self.project = project
        self.sizes: list[int] = []

    def run(self, jobs, meanwhile=None):
        from generator.errors import RenderError
        from generator.run.kinds.personal_jobs import LetterBatch
        from generator.run.workers import JobOutcome

        for job in jobs:
            if isinstance(job, LetterBatch):
                self.sizes.append(len(job.jobs))
                if len(job.jobs) > 1:
                    yield JobOutcome(job, None, RenderError(Mark(job.content_file, 1),
                                                            "over the limit"), 1.0)
                    continue
            yield JobOutcome(job, job.render(self.project), None, 0.1)

    def close(self) -> None:
        pass


@pytest.mark.slow
def test_a_batch_over_a_limit_is_made_again_letter_by_letter(project):
    pool = _FailingBatches(project)
    result = personalise(project, SAMPLE, "mep", jobs=1, pool=pool)  # type: ignore[arg-type]
    assert max(pool.sizes) > 1 and pool.sizes[-1] == 1
    assert (result.failed, result.bugs) == ([], [])
    assert {copy.recipient.id for copy in result.copies} == ALL


@pytest.mark.slow
def test_manifest_csv_names_the_copies_only_once_the_disk_has_them(project, monkeypatch):
    """The copies are renamed into place complete but flushed to the disk at once, at the end
    (`write.sync`): manifest.csv, what a mail merge sends, names them only after that; should
    the disk refuse, it names none of them and the run says why."""
    real = generator.run.personalise.sync
    flushed: list[tuple[set[str], list[dict[str, str]]]] = []

    def spy(paths: list[Path]) -> None:
        listed = manifest_rows(project) if (folder(project) / MANIFEST_CSV).exists() else []
        flushed.append(({path.name for path in paths}, listed))
        real(paths)

    monkeypatch.setattr(generator.run.personalise, "sync", spy)
    result = personalise(project, SAMPLE, "mep", jobs=1)
    assert result.ok
    [(paths, listed)] = flushed
    assert paths == {f"{rid}.pdf" for rid in ALL} and listed == []
    assert {row["id"] for row in manifest_rows(project)} == ALL

    refused = WriteError(folder(project) / "anna-muller.pdf", "Input/output error", errno.EIO)

    def refuse(paths: list[Path]) -> None:
        raise refused

    monkeypatch.setattr(generator.run.personalise, "sync", refuse)
    result = personalise(project, SAMPLE, "mep", jobs=1, force=True)
    assert result.errors == [refused] and not result.ok
    assert result.copies == [] and manifest_rows(project) == []


@pytest.mark.slow
def test_copies_kept_while_the_list_has_bad_rows_are_said(project):
    """A recipient taken off a list that also has a bad row keeps a copy (the bad row may be
    them, mistyped) — and the run says so, naming them, rather than leave personal data behind
    in silence."""
    path = project.content / SAMPLE / "recipients.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")  # zoe-angstrom, lukasz-wrobel
    assert run_cli(project, "personalise", SAMPLE, "--audience", "mep").exit_code == 0
    kept = lines[2].split(",")[0]
    path.write_text("\n".join([lines[0], lines[1], "no-name,,en,,x@example.org,IE,LIBE,EPP"])
                    + "\n", encoding="utf-8")
    result = run_cli(project, "personalise", SAMPLE, "--audience", "mep")
    assert result.exit_code == 1
    assert kept in {p.stem for p in folder(project).glob("*.pdf")}
    said = [line for line in result.output.splitlines() if "kept until the list's bad rows" in line]
    assert len(said) == 1 and f"1 copy of recipients not on the list ({kept})" in said[0], \
        result.output
    path.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")  # fixed: now removed
    fixed = run_cli(project, "personalise", SAMPLE, "--audience", "mep")
    assert fixed.exit_code == 0, fixed.output
    assert kept not in {p.stem for p in folder(project).glob("*.pdf")}
    assert "kept until" not in fixed.output


@pytest.mark.slow
def test_the_sample_letters_close_as_their_languages_do(personalised):
    """Issue 20: a French closing repeats the row's own salutation; the German default names
    both forms of address (here the row's own is used)."""
    project, _ = personalised
    first = {row["id"]: squash(pages_text(folder(project) / row["file"])[0])
             for row in manifest_rows(project)}
    assert squash("Monsieur le Député,") in first["jean-dupont"]
    assert squash("Nous vous prions d’agréer, Monsieur le Député, l’expression de notre haute "
                  "considération.") in first["jean-dupont"]
    assert squash("Madame la Députée") not in first["jean-dupont"]
    assert squash("Sehr geehrte Frau Müller,") in first["anna-muller"]
    assert squash("Mit freundlichen Grüßen") in first["anna-muller"]
    assert squash("Dear Member of the European Parliament,") in first["mary-oconnor"]
