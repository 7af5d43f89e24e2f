"""The embedded Kùzu store against real databases in tmp_path (invented names)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ufgraph.errors import QueryError, RecordError, StoreError
from ufgraph.graph.embedded import POINTER, EmbeddedStore
from ufgraph.graph.delta import GraphDelta
from ufgraph.graph.model import Edge, Evidence, GraphDocument, Node, Report
from ufgraph.graph.names import node_id
from ufgraph.queries import run_query


def ev(report: str, sentence: str, start: int = 0, date: str = "2023-06-01") -> Evidence:
    return Evidence(report, sentence, start, start + len(sentence), "hand", date)


def sample_doc() -> GraphDocument:
    person, chamber = node_id("Person", "闻启航"), node_id("Chamber", "南充市川北商会")
    program, place = node_id("Program", "远航计划"), node_id("Place", "南充市")
    nodes = [
        Node(person, "Person", "闻启航", [], [ev("r-1", "闻启航任会长。", 40), ev("r-1", "会长闻启航说。", 5),
                                              ev("r-2", "闻启航出席。", 9, "2024-02-03")]),
        Node(chamber, "Chamber", "南充市川北商会", ["川北商会"], [ev("r-1", "南充市川北商会成立。", 1)]),
        Node(program, "Program", "远航计划", [], [ev("r-2", "“远航计划”启动。", 2, "2024-02-03")]),
        Node(place, "Place", "南充市", [], []),
    ]
    edges = [
        Edge(person, chamber, "HOLDS_POST", {"title": "会长"}, [ev("r-1", "闻启航任会长。", 40)]),
        Edge(chamber, program, "RUNS", {"role": "主办"}, [ev("r-2", "“远航计划”启动。", 2, "2024-02-03")]),
        Edge(chamber, place, "LOCATED_IN", {}, [], "gazetteer"),
    ]
    reports = [Report("r-1", "商会换届", "2023-06-01", "川北日报", ["甲记者"], "/in/a.txt"),
               Report("r-2", "远航计划启动", "2024-02-03", "", [], "/in/b.md")]
    return GraphDocument(reports, nodes, edges)


def shape(doc: GraphDocument) -> dict:
    """What the store must keep exactly: nodes with reports, edges with evidence, reports."""
    return {
        "nodes": sorted((n.id, n.type, n.name, tuple(n.aliases), tuple(n.reports)) for n in doc.nodes),
        "edges": sorted(json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) for e in doc.edges),
        "reports": sorted((r.id, r.title, r.date, r.source, tuple(r.authors), r.path) for r in doc.reports),
    }


@pytest.fixture
def store(tmp_path):
    with EmbeddedStore(tmp_path / "store") as s:
        yield s


def test_a_new_store_is_empty(store):
    assert store.read() == GraphDocument()
    assert not store.has_graph()
    with pytest.raises(StoreError, match="no graph yet"):
        store.run("MATCH (n:Entity) RETURN n")


def test_replace_then_read_gives_the_document_back(store):
    doc = sample_doc()
    store.replace(doc)
    back = store.read()
    assert shape(back) == shape(doc)
    assert back.edges[0].origin in {"report", "gazetteer"}
    assert {e.type: e.origin for e in back.edges}["LOCATED_IN"] == "gazetteer"


def test_relationship_properties_follow_the_storage_shape(store):
    store.replace(sample_doc())
    (row,) = store.run("MATCH (p:Entity)-[r:HOLDS_POST]->(c:Entity) RETURN p.name AS p, r, c.type AS t")
    assert row["p"] == "闻启航" and row["t"] == "Chamber"
    assert row["r"]["title"] == "会长" and row["r"]["reports"] == ["r-1"] and row["r"]["dates"] == ["2023-06-01"]
    assert json.loads(row["r"]["evidence"])[0]["sentence"] == "闻启航任会长。"
    assert store.run("MATCH ()-[r]->() WHERE label(r) = $t RETURN count(*) AS n", {"t": "RUNS"}) == [{"n": 1}]


def test_mentioned_in_holds_the_first_sentence_and_the_count(store):
    store.replace(sample_doc())
    rows = store.run("MATCH (n:Entity)-[m:MENTIONED_IN]->(r:Report) WHERE n.name = $name "
                     "RETURN r.id AS report, m.evidence AS evidence, m.count AS count ORDER BY report",
                     {"name": "闻启航"})
    assert rows == [{"report": "r-1", "evidence": "会长闻启航说。", "count": 2},
                    {"report": "r-2", "evidence": "闻启航出席。", "count": 1}]
    # A node nobody mentioned (a gazetteer place) has no MENTIONED_IN edge.
    assert store.run("MATCH (n:Entity)-[:MENTIONED_IN]->() WHERE n.type = 'Place' RETURN n") == []


def stored_post_types(store) -> dict[str, list[str]]:
    return {row["id"]: row["types"] for row in store.run("MATCH (n:Entity) RETURN n.id AS id, n.post_types AS types")}


def test_each_entity_keeps_the_types_of_the_bodies_it_holds_posts_in(store):
    doc = sample_doc()
    person, chamber, program, place = (n.id for n in doc.nodes)
    doc.edges.append(Edge(person, program, "HOLDS_POST", {"title": "班主任"}, [ev("r-2", "“远航计划”启动。")]))
    store.replace(doc)
    assert stored_post_types(store) == {person: ["Chamber", "Program"], chamber: [], program: [], place: []}


def test_a_change_counts_post_types_again_from_the_posts_then_stored(store):
    """Posts written, posts removed, a body removed with its posts (no removed edge named), and a
    body given another type."""
    doc = sample_doc()
    person, chamber, program, _ = (n.id for n in doc.nodes)
    store.replace(doc, stamp="s0")
    newcomer = Node(node_id("Person", "龚远帆"), "Person", "龚远帆", [], [ev("r-2", "龚远帆任班主任。")])
    post = Edge(newcomer.id, program, "HOLDS_POST", {"title": "班主任"}, [ev("r-2", "龚远帆任班主任。")])
    second = Edge(person, program, "HOLDS_POST", {}, [ev("r-2", "闻启航出席。")])
    town = Node(node_id("Place", "顺庆区"), "Place", "顺庆区")  # new, with no posts: [] as a rebuild gives
    store.apply(GraphDelta(nodes=[newcomer, town], edges=[post, second]), "s0", "s1")
    assert stored_post_types(store)[newcomer.id] == ["Program"] and stored_post_types(store)[town.id] == []
    assert stored_post_types(store)[person] == ["Chamber", "Program"]
    store.apply(GraphDelta(removed_edges=[second.key]), "s1", "s2")
    assert stored_post_types(store)[person] == ["Chamber"]
    store.apply(GraphDelta(removed_nodes=[chamber]), "s2", "s3")
    assert stored_post_types(store)[person] == []
    assert stored_post_types(store)[newcomer.id] == ["Program"]
    retyped = Node(program, "Event", "远航计划启动会")  # its holder's post is not in the change
    store.apply(GraphDelta(nodes=[retyped]), "s3", "s4")
    assert stored_post_types(store)[newcomer.id] == ["Event"]


def people_at(store, org: str) -> list[str]:
    """Who holds a post in the body looked up by `org` (people-of starts from `{{lookup}}`)."""
    return sorted(run_query(store, "people-of", org=org)["person"])


def test_the_name_table_finds_an_entity_by_id_name_and_alias_after_each_change(store):
    doc = sample_doc()
    person, chamber = doc.nodes[0].id, doc.nodes[1].id
    store.replace(doc, stamp="s0")
    for key in (chamber, "南充市川北商会", "川北商会"):
        assert people_at(store, key) == ["闻启航"]
    assert people_at(store, "川北") == [] and people_at(store, "南充市") == []  # exact texts only
    renamed = Node(chamber, "Chamber", "南充川北商会", ["川北商会", "川北总商会"], [ev("r-1", "南充川北商会成立。", 1)])
    store.apply(GraphDelta(nodes=[renamed]), "s0", "s1")
    assert people_at(store, "南充川北商会") == people_at(store, "川北总商会") == people_at(store, "川北商会") == ["闻启航"]
    assert people_at(store, "南充市川北商会") == []  # the old name names nothing now
    twin = Node(node_id("Chamber", "川北商会"), "Chamber", "川北商会", [], [ev("r-2", "川北商会召开会议。", 3)])
    store.apply(GraphDelta(nodes=[twin], edges=[Edge(person, twin.id, "HOLDS_POST", {"title": "顾问"},
                                                           [ev("r-2", "闻启航任顾问。", 4)])]), "s1", "s2")
    assert sorted(run_query(store, "people-of", org="川北商会")["org"]) == ["南充川北商会", "川北商会"]
    store.apply(GraphDelta(removed_nodes=[chamber]), "s2", "s3")
    assert people_at(store, "川北总商会") == [] and people_at(store, chamber) == []
    assert run_query(store, "people-of", org="川北商会")["org"].tolist() == ["川北商会"]
    store.apply(GraphDelta(nodes=[renamed]), "s3", "s4")  # back, with no links yet
    assert store.run("MATCH (k:UfgraphName {key: '川北总商会'})-[:UfgraphNames]->(n:Entity) RETURN n.id AS id") \
        == [{"id": chamber}]


def test_replace_twice_is_idempotent_and_keeps_one_database(store):
    store.replace(sample_doc())
    first = store.read()
    store.replace(sample_doc())
    assert store.read() == first
    assert len([p for p in store.folder.iterdir() if p.name.startswith("db-")]) == 1


def test_replacing_with_a_smaller_document_removes_stale_facts(store):
    store.replace(sample_doc())
    smaller = sample_doc()
    smaller.nodes = [n for n in smaller.nodes if n.type != "Program"]
    smaller.edges = [e for e in smaller.edges if e.type != "RUNS"]
    store.replace(smaller)
    assert shape(store.read()) == shape(smaller)
    assert store.run("MATCH (n:Entity) WHERE n.type = 'Program' RETURN n") == []


def test_a_bad_document_is_refused_and_the_previous_graph_stays(store):
    store.replace(sample_doc())
    before = store.read()
    bad = sample_doc()
    bad.nodes.append(bad.nodes[0])
    with pytest.raises(RecordError, match="appears twice"):
        store.replace(bad)
    dangling = sample_doc()
    dangling.edges.append(Edge(dangling.nodes[0].id, "chamber-nowhere", "LIAISES_WITH"))
    with pytest.raises(RecordError, match="endpoint"):
        store.replace(dangling)
    unknown_report = sample_doc()
    unknown_report.nodes[3].evidence.append(ev("r-9", "南充市。"))
    with pytest.raises(RecordError, match="r-9"):
        store.replace(unknown_report)
    assert store.read() == before


@pytest.mark.parametrize("cypher", [
    "CREATE (n:Entity {id: 'x', type: 'Person', name: 'x'})",
    "MATCH (n:Entity) SET n.name = 'x'",
    "MATCH (n:Entity) DETACH DELETE n",
    "MERGE (n:Entity {id: 'x'})",
    "MATCH (n:Entity) WITH n CREATE (m:Entity {id: n.id + 'x'})",
    "COPY (MATCH (n:Entity) RETURN n.name) TO '/tmp/ufgraph-leak.csv'",
    "LOAD FROM '/etc/passwd' RETURN *",
    "INSTALL httpfs",
    "MATCH (n:Entity) RETURN n; MATCH (n:Entity) DELETE n",
])
def test_run_refuses_anything_but_reading(store, cypher):
    store.replace(sample_doc())
    before = store.read()
    with pytest.raises(QueryError):
        store.run(cypher)
    assert store.read() == before
    assert not Path("/tmp/ufgraph-leak.csv").exists()


def test_a_bad_query_is_a_query_error(store):
    store.replace(sample_doc())
    with pytest.raises(QueryError, match="failed"):
        store.run("MATCH (n:Entity) RETURN n.no_such_property")


def test_hostile_names_are_plain_strings(store):
    doc = sample_doc()
    hostile = "'}) DETACH DELETE n //<script>alert(1)</script>"
    doc.nodes.append(Node(node_id("Chamber", hostile), "Chamber", hostile, [], [ev("r-1", hostile)]))
    store.replace(doc)
    rows = store.run("MATCH (n:Entity) WHERE n.name = $name RETURN n.name AS name", {"name": hostile})
    assert rows == [{"name": hostile}]
    assert len(store.read().nodes) == len(doc.nodes)


def test_variable_length_trail_pattern(store):
    store.replace(sample_doc())
    rows = store.run("MATCH (a:Entity)-[* TRAIL 1..2]-(b:Entity) WHERE a.name = $a AND b.type = 'Program' "
                     "RETURN DISTINCT b.name AS name", {"a": "闻启航"})
    assert rows == [{"name": "远航计划"}]


def test_set_node_properties_writes_scores(store):
    doc = sample_doc()
    store.replace(doc)
    person = doc.nodes[0].id
    store.set_node_properties("degree", {person: 3})
    store.set_node_properties("community", {person: 7, doc.nodes[1].id: 7})
    rows = store.run("MATCH (n:Entity) WHERE n.id = $id RETURN n.degree AS d, n.community AS c", {"id": person})
    assert rows == [{"d": 3.0, "c": 7}]
    assert {n.id: n.props for n in store.read().nodes}[person] == {"degree": 3.0, "community": 7}
    with pytest.raises(QueryError, match="analysis property"):
        store.set_node_properties("name", {person: "x"})
    assert len([p for p in store.folder.iterdir() if p.name.startswith("db-")]) == 1


def test_scores_survive_a_read_replace_round_trip(store):
    doc = sample_doc()
    store.replace(doc)
    store.set_node_properties("betweenness", {doc.nodes[1].id: 0.5})
    again = store.read()
    store.replace(again)
    assert {n.id: n.props for n in store.read().nodes}[doc.nodes[1].id] == {"betweenness": 0.5}


def test_a_second_store_on_the_folder_sees_each_new_graph(tmp_path):
    writer, reader = EmbeddedStore(tmp_path / "s"), EmbeddedStore(tmp_path / "s")
    writer.replace(sample_doc())
    assert len(reader.run("MATCH (n:Entity) RETURN n.id")) == 4
    smaller = sample_doc()
    smaller.nodes, smaller.edges = smaller.nodes[:1], []
    writer.replace(smaller)
    assert len(reader.run("MATCH (n:Entity) RETURN n.id")) == 1
    writer.close()
    reader.close()


def test_leftovers_of_a_crashed_build_are_removed_on_open(tmp_path):
    folder = tmp_path / "s"
    with EmbeddedStore(folder) as s:
        s.replace(sample_doc())
        live = s.current_dir()
    (folder / "db-1-999").mkdir()
    (folder / "db-1-999" / "graph.kz").write_bytes(b"half")
    (folder / f".{POINTER}.999.tmp").write_text("db-1-999")
    with EmbeddedStore(folder) as s:
        assert sorted(p.name for p in folder.iterdir()) == sorted([".lock", POINTER, live.name])
        assert shape(s.read()) == shape(sample_doc())


def test_a_missing_database_folder_is_reported_and_rebuilt(tmp_path):
    folder = tmp_path / "s"
    with EmbeddedStore(folder) as s:
        s.replace(sample_doc())
        live = s.current_dir()
    for f in live.iterdir():
        f.unlink()
    live.rmdir()
    with EmbeddedStore(folder) as s:
        assert s.notices and "missing" in s.notices[0]
        assert not s.has_graph()
        with pytest.raises(StoreError, match="missing"):
            s.read()
        s.replace(sample_doc())
        assert s.has_graph() and shape(s.read()) == shape(sample_doc())


def test_a_damaged_database_file_is_reported(tmp_path):
    folder = tmp_path / "s"
    with EmbeddedStore(folder) as s:
        s.replace(sample_doc())
        live = s.current_dir()
    (live / "graph.kz").write_bytes(b"not a database" * 100)
    with EmbeddedStore(folder) as s:
        assert s.notices and "damaged" in s.notices[0]
        s.replace(sample_doc())
        assert shape(s.read()) == shape(sample_doc())


# ---------------------------------------------------------------- crash safety

_WRITER = """
import sys
from ufgraph.graph.embedded import EmbeddedStore
from ufgraph.graph.model import GraphDocument
import json
doc = GraphDocument.from_dict(json.load(open(sys.argv[2], encoding="utf-8")))
store = EmbeddedStore(sys.argv[1])
print("ready", flush=True)
while True:
    store.replace(doc)
