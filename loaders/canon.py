"""Within-report resolution: the report's locality, overlaps between
mentions, and canonical names (市工商联 → <locality>工商联, 总商会 → the
federation, 台州商会 in a report about another city → that city's 台州商会)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .gazetteer import Division, load_gazetteer, places_in
from .lexicon import Lexicon
from .mentions import Mention

ORG_TYPES = ("Federation", "Chamber", "PartyOrg", "Agency", "Enterprise", "Institution")
_LEVEL_CHARS = "省市县区州"
_TOWN_END = ("镇", "乡", "街道")
_TOWN_AFTER_PLACES = re.compile(r"[\u4e00-\u9fff]{2,3}?(镇|街道)")
_XIANG_AFTER_PLACES = re.compile(r"[\u4e00-\u9fff]{2}乡")


@dataclass
class Context:
    """What a report says about itself that names depend on."""

    locality: Division | None
    places: list[Division]  # divisions the report mentions, for disambiguation
    lead_cache: dict = field(default_factory=dict)
    name_cache: dict = field(default_factory=dict)  # org_name's answers: a report repeats its bodies' names
    resolve_cache: dict = field(default_factory=dict)  # surface → division in this report's context


def find_locality(title: str, places: list[Mention]) -> Context:
    """The report's locality: the county- or city-level place it names most (the title counts thrice)."""
    gaz = load_gazetteer()
    votes: Counter[str] = Counter()
    for m in places:
        if m.rule == "gazetteer":
            votes[m.surface] += 1
    for s, e, surface in gaz.matches(title):
        votes[surface] += 3
    resolved = [d for d in (gaz.resolve(s) for s in votes) if d]
    tally: Counter[str] = Counter()
    for surface, n in votes.items():
        d = gaz.resolve(surface, resolved)
        if d and d.level in ("city", "county"):
            tally[d.code] += n
    best = tally.most_common(1)
    return Context(gaz.get(best[0][0]) if best else None, resolved)


def select_top(mentions: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping mentions; nested ones go into the keeper's `inner`."""
    ordered = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start)))
    top: list[Mention] = []
    for m in ordered:
        # `top` holds disjoint spans in order and m starts at or after all of them, so only
        # the last one can hold m
        last = top[-1] if top else None
        holder = last if last is not None and last.start <= m.start and m.end <= last.end else None
        if holder is not None:
            holder.inner.append(m)
        elif top and m.start < top[-1].end:
            continue  # a partial overlap: the earlier, longer one wins
        else:
            top.append(m)
    return top


def leading_places(surface: str, ctx: Context) -> list[tuple[int, int, Division | None, str]]:
    """Consecutive places at the start of a name: (start, end, division or None for a township, surface)."""
    cached = ctx.lead_cache.get(surface)
    if cached is None:
        cached = ctx.lead_cache[surface] = _leading_places(surface, ctx)
    return cached


def _leading_places(surface: str, ctx: Context) -> list[tuple[int, int, Division | None, str]]:
    out, pos = [], 0
    for s, e, name in places_in(surface):
        if s != pos:
            break
        div = resolve_in_report(name, ctx)
        if out and not _inside(div, out[-1][2]):
            break  # 杭州市昆山商会: the second place is where members come from, not where it is
        out.append((s, e, div, name))
        pos = e
    town = _TOWN_AFTER_PLACES.match(surface[pos:]) or _XIANG_AFTER_PLACES.match(surface[pos:])
    if out and town and len(surface) > pos + town.end():
        out.append((pos, pos + town.end(), None, town.group()))
    return out


def resolve_in_report(surface: str, ctx: Context) -> Division | None:
    """gazetteer.resolve with the report's places and locality as context, kept per report."""
    if surface not in ctx.resolve_cache:
        context = ctx.places + ([ctx.locality] if ctx.locality else [])
        ctx.resolve_cache[surface] = load_gazetteer().resolve(surface, context)
    return ctx.resolve_cache[surface]


def _inside(inner: Division | None, outer: Division | None) -> bool:
    if inner is None or outer is None:
        return False
    return outer.code in {a.code for a in load_gazetteer().ancestors(inner)}


def expand_locality(surface: str, ctx: Context) -> str | None:
    """市工商联 → 昆山市工商联 when the report is about 昆山市; in a report about a district,
    区工商联 is the district's and 市工商联 the city's above it."""
    loc = ctx.locality
    if not loc or not surface or surface[0] not in _LEVEL_CHARS or surface.startswith("市场"):
        return None
    for level in [loc] + load_gazetteer().ancestors(loc):
        if level.name.endswith(surface[0]):
            return level.name + surface[1:]
    return None


