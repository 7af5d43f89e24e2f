"""Every query module gives the same rows from both stores, on the graph of the
seed reports (extracted and resolved here, written to a fresh embedded store
and to the real Neo4j test server). Parameters are picked from the graph
(queries/examples.py), so each module has real data to answer with; rows
are compared in order where the module defines one.
"""
from __future__ import annotations

import neo4j
import pytest
from click.testing import CliRunner

from ufgraph.cli import main
from ufgraph.graph.embedded import EmbeddedStore
from ufgraph.graph.neo4j_store import Neo4jStore
from ufgraph.graph.resolve import resolve
from ufgraph.loaders.pipeline import extract_path
from ufgraph.loaders.read import iter_report_paths
from ufgraph.errors import QueryError
from ufgraph.queries import get_query, list_queries, prepare, run_cypher, run_query
from ufgraph.queries.examples import example_params
from ufgraph.queries.results import module_frame

pytestmark = [pytest.mark.neo4j, pytest.mark.seeds]

# More parameter sets than example_params gives, for the parameters it leaves at their defaults.
EXTRA = {
    "search": lambda p: {**p["search"], "types": "Person,Federation,Chamber", "limit": 5},
    "interlocks": lambda p: {"min": 1, "types": "all"},
    "ego": lambda p: {**p["ego"], "depth": 3, "types": "Place,Federation"},
    "paths": lambda p: {**p["paths"], "hops": 6},
    "place": lambda p: {**p["place"], "types": "all"},
    "profile": lambda p: {"name": p["people-of"]["org"]},
    "timeline": lambda p: {"name": p["people-of"]["org"]},
    "evidence": lambda p: {"a": p["evidence"]["b"], "b": p["evidence"]["a"]},
}


@pytest.fixture(scope="module")
def seed_graph(seeds_dir):
    return resolve([extract_path(p) for p in iter_report_paths([seeds_dir])])


@pytest.fixture(scope="module")
def embedded(seed_graph, tmp_path_factory):
    with EmbeddedStore(tmp_path_factory.mktemp("parity") / "store") as store:
        store.replace(seed_graph)
        yield store


@pytest.fixture(scope="module")
def neo4j_store(seed_graph, neo4j_server):
    # The session's server, with a driver of this module's own: the seed graph is written once
    # for every test here (the neo4j_driver fixture would empty the database for each test).
    driver = neo4j.GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password))
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=neo4j_server.database)
    store = Neo4jStore(driver, neo4j_server.database)
    store.replace(seed_graph)
    yield store
    driver.close()


@pytest.fixture(scope="module")
def params(seed_graph):
    return example_params(seed_graph)


def plain(df) -> list[dict]:
    return df.astype(object).where(df.notna(), None).to_dict("records")


def assert_same(name: str, values: dict, embedded, neo4j_store) -> None:
    left, right = run_query(embedded, name, **values), run_query(neo4j_store, name, **values)
    assert not left.empty, f"{name} {values} found nothing in the seed graph; pick other parameters"
    assert list(left.columns) == list(right.columns) == list(get_query(name).columns)
    a, b = plain(left), plain(right)
    if not get_query(name).ordered:
        a, b = sorted(a, key=repr), sorted(b, key=repr)
    assert a == b


def test_every_module_has_seed_parameters(params):
    assert {m.name for m in list_queries()} <= set(params)


@pytest.mark.parametrize("name", [m.name for m in list_queries()])
def test_both_stores_give_the_same_rows(name, params, embedded, neo4j_store):
    assert_same(name, params[name], embedded, neo4j_store)


@pytest.mark.parametrize("name", sorted(EXTRA))
def test_both_stores_agree_with_other_parameters_too(name, params, embedded, neo4j_store):
    assert_same(name, EXTRA[name](params), embedded, neo4j_store)


