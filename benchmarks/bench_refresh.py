"""Refresh into the embedded store: a full refresh, a refresh with nothing
changed, and one with 1 report changed; time by phase, nodes/s and
relationships/s of the store write, and peak memory.

    python benchmarks/bench_refresh.py [--n 10000] [--jobs 2] [--cycle 0] [--every 0] [--corpus DIR] [--work DIR]
                                       [--json FILE]

Each refresh runs in a fresh Python process (this script with --child), so
its peak memory (ru_maxrss) is its own; workers are separate processes and
their peak is reported apart. Phases are timed by wrapping the functions of
graph/refresh.py that do them (nothing is replaced, only timed):

  read + extract   stat every file, read and extract new or changed ones (workers)
  resolve + stage (child)
                   in a forked child (graph/forked.py): read the cached document of every
                   report, resolve across reports (graph/resolve.py), stage the store's
                   tables on disk; its steps are not timed apart (bench_scaling.py times
                   resolution on its own)
  store write      the store's replace (EmbeddedStore: replace_staged, loading the tables the
                   child staged), a fresh Kùzu database, bulk-loaded
  manifest         write the manifest, prune the cache

A change of a few reports is written in place instead ("incremental write": resolving what
the change touches, then changing the store).

"relationships" counts the graph's edges plus the MENTIONED_IN edges the
store builds (one per node and report).

`--cycle K` then changes K other reports, one per refresh, each refresh
timed from outside as `ufgraph refresh` (interpreter start and all), with
the size of Kùzu's log of changes after it: how an incremental refresh
fares as the log grows and the background fold (graph/fold.py) replaces
it. Back to back by default; `--every S` starts one every S seconds, as a
periodic refresh would. The reports are restored at the end.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import (BENCH, REPO, Phases, append_to_report, cpu_seconds, ensure_corpus, machine, peak_rss_mb,
                          report_paths, restore_reports, rss_mb, summarize_profile, write_json)

CHANGE = "\n　　本报讯 今年以来，全市商会共组织政策宣讲{n}场。\n"
MAX_RSS_MB = 14000  # a refresh past this is stopped: the machine is shared


# ---------------------------------------------------------------- one refresh (the child process)

def timed_refresh(paths: list[Path], store, data: Path, jobs: int, inner: list[tuple] | None = None) -> dict:
    """Run refresh() with its phases timed; return timings, counts and peak memory.

    `inner` adds (owner, attribute, label) steps to time, such as a store's own steps."""
    from ufgraph.graph import refresh as R

    phases = Phases()
    written = {}
    # A store that stages on disk resolves in a child process (graph/forked.py): the steps in
    # there are timed together as "resolve + stage (child)", and "store write" is the load.
    write = "replace_staged" if store.stages_on_disk else "replace"
    wrapped = [(R, "_classify", "read + extract"), (R, "_documents", "load cache"), (R, "resolve", "resolve"),
               (R, "run_forked", "resolve + stage (child)"), (R, "_prune_cache", "manifest"),
               *_incremental_phases(R), *_inner_phases(), *(inner or [])]
    # vars() keeps a class's classmethod objects as they are, so they can be put back.
    originals = [(owner, name, vars(owner)[name]) for owner, name, _ in wrapped]
    for owner, name, label in wrapped:
        timed = phases.wrap(label, getattr(owner, name))
        setattr(owner, name, staticmethod(timed) if isinstance(vars(owner)[name], classmethod) else timed)
    setattr(store, write, phases.wrap("store write", getattr(store, write)))
    try:
        start = time.perf_counter()
        summary = R.refresh([str(p) for p in paths], store, data, jobs=jobs)
        total = time.perf_counter() - start
    finally:
        for module, name, fn in originals:
            setattr(module, name, fn)
    written["nodes"], written["edges"] = sum(summary.nodes.values()), sum(summary.edges.values())
    written["mentions"] = store.run("MATCH (:Entity)-[m:MENTIONED_IN]->(:Report) RETURN count(m) AS n")[0]["n"]
    return {"seconds": round(total, 2), "phases": {k: round(v, 2) for k, v in phases.seconds.items()},
            "extracted": summary.extracted, "failed": len(summary.failed), **written,
            "memory": peak_rss_mb(), "cpu_seconds": cpu_seconds()}


def _incremental_phases(R) -> list[tuple]:
    """The steps of an incremental write (graph/refresh._apply_change), and of the index upkeep."""
    from ufgraph.graph.embedded import EmbeddedStore

    steps = [(R, "_apply_change", "incremental write"), (R, "change_of", "incremental: resolve the change"),
             (EmbeddedStore, "apply", "incremental: change the store"), (R, "_sync_index", "index write")]
    return [step for step in steps if hasattr(step[0], step[1])]


