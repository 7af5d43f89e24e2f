// variant: kuzu — Kùzu names a relationship's type with label(r), Neo4j with type(r)
MATCH (s:Entity)-[r]->(t:Entity)
WHERE (s.id = $a OR (s.forms CONTAINS ('|' + $a + '|') AND (s.name = $a OR $a IN s.aliases))) AND (t.id = $b OR (t.forms CONTAINS ('|' + $b + '|') AND (t.name = $b OR $b IN t.aliases)))
UNWIND r.reports AS rid
MATCH (rep:Report {id: rid})
WITH s, r, t, collect([rep.id, rep.title, rep.date]) AS reports
RETURN s.name AS source, label(r) AS rel, t.name AS target, coalesce(r.title, r.role, r.what) AS detail,
       reports, r.evidence AS sentences
UNION ALL
MATCH (s:Entity)-[r]->(t:Entity)
WHERE (s.id = $b OR (s.forms CONTAINS ('|' + $b + '|') AND (s.name = $b OR $b IN s.aliases))) AND (t.id = $a OR (t.forms CONTAINS ('|' + $a + '|') AND (t.name = $a OR $a IN t.aliases)))
UNWIND r.reports AS rid
MATCH (rep:Report {id: rid})
WITH s, r, t, collect([rep.id, rep.title, rep.date]) AS reports
RETURN s.name AS source, label(r) AS rel, t.name AS target, coalesce(r.title, r.role, r.what) AS detail,
       reports, r.evidence AS sentences
