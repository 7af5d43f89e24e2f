"""One report's text → entities and relationships with provenance.

The stages: sentences → mentions (loaders/mentions.py) → the report's
locality and canonical names (loaders/canon.py) → relationship rules
(loaders/rules.py) → a GraphDocument.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from ..graph.collector import cycle_collector_paused, freeze_once
from ..graph.model import Edge, Evidence, GraphDocument, Node, Report
from ..graph.ontology import load_ontology
from .canon import ORG_TYPES, Context, find_locality, org_name, place_name, select_top
from .entities import MAX_EVIDENCE, Entity, Registry
from .gazetteer import load_gazetteer, places_in
from .lexicon import Lexicon, load_lexicon
from .mentions import (Mention, is_cjk, find_documents, find_people, find_places, find_quoted, find_suffixed,
                       find_towns)
from .rules_names import name_structure
from .segment import Sentence, split_sentences
from .wordcut import ends_in_verb, is_verb_phrase

_COMMITTEE = re.compile(r"(?<![\u4e00-\u9fff])?([省市县区州])委(?![员会托屈派书])")
_TOWN_CHAMBER = re.compile(r"^([\u4e00-\u9fff]{2})(商会|工商联)$")


@dataclass
class ReportState:
    """Everything the rules need about one report while it is being extracted."""

    text: str
    report: Report
    sentences: list[Sentence]
    ctx: Context
    lex: Lexicon
    registry: Registry = field(default_factory=Registry)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)
    top: list[list[Mention]] = field(default_factory=list)
    pending_subordinate: list = field(default_factory=list)
    cued: dict[int, bool] = field(default_factory=dict)  # sentence → holds a cue word (rules._cue_hits)

    def registry_by_id(self, node_id: str) -> Entity | None:
        return next((e for e in self.registry if e.id == node_id), None)

    def place(self, name: str, aliases=(), ev: Evidence | None = None) -> Entity:
        return self.registry.add("Place", name, aliases, ev)  # add skips empty aliases

    def evidence(self, idx: int, start: int, end: int, rule: str) -> Evidence:
        s = self.sentences[idx]
        return Evidence(self.report.id, s.text, start, end, rule, self.report.date)

    def add_edge(self, source: Entity, rel: str, target: Entity, ev: Evidence,
                 origin: str = "report", **props) -> None:
        if source is target or source.id == target.id:
            return
        if not _allows(rel, source.type, target.type):
            return
        key = (source.id, rel, target.id)
        edge = self.edges.get(key)
        if edge is None:
            clean = {k: v for k, v in props.items() if v}
            edge = self.edges[key] = Edge(source.id, target.id, rel, clean, [], origin)
        elif origin == "report" and edge.origin != "report":
            edge.origin = "report"
        if len(edge.evidence) < MAX_EVIDENCE:
            edge.evidence.append(ev)


@lru_cache(maxsize=1024)
def _allows(rel: str, source_type: str, target_type: str) -> bool:
    return load_ontology().allows(rel, source_type, target_type)


def find_mentions(text: str, sent: Sentence, idx: int, lex: Lexicon) -> list[Mention]:
    """Every mention in a sentence, overlaps resolved (longest wins, nested ones kept as inner)."""
    docs = find_documents(text, sent, idx, lex)
    quotes = find_quoted(text, sent, idx, lex)
    taken = docs + quotes
    named = find_suffixed(text, sent, idx, lex, taken)
    committees = _committees(text, sent, idx, taken + named)
    places = find_places(text, sent, idx, lex)
    towns = find_towns(text, sent, idx, lex, places)
    people = find_people(text, sent, idx, lex)
    top = select_top(docs + quotes + named + committees + places + towns + people)
    _bodies_inside_names(text, idx, lex, quotes)
    if "、" in sent.text:  # a list of places needs one
        top = expand_place_lists(text, top)
    top = _typed_lists(text, sent, idx, lex, top)
    top = _partners_before_with(text, sent, idx, lex, top)
    return _town_lists(text, sent, idx, top)


def _partners_before_with(text, sent, idx, lex, top):
    """促成A与B集团合作: A, named right before 与, is a body of B's kind."""
    extra = []
    if "与" not in text[max(0, sent.start - 1):sent.end]:
        return top
    cues = lex.cues["COOPERATES_WITH"]
    for k, m in enumerate(top):
        if m.type not in ("Enterprise", "Institution", "Chamber") or m.start < 1 or text[m.start - 1] != "与":
            continue
        if not any(c in text[m.end:m.end + 8] for c in cues):
            continue
        end = m.start - 1
        start = end
        while start > sent.start and is_cjk(text[start - 1]) and end - start < 6 and not lex.is_stop_before(text, start):
            start -= 1
        if 2 <= end - start <= 6 and not any(t.start < end and start < t.end for t in top):
            extra.append(Mention(start, end, m.type, text[start:end], "partner-of", idx))
    return sorted(top + extra, key=lambda t: t.start) if extra else top


