"""brief: structured policy-brief content → one print-ready PDF per audience and language.

Deferred imports
----------------
Imports are at the top of each module. These, and only these, are made inside a function, each
marked `# noqa: PLC0415  # deferred: see generator/__init__.py` (ruff's PLC0415 refuses any
other). Costs are `python -X importtime` cumulative times, median of 11 runs: of a package
(weasyprint, pikepdf) alone, and of a generator module what it adds to a process that already
has `generator.run.cli`. tests/test_incremental.py checks
that a no-op build imports neither WeasyPrint nor `generator.make.pdf`, nor Babel and polib, and
that `brief check` and `brief --help` do not import WeasyPrint. (`locale` imports Babel and polib at
its top, 10–25 ms together on a busy machine, polib 1–4 ms of it: only `model`, `footnotes`,
`html` and `text.syntax` import `locale`, all behind the `pipeline` deferral below.)

- pdf → weasyprint (in `render_pdf` and the helpers it calls: `_session`, `_stylesheets`,
  `_fetcher_class`, `_lay_out`, `_first_block_after_page`, `_figure_after_gap`,
  `footnote_pages`) → 418 ms → it must
  be imported after `isolate_fonts` sets FONTCONFIG_FILE, and `generator.make.pdf` itself is
  imported by the parent process of every build that renders, which never lays out a page.
- workers → weasyprint (in `_worker_main`) → 418 ms → each worker warms up with it, after
  `isolate_fonts`.
- standards.ua1, standards.x4 → pikepdf (in `structure_elements`, `_X4.finish`,
  `_page_contents`), and ua1 → structure, which imports pikepdf (in `_UA1.preflight`) → 50 ms
  → `model` imports the standards, and `brief check` reads no PDF.
- standards.ua1 → weasyprint.pdf.tags and pydyf (in `_tag_languages`) → 0 ms where it runs:
  only the render worker calls it, right before `write_pdf`, with WeasyPrint imported.
- cli → preflight, and so pikepdf (in `_preflight_outputs`) → 33 ms → only
  `brief check --preflight` reads PDFs.
- cli → pipeline, and so the parsers markdown_it, jinja2, yaml, segno and Pillow, and Babel and
  polib (in `check_command`, `translate_command`, `status_command`) → 104 ms before Babel and
  polib → `brief build` with nothing to do and `brief --help` parse nothing.
- cli → rich (in `status_command`, `list_command`, `_ProgressBar`) → 38 ms → only
  `brief status` and `brief list` print a table, and `brief personalise` a progress bar on a
  terminal.
- cli → personalise, and so pipeline and workers (in `personalise_command`) → as for
  `check_command` and `build` → only `brief personalise`.
- cli → schema, and so model, locale (Babel, polib) and yaml (in `schema_command`, and in
  `check_command`, which has loaded them already) → 49 ms;
  cli → scaffold (in `new_command`: schema, load) → 54 ms; cli → starter (in `init_command`: it
  imports scaffold) → as scaffold; cli → listing (in `list_command`:
  pipeline, to prepare the HTML of briefs that changed) → 161 ms, as for `check_command` →
  only `brief schema`, `brief new` and `brief list` need them.
- cli → watch, and so watchfiles and workers (in `watch_command`) → 76 ms → only `brief watch`.
- cli → preview and serve, and so pypdfium2, Jinja2 and pikepdf (in `_write_previews` and
  `watch_command` with `--preview`) → 40–80 ms on a busy machine → only `brief preview` and
  `brief watch --preview` make page images.
- build → pipeline (104 ms) and workers (69 ms: multiprocessing, pdf, finish, pikepdf) (in
  `_Build.brief`, `_Build.translation_gaps`), and audit (in `_Build.render_all`; pipeline has
  already loaded it) → a build whose briefs are all unchanged reads and hashes files, nothing
  more.
- clean → pipeline (in `clean`) → 104 ms, as for `check_command` → `build` imports `clean`
  to remove outputs no brief makes any more, which needs no parser; only `brief clean` loads
  briefs to know which outputs they still make; clean → preview (in `clean`, the same
  function: `remove_preview`) → 40–80 ms → only `brief clean` removes previews.
- recipients → openpyxl (in `_read_xlsx`, `_workbook_parts`) → 128 ms → only a recipient
  list in .xlsx needs it; `pipeline` imports `letter` (and so `recipients`) to check a
  brief's `letter:`.
- brand_checks → hyperglot (in `letters_of`) → 26–56 ms on a busy machine → and fontTools'
  `ttLib` (in `_font_cmap`) → 10–20 ms → only an identity that brings its own font files has
  them read and their letters checked.
- build → preflight (in `_Build.render_all`) → 33 ms alone, 1 ms once workers is loaded →
  it imports pikepdf, which a build with nothing to render does not need.
- read.brand → load, and so yaml (in `read_brand`, `_Reader`) → `manifest` imports
  `read.brand` (`named_files`: the identity's files a brief's digest covers), and a build with
  nothing to do parses no YAML; read.brand → brand_yml and pydantic (in `_Reader.validate`) →
  216 ms (`python -X importtime -c "import brand_yml"`, cumulative), and tinycss2.color4 (in
  `_Reader._colour`) → 20 ms → only a project that has a `_brand.yml` needs them.
"""

__version__ = "0.1.0"
