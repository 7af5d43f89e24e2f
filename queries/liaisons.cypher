// name: liaisons
// answers: Which liaison links (挂钩联系, 联络员, 对接) does the graph hold, and what united-front posts sit around both ends?
// param: name STRING = '' — only links with this entity (name, alias or id) at either end; empty: all links
// param: limit INT = 500 in 1..10000 — most rows returned
// columns: liaison, liaison_type, role, counterpart, counterpart_type, liaison_posts, counterpart_posts, reports
// order: by liaison, then counterpart
// sets: liaison_posts, counterpart_posts, reports
// A post reads 另一端（职务）: for a person, the body where the post is held;
// for a body, the person holding a post there. The links are cut to $limit
// before their posts are collected: a hub's posts run to thousands. All links
// are read in the order of the name index on their source, so the first
// $limit come without sorting every link; links of one named entity start
// from it, at either end (10,000-report graph, median: all links 97 -> 52 ms,
// one entity named 75-80 -> 24 ms).
CALL () {
  MATCH (s:Entity)-[l:LIAISES_WITH]->(t:Entity)
  USING INDEX s:Entity(name)
  WHERE $name = '' AND s.name IS NOT NULL
  RETURN s, l, t ORDER BY s.name, t.name, s.id, t.id, l.role LIMIT $limit
  UNION
  {{lookup(s, $name)}}
  MATCH (s)-[l:LIAISES_WITH]->(t:Entity)
  RETURN s, l, t ORDER BY s.name, t.name, s.id, t.id, l.role LIMIT $limit
  UNION
  {{lookup(t, $name)}}
  MATCH (s:Entity)-[l:LIAISES_WITH]->(t)
  RETURN s, l, t ORDER BY s.name, t.name, s.id, t.id, l.role LIMIT $limit
}
WITH s, l, t
ORDER BY s.name, t.name, s.id, t.id, l.role
LIMIT $limit
OPTIONAL MATCH (s)-[h1:HOLDS_POST]-(x1:Entity)
WITH s, l, t, collect(DISTINCT CASE WHEN h1.title IS NULL THEN x1.name ELSE x1.name + '（' + h1.title + '）' END) AS liaison_posts
OPTIONAL MATCH (t)-[h2:HOLDS_POST]-(x2:Entity)
WITH s, l, t, liaison_posts,
     collect(DISTINCT CASE WHEN h2.title IS NULL THEN x2.name ELSE x2.name + '（' + h2.title + '）' END) AS counterpart_posts
RETURN s.name AS liaison, s.type AS liaison_type, l.role AS role, t.name AS counterpart, t.type AS counterpart_type,
       liaison_posts, counterpart_posts, l.reports AS reports
ORDER BY liaison, counterpart
LIMIT $limit
