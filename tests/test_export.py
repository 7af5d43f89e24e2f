"""Exports: GraphML and GEXF read back by networkx, neo4j-admin CSV (headers,
cells, and a real import into Neo4j), JSON Lines round trips,
followthemoney entities checked against the FtM model, the Neo4j Browser
style, and the `export` command.

The reports here are invented (Liuzhou place names, made-up people).
"""
from __future__ import annotations

import csv
import doctest
import json
import os
import re
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from ufgraph.cli import main
from ufgraph.errors import ConfigError, RecordError
from ufgraph.graph import export as export_module
from ufgraph.graph.export import LIST_SEP, export, file_graph
from ufgraph.graph.export_csv import import_command, write_csv
from ufgraph.graph.export_ftm import ftm_entities, ftm_model, validate_entities
from ufgraph.graph.export_source import load_documents, parse_text
from ufgraph.graph.export_style import committed_grass, darker, grass_text, text_colour
from ufgraph.graph.model import Edge, Evidence, GraphDocument, Node, Report
from ufgraph.graph.ontology import load_ontology
from ufgraph.graph.view_page import node_styles

R1, R2 = "r-lz00000000000001", "r-lz00000000000002"
S_POST = "柳州市螺香商会会长覃立舟表示，商会将继续服务会员企业。"
S_AGENCY = "柳州市委统战部副部长覃立舟出席会议。"
S_PROG = "柳州市工商联主办“桂商领航计划”，覃立舟担任导师。"
S_COOP = "柳州市螺香商会与广西螺味研究院共建实验室。"
S_EVENT = "柳州鹿香食品有限公司参加第二届柳州螺香博览会。"
MARKUP = "<b>韦</b>某&\"引号\""  # a name that must survive XML and CSV quoting


def _ev(report: str, sentence: str, start: int = 0) -> list[Evidence]:
    date = {R1: "2022-04-01", R2: "2023-09-15"}[report]
    return [Evidence(report, sentence, start, start + len(sentence), "test", date)]


def sample_doc() -> GraphDocument:
    """Every node type and every relationship type but MENTIONED_IN, with scores on two nodes."""
    reports = [Report(R1, "柳州市工商联工作简报", "2022-04-01", "桂中工商报", ["甲记者", "乙记者"], "a.txt"),
               Report(R2, "螺香商会换届侧记", "2023-09-15", "", [], "b.md")]
    nodes = [
        Node("fed", "Federation", "柳州市工商联", ["市工商联", "柳州市总商会"], _ev(R1, S_PROG),
             {"degree": 4, "betweenness": 0.5, "community": 1}),
        Node("chamber", "Chamber", "柳州市螺香商会", ["螺香商会;柳州"], _ev(R1, S_POST) + _ev(R2, S_COOP)),
        Node("party", "PartyOrg", "柳州市工商联党组", [], _ev(R1, S_PROG)),
        Node("agency", "Agency", "柳州市委统战部", [], _ev(R2, S_AGENCY)),
        Node("ent", "Enterprise", "柳州鹿香食品有限公司", [], _ev(R2, S_EVENT)),
        Node("inst", "Institution", "广西螺味研究院", [], _ev(R2, S_COOP)),
        Node("prog", "Program", "桂商领航计划", ["“桂商领航计划”"], _ev(R1, S_PROG)),
        Node("event", "Event", "第二届柳州螺香博览会", [], _ev(R2, S_EVENT)),
        Node("doc", "Document", "柳州市商会联络工作办法", [], _ev(R1, S_PROG)),
        Node("qin", "Person", "覃立舟", [], _ev(R1, S_POST) + _ev(R2, S_AGENCY), {"degree": 3.0}),
        Node("wei", "Person", MARKUP, [], _ev(R2, S_EVENT)),
        Node("liuzhou", "Place", "柳州市", ["柳州"], _ev(R1, S_POST)),
        Node("guangxi", "Place", "广西壮族自治区", [], []),
    ]
    edges = [
        Edge("qin", "chamber", "HOLDS_POST", {"title": "会长"}, _ev(R1, S_POST)),
        Edge("qin", "agency", "HOLDS_POST", {"title": "副部长"}, _ev(R2, S_AGENCY)),
        Edge("qin", "prog", "HOLDS_POST", {"title": "导师"}, _ev(R1, S_PROG)),
        Edge("wei", "fed", "HOLDS_POST", {}, _ev(R2, S_EVENT)),
        Edge("wei", "event", "HOLDS_POST", {"title": "主持人"}, _ev(R2, S_EVENT)),
        Edge("wei", "chamber", "HOLDS_POST", {"title": "会员"}, _ev(R2, S_EVENT)),
        Edge("chamber", "fed", "AFFILIATED_WITH", {}, _ev(R1, S_POST)),
        Edge("party", "fed", "PARTY_ORG_OF", {}, _ev(R1, S_PROG)),
        Edge("agency", "party", "SUBORDINATE_TO", {}, _ev(R2, S_AGENCY)),
        Edge("fed", "prog", "RUNS", {"role": "主办"}, _ev(R1, S_PROG)),
        Edge("ent", "event", "PARTICIPATES_IN", {}, _ev(R2, S_EVENT)),
        Edge("chamber", "inst", "COOPERATES_WITH", {"what": "共建实验室"}, _ev(R2, S_COOP)),
        Edge("qin", "chamber", "LIAISES_WITH", {"role": "挂钩联系"}, _ev(R1, S_POST) + _ev(R2, S_COOP)),
        Edge("fed", "doc", "ISSUED", {}, _ev(R1, S_PROG)),
        Edge("chamber", "liuzhou", "LOCATED_IN", {}, _ev(R1, S_POST)),
        Edge("liuzhou", "guangxi", "LOCATED_IN", {}, [], origin="gazetteer"),
    ]
    return GraphDocument(reports, nodes, edges)


