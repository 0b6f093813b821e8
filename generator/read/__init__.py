"""read: what is read — a project's briefs and audiences (`load` parses YAML with its lines,
`model` validates it into frozen dataclasses, `schema` describes it), their translations
(`translations`), sources (`bibliography`), recipient lists (`recipients`), language codes
(`languages`), images and stylesheets (`images`, `stylesheets`), which briefs a command means
(`select`), and the example content `brief new` writes (`scaffold`).
"""
