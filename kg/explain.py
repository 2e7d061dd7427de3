"""``kg explain``: the sentences behind the edges of one entity, or between two entities.

Reads the canonical graph only (the Turtle output), so it explains exactly what users query.
"""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import PROV, SKOS

from .kb import norm_key
from .rdf import AIKG

EVIDENCE_QUERY = """
SELECT ?s ?p ?o ?doc ?sent ?start ?end ?text ?rule ?conf WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      prov:wasDerivedFrom ?doc ; aikg:evidenceText ?text ; aikg:sentenceIndex ?sent ;
      aikg:startOffset ?start ; aikg:endOffset ?end ; aikg:extractor ?rule ; aikg:confidence ?conf .
}"""


@dataclass
class Edge:
    subject: str
    predicate: str
    object: str
    doc: str
    sentence: int
    start: int
    end: int
    text: str
    rule: str
    confidence: float
    subject_iri: str = ""
    object_iri: str = ""


def find_entity(g: Graph, name: str) -> URIRef | None:
    """The node whose label or alias matches ``name`` (same normalization as the scorer)."""
    key = norm_key(name)
    for prop in (RDFS.label, SKOS.altLabel):
        for node, label in sorted(g.subject_objects(prop)):
            if norm_key(str(label)) == key and (node, RDF.type, AIKG.Document) not in g:
                return node
    return None


def label(g: Graph, node: URIRef) -> str:
    return str(g.value(node, RDFS.label) or node)


def explain(g: Graph, name: str, other: str | None = None) -> list[Edge]:
    """Evidence for every edge of ``name`` (only those that touch ``other`` when given), best
    evidence first.  Raises KeyError naming the entity that is not in the graph."""
    node = find_entity(g, name)
    if node is None:
        raise KeyError(name)
    peer = None
    if other:
        peer = find_entity(g, other)
        if peer is None:
            raise KeyError(other)
    return [e for e in evidence_edges(g, nodes=(node,))
            if peer is None or str(peer) in (e.subject_iri, e.object_iri)]


def evidence_edges(g: Graph, predicate: str | None = None, nodes: tuple = ()) -> list[Edge]:
    """Every evidence sentence of the extracted relations (of one ``predicate``, or touching one
    of ``nodes`` when given), best evidence first within each fact."""
    bindings = {"p": AIKG[predicate]} if predicate else {}
    edges = []
    for row in g.query(EVIDENCE_QUERY, initNs={"aikg": AIKG, "prov": PROV, "rdf": RDF}, initBindings=bindings):
        if nodes and row.s not in nodes and row.o not in nodes:
            continue
        edges.append(Edge(label(g, row.s), str(row.p).rsplit("#", 1)[-1], label(g, row.o),
                          str(row.doc).rsplit("/", 1)[-1], int(row.sent), int(row.start), int(row.end),
                          str(row.text), str(row.rule), float(row.conf), str(row.s), str(row.o)))
    return sorted(edges, key=lambda e: (e.predicate, e.subject, e.object, -e.confidence, e.doc, e.sentence))


def format_edges(edges: list[Edge]) -> str:
    lines, last = [], None
    for e in edges:
        head = (e.subject, e.predicate, e.object)
        if head != last:
            lines.append(f"{e.subject} --{e.predicate}--> {e.object}")
            last = head
        lines.append(f"    [{e.confidence:.2f} {e.rule}] {e.doc} #{e.sentence} ({e.start}-{e.end}): {e.text}")
    return "\n".join(lines)
