"""Exports of the canonical RDF graph: Turtle, N-Triples, JSON-LD, and a networkx view
(GraphML / GEXF for Gephi) with names, types and predicates as attributes."""
from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
from rdflib import RDF, RDFS, Graph
from rdflib.namespace import SKOS

from .build import write_atomic
from .kb import ENTITY_TYPES
from .rdf import AIKG

RDF_FORMATS = {"turtle": "ttl", "nt": "nt", "json-ld": "jsonld"}
NX_FORMATS = {"graphml": "graphml", "gexf": "gexf"}
FORMATS = {**RDF_FORMATS, **NX_FORMATS}
ENTITY_CLASSES = set(ENTITY_TYPES)
RELATIONS = ("founded", "ceoOf", "worksFor", "educatedAt", "investedIn", "developed", "competesWith",
             "partnersWith", "uses")


def _local(term) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def to_networkx(g: Graph) -> nx.MultiDiGraph:
    """Entities as nodes (name, type, aliases), extracted relations as edges (predicate, the best
    confidence and the number of evidence sentences), funding rounds as nodes linked by
    ``recipient`` and ``investor`` edges.  Symmetric predicates keep their one stored direction."""
    G = nx.MultiDiGraph()
    for node, cls in g.subject_objects(RDF.type):
        kind = _local(cls)
        if kind in ENTITY_CLASSES:
            aliases = sorted(str(a) for a in g.objects(node, SKOS.altLabel))
            G.add_node(str(node), name=str(g.value(node, RDFS.label) or _local(node)), type=kind,
                       aliases="|".join(aliases))
    evidence: dict[tuple, list[float]] = {}
    for st in g.subjects(RDF.type, RDF.Statement):
        key = (g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object))
        evidence.setdefault(key, []).append(float(g.value(st, AIKG.confidence)))
    for pred in RELATIONS:
        for s, o in g.subject_objects(AIKG[pred]):
            confs = evidence.get((s, AIKG[pred], o), [])
            G.add_edge(str(s), str(o), key=pred, predicate=pred, confidence=max(confs, default=0.0),
                       evidence=len(confs))
    for fr in g.subjects(RDF.type, AIKG.FundingRound):
        G.add_node(str(fr), name=str(g.value(fr, RDFS.label)), type="FundingRound",
                   amount=float(g.value(fr, AIKG.amount)), currency=str(g.value(fr, AIKG.currency)))
        recipient = g.value(fr, AIKG.recipient)
        G.add_edge(str(fr), str(recipient), key="recipient", predicate="recipient")
        for inv in g.objects(fr, AIKG.investor):
            G.add_edge(str(inv), str(fr), key="investor", predicate="investor")
    return G


def serialize(g: Graph, fmt: str) -> bytes:
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


def export(ttl: Path, fmt: str, out: Path | None = None) -> Path:
    """Read the Turtle output and write it as ``fmt`` next to it (or to ``out``), atomically."""
    g = Graph().parse(ttl, format="turtle")
    target = Path(out) if out else Path(ttl).with_suffix("." + FORMATS[fmt])
    write_atomic(target, serialize(g, fmt))
    return target
