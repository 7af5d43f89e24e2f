"""Node positions computed in Python, so the browser can draw a large graph at once.

vis-network's own physics needs minutes for thousands of nodes; igraph's
Fruchterman-Reingold with its grid approximation lays out 5,000 nodes in
well under a second. The result is scaled so that a typical edge is about
EDGE_PIXELS long on screen and each node has room around it.
"""
from __future__ import annotations

import math
import random
from statistics import median

import igraph
import networkx as nx

EDGE_PIXELS = 110.0
NODE_AREA = 70.0 ** 2
SEED = 20240601


def layout_positions(graph: nx.MultiDiGraph, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Pixel positions {node id: (x, y)} for every node of `graph`; the same graph gives the same layout.

    Example:

    >>> pos = layout_positions(nx.MultiDiGraph([("a", "b"), ("b", "c")]))
    >>> sorted(pos)
    ['a', 'b', 'c']
    """
    nodes = list(graph)
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    pairs = {tuple(sorted((index[u], index[v]))) for u, v in graph.edges() if u != v}
    simple = igraph.Graph(n=len(nodes), edges=sorted(pairs))
    rng = random.Random(seed)
    # A seeded start and a seeded generator keep pages the same for the same graph.
    # The start square grows with the graph as igraph's own does: its grid
    # approximation is only fast when the nodes spread over many grid cells.
    side = math.sqrt(len(nodes))
    start = [[rng.uniform(-side, side), rng.uniform(-side, side)] for _ in nodes]
    coords = _seeded(rng, lambda: simple.layout_fruchterman_reingold(seed=start, niter=500, grid="auto")).coords
    scale = _scale(coords, sorted(pairs))
    return {n: (round(x * scale, 1), round(y * scale, 1)) for n, (x, y) in zip(nodes, coords)}


def _seeded(rng: random.Random, run):
    """Run igraph with `rng` as its random source (FR jiggles nodes), then give it back Python's."""
    igraph.set_random_number_generator(rng)
    try:
        return run()
    finally:
        igraph.set_random_number_generator(random)


def _scale(coords: list[list[float]], pairs: list[tuple[int, int]]) -> float:
    """Pixels per layout unit: a typical edge EDGE_PIXELS long, and at least
    NODE_AREA square pixels per node, so a dense core of a large graph does not pile up."""
    lengths = [math.dist(coords[a], coords[b]) for a, b in pairs]
    typical = median(lengths) if lengths else 0.0
    by_edges = EDGE_PIXELS / typical if typical > 0 else EDGE_PIXELS
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    area = (max(xs) - min(xs)) * (max(ys) - min(ys))
    by_area = math.sqrt(len(coords) * NODE_AREA / area) if area > 0 else by_edges
    return max(by_edges, by_area)
