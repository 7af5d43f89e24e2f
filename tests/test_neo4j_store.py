"""The Neo4j store against the real Neo4j 5 LTS test server (tests/conftest.py).

Every document here is invented; the places are real cities and districts
that the seed reports do not mention.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import threading
import time

import neo4j
import pytest
from neo4j.exceptions import ClientError, ServiceUnavailable
from packaging.requirements import Requirement

from document_sets import as_sets
from neo4j_server import PASSWORD
from ufgraph.errors import OntologyError, QueryError, RecordError, StoreError
from ufgraph.graph import neo4j_store
from ufgraph.graph.model import Edge, Evidence, GraphDocument, Node, Report
from ufgraph.graph.neo4j_store import Neo4jStore, connect, safe_uri

pytestmark = pytest.mark.neo4j

R1, R2 = "r-aaaa000000000001", "r-bbbb000000000002"
S1 = "望城区云帆青年商会会长邱明远介绍，商会已有会员企业六十家。"
S2 = "望城区工商联主办“星河计划”，长沙蓝湾石榴科技有限公司参与其中。"
S3 = "韩晓岚担任长沙蓝湾石榴科技有限公司联络员。"


def _ev(report: str, sentence: str, rule: str, start: int = 0) -> Evidence:
    date = {R1: "2024-03-01", R2: "2024-05-02"}[report]
    return Evidence(report, sentence, start, start + len(sentence), rule, date)


def _sample() -> GraphDocument:
    reports = [Report(R1, "云帆商会年会侧记", "2024-03-01", "长沙晚报样稿", ["作者甲"], "a.txt", "望城区"),
               Report(R2, "星河计划启动", "2024-05-02", "样稿", [], "b.txt", "长沙市")]
    nodes = [
        Node("fed", "Federation", "望城区工商联", ["区工商联"], [_ev(R2, S2, "org")]),
        Node("chamber", "Chamber", "望城区云帆青年商会", ["云帆商会"], [_ev(R1, S1, "org"), _ev(R1, S1, "org", 40)]),
        Node("qiu", "Person", "邱明远", [], [_ev(R1, S1, "person")]),
        Node("han", "Person", "韩晓岚", [], [_ev(R2, S3, "person")]),
        Node("xinghe", "Program", "星河计划", ["“星河计划”"], [_ev(R2, S2, "quoted")]),
        Node("lanwan", "Enterprise", "长沙蓝湾石榴科技有限公司", [], [_ev(R2, S2, "org"), _ev(R2, S3, "org")]),
        Node("wangcheng", "Place", "望城区", [], [_ev(R1, S1, "place")]),
        Node("changsha", "Place", "长沙市", [], []),
    ]
    edges = [
        Edge("qiu", "chamber", "HOLDS_POST", {"title": "会长"}, [_ev(R1, S1, "post")]),
        Edge("chamber", "fed", "AFFILIATED_WITH", {}, [_ev(R1, S1, "member")]),
        Edge("fed", "xinghe", "RUNS", {"role": "主办"}, [_ev(R2, S2, "runs")]),
        Edge("lanwan", "xinghe", "PARTICIPATES_IN", {}, [_ev(R2, S2, "joins")]),
        Edge("han", "lanwan", "LIAISES_WITH", {"role": "联络员"}, [_ev(R2, S3, "liaison")]),
        Edge("chamber", "wangcheng", "LOCATED_IN", {}, [_ev(R1, S1, "name")]),
        Edge("wangcheng", "changsha", "LOCATED_IN", {}, [], origin="gazetteer"),
    ]
    return GraphDocument(reports, nodes, edges)


def _smaller() -> GraphDocument:
    """The sample without the second report's people, programme and facts."""
    doc = _sample()
    dropped = {"han", "xinghe"}
    nodes = [n for n in doc.nodes if n.id not in dropped]
    for node in nodes:
        node.evidence = [e for e in node.evidence if e.report == R1]
    edges = [e for e in doc.edges if not {e.source, e.target} & dropped and e.type != "PARTICIPATES_IN"]
    return GraphDocument(doc.reports[:1], nodes, edges)


