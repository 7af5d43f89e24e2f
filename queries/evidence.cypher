// name: evidence
// answers: Which sentences, in which reports, support the links between two entities?
// param: a STRING (required) — name, alias or id of one entity
// param: b STRING (required) — name, alias or id of the other entity
// columns: source, rel, target, detail, report, report_title, date, sentences
// order: by relationship type, source, target, report date, then report
// sort: rel, source, target, date, report
// sentences: sentences per report
// One row per link and report; links in either direction, hence the UNION
// (and run_query's sort). `sentences` holds the stored evidence JSON until
// run_query keeps the sentences of the row's report.
MATCH (s:Entity)-[r]->(t:Entity)
WHERE (s.id = $a OR s.name = $a OR $a IN s.aliases) AND (t.id = $b OR t.name = $b OR $b IN t.aliases)
UNWIND r.reports AS rid
MATCH (rep:Report {id: rid})
RETURN s.name AS source, type(r) AS rel, t.name AS target, coalesce(r.title, r.role, r.what) AS detail,
       rep.id AS report, rep.title AS report_title, rep.date AS date, r.evidence AS sentences
UNION ALL
MATCH (s:Entity)-[r]->(t:Entity)
WHERE (s.id = $b OR s.name = $b OR $b IN s.aliases) AND (t.id = $a OR t.name = $a OR $a IN t.aliases)
UNWIND r.reports AS rid
MATCH (rep:Report {id: rid})
RETURN s.name AS source, type(r) AS rel, t.name AS target, coalesce(r.title, r.role, r.what) AS detail,
       rep.id AS report, rep.title AS report_title, rep.date AS date, r.evidence AS sentences
