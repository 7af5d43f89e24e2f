"""The Neo4j store: the graph in a Neo4j 5 database, reached through a driver.

The driver is passed in (whoever builds it owns the connection settings);
`connect` builds one for the CLI. The shape is the one in graph/store.py,
and a document is stored as the embedded store stores it, so the two read
back alike: MENTIONED_IN is built from node evidence (one per node and
report: the first sentence by offset, and the count); `read()` gives each
node one Evidence per report from it (offsets 0, rule "MENTIONED_IN").
Of Node.props only the analysis scores are kept; MENTIONED_IN edges in
`doc.edges` are ignored in favour of the node evidence.

Writes are batched `UNWIND $rows` with every value a parameter; labels and
relationship types pass the ontology's checks before they enter query text.
Each transaction is retried on transient failures.

`replace` writes a graph of any size and still leaves the previous graph
whole if it fails. It writes the new graph in batches of separate
transactions (several sessions at once) as a staging generation: nodes
labelled :UfgraphStagingEntity or :UfgraphStagingReport (each with an index
on `id`), with neither :Entity, :Report nor a type label. Each batch goes as
columns (one list, or one joined string, per property) and its CREATE
returns the new nodes' element ids, by which the relationship batches then
find their ends. Staging nodes are only ever linked to one another, so a
query that starts from :Entity or :Report nodes (every module in queries/)
never reaches them. One transaction then switches generations:
the live nodes trade :Entity, :Report and their type labels for
:UfgraphRetired, the staging nodes take :Entity or :Report, and the stamp is
recorded. Every label changed there costs that transaction memory (about
2 KB a node on Neo4j 5.26), so the switch changes no more labels than it
must: right after it, small transactions give the new nodes their type
label and take the staging label off, and then delete the retired
generation. Until they are done an unlabelled match (`MATCH (n)`) sees the
retired nodes, and `labels(n)` of a new node may still show the staging
label and lack the type label (Browser styling only; queries select by
`n.type`). A write that dies part way leaves staging or retired nodes, or
unfinished labels; the next write finishes or deletes them first. A switch
that needs more memory than the server allows its transactions
(dbms.memory.transaction.total.max) fails whole, leaving the previous graph:
with a 1 GB heap (693 MiB for transactions) a switch from 10,000 reports to
10,000 reports peaked at 582 MiB, so some 12,000 reports over a graph as
large is the limit there (into an empty database, about twice as many).
`apply` changes the live graph in place in one transaction (and, as any change to the
graph, drops the analysis scores, except those a written node carries).

Two bookkeeping nodes, labelled :UfgraphState (outside the ontology), sit
beside the graph: {key: 'graph'} holds `stamp`, the stamp of the live graph,
and {key: 'writer'} is the writers' lock: a write keeps a transaction open
that has locked it, from before it clears leftovers until the retired
generation is gone, so two writes (or a write and an `apply`) never
interleave; the lock goes with the connection if the writer dies. An ad-hoc
query matching unlabelled nodes (`MATCH (n)`) sees these nodes, and during
a write the staging and retired generations too.

`read` sees one graph, never half of a change. Neo4j's isolation is
read-committed: a change that commits while the read's queries run (a
killed refresh's switch still committing, say) would show in some of them
and not in others. So every transaction that changes what `read` gives
back writes the {key: 'graph'} node (the switch and `apply` its stamp,
score writes a flag set and removed), which holds that node until its
commit is applied, and `read` holds the node too, before its first query.
A user who may not write (a reader role, a read-only database) reads
without the hold.
"""
from __future__ import annotations

import itertools
import json
import logging
import re
import threading
import time
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

import neo4j
from neo4j.exceptions import (AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable,
                              SessionExpired, TransientError)

from ..errors import OntologyError, QueryError, RecordError, StaleStoreError, StoreError
from .collector import cycle_collector_paused
from .delta import GraphDelta
from .evidence_text import evidence_json
from .model import SCORES, Edge, Evidence, GraphDocument, Node, Report, report_mentions, unique_ids
from .ontology import load_ontology
from .resolve import evidence_dates
from .store import GraphStore, entity_forms, held_post_types, posts_touched

BATCH_SIZE = 10000  # rows per transaction while staging
WORKERS = 2  # sessions writing staging batches at once
DELETE_BATCH_FACTOR = 2  # relationships or nodes per deleting transaction, in batch sizes
MENTIONED_IN = "MENTIONED_IN"
REPORT_PROPERTIES = ("id", "title", "date", "source", "authors", "path")  # the shape of graph/store.py
# Labels of the store's own bookkeeping, outside the ontology (see the module docstring).
STAGING_ENTITY = "UfgraphStagingEntity"
STAGING_REPORT = "UfgraphStagingReport"
RETIRED = "UfgraphRetired"
STATE = "UfgraphState"
_REPORT_DEFAULTS = {"id": "", "title": "", "date": "", "source": "", "authors": [], "path": ""}
_PROPERTY_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")  # fit to stand in query text unquoted
_SEPARATORS = ("\x1f", "\x1e", "\x1d", "\x1c", "\x00")  # to join a column of text (_column), if free
_KEY_SEP = "\x1f"  # joins (source, type, target) into one key; never part of an id
_RETRYABLE = (ServiceUnavailable, SessionExpired, TransientError)
_RETRY_ATTEMPTS = 5
_OUT_OF_MEMORY = "MemoryPoolOutOfMemoryError"
_RETRY_FIRST_WAIT = 0.2  # seconds; doubles each attempt: 0.2 + 0.4 + 0.8 + 1.6
_WRITE_REFUSED = ("AccessMode", "ForbiddenOnReadOnlyDatabase", "WriteOnReadOnlyAccessDatabase")
_HOLD_REFUSED = (*_WRITE_REFUSED, "Security.Forbidden")  # a reader role: read without the hold
# Cypher with its string literals and comments blanked (as in embedded.py), for the LOAD CSV check.
_STRING_OR_COMMENT = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.I)
_COLUMN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # a module's column, written into run_columns' query
# The driver logs a lost connection as an error; with no handler configured, logging's last
# resort would print it to stderr beside the StoreError that reports the same failure.
logging.getLogger("neo4j").addHandler(logging.NullHandler())
log = logging.getLogger(__name__)

