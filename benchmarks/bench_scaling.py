"""How refresh costs grow with the corpus: 1,000 → 10,000 → 50,000 reports
into the embedded store, phase by phase, with cross-report resolution timed
on its own.

    python benchmarks/bench_scaling.py [--sizes 1000 10000 50000] [--jobs 2] [--json FILE]

Each size is a full refresh, an unchanged one and one with 1 report changed
(bench_refresh.py, each in its own process, in a fresh data folder). For each
phase the table gives seconds per 1,000 reports and the growth exponent
between consecutive sizes, log(t2/t1) / log(n2/n1): 1 is linear, 2 quadratic.
Results already measured for a size (by bench_refresh.py --json) can be
passed with --reuse FILE to save the run; the size's data folder must still
be there.

A full refresh resolves in a forked child (graph/forked.py), where the
refresh's phases cannot be timed step by step, so resolution is then timed
on its own: a fresh process loads the data folder's cached documents and
resolves them, step by step.
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import subprocess
import sys
import time
from pathlib import Path

from bench_common import BENCH, REPO, Phases, ensure_corpus, machine, peak_rss_mb, write_json
from bench_refresh import MAX_RSS_MB, MemoryCapExceeded, _inner_phases, refresh_figures

# The phases of each kind of refresh, as bench_refresh.py times them.
PHASES = {"full": ("seconds", "read + extract", "resolve + stage (child)", "store write"),
          "one_changed": ("seconds", "read + extract", "incremental: resolve the change",
                          "incremental: change the store")}


def grow(sizes: list[int], runs: dict[int, dict], run: str) -> list[dict]:
    """Per-size rows for one kind of refresh (full, one_changed): s per 1,000 reports and exponents."""
    rows = []
    for i, n in enumerate(sizes):
        r = runs[n][run]
        values = {p: (r["seconds"] if p == "seconds" else r["phases"].get(p, 0.0)) for p in PHASES[run]}
        # The largest process: the refresh's own, or the child that resolves or loads the store.
        row = {"reports": n, "nodes": r["nodes"], "relationships": r["edges"] + r["mentions"],
               "peak_mb": max(r["memory"].values()), "seconds": values,
               "per_1000_reports": {p: round(v / n * 1000, 3) for p, v in values.items()}}
        if i:
            prev_n, prev = sizes[i - 1], rows[-1]["seconds"]
            row["exponent"] = {p: _exponent(prev[p], values[p], prev_n, n) for p in PHASES[run]}
            row["exponent"]["peak_mb"] = _exponent(rows[-1]["peak_mb"], row["peak_mb"], prev_n, n)
        rows.append(row)
    return rows


def _exponent(t1: float, t2: float, n1: int, n2: int) -> float | None:
    if t1 <= 0 or t2 <= 0:
        return None
    return round(math.log(t2 / t1) / math.log(n2 / n1), 2)


def resolution_figures(data: Path) -> dict:
    """Resolution of a data folder's cached documents, step by step, in a fresh process."""
    args = [sys.executable, str(BENCH / "bench_scaling.py"), "--resolve-child", str(data)]
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"resolving {data} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def resolve_child(data: Path) -> None:
    from ufgraph.graph import refresh as R
    from ufgraph.graph.resolve import resolve

    current = R._load_manifest(data, [])["reports"]
    start = time.perf_counter()
    docs = R._documents(current, data / "cache", R.RefreshSummary())
    loaded = time.perf_counter()
    phases = Phases()
    steps = [(owner, name, label) for owner, name, label in _inner_phases() if label.startswith("resolve")]
    for owner, name, label in steps:
        setattr(owner, name, phases.wrap(label, getattr(owner, name)))
    graph = resolve(docs)
    resolved = time.perf_counter()
    print(json.dumps({"reports": len(docs), "nodes": len(graph.nodes), "edges": len(graph.edges),
                      "load cache": round(loaded - start, 2), "resolve": round(resolved - loaded, 2),
                      "steps": {k: round(v, 2) for k, v in phases.seconds.items()},
                      "peak_mb": peak_rss_mb()["process_mb"]}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--jobs", type=int, default=multiprocessing.cpu_count())
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpus", type=Path, default=REPO / "out" / "bench" / "corpus")
    parser.add_argument("--work", type=Path, default=REPO / "out" / "bench" / "work")
    parser.add_argument("--reuse", type=Path, nargs="*", default=[], help="bench_refresh.py --json results")
    parser.add_argument("--max-rss-mb", type=int, default=MAX_RSS_MB, help="stop a refresh that grows past this")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--resolve-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.resolve_child:
        resolve_child(args.resolve_child)
        return
    sizes = sorted(set(args.sizes))
    ensure_corpus(args.corpus, sizes[-1], args.seed, args.jobs)
    runs = {r["reports"]: r for r in (json.loads(p.read_text("utf-8")) for p in args.reuse)}
    stopped = {}
    for n in sizes:
        if n not in runs:
            try:
                runs[n] = refresh_figures(args.corpus, n, args.work, args.jobs, max_rss_mb=args.max_rss_mb)
            except MemoryCapExceeded as exc:
                stopped[n] = str(exc)
    done = [n for n in sizes if n in runs]
    result = {"machine": machine(), "sizes": done, "stopped": stopped, "runs": runs, "full": grow(done, runs, "full"),
              "one_changed": grow(done, runs, "one_changed"),
              "resolution": {n: resolution_figures(Path(runs[n]["data_dir"])) for n in done}}
    print_result(result)
    write_json(args.json, result)


def print_result(r: dict) -> None:
    for run in ("full", "one_changed"):
        print(f"{run} refresh: seconds (s per 1,000 reports) [growth exponent from the previous size]; "
              "peak MB of the largest process")
        print(f"{'reports':>8} {'nodes':>8} {'rels':>9} {'peak MB':>8}  " + "  ".join(f"{p:>22}" for p in PHASES[run]))
        for row in r[run]:
            cells = []
            for p in PHASES[run]:
                exp = row.get("exponent", {}).get(p)
                cells.append(f"{row['seconds'][p]:8.2f} ({row['per_1000_reports'][p]:6.2f})"
                             + (f" [{exp}]" if exp is not None else "     "))
            print(f"{row['reports']:>8} {row['nodes']:>8} {row['relationships']:>9} {row['peak_mb']:>8}  "
                  + "  ".join(f"{c:>22}" for c in cells))
    for n, why in r["stopped"].items():
        print(f"{n} reports: {why}")
    print("resolution on its own (s):")
    for n, res in r["resolution"].items():
        print(f"  {n:>6}: load cache {res['load cache']}, resolve {res['resolve']} ("
              + ", ".join(f"{k.removeprefix('resolve: ')} {v}" for k, v in res["steps"].items())
              + f"), peak {res['peak_mb']} MB")


if __name__ == "__main__":
    main()