def _bodies_inside_names(text, idx, lex, quotes) -> None:
    """“…某某行业商会助力某市行”: a body named inside an event's or programme's name."""
    for q in quotes:
        if q.type not in ("Event", "Program"):
            continue
        inside = Sentence(q.start + 1, q.end - 1, text[q.start + 1:q.end - 1], 0)
        for m in find_suffixed(text, inside, idx, lex, []):
            if m.type in ("Federation", "Chamber", "Enterprise", "Institution") and m.rule.startswith("ending:"):
                m.rule = "inside-name"
                q.inner.append(m)


_LIST_GAP = re.compile(r"^(等地|等|[两三四五六七八九十多]地)?(异地)?$")
_LIST_HEAD = re.compile(r"^(等地|等|[两三四五六七八九十多]地)?(异地)?")


def expand_place_lists(text: str, top: list[Mention]) -> list[Mention]:
    """南平、宁德两地工商联 / 北京、天津、济南等异地X商会: one body for each place of the list."""
    out: list[Mention] = []
    for m in top:
        run = _place_run(text, out, m) if m.type in ("Federation", "Chamber", "PartyOrg") else []
        if len(run) < 2:
            out.append(m)
            continue
        rest = m.surface[len(run[-1].surface):] if m.start == run[-1].start else m.surface
        rest = _generic_prefix(load_lexicon().generic_bodies).sub("", _LIST_HEAD.sub("", rest))
        if m.type == "Chamber" and rest in ("", m.meta.get("suffix")):
            out.append(m)
            continue
        del out[len(out) - (len(run) - (1 if m.start == run[-1].start else 0)):]
        for p in run:
            made = Mention(p.start, p.end, m.type, p.surface + rest, "place-list", m.sentence,
                           meta={"suffix": m.meta.get("suffix", "")})
            made.inner.append(p)
            out.append(made)
    return out


_TYPED_LIST = re.compile(r"等(?:[0-9]+[家个所])?")
_TOWN_LIST = re.compile(r"((?:[\u4e00-\u9fff]{2}、)+[\u4e00-\u9fff]{2})(?:等)?[0-9一二三四五六七八九十]+个[\u4e00-\u9fff]{0,4}?(镇|乡|街道)")


def _typed_lists(text, sent, idx, lex, top):
    """A、B、C等培训机构 / A、B等企业: each item named in the list is a body of the type the list ends with."""
    extra = []
    if "等" not in sent.text:
        return top
    for m in _TYPED_LIST.finditer(text, sent.start, sent.end):
        kind = next((lex.list_classes[w] for w in lex.list_class_words if text.startswith(w, m.end())), None)
        if kind is None:
            continue
        extra += _list_items(text, sent, idx, m.start(), kind, top + extra)
    return select_top(top + extra) if extra else top


def _list_items(text, sent, idx, end, kind, known):
    items, cursor = [], end
    ends = {k.end for k in known if k.type != "Place"}  # 昆山星河学堂: a place may begin an item
    while True:
        covering = next((k for k in known if k.end == cursor and k.type != "Place"), None)
        start = cursor
        while covering is None and start > sent.start and is_cjk(text[start - 1]) and start not in ends - {cursor}:
            start -= 1
        if covering is None and 2 <= cursor - start <= 8 and start > sent.start and text[start - 1] == "、":
            items.append(Mention(start, cursor, kind, text[start:cursor], "typed-list", idx))
        elif covering is None and cursor - start >= 2:
            cut = _first_item_start(text, start, cursor)
            if 2 <= cursor - cut <= 8 and items:
                items.append(Mention(cut, cursor, kind, text[cut:cursor], "typed-list", idx))
            break
        if start <= sent.start or text[start - 1] != "、" and covering is None:
            break
        cursor = (covering.start if covering is not None else start) - 1
        if cursor < sent.start or text[cursor] != "、":
            break
    return items


