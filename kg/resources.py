"""Files the package ships: the ontology (vocabulary, SHACL shapes, KB) and the saved queries.

Read through ``importlib.resources``, so a wheel installed anywhere finds them; in an editable
install they are the top-level ``ontology/`` and ``queries/`` folders users edit.  Set
``KG_ONTOLOGY_DIR`` to use another ontology folder (a KB of one's own, say).
"""
from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path


def ontology_file(name: str) -> Path:
    """``aikg.ttl``, ``shapes.ttl`` or ``kb.csv``."""
    override = os.environ.get("KG_ONTOLOGY_DIR")
    # pip installs packages unpacked, so the resource is a file on disk
    return Path(override) / name if override else Path(str(files("kg.ontology") / name))


def query_dir(kind: str) -> Path:
    """``sparql`` or ``cypher``: the folder of the saved queries of that language."""
    return Path(str(files("kg.queries") / kind))
