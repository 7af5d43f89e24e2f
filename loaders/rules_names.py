"""Relationships a name itself states: where a body is (昆山市周市镇商会 →
周市镇 → 昆山市), whose party organisation it is (X商会党委 → X商会),
which body a branch belongs to (X商会Y分会 → X商会), and which committee
a department sits under (X市委统战部 → X市委)."""
from __future__ import annotations

import re
from functools import lru_cache

from ..graph.model import Evidence
from .canon import ORG_TYPES, leading_places
from .entities import Entity
from .gazetteer import load_gazetteer
from .lexicon import load_lexicon
from .wordcut import is_verb_phrase

_DEPARTMENTS = ("统战部", "组织部", "宣传部", "政法委", "办公室")
_DEPARTMENT = re.compile(r"^(.+?[省市县区州]委)(" + "|".join(_DEPARTMENTS) + ")$")
_TWO_CJK = re.compile(r"^[\u4e00-\u9fff]{2}$")


def name_structure(state, m, name: str, how: str, ev: Evidence) -> None:
    ent: Entity = m.meta["entity"]
    head = _head_org(state, name, m.type)
    if head is not None:
        head_ent = state.registry.add(head[1], head[0], (), ev)
        if m.type == "PartyOrg":
            state.add_edge(ent, "PARTY_ORG_OF", head_ent, ev)
            return
        if m.type == "Chamber":
            state.add_edge(ent, "AFFILIATED_WITH", head_ent, ev)
        _locate(state, head_ent, head[0], "explicit", ev)
    _locate(state, ent, name, "explicit" if how == "head" else how, ev)
    _surface_chain(state, m.surface, ev)
    dept = name.endswith(_DEPARTMENTS) and _DEPARTMENT.match(name)  # the test first: it runs for every body
    if dept:
        state.pending_subordinate.append((ent, dept.group(1), ev))


def _head_org(state, name: str, outer_type: str) -> tuple[str, str] | None:
    """The organisation a name begins with (X工商联 in X工商联党支部), if any."""
    if outer_type not in ("PartyOrg", "Chamber", "Institution"):
        return None
    return _head_of(name)


@lru_cache(maxsize=65536)
def _head_of(name: str) -> tuple[str, str] | None:
    """_head_org's answer depends on the name alone (and the lexicon): cached."""
    lex = load_lexicon()
    best = None
    for hit in lex.suffix_re.finditer(name):
        kind = lex.suffix_type[hit.group()]
        if hit.end() >= len(name) or kind not in ("Federation", "Chamber"):
            continue
        head = name[:hit.end()]
        if len(head) - len(hit.group()) >= 1 and len(name) - hit.end() >= 2:
            best = (head, kind)
    return best


def _locate(state, ent: Entity, name: str, how: str, ev: Evidence) -> None:
    """LOCATED_IN from where the name puts the body."""
    if ent.type not in ORG_TYPES:
        return
    loc = state.ctx.locality
    if how in ("locality", "hometown") and loc is not None:
        body = name[len(loc.name):]
        town = _town_of_chamber(state, body, ent, ev)
        target = town or state.place(loc.name, [loc.short], ev)
        state.add_edge(ent, "LOCATED_IN", target, ev)
        if town is not None:
            state.add_edge(town, "LOCATED_IN", state.place(loc.name, [loc.short], ev), ev)
        return
    if how != "explicit":
        return
    lead = leading_places(name, state.ctx)
    if not lead:
        return
    chain = [_place_entity(state, div, surface, ev) for _, _, div, surface in lead]
    body = name[lead[-1][1]:]
    town = _town_of_chamber(state, body, ent, ev) if lead[-1][2] is not None else None
    if town is not None:
        chain.append(town)
    state.add_edge(ent, "LOCATED_IN", chain[-1], ev)
    for inner, outer in zip(chain[1:], chain):
        state.add_edge(inner, "LOCATED_IN", outer, ev)


def _surface_chain(state, surface: str, ev: Evidence) -> None:
    """江苏省昆山市工商联: the name as written also says 昆山市 is in 江苏省."""
    lead = leading_places(surface, state.ctx)
    if len(lead) < 2:
        return
    chain = [_place_entity(state, div, s, ev) for _, _, div, s in lead]
    for inner, outer in zip(chain[1:], chain):
        state.add_edge(inner, "LOCATED_IN", outer, ev)


def town_prefixed(state) -> None:
    """周市卫生院 in a report that names 周市镇: a body named after a township sits in it."""
    towns = {e.name[:-1]: e for e in state.registry if e.type == "Place" and e.name.endswith(("镇", "乡"))}
    located = {src for src, rel, _ in state.edges if rel == "LOCATED_IN"}
    for ent in list(state.registry):
        if ent.type in ORG_TYPES and ent.id not in located:
            town = next((t for short, t in towns.items() if ent.name.startswith(short)), None)
            if town is not None and ent.evidence:
                state.add_edge(ent, "LOCATED_IN", town, ent.evidence[0])


def _place_entity(state, div, surface: str, ev: Evidence) -> Entity:
    if div is None:
        short = surface[:-1] if surface.endswith(("镇", "乡")) else surface
        return state.place(surface, [short], ev)
    return state.place(div.name, [div.short], ev)


_WRITTEN_TOWN = re.compile(r"^([\u4e00-\u9fff]{2,3}?)(镇|街道)(?=.)")


def _town_of_chamber(state, body: str, ent: Entity, ev: Evidence) -> Entity | None:
    """The township a chamber is named after: 后河镇商会, or X商会 where X is two characters,
    no known place and no trade word (枫桥商会)."""
    if ent.type != "Chamber":
        return None
    written = _WRITTEN_TOWN.match(body)
    if written and written.group(1) not in state.lex.generic_bodies:
        return state.place(written.group(), [written.group(1)], ev)
    if not body.endswith("商会"):
        return None
    stem = body[:-2]
    lex = state.lex
    if not _TWO_CJK.match(stem) or stem in lex.chamber_kinds or stem in lex.stopwords:
        return None
    if stem[-1] in "业界品会人家商" or load_gazetteer().is_name(stem) or is_verb_phrase(stem):
        return None
    return state.place(stem, [stem + "镇"], ev)
