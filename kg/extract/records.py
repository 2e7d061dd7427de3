"""Plain records passed between pipeline stages.

Data flows one way: SourceDoc -> NormalizedDoc (sentences) -> Mention -> Entity / Relation /
FundingRound -> RDF.  Offsets are always character offsets into ``NormalizedDoc.text``.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceDoc:
    doc_id: str                 # file stem, stable across runs
    path: str
    text: str                   # decoded, otherwise untouched
    encoding: str
    meta: dict = field(default_factory=dict)   # title, outlet, author, date, url (manifest)


@dataclass
class Sentence:
    doc_id: str
    index: int
    start: int                  # offsets into NormalizedDoc.text
    end: int
    text: str
    garbled: list[tuple[int, int]] = field(default_factory=list)  # spans, sentence-relative


@dataclass
class NormalizedDoc:
    doc_id: str
    text: str
    sentences: list[Sentence]
    meta: dict = field(default_factory=dict)
    stats: dict = field(default_factory=dict)  # what normalization removed or flagged


@dataclass
class Mention:
    doc_id: str
    sent: int                   # Sentence.index
    start: int                  # document offsets
    end: int
    text: str
    label: str                  # ontology class local name
    source: str                 # component that produced it: lac, hanlp, kb, pattern
    kb_id: str | None = None    # canonical KB name when linked
    entity: str | None = None   # Entity.iri_key, set by entity resolution (None: no entity)


@dataclass
class Entity:
    iri_key: str                # stable slug used for the IRI
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Evidence:
    doc_id: str
    sent: int
    start: int                  # sentence offsets in the document
    end: int
    text: str
    rule: str
    confidence: float


@dataclass
class Relation:
    subject: str                # Entity.iri_key
    predicate: str              # ontology property local name
    object: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        return max((e.confidence for e in self.evidence), default=0.0)


@dataclass
class FundingRound:
    recipient: str              # Entity.iri_key
    amount: float               # in currency units
    currency: str               # ISO 4217
    approximate: bool
    round: str | None
    investors: list[str]
    date: str | None
    evidence: Evidence
    surface: str = ""           # the money expression as written

    @property
    def key(self) -> str:
        return f"{self.recipient}-{self.evidence.doc_id}-{self.evidence.start}-{int(self.amount)}"
