"""Relationships stated by a sentence: posts (title chains before a name),
running and issuing (organisation + cue verb + programme or document),
cooperation, liaison, participation, subordination, and places that the
text sets side by side."""
from __future__ import annotations

import re

from .canon import ORG_TYPES
from .gazetteer import load_gazetteer
from .lexicon import SENTENCE_CUES
from .mentions import Mention, _is_slogan
from .rules_names import town_prefixed
from .segment import clause_bounds

_OBJECT_GAP = 30      # characters allowed between a cue verb and its first object
_LIST_JOINERS = re.compile(r"^[、和及与,]?$|^以及$")
_ORG_OR_PLACE = ORG_TYPES + ("Place",)
_ORG_OR_PERSON = ORG_TYPES + ("Person",)
_PROGRAMME_LIKE = ("Program", "Event", "Quote")
_RUN_OR_ISSUE_OBJECTS = _PROGRAMME_LIKE + ("Document",)
_CHAMBER_TITLES = ("会长", "副会长", "执行会长", "常务副会长", "秘书长", "理事长", "监事长", "主席", "副主席")


def apply_rules(state) -> None:
    main = _main_org(state)
    carry, paragraph = main, -1
    for i, sent in enumerate(state.sentences):
        top = [m for m in state.top[i] if "entity" in m.meta or m.type == "Quote"]
        if sent.paragraph != paragraph:
            paragraph = sent.paragraph
            first_org = next((m for m in top if m.type in ORG_TYPES and "entity" in m.meta), None)
            carry = first_org if first_org is not None and first_org.start - sent.start <= 6 else main
        if not top:
            continue  # every rule below links mentions of the sentence (28% of sentences have none)
        # each rule links mentions of certain types and is skipped when the sentence has none
        # (a quote counts as a programme: a cue before or after it makes it one)
        kinds = {m.type for m in top}
        if "Person" in kinds:
            _posts(state, i, top, carry)
        if not kinds.isdisjoint(_RUN_OR_ISSUE_OBJECTS):
            _runs_and_issues(state, i, top, carry)
        has_org = not kinds.isdisjoint(ORG_TYPES)
        if not has_org and not kinds.isdisjoint(_PROGRAMME_LIKE):
            _object_first(state, i, top, carry)
        if has_org:
            _made_by(state, i, top)
            _cooperation(state, i, top, carry)
            _liaison(state, i, top)
        if not kinds.isdisjoint(_PROGRAMME_LIKE):
            _participation(state, i, top)
        if has_org:
            _hierarchy(state, i, top)
        if "Place" in kinds:
            _adjacent_places(state, top)
    _subordinate_departments(state)
    town_prefixed(state)
    _gazetteer_places(state)


def _main_org(state):
    """The body a report is about: its most-mentioned organisation (a federation wins ties).

    Sentences that run a programme without naming who (开展“X”活动。) mean this body.
    """
    counts = {}
    for ms in state.top:
        for m in ms:
            if m.type in ORG_TYPES and "entity" in m.meta:
                ent = m.meta["entity"]
                counts.setdefault(ent.id, [0, m])[0] += 1
    if not counts:
        return None
    best = max(counts.values(), key=lambda c: (c[0] + (2 if c[1].type == "Federation" else 0)))
    return best[1]


def _object_first(state, i, top, carry) -> None:
    """“X”已开办三期: a programme named before the verb that runs it, the actor left to context."""
    sent = state.sentences[i]
    if any(m.type in ORG_TYPES for m in top) or carry is None or _ent(carry) is None:
        return
    for m in top:
        if m.type not in ("Program", "Event", "Quote"):
            continue
        tail = state.text[m.end:m.end + 6]
        cue = None
        if tail[:1] == "已" or tail[:1] in state.lex.cue_openings["RUNS"]:
            cue = next((c for c in state.lex.cues["RUNS"] if tail.startswith(c) or tail.startswith("已" + c)), None)
        if cue:
            _quote_as_programme(state, i, m, "quoted-before-cue")
        if cue and _ent(m) is not None:
            state.add_edge(_ent(carry), "RUNS", _ent(m), state.evidence(i, sent.start, m.end, "object-first"), role=cue)


