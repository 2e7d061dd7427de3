"""SHACL validation of a graph against ``ontology/shapes.ttl`` (pyshacl), with readable results.

The ontology is passed as pyshacl's ``ont_graph`` so that ``sh:class aikg:Organization`` accepts
a ``aikg:Company`` through the class hierarchy, without running RDFS inference over the data.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pyshacl import validate as shacl_validate
from pyshacl.rdfutil.inoculate import inoculate
from rdflib import RDFS, Graph, Namespace, URIRef
from rdflib.namespace import PROV
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor, translateQuery

from ..resources import ontology_file
from .rdf import load_ontology
from .vocab import doc_iri

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    shape: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.focus}{where}: {self.message} [{self.shape}]"


@lru_cache(maxsize=1)
def load_shapes() -> Graph:
    return Graph().parse(ontology_file("shapes.ttl"))


def _short(g: Graph, term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        label = g.value(term, RDFS.label)
        try:
            name = g.namespace_manager.normalizeUri(term)
        except Exception:
            name = str(term)
        return f"{name} ({label})" if label else name
    return str(term)


@contextmanager
def _prepared_sparql():
    """pyshacl runs a SPARQL constraint once per focus node with the same text (the node goes in
    as a binding), and rdflib parses the text every time: parsing was 80% of validation.  Here
    each text is parsed and translated once, as rdflib's own ``prepareQuery`` does for reuse."""
    original = SPARQLProcessor.query
    prepared = {}

    def query(self, q, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(q, str):
            k = (q, base, tuple(sorted((initNs or {}).items())))
            if k not in prepared:
                prepared[k] = translateQuery(parseQuery(q), base, initNs)
            q = prepared[k]
        return original(self, q, initBindings, initNs, base, DEBUG)

    SPARQLProcessor.query = query
    try:
        yield
    finally:
        SPARQLProcessor.query = original


def changed_nodes(g: Graph, doc_ids) -> list[URIRef]:
    """The nodes that depend on the documents ``doc_ids``: the documents and every entity,
    statement and funding round derived from one of them.  The rest of the graph was judged by
    the build that extracted it."""
    nodes: set[URIRef] = set()
    for d in doc_ids:
        node = doc_iri(d)
        nodes.add(node)
        nodes.update(URIRef(str(n)) for n in g.subjects(PROV.wasDerivedFrom, node))
    return sorted(nodes)


@lru_cache(maxsize=1)
def _ontology_axioms() -> Graph:
    """What pyshacl copies from ``ont_graph`` into the data graph before validating (the RDFS and
    OWL axioms: classes, subclasses, properties), copied once."""
    axioms: Any = Graph()       # pyshacl types it as its own DataGraph, which a Graph is at run time
    return inoculate(axioms, load_ontology())


@contextmanager
def _with_ontology(data: Graph):
    """The data graph with the ontology's axioms mixed in, and exactly without them afterwards.
    Given ``ont_graph``, pyshacl mixes them into a copy of the whole graph: at 100x that copy cost
    more than checking one new article's nodes."""
    fresh = [t for t in _ontology_axioms() if t not in data]
    for t in fresh:
        data.add(t)
    try:
        yield data
    finally:
        for t in fresh:
            data.remove(t)


def validate(data: Graph, inference: str = "none", focus: list[URIRef] | None = None) -> list[Violation]:
    """Every violation of the shapes (an empty list: the graph conforms), of the ``focus`` nodes
    only when given (judged against the whole graph).  The shapes give the same verdict with
    ``inference="rdfs"``, as many users run pyshacl."""
    if focus is not None and not focus:
        return []
    options: dict[str, Any] = {"shacl_graph": load_shapes(), "advanced": True, "allow_warnings": True,
               "focus_nodes": list(focus) if focus is not None else None}
    with _prepared_sparql():
        if inference == "none" and (None, SH.rule, None) not in load_shapes():
            # in place: neither inference nor a SHACL rule (advanced mode runs sh:rule, which
            # would write into the caller's graph) adds to it, and the axioms are taken out again
            with _with_ontology(data):
                conforms, report, _ = shacl_validate(data, inference="none", inplace=True, **options)
        else:
            conforms, report, _ = shacl_validate(data, ont_graph=load_ontology(), inference=inference, **options)
    if conforms:
        return []
    shapes = load_shapes()
    out = set()
    for res in report.subjects(SH.resultSeverity, SH.Violation):
        shape = report.value(res, SH.sourceShape)
        # a property shape is a blank node: name the node shape that holds it
        shape = next(shapes.subjects(SH.property, shape), shape)
        out.add(Violation(_short(data, report.value(res, SH.focusNode)),
                          _short(data, report.value(res, SH.resultPath)),
                          str(report.value(res, SH.resultMessage) or "constraint violated"),
                          _short(shapes, shape)))
    return sorted(out, key=lambda v: (v.shape, v.focus, v.path, v.message))


def format_violations(violations: list[Violation], limit: int = 50) -> str:
    lines = [f"{len(violations)} SHACL violation(s):"]
    lines += [f"  - {v}" for v in violations[:limit]]
    if len(violations) > limit:
        lines.append(f"  ... and {len(violations) - limit} more")
    return "\n".join(lines)
