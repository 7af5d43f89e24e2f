// variant: kuzu — Kùzu names a relationship's type with label(r), Neo4j with type(r)
{{lookup(e, $name)}}
MATCH (e)-[r]->(o:Entity)
RETURN e.name AS entity, e.type AS entity_type, label(r) AS rel, 'out' AS direction, o.name AS other,
       o.type AS other_type, coalesce(r.title, r.role, r.what) AS detail, r.reports AS reports, e.id AS entity_id
UNION ALL
{{lookup(e, $name)}}
MATCH (o:Entity)-[r]->(e)
RETURN e.name AS entity, e.type AS entity_type, label(r) AS rel, 'in' AS direction, o.name AS other,
       o.type AS other_type, coalesce(r.title, r.role, r.what) AS detail, r.reports AS reports, e.id AS entity_id
UNION ALL
{{lookup(e, $name)}}
MATCH (e)-[:MENTIONED_IN]->(rep:Report)
RETURN e.name AS entity, e.type AS entity_type, 'MENTIONED_IN' AS rel, 'out' AS direction, rep.title AS other,
       'Report' AS other_type, rep.date AS detail, [rep.id] AS reports, e.id AS entity_id
