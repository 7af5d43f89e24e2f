"""The embedded store's table of liaison links (graph/kuzu_liaisons.py) that
`liaisons` reads: a change must leave it as a whole write of the changed graph
would, for each kind of change that alters a row's ends, posts or link.
Every name is invented.
"""
from __future__ import annotations

import pytest

from ufgraph.graph.delta import GraphDelta, applied
from ufgraph.graph.embedded import EmbeddedStore
from ufgraph.graph.model import Edge, Evidence, GraphDocument, Node, Report
from ufgraph.queries import run_query

AGENCY, CHAMBER, WORKER, CLERK = "agency-a", "chamber-b", "person-w", "person-c"


def ev(sentence: str) -> list[Evidence]:
    return [Evidence("r-1", sentence, 0, 2, "t")]


def liaison_graph() -> GraphDocument:
    nodes = [Node(AGENCY, "Agency", "甲市工商联", [], ev("甲市工商联")),
             Node(CHAMBER, "Chamber", "乙商会", ["乙会"], ev("乙商会")),
             Node(WORKER, "Person", "石青禾", [], ev("石青禾")),
             Node(CLERK, "Person", "季云舟", [], ev("季云舟"))]
    edges = [Edge(AGENCY, CHAMBER, "LIAISES_WITH", {"role": "挂钩联系"},
                  ev("甲市工商联挂钩联系乙商会。")),
             Edge(WORKER, CHAMBER, "HOLDS_POST", {"title": "秘书长"}, ev("石青禾任秘书长。")),
             Edge(CLERK, AGENCY, "HOLDS_POST", {"title": "副主席"}, ev("季云舟任副主席。"))]
    return GraphDocument([Report("r-1", "通讯")], nodes, edges)


def node(doc: GraphDocument, node_id: str, **changes) -> Node:
    old = next(n for n in doc.nodes if n.id == node_id)
    return Node(old.id, changes.get("type", old.type), changes.get("name", old.name),
                changes.get("aliases", old.aliases), old.evidence)


def edge(doc: GraphDocument, source: str, rel: str, target: str) -> Edge:
    return next(e for e in doc.edges if e.key == (source, rel, target))


def deltas(doc: GraphDocument) -> dict[str, GraphDelta]:
    link = edge(doc, AGENCY, "LIAISES_WITH", CHAMBER)
    post = edge(doc, WORKER, "HOLDS_POST", CHAMBER)
    newcomer = Node("person-n", "Person", "方若谷", [], ev("方若谷"))
    return {
        "a post holder renamed": GraphDelta(nodes=[node(doc, WORKER, name="石清禾")]),
        "a post's title changed": GraphDelta(edges=[Edge(WORKER, CHAMBER, "HOLDS_POST", {"title": "会长"},
                                                         post.evidence)]),
        "a post removed": GraphDelta(removed_edges=[post.key]),
        "a post holder removed": GraphDelta(removed_nodes=[WORKER]),
        "a new post at an end": GraphDelta(nodes=[newcomer], edges=[
            Edge(newcomer.id, AGENCY, "HOLDS_POST", {"title": "秘书长"}, ev("方若谷任秘书长。"))]),
        "an end renamed, retyped and given an alias": GraphDelta(
            nodes=[node(doc, AGENCY, name="甲市总商会", type="Federation", aliases=["甲市商会"])]),
        "the link's role changed": GraphDelta(edges=[Edge(AGENCY, CHAMBER, "LIAISES_WITH", {"role": "联络员"},
                                                          link.evidence)]),
        "the link removed": GraphDelta(removed_edges=[link.key]),
        "an end removed": GraphDelta(removed_nodes=[CHAMBER]),
        "an end removed and written again with its link": GraphDelta(
            nodes=[node(doc, CHAMBER)], edges=[link], removed_nodes=[CHAMBER], held_mentions={CHAMBER: {}}),
        "a new link from a post holder": GraphDelta(edges=[Edge(CLERK, CHAMBER, "LIAISES_WITH", {"role": "对接"},
                                                                ev("季云舟对接乙商会。"))]),
    }


def liaison_rows(store: EmbeddedStore) -> list[dict]:
    rows = store.run("MATCH (r:UfgraphLiaison) RETURN r ORDER BY r.key")
    return [{k: v for k, v in row["r"].items() if not k.startswith("_")} for row in rows]


@pytest.mark.parametrize("change", list(deltas(liaison_graph())))
def test_a_change_leaves_the_liaison_table_as_a_whole_write_of_the_changed_graph(tmp_path, change):
    doc = liaison_graph()
    delta = deltas(doc)[change]
    store, reference = EmbeddedStore(tmp_path / "store"), EmbeddedStore(tmp_path / "reference")
    store.replace(doc, stamp="one")
    before = liaison_rows(store)
    store.apply(delta, before="one", after="two")
    reference.replace(applied(doc, delta))
    assert liaison_rows(store) == liaison_rows(reference)
    assert liaison_rows(store) != before or change == "an end removed and written again with its link"
    assert run_query(store, "liaisons").equals(run_query(reference, "liaisons"))


def test_a_whole_write_holds_each_link_with_the_posts_around_both_ends(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.replace(liaison_graph())
    (row,) = liaison_rows(store)
    assert row["liaison"] == "甲市工商联" and row["liaison_posts"] == ["季云舟（副主席）"]
    assert row["counterpart"] == "乙商会" and row["counterpart_posts"] == ["石青禾（秘书长）"]
    assert row["counterpart_keys"] == sorted([CHAMBER, "乙商会", "乙会"]) and row["role"] == "挂钩联系"
    by_alias = run_query(store, "liaisons", name="乙会")
    assert by_alias["counterpart"].tolist() == ["乙商会"] and run_query(store, "liaisons", name="石青禾").empty
