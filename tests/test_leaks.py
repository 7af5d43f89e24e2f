"""Nothing injected, nothing leaked.

- Cypher: report text full of quotes, braces, comments and `DETACH DELETE` goes through the whole
  pipeline into Neo4j and comes out as plain strings; nothing else in the database changes, and
  Neo4j holds what the embedded store holds. Hostile values passed to `ufgraph cypher` and
  `ufgraph query` are parameters, and write attempts in disguise are refused on both stores
  (plain writes: test_queries.py, test_query_parity.py).
- Credentials: a distinctive NEO4J_PASSWORD never shows in any command's output, exception or
  log record, against a closed port, a refusing server and the real one.
- Offline: extract, refresh, query and viz run with every internet socket refused.
- HTML: report text from the real extractor in a `ufgraph viz` page runs nothing in Chromium;
  edge hover boxes and the summary show markup as text (nodes, titles, search and details:
  test_view_browser.py).
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner

from hostile_corpus import HOSTILE_NAMES, hostile_report
from test_view_browser import Opened, assert_clean, browser  # noqa: F401 (browser is a fixture)
from document_sets import as_sets
from test_hostile_pipeline import empty_neo4j, open_store, read_store, run_refresh_process, write_good_reports
from ufgraph.cli import main
from ufgraph.errors import StoreError
from ufgraph.graph.neo4j_store import REPORT_PROPERTIES, STATE, connect
from ufgraph.graph.ontology import load_ontology

CANARY = "Canary-Pw-5e1f0c7a"
ENTITY_KEYS = {"id", "type", "name", "aliases", "forms", "post_types", "reports", "degree", "betweenness", "community"}
EDGE_KEYS = {"title", "role", "what", "reports", "dates", "origin", "evidence"}
MENTION_KEYS = {"evidence", "count"}


def write_hostile_reports(folder: Path) -> Path:
    write_good_reports(folder, 3)
    for i, (key, name) in enumerate(HOSTILE_NAMES.items()):
        (folder / f"hostile_{key}.txt").write_text(hostile_report(i, name), "utf-8")
    return folder


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory) -> Path:
    return write_hostile_reports(tmp_path_factory.mktemp("leaks") / "reports")


@pytest.fixture(scope="module")
def embedded_data(hostile_folder, tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("embedded")
    process = run_refresh_process([hostile_folder], data, "embedded")
    assert process.returncode == 0, process.stdout + process.stderr
    return data


# ---------------------------------------------------------------- Cypher injection

def _database_state(driver, database) -> dict:
    """Everything outside the graph the store owns: other nodes, schema, users. The store's own
    bookkeeping (:UfgraphState, the stamp of the graph it holds) changes with every write."""
    def rows(query, db=database):
        return sorted(json.dumps(r.data(), sort_keys=True, default=str)
                      for r in driver.execute_query(query, database_=db).records)
    return {"others": rows(f"MATCH (n) WHERE NOT n:Entity AND NOT n:Report AND NOT n:{STATE} "
                           "RETURN labels(n) AS l, properties(n) AS p"),
            "schema": rows("SHOW INDEXES YIELD name, labelsOrTypes, properties RETURN *"),
            "constraints": rows("SHOW CONSTRAINTS YIELD name RETURN name"),
            "users": rows("SHOW USERS YIELD user, roles RETURN user, roles", "system")}


@pytest.mark.neo4j
def test_hostile_report_text_reaches_neo4j_as_plain_strings_and_changes_nothing_else(
        hostile_folder, embedded_data, neo4j_server, neo4j_driver, tmp_path):
    db = neo4j_server.database
    neo4j_driver.execute_query("CREATE (:Sentinel {keep: 'untouched'})", database_=db)
    data = tmp_path / "neo4j"
    assert run_refresh_process(write_good_reports(tmp_path / "first", 2), data, "neo4j", neo4j_server).returncode == 0
    before = _database_state(neo4j_driver, db)
    process = run_refresh_process([hostile_folder], data, "neo4j", neo4j_server)
    assert process.returncode == 0, process.stdout + process.stderr
    assert _database_state(neo4j_driver, db) == before
    # The same graph as the embedded store's, node for node and edge for edge.
    assert as_sets(read_store("neo4j", data, neo4j_server)) == as_sets(read_store("embedded", embedded_data))
    _assert_only_the_store_shape(neo4j_driver, db)
    with open_store("neo4j", data, neo4j_server) as store:
        titles = [r["title"] for r in store.run("MATCH (r:Report) RETURN r.title AS title")]
        for hostile in HOSTILE_NAMES.values():
            assert any(hostile in title for title in titles), hostile
            found = store.run("MATCH (n:Entity) WHERE n.name CONTAINS $text RETURN n.name AS name",
                              {"text": hostile.replace(" ", "")})
            assert found, hostile


def _assert_only_the_store_shape(driver, db) -> None:
    ontology = load_ontology()
    for record in driver.execute_query("MATCH (n:Entity) RETURN labels(n) AS labels, n.type AS type, "
                                       "keys(n) AS keys", database_=db).records:
        assert sorted(record["labels"]) == sorted(["Entity", record["type"]])
        assert record["type"] in ontology.node_types and set(record["keys"]) <= ENTITY_KEYS
    for record in driver.execute_query("MATCH (r:Report) RETURN labels(r) AS labels, keys(r) AS keys",
                                       database_=db).records:
        assert record["labels"] == ["Report"] and set(record["keys"]) <= set(REPORT_PROPERTIES)
    for record in driver.execute_query("MATCH ()-[r]->() RETURN DISTINCT type(r) AS type, keys(r) AS keys",
                                       database_=db).records:
        assert record["type"] in ontology.rel_types
        allowed = MENTION_KEYS if record["type"] == "MENTIONED_IN" else EDGE_KEYS
        assert set(record["keys"]) <= allowed, record


def _neo4j_env(server, password=None) -> dict:
    return {"NEO4J_URI": server.uri, "NEO4J_USERNAME": server.user,
            "NEO4J_PASSWORD": password or server.password, "NEO4J_DATABASE": server.database}


def _store_args(kind: str, data: Path) -> list[str]:
    return ["--store", kind, "--data-dir", str(data)]


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def filled_store(request, hostile_folder, embedded_data, tmp_path):
    """(store arguments, environment) of a store filled from the hostile reports."""
    if request.param == "embedded":
        return _store_args("embedded", embedded_data), {"NEO4J_URI": ""}
    server = request.getfixturevalue("neo4j_server")
    empty_neo4j(server)
    assert run_refresh_process([hostile_folder], tmp_path, "neo4j", server).returncode == 0
    return _store_args("neo4j", tmp_path), _neo4j_env(server)


def _entity_count(args, env) -> int:
    result = CliRunner().invoke(main, ["cypher", "MATCH (n:Entity) RETURN count(n) AS n", "--format", "json",
                                       *args], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)[0]["n"]


@pytest.mark.parametrize("key", sorted(HOSTILE_NAMES))
def test_hostile_values_are_parameters_of_cypher_and_query(filled_store, key):
    args, env = filled_store
    value = HOSTILE_NAMES[key].replace(" ", "")  # as names keep it
    before = _entity_count(args, env)
    result = CliRunner().invoke(main, ["cypher", "MATCH (n:Entity) WHERE n.name CONTAINS $text RETURN n.name AS "
                                       "name ORDER BY name", "-p", f"text={value}", "--format", "json", *args], env=env)
    assert result.exit_code == 0, result.output
    names = [row["name"] for row in json.loads(result.stdout)]
    assert names and all(value in name for name in names)
    result = CliRunner().invoke(main, ["query", "search", "-p", f"text={value}", "--format", "json", *args], env=env)
    assert result.exit_code == 0, result.output
    assert set(names) <= {row["name"] for row in json.loads(result.stdout)}  # search looks at aliases too
    assert _entity_count(args, env) == before


@pytest.mark.parametrize("text", [
    "MATCH (n:Entity) WITH n LIMIT 1 CREATE (:Entity {id: 'planted'}) RETURN 1",
    "MATCH (n:Entity) RETURN n.name; MATCH (m) DETACH DELETE m",
    "// a comment first\nMATCH (n:Entity) DETACH DELETE n",
    "CALL { MATCH (n:Entity) DETACH DELETE n } RETURN 1",
    "UNWIND [1] AS x MERGE (:Entity {id: 'planted'})",
    "MATCH (n:Entity) WHERE n.name = '' OR true SET n.name = 'x' RETURN n",
])
def test_writes_in_disguise_are_refused_on_both_stores(filled_store, text):
    args, env = filled_store
    before = _entity_count(args, env)
    result = CliRunner().invoke(main, ["cypher", text, *args], env=env)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: ") and len(result.output.strip().splitlines()) >= 1
    assert _entity_count(args, env) == before
    planted = CliRunner().invoke(main, ["cypher", "MATCH (n:Entity) WHERE n.id = 'planted' OR n.name = 'x' "
                                        "RETURN count(n) AS n", "--format", "json", *args], env=env)
    assert json.loads(planted.stdout) == [{"n": 0}]


@pytest.mark.parametrize("text", [
    "LOAD CSV FROM 'file:///etc/hostname' AS line RETURN line",
    "MATCH (n:Entity) WITH n LIMIT 1 LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS line RETURN line",
    "load  csv with headers from 'file:///etc/passwd' AS line RETURN line",
    "LOAD FROM '/etc/hostname' RETURN *",  # Kùzu's form
])
def test_cypher_reads_no_files_and_fetches_no_urls(filled_store, text):
    args, env = filled_store
    result = CliRunner().invoke(main, ["cypher", text, *args], env=env)
    assert result.exit_code == 1 and result.output.startswith("Error: "), result.output
    if "CSV" in text.upper():  # Neo4j's form: refused before the server sees it; Kùzu's: by the start word
        assert "only read the graph" in result.output, result.output


def test_load_csv_inside_a_string_or_comment_is_just_text(filled_store):
    args, env = filled_store
    text = "MATCH (n:Entity) WHERE n.name = 'LOAD CSV' // LOAD CSV FROM 'file:///etc/hostname'\nRETURN count(n) AS n"
    result = CliRunner().invoke(main, ["cypher", text, "--format", "json", *args], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"n": 0}]


# ---------------------------------------------------------------- credentials

COMMANDS = {
    "refresh": lambda folder, out: ["refresh", str(folder), "--jobs", "1"],
    "stats": lambda folder, out: ["stats"],
    "doctor": lambda folder, out: ["doctor", "--quick"],
    "query": lambda folder, out: ["query", "search", "-p", "text=商会"],
    "cypher": lambda folder, out: ["cypher", "MATCH (n:Entity) RETURN count(n) AS n"],
    "export": lambda folder, out: ["export", "--format", "jsonl", "-o", str(out)],
}
AS_JSON = {"refresh": ["--json"], "stats": ["--json"], "doctor": ["--json"], "query": ["--format", "json"],
           "cypher": ["--format", "json"], "export": ["--json"]}


def _exception_texts(exc: BaseException | None) -> str:
    """str, repr and the formatted traceback of an exception and everything chained to it."""
    texts, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        texts += [str(exc), repr(exc), repr(exc.args), "".join(traceback.format_exception(exc))]
        exc = exc.__cause__ or exc.__context__
    return "\n".join(texts)


def _assert_never_shown(secret: str, result, caplog) -> None:
    shown = {"stdout": result.stdout, "stderr": result.stderr, "exception": _exception_texts(result.exception),
             "logs": "\n".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records)}
    for where, text in shown.items():
        assert secret not in text, f"the password shows in {where}"


@pytest.mark.neo4j
@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("target", ["closed port", "wrong password", "right password", "password in the URI"])
def test_the_password_never_shows(command, target, neo4j_server, hostile_folder, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)  # the driver's own debug records too
    port = neo4j_server.uri.rsplit(":", 1)[1]
    env, secret = {**_neo4j_env(neo4j_server, CANARY), "UFGRAPH_DATA_DIR": str(tmp_path / "data")}, CANARY
    if target == "closed port":
        env["NEO4J_URI"] = "bolt://127.0.0.1:9"
    elif target == "right password":
        env["NEO4J_PASSWORD"] = secret = neo4j_server.password
    elif target == "password in the URI":
        env["NEO4J_URI"] = f"bolt://{neo4j_server.user}:{CANARY}@127.0.0.1:{port}"
    base = COMMANDS[command](hostile_folder, tmp_path / "export.jsonl")
    for extra in ([], AS_JSON[command]):
        result = CliRunner().invoke(main, [*base, *extra, "--store", "neo4j"], env=env)
        assert result.exit_code == (0 if target == "right password" else 1), result.output
        _assert_never_shown(secret, result, caplog)
    if target == "right password":
        assert any("neo4j" in r.name for r in caplog.records)  # the driver's records were looked at


@pytest.mark.neo4j
@pytest.mark.parametrize("target", ["closed port", "wrong password", "password in the URI"])
def test_connect_errors_never_carry_the_password(target, neo4j_server, caplog):
    caplog.set_level(logging.DEBUG)
    port = neo4j_server.uri.rsplit(":", 1)[1]
    uri = {"closed port": "bolt://127.0.0.1:9", "wrong password": neo4j_server.uri,
           "password in the URI": f"bolt://{neo4j_server.user}:{CANARY}@127.0.0.1:{port}"}[target]
    with pytest.raises(StoreError) as caught:
        connect(uri, neo4j_server.user, CANARY, neo4j_server.database)
    assert CANARY not in _exception_texts(caught.value)
    assert CANARY not in "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)


# ---------------------------------------------------------------- HTML from real reports

@pytest.fixture
def hostile_page(embedded_data, tmp_path) -> Path:
    out = tmp_path / "hostile.html"
    result = CliRunner().invoke(main, ["viz", "--types", "all", "--rels", "all", "-o", str(out),
                                       *_store_args("embedded", embedded_data)], env={"NEO4J_URI": ""})
    assert result.exit_code == 0, result.output
    return out


def test_the_page_holds_report_markup_only_inside_its_json(hostile_page):
    page = hostile_page.read_text("utf-8")
    for hostile in HOSTILE_NAMES.values():
        if "<" in hostile:
            assert hostile not in page and hostile.replace(" ", "") not in page


@pytest.mark.browser
def test_report_markup_runs_nothing_in_the_browser(hostile_page, browser):
    opened = Opened(browser, hostile_page)
    dialogs = []
    opened.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        assert opened.js("document.scripts.length") == 3  # vis-network, the data, the page script
        assert opened.js("document.querySelectorAll('img').length") == 0
        script, img = HOSTILE_NAMES["script"], HOSTILE_NAMES["img"].replace(" ", "")
        opened.page.fill("#search", script)
        button = opened.page.locator("#results button").first
        assert button.inner_text().startswith(script)
        button.click()
        assert script in opened.page.inner_text("#detail-body")
        edge = opened.js("""text => ufgraph.edges.get({filter: e => JSON.stringify(e.hover).includes(text)})
                              .map(e => e.id)[0]""", img)
        assert edge is not None
        x, y = _edge_on_screen(opened, edge)
        opened.page.mouse.move(x, y)
        opened.page.wait_for_selector("#tooltip:not([hidden])")
        assert img in opened.page.inner_text("#tooltip").replace(" ", "")
        opened.page.wait_for_timeout(200)
        assert dialogs == [] and opened.js("document.querySelectorAll('img').length") == 0
        assert_clean(opened, hostile_page)
    finally:
        opened.close()


def _edge_on_screen(opened, edge_id: str) -> tuple[float, float]:
    """Page coordinates of the middle of an edge, after bringing it into view."""
    opened.js("id => { const e = ufgraph.edges.get(id); ufgraph.network.fit({nodes: [e.from, e.to]}); }", edge_id)
    opened.page.wait_for_timeout(300)
    return tuple(opened.js("""id => {
        const net = ufgraph.network, e = ufgraph.edges.get(id), pos = net.getPositions([e.from, e.to]);
        const mid = {x: (pos[e.from].x + pos[e.to].x) / 2, y: (pos[e.from].y + pos[e.to].y) / 2};
        const dom = net.canvasToDOM(mid), box = document.getElementById('network').getBoundingClientRect();
        return [box.left + dom.x, box.top + dom.y]; }""", edge_id))


# ---------------------------------------------------------------- offline

_OFFLINE = """
import socket, sys

def refuse(*args, **kwargs):
    sys.stderr.write(f"NETWORK ATTEMPT {args!r}\\n")
    raise OSError("the network is refused in this test")

_connect = socket.socket.connect

def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        refuse(address)
    return _connect(self, address)

socket.socket.connect = connect
socket.getaddrinfo = socket.create_connection = refuse
from ufgraph.cli import main
main(sys.argv[1:], prog_name="ufgraph")
"""


def test_the_commands_need_no_network(hostile_folder, tmp_path):
    data = ["--data-dir", str(tmp_path / "data"), "--store", "embedded"]
    commands = [["extract", str(hostile_folder), "--out", str(tmp_path / "docs")],
                ["refresh", str(hostile_folder), "--jobs", "1", *data],
                ["query", "search", "-p", "text=商会", *data],
                ["viz", "--types", "all", "-o", str(tmp_path / "page.html"), *data]]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    for command in commands:
        done = subprocess.run([sys.executable, "-c", _OFFLINE, *command], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "NETWORK ATTEMPT" not in done.stderr, done.stderr
    assert (tmp_path / "page.html").stat().st_size > 100_000  # vis-network inlined, not linked