"""


def big_doc(tag: str, size: int) -> GraphDocument:
    reports = [Report(f"r-{tag}", f"报道{tag}", "2023-01-01")]
    nodes = [Node(node_id("Enterprise", f"测试{tag}企业{i}号有限公司"), "Enterprise", f"测试{tag}企业{i}号有限公司",
                  [], [ev(f"r-{tag}", f"第{i}句。", i)]) for i in range(size)]
    edges = [Edge(nodes[i].id, nodes[(i * 7 + 1) % size].id, "COOPERATES_WITH", {"what": "合作"},
                  [ev(f"r-{tag}", f"第{i}句。", i)]) for i in range(size) if i != (i * 7 + 1) % size]
    return GraphDocument(reports, nodes, edges)


def test_sigkill_during_replace_leaves_a_whole_graph(tmp_path):
    folder = tmp_path / "s"
    old, new = big_doc("甲", 3000), big_doc("乙", 6000)
    with EmbeddedStore(folder) as s:
        s.replace(old)
    wanted = {"old": shape(old), "new": shape(new)}
    doc_file = tmp_path / "new.json"
    doc_file.write_text(json.dumps(new.to_dict(), ensure_ascii=False), "utf-8")
    seen = set()
    for delay in (0.05, 0.3, 0.7, 1.2, 2.0):
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(folder), str(doc_file)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        with EmbeddedStore(folder) as s:
            got = shape(s.read())
            assert got in wanted.values(), f"a torn graph after SIGKILL at {delay}s"
            seen.add("old" if got == wanted["old"] else "new")
            assert len([p for p in folder.iterdir() if p.name.startswith("db-")]) == 1
    print("states seen after SIGKILL:", sorted(seen))


def test_staged_tables_of_a_process_that_is_gone_are_removed_on_open(tmp_path):
    folder = tmp_path / "s"
    with EmbeddedStore(folder) as s:
        s.replace(sample_doc())
        mine = s.stage(sample_doc(), owner=os.getpid())
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftover = folder / f"stage-{gone.stdout.strip()}-1"
    leftover.mkdir()
    with EmbeddedStore(folder) as s:
        assert not leftover.exists()
        assert mine.folder.is_dir()  # its owner (this process) may still load it
        s.replace_staged(mine, "stamp-1")
        assert not mine.folder.exists() and s.stamp() == "stamp-1"
        assert shape(s.read()) == shape(sample_doc())


def test_a_table_is_staged_in_row_groups_that_end_at_the_evidence_budget(tmp_path, monkeypatch):
    """A relationship stated in thousands of reports has a long evidence text: a batch of rows
    ends at a budget of evidence characters as well as at a number of rows, so that staging
    never holds a table's worth of them, and the graph comes back whole."""
    import pyarrow.parquet as pq
    from ufgraph.graph import kuzu_tables

    monkeypatch.setattr(kuzu_tables, "EVIDENCE_PER_BATCH", 600)
    doc = sample_doc()
    place = node_id("Place", "南充市")
    for i in range(6):
        chamber = node_id("Chamber", f"南充市第{i}商会")
        sentences = [ev(f"r-{1 + k % 2}", f"南充市第{i}商会在南充市召开第{k}次会议。", k) for k in range(12)]
        doc.nodes.append(Node(chamber, "Chamber", f"南充市第{i}商会", [], sentences))
        doc.edges.append(Edge(chamber, place, "LOCATED_IN", {}, sentences))
    with EmbeddedStore(tmp_path / "store") as s:
        staged = s.stage(doc, owner=os.getpid())
        table = pq.ParquetFile(staged.folder / "LOCATED_IN.parquet")
        groups = [table.read_row_group(g).column("evidence").to_pylist() for g in range(table.num_row_groups)]
        assert sum(map(len, groups)) == 7 and len(groups) > 1
        assert all(len(g) == 1 or sum(map(len, g)) <= 600 for g in groups)
        s.replace_staged(staged, "stamp-1")
        assert shape(s.read()) == shape(doc)


