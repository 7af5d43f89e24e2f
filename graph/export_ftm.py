"""followthemoney (FtM) entities of a graph document, as JSON lines.

Node types map to FtM schemata (Person, Organization, Company, PublicBody,
Project, Event, Document, Address); each report becomes a Document that
links cite as `proof`. Relationships become interval entities:

- a post (HOLDS_POST) at an Agency is an Occupancy of a Position of that body;
  at another organisation a Directorship (role = the title), or a Membership
  when the title only says member (会员, 成员, 党员, 委员) or is missing; at a
  programme a ProjectParticipant; at an event an UnknownLink.
- AFFILIATED_WITH is a Membership of the member unit in the organisation.
- RUNS and PARTICIPATES_IN with a programme are ProjectParticipant.
- every other link is an UnknownLink whose role names the relationship.

Every link keeps its evidence sentences (`description`), report dates
(`date`) and outlets (`publisher`). The package followthemoney is not needed
to write entities; when it is importable, `validate_entities` checks them
against its model.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import PurePath
from typing import IO, Iterable, Iterator

from ..errors import RecordError
from .model import Edge, GraphDocument, Node, Report
from .network import edge_dates

SCHEMA_OF_TYPE = {
    "Person": "Person", "Federation": "Organization", "Chamber": "Organization",
    "PartyOrg": "Organization", "Agency": "PublicBody", "Enterprise": "Company",
    "Institution": "Organization", "Program": "Project", "Event": "Event",
    "Document": "Document", "Place": "Address",
}
MEMBER_TITLE_ENDINGS = ("会员", "成员", "党员", "委员")
ROLE_OF_REL = {
    "PARTY_ORG_OF": "party organisation of", "SUBORDINATE_TO": "subordinate to", "RUNS": "runs",
    "PARTICIPATES_IN": "participates in", "COOPERATES_WITH": "cooperates with",
    "LIAISES_WITH": "liaises with", "ISSUED": "issued", "LOCATED_IN": "located in",
    "HOLDS_POST": "holds post",
}


def ftm_entities(doc: GraphDocument) -> Iterator[dict]:
    """The FtM entities of `doc`: reports, nodes, then one link (and maybe a Position) per edge."""
    for report in doc.reports:
        yield report_entity(report)
    nodes = {n.id: n for n in doc.nodes}
    for node in doc.nodes:
        yield node_entity(node)
    dates = {r.id: r.date for r in doc.reports}
    outlets = {r.id: r.source for r in doc.reports if r.source}
    for edge in doc.edges:
        if edge.type == "MENTIONED_IN":
            continue  # node evidence already names the reports
        yield from link_entities(edge, nodes, dates, outlets)


def write_ftm(doc: GraphDocument, stream: IO[str], validate: bool = True) -> None:
    """Write the entities of `doc` as JSON lines; checked against the FtM model when it is installed."""
    entities = list(ftm_entities(doc))
    if validate:
        validate_entities(entities)
    for entity in entities:
        stream.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")


def report_entity(report: Report) -> dict:
    props = {"title": [report.title], "name": [report.title or report.id], "date": [report.date],
             "publisher": [report.source], "author": list(report.authors),
             "fileName": [PurePath(report.path).name if report.path else ""]}
    return _entity(report.id, "Document", props)


def node_entity(node: Node) -> dict:
    schema = SCHEMA_OF_TYPE[node.type]
    props = {"name": [node.name], "alias": list(node.aliases), "keywords": [node.type],
             "proof": node.reports}
    if schema == "Address":
        props["full"] = [node.name]
    return _entity(node.id, schema, props)


def link_entities(edge: Edge, nodes: dict[str, Node], dates: dict[str, str],
                  outlets: dict[str, str]) -> list[dict]:
    """The FtM entities that state `edge` (a Position comes first where the link needs one)."""
    if edge.source not in nodes or edge.target not in nodes:
        raise RecordError(f"edge {edge.type} {edge.source}->{edge.target}: endpoint not a node of the document")
    source, target = nodes[edge.source], nodes[edge.target]
    common = {"proof": edge.reports, "date": edge_dates(edge, dates),
              "description": list(dict.fromkeys(e.sentence for e in edge.evidence if e.sentence)),
              "publisher": sorted({outlets[r] for r in edge.reports if r in outlets})}
    link_id = _make_id("link", edge.source, edge.type, edge.target)
    if edge.type == "HOLDS_POST":
        return _post(edge, source, target, link_id, common)
    if edge.type == "AFFILIATED_WITH" and SCHEMA_OF_TYPE[target.type] in ("Organization", "PublicBody", "Company"):
        return [_entity(link_id, "Membership", {**common, "member": [source.id], "organization": [target.id]})]
    role = edge.props.get("role") or edge.props.get("what") or ROLE_OF_REL.get(edge.type, edge.type)
    if target.type == "Program" and edge.type in ("RUNS", "PARTICIPATES_IN") and source.type != "Place":
        return [_participant(link_id, source, target, role, common)]
    return [_entity(link_id, "UnknownLink", {**common, "subject": [source.id], "object": [target.id],
                                             "role": [role]})]


def _post(edge: Edge, person: Node, org: Node, link_id: str, common: dict) -> list[dict]:
    title = str(edge.props.get("title") or "")
    schema = SCHEMA_OF_TYPE[org.type]
    if schema == "PublicBody":
        position_id = _make_id("position", org.id, title)
        position = _entity(position_id, "Position", {"name": [f"{org.name}{title}" if title else org.name],
                                                      "organization": [org.id], "proof": edge.reports})
        return [position, _entity(link_id, "Occupancy", {**common, "holder": [person.id], "post": [position_id]})]
    if schema == "Project":
        return [_participant(link_id, person, org, title or "participant", common)]
    if schema not in ("Organization", "Company"):
        return [_entity(link_id, "UnknownLink", {**common, "subject": [person.id], "object": [org.id],
                                                 "role": [title or ROLE_OF_REL["HOLDS_POST"]]})]
    if not title or title.endswith(MEMBER_TITLE_ENDINGS):
        return [_entity(link_id, "Membership", {**common, "member": [person.id], "organization": [org.id],
                                                "role": [title]})]
    return [_entity(link_id, "Directorship", {**common, "director": [person.id], "organization": [org.id],
                                              "role": [title]})]


def _participant(link_id: str, who: Node, project: Node, role: str, common: dict) -> dict:
    return _entity(link_id, "ProjectParticipant", {**common, "participant": [who.id], "project": [project.id],
                                                   "role": [role]})


def _entity(entity_id: str, schema: str, props: dict[str, list]) -> dict:
    """An FtM entity dict; empty values are left out, as FtM does."""
    properties = {k: [str(v) for v in values if v not in (None, "")] for k, values in props.items()}
    return {"id": entity_id, "schema": schema, "properties": {k: v for k, v in properties.items() if v}}


def _make_id(prefix: str, *parts: str) -> str:
    # Same input, same id, as for nodes: re-exporting a graph gives the same link ids.
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return f"{prefix}-{digest}"


# ------------------------------------------------------------ validation

def ftm_model():
    """The followthemoney model, or None when the package is not installed."""
    try:
        from followthemoney import model
    except ImportError:
        return None
    return model


def validate_entities(entities: Iterable[dict]) -> bool:
    """Check entities against the FtM model: schema, property names and values, and that each
    entity reference points to an entity of the right schema. Returns False when followthemoney
    is not installed (nothing checked); raises RecordError naming the entity otherwise."""
    model = ftm_model()
    if model is None:
        return False
    entities = list(entities)
    schemata = {}
    for entity in entities:
        schemata[entity["id"]] = _check_entity(model, entity)
    for entity in entities:
        _check_references(model, entity, schemata)
    return True


def _check_entity(model, entity: dict):
    from followthemoney.exc import InvalidData

    schema = model.get(entity.get("schema"))
    if schema is None or schema.abstract:
        raise RecordError(f"FtM entity {entity.get('id')!r}: no concrete schema {entity.get('schema')!r}")
    try:
        schema.validate(entity)
    except InvalidData as exc:
        raise RecordError(f"FtM entity {entity['id']!r} ({schema.name}): {exc} {getattr(exc, 'errors', '')}") from None
    return schema


def _check_references(model, entity: dict, schemata: dict) -> None:
    schema = model.get(entity["schema"])
    for name, values in entity["properties"].items():
        prop = schema.get(name)
        if prop is None or prop.range is None:
            continue
        for value in values:
            target = schemata.get(value)
            if target is None:
                raise RecordError(f"FtM entity {entity['id']!r}: {name} points to {value!r}, which is not exported")
            if not target.is_a(prop.range):
                raise RecordError(f"FtM entity {entity['id']!r}: {name} must be a {prop.range.name}, "
                                  f"but {value!r} is a {target.name}")
