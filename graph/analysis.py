"""Network analysis of the liaison network: brokers, most connected bodies and
people, communities, interlocking posts. Plain functions over a networkx
graph (graph/network.py builds it from a document), plus `analyze`, which
runs them all for `ufgraph analyze`.

The metrics read the network of ties: every entity and relationship except
places and LOCATED_IN (a province would otherwise be the biggest "broker" of
all, though it only says where things are) and reports (left out by
to_networkx). Links count once per pair of nodes, whatever their types or
direction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .model import SCORES, GraphDocument
from .network import to_networkx
from .ontology import load_ontology

SEED = 7  # communities are seeded so that the same graph gives the same numbering
LEFT_OUT_TYPES = frozenset({"Place"})


def tie_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph of ties: places left out, parallel links merged.

    Example:

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("p", type="Person"); g.add_node("c", type="Chamber"); g.add_node("x", type="Place")
    >>> g.add_edge("p", "c", key="HOLDS_POST"); g.add_edge("p", "c", key="LIAISES_WITH")
    'HOLDS_POST'
    'LIAISES_WITH'
    >>> g.add_edge("c", "x", key="LOCATED_IN")
    'LOCATED_IN'
    >>> sorted(tie_graph(g).edges())
    [('c', 'p')]
    """
    kept = [n for n, data in graph.nodes(data=True) if data.get("type") not in LEFT_OUT_TYPES]
    ties = nx.Graph()
    ties.add_nodes_from((n, graph.nodes[n]) for n in sorted(kept))
    # Sorted, so that the communities do not depend on the order the document lists its edges.
    ties.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in graph.subgraph(kept).edges() if u != v}))
    return ties


def degrees(ties: nx.Graph) -> dict[str, int]:
    """How many distinct nodes each node is tied to.

    Example:

    >>> degrees(nx.Graph([("a", "b"), ("a", "c")]))
    {'a': 2, 'b': 1, 'c': 1}
    """
    return {n: ties.degree(n) for n in ties}


