"""Cross-report resolution on per-report documents built by hand (invented names)."""
from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ufgraph.errors import ConfigError, RecordError
from ufgraph.graph.model import Edge, Evidence, GraphDocument, Node, Report
from ufgraph.graph.names import node_id
from ufgraph.graph.resolve import Overrides, PersonRef, evidence_dates, resolve


class ReportDoc:
    """A per-report document the way the extractor makes one: local ids are node_id(type, name)."""

    def __init__(self, rid: str, locality: str = "", date: str = "2023-05-01", path: str = ""):
        self.report = Report(rid, f"报道 {rid}", date, "测试日报", [], path or f"/in/{rid}.txt", locality)
        self.nodes: dict[str, Node] = {}
        self.edges: list[Edge] = []
        self.offset = 0

    def ev(self, sentence: str) -> Evidence:
        self.offset += 10
        return Evidence(self.report.id, sentence, self.offset, self.offset + len(sentence), "hand", self.report.date)

    def node(self, ntype: str, name: str, aliases=()) -> str:
        nid = node_id(ntype, name)
        node = self.nodes.setdefault(nid, Node(nid, ntype, name))
        node.aliases = sorted(set(node.aliases) | set(aliases))
        node.evidence.append(self.ev(f"{name}出现。"))
        return nid

    def edge(self, rel: str, source: tuple, target: tuple, origin="report", **props) -> None:
        s, t = self.node(*source), self.node(*target)
        self.edges.append(Edge(s, t, rel, props, [self.ev(f"{source[1]}与{target[1]}。")], origin))

    def post(self, person: str, org_type: str, org: str, title: str = "会长") -> None:
        self.edge("HOLDS_POST", ("Person", person), (org_type, org), title=title)

    def doc(self) -> GraphDocument:
        return GraphDocument([self.report], list(self.nodes.values()), list(self.edges))


def persons(doc: GraphDocument, name: str) -> list[Node]:
    return [n for n in doc.nodes if n.type == "Person" and n.name == name]


def by_name(doc: GraphDocument, name: str) -> Node:
    (node,) = [n for n in doc.nodes if n.name == name]
    return node


# ---------------------------------------------------------------- organisations and other nodes

def test_same_organisation_across_reports_is_one_node_with_aliases_and_evidence():
    a, b = ReportDoc("r-a"), ReportDoc("r-b")
    a.node("Chamber", "绵阳市青年商会", aliases=["青商会"])
    b.node("Chamber", "绵阳市青年商会", aliases=["市青年商会", "青商会"])
    g = resolve([a.doc(), b.doc()])
    chamber = by_name(g, "绵阳市青年商会")
    assert chamber.id == node_id("Chamber", "绵阳市青年商会")
    assert chamber.aliases == ["市青年商会", "青商会"]
    assert chamber.reports == ["r-a", "r-b"]
    assert len(chamber.evidence) == 2


def test_full_width_brackets_are_the_same_name():
    a, b = ReportDoc("r-a"), ReportDoc("r-b")
    a.node("Federation", "宜宾市工商联（总商会）")
    b.node("Federation", "宜宾市工商联(总商会)")
    g = resolve([a.doc(), b.doc()])
    assert len(g.nodes) == 1
    assert g.nodes[0].reports == ["r-a", "r-b"]


def test_same_name_different_type_stays_apart():
    a = ReportDoc("r-a")
    a.node("Program", "远航计划")
    b = ReportDoc("r-b")
    b.node("Event", "远航计划")
    g = resolve([a.doc(), b.doc()])
    assert sorted(n.type for n in g.nodes) == ["Event", "Program"]


# ---------------------------------------------------------------- persons

def test_same_name_and_shared_organisation_merges_with_a_reason():
    a, b = ReportDoc("r-a", "绵阳市"), ReportDoc("r-b", "南阳市")
    a.post("柯远山", "Chamber", "绵阳市青年商会", "会长")
    b.post("柯远山", "Chamber", "绵阳市青年商会", "名誉会长")
    g = resolve([a.doc(), b.doc()])
    (person,) = persons(g, "柯远山")
    assert person.reports == ["r-a", "r-b"]
    assert person.props["merge_reasons"] == ["shared organisation 绵阳市青年商会 (r-a, r-b)"]
    (post,) = [e for e in g.edges if e.type == "HOLDS_POST"]
    assert post.source == person.id
    assert post.props["title"] == "会长；名誉会长"
    assert post.reports == ["r-a", "r-b"]


