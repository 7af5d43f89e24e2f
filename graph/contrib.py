"""What each report contributed to the graph, indexed for incremental refreshes.

<data-dir>/contrib.sqlite holds every report's document as rows: one per
node and one per edge, keyed by what resolution joins them on. A node's key
is its resolved id for organisations, programmes, places and the rest
(graph/resolve: type and normalised name), and "~" + normalised name for a
person (people are clustered per name). An edge row carries the keys of its
two ends. So "every mention of this name", "every report that states this
edge" and "every place this organisation is located in" are index lookups,
and an incremental refresh loads only the rows a changed report touches,
never the whole corpus.

The index records the stamp of the graph it describes (see graph/delta.py);
it is only trusted when the store holds the graph with the same stamp, and
is rebuilt from the cached documents otherwise. Writes happen in one SQLite
transaction that the caller commits after the store has been written.
"""
from __future__ import annotations

import functools
import json
import os
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import StoreError
from .model import Edge, Evidence, GraphDocument, Node, Report
from .names import norm_key
from .resolve import PERSON, entity_id

FILE = "contrib.sqlite"
PERSON_PREFIX = "~"
_CHUNK = 500  # SQLite's limit on bound variables is 32,766; stay well inside it

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports(id TEXT PRIMARY KEY, path TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nodes(report TEXT NOT NULL, seq INTEGER NOT NULL, local TEXT NOT NULL,
    key TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY(report, local));
CREATE INDEX IF NOT EXISTS nodes_by_key ON nodes(key);
CREATE TABLE IF NOT EXISTS edges(report TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL,
    source TEXT NOT NULL, target TEXT NOT NULL, skey TEXT NOT NULL, tkey TEXT NOT NULL,
    tname TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY(report, seq));
-- (skey, type, tkey): a change looks edges up by all three; with (skey, type) alone SQLite went
-- in by the target, and read every LOCATED_IN row of a place named in thousands of reports.
CREATE INDEX IF NOT EXISTS edges_by_key ON edges(skey, type, tkey);
DROP INDEX IF EXISTS edges_by_source; -- edges_by_key's forerunner, in files written before it
CREATE INDEX IF NOT EXISTS edges_by_target ON edges(tkey, type);
"""


def node_key(node: Node) -> str:
    """What resolution joins a node on: the resolved id, or the person's normalised name."""
    if node.type == PERSON:
        return PERSON_PREFIX + norm_key(node.name)
    return entity_id(node.type, node.name)


def is_person_key(key: str) -> bool:
    return key.startswith(PERSON_PREFIX)


def _write_failed(path: Path, exc: sqlite3.Error) -> StoreError:
    return StoreError(f"{path}: cannot write the contribution index ({exc}). Is the disk full?")


def _writes(method):
    """SQLite's errors in a write (a full disk, a file size limit) as a StoreError naming the file."""
    @functools.wraps(method)
    def write(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise _write_failed(self.path, exc) from None
    return write


class ContribIndex:
    """The contribution rows of every report of the last written graph."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: the contribution index is damaged ({exc})") from None

    def close(self) -> None:
        self.db.close()

    @classmethod
    def rebuild(cls, path: str | Path, docs: Iterable[GraphDocument], meta: dict[str, str]) -> "ContribIndex":
        """A new index of `docs` in place of the one at `path`. Written into a fresh file without a
        journal (nothing to roll back in a file nobody reads yet), then renamed over the old one:
        several times quicker than deleting and inserting rows in the live file."""
        path = Path(path)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            db.executescript(_SCHEMA)
            fresh = cls.__new__(cls)
            fresh.path, fresh.db = tmp, db
            db.execute("BEGIN")
            fresh.add(docs)
            for key, value in meta.items():
                fresh.set_meta(key, value)
            db.execute("COMMIT")
            db.close()
            for extra in ("-wal", "-shm"):
                path.with_name(path.name + extra).unlink(missing_ok=True)
            os.replace(tmp, path)
        except BaseException as exc:
            db.close()
            tmp.unlink(missing_ok=True)
            if isinstance(exc, sqlite3.Error):
                raise _write_failed(path, exc) from None
            raise
        return cls(path)

    # ------------------------------------------------------------ meta

    def meta(self, key: str) -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else ""

    @_writes
    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    @_writes
    def begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    @_writes
    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    # ------------------------------------------------------------ reports

    def report_paths(self) -> dict[str, str]:
        """Report id → the path its Report node carries in the graph."""
        return dict(self.db.execute("SELECT id, path FROM reports"))

    def clear(self) -> None:
        for table in ("reports", "nodes", "edges", "meta"):
            self.db.execute(f"DELETE FROM {table}")  # table names are the constants above

    @_writes
    def remove(self, report_ids: Iterable[str]) -> None:
        for chunk in _chunks(sorted(report_ids)):
            marks = _marks(chunk)
            for table, column in (("reports", "id"), ("nodes", "report"), ("edges", "report")):
                self.db.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)

    def report(self, report_id: str) -> Report:
        return _reports_of(self.db, [report_id])[report_id]

    @_writes
    def set_path(self, report_id: str, path: str) -> None:
        data = json.loads(self.db.execute("SELECT data FROM reports WHERE id = ?", (report_id,)).fetchone()[0])
        data["path"] = path
        self.db.execute("UPDATE reports SET path = ?, data = ? WHERE id = ?",
                        (path, json.dumps(data, ensure_ascii=False), report_id))

    @_writes
    def add(self, docs: Iterable[GraphDocument]) -> None:
        """The rows of each one-report document (a report already indexed is replaced)."""
        for doc in docs:
            report, nodes, edges = _rows_of(doc)
            self.remove([report[0]])
            self.db.execute("INSERT INTO reports VALUES (?, ?, ?)", report)
            self.db.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?, ?)", nodes)
            self.db.executemany("INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", edges)

    # ------------------------------------------------------------ lookups

    def keys_of(self, report_ids: Iterable[str]) -> tuple[set[str], list[tuple[str, str, str]]]:
        """The node keys and the (source key, type, target key) of the edges of these reports."""
        keys: set[str] = set()
        edges: list[tuple[str, str, str]] = []
        for chunk in _chunks(sorted(report_ids)):
            marks = _marks(chunk)
            keys.update(k for (k,) in self.db.execute(f"SELECT key FROM nodes WHERE report IN ({marks})", chunk))
            edges += self.db.execute(f"SELECT skey, type, tkey FROM edges WHERE report IN ({marks})", chunk)
        return keys, edges

    def places(self, org_key: str) -> list[tuple[str, str]]:
        """(report, place name) of every LOCATED_IN stated for the organisation."""
        return list(self.db.execute("SELECT report, tname FROM edges WHERE skey = ? AND type = 'LOCATED_IN'",
                                    (org_key,)))

    def holders(self, org_keys: Iterable[str]) -> set[str]:
        """Keys of the people who hold a post in any of these organisations, in any report."""
        out: set[str] = set()
        for chunk in _chunks(sorted(org_keys)):
            out.update(k for (k,) in self.db.execute(
                f"SELECT DISTINCT skey FROM edges WHERE type = 'HOLDS_POST' AND tkey IN ({_marks(chunk)})", chunk))
        return out

    def documents(self, keys: set[str], edge_keys: set[tuple[str, str, str]],
                  decoded: dict | None = None) -> list[GraphDocument]:
        """Partial documents holding every row that resolving `keys` and `edge_keys` needs.

        For each key: every node row with it; for person keys also every edge touching them, the
        other end of each, and the places (LOCATED_IN) of the organisations they hold posts in, one
        row per distinct place. For each edge key: every edge row stating it.

        `decoded` (row data → parsed row) may be shared between calls: a change reads the rows
        of its keys twice, before and after, and parsing them was half of reading them."""
        rows = _Rows()
        rows.nodes_by_key(self.db, keys)
        persons = sorted(k for k in keys if is_person_key(k))
        posts = rows.edges_touching(self.db, "skey", persons) | rows.edges_touching(self.db, "tkey", persons)
        rows.edges_by_key(self.db, edge_keys)
        rows.located(self.db, posts)
        rows.endpoints(self.db)
        return rows.build(self.db, {} if decoded is None else decoded)


class _Rows:
    """Rows gathered for partial documents, each (report, local id) or (report, seq) once."""

    def __init__(self):
        self.nodes: dict[tuple[str, str], tuple[int, str]] = {}
        self.edges: dict[tuple[str, int], tuple[str, str, str]] = {}  # → (source, target, data)

    def nodes_by_key(self, db, keys: set[str]) -> None:
        for chunk in _chunks(sorted(keys)):
            for report, seq, local, data in db.execute(
                    f"SELECT report, seq, local, data FROM nodes WHERE key IN ({_marks(chunk)})", chunk):
                self.nodes[(report, local)] = (seq, data)

    def edges_touching(self, db, column: str, keys: list[str]) -> set[str]:
        """Edge rows whose `column` key is one of `keys`; returns the keys of their HOLDS_POST targets."""
        posts: set[str] = set()
        for chunk in _chunks(keys):
            for report, seq, etype, source, target, tkey, data in db.execute(
                    f"SELECT report, seq, type, source, target, tkey, data FROM edges "
                    f"WHERE {column} IN ({_marks(chunk)})", chunk):  # column: one of two names above
                self.edges[(report, seq)] = (source, target, data)
                if etype == "HOLDS_POST":
                    posts.add(tkey)
        return posts

    def edges_by_key(self, db, edge_keys: set[tuple[str, str, str]]) -> None:
        for skey, etype, tkey in sorted(edge_keys):
            for report, seq, source, target, data in db.execute(
                    "SELECT report, seq, source, target, data FROM edges WHERE skey = ? AND type = ? AND tkey = ?"
                    " UNION ALL SELECT report, seq, source, target, data FROM edges "
                    "WHERE skey = ? AND type = ? AND tkey = ? AND skey != tkey",
                    (skey, etype, tkey, tkey, etype, skey)):
                self.edges[(report, seq)] = (source, target, data)

    def located(self, db, org_keys: set[str]) -> None:
        """One LOCATED_IN row per (organisation, place name): all that person contexts use."""
        for chunk in _chunks(sorted(org_keys)):
            for report, seq, source, target, data in db.execute(
                    "SELECT report, seq, source, target, data FROM edges WHERE rowid IN ("
                    "SELECT min(rowid) FROM edges WHERE type = 'LOCATED_IN' "
                    f"AND skey IN ({_marks(chunk)}) GROUP BY skey, tname)", chunk):
                self.edges[(report, seq)] = (source, target, data)

    def endpoints(self, db) -> None:
        wanted = sorted({(r, local) for (r, _), (s, t, _) in self.edges.items() for local in (s, t)}
                        - set(self.nodes))
        for report, local in wanted:
            row = db.execute("SELECT seq, data FROM nodes WHERE report = ? AND local = ?", (report, local)).fetchone()
            if row:
                self.nodes[(report, local)] = (row[0], row[1])

    def build(self, db, decoded: dict) -> list[GraphDocument]:
        nodes: dict[str, list] = defaultdict(list)
        for (report, _), (seq, data) in self.nodes.items():
            nodes[report].append((seq, data))
        edges: dict[str, list] = defaultdict(list)
        for (report, seq), (_, _, data) in self.edges.items():
            edges[report].append((seq, data))
        report_ids = sorted(set(nodes) | set(edges))
        reports = _reports_of(db, report_ids)
        return [GraphDocument([reports[report_id]],
                              [_node_of(d, decoded) for _, d in sorted(nodes[report_id])],
                              [_edge_of(d, decoded) for _, d in sorted(edges[report_id])])
                for report_id in report_ids]


def _rows_of(doc: GraphDocument) -> tuple[tuple, list[tuple], list[tuple]]:
    """The report, node and edge rows of a one-report document."""
    report = doc.reports[0]
    keys = {n.id: (node_key(n), n.name) for n in doc.nodes}
    nodes = [(report.id, seq, n.id, keys[n.id][0], _node_json(n))
             for seq, n in enumerate(doc.nodes)]
    edges = [(report.id, seq, e.type, e.source, e.target, keys[e.source][0], keys[e.target][0],
              keys[e.target][1], _edge_json(e))
             for seq, e in enumerate(doc.edges)
             # resolution drops MENTIONED_IN; an edge with an unknown end fails there, not here
             if e.type != "MENTIONED_IN" and e.source in keys and e.target in keys]
    return (report.id, report.path, json.dumps(_report_dict(report), ensure_ascii=False)), nodes, edges


# Rows hold records as compact JSON arrays (evidence as [report, sentence, start, end, rule, date]):
# a tenth of the time of to_dict/from_dict, which copy every evidence dict, and a smaller file.

def _evidence_rows(evidence: list[Evidence]) -> list[list]:
    return [[e.report, e.sentence, e.start, e.end, e.rule, e.date] for e in evidence]


def _node_json(n: Node) -> str:
    return json.dumps([n.id, n.type, n.name, n.aliases, n.props, _evidence_rows(n.evidence)], ensure_ascii=False)


def _edge_json(e: Edge) -> str:
    return json.dumps([e.source, e.target, e.type, e.props, e.origin, _evidence_rows(e.evidence)], ensure_ascii=False)


def _node_of(data: str, decoded: dict) -> Node:
    nid, ntype, name, aliases, props, evidence = _parsed(data, decoded)
    return Node(nid, ntype, name, list(aliases), list(evidence), dict(props))


def _edge_of(data: str, decoded: dict) -> Edge:
    source, target, etype, props, origin, evidence = _parsed(data, decoded)
    return Edge(source, target, etype, dict(props), list(evidence), origin)


def _parsed(data: str, decoded: dict) -> list:
    """A row's JSON with its evidence as Evidence records, parsed once per `decoded` (the
    records built from it get their own lists and dicts; Evidence is immutable, so shared)."""
    if data not in decoded:
        *fields, evidence = json.loads(data)
        decoded[data] = [*fields, tuple(Evidence(*ev) for ev in evidence)]
    return decoded[data]


def _reports_of(db, report_ids: list[str]) -> dict[str, Report]:
    """Report id → Report, read a chunk at a time: a change's scope may span thousands of reports."""
    out = {}
    for chunk in _chunks(report_ids):
        for report_id, data in db.execute(f"SELECT id, data FROM reports WHERE id IN ({_marks(chunk)})", chunk):
            out[report_id] = Report.from_dict(json.loads(data))
    return out


def _report_dict(report: Report) -> dict:
    return {"id": report.id, "title": report.title, "date": report.date, "source": report.source,
            "authors": list(report.authors), "path": report.path, "locality": report.locality}


def _chunks(items: list) -> Iterator[list]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _marks(chunk: list) -> str:
    return ", ".join("?" * len(chunk))
