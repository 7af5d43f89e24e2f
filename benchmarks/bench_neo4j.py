"""Refresh into Neo4j (the 5.x test server of tools/neo4j-test-server), beside
a naive loader that writes one row per transaction.

    python benchmarks/bench_neo4j.py [--n 10000] [--naive-seconds 60] [--server production|test]
                                     [--warm-runs 3] [--work DIR] [--json FILE]

Run bench_refresh.py with --n as large or larger first: this benchmark
copies that run's cache and manifest, so no report is extracted again and
the figures are those of loading the cache, resolving and writing Neo4j. Two refreshes
are timed: into an empty database, then with 1 report changed. A replace
writes a staging generation in batches of separate transactions (several
sessions at once), switches generations in one transaction, then labels the
new generation and deletes the old one in small transactions; each of these
steps is timed, and the staging batches by kind (seconds summed over the
sessions, so they may add up to more than the wall time of staging). A
refresh that changes the store in place (Neo4jStore.apply) is timed as
"store apply". Then the database is emptied and the same graph written
again by Neo4jStore.replace alone, --warm-runs times ("into_empty_warm": the
median run, every run's figures beside it): the server has run these writes
before, as a long-running server has, so its JIT has compiled them (on a
fresh JVM the compiler threads take a third of the server's CPU, and the
writes keep getting faster over the first three or four).

The naive loader takes the same rows Neo4jStore writes (its _WritePlan, so
both loaders store the same properties) and MERGEs them one row per
transaction, on an emptied database with the same constraints and indexes,
for --naive-seconds each for nodes and for relationships; its rates are
rows per second over that time. The server is started with
tests/neo4j_server.py and stopped at the end; its password never leaves
this process. `--server production` (the default) runs its JVM as a
production server would (C2 JIT, G1, 4 GB heap, 2 GB page cache), `--server
test` as the tests do (C1 only, serial GC, 1 GB heap, 128 MB page cache);
both loaders use the same server. Beside wall times, the server's CPU
seconds are given for each step of a replace and for each naive phase, and
this process's for each refresh: on 2 shared cores, CPU seconds show where
the work is when other load stretches the wall clock.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bench_common import REPO, append_to_report, cpu_seconds, machine, report_paths, restore_reports, write_json
from bench_refresh import CHANGE, timed_refresh

sys.path.insert(0, str(REPO / "tests"))

import neo4j  # noqa: E402
from neo4j_server import start_test_server  # noqa: E402

from ufgraph.errors import UfgraphError  # noqa: E402
from ufgraph.graph.neo4j_store import Neo4jStore, _WritePlan  # noqa: E402
from ufgraph.graph.ontology import load_ontology  # noqa: E402

# The steps of Neo4jStore.replace (the staging batches are timed per label and relationship
# type below), and apply for a refresh that changes the graph in place.
NEO4J_STEPS = [(_WritePlan, "of", "neo4j: plan rows"), (Neo4jStore, "_clear_unfinished", "neo4j: clear leftovers"),
               (Neo4jStore, "_stage", "neo4j: stage batches"), (Neo4jStore, "_switch", "neo4j: switch"),
               (Neo4jStore, "_finish_promotion", "neo4j: label new"),
               (Neo4jStore, "_delete_retired", "neo4j: delete old"), (Neo4jStore, "apply", "store apply")]
NAIVE_RELS = 20000  # relationships offered to the naive loader (it stops at --naive-seconds)
SERVER_CPU_STEPS = ["replace", "_clear_unfinished", "_stage", "_switch", "_finish_promotion", "_delete_retired"]


def _source(work: Path, n: int) -> Path | None:
    """The smallest data folder bench_refresh.py left for n or more reports: its cache holds
    the first n reports (report i is the same in every corpus size)."""
    sizes = sorted(int(p.name[5:]) for p in work.glob("data-*") if p.name[5:].isdigit()
                   and (p / "manifest.json").is_file())
    return next((work / f"data-{m}" for m in sizes if m >= n), None)


def copy_cache(source: Path, target: Path) -> None:
    """A data folder with `source`'s cache and manifest (hard links), and no store."""
    shutil.rmtree(target, ignore_errors=True)
    (target / "cache").mkdir(parents=True)
    for path in (source / "cache").iterdir():
        os.link(path, target / "cache" / path.name)
    shutil.copy2(source / "manifest.json", target / "manifest.json")


