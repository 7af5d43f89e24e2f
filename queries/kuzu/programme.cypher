// variant: kuzu — label(r) for type(r); the lookup and the links as one pattern with a join order (see kuzu/people-of.cypher): 96 ms with a scan of every entity per branch, 140 without the order, 42 with it
MATCH {{name_key(g, $name)}}<-[r:RUNS|PARTICIPATES_IN|HOLDS_POST]-(x:Entity)
HINT (((g_key JOIN g_name) JOIN g) JOIN r) JOIN x
RETURN g.name AS programme,
       CASE label(r) WHEN 'RUNS' THEN 'organiser' WHEN 'PARTICIPATES_IN' THEN 'participant' ELSE 'post' END AS role,
       x.name AS who, x.type AS who_type, CASE label(r) WHEN 'RUNS' THEN r.role WHEN 'HOLDS_POST' THEN r.title END AS detail,
       r.reports AS reports
UNION ALL
MATCH {{name_key(g, $name)}}-[m:MENTIONED_IN]->(rep:Report)
HINT (((g_key JOIN g_name) JOIN g) JOIN m) JOIN rep
RETURN g.name AS programme, 'report' AS role, rep.title AS who, 'Report' AS who_type, rep.date AS detail,
       [rep.id] AS reports
