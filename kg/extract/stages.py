"""The extraction stages as plain functions, each with typed input and output.

``kg build``, the tests and the notebooks call these, so the order of the stages and what one
hands the next is written once:

    doc_mentions(nlp, doc)            -> mentions of one document, by sentence
    resolve_entities(mentions, kb)    -> entities; sets ``Mention.entity`` on every mention
    doc_facts(extractor, doc, ...)    -> relations and funding rounds of one document
    merge_relations(relations)        -> one Relation per (subject, predicate, object), evidence pooled
    well_typed(relations, funding, entities) -> the facts whose ends are of the kinds the vocabulary allows
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.language import Language

from ..graph.vocab import SUPERCLASSES, fits
from .doctext import make_doc
from .entities import resolve
from .kb import KnowledgeBase
from .mentions import extract_mentions, propagate_names
from .records import Entity, FundingRound, Mention, NormalizedDoc, Relation
from .relations import RelationExtractor


@dataclass
class DocFacts:
    relations: list[Relation] = field(default_factory=list)
    funding: list[FundingRound] = field(default_factory=list)


def doc_mentions(nlp: Language, doc: NormalizedDoc) -> dict[int, list[Mention]]:
    """Sentence index -> the typed, non-overlapping mentions of that sentence."""
    sdocs = nlp.pipe(make_doc(nlp, s.text) for s in doc.sentences)
    by_sent = {sent.index: extract_mentions(sdoc, sent) for sent, sdoc in zip(doc.sentences, sdocs, strict=True)}
    propagate_names(by_sent, doc.sentences)
    return by_sent


def resolve_entities(mentions: list[Mention], kb: KnowledgeBase) -> list[Entity]:
    return resolve(mentions, kb)


def doc_facts(extractor: RelationExtractor, doc: NormalizedDoc, mentions: dict[int, list[Mention]],
              names: dict[str, str]) -> DocFacts:
    rels, rounds = extractor.extract_doc(doc.sentences, mentions, names)
    return DocFacts(rels, rounds)


def merge_relations(relations: list[Relation]) -> list[Relation]:
    merged: dict[tuple[str, str, str], Relation] = {}
    for r in relations:
        key = (r.subject, r.predicate, r.object)
        if key in merged:
            merged[key].evidence.extend(r.evidence)
        else:
            merged[key] = Relation(r.subject, r.predicate, r.object, list(r.evidence))
    return sorted(merged.values(), key=lambda r: (r.predicate, r.subject, r.object))


def well_typed(relations: list[Relation], funding: list[FundingRound],
               entities: list[Entity]) -> tuple[list[Relation], list[FundingRound], int]:
    """The relations and funding rounds whose ends are of the classes the vocabulary (and so the
    SHACL shapes) allow, and how many facts were dropped.  An end of the wrong kind is an
    extraction error (a name typed wrongly, a rule reaching past its clause): dropping that fact
    keeps the rest of an archive's graph instead of refusing the whole build."""
    types = {e.iri_key: e.type for e in entities}

    def has(key: str, cls: str) -> bool:
        return key in types and cls in SUPERCLASSES[types[key]]

    kept = [r for r in relations if r.subject in types and r.object in types
            and fits(r.predicate, types[r.subject], types[r.object])]
    rounds, dropped = [], len(relations) - len(kept)
    for f in funding:
        if not has(f.recipient, "Organization"):
            dropped += 1
            continue
        investors = [i for i in f.investors if has(i, "Agent")]
        dropped += len(f.investors) - len(investors)
        rounds.append(replace(f, investors=investors))
    return kept, rounds, dropped