def _batch_times(store: Neo4jStore) -> dict[str, float]:
    """Seconds of the store's staging batches per `what` (Person nodes, HOLDS_POST relationships …),
    summed over the sessions that write them at once."""
    seconds: dict[str, float] = {}
    lock = threading.Lock()
    inner = store._write_batch

    def timed(batch):
        start = time.perf_counter()
        try:
            return inner(batch)
        finally:
            with lock:
                seconds[batch.what] = seconds.get(batch.what, 0.0) + time.perf_counter() - start

    store._write_batch = timed
    return seconds


def _add_batches(run: dict, batches: dict[str, float]) -> None:
    """Move the batch times gathered during `run` into it, by kind."""
    run["batch_seconds"] = {k: round(v, 2) for k, v in sorted(batches.items(), key=lambda kv: -kv[1])}
    batches.clear()


@contextmanager
def server_cpu_by_step(server) -> Iterator[dict[str, float]]:
    """Server CPU seconds spent during each of Neo4jStore's replace steps (while patched)."""
    seconds: dict[str, float] = {}
    originals = {name: vars(Neo4jStore)[name] for name in SERVER_CPU_STEPS}

    def wrap(name, fn):
        def timed(*args, **kwargs):
            start = server.cpu_seconds()
            try:
                return fn(*args, **kwargs)
            finally:
                seconds[name] = seconds.get(name, 0.0) + server.cpu_seconds() - start
        return timed

    for name, fn in originals.items():
        setattr(Neo4jStore, name, wrap(name, fn))
    try:
        yield seconds
    finally:
        for name, fn in originals.items():
            setattr(Neo4jStore, name, fn)


def _timed_on_server(server, paths, store, data) -> dict:
    """timed_refresh, with the server's CPU seconds in all and by replace step."""
    start, client = server.cpu_seconds(), cpu_seconds()["process"]
    with server_cpu_by_step(server) as steps:
        run = timed_refresh(paths, store, data, jobs=1, inner=NEO4J_STEPS)
    run["client_cpu_seconds"] = round(cpu_seconds()["process"] - client, 2)
    run["server_cpu_seconds"] = {"refresh": round(server.cpu_seconds() - start, 2),
                                 **{k.lstrip("_"): round(v, 2) for k, v in steps.items()}}
    return run