def test_same_name_in_two_unrelated_localities_stays_two_people():
    a, b = ReportDoc("r-a", "绵阳市"), ReportDoc("r-b", "南阳市")
    a.post("柯远山", "Chamber", "绵阳市青年商会")
    b.post("柯远山", "Enterprise", "南阳市卧龙纺织有限公司", "总经理")
    g = resolve([a.doc(), b.doc()])
    people = persons(g, "柯远山")
    assert len(people) == 2
    assert len({p.id for p in people}) == 2
    assert all("merge_reasons" not in p.props for p in people)
    posts = {e.source: e.target for e in g.edges if e.type == "HOLDS_POST"}
    assert set(posts) == {p.id for p in people}


def test_same_name_and_same_report_locality_merges():
    a, b = ReportDoc("r-a", "宜宾市"), ReportDoc("r-b", "宜宾市")
    a.post("余晓岚", "Chamber", "宜宾市女企业家商会")
    b.post("余晓岚", "Agency", "宜宾市侨联", "副主席")
    g = resolve([a.doc(), b.doc()])
    (person,) = persons(g, "余晓岚")
    assert person.props["merge_reasons"] == ["shared locality 宜宾市 (r-a, r-b)"]


def test_locality_of_an_organisation_they_hold_a_post_in_counts():
    a, b = ReportDoc("r-a"), ReportDoc("r-b", "遂宁市")
    a.post("余晓岚", "Chamber", "遂宁市女企业家商会")
    a.edge("LOCATED_IN", ("Chamber", "遂宁市女企业家商会"), ("Place", "遂宁市"), origin="gazetteer")
    b.post("余晓岚", "Agency", "遂宁市侨联", "副主席")
    g = resolve([a.doc(), b.doc()])
    (person,) = persons(g, "余晓岚")
    assert person.props["merge_reasons"] == ["shared locality 遂宁市 (r-a, r-b)"]


def test_liaison_and_participation_targets_count_as_shared_organisation():
    a, b = ReportDoc("r-a", "绵阳市"), ReportDoc("r-b", "南阳市")
    a.edge("LIAISES_WITH", ("Person", "钟启明"), ("Chamber", "南阳市眼镜行业协会"), role="联络员")
    b.post("钟启明", "Chamber", "南阳市眼镜行业协会", "秘书长")
    c = ReportDoc("r-c", "宜宾市")
    c.edge("PARTICIPATES_IN", ("Person", "钟启明"), ("Program", "远航计划"))
    d = ReportDoc("r-d", "遂宁市")
    d.edge("PARTICIPATES_IN", ("Person", "钟启明"), ("Program", "远航计划"))
    g = resolve([a.doc(), b.doc(), c.doc(), d.doc()])
    people = persons(g, "钟启明")
    assert sorted(p.reports for p in people) == [["r-a", "r-b"], ["r-c", "r-d"]]


def test_merging_is_transitive_across_a_chain_of_reports():
    a, b, c = ReportDoc("r-a", "绵阳市"), ReportDoc("r-b", "南阳市"), ReportDoc("r-c", "南阳市")
    a.post("柯远山", "Chamber", "绵阳市青年商会")
    b.post("柯远山", "Chamber", "绵阳市青年商会")
    c.post("柯远山", "Enterprise", "南阳市卧龙纺织有限公司")
    g = resolve([a.doc(), b.doc(), c.doc()])
    (person,) = persons(g, "柯远山")
    assert person.reports == ["r-a", "r-b", "r-c"]
    assert len(person.props["merge_reasons"]) == 2


def _two_unrelated_and_two_related():
    a, b = ReportDoc("r-a", "绵阳市"), ReportDoc("r-b", "南阳市", path="/in/nanyang.txt")
    a.post("柯远山", "Chamber", "绵阳市青年商会")
    b.post("柯远山", "Enterprise", "南阳市卧龙纺织有限公司")
    c, d = ReportDoc("r-c", "宜宾市"), ReportDoc("r-d", "宜宾市")
    c.post("余晓岚", "Chamber", "宜宾市女企业家商会")
    d.post("余晓岚", "Chamber", "宜宾市女企业家商会")
    return [x.doc() for x in (a, b, c, d)]


