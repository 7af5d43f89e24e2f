"""A change between two resolved graphs, for stores that can apply one in place.

An incremental refresh (one report of ten thousand changed) does not rebuild
the store: it computes what differs between the graph the store holds and the
graph it should hold, and hands the store a GraphDelta:

    delta = GraphDelta(reports=[...], nodes=[...], edges=[...],
                       removed_reports=[...], removed_nodes=[...], removed_edges=[...])
    store.apply(delta, before=old_stamp, after=new_stamp)

Everything in `nodes` and `edges` is written whole, replacing a record with
the same id (node) or key (source, type, target) if there is one: a node's
properties, aliases, `reports` and its MENTIONED_IN edges (built from its
evidence, as in `replace`), an edge's properties, `reports`, `dates` and
evidence. Removed nodes take their relationships with them. Analysis scores
(degree, betweenness, community) describe the whole graph, so a store drops
them on every change, as a rebuild does, keeping only those a written node
carries in its props. The order of
application is: removed edges, removed nodes, removed reports, reports,
nodes, edges; so a record in both a removed list and a written one ends up
written.

Stamps say which graph a store holds. `replace(doc, stamp)` and `apply`
record one with the write, in the same transaction; `apply` refuses (raises
StaleStoreError) when the store's stamp is not `before`, so a delta is only
ever applied to the graph it was computed against.

`held_mentions` may say, per written node id, which MENTIONED_IN pairs the
store holds for it before the change (report id → (sentence, count), as
graph/model.report_mentions makes them; {} for a new node). The incremental
refresh knows them, having resolved the graph before the change; with them a
store changes only the pairs that differ without reading them first. A node
not named there (or no `held_mentions` at all) is read from the store, except
one the delta also removes: its pairs went with it, so it holds none.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .model import Edge, GraphDocument, Node, Report

EdgeKey = tuple[str, str, str]  # (source, type, target), as Edge.key


@dataclass
class GraphDelta:
    reports: list[Report] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    removed_reports: list[str] = field(default_factory=list)
    removed_nodes: list[str] = field(default_factory=list)
    removed_edges: list[EdgeKey] = field(default_factory=list)
    held_mentions: dict[str, dict[str, tuple[str, int]]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.reports or self.nodes or self.edges or self.removed_reports
                    or self.removed_nodes or self.removed_edges)

    def size(self) -> int:
        """Records written or removed: what a store's work is proportional to."""
        return (len(self.reports) + len(self.nodes) + len(self.edges) + len(self.removed_reports)
                + len(self.removed_nodes) + len(self.removed_edges))


def applied(doc: GraphDocument, delta: GraphDelta) -> GraphDocument:
    """`doc` with `delta` applied, in the order the stores apply it: what a store must then hold."""
    removed_nodes = set(delta.removed_nodes) | {n.id for n in delta.nodes}
    removed_edges = set(delta.removed_edges) | {e.key for e in delta.edges}
    gone = set(delta.removed_nodes)
    removed_reports = set(delta.removed_reports) | {r.id for r in delta.reports}
    reports = [r for r in doc.reports if r.id not in removed_reports] + list(delta.reports)
    nodes = [n for n in doc.nodes if n.id not in removed_nodes] + list(delta.nodes)
    edges = [e for e in doc.edges if e.key not in removed_edges and e.source not in gone and e.target not in gone]
    edges += delta.edges
    return GraphDocument(sorted(reports, key=lambda r: r.id), sorted(nodes, key=lambda n: n.id),
                         sorted(edges, key=lambda e: e.key))


def composed(deltas: list[GraphDelta]) -> GraphDelta:
    """One delta that changes a store as `deltas` applied one after the other would (the fold
    catches up with the changes made while it ran, graph/fold.py). Every record keeps the last
    state the deltas leave it in. A node removed on the way and written again is both removed
    and written, so that its relationships go as they went, and its MENTIONED_IN pairs are all
    written afresh (held as {}); a written node's pairs are otherwise what the store held
    before the first delta that touched it, as that delta said, or read from the store."""
    nodes: dict[str, Node | None] = {}  # None: removed
    edges: dict[EdgeKey, Edge | None] = {}
    reports: dict[str, Report | None] = {}
    detached: set[str] = set()
    held: dict[str, dict[str, tuple[str, int]]] = {}
    for delta in deltas:  # in the order of application (see the module's docstring)
        edges.update((key, None) for key in [*delta.removed_edges, *(e.key for e in delta.edges)])
        gone = set(delta.removed_nodes)
        edges.update((key, None) for key in list(edges) if key[0] in gone or key[2] in gone)
        nodes.update((i, None) for i in gone)
        detached |= gone
        reports.update((i, None) for i in delta.removed_reports)
        reports.update((r.id, r) for r in delta.reports)
        for node in delta.nodes:
            if node.id not in nodes and node.id in delta.held_mentions:
                held[node.id] = delta.held_mentions[node.id]
            nodes[node.id] = node
        edges.update((e.key, e) for e in delta.edges)
    written = [n for n in nodes.values() if n is not None]
    held.update((n.id, {}) for n in written if n.id in detached)
    return GraphDelta(reports=[r for r in reports.values() if r is not None],
                      nodes=written,
                      edges=[e for e in edges.values() if e is not None],
                      removed_reports=sorted(i for i, r in reports.items() if r is None),
                      removed_nodes=sorted(detached),
                      removed_edges=sorted(edges),
                      held_mentions={i: held[i] for i in sorted(held) if nodes.get(i) is not None})


def delta_to_dict(delta: GraphDelta) -> dict:
    """The delta as JSON-ready data (the fold's journal of changes)."""
    return {"reports": [asdict(r) for r in delta.reports], "nodes": [n.to_dict() for n in delta.nodes],
            "edges": [e.to_dict() for e in delta.edges], "removed_reports": list(delta.removed_reports),
            "removed_nodes": list(delta.removed_nodes), "removed_edges": [list(k) for k in delta.removed_edges],
            "held_mentions": {i: {r: list(pair) for r, pair in m.items()} for i, m in delta.held_mentions.items()}}


def delta_from_dict(data: dict) -> GraphDelta:
    return GraphDelta(reports=[Report.from_dict(r) for r in data["reports"]],
                      nodes=[Node.from_dict(n) for n in data["nodes"]],
                      edges=[Edge.from_dict(e) for e in data["edges"]],
                      removed_reports=list(data["removed_reports"]), removed_nodes=list(data["removed_nodes"]),
                      removed_edges=[tuple(k) for k in data["removed_edges"]],
                      held_mentions={i: {r: tuple(pair) for r, pair in m.items()}
                                     for i, m in data["held_mentions"].items()})
