// name: programme
// answers: Who organises a programme (or event), who takes part, who holds posts in it, and which reports mention it?
// param: name STRING (required) — name, alias or id of the programme or event
// columns: programme, role, who, who_type, detail, reports
// order: by programme, role (organiser, participant, post, report), then who
// sort: programme, role, who, detail
// sets: reports
// Two branches joined by UNION ALL, so run_query sorts the rows: the links
// (organisers, participants, posts) and the reports. One branch for the three
// kinds of link, not one each: every branch finds the programme again, and on
// the embedded store that is a scan of every entity.
MATCH (g:Entity)
WHERE {{named(g, $name)}}
MATCH (x:Entity)-[r:RUNS|PARTICIPATES_IN|HOLDS_POST]->(g)
RETURN g.name AS programme,
       CASE type(r) WHEN 'RUNS' THEN 'organiser' WHEN 'PARTICIPATES_IN' THEN 'participant' ELSE 'post' END AS role,
       x.name AS who, x.type AS who_type, CASE type(r) WHEN 'RUNS' THEN r.role WHEN 'HOLDS_POST' THEN r.title END AS detail,
       r.reports AS reports
UNION ALL
MATCH (g:Entity)-[:MENTIONED_IN]->(rep:Report)
WHERE {{named(g, $name)}}
RETURN g.name AS programme, 'report' AS role, rep.title AS who, 'Report' AS who_type, rep.date AS detail,
       [rep.id] AS reports
