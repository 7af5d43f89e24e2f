// variant: kuzu — Kùzu writes all shortest paths as -[* ALL SHORTEST 1..k]-, has list_transform for
// list comprehensions, label(r) for type(r), no startNode(r) (a hop points forward when its source
// _src is the node before it), 1-based lists, and cannot pass a path through WITH.
MATCH (x:Entity)
WHERE {{named(x, $a)}}
MATCH (y:Entity)
WHERE {{named(y, $b)}} AND y.id <> x.id
MATCH p = (x)-[:{{links}}* ALL SHORTEST 1..{{hops}}]-(y)
WITH list_transform(nodes(p), n -> n.name) AS names, list_transform(nodes(p), n -> n.type) AS types,
     list_transform(rels(p), r -> label(r)) AS rels,
     list_transform(nodes(p), n -> n._id) AS node_ids, list_transform(rels(p), r -> r._src) AS sources,
     list_transform(rels(p), r -> coalesce(r.title, r.role, r.what)) AS details,
     list_transform(rels(p), r -> r.evidence) AS sentences
RETURN size(rels) AS length, names, types, rels,
       list_transform(range(1, size(sources)), i -> sources[i] = node_ids[i]) AS forward, details, sentences
ORDER BY length, list_to_string('/', names + rels) + '/'
LIMIT $limit
