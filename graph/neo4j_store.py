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
Every operation runs in one explicit transaction, retried as a whole on
transient failures (it is all-or-nothing and idempotent, so that is safe).
"""
from __future__ import annotations

import json
import logging
import re
import time
from collections import defaultdict
from dataclasses import asdict
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

import neo4j
from neo4j.exceptions import (AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable,
                              SessionExpired, TransientError)

from ..errors import OntologyError, QueryError, RecordError, StoreError
from .model import Edge, Evidence, GraphDocument, Node, Report, report_mentions, unique_ids
from .ontology import load_ontology
from .resolve import evidence_dates
from .store import GraphStore

BATCH_SIZE = 2000
ANALYSIS_PROPERTIES = ("degree", "betweenness", "community")
MENTIONED_IN = "MENTIONED_IN"
REPORT_PROPERTIES = ("id", "title", "date", "source", "authors", "path")  # the shape of graph/store.py
_REPORT_DEFAULTS = {"id": "", "title": "", "date": "", "source": "", "authors": [], "path": ""}
_KEY_SEP = "\x1f"  # joins (source, type, target) into one key; never part of an id
_RETRYABLE = (ServiceUnavailable, SessionExpired, TransientError)
_RETRY_ATTEMPTS = 5
_RETRY_FIRST_WAIT = 0.2  # seconds; doubles each attempt: 0.2 + 0.4 + 0.8 + 1.6
_WRITE_REFUSED = ("AccessMode", "ForbiddenOnReadOnlyDatabase", "WriteOnReadOnlyAccessDatabase")
# Cypher with its string literals and comments blanked (as in embedded.py), for the LOAD CSV check.
_STRING_OR_COMMENT = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.I)
# The driver logs a lost connection as an error; with no handler configured, logging's last
# resort would print it to stderr beside the StoreError that reports the same failure.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

_SCHEMA = (
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT report_id IF NOT EXISTS FOR (r:Report) REQUIRE r.id IS UNIQUE",
    "CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name)",
    "CREATE INDEX entity_type IF NOT EXISTS FOR (n:Entity) ON (n.type)",
)
_WRITE_REPORTS = "UNWIND $rows AS row MERGE (r:Report {id: row.id}) SET r = row RETURN count(r) AS written"
_DELETE_STALE_ENTITIES = "MATCH (n:Entity) WHERE n.id IS NULL OR NOT n.id IN $ids DETACH DELETE n"
_DELETE_STALE_REPORTS = "MATCH (r:Report) WHERE r.id IS NULL OR NOT r.id IN $ids DETACH DELETE r"
_DELETE_STALE_RELS = (
    "MATCH (a)-[r]->(b) WHERE (a:Entity OR a:Report OR b:Entity OR b:Report) "
    "AND NOT (a.id + $sep + type(r) + $sep + b.id) IN $keys DELETE r")
_DELETE_DUPLICATE_RELS = (
    "MATCH (a:Entity)-[r]->(b) WITH a, type(r) AS t, b, collect(r) AS rs WHERE size(rs) > 1 "
    "UNWIND tail(rs) AS extra DELETE extra")
_SET_NODE_PROPS = "UNWIND $rows AS row MATCH (n:Entity {id: row.id}) SET n += row.props RETURN count(n) AS written"
_READ_REPORTS = "MATCH (r:Report) RETURN properties(r) AS props ORDER BY r.id"
_READ_ENTITIES = "MATCH (n:Entity) RETURN properties(n) AS props ORDER BY n.id"
_READ_MENTIONS = ("MATCH (n:Entity)-[m:MENTIONED_IN]->(r:Report) "
                  "RETURN n.id AS node, r.id AS report, m.evidence AS sentence ORDER BY node, report")
_READ_EDGES = ("MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id AS source, type(r) AS type, b.id AS target, "
               "properties(r) AS props ORDER BY source, type, target")


def _write_entities_query(label: str) -> str:
    """MERGE entities of one type; the type label is set and any other type label removed."""
    ontology = load_ontology()
    others = [ontology.check_label(t) for t in ontology.node_types if t != label]
    return ("UNWIND $rows AS row MERGE (n:Entity {id: row.id}) SET n = row.props "
            f"REMOVE n:{':'.join(others)} SET n:{ontology.check_label(label)} RETURN count(n) AS written")


def _write_rels_query(rel: str) -> str:
    """MERGE relationships of one type; MENTIONED_IN ends at a Report, the others at an Entity."""
    target = "Report" if rel == MENTIONED_IN else "Entity"
    return (f"UNWIND $rows AS row MATCH (a:Entity {{id: row.s}}) MATCH (b:{target} {{id: row.t}}) "
            f"MERGE (a)-[r:{load_ontology().check_rel_type(rel)}]->(b) SET r = row.props "
            "RETURN count(r) AS written")


class Neo4jStore(GraphStore):
    """The graph in Neo4j. `database=None` uses the server's default database."""

    name = "neo4j"

    def __init__(self, driver, database: str | None = None, *, batch_size: int = BATCH_SIZE):
        self._driver = driver
        self._database = database
        self._batch_size = batch_size
        self._owns_driver = False
        self._schema_ready = False

    def __repr__(self) -> str:
        return f"Neo4jStore(database={self._database!r})"

    def close(self) -> None:
        if self._owns_driver:
            self._driver.close()

    def ensure_schema(self) -> None:
        """Uniqueness of Entity.id and Report.id, indexes on Entity.name and Entity.type."""
        self._write("create the schema", lambda tx: [tx.run(q).consume() for q in _SCHEMA])
        self._schema_ready = True

    def replace(self, doc: GraphDocument) -> None:
        plan = _WritePlan.of(doc)  # all checks before the transaction opens
        if not self._schema_ready:
            self.ensure_schema()
        self._write("replace the graph", lambda tx: self._replace_in(tx, plan))

    def read(self) -> GraphDocument:
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

    def set_node_properties(self, prop: str, values: dict[str, Any]) -> None:
        if prop not in ANALYSIS_PROPERTIES:
            raise OntologyError(f"node property {prop!r} cannot be written; "
                                f"analysis properties are {', '.join(ANALYSIS_PROPERTIES)}")
        rows = [{"id": node_id, "props": {prop: _check_score(prop, node_id, value)}}
                for node_id, value in values.items()]
        self._write(f"write {prop}", lambda tx: self._set_props_in(tx, rows))

    # -- transactions -------------------------------------------------------

    def _write(self, what: str, work: Callable) -> Any:
        return self._in_tx(neo4j.WRITE_ACCESS, what, work)

    def _in_tx(self, mode: str, what: str, work: Callable, raw_client_errors: bool = False) -> Any:
        """Run `work(tx)` in one explicit transaction; commit only if it returns."""
        def attempt():
            with self._driver.session(database=self._database, default_access_mode=mode) as session:
                with session.begin_transaction() as tx:  # leaving by an exception rolls back
                    out = work(tx)
                    tx.commit()
                    return out
        try:
            return _retry(attempt)
        except ClientError as exc:
            if raw_client_errors:
                raise
            raise StoreError(f"Neo4j could not {what}: {_describe(exc)}") from None
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"Neo4j could not {what}: {_describe(exc)}") from None

    def _batches(self, rows: list) -> Iterator[list]:
        for start in range(0, len(rows), self._batch_size):
            yield rows[start:start + self._batch_size]

    def _write_rows(self, tx, query: str, rows: list[dict], what: str) -> None:
        for batch in self._batches(rows):
            written = tx.run(query, rows=batch).single()["written"]
            if written != len(batch):
                raise StoreError(f"Neo4j wrote {written} of {len(batch)} {what}; the batch is undone")

    def _replace_in(self, tx, plan: "_WritePlan") -> None:
        # Copies made outside the store would each match the MERGEs below.
        tx.run(_DELETE_DUPLICATE_RELS).consume()
        self._write_rows(tx, _WRITE_REPORTS, plan.reports, "reports")
        for label, rows in plan.entities.items():
            self._write_rows(tx, _write_entities_query(label), rows, f"{label} nodes")
        for rel, rows in plan.rels.items():
            self._write_rows(tx, _write_rels_query(rel), rows, f"{rel} relationships")
        tx.run(_DELETE_STALE_ENTITIES, ids=plan.entity_ids).consume()
        tx.run(_DELETE_STALE_REPORTS, ids=[row["id"] for row in plan.reports]).consume()
        tx.run(_DELETE_STALE_RELS, sep=_KEY_SEP, keys=list(plan.rel_keys)).consume()

    def _set_props_in(self, tx, rows: list[dict]) -> None:
        written = sum(tx.run(_SET_NODE_PROPS, rows=batch).single()["written"] for batch in self._batches(rows))
        if written != len(rows):
            raise StoreError(f"{len(rows) - written} of {len(rows)} node ids are not in the graph; nothing written")


