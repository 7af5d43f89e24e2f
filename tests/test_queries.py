"""Query modules on a small graph built by hand, in a real embedded store,
with the exact rows each must return; parameter checks, the module headers,
output formats and the `query` / `cypher` commands.

Every name is invented; the places are real (Sichuan) but not those of the
seed reports. The same modules on the seed graph, in both stores, are in
test_query_parity.py.
"""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from ufgraph.cli import main
from ufgraph.errors import QueryError
from ufgraph.graph.embedded import EmbeddedStore
from ufgraph.graph.model import Edge, Evidence, GraphDocument, Node, Report
from ufgraph.graph.names import node_id
from ufgraph.graph.ontology import load_ontology
from ufgraph.queries import (get_query, list_queries, prepare, query_params, read_query, run_cypher,
                             run_query)
from ufgraph.queries.catalog import parse_module, parse_variant
from ufgraph.queries.output import format_frame
from ufgraph.queries.params import fill_placeholders
from ufgraph.queries.results import module_frame

RA, RB, RC = "r-a000000000000001", "r-b000000000000002", "r-c000000000000003"
TITLE = {RA: "绵阳市工商联换届大会侧记", RB: "青义镇商会党建观察", RC: "园区企业座谈纪要"}
DATE = {RA: "2023-03-01", RB: "2024-05-20", RC: ""}

# Sentences by report, in reading order (the index gives the offset).
SENTENCES = {
    RA: ["绵阳市工商联召开换届大会，岳明远当选副主席，童书宁任党组书记。",
         "青义镇商会会长岳明远表示，商会是市工商联的所属商会。",
         "绵阳市委统战部副部长童书宁出席并讲话。",
         "市工商联主办“春笋计划”，培育年轻一代民营经济人士。",
         "童书宁担任“春笋计划”导师。"],
    RB: ["青义镇商会党支部成立以来，会长岳明远带头参加组织生活。",
         "绵阳市家具行业协会秘书长闵晓川参加了“春笋计划”，协会隶属市工商联。",
         "绵阳市委统战部与家具行业协会建立挂钩联系。",
         "青义镇商会组织会员参加“春笋计划”。"],
    RC: ["绵阳星梭纺织有限公司董事长岳明远介绍，公司与家具行业协会共建实训基地。",
         "首届涪城民营经济论坛由市工商联举办。"],
}
SA1, SA2, SA3, SA4, SA5 = SENTENCES[RA]
SB1, SB2, SB3, SB4 = SENTENCES[RB]
SC1, SC2 = SENTENCES[RC]

FED, CH1, CH2 = "绵阳市工商联", "绵阳市涪城区青义镇商会", "绵阳市家具行业协会"
PARTY, AGENCY, FIRM = "青义镇商会党支部", "绵阳市委统战部", "绵阳星梭纺织有限公司"
PROG, EVENT = "春笋计划", "首届涪城民营经济论坛"
YUE, TONG, MIN = "岳明远", "童书宁", "闵晓川"
SICHUAN, MIANYANG, FUCHENG, QINGYI = "四川省", "绵阳市", "涪城区", "青义镇"

TYPES = {FED: "Federation", CH1: "Chamber", CH2: "Chamber", PARTY: "PartyOrg", AGENCY: "Agency",
         FIRM: "Enterprise", PROG: "Program", EVENT: "Event", YUE: "Person", TONG: "Person", MIN: "Person",
         SICHUAN: "Place", MIANYANG: "Place", FUCHENG: "Place", QINGYI: "Place"}
ALIASES = {FED: ["市工商联", "绵阳市总商会"], CH1: ["青义镇商会"], CH2: ["家具行业协会"], PROG: ["Spring计划"]}
# Which sentences mention each node.
MENTIONS = {FED: [SA1, SA2, SA4, SB2, SC2], CH1: [SA2, SB1, SB4], CH2: [SB2, SB3, SC1], PARTY: [SB1],
            AGENCY: [SA3, SB3], FIRM: [SC1], PROG: [SA4, SA5, SB2, SB4], EVENT: [SC2],
            YUE: [SA1, SA2, SB1, SC1], TONG: [SA1, SA3, SA5], MIN: [SB2], MIANYANG: [SA1], QINGYI: [SA2]}
# (source, type, target, props, sentences); no sentences: reference data (gazetteer).
LINKS = [
    (CH1, "AFFILIATED_WITH", FED, {}, [SA2]),
    (CH2, "AFFILIATED_WITH", FED, {}, [SB2]),
    (PARTY, "PARTY_ORG_OF", CH1, {}, [SB1]),
    (YUE, "HOLDS_POST", CH1, {"title": "会长"}, [SA2, SB1]),
    (YUE, "HOLDS_POST", FED, {"title": "副主席"}, [SA1]),
    (YUE, "HOLDS_POST", FIRM, {"title": "董事长"}, [SC1]),
    (TONG, "HOLDS_POST", AGENCY, {"title": "副部长"}, [SA3]),
    (TONG, "HOLDS_POST", FED, {"title": "党组书记"}, [SA1]),
    (TONG, "HOLDS_POST", PROG, {"title": "导师"}, [SA5]),
    (MIN, "HOLDS_POST", CH2, {"title": "秘书长"}, [SB2]),
    (AGENCY, "LIAISES_WITH", CH2, {"role": "挂钩联系"}, [SB3]),
    (FED, "RUNS", PROG, {"role": "主办"}, [SA4]),
    (FED, "RUNS", EVENT, {"role": "举办"}, [SC2]),
    (CH1, "PARTICIPATES_IN", PROG, {}, [SB4]),
    (MIN, "PARTICIPATES_IN", PROG, {}, [SB2]),
    (FIRM, "COOPERATES_WITH", CH2, {"what": "共建实训基地"}, [SC1]),
    (CH1, "LOCATED_IN", QINGYI, {}, [SA2]),
    (FED, "LOCATED_IN", MIANYANG, {}, []),
    (AGENCY, "LOCATED_IN", MIANYANG, {}, []),
    (FIRM, "LOCATED_IN", FUCHENG, {}, []),
    (QINGYI, "LOCATED_IN", FUCHENG, {}, []),
    (FUCHENG, "LOCATED_IN", MIANYANG, {}, []),
    (MIANYANG, "LOCATED_IN", SICHUAN, {}, []),
]


