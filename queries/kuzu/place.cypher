// variant: kuzu — the search step of `place` on the embedded store, which answers the module in steps
// (queries/steps.py): here $name is the id of one place that the name names, bound by its primary key.
// Found by a test of every entity's id, name and aliases instead, the place took a scan of all entities;
// through the name table, Kùzu walked from every place (10,000-report graph: 84 -> 43-49 ms for a
// province). The walk is a breadth-first search (SHORTEST: one path to each organisation) rather than
// every path, which Kùzu enumerates; it gives each organisation once, so no DISTINCT is needed, which
// would make Kùzu read every property of every entity. The organisations are cut to $limit before their
// own places are joined, and the HINT has Kùzu hash the organisations kept rather than all LOCATED_IN
// links with their places' names (61 -> 49 ms).
MATCH (pl:Entity {id: $name})
MATCH (o:Entity)-[:LOCATED_IN* SHORTEST 1..6]->(pl)
WHERE o.type IN $types
WITH pl, o
ORDER BY o.name, o.id
LIMIT $limit
MATCH (o)-[l:LOCATED_IN]->(at:Entity)
HINT o JOIN (l JOIN at)
RETURN o.name AS organisation, o.type AS type, collect(DISTINCT at.name) AS located_in, pl.name AS place,
       o.id AS organisation_id
ORDER BY organisation, organisation_id
LIMIT $limit