def test_override_same_wins_over_missing_context():
    docs = _two_unrelated_and_two_related()
    same = Overrides.from_dict({"same": [[{"name": "柯远山", "report": "r-a"},
                                          {"name": "柯远山", "report": "nanyang.txt"}]]})
    g = resolve(docs, same)
    (person,) = persons(g, "柯远山")
    assert person.reports == ["r-a", "r-b"]
    assert person.props["merge_reasons"] == ["override: same (r-a, nanyang.txt)"]


def test_override_not_same_wins_over_shared_organisation():
    docs = _two_unrelated_and_two_related()
    apart = Overrides.from_dict({"not_same": [[{"name": "余晓岚", "report": "r-c"},
                                               {"name": "余晓岚", "report": "r-d"}]]})
    g = resolve(docs, apart)
    assert sorted(p.reports for p in persons(g, "余晓岚")) == [["r-c"], ["r-d"]]
    assert len(persons(resolve(docs), "余晓岚")) == 1


def test_not_same_keeps_apart_even_through_a_third_report():
    a, b, c = ReportDoc("r-a", "宜宾市"), ReportDoc("r-b", "宜宾市"), ReportDoc("r-c", "宜宾市")
    for doc in (a, b, c):
        doc.post("余晓岚", "Chamber", "宜宾市女企业家商会")
    apart = Overrides.from_dict({"not_same": [[{"name": "余晓岚", "report": "r-a"},
                                               {"name": "余晓岚", "report": "r-c"}]]})
    g = resolve([a.doc(), b.doc(), c.doc()], apart)
    groups = sorted(p.reports for p in persons(g, "余晓岚"))
    assert len(groups) == 2
    assert not any({"r-a", "r-c"} <= set(r) for r in groups)


def test_contradicting_overrides_are_refused():
    docs = _two_unrelated_and_two_related()
    pair = [{"name": "柯远山", "report": "r-a"}, {"name": "柯远山", "report": "r-b"}]
    with pytest.raises(ConfigError, match="both the same person and not"):
        resolve(docs, Overrides.from_dict({"same": [pair], "not_same": [pair]}))


def test_unmatched_override_refs_are_listed():
    docs = _two_unrelated_and_two_related()
    ov = Overrides.from_dict({"same": [[{"name": "柯远山", "report": "r-a"},
                                        {"name": "无此人", "report": "r-zz"}]]})
    assert ov.unmatched(docs) == [PersonRef("无此人", "r-zz")]
    assert len(persons(resolve(docs, ov), "柯远山")) == 2


def test_person_ids_are_stable_across_runs_and_report_orders():
    docs = _two_unrelated_and_two_related()
    first = json.dumps(resolve(docs).to_dict(), ensure_ascii=False, sort_keys=True)
    for order in itertools.permutations(docs):
        assert json.dumps(resolve(list(order)).to_dict(), ensure_ascii=False, sort_keys=True) == first


def test_adding_an_unrelated_report_keeps_existing_person_ids():
    docs = _two_unrelated_and_two_related()
    before = {n.id for n in resolve(docs).nodes}
    extra = ReportDoc("r-e", "遂宁市")
    extra.post("钟启明", "Chamber", "遂宁市眼镜行业协会")
    after = {n.id for n in resolve(docs + [extra.doc()]).nodes}
    assert before < after


# ---------------------------------------------------------------- edges and documents

def test_symmetric_cooperation_stated_both_ways_is_one_edge():
    a, b = ReportDoc("r-a"), ReportDoc("r-b")
    a.edge("COOPERATES_WITH", ("Chamber", "绵阳市青年商会"), ("Institution", "绵阳科创研究院"), what="共建实验室")
    b.edge("COOPERATES_WITH", ("Institution", "绵阳科创研究院"), ("Chamber", "绵阳市青年商会"), what="人才培训")
    g = resolve([a.doc(), b.doc()])
    (coop,) = [e for e in g.edges if e.type == "COOPERATES_WITH"]
    assert coop.props["what"] == "共建实验室；人才培训"
    assert coop.reports == ["r-a", "r-b"]


