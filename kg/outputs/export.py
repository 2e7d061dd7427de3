"""Exports of the canonical RDF graph: Turtle, N-Triples, JSON-LD, a networkx view (GraphML /
GEXF for Gephi) with names, types and predicates as attributes, and the CSV folder of
``neo4j-admin database import`` (``kg/outputs/neo4j_import.py``)."""
from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
from rdflib import Graph

from ..files import write_atomic
from ..graph import reader
from ..graph.rdf import to_turtle

RDF_FORMATS = {"turtle": "ttl", "nt": "nt", "json-ld": "jsonld"}
NX_FORMATS = {"graphml": "graphml", "gexf": "gexf"}
FOLDER_FORMATS = {"neo4j-import": "neo4j-import"}     # a folder of files, not one file
FORMATS = {**RDF_FORMATS, **NX_FORMATS, **FOLDER_FORMATS}


def to_networkx(g: Graph) -> nx.MultiDiGraph:
    """Entities as nodes (name, type, aliases), extracted relations as edges (predicate, the best
    confidence and the number of evidence sentences), funding rounds as nodes linked by
    ``recipient`` and ``investor`` edges.  Symmetric predicates keep their one stored direction."""
    G = nx.MultiDiGraph()
    for e in reader.entities(g).values():
        G.add_node(e.iri, name=e.name, type=e.type, aliases="|".join(e.aliases))
    for f in reader.facts(g):
        G.add_edge(f.subject, f.object, key=f.predicate, predicate=f.predicate, confidence=f.confidence,
                   evidence=len(f.evidence))
    for r in reader.rounds(g):
        G.add_node(r.iri, name=r.name, type="FundingRound", amount=r.amount, currency=r.currency)
        G.add_edge(r.iri, r.recipient, key="recipient", predicate="recipient")
        for inv in r.investors:
            G.add_edge(inv, r.iri, key="investor", predicate="investor")
    return G


def serialize(g: Graph, fmt: str) -> bytes:
    if fmt == "turtle":
        return to_turtle(g)
    if fmt in RDF_FORMATS:
        data = g.serialize(format=fmt, encoding="utf-8")
        if fmt == "nt":      # rdflib writes N-Triples in hash order; sorted lines are diffable
            data = b"".join(sorted(data.splitlines(keepends=True)))
        return data
    if fmt in NX_FORMATS:
        buf = io.BytesIO()
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(to_networkx(g), buf)
        return buf.getvalue()
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def export(g: Graph, ttl: Path, fmt: str, out: Path | None = None) -> Path:
    """Write the graph read from ``ttl`` as ``fmt`` next to that file (or to ``out``), atomically."""
    if fmt in FOLDER_FORMATS:
        from .neo4j_import import write_import
        return write_import(g, Path(out) if out else Path(ttl).parent / FOLDER_FORMATS[fmt])
    target = Path(out) if out else Path(ttl).with_suffix("." + FORMATS[fmt])
    write_atomic(target, serialize(g, fmt))
    return target