def _made_by(state, i, top) -> None:
    """“X”是A打造的青年企业家培养项目: A runs X."""
    text, cues = state.text, state.lex.cues
    for m, a in zip(top, top[1:]):
        if m.type not in ("Program", "Event", "Quote") or a.type not in ORG_TYPES or _ent(a) is None \
                or a.start != m.end + 1 or text[m.end] != "是":
            continue
        cue = next((c for c in cues["RUNS"] if text.startswith(c + "的", a.end)), None)
        if cue is None:
            continue
        _quote_as_programme(state, i, m, "quoted-made-by")
        if _ent(m) is not None:
            state.add_edge(_ent(a), "RUNS", _ent(m), state.evidence(i, m.start, a.end + len(cue), "made-by"), role=cue)


def _quote_as_programme(state, i, m: Mention, rule: str) -> None:
    """A quote that a cue makes a programme's name (not a slogan, not a counted thing) becomes one."""
    if m.type == "Quote" and not _is_slogan(m.surface) and not m.meta.get("counted"):
        m.type, m.rule = "Program", rule
        m.meta["entity"] = state.registry.add("Program", m.surface, m.aliases, state.evidence(i, m.start, m.end, rule))


def _ent(m: Mention):
    return m.meta.get("entity")


def _orgs(top):
    return [m for m in top if m.type in ORG_TYPES and m.meta.get("entity") is not None]  # _ent, written out


# --- posts -----------------------------------------------------------------

def _posts(state, i, top, carry) -> None:
    for person in (m for m in top if m.rule == "title-then-name"):
        for org, title in _title_chain(state, i, top, person, carry):
            state.add_edge(_ent(person), "HOLDS_POST", org, state.evidence(i, org_start(person), person.end, "title-chain"), title=title)
    _post_held_as(state, i, top)


def _post_held_as(state, i, top) -> None:
    """作为A商会会长，B公司董事长C…: C holds the post at A too."""
    text, lex = state.text, state.lex
    for k, org in enumerate(top):
        if org.type not in ORG_TYPES or _ent(org) is None or not text.endswith("作为", 0, org.start):
            continue
        title = lex.title_re.match(text, org.end)
        if title is None or text[title.end():title.end() + 1] not in "，,":
            continue
        person = next((m for m in top[k + 1:] if m.type == "Person"), None)
        if person is not None and _ent(person) is not None and person.start - title.end() <= _AS_POST_GAP:
            state.add_edge(_ent(person), "HOLDS_POST", _ent(org), state.evidence(i, org.start, person.end, "post-held-as"),
                           title=title.group())


_AS_POST_GAP = 30  # characters between 作为A会长， and the person it introduces


def org_start(m: Mention) -> int:
    return m.meta.get("title_start", m.start)


def _title_chain(state, i, top, person, carry):
    """(organisation entity, title) pairs of an appositive chain: A副部长、B党组书记+name."""
    text, lex = state.text, state.lex
    by_end = {m.end: m for m in top if m.type in _ORG_OR_PLACE and m.meta.get("entity") is not None}
    pos, titles, out = person.meta["title_start"], [text[person.meta["title_start"]:person.meta["title_end"]]], []
    while True:
        pos, titles[-1] = _title_prefix(text, pos, titles[-1], lex)
        org = by_end.get(pos)
        if org is not None:
            out += [(body, t) for t in titles if (body := _post_body(state, org, t)) is not None]
            titles, pos = [], org.start
        if pos > 0 and text[pos - 1] == "、":
            prev = _title_ending_at(text, pos - 1, lex)
            if prev:
                titles.append(prev)
                pos = pos - 1 - len(prev)
                continue
        break
    if titles and not out:
        out += _fallback_posts(state, top, person, titles, carry)
    return out


def _title_prefix(text, pos, title, lex):
    if not text.endswith(lex.title_prefixes, 0, pos):
        return pos, title  # none ends here (one test in C before finding which)
    for p in lex.title_prefixes:
        if text.endswith(p, 0, pos):
            return pos - len(p), p + title
    return pos, title


def _title_ending_at(text, end, lex) -> str | None:
    for k in range(6, 1, -1):
        if text[max(0, end - k):end] in lex.titles and end - k >= 0:
            return text[end - k:end]
    return None


