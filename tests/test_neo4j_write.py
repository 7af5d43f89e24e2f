"""Neo4j writes of any size and in place, against the real Neo4j test server.

`replace` writes a staging generation in many transactions and switches to it in one;
`apply` changes the live graph in one transaction. Every document here is invented.
"""
from __future__ import annotations

import threading

import neo4j
import pytest

from document_sets import as_sets
from test_neo4j_store import R1, R2, S1, S2, _counts, _ev, _same, _sample, _smaller
from ufgraph.errors import StaleStoreError, StoreError
from ufgraph.graph.delta import GraphDelta
from ufgraph.graph.model import Edge, GraphDocument, Node, Report
from ufgraph.graph.neo4j_store import Neo4jStore
from ufgraph.graph.view_synthetic import synthetic_document
from ufgraph.queries import list_queries, run_query
from ufgraph.queries.examples import example_params

pytestmark = pytest.mark.neo4j

STAGED = ("MATCH (n) WHERE n:UfgraphStagingEntity OR n:UfgraphStagingReport RETURN count(n) AS n")
RETIRED = "MATCH (n:UfgraphRetired) RETURN count(n) AS n"


def _one(driver, query: str, **params) -> int:
    return driver.execute_query(query, params).records[0]["n"]


def _store(neo4j_driver, neo4j_server, batch_size: int = 2, workers: int = 1) -> Neo4jStore:
    return Neo4jStore(neo4j_driver, neo4j_server.database, batch_size=batch_size, workers=workers)


def _after_each_batch(store: Neo4jStore, hook) -> None:
    """Call hook(batch number) after every batch transaction of the store's writes."""
    inner, done = store._write_batch, []

    def batch_then_hook(*args):
        answer = inner(*args)
        done.append(1)
        hook(len(done))
        return answer
    store._write_batch = batch_then_hook