# The query modules find an entity, and `search` a part of a name, by `e.forms CONTAINS ...`
# (graph/store.entity_forms). A whole write drops this index while it switches generations and
# makes it again after: kept up to date through the switch (the old generation's 130,000 nodes
# out, the new one's in), it cost that transaction 3 s at 10,000 reports; built afresh it
# populates while the write finishes, and the write waits for it to be online before it returns.
_CREATE_FORMS_INDEX = "CREATE TEXT INDEX entity_forms IF NOT EXISTS FOR (n:Entity) ON (n.forms)"
_DROP_FORMS_INDEX = "DROP INDEX entity_forms IF EXISTS"
_AWAIT_FORMS_INDEX = "CALL db.awaitIndex('entity_forms', 300)"
_SCHEMA = (
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT report_id IF NOT EXISTS FOR (r:Report) REQUIRE r.id IS UNIQUE",
    "CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name)",
    "CREATE INDEX entity_type IF NOT EXISTS FOR (n:Entity) ON (n.type)",
    _CREATE_FORMS_INDEX,
    f"CREATE INDEX ufgraph_staging_entity_id IF NOT EXISTS FOR (n:{STAGING_ENTITY}) ON (n.id)",
    f"CREATE INDEX ufgraph_staging_report_id IF NOT EXISTS FOR (r:{STAGING_REPORT}) ON (r.id)",
    f"CREATE CONSTRAINT ufgraph_state_key IF NOT EXISTS FOR (s:{STATE}) REQUIRE s.key IS UNIQUE",
)
_AWAIT_INDEXES = "CALL db.awaitIndexes(300)"  # staging batches must find their ends by index
# The lock: held by the open transaction that set `busy` (a write rolls it back at the end, so
# `busy` is never seen committed); MERGE under the key's constraint also serialises its creation.
_TAKE_WRITER_LOCK = f"MERGE (w:{STATE} {{key: 'writer'}}) SET w.busy = true"
_MAKE_WRITER_NODE = f"MERGE (w:{STATE} {{key: 'writer'}})"
_MAKE_GRAPH_NODE = f"MERGE (s:{STATE} {{key: 'graph'}})"
# Holds the graph node for the transaction and changes nothing (see the docstring's end). Not
# `SET s.stamp = s.stamp`: that reads the stamp before waiting, and would write the old one back.
_HOLD_GRAPH = f"MATCH (s:{STATE} {{key: 'graph'}}) SET s.held = true REMOVE s.held"
_CLEAR_WRITER_FLAG = f"MATCH (w:{STATE} {{key: 'writer'}}) REMOVE w.busy"
_READ_STAMP = f"MATCH (s:{STATE} {{key: 'graph'}}) RETURN s.stamp AS stamp"
_WRITE_STAMP = f"MERGE (s:{STATE} {{key: 'graph'}}) SET s.stamp = $stamp"
# Analysis scores describe the whole graph: any change makes them stale (graph/delta.py).
_DROP_SCORES = (f"MATCH (n:Entity) WHERE {' OR '.join(f'n.{s} IS NOT NULL' for s in SCORES)} "
                f"REMOVE {', '.join(f'n.{s}' for s in SCORES)}")
# Deleting a generation: its relationships first, a bounded number per transaction (a node
# may have tens of thousands), then its nodes. {label}/{where} are the store's own text, never input.
_DELETE_SOME_RELS = "MATCH (n:{label})-[r]->() {where} WITH r LIMIT $limit DELETE r RETURN count(*) AS deleted"
_DELETE_SOME_NODES = "MATCH (n:{label}) {where} WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
# Plans are cached from the first, often tiny, graph a store wrote; the hints keep them on the index.
_BY_ID_N = f"USING INDEX n:{STAGING_ENTITY}(id)"
_BY_ID_R = f"USING INDEX r:{STAGING_REPORT}(id)"
# Staging sends each batch as columns, one list per property (p_<key>[i] for row i), which the
# driver packs two to three times faster than a map per row; CREATE returns the new nodes'
# element ids, by which the relationships then find their ends (no index lookup).
_COUNT_STAGED = (f"OPTIONAL MATCH (n:{STAGING_ENTITY}) WHERE NOT n:Entity WITH count(n) AS entities "
                 f"OPTIONAL MATCH (r:{STAGING_REPORT}) WHERE NOT r:Report RETURN entities, count(r) AS reports")
# The switch changes as few labels as it can (each changed label costs the transaction memory):
# staged nodes take only :Entity or :Report there; their type label comes, and the staging
# label goes, in small transactions right after (_finish_promotion).
_RETIRE_REPORTS = f"MATCH (r:Report) REMOVE r:Report:{STAGING_REPORT} SET r:{RETIRED}"
# By label scan, not by a list of ids: the list and its lookups would cost the switch memory too.
# Under the writers' lock every staged node not yet live is this write's (the counts are checked).
_PROMOTE_ENTITIES = f"MATCH (n:{STAGING_ENTITY}) WHERE NOT n:Entity SET n:Entity RETURN count(n) AS written"
_PROMOTE_REPORTS = f"MATCH (r:{STAGING_REPORT}) WHERE NOT r:Report SET r:Report RETURN count(r) AS written"
_FINISH_REPORTS = (f"UNWIND $ids AS id MATCH (r:{STAGING_REPORT} {{id: id}}) {_BY_ID_R} WHERE r:Report "
                   f"REMOVE r:{STAGING_REPORT} RETURN count(r) AS written")
_FINISH_LEFT_REPORTS = (f"MATCH (r:{STAGING_REPORT}:Report) WITH r LIMIT $limit REMOVE r:{STAGING_REPORT} "
                        "RETURN count(r) AS written")
_WRITE_REPORTS = "UNWIND $rows AS row MERGE (r:Report {id: row.id}) SET r = row RETURN count(r) AS written"
_DELETE_ENTITIES = "UNWIND $ids AS id MATCH (n:Entity {id: id}) DETACH DELETE n"
_DELETE_REPORTS = "UNWIND $ids AS id MATCH (r:Report {id: id}) DETACH DELETE r"
_DELETE_MENTIONS = f"UNWIND $ids AS id MATCH (:Entity {{id: id}})-[m:{MENTIONED_IN}]->(:Report) DELETE m"
# `post_types` (graph/store.held_post_types) after a change, from the posts then stored.
_POST_HOLDERS = ("CALL { UNWIND $ids AS id MATCH (p:Entity)-[:HOLDS_POST]->(:Entity {id: id}) RETURN p "
                 "UNION UNWIND $rows AS row MATCH (p:Entity)-[:HOLDS_POST]->(o:Entity {id: row.id}) "
                 "WHERE o.type <> row.type RETURN p } RETURN collect(DISTINCT p.id) AS ids")
_COUNT_POST_TYPES = ("UNWIND $ids AS id MATCH (p:Entity {id: id}) OPTIONAL MATCH (p)-[:HOLDS_POST]->(o:Entity) "
                     "WITH p, o.type AS type ORDER BY type WITH p, collect(type) AS types "
                     "SET p.post_types = types")
_SET_NODE_PROPS = "UNWIND $rows AS row MATCH (n:Entity {id: row.id}) SET n += row.props RETURN count(n) AS written"
_READ_REPORTS = "MATCH (r:Report) RETURN properties(r) AS props ORDER BY r.id"
_READ_ENTITIES = "MATCH (n:Entity) RETURN properties(n) AS props ORDER BY n.id"
_READ_MENTIONS = ("MATCH (n:Entity)-[m:MENTIONED_IN]->(r:Report) "
                  "RETURN n.id AS node, r.id AS report, m.evidence AS sentence ORDER BY node, report")
