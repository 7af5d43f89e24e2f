"""Latency of every query module, p50 and p95, on the embedded store and on
Neo4j, over two graphs: the seed reports (../shared/seeds) and a large
synthetic one.

    python benchmarks/bench_queries.py [--n 800] [--runs 30] [--work DIR] [--json FILE] [--md FILE]
                                       [--no-analyze] [--server test|production] [--fresh]

The large graph is the synthetic corpus of bench_common (its first --n
reports, written once and kept in --work), refreshed into an embedded store
(also kept, so a second run extracts nothing), read back and written to
Neo4j. Neo4j is the server of tools/neo4j-test-server, started here and
stopped at the end: configured as the tests run it (`--server test`, the
default: C1 JIT only, 1 GB heap, 128 MB page cache) or as a production
server would be (`--server production`: C2, G1, 4 GB heap, 2 GB page cache),
as in bench_neo4j.py. The batched write puts 10,000 reports into either.
Each module runs
with parameters picked from the graph (queries/examples.py) twice to warm
up, then --runs times; the table gives the median and the 95th percentile
(nearest rank) in milliseconds, and the rows returned. `ufgraph analyze`'s
computation (read not included) is timed once per graph. The synthetic graph
replaces the seed graph in the same Neo4j database, as a refresh would, so
query plans cached on the small graph meet the large one (that is how a
plan-sensitive form of `ego` was caught: see queries/ego.cypher). With
--fresh each graph goes into a database of its own instead, as a first
refresh into an empty database does (how `interlocks` was caught: see
queries/interlocks.cypher). The first run after the write is reported too.
"""
from __future__ import annotations

import argparse
import gc
import math
import sys
import tempfile
import time
from pathlib import Path

from bench_common import REPO, ensure_corpus, machine, report_paths, speed_probe, write_json

sys.path.insert(0, str(REPO / "tests"))

import neo4j  # noqa: E402
from neo4j_server import start_test_server  # noqa: E402

from ufgraph.graph.analysis import analyze  # noqa: E402
from ufgraph.graph.embedded import EmbeddedStore  # noqa: E402
from ufgraph.graph.model import GraphDocument  # noqa: E402
from ufgraph.graph.neo4j_store import Neo4jStore  # noqa: E402
from ufgraph.graph.refresh import refresh  # noqa: E402
from ufgraph.graph.resolve import resolve  # noqa: E402
from ufgraph.loaders.pipeline import extract_path  # noqa: E402
from ufgraph.loaders.read import iter_report_paths  # noqa: E402
from ufgraph.queries import list_queries, run_query  # noqa: E402
from ufgraph.queries.examples import example_params  # noqa: E402

NOTES = """Reading the figures: `chambers-of` finds nothing in the synthetic corpus (its affiliations
run from enterprises to chambers) but is timed all the same. An entity is found by its `forms` text
(an index scan on Neo4j, a scan of every entity on the embedded store, which has no secondary
indexes). `report` looks for a report's links among the entities it names. `ego` on Neo4j walks
once breadth-first (see queries/ego.cypher). The analysis time is mostly exact betweenness (igraph)."""
SEEDS = REPO.parent / "shared" / "seeds"
SERVERS = {"test": "configured as the tests run it (C1 JIT, 1 GB heap, 128 MB page cache)",
           "production": "configured as a production server (C2 JIT, G1, 4 GB heap, 2 GB page cache)"}
SEED = 7
WARMUP = 2


def seed_graph() -> GraphDocument | None:
    if not SEEDS.is_dir():
        print(f"no seed reports at {SEEDS}; only the synthetic graph", file=sys.stderr)
        return None
    return resolve([extract_path(p) for p in iter_report_paths([SEEDS])])


def synthetic_graph(work: Path, n: int, jobs: int) -> GraphDocument:
    """The first `n` corpus reports, refreshed into an embedded store under `work` (kept)."""
    corpus = ensure_corpus(work / "corpus", n, SEED, jobs)
    data = work / f"data-{n}"
    with EmbeddedStore(data / "store") as store:
        refresh(report_paths(corpus, n), store, data, jobs=jobs)
        return store.read()


