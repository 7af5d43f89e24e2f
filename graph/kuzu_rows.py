"""Records as the embedded store's Kùzu tables hold them, one row (a dict) per record.

A full write bulk-loads tables built from these rows (graph/kuzu_tables.py,
with pyarrow); a change (EmbeddedStore.apply) passes them to Cypher as
parameters. Kept apart from the tables so that a change, which writes a few
hundred rows, never imports pyarrow (0.1 s, and its conversions import
pandas, 0.3 s more).
"""
from __future__ import annotations

from .evidence_text import evidence_json
from .model import SCORES, Edge, Node, Report
from .ontology import load_ontology
from .resolve import evidence_dates
from .store import entity_forms

EDGE_PROPS = ("title", "role", "what")
NODE_OF = "MATCH (n:Entity {id: $id}) RETURN n.type, n.name, n.aliases"  # a stored node, by primary key


def relationship_tables() -> tuple[list[str], list[str]]:
    """(Entity→Entity types, Entity→Report types), from the ontology, each name checked."""
    onto = load_ontology()
    to_report = [onto.check_rel_type(n) for n, s in onto.rel_types.items() if s.targets == {"Report"}]
    between = [onto.check_rel_type(n) for n in onto.rel_types if n not in to_report]
    return between, to_report


def entity_row(n: Node, post_types: list[str] | None = None) -> dict:
    """`post_types`: see graph/store.held_post_types; a change leaves it None and counts it in
    the store (graph/embedded.py). `report_count` is the size of `reports`, kept beside it because
    Kùzu reads a whole column for a query: `search` read every entity's report list to count it
    (kuzu/search.cypher)."""
    reports = [r for r in n.reports if r]
    row = {"id": n.id, "type": n.type, "name": n.name, "aliases": list(n.aliases),
           "forms": entity_forms(n.name, n.aliases), "post_types": post_types,
           "reports": reports, "report_count": len(reports)}
    for score in SCORES:
        row[score] = n.props.get(score)
    return row


def report_row(r: Report) -> dict:
    return {"id": r.id, "title": r.title, "date": r.date, "source": r.source, "authors": list(r.authors),
            "path": r.path}


def edge_row(e: Edge) -> dict:
    row = {"from": e.source, "to": e.target}
    for prop in EDGE_PROPS:
        row[prop] = e.props.get(prop)
    row["reports"] = [r for r in e.reports if r]
    row["dates"] = evidence_dates(e.evidence)
    row["origin"] = e.origin
    row["evidence"] = evidence_json(e.evidence)
    return row

