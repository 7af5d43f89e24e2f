"""`paths` and `place` on the embedded store, answered in steps
(queries/steps.py): the ids of the entities a name names, the module's
variant once for each (for `paths`, for the end naming fewer), then, for
`paths`, each kept link's details and evidence. Checked against answers
worked out here with networkx, on graphs where several entities share a
name, two links of different types (or of one type, both ways) join the same
pair, and `limit` cuts the merged runs. Every name is invented.
"""
from __future__ import annotations

import itertools
import random
from contextlib import contextmanager

import networkx as nx
import pytest

from ufgraph.graph.embedded import EmbeddedStore
from ufgraph.graph.model import Edge, Evidence, GraphDocument, Node, Report
from ufgraph.queries import run_query

PEOPLE = ["石青禾", "季云舟", "方若谷", "石青禾", "季云舟", "陆明溪", "石青禾", "柯南星"]  # three 石青禾, two 季云舟
ORGS = [("Chamber", "甲县茶业商会"), ("Chamber", "乙县鞋业商会"), ("Chamber", "甲县茶业商会"),
        ("Federation", "丙市工商联"), ("Federation", "丁县工商联"), ("Enterprise", "戊禾茶叶有限公司"),
        ("Agency", "丙市统战部"), ("Program", "青苗计划")]
ORG_LINKS = ["AFFILIATED_WITH", "COOPERATES_WITH", "LIAISES_WITH"]


def random_graph(seed: int) -> GraphDocument:
    rng = random.Random(seed)
    nodes = [Node(f"person-{i}", "Person", name, [], []) for i, name in enumerate(PEOPLE)]
    nodes += [Node(f"org-{i}", kind, name, [], []) for i, (kind, name) in enumerate(ORGS)]
    people, orgs = nodes[:len(PEOPLE)], nodes[len(PEOPLE):]
    edges: dict[tuple, Edge] = {}

    def link(source: Node, rel: str, target: Node, **props) -> None:
        if source.id != target.id:
            text = f"{source.name}与{target.name}（{rel}，{seed}）。"
            edges[source.id, rel, target.id] = Edge(source.id, target.id, rel, props,
                                                    [Evidence("r-1", text, 0, 2, "t")])
    for person in people:
        for org in rng.sample([o for o in orgs if o.type != "Program"], 2):
            link(person, "HOLDS_POST", org, title=rng.choice(["会长", "秘书长", "副主席"]))
        if rng.random() < 0.4:  # a second link to the same body, of another type
            link(person, "LIAISES_WITH", rng.choice([o for o in orgs if o.type not in ("Program", "Chamber")]))
    bodies = [o for o in orgs if o.type in ("Chamber", "Federation")]
    for _ in range(5):
        source, target = rng.sample(bodies, 2)
        rel = rng.choice(ORG_LINKS)
        link(source, rel, target, **{"LIAISES_WITH": {"role": "挂钩联系"}, "COOPERATES_WITH": {"what": "共建"}}.get(rel, {}))
        if rel == "COOPERATES_WITH" and rng.random() < 0.5:
            link(target, rel, source)  # the same type both ways
    programme = next(o for o in orgs if o.type == "Program")
    link(rng.choice(bodies), "RUNS", programme, role="主办")
    link(rng.choice(people), "PARTICIPATES_IN", programme)
    return GraphDocument([Report("r-1", "通讯")], nodes, list(edges.values()))


def expected_paths(doc: GraphDocument, a: str, b: str, hops: int) -> list[dict]:
    """Every shortest path of at most `hops` links between an entity named `a` and one named `b`,
    hop by hop as the module gives it, in its order (length, then names and types along it)."""
    graph = nx.Graph((e.source, e.target) for e in doc.edges)
    names = {n.id: n.name for n in doc.nodes}
    types = {n.id: n.type for n in doc.nodes}
    links: dict[frozenset, list[Edge]] = {}
    for e in doc.edges:
        links.setdefault(frozenset((e.source, e.target)), []).append(e)
    rows = []
    for x, y in itertools.product([i for i in names if names[i] == a], [i for i in names if names[i] == b]):
        if x == y or x not in graph or y not in graph or not nx.has_path(graph, x, y):
            continue
        for walk in nx.all_shortest_paths(graph, x, y):
            if len(walk) - 1 > hops:
                break
            steps = [links[frozenset(pair)] for pair in zip(walk, walk[1:])]
            for chosen in itertools.product(*steps):
                rows.append({"length": len(chosen), "names": [names[n] for n in walk],
                             "types": [types[n] for n in walk], "rels": [e.type for e in chosen],
                             "forward": [e.source == n for e, n in zip(chosen, walk)],
                             "details": [next(iter(e.props.values()), None) for e in chosen],
                             "sentences": [[ev.sentence for ev in e.evidence] for e in chosen]})
    return sorted(rows, key=_order)