_READ_EDGES = ("MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id AS source, type(r) AS type, b.id AS target, "
               "properties(r) AS props ORDER BY source, type, target")


def _type_labels(keep: str | None = None) -> list[str]:
    """Every node type of the ontology as a checked label, but `keep`."""
    ontology = load_ontology()
    return [ontology.check_label(t) for t in ontology.node_types if t != keep]


def _retire_entities_query() -> str:
    labels = ":".join(["Entity", STAGING_ENTITY, *_type_labels()])
    return f"MATCH (n:Entity) REMOVE n:{labels} SET n:{RETIRED}"


def _finish_entities_query(label: str) -> str:
    """Live nodes of one type, by id, from the last switch: their type label on, the staging label off."""
    return (f"UNWIND $ids AS id MATCH (n:{STAGING_ENTITY} {{id: id}}) {_BY_ID_N} WHERE n:Entity "
            f"REMOVE n:{STAGING_ENTITY} SET n:{load_ontology().check_label(label)} RETURN count(n) AS written")


def _finish_left_entities_query(label: str) -> str:
    """The same for a switch whose write died before it finished (found by type, not by id)."""
    return (f"MATCH (n:{STAGING_ENTITY}:Entity) WHERE n.type = $type WITH n LIMIT $limit "
            f"REMOVE n:{STAGING_ENTITY} SET n:{load_ontology().check_label(label)} RETURN count(n) AS written")


def _rel_ends(rel: str, entity: str, report: str) -> tuple[str, str]:
    """(relationship type, label of its target): MENTIONED_IN ends at a report, the others at an entity."""
    return load_ontology().check_rel_type(rel), report if rel == MENTIONED_IN else entity


def _stage_nodes_query(label: str, keys: list[str], params: dict[str, Any]) -> str:
    """Staging nodes from columns; returns their element ids in row order."""
    return (f"{_with_columns([f'p_{key}' for key in keys], params)} UNWIND range(0, $n - 1) AS i "
            f"CREATE (n:{label} {{{_props_text(keys)}}}) RETURN collect(elementId(n)) AS created")


def _unstage_nodes_query(label: str, params: dict[str, Any]) -> str:
    live = "Report" if label == STAGING_REPORT else "Entity"
    return (f"{_with_columns(['p_id'], params)} UNWIND p_id AS id MATCH (n:{label} {{id: id}}) "
            f"USING INDEX n:{label}(id) WHERE NOT n:{live} DETACH DELETE n")


def _stage_rels_query(rel: str, keys: list[str], params: dict[str, Any]) -> str:
    """Relationships between staged nodes from columns, their ends by element id."""
    rel = load_ontology().check_rel_type(rel)
    return (f"{_with_columns(['end_a', 'end_b', *(f'p_{key}' for key in keys)], params)} "
            "UNWIND range(0, $n - 1) AS i MATCH (a) WHERE elementId(a) = end_a[i] "
            f"MATCH (b) WHERE elementId(b) = end_b[i] CREATE (a)-[r:{rel} {{{_props_text(keys)}}}]->(b) "
            "RETURN count(r) AS written")


def _unstage_rels_query(rel: str, params: dict[str, Any]) -> str:
    rel = load_ontology().check_rel_type(rel)
    return (f"{_with_columns(['end_a', 'end_b'], params)} UNWIND range(0, $n - 1) AS i "
            f"MATCH (a)-[r:{rel}]->(b) WHERE elementId(a) = end_a[i] AND elementId(b) = end_b[i] DELETE r")


def _props_text(keys: list[str]) -> str:
    """`key: p_key[i], ...` for checked property names (a null value sets nothing, as in SET n = map)."""
    return ", ".join(f"{key}: p_{key}[i]" for key in keys)


def _with_columns(names: list[str], params: dict[str, Any]) -> str:
    """`WITH` each column as a list named as its parameter; columns sent joined (_column) are
    split here, once per batch."""
    return "WITH " + ", ".join(f"{_column_list(name, params)} AS {name}" for name in names)


def _column_list(name: str, params: dict[str, Any]) -> str:
    if f"subsep_{name}" in params:  # lists of text
        return f"[x IN split(${name}, $sep_{name}) | CASE x WHEN '' THEN [] ELSE split(x, $subsep_{name}) END]"
    if f"sep_{name}" in params:
        return f"split(${name}, $sep_{name})"
    return f"${name}"


def _columns(props: list[dict]) -> tuple[list[str], dict[str, Any]]:
    """Property maps as (their keys, the parameters of their columns: p_<key>, None where a map
    lacks the key)."""
    keys = sorted({key for one in props for key in one})
    params: dict[str, Any] = {}
    for key in keys:
        if not _PROPERTY_NAME.match(key):
            raise RecordError(f"property name {key!r} cannot be stored")
        params.update(_column(f"p_{key}", [one.get(key) for one in props]))
    return keys, params


def _column(name: str, values: list) -> dict[str, Any]:
    """The parameters of one column: {name: values}, or, for text and for lists of non-empty
    text, the values joined by separators that none of them holds, which the server splits
    (_column_list). The driver packs value by value in Python: one long string costs a fraction
    of a list of short ones."""
    if all(type(value) is str for value in values):
        seps = _free_separators("".join(values), 1)
        return {name: seps[0].join(values), f"sep_{name}": seps[0]} if seps else {name: values}
    if all(type(value) is list and all(type(item) is str and item for item in value) for value in values):
        seps = _free_separators("".join(item for value in values for item in value), 2)
        if seps:
            return {name: seps[0].join(seps[1].join(value) for value in values), f"sep_{name}": seps[0],
                    f"subsep_{name}": seps[1]}
    return {name: values}


def _free_separators(text: str, count: int) -> list[str]:
    """`count` separators that `text` does not hold, or none."""
    free = [sep for sep in _SEPARATORS if sep not in text]
    return free[:count] if len(free) >= count else []


def _write_entities_query(label: str) -> str:
    """Live entities of one type, written in place: properties given replace those held, the type
    label is set and any other type label removed."""
    return ("UNWIND $rows AS row MERGE (n:Entity {id: row.id}) ON CREATE SET n.post_types = [] SET n += row.props "
            f"REMOVE n:{':'.join(_type_labels(label))} SET n:{load_ontology().check_label(label)} "
            "RETURN count(n) AS written")


def _write_rels_query(rel: str) -> str:
    """Live relationships of one type, written in place (MERGE on the ends); both ends must exist."""
    rel, target = _rel_ends(rel, "Entity", "Report")
    return (f"UNWIND $rows AS row MATCH (a:Entity {{id: row.s}}) MATCH (b:{target} {{id: row.t}}) "
            f"MERGE (a)-[r:{rel}]->(b) SET r = row.props RETURN count(r) AS written")


