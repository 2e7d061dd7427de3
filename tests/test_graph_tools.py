"""SHACL, exports, SPARQL and explain on the corpus graph (issue: a graph RDF tools trust)."""
import shutil
import subprocess
import sys

import pytest
from rdflib import RDF, RDFS, Graph, Literal
from rdflib.compare import isomorphic

from kg.graph.explain import explain
from kg.graph.rdf import AIKG
from kg.graph.sparql import run_query, shipped_queries
from kg.graph.validate import validate
from kg.graph.vocab import entity_iri
from kg.outputs.export import serialize, to_networkx


def test_corpus_graph_conforms_and_shapes_catch_violations(corpus_build):
    assert validate(corpus_build.graph) == []
    g = Graph()
    for t in corpus_build.graph:
        g.add(t)
    person = next(s for s, o in g.subject_objects(AIKG.founded))
    org = next(o for s, o in g.subject_objects(AIKG.founded))
    g.add((org, AIKG.educatedAt, person))                  # wrong argument types
    g.add((person, RDFS.label, Literal("second label")))
    fr = next(g.subjects(AIKG.recipient, None))
    g.set((fr, AIKG.currency, Literal("yuan")))
    shapes = {v.shape.split(" ")[0] for v in validate(g)}
    assert {"ash:EducatedAtShape", "ash:EntityShape", "ash:FundingRoundShape"} <= shapes


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_shapes_give_the_same_verdict_with_and_without_rdfs_inference(corpus_build, inference):
    """With RDFS entailment a Person is also an Agent and a foaf:Person: no false competition clash."""
    g = Graph()
    for t in corpus_build.graph:
        g.add(t)
    assert any(g.triples((None, AIKG.competesWith, None)))
    assert validate(g, inference) == []
    person = next(g.subjects(AIKG.founded, None))
    company = next(g.objects(None, AIKG.founded))
    g.add((person, AIKG.competesWith, company))
    assert {v.shape.split(" ")[0] for v in validate(g, inference)} == {"ash:CompetesWithShape"}


@pytest.mark.parametrize("inference", ["none", "rdfs"])
@pytest.mark.parametrize("a,b,clash", [
    ("Person", "Person", False), ("Company", "InvestmentFirm", False), ("AIModel", "Product", False),
    ("Company", "AIModel", True), ("Person", "ResearchLab", True), ("Product", "Person", True)])
def test_competitors_are_of_one_kind(a, b, clash, inference):
    """People compete with people, organizations of any kind with organizations, models and
    products with models and products (rivals named in our own words)."""
    g = Graph()
    x, y = entity_iri("甲方"), entity_iri("乙方")
    for node, cls in ((x, a), (y, b)):
        g.add((node, RDF.type, AIKG[cls]))
        g.add((node, RDFS.label, Literal(str(node)[-2:], lang="zh")))
    g.add((x, AIKG.competesWith, y))
    found = {v.shape.split(" ")[0] for v in validate(g, inference)}
    assert ("ash:CompetesWithShape" in found) == clash


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (raptor2-utils) is installed by `make test`")
@pytest.mark.parametrize("fmt,syntax", [("turtle", "turtle"), ("nt", "ntriples")])
def test_rapper_parses_the_exports(corpus_build, tmp_path, fmt, syntax):
    path = tmp_path / f"kg.{fmt}"
    path.write_bytes(serialize(corpus_build.graph, fmt))
    out = subprocess.run(["rapper", "-i", syntax, "-c", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert f"returned {len(corpus_build.graph)} triples" in out.stderr


@pytest.mark.parametrize("fmt", ["nt", "json-ld"])
def test_exports_round_trip_isomorphic(corpus_build, fmt):
    back = Graph().parse(data=serialize(corpus_build.graph, fmt), format=fmt)
    assert isomorphic(back, corpus_build.graph)


def test_graphml_view_carries_names_types_and_predicates(corpus_build):
    G = to_networkx(corpus_build.graph)
    g = corpus_build.graph
    assert sum(1 for _ in g.subject_objects(AIKG.competesWith)) == sum(
        1 for *_, d in G.edges(data=True) if d["predicate"] == "competesWith")
    assert all(d["name"] and d["type"] for _, d in G.nodes(data=True))
    data = serialize(g, "graphml").decode("utf-8")
    assert "competesWith" in data and "李志飞" in data


def test_shipped_sparql_queries_answer_from_the_graph(corpus_build):
    g = corpus_build.graph
    assert {"competes_with", "founders", "investors_portfolios", "funding_by_recipient"} <= set(shipped_queries())
    cols, rows = run_query(g, "competes_with")
    pairs = {frozenset((str(g.value(s, RDFS.label)), str(g.value(o, RDFS.label))))
             for s, o in g.subject_objects(AIKG.competesWith)}
    assert pairs and {frozenset(r[:2]) for r in rows} == pairs and all(r[3] for r in rows)
    _, founders = run_query(g, "founders")
    assert ("李志飞", "出门问问", True) in founders
    _, portfolios = run_query(g, "investors_portfolios")
    assert any(r[0] == "红杉资本" and "出门问问" in r[2] for r in portfolios)
    _, funding = run_query(g, "funding_by_recipient")
    assert any(r[0] == "出门问问" and r[1] == 10_000_000 and r[2] == "CNY" for r in funding)


def test_explain_shows_the_sentences_behind_a_pair(corpus_build):
    edges = explain(corpus_build.graph, "李志飞", "出门问问")
    assert {e.predicate for e in edges} >= {"founded", "ceoOf"}
    assert all("出门问问" in e.text and e.start < e.end for e in edges)
    with pytest.raises(KeyError):
        explain(corpus_build.graph, "不存在的公司")


def test_cli_validate_export_sparql_explain(corpus_ttl, tmp_path):
    def kg(*args):
        return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True)
    assert kg("validate", str(corpus_ttl)).returncode == 0
    r = kg("export", "--format", "gexf", "--ttl", str(corpus_ttl), "--out", str(tmp_path / "g.gexf"))
    assert r.returncode == 0 and (tmp_path / "g.gexf").stat().st_size > 0
    r = kg("sparql", "founders", "--ttl", str(corpus_ttl))
    assert r.returncode == 0 and r.stdout.startswith("founder\torganization")
    r = kg("explain", "Google", "--ttl", str(corpus_ttl))
    assert r.returncode == 0 and "competesWith" in r.stdout
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    r = kg("validate", str(bad))
    assert r.returncode == 2 and "bad.ttl" in r.stderr