def _inner_phases() -> list[tuple]:
    """The steps of resolution and of the embedded store's write, timed inside their phase."""
    from ufgraph.graph import embedded, kuzu_tables, resolve

    steps = [(resolve, "_person_mentions", "resolve: person contexts"),
             (resolve, "_cluster_persons", "resolve: person clusters"),
             (resolve, "_merge_nodes", "resolve: merge nodes"), (resolve, "_person_nodes", "resolve: person nodes"),
             (resolve, "_merge_edges", "resolve: merge edges"),
             (kuzu_tables, "write_table_files", "store: write table files"), (embedded, "_load_database", "store: Kùzu load"),
             (embedded, "_fsync_tree", "store: fsync")]
    return [step for step in steps if hasattr(step[0], step[1])]  # the modules may change under us


def child(args) -> None:
    from ufgraph.graph.embedded import EmbeddedStore

    _volunteer_for_the_oom_killer()
    paths = report_paths(args.corpus, args.n)
    profiler = cProfile.Profile() if args.profile else None
    with EmbeddedStore(Path(args.data) / "store") as store:
        if profiler:
            profiler.enable()
        result = timed_refresh(paths, store, Path(args.data), args.jobs)
        if profiler:
            profiler.disable()
            result["profile"] = summarize_profile(profiler)
    print(json.dumps(result))


class MemoryCapExceeded(RuntimeError):
    """The refresh grew past --max-rss-mb and was stopped, so the machine's other users keep theirs."""


def run_child(corpus: Path, n: int, data: Path, jobs: int, profile: bool = False,
              max_rss_mb: int = MAX_RSS_MB) -> dict:
    args = [sys.executable, str(BENCH / "bench_refresh.py"), "--child", "--corpus", str(corpus), "--n", str(n),
            "--data", str(data), "--jobs", str(jobs)] + (["--profile"] if profile else [])
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child_process = subprocess.Popen(args, stdout=out, stderr=err, text=True)
        peak = _watch(child_process, max_rss_mb)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if peak > max_rss_mb:
        raise MemoryCapExceeded(f"refresh of {n} reports stopped at {peak} MB (cap {max_rss_mb} MB)")
    if child_process.returncode != 0:
        raise RuntimeError(f"refresh of {n} reports failed:\n{stderr[-3000:]}")
    return json.loads(stdout.strip().splitlines()[-1])


def _watch(process: subprocess.Popen, max_rss_mb: int) -> int:
    """Wait for `process`; kill it once its resident memory passes `max_rss_mb`. Return the peak seen."""
    peak = 0
    while process.poll() is None:
        peak = max(peak, rss_mb(process.pid))
        if peak > max_rss_mb:
            process.kill()
            process.wait()
            break
        time.sleep(0.5)
    return peak


def _volunteer_for_the_oom_killer() -> None:
    """Should memory run out, the kernel stops this benchmark rather than someone else's work."""
    try:
        Path("/proc/self/oom_score_adj").write_text("1000")
    except OSError:
        pass


# ---------------------------------------------------------------- the three refreshes

