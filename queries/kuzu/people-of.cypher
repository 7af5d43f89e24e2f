// variant: kuzu — the lookup and the posts as one pattern with a join order: without it Kùzu read all 66,926 posts of the 10,000-report graph and joined them to the body found (70 ms; now 21)
MATCH {{name_key(o, $org)}}<-[r:HOLDS_POST]-(p:Entity)
HINT (((o_key JOIN o_name) JOIN o) JOIN r) JOIN p
RETURN p.name AS person, r.title AS title, o.name AS org, r.reports AS reports, r.dates AS dates, p.id AS person_id
ORDER BY person, person_id, org
LIMIT $limit
