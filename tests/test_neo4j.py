"""The Neo4j loader against a real Neo4j 5.26 (the ``neo4j_server`` fixture: neo4j-test-server/,
started once per session on 127.0.0.1), spoken to by the official neo4j driver, and through
``kg load`` as a user runs it."""
import datetime
import os
import re
import socket
import subprocess
import sys
import threading

import networkx as nx
import pytest
import yaml
from rdflib import RDF, RDFS, Graph
from rdflib.namespace import DCTERMS, PROV, SKOS
from support import LAUNCHER, ROOT, free_port

from kg.graph.rdf import AIKG, ID
from kg.outputs.neo4j_load import (
    CYPHER_DIR,
    LoadError,
    Neo4jLoader,
    check_server,
    graph_rows,
    load_ttl,
    saved_query,
)

PERSON_ROLES = ("founded", "ceoOf", "worksFor", "investedIn", "educatedAt")


@pytest.fixture(scope="module")
def loaded(bolt, corpus_ttl):
    """The corpus graph loaded once (wiped first) for the read-only tests of this module."""
    return load_ttl(corpus_ttl, bolt, wipe=True)


def _read(target, query, **params):
    with Neo4jLoader(target) as loader:
        return loader.read(query, **params)


def _counts(target):
    nodes = _read(target, "MATCH (n) WHERE n:Entity OR n:FundingRound OR n:Document RETURN count(n) AS c")[0]["c"]
    rels = _read(target, "MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"]
    return nodes, rels


def _name(g, node):
    return str(g.value(node, RDFS.label))


def test_load_twice_is_idempotent_and_creates_the_constraints(bolt, corpus_ttl):
    first = load_ttl(corpus_ttl, bolt, wipe=True)
    counts = _counts(bolt)
    assert counts == (first.nodes, first.relationships) and first.nodes > 50
    second = load_ttl(corpus_ttl, bolt)
    assert _counts(bolt) == counts and (second.nodes, second.relationships) == counts
    assert "Neo4j/5.26" in str(second)
    constraints = {(c["name"], c["type"], tuple(c["labelsOrTypes"]), tuple(c["properties"]))
                   for c in _read(bolt, "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties")}
    for label in ("Entity", "FundingRound", "Document"):
        assert (f"{label.lower()}_iri", "UNIQUENESS", (label,), ("iri",)) in constraints
    [fulltext] = _read(bolt, "SHOW FULLTEXT INDEXES YIELD name, options WHERE name = 'entity_names' "
                             "RETURN options.indexConfig['fulltext.analyzer'] AS analyzer")
    assert fulltext["analyzer"] == "cjk"


def test_the_constraint_really_rejects_a_duplicate_iri(bolt, loaded):
    from neo4j.exceptions import ConstraintError
    iri = _read(bolt, "MATCH (n:Entity) RETURN n.iri AS iri LIMIT 1")[0]["iri"]
    with Neo4jLoader(bolt) as loader, pytest.raises(ConstraintError):
        loader._write("CREATE (:Entity {iri: $iri})", iri=iri)


def _competes(g):
    return {frozenset((_name(g, s), _name(g, o))) for s, o in g.subject_objects(AIKG.competesWith)}


def _statements(g, pred):
    """(subject name, object name) -> [(confidence, sentence, rule, document id)] of the RDF evidence."""
    out = {}
    for st in g.subjects(RDF.predicate, AIKG[pred]):
        key = (_name(g, g.value(st, RDF.subject)), _name(g, g.value(st, RDF.object)))
        out.setdefault(key, []).append((float(g.value(st, AIKG.confidence)), str(g.value(st, AIKG.evidenceText)),
                                        str(g.value(st, AIKG.extractor)),
                                        str(g.value(st, PROV.wasDerivedFrom)).rsplit("/", 1)[-1]))
    return out


def _expect_competes_with(g, rows, params):
    ev = _statements(g, "competesWith")
    assert {frozenset((r["a"], r["b"])) for r in rows} == _competes(g)
    for r in rows:
        mine = ev.get((r["a"], r["b"])) or ev[(r["b"], r["a"])]
        assert r["confidence"] == max(e[0] for e in mine)
        assert sorted(r["evidence"]) == sorted(e[1] for e in mine) and r["source"] in {e[3] for e in mine}
    assert [r["confidence"] for r in rows] == sorted((r["confidence"] for r in rows), reverse=True)