def refresh_runs(store: Neo4jStore, server, corpus: Path, n: int, data: Path) -> dict:
    """Refresh into an empty database, then again with one report changed."""
    paths = report_paths(corpus, n)
    batches = _batch_times(store)
    runs = {"into_empty": _timed_on_server(server, paths, store, data)}
    _add_batches(runs["into_empty"], batches)
    try:
        append_to_report(corpus, paths[n // 2], CHANGE.format(n=n))
        runs["one_changed"] = _timed_on_server(server, paths, store, data)
    finally:
        restore_reports(corpus)
    _add_batches(runs["one_changed"], batches)
    for run in runs.values():
        seconds = run["phases"].get("store write")
        if seconds:  # a refresh that applied a change in place wrote no whole graph
            rels = run["edges"] + run["mentions"]
            run["store_nodes_per_s"] = round(run["nodes"] / seconds)
            run["store_rels_per_s"] = round(rels / seconds)
            run["rels_per_server_cpu_s"] = round(rels / run["server_cpu_seconds"]["replace"])
    return runs


# ---------------------------------------------------------------- the naive loader

def naive_node_query(label: str) -> str:
    return (f"MERGE (n:Entity {{id: $id}}) SET n = $props SET n:{load_ontology().check_label(label)} "
            "RETURN count(n) AS written")


def naive_rel_query(rel: str) -> str:
    return (f"MATCH (a:Entity {{id: $s}}) MATCH (b:Entity {{id: $t}}) "
            f"MERGE (a)-[r:{load_ontology().check_rel_type(rel)}]->(b) SET r = $props RETURN count(r) AS written")


def naive_load(driver, database: str, plan: _WritePlan, seconds: float, server) -> dict:
    """MERGE one row per transaction for `seconds` each: nodes first, then relationships
    (the endpoints they need and the naive nodes did not write are written first, untimed)."""
    node_rows = [(label, row) for label, rows in plan.entities.items() for row in rows]
    cpu = server.cpu_seconds()
    written_nodes, node_s = _one_by_one(driver, database, node_rows, seconds,
                                        lambda label, row: (naive_node_query(label), {"id": row["id"], "props": row["props"]}))
    node_cpu = server.cpu_seconds() - cpu
    rel_rows = [(rel, row) for rel in plan.rels if rel != "MENTIONED_IN" for row in plan.rel_rows(rel)]
    labels = {row["id"]: label for label, row in node_rows}
    written_ids = {row["id"] for _, row in node_rows[:written_nodes]}
    rel_rows.sort(key=lambda item: (item[1]["s"] not in written_ids) + (item[1]["t"] not in written_ids))
    needed = {e for _, row in rel_rows[:NAIVE_RELS] for e in (row["s"], row["t"])} - written_ids
    _write_endpoints(driver, database, [(labels[i], i) for i in sorted(needed)], plan)
    cpu = server.cpu_seconds()
    written_rels, rel_s = _one_by_one(driver, database, rel_rows[:NAIVE_RELS], seconds,
                                      lambda rel, row: (naive_rel_query(rel), row))
    rel_cpu = server.cpu_seconds() - cpu
    return {"nodes": written_nodes, "node_seconds": round(node_s, 2), "nodes_per_s": round(written_nodes / node_s),
            "node_server_cpu_seconds": round(node_cpu, 2),
            "rels": written_rels, "rel_seconds": round(rel_s, 2), "rels_per_s": round(written_rels / rel_s),
            "rel_server_cpu_seconds": round(rel_cpu, 2)}


def _one_by_one(driver, database: str, rows: list, seconds: float, query_of) -> tuple[int, float]:
    written, start = 0, time.perf_counter()
    with driver.session(database=database) as session:
        for kind, row in rows:
            query, params = query_of(kind, row)
            count = session.execute_write(lambda tx: tx.run(query, params).single()["written"])
            if count != 1:
                raise RuntimeError(f"the naive loader wrote {count} rows for one {kind} row")
            written += 1
            if time.perf_counter() - start >= seconds:
                break
    return written, time.perf_counter() - start


def _write_endpoints(driver, database: str, items: list[tuple[str, str]], plan: _WritePlan) -> None:
    """The endpoints the timed relationships need, written in batches (not timed)."""
    props = {row["id"]: row["props"] for rows in plan.entities.values() for row in rows}
    by_label: dict[str, list[dict]] = {}
    for label, node in items:
        by_label.setdefault(label, []).append({"id": node, "props": props[node]})
    for label, rows in by_label.items():
        query = (f"UNWIND $rows AS row MERGE (n:Entity {{id: row.id}}) SET n = row.props "
                 f"SET n:{load_ontology().check_label(label)}")
        driver.execute_query(query, rows=rows, database_=database)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000, help="reports (default 10000)")
    parser.add_argument("--naive-seconds", type=float, default=60, help="time given to each naive phase")
    parser.add_argument("--server", choices=("production", "test"), default="production",
                        help="the server's JVM: as in production (default) or as the tests start it")
    parser.add_argument("--corpus", type=Path, default=REPO / "out" / "bench" / "corpus")
    parser.add_argument("--work", type=Path, default=REPO / "out" / "bench" / "work")
    parser.add_argument("--warm-runs", type=int, default=3,
                        help="replaces timed on the warmed-up server, each into an emptied database (default 3)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    source = _source(args.work, args.n)
    if source is None:
        parser.error(f"{args.work}: no data folder of a refresh of {args.n} or more reports; "
                     f"run bench_refresh.py --n {args.n} first")
    try:
        result = {"machine": machine(), "reports": args.n, "server": args.server, **run(args, source)}
    except UfgraphError as exc:  # the server would not build or start; the message names its log
        parser.exit(1, f"bench_neo4j: {exc}\n")
    print_result(result)
    write_json(args.json, result)


def run(args, source: Path) -> dict:
    data = args.work / f"data-neo4j-{args.n}"
    copy_cache(source, data)
    shutil.rmtree(args.work / "neo4j", ignore_errors=True)  # the launcher sets the password on a new database only
    server = start_test_server(args.work / "neo4j", production=args.server == "production")
    try:
        driver = neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password))
        try:
            store = Neo4jStore(driver, server.database)
            runs = refresh_runs(store, server, args.corpus, args.n, data)
            graph = _resolved(data)
            runs["into_empty_warm"] = warm_writes(store, server, graph, driver, args.warm_runs)
            _empty(driver, server.database)
            naive = naive_load(driver, server.database, _WritePlan.of(graph), args.naive_seconds, server)
        finally:
            driver.close()
    finally:
        server.stop()
    ratios = {f"batched_over_naive_{kind}{suffix}": round(runs[run][f"store_{kind}_per_s"] / naive[f"{kind}_per_s"], 1)
              for run, suffix in (("into_empty", ""), ("into_empty_warm", "_warm")) for kind in ("rels", "nodes")}
    return {**runs, "naive": naive, **ratios}


