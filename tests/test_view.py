"""Network views: GraphDocument → networkx, the view's selection and what it
leaves out, the self-contained page, and the `viz` command.

The reports here are invented (Gansu place names, made-up people)."""
from __future__ import annotations

import doctest
import html
import json
from html.parser import HTMLParser

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st

from ufgraph.cli import main
from ufgraph.errors import ConfigError, QueryError, RecordError
from ufgraph.graph import network, view_layout, view_synthetic
from ufgraph.graph.model import Edge, Evidence, GraphDocument, Node, Report
from ufgraph.graph.network import importance, to_networkx
from ufgraph.graph.ontology import load_ontology
from ufgraph.graph.view import (DEFAULT_MAX_NODES, LIAISON_RELS, LIAISON_TYPES, build_view,
                                notebook_view, read_documents, render_html, view_html)
from ufgraph.graph.view_hover import edge_hover, node_hover
from ufgraph.graph.view_layout import EDGE_PIXELS, layout_positions
from ufgraph.graph.view_page import PHYSICS_LIMIT, node_styles, page_data, script_json
from ufgraph.graph.view_synthetic import synthetic_document

R1, R2 = "r-lz0001", "r-ts0002"


def _ev(report: str, sentence: str, date: str = "") -> list[Evidence]:
    return [Evidence(report, sentence, 0, len(sentence), "test", date)]


def sample_doc() -> GraphDocument:
    """Eight liaison nodes, a programme, an enterprise and a person outside the liaison network."""
    nodes = [
        Node("fed", "Federation", "兰州市工商联", ["兰州市总商会", "市工商联"], _ev(R1, "兰州市工商联召开执委会。")),
        Node("fed2", "Federation", "甘肃省工商联", [], _ev(R1, "甘肃省工商联派员指导。")),
        Node("ch1", "Chamber", "兰州市陶瓷商会", [], _ev(R1, "兰州市陶瓷商会成立。")),
        Node("ch2", "Chamber", "天水市果业商会", [], _ev(R2, "天水市果业商会换届。")),
        Node("po", "PartyOrg", "兰州市陶瓷商会党支部", [], _ev(R1, "商会党支部开展学习。")),
        Node("ag", "Agency", "天水市委统战部", [], _ev(R2, "天水市委统战部调研。")),
        Node("p1", "Person", "欧阳明远", [], _ev(R1, "欧阳明远任兰州市陶瓷商会会长。")),
        Node("p2", "Person", "司马晓岚", [], _ev(R2, "司马晓岚任秘书长。")),
        Node("p3", "Person", "上官若水", [], _ev(R2, "上官若水参加雏鹰计划。")),
        Node("prog", "Program", "雏鹰计划", [], _ev(R1, "兰州市工商联启动雏鹰计划。")),
        Node("ent", "Enterprise", "兰州青瓷坊有限公司", [], _ev(R1, "兰州青瓷坊有限公司入会。")),
    ]
    edges = [
        Edge("p1", "ch1", "HOLDS_POST", {"title": "会长"}, _ev(R1, "欧阳明远任兰州市陶瓷商会会长。")),
        Edge("p1", "fed", "HOLDS_POST", {"title": "副主席"}, _ev(R1, "欧阳明远当选市工商联副主席。")),
        Edge("p2", "ch2", "HOLDS_POST", {"title": "秘书长"}, _ev(R2, "司马晓岚任秘书长。")),
        Edge("ch1", "fed", "AFFILIATED_WITH", {}, _ev(R1, "陶瓷商会是市工商联所属商会。")),
        Edge("fed", "fed2", "AFFILIATED_WITH", {}, _ev(R1, "市工商联隶属省工商联。")),
        Edge("ch2", "fed2", "AFFILIATED_WITH", {}, _ev(R2, "果业商会加入省工商联。")),
        Edge("po", "ch1", "PARTY_ORG_OF", {}, _ev(R1, "商会党支部设在陶瓷商会。")),
        Edge("ag", "ch2", "LIAISES_WITH", {"role": "挂钩联系"}, _ev(R2, "统战部挂钩联系果业商会。")),
        Edge("fed", "prog", "RUNS", {}, _ev(R1, "兰州市工商联启动雏鹰计划。")),
        Edge("p3", "prog", "PARTICIPATES_IN", {}, _ev(R2, "上官若水参加雏鹰计划。")),
        Edge("ent", "ch1", "AFFILIATED_WITH", {}, _ev(R1, "兰州青瓷坊有限公司入会。")),
    ]
    reports = [Report(R1, "兰州市民营经济简报", "2022-03-01"), Report(R2, "天水市商会工作动态", "2024-06-10")]
    return GraphDocument(reports, nodes, edges)