def _expect_competes_with_graph(g, rows, params):
    pairs = [frozenset(n["name"] for n in r["p"].nodes) for r in rows]
    assert all(len(r["p"].relationships) == 1 and r["p"].relationships[0].type == "COMPETES_WITH" for r in rows)
    assert len(pairs) == len(set(pairs)) and set(pairs) == _competes(g)       # each pair once


def _params_competitors_of(g):
    s, _ = sorted(g.subject_objects(AIKG.competesWith))[0]
    return {"name": _name(g, s)}


def _expect_competitors_of(g, rows, params):
    expected = {b for pair in _competes(g) if params["name"] in pair for b in pair - {params["name"]}}
    assert expected and {r["competitor"] for r in rows} == expected
    assert all(r["type"] and r["evidence"] for r in rows)


def _expect_founders(g, rows, params):
    expected = {(_name(g, p), _name(g, o), (p, AIKG.ceoOf, o) in g)
                for p, o in g.subject_objects(AIKG.founded) if (p, RDF.type, AIKG.Person) in g}
    assert expected and {(r["founder"], r["organization"], r["isCeo"]) for r in rows} == expected


def _expect_funding_by_amount(g, rows, params):
    expected = sorted((_name(g, g.value(f, AIKG.recipient)), float(g.value(f, AIKG.amount)),
                       str(g.value(f, AIKG.currency)), sorted(_name(g, i) for i in g.objects(f, AIKG.investor)))
                      for f in g.subjects(RDF.type, AIKG.FundingRound))
    got = sorted((r["recipient"], r["amount"], r["currency"], sorted(r["investors"])) for r in rows)
    assert expected and got == expected
    assert [r["amount"] for r in rows] == sorted((r["amount"] for r in rows), reverse=True)


def _expect_investors_portfolios(g, rows, params):
    expected = {}
    for i, o in g.subject_objects(AIKG.investedIn):
        expected.setdefault(_name(g, i), set()).add(_name(g, o))
    assert expected and {r["investor"]: set(r["portfolio"]) for r in rows} == expected
    assert all(r["companies"] == len(r["portfolio"]) for r in rows)


def _expect_most_roles(g, rows, params):
    roles = {}
    for pred in PERSON_ROLES:
        for p, _ in g.subject_objects(AIKG[pred]):
            if (p, RDF.type, AIKG.Person) in g:
                roles[_name(g, p)] = roles.get(_name(g, p), 0) + 1
    assert len(rows) == min(20, len(roles)) and all(r["roles"] == roles[r["person"]] for r in rows)
    assert rows[0]["roles"] == max(roles.values())


def _params_search_names(g):
    # an alias, not the name: the full-text index covers both
    node, alias = sorted((e, a) for e, a in g.subject_objects(SKOS.altLabel)
                         if re.search(r"[\u4e00-\u9fff]", str(a)))[0]
    return {"q": str(alias), "expect": _name(g, node)}


def _expect_search_names(g, rows, params):
    assert params["expect"] in [r["name"] for r in rows]


def _nx(g):
    """The graph Neo4j holds, undirected: entity relations plus funding rounds' edges."""
    net = nx.Graph()
    for s, p, o in g:
        if p == AIKG.recipient or p == AIKG.investor or str(p).rsplit("#", 1)[-1] in PERSON_ROLES + (
                "developed", "competesWith", "partnersWith", "uses"):
            if (s, RDF.type, RDF.Statement) not in g:
                net.add_edge(s, o)
    return net


def _params_shortest_path(g):
    """The two entities farthest apart (within the query's 6 hops), by the RDF graph."""
    entities = {e for e in _nx(g) if (e, RDFS.label, None) in g and (e, RDF.type, AIKG.FundingRound) not in g}
    lengths = dict(nx.all_pairs_shortest_path_length(_nx(g), cutoff=6))
    d, a, b = max((d, a, b) for a in sorted(entities) for b, d in lengths[a].items() if b in entities)
    return {"a": _name(g, a), "b": _name(g, b), "length": d}