def refresh_figures(corpus: Path, n: int, work: Path, jobs: int, profile: bool = False,
                    max_rss_mb: int = MAX_RSS_MB) -> dict:
    """Full refresh, unchanged refresh, one report changed: each in its own process.

    With `profile`, the one-changed refresh is repeated under cProfile (the change is
    undone in between, so that run extracts one report too); its timings stay apart.
    """
    data = Path(work) / f"data-{n}"
    shutil.rmtree(data, ignore_errors=True)
    runs = {"full": run_child(corpus, n, data, jobs, max_rss_mb=max_rss_mb),
            "unchanged": run_child(corpus, n, data, jobs, max_rss_mb=max_rss_mb)}
    changed_path = report_paths(corpus, n)[n // 2]
    try:
        append_to_report(corpus, changed_path, CHANGE.format(n=n))
        runs["one_changed"] = run_child(corpus, n, data, jobs, max_rss_mb=max_rss_mb)
        append_to_report(corpus, changed_path, CHANGE.format(n=n + 1))
        runs["one_changed_cli"] = cli_refresh(corpus, n, data, jobs)
    finally:
        restore_reports(corpus)
    if profile:
        runs["one_changed_profiled"] = run_child(corpus, n, data, jobs, profile=True, max_rss_mb=max_rss_mb)
    for run in runs.values():
        _add_rates(run)
    return {"reports": n, "jobs": jobs, "data_dir": str(data), **runs}


def cli_refresh(corpus: Path, n: int, data: Path, jobs: int) -> dict:
    """`ufgraph refresh` as a user runs it, timed from outside: interpreter start, imports and all."""
    args = [sys.executable, "-m", "ufgraph", "refresh", *_named_reports(corpus, n),
            "--data-dir", str(data), "--store", "embedded", "--jobs", str(jobs), "--json"]
    # As on a user's machine, Python keeps ufgraph's compiled modules: this machine sets
    # PYTHONDONTWRITEBYTECODE, which made every run compile some 40 modules again (0.14 s).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"ufgraph refresh failed:\n{done.stderr[-3000:]}")
    summary = json.loads(done.stdout)
    return {"seconds": round(seconds, 2), "extracted": summary["extracted"], "changed": len(summary["changed"])}


def _named_reports(corpus: Path, n: int) -> list[str]:
    """The first `n` reports as the command line names them: their folder when they are all it
    holds (50,000 paths are more than a command line takes), else each file."""
    folder = Path(corpus) / "reports"
    if sum(1 for _ in folder.iterdir()) == n:
        return [str(folder)]
    return [str(p) for p in report_paths(corpus, n)]


def change_cycle(corpus: Path, n: int, data: Path, jobs: int, count: int, every: float = 0.0) -> dict:
    """`count` refreshes in a row, each after changing another report, one started every `every`
    seconds (0: back to back)."""
    paths, runs = report_paths(corpus, n), []
    # Untimed: catch up with the corpus as it is (refresh_figures undid its own change), so
    # that each timed refresh sees exactly one changed report.
    cli_refresh(corpus, n, data, jobs)
    try:
        for i in range(count):
            if runs and every:
                time.sleep(max(0.0, every - runs[-1]["seconds"]))
            path = paths[(1 + 137 * i) % n]  # 137 is prime to n here: no report twice
            append_to_report(corpus, path, CHANGE.format(n=n + 2 + i))
            runs.append({**cli_refresh(corpus, n, data, jobs), "log_mb": round(_log_bytes(data) / 2**20, 1)})
    finally:
        restore_reports(corpus)
    seconds = sorted(run["seconds"] for run in runs)
    return {"runs": runs, "every_s": every, "median_s": seconds[len(seconds) // 2] if seconds else None,
            "max_s": seconds[-1] if seconds else None, "over_2_s": sum(s > 2 for s in seconds)}


def _log_bytes(data: Path) -> int:
    from ufgraph.graph.config import embedded_store_dir
    from ufgraph.graph.embedded import EmbeddedStore

    with EmbeddedStore(embedded_store_dir(data)) as store:
        return store.log_bytes()


def _add_rates(run: dict) -> None:
    if "phases" not in run:
        return
    write = run["phases"].get("store write")
    if write:
        run["store_nodes_per_s"] = round(run["nodes"] / write)
        run["store_rels_per_s"] = round((run["edges"] + run["mentions"]) / write)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000, help="reports (default 10000)")
    parser.add_argument("--jobs", type=int, default=multiprocessing.cpu_count(), help="extraction workers")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpus", type=Path, default=REPO / "out" / "bench" / "corpus")
    parser.add_argument("--work", type=Path, default=REPO / "out" / "bench" / "work")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--profile", action="store_true", help="also profile a one-changed refresh")
    parser.add_argument("--cycle", type=int, default=0, help="then change this many reports, one per refresh")
    parser.add_argument("--every", type=float, default=0.0,
                        help="with --cycle: start a refresh every this many seconds (default: back to back)")
    parser.add_argument("--max-rss-mb", type=int, default=MAX_RSS_MB, help="stop a refresh that grows past this")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    ensure_corpus(args.corpus, args.n, args.seed, args.jobs)
    try:
        figures = refresh_figures(args.corpus, args.n, args.work, args.jobs, args.profile, args.max_rss_mb)
        if args.cycle:
            figures["cycle"] = change_cycle(args.corpus, args.n, Path(figures["data_dir"]), args.jobs, args.cycle,
                                            args.every)
    except MemoryCapExceeded as exc:
        parser.exit(1, f"bench_refresh: {exc}\n")
    result = {"machine": machine(), **figures}
    print_result(result)
    write_json(args.json, result)


def print_result(r: dict) -> None:
    print(f"refresh of {r['reports']} reports into the embedded store, {r['jobs']} extraction workers")
    cli = r.get("one_changed_cli")
    if cli:
        print(f"  one changed, `ufgraph refresh` timed from outside: {cli['seconds']} s")
    for label in ("full", "unchanged", "one_changed"):
        run = r[label]
        cpu = run["cpu_seconds"]
        phases = ", ".join(f"{k} {v}" for k, v in run["phases"].items())
        print(f"  {label:12} {run['seconds']:8.2f} s  ({phases}); extracted {run['extracted']}; "
              f"peak {run['memory']['process_mb']} MB (workers {run['memory']['largest_child_mb']} MB); "
              f"CPU {cpu['process']} s + workers {cpu['children']} s")
    if "one_changed_profiled" in r:
        prof = r["one_changed_profiled"]["profile"]
        print("  profile of a one-changed refresh (cumulative %, own %):")
        for f in prof["by_cumulative_time"][:20]:
            print(f"    {f['cumulative_pct']:5.1f} {f['own_pct']:5.1f}  {f['function']}")
    if "cycle" in r:
        c = r["cycle"]
        pace = f"one every {c['every_s']:g} s" if c.get("every_s") else "in a row"
        print(f"  {len(c['runs'])} changes {pace}, `ufgraph refresh` timed from outside: median {c['median_s']} s, "
              f"max {c['max_s']} s, {c['over_2_s']} over 2 s; seconds (log of changes, MB, after):")
        print("    " + ", ".join(f"{run['seconds']} ({run['log_mb']})" for run in c["runs"]))
    full = r["full"]
    print(f"  graph: {full['nodes']} nodes, {full['edges']} edges + {full['mentions']} MENTIONED_IN; "
          f"store write {full.get('store_nodes_per_s')} nodes/s, {full.get('store_rels_per_s')} relationships/s")


if __name__ == "__main__":
    main()
