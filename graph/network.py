"""A graph document as a networkx graph, for views and analysis.

Plain functions over the records of graph/model.py. Node attributes:
`type`, `name`, `aliases`, `reports` (ids), `evidence` (Evidence records),
`props`, and each analysis score found in the props (`degree`,
`betweenness`, `community`) lifted to a top-level attribute so that
`nx.get_node_attributes(G, "betweenness")` works. Edge attributes: `type`,
`props`, `evidence`, `reports`, `dates` (report dates, sorted) and `origin`.
Edges are keyed by their type, so one pair of nodes holds at most one edge
of each type.
"""
from __future__ import annotations

import networkx as nx

from .model import SCORES, Edge, GraphDocument, Node

MENTIONED_IN = "MENTIONED_IN"


def to_networkx(doc: GraphDocument, include_reports: bool = False) -> nx.MultiDiGraph:
    """Return the entities and relationships of `doc` as a MultiDiGraph keyed by node id.

    MENTIONED_IN edges and Report nodes are left out unless `include_reports`
    is true: every node already lists its reports, and the extra hub nodes
    would distort degree and betweenness.

    Example:

    >>> from ufgraph.graph.model import GraphDocument, Node, Edge
    >>> doc = GraphDocument(nodes=[Node("p1", "Person", "林某"), Node("c1", "Chamber", "某商会")],
    ...                     edges=[Edge("p1", "c1", "HOLDS_POST", {"title": "会长"})])
    >>> G = to_networkx(doc)
    >>> G.nodes["p1"]["type"], G.edges["p1", "c1", "HOLDS_POST"]["props"]["title"]
    ('Person', '会长')
    """
    graph = nx.MultiDiGraph()
    report_dates = {r.id: r.date for r in doc.reports}
    for node in doc.nodes:
        graph.add_node(node.id, **node_attributes(node))
    if include_reports:
        for report in doc.reports:
            graph.add_node(report.id, type="Report", name=report.title or report.id, aliases=[],
                           reports=[report.id], evidence=[], props={"date": report.date})
    for edge in doc.edges:
        if edge.type == MENTIONED_IN and not include_reports:
            continue
        _add_edge(graph, edge, report_dates)
    return graph


def node_attributes(node: Node) -> dict:
    """The networkx attributes of one node, scores lifted out of its props."""
    attrs = {"type": node.type, "name": node.name, "aliases": list(node.aliases),
             "reports": node.reports, "evidence": list(node.evidence), "props": dict(node.props)}
    attrs.update({k: node.props[k] for k in SCORES if k in node.props})
    return attrs


def edge_dates(edge: Edge, report_dates: dict[str, str]) -> list[str]:
    """The dates of the reports that state `edge`: the evidence's own date, else its report's."""
    dates = {e.date or report_dates.get(e.report, "") for e in edge.evidence}
    return sorted(d for d in dates if d)


def _add_edge(graph: nx.MultiDiGraph, edge: Edge, report_dates: dict[str, str]) -> None:
    # A document should hold each (source, type, target) once; if it does not,
    # the provenance of both copies is kept rather than the last one winning.
    if graph.has_edge(edge.source, edge.target, key=edge.type):
        attrs = graph.edges[edge.source, edge.target, edge.type]
        attrs["evidence"] = attrs["evidence"] + list(edge.evidence)
        attrs["props"] = {**edge.props, **attrs["props"]}
        attrs["reports"] = sorted({e.report for e in attrs["evidence"]})
        attrs["dates"] = sorted(set(attrs["dates"]) | set(edge_dates(edge, report_dates)))
        return
    graph.add_edge(edge.source, edge.target, key=edge.type, type=edge.type, props=dict(edge.props),
                   evidence=list(edge.evidence), reports=edge.reports,
                   dates=edge_dates(edge, report_dates), origin=edge.origin)


def importance(graph: nx.MultiDiGraph) -> dict[str, float]:
    """How much each node matters for drawing: the betweenness that `ufgraph analyze`
    wrote, else its degree score, else the degree in `graph`.

    One measure for all nodes, so scores and raw degrees are never compared; a
    node the analysis has not seen yet scores 0.

    Example:

    >>> importance(nx.MultiDiGraph([("a", "b"), ("a", "c")]))
    {'a': 2.0, 'b': 1.0, 'c': 1.0}
    """
    for score in ("betweenness", "degree"):
        found = {n: float(v) for n, v in graph.nodes(data=score)
                 if isinstance(v, (int, float)) and not isinstance(v, bool)}
        if found:
            return {n: found.get(n, 0.0) for n in graph}
    return {n: float(d) for n, d in graph.degree()}
