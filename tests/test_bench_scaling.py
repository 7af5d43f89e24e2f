"""The scaling benchmark (benchmarks/bench_scaling.py) on a corpus of a few reports: its
columns are phases a refresh really times, and resolution timed on its own resolves the
graph the refresh wrote. (Its columns once named phases that had moved into a child
process, and showed 0.00 s for them at every size.)"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

from bench_scaling import PHASES  # noqa: E402


def test_each_column_of_the_scaling_table_is_a_phase_the_refresh_timed(tmp_path):
    out = tmp_path / "scaling.json"
    subprocess.run([sys.executable, str(BENCH / "bench_scaling.py"), "--sizes", "6", "12", "--jobs", "1",
                    "--corpus", str(tmp_path / "corpus"), "--work", str(tmp_path / "work"), "--json", str(out)],
                   check=True, capture_output=True, text=True, timeout=600)
    result = json.loads(out.read_text("utf-8"))
    assert result["sizes"] == [6, 12] and not result["stopped"]
    for kind, phases in PHASES.items():
        for size, run in result["runs"].items():
            missing = set(phases) - {"seconds"} - set(run[kind]["phases"])
            assert not missing, f"{kind} refresh of {size} reports did not time {missing}"
        for row in result[kind]:
            assert row["peak_mb"] == max(result["runs"][str(row["reports"])][kind]["memory"].values())
    for size, alone in result["resolution"].items():
        full = result["runs"][size]["full"]
        assert alone["reports"] == int(size)
        assert (alone["nodes"], alone["edges"]) == (full["nodes"], full["edges"])
        assert set(alone["steps"]) == {"resolve: person contexts", "resolve: person clusters", "resolve: merge nodes",
                                       "resolve: person nodes", "resolve: merge edges"}
