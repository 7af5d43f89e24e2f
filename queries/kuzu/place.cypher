// variant: kuzu — the walk is a breadth-first search (SHORTEST: one path to each organisation) rather than every path, which Kùzu enumerates (10,000-report graph, median 101-105 -> 92-94 ms); it gives each organisation once, so no DISTINCT is needed, which would make Kùzu read every property of every entity (242 -> 164 ms). The organisations are cut to $limit before their own places are joined: Kùzu hashes the places of the organisations kept, not of all those found (a province: 84-89 -> 74-79 ms, limit 10 78 -> 57)
MATCH (pl:Entity)
WHERE pl.type = 'Place' AND {{named(pl, $name)}}
MATCH (o:Entity)-[:LOCATED_IN* SHORTEST 1..6]->(pl)
WHERE o.type IN $types
WITH pl, o
ORDER BY o.name, o.id
LIMIT $limit
MATCH (o)-[:LOCATED_IN]->(at:Entity)
RETURN o.name AS organisation, o.type AS type, collect(DISTINCT at.name) AS located_in, pl.name AS place,
       o.id AS organisation_id
ORDER BY organisation, organisation_id
LIMIT $limit
