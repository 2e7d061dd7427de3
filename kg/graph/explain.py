"""``kg explain``: the sentences behind the edges of one entity, or between two entities.

Reads the canonical graph only (the Turtle output), so it explains exactly what users query.
"""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from . import reader
from .reader import EvidenceRecord, find_entity


@dataclass(frozen=True)
class Edge(EvidenceRecord):
    """One evidence sentence of one fact, with the fact's ends by name and IRI."""
    subject: str
    predicate: str
    object: str
    subject_iri: str
    object_iri: str


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
    names = {iri: e.name for iri, e in reader.entities(g).items()}
    wanted = {str(n) for n in nodes}
    edges = [Edge(**vars(ev), subject=names[f.subject], predicate=f.predicate, object=names[f.object],
                  subject_iri=f.subject, object_iri=f.object)
             for f in reader.facts(g, predicate) if not wanted or {f.subject, f.object} & wanted
             for ev in f.evidence]
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
