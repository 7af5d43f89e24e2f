"""Synthetic liaison networks of any size, for benchmarks and browser tests.

The names are invented from syllable lists (no real report is quoted); the
shape follows the liaison network: federations in a hierarchy, chambers
affiliated with them, party organisations set up in them, agencies that
liaise with them, and people holding posts. The same size and seed give the
same document.
"""
from __future__ import annotations

import random

from .model import Edge, Evidence, GraphDocument, Node, Report
from .names import node_id

_SURNAMES = "王李张刘杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = "明华建国志强丽芳文军德平海燕伟新春秋雨晨光辉宇航思远博嘉怡然乐安宁静晓峰云鹏"
_PLACES = ["云溪", "禾川", "松岭", "梧桐", "临泉", "石门", "白沙", "金坪", "兰若", "柳港", "枫桥", "鹤山",
           "龙湾", "杏林", "桂阳", "望江", "青枫", "星野", "竹溪", "月湖", "清源", "丰乐", "长汀", "霞浦"]
_TRADES = ["鞋业", "茶业", "纺织", "建材", "电子", "物流", "餐饮", "家具", "机械", "陶瓷", "食品", "汽配",
           "光伏", "医药", "文旅", "电商", "五金", "印刷", "服装", "水产"]
_TITLES = ["会长", "副会长", "秘书长", "常务副会长", "监事长", "党组书记", "主席", "副主席", "支部书记", "联络员"]
_SUFFIX = {"Federation": "工商联", "PartyOrg": "党委", "Agency": "统战部"}
_TYPES_SHARE = [("Federation", 0.03), ("Chamber", 0.14), ("PartyOrg", 0.07), ("Agency", 0.04)]


def synthetic_document(size: int, seed: int = 7, reports: int = 12) -> GraphDocument:
    """A liaison network of about `size` nodes (at least 10), the same for the same size and seed.

    Example:

    >>> doc = synthetic_document(100)
    >>> len(doc.nodes)
    100
    """
    rng = random.Random(seed)
    doc = GraphDocument(reports=_reports(reports))
    groups = {kind: _orgs(doc, kind, max(2, int(size * share)), rng) for kind, share in _TYPES_SHARE}
    people = _people(doc, max(1, size - len(doc.nodes)), rng)
    _link_orgs(doc, groups, rng)
    _link_people(doc, people, groups, rng)
    return doc


def _reports(count: int) -> list[Report]:
    return [Report(id=f"r-synthetic{i:03d}", title=f"合成报道第{i + 1}篇",
                   date=f"{2019 + i % 6}-{1 + i % 12:02d}-15", source="合成测试") for i in range(count)]


def _orgs(doc: GraphDocument, kind: str, count: int, rng: random.Random) -> list[Node]:
    return [_node(doc, kind, _org_name(kind, i), rng) for i in range(count)]


def _org_name(kind: str, i: int) -> str:
    place = _PLACES[i % len(_PLACES)] + ("县" if i % 3 == 0 else "市")
    lap = i // len(_PLACES)  # once the places run out, districts and branches keep names unique
    if kind == "Chamber":
        branch = lap // len(_TRADES)
        return f"{place}{_TRADES[lap % len(_TRADES)]}商会" + (f"第{branch + 1}分会" if branch else "")
    suffix = _SUFFIX[kind]
    return f"{place}{suffix}" if lap == 0 else f"{place}第{lap + 1}区{suffix}"


def _people(doc: GraphDocument, count: int, rng: random.Random) -> list[Node]:
    combos = len(_SURNAMES) * len(_GIVEN) ** 2
    picks = rng.sample(range(combos), min(count, combos))
    names = [_SURNAMES[p % len(_SURNAMES)] + _GIVEN[p // len(_SURNAMES) % len(_GIVEN)]
             + _GIVEN[p // (len(_SURNAMES) * len(_GIVEN))] for p in picks]
    return [_node(doc, "Person", name, rng) for name in names]


def _node(doc: GraphDocument, kind: str, name: str, rng: random.Random) -> Node:
    report = rng.choice(doc.reports)
    node = Node(node_id(kind, name), kind, name,
                evidence=[Evidence(report.id, f"{name}出席了合成座谈会。", 0, len(name), "synthetic")])
    doc.nodes.append(node)
    return node


def _link_orgs(doc, groups, rng) -> None:
    feds, chambers = groups["Federation"], groups["Chamber"]
    for i, fed in enumerate(feds[1:], start=1):
        _edge(doc, fed, feds[(i - 1) // 4], "AFFILIATED_WITH", {}, rng)
    for chamber in chambers:
        _edge(doc, chamber, _near(_place(chamber), feds, rng), "AFFILIATED_WITH", {}, rng)
    for i, org in enumerate(groups["PartyOrg"]):
        _edge(doc, org, _near(_place(org), chambers + feds, rng), "PARTY_ORG_OF", {}, rng)
        if i:
            _edge(doc, org, groups["PartyOrg"][(i - 1) // 3], "SUBORDINATE_TO", {}, rng)
    for agency in groups["Agency"]:
        for target in {id(t): t for t in (_near(_place(agency), chambers + feds, rng) for _ in range(3))}.values():
            _edge(doc, agency, target, "LIAISES_WITH", {"role": "挂钩联系"}, rng)


def _link_people(doc, people, groups, rng) -> None:
    orgs = [n for group in groups.values() for n in group]
    by_place = _by_place(orgs)
    for person in people:
        place = rng.choice(sorted(by_place))
        home = by_place[place]
        # Most posts are held at home, and the first organisations of a place are its hubs.
        for org in {id(o): o for o in _posts(home, orgs, rng)}.values():
            _edge(doc, person, org, "HOLDS_POST", {"title": rng.choice(_TITLES)}, rng)
        if rng.random() < 0.08:
            _edge(doc, person, _near(place, groups["Chamber"], rng), "LIAISES_WITH", {"role": "联络员"}, rng)


def _posts(home: list[Node], orgs: list[Node], rng) -> list[Node]:
    weights = [1.0 / (1 + i) for i in range(len(home))]
    picks = rng.choices(home, weights, k=rng.choice((1, 1, 2)))
    return picks + ([rng.choice(orgs)] if rng.random() < 0.05 else [])


def _place(node: Node) -> str:
    return node.name[:2]


def _by_place(nodes: list[Node]) -> dict[str, list[Node]]:
    out: dict[str, list[Node]] = {}
    for node in nodes:
        out.setdefault(_place(node), []).append(node)
    return out


def _near(place: str, candidates: list[Node], rng) -> Node:
    """A candidate from `place` most of the time, else any."""
    local = [c for c in candidates if _place(c) == place]
    return rng.choice(local) if local and rng.random() < 0.85 else rng.choice(candidates)


def _edge(doc, source: Node, target: Node, kind: str, props: dict, rng) -> None:
    report = rng.choice(doc.reports)
    text = f"{source.name}与{target.name}{props.get('title') or props.get('role') or ''}相关。"
    doc.edges.append(Edge(source.id, target.id, kind, props,
                          [Evidence(report.id, text, 0, len(text), "synthetic", report.date)]))
