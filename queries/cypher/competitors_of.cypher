// Competitors of one company (set the parameter first: :param name => 'OpenAI').
MATCH (c:Entity {name: $name})-[r:COMPETES_WITH]-(other:Entity)
RETURN other.name AS competitor, other.type AS type, r.confidence AS confidence, r.evidence AS evidence
ORDER BY confidence DESC
