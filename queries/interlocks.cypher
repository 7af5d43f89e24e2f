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
// Counted from `post_types`, the types of the bodies a person holds posts in,
// one per body, which the stores keep on each entity (graph/store.py,
// held_post_types). Counting the posts themselves read every HOLDS_POST and
// its target's type: at 10,000 reports p95 309 -> 195 ms on the embedded
// store, 350 -> 262 on Neo4j (BENCHMARKS.md, section 5). The types are
// counted in a list, not unwound and counted again (Neo4j 169 -> 114 ms;
// the Kùzu variant binds $types to a name first, as Kùzu 0.11.3 takes no
// parameter inside a lambda). What is left is mostly reading the 47,606 people.
// The bodies' types are tested inside the collects, not in a WHERE on the
// walk's far end: right after a whole write into a fresh database, Neo4j's
// index statistics still said the type index was empty, and it planned a
// scan of that index for every person kept (65 million rows, 48 s a run).
// People are grouped by their count, most first, and only the groups that
// hold the first $limit people are sorted by name: sorting all 19,219 with
// two or more read every one's name and id (Neo4j, 10,000 reports, median
// 66-75 -> 54-58 ms; the embedded variant reads whole columns either way).
MATCH (p:Entity)
WHERE p.type = 'Person' AND size(p.post_types) >= $min
WITH p, size([type IN p.post_types WHERE type IN $types]) AS organisations
WHERE organisations >= $min
WITH organisations, collect(p) AS people
ORDER BY organisations DESC
WITH collect(organisations) AS counts, collect(people) AS groups
UNWIND range(0, size(groups) - 1) AS i
WITH counts[i] AS organisations, groups[i] AS people, reduce(n = 0, g IN groups[0..i] | n + size(g)) AS before
WHERE before < $limit
UNWIND people AS p
WITH p, organisations
ORDER BY organisations DESC, p.name, p.id
LIMIT $limit
MATCH (p)-[r:HOLDS_POST]->(o:Entity)
WITH p, organisations, r, CASE WHEN o.type IN $types THEN o.name END AS org
WITH p, organisations, collect(DISTINCT org) AS orgs,
     collect(DISTINCT CASE WHEN org IS NULL THEN NULL WHEN r.title IS NULL THEN org ELSE org + '（' + r.title + '）' END) AS posts
RETURN p.name AS person, organisations, orgs, posts, p.id AS person_id
ORDER BY organisations DESC, person, person_id
