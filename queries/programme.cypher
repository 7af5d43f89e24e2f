// name: programme
// answers: Who organises a programme (or event), who takes part, who holds posts in it, and which reports mention it?
// param: name STRING (required) — name, alias or id of the programme or event
// columns: programme, role, who, who_type, detail, reports
// order: by programme, role (organiser, participant, post, report), then who
// sort: programme, role, who, detail
// sets: reports
// Four branches joined by UNION ALL, so run_query sorts the rows. The empty
// CASE is a typed null: Kùzu wants every branch's column to have one type.
MATCH (x:Entity)-[r:RUNS]->(g:Entity)
WHERE g.id = $name OR (g.forms CONTAINS ('|' + $name + '|') AND (g.name = $name OR $name IN g.aliases))
RETURN g.name AS programme, 'organiser' AS role, x.name AS who, x.type AS who_type, r.role AS detail, r.reports AS reports
UNION ALL
MATCH (x:Entity)-[r:PARTICIPATES_IN]->(g:Entity)
WHERE g.id = $name OR (g.forms CONTAINS ('|' + $name + '|') AND (g.name = $name OR $name IN g.aliases))
RETURN g.name AS programme, 'participant' AS role, x.name AS who, x.type AS who_type,
       CASE WHEN false THEN '' END AS detail, r.reports AS reports
UNION ALL
MATCH (x:Entity)-[r:HOLDS_POST]->(g:Entity)
WHERE g.id = $name OR (g.forms CONTAINS ('|' + $name + '|') AND (g.name = $name OR $name IN g.aliases))
RETURN g.name AS programme, 'post' AS role, x.name AS who, x.type AS who_type, r.title AS detail, r.reports AS reports
UNION ALL
MATCH (g:Entity)-[:MENTIONED_IN]->(rep:Report)
WHERE g.id = $name OR (g.forms CONTAINS ('|' + $name + '|') AND (g.name = $name OR $name IN g.aliases))
RETURN g.name AS programme, 'report' AS role, rep.title AS who, 'Report' AS who_type, rep.date AS detail,
       [rep.id] AS reports
