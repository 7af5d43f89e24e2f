"""One synthetic report: facts rendered into sentences, and the gold graph they state.

    writer = ReportWriter(world, rng)
    text = writer.fact(read_facts()["post_ufd_fed"])   # a sentence; writer.gold grows
    writer.gold.to_dict("000001.txt")                  # shared/eval gold format

Gold follows the conventions of shared/eval/gold: an entity's name is its
fullest form (locality expanded), every other surface form the report uses
is an alias; LOCATED_IN comes from names that place a body (樟树市X镇商会 →
X镇, and X镇 → 樟树市 where the text writes them together); a party
organisation named after a body is PARTY_ORG_OF it. Bylines (reporter and
outlet) are report metadata, not gold.
"""
from __future__ import annotations

import random
import unicodedata
from functools import lru_cache

from corpus_templates import PLACEHOLDER, Fact, read_list
from corpus_world import Entity, World

from ufgraph.errors import ConfigError
from ufgraph.graph.ontology import load_ontology

_Key = tuple[str, str]  # (type, name)
_DROP = dict.fromkeys(map(ord, "“”\"《》"), None)


def norm(name: str) -> str:
    """The scorer's matching key (shared/eval/score.py): NFKC, no quotes, no 《》, no spaces."""
    return "".join(unicodedata.normalize("NFKC", name).translate(_DROP).split())


class GoldBook:
    """The gold graph of one report, filled while its sentences are rendered."""

    def __init__(self):
        self.surfaces: dict[_Key, list[str]] = {}
        self.extra: dict[_Key, tuple[str, ...]] = {}
        self.relations: dict[tuple[_Key, str, _Key], dict[str, str]] = {}

    def mention(self, entity: Entity, surface: str) -> None:
        key = (entity.type, entity.name)
        seen = self.surfaces.setdefault(key, [])
        if surface not in seen:
            seen.append(surface)
        self.extra[key] = entity.extra_aliases

    def relate(self, source: Entity, rel: str, target: Entity, props: dict[str, str] | None = None,
               where: str = "a name") -> None:
        if not load_ontology().allows(rel, source.type, target.type):
            raise ConfigError(f"{where}: the ontology has no {rel} from {source.type} to {target.type} "
                              f"({source.name} -> {target.name})")
        key = ((source.type, source.name), rel, (target.type, target.name))
        if rel in _symmetric() and key[2] < key[0]:
            key = (key[2], rel, key[0])
        self.relations.setdefault(key, dict(props or {}))

    def to_dict(self, report: str) -> dict:
        """The gold file: entities (name, aliases) and relations between mentioned entities."""
        aliases = self._aliases()
        entities = [{"type": t, "name": n, **({"aliases": aliases[(t, n)]} if aliases[(t, n)] else {})}
                    for t, n in sorted(self.surfaces)]
        relations = [{"type": rel, "from": src[1], "to": dst[1], **props}
                     for (src, rel, dst), props in sorted(self.relations.items())
                     if src in self.surfaces and dst in self.surfaces]
        return {"report": report, "entities": entities, "relations": relations}

    def _aliases(self) -> dict[_Key, list[str]]:
        """Surface forms other than the name; a form two entities share names neither."""
        owners: dict[str, set[_Key]] = {}
        for key in self.surfaces:
            owners.setdefault(norm(key[1]), set()).add(key)
        clash = [n for n, keys in owners.items() if len(keys) > 1]
        if clash:
            raise ConfigError(f"two gold entities of one report share the name {clash[0]!r}")
        forms = {k: [f for f in [*self.surfaces[k], *self.extra.get(k, ())] if norm(f) != norm(k[1])]
                 for k in self.surfaces}
        count: dict[str, int] = {}
        for key, items in forms.items():
            for n in {norm(f) for f in items}:
                count[n] = count.get(n, 0) + 1
        return {k: sorted({f for f in items if count[norm(f)] == 1 and norm(f) not in owners})
                for k, items in forms.items()}


@lru_cache(maxsize=1)
def _symmetric() -> frozenset[str]:
    return frozenset(name for name, spec in load_ontology().rel_types.items() if spec.symmetric)


