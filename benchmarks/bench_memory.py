"""Peak memory of `ufgraph refresh` into the embedded store: the summed resident memory of the
refresh and all its child processes (extraction workers, the resolving child), sampled every
20 ms, as a user runs the command.

    python benchmarks/bench_memory.py [--n 10000] [--jobs 2] [--corpus DIR] [--data DIR] [--json FILE]

Two refreshes of the first --n corpus reports (the corpus is written on first use): a first one
into an empty data folder (extraction, resolution, store write), then a full one without
extraction (the store and the contribution index deleted, the cache kept), which is the
resolution and store write alone. Pages shared between a parent and a forked child are counted
in both, so the sums are on the high side.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench_common import REPO, ensure_corpus, machine, report_paths, rss_mb, write_json

SAMPLE_SECONDS = 0.02


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=REPO / "out" / "bench" / "corpus")
    parser.add_argument("--data", type=Path, help="data folder (default: out/bench/work/memory-N)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    ensure_corpus(args.corpus, args.n, 7, args.jobs)
    data = args.data or REPO / "out" / "bench" / "work" / f"memory-{args.n}"
    shutil.rmtree(data, ignore_errors=True)
    paths = [str(p) for p in report_paths(args.corpus, args.n)]
    first = measured_refresh(paths, data, args.jobs)
    shutil.rmtree(data / "store")
    (data / "contrib.sqlite").unlink()
    again = measured_refresh(paths, data, args.jobs)
    result = {"machine": machine(), "n": args.n, "first refresh (extraction)": first,
              "full refresh without extraction": again}
    for label in ("first refresh (extraction)", "full refresh without extraction"):
        r = result[label]
        print(f"{label}: {r['seconds']} s, peak of the process tree {r['peak_tree_mb']} MB, "
              f"largest process {r['peak_process_mb']} MB")
    write_json(args.json, result)


def measured_refresh(paths: list[str], data: Path, jobs: int) -> dict:
    args = [sys.executable, "-m", "ufgraph", "refresh", *paths, "--data-dir", str(data),
            "--store", "embedded", "--jobs", str(jobs), "--json"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = {"tree": 0, "process": 0}
    sampler = threading.Thread(target=_sample, args=(process, peak))
    start = time.perf_counter()
    sampler.start()
    out, err = process.communicate()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"ufgraph refresh failed:\n{err[-3000:]}")
    return {"seconds": round(time.perf_counter() - start, 1), "peak_tree_mb": peak["tree"],
            "peak_process_mb": peak["process"], "load": round(os.getloadavg()[0], 1)}


def _sample(process: subprocess.Popen, peak: dict) -> None:
    while process.poll() is None:
        sizes = [rss_mb(pid) for pid in _tree(process.pid)]
        peak["tree"] = max(peak["tree"], sum(sizes))
        peak["process"] = max(peak["process"], max(sizes, default=0))
        time.sleep(SAMPLE_SECONDS)


def _tree(root: int) -> list[int]:
    """`root` and its descendants, from the parent pids in /proc."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue  # ended meanwhile
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


if __name__ == "__main__":
    main()