def ident(name: str) -> str:
    return node_id(TYPES[name], name)


def evidence(sentence: str, rule: str = "hand") -> Evidence:
    report = next(r for r, sentences in SENTENCES.items() if sentence in sentences)
    start = SENTENCES[report].index(sentence) * 100
    return Evidence(report, sentence, start, start + len(sentence), rule, DATE[report])


def hand_graph() -> GraphDocument:
    reports = [Report(r, TITLE[r], DATE[r], "样稿", [], f"{r}.txt") for r in (RA, RB, RC)]
    nodes = [Node(ident(name), kind, name, ALIASES.get(name, []), [evidence(s) for s in MENTIONS.get(name, [])])
             for name, kind in TYPES.items()]
    edges = [Edge(ident(s), ident(t), rel, props, [evidence(x) for x in sentences],
                  "report" if sentences else "gazetteer")
             for s, rel, t, props, sentences in LINKS]
    return GraphDocument(reports, nodes, edges)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("queries") / "store"
    with EmbeddedStore(folder) as s:
        s.replace(hand_graph())
        yield s


def rows(df: pd.DataFrame) -> list[dict]:
    """Plain rows: missing values as None, so they compare with ==."""
    return df.astype(object).where(df.notna(), None).to_dict("records")


def table(df: pd.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(r[c] for c in columns) for r in rows(df)]


# ---------------------------------------------------------------- each module, exact rows

def test_search_finds_names_and_aliases_in_name_order(store):
    assert rows(run_query(store, "search", text="商会")) == [
        {"name": FED, "type": "Federation", "aliases": ["市工商联", "绵阳市总商会"], "report_count": 3,
         "id": ident(FED)},
        {"name": CH1, "type": "Chamber", "aliases": ["青义镇商会"], "report_count": 2, "id": ident(CH1)},
        {"name": PARTY, "type": "PartyOrg", "aliases": [], "report_count": 1, "id": ident(PARTY)},
    ]


def test_search_ignores_case_and_filters_types_and_limits(store):
    assert table(run_query(store, "search", text="spring"), "name", "type") == [(PROG, "Program")]
    assert table(run_query(store, "search", text="SPRING计"), "name", "type") == [(PROG, "Program")]
    assert table(run_query(store, "search", text="商会", types="Chamber,PartyOrg"), "name") == [(CH1,), (PARTY,)]
    assert table(run_query(store, "search", text="商会", types=["PartyOrg"]), "name") == [(PARTY,)]
    assert table(run_query(store, "search", text="商会", limit=1), "name") == [(FED,)]


def test_profile_lists_every_link_and_the_reports(store):
    assert rows(run_query(store, "profile", name=TONG)) == [
        {"entity": TONG, "entity_type": "Person", "rel": "HOLDS_POST", "direction": "out", "other": PROG,
         "other_type": "Program", "detail": "导师", "reports": [RA], "entity_id": ident(TONG)},
        {"entity": TONG, "entity_type": "Person", "rel": "HOLDS_POST", "direction": "out", "other": AGENCY,
         "other_type": "Agency", "detail": "副部长", "reports": [RA], "entity_id": ident(TONG)},
        {"entity": TONG, "entity_type": "Person", "rel": "HOLDS_POST", "direction": "out", "other": FED,
         "other_type": "Federation", "detail": "党组书记", "reports": [RA], "entity_id": ident(TONG)},
        {"entity": TONG, "entity_type": "Person", "rel": "MENTIONED_IN", "direction": "out", "other": TITLE[RA],
         "other_type": "Report", "detail": DATE[RA], "reports": [RA], "entity_id": ident(TONG)},
    ]


def test_profile_by_alias_has_links_in_both_directions(store):
    assert table(run_query(store, "profile", name="青义镇商会"), "rel", "direction", "other", "detail", "reports") == [
        ("AFFILIATED_WITH", "out", FED, None, [RA]),
        ("HOLDS_POST", "in", YUE, "会长", [RA, RB]),
        ("LOCATED_IN", "out", QINGYI, None, [RA]),
        ("MENTIONED_IN", "out", TITLE[RA], DATE[RA], [RA]),
        ("MENTIONED_IN", "out", TITLE[RB], DATE[RB], [RB]),
        ("PARTICIPATES_IN", "out", PROG, None, [RB]),
        ("PARTY_ORG_OF", "in", PARTY, None, [RB]),
    ]