def _delete_rels_query(rel: str) -> str:
    rel, target = _rel_ends(rel, "Entity", "Report")
    return f"UNWIND $rows AS row MATCH (:Entity {{id: row.s}})-[r:{rel}]->(:{target} {{id: row.t}}) DELETE r"


class Neo4jStore(GraphStore):
    """The graph in Neo4j. `database=None` uses the server's default database."""

    name = "neo4j"

    def __init__(self, driver, database: str | None = None, *, batch_size: int = BATCH_SIZE,
                 workers: int = WORKERS):
        self._driver = driver
        self._database = database
        self._batch_size = batch_size
        self._delete_batch = batch_size * DELETE_BATCH_FACTOR
        self._workers = workers
        self._owns_driver = False
        self._schema_ready = False
        self._scoped_call: bool | None = None  # does the server take CALL () { ... }? (run_columns)

    def __repr__(self) -> str:
        return f"Neo4jStore(database={self._database!r})"

    def close(self) -> None:
        if self._owns_driver:
            self._driver.close()

    def ensure_schema(self) -> None:
        """Uniqueness of Entity.id and Report.id, indexes on Entity.name and Entity.type, and the
        store's own: indexes on the staging labels' id, uniqueness of the state nodes' key."""
        self._write("create the schema", lambda tx: [tx.run(q).consume() for q in _SCHEMA])
        self._write("create the schema", lambda tx: tx.run(_AWAIT_INDEXES).consume())
        # The state nodes, made once here: taking the writers' lock never leaves a node behind,
        # and a read can hold the graph node before the first switch.
        self._write("create the schema",
                    lambda tx: [tx.run(q).consume() for q in (_MAKE_WRITER_NODE, _MAKE_GRAPH_NODE)])
        self._schema_ready = True

    def replace(self, doc: GraphDocument, stamp: str = "") -> None:
        # The document and the plan are millions of objects, which each of Python's cycle
        # collections would walk again while the batches are built (a fifth of this side's CPU).
        with cycle_collector_paused():
            self._replace(doc, stamp)

    def _replace(self, doc: GraphDocument, stamp: str) -> None:
        plan = _WritePlan.of(doc)  # all checks before anything is written
        if not self._schema_ready:
            self.ensure_schema()
        with self._writer_lock() as still_held:
            self._clear_unfinished()
            try:
                self._stage(plan)
                still_held()
                self._write("replace the graph", lambda tx: tx.run(_DROP_FORMS_INDEX).consume())
                try:
                    self._switch(plan, stamp)
                finally:
                    self._write("replace the graph", lambda tx: tx.run(_CREATE_FORMS_INDEX).consume())
            except Exception:
                self._forget_staging()
                raise
            self._finish_promotion(plan)
            self._delete_retired()
            # Done once the forms index is online: a query planned without it (a scan) stays
            # in the plan cache, and an entity lookup by scan took minutes inside `ego`.
            self._write("replace the graph", lambda tx: tx.run(_AWAIT_FORMS_INDEX).consume())

    def stamp(self) -> str:
        record = self._in_tx(neo4j.READ_ACCESS, "read the stamp", lambda tx: tx.run(_READ_STAMP).single())
        return (record["stamp"] if record else None) or ""

    def apply(self, delta: GraphDelta, before: str, after: str) -> None:
        rows = _DeltaRows.of(delta)  # all checks before the transaction opens
        if not self._schema_ready:
            self.ensure_schema()
        self._write("apply the change", lambda tx: self._apply_in(tx, rows, before, after))

    def read(self) -> GraphDocument:
        try:
            return self._in_tx(neo4j.WRITE_ACCESS, "read the graph", _read_held_document,
                               raw_client_errors=True, retry_out_of_memory=True)
        except ClientError as exc:
            if not any(mark in (exc.code or "") for mark in _HOLD_REFUSED):
                raise StoreError(f"Neo4j could not read the graph: {_describe(exc)}") from None
        return self._in_tx(neo4j.READ_ACCESS, "read the graph", _read_document)

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        if _LOAD_CSV.search(_STRING_OR_COMMENT.sub(" ", cypher)):
            # A read transaction still lets LOAD CSV read the server's files and fetch URLs.
            raise QueryError("queries may only read the graph; LOAD CSV (a file or a URL) is refused")

        def work(tx):
            return [{key: _plain(value) for key, value in record.items()}
                    for record in tx.run(cypher, params or {})]
        try:
            return self._in_tx(neo4j.READ_ACCESS, "run a query", work, raw_client_errors=True)
        except ClientError as exc:
            if any(mark in (exc.code or "") for mark in _WRITE_REFUSED):
                raise QueryError(f"query refused: queries are read-only here and this one writes "
                                 f"({_describe(exc)})") from None
            raise QueryError(f"query failed: {_describe(exc)}") from None
        except (TypeError, ValueError) as exc:  # the driver cannot send a parameter value
            raise QueryError(f"query parameters refused: {exc}") from None

    def run_columns(self, cypher: str, params: dict[str, Any] | None, columns: tuple[str, ...]) -> list[dict[str, Any]]:
        """`run` for a query whose columns are known (a query module's): its rows come back as
        one list in one record. The driver decodes every record as a message of its own, which
        took 70 of `programme`'s 100 ms for 1,825 rows at 10,000 reports; as one list, 30 ms in
        all. The rows keep the query's order: collect() takes them as the subquery gives them.
        A server before 5.23, which lacks the CALL () { } form, gets the query as it is."""
        for column in columns:
            if not _COLUMN.fullmatch(column):
                raise QueryError(f"column name {column!r}: not a plain Cypher name")
        if not self._takes_scoped_call():
            return self.run(cypher, params)
        text = "CALL () {\n" + cypher + "\n}\nRETURN collect([" + ", ".join(columns) + "]) AS rows"
        return [dict(zip(columns, row)) for row in self.run(text, params)[0]["rows"]]

    def _takes_scoped_call(self) -> bool:
        if self._scoped_call is None:
            found = self.run("CALL dbms.components() YIELD name, versions WHERE name = 'Neo4j Kernel' "
                             "RETURN versions[0] AS version")
            self._scoped_call = bool(found) and _version(found[0]["version"]) >= (5, 23)
        return self._scoped_call

    def set_node_properties(self, prop: str, values: dict[str, Any]) -> None:
        if prop not in SCORES:
            raise OntologyError(f"node property {prop!r} cannot be written; "
                                f"analysis properties are {', '.join(SCORES)}")
        rows = [{"id": node_id, "props": {prop: _check_score(prop, node_id, value)}}
                for node_id, value in values.items()]
        self._write(f"write {prop}", lambda tx: self._set_props_in(tx, rows))

    # -- transactions -------------------------------------------------------

    def _write(self, what: str, work: Callable) -> Any:
        return self._in_tx(neo4j.WRITE_ACCESS, what, work)

    def _in_tx(self, mode: str, what: str, work: Callable, raw_client_errors: bool = False,
               retry_out_of_memory: bool | None = None) -> Any:
        """Run `work(tx)` in one explicit transaction; commit only if it returns. A read is tried
        again when the server's transaction memory runs out (`retry_out_of_memory`: by default,
        in read access)."""
        def attempt():
            with self._session(mode) as session:
                with session.begin_transaction() as tx:  # leaving by an exception rolls back
                    out = work(tx)
                    tx.commit()
                    return out
        try:
            # A read that runs out of the server's transaction memory is waiting on other
            # transactions (a refresh killed mid-write, until the server reaps it): try again.
            if retry_out_of_memory is None:
                retry_out_of_memory = mode == neo4j.READ_ACCESS
            return _retry(attempt, out_of_memory_too=retry_out_of_memory)
        except ClientError as exc:
            if raw_client_errors:
                raise
            raise StoreError(f"Neo4j could not {what}: {_describe(exc)}") from None
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"Neo4j could not {what}: {_describe(exc)}") from None

    def _session(self, mode: str = neo4j.WRITE_ACCESS):
        return self._driver.session(database=self._database, default_access_mode=mode)

    def _batches(self, rows: list) -> Iterator[list]:
        for start in range(0, len(rows), self._batch_size):
            yield rows[start:start + self._batch_size]

    def _write_rows(self, tx, query: str, rows: list[dict], what: str) -> None:
        """Batches of rows in the transaction `tx`; each must write one record per row."""
        for batch in self._batches(rows):
            _check_written(tx.run(query, rows=batch).single()["written"], len(batch), what)

    # -- replace: the writers' lock ------------------------------------------

    @contextmanager
    def _writer_lock(self) -> Iterator[Callable[[], None]]:
        """Hold the writers' lock (an open transaction on the writer node) for the block, which
        gets a check that raises StoreError if the lock's connection has gone."""
        session = self._session()
        tx = None
        try:
            def take():
                nonlocal tx
                tx = session.begin_transaction()
                tx.run(_TAKE_WRITER_LOCK).consume()
            self._guarded("replace the graph", take)
            yield lambda: self._guarded("replace the graph", lambda: tx.run("RETURN 1").consume())
        finally:
            _quietly(lambda: tx and tx.close())  # a rollback: the lock node is left as it was
            _quietly(session.close)

    def _guarded(self, what: str, fn: Callable) -> Any:
        """fn() with the driver's errors as StoreError (no retry: fn holds state of its own)."""
        try:
            return fn()
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"Neo4j could not {what}: {_describe(exc)}") from None

    # -- replace: the generations --------------------------------------------

    def _clear_unfinished(self) -> None:
        """What an earlier write left when it died: a promotion to finish, a staging generation
        that never went live, a retired generation not yet deleted."""
        for label in _type_labels():
            while self._count_in_tx(_finish_left_entities_query(label), "finish an earlier write",
                                    type=label, limit=self._delete_batch):
                pass
        while self._count_in_tx(_FINISH_LEFT_REPORTS, "finish an earlier write", limit=self._delete_batch):
            pass
        self._delete_generation(STAGING_ENTITY, "WHERE NOT n:Entity", "clear an unfinished write")
        self._delete_generation(STAGING_REPORT, "WHERE NOT n:Report", "clear an unfinished write")
        self._delete_generation(RETIRED, "", "clear an unfinished write")

    def _stage(self, plan: "_WritePlan") -> None:
        """The new graph under the staging labels, in batches of separate transactions: nodes
        first, then the relationships between them, which find their ends by the element ids
        the nodes' batches returned. Each batch is handed to the sessions as soon as it is built,
        so this process builds while the server writes."""
        node_batches = [(STAGING_REPORT, batch, "reports") for batch in self._batches(plan.reports)]
        node_batches += [(STAGING_ENTITY, [row["props"] for row in batch], f"{label} nodes")
                         for label, rows in plan.entities.items() for batch in self._batches(rows)]
        with _BatchRunner(self._workers) as runner:
            created = [runner.submit(self._write_batch, self._node_batch(*batch)) for batch in node_batches]
            # While the server writes the nodes, the relationships' properties become columns;
            # their ends wait for the nodes' element ids.
            parts = self._rel_parts(plan)
            ready = []
            for part in parts:
                ready.append(part)
                if runner.all_done(created):
                    break
            element_ids = {props["id"]: element_id
                           for (_, batch, _), ids in zip(node_batches, runner.answers(created))
                           for props, element_id in zip(batch, ids)}
            runner.answers([runner.submit(self._write_batch, self._rel_batch(part, element_ids))
                            for part in itertools.chain(ready, parts)])

    @staticmethod
    def _node_batch(label: str, props: list[dict], what: str) -> "_Batch":
        keys, params = _columns(props)
        params["n"] = len(props)
        return _Batch(_stage_nodes_query(label, keys, params), _unstage_nodes_query(label, params), params, what,
                      returns_ids=True)

    def _rel_parts(self, plan: "_WritePlan") -> Iterator["_RelPart"]:
        """The relationship batches without their ends: type, rows and property columns."""
        for rel, rows in plan.rels.items():
            for batch in self._batches(rows):
                yield _RelPart(rel, batch, *_columns([_rel_props(row) for row in batch]))

    @staticmethod
    def _rel_batch(part: "_RelPart", element_ids: dict[str, str]) -> "_Batch":
        rows, params = part.rows, part.params
        params.update(n=len(rows), **_column("end_a", [element_ids[row[0]] for row in rows]),
                      **_column("end_b", [element_ids[row[1]] for row in rows]))
        return _Batch(_stage_rels_query(part.rel, part.keys, params), _unstage_rels_query(part.rel, params),
                      params, f"{part.rel} relationships")

    def _write_batch(self, batch: "_Batch") -> Any:
        """One batch in its own transaction; the element ids it created, or None. CREATE is not
        idempotent: when a retry follows a failure whose commit may have gone through, the batch's
        `undo` first removes what it wrote."""
        attempts = []

        def work(tx):
            if attempts:
                tx.run(batch.undo, batch.params).consume()
            attempts.append(1)
            answer = tx.run(batch.query, batch.params).single()[0]
            _check_written(len(answer) if batch.returns_ids else answer, batch.params["n"], batch.what)
            return answer if batch.returns_ids else None
        return self._write("replace the graph", work)

    def _switch(self, plan: "_WritePlan", stamp: str) -> None:
        """One transaction: the live graph retires, the staging generation goes live."""
        attempts = []
        entity_ids, report_ids = plan.entity_ids, [row["id"] for row in plan.reports]

        def work(tx):
            staged = tx.run(_COUNT_STAGED).single()
            if attempts and staged["entities"] == staged["reports"] == 0 and (entity_ids or report_ids):
                return  # the earlier attempt committed; only its answer was lost (we hold the lock)
            attempts.append(1)
            _check_written(staged["entities"], len(entity_ids), "staged nodes")
            _check_written(staged["reports"], len(report_ids), "staged reports")
            tx.run(_retire_entities_query()).consume()
            tx.run(_RETIRE_REPORTS).consume()
            _check_written(tx.run(_PROMOTE_ENTITIES).single()["written"], len(entity_ids), "nodes switched")
            _check_written(tx.run(_PROMOTE_REPORTS).single()["written"], len(report_ids), "reports switched")
            tx.run(_WRITE_STAMP, stamp=stamp).consume()
        self._write("replace the graph", work)

    def _finish_promotion(self, plan: "_WritePlan") -> None:
        """The new live nodes take their type labels and lose the staging label, in batches. A
        failure is only logged: the graph is live and whole; the next write finishes the job."""
        batches = [(_finish_entities_query(label), [row["id"] for row in batch], f"{label} nodes")
                   for label, rows in plan.entities.items() for batch in self._batches(rows)]
        batches += [(_FINISH_REPORTS, [row["id"] for row in batch], "reports") for batch in self._batches(plan.reports)]

        def label(query: str, ids: list[str], what: str) -> None:
            _check_written(self._count_in_tx(query, "label the new graph", ids=ids), len(ids), what)
        try:
            with _BatchRunner(self._workers) as runner:  # distinct nodes in each: no batch waits for another
                runner.answers([runner.submit(label, *batch) for batch in batches])
        except StoreError as exc:
            log.warning("%s; the next write finishes labelling", exc)

    def _delete_retired(self) -> None:
        """The retired generation, in small transactions. The new graph is live already, so a
        failure here is only logged: the next write deletes what is left."""
        try:
            self._delete_generation(RETIRED, "", "delete the previous graph")
        except StoreError as exc:
            log.warning("%s; the next write deletes the rest", exc)

    def _forget_staging(self) -> None:
        """After a failed write: one attempt at deleting its staging nodes (the server may be gone;
        the next write deletes what is left)."""
        try:
            self._delete_generation(STAGING_ENTITY, "WHERE NOT n:Entity", "", retry=False)
            self._delete_generation(STAGING_REPORT, "WHERE NOT n:Report", "", retry=False)
        except (StoreError, Neo4jError, DriverError):
            pass

    def _delete_generation(self, label: str, where: str, what: str, retry: bool = True) -> None:
        """Nodes labelled `label` (and matching `where`) with their relationships, in transactions
        of a bounded size. Each is idempotent, so safe to retry."""
        for query in (_DELETE_SOME_RELS, _DELETE_SOME_NODES):
            query = query.format(label=label, where=where)
            while self._count_in_tx(query, what, retry=retry, limit=self._delete_batch):
                pass

    def _count_in_tx(self, query: str, what: str, retry: bool = True, **params) -> int:
        """Run a query returning one count in a transaction of its own; the count."""
        def work(tx):
            return tx.run(query, params).single()[0]
        if retry:
            return self._write(what, work)
        with self._session() as session:
            return _once(session, work)

    # -- apply ------------------------------------------------------------------

    def _apply_in(self, tx, rows: "_DeltaRows", before: str, after: str) -> None:
        tx.run(_TAKE_WRITER_LOCK).consume()  # after any write under way; the stamp read next is current
        record = tx.run(_READ_STAMP).single()
        held = (record["stamp"] if record else None) or ""
        if held != before:
            raise StaleStoreError(f"the Neo4j store holds the graph stamped {held!r}, not {before!r}, "
                                  "which the change was computed against")
        tx.run(_DROP_SCORES).consume()  # a written node that carries scores sets them again below
        # Before the writes: who holds posts in the nodes removed or given another type.
        recount = set(tx.run(_POST_HOLDERS, ids=rows.removed_nodes, rows=rows.written.entity_types).single()["ids"])
        recount |= rows.posts_touched
        for rel, keys in rows.removed_rels.items():
            for batch in self._batches(keys):
                tx.run(_delete_rels_query(rel), rows=batch).consume()
        for query, ids in ((_DELETE_ENTITIES, rows.removed_nodes), (_DELETE_REPORTS, rows.removed_reports)):
            for batch in self._batches(ids):
                tx.run(query, ids=batch).consume()
        plan = rows.written
        self._write_rows(tx, _WRITE_REPORTS, plan.reports, "reports")
        for label, entity_rows in plan.entities.items():
            self._write_rows(tx, _write_entities_query(label), entity_rows, f"{label} nodes")
        for batch in self._batches(plan.entity_ids):
            tx.run(_DELETE_MENTIONS, ids=batch).consume()  # rebuilt from the nodes' evidence below
        for rel in plan.rels:
            self._write_rows(tx, _write_rels_query(rel), plan.rel_rows(rel),
                             f"{rel} relationships (are both ends stored?)")
        for batch in self._batches(sorted(recount)):
            tx.run(_COUNT_POST_TYPES, ids=batch).consume()
        tx.run(_WRITE_STAMP, stamp=after).consume()
        tx.run(_CLEAR_WRITER_FLAG).consume()

    def _set_props_in(self, tx, rows: list[dict]) -> None:
        written = sum(tx.run(_SET_NODE_PROPS, rows=batch).single()["written"] for batch in self._batches(rows))
        if written != len(rows):
            raise StoreError(f"{len(rows) - written} of {len(rows)} node ids are not in the graph; nothing written")
        # A read sees all the scores or none. Last, as the switch writes its stamp: every change
        # takes the graph node after its nodes, so two changes never wait on each other in a circle.
        tx.run(_HOLD_GRAPH).consume()