class ReportWriter:
    """Renders facts for one report about `world`, recording the gold they state."""

    def __init__(self, world: World, rng: random.Random):
        self.world = world
        self.rng = rng
        self.gold = GoldBook()
        self.seen: set[_Key] = set()
        self.persons: list[Entity] = []
        self.told: set = set()  # fact patterns, noise and filler items used in this report

    # ------------------------------------------------------------ entities

    def entity(self, entity: Entity, form: str | None = None) -> str:
        """The text of one mention; an entity's first mention takes one of its `first` forms."""
        key = (entity.type, entity.name)
        if form is None:
            form = self.rng.choice(entity.later if key in self.seen else entity.first)
        text = self._segments(entity.form(form))
        self.gold.mention(entity, text)
        self.seen.add(key)
        if entity.type == "Person" and key not in {(p.type, p.name) for p in self.persons}:
            self.persons.append(entity)
        if entity.place is not None:
            self.gold.relate(entity, "LOCATED_IN", entity.place)
        if entity.party_of is not None:
            self.gold.relate(entity, "PARTY_ORG_OF", entity.party_of)
        return text

    def _segments(self, segments: tuple) -> str:
        out, previous = [], None
        for seg in segments:
            if isinstance(seg, str):
                out.append(seg)
                previous = None
                continue
            out.append(self.entity(seg.entity, seg.form))
            if previous is not None and previous.type == seg.entity.type == "Place":
                self.gold.relate(seg.entity, "LOCATED_IN", previous)  # 江西省樟树市: written together
            previous = seg.entity
        return "".join(out)

    # ------------------------------------------------------------ facts

    def fact(self, fact: Fact) -> str | None:
        """One sentence stating `fact`, or None when it cannot be told here (no person named yet)."""
        values = self._bind(fact)
        if values is None:
            return None
        text = self.fill(self.rng.choice(fact.sentences), values)
        for line in fact.gold:
            props = {k: str(values.get(v, v)) for k, v in line.props}
            for source in _as_list(values[line.source]):
                for target in _as_list(values[line.target]):
                    self.gold.relate(source, line.rel, target, props, f"facts.tpl [{fact.name}]")
        return text

    def fill(self, template: str, values: dict | None = None) -> str:
        """Replace the placeholders of `template`, left to right (so first mentions come first)."""
        values = values or {}

        def replace(match) -> str:
            token = match.group(1)
            if token[0] == "@":
                return self.fill(self._filler(token[1:]), values)
            if token[0] == "#":
                return self._number(token[1:])
            if token == "$loc":
                return self.world.loc
            name, _, form = token.partition(":")
            value = values[name]
            if isinstance(value, Entity):
                return self.entity(value, form or None)
            if isinstance(value, list):
                return "、".join(self.entity(v) for v in value)
            return value

        return PLACEHOLDER.sub(replace, template)

    def _filler(self, name: str) -> str:
        """An item of list `name`, one this report has not used yet while there are such."""
        items = read_list(name)
        fresh = [i for i in items if (name, i) not in self.told] or items
        item = self.rng.choice(fresh)
        self.told.add((name, item))
        return item

    def _bind(self, fact: Fact) -> dict | None:
        values: dict = {}
        used: set[int] = set()
        for slot in fact.slots:
            if slot.kind == "entity":
                values[slot.name] = self._pick(slot.arg, 1, used)[0]
            elif slot.kind == "list":
                values[slot.name] = self._pick(slot.arg, self.rng.randint(slot.low, slot.high), used)
            elif slot.kind in ("title", "word"):
                values[slot.name] = self.rng.choice(read_list(f"title.{slot.arg}" if slot.kind == "title" else slot.arg))
            elif slot.kind == "holder":
                values[slot.name] = self.world.holder(values[slot.arg], values.get(slot.arg2, slot.arg2))
            elif slot.kind == "party":
                values[slot.name] = self.world.party_of(values[slot.arg])
            elif slot.kind == "known":
                if not self.persons:
                    return None
                values[slot.name] = self.rng.choice(self.persons)
        return values

    def _pick(self, spec: str, count: int, used: set[int]) -> list[Entity]:
        """`count` distinct entities of one of the kinds in `spec` (a|b), none bound already."""
        kinds = spec.split("|")
        self.rng.shuffle(kinds)
        for kind in kinds:
            pool = [e for e in self.world.pool(kind) if id(e) not in used]
            if len(pool) >= count:
                chosen = self.rng.sample(pool, count)
                used.update(id(e) for e in chosen)
                return chosen
        raise ConfigError(f"{self.world.locality.name}: fewer than {count} entities of kind {spec!r}")

    def _number(self, kind: str) -> str:
        if kind == "money":
            return f"{self.rng.uniform(0.5, 30):.1f}"
        if kind == "month":
            return str(self.rng.randint(1, 12))
        if kind == "few":
            return str(self.rng.randint(2, 9))
        if kind == "ord":
            return "二三四五六七八九"[self.rng.randrange(8)]
        return str(self.rng.randint(2, 60))


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]
