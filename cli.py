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
