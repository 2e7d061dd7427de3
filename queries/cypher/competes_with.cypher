// Who competes with whom: each pair once, strongest evidence first.
MATCH (a:Entity)-[r:COMPETES_WITH]->(b:Entity)
RETURN a.name AS a, b.name AS b, r.confidence AS confidence, r.evidence AS evidence, r.source AS source
ORDER BY confidence DESC, a, b
