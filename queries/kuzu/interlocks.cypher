// variant: kuzu — the posts of the people kept are read with a join order (HINT): without it Kùzu built a hash table of all 66,926 posts of the 10,000-report graph and their bodies' types (185 -> 158 ms)
MATCH (p:Entity)
WHERE p.type = 'Person' AND size(p.post_types) >= $min
UNWIND p.post_types AS type
WITH p, type
WHERE type IN $types
WITH p, count(*) AS organisations
WHERE organisations >= $min
WITH p, organisations
ORDER BY organisations DESC, p.name, p.id
LIMIT $limit
MATCH (p)-[r:HOLDS_POST]->(o:Entity)
WHERE o.type IN $types
HINT (p JOIN r) JOIN o
WITH p, organisations, collect(DISTINCT o.name) AS orgs,
     collect(DISTINCT CASE WHEN r.title IS NULL THEN o.name ELSE o.name + '（' + r.title + '）' END) AS posts
RETURN p.name AS person, organisations, orgs, posts, p.id AS person_id
ORDER BY organisations DESC, person, person_id