def test_people_of_gives_titles_reports_and_dates(store):
    assert rows(run_query(store, "people-of", org="市工商联")) == [
        {"person": YUE, "title": "副主席", "org": FED, "reports": [RA], "dates": [DATE[RA]], "person_id": ident(YUE)},
        {"person": TONG, "title": "党组书记", "org": FED, "reports": [RA], "dates": [DATE[RA]],
         "person_id": ident(TONG)},
    ]
    assert table(run_query(store, "people-of", org=ident(CH1)), "person", "reports", "dates") == [
        (YUE, [RA, RB], [DATE[RA], DATE[RB]])]
    # An undated report gives no date: an empty list, not a null.
    assert table(run_query(store, "people-of", org=FIRM), "person", "title", "dates") == [(YUE, "董事长", [])]


def test_interlocks_counts_organisations_only_by_default(store):
    assert rows(run_query(store, "interlocks")) == [
        {"person": YUE, "organisations": 3, "orgs": [FED, CH1, FIRM],
         "posts": [f"{FED}（副主席）", f"{CH1}（会长）", f"{FIRM}（董事长）"], "person_id": ident(YUE)},
        {"person": TONG, "organisations": 2, "orgs": [AGENCY, FED],
         "posts": [f"{AGENCY}（副部长）", f"{FED}（党组书记）"], "person_id": ident(TONG)},
    ]
    assert table(run_query(store, "interlocks", min=3), "person") == [(YUE,)]
    assert table(run_query(store, "interlocks", min=3, types="all"), "person", "organisations") == [
        (YUE, 3), (TONG, 3)]


def test_paths_gives_every_shortest_path_hop_by_hop(store):
    assert rows(run_query(store, "paths", a=MIN, b=FED)) == [
        {"length": 2, "names": [MIN, PROG, FED], "types": ["Person", "Program", "Federation"],
         "rels": ["PARTICIPATES_IN", "RUNS"], "forward": [True, False], "details": [None, "主办"],
         "sentences": [[SB2], [SA4]]},
        {"length": 2, "names": [MIN, CH2, FED], "types": ["Person", "Chamber", "Federation"],
         "rels": ["HOLDS_POST", "AFFILIATED_WITH"], "forward": [True, True], "details": ["秘书长", None],
         "sentences": [[SB2], [SB2]]},
    ]
    assert table(run_query(store, "paths", a=MIN, b=TONG), "names", "rels", "forward") == [
        ([MIN, PROG, TONG], ["PARTICIPATES_IN", "HOLDS_POST"], [True, False])]


def test_paths_beyond_hops_is_an_empty_frame_with_the_columns(store):
    df = run_query(store, "paths", a=MIN, b=FED, hops=1)
    assert df.empty and list(df.columns) == list(get_query("paths").columns)


def test_ego_gives_distances_and_filters_types(store):
    assert rows(run_query(store, "ego", name=MIN, depth=1)) == [
        {"centre": MIN, "name": PROG, "type": "Program", "distance": 1, "id": ident(PROG)},
        {"centre": MIN, "name": CH2, "type": "Chamber", "distance": 1, "id": ident(CH2)},
    ]
    assert table(run_query(store, "ego", name=MIN), "name", "distance") == [
        (PROG, 1), (CH2, 1), (TONG, 2), (AGENCY, 2), (FED, 2), (CH1, 2), (FIRM, 2)]
    assert table(run_query(store, "ego", name=MIN, types="Chamber"), "name", "distance") == [(CH2, 1), (CH1, 2)]


def test_chambers_of_says_which_chambers_have_a_party_organisation(store):
    assert rows(run_query(store, "chambers-of", federation="绵阳市总商会")) == [
        {"chamber": CH2, "has_party_org": False, "party_orgs": [], "federation": FED, "chamber_id": ident(CH2)},
        {"chamber": CH1, "has_party_org": True, "party_orgs": [PARTY], "federation": FED, "chamber_id": ident(CH1)},
    ]


def test_liaisons_show_the_posts_around_both_ends(store):
    expected = [{"liaison": AGENCY, "liaison_type": "Agency", "role": "挂钩联系", "counterpart": CH2,
                 "counterpart_type": "Chamber", "liaison_posts": [f"{TONG}（副部长）"],
                 "counterpart_posts": [f"{MIN}（秘书长）"], "reports": [RB]}]
    assert rows(run_query(store, "liaisons")) == expected
    assert rows(run_query(store, "liaisons", name="家具行业协会")) == expected
    assert run_query(store, "liaisons", name=MIN).empty


def test_programme_gives_organisers_participants_posts_and_reports(store):
    assert table(run_query(store, "programme", name=PROG), "role", "who", "who_type", "detail", "reports") == [
        ("organiser", FED, "Federation", "主办", [RA]),
        ("participant", CH1, "Chamber", None, [RB]),
        ("participant", MIN, "Person", None, [RB]),
        ("post", TONG, "Person", "导师", [RA]),
        ("report", TITLE[RA], "Report", DATE[RA], [RA]),
        ("report", TITLE[RB], "Report", DATE[RB], [RB]),
    ]


