// variant: kuzu — Kùzu names a relationship's type with label(r), Neo4j with type(r)
MATCH (s:Entity)-[r]->(t:Entity)
WHERE (s.id = $a OR s.name = $a OR $a IN s.aliases) AND (t.id = $b OR t.name = $b OR $b IN t.aliases)
UNWIND r.reports AS rid
MATCH (rep:Report {id: rid})
RETURN s.name AS source, label(r) AS rel, t.name AS target, coalesce(r.title, r.role, r.what) AS detail,
       rep.id AS report, rep.title AS report_title, rep.date AS date, r.evidence AS sentences
UNION ALL
MATCH (s:Entity)-[r]->(t:Entity)
WHERE (s.id = $b OR s.name = $b OR $b IN s.aliases) AND (t.id = $a OR t.name = $a OR $a IN t.aliases)
UNWIND r.reports AS rid
MATCH (rep:Report {id: rid})
RETURN s.name AS source, label(r) AS rel, t.name AS target, coalesce(r.title, r.role, r.what) AS detail,
       rep.id AS report, rep.title AS report_title, rep.date AS date, r.evidence AS sentences
