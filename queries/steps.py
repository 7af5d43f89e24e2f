"""Modules a store answers in steps, several short queries where the one query
of the module's text is slow on that store.

`paths` on the embedded store. Kùzu 0.11.3 spent its 219 ms (median, the
10,000-report graph) reading properties no path needed: every property of
all entities for the far end, bound through the name table, and the details
and evidence of every link in the 2,048-node chunks its search passed. So:

1. the ids of the entities each end names (the name table);
2. the search (queries/kuzu/paths.cypher) once for each entity of the end
   that names fewer, bound by its primary key, its paths carrying only their
   nodes' names, types and ids; the paths of all searches merged in the
   module's order and cut to `limit`;
3. each kept link's title-or-role-or-what and evidence, read from its source
   found by its primary key.

65 ms in all (BENCHMARKS.md, section 5). All steps read one graph
(EmbeddedStore.reading), so a refresh landing between them is not seen.
"""
from __future__ import annotations

from typing import Any, Callable

from ..graph.ontology import load_ontology
from .catalog import QueryModule
from .params import fill_placeholders

Run = Callable[[str, dict], list[dict]]  # a query and its parameters → rows
_ENDS = "{{lookup(e, $a)}}\nRETURN e.id AS id"
_LINKS = ("MATCH (u:Entity {{id: $source}})-[r:{rel}]->(v:Entity) WHERE v.id IN $targets "
          "RETURN v.id AS target, coalesce(r.title, r.role, r.what) AS detail, r.evidence AS evidence")


def steps_for(store_kind: str, name: str):
    """The function answering module `name` on `store_kind` in steps, or None where its one
    query serves."""
    return _STEPPED.get((store_kind, name))


def paths(store, module: QueryModule, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of `paths` (queries/paths.cypher), in its order, from the embedded store."""
    with store.reading() as run:
        ids = {end: _entity_ids(run, module, values[end]) for end in ("a", "b")}
        flipped = len(ids["a"]) < len(ids["b"])  # one search per entity of the end naming fewer
        near, far = ("b", "a") if flipped else ("a", "b")
        search = fill_placeholders(module, module.text_for("kuzu"), values, "embedded")
        found = [row for one in ids[far]
                 for row in run(search, {"a": values[near], "b": one, "limit": values["limit"]})]
        kept = sorted((_reversed(r) for r in found) if flipped else found, key=_order)[:values["limit"]]
        links = _link_details(run, [hop for row in kept for hop in _hops(row)])
    return [_finished(row, links) for row in kept]


def _entity_ids(run: Run, module: QueryModule, name: str) -> list[str]:
    return [row["id"] for row in run(fill_placeholders(module, _ENDS, {}, "embedded"), {"a": name})]


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


_STEPPED = {("embedded", "paths"): paths}
