// Who competes with whom, as a graph for Neo4j Browser (evidence on each relationship).
MATCH p = (a:Entity)-[r:COMPETES_WITH]->(b:Entity)
RETURN p