def _first_item_start(text, start, end):
    """The first item of a list may follow a verb (联合A、B): start after the last stop word."""
    lex = load_lexicon()
    for i in range(end - 2, start - 1, -1):
        if lex.is_stop_before(text, i):
            return i
    return start


def _town_lists(text, sent, idx, top):
    """X的A、B、C 3个产业重镇: each listed name is a township."""
    extra = []
    if "个" not in sent.text or "、" not in sent.text:
        return top
    for m in _TOWN_LIST.finditer(text, sent.start, sent.end):
        pos = m.start(1)
        for name in m.group(1).split("、"):
            if not any(t.start <= pos < t.end and t.type != "Place" for t in top):
                extra.append(Mention(pos, pos + len(name), "Place", name + m.group(2), "township-list", idx,
                                     meta={"town": True}))
            pos += len(name) + 1
    if not extra:
        return top
    kept = [t for t in top if not any(e.start <= t.start < e.end for e in extra)]
    return sorted(kept + extra, key=lambda t: t.start)


def _place_run(text: str, before: list[Mention], m: Mention) -> list[Mention]:
    """Places joined by 、 that end at (or inside) mention m."""
    inner = [p for p in m.inner if p.type == "Place" and p.start == m.start]
    run = inner[:1]
    cursor = m.start
    if not run:
        last = before[-1] if before else None
        if last is None or last.type != "Place" or not _LIST_GAP.match(text[last.end:m.start]):
            return []
        run, cursor = [last], last.start
    for p in reversed(before[:len(before) - (0 if inner else 1)]):
        if p.type != "Place" or text[p.end:cursor] != "、":
            break
        run.insert(0, p)
        cursor = p.start
    return run


def _committees(text, sent, idx, taken) -> list[Mention]:
    """A locality's party committee (市委, 县委 …), standing alone or after its place."""
    out = []
    if "委" not in sent.text:
        return out
    for m in _COMMITTEE.finditer(text, sent.start, sent.end):
        if any(t.start <= m.start() < t.end for t in taken):
            continue
        start = m.start()
        for s, e, _ in places_in(text[max(sent.start, start - 8):start + 1]):
            if max(sent.start, start - 8) + e == start + 1:
                start = max(sent.start, start - 8) + s
        out.append(Mention(start, m.end(), "PartyOrg", text[start:m.end()], "party-committee", idx))
    return out


def extract_text(text: str, report: Report, meta_spans=()) -> GraphDocument:
    """Extract one report's graph from its cleaned text."""
    with cycle_collector_paused():  # see graph/collector.py
        doc = _extract(text, report, meta_spans)
    freeze_once()  # the lexicons are loaded now (graph/collector.py)
    return doc


def _extract(text: str, report: Report, meta_spans) -> GraphDocument:
    from .rules import apply_rules
    lex = load_lexicon()
    sentences = split_sentences(text, tuple(meta_spans))
    state = ReportState(text, report, sentences, Context(None, []), lex)
    state.top = [find_mentions(text, s, i, lex) for i, s in enumerate(sentences)]
    places: list[Mention] = []
    for ms in state.top:
        _collect_places(ms, places)
    state.ctx = find_locality(report.title, places)
    report.locality = state.ctx.locality.name if state.ctx.locality else ""
    for i, ms in enumerate(state.top):
        state.top[i] = [m for m in ms if _register(state, m)]
    _known_people(state)
    apply_rules(state)
    _authors(state)
    return _document(state)


def _register_inside(state: ReportState, m: Mention) -> None:
    """Bodies named inside an event's name take part in it (X商会助力Y行)."""
    for inner in (i for i in m.inner if i.rule == "inside-name"):
        if _register(state, inner) and m.type == "Event":
            state.add_edge(inner.meta["entity"], "PARTICIPATES_IN", m.meta["entity"],
                           state.evidence(m.sentence, m.start, m.end, "named-in-event"))


