"""`ufgraph stats`: what the graph holds, counted.

    stats = graph_stats(store.read())
    print(format_stats(stats))
"""
from __future__ import annotations

from collections import Counter

from .model import GraphDocument
from .ontology import load_ontology

MENTIONED_IN = "MENTIONED_IN"


def graph_stats(doc: GraphDocument) -> dict:
    """Counts by node and relationship type (in ontology order), reports and their date range.

    `mentions` counts (node, report) pairs: the MENTIONED_IN relationships a store holds.

    Example:

    >>> from ufgraph.graph.model import Edge, GraphDocument, Node, Report
    >>> doc = GraphDocument([Report("r1", date="2021-05-01")], [Node("p", "Person", "林某"), Node("c", "Chamber", "某商会")],
    ...                     [Edge("p", "c", "HOLDS_POST", {"title": "会长"})])
    >>> s = graph_stats(doc)
    >>> s["nodes_by_type"], s["edges_by_type"], s["first_date"]
    ({'Chamber': 1, 'Person': 1}, {'HOLDS_POST': 1}, '2021-05-01')
    """
    onto = load_ontology()
    nodes = Counter(n.type for n in doc.nodes)
    edges = Counter(e.type for e in doc.edges if e.type != MENTIONED_IN)
    dates = sorted(r.date for r in doc.reports if r.date)
    mentions = {(n.id, e.report) for n in doc.nodes for e in n.evidence if e.report}
    return {
        "nodes": sum(nodes.values()), "edges": sum(edges.values()),
        "nodes_by_type": {t: nodes[t] for t in onto.node_types if nodes[t]},
        "edges_by_type": {r: edges[r] for r in onto.rel_types if edges[r]},
        "mentions": len(mentions), "reports": len(doc.reports), "undated_reports": len(doc.reports) - len(dates),
        "first_date": dates[0] if dates else None, "last_date": dates[-1] if dates else None,
        "from_gazetteer": sum(1 for e in doc.edges if e.origin != "report"),
    }


def format_stats(stats: dict, source: str = "") -> str:
    """The counts as a few aligned lines of text."""
    lines = [f"ufgraph stats{f': {source}' if source else ''}"]
    span = (f"{stats['first_date']} to {stats['last_date']}" if stats["first_date"] else "no dates")
    undated = f", {stats['undated_reports']} undated" if stats["undated_reports"] else ""
    lines.append(f"  reports: {stats['reports']} ({span}{undated})")
    lines.append(f"  nodes: {stats['nodes']}")
    lines += [f"    {t:<16} {n:>7}" for t, n in stats["nodes_by_type"].items()]
    lines.append(f"  relationships: {stats['edges']} (+ {stats['mentions']} MENTIONED_IN)")
    lines += [f"    {r:<16} {n:>7}" for r, n in stats["edges_by_type"].items()]
    if stats["from_gazetteer"]:
        lines.append(f"  of which from the gazetteer, not a report: {stats['from_gazetteer']}")
    return "\n".join(lines)