def timings(store, name: str, params: dict, runs: int) -> dict:
    """p50 and p95 of `runs` runs after the warm-up, and the first run after the graph was
    written (what an operator meets after a refresh: planning, and any index statistics
    Neo4j has not sampled yet)."""
    seconds = []
    for _ in range(WARMUP + runs):
        start = time.perf_counter()
        rows = len(run_query(store, name, **params))
        seconds.append(time.perf_counter() - start)
    first, seconds = seconds[0], sorted(seconds[WARMUP:])
    return {"p50_ms": round(1000 * seconds[len(seconds) // 2], 1),
            "p95_ms": round(1000 * seconds[math.ceil(0.95 * len(seconds)) - 1], 1), "rows": rows,
            "first_ms": round(1000 * first, 1)}


def bench_graph(label: str, doc: GraphDocument, stores: dict, runs: int, time_analysis: bool = True) -> dict:
    params = example_params(doc)
    result = {"nodes": len(doc.nodes), "edges": len(doc.edges), "reports": len(doc.reports), "modules": {}}
    for kind, store in stores.items():
        start = time.perf_counter()
        store.replace(doc)
        result[f"{kind}_write_s"] = round(time.perf_counter() - start, 1)
    for module in list_queries():
        if module.name not in params:
            continue
        # the machine's speed just before the module's runs: it drifts twofold within a run here
        result["modules"][module.name] = {"params": params[module.name], "probe_ms": speed_probe(3), **{
            kind: timings(store, module.name, params[module.name], runs) for kind, store in stores.items()}}
        print(f"  {label}: {module.name} done", file=sys.stderr)
    result["analyze_s"] = None
    if time_analysis:  # exact betweenness: minutes at 10,000 reports, and not a query
        start = time.perf_counter()
        analyze(doc)
        result["analyze_s"] = round(time.perf_counter() - start, 2)
    return result


def table(results: dict) -> str:
    lines = ["| graph | module | embedded p50 ms | embedded p95 ms | neo4j p50 ms | neo4j p95 ms "
             "| first run ms, embedded / neo4j | rows | speed probe ms |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, graph in results["graphs"].items():
        for name, row in graph["modules"].items():
            e, n = row["embedded"], row["neo4j"]
            lines.append(f"| {label} | {name} | {e['p50_ms']} | {e['p95_ms']} | {n['p50_ms']} | {n['p95_ms']} "
                         f"| {e['first_ms']} / {n['first_ms']} | {e['rows']} | {row['probe_ms']} |")
    return "\n".join(lines)


def graphs_line(results: dict) -> str:
    return "\n".join(f"- {label}: {g['reports']} reports, {g['nodes']} nodes, {g['edges']} relationships "
                     f"(write: embedded {g['embedded_write_s']} s, Neo4j {g['neo4j_write_s']} s"
                     + (f"; `ufgraph analyze` computation {g['analyze_s']} s" if g["analyze_s"] is not None else "")
                     + ")" for label, g in results["graphs"].items())


def _bench_on_one_server(folder: Path, graphs: dict[str, GraphDocument], args) -> dict[str, dict]:
    """The graphs written one after the other into one Neo4j database (and embedded stores)."""
    server = start_test_server(folder / "neo4j", production=args.server == "production")
    driver = neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password))
    try:
        out = {}
        for label, doc in graphs.items():
            with EmbeddedStore(folder / label.replace(" ", "-")) as embedded:
                stores = {"embedded": embedded, "neo4j": Neo4jStore(driver, server.database)}
                out[label] = bench_graph(label, doc, stores, args.runs, not args.no_analyze)
        return out
    finally:
        driver.close()
        server.stop()


def markdown(results: dict) -> str:
    m = results["machine"]
    return "\n".join([
        "# Query module latency", "",
        "`python benchmarks/bench_queries.py` (see its docstring). Parameters picked from each graph by "
        "`queries/examples.py`; p95 is the nearest rank over "
        f"{results['runs']} runs after {WARMUP} warm-up runs; times include building the DataFrame.", "",
        f"Machine: {m['cpu']}, {m['nproc']} cores, {m['ram_gb']} GB RAM, Python {m['python']}, "
        f"load average {m['load_average']}, speed probe {m['speed_probe_ms']} ms (bench_common.speed_probe). "
        f"Neo4j: 5.26, {SERVERS[results['server']]}.", "",
        graphs_line(results), "", table(results), "", NOTES, ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Query module latency on both stores.")
    parser.add_argument("--n", type=int, default=800, help="reports in the synthetic graph")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per module and store")
    parser.add_argument("--jobs", type=int, default=2, help="extraction workers for the synthetic corpus")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ufgraph-bench-queries",
                        help="folder for the corpus and its store (kept between runs)")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    parser.add_argument("--md", type=Path, help="write the figures as Markdown (BENCHMARKS_queries.md)")
    parser.add_argument("--no-analyze", action="store_true", help="do not time `ufgraph analyze`'s computation")
    parser.add_argument("--server", choices=sorted(SERVERS), default="test", help="how Neo4j is configured")
    parser.add_argument("--fresh", action="store_true",
                        help="write each graph into a database of its own (a first refresh into an empty one)")
    args = parser.parse_args(argv)
    graphs = {"seeds": seed_graph(), f"synthetic {args.n}": synthetic_graph(args.work, args.n, args.jobs)}
    # The documents (millions of objects) are this benchmark's, not a query's: left to the cycle
    # collector, a full collection walks them inside whichever query triggers it. Without this,
    # `programme` on the embedded store had one run of 1.2 s in each of two runs of the benchmark.
    gc.freeze()
    results = {"machine": machine(), "runs": args.runs, "server": args.server, "graphs": {}}
    graphs = {label: doc for label, doc in graphs.items() if doc is not None}
    with tempfile.TemporaryDirectory() as tmp:
        # --fresh: each graph into a database of its own, as a first refresh into an empty one is
        # (a fresh database's index statistics took `interlocks` to 48 s a run); by default the
        # synthetic graph replaces the seed graph in one database, as a later refresh does.
        groups = [{label: doc} for label, doc in graphs.items()] if args.fresh else [graphs]
        for number, group in enumerate(groups):
            results["graphs"].update(_bench_on_one_server(Path(tmp) / str(number), group, args))
    print(graphs_line(results))
    print(table(results))
    write_json(args.json, results)
    if args.md:
        args.md.write_text(markdown(results), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