def _expect_shortest_path(g, rows, params):
    [row] = rows
    path = row["p"]
    assert params["length"] >= 2 and len(path.relationships) == params["length"]
    assert path.start_node["name"] == params["a"] and path.end_node["name"] == params["b"]


SAVED = {name[len("_expect_"):]: fn for name, fn in globals().items() if name.startswith("_expect_")}


def test_every_saved_query_has_a_check():
    assert {p.stem for p in CYPHER_DIR.glob("*.cypher")} == set(SAVED)


@pytest.mark.parametrize("name", sorted(SAVED))
def test_saved_query_returns_what_the_turtle_says(name, bolt, loaded, corpus_build):
    from neo4j import RoutingControl
    g = corpus_build.graph
    params = globals().get(f"_params_{name}", lambda g: {})(g)
    query_params = {k: v for k, v in params.items() if k in re.findall(r"\$(\w+)", saved_query(name))}
    with Neo4jLoader(bolt) as loader:
        # records as driver objects (a path stays a Path), as Neo4j Browser receives them
        records, _, _ = loader.driver.execute_query(saved_query(name), query_params, database_=bolt.database,
                                                    routing_=RoutingControl.READ)
    SAVED[name](g, [dict(r.items()) for r in records], params)


def test_numbers_dates_and_lists_keep_their_types(bolt, loaded, corpus_build):
    g = corpus_build.graph
    types = {r["k"]: r["t"] for r in _read(bolt, """
        MATCH (d:Document) WHERE d.date IS NOT NULL
        WITH 'document.date' AS k, valueType(d.date) AS t RETURN DISTINCT k, t UNION
        MATCH (f:FundingRound) WITH 'funding.amount' AS k, valueType(f.amount) AS t RETURN DISTINCT k, t UNION
        MATCH (f:FundingRound) WITH 'funding.approximate' AS k, valueType(f.approximate) AS t RETURN DISTINCT k, t UNION
        MATCH (e:Entity) WHERE e.aliases <> []
        WITH 'entity.aliases' AS k, valueType(e.aliases) AS t RETURN DISTINCT k, t UNION
        MATCH ()-[r:COMPETES_WITH]->() WITH 'rel.confidence' AS k, valueType(r.confidence) AS t RETURN DISTINCT k, t
        UNION MATCH ()-[r:COMPETES_WITH]->() WITH 'rel.sentence' AS k, valueType(r.sentence) AS t RETURN DISTINCT k, t
        UNION MATCH ()-[r:COMPETES_WITH]->() WITH 'rel.evidence' AS k, valueType(r.evidence) AS t RETURN DISTINCT k, t
        """)}
    assert types == {"document.date": "DATE NOT NULL", "funding.amount": "FLOAT NOT NULL",
                     "funding.approximate": "BOOLEAN NOT NULL",
                     "entity.aliases": "LIST<STRING NOT NULL> NOT NULL",
                     "rel.confidence": "FLOAT NOT NULL", "rel.sentence": "INTEGER NOT NULL",
                     "rel.evidence": "LIST<STRING NOT NULL> NOT NULL"}
    dates = {r["id"]: r["date"].to_native() for r in _read(
        bolt, "MATCH (d:Document) WHERE d.date IS NOT NULL RETURN d.id AS id, d.date AS date")}
    assert dates and dates == {str(g.value(d, DCTERMS.identifier)):
                               datetime.date.fromisoformat(str(g.value(d, DCTERMS.date)))
                               for d in g.subjects(RDF.type, AIKG.Document) if g.value(d, DCTERMS.date)}
    # a date query works on the stored type, not on text
    assert _read(bolt, "MATCH (d:Document) WHERE d.date >= date('2000-01-01') "
                       "RETURN count(d) AS c")[0]["c"] == len(dates)


