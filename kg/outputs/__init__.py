"""What users take away from the graph: exports, the Neo4j loader, analytics and pictures.
Reads the graph through ``kg.graph.reader``; never imports extraction."""
