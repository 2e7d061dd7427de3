"""aikg: Chinese AI-industry news -> knowledge graph (RDF/Turtle, Neo4j)."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("aikg")
except PackageNotFoundError:      # imported from a source tree that was never installed
    __version__ = "0+unknown"
