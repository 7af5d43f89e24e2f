// variant: kuzu — Kùzu names a relationship's type with label(r), Neo4j with type(r)
{{lookup(s, $a)}}
{{lookup(t, $b)}}
MATCH (s)-[r]->(t)
UNWIND r.reports AS rid
MATCH (rep:Report {id: rid})
WITH s, r, t, collect([rep.id, rep.title, rep.date]) AS reports
RETURN s.name AS source, label(r) AS rel, t.name AS target, coalesce(r.title, r.role, r.what) AS detail,
       reports, r.evidence AS sentences
UNION ALL
{{lookup(s, $b)}}
{{lookup(t, $a)}}
MATCH (s)-[r]->(t)
UNWIND r.reports AS rid
MATCH (rep:Report {id: rid})
WITH s, r, t, collect([rep.id, rep.title, rep.date]) AS reports
RETURN s.name AS source, label(r) AS rel, t.name AS target, coalesce(r.title, r.role, r.what) AS detail,
       reports, r.evidence AS sentences
