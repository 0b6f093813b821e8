"""cli: the `brief` command, a thin click layer over `generator.build`."""

from __future__ import annotations

import logging
import sys

import click

from .defaults import Project
from .errors import BriefError


def _configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("generator")
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)


@click.group()
@click.option("--project", "project_dir", default=".", show_default=True,
              type=click.Path(file_okay=False), help="Folder holding content/, styles/, templates/.")
@click.option("-v", "--verbose", is_flag=True, help="Say more.")
@click.version_option(package_name="brief")
@click.pass_context
def main(ctx: click.Context, project_dir: str, verbose: bool) -> None:
    """Render policy briefs: one print-ready PDF per audience and language."""
    _configure_logging(verbose)
    ctx.obj = Project.at(project_dir)


@main.command("check")
@click.argument("briefs", nargs=-1)
@click.pass_obj
def check_command(project: Project, briefs: tuple[str, ...]) -> None:
    """Validate BRIEFS (all by default) without rendering."""
    from .build import check

    found = check(project, list(briefs) or None)
    click.echo(f"ok: {len(found)} brief(s) checked, no problems")


@main.command("build")
@click.argument("briefs", nargs=-1)
@click.pass_obj
def build_command(project: Project, briefs: tuple[str, ...]) -> None:
    """Render every output of BRIEFS (all by default) into out/."""
    from .build import build

    result = build(project, list(briefs) or None)
    for label, error in result.failed:
        click.echo(error.format_message(), err=True)
    click.echo(f"{len(result.built)} built, {len(result.failed)} failed")
    if not result.ok:
        raise SystemExit(1)
