"""typography: how a text is set in its language, one small module per rule (the way
markdown-it keeps its rules), applied to every printed text by `generator.text.syntax` — bodies,
notes, captions, table cells — and to plain texts by `plain.typeset`.

* `runs` — the language of each piece of a text: the output's, or a span's
  (``[Grooming]{lang=en}``): every rule below follows it, so text in another language keeps
  its own quotation marks, spacing and hyphenation.
* `quotes` — straight quotes → the language's marks, at both levels.
* `numbers` — ranges with an en dash (2017–2021), spaces before % and € and between digit groups
  that never break a line (and where the language asks for one, inserted).
* `calls` — a note call before or after the punctuation it stands next to, as the language sets it.
* `compounds` — a compound broken at its own hyphen repeats it at the next line's start, in the
  languages whose rules ask for it (sądowo-/-lekarskich).
* `prose` — what no rule touches: web and e-mail addresses, times.
* `pasted` — quotation marks pasted from a word processor → straight ones, set again by `quotes`.
* `spacing` — French spacing: a narrow no-break space before ; : ! ?
* `ties` — no-break spaces after a one-letter word (Polish, Czech, Slovak) and before a
  paragraph's last word.
* `core` — each rule above as a markdown-it core rule over a whole parse; `plain` — all of them
  on a plain text (`typeset`).
"""
