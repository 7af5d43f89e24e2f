"""Example parameters for every query module, picked from a graph so that
each module has something to answer: the busiest person, the federation with
the most chambers, and so on. The parity tests and the benchmark use them;
they are also a quick way to try the modules on a new graph.
"""
from __future__ import annotations

from collections import Counter

import networkx as nx

from ..graph.model import Edge, GraphDocument, Node
from ..graph.network import to_networkx


def example_params(doc: GraphDocument) -> dict[str, dict]:
    """Parameters for each module that hit real data in `doc` (a module whose kind of data
    `doc` lacks gets none and is left out)."""
    nodes = {n.id: n for n in doc.nodes}
    out: dict[str, dict] = {"interlocks": {"min": 2}, "liaisons": {}}
    person = _busiest(doc, nodes, "HOLDS_POST", source_type="Person")
    org = _busiest(doc, nodes, "HOLDS_POST", by="target")
    # Fallbacks keep every module timed on graphs without that kind of link (a benchmark's need).
    federation = _busiest(doc, nodes, "AFFILIATED_WITH", by="target", source_type="Chamber") \
        or _busiest(doc, nodes, "HOLDS_POST", by="target", target_type="Federation")
    programme = _busiest(doc, nodes, ("RUNS", "PARTICIPATES_IN"), by="target")
    place = _busiest(doc, nodes, "LOCATED_IN", by="target", source_type="Place") \
        or _busiest(doc, nodes, "LOCATED_IN", by="target")
    if person:
        out.update(profile={"name": person.name}, timeline={"name": person.name},
                   ego={"name": person.name, "depth": 2})
        out["search"] = {"text": person.name[:1]}
    if org:
        out["people-of"] = {"org": org.name}
    if federation:
        out["chambers-of"] = {"federation": federation.name}
    if programme:
        out["programme"] = {"name": programme.name}
    if place:
        out["place"] = {"name": place.name}
    out.update(_pair_params(doc, nodes, person))
    report = Counter(r for e in doc.edges for r in e.reports).most_common(1)
    if report:
        out["report"] = {"report": report[0][0]}
    return out


def _busiest(doc: GraphDocument, nodes: dict[str, Node], rels, by: str = "source",
             source_type: str | None = None, target_type: str | None = None) -> Node | None:
    """The node with the most `rels` edges on side `by` (ties: the smaller name, then id)."""
    rels = (rels,) if isinstance(rels, str) else rels
    counts = Counter(getattr(e, by) for e in doc.edges
                     if e.type in rels and source_type in (None, nodes[e.source].type)
                     and target_type in (None, nodes[e.target].type))
    if not counts:
        return None
    best = min(counts, key=lambda i: (-counts[i], nodes[i].name, i))
    return nodes[best]


def _pair_params(doc: GraphDocument, nodes: dict[str, Node], person: Node | None) -> dict[str, dict]:
    out: dict[str, dict] = {}
    evidenced = [e for e in doc.edges if e.evidence]
    if evidenced:
        edge: Edge = min(evidenced, key=lambda e: (-len(e.evidence), e.key))
        out["evidence"] = {"a": nodes[edge.source].name, "b": nodes[edge.target].name}
    if person:
        ties = nx.Graph(to_networkx(doc).to_undirected())
        reach = nx.single_source_shortest_path_length(ties, person.id, cutoff=4)
        far = [n for n, d in reach.items() if d >= 2] or [n for n in reach if n != person.id]
        if far:
            target = max(far, key=lambda n: (reach[n], nodes[n].name, n))
            out["paths"] = {"a": person.name, "b": nodes[target].name, "hops": 4}
    return out