def test_place_follows_located_in_chains(store):
    assert rows(run_query(store, "place", name=SICHUAN)) == [
        {"organisation": AGENCY, "type": "Agency", "located_in": [MIANYANG], "place": SICHUAN,
         "organisation_id": ident(AGENCY)},
        {"organisation": FED, "type": "Federation", "located_in": [MIANYANG], "place": SICHUAN,
         "organisation_id": ident(FED)},
        {"organisation": CH1, "type": "Chamber", "located_in": [QINGYI], "place": SICHUAN,
         "organisation_id": ident(CH1)},
        {"organisation": FIRM, "type": "Enterprise", "located_in": [FUCHENG], "place": SICHUAN,
         "organisation_id": ident(FIRM)},
    ]
    assert table(run_query(store, "place", name=FUCHENG), "organisation") == [(CH1,), (FIRM,)]
    assert table(run_query(store, "place", name=SICHUAN, types="Place"), "organisation", "located_in") == [
        (FUCHENG, [MIANYANG]), (MIANYANG, [SICHUAN]), (QINGYI, [FUCHENG])]


def test_evidence_gives_each_report_its_own_sentences(store):
    assert rows(run_query(store, "evidence", a=YUE, b="青义镇商会")) == [
        {"source": YUE, "rel": "HOLDS_POST", "target": CH1, "detail": "会长", "report": RA,
         "report_title": TITLE[RA], "date": DATE[RA], "sentences": [SA2]},
        {"source": YUE, "rel": "HOLDS_POST", "target": CH1, "detail": "会长", "report": RB,
         "report_title": TITLE[RB], "date": DATE[RB], "sentences": [SB1]},
    ]
    # Either order of the two names finds the link.
    assert table(run_query(store, "evidence", a="市工商联", b=YUE), "source", "target", "sentences") == [
        (YUE, FED, [SA1])]


def test_timeline_orders_links_by_report_date(store):
    assert table(run_query(store, "timeline", name=YUE), "date", "report", "rel", "direction", "other", "detail",
                 "sentences") == [
        ("", RC, "HOLDS_POST", "out", FIRM, "董事长", [SC1]),
        (DATE[RA], RA, "HOLDS_POST", "out", FED, "副主席", [SA1]),
        (DATE[RA], RA, "HOLDS_POST", "out", CH1, "会长", [SA2]),
        (DATE[RB], RB, "HOLDS_POST", "out", CH1, "会长", [SB1]),
    ]
    # Reference-data links have no report, so no place on a timeline.
    assert table(run_query(store, "timeline", name=MIANYANG), "rel") == []


def test_report_lists_its_entities_then_its_links(store):
    df = run_query(store, "report", report=TITLE[RB])
    entities = [r for r in rows(df) if r["section"] == "entity"]
    links = [r for r in rows(df) if r["section"] == "link"]
    assert [(r["source"], r["source_type"], r["detail"], r["mentions"]) for r in entities] == [
        (YUE, "Person", SB1, 1), (PROG, "Program", SB2, 2), (AGENCY, "Agency", SB3, 1), (CH2, "Chamber", SB2, 2),
        (FED, "Federation", SB2, 1), (CH1, "Chamber", SB1, 2), (MIN, "Person", SB2, 1), (PARTY, "PartyOrg", SB1, 1)]
    assert {(r["rel"], r["target"], r["target_type"], r["sentences"], r["report"]) for r in entities} == {
        ("MENTIONED_IN", TITLE[RB], "Report", None, RB)}
    assert [(r["source"], r["rel"], r["target"], r["detail"], r["mentions"], r["sentences"]) for r in links] == [
        (YUE, "HOLDS_POST", CH1, "会长", None, [SB1]),  # its other sentence is from another report
        (AGENCY, "LIAISES_WITH", CH2, "挂钩联系", None, [SB3]),
        (CH2, "AFFILIATED_WITH", FED, None, None, [SB2]),
        (CH1, "PARTICIPATES_IN", PROG, None, None, [SB4]),
        (MIN, "HOLDS_POST", CH2, "秘书长", None, [SB2]),
        (MIN, "PARTICIPATES_IN", PROG, None, None, [SB2]),
        (PARTY, "PARTY_ORG_OF", CH1, None, None, [SB1]),
    ]
    assert rows(run_query(store, "report", report=RB)) == rows(df)
    assert str(df["mentions"].dtype) == "Int64"  # counts stay integers beside the link rows' nulls


def test_every_module_has_a_test_here():
    tested = set(re.findall(r'run_query\(store, "([a-z-]+)"', open(__file__, encoding="utf-8").read()))
    assert {m.name for m in list_queries()} <= tested


def test_a_name_matching_nothing_gives_the_columns_and_no_rows(store):
    for module in list_queries():
        names = {p.name: "无此名称" for p in module.params if p.type == "STRING"} or {"min": 100}
        df = run_query(store, module.name, **names)
        assert df.empty and list(df.columns) == list(module.columns), module.name



def separator_graph() -> GraphDocument:
    """One entity named 甲 with the alias 乙, and one whose name 甲|乙 holds the separator of
    `forms` (graph/store.entity_forms): the text lookup alone would take either for the other."""
    return GraphDocument([], [Node("sep-a", "Chamber", "甲", ["乙"], []),
                              Node("sep-b", "Chamber", "甲|乙", [], [])], [])


def lookups(store) -> dict[str, list[str]]:
    """The ids `search` finds for texts around the separator."""
    return {name: sorted(run_query(store, "search", text=name)["id"])
            for name in ("甲|乙", "乙", "|", "乙|甲")}


EXPECTED_LOOKUPS = {"甲|乙": ["sep-b"], "乙": ["sep-a", "sep-b"], "|": ["sep-b"], "乙|甲": []}