class _PageParser(HTMLParser):
    """Collects the attributes that could fetch something, the data script and the title."""

    def __init__(self):
        super().__init__()
        self.fetching: list[tuple[str, str, str]] = []
        self.data, self.title, self._in = "", "", None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "srcset", "action", "data"):
            if name in attrs:
                self.fetching.append((tag, name, attrs[name]))
        self._in = "data" if attrs.get("id") == "ufgraph-data" else ("title" if tag == "title" else None)

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "data":
            self.data += data
        elif self._in == "title":
            self.title += data


def parse_page(text: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(text)
    return parser


# ---------------------------------------------------------------- to_networkx

def test_to_networkx_keeps_attributes_and_provenance():
    doc = sample_doc()
    doc.nodes[0].props["betweenness"] = 0.25
    graph = to_networkx(doc)
    assert graph.number_of_nodes() == 11 and graph.number_of_edges() == 11
    fed = graph.nodes["fed"]
    assert (fed["type"], fed["aliases"], fed["reports"]) == ("Federation", ["兰州市总商会", "市工商联"], [R1])
    assert fed["betweenness"] == 0.25 and fed["props"] == {"betweenness": 0.25}
    post = graph.edges["p1", "ch1", "HOLDS_POST"]
    assert post["props"] == {"title": "会长"} and post["reports"] == [R1]
    assert post["dates"] == ["2022-03-01"]  # from the report, as the evidence has no date
    assert post["origin"] == "report" and post["evidence"][0].sentence.startswith("欧阳明远")


def test_to_networkx_merges_duplicate_edges_and_prefers_evidence_dates():
    doc = sample_doc()
    doc.edges.append(Edge("p1", "ch1", "HOLDS_POST", {"title": "会长"}, _ev(R2, "再任会长。", "2025-01-02")))
    graph = to_networkx(doc)
    post = graph.edges["p1", "ch1", "HOLDS_POST"]
    assert graph.number_of_edges() == 11
    assert post["reports"] == [R1, R2] and post["dates"] == ["2022-03-01", "2025-01-02"]
    assert len(post["evidence"]) == 2


def test_to_networkx_adds_reports_only_when_asked():
    doc = sample_doc()
    doc.edges.append(Edge("p1", R1, "MENTIONED_IN", {"count": 2}, []))
    assert R1 not in to_networkx(doc)
    with_reports = to_networkx(doc, include_reports=True)
    assert with_reports.nodes[R1]["type"] == "Report"
    assert with_reports.has_edge("p1", R1, key="MENTIONED_IN")


def test_importance_prefers_analysis_scores_and_never_mixes_them_with_degrees():
    graph = to_networkx(sample_doc())
    assert importance(graph)["p1"] == 2.0  # degree
    graph.nodes["p1"]["degree"] = 7
    assert importance(graph)["p1"] == 7.0 and importance(graph)["fed"] == 0.0
    graph.nodes["fed"]["betweenness"] = 0.5
    scores = importance(graph)
    assert scores["fed"] == 0.5 and scores["p1"] == 0.0  # not seen by the analysis yet


# ---------------------------------------------------------------- build_view

def test_default_view_is_the_liaison_network_and_says_what_it_left_out():
    view = build_view(sample_doc())
    assert set(view.graph) == {"fed", "fed2", "ch1", "ch2", "po", "ag", "p1", "p2"}
    assert view.edge_count == 8
    assert {t for _, t in view.graph.nodes(data="type")} <= set(LIAISON_TYPES)
    assert {t for *_, t in view.graph.edges(data="type")} <= set(LIAISON_RELS)
    assert view.left_out["type not selected"] == {"Program": 1, "Enterprise": 1}
    assert view.left_out["no link among the selected relationships"] == {"Person": 1}
    assert view.edges_left_out == {"relationship type not selected": 2, "an end is not shown": 1}


def test_focus_by_alias_follows_depth():
    near = build_view(sample_doc(), focus="市工商联", depth=1)
    assert near.focus == ("fed",)
    assert set(near.graph) == {"fed", "p1", "ch1", "fed2"}
    # p2, and p3 who has no liaison link at all, are both out of reach
    assert near.left_out["more than 1 links from the focus"] == {"PartyOrg": 1, "Chamber": 1,
                                                                 "Agency": 1, "Person": 2}
    wider = build_view(sample_doc(), focus="兰州市总商会", depth=2)
    assert set(wider.graph) == {"fed", "p1", "ch1", "fed2", "po", "ch2"}
    assert "兰州市工商联" in wider.title


def test_focus_ignores_brackets_spaces_and_case():
    doc = sample_doc()
    doc.nodes[0].aliases.append("Lanzhou FIC")
    assert build_view(doc, focus="lanzhou  fic").focus == ("fed",)
    assert build_view(doc, focus=" 兰州市 工商联 ").focus == ("fed",)


def test_focus_stays_even_when_its_type_is_not_selected():
    view = build_view(sample_doc(), focus="雏鹰计划", depth=1, rels="all")
    assert view.graph.nodes["prog"]["type"] == "Program" and "Program" not in LIAISON_TYPES
    assert set(view.graph) == {"prog", "fed", "p3"}


def test_unknown_focus_suggests_close_names():
    with pytest.raises(QueryError, match="no node named '陶瓷商会'.*兰州市陶瓷商会"):
        build_view(sample_doc(), focus="陶瓷商会")


def test_types_and_rels_are_checked_against_the_ontology():
    with pytest.raises(QueryError, match="unknown relationship type.*'HOLDS_POSTS'.*known: HOLDS_POST"):
        build_view(sample_doc(), rels="HOLDS_POSTS")
    with pytest.raises(QueryError, match="unknown node type.*'Chambers'"):
        build_view(sample_doc(), types=["Person", "Chambers"])
    with pytest.raises(QueryError, match="empty list"):
        build_view(sample_doc(), types=" , ")


def test_types_and_rels_all_and_comma_lists():
    everything = build_view(sample_doc(), types="all", rels="ALL")
    assert everything.node_count == 11 and everything.edge_count == 11
    some = build_view(sample_doc(), types="Person,Chamber", rels="HOLDS_POST")
    assert set(some.graph) == {"p1", "p2", "ch1", "ch2"}


def test_report_filter_and_unknown_report():
    view = build_view(sample_doc(), report=R2)
    assert set(view.graph) == {"p2", "ch2", "fed2", "ag"}
    assert view.edges_left_out[f"not stated in report {R2}"] == 6
    with pytest.raises(QueryError, match="unknown report 'r-none'.*r-lz0001 \\(兰州市民营经济简报\\)"):
        build_view(sample_doc(), report="r-none")


@pytest.mark.parametrize("since, expected", [
    ("2023", {"p2", "ch2", "fed2", "ag"}),
    ("2024-06-10", {"p2", "ch2", "fed2", "ag"}),
    ("2024-06-11", set()),
    ("2022-03", {"fed", "fed2", "ch1", "ch2", "po", "ag", "p1", "p2"}),
])
def test_since_keeps_edges_with_a_late_enough_report_date(since, expected):
    assert set(build_view(sample_doc(), since=since).graph) == expected


@pytest.mark.parametrize("bad", ["2023/01/01", "last year", "23-01-01", "2023-1-1"])
def test_since_refuses_what_is_not_a_date(bad):
    with pytest.raises(QueryError, match="is not a date"):
        build_view(sample_doc(), since=bad)


def test_depth_and_max_nodes_must_be_sensible():
    with pytest.raises(QueryError, match="depth"):
        build_view(sample_doc(), focus="欧阳明远", depth=-1)
    with pytest.raises(QueryError, match="max_nodes"):
        build_view(sample_doc(), max_nodes=0)


def test_cap_keeps_the_highest_scores_and_counts_the_rest_by_type():
    doc = sample_doc()
    scores = {"fed": 0.9, "fed2": 0.8, "ch2": 0.7}
    for node in doc.nodes:
        node.props["betweenness"] = scores.get(node.id, 0.1)
    view = build_view(doc, max_nodes=3)
    assert set(view.graph) == {"fed", "fed2", "ch2"}
    assert view.left_out["over the limit of 3 nodes"] == {"Chamber": 1, "PartyOrg": 1, "Agency": 1, "Person": 2}
    assert view.edge_count == 2 and view.edges_left_out["over the limit of 3 nodes"] == 6


def test_cap_ranks_nodes_the_analysis_has_not_scored_last():
    doc = sample_doc()
    doc.nodes[0].props["betweenness"] = 0.7  # fed
    doc.nodes[6].props["betweenness"] = 0.2  # p1
    assert set(build_view(doc, max_nodes=2).graph) == {"fed", "p1"}


def test_cap_keeps_the_focus_and_its_nearest_nodes():
    view = build_view(sample_doc(), focus="司马晓岚", depth=5, max_nodes=2)
    assert set(view.graph) == {"p2", "ch2"}


def test_people_carry_their_posts_for_the_hover_text():
    view = build_view(sample_doc(), types="Person,Chamber")
    assert view.graph.nodes["p1"]["posts"] == [("会长", "兰州市陶瓷商会"), ("副主席", "兰州市工商联")]


# ---------------------------------------------------------------- hover text

def test_node_and_edge_hover_hold_type_names_titles_evidence_and_reports():
    view = build_view(sample_doc())
    person = node_hover(view.graph, "p1", view.reports)
    assert person["head"] == "欧阳明远"
    assert ["type", "Person"] in person["rows"] and ["post", "会长 — 兰州市陶瓷商会"] in person["rows"]
    assert person["quotes"] == ["欧阳明远任兰州市陶瓷商会会长。"]
    assert person["reports"] == ["兰州市民营经济简报 (2022-03-01)"]
    fed = node_hover(view.graph, "fed", view.reports)
    assert ["aliases", "兰州市总商会、市工商联"] in fed["rows"]
    link = edge_hover(view.graph, "ag", "ch2", "LIAISES_WITH", view.reports)
    assert link["head"] == "天水市委统战部 → 天水市果业商会"
    assert ["role", "挂钩联系"] in link["rows"] and link["reports"] == ["天水市商会工作动态 (2024-06-10)"]


def test_hover_trims_long_evidence_and_limits_quotes():
    doc = sample_doc()
    doc.nodes[6].evidence = _ev(R1, "长" * 500) + _ev(R1, "二。") + _ev(R1, "三。") + _ev(R1, "四。")
    view = build_view(doc)
    quotes = node_hover(view.graph, "p1", view.reports)["quotes"]
    assert len(quotes) == 3 and len(quotes[0]) == 140 and quotes[0].endswith("…")


# ---------------------------------------------------------------- the page

def test_page_is_self_contained_and_its_data_matches_the_view():
    view = build_view(sample_doc())
    page = view_html(view)
    parsed = parse_page(page)
    assert parsed.fetching == []  # no src/href: vis-network and styles are inline
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "cdnjs" not in page and "jsdelivr" not in page
    data = json.loads(parsed.data)
    assert len(data["nodes"]) == view.node_count and len(data["edges"]) == view.edge_count
    assert {n["id"] for n in data["nodes"]} == set(view.graph)
    assert data["leftOut"][0]["byType"] == [["Enterprise", 1], ["Program", 1]]
    assert [t["type"] for t in data["types"]] == ["Federation", "Chamber", "PartyOrg", "Agency", "Person"]


def test_page_has_legend_search_and_type_filters_in_its_own_template():
    page = view_html(build_view(sample_doc()))
    for marker in ('id="search"', 'id="type-list"', 'id="legend"', 'id="left-out-list"', "new vis.Network"):
        assert marker in page
    assert "tom-select" not in page and "bootstrap" not in page.lower()


def test_edges_carry_titles_and_roles_as_labels():
    data = page_data(build_view(sample_doc()))
    labels = {(e["from"], e["to"]): e["label"] for e in data["edges"]}
    assert labels[("p1", "ch1")] == "会长" and labels[("ag", "ch2")] == "挂钩联系"
    assert labels[("ch1", "fed")] == ""


def test_node_size_follows_the_score():
    doc = sample_doc()
    for node in doc.nodes:
        node.props["betweenness"] = 0.9 if node.id == "p2" else 0.0
    sizes = {n["id"]: n["size"] for n in page_data(build_view(doc))["nodes"]}
    assert sizes["p2"] == max(sizes.values()) and sizes["fed"] == min(sizes.values())


HOSTILE = ["</script><script>window.__pwned=1</script>", '<img src=x onerror="window.__pwned=2">',
           "a & b <!-- c", "行\u2028分\u2029隔"]


def test_names_from_reports_cannot_break_out_of_the_page():
    doc = sample_doc()
    doc.nodes[0].name, doc.nodes[0].aliases = HOSTILE[0], [HOSTILE[1]]
    doc.nodes[1].name = HOSTILE[2]
    doc.nodes[6].name = HOSTILE[3]
    doc.reports[0].title = HOSTILE[1]
    view = build_view(doc, focus=HOSTILE[0], depth=3)
    page = view_html(view)
    parsed = parse_page(page)
    assert parsed.fetching == []
    for text in HOSTILE:
        assert text not in page
    assert parsed.title == "ufgraph · " + HOSTILE[0]  # escaped in the source, literal once parsed
    data = json.loads(parsed.data)
    names = {n["label"] for n in data["nodes"]}
    assert {HOSTILE[0], HOSTILE[2], HOSTILE[3]} <= names
    fed = next(n for n in data["nodes"] if n["id"] == "fed")
    assert HOSTILE[1] in fed["names"] and fed["hover"]["reports"] == [HOSTILE[1] + " (2022-03-01)"]
    assert "title" not in fed  # vis-network would render a title string as HTML


@given(st.recursive(st.text() | st.integers() | st.none(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                    max_leaves=20))
def test_script_json_round_trips_and_never_holds_markup(value):
    text = script_json(value)
    assert json.loads(text) == value
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}


def test_same_document_gives_the_same_page():
    assert view_html(build_view(sample_doc())) == view_html(build_view(sample_doc()))


def test_small_views_settle_with_bounded_physics_and_large_ones_are_laid_out_in_python():
    small = page_data(build_view(sample_doc()))
    assert small["options"]["physics"]["enabled"] is True
    assert small["options"]["physics"]["stabilization"]["iterations"] <= 300
    assert small["options"]["edges"]["smooth"] is False
    large_view = build_view(synthetic_document(PHYSICS_LIMIT + 100))
    large = page_data(large_view)
    assert large["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in large["nodes"])
    assert len(large["nodes"]) == large_view.node_count > PHYSICS_LIMIT


def test_every_node_type_has_a_colour_and_shape():
    styles = node_styles()
    assert set(load_ontology().node_types) <= set(styles)
    assert len({s["color"] for s in styles.values()}) == len(styles)


def test_render_html_writes_utf8_and_names_the_path_it_cannot_write(tmp_path):
    view = build_view(sample_doc())
    out = render_html(view, tmp_path / "deep" / "net.html")
    assert out.read_text("utf-8") == view_html(view)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match=str(blocker / "net.html")):
        render_html(view, blocker / "net.html")


def test_notebook_view_embeds_the_same_page_in_an_iframe():
    view = build_view(sample_doc())
    shown = notebook_view(view, height=500)
    body = shown.data
    assert body.startswith("<div><iframe srcdoc=\"") and "height:500px" in body
    srcdoc = body[len('<div><iframe srcdoc="'):body.index('" style=')]
    assert '"' not in srcdoc and html.unescape(srcdoc) == view_html(view)


# ---------------------------------------------------------------- layout and synthetic graphs

def test_layout_is_deterministic_and_scaled_to_pixels():
    graph = build_view(sample_doc()).graph
    first, second = layout_positions(graph), layout_positions(graph)
    assert first == second and set(first) == set(graph)
    lengths = sorted(((first[u][0] - first[v][0]) ** 2 + (first[u][1] - first[v][1]) ** 2) ** 0.5
                     for u, v in graph.edges())
    assert lengths[len(lengths) // 2] >= EDGE_PIXELS * 0.9
    assert layout_positions(nx.MultiDiGraph()) == {}


def test_synthetic_documents_are_valid_and_repeatable():
    doc = synthetic_document(300, seed=3)
    assert len(doc.nodes) == 300 and len({n.id for n in doc.nodes}) == 300
    assert GraphDocument.from_dict(doc.to_dict()).to_dict() == doc.to_dict()
    assert synthetic_document(300, seed=3).to_dict() == doc.to_dict()
    assert synthetic_document(300, seed=4).to_dict() != doc.to_dict()


@pytest.mark.parametrize("module", [network, view_layout, view_synthetic], ids=lambda m: m.__name__)
def test_docstring_examples_hold(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


# ---------------------------------------------------------------- reading documents and the CLI

def _write_doc(path, doc=None):
    path.write_text(json.dumps((doc or sample_doc()).to_dict(), ensure_ascii=False), "utf-8")
    return path


def test_read_documents_names_the_file_and_the_problem(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(RecordError, match="bad.json: not JSON"):
        read_documents([bad])
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"nodes": [{"id": "x", "type": "Planet", "name": "X"}]}', "utf-8")
    with pytest.raises(RecordError, match="wrong.json: node 'X': unknown type 'Planet'"):
        read_documents([wrong])
    listy = tmp_path / "list.json"
    listy.write_text("[]", "utf-8")
    with pytest.raises(RecordError, match="list.json: not a graph document"):
        read_documents([listy])
    with pytest.raises(ConfigError, match="missing.json: no such file"):
        read_documents([tmp_path / "missing.json"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="empty: no .json graph documents"):
        read_documents([tmp_path / "empty"])


def test_read_documents_joins_a_folder_of_report_documents(tmp_path):
    full = sample_doc()
    first = GraphDocument([full.reports[0]], [n for n in full.nodes if R1 in n.reports],
                          [e for e in full.edges if R1 in e.reports])
    second_edges = [e for e in full.edges if R2 in e.reports]
    ends = {x for e in second_edges for x in (e.source, e.target)}
    second = GraphDocument([full.reports[1]], [n for n in full.nodes if n.id in ends], second_edges)
    _write_doc(tmp_path / "a.json", first)
    _write_doc(tmp_path / "b.json", second)
    joined = read_documents([tmp_path])
    assert {r.id for r in joined.reports} == {R1, R2}
    names = sorted(n.name for n in joined.nodes)
    assert names.count("甘肃省工商联") == 1 and "天水市果业商会" in names


def test_viz_command_writes_the_page_and_prints_its_path(tmp_path):
    source = _write_doc(tmp_path / "doc.json")
    out = tmp_path / "out" / "net.html"
    result = CliRunner().invoke(main, ["viz", "--from-json", str(source), "-o", str(out),
                                       "--focus", "兰州市工商联", "--depth", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out)
    data = json.loads(parse_page(out.read_text("utf-8")).data)
    assert {n["label"] for n in data["nodes"]} == {"兰州市工商联", "欧阳明远", "兰州市陶瓷商会", "甘肃省工商联"}


@pytest.mark.parametrize("args, message", [
    (["--rels", "KNOWS"], "unknown relationship type(s) 'KNOWS'"),
    (["--types", "Robot"], "unknown node type(s) 'Robot'"),
    (["--since", "yesterday"], "is not a date"),
    (["--focus", "无此人"], "no node named '无此人'"),
    (["--report", "r-x"], "unknown report 'r-x'"),
])
def test_viz_command_turns_bad_filters_into_clear_errors(tmp_path, args, message):
    source = _write_doc(tmp_path / "doc.json")
    result = CliRunner().invoke(main, ["viz", "--from-json", str(source), "-o", str(tmp_path / "x.html"), *args])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_viz_command_reads_the_embedded_store(tmp_path):
    from ufgraph.graph import config

    with config.open_store("embedded", config.data_dir(tmp_path / "data")) as store:
        store.replace(sample_doc())
        store.set_node_properties("betweenness", {"fed": 0.7, "p1": 0.2})
    out = tmp_path / "net.html"
    result = CliRunner().invoke(main, ["viz", "--store", "embedded", "--data-dir", str(tmp_path / "data"),
                                       "-o", str(out), "--max-nodes", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(parse_page(out.read_text("utf-8")).data)
    assert {n["label"] for n in data["nodes"]} == {"兰州市工商联", "欧阳明远"}
    hover = next(n["hover"] for n in data["nodes"] if n["id"] == "fed")
    assert ["betweenness", "0.7"] in hover["rows"] and hover["quotes"] == ["兰州市工商联召开执委会。"]


def test_viz_command_refuses_an_empty_graph(tmp_path):
    empty = _write_doc(tmp_path / "empty.json", GraphDocument())
    result = CliRunner().invoke(main, ["viz", "--from-json", str(empty), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1 and "holds no nodes" in result.output


def test_viz_command_names_a_broken_input_file(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"nodes": [', "utf-8")
    result = CliRunner().invoke(main, ["viz", "--from-json", str(broken), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1 and f"{broken}: not JSON" in result.output


def test_viz_help_has_an_example_and_the_library_default():
    result = CliRunner().invoke(main, ["viz", "--help"])
    assert result.exit_code == 0 and "Example: ufgraph viz" in result.output
    assert f"default: {DEFAULT_MAX_NODES}" in result.output
