"""The invented world the synthetic reports describe.

Each locality (a real county-level city, county or prefecture city from
data/lexicon/divisions.tsv) has a world of invented bodies: its federation,
united-front department, bureaus, party organisations, chambers,
enterprises, institutions, programmes, events and documents. A world is a
pure function of (corpus seed, locality), so every report about a locality
names the same bodies, and the people holding a post are a pure function of
(seed, body, title): the same person turns up in several reports, as in a
real news corpus, which gives cross-report resolution real work.

An Entity's names are forms made of segments: text, or a Ref to another
entity (a place inside a body's name, the chamber inside its party
branch's name). Rendering a form records every entity it names.
"""
from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources

from corpus_templates import read_list

# Provinces the seed reports are about (35 Fujian, 37 Shandong) and regions whose
# divisions differ (71 Taiwan, 81 Hong Kong, 82 Macau) are left out.
_SKIPPED_PROVINCES = ("35", "37", "71", "81", "82")


@dataclass(frozen=True)
class Ref:
    entity: "Entity"
    form: str = "full"


@dataclass(eq=False)
class Entity:
    """A body, person, programme or place, with its forms of name."""

    type: str  # ontology node type
    kind: str  # slot kind (fed, chamber.town, ...)
    forms: dict[str, tuple]  # form name -> segments (str | Ref)
    place: "Entity | None" = None  # LOCATED_IN target its name implies
    party_of: "Entity | None" = None  # PARTY_ORG_OF target its name implies
    extra_aliases: tuple[str, ...] = ()  # e.g. the bare quoted part of a programme's name
    first: tuple[str, ...] = ("full",)  # forms a first mention may take
    later: tuple[str, ...] = ("full",)  # forms later mentions may take

    @cached_property
    def name(self) -> str:
        return plain(self.forms["full"])

    def form(self, name: str) -> tuple:
        return self.forms.get(name) or self.forms["full"]


def plain(segments: tuple) -> str:
    return "".join(s if isinstance(s, str) else plain(s.entity.form(s.form)) for s in segments)


# ---------------------------------------------------------------- places