class _BatchRunner:
    """Work handed to `workers` threads (each with its own session) as soon as it is built. After
    the first failure no further work starts; `answers` raises that failure, and leaving the
    block waits for the work under way."""

    def __init__(self, workers: int):
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="neo4j-write")
        self._futures: list[Future] = []
        self._failed = threading.Event()

    def __enter__(self) -> "_BatchRunner":
        return self

    def __exit__(self, *exc_info) -> None:
        self._failed.set()  # nothing queued starts once the block is left, by an error or not
        self._pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, fn: Callable, *args) -> Future:
        """fn(*args) on the next free thread; raises an earlier work's failure instead."""
        if self._failed.is_set():
            self.answers(self._futures)  # raises the failure
        future = self._pool.submit(self._run, fn, *args)
        self._futures.append(future)
        return future

    def _run(self, fn: Callable, *args) -> Any:
        if self._failed.is_set():
            return None  # an earlier work failed: answers() raises its error
        try:
            return fn(*args)
        except BaseException:
            self._failed.set()
            raise

    @staticmethod
    def all_done(futures: list[Future]) -> bool:
        return all(future.done() for future in futures)

    @staticmethod
    def answers(futures: list[Future]) -> list[Any]:
        """The answers in order, once all are in; the first failure to end is raised."""
        for future in as_completed(futures):
            future.result()
        return [future.result() for future in futures]


