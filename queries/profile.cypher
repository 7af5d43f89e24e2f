// name: profile
// answers: What does the graph hold about one entity: its posts and post holders, affiliations, party organisation, programmes, places, other links, and the reports that mention it?
// param: name STRING (required) — name, alias or id of the entity
// columns: entity, entity_type, rel, direction, other, other_type, detail, reports, entity_id
// order: by entity, relationship type, direction (out: the entity is the source), then the other end
// sort: entity, entity_id, rel, direction, other, detail
// sets: reports
// Three branches: links from the entity, links to it, and the reports naming it
// (detail = the report date). A UNION has no order in either store, so
// run_query sorts the rows (`sort` above).
MATCH (e:Entity)-[r]->(o:Entity)
WHERE {{named(e, $name)}}
RETURN e.name AS entity, e.type AS entity_type, type(r) AS rel, 'out' AS direction, o.name AS other,
       o.type AS other_type, coalesce(r.title, r.role, r.what) AS detail, r.reports AS reports, e.id AS entity_id
UNION ALL
MATCH (o:Entity)-[r]->(e:Entity)
WHERE {{named(e, $name)}}
RETURN e.name AS entity, e.type AS entity_type, type(r) AS rel, 'in' AS direction, o.name AS other,
       o.type AS other_type, coalesce(r.title, r.role, r.what) AS detail, r.reports AS reports, e.id AS entity_id
UNION ALL
MATCH (e:Entity)-[:MENTIONED_IN]->(rep:Report)
WHERE {{named(e, $name)}}
RETURN e.name AS entity, e.type AS entity_type, 'MENTIONED_IN' AS rel, 'out' AS direction, rep.title AS other,
       'Report' AS other_type, rep.date AS detail, [rep.id] AS reports, e.id AS entity_id