def _canonical(doc: GraphDocument) -> dict:
    data = doc.to_dict()
    data["nodes"].sort(key=lambda n: n["id"])
    data["edges"].sort(key=lambda e: (e["source"], e["type"], e["target"]))
    data["reports"].sort(key=lambda r: r["id"])
    return data


def test_doctests():
    for module in (export_module,):
        assert doctest.testmod(module, raise_on_error=True).attempted > 0


# ------------------------------------------------------------ GraphML and GEXF

def test_file_graph_attributes_are_scalars_and_keep_provenance():
    graph = file_graph(sample_doc())
    assert graph.number_of_nodes() == 13 and graph.number_of_edges() == 16
    for _, attrs in graph.nodes(data=True):
        assert all(isinstance(v, (str, int, float)) for v in attrs.values()), attrs
    for *_, attrs in graph.edges(data=True):
        assert all(isinstance(v, (str, int, float)) for v in attrs.values()), attrs
    fed = graph.nodes["fed"]
    assert fed["aliases"] == f"市工商联{LIST_SEP}柳州市总商会"
    assert (fed["degree"], fed["betweenness"], fed["community"]) == (4.0, 0.5, "1")
    qin = graph.nodes["qin"]
    assert (qin["reports"], qin["first_date"], qin["last_date"]) == (f"{R1}{LIST_SEP}{R2}", "2022-04-01", "2023-09-15")
    assert "first_date" not in graph.nodes["guangxi"]  # no evidence, no dates
    liaison = [a for u, v, a in graph.edges(data=True) if a["relationship"] == "LIAISES_WITH"][0]
    assert liaison["role"] == "挂钩联系" and liaison["weight"] == 2.0
    assert liaison["evidence"].split("\n") == [S_POST, S_COOP]
    assert len({k for *_, k in graph.edges(keys=True)}) == 16  # every edge id unique


