"""Incremental resolution: the change a few new, changed or removed reports make.

Full resolution (graph/resolve.py) reads every report. Its result for one
key depends on few of them, though:

- an organisation (or programme, place, ...) node on the rows with its id;
- the people of one name on every mention of that name, the organisations
  each mention is tied to, the places those organisations are located in
  (in any report) and the mentions' report localities;
- an edge between two non-persons on the rows that state it; an edge of a
  person on that person's name group.

So for the changed reports this collects the keys they touch (old rows and
new), widens them by the people whose context changed (an organisation whose
set of places changed), gathers from the contribution index the rows those
keys depend on, and resolves that small corpus twice: as the index stood
before the change and after it. The nodes and edges of the touched keys, old
against new, are the delta. Running the same resolve() on both sides is what
keeps the result equal to a full resolution (tests/test_incremental.py
compares them on random changes).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..errors import NotLocal
from .contrib import ContribIndex, is_person_key, node_key
from .delta import GraphDelta
from .model import Edge, GraphDocument, Node, report_mentions
from .names import norm_key
from .resolve import PERSON, resolve, symmetric_types


@dataclass
class Scope:
    """The keys whose nodes and edges a change can alter."""

    keys: set[str] = field(default_factory=set)
    edge_keys: set[tuple[str, str, str]] = field(default_factory=set)
    located: set[str] = field(default_factory=set)  # organisations with LOCATED_IN rows in the change

    def add_edge(self, skey: str, etype: str, tkey: str, symmetric: set[str]) -> None:
        if is_person_key(skey) and is_person_key(tkey):
            raise NotLocal(f"an edge {etype} between two people")
        if etype == "LOCATED_IN":
            self.located.add(skey)
        if not is_person_key(skey) and not is_person_key(tkey):
            if etype in symmetric and tkey < skey:
                skey, tkey = tkey, skey
            self.edge_keys.add((skey, etype, tkey))


@dataclass
class Change:
    """The delta, and node and edge counts by type it adds (negative: removes)."""

    delta: GraphDelta
    nodes: Counter
    edges: Counter


def change_of(index: ContribIndex, removed: set[str], added: list[GraphDocument],
              moved: dict[str, str]) -> Change:
    """Update `index` (uncommitted) and return what changes in the resolved graph.

    `removed`: report ids leaving the graph; `added`: one-report documents entering it;
    `moved`: report id → new path of reports that stay but moved."""
    scope = _scope(index, removed, added)
    decoded: dict = {}  # rows parsed for `before`, reused for `after`
    before = _resolved(index, scope, decoded)
    index.remove(removed)
    index.add(added)
    for report_id, path in moved.items():
        index.set_path(report_id, path)
    after = _resolved(index, scope, decoded)
    delta = _diff(before, after)
    delta.reports = [index.report(rid) for rid in sorted({d.reports[0].id for d in added} | set(moved))]
    delta.removed_reports = sorted(removed - {r.id for r in delta.reports})
    return Change(delta, _count_change(before[0], after[0]), _count_change(before[1], after[1]))


def _scope(index: ContribIndex, removed: set[str], added: list[GraphDocument]) -> Scope:
    symmetric = symmetric_types()
    scope = Scope()
    keys, edges = index.keys_of(removed)
    scope.keys |= keys
    for skey, etype, tkey in edges:
        scope.add_edge(skey, etype, tkey, symmetric)
    for doc in added:
        local = {n.id: node_key(n) for n in doc.nodes}
        scope.keys |= set(local.values())
        for e in doc.edges:
            if e.type != "MENTIONED_IN" and e.source in local and e.target in local:
                scope.add_edge(local[e.source], e.type, local[e.target], symmetric)
    moved_places = {org for org in scope.located if _places_change(index, org, removed, added)}
    scope.keys |= index.holders(moved_places)
    return scope


def _places_change(index: ContribIndex, org: str, removed: set[str], added: list[GraphDocument]) -> bool:
    """Whether the set of places the organisation is located in differs after the change."""
    rows = index.places(org)
    before = {name for _, name in rows}
    after = {name for report, name in rows if report not in removed}
    for doc in added:
        names = {n.id: n.name for n in doc.nodes}
        keys = {n.id: node_key(n) for n in doc.nodes}
        after |= {names[e.target] for e in doc.edges
                  if e.type == "LOCATED_IN" and keys.get(e.source) == org and e.target in names}
    return _contexts(before) != _contexts(after)


def _contexts(names: set[str]) -> set[tuple[str, str]]:
    return {(norm_key(n), n) for n in names}


def _resolved(index: ContribIndex, scope: Scope, decoded: dict) -> tuple[dict[str, Node], dict[tuple, Edge]]:
    """The nodes and edges of the scope, resolved from the rows they depend on."""
    graph = resolve(index.documents(scope.keys, scope.edge_keys, decoded))
    persons = {k for k in scope.keys if is_person_key(k)}
    nodes = {n.id: n for n in graph.nodes
             if (n.type == PERSON and node_key(n) in persons) or (n.type != PERSON and n.id in scope.keys)}
    person_ids = {nid for nid, n in nodes.items() if n.type == PERSON}
    edges = {e.key: e for e in graph.edges if e.source in person_ids or e.target in person_ids
             or (e.source, e.type, e.target) in scope.edge_keys}
    return nodes, edges


def _diff(before: tuple[dict, dict], after: tuple[dict, dict]) -> GraphDelta:
    (old_nodes, old_edges), (new_nodes, new_edges) = before, after
    written = [n for nid, n in sorted(new_nodes.items()) if old_nodes.get(nid) != n]
    return GraphDelta(
        nodes=written,
        edges=[e for key, e in sorted(new_edges.items()) if old_edges.get(key) != e],
        removed_nodes=sorted(set(old_nodes) - set(new_nodes)),
        removed_edges=sorted(set(old_edges) - set(new_edges)),
        held_mentions={n.id: _mentions(old_nodes.get(n.id)) for n in written})


def _mentions(node: Node | None) -> dict[str, tuple[str, int]]:
    """The MENTIONED_IN pairs a store holds for the node (none for a node it lacks)."""
    return report_mentions(node, {e.report for e in node.evidence}) if node else {}


def _count_change(before: dict, after: dict) -> Counter:
    change: Counter = Counter()
    for item in after.values():
        change[item.type] += 1
    for item in before.values():
        change[item.type] -= 1
    return change