def _post_body(state, org, title):
    """The body a title is held at: the organisation, or a place's government (市长 → X市政府).

    In X商会党委书记、会长 the chamber title belongs to the chamber, not its party committee."""
    ent = _ent(org)
    if org.type == "PartyOrg" and any(title.endswith(t) for t in _CHAMBER_TITLES) and not title.endswith("书记"):
        host = next((state.registry_by_id(k[2]) for k in state.edges if k[0] == ent.id and k[1] == "PARTY_ORG_OF"), None)
        return host or ent
    if org.type != "Place":
        return ent
    body = state.lex.government.get(title)
    if body is None:
        return None
    return state.registry.add("Agency", ent.name + body, (), state.evidence(org.sentence, org.start, org.end, "government-title"))


def _fallback_posts(state, top, person, titles, carry):
    """A bare chamber title (会长某某说) belongs to the chamber the sentence or paragraph is about."""
    if not any(t in _CHAMBER_TITLES for t in titles):
        return []
    before = [m for m in _orgs(top) if m.end <= person.start and m.type in ("Chamber", "Federation")]
    org = before[-1] if before else (carry if carry is not None and carry.type in ("Chamber", "Federation") else None)
    return [(_ent(org), t) for t in titles] if org is not None else []


# --- running and issuing ---------------------------------------------------

def _cue_hits(state, i: int, rel: str):
    """The cue words of `rel` in sentence i. Most sentences hold no cue of any sentence-scanned
    relation: one scan for all of them answers that once per sentence."""
    text = state.sentences[i].text
    if rel in SENTENCE_CUES:
        cued = state.cued.get(i)
        if cued is None:
            cued = state.cued[i] = state.lex.sentence_cue_re.search(text) is not None
        if not cued:
            return ()
    return state.lex.cue_res[rel].finditer(text)  # each caller goes through the hits once


def _runs_and_issues(state, i, top, carry) -> None:
    sent = state.sentences[i]
    for rel, kinds in (("RUNS", ("Program", "Event")), ("ISSUED", ("Document",))):
        for hit in _cue_hits(state, i, rel):
            cue_start, cue_end = sent.start + hit.start(), sent.start + hit.end()
            objects = _objects_after(state, i, top, cue_end, kinds)
            if not objects or rel == "RUNS" and _sends_others(state, cue_end, objects[0]):
                continue
            subjects = _partners_before(state, top, cue_start) if _done_jointly(state, cue_start) else None
            subjects = subjects or _subjects_before(state, top, cue_start, carry)
            for obj in objects:
                for subj in subjects:
                    state.add_edge(_ent(subj), rel, _ent(obj), state.evidence(i, subj.start, obj.end, f"cue:{hit.group()}"),
                                   role=hit.group() if rel == "RUNS" else None)
    _published_in(state, i, top)


_JOINTLY = ("共同", "双方将共同", "双方共同", "携手")


def _done_jointly(state, cue_start: int) -> bool:
    """…签约，(双方将)共同推进X: the cue is done jointly by the pair that signed."""
    return state.text.endswith(_JOINTLY, 0, cue_start)


def _partners_before(state, top, cue_start: int) -> list:
    """The two sides of the nearest A与B before a joint cue, in the same sentence."""
    orgs = [m for m in _orgs(top) if m.end <= cue_start]
    pair = next(((a, b) for a, b in reversed(list(zip(orgs, orgs[1:]))) if state.text[a.end:b.start] == "与"), None)
    return list(pair) if pair else []


def _sends_others(state, cue_end: int, obj) -> bool:
    """组织会员企业参加X会: the subject sends others to an event, it does not run it (组织企业
    参与X行动, a campaign, is running it)."""
    between = state.text[cue_end:obj.start]
    return obj.type == "Event" and any(c in between for c in state.lex.cues["PARTICIPATES_IN"])


def _objects_after(state, i, top, cue_end, kinds):
    """Programmes/events (or documents) after a cue verb, in one clause: the first within a few characters."""
    sent = state.sentences[i]
    _, clause_end = clause_bounds(sent.text, cue_end - sent.start)
    clause_end += sent.start
    out = []
    for m in top:
        if m.start < cue_end or m.start >= clause_end:
            continue
        if not out and m.start == cue_end and "Program" in kinds:
            _quote_as_programme(state, i, m, "quoted-after-cue")
        if m.type not in kinds or _ent(m) is None:
            continue
        if not out and m.start - cue_end > _OBJECT_GAP:
            break
        out.append(m)
    return out


