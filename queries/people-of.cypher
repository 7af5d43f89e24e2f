// name: people-of
// answers: Who holds posts in an organisation, with which titles, stated in which reports, of which dates?
// param: org STRING (required) — name, alias or id of the organisation
// param: limit INT = 500 in 1..10000 — most rows returned
// columns: person, title, org, reports, dates, person_id
// order: by person, then person id, then organisation
// sets: reports, dates
MATCH (o:Entity)
WHERE o.id = $org OR (o.forms CONTAINS ('|' + $org + '|') AND (o.name = $org OR $org IN o.aliases))
MATCH (p:Entity)-[r:HOLDS_POST]->(o)
OPTIONAL MATCH (rep:Report)
WHERE rep.id IN r.reports AND rep.date <> ''
WITH p, r, o, collect(DISTINCT rep.date) AS dates
RETURN p.name AS person, r.title AS title, o.name AS org, r.reports AS reports, dates, p.id AS person_id
ORDER BY person, person_id, org
LIMIT $limit
