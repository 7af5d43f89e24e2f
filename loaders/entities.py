"""The report's entity registry: canonical names, aliases and mentions, one
entry per (type, normalised name)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..graph.model import Evidence
from ..graph.names import clean_name, norm_key, node_id


@dataclass
class Entity:
    type: str
    name: str
    aliases: set[str] = field(default_factory=set)
    evidence: list[Evidence] = field(default_factory=list)
    id: str = ""

    def __post_init__(self) -> None:
        self.id = node_id(self.type, self.name)


class Registry:
    """Entities of one report, keyed by type and normalised canonical name."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], Entity] = {}

    def add(self, etype: str, name: str, aliases=(), evidence: Evidence | None = None) -> Entity:
        name = clean_name(name)
        key = (etype, norm_key(name))
        ent = self._by_key.get(key)
        if ent is None:
            ent = self._by_key[key] = Entity(etype, name)
        ent.aliases.update(clean_name(a) for a in aliases if a and norm_key(a) != key[1])
        if evidence is not None:
            ent.evidence.append(evidence)
        return ent

    def get(self, etype: str, name: str) -> Entity | None:
        return self._by_key.get((etype, norm_key(name)))

    def __iter__(self):
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)