def _subjects_before(state, top, cue_start, carry):
    """The organisation(s) acting before a cue verb: the nearest, with any joined to it by 、/和/及."""
    orgs = [m for m in _orgs(top) if m.end <= cue_start]
    if not orgs:
        return [carry] if carry is not None and _ent(carry) is not None else []
    return _joined_before(state, orgs)


def _published_in(state, i, top) -> None:
    """《X》在某报发表 / 某报以《X》为题: the outlet issued the document."""
    text = state.text
    for k, m in enumerate(top):
        if m.type != "Document":
            continue
        after = top[k + 1] if k + 1 < len(top) else None
        if after is not None and after.type in ORG_TYPES and text[m.end:after.start] == "在" and text.startswith("发表", after.end):
            state.add_edge(_ent(after), "ISSUED", _ent(m), state.evidence(i, m.start, after.end + 2, "published-in"))
        before = top[k - 1] if k > 0 else None
        if before is not None and before.type in ORG_TYPES and text[before.end:m.start] == "以" and text.startswith("为题", m.end):
            state.add_edge(_ent(before), "ISSUED", _ent(m), state.evidence(i, before.start, m.end, "titled"))


# --- cooperation, liaison, participation -------------------------------------

def _cooperation(state, i, top, carry) -> None:
    text, cues = state.text, state.lex.cues
    orgs = _orgs(top)
    for k, (a, b) in enumerate(zip(orgs, orgs[1:])):
        if text[a.end:b.start] != "与":
            continue
        tail = text[b.end:b.end + 8]
        cue = next((c for c in cues["COOPERATES_WITH"] if c in tail), None)
        for s in _joined_before(state, orgs[:k + 1]) if cue else ():  # A、B与C签约: each of A and B
            state.add_edge(_ent(s), "COOPERATES_WITH", _ent(b), state.evidence(i, s.start, b.end, "pair-with-cue"), what=cue)
    sent = state.sentences[i]
    for hit in _cue_hits(state, i, "COOP_WITH_LIST"):
        start, end = sent.start + hit.start(), sent.start + hit.end()
        partners = _list_after(state, top, end, ORG_TYPES)
        if not partners:
            continue
        subjects = _subjects_before(state, top, start, carry)
        _, clause_end = clause_bounds(sent.text, hit.end())
        what = sent.text[hit.start():clause_end][:40]
        for s in subjects:
            for p in partners:
                state.add_edge(_ent(s), "COOPERATES_WITH", _ent(p), state.evidence(i, s.start, p.end, f"cue:{hit.group()}"), what=what)


def _list_after(state, top, pos, kinds):
    """Mentions of `kinds` forming a 、-list that starts right after `pos`."""
    out, cursor = [], pos
    for m in top:
        if m.start < pos:
            continue
        gap = state.text[cursor:m.start]
        if m.type not in kinds or _ent(m) is None or not (_LIST_JOINERS.match(gap) or (not out and len(gap) <= 2 and "," not in gap)):
            break
        out.append(m)
        cursor = m.end
    return out


def _liaison(state, i, top) -> None:
    sent = state.sentences[i]
    for hit in _cue_hits(state, i, "LIAISES_WITH"):
        start, end = sent.start + hit.start(), sent.start + hit.end()
        before = [m for m in top if m.end <= start and m.type in _ORG_OR_PERSON and m.meta.get("entity")]
        after = _list_after(state, top, end, ORG_TYPES)
        if before and after and start - before[-1].end <= 4:
            for target in after:
                state.add_edge(_ent(before[-1]), "LIAISES_WITH", _ent(target),
                               state.evidence(i, before[-1].start, target.end, f"cue:{hit.group()}"), role=hit.group())
    _liaison_officers(state, i, top)


def _liaison_officers(state, i, top) -> None:
    """…担任/任 X 联络员: the holder liaises with X."""
    text = state.text
    sent = state.sentences[i]
    if "联络员" not in text[sent.start:sent.end + 8]:
        return  # every tail looked at below lies inside this stretch
    _hires_liaisons(state, i, top)
    for m in top:
        if m.type not in ORG_TYPES or _ent(m) is None:
            continue
        tail = text[m.end:m.end + 8]
        if "联络员" not in tail:
            continue
        if text.endswith("被", 0, m.start) and _HIRED_AS.match(tail):
            _hired_as_liaison(state, i, top, m)
            continue
        lead = text[max(state.sentences[i].start, m.start - 12):m.start]
        if "担任" not in lead and "任" not in lead[-2:]:
            continue
        subject = next((s for s in reversed(top) if s.end <= m.start - 2 and s.type in ORG_TYPES + ("Person",) and _ent(s)), None)
        if subject is not None:
            state.add_edge(_ent(subject), "LIAISES_WITH", _ent(m), state.evidence(i, subject.start, m.end, "liaison-officer"), role="联络员")


