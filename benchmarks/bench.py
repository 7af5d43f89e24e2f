"""Every benchmark of BENCHMARKS.md in one run, then the targets checked.

    python benchmarks/bench.py [--sizes 1000 10000] [--refresh-n 10000] [--extract-n 1500]
                               [--jobs N] [--no-neo4j] [--out out/bench]

(`make bench` runs it with the defaults.) The benchmarks measure a copy of
the committed code (OUT/code, from git archive HEAD), so edits made in the
working tree during a run do not change what is measured. Each benchmark
runs as its own process and writes OUT/<name>.json; this script prints their tables and
OUT/summary.md, the targets with the measured figures. Add 50000 to --sizes
for the largest scaling run (about half an hour more on 2 cores).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench_common import BENCH, REPO, ensure_corpus, machine, package_at

MB_PER_S_TARGET = 1000  # KB/s per core
NEO4J_RELS_TARGET = 30000
NEO4J_RATIO_TARGET = 20
INCREMENTAL_TARGET_S = 2.0
# 2 GB read as 2 × 10^9 bytes, the stricter reading; figures are MB of 2^20 bytes (rss_mb).
PEAK_TARGET_MB = 2 * 10**9 // 2**20  # 1,907


def run(script: str, *args: str) -> bool:
    """Run one benchmark; a failure is reported and the others still run."""
    print(f"\n$ python benchmarks/{script} {' '.join(args)}", flush=True)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(BENCH / script), *args], check=False)
    print(f"({time.perf_counter() - started:.0f} s{'' if done.returncode == 0 else ', FAILED'})", flush=True)
    return done.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="scaling sizes")
    parser.add_argument("--refresh-n", type=int, default=10000, help="reports for the refresh, memory and Neo4j runs")
    parser.add_argument("--extract-n", type=int, default=1500, help="reports for the extraction run (~4 KB each)")
    parser.add_argument("--jobs", type=int, default=multiprocessing.cpu_count())
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-neo4j", action="store_true", help="skip the Neo4j runs")
    parser.add_argument("--neo4j-fallback-n", type=int, default=1000,
                        help="reports for a second Neo4j run when the first fails (0: none)")
    parser.add_argument("--out", type=Path, default=REPO / "out" / "bench")
    args = parser.parse_args()
    out, corpus, work = args.out, args.out / "corpus", args.out / "work"
    code = snapshot(out / "code")
    for old in out.glob("*.json"):  # a benchmark that fails this time must not leave last run's figures
        old.unlink()
    print(f"measuring the committed code of {os.environ['UFGRAPH_BENCH_COMMIT']} (a copy in {code})", flush=True)
    sizes = sorted(set(args.sizes) | {args.refresh_n})
    ensure_corpus(corpus, max(sizes + [args.extract_n]), args.seed, args.jobs)
    common = ["--corpus", str(corpus), "--jobs", str(args.jobs)]
    run("bench_extract.py", "--n", str(args.extract_n), *common, "--json", str(out / "extract.json"))
    for n in sizes:
        profile = ["--profile"] if n == args.refresh_n else []
        run("bench_refresh.py", "--n", str(n), *common, "--work", str(work), *profile,
            "--json", str(out / f"refresh-{n}.json"))
    if not args.no_neo4j:
        neo4j_ok = run("bench_neo4j.py", "--n", str(args.refresh_n), "--corpus", str(corpus), "--work", str(work),
                       "--json", str(out / "neo4j.json"))
        if not neo4j_ok and args.neo4j_fallback_n:  # still measure rates, on a graph the server can hold
            run("bench_neo4j.py", "--n", str(args.neo4j_fallback_n), "--corpus", str(corpus), "--work", str(work),
                "--json", str(out / f"neo4j-{args.neo4j_fallback_n}.json"))
    run("bench_memory.py", "--n", str(args.refresh_n), "--corpus", str(corpus), "--jobs", str(args.jobs),
        "--data", str(work / f"memory-{args.refresh_n}"), "--json", str(out / "memory.json"))
    run("bench_scaling.py", "--sizes", *map(str, sizes), *common, "--work", str(work),
        "--reuse", *(str(out / f"refresh-{n}.json") for n in sizes), "--json", str(out / "scaling.json"))
    summary = targets(out, args.refresh_n, args.neo4j_fallback_n)
    (out / "summary.md").write_text(summary, encoding="utf-8")
    print("\n" + summary)
    return 0


def snapshot(folder: Path) -> Path:
    """A copy of the committed package (git archive HEAD) that every benchmark imports.

    Others keep changing the working tree; the extractor's version is a hash of its code, so a
    change in the middle of a run would make "unchanged" reports look changed. PYTHONPATH comes
    before the editable install, so the child processes import ufgraph from the copy.
    """
    shutil.rmtree(folder, ignore_errors=True)
    package = package_at("HEAD", folder)
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=True).stdout.strip()
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))
    os.environ["UFGRAPH_BENCH_COMMIT"] = commit
    return package


def targets(out: Path, refresh_n: int, fallback_n: int = 0) -> str:
    """The targets beside what this run measured, as a Markdown table."""
    extract = _load(out / "extract.json")
    refresh = _load(out / f"refresh-{refresh_n}.json")
    neo = _load(out / "neo4j.json") or _load(out / f"neo4j-{fallback_n}.json")
    rows = []
    if extract:
        per_core = extract["workers"]["kb_per_cpu_s"]
        rows.append(("extraction, KB/s per core (CPU time)", f">= {MB_PER_S_TARGET}", per_core,
                     per_core >= MB_PER_S_TARGET))
    if neo:
        rows += _neo4j_rows(neo)
    if refresh:
        one = refresh["one_changed"]["seconds"]
        rows.append((f"incremental refresh, 1 of {refresh_n:,} changed, s", f"<= {INCREMENTAL_TARGET_S}", one,
                     one <= INCREMENTAL_TARGET_S))
    peak = _peak_memory(_load(out / "memory.json"), refresh, refresh_n)
    if peak:
        label, megabytes = peak
        rows.append((label, f"<= {PEAK_TARGET_MB}", megabytes, megabytes <= PEAK_TARGET_MB))
    m = machine()
    lines = [f"Machine: {m['nproc']} cores, {m['cpu']}, {m['ram_gb']} GB RAM, Python {m['python']}, "
             f"load average {m['load_average']}, speed probe {m['speed_probe_ms']} ms", "", "| target | wanted | measured | met |", "|---|---|---|---|"]
    lines += [f"| {name} | {want} | {got} | {'yes' if ok else 'no'} |" for name, want, got, ok in rows]
    lines += ["", "Missing rows: that benchmark failed or was skipped (see its output above)."] if len(rows) < 7 else []
    return "\n".join(lines) + "\n"


def _neo4j_rows(neo: dict) -> list[tuple]:
    """Rate and ratio on the first write after the server starts, and on the warmed-up server."""
    rows = []
    for run, suffix, when in (("into_empty", "", "first write after start"),
                              ("into_empty_warm", "_warm", "warmed-up server")):
        if run not in neo:
            continue
        rels, ratio = neo[run]["store_rels_per_s"], neo[f"batched_over_naive_rels{suffix}"]
        rows += [(f"Neo4j refresh of {neo['reports']:,} reports, relationships/s ({when})",
                  f">= {NEO4J_RELS_TARGET:,}", rels, rels >= NEO4J_RELS_TARGET),
                 (f"Neo4j batched / naive loader, relationships ({when})", f">= {NEO4J_RATIO_TARGET}x",
                  ratio, ratio >= NEO4J_RATIO_TARGET)]
    return rows


def _peak_memory(memory: dict, refresh: dict, refresh_n: int) -> tuple[str, int] | None:
    """(label, MB): the process tree's peak sampled by bench_memory when it ran on this size;
    else the refresh's peak plus its largest child's, an upper bound (the resolving child and
    the loading child each run alone beside the small parent)."""
    label = f"peak memory of a full refresh of {refresh_n:,}, MB"
    if memory.get("n") == refresh_n:
        runs = [run for run in memory.values() if isinstance(run, dict) and "peak_tree_mb" in run]
        return f"{label} (process tree, sampled)", max(run["peak_tree_mb"] for run in runs)
    if refresh:
        used = refresh["full"]["memory"]
        return f"{label} (process + largest child)", round(used["process_mb"] + used["largest_child_mb"])
    return None


def _load(path: Path) -> dict:
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


if __name__ == "__main__":
    sys.exit(main())
