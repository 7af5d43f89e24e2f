"""Incremental resolution and in-place store changes equal a full rebuild.

A synthetic corpus (benchmarks/corpus.py: recurring bodies and office holders,
so changes reach shared nodes, merged people and shared edges) is extracted
once; random steps then remove and add reports. After each step the graph
changed by the delta must equal resolve() of the whole new report set, in
memory and in the embedded store.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ufgraph.errors import StaleStoreError, StoreError
from ufgraph.graph import journal
from ufgraph.graph.contrib import ContribIndex, node_key
from ufgraph.graph.delta import GraphDelta, applied, composed, delta_from_dict, delta_to_dict
from ufgraph.graph.embedded import EmbeddedStore
from ufgraph.graph.incremental import change_of
from ufgraph.graph.model import Edge, Evidence, GraphDocument, Node, Report
from ufgraph.graph.resolve import resolve
from ufgraph.loaders.pipeline import extract_source
from ufgraph.loaders.read import read_report

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import corpus  # noqa: E402

SIZE = 120


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, GraphDocument]:
    folder = tmp_path_factory.mktemp("corpus")
    corpus.write_corpus(folder, SIZE, 11)
    docs = [extract_source(read_report(p)) for p in sorted((folder / "reports").glob("*.txt"))]
    return {d.reports[0].id: d for d in docs}


def _random_steps(documents, seed: int, steps: int):
    """(current report ids before, removed ids, added ids) for each random step."""
    rng = random.Random(seed)
    ids = sorted(documents)
    current = set(rng.sample(ids, len(ids) * 3 // 4))
    for _ in range(steps):
        removed = set(rng.sample(sorted(current), rng.randint(0, 3)))
        added = set(rng.sample(sorted(set(ids) - current), rng.randint(0, 3)))
        yield set(current), removed, added
        current = (current - removed) | added


def _index(tmp_path: Path, docs) -> ContribIndex:
    index = ContribIndex(tmp_path / "contrib.sqlite")
    index.add(docs)
    return index


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_delta_applied_to_the_old_graph_is_the_full_resolution(documents, tmp_path, seed):
    steps = list(_random_steps(documents, seed, 12))
    first = steps[0][0]
    index = _index(tmp_path, [documents[i] for i in sorted(first)])
    held = resolve([documents[i] for i in first])
    touched = 0
    for current, removed, added in steps:
        index.begin()
        change = change_of(index, removed, [documents[i] for i in sorted(added)], {})
        index.commit()
        want = resolve([documents[i] for i in (current - removed) | added])
        got = applied(held, change.delta)
        assert got.to_dict() == want.to_dict()
        touched += change.delta.size()
        held = want
    assert touched > 0  # the steps did change something


def test_counts_of_a_change_add_up(documents, tmp_path):
    current, removed, added = next(s for s in _random_steps(documents, 4, 20) if s[1] and s[2])
    index = _index(tmp_path, [documents[i] for i in sorted(current)])
    before = resolve([documents[i] for i in current])
    index.begin()
    change = change_of(index, removed, [documents[i] for i in sorted(added)], {})
    after = resolve([documents[i] for i in (current - removed) | added])
    for attr, counter in (("nodes", change.nodes), ("edges", change.edges)):
        for kind in {x.type for x in getattr(before, attr) + getattr(after, attr)}:
            count = lambda doc: sum(1 for x in getattr(doc, attr) if x.type == kind)  # noqa: E731
            assert count(after) - count(before) == counter[kind], (attr, kind)


def test_a_moved_report_changes_only_its_path(documents, tmp_path):
    ids = sorted(documents)[:10]
    index = _index(tmp_path, [documents[i] for i in ids])
    index.begin()
    change = change_of(index, set(), [], {ids[0]: "/elsewhere/moved.txt"})
    assert [r.path for r in change.delta.reports] == ["/elsewhere/moved.txt"]
    assert not (change.delta.nodes or change.delta.edges or change.delta.removed_nodes)
    assert index.report_paths()[ids[0]] == "/elsewhere/moved.txt"


def test_a_rolled_back_change_leaves_the_index_as_it_was(documents, tmp_path):
    ids = sorted(documents)[:10]
    index = _index(tmp_path, [documents[i] for i in ids])
    index.begin()
    change_of(index, {ids[0]}, [documents[sorted(documents)[20]]], {})
    index.rollback()
    assert set(index.report_paths()) == set(ids)


def test_a_failed_index_write_is_a_store_error_naming_the_file(documents, tmp_path):
    ids = sorted(documents)[:3]
    index = _index(tmp_path, [documents[i] for i in ids])
    index.db.execute("PRAGMA query_only = 1")  # every write now fails, as on a full disk
    with pytest.raises(StoreError, match="contrib.sqlite: cannot write the contribution index"):
        index.add([documents[sorted(documents)[5]]])
    assert set(index.report_paths()) == set(ids)


def test_people_of_one_name_join_when_a_new_report_gives_them_a_shared_context(tmp_path):
    """Two same-named people apart (different places) become one when a third report ties them."""
    def doc(rid: str, locality: str, org: str | None) -> GraphDocument:
        ev = Evidence(rid, "张伟明任会长。", 0, 6, "test")
        nodes = [Node("p", "Person", "张伟明", evidence=[ev])]
        edges = []
        if org:
            nodes.append(Node("o", "Chamber", org, evidence=[ev]))
            edges.append(Edge("p", "o", "HOLDS_POST", {"title": "会长"}, [ev]))
        return GraphDocument([Report(rid, path=f"/r/{rid}.txt", locality=locality)], nodes, edges)

    a, b = doc("r-a", "昆山市", "昆山市青年商会"), doc("r-b", "台州市", "台州市温岭商会")
    bridge = doc("r-c", "", "昆山市青年商会")
    bridge.nodes.append(Node("o2", "Chamber", "台州市温岭商会", evidence=bridge.nodes[0].evidence))
    bridge.edges.append(Edge("p", "o2", "HOLDS_POST", {"title": "会长"}, bridge.nodes[0].evidence))
    index = _index(tmp_path, [a, b])
    held = resolve([a, b])
    assert sum(n.type == "Person" for n in held.nodes) == 2
    index.begin()
    change = change_of(index, set(), [bridge], {})
    got = applied(held, change.delta)
    assert got.to_dict() == resolve([a, b, bridge]).to_dict()
    assert sum(n.type == "Person" for n in got.nodes) == 1


def test_documents_of_a_key_named_in_more_reports_than_one_query_takes(tmp_path):
    """A place named in thousands of reports: its rows, and each row's report, come back in
    chunks (SQLite's bound-variable limit); every report keeps its own title and path."""
    from ufgraph.graph import contrib
    count = contrib._CHUNK * 2 + 7
    docs = []
    for i in range(count):
        rid = f"r{i:05d}"
        sentence = f"Hub City {i}"
        place = Node(f"{rid}-p", "Place", "Hub City", [], [Evidence(rid, sentence, 0, 8, "test")])
        org = Node(f"{rid}-o", "Enterprise", f"Firm {i} Ltd", [], [Evidence(rid, sentence, 0, 8, "test")])
        edge = Edge(org.id, place.id, "LOCATED_IN", {}, [Evidence(rid, sentence, 0, 8, "test")])
        docs.append(GraphDocument([Report(rid, title=f"title {i}", path=f"/corpus/{rid}.txt")], [place, org], [edge]))
    index = _index(tmp_path, docs)
    hub = node_key(docs[0].nodes[0])
    got = index.documents({hub}, {(node_key(docs[3].nodes[1]), "LOCATED_IN", hub)})
    assert [d.reports[0].id for d in got] == [f"r{i:05d}" for i in range(count)]
    assert all(d.reports[0].title == f"title {int(d.reports[0].id[1:])}" for d in got)
    assert all(d.reports[0].path == f"/corpus/{d.reports[0].id}.txt" for d in got)
    assert sum(len(d.edges) for d in got) == 1 and got[3].edges[0].type == "LOCATED_IN"
    places = [n for n in resolve(got).nodes if n.type == "Place"]
    assert len(places) == 1 and len({e.report for e in places[0].evidence}) == count


def test_node_keys_are_what_resolution_joins_on():
    ev = [Evidence("r", "s", 0, 1, "t")]
    assert node_key(Node("a", "Person", "张伟明", evidence=ev)) == node_key(Node("b", "Person", "张 伟明", evidence=ev))
    assert node_key(Node("a", "Chamber", "甲商会", evidence=ev)) != node_key(Node("a", "Federation", "甲商会", evidence=ev))


# ---------------------------------------------------------------- the embedded store

def test_embedded_store_applies_deltas_like_a_rebuild(documents, tmp_path):
    steps = list(_random_steps(documents, 5, 4))
    first = steps[0][0]
    index = _index(tmp_path, [documents[i] for i in sorted(first)])
    store = EmbeddedStore(tmp_path / "store")
    store.replace(resolve([documents[i] for i in first]), stamp="s0")
    reference = EmbeddedStore(tmp_path / "reference")
    for n, (current, removed, added) in enumerate(steps, start=1):
        index.begin()
        change = change_of(index, removed, [documents[i] for i in sorted(added)], {})
        store.apply(change.delta, before=f"s{n - 1}", after=f"s{n}")
        index.commit()
        reference.replace(resolve([documents[i] for i in (current - removed) | added]))
        assert store.read().to_dict() == reference.read().to_dict()
        assert _mention_rows(store) == _mention_rows(reference)  # read() leaves out the counts
        assert _post_type_rows(store) == _post_type_rows(reference)  # so does it `post_types`
        assert _name_rows(store) == _name_rows(reference)  # and the name table's links
        assert _link_rows(store) == _link_rows(reference)  # and the index of links by report
        assert _liaison_rows(store) == _liaison_rows(reference)  # and the table of liaison links
        assert store.stamp() == f"s{n}"


@pytest.mark.parametrize("seed", [6, 7])
def test_changes_composed_into_one_change_the_store_as_they_would_one_by_one(documents, tmp_path, seed):
    """The fold catches up with the changes made while it ran as one composed change
    (graph/fold.py): reports removed and added again on the way included."""
    steps = list(_random_steps(documents, seed, 6))
    first = steps[0][0]
    index = _index(tmp_path, [documents[i] for i in sorted(first)])
    deltas = []
    for current, removed, added in steps:
        index.begin()
        deltas.append(change_of(index, removed, [documents[i] for i in sorted(added)], {}).delta)
        index.commit()
    last = (steps[-1][0] - steps[-1][1]) | steps[-1][2]
    assert set().union(*(s[1] for s in steps)) & set().union(*(s[2] for s in steps))  # a report came back
    change = composed([delta_from_dict(json.loads(json.dumps(delta_to_dict(d)))) for d in deltas])
    want = resolve([documents[i] for i in last])
    assert applied(resolve([documents[i] for i in first]), change).to_dict() == want.to_dict()
    store, reference = EmbeddedStore(tmp_path / "store"), EmbeddedStore(tmp_path / "reference")
    store.replace(resolve([documents[i] for i in first]), stamp="s0")
    store.apply(change, before="s0", after="s1")
    reference.replace(want)
    assert store.read().to_dict() == reference.read().to_dict()
    assert _mention_rows(store) == _mention_rows(reference)
    assert _post_type_rows(store) == _post_type_rows(reference)
    assert _name_rows(store) == _name_rows(reference)
    assert _link_rows(store) == _link_rows(reference)
    assert _liaison_rows(store) == _liaison_rows(reference)


def test_a_removed_node_takes_its_mentions_and_links_in_a_composed_change():
    node = Node("org-a", "Chamber", "甲商会", evidence=[Evidence("r1", "甲商会成立。", 0, 3, "t")])
    removed, again = GraphDelta(removed_nodes=["org-a"]), GraphDelta(nodes=[node], held_mentions={"org-a": {}})
    change = composed([GraphDelta(nodes=[node], held_mentions={"org-a": {"r1": ("甲商会成立。", 1)}}),
                       removed, again])
    assert change.removed_nodes == ["org-a"] and change.nodes == [node]
    assert change.held_mentions == {"org-a": {}}  # the removal took them: all are written again
    assert composed([removed]).nodes == [] and composed([removed]).held_mentions == {}
    other = Node("fed-b", "Federation", "乙工商联")
    link = Edge("org-a", "fed-b", "AFFILIATED_WITH")
    gone_with_its_node = composed([GraphDelta(nodes=[node, other], edges=[link]), removed])
    assert gone_with_its_node.edges == [] and link.key in gone_with_its_node.removed_edges


def _post_type_rows(store: EmbeddedStore) -> list[dict]:
    """What the store keeps on each entity beside its own properties: post_types and report_count."""
    rows = store.run("MATCH (n:Entity) RETURN n.id AS id, n.post_types AS types, n.report_count AS report_count, "
                     "size(n.reports) AS reports ORDER BY id")
    assert any(row["types"] for row in rows)  # the corpus has posts: the comparison is not of empties
    assert all(row["report_count"] == row["reports"] for row in rows)
    return rows


def _liaison_rows(store: EmbeddedStore) -> list[dict]:
    """The store's table of liaison links as `liaisons` shows them (graph/kuzu_liaisons.py)."""
    rows = [row["r"] for row in store.run("MATCH (r:UfgraphLiaison) RETURN r ORDER BY r.key")]
    assert any(row["liaison_posts"] for row in rows) and any(row["counterpart_posts"] for row in rows)
    return [{k: v for k, v in row.items() if not k.startswith("_")} for row in rows]


def _name_rows(store: EmbeddedStore) -> list[dict]:
    """Each key of the name table (graph/store.NAME_TABLE) with an entity it names; a key left
    naming nothing is not compared (a whole write leaves it out, a change may keep it)."""
    rows = store.run("MATCH (k:UfgraphName)-[:UfgraphNames]->(n:Entity) RETURN k.key AS key, n.id AS id "
                     "ORDER BY key, id")
    assert any(row["key"] != row["id"] for row in rows)  # names and aliases, not ids only
    return rows


def _link_rows(store: EmbeddedStore) -> list[dict]:
    """The store's index of which relationships each report states (graph/kuzu_links.py)."""
    rows = store.run("MATCH (s:Entity)<-[:UfgraphLinkSource]-(l:UfgraphLink)-[:UfgraphLinkTarget]->(t:Entity) "
                     "OPTIONAL MATCH (l)-[i:UfgraphLinkReports]->(r:Report) "
                     "RETURN l.key AS key, s.id AS source, l.rel AS rel, t.id AS target, l.detail AS detail, "
                     "r.id AS report, i.report AS tie_report, i.evidence AS evidence ORDER BY key, report")
    assert any(row["report"] for row in rows)
    assert all(row["tie_report"] == row["report"] for row in rows)  # a tie names its report
    assert store.run("MATCH (l:UfgraphLink) RETURN count(l) AS n") == [{"n": len({row["key"] for row in rows})}]
    return rows


def _mention_rows(store: EmbeddedStore) -> list[dict]:
    return store.run("MATCH (n:Entity)-[m:MENTIONED_IN]->(r:Report) "
                     "RETURN n.id AS node, r.id AS report, m.evidence AS sentence, m.count AS count "
                     "ORDER BY node, report")


def _two_report_graph() -> tuple[GraphDocument, Edge]:
    ev = [Evidence(r, "甲商会与乙商会签订合作协议。", 0, 3, "t") for r in ("r-1", "r-2")]
    nodes = [Node("chamber-a", "Chamber", "甲商会", evidence=ev), Node("chamber-b", "Chamber", "乙商会", evidence=ev)]
    edge = Edge("chamber-a", "chamber-b", "COOPERATES_WITH", {"what": "合作协议"}, ev)
    return GraphDocument([Report("r-1"), Report("r-2")], nodes, [edge]), edge


@pytest.mark.parametrize("change", ["fewer reports", "more evidence from a report", "an end removed and written again",
                                    "the same, its mentions not given", "an end removed"])
def test_a_change_keeps_the_index_of_links_by_report_as_a_rebuild_writes_it(tmp_path, change):
    """The cases a change computed by change_of never makes alone (there a report that leaves a
    link is removed, taking the link's tie to it along): graph/kuzu_links.link_statements."""
    doc, edge = _two_report_graph()
    one_report = Edge(edge.source, edge.target, edge.type, {"what": "协议"}, edge.evidence[:1])
    more = Edge(edge.source, edge.target, edge.type, edge.props,
                [*edge.evidence, Evidence("r-2", "乙商会与甲商会再次签约。", 0, 3, "t")])
    delta = {"fewer reports": GraphDelta(edges=[one_report]), "more evidence from a report": GraphDelta(edges=[more]),
             "an end removed and written again": GraphDelta(nodes=[doc.nodes[1]], edges=[edge],
                                                            removed_nodes=["chamber-b"],
                                                            held_mentions={"chamber-b": {}}),
             # A node removed and written again holds no mentions, whether the delta says so or not.
             "the same, its mentions not given": GraphDelta(nodes=[doc.nodes[1]], edges=[edge],
                                                            removed_nodes=["chamber-b"]),
             "an end removed": GraphDelta(removed_nodes=["chamber-b"])}[change]
    store, reference = EmbeddedStore(tmp_path / "store"), EmbeddedStore(tmp_path / "reference")
    store.replace(doc, stamp="one")
    store.apply(delta, before="one", after="two")
    reference.replace(applied(doc, delta))
    assert store.read().to_dict() == reference.read().to_dict()
    if change == "an end removed":
        assert store.run("MATCH (l:UfgraphLink) RETURN count(l) AS n") == [{"n": 0}]
    else:
        assert _link_rows(store) == _link_rows(reference)


def test_embedded_store_refuses_a_delta_computed_against_another_graph(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    ev = [Evidence("r-1", "甲商会成立。", 0, 3, "t")]
    store.replace(GraphDocument([Report("r-1")], [Node("chamber-1", "Chamber", "甲商会", evidence=ev)]), stamp="one")
    delta = GraphDelta(removed_nodes=["chamber-1"])
    with pytest.raises(StaleStoreError):
        store.apply(delta, before="two", after="three")
    assert store.stamp() == "one" and len(store.read().nodes) == 1
    store.apply(delta, before="one", after="three")
    assert store.stamp() == "three" and store.read().nodes == []


def test_embedded_store_drops_analysis_scores_on_a_change_as_a_rebuild_does(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    ev = [Evidence("r-1", "甲商会成立。", 0, 3, "t")]
    nodes = [Node("chamber-1", "Chamber", "甲商会", evidence=ev), Node("chamber-2", "Chamber", "乙商会", evidence=ev)]
    store.replace(GraphDocument([Report("r-1")], nodes), stamp="one")
    store.set_node_properties("degree", {"chamber-1": 3.0, "chamber-2": 1.0})
    renamed = Node("chamber-1", "Chamber", "甲商会", aliases=["甲市甲商会"], evidence=ev, props={"community": 7})
    store.apply(GraphDelta(nodes=[renamed]), before="one", after="two")
    rows = store.run("MATCH (n:Entity) RETURN n.id AS id, n.degree AS degree, n.community AS community, "
                     "n.aliases AS aliases ORDER BY n.id")
    assert rows == [{"id": "chamber-1", "degree": None, "community": 7, "aliases": ["甲市甲商会"]},
                    {"id": "chamber-2", "degree": None, "community": None, "aliases": []}]


_APPLIER = """
import json, sys
from ufgraph.graph.delta import GraphDelta
from ufgraph.graph.embedded import EmbeddedStore
from ufgraph.graph.model import GraphDocument
new = GraphDocument.from_dict(json.load(open(sys.argv[2], encoding="utf-8")))
old_ids = json.load(open(sys.argv[3], encoding="utf-8"))
store = EmbeddedStore(sys.argv[1])
print("ready", flush=True)
store.apply(GraphDelta(reports=new.reports, nodes=new.nodes, edges=new.edges, removed_nodes=old_ids,
                       removed_reports=["r-old"]), before="old", after="new")
print("done", flush=True)
"""


def _big(tag: str, size: int) -> GraphDocument:
    rid = f"r-{tag}"
    nodes = [Node(f"enterprise-{tag}-{i}", "Enterprise", f"{tag}测试企业{i}号有限公司",
                  evidence=[Evidence(rid, f"第{i}句。", i, i + 4, "t")]) for i in range(size)]
    edges = [Edge(nodes[i].id, nodes[(i * 7 + 1) % size].id, "COOPERATES_WITH", {"what": "合作"},
                  [Evidence(rid, f"第{i}句。", i, i + 4, "t")]) for i in range(size) if i != (i * 7 + 1) % size]
    return GraphDocument([Report(rid, f"报道{tag}")], nodes, edges)


def test_sigkill_during_an_in_place_change_leaves_the_old_graph_or_the_new_one(tmp_path):
    """The change is one Kùzu transaction: after a kill the store holds the old graph with the old
    stamp, or the new graph with the new stamp, never a mixture."""
    old, new = _big("old", 3000), _big("new", 3000)
    new_file, old_ids = tmp_path / "new.json", tmp_path / "old_ids.json"
    new_file.write_text(json.dumps(new.to_dict(), ensure_ascii=False), "utf-8")
    old_ids.write_text(json.dumps([n.id for n in old.nodes]), "utf-8")
    wanted = {"old": EmbeddedStore(tmp_path / "ref-old"), "new": EmbeddedStore(tmp_path / "ref-new")}
    wanted["old"].replace(old)
    wanted["new"].replace(new)
    wanted = {k: store.read().to_dict() for k, store in wanted.items()}
    took = _apply_in_subprocess(tmp_path / "store-timed", old, new_file, old_ids, kill_after=None)
    seen = set()
    for moment in [took * f for f in (0.0, 0.25, 0.5, 0.75)] + ["done"]:
        folder = tmp_path / f"store-{moment}"
        _apply_in_subprocess(folder, old, new_file, old_ids, kill_after=moment)
        with EmbeddedStore(folder) as store:
            stamp, got = store.stamp(), store.read().to_dict()
        assert stamp in wanted and got == wanted[stamp], f"a torn graph after SIGKILL at {moment}"
        seen.add(stamp)
    print("after SIGKILL:", sorted(seen))
    assert "new" in seen  # killed after it said "done": the change had been committed


def _apply_in_subprocess(folder: Path, old: GraphDocument, new_file: Path, old_ids: Path, kill_after) -> float:
    """Apply the change in a subprocess; SIGKILL it `kill_after` seconds in (or after it said "done");
    return how long it ran."""
    EmbeddedStore(folder).replace(old, stamp="old")
    proc = subprocess.Popen([sys.executable, "-c", _APPLIER, str(folder), str(new_file), str(old_ids)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    started = time.monotonic()
    if kill_after == "done":
        assert proc.stdout.readline().strip() == "done"
    elif kill_after is not None:
        time.sleep(kill_after)
    if kill_after is not None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    return time.monotonic() - started


def test_a_long_log_of_changes_asks_for_a_rebuild(tmp_path, monkeypatch):
    """Readers replay the log of in-place changes, so past WAL_LIMIT the store asks for a rebuild,
    and a rebuild starts a database without a log."""
    from ufgraph.errors import StoreBusyError
    from ufgraph.graph import embedded

    store = EmbeddedStore(tmp_path / "store")
    ev = [Evidence("r-1", "甲商会成立。", 0, 3, "t")]
    doc = GraphDocument([Report("r-1")], [Node("chamber-1", "Chamber", "甲商会", evidence=ev)])
    store.replace(doc, stamp="one")
    store.apply(GraphDelta(nodes=[Node("chamber-2", "Chamber", "乙商会", evidence=ev)]), before="one", after="two")
    wal = store.current_dir() / f"{embedded.DB_FILE}.wal"
    assert wal.stat().st_size > 0
    monkeypatch.setattr(embedded, "WAL_LIMIT", wal.stat().st_size - 1)
    with pytest.raises(StoreBusyError):
        store.apply(GraphDelta(removed_nodes=["chamber-2"]), before="two", after="three")
    assert store.stamp() == "two" and len(store.read().nodes) == 2
    # a fold runs: it will shorten the log soon
    journal_dir = journal.open_journal(store.folder, os.getpid(), store.current_dir())
    store.apply(GraphDelta(removed_nodes=["chamber-2"]), before="two", after="three")
    assert store.stamp() == "three" and len(store.read().nodes) == 1
    monkeypatch.setattr(embedded, "WAL_LIMIT_WHILE_FOLDING", wal.stat().st_size - 1)
    with pytest.raises(StoreBusyError):  # but not without end
        store.apply(GraphDelta(removed_nodes=["chamber-1"]), before="three", after="four")
    shutil.rmtree(journal_dir)
    store.replace(doc, stamp="five")
    assert not (store.current_dir() / f"{embedded.DB_FILE}.wal").exists()