class _WritePlan:
    """The rows `replace` writes, grouped by label and relationship type, checked up front."""

    def __init__(self):
        self.reports: list[dict] = []
        self.entities: dict[str, list[dict]] = defaultdict(list)
        self.rels: dict[str, list[dict]] = defaultdict(list)
        self.rel_keys: set[str] = set()

    @classmethod
    def of(cls, doc: GraphDocument) -> "_WritePlan":
        plan = cls()
        report_ids = unique_ids([r.id for r in doc.reports], "report")
        node_ids = unique_ids([n.id for n in doc.nodes], "node")
        plan.reports = [{key: getattr(r, key) for key in REPORT_PROPERTIES} for r in doc.reports]
        for node in doc.nodes:
            plan._add_entity(node)
            for report, (sentence, count) in report_mentions(node, report_ids).items():
                plan._add_rel(MENTIONED_IN, node.id, report, {"evidence": sentence, "count": count})
        for edge in doc.edges:
            if edge.type != MENTIONED_IN:  # built from node evidence above, as in the embedded store
                plan._add_edge(edge, node_ids)
        return plan

    @property
    def entity_ids(self) -> list[str]:
        return [row["id"] for rows in self.entities.values() for row in rows]

    def _add_entity(self, node: Node) -> None:
        if node.type == "Report":
            raise RecordError(f"node {node.name!r}: reports belong in the document's reports, not its nodes")
        self.entities[load_ontology().check_label(node.type)].append({"id": node.id, "props": _node_props(node)})

    def _add_edge(self, edge: Edge, node_ids: set[str]) -> None:
        where = f"edge {edge.type} {edge.source}->{edge.target}"
        if edge.source not in node_ids or edge.target not in node_ids:
            raise RecordError(f"{where}: endpoint is not a node of the document")
        if _KEY_SEP.join((edge.source, edge.type, edge.target)) in self.rel_keys:
            raise RecordError(f"{where} appears twice; resolve the document first")
        self._add_rel(edge.type, edge.source, edge.target, _edge_props(edge, where))

    def _add_rel(self, rel: str, source: str, target: str, props: dict) -> None:
        self.rels[load_ontology().check_rel_type(rel)].append({"s": source, "t": target, "props": props})
        self.rel_keys.add(_KEY_SEP.join((source, rel, target)))


