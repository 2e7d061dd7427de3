// Funding rounds by amount (amounts are in units of their own currency).
MATCH (f:FundingRound)-[:RECIPIENT]->(c:Entity)
OPTIONAL MATCH (f)-[:INVESTOR]->(i:Entity)
RETURN c.name AS recipient, f.amount AS amount, f.currency AS currency, f.approximate AS approximate,
       f.round AS round, f.date AS date, collect(i.name) AS investors
ORDER BY amount DESC