@dataclass
class _RelPart:
    """A relationship batch before its ends are known: its rows and property columns."""

    rel: str
    rows: list[tuple]
    keys: list[str]
    params: dict[str, Any]


@dataclass
class _Batch:
    """One staging transaction: its query and parameters (columns of `n` rows), and the query
    that removes what it wrote."""

    query: str
    undo: str
    params: dict[str, Any]
    what: str
    returns_ids: bool = False


def _check_written(written: int, expected: int, what: str) -> None:
    if written != expected:
        raise StoreError(f"Neo4j wrote {written} of {expected} {what}; the transaction is undone")


def _once(session, work: Callable) -> Any:
    with session.begin_transaction() as tx:
        out = work(tx)
        tx.commit()
        return out


def _quietly(fn: Callable) -> None:
    """Release something whose connection may be gone already."""
    try:
        fn()
    except Exception:  # noqa: BLE001 - cleanup after a failure must not hide that failure
        pass


class _AnyReport:
    """Stands for the store's reports when a delta's node names one: the store checks that each
    MENTIONED_IN finds its report (the write counts what it matched)."""

    def __contains__(self, report: object) -> bool:
        return True


class _WritePlan:
    """The rows a write stores, grouped by label and relationship type, checked up front."""

    def __init__(self):
        self.reports: list[dict] = []
        self.entities: dict[str, list[dict]] = defaultdict(list)
        # (source id, target id, properties): a mention's as a map, an edge's as the Edge,
        # turned into a map when its batch is built (_rel_props; its checks ran here).
        self.rels: dict[str, list[tuple]] = defaultdict(list)
        self.rel_keys: set[str] = set()

    @classmethod
    def of(cls, doc: GraphDocument) -> "_WritePlan":
        """The whole document: every edge joins two of its nodes, every mention one of its reports."""
        node_ids = unique_ids([n.id for n in doc.nodes], "node")
        return cls._of(doc.reports, doc.nodes, doc.edges, unique_ids([r.id for r in doc.reports], "report"),
                       node_ids)

    @classmethod
    def of_part(cls, reports: list[Report], nodes: list[Node], edges: list[Edge]) -> "_WritePlan":
        """Records to write into a stored graph: their ends and reports may be stored already."""
        unique_ids([r.id for r in reports], "report")
        unique_ids([n.id for n in nodes], "node")
        return cls._of(reports, nodes, edges, _AnyReport(), None)

    @classmethod
    def _of(cls, reports, nodes, edges, report_ids, node_ids) -> "_WritePlan":
        with cycle_collector_paused():
            return cls._fill(cls(), reports, nodes, edges, report_ids, node_ids)

    @staticmethod
    def _fill(plan: "_WritePlan", reports, nodes, edges, report_ids, node_ids) -> "_WritePlan":
        plan.reports = [{key: getattr(r, key) for key in REPORT_PROPERTIES} for r in reports]
        # A whole graph's `post_types` are counted here; a change's, in the store (_apply_in).
        held = None if node_ids is None else held_post_types(nodes, edges)
        # One per node and report by construction, so no duplicate check (and no key) is needed.
        mentions = plan.rels[load_ontology().check_rel_type(MENTIONED_IN)]
        for node in nodes:
            plan._add_entity(node, None if held is None else held.get(node.id, []))
            mentions.extend((node.id, report, {"evidence": sentence, "count": count})
                            for report, (sentence, count) in report_mentions(node, report_ids).items())
        for edge in edges:
            if edge.type != MENTIONED_IN:  # built from node evidence above, as in the embedded store
                plan._add_edge(edge, node_ids)
        return plan

    @property
    def entity_ids(self) -> list[str]:
        return [row["id"] for rows in self.entities.values() for row in rows]

    @property
    def entity_types(self) -> list[dict]:
        return [{"id": row["id"], "type": row["props"]["type"]} for rows in self.entities.values() for row in rows]

    def rel_rows(self, rel: str) -> list[dict]:
        """The relationships of one type as maps {s, t, props}, their properties built."""
        return [{"s": row[0], "t": row[1], "props": _rel_props(row)} for row in self.rels[rel]]

    @property
    def size(self) -> int:
        """Nodes and reports."""
        return len(self.reports) + sum(len(rows) for rows in self.entities.values())

    def _add_entity(self, node: Node, post_types: list[str] | None) -> None:
        if node.type == "Report":
            raise RecordError(f"node {node.name!r}: reports belong in the document's reports, not its nodes")
        self.entities[load_ontology().check_label(node.type)].append(
            {"id": node.id, "props": _node_props(node, post_types)})

    def _add_edge(self, edge: Edge, node_ids: set[str] | None) -> None:
        where = f"edge {edge.type} {edge.source}->{edge.target}"
        if node_ids is not None and (edge.source not in node_ids or edge.target not in node_ids):
            raise RecordError(f"{where}: endpoint is not a node of the document")
        if _KEY_SEP.join((edge.source, edge.type, edge.target)) in self.rel_keys:
            raise RecordError(f"{where} appears twice; resolve the document first")
        _check_edge_props(edge, where)
        self._add_rel(edge.type, edge.source, edge.target, edge)

    def _add_rel(self, rel: str, source: str, target: str, props: dict | Edge) -> None:
        self.rels[load_ontology().check_rel_type(rel)].append((source, target, props))
        self.rel_keys.add(_KEY_SEP.join((source, rel, target)))