def _empty(driver, database: str) -> None:
    with driver.session(database=database) as session:  # IN TRANSACTIONS needs auto-commit
        # Relationships first: 10,000 nodes at once may hold more than a transaction may delete.
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS").consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def warm_writes(store: Neo4jStore, server, graph, driver, count: int) -> dict:
    """`count` replaces on the warmed-up server, each into an emptied database: the median run,
    with every run's time and rate beside it (the JIT keeps improving over the first few)."""
    runs = []
    for _ in range(max(1, count)):
        _empty(driver, server.database)
        runs.append(warm_write(store, server, graph))
    median = sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]
    return {**median, "runs_seconds": [run["seconds"] for run in runs],
            "runs_rels_per_s": [run["store_rels_per_s"] for run in runs]}


def warm_write(store: Neo4jStore, server, graph) -> dict:
    """Neo4jStore.replace of the graph into an emptied database on a server that has run the same
    writes before (the refreshes above): what a long-running server does, its JIT compiled."""
    rels = len(graph.edges) + sum(len({e.report for e in n.evidence}) for n in graph.nodes)
    vars(store).pop("_write_batch", None)  # the refreshes' batch timer
    batches = _batch_times(store)
    start, client, server_start = time.perf_counter(), cpu_seconds()["process"], server.cpu_seconds()
    with server_cpu_by_step(server) as steps:
        store.replace(graph, "warm")
    seconds = time.perf_counter() - start
    server_cpu = server.cpu_seconds() - server_start
    run = {"seconds": round(seconds, 2), "nodes": len(graph.nodes), "edges": len(graph.edges),
           "mentions": rels - len(graph.edges), "client_cpu_seconds": round(cpu_seconds()["process"] - client, 2),
           "server_cpu_seconds": {"replace": round(server_cpu, 2),
                                  **{k.lstrip("_"): round(v, 2) for k, v in steps.items() if k != "replace"}},
           "store_nodes_per_s": round(len(graph.nodes) / seconds), "store_rels_per_s": round(rels / seconds),
           "rels_per_server_cpu_s": round(rels / server_cpu)}
    _add_batches(run, batches)
    vars(store).pop("_write_batch", None)
    return run


def _resolved(data: Path):
    """The graph the last refresh wrote, rebuilt from the cache (the rows the naive loader writes)."""
    import json

    from ufgraph.graph.refresh import load_cached
    from ufgraph.graph.resolve import resolve

    manifest = json.loads((data / "manifest.json").read_text("utf-8"))["reports"]
    return resolve([load_cached(data / "cache", rid) for rid in sorted({e["id"] for e in manifest.values()})])


def print_result(r: dict) -> None:
    print(f"refresh of {r['reports']} reports into Neo4j ({r['server']} server; cache warm: nothing extracted)")
    for label in ("into_empty", "one_changed", "into_empty_warm"):
        run = r[label]
        phases = ", ".join(f"{k} {v}" for k, v in run.get("phases", {"store write": run["seconds"]}).items())
        rates = (f"; store write {run['store_nodes_per_s']} nodes/s, {run['store_rels_per_s']} relationships/s"
                 if "store_rels_per_s" in run else "")
        print(f"  {label:12} {run['seconds']:8.2f} s ({phases}){rates}")
        if "runs_seconds" in run:
            print(f"    the median of {len(run['runs_seconds'])} runs: {run['runs_seconds']} s, "
                  f"{run['runs_rels_per_s']} relationships/s")
        print(f"    CPU s: this process {run['client_cpu_seconds']}, server "
              + ", ".join(f"{k} {v}" for k, v in run["server_cpu_seconds"].items()))
        print("    staging batches by kind (s, summed over sessions): "
              + ", ".join(f"{k} {v}" for k, v in list(run["batch_seconds"].items())[:8]))
    n = r["naive"]
    print(f"  naive, one row per transaction: {n['nodes_per_s']} nodes/s ({n['nodes']} in {n['node_seconds']} s, "
          f"server CPU {n['node_server_cpu_seconds']} s), {n['rels_per_s']} relationships/s ({n['rels']} in "
          f"{n['rel_seconds']} s, server CPU {n['rel_server_cpu_seconds']} s)")
    print(f"  batched / naive: {r['batched_over_naive_nodes']}x nodes, {r['batched_over_naive_rels']}x relationships; "
          f"warm server: {r['batched_over_naive_nodes_warm']}x nodes, {r['batched_over_naive_rels_warm']}x relationships")


if __name__ == "__main__":
    main()