def _as_stored(doc: GraphDocument) -> GraphDocument:
    """What graph/store.py's shape keeps of a document, hence what read() should give back:
    per node and report the first mention's sentence; reports without locality; scores only."""
    dates = {r.id: r.date for r in doc.reports}
    reports = [Report(r.id, r.title, r.date, r.source, list(r.authors), r.path) for r in doc.reports]
    nodes = []
    for n in doc.nodes:
        first = {}
        for e in sorted(n.evidence, key=lambda e: (e.start, e.end)):
            first.setdefault(e.report, Evidence(e.report, e.sentence, 0, 0, "MENTIONED_IN", dates[e.report]))
        scores = {k: v for k, v in n.props.items() if k in ("degree", "betweenness", "community")}
        nodes.append(Node(n.id, n.type, n.name, list(n.aliases), list(first.values()), scores))
    return GraphDocument(reports, nodes, [e for e in doc.edges if e.type != "MENTIONED_IN"])


def _same(store, doc: GraphDocument) -> bool:
    return as_sets(store.read()) == as_sets(_as_stored(doc))


def _counts(driver) -> tuple[int, int]:
    """Nodes and relationships in the database, the store's bookkeeping nodes (:UfgraphState) aside:
    any staging or retired node a write left behind counts."""
    records, _, _ = driver.execute_query(
        "MATCH (n) WHERE NOT n:UfgraphState WITH count(n) AS nodes "
        "OPTIONAL MATCH ()-[r]->() RETURN nodes, count(r) AS rels")
    return records[0]["nodes"], records[0]["rels"]


@pytest.fixture
def store(neo4j_driver, neo4j_server):
    return Neo4jStore(neo4j_driver, neo4j_server.database)


def test_replace_then_read_gives_back_the_document(store):
    doc = _sample()
    store.replace(doc)
    assert _same(store, doc)
    # edges come back whole: props, every piece of evidence, origin
    assert as_sets(store.read())[2] == as_sets(doc)[2]


def test_read_then_replace_is_a_fixed_point(store):
    store.replace(_sample())
    store.set_node_properties("community", {"fed": 1, "qiu": 2})
    first = store.read()
    store.replace(first)
    assert as_sets(store.read()) == as_sets(first)


def test_store_holds_the_shared_shape(store):
    store.replace(_sample())
    rows = store.run("MATCH (n:Entity {id: $id}) RETURN n, labels(n) AS labels", {"id": "chamber"})
    assert sorted(rows[0]["labels"]) == ["Chamber", "Entity"]
    assert rows[0]["n"]["reports"] == [R1] and rows[0]["n"]["aliases"] == ["云帆商会"]
    mention = store.run("MATCH (:Entity {id: 'chamber'})-[m:MENTIONED_IN]->(r:Report) "
                        "RETURN m.evidence AS evidence, m.count AS count, r.id AS report")
    assert mention == [{"evidence": S1, "count": 2, "report": R1}]
    edge = store.run("MATCH (:Entity {id: 'fed'})-[r:RUNS]->() RETURN r")[0]["r"]
    assert (edge["role"], edge["reports"], edge["dates"], edge["origin"]) == ("主办", [R2], ["2024-05-02"], "report")
    gazetteer = store.run("MATCH (:Entity {id: 'wangcheng'})-[r:LOCATED_IN]->() RETURN r.origin AS origin")
    assert gazetteer == [{"origin": "gazetteer"}]


def test_replace_twice_is_idempotent(store, neo4j_driver):
    store.replace(_sample())
    first = (as_sets(store.read()), _counts(neo4j_driver))
    store.replace(_sample())
    assert (as_sets(store.read()), _counts(neo4j_driver)) == first
    # 8 entities + 2 reports; 7 edges + 7 (node, report) mentions (长沙市 has none)
    assert first[1] == (10, 14)


def test_smaller_document_removes_stale_nodes_and_relationships(store, neo4j_driver):
    store.replace(_sample())
    store.replace(_smaller())
    assert _same(store, _smaller())
    left = store.run("MATCH (n) WHERE n.id IN $ids RETURN n.id AS id", {"ids": ["han", "xinghe", R2]})
    assert left == []
    assert store.run("MATCH ()-[r:PARTICIPATES_IN]->() RETURN count(r) AS n") == [{"n": 0}]


