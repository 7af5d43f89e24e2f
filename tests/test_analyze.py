"""Network analysis (graph/analysis.py) and `ufgraph analyze`, on a small
invented network whose brokers, degrees and communities can be worked out
by hand: two cities' federations and chambers, joined by one person who
holds posts in both federations.
"""
from __future__ import annotations

import doctest
import json

import networkx as nx
import pytest
from click.testing import CliRunner

from ufgraph.cli import main
from ufgraph.graph import analysis
from ufgraph.graph.analysis import (analyze, analyze_store, betweenness, communities, degrees,
                                    format_analysis, interlocking_posts, tie_graph)
from ufgraph.graph.embedded import EmbeddedStore
from ufgraph.graph.model import Edge, Evidence, GraphDocument, Node, Report
from ufgraph.graph.network import to_networkx
from ufgraph.graph.view_synthetic import synthetic_document
from ufgraph.queries import run_cypher

R = "r-d000000000000004"
FA, A1, A2 = "岷江市工商联", "岷江市茶业商会", "岷江市电子商会"
FB, B1, B2 = "沱河市工商联", "沱河市陶瓷商会", "沱河市物流商会"
BRIDGE, LOCAL, CITY = "柯远舟", "蓝若溪", "岷江市"
TYPES = {FA: "Federation", A1: "Chamber", A2: "Chamber", FB: "Federation", B1: "Chamber", B2: "Chamber",
         BRIDGE: "Person", LOCAL: "Person", CITY: "Place"}
LINKS = [(A1, "AFFILIATED_WITH", FA, {}), (A2, "AFFILIATED_WITH", FA, {}),
         (B1, "AFFILIATED_WITH", FB, {}), (B2, "AFFILIATED_WITH", FB, {}),
         (BRIDGE, "HOLDS_POST", FA, {"title": "副主席"}), (BRIDGE, "HOLDS_POST", FB, {"title": "常委"}),
         (LOCAL, "HOLDS_POST", A1, {"title": "会长"}), (LOCAL, "HOLDS_POST", FA, {"title": "执委"}),
         (LOCAL, "LIAISES_WITH", A1, {"role": "联络员"}),  # a second link to A1: one tie all the same
         (FA, "LOCATED_IN", CITY, {}), (FB, "LOCATED_IN", CITY, {})]  # places are no ties


def network() -> GraphDocument:
    sentence = "两市工商联联合召开座谈会。"
    ev = [Evidence(R, sentence, 0, len(sentence), "hand", "2024-01-09")]
    nodes = [Node(name, kind, name, [], ev) for name, kind in TYPES.items()]
    edges = [Edge(s, t, rel, props, ev) for s, rel, t, props in LINKS]
    return GraphDocument([Report(R, "两市工商联座谈", "2024-01-09")], nodes, edges)


@pytest.fixture
def ties():
    return tie_graph(to_networkx(network()))


def test_the_tie_network_leaves_out_places_and_counts_each_pair_once(ties):
    assert CITY not in ties
    assert ties.number_of_nodes() == 8 and ties.number_of_edges() == 8
    assert degrees(ties) == {FA: 4, A1: 2, A2: 1, FB: 3, B1: 1, B2: 1, BRIDGE: 2, LOCAL: 2}


def test_betweenness_by_hand(ties):
    # Shortest paths between other pairs through each node, over the (8-1)(8-2)/2 = 21 pairs:
    # the city federation is on 14, the bridging person on 12 (4 × 3 across), the other federation on 11.
    scores = betweenness(ties)
    assert scores == pytest.approx({FA: 14 / 21, BRIDGE: 12 / 21, FB: 11 / 21, A1: 0.0, A2: 0.0, B1: 0.0,
                                    B2: 0.0, LOCAL: 0.0})


def test_betweenness_is_networkx_s_definition():
    graph = tie_graph(to_networkx(synthetic_document(300, seed=3)))
    ours, theirs = betweenness(graph), nx.betweenness_centrality(graph)
    assert ours.keys() == theirs.keys()
    assert max(abs(ours[n] - theirs[n]) for n in ours) < 1e-12
    assert betweenness(nx.Graph([("a", "b")])) == {"a": 0.0, "b": 0.0}