def test_graphml_reads_back_with_every_node_edge_and_attribute(tmp_path):
    doc = sample_doc()
    assert export(doc, "graphml", tmp_path / "g.graphml") == [tmp_path / "g.graphml"]
    graph = nx.read_graphml(tmp_path / "g.graphml")
    assert set(graph) == {n.id for n in doc.nodes}
    assert graph.nodes["wei"]["name"] == MARKUP and graph.nodes["wei"]["label"] == MARKUP
    assert graph.nodes["chamber"]["type"] == "Chamber"
    posts = {(u, v): a.get("title") for u, v, a in graph.edges(data=True) if a["relationship"] == "HOLDS_POST"}
    assert posts[("qin", "chamber")] == "会长" and posts[("wei", "fed")] is None
    gazetteer = [a for u, v, a in graph.edges(data=True) if u == "liuzhou"][0]
    assert gazetteer["origin"] == "gazetteer" and gazetteer["reports"] == ""
    assert sorted(a["relationship"] for *_, a in graph.edges(data=True)) == sorted(e.type for e in doc.edges)


def test_gexf_reads_back_with_the_view_colours_and_directed_edges(tmp_path):
    doc = sample_doc()
    export(doc, "gexf", tmp_path / "g.gexf")
    graph = nx.read_gexf(tmp_path / "g.gexf")
    styles = node_styles()
    for node in doc.nodes:
        colour = graph.nodes[node.id]["viz"]["color"]
        assert "#%02x%02x%02x" % (colour["r"], colour["g"], colour["b"]) == styles[node.type]["color"]
        assert graph.nodes[node.id]["label"] == node.name
    assert graph.number_of_edges() == len(doc.edges)
    text = (tmp_path / "g.gexf").read_text("utf-8")
    # GEXF's own edge `type` means directed/undirected; our relationship type must not land there.
    assert set(re.findall(r'<edge [^>]*?type="(\w+)"', text)) <= {"directed"}
    assert 'title="relationship"' in text
    assert sorted(a["id"] for *_, a in graph.edges(data=True)) == sorted(f"e{i}" for i in range(len(doc.edges)))


def test_an_empty_graph_exports_in_every_single_file_format(tmp_path):
    for fmt in ("graphml", "gexf", "jsonl", "ftm"):
        export(GraphDocument(), fmt, tmp_path / f"empty.{fmt}")
        assert (tmp_path / f"empty.{fmt}").exists()
    assert nx.read_graphml(tmp_path / "empty.graphml").number_of_nodes() == 0


def test_a_failed_export_leaves_no_file_behind(tmp_path, monkeypatch):
    def broken(doc, stream):
        stream.write(b"<half")
        raise RecordError("broken on purpose")

    monkeypatch.setitem(export_module._WRITERS, "graphml", broken)
    with pytest.raises(RecordError):
        export(sample_doc(), "graphml", tmp_path / "g.graphml")
    assert list(tmp_path.iterdir()) == []


def test_export_refuses_unknown_formats_folders_and_csv_to_stdout(tmp_path):
    with pytest.raises(ConfigError, match="unknown export format 'dot'"):
        export(sample_doc(), "dot", tmp_path / "x")
    with pytest.raises(ConfigError, match="is a folder"):
        export(sample_doc(), "graphml", tmp_path)
    with pytest.raises(ConfigError, match="give a folder"):
        export(sample_doc(), "csv", "-")


# ------------------------------------------------------------ JSON Lines

def test_jsonl_round_trips_through_the_reader(tmp_path):
    doc = sample_doc()
    export(doc, "jsonl", tmp_path / "g.jsonl")
    lines = (tmp_path / "g.jsonl").read_text("utf-8").splitlines()
    kinds = [json.loads(line)["kind"] for line in lines]
    assert kinds == ["report"] * 2 + ["node"] * 13 + ["edge"] * 16
    edge = json.loads(lines[15])
    assert edge["dates"] == ["2022-04-01"] and edge["title"] == "会长"
    assert _canonical(load_documents([tmp_path / "g.jsonl"])) == _canonical(doc)


