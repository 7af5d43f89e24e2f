"""What the benchmarks share: the machine's description, the synthetic corpus
on disk, phase timers and peak memory.

A benchmark is a script under benchmarks/ that prints its figures and, with
--json FILE, writes them for benchmarks/bench.py to collect. Nothing here is
a test: figures depend on the machine and its load.
"""
from __future__ import annotations

import cProfile
import functools
import json
import os
import platform
import pstats
import resource
import subprocess
import sys
import tarfile
import time
from collections import defaultdict
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import Callable, Iterator

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402

SAMPLE = REPO / "data" / "samples" / "zhangshu_chambers.txt"  # one report the benchmarks warm up on


def package_at(ref: str, folder: Path) -> Path:
    """`ref`'s committed package (git archive) as folder/ufgraph, for PYTHONPATH=folder: it comes
    before the editable install, so a child process imports that code."""
    package = folder / "ufgraph"
    package.mkdir(parents=True)
    tar = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", ref],
                         capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(tar)) as archive:
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # Python >= 3.11.4
        archive.extractall(package, **safe)
    return package


def machine() -> dict:
    """nproc, CPU model, RAM, Python version and load: the line every figure is read against."""
    return {"nproc": os.cpu_count(), "cpu": _cpu_model(), "ram_gb": round(_ram_bytes() / 2**30, 1),
            "python": platform.python_version(), "system": f"{platform.system()} {platform.release()}",
            "load_average": [round(x, 2) for x in os.getloadavg()], "speed_probe_ms": speed_probe(),
            "commit": _commit()}


def speed_probe(repeats: int = 7) -> float:
    """Milliseconds the machine takes for one fixed piece of Python work (counting the character
    pairs of a fixed text), the median of `repeats`. The same work on every run of every
    benchmark: the machine's speed here drifts twofold within minutes, so figures are read
    against the probe taken beside them (a probe 30 % higher: the machine was 30 % slower)."""
    text = _probe_text()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        counts: dict[str, int] = {}
        for i in range(len(text) - 1):
            pair = text[i:i + 2]
            counts[pair] = counts.get(pair, 0) + 1
        times.append(time.perf_counter() - start)
    return round(1000 * sorted(times)[len(times) // 2], 1)


@functools.cache
def _probe_text() -> str:
    return "".join(chr(0x4E00 + i * 7919 % 20000) for i in range(100_000))  # fixed CJK text


def _commit() -> str:
    """The commit measured: bench.py's snapshot, else HEAD with "+changes" when graph/ or
    loaders/ of the working tree differ from it."""
    if os.environ.get("UFGRAPH_BENCH_COMMIT"):
        return os.environ["UFGRAPH_BENCH_COMMIT"] + " (snapshot)"
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "graph", "loaders"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_bytes() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def ensure_corpus(folder: Path, n: int, seed: int, jobs: int) -> Path:
    """A corpus of at least `n` reports of `seed` in `folder`, written unless already there.

    Report i depends only on (seed, i), so a larger corpus serves every smaller size:
    its first n reports are the n-report corpus.
    """
    folder = Path(folder)
    if restore_reports(folder):  # a benchmark was killed before it could undo its changes
        print(f"corpus: restored the reports a killed benchmark had changed in {folder}", file=sys.stderr)
    stamp = folder / "corpus.json"
    if stamp.is_file():
        made = json.loads(stamp.read_text("utf-8"))
        if made.get("seed") == seed and made.get("n", 0) >= n:
            return folder
        start = made.get("n", 0) if made.get("seed") == seed else 0
    else:
        start = 0
    started = time.perf_counter()
    corpus.write_corpus(folder, n - start, seed, start=start, jobs=jobs)
    stamp.write_text(json.dumps({"n": n, "seed": seed}), encoding="utf-8")
    print(f"corpus: wrote reports {start}..{n - 1} to {folder} in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    return folder


CHANGED = "changed.json"  # in a corpus folder: report path → its size before a benchmark appended to it


def append_to_report(corpus: Path, path: Path, text: str) -> None:
    """`text` appended to a corpus report, in place of what a benchmark appended before. The
    report's size is noted first, so restore_reports undoes it even after a run killed half-way."""
    ledger = Path(corpus) / CHANGED
    sizes = json.loads(ledger.read_text("utf-8")) if ledger.is_file() else {}
    if str(path) not in sizes:
        sizes[str(path)] = path.stat().st_size
        ledger.write_text(json.dumps(sizes), encoding="utf-8")
    with open(path, "r+b") as report:
        report.truncate(sizes[str(path)])
        report.seek(0, os.SEEK_END)
        report.write(text.encode("utf-8"))


def restore_reports(corpus: Path) -> int:
    """Cut what benchmarks appended off the corpus reports; how many were changed."""
    ledger = Path(corpus) / CHANGED
    if not ledger.is_file():
        return 0
    sizes = json.loads(ledger.read_text("utf-8"))
    for path, size in sizes.items():
        os.truncate(path, size)
    ledger.unlink()
    return len(sizes)


def report_paths(folder: Path, n: int) -> list[Path]:
    """The first `n` reports of a corpus folder."""
    return [Path(folder) / "reports" / f"{i:06d}.txt" for i in range(n)]


class Phases:
    """Seconds spent in named phases, gathered by wrapping the functions that do them."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    def wrap(self, name: str, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            with self.timing(name):
                return fn(*args, **kwargs)
        return timed

    @contextmanager
    def timing(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def rss_mb(pid: int) -> int:
    """Resident memory of a process now, in MB (0 once it has ended)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError):
        pass
    return 0


def peak_rss_mb() -> dict:
    """Peak resident memory of this process and of its largest child (workers), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"process_mb": round(own), "largest_child_mb": round(children)}


def write_json(path: Path | None, data: dict) -> None:
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def cpu_seconds() -> dict:
    """CPU seconds (user + system) of this process and of its finished children so far."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"process": round(own.ru_utime + own.ru_stime, 2), "children": round(kids.ru_utime + kids.ru_stime, 2)}


def summarize_profile(profiler: cProfile.Profile, top: int = 25) -> dict:
    """Own time by module, and the functions with the most cumulative and own time, in %."""
    stats = pstats.Stats(profiler).stats
    total = sum(s[2] for s in stats.values()) or 1.0
    by_module: dict[str, float] = defaultdict(float)
    for (file, _, _), s in stats.items():
        by_module[_module(file)] += s[2]

    def rows(key: int) -> list[dict]:
        ranked = sorted(stats.items(), key=lambda kv: -kv[1][key])[:top]
        return [{"function": f"{_module(f)}:{line}({name})", "own_pct": round(100 * s[2] / total, 1),
                 "cumulative_pct": round(100 * s[3] / total, 1), "calls": s[1]} for (f, line, name), s in ranked]

    return {"seconds": round(total, 2),
            "by_module": {m: round(100 * t / total, 1) for m, t in sorted(by_module.items(), key=lambda kv: -kv[1])[:12]},
            "by_own_time": rows(2), "by_cumulative_time": rows(3)}


def _module(file: str) -> str:
    import ufgraph

    path = Path(file)
    package = Path(ufgraph.__file__).resolve().parent  # the working tree, or bench.py's snapshot of it
    for root in (package, REPO):
        if root in path.parents and ".venv" not in path.parts:
            return str(path.relative_to(root))
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1]
    return "builtins" if file == "~" else path.name
