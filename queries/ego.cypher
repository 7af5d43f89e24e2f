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
// in 1..4 first. The nearest distance is min(length(p)) over the walk: Neo4j
// plans that as one breadth-first expansion that visits each node once
// (VarLengthExpand(Pruning,BFS)), about 20 ms at 10,000 reports. shortestPath to
// each node took 6 s there: it searched once per entity of the graph. GQL's
// SHORTEST 1 was plan-sensitive (40 ms, or 9 s with a plan cached on a small
// graph; benchmarks/bench_queries.py). The type test comes after the walk: as a test on n it
// let Neo4j start from the type index instead of the centre, which it did with index statistics
// left from a small graph after a refresh to 10,000 reports (a walk from every entity: minutes).
MATCH (c:Entity)
WHERE {{named(c, $name)}}
MATCH p = (c)-[:{{links}}*1..{{depth}}]-(n:Entity)
WHERE n.id <> c.id
WITH c, n, min(length(p)) AS distance
WHERE n.type IN $types
RETURN c.name AS centre, n.name AS name, n.type AS type, distance, n.id AS id
ORDER BY distance, name, id
LIMIT $limit
