"""The `ufgraph` command line: thin commands, each opening what it needs and
calling one library function. The project's own errors become
click.ClickException (exit 1); usage errors exit 2."""
from __future__ import annotations

import click

from . import __version__
from .errors import UfgraphError


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UfgraphError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="ufgraph")
def main():
    """Build and explore a knowledge graph of the united-front network from Chinese reports.

    Example: ufgraph extract data/samples --out out/
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out", required=True, help="Folder for <stem>.json per report, or - for JSON lines on stdout.")
def extract(paths, out):
    """Extract each report into a graph document (no database needed).

    Example: ufgraph extract data/samples --out out/
    """
    import json
    import sys
    from pathlib import Path

    from .loaders.pipeline import extract_many, write_document

    failures = []

    def report_failure(exc):
        failures.append(exc)
        click.echo(f"error: {exc}", err=True)

    for path, doc in extract_many(paths, on_error=report_failure):
        if out == "-":
            sys.stdout.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
        else:
            write_document(doc, Path(out), path.stem)
    if failures:
        raise SystemExit(1)
