// Founders and their companies, and whether they also run them.
MATCH (p:Person)-[:FOUNDED]->(o:Entity)
OPTIONAL MATCH (p)-[ceo:CEO_OF]->(o)
RETURN p.name AS founder, o.name AS organization, ceo IS NOT NULL AS isCeo
ORDER BY founder, organization