def test_reader_takes_documents_per_line_and_names_bad_lines():
    doc = sample_doc()
    one_per_line = json.dumps(doc.to_dict(), ensure_ascii=False) + "\n"
    assert _canonical(parse_text(one_per_line, "x")[0]) == _canonical(doc)
    with pytest.raises(RecordError, match=r"in\.jsonl, line 2: not JSON"):
        parse_text('{"kind": "report", "id": "r"}\n{oops\n', "in.jsonl")
    with pytest.raises(RecordError, match="line 1: unknown kind 'thing'"):
        parse_text('{"kind": "thing"}\n', "in.jsonl")
    with pytest.raises(RecordError, match="empty"):
        parse_text("  \n", "in.jsonl")
    with pytest.raises(RecordError, match="not a graph document"):
        parse_text("[1, 2]", "in.json")


# ------------------------------------------------------------ CSV for neo4j-admin

def _read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]


def test_csv_headers_are_the_neo4j_admin_forms(tmp_path):
    written = write_csv(sample_doc(), tmp_path)
    names = sorted(p.name for p in written.files)
    assert names == sorted(["reports.csv", *(f"nodes_{t}.csv" for t in load_ontology().node_types if t != "Report"),
                            *(f"rels_{r}.csv" for r in load_ontology().rel_types)])
    assert _read_csv(tmp_path / "nodes_Chamber.csv")[0] == \
        "id:ID,name,type,aliases:string[],reports:string[],:LABEL".split(",")
    assert _read_csv(tmp_path / "nodes_Federation.csv")[0] == \
        "id:ID,name,type,aliases:string[],reports:string[],degree:long,betweenness:double,community:long,:LABEL".split(",")
    assert _read_csv(tmp_path / "rels_HOLDS_POST.csv")[0] == \
        ":START_ID,:END_ID,:TYPE,title,role,what,reports:string[],dates:string[],origin,evidence".split(",")
    assert _read_csv(tmp_path / "rels_MENTIONED_IN.csv")[0] == ":START_ID,:END_ID,:TYPE,evidence,count:int".split(",")
    assert _read_csv(tmp_path / "reports.csv")[0][-1] == ":LABEL"


def test_csv_cells_hold_the_graph(tmp_path):
    write_csv(sample_doc(), tmp_path)
    _, chambers = _read_csv(tmp_path / "nodes_Chamber.csv")
    assert chambers == [{"id:ID": "chamber", "name": "柳州市螺香商会", "type": "Chamber",
                         "aliases:string[]": "螺香商会；柳州",  # ';' would split the alias in two
                         "reports:string[]": f"{R1};{R2}", ":LABEL": "Entity;Chamber"}]
    _, people = _read_csv(tmp_path / "nodes_Person.csv")
    assert {p["name"] for p in people} == {"覃立舟", MARKUP}
    _, posts = _read_csv(tmp_path / "rels_HOLDS_POST.csv")
    post = next(p for p in posts if p[":END_ID"] == "chamber" and p[":START_ID"] == "qin")
    assert (post["title"], post[":TYPE"], post["dates:string[]"], post["origin"]) == ("会长", "HOLDS_POST", "2022-04-01", "report")
    assert json.loads(post["evidence"])[0]["sentence"] == S_POST
    _, mentions = _read_csv(tmp_path / "rels_MENTIONED_IN.csv")
    assert {(m[":START_ID"], m[":END_ID"], m["count:int"]) for m in mentions if m[":START_ID"] == "qin"} == \
        {("qin", R1, "1"), ("qin", R2, "1")}
    _, reports = _read_csv(tmp_path / "reports.csv")
    assert reports[0]["authors:string[]"] == "甲记者;乙记者" and reports[0][":LABEL"] == "Report"


def test_import_command_quotes_paths_and_asks_for_multiline_only_when_needed(tmp_path):
    written = write_csv(sample_doc(), tmp_path / "my export")
    command = written.command("ufgraph")
    assert command.startswith("neo4j-admin database import full '--nodes=")
    assert command.endswith(" ufgraph") and "--multiline-fields" not in command
    assert command.count("--nodes=") == 12 and command.count("--relationships=") == 11
    doc = sample_doc()
    doc.reports[0].title = "第一行\n第二行"
    assert write_csv(doc, tmp_path / "multi").multiline
    assert "--multiline-fields=true" in import_command([Path("n.csv")], [], multiline=True)