def _rows(frame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


class Interrupted(BaseException):
    """Stands for the process dying: not an Exception, so the store cannot tidy up after it."""


# ---------------------------------------------------------------- replace in many transactions

def test_tiny_batches_store_what_one_batch_stores(neo4j_driver, neo4j_server):
    whole = _store(neo4j_driver, neo4j_server, batch_size=10_000)
    whole.replace(_sample())
    expected = (as_sets(whole.read()), _counts(neo4j_driver))
    tiny = _store(neo4j_driver, neo4j_server, batch_size=1, workers=2)
    commits = []
    _after_each_batch(tiny, commits.append)
    tiny.replace(_smaller())
    tiny.replace(_sample())
    assert (as_sets(tiny.read()), _counts(neo4j_driver)) == expected
    assert _same(tiny, _sample())
    assert len(commits) == (1 + 6 + 7) + (2 + 8 + 14)  # reports, nodes, relationships: one row each


def test_readers_during_a_replace_see_the_old_graph_whole(neo4j_driver, neo4j_server):
    old, new = synthetic_document(60, seed=1), synthetic_document(60, seed=2)
    assert {n.id for n in old.nodes} & {n.id for n in new.nodes}  # the same ids, live and staged
    writer = _store(neo4j_driver, neo4j_server, batch_size=7)
    writer.replace(old)
    reader = Neo4jStore(neo4j_driver, neo4j_server.database)
    params = example_params(old)
    modules = [q.name for q in list_queries() if q.name in params]
    assert len(modules) >= 10

    def answers():
        return {name: _rows(run_query(reader, name, **params[name])) for name in modules}
    before, seen, staged = answers(), [], []
    assert sum(len(rows) for rows in before.values()) > 20

    def read_between_batches(number):
        staged.append(_one(neo4j_driver, STAGED))
        if number % 4 == 0:
            seen.append(answers() == before and _same(reader, old))
            # Staging nodes carry no type label either: a label-only match sees the live graph.
            seen.append(_one(neo4j_driver, "MATCH (n:Person) RETURN count(n) AS n")
                        == sum(n.type == "Person" for n in old.nodes))
    _after_each_batch(writer, read_between_batches)
    writer.replace(new)
    assert len(seen) > 10 and all(seen)
    assert staged == sorted(staged) and staged[-1] == len(new.nodes) + len(new.reports)  # committed batch by batch
    assert _same(reader, new) and _one(neo4j_driver, STAGED) == _one(neo4j_driver, RETIRED) == 0


def test_a_write_dying_part_way_leaves_the_old_graph_and_the_next_write_clears_its_leftovers(
        neo4j_driver, neo4j_server):
    store = _store(neo4j_driver, neo4j_server)
    store.replace(_smaller(), stamp="old")
    before = (as_sets(store.read()), _counts(neo4j_driver))

    def die(number):
        if number == 9:
            raise Interrupted()
    _after_each_batch(store, die)
    with pytest.raises(Interrupted):
        store.replace(_sample(), stamp="new")
    assert _one(neo4j_driver, STAGED) > 0  # left behind, as by a killed process
    assert as_sets(store.read()) == before[0] and store.stamp() == "old"
    again = _store(neo4j_driver, neo4j_server)  # the lock went with the dead write: no waiting
    again.replace(_sample(), stamp="new")
    assert _same(again, _sample()) and _counts(neo4j_driver) == (10, 14) and again.stamp() == "new"


def test_a_bad_row_in_a_late_batch_undoes_the_write(neo4j_driver, neo4j_server):
    store = _store(neo4j_driver, neo4j_server)
    store.replace(_smaller(), stamp="old")
    before = (as_sets(store.read()), _counts(neo4j_driver))
    bigger = _sample()
    bigger.nodes += [Node(f"twin{i}", "Person", "同名者", [], [_ev(R2, S2, "person")]) for i in (1, 2)]
    # The server refuses the second twin among the staged nodes, after many batches committed.
    neo4j_driver.execute_query("CREATE CONSTRAINT test_staged_name IF NOT EXISTS "
                               "FOR (n:UfgraphStagingEntity) REQUIRE n.name IS UNIQUE")
    try:
        with pytest.raises(StoreError, match="could not replace the graph"):
            store.replace(bigger, stamp="new")
    finally:
        neo4j_driver.execute_query("DROP CONSTRAINT test_staged_name IF EXISTS")
    assert (as_sets(store.read()), _counts(neo4j_driver)) == before  # and the staged rows are gone
    assert store.stamp() == "old"


def test_a_write_dying_after_the_switch_leaves_the_new_graph_and_the_next_write_clears_the_old(
        neo4j_driver, neo4j_server, monkeypatch):
    store = _store(neo4j_driver, neo4j_server)
    store.replace(_sample(), stamp="one")
    monkeypatch.setattr(store, "_delete_retired", lambda: (_ for _ in ()).throw(Interrupted()))
    with pytest.raises(Interrupted):
        store.replace(_smaller(), stamp="two")
    assert _same(store, _smaller()) and store.stamp() == "two"
    assert _one(neo4j_driver, RETIRED) == 10  # the previous graph's 8 entities and 2 reports
    _store(neo4j_driver, neo4j_server).replace(_smaller(), stamp="three")
    assert _one(neo4j_driver, RETIRED) == 0 and _counts(neo4j_driver) == (7, 7)


def test_two_writers_at_once_leave_one_graph_whole(neo4j_driver, neo4j_server):
    first, second = _store(neo4j_driver, neo4j_server, 1), _store(neo4j_driver, neo4j_server, 1)
    started, errors = threading.Event(), []
    _after_each_batch(first, lambda number: started.set())

    def write(store, doc, stamp):
        try:
            store.replace(doc, stamp)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
    one = threading.Thread(target=write, args=(first, _sample(), "first"))
    one.start()
    assert started.wait(60)
    write(second, _smaller(), "second")  # waits for the first write's lock, then wins
    one.join(120)
    assert not errors and not one.is_alive()
    assert _same(second, _smaller()) and second.stamp() == "second" and _counts(neo4j_driver) == (7, 7)


# ---------------------------------------------------------------- stamps

def test_stamps_are_kept_with_the_graph(neo4j_driver, neo4j_server):
    store = _store(neo4j_driver, neo4j_server)
    assert store.stamp() == ""
    store.replace(_sample(), stamp="2024-a")
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)) as other:
        assert Neo4jStore(other, neo4j_server.database).stamp() == "2024-a"  # a new connection reads it
    store.set_node_properties("degree", {"fed": 3})
    assert store.stamp() == "2024-a"
    store.replace(_sample())
    assert store.stamp() == ""
    # Outside the graph: no query module or label-anchored read sees the state nodes.
    assert _one(neo4j_driver, "MATCH (s:UfgraphState) RETURN count(s) AS n") >= 1
    assert _counts(neo4j_driver) == (10, 14)


