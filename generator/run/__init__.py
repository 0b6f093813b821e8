"""run: how it runs — the `brief` command (`cli`), checking and preparing a brief (`pipeline`),
building what changed (`build`, `manifest`) in worker processes (`workers`) under one lock
(`lock`), personal copies (`personalise`), atomic writes and cleaning up (`write`, `clean`),
listing outputs (`listing`), and watching, previewing and serving them (`watch`, `preview` with
its `ui/` templates, `serve`).
"""
