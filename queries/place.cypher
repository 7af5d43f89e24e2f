// name: place
// answers: Which organisations are in a place or in any place within it (following LOCATED_IN chains)?
// param: name STRING (required) — name, alias or id of the place
// param: types TYPES = organisations — which kinds of node to list (default: the organisation types)
// param: limit INT = 1000 in 1..10000 — most rows returned
// columns: organisation, type, located_in, place, organisation_id
// order: by organisation, then organisation id
// sets: located_in
// Chains are followed up to 6 steps (town, county, city, province, country
// need 4). `located_in` is where the organisation itself is placed; it is
// collected only for the first $limit organisations. The type test comes after
// the walk (see queries/ego.cypher): as a test on o it would let Neo4j start
// from the type index when its index statistics are still a smaller graph's.
MATCH (pl:Entity)
WHERE pl.type = 'Place' AND {{named(pl, $name)}}
MATCH (o:Entity)-[:LOCATED_IN*1..6]->(pl)
WITH DISTINCT pl, o
WHERE o.type IN $types
WITH pl, o
ORDER BY o.name, o.id
LIMIT $limit
MATCH (o)-[:LOCATED_IN]->(at:Entity)
RETURN o.name AS organisation, o.type AS type, collect(DISTINCT at.name) AS located_in, pl.name AS place,
       o.id AS organisation_id
ORDER BY organisation, organisation_id
LIMIT $limit
