// variant: kuzu — the search step of `paths` on the embedded store, which answers the module in steps
// (queries/steps.py): here $b is the id of one entity that b names, bound by its primary key, and the
// rows carry the nodes' ids (`ids`) instead of the links' details and sentences, which the next step
// reads for the links kept. A path's ends bound through the name table made Kùzu 0.11.3 read every
// property of all 126,170 entities of the 10,000-report graph for the far end; and the links' details
// and evidence, carried by the search, were read for every link of the 2,048-node chunks the search
// passed (128,328 links for 7 paths). Search step 219 -> 42 ms, the module 65 ms (BENCHMARKS.md,
// section 5). Kùzu writes all shortest paths as -[* ALL SHORTEST 1..k]-, has list_transform for list
// comprehensions, label(r) for type(r), no startNode(r) (a hop points forward when its source _src is
// the node before it), 1-based lists, and cannot pass a path through WITH. The pattern names the
// properties its paths carry (`(r, n | {...}, {...})`).
{{lookup(x, $a)}}
MATCH (y:Entity {id: $b})
WHERE id(y) <> id(x)
MATCH p = (x)-[:{{links}}* ALL SHORTEST 1..{{hops}} (r, n | {}, {n.name, n.type, n.id})]-(y)
WITH list_transform(nodes(p), n -> n.name) AS names, list_transform(nodes(p), n -> n.type) AS types,
     list_transform(rels(p), r -> label(r)) AS rels, list_transform(nodes(p), n -> n.id) AS ids,
     list_transform(nodes(p), n -> n._id) AS node_ids, list_transform(rels(p), r -> r._src) AS sources
RETURN size(rels) AS length, names, types, rels,
       list_transform(range(1, size(sources)), i -> sources[i] = node_ids[i]) AS forward, ids
ORDER BY length, list_to_string('/', names + rels) + '/'
LIMIT $limit
