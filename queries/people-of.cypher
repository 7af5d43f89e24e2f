// name: people-of
// answers: Who holds posts in an organisation, with which titles, stated in which reports, of which dates?
// param: org STRING (required) — name, alias or id of the organisation
// param: limit INT = 500 in 1..10000 — most rows returned
// columns: person, title, org, reports, dates, person_id
// order: by person, then person id, then organisation
// sets: reports, dates
// `dates` are the link's own (the distinct dates of the reports stating it, kept
// at write time), not looked up among all reports for each row.
MATCH (o:Entity)
WHERE {{named(o, $org)}}
MATCH (p:Entity)-[r:HOLDS_POST]->(o)
RETURN p.name AS person, r.title AS title, o.name AS org, r.reports AS reports, r.dates AS dates, p.id AS person_id
ORDER BY person, person_id, org
LIMIT $limit
