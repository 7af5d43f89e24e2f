// variant: kuzu — each organisation's own places are collected before the cut, and no node is carried through DISTINCT: Kùzu read every property of all 130,921 entities for it (10,000-report graph: 242 -> 164 ms median); the walk is a breadth-first search (SHORTEST: one path to each organisation) rather than every path, which Kùzu enumerates (101-105 -> 92-94 ms)
MATCH (pl:Entity)
WHERE pl.type = 'Place' AND {{named(pl, $name)}}
MATCH (o:Entity)-[:LOCATED_IN* SHORTEST 1..6]->(pl)
WHERE o.type IN $types
MATCH (o)-[:LOCATED_IN]->(at:Entity)
WITH pl.id AS place_id, pl.name AS place, o.name AS organisation, o.type AS type, o.id AS organisation_id,
     collect(DISTINCT at.name) AS located_in
RETURN organisation, type, located_in, place, organisation_id
ORDER BY organisation, organisation_id
LIMIT $limit
