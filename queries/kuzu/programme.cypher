// variant: kuzu — label(r) for type(r)
MATCH (g:Entity)
WHERE {{named(g, $name)}}
MATCH (x:Entity)-[r:RUNS|PARTICIPATES_IN|HOLDS_POST]->(g)
RETURN g.name AS programme,
       CASE label(r) WHEN 'RUNS' THEN 'organiser' WHEN 'PARTICIPATES_IN' THEN 'participant' ELSE 'post' END AS role,
       x.name AS who, x.type AS who_type, CASE label(r) WHEN 'RUNS' THEN r.role WHEN 'HOLDS_POST' THEN r.title END AS detail,
       r.reports AS reports
UNION ALL
MATCH (g:Entity)-[:MENTIONED_IN]->(rep:Report)
WHERE {{named(g, $name)}}
RETURN g.name AS programme, 'report' AS role, rep.title AS who, 'Report' AS who_type, rep.date AS detail,
       [rep.id] AS reports
