"""The report's entity registry: canonical names, aliases and mentions, one
entry per (type, normalised name)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..graph.model import Evidence
from ..graph.names import clean_name, norm_key, node_id


# Sentences kept per entity and per edge in one report: enough to show and check, while a
# report that repeats a name thousands of times does not blow up the graph document.
MAX_EVIDENCE = 20


@dataclass(slots=True)
class Entity:
    type: str
    name: str
    aliases: set[str] = field(default_factory=set)
    evidence: list[Evidence] = field(default_factory=list)
    id: str = ""
    mentions: int = 0  # all mentions; `evidence` keeps the first MAX_EVIDENCE
    given_aliases: set[str] = field(default_factory=set)  # aliases as given, each looked at once

    def __post_init__(self) -> None:
        self.id = node_id(self.type, self.name)


class Registry:
    """Entities of one report, keyed by type and normalised canonical name."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], Entity] = {}
        # (type, name as given) → (entity, normalised name): a report gives the same names again
        # and again (its locality with every body placed there), so they are cleaned once
        self._by_given: dict[tuple[str, str], tuple[Entity, str]] = {}

    def add(self, etype: str, name: str, aliases=(), evidence: Evidence | None = None) -> Entity:
        found = self._by_given.get((etype, name))
        if found is None:
            clean = clean_name(name)
            norm = norm_key(clean)
            ent = self._by_key.get((etype, norm))
            if ent is None:
                ent = self._by_key[(etype, norm)] = Entity(etype, clean)
            found = self._by_given[(etype, name)] = (ent, norm)
        ent, norm = found
        for alias in aliases:
            # a report passes the same aliases again and again (a locality's short form with
            # every body placed there); what becomes of one depends on the entity and it alone
            if alias in ent.given_aliases:
                continue
            ent.given_aliases.add(alias)
            if alias and norm_key(alias) != norm:
                ent.aliases.add(clean_name(alias))
        if evidence is not None:
            ent.mentions += 1
            if len(ent.evidence) < MAX_EVIDENCE:
                ent.evidence.append(evidence)
        return ent

    def get(self, etype: str, name: str) -> Entity | None:
        return self._by_key.get((etype, norm_key(name)))

    def __iter__(self):
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)
