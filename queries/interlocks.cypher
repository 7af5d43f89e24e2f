// name: interlocks
// answers: Which people hold posts in two or more organisations (interlocking posts), and where?
// param: min INT = 2 in 1..100 — fewest organisations a person must hold posts in
// param: types TYPES = organisations — which kinds of body count (default: the organisation types)
// param: limit INT = 500 in 1..10000 — most rows returned
// columns: person, organisations, orgs, posts, person_id
// order: most organisations first, then by person and person id
// sets: orgs, posts
// `posts` reads 机构（职务）: the organisation, with the title when the report gives one.
// People are counted and cut to $limit first; only theirs are collected.
// count(*) counts organisations: both stores hold one link per source, type
// and target. The type of p is read after counting, for the people counted
// only (the ontology has HOLDS_POST run from a Person anyway): read for every
// post, it took half the module's time on the embedded store.
MATCH (p:Entity)-[:HOLDS_POST]->(o:Entity)
WHERE o.type IN $types
WITH p, count(*) AS organisations
WHERE organisations >= $min AND p.type = 'Person'
WITH p, organisations
ORDER BY organisations DESC, p.name, p.id
LIMIT $limit
MATCH (p)-[r:HOLDS_POST]->(o:Entity)
WHERE o.type IN $types
WITH p, organisations, collect(DISTINCT o.name) AS orgs,
     collect(DISTINCT CASE WHEN r.title IS NULL THEN o.name ELSE o.name + '（' + r.title + '）' END) AS posts
RETURN p.name AS person, organisations, orgs, posts, p.id AS person_id
ORDER BY organisations DESC, person, person_id
