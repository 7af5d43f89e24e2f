"""A graph document as sets, so that two stores (which return rows in different orders) and
a document compare equal when they hold the same graph. Shared by the store tests."""
from __future__ import annotations

from dataclasses import asdict

from ufgraph.graph.model import GraphDocument


def as_sets(doc: GraphDocument, node_props: bool = True):
    """(reports, nodes, edges) as sets of tuples; evidence lists sorted. `node_props=False`
    leaves the nodes' props out (scores a store computes itself)."""
    def evidence(items):
        return tuple(sorted(tuple(e) for e in items))
    reports = {tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in asdict(r).items())
               for r in doc.reports}
    nodes = {(n.id, n.type, n.name, tuple(n.aliases), evidence(n.evidence),
              _props(n.props) if node_props else ()) for n in doc.nodes}
    edges = {(e.key, _props(e.props), evidence(e.evidence), e.origin) for e in doc.edges}
    return reports, nodes, edges


def _props(props: dict) -> tuple:
    """Sorted (key, value) pairs, lists as tuples; numbers compare by value (a store may give 3.0
    for 3)."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in props.items()))