def test_a_name_holding_the_forms_separator_is_found_only_by_its_own_forms(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        store.replace(separator_graph())
        assert lookups(store) == EXPECTED_LOOKUPS
        assert entity_ids(store) == {"甲|乙": ["sep-b"], "乙": ["sep-a"], "甲": ["sep-a"], "乙|甲": []}


@pytest.mark.neo4j
def test_neo4j_finds_a_name_holding_the_forms_separator_only_by_its_own_forms(neo4j_driver, neo4j_server):
    from ufgraph.graph.neo4j_store import Neo4jStore
    store = Neo4jStore(neo4j_driver, neo4j_server.database)
    store.replace(separator_graph())
    assert lookups(store) == EXPECTED_LOOKUPS
    assert entity_ids(store) == {"甲|乙": ["sep-b"], "乙": ["sep-a"], "甲": ["sep-a"], "乙|甲": []}


def entity_ids(store) -> dict[str, list[str]]:
    """The ids the modules' name lookup finds: ego's first clause, as the module has it."""
    out = {}
    for name in ("甲|乙", "乙", "甲", "乙|甲"):
        cypher, values = prepare("ego", store.name, {"name": name, "depth": 1})
        head = cypher.split("MATCH p")[0] + "RETURN c.id AS id"
        out[name] = sorted(r["id"] for r in store.run(head, {"name": name}))
    return out



_NO_LINK_INDEX = ["DROP TABLE UfgraphLinkSource", "DROP TABLE UfgraphLinkTarget", "DROP TABLE UfgraphLinkReports",
                  "DROP TABLE UfgraphLink"]


@pytest.mark.parametrize("older, module, params", [
    (["ALTER TABLE Entity DROP forms"], "search", {"text": "甲"}),
    (["ALTER TABLE Entity DROP post_types"], "interlocks", {}),
    (["ALTER TABLE Entity DROP report_count"], "search", {"text": "甲"}),
    (["DROP TABLE UfgraphNames", "DROP TABLE UfgraphName"], "people-of", {"org": "甲"}),
    (_NO_LINK_INDEX, "report", {"report": "r-1"}),
    (_NO_LINK_INDEX, "timeline", {"name": "甲"}),
])
def test_a_store_written_before_a_property_or_table_is_named_as_one_to_refresh(tmp_path, older, module, params):
    import kuzu
    with EmbeddedStore(tmp_path / "store") as store:
        store.replace(separator_graph())
    database = tmp_path / "store" / (tmp_path / "store" / "CURRENT").read_text().strip() / "graph.kz"
    db = kuzu.Database(str(database))
    conn = kuzu.Connection(db)
    for statement in older:  # the layout of stores written before it
        conn.execute(statement)
    conn.close()
    db.close()
    with EmbeddedStore(tmp_path / "store") as store:
        with pytest.raises(QueryError, match=r"written by an older ufgraph; `ufgraph refresh` writes it again"):
            run_query(store, module, **params)

# ---------------------------------------------------------------- parameters and module choice

def test_an_unknown_module_is_refused_with_the_known_ones():
    with pytest.raises(QueryError, match=r"unknown query 'peeple-of'; known queries: .*people-of"):
        read_query("peeple-of", "embedded")


def test_an_undeclared_parameter_is_refused(store):
    with pytest.raises(QueryError, match=r"query 'people-of' takes no parameter organisation; it takes: org, limit"):
        run_query(store, "people-of", organisation=FED)


@pytest.mark.parametrize("params,message", [
    ({}, r"needs the parameter org \(STRING, required\)"),
    ({"org": ""}, r"parameter org: must not be empty"),
    ({"org": 3}, r"parameter org: expected STRING, got int 3"),
    ({"org": FED, "limit": "10"}, r"parameter limit: expected INT, got str '10'"),
    ({"org": FED, "limit": True}, r"parameter limit: expected INT, got bool"),
    ({"org": FED, "limit": 0}, r"parameter limit: 0 is outside 1..10000"),
])
def test_declared_parameters_are_type_checked(store, params, message):
    with pytest.raises(QueryError, match=message):
        run_query(store, "people-of", **params)


def test_node_types_are_checked_against_the_ontology(store):
    with pytest.raises(QueryError, match=r"parameter types: unknown node type 'Chambre'; known types: Federation"):
        run_query(store, "search", text="商会", types="Chamber,Chambre")
    with pytest.raises(QueryError, match="name at least one node type"):
        run_query(store, "search", text="商会", types=" , ")


def test_cli_text_parameters_are_converted_to_their_types():
    assert query_params("ego", ["name=某商会", "depth=3", "types=Person,Chamber"]) == {
        "name": "某商会", "depth": 3, "types": ["Person", "Chamber"], "limit": 500}
    with pytest.raises(QueryError, match=r"parameter depth: 'three' is not an integer"):
        query_params("ego", ["name=某商会", "depth=three"])
    with pytest.raises(QueryError, match="not of the form key=value"):
        query_params("ego", ["name"])
    with pytest.raises(QueryError, match="given twice"):
        query_params("ego", ["name=a", "name=b"])


def test_a_bound_enters_the_text_only_as_a_checked_int():
    text, values = prepare("ego", "neo4j", {"name": "某商会", "depth": 3})
    assert "*1..3]-(n:Entity)" in text and "{{" not in text and values["name"] == "某商会"
    assert "某商会" not in text  # the value itself travels as $name
    module = get_query("ego")
    for bad in ("3]-() DETACH DELETE (n", 3.0, True, 9):
        with pytest.raises(QueryError, match="depth must be an integer from 1 to 4"):
            fill_placeholders(module, read_query("ego", "neo4j"), {"depth": bad})



def test_named_becomes_each_store_s_exact_lookup_of_a_string_parameter():
    neo, _ = prepare("liaisons", "neo4j", {"name": "某商会"})
    embedded, _ = prepare("ego", "embedded", {"name": "某商会"})
    assert "s.forms CONTAINS toLower('|' + $name + '|')" in neo and "{{" not in neo
    assert "(c.id = $name OR c.name = $name OR $name IN c.aliases)" in embedded and "forms" not in embedded
    module = parse_module("// name: x\n// answers: a?\n// param: n INT = 1 in 1..3 — d\n// columns: a\n"
                          "// order: none\nMATCH (e:Entity) WHERE {{named(e, $n)}} RETURN e.id AS a", "queries/x.cypher")
    with pytest.raises(QueryError, match=r"queries/x.cypher: \{\{named\(e, \$n\)\}\} names no STRING parameter"):
        fill_placeholders(module, module.text, {"n": 1}, "embedded")


def test_lookup_becomes_each_store_s_clause_binding_the_entities_a_string_parameter_names():
    neo, _ = prepare("chambers-of", "neo4j", {"federation": "某商会"})
    embedded, _ = prepare("chambers-of", "embedded", {"federation": "某商会"})
    assert neo.startswith("MATCH (f:Entity) WHERE (f.id = $federation OR f.name = $federation OR (f.forms CONTAINS")
    assert embedded.startswith("MATCH (:UfgraphName {key: $federation})-[:UfgraphNames]->(f:Entity)\n")
    hinted, _ = prepare("people-of", "embedded", {"org": "某商会"})  # name_key: a pattern's start
    assert hinted.startswith("MATCH (o_key:UfgraphName {key: $org})-[o_name:UfgraphNames]->(o:Entity)<-[r:HOLDS_POST]-")
    assert "{{" not in neo + embedded + hinted and "某商会" not in neo + embedded + hinted
    module = parse_module("// name: x\n// answers: a?\n// param: n INT = 1 in 1..3 — d\n// param: s STRING = 'a' — d\n"
                          "// columns: a\n// order: none\n{{lookup(e, $n)}} RETURN e.id AS a", "queries/x.cypher")
    with pytest.raises(QueryError, match=r"queries/x.cypher: \{\{lookup\(e, \$n\)\}\} names no STRING parameter"):
        fill_placeholders(module, module.text, {"n": 1}, "embedded")
    with pytest.raises(QueryError, match=r"\{\{name_key\(e, \$s\)\}\} serves the embedded store's variants only"):
        fill_placeholders(module, "MATCH {{name_key(e, $s)}} RETURN e.id AS a", {"s": "a"}, "neo4j")


def test_report_links_becomes_the_walk_through_the_embedded_store_s_index_of_links_by_report():
    embedded, _ = prepare("report", "embedded", {"report": "r-1"})
    assert ("MATCH (s:Entity)<-[:UfgraphLinkSource]-(l:UfgraphLink)-[l_in:UfgraphLinkReports]->(rep)\n"
            "MATCH (l)-[:UfgraphLinkTarget]->(t:Entity)\n") in embedded
    assert "{{" not in embedded and "UfgraphLink" not in prepare("report", "neo4j", {"report": "r-1"})[0]
    module = parse_module("// name: x\n// answers: a?\n// columns: a\n// order: none\nRETURN 1 AS a", "queries/x.cypher")
    with pytest.raises(QueryError, match=r"\{\{report_links\(s, l, t, r\)\}\} serves the embedded store's variants only"):
        fill_placeholders(module, "MATCH (r:Report) {{report_links(s, l, t, r)}} RETURN 1 AS a", {}, "neo4j")

def test_a_placeholder_left_unfilled_is_refused_by_name():
    module = parse_module("// name: x\n// answers: a?\n// columns: a\n// order: none\nRETURN 1 AS a", "queries/x.cypher")
    for text in ("MATCH (a)-[r]->(b)\n{{hint(a JOIN r)}}\nRETURN 1 AS a", "{{lookup(e, name)}} RETURN e.id AS a"):
        with pytest.raises(QueryError, match=r"queries/x.cypher: \{\{.+\}\} is no placeholder this store fills"):
            fill_placeholders(module, text, {}, "embedded")


def test_variants_serve_their_store_only():
    assert "label(r)" in read_query("evidence", "embedded") and "type(r)" not in read_query("evidence", "embedded")
    assert "type(r)" in read_query("evidence", "neo4j")
    assert read_query("chambers-of", "embedded") == read_query("chambers-of", "neo4j")
    with pytest.raises(QueryError, match="unknown store kind"):
        read_query("people-of", "sqlite")


# ---------------------------------------------------------------- the module files

def test_every_module_declares_what_it_answers_and_its_columns():
    modules = list_queries()
    assert len(modules) >= 13
    for module in modules:
        assert module.answers.endswith("?") and module.columns and module.order, module.name
        for param in module.params:
            assert param.doc and (param.required or param.default is not None), (module.name, param.name)


def test_every_parameter_used_is_declared_and_every_declared_one_is_used():
    for module in list_queries():
        for text in (module.text, *module.variants.values()):
            used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", text))
            used |= set(re.findall(r"\{\{\s*([a-z_]+)\s*\}\}", text)) - {"links", "liaison_table"}
            assert used == {p.name for p in module.params}, module.name


def test_labels_and_relationship_types_in_the_modules_are_the_ontology_s():
    onto = load_ontology()
    for module in list_queries():
        for text in (module.text, *module.variants.values()):
            for label in re.findall(r"\(\s*\w*\s*:\s*([A-Za-z_]+)", text):
                assert label in {"Entity", "Report"}, (module.name, label)
            for types in re.findall(r"\[\s*\w*\s*:\s*([A-Za-z_|]+)", text):
                for rel in types.split("|"):
                    assert onto.check_rel_type(rel) == rel, (module.name, rel)
            for literal in re.findall(r"'([A-Z][A-Za-z]+)'", text):
                assert literal in onto.node_types or literal in onto.rel_types, (module.name, literal)


@pytest.mark.parametrize("text,message", [
    ("// name: x\n// answers: a?\n// order: none\nRETURN 1", "no `// columns:` line"),
    ("// name: x\n// answers: a?\n// columns: a\n// order: none\n// colour: red\nRETURN 1", "unknown header key 'colour'"),
    ("// name: x\n// answers: a?\n// columns: a\n// order: none\n// param: n STRING maybe — d\nRETURN 1",
     "cannot read `// param: n STRING maybe"),
    ("// name: x\n// answers: a?\n// columns: a\n// order: none\n// param: n TEXT (required) — d\nRETURN 1",
     "unknown type TEXT"),
    ("// name: x\n// answers: a?\n// columns: a\n// order: none\n// sort: b\nRETURN 1", "names ['b'], which are not"),
    ("// name: x\n// answers: a?\n// columns: a\n// order: none\n", "no query after the header"),
    ("// name: x\n// answers: a?\n// columns: a, b, c\n// order: none\n// unnest: a as b, c\nRETURN 1",
     "LIST not itself a column"),
    ("// name: x\n// answers: a?\n// columns: a, b, c\n// order: none\n// unnest: l as b, d\nRETURN 1",
     "stand together, in order: ['b', 'd']"),
    ("// name: x\n// answers: a?\n// columns: a, b, c\n// order: none\n// unnest: l as a, c\nRETURN 1",
     "stand together"),
    ("// name: x\n// answers: a?\n// columns: a, b, c\n// order: none\n// unnest: l b, c\nRETURN 1",
     "takes `LIST as COLUMN"),
])
def test_a_malformed_header_names_the_file_and_the_problem(text, message):
    with pytest.raises(QueryError, match=re.escape(f"queries/x.cypher: ") + ".*" + re.escape(message)):
        parse_module(text, "queries/x.cypher")



def test_an_unnested_column_becomes_one_row_per_item_in_the_declared_columns():
    module = parse_module("// name: x\n// answers: a?\n// columns: a, b, c, d\n// order: none\n"
                          "// unnest: l as b, c\nRETURN 1", "queries/x.cypher")
    assert module.returned_columns == ("a", "l", "d")
    rows = module_frame(module, [{"a": 1, "l": [["x", "y"], ["z", "w"]], "d": 2},
                                 {"a": 3, "l": [], "d": 4}])
    assert rows.to_dict("records") == [{"a": 1, "b": "x", "c": "y", "d": 2}, {"a": 1, "b": "z", "c": "w", "d": 2}]
    with pytest.raises(QueryError, match=r"queries/x.cypher: returned columns \['a', 'b', 'c', 'd'\]"):
        module_frame(module, [{"a": 1, "b": "x", "c": "y", "d": 2}])
    with pytest.raises(QueryError, match=r"l holds \['x'\], not one value for each of \['b', 'c'\]"):
        module_frame(module, [{"a": 1, "l": [["x"]], "d": 2}])

@pytest.mark.parametrize("sort", ["b", "a, b, c, d"])
def test_rows_come_out_in_one_order_whatever_order_a_store_returns_them_in(sort):
    # Declared columns first; rows they tie are ordered by every other column, nulls last, so
    # the two stores' frames compare equal. Columns of text only, and mixed ones, both occur.
    module = parse_module(f"// name: x\n// answers: a?\n// columns: a, b, c, d\n// order: by b\n// sort: {sort}\n"
                          "RETURN 1", "queries/x.cypher")
    rows = [{"a": "乙", "b": "x", "c": None, "d": ["q"]}, {"a": "甲", "b": "y", "c": 2, "d": []},
            {"a": "甲", "b": "x", "c": 1, "d": ["p"]}, {"a": "甲", "b": "x", "c": None, "d": ["p"]},
            {"a": "甲", "b": "x", "c": 1, "d": []}, {"a": "乙", "b": None, "c": 3, "d": None}]
    expected = sorted(rows, key=lambda r: tuple(_naive_key(r[c]) for c in
                                                 [*module.sort, *(c for c in "abcd" if c not in module.sort)]))
    for order in (rows, rows[::-1], rows[2:] + rows[:2]):
        got = [{k: None if not isinstance(v, list) and pd.isna(v) else v for k, v in r.items()}
               for r in module_frame(module, list(order)).to_dict("records")]
        assert got == expected
    if sort == "b":  # 乙 sorts before 甲 (U+4E59, U+7532)
        assert [(r["b"], r["a"], r["c"], r["d"]) for r in expected[:4]] == [
            ("x", "乙", None, ["q"]), ("x", "甲", 1, []), ("x", "甲", 1, ["p"]), ("x", "甲", None, ["p"])]


def _naive_key(value):
    """The order module_frame promises, written out plainly: nulls last, lists item by item."""
    if value is None:
        return (1,)
    if isinstance(value, list):
        return (0, tuple(_naive_key(v) for v in value))
    return (0, value)


def test_a_variant_file_holds_only_its_variant_line_and_the_query():
    assert parse_variant("// variant: kuzu — why\nRETURN 1", "queries/kuzu/x.cypher") == "RETURN 1"
    with pytest.raises(QueryError, match="queries/kuzu/x.cypher: a variant file"):
        parse_variant("// name: x\nRETURN 1", "queries/kuzu/x.cypher")


# ---------------------------------------------------------------- output and the command line

def test_output_formats():
    df = pd.DataFrame({"name": ["甲|乙", "丙"], "items": [["a", "b"], []], "n": pd.array([1, None], "Int64")})
    assert format_frame(df, "markdown").splitlines() == [
        "| name | items | n |", "|---|---|---|", "| 甲\\|乙 | a; b | 1 |", "| 丙 |  |  |"]
    assert json.loads(format_frame(df, "json")) == [{"name": "甲|乙", "items": ["a", "b"], "n": 1},
                                                    {"name": "丙", "items": [], "n": None}]
    assert format_frame(df, "csv").splitlines() == ["name,items,n", '甲|乙,"[""a"", ""b""]",1', "丙,[],"]
    assert format_frame(df, "table").splitlines()[1].split() == ["甲|乙", "a;", "b", "1"]
    assert format_frame(df.iloc[0:0], "table") == "name  items  n\n(no rows)"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A data folder whose embedded store holds the hand graph, as `ufgraph refresh` lays it out."""
    data = tmp_path_factory.mktemp("data")
    with EmbeddedStore(data / "store") as s:
        s.replace(hand_graph())
    return data


def cli(*args):
    return CliRunner().invoke(main, list(args), env={"NEO4J_URI": None}, catch_exceptions=False)


def test_cli_query_prints_the_rows(data_dir):
    result = cli("query", "people-of", "-p", "org=市工商联", "--format", "json", "--data-dir", str(data_dir))
    assert result.exit_code == 0, result.output
    assert [(r["person"], r["title"]) for r in json.loads(result.output)] == [(YUE, "副主席"), (TONG, "党组书记")]
    result = cli("query", "ego", "-p", f"name={MIN}", "-p", "depth=1", "--format", "csv", "--data-dir", str(data_dir))
    assert result.output.splitlines()[0] == "centre,name,type,distance,id"
    assert len(result.output.splitlines()) == 3


def test_cli_query_list_needs_no_store():
    result = cli("query", "--list", "--data-dir", "/nonexistent/ufgraph")
    assert result.exit_code == 0
    for module in list_queries():
        assert f"{module.name}: {module.answers}" in result.output
    assert "-p org (STRING, required): name, alias or id of the organisation" in result.output


@pytest.mark.parametrize("args,message", [
    (["query", "nosuch"], "Error: unknown query 'nosuch'; known queries:"),
    (["query", "people-of", "-p", "org=x", "-p", "colour=red"], "takes no parameter colour"),
    (["query", "ego", "-p", "name=x", "-p", "depth=7"], "parameter depth: 7 is outside 1..4"),
])
def test_cli_query_errors_are_messages_not_tracebacks(data_dir, args, message):
    result = cli(*args, "--data-dir", str(data_dir))
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_cli_query_without_a_name_is_a_usage_error():
    result = cli("query")
    assert result.exit_code == 2 and "ufgraph query --list" in result.output


def test_cli_cypher_reads_with_parameters(data_dir):
    result = cli("cypher", "MATCH (n:Entity) WHERE n.name = $name RETURN n.type AS type, n.aliases AS aliases",
                 "-p", f"name={FED}", "--format", "json", "--data-dir", str(data_dir))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"type": "Federation", "aliases": ["市工商联", "绵阳市总商会"]}]
    result = cli("cypher", "MATCH (n:Entity) WHERE n.type IN $types RETURN count(*) AS n",
                 "-p", 'types=["Person", "Place"]', "--format", "csv", "--data-dir", str(data_dir))
    assert result.output.splitlines() == ["n", "7"]


@pytest.mark.parametrize("text", [
    "CREATE (n:Entity {id: 'x', name: '新'})",
    "MATCH (n:Entity) SET n.name = '改' RETURN n.name",
    "MATCH (n:Entity) DETACH DELETE n",
])
def test_cli_cypher_refuses_writes_on_the_embedded_store(data_dir, text):
    result = cli("cypher", text, "--data-dir", str(data_dir))
    assert result.exit_code == 1 and "Error:" in result.output and "read" in result.output
    with EmbeddedStore(data_dir / "store") as s:  # nothing changed
        assert run_cypher(s, "MATCH (n:Entity) RETURN count(*) AS n")["n"].tolist() == [len(TYPES)]
        assert run_query(s, "search", text="改").empty


def test_neo4j_versions_parse_for_the_one_list_form_of_module_rows():
    """Neo4jStore.run_columns sends CALL () { ... } only to a server that takes it (5.23 on)."""
    from ufgraph.graph.neo4j_store import _version
    assert _version("5.26.0") == (5, 26) >= (5, 23) > _version("5.20.0")
    assert _version("2025.01.0") == (2025, 1) >= (5, 23)
    assert _version("") == _version("dev") == (0,)