@dataclass
class _DeltaRows:
    """What `apply` writes and removes, checked up front."""

    written: _WritePlan
    removed_nodes: list[str] = field(default_factory=list)
    removed_reports: list[str] = field(default_factory=list)
    removed_rels: dict[str, list[dict]] = field(default_factory=dict)
    posts_touched: set[str] = field(default_factory=set)  # graph/store.posts_touched

    @classmethod
    def of(cls, delta: GraphDelta) -> "_DeltaRows":
        removed_rels: dict[str, list[dict]] = defaultdict(list)
        for source, rel, target in delta.removed_edges:
            if rel != MENTIONED_IN:  # mentions follow the nodes' evidence
                removed_rels[load_ontology().check_rel_type(rel)].append({"s": source, "t": target})
        return cls(_WritePlan.of_part(delta.reports, delta.nodes, delta.edges), list(delta.removed_nodes),
                   list(delta.removed_reports), dict(removed_rels), posts_touched(delta))


def _node_props(node: Node, post_types: list[str] | None = None) -> dict:
    """`post_types` (graph/store.held_post_types) None: left as the store holds it (a change)."""
    scores = {key: _check_score(key, node.id, node.props[key])
              for key in SCORES if node.props.get(key) is not None}
    props = {**scores, "id": node.id, "type": node.type, "name": node.name,
             "aliases": list(node.aliases), "forms": entity_forms(node.name, node.aliases),
             "reports": [r for r in node.reports if r]}
    if post_types is not None:
        props["post_types"] = post_types
    return props