def test_failure_at_the_switch_leaves_the_previous_graph(neo4j_driver, neo4j_server):
    store = Neo4jStore(neo4j_driver, neo4j_server.database, batch_size=2)
    store.replace(_sample())
    before = (as_sets(store.read()), _counts(neo4j_driver))
    bigger = _sample()
    newcomers = [Node(f"new{i}", "Person", f"新会员{i}号", [], [_ev(R1, S1, "person")]) for i in range(5)]
    bigger.nodes += newcomers
    # Two reports of one title: the constraint below refuses the second when the new graph would go live.
    bigger.reports += [Report(f"r-twin{i}", "同题报道", "2024-06-01") for i in (1, 2)]
    neo4j_driver.execute_query("CREATE CONSTRAINT test_report_title IF NOT EXISTS "
                               "FOR (r:Report) REQUIRE r.title IS UNIQUE")
    try:
        with pytest.raises(StoreError, match="could not replace the graph"):
            store.replace(bigger)
    finally:
        neo4j_driver.execute_query("DROP CONSTRAINT test_report_title IF EXISTS")
    assert (as_sets(store.read()), _counts(neo4j_driver)) == before  # and what was staged is gone
    assert store.run("MATCH (n:Entity) WHERE n.id STARTS WITH 'new' RETURN n.id") == []
    assert _forms_index(neo4j_driver) == [("TEXT", ["Entity"], ["forms"])]  # made again after the switch


def _forms_index(driver) -> list[tuple]:
    records = driver.execute_query("SHOW INDEXES YIELD name, type, labelsOrTypes, properties "
                                   "WHERE name = 'entity_forms' RETURN type, labelsOrTypes, properties").records
    return [(r["type"], r["labelsOrTypes"], r["properties"]) for r in records]


def _operators(plan) -> set[str]:
    return {plan["operatorType"].split("@")[0]} | {op for child in plan.get("children", [])
                                                   for op in _operators(child)}


def test_a_whole_write_leaves_the_forms_index_and_the_modules_find_entities_by_it(store, neo4j_driver,
                                                                                 neo4j_server):
    from ufgraph.queries import prepare
    store.replace(_sample())
    store.replace(_sample())  # the second write retires a generation: the index is dropped and made again
    assert _forms_index(neo4j_driver) == [("TEXT", ["Entity"], ["forms"])]
    neo4j_driver.execute_query("CALL db.awaitIndexes(60)")
    cypher, values = prepare("profile", "neo4j", {"name": "邱明远"})
    with neo4j_driver.session(database=neo4j_server.database) as session:
        plan = session.run("EXPLAIN " + cypher, values).consume().plan
    assert "NodeIndexContainsScan" in _operators(plan)
    assert {row["entity_id"] for row in store.run(cypher, values)} == {"qiu"}
    # `search` reads the index too, once the graph is big enough for the planner to prefer it
    # to the type index (a graph of eight nodes is not).
    bigger = _sample()
    bigger.nodes += [Node(f"filler{i}", "Enterprise", f"填充样本企业{i}号", [], []) for i in range(300)]
    store.replace(bigger)
    # Fresh statistics and no plan cached from the earlier, smaller graphs this server held.
    neo4j_driver.execute_query("CALL db.prepareForReplanning(60)")
    cypher, values = prepare("search", "neo4j", {"text": "云帆"})  # a name and an alias hold it
    with neo4j_driver.session(database=neo4j_server.database) as session:
        plan = session.run("EXPLAIN " + cypher, values).consume().plan
    assert "NodeIndexContainsScan" in _operators(plan)
    assert [row["id"] for row in store.run(cypher, values)] == ["chamber"]


def test_bad_document_is_refused_before_writing(store, neo4j_driver):
    store.replace(_sample())
    before = _counts(neo4j_driver)
    broken = _smaller()
    broken.edges.append(Edge("qiu", "nobody", "HOLDS_POST", {"title": "理事"}, []))
    with pytest.raises(RecordError, match="nobody"):
        store.replace(broken)
    assert _counts(neo4j_driver) == before


@pytest.mark.parametrize("cypher", [
    "CREATE (n:Entity {id: 'x'})",
    "MERGE (n:Entity {id: 'fed'}) RETURN n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n:Entity) SET n.name = 'changed'",
    "CREATE INDEX sneaky FOR (n:Entity) ON (n.aliases)",
])
def test_run_refuses_writes(store, neo4j_driver, cypher):
    store.replace(_sample())
    before = (as_sets(store.read()), _counts(neo4j_driver))
    with pytest.raises(QueryError, match="read-only"):
        store.run(cypher)
    assert (as_sets(store.read()), _counts(neo4j_driver)) == before


