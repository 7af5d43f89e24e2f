// variant: kuzu — Kùzu names a relationship's type with label(r), Neo4j with type(r)
MATCH (e:Entity)-[r]->(o:Entity)
WHERE {{named(e, $name)}}
UNWIND r.reports AS rid
MATCH (rep:Report {id: rid})
WITH e, r, o, collect([rep.date, rep.id, rep.title]) AS reports
RETURN reports, e.name AS entity, label(r) AS rel,
       'out' AS direction, o.name AS other, o.type AS other_type, coalesce(r.title, r.role, r.what) AS detail,
       r.evidence AS sentences
UNION ALL
MATCH (o:Entity)-[r]->(e:Entity)
WHERE {{named(e, $name)}}
UNWIND r.reports AS rid
MATCH (rep:Report {id: rid})
WITH e, r, o, collect([rep.date, rep.id, rep.title]) AS reports
RETURN reports, e.name AS entity, label(r) AS rel,
       'in' AS direction, o.name AS other, o.type AS other_type, coalesce(r.title, r.role, r.what) AS detail,
       r.evidence AS sentences
