"""How refresh costs grow with the corpus: 1,000 → 10,000 → 50,000 reports
into the embedded store, phase by phase, with cross-report resolution timed
on its own.

    python benchmarks/bench_scaling.py [--sizes 1000 10000 50000] [--jobs 2] [--json FILE]

Each size is a full refresh, an unchanged one and one with 1 report changed
(bench_refresh.py, each in its own process, in a fresh data folder). For each
phase the table gives seconds per 1,000 reports and the growth exponent
between consecutive sizes, log(t2/t1) / log(n2/n1): 1 is linear, 2 quadratic.
Results already measured for a size (by bench_refresh.py --json) can be
passed with --reuse FILE to save the run.
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing
from pathlib import Path

from bench_common import REPO, ensure_corpus, machine, write_json
from bench_refresh import MAX_RSS_MB, MemoryCapExceeded, refresh_figures

PHASES = ("seconds", "read + extract", "load cache", "resolve", "store write")


def grow(sizes: list[int], runs: dict[int, dict], run: str) -> list[dict]:
    """Per-size rows for one kind of refresh (full, one_changed): s per 1,000 reports and exponents."""
    rows = []
    for i, n in enumerate(sizes):
        r = runs[n][run]
        values = {p: (r["seconds"] if p == "seconds" else r["phases"].get(p, 0.0)) for p in PHASES}
        row = {"reports": n, "nodes": r["nodes"], "relationships": r["edges"] + r["mentions"],
               "peak_mb": r["memory"]["process_mb"], "seconds": values,
               "per_1000_reports": {p: round(v / n * 1000, 3) for p, v in values.items()}}
        if i:
            prev_n, prev = sizes[i - 1], rows[-1]["seconds"]
            row["exponent"] = {p: _exponent(prev[p], values[p], prev_n, n) for p in PHASES}
            row["exponent"]["peak_mb"] = _exponent(rows[-1]["peak_mb"], row["peak_mb"], prev_n, n)
        rows.append(row)
    return rows


def _exponent(t1: float, t2: float, n1: int, n2: int) -> float | None:
    if t1 <= 0 or t2 <= 0:
        return None
    return round(math.log(t2 / t1) / math.log(n2 / n1), 2)


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
    args = parser.parse_args()
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
              "resolve_steps": {n: {k: v for k, v in runs[n]["full"]["phases"].items() if k.startswith("resolve")}
                                for n in done}}
    print_result(result)
    write_json(args.json, result)


def print_result(r: dict) -> None:
    for run in ("full", "one_changed"):
        print(f"{run} refresh: seconds (s per 1,000 reports) [growth exponent from the previous size]")
        print(f"{'reports':>8} {'nodes':>8} {'rels':>9} {'peak MB':>8}  " + "  ".join(f"{p:>22}" for p in PHASES))
        for row in r[run]:
            cells = []
            for p in PHASES:
                exp = row.get("exponent", {}).get(p)
                cells.append(f"{row['seconds'][p]:8.2f} ({row['per_1000_reports'][p]:6.2f})"
                             + (f" [{exp}]" if exp is not None else "     "))
            print(f"{row['reports']:>8} {row['nodes']:>8} {row['relationships']:>9} {row['peak_mb']:>8}  "
                  + "  ".join(f"{c:>22}" for c in cells))
    for n, why in r["stopped"].items():
        print(f"{n} reports: {why}")
    print("resolution steps (s):")
    for n, steps in r["resolve_steps"].items():
        print(f"  {n:>6}: " + ", ".join(f"{k} {v}" for k, v in steps.items()))


if __name__ == "__main__":
    main()
