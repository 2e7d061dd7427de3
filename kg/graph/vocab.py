"""The one vocabulary every stage imports: ontology terms as an rdflib ``DefinedNamespace`` (a
misspelt term raises instead of minting a new IRI), and per class and predicate what the other
stages need to know (argument kinds, symmetry, drawing colour).  A test holds it equal to the OWL
declarations in ``ontology/aikg.ttl``: adding a predicate means adding it there and here.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, unquote

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace


class AIKG(DefinedNamespace):
    _NS = Namespace("https://aikg.dev/ontology#")
    _fail = True

    # entity classes
    Agent: URIRef
    Person: URIRef
    Organization: URIRef
    Company: URIRef
    InvestmentFirm: URIRef
    University: URIRef
    ResearchLab: URIRef
    MediaOutlet: URIRef
    AIModel: URIRef
    Product: URIRef
    FundingRound: URIRef
    Document: URIRef
    # relations between entities, and their inverses
    founded: URIRef
    foundedBy: URIRef
    ceoOf: URIRef
    worksFor: URIRef
    educatedAt: URIRef
    investedIn: URIRef
    fundedBy: URIRef
    developed: URIRef
    developedBy: URIRef
    competesWith: URIRef
    partnersWith: URIRef
    uses: URIRef
    # funding rounds
    recipient: URIRef
    investor: URIRef
    amount: URIRef
    currency: URIRef
    approximate: URIRef
    round: URIRef
    date: URIRef
    amountText: URIRef
    # provenance and bookkeeping
    evidenceText: URIRef
    sentenceIndex: URIRef
    startOffset: URIRef
    endOffset: URIRef
    extractor: URIRef
    confidence: URIRef
    evidence: URIRef
    mentionCount: URIRef
    outlet: URIRef


ID = Namespace("https://aikg.dev/id/")
SCHEMA = Namespace("https://schema.org/")


def entity_iri(key: str) -> URIRef:
    return ID["entity/" + key]


def _iri_safe(c: str) -> bool:
    """Unreserved in an IRI (RFC 3987): ASCII letters, digits, ``-._~`` and printable non-ASCII."""
    o = ord(c)
    if o < 0x80:
        return c.isalnum() or c in "-._~"
    return o >= 0xA0 and unicodedata.category(c)[0] not in "CZ" and not 0xFFF0 <= o <= 0xFFFF


@lru_cache(maxsize=1 << 16)     # called for every evidence sentence: a few documents, 100,000s of calls
def doc_iri(doc_id: str) -> URIRef:
    """The document's IRI: its file name, percent-encoded where a character is not allowed in an
    IRI (a space, a quote, ``<>{}|^`` or a newline can all be in a file name).  Chinese names
    stay readable, and names that need no escape keep the IRIs earlier builds gave them."""
    return ID["doc/" + "".join(c if _iri_safe(c) else quote(c, safe="") for c in doc_id)]


def doc_id_of(iri) -> str:
    """The file name behind a document IRI."""
    return unquote(str(iri).rsplit("/", 1)[-1])

ORG_TYPES = ("Organization", "Company", "InvestmentFirm", "University", "ResearchLab", "MediaOutlet")
ENTITY_TYPES = ("Person", *ORG_TYPES[1:], "Organization", "AIModel", "Product")

# Okabe-Ito based, readable for colour-blind users; one colour per class
CLASS_COLORS = {"Person": "#E69F00", "Company": "#0072B2", "InvestmentFirm": "#009E73",
                "University": "#CC79A7", "ResearchLab": "#56B4E9", "MediaOutlet": "#999999",
                "Organization": "#8C6D31", "AIModel": "#D55E00", "Product": "#F0E442"}


@dataclass(frozen=True)
class Predicate:
    name: str                     # local name, also the scorer's contract
    domain: tuple[str, ...] | None  # classes of the subject (one, or a union; None: any entity)
    range: tuple[str, ...] | None   # classes of the object (one, or a union), as declared in aikg.ttl
    symmetric: bool
    color: str

    @property
    def iri(self) -> URIRef:
        return getattr(AIKG, self.name)      # raises for a name the vocabulary lacks

    @property
    def neo4j_type(self) -> str:
        """``competesWith`` -> ``COMPETES_WITH``."""
        return "".join("_" + c if c.isupper() else c.upper() for c in self.name)


PREDICATES = {p.name: p for p in (
    Predicate("founded", ("Person",), ("Organization",), False, "#E69F00"),
    Predicate("ceoOf", ("Person",), ("Organization",), False, "#B35806"),
    Predicate("worksFor", ("Person",), ("Organization",), False, "#7F7F7F"),
    Predicate("educatedAt", ("Person",), ("University",), False, "#CC79A7"),
    Predicate("investedIn", ("Agent",), ("Organization",), False, "#009E73"),
    Predicate("developed", ("Organization",), ("AIModel", "Product"), False, "#0072B2"),
    Predicate("competesWith", None, None, True, "#D62728"),
    Predicate("partnersWith", ("Organization",), ("Organization",), True, "#9467BD"),
    Predicate("uses", ("Organization", "Product"), ("AIModel", "Organization"), False, "#17BECF"),
)}
RELATIONS = tuple(PREDICATES)
SYMMETRIC = frozenset(p for p, d in PREDICATES.items() if d.symmetric)

# each class with the classes it falls under (rdfs:subClassOf in aikg.ttl, within the vocabulary)
SUPERCLASSES = {"Person": {"Person", "Agent"},
                **{t: {t, "Organization", "Agent"} for t in ORG_TYPES},
                "AIModel": {"AIModel"}, "Product": {"Product"}}
# competitors are of one kind: people, organizations, or models and products
KIND_OF = {t: "person" if t == "Person" else "model" if t in ("AIModel", "Product") else "org" for t in SUPERCLASSES}


def fits(predicate: str, subject_type: str, object_type: str) -> bool:
    """Whether a fact's ends are of the classes the vocabulary (and the SHACL shapes) allow."""
    p = PREDICATES[predicate]
    if p.name == "competesWith":
        return KIND_OF[subject_type] == KIND_OF[object_type]
    return ((p.domain is None or bool(SUPERCLASSES[subject_type] & set(p.domain)))
            and (p.range is None or bool(SUPERCLASSES[object_type] & set(p.range))))