def test_provenance_is_on_the_relationships(bolt, loaded, corpus_build):
    g = corpus_build.graph
    for pred in ("founded", "competesWith", "investedIn", "worksFor"):
        rtype = re.sub(r"(?<!^)(?=[A-Z])", "_", pred).upper()
        got = {(r["a"], r["b"]): r for r in _read(
            bolt, f"MATCH (a:Entity)-[r:{rtype}]->(b:Entity) RETURN a.name AS a, b.name AS b, r.evidence AS evidence, "
                  "r.rules AS rules, r.sources AS sources, r.source AS source, r.confidence AS confidence")}
        statements = _statements(g, pred)
        assert statements and set(got) == set(statements)
        for pair, evidence in statements.items():
            r = got[pair]
            assert sorted(r["evidence"]) == sorted(e[1] for e in evidence)
            assert set(r["rules"]) == {e[2] for e in evidence} and set(r["sources"]) == {e[3] for e in evidence}
            assert r["confidence"] == max(e[0] for e in evidence) and r["source"] in r["sources"]
    docs = {r["id"] for r in _read(bolt, "MATCH (d:Document) RETURN d.id AS id")}
    sources = {s for r in _read(bolt, "MATCH ()-[r]->() WHERE r.sources IS NOT NULL RETURN r.sources AS s")
               for s in r["s"]}
    assert sources and sources <= docs      # every source names a loaded document


def test_wipe_deletes_an_earlier_load_and_nothing_else(bolt, corpus_ttl):
    load_ttl(corpus_ttl, bolt, wipe=True)
    with Neo4jLoader(bolt) as loader:
        loader._write("CREATE (:Entity:Person {iri: $stale, name: 'stale'}), (:Entity {iri: 'https://example.org/x'}), "
                      "(:Note {text: 'mine'})", stale=str(ID) + "entity/stale")
    report = load_ttl(corpus_ttl, bolt, wipe=True)
    assert any(re.fullmatch(rf"wiped {report.nodes + 1} nodes of an earlier load", n) for n in report.notes)
    assert _read(bolt, "MATCH (n {name: 'stale'}) RETURN count(n) AS c")[0]["c"] == 0
    assert _read(bolt, "MATCH (n:Entity {iri: 'https://example.org/x'}) RETURN count(n) AS c")[0]["c"] == 1
    assert _read(bolt, "MATCH (n:Note) RETURN n.text AS t") == [{"t": "mine"}]
    with Neo4jLoader(bolt) as loader:
        loader._write("MATCH (n) WHERE n:Note OR n.iri = 'https://example.org/x' DETACH DELETE n")
    assert _counts(bolt) == (report.nodes, report.relationships)


def test_quotes_backslashes_and_other_text_are_stored_as_written(bolt, loaded):
    from kg.outputs.neo4j_load import Rows
    name = "a'b\\c \"d\" `e` $f {g} \n h\t😀 ＼’"
    iri = str(ID) + "entity/faithful-test"
    rows = Rows(entities={"Company": [{"iri": iri, "name": name, "aliases": [name, "x'y"], "type": "Company",
                                       "search_text": name}]})
    with Neo4jLoader(bolt) as loader:
        loader.load(rows)
        stored = loader.read("MATCH (n:Entity {iri: $iri}) RETURN n.name AS name, n.aliases AS aliases", iri=iri)
        loader._write("MATCH (n:Entity {iri: $iri}) DETACH DELETE n", iri=iri)
    assert stored == [{"name": name, "aliases": [name, "x'y"]}]


