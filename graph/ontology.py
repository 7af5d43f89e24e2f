"""The ontology, loaded once from data/ontology.json (schema as data).

Code asks this module whether a type or property exists; it never keeps its
own list. Labels and relationship types pass `check_label` /
`check_rel_type` before they may enter query text.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import OntologyError

_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z_]*$")


@dataclass(frozen=True)
class RelType:
    name: str
    sources: frozenset[str]
    targets: frozenset[str]
    properties: tuple[str, ...]
    symmetric: bool


@dataclass(frozen=True)
class Ontology:
    node_types: tuple[str, ...]
    organisation_types: frozenset[str]
    rel_types: dict[str, RelType]

    def check_label(self, label: str) -> str:
        """Return `label` when it is a node type of the ontology, else raise."""
        if label not in self.node_types or not _IDENTIFIER.match(label):
            raise OntologyError(f"unknown node type {label!r}")
        return label

    def check_rel_type(self, name: str) -> str:
        """Return `name` when it is a relationship type of the ontology, else raise."""
        if name not in self.rel_types or not _IDENTIFIER.match(name):
            raise OntologyError(f"unknown relationship type {name!r}")
        return name

    def allows(self, rel: str, source_type: str, target_type: str) -> bool:
        """True when the ontology allows `rel` from `source_type` to `target_type`."""
        spec = self.rel_types.get(rel)
        return bool(spec and source_type in spec.sources and target_type in spec.targets)


@lru_cache(maxsize=1)
def load_ontology() -> Ontology:
    raw = json.loads(resources.files("ufgraph").joinpath("data/ontology.json").read_text("utf-8"))
    rels = {
        name: RelType(name, frozenset(spec["from"]), frozenset(spec["to"]),
                      tuple(spec.get("properties", [])), bool(spec.get("symmetric")))
        for name, spec in raw["relationship_types"].items()
    }
    nodes = raw["node_types"]
    orgs = frozenset(t for t, spec in nodes.items() if spec.get("organisation"))
    return Ontology(tuple(nodes), orgs, rels)
