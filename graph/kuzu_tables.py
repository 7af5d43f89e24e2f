"""A resolved document as the Arrow tables the embedded store bulk-loads (COPY … FROM).

Rows come from graph/kuzu_rows.py; MENTIONED_IN is built from node evidence
(see graph/embedded.py's docstring).
"""
from __future__ import annotations

from functools import partial
from typing import Callable, Iterable

import pyarrow as pa

from ..errors import RecordError
from .kuzu_rows import SCORES, edge_row, entity_row, relationship_tables, report_row
from .model import Edge, GraphDocument, Node, Report, report_mentions, unique_ids

_STRINGS = pa.list_(pa.string())
_SCORE_TYPES = {score: pa.int64() if score == "community" else pa.float64() for score in SCORES}
_ENTITY_SCHEMA = pa.schema([("id", pa.string()), ("type", pa.string()), ("name", pa.string()),
                            ("aliases", _STRINGS), ("reports", _STRINGS), *_SCORE_TYPES.items()])
_REPORT_SCHEMA = pa.schema([("id", pa.string()), ("title", pa.string()), ("date", pa.string()),
                            ("source", pa.string()), ("authors", _STRINGS), ("path", pa.string())])
_REL_SCHEMA = pa.schema([("from", pa.string()), ("to", pa.string()), ("title", pa.string()),
                         ("role", pa.string()), ("what", pa.string()), ("reports", _STRINGS),
                         ("dates", _STRINGS), ("origin", pa.string()), ("evidence", pa.string())])
_MENTION_SCHEMA = pa.schema([("from", pa.string()), ("to", pa.string()),
                             ("evidence", pa.string()), ("count", pa.int64())])


def document_tables(doc: GraphDocument) -> dict[str, Callable[[], pa.Table]]:
    """The bulk-load tables of a document by table name, each built when called, so a writer
    holds one table at a time (peak memory); raises RecordError on a bad document."""
    report_ids = unique_ids([r.id for r in doc.reports], "report")
    node_ids = unique_ids([n.id for n in doc.nodes], "node")
    between, to_report = relationship_tables()
    tables = {"Entity": partial(_entity_table, doc.nodes), "Report": partial(_report_table, doc.reports)}
    grouped: dict[str, list[Edge]] = {rel: [] for rel in between}
    seen: set[tuple[str, str, str]] = set()
    for e in doc.edges:
        if e.type in to_report:
            continue  # built from node evidence below, see graph/embedded.py
        if e.source not in node_ids or e.target not in node_ids:
            raise RecordError(f"edge {e.type} {e.source}->{e.target}: endpoint is not a node of the document")
        if e.key in seen:
            raise RecordError(f"edge {e.type} {e.source}->{e.target} appears twice; resolve the document first")
        seen.add(e.key)
        grouped[e.type].append(e)
    for rel, edges in grouped.items():
        tables[rel] = partial(_edge_table, edges)
    for rel in to_report:
        tables[rel] = partial(_mention_table, doc.nodes, report_ids)
    return tables


def _entity_table(nodes: list[Node]) -> pa.Table:
    return _table(map(entity_row, nodes), _ENTITY_SCHEMA)


def _report_table(reports: list[Report]) -> pa.Table:
    return _table(map(report_row, reports), _REPORT_SCHEMA)


def _edge_table(edges: list[Edge]) -> pa.Table:
    return _table(map(edge_row, edges), _REL_SCHEMA)


def _table(rows: Iterable[dict], schema: pa.Schema) -> pa.Table:
    """Column by column: one row dict lives at a time, rather than a list of them (peak memory)."""
    cols: dict[str, list] = {name: [] for name in schema.names}
    for row in rows:
        for name, col in cols.items():
            col.append(row[name])
    return pa.table(cols, schema=schema)


def _mention_table(nodes: list[Node], report_ids: set[str]) -> pa.Table:
    cols: dict[str, list] = {name: [] for name in _MENTION_SCHEMA.names}
    for n in nodes:
        for report, (sentence, count) in report_mentions(n, report_ids).items():
            for col, value in zip(_MENTION_SCHEMA.names, (n.id, report, sentence, count)):
                cols[col].append(value)
    return pa.table(cols, schema=_MENTION_SCHEMA)
