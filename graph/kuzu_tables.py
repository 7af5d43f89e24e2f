"""A resolved document as the tables the embedded store bulk-loads (COPY … FROM).

Rows come from graph/kuzu_rows.py; MENTIONED_IN is built from node evidence
(see graph/embedded.py's docstring). Each table is written to a Parquet file a
row group at a time (a number of rows, or fewer when their evidence is long),
so neither Python nor Arrow ever holds a whole table, and
Kùzu reads the files itself: the resolved document can be let go of before
Kùzu loads them, and memory stays flat however large the corpus.
"""
from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import RecordError
from .kuzu_liaisons import LIAISON_TABLE, SIDE_COLUMNS, SIDES, document_liaison_rows
from .kuzu_links import LINK_REPORTS, LINK_SOURCE, LINK_TABLE, LINK_TARGET, link_end_rows, link_report_rows, link_row
from .kuzu_rows import edge_row, entity_row, relationship_tables, report_row
from .model import MEASURES, SCORES, Edge, GraphDocument, Node, report_mentions, unique_ids
from .store import NAME_TABLE, NAMES_REL, held_post_types, name_keys

_STRINGS = pa.list_(pa.string())
_SCORE_TYPES = {score: pa.float64() if score in MEASURES else pa.int64() for score in SCORES}
_ENTITY_SCHEMA = pa.schema([("id", pa.string()), ("type", pa.string()), ("name", pa.string()),
                            ("aliases", _STRINGS), ("forms", pa.string()), ("post_types", _STRINGS),
                            ("reports", _STRINGS), ("report_count", pa.int64()),
                            *_SCORE_TYPES.items()])
_REPORT_SCHEMA = pa.schema([("id", pa.string()), ("title", pa.string()), ("date", pa.string()),
                            ("source", pa.string()), ("authors", _STRINGS), ("path", pa.string())])
_REL_SCHEMA = pa.schema([("from", pa.string()), ("to", pa.string()), ("title", pa.string()),
                         ("role", pa.string()), ("what", pa.string()), ("reports", _STRINGS),
                         ("dates", _STRINGS), ("origin", pa.string()), ("evidence", pa.string())])
_NAME_SCHEMA = pa.schema([("key", pa.string())])
_NAMES_SCHEMA = pa.schema([("from", pa.string()), ("to", pa.string())])
_LINK_SCHEMA = pa.schema([("key", pa.string()), ("rel", pa.string()), ("detail", pa.string())])
_LINK_REPORTS_SCHEMA = pa.schema([("from", pa.string()), ("to", pa.string()), ("report", pa.string()),
                                 ("evidence", pa.string())])
_LIAISON_SCHEMA = pa.schema([("key", pa.string()), ("role", pa.string()), ("reports", _STRINGS)]
                            + [(f"{side}{suffix}", _STRINGS if suffix in ("_keys", "_posts") else pa.string())
                               for side in SIDES for suffix in SIDE_COLUMNS])
_MENTION_SCHEMA = pa.schema([("from", pa.string()), ("to", pa.string()),
                             ("evidence", pa.string()), ("count", pa.int64())])
ROWS_PER_BATCH = 50_000  # rows Python and Arrow hold at once while writing a table
# ... or fewer: a batch also ends once its evidence runs to this many characters. A place
# named in thousands of reports has an evidence text of some 300,000 characters, and
# 50,000 LOCATED_IN rows held 80 million (10,000-report graph): the full write's peak.
EVIDENCE_PER_BATCH = 4_000_000

Table = tuple[pa.Schema, Callable[[], Iterable[dict]]]  # a table's columns, and its rows when called


