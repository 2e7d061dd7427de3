"""Paths and helpers the tests share.  A plain module, not conftest: test files import it by
name (pytest puts tests/ on sys.path), so plain ``pytest`` and ``python -m pytest`` both work."""
import socket
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
LAUNCHER = ROOT / "neo4j-test-server"      # the Java launcher of the tests' Neo4j server


def free_port() -> int:
    """A port nothing listens on at the moment, on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
