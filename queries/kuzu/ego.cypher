// variant: kuzu — Kùzu writes a shortest-path pattern as -[* SHORTEST 1..k]-, Neo4j as shortestPath(...)
MATCH (c:Entity)
WHERE {{named(c, $name)}}
MATCH p = (c)-[:{{links}}* SHORTEST 1..{{depth}}]-(n:Entity)
WHERE n.id <> c.id AND n.type IN $types
RETURN c.name AS centre, n.name AS name, n.type AS type, min(length(p)) AS distance, n.id AS id
ORDER BY distance, name, id
LIMIT $limit