def _collect_places(ms: list[Mention], out: list[Mention]) -> None:
    """The places among `ms` and the mentions nested in them, in order (each before those inside it)."""
    for m in ms:
        if m.type == "Place":
            out.append(m)
        if m.inner:
            _collect_places(m.inner, out)


def _register(state: ReportState, m: Mention) -> bool:
    """Give a mention its entity (canonical name, aliases, evidence); False drops it."""
    if m.type == "Place":
        name, aliases, div = place_name(m, state.ctx)
        m.meta["entity"] = state.registry.add("Place", name, aliases, state.evidence(m.sentence, m.start, m.end, m.rule))
        m.meta["division"] = div
        return True
    if m.type in ORG_TYPES:
        name, aliases, how = org_name(m, state.ctx, state.lex)
        if _bare(name, m, state):
            return False
        ev = state.evidence(m.sentence, m.start, m.end, m.rule)
        m.meta["entity"] = state.registry.add(m.type, name, aliases, ev)
        m.meta["placed"] = how
        name_structure(state, m, name, how, ev)
        return True
    if m.type in ("Program", "Event") and m.rule.startswith("ending:") and (not _supported(state, m) or _bare(m.surface, m, state)):
        return False
    if m.type in ("Program", "Event", "Document", "Person"):
        ev = state.evidence(m.sentence, m.start, m.end, m.rule)
        m.meta["entity"] = state.registry.add(m.type, m.surface, m.aliases, ev)
        _register_inside(state, m)
        for name, kind in m.meta.get("issuers", ()):
            state.add_edge(state.registry.add(kind, name, (), ev), "ISSUED", m.meta["entity"], ev)
        return True
    return m.type == "Quote"  # kept for rules that may promote it


@lru_cache(maxsize=1)
def _generic_prefix(generic: frozenset[str]) -> re.Pattern:
    return re.compile("^(?:" + "|".join(map(re.escape, _generic_words(generic))) + ")+")


@lru_cache(maxsize=1)
def _generic_words(generic: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(generic, key=len, reverse=True))


def _used_as_common_noun(state: ReportState, m: Mention, body: str) -> bool:
    """商会建设, 对工商联的关心: with no place in front, a chamber or federation word followed
    by such a word names the kind of body, not one body."""
    if m.type not in ("Chamber", "Federation"):
        return False
    if places_in(body[:3]) or body[:1] in "市县区省":
        # a placed name is a common noun only when it swallowed another body (X工商联抓实商会建设)
        if not any(i.type in ("Federation", "Chamber", "Agency") for i in m.inner) and not state.lex.suffix_re.search(body):
            return False
        return state.text.startswith(state.lex.generic_followers, m.end)
    return state.text.startswith(state.lex.generic_followers, m.end) or m.type == "Federation" and bool(body) and not body.startswith(("全国", "中华"))


_CLAUSE_BREAK = re.compile(r"[,，:：]")
_LEADING_YEAR = re.compile(r"^(?:19|20)[0-9]{2}年")
_ORDINAL_OR_PLACE = re.compile(r"^(首届|首次|第[一二三四五六七八九十百0-9]+[届期次]|[一二三四五六七八九十0-9]+届)")


def _supported(state: ReportState, m: Mention) -> bool:
    """An unquoted programme or event name counts only after a verb that runs it, or with an ordinal or place in front."""
    surface = _LEADING_YEAR.sub("", m.surface, count=1)  # 2024年X县招商推介会 (mentions.find_suffixed)
    if _ORDINAL_OR_PLACE.match(surface) or places_in(surface[:4])[:1] and surface[0] != "市":
        return True
    if m.type == "Event":
        return False
    sent = state.sentences[m.sentence]
    clause = state.text[max(sent.start, m.start - 20):m.start]
    clause = _CLAUSE_BREAK.split(clause)[-1]
    cues = state.lex.cues
    return any(c in clause for rel in ("RUNS", "PARTICIPATES_IN", "ISSUED") for c in cues[rel])


