// The shortest path between two entities (:param a => '李志飞'; :param b => 'OpenAI').
MATCH (x:Entity {name: $a}), (y:Entity {name: $b})
MATCH p = shortestPath((x)-[*..6]-(y))
RETURN p
