"""Interactive views of the network: which nodes and edges to show, and why
the others are left out.

`build_view` selects a subgraph of a GraphDocument (by default the liaison
network: people, federations, chambers, party organisations and agencies
joined by posts, affiliations, party organisations and liaison links);
`render_html` / `view_html` turn it into one self-contained HTML page and
`notebook_view` shows that page inside Jupyter (see graph/view_page.py).

Example:

    view = build_view(doc, focus="某市工商联", depth=1)
    render_html(view, "out/network.html")
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import networkx as nx

from ..errors import QueryError
from .model import GraphDocument, Report
from .names import norm_key
from .network import importance, to_networkx
from .ontology import load_ontology
from .view_page import notebook_view, render_html, view_html
from .view_source import read_document, read_documents

__all__ = ["View", "build_view", "write_view", "read_documents", "read_document", "find_focus", "render_html", "view_html",
           "notebook_view", "LIAISON_TYPES", "LIAISON_RELS", "DEFAULT_MAX_NODES"]

LIAISON_TYPES = ("Person", "Federation", "Chamber", "PartyOrg", "Agency")
LIAISON_RELS = ("HOLDS_POST", "AFFILIATED_WITH", "PARTY_ORG_OF", "LIAISES_WITH", "SUBORDINATE_TO")
DEFAULT_MAX_NODES = 1500
ALL = "all"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass
class View:
    """The selected subgraph, and what was left out of it and why."""

    graph: nx.MultiDiGraph
    reports: dict[str, Report]
    title: str
    focus: tuple[str, ...] = ()
    filters: dict[str, str] = field(default_factory=dict)
    left_out: dict[str, Counter] = field(default_factory=dict)  # reason -> node type -> count
    edges_left_out: Counter = field(default_factory=Counter)  # reason -> count

    @property
    def node_count(self) -> int:
        return self.graph.number_of_nodes()

    @property
    def edge_count(self) -> int:
        return self.graph.number_of_edges()


def build_view(doc: GraphDocument, focus: str | None = None, depth: int = 2,
               types: Iterable[str] | None = None, rels: Iterable[str] | None = None,
               report: str | None = None, since: str | None = None,
               max_nodes: int = DEFAULT_MAX_NODES) -> View:
    """Select the part of `doc` to draw.

    types / rels: node and relationship types (default: the liaison network;
    "all" for every type). focus: a name or alias; only its ego network up to
    `depth` links is kept. report: only edges stated in that report.
    since: only edges with a report date on or after it (YYYY, YYYY-MM or
    YYYY-MM-DD). max_nodes: above it, the most important nodes are kept.
    """
    type_set, rel_set = _check_types(types), _check_rels(rels)
    _check_numbers(depth, max_nodes)
    since = _check_since(since)
    reports = {r.id: r for r in doc.reports}
    _check_report(report, reports)
    full = to_networkx(doc)
    focus_ids = find_focus(full, focus) if focus else ()
    view = View(nx.MultiDiGraph(), reports, _title(full, focus_ids),
                focus_ids, _describe(focus, depth, type_set, rel_set, report, since, max_nodes))
    graph = _select_types(full, type_set, focus_ids, view)
    _select_edges(graph, full, rel_set, report, since, view)
    if focus_ids:
        _keep_ego(graph, focus_ids, depth, view)
    _drop_isolated(graph, focus_ids, view)
    _cap(graph, focus_ids, max_nodes, view)
    _attach_posts(graph, full)
    view.graph = graph
    return view


def write_view(doc: GraphDocument, path: str | Path, **filters) -> Path:
    """Build the view of `doc` with `filters` (see build_view) and write its page to `path`.

    An empty graph is refused: a blank page would look like a broken one."""
    if not doc.nodes:
        raise QueryError("the graph holds no nodes, so there is nothing to draw: "
                         "fill the store with `ufgraph refresh`, or read graph documents with --from-json")
    return render_html(build_view(doc, **filters), path)


def find_focus(graph: nx.MultiDiGraph, name: str) -> tuple[str, ...]:
    """The ids of the nodes whose name or an alias is `name` (after normalising)."""
    key = _match_key(name)
    hits = [n for n, a in graph.nodes(data=True)
            if key in {_match_key(s) for s in [a["name"], *a["aliases"]]}]
    if not hits:
        close = sorted(a["name"] for _, a in graph.nodes(data=True) if key and key in _match_key(a["name"]))
        hint = f"; did you mean: {', '.join(close[:5])}" if close else ""
        raise QueryError(f"no node named {name!r} in the graph{hint}")
    return tuple(sorted(hits))


def _match_key(name: str) -> str:
    return norm_key(name).casefold()


def _check_types(types: Iterable[str] | None) -> frozenset[str]:
    onto = load_ontology()
    names = _as_list(types, LIAISON_TYPES, [t for t in onto.node_types if t != "Report"])
    unknown = [t for t in names if t not in onto.node_types]
    if unknown:
        raise QueryError(f"unknown node type(s) {', '.join(map(repr, unknown))}; "
                         f"known: {', '.join(onto.node_types)}")
    return frozenset(onto.check_label(t) for t in names)


def _check_rels(rels: Iterable[str] | None) -> frozenset[str]:
    onto = load_ontology()
    names = _as_list(rels, LIAISON_RELS, [r for r in onto.rel_types if r != "MENTIONED_IN"])
    unknown = [r for r in names if r not in onto.rel_types]
    if unknown:
        raise QueryError(f"unknown relationship type(s) {', '.join(map(repr, unknown))}; "
                         f"known: {', '.join(onto.rel_types)}")
    return frozenset(onto.check_rel_type(r) for r in names)


def _as_list(given: Iterable[str] | None, default: Iterable[str], everything: list[str]) -> list[str]:
    if given is None:
        return list(default)
    names = [given] if isinstance(given, str) else list(given)
    names = [n.strip() for part in names for n in part.split(",") if n.strip()]
    if not names:
        raise QueryError("an empty list of types selects nothing; leave it out for the default")
    return everything if [n.lower() for n in names] == [ALL] else names


def _check_numbers(depth: int, max_nodes: int) -> None:
    if depth < 0:
        raise QueryError(f"depth must be 0 or more, not {depth}")
    if max_nodes < 1:
        raise QueryError(f"max_nodes must be 1 or more, not {max_nodes}")


def _check_since(since: str | None) -> str | None:
    if since is None:
        return None
    if not _DATE.match(since.strip()):
        raise QueryError(f"since date {since!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    return since.strip()


def _check_report(report: str | None, reports: dict[str, Report]) -> None:
    if report is not None and report not in reports:
        known = ", ".join(f"{r.id} ({r.title})" for r in list(reports.values())[:5]) or "none"
        raise QueryError(f"unknown report {report!r}; the graph holds: {known}")


def _title(graph: nx.MultiDiGraph, focus_ids: tuple[str, ...]) -> str:
    if not focus_ids:
        return "ufgraph · network view"
    return "ufgraph · " + "、".join(graph.nodes[n]["name"] for n in focus_ids)


def _describe(focus, depth, types, rels, report, since, max_nodes) -> dict[str, str]:
    out = {"types": ", ".join(sorted(types)), "relationships": ", ".join(sorted(rels)),
           "max nodes": str(max_nodes)}
    if focus:
        out.update({"focus": focus, "depth": str(depth)})
    if report:
        out["report"] = report
    if since:
        out["since"] = since
    return out


def _leave_out(view: View, reason: str, graph: nx.MultiDiGraph, nodes: Iterable[str]) -> None:
    counts = Counter(graph.nodes[n]["type"] for n in nodes)
    if counts:
        view.left_out.setdefault(reason, Counter()).update(counts)


def _select_types(full, types, focus_ids, view) -> nx.MultiDiGraph:
    # The focus stays even when its type is not selected: it is the point of the view.
    keep = [n for n, t in full.nodes(data="type") if t in types or n in focus_ids]
    _leave_out(view, "type not selected", full, set(full) - set(keep))
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((n, dict(full.nodes[n])) for n in keep)
    return graph


def _select_edges(graph, full, rels, report, since, view) -> None:
    for u, v, key, attrs in full.edges(keys=True, data=True):
        reason = _edge_refusal(attrs, rels, report, since)
        if reason is None and not (u in graph and v in graph):
            reason = "an end is not shown"
        if reason:
            view.edges_left_out[reason] += 1
        else:
            graph.add_edge(u, v, key=key, **attrs)


def _edge_refusal(attrs: dict, rels, report, since) -> str | None:
    if attrs["type"] not in rels:
        return "relationship type not selected"
    if report and report not in attrs["reports"]:
        return f"not stated in report {report}"
    if since and not any(d[:len(since)] >= since for d in attrs["dates"]):
        return f"no report dated {since} or later"
    return None


def _keep_ego(graph, focus_ids, depth, view) -> None:
    undirected = graph.to_undirected(as_view=True)
    near: set[str] = set()
    for root in focus_ids:
        near |= set(nx.single_source_shortest_path_length(undirected, root, cutoff=depth))
    _remove(graph, set(graph) - near, f"more than {depth} links from the focus", view)


def _drop_isolated(graph, focus_ids, view) -> None:
    lonely = {n for n in graph if graph.degree(n) == 0 and n not in focus_ids}
    _remove(graph, lonely, "no link among the selected relationships", view)


def _cap(graph, focus_ids, max_nodes, view) -> None:
    if graph.number_of_nodes() <= max_nodes:
        return
    ranked = sorted(graph, key=_importance(graph, focus_ids))
    keep = set(ranked[:max_nodes]) | set(focus_ids)
    _remove(graph, set(graph) - keep, f"over the limit of {max_nodes} nodes", view)


def _importance(graph, focus_ids):
    """Sort key: nearest the focus first, then the most important, then by name."""
    undirected = graph.to_undirected(as_view=True)
    distance: dict[str, int] = {}
    for root in focus_ids:
        for n, d in nx.single_source_shortest_path_length(undirected, root).items():
            distance[n] = min(d, distance.get(n, d))
    far, score = len(graph) + 1, importance(graph)
    return lambda n: (distance.get(n, far), -score[n], graph.nodes[n]["name"], n)


def _remove(graph, nodes: set[str], reason: str, view: View) -> None:
    if not nodes:
        return
    _leave_out(view, reason, graph, nodes)
    dropped_edges = sum(1 for n in nodes for _ in graph.edges(n)) + sum(
        1 for n in nodes for u, _ in graph.in_edges(n) if u not in nodes)
    if dropped_edges:
        view.edges_left_out[reason] += dropped_edges
    graph.remove_nodes_from(nodes)


def _attach_posts(graph, full) -> None:
    """Give each shown person the posts they hold anywhere in the graph, for the hover text."""
    for node, kind in graph.nodes(data="type"):
        if kind == "Person":
            graph.nodes[node]["posts"] = sorted(
                (a["props"].get("title", ""), full.nodes[org]["name"])
                for _, org, a in full.out_edges(node, data=True) if a["type"] == "HOLDS_POST")
