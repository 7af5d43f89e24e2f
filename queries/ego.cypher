// name: ego
// answers: What lies within k links of an entity, and how far away is each node?
// param: name STRING (required) — name, alias or id of the entity at the centre
// param: depth INT = 2 in 1..4 — how many links to follow
// param: types TYPES = all — node types to list (the walk still passes through the others)
// param: limit INT = 500 in 1..10000 — most rows returned
// columns: centre, name, type, distance, id
// order: by distance, then name and id
// Links between entities only (not MENTIONED_IN: reports would join
// everything). {{depth}} is written into the text because neither store
// takes a parameter as a variable-length bound; it was checked to be an int
// in 1..4 first. shortestPath, not GQL's SHORTEST 1: that one ran in 40 ms
// on a 24,000-node graph when planned for it, but took 9 s with the plan
// cached while the database held the small seed graph; shortestPath takes
// 0.2-0.4 s either way (benchmarks/bench_queries.py).
MATCH (c:Entity)
WHERE c.id = $name OR c.name = $name OR $name IN c.aliases
MATCH p = shortestPath((c)-[:{{links}}*1..{{depth}}]-(n:Entity))
WHERE n.id <> c.id AND n.type IN $types
RETURN c.name AS centre, n.name AS name, n.type AS type, min(length(p)) AS distance, n.id AS id
ORDER BY distance, name, id
LIMIT $limit