# ------------------------------------------------------------------ errors as a user sees them
def _kg_load(ttl, *args, env=None):
    """``kg load`` in a fresh process, as a user runs it (the environment's NEO4J_* removed)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    return subprocess.run([sys.executable, "-m", "kg.cli", "load", "--ttl", str(ttl), *args],
                          capture_output=True, text=True, timeout=120, env={**clean, **(env or {})})


@pytest.fixture()
def kg_here(monkeypatch, capsys):
    """The ``kg`` CLI's main in this process: the same code path as the command, without paying
    the package import per case (the environment's NEO4J_* removed, ``env`` added)."""
    from kg.cli import main

    def run(*argv, env=None):
        for k in [k for k in os.environ if k.startswith("NEO4J_")]:
            monkeypatch.delenv(k)
        for k, v in (env or {}).items():
            monkeypatch.setenv(k, v)
        code = main(list(argv))
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(argv, code, out, err)
    return run


@pytest.fixture()
def kg_load_here(kg_here):
    return lambda ttl, *args, env=None: kg_here("load", "--ttl", str(ttl), *args, env=env)


def _assert_one_clear_line(r, *needles):
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    for needle in needles:
        assert needle in r.stderr, r.stderr


def test_wrong_password_is_one_clear_line(bolt, corpus_ttl):
    r = _kg_load(corpus_ttl, "--uri", bolt.uri, "--user", bolt.user, "--password", "not-the-password")
    _assert_one_clear_line(r, bolt.uri, "authentication failed for user 'neo4j'")


def test_dead_server_is_one_clear_line(corpus_ttl, kg_load_here):
    uri = f"bolt://127.0.0.1:{free_port()}"
    r = kg_load_here(corpus_ttl, "--uri", uri, "--password", "x", "--timeout", "2")
    _assert_one_clear_line(r, uri, "cannot reach a Bolt server")


def test_unknown_database_is_one_clear_line(bolt, corpus_ttl, kg_load_here):
    r = kg_load_here(corpus_ttl, "--uri", bolt.uri, "--password", bolt.password, "--database", "nosuchdb")
    _assert_one_clear_line(r, bolt.uri, "database 'nosuchdb' does not exist")


@pytest.mark.parametrize("uri, needle", [
    ("notaurl", "is not a Bolt URI"),
    ("http://127.0.0.1:7474", "Bolt is usually 7687"),
    ("bolt://[::1", "is not a valid Bolt URI"),
    ("bolt://127.0.0.1:99999", "is not a valid Bolt URI"),
    ("bolt://", "names no host"),
])
def test_malformed_uri_is_one_clear_line(corpus_ttl, uri, needle, kg_load_here):
    _assert_one_clear_line(kg_load_here(corpus_ttl, "--uri", uri, "--password", "x"), repr(uri), needle)


def test_build_checks_the_uri_before_the_work(tmp_path, kg_here):
    out = tmp_path / "out"
    r = kg_here("build", str(ROOT / "corpus"), "--out", str(out), "--neo4j", "--uri", "http://localhost:7474")
    _assert_one_clear_line(r, "is not a Bolt URI")
    assert not out.exists()


def test_bad_timeout_and_batch_size_are_one_clear_line(corpus_ttl, kg_load_here):
    r = kg_load_here(corpus_ttl, "--password", "x", env={"NEO4J_TIMEOUT": "soon"})
    _assert_one_clear_line(r, "NEO4J_TIMEOUT='soon' is not a number of seconds")
    _assert_one_clear_line(kg_load_here(corpus_ttl, "--timeout", "0"), "positive number of seconds")
    _assert_one_clear_line(kg_load_here(corpus_ttl, "--batch-size", "0"), "--batch-size must be at least 1")


def test_a_server_that_never_answers_times_out_as_configured(corpus_ttl, kg_load_here):
    """A listener that accepts and then says nothing (a hung server, a wrong service): the
    --timeout bounds the wait and the message names the server."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        held = []
        stop = threading.Event()

        def accept():
            silent.settimeout(0.2)
            while not stop.is_set():
                try:
                    held.append(silent.accept()[0])
                except OSError:
                    pass
        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        uri = f"bolt://127.0.0.1:{silent.getsockname()[1]}"
        try:
            r = kg_load_here(corpus_ttl, "--uri", uri, "--password", "x", "--timeout", "1")
        finally:
            stop.set()
            thread.join()
            for conn in held:
                conn.close()
    _assert_one_clear_line(r, uri, "within 1 s")


@pytest.mark.parametrize("agent", ["", "FalkorDB/4.16", "Memgraph/2.18", "Neo4j/4.4.30"])
def test_servers_other_than_neo4j_5_are_refused(agent):
    with pytest.raises(LoadError, match="not Neo4j 5 or later"):
        check_server(agent, "bolt://h:7687")
    check_server("Neo4j/5.26.30", "bolt://h:7687")


# ------------------------------------------------------------------ docker compose, as close as this machine allows
def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _interpolate(value: str, env: dict) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?message} forms."""
    def sub(m):
        name, op, arg = m.group(1), m.group(2), m.group(3)
        if env.get(name):
            return env[name]
        if op == ":?":
            raise AssertionError(f"compose would stop: {arg}")
        return arg or ""
    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", sub, value)


def _dotenv(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#"))


def test_compose_file_has_what_the_services_need():
    services = _compose()["services"]
    neo4j, aikg = services["neo4j"], services["aikg"]
    pom = (LAUNCHER / "pom.xml").read_text()
    server_minor = re.search(r"<neo4j.version>(\d+\.\d+)\.", pom).group(1)
    assert neo4j["image"] == f"neo4j:{server_minor}-community"       # the tests' server is the same minor
    assert all(p.startswith("127.0.0.1:") for p in neo4j["ports"])
    assert {p.rsplit(":", 1)[1] for p in neo4j["ports"]} == {"7474", "7687"}
    env = _dotenv(ROOT / ".env.example")
    assert _interpolate(neo4j["environment"]["NEO4J_AUTH"], env) == f"neo4j/{env['NEO4J_PASSWORD']}"
    with pytest.raises(AssertionError, match="set NEO4J_PASSWORD"):
        _interpolate(neo4j["environment"]["NEO4J_AUTH"], {})
    # the image turns any other NEO4J_* variable into a neo4j.conf setting, and Neo4j 5 stops on unknown ones
    assert "env_file" not in neo4j and set(neo4j["environment"]) <= {"NEO4J_AUTH", "NEO4J_ACCEPT_LICENSE_AGREEMENT"}
    assert aikg["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert aikg["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
    assert _interpolate(aikg["environment"]["NEO4J_DATABASE"], env) == "neo4j"
    assert aikg["command"][:2] == ["kg", "build"] and "--neo4j" in aikg["command"]


def test_compose_healthcheck_logs_in_with_the_password_from_neo4j_auth(tmp_path):
    """The healthcheck's shell line as the container runs it (compose turns $$ into $), with
    cypher-shell, which the neo4j image ships, stood in by a script that records its arguments."""
    kind, line = _compose()["services"]["neo4j"]["healthcheck"]["test"]
    assert kind == "CMD-SHELL"
    stub = tmp_path / "cypher-shell"
    stub.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$0.args"\n')
    stub.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "NEO4J_AUTH": "neo4j/pa ss/w'rd"}
    r = subprocess.run(["/bin/sh", "-c", line.replace("$$", "$")], env=env, capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "cypher-shell.args").read_text().splitlines() == ["-u", "neo4j", "-p", "pa ss/w'rd", "RETURN 1"]


def test_compose_command_loads_into_the_real_server(bolt, tmp_path):
    """The aikg service's command, with the environment compose gives it, run here against the
    test server: only the host changes (compose's `neo4j` is this machine's server)."""
    aikg = _compose()["services"]["aikg"]
    dotenv = {**_dotenv(ROOT / ".env.example"), "NEO4J_PASSWORD": bolt.password}
    env = {k: _interpolate(str(v), dotenv) for k, v in aikg["environment"].items()}
    assert env["NEO4J_DATABASE"] == "neo4j" and env["NEO4J_USER"] == bolt.user
    env["NEO4J_URI"] = bolt.uri
    out = tmp_path / "out"
    command = [str(out) if arg == "/data/out" else arg for arg in aikg["command"]]
    assert command != aikg["command"]                # the volume path is the only other change
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    kg = os.path.join(os.path.dirname(sys.executable), "kg")
    r = subprocess.run([kg, *command[1:]], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    report = re.search(r"loaded (\d+) nodes and (\d+) relationships into Neo4j/5\.26", r.stdout)
    assert report and _counts(bolt) == (int(report.group(1)), int(report.group(2)))
    rows = graph_rows(Graph().parse(out / "kg.ttl"))
    assert rows.counts == _counts(bolt)


# ------------------------------------------------------------------ the test server itself
def _listeners(port):
    """Local addresses listening on ``port``, from /proc/net (IPv4 and IPv6 tables)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hexport = local.split(":")
                if state == "0A" and int(hexport, 16) == port:
                    found.append(address)
    return found


def test_test_server_listens_on_loopback_only_and_needs_the_password(neo4j_server):
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError
    loopback = {"0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000"}
    for url in (neo4j_server.target.uri, neo4j_server.http):
        listeners = _listeners(int(url.rsplit(":", 1)[1]))
        assert listeners and set(listeners) <= loopback, (url, listeners)
    with GraphDatabase.driver(neo4j_server.target.uri, auth=None) as driver, pytest.raises(AuthError):
        driver.verify_connectivity()


# ------------------------------------------------------------------ Neo4j Browser in headless Chromium
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _title(path):
    """Neo4j Browser titles a favorite with the first line of its text, comment marks removed."""
    return path.read_text(encoding="utf-8").splitlines()[0].lstrip("/ ").strip()


def test_neo4j_browser_imports_the_saved_queries_and_draws_who_competes_with_whom(
        neo4j_server, loaded, corpus_build, tmp_path):
    from playwright.sync_api import sync_playwright

    from kg.outputs.neo4j_load import write_favorites_zip
    assert os.access(CHROMIUM, os.X_OK), "Debian's chromium is missing: `make test` installs it"
    favorites = write_favorites_zip(tmp_path / "aikg-favorites.zip").read_bytes()
    g = corpus_build.graph
    competitors = {name for pair in _competes(g) for name in pair}
    with sync_playwright() as pw:
        # Playwright gives the browser a fresh temporary profile of its own
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{neo4j_server.http}/browser/")
            page.get_by_test_id("username").fill(neo4j_server.target.user)
            page.get_by_test_id("password").fill(neo4j_server.target.password)
            page.get_by_test_id("connect").click()
            page.get_by_text("You are connected as user").wait_for(timeout=60_000)

            # a user drops the zip on the Browser window; it becomes the favorites folder "aikg"
            drop = page.evaluate_handle("""(bytes) => {
                const dt = new DataTransfer();
                dt.items.add(new File([new Uint8Array(bytes)], 'aikg-favorites.zip', {type: 'application/zip'}));
                return dt; }""", list(favorites))
            for event in ("dragenter", "dragover", "drop"):
                page.get_by_test_id("main").dispatch_event(event, {"dataTransfer": drop})
            page.get_by_test_id("navigationFavorites").click()
            page.get_by_test_id("expandFolder-aikg").click(timeout=30_000)
            shown = {t.removeprefix("scriptTitle-") for t in page.locator("[data-testid^='scriptTitle-']").evaluate_all(
                "els => els.map(e => e.getAttribute('data-testid'))")}
            saved = {_title(p) for p in CYPHER_DIR.glob("*.cypher")}
            assert saved <= shown

            # run the saved graph query from its favorite and wait for the drawing
            item = page.get_by_test_id("savedScriptListItem").filter(
                has=page.get_by_test_id(f"scriptTitle-{_title(CYPHER_DIR / 'competes_with_graph.cypher')}"))
            item.hover()
            item.get_by_test_id("savedScriptsButton-Run").click()
            page.get_by_test_id("navigationFavorites").click()          # close the drawer for the picture
            frame = page.get_by_test_id("frame").filter(has=page.locator("svg g.node")).first
            frame.wait_for(timeout=60_000)
            page.wait_for_function(f"document.querySelectorAll('svg g.node').length >= {len(competitors)}",
                                   timeout=30_000)
            page.wait_for_timeout(2000)     # the force layout settles
            drawn = set(frame.locator("svg g.node text").evaluate_all("els => els.map(e => e.textContent)"))
            shot = tmp_path / "neo4j-browser.png"
            frame.screenshot(path=str(shot))
        finally:
            browser.close()
    # node captions are names, shortened by Browser when long
    drawn = {t.strip().rstrip("…") for t in drawn}
    assert all(any(name.startswith(t) for t in drawn) for name in competitors), (drawn, competitors)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    if os.environ.get("AIKG_BROWSER_SCREENSHOT"):
        # the README picture: AIKG_BROWSER_SCREENSHOT=docs/neo4j-browser.png pytest -k browser
        (ROOT / os.environ["AIKG_BROWSER_SCREENSHOT"]).write_bytes(shot.read_bytes())
