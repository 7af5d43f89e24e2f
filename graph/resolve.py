"""Cross-report resolution: per-report documents become one graph.

- Organisations, programmes, events, documents and places are one node
  across reports when type and normalised name agree (the same node_id).
- Two people of the same name are one person only when their reports also
  share context for them: an organisation in common (a HOLDS_POST,
  LIAISES_WITH or PARTICIPATES_IN target) or a locality in common (the
  report's locality, or where an organisation they hold a post in is
  located). Union-find over (report, person) mentions, grouped by name, so
  the work grows with the number of mentions, never with pairs of reports.
- An overrides file ({"same": [[ref, ref]], "not_same": [[ref, ref]]}, a ref
  being {"name": ..., "report": <report id or file name>}) wins over both rules.
- Duplicate edges are merged: evidence concatenated, distinct titles joined
  with "；".

MENTIONED_IN is not an edge of the resolved document: the stores build it
from node evidence (first sentence, count of mentions), and edges of that
type in the input are dropped. Everything is sorted, so the same set of
reports gives the same document whatever their order.
"""
from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import ConfigError, RecordError
from .model import Edge, Evidence, GraphDocument, Node
from .names import node_id
from .names import norm_key as _norm_key
from .ontology import load_ontology

PERSON = "Person"
# The edges that tie a person to an organisation for "shared organisation".
_PERSON_CONTEXT_RELS = ("HOLDS_POST", "LIAISES_WITH", "PARTICIPATES_IN")
_JOIN = "；"
# The same names recur in thousands of reports: normalise each once per process.
norm_key = lru_cache(maxsize=1 << 18)(_norm_key)
_EVIDENCE_ORDER = attrgetter("report", "start", "end", "rule", "sentence", "date")


# ---------------------------------------------------------------- overrides

@dataclass(frozen=True)
class PersonRef:
    """A person mention named by an override: the name and the report (id or file name)."""

    name: str
    report: str


@dataclass(frozen=True)
class Overrides:
    """Hand decisions about people: pairs that are the same person, pairs that are not."""

    same: tuple[tuple[PersonRef, PersonRef], ...] = ()
    not_same: tuple[tuple[PersonRef, PersonRef], ...] = ()
    sources: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data, source: str = "<overrides>") -> "Overrides":
        if not isinstance(data, dict) or set(data) - {"same", "not_same"}:
            raise ConfigError(f"{source}: expected an object with the keys \"same\" and \"not_same\"")
        return cls(_pairs(data.get("same", []), source, "same"),
                   _pairs(data.get("not_same", []), source, "not_same"), (source,))

    @classmethod
    def load(cls, paths: Iterable[Path]) -> "Overrides":
        """Read and combine override files; a malformed file raises ConfigError naming it."""
        found = [cls._load_one(Path(p)) for p in paths]
        return cls(tuple(p for o in found for p in o.same), tuple(p for o in found for p in o.not_same),
                   tuple(s for o in found for s in o.sources))

    @classmethod
    def _load_one(cls, path: Path) -> "Overrides":
        try:
            data = json.loads(path.read_text("utf-8"))
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the overrides file: {exc.strerror}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(f"{path}: not valid UTF-8 JSON: {exc}") from None
        return cls.from_dict(data, str(path))

    def unmatched(self, docs: Sequence[GraphDocument]) -> list[PersonRef]:
        """Refs that name no person mention in `docs` (stale after a report was removed)."""
        refs = {r for pair in self.same + self.not_same for r in pair}
        if not refs:
            return []
        index = _RefIndex(docs)
        return sorted((r for r in refs if not index.match(r)), key=lambda r: (r.report, r.name))


def _pairs(raw, source: str, key: str) -> tuple[tuple[PersonRef, PersonRef], ...]:
    if not isinstance(raw, list):
        raise ConfigError(f"{source}: \"{key}\" must be a list of [ref, ref] pairs")
    return tuple(_pair(item, source, key, i) for i, item in enumerate(raw))


def _pair(item, source: str, key: str, i: int) -> tuple[PersonRef, PersonRef]:
    if not isinstance(item, list) or len(item) != 2:
        raise ConfigError(f"{source}: \"{key}\"[{i}] must be a pair [ref, ref]")
    refs = []
    for ref in item:
        if (not isinstance(ref, dict) or set(ref) != {"name", "report"}
                or not all(isinstance(v, str) and v for v in ref.values())):
            raise ConfigError(f"{source}: \"{key}\"[{i}]: a ref is {{\"name\": ..., \"report\": ...}}, got {ref!r}")
        refs.append(PersonRef(ref["name"], ref["report"]))
    return refs[0], refs[1]


