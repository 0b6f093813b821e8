"""text: the text — Markdown turned into tokens (`syntax`), checked (`lint`) and rendered as
HTML (`render`), set by each language's rules (`typography`, the catalogs of words and marks
in `locale`, `hyphenation`), with footnotes numbered (`footnotes`) and web addresses that break
only at their boundaries (`addresses`).
"""