# ---------------------------------------------------------------- apply

def _delta(old: GraphDocument, new: GraphDocument) -> GraphDelta:
    """What differs between two documents, record by record (the test's own diff)."""
    def changed(a: dict, b: dict) -> list:
        return [item for key, item in b.items() if key not in a or _record(a[key]) != _record(item)]
    old_reports, new_reports = {r.id: r for r in old.reports}, {r.id: r for r in new.reports}
    old_nodes, new_nodes = {n.id: n for n in old.nodes}, {n.id: n for n in new.nodes}
    old_edges, new_edges = {e.key: e for e in old.edges}, {e.key: e for e in new.edges}
    return GraphDelta(changed(old_reports, new_reports), changed(old_nodes, new_nodes),
                      changed(old_edges, new_edges), sorted(set(old_reports) - set(new_reports)),
                      sorted(set(old_nodes) - set(new_nodes)), sorted(set(old_edges) - set(new_edges)))


def _record(item):
    return item.to_dict() if hasattr(item, "to_dict") else item


def _rewritten() -> GraphDocument:
    """The sample with records changed in place: a type, a name, aliases, an edge's title, a title."""
    doc = _sample()
    nodes = {n.id: n for n in doc.nodes}
    nodes["xinghe"].type, nodes["xinghe"].name = "Event", "星河计划启动会"
    nodes["han"].aliases = ["韩联络员"]
    nodes["qiu"].evidence = [_ev(R1, S1, "person", 5), _ev(R2, S2, "person")]
    doc.edges[0].props = {"title": "名誉会长"}
    doc.edges.append(Edge("han", "fed", "HOLDS_POST", {"title": "委员"}, [_ev(R2, S2, "post")]))
    doc.reports[1] = Report(R2, "星河计划启动（更正）", "2024-05-03", "样稿", ["作者乙"], "b.txt")
    return doc


@pytest.mark.parametrize("old, new", [(_smaller, _sample), (_sample, _smaller), (_sample, _rewritten)],
                         ids=["additions", "removals", "rewrites"])
def test_apply_gives_what_replace_gives(neo4j_driver, neo4j_server, old, new):
    store = _store(neo4j_driver, neo4j_server, batch_size=3)
    store.replace(new())
    expected = (as_sets(store.read()), _counts(neo4j_driver),
                neo4j_driver.execute_query("MATCH (n:Entity) RETURN n.id AS id, labels(n) AS l ORDER BY id").records,
                _post_types(neo4j_driver))
    assert expected[3]["qiu"] == ["Chamber"]
    store.replace(old(), stamp="before")
    delta = _delta(old(), new())
    assert not delta.is_empty()
    store.apply(delta, before="before", after="after")
    assert (as_sets(store.read()), _counts(neo4j_driver),
            neo4j_driver.execute_query("MATCH (n:Entity) RETURN n.id AS id, labels(n) AS l ORDER BY id").records,
            _post_types(neo4j_driver)) == expected
    assert store.stamp() == "after" and _same(store, new())


def _post_types(driver) -> dict[str, list[str]]:
    records = driver.execute_query("MATCH (n:Entity) RETURN n.id AS id, n.post_types AS types").records
    return {r["id"]: r["types"] for r in records}