# ---------------------------------------------------------------- the fold's copy of the live file

def _copy_of(tmp_path, data: bytes):
    from ufgraph.graph.embedded import _copy_unchanged
    source = tmp_path / "graph.kz"
    source.write_bytes(data)
    with open(source, "rb") as handle:
        _copy_unchanged(handle, tmp_path / "copy.kz")
    return (tmp_path / "copy.kz").read_bytes()


def test_the_live_file_is_copied_whole(tmp_path):
    data = os.urandom(3 << 20)
    assert _copy_of(tmp_path, data) == data


def test_a_file_system_without_kernel_copies_is_copied_by_reads(tmp_path, monkeypatch):
    import errno

    def refuse(*_):
        raise OSError(errno.EXDEV, "cross-device")
    monkeypatch.setattr(os, "copy_file_range", refuse)
    data = os.urandom(1 << 20)
    assert _copy_of(tmp_path, data) == data


def test_a_live_file_written_to_while_it_is_copied_is_refused(tmp_path, monkeypatch):
    real, written = os.copy_file_range, []

    def copy_and_write(src, dst, count):
        done = real(src, dst, count)
        if not written:
            with open(tmp_path / "graph.kz", "ab") as live:  # what no change should ever do
                live.write(b"x")
            written.append(True)
        return done
    monkeypatch.setattr(os, "copy_file_range", copy_and_write)
    with pytest.raises(StoreError, match="changed while it was copied"):
        _copy_of(tmp_path, b"abc" * 1000)