def betweenness(ties: nx.Graph) -> dict[str, float]:
    """Normalised betweenness centrality (networkx's definition): the share of shortest
    paths between other nodes that pass through each node. A broker scores high.

    Computed exactly by igraph's C code, which gives networkx's numbers about ten times
    faster (tests/test_analyze.py checks them against networkx).

    Example:

    >>> betweenness(nx.Graph([("a", "b"), ("b", "c")]))
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    import igraph

    nodes = list(ties)
    if len(nodes) < 3:
        return {n: 0.0 for n in nodes}
    index = {n: i for i, n in enumerate(nodes)}
    graph = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in ties.edges()])
    scale = 2.0 / ((len(nodes) - 1) * (len(nodes) - 2))  # networkx's normalisation, undirected
    return {n: raw * scale for n, raw in zip(nodes, graph.betweenness(directed=False))}


def communities(ties: nx.Graph, seed: int = SEED) -> dict[str, int]:
    """Louvain communities (seeded, so repeatable), numbered from 0 by size, largest first
    (ties broken by the smallest node id in each).

    Example:

    >>> communities(nx.Graph([("a", "b"), ("c", "d"), ("d", "e")]))
    {'c': 0, 'd': 0, 'e': 0, 'a': 1, 'b': 1}
    """
    groups = nx.community.louvain_communities(ties, seed=seed)
    ordered = sorted(groups, key=lambda group: (-len(group), min(group)))
    return {n: number for number, group in enumerate(ordered) for n in sorted(group)}


def interlocking_posts(graph: nx.MultiDiGraph, min_orgs: int = 2) -> list[dict[str, Any]]:
    """People holding posts in at least `min_orgs` organisations, most posts first.

    Example:

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("p", type="Person", name="甲"); g.add_node("a", type="Chamber", name="乙商会")
    >>> g.add_node("b", type="Federation", name="丙工商联")
    >>> g.add_edge("p", "a", key="HOLDS_POST", props={"title": "会长"})
    'HOLDS_POST'
    >>> g.add_edge("p", "b", key="HOLDS_POST", props={})
    'HOLDS_POST'
    >>> interlocking_posts(g)
    [{'id': 'p', 'name': '甲', 'organisations': 2, 'posts': ['丙工商联', '乙商会（会长）']}]
    """
    orgs = load_ontology().organisation_types
    posts: dict[str, set[str]] = {}
    held: dict[str, set[str]] = {}
    for person, org, key, data in graph.edges(keys=True, data=True):
        if key != "HOLDS_POST" or graph.nodes[person].get("type") != "Person" \
                or graph.nodes[org].get("type") not in orgs:
            continue
        name, title = graph.nodes[org].get("name", org), (data.get("props") or {}).get("title")
        posts.setdefault(person, set()).add(f"{name}（{title}）" if title else name)
        held.setdefault(person, set()).add(org)
    rows = [{"id": p, "name": graph.nodes[p].get("name", p), "organisations": len(held[p]),
             "posts": sorted(posts[p])} for p in held if len(held[p]) >= min_orgs]
    return sorted(rows, key=lambda r: (-r["organisations"], r["name"], r["id"]))


# ---------------------------------------------------------------- the whole analysis

@dataclass
class Analysis:
    """Scores by node id (what --write stores) and the ranked tables printed."""

    scores: dict[str, dict[str, Any]]
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)  # node properties stored by --write

    def to_dict(self) -> dict:
        """The ranked tables and what was written (not every node's scores: there may be thousands)."""
        return {**self.tables, "written": list(self.written)}


def analyze(doc: GraphDocument, top: int = 10, seed: int = SEED) -> Analysis:
    """All the metrics of `doc`'s tie network, and the top `top` of each ranking."""
    graph = to_networkx(doc)
    ties = tie_graph(graph)
    scores = {"degree": degrees(ties), "betweenness": betweenness(ties), "community": communities(ties, seed)}
    return Analysis(scores, _tables(graph, ties, scores, top))


def _tables(graph: nx.MultiDiGraph, ties: nx.Graph, scores: dict, top: int) -> dict[str, list[dict]]:
    orgs = load_ontology().organisation_types

    def ranked(score: str, keep) -> list[dict]:
        nodes = [n for n in ties if keep(ties.nodes[n].get("type"))]
        nodes.sort(key=lambda n: (-scores[score][n], ties.nodes[n].get("name", ""), n))
        return [_row(ties, n, score, scores[score][n]) for n in nodes[:top]]

    return {
        "brokers": ranked("betweenness", lambda t: True),
        "connected_bodies": ranked("degree", lambda t: t in orgs),
        "connected_people": ranked("degree", lambda t: t == "Person"),
        "communities": _community_table(ties, scores, top),
        "interlocks": interlocking_posts(graph)[:top],
    }


def _row(ties: nx.Graph, node: str, score: str, value: Any) -> dict:
    data = ties.nodes[node]
    return {"id": node, "name": data.get("name", node), "type": data.get("type"), score: value}


def _community_table(ties: nx.Graph, scores: dict, top: int) -> list[dict]:
    members: dict[int, list[str]] = {}
    for node, number in scores["community"].items():
        members.setdefault(number, []).append(node)
    rows = []
    for number in sorted(members)[:top]:
        central = sorted(members[number], key=lambda n: (-scores["degree"][n], ties.nodes[n].get("name", ""), n))
        rows.append({"community": number, "size": len(members[number]),
                     "central": [ties.nodes[n].get("name", n) for n in central[:5]]})
    return rows


def write_scores(store, analysis: Analysis) -> list[str]:
    """Store degree, betweenness and community as node properties; return what was written."""
    for prop in SCORES:
        store.set_node_properties(prop, analysis.scores[prop])
    return list(SCORES)


def format_analysis(analysis: Analysis) -> str:
    """The ranked tables as text."""
    sections = [
        ("Brokers (betweenness: share of shortest paths passing through)", "brokers", "betweenness"),
        ("Most connected bodies (distinct ties)", "connected_bodies", "degree"),
        ("Most connected people (distinct ties)", "connected_people", "degree"),
    ]
    out = []
    for title, key, score in sections:
        out.append(title)
        out += [f"  {i:>3}. {_score(r[score]):>8}  {r['name']}  [{r['type']}]"
                for i, r in enumerate(analysis.tables[key], 1)] or ["  (none)"]
    out.append("Communities (Louvain; largest first)")
    out += [f"  {r['community']:>3}. {r['size']:>5} nodes  {'、'.join(r['central'])}"
            for r in analysis.tables["communities"]] or ["  (none)"]
    out.append("Interlocking posts (people with posts in two or more organisations)")
    out += [f"  {r['organisations']:>3} posts  {r['name']}: {'；'.join(r['posts'])}"
            for r in analysis.tables["interlocks"]] or ["  (none)"]
    if analysis.written:
        out.append(f"Stored on the nodes: {', '.join(analysis.written)}")
    return "\n".join(out)


def _score(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def analyze_store(store, top: int = 10, write: bool = False) -> Analysis:
    """Analyse the graph a store holds; with `write`, store the scores on its nodes."""
    analysis = analyze(store.read(), top=top)
    if write:
        analysis.written = write_scores(store, analysis)
    return analysis