def test_apply_counts_post_types_again_where_a_body_goes_or_changes_type(neo4j_driver, neo4j_server):
    """No removed edge is named: the change removes the body, or rewrites it as another type."""
    store = _store(neo4j_driver, neo4j_server)
    store.replace(_sample(), stamp="a")
    assert _post_types(neo4j_driver)["qiu"] == ["Chamber"] and _post_types(neo4j_driver)["han"] == []
    post = Edge("han", "xinghe", "HOLDS_POST", {"title": "班主任"}, [_ev(R2, S2, "post")])
    newcomer = Node("gong", "Person", "龚远帆", [], [_ev(R2, S2, "person")])
    store.apply(GraphDelta(nodes=[newcomer], edges=[post]), "a", "b")
    assert _post_types(neo4j_driver)["han"] == ["Program"] and _post_types(neo4j_driver)["gong"] == []
    store.apply(GraphDelta(nodes=[Node("xinghe", "Event", "星河计划启动会", [], [_ev(R2, S2, "quoted")])]), "b", "c")
    assert _post_types(neo4j_driver)["han"] == ["Event"]
    store.apply(GraphDelta(removed_nodes=["chamber"]), "c", "d")
    assert _post_types(neo4j_driver)["qiu"] == []


def test_apply_drops_analysis_scores_unless_the_node_brings_its_own(neo4j_driver, neo4j_server):
    """As the embedded store does and a rebuild does: scores describe the graph before the change."""
    store = _store(neo4j_driver, neo4j_server)
    store.replace(_sample(), stamp="s1")
    store.set_node_properties("degree", {"qiu": 4, "han": 2})
    store.set_node_properties("community", {"qiu": 1})
    new = _rewritten()
    delta = _delta(_sample(), new)
    scored = next(n for n in delta.nodes if n.id == "han")
    scored.props = {"degree": 9}
    store.apply(delta, "s1", "s2")
    props = {n.id: n.props for n in store.read().nodes}
    assert props["qiu"] == {}  # rewritten (its evidence changed): stale scores gone
    assert props["han"] == {"degree": 9}
    assert all(not p for nid, p in props.items() if nid != "han")


def test_apply_against_another_graph_is_refused_and_changes_nothing(neo4j_driver, neo4j_server):
    store = _store(neo4j_driver, neo4j_server)
    store.replace(_smaller(), stamp="current")
    before = (as_sets(store.read()), _counts(neo4j_driver))
    with pytest.raises(StaleStoreError, match="'current'"):
        store.apply(_delta(_smaller(), _sample()), before="older", after="newer")
    assert (as_sets(store.read()), _counts(neo4j_driver)) == before and store.stamp() == "current"


def test_apply_naming_a_missing_node_or_report_is_undone_whole(neo4j_driver, neo4j_server):
    store = _store(neo4j_driver, neo4j_server)
    store.replace(_smaller(), stamp="current")
    before = (as_sets(store.read()), _counts(neo4j_driver))
    orphan_edge = _delta(_smaller(), _sample())
    orphan_edge.nodes = [n for n in orphan_edge.nodes if n.id != "han"]  # LIAISES_WITH needs han
    unknown_report = GraphDelta(nodes=[Node("nobody", "Person", "无名氏", [], [_ev(R2, S2, "person")])])
    for delta in (orphan_edge, unknown_report):
        with pytest.raises(StoreError, match="Neo4j wrote"):
            store.apply(delta, before="current", after="next")
        assert (as_sets(store.read()), _counts(neo4j_driver)) == before and store.stamp() == "current"


def test_apply_removing_records_takes_their_relationships(neo4j_driver, neo4j_server):
    store = _store(neo4j_driver, neo4j_server)
    store.replace(_sample(), stamp="a")
    store.apply(GraphDelta(removed_nodes=["lanwan"], removed_reports=[R1],
                           removed_edges=[("fed", "RUNS", "xinghe")]), "a", "b")
    doc = store.read()
    assert "lanwan" not in {n.id for n in doc.nodes} and [r.id for r in doc.reports] == [R2]
    assert {e.key for e in doc.edges} == {("qiu", "HOLDS_POST", "chamber"), ("chamber", "AFFILIATED_WITH", "fed"),
                                          ("chamber", "LOCATED_IN", "wangcheng"),
                                          ("wangcheng", "LOCATED_IN", "changsha")}
    mentions = "MATCH (:Entity)-[m:MENTIONED_IN]->(:Report {id: $report}) RETURN count(m) AS n"
    assert _one(neo4j_driver, mentions, report=R2) == 3  # fed, han, xinghe; lanwan's went with it
