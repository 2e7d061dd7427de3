"""Records -> the canonical rdflib graph.

Facts stay plain asserted triples (``:李志飞 aikg:founded :出门问问``) so any RDF consumer reads
them; the evidence hangs off ``rdf:Statement`` nodes (reification, which every parser accepts,
unlike RDF-star) carrying ``prov:wasDerivedFrom`` the document, the sentence, its offsets, the
extracting rule and a confidence.  IRIs derive from names and offsets only: stable across runs.
"""
from __future__ import annotations

import hashlib
import re
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from ..extract.records import Entity, Evidence, FundingRound, NormalizedDoc, Relation
from ..resources import ontology_file
from .vocab import AIKG, ID, SCHEMA, doc_iri, entity_iri


def _lang(text: str) -> str | None:
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else None


def _digest(*parts) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


PREFIXES = (("aikg", AIKG), ("id", ID), ("prov", PROV), ("skos", SKOS), ("dcterms", DCTERMS),
            ("schema", SCHEMA), ("owl", OWL), ("rdf", RDF), ("rdfs", RDFS), ("xsd", XSD))


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES[:7]:
        g.bind(prefix, ns)
    return g


def _ox(term):
    import pyoxigraph as ox
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


def to_turtle(g: Graph) -> bytes:
    """The graph as Turtle, written by pyoxigraph: six times faster than rdflib's serializer on a
    100x corpus graph (benchmarks/scale.py).  Triples go in sorted order (subject, predicate,
    object) with a fixed prefix list, so the same graph always gives the same bytes."""
    import pyoxigraph as ox
    triples = sorted(g, key=lambda t: (str(t[0]), str(t[1]), t[2].n3()))
    data = ox.serialize((ox.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in triples), format=ox.RdfFormat.TURTLE,
                        prefixes={prefix: str(ns) for prefix, ns in PREFIXES})
    assert data is not None             # no output file given: pyoxigraph returns the bytes
    return data


def load_ontology() -> Graph:
    g = Graph()
    g.parse(ontology_file("aikg.ttl"))
    return g


def _evidence(g: Graph, node: URIRef, ev: Evidence) -> None:
    g.add((node, PROV.wasDerivedFrom, doc_iri(ev.doc_id)))
    g.add((node, AIKG.evidenceText, Literal(ev.text, lang="zh")))
    g.add((node, AIKG.sentenceIndex, Literal(ev.sent)))
    g.add((node, AIKG.startOffset, Literal(ev.start)))
    g.add((node, AIKG.endOffset, Literal(ev.end)))
    g.add((node, AIKG.extractor, Literal(ev.rule)))
    g.add((node, AIKG.confidence, Literal(Decimal(str(ev.confidence)), datatype=XSD.decimal)))


def add_documents(g: Graph, docs: list[NormalizedDoc]) -> None:
    for d in docs:
        node = doc_iri(d.doc_id)
        g.add((node, RDF.type, AIKG.Document))
        g.add((node, DCTERMS.identifier, Literal(d.doc_id)))
        meta = d.meta or {}
        for key, prop in (("title", DCTERMS.title), ("author", DCTERMS.creator), ("date", DCTERMS.date),
                          ("outlet", AIKG.outlet)):
            if meta.get(key):
                g.add((node, prop, Literal(meta[key], lang=_lang(meta[key]))))
        if meta.get("url"):
            g.add((node, SCHEMA.url, Literal(meta["url"], datatype=XSD.anyURI)))


def add_entities(g: Graph, entities: list[Entity]) -> None:
    for e in entities:
        node = entity_iri(e.iri_key)
        g.add((node, RDF.type, AIKG[e.type]))
        g.add((node, RDFS.label, Literal(e.name, lang=_lang(e.name))))
        for alias in e.aliases:
            g.add((node, SKOS.altLabel, Literal(alias, lang=_lang(alias))))
        g.add((node, AIKG.mentionCount, Literal(len(e.mentions))))
        for doc_id in sorted({m.doc_id for m in e.mentions}):
            g.add((node, PROV.wasDerivedFrom, doc_iri(doc_id)))


def add_relations(g: Graph, relations: list[Relation]) -> None:
    for r in relations:
        s, p, o = entity_iri(r.subject), AIKG[r.predicate], entity_iri(r.object)
        g.add((s, p, o))
        for ev in r.evidence:
            stmt = ID["statement/" + _digest(r.subject, r.predicate, r.object, ev.doc_id, ev.sent, ev.rule)]
            g.add((stmt, RDF.type, RDF.Statement))
            g.add((stmt, RDF.subject, s))
            g.add((stmt, RDF.predicate, p))
            g.add((stmt, RDF.object, o))
            _evidence(g, stmt, ev)


def add_funding(g: Graph, rounds: list[FundingRound]) -> None:
    for f in rounds:
        node = ID["funding/" + _digest(f.key)]
        g.add((node, RDF.type, AIKG.FundingRound))
        g.add((node, AIKG.recipient, entity_iri(f.recipient)))
        g.add((node, AIKG.amount, Literal(Decimal(int(f.amount)) if f.amount == int(f.amount)
                                          else Decimal(str(f.amount)), datatype=XSD.decimal)))
        g.add((node, AIKG.currency, Literal(f.currency)))
        g.add((node, AIKG.approximate, Literal(f.approximate)))
        g.add((node, AIKG.amountText, Literal(f.surface, lang="zh")))
        g.add((node, RDFS.label, Literal(f"{f.surface} ({f.currency})", lang="zh")))
        if f.round:
            g.add((node, AIKG.round, Literal(f.round, lang=_lang(f.round))))
        if f.date:
            g.add((node, AIKG.date, Literal(f.date)))
        for inv in f.investors:
            g.add((node, AIKG.investor, entity_iri(inv)))
        _evidence(g, node, f.evidence)


def build_graph(docs, entities, relations, rounds) -> Graph:
    g = new_graph()
    add_documents(g, docs)
    add_entities(g, entities)
    add_relations(g, relations)
    add_funding(g, rounds)
    return g
