// name: paths
// answers: How are two entities linked: every shortest path of at most k links, each hop with its relationship, title or role, and sentences?
// param: a STRING (required) — name, alias or id of one end
// param: b STRING (required) — name, alias or id of the other end
// param: hops INT = 4 in 1..6 — longest path considered
// param: limit INT = 50 in 1..1000 — most paths returned
// columns: length, names, types, rels, forward, details, sentences
// order: by length, then by the names and relationship types along the path
// sentences: sentences
// One row per path; the list columns run along it: names/types has one entry
// per node, rels/forward/details/sentences one per hop (forward: the link
// points from the nearer to the farther node). {{hops}} is written into the
// text because neither store takes a parameter as a variable-length bound; it
// was checked to be an int in 1..6 first. `key` orders paths the same way in
// both stores' variants.
MATCH (x:Entity)
WHERE {{named(x, $a)}}
MATCH (y:Entity)
WHERE {{named(y, $b)}} AND y.id <> x.id
MATCH p = allShortestPaths((x)-[:{{links}}*1..{{hops}}]-(y))
WITH p, [n IN nodes(p) | n.name] AS names, [r IN relationships(p) | type(r)] AS rels
WITH p, names, rels, reduce(k = '', part IN names + rels | k + part + '/') AS key
RETURN length(p) AS length, names, [n IN nodes(p) | n.type] AS types, rels,
       [i IN range(0, length(p) - 1) | startNode(relationships(p)[i]) = nodes(p)[i]] AS forward,
       [r IN relationships(p) | coalesce(r.title, r.role, r.what)] AS details,
       [r IN relationships(p) | r.evidence] AS sentences
ORDER BY length, key
LIMIT $limit
