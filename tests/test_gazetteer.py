"""The division gazetteer and the name lexicons, against the committed data."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ufgraph.errors import ConfigError
from ufgraph.loaders.gazetteer import (
    Division, load_countries, load_gazetteer, load_surnames, parse_divisions, parse_surnames,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def only(gaz, name, parent_name):
    """The division called `name` whose parent is called `parent_name`."""
    [div] = [d for d in gaz.lookup(name) if gaz.parent(d) and gaz.parent(d).name == parent_name]
    return div


def test_county_city_province_chain(gaz):
    kunshan = gaz.resolve("昆山")
    assert (kunshan.name, kunshan.short, kunshan.level) == ("昆山市", "昆山", "county")
    assert gaz.parent(kunshan).name == "苏州市"
    assert [d.name for d in gaz.ancestors(kunshan)] == ["苏州市", "江苏省"]
    assert gaz.get(kunshan.code) == kunshan
    assert gaz.parent(gaz.resolve("江苏")) is None
    assert gaz.get("999999") is None


@pytest.mark.parametrize("name, short", [
    ("广西壮族自治区", "广西"), ("内蒙古自治区", "内蒙古"), ("新疆维吾尔自治区", "新疆"),
    ("宁夏回族自治区", "宁夏"), ("西藏自治区", "西藏"), ("香港特别行政区", "香港"),
    ("延边朝鲜族自治州", "延边"), ("阿克苏地区", "阿克苏"), ("锡林郭勒盟", "锡林郭勒"),
    ("浦东新区", "浦东"), ("神农架林区", "神农架"), ("六枝特区", "六枝"), ("峰峰矿区", "峰峰"),
    ("龙胜各族自治县", "龙胜"), ("东乡族自治县", "东乡"), ("鄂温克族自治旗", "鄂温克"),
    ("昆山市", "昆山"), ("湖北省", "湖北"), ("海淀区", "海淀"),
])
def test_short_forms(gaz, name, short):
    assert short in {d.short for d in gaz.lookup(name)}
    assert name in {d.name for d in gaz.lookup(short)}


def test_no_one_character_short_forms(gaz):
    assert all(len(d.short) != 1 for d in gaz)
    # 忠县 keeps no short form: 忠 alone is one character.
    assert [d.short for d in gaz.lookup("忠县")] == [""]
    assert not gaz.is_name("忠")


def test_generic_short_forms_are_dropped_but_full_names_match(gaz):
    for word, full in [("市中", "市中区"), ("资源", "资源县"), ("比如", "比如县"), ("复兴", "复兴区")]:
        assert not gaz.is_name(word)
        assert gaz.is_name(full)
    assert gaz.matches("城市中心的资源与复兴") == []


def test_municipalities_are_provinces_with_their_districts(gaz):
    for name in ["北京市", "上海市", "天津市", "重庆市"]:
        [city] = gaz.lookup(name)
        assert (city.level, city.parent) == ("province", "")
    yuzhong = gaz.resolve("渝中区")
    assert gaz.ancestors(yuzhong) == [gaz.resolve("重庆")]
    assert gaz.parent(gaz.resolve("石柱")).name == "重庆市"  # a Chongqing county, not a district


def test_placeholder_rows_are_gone_and_children_reattached(gaz):
    for placeholder in ["市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"]:
        assert gaz.lookup(placeholder) == []
    assert [d.name for d in gaz.ancestors(gaz.resolve("济源市"))] == ["河南省"]
    assert [d.name for d in gaz.ancestors(gaz.resolve("仙桃"))] == ["湖北省"]


def test_tree_is_consistent(gaz):
    parent_levels = {"county": {"city", "province"}, "city": {"province"}, "province": {None}}
    for div in gaz:
        parent = gaz.parent(div)
        assert (parent.level if parent else None) in parent_levels[div.level], div
        if parent:
            assert parent.code[:2] == div.code[:2], div  # never crosses a province


def test_lookup_lists_every_division_so_named_higher_levels_first(gaz):
    found = gaz.lookup("朝阳")
    assert {d.name for d in found} == {"朝阳市", "朝阳县", "朝阳区"}
    assert len(found) == 4
    assert found[0].name == "朝阳市"
    assert gaz.lookup("不存在的地方") == []


def test_resolve_ambiguous_names_by_context(gaz):
    beijing_chaoyang = only(gaz, "朝阳区", "北京市")
    changchun_chaoyang = only(gaz, "朝阳区", "长春市")
    assert gaz.resolve("朝阳区") is None  # two districts, same level, no context
    assert gaz.resolve("朝阳区", [gaz.resolve("长春市")]) == changchun_chaoyang
    assert gaz.resolve("朝阳区", [gaz.resolve("北京")]) == beijing_chaoyang
    assert gaz.resolve("朝阳区", [gaz.resolve("吉林省")]) == changchun_chaoyang  # shares the province
    assert gaz.resolve("朝阳", [gaz.resolve("海淀区")]) == beijing_chaoyang  # a sibling district
    # both are related to the context; the closer one (parent beats grandparent) wins
    assert gaz.resolve("朝阳区", [gaz.resolve("吉林省"), gaz.resolve("北京市")]) == beijing_chaoyang
    assert gaz.resolve("朝阳区", [changchun_chaoyang]) == changchun_chaoyang


def test_resolve_without_useful_context_prefers_the_higher_level(gaz):
    assert gaz.resolve("朝阳").name == "朝阳市"
    assert gaz.resolve("朝阳", [gaz.resolve("昆山")]).name == "朝阳市"  # unrelated context
    assert gaz.resolve("海南").level == "province"  # 海南省 over 海南藏族自治州
    assert gaz.resolve("哪里也不是") is None


def test_matches_leftmost_longest():
    gaz = load_gazetteer()
    text = "据悉，吉林省长春市与江苏省苏州市昆山市的企业家，在上海浦东新区、重庆市渝中区以及南京市长江边座谈。"
    assert [s for _, _, s in gaz.matches(text)] == [
        "吉林省", "长春市", "江苏省", "苏州市", "昆山市", "上海", "浦东新区", "重庆市", "渝中区", "南京市",
    ]
    for start, end, surface in gaz.matches(text):
        assert text[start:end] == surface


def naive_matches(gaz, text):
    """Reference: at each position, the longest name of any length that starts there."""
    longest = max(len(d.name) for d in gaz)
    found, i = [], 0
    while i < len(text):
        hits = [n for n in range(min(longest, len(text) - i), 0, -1) if gaz.is_name(text[i:i + n])]
        if hits:
            found.append((i, i + hits[0], text[i:i + hits[0]]))
            i += hits[0]
        else:
            i += 1
    return found


PIECES = ["江苏省", "苏州", "市", "昆山", "长春", "朝阳区", "北京", "省", "县", "的", "新区", "浦东", "广西壮族自治区", "，"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=20))
def test_matches_agrees_with_a_naive_scan(pieces):
    gaz = load_gazetteer()
    text = "".join(pieces)
    assert gaz.matches(text) == naive_matches(gaz, text)


def test_surnames():
    single, compound = load_surnames()
    assert {"王", "李", "张", "刘", "陈", "赖", "洪"} <= single
    assert {"欧阳", "司马", "诸葛", "上官", "端木"} <= compound
    assert len(single) >= 400 and len(compound) >= 25
    assert all(len(s) == 1 for s in single) and all(len(s) == 2 for s in compound)
    assert "有" not in single


def test_countries():
    countries = load_countries()
    assert {"日本", "美国", "新加坡", "印度尼西亚", "阿联酋", "沙特阿拉伯", "香港", "澳门", "台湾"} <= countries
    assert len(countries) >= 190
    assert not any(c.startswith("#") for c in countries)


def test_bad_division_rows_name_the_file_and_line():
    header = "code\tname\tshort\tlevel\tparent\n"
    with pytest.raises(ConfigError, match=r"x\.tsv: line 2: unknown level 'town'"):
        parse_divisions(header + "100000\t某省\t某省\ttown\t\n", "x.tsv")
    with pytest.raises(ConfigError, match=r"x\.tsv: line 3: expected 5"):
        parse_divisions(header + "100000\t甲乙省\t甲乙\tprovince\t\n100100\t丙市\n", "x.tsv")
    with pytest.raises(ConfigError, match=r"x\.tsv: line 1"):
        parse_divisions("code,name\n", "x.tsv")
    with pytest.raises(ConfigError, match="unknown parent 990000"):
        parse_divisions(header + "990100\t甲乙市\t甲乙\tcity\t990000\n", "x.tsv")
    with pytest.raises(ConfigError, match="one-character short"):
        parse_divisions(header + "990000\t甲省\t甲\tprovince\t\n", "x.tsv")
    with pytest.raises(ConfigError, match="one-character name '甲'"):
        parse_divisions(header + "990000\t甲\t\tprovince\t\n", "x.tsv")


def test_bad_surname_line_names_the_file_and_line():
    with pytest.raises(ConfigError, match=r"s\.txt: line 3: '司马' is not a single-character"):
        parse_surnames("# single\n王\n司马\n", "s.txt")
    with pytest.raises(ConfigError, match=r"s\.txt: line 3: '王' is not a compound"):
        parse_surnames("王\n# compound\n王\n", "s.txt")
    assert parse_surnames("王\n\n# compound\n欧阳\n", "s.txt") == (frozenset({"王"}), frozenset({"欧阳"}))


def test_parse_divisions_builds_a_gazetteer_of_its_own():
    from ufgraph.loaders.gazetteer import Gazetteer
    rows = "code\tname\tshort\tlevel\tparent\n990000\t甲乙省\t甲乙\tprovince\t\n990100\t丙丁市\t丙丁\tcity\t990000\n"
    small = Gazetteer(parse_divisions(rows, "mem.tsv"))
    assert len(small) == 2
    assert small.ancestors(small.resolve("丙丁")) == [Division("990000", "甲乙省", "甲乙", "province", "")]
    assert small.matches("甲乙省丙丁") == [(0, 3, "甲乙省"), (3, 5, "丙丁")]


def test_matches_is_leftmost_longest_without_overlaps():
    from ufgraph.loaders.gazetteer import Gazetteer
    rows = ("code\tname\tshort\tlevel\tparent\n990000\t甲乙省\t甲乙\tprovince\t\n"
            "990100\t乙丙市\t乙丙\tcity\t990000\n990200\t甲乙丁戊县\t\tcounty\t990100\n")
    small = Gazetteer(parse_divisions(rows, "mem.tsv"))
    assert small.matches("甲乙丁戊县") == [(0, 5, "甲乙丁戊县")]  # the longest name at a position
    assert small.matches("甲乙丙") == [(0, 2, "甲乙")]  # 乙丙 overlaps the name found first
    assert small.matches("去乙丙市和甲乙") == [(1, 4, "乙丙市"), (5, 7, "甲乙")]  # a name at the very end
    assert small.matches("甲乙丁") == [(0, 2, "甲乙")]  # a longer name cut short by the end of the text
    assert small.matches("甲") == [] and small.matches("") == []
    assert small.is_full_name("甲乙省") and not small.is_full_name("甲乙")


@pytest.mark.skipif(importlib.util.find_spec("cpca") is None, reason="needs the cpca package's data")
def test_build_script_reproduces_the_committed_tsv(tmp_path):
    out = tmp_path / "divisions.tsv"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_divisions.py"), "--out", str(out)],
                   check=True, capture_output=True)
    assert out.read_bytes() == (ROOT / "data" / "lexicon" / "divisions.tsv").read_bytes()


def test_opening_pattern_finds_every_place_a_name_can_begin():
    from ufgraph.loaders.gazetteer import opening_pattern
    two = opening_pattern(["乙丙", "丁戊己"])
    assert [m.start() for m in two.finditer("乙丙丁戊己乙丁")] == [0, 2]
    assert two.search("丙甲乙") is None  # neither 丙 nor a final 乙 can begin one
    one = opening_pattern(["甲", "乙丙"])  # a one-character name can begin wherever its character stands
    assert [m.start() for m in one.finditer("甲乙甲")] == [0, 1, 2]
