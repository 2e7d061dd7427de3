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
from functools import cache

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from ..extract.records import Entity, Evidence, FundingRound, NormalizedDoc, Relation
from ..resources import ontology_file
from .vocab import AIKG, ID, SCHEMA, doc_iri, entity_iri


def _lang(text: str) -> str | None:
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else None


def _digest(*parts) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


# namespace attribute lookups are slow in rdflib: the terms used per triple, looked up once
EVIDENCE_TEXT, SENTENCE_INDEX, START_OFFSET, END_OFFSET, EXTRACTOR, CONFIDENCE, MENTION_COUNT = (
    AIKG.evidenceText, AIKG.sentenceIndex, AIKG.startOffset, AIKG.endOffset, AIKG.extractor, AIKG.confidence,
    AIKG.mentionCount)
WAS_DERIVED_FROM = PROV.wasDerivedFrom

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
    # a term recurs in many triples (types, documents, entities, small numbers): converted once
    n3, term = cache(lambda t: t.n3()), cache(_ox)
    rows = sorted(((str(s), str(p), n3(o), s, p, o) for s, p, o in g), key=lambda r: r[:3])
    data = ox.serialize((ox.Triple(term(r[3]), term(r[4]), term(r[5])) for r in rows), format=ox.RdfFormat.TURTLE,
                        prefixes={prefix: str(ns) for prefix, ns in PREFIXES})
    assert data is not None             # no output file given: pyoxigraph returns the bytes
    return data


def load_ontology() -> Graph:
    g = Graph()
    g.parse(ontology_file("aikg.ttl"))
    return g


_literals: dict[tuple, Literal] = {}


def _lit(value, lang: str | None = None, datatype: URIRef | None = None) -> Literal:
    """One Literal per value: a graph repeats offsets, counts, rule names and sentences, and
    rdflib's Literal constructor was a third of building it.  The key holds the type, since
    ``True == 1`` and ``1 == 1.0`` but their literals differ, and a decimal by its digits, since
    ``Decimal("1.0") == Decimal("1")``."""
    k = (type(value), str(value) if isinstance(value, Decimal) else value, lang, datatype)
    lit = _literals.get(k)
    if lit is None:
        if len(_literals) > 1_000_000:     # a bound for a long-lived process that builds many graphs
            _literals.clear()
        lit = _literals[k] = Literal(value, lang=lang, datatype=datatype)
    return lit


def _evidence(g: Graph, node: URIRef, ev: Evidence) -> None:
    add = g.add
    add((node, WAS_DERIVED_FROM, doc_iri(ev.doc_id)))
    add((node, EVIDENCE_TEXT, _lit(ev.text, "zh")))
    add((node, SENTENCE_INDEX, _lit(ev.sent)))
    add((node, START_OFFSET, _lit(ev.start)))
    add((node, END_OFFSET, _lit(ev.end)))
    add((node, EXTRACTOR, _lit(ev.rule)))
    add((node, CONFIDENCE, _lit(Decimal(str(ev.confidence)), datatype=XSD.decimal)))


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
    add = g.add
    for e in entities:
        node = entity_iri(e.iri_key)
        add((node, RDF.type, AIKG[e.type]))
        add((node, RDFS.label, Literal(e.name, lang=_lang(e.name))))
        for alias in e.aliases:
            add((node, SKOS.altLabel, Literal(alias, lang=_lang(alias))))
        add((node, MENTION_COUNT, _lit(len(e.mentions))))
        for doc_id in sorted({m.doc_id for m in e.mentions}):
            add((node, WAS_DERIVED_FROM, doc_iri(doc_id)))


def add_relations(g: Graph, relations: list[Relation]) -> None:
    add = g.add
    for r in relations:
        s, p, o = entity_iri(r.subject), AIKG[r.predicate], entity_iri(r.object)
        add((s, p, o))
        for ev in r.evidence:
            stmt = ID["statement/" + _digest(r.subject, r.predicate, r.object, ev.doc_id, ev.sent, ev.rule)]
            add((stmt, RDF.type, RDF.Statement))
            add((stmt, RDF.subject, s))
            add((stmt, RDF.predicate, p))
            add((stmt, RDF.object, o))
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
