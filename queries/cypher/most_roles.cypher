// The people with most roles (founder, CEO, employee, investor, alumnus).
MATCH (p:Person)-[r:FOUNDED|CEO_OF|WORKS_FOR|INVESTED_IN|EDUCATED_AT]->(o:Entity)
RETURN p.name AS person, count(r) AS roles, collect(type(r) + ' ' + o.name) AS details
ORDER BY roles DESC, person
LIMIT 20
