"""Modules a store answers in steps, several short queries where the one query
of the module's text is slow on that store.

On the embedded store an entity found through the name table cannot start a
walk well: Kùzu 0.11.3 then reads every property of all entities for a
path's far end (`paths`), or walks from every place (`place`). Bound by its
primary key it can. So both modules first read the ids of the entities the
name names, then run their variant text (queries/kuzu/) once for each, and
merge the rows in the module's order, cut to `limit`.

`paths`: the search runs once for each entity of the end that names fewer,
its paths carrying only their nodes' names, types and ids; each kept link's
title-or-role-or-what and evidence are read last, from its source found by
its primary key. Carried by the search, they were read for every link in the
2,048-node chunks it passed. 10,000-report graph: 219 -> 65 ms median.

`place`: the walk runs once for each place the name names. A province:
84 -> 43-49 ms median.

All steps read one graph (EmbeddedStore.reading), so a refresh landing
between them is not seen. BENCHMARKS.md, section 5, has the measurements.
"""
from __future__ import annotations

from typing import Any, Callable

from ..graph.ontology import load_ontology
from .catalog import QueryModule
from .params import fill_placeholders, lookup_clause, used_params

Run = Callable[[str, dict], list[dict]]  # a query and its parameters → rows
_ENDS = lookup_clause("e", "name", "embedded") + "\nWHERE $type = '' OR e.type = $type\nRETURN e.id AS id"
_LINKS = ("MATCH (u:Entity {{id: $source}})-[r:{rel}]->(v:Entity) WHERE v.id IN $targets "
          "RETURN v.id AS target, coalesce(r.title, r.role, r.what) AS detail, r.evidence AS evidence")


def steps_for(store_kind: str, name: str):
    """The function answering module `name` on `store_kind` in steps, or None where its one
    query serves."""
    return _STEPPED.get((store_kind, name))


def paths(store, module: QueryModule, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of `paths` (queries/paths.cypher), in its order, from the embedded store."""
    with store.reading() as run:
        ids = {end: _entity_ids(run, values[end]) for end in ("a", "b")}
        flipped = len(ids["a"]) < len(ids["b"])  # one search per entity of the end naming fewer
        near, far = ("b", "a") if flipped else ("a", "b")
        found = _each_entity(run, module, {**values, "a": values[near]}, "b", ids[far])
        kept = sorted((_reversed(r) for r in found) if flipped else found, key=_order)[:values["limit"]]
        links = _link_details(run, [hop for row in kept for hop in _hops(row)])
    return [_finished(row, links) for row in kept]


def place(store, module: QueryModule, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of `place` (queries/place.cypher), in its order, from the embedded store."""
    with store.reading() as run:
        places = _entity_ids(run, values["name"], "Place")
        found = _each_entity(run, module, values, "name", places)
    once: dict[tuple, dict] = {}  # an organisation within two places of one name: one row, as the module groups
    for row in found:
        once.setdefault((row["place"], row["organisation_id"]), row)
    return sorted(once.values(), key=lambda r: (r["organisation"], r["organisation_id"]))[:values["limit"]]


def _entity_ids(run: Run, name: str, entity_type: str = "") -> list[str]:
    """The ids of the entities `name` names (by id, name or alias), of `entity_type` when given."""
    return [row["id"] for row in run(_ENDS, {"name": name, "type": entity_type})]


def _each_entity(run: Run, module: QueryModule, values: dict[str, Any], param: str, ids: list[str]) -> list[dict]:
    """The rows of the module's variant text run once for each id, given as parameter `param`."""
    text = fill_placeholders(module, module.text_for("kuzu"), values, "embedded")
    return [row for one in ids for row in run(text, {**used_params(text, values), param: one})]


def _order(row: dict) -> tuple:
    """The search's ORDER BY: length, then the names and relationship types along the path."""
    return row["length"], "/".join(row["names"] + row["rels"]) + "/"


def _reversed(row: dict) -> dict:
    """A path read from its other end: each hop's link then points the other way."""
    return {**{k: row[k][::-1] for k in ("names", "types", "rels", "ids")},
            "length": row["length"], "forward": [not f for f in reversed(row["forward"])]}


def _hops(row: dict) -> list[tuple[str, str, str]]:
    """Each hop's link as (source id, type, target id)."""
    ids = row["ids"]
    return [(ids[i], rel, ids[i + 1]) if forward else (ids[i + 1], rel, ids[i])
            for i, (rel, forward) in enumerate(zip(row["rels"], row["forward"]))]


def _link_details(run: Run, hops: list[tuple[str, str, str]]) -> dict[tuple, tuple]:
    """(source, type, target) → (title-or-role-or-what, evidence), one query per source and type."""
    targets: dict[tuple[str, str], set[str]] = {}
    for source, rel, target in hops:
        targets.setdefault((source, rel), set()).add(target)
    onto = load_ontology()
    out = {}
    for (source, rel), ends in targets.items():
        text = _LINKS.format(rel=onto.check_rel_type(rel))
        for row in run(text, {"source": source, "targets": sorted(ends)}):
            out[source, rel, row["target"]] = row["detail"], row["evidence"]
    return out


def _finished(row: dict, links: dict[tuple, tuple]) -> dict[str, Any]:
    found = [links[hop] for hop in _hops(row)]
    return {"length": row["length"], "names": row["names"], "types": row["types"], "rels": row["rels"],
            "forward": row["forward"], "details": [d for d, _ in found], "sentences": [e for _, e in found]}


_STEPPED = {("embedded", "paths"): paths, ("embedded", "place"): place}
