"""The one reader of the canonical graph (the Turtle output): entities, facts with their
evidence, and funding rounds as plain records.  Export, Neo4j, explain, viz and the notebooks
read the graph through it, so the shape of the RDF is known in one place only.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from .names import norm_key
from .vocab import AIKG, ENTITY_TYPES, PREDICATES, SCHEMA, doc_id_of

NS = str(AIKG._NS)


def local(term) -> str:
    """``https://aikg.dev/ontology#Company`` -> ``Company``."""
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass(frozen=True)
class EntityRecord:
    iri: str
    name: str
    type: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class EvidenceRecord:
    doc: str
    sentence: int
    start: int
    end: int
    text: str
    rule: str
    confidence: float


@dataclass
class Fact:
    subject: str                    # IRIs
    predicate: str                  # local name, a key of kg.graph.vocab.PREDICATES
    object: str
    evidence: list[EvidenceRecord] = field(default_factory=list)   # best first

    @property
    def confidence(self) -> float:
        return self.evidence[0].confidence if self.evidence else 0.0


@dataclass(frozen=True)
class DocumentRecord:
    iri: str
    id: str
    title: str | None
    author: str | None
    outlet: str | None
    date: object            # a datetime.date when the literal is typed as one, else its text
    url: str | None


@dataclass
class RoundRecord:
    iri: str
    name: str
    recipient: str
    investors: list[str]
    amount: float
    currency: str
    approximate: bool
    round: str | None
    date: str | None
    amount_text: str | None
    evidence: EvidenceRecord


def _evidence(g: Graph, node) -> EvidenceRecord:
    def val(p):
        v = g.value(node, p)
        return None if v is None else v.toPython()
    return EvidenceRecord(doc_id_of(g.value(node, PROV.wasDerivedFrom)), int(val(AIKG.sentenceIndex)),
                          int(val(AIKG.startOffset)), int(val(AIKG.endOffset)), str(val(AIKG.evidenceText)),
                          str(val(AIKG.extractor)), float(val(AIKG.confidence)))


def entities(g: Graph) -> dict[str, EntityRecord]:
    """Entity IRI -> record, in IRI order."""
    out = {}
    for node, cls in sorted(g.subject_objects(RDF.type)):
        kind = local(cls)
        if str(cls).startswith(NS) and kind in ENTITY_TYPES:
            out[str(node)] = EntityRecord(str(node), str(g.value(node, RDFS.label) or local(node)), kind,
                                          tuple(sorted(str(a) for a in g.objects(node, SKOS.altLabel))))
    return out


def facts(g: Graph, predicate: str | None = None) -> list[Fact]:
    """Every asserted relation between entities (of one ``predicate``), with the evidence of
    its ``rdf:Statement`` nodes, best first; sorted by predicate, subject and object."""
    evidence: dict[tuple[Any, Any, Any], list[EvidenceRecord]] = defaultdict(list)
    for st in g.subjects(RDF.type, RDF.Statement):
        key = (g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object))
        evidence[key].append(_evidence(g, st))
    out = []
    for name in ([predicate] if predicate else PREDICATES):
        p = PREDICATES[name].iri
        for s, o in sorted(g.subject_objects(p), key=str):
            ev = sorted(evidence.get((s, p, o), []), key=lambda e: (-e.confidence, e.doc, e.sentence, e.rule))
            out.append(Fact(str(s), name, str(o), ev))
    return out


def rounds(g: Graph) -> list[RoundRecord]:
    out = []
    for fr in sorted(g.subjects(RDF.type, AIKG.FundingRound), key=str):
        def val(p, fr=fr):
            v = g.value(fr, p)
            return None if v is None else v.toPython()
        out.append(RoundRecord(
            str(fr), str(val(RDFS.label)), str(g.value(fr, AIKG.recipient)),
            sorted(str(i) for i in g.objects(fr, AIKG.investor)), float(val(AIKG.amount)),
            str(val(AIKG.currency)), bool(val(AIKG.approximate)),
            None if val(AIKG.round) is None else str(val(AIKG.round)),
            None if val(AIKG.date) is None else str(val(AIKG.date)),
            None if val(AIKG.amountText) is None else str(val(AIKG.amountText)), _evidence(g, fr)))
    return out


def documents(g: Graph) -> list[DocumentRecord]:
    def text(node, prop):
        v = g.value(node, prop)
        return None if v is None else str(v)
    out = []
    for d in sorted(g.subjects(RDF.type, AIKG.Document), key=str):
        date: Any = g.value(d, DCTERMS.date)
        out.append(DocumentRecord(str(d), text(d, DCTERMS.identifier) or doc_id_of(d), text(d, DCTERMS.title),
                                  text(d, DCTERMS.creator), text(d, AIKG.outlet),
                                  None if date is None else date.toPython(), text(d, SCHEMA.url)))
    return out


def find_entity(g: Graph, name: str) -> URIRef | None:
    """The entity whose label or alias matches ``name`` (NFKC, case and punctuation folded, as
    the scorer matches), labels before aliases."""
    key = norm_key(name)
    for prop in (RDFS.label, SKOS.altLabel):
        for node, label in sorted(g.subject_objects(prop), key=lambda nl: (str(nl[0]), str(nl[1]))):
            if norm_key(str(label)) == key and (node, RDF.type, AIKG.Document) not in g:
                return URIRef(str(node))
    return None
