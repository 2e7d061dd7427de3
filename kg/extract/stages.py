"""The extraction stages as plain functions, each with typed input and output.

``kg build``, the tests and the notebooks call these, so the order of the stages and what one
hands the next is written once:

    doc_mentions(nlp, doc)            -> mentions of one document, by sentence
    resolve_entities(mentions, kb)    -> entities; sets ``Mention.entity`` on every mention
    doc_facts(extractor, doc, ...)    -> relations and funding rounds of one document
    merge_relations(relations)        -> one Relation per (subject, predicate, object), evidence pooled
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language

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
    by_sent = {sent.index: extract_mentions(sdoc, sent)
               for sent, sdoc in zip(doc.sentences, nlp.pipe(s.text for s in doc.sentences), strict=True)}
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
