// variant: kuzu — the links come from the store's index of which relationships each report states
// (graph/kuzu_links.py): from the report's entities, as the module does, Kùzu read the `reports` list of
// more than half the graph's links to keep the report's (10,000-report graph: 219 -> 54 ms median).
MATCH (rep:Report)
WHERE rep.id = $report OR rep.title = $report
MATCH (e:Entity)-[m:MENTIONED_IN]->(rep)
RETURN 'entity' AS section, e.name AS source, e.type AS source_type, 'MENTIONED_IN' AS rel, rep.title AS target,
       'Report' AS target_type, m.evidence AS detail, m.count AS mentions,
       CASE WHEN false THEN '' END AS sentences, rep.id AS report
UNION ALL
MATCH (rep:Report)
WHERE rep.id = $report OR rep.title = $report
{{report_links(s, l, t, rep)}}
RETURN 'link' AS section, s.name AS source, s.type AS source_type, l.rel AS rel, t.name AS target,
       t.type AS target_type, l.detail AS detail, CASE WHEN false THEN 0 END AS mentions,
       l_in.evidence AS sentences, rep.id AS report