def test_edge_origin_report_wins_over_gazetteer_and_dates_come_from_evidence():
    a, b = ReportDoc("r-a", date="2022-03-04"), ReportDoc("r-b", date="2024-01-02")
    a.edge("LOCATED_IN", ("Chamber", "绵阳市青年商会"), ("Place", "绵阳市"), origin="gazetteer")
    b.edge("LOCATED_IN", ("Chamber", "绵阳市青年商会"), ("Place", "绵阳市"))
    g = resolve([a.doc(), b.doc()])
    (loc,) = g.edges
    assert loc.origin == "report"
    assert evidence_dates(loc.evidence) == ["2022-03-04", "2024-01-02"]


def test_the_same_report_twice_counts_once():
    a = ReportDoc("r-a", "绵阳市")
    a.post("柯远山", "Chamber", "绵阳市青年商会")
    copy = a.doc()
    copy.reports = [Report("r-a", "报道 r-a", "2023-05-01", "测试日报", [], "/in/copy.txt", "绵阳市")]
    g = resolve([a.doc(), copy])
    assert [r.id for r in g.reports] == ["r-a"]
    assert all(len(n.evidence) == 1 for n in g.nodes)
    assert len(g.edges) == 1 and len(g.edges[0].evidence) == 1


def test_mentioned_in_edges_of_the_input_are_left_to_the_store():
    a = ReportDoc("r-a")
    cid = a.node("Chamber", "绵阳市青年商会")
    doc = a.doc()
    doc.edges.append(Edge(cid, "r-a", "MENTIONED_IN", {"count": 1}))
    g = resolve([doc])
    assert g.edges == []


def test_an_edge_to_an_unknown_node_names_the_report():
    a = ReportDoc("r-a", path="/in/broken.txt")
    cid = a.node("Chamber", "绵阳市青年商会")
    doc = a.doc()
    doc.edges.append(Edge(cid, "chamber-nowhere", "AFFILIATED_WITH"))
    with pytest.raises(RecordError, match="broken.txt"):
        resolve([doc])


# ---------------------------------------------------------------- overrides file

def test_overrides_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "overrides.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(ConfigError, match="overrides.json"):
        Overrides.load([bad])
    bad.write_text(json.dumps({"same": [[{"name": "甲乙"}]]}), "utf-8")
    with pytest.raises(ConfigError, match=r"overrides.json.*pair"):
        Overrides.load([bad])
    bad.write_text(json.dumps({"merge": []}), "utf-8")
    with pytest.raises(ConfigError, match="overrides.json"):
        Overrides.load([bad])


def test_overrides_files_combine(tmp_path):
    one, two = tmp_path / "a.json", tmp_path / "b.json"
    one.write_text(json.dumps({"same": [[{"name": "甲乙", "report": "r-1"}, {"name": "甲乙", "report": "r-2"}]]}))
    two.write_text(json.dumps({"not_same": [[{"name": "丙丁", "report": "r-1"}, {"name": "丙丁", "report": "r-3"}]]}))
    ov = Overrides.load([one, two])
    assert ov.same == ((PersonRef("甲乙", "r-1"), PersonRef("甲乙", "r-2")),)
    assert ov.not_same == ((PersonRef("丙丁", "r-1"), PersonRef("丙丁", "r-3")),)


# ---------------------------------------------------------------- property: order never matters

_NAMES = ["柯远山", "余晓岚", "钟启明"]
_ORGS = [("Chamber", "绵阳市青年商会"), ("Enterprise", "南阳市卧龙纺织有限公司"), ("Agency", "宜宾市侨联")]
_PLACES = ["", "绵阳市", "南阳市"]

_report = st.tuples(st.sampled_from(_PLACES),
                    st.lists(st.tuples(st.sampled_from(_NAMES), st.sampled_from(_ORGS)), max_size=3))


@settings(max_examples=60, deadline=None)
@given(st.lists(_report, min_size=1, max_size=5), st.randoms(use_true_random=False))
def test_resolution_does_not_depend_on_report_order(reports, rnd):
    docs = []
    for i, (place, posts) in enumerate(reports):
        r = ReportDoc(f"r-{i:02d}", place)
        for person, (otype, org) in posts:
            r.post(person, otype, org)
        docs.append(r.doc())
    shuffled = list(docs)
    rnd.shuffle(shuffled)
    assert resolve(shuffled).to_dict() == resolve(docs).to_dict()