def test_csv_refuses_a_document_with_an_edge_to_nowhere(tmp_path):
    doc = sample_doc()
    doc.edges.append(Edge("qin", "nobody", "LIAISES_WITH", {}, []))
    with pytest.raises(RecordError, match="nobody"):
        write_csv(doc, tmp_path)


# ------------------------------------------------------------ followthemoney

def _by_id(entities: list[dict]) -> dict[str, dict]:
    return {e["id"]: e for e in entities}


def _links(entities: list[dict], **ends) -> list[dict]:
    return [e for e in entities if all(e["properties"].get(k) == [v] for k, v in ends.items())]


def test_ftm_maps_types_posts_and_links():
    entities = list(ftm_entities(sample_doc()))
    by_id = _by_id(entities)
    assert [by_id[i]["schema"] for i in ("fed", "chamber", "party", "agency", "ent", "inst", "prog", "event",
                                         "doc", "qin", "liuzhou", R1)] == \
        ["Organization", "Organization", "Organization", "PublicBody", "Company", "Organization", "Project",
         "Event", "Document", "Person", "Address", "Document"]
    assert by_id["fed"]["properties"]["alias"] == ["市工商联", "柳州市总商会"]
    assert by_id[R1]["properties"]["author"] == ["甲记者", "乙记者"]
    director = _links(entities, director="qin", organization="chamber")[0]
    assert director["schema"] == "Directorship" and director["properties"]["role"] == ["会长"]
    assert director["properties"]["description"] == [S_POST] and director["properties"]["proof"] == [R1]
    assert director["properties"]["date"] == ["2022-04-01"] and director["properties"]["publisher"] == ["桂中工商报"]
    occupancy = _links(entities, holder="qin")[0]
    position = by_id[occupancy["properties"]["post"][0]]
    assert occupancy["schema"] == "Occupancy"
    assert position["properties"] == {"name": ["柳州市委统战部副部长"], "organization": ["agency"], "proof": [R2]}
    assert _links(entities, member="wei", organization="fed")[0]["schema"] == "Membership"  # no title
    assert _links(entities, member="wei", organization="chamber")[0]["properties"]["role"] == ["会员"]
    assert _links(entities, member="chamber", organization="fed")[0]["schema"] == "Membership"
    assert _links(entities, participant="qin", project="prog")[0]["properties"]["role"] == ["导师"]
    assert _links(entities, participant="fed", project="prog")[0]["properties"]["role"] == ["主办"]
    coop = _links(entities, subject="chamber", object="inst")[0]
    assert coop["schema"] == "UnknownLink" and coop["properties"]["role"] == ["共建实验室"]
    assert _links(entities, subject="liuzhou", object="guangxi")[0]["properties"]["role"] == ["located in"]


def test_ftm_ids_are_stable_and_unique():
    first, second = list(ftm_entities(sample_doc())), list(ftm_entities(sample_doc()))
    assert first == second
    assert len({e["id"] for e in first}) == len(first)


@pytest.fixture
def ftm():
    model = ftm_model()
    if model is None:
        pytest.skip("followthemoney is not installed (pip install followthemoney); FtM validation not tested")
    return model


def test_ftm_entities_validate_against_the_model(ftm):
    entities = list(ftm_entities(sample_doc()))
    assert validate_entities(entities) is True
    for entity in entities:  # and FtM's own proxies take them
        proxy = ftm.get_proxy(entity, cleaned=False)
        assert proxy.schema.name == entity["schema"]


def test_ftm_validation_catches_wrong_references_and_properties(ftm):
    entities = list(ftm_entities(sample_doc()))
    director = _links(entities, director="qin", organization="chamber")[0]
    director["properties"]["organization"] = ["liuzhou"]  # an Address is no Organization
    with pytest.raises(RecordError, match="organization must be a Organization, but 'liuzhou' is a Address"):
        validate_entities(entities)
    director["properties"]["organization"] = ["ghost"]
    with pytest.raises(RecordError, match="'ghost', which is not exported"):
        validate_entities(entities)
    with pytest.raises(RecordError, match="no concrete schema 'Thing'"):
        validate_entities([{"id": "x", "schema": "Thing", "properties": {}}])
    with pytest.raises(RecordError, match="FtM entity 'x'"):
        validate_entities([{"id": "x", "schema": "Person", "properties": {"name": ["某"], "birthDate": ["not a date"]}}])


