"""The `ufgraph` command line: thin commands, each opening what it needs and
calling one library function. The project's own errors become
click.ClickException (exit 1); usage errors exit 2."""
from __future__ import annotations

import re

import click

from . import __version__
from .errors import UfgraphError

# C0 and C1 controls but tab and newline, and the bidirectional overrides: a file name may hold
# any of them (an ESC sequence recolours or rewrites the terminal), and messages name files.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` for a terminal: each control character written as its escape (\\x1b, \\u202e)."""
    return _CONTROLS.sub(lambda m: ascii(m.group())[1:-1], text)


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UfgraphError as exc:
            raise click.ClickException(printable(str(exc))) from None


class _ReportPath(click.ParamType):
    """A report file or folder, passed on as given: the refresh checks each path while it lists
    them, with one stat. click.Path() took a stat and an access check more, 75 ms for 10,000."""
    name = "path"

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem
        return [CompletionItem(incomplete, type="file")]


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
        click.echo(printable(f"error: {exc}"), err=True)

    for path, doc in extract_many(paths, on_error=report_failure):
        if out == "-":
            sys.stdout.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
        else:
            write_document(doc, Path(out), path.stem)
    if failures:
        raise SystemExit(1)


@main.command("refresh")
@click.argument("paths", nargs=-1, type=_ReportPath())
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
    click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=1) if as_json
               else printable(summary.format_text()))
    if not summary.ok:
        raise SystemExit(1)


# ---------------------------------------------------------------- export, stats, doctor
# The store options of refresh and viz, as one decorator for the commands below.

_STORE_OPTIONS = (
    click.option("--data-dir", envvar="UFGRAPH_DATA_DIR", type=click.Path(file_okay=False),
                 help="Data folder of the embedded store. Default: ~/.local/share/ufgraph."),
    click.option("--store", "store_kind", type=click.Choice(["embedded", "neo4j"]),
                 help="Store to read. Default: neo4j when NEO4J_URI is set, else embedded."),
    click.option("--neo4j-uri", envvar="NEO4J_URI", help="Neo4j URI (env NEO4J_URI)."),
    click.option("--neo4j-user", envvar="NEO4J_USERNAME", help="Neo4j user (env NEO4J_USERNAME)."),
    click.option("--neo4j-password", envvar="NEO4J_PASSWORD", hidden=True),
    click.option("--neo4j-database", envvar="NEO4J_DATABASE", help="Neo4j database (env NEO4J_DATABASE)."),
)
_FROM_JSON = click.option(
    "--from-json", "from_json", multiple=True, type=click.Path(allow_dash=True),
    help="Read graph documents instead of the store: JSON files, folders of them (`extract --out DIR`), "
         "JSON Lines (`extract --out -`, `export --format jsonl`), or - for stdin; repeatable.")


def _store_options(func):
    for option in reversed(_STORE_OPTIONS):
        func = option(func)
    return func


def _neo4j_settings(store_args: dict) -> dict:
    return {"uri": store_args["neo4j_uri"], "user": store_args["neo4j_user"],
            "password": store_args["neo4j_password"], "database": store_args["neo4j_database"]}


def _read_graph(from_json, store_args: dict):
    """The graph document from --from-json, else from the configured store."""
    from .graph import config

    if from_json:
        from .graph.export_source import load_documents
        return load_documents(from_json)
    kind = config.store_choice(store_args["store_kind"], store_args["neo4j_uri"])
    with config.open_store(kind, config.data_dir(store_args["data_dir"]), _neo4j_settings(store_args)) as store:
        return store.read()


@main.command("export")
@click.option("--format", "fmt", required=True, type=click.Choice(["graphml", "gexf", "csv", "jsonl", "ftm"]),
              help="graphml/gexf for Gephi, csv for neo4j-admin import, jsonl, ftm (followthemoney).")
@click.option("-o", "--out", required=True, type=click.Path(allow_dash=True),
              help="File to write, or - for stdout; for csv, the folder for the files.")
@click.option("--database", default="neo4j", show_default=True,
              help="Database named in the neo4j-admin import command printed for csv.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary (files, import command) as JSON.")
@_FROM_JSON
@_store_options
def export(fmt, out, database, as_json, from_json, **store_args):
    """Export the graph for other tools: Gephi (graphml, gexf), neo4j-admin import (csv),
    JSON Lines (jsonl) or followthemoney entities (ftm).

    \b
    Example: ufgraph export --format gexf -o out/network.gexf
    Example: ufgraph extract data/samples --out - | ufgraph export --from-json - --format csv -o out/import/
    """
    import json

    from .graph.export import export_with_summary, format_summary

    if fmt == "csv" and out == "-":
        raise click.UsageError("--format csv writes one file per node and relationship set; "
                               "give -o a folder, not -")
    summary = export_with_summary(_read_graph(from_json, store_args), fmt, out, database)
    if out != "-":  # on stdout, the export is the whole output
        click.echo(json.dumps(summary, ensure_ascii=False, indent=1) if as_json
                   else printable(format_summary(summary)))


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@_FROM_JSON
@_store_options
def stats(as_json, from_json, **store_args):
    """Count what the graph holds: nodes and relationships by type, reports and their date range.

    Example: ufgraph stats --json
    """
    import json

    from .graph.stats import format_stats, graph_stats

    counts = graph_stats(_read_graph(from_json, store_args))
    click.echo(json.dumps(counts, ensure_ascii=False, indent=1) if as_json else format_stats(counts))