# ---------------------------------------------------------------- inputs

def _unique_docs(docs: Sequence[GraphDocument]) -> list[GraphDocument]:
    """Docs in a fixed order (by report ids); a second copy of the same report is dropped."""
    keyed = sorted(docs, key=lambda d: (_doc_key(d), [r.path for r in d.reports]))
    out, seen = [], set()
    for doc in keyed:
        key = _doc_key(doc)
        if key not in seen:
            seen.add(key)
            out.append(doc)
    return out


def _doc_key(doc: GraphDocument) -> tuple[str, ...]:
    return tuple(sorted(r.id for r in doc.reports))


def _report_label(doc: GraphDocument) -> str:
    """The deterministic key of a document's mentions: its smallest report id."""
    key = _doc_key(doc)
    return key[0] if key else ""


@dataclass
class _Mention:
    """One person as one report names them: the unit person resolution joins."""

    doc: int
    report: str
    node: Node
    contexts: set[tuple[str, str, str]] = field(default_factory=set)  # (kind, key, label)

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (norm_key(self.node.name), self.report, self.node.id)


class _RefIndex:
    """Finds the person mentions an override ref names."""

    def __init__(self, docs: Sequence[GraphDocument], mentions: Sequence[_Mention] = ()):
        self.by_report: dict[str, set[int]] = defaultdict(set)
        for i, doc in enumerate(docs):
            for r in doc.reports:
                for key in (r.id, r.path, _file_name(r.path)):
                    if key:
                        self.by_report[key].add(i)
        self.by_name: dict[tuple[int, str], list[int]] = defaultdict(list)
        if not mentions:
            mentions = [_Mention(i, "", n) for i, d in enumerate(docs) for n in d.nodes if n.type == PERSON]
        for m_index, m in enumerate(mentions):
            self.by_name[(m.doc, norm_key(m.node.name))].append(m_index)

    def match(self, ref: PersonRef) -> list[int]:
        docs = sorted(self.by_report.get(ref.report, ()))
        return [m for d in docs for m in self.by_name.get((d, norm_key(ref.name)), ())]


def _file_name(path: str) -> str:
    """Path(path).name, without building a Path: a change's scope may hold thousands of reports."""
    return os.path.basename(path.rstrip("/")) if path else ""


# ---------------------------------------------------------------- union-find