def test_ftm_of_the_samples_validates(ftm, samples_doc):
    entities = list(ftm_entities(samples_doc))
    assert validate_entities(entities) is True
    schemata = {e["schema"] for e in entities}
    assert {"Person", "Directorship", "Occupancy", "Position", "UnknownLink", "Document"} <= schemata


# ------------------------------------------------------------ Neo4j Browser style

def test_committed_grass_is_the_generated_one():
    assert committed_grass() == grass_text(), "run `python -m ufgraph.graph.export_style` to regenerate"


def test_grass_gives_each_node_type_the_view_colour_and_name_caption():
    text = grass_text()
    for node_type, style in node_styles().items():
        rule = re.search(r"^node\.%s \{\n(.*?)\n\}$" % node_type, text, re.S | re.M)
        assert rule, node_type
        assert f"color: {style['color']};" in rule.group(1)
        assert f"border-color: {darker(style['color'])};" in rule.group(1)
        caption = "{title}" if node_type == "Report" else "{name}"
        assert f"caption: '{caption}';" in rule.group(1)
    assert "node.Entity" not in text  # a second label's rule would compete with the type's
    assert "relationship.HOLDS_POST {\n  caption: '{title}';" in text
    assert text.count("{") == text.count("}")


def test_text_colour_contrasts_with_the_fill():
    assert text_colour("#ffffff") == "#1b1b1b" and text_colour("#000000") == "#ffffff"
    assert text_colour("#1f5fb4") == "#ffffff" and text_colour("#e0e000") == "#1b1b1b"
    assert darker("#ff8000") == "#cc6600"


# ------------------------------------------------------------ the export command

@pytest.fixture
def doc_file(tmp_path) -> Path:
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(sample_doc().to_dict(), ensure_ascii=False), "utf-8")
    return path


def test_export_command_writes_a_file_and_says_so(tmp_path, doc_file):
    result = CliRunner().invoke(main, ["export", "--format", "gexf", "-o", str(tmp_path / "o.gexf"),
                                       "--from-json", str(doc_file)])
    assert result.exit_code == 0, result.output
    assert "13 nodes, 16 relationships as gexf" in result.output
    assert nx.read_gexf(tmp_path / "o.gexf").number_of_nodes() == 13


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "jsonl", "ftm"])
def test_export_command_writes_single_files_to_stdout(fmt, doc_file):
    result = CliRunner().invoke(main, ["export", "--format", fmt, "-o", "-", "--from-json", str(doc_file)])
    assert result.exit_code == 0, result.output
    if fmt in ("graphml", "gexf"):
        reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
        path = doc_file.with_suffix(f".{fmt}")
        path.write_bytes(result.stdout_bytes)
        assert reader(path).number_of_nodes() == 13
    else:
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        assert len(lines) == (31 if fmt == "jsonl" else 2 + 13 + 1 + 16)  # ftm: one Position too


def test_export_command_reads_stdin_and_prints_the_csv_import_command(tmp_path, doc_file):
    result = CliRunner().invoke(main, ["export", "--format", "csv", "-o", str(tmp_path / "csv"), "--from-json", "-",
                                       "--database", "liuzhou", "--json"], input=doc_file.read_text("utf-8"))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["nodes"] == 13 and len(summary["files"]) == 12 + 11
    assert summary["command"].startswith("neo4j-admin database import full --nodes=")
    assert summary["command"].endswith(" liuzhou")


