// variant: kuzu — Kùzu has no index order to read links in and no CALL subquery: a UNION of the three cases took 330 ms and returned the all-links branch's rows for a named entity too. So every link is read and sorted, and each end kept is joined to its posts before their bodies (HINT; 10,000-report graph, median: all links 243-293 -> 189-200 ms, limit 10,000 1,400-1,458 -> 556-593 ms, one entity named about the same)
MATCH (s:Entity)-[l:LIAISES_WITH]->(t:Entity)
WHERE $name = '' OR {{named(s, $name)}}
   OR {{named(t, $name)}}
WITH s, l, t
ORDER BY s.name, t.name, s.id, t.id, l.role
LIMIT $limit
OPTIONAL MATCH (s)-[h1:HOLDS_POST]-(x1:Entity)
HINT (s JOIN h1) JOIN x1
WITH s, l, t, collect(DISTINCT CASE WHEN h1.title IS NULL THEN x1.name ELSE x1.name + '（' + h1.title + '）' END) AS liaison_posts
OPTIONAL MATCH (t)-[h2:HOLDS_POST]-(x2:Entity)
HINT (t JOIN h2) JOIN x2
WITH s, l, t, liaison_posts,
     collect(DISTINCT CASE WHEN h2.title IS NULL THEN x2.name ELSE x2.name + '（' + h2.title + '）' END) AS counterpart_posts
RETURN s.name AS liaison, s.type AS liaison_type, l.role AS role, t.name AS counterpart, t.type AS counterpart_type,
       liaison_posts, counterpart_posts, l.reports AS reports
ORDER BY liaison, counterpart
LIMIT $limit
