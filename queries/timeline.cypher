// name: timeline
// answers: What posts and links of a person or organisation do the reports state, in the order of the reports' dates?
// param: name STRING (required) — name, alias or id of the person or organisation
// columns: date, report, report_title, entity, rel, direction, other, other_type, detail, sentences
// order: by report date (undated reports first), report, relationship type, direction, then the other end
// sort: date, report, entity, rel, direction, other
// sentences: sentences per report
// unnest: reports as date, report, report_title
// One row per link and report that states it; links only from reference data
// (no report) have no date and are left out. The query returns one row per
// link with its reports as items that run_query makes into rows (`unnest`, see
// evidence.cypher: a link's evidence is sent once, not once per report).
MATCH (e:Entity)-[r]->(o:Entity)
WHERE {{named(e, $name)}}
UNWIND r.reports AS rid
MATCH (rep:Report {id: rid})
WITH e, r, o, collect([rep.date, rep.id, rep.title]) AS reports
RETURN reports, e.name AS entity, type(r) AS rel,
       'out' AS direction, o.name AS other, o.type AS other_type, coalesce(r.title, r.role, r.what) AS detail,
       r.evidence AS sentences
UNION ALL
MATCH (o:Entity)-[r]->(e:Entity)
WHERE {{named(e, $name)}}
UNWIND r.reports AS rid
MATCH (rep:Report {id: rid})
WITH e, r, o, collect([rep.date, rep.id, rep.title]) AS reports
RETURN reports, e.name AS entity, type(r) AS rel,
       'in' AS direction, o.name AS other, o.type AS other_type, coalesce(r.title, r.role, r.what) AS detail,
       r.evidence AS sentences