def _node_props(node: Node) -> dict:
    scores = {key: _check_score(key, node.id, node.props[key])
              for key in ANALYSIS_PROPERTIES if node.props.get(key) is not None}
    return {**scores, "id": node.id, "type": node.type, "name": node.name,
            "aliases": list(node.aliases), "reports": [r for r in node.reports if r]}


def _edge_props(edge: Edge, where: str) -> dict:
    props = {key: value for key, value in edge.props.items() if value is not None}
    for key, value in props.items():
        if not isinstance(value, str):
            raise RecordError(f"{where}: property {key!r} must be text, not {value!r}")
    return {**props, "reports": [r for r in edge.reports if r], "dates": evidence_dates(edge.evidence),
            "origin": edge.origin, "evidence": json.dumps([asdict(e) for e in edge.evidence], ensure_ascii=False)}


def _check_score(prop: str, node_id: str, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RecordError(f"{prop} of node {node_id!r} must be a number, not {value!r}")
    return value


# -- reading --------------------------------------------------------------

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
    scores = {key: props[key] for key in ANALYSIS_PROPERTIES if props.get(key) is not None}
    return Node(props["id"], props["type"], props["name"], list(props.get("aliases") or []), evidence, scores)


def _edge_of(rec) -> Edge:
    props = rec["props"]
    spec = load_ontology().rel_types.get(rec["type"])
    own = {k: v for k, v in props.items() if spec and k in spec.properties}
    evidence = [Evidence.from_dict(item) for item in json.loads(props.get("evidence") or "[]")]
    return Edge(rec["source"], rec["target"], rec["type"], own, evidence, props.get("origin") or "report")


def _plain(value: Any) -> Any:
    """Driver values as plain Python: nodes and relationships become dicts of their properties."""
    if isinstance(value, (neo4j.graph.Node, neo4j.graph.Relationship)):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [_plain(n) for n in value.nodes],
                "relationships": [_plain(r) for r in value.relationships]}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
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
        _retry(lambda: _ping(driver, database))
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


def _retry(fn: Callable) -> Any:
    """Call fn, retrying transient failures with bounded exponential backoff; the last one is raised."""
    for attempt in range(_RETRY_ATTEMPTS - 1):
        try:
            return fn()
        except _RETRYABLE:
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
