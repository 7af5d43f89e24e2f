// name: search
// answers: Which entities have a name or alias containing this text (ignoring case), optionally of some types only?
// param: text STRING (required) — the text to look for in names and aliases
// param: types TYPES = all — node types to keep, separated by commas (default: every type)
// param: limit INT = 100 in 1..10000 — most rows returned
// columns: name, type, aliases, report_count, id
// order: by name, then id
// `forms` holds the name and aliases in one lower-cased text
// (graph/store.entity_forms), which Neo4j keeps a text index on: one test
// per entity picks the candidates (not toLower() of every name and alias,
// which read and lower-cased them all). Only their forms are unwound, to
// keep those where one form itself holds the text (not one that runs across
// a separator). Not any(form IN ... WHERE ...): Kùzu 0.11.3 crashed on it
// (a segmentation fault) on the 10,000-report graph.
MATCH (n:Entity)
WHERE n.type IN $types AND n.forms CONTAINS toLower($text)
UNWIND (n.aliases + [n.name]) AS form
WITH n, form
WHERE toLower(form) CONTAINS toLower($text)
WITH DISTINCT n
RETURN n.name AS name, n.type AS type, n.aliases AS aliases, size(n.reports) AS report_count, n.id AS id
ORDER BY name, id
LIMIT $limit
