"""Paths and helpers the tests share.  A plain module, not conftest: test files import it by
name (pytest puts tests/ on sys.path), so plain ``pytest`` and ``python -m pytest`` both work."""
import random
import socket
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def free_port() -> int:
    """A free port below 32768: FalkorDB 4.16 ignores a BOLT_PORT above a signed 16-bit value."""
    for port in random.sample(range(20000, 32000), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")