def test_run_gives_plain_python_values(store):
    store.replace(_sample())
    rows = store.run("MATCH (p:Entity)-[r:HOLDS_POST]->(c:Entity) WHERE p.name = $name "
                     "RETURN p, r.title AS title, [c.name, c.type] AS pair, $nums AS nums",
                     {"name": "邱明远", "nums": [1, 2]})
    assert rows == [{"p": {"id": "qiu", "type": "Person", "name": "邱明远", "aliases": [], "forms": "|邱明远|",
                           "post_types": ["Chamber"], "reports": [R1]},
                     "title": "会长", "pair": ["望城区云帆青年商会", "Chamber"], "nums": [1, 2]}]
    assert type(rows[0]["p"]) is dict


def test_the_driver_decodes_in_rust_where_neo4j_publishes_wheels():
    """pyproject installs neo4j-rust-ext (the driver's packstream codec in Rust) on the platforms
    its marker names: decoding a module's rows in Python was 40-70 % of a Neo4j query."""
    rust_ext, = (Requirement(r) for r in importlib.metadata.requires("ufgraph") if r.startswith("neo4j-rust-ext"))
    assert (importlib.util.find_spec("neo4j._rust") is not None) == rust_ext.marker.evaluate()


def test_bad_query_is_a_query_error(store):
    with pytest.raises(QueryError, match="query failed"):
        store.run("MATCH (n RETURN n")
    with pytest.raises(QueryError, match="parameters refused"):
        store.run("RETURN $x AS x", {"x": object()})


@pytest.mark.parametrize("hostile", [
    "'}) DETACH DELETE n //",
    "<script>alert('x')</script>",
    "\"}) MATCH (m) DETACH DELETE m RETURN 1 //`",
])
def test_hostile_names_are_stored_as_plain_strings(store, neo4j_driver, hostile):
    doc = _sample()
    doc.nodes.append(Node("hostile", "Enterprise", hostile, [hostile + "别名"], [_ev(R1, hostile, "org")]))
    doc.edges.append(Edge("qiu", "hostile", "HOLDS_POST", {"title": hostile}, [_ev(R1, hostile, "post")]))
    store.replace(doc)
    assert _same(store, doc)
    assert _counts(neo4j_driver) == (11, 16)
    assert store.run("MATCH (n:Entity {name: $name}) RETURN n.id AS id", {"name": hostile}) == [{"id": "hostile"}]


def test_wrong_password_is_a_store_error_without_the_password(neo4j_server):
    wrong = "Wrong-Secret-8841"
    with pytest.raises(StoreError) as caught:
        connect(neo4j_server.uri, neo4j_server.user, wrong, neo4j_server.database)
    shown = str(caught.value) + repr(caught.value.args)
    assert "authentication failed" in shown and neo4j_server.uri in shown
    assert wrong not in shown and neo4j_server.password not in shown


def test_password_in_the_uri_never_shows(neo4j_server):
    port = neo4j_server.uri.rsplit(":", 1)[1]
    uri = f"bolt://{neo4j_server.user}:Uri-Secret-5521@127.0.0.1:{port}"
    with pytest.raises(StoreError) as caught:
        connect(uri, neo4j_server.user, "Arg-Secret-7730")
    assert "Uri-Secret-5521" not in str(caught.value) and "Arg-Secret-7730" not in str(caught.value)
    assert safe_uri(uri) == f"bolt://127.0.0.1:{port}"


def test_unreachable_server_is_a_store_error_naming_the_uri():
    with pytest.raises(StoreError, match=r"bolt://127\.0\.0\.1:9"):
        connect("bolt://127.0.0.1:9", "neo4j", "Any-Secret-1")


def test_connect_with_the_right_password_gives_a_working_store(neo4j_server, neo4j_driver):
    with connect(neo4j_server.uri, neo4j_server.user, neo4j_server.password, neo4j_server.database) as store:
        store.replace(_smaller())
        assert _same(store, _smaller())
        assert PASSWORD not in repr(store) and PASSWORD not in repr(neo4j_server)


