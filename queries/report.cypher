// name: report
// answers: What did one report contribute: the entities it names (how often, first sentence) and the links it states (with their sentences)?
// param: report STRING (required) — the report's id or exact title
// columns: section, source, source_type, rel, target, target_type, detail, mentions, sentences, report
// order: entities first, then links; each by source, relationship type, then target
// sort: section, source, rel, target
// sentences: sentences per report
// Entity rows: detail = the first sentence naming it, mentions = how many
// times. Link rows: detail = title, role or what; sentences = those of this
// report. The empty CASEs are typed nulls: Kùzu wants every UNION branch's
// column to have one type. A link's source is always named in each report
// that states the link (the sentence stating it names both ends;
// tests/test_report_links.py holds the extractor to that), so
// the links are looked for among the report's named entities instead of in
// every relationship of the graph.
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
RETURN 'link' AS section, s.name AS source, s.type AS source_type, type(r) AS rel, t.name AS target,
       t.type AS target_type, coalesce(r.title, r.role, r.what) AS detail, CASE WHEN false THEN 0 END AS mentions,
       r.evidence AS sentences, rep.id AS report