def document_tables(doc: GraphDocument) -> dict[str, Table]:
    """The bulk-load tables of a document by table name, node tables first, each a schema and
    its rows (made when called); raises RecordError on a bad document."""
    report_ids = unique_ids([r.id for r in doc.reports], "report")
    between, to_report = relationship_tables()
    grouped = _edges_by_type(doc, between, to_report)
    edges = [e for rel in between for e in grouped[rel]]
    tables = {"Entity": (_ENTITY_SCHEMA, partial(_entity_rows, doc)),
              "Report": (_REPORT_SCHEMA, partial(map, report_row, doc.reports)),
              NAME_TABLE: (_NAME_SCHEMA, partial(_name_rows, doc.nodes)),
              LINK_TABLE: (_LINK_SCHEMA, partial(map, link_row, edges)),  # graph/kuzu_links.py
              LIAISON_TABLE: (_LIAISON_SCHEMA, partial(document_liaison_rows, doc.nodes, edges))}
    for rel in between:
        tables[rel] = (_REL_SCHEMA, partial(map, edge_row, grouped[rel]))
    for rel in to_report:
        tables[rel] = (_MENTION_SCHEMA, partial(_mention_rows, doc.nodes, report_ids))
    tables[NAMES_REL] = (_NAMES_SCHEMA, partial(_names_rows, doc.nodes))
    tables[LINK_SOURCE] = (_NAMES_SCHEMA, partial(link_end_rows, edges, "source"))
    tables[LINK_TARGET] = (_NAMES_SCHEMA, partial(link_end_rows, edges, "target"))
    tables[LINK_REPORTS] = (_LINK_REPORTS_SCHEMA, partial(link_report_rows, edges, report_ids))
    return tables


def _edges_by_type(doc: GraphDocument, between: list[str], to_report: list[str]) -> dict[str, list[Edge]]:
    """The relationships between entities by type, each checked; MENTIONED_IN is left out (built
    from node evidence, see graph/embedded.py)."""
    node_ids = unique_ids([n.id for n in doc.nodes], "node")
    grouped: dict[str, list[Edge]] = {rel: [] for rel in between}
    seen: set[tuple[str, str, str]] = set()
    for e in doc.edges:
        if e.type in to_report:
            continue
        if e.source not in node_ids or e.target not in node_ids:
            raise RecordError(f"edge {e.type} {e.source}->{e.target}: endpoint is not a node of the document")
        if e.key in seen:
            raise RecordError(f"edge {e.type} {e.source}->{e.target} appears twice; resolve the document first")
        seen.add(e.key)
        grouped[e.type].append(e)
    return grouped


def write_table_files(tables: dict[str, Table], folder: Path) -> list[tuple[str, Path]]:
    """Each table as `folder`/<name>.parquet; (name, path) of the tables that have rows, in order."""
    files = []
    for name, (schema, rows) in tables.items():
        path = folder / f"{name}.parquet"
        if _write_parquet(rows(), schema, path):
            files.append((name, path))
        else:
            path.unlink()
    return files


def _write_parquet(rows: Iterable[dict], schema: pa.Schema, path: Path) -> int:
    written = 0
    with pq.ParquetWriter(path, schema) as writer:
        for chunk in _batches(rows):
            writer.write_table(_table(chunk, schema))
            written += len(chunk)
    return written


def _batches(rows: Iterable[dict]) -> Iterator[list[dict]]:
    """Rows in lists of at most ROWS_PER_BATCH rows and, past the first row, EVIDENCE_PER_BATCH
    characters of evidence."""
    chunk: list[dict] = []
    text = 0
    for row in rows:
        size = len(row.get("evidence") or "")
        if chunk and (len(chunk) == ROWS_PER_BATCH or text + size > EVIDENCE_PER_BATCH):
            yield chunk
            chunk, text = [], 0
        chunk.append(row)
        text += size
    if chunk:
        yield chunk


def _table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.table({name: [row[name] for row in rows] for name in schema.names}, schema=schema)


def _entity_rows(doc: GraphDocument) -> Iterator[dict]:
    held = held_post_types(doc.nodes, doc.edges)
    return (entity_row(n, held.get(n.id, [])) for n in doc.nodes)


def _name_rows(nodes: list[Node]) -> Iterator[dict]:
    keys = set()
    for n in nodes:
        keys |= name_keys(n.id, n.name, n.aliases)
    return ({"key": key} for key in sorted(keys))


def _names_rows(nodes: list[Node]) -> Iterator[dict]:
    for n in nodes:
        for key in sorted(name_keys(n.id, n.name, n.aliases)):
            yield {"from": key, "to": n.id}


def _mention_rows(nodes: list[Node], report_ids: set[str]) -> Iterator[dict]:
    for n in nodes:
        for report, (sentence, count) in report_mentions(n, report_ids).items():
            yield {"from": n.id, "to": report, "evidence": sentence, "count": count}
