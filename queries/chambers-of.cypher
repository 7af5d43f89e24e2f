// name: chambers-of
// answers: Which chambers are affiliated with a federation (or another body), and has each a party organisation?
// param: federation STRING (required) — name, alias or id of the federation
// columns: chamber, has_party_org, party_orgs, federation, chamber_id
// order: by chamber, then chamber id
// sets: party_orgs
// Kùzu collects nothing as null, Neo4j as []; `sets` columns read both as [].
{{lookup(f, $federation)}}
MATCH (c:Entity)-[:AFFILIATED_WITH]->(f)
WHERE c.type = 'Chamber'
OPTIONAL MATCH (po:Entity)-[:PARTY_ORG_OF]->(c)
WITH f, c, collect(DISTINCT po.name) AS party_orgs
RETURN c.name AS chamber, EXISTS { MATCH (:Entity)-[:PARTY_ORG_OF]->(c) } AS has_party_org, party_orgs,
       f.name AS federation, c.id AS chamber_id
ORDER BY chamber, chamber_id
