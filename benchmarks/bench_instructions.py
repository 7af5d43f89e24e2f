"""Extraction cost in machine instructions (valgrind's callgrind), which other load on the
machine cannot change: the yardstick for comparing two versions of the extractor here, where
the speed of the 2 shared cores drifts twofold within minutes.

    python benchmarks/bench_instructions.py [--n 100] [--base REF] [--corpus DIR] [--json FILE]

Reads and extracts the first --n corpus reports (benchmarks/corpus.py, seed 7) in a fresh
interpreter under `valgrind --tool=callgrind`, and once more with no report; the difference is
what the reports cost, given per report and per KB of cleaned text. Counted twice: reading and
extracting alone (what bench_extract.py times), and the task a refresh worker runs per report
(graph/refresh._work: read, extract, and write the document to the extraction cache). With
--base REF the same is measured for that commit's code (`git archive` into a temporary folder,
imported through PYTHONPATH) and the change is given in per cent. PYTHONHASHSEED is fixed, so a
second run of the same code counts the same instructions; but the same code counted from two
places (the working tree against `--base HEAD`) differed by 0.3 % (paths of other lengths), so
a smaller change reads as none. Instructions are not seconds (cache misses and
branch mispredictions do not show), but for the interpreter's work they move together.
Needs valgrind (Debian package `valgrind`); about 1 minute per 100 reports per version.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_common import REPO, SAMPLE, ensure_corpus, machine, package_at, report_paths, write_json

from ufgraph.loaders.read import read_report

# The sample is extracted first in both runs, so imports and lexicons cancel out of the difference.
_CHILDREN = {
    "read_extract": ("import sys\n"
                     "from ufgraph.loaders.pipeline import extract_source\n"
                     "from ufgraph.loaders.read import read_report\n"
                     "for path in sys.argv[1:]:\n"
                     "    extract_source(read_report(path))\n"),
    "refresh_task": ("import sys, tempfile\n"
                     "from ufgraph.graph.refresh import _work\n"
                     "cache = tempfile.mkdtemp()\n"
                     "for path in sys.argv[1:]:\n"
                     "    _work((path, cache, True))\n"),
}
_COLLECTED = re.compile(r"Collected : (\d+)")


def instructions(child: str, paths: list[Path], pythonpath: str | None) -> int:
    """Instructions a fresh interpreter executes to run `child` on the sample, then on `paths`."""
    # No .pyc written: the two runs of a version must find the same compiled files (a first
    # run that compiled a fresh `git archive` would count the compiling against the reports).
    env = {"PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin:/bin"}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           sys.executable, "-c", child, str(SAMPLE), *map(str, paths)],
                          capture_output=True, text=True, env=env, check=True)
    return int(_COLLECTED.search(done.stderr).group(1))


def cost(paths: list[Path], size: int, pythonpath: str | None) -> dict:
    out = {}
    for name, child in _CHILDREN.items():
        spent = instructions(child, paths, pythonpath) - instructions(child, [], pythonpath)
        out[name] = {"instructions": spent, "per_report": round(spent / len(paths)),
                     "per_kb": round(spent / (size / 1000))}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="reports (default 100)")
    parser.add_argument("--base", help="a git commit or branch to compare with")
    parser.add_argument("--corpus", type=Path, default=REPO / "out" / "bench" / "corpus")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        sys.exit("bench_instructions: valgrind is not installed (Debian: apt-get install valgrind)")
    paths = report_paths(ensure_corpus(args.corpus, args.n, 7, 2), args.n)
    size = sum(len(read_report(p).text.encode("utf-8")) for p in paths)
    result = {"machine": machine(), "reports": len(paths), "kilobytes": round(size / 1000),
              "current": cost(paths, size, None)}
    if args.base:
        with tempfile.TemporaryDirectory() as tmp:
            result["base"] = {"ref": args.base, **cost(paths, size, str(package_at(args.base, Path(tmp)).parent))}
        result["change_percent"] = {name: round(100 * (result["current"][name]["instructions"]
                                                       / result["base"][name]["instructions"] - 1), 2)
                                    for name in _CHILDREN}
    print_result(result)
    write_json(args.json, result)
    return 0


def print_result(r: dict) -> None:
    print(f"{r['reports']} reports, {r['kilobytes']} KB; instructions (callgrind):")
    for name in _CHILDREN:
        print(f"  {name.replace('_', ' ')}:")
        for label in ("current", "base"):
            if label in r:
                who = "working tree" if label == "current" else f"base {r['base']['ref']}"
                print(f"    {who:22} {r[label][name]['per_report']:>13,} per report {r[label][name]['per_kb']:>12,} per KB")
        if "change_percent" in r:
            print(f"    change: {r['change_percent'][name]:+.2f} %")


if __name__ == "__main__":
    sys.exit(main())
