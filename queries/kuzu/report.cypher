// variant: kuzu — Kùzu names a relationship's type with label(r), Neo4j with type(r)
MATCH (rep:Report)
WHERE rep.id = $report OR rep.title = $report
MATCH (e:Entity)-[m:MENTIONED_IN]->(rep)
RETURN 'entity' AS section, e.name AS source, e.type AS source_type, 'MENTIONED_IN' AS rel, rep.title AS target,
       'Report' AS target_type, m.evidence AS detail, m.count AS mentions,
       CASE WHEN false THEN '' END AS sentences, rep.id AS report
UNION ALL
MATCH (rep:Report)
WHERE rep.id = $report OR rep.title = $report
MATCH (s:Entity)-[:MENTIONED_IN]->(rep)
MATCH (s)-[r]->(t:Entity)
WHERE rep.id IN r.reports
RETURN 'link' AS section, s.name AS source, s.type AS source_type, label(r) AS rel, t.name AS target,
       t.type AS target_type, coalesce(r.title, r.role, r.what) AS detail, CASE WHEN false THEN 0 END AS mentions,
       r.evidence AS sentences, rep.id AS report