@dataclass(frozen=True)
class Division:
    code: str
    name: str
    short: str
    level: str


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    text = resources.files("ufgraph").joinpath("data/lexicon/divisions.tsv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return {r["code"]: Division(r["code"], r["name"], r["short"] or r["name"], r["level"]) for r in rows}


def _usable(d: Division) -> bool:
    return (d.code[:2] not in _SKIPPED_PROVINCES and d.name[-1] in "市县"
            and 3 <= len(d.name) <= 4 and d.short != d.name and len(d.short) >= 2)


@lru_cache(maxsize=1)
def localities() -> tuple[Division, ...]:
    """County-level cities, counties and prefecture cities a report can be about."""
    return tuple(d for d in divisions().values() if d.level in ("city", "county") and _usable(d))


@lru_cache(maxsize=1)
def cities() -> tuple[Division, ...]:
    """Prefecture cities: where hometown chambers and other federations are."""
    return tuple(d for d in localities() if d.level == "city")


def province_of(d: Division) -> Division:
    return divisions()[d.code[:2] + "0000"]


def place_entity(d: Division) -> Entity:
    return Entity("Place", "place", {"full": (d.name,), "short": (d.short,)}, first=("full",),
                  later=("full",))


@lru_cache(maxsize=None)
def other_provinces(code: str) -> tuple[Division, ...]:
    return tuple(d for d in divisions().values()
                 if d.level == "province" and d.code != code and d.short != d.name)


# ---------------------------------------------------------------- people

@lru_cache(maxsize=1)
def surnames() -> tuple[str, ...]:
    """Single-character surnames of the project lexicon, most frequent first."""
    text = resources.files("ufgraph").joinpath("data/lexicon/surnames.txt").read_text("utf-8")
    out = []
    for line in text.splitlines():
        if line.startswith("# compound"):
            break
        if line and not line.startswith("#") and len(line.strip()) == 1:
            out.append(line.strip())
    return tuple(out)


def person_name(rng: random.Random) -> str:
    """An invented name: a surname (frequent ones more often) and one or two given characters."""
    names = surnames()
    surname = names[min(int((rng.paretovariate(1.2) - 1) * 10), len(names) - 1)]
    given = read_list("given")
    return surname + "".join(rng.choice(given) for _ in range(1 if rng.random() < 0.3 else 2))


def person(name: str) -> Entity:
    return Entity("Person", "person", {"full": (name,)})


# ---------------------------------------------------------------- a locality's world

@dataclass(eq=False)
class World:
    """The bodies of one locality, built once from (seed, locality)."""

    seed: int
    locality: Division
    place: Entity
    province: Entity
    loc: str  # 市 or 县: how the locality's own bodies are named in short (市工商联)
    pools: dict[str, list[Entity]] = field(default_factory=dict)
    _parties: dict[int, Entity] = field(default_factory=dict)

    def pool(self, kind: str) -> list[Entity]:
        """Entities of a slot kind: an exact kind (chamber.town) or a family (chamber)."""
        if kind in self.pools:
            return self.pools[kind]
        return [e for k, pool in self.pools.items() if k.split(".")[0] == kind for e in pool]

    def party_of(self, chamber: Entity) -> Entity:
        """The party organisation set up in `chamber`, the same one every time."""
        key = id(chamber)
        if key not in self._parties:
            tail = random.Random(f"{self.seed}:party:{chamber.name}").choice(read_list("party_tail"))
            forms = {"full": (Ref(chamber, "full"), tail)}
            if "short" in chamber.forms:
                forms["short"] = (Ref(chamber, "short"), tail)
            self._parties[key] = Entity("PartyOrg", "party.chamber", forms, party_of=chamber,
                                        first=("full",), later=tuple(forms))
        return self._parties[key]

    def holder(self, body: Entity, title: str) -> Entity:
        """The person holding `title` at `body`: the same name in every report of the corpus."""
        return person(person_name(random.Random(f"{self.seed}:holder:{body.name}:{title}")))


@lru_cache(maxsize=4096)
def world(seed: int, code: str) -> World:
    """The world of locality `code` (a pure function of its arguments)."""
    d = divisions()[code]
    rng = random.Random(f"{seed}:world:{code}")
    w = World(seed, d, place_entity(d), place_entity(province_of(d)), d.name[-1])
    _own_bodies(w)
    _chambers(w, rng)
    _others(w, rng)
    return w


def _own(w: World, type_: str, kind: str, tail: str, **extra) -> Entity:
    """A body named after the locality: full 樟树市X, short 市X."""
    return Entity(type_, kind, {"full": (Ref(w.place), tail), "short": (w.loc + tail,)}, place=w.place,
                  first=("full",), later=("short", "short", "full"), **extra)


def _own_bodies(w: World) -> None:
    fed = Entity("Federation", "fed", {
        "full": (Ref(w.place), "工商联"), "short": (w.loc + "工商联",),
        "dual": (Ref(w.place), "工商联（总商会）"), "dualshort": (w.loc + "工商联（总商会）",),
        "long": (Ref(w.province), Ref(w.place), "工商联（总商会）"),
    }, place=w.place, first=("full", "dual", "long"), later=("short", "short", "full", "dualshort"))
    w.pools["fed"] = [fed]
    w.pools["ufd"] = [_own(w, "Agency", "ufd", "委统战部")]
    w.pools["agency"] = [_own(w, "Agency", "agency", b) for b in read_list("bureau")]
    w.pools["party.fedgroup"] = [_own(w, "PartyOrg", "party.fedgroup", "工商联党组", party_of=fed)]
    w.pools["party.fedbranch"] = [_own(w, "PartyOrg", "party.fedbranch", "工商联机关党支部", party_of=fed)]
    w.pools["party.work"] = [_own(w, "PartyOrg", "party.work", "两新组织党工委")]


def _town(rng: random.Random) -> Entity:
    stem = rng.choice(read_list("town_first")) + rng.choice(read_list("town_second"))
    return Entity("Place", "place.town", {"full": (stem + rng.choice(read_list("town_suffix")),),
                                          "short": (stem,)})


def _chambers(w: World, rng: random.Random) -> None:
    towns = {}
    while len(towns) < 4:
        town = _town(rng)
        towns.setdefault(town.name[:2], town)
    w.pools["chamber.town"] = [
        Entity("Chamber", "chamber.town", {"full": (Ref(w.place), Ref(t), "商会"), "short": (Ref(t), "商会")},
               place=t, later=("short", "short", "full")) for t in towns.values()]
    trades = rng.sample(read_list("trade"), 4)
    w.pools["chamber.trade"] = [_own(w, "Chamber", "chamber.trade", t + rng.choice(read_list("chamber_tail")))
                                for t in trades]
    home = [place_entity(c) for c in rng.sample(cities(), 3) if c.code != w.locality.code][:2]
    w.pools["chamber.out"] = [Entity("Chamber", "chamber.out", {"full": (Ref(p), w.locality.short + "商会")},
                                     place=p) for p in home]
    prov = rng.choice(other_provinces(province_of(w.locality).code))
    w.pools["chamber.in"] = [Entity("Chamber", "chamber.in", {"full": (Ref(w.place), prov.short + "商会")},
                                    place=w.place)]
    w.pools["chamber.youth"] = [_own(w, "Chamber", "chamber.youth", rng.choice(read_list("youth_chamber")))]


def _others(w: World, rng: random.Random) -> None:
    w.pools["ent"] = [_enterprise(w, rng) for _ in range(12)]
    w.pools["inst"] = [_own(w, "Institution", "inst", "社会主义学院")] + [_institution(w, rng) for _ in range(3)]
    stems = rng.sample(read_list("prog_stem"), 8)
    w.pools["prog"] = [_programme(stem, rng.choice(read_list("prog_tail"))) for stem in stems[:6]]
    w.pools["prog.team"] = [_programme(stem, rng.choice(read_list("team_tail"))) for stem in stems[6:]]
    w.pools["prog.plan"] = [_plan(w, rng) for _ in range(2)]
    w.pools["prog.mech"] = [Entity("Program", "prog.mech", {"full": (m,)})
                            for m in rng.sample(read_list("mech"), 2)]
    w.pools["event"] = [_event(w, rng) for _ in range(4)]
    w.pools["doc"] = [_document(w, rng) for _ in range(4)]
    others = [c for c in rng.sample(cities(), 4) if c.code != w.locality.code][:3]
    w.pools["place.other"] = [place_entity(c) for c in others]
    w.pools["fed.other"] = [Entity("Federation", "fed.other", {"full": (Ref(p), "工商联"),
                                                                "short": (p.forms["short"][0] + "工商联",)},
                                   place=p, later=("full", "short")) for p in w.pools["place.other"]]


def _brand(rng: random.Random) -> str:
    first, second = rng.sample(read_list("brand"), 2)
    return first + second + rng.choice(read_list("business"))


def _enterprise(w: World, rng: random.Random) -> Entity:
    brand = _brand(rng)
    where = w.province if rng.random() < 0.6 else w.place
    return Entity("Enterprise", "ent", {"full": (Ref(where, "short"), brand, rng.choice(read_list("ent_ending"))),
                                         "short": (brand,)}, place=where, later=("full", "full", "short"))


def _institution(w: World, rng: random.Random) -> Entity:
    tail = rng.choice(read_list("inst_tail"))
    if tail == "职业技术学院":
        return Entity("Institution", "inst", {"full": (Ref(w.place, "short"), tail)}, place=w.place)
    first, second = rng.sample(read_list("brand"), 2)
    return Entity("Institution", "inst", {"full": (Ref(w.province, "short"), first + second, tail)},
                  place=w.province)


def _programme(stem: str, tail: str) -> Entity:
    return Entity("Program", "prog", {"full": (f"“{stem}”{tail}",)}, extra_aliases=(stem,))


def _plan(w: World, rng: random.Random) -> Entity:
    return Entity("Program", "prog.plan", {"full": (f"“{w.locality.short}{rng.choice(read_list('prog_plan'))}”",)})


def _event(w: World, rng: random.Random) -> Entity:
    if rng.random() < 0.5:
        ordinal = "二三四五六七八九十"[rng.randrange(9)]
        name = f"第{ordinal}届{w.locality.short}{rng.choice(read_list('trade'))}{rng.choice(read_list('trade_event'))}"
    else:
        name = f"{rng.randrange(2019, 2025)}年{w.locality.name}{rng.choice(read_list('local_event'))}"
    return Entity("Event", "event", {"full": (name,)})


def _document(w: World, rng: random.Random) -> Entity:
    return Entity("Document", "doc", {"full": (f"《{w.locality.name}{rng.choice(read_list('doc_subject'))}"
                                               f"{rng.choice(read_list('doc_kind'))}》",)})
