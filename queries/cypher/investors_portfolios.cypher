// Investors and their portfolios.
MATCH (i:Entity)-[:INVESTED_IN]->(o:Entity)
RETURN i.name AS investor, count(DISTINCT o) AS companies, collect(DISTINCT o.name) AS portfolio
ORDER BY companies DESC, investor
