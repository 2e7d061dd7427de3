"""The corpus graph: the scorer's contract, provenance, round-trip, determinism, CLI errors."""
import subprocess
import sys

from rdflib import RDF, RDFS, Graph
from rdflib.compare import isomorphic
from rdflib.namespace import PROV
from support import CORPUS

from kg.graph.rdf import AIKG, entity_iri, load_ontology


def test_graph_has_typed_labelled_entities_and_contract_relations(corpus_build):
    g = corpus_build.graph
    ontology = load_ontology()
    classes = {c for c in ontology.subjects(RDF.type, None)}
    for e in corpus_build.entities:
        assert [str(x) for x in g.objects(entity_iri(e.iri_key), RDFS.label)] == [e.name]
        assert (entity_iri(e.iri_key), RDF.type, AIKG[e.type]) in g
    typed = {o for o in g.objects(None, RDF.type)}
    assert typed <= classes | {RDF.Statement}
    preds = {p for _, p, _ in g if str(p).startswith(str(AIKG))}
    assert {AIKG.founded, AIKG.developed, AIKG.worksFor} <= preds


def test_every_relation_has_evidence_back_to_a_sentence(corpus_build):
    g = corpus_build.graph
    texts = {d.doc_id: d.text for d in corpus_build.docs}
    for stmt in g.subjects(RDF.type, RDF.Statement):
        s, p, o = (g.value(stmt, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        assert (s, p, o) in g                                # the fact itself stays asserted
        doc = str(g.value(stmt, PROV.wasDerivedFrom)).rsplit("/", 1)[1]
        a, b = int(g.value(stmt, AIKG.startOffset)), int(g.value(stmt, AIKG.endOffset))
        assert texts[doc][a:b] == str(g.value(stmt, AIKG.evidenceText))
        assert 0 < float(g.value(stmt, AIKG.confidence)) <= 1


def test_funding_rounds_follow_the_contract(corpus_build):
    g = corpus_build.graph
    rounds = list(g.subjects(RDF.type, AIKG.FundingRound))
    assert rounds
    for r in rounds:
        assert g.value(r, AIKG.recipient) is not None
        assert float(g.value(r, AIKG.amount)) > 0
        assert str(g.value(r, AIKG.currency)) in {"CNY", "USD", "HKD", "EUR", "JPY", "GBP"}


def test_turtle_round_trip_and_deterministic_build(tmp_path):
    outs = []
    for i in range(2):
        out = tmp_path / f"o{i}"
        r = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(CORPUS), "--out", str(out), "--ner", "lac",
                            "--quiet"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert "entities:" in r.stdout and "seconds:" in r.stdout
        outs.append((out / "kg.ttl").read_bytes())
    assert outs[0] == outs[1]
    g = Graph().parse(data=outs[0].decode(), format="turtle")
    g2 = Graph().parse(data=g.serialize(format="nt"), format="nt")
    assert len(g) > 500 and isomorphic(g, g2)


def test_cli_names_the_bad_folder_and_keeps_old_outputs(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "kg.ttl").write_text("# earlier build\n", encoding="utf-8")
    empty = tmp_path / "articles"
    empty.mkdir()
    (empty / "a.txt").write_bytes(b"\x00\x01binary")
    r = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(empty), "--out", str(out), "--ner", "lac"],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "a.txt" in r.stderr and "binary" in r.stderr
    assert (out / "kg.ttl").read_text(encoding="utf-8") == "# earlier build\n"