def test_communities_split_the_two_cities_and_repeat(ties):
    found = communities(ties)
    assert found[A1] == found[A2] == found[LOCAL] == found[FA]
    assert found[B1] == found[B2] == found[FB] != found[FA]
    assert sorted(set(found.values())) == [0, 1]
    assert communities(ties) == found
    assert communities(nx.Graph(list(ties.edges())[::-1])) == found  # the order of the links does not matter


def test_interlocking_posts_by_hand():
    assert interlocking_posts(to_networkx(network())) == [
        {"id": BRIDGE, "name": BRIDGE, "organisations": 2, "posts": [f"{FA}（副主席）", f"{FB}（常委）"]},
        {"id": LOCAL, "name": LOCAL, "organisations": 2, "posts": [f"{FA}（执委）", f"{A1}（会长）"]},
    ]
    assert interlocking_posts(to_networkx(network()), min_orgs=3) == []


def test_analyze_ranks_and_prints():
    result = analyze(network(), top=3)
    assert [(r["name"], round(r["betweenness"], 4)) for r in result.tables["brokers"]] == [
        (FA, 0.6667), (BRIDGE, 0.5714), (FB, 0.5238)]
    assert [(r["name"], r["degree"]) for r in result.tables["connected_bodies"]] == [(FA, 4), (FB, 3), (A1, 2)]
    assert [(r["name"], r["degree"]) for r in result.tables["connected_people"]] == [(BRIDGE, 2), (LOCAL, 2)]
    assert [r["size"] for r in result.tables["communities"]] == sorted(
        (r["size"] for r in result.tables["communities"]), reverse=True)
    assert result.tables["communities"][0]["central"][0] == FA
    text = format_analysis(result)
    assert f"1.   0.6667  {FA}  [Federation]" in text and f"2 posts  {BRIDGE}: {FA}（副主席）；{FB}（常委）" in text


def test_the_functions_examples_hold():
    assert doctest.testmod(analysis).failed == 0


def test_write_stores_the_scores_for_queries(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        store.replace(network())
        result = analyze_store(store, write=True)
        assert result.written == ["degree", "betweenness", "community"]
        top = run_cypher(store, "MATCH (n:Entity) WHERE n.betweenness > 0 "
                                "RETURN n.name AS name, n.degree AS degree ORDER BY n.betweenness DESC")
        assert top.to_dict("records") == [{"name": FA, "degree": 4.0}, {"name": BRIDGE, "degree": 2.0},
                                          {"name": FB, "degree": 3.0}]
        assert {n.name: n.props.get("community") for n in store.read().nodes}[CITY] is None  # places: no scores


def test_cli_analyze_json_and_write(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        store.replace(network())
    args = ["analyze", "--top", "2", "--data-dir", str(tmp_path), "--store", "embedded"]
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [r["name"] for r in out["brokers"]] == [FA, BRIDGE] and out["written"] == []
    result = CliRunner().invoke(main, [*args, "--write"])
    assert result.exit_code == 0 and "Stored on the nodes: degree, betweenness, community" in result.output
    with EmbeddedStore(tmp_path / "store") as store:
        assert {n.name: n.props.get("degree") for n in store.read().nodes}[FA] == 4.0


def test_cli_analyze_on_an_empty_store_prints_empty_rankings(tmp_path):
    result = CliRunner().invoke(main, ["analyze", "--data-dir", str(tmp_path), "--store", "embedded"])
    assert result.exit_code == 0 and result.output.count("(none)") == 5


@pytest.mark.neo4j
def test_write_to_neo4j(neo4j_driver, neo4j_server):
    from ufgraph.graph.neo4j_store import Neo4jStore

    store = Neo4jStore(neo4j_driver, neo4j_server.database)
    store.replace(network())
    analyze_store(store, write=True)
    rows = run_cypher(store, "MATCH (n:Entity) WHERE n.community IS NOT NULL "
                             "RETURN n.name AS name, n.degree AS degree, n.community AS community")
    got = {r["name"]: (r["degree"], r["community"]) for r in rows.to_dict("records")}
    assert len(got) == 8 and CITY not in got and got[FA][0] == 4
    assert got[A1][1] == got[FA][1] != got[B1][1]
