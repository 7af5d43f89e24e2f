"""The embedded store's index of which relationships each report states.

`report` (queries/kuzu/report.cypher) lists the links one report states. From
the relationships themselves Kùzu finds them slowly: it scans the entity table
with the report's entities as a mask that works per 2,048 nodes, and reads the
`reports` list of more than half the graph's links before keeping the report's
(10,000-report graph: some 200 ms for 85 links, BENCHMARKS.md section 5).

So beside each relationship between entities the embedded store keeps a node
UfgraphLink (its key, type and title-or-role-or-what) with three
relationships: to its source (UfgraphLinkSource), its target
(UfgraphLinkTarget), and each report that states it (UfgraphLinkReports,
with the report's id and the relationship's evidence from that report).
From a report the walk is then three one-table steps from bound nodes: 42 ms
on that graph. Neo4j needs no such index: it walks from the report's
entities.

A full write loads these as tables (graph/kuzu_tables.py); a change keeps them
in line (link_statements), touching only the (link, report) pairs that differ,
as it does with MENTIONED_IN: a relationship stated in thousands of reports
keeps the rest.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

from .delta import EdgeKey, GraphDelta
from .evidence_text import evidence_json
from .kuzu_rows import EDGE_PROPS
from .model import Edge, Evidence

LINK_TABLE = "UfgraphLink"
LINK_SOURCE = "UfgraphLinkSource"
LINK_TARGET = "UfgraphLinkTarget"
LINK_REPORTS = "UfgraphLinkReports"
LINK_RELS = (LINK_SOURCE, LINK_TARGET, LINK_REPORTS)

SCHEMA = [f"CREATE NODE TABLE {LINK_TABLE}(key STRING PRIMARY KEY, rel STRING, detail STRING)",
          f"CREATE REL TABLE {LINK_SOURCE}(FROM {LINK_TABLE} TO Entity)",
          f"CREATE REL TABLE {LINK_TARGET}(FROM {LINK_TABLE} TO Entity)",
          f"CREATE REL TABLE {LINK_REPORTS}(FROM {LINK_TABLE} TO Report, report STRING, evidence STRING)"]

Read = Callable[[str, dict], list[list]]  # query text and parameters → rows


def link_key(key: EdgeKey) -> str:
    return "\x1f".join(key)


def link_row(e: Edge) -> dict:
    """The link node of `e`: `detail` is what report.cypher shows, coalesce(title, role, what)."""
    return {"key": link_key(e.key), "rel": e.type, "detail": _detail(e)}


def _detail(e: Edge) -> str | None:
    return next((e.props[p] for p in EDGE_PROPS if e.props.get(p) is not None), None)


def link_end_rows(edges: Iterable[Edge], end: str) -> Iterator[dict]:
    """Rows of LINK_SOURCE (end "source") or LINK_TARGET (end "target")."""
    return ({"from": link_key(e.key), "to": getattr(e, end)} for e in edges)


def link_report_rows(edges: Iterable[Edge], report_ids: set[str]) -> Iterator[dict]:
    """Rows of LINK_REPORTS, for the reports of `report_ids` (those the graph holds)."""
    for e in edges:
        key = link_key(e.key)
        yield from ({"from": key, "to": r, "report": r, "evidence": text}
                    for r, text in _evidence_by_report(e).items() if r in report_ids)


def _evidence_by_report(e: Edge) -> dict[str, str]:
    """Report id → the evidence text (graph/evidence_text.py) of e's evidence from that report.
    A whole write formats it here again rather than keep the relationships' own evidence text
    from their table until this one is written: 127 million characters at 10,000 reports, held
    by the resolving child that already peaks at 1.7 GB."""
    grouped: dict[str, list[Evidence]] = {}
    for ev in e.evidence:
        if ev.report:
            grouped.setdefault(ev.report, []).append(ev)
    return {r: evidence_json(evs) for r, evs in sorted(grouped.items())}


# ---------------------------------------------------------------- a change

# Two reads, not one OPTIONAL MATCH: Kùzu answers that with a scan of every link's reports (31 ms a link
# at 10,000 reports, against 1 ms for the step from the link found by its key). A tie keeps its report's
# id (`report`): reading the Report's own id cost 0.6 ms more a link, a scan of the report table.
_HELD = f"MATCH (l:{LINK_TABLE} {{key: $key}})-[t:{LINK_REPORTS}]->() RETURN l.detail, t.report, t.evidence"
_EXISTS = f"MATCH (l:{LINK_TABLE} {{key: $key}}) RETURN l.detail"
_AT_NODE = [f"MATCH (n:Entity {{id: $id}})<-[:{rel}]-(l:{LINK_TABLE}) RETURN l.key"
            for rel in (LINK_SOURCE, LINK_TARGET)]
# Not DETACH DELETE (see graph/embedded.delta_statements); a link's relationships all go out of it.
_DROP = [f"MATCH (l:{LINK_TABLE} {{key: $key}})-[e]->() DELETE e", f"MATCH (l:{LINK_TABLE} {{key: $key}}) DELETE l"]
_MAKE = f"CREATE (:{LINK_TABLE} {{key: $key, rel: $rel, detail: $detail}})"
_SET_DETAIL = f"MATCH (l:{LINK_TABLE} {{key: $key}}) SET l.detail = $detail"
_JOIN_END = {end: f"MATCH (l:{LINK_TABLE} {{key: $key}}), (n:Entity {{id: $id}}) CREATE (l)-[:{rel}]->(n)"
             for end, rel in (("source", LINK_SOURCE), ("target", LINK_TARGET))}
_ADD_REPORT = (f"MATCH (l:{LINK_TABLE} {{key: $key}}), (r:Report {{id: $report}}) "
               f"CREATE (l)-[:{LINK_REPORTS} {{report: $report, evidence: $evidence}}]->(r)")
_TIE = f"MATCH (l:{LINK_TABLE} {{key: $key}})-[t:{LINK_REPORTS}]->() WHERE t.report = $report"
_DROP_REPORT, _SET_EVIDENCE = f"{_TIE} DELETE t", f"{_TIE} SET t.evidence = $evidence"

Held = tuple[str | None, dict[str, str]]  # a link's detail, and report id → its evidence text there


def link_statements(read: Read, delta: GraphDelta) -> list[tuple[str, dict]]:
    """The statements that make the links match the relationships after `delta`, to run after
    the delta's own (graph/embedded.delta_statements: the nodes they join must exist by then).
    Everything is read through `read` before anything is written. A removed node takes its
    links with it, as it takes its relationships; a removed report its ties to links. A written
    relationship whose link survives keeps it, and only the (link, report) pairs that differ
    are written."""
    written = {link_key(e.key): e for e in delta.edges}
    at_removed = {key for node in sorted(delta.removed_nodes) for query in _AT_NODE
                  for (key,) in read(query, {"id": node})}
    dropped = at_removed | ({link_key(k) for k in delta.removed_edges} - set(written))
    out = [(query, {"key": key}) for key in sorted(dropped) for query in _DROP]
    gone = set(delta.removed_reports) - {r.id for r in delta.reports}
    for key, edge in sorted(written.items()):
        out += _write(key, edge, None if key in at_removed else _held(read, key), gone)
    return out


def _held(read: Read, key: str) -> Held | None:
    """What the store holds for link `key`; None when it holds no such link."""
    rows = read(_HELD, {"key": key})
    if rows:
        return rows[0][0], {report: text for _, report, text in rows}
    rows = read(_EXISTS, {"key": key})
    return (rows[0][0], {}) if rows else None


def _write(key: str, edge: Edge, held: Held | None, gone: set[str]) -> list[tuple[str, dict]]:
    """`gone`: reports the change removes, their ties with them (embedded.delta_statements)."""
    detail = _detail(edge)
    if held is None:
        out = [(_MAKE, link_row(edge))] + [(_JOIN_END[end], {"key": key, "id": getattr(edge, end)})
                                           for end in ("source", "target")]
        ties = {}
    else:
        out = [] if held[0] == detail else [(_SET_DETAIL, {"key": key, "detail": detail})]
        ties = {r: text for r, text in held[1].items() if r not in gone}
    wanted = _evidence_by_report(edge)
    out += [(_DROP_REPORT, {"key": key, "report": r}) for r in sorted(ties.keys() - wanted.keys())]
    for report, text in wanted.items():
        if report not in ties:
            out.append((_ADD_REPORT, {"key": key, "report": report, "evidence": text}))
        elif ties[report] != text:
            out.append((_SET_EVIDENCE, {"key": key, "report": report, "evidence": text}))
    return out