def _check_edge_props(edge: Edge, where: str) -> None:
    for key, value in edge.props.items():
        if value is not None and not isinstance(value, str):
            raise RecordError(f"{where}: property {key!r} must be text, not {value!r}")


def _rel_props(row: tuple) -> dict:
    """The properties of a planned relationship (_WritePlan.rels)."""
    props = row[2]
    return props if type(props) is dict else _edge_props(props)


def _edge_props(edge: Edge) -> dict:
    props = {key: value for key, value in edge.props.items() if value is not None}
    return {**props, "reports": [r for r in edge.reports if r], "dates": evidence_dates(edge.evidence),
            "origin": edge.origin, "evidence": evidence_json(edge.evidence)}


def _check_score(prop: str, node_id: str, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RecordError(f"{prop} of node {node_id!r} must be a number, not {value!r}")
    return value


# -- reading --------------------------------------------------------------

def _read_held_document(tx) -> GraphDocument:
    tx.run(_HOLD_GRAPH).consume()  # waits for a change that is committing; none starts until the end
    return _read_document(tx)


def _read_document(tx) -> GraphDocument:
    reports = [Report(**{key: props.get(key, default) for key, default in _REPORT_DEFAULTS.items()})
               for props in (rec["props"] for rec in tx.run(_READ_REPORTS))]
    dates = {r.id: r.date for r in reports}
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for rec in tx.run(_READ_MENTIONS):
        # The store keeps the first sentence per report, so that is what comes back.
        evidence[rec["node"]].append(Evidence(rec["report"], rec["sentence"] or "", 0, 0, MENTIONED_IN,
                                              dates.get(rec["report"], "")))
    nodes = [_node_of(rec["props"], evidence[rec["props"]["id"]]) for rec in tx.run(_READ_ENTITIES)]
    edges = [_edge_of(rec) for rec in tx.run(_READ_EDGES)]
    return GraphDocument(reports, nodes, edges)


def _node_of(props: dict, evidence: list[Evidence]) -> Node:
    scores = {key: props[key] for key in SCORES if props.get(key) is not None}
    return Node(props["id"], props["type"], props["name"], list(props.get("aliases") or []), evidence, scores)


def _edge_of(rec) -> Edge:
    props = rec["props"]
    spec = load_ontology().rel_types.get(rec["type"])
    own = {k: v for k, v in props.items() if spec and k in spec.properties}
    evidence = [Evidence.from_dict(item) for item in json.loads(props.get("evidence") or "[]")]
    return Edge(rec["source"], rec["target"], rec["type"], own, evidence, props.get("origin") or "report")


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def _version(text: str) -> tuple[int, ...]:
    """'5.26.0' → (5, 26); '2025.01.0' → (2025, 1); what does not parse → (0,)."""
    parts = re.match(r"(\d+)\.(\d+)", text or "")
    return (int(parts[1]), int(parts[2])) if parts else (0,)


def _plain(value: Any) -> Any:
    """Driver values as plain Python: nodes and relationships become dicts of their properties."""
    if type(value) in _PLAIN_TYPES:  # most values: return before the isinstance tests below
        return value
    if isinstance(value, (neo4j.graph.Node, neo4j.graph.Relationship)):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [_plain(n) for n in value.nodes],
                "relationships": [_plain(r) for r in value.relationships]}
    if isinstance(value, (list, tuple)):  # a module's rows come as one list (run_columns): no call per plain item
        return [item if type(item) in _PLAIN_TYPES else _plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time values
        return value.iso_format()
    return value


# -- connections and errors ---------------------------------------------------

def connect(uri: str, user: str, password: str, database: str | None = None) -> Neo4jStore:
    """A store on a new driver, checked by one round trip; the store closes the driver.

    Errors name the URI (without any user information) and never the password.
    """
    driver, failure = _checked_driver(uri, user, password, database)
    if failure:
        # Raised here, outside the driver's except blocks, so the driver's exception (which may
        # quote the URI with its password) does not ride along as the StoreError's __context__.
        raise StoreError(failure)
    store = Neo4jStore(driver, database)
    store._owns_driver = True
    return store


def _checked_driver(uri: str, user: str, password: str, database: str | None):
    """(a driver that answered, None), or (None, why not) with the password scrubbed out."""
    where = safe_uri(uri)
    try:
        driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
    except (ValueError, DriverError) as exc:
        return None, f"Neo4j URI {where} is not usable: {_scrub(_describe(exc), uri, password)}"
    try:
        _retry(lambda: _ping(driver, database), out_of_memory_too=True)
    except AuthError:
        driver.close()
        return None, f"Neo4j at {where}: authentication failed for user {user!r}"
    except (Neo4jError, DriverError) as exc:
        driver.close()
        return None, (f"cannot use Neo4j at {where}{f' (database {database!r})' if database else ''}: "
                      f"{_scrub(_describe(exc), uri, password)}")
    return driver, None


def _ping(driver, database: str | None) -> None:
    # An auto-commit run: the driver's managed transactions would add their own 30 s of retries.
    with driver.session(database=database) as session:
        session.run("RETURN 1").consume()


def safe_uri(uri: str) -> str:
    """The URI with any user:password@ and query removed, fit for messages."""
    try:
        parts = urlsplit(uri)
        host = parts.netloc.rpartition("@")[2]
        return f"{parts.scheme}://{host}{parts.path}" if parts.scheme else host
    except ValueError:
        return "<unparseable URI>"


def _retry(fn: Callable, out_of_memory_too: bool = False) -> Any:
    """Call fn, retrying transient failures with bounded exponential backoff; the last one is raised.

    The server running out of transaction memory is retried only for small work (a ping, a read):
    it then means other transactions hold the memory, while a large write would need it again."""
    attempts = _RETRY_ATTEMPTS + (2 if out_of_memory_too else 0)  # up to 12.6 s for memory to come back
    for attempt in range(attempts - 1):
        try:
            return fn()
        except _RETRYABLE as exc:
            if _OUT_OF_MEMORY in (getattr(exc, "code", None) or "") and not out_of_memory_too:
                raise  # "transient", but the same transaction would need the same memory again
            time.sleep(_RETRY_FIRST_WAIT * 2 ** attempt)
    return fn()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, Neo4jError) and exc.message:
        return f"{exc.message} [{exc.code}]"
    # Driver messages span lines ("Couldn't connect ...:\nFailed to establish ..."); an error is one line.
    return " ".join(str(exc).split()) or type(exc).__name__


def _uri_password(uri: str) -> str:
    try:
        return urlsplit(uri).password or ""
    except ValueError:
        return ""


def _scrub(text: str, uri: str, password: str) -> str:
    """`text` with the URI shown without user information and every password starred out."""
    text = text.replace(uri, safe_uri(uri))  # driver messages may quote the URI itself
    for secret in (password, _uri_password(uri)):
        if secret:
            text = text.replace(secret, "***")
    return text
