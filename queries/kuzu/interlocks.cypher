// variant: kuzu — the posts of the people kept are read with a join order (HINT): all posts joined to their bodies first, then to the people kept (10,000-report graph, raw module median: no HINT 185 ms; the people joined to their posts first, 89-111; this order, 63-67, alternated). Kùzu has no index to start from the people kept; the orders differ in what its hash tables hold (PROFILE: 42,181 rows with names and titles, 34 ms to build, against 66,926 rows in 12 ms). The types are counted in a list filter, as in the main text, with $types bound to a name first: Kùzu 0.11.3 takes no parameter inside the filter's lambda (raw median: unwound and counted 56-57 ms, this way 52)
WITH $types AS types
MATCH (p:Entity)
WHERE p.type = 'Person' AND size(p.post_types) >= $min
WITH p, size(list_filter(p.post_types, type -> type IN types)) AS organisations
WHERE organisations >= $min
WITH p, organisations
ORDER BY organisations DESC, p.name, p.id
LIMIT $limit
MATCH (p)-[r:HOLDS_POST]->(o:Entity)
WHERE o.type IN $types
HINT p JOIN (r JOIN o)
WITH p, organisations, collect(DISTINCT o.name) AS orgs,
     collect(DISTINCT CASE WHEN r.title IS NULL THEN o.name ELSE o.name + '（' + r.title + '）' END) AS posts
RETURN p.name AS person, organisations, orgs, posts, p.id AS person_id
ORDER BY organisations DESC, person, person_id
