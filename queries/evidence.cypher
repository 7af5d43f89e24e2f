// name: evidence
// answers: Which sentences, in which reports, support the links between two entities?
// param: a STRING (required) — name, alias or id of one entity
// param: b STRING (required) — name, alias or id of the other entity
// columns: source, rel, target, detail, report, report_title, date, sentences
// order: by relationship type, source, target, report date, then report
// sort: rel, source, target, date, report
// sentences: sentences per report
// unnest: reports as report, report_title, date
// One row per link and report; links in either direction, hence the UNION
// (and run_query's sort). The query returns one row per link, with its
// reports as [id, title, date] items that run_query makes into rows
// (`unnest`): a link stated in 150 reports holds the sentences of all of
// them (290,000 characters in the benchmark's graph), and a row per report
// sent them 150 times. `sentences` holds the stored evidence JSON until
// run_query keeps the sentences of the row's report.
MATCH (s:Entity)-[r]->(t:Entity)
WHERE {{named(s, $a)}} AND {{named(t, $b)}}
UNWIND r.reports AS rid
MATCH (rep:Report {id: rid})
WITH s, r, t, collect([rep.id, rep.title, rep.date]) AS reports
RETURN s.name AS source, type(r) AS rel, t.name AS target, coalesce(r.title, r.role, r.what) AS detail,
       reports, r.evidence AS sentences
UNION ALL
MATCH (s:Entity)-[r]->(t:Entity)
WHERE {{named(s, $b)}} AND {{named(t, $a)}}
UNWIND r.reports AS rid
MATCH (rep:Report {id: rid})
WITH s, r, t, collect([rep.id, rep.title, rep.date]) AS reports
RETURN s.name AS source, type(r) AS rel, t.name AS target, coalesce(r.title, r.role, r.what) AS detail,
       reports, r.evidence AS sentences