_HIRED_AS = re.compile(r"(?:聘|聘请|聘任|选聘|确定)为")
_HIRES = re.compile(r"(?:还|又|先后|共)?(?:聘请|聘任|选聘)")


def _hires_liaisons(state, i, top) -> None:
    """A聘请B商会秘书长C等12人担任商会联络员: C liaises with A."""
    text = state.text
    for k, hirer in enumerate(top):
        hire = _HIRES.match(text, hirer.end) if hirer.type in ORG_TYPES and _ent(hirer) else None
        if hire is None:
            continue
        role_at = text.find("联络员", hire.end(), state.sentences[i].end)
        if role_at < 0 or not any(w in text[hire.end():role_at] for w in ("担任", "为")):
            continue
        for person in top[k + 1:]:
            if person.start >= role_at:
                break
            if person.type == "Person" and _ent(person) is not None:
                state.add_edge(_ent(person), "LIAISES_WITH", _ent(hirer),
                               state.evidence(i, hirer.start, person.end, "liaison-officer"), role="联络员")


def _hired_as_liaison(state, i, top, body) -> None:
    """B被A聘为统战联络员: B liaises with A."""
    held = next((s for s in reversed(top) if s.end == body.start - 1 and s.type in _ORG_OR_PERSON and _ent(s)), None)
    if held is not None:
        state.add_edge(_ent(held), "LIAISES_WITH", _ent(body), state.evidence(i, held.start, body.end + 8, "liaison-officer"),
                       role="联络员")


def _participation(state, i, top) -> None:
    sent, text = state.sentences[i], state.text
    for k, m in enumerate(top):
        if m.type == "Event" and _ent(m) and text[m.end:m.end + 1] in "上中" and "在" in text[max(sent.start, m.start - 12):m.start]:
            actor = next((o for o in top[k + 1:] if o.type in ORG_TYPES and _ent(o)), None)
            if actor is None:
                continue
            # 在X会上，A与B签订…: both parties were there
            for party in [actor] + _list_after(state, top, actor.end, _ORG_OR_PERSON):
                state.add_edge(_ent(party), "PARTICIPATES_IN", _ent(m), state.evidence(i, m.start, party.end, "at-event"))
    for hit in _cue_hits(state, i, "PARTICIPATES_IN"):
        start, end = sent.start + hit.start(), sent.start + hit.end()
        if text.startswith("举办", end) or text.startswith("组织", end):
            continue
        objects = _objects_after(state, i, top, end, ("Program", "Event"))
        before = [m for m in top if m.end <= start and m.type in _ORG_OR_PERSON and m.meta.get("entity")]
        if objects and before and (start - before[-1].end <= 8 or _LEADS_MEMBERS.match(text, before[-1].end, start)):
            for subject in _joined_before(state, before):  # A、B参加X: each of them
                for obj in objects:
                    state.add_edge(_ent(subject), "PARTICIPATES_IN", _ent(obj),
                                   state.evidence(i, subject.start, obj.end, f"cue:{hit.group()}"))


# A组织47家会员企业参加X: A takes part, leading its members there (the gap runs up to the cue)
_LEADS_MEMBERS = re.compile(r"(?:组织|带领|率领|率)[0-9一二三四五六七八九十百千多余]*[家名个位]?(?:会员)?(?:企业|企业家|会员)?(?:代表)?$")


def _joined_before(state, before: list) -> list:
    """The last of `before` with those joined to it by 、/和/及/与 or 联合/会同 (A联合B组建X: both
    run it), nearest first."""
    group = [before[-1]]
    for m in reversed(before[:-1]):
        gap = state.text[m.end:group[-1].start]
        if not _LIST_JOINERS.match(gap) and gap not in state.lex.cues["COOP_WITH_LIST"]:
            break
        group.append(m)
    return group


# --- hierarchy and places ----------------------------------------------------