@pytest.mark.parametrize("name", [m.name for m in list_queries()])
def test_neo4j_sends_a_module_s_rows_as_one_list_in_the_query_s_order(name, params, neo4j_store):
    """run_columns (one record holding every row) gives the rows run gives, in the module's order
    where it has one (lists it collects may come in another order: `sets` sorts them)."""
    module = get_query(name)
    assert neo4j_store._takes_scoped_call()  # the test server is 5.26: the one-list form runs
    for values in [params[name]] + ([EXTRA[name](params)] if name in EXTRA else []):
        cypher, checked = prepare(name, "neo4j", values)
        used = {k: v for k, v in checked.items() if f"${k}" in cypher}
        rows = neo4j_store.run(cypher, used)
        assert rows, f"{name} {values}: nothing to compare"
        got = neo4j_store.run_columns(cypher, used, module.returned_columns)
        a, b = plain(module_frame(module, got)), plain(module_frame(module, rows))
        if not module.ordered:  # a UNION: no order in either form (run_query sorts the rows)
            a, b = sorted(a, key=repr), sorted(b, key=repr)
        assert a == b


def test_neo4j_refuses_a_column_name_it_would_write_into_the_query(neo4j_store):
    with pytest.raises(QueryError, match=r"column name 'a\]\) AS x //': not a plain Cypher name"):
        neo4j_store.run_columns("RETURN 1 AS a", {}, ("a]) AS x //",))


def test_both_stores_find_nothing_alike(embedded, neo4j_store):
    for store in (embedded, neo4j_store):
        df = run_query(store, "people-of", org="无此机构")
        assert df.empty and list(df.columns) == list(get_query("people-of").columns)


def _neo4j_env(server) -> dict:
    return {"NEO4J_URI": server.uri, "NEO4J_USERNAME": server.user, "NEO4J_PASSWORD": server.password,
            "NEO4J_DATABASE": server.database}


def test_cli_query_and_cypher_read_neo4j(neo4j_store, neo4j_server, params):
    org = params["people-of"]["org"]
    result = CliRunner().invoke(main, ["query", "people-of", "-p", f"org={org}", "--format", "csv",
                                       "--store", "neo4j"], env=_neo4j_env(neo4j_server))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "person,title,org,reports,dates,person_id"
    assert len(result.output.splitlines()) == 1 + len(run_query(neo4j_store, "people-of", org=org))
    assert neo4j_server.password not in result.output


@pytest.mark.parametrize("text", [
    "CREATE (n:Entity {id: 'x', name: '新'})",
    "MATCH (n:Entity) SET n.name = '改' RETURN n.name",
    "MATCH (n:Entity) DETACH DELETE n",
])
def test_cli_cypher_refuses_writes_on_neo4j(neo4j_store, neo4j_server, text):
    before = run_cypher(neo4j_store, "MATCH (n:Entity) RETURN count(*) AS n")["n"].tolist()
    result = CliRunner().invoke(main, ["cypher", text, "--store", "neo4j"], env=_neo4j_env(neo4j_server))
    assert result.exit_code == 1 and "read-only" in result.output and "Traceback" not in result.output
    assert neo4j_server.password not in result.output
    assert run_cypher(neo4j_store, "MATCH (n:Entity) RETURN count(*) AS n")["n"].tolist() == before
    assert run_cypher(neo4j_store, "MATCH (n:Entity) WHERE n.name = '改' OR n.id = 'x' RETURN n.id AS id").empty


@pytest.mark.parametrize("limit", [1, 2, 4, 5])
def test_interlocks_cut_inside_or_at_the_end_of_a_group_of_equal_counts_agrees(limit, embedded, neo4j_store):
    # Neo4j sorts by name only the groups of equal counts that hold the first $limit people
    # (queries/interlocks.cypher); the seed graph's people hold 3, 2 and 1 posts (1, 3 and 6 people),
    # so these limits end inside the first, inside the second, at the end of the second, and
    # inside the third group. The embedded variant sorts every person.
    assert_same("interlocks", {"min": 1, "types": "all", "limit": limit}, embedded, neo4j_store)