class _Clusters:
    """Union-find over mentions, with cannot-link tags from "not_same" overrides."""

    def __init__(self, size: int):
        self.parent = list(range(size))
        self.tags: dict[int, set[tuple[int, int]]] = {}
        self.reasons: dict[int, list[str]] = defaultdict(list)

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def forbid(self, a_members: list[int], b_members: list[int], rule: int) -> None:
        for side, members in ((0, a_members), (1, b_members)):
            for m in members:
                self.tags.setdefault(self.find(m), set()).add((rule, side))

    def blocked(self, ra: int, rb: int) -> bool:
        ta, tb = self.tags.get(ra, set()), self.tags.get(rb, set())
        return any((rule, 1 - side) in tb for rule, side in ta)

    def union(self, a: int, b: int, reason: str, forced: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or (not forced and self.blocked(ra, rb)):
            return False
        keep, gone = min(ra, rb), max(ra, rb)
        self.parent[gone] = keep
        self.tags.setdefault(keep, set()).update(self.tags.pop(gone, set()))
        self.reasons[keep].extend(self.reasons.pop(gone, []))
        self.reasons[keep].append(reason)
        return True


# ---------------------------------------------------------------- resolution

def resolve(docs: Sequence[GraphDocument], overrides: Overrides | None = None) -> GraphDocument:
    """One graph from per-report documents (see the module docstring for the rules)."""
    docs = _unique_docs(docs)
    ids = _global_ids(docs)
    mentions = _person_mentions(docs, ids)
    clusters = _cluster_persons(docs, mentions, overrides or Overrides())
    nodes = _merge_nodes(docs, ids) + _person_nodes(mentions, clusters, ids)
    edges = _merge_edges(docs, ids)
    reports = sorted((r for d in docs for r in d.reports), key=lambda r: r.id)
    out = GraphDocument(reports, sorted(nodes, key=lambda n: n.id), edges)
    out.check_endpoints()
    return out


def _global_ids(docs: Sequence[GraphDocument]) -> dict[tuple[int, str], str]:
    """(doc index, local id) → resolved id, for every node but persons (filled in later)."""
    ids = {}
    for i, doc in enumerate(docs):
        for n in doc.nodes:
            if n.type != PERSON:
                ids[(i, n.id)] = entity_id(n.type, n.name)
    return ids


@lru_cache(maxsize=1 << 18)
def entity_id(node_type: str, name: str) -> str:
    """The resolved id of a node that is not a person: type and normalised name."""
    return node_id(node_type, name)


def _located_in(docs: Sequence[GraphDocument], ids) -> dict[str, set[tuple[str, str, str]]]:
    """Resolved organisation id → the places any report locates it in, as contexts."""
    places: dict[str, set] = defaultdict(set)
    for i, doc in enumerate(docs):
        names = {n.id: n.name for n in doc.nodes}
        for e in doc.edges:
            if e.type == "LOCATED_IN" and (i, e.source) in ids and e.target in names:
                places[ids[(i, e.source)]].add(_place_context(names[e.target]))
    return places


def _place_context(name: str) -> tuple[str, str, str]:
    return ("place", norm_key(name), name)


def _person_mentions(docs: Sequence[GraphDocument], ids) -> list[_Mention]:
    located = _located_in(docs, ids)
    mentions = []
    for i, doc in enumerate(docs):
        localities = {_place_context(r.locality) for r in doc.reports if r.locality}
        names = {n.id: n.name for n in doc.nodes}
        persons = {n.id: _Mention(i, _report_label(doc), n, set(localities))
                   for n in doc.nodes if n.type == PERSON}
        for e in doc.edges:
            m = persons.get(e.source)
            target = ids.get((i, e.target))
            if m is None or target is None or e.type not in _PERSON_CONTEXT_RELS:
                continue
            m.contexts.add(("organisation", target, names[e.target]))
            if e.type == "HOLDS_POST":
                m.contexts |= located.get(target, set())
        mentions.extend(persons.values())
    return sorted(mentions, key=lambda m: m.sort_key)


def _cluster_persons(docs, mentions: list[_Mention], overrides: Overrides) -> _Clusters:
    clusters = _Clusters(len(mentions))
    index = _RefIndex(docs, mentions)
    _apply_same(clusters, mentions, index, overrides)
    _apply_not_same(clusters, index, overrides)
    _apply_shared_context(clusters, mentions)
    return clusters


def _apply_same(clusters: _Clusters, mentions, index: _RefIndex, overrides: Overrides) -> None:
    for a, b in overrides.same:
        members = index.match(a) + index.match(b)
        for m in members[1:]:
            clusters.union(members[0], m, f"override: same ({a.report}, {b.report})", forced=True)


def _apply_not_same(clusters: _Clusters, index: _RefIndex, overrides: Overrides) -> None:
    for rule, (a, b) in enumerate(overrides.not_same):
        left, right = index.match(a), index.match(b)
        if {clusters.find(m) for m in left} & {clusters.find(m) for m in right}:
            where = ", ".join(overrides.sources) or "overrides"
            raise ConfigError(f"{where}: {a.name} ({a.report}) and {b.name} ({b.report}) "
                              "are marked both the same person and not the same person")
        clusters.forbid(left, right, rule)


def _apply_shared_context(clusters: _Clusters, mentions: list[_Mention]) -> None:
    """Join same-named mentions that share a context; mentions are sorted by name already."""
    by_context: dict[tuple[str, tuple], list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        for ctx in m.contexts:
            by_context[(norm_key(m.node.name), ctx[:2])].append(i)
    labels = {(norm_key(m.node.name), c[:2]): c[2] for m in mentions for c in m.contexts}
    for key in sorted(by_context):
        members = by_context[key]
        kind = "organisation" if key[1][0] == "organisation" else "locality"
        for other in members[1:]:
            first, m = mentions[members[0]], mentions[other]
            clusters.union(members[0], other,
                           f"shared {kind} {labels[key]} ({first.report}, {m.report})")


# ---------------------------------------------------------------- nodes

def _person_nodes(mentions: list[_Mention], clusters: _Clusters, ids) -> list[Node]:
    groups: dict[int, list[_Mention]] = defaultdict(list)
    for i, m in enumerate(mentions):
        groups[clusters.find(i)].append(m)
    nodes = []
    for root, members in groups.items():
        # The smallest (report, name) of the cluster: unique to it, and the same whatever the order.
        scope = min(f"{m.report}/{norm_key(m.node.name)}" for m in members)
        name = _common_name([m.node for m in members])
        node = _combine(node_id(PERSON, name, scope=scope), PERSON, [m.node for m in members])
        if clusters.reasons.get(root):
            node.props["merge_reasons"] = sorted(set(clusters.reasons[root]))
        for m in members:
            ids[(m.doc, m.node.id)] = node.id
        nodes.append(node)
    return nodes


def _merge_nodes(docs: Sequence[GraphDocument], ids) -> list[Node]:
    groups: dict[str, list[Node]] = defaultdict(list)
    for i, doc in enumerate(docs):
        for n in doc.nodes:
            if n.type != PERSON:
                groups[ids[(i, n.id)]].append(n)
    return [_combine(gid, members[0].type, members) for gid, members in groups.items()]


def _common_name(nodes: list[Node]) -> str:
    """The surface form most reports use; ties go to the smallest, so the choice is stable."""
    if len(nodes) == 1:
        return nodes[0].name
    counts = Counter(n.name for n in nodes)
    return min(counts, key=lambda name: (-counts[name], name))


def _combine(gid: str, node_type: str, members: list[Node]) -> Node:
    name = _common_name(members)
    aliases = {a for n in members for a in n.aliases} | {n.name for n in members}
    props: dict = {}
    for n in members:
        for k, v in n.props.items():
            props.setdefault(k, v)
    props.pop("merge_reasons", None)
    evidence = _sorted_evidence(e for n in members for e in n.evidence)
    return Node(gid, node_type, name, sorted(aliases - {name}), evidence, props)


def _sorted_evidence(evidence: Iterable[Evidence]) -> list[Evidence]:
    """Sorted, each piece once (the key holds every field, so equal keys are equal evidence)."""
    out: list[Evidence] = []
    last = None
    for key, ev in sorted(((_EVIDENCE_ORDER(e), e) for e in evidence), key=lambda pair: pair[0]):
        if key != last:
            out.append(ev)
            last = key
    return out


# ---------------------------------------------------------------- edges

def _merge_edges(docs: Sequence[GraphDocument], ids) -> list[Edge]:
    merged: dict[tuple[str, str, str], list[Edge]] = defaultdict(list)
    symmetric = symmetric_types()
    for i, doc in enumerate(docs):
        for e in doc.edges:
            if e.type == "MENTIONED_IN":
                continue
            source, target = _endpoint(ids, i, e.source, doc), _endpoint(ids, i, e.target, doc)
            if e.type in symmetric and target < source:
                source, target = target, source
            merged[(source, e.type, target)].append(e)
    return [_combine_edges(key, merged[key]) for key in sorted(merged)]


def symmetric_types() -> set[str]:
    """Relationship types whose direction carries no meaning: stored with the smaller id first."""
    return {name for name, spec in load_ontology().rel_types.items() if spec.symmetric}


def _endpoint(ids, doc_index: int, local: str, doc: GraphDocument) -> str:
    try:
        return ids[(doc_index, local)]
    except KeyError:
        where = ", ".join(r.path or r.id for r in doc.reports) or "a document"
        raise RecordError(f"{where}: an edge names {local!r}, which is not a node of that report") from None


def _combine_edges(key: tuple[str, str, str], edges: list[Edge]) -> Edge:
    props: dict[str, list[str]] = {}
    for e in edges:
        for k, v in e.props.items():
            parts = props.setdefault(k, [])
            for part in (str(v).split(_JOIN) if v not in (None, "") else []):
                if part and part not in parts:
                    parts.append(part)
    origin = "report" if any(e.origin == "report" for e in edges) else edges[0].origin
    evidence = _sorted_evidence(ev for e in edges for ev in e.evidence)
    return Edge(key[0], key[2], key[1], {k: _JOIN.join(v) for k, v in props.items() if v}, evidence, origin)


def evidence_dates(evidence: Iterable[Evidence]) -> list[str]:
    """The distinct report dates an edge's evidence carries, sorted: the store's `dates`."""
    return sorted({e.date for e in evidence if e.date})
