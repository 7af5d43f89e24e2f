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


@main.command("refresh")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--data-dir", envvar="UFGRAPH_DATA_DIR", type=click.Path(file_okay=False),
              help="Data folder (cache, manifest, embedded store). Default: ~/.local/share/ufgraph.")
@click.option("--store", "store_kind", type=click.Choice(["embedded", "neo4j"]),
              help="Where the graph goes. Default: neo4j when NEO4J_URI is set, else embedded.")
@click.option("--full", is_flag=True, help="Extract every report again, ignoring the cache.")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes for extraction. Default: all cores.")
@click.option("--wait", type=click.FloatRange(min=0), default=0, show_default=True,
              help="Seconds to wait for another refresh of the same data folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--neo4j-uri", envvar="NEO4J_URI", help="Neo4j URI (env NEO4J_URI).")
@click.option("--neo4j-user", envvar="NEO4J_USERNAME", help="Neo4j user (env NEO4J_USERNAME).")
@click.option("--neo4j-password", envvar="NEO4J_PASSWORD", hidden=True)
@click.option("--neo4j-database", envvar="NEO4J_DATABASE", help="Neo4j database (env NEO4J_DATABASE).")
def refresh(paths, data_dir, store_kind, full, jobs, wait, as_json, neo4j_uri, neo4j_user,
            neo4j_password, neo4j_database):
    """Bring the graph up to date with a folder of reports (default: UFGRAPH_REPORTS or
    <data-dir>/reports): extract new and changed ones, drop removed ones, resolve, write the store.
    Exit status 1 when a report could not be read.

    Example: ufgraph refresh data/samples --store embedded
    """
    import json

    from .graph import config
    from .graph.refresh import refresh as run_refresh, terminal_progress

    data = config.data_dir(data_dir)
    neo4j = {"uri": neo4j_uri, "user": neo4j_user, "password": neo4j_password, "database": neo4j_database}
    kind = config.store_choice(store_kind, neo4j_uri)
    with config.open_store(kind, data, neo4j) as store, terminal_progress() as progress:
        summary = run_refresh(paths, store, data, full=full, jobs=jobs, progress=progress, wait=wait)
    click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=1) if as_json else summary.format_text())
    if not summary.ok:
        raise SystemExit(1)


@main.command("viz")
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False), help="The HTML file to write.")
@click.option("--focus", metavar="NAME", help="Show only the network around this name or alias.")
@click.option("--depth", type=click.IntRange(min=0), default=2, show_default=True,
              help="Links to follow from --focus.")
@click.option("--types", metavar="T,...", help="Node types to show, or 'all'. Default: the liaison network "
              "(Person, Federation, Chamber, PartyOrg, Agency).")
@click.option("--rels", metavar="R,...", help="Relationship types to show, or 'all'. Default: HOLDS_POST, "
              "AFFILIATED_WITH, PARTY_ORG_OF, LIAISES_WITH, SUBORDINATE_TO.")
@click.option("--report", "report_id", metavar="ID", help="Only links stated in this report.")
@click.option("--since", metavar="DATE", help="Only links from reports dated on or after DATE (YYYY[-MM[-DD]]).")
@click.option("--max-nodes", type=click.IntRange(min=1), default=1500, show_default=True,
              help="Above this, keep the most important nodes and say in the page what was left out.")
@click.option("--from-json", "from_json", multiple=True, type=click.Path(),
              help="Graph-document JSON (a file, or a folder such as `ufgraph extract` output) "
              "instead of the store; repeatable.")
@click.option("--data-dir", envvar="UFGRAPH_DATA_DIR", type=click.Path(file_okay=False),
              help="Data folder of the embedded store. Default: ~/.local/share/ufgraph.")
@click.option("--store", "store_kind", type=click.Choice(["embedded", "neo4j"]),
              help="Store to read. Default: neo4j when NEO4J_URI is set, else embedded.")
@click.option("--neo4j-uri", envvar="NEO4J_URI", help="Neo4j URI (env NEO4J_URI).")
@click.option("--neo4j-user", envvar="NEO4J_USERNAME", help="Neo4j user (env NEO4J_USERNAME).")
@click.option("--neo4j-password", envvar="NEO4J_PASSWORD", hidden=True)
@click.option("--neo4j-database", envvar="NEO4J_DATABASE", help="Neo4j database (env NEO4J_DATABASE).")
def viz(out, focus, depth, types, rels, report_id, since, max_nodes, from_json, data_dir, store_kind,
        neo4j_uri, neo4j_user, neo4j_password, neo4j_database):
    """Write an interactive, self-contained HTML view of the liaison network; print its path.

    Example: ufgraph viz --focus 某市工商联 --depth 1 -o out/network.html
    """
    from .graph import config
    from .graph.view import read_documents, write_view

    if from_json:
        doc = read_documents(from_json)
    else:
        neo4j = {"uri": neo4j_uri, "user": neo4j_user, "password": neo4j_password, "database": neo4j_database}
        with config.open_store(config.store_choice(store_kind, neo4j_uri), config.data_dir(data_dir), neo4j) as store:
            doc = store.read()
    click.echo(write_view(doc, out, focus=focus, depth=depth, types=types, rels=rels, report=report_id,
                          since=since, max_nodes=max_nodes))