def _order(row: dict) -> tuple:
    return row["length"], "/".join(row["names"] + row["rels"]) + "/"


def as_rows(df) -> list[dict]:
    return df.astype(object).where(df.notna(), None).to_dict("records")


def assert_cut_of(got: list[dict], every: list[dict], limit: int) -> None:
    """`got` is `every` cut to `limit` rows: the same order, and rows that tie on it (paths
    through namesakes) taken from their tied group, in any order."""
    assert [_order(r) for r in got] == [_order(r) for r in every[:limit]]
    for key, group in itertools.groupby(got, key=_order):
        pool = [r for r in every if _order(r) == key]
        rows = list(group)
        assert all(rows.count(r) <= pool.count(r) for r in rows), key


@pytest.fixture(scope="module")
def graphs(tmp_path_factory):
    out = []
    for seed in range(3):
        doc = random_graph(seed)
        store = EmbeddedStore(tmp_path_factory.mktemp(f"paths-{seed}") / "store")
        store.replace(doc)
        out.append((doc, store))
    yield out
    for _, store in out:
        store.close()


def test_every_shortest_path_between_every_pair_of_names(graphs):
    names = sorted({*PEOPLE, *(name for _, name in ORGS)})
    checked = 0
    for doc, store in graphs:
        for a, b in itertools.product(names, repeat=2):  # 石青禾 to 石青禾: between namesakes
            for hops in (2, 4):
                every = expected_paths(doc, a, b, hops)
                got = as_rows(run_query(store, "paths", a=a, b=b, hops=hops, limit=1000))
                assert_cut_of(got, every, 1000)
                assert len(got) == len(every), (a, b, hops)
                checked += bool(every)
    assert checked > 200


def test_the_end_naming_fewer_entities_is_searched_for_and_paths_still_start_at_a(graphs):
    doc, store = graphs[0]
    for a, b in (("石青禾", "丙市工商联"), ("丙市工商联", "石青禾"), ("石青禾", "季云舟"), ("季云舟", "石青禾")):
        got = as_rows(run_query(store, "paths", a=a, b=b, hops=4, limit=1000))
        every = expected_paths(doc, a, b, 4)
        assert got and len(got) == len(every)
        assert_cut_of(got, every, 1000)
        assert {r["names"][0] for r in got} == {a} and {r["names"][-1] for r in got} == {b}


class CountingSearches:
    """A store that counts the path searches run through it (queries/kuzu/paths.cypher)."""
    name = "embedded"

    def __init__(self, store: EmbeddedStore):
        self.store, self.searches = store, 0

    @contextmanager
    def reading(self):
        with self.store.reading() as run:
            def counted(text: str, params: dict) -> list[dict]:
                self.searches += "ALL SHORTEST" in text
                return run(text, params)
            yield counted


def test_one_search_per_entity_of_the_end_naming_fewer(graphs):
    _, store = graphs[0]
    for a, b, searches in (("石青禾", "季云舟", 2), ("季云舟", "石青禾", 2), ("石青禾", "丙市工商联", 1),
                           ("丙市工商联", "石青禾", 1), ("石青禾", "无此人", 0)):
        counting = CountingSearches(store)
        run_query(counting, "paths", a=a, b=b)
        assert counting.searches == searches, (a, b)


def test_limit_cuts_the_merged_searches_in_the_module_s_order(graphs):
    cut = 0
    for doc, store in graphs:
        for a, b in (("石青禾", "季云舟"), ("季云舟", "石青禾"), ("石青禾", "甲县茶业商会")):
            every = expected_paths(doc, a, b, 4)
            for limit in (1, 3, 7):
                assert_cut_of(as_rows(run_query(store, "paths", a=a, b=b, hops=4, limit=limit)), every, limit)
                cut += len(every) > limit
    assert cut >= 6


