"""How long a network view takes: writing the page in Python, and drawing it
in headless Chromium until it stands still.

    python benchmarks/bench_view.py [SIZE ...]

Synthetic liaison networks (graph/view_synthetic.py, fixed seed) of 500,
2,000 and 5,000 nodes by default. "generate" is build_view + render_html;
"still" is the time from navigation until the page reports that its layout
has stopped and the network is drawn (window.ufgraph.stableAt, measured
from the navigation start); "wall" is the same seen from Python.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from ufgraph.graph.view import build_view, render_html
from ufgraph.graph.view_synthetic import synthetic_document

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SIZES = (500, 2000, 5000)
SEED = 7


def generate(size: int, folder: Path) -> tuple[Path, float, int, int]:
    """Write the page of a synthetic network; return its path, seconds taken, nodes and edges."""
    doc = synthetic_document(size, seed=SEED)
    start = time.perf_counter()
    view = build_view(doc, max_nodes=size)
    path = render_html(view, folder / f"view_{size}.html")
    return path, time.perf_counter() - start, view.node_count, view.edge_count


def draw(browser, path: Path) -> tuple[float, float]:
    """Seconds until the page is drawn and still: as the page measures it, and as Python sees it."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function("window.ufgraph && window.ufgraph.stable === true", timeout=300_000)
    wall = time.perf_counter() - start
    still = page.evaluate("ufgraph.stableAt") / 1000
    page.close()
    return still, wall


def main(sizes: list[int]) -> None:
    from playwright.sync_api import sync_playwright

    print(f"{'nodes':>6} {'edges':>6} {'page MB':>8} {'generate s':>11} {'still s':>8} {'wall s':>7}")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in sizes:
            path, seconds, nodes, edges = generate(size, Path(tmp))
            still, wall = draw(browser, path)
            megabytes = path.stat().st_size / 1e6
            print(f"{nodes:>6} {edges:>6} {megabytes:>8.1f} {seconds:>11.2f} {still:>8.2f} {wall:>7.2f}")
        browser.close()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or list(SIZES))
