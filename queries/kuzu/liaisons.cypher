// variant: kuzu — the rows come from the store's table of liaison links as this module shows them (graph/kuzu_liaisons.py), kept by every write: Kùzu read every end's name and posts before sorting and cutting the links, and hashed all HOLDS_POST links for the posts of the few kept (10,000-report graph, median through Kùzu's API: all links 211 -> 43 ms, one entity named 143 -> 31, limit 10,000 583 -> 157). An entity is named by its id, name or an alias, as the name table holds them, at either end.
MATCH (r:{{liaison_table}})
WHERE $name = '' OR $name IN r.liaison_keys OR $name IN r.counterpart_keys
RETURN r.liaison AS liaison, r.liaison_type AS liaison_type, r.role AS role, r.counterpart AS counterpart,
       r.counterpart_type AS counterpart_type, r.liaison_posts AS liaison_posts,
       r.counterpart_posts AS counterpart_posts, r.reports AS reports
ORDER BY liaison, counterpart, r.liaisonid, r.counterpartid, role
LIMIT $limit
