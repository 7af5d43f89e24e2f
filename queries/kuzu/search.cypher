// variant: kuzu — the count of reports is the stored report_count: Kùzu reads a property for every entity the scan passes, and reading every report list took half of the module's time (10,000-report graph: 92 -> 45 ms median)
MATCH (n:Entity)
WHERE n.type IN $types AND n.forms CONTAINS toLower($text)
UNWIND (n.aliases + [n.name]) AS form
WITH n, form
WHERE toLower(form) CONTAINS toLower($text)
WITH DISTINCT n
RETURN n.name AS name, n.type AS type, n.aliases AS aliases, n.report_count AS report_count, n.id AS id
ORDER BY name, id
LIMIT $limit