def test_labels_and_types_outside_the_ontology_are_refused(store, neo4j_driver):
    store.replace(_sample())
    before = _counts(neo4j_driver)
    doc = _smaller()
    doc.nodes[0].type = "Evil`) DETACH DELETE n //"  # records check on creation; this one was altered after
    with pytest.raises(OntologyError, match="unknown node type"):
        store.replace(doc)
    doc = _smaller()
    doc.edges[0].type = "KNOWS"
    with pytest.raises(OntologyError, match="unknown relationship type 'KNOWS'"):
        store.replace(doc)
    assert _counts(neo4j_driver) == before


def test_mentioned_in_comes_from_node_evidence_only(store):
    doc = _smaller()
    doc.edges.append(Edge("qiu", R1, "MENTIONED_IN", {"count": 99, "evidence": "不是原句"}, []))
    store.replace(doc)
    rows = store.run("MATCH (:Entity {id: 'qiu'})-[m:MENTIONED_IN]->(r:Report) RETURN m.count AS n, m.evidence AS e")
    assert rows == [{"n": 1, "e": S1}]


def test_evidence_from_a_report_outside_the_document_is_refused(store):
    doc = _smaller()
    doc.nodes[0].evidence.append(_ev(R2, S2, "org"))
    with pytest.raises(RecordError, match=R2):
        store.replace(doc)


def test_an_edge_given_twice_is_refused(store, neo4j_driver):
    store.replace(_smaller())
    before = _counts(neo4j_driver)
    doc = _smaller()
    doc.edges.append(Edge("qiu", "chamber", "HOLDS_POST", {"title": "会长"}, [_ev(R1, S1, "post", 30)]))
    with pytest.raises(RecordError, match="appears twice"):
        store.replace(doc)
    assert _counts(neo4j_driver) == before


def test_relationships_made_twice_outside_the_store_become_one(store):
    store.replace(_smaller())
    store._write("copy an edge", lambda tx: tx.run(
        "MATCH (a:Entity {id: 'qiu'})-[r:HOLDS_POST]->(b) CREATE (a)-[:HOLDS_POST {title: 'x'}]->(b)").consume())
    assert len(store.run("MATCH (:Entity {id: 'qiu'})-[r:HOLDS_POST]->() RETURN r")) == 2
    store.replace(_smaller())
    assert store.run("MATCH (:Entity {id: 'qiu'})-[r:HOLDS_POST]->() RETURN r.title AS t") == [{"t": "会长"}]


def test_set_node_properties_writes_scores(store):
    store.replace(_sample())
    store.set_node_properties("degree", {"fed": 2, "chamber": 4})
    store.set_node_properties("betweenness", {"fed": 0.25})
    rows = store.run("MATCH (n:Entity) WHERE n.degree IS NOT NULL "
                     "RETURN n.id AS id, n.degree AS degree, n.betweenness AS b ORDER BY id")
    assert rows == [{"id": "chamber", "degree": 4, "b": None}, {"id": "fed", "degree": 2, "b": 0.25}]
    assert {n.id: n.props for n in store.read().nodes}["fed"] == {"degree": 2, "betweenness": 0.25}


def _begin_change(driver, database: str):
    """A change as the store makes one: it writes the graph node (the stamp), then renames a report
    and a person. Left open: the caller commits it."""
    session = driver.session(database=database)
    tx = session.begin_transaction()
    tx.run("MATCH (s:UfgraphState {key: 'graph'}) SET s.stamp = 'changed'").consume()
    tx.run("MATCH (r:Report {id: $id}) SET r.title = '云帆商会年会侧记（更正）'", id=R1).consume()
    tx.run("MATCH (n:Entity {id: 'qiu'}) SET n.name = '邱明远（更正）'").consume()
    return session, tx