@main.command("doctor")
@click.option("--quick", is_flag=True, help="Skip the checks that start programs (Java, Maven, Chromium).")
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON.")
@_store_options
def doctor(quick, as_json, **store_args):
    """Check the setup: which store is configured and why, whether Neo4j answers (and its version),
    the data folder and cache, and Java/Maven and Chromium for the tests. Prints each check as
    ok, warn or fail; exits 1 only when a check fails. Never prints the password.

    Example: ufgraph doctor --quick
    """
    import json
    from pathlib import Path

    from .graph import config
    from .graph.doctor import Settings, exit_status, run_checks

    source = click.get_current_context().get_parameter_source("data_dir")
    data_source = {"COMMANDLINE": "commandline", "ENVIRONMENT": "environment"}.get(source.name, "default")
    settings = Settings(store_args["store_kind"], Path(config.data_dir(store_args["data_dir"])), data_source,
                        _neo4j_settings(store_args))
    checks = run_checks(settings, slow=not quick)
    if as_json:
        click.echo(json.dumps({"settings": settings.to_dict(), "checks": [vars(c) for c in checks]},
                              ensure_ascii=False, indent=1))
    else:
        click.echo(printable("\n".join(c.line() for c in checks)))
    raise SystemExit(exit_status(checks))


# ---------------------------------------------------------------- query, cypher, analyze

def _shown(text: str, fmt: str) -> str:
    """Rows for a reader (table, markdown) with control characters escaped; csv and json as data."""
    return printable(text) if fmt in ("table", "markdown") else text


_FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "markdown"]),
                       default="table", show_default=True, help="How to print the rows.")


def _open_store(store_args: dict):
    """The store chosen by _store_options' arguments, for a `with` block."""
    from .graph import config

    kind = config.store_choice(store_args["store_kind"], store_args["neo4j_uri"])
    return config.open_store(kind, config.data_dir(store_args["data_dir"]), _neo4j_settings(store_args))


@main.command("query")
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the module (see --list); repeatable.")
@click.option("--list", "list_modules", is_flag=True, help="List the modules: what each answers, its parameters.")
@_FORMAT
@_store_options
def query(name, params, list_modules, fmt, **store_args):
    """Run a named query module on the store and print its rows.

    \b
    Example: ufgraph query people-of -p org=某市工商联
    Example: ufgraph query paths -p a=张三 -p b=某市工商联 -p hops=3 --format markdown
    Example: ufgraph query --list
    """
    from .queries import list_queries, query_params, run_query
    from .queries.output import describe_modules, format_frame

    if list_modules:
        click.echo(describe_modules(list_queries()))
        return
    if not name:
        raise click.UsageError("name a query module (ufgraph query --list shows them)")
    values = query_params(name, params)  # a bad name or parameter fails before the store opens
    with _open_store(store_args) as store:
        click.echo(_shown(format_frame(run_query(store, name, **values), fmt), fmt))


@main.command("cypher")
@click.argument("text")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A $parameter; the value is read as JSON when it parses (42, true, [\"a\"]), else as text.")
@_FORMAT
@_store_options
def cypher(text, params, fmt, **store_args):
    """Run an ad-hoc read-only Cypher query (TEXT, or - for stdin) on either store; a write is
    refused. The embedded store speaks Kùzu's Cypher, Neo4j its own.

    \b
    Example: ufgraph cypher "MATCH (n:Entity) RETURN n.type AS type, count(*) AS nodes"
    Example: ufgraph cypher 'MATCH (n:Entity) WHERE n.name = $name RETURN n.id AS id' -p name=某市工商联
    """
    from .queries import cypher_params, run_cypher
    from .queries.output import format_frame

    if text == "-":
        text = click.get_text_stream("stdin").read()
    values = cypher_params(params)
    with _open_store(store_args) as store:
        click.echo(_shown(format_frame(run_cypher(store, text, values), fmt), fmt))


@main.command("analyze")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="Rows in each ranking.")
@click.option("--write", is_flag=True, help="Store degree, betweenness and community on the nodes of the store.")
@click.option("--json", "as_json", is_flag=True, help="Print the rankings as JSON.")
@_store_options
def analyze(top, write, as_json, **store_args):
    """Rank the network: brokers (betweenness), most connected bodies and people (degree),
    communities (Louvain, seeded) and interlocking posts. Places are left out of the metrics.

    Example: ufgraph analyze --top 20 --write
    """
    import json

    from .graph.analysis import analyze_store, format_analysis

    with _open_store(store_args) as store:
        result = analyze_store(store, top=top, write=write)
    click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1) if as_json
               else printable(format_analysis(result)))


@main.command("viz")
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="The HTML file to write, or - for stdout.")
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
@_FROM_JSON
@_store_options
def viz(out, focus, depth, types, rels, report_id, since, max_nodes, from_json, **store_args):
    """Write an interactive, self-contained HTML view of the liaison network; print its path.

    Example: ufgraph viz --focus 某市工商联 --depth 1 -o out/network.html
    """
    from .graph.view import build_view, view_html, write_view

    doc = _read_graph(from_json, store_args)
    filters = dict(focus=focus, depth=depth, types=types, rels=rels, report=report_id, since=since,
                   max_nodes=max_nodes)
    if out == "-":
        if not doc.nodes:
            raise click.ClickException("the graph holds no nodes, so there is nothing to draw")
        click.echo(view_html(build_view(doc, **filters)))
    else:
        click.echo(write_view(doc, out, **filters))