def test_export_command_errors_are_messages_with_exit_codes(tmp_path, doc_file):
    runner = CliRunner()
    usage = runner.invoke(main, ["export", "--format", "csv", "-o", "-", "--from-json", str(doc_file)])
    assert usage.exit_code == 2 and "give -o a folder" in usage.output
    unknown = runner.invoke(main, ["export", "--format", "dot", "-o", "x", "--from-json", str(doc_file)])
    assert unknown.exit_code == 2
    bad = tmp_path / "bad.json"
    bad.write_text('{"nodes": [{"id": "x", "type": "Robot", "name": "y"}]}', "utf-8")
    failed = runner.invoke(main, ["export", "--format", "jsonl", "-o", "-", "--from-json", str(bad)])
    assert failed.exit_code == 1 and str(bad) in failed.output and "Robot" in failed.output
    assert "Traceback" not in failed.output
    missing = runner.invoke(main, ["export", "--format", "jsonl", "-o", "-", "--from-json", str(tmp_path / "no.json")])
    assert missing.exit_code == 1 and "no such file" in missing.output


def test_export_command_reads_the_embedded_store(tmp_path):
    from ufgraph.graph.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path / "data" / "store") as store:
        store.replace(sample_doc())
    result = CliRunner().invoke(main, ["export", "--format", "jsonl", "-o", "-", "--store", "embedded",
                                       "--data-dir", str(tmp_path / "data")], env={"NEO4J_URI": ""})
    assert result.exit_code == 0, result.output
    names = {r["name"] for r in map(json.loads, result.stdout.splitlines()) if r["kind"] == "node"}
    assert names == {n.name for n in sample_doc().nodes}


# ------------------------------------------------------------ a real neo4j-admin import

@pytest.fixture(scope="module")
def samples_doc(tmp_path_factory) -> GraphDocument:
    """The bundled sample reports, extracted and resolved."""
    from ufgraph.graph.resolve import resolve
    from ufgraph.loaders.pipeline import extract_many

    samples = Path(__file__).resolve().parents[1] / "data" / "samples"
    failures = []
    docs = [doc for _, doc in extract_many([samples], on_error=failures.append)]
    assert not failures and docs
    return resolve(docs)


def _admin_import(files, home: Path) -> subprocess.CompletedProcess:
    from neo4j_server import SERVER_DIR

    classpath = (SERVER_DIR / "target" / "classpath.txt").read_text().strip()
    (home / "conf").mkdir(parents=True, exist_ok=True)
    args = ["java", "-cp", classpath, "org.neo4j.cli.AdminTool", "database", "import", "full",
            *[f"--nodes={p}" for p in files.node_files], *[f"--relationships={p}" for p in files.rel_files],
            "--multiline-fields=true", f"--report-file={home / 'import.report'}", "neo4j"]
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=600, check=False)


@pytest.mark.neo4j
def test_csv_imported_by_neo4j_admin_reads_back_as_the_store_wrote_it(tmp_path, neo4j_server, neo4j_driver,
                                                                      samples_doc):
    """neo4j-admin imports the CSV into a fresh database; the Neo4j store reads from it the same
    document it reads after writing the graph itself."""
    from neo4j_server import _free_port, _launch, _wait_until_ready
    from ufgraph.graph.neo4j_store import Neo4jStore, connect

    doc = GraphDocument.from_dict(samples_doc.to_dict())
    for node in doc.nodes[:5]:
        node.props.update(degree=len(node.evidence), betweenness=0.25)
    written_by_store = Neo4jStore(neo4j_driver, neo4j_server.database)
    written_by_store.replace(doc)
    expected = _canonical(written_by_store.read())
    assert len(expected["nodes"]) == len(doc.nodes) and len(expected["edges"]) == len(doc.edges)

    rundir = tmp_path / "imported"
    done = _admin_import(write_csv(doc, tmp_path / "csv"), rundir / "data")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    server = _launch(rundir, _free_port(), production=False)
    try:
        _wait_until_ready(server, 120)
        with connect(server.uri, server.user, server.password, server.database) as imported:
            assert _canonical(imported.read()) == expected
            labels = imported.run("MATCH (n:Entity:Person) RETURN count(n) AS n")[0]["n"]
            assert labels == sum(1 for n in doc.nodes if n.type == "Person")
    finally:
        server.stop()
