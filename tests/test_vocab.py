"""kg.graph.vocab is the code's copy of ontology/aikg.ttl: the two must declare the same terms."""
import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection

from kg.graph.vocab import AIKG, ENTITY_TYPES, PREDICATES, SUPERCLASSES, fits
from kg.resources import ontology_file

NS = str(AIKG._NS)


def local(term) -> str | None:
    return str(term)[len(NS):] if isinstance(term, URIRef) and str(term).startswith(NS) else None


ONTO = Graph().parse(ontology_file("aikg.ttl"))


def test_every_term_of_the_ontology_is_in_the_vocabulary_and_back():
    declared = {local(s) for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
                for s in ONTO.subjects(RDF.type, kind)} - {None}
    assert declared == set(AIKG.__annotations__)


def test_entity_classes_are_the_classes_under_agent_or_the_model_classes():
    classes = {local(s) for s in ONTO.subjects(RDF.type, OWL.Class)} - {None}    # None: a union
    assert set(ENTITY_TYPES) <= classes
    assert classes - set(ENTITY_TYPES) == {"Agent", "FundingRound", "Document"}


def declared(iri, prop):
    """The classes of a domain or range: one, or the members of an owl:unionOf."""
    value = ONTO.value(iri, prop)
    union = ONTO.value(value, OWL.unionOf) if value is not None else None
    if union is not None:
        return tuple(local(c) for c in Collection(ONTO, union))
    return (local(value),) if value is not None else None


def test_predicates_match_their_owl_declarations():
    inverses = set(ONTO.objects(None, OWL.inverseOf))
    relation_properties = {local(s) for s in ONTO.subjects(RDF.type, OWL.ObjectProperty)
                           if s not in inverses and s != AIKG.evidence
                           and ONTO.value(s, RDFS.domain) != AIKG.FundingRound}
    for name, p in PREDICATES.items():
        iri = AIKG[name]
        assert (iri, RDF.type, OWL.ObjectProperty) in ONTO
        assert declared(iri, RDFS.domain) == p.domain, name
        assert declared(iri, RDFS.range) == p.range, name
        assert ((iri, RDF.type, OWL.SymmetricProperty) in ONTO) == p.symmetric, name
    assert set(PREDICATES) == relation_properties


def test_a_misspelt_term_fails_instead_of_minting_an_iri():
    with pytest.raises(AttributeError):
        getattr(AIKG, "competesWth")  # noqa: B009 (the attribute lookup is what is tested)


def test_superclasses_are_the_subclass_closure_of_the_ontology():
    for cls, supers in SUPERCLASSES.items():
        closure = {local(c) for c in ONTO.transitive_objects(AIKG[cls], RDFS.subClassOf)} - {None}
        assert closure == supers, cls


@pytest.mark.parametrize("fact, ok", [
    (("worksFor", "Person", "Company"), True), (("worksFor", "Person", "Person"), False),
    (("worksFor", "MediaOutlet", "Company"), False), (("investedIn", "Person", "Company"), True),
    (("investedIn", "InvestmentFirm", "AIModel"), False), (("developed", "Company", "Product"), True),
    (("developed", "Company", "Company"), False), (("uses", "Product", "AIModel"), True),
    (("uses", "Company", "Company"), True), (("uses", "Person", "AIModel"), False),
    (("competesWith", "Company", "ResearchLab"), True), (("competesWith", "Company", "AIModel"), False),
    (("educatedAt", "Person", "Company"), False)])
def test_fits_follows_domains_ranges_and_kinds(fact, ok):
    assert fits(*fact) is ok