def _hierarchy(state, i, top) -> None:
    """A下属的B: B sits under A; A会长单位B, 作为A会长单位，B, B是A的会员企业: B belongs to A."""
    text, cues = state.text, state.lex.cues
    orgs = _orgs(top)
    for a, b in zip(orgs, orgs[1:]):
        gap = text[a.end:b.start]
        if gap in cues["SUBORDINATE"]:
            rel = "SUBORDINATE_TO" if b.type in ("PartyOrg", "Agency") else "AFFILIATED_WITH"
            state.add_edge(_ent(b), rel, _ent(a), state.evidence(i, a.start, b.end, "subordinate"))
        elif gap in cues["AFFILIATE_UNITS"] or gap.rstrip("，,") in cues["AFFILIATE_UNITS"] and text.endswith("作为", 0, a.start):
            state.add_edge(_ent(b), "AFFILIATED_WITH", _ent(a), state.evidence(i, a.start, b.end, "member-unit"))
        elif gap in _IS and b.type in _MEMBER_BODIES and text.startswith(cues["AFFILIATE_UNITS"], b.end + text.startswith("的", b.end)):
            state.add_edge(_ent(a), "AFFILIATED_WITH", _ent(b), state.evidence(i, a.start, b.end, "member-unit"))
    _listed_as_belonging(state, i, orgs)
    _party_set_up_in(state, i, orgs)


_IS = ("是", "为", "系")
_MEMBER_BODIES = ("Chamber", "Federation")


def _listed_as_belonging(state, i, orgs) -> None:
    """A所属商会56家，其中B、C等…: the chambers listed after 其中 belong to A."""
    text, sent = state.text, state.sentences[i]
    owner = next((m for m in orgs if m.type in _MEMBER_BODIES and text.startswith("所属", m.end)), None)
    if owner is None:
        return
    among = text.find("其中", owner.end, sent.end)
    if among < 0:
        return
    for m in orgs:
        if m.start > among and m.type == "Chamber":
            state.add_edge(_ent(m), "AFFILIATED_WITH", _ent(owner), state.evidence(i, owner.start, m.end, "listed-as-belonging"))


_SET_UP_IN = re.compile(r"(?:挂牌)?(?:成立|建立|组建)了?$")


def _party_set_up_in(state, i, orgs) -> None:
    """在/依托A商会(挂牌)成立了B党委: B is A's party organisation."""
    text = state.text
    for a, b in zip(orgs, orgs[1:]):
        if b.type == "PartyOrg" and a.type in _MEMBER_BODIES and text.endswith(("在", "依托"), 0, a.start) \
                and b.start - a.end <= 6 and _SET_UP_IN.search(text, a.end, b.start):
            state.add_edge(_ent(b), "PARTY_ORG_OF", _ent(a), state.evidence(i, a.start, b.end, "party-set-up-in"))


def _adjacent_places(state, top) -> None:
    """江苏省昆山市: two places side by side, the second inside the first."""
    gaz = load_gazetteer()
    places = [m for m in top if m.type == "Place" and m.meta.get("entity")]
    for a, b in zip(places, places[1:]):
        if a.end != b.start:
            continue
        da, db = a.meta.get("division"), b.meta.get("division")
        inside = db is None or (da is not None and da.code in {x.code for x in gaz.ancestors(db)})
        if inside:
            state.add_edge(_ent(b), "LOCATED_IN", _ent(a), state.evidence(a.sentence, a.start, b.end, "adjacent-places"))


def _subordinate_departments(state) -> None:
    """X市委统战部 sits under X市委 — stated when the report names the committee itself."""
    for dept, committee, ev in state.pending_subordinate:
        party = state.registry.get("PartyOrg", committee)
        if party is not None and party.evidence:
            state.add_edge(dept, "SUBORDINATE_TO", party, ev)


def _gazetteer_places(state) -> None:
    """Reference facts: each place inside the nearest larger place the report names (not stated by the report)."""
    gaz = load_gazetteer()
    by_code = {}
    for ent in state.registry:
        if ent.type == "Place":
            div = next((d for d in gaz.lookup(ent.name) if d.name == ent.name), None)
            if div is not None:
                by_code[div.code] = (ent, div)
    for ent, div in by_code.values():
        parent = next((by_code[a.code][0] for a in gaz.ancestors(div) if a.code in by_code), None)
        if parent is not None and ent.evidence:
            ev = ent.evidence[0]._replace(rule="gazetteer")
            state.add_edge(ent, "LOCATED_IN", parent, ev, origin="gazetteer")
