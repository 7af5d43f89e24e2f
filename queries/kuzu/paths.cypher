// variant: kuzu — Kùzu writes all shortest paths as -[* ALL SHORTEST 1..k]-, has list_transform for
// list comprehensions, label(r) for type(r), no startNode(r) (a hop points forward when its source
// _src is the node before it), 1-based lists, and cannot pass a path through WITH. The pattern names
// the properties its paths carry (`(r, n | {...}, {...})`): without that list Kùzu materialised every
// property of the paths' nodes and links, `reports` lists included. With it, the ends are looked up in
// the name table rather than by a scan (10,000-report graph, module median: 619 -> 435 -> 313 ms).
{{lookup(x, $a)}}
{{lookup(y, $b)}}
WHERE y.id <> x.id
MATCH p = (x)-[:{{links}}* ALL SHORTEST 1..{{hops}} (r, n | {r.title, r.role, r.what, r.evidence}, {n.name, n.type})]-(y)
WITH list_transform(nodes(p), n -> n.name) AS names, list_transform(nodes(p), n -> n.type) AS types,
     list_transform(rels(p), r -> label(r)) AS rels,
     list_transform(nodes(p), n -> n._id) AS node_ids, list_transform(rels(p), r -> r._src) AS sources,
     list_transform(rels(p), r -> coalesce(r.title, r.role, r.what)) AS details,
     list_transform(rels(p), r -> r.evidence) AS sentences
RETURN size(rels) AS length, names, types, rels,
       list_transform(range(1, size(sources)), i -> sources[i] = node_ids[i]) AS forward, details, sentences
ORDER BY length, list_to_string('/', names + rels) + '/'
LIMIT $limit
