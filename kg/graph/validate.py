"""SHACL validation of a graph against ``ontology/shapes.ttl`` (pyshacl), with readable results.

The ontology's axioms go into the data graph for the check (as pyshacl's ``ont_graph`` would,
without its copy of the whole graph) so that ``sh:class aikg:Organization`` accepts a
``aikg:Company`` through the class hierarchy, without running RDFS inference over the data.
"""
from __future__ import annotations

import gc
import multiprocessing
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pyshacl import Validator
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


@contextmanager
def _focus_looked_up_by_hash():
    """pyshacl keeps the ``focus_nodes`` option as a list and tests every target of every shape
    against it with ``in``: quadratic.  Half the nodes of the 100x graph took 33 s, six times
    all of them unfocused, and a daily re-build's new articles against a large archive would
    take hours.  A frozenset answers the same ``len`` and ``in`` (pyshacl's only uses of it)."""
    original = Validator.make_executor

    def make_executor(self):
        executor = original(self)
        if executor.focus_nodes:
            executor.focus_nodes = frozenset(executor.focus_nodes)
        return executor

    Validator.make_executor = make_executor
    try:
        yield
    finally:
        Validator.make_executor = original


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


def validate(data: Graph, inference: str = "none", focus: list[URIRef] | None = None,
             processes: int = 1) -> list[Violation]:
    """Every violation of the shapes (an empty list: the graph conforms), of the ``focus`` nodes
    only when given (judged against the whole graph).  The shapes give the same verdict with
    ``inference="rdfs"``, as many users run pyshacl.

    ``processes`` > 1 splits the nodes among that many forked copies of this process (the caller
    says whether forking is safe here: no model's thread pools); a large graph is checked in
    about 1/N of the time, a small one in this process."""
    if focus is not None and not focus:
        return []
    if processes > 1 and "fork" in multiprocessing.get_all_start_methods():
        # every target of the shapes is an IRI subject (the build makes no blank nodes), and
        # pyshacl checks focus nodes by IRI, so checking all of them is checking the graph
        nodes = list(focus) if focus is not None else sorted({s for s in data.subjects() if isinstance(s, URIRef)})
        if len(nodes) >= PARALLEL_FROM:
            return _sorted(_in_forks(data, inference, nodes, processes))
    return _sorted(_violations(data, inference, focus))


PARALLEL_FROM = 300     # nodes: below, forking costs more than the split saves (400 nodes: 0.28 -> 0.2 s)
_forked: dict[str, Any] = {}      # what forked children judge: the graph and the inference


def _in_forks(data: Graph, inference: str, nodes: list[URIRef], processes: int) -> set[Violation]:
    """The nodes dealt out among ``processes`` forked children, each judging its share against
    the whole graph, which they share with this process until they write to it."""
    load_shapes(), _ontology_axioms()       # made once here, not once per child
    _forked.update(data=data, inference=inference)
    # the objects alive now out of the collector's sight: a collection in a child would write to
    # every one of them, and so copy the whole process instead of the pages it reads
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            parts = pool.map(_judge_share, [nodes[i::processes] for i in range(processes)])
    finally:
        gc.unfreeze()
        _forked.clear()
    return set().union(*parts)


def _judge_share(nodes: list[URIRef]) -> set[Violation]:
    return _violations(_forked["data"], _forked["inference"], nodes)


def _violations(data: Graph, inference: str, focus: list[URIRef] | None) -> set[Violation]:
    options: dict[str, Any] = {"shacl_graph": load_shapes(), "advanced": True, "allow_warnings": True,
               "focus_nodes": list(focus) if focus is not None else None}
    with _prepared_sparql(), _focus_looked_up_by_hash():
        if inference == "none" and (None, SH.rule, None) not in load_shapes():
            # in place: neither inference nor a SHACL rule (advanced mode runs sh:rule, which
            # would write into the caller's graph) adds to it, and the axioms are taken out again
            with _with_ontology(data):
                conforms, report, _ = shacl_validate(data, inference="none", inplace=True, **options)
        else:
            conforms, report, _ = shacl_validate(data, ont_graph=load_ontology(), inference=inference, **options)
    if conforms:
        return set()
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
    return out


def _sorted(violations: set[Violation]) -> list[Violation]:
    return sorted(violations, key=lambda v: (v.shape, v.focus, v.path, v.message))


def format_violations(violations: list[Violation], limit: int = 50) -> str:
    lines = [f"{len(violations)} SHACL violation(s):"]
    lines += [f"  - {v}" for v in violations[:limit]]
    if len(violations) > limit:
        lines.append(f"  ... and {len(violations) - limit} more")
    return "\n".join(lines)
