"""Extraction speed: KB/s and reports/s, one process and N worker processes,
beside jieba.posseg over the same text, the first extraction in a fresh
process (imports, lexicons, one report), and a profile of where the time goes.

    python benchmarks/bench_extract.py [--n 1500] [--jobs 2] [--corpus DIR] [--json FILE]

The corpus is the synthetic one (benchmarks/corpus.py, seed 7; 1,500 reports
are about 6 MB). Sizes are UTF-8 bytes of the cleaned text the extractor
reads. "extract" times extract_source on text already read; "read+extract"
includes reading the file (encoding detection, cleaning), as refresh does.
With --jobs N the reports are shared out to N spawned worker processes (as
`ufgraph refresh --jobs N` does); per-core figures divide by N.
"""
from __future__ import annotations

import argparse
import cProfile
import multiprocessing
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench_common import REPO, SAMPLE, ensure_corpus, machine, report_paths, summarize_profile, write_json

from ufgraph.loaders.pipeline import extract_source
from ufgraph.loaders.read import read_report

PROFILE_REPORTS = 300
FIRST_RUNS = 5
# What an incremental refresh of one report pays before any work: importing the extractor,
# loading its lexicons and extracting one report, timed inside a fresh interpreter.
_FIRST = ("import time; t = time.perf_counter()\n"
          "from ufgraph.loaders.pipeline import extract_source\n"
          "from ufgraph.loaders.read import read_report\n"
          "extract_source(read_report({path!r})); print(time.perf_counter() - t)")


def _rate(size: int, count: int, seconds: float, cpu: float, cores: int = 1) -> dict:
    """Throughput by the wall clock, and per CPU second (what other load on the machine
    cannot take away: a process that waits for a core spends no CPU time)."""
    return {"seconds": round(seconds, 2), "kb_per_s": round(size / 1000 / seconds),
            "kb_per_s_per_core": round(size / 1000 / seconds / cores), "reports_per_s": round(count / seconds, 1),
            "cpu_seconds": round(cpu, 2), "kb_per_cpu_s": round(size / 1000 / cpu)}


def _cpu(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def single_process(paths: list[Path]) -> tuple[dict, dict, int]:
    """Read every report, then extract every report; time both."""
    start, cpu = time.perf_counter(), _cpu()
    sources = [read_report(p) for p in paths]
    read_s, read_cpu = time.perf_counter() - start, _cpu() - cpu
    size = sum(len(s.text.encode("utf-8")) for s in sources)
    start, cpu = time.perf_counter(), _cpu()
    for src in sources:
        extract_source(src)
    extract_s, extract_cpu = time.perf_counter() - start, _cpu() - cpu
    return (_rate(size, len(paths), extract_s, extract_cpu),
            _rate(size, len(paths), read_s + extract_s, read_cpu + extract_cpu), size)


def _warm(_: int) -> int:
    # Importing the extractor and loading its lexicons happens once per worker; it is
    # start-up, not throughput, and refresh pays it once per run.
    from ufgraph.loaders.pipeline import extract_path
    return len(extract_path(SAMPLE).nodes)


def _work(path: str) -> float:
    """Read and extract one report; return the CPU seconds it took this worker."""
    cpu = _cpu()
    extract_source(read_report(path))
    return _cpu() - cpu


def worker_processes(paths: list[Path], size: int, jobs: int) -> dict:
    """Read and extract in `jobs` spawned workers, warmed up first."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        list(pool.map(_warm, range(jobs)))
        start = time.perf_counter()
        cpu = sum(pool.map(_work, [str(p) for p in paths], chunksize=16))
        seconds = time.perf_counter() - start
    return {"jobs": jobs, **_rate(size, len(paths), seconds, cpu, cores=jobs)}


def first_extraction(runs: int = FIRST_RUNS) -> dict:
    """Seconds from the first import to one extracted report, in fresh processes (median and min)."""
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _FIRST.format(path=str(SAMPLE))],
                             capture_output=True, text=True, check=True).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return {"runs": runs, "median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3)}


def jieba_posseg(paths: list[Path], size: int) -> dict:
    """jieba.posseg.lcut over the same cleaned texts (dictionary loaded beforehand)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    jieba.initialize()
    texts = [read_report(p).text for p in paths]
    start, cpu = time.perf_counter(), _cpu()
    for text in texts:
        jieba.posseg.lcut(text)
    return _rate(size, len(paths), time.perf_counter() - start, _cpu() - cpu)


def profile(paths: list[Path]) -> dict:
    """Where extraction spends its time (cProfile over `paths`, text read beforehand)."""
    sources = [read_report(p) for p in paths]
    profiler = cProfile.Profile()
    profiler.enable()
    for src in sources:
        extract_source(src)
    profiler.disable()
    return {"reports": len(paths), **summarize_profile(profiler)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1500, help="reports (default 1500, about 6 MB)")
    parser.add_argument("--jobs", type=int, default=multiprocessing.cpu_count(), help="worker processes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpus", type=Path, default=REPO / "out" / "bench" / "corpus")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    paths = report_paths(ensure_corpus(args.corpus, args.n, args.seed, args.jobs), args.n)
    extract, read_extract, size = single_process(paths)
    result = {"machine": machine(), "reports": len(paths), "megabytes": round(size / 1e6, 2),
              "single_extract": extract, "single_read_extract": read_extract,
              "workers": worker_processes(paths, size, args.jobs), "first_extraction": first_extraction(),
              "jieba_posseg": jieba_posseg(paths, size),
              "profile": profile(paths[:PROFILE_REPORTS])}
    print_result(result)
    write_json(args.json, result)


def print_result(r: dict) -> None:
    print(f"{r['reports']} reports, {r['megabytes']} MB")
    print(f"{'run':28} {'s':>7} {'KB/s':>7} {'KB/s/core':>10} {'reports/s':>10} {'KB/CPU-s':>9}")
    rows = [("extract, 1 process", r["single_extract"]), ("read+extract, 1 process", r["single_read_extract"]),
            (f"read+extract, {r['workers']['jobs']} workers", r["workers"]), ("jieba.posseg, 1 process", r["jieba_posseg"])]
    for label, x in rows:
        print(f"{label:28} {x['seconds']:>7} {x['kb_per_s']:>7} {x['kb_per_s_per_core']:>10} "
              f"{x['reports_per_s']:>10} {x['kb_per_cpu_s']:>9}")
    first = r["first_extraction"]
    print(f"first extraction in a fresh process: {first['median_s']} s (median of {first['runs']}, min {first['min_s']} s)")
    print(f"profile of {r['profile']['reports']} reports, own time by module (%):")
    for module, pct in r["profile"]["by_module"].items():
        print(f"  {pct:5.1f}  {module}")
    print("heaviest functions (own %, cumulative %):")
    for f in r["profile"]["by_own_time"][:15]:
        print(f"  {f['own_pct']:5.1f} {f['cumulative_pct']:5.1f}  {f['function']}")


if __name__ == "__main__":
    main()