def test_a_name_of_nothing_or_the_same_entity_at_both_ends_gives_no_path(graphs):
    _, store = graphs[0]
    assert run_query(store, "paths", a="无此人", b="丙市工商联").empty
    assert run_query(store, "paths", a="丙市工商联", b="org-3").empty  # a name and an id of one entity


def test_the_steps_read_one_graph_even_when_a_refresh_lands_between_them(tmp_path):
    first, second = random_graph(0), random_graph(1)
    query = "MATCH (e:Entity)-[r]->() RETURN e.id AS id, label(r) AS rel ORDER BY id, rel"
    with EmbeddedStore(tmp_path / "store") as writer, EmbeddedStore(tmp_path / "store") as reader:
        writer.replace(first)
        with reader.reading() as run:
            before = run(query, {})
            writer.replace(second)  # as another process's refresh would
            assert run(query, {}) == before
        assert reader.run(query) != before


# ---------------------------------------------------------------- place

def places_graph() -> GraphDocument:
    """Two towns named 城关镇 (in two counties), a county also called by an alias, and
    organisations placed in them, one of them in both towns."""
    def place(key: str, name: str, aliases=()) -> Node:
        return Node(f"place-{key}", "Place", name, list(aliases), [])
    places = [place("p", "甲省", ["甲"]), place("c1", "乙县", ["乙"]), place("c2", "丙县"),
              place("t1", "城关镇"), place("t2", "城关镇"), place("x", "丁县", ["乙"])]
    orgs = [Node(f"org-{i}", kind, name, [], []) for i, (kind, name) in enumerate([
        ("Chamber", "城关镇商会"), ("Enterprise", "禾川茶叶有限公司"), ("Federation", "乙县工商联"),
        ("Chamber", "丙县鞋业商会"), ("Enterprise", "丁县五金有限公司"), ("Agency", "乙县统战部")])]
    located = [("c1", "p"), ("c2", "p"), ("t1", "c1"), ("t2", "c2"), ("org-0", "t1"), ("org-0", "t2"),
               ("org-1", "t1"), ("org-2", "c1"), ("org-3", "t2"), ("org-4", "x"), ("org-5", "c1"), ("org-5", "t1")]
    edges = [Edge(s if s.startswith("org") else f"place-{s}", f"place-{t}", "LOCATED_IN", {},
                  [Evidence("r-1", f"{s}在{t}。", 0, 2, "t")]) for s, t in located]
    return GraphDocument([Report("r-1", "通讯")], places + orgs, edges)


def expected_place(doc: GraphDocument, name: str, types: set[str], limit: int) -> list[dict]:
    nodes = {n.id: n for n in doc.nodes}
    within = nx.DiGraph((e.target, e.source) for e in doc.edges if e.type == "LOCATED_IN")
    own: dict[str, set[str]] = {}
    for e in doc.edges:
        own.setdefault(e.source, set()).add(nodes[e.target].name)
    rows = {}
    for pl in (n for n in doc.nodes if n.type == "Place" and name in (n.id, n.name, *n.aliases)):
        for o in nx.descendants(within, pl.id) if pl.id in within else ():
            if nodes[o].type in types:
                rows[pl.name, o] = {"organisation": nodes[o].name, "type": nodes[o].type,
                                    "located_in": sorted(own[o]), "place": pl.name, "organisation_id": o}
    return sorted(rows.values(), key=lambda r: (r["organisation"], r["organisation_id"]))[:limit]


@pytest.mark.parametrize("name", ["甲省", "甲", "乙", "城关镇", "place-t2", "丙县", "戊县"])
def test_place_lists_what_lies_within_every_place_the_name_names(tmp_path, name):
    doc = places_graph()
    organisations = {"Agency", "Chamber", "Enterprise", "Federation", "Institution", "PartyOrg"}
    with EmbeddedStore(tmp_path / "store") as store:
        store.replace(doc)
        for types, limit in ((organisations, 1000), ({"Chamber", "Place"}, 1000), (organisations, 2)):
            got = as_rows(run_query(store, "place", name=name, types=sorted(types), limit=limit))
            assert got == expected_place(doc, name, types, limit), (name, types, limit)
