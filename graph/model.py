"""Strict records: Evidence, Node, Edge, Report and the GraphDocument.

Loaders return a GraphDocument; stores accept one. Records refuse unknown
types and properties (checked against the ontology), and round-trip through
the graph JSON of shared/eval/README.md: edge properties sit flat on the
edge, beside `source`, `target` and `type`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from ..errors import RecordError
from .ontology import load_ontology

# Analysis scores an entity may carry in its props (`ufgraph analyze --write`): one list for
# every store, export and the network view.
# `community` is a community's number (an int); the measures are floats.
MEASURES = ("degree", "betweenness")
SCORES = (*MEASURES, "community")

_EDGE_KEYS = {"source", "target", "type", "evidence", "origin", "reports"}
_NODE_KEYS = {"id", "type", "name", "aliases", "evidence", "props", "reports"}


class Evidence(NamedTuple):
    """Where a fact was read: report id, sentence, offsets in the cleaned text, and the rule.

    Immutable, so records share it. A named tuple rather than a frozen dataclass: extraction
    makes some 90 per report, and reading contributions back one per stored sentence; a frozen
    dataclass's __init__ took 1.07 µs against 0.26 (it sets each field through object.__setattr__)."""

    report: str
    sentence: str
    start: int
    end: int
    rule: str
    date: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> "Evidence":
        return _strict(cls, data, "evidence")

    def to_dict(self) -> dict:
        return self._asdict()


@dataclass(slots=True)
class Node:
    id: str
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.type not in load_ontology().node_types:
            raise RecordError(f"node {self.name!r}: unknown type {self.type!r}")
        if not self.name:
            raise RecordError(f"node {self.id!r}: empty name")

    @property
    def reports(self) -> list[str]:
        return sorted({e.report for e in self.evidence})

    def to_dict(self) -> dict:
        out = {"id": self.id, "type": self.type, "name": self.name, "aliases": list(self.aliases),
               "reports": self.reports, "evidence": [e.to_dict() for e in self.evidence]}
        if self.props:
            out["props"] = dict(self.props)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "Node":
        unknown = set(data) - _NODE_KEYS
        if unknown:
            raise RecordError(f"node {data.get('name')!r}: unknown fields {sorted(unknown)}")
        return cls(id=data["id"], type=data["type"], name=data["name"],
                   aliases=list(data.get("aliases", [])),
                   evidence=[Evidence.from_dict(e) for e in data.get("evidence", [])],
                   props=dict(data.get("props", {})))


@dataclass(slots=True)
class Edge:
    source: str
    target: str
    type: str
    props: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    origin: str = "report"  # "gazetteer": from reference data, not stated by the report

    def __post_init__(self) -> None:
        spec = load_ontology().rel_types.get(self.type)
        if spec is None:
            raise RecordError(f"edge {self.source}->{self.target}: unknown type {self.type!r}")
        if self.props and not all(k in spec.properties for k in self.props):  # the usual case, tested quickly
            unknown = set(self.props) - set(spec.properties)
            raise RecordError(f"edge {self.type}: properties {sorted(unknown)} not in the ontology")

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.type, self.target)

    @property
    def reports(self) -> list[str]:
        return sorted({e.report for e in self.evidence})

    def to_dict(self) -> dict:
        out = {"source": self.source, "target": self.target, "type": self.type, **self.props,
               "reports": self.reports, "evidence": [e.to_dict() for e in self.evidence]}
        if self.origin != "report":
            out["origin"] = self.origin
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "Edge":
        props = {k: v for k, v in data.items() if k not in _EDGE_KEYS}
        return cls(source=data["source"], target=data["target"], type=data["type"], props=props,
                   evidence=[Evidence.from_dict(e) for e in data.get("evidence", [])],
                   origin=data.get("origin", "report"))


@dataclass(slots=True)
class Report:
    id: str
    title: str = ""
    date: str = ""
    source: str = ""
    authors: list[str] = field(default_factory=list)
    path: str = ""
    locality: str = ""  # canonical name of the place the report is about, for person resolution

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        return _strict(cls, data, "report")


@dataclass(slots=True)
class GraphDocument:
    """Typed nodes and edges with provenance, for one report or for many."""

    reports: list[Report] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"reports": [asdict(r) for r in self.reports],
                "nodes": [n.to_dict() for n in self.nodes],
                "edges": [e.to_dict() for e in self.edges]}

    @classmethod
    def from_dict(cls, data: dict) -> "GraphDocument":
        unknown = set(data) - {"reports", "nodes", "edges"}
        if unknown:
            raise RecordError(f"graph document: unknown fields {sorted(unknown)}")
        doc = cls([Report.from_dict(r) for r in data.get("reports", [])],
                  [Node.from_dict(n) for n in data.get("nodes", [])],
                  [Edge.from_dict(e) for e in data.get("edges", [])])
        doc.check_endpoints()
        return doc

    def check_endpoints(self) -> None:
        """Every edge joins two nodes of the document (Report targets excepted)."""
        ids = {n.id for n in self.nodes} | {r.id for r in self.reports}
        for e in self.edges:
            if e.source not in ids or e.target not in ids:
                raise RecordError(f"edge {e.type} {e.source}->{e.target}: endpoint not in the document")


def unique_ids(ids, what: str) -> set[str]:
    """The ids as a set; an id given twice is refused (a store must not merge two records silently)."""
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise RecordError(f"{what} id {item!r} appears twice in the document")
        seen.add(item)
    return seen


def report_mentions(node: Node, report_ids: set[str]) -> dict[str, tuple[str, int]]:
    """Per report, a node's first sentence (lowest offset) and number of mentions: what both
    stores keep on MENTIONED_IN. Evidence naming a report outside the document is refused."""
    first: dict[str, Evidence] = {}
    counts: dict[str, int] = {}
    for ev in node.evidence:
        if not ev.report:
            continue
        if ev.report not in report_ids:
            raise RecordError(f"node {node.name!r}: evidence names report {ev.report!r}, "
                              "which is not in the document")
        counts[ev.report] = counts.get(ev.report, 0) + 1
        if ev.report not in first or (ev.start, ev.end) < (first[ev.report].start, first[ev.report].end):
            first[ev.report] = ev
    return {report: (first[report].sentence, counts[report]) for report in sorted(first)}


def document_from_data(data, name: str) -> "GraphDocument":
    """A GraphDocument from parsed JSON; every error names where the data came from."""
    if not isinstance(data, dict):
        raise RecordError(f"{name}: not a graph document (expected an object with reports, nodes, edges)")
    try:
        return GraphDocument.from_dict(data)
    except RecordError as exc:
        raise RecordError(f"{name}: {exc}") from None
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise RecordError(f"{name}: not a graph document ({type(exc).__name__}: {exc})") from None


def _strict(cls, data: dict, what: str):
    try:
        return cls(**data)
    except TypeError as exc:
        raise RecordError(f"{what}: {exc}") from None