def org_name(m: Mention, ctx: Context, lex: Lexicon) -> tuple[str, list[str], str]:
    """Canonical name, aliases and how it was placed ('explicit', 'locality', 'hometown', 'head', 'none')."""
    key = (m.surface, m.type, m.rule.startswith("quoted"))  # all of m that the answer depends on
    found = ctx.name_cache.get(key)
    if found is None:
        found = ctx.name_cache[key] = _org_name(m, ctx, lex)
    name, aliases, how = found
    return name, list(aliases), how


def _org_name(m: Mention, ctx: Context, lex: Lexicon) -> tuple[str, list[str], str]:
    head = split_head(m.surface, m.type, lex)
    if head is not None:
        head_surface, head_type = head
        rest = m.surface[len(head_surface):]
        inner = Mention(m.start, m.start + len(head_surface), head_type, head_surface, m.rule, m.sentence)
        name, aliases, _ = org_name(inner, ctx, lex)
        return name + rest, [m.surface] + [a + rest for a in aliases], "head"
    surface = m.surface
    aliases = [surface]
    if m.type == "Federation":
        surface, fed_aliases = _federation_forms(surface)
        aliases += fed_aliases
    if surface in lex.whole_names or m.rule.startswith("quoted"):
        return surface, aliases, "none"
    expanded = expand_locality(surface, ctx)
    if expanded:
        return expanded, aliases, "locality"
    lead = leading_places(surface, ctx)
    if not lead:
        return _unplaced(surface, m, ctx, aliases)
    return _placed(surface, lead, m, ctx, aliases)


def split_head(surface: str, outer_type: str, lex: Lexicon) -> tuple[str, str] | None:
    """The federation or chamber a name begins with (X工商联 in X工商联党支部, X商会 in X商会Y分会)."""
    if outer_type not in ("PartyOrg", "Chamber", "Institution"):
        return None
    best = None
    for hit in lex.suffix_re.finditer(surface):
        kind = lex.suffix_type[hit.group()]
        end = hit.end()
        if kind == "Federation" and surface.startswith("(总商会)", end):
            end += len("(总商会)")
        if kind not in ("Federation", "Chamber") or len(surface) - end < 2:
            continue
        if end - len(hit.group()) >= 1 or surface[:end] in lex.whole_names:
            best = (surface[:end], kind)
    return best


def _federation_forms(surface: str) -> tuple[str, list[str]]:
    base = surface.replace("(总商会)", "")
    if base.endswith("总商会"):
        base = base[:-3] + "工商联"
    stem = base[:-3]
    return base, [f"{stem}总商会", f"{stem}工商联(总商会)"] if stem else []


def _unplaced(surface, m, ctx, aliases):
    """A name with no place in front: chambers, agencies and party bodies take the report's locality."""
    loc = ctx.locality
    if surface[:1] in _LEVEL_CHARS and not surface.startswith("市场"):
        return surface, aliases, "none"  # 省工商联 in a report about a municipality: no level to name
    if loc and m.type in ("Chamber", "Agency", "PartyOrg", "Federation") and not surface.startswith(("全国", "中共", "中华", "中央")):
        return loc.name + surface, aliases, "locality"
    return surface, aliases, "none"


def _placed(surface, lead, m, ctx, aliases):
    """Drop outer places of a chain (江苏省昆山市X → 昆山市X), spell short forms out (昆山X → 昆山市X)."""
    s, e, div, name = lead[-1] if lead[-1][2] is not None else (lead[-2] if len(lead) > 1 else lead[-1])
    if len(lead) > 1 and lead[-1][2] is None:  # a township keeps its county in front
        s = lead[-2][0]
    rest = surface[s:]
    if div is not None and name != div.name and name == div.short:
        rest = div.name + surface[e:]
    following = places_in(surface[e:e + 4])
    origin_follows = bool(following) and following[0][0] == 0
    if m.type == "Chamber" and len(lead) == 1 and div is not None and not origin_follows and _is_hometown(div, ctx):
        loc = ctx.locality
        return loc.name + surface, aliases, "hometown"
    return rest, aliases, "explicit"


def _is_hometown(div: Division, ctx: Context) -> bool:
    """A chamber named after a place outside the report's locality sits in the locality (苏州市台州商会)."""
    loc = ctx.locality
    if loc is None or div.code == loc.code:
        return False
    gaz = load_gazetteer()
    inside = {a.code for a in gaz.ancestors(div)}
    above = {a.code for a in gaz.ancestors(loc)}
    return loc.code not in inside and div.code not in above


def place_name(m: Mention, ctx: Context) -> tuple[str, list[str], Division | None]:
    """A place's canonical full name (昆山 → 昆山市), aliases, and its division."""
    if m.rule in ("township", "country", "township-list"):
        short = m.surface[:-1] if m.surface.endswith(("镇", "乡")) else m.surface
        return m.surface, [short] if short != m.surface else [], None
    div = resolve_in_report(m.surface, ctx)
    if div is None:
        return m.surface, [], None
    aliases = [a for a in {m.surface, div.short} if a and a != div.name]
    return div.name, sorted(aliases), div