def _bare(name: str, m: Mention, state: ReportState) -> bool:
    """A type word with nothing to name it (商会, 该商会, 异地商会, 各级工商联) is not an entity."""
    lex = state.lex
    if m.surface in lex.whole_names:
        return False
    suffix = m.meta.get("suffix", "")
    surface = m.surface.removesuffix("(总商会)")  # X工商联(总商会): its body is X, as for X工商联
    body = surface[: len(surface) - len(suffix)] if suffix and surface.endswith(suffix) else surface
    if body.startswith(("该", "本", "各", "此", "这")) or body.startswith("全") and not body.startswith("全国"):
        return True
    # the prefix pattern matches only where one of its words begins the body (tested in C first)
    stripped = _generic_prefix(lex.generic_bodies).sub("", body) if body.startswith(_generic_words(lex.generic_bodies)) else body
    if stripped != body and (not stripped or load_gazetteer().is_name(stripped)):
        return True  # 异地昆山商会: a class of chambers, not one
    if stripped.endswith("异地"):
        return True
    if m.type == "Chamber" and suffix in ("商会", "商协会") and body[:1] not in "市县区省" and (
            ends_in_verb(body) or len(body) == 2 and is_verb_phrase(body)):
        return True  # 进驻商会, 打牢商会: the chamber word is the object of a verb
    if m.meta.get("placed") is None and _used_as_common_noun(state, m, body):
        return True
    loc = state.ctx.locality
    if loc is not None and m.type == "Chamber" and body in (loc.name, loc.short):
        return True  # 昆山商会 in a report about 昆山: chambers of its people elsewhere
    return len(body) < 2 and not body[:1] in "市县区省" or body in lex.stopwords


def _known_people(state: ReportState) -> None:
    """Later mentions of a person named once with a title."""
    names = {e.name for e in state.registry if e.type == "Person" and e.name}
    if not names:
        return
    for i in _sentences_holding(state, names):
        sent = state.sentences[i]
        found = False
        for pos, name in _occurrences(sent.text, names):
            start = sent.start + pos
            if any(t.start <= start < t.end for t in state.top[i]):
                continue
            men = Mention(start, start + len(name), "Person", name, "known-name", i)
            men.meta["entity"] = state.registry.add("Person", name, (),
                                                    state.evidence(i, start, men.end, "known-name"))
            state.top[i].append(men)
            found = True
        if found:
            state.top[i].sort(key=lambda t: t.start)


def _sentences_holding(state: ReportState, names) -> list[int]:
    """The sentences (in order) that hold one of `names`: one search of the whole text per name."""
    starts = [s.start for s in state.sentences]
    holding = set()
    for name in names:
        pos = state.text.find(name)
        while pos >= 0:
            i = bisect_right(starts, pos) - 1
            if i >= 0 and pos + len(name) <= state.sentences[i].end:
                holding.add(i)
            pos = state.text.find(name, pos + 1)
    return sorted(holding)


def _occurrences(text: str, names) -> list[tuple[int, str]]:
    """Leftmost-longest, non-overlapping occurrences of `names` in `text`: what a regex
    alternation of the names, longest first, finds, without compiling one per report."""
    found = []
    for name in names:
        pos = text.find(name)
        while pos >= 0:
            found.append((pos, -len(name), name))
            pos = text.find(name, pos + 1)
    found.sort()
    out, cursor = [], 0
    for pos, _, name in found:
        if pos >= cursor:
            out.append((pos, name))
            cursor = pos + len(name)
    return out


def _authors(state: ReportState) -> None:
    for name in state.report.authors:
        pos = state.text.find(name)
        ev = Evidence(state.report.id, state.text[max(0, pos - 10):pos + len(name) + 10] if pos >= 0 else name,
                      max(pos, 0), max(pos, 0) + len(name), "author", state.report.date)
        state.registry.add("Person", name, (), ev)


def _document(state: ReportState) -> GraphDocument:
    nodes = [Node(e.id, e.type, e.name, sorted(e.aliases), e.evidence,
                  {"mentions": e.mentions} if e.mentions > len(e.evidence) else {}) for e in state.registry]
    nodes.sort(key=lambda n: n.id)
    edges = sorted(state.edges.values(), key=lambda e: e.key)
    return GraphDocument([state.report], nodes, edges)