def test_a_read_waits_for_a_change_that_is_committing_and_sees_all_of_it(store, neo4j_driver, neo4j_server,
                                                                         monkeypatch):
    """Neo4j's isolation is read-committed: a change that committed between the read's queries
    showed in the later ones only (a refresh killed while its switch committed read back as
    neither the old graph nor the new). Here the change commits while the read has its reports
    and not yet its entities."""
    store.replace(_sample())
    session, change = _begin_change(neo4j_driver, neo4j_server.database)
    paused = []

    def report_after_a_pause(*args, **kwargs):  # the first report read: time for the change to commit
        if not paused:
            paused.append(True)
            time.sleep(2.0)
        return Report(*args, **kwargs)
    monkeypatch.setattr(neo4j_store, "Report", report_after_a_pause)
    commit = threading.Timer(1.0, change.commit)
    commit.start()
    try:
        got = store.read()
    finally:
        commit.join()
        session.close()
    titles, names = {r.id: r.title for r in got.reports}, {n.id: n.name for n in got.nodes}
    assert (titles[R1], names["qiu"]) == ("云帆商会年会侧记（更正）", "邱明远（更正）")
    # the read held the node and changed nothing on it
    assert store.stamp() == "changed"
    assert neo4j_driver.execute_query("MATCH (s:UfgraphState {key: 'graph'}) RETURN keys(s) AS k").records[0]["k"] \
        in (["key", "stamp"], ["stamp", "key"])


def test_a_user_who_may_not_write_still_reads_the_graph(store, monkeypatch):
    """The hold is a write; where the server refuses it (here: a session in read access, as for a
    reader role), the read goes on without it."""
    store.replace(_sample())
    monkeypatch.setattr(neo4j_store.neo4j, "WRITE_ACCESS", neo4j.READ_ACCESS)
    assert _same(store, _sample())


def test_set_node_properties_refuses_other_properties_and_unknown_ids(store):
    store.replace(_sample())
    with pytest.raises(OntologyError, match="name"):
        store.set_node_properties("name", {"fed": "x"})
    with pytest.raises(StoreError, match="not in the graph"):
        store.set_node_properties("community", {"fed": 1, "ghost": 2})
    assert store.run("MATCH (n:Entity) WHERE n.community IS NOT NULL RETURN n.id") == []


def test_ensure_schema_creates_constraints_and_indexes(store, neo4j_driver):
    store.ensure_schema()
    store.ensure_schema()  # IF NOT EXISTS: a second call changes nothing
    records, _, _ = neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type")
    constraints = {(r["labelsOrTypes"][0], r["properties"][0], r["type"]) for r in records}
    assert {("Entity", "id", "UNIQUENESS"), ("Report", "id", "UNIQUENESS")} <= constraints
    records, _, _ = neo4j_driver.execute_query("SHOW INDEXES YIELD labelsOrTypes, properties")
    indexed = {(r["labelsOrTypes"][0], r["properties"][0]) for r in records if r["labelsOrTypes"]}
    assert {("Entity", "name"), ("Entity", "type")} <= indexed
    with pytest.raises(ClientError):
        neo4j_driver.execute_query("CREATE (:Entity {id: 'same'}), (:Entity {id: 'same'})")


def test_transient_failures_are_retried_with_backoff():
    calls = []

    def flaky():
        calls.append(time.monotonic())
        if len(calls) < 3:
            raise ServiceUnavailable("server restarting")
        return "ok"

    assert neo4j_store._retry(flaky) == "ok"
    assert len(calls) == 3 and calls[2] - calls[0] >= 0.2 + 0.4 - 0.05


def test_retries_are_bounded():
    calls = []

    def down():
        calls.append(1)
        raise ServiceUnavailable("down")

    with pytest.raises(ServiceUnavailable):
        neo4j_store._retry(down)
    assert len(calls) == neo4j_store._RETRY_ATTEMPTS


def test_both_stores_read_back_the_same_graph_and_answer_alike(store, tmp_path):
    from ufgraph.graph.embedded import EmbeddedStore

    doc = _sample()
    store.replace(doc)
    store.set_node_properties("degree", {"fed": 2, "chamber": 3})
    with EmbeddedStore(tmp_path / "embedded") as embedded:
        embedded.replace(doc)
        embedded.set_node_properties("degree", {"fed": 2, "chamber": 3})
        assert as_sets(store.read()) == as_sets(embedded.read())
        query = ("MATCH (p:Entity)-[r:HOLDS_POST]->(o:Entity) WHERE o.type = $type "
                 "RETURN p.name AS person, r.title AS title, r.reports AS reports, o.name AS org ORDER BY person")
        assert store.run(query, {"type": "Chamber"}) == embedded.run(query, {"type": "Chamber"}) != []
