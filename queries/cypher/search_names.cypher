// Full-text search over names and aliases (Neo4j, cjk analyzer): :param q => '谷歌'
CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node, score
RETURN node.name AS name, node.type AS type, node.aliases AS aliases, score
ORDER BY score DESC LIMIT 20
